"""Indirect draws: commands of a buffer drawn by `render_indirect` (every command by default,
a count from a first command, indexed commands with a base vertex), commands a compute
shader writes, each read back."""
import struct

import moderngl

ctx = moderngl.create_standalone_context(require=450, backend="egl")
fbo = ctx.simple_framebuffer((16, 16))
fbo.use()
prog = ctx.program(vertex_shader="""#version 330
in vec2 in_pos;
in vec3 in_color;
out vec3 color;
void main() { color = in_color; gl_Position = vec4(in_pos, 0.0, 1.0); }
""", fragment_shader="""#version 330
in vec3 color;
out vec4 f;
void main() { f = vec4(color, 1.0); }
""")
# Three triangles: left red, right green, top blue.
vertices = ctx.buffer(struct.pack(
    "45f",
    -1.0, -1.0, 1, 0, 0, -0.2, -1.0, 1, 0, 0, -0.6, 0.0, 1, 0, 0,
    0.2, -1.0, 0, 1, 0, 1.0, -1.0, 0, 1, 0, 0.6, 0.0, 0, 1, 0,
    -0.4, 0.2, 0, 0, 1, 0.4, 0.2, 0, 0, 1, 0.0, 1.0, 0, 0, 1))
vao = ctx.vertex_array(prog, [(vertices, "2f 3f", "in_pos", "in_color")])
# Commands: (count, instances, first, base instance), 20 bytes apart as ModernGL reads them.
commands = ctx.buffer(struct.pack("15I", 3, 1, 0, 0, 0, 3, 1, 3, 0, 0, 3, 1, 6, 0, 0))


def frame(draw):
    fbo.clear(0.0, 0.0, 0.0, 1.0)
    draw()
    fbo.read(components=4)


frame(lambda: vao.render_indirect(commands))
frame(lambda: vao.render_indirect(commands, count=1, first=1))
frame(lambda: vao.render_indirect(commands, moderngl.POINTS, first=2))
commands.write(struct.pack("I", 0), offset=20)  # the second command draws nothing
frame(lambda: vao.render_indirect(commands))

# Indexed: (count, instances, first index, base vertex, base instance).
index = ctx.buffer(struct.pack("3I", 0, 1, 2))
indexed = ctx.vertex_array(prog, [(vertices, "2f 3f", "in_pos", "in_color")], index)
elements = ctx.buffer(struct.pack("10I", 3, 1, 0, 3, 0, 3, 1, 0, 6, 0))
frame(lambda: indexed.render_indirect(elements))

# Commands written on the GPU: one draw of the triangle a uniform picks.
writer = ctx.compute_shader("""#version 450
layout(local_size_x = 1) in;
layout(std430, binding = 0) buffer Commands { uint command[8]; };
uniform uint pick;
void main() { command[0] = 3u; command[1] = 1u; command[2] = pick * 3u; command[3] = 0u; }
""")
gpu = ctx.buffer(reserve=32)  # one command; GL sizes the block at 32 bytes
gpu.bind_to_storage_buffer(0)
writer["pick"] = 2
writer.run()
ctx.memory_barrier(moderngl.COMMAND_BARRIER_BIT)
frame(lambda: vao.render_indirect(gpu))
gpu.read()
