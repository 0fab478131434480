//! GL programs of one replay, compute shaders included: compile, link, introspect
//! (uniforms, uniform and storage blocks, geometry output), set uniforms by name with type
//! checks and blocks' bindings.

use super::{gl_enum, Fault};
use crate::command::{BlockKind, ComputeShaderDesc, ProgramDesc, ValidationError, VaryingsMode};
use crate::gl::{self, types::*, Gl};
use crate::ids::ProgramId;
use crate::uniform::UniformType;
use crate::vertex_format::ScalarKind;
use std::collections::HashMap;
use std::ffi::CString;

/// An active uniform of a linked program.
#[derive(Clone, Copy, Debug)]
struct UniformInfo {
    location: GLint,
    ty: GLenum,
    /// Array length (1 for a plain uniform).
    size: usize,
}

/// An active uniform or storage block of a linked program.
#[derive(Clone, Debug)]
pub(super) struct BlockInfo {
    /// Its name without a trailing `[0]`, as uniforms are named.
    pub name: String,
    pub kind: BlockKind,
    /// Its index among the program's blocks of its kind.
    index: GLuint,
    /// The binding it reads (GL_BUFFER_BINDING).
    pub binding: u32,
    /// The bytes a buffer range must hold for it (GL_BUFFER_DATA_SIZE; a storage block's
    /// array of unknown size counts one element).
    pub size: u64,
}

/// A linked program and what replay needs to know about it.
pub(super) struct GlProgram {
    pub name: GLuint,
    uniforms: HashMap<String, UniformInfo>,
    /// Its active uniform blocks, then its active storage blocks.
    pub blocks: Vec<BlockInfo>,
    /// What the geometry shader emits (GL_POINTS, GL_LINE_STRIP or GL_TRIANGLE_STRIP), when
    /// the program has one: the primitive transform feedback captures.
    pub geometry_output: Option<GLenum>,
    /// The color output locations the fragment shader writes: draws enable only these draw
    /// buffers, since GL leaves the others undefined (llvmpipe writes garbage).
    pub fragment_outputs: FragmentOutputs,
}

/// The color output locations a fragment shader writes, by the kind of value: bit `i` set
/// when location `i` is written with floats, signed or unsigned integers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct FragmentOutputs {
    float: u32,
    int: u32,
    uint: u32,
}

impl FragmentOutputs {
    /// The locations written with values of `kind`.
    pub(super) fn of(&self, kind: ScalarKind) -> u32 {
        match kind {
            ScalarKind::Float => self.float,
            ScalarKind::Int => self.int,
            ScalarKind::Uint => self.uint,
        }
    }
}

/// Programs by dense [`ProgramId`]; name 0 marks a released one.
#[derive(Default)]
pub(super) struct ProgramTable {
    programs: Vec<GlProgram>,
}

/// `name` without a trailing `[0]`: GL names arrays (uniforms and inputs) `arr[0]`, users
/// write `arr`.
pub(super) fn base_name(name: &str) -> &str {
    name.strip_suffix("[0]").unwrap_or(name)
}

/// GL's info log of a shader (`program == false`) or a program.
fn info_log(gl: &Gl, object: GLuint, program: bool) -> String {
    let mut len = 0;
    let mut written = 0;
    // SAFETY: `len` and `written` are valid for one GLint each; the log buffer holds `len`
    // bytes and its length is passed as the limit.
    unsafe {
        if program {
            gl.GetProgramiv(object, gl::INFO_LOG_LENGTH, &mut len);
        } else {
            gl.GetShaderiv(object, gl::INFO_LOG_LENGTH, &mut len);
        }
        let mut log = vec![0u8; len.max(1) as usize];
        let (limit, out) = (log.len() as GLsizei, log.as_mut_ptr().cast());
        if program {
            gl.GetProgramInfoLog(object, limit, &mut written, out);
        } else {
            gl.GetShaderInfoLog(object, limit, &mut written, out);
        }
        log.truncate(written.max(0) as usize);
        String::from_utf8_lossy(&log).trim_end().to_owned()
    }
}

/// Compiles one stage; on failure returns the stage name and GL's log.
fn compile(gl: &Gl, kind: GLenum, stage: &'static str, source: &str) -> Result<GLuint, Fault> {
    // SAFETY: the source pointer and length describe `source` exactly (validation rejected
    // NUL bytes); `status` is valid for one GLint.
    unsafe {
        let shader = gl.CreateShader(kind);
        let ptr = source.as_ptr().cast::<GLchar>();
        let len = GLint::try_from(source.len()).map_err(|_| Fault::Program {
            stage,
            log: "shader source larger than 2 GiB".to_owned(),
        })?;
        gl.ShaderSource(shader, 1, &ptr, &len);
        gl.CompileShader(shader);
        let mut status = 0;
        gl.GetShaderiv(shader, gl::COMPILE_STATUS, &mut status);
        if status == 0 {
            let log = info_log(gl, shader, false);
            gl.DeleteShader(shader);
            return Err(Fault::Program { stage, log });
        }
        Ok(shader)
    }
}

impl ProgramTable {
    pub(super) fn get(&self, program: ProgramId) -> Result<&GlProgram, Fault> {
        match self.programs.get(program.index()) {
            Some(p) if p.name != 0 => Ok(p),
            _ => Err(Fault::Missing("program")),
        }
    }

    fn get_mut(&mut self, program: ProgramId) -> Result<&mut GlProgram, Fault> {
        match self.programs.get_mut(program.index()) {
            Some(p) if p.name != 0 => Ok(p),
            _ => Err(Fault::Missing("program")),
        }
    }

    /// Makes the uniform or storage block `name` of `program` read binding `binding`
    /// (ModernGL's `program[name].binding = binding`). Where a uniform and a storage block
    /// share a name, the storage block is meant, as in ModernGL's member dictionary.
    pub(super) fn block_binding(
        &mut self,
        gl: &Gl,
        program: ProgramId,
        name: &str,
        binding: u32,
    ) -> Result<(), Fault> {
        let program = self.get_mut(program)?;
        let wanted = base_name(name);
        let block = (program.blocks.iter_mut().rev())
            .find(|block| block.name == wanted)
            .ok_or_else(|| Fault::Block {
                name: name.to_owned(),
                problem: "the linked program has no active uniform or storage block of that name (missing, or unused and optimised away)".to_owned(),
            })?;
        if binding >= block.kind.bindings() {
            return Err(Fault::Invalid(ValidationError::BindingIndex {
                binding,
                max: block.kind.bindings(),
                limit: block.kind.bindings_limit(),
            }));
        }
        // SAFETY: a live program, one of its active blocks of that kind, and a binding below
        // GL 4.5's guaranteed count of the kind.
        unsafe {
            match block.kind {
                BlockKind::Uniform => gl.UniformBlockBinding(program.name, block.index, binding),
                BlockKind::Storage => {
                    gl.ShaderStorageBlockBinding(program.name, block.index, binding);
                }
            }
        }
        block.binding = binding;
        Ok(())
    }

    /// Compiles and links `desc` as the next program.
    pub(super) fn create(&mut self, gl: &Gl, desc: &ProgramDesc) -> Result<(), Fault> {
        let stages = [
            (
                gl::VERTEX_SHADER,
                "vertex",
                Some(desc.vertex_shader.as_str()),
            ),
            (
                gl::GEOMETRY_SHADER,
                "geometry",
                desc.geometry_shader.as_deref(),
            ),
            (
                gl::FRAGMENT_SHADER,
                "fragment",
                desc.fragment_shader.as_deref(),
            ),
        ];
        self.link(gl, &stages, &desc.varyings, desc.varyings_mode)
    }

    /// Compiles and links a compute shader as the next program.
    pub(super) fn create_compute(
        &mut self,
        gl: &Gl,
        desc: &ComputeShaderDesc,
    ) -> Result<(), Fault> {
        let stages = [(gl::COMPUTE_SHADER, "compute", Some(desc.source.as_str()))];
        self.link(gl, &stages, &[], VaryingsMode::Interleaved)
    }

    /// Compiles the `stages` given (kind, name, source), links them with `varyings`
    /// captured as `mode` says, and keeps the program as the next one.
    fn link(
        &mut self,
        gl: &Gl,
        stages: &[(GLenum, &'static str, Option<&str>)],
        varyings: &[String],
        mode: VaryingsMode,
    ) -> Result<(), Fault> {
        let mut shaders = Vec::with_capacity(stages.len());
        for &(kind, stage, source) in stages {
            let Some(source) = source else { continue };
            match compile(gl, kind, stage, source) {
                Ok(shader) => shaders.push(shader),
                Err(fault) => {
                    // SAFETY: each name is a shader created above.
                    shaders.iter().for_each(|&s| unsafe { gl.DeleteShader(s) });
                    return Err(fault);
                }
            }
        }
        // Validation rejected NUL bytes, so every name converts.
        let varyings: Vec<CString> = varyings
            .iter()
            .filter_map(|v| CString::new(v.as_str()).ok())
            .collect();
        let pointers: Vec<*const GLchar> = varyings.iter().map(|v| v.as_ptr()).collect();
        let mode = match mode {
            VaryingsMode::Interleaved => gl::INTERLEAVED_ATTRIBS,
            VaryingsMode::Separate => gl::SEPARATE_ATTRIBS,
        };
        let mut status = 0;
        // SAFETY: every shader is live; `pointers` holds `pointers.len()` NUL-terminated
        // strings that outlive the call; `status` is valid for one GLint.
        let program = unsafe {
            let program = gl.CreateProgram();
            shaders.iter().for_each(|&s| gl.AttachShader(program, s));
            if !pointers.is_empty() {
                gl.TransformFeedbackVaryings(
                    program,
                    pointers.len() as GLsizei,
                    pointers.as_ptr(),
                    mode,
                );
            }
            gl.LinkProgram(program);
            shaders.iter().for_each(|&s| {
                gl.DetachShader(program, s);
                gl.DeleteShader(s);
            });
            gl.GetProgramiv(program, gl::LINK_STATUS, &mut status);
            program
        };
        if status == 0 {
            let log = info_log(gl, program, true);
            // SAFETY: `program` was created above.
            unsafe { gl.DeleteProgram(program) };
            return Err(Fault::Program { stage: "link", log });
        }
        let geometry = stages
            .iter()
            .any(|&(kind, _, source)| kind == gl::GEOMETRY_SHADER && source.is_some());
        self.programs.push(introspect(gl, program, geometry));
        Ok(())
    }

    /// Sets uniform `name` of `program` from `data` (whole elements of `ty`).
    pub(super) fn set_uniform(
        &self,
        gl: &Gl,
        program: ProgramId,
        name: &str,
        ty: UniformType,
        data: &[u8],
    ) -> Result<(), Fault> {
        let program = self.get(program)?;
        let problem = |problem: String| Fault::Uniform {
            name: name.to_owned(),
            problem,
        };
        let info = program.uniforms.get(base_name(name)).ok_or_else(|| {
            problem("the linked program has no active uniform of that name (missing, or unused and optimised away)".to_owned())
        })?;
        let unit = ty == UniformType::Int && gl_enum::takes_unit(info.ty);
        if info.ty != gl_enum::uniform_type(ty) && !unit {
            let declared = gl_enum::uniform_type_of(info.ty).map_or_else(
                || format!("GL type 0x{:04X}", info.ty),
                |t| t.glsl_name().to_owned(),
            );
            return Err(problem(format!(
                "a {} value was given for a uniform declared {declared}",
                ty.glsl_name()
            )));
        }
        if data.as_ptr().align_offset(ty.scalar().size()) != 0 {
            return Err(Fault::Corrupt(
                "uniform payload is not aligned to its components",
            ));
        }
        let count = data.len() / ty.element_size();
        if count > info.size {
            return Err(problem(format!(
                "{count} elements were given for an array of {}",
                info.size
            )));
        }
        let (p, loc, n) = (program.name, info.location, count as GLsizei);
        let f = data.as_ptr().cast::<f32>();
        let i = data.as_ptr().cast::<i32>();
        let u = data.as_ptr().cast::<u32>();
        let d = data.as_ptr().cast::<f64>();
        let no = gl::FALSE;
        // SAFETY: `data` holds exactly `count` elements of `ty` (validated), aligned for its
        // components (checked above); `ty` matches the uniform's declared type and `count`
        // does not exceed its array length.
        unsafe {
            use UniformType::*;
            match ty {
                Float => gl.ProgramUniform1fv(p, loc, n, f),
                Vec2 => gl.ProgramUniform2fv(p, loc, n, f),
                Vec3 => gl.ProgramUniform3fv(p, loc, n, f),
                Vec4 => gl.ProgramUniform4fv(p, loc, n, f),
                Int | Bool => gl.ProgramUniform1iv(p, loc, n, i),
                IVec2 | BVec2 => gl.ProgramUniform2iv(p, loc, n, i),
                IVec3 | BVec3 => gl.ProgramUniform3iv(p, loc, n, i),
                IVec4 | BVec4 => gl.ProgramUniform4iv(p, loc, n, i),
                UInt => gl.ProgramUniform1uiv(p, loc, n, u),
                UVec2 => gl.ProgramUniform2uiv(p, loc, n, u),
                UVec3 => gl.ProgramUniform3uiv(p, loc, n, u),
                UVec4 => gl.ProgramUniform4uiv(p, loc, n, u),
                Double => gl.ProgramUniform1dv(p, loc, n, d),
                DVec2 => gl.ProgramUniform2dv(p, loc, n, d),
                DVec3 => gl.ProgramUniform3dv(p, loc, n, d),
                DVec4 => gl.ProgramUniform4dv(p, loc, n, d),
                Mat2 => gl.ProgramUniformMatrix2fv(p, loc, n, no, f),
                Mat3 => gl.ProgramUniformMatrix3fv(p, loc, n, no, f),
                Mat4 => gl.ProgramUniformMatrix4fv(p, loc, n, no, f),
                Mat2x3 => gl.ProgramUniformMatrix2x3fv(p, loc, n, no, f),
                Mat2x4 => gl.ProgramUniformMatrix2x4fv(p, loc, n, no, f),
                Mat3x2 => gl.ProgramUniformMatrix3x2fv(p, loc, n, no, f),
                Mat3x4 => gl.ProgramUniformMatrix3x4fv(p, loc, n, no, f),
                Mat4x2 => gl.ProgramUniformMatrix4x2fv(p, loc, n, no, f),
                Mat4x3 => gl.ProgramUniformMatrix4x3fv(p, loc, n, no, f),
                DMat2 => gl.ProgramUniformMatrix2dv(p, loc, n, no, d),
                DMat3 => gl.ProgramUniformMatrix3dv(p, loc, n, no, d),
                DMat4 => gl.ProgramUniformMatrix4dv(p, loc, n, no, d),
                DMat2x3 => gl.ProgramUniformMatrix2x3dv(p, loc, n, no, d),
                DMat2x4 => gl.ProgramUniformMatrix2x4dv(p, loc, n, no, d),
                DMat3x2 => gl.ProgramUniformMatrix3x2dv(p, loc, n, no, d),
                DMat3x4 => gl.ProgramUniformMatrix3x4dv(p, loc, n, no, d),
                DMat4x2 => gl.ProgramUniformMatrix4x2dv(p, loc, n, no, d),
                DMat4x3 => gl.ProgramUniformMatrix4x3dv(p, loc, n, no, d),
            }
        }
        Ok(())
    }

    pub(super) fn release(&mut self, gl: &Gl, program: ProgramId) -> Result<(), Fault> {
        let name = self.get(program)?.name;
        // SAFETY: `name` is a live program of this context.
        unsafe { gl.DeleteProgram(name) };
        if let Some(p) = self.programs.get_mut(program.index()) {
            p.name = 0;
        }
        Ok(())
    }

    /// Deletes every live program.
    pub(super) fn delete_all(&mut self, gl: &Gl) {
        for program in self.programs.drain(..).filter(|p| p.name != 0) {
            // SAFETY: a live program of this context.
            unsafe { gl.DeleteProgram(program.name) };
        }
    }

    /// Live GL programs.
    pub(super) fn live(&self) -> usize {
        self.programs.iter().filter(|p| p.name != 0).count()
    }
}

/// Reads back what replay needs from a linked program.
fn introspect(gl: &Gl, program: GLuint, geometry: bool) -> GlProgram {
    let mut uniforms = HashMap::new();
    let mut name_buf = [0u8; 256];
    let mut count = 0;
    // SAFETY: every out-pointer is valid for what GL writes: one GLint each, or `name_buf`
    // whose length is passed as the limit.
    unsafe {
        gl.GetProgramiv(program, gl::ACTIVE_UNIFORMS, &mut count);
        for index in 0..count.max(0) as GLuint {
            let (mut len, mut size, mut ty) = (0, 0, 0);
            gl.GetActiveUniform(
                program,
                index,
                name_buf.len() as GLsizei,
                &mut len,
                &mut size,
                &mut ty,
                name_buf.as_mut_ptr().cast(),
            );
            let Some(bytes) = name_buf.get(..len.max(0) as usize) else {
                continue;
            };
            let name = String::from_utf8_lossy(bytes).into_owned();
            let Ok(c_name) = CString::new(name.as_str()) else {
                continue;
            };
            let location = gl.GetUniformLocation(program, c_name.as_ptr());
            if location >= 0 {
                uniforms.insert(
                    base_name(&name).to_owned(),
                    UniformInfo {
                        location,
                        ty,
                        size: size.max(1) as usize,
                    },
                );
            }
        }
    }
    let geometry_output = geometry.then(|| {
        let mut primitive = 0;
        // SAFETY: one GLint; the program has a geometry stage.
        unsafe { gl.GetProgramiv(program, gl::GEOMETRY_OUTPUT_TYPE, &mut primitive) };
        primitive as GLenum
    });
    GlProgram {
        name: program,
        uniforms,
        blocks: blocks(gl, program),
        geometry_output,
        fragment_outputs: fragment_outputs(gl, program),
    }
}

/// The active uniform blocks, then the active storage blocks, of a linked program.
fn blocks(gl: &Gl, program: GLuint) -> Vec<BlockInfo> {
    let mut blocks = Vec::new();
    let mut name_buf = [0u8; 256];
    let properties = [gl::BUFFER_BINDING, gl::BUFFER_DATA_SIZE];
    for (kind, interface) in [
        (BlockKind::Uniform, gl::UNIFORM_BLOCK),
        (BlockKind::Storage, gl::SHADER_STORAGE_BLOCK),
    ] {
        let mut count = 0;
        // SAFETY: `count` is one GLint; the name buffer's length is passed as its limit;
        // `values` holds as many GLints as properties are asked for, and that count is
        // passed as its size.
        unsafe {
            gl.GetProgramInterfaceiv(program, interface, gl::ACTIVE_RESOURCES, &mut count);
            for index in 0..count.max(0) as GLuint {
                let mut len = 0;
                gl.GetProgramResourceName(
                    program,
                    interface,
                    index,
                    name_buf.len() as GLsizei,
                    &mut len,
                    name_buf.as_mut_ptr().cast(),
                );
                let Some(bytes) = name_buf.get(..len.max(0) as usize) else {
                    continue;
                };
                let mut values = [0 as GLint; 2];
                gl.GetProgramResourceiv(
                    program,
                    interface,
                    index,
                    properties.len() as GLsizei,
                    properties.as_ptr(),
                    values.len() as GLsizei,
                    std::ptr::null_mut(),
                    values.as_mut_ptr(),
                );
                let [binding, size] = values.map(|v| v.max(0) as u32);
                blocks.push(BlockInfo {
                    name: base_name(&String::from_utf8_lossy(bytes)).to_owned(),
                    kind,
                    index,
                    binding,
                    size: u64::from(size),
                });
            }
        }
    }
    blocks
}

/// The color output locations a linked program's fragment shader writes, by kind of value
/// (locations 32 and above, which no framebuffer has, are left out).
fn fragment_outputs(gl: &Gl, program: GLuint) -> FragmentOutputs {
    let mut count = 0;
    let mut outputs = FragmentOutputs::default();
    let properties = [gl::LOCATION, gl::ARRAY_SIZE, gl::TYPE];
    // SAFETY: `count` is one GLint; `values` holds as many GLints as properties are asked
    // for, and that count is passed as its size.
    unsafe {
        gl.GetProgramInterfaceiv(
            program,
            gl::PROGRAM_OUTPUT,
            gl::ACTIVE_RESOURCES,
            &mut count,
        );
        for index in 0..count.max(0) as GLuint {
            let mut values = [0 as GLint; 3];
            gl.GetProgramResourceiv(
                program,
                gl::PROGRAM_OUTPUT,
                index,
                properties.len() as GLsizei,
                properties.as_ptr(),
                values.len() as GLsizei,
                std::ptr::null_mut(),
                values.as_mut_ptr(),
            );
            let [location, size, ty] = values;
            // Built-ins (gl_FragDepth) have location -1.
            let (Ok(first), Ok(size)) = (u32::try_from(location), u32::try_from(size.max(1)))
            else {
                continue;
            };
            let mask = match output_kind(ty as GLenum) {
                ScalarKind::Float => &mut outputs.float,
                ScalarKind::Int => &mut outputs.int,
                ScalarKind::Uint => &mut outputs.uint,
            };
            for location in first..first.saturating_add(size).min(32) {
                *mask |= 1 << location;
            }
        }
    }
    outputs
}

/// The kind of value a fragment output of GL type `ty` writes.
fn output_kind(ty: GLenum) -> ScalarKind {
    match ty {
        gl::INT | gl::INT_VEC2 | gl::INT_VEC3 | gl::INT_VEC4 => ScalarKind::Int,
        gl::UNSIGNED_INT
        | gl::UNSIGNED_INT_VEC2
        | gl::UNSIGNED_INT_VEC3
        | gl::UNSIGNED_INT_VEC4 => ScalarKind::Uint,
        _ => ScalarKind::Float,
    }
}
