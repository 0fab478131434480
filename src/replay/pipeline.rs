//! Pipeline state that belongs to no object: capabilities and primitive restart, and the
//! values every replay starts from.

use super::gl_enum;
use crate::command::Capability;
use crate::gl::{self, Gl};

/// The primitive restart index ModernGL's contexts start with.
const MODERNGL_RESTART_INDEX: u32 = u32::MAX;

/// glEnable or glDisable.
pub(super) fn set_capability(gl: &Gl, capability: Capability, enabled: bool) {
    let capability = gl_enum::capability(capability);
    // SAFETY: a valid capability enum.
    unsafe {
        if enabled {
            gl.Enable(capability);
        } else {
            gl.Disable(capability);
        }
    }
}

/// Turns primitive restart on at `index`, or off.
pub(super) fn set_primitive_restart(gl: &Gl, index: Option<u32>) {
    // SAFETY: a valid capability enum; any index value is legal.
    unsafe {
        match index {
            Some(index) => {
                gl.Enable(gl::PRIMITIVE_RESTART);
                gl.PrimitiveRestartIndex(index);
            }
            None => gl.Disable(gl::PRIMITIVE_RESTART),
        }
    }
}

/// Puts the pipeline state a list may change back to where every replay starts, as ModernGL
/// creates a context: capabilities off, blending (when enabled) as SRC_ALPHA /
/// ONE_MINUS_SRC_ALPHA, depth test LESS, primitive restart at 0xFFFFFFFF, tight pixel packing.
pub(super) fn reset(gl: &Gl) {
    // SAFETY: plain state changes with valid enums.
    unsafe {
        gl.UseProgram(0);
        gl.BindVertexArray(0);
        for capability in [gl::DEPTH_TEST, gl::CULL_FACE, gl::BLEND, gl::SCISSOR_TEST] {
            gl.Disable(capability);
        }
        gl.DepthFunc(gl::LESS);
        gl.BlendFunc(gl::SRC_ALPHA, gl::ONE_MINUS_SRC_ALPHA);
        gl.PixelStorei(gl::PACK_ALIGNMENT, 1);
        gl.PixelStorei(gl::UNPACK_ALIGNMENT, 1);
    }
    set_primitive_restart(gl, Some(MODERNGL_RESTART_INDEX));
}
