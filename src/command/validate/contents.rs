//! What the validator knows of the bytes of small buffers, so that indirect draws and
//! dispatches whose commands are known when recorded are checked then.
//!
//! A buffer of at most [`KNOWN_BUFFER_BYTES`] has known contents while only the list's own
//! bytes reach it: creation (with data, or zeroed), writes (whole or in chunks), clears,
//! orphans (which replay zeroes) and copies from buffers of known contents. Anything GL
//! writes makes them unknown: a transform's outputs, and any buffer bound to a shader
//! storage binding when shaders run (a draw or a compute run may write it); so does a copy
//! from unknown contents.
//! The validator keeps at most [`KNOWN_TOTAL_BYTES`] of such bytes at once, so that a list
//! cannot make it hold more than a bounded copy; buffers past that budget are unknown.
//! Unknown commands are checked at replay instead (see `replay/indirect.rs`).

use crate::command::{Chunks, MAX_STORAGE_BUFFER_BINDINGS};
use crate::ids::BufferId;
use std::borrow::Cow;

/// The largest buffer whose contents the validator follows.
pub(crate) const KNOWN_BUFFER_BYTES: u64 = 4096;

/// The most bytes of known contents the validator holds at once.
const KNOWN_TOTAL_BYTES: u64 = 1 << 20;

/// The bytes of one buffer as far as the commands so far determine them.
#[derive(Clone, Debug, Default)]
enum Contents {
    /// All zeros (nothing held).
    Zeros(u64),
    /// These bytes.
    Bytes(Box<[u8]>),
    /// Not known.
    #[default]
    Unknown,
}

/// The known contents of every buffer, by dense id, the bytes held for them, and the
/// buffers bound to shader storage bindings.
#[derive(Clone, Debug, Default)]
pub(super) struct KnownContents {
    buffers: Vec<Contents>,
    held: u64,
    storage: [Option<BufferId>; MAX_STORAGE_BUFFER_BINDINGS as usize],
}

impl KnownContents {
    /// The contents of `buffer` (its slot, created on demand).
    fn slot(&mut self, buffer: BufferId) -> Option<&mut Contents> {
        let index = buffer.index();
        if index >= self.buffers.len() {
            self.buffers.resize_with(index + 1, Contents::default);
        }
        self.buffers.get_mut(index)
    }

    /// Forgets what `buffer` holds and gives its bytes back to the budget.
    fn drop_bytes(&mut self, buffer: BufferId) {
        if let Some(Contents::Bytes(bytes)) = self.buffers.get(buffer.index()) {
            self.held -= bytes.len() as u64;
        }
        if let Some(slot) = self.buffers.get_mut(buffer.index()) {
            *slot = Contents::Unknown;
        }
    }

    /// `buffer` now holds `size` zeros (a new or orphaned buffer), if it is small enough.
    pub(super) fn zeroed(&mut self, buffer: BufferId, size: u64) {
        self.drop_bytes(buffer);
        if size <= KNOWN_BUFFER_BYTES {
            if let Some(slot) = self.slot(buffer) {
                *slot = Contents::Zeros(size);
            }
        }
    }

    /// `buffer` now holds `data`, if it is small enough and the budget allows.
    pub(super) fn filled(&mut self, buffer: BufferId, data: &[u8]) {
        self.zeroed(buffer, data.len() as u64);
        self.write(buffer, 0, data);
    }

    /// The bytes of `buffer`, made a copy of its zeros when it held none, or `None` when they
    /// are unknown or the budget is spent (the buffer is then unknown).
    fn bytes_mut(&mut self, buffer: BufferId) -> Option<&mut [u8]> {
        let budget = KNOWN_TOTAL_BYTES - self.held;
        let slot = self.slot(buffer)?;
        match slot {
            Contents::Zeros(size) if *size <= budget => {
                let size = *size;
                *slot = Contents::Bytes(vec![0; size as usize].into_boxed_slice());
                self.held += size;
            }
            Contents::Zeros(_) => *slot = Contents::Unknown,
            _ => {}
        }
        match self.buffers.get_mut(buffer.index()) {
            Some(Contents::Bytes(bytes)) => Some(bytes),
            _ => None,
        }
    }

    /// `data` was written at `offset` of `buffer` (a validated range).
    pub(super) fn write(&mut self, buffer: BufferId, offset: u64, data: &[u8]) {
        if data.is_empty() {
            return;
        }
        if let Some(target) = self
            .bytes_mut(buffer)
            .and_then(|bytes| range(bytes, offset, data.len() as u64))
        {
            target.copy_from_slice(data);
        }
    }

    /// `size` bytes at `offset` of `buffer` were filled with repeats of `chunk`, or zeros.
    pub(super) fn clear(&mut self, buffer: BufferId, offset: u64, size: u64, chunk: &[u8]) {
        if size == 0 {
            return;
        }
        if let Some(target) = self
            .bytes_mut(buffer)
            .and_then(|bytes| range(bytes, offset, size))
        {
            match chunk {
                [] => target.fill(0),
                chunk => (target.iter_mut())
                    .zip(chunk.iter().cycle())
                    .for_each(|(t, c)| *t = *c),
            }
        }
    }

    /// `size` bytes were copied from `src` at `read_offset` to `dst` at `write_offset`
    /// (validated ranges that do not overlap).
    pub(super) fn copy(
        &mut self,
        dst: BufferId,
        src: BufferId,
        size: u64,
        read_offset: u64,
        write_offset: u64,
    ) {
        match self.get(src, read_offset, size).map(Cow::into_owned) {
            Some(bytes) => self.write(dst, write_offset, &bytes),
            None => self.forget(dst),
        }
    }

    /// `data` was cut into `chunks.count` equal chunks and written at the chunks' places
    /// (a validated layout).
    pub(super) fn write_chunks(&mut self, buffer: BufferId, chunks: &Chunks, data: &[u8]) {
        let known = matches!(
            self.buffers.get(buffer.index()),
            Some(Contents::Zeros(_) | Contents::Bytes(_))
        );
        let len = usize::try_from(data.len() as u64 / chunks.count.max(1)).unwrap_or(0);
        if !known || len == 0 {
            return;
        }
        for (i, chunk) in (0..chunks.count).zip(data.chunks_exact(len)) {
            self.write(buffer, chunks.offset(i), chunk);
        }
    }

    /// `buffer` is bound to shader storage binding `binding` (validated below
    /// [`MAX_STORAGE_BUFFER_BINDINGS`]): shaders that run while it is may write it.
    pub(super) fn bind_storage(&mut self, binding: u32, buffer: BufferId) {
        if let Some(slot) = self.storage.get_mut(binding as usize) {
            *slot = Some(buffer);
        }
    }

    /// Shaders ran (a draw or a compute run): what the storage bindings hold is unknown.
    pub(super) fn shaders_ran(&mut self) {
        for buffer in self.storage.into_iter().flatten() {
            self.forget(buffer);
        }
    }

    /// GL wrote into `buffer`: its contents are unknown from here on.
    pub(super) fn forget(&mut self, buffer: BufferId) {
        self.drop_bytes(buffer);
    }

    /// `len` bytes at `offset` of `buffer`, when they are known.
    pub(super) fn get(&self, buffer: BufferId, offset: u64, len: u64) -> Option<Cow<'_, [u8]>> {
        let end = offset.checked_add(len)?;
        match self.buffers.get(buffer.index())? {
            Contents::Zeros(size) if end <= *size => Some(Cow::Owned(vec![0; len as usize])),
            Contents::Bytes(bytes) => {
                let start = usize::try_from(offset).ok()?;
                let end = usize::try_from(end).ok()?;
                bytes.get(start..end).map(Cow::Borrowed)
            }
            _ => None,
        }
    }
}

/// `len` bytes at `offset` of `bytes`, or `None` when they do not lie inside it.
fn range(bytes: &mut [u8], offset: u64, len: u64) -> Option<&mut [u8]> {
    let start = usize::try_from(offset).ok()?;
    let end = start.checked_add(usize::try_from(len).ok()?)?;
    bytes.get_mut(start..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contents_follow_the_lists_own_bytes() {
        let (a, b) = (BufferId(0), BufferId(1));
        let mut known = KnownContents::default();
        known.zeroed(a, 8);
        assert_eq!(known.get(a, 4, 4).unwrap().as_ref(), [0; 4]);
        assert_eq!(known.held, 0, "zeros hold nothing");
        known.write(a, 2, &[1, 2]);
        known.clear(a, 4, 4, &[7, 8]);
        assert_eq!(
            known.get(a, 0, 8).unwrap().as_ref(),
            [0, 0, 1, 2, 7, 8, 7, 8]
        );
        known.filled(b, &[9; 8]);
        known.copy(b, a, 4, 2, 4);
        assert_eq!(
            known.get(b, 0, 8).unwrap().as_ref(),
            [9, 9, 9, 9, 1, 2, 7, 8]
        );
        assert_eq!(known.held, 16);
        known.forget(a);
        assert!(known.get(a, 0, 1).is_none());
        known.copy(b, a, 1, 0, 0);
        assert!(
            known.get(b, 0, 1).is_none(),
            "a copy of unknown bytes is unknown"
        );
        assert_eq!(known.held, 0);
        assert!(known.get(a, 7, u64::MAX).is_none());
    }

    #[test]
    fn chunks_are_written_and_storage_bindings_forgotten_when_shaders_run() {
        let (a, b) = (BufferId(0), BufferId(1));
        let mut known = KnownContents::default();
        known.zeroed(a, 8);
        let chunks = Chunks {
            start: 6,
            step: -3,
            count: 3,
        };
        known.write_chunks(a, &chunks, &[1, 2, 3, 4, 5, 6]);
        assert_eq!(
            known.get(a, 0, 8).unwrap().as_ref(),
            [5, 6, 0, 3, 4, 0, 1, 2]
        );
        known.zeroed(b, 4);
        known.bind_storage(7, a);
        known.shaders_ran();
        assert!(known.get(a, 0, 1).is_none());
        assert!(known.get(b, 0, 4).is_some());
        known.write(a, 0, &[1]);
        assert!(
            known.get(a, 0, 1).is_none(),
            "unknown until orphaned or created"
        );
        known.zeroed(a, 8);
        known.bind_storage(7, b);
        known.shaders_ran();
        assert!(known.get(a, 0, 1).is_some() && known.get(b, 0, 1).is_none());
    }

    #[test]
    fn large_buffers_and_a_spent_budget_are_unknown() {
        let mut known = KnownContents::default();
        known.zeroed(BufferId(0), KNOWN_BUFFER_BYTES + 1);
        assert!(known.get(BufferId(0), 0, 1).is_none());
        let count = (KNOWN_TOTAL_BYTES / KNOWN_BUFFER_BYTES) as u32;
        for id in 1..=count + 1 {
            known.filled(BufferId(id), &[1; KNOWN_BUFFER_BYTES as usize]);
        }
        assert_eq!(known.held, KNOWN_TOTAL_BYTES);
        assert!(known.get(BufferId(count), 0, 1).is_some());
        assert!(known.get(BufferId(count + 1), 0, 1).is_none());
        known.forget(BufferId(1));
        known.write(BufferId(count + 1), 0, &[1]);
        assert!(
            known.get(BufferId(count + 1), 0, 1).is_none(),
            "unknown stays unknown"
        );
    }
}
