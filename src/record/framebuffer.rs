//! Framebuffers, following ModernGL's `Context.framebuffer`, `Framebuffer.use`, `.clear`,
//! `.viewport` and `.read`.

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
    /// applies its viewport (ModernGL: `fbo.use()`).
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

    /// Clears every color attachment to `color` and the depth attachment to `depth`, in
    /// `viewport` only when given (ModernGL: `fbo.clear(r, g, b, a, depth, viewport)`).
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
