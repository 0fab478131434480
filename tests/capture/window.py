"""A moderngl-window program on its headless window (EGL): a WindowConfig draws a triangle
whose color changes per frame into the window's framebuffer, reads it back each frame and
closes the window after four frames. moderngl-window swaps once before its loop and after
each frame but the last (the one that closes): the capture ends 1 + 3 frames."""
import struct

import moderngl
import moderngl_window as mglw

FRAMES = 4


class Triangle(mglw.WindowConfig):
    gl_version = (4, 5)
    window_size = (32, 24)
    clear_color = (0.0, 0.0, 0.0, 1.0)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        assert isinstance(self.ctx, moderngl.Context)
        self.prog = self.ctx.program(
            vertex_shader="#version 330\nin vec2 in_vert;\n"
                          "void main() { gl_Position = vec4(in_vert, 0.0, 1.0); }\n",
            fragment_shader="#version 330\nuniform vec4 color;\nout vec4 f;\n"
                            "void main() { f = color; }\n")
        self.rendered = 0
        vbo = self.ctx.buffer(struct.pack("6f", -0.8, -0.8, 0.8, -0.8, 0.0, 0.8))
        self.vao = self.ctx.vertex_array(self.prog, [(vbo, "2f", "in_vert")])

    def on_render(self, time, frametime):
        frame = self.rendered
        self.rendered += 1
        self.prog["color"].value = (frame / FRAMES, 1.0 - frame / FRAMES, 0.5, 1.0)
        self.vao.render()
        self.wnd.fbo.read(components=4)
        if self.rendered == FRAMES:
            self.wnd.close()


if __name__ == "__main__":
    mglw.run_window_config(Triangle, args=["--window", "headless", "--backend", "egl",
                                           "--size", "32x24"])
