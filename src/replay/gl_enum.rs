//! The only place that turns the command list's GL-free types into GL's: recording needs no
//! GL, so the list layer names draw modes, formats and types in its own words (and sizes as
//! `u64`) and replay translates them here.

use crate::command::{
    BlendEquation, BlendFactor, Capability, CompareFunc, Face, ImageAccess, ImageFormat,
    IndexBuffer, InternalFormat, MagFilter, MinFilter, Mode, PixelType, StencilAction,
    SwizzleSource, TextureDesc, TextureKind, TextureParameter, Winding,
};
use crate::gl::{
    self,
    types::{GLenum, GLint, GLsizeiptr},
};
use crate::uniform::UniformType;
use crate::vertex_format::{Field, ScalarKind};
use smallvec::SmallVec;

/// Converts a validated size or offset to GL's pointer-sized types. Validation keeps every
/// buffer size at most `isize::MAX` and every range inside its buffer (ring slots are
/// buffers of their own, addressed from 0). The clamp is never reached; should it be, GL
/// refuses the range and replay reports its error.
pub(super) fn gl_size(value: u64) -> GLsizeiptr {
    GLsizeiptr::try_from(value).unwrap_or(GLsizeiptr::MAX)
}

/// The draw mode's primitive type.
pub(super) fn mode(mode: Mode) -> GLenum {
    match mode {
        Mode::Points => gl::POINTS,
        Mode::Lines => gl::LINES,
        Mode::LineStrip => gl::LINE_STRIP,
        Mode::LineLoop => gl::LINE_LOOP,
        Mode::Triangles => gl::TRIANGLES,
        Mode::TriangleStrip => gl::TRIANGLE_STRIP,
        Mode::TriangleFan => gl::TRIANGLE_FAN,
        Mode::LinesAdjacency => gl::LINES_ADJACENCY,
        Mode::LineStripAdjacency => gl::LINE_STRIP_ADJACENCY,
        Mode::TrianglesAdjacency => gl::TRIANGLES_ADJACENCY,
        Mode::TriangleStripAdjacency => gl::TRIANGLE_STRIP_ADJACENCY,
    }
}

/// The primitive transform feedback captures for `mode` without a geometry shader, or `None`
/// for the adjacency modes, which it cannot capture.
pub(super) fn feedback_primitive(mode: Mode) -> Option<GLenum> {
    match mode {
        Mode::Points => Some(gl::POINTS),
        Mode::Lines | Mode::LineStrip | Mode::LineLoop => Some(gl::LINES),
        Mode::Triangles | Mode::TriangleStrip | Mode::TriangleFan => Some(gl::TRIANGLES),
        _ => None,
    }
}

/// The capability's glEnable enum.
pub(super) fn capability(capability: Capability) -> GLenum {
    match capability {
        Capability::DepthTest => gl::DEPTH_TEST,
        Capability::CullFace => gl::CULL_FACE,
        Capability::Blend => gl::BLEND,
        Capability::RasterizerDiscard => gl::RASTERIZER_DISCARD,
        Capability::ProgramPointSize => gl::PROGRAM_POINT_SIZE,
        Capability::StencilTest => gl::STENCIL_TEST,
    }
}

/// The blend factor's enum.
pub(super) fn blend_factor(factor: BlendFactor) -> GLenum {
    match factor {
        BlendFactor::Zero => gl::ZERO,
        BlendFactor::One => gl::ONE,
        BlendFactor::SrcColor => gl::SRC_COLOR,
        BlendFactor::OneMinusSrcColor => gl::ONE_MINUS_SRC_COLOR,
        BlendFactor::SrcAlpha => gl::SRC_ALPHA,
        BlendFactor::OneMinusSrcAlpha => gl::ONE_MINUS_SRC_ALPHA,
        BlendFactor::DstAlpha => gl::DST_ALPHA,
        BlendFactor::OneMinusDstAlpha => gl::ONE_MINUS_DST_ALPHA,
        BlendFactor::DstColor => gl::DST_COLOR,
        BlendFactor::OneMinusDstColor => gl::ONE_MINUS_DST_COLOR,
    }
}

/// The blend equation's mode.
pub(super) fn blend_equation(equation: BlendEquation) -> GLenum {
    match equation {
        BlendEquation::FuncAdd => gl::FUNC_ADD,
        BlendEquation::FuncSubtract => gl::FUNC_SUBTRACT,
        BlendEquation::FuncReverseSubtract => gl::FUNC_REVERSE_SUBTRACT,
        BlendEquation::Min => gl::MIN,
        BlendEquation::Max => gl::MAX,
    }
}

/// The depth or stencil comparison's enum.
pub(super) fn compare_func(func: CompareFunc) -> GLenum {
    match func {
        CompareFunc::Never => gl::NEVER,
        CompareFunc::Less => gl::LESS,
        CompareFunc::Equal => gl::EQUAL,
        CompareFunc::LessEqual => gl::LEQUAL,
        CompareFunc::Greater => gl::GREATER,
        CompareFunc::NotEqual => gl::NOTEQUAL,
        CompareFunc::GreaterEqual => gl::GEQUAL,
        CompareFunc::Always => gl::ALWAYS,
    }
}

/// The faces' enum.
pub(super) fn face(face: Face) -> GLenum {
    match face {
        Face::Front => gl::FRONT,
        Face::Back => gl::BACK,
        Face::FrontAndBack => gl::FRONT_AND_BACK,
    }
}

/// The winding's enum.
pub(super) fn winding(winding: Winding) -> GLenum {
    match winding {
        Winding::Ccw => gl::CCW,
        Winding::Cw => gl::CW,
    }
}

/// The stencil action's enum.
pub(super) fn stencil_action(action: StencilAction) -> GLenum {
    match action {
        StencilAction::Keep => gl::KEEP,
        StencilAction::Zero => gl::ZERO,
        StencilAction::Replace => gl::REPLACE,
        StencilAction::Incr => gl::INCR,
        StencilAction::IncrWrap => gl::INCR_WRAP,
        StencilAction::Decr => gl::DECR,
        StencilAction::DecrWrap => gl::DECR_WRAP,
        StencilAction::Invert => gl::INVERT,
    }
}

/// The type of one index.
pub(super) fn index_type(index: IndexBuffer) -> GLenum {
    match index.element_size {
        1 => gl::UNSIGNED_BYTE,
        2 => gl::UNSIGNED_SHORT,
        _ => gl::UNSIGNED_INT,
    }
}

/// The pixel type of a read.
pub(super) fn pixel_type(dtype: PixelType) -> GLenum {
    match dtype {
        PixelType::F1 | PixelType::U1 | PixelType::Nu1 => gl::UNSIGNED_BYTE,
        PixelType::F2 => gl::HALF_FLOAT,
        PixelType::F4 => gl::FLOAT,
        PixelType::U2 | PixelType::Nu2 => gl::UNSIGNED_SHORT,
        PixelType::U4 => gl::UNSIGNED_INT,
        PixelType::I1 | PixelType::Ni1 => gl::BYTE,
        PixelType::I2 | PixelType::Ni2 => gl::SHORT,
        PixelType::I4 => gl::INT,
    }
}

/// The pixel format of a transfer of 1 (R) to 4 (RGBA) components of `dtype` (the
/// `*_INTEGER` formats for integer dtypes, as ModernGL's `base_format`).
pub(super) fn pixel_format(components: u8, dtype: PixelType) -> GLenum {
    match (components, dtype.is_integer()) {
        (1, false) => gl::RED,
        (2, false) => gl::RG,
        (3, false) => gl::RGB,
        (_, false) => gl::RGBA,
        (1, true) => gl::RED_INTEGER,
        (2, true) => gl::RG_INTEGER,
        (3, true) => gl::RGB_INTEGER,
        (_, true) => gl::RGBA_INTEGER,
    }
}

/// The internal format ModernGL gives storage of 1 to 4 components of `dtype`.
pub(super) fn internal_format(components: u8, dtype: PixelType) -> GLenum {
    let [r, rg, rgb, rgba] = match dtype {
        PixelType::F1 | PixelType::Nu1 | PixelType::Ni1 => [gl::R8, gl::RG8, gl::RGB8, gl::RGBA8],
        PixelType::F2 => [gl::R16F, gl::RG16F, gl::RGB16F, gl::RGBA16F],
        PixelType::F4 => [gl::R32F, gl::RG32F, gl::RGB32F, gl::RGBA32F],
        PixelType::U1 => [gl::R8UI, gl::RG8UI, gl::RGB8UI, gl::RGBA8UI],
        PixelType::U2 => [gl::R16UI, gl::RG16UI, gl::RGB16UI, gl::RGBA16UI],
        PixelType::U4 => [gl::R32UI, gl::RG32UI, gl::RGB32UI, gl::RGBA32UI],
        PixelType::I1 => [gl::R8I, gl::RG8I, gl::RGB8I, gl::RGBA8I],
        PixelType::I2 => [gl::R16I, gl::RG16I, gl::RGB16I, gl::RGBA16I],
        PixelType::I4 => [gl::R32I, gl::RG32I, gl::RGB32I, gl::RGBA32I],
        PixelType::Nu2 | PixelType::Ni2 => [gl::R16, gl::RG16, gl::RGB16, gl::RGBA16],
    };
    match components {
        1 => r,
        2 => rg,
        3 => rgb,
        _ => rgba,
    }
}

/// GL_TEXTURE_MAX_ANISOTROPY (GL 4.6, and ARB/EXT_texture_filter_anisotropic before).
pub(super) const TEXTURE_MAX_ANISOTROPY: GLenum = 0x84FE;

/// GL_MAX_TEXTURE_MAX_ANISOTROPY, the context's largest anisotropy.
pub(super) const MAX_TEXTURE_MAX_ANISOTROPY: GLenum = 0x84FF;

/// The target of a texture of `desc`.
pub(super) fn texture_target(desc: &TextureDesc) -> GLenum {
    match desc.kind {
        TextureKind::Texture2D if desc.samples > 0 => gl::TEXTURE_2D_MULTISAMPLE,
        TextureKind::Texture2D => gl::TEXTURE_2D,
        TextureKind::Array => gl::TEXTURE_2D_ARRAY,
        TextureKind::Texture3D => gl::TEXTURE_3D,
        TextureKind::Cube => gl::TEXTURE_CUBE_MAP,
    }
}

/// The internal format of a texture: GL_DEPTH_COMPONENT24 for depth, the override, else
/// ModernGL's choice from components and dtype.
pub(super) fn texture_format(desc: &TextureDesc) -> GLenum {
    match (desc.depth, desc.internal_format) {
        (true, _) => gl::DEPTH_COMPONENT24,
        (false, Some(InternalFormat::Srgb8Alpha8)) => gl::SRGB8_ALPHA8,
        (false, Some(InternalFormat::Srgb8)) => gl::SRGB8,
        (false, None) => internal_format(desc.components, desc.dtype),
    }
}

/// The pixel format and type of a texture's transfers (ModernGL's `base_format` and
/// `gl_type`; depth as GL_DEPTH_COMPONENT floats).
pub(super) fn texture_transfer(desc: &TextureDesc) -> (GLenum, GLenum) {
    let format = match desc.depth {
        true => gl::DEPTH_COMPONENT,
        false => pixel_format(desc.components, desc.dtype),
    };
    (format, pixel_type(desc.dtype))
}

/// A minification filter's enum.
fn min_filter(filter: MinFilter) -> GLenum {
    match filter {
        MinFilter::Nearest => gl::NEAREST,
        MinFilter::Linear => gl::LINEAR,
        MinFilter::NearestMipmapNearest => gl::NEAREST_MIPMAP_NEAREST,
        MinFilter::LinearMipmapNearest => gl::LINEAR_MIPMAP_NEAREST,
        MinFilter::NearestMipmapLinear => gl::NEAREST_MIPMAP_LINEAR,
        MinFilter::LinearMipmapLinear => gl::LINEAR_MIPMAP_LINEAR,
    }
}

/// A magnification filter's enum.
fn mag_filter(filter: MagFilter) -> GLenum {
    match filter {
        MagFilter::Nearest => gl::NEAREST,
        MagFilter::Linear => gl::LINEAR,
    }
}

/// A swizzle source's enum.
fn swizzle_source(source: SwizzleSource) -> GLenum {
    match source {
        SwizzleSource::Red => gl::RED,
        SwizzleSource::Green => gl::GREEN,
        SwizzleSource::Blue => gl::BLUE,
        SwizzleSource::Alpha => gl::ALPHA,
        SwizzleSource::Zero => gl::ZERO,
        SwizzleSource::One => gl::ONE,
    }
}

/// The value of one glTextureParameter / glSamplerParameter call.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum ParameterValue {
    /// glTextureParameteri.
    Int(GLint),
    /// glTextureParameterf.
    Float(f32),
    /// glTextureParameterfv with four floats.
    Color([f32; 4]),
}

/// The parameter calls ModernGL makes for a property, in its order; `max_anisotropy` is
/// the context's (0 without anisotropic filtering, where ModernGL makes no call).
pub(super) fn texture_parameter(
    parameter: &TextureParameter,
    max_anisotropy: f32,
) -> SmallVec<[(GLenum, ParameterValue); 4]> {
    use ParameterValue::{Color, Float, Int};
    let int = |value: GLenum| Int(value as GLint);
    let wrap = |repeat: bool| {
        int(if repeat {
            gl::REPEAT
        } else {
            gl::CLAMP_TO_EDGE
        })
    };
    let mut calls = SmallVec::new();
    match *parameter {
        TextureParameter::Filter(min, mag) => {
            calls.push((gl::TEXTURE_MIN_FILTER, int(min_filter(min))));
            calls.push((gl::TEXTURE_MAG_FILTER, int(mag_filter(mag))));
        }
        TextureParameter::RepeatX(repeat) => calls.push((gl::TEXTURE_WRAP_S, wrap(repeat))),
        TextureParameter::RepeatY(repeat) => calls.push((gl::TEXTURE_WRAP_T, wrap(repeat))),
        TextureParameter::RepeatZ(repeat) => calls.push((gl::TEXTURE_WRAP_R, wrap(repeat))),
        TextureParameter::Swizzle(swizzle) => {
            let names = [
                gl::TEXTURE_SWIZZLE_R,
                gl::TEXTURE_SWIZZLE_G,
                gl::TEXTURE_SWIZZLE_B,
                gl::TEXTURE_SWIZZLE_A,
            ];
            for (name, source) in names.into_iter().zip(swizzle.sources()) {
                calls.push((name, int(swizzle_source(source))));
            }
        }
        TextureParameter::CompareFunc(None) => {
            calls.push((gl::TEXTURE_COMPARE_MODE, int(gl::NONE)));
        }
        TextureParameter::CompareFunc(Some(func)) => {
            calls.push((gl::TEXTURE_COMPARE_MODE, int(gl::COMPARE_REF_TO_TEXTURE)));
            calls.push((gl::TEXTURE_COMPARE_FUNC, int(compare_func(func))));
        }
        TextureParameter::Anisotropy(value) if max_anisotropy > 0.0 => {
            let clamped = value.0.max(1.0).min(max_anisotropy);
            calls.push((TEXTURE_MAX_ANISOTROPY, Float(clamped)));
        }
        TextureParameter::Anisotropy(_) => {}
        TextureParameter::BorderColor(color) => {
            let border = int(gl::CLAMP_TO_BORDER);
            calls.push((gl::TEXTURE_WRAP_S, border));
            calls.push((gl::TEXTURE_WRAP_T, border));
            calls.push((gl::TEXTURE_WRAP_R, border));
            calls.push((gl::TEXTURE_BORDER_COLOR, Color(color.map(|c| c.0))));
        }
        TextureParameter::MinLod(value) => calls.push((gl::TEXTURE_MIN_LOD, Float(value.0))),
        TextureParameter::MaxLod(value) => calls.push((gl::TEXTURE_MAX_LOD, Float(value.0))),
    }
    calls
}

/// The component type of a vertex format field (0 for one that [`Field::is_valid`] rejects,
/// which validation keeps from replay).
pub(super) fn component_type(field: &Field) -> GLenum {
    match (field.kind, field.size) {
        (ScalarKind::Float, 1) | (ScalarKind::Uint, 1) => gl::UNSIGNED_BYTE,
        (ScalarKind::Float, 2) => gl::HALF_FLOAT,
        (ScalarKind::Float, 4) => gl::FLOAT,
        (ScalarKind::Float, 8) => gl::DOUBLE,
        (ScalarKind::Int, 1) => gl::BYTE,
        (ScalarKind::Int, 2) => gl::SHORT,
        (ScalarKind::Int, 4) => gl::INT,
        (ScalarKind::Uint, 2) => gl::UNSIGNED_SHORT,
        (ScalarKind::Uint, 4) => gl::UNSIGNED_INT,
        _ => 0,
    }
}

/// Whether a uniform of GL type `ty` is a sampler or an image, which is set as an `int`
/// (its texture or image unit), as ModernGL sets the types of its table.
pub(super) fn takes_unit(ty: GLenum) -> bool {
    matches!(
        ty,
        gl::SAMPLER_1D
            | gl::SAMPLER_1D_ARRAY
            | gl::INT_SAMPLER_1D
            | gl::INT_SAMPLER_1D_ARRAY
            | gl::SAMPLER_2D
            | gl::INT_SAMPLER_2D
            | gl::UNSIGNED_INT_SAMPLER_2D
            | gl::SAMPLER_2D_ARRAY
            | gl::INT_SAMPLER_2D_ARRAY
            | gl::UNSIGNED_INT_SAMPLER_2D_ARRAY
            | gl::SAMPLER_3D
            | gl::INT_SAMPLER_3D
            | gl::UNSIGNED_INT_SAMPLER_3D
            | gl::SAMPLER_2D_SHADOW
            | gl::SAMPLER_2D_MULTISAMPLE
            | gl::INT_SAMPLER_2D_MULTISAMPLE
            | gl::UNSIGNED_INT_SAMPLER_2D_MULTISAMPLE
            | gl::SAMPLER_2D_MULTISAMPLE_ARRAY
            | gl::INT_SAMPLER_2D_MULTISAMPLE_ARRAY
            | gl::UNSIGNED_INT_SAMPLER_2D_MULTISAMPLE_ARRAY
            | gl::SAMPLER_CUBE
            | gl::INT_SAMPLER_CUBE
            | gl::UNSIGNED_INT_SAMPLER_CUBE
            | gl::IMAGE_2D
    )
}

/// The uniform type as glGetActiveUniform reports it.
pub(super) fn uniform_type(ty: UniformType) -> GLenum {
    match ty {
        UniformType::Float => gl::FLOAT,
        UniformType::Vec2 => gl::FLOAT_VEC2,
        UniformType::Vec3 => gl::FLOAT_VEC3,
        UniformType::Vec4 => gl::FLOAT_VEC4,
        UniformType::Int => gl::INT,
        UniformType::IVec2 => gl::INT_VEC2,
        UniformType::IVec3 => gl::INT_VEC3,
        UniformType::IVec4 => gl::INT_VEC4,
        UniformType::UInt => gl::UNSIGNED_INT,
        UniformType::UVec2 => gl::UNSIGNED_INT_VEC2,
        UniformType::UVec3 => gl::UNSIGNED_INT_VEC3,
        UniformType::UVec4 => gl::UNSIGNED_INT_VEC4,
        UniformType::Mat2 => gl::FLOAT_MAT2,
        UniformType::Mat3 => gl::FLOAT_MAT3,
        UniformType::Mat4 => gl::FLOAT_MAT4,
        UniformType::Bool => gl::BOOL,
        UniformType::BVec2 => gl::BOOL_VEC2,
        UniformType::BVec3 => gl::BOOL_VEC3,
        UniformType::BVec4 => gl::BOOL_VEC4,
        UniformType::Double => gl::DOUBLE,
        UniformType::DVec2 => gl::DOUBLE_VEC2,
        UniformType::DVec3 => gl::DOUBLE_VEC3,
        UniformType::DVec4 => gl::DOUBLE_VEC4,
        UniformType::Mat2x3 => gl::FLOAT_MAT2x3,
        UniformType::Mat2x4 => gl::FLOAT_MAT2x4,
        UniformType::Mat3x2 => gl::FLOAT_MAT3x2,
        UniformType::Mat3x4 => gl::FLOAT_MAT3x4,
        UniformType::Mat4x2 => gl::FLOAT_MAT4x2,
        UniformType::Mat4x3 => gl::FLOAT_MAT4x3,
        UniformType::DMat2 => gl::DOUBLE_MAT2,
        UniformType::DMat3 => gl::DOUBLE_MAT3,
        UniformType::DMat4 => gl::DOUBLE_MAT4,
        UniformType::DMat2x3 => gl::DOUBLE_MAT2x3,
        UniformType::DMat2x4 => gl::DOUBLE_MAT2x4,
        UniformType::DMat3x2 => gl::DOUBLE_MAT3x2,
        UniformType::DMat3x4 => gl::DOUBLE_MAT3x4,
        UniformType::DMat4x2 => gl::DOUBLE_MAT4x2,
        UniformType::DMat4x3 => gl::DOUBLE_MAT4x3,
    }
}

/// The uniform type of a glGetActiveUniform type, if gltape can set it.
pub(super) fn uniform_type_of(value: GLenum) -> Option<UniformType> {
    UniformType::ALL
        .into_iter()
        .find(|&ty| uniform_type(ty) == value)
}

/// An image unit's access.
pub(super) fn image_access(access: ImageAccess) -> GLenum {
    match access {
        ImageAccess::ReadOnly => gl::READ_ONLY,
        ImageAccess::WriteOnly => gl::WRITE_ONLY,
        ImageAccess::ReadWrite => gl::READ_WRITE,
    }
}

/// An image unit's format.
pub(super) fn image_format(format: ImageFormat) -> GLenum {
    use ImageFormat::*;
    match format {
        Rgba32f => gl::RGBA32F,
        Rgba16f => gl::RGBA16F,
        Rg32f => gl::RG32F,
        Rg16f => gl::RG16F,
        R11fG11fB10f => gl::R11F_G11F_B10F,
        R32f => gl::R32F,
        R16f => gl::R16F,
        Rgba32ui => gl::RGBA32UI,
        Rgba16ui => gl::RGBA16UI,
        Rgb10A2ui => gl::RGB10_A2UI,
        Rgba8ui => gl::RGBA8UI,
        Rg32ui => gl::RG32UI,
        Rg16ui => gl::RG16UI,
        Rg8ui => gl::RG8UI,
        R32ui => gl::R32UI,
        R16ui => gl::R16UI,
        R8ui => gl::R8UI,
        Rgba32i => gl::RGBA32I,
        Rgba16i => gl::RGBA16I,
        Rgba8i => gl::RGBA8I,
        Rg32i => gl::RG32I,
        Rg16i => gl::RG16I,
        Rg8i => gl::RG8I,
        R32i => gl::R32I,
        R16i => gl::R16I,
        R8i => gl::R8I,
        Rgba16 => gl::RGBA16,
        Rgb10A2 => gl::RGB10_A2,
        Rgba8 => gl::RGBA8,
        Rg16 => gl::RG16,
        Rg8 => gl::RG8,
        R16 => gl::R16,
        R8 => gl::R8,
        Rgba16Snorm => gl::RGBA16_SNORM,
        Rgba8Snorm => gl::RGBA8_SNORM,
        Rg16Snorm => gl::RG16_SNORM,
        Rg8Snorm => gl::RG8_SNORM,
        R16Snorm => gl::R16_SNORM,
        R8Snorm => gl::R8_SNORM,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vertex_format::VertexFormat;

    #[test]
    fn uniform_types_round_trip() {
        for ty in UniformType::ALL {
            assert_eq!(uniform_type_of(uniform_type(ty)), Some(ty));
        }
    }

    #[test]
    fn component_types_of_every_format_letter() {
        let format = VertexFormat::parse("1f1 1f2 1f4 1f8 1i1 1i2 1i4 1u1 1u2 1u4").unwrap();
        let types: Vec<GLenum> = format.fields.iter().map(component_type).collect();
        assert_eq!(
            types,
            [
                gl::UNSIGNED_BYTE,
                gl::HALF_FLOAT,
                gl::FLOAT,
                gl::DOUBLE,
                gl::BYTE,
                gl::SHORT,
                gl::INT,
                gl::UNSIGNED_BYTE,
                gl::UNSIGNED_SHORT,
                gl::UNSIGNED_INT
            ]
        );
    }
}
