"""Transform feedback (the tutorial's step): a vertex shader squares numbers into a buffer,
read back whole, with read_into and in chunks; a buffer copy; a uniform block."""
import struct

import moderngl

ctx = moderngl.create_standalone_context(require=450, backend="egl")
# A standalone EGL context has no default framebuffer: GL needs one bound to draw at all.
ctx.framebuffer(color_attachments=[ctx.renderbuffer((1, 1))]).use()
prog = ctx.program(
    vertex_shader="""#version 330
in float value;
out float product;
layout(std140) uniform Scale { float scale; };
void main() { product = value * value * scale; }
""",
    varyings=["product"])
prog["Scale"].binding = 2
scale = ctx.buffer(struct.pack("4f", 3.0, 0, 0, 0))
scale.bind_to_uniform_block(2)
values = ctx.buffer(struct.pack("8f", *range(8)))
out = ctx.buffer(reserve=8 * 4)
vao = ctx.vertex_array(prog, [(values, "f", "value")])
vao.transform(out)
data = out.read()
assert struct.unpack("8f", data)[3] == 27.0
into = bytearray(40)
out.read_into(into, size=16, offset=8, write_offset=4)
out.read_chunks(4, 0, 8, 4)
copy = ctx.buffer(reserve=32)
ctx.copy_buffer(copy, out, size=16, write_offset=16)
copy.read()
vao.transform(out, vertices=4, buffer_offset=16)
out.read()
