//! Renderbuffer checks: size, components, samples (how long their storage lives while
//! attached: `attachment.rs`).

use super::attachment::Held;
use super::error::{MAX_FRAMEBUFFER_SIDE, MAX_SAMPLES};
use super::limits::DEPTH_BYTES_PER_PIXEL;
use super::{RenderbufferState, ValidationError, Validator};
use crate::command::PixelType;
use crate::ids::RenderbufferId;

/// Checks a sample count: 0 (not multisampled) or a power of two up to GL 4.5's guaranteed
/// [`MAX_SAMPLES`] (ModernGL asks for a power of two up to the context's limit).
fn check_samples(samples: u8) -> Result<(), ValidationError> {
    if samples <= MAX_SAMPLES && (samples == 0 || samples.is_power_of_two()) {
        return Ok(());
    }
    Err(ValidationError::Samples {
        samples,
        max: MAX_SAMPLES,
        integer: false,
    })
}

impl Validator {
    /// Checks a renderbuffer of `width` x `height` pixels with `samples` samples, holding
    /// `color` (components and dtype) or depth when it is None, and defines the next one.
    pub(super) fn create_renderbuffer(
        &mut self,
        width: u32,
        height: u32,
        samples: u8,
        color: Option<(u8, PixelType)>,
    ) -> Result<RenderbufferId, ValidationError> {
        let side = 1..=MAX_FRAMEBUFFER_SIDE;
        if !side.contains(&width) || !side.contains(&height) {
            return Err(ValidationError::RenderbufferSize { width, height });
        }
        let per_sample = match color {
            Some((components, dtype)) => {
                if !(1..=4).contains(&components) {
                    return Err(ValidationError::RenderbufferComponents { components });
                }
                u64::from(components) * dtype.size()
            }
            None => DEPTH_BYTES_PER_PIXEL,
        };
        check_samples(samples)?;
        let id = self.renderbuffers.next_id()?;
        // Sides of at most 2^14, at most 4 samples of 16 bytes: no overflow.
        let bytes = u64::from(width) * u64::from(height) * u64::from(samples.max(1)) * per_sample;
        self.renderbuffers.push(RenderbufferState {
            width,
            height,
            samples,
            color: color.map(|(_, dtype)| dtype),
            bytes,
            attached: 0,
        });
        self.counters.live_bytes = self.counters.live_bytes.saturating_add(bytes);
        Ok(RenderbufferId(id))
    }

    /// The state of a live renderbuffer.
    pub(super) fn renderbuffer(
        &self,
        renderbuffer: RenderbufferId,
    ) -> Result<&RenderbufferState, ValidationError> {
        self.renderbuffers.get(renderbuffer.0)
    }
}

impl Held for RenderbufferState {
    fn attached(&mut self) -> &mut u32 {
        &mut self.attached
    }

    fn bytes(&self) -> u64 {
        self.bytes
    }
}
