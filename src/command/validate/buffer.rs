//! Buffer checks: sizes, ranges, chunks, copies.

use super::error::MAX_GL_SIZE;
use super::{BufferOp, BufferState, ValidationError, Validator, RING_SLOTS};
use crate::command::{BlockKind, BufferCopy, Chunks};
use crate::ids::{BufferId, ReadbackId};

fn check_size(size: u64) -> Result<u64, ValidationError> {
    match size {
        0 => Err(ValidationError::EmptyBuffer),
        s if s > MAX_GL_SIZE => Err(ValidationError::BufferTooLarge { size }),
        s => Ok(s),
    }
}

/// Checks that `offset..offset + size` lies inside `buffer`, of `buffer_size` bytes.
pub(crate) fn check_within(
    op: BufferOp,
    buffer: BufferId,
    offset: u64,
    size: u64,
    buffer_size: u64,
) -> Result<(), ValidationError> {
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

impl Validator {
    /// The live size of `buffer`, or why it cannot be used.
    pub fn buffer_size(&self, buffer: BufferId) -> Result<u64, ValidationError> {
        self.buffers.get(buffer.0).map(|state| state.size)
    }

    /// Checks that `offset..offset + size` lies inside `buffer`.
    pub(crate) fn check_range(
        &self,
        op: BufferOp,
        buffer: BufferId,
        offset: u64,
        size: u64,
    ) -> Result<(), ValidationError> {
        check_within(op, buffer, offset, size, self.buffer_size(buffer)?)
    }

    /// Checks that a buffer of `size` bytes could be defined next, changing nothing.
    pub(super) fn check_new_buffer(&self, size: u64) -> Result<BufferId, ValidationError> {
        check_size(size)?;
        self.buffers.next_id().map(BufferId)
    }

    /// Defines the next buffer with `size` bytes.
    pub(super) fn create_buffer(&mut self, size: u64) -> Result<BufferId, ValidationError> {
        let id = self.check_new_buffer(size)?;
        self.buffers.push(BufferState { size, ring: 0 });
        self.counters.live_bytes = self.counters.live_bytes.saturating_add(size);
        Ok(id)
    }

    /// Checks a write of `len` bytes at `offset`.
    pub(super) fn write(
        &self,
        buffer: BufferId,
        offset: u64,
        len: u64,
    ) -> Result<(), ValidationError> {
        self.check_range(BufferOp::Write, buffer, offset, len)
    }

    /// Checks and applies an orphan to `size` bytes.
    pub(super) fn orphan(&mut self, buffer: BufferId, size: u64) -> Result<(), ValidationError> {
        self.buffer_size(buffer)?;
        let size = check_size(size)?;
        let state = self.buffers.get_mut(buffer.0)?;
        let old = *state;
        // Under the ring strategy, the buffer's ring holds slots of its largest orphan size.
        let ring = size.saturating_mul(RING_SLOTS).max(old.ring);
        *state = BufferState { size, ring };
        let c = &mut self.counters;
        c.live_bytes = c.live_bytes.saturating_sub(old.size).saturating_add(size);
        c.ring_bytes = c.ring_bytes.saturating_sub(old.ring).saturating_add(ring);
        Ok(())
    }

    /// Checks a clear of `size` bytes at `offset` with an optional repeated chunk.
    pub(super) fn clear_buffer(
        &self,
        buffer: BufferId,
        offset: u64,
        size: u64,
        chunk_len: Option<u64>,
    ) -> Result<(), ValidationError> {
        self.check_range(BufferOp::Clear, buffer, offset, size)?;
        match chunk_len {
            Some(0) => Err(ValidationError::EmptyChunk { buffer }),
            Some(chunk) if !size.is_multiple_of(chunk) => Err(ValidationError::ChunkMismatch {
                buffer,
                size,
                chunk,
            }),
            _ => Ok(()),
        }
    }

    /// Checks a read and hands out the next readback id.
    pub(super) fn read(
        &mut self,
        buffer: BufferId,
        offset: u64,
        size: u64,
    ) -> Result<ReadbackId, ValidationError> {
        self.check_range(BufferOp::Read, buffer, offset, size)?;
        let id = self.next_readback()?;
        self.counters.readback_bytes = self.counters.readback_bytes.saturating_add(size);
        Ok(id)
    }

    /// Checks a copy: both ranges in range, no overlap within one buffer.
    pub(super) fn copy(&self, copy: &BufferCopy) -> Result<(), ValidationError> {
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

    /// Checks a binding of `size` bytes of `buffer` from `offset` to binding `binding` of
    /// `kind` blocks (the offset's alignment is a context limit, checked at replay).
    pub(super) fn bind_buffer_range(
        &self,
        kind: BlockKind,
        buffer: BufferId,
        binding: u32,
        offset: u64,
        size: u64,
    ) -> Result<(), ValidationError> {
        check_binding(binding, kind.bindings(), kind.bindings_limit())?;
        self.check_range(BufferOp::Bind(kind), buffer, offset, size)?;
        if size == 0 {
            return Err(ValidationError::EmptyBinding {
                kind,
                buffer,
                offset,
            });
        }
        Ok(())
    }

    /// Checks `count` chunks of `chunk_size` bytes at `start + i * step` in `buffer` as
    /// ModernGL does (a negative `start` counts from the end of the buffer) and returns where
    /// they lie, `start` resolved.
    pub(crate) fn chunks(
        &self,
        buffer: BufferId,
        chunk_size: u64,
        start: i64,
        step: i64,
        count: u64,
    ) -> Result<Chunks, ValidationError> {
        let buffer_size = self.buffer_size(buffer)?;
        let error = |problem| ValidationError::Chunks {
            buffer,
            chunk_size,
            start,
            step,
            count,
            buffer_size,
            problem,
        };
        if count == 0 {
            return Err(error("there must be at least 1 chunk"));
        }
        if chunk_size > step.unsigned_abs() {
            return Err(error("a chunk longer than the step would overlap the next"));
        }
        let size = i128::from(buffer_size);
        let first = match start {
            s if s < 0 => size + i128::from(s),
            s => i128::from(s),
        };
        // count < 2^64 and |step| <= 2^63: the product and the sums stay far inside i128.
        let last = first + (i128::from(count) - 1) * i128::from(step);
        let chunk = i128::from(chunk_size);
        let inside = |at: i128| at >= 0 && at + chunk <= size;
        match u64::try_from(first) {
            Ok(start) if inside(first) && inside(last) => Ok(Chunks { start, step, count }),
            _ => Err(error("a chunk lies outside the buffer")),
        }
    }

    /// Checks a read of chunks and hands out the next readback id.
    pub(super) fn read_chunks(
        &mut self,
        buffer: BufferId,
        chunk_size: u64,
        chunks: &Chunks,
    ) -> Result<ReadbackId, ValidationError> {
        self.check_chunks(buffer, chunk_size, chunks)?;
        let id = self.next_readback()?;
        // The chunks lie inside the buffer without overlapping: at most its size in all.
        let bytes = chunk_size.saturating_mul(chunks.count);
        self.counters.readback_bytes = self.counters.readback_bytes.saturating_add(bytes);
        Ok(id)
    }

    /// Checks a write of `len` bytes of data cut into `chunks.count` equal chunks.
    pub(super) fn write_chunks(
        &self,
        buffer: BufferId,
        chunks: &Chunks,
        len: u64,
    ) -> Result<(), ValidationError> {
        let count = chunks.count;
        if count == 0 || !len.is_multiple_of(count) {
            self.buffer_size(buffer)?;
            return Err(ValidationError::ChunkData { buffer, len, count });
        }
        self.check_chunks(buffer, len / count, chunks)
    }

    /// Checks chunks as a list holds them (`start` resolved).
    fn check_chunks(
        &self,
        buffer: BufferId,
        chunk_size: u64,
        chunks: &Chunks,
    ) -> Result<(), ValidationError> {
        // A start past i64::MAX lies past any buffer (buffer sizes fit GLsizeiptr).
        let start = i64::try_from(chunks.start).unwrap_or(i64::MAX);
        self.chunks(buffer, chunk_size, start, chunks.step, chunks.count)
            .map(drop)
    }
}

/// Checks that `binding` is below `max`, the guaranteed value of the GL limit `limit`.
pub(super) fn check_binding(
    binding: u32,
    max: u32,
    limit: &'static str,
) -> Result<(), ValidationError> {
    if binding >= max {
        return Err(ValidationError::BindingIndex {
            binding,
            max,
            limit,
        });
    }
    Ok(())
}
