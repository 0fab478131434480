//! [`Segment`]: the commands a long-lived recorder hands out at each flush, for a renderer
//! that keeps its objects between submissions.

use super::validate::ValidatedList;
use super::CommandList;
use crate::ids::ReadbackId;
use std::sync::atomic::{AtomicU64, Ordering};

/// The source of session numbers.
static SESSIONS: AtomicU64 = AtomicU64::new(0);

/// A session number no other session of the process has (a recorder's, a trace read in
/// segments).
pub(crate) fn new_session() -> u64 {
    SESSIONS.fetch_add(1, Ordering::Relaxed)
}

/// The commands recorded since the previous [`Recorder::flush`](crate::Recorder::flush)
/// (or read from a trace by a [`SegmentReader`](crate::trace::SegmentReader)), validated
/// against everything recorded (or read) before them: what
/// [`Renderer::submit`](crate::Renderer::submit) runs on the objects that earlier segments of
/// the same recording session created.
///
/// A segment belongs to one session (one recorder, from its creation or last
/// [`reset`](crate::Recorder::reset)) and has a place in it: a renderer runs a session's
/// segments only in order, each once.
#[derive(Debug, Default)]
pub struct Segment {
    pub(crate) list: CommandList,
    pub(crate) session: u64,
    pub(crate) sequence: u64,
    pub(crate) first_readback: u32,
    pub(crate) readback_count: u32,
}

impl Segment {
    /// The segment's commands, payloads and side tables (references are local to it).
    pub fn list(&self) -> &CommandList {
        &self.list
    }

    /// The segment's place in its session: 0 for the first flush, then 1, 2, ...
    pub fn sequence(&self) -> u64 {
        self.sequence
    }

    /// The ids of the reads this segment makes.
    pub fn readbacks(&self) -> std::ops::Range<u32> {
        self.first_readback..self.first_readback + self.readback_count
    }

    /// The segment as replay takes it: its commands were checked as they were recorded.
    pub(crate) fn validated(&self) -> ValidatedList<'_> {
        ValidatedList::segment(&self.list, self.readback_count)
    }

    /// The id of the segment's first read.
    pub(crate) fn first_readback(&self) -> ReadbackId {
        ReadbackId(self.first_readback)
    }
}
