"""A program with two contexts: the first is recorded (moderngl.get_context() gives it
while it is ModernGL's default); the second, made by create_standalone_context and then
ModernGL's default, is not, and the capture reports each time the program makes or gets
it."""
import moderngl

ctx = moderngl.create_standalone_context(require=450, backend="egl")
assert moderngl.get_context() is ctx
ctx.buffer(b"\x01\x02\x03\x04").read()
other = moderngl.create_standalone_context(require=450, backend="egl")
assert moderngl.get_context() is other
assert other.buffer(b"\x05\x06").read() == b"\x05\x06"
ctx.buffer(b"\x07\x08").read()
