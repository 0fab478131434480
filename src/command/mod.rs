//! The compact command list: what a [`Recorder`](crate::Recorder) writes and a
//! [`Renderer`](crate::Renderer) replays.
//!
//! [`Command`] is a small `Copy` enum (at most 32 bytes, checked by a test). Variable-size data
//! lives outside it: payload bytes in one [`PayloadArena`], rare wide descriptors (buffer
//! copies) in side tables indexed by a `u32`.

mod arena;
mod validate;

pub use arena::{ArenaError, Payload, PayloadArena, PAYLOAD_ALIGN};
pub(crate) use validate::Validator;
pub use validate::{BufferOp, InvalidList, ValidatedList, ValidationError};

use crate::ids::{BufferId, ReadbackId};

/// One recorded call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    /// Creates `buffer` with `size` bytes, filled from `data` or with zeros when `data` is None.
    CreateBuffer {
        /// The new buffer (the next dense id).
        buffer: BufferId,
        /// GL_DYNAMIC_DRAW when true, GL_STATIC_DRAW otherwise.
        dynamic: bool,
        /// Size in bytes, at least 1.
        size: u64,
        /// Initial contents, exactly `size` bytes.
        data: Option<Payload>,
    },
    /// Writes `data` at `offset` (glBufferSubData).
    Write {
        /// The buffer written.
        buffer: BufferId,
        /// Byte offset of the first written byte.
        offset: u64,
        /// The bytes written.
        data: Payload,
    },
    /// Replaces the storage with `size` fresh bytes of undefined contents (glBufferData(NULL)).
    Orphan {
        /// The buffer orphaned.
        buffer: BufferId,
        /// The new size in bytes.
        size: u64,
    },
    /// Fills `size` bytes at `offset` with repeats of `chunk`, or with zeros when it is None.
    Clear {
        /// The buffer cleared.
        buffer: BufferId,
        /// The repeated pattern; `size` is a multiple of its length.
        chunk: Option<Payload>,
        /// Byte offset of the first cleared byte.
        offset: u64,
        /// Number of bytes cleared.
        size: u64,
    },
    /// Reads `size` bytes at `offset` into `readback`.
    Read {
        /// The buffer read.
        buffer: BufferId,
        /// Where the bytes go (the next dense readback id).
        readback: ReadbackId,
        /// Byte offset of the first byte read.
        offset: u64,
        /// Number of bytes read.
        size: u64,
    },
    /// Copies a range between buffers; the range lives in [`CommandList::copies`].
    CopyBuffer {
        /// Index into [`CommandList::copies`].
        copy: u32,
    },
    /// Deletes `buffer`; its id may not be used again.
    Release {
        /// The buffer released.
        buffer: BufferId,
    },
}

impl Command {
    /// A short lower-case name for messages and statistics.
    pub fn name(&self) -> &'static str {
        match self {
            Command::CreateBuffer { .. } => "create_buffer",
            Command::Write { .. } => "write",
            Command::Orphan { .. } => "orphan",
            Command::Clear { .. } => "clear",
            Command::Read { .. } => "read",
            Command::CopyBuffer { .. } => "copy_buffer",
            Command::Release { .. } => "release",
        }
    }
}

/// A buffer-to-buffer copy (glCopyBufferSubData), kept beside the list to keep [`Command`] small.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BufferCopy {
    /// The buffer written.
    pub dst: BufferId,
    /// The buffer read.
    pub src: BufferId,
    /// Number of bytes copied.
    pub size: u64,
    /// Byte offset in `src`.
    pub read_offset: u64,
    /// Byte offset in `dst`.
    pub write_offset: u64,
}

/// A recorded list: commands, their payload arena and side tables.
#[derive(Clone, Default)]
pub struct CommandList {
    pub(crate) commands: Vec<Command>,
    pub(crate) arena: PayloadArena,
    pub(crate) copies: Vec<BufferCopy>,
}

impl CommandList {
    /// A list from its parts, for example decoded from a file: `payload_bytes` becomes the
    /// arena that the commands' payloads point into. Nothing is checked here; call
    /// [`CommandList::validate`] (replay does) before trusting it.
    pub fn from_parts(
        commands: Vec<Command>,
        payload_bytes: &[u8],
        copies: Vec<BufferCopy>,
    ) -> Result<Self, ArenaError> {
        let mut arena = PayloadArena::default();
        arena.extend_from_bytes(payload_bytes)?;
        Ok(CommandList {
            commands,
            arena,
            copies,
        })
    }

    /// All payload bytes, alignment padding included, as [`Payload`]s address them.
    pub fn payload_bytes(&self) -> &[u8] {
        self.arena.as_bytes()
    }

    /// The commands in recording order.
    pub fn commands(&self) -> &[Command] {
        &self.commands
    }

    /// The bytes of a payload, or `None` when it does not lie inside this list's arena.
    pub fn payload(&self, payload: Payload) -> Option<&[u8]> {
        self.arena.get(payload)
    }

    /// The copy descriptor at `index` of the side table.
    pub fn copy(&self, index: u32) -> Option<&BufferCopy> {
        self.copies.get(index as usize)
    }

    /// Every copy descriptor, in recording order.
    pub fn copies(&self) -> &[BufferCopy] {
        &self.copies
    }

    /// Number of commands.
    pub fn len(&self) -> usize {
        self.commands.len()
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.commands.is_empty()
    }

    /// Bytes uploaded to GL by replaying this list once (initial data and writes).
    pub fn upload_bytes(&self) -> u64 {
        self.commands
            .iter()
            .map(|command| match command {
                Command::CreateBuffer { data: Some(p), .. } | Command::Write { data: p, .. } => {
                    p.size()
                }
                _ => 0,
            })
            .sum()
    }

    /// Checks the whole list once (ids defined before use, ranges inside sizes, payloads
    /// inside the arena) so that it can be replayed any number of times without checks.
    pub fn validate(&self) -> Result<ValidatedList<'_>, InvalidList> {
        ValidatedList::new(self)
    }

    /// Forgets every command but keeps the allocations, for recording into a reused list.
    pub fn clear(&mut self) {
        self.commands.clear();
        self.arena.clear();
        self.copies.clear();
    }
}

impl std::fmt::Debug for CommandList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CommandList")
            .field("commands", &self.commands)
            .field("copies", &self.copies)
            .field("payload_bytes", &self.arena.as_bytes().len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_stays_small() {
        assert!(
            std::mem::size_of::<Command>() <= 32,
            "Command grew to {} bytes",
            std::mem::size_of::<Command>()
        );
        assert_eq!(std::mem::size_of::<Option<Payload>>(), 8);
    }
}
