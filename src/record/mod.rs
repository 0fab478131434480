//! The ModernGL-like front: calls are checked and recorded into a [`CommandList`]. No GL call
//! is made here, so a recorder runs on any thread of any machine, GPU or not.

mod buffer;

use crate::command::{Command, CommandList, Payload, ValidationError, Validator};

/// Records calls into a [`CommandList`], checking each one first.
///
/// Every method validates its arguments against the state recorded so far (buffer sizes,
/// released ids) and returns a [`ValidationError`] naming what was wrong; a rejected call
/// records nothing.
#[derive(Default)]
pub struct Recorder {
    list: CommandList,
    validator: Validator,
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

    /// Forgets everything recorded but keeps the allocations, so that a hot loop can record
    /// again without reallocating its payload arena.
    pub fn reset(&mut self) {
        self.list.clear();
        self.validator = Validator::default();
    }

    /// Ends recording and hands over the list.
    pub fn finish(self) -> CommandList {
        self.list
    }

    /// Records `command` (already checked).
    fn push(&mut self, command: Command) {
        self.list.commands.push(command);
    }

    /// Stores `bytes` in the arena (`None` for an empty slice).
    fn store(&mut self, bytes: &[u8]) -> Result<Option<Payload>, ValidationError> {
        Ok(self.list.arena.push(bytes)?)
    }
}
