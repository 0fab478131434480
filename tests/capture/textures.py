"""Textures: every constructor, writes (bytes, a viewport, a level, padded rows, from a
buffer), reads (whole, of a level, with padded rows, read_into at an offset, each face of a
cube map), mipmaps, sampling in draws as the properties change (filter, repeat, swizzle,
anisotropy, a depth comparison) and release."""
import struct

import moderngl

ctx = moderngl.create_standalone_context(require=450, backend="egl")
fbo = ctx.simple_framebuffer((8, 8))
fbo.use()

# Rows of 9 bytes padded to 12: the padding of a read is undefined in ModernGL and zero in
# gltape, so the capture hashes it as zero.
rgb = ctx.texture((3, 2), 3, bytes(range(24)), alignment=4)
rgb.read(alignment=4)
rgb.write(b"\xff\x00\x80", viewport=(1, 1, 1, 1))
into = bytearray(40)
rgb.read_into(into, write_offset=3)

tex = ctx.texture((4, 4), 4, bytes(range(64)))
tex.build_mipmaps()
tex.read(1)
tex.write(b"\x10\x20\x30\x40" * 2, viewport=(0, 1, 2, 1), level=1)
tex.read(level=1, alignment=8)
pixels = ctx.buffer(bytes(range(255, 191, -1)))
tex.write(pixels)
tex.read()

array = ctx.texture_array((2, 2, 3), 2, bytes(range(24)))
array.write(b"\x11" * 8, viewport=(0, 0, 1, 2, 2, 1))
array.read()
volume = ctx.texture3d((2, 2, 2), 1, struct.pack("8f", *range(8)), dtype="f4")
volume.write(struct.pack("2f", 9, 10), viewport=(0, 1, 1, 2, 1, 1))
volume.read()
cube = ctx.texture_cube((2, 2), 4, bytes(range(96)))
cube.write(3, b"\xaa" * 16)
cube.write(5, b"\x55" * 4, viewport=(1, 1, 1, 1))
for face in range(6):
    cube.read(face)
depth = ctx.depth_texture((4, 4), struct.pack("16f", *[i / 16 for i in range(16)]))
depth.read()

# A full-screen strip whose coordinates run from -0.5 to 1.5: repeat and clamping show.
VERTEX = """#version 330
out vec2 uv;
void main() {
    vec2 p = vec2(gl_VertexID & 1, gl_VertexID >> 1);
    uv = p * 2.0 - 0.5;
    gl_Position = vec4(p * 2.0 - 1.0, 0.0, 1.0);
}
"""
sampled = ctx.program(vertex_shader=VERTEX, fragment_shader="""#version 330
uniform sampler2D tex;
in vec2 uv;
out vec4 color;
void main() { color = texture(tex, uv); }
""")
sampled["tex"] = 2
draw = ctx.vertex_array(sampled, [])
tex.use(2)
draw.render(moderngl.TRIANGLE_STRIP, vertices=4)
fbo.read(components=4)
tex.filter = (moderngl.NEAREST, moderngl.NEAREST)
tex.repeat_x = False
tex.swizzle = "BGRA"
tex.anisotropy = 4.0
draw.render(moderngl.TRIANGLE_STRIP, vertices=4)
fbo.read(components=4)
tex.repeat_y = False
tex.filter = (moderngl.LINEAR_MIPMAP_LINEAR, moderngl.LINEAR)
draw.render(moderngl.TRIANGLE_STRIP, vertices=4)
fbo.read(components=4)

shadow = ctx.program(vertex_shader=VERTEX, fragment_shader="""#version 330
uniform sampler2DShadow tex;
in vec2 uv;
out vec4 color;
void main() { color = vec4(texture(tex, vec3(uv, 0.4))); }
""")
shadow["tex"].value = 3
depth.use(3)
depth.filter = (moderngl.NEAREST, moderngl.NEAREST)
depth.compare_func = ">="
ctx.vertex_array(shadow, []).render(moderngl.TRIANGLE_STRIP, vertices=4)
fbo.read(components=4)
depth.compare_func = ""  # no comparison
rgb.release()
tex.release()
cube.read(0)
