//! A trace read chunk by chunk from a mapped file, each piece handed out as a validated
//! [`Segment`] for [`Renderer::submit`](crate::Renderer::submit): a replay whose memory is
//! bounded by the largest chunk, not by the file.

use super::decode::{read_chunk, read_start, At, Builder};
use super::map::MappedFile;
use super::{DecodeLimits, TraceError, TraceHeader};
use crate::command::{new_session, Segment, SharedBytes, Validator};
use std::path::Path;
use std::sync::Arc;

/// The segments of a trace file, read from a memory mapping one at a time (see
/// [`SegmentReader::open`]).
///
/// Each segment holds the commands of one chunk (of several when a query or conditional
/// render runs across a chunk's end: a segment ends only where none runs), validated against
/// every command before it as [`CommandList::validate`](crate::CommandList::validate) would,
/// with its payload bytes used in place from the mapping (version 5) once their checksum
/// matched. Before reading a segment, the reader hands the pages of the previous one back to
/// the kernel (`madvise(MADV_DONTNEED)`), so a replay that submits each segment and drops it
/// keeps resident only the segment it runs, the reader's own state (the validator's record of
/// the objects alive) and what GL holds.
///
/// Unlike a whole-list replay, submissions do not check
/// [`ReplayLimits`](crate::ReplayLimits) before they run.
pub struct SegmentReader {
    file: Arc<MappedFile>,
    shared: Arc<dyn SharedBytes>,
    header: TraceHeader,
    version: u32,
    limits: DecodeLimits,
    offset: usize,
    chunk: u32,
    commands: u64,
    validator: Validator,
    session: u64,
    sequence: u64,
    first_readback: u32,
    /// Where the pages not yet handed back start.
    released: usize,
    done: bool,
}

impl std::fmt::Debug for SegmentReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SegmentReader")
            .field("header", &self.header)
            .field("chunk", &self.chunk)
            .field("offset", &self.offset)
            .finish_non_exhaustive()
    }
}

impl SegmentReader {
    /// Maps the trace file at `path` and reads its header. Every format version reads; the
    /// payloads of versions 1 to 4 are copied per chunk (they lie inside the checked record
    /// bodies). An empty file is [`TraceError::Empty`]; anything but a regular file (a pipe,
    /// a device) cannot be mapped and is [`TraceError::Io`]: read it with
    /// [`load`](super::load).
    ///
    /// # Safety
    /// The file must not be truncated or modified while the reader or a segment it handed out
    /// lives (see [`load_mapped`](super::load_mapped)).
    pub unsafe fn open(path: impl AsRef<Path>, limits: &DecodeLimits) -> Result<Self, TraceError> {
        let path = path.as_ref();
        // SAFETY: the caller's promise, passed on.
        let Some(file) = (unsafe { MappedFile::open(path, limits) })? else {
            if std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
                return Err(TraceError::Empty);
            }
            return Err(TraceError::Io {
                path: path.to_owned(),
                source: std::io::Error::other("not a regular file, so it cannot be mapped"),
            });
        };
        let file = Arc::new(file);
        let (header, offset, version) = read_start(file.bytes(), limits)?;
        Ok(SegmentReader {
            shared: Arc::clone(&file) as Arc<dyn SharedBytes>,
            file,
            header,
            version,
            limits: limits.clone(),
            offset,
            chunk: 0,
            commands: 0,
            validator: Validator::default(),
            session: new_session(),
            sequence: 0,
            first_readback: 0,
            released: 0,
            done: false,
        })
    }

    /// The file's header.
    pub fn header(&self) -> &TraceHeader {
        &self.header
    }

    /// The next segment, `None` after the last one or after an error. A file cut inside a
    /// chunk ends with [`TraceError::Truncated`] (the segments before it were whole); damage
    /// and invalid commands with the error that names them.
    fn read_segment(&mut self) -> Result<Option<Segment>, TraceError> {
        let bytes = self.file.bytes();
        self.file.release(self.released..self.offset);
        self.released = self.offset;
        if self.chunk == self.header.chunks {
            if self.offset < bytes.len() {
                return Err(TraceError::TrailingBytes {
                    offset: self.offset as u64,
                });
            }
            if self.commands != self.header.commands {
                return Err(TraceError::CommandCount {
                    header: self.header.commands,
                    found: self.commands,
                });
            }
            return Ok(None);
        }
        let mut builder = Builder::new(Some(Arc::clone(&self.shared)));
        loop {
            let at = At {
                chunk: self.chunk,
                offset: self.offset as u64,
            };
            let Some((chunk, next)) =
                read_chunk(bytes, self.offset, self.version, self.chunk, &self.limits)?
            else {
                return Err(TraceError::Truncated {
                    offset: self.offset as u64,
                    file_len: bytes.len() as u64,
                    chunk: self.chunk,
                    expected_chunks: self.header.chunks,
                });
            };
            let first = builder.list.len();
            builder.append(bytes, chunk, at)?;
            let list = &builder.list;
            list.check_payloads()
                .map_err(|mismatch| TraceError::Checksum {
                    what: format!("chunk {} payload span", self.chunk),
                    offset: mismatch.offset,
                    expected: mismatch.expected,
                    actual: mismatch.actual,
                })?;
            for (index, command) in list.commands().iter().enumerate().skip(first) {
                self.validator
                    .apply(list, command)
                    .map_err(|error| TraceError::Invalid {
                        chunk: at.chunk,
                        offset: at.offset,
                        command: self.commands + index as u64,
                        name: command.name(),
                        error: Box::new(error),
                    })?;
            }
            self.offset = next;
            self.chunk += 1;
            let queries_stopped = self.validator.check_queries_stopped().is_ok();
            if queries_stopped || self.chunk == self.header.chunks {
                break;
            }
        }
        let list = builder.list;
        self.commands += list.len() as u64;
        let readbacks = self.validator.next_readback_id().0;
        let segment = Segment {
            list,
            session: self.session,
            sequence: self.sequence,
            first_readback: self.first_readback,
            readback_count: readbacks - self.first_readback,
        };
        self.sequence += 1;
        self.first_readback = readbacks;
        Ok(Some(segment))
    }
}

impl Iterator for SegmentReader {
    type Item = Result<Segment, TraceError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let next = self.read_segment().transpose();
        if !matches!(next, Some(Ok(_))) {
            self.done = true;
            self.file.release(self.released..self.file.bytes().len());
        }
        next
    }
}
