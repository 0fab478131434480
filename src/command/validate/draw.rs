//! Program, uniform, vertex array and draw checks.

use super::buffer::{check_binding, check_within};
use super::error::{
    MAX_ATTRIBUTE_OFFSET, MAX_VERTEX_ATTRIBUTES, MAX_VERTEX_BINDINGS, MAX_VERTEX_STRIDE,
};
use super::shader_limits;
use super::BufferOp;
use super::{gl_int, BindingExtent, ProgramState, ValidationError, Validator, VertexArrayState};
use crate::command::{
    BlockKind, Draw, IndexBuffer, ProgramDesc, TransformDesc, VaryingsMode, VertexArrayDesc,
    VertexBinding, MAX_UNIFORM_BUFFER_BINDINGS,
};
use crate::ids::{BufferId, ProgramId, VertexArrayId};
use crate::uniform::UniformType;
use crate::vertex_format::Usage;

/// Rejects names and sources that GL would misread (empty, or cut short by a NUL byte).
pub(super) fn check_text(what: &'static str, text: &str) -> Result<(), ValidationError> {
    if text.is_empty() || text.contains('\0') {
        return Err(ValidationError::BadName {
            what,
            text: text.chars().take(64).collect(),
        });
    }
    Ok(())
}

/// The vertex count of a draw that does not give one: the index count of the index buffer, or
/// the element count of the smallest per-vertex buffer, at the moment of the draw. `None` when
/// there is neither.
pub(crate) fn default_vertex_count(
    bindings: impl Iterator<Item = BindingExtent>,
    index: Option<IndexBuffer>,
    size_of: impl Fn(BufferId) -> u64,
) -> Option<u64> {
    match index {
        Some(index) => Some(size_of(index.buffer) / u64::from(index.element_size)),
        None => bindings
            .filter(|b| b.usage == Usage::PerVertex)
            .map(|b| size_of(b.buffer) / b.stride)
            .min(),
    }
}

impl BindingExtent {
    /// The extent of one `(buffer, format, names)` entry; an error when its fields have no
    /// GL type or do not fit its stride (possible only in lists from files).
    pub(crate) fn of(binding: usize, entry: &VertexBinding) -> Result<Self, ValidationError> {
        let format = &entry.format;
        let layout_error = |reason| ValidationError::Layout { binding, reason };
        let limit = |what, value: u32, max: u32| ValidationError::VertexArrayLimit {
            what,
            value: u64::from(value),
            max: u64::from(max),
        };
        let mut extent = 0u64;
        for field in &format.fields {
            if !field.is_valid() {
                return Err(layout_error("a field has no GL type"));
            }
            if field.offset > MAX_ATTRIBUTE_OFFSET {
                return Err(limit(
                    "attribute offset",
                    field.offset,
                    MAX_ATTRIBUTE_OFFSET,
                ));
            }
            extent = extent.max(u64::from(field.offset) + u64::from(field.byte_len()));
        }
        if format.stride == 0 || extent > u64::from(format.stride) {
            return Err(layout_error("the fields do not fit the stride"));
        }
        if format.stride > MAX_VERTEX_STRIDE {
            return Err(limit("stride", format.stride, MAX_VERTEX_STRIDE));
        }
        Ok(BindingExtent {
            buffer: entry.buffer,
            stride: u64::from(format.stride),
            extent,
            usage: format.usage,
        })
    }
}

/// Bytes that `elements` consecutive elements of `binding` read from the start of its buffer.
fn span_bytes(binding: &BindingExtent, first: u64, elements: u64) -> Option<u64> {
    if elements == 0 {
        return Some(0);
    }
    (first.checked_add(elements - 1)?)
        .checked_mul(binding.stride)?
        .checked_add(binding.extent)
}

impl Validator {
    /// Checks program sources and defines the next program.
    pub(super) fn create_program(
        &mut self,
        desc: &ProgramDesc,
    ) -> Result<ProgramId, ValidationError> {
        if desc.vertex_shader.trim().is_empty() {
            return Err(ValidationError::NoVertexShader);
        }
        check_text("vertex shader", &desc.vertex_shader)?;
        if let Some(fragment) = &desc.fragment_shader {
            check_text("fragment shader", fragment)?;
        }
        if let Some(geometry) = &desc.geometry_shader {
            check_text("geometry shader", geometry)?;
        }
        // Bounds that keep the driver's compiler within its stack (docs/hardening.md).
        shader_limits::check_source("vertex", &desc.vertex_shader)?;
        if let Some(geometry) = &desc.geometry_shader {
            shader_limits::check_source("geometry", geometry)?;
        }
        if let Some(fragment) = &desc.fragment_shader {
            shader_limits::check_source("fragment", fragment)?;
        }
        for (index, name) in desc.varyings.iter().enumerate() {
            if name.is_empty() || name.contains('\0') {
                return Err(ValidationError::BadVaryingName {
                    index,
                    name: name.clone(),
                });
            }
        }
        let id = self.programs.next_id()?;
        self.programs.push(ProgramState {
            varyings: desc.varyings.len(),
            mode: desc.varyings_mode,
            geometry: desc.geometry_shader.is_some(),
            compute: false,
        });
        Ok(ProgramId(id))
    }

    /// Checks a uniform set of `len` bytes; names and types are checked at replay, against
    /// the linked program.
    pub(super) fn uniform(
        &self,
        program: ProgramId,
        name: &str,
        ty: UniformType,
        len: u64,
    ) -> Result<(), ValidationError> {
        self.programs.get(program.0)?;
        check_text("uniform name", name)?;
        let element = ty.element_size() as u64;
        if len == 0 || !len.is_multiple_of(element) {
            return Err(ValidationError::UniformSize {
                name: name.to_owned(),
                ty: ty.glsl_name(),
                len,
            });
        }
        gl_int("uniform element count", "GLsizei", len / element)
    }

    /// Checks a program block's binding. Which kind of block `name` is becomes known only
    /// once the program is linked: here the binding is checked against the larger of the two
    /// guaranteed counts (uniform buffers'); replay checks a storage block's against its own.
    pub(super) fn block_binding(
        &self,
        program: ProgramId,
        name: &str,
        binding: u32,
    ) -> Result<(), ValidationError> {
        self.programs.get(program.0)?;
        check_text("block name", name)?;
        check_binding(
            binding,
            MAX_UNIFORM_BUFFER_BINDINGS,
            BlockKind::Uniform.bindings_limit(),
        )
    }

    /// Checks a vertex array layout and defines the next vertex array.
    pub(super) fn create_vertex_array(
        &mut self,
        desc: &VertexArrayDesc,
    ) -> Result<VertexArrayId, ValidationError> {
        self.check_program_kind(desc.program, false)?;
        check_vertex_array_counts(
            desc.bindings.len(),
            desc.bindings.iter().map(|b| b.attributes.len()),
        )?;
        let mut bindings = smallvec::SmallVec::new();
        for (binding, entry) in desc.bindings.iter().enumerate() {
            self.buffer_size(entry.buffer)?;
            let format = &entry.format;
            if entry.attributes.len() != format.fields.len() {
                return Err(ValidationError::AttributeCount {
                    binding,
                    format: format.to_string(),
                    fields: format.fields.len(),
                    names: entry.attributes.len(),
                });
            }
            for name in &entry.attributes {
                check_text("attribute name", name)?;
            }
            bindings.push(BindingExtent::of(binding, entry)?);
        }
        if let Some(index) = desc.index {
            if ![1, 2, 4].contains(&index.element_size) {
                return Err(ValidationError::IndexElementSize {
                    size: index.element_size,
                });
            }
            self.buffer_size(index.buffer)?;
        }
        let id = self.vertex_arrays.next_id()?;
        self.vertex_arrays.push(VertexArrayState {
            program: desc.program,
            bindings,
            index: desc.index,
        });
        Ok(VertexArrayId(id))
    }

    /// Checks a render: live objects, and every byte the draw reads inside its buffer.
    pub(super) fn render(
        &mut self,
        vertex_array: VertexArrayId,
        draw: &Draw,
    ) -> Result<(), ValidationError> {
        let (_, work) = self.check_draw(vertex_array, draw)?;
        self.count_work(work);
        Ok(())
    }

    /// Adds a draw's vertices x instances (or a dispatch's work groups) to the counters.
    pub(super) fn count_work(&mut self, work: u64) {
        self.counters.draw_work = work;
        self.counters.work = self.counters.work.saturating_add(work);
    }

    /// Checks a transform: a render's checks, plus varyings and output buffers.
    pub(super) fn transform(&mut self, desc: &TransformDesc) -> Result<(), ValidationError> {
        let (program_id, work) = self.check_draw(desc.vertex_array, &desc.draw)?;
        let program = self.programs.get(program_id.0)?;
        if program.varyings == 0 {
            return Err(ValidationError::NoVaryings {
                program: program_id,
            });
        }
        let (expected, mode) = match program.mode {
            VaryingsMode::Interleaved => (1, "interleaved"),
            VaryingsMode::Separate => (program.varyings, "separate"),
        };
        if desc.outputs.len() != expected {
            return Err(ValidationError::OutputCount {
                program: program_id,
                expected,
                found: desc.outputs.len(),
                mode,
            });
        }
        for &output in &desc.outputs {
            self.check_range(BufferOp::TransformOutput, output, desc.buffer_offset, 0)?;
        }
        if !program.geometry && desc.draw.mode.captured_vertices(0).is_none() {
            return Err(ValidationError::TransformMode {
                mode: desc.draw.mode,
            });
        }
        self.count_work(work);
        Ok(())
    }

    /// The checks every draw shares; returns the vertex array's program and the draw's
    /// work (vertices x instances).
    fn check_draw(
        &self,
        vertex_array: VertexArrayId,
        draw: &Draw,
    ) -> Result<(ProgramId, u64), ValidationError> {
        let vao = self.draw_vertex_array(vertex_array)?;
        let count = match draw.vertices {
            Some(count) => u64::from(count),
            None => default_vertex_count(vao.bindings.iter().copied(), vao.index, |buffer| {
                self.buffer_size(buffer).unwrap_or(0)
            })
            .ok_or(ValidationError::VertexCountUnknown { vertex_array })?,
        };
        let span = DrawSpan {
            count,
            first: u64::from(draw.first),
            instances: u64::from(draw.instances),
            base_instance: 0,
        };
        let size_of = |buffer| self.buffer_size(buffer);
        let work = check_span(&vao.bindings, vao.index, span, &size_of)?;
        Ok((vao.program, work))
    }

    /// A live vertex array whose program and buffers are live too, as a draw needs them.
    pub(super) fn draw_vertex_array(
        &self,
        vertex_array: VertexArrayId,
    ) -> Result<&VertexArrayState, ValidationError> {
        let vao = self.vertex_arrays.get(vertex_array.0)?;
        self.programs.get(vao.program.0)?;
        for binding in &vao.bindings {
            self.buffer_size(binding.buffer)?;
        }
        if let Some(index) = vao.index {
            self.buffer_size(index.buffer)?;
        }
        Ok(vao)
    }
}

/// What one draw reads: `count` vertices (or indices) from vertex (or index) `first`, and
/// `instances` instances from instance `base_instance`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct DrawSpan {
    /// Vertices, or indices of an indexed draw.
    pub count: u64,
    /// The first vertex or index.
    pub first: u64,
    /// Instances.
    pub instances: u64,
    /// The first instance (per-instance attributes start there).
    pub base_instance: u64,
}

/// Checks a draw of `span` over a vertex array's `bindings` and `index` buffer: its counts
/// fit GL's `GLsizei` / `GLint`, and every byte it reads from per-vertex (non-indexed),
/// per-instance and per-render buffers, and every index, lies inside its buffer, of the size
/// `size_of` gives. Returns its work (vertices x instances). Record time and replay (for
/// indirect commands read back from GL) share it.
pub(crate) fn check_span(
    bindings: &[BindingExtent],
    index: Option<IndexBuffer>,
    span: DrawSpan,
    size_of: &impl Fn(BufferId) -> Result<u64, ValidationError>,
) -> Result<u64, ValidationError> {
    let DrawSpan {
        count,
        first,
        instances,
        base_instance,
    } = span;
    let gl_int_max = i32::MAX as u64;
    for (what, value) in [
        ("vertex count", count),
        ("first", first),
        ("instance count", instances),
    ] {
        if value > gl_int_max {
            return Err(ValidationError::DrawTooLarge { what, value });
        }
    }
    // The last vertex index (first + count) is a GLint too; both are below 2^31.
    if index.is_none() && first + count > gl_int_max {
        return Err(ValidationError::DrawTooLarge {
            what: "first + vertex count",
            value: first + count,
        });
    }
    let within = |buffer: BufferId, offset: u64, size: u64| {
        check_within(BufferOp::Draw, buffer, offset, size, size_of(buffer)?)
    };
    if let Some(index) = index {
        let size = u64::from(index.element_size);
        within(index.buffer, first * size, count * size)?;
    }
    for binding in bindings {
        let needed = match binding.usage {
            // Indexed draws read vertices wherever the indices point; GL's robust access
            // is what bounds those reads (see the crate docs).
            Usage::PerVertex if index.is_some() => Some(0),
            Usage::PerVertex => span_bytes(binding, first, count),
            Usage::PerInstance if count == 0 => Some(0),
            Usage::PerInstance => span_bytes(binding, base_instance, instances),
            Usage::PerRender => Some(binding.extent),
        };
        within(binding.buffer, 0, needed.unwrap_or(u64::MAX))?;
    }
    // Both below 2^31: no overflow.
    Ok(count * instances)
}

/// Rejects vertex arrays with more buffer bindings or attributes than GL 4.5 guarantees,
/// before anything else about them is looked at (so a huge one costs O(1) to refuse).
pub(crate) fn check_vertex_array_counts(
    bindings: usize,
    attributes: impl Iterator<Item = usize>,
) -> Result<(), ValidationError> {
    let limit = |what, value: usize, max: usize| ValidationError::VertexArrayLimit {
        what,
        value: value as u64,
        max: max as u64,
    };
    if bindings > MAX_VERTEX_BINDINGS {
        return Err(limit("buffer bindings", bindings, MAX_VERTEX_BINDINGS));
    }
    let attributes = attributes.fold(0usize, usize::saturating_add);
    if attributes > MAX_VERTEX_ATTRIBUTES {
        return Err(limit("attributes", attributes, MAX_VERTEX_ATTRIBUTES));
    }
    Ok(())
}
