//! The ModernGL-like front: calls are checked and recorded into a [`CommandList`]. No GL call
//! is made here, so a recorder runs on any thread of any machine, GPU or not.

mod buffer;
mod draw;
mod framebuffer;

use crate::command::{Command, CommandList, Object, Payload, ValidationError, Validator};
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
    names: HashMap<String, u32>,
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
        let object = object.into();
        self.validator.release(object)?;
        self.push(Command::Release { object });
        Ok(())
    }

    /// Marks the end of a frame. Frames let a replay run a range of them and let statistics
    /// count them; the marker does nothing on GL.
    pub fn end_frame(&mut self) {
        self.push(Command::EndFrame);
    }

    /// Records `command` (already checked).
    fn push(&mut self, command: Command) {
        self.list.commands.push(command);
    }

    /// Stores `bytes` in the arena (`None` for an empty slice).
    fn store(&mut self, bytes: &[u8]) -> Result<Option<Payload>, ValidationError> {
        Ok(self.list.arena.push(bytes)?)
    }

    /// The index of `name` in the list's name table, adding it on first use.
    fn intern(&mut self, name: &str) -> Result<u32, ValidationError> {
        if let Some(&index) = self.names.get(name) {
            return Ok(index);
        }
        let index = next_index(&self.list.tables.names)?;
        self.list.tables.names.push(name.to_owned());
        self.names.insert(name.to_owned(), index);
        Ok(index)
    }
}

/// The index the next entry of a side table will get, checked before anything is recorded.
fn next_index<T>(table: &[T]) -> Result<u32, ValidationError> {
    u32::try_from(table.len()).map_err(|_| ValidationError::TooManyIds {
        kind: "side-table entry",
    })
}
