//! Framebuffers, following ModernGL's `Context.framebuffer`, `Framebuffer.use`, `.clear`,
//! `.viewport` and `.read`.

use super::{next_index, Recorder};
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
        let index = next_index(&self.list.tables.framebuffers)?;
        let framebuffer = self.validator.create_framebuffer(&desc)?;
        self.list.tables.framebuffers.push(desc);
        self.push(Command::CreateFramebuffer {
            framebuffer,
            desc: index,
        });
        Ok(framebuffer)
    }

    /// Makes `framebuffer` (or [`FramebufferId::SCREEN`]) the target of later draws and
    /// applies its viewport (ModernGL: `fbo.use()`).
    pub fn use_framebuffer(&mut self, framebuffer: FramebufferId) -> Result<(), ValidationError> {
        self.validator.check_framebuffer(framebuffer)?;
        self.push(Command::UseFramebuffer { framebuffer });
        Ok(())
    }

    /// Sets the viewport of `framebuffer` (ModernGL: `fbo.viewport = (x, y, w, h)`); it takes
    /// effect now if the framebuffer is in use, else when it is next used.
    pub fn viewport(
        &mut self,
        framebuffer: FramebufferId,
        rect: Rect,
    ) -> Result<(), ValidationError> {
        self.validator.viewport(framebuffer, rect)?;
        self.push(Command::Viewport { framebuffer, rect });
        Ok(())
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
        let index = next_index(&self.list.tables.clears)?;
        self.validator.clear_framebuffer(framebuffer, viewport)?;
        self.list.tables.clears.push(ClearDesc {
            framebuffer,
            color,
            depth,
            viewport,
        });
        self.push(Command::ClearFramebuffer { clear: index });
        Ok(())
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
        let index = next_index(&self.list.tables.pixel_reads)?;
        let readback =
            self.validator
                .read_pixels(framebuffer, viewport, components, dtype, attachment)?;
        self.list.tables.pixel_reads.push(PixelRead {
            framebuffer,
            readback,
            viewport,
            components,
            dtype,
            attachment,
        });
        self.push(Command::ReadPixels { read: index });
        Ok(readback)
    }
}
