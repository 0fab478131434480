"""The cost of capturing a streaming loop: a 16 MiB buffer orphaned and written whole N
times (argument 1, default 32), timed on a plain ModernGL context and on a recording one in
the same process, best of `RUNS` runs each (taken in turns). Three times: writing one `bytes` object (the
capture keeps a reference and reuses its range), a `bytearray` changed before each write (the
capture copies it) and one left unchanged (the capture compares it with its last copy and
reuses that range). Prints one JSON object: the times, their ratios, the seconds the save's
write of the payload file took and its size. Argument 2 is the directory of the capture's
files (default: a new temporary directory)."""
import json
import os
import sys
import time

import moderngl

import gltape_moderngl

SIZE = 16 << 20
RUNS = 5
frames = int(sys.argv[1]) if len(sys.argv) > 1 else 32
immutable = os.urandom(SIZE)
mutable = bytearray(immutable)


def loop(ctx, data, change=False):
    buffer = ctx.buffer(reserve=SIZE, dynamic=True)
    ctx.finish()
    start = time.perf_counter()
    for frame in range(frames):
        if change:
            data[0] = frame
        buffer.orphan()
        buffer.write(data)
    ctx.finish()
    return time.perf_counter() - start


real = moderngl.create_standalone_context(require=450, backend="egl")
recording = gltape_moderngl.wrap(real, directory=sys.argv[2] if len(sys.argv) > 2 else None)
loop(real, immutable)  # warm up the driver's allocations
report = {"frames": frames, "bytes_per_frame": SIZE, "runs": RUNS}
for name, data, change in [("bytes", immutable, False), ("changed_bytearray", mutable, True),
                           ("unchanged_bytearray", mutable, False)]:
    runs = [(loop(real, data, change), loop(recording, data, change)) for _ in range(RUNS)]
    plain, captured = (min(times) for times in zip(*runs))
    report[name] = {"plain_s": plain, "captured_s": captured, "ratio": captured / plain}
payloads = recording.gltape.payloads
start = time.perf_counter()
payloads.flush()
report["save_write_s"] = time.perf_counter() - start
report["payload_file_bytes"] = os.path.getsize(payloads.path)
recording.gltape.close()
print(json.dumps(report))
