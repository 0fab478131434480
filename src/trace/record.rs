//! Records: `len: u32 LE`, `crc32: u32 LE`, then `len` body bytes holding one bincode value.

use super::TraceError;
use crate::command::PAYLOAD_ALIGN;
use serde::{Deserialize, Serialize};

/// Bytes before a record's body: its length and its CRC-32, both `u32` little-endian.
pub(super) const PREFIX: usize = 8;

/// Appends one record holding `value`, encoded with bincode's standard configuration.
pub(super) fn write_record(
    out: &mut Vec<u8>,
    value: &impl Serialize,
    what: impl Fn() -> String,
) -> Result<(), TraceError> {
    let start = out.len();
    out.extend_from_slice(&[0; PREFIX]);
    bincode::serde::encode_into_std_write(value, &mut *out, bincode::config::standard()).map_err(
        |error| TraceError::Encode {
            what: what(),
            message: error.to_string(),
        },
    )?;
    let body = out.get(start + PREFIX..).unwrap_or_default();
    let len = u32::try_from(body.len()).map_err(|_| TraceError::RecordTooLarge {
        offset: start as u64,
        len: body.len() as u64,
        limit: u64::from(u32::MAX),
    })?;
    let prefix = (u64::from(len) | u64::from(crc32fast::hash(body)) << 32).to_le_bytes();
    if let Some(slot) = out.get_mut(start..start + PREFIX) {
        slot.copy_from_slice(&prefix);
    }
    Ok(())
}

/// The first offset at or after `offset` that is a multiple of 64 (where a version-5 chunk's
/// payload span starts), `None` past `usize::MAX`.
pub(super) fn align_up(offset: usize) -> Option<usize> {
    offset.checked_next_multiple_of(PAYLOAD_ALIGN)
}

/// Appends zero bytes up to a multiple of 64, then `payload` (a whole number of blocks).
pub(super) fn write_aligned(out: &mut Vec<u8>, payload: &[u8]) {
    out.resize(out.len().next_multiple_of(PAYLOAD_ALIGN), 0);
    out.extend_from_slice(payload);
}

/// What [`read_record`] found at an offset.
pub(super) enum Framed<'a> {
    /// A whole record whose body matched its checksum.
    Body(&'a [u8]),
    /// The file ends inside the record: inside its prefix (`len` is `None`) or its body.
    Cut {
        /// The body length in the prefix, when the prefix is whole.
        len: Option<u32>,
        /// Bytes left in the file after the prefix (or from `offset`, when it is cut).
        available: u64,
    },
}

/// Reads the record at `offset` of `file`: checks its length against `limit` and its body
/// against its checksum before anything looks at the body.
pub(super) fn read_record(
    file: &[u8],
    offset: usize,
    limit: u64,
    what: impl Fn() -> String,
) -> Result<Framed<'_>, TraceError> {
    let rest = file.get(offset..).unwrap_or_default();
    let Some((prefix, rest)) = rest.split_first_chunk::<PREFIX>() else {
        return Ok(Framed::Cut {
            len: None,
            available: rest.len() as u64,
        });
    };
    let prefix = u64::from_le_bytes(*prefix);
    let (len, expected) = (prefix as u32, (prefix >> 32) as u32);
    if u64::from(len) > limit {
        return Err(TraceError::RecordTooLarge {
            offset: offset as u64,
            len: u64::from(len),
            limit,
        });
    }
    let Some(body) = rest.get(..len as usize) else {
        return Ok(Framed::Cut {
            len: Some(len),
            available: rest.len() as u64,
        });
    };
    let actual = crc32fast::hash(body);
    if actual != expected {
        return Err(TraceError::Checksum {
            what: what(),
            offset: offset as u64,
            expected,
            actual,
        });
    }
    Ok(Framed::Body(body))
}

/// Decodes a whole record body as `T`, borrowing strings and byte runs from it.
///
/// bincode's limit counts the in-memory size of what it decodes (a one-byte varint can
/// stand for an 8-byte integer), so a valid body never claims more than 8 times its length;
/// the limit is the first step of 16 at or above that. It caps every length bincode would
/// allocate for, while the types decoded here borrow their strings and bytes (no length
/// prefix allocates) and serde preallocates at most 1 MiB per sequence before its elements
/// are read.
pub(super) fn decode_body<'a, T: Deserialize<'a>>(body: &'a [u8]) -> Result<T, String> {
    use bincode::config::standard;
    use bincode::serde::borrow_decode_from_slice as decode;
    let claim = body.len().saturating_mul(8).saturating_add(64);
    let (value, used) = match claim {
        0..=0xFFFF => decode(body, standard().with_limit::<0x1_0000>()),
        0x1_0000..=0xF_FFFF => decode(body, standard().with_limit::<0x10_0000>()),
        0x10_0000..=0xFF_FFFF => decode(body, standard().with_limit::<0x100_0000>()),
        0x100_0000..=0xFFF_FFFF => decode(body, standard().with_limit::<0x1000_0000>()),
        0x1000_0000..=0x7FFF_FFFF => decode(body, standard().with_limit::<0x8000_0000>()),
        _ => decode(body, standard().with_limit::<{ usize::MAX }>()),
    }
    .map_err(|error| error.to_string())?;
    match body.len().saturating_sub(used) {
        0 => Ok(value),
        left => Err(format!("{left} bytes left after the value")),
    }
}
