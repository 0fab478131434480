//! Compute shaders, image units and memory barriers as a list describes them (ModernGL's
//! `ctx.compute_shader`, `ComputeShader.run` and `run_indirect`, `texture.bind_to_image` and
//! `ctx.memory_barrier`), with GL 4.5's guaranteed limits for them.

use super::desc::PixelType;
use super::texture::TextureDesc;
use serde::{Deserialize, Serialize};

/// Work groups of one dispatch along each axis: GL 4.5's guaranteed
/// `GL_MAX_COMPUTE_WORK_GROUP_COUNT`. An indirect dispatch's counts are checked at replay
/// against the context's own limits.
pub const MAX_COMPUTE_GROUPS: u32 = 65535;

/// Image units a list may bind: GL 4.5's guaranteed `GL_MAX_IMAGE_UNITS`.
pub const MAX_IMAGE_UNITS: u32 = 8;

/// The source of a compute shader (ModernGL: `ctx.compute_shader(source)`), compiled and
/// linked at replay into a program of its own.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComputeShaderDesc {
    /// GLSL of the compute stage.
    pub source: String,
}

/// The bits of `glMemoryBarrier` (ModernGL: `ctx.memory_barrier(barriers, by_region)`, with
/// ModernGL's constants `moderngl.SHADER_STORAGE_BARRIER_BIT` and friends), written as the
/// number GL takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Barriers(pub u32);

impl Barriers {
    /// GL_VERTEX_ATTRIB_ARRAY_BARRIER_BIT.
    pub const VERTEX_ATTRIB_ARRAY: Barriers = Barriers(0x1);
    /// GL_ELEMENT_ARRAY_BARRIER_BIT.
    pub const ELEMENT_ARRAY: Barriers = Barriers(0x2);
    /// GL_UNIFORM_BARRIER_BIT.
    pub const UNIFORM: Barriers = Barriers(0x4);
    /// GL_TEXTURE_FETCH_BARRIER_BIT.
    pub const TEXTURE_FETCH: Barriers = Barriers(0x8);
    /// GL_SHADER_IMAGE_ACCESS_BARRIER_BIT.
    pub const SHADER_IMAGE_ACCESS: Barriers = Barriers(0x20);
    /// GL_COMMAND_BARRIER_BIT.
    pub const COMMAND: Barriers = Barriers(0x40);
    /// GL_PIXEL_BUFFER_BARRIER_BIT.
    pub const PIXEL_BUFFER: Barriers = Barriers(0x80);
    /// GL_TEXTURE_UPDATE_BARRIER_BIT.
    pub const TEXTURE_UPDATE: Barriers = Barriers(0x100);
    /// GL_BUFFER_UPDATE_BARRIER_BIT.
    pub const BUFFER_UPDATE: Barriers = Barriers(0x200);
    /// GL_FRAMEBUFFER_BARRIER_BIT.
    pub const FRAMEBUFFER: Barriers = Barriers(0x400);
    /// GL_TRANSFORM_FEEDBACK_BARRIER_BIT.
    pub const TRANSFORM_FEEDBACK: Barriers = Barriers(0x800);
    /// GL_ATOMIC_COUNTER_BARRIER_BIT.
    pub const ATOMIC_COUNTER: Barriers = Barriers(0x1000);
    /// GL_SHADER_STORAGE_BARRIER_BIT.
    pub const SHADER_STORAGE: Barriers = Barriers(0x2000);
    /// GL_CLIENT_MAPPED_BUFFER_BARRIER_BIT.
    pub const CLIENT_MAPPED_BUFFER: Barriers = Barriers(0x4000);
    /// GL_QUERY_BUFFER_BARRIER_BIT.
    pub const QUERY_BUFFER: Barriers = Barriers(0x8000);
    /// GL_ALL_BARRIER_BITS, ModernGL's default.
    pub const ALL: Barriers = Barriers(u32::MAX);

    /// Every bit GL 4.5 defines.
    const DEFINED: u32 = 0xFFEF;

    /// The bits glMemoryBarrierByRegion takes (GL 4.5, section 7.13.2).
    const BY_REGION: u32 = 0x1000 | 0x400 | 0x20 | 0x2000 | 0x8 | 0x4;

    /// Whether GL takes these bits: [`Barriers::ALL`], or bits GL 4.5 defines (by region,
    /// only those glMemoryBarrierByRegion takes).
    pub fn is_valid(self, by_region: bool) -> bool {
        let allowed = if by_region {
            Self::BY_REGION
        } else {
            Self::DEFINED
        };
        self == Self::ALL || self.0 & !allowed == 0
    }
}

impl std::ops::BitOr for Barriers {
    type Output = Barriers;

    fn bitor(self, other: Barriers) -> Barriers {
        Barriers(self.0 | other.0)
    }
}

/// How shaders may use an image unit (ModernGL's `read` and `write` flags of
/// `bind_to_image`; at least one of them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImageAccess {
    /// GL_READ_ONLY (`read=True, write=False`).
    ReadOnly,
    /// GL_WRITE_ONLY (`read=False, write=True`).
    WriteOnly,
    /// GL_READ_WRITE (ModernGL's default).
    ReadWrite,
}

impl ImageAccess {
    /// The access of ModernGL's two flags, or `None` when neither is set (ModernGL: "Illegal
    /// access mode").
    pub fn new(read: bool, write: bool) -> Option<ImageAccess> {
        match (read, write) {
            (true, true) => Some(ImageAccess::ReadWrite),
            (true, false) => Some(ImageAccess::ReadOnly),
            (false, true) => Some(ImageAccess::WriteOnly),
            (false, false) => None,
        }
    }
}

/// The format of an image unit: the formats of GL 4.5's table 8.27, which image loads and
/// stores take (ModernGL's `format`, a GL enum there; its default is the texture's internal
/// format, see [`ImageFormat::of_texture`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs, reason = "each variant is the GL format of its name")]
pub enum ImageFormat {
    Rgba32f,
    Rgba16f,
    Rg32f,
    Rg16f,
    R11fG11fB10f,
    R32f,
    R16f,
    Rgba32ui,
    Rgba16ui,
    Rgb10A2ui,
    Rgba8ui,
    Rg32ui,
    Rg16ui,
    Rg8ui,
    R32ui,
    R16ui,
    R8ui,
    Rgba32i,
    Rgba16i,
    Rgba8i,
    Rg32i,
    Rg16i,
    Rg8i,
    R32i,
    R16i,
    R8i,
    Rgba16,
    Rgb10A2,
    Rgba8,
    Rg16,
    Rg8,
    R16,
    R8,
    Rgba16Snorm,
    Rgba8Snorm,
    Rg16Snorm,
    Rg8Snorm,
    R16Snorm,
    R8Snorm,
}

impl ImageFormat {
    /// The image format of a texture's own internal format, as ModernGL binds it when no
    /// format is given, or `None` where that internal format is no image format (3
    /// components, depth, sRGB): GL refuses to bind such a texture without a format.
    pub fn of_texture(desc: &TextureDesc) -> Option<ImageFormat> {
        use ImageFormat::*;
        if desc.depth || desc.internal_format.is_some() {
            return None;
        }
        let [r, rg, rgba] = match desc.dtype {
            PixelType::F1 | PixelType::Nu1 | PixelType::Ni1 => [R8, Rg8, Rgba8],
            PixelType::F2 => [R16f, Rg16f, Rgba16f],
            PixelType::F4 => [R32f, Rg32f, Rgba32f],
            PixelType::U1 => [R8ui, Rg8ui, Rgba8ui],
            PixelType::U2 => [R16ui, Rg16ui, Rgba16ui],
            PixelType::U4 => [R32ui, Rg32ui, Rgba32ui],
            PixelType::I1 => [R8i, Rg8i, Rgba8i],
            PixelType::I2 => [R16i, Rg16i, Rgba16i],
            PixelType::I4 => [R32i, Rg32i, Rgba32i],
            PixelType::Nu2 | PixelType::Ni2 => [R16, Rg16, Rgba16],
        };
        match desc.components {
            1 => Some(r),
            2 => Some(rg),
            4 => Some(rgba),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn barriers_are_the_bits_gl_defines() {
        assert!(Barriers::ALL.is_valid(false) && Barriers::ALL.is_valid(true));
        let storage = Barriers::SHADER_STORAGE | Barriers::COMMAND;
        assert!(storage.is_valid(false));
        assert!(!storage.is_valid(true), "no command barrier by region");
        assert!(Barriers::SHADER_STORAGE.is_valid(true));
        assert!(!Barriers(0x10).is_valid(false), "bit 4 is not GL's");
        assert!(!Barriers(0x10000).is_valid(false));
        assert!(Barriers(0).is_valid(false));
        assert_eq!(
            serde_json::to_string(&Barriers::SHADER_STORAGE).unwrap(),
            "8192"
        );
    }

    #[test]
    fn textures_bind_with_their_own_format() {
        let rgba = TextureDesc::texture(2, 2, 4);
        assert_eq!(ImageFormat::of_texture(&rgba), Some(ImageFormat::Rgba8));
        let r32f = TextureDesc::texture(2, 2, 1).dtype(PixelType::F4);
        assert_eq!(ImageFormat::of_texture(&r32f), Some(ImageFormat::R32f));
        assert_eq!(
            ImageFormat::of_texture(&TextureDesc::texture(2, 2, 3)),
            None
        );
        assert_eq!(ImageFormat::of_texture(&TextureDesc::depth(2, 2)), None);
        let names = [
            (ImageFormat::R11fG11fB10f, "\"r11f_g11f_b10f\""),
            (ImageFormat::Rgb10A2ui, "\"rgb10_a2ui\""),
            (ImageFormat::Rgba8Snorm, "\"rgba8_snorm\""),
            (ImageFormat::Rg32ui, "\"rg32ui\""),
        ];
        for (format, name) in names {
            assert_eq!(serde_json::to_string(&format).unwrap(), name);
        }
    }
}
