"""Framebuffers over textures: a color and a depth texture drawn into with the depth test and
read through the framebuffer and as textures (also through `fbo.color_attachments`), then
copied into a smaller texture, sampled by the next draw; a multisample texture resolved by
`copy_framebuffer`; two color textures written at once."""
import struct

import moderngl

ctx = moderngl.create_standalone_context(require=450, backend="egl")
# Two triangles crossing in depth, one red and one green.
triangles = ctx.buffer(struct.pack(
    "18f",
    -1, -1, 0.2, 1, -1, 0.2, 0, 1, 0.8,
    -1, 1, -0.5, 1, 1, -0.5, 0, -1, 0.9))
colors = ctx.program(vertex_shader="""#version 330
in vec3 in_pos;
flat out int index;
void main() { index = gl_VertexID / 3; gl_Position = vec4(in_pos, 1.0); }
""", fragment_shader="""#version 330
flat in int index;
layout(location = 0) out vec4 color;
layout(location = 1) out vec4 second;
void main() {
    color = index == 0 ? vec4(1.0, 0.0, 0.0, 1.0) : vec4(0.0, 1.0, 0.0, 1.0);
    second = vec4(gl_FragCoord.xy / 8.0, 0.25, 1.0);
}
""")
scene = ctx.vertex_array(colors, [(triangles, "3f", "in_pos")])

color = ctx.texture((8, 8), 4)
depth = ctx.depth_texture((8, 8))
fbo = ctx.framebuffer(color, depth)
fbo.use()
ctx.enable(moderngl.DEPTH_TEST)
fbo.clear(0.0, 0.0, 0.3, 1.0, depth=1.0)
scene.render()
fbo.read(components=4)
# A copy into a smaller texture (before the depth read: ModernGL's leaves the framebuffer's
# read buffer so that a copy from it crashes llvmpipe).
copy = ctx.texture((6, 5), 4)
ctx.copy_framebuffer(copy, fbo)
copy.read()
fbo.read(attachment=-1, components=1, dtype="f4")
color.read()
depth.read()
fbo.color_attachments[0].read(0, 4)
fbo.depth_attachment.read()

# The drawn texture sampled into a second framebuffer, half size.
ctx.disable(moderngl.DEPTH_TEST)
small = ctx.framebuffer([ctx.texture((4, 4), 4)])
small.use()
sample = ctx.program(vertex_shader="""#version 330
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
color.use(0)
ctx.vertex_array(sample, []).render(moderngl.TRIANGLE_STRIP, vertices=4)
small.read(components=4)
small.color_attachments[0].read()

# A multisample texture, resolved into a framebuffer of renderbuffers.
multisample = ctx.framebuffer(ctx.texture((8, 8), 4, samples=4))
multisample.use()
multisample.clear(0.0, 0.0, 0.0, 1.0)
scene.render()
resolved = ctx.framebuffer(ctx.renderbuffer((8, 8)))
ctx.copy_framebuffer(resolved, multisample)
resolved.read(components=4)

# Two color textures at once, of bytes and of floats.
both = ctx.framebuffer([ctx.texture((8, 8), 4), ctx.texture((8, 8), 4, dtype="f4")])
both.use()
both.clear(0.5, 0.5, 0.5, 1.0)
scene.render()
both.read(components=4, attachment=1, dtype="f4")
both.color_attachments[0].read()
both.color_attachments[1].read()
