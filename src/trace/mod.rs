//! Trace files: a [`CommandList`] saved with a header, in checksummed chunks.
//!
//! A file is the magic, a format version, a header record and chunk records; each record is
//! its length, its CRC-32 and a bincode body. A chunk holds a self-contained slice of the
//! list (commands, the payload bytes and side-table entries they use, with chunk-local
//! indices), so a file cut short still gives every chunk before the cut. The byte layout is
//! in `docs/trace-format.md`.
//!
//! ```
//! use gltape::trace::{self, DecodeLimits, EncodeOptions, Trace};
//! use gltape::Recorder;
//!
//! let mut rec = Recorder::new();
//! let buf = rec.buffer(&[1u8, 2, 3])?;
//! rec.read(buf, None, 0)?;
//! let trace = Trace::new(rec.finish(), "example", Vec::new());
//!
//! let mut bytes = Vec::new();
//! trace::encode_into(&trace, &mut bytes, &EncodeOptions::default())?;
//! let decoded = trace::decode(&bytes, &DecodeLimits::default())?;
//! assert!(decoded.truncated.is_none());
//! assert_eq!(decoded.trace.list.commands(), trace.list.commands());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod chunk;
mod decode;
mod encode;
mod error;
mod header;
mod map;
mod record;
mod segments;
#[cfg(test)]
mod tests;

pub use decode::{decode, load, DecodeLimits, Decoded};
pub use encode::{encode_into, save, save_with, EncodeOptions};
pub use error::TraceError;
pub use header::TraceHeader;
pub use map::load_mapped;
pub use segments::SegmentReader;

use crate::CommandList;

/// The first 8 bytes of every trace file.
pub const MAGIC: [u8; 8] = *b"GLTAPE\x00\x1a";

/// The format version this build writes and the newest it reads (it reads every version
/// from 1 on).
pub const FORMAT_VERSION: u32 = 5;

/// A command list with its header: what a trace file holds.
#[derive(Clone, Debug)]
pub struct Trace {
    /// What the file says about the list.
    pub header: TraceHeader,
    /// The commands, payloads and side tables.
    pub list: CommandList,
}

impl Trace {
    /// A trace of `list` with a fresh header (see [`TraceHeader::new`]).
    pub fn new(list: CommandList, label: &str, readback_digests: Vec<[u8; 32]>) -> Self {
        Trace {
            header: TraceHeader::new(&list, label, readback_digests),
            list,
        }
    }
}

/// The SHA-256 of `bytes`, as stored in [`TraceHeader::readback_digests`].
pub fn digest(bytes: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).into()
}

/// `bytes` as lower-case hexadecimal, two digits per byte.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for &byte in bytes {
        for nibble in [byte >> 4, byte & 15] {
            text.extend(DIGITS.get(usize::from(nibble)).map(|&d| char::from(d)));
        }
    }
    text
}
