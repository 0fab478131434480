"""The pipeline's state: wireframe, face culling and winding, polygon offset, point size
(fixed and from the program), line width, and a framebuffer's color and depth masks, each
changed between draws that are read back."""
import struct

import moderngl

ctx = moderngl.create_standalone_context(require=450, backend="egl")
prog = ctx.program(vertex_shader="""#version 330
in vec3 in_pos;
uniform float size;
void main() { gl_Position = vec4(in_pos, 1.0); gl_PointSize = size; }
""", fragment_shader="""#version 330
uniform vec4 color;
out vec4 f;
void main() { f = color; }
""")
prog["size"] = 5.0
# A counter-clockwise triangle in front, a clockwise one behind it.
triangles = ctx.buffer(struct.pack(
    "18f",
    -0.9, -0.9, 0.5, 0.9, -0.9, 0.5, 0.0, 0.9, 0.5,
    -0.5, 0.8, 0.0, 0.5, 0.8, 0.0, 0.0, -0.8, 0.0))
vao = ctx.vertex_array(prog, [(triangles, "3f", "in_pos")])
fbo = ctx.simple_framebuffer((16, 16))
fbo.use()


def frame(mode=moderngl.TRIANGLES, color=(1.0, 0.5, 0.25, 1.0)):
    fbo.clear(0.0, 0.0, 0.0, 1.0)
    prog["color"].value = color
    vao.render(mode)
    fbo.read(components=4)


frame()
ctx.enable(moderngl.CULL_FACE)
frame()
ctx.front_face = "cw"
frame()
ctx.cull_face = "front"
frame()
ctx.cull_face = "front_and_back"
frame()
ctx.disable(moderngl.CULL_FACE)
ctx.front_face = "ccw"
ctx.wireframe = True
frame()
ctx.line_width = 1.0
frame(moderngl.LINES)
ctx.wireframe = False
ctx.point_size = 3.0
frame(moderngl.POINTS)
ctx.enable(moderngl.PROGRAM_POINT_SIZE)
frame(moderngl.POINTS)
ctx.disable(moderngl.PROGRAM_POINT_SIZE)

# Depth: the triangle behind drawn last, with and without an offset and a depth mask.
ctx.enable(moderngl.DEPTH_TEST)
frame()
fbo.read(attachment=-1, components=1, dtype="f4")
ctx.polygon_offset = (0.0, -1000000.0)
frame()
fbo.read(attachment=-1, components=1, dtype="f4")
ctx.polygon_offset = (0.0, 0.0)
fbo.depth_mask = False
fbo.clear(0.0, 0.0, 0.0, 1.0, depth=0.75)
vao.render()
fbo.read(attachment=-1, components=1, dtype="f4")
fbo.depth_mask = True
ctx.disable(moderngl.DEPTH_TEST)

# Color masks of the framebuffer in use: ModernGL applies them at its next clear or use.
fbo.color_mask = (True, False, True, False)
vao.render()  # still unmasked
fbo.read(components=4)
frame(color=(1.0, 1.0, 1.0, 0.5))
fbo.color_mask = (False, True, False, True)
fbo.use()
vao.render()
fbo.read(components=4)
fbo.color_mask = (True, True, True, True)
ctx.clear(0.0, 0.0, 0.0, 1.0)
vao.render()
fbo.read(components=4)

