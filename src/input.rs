//! Reading untrusted input of unknown length (a pipe, `/dev/zero`) with a byte limit.

use std::io::{self, Read};

/// Why [`read_bounded`] stopped.
#[derive(Debug)]
pub(crate) enum Bounded<E> {
    /// The input holds more than the limit (only `limit + 1` bytes were read).
    TooLarge,
    /// Memory for the bytes read so far could not be allocated.
    OutOfMemory {
        /// Bytes that were to be held.
        bytes: u64,
    },
    /// A read failed.
    Io(io::Error),
    /// `inspect` refused the bytes read so far.
    Rejected(E),
}

/// Bytes read per call.
const BLOCK: usize = 64 << 10;

/// Reads all of `reader`, at most `limit` bytes, growing the buffer fallibly (no abort when
/// memory runs out). After each block, `inspect(bytes, from)` sees everything read so far
/// and where the new bytes start, and may refuse them early (a wrong magic, a NUL byte).
pub(crate) fn read_bounded<E>(
    reader: impl Read,
    limit: u64,
    mut inspect: impl FnMut(&[u8], usize) -> Result<(), E>,
) -> Result<Vec<u8>, Bounded<E>> {
    let mut reader = reader.take(limit.saturating_add(1));
    let mut bytes: Vec<u8> = Vec::new();
    loop {
        let from = bytes.len();
        bytes.try_reserve(BLOCK).map_err(|_| Bounded::OutOfMemory {
            bytes: (from + BLOCK) as u64,
        })?;
        bytes.resize(from + BLOCK, 0);
        let read = loop {
            match reader.read(bytes.get_mut(from..).unwrap_or_default()) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(Bounded::Io(e)),
            }
        };
        bytes.truncate(from + read);
        if bytes.len() as u64 > limit {
            return Err(Bounded::TooLarge);
        }
        inspect(&bytes, from).map_err(Bounded::Rejected)?;
        if read == 0 {
            return Ok(bytes);
        }
    }
}
