"""The cost of capturing a streaming loop: a 16 MiB buffer orphaned and written whole N
times (argument 1, default 32), timed on a plain ModernGL context and on a recording one in
the same process; prints one JSON object with both times and their ratio. Argument 2 is the
directory of the capture's files (default: a new temporary directory)."""
import json
import os
import sys
import time

import moderngl

import gltape_moderngl

SIZE = 16 << 20
frames = int(sys.argv[1]) if len(sys.argv) > 1 else 32
data = os.urandom(SIZE)


def loop(ctx):
    buffer = ctx.buffer(reserve=SIZE, dynamic=True)
    ctx.finish()
    start = time.perf_counter()
    for _ in range(frames):
        buffer.orphan()
        buffer.write(data)
    ctx.finish()
    return time.perf_counter() - start


real = moderngl.create_standalone_context(require=450, backend="egl")
recording = gltape_moderngl.wrap(real, directory=sys.argv[2] if len(sys.argv) > 2 else None)
loop(real)  # warm up the driver's allocations
plain = min(loop(real) for _ in range(3))
captured = min(loop(recording) for _ in range(3))
payloads = recording.gltape.tape.payload_bytes
recording.gltape.close()
print(json.dumps({"frames": frames, "bytes_per_frame": SIZE, "plain_s": plain,
                  "captured_s": captured, "ratio": captured / plain,
                  "payload_file_bytes": payloads}))
