//! Framebuffers, following ModernGL's `Context.framebuffer`, `Framebuffer.use`, `.clear`,
//! `.read` and the state each framebuffer keeps and applies when used: `.viewport`,
//! `.scissor`, `.color_mask` and `.depth_mask`.

use super::{entry, Recorder};
use crate::command::{
    ClearDesc, ColorFormat, Command, FramebufferDesc, PixelRead, PixelType, Rect, ValidationError,
};
use crate::ids::{FramebufferId, ReadbackId};

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
    /// `viewport` defaults to the whole framebuffer; `components` is 1 (R) to 4 (RGBA).
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
}
