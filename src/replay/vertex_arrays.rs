//! GL vertex arrays of one replay, and the draws that use them: render, render_indirect and
//! transform.

use super::buffers::BufferTable;
use super::compute::read_commands;
use super::gl_enum::gl_size;
use super::programs::{base_name, GlProgram, ProgramTable};
use super::{gl_enum, Fault};
use crate::command::{
    check_draw_commands, default_vertex_count, draw_commands_range, BindingExtent,
    DRAW_COMMAND_STRIDE,
};
use crate::command::{Draw, IndexBuffer, Mode, TransformDesc, VertexArrayDesc};
use crate::gl::{self, types::*, Gl};
use crate::ids::{BufferId, ProgramId, VertexArrayId};
use crate::vertex_format::{Field, ScalarKind, Usage};
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
    #[inline]
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

    /// Creates the next vertex array: one buffer binding per entry; each named field feeds
    /// its input's locations as ModernGL does (see [`attribute_format`]). A name the program
    /// has no active input for is an error, or skipped under `skip_errors`.
    pub(super) fn create(
        &mut self,
        gl: &Gl,
        desc: &VertexArrayDesc,
        programs: &ProgramTable,
        buffers: &BufferTable,
    ) -> Result<(), Fault> {
        let program = programs.get(desc.program)?.name;
        let mut name = 0;
        // SAFETY: `name` is valid for one GLuint.
        unsafe { gl.CreateVertexArrays(1, &mut name) };
        match Self::set_up(gl, name, program, desc, buffers) {
            Ok(bindings) => {
                self.vertex_arrays.push(GlVertexArray {
                    name,
                    program: desc.program,
                    bindings,
                    index: desc.index,
                });
                Ok(())
            }
            Err(fault) => {
                // SAFETY: `name` was created above and is bound nowhere.
                unsafe { gl.DeleteVertexArrays(1, &name) };
                Err(fault)
            }
        }
    }

    /// Binds the buffers and attributes of `desc` to the new vertex array `name`; returns
    /// each binding's extent.
    fn set_up(
        gl: &Gl,
        name: GLuint,
        program: GLuint,
        desc: &VertexArrayDesc,
        buffers: &BufferTable,
    ) -> Result<SmallVec<[BindingExtent; 2]>, Fault> {
        let inputs = active_inputs(gl, program);
        let mut bindings = SmallVec::new();
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
                match inputs.iter().find(|input| input.name == *attribute) {
                    Some(input) => attribute_format(gl, name, binding, field, input)?,
                    None if desc.skip_errors => {}
                    None => {
                        return Err(Fault::Attribute {
                            name: attribute.clone(),
                            problem: "the linked program has no active input of that name \
                                      (missing, or unused and optimised away); ModernGL's \
                                      skip_errors skips such names"
                                .to_owned(),
                        })
                    }
                }
            }
            bindings.push(extent);
        }
        if let Some(index) = desc.index {
            let at = buffers.location(index.buffer)?;
            // SAFETY: both are live objects.
            unsafe { gl.VertexArrayElementBuffer(name, at) };
        }
        Ok(bindings)
    }

    /// The vertex count of `draw`: given, or derived from the buffers' sizes right now.
    #[inline]
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
    fn bind_objects(&self, gl: &Gl, vao: &GlVertexArray, program: &GlProgram) {
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

    /// Binds `vertex_array` and its program for [`VertexArrayTable::draw`].
    pub(super) fn bind(
        &self,
        gl: &Gl,
        vertex_array: VertexArrayId,
        programs: &ProgramTable,
    ) -> Result<(), Fault> {
        let vao = self.get(vertex_array)?;
        self.bind_objects(gl, vao, programs.get(vao.program)?);
        Ok(())
    }

    /// Forgets which program and vertex array are bound (after a state reset or a release,
    /// when a name may be reused).
    pub(super) fn forget_bindings(&self) {
        self.bound.set((0, 0));
    }

    /// Issues the draw call for the bound vertex array.
    #[inline]
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

    /// Draws `vertex_array` into the framebuffer in use; it and its program are bound
    /// ([`VertexArrayTable::bind`]).
    #[inline]
    pub(super) fn draw(
        &self,
        gl: &Gl,
        vertex_array: VertexArrayId,
        draw: &Draw,
        buffers: &BufferTable,
    ) -> Result<(), Fault> {
        let vao = self.get(vertex_array)?;
        let count = Self::vertex_count(vao, draw, buffers)?;
        Self::issue(gl, vao, draw, count);
        Ok(())
    }

    /// Draws with `count` draw commands of `buffer` from command `first`, after reading
    /// them back from GL and checking each as a direct draw is checked (the list could not
    /// prove them when recorded unless their bytes were known; GL does not check them) and
    /// their work against `work_limit`.
    #[allow(
        clippy::too_many_arguments,
        reason = "one draw and the tables it reads"
    )]
    pub(super) fn render_indirect(
        &self,
        gl: &Gl,
        vertex_array: VertexArrayId,
        buffer: BufferId,
        (mode, count, first): (Mode, u32, u32),
        programs: &ProgramTable,
        buffers: &BufferTable,
        work_limit: u64,
    ) -> Result<(), Fault> {
        let vao = self.get(vertex_array)?;
        let program = programs.get(vao.program)?;
        let (offset, len) = draw_commands_range(first, count, vao.index.is_some());
        if len == 0 {
            return Ok(());
        }
        let bytes = read_commands(gl, buffers, buffer, offset, len)?;
        let size_of = |buffer| Ok(buffers.size(buffer));
        let work = check_draw_commands(&bytes, first, buffer, &vao.bindings, vao.index, &size_of)
            .map_err(Fault::Invalid)?;
        if work > work_limit {
            return Err(Fault::Limit {
                value: work,
                max: work_limit,
            });
        }
        let at = buffers.location(buffer)?;
        self.bind_objects(gl, vao, program);
        let (mode, stride) = (gl_enum::mode(mode), DRAW_COMMAND_STRIDE as GLsizei);
        // `count` fits GLsizei (validated); the commands lie inside the buffer (validated)
        // and each reads only inside the vertex array's buffers (checked above). The
        // "pointer" is a byte offset into the bound indirect buffer, below its size.
        let commands = offset as usize as *const std::ffi::c_void;
        // SAFETY: as above; the indirect binding is put back to 0 right after.
        unsafe {
            gl.BindBuffer(gl::DRAW_INDIRECT_BUFFER, at);
            match vao.index {
                None => gl.MultiDrawArraysIndirect(mode, commands, count as GLsizei, stride),
                Some(index) => gl.MultiDrawElementsIndirect(
                    mode,
                    gl_enum::index_type(index),
                    commands,
                    count as GLsizei,
                    stride,
                ),
            }
            gl.BindBuffer(gl::DRAW_INDIRECT_BUFFER, 0);
        }
        Ok(())
    }

    /// Draws with transform feedback and rasterizer discard into the output buffers. As in
    /// ModernGL, an output that does not hold every captured vertex is not an error: GL
    /// writes the primitives that fit and stops; rasterizer discard stays on afterwards only
    /// when `keep_discard` (the list turned it on).
    pub(super) fn transform(
        &self,
        gl: &Gl,
        desc: &TransformDesc,
        programs: &ProgramTable,
        buffers: &BufferTable,
        keep_discard: bool,
    ) -> Result<(), Fault> {
        let vao = self.get(desc.vertex_array)?;
        let program = programs.get(vao.program)?;
        let count = Self::vertex_count(vao, &desc.draw, buffers)?;
        let primitive = captured_primitive(program, &desc.draw)?;
        // SAFETY: every output range lies inside its buffer (the offset was validated); GL
        // writes no captured vertex past a bound range, it stops capturing instead.
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
        self.bind_objects(gl, vao, program);
        // SAFETY: the program has varyings and every output slot is bound.
        unsafe { gl.BeginTransformFeedback(primitive) };
        Self::issue(gl, vao, &desc.draw, count);
        // SAFETY: ends what was begun above and unbinds the outputs so that later buffer
        // commands do not touch bound transform-feedback storage.
        unsafe {
            gl.EndTransformFeedback();
            if !keep_discard {
                gl.Disable(gl::RASTERIZER_DISCARD);
            }
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

/// The primitive mode transform feedback captures.
fn captured_primitive(program: &GlProgram, draw: &Draw) -> Result<GLenum, Fault> {
    match program.geometry_output {
        Some(output) => Ok(match output {
            gl::POINTS => gl::POINTS,
            gl::LINE_STRIP => gl::LINES,
            _ => gl::TRIANGLES,
        }),
        None => gl_enum::feedback_primitive(draw.mode).ok_or(Fault::Corrupt(
            "adjacency transform without a geometry shader",
        )),
    }
}

/// An active vertex shader input: its name (without `[0]`), first location, GL type and
/// array length.
struct Input {
    name: String,
    location: GLuint,
    ty: GLenum,
    array: GLint,
}

/// The program's active inputs that have a location (built-ins such as `gl_VertexID` have
/// none), as ModernGL lists them (glGetActiveAttrib).
fn active_inputs(gl: &Gl, program: GLuint) -> Vec<Input> {
    let (mut count, mut max_length) = (0, 0);
    // SAFETY: a live, linked program; each pointer is valid for one GLint.
    unsafe {
        gl.GetProgramiv(program, gl::ACTIVE_ATTRIBUTES, &mut count);
        gl.GetProgramiv(program, gl::ACTIVE_ATTRIBUTE_MAX_LENGTH, &mut max_length);
    }
    let mut bytes = vec![0u8; usize::try_from(max_length).unwrap_or(0).max(1)];
    (0..GLuint::try_from(count).unwrap_or(0))
        .filter_map(|index| {
            let (mut length, mut array, mut ty) = (0, 0, 0);
            // SAFETY: `bytes` holds `max_length` bytes (at least 1), which GL writes at most.
            unsafe {
                gl.GetActiveAttrib(
                    program,
                    index,
                    bytes.len() as GLsizei,
                    &mut length,
                    &mut array,
                    &mut ty,
                    bytes.as_mut_ptr().cast(),
                );
            }
            let name = bytes.get(..usize::try_from(length).unwrap_or(0))?;
            let c_name = CString::new(name).ok()?;
            // SAFETY: `c_name` is NUL-terminated and outlives the call.
            let location = unsafe { gl.GetAttribLocation(program, c_name.as_ptr()) };
            let location = GLuint::try_from(location).ok()?;
            let name = String::from_utf8_lossy(name);
            Some(Input {
                name: base_name(&name).to_owned(),
                location,
                ty,
                array,
            })
        })
        .collect()
}

/// How a shader input reads its components (the attribute call GL needs) and how many
/// locations one element of it spans (a matrix's columns), or `None` for a type no
/// attribute can feed.
fn input_shape(ty: GLenum) -> Option<(ScalarKind, u32, bool)> {
    // (scalar kind of the GL call, columns, double)
    Some(match ty {
        gl::FLOAT | gl::FLOAT_VEC2 | gl::FLOAT_VEC3 | gl::FLOAT_VEC4 => {
            (ScalarKind::Float, 1, false)
        }
        gl::FLOAT_MAT2 | gl::FLOAT_MAT2x3 | gl::FLOAT_MAT2x4 => (ScalarKind::Float, 2, false),
        gl::FLOAT_MAT3 | gl::FLOAT_MAT3x2 | gl::FLOAT_MAT3x4 => (ScalarKind::Float, 3, false),
        gl::FLOAT_MAT4 | gl::FLOAT_MAT4x2 | gl::FLOAT_MAT4x3 => (ScalarKind::Float, 4, false),
        gl::DOUBLE | gl::DOUBLE_VEC2 | gl::DOUBLE_VEC3 | gl::DOUBLE_VEC4 => {
            (ScalarKind::Float, 1, true)
        }
        gl::DOUBLE_MAT2 | gl::DOUBLE_MAT2x3 | gl::DOUBLE_MAT2x4 => (ScalarKind::Float, 2, true),
        gl::DOUBLE_MAT3 | gl::DOUBLE_MAT3x2 | gl::DOUBLE_MAT3x4 => (ScalarKind::Float, 3, true),
        gl::DOUBLE_MAT4 | gl::DOUBLE_MAT4x2 | gl::DOUBLE_MAT4x3 => (ScalarKind::Float, 4, true),
        gl::INT | gl::INT_VEC2 | gl::INT_VEC3 | gl::INT_VEC4 => (ScalarKind::Int, 1, false),
        gl::UNSIGNED_INT
        | gl::UNSIGNED_INT_VEC2
        | gl::UNSIGNED_INT_VEC3
        | gl::UNSIGNED_INT_VEC4 => (ScalarKind::Uint, 1, false),
        _ => return None,
    })
}

/// Points `input`'s locations at `field` of `binding`, as ModernGL does: the input's type
/// picks the call (glVertexArrayAttribFormat for float inputs, converting and normalizing
/// `f1`; IFormat for int and uint inputs; LFormat for double inputs), and an input spanning
/// several locations (matrix columns, array elements) takes an equal share of the field's
/// components and bytes per location. A field GL cannot feed to that input (`f2`, `f4` or
/// `f8` data for an integer input, anything but `f8` for a double one) is an error naming
/// the attribute, and so is one whose components do not split evenly into 1 to 4 per
/// location (ModernGL rounds the share down and misplaces the fields after it).
fn attribute_format(
    gl: &Gl,
    vao: GLuint,
    binding: GLuint,
    field: &Field,
    input: &Input,
) -> Result<(), Fault> {
    let problem = |problem: String| Fault::Attribute {
        name: input.name.clone(),
        problem,
    };
    let (kind, columns, double) = input_shape(input.ty).ok_or_else(|| {
        problem(format!(
            "GL type 0x{:04X} cannot be fed by a vertex buffer",
            input.ty
        ))
    })?;
    let locations = columns.saturating_mul(u32::try_from(input.array).unwrap_or(1).max(1));
    let format = format!("{}{}{}", field.count, field.kind.letter(), field.size);
    let per_location = u32::from(field.count) / locations;
    if !(1..=4).contains(&per_location) || per_location * locations != u32::from(field.count) {
        return Err(problem(format!(
            "{format} does not split into 1 to 4 components for each of the input's \
             {locations} locations"
        )));
    }
    let ty = gl_enum::component_type(field);
    let fits = match (kind, double) {
        (ScalarKind::Float, false) => true,
        (ScalarKind::Float, true) => ty == gl::DOUBLE,
        _ => ![gl::HALF_FLOAT, gl::FLOAT, gl::DOUBLE].contains(&ty),
    };
    if !fits {
        return Err(problem(format!(
            "{format} data cannot feed this input (GL type 0x{:04X}): integer inputs take \
             i, u or f1 data, double inputs f8",
            input.ty
        )));
    }
    let (count, bytes) = (per_location as GLint, field.byte_len() / locations);
    let normalized = if field.normalized {
        gl::TRUE
    } else {
        gl::FALSE
    };
    for column in 0..locations {
        let (location, offset) = (input.location + column, field.offset + column * bytes);
        // SAFETY: `vao` is live; `location` is one of the input's locations (GL's answer for
        // it plus a column below its span); count is 1 to 4 and the type fits the call
        // (checked above); the offset lies inside the checked stride.
        unsafe {
            gl.EnableVertexArrayAttrib(vao, location);
            match (kind, double) {
                (ScalarKind::Float, false) => {
                    gl.VertexArrayAttribFormat(vao, location, count, ty, normalized, offset)
                }
                (ScalarKind::Float, true) => {
                    gl.VertexArrayAttribLFormat(vao, location, count, ty, offset)
                }
                _ => gl.VertexArrayAttribIFormat(vao, location, count, ty, offset),
            }
            gl.VertexArrayAttribBinding(vao, location, binding);
        }
    }
    Ok(())
}
