//! Compute shader, indirect draw, image unit and memory barrier checks.

use super::draw::check_text;
use super::indirect::{
    check_dispatch_command, check_draw_commands, check_groups, draw_commands_range,
    DISPATCH_COMMAND_BYTES, GUARANTEED_GROUPS,
};
use super::{shader_limits, BufferOp, ProgramState, ValidationError, Validator};
use crate::command::{Barriers, ComputeShaderDesc, ImageFormat, MAX_IMAGE_UNITS};
use crate::ids::{BufferId, ProgramId, TextureId, VertexArrayId};

impl Validator {
    /// Checks a compute shader's source and defines the next program.
    pub(super) fn create_compute_shader(
        &mut self,
        desc: &ComputeShaderDesc,
    ) -> Result<ProgramId, ValidationError> {
        check_text("compute shader", &desc.source)?;
        // Bounds that keep the driver's compiler within its stack (docs/hardening.md).
        shader_limits::check_source("compute", &desc.source)?;
        let id = self.programs.next_id()?;
        self.programs.push(ProgramState {
            compute: true,
            ..ProgramState::default()
        });
        Ok(ProgramId(id))
    }

    /// Checks that `program` is a live program of the kind a call needs: a compute shader
    /// (`compute`), or one with a vertex stage.
    pub(super) fn check_program_kind(
        &self,
        program: ProgramId,
        compute: bool,
    ) -> Result<(), ValidationError> {
        let state = self.programs.get(program.0)?;
        if state.compute != compute {
            return Err(ValidationError::ProgramKind {
                program,
                compute: state.compute,
            });
        }
        Ok(())
    }

    /// Checks a compute shader run of `groups` work groups and counts them as work.
    pub(super) fn run_compute(
        &mut self,
        program: ProgramId,
        groups: [u32; 3],
    ) -> Result<(), ValidationError> {
        self.check_program_kind(program, true)?;
        let work = check_groups(groups, GUARANTEED_GROUPS)?;
        self.count_work(work);
        Ok(())
    }

    /// Checks an indirect compute shader run: its counts lie inside the buffer at an offset
    /// GL takes, and, when the validator knows them, are within GL 4.5's guaranteed counts
    /// (counted as work; unknown counts are checked and counted at replay).
    pub(super) fn run_compute_indirect(
        &mut self,
        program: ProgramId,
        buffer: BufferId,
        offset: u64,
    ) -> Result<(), ValidationError> {
        self.check_program_kind(program, true)?;
        check_aligned("indirect offset", offset)?;
        self.check_range(BufferOp::Indirect, buffer, offset, DISPATCH_COMMAND_BYTES)?;
        let work = match self.contents.get(buffer, offset, DISPATCH_COMMAND_BYTES) {
            Some(bytes) => check_dispatch_command(&bytes, buffer, offset, GUARANTEED_GROUPS)?,
            None => 0,
        };
        self.count_work(work);
        Ok(())
    }

    /// Checks an indirect draw: the draw count fits GL's `GLsizei`, the commands lie inside
    /// the buffer, and, when the validator knows them, each reads only bytes inside the
    /// vertex array's buffers (counted as work; unknown commands are checked and counted at
    /// replay).
    pub(super) fn render_indirect(
        &mut self,
        vertex_array: VertexArrayId,
        buffer: BufferId,
        count: u32,
        first: u32,
    ) -> Result<(), ValidationError> {
        let vao = self.draw_vertex_array(vertex_array)?;
        if count > i32::MAX as u32 {
            return Err(ValidationError::DrawTooLarge {
                what: "draw count",
                value: u64::from(count),
            });
        }
        let (offset, len) = draw_commands_range(first, count, vao.index.is_some());
        self.check_range(BufferOp::Indirect, buffer, offset, len)?;
        let work = match self.contents.get(buffer, offset, len) {
            Some(bytes) => {
                let size_of = |buffer| self.buffer_size(buffer);
                check_draw_commands(&bytes, first, buffer, &vao.bindings, vao.index, &size_of)?
            }
            None => 0,
        };
        self.count_work(work);
        Ok(())
    }

    /// Checks an image binding: a unit GL 4.5 guarantees, a level that holds an image, and
    /// a format, given or the texture's own.
    pub(super) fn bind_to_image(
        &self,
        texture: TextureId,
        unit: u32,
        level: u32,
        format: Option<ImageFormat>,
    ) -> Result<(), ValidationError> {
        let state = self.texture(texture)?;
        if unit >= MAX_IMAGE_UNITS {
            return Err(ValidationError::TextureArgument {
                what: "image unit",
                value: u64::from(unit),
                allowed: "GL 4.5 guarantees image units 0..8",
            });
        }
        state.check_level(texture, level)?;
        if format.is_none() && ImageFormat::of_texture(state.desc()).is_none() {
            return Err(ValidationError::TextureOp {
                texture,
                kind: state.desc().kind.name(),
                problem: "its internal format (3 components, depth or sRGB) is no image \
                          format: give bind_to_image a format",
            });
        }
        Ok(())
    }
}

/// Checks the bits of a memory barrier.
pub(super) fn memory_barrier(barriers: Barriers, by_region: bool) -> Result<(), ValidationError> {
    if barriers.is_valid(by_region) {
        return Ok(());
    }
    Err(ValidationError::Barriers {
        barriers: barriers.0,
        by_region,
    })
}

/// Checks that an offset of indirect commands is a multiple of 4, as GL needs.
fn check_aligned(what: &'static str, value: u64) -> Result<(), ValidationError> {
    if value.is_multiple_of(4) {
        return Ok(());
    }
    Err(ValidationError::Misaligned {
        what,
        value,
        alignment: 4,
    })
}
