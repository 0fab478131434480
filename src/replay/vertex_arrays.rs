//! GL vertex arrays of one replay, and the draws that use them: render and transform.

use super::buffers::BufferTable;
use super::gl_enum::gl_size;
use super::programs::{GlProgram, ProgramTable};
use super::{gl_enum, Fault};
use crate::command::{default_vertex_count, BindingExtent};
use crate::command::{Draw, IndexBuffer, TransformDesc, VaryingsMode, VertexArrayDesc};
use crate::gl::{self, types::*, Gl};
use crate::ids::{BufferId, ProgramId, VertexArrayId};
use crate::vertex_format::{ScalarKind, Usage};
use smallvec::SmallVec;
use std::cell::Cell;
use std::ffi::CString;

/// ModernGL's divisor for `/r` attributes: one value for every instance of a draw.
const PER_RENDER_DIVISOR: GLuint = 0x7fff_ffff;

/// A vertex array and what its draws need: program, binding extents, index buffer.
struct GlVertexArray {
    name: GLuint,
    program: ProgramId,
    bindings: SmallVec<[BindingExtent; 2]>,
    index: Option<IndexBuffer>,
}

/// Vertex arrays by dense [`VertexArrayId`]; name 0 marks a released one.
#[derive(Default)]
pub(super) struct VertexArrayTable {
    vertex_arrays: Vec<GlVertexArray>,
    /// The (program, vertex array) names bound now, so that draws skip redundant binds;
    /// (0, 0) when unknown.
    bound: Cell<(GLuint, GLuint)>,
}

impl VertexArrayTable {
    fn get(&self, vertex_array: VertexArrayId) -> Result<&GlVertexArray, Fault> {
        match self.vertex_arrays.get(vertex_array.index()) {
            Some(v) if v.name != 0 => Ok(v),
            _ => Err(Fault::Missing("vertex array")),
        }
    }

    /// The program a vertex array draws with.
    pub(super) fn program(&self, vertex_array: VertexArrayId) -> Result<ProgramId, Fault> {
        self.get(vertex_array).map(|vao| vao.program)
    }

    /// Creates the next vertex array: one buffer binding per entry, one attribute per named
    /// field the program uses (others are skipped, as ModernGL does).
    pub(super) fn create(
        &mut self,
        gl: &Gl,
        desc: &VertexArrayDesc,
        programs: &ProgramTable,
        buffers: &BufferTable,
    ) -> Result<(), Fault> {
        let program = programs.get(desc.program)?.name;
        let mut bindings = SmallVec::new();
        let mut name = 0;
        // SAFETY: `name` is valid for one GLuint.
        unsafe { gl.CreateVertexArrays(1, &mut name) };
        for (index, entry) in desc.bindings.iter().enumerate() {
            let extent = BindingExtent::of(index, entry)
                .map_err(|_| Fault::Corrupt("vertex layout failed its check"))?;
            let at = buffers.location(entry.buffer)?;
            // At most MAX_VERTEX_BINDINGS (16) entries (validated).
            let binding = index as GLuint;
            let divisor = match entry.format.usage {
                Usage::PerVertex => 0,
                Usage::PerInstance => 1,
                Usage::PerRender => PER_RENDER_DIVISOR,
            };
            // SAFETY: `name` and `buffer` are live objects; the stride is at most
            // MAX_VERTEX_STRIDE (2048, validated), so the cast is exact; the offset is a
            // validated buffer location.
            unsafe {
                gl.VertexArrayVertexBuffer(name, binding, at, 0, extent.stride as GLsizei);
                gl.VertexArrayBindingDivisor(name, binding, divisor);
            }
            for (field, attribute) in entry.format.fields.iter().zip(&entry.attributes) {
                let Ok(c_name) = CString::new(attribute.as_str()) else {
                    continue;
                };
                // SAFETY: `c_name` is NUL-terminated and outlives the call.
                let location = unsafe { gl.GetAttribLocation(program, c_name.as_ptr()) };
                let Ok(location) = GLuint::try_from(location) else {
                    continue; // Not used by the program: skipped.
                };
                let (count, ty, offset) = (
                    GLint::from(field.count),
                    gl_enum::component_type(field),
                    field.offset,
                );
                // SAFETY: `location` is an active attribute of the program; count, type and
                // offset come from a checked layout.
                unsafe {
                    gl.EnableVertexArrayAttrib(name, location);
                    match (field.kind, field.size) {
                        (ScalarKind::Float, 8) => {
                            gl.VertexArrayAttribLFormat(name, location, count, ty, offset)
                        }
                        (ScalarKind::Float, _) => {
                            let normalized = if field.normalized {
                                gl::TRUE
                            } else {
                                gl::FALSE
                            };
                            gl.VertexArrayAttribFormat(
                                name, location, count, ty, normalized, offset,
                            )
                        }
                        _ => gl.VertexArrayAttribIFormat(name, location, count, ty, offset),
                    }
                    gl.VertexArrayAttribBinding(name, location, binding);
                }
            }
            bindings.push(extent);
        }
        if let Some(index) = desc.index {
            let at = buffers.location(index.buffer)?;
            // SAFETY: both are live objects.
            unsafe { gl.VertexArrayElementBuffer(name, at) };
        }
        self.vertex_arrays.push(GlVertexArray {
            name,
            program: desc.program,
            bindings,
            index: desc.index,
        });
        Ok(())
    }

    /// The vertex count of `draw`: given, or derived from the buffers' sizes right now.
    fn vertex_count(vao: &GlVertexArray, draw: &Draw, buffers: &BufferTable) -> Result<u64, Fault> {
        match draw.vertices {
            Some(count) => Ok(u64::from(count)),
            None => {
                default_vertex_count(vao.bindings.iter().copied(), vao.index, |b| buffers.size(b))
                    .ok_or(Fault::Corrupt(
                        "draw without a vertex count passed validation",
                    ))
            }
        }
    }

    /// Points every binding of `buffer` in every live vertex array at the GL buffer `at` that
    /// holds its bytes now.
    pub(super) fn rebind(&self, gl: &Gl, buffer: BufferId, at: GLuint) {
        for vao in self.vertex_arrays.iter().filter(|v| v.name != 0) {
            for (binding, extent) in vao.bindings.iter().enumerate() {
                if extent.buffer == buffer {
                    // SAFETY: a live vertex array and a live buffer location; the stride was
                    // checked when the vertex array was created.
                    // Binding < 16 and stride <= 2048 (validated): exact casts.
                    unsafe {
                        gl.VertexArrayVertexBuffer(
                            vao.name,
                            binding as GLuint,
                            at,
                            0,
                            extent.stride as GLsizei,
                        );
                    }
                }
            }
            if vao.index.is_some_and(|index| index.buffer == buffer) {
                // SAFETY: as above.
                unsafe { gl.VertexArrayElementBuffer(vao.name, at) };
            }
        }
    }

    /// Binds the vertex array's program and the vertex array.
    fn bind(&self, gl: &Gl, vao: &GlVertexArray, program: &GlProgram) {
        let wanted = (program.name, vao.name);
        if self.bound.get() == wanted {
            return;
        }
        // SAFETY: both objects are live.
        unsafe {
            gl.UseProgram(program.name);
            gl.BindVertexArray(vao.name);
        }
        self.bound.set(wanted);
    }

    /// Forgets which program and vertex array are bound (after a state reset or a release,
    /// when a name may be reused).
    pub(super) fn forget_bindings(&self) {
        self.bound.set((0, 0));
    }

    /// Issues the draw call for the bound vertex array.
    fn issue(gl: &Gl, vao: &GlVertexArray, draw: &Draw, count: u64) {
        let (mode, first) = (gl_enum::mode(draw.mode), draw.first);
        // Validation checked that count, first and instances (and first + count for
        // non-indexed draws) fit GLsizei / GLint, so these casts are exact.
        let (count, instances) = (count as GLsizei, draw.instances as GLsizei);
        // SAFETY: the counts fit (above); every non-indexed vertex, every instance and every
        // index read lies inside its buffer (validated). The "pointer" is a byte offset into
        // the bound index buffer: inside it, so below isize::MAX.
        unsafe {
            match vao.index {
                None => gl.DrawArraysInstanced(mode, first as GLint, count, instances),
                Some(index) => {
                    let offset = u64::from(first) * u64::from(index.element_size);
                    gl.DrawElementsInstanced(
                        mode,
                        count,
                        gl_enum::index_type(index),
                        offset as usize as *const std::ffi::c_void,
                        instances,
                    );
                }
            }
        }
    }

    /// Renders into the framebuffer in use.
    pub(super) fn render(
        &self,
        gl: &Gl,
        vertex_array: VertexArrayId,
        draw: &Draw,
        programs: &ProgramTable,
        buffers: &BufferTable,
    ) -> Result<(), Fault> {
        let vao = self.get(vertex_array)?;
        let program = programs.get(vao.program)?;
        let count = Self::vertex_count(vao, draw, buffers)?;
        self.bind(gl, vao, program);
        Self::issue(gl, vao, draw, count);
        Ok(())
    }

    /// Draws with transform feedback and rasterizer discard into the output buffers, after
    /// checking that the largest possible output fits.
    pub(super) fn transform(
        &self,
        gl: &Gl,
        desc: &TransformDesc,
        programs: &ProgramTable,
        buffers: &BufferTable,
    ) -> Result<(), Fault> {
        let vao = self.get(desc.vertex_array)?;
        let program = programs.get(vao.program)?;
        let count = Self::vertex_count(vao, &desc.draw, buffers)?;
        let (primitive, per_instance) = captured(program, &desc.draw, count)?;
        let vertices = per_instance.saturating_mul(u64::from(desc.draw.instances));
        let per_output: SmallVec<[u64; 4]> = match program.varyings_mode {
            VaryingsMode::Interleaved => SmallVec::from_elem(program.varying_bytes.iter().sum(), 1),
            VaryingsMode::Separate => program.varying_bytes.iter().copied().collect(),
        };
        for (&output, &bytes) in desc.outputs.iter().zip(&per_output) {
            let needed = vertices.saturating_mul(bytes);
            let available = buffers.size(output).saturating_sub(desc.buffer_offset);
            if needed > available {
                return Err(Fault::Overflow {
                    buffer: output,
                    needed,
                    available,
                });
            }
        }
        // SAFETY: every output range was checked above to hold the largest possible capture
        // and lies inside its buffer; GL never writes past a bound range anyway.
        unsafe {
            for (slot, &output) in desc.outputs.iter().enumerate() {
                let size = buffers.size(output) - desc.buffer_offset;
                let at = buffers.location(output)?;
                gl.BindBufferRange(
                    gl::TRANSFORM_FEEDBACK_BUFFER,
                    slot as GLuint,
                    at,
                    gl_size(desc.buffer_offset),
                    gl_size(size),
                );
            }
            gl.Enable(gl::RASTERIZER_DISCARD);
        }
        // The program must be bound before transform feedback begins: binding one while it
        // is active is GL_INVALID_OPERATION.
        self.bind(gl, vao, program);
        // SAFETY: the program has varyings and every output slot is bound.
        unsafe { gl.BeginTransformFeedback(primitive) };
        Self::issue(gl, vao, &desc.draw, count);
        // SAFETY: ends what was begun above and unbinds the outputs so that later buffer
        // commands do not touch bound transform-feedback storage.
        unsafe {
            gl.EndTransformFeedback();
            gl.Disable(gl::RASTERIZER_DISCARD);
            for slot in 0..desc.outputs.len() {
                gl.BindBufferBase(gl::TRANSFORM_FEEDBACK_BUFFER, slot as GLuint, 0);
            }
        }
        Ok(())
    }

    pub(super) fn release(&mut self, gl: &Gl, vertex_array: VertexArrayId) -> Result<(), Fault> {
        let name = self.get(vertex_array)?.name;
        // SAFETY: a live vertex array of this context.
        unsafe { gl.DeleteVertexArrays(1, &name) };
        self.forget_bindings();
        if let Some(v) = self.vertex_arrays.get_mut(vertex_array.index()) {
            v.name = 0;
        }
        Ok(())
    }

    /// Deletes every live vertex array.
    pub(super) fn delete_all(&mut self, gl: &Gl) {
        self.forget_bindings();
        for vao in self.vertex_arrays.drain(..).filter(|v| v.name != 0) {
            // SAFETY: a live vertex array of this context.
            unsafe { gl.DeleteVertexArrays(1, &vao.name) };
        }
    }

    /// Live GL vertex arrays.
    pub(super) fn live(&self) -> usize {
        self.vertex_arrays.iter().filter(|v| v.name != 0).count()
    }
}

/// The primitive mode transform feedback captures and the most vertices it captures per
/// instance when `count` vertices are drawn.
fn captured(program: &GlProgram, draw: &Draw, count: u64) -> Result<(GLenum, u64), Fault> {
    match program.geometry {
        Some(geometry) => {
            let (primitive, per_vertex_emitted) = match geometry.primitive {
                gl::POINTS => (gl::POINTS, 1),
                gl::LINE_STRIP => (gl::LINES, 2),
                _ => (gl::TRIANGLES, 3),
            };
            let vertices = draw
                .mode
                .primitives(count)
                .saturating_mul(geometry.invocations)
                .saturating_mul(geometry.max_vertices)
                .saturating_mul(per_vertex_emitted);
            Ok((primitive, vertices))
        }
        None => {
            let missing = || Fault::Corrupt("adjacency transform without a geometry shader");
            let primitive = gl_enum::feedback_primitive(draw.mode).ok_or_else(missing)?;
            let vertices = draw.mode.captured_vertices(count).ok_or_else(missing)?;
            Ok((primitive, vertices))
        }
    }
}
