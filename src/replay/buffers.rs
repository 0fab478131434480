//! GL buffer objects of one replay: the id -> storage table and the DSA calls for each
//! command.
//!
//! A buffer's bytes live in one GL buffer at offset 0: its own storage, or, under the `ring`
//! stream strategy, the current slot of its ring (a GL buffer of exactly the buffer's size).
//! Every command addresses [`BufferTable::location`], so the strategies differ only in where
//! the bytes are, never in what they are.

use super::gl_enum::gl_size;
use super::ring::Ring;
use super::{readback_vec, Fault};
use crate::command::{BufferCopy, Chunks};
use crate::gl::{self, types::*, Gl};
use crate::ids::BufferId;

/// A live GL buffer: its own storage, the usage it was created with (orphaning keeps it),
/// its size, and the GL buffer that holds its bytes now (its own name or a ring slot's).
#[derive(Default)]
struct GlBuffer {
    name: GLuint,
    usage: GLenum,
    size: u64,
    at: GLuint,
    ring: Option<Ring>,
    /// When the ring strategy last filled a slot of its ring: the timed pass
    /// ([`BufferTable::start_pass`]) and the orphan's command index.
    filled: Option<(u64, usize)>,
}

/// Buffer names by dense [`BufferId`]; name 0 marks a buffer not (or no longer) alive.
#[derive(Default)]
pub(super) struct BufferTable {
    buffers: Vec<GlBuffer>,
    /// Rings of released buffers and earlier replays, kept mapped for the next streamed
    /// buffer so that replaying a list again allocates nothing.
    spare_rings: Vec<Ring>,
    /// Where chunked reads and writes gather a span of chunks (at most [`SPAN`] bytes).
    scratch: Vec<u8>,
    /// The timed pass running now (a serial number): GL finished every command before it
    /// started ([`BufferTable::start_pass`]).
    pass: u64,
}

/// Spare rings kept at most; more are deleted.
const MAX_SPARE_RINGS: usize = 8;

/// Bytes uploaded at once when a repeated chunk is written into a ring slot.
const CLEAR_PIECE: usize = 1 << 20;

/// The most bytes a chunked read or write moves in one GL call when it gathers several
/// chunks: chunks closer together than this move as one span (the bytes between them
/// included), others one by one.
const SPAN: u64 = 1 << 20;

impl BufferTable {
    /// The current size of a live buffer (0 for one that is not alive).
    pub(super) fn size(&self, buffer: BufferId) -> u64 {
        self.buffers
            .get(buffer.index())
            .filter(|b| b.name != 0)
            .map_or(0, |b| b.size)
    }

    /// Live GL buffers, rings (in use or spare) included.
    pub(super) fn live(&self) -> usize {
        let own = self.buffers.iter().filter(|b| b.name != 0).count();
        let rings = self.buffers.iter().filter_map(|b| b.ring.as_ref());
        own + rings
            .chain(&self.spare_rings)
            .map(Ring::live)
            .sum::<usize>()
    }

    fn get(&self, buffer: BufferId) -> Result<&GlBuffer, Fault> {
        match self.buffers.get(buffer.index()) {
            Some(b) if b.name != 0 => Ok(b),
            _ => Err(Fault::Missing("buffer")),
        }
    }

    fn get_mut(&mut self, buffer: BufferId) -> Result<&mut GlBuffer, Fault> {
        match self.buffers.get_mut(buffer.index()) {
            Some(b) if b.name != 0 => Ok(b),
            _ => Err(Fault::Missing("buffer")),
        }
    }

    /// The GL buffer that holds the buffer's bytes now, at offset 0.
    pub(super) fn location(&self, buffer: BufferId) -> Result<GLuint, Fault> {
        self.get(buffer).map(|b| b.at)
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
        self.buffers.push(GlBuffer {
            name,
            usage,
            size,
            at: name,
            ring: None,
            filled: None,
        });
        Ok(())
    }

    pub(super) fn write(
        &self,
        gl: &Gl,
        buffer: BufferId,
        offset: u64,
        data: &[u8],
    ) -> Result<(), Fault> {
        let at = self.location(buffer)?;
        // SAFETY: validation checked offset + data.len() <= the buffer's size, which the
        // location holds.
        unsafe {
            gl.NamedBufferSubData(
                at,
                gl_size(offset),
                gl_size(data.len() as u64),
                data.as_ptr().cast(),
            );
        }
        Ok(())
    }

    /// Faithful orphan: fresh storage of `size` bytes in the buffer's own name, zeroed when
    /// `zero` says so (GL leaves it undefined). Returns whether the buffer's location changed
    /// (it had been in a ring slot).
    pub(super) fn orphan(
        &mut self,
        gl: &Gl,
        buffer: BufferId,
        size: u64,
        zero: bool,
    ) -> Result<bool, Fault> {
        let slot = self.get_mut(buffer)?;
        slot.size = size;
        // SAFETY: a null pointer asks GL for fresh storage of `size` (validated) bytes, which
        // the zero fill covers exactly.
        unsafe {
            gl.NamedBufferData(slot.name, gl_size(size), std::ptr::null(), slot.usage);
            if zero {
                zero_fill(gl, slot.name, 0, size);
            }
        }
        Ok(slot.move_to_own())
    }

    /// Fold strategy: an orphan and a write of the whole new storage as one glBufferData.
    /// Returns whether the buffer's location changed.
    pub(super) fn orphan_and_fill(
        &mut self,
        gl: &Gl,
        buffer: BufferId,
        data: &[u8],
    ) -> Result<bool, Fault> {
        let slot = self.get_mut(buffer)?;
        slot.size = data.len() as u64;
        // SAFETY: `data` holds exactly the new size's bytes (a validated orphan + full write).
        unsafe {
            gl.NamedBufferData(
                slot.name,
                gl_size(slot.size),
                data.as_ptr().cast(),
                slot.usage,
            );
        }
        Ok(slot.move_to_own())
    }

    /// Starts a timed pass. Call it only when GL has finished every command issued so far
    /// (right after glFinish): a ring slot filled before then is no longer in use by GL.
    pub(super) fn start_pass(&mut self) {
        self.pass += 1;
    }

    /// Ring strategy: an orphan and a write of the whole new storage, the orphan at command
    /// `index`, into a slot of the buffer's ring (made, or remade for a new size, on demand).
    /// `last_work` is the index of the last command of this pass that issued GL work other
    /// than such fills (none yet: `None`). When the buffer's bytes are in the ring's current
    /// slot, put there by a fill of this pass after `last_work` or by a fill of an earlier
    /// pass with no GL work in this one yet (GL finished everything before the pass), no GL
    /// command can be using the slot, and it is filled again in place (the location stays);
    /// otherwise the fill goes to the next slot. Returns whether the location changed.
    /// Falls back to [`BufferTable::orphan_and_fill`] where GL cannot map a ring.
    pub(super) fn orphan_into_ring(
        &mut self,
        gl: &Gl,
        buffer: BufferId,
        data: &[u8],
        index: usize,
        last_work: Option<usize>,
    ) -> Result<bool, Fault> {
        let size = data.len() as u64;
        let needs_ring = !self
            .get(buffer)?
            .ring
            .as_ref()
            .is_some_and(|r| r.holds(size));
        if needs_ring {
            let ring = match self.spare_rings.iter().position(|r| r.holds(size)) {
                Some(spare) => Some(self.spare_rings.swap_remove(spare)),
                None => Ring::new(gl, size),
            };
            if let Some(old) = std::mem::replace(&mut self.get_mut(buffer)?.ring, ring) {
                self.keep_spare(gl, old);
            }
        }
        let pass = self.pass;
        let slot = self.get_mut(buffer)?;
        let Some(ring) = slot.ring.as_mut() else {
            return self.orphan_and_fill(gl, buffer, data);
        };
        let untouched = match slot.filled {
            Some((filled_pass, filled_at)) if filled_pass == pass => {
                last_work.is_none_or(|work| work < filled_at)
            }
            Some(_) => last_work.is_none(),
            None => false,
        };
        let in_place = untouched && ring.current_name() == Some(slot.at);
        let at = ring.push(gl, data, in_place)?;
        slot.filled = Some((pass, index));
        slot.size = size;
        Ok(std::mem::replace(&mut slot.at, at) != at)
    }

    pub(super) fn clear(
        &self,
        gl: &Gl,
        buffer: BufferId,
        offset: u64,
        size: u64,
        chunk: Option<&[u8]>,
    ) -> Result<(), Fault> {
        let slot = self.get(buffer)?;
        let name = slot.at;
        let Some(chunk) = chunk else {
            // SAFETY: validation checked the range, which the location holds.
            unsafe { zero_fill(gl, name, offset, size) };
            return Ok(());
        };
        if slot.at != slot.name {
            // A ring slot is persistently mapped and cannot be mapped again: upload the
            // repeated chunk instead, in pieces of about 1 MiB (whole chunks) so that a large
            // clear does not allocate its size again on the CPU.
            let repeats = (CLEAR_PIECE / chunk.len()).max(1);
            let piece = chunk.repeat(repeats);
            let mut done = 0u64;
            while done < size {
                // `size` is a whole number of chunks (validated), and so is every piece.
                let len = (piece.len() as u64).min(size - done);
                // SAFETY: `piece` holds at least `len` bytes; the range was validated.
                unsafe {
                    gl.NamedBufferSubData(
                        name,
                        gl_size(offset + done),
                        gl_size(len),
                        piece.as_ptr().cast(),
                    )
                };
                done += len;
            }
            return Ok(());
        }
        if size == 0 {
            return Ok(());
        }
        let len = usize::try_from(size).map_err(|_| Fault::Map)?;
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
            let bytes = std::slice::from_raw_parts_mut(ptr.cast::<u8>(), len);
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
        let at = self.location(buffer)?;
        let mut bytes = readback_vec(size)?;
        // SAFETY: validation checked the range; `bytes` holds exactly `size` bytes.
        unsafe {
            gl.GetNamedBufferSubData(
                at,
                gl_size(offset),
                gl_size(size),
                bytes.as_mut_ptr().cast(),
            );
        }
        Ok(bytes)
    }

    /// Reads `chunks.count` chunks of `chunk_size` bytes, one after the other (ModernGL's
    /// `read_chunks`): chunks near each other in one call per span of at most [`SPAN`]
    /// bytes, others one call each.
    pub(super) fn read_chunks(
        &mut self,
        gl: &Gl,
        buffer: BufferId,
        chunk_size: u64,
        chunks: &Chunks,
    ) -> Result<Vec<u8>, Fault> {
        let at = self.location(buffer)?;
        // Validated: the chunks lie inside the buffer without overlapping.
        let mut out = readback_vec(chunk_size.saturating_mul(chunks.count))?;
        for span in spans(chunks, chunk_size) {
            if span.order.end - span.order.start == 1 {
                let i = span.chunk(span.order.start);
                let dst = piece_mut(&mut out, i * chunk_size, chunk_size)?;
                get_sub_data(gl, at, span.start, dst);
                continue;
            }
            let scratch = scratch(&mut self.scratch, span.len)?;
            get_sub_data(gl, at, span.start, scratch);
            for j in span.order.clone() {
                let i = span.chunk(j);
                let src = piece(scratch, chunks.offset(i) - span.start, chunk_size)?;
                piece_mut(&mut out, i * chunk_size, chunk_size)?.copy_from_slice(src);
            }
        }
        Ok(out)
    }

    /// Writes `data`, cut into `chunks.count` equal chunks, at the chunks' places (ModernGL's
    /// `write_chunks`): chunks near each other in one upload per span of at most [`SPAN`]
    /// bytes (the span read first when there are gaps between them), others one call each.
    pub(super) fn write_chunks(
        &mut self,
        gl: &Gl,
        buffer: BufferId,
        chunks: &Chunks,
        data: &[u8],
    ) -> Result<(), Fault> {
        let at = self.location(buffer)?;
        // Validated: `data` cuts into `count` equal chunks.
        let chunk_size = (data.len() as u64) / chunks.count.max(1);
        let gaps = chunk_size < chunks.step.unsigned_abs();
        for span in spans(chunks, chunk_size) {
            if span.order.end - span.order.start == 1 {
                let i = span.chunk(span.order.start);
                let src = piece(data, i * chunk_size, chunk_size)?;
                sub_data(gl, at, span.start, src);
                continue;
            }
            let scratch = scratch(&mut self.scratch, span.len)?;
            if gaps {
                get_sub_data(gl, at, span.start, scratch);
            }
            for j in span.order.clone() {
                let i = span.chunk(j);
                let src = piece(data, i * chunk_size, chunk_size)?;
                let place = chunks.offset(i) - span.start;
                piece_mut(scratch, place, chunk_size)?.copy_from_slice(src);
            }
            sub_data(gl, at, span.start, scratch);
        }
        Ok(())
    }

    pub(super) fn copy(&self, gl: &Gl, copy: &BufferCopy) -> Result<(), Fault> {
        let (src, dst) = (self.location(copy.src)?, self.location(copy.dst)?);
        // SAFETY: validation checked both ranges and that they do not overlap; the
        // locations hold the buffers' bytes.
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
        let ring = self.get_mut(buffer)?.delete(gl);
        if let Some(ring) = ring {
            self.keep_spare(gl, ring);
        }
        Ok(())
    }

    /// Keeps `ring` for reuse, or deletes it when enough are kept.
    fn keep_spare(&mut self, gl: &Gl, ring: Ring) {
        if self.spare_rings.len() < MAX_SPARE_RINGS {
            self.spare_rings.push(ring);
        } else {
            ring.delete(gl);
        }
    }

    /// Deletes the spare rings too (when the renderer goes away).
    pub(super) fn delete_spares(&mut self, gl: &Gl) {
        for ring in self.spare_rings.drain(..) {
            ring.delete(gl);
        }
    }

    /// Deletes every live buffer; their rings become spares.
    pub(super) fn delete_all(&mut self, gl: &Gl) {
        let mut buffers = std::mem::take(&mut self.buffers);
        for buffer in &mut buffers {
            if let Some(ring) = buffer.delete(gl) {
                self.keep_spare(gl, ring);
            }
        }
    }
}

impl GlBuffer {
    /// Points the buffer back at its own storage; true if it was elsewhere.
    fn move_to_own(&mut self) -> bool {
        std::mem::replace(&mut self.at, self.name) != self.name
    }

    /// Deletes the buffer's own storage, if alive, and hands back its ring.
    fn delete(&mut self, gl: &Gl) -> Option<Ring> {
        if self.name != 0 {
            // SAFETY: a live buffer of this context.
            unsafe { gl.DeleteBuffers(1, &self.name) };
        }
        self.name = 0;
        self.ring.take()
    }
}

/// Chunks that one call moves: those at places `order` in address order, lying in `len`
/// bytes from byte `start`.
struct Span {
    start: u64,
    len: u64,
    order: std::ops::Range<u64>,
    /// Chunks in all, and whether they run backwards (a negative step).
    count: u64,
    backwards: bool,
}

impl Span {
    /// The chunk at place `j` in address order.
    fn chunk(&self, j: u64) -> u64 {
        match self.backwards {
            true => self.count - 1 - j,
            false => j,
        }
    }
}

/// The chunks of a validated layout in address order, gathered greedily into spans of at
/// most [`SPAN`] bytes (a larger chunk alone). No chunk of 0 bytes moves anything: none.
fn spans(chunks: &Chunks, chunk_size: u64) -> impl Iterator<Item = Span> + '_ {
    let (count, backwards) = (chunks.count, chunks.step < 0);
    let at = move |j: u64| chunks.offset(if backwards { count - 1 - j } else { j });
    let mut next = if chunk_size == 0 { count } else { 0 };
    std::iter::from_fn(move || {
        let first = next;
        if first >= count {
            return None;
        }
        let start = at(first);
        next = first + 1;
        while next < count && at(next) + chunk_size - start <= SPAN {
            next += 1;
        }
        Some(Span {
            start,
            len: at(next - 1) + chunk_size - start,
            order: first..next,
            count,
            backwards,
        })
    })
}

/// The scratch buffer, `len` bytes long (at most [`SPAN`]).
fn scratch(scratch: &mut Vec<u8>, len: u64) -> Result<&mut [u8], Fault> {
    let len = usize::try_from(len).map_err(|_| Fault::Corrupt("span past usize"))?;
    if scratch.len() < len {
        scratch
            .try_reserve_exact(len - scratch.len())
            .map_err(|_| Fault::OutOfMemory { bytes: len as u64 })?;
        scratch.resize(len, 0);
    }
    scratch
        .get_mut(..len)
        .ok_or(Fault::Corrupt("scratch too short"))
}

/// `len` bytes of `bytes` from `at`.
fn piece(bytes: &[u8], at: u64, len: u64) -> Result<&[u8], Fault> {
    let range = usize::try_from(at).ok().zip(usize::try_from(at + len).ok());
    range
        .and_then(|(start, end)| bytes.get(start..end))
        .ok_or(Fault::Corrupt("chunk outside its data"))
}

/// `len` bytes of `bytes` from `at`, to write.
fn piece_mut(bytes: &mut [u8], at: u64, len: u64) -> Result<&mut [u8], Fault> {
    let range = usize::try_from(at).ok().zip(usize::try_from(at + len).ok());
    range
        .and_then(|(start, end)| bytes.get_mut(start..end))
        .ok_or(Fault::Corrupt("chunk outside its data"))
}

/// Reads `dst.len()` bytes of GL buffer `name` from `offset` into `dst`.
fn get_sub_data(gl: &Gl, name: GLuint, offset: u64, dst: &mut [u8]) {
    // SAFETY: callers read validated ranges, which the buffer's location holds; `dst` holds
    // exactly the bytes asked for.
    unsafe {
        gl.GetNamedBufferSubData(
            name,
            gl_size(offset),
            gl_size(dst.len() as u64),
            dst.as_mut_ptr().cast(),
        );
    }
}

/// Writes `src` into GL buffer `name` from `offset`.
fn sub_data(gl: &Gl, name: GLuint, offset: u64, src: &[u8]) {
    // SAFETY: callers write validated ranges, which the buffer's location holds; `src` holds
    // exactly the bytes written.
    unsafe {
        gl.NamedBufferSubData(
            name,
            gl_size(offset),
            gl_size(src.len() as u64),
            src.as_ptr().cast(),
        );
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
