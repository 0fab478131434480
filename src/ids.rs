//! Typed handles handed out by the [`Recorder`](crate::Recorder).
//!
//! Ids are dense indices (`0, 1, 2, ...` in creation order) so that the renderer maps them to GL
//! names through a `Vec`, not a map. They are never reused: a released id stays released, so a
//! use after release is caught instead of silently hitting a newer object.

use std::fmt;

/// A buffer recorded by [`Recorder::buffer`](crate::Recorder::buffer) and friends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BufferId(pub(crate) u32);

/// The result of a recorded read; its bytes are available after replay.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReadbackId(pub(crate) u32);

impl BufferId {
    /// The dense index of this buffer in its command list.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl ReadbackId {
    /// The dense index of this readback in its command list.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl fmt::Display for BufferId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "buffer #{}", self.0)
    }
}

impl fmt::Display for ReadbackId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "readback #{}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_stay_four_bytes() {
        assert_eq!(std::mem::size_of::<BufferId>(), 4);
        assert_eq!(std::mem::size_of::<ReadbackId>(), 4);
    }
}
