//! Framebuffer checks: sizes, attachments, pixel rectangles.

use super::error::MAX_FRAMEBUFFER_SIDE;
use super::{FramebufferState, ValidationError, Validator};
use crate::command::{FramebufferDesc, Rect};
use crate::ids::{FramebufferId, ReadbackId};

impl Validator {
    /// The tracked state of a live framebuffer.
    pub(super) fn framebuffer(
        &self,
        framebuffer: FramebufferId,
    ) -> Result<&FramebufferState, ValidationError> {
        self.framebuffers.get(framebuffer.0)
    }

    /// Checks that `framebuffer` is live (the screen always is).
    pub fn check_framebuffer(&self, framebuffer: FramebufferId) -> Result<(), ValidationError> {
        self.framebuffer(framebuffer).map(drop)
    }

    /// Checks a framebuffer layout and defines the next framebuffer.
    pub fn create_framebuffer(
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
        self.framebuffers.push(FramebufferState {
            size: Some((desc.width, desc.height)),
            color: desc.color.clone(),
        });
        Ok(FramebufferId(id))
    }

    /// Checks a pixel read and hands out the next readback id. Rectangles on the screen are
    /// checked at replay, where its size is known.
    pub fn read_pixels(
        &mut self,
        framebuffer: FramebufferId,
        viewport: Option<Rect>,
        components: u8,
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
        if let (Some(rect), Some((width, height))) = (viewport, state.size) {
            check_rect(framebuffer, rect, width, height)?;
        }
        self.next_readback()
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
