//! The body of a chunk record, as written ([`ChunkMetaOut`], borrowing the list) and as read
//! ([`ChunkMetaIn`], or [`ChunkIn`] for versions 1 to 4, borrowing the file).
//!
//! Both sides have the same bincode encoding. The read side mirrors the side-table types
//! with `&str` for `String` and `Vec` for `SmallVec`: borrowed strings mean no length in a
//! hostile file can make the decoder allocate, and serde caps what a `Vec` preallocates from
//! a length (1 MiB) where `SmallVec` reserves whatever the length says. The conversions name
//! every field, so a field added to a side-table type does not compile until it is added here.
//!
//! From version 3 a chunk writes only its non-empty side tables, each tagged with its
//! position in [`Table`], so a new table is one line in `with_side_tables!` and no new format
//! version. Versions 1 and 2 wrote a fixed struct of eight tables, read through a frozen
//! mirror ([`TablesInV2`]) and converted.
//!
//! From version 5 a chunk record's body holds the commands, the tables and the length and
//! CRC-32 of the payload span ([`ChunkMetaOut`], [`ChunkMetaIn`]); the span itself follows the
//! body, 64-byte aligned in the file, so that a mapped file's payloads are used in place.

use crate::command::{
    with_side_tables, Attachment, BufferCopy, Chunks, ClearDesc, ColorFormat, Command,
    ComputeShaderDesc, DepthRead, FramebufferAttachments, FramebufferDesc, IndexBuffer, PixelRead,
    ProgramDesc, Table, Tables, TextureDesc, TextureWrite, Transaction, TransformDesc,
    VaryingsMode, VertexArrayDesc, VertexBinding,
};
use crate::ids::{BufferId, ProgramId, VertexArrayId};
use crate::vertex_format::{Field, Padding, Usage, VertexFormat};
use crate::Draw;
use serde::{Deserialize, Serialize};

/// The body of a chunk record from version 5 on: the payload span follows the body in the
/// file (see the module docs). The body ends with the span's length (`u64`) and CRC-32 as
/// fixed-width little-endian integers, so that a tool can step from record to record without
/// decoding bincode.
#[derive(Serialize)]
pub(super) struct ChunkMetaOut<'a> {
    pub commands: &'a [Command],
    pub tables: &'a TablesOut<'a>,
    pub payload_len: [u8; 8],
    pub payload_crc: [u8; 4],
}

/// [`ChunkMetaOut`] as read.
#[derive(Deserialize)]
pub(super) struct ChunkMetaIn<'a> {
    pub commands: Vec<Command>,
    #[serde(borrow)]
    pub tables: TablesInV3<'a>,
    payload_len: [u8; 8],
    payload_crc: [u8; 4],
}

/// A chunk as read: commands with chunk-local references, payload span, and its side tables
/// as the file's version wrote them (`T`: [`TablesInV3`], or [`TablesInV2`] for versions 1
/// and 2).
#[derive(Deserialize)]
pub(super) struct ChunkIn<'a, T> {
    pub commands: Vec<Command>,
    pub payload: &'a [u8],
    pub tables: T,
}

/// A chunk as the current version reads it.
pub(super) struct Chunk<'a> {
    pub commands: Vec<Command>,
    pub payload: Span<'a>,
    pub tables: TablesIn<'a>,
}

/// Where a chunk's payload bytes are.
pub(super) enum Span<'a> {
    /// Inside the checked record body (versions 1 to 4).
    Body(&'a [u8]),
    /// After the body (version 5 on): bytes `at` of the file, 64-byte aligned, whose CRC-32
    /// is `crc` and is not checked yet.
    File {
        at: std::ops::Range<usize>,
        crc: u32,
    },
}

impl Span<'_> {
    /// Its length in bytes.
    pub(super) fn len(&self) -> usize {
        match self {
            Span::Body(bytes) => bytes.len(),
            Span::File { at, .. } => at.len(),
        }
    }
}

impl<'a> ChunkMetaIn<'a> {
    /// The length of the payload span that follows the body.
    pub(super) fn payload_len(&self) -> u64 {
        u64::from_le_bytes(self.payload_len)
    }

    /// The chunk as the current version reads it, its payload span at `at` in the file.
    pub(super) fn upgrade(self, at: std::ops::Range<usize>) -> Result<Chunk<'a>, String> {
        Ok(Chunk {
            commands: self.commands,
            payload: Span::File {
                at,
                crc: u32::from_le_bytes(self.payload_crc),
            },
            tables: self.tables.upgrade()?,
        })
    }
}

/// Side tables as some format version wrote them.
pub(super) trait ChunkTables<'a> {
    /// The same tables as the current version reads them; `Err` says what is malformed.
    fn upgrade(self) -> Result<TablesIn<'a>, String>;
}

impl<'a, T: ChunkTables<'a>> ChunkIn<'a, T> {
    /// The chunk as the current version reads it.
    pub(super) fn upgrade(self) -> Result<Chunk<'a>, String> {
        Ok(Chunk {
            commands: self.commands,
            payload: Span::Body(self.payload),
            tables: self.tables.upgrade()?,
        })
    }
}

/// The side tables of a chunk from version 3 on: the non-empty ones, each tagged with its
/// position in [`Table`], so that a table added later needs no new format version.
pub(super) type TablesInV3<'a> = Vec<TableIn<'a>>;

impl<'a> ChunkTables<'a> for TablesInV3<'a> {
    fn upgrade(self) -> Result<TablesIn<'a>, String> {
        TablesIn::try_from(self)
    }
}

/// The side tables of a version-1 or version-2 chunk: the eight tables those versions had,
/// every one written, in this order. `V` is what a vertex array reads as: version 1's had no
/// `skip_errors` ([`VertexArrayInV1`]).
#[derive(Deserialize)]
pub(super) struct TablesInV2<'a, V = VertexArrayIn<'a>> {
    copies: Vec<BufferCopy>,
    #[serde(borrow)]
    programs: Vec<ProgramIn<'a>>,
    vertex_arrays: Vec<V>,
    transforms: Vec<TransformIn>,
    framebuffers: Vec<FramebufferIn>,
    clears: Vec<ClearDesc>,
    pixel_reads: Vec<PixelRead>,
    #[serde(borrow)]
    names: Vec<&'a str>,
}

impl<'a, V: Into<VertexArrayIn<'a>>> ChunkTables<'a> for TablesInV2<'a, V> {
    fn upgrade(self) -> Result<TablesIn<'a>, String> {
        Ok(TablesIn {
            copies: self.copies,
            programs: self.programs,
            vertex_arrays: self.vertex_arrays.into_iter().map(Into::into).collect(),
            transforms: self.transforms,
            framebuffers: self.framebuffers,
            clears: self.clears,
            pixel_reads: self.pixel_reads,
            names: self.names,
            // Tables added after version 2 (attachments, depth reads, textures, texture
            // writes, compute shaders) start empty.
            ..TablesIn::default()
        })
    }
}

/// What a side-table entry is read as: itself, or a mirror with borrowed strings and plain
/// `Vec`s (see the module docs).
pub(super) trait Wire<'a>: Sized {
    /// The type read from a chunk body.
    type In: Into<Self>;
}

macro_rules! wire_as_itself {
    ($($entry:ty),*) => {
        $(impl Wire<'_> for $entry {
            type In = $entry;
        })*
    };
}
wire_as_itself!(
    BufferCopy,
    ClearDesc,
    PixelRead,
    DepthRead,
    TextureDesc,
    TextureWrite,
    Chunks,
    ComputeShaderDesc
);

impl<'a> Wire<'a> for String {
    type In = &'a str;
}
impl<'a> Wire<'a> for ProgramDesc {
    type In = ProgramIn<'a>;
}
impl<'a> Wire<'a> for VertexArrayDesc {
    type In = VertexArrayIn<'a>;
}

impl Wire<'_> for TransformDesc {
    type In = TransformIn;
}
impl Wire<'_> for FramebufferDesc {
    type In = FramebufferIn;
}
impl Wire<'_> for FramebufferAttachments {
    type In = FramebufferAttachmentsIn;
}

macro_rules! chunk_tables {
    ($($field:ident: $entry:ty => $variant:ident, $name:literal;)*) => {
        /// The side-table entries of a chunk being written, in [`Tables`] field order. It is
        /// written as a list of its non-empty tables, each its [`Table`] position and entries.
        #[derive(Default)]
        pub(super) struct TablesOut<'a> {
            $($field: Vec<&'a $entry>,)*
        }

        impl Serialize for TablesOut<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeSeq;
                let present = [$(!self.$field.is_empty()),*];
                let mut seq =
                    serializer.serialize_seq(Some(present.iter().filter(|&&p| p).count()))?;
                let mut tag = 0u32;
                $(
                    if !self.$field.is_empty() {
                        // The same bytes as the `TableIn::$variant` the reader decodes.
                        seq.serialize_element(&(tag, &self.$field))?;
                    }
                    tag += 1;
                )*
                let _ = tag;
                seq.end()
            }
        }

        /// One non-empty side table of a chunk as read (a variant's position is its tag).
        #[derive(Deserialize)]
        pub(super) enum TableIn<'a> {
            $(
                #[serde(borrow)]
                $variant(Vec<<$entry as Wire<'a>>::In>),
            )*
        }

        impl<'a> TablesOut<'a> {
            /// Forgets the entries, keeping the allocations for the next chunk.
            pub(super) fn clear(&mut self) {
                $(self.$field.clear();)*
            }

            /// Adds entry `index` of `table` of `from`; returns its chunk-local index.
            pub(super) fn push(&mut self, from: &'a Tables, table: Table, index: u32) -> Option<u32> {
                let i = index as usize;
                match table {
                    $(Table::$variant => push(&mut self.$field, from.entries::<$entry>().get(i)),)*
                }
            }
        }

        /// The side-table entries of a chunk as read, in [`Tables`] field order.
        #[derive(Default)]
        pub(super) struct TablesIn<'a> {
            $(pub $field: Vec<<$entry as Wire<'a>>::In>,)*
        }

        impl<'a> TryFrom<Vec<TableIn<'a>>> for TablesIn<'a> {
            type Error = String;

            /// The tables of a chunk, each present at most once and in [`Table`] order.
            fn try_from(present: Vec<TableIn<'a>>) -> Result<Self, String> {
                let mut tables = TablesIn::default();
                let mut next = 0;
                for table in present {
                    let (position, name) = match table {
                        $(TableIn::$variant(entries) => {
                            tables.$field = entries;
                            (Table::$variant as usize, $name)
                        })*
                    };
                    if position < next {
                        return Err(format!("the {name} table is out of order or repeated"));
                    }
                    next = position + 1;
                }
                Ok(tables)
            }
        }

        impl TablesIn<'_> {
            /// Number of entries of `table` in this chunk.
            pub(super) fn len(&self, table: Table) -> usize {
                match table {
                    $(Table::$variant => self.$field.len(),)*
                }
            }

            /// Appends every entry to the list `transaction` builds; `Err` names a table that
            /// would pass 2^32 entries.
            pub(super) fn append_to(self, transaction: &mut Transaction<'_>) -> Result<(), &'static str> {
                $(
                    for entry in self.$field {
                        transaction.entry::<$entry>(entry.into()).ok_or($name)?;
                    }
                )*
                Ok(())
            }
        }

    };
}
with_side_tables!(chunk_tables);

/// Appends `entry` to `to`; its index there.
fn push<'a, T: ?Sized>(to: &mut Vec<&'a T>, entry: Option<&'a T>) -> Option<u32> {
    let local = u32::try_from(to.len()).ok()?;
    to.push(entry?);
    Some(local)
}

/// [`ProgramDesc`] as read.
#[derive(Deserialize)]
pub(super) struct ProgramIn<'a> {
    vertex_shader: &'a str,
    #[serde(borrow)]
    fragment_shader: Option<&'a str>,
    #[serde(borrow)]
    geometry_shader: Option<&'a str>,
    #[serde(borrow)]
    varyings: Vec<&'a str>,
    varyings_mode: VaryingsMode,
}

impl From<ProgramIn<'_>> for ProgramDesc {
    fn from(p: ProgramIn<'_>) -> Self {
        ProgramDesc {
            vertex_shader: p.vertex_shader.to_owned(),
            fragment_shader: p.fragment_shader.map(str::to_owned),
            geometry_shader: p.geometry_shader.map(str::to_owned),
            varyings: p.varyings.into_iter().map(str::to_owned).collect(),
            varyings_mode: p.varyings_mode,
        }
    }
}

/// [`VertexArrayDesc`] as read: the fields of version 1, then `skip_errors` (bincode
/// writes a nested struct as its fields in order, so this is the flat field list).
#[derive(Deserialize)]
pub(super) struct VertexArrayIn<'a> {
    #[serde(borrow)]
    v1: VertexArrayInV1<'a>,
    skip_errors: bool,
}

/// [`VertexArrayDesc`] as version 1 wrote it, without `skip_errors`.
#[derive(Deserialize)]
pub(super) struct VertexArrayInV1<'a> {
    program: ProgramId,
    #[serde(borrow)]
    bindings: Vec<VertexBindingIn<'a>>,
    index: Option<IndexBuffer>,
}

/// Version 1 skipped attribute names the program lacks, so its vertex arrays read as
/// `skip_errors` and replay as they did.
impl<'a> From<VertexArrayInV1<'a>> for VertexArrayIn<'a> {
    fn from(v1: VertexArrayInV1<'a>) -> Self {
        VertexArrayIn {
            v1,
            skip_errors: true,
        }
    }
}

impl From<VertexArrayIn<'_>> for VertexArrayDesc {
    fn from(v: VertexArrayIn<'_>) -> Self {
        VertexArrayDesc {
            program: v.v1.program,
            bindings: v.v1.bindings.into_iter().map(Into::into).collect(),
            index: v.v1.index,
            skip_errors: v.skip_errors,
        }
    }
}

/// [`VertexBinding`] as read.
#[derive(Deserialize)]
struct VertexBindingIn<'a> {
    buffer: BufferId,
    format: VertexFormatIn,
    #[serde(borrow)]
    attributes: Vec<&'a str>,
}

impl From<VertexBindingIn<'_>> for VertexBinding {
    fn from(b: VertexBindingIn<'_>) -> Self {
        VertexBinding {
            buffer: b.buffer,
            format: b.format.into(),
            attributes: b.attributes.into_iter().map(str::to_owned).collect(),
        }
    }
}

/// [`VertexFormat`] as read.
#[derive(Deserialize)]
struct VertexFormatIn {
    fields: Vec<Field>,
    padding: Vec<Padding>,
    stride: u32,
    usage: Usage,
}

impl From<VertexFormatIn> for VertexFormat {
    fn from(f: VertexFormatIn) -> Self {
        VertexFormat {
            fields: f.fields.into(),
            padding: f.padding.into(),
            stride: f.stride,
            usage: f.usage,
        }
    }
}

/// [`TransformDesc`] as read.
#[derive(Deserialize)]
pub(super) struct TransformIn {
    vertex_array: VertexArrayId,
    outputs: Vec<BufferId>,
    draw: Draw,
    buffer_offset: u64,
}

impl From<TransformIn> for TransformDesc {
    fn from(t: TransformIn) -> Self {
        TransformDesc {
            vertex_array: t.vertex_array,
            outputs: t.outputs.into(),
            draw: t.draw,
            buffer_offset: t.buffer_offset,
        }
    }
}

/// [`FramebufferDesc`] as read.
#[derive(Deserialize)]
pub(super) struct FramebufferIn {
    width: u32,
    height: u32,
    color: Vec<ColorFormat>,
    depth: bool,
}

impl From<FramebufferIn> for FramebufferDesc {
    fn from(f: FramebufferIn) -> Self {
        FramebufferDesc {
            width: f.width,
            height: f.height,
            color: f.color.into(),
            depth: f.depth,
        }
    }
}

/// [`FramebufferAttachments`] as read.
#[derive(Deserialize)]
pub(super) struct FramebufferAttachmentsIn {
    color: Vec<Attachment>,
    depth: Option<Attachment>,
}

impl From<FramebufferAttachmentsIn> for FramebufferAttachments {
    fn from(f: FramebufferAttachmentsIn) -> Self {
        FramebufferAttachments {
            color: f.color.into(),
            depth: f.depth,
        }
    }
}
