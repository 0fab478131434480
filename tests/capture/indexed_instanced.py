"""Indexed and instanced draws: a quad from 4 vertices and 6 indices, drawn 3 times with a
per-instance offset; a draw of a subrange; viewport and scissor changes; a depth test."""
import struct

import moderngl

ctx = moderngl.create_standalone_context(require=450, backend="egl")
prog = ctx.program(
    vertex_shader="""#version 330
in vec2 in_vert;
in vec2 in_offset;
in float in_depth;
void main() { gl_Position = vec4(in_vert * 0.3 + in_offset, in_depth, 1.0); }
""",
    fragment_shader="""#version 330
uniform vec3 tint;
out vec4 f;
void main() { f = vec4(tint, 1.0); }
""")
quad = ctx.buffer(struct.pack("8f", -1, -1, 1, -1, 1, 1, -1, 1))
index = ctx.buffer(struct.pack("6H", 0, 1, 2, 0, 2, 3))
offsets = ctx.buffer(struct.pack("9f", -0.5, -0.5, 0.5, 0.0, 0.0, 0.0, 0.5, 0.5, -0.5))
vao = ctx.vertex_array(prog, [(quad, "2f", "in_vert"), (offsets, "2f 1f/i", "in_offset",
                                                         "in_depth")],
                       index_buffer=index, index_element_size=2)
fbo = ctx.simple_framebuffer((48, 48), components=4)
fbo.use()
ctx.enable(moderngl.DEPTH_TEST)
ctx.depth_func = "<="
prog["tint"].write(struct.pack("3f", 1.0, 0.5, 0.25))
fbo.clear(0.1, 0.1, 0.1, 1.0, depth=1.0)
vao.render(instances=3)
fbo.read(components=4)
fbo.read(attachment=-1, components=1, dtype="f4")
ctx.viewport = (0, 0, 24, 24)
fbo.scissor = (0, 0, 16, 48)
prog["tint"].value = (0.0, 1.0, 0.0)
vao.render(vertices=3, first=3, instances=2)
fbo.read(components=4, viewport=(0, 0, 32, 32))
fbo.scissor = None
ctx.disable(moderngl.DEPTH_TEST)
vao.vertices = 3
vao.render()
fbo.read()
