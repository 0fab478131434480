//! Trace files mapped into memory: version-5 payload spans are used in place, and a long
//! trace is read chunk by chunk with each chunk's pages handed back once it has run.
//!
//! A mapping is only as stable as its file: a file that another process truncates while it is
//! mapped makes the next access to a lost page raise SIGBUS, and one it rewrites changes bytes
//! that were already checked. The functions here are therefore `unsafe`, with that
//! precondition; they map regular files only and read anything else (a pipe, a device) with
//! [`load`](super::load). A caller that cannot vouch for the file uses `load`, which reads it
//! into memory.

use super::decode::decode_from;
use super::{load, DecodeLimits, Decoded, TraceError};
use crate::command::SharedBytes;
use std::path::Path;
use std::sync::Arc;

/// A read-only, private mapping of a whole file.
#[derive(Debug)]
pub(super) struct MappedFile(memmap2::Mmap);

impl SharedBytes for MappedFile {
    fn bytes(&self) -> &[u8] {
        &self.0
    }
}

impl MappedFile {
    /// Maps the regular file at `path`; `Ok(None)` for anything else (a pipe, a device) and
    /// for an empty file. A file longer than `limits.max_total_bytes` is refused.
    ///
    /// # Safety
    /// The file must not be truncated or modified while the mapping lives.
    pub(super) unsafe fn open(
        path: &Path,
        limits: &DecodeLimits,
    ) -> Result<Option<MappedFile>, TraceError> {
        let io = |source| TraceError::Io {
            path: path.to_owned(),
            source,
        };
        let file = std::fs::File::open(path).map_err(io)?;
        let metadata = file.metadata().map_err(io)?;
        if !metadata.is_file() || metadata.len() == 0 {
            return Ok(None);
        }
        if metadata.len() > limits.max_total_bytes {
            return Err(TraceError::FileTooLarge {
                len: metadata.len(),
                limit: limits.max_total_bytes,
            });
        }
        // SAFETY: the caller promises that the file stays as it is while mapped.
        let map = unsafe { memmap2::Mmap::map(&file) }.map_err(io)?;
        Ok(Some(MappedFile(map)))
    }

    /// Hands the pages of `range` back to the kernel (they are read from the file again if
    /// touched): what keeps a chunk-by-chunk replay's resident memory bounded.
    pub(super) fn release(&self, range: std::ops::Range<usize>) {
        let end = range.end.min(self.0.len());
        if end > range.start {
            // SAFETY: the mapping is read-only and private and never written, so dropping its
            // pages loses nothing: the next access reads them from the file again (memmap2
            // widens the range to whole pages). A failure only leaves the pages resident.
            let _ = unsafe {
                self.0.unchecked_advise_range(
                    memmap2::UncheckedAdvice::DontNeed,
                    range.start,
                    end - range.start,
                )
            };
        }
    }
}

/// Decodes the trace file at `path` from a memory mapping: a version-5 file's payload bytes are
/// used in place (the list refers to the mapping, which lives as long as the list or a clone of
/// it), so decoding reads the commands and side tables only. Their CRC-32s are compared when
/// the list is validated ([`CommandList::validate`](crate::CommandList::validate), which
/// replay requires), before any of them can reach GL; a mismatch is
/// [`ValidationError::PayloadChecksum`](crate::ValidationError::PayloadChecksum) with the
/// bytes' file offset. Older versions are decoded from the mapping as [`decode`](super::decode)
/// does (copied and checked). Anything but a non-empty regular file is read with
/// [`load`](super::load).
///
/// # Safety
/// The file must not be truncated or modified while the returned list (or a clone of it)
/// lives: a truncation makes the process receive SIGBUS when it next reads a lost page, and a
/// modification changes bytes after they were checked.
pub unsafe fn load_mapped(
    path: impl AsRef<Path>,
    limits: &DecodeLimits,
) -> Result<Decoded, TraceError> {
    let path = path.as_ref();
    // SAFETY: the caller's promise, passed on.
    let Some(file) = unsafe { MappedFile::open(path, limits) }? else {
        return load(path, limits);
    };
    let shared: Arc<dyn SharedBytes> = Arc::new(file);
    decode_from(shared.bytes(), Some(&shared), limits)
}
