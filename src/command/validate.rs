//! Validation of commands against the buffer sizes they imply.
//!
//! One [`Validator`] serves both layers: the [`Recorder`](crate::Recorder) runs each call
//! through it before recording anything, and [`CommandList::validate`] runs a whole list through
//! a fresh one before replay (a list may come from a file). A check mutates the tracked state
//! only once it has passed, so a rejected call leaves everything as it was.

use super::{BufferCopy, Command, CommandList, Payload};
use crate::ids::{BufferId, ReadbackId};
use std::fmt;

/// The largest buffer size or offset that fits GL's `GLsizeiptr`.
const MAX_GL_SIZE: u64 = isize::MAX as u64;

/// A buffer operation that touches a byte range, for error messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BufferOp {
    /// [`Recorder::write`](crate::Recorder::write).
    Write,
    /// [`Recorder::read`](crate::Recorder::read).
    Read,
    /// [`Recorder::clear_range`](crate::Recorder::clear_range).
    Clear,
    /// The source side of [`Recorder::copy_buffer`](crate::Recorder::copy_buffer).
    CopyFrom,
    /// The destination side of [`Recorder::copy_buffer`](crate::Recorder::copy_buffer).
    CopyTo,
}

impl fmt::Display for BufferOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BufferOp::Write => "write",
            BufferOp::Read => "read",
            BufferOp::Clear => "clear",
            BufferOp::CopyFrom => "copy from",
            BufferOp::CopyTo => "copy into",
        })
    }
}

/// What is wrong with one call or one command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ValidationError {
    /// A buffer (or an orphaned buffer's new storage) must hold at least one byte.
    #[error("a buffer needs at least 1 byte, got 0")]
    EmptyBuffer,
    /// A size larger than GL's `GLsizeiptr` can express.
    #[error("a buffer of {size} bytes is larger than GL can address ({MAX_GL_SIZE} bytes)")]
    BufferTooLarge {
        /// The rejected size.
        size: u64,
    },
    /// The id was never created by this recorder or list.
    #[error("{buffer} is not defined ({defined} buffers exist)")]
    UndefinedBuffer {
        /// The unknown id.
        buffer: BufferId,
        /// How many buffers were defined at that point.
        defined: u32,
    },
    /// The buffer was released earlier.
    #[error("{buffer} was already released")]
    ReleasedBuffer {
        /// The released id.
        buffer: BufferId,
    },
    /// A byte range that does not fit inside the buffer (or whose end overflows u64).
    #[error("{op} of {size} bytes at offset {offset} is out of range of {buffer} (size {buffer_size} bytes)")]
    OutOfRange {
        /// The operation.
        op: BufferOp,
        /// The buffer.
        buffer: BufferId,
        /// Start of the range.
        offset: u64,
        /// Length of the range.
        size: u64,
        /// The buffer's size at that point.
        buffer_size: u64,
    },
    /// A clear whose size is not a whole number of chunks.
    #[error("clear of {buffer}: {size} bytes is not a multiple of the {chunk}-byte chunk")]
    ChunkMismatch {
        /// The buffer.
        buffer: BufferId,
        /// The cleared size.
        size: u64,
        /// The chunk length.
        chunk: u64,
    },
    /// A clear with an empty chunk.
    #[error("clear of {buffer}: the chunk is empty")]
    EmptyChunk {
        /// The buffer.
        buffer: BufferId,
    },
    /// A copy whose source and destination ranges overlap inside one buffer (GL forbids it).
    #[error("copy within {buffer}: {size} bytes from offset {read_offset} to offset {write_offset} overlap")]
    OverlappingCopy {
        /// The buffer.
        buffer: BufferId,
        /// Source offset.
        read_offset: u64,
        /// Destination offset.
        write_offset: u64,
        /// Bytes copied.
        size: u64,
    },
    /// A payload too large for one command.
    #[error(transparent)]
    Arena(#[from] super::ArenaError),
    /// A list defines ids out of order (lists from files only: ids are dense and in order).
    #[error("{kind} #{found} is defined where #{expected} is next")]
    IdOutOfOrder {
        /// "buffer" or "readback".
        kind: &'static str,
        /// The next id in order.
        expected: u32,
        /// The id found.
        found: u32,
    },
    /// More ids of one kind than a `u32` can number.
    #[error("more than {} {kind}s in one list", u32::MAX)]
    TooManyIds {
        /// "buffer" or "readback".
        kind: &'static str,
    },
    /// A payload that does not lie inside the list's arena (lists from files only).
    #[error(
        "payload of {len} bytes at arena offset {start} lies outside the arena ({arena} bytes)"
    )]
    PayloadOutsideArena {
        /// Arena offset of the payload.
        start: u64,
        /// Its length.
        len: u64,
        /// The arena's length.
        arena: u64,
    },
    /// Initial data whose length differs from the buffer size (lists from files only).
    #[error("initial data of {len} bytes for a buffer of {size} bytes")]
    InitialDataSize {
        /// Payload length.
        len: u64,
        /// Buffer size.
        size: u64,
    },
    /// A copy command whose descriptor is missing (lists from files only).
    #[error("copy descriptor #{index} does not exist ({count} recorded)")]
    MissingCopy {
        /// The index.
        index: u32,
        /// How many exist.
        count: usize,
    },
}

/// A command list that failed validation, with the index of the first bad command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("command #{index} ({command}): {error}")]
pub struct InvalidList {
    /// Index of the first invalid command.
    pub index: usize,
    /// Its name.
    pub command: &'static str,
    /// What is wrong with it.
    pub error: ValidationError,
}

#[derive(Clone, Copy, Debug)]
struct BufferState {
    size: u64,
    released: bool,
}

/// Tracks buffer sizes and ids while calls are recorded or a list is checked.
#[derive(Clone, Debug, Default)]
pub struct Validator {
    buffers: Vec<BufferState>,
    readbacks: u32,
}

fn check_size(size: u64) -> Result<u64, ValidationError> {
    match size {
        0 => Err(ValidationError::EmptyBuffer),
        s if s > MAX_GL_SIZE => Err(ValidationError::BufferTooLarge { size }),
        s => Ok(s),
    }
}

impl Validator {
    /// The live size of `buffer`, or why it cannot be used.
    pub fn buffer_size(&self, buffer: BufferId) -> Result<u64, ValidationError> {
        let state = self
            .buffers
            .get(buffer.index())
            .ok_or(ValidationError::UndefinedBuffer {
                buffer,
                defined: self.buffers.len() as u32,
            })?;
        if state.released {
            return Err(ValidationError::ReleasedBuffer { buffer });
        }
        Ok(state.size)
    }

    fn check_range(
        &self,
        op: BufferOp,
        buffer: BufferId,
        offset: u64,
        size: u64,
    ) -> Result<(), ValidationError> {
        let buffer_size = self.buffer_size(buffer)?;
        match offset.checked_add(size) {
            Some(end) if end <= buffer_size => Ok(()),
            _ => Err(ValidationError::OutOfRange {
                op,
                buffer,
                offset,
                size,
                buffer_size,
            }),
        }
    }

    /// Checks that a buffer of `size` bytes could be defined next, changing nothing.
    pub fn check_new_buffer(&self, size: u64) -> Result<BufferId, ValidationError> {
        check_size(size)?;
        u32::try_from(self.buffers.len())
            .map(BufferId)
            .map_err(|_| ValidationError::TooManyIds { kind: "buffer" })
    }

    /// Defines the next buffer with `size` bytes.
    pub fn create_buffer(&mut self, size: u64) -> Result<BufferId, ValidationError> {
        let id = self.check_new_buffer(size)?;
        self.buffers.push(BufferState {
            size,
            released: false,
        });
        Ok(id)
    }

    /// Checks a write of `len` bytes at `offset`.
    pub fn write(&self, buffer: BufferId, offset: u64, len: u64) -> Result<(), ValidationError> {
        self.check_range(BufferOp::Write, buffer, offset, len)
    }

    /// Checks and applies an orphan to `size` bytes.
    pub fn orphan(&mut self, buffer: BufferId, size: u64) -> Result<(), ValidationError> {
        self.buffer_size(buffer)?;
        let size = check_size(size)?;
        if let Some(state) = self.buffers.get_mut(buffer.index()) {
            state.size = size;
        }
        Ok(())
    }

    /// Checks a clear of `size` bytes at `offset` with an optional repeated chunk.
    pub fn clear(
        &self,
        buffer: BufferId,
        offset: u64,
        size: u64,
        chunk_len: Option<u64>,
    ) -> Result<(), ValidationError> {
        self.check_range(BufferOp::Clear, buffer, offset, size)?;
        match chunk_len {
            Some(0) => Err(ValidationError::EmptyChunk { buffer }),
            Some(chunk) if size % chunk != 0 => Err(ValidationError::ChunkMismatch {
                buffer,
                size,
                chunk,
            }),
            _ => Ok(()),
        }
    }

    /// Checks a read and hands out the next readback id.
    pub fn read(
        &mut self,
        buffer: BufferId,
        offset: u64,
        size: u64,
    ) -> Result<ReadbackId, ValidationError> {
        self.check_range(BufferOp::Read, buffer, offset, size)?;
        let id = ReadbackId(self.readbacks);
        self.readbacks = self
            .readbacks
            .checked_add(1)
            .ok_or(ValidationError::TooManyIds { kind: "readback" })?;
        Ok(id)
    }

    /// Checks a copy: both ranges in range, no overlap within one buffer.
    pub fn copy(&self, copy: &BufferCopy) -> Result<(), ValidationError> {
        self.check_range(BufferOp::CopyFrom, copy.src, copy.read_offset, copy.size)?;
        self.check_range(BufferOp::CopyTo, copy.dst, copy.write_offset, copy.size)?;
        // Both ends are known not to overflow: they lie inside the buffers.
        let overlaps = copy.read_offset < copy.write_offset + copy.size
            && copy.write_offset < copy.read_offset + copy.size;
        if copy.src == copy.dst && overlaps {
            return Err(ValidationError::OverlappingCopy {
                buffer: copy.src,
                read_offset: copy.read_offset,
                write_offset: copy.write_offset,
                size: copy.size,
            });
        }
        Ok(())
    }

    /// Checks and applies a release.
    pub fn release(&mut self, buffer: BufferId) -> Result<(), ValidationError> {
        self.buffer_size(buffer)?;
        if let Some(state) = self.buffers.get_mut(buffer.index()) {
            state.released = true;
        }
        Ok(())
    }

    /// Number of buffers defined so far.
    pub fn buffer_count(&self) -> u32 {
        self.buffers.len() as u32
    }

    /// Number of readbacks handed out so far.
    pub fn readback_count(&self) -> u32 {
        self.readbacks
    }

    /// Checks one command of `list` (which supplies payloads and side tables) and applies it.
    fn command(&mut self, list: &CommandList, command: &Command) -> Result<(), ValidationError> {
        let payload_len = |payload: Payload| {
            list.payload(payload).map(|bytes| bytes.len() as u64).ok_or(
                ValidationError::PayloadOutsideArena {
                    start: payload.start(),
                    len: payload.size(),
                    arena: list.arena.as_bytes().len() as u64,
                },
            )
        };
        let expect_id = |kind, expected: u32, found: u32| {
            if expected == found {
                Ok(())
            } else {
                Err(ValidationError::IdOutOfOrder {
                    kind,
                    expected,
                    found,
                })
            }
        };
        match *command {
            Command::CreateBuffer {
                buffer, size, data, ..
            } => {
                expect_id("buffer", self.buffer_count(), buffer.0)?;
                if let Some(data) = data {
                    let len = payload_len(data)?;
                    if len != size {
                        return Err(ValidationError::InitialDataSize { len, size });
                    }
                }
                self.create_buffer(size).map(drop)
            }
            Command::Write {
                buffer,
                offset,
                data,
            } => self.write(buffer, offset, payload_len(data)?),
            Command::Orphan { buffer, size } => self.orphan(buffer, size),
            Command::Clear {
                buffer,
                chunk,
                offset,
                size,
            } => {
                let chunk_len = chunk.map(payload_len).transpose()?;
                self.clear(buffer, offset, size, chunk_len)
            }
            Command::Read {
                buffer,
                readback,
                offset,
                size,
            } => {
                expect_id("readback", self.readbacks, readback.0)?;
                self.read(buffer, offset, size).map(drop)
            }
            Command::CopyBuffer { copy } => {
                let descriptor = list.copy(copy).ok_or(ValidationError::MissingCopy {
                    index: copy,
                    count: list.copies.len(),
                })?;
                self.copy(descriptor)
            }
            Command::Release { buffer } => self.release(buffer),
        }
    }
}

/// A list that passed [`CommandList::validate`]: it can be replayed any number of times
/// without further checks.
#[derive(Clone, Copy, Debug)]
pub struct ValidatedList<'a> {
    list: &'a CommandList,
    buffer_count: u32,
    readback_count: u32,
}

impl<'a> ValidatedList<'a> {
    pub(super) fn new(list: &'a CommandList) -> Result<Self, InvalidList> {
        let mut validator = Validator::default();
        for (index, command) in list.commands.iter().enumerate() {
            validator
                .command(list, command)
                .map_err(|error| InvalidList {
                    index,
                    command: command.name(),
                    error,
                })?;
        }
        Ok(ValidatedList {
            list,
            buffer_count: validator.buffer_count(),
            readback_count: validator.readback_count(),
        })
    }

    /// The list itself.
    pub fn list(&self) -> &'a CommandList {
        self.list
    }

    /// Number of buffers the list defines.
    pub fn buffer_count(&self) -> u32 {
        self.buffer_count
    }

    /// Number of readbacks the list produces.
    pub fn readback_count(&self) -> u32 {
        self.readback_count
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::PayloadArena;
    use crate::Recorder;

    fn list_with(commands: Vec<Command>) -> CommandList {
        CommandList {
            commands,
            arena: PayloadArena::default(),
            copies: Vec::new(),
        }
    }

    #[test]
    fn a_recorded_list_validates_with_its_counts() {
        let mut rec = Recorder::new();
        let b = rec.buffer(&[1u8; 8]).unwrap();
        rec.read(b, None, 0).unwrap();
        rec.read(b, Some(2), 6).unwrap();
        let list = rec.finish();
        let checked = list.validate().unwrap();
        assert_eq!((checked.buffer_count(), checked.readback_count()), (1, 2));
    }

    #[test]
    fn hand_made_lists_get_the_index_of_the_first_bad_command() {
        let create = Command::CreateBuffer {
            buffer: BufferId(0),
            dynamic: false,
            size: 4,
            data: None,
        };
        let list = list_with(vec![
            create,
            Command::Orphan {
                buffer: BufferId(0),
                size: 2,
            },
            Command::Read {
                buffer: BufferId(0),
                readback: ReadbackId(0),
                offset: 0,
                size: 4,
            },
        ]);
        let err = list.validate().unwrap_err();
        assert_eq!(err.index, 2);
        assert_eq!(
            err.to_string(),
            "command #2 (read): read of 4 bytes at offset 0 is out of range of buffer #0 (size 2 bytes)"
        );
    }

    #[test]
    fn ids_out_of_order_and_missing_side_data_are_errors() {
        let cases = [
            (
                vec![Command::CreateBuffer {
                    buffer: BufferId(1),
                    dynamic: false,
                    size: 4,
                    data: None,
                }],
                ValidationError::IdOutOfOrder {
                    kind: "buffer",
                    expected: 0,
                    found: 1,
                },
            ),
            (
                vec![Command::CopyBuffer { copy: 3 }],
                ValidationError::MissingCopy { index: 3, count: 0 },
            ),
            (
                vec![Command::Release {
                    buffer: BufferId(0),
                }],
                ValidationError::UndefinedBuffer {
                    buffer: BufferId(0),
                    defined: 0,
                },
            ),
        ];
        for (commands, expected) in cases {
            assert_eq!(list_with(commands).validate().unwrap_err().error, expected);
        }
    }

    #[test]
    fn payloads_outside_the_arena_are_errors() {
        let mut rec = Recorder::new();
        let b = rec.buffer(&[1u8; 100]).unwrap();
        rec.write(b, 0, &[2u8; 10]).unwrap();
        let mut list = rec.finish();
        list.arena.clear();
        let err = list.validate().unwrap_err();
        assert_eq!(err.index, 0);
        assert!(matches!(
            err.error,
            ValidationError::PayloadOutsideArena { len: 100, .. }
        ));
    }
}
