"""Queries: samples and primitives counted around draws and read, a count read before its
query ever ran, an empty count, conditional rendering on counts with and without samples,
any samples, elapsed time (read, not compared by --verify), a query of every kind, nested
queries."""
import struct

import moderngl

ctx = moderngl.create_standalone_context(require=450, backend="egl")
fbo = ctx.simple_framebuffer((16, 16))
fbo.use()
prog = ctx.program(vertex_shader="""#version 330
in vec2 in_pos;
void main() { gl_Position = vec4(in_pos, 0.0, 1.0); }
""", fragment_shader="""#version 330
uniform vec4 color;
out vec4 f;
void main() { f = color; }
""")
shape = ctx.vertex_array(prog, [(ctx.buffer(struct.pack("6f", -1, -1, 0.5, -1, -1, 0.5)),
                                 "2f", "in_pos")])
full = ctx.vertex_array(prog, [(ctx.buffer(struct.pack("6f", -1, -1, 3, -1, -1, 3)), "2f",
                                "in_pos")])
outside = ctx.vertex_array(prog, [(ctx.buffer(struct.pack("6f", 2, 2, 3, 2, 2, 3)), "2f",
                                   "in_pos")])
fbo.clear(0.0, 0.0, 0.0, 1.0)
prog["color"].value = (1.0, 1.0, 1.0, 1.0)

counted = ctx.query(samples=True, primitives=True)
counted.samples  # before it ever ran: 0
with counted:
    shape.render()
    shape.render(vertices=3, instances=2)
counted.samples
counted.primitives
empty = ctx.query(samples=True)
with empty:
    outside.render()
empty.samples

prog["color"].value = (0.0, 1.0, 0.0, 1.0)
with counted.crender:
    full.render()
fbo.read(components=4)
prog["color"].value = (1.0, 0.0, 0.0, 1.0)
with empty.crender:
    full.render()
    fbo.clear(0.0, 0.0, 1.0, 1.0)
fbo.read(components=4)

anything = ctx.query(any_samples=True)
with anything:
    shape.render()
ctx.finish()  # ModernGL's conditional render does not wait for the count; make it known
prog["color"].value = (0.0, 0.0, 1.0, 1.0)
with anything.crender:
    full.render()
fbo.read(components=4)

timer = ctx.query(time=True)
with timer:
    with counted:
        full.render()
timer.elapsed
counted.samples
everything = ctx.query()
with everything:
    shape.render()
everything.samples
everything.primitives
everything.elapsed
