//! Pipeline-state checks: the float values GL would refuse (or could not use) and the
//! per-framebuffer state (scissor, color and depth masks).

use super::{check_rect_sides, gl_int, ValidationError, Validator};
use crate::command::{Float, Rect};
use crate::ids::FramebufferId;

/// Checks that `value` is finite (GL takes any float, but an infinite or NaN offset has no
/// defined result).
pub(super) fn finite(what: &'static str, value: Float) -> Result<(), ValidationError> {
    if value.0.is_finite() {
        return Ok(());
    }
    Err(ValidationError::BadValue {
        what,
        must: "finite",
        value,
    })
}

/// Checks that a size is finite and above 0 (GL_INVALID_VALUE otherwise).
pub(super) fn size(what: &'static str, value: Float) -> Result<(), ValidationError> {
    if value.0.is_finite() && value.0 > 0.0 {
        return Ok(());
    }
    Err(ValidationError::BadValue {
        what,
        must: "finite and above 0",
        value,
    })
}

impl Validator {
    /// Checks a scissor: a live framebuffer, sides that fit GL's `GLsizei` and edges that
    /// fit `GLint` (drivers compute them in it).
    pub(super) fn scissor(
        &self,
        framebuffer: FramebufferId,
        rect: Option<Rect>,
    ) -> Result<(), ValidationError> {
        self.check_framebuffer(framebuffer)?;
        let Some(rect) = rect else {
            return Ok(());
        };
        check_rect_sides("scissor side", rect)?;
        for (what, start, side) in [
            ("scissor right edge", rect.x, rect.width),
            ("scissor top edge", rect.y, rect.height),
        ] {
            // A negative edge is within range; only one past i32::MAX can overflow.
            let edge = u64::try_from(i64::from(start) + i64::from(side)).unwrap_or(0);
            gl_int(what, "GLint", edge)?;
        }
        Ok(())
    }

    /// Checks a color mask: a live framebuffer that has the attachment.
    pub(super) fn color_mask(
        &self,
        framebuffer: FramebufferId,
        attachment: u8,
    ) -> Result<(), ValidationError> {
        let count = self.framebuffer(framebuffer)?.color.len();
        if usize::from(attachment) >= count {
            return Err(ValidationError::NoSuchAttachment {
                framebuffer,
                attachment,
                count,
            });
        }
        Ok(())
    }
}
