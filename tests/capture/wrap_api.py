"""The Python API: a context the program made itself, wrapped; the trace saved by the
program (its path is the first argument). Wrapped objects are instances of ModernGL's
classes, as the program's own checks expect."""
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
program = ctx.program(vertex_shader="#version 330\nin vec2 v;\n"
                      "void main() { gl_Position = vec4(v, 0.0, 1.0); }\n")
vertex_array = ctx.vertex_array(program, [(buffer, "2i", "v")])
texture = ctx.texture((2, 2), 4)
framebuffer = ctx.framebuffer(color_attachments=[texture])
for wrapped, cls in [(ctx, moderngl.Context), (buffer, moderngl.Buffer),
                     (program, moderngl.Program), (vertex_array, moderngl.VertexArray),
                     (texture, moderngl.Texture), (framebuffer, moderngl.Framebuffer),
                     (framebuffer.color_attachments[0], moderngl.Texture)]:
    assert isinstance(wrapped, cls), (wrapped, cls)
    assert type(wrapped) is not cls and wrapped.__class__ is cls
assert not isinstance(buffer, moderngl.Texture)
buffer.read()
missing = ctx.gltape.save(sys.argv[1])
assert missing == [], missing
