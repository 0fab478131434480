//! The serde form of one line: [`Op`], one variant per kind of recorder call, with GL enums
//! by name and rectangles as arrays.

use super::number::Scalar;
use crate::command::{
    Attachment, Capability, ColorFormat, InternalFormat, Mode, PixelType, Rect, TextureKind,
    TextureRegion, VaryingsMode,
};
use crate::ids::{BufferId, FramebufferId, ProgramId, ReadbackId, TextureId, VertexArrayId};
use crate::uniform::UniformType;
use serde::{Deserialize, Serialize};

/// One line of text: a recorder call and its arguments, named after the `Recorder` method
/// and its parameters. `id` is the id the call creates; other ids name existing objects.
/// Payloads are [`Bytes`] (decoded by the assembler, which reports the bad digit or range).
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub(super) enum Op {
    /// `buffer`, `dynamic_buffer` (with `data`) or `buffer_reserve` (without).
    Buffer {
        id: BufferId,
        size: u64,
        dynamic: bool,
        data: Option<Bytes>,
    },
    /// `write`.
    Write {
        buffer: BufferId,
        offset: u64,
        data: Bytes,
    },
    /// `orphan`.
    Orphan { buffer: BufferId, size: Option<u64> },
    /// `clear_range` (`clear` is a clear of everything without a chunk).
    Clear {
        buffer: BufferId,
        size: Option<u64>,
        offset: u64,
        chunk: Option<Bytes>,
    },
    /// `read`.
    Read {
        id: ReadbackId,
        buffer: BufferId,
        size: Option<u64>,
        offset: u64,
    },
    /// `copy_buffer`.
    CopyBuffer {
        dst: BufferId,
        src: BufferId,
        size: Option<u64>,
        read_offset: u64,
        write_offset: u64,
    },
    /// `program`, with the fields of its `ProgramDesc`.
    Program {
        id: ProgramId,
        vertex_shader: String,
        fragment_shader: Option<String>,
        geometry_shader: Option<String>,
        varyings: Vec<String>,
        varyings_mode: VaryingsMode,
    },
    /// `uniform_array`: every component of every element, in order.
    Uniform {
        program: ProgramId,
        name: String,
        #[serde(rename = "type")]
        ty: UniformType,
        values: Vec<Scalar>,
    },
    /// `vertex_array`: content entries are `[buffer, format, [names]]`, the index buffer is
    /// `[buffer, element_size]`; `skip_errors` may be left out (false).
    VertexArray {
        id: VertexArrayId,
        program: ProgramId,
        content: Vec<(BufferId, String, Vec<String>)>,
        index: Option<(BufferId, u8)>,
        #[serde(default)]
        skip_errors: bool,
    },
    /// `render`, with the fields of its `Draw`.
    Render {
        vertex_array: VertexArrayId,
        mode: Mode,
        vertices: Option<u32>,
        first: u32,
        instances: u32,
    },
    /// `transform`, with the fields of its `Draw`.
    Transform {
        vertex_array: VertexArrayId,
        outputs: Vec<BufferId>,
        mode: Mode,
        vertices: Option<u32>,
        first: u32,
        instances: u32,
        buffer_offset: u64,
    },
    /// `framebuffer`.
    Framebuffer {
        id: FramebufferId,
        width: u32,
        height: u32,
        color: Vec<Color>,
        depth: bool,
    },
    /// `clear_framebuffer`.
    ClearFramebuffer {
        framebuffer: FramebufferId,
        color: [Scalar; 4],
        depth: Scalar,
        viewport: Option<Rect>,
    },
    /// `read_pixels`.
    ReadPixels {
        id: ReadbackId,
        framebuffer: FramebufferId,
        viewport: Option<Rect>,
        components: u8,
        attachment: u8,
        dtype: PixelType,
    },
    /// `framebuffer_from`: attachments as `{"renderbuffer": id}` or `{"texture": {"id": id,
    /// "level": level, "layer": layer}}`.
    FramebufferFrom {
        id: FramebufferId,
        color_attachments: Vec<Attachment>,
        depth_attachment: Option<Attachment>,
    },
    /// `read_depth`.
    ReadDepth {
        id: ReadbackId,
        framebuffer: FramebufferId,
        viewport: Option<Rect>,
        dtype: PixelType,
    },
    /// `enable`.
    Enable { capability: Capability },
    /// `disable`.
    Disable { capability: Capability },
    /// `texture`: `size` is `[width, height]` for 2D textures and cube maps, `[width,
    /// height, layers or depth]` for arrays and 3D textures.
    Texture {
        id: TextureId,
        kind: TextureKind,
        size: Vec<u32>,
        components: u8,
        dtype: PixelType,
        samples: u8,
        alignment: u8,
        internal_format: Option<InternalFormat>,
        depth: bool,
        data: Option<Bytes>,
    },
    /// `compute_shader`.
    ComputeShader { id: ProgramId, source: String },
    /// `write_texture` (with `data`) or `write_texture_from_buffer` (with `buffer`):
    /// `viewport` is `[x, y, width, height]` or `[x, y, z, width, height, depth]`.
    WriteTexture {
        texture: TextureId,
        face: Option<u8>,
        viewport: Option<Vec<u32>>,
        level: u32,
        alignment: u8,
        data: Option<Bytes>,
        buffer: Option<BufferId>,
    },
    /// `bind_to_uniform_block`.
    BindToUniformBlock {
        buffer: BufferId,
        binding: u32,
        offset: u64,
        size: Option<u64>,
    },
    /// `bind_to_storage_buffer`.
    BindToStorageBuffer {
        buffer: BufferId,
        binding: u32,
        offset: u64,
        size: Option<u64>,
    },
    /// `block_binding`.
    BlockBinding {
        program: ProgramId,
        name: String,
        binding: u32,
    },
    /// `read_chunks`: `start` counts from the end of the buffer when negative.
    ReadChunks {
        id: ReadbackId,
        buffer: BufferId,
        chunk_size: u64,
        start: i64,
        step: i64,
        count: u64,
    },
    /// `write_chunks`: `start` as for `read_chunks`.
    WriteChunks {
        buffer: BufferId,
        start: i64,
        step: i64,
        count: u64,
        data: Bytes,
    },
}

/// The `header` line: the trace header's fields a text can give, its label, the SHA-256 of
/// every readback (hex, in readback id order) and what the trace lacks. Each may be left out
/// (empty). It is no recorder call, so it is no [`Op`].
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct HeaderLine {
    /// Always `"header"`.
    pub op: HeaderName,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub readback_digests: Vec<String>,
    #[serde(default)]
    pub incomplete: Vec<String>,
}

/// The `op` of a [`HeaderLine`].
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum HeaderName {
    Header,
}

/// A payload as the text gives it: hex digits, or `{"offset": N, "len": M}`, bytes `N..N+M`
/// of the payload file handed to the assembler (`gltape assemble --payloads FILE`).
#[derive(Debug)]
pub(super) enum Bytes {
    /// Two hex digits per byte.
    Hex(String),
    /// A range of the payload file.
    File { offset: u64, len: u64 },
}

impl Serialize for Bytes {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Bytes::Hex(hex) => serializer.serialize_str(hex),
            Bytes::File { offset, len } => FileRange {
                offset: *offset,
                len: *len,
            }
            .serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for Bytes {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Bytes;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    r#"a hex string or {"offset": N, "len": M} (a range of the payload file)"#,
                )
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Bytes, E> {
                Ok(Bytes::Hex(text.to_owned()))
            }
            fn visit_string<E: serde::de::Error>(self, text: String) -> Result<Bytes, E> {
                Ok(Bytes::Hex(text))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Bytes, A::Error> {
                let range =
                    FileRange::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(Bytes::File {
                    offset: range.offset,
                    len: range.len,
                })
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// The object form of [`Bytes::File`].
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileRange {
    offset: u64,
    len: u64,
}

/// The text form of a texture viewport: 4 numbers for a rectangle (z 0, depth 1), else 6.
pub(super) fn region_text(region: TextureRegion) -> Vec<u32> {
    let TextureRegion {
        x,
        y,
        z,
        width,
        height,
        depth,
    } = region;
    match (z, depth) {
        (0, 1) => vec![x, y, width, height],
        _ => vec![x, y, z, width, height, depth],
    }
}

/// The texture viewport of its text form, or `None` for a list of another length.
pub(super) fn region(text: &[u32]) -> Option<TextureRegion> {
    match *text {
        [x, y, width, height] => Some(TextureRegion::rect(x, y, width, height)),
        [x, y, z, width, height, depth] => {
            Some(TextureRegion::cuboid(x, y, z, width, height, depth))
        }
        _ => None,
    }
}

/// A color attachment format by name (`"rgba8"`, `"rgba32f"`).
#[derive(Debug, Serialize, Deserialize)]
#[serde(transparent)]
pub(super) struct Color(pub ColorFormat);
