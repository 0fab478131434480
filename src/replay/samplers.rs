//! GL sampler objects of one replay: the id -> name table and the calls for each command.

use super::gl_enum::{self, ParameterValue};
use super::Fault;
use crate::command::TextureParameter;
use crate::gl::{self, types::*, Gl};
use crate::ids::SamplerId;

/// Sampler names by dense [`SamplerId`]; name 0 marks a released one.
#[derive(Default)]
pub(super) struct SamplerTable {
    samplers: Vec<GLuint>,
}

impl SamplerTable {
    /// The GL name of a live sampler.
    pub(super) fn name(&self, sampler: SamplerId) -> Result<GLuint, Fault> {
        match self.samplers.get(sampler.index()) {
            Some(&name) if name != 0 => Ok(name),
            _ => Err(Fault::Missing("sampler")),
        }
    }

    /// Live GL samplers.
    pub(super) fn live(&self) -> usize {
        self.samplers.iter().filter(|&&name| name != 0).count()
    }

    /// Creates the next sampler with ModernGL's defaults: GL's, but linear filtering.
    pub(super) fn create(&mut self, gl: &Gl, sampler: SamplerId) -> Result<(), Fault> {
        if sampler.index() != self.samplers.len() {
            return Err(Fault::Corrupt("sampler created out of order"));
        }
        let mut name = 0;
        // SAFETY: `name` is valid for one GLuint; valid enums.
        unsafe {
            gl.CreateSamplers(1, &mut name);
            gl.SamplerParameteri(name, gl::TEXTURE_MIN_FILTER, gl::LINEAR as GLint);
            gl.SamplerParameteri(name, gl::TEXTURE_MAG_FILTER, gl::LINEAR as GLint);
        }
        self.samplers.push(name);
        Ok(())
    }

    /// Sets one property, with ModernGL's calls.
    pub(super) fn set_parameter(
        &self,
        gl: &Gl,
        sampler: SamplerId,
        parameter: &TextureParameter,
        max_anisotropy: f32,
    ) -> Result<(), Fault> {
        let name = self.name(sampler)?;
        for (pname, value) in gl_enum::texture_parameter(parameter, max_anisotropy) {
            // SAFETY: a live sampler; a sampler property (validated), valid enums.
            unsafe {
                match value {
                    ParameterValue::Int(value) => gl.SamplerParameteri(name, pname, value),
                    ParameterValue::Float(value) => gl.SamplerParameterf(name, pname, value),
                    ParameterValue::Color(color) => {
                        gl.SamplerParameterfv(name, pname, color.as_ptr());
                    }
                }
            }
        }
        Ok(())
    }

    /// Deletes a sampler; returns its name (GL unbinds it from every unit).
    pub(super) fn release(&mut self, gl: &Gl, sampler: SamplerId) -> Result<GLuint, Fault> {
        let name = self.name(sampler)?;
        if let Some(slot) = self.samplers.get_mut(sampler.index()) {
            *slot = 0;
        }
        // SAFETY: a live sampler of this context.
        unsafe { gl.DeleteSamplers(1, &name) };
        Ok(name)
    }

    /// Deletes every live sampler.
    pub(super) fn delete_all(&mut self, gl: &Gl) {
        for name in self.samplers.drain(..).filter(|&name| name != 0) {
            // SAFETY: a live sampler of this context.
            unsafe { gl.DeleteSamplers(1, &name) };
        }
    }
}
