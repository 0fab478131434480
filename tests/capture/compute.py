"""Compute shaders: a run over storage buffers with uniforms and a storage block binding set
by name, a run over work group counts a buffer holds, an image written through
`bind_to_image` and read as a texture and by a draw, memory barriers, release."""
import struct

import moderngl

ctx = moderngl.create_standalone_context(require=450, backend="egl")

# Each invocation squares its value and adds it to a total.
squares = ctx.compute_shader("""#version 450
layout(local_size_x = 4) in;
layout(std430, binding = 0) buffer Values { uint values[]; };
layout(std430) buffer Total { uint total; };
uniform uint offset;
void main() {
    uint i = gl_GlobalInvocationID.x;
    values[i] = values[i] * values[i] + offset;
    atomicAdd(total, values[i]);
}
""")
values = ctx.buffer(struct.pack("8I", *range(1, 9)))
total = ctx.buffer(reserve=16)  # GL sizes the block at 16 bytes on llvmpipe
values.bind_to_storage_buffer(0)
squares["Total"].binding = 3
total.bind_to_storage_buffer(3)
squares["offset"] = 1
squares.run(2)
ctx.memory_barrier(moderngl.SHADER_STORAGE_BARRIER_BIT)
values.read()
total.read(size=4)
groups = ctx.buffer(struct.pack("3I", 1, 1, 1))
squares["offset"].value = 0
squares.run_indirect(groups)
ctx.memory_barrier()
values.read(size=16)
total.read(size=4)

# An image: each texel gets its coordinates.
image = ctx.texture((4, 4), 4, dtype="f4")
fill = ctx.compute_shader("""#version 450
layout(local_size_x = 2, local_size_y = 2) in;
layout(rgba32f) uniform writeonly image2D dst;
uniform float scale;
void main() {
    ivec2 p = ivec2(gl_GlobalInvocationID.xy);
    imageStore(dst, p, vec4(vec2(p) * scale, 0.5, 1.0));
}
""")
fill["scale"] = 0.25
image.bind_to_image(1, read=False, write=True)
fill["dst"] = 1
fill.run(2, 2, 1)
ctx.memory_barrier(moderngl.TEXTURE_UPDATE_BARRIER_BIT | moderngl.TEXTURE_FETCH_BARRIER_BIT)
image.read()

# The image sampled by a draw.
fbo = ctx.simple_framebuffer((4, 4))
fbo.use()
show = ctx.program(vertex_shader="""#version 330
out vec2 uv;
void main() {
    vec2 p = vec2(gl_VertexID & 1, gl_VertexID >> 1);
    uv = p;
    gl_Position = vec4(p * 2.0 - 1.0, 0.0, 1.0);
}
""", fragment_shader="""#version 330
uniform sampler2D tex;
in vec2 uv;
out vec4 color;
void main() { color = texture(tex, uv); }
""")
image.filter = (moderngl.NEAREST, moderngl.NEAREST)
image.use(0)
ctx.vertex_array(show, []).render(moderngl.TRIANGLE_STRIP, vertices=4)
fbo.read(components=4)

# Read-write access to an image of integers, by format, at the unit its declaration gives
# (ModernGL sets no uniform of a uimage2D).
counts = ctx.texture((2, 2), 1, struct.pack("4I", 1, 2, 3, 4), dtype="u4")
double = ctx.compute_shader("""#version 450
layout(local_size_x = 2, local_size_y = 2) in;
layout(r32ui, binding = 2) uniform uimage2D img;
void main() {
    ivec2 p = ivec2(gl_GlobalInvocationID.xy);
    imageStore(img, p, imageLoad(img, p) * 2u);
}
""")
counts.bind_to_image(2, format=0x8236)  # GL_R32UI
double.run()
ctx.memory_barrier(moderngl.ALL_BARRIER_BITS, by_region=False)
counts.read()
double.release()
