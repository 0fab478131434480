"""How the capture keeps payloads (python/gltape_moderngl/tape.py's `Payloads`): one `bytes`
object written again, a view of one, a `bytearray` and an `array` changed between writes and
written unchanged, each read back, so the replay's --verify proves every range holds the
bytes ModernGL got. Recorded twice through the Python API: holding the payloads until save
(ranges reused: the payload file is smaller than the bytes written) and spilling them to the
file at every payload (nothing reused). The traces go to the directory given as argument 1
(`held.gltrace`, `spilled.gltrace`)."""
import array
import os
import sys

import moderngl

import gltape_moderngl


def program(ctx):
    frame = bytes(range(16))
    buffer = ctx.buffer(frame)
    buffer.write(frame)  # the same bytes object: its range again
    buffer.read()
    scratch = bytearray(16)
    buffer.write(scratch)  # copied
    buffer.read()
    scratch[0] = 7
    buffer.write(scratch)  # changed: copied again
    buffer.read()
    buffer.write(scratch)  # unchanged: the last copy's range
    buffer.write(memoryview(frame)[4:12], offset=4)  # a view of bytes: kept by reference
    buffer.read()
    values = array.array("f", [1.5, 2.5, 3.5, 4.5])
    buffer.write(values)  # copied
    buffer.read()
    values[0] = -1.0
    buffer.write(values)  # changed: copied again
    buffer.read()
    buffer.write(values, offset=0)  # unchanged
    buffer.clear(chunk=frame[:4])  # 4 bytes of a new bytes object
    buffer.read()


out = sys.argv[1]
real = moderngl.create_standalone_context(require=450, backend="egl")
# Written: 16 + 16 + 16 + 16 + 16 + 8 + 16 + 16 + 16 + 4 = 140 bytes in 10 payloads.
for name, spill_bytes, file_bytes in [("held", 1 << 30, 92), ("spilled", 1, 140)]:
    ctx = gltape_moderngl.wrap(real, spill_bytes=spill_bytes)
    program(ctx)
    assert ctx.gltape.payloads.size == file_bytes, (name, ctx.gltape.payloads.size)
    assert len(ctx.gltape.digests) == 7
    missing = ctx.gltape.save(os.path.join(out, name + ".gltrace"))
    assert missing == [], missing
    assert os.path.getsize(ctx.gltape.payloads.path) == file_bytes
    ctx.gltape.close()
