"""Samplers: made with properties, changed, used over a texture's own properties, with a
texture of their own (`ctx.sampler(texture=...)`, `sampler.texture = ...`), cleared from a
unit; border colors, LOD limits and a depth comparison through a sampler; release."""
import struct

import moderngl

ctx = moderngl.create_standalone_context(require=450, backend="egl")
fbo = ctx.simple_framebuffer((8, 8))
fbo.use()

# A full-screen strip whose coordinates run from -0.5 to 1.5: wrapping shows.
VERTEX = """#version 330
out vec2 uv;
void main() {
    vec2 p = vec2(gl_VertexID & 1, gl_VertexID >> 1);
    uv = p * 2.0 - 0.5;
    gl_Position = vec4(p * 2.0 - 1.0, 0.0, 1.0);
}
"""
prog = ctx.program(vertex_shader=VERTEX, fragment_shader="""#version 330
uniform sampler2D tex;
in vec2 uv;
out vec4 color;
void main() { color = texture(tex, uv); }
""")
prog["tex"] = 1
draw = ctx.vertex_array(prog, [])


def frame():
    fbo.clear()
    draw.render(moderngl.TRIANGLE_STRIP, vertices=4)
    fbo.read(components=4)


tex = ctx.texture((4, 4), 4, bytes(range(0, 256, 4)))
tex.build_mipmaps()
tex.filter = (moderngl.NEAREST, moderngl.NEAREST)
tex.use(1)
frame()
sampler = ctx.sampler(repeat_x=False, filter=(moderngl.LINEAR, moderngl.NEAREST),
                      border_color=(1.0, 0.0, 1.0, 1.0))
sampler.use(1)
frame()
sampler.repeat_y = False
sampler.filter = (moderngl.NEAREST_MIPMAP_NEAREST, moderngl.NEAREST)
sampler.min_lod = 1.0
sampler.max_lod = 1.0
frame()
sampler.clear(1)
frame()
other = ctx.texture((2, 2), 4, bytes([255, 0, 0, 255, 0, 255, 0, 255] * 2))
own = ctx.sampler(texture=other, anisotropy=8.0, repeat_z=False)
own.use(1)
frame()
own.texture = tex
own.use(1)
frame()

depth = ctx.depth_texture((2, 2), struct.pack("4f", 0.1, 0.3, 0.6, 0.9))
shadow = ctx.program(vertex_shader=VERTEX, fragment_shader="""#version 330
uniform sampler2DShadow tex;
in vec2 uv;
out vec4 color;
void main() { color = vec4(texture(tex, vec3(uv, 0.5))); }
""")
shadow["tex"] = 4
compare = ctx.sampler(compare_func="<", filter=(moderngl.NEAREST, moderngl.NEAREST))
depth.use(4)
compare.use(4)
fbo.clear()
ctx.vertex_array(shadow, []).render(moderngl.TRIANGLE_STRIP, vertices=4)
fbo.read(components=4)
compare.compare_func = ">="
ctx.vertex_array(shadow, []).render(moderngl.TRIANGLE_STRIP, vertices=4)
fbo.read(components=4)
sampler.release()
own.release()
