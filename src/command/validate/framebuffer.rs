//! Framebuffer checks: sizes, attachments, pixel rectangles.

use super::error::MAX_FRAMEBUFFER_SIDE;
use super::limits::DEPTH_BYTES_PER_PIXEL;
use super::{gl_int, FramebufferState, ValidationError, Validator};
use crate::command::{ColorFormat, FramebufferDesc, PixelType, Rect};
use crate::ids::{FramebufferId, ReadbackId};

/// Bytes of a `width` by `height` pixel read of `components` components of `dtype`, checked
/// to fit GL's `GLsizei` (glReadnPixels takes the buffer size as one).
pub(crate) fn pixel_read_bytes(
    width: u32,
    height: u32,
    components: u8,
    dtype: PixelType,
) -> Result<u64, ValidationError> {
    gl_int("pixel read width", "GLsizei", u64::from(width))?;
    gl_int("pixel read height", "GLsizei", u64::from(height))?;
    // At most (2^31)^2 * 4 * 4 = 2^66: computed in u128, no overflow.
    let bytes =
        u128::from(width) * u128::from(height) * u128::from(components) * u128::from(dtype.size());
    let bytes = u64::try_from(bytes).unwrap_or(u64::MAX);
    gl_int("pixel read bytes", "GLsizei", bytes)?;
    Ok(bytes)
}

/// Checks that a viewport or scissor rectangle's sides fit GL's `GLsizei`.
pub(super) fn check_rect_sides(what: &'static str, rect: Rect) -> Result<(), ValidationError> {
    gl_int(what, "GLsizei", u64::from(rect.width))?;
    gl_int(what, "GLsizei", u64::from(rect.height))
}

impl Validator {
    /// The tracked state of a live framebuffer.
    pub(super) fn framebuffer(
        &self,
        framebuffer: FramebufferId,
    ) -> Result<&FramebufferState, ValidationError> {
        self.framebuffers.get(framebuffer.0)
    }

    /// Checks that `framebuffer` is live (the screen always is).
    pub(super) fn check_framebuffer(
        &self,
        framebuffer: FramebufferId,
    ) -> Result<(), ValidationError> {
        self.framebuffer(framebuffer).map(drop)
    }

    /// Checks a framebuffer layout and defines the next framebuffer.
    pub(super) fn create_framebuffer(
        &mut self,
        desc: &FramebufferDesc,
    ) -> Result<FramebufferId, ValidationError> {
        let side = 1..=MAX_FRAMEBUFFER_SIDE;
        if !side.contains(&desc.width) || !side.contains(&desc.height) {
            return Err(ValidationError::FramebufferSize {
                width: desc.width,
                height: desc.height,
            });
        }
        if desc.color.len() > 8 || (desc.color.is_empty() && !desc.depth) {
            return Err(ValidationError::Attachments {
                color: desc.color.len(),
                depth: desc.depth,
            });
        }
        let id = self.framebuffers.next_id()?;
        let per_pixel: u64 = desc
            .color
            .iter()
            .map(|c| match c {
                ColorFormat::Rgba8 => 4,
                ColorFormat::Rgba32F => 16,
            })
            .sum::<u64>()
            + if desc.depth { DEPTH_BYTES_PER_PIXEL } else { 0 };
        // Sides of at most 2^14 and at most 8 * 16 + 4 bytes a pixel: no overflow.
        let bytes = u64::from(desc.width) * u64::from(desc.height) * per_pixel;
        self.framebuffers.push(FramebufferState {
            size: Some((desc.width, desc.height)),
            color: desc.color.clone(),
            bytes,
        });
        self.counters.live_bytes = self.counters.live_bytes.saturating_add(bytes);
        Ok(FramebufferId(id))
    }

    /// Checks a viewport: a live framebuffer, sides that fit GL's `GLsizei`.
    pub(super) fn viewport(
        &self,
        framebuffer: FramebufferId,
        rect: Rect,
    ) -> Result<(), ValidationError> {
        self.framebuffer(framebuffer)?;
        check_rect_sides("viewport side", rect)
    }

    /// Checks a clear: a live framebuffer, a scissor rectangle whose sides fit `GLsizei`.
    pub(super) fn clear_framebuffer(
        &self,
        framebuffer: FramebufferId,
        viewport: Option<Rect>,
    ) -> Result<(), ValidationError> {
        self.framebuffer(framebuffer)?;
        viewport.map_or(Ok(()), |rect| {
            check_rect_sides("clear rectangle side", rect)
        })
    }

    /// Checks a pixel read and hands out the next readback id. Rectangles on the screen are
    /// checked at replay, where its size is known.
    pub(super) fn read_pixels(
        &mut self,
        framebuffer: FramebufferId,
        viewport: Option<Rect>,
        components: u8,
        dtype: PixelType,
        attachment: u8,
    ) -> Result<ReadbackId, ValidationError> {
        let state = self.framebuffer(framebuffer)?;
        if !(1..=4).contains(&components) {
            return Err(ValidationError::Components { components });
        }
        if usize::from(attachment) >= state.color.len() {
            return Err(ValidationError::NoSuchAttachment {
                framebuffer,
                attachment,
                count: state.color.len(),
            });
        }
        // Color attachments (renderbuffers of `ColorFormat`, the screen's RGBA8) store floats
        // or normalized integers.
        if dtype.is_integer() {
            return Err(ValidationError::ReadDtype {
                framebuffer,
                attachment,
                storage: "float",
                dtype: dtype.name(),
            });
        }
        if let (Some(rect), Some((width, height))) = (viewport, state.size) {
            check_rect(framebuffer, rect, width, height)?;
        }
        // The size read: the rectangle, else the framebuffer (the screen's only when known;
        // replay checks it again once it is).
        let size = viewport
            .map(|rect| (rect.width, rect.height))
            .or(state.size)
            .or(self.screen);
        let bytes = match size {
            Some((width, height)) => Some(pixel_read_bytes(width, height, components, dtype)?),
            None => None,
        };
        let id = self.next_readback()?;
        let c = &mut self.counters;
        match bytes {
            Some(bytes) => c.readback_bytes = c.readback_bytes.saturating_add(bytes),
            None => {
                let per_pixel = u64::from(components) * dtype.size();
                c.screen_read_factor = c.screen_read_factor.saturating_add(per_pixel);
            }
        }
        Ok(id)
    }
}

/// Checks that `rect` lies inside a `width` by `height` framebuffer.
pub(crate) fn check_rect(
    framebuffer: FramebufferId,
    rect: Rect,
    width: u32,
    height: u32,
) -> Result<(), ValidationError> {
    if rect.fits_in(width, height) {
        return Ok(());
    }
    Err(ValidationError::RectOutOfRange {
        framebuffer,
        x: rect.x,
        y: rect.y,
        w: rect.width,
        h: rect.height,
        fw: width,
        fh: height,
    })
}
