//! Writing a trace: plan the chunks, then write the header and one record per chunk.

use super::chunk::{ChunkMetaOut, TablesOut};
use super::record::{write_aligned, write_record};
use super::{Trace, TraceError, TraceHeader, FORMAT_VERSION, MAGIC};
use crate::command::{Command, Index, Payload, Reindex, Table, TableEntry, Tables, PAYLOAD_ALIGN};
use crate::CommandList;
use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

/// How [`encode_into`] cuts a list into chunks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncodeOptions {
    /// The most commands in one chunk (0 counts as 1). Default 4096.
    pub commands_per_chunk: usize,
    /// A chunk ends before a command that would make its payload span larger than this,
    /// unless the chunk would be empty (one command's payload can exceed it). Default 8 MiB.
    pub payload_bytes_per_chunk: u64,
}

impl Default for EncodeOptions {
    fn default() -> Self {
        EncodeOptions {
            commands_per_chunk: 4096,
            payload_bytes_per_chunk: 8 << 20,
        }
    }
}

/// Encodes `trace` into `out` (cleared first; its allocation is reused).
///
/// The header is written as `trace.header` with `frames`, `commands`, `chunks` and
/// `payload_bytes` taken from the list. A list whose commands refer to missing side-table
/// entries or to bytes outside its arena is an [`TraceError::Encode`] error, after which
/// `out` holds an unfinished file; a list decoded from a mapped file whose payload bytes fail
/// their checksum is [`TraceError::Checksum`].
pub fn encode_into(
    trace: &Trace,
    out: &mut Vec<u8>,
    options: &EncodeOptions,
) -> Result<(), TraceError> {
    let list = &trace.list;
    // Payloads used in place from a mapped file are written only once they match the file's
    // checksums.
    list.check_payloads()
        .map_err(|mismatch| TraceError::Checksum {
            what: "payload span".to_owned(),
            offset: mismatch.offset,
            expected: mismatch.expected,
            actual: mismatch.actual,
        })?;
    let plans = plan(list, options)?;
    let payload_blocks: u64 = plans
        .iter()
        .map(|plan| plan.blocks.end - plan.blocks.start)
        .sum();
    let header = TraceHeader {
        frames: list.frames(),
        commands: list.len() as u64,
        chunks: u32::try_from(plans.len()).map_err(|_| TraceError::Encode {
            what: "header".to_owned(),
            message: format!("{} chunks do not fit a u32", plans.len()),
        })?,
        payload_bytes: payload_blocks * PAYLOAD_ALIGN as u64,
        ..trace.header.clone()
    };
    out.clear();
    out.reserve(list.payload_bytes().len() + 16 * list.len() + 4096);
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    write_record(out, &header, || "header".to_owned())?;

    let mut collect = Collect {
        from: list.tables(),
        tables: TablesOut::default(),
        seen: HashMap::new(),
        first_block: 0,
    };
    let mut commands = Vec::new();
    for (chunk, plan) in plans.into_iter().enumerate() {
        collect.start_chunk(plan.blocks.start);
        commands.clear();
        let slice = list
            .commands()
            .get(plan.commands.clone())
            .unwrap_or_default();
        for (index, command) in plan.commands.zip(slice) {
            let command = command
                .reindexed(&mut collect)
                .map_err(|message| command_error(index, message))?;
            commands.push(command);
        }
        let payload = span_bytes(list, plan.blocks).ok_or_else(|| TraceError::Encode {
            what: format!("chunk {chunk}"),
            message: "its payload span lies outside the arena".to_owned(),
        })?;
        let body = ChunkMetaOut {
            commands: &commands,
            tables: &collect.tables,
            payload_len: (payload.len() as u64).to_le_bytes(),
            payload_crc: crc32fast::hash(payload).to_le_bytes(),
        };
        write_record(out, &body, || format!("chunk {chunk}"))?;
        write_aligned(out, payload);
    }
    Ok(())
}

/// Encodes `trace` with the default options and writes it to `path`.
pub fn save(trace: &Trace, path: impl AsRef<Path>) -> Result<(), TraceError> {
    save_with(trace, path, &EncodeOptions::default())
}

/// Encodes `trace` with `options` and writes it to `path`.
pub fn save_with(
    trace: &Trace,
    path: impl AsRef<Path>,
    options: &EncodeOptions,
) -> Result<(), TraceError> {
    let mut bytes = Vec::new();
    encode_into(trace, &mut bytes, options)?;
    std::fs::write(path.as_ref(), &bytes).map_err(|source| TraceError::Io {
        path: path.as_ref().to_owned(),
        source,
    })
}

/// One chunk to write: its commands and the arena blocks their payloads span.
struct ChunkPlan {
    commands: Range<usize>,
    blocks: Range<u64>,
}

/// Cuts the list into chunks of at most `commands_per_chunk` commands whose payload spans
/// stay within `payload_bytes_per_chunk` where a cut can achieve it.
fn plan(list: &CommandList, options: &EncodeOptions) -> Result<Vec<ChunkPlan>, TraceError> {
    let max_commands = options.commands_per_chunk.max(1);
    let max_blocks = options.payload_bytes_per_chunk / PAYLOAD_ALIGN as u64;
    let mut plans = Vec::new();
    let mut current = ChunkPlan {
        commands: 0..0,
        blocks: 0..0,
    };
    for (index, command) in list.commands().iter().enumerate() {
        let blocks = command_blocks(list, command).map_err(|m| command_error(index, m))?;
        let merged = union(&current.blocks, &blocks);
        let full = current.commands.len() >= max_commands || merged.end - merged.start > max_blocks;
        if full && !current.commands.is_empty() {
            plans.push(current);
            current = ChunkPlan {
                commands: index..index + 1,
                blocks,
            };
        } else {
            current.commands.end = index + 1;
            current.blocks = merged;
        }
    }
    if !current.commands.is_empty() {
        plans.push(current);
    }
    Ok(plans)
}

/// The arena blocks `command`'s payloads cover (empty when it has none).
fn command_blocks(list: &CommandList, command: &Command) -> Result<Range<u64>, String> {
    /// Gathers payload blocks, checking each payload against the arena.
    struct Blocks {
        arena_bytes: u64,
        span: Range<u64>,
    }
    impl Reindex for Blocks {
        fn entry<T: TableEntry>(&mut self, index: Index<T>) -> Result<Index<T>, String> {
            Ok(index)
        }
        fn payload(&mut self, payload: Payload) -> Result<Payload, String> {
            if payload.start() + payload.size() > self.arena_bytes {
                return Err(format!(
                    "its payload of {} bytes at byte {} lies outside the list's {} payload bytes",
                    payload.size(),
                    payload.start(),
                    self.arena_bytes
                ));
            }
            self.span = union(&self.span, &payload_blocks(payload));
            Ok(payload)
        }
    }
    let mut blocks = Blocks {
        arena_bytes: list.payload_bytes().len() as u64,
        span: 0..0,
    };
    command.reindexed(&mut blocks)?;
    Ok(blocks.span)
}

/// The smallest range covering both (an empty range covers nothing).
fn union(a: &Range<u64>, b: &Range<u64>) -> Range<u64> {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => b.clone(),
        (_, true) => a.clone(),
        _ => a.start.min(b.start)..a.end.max(b.end),
    }
}

/// The arena bytes of `blocks`.
fn span_bytes(list: &CommandList, blocks: Range<u64>) -> Option<&[u8]> {
    let start = usize::try_from(blocks.start)
        .ok()?
        .checked_mul(PAYLOAD_ALIGN)?;
    let end = usize::try_from(blocks.end)
        .ok()?
        .checked_mul(PAYLOAD_ALIGN)?;
    list.payload_bytes().get(start..end)
}

fn command_error(index: usize, message: String) -> TraceError {
    TraceError::Encode {
        what: format!("command #{index}"),
        message,
    }
}

/// Maps list references to chunk-local ones, collecting the chunk's table entries (each
/// entry once, however many commands of the chunk refer to it).
struct Collect<'a> {
    from: &'a Tables,
    tables: TablesOut<'a>,
    seen: HashMap<(Table, u32), u32>,
    first_block: u64,
}

impl Collect<'_> {
    /// Starts a chunk whose payload span begins at arena block `first_block`.
    fn start_chunk(&mut self, first_block: u64) {
        self.tables.clear();
        self.seen.clear();
        self.first_block = first_block;
    }
}

impl Reindex for Collect<'_> {
    fn entry<T: TableEntry>(&mut self, index: Index<T>) -> Result<Index<T>, String> {
        let (table, index) = (T::TABLE, index.raw());
        if let Some(&local) = self.seen.get(&(table, index)) {
            return Ok(Index::from_raw(local));
        }
        let local = self.tables.push(self.from, table, index).ok_or_else(|| {
            format!(
                "it refers to {} entry {index} but the list has {}",
                table.entry_name(),
                self.from.len(table)
            )
        })?;
        self.seen.insert((table, index), local);
        Ok(Index::from_raw(local))
    }

    fn payload(&mut self, payload: Payload) -> Result<Payload, String> {
        u64::from(payload.block())
            .checked_sub(self.first_block)
            .and_then(|block| u32::try_from(block).ok())
            .map(|block| payload.with_block(block))
            .ok_or_else(|| "its payload lies before its chunk's payload span".to_owned())
    }
}

/// The 64-byte blocks `payload` covers, as `start..end`.
fn payload_blocks(payload: Payload) -> Range<u64> {
    let start = u64::from(payload.block());
    start..start + payload.size().div_ceil(PAYLOAD_ALIGN as u64)
}
