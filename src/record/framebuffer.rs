//! Renderbuffers and framebuffers, following ModernGL's `Context.renderbuffer`,
//! `.depth_renderbuffer`, `.framebuffer`, `.copy_framebuffer`, `Framebuffer.use`, `.clear`,
//! `.read` and the state each framebuffer keeps and applies when used: `.viewport`,
//! `.scissor`, `.color_mask` and `.depth_mask`.

use super::{entry, Recorder};
use crate::command::{
    Attachment, ClearDesc, ColorFormat, Command, CopyTarget, DepthRead, FramebufferAttachments,
    FramebufferDesc, PixelRead, PixelType, Rect, ValidationError,
};
use crate::ids::{FramebufferId, ReadbackId, RenderbufferId};

impl Recorder {
    /// Records an offscreen framebuffer of `width` by `height` pixels with one renderbuffer
    /// per color format and, if `depth`, a depth renderbuffer (ModernGL: `ctx.framebuffer(
    /// [ctx.renderbuffer(size)], ctx.depth_renderbuffer(size))`). Its viewport starts as the
    /// whole framebuffer.
    pub fn framebuffer(
        &mut self,
        width: u32,
        height: u32,
        color: &[ColorFormat],
        depth: bool,
    ) -> Result<FramebufferId, ValidationError> {
        let desc = FramebufferDesc {
            width,
            height,
            color: color.iter().copied().collect(),
            depth,
        };
        self.record(|transaction, validator| {
            let framebuffer = validator.next_framebuffer_id()?;
            let desc = entry(transaction, desc)?;
            Ok((
                Command::CreateFramebuffer { framebuffer, desc },
                framebuffer,
            ))
        })
    }

    /// Records a color renderbuffer of `width` x `height` pixels (ModernGL:
    /// `ctx.renderbuffer((width, height), components, samples, dtype)`): `components` (1 to
    /// 4) of `dtype` each, in ModernGL's internal format for them (`f1`: GL_RGBA8 for 4,
    /// `u2`: GL_RGBA16UI, `ni1`: GL_RGBA8, ...), with `samples` samples per pixel (0: not
    /// multisampled; else 1, 2 or 4, what GL 4.5 guarantees; integer dtypes also at most
    /// the context's `GL_MAX_INTEGER_SAMPLES`, checked at replay). It starts zeroed.
    pub fn renderbuffer(
        &mut self,
        width: u32,
        height: u32,
        components: u8,
        samples: u8,
        dtype: PixelType,
    ) -> Result<RenderbufferId, ValidationError> {
        self.record(|_, validator| {
            let renderbuffer = validator.next_renderbuffer_id()?;
            let command = Command::CreateRenderbuffer {
                renderbuffer,
                width,
                height,
                components,
                samples,
                dtype,
            };
            Ok((command, renderbuffer))
        })
    }

    /// Records a 24-bit depth renderbuffer of `width` x `height` pixels with `samples`
    /// samples per pixel (ModernGL: `ctx.depth_renderbuffer((width, height), samples)`).
    /// It starts zeroed (every depth 0.0).
    pub fn depth_renderbuffer(
        &mut self,
        width: u32,
        height: u32,
        samples: u8,
    ) -> Result<RenderbufferId, ValidationError> {
        self.record(|_, validator| {
            let renderbuffer = validator.next_renderbuffer_id()?;
            let command = Command::CreateDepthRenderbuffer {
                renderbuffer,
                width,
                height,
                samples,
            };
            Ok((command, renderbuffer))
        })
    }

    /// Records a framebuffer over existing images (ModernGL: `ctx.framebuffer(
    /// color_attachments, depth_attachment)`): up to 8 color attachments, in order, and a
    /// depth attachment, at least one of them, all of one size and sample count. Its draw
    /// buffers are the color attachments in order (a draw writes those its fragment shader
    /// writes with values of their kind); its viewport starts as the whole framebuffer.
    ///
    /// An image is a renderbuffer or a texture's level (see [`Attachment::Texture`]): a
    /// `TextureId` converts to level 0 with every layer, as ModernGL attaches a texture
    /// (2D, multisample, depth) or a texture array. Color images go in color attachments,
    /// depth renderbuffers and depth textures in the depth attachment; the size compared is
    /// the level's. Every layer of an array, 3D texture or cube map at once (layered) goes
    /// only with layered images of textures of the same kind, as GL completes framebuffers.
    ///
    /// The images keep their contents, and stay alive while the framebuffer does, even once
    /// released themselves.
    ///
    /// ```
    /// use gltape::command::TextureDesc;
    /// use gltape::{Attachment, Recorder};
    ///
    /// let mut rec = Recorder::new();
    /// let color = rec.texture(TextureDesc::texture(64, 64, 4), None)?;
    /// let depth = rec.texture(TextureDesc::depth(64, 64), None)?;
    /// // ctx.framebuffer([color], depth)
    /// let fbo = rec.framebuffer_from(&[color.into()], Some(depth.into()))?;
    /// // Layer 2 of an array, at level 1 (gltape's own: ModernGL attaches every layer).
    /// let array = rec.texture(TextureDesc::array(8, 8, 4, 4), None)?;
    /// rec.build_mipmaps(array, 0, 1)?;
    /// let layer = Attachment::Texture { texture: array, level: 1, layer: Some(2) };
    /// let small = rec.framebuffer_from(&[layer], None)?;
    /// # Ok::<(), gltape::ValidationError>(())
    /// ```
    pub fn framebuffer_from(
        &mut self,
        color_attachments: &[Attachment],
        depth_attachment: Option<Attachment>,
    ) -> Result<FramebufferId, ValidationError> {
        let desc = FramebufferAttachments {
            color: color_attachments.iter().copied().collect(),
            depth: depth_attachment,
        };
        self.record(|transaction, validator| {
            let framebuffer = validator.next_framebuffer_id()?;
            let attachments = entry(transaction, desc)?;
            let command = Command::CreateFramebufferFrom {
                framebuffer,
                attachments,
            };
            Ok((command, framebuffer))
        })
    }

    /// Copies `src` into `dst` (ModernGL: `ctx.copy_framebuffer(dst, src)`).
    ///
    /// Into a framebuffer ([`CopyTarget::Framebuffer`], from a `FramebufferId`): color
    /// attachment `i` into color attachment `i` and the depth attachment into the depth
    /// attachment, with nearest filtering, over the size both have (from the lower-left
    /// corner); samples of a multisampled source are resolved (averaged). As in ModernGL,
    /// both must have the same number of color attachments, and framebuffers without color
    /// attachments copy nothing (not even depth). Refused as GL would refuse it or leave it
    /// undefined: a float attachment paired with an integer one (or signed with unsigned
    /// integers), two multisampled framebuffers of different sample counts, and a copy from
    /// a framebuffer into itself or between two framebuffers sharing an image.
    ///
    /// Into a texture ([`CopyTarget::Texture`], from a `TextureId`): color attachment 0 of
    /// `src` fills level 0 of a 2D texture from the lower-left corner. ModernGL does it with
    /// glCopyTexImage2D, which redefines level 0 as 8-bit normalized storage of the copied
    /// size; gltape takes the copies where that is the texture's own format and size: a
    /// texture of dtype `f1`, `nu1` or `ni1` without `internal_format`, not multisample
    /// (ModernGL refuses those), from a source that is not multisampled (refused too), has a
    /// color attachment 0 of floats or normalized values, is at least as large as the
    /// texture (the screen's size is checked at replay) and does not hold the texture's
    /// level 0. ModernGL reads the source's read buffer, which is attachment 0 unless an
    /// earlier `fbo.read` of another attachment moved it.
    pub fn copy_framebuffer(
        &mut self,
        dst: impl Into<CopyTarget>,
        src: FramebufferId,
    ) -> Result<(), ValidationError> {
        self.record_plain(Command::CopyFramebuffer {
            dst: dst.into(),
            src,
        })
    }

    /// Makes `framebuffer` (or [`FramebufferId::SCREEN`]) the target of later draws and
    /// applies its viewport, scissor and masks (ModernGL: `fbo.use()`).
    pub fn use_framebuffer(&mut self, framebuffer: FramebufferId) -> Result<(), ValidationError> {
        self.record_plain(Command::UseFramebuffer { framebuffer })
    }

    /// Sets the viewport of `framebuffer` (ModernGL: `fbo.viewport = (x, y, w, h)`); it takes
    /// effect now if the framebuffer is in use, else when it is next used.
    pub fn viewport(
        &mut self,
        framebuffer: FramebufferId,
        rect: Rect,
    ) -> Result<(), ValidationError> {
        self.record_plain(Command::Viewport { framebuffer, rect })
    }

    /// Sets the scissor rectangle of `framebuffer`, or turns it off with None (ModernGL:
    /// `fbo.scissor = (x, y, w, h)`, and `ctx.scissor` for the framebuffer in use). Draws
    /// and clears of the framebuffer touch only pixels inside it; it takes effect now if the
    /// framebuffer is in use, else when it is next used. Off at first.
    pub fn scissor(
        &mut self,
        framebuffer: FramebufferId,
        rect: Option<Rect>,
    ) -> Result<(), ValidationError> {
        self.record_plain(Command::Scissor { framebuffer, rect })
    }

    /// Sets which of red, green, blue and alpha draws and clears write to color attachment
    /// `attachment` of `framebuffer` (ModernGL: `fbo.color_mask = (r, g, b, a)` for
    /// attachment 0, or one mask per attachment). It takes effect now if the framebuffer is
    /// in use, else when it is next used (ModernGL applies a framebuffer's single mask only
    /// at its next `use` or `clear`). All true at first.
    pub fn color_mask(
        &mut self,
        framebuffer: FramebufferId,
        attachment: u8,
        mask: [bool; 4],
    ) -> Result<(), ValidationError> {
        self.record_plain(Command::ColorMask {
            framebuffer,
            attachment,
            mask,
        })
    }

    /// Sets whether draws and clears write the depth attachment of `framebuffer` (ModernGL:
    /// `fbo.depth_mask`). It takes effect now if the framebuffer is in use, else when it is
    /// next used. True at first.
    pub fn depth_mask(
        &mut self,
        framebuffer: FramebufferId,
        enabled: bool,
    ) -> Result<(), ValidationError> {
        self.record_plain(Command::DepthMask {
            framebuffer,
            enabled,
        })
    }

    /// Clears every color attachment to `color` and the depth attachment to `depth`, in
    /// `viewport` only when given, else in the framebuffer's scissor rectangle when it has
    /// one, and only what its color and depth masks let through (ModernGL: `fbo.clear(r, g,
    /// b, a, depth, viewport)`). A clear under
    /// [`Capability::RasterizerDiscard`](crate::Capability::RasterizerDiscard) does nothing,
    /// as in GL.
    ///
    /// An integer attachment gets what ModernGL's clear leaves in it on Mesa: each float's
    /// bits as an integer, saturated to the attachment's range (`f32::from_bits(5)` clears
    /// to 5; `1.0` gives 255 in a `u1` attachment and 0x3F800000 in a `u4` one).
    pub fn clear_framebuffer(
        &mut self,
        framebuffer: FramebufferId,
        color: [f32; 4],
        depth: f32,
        viewport: Option<Rect>,
    ) -> Result<(), ValidationError> {
        let desc = ClearDesc {
            framebuffer,
            color,
            depth,
            viewport,
        };
        self.record(|transaction, _| {
            let clear = entry(transaction, desc)?;
            Ok((Command::ClearFramebuffer { clear }, ()))
        })
    }

    /// Reads pixels of a color attachment into a readback, rows bottom to top, tightly packed
    /// (ModernGL: `fbo.read(viewport, components, attachment, alignment=1, dtype)`).
    ///
    /// `viewport` defaults to the whole framebuffer; `components` is 1 (R) to 4 (RGBA). An
    /// integer attachment (`u*`, `i*` renderbuffers) reads only with an integer dtype and
    /// any other only with a float or normalized one; GL converts between sizes. A
    /// multisampled framebuffer cannot be read: copy it into one without samples first.
    pub fn read_pixels(
        &mut self,
        framebuffer: FramebufferId,
        viewport: Option<Rect>,
        components: u8,
        attachment: u8,
        dtype: PixelType,
    ) -> Result<ReadbackId, ValidationError> {
        self.record(|transaction, validator| {
            let readback = validator.next_readback_id();
            let read = entry(
                transaction,
                PixelRead {
                    framebuffer,
                    readback,
                    viewport,
                    components,
                    dtype,
                    attachment,
                },
            )?;
            Ok((Command::ReadPixels { read }, readback))
        })
    }

    /// Reads the depth attachment into a readback, one `dtype` value per pixel, rows bottom
    /// to top, tightly packed (ModernGL: `fbo.read(viewport, components=1, attachment=-1,
    /// dtype=dtype)`). Depths are in 0..=1: `f4` and `f2` give them as floats, other dtypes
    /// as normalized integers of their size. The screen's depth, when it has one, is read
    /// too; a multisampled framebuffer cannot be read.
    pub fn read_depth(
        &mut self,
        framebuffer: FramebufferId,
        viewport: Option<Rect>,
        dtype: PixelType,
    ) -> Result<ReadbackId, ValidationError> {
        self.record(|transaction, validator| {
            let readback = validator.next_readback_id();
            let read = DepthRead {
                framebuffer,
                readback,
                viewport,
                dtype,
            };
            let read = entry(transaction, read)?;
            Ok((Command::ReadDepth { read }, readback))
        })
    }
}
