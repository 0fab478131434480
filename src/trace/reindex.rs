//! The one place that knows which fields of a [`Command`] point outside it: side-table
//! indices and payloads. Encoding maps them to chunk-local values, decoding back to list
//! values, and chunk planning only looks at them; all go through [`map_indices`].

use crate::command::{Command, Index, Payload, TableEntry};

/// How one direction maps a command's references; an `Err` is a message for the caller to
/// place (command index, chunk, offset).
pub(super) trait Reindex {
    /// The new index of entry `index` of its table.
    fn entry<T: TableEntry>(&mut self, index: Index<T>) -> Result<Index<T>, String>;
    /// The new location of `payload`.
    fn payload(&mut self, payload: Payload) -> Result<Payload, String>;
}

/// `command` with every side-table index and payload mapped through `reindex`.
pub(super) fn map_indices(command: Command, reindex: &mut impl Reindex) -> Result<Command, String> {
    let mut command = command;
    match &mut command {
        Command::CreateBuffer { data, .. } => {
            if let Some(data) = data {
                *data = reindex.payload(*data)?;
            }
        }
        Command::Write { data, .. } => *data = reindex.payload(*data)?,
        Command::ClearBuffer { chunk, .. } => {
            if let Some(chunk) = chunk {
                *chunk = reindex.payload(*chunk)?;
            }
        }
        Command::CopyBuffer { copy } => *copy = reindex.entry(*copy)?,
        Command::CreateProgram { desc, .. } => *desc = reindex.entry(*desc)?,
        Command::Uniform { name, data, .. } => {
            *name = reindex.entry(*name)?;
            *data = reindex.payload(*data)?;
        }
        Command::CreateVertexArray { desc, .. } => {
            *desc = reindex.entry(*desc)?;
        }
        Command::Transform { transform } => {
            *transform = reindex.entry(*transform)?;
        }
        Command::CreateFramebuffer { desc, .. } => {
            *desc = reindex.entry(*desc)?;
        }
        Command::ClearFramebuffer { clear } => *clear = reindex.entry(*clear)?,
        Command::ReadPixels { read } => *read = reindex.entry(*read)?,
        // No references: listed one by one so that a new command kind must be placed here.
        Command::Orphan { .. }
        | Command::Read { .. }
        | Command::Render { .. }
        | Command::UseFramebuffer { .. }
        | Command::Viewport { .. }
        | Command::SetCapability { .. }
        | Command::EndFrame
        | Command::Release { .. } => {}
    }
    Ok(command)
}

/// The 64-byte blocks `payload` covers, as `start..end`.
pub(super) fn payload_blocks(payload: Payload) -> std::ops::Range<u64> {
    let start = u64::from(payload.block());
    start
        ..start
            + payload
                .size()
                .div_ceil(crate::command::PAYLOAD_ALIGN as u64)
}
