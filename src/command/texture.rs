//! Textures and samplers as a list describes them (ModernGL's `ctx.texture`,
//! `ctx.texture_array`, `ctx.texture3d`, `ctx.texture_cube`, `ctx.depth_texture`,
//! `ctx.sampler` and their methods and properties): what a texture is made of, where a write
//! goes, and the sampling parameters, with the byte counts ModernGL expects.

use crate::ids::{BufferId, TextureId};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

use super::desc::PixelType;
use super::pipeline::{CompareFunc, Float};

/// Texture units a list may bind: GL 4.5's guaranteed `GL_MAX_COMBINED_TEXTURE_IMAGE_UNITS`.
pub const MAX_TEXTURE_UNITS: u32 = 80;

/// The largest side of a 2D texture, a texture array's layer or a cube map face: GL 4.5's
/// guaranteed `GL_MAX_TEXTURE_SIZE` (and `GL_MAX_CUBE_MAP_TEXTURE_SIZE`).
pub const MAX_TEXTURE_SIDE: u32 = 16384;

/// The largest side of a 3D texture: GL 4.5's guaranteed `GL_MAX_3D_TEXTURE_SIZE`.
pub const MAX_TEXTURE_3D_SIDE: u32 = 2048;

/// The most layers of a texture array: GL 4.5's guaranteed `GL_MAX_ARRAY_TEXTURE_LAYERS`.
pub const MAX_TEXTURE_LAYERS: u32 = 2048;

/// The most samples of a multisample texture: GL 4.5's guaranteed `GL_MAX_SAMPLES`.
pub const MAX_TEXTURE_SAMPLES: u8 = 4;

/// Which ModernGL constructor made a texture, named after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TextureKind {
    /// A 2D texture, multisample when it has samples (`ctx.texture`, `ctx.depth_texture`).
    #[serde(rename = "texture")]
    Texture2D,
    /// Layers of 2D images (`ctx.texture_array`).
    #[serde(rename = "texture_array")]
    Array,
    /// A 3D texture (`ctx.texture3d`).
    #[serde(rename = "texture3d")]
    Texture3D,
    /// A cube map of six square faces in GL's order +X, -X, +Y, -Y, +Z, -Z
    /// (`ctx.texture_cube`).
    #[serde(rename = "texture_cube")]
    Cube,
}

impl TextureKind {
    /// ModernGL's name of the constructor (and of the text form's `kind`).
    pub fn name(self) -> &'static str {
        match self {
            TextureKind::Texture2D => "texture",
            TextureKind::Array => "texture_array",
            TextureKind::Texture3D => "texture3d",
            TextureKind::Cube => "texture_cube",
        }
    }

    /// Whether its size has a third dimension (layers or depth).
    pub fn is_layered(self) -> bool {
        matches!(self, TextureKind::Array | TextureKind::Texture3D)
    }
}

/// An internal format other than the one ModernGL picks from components and dtype
/// (ModernGL's `internal_format=`): the overrides gltape allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InternalFormat {
    /// GL_SRGB8_ALPHA8: 4 components of dtype `f1`, color in sRGB (decoded to linear when
    /// sampled), alpha linear.
    Srgb8Alpha8,
    /// GL_SRGB8: 3 components of dtype `f1`, in sRGB.
    Srgb8,
}

impl InternalFormat {
    /// The components and dtype of the data it stores.
    pub fn layout(self) -> (u8, PixelType) {
        match self {
            InternalFormat::Srgb8Alpha8 => (4, PixelType::F1),
            InternalFormat::Srgb8 => (3, PixelType::F1),
        }
    }
}

/// A texture as created (ModernGL: `ctx.texture(size, components, data, samples, alignment,
/// dtype, internal_format)` and the other constructors).
///
/// ```
/// use gltape::command::{InternalFormat, TextureDesc};
///
/// // ctx.texture((256, 64), 4, internal_format=GL_SRGB8_ALPHA8)
/// let desc = TextureDesc::texture(256, 64, 4).internal_format(InternalFormat::Srgb8Alpha8);
/// assert_eq!(desc.data_size(), Some(256 * 64 * 4));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextureDesc {
    /// Which constructor.
    pub kind: TextureKind,
    /// Width, height, and layers (arrays) or depth (3D); 1 for 2D textures and cube maps.
    pub size: [u32; 3],
    /// Components per pixel, 1 (R) to 4 (RGBA); 1 for depth textures.
    pub components: u8,
    /// Component type; `f4` for depth textures.
    pub dtype: PixelType,
    /// Samples of a multisample 2D texture (0: not multisample; 1, 2 or 4).
    pub samples: u8,
    /// Row alignment of the data, 1, 2, 4 or 8 bytes: each row of pixels is padded to a
    /// multiple of it (ModernGL's `alignment`).
    pub alignment: u8,
    /// An internal format overriding ModernGL's choice.
    pub internal_format: Option<InternalFormat>,
    /// A 2D depth texture (GL_DEPTH_COMPONENT24, compared with `<=` by default).
    pub depth: bool,
}

impl TextureDesc {
    fn new(kind: TextureKind, size: [u32; 3], components: u8) -> Self {
        TextureDesc {
            kind,
            size,
            components,
            dtype: PixelType::F1,
            samples: 0,
            alignment: 1,
            internal_format: None,
            depth: false,
        }
    }

    /// A 2D texture of `components` `f1` components, alignment 1 (`ctx.texture`).
    pub fn texture(width: u32, height: u32, components: u8) -> Self {
        Self::new(TextureKind::Texture2D, [width, height, 1], components)
    }

    /// A texture array (`ctx.texture_array`).
    pub fn array(width: u32, height: u32, layers: u32, components: u8) -> Self {
        Self::new(TextureKind::Array, [width, height, layers], components)
    }

    /// A 3D texture (`ctx.texture3d`).
    pub fn texture3d(width: u32, height: u32, depth: u32, components: u8) -> Self {
        Self::new(TextureKind::Texture3D, [width, height, depth], components)
    }

    /// A cube map with faces of `width` x `height` (equal) pixels (`ctx.texture_cube`).
    pub fn cube(width: u32, height: u32, components: u8) -> Self {
        Self::new(TextureKind::Cube, [width, height, 1], components)
    }

    /// A 2D depth texture, alignment 4 as ModernGL's default (`ctx.depth_texture`).
    pub fn depth(width: u32, height: u32) -> Self {
        TextureDesc {
            dtype: PixelType::F4,
            alignment: 4,
            depth: true,
            ..Self::new(TextureKind::Texture2D, [width, height, 1], 1)
        }
    }

    /// The same with component type `dtype`.
    pub fn dtype(self, dtype: PixelType) -> Self {
        TextureDesc { dtype, ..self }
    }

    /// The same with `samples` samples (a multisample 2D texture).
    pub fn samples(self, samples: u8) -> Self {
        TextureDesc { samples, ..self }
    }

    /// The same with rows aligned to `alignment` bytes.
    pub fn alignment(self, alignment: u8) -> Self {
        TextureDesc { alignment, ..self }
    }

    /// The same with an internal format override.
    pub fn internal_format(self, format: InternalFormat) -> Self {
        TextureDesc {
            internal_format: Some(format),
            ..self
        }
    }

    /// Bytes per pixel of the data (components times the dtype's size).
    pub fn pixel_bytes(&self) -> u64 {
        u64::from(self.components) * self.dtype.size()
    }

    /// Images of one level: the layers of an array, the slices of a 3D texture's level 0,
    /// the six faces of a cube map, else 1.
    fn images(&self) -> u64 {
        match self.kind {
            TextureKind::Cube => 6,
            _ => u64::from(self.size[2]),
        }
    }

    /// The size of `level`: each side halved per level down to 1 (arrays keep their layers),
    /// as ModernGL sizes levels (`size >> level`).
    pub fn level_size(&self, level: u32) -> [u32; 3] {
        let half = |side: u32| side.checked_shr(level).unwrap_or(0).max(1);
        let [width, height, depth] = self.size;
        let depth = match self.kind {
            TextureKind::Texture3D => half(depth),
            _ => depth,
        };
        [half(width), half(height), depth]
    }

    /// The highest mipmap level its size allows (`floor(log2(largest side))`).
    pub fn top_level(&self) -> u32 {
        let [width, height, depth] = self.size;
        let largest = match self.kind {
            TextureKind::Texture3D => width.max(height).max(depth),
            _ => width.max(height),
        };
        largest.max(1).ilog2()
    }

    /// Bytes of `width` x `height` x `depth` pixels with each row padded to the alignment,
    /// as ModernGL counts data (`None` when the count overflows).
    pub fn region_bytes(&self, width: u32, height: u32, depth: u32) -> Option<u64> {
        let row = u64::from(width).checked_mul(self.pixel_bytes())?;
        let alignment = u64::from(self.alignment.max(1));
        let row = row.checked_next_multiple_of(alignment)?;
        row.checked_mul(u64::from(height))?
            .checked_mul(u64::from(depth))
    }

    /// Bytes of the initial data (every face of a cube map, one after the other), or `None`
    /// when the count overflows.
    pub fn data_size(&self) -> Option<u64> {
        let [width, height, _] = self.size;
        self.region_bytes(width, height, 1)?
            .checked_mul(self.images())
    }

    /// Bytes GL stores for levels `0..levels` (unpadded, every sample), for resource
    /// limits; saturating.
    pub fn storage_bytes(&self, levels: u32) -> u64 {
        let per_pixel = self
            .pixel_bytes()
            .saturating_mul(u64::from(self.samples.max(1)));
        let faces = if self.kind == TextureKind::Cube { 6 } else { 1 };
        (0..levels)
            .map(|level| {
                let [w, h, d] = self.level_size(level);
                (u64::from(w) * u64::from(h))
                    .saturating_mul(u64::from(d))
                    .saturating_mul(per_pixel)
            })
            .fold(0u64, u64::saturating_add)
            .saturating_mul(faces)
    }
}

/// A box of pixels of one level: `(x, y, z)` is its corner (z: the first layer or slice),
/// then its size. A 2D write's box has `z` 0 and `depth` 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TextureRegion {
    /// Left edge.
    pub x: u32,
    /// Bottom edge.
    pub y: u32,
    /// First layer or slice.
    pub z: u32,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Layers or slices.
    pub depth: u32,
}

impl TextureRegion {
    /// A rectangle of a 2D level or cube face (ModernGL's viewport `(x, y, width, height)`).
    pub fn rect(x: u32, y: u32, width: u32, height: u32) -> Self {
        TextureRegion {
            x,
            y,
            z: 0,
            width,
            height,
            depth: 1,
        }
    }

    /// A box of an array or 3D texture (ModernGL's viewport `(x, y, z, width, height,
    /// depth)`).
    pub fn cuboid(x: u32, y: u32, z: u32, width: u32, height: u32, depth: u32) -> Self {
        TextureRegion {
            x,
            y,
            z,
            width,
            height,
            depth,
        }
    }

    /// The whole of a level of `size`.
    pub fn whole(size: [u32; 3]) -> Self {
        Self::cuboid(0, 0, 0, size[0], size[1], size[2])
    }

    /// True when the box lies inside a level of `size`.
    pub fn fits_in(&self, size: [u32; 3]) -> bool {
        let inside =
            |start: u32, len: u32, side: u32| u64::from(start) + u64::from(len) <= u64::from(side);
        inside(self.x, self.width, size[0])
            && inside(self.y, self.height, size[1])
            && inside(self.z, self.depth, size[2])
    }

    /// True when the box holds no pixel.
    pub fn is_empty(&self) -> bool {
        self.width == 0 || self.height == 0 || self.depth == 0
    }
}

/// A write into a texture (ModernGL: `texture.write(data, viewport, level, alignment)`,
/// `texture_cube.write(face, data, viewport, alignment)`); the data is the command's payload
/// or, with `buffer`, the bytes at the start of a buffer (GL_PIXEL_UNPACK_BUFFER).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextureWrite {
    /// The texture written.
    pub texture: TextureId,
    /// The face of a cube map, 0 to 5 (+X, -X, +Y, -Y, +Z, -Z); `None` for other kinds.
    pub face: Option<u8>,
    /// Where in the level, or the whole level.
    pub viewport: Option<TextureRegion>,
    /// The mipmap level (only 2D textures write other levels than 0, as in ModernGL).
    pub level: u32,
    /// Row alignment of the data, 1, 2, 4 or 8.
    pub alignment: u8,
    /// The buffer the pixels come from, from its first byte, instead of the payload.
    pub buffer: Option<BufferId>,
}

impl TextureWrite {
    /// A write of all of level 0 at alignment 1 (ModernGL's defaults).
    pub fn new(texture: TextureId) -> Self {
        TextureWrite {
            texture,
            face: None,
            viewport: None,
            level: 0,
            alignment: 1,
            buffer: None,
        }
    }

    /// The same into `viewport` only.
    pub fn viewport(self, viewport: TextureRegion) -> Self {
        TextureWrite {
            viewport: Some(viewport),
            ..self
        }
    }

    /// The same into mipmap level `level`.
    pub fn level(self, level: u32) -> Self {
        TextureWrite { level, ..self }
    }

    /// The same with rows aligned to `alignment` bytes.
    pub fn alignment(self, alignment: u8) -> Self {
        TextureWrite { alignment, ..self }
    }

    /// The same into face `face` of a cube map.
    pub fn face(self, face: u8) -> Self {
        TextureWrite {
            face: Some(face),
            ..self
        }
    }
}

/// A texture's minification filter (GL_TEXTURE_MIN_FILTER).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MinFilter {
    /// GL_NEAREST.
    Nearest,
    /// GL_LINEAR.
    Linear,
    /// GL_NEAREST_MIPMAP_NEAREST.
    NearestMipmapNearest,
    /// GL_LINEAR_MIPMAP_NEAREST.
    LinearMipmapNearest,
    /// GL_NEAREST_MIPMAP_LINEAR.
    NearestMipmapLinear,
    /// GL_LINEAR_MIPMAP_LINEAR.
    LinearMipmapLinear,
}

/// A texture's magnification filter (GL_TEXTURE_MAG_FILTER).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MagFilter {
    /// GL_NEAREST.
    Nearest,
    /// GL_LINEAR.
    Linear,
}

/// Where one component of a swizzled texel comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SwizzleSource {
    /// `R`: the red component.
    Red,
    /// `G`: green.
    Green,
    /// `B`: blue.
    Blue,
    /// `A`: alpha.
    Alpha,
    /// `0`: zero.
    Zero,
    /// `1`: one.
    One,
}

impl SwizzleSource {
    const ALL: [SwizzleSource; 6] = [
        SwizzleSource::Red,
        SwizzleSource::Green,
        SwizzleSource::Blue,
        SwizzleSource::Alpha,
        SwizzleSource::Zero,
        SwizzleSource::One,
    ];

    fn letter(self) -> char {
        match self {
            SwizzleSource::Red => 'R',
            SwizzleSource::Green => 'G',
            SwizzleSource::Blue => 'B',
            SwizzleSource::Alpha => 'A',
            SwizzleSource::Zero => '0',
            SwizzleSource::One => '1',
        }
    }

    fn of(letter: char) -> Option<Self> {
        let upper = letter.to_ascii_uppercase();
        Self::ALL.into_iter().find(|s| s.letter() == upper)
    }
}

/// A texture swizzle (ModernGL's `swizzle = "BGRA"`): sources of the first one to four
/// components of a sampled texel, in order; the components after them keep theirs.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Swizzle([Option<SwizzleSource>; 4]);

/// Why a swizzle string was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("swizzle {text:?}: {problem}")]
pub struct SwizzleError {
    /// The string.
    pub text: String,
    /// What is wrong (ModernGL's words).
    pub problem: &'static str,
}

impl Swizzle {
    /// Parses ModernGL's string: 1 to 4 of `R G B A 0 1` (either case).
    pub fn parse(text: &str) -> Result<Swizzle, SwizzleError> {
        let error = |problem| SwizzleError {
            text: text.chars().take(16).collect(),
            problem,
        };
        let mut sources = [None; 4];
        let mut count = 0;
        for letter in text.chars() {
            let slot = sources
                .get_mut(count)
                .ok_or(error("the swizzle is too long"))?;
            *slot = Some(SwizzleSource::of(letter).ok_or(error("not a swizzle letter (RGBA01)"))?);
            count += 1;
        }
        if count == 0 {
            return Err(error("the swizzle is empty"));
        }
        Ok(Swizzle(sources))
    }

    /// The sources given, one per component from red on.
    pub fn sources(&self) -> impl Iterator<Item = SwizzleSource> + '_ {
        self.0.iter().map_while(|s| *s)
    }

    /// The string, upper case.
    fn text(&self) -> String {
        self.sources().map(SwizzleSource::letter).collect()
    }

    /// The bytes of the binary form: letters, then zeros.
    fn bytes(&self) -> [u8; 4] {
        let mut bytes = [0; 4];
        for (byte, source) in bytes.iter_mut().zip(self.sources()) {
            *byte = source.letter() as u8;
        }
        bytes
    }
}

impl fmt::Debug for Swizzle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Swizzle({:?})", self.text())
    }
}

/// A swizzle is its string in text (`"BGRA"`) and four bytes in traces (letters, zero
/// padded), parsed again on the way in so that no malformed swizzle exists.
impl Serialize for Swizzle {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            serializer.serialize_str(&self.text())
        } else {
            self.bytes().serialize(serializer)
        }
    }
}

impl<'de> Deserialize<'de> for Swizzle {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = if deserializer.is_human_readable() {
            String::deserialize(deserializer)?
        } else {
            let bytes = <[u8; 4]>::deserialize(deserializer)?;
            bytes
                .iter()
                .take_while(|&&b| b != 0)
                .map(|&b| char::from(b))
                .collect()
        };
        Swizzle::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// One sampling property of a texture or a sampler, each a ModernGL property of that name.
/// Which objects have which is ModernGL's choice (validation checks it): see each variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextureParameter {
    /// `filter = (min, mag)`: textures (not multisample) and samplers.
    Filter(MinFilter, MagFilter),
    /// `repeat_x`: GL_REPEAT when true, else GL_CLAMP_TO_EDGE, along x. 2D textures,
    /// arrays, 3D textures and samplers (not cube maps).
    RepeatX(bool),
    /// `repeat_y`: the same along y.
    RepeatY(bool),
    /// `repeat_z`: the same along z; 3D textures and samplers.
    RepeatZ(bool),
    /// `swizzle`: textures other than depth textures.
    Swizzle(Swizzle),
    /// `compare_func`: the depth comparison, or none (ModernGL's `"?"`); depth textures
    /// and samplers.
    CompareFunc(Option<CompareFunc>),
    /// `anisotropy`, clamped to 1 and the context's maximum at replay (ignored where GL
    /// has no anisotropic filtering); 2D textures, arrays, cube maps and samplers.
    Anisotropy(Float),
    /// `border_color`: sets every wrap mode to GL_CLAMP_TO_BORDER with this RGBA color;
    /// samplers.
    BorderColor([Float; 4]),
    /// `min_lod`: samplers.
    MinLod(Float),
    /// `max_lod`: samplers.
    MaxLod(Float),
}

impl TextureParameter {
    /// ModernGL's name of the property.
    pub fn name(&self) -> &'static str {
        match self {
            TextureParameter::Filter(..) => "filter",
            TextureParameter::RepeatX(_) => "repeat_x",
            TextureParameter::RepeatY(_) => "repeat_y",
            TextureParameter::RepeatZ(_) => "repeat_z",
            TextureParameter::Swizzle(_) => "swizzle",
            TextureParameter::CompareFunc(_) => "compare_func",
            TextureParameter::Anisotropy(_) => "anisotropy",
            TextureParameter::BorderColor(_) => "border_color",
            TextureParameter::MinLod(_) => "min_lod",
            TextureParameter::MaxLod(_) => "max_lod",
        }
    }

    /// The floats it carries (validation checks they are finite).
    pub(crate) fn floats(&self) -> &[Float] {
        match self {
            TextureParameter::Anisotropy(value)
            | TextureParameter::MinLod(value)
            | TextureParameter::MaxLod(value) => std::slice::from_ref(value),
            TextureParameter::BorderColor(color) => color,
            _ => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_counts_follow_moderngl() {
        // 3 pixels of RGB f1 are 9 bytes, padded to 12 per row at alignment 4.
        let desc = TextureDesc::texture(3, 2, 3).alignment(4);
        assert_eq!(desc.data_size(), Some(24));
        assert_eq!(desc.region_bytes(1, 1, 1), Some(4));
        let cube = TextureDesc::cube(2, 2, 1).dtype(PixelType::F2);
        assert_eq!(cube.data_size(), Some(6 * 2 * 2 * 2));
        assert_eq!(TextureDesc::depth(3, 1).data_size(), Some(12));
        assert_eq!(TextureDesc::array(2, 2, 3, 4).data_size(), Some(48));
        assert_eq!(
            TextureDesc::texture(u32::MAX, u32::MAX, 4)
                .dtype(PixelType::F4)
                .data_size(),
            None
        );
    }

    #[test]
    fn levels_halve_down_to_one() {
        let desc = TextureDesc::texture(8, 3, 4);
        assert_eq!(desc.top_level(), 3);
        assert_eq!(desc.level_size(1), [4, 1, 1]);
        assert_eq!(desc.level_size(3), [1, 1, 1]);
        assert_eq!(desc.level_size(40), [1, 1, 1]);
        let volume = TextureDesc::texture3d(2, 2, 16, 1);
        assert_eq!(volume.top_level(), 4);
        assert_eq!(volume.level_size(2), [1, 1, 4]);
        assert_eq!(TextureDesc::array(4, 4, 16, 1).level_size(2), [1, 1, 16]);
        assert_eq!(desc.storage_bytes(2), (8 * 3 + 4) * 4);
    }

    #[test]
    fn swizzles_parse_as_moderngl_reads_them() {
        let swizzle = Swizzle::parse("bgR1").unwrap();
        assert_eq!(swizzle.text(), "BGR1");
        assert_eq!(Swizzle::parse("R").unwrap().sources().count(), 1);
        assert!(Swizzle::parse("").is_err());
        assert!(Swizzle::parse("RGBAR").is_err());
        assert!(Swizzle::parse("RX").is_err());
        let json = serde_json::to_string(&swizzle).unwrap();
        assert_eq!(json, "\"BGR1\"");
        assert_eq!(serde_json::from_str::<Swizzle>(&json).unwrap(), swizzle);
        assert!(serde_json::from_str::<Swizzle>("\"RGBAR\"").is_err());
    }
}
