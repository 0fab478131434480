//! The body of a chunk record, as written ([`ChunkOut`], borrowing the list) and as read
//! ([`ChunkIn`], borrowing the file).
//!
//! Both sides have the same bincode encoding. The read side mirrors the side-table types
//! with `&str` for `String` and `Vec` for `SmallVec`: borrowed strings mean no length in a
//! hostile file can make the decoder allocate, and serde caps what a `Vec` preallocates from
//! a length (1 MiB) where `SmallVec` reserves whatever the length says. The conversions name
//! every field, so a field added to a side-table type does not compile until it is added here.
//!
//! Older format versions are read through their own mirrors ([`TablesInV1`]), converted to
//! the current ones.

use crate::command::{
    with_side_tables, BufferCopy, ClearDesc, ColorFormat, Command, FramebufferDesc, IndexBuffer,
    PixelRead, ProgramDesc, Table, Tables, Transaction, TransformDesc, VaryingsMode,
    VertexArrayDesc, VertexBinding,
};
use crate::ids::{BufferId, ProgramId, VertexArrayId};
use crate::vertex_format::{Field, Padding, Usage, VertexFormat};
use crate::Draw;
use serde::{Deserialize, Serialize};

/// A chunk being written: chunk-local commands, their payload span and table entries.
#[derive(Serialize)]
pub(super) struct ChunkOut<'a> {
    pub commands: &'a [Command],
    pub payload: &'a serde_bytes::Bytes,
    pub tables: &'a TablesOut<'a>,
}

/// A chunk as read: commands with chunk-local references, payload span, table entries
/// (`T` is [`TablesInV1`] for a version-1 file).
#[derive(Deserialize)]
pub(super) struct ChunkIn<'a, T = TablesIn<'a>> {
    pub commands: Vec<Command>,
    pub payload: &'a [u8],
    pub tables: T,
}

impl<'a> ChunkIn<'a, TablesInV1<'a>> {
    /// The chunk of a version-1 file, as the current version reads it.
    pub(super) fn upgrade(self) -> ChunkIn<'a> {
        ChunkIn {
            commands: self.commands,
            payload: self.payload,
            tables: self.tables.into(),
        }
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
wire_as_itself!(BufferCopy, ClearDesc, PixelRead);

impl<'a> Wire<'a> for String {
    type In = &'a str;
}
impl<'a> Wire<'a> for ProgramDesc {
    type In = ProgramIn<'a>;
}
impl<'a> Wire<'a> for VertexArrayDesc {
    type In = VertexArrayIn<'a>;
}

/// What a side-table entry is read as from a version-1 file: what the current version reads,
/// except vertex arrays, which had no `skip_errors`.
pub(super) trait WireV1<'a>: Wire<'a> {
    /// The type read from a version-1 chunk body.
    type V1: Into<<Self as Wire<'a>>::In>;
}

macro_rules! wire_v1_as_current {
    ($($entry:ty),*) => {
        $(impl<'a> WireV1<'a> for $entry {
            type V1 = <$entry as Wire<'a>>::In;
        })*
    };
}
wire_v1_as_current!(
    BufferCopy,
    ClearDesc,
    PixelRead,
    String,
    ProgramDesc,
    TransformDesc,
    FramebufferDesc
);
impl<'a> WireV1<'a> for VertexArrayDesc {
    type V1 = VertexArrayInV1<'a>;
}
impl Wire<'_> for TransformDesc {
    type In = TransformIn;
}
impl Wire<'_> for FramebufferDesc {
    type In = FramebufferIn;
}

macro_rules! chunk_tables {
    ($($field:ident: $entry:ty => $variant:ident, $name:literal;)*) => {
        /// The side-table entries of a chunk being written, in [`Tables`] field order.
        #[derive(Default, Serialize)]
        pub(super) struct TablesOut<'a> {
            $($field: Vec<&'a $entry>,)*
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
        #[derive(Deserialize)]
        pub(super) struct TablesIn<'a> {
            $(
                #[serde(borrow)]
                pub $field: Vec<<$entry as Wire<'a>>::In>,
            )*
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

        /// The side-table entries of a chunk of a version-1 file, in [`Tables`] field order.
        #[derive(Deserialize)]
        pub(super) struct TablesInV1<'a> {
            $(
                #[serde(borrow)]
                $field: Vec<<$entry as WireV1<'a>>::V1>,
            )*
        }

        impl<'a> From<TablesInV1<'a>> for TablesIn<'a> {
            fn from(v1: TablesInV1<'a>) -> Self {
                TablesIn {
                    $($field: v1.$field.into_iter().map(Into::into).collect(),)*
                }
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
