//! Which fields of a command point outside it: side-table indices and payloads. They are
//! found from the fields' types, so a new command kind needs nothing here; the trace format
//! maps them to chunk-local values when encoding and back when decoding.

use super::{
    Barriers, BlendEquation, BlendFactor, BlockKind, Capabilities, Capability, CompareFunc,
    CopyTarget, Draw, Face, Float, ImageAccess, ImageFormat, Index, Mode, Object, Payload,
    PixelType, QueryKinds, QueryResult, Rect, StencilAction, TableEntry, TextureParameter, Winding,
};
use crate::ids::{
    BufferId, FramebufferId, ProgramId, QueryId, ReadbackId, RenderbufferId, SamplerId, TextureId,
    VertexArrayId,
};
use crate::uniform::UniformType;

/// How one direction maps a command's references; an `Err` is a message for the caller to
/// place (command index, chunk, offset).
pub(crate) trait Reindex {
    /// The new index of entry `index` of its table.
    fn entry<T: TableEntry>(&mut self, index: Index<T>) -> Result<Index<T>, String>;
    /// The new location of `payload`.
    fn payload(&mut self, payload: Payload) -> Result<Payload, String>;
}

/// A field of a [`Command`](super::Command): references are mapped, other values kept.
pub(super) trait CommandField {
    /// Whether the field points outside the command (a text line cannot carry it as is).
    const REFERENCES: bool = false;

    /// Maps the field through `reindex` if it is a reference.
    fn reindex(&mut self, _reindex: &mut impl Reindex) -> Result<(), String> {
        Ok(())
    }
}

impl<T: TableEntry> CommandField for Index<T> {
    const REFERENCES: bool = true;

    fn reindex(&mut self, reindex: &mut impl Reindex) -> Result<(), String> {
        *self = reindex.entry(*self)?;
        Ok(())
    }
}

impl CommandField for Payload {
    const REFERENCES: bool = true;

    fn reindex(&mut self, reindex: &mut impl Reindex) -> Result<(), String> {
        *self = reindex.payload(*self)?;
        Ok(())
    }
}

impl CommandField for Option<Payload> {
    const REFERENCES: bool = true;

    fn reindex(&mut self, reindex: &mut impl Reindex) -> Result<(), String> {
        if let Some(payload) = self {
            payload.reindex(reindex)?;
        }
        Ok(())
    }
}

/// Field types that hold no reference.
macro_rules! plain_fields {
    ($($ty:ty),*) => {
        $(impl CommandField for $ty {})*
    };
}
plain_fields!(
    bool,
    u8,
    i32,
    u32,
    u64,
    Option<u8>,
    Option<u32>,
    [bool; 4],
    BufferId,
    ProgramId,
    VertexArrayId,
    FramebufferId,
    ReadbackId,
    TextureId,
    SamplerId,
    Option<SamplerId>,
    TextureParameter,
    UniformType,
    Draw,
    Rect,
    Option<Rect>,
    Capability,
    Capabilities,
    BlendFactor,
    BlendEquation,
    CompareFunc,
    Face,
    Winding,
    StencilAction,
    Float,
    Object,
    RenderbufferId,
    PixelType,
    CopyTarget,
    BlockKind,
    QueryId,
    QueryKinds,
    QueryResult,
    Barriers,
    ImageAccess,
    Option<ImageFormat>,
    Mode
);
