//! The ModernGL-like front: calls are checked and recorded into a [`CommandList`]. No GL call
//! is made here, so a recorder runs on any thread of any machine, GPU or not.

mod buffer;
mod compute;
mod draw;
mod framebuffer;
mod pipeline;
mod query;
mod texture;

use crate::command::{
    new_session, Command, CommandList, Index, Object, Segment, TableEntry, Transaction,
    ValidatedList, ValidationError, Validator,
};
use std::collections::HashMap;

/// Records calls into a [`CommandList`], checking each one first.
///
/// Every method validates its arguments against the state recorded so far (buffer sizes,
/// released ids, layouts) and returns a [`ValidationError`] naming what was wrong; a rejected
/// call records nothing.
///
/// A recorder is also a *session*: [`Recorder::flush`] hands out what was recorded since the
/// last flush as a [`Segment`] for [`Renderer::submit`](crate::Renderer::submit), which runs
/// it on the objects earlier segments created; recording goes on against everything recorded
/// before. A long-running application flushes once per frame and its recorder stays small.
pub struct Recorder {
    /// What was recorded since the last flush (since the start when there was none).
    list: CommandList,
    validator: Validator,
    /// Uniform names already in the list's name table.
    names: HashMap<String, Index<String>>,
    /// This session's number, unique in the process.
    session: u64,
    /// Segments flushed so far.
    flushed: u64,
    /// The readback id the current segment's first read gets.
    first_readback: u32,
    /// Every flushed segment, joined, when the session is kept ([`Recorder::keep_session`]).
    kept: Option<CommandList>,
}

impl Default for Recorder {
    fn default() -> Self {
        Recorder {
            list: CommandList::new(),
            validator: Validator::default(),
            names: HashMap::new(),
            session: new_session(),
            flushed: 0,
            first_readback: 0,
            kept: None,
        }
    }
}

impl Recorder {
    /// An empty recorder.
    pub fn new() -> Self {
        Self::default()
    }

    /// The list recorded since the last flush (everything, when nothing was flushed).
    pub fn list(&self) -> &CommandList {
        &self.list
    }

    /// The list recorded so far, validated: every call was checked as it was recorded, so it
    /// replays without being checked again. After a flush it holds only what was recorded
    /// since, which may use objects it does not create: submit it as a segment instead
    /// ([`Recorder::flush`]); a whole-list replay of it fails naming the first such use.
    pub fn validated(&self) -> ValidatedList<'_> {
        self.validator.validated(&self.list)
    }

    /// Forgets everything recorded but keeps the allocations, so that a hot loop can record
    /// again without reallocating its payload arena. This starts a new session: its first
    /// segment makes a renderer start from a clean slate.
    pub fn reset(&mut self) {
        self.list.clear();
        self.validator = Validator::default();
        self.names.clear();
        self.session = new_session();
        self.flushed = 0;
        self.first_readback = 0;
        if let Some(kept) = &mut self.kept {
            kept.clear();
        }
    }

    /// Ends recording and hands over the list recorded since the last flush.
    pub fn finish(self) -> CommandList {
        self.list
    }

    /// Hands out the commands recorded since the last flush as the session's next
    /// [`Segment`], for [`Renderer::submit`](crate::Renderer::submit). Recording goes on
    /// against everything recorded before (ids, buffer sizes), into an empty list.
    pub fn flush(&mut self) -> Result<Segment, ValidationError> {
        let mut segment = Segment::default();
        self.flush_into(&mut segment)?;
        Ok(segment)
    }

    /// [`Recorder::flush`] into `segment`, whose allocations the recorder reuses for what
    /// it records next: a frame loop that flushes into the same segment each frame does
    /// not allocate once its sizes are reached.
    ///
    /// Fails when a query runs or conditional rendering is on (the host may draw between
    /// segments: end them first), or when a kept session ([`Recorder::keep_session`])
    /// cannot hold the segment (2^32 payload blocks or table entries); nothing is flushed
    /// then.
    pub fn flush_into(&mut self, segment: &mut Segment) -> Result<(), ValidationError> {
        self.validator.check_queries_stopped()?;
        if let Some(kept) = &mut self.kept {
            kept.append(&self.list)
                .map_err(|_| ValidationError::TooManyIds {
                    kind: "kept session entry",
                })?;
        }
        let readbacks = self.validator.next_readback_id().0;
        std::mem::swap(&mut segment.list, &mut self.list);
        self.list.clear();
        self.names.clear();
        segment.session = self.session;
        segment.sequence = self.flushed;
        segment.first_readback = self.first_readback;
        segment.readback_count = readbacks - self.first_readback;
        self.flushed += 1;
        self.first_readback = readbacks;
        Ok(())
    }

    /// Keeps every segment flushed from now on, joined into one list
    /// ([`Recorder::session`]): a trace of the session. Off by default, so that a
    /// long-running application does not grow without bound. Turn it on before the first
    /// flush for a trace that replays on its own.
    pub fn keep_session(&mut self) {
        self.kept.get_or_insert_with(CommandList::new);
    }

    /// Every segment flushed since [`Recorder::keep_session`], joined into one list, or
    /// None when the session is not kept.
    pub fn session(&self) -> Option<&CommandList> {
        self.kept.as_ref()
    }

    /// Deletes an object (ModernGL: `obj.release()`); its id may not be used again.
    ///
    /// Releasing the framebuffer in use makes the screen the one in use, as in GL.
    pub fn release(&mut self, object: impl Into<Object>) -> Result<(), ValidationError> {
        self.record_plain(Command::Release {
            object: object.into(),
        })
    }

    /// Marks the end of a frame. Frames let a replay run a range of them and let statistics
    /// count them; the marker does nothing on GL.
    pub fn end_frame(&mut self) {
        self.record_always(Command::EndFrame);
    }

    /// Records a command that stores no payload or side-table entry, as it is.
    pub(crate) fn record_plain(&mut self, command: Command) -> Result<(), ValidationError> {
        self.record(|_, _| Ok((command, ())))
    }

    /// Records a plain command that is valid in any state: it names no object and holds no
    /// value the validator refuses.
    fn record_always(&mut self, command: Command) {
        let recorded = self.record_plain(command);
        debug_assert!(recorded.is_ok(), "{recorded:?}");
    }

    /// Records one command: `build` stores its payloads and side-table entries in a
    /// transaction and returns the command (and what the call returns); the validator
    /// applies it, and only then is the transaction committed. Any error drops the
    /// transaction, which takes back everything `build` stored: a rejected call records
    /// nothing.
    fn record<R>(
        &mut self,
        build: impl FnOnce(&mut Transaction<'_>, &Validator) -> Result<(Command, R), ValidationError>,
    ) -> Result<R, ValidationError> {
        let mut transaction = self.list.transaction();
        let (command, result) = build(&mut transaction, &self.validator)?;
        self.validator.apply(transaction.list(), &command)?;
        transaction.push(command);
        transaction.commit();
        Ok(result)
    }
}

/// Appends `entry` to its side table in `transaction`.
fn entry<T: TableEntry>(
    transaction: &mut Transaction<'_>,
    entry: T,
) -> Result<Index<T>, ValidationError> {
    transaction.entry(entry).ok_or(ValidationError::TooManyIds {
        kind: "side-table entry",
    })
}
