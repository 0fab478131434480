"""ModernGL's tutorial, unchanged in style: a context, a shader, a buffer, a vertex array, a
triangle rendered into a framebuffer and read back."""
import struct

import moderngl

ctx = moderngl.create_standalone_context(require=450, backend="egl")
prog = ctx.program(
    vertex_shader="""
        #version 330
        in vec2 in_vert;
        in vec3 in_color;
        out vec3 v_color;
        void main() {
            v_color = in_color;
            gl_Position = vec4(in_vert, 0.0, 1.0);
        }
    """,
    fragment_shader="""
        #version 330
        uniform float brightness;
        in vec3 v_color;
        out vec4 f_color;
        void main() {
            f_color = vec4(v_color * brightness, 1.0);
        }
    """,
)
prog["brightness"].value = 0.5
vertices = struct.pack("15f", -0.6, -0.6, 1.0, 0.0, 0.0,
                       0.6, -0.6, 0.0, 1.0, 0.0,
                       0.0, 0.6, 0.0, 0.0, 1.0)
vbo = ctx.buffer(vertices)
vao = ctx.vertex_array(prog, vbo, "in_vert", "in_color")
fbo = ctx.simple_framebuffer((64, 64))
fbo.use()
fbo.clear(0.0, 0.0, 0.0, 1.0)
vao.render(moderngl.TRIANGLES)
pixels = fbo.read(components=3)
assert pixels[3 * (32 * 64 + 32):][:3] != b"\0\0\0", "the triangle covers the centre"
prog["brightness"] = 1.0
ctx.blend_func = moderngl.ONE, moderngl.ONE
ctx.enable(moderngl.BLEND)
vao.render()
fbo.read(components=4)
