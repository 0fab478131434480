//! The ModernGL-like front: calls are checked and recorded into a [`CommandList`]. No GL call
//! is made here, so a recorder runs on any thread of any machine, GPU or not.

mod buffer;
mod draw;
mod framebuffer;

use crate::command::{
    Command, CommandList, Index, Object, TableEntry, Transaction, ValidatedList, ValidationError,
    Validator,
};
use std::collections::HashMap;

/// Records calls into a [`CommandList`], checking each one first.
///
/// Every method validates its arguments against the state recorded so far (buffer sizes,
/// released ids, layouts) and returns a [`ValidationError`] naming what was wrong; a rejected
/// call records nothing.
#[derive(Default)]
pub struct Recorder {
    list: CommandList,
    validator: Validator,
    /// Uniform names already in the list's name table.
    names: HashMap<String, Index<String>>,
}

impl Recorder {
    /// An empty recorder.
    pub fn new() -> Self {
        Self::default()
    }

    /// The list recorded so far.
    pub fn list(&self) -> &CommandList {
        &self.list
    }

    /// The list recorded so far, validated: every call was checked as it was recorded, so it
    /// replays without being checked again.
    pub fn validated(&self) -> ValidatedList<'_> {
        self.validator.validated(&self.list)
    }

    /// Forgets everything recorded but keeps the allocations, so that a hot loop can record
    /// again without reallocating its payload arena.
    pub fn reset(&mut self) {
        self.list.clear();
        self.validator = Validator::default();
        self.names.clear();
    }

    /// Ends recording and hands over the list.
    pub fn finish(self) -> CommandList {
        self.list
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
        // An end-frame marker is always valid.
        let _ = self.record_plain(Command::EndFrame);
    }

    /// Records a command that stores no payload or side-table entry, as it is.
    pub(crate) fn record_plain(&mut self, command: Command) -> Result<(), ValidationError> {
        self.record(|_, _| Ok((command, ())))
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
