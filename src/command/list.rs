//! [`CommandList`]: commands, their payload arena and side tables, built only through a
//! [`Transaction`] so that no caller can leave half a command behind.

use super::arena::{ArenaError, ChecksumMismatch, Payload, PayloadArena, SharedBytes};
use super::tables::{Index, TableEntry, TableMarks, Tables};
use super::validate::{InvalidList, ValidatedList};
use super::{Command, Reindex};
use std::ops::Range;
use std::sync::Arc;

/// A recorded list: commands, their payload arena and side tables.
///
/// The recorder, the trace decoder and the text assembler all build lists through
/// [`CommandList::transaction`]; nothing here checks what the commands mean:
/// [`CommandList::validate`] does (replay accepts only validated lists).
#[derive(Clone, Default)]
pub struct CommandList {
    commands: Vec<Command>,
    arena: PayloadArena,
    tables: Tables,
}

impl CommandList {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// A list from its parts, for example built by hand: `payload_bytes` becomes the arena
    /// that the commands' payloads point into. Nothing is checked here; call
    /// [`CommandList::validate`] (replay does) before trusting it.
    pub fn from_parts(
        commands: Vec<Command>,
        payload_bytes: &[u8],
        tables: Tables,
    ) -> Result<Self, ArenaError> {
        let mut list = CommandList::new();
        let mut transaction = list.transaction();
        transaction.append_payload_bytes(payload_bytes)?;
        transaction.append_tables(tables);
        commands.into_iter().for_each(|c| transaction.push(c));
        transaction.commit();
        Ok(list)
    }

    /// Starts appending to the list; see [`Transaction`].
    pub fn transaction(&mut self) -> Transaction<'_> {
        let marks = Marks {
            commands: self.commands.len(),
            blocks: self.arena.blocks(),
            tables: self.tables.marks(),
        };
        Transaction {
            list: self,
            marks,
            committed: false,
        }
    }

    /// All payload bytes, alignment padding included, as [`Payload`]s address them.
    pub fn payload_bytes(&self) -> &[u8] {
        self.arena.as_bytes()
    }

    /// The commands in recording order.
    pub fn commands(&self) -> &[Command] {
        &self.commands
    }

    /// The bytes of a payload, or `None` when it does not lie inside this list's arena.
    pub fn payload(&self, payload: Payload) -> Option<&[u8]> {
        self.arena.get(payload)
    }

    /// The side tables the commands index into.
    pub fn tables(&self) -> &Tables {
        &self.tables
    }

    /// The side-table entry at `index`, or `None` when there is none.
    pub fn entry<T: TableEntry>(&self, index: Index<T>) -> Option<&T> {
        self.tables.get(index)
    }

    /// Number of commands.
    pub fn len(&self) -> usize {
        self.commands.len()
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.commands.is_empty()
    }

    /// Bytes uploaded to GL by replaying this list once (initial data and writes of buffers
    /// and textures).
    pub fn upload_bytes(&self) -> u64 {
        self.commands.iter().map(Command::upload_bytes).sum()
    }

    /// Number of frames: [`Command::EndFrame`] markers.
    pub fn frames(&self) -> u32 {
        let frames = self
            .commands
            .iter()
            .filter(|c| matches!(c, Command::EndFrame))
            .count();
        u32::try_from(frames).unwrap_or(u32::MAX)
    }

    /// Checks the whole list once (ids defined before use, ranges inside sizes, payloads
    /// inside the arena) so that it can be replayed any number of times without checks.
    pub fn validate(&self) -> Result<ValidatedList<'_>, InvalidList> {
        ValidatedList::new(self)
    }

    /// Appends every command of `other` with its payloads and side-table entries (a
    /// session's segments joined into one trace). Nothing is appended on an error.
    pub(crate) fn append(&mut self, other: &CommandList) -> Result<(), String> {
        /// Moves references past what the list held before.
        struct After<'t> {
            tables: &'t Tables,
            first_block: u32,
        }
        impl Reindex for After<'_> {
            fn entry<T: TableEntry>(&mut self, index: Index<T>) -> Result<Index<T>, String> {
                u32::try_from(self.tables.len(T::TABLE) + index.raw() as usize)
                    .map(Index::from_raw)
                    .map_err(|_| format!("more than 2^32 {} entries", T::TABLE.entry_name()))
            }
            fn payload(&mut self, payload: Payload) -> Result<Payload, String> {
                (self.first_block.checked_add(payload.block()))
                    .map(|block| payload.with_block(block))
                    .ok_or_else(|| "more than 2^32 payload blocks".to_owned())
            }
        }
        let first_block = u32::try_from(self.arena.blocks())
            .map_err(|_| "more than 2^32 payload blocks".to_owned())?;
        let mut after = After {
            tables: &self.tables,
            first_block,
        };
        let commands = (other.commands.iter())
            .map(|command| command.reindexed(&mut after))
            .collect::<Result<Vec<_>, _>>()?;
        let mut transaction = self.transaction();
        (transaction.append_payload_bytes(other.payload_bytes())).map_err(|e| e.to_string())?;
        transaction.append_tables(other.tables.clone());
        commands.into_iter().for_each(|c| transaction.push(c));
        transaction.commit();
        Ok(())
    }

    /// Forgets every command but keeps the allocations, for recording into a reused list.
    pub(crate) fn clear(&mut self) {
        self.commands.clear();
        self.arena.clear();
        self.tables.clear();
    }

    /// Compares the payload bytes used in place from a file (format 5, mapped) with the
    /// checksums the file stores for them; `validate` calls it before anything else.
    pub(crate) fn check_payloads(&self) -> Result<(), ChecksumMismatch> {
        self.arena.check()
    }

    /// Makes room for `bytes` more payload bytes (a decoder that knows the total).
    pub(crate) fn reserve_payload(&mut self, bytes: usize) {
        self.arena.reserve(bytes);
    }
}

impl std::fmt::Debug for CommandList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CommandList")
            .field("commands", &self.commands)
            .field("tables", &self.tables)
            .field("payload_bytes", &self.arena.as_bytes().len())
            .finish()
    }
}

/// The lengths of a list's parts when a transaction started.
#[derive(Clone, Copy, Debug)]
struct Marks {
    commands: usize,
    blocks: usize,
    tables: TableMarks,
}

/// Appends commands, payloads and side-table entries to a [`CommandList`]. Until
/// [`Transaction::commit`], the additions are provisional: a transaction dropped without
/// commit (a rejected call, a decode error) cuts the list back to where it started.
pub struct Transaction<'a> {
    list: &'a mut CommandList,
    marks: Marks,
    committed: bool,
}

impl Transaction<'_> {
    /// The list with this transaction's additions so far (what validation looks at).
    pub fn list(&self) -> &CommandList {
        self.list
    }

    /// Stores `bytes` in the arena: `Ok(None)` for an empty slice.
    pub fn payload(&mut self, bytes: &[u8]) -> Result<Option<Payload>, ArenaError> {
        self.list.arena.push(bytes)
    }

    /// Appends raw arena bytes (as [`CommandList::payload_bytes`] returns them), padded to
    /// whole 64-byte blocks.
    pub fn append_payload_bytes(&mut self, bytes: &[u8]) -> Result<(), ArenaError> {
        self.list.arena.extend_from_bytes(bytes)
    }

    /// Adds bytes `range` of `shared` to the arena, used in place where they can be (see
    /// `PayloadArena::extend_in_place`); returns the block where they start.
    pub(crate) fn payload_in_place(
        &mut self,
        shared: &Arc<dyn SharedBytes>,
        range: Range<usize>,
        crc: u32,
    ) -> Result<u32, ArenaError> {
        self.list.arena.extend_in_place(shared, range, crc)
    }

    /// Appends `entry` to its side table; `None` when the table holds 2^32 entries already.
    pub fn entry<T: TableEntry>(&mut self, entry: T) -> Option<Index<T>> {
        self.list.tables.push(entry)
    }

    /// Appends every entry of `tables` to the list's tables.
    pub fn append_tables(&mut self, tables: Tables) {
        self.list.tables.append(tables);
    }

    /// Appends `command`.
    pub fn push(&mut self, command: Command) {
        self.list.commands.push(command);
    }

    /// Keeps everything this transaction added.
    pub fn commit(mut self) {
        self.committed = true;
    }
}

impl Drop for Transaction<'_> {
    fn drop(&mut self) {
        if !self.committed {
            let marks = self.marks;
            self.list.commands.truncate(marks.commands);
            self.list.arena.truncate(marks.blocks);
            self.list.tables.truncate(&marks.tables);
        }
    }
}
