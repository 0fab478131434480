"""Buffer streaming: each frame orphans a dynamic vertex buffer, writes new vertices and
draws them; a uniform changes per frame; frames end with gltape_moderngl.end_frame() when
the capture is running (the program runs the same without it)."""
import struct

import moderngl

try:
    from gltape_moderngl import end_frame
except ImportError:
    def end_frame():
        pass

ctx = moderngl.create_context(standalone=True, require=450, backend="egl")
prog = ctx.program(
    vertex_shader="#version 330\nin vec2 in_vert;\nuniform vec2 offset;\n"
                  "void main() { gl_Position = vec4(in_vert + offset, 0.0, 1.0); }\n",
    fragment_shader="#version 330\nuniform vec4 color;\nout vec4 f;\nvoid main() { f = color; }\n")
vbo = ctx.buffer(reserve=6 * 8, dynamic=True)
vao = ctx.vertex_array(prog, [(vbo, "2f", "in_vert")])
fbo = ctx.framebuffer(color_attachments=[ctx.renderbuffer((32, 32))])
fbo.use()
for frame in range(4):
    s = 0.2 + 0.1 * frame
    vbo.orphan()
    vbo.write(struct.pack("12f", -s, -s, s, -s, -s, s, s, -s, s, s, -s, s))
    prog["offset"].value = (0.1 * frame, 0.0)
    prog["color"].value = (frame / 4, 1.0 - frame / 4, 0.5, 1.0)
    ctx.clear(0.0, 0.0, 0.0, 1.0)
    vao.render()
    fbo.read(components=4)
    end_frame()
vbo.read()
