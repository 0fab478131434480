//! A ring of persistently mapped buffers (GL 4.4 buffer storage) for the `ring` stream
//! strategy: each orphan + full write lands in the next slot, fenced, so no storage is
//! reallocated and no driver copy is made.
//!
//! Every slot is a GL buffer of its own, exactly as large as the streamed buffer, so a vertex
//! fetch past the buffer's end is bounded by GL exactly as it is for the buffer's own storage
//! under `faithful`: it can never reach another slot's bytes (an earlier frame, or an earlier
//! list replayed on the same renderer). A slot is bound only after it was written whole.
//!
//! A slot that no GL command used since it was filled is filled again in place (the caller
//! proves it: see `BufferTable::orphan_into_ring`): no fence, no move, and the bytes land in
//! memory the CPU wrote a moment ago, still in its caches. A pure upload loop thus streams
//! through one slot, as memcpy into a warm destination does; any command in between (a
//! draw, a read, a copy) sends the next fill to the next slot, fenced as before.

use super::gl_enum::gl_size;
use super::Fault;
use crate::gl::{self, types::*, Gl};

/// Slots per ring: enough that the GPU is done with a slot before the CPU comes back to it.
/// (The validator counts ring bytes with the same constant for `max_object_bytes`.)
const SLOTS: usize = crate::command::RING_SLOTS as usize;

/// How long one wait on a slot's fence may take before it is retried (nanoseconds).
const WAIT_STEP_NS: u64 = 1_000_000_000;

/// One slot: a GL buffer of the ring's size, mapped for its whole life, and the fence of the
/// commands that last used it (null when none is pending).
struct Slot {
    name: GLuint,
    ptr: *mut u8,
    fence: GLsync,
}

/// One ring of up to [`SLOTS`] equally sized, persistently mapped buffers, made as the ring
/// first reaches them: a stream that never moves on from its slot (a pure upload loop, filled
/// in place) costs one slot's storage and its first-touch page faults, not four.
pub(super) struct Ring {
    size: u64,
    slots: Vec<Slot>,
    current: Option<usize>,
}

impl Ring {
    /// A ring whose slots hold exactly `size` bytes (its first slot made now), or `None` when
    /// GL cannot map one.
    pub(super) fn new(gl: &Gl, size: u64) -> Option<Ring> {
        let slot = Slot::new(gl, size)?;
        let mut slots = Vec::with_capacity(SLOTS);
        slots.push(slot);
        Some(Ring {
            size,
            slots,
            current: None,
        })
    }

    /// Whether this ring's slots are exactly `size` bytes (only then may it hold the buffer).
    pub(super) fn holds(&self, size: u64) -> bool {
        size == self.size
    }

    /// The buffer name of the slot in use, if any.
    pub(super) fn current_name(&self) -> Option<GLuint> {
        self.current
            .and_then(|current| self.slots.get(current))
            .map(|slot| slot.name)
    }

    /// Copies `data` (the ring's size exactly) into a slot and returns the slot's buffer name:
    /// the slot in use when `in_place` (the caller proved that no GL command used it since it
    /// was filled), else the next one, once the slot in use is fenced and GL is done with the
    /// next.
    pub(super) fn push(&mut self, gl: &Gl, data: &[u8], in_place: bool) -> Result<GLuint, Fault> {
        if data.len() as u64 != self.size {
            return Err(Fault::Corrupt("ring slot size differs from the write"));
        }
        if let (true, Some(current)) = (in_place, self.current) {
            let slot = self.slot_mut(current)?;
            // SAFETY: the slot's mapping covers `size` bytes, exactly `data.len()` (checked
            // above); no GL command uses the slot (the caller's proof: none was issued since
            // its last fill, or GL finished all of them since); the source is a distinct
            // allocation.
            unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), slot.ptr, data.len()) };
            return Ok(slot.name);
        }
        if let Some(current) = self.current {
            let slot = self.slot_mut(current)?;
            // SAFETY: a plain fence after every command that used the slot.
            slot.fence = unsafe { gl.FenceSync(gl::SYNC_GPU_COMMANDS_COMPLETE, 0) };
        }
        let next = self.current.map_or(0, |c| (c + 1) % SLOTS);
        // A slot not made yet is made now; where GL cannot map one more, the ring goes round
        // the slots it has (each fenced, so only slower).
        let next = match (next == self.slots.len()).then(|| Slot::new(gl, self.size)) {
            Some(Some(slot)) => {
                self.slots.push(slot);
                next
            }
            Some(None) => 0,
            None => next,
        };
        let slot = self.slot_mut(next)?;
        let fence = std::mem::replace(&mut slot.fence, std::ptr::null());
        if !fence.is_null() {
            wait(gl, fence)?;
        }
        // SAFETY: the slot's mapping covers `size` bytes, exactly `data.len()` (checked
        // above), and GL no longer uses it (its fence has signalled); the source is a
        // distinct allocation.
        unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), slot.ptr, data.len()) };
        let name = slot.name;
        self.current = Some(next);
        Ok(name)
    }

    fn slot_mut(&mut self, slot: usize) -> Result<&mut Slot, Fault> {
        self.slots
            .get_mut(slot)
            .ok_or(Fault::Corrupt("ring slot out of range"))
    }

    /// Unmaps and deletes the ring's buffers and fences.
    pub(super) fn delete(mut self, gl: &Gl) {
        for slot in self.slots.drain(..) {
            // SAFETY: the ring's own buffer and fence; GL keeps the storage alive until
            // queued commands that use it complete.
            unsafe {
                if !slot.fence.is_null() {
                    gl.DeleteSync(slot.fence);
                }
                gl.UnmapNamedBuffer(slot.name);
                gl.DeleteBuffers(1, &slot.name);
            }
        }
    }

    /// GL buffers the ring holds.
    pub(super) fn live(&self) -> usize {
        self.slots.len()
    }
}

impl Slot {
    /// A GL buffer of `size` bytes, mapped whole for its life, or `None` when GL cannot map it.
    fn new(gl: &Gl, size: u64) -> Option<Slot> {
        let flags = gl::MAP_WRITE_BIT | gl::MAP_PERSISTENT_BIT | gl::MAP_COHERENT_BIT;
        let mut name = 0;
        // SAFETY: `name` is valid for one GLuint; the storage is immutable, `size` bytes (a
        // validated buffer size), mapped whole once.
        let ptr = unsafe {
            gl.CreateBuffers(1, &mut name);
            gl.NamedBufferStorage(
                name,
                gl_size(size),
                std::ptr::null(),
                flags | gl::DYNAMIC_STORAGE_BIT,
            );
            gl.MapNamedBufferRange(name, 0, gl_size(size), flags)
        };
        if ptr.is_null() {
            // SAFETY: `name` was created above and is not mapped.
            unsafe { gl.DeleteBuffers(1, &name) };
            return None;
        }
        Some(Slot {
            name,
            ptr: ptr.cast(),
            fence: std::ptr::null(),
        })
    }
}

/// Waits for `fence` to signal, then deletes it.
fn wait(gl: &Gl, fence: GLsync) -> Result<(), Fault> {
    loop {
        // SAFETY: `fence` is a live sync object created by this ring.
        let status = unsafe { gl.ClientWaitSync(fence, gl::SYNC_FLUSH_COMMANDS_BIT, WAIT_STEP_NS) };
        match status {
            gl::ALREADY_SIGNALED | gl::CONDITION_SATISFIED => break,
            gl::TIMEOUT_EXPIRED => continue,
            _ => {
                // SAFETY: as above.
                unsafe { gl.DeleteSync(fence) };
                return Err(Fault::Map);
            }
        }
    }
    // SAFETY: as above; the fence is not used again.
    unsafe { gl.DeleteSync(fence) };
    Ok(())
}
