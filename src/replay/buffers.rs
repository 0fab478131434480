//! GL buffer objects of one replay: the id -> name table and the DSA calls for each command.

use super::Fault;
use crate::command::BufferCopy;
use crate::gl::{self, types::*, Gl};
use crate::ids::BufferId;

/// A live GL buffer, the usage it was created with (orphaning keeps it) and its size.
#[derive(Clone, Copy, Debug, Default)]
struct GlBuffer {
    name: GLuint,
    usage: GLenum,
    size: u64,
}

/// Buffer names by dense [`BufferId`]; name 0 marks a buffer not (or no longer) alive.
#[derive(Default)]
pub(super) struct BufferTable {
    buffers: Vec<GlBuffer>,
}

/// Converts a validated size or offset (at most `isize::MAX`) to GL's pointer-sized types.
pub(super) fn gl_size(value: u64) -> GLsizeiptr {
    value as GLsizeiptr
}

impl BufferTable {
    /// The current size of a live buffer (0 for one that is not alive).
    pub(super) fn size(&self, buffer: BufferId) -> u64 {
        self.buffers
            .get(buffer.index())
            .filter(|b| b.name != 0)
            .map_or(0, |b| b.size)
    }

    /// Live GL buffers.
    pub(super) fn live(&self) -> usize {
        self.buffers.iter().filter(|b| b.name != 0).count()
    }

    pub(super) fn name(&self, buffer: BufferId) -> Result<GLuint, Fault> {
        match self.buffers.get(buffer.index()) {
            Some(b) if b.name != 0 => Ok(b.name),
            _ => Err(Fault::Corrupt("buffer has no GL name")),
        }
    }

    pub(super) fn create(
        &mut self,
        gl: &Gl,
        buffer: BufferId,
        dynamic: bool,
        size: u64,
        data: Option<&[u8]>,
    ) -> Result<(), Fault> {
        if buffer.index() != self.buffers.len() {
            return Err(Fault::Corrupt("buffer created out of order"));
        }
        let usage = if dynamic {
            gl::DYNAMIC_DRAW
        } else {
            gl::STATIC_DRAW
        };
        let mut name = 0;
        // SAFETY: `name` is valid for one GLuint. `data`, when present, holds exactly `size`
        // bytes (validated); when absent GL allocates uninitialised storage, which is zeroed
        // right away over its full, validated size.
        unsafe {
            gl.CreateBuffers(1, &mut name);
            let ptr = data.map_or(std::ptr::null(), |d| d.as_ptr().cast());
            gl.NamedBufferData(name, gl_size(size), ptr, usage);
            if data.is_none() {
                zero_fill(gl, name, 0, size);
            }
        }
        self.buffers.push(GlBuffer { name, usage, size });
        Ok(())
    }

    pub(super) fn write(
        &self,
        gl: &Gl,
        buffer: BufferId,
        offset: u64,
        data: &[u8],
    ) -> Result<(), Fault> {
        let name = self.name(buffer)?;
        // SAFETY: validation checked offset + data.len() <= the buffer's size.
        unsafe {
            gl.NamedBufferSubData(
                name,
                gl_size(offset),
                gl_size(data.len() as u64),
                data.as_ptr().cast(),
            );
        }
        Ok(())
    }

    pub(super) fn orphan(&self, gl: &Gl, buffer: BufferId, size: u64) -> Result<(), Fault> {
        let name = self.name(buffer)?;
        let usage = self
            .buffers
            .get(buffer.index())
            .map_or(gl::STATIC_DRAW, |b| b.usage);
        // SAFETY: a null pointer asks GL for fresh storage of `size` (validated) bytes.
        unsafe { gl.NamedBufferData(name, gl_size(size), std::ptr::null(), usage) }
        Ok(())
    }

    pub(super) fn clear(
        &self,
        gl: &Gl,
        buffer: BufferId,
        offset: u64,
        size: u64,
        chunk: Option<&[u8]>,
    ) -> Result<(), Fault> {
        let name = self.name(buffer)?;
        let Some(chunk) = chunk else {
            // SAFETY: validation checked the range.
            unsafe { zero_fill(gl, name, offset, size) };
            return Ok(());
        };
        if size == 0 {
            return Ok(());
        }
        // SAFETY: the range was validated; GL maps exactly `size` writable bytes or returns
        // null, which is reported. The slice lives only until the unmap.
        unsafe {
            let ptr = gl.MapNamedBufferRange(
                name,
                gl_size(offset),
                gl_size(size),
                gl::MAP_WRITE_BIT | gl::MAP_INVALIDATE_RANGE_BIT,
            );
            if ptr.is_null() {
                return Err(Fault::Map);
            }
            let bytes = std::slice::from_raw_parts_mut(ptr.cast::<u8>(), size as usize);
            for piece in bytes.chunks_exact_mut(chunk.len()) {
                piece.copy_from_slice(chunk);
            }
            if gl.UnmapNamedBuffer(name) == gl::FALSE {
                return Err(Fault::Map);
            }
        }
        Ok(())
    }

    pub(super) fn read(
        &self,
        gl: &Gl,
        buffer: BufferId,
        offset: u64,
        size: u64,
    ) -> Result<Vec<u8>, Fault> {
        let name = self.name(buffer)?;
        let mut bytes = vec![0u8; size as usize];
        // SAFETY: validation checked the range; `bytes` holds exactly `size` bytes.
        unsafe {
            gl.GetNamedBufferSubData(
                name,
                gl_size(offset),
                gl_size(size),
                bytes.as_mut_ptr().cast(),
            );
        }
        Ok(bytes)
    }

    pub(super) fn copy(&self, gl: &Gl, copy: &BufferCopy) -> Result<(), Fault> {
        let (src, dst) = (self.name(copy.src)?, self.name(copy.dst)?);
        // SAFETY: validation checked both ranges and that they do not overlap.
        unsafe {
            gl.CopyNamedBufferSubData(
                src,
                dst,
                gl_size(copy.read_offset),
                gl_size(copy.write_offset),
                gl_size(copy.size),
            );
        }
        Ok(())
    }

    pub(super) fn release(&mut self, gl: &Gl, buffer: BufferId) -> Result<(), Fault> {
        let name = self.name(buffer)?;
        // SAFETY: `name` is a live buffer of this context.
        unsafe { gl.DeleteBuffers(1, &name) };
        if let Some(slot) = self.buffers.get_mut(buffer.index()) {
            slot.name = 0;
        }
        Ok(())
    }

    /// Deletes every live buffer.
    pub(super) fn delete_all(&mut self, gl: &Gl) {
        let names: Vec<GLuint> = self
            .buffers
            .drain(..)
            .map(|b| b.name)
            .filter(|&n| n != 0)
            .collect();
        if !names.is_empty() {
            // SAFETY: every name is a live buffer of this context; the count matches the slice.
            unsafe { gl.DeleteBuffers(names.len() as GLsizei, names.as_ptr()) };
        }
    }
}

/// Zeroes `size` bytes at `offset` of buffer `name`.
///
/// # Safety
/// The range must lie inside the buffer and a context must be current.
unsafe fn zero_fill(gl: &Gl, name: GLuint, offset: u64, size: u64) {
    gl.ClearNamedBufferSubData(
        name,
        gl::R8UI,
        gl_size(offset),
        gl_size(size),
        gl::RED_INTEGER,
        gl::UNSIGNED_BYTE,
        std::ptr::null(),
    );
}
