//! Programs, uniforms, vertex arrays and draws, following ModernGL's `Context.program`,
//! `Program['name'].value`, `Context.vertex_array`, `VertexArray.render`,
//! `.render_indirect` and `.transform`.

use super::{entry, Recorder};
use crate::command::{
    check_vertex_array_counts, BufferOp, Command, Draw, Index, IndexBuffer, Mode, ProgramDesc,
    Transaction, TransformDesc, ValidationError, VertexArrayDesc, VertexBinding,
    DRAW_COMMAND_STRIDE,
};
use crate::ids::{BufferId, ProgramId, VertexArrayId};
use crate::uniform::{UniformData, UniformType};
use crate::vertex_format::VertexFormat;

impl Recorder {
    /// Records a program (ModernGL: `ctx.program(vertex_shader, fragment_shader,
    /// geometry_shader, varyings)`). Compilation and linking happen at replay; a compile or
    /// link error is a replay error carrying GL's info log and this command's index.
    pub fn program(&mut self, desc: ProgramDesc) -> Result<ProgramId, ValidationError> {
        self.record(|transaction, validator| {
            let program = validator.next_program_id()?;
            let desc = entry(transaction, desc)?;
            Ok((Command::CreateProgram { program, desc }, program))
        })
    }

    /// Sets a uniform (ModernGL: `prog[name].value = value`).
    ///
    /// The Rust type picks the GLSL type: `f32` float, `[f32; 3]` vec3, `i32` int, `[u32; 2]`
    /// uvec2, [`Bool`](crate::Bool) bool, `[f64; 2]` dvec2, [`Mat4`](crate::Mat4) mat4,
    /// [`Mat2x3`](crate::Mat2x3) mat2x3, [`DMat4`](crate::DMat4) dmat4, and so on; an `i32`
    /// also sets a sampler or image uniform (its unit), as in ModernGL. At replay, a name the linked program lacks
    /// (or optimised away) or a type that differs from the GLSL declaration is an error naming
    /// this command.
    pub fn uniform<T: UniformData>(
        &mut self,
        program: ProgramId,
        name: &str,
        value: T,
    ) -> Result<(), ValidationError> {
        self.uniform_array(program, name, &[value])
    }

    /// Sets the first `values.len()` elements of a uniform array (ModernGL: `prog[name].value =
    /// [...]`). Name it without `[0]`; more values than the array holds is a replay error.
    pub fn uniform_array<T: UniformData>(
        &mut self,
        program: ProgramId,
        name: &str,
        values: &[T],
    ) -> Result<(), ValidationError> {
        self.uniform_bytes(program, name, T::TYPE, bytemuck::cast_slice(values))
    }

    /// Sets uniform `name` to `bytes`, whole elements of `ty` (in native byte order).
    pub(crate) fn uniform_bytes(
        &mut self,
        program: ProgramId,
        name: &str,
        ty: UniformType,
        bytes: &[u8],
    ) -> Result<(), ValidationError> {
        self.record_named(name, |transaction, name_index| {
            // An empty value stores nothing: the validator's size error, without a payload.
            let data = transaction
                .payload(bytes)?
                .ok_or_else(|| ValidationError::UniformSize {
                    name: name.to_owned(),
                    ty: ty.glsl_name(),
                    len: 0,
                })?;
            Ok(Command::Uniform {
                program,
                name: name_index,
                ty,
                data,
            })
        })
    }

    /// Makes the uniform or storage block `name` of `program` read binding `binding`
    /// (ModernGL: `prog[name].binding = binding`), where
    /// [`Recorder::bind_to_uniform_block`] or [`Recorder::bind_to_storage_buffer`] put a
    /// buffer. Blocks start at the binding their GLSL declaration gives (`layout(binding =
    /// n)`), else 0.
    ///
    /// `binding` must be below
    /// [`MAX_UNIFORM_BUFFER_BINDINGS`](crate::command::MAX_UNIFORM_BUFFER_BINDINGS); which
    /// kind of block `name` is becomes known at replay, where a storage block's binding must
    /// be below [`MAX_STORAGE_BUFFER_BINDINGS`](crate::command::MAX_STORAGE_BUFFER_BINDINGS),
    /// and a name the linked program has no active block of (missing, or optimised away) is
    /// an error naming this command, as ModernGL raises `KeyError`. Name an array of blocks'
    /// element `i` `Block[i]` (`Block` is element 0).
    pub fn block_binding(
        &mut self,
        program: ProgramId,
        name: &str,
        binding: u32,
    ) -> Result<(), ValidationError> {
        self.record_named(name, |_, name| {
            Ok(Command::BlockBinding {
                program,
                name,
                binding,
            })
        })
    }

    /// Records the command `build` makes with the index of `name` in the list's name table
    /// (stored once per flushed list).
    fn record_named(
        &mut self,
        name: &str,
        build: impl FnOnce(&mut Transaction<'_>, Index<String>) -> Result<Command, ValidationError>,
    ) -> Result<(), ValidationError> {
        let known = self.names.get(name).copied();
        let index = self.record(|transaction, _| {
            let index = match known {
                Some(index) => index,
                None => entry(transaction, name.to_owned())?,
            };
            Ok((build(transaction, index)?, index))
        })?;
        if known.is_none() {
            self.names.insert(name.to_owned(), index);
        }
        Ok(())
    }

    /// Records a vertex array (ModernGL: `ctx.vertex_array(program, [(buffer, "3f 2f",
    /// "in_pos", "in_uv")], index_buffer, index_element_size)`).
    ///
    /// Each entry is a buffer, a ModernGL format string and one attribute name per
    /// non-padding field. At replay each field feeds its input as ModernGL does: the input's
    /// type picks the conversion, and a matrix or array input takes an equal share of the
    /// field per location (`16f` for a `mat4`); a pairing GL cannot express is a replay error.
    /// A name the linked program does not have (or optimised away) is a replay error naming
    /// this command and the name, as ModernGL raises `KeyError`; see
    /// [`vertex_array_skip_errors`](Self::vertex_array_skip_errors) to skip such names.
    /// `index` is an index buffer and its element size (1, 2 or 4 bytes).
    pub fn vertex_array(
        &mut self,
        program: ProgramId,
        content: &[(BufferId, &str, &[&str])],
        index: Option<(BufferId, u8)>,
    ) -> Result<VertexArrayId, ValidationError> {
        self.vertex_array_with(program, content, index, false)
    }

    /// Records a vertex array as [`vertex_array`](Self::vertex_array) does, but names the
    /// linked program does not have are skipped (ModernGL: `ctx.vertex_array(..,
    /// skip_errors=True)`).
    pub fn vertex_array_skip_errors(
        &mut self,
        program: ProgramId,
        content: &[(BufferId, &str, &[&str])],
        index: Option<(BufferId, u8)>,
    ) -> Result<VertexArrayId, ValidationError> {
        self.vertex_array_with(program, content, index, true)
    }

    /// Records a vertex array with ModernGL's `skip_errors` flag given.
    pub(crate) fn vertex_array_with(
        &mut self,
        program: ProgramId,
        content: &[(BufferId, &str, &[&str])],
        index: Option<(BufferId, u8)>,
        skip_errors: bool,
    ) -> Result<VertexArrayId, ValidationError> {
        // GL's limits first: a huge vertex array is refused before its formats are parsed.
        check_vertex_array_counts(content.len(), content.iter().map(|c| c.2.len()))?;
        let bindings = content
            .iter()
            .enumerate()
            .map(|(binding, &(buffer, format, names))| {
                let format = VertexFormat::parse(format)
                    .map_err(|error| ValidationError::Format { binding, error })?;
                Ok(VertexBinding {
                    buffer,
                    format,
                    attributes: names.iter().map(|n| (*n).to_owned()).collect(),
                })
            })
            .collect::<Result<_, ValidationError>>()?;
        let desc = VertexArrayDesc {
            program,
            bindings,
            index: index.map(|(buffer, element_size)| IndexBuffer {
                buffer,
                element_size,
            }),
            skip_errors,
        };
        self.record(|transaction, validator| {
            let vertex_array = validator.next_vertex_array_id()?;
            let desc = entry(transaction, desc)?;
            Ok((
                Command::CreateVertexArray { vertex_array, desc },
                vertex_array,
            ))
        })
    }

    /// Draws into the framebuffer in use (ModernGL: `vao.render(mode, vertices, first,
    /// instances)`).
    ///
    /// Without a vertex count, the count is taken at the moment of the draw: the index count
    /// of the index buffer, or else the element count of the smallest per-vertex buffer, so a
    /// buffer orphaned to a new size is honoured (ModernGL caches the count at creation).
    /// Every byte the draw reads from per-vertex (non-indexed), per-instance and per-render
    /// buffers, and every index, is checked to lie inside its buffer.
    pub fn render(
        &mut self,
        vertex_array: VertexArrayId,
        draw: Draw,
    ) -> Result<(), ValidationError> {
        self.record_plain(Command::Render { vertex_array, draw })
    }

    /// Draws with `count` draw commands of `buffer`, starting at command `first` (ModernGL:
    /// `vao.render_indirect(buffer, mode, count, first)`); without a count, as many as fit
    /// the buffer after `first` (its size / 20 - `first`).
    ///
    /// Commands are 20 bytes apart, as ModernGL lays them out: GL's
    /// DrawArraysIndirectCommand (`count`, `instances`, `first`, `base_instance`, each a
    /// `u32`), or DrawElementsIndirectCommand (`count`, `instances`, `first_index`,
    /// `base_vertex`, `base_instance`) for a vertex array with an index buffer. They must lie
    /// inside the buffer. When their bytes are known when recorded (a buffer of at most 4
    /// KiB that only the list's own bytes reached), each is checked now as
    /// [`Recorder::render`] checks a draw; otherwise replay reads them back from GL (waiting
    /// for the GL work that writes them) and checks them before drawing, and one out of
    /// range is a replay error naming it.
    pub fn render_indirect(
        &mut self,
        vertex_array: VertexArrayId,
        buffer: BufferId,
        mode: Mode,
        count: Option<u32>,
        first: u32,
    ) -> Result<(), ValidationError> {
        let count = match count {
            Some(count) => count,
            None => {
                let size = self.validator.buffer_size(buffer)?;
                let fit = (size / DRAW_COMMAND_STRIDE).checked_sub(u64::from(first));
                let fit = fit.ok_or(ValidationError::OutOfRange {
                    op: BufferOp::Indirect,
                    buffer,
                    offset: u64::from(first) * DRAW_COMMAND_STRIDE,
                    size: 0,
                    buffer_size: size,
                })?;
                u32::try_from(fit).unwrap_or(u32::MAX)
            }
        };
        self.record_plain(Command::RenderIndirect {
            vertex_array,
            buffer,
            mode,
            count,
            first,
        })
    }

    /// Draws with transform feedback into `outputs`, rasterizer discarded (ModernGL:
    /// `vao.transform(buffer, mode, vertices, first, instances, buffer_offset)`).
    ///
    /// `outputs` holds one buffer for interleaved varyings, one per varying for separate ones;
    /// capture starts `buffer_offset` bytes into each. A program without varyings is an error
    /// here; output that would overflow a buffer is an error at replay, before anything is
    /// drawn (it depends on the varyings' linked types).
    pub fn transform(
        &mut self,
        vertex_array: VertexArrayId,
        outputs: &[BufferId],
        draw: Draw,
        buffer_offset: u64,
    ) -> Result<(), ValidationError> {
        let desc = TransformDesc {
            vertex_array,
            outputs: outputs.iter().copied().collect(),
            draw,
            buffer_offset,
        };
        self.record(|transaction, _| {
            let transform = entry(transaction, desc)?;
            Ok((Command::Transform { transform }, ()))
        })
    }
}
