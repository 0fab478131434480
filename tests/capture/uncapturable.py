"""A program using what gltape does not record yet: a texture of an internal format gltape
does not know (and a framebuffer over it), the default framebuffer, raw GL through ctx.mglo,
a clear that leaves its masks in effect, a conditional render ModernGL does not make, a
uniform ModernGL does not set, a texture read into a buffer and a texture unit past GL 4.5's
guarantee. It runs as it does without a capture; the capture lists each
with its file and line."""
import moderngl

ctx = moderngl.create_standalone_context(require=450, backend="egl")
texture = ctx.texture((4, 4), 4, internal_format=0x8058)
fbo = ctx.framebuffer(color_attachments=[texture])
fbo.use()
for _ in range(3):
    fbo.clear(1.0, 0.0, 0.0, 1.0)
texture.read()
ctx.detect_framebuffer()
ctx.mglo
buffer = ctx.buffer(b"\x01\x02\x03\x04")
buffer.read()
shown = ctx.simple_framebuffer((4, 4))
shown.use()
hidden = ctx.simple_framebuffer((4, 4))
hidden.color_mask = (False, False, False, True)
hidden.clear(1.0, 1.0, 1.0, 1.0)
both = ctx.query(samples=True, any_samples=True)
with both.crender:
    pass
images = ctx.compute_shader("#version 450\nlayout(local_size_x = 1) in;\n"
                            "layout(r32ui) uniform uimage2D img;\n"
                            "void main() { imageStore(img, ivec2(0), uvec4(1u)); }\n")
images["img"] = 1
small = ctx.texture((1, 1), 4)
small.read_into(buffer)
small.use(80)
