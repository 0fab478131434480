//! A persistently mapped ring of buffer slots (GL 4.4 buffer storage) for the `ring` stream
//! strategy: each orphan + full write lands in the next slot, fenced, so no storage is
//! reallocated and no driver copy is made.

use super::buffers::gl_size;
use super::Fault;
use crate::gl::{self, types::*, Gl};
use smallvec::SmallVec;

/// Slots per ring: enough that the GPU is done with a slot before the CPU comes back to it.
/// (The validator counts ring bytes with the same constants for `max_object_bytes`.)
const SLOTS: u64 = crate::command::RING_SLOTS;

/// Slot sizes are rounded up to this, which keeps every slot offset aligned for vertex,
/// index and transform-feedback bindings and for fast copies.
const SLOT_ALIGN: u64 = crate::command::RING_SLOT_ALIGN;

/// How long one wait on a slot's fence may take before it is retried (nanoseconds).
const WAIT_STEP_NS: u64 = 1_000_000_000;

/// One persistently mapped ring.
pub(super) struct Ring {
    name: GLuint,
    ptr: *mut u8,
    slot_size: u64,
    current: Option<u64>,
    fences: SmallVec<[GLsync; 4]>,
}

impl Ring {
    /// A ring whose slots hold at least `size` bytes, or `None` when GL cannot map it.
    pub(super) fn new(gl: &Gl, size: u64) -> Option<Ring> {
        let slot_size = size.checked_next_multiple_of(SLOT_ALIGN)?;
        let total = slot_size.checked_mul(SLOTS)?;
        let flags = gl::MAP_WRITE_BIT | gl::MAP_PERSISTENT_BIT | gl::MAP_COHERENT_BIT;
        let mut name = 0;
        // SAFETY: `name` is valid for one GLuint; the storage is immutable, `total` bytes
        // (validated sizes times a small constant, checked for overflow), mapped whole once.
        let ptr = unsafe {
            gl.CreateBuffers(1, &mut name);
            gl.NamedBufferStorage(
                name,
                gl_size(total),
                std::ptr::null(),
                flags | gl::DYNAMIC_STORAGE_BIT,
            );
            gl.MapNamedBufferRange(name, 0, gl_size(total), flags)
        };
        if ptr.is_null() {
            // SAFETY: `name` was created above.
            unsafe { gl.DeleteBuffers(1, &name) };
            return None;
        }
        Some(Ring {
            name,
            ptr: ptr.cast(),
            slot_size,
            current: None,
            fences: SmallVec::from_elem(std::ptr::null(), SLOTS as usize),
        })
    }

    /// Whether a slot holds `size` bytes.
    pub(super) fn fits(&self, size: u64) -> bool {
        size <= self.slot_size
    }

    /// Fences the slot in use, moves to the next one, waits until GL is done with it, copies
    /// `data` into it and returns `(buffer name, slot offset)`.
    pub(super) fn push(&mut self, gl: &Gl, data: &[u8]) -> Result<(GLuint, u64), Fault> {
        if let Some(current) = self.current {
            let fence = self.fence_mut(current)?;
            // SAFETY: a plain fence after every command that used the slot.
            *fence = unsafe { gl.FenceSync(gl::SYNC_GPU_COMMANDS_COMPLETE, 0) };
        }
        let next = self.current.map_or(0, |c| (c + 1) % SLOTS);
        let fence = std::mem::replace(self.fence_mut(next)?, std::ptr::null());
        if !fence.is_null() {
            wait(gl, fence)?;
        }
        if data.len() as u64 > self.slot_size {
            return Err(Fault::Corrupt("ring slot smaller than the write"));
        }
        let offset = next * self.slot_size;
        // SAFETY: the mapping covers SLOTS * slot_size bytes and `offset + data.len()` lies
        // inside slot `next`, which GL no longer uses (its fence has signalled); the source is
        // a distinct allocation.
        unsafe {
            std::ptr::copy_nonoverlapping(data.as_ptr(), self.ptr.add(offset as usize), data.len());
        }
        self.current = Some(next);
        Ok((self.name, offset))
    }

    fn fence_mut(&mut self, slot: u64) -> Result<&mut GLsync, Fault> {
        self.fences
            .get_mut(slot as usize)
            .ok_or(Fault::Corrupt("ring slot out of range"))
    }

    /// Unmaps and deletes the ring and its fences.
    pub(super) fn delete(self, gl: &Gl) {
        // SAFETY: the ring's own buffer and fences; GL keeps the storage alive until queued
        // commands that use it complete.
        unsafe {
            for fence in self.fences.into_iter().filter(|f| !f.is_null()) {
                gl.DeleteSync(fence);
            }
            gl.UnmapNamedBuffer(self.name);
            gl.DeleteBuffers(1, &self.name);
        }
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
