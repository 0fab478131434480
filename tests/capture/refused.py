"""A call ModernGL accepts but gltape refuses: orphaning a buffer to 0 bytes (gltape's
buffers hold at least one byte). The program runs as it does without a capture; the
capture writes no trace and names this file and the line of the call."""
import moderngl

ctx = moderngl.create_standalone_context(require=450, backend="egl")
buffer = ctx.buffer(reserve=16, dynamic=True)
buffer.write(b"\x01\x02\x03\x04")
buffer.orphan(0)
buffer.read()
