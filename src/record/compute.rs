//! Compute shaders, image units and memory barriers, following ModernGL's
//! `Context.compute_shader`, `ComputeShader.run` and `run_indirect`,
//! `Texture.bind_to_image` and `Context.memory_barrier`.

use super::{entry, Recorder};
use crate::command::{
    Barriers, Command, ComputeShaderDesc, ImageAccess, ImageFormat, ValidationError,
};
use crate::ids::{BufferId, ProgramId, TextureId};

impl Recorder {
    /// Records a compute shader (ModernGL: `ctx.compute_shader(source)`): a program of its
    /// own, whose uniforms are set with [`Recorder::uniform`] and which is released with
    /// [`Recorder::release`] as any program. Compilation happens at replay; an error there is
    /// a replay error carrying GL's log and this command's index.
    ///
    /// ```
    /// let mut rec = gltape::Recorder::new();
    /// let shader = rec.compute_shader(
    ///     "#version 450 core\nlayout(local_size_x = 1) in;\nvoid main() {}\n",
    /// )?;
    /// rec.run_compute(shader, [4, 1, 1])?;
    /// # Ok::<(), gltape::ValidationError>(())
    /// ```
    pub fn compute_shader(&mut self, source: &str) -> Result<ProgramId, ValidationError> {
        let desc = ComputeShaderDesc {
            source: source.to_owned(),
        };
        self.record(|transaction, validator| {
            let program = validator.next_program_id()?;
            let desc = entry(transaction, desc)?;
            Ok((Command::CreateComputeShader { program, desc }, program))
        })
    }

    /// Runs a compute shader over `groups` (x, y, z) work groups, at most 65535 along each
    /// axis, what GL 4.5 guarantees (ModernGL: `compute_shader.run(group_x, group_y,
    /// group_z)`). A count of 0 runs nothing, as in GL.
    pub fn run_compute(
        &mut self,
        program: ProgramId,
        groups: [u32; 3],
    ) -> Result<(), ValidationError> {
        let [group_x, group_y, group_z] = groups;
        self.record_plain(Command::RunCompute {
            program,
            group_x,
            group_y,
            group_z,
        })
    }

    /// Runs a compute shader over the work groups that three `u32` at `offset` of `buffer`
    /// give (ModernGL: `compute_shader.run_indirect(buffer, offset)`). The offset is a
    /// multiple of 4 and the 12 bytes lie inside the buffer. Counts known when recorded are
    /// checked now; others (a buffer written by GL, or over 4 KiB) are read back at replay,
    /// which waits for the GL work that writes them, and a count over the context's limit is
    /// a replay error.
    pub fn run_compute_indirect(
        &mut self,
        program: ProgramId,
        buffer: BufferId,
        offset: u64,
    ) -> Result<(), ValidationError> {
        self.record_plain(Command::RunComputeIndirect {
            program,
            buffer,
            offset,
        })
    }

    /// Orders shader memory accesses before this call against those after it (ModernGL:
    /// `ctx.memory_barrier(barriers, by_region)`; [`Barriers::ALL`] is ModernGL's default).
    pub fn memory_barrier(
        &mut self,
        barriers: Barriers,
        by_region: bool,
    ) -> Result<(), ValidationError> {
        self.record_plain(Command::MemoryBarrier {
            barriers,
            by_region,
        })
    }

    /// Binds level `level` of a texture to image unit `unit`, below 8 (ModernGL:
    /// `texture.bind_to_image(unit, read, write, level, format)`; [`ImageAccess::new`] takes
    /// ModernGL's two flags). Arrays, 3D textures and cube maps bind every layer. Without a
    /// format the texture's own internal format is used, which must be an image format (not
    /// 3 components, depth or sRGB).
    pub fn bind_to_image(
        &mut self,
        texture: TextureId,
        unit: u32,
        access: ImageAccess,
        level: u32,
        format: Option<ImageFormat>,
    ) -> Result<(), ValidationError> {
        self.record_plain(Command::BindToImage {
            texture,
            unit,
            access,
            level,
            format,
        })
    }
}
