//! Reading a trace: checked framing first, then bincode, then chunk references.

use super::chunk::{
    Chunk, ChunkIn, ChunkMetaIn, Span, TablesIn, TablesInV2, TablesInV3, VertexArrayInV1,
};
use super::header::{HeaderIn, HeaderInV3};
use super::record::{align_up, decode_body, read_record, Framed, PREFIX};

use super::{Trace, TraceError, TraceHeader, FORMAT_VERSION, MAGIC};
use crate::command::{
    Index, Payload, Reindex, SharedBytes, Table, TableEntry, Tables, PAYLOAD_ALIGN,
};
use crate::CommandList;
use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

/// What a decoder accepts from a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeLimits {
    /// The longest record body. Default 256 MiB.
    pub max_record_bytes: u64,
    /// The longest file. Default 16 GiB.
    pub max_total_bytes: u64,
}

impl Default for DecodeLimits {
    fn default() -> Self {
        DecodeLimits {
            max_record_bytes: 256 << 20,
            max_total_bytes: 16 << 30,
        }
    }
}

/// A decoded trace and, when the file was cut, where.
#[derive(Debug)]
pub struct Decoded {
    /// The header and every complete chunk.
    pub trace: Trace,
    /// [`TraceError::Truncated`] when the file ends before its last chunk (the list then holds
    /// the complete chunks before the cut); `None` for a whole file.
    pub truncated: Option<TraceError>,
}

/// Reads and decodes the trace file at `path`.
///
/// At most [`DecodeLimits::max_total_bytes`] are read, also from inputs whose length is
/// not known in advance (a pipe, `/dev/zero`): past it, [`TraceError::InputTooLarge`]. An
/// input that does not start with the magic and a known version is refused after its first
/// block (64 KiB).
pub fn load(path: impl AsRef<Path>, limits: &DecodeLimits) -> Result<Decoded, TraceError> {
    use crate::input::{read_bounded, Bounded};
    let path = path.as_ref();
    let io = |source| TraceError::Io {
        path: path.to_owned(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let metadata = file.metadata().map_err(io)?;
    if metadata.is_file() && metadata.len() > limits.max_total_bytes {
        return Err(TraceError::FileTooLarge {
            len: metadata.len(),
            limit: limits.max_total_bytes,
        });
    }
    let start = MAGIC.len() + 4;
    let bytes = read_bounded(file, limits.max_total_bytes, |bytes, from| {
        // Once the magic and version are in, check them (an error only when they are wrong).
        match bytes.get(..start) {
            Some(prefix) if from < start => check_start(prefix).map(drop),
            _ => Ok(()),
        }
    })
    .map_err(|error| match error {
        Bounded::TooLarge => TraceError::InputTooLarge {
            limit: limits.max_total_bytes,
        },
        Bounded::OutOfMemory { bytes } => io(std::io::Error::new(
            std::io::ErrorKind::OutOfMemory,
            format!("could not allocate {bytes} bytes to read the trace"),
        )),
        Bounded::Io(error) => io(error),
        Bounded::Rejected(error) => error,
    })?;
    decode(&bytes, limits)
}

/// Decodes a whole trace file.
///
/// A file cut inside a chunk, or missing chunks the header announced, gives the complete
/// chunks and [`Decoded::truncated`]; any other damage is an error naming its byte offset.
/// Nothing here checks what the commands mean: [`CommandList::validate`] does (replay calls
/// it). Memory used is bounded by the file's size: no length read from the file is
/// allocated before the bytes it announces are known to be there.
pub fn decode(bytes: &[u8], limits: &DecodeLimits) -> Result<Decoded, TraceError> {
    decode_from(bytes, None, limits)
}

/// [`decode`], with the payload spans of a version-5 file used in place when `shared` holds
/// `bytes` (a mapped file): their checksums are then compared by validation, not here.
pub(super) fn decode_from(
    bytes: &[u8],
    shared: Option<&Arc<dyn SharedBytes>>,
    limits: &DecodeLimits,
) -> Result<Decoded, TraceError> {
    if bytes.is_empty() {
        return Err(TraceError::Empty);
    }
    let file_len = bytes.len() as u64;
    if file_len > limits.max_total_bytes {
        return Err(TraceError::FileTooLarge {
            len: file_len,
            limit: limits.max_total_bytes,
        });
    }
    let (header, mut offset, version) = read_start(bytes, limits)?;
    let mut builder = Builder::new(shared.cloned());
    if shared.is_none() || version < 5 {
        let rest = bytes.len().saturating_sub(offset);
        builder
            .list
            .reserve_payload(usize::try_from(header.payload_bytes).map_or(rest, |p| p.min(rest)));
    }
    let mut truncated = None;
    for chunk in 0..header.chunks {
        let Some((decoded, next)) = read_chunk(bytes, offset, version, chunk, limits)? else {
            truncated = Some(TraceError::Truncated {
                offset: offset as u64,
                file_len,
                chunk,
                expected_chunks: header.chunks,
            });
            break;
        };
        let at = At {
            chunk,
            offset: offset as u64,
        };
        builder.append(bytes, decoded, at)?;
        offset = next;
    }
    if truncated.is_none() {
        if offset < bytes.len() {
            return Err(TraceError::TrailingBytes {
                offset: offset as u64,
            });
        }
        if builder.list.len() as u64 != header.commands {
            return Err(TraceError::CommandCount {
                header: header.commands,
                found: builder.list.len() as u64,
            });
        }
    }
    Ok(Decoded {
        trace: Trace {
            header,
            list: builder.list,
        },
        truncated,
    })
}

/// Reads chunk record `chunk` at `offset` of a file of format `version`: the chunk and where
/// the next record starts, or `None` when the file ends inside it.
pub(super) fn read_chunk<'a>(
    bytes: &'a [u8],
    offset: usize,
    version: u32,
    chunk: u32,
    limits: &DecodeLimits,
) -> Result<Option<(Chunk<'a>, usize)>, TraceError> {
    let what = || format!("chunk {chunk}");
    let Framed::Body(body) = read_record(bytes, offset, limits.max_record_bytes, what)? else {
        return Ok(None);
    };
    let body_at = offset + PREFIX;
    let body_end = body_at + body.len();
    let decode_error = |message| TraceError::Decode {
        what: what(),
        offset: body_at as u64,
        message,
    };
    let decoded = match version {
        1 => decode_body::<ChunkIn<TablesInV2<VertexArrayInV1>>>(body).and_then(ChunkIn::upgrade),
        2 => decode_body::<ChunkIn<TablesInV2>>(body).and_then(ChunkIn::upgrade),
        3 | 4 => decode_body::<ChunkIn<TablesInV3>>(body).and_then(ChunkIn::upgrade),
        _ => {
            let meta = decode_body::<ChunkMetaIn>(body).map_err(decode_error)?;
            if meta.payload_len() > limits.max_record_bytes {
                return Err(TraceError::RecordTooLarge {
                    offset: offset as u64,
                    len: meta.payload_len(),
                    limit: limits.max_record_bytes,
                });
            }
            let Some(span) = payload_span(bytes, body_end, &meta).map_err(decode_error)? else {
                return Ok(None);
            };
            let end = span.end;
            return Ok(Some((meta.upgrade(span).map_err(decode_error)?, end)));
        }
    };
    Ok(Some((decoded.map_err(decode_error)?, body_end)))
}

/// Where the payload span of a version-5 chunk whose body ends at `body_end` lies: after zero
/// padding up to a multiple of 64. `Ok(None)` when the file ends before the span does.
fn payload_span(
    bytes: &[u8],
    body_end: usize,
    meta: &ChunkMetaIn<'_>,
) -> Result<Option<Range<usize>>, String> {
    let len = meta.payload_len();
    if !len.is_multiple_of(PAYLOAD_ALIGN as u64) {
        return Err(format!(
            "its payload span of {len} bytes is not a whole number of 64-byte blocks"
        ));
    }
    let start = align_up(body_end).ok_or("its payload span lies past any file")?;
    let Some(end) = usize::try_from(len)
        .ok()
        .and_then(|len| start.checked_add(len))
    else {
        return Ok(None);
    };
    let Some(padding) = bytes.get(body_end..start) else {
        return Ok(None);
    };
    if padding.iter().any(|&b| b != 0) {
        return Err(format!(
            "the padding before its payload span (bytes {body_end} to {start}) is not zero"
        ));
    }
    Ok((end <= bytes.len()).then_some(start..end))
}

/// Checks the magic and version and decodes the header; returns it, where chunks start and
/// the file's format version.
pub(super) fn read_start(
    bytes: &[u8],
    limits: &DecodeLimits,
) -> Result<(TraceHeader, usize, u32), TraceError> {
    let (header_at, version) = check_start(bytes)?;
    let what = || "header".to_owned();
    match read_record(bytes, header_at, limits.max_record_bytes, what)? {
        Framed::Cut { len: None, .. } => Err(TraceError::TooShort {
            what: "header record prefix",
            offset: bytes.len() as u64,
            needed: (header_at + PREFIX) as u64,
        }),
        Framed::Cut {
            len: Some(len),
            available,
        } => Err(TraceError::RecordPastEnd {
            offset: header_at as u64,
            len: u64::from(len),
            available,
        }),
        Framed::Body(body) => {
            let header = match version {
                1..=3 => decode_body::<HeaderInV3>(body).map(TraceHeader::from),
                _ => decode_body::<HeaderIn>(body).map(TraceHeader::from),
            };
            let header = header.map_err(|message| TraceError::Decode {
                what: what(),
                offset: (header_at + PREFIX) as u64,
                message,
            })?;
            Ok((header, header_at + PREFIX + body.len(), version))
        }
    }
}

/// Checks the magic and version; returns where the header record starts and the version.
fn check_start(bytes: &[u8]) -> Result<(usize, u32), TraceError> {
    let found = bytes.get(..MAGIC.len()).unwrap_or(bytes);
    if MAGIC.get(..found.len()) != Some(found) {
        return Err(TraceError::BadMagic {
            found: found.to_vec(),
        });
    }
    let too_short = |what, needed: usize| TraceError::TooShort {
        what,
        offset: bytes.len() as u64,
        needed: needed as u64,
    };
    let version_at = MAGIC.len();
    let header_at = version_at + 4;
    if found.len() < MAGIC.len() {
        return Err(too_short("magic", version_at));
    }
    let version = bytes
        .get(version_at..header_at)
        .and_then(|v| <[u8; 4]>::try_from(v).ok())
        .map(u32::from_le_bytes)
        .ok_or_else(|| too_short("version", header_at))?;
    match version {
        0 => Err(TraceError::UnknownVersion { version }),
        1..=FORMAT_VERSION => Ok((header_at, version)),
        _ => Err(TraceError::FutureVersion {
            version,
            supported: FORMAT_VERSION,
        }),
    }
}

/// Where a chunk's record is, for errors.
#[derive(Clone, Copy)]
pub(super) struct At {
    pub(super) chunk: u32,
    pub(super) offset: u64,
}

/// The list being decoded, and the names it holds (each once, as the recorder keeps them).
pub(super) struct Builder<'a> {
    pub(super) list: CommandList,
    names: HashMap<&'a str, u32>,
    name_ids: Vec<u32>,
    /// The file's bytes when the list may use its payload spans in place (a mapped file).
    shared: Option<Arc<dyn SharedBytes>>,
}

impl<'a> Builder<'a> {
    /// An empty list; version-5 payload spans are used in place from `shared` (the file being
    /// decoded, mapped) when it is given, copied and checked otherwise.
    pub(super) fn new(shared: Option<Arc<dyn SharedBytes>>) -> Self {
        Builder {
            list: CommandList::new(),
            names: HashMap::new(),
            name_ids: Vec::new(),
            shared,
        }
    }

    /// Appends a decoded chunk of `file`, in one transaction: its payload bytes after the
    /// arena (or in place), its table entries after the tables, its commands with references
    /// rebased to both.
    pub(super) fn append(
        &mut self,
        file: &[u8],
        chunk: Chunk<'a>,
        at: At,
    ) -> Result<(), TraceError> {
        let mut chunk = chunk;
        let first_command = self.list.len() as u64;
        let bad = |index: usize, message| TraceError::BadReference {
            chunk: at.chunk,
            offset: at.offset,
            command: first_command + index as u64,
            message,
        };
        let names = std::mem::take(&mut chunk.tables.names);
        let new_names = self
            .intern_names(&names)
            .map_err(|message| bad(0, message))?;
        let payload_len = chunk.payload.len() as u64;
        let mut transaction = self.list.transaction();
        let arena_blocks = transaction.list().payload_bytes().len() / PAYLOAD_ALIGN;
        let first_block = match (chunk.payload, &self.shared) {
            (Span::Body(bytes), _) => transaction
                .append_payload_bytes(bytes)
                .map(|()| arena_blocks),
            (Span::File { at: span, crc }, Some(shared)) => transaction
                .payload_in_place(shared, span, crc)
                .map(|block| block as usize),
            (Span::File { at: span, crc }, None) => {
                let bytes = file.get(span.clone()).unwrap_or_default();
                let actual = crc32fast::hash(bytes);
                if actual != crc {
                    return Err(TraceError::Checksum {
                        what: format!("chunk {} payload span", at.chunk),
                        offset: span.start as u64,
                        expected: crc,
                        actual,
                    });
                }
                transaction
                    .append_payload_bytes(bytes)
                    .map(|()| arena_blocks)
            }
        }
        .map_err(|error| bad(0, error.to_string()))?;
        let mut rebase = Rebase {
            chunk: &chunk.tables,
            chunk_names: names.len(),
            list: transaction.list().tables(),
            name_ids: &self.name_ids,
            payload_len,
            first_block: u32::try_from(first_block).unwrap_or(u32::MAX),
        };
        for (index, command) in chunk.commands.iter_mut().enumerate() {
            *command = command
                .reindexed(&mut rebase)
                .map_err(|message| bad(index, message))?;
        }
        for name in new_names {
            transaction
                .entry(name.to_owned())
                .ok_or_else(|| bad(0, "the list would hold more than 2^32 names".to_owned()))?;
        }
        chunk.tables.append_to(&mut transaction).map_err(|table| {
            bad(
                0,
                format!("the list would hold more than 2^32 {table} entries"),
            )
        })?;
        chunk.commands.into_iter().for_each(|c| transaction.push(c));
        transaction.commit();
        Ok(())
    }

    /// Sets `name_ids` to the list index of each chunk name and returns the names not seen
    /// yet, which take the next indices of the list's name table in order.
    fn intern_names(&mut self, names: &[&'a str]) -> Result<Vec<&'a str>, String> {
        self.name_ids.clear();
        let mut new_names = Vec::new();
        let known = self.list.tables().len(Table::Names);
        for &name in names {
            let id = match self.names.get(name) {
                Some(&id) => id,
                None => {
                    let id = u32::try_from(known + new_names.len())
                        .map_err(|_| "the list would hold more than 2^32 names".to_owned())?;
                    new_names.push(name);
                    self.names.insert(name, id);
                    id
                }
            };
            self.name_ids.push(id);
        }
        Ok(new_names)
    }
}

/// Maps a chunk's local references to the list's: after what the list already holds.
struct Rebase<'c, 't> {
    chunk: &'c TablesIn<'t>,
    /// Names the chunk carried (taken out of `chunk` to be interned).
    chunk_names: usize,
    list: &'c Tables,
    name_ids: &'c [u32],
    payload_len: u64,
    first_block: u32,
}

impl Reindex for Rebase<'_, '_> {
    fn entry<T: TableEntry>(&mut self, index: Index<T>) -> Result<Index<T>, String> {
        let (table, index) = (T::TABLE, index.raw());
        let count = match table {
            Table::Names => self.chunk_names,
            table => self.chunk.len(table),
        };
        let missing = || {
            format!(
                "it refers to {} entry {index} but its chunk has {count}",
                table.entry_name()
            )
        };
        if index as usize >= count {
            return Err(missing());
        }
        if table == Table::Names {
            return self
                .name_ids
                .get(index as usize)
                .map(|&id| Index::from_raw(id))
                .ok_or_else(missing);
        }
        u32::try_from(self.list.len(table) + index as usize)
            .map(Index::from_raw)
            .map_err(|_| {
                format!(
                    "the list would hold more than 2^32 {} entries",
                    table.entry_name()
                )
            })
    }

    fn payload(&mut self, payload: Payload) -> Result<Payload, String> {
        if payload.start() + payload.size() > self.payload_len {
            return Err(format!(
                "its payload of {} bytes at byte {} lies outside its chunk's {} payload bytes",
                payload.size(),
                payload.start(),
                self.payload_len
            ));
        }
        self.first_block
            .checked_add(payload.block())
            .map(|block| payload.with_block(block))
            .ok_or_else(|| "the payload arena would pass 2^32 blocks".to_owned())
    }
}
