//! The GL functions the renderer calls, checked once when it is created: a loader that gives
//! no address for one of them is an error naming it, never a call through a null pointer
//! (or gl_generator's panicking placeholder).

use crate::gl::Gl;

macro_rules! required {
    ($($name:ident),* $(,)?) => {
        /// Every GL function the renderer calls, by its C name.
        #[cfg(test)]
        pub(super) const REQUIRED: &[&str] = &[$(concat!("gl", stringify!($name))),*];

        /// The C names of the functions in [`REQUIRED`] that `gl` did not load.
        pub(super) fn missing(gl: &Gl) -> Vec<&'static str> {
            let mut missing = Vec::new();
            $(
                if !gl.$name.is_loaded() {
                    missing.push(concat!("gl", stringify!($name)));
                }
            )*
            missing
        }
    };
}

required!(
    ActiveTexture,
    AttachShader,
    BeginConditionalRender,
    BeginQuery,
    BeginTransformFeedback,
    BindBuffer,
    BindBufferBase,
    BindBufferRange,
    BindBuffersBase,
    BindBuffersRange,
    BindFramebuffer,
    BindImageTexture,
    BindSampler,
    BindSamplers,
    BindTexture,
    BindTextureUnit,
    BindTextures,
    BindTransformFeedback,
    BindVertexArray,
    BlendColor,
    BlendEquationSeparate,
    BlendFuncSeparate,
    BlitNamedFramebuffer,
    CheckNamedFramebufferStatus,
    ClampColor,
    ClearNamedBufferSubData,
    ClearNamedFramebufferfv,
    ClearNamedFramebufferiv,
    ClearNamedFramebufferuiv,
    ClearTexImage,
    ClientWaitSync,
    ClipControl,
    ColorMaski,
    CompileShader,
    CopyNamedBufferSubData,
    CopyTextureSubImage2D,
    CreateBuffers,
    CreateFramebuffers,
    CreateProgram,
    CreateQueries,
    CreateRenderbuffers,
    CreateSamplers,
    CreateShader,
    CreateTextures,
    CreateVertexArrays,
    CullFace,
    DebugMessageCallback,
    DebugMessageControl,
    DeleteBuffers,
    DeleteFramebuffers,
    DeleteProgram,
    DeleteQueries,
    DeleteRenderbuffers,
    DeleteSamplers,
    DeleteShader,
    DeleteSync,
    DeleteTextures,
    DeleteVertexArrays,
    DepthFunc,
    DepthMask,
    DepthRange,
    DetachShader,
    Disable,
    DispatchCompute,
    DispatchComputeIndirect,
    DrawArraysInstanced,
    DrawElementsInstanced,
    Enable,
    EnableVertexArrayAttrib,
    EndConditionalRender,
    EndQuery,
    EndTransformFeedback,
    FenceSync,
    Finish,
    FrontFace,
    GenerateTextureMipmap,
    GetActiveAttrib,
    GetActiveUniform,
    GetAttribLocation,
    GetBooleani_v,
    GetBooleanv,
    GetDoublev,
    GetError,
    GetFloatv,
    GetInteger64i_v,
    GetIntegeri_v,
    GetIntegerv,
    GetNamedBufferSubData,
    GetNamedFramebufferAttachmentParameteriv,
    GetProgramInfoLog,
    GetProgramInterfaceiv,
    GetProgramResourceName,
    GetProgramResourceiv,
    GetProgramiv,
    GetQueryObjectuiv,
    GetShaderInfoLog,
    GetShaderiv,
    GetString,
    GetTextureSubImage,
    GetUniformLocation,
    IsBuffer,
    IsEnabled,
    IsFramebuffer,
    IsProgram,
    IsSampler,
    IsTexture,
    IsTransformFeedback,
    IsVertexArray,
    LineWidth,
    LinkProgram,
    MapNamedBufferRange,
    MemoryBarrier,
    MemoryBarrierByRegion,
    MultiDrawArraysIndirect,
    MultiDrawElementsIndirect,
    NamedBufferData,
    NamedBufferStorage,
    NamedBufferSubData,
    NamedFramebufferDrawBuffer,
    NamedFramebufferDrawBuffers,
    NamedFramebufferReadBuffer,
    NamedFramebufferRenderbuffer,
    NamedFramebufferTexture,
    NamedFramebufferTextureLayer,
    NamedRenderbufferStorage,
    NamedRenderbufferStorageMultisample,
    PixelStorei,
    PointSize,
    PolygonMode,
    PolygonOffset,
    PrimitiveRestartIndex,
    ProgramUniform1dv,
    ProgramUniform1fv,
    ProgramUniform1iv,
    ProgramUniform1uiv,
    ProgramUniform2dv,
    ProgramUniform2fv,
    ProgramUniform2iv,
    ProgramUniform2uiv,
    ProgramUniform3dv,
    ProgramUniform3fv,
    ProgramUniform3iv,
    ProgramUniform3uiv,
    ProgramUniform4dv,
    ProgramUniform4fv,
    ProgramUniform4iv,
    ProgramUniform4uiv,
    ProgramUniformMatrix2dv,
    ProgramUniformMatrix2fv,
    ProgramUniformMatrix2x3dv,
    ProgramUniformMatrix2x3fv,
    ProgramUniformMatrix2x4dv,
    ProgramUniformMatrix2x4fv,
    ProgramUniformMatrix3dv,
    ProgramUniformMatrix3fv,
    ProgramUniformMatrix3x2dv,
    ProgramUniformMatrix3x2fv,
    ProgramUniformMatrix3x4dv,
    ProgramUniformMatrix3x4fv,
    ProgramUniformMatrix4dv,
    ProgramUniformMatrix4fv,
    ProgramUniformMatrix4x2dv,
    ProgramUniformMatrix4x2fv,
    ProgramUniformMatrix4x3dv,
    ProgramUniformMatrix4x3fv,
    ProvokingVertex,
    ReadnPixels,
    SamplerParameterf,
    SamplerParameterfv,
    SamplerParameteri,
    Scissor,
    ShaderSource,
    ShaderStorageBlockBinding,
    StencilFuncSeparate,
    StencilMaskSeparate,
    StencilOpSeparate,
    TexImage2D,
    TexImage2DMultisample,
    TexImage3D,
    TextureParameterf,
    TextureParameterfv,
    TextureParameteri,
    TextureSubImage2D,
    TextureSubImage3D,
    TransformFeedbackVaryings,
    UniformBlockBinding,
    UnmapNamedBuffer,
    UseProgram,
    VertexArrayAttribBinding,
    VertexArrayAttribFormat,
    VertexArrayAttribIFormat,
    VertexArrayAttribLFormat,
    VertexArrayBindingDivisor,
    VertexArrayElementBuffer,
    VertexArrayVertexBuffer,
    Viewport,
);

#[cfg(test)]
mod tests {
    use super::REQUIRED;

    /// Every GL function the library's sources call (`gl.` then a capitalised name and a
    /// parenthesis) is in the list checked at creation.
    #[test]
    fn every_gl_function_the_library_calls_is_checked() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = vec![src.clone()];
        let mut called = std::collections::BTreeSet::new();
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            // Method calls on a `Gl`, and its functions passed by path.
            let calls = text.match_indices("gl.").map(|(at, _)| (at, at + 3, "("));
            let paths = text.match_indices("Gl::").map(|(at, _)| (at, at + 4, ""));
            for (at, after, next) in calls.chain(paths) {
                let rest = &text[after..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                let preceded_by_ident = text[..at]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
                if !preceded_by_ident
                    && name.starts_with(|c: char| c.is_ascii_uppercase())
                    && rest[name.len()..].starts_with(next)
                {
                    called.insert(format!("gl{name}"));
                }
            }
        }
        assert!(called.len() > 50, "{called:?}");
        let unchecked: Vec<_> = called
            .iter()
            .filter(|name| !REQUIRED.contains(&name.as_str()))
            .collect();
        assert!(
            unchecked.is_empty(),
            "called but not checked: {unchecked:?}"
        );
        let uncalled: Vec<_> = (REQUIRED.iter())
            .filter(|name| !called.contains(**name))
            .collect();
        assert!(uncalled.is_empty(), "checked but not called: {uncalled:?}");
    }
}
