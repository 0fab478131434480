//! The body of a chunk record, as written ([`ChunkOut`], borrowing the list) and as read
//! ([`ChunkIn`], borrowing the file).
//!
//! Both sides have the same bincode encoding. The read side mirrors the side-table types
//! with `&str` for `String` and `Vec` for `SmallVec`: borrowed strings mean no length in a
//! hostile file can make the decoder allocate, and serde caps what a `Vec` preallocates from
//! a length (1 MiB) where `SmallVec` reserves whatever the length says. The conversions name
//! every field, so a field added to a side-table type does not compile until it is added here.

use super::reindex::Table;
use crate::command::{
    BufferCopy, ClearDesc, ColorFormat, Command, FramebufferDesc, IndexBuffer, PixelRead,
    ProgramDesc, Tables, TransformDesc, VaryingsMode, VertexArrayDesc, VertexBinding,
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

/// The side-table entries of a chunk being written, in [`Tables`] field order.
#[derive(Default, Serialize)]
pub(super) struct TablesOut<'a> {
    copies: Vec<&'a BufferCopy>,
    programs: Vec<&'a ProgramDesc>,
    vertex_arrays: Vec<&'a VertexArrayDesc>,
    transforms: Vec<&'a TransformDesc>,
    framebuffers: Vec<&'a FramebufferDesc>,
    clears: Vec<&'a ClearDesc>,
    pixel_reads: Vec<&'a PixelRead>,
    names: Vec<&'a String>,
}

impl<'a> TablesOut<'a> {
    /// Forgets the entries, keeping the allocations for the next chunk.
    pub(super) fn clear(&mut self) {
        self.copies.clear();
        self.programs.clear();
        self.vertex_arrays.clear();
        self.transforms.clear();
        self.framebuffers.clear();
        self.clears.clear();
        self.pixel_reads.clear();
        self.names.clear();
    }

    /// Adds entry `index` of `table` of `from`; returns its chunk-local index.
    pub(super) fn push(&mut self, from: &'a Tables, table: Table, index: u32) -> Option<u32> {
        let i = index as usize;
        match table {
            Table::Copies => push(&mut self.copies, from.copies.get(i)),
            Table::Programs => push(&mut self.programs, from.programs.get(i)),
            Table::VertexArrays => push(&mut self.vertex_arrays, from.vertex_arrays.get(i)),
            Table::Transforms => push(&mut self.transforms, from.transforms.get(i)),
            Table::Framebuffers => push(&mut self.framebuffers, from.framebuffers.get(i)),
            Table::Clears => push(&mut self.clears, from.clears.get(i)),
            Table::PixelReads => push(&mut self.pixel_reads, from.pixel_reads.get(i)),
            Table::Names => push(&mut self.names, from.names.get(i)),
        }
    }
}

/// Appends `entry` to `to`; its index there.
fn push<'a, T: ?Sized>(to: &mut Vec<&'a T>, entry: Option<&'a T>) -> Option<u32> {
    let local = u32::try_from(to.len()).ok()?;
    to.push(entry?);
    Some(local)
}

/// Number of entries in `table` of `tables`.
pub(super) fn table_len(tables: &Tables, table: Table) -> usize {
    match table {
        Table::Copies => tables.copies.len(),
        Table::Programs => tables.programs.len(),
        Table::VertexArrays => tables.vertex_arrays.len(),
        Table::Transforms => tables.transforms.len(),
        Table::Framebuffers => tables.framebuffers.len(),
        Table::Clears => tables.clears.len(),
        Table::PixelReads => tables.pixel_reads.len(),
        Table::Names => tables.names.len(),
    }
}

/// A chunk as read: commands with chunk-local references, payload span, table entries.
#[derive(Deserialize)]
pub(super) struct ChunkIn<'a> {
    pub commands: Vec<Command>,
    pub payload: &'a [u8],
    #[serde(borrow)]
    pub tables: TablesIn<'a>,
}

/// The side-table entries of a chunk as read, in [`Tables`] field order.
#[derive(Deserialize)]
pub(super) struct TablesIn<'a> {
    copies: Vec<BufferCopy>,
    #[serde(borrow)]
    programs: Vec<ProgramIn<'a>>,
    #[serde(borrow)]
    vertex_arrays: Vec<VertexArrayIn<'a>>,
    transforms: Vec<TransformIn>,
    framebuffers: Vec<FramebufferIn>,
    clears: Vec<ClearDesc>,
    pixel_reads: Vec<PixelRead>,
    #[serde(borrow)]
    pub names: Vec<&'a str>,
}

impl TablesIn<'_> {
    /// Number of entries of `table` in this chunk.
    pub(super) fn len(&self, table: Table) -> usize {
        match table {
            Table::Copies => self.copies.len(),
            Table::Programs => self.programs.len(),
            Table::VertexArrays => self.vertex_arrays.len(),
            Table::Transforms => self.transforms.len(),
            Table::Framebuffers => self.framebuffers.len(),
            Table::Clears => self.clears.len(),
            Table::PixelReads => self.pixel_reads.len(),
            Table::Names => self.names.len(),
        }
    }

    /// Appends every entry but the names (which the decoder interns) to `tables`.
    pub(super) fn append_to(self, tables: &mut Tables) {
        tables.copies.extend(self.copies);
        tables
            .programs
            .extend(self.programs.into_iter().map(Into::into));
        tables
            .vertex_arrays
            .extend(self.vertex_arrays.into_iter().map(Into::into));
        tables
            .transforms
            .extend(self.transforms.into_iter().map(Into::into));
        tables
            .framebuffers
            .extend(self.framebuffers.into_iter().map(Into::into));
        tables.clears.extend(self.clears);
        tables.pixel_reads.extend(self.pixel_reads);
    }
}

/// [`ProgramDesc`] as read.
#[derive(Deserialize)]
struct ProgramIn<'a> {
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

/// [`VertexArrayDesc`] as read.
#[derive(Deserialize)]
struct VertexArrayIn<'a> {
    program: ProgramId,
    #[serde(borrow)]
    bindings: Vec<VertexBindingIn<'a>>,
    index: Option<IndexBuffer>,
}

impl From<VertexArrayIn<'_>> for VertexArrayDesc {
    fn from(v: VertexArrayIn<'_>) -> Self {
        VertexArrayDesc {
            program: v.program,
            bindings: v.bindings.into_iter().map(Into::into).collect(),
            index: v.index,
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
struct TransformIn {
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
struct FramebufferIn {
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
