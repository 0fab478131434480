//! Why a trace could not be written or read; every variant names where in the file.

use std::path::PathBuf;

/// A trace file that could not be written, read or decoded.
///
/// Offsets are byte offsets from the start of the file. A record's offset is where its
/// 8-byte prefix (`len`, `crc32`) starts; its body starts 8 bytes later.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TraceError {
    /// The file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The file has no bytes at all.
    #[error("the trace file is empty (0 bytes)")]
    Empty,
    /// The file ends before its fixed-size start (magic, version, header prefix) is complete.
    #[error("the trace file ends at byte {offset}, inside the {what} ({needed} bytes needed)")]
    TooShort {
        /// What is cut: "magic", "version" or "header record prefix".
        what: &'static str,
        /// Where the file ends (its length).
        offset: u64,
        /// Bytes the file needs to hold at least that part.
        needed: u64,
    },
    /// The file does not start with the trace magic.
    #[error("not a gltape trace: the magic at byte 0 is {} (expected {})", super::hex(found), super::hex(&super::MAGIC))]
    BadMagic {
        /// The first bytes found (at most 8).
        found: Vec<u8>,
    },
    /// The file was written by a newer gltape.
    #[error("trace format version {version} (at byte 8) is newer than the supported version {supported}")]
    FutureVersion {
        /// The version in the file.
        version: u32,
        /// The newest version this build reads.
        supported: u32,
    },
    /// The file names a format version that never existed (0).
    #[error("trace format version {version} (at byte 8) does not exist")]
    UnknownVersion {
        /// The version in the file.
        version: u32,
    },
    /// The file is larger than [`DecodeLimits::max_total_bytes`](super::DecodeLimits).
    #[error("the trace file has {len} bytes, more than the limit of {limit} bytes")]
    FileTooLarge {
        /// The file's length.
        len: u64,
        /// The limit.
        limit: u64,
    },
    /// An input of unknown length (a pipe, a device) that goes on past
    /// [`DecodeLimits::max_total_bytes`](super::DecodeLimits); reading stopped there.
    #[error("the trace input goes on past the limit of {limit} bytes (DecodeLimits::max_total_bytes); reading stopped there")]
    InputTooLarge {
        /// The limit.
        limit: u64,
    },
    /// A record's body does not match its checksum.
    #[error("checksum mismatch in the {what} record at byte {offset}: stored {expected:#010x}, computed {actual:#010x}")]
    Checksum {
        /// "header" or "chunk N".
        what: String,
        /// Where the record starts.
        offset: u64,
        /// The CRC-32 stored in the record prefix.
        expected: u32,
        /// The CRC-32 of the body as read.
        actual: u32,
    },
    /// A record is longer than the decoder accepts (or, when writing, than a `u32` holds).
    #[error("the record at byte {offset} has {len} bytes, more than the limit of {limit} bytes")]
    RecordTooLarge {
        /// Where the record starts.
        offset: u64,
        /// Its body length.
        len: u64,
        /// The limit.
        limit: u64,
    },
    /// The header record claims more bytes than the file has left.
    #[error(
        "the record at byte {offset} claims {len} bytes but only {available} follow its prefix"
    )]
    RecordPastEnd {
        /// Where the record starts.
        offset: u64,
        /// The length in its prefix.
        len: u64,
        /// Bytes left in the file after the prefix.
        available: u64,
    },
    /// A record's body passed its checksum but is not a valid encoding.
    #[error("cannot decode the {what} record body at byte {offset}: {message}")]
    Decode {
        /// "header" or "chunk N".
        what: String,
        /// Where the body starts.
        offset: u64,
        /// What bincode (or the chunk check) said.
        message: String,
    },
    /// A chunk's command refers to a side-table entry or payload bytes its chunk lacks.
    #[error("chunk {chunk} (record at byte {offset}), command #{command}: {message}")]
    BadReference {
        /// The chunk index.
        chunk: u32,
        /// Where the chunk's record starts.
        offset: u64,
        /// The command's index in the whole list.
        command: u64,
        /// What is wrong.
        message: String,
    },
    /// The file ends before chunk `chunk` is complete (or before it starts).
    #[error(
        "the trace file is truncated: it ends at byte {file_len}, inside chunk {chunk} \
             (which starts at byte {offset}); {chunk} of {expected_chunks} chunks are complete"
    )]
    Truncated {
        /// Where the first incomplete (or missing) chunk starts.
        offset: u64,
        /// The file's length.
        file_len: u64,
        /// The index of the first incomplete chunk (the number of complete ones).
        chunk: u32,
        /// Chunks the header announced.
        expected_chunks: u32,
    },
    /// A command of a trace read in segments that validation refuses
    /// ([`SegmentReader`](super::SegmentReader)).
    #[error("chunk {chunk} (record at byte {offset}), command #{command} ({name}): {error}")]
    Invalid {
        /// The chunk index.
        chunk: u32,
        /// Where the chunk's record starts.
        offset: u64,
        /// The command's index in the whole trace.
        command: u64,
        /// The command's name.
        name: &'static str,
        /// What is wrong with it.
        error: Box<crate::ValidationError>,
    },
    /// Bytes follow the last chunk the header announced.
    #[error("unexpected bytes after the last chunk, from byte {offset}")]
    TrailingBytes {
        /// Where they start.
        offset: u64,
    },
    /// The chunks hold another number of commands than the header says.
    #[error("the header announces {header} commands but the chunks hold {found}")]
    CommandCount {
        /// The count in the header.
        header: u64,
        /// The count decoded.
        found: u64,
    },
    /// A list that cannot be written (a command refers to data its list lacks).
    #[error("cannot encode {what}: {message}")]
    Encode {
        /// "header", "chunk N" or "command #N".
        what: String,
        /// What is wrong.
        message: String,
    },
}
