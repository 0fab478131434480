//! Buffer calls, following ModernGL's `Context.buffer` and `Buffer` methods.

use super::{entry, Recorder};
use crate::command::{BlockKind, BufferCopy, BufferOp, Command, ValidationError};
use crate::ids::{BufferId, ReadbackId};

impl Recorder {
    /// Creates a static buffer holding `data` (ModernGL: `ctx.buffer(data)`).
    ///
    /// Any `bytemuck::Pod` slice works: `&[u8]`, `&[f32]`, `&[[f32; 3]]`, ... An empty slice is
    /// an error: a buffer holds at least one byte.
    pub fn buffer<T: bytemuck::Pod>(&mut self, data: &[T]) -> Result<BufferId, ValidationError> {
        let data: &[u8] = bytemuck::cast_slice(data);
        self.create_buffer(data.len() as u64, false, data)
    }

    /// Creates a dynamic buffer (GL_DYNAMIC_DRAW) holding `data`
    /// (ModernGL: `ctx.buffer(data, dynamic=True)`).
    pub fn dynamic_buffer<T: bytemuck::Pod>(
        &mut self,
        data: &[T],
    ) -> Result<BufferId, ValidationError> {
        let data: &[u8] = bytemuck::cast_slice(data);
        self.create_buffer(data.len() as u64, true, data)
    }

    /// Creates a buffer of `size` zeroed bytes (ModernGL: `ctx.buffer(reserve=size)`).
    ///
    /// GL leaves reserved storage undefined; gltape zeroes it so that replays are
    /// deterministic on every driver. `dynamic` picks GL_DYNAMIC_DRAW over GL_STATIC_DRAW.
    pub fn buffer_reserve(
        &mut self,
        size: u64,
        dynamic: bool,
    ) -> Result<BufferId, ValidationError> {
        self.create_buffer(size, dynamic, &[])
    }

    /// Creates a buffer of `size` bytes holding `data`, or zeros when `data` is empty.
    fn create_buffer(
        &mut self,
        size: u64,
        dynamic: bool,
        data: &[u8],
    ) -> Result<BufferId, ValidationError> {
        self.record(|transaction, validator| {
            let buffer = validator.next_buffer_id()?;
            let data = transaction.payload(data)?;
            let command = Command::CreateBuffer {
                buffer,
                dynamic,
                size,
                data,
            };
            Ok((command, buffer))
        })
    }

    /// Writes `data` at byte `offset` (ModernGL: `buf.write(data, offset)`).
    ///
    /// An empty write is valid and records nothing.
    pub fn write<T: bytemuck::Pod>(
        &mut self,
        buffer: BufferId,
        offset: u64,
        data: &[T],
    ) -> Result<(), ValidationError> {
        let bytes: &[u8] = bytemuck::cast_slice(data);
        if bytes.is_empty() {
            return self
                .validator
                .check_range(BufferOp::Write, buffer, offset, 0);
        }
        self.record(|transaction, _| {
            // `bytes` is not empty (returned above), so the arena stores it: never `None`.
            let data = transaction
                .payload(bytes)?
                .ok_or(ValidationError::EmptyChunk { buffer })?;
            let command = Command::Write {
                buffer,
                offset,
                data,
            };
            Ok((command, ()))
        })
    }

    /// Replaces the buffer's storage with `size` fresh bytes, or as many as it has when `size`
    /// is `None` (ModernGL: `buf.orphan(size=-1)`).
    ///
    /// The new contents read as zeros until written (GL leaves them undefined; replay zeroes
    /// them unless the next command overwrites them whole). This is the first half of the
    /// orphan+write streaming idiom.
    pub fn orphan(&mut self, buffer: BufferId, size: Option<u64>) -> Result<(), ValidationError> {
        let size = match size {
            Some(size) => size,
            None => self.validator.buffer_size(buffer)?,
        };
        self.record_plain(Command::Orphan { buffer, size })
    }

    /// Fills the whole buffer with zeros (ModernGL: `buf.clear()`).
    pub fn clear(&mut self, buffer: BufferId) -> Result<(), ValidationError> {
        self.clear_range(buffer, None, 0, None)
    }

    /// Fills `size` bytes at `offset` (the rest of the buffer when `size` is `None`) with
    /// repeats of `chunk`, or with zeros (ModernGL: `buf.clear(size, offset, chunk)`).
    ///
    /// `size` must be a multiple of the chunk's length.
    pub fn clear_range(
        &mut self,
        buffer: BufferId,
        size: Option<u64>,
        offset: u64,
        chunk: Option<&[u8]>,
    ) -> Result<(), ValidationError> {
        let size = self.size_or_rest(buffer, size, offset)?;
        if chunk.is_some_and(<[u8]>::is_empty) {
            return Err(ValidationError::EmptyChunk { buffer });
        }
        self.record(|transaction, _| {
            let chunk = match chunk {
                Some(bytes) => transaction.payload(bytes)?,
                None => None,
            };
            let command = Command::ClearBuffer {
                buffer,
                chunk,
                offset,
                size,
            };
            Ok((command, ()))
        })
    }

    /// Reads `size` bytes at `offset` (the rest of the buffer when `size` is `None`); the bytes
    /// are available from the replay under the returned id (ModernGL: `buf.read(size, offset)`).
    pub fn read(
        &mut self,
        buffer: BufferId,
        size: Option<u64>,
        offset: u64,
    ) -> Result<ReadbackId, ValidationError> {
        let size = self.size_or_rest(buffer, size, offset)?;
        self.record(|_, validator| {
            let readback = validator.next_readback_id();
            let command = Command::Read {
                buffer,
                readback,
                offset,
                size,
            };
            Ok((command, readback))
        })
    }

    /// Copies `size` bytes (the rest of `src` after `read_offset` when `None`) from `src` at
    /// `read_offset` to `dst` at `write_offset`
    /// (ModernGL: `ctx.copy_buffer(dst, src, size, read_offset, write_offset)`).
    ///
    /// Overlapping ranges within one buffer are an error, as in GL.
    pub fn copy_buffer(
        &mut self,
        dst: BufferId,
        src: BufferId,
        size: Option<u64>,
        read_offset: u64,
        write_offset: u64,
    ) -> Result<(), ValidationError> {
        let copy = BufferCopy {
            dst,
            src,
            size: self.size_or_rest(src, size, read_offset)?,
            read_offset,
            write_offset,
        };
        self.record(|transaction, _| {
            let copy = entry(transaction, copy)?;
            Ok((Command::CopyBuffer { copy }, ()))
        })
    }

    /// Reads `count` chunks of `chunk_size` bytes, the first at byte `start` (counted from the
    /// end when negative) and each `step` bytes after the one before (`step` may be negative);
    /// the replay's bytes under the returned id are the chunks one after the other (ModernGL:
    /// `buf.read_chunks(chunk_size, start, step, count)`; `buf.read_chunks_into` is this
    /// read, then [`Readbacks::read_into`](crate::Readbacks::read_into)).
    ///
    /// As in ModernGL, a chunk may not be longer than the step (chunks never overlap), and
    /// every chunk lies inside the buffer; `count` is at least 1.
    pub fn read_chunks(
        &mut self,
        buffer: BufferId,
        chunk_size: u64,
        start: i64,
        step: i64,
        count: u64,
    ) -> Result<ReadbackId, ValidationError> {
        let chunks = (self.validator).chunks(buffer, chunk_size, start, step, count)?;
        self.record(|transaction, validator| {
            let readback = validator.next_readback_id();
            let chunks = entry(transaction, chunks)?;
            let command = Command::ReadChunks {
                buffer,
                readback,
                chunk_size,
                chunks,
            };
            Ok((command, readback))
        })
    }

    /// Cuts `data` into `count` equal chunks and writes chunk `i` at byte `start + i * step`
    /// (`start` counted from the end when negative; `step` may be negative) (ModernGL:
    /// `buf.write_chunks(data, start, step, count)`).
    ///
    /// The checks are [`Recorder::read_chunks`]'s, and `data` must cut into `count` equal
    /// chunks. Empty data is valid and records nothing.
    pub fn write_chunks<T: bytemuck::Pod>(
        &mut self,
        buffer: BufferId,
        data: &[T],
        start: i64,
        step: i64,
        count: u64,
    ) -> Result<(), ValidationError> {
        let bytes: &[u8] = bytemuck::cast_slice(data);
        let len = bytes.len() as u64;
        if count == 0 || !len.is_multiple_of(count) {
            self.validator.buffer_size(buffer)?;
            return Err(ValidationError::ChunkData { buffer, len, count });
        }
        let chunks = (self.validator).chunks(buffer, len / count, start, step, count)?;
        if bytes.is_empty() {
            return Ok(());
        }
        self.record(|transaction, _| {
            // `bytes` is not empty (returned above), so the arena stores it: never `None`.
            let data = transaction
                .payload(bytes)?
                .ok_or(ValidationError::EmptyChunk { buffer })?;
            let chunks = entry(transaction, chunks)?;
            let command = Command::WriteChunks {
                buffer,
                chunks,
                data,
            };
            Ok((command, ()))
        })
    }

    /// Binds `size` bytes of `buffer` from `offset` (the rest of the buffer when `size` is
    /// `None`) to uniform block binding `binding` (ModernGL:
    /// `buf.bind_to_uniform_block(binding, offset, size)`); a program's uniform block reads
    /// the binding its `binding` names ([`Recorder::block_binding`]).
    ///
    /// The range must lie inside the buffer and hold at least 1 byte, and `binding` be below
    /// [`MAX_UNIFORM_BUFFER_BINDINGS`](crate::command::MAX_UNIFORM_BUFFER_BINDINGS), what GL
    /// 4.5 guarantees. At replay `offset` must be a multiple of the context's
    /// GL_UNIFORM_BUFFER_OFFSET_ALIGNMENT (16 on llvmpipe, 256 at most), and a draw whose
    /// program reads a block through a binding that holds fewer bytes than the block is an
    /// error naming the block. The binding follows the buffer's bytes under every
    /// [`StreamStrategy`](crate::StreamStrategy), orphans included.
    pub fn bind_to_uniform_block(
        &mut self,
        buffer: BufferId,
        binding: u32,
        offset: u64,
        size: Option<u64>,
    ) -> Result<(), ValidationError> {
        self.bind_buffer_range(BlockKind::Uniform, buffer, binding, offset, size)
    }

    /// Binds a range of `buffer` to shader storage block binding `binding`, as
    /// [`Recorder::bind_to_uniform_block`] does for uniform blocks (ModernGL:
    /// `buf.bind_to_storage_buffer(binding, offset, size)`): `binding` below
    /// [`MAX_STORAGE_BUFFER_BINDINGS`](crate::command::MAX_STORAGE_BUFFER_BINDINGS), `offset`
    /// a multiple of the context's GL_SHADER_STORAGE_BUFFER_OFFSET_ALIGNMENT.
    pub fn bind_to_storage_buffer(
        &mut self,
        buffer: BufferId,
        binding: u32,
        offset: u64,
        size: Option<u64>,
    ) -> Result<(), ValidationError> {
        self.bind_buffer_range(BlockKind::Storage, buffer, binding, offset, size)
    }

    /// Records a binding of `kind`.
    fn bind_buffer_range(
        &mut self,
        kind: BlockKind,
        buffer: BufferId,
        binding: u32,
        offset: u64,
        size: Option<u64>,
    ) -> Result<(), ValidationError> {
        let size = self.size_or_rest(buffer, size, offset)?;
        self.record_plain(Command::BindBufferRange {
            kind,
            buffer,
            binding,
            offset,
            size,
        })
    }

    /// The size of the buffer as recorded so far (ModernGL: `buf.size`).
    pub fn buffer_size(&self, buffer: BufferId) -> Result<u64, ValidationError> {
        self.validator.buffer_size(buffer)
    }

    /// `size`, or the bytes from `offset` to the end of the buffer (ModernGL's `size=-1`).
    fn size_or_rest(
        &self,
        buffer: BufferId,
        size: Option<u64>,
        offset: u64,
    ) -> Result<u64, ValidationError> {
        let buffer_size = self.validator.buffer_size(buffer)?;
        Ok(size.unwrap_or_else(|| buffer_size.saturating_sub(offset)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::{BufferOp, Command, CommandList};

    /// Asserts that `call` fails with `expected` and leaves the recorded list as it was.
    fn rejected(
        rec: &mut Recorder,
        expected: ValidationError,
        call: impl FnOnce(&mut Recorder) -> Result<(), ValidationError>,
    ) {
        let before = rec.list().clone();
        assert_eq!(call(rec), Err(expected));
        let after: &CommandList = rec.list();
        assert_eq!(after.commands(), before.commands());
        assert_eq!(after.tables(), before.tables());
        assert_eq!(after.payload_bytes(), before.payload_bytes());
    }

    #[test]
    fn records_calls_in_order() {
        let mut rec = Recorder::new();
        let a = rec.buffer(&[1.0f32, 2.0]).unwrap();
        let b = rec.buffer_reserve(16, true).unwrap();
        rec.write(b, 4, &[9u8; 4]).unwrap();
        rec.orphan(b, Some(32)).unwrap();
        rec.copy_buffer(b, a, None, 0, 8).unwrap();
        let rb = rec.read(b, Some(8), 8).unwrap();
        rec.release(a).unwrap();
        let list = rec.finish();
        let names: Vec<_> = list.commands().iter().map(Command::name).collect();
        assert_eq!(
            names,
            [
                "create_buffer",
                "create_buffer",
                "write",
                "orphan",
                "copy_buffer",
                "read",
                "release"
            ]
        );
        assert_eq!((a.index(), b.index(), rb.index()), (0, 1, 0));
        let Command::CreateBuffer {
            data: Some(p),
            size: 8,
            dynamic: false,
            ..
        } = list.commands()[0]
        else {
            panic!("unexpected {:?}", list.commands()[0]);
        };
        assert_eq!(
            list.payload(p).unwrap(),
            bytemuck::cast_slice::<f32, u8>(&[1.0f32, 2.0])
        );
        assert_eq!(
            list.tables().entries::<BufferCopy>()[0].size,
            8,
            "size=None copies the rest of the source"
        );
        assert_eq!(list.upload_bytes(), 12);
        list.validate().unwrap();
    }

    #[test]
    fn orphan_without_size_keeps_it_and_with_size_changes_it() {
        let mut rec = Recorder::new();
        let b = rec.buffer_reserve(16, false).unwrap();
        rec.orphan(b, None).unwrap();
        assert_eq!(rec.buffer_size(b), Ok(16));
        rec.orphan(b, Some(4)).unwrap();
        assert_eq!(rec.buffer_size(b), Ok(4));
        rejected(
            &mut rec,
            ValidationError::OutOfRange {
                op: BufferOp::Write,
                buffer: b,
                offset: 0,
                size: 5,
                buffer_size: 4,
            },
            |r| r.write(b, 0, &[0u8; 5]),
        );
    }

    #[test]
    fn zero_sized_buffers_are_rejected() {
        let mut rec = Recorder::new();
        rejected(&mut rec, ValidationError::EmptyBuffer, |r| {
            r.buffer_reserve(0, false).map(drop)
        });
        rejected(&mut rec, ValidationError::EmptyBuffer, |r| {
            r.buffer::<u8>(&[]).map(drop)
        });
        let b = rec.buffer_reserve(4, false).unwrap();
        rejected(&mut rec, ValidationError::EmptyBuffer, |r| {
            r.orphan(b, Some(0))
        });
        assert_eq!(b.index(), 0, "rejected creations consume no id");
    }

    #[test]
    fn out_of_range_calls_are_rejected() {
        let mut rec = Recorder::new();
        let b = rec.buffer(&[0u8; 20]).unwrap();
        let other = rec.buffer(&[0u8; 8]).unwrap();
        let range = |op, offset, size| ValidationError::OutOfRange {
            op,
            buffer: b,
            offset,
            size,
            buffer_size: 20,
        };
        rejected(&mut rec, range(BufferOp::Write, 17, 4), |r| {
            r.write(b, 17, &[0u8; 4])
        });
        rejected(&mut rec, range(BufferOp::Write, u64::MAX, 1), |r| {
            r.write(b, u64::MAX, &[0u8])
        });
        rejected(&mut rec, range(BufferOp::Read, 10, 11), |r| {
            r.read(b, Some(11), 10).map(drop)
        });
        rejected(&mut rec, range(BufferOp::Read, 21, 0), |r| {
            r.read(b, None, 21).map(drop)
        });
        rejected(&mut rec, range(BufferOp::Clear, 4, 20), |r| {
            r.clear_range(b, Some(20), 4, None)
        });
        rejected(&mut rec, range(BufferOp::CopyTo, 16, 8), |r| {
            r.copy_buffer(b, other, None, 0, 16)
        });
        rejected(
            &mut rec,
            ValidationError::OutOfRange {
                op: BufferOp::CopyFrom,
                buffer: other,
                offset: 4,
                size: 5,
                buffer_size: 8,
            },
            |r| r.copy_buffer(b, other, Some(5), 4, 0),
        );
    }

    #[test]
    fn bad_chunks_and_overlapping_copies_are_rejected() {
        let mut rec = Recorder::new();
        let b = rec.buffer(&[0u8; 20]).unwrap();
        rejected(
            &mut rec,
            ValidationError::ChunkMismatch {
                buffer: b,
                size: 19,
                chunk: 2,
            },
            |r| r.clear_range(b, None, 1, Some(b"AB")),
        );
        rejected(&mut rec, ValidationError::EmptyChunk { buffer: b }, |r| {
            r.clear_range(b, Some(4), 0, Some(b""))
        });
        rejected(
            &mut rec,
            ValidationError::OverlappingCopy {
                buffer: b,
                read_offset: 0,
                write_offset: 4,
                size: 8,
            },
            |r| r.copy_buffer(b, b, Some(8), 0, 4),
        );
        rec.copy_buffer(b, b, Some(8), 0, 8).unwrap();
    }

    #[test]
    fn undefined_and_released_buffers_are_rejected() {
        let mut rec = Recorder::new();
        let b = rec.buffer(&[0u8; 4]).unwrap();
        let ghost = BufferId(7);
        let undefined = ValidationError::Undefined {
            object: ghost.into(),
            defined: 1,
        };
        rejected(&mut rec, undefined.clone(), |r| r.write(ghost, 0, &[1u8]));
        rejected(&mut rec, undefined, |r| r.release(ghost));
        rec.release(b).unwrap();
        let released = ValidationError::Released { object: b.into() };
        rejected(&mut rec, released.clone(), |r| r.write(b, 0, &[1u8]));
        rejected(&mut rec, released.clone(), |r| r.read(b, None, 0).map(drop));
        rejected(&mut rec, released.clone(), |r| r.orphan(b, None));
        rejected(&mut rec, released.clone(), |r| r.clear(b));
        rejected(&mut rec, released.clone(), |r| r.release(b));
        let c = rec.buffer(&[0u8; 4]).unwrap();
        rejected(&mut rec, released, |r| r.copy_buffer(c, b, None, 0, 0));
        assert_eq!(c.index(), 1, "ids are never reused");
    }

    #[test]
    fn errors_name_the_buffer_range_and_size() {
        let mut rec = Recorder::new();
        let b = rec.buffer(&[0u8; 20]).unwrap();
        let message = rec.write(b, 8, &[0u8; 16]).unwrap_err().to_string();
        assert_eq!(
            message,
            "write of 16 bytes at offset 8 is out of range of buffer #0 (size 20 bytes)"
        );
    }

    #[test]
    fn empty_write_records_nothing() {
        let mut rec = Recorder::new();
        let b = rec.buffer(&[0u8; 4]).unwrap();
        rec.write::<u8>(b, 4, &[]).unwrap();
        assert_eq!(rec.list().len(), 1);
    }
}
