//! GL renderbuffers of one replay (ModernGL's `ctx.renderbuffer` and
//! `ctx.depth_renderbuffer`): created zeroed, attached to framebuffers, released.

use super::{gl_enum, Fault};
use crate::command::{PixelType, ValidationError};
use crate::gl::{self, types::*, Gl};
use crate::ids::RenderbufferId;

/// A renderbuffer: its GL name, size and what it stores.
pub(super) struct GlRenderbuffer {
    pub name: GLuint,
    pub width: u32,
    pub height: u32,
    /// Samples per pixel, 0 when not multisampled.
    pub samples: u8,
    /// What each component stores, or None for depth.
    pub color: Option<PixelType>,
    live: bool,
}

/// Renderbuffers by dense [`RenderbufferId`].
#[derive(Default)]
pub(super) struct RenderbufferTable {
    renderbuffers: Vec<GlRenderbuffer>,
}

impl RenderbufferTable {
    /// Creates the next renderbuffer: `width` x `height` pixels of `samples` samples (0: not
    /// multisampled), holding `color` (components and dtype, in ModernGL's internal format)
    /// or 24-bit depth when it is None. Its storage is zeroed (GL leaves it undefined), by
    /// clears the caller lets through (no scissor, draw buffer 0's and depth's masks open,
    /// no rasterizer discard).
    ///
    /// A sample count over the context's limit (`GL_MAX_INTEGER_SAMPLES` for integer
    /// formats, which GL guarantees only as 1) is an error before any GL object is made; a
    /// format GL cannot render to is [`Fault::Incomplete`].
    pub(super) fn create(
        &mut self,
        gl: &Gl,
        width: u32,
        height: u32,
        samples: u8,
        color: Option<(u8, PixelType)>,
    ) -> Result<(), Fault> {
        let integer = color.is_some_and(|(_, dtype)| dtype.is_integer());
        if samples > 0 {
            let max = max_samples(gl, integer);
            if samples > max {
                let error = ValidationError::Samples {
                    samples,
                    max,
                    integer,
                };
                return Err(Fault::Invalid(error));
            }
        }
        let format = match color {
            Some((components, dtype)) => gl_enum::internal_format(components, dtype),
            None => gl::DEPTH_COMPONENT24,
        };
        let mut name = 0;
        // SAFETY: one GLuint out; the sides were validated (1..=16384) and the sample count
        // checked against the context's limit just above.
        unsafe {
            gl.CreateRenderbuffers(1, &mut name);
            gl.NamedRenderbufferStorageMultisample(
                name,
                GLsizei::from(samples),
                format,
                width as GLsizei,
                height as GLsizei,
            );
        }
        self.renderbuffers.push(GlRenderbuffer {
            name,
            width,
            height,
            samples,
            color: color.map(|(_, dtype)| dtype),
            live: true,
        });
        zero(gl, name, color.map(|(_, dtype)| dtype))
    }

    /// A live renderbuffer.
    pub(super) fn get(&self, renderbuffer: RenderbufferId) -> Result<&GlRenderbuffer, Fault> {
        match self.renderbuffers.get(renderbuffer.index()) {
            Some(r) if r.live => Ok(r),
            _ => Err(Fault::Missing("renderbuffer")),
        }
    }

    /// Deletes a renderbuffer's name. GL keeps its storage while framebuffers hold it
    /// attached, as long as none of them is bound at this moment (the caller sees to it):
    /// GL detaches a deleted renderbuffer from the bound framebuffers only.
    pub(super) fn release(&mut self, gl: &Gl, renderbuffer: RenderbufferId) -> Result<(), Fault> {
        self.get(renderbuffer)?;
        if let Some(target) = self.renderbuffers.get_mut(renderbuffer.index()) {
            delete(gl, target);
        }
        Ok(())
    }

    /// Deletes every renderbuffer.
    pub(super) fn delete_all(&mut self, gl: &Gl) {
        for target in &mut self.renderbuffers {
            delete(gl, target);
        }
        self.renderbuffers.clear();
    }

    /// Live GL renderbuffers.
    pub(super) fn live(&self) -> usize {
        self.renderbuffers.iter().filter(|r| r.live).count()
    }
}

/// The context's most samples per pixel for a renderbuffer of an integer format or not.
fn max_samples(gl: &Gl, integer: bool) -> u8 {
    let mut max = 0;
    let name = match integer {
        true => gl::MAX_INTEGER_SAMPLES,
        false => gl::MAX_SAMPLES,
    };
    // SAFETY: both limits are one GLint.
    unsafe { gl.GetIntegerv(name, &mut max) };
    u8::try_from(max.max(0)).unwrap_or(u8::MAX)
}

/// Zeroes renderbuffer `name` (holding `color`, or depth) through a framebuffer made for the
/// purpose; [`Fault::Incomplete`] when GL cannot render to it.
fn zero(gl: &Gl, name: GLuint, color: Option<PixelType>) -> Result<(), Fault> {
    let attachment = match color {
        Some(_) => gl::COLOR_ATTACHMENT0,
        None => gl::DEPTH_ATTACHMENT,
    };
    let mut framebuffer = 0;
    // SAFETY: one GLuint out; `name` is a renderbuffer with storage; the clear values are
    // four components of the type each clear call reads, and draw buffer 0 is the color
    // attachment (a new framebuffer's default); the framebuffer is deleted before returning.
    let status = unsafe {
        gl.CreateFramebuffers(1, &mut framebuffer);
        gl.NamedFramebufferRenderbuffer(framebuffer, attachment, gl::RENDERBUFFER, name);
        if color.is_none() {
            gl.NamedFramebufferDrawBuffer(framebuffer, gl::NONE);
            gl.NamedFramebufferReadBuffer(framebuffer, gl::NONE);
        }
        let status = gl.CheckNamedFramebufferStatus(framebuffer, gl::FRAMEBUFFER);
        if status == gl::FRAMEBUFFER_COMPLETE {
            match color {
                Some(dtype) => {
                    super::framebuffers::clear_color(gl, framebuffer, 0, dtype, [0.0; 4])
                }
                None => gl.ClearNamedFramebufferfv(framebuffer, gl::DEPTH, 0, &0.0),
            }
        }
        gl.DeleteFramebuffers(1, &framebuffer);
        status
    };
    match status {
        gl::FRAMEBUFFER_COMPLETE => Ok(()),
        status => Err(Fault::Incomplete { status }),
    }
}

/// Deletes a live renderbuffer's name.
fn delete(gl: &Gl, target: &mut GlRenderbuffer) {
    if !target.live {
        return;
    }
    // SAFETY: a live renderbuffer of this context.
    unsafe { gl.DeleteRenderbuffers(1, &target.name) };
    target.live = false;
}
