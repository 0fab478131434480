"""The Python API: a context the program made itself, wrapped; the trace saved by the
program (its path is the first argument)."""
import struct
import sys

import moderngl

import gltape_moderngl

ctx = gltape_moderngl.wrap(moderngl.create_standalone_context(require=450, backend="egl"))
buffer = ctx.buffer(struct.pack("4i", 1, 2, 3, 4), dynamic=True)
buffer.write(struct.pack("i", 9), offset=4)
buffer.write_chunks(b"\xaa\xbb", 1, 4, 2)
buffer.clear(size=4, offset=12, chunk=b"\x07")
gltape_moderngl.end_frame()
buffer.read()
missing = ctx.gltape.save(sys.argv[1])
assert missing == [], missing
