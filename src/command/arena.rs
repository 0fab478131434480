//! One byte arena for every payload of a command list: a recorded write costs one memcpy.
//!
//! Payloads start on 64-byte boundaries. glibc's memcpy on this class of machine slows down by
//! an order of magnitude when source and destination disagree modulo 64, so aligned payloads
//! keep replay uploads on the fast path.
//!
//! An arena either owns its blocks or is a view on bytes it shares ([`SharedBytes`]: a
//! memory-mapped trace file of format 5, whose payloads lie 64-byte aligned in the file and
//! are used in place). Bytes used in place come with the CRC-32 the file stored for them and
//! count as unchecked until [`PayloadArena::check`] compares them (validation does, before
//! any byte can reach GL). Appending to a view copies it into owned blocks first.

use std::num::NonZeroU32;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

/// Alignment (and allocation granule) of every payload, in bytes.
pub const PAYLOAD_ALIGN: usize = 64;

#[derive(Clone, Copy)]
#[repr(C, align(64))]
struct Block([u8; PAYLOAD_ALIGN]);

/// Where a payload lives in its list's arena: a 64-byte block index and a byte length.
///
/// The length is never zero (empty payloads are not recorded), which lets `Option<Payload>`
/// stay 8 bytes and keeps [`Command`](super::Command) small.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Payload {
    block: u32,
    len: NonZeroU32,
}

impl Payload {
    /// Length in bytes.
    pub fn size(self) -> u64 {
        u64::from(self.len.get())
    }

    /// Byte offset of the first byte in the arena.
    pub fn start(self) -> u64 {
        u64::from(self.block) * PAYLOAD_ALIGN as u64
    }

    /// Index of the first 64-byte block (trace files rebase it per chunk).
    pub(crate) fn block(self) -> u32 {
        self.block
    }

    /// The same length starting at another block (trace files rebase payloads per chunk).
    pub(crate) fn with_block(self, block: u32) -> Payload {
        Payload { block, ..self }
    }
}

/// Why a payload could not be stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ArenaError {
    /// A single payload is limited to `u32::MAX` bytes.
    #[error(
        "a payload of {len} bytes exceeds the largest one a command can carry ({} bytes)",
        u32::MAX
    )]
    PayloadTooLarge {
        /// The rejected length.
        len: u64,
    },
    /// The arena of one list is limited to `u32::MAX` blocks of 64 bytes (256 GiB).
    #[error("the command list's payload arena is full (256 GiB)")]
    ArenaFull,
}

/// Bytes an arena can use in place instead of copying them (a memory-mapped trace file).
pub(crate) trait SharedBytes: Send + Sync + std::fmt::Debug {
    /// The bytes; the same slice on every call.
    fn bytes(&self) -> &[u8];
}

/// The byte arena. See the module docs.
#[derive(Clone, Default)]
pub(crate) struct PayloadArena {
    /// The arena's bytes when it owns them (empty while it is a view).
    blocks: Vec<Block>,
    /// The arena's bytes when it is a view: the first `len` bytes of shared bytes.
    view: Option<View>,
    /// Byte ranges of the arena used in place whose checksum is not compared yet.
    unchecked: Vec<Unchecked>,
    /// Set once every range of `unchecked` matched its checksum.
    checked: OnceLock<()>,
}

/// The first `len` bytes of `bytes`, used in place.
#[derive(Clone)]
struct View {
    bytes: Arc<dyn SharedBytes>,
    len: usize,
}

/// A range of arena bytes and the CRC-32 its source stored for it.
#[derive(Clone, Copy, Debug)]
struct Unchecked {
    range: (usize, usize),
    crc: u32,
    /// Where the range starts in its source (a file offset), for errors.
    source_offset: u64,
}

/// Bytes used in place that differ from the checksum stored for them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ChecksumMismatch {
    /// Where the bytes start in their file.
    pub offset: u64,
    /// How many bytes were checked.
    pub len: u64,
    /// Arena byte range of the bytes.
    pub arena: (u64, u64),
    /// The CRC-32 the file stores.
    pub expected: u32,
    /// The CRC-32 of the bytes.
    pub actual: u32,
}

impl PayloadArena {
    /// Copies `bytes` to the end of the arena; `Ok(None)` for an empty slice.
    pub(crate) fn push(&mut self, bytes: &[u8]) -> Result<Option<Payload>, ArenaError> {
        self.own();
        let Some(len) = NonZeroU32::new(u32::try_from(bytes.len()).map_err(|_| {
            ArenaError::PayloadTooLarge {
                len: bytes.len() as u64,
            }
        })?) else {
            return Ok(None);
        };
        let block = u32::try_from(self.blocks.len()).map_err(|_| ArenaError::ArenaFull)?;
        let new_blocks = bytes.len().div_ceil(PAYLOAD_ALIGN);
        let end = self.blocks.len() + new_blocks;
        if u32::try_from(end).is_err() {
            return Err(ArenaError::ArenaFull);
        }
        self.blocks.reserve(new_blocks);
        let spare = self.blocks.spare_capacity_mut();
        let dst = spare.as_mut_ptr().cast::<u8>();
        // SAFETY: `reserve` made room for `new_blocks` blocks, that is at least `bytes.len()`
        // bytes plus the tail of the last block, all inside the spare capacity that `dst`
        // points to. Source and destination cannot overlap (the source is borrowed shared,
        // the spare capacity is owned). Every byte of the new blocks is written (the copy,
        // then the zeroed tail) before `set_len` makes them visible, and `Block` is plain bytes.
        unsafe {
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), dst, bytes.len());
            std::ptr::write_bytes(
                dst.add(bytes.len()),
                0,
                new_blocks * PAYLOAD_ALIGN - bytes.len(),
            );
            self.blocks.set_len(end);
        }
        Ok(Some(Payload { block, len }))
    }

    /// Makes the arena hold bytes `range` of `shared` (64-byte aligned, a whole number of
    /// blocks, `crc` their stored CRC-32, unchecked until [`PayloadArena::check`]); returns
    /// the block where they start. When the arena is empty or already a view on `shared`, the
    /// bytes are used in place: the arena becomes (or stays) a view on `shared` from its byte
    /// 0 to at least `range.end`. Otherwise (an arena of owned bytes, unaligned shared bytes)
    /// they are copied to its end.
    pub(crate) fn extend_in_place(
        &mut self,
        shared: &Arc<dyn SharedBytes>,
        range: Range<usize>,
        crc: u32,
    ) -> Result<u32, ArenaError> {
        let all = shared.bytes();
        let bytes = all.get(range.clone()).ok_or(ArenaError::ArenaFull)?;
        let aligned = (all.as_ptr() as usize).is_multiple_of(PAYLOAD_ALIGN)
            && range.start.is_multiple_of(PAYLOAD_ALIGN)
            && bytes.len().is_multiple_of(PAYLOAD_ALIGN);
        let in_place = aligned
            && match &self.view {
                Some(view) => Arc::ptr_eq(&view.bytes, shared),
                None => self.blocks.is_empty(),
            };
        let start = if in_place {
            if u32::try_from(range.end / PAYLOAD_ALIGN).is_err() {
                return Err(ArenaError::ArenaFull);
            }
            let len = self.view.as_ref().map_or(0, |v| v.len).max(range.end);
            self.view = Some(View {
                bytes: Arc::clone(shared),
                len,
            });
            range.start
        } else {
            let start = self.as_bytes().len();
            self.extend_from_bytes(bytes)?;
            start
        };
        self.unchecked.push(Unchecked {
            range: (start, start + bytes.len()),
            crc,
            source_offset: range.start as u64,
        });
        self.checked = OnceLock::new();
        u32::try_from(start / PAYLOAD_ALIGN).map_err(|_| ArenaError::ArenaFull)
    }

    /// Compares every byte range used in place with its stored checksum (once: a match is
    /// remembered).
    pub(crate) fn check(&self) -> Result<(), ChecksumMismatch> {
        if self.checked.get().is_some() {
            return Ok(());
        }
        for unchecked in &self.unchecked {
            let (start, end) = unchecked.range;
            let actual = crc32fast::hash(self.as_bytes().get(start..end).unwrap_or_default());
            if actual != unchecked.crc {
                return Err(ChecksumMismatch {
                    offset: unchecked.source_offset,
                    len: (end - start) as u64,
                    arena: (start as u64, end as u64),
                    expected: unchecked.crc,
                    actual,
                });
            }
        }
        let _ = self.checked.set(());
        Ok(())
    }

    /// Turns a view into owned blocks (a copy of its bytes), before the arena changes.
    fn own(&mut self) {
        if let Some(view) = self.view.take() {
            let bytes = view.bytes.bytes().get(..view.len).unwrap_or_default();
            self.blocks = Vec::with_capacity(bytes.len() / PAYLOAD_ALIGN);
            self.blocks
                .extend(bytes.chunks_exact(PAYLOAD_ALIGN).map(|chunk| {
                    Block(<[u8; PAYLOAD_ALIGN]>::try_from(chunk).unwrap_or([0; PAYLOAD_ALIGN]))
                }));
        }
    }

    /// Appends raw arena bytes (as [`PayloadArena::as_bytes`] returned them), padding the end
    /// to a whole block.
    pub(crate) fn extend_from_bytes(&mut self, bytes: &[u8]) -> Result<(), ArenaError> {
        let mut rest = bytes;
        while !rest.is_empty() {
            let take = rest
                .len()
                .min(u32::MAX as usize / PAYLOAD_ALIGN * PAYLOAD_ALIGN);
            let (head, tail) = rest.split_at(take);
            self.push(head)?;
            rest = tail;
        }
        Ok(())
    }

    /// The bytes of `payload`, or `None` when it lies outside this arena (a corrupt list).
    pub(crate) fn get(&self, payload: Payload) -> Option<&[u8]> {
        let start = usize::try_from(payload.start()).ok()?;
        let end = start.checked_add(payload.len.get() as usize)?;
        self.as_bytes().get(start..end)
    }

    /// Makes room for `bytes` more bytes, so that appending a decoded trace does not regrow.
    pub(crate) fn reserve(&mut self, bytes: usize) {
        self.own();
        self.blocks.reserve(bytes.div_ceil(PAYLOAD_ALIGN));
    }

    /// All bytes of the arena, payloads and alignment padding included.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        if let Some(view) = &self.view {
            return view.bytes.bytes().get(..view.len).unwrap_or_default();
        }
        // SAFETY: `Block` is `repr(C)` over `[u8; 64]` with no padding (size 64, align 64), so
        // `len` blocks are exactly `len * 64` initialised bytes.
        unsafe {
            std::slice::from_raw_parts(
                self.blocks.as_ptr().cast::<u8>(),
                self.blocks.len() * PAYLOAD_ALIGN,
            )
        }
    }

    /// Number of 64-byte blocks (what [`PayloadArena::truncate`] cuts back to).
    pub(crate) fn blocks(&self) -> usize {
        self.as_bytes().len() / PAYLOAD_ALIGN
    }

    /// Forgets every block from `blocks` on.
    pub(crate) fn truncate(&mut self, blocks: usize) {
        let end = blocks.saturating_mul(PAYLOAD_ALIGN);
        match &mut self.view {
            Some(_) if end == 0 => self.view = None,
            Some(view) => view.len = view.len.min(end),
            None => self.blocks.truncate(blocks),
        }
        let kept = self.unchecked.iter().filter(|u| u.range.1 <= end).count();
        if kept < self.unchecked.len() {
            self.unchecked.truncate(kept);
            self.checked = OnceLock::new();
        }
    }

    /// Forgets every payload but keeps the allocation, for recording into a reused list.
    pub(crate) fn clear(&mut self) {
        self.view = None;
        self.blocks.clear();
        self.unchecked.clear();
        self.checked = OnceLock::new();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_are_aligned_and_exact() {
        let mut arena = PayloadArena::default();
        let a = arena.push(&[1, 2, 3]).unwrap().unwrap();
        let b = arena.push(&[7; 130]).unwrap().unwrap();
        assert_eq!(arena.get(a).unwrap(), &[1, 2, 3]);
        assert_eq!(arena.get(b).unwrap(), &[7; 130][..]);
        assert_eq!(a.start(), 0);
        assert_eq!(b.start(), 64);
        assert_eq!(arena.as_bytes().len(), 64 * 4);
        assert_eq!(arena.as_bytes().as_ptr() as usize % PAYLOAD_ALIGN, 0);
        assert_eq!(&arena.as_bytes()[3..64], &[0; 61][..], "padding is zeroed");
    }

    #[test]
    fn empty_payload_is_not_stored() {
        let mut arena = PayloadArena::default();
        assert_eq!(arena.push(&[]).unwrap(), None);
        assert!(arena.as_bytes().is_empty());
    }

    #[test]
    fn payload_outside_arena_is_none() {
        let mut arena = PayloadArena::default();
        let a = arena.push(&[1; 64]).unwrap().unwrap();
        arena.clear();
        assert_eq!(arena.get(a), None);
    }
}
