//! Resource limits of a replay: bytes of live GL objects, readback bytes, draw work, time.
//!
//! The validator keeps running [`Counters`] of what a list asks for (O(1) per command); a
//! [`ValidatedList`](super::ValidatedList) keeps their peaks, so a replay within its
//! [`ReplayLimits`] costs one comparison per limit. Only a list over a limit is scanned again,
//! to name the first command that crosses it, before anything reaches GL.

use std::fmt;
use std::time::Duration;

/// Bytes per pixel of a depth attachment (DEPTH_COMPONENT24 is stored in 32 bits).
pub(crate) const DEPTH_BYTES_PER_PIXEL: u64 = 4;

/// Slots of a ring under [`StreamStrategy::Ring`](crate::StreamStrategy::Ring): a streamed
/// buffer's ring holds this many slots of its orphan size (counted at its largest).
pub(crate) const RING_SLOTS: u64 = 4;

/// What one replay may ask of the machine. A list over a limit is refused before GL sees
/// any command, with [`ReplayError::Limit`](crate::ReplayError::Limit) naming the first
/// command that crosses it; a replay past its time limit stops between commands with
/// [`ReplayError::Timeout`](crate::ReplayError::Timeout).
///
/// The defaults suit a machine of 24 GiB: 8 GiB of GL objects (llvmpipe keeps them in system
/// memory) plus 4 GiB of readbacks (kept until the replay ends) leave half the machine for
/// the trace itself and everything else. Each replay of `--loops` counts on its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplayLimits {
    /// Most bytes of GL objects alive at once: buffers (at their current size; under the
    /// ring strategy plus 4 ring slots of each streamed buffer's largest size),
    /// renderbuffers (width x height x samples x bytes per pixel) and textures (every
    /// level that holds an image, times samples), both held until released and attached to
    /// no live framebuffer, and the attachments a framebuffer makes itself (width x height x
    /// bytes per pixel, depth included).
    /// Default 8 GiB.
    pub max_object_bytes: u64,
    /// Most bytes read back (buffer reads and pixel reads) in one replay. Default 4 GiB.
    pub max_readback_bytes: u64,
    /// Most vertices x instances of one render, transform or indirect draw (its commands
    /// summed), or work groups of one compute run. Default 2^32. Indirect commands the list
    /// cannot know when recorded are held to it at replay, when read back.
    pub max_draw_work: u64,
    /// Most vertices x instances (and work groups) of all draws and compute runs of one
    /// replay, indirect ones counted where their commands are known when recorded. Default
    /// 2^36.
    pub max_replay_work: u64,
    /// Wall-clock budget of one replay, checked between commands; `None`: no limit.
    pub timeout: Option<Duration>,
}

impl Default for ReplayLimits {
    fn default() -> Self {
        ReplayLimits {
            max_object_bytes: 8 << 30,
            max_readback_bytes: 4 << 30,
            max_draw_work: 1 << 32,
            max_replay_work: 1 << 36,
            timeout: None,
        }
    }
}

impl ReplayLimits {
    /// No resource limit at all (GL-type ranges and GL's own limits still apply).
    pub fn unlimited() -> Self {
        ReplayLimits {
            max_object_bytes: u64::MAX,
            max_readback_bytes: u64::MAX,
            max_draw_work: u64::MAX,
            max_replay_work: u64::MAX,
            timeout: None,
        }
    }

    /// The bound of `limit`.
    pub fn get(&self, limit: Limit) -> u64 {
        match limit {
            Limit::ObjectBytes => self.max_object_bytes,
            Limit::ReadbackBytes => self.max_readback_bytes,
            Limit::DrawWork => self.max_draw_work,
            Limit::ReplayWork => self.max_replay_work,
        }
    }
}

/// One of the resource limits of [`ReplayLimits`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Limit {
    /// [`ReplayLimits::max_object_bytes`].
    ObjectBytes,
    /// [`ReplayLimits::max_readback_bytes`].
    ReadbackBytes,
    /// [`ReplayLimits::max_draw_work`].
    DrawWork,
    /// [`ReplayLimits::max_replay_work`].
    ReplayWork,
}

impl Limit {
    /// Every limit, in the order they are checked.
    pub const ALL: [Limit; 4] = [
        Limit::ObjectBytes,
        Limit::ReadbackBytes,
        Limit::DrawWork,
        Limit::ReplayWork,
    ];

    /// The [`ReplayLimits`] field.
    pub fn field(self) -> &'static str {
        match self {
            Limit::ObjectBytes => "max_object_bytes",
            Limit::ReadbackBytes => "max_readback_bytes",
            Limit::DrawWork => "max_draw_work",
            Limit::ReplayWork => "max_replay_work",
        }
    }

    /// The `gltape replay` option that sets it.
    pub fn flag(self) -> &'static str {
        match self {
            Limit::ObjectBytes => "--max-object-bytes",
            Limit::ReadbackBytes => "--max-readback-bytes",
            Limit::DrawWork => "--max-draw-work",
            Limit::ReplayWork => "--max-replay-work",
        }
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Limit::ObjectBytes => "bytes of live GL objects",
            Limit::ReadbackBytes => "readback bytes",
            Limit::DrawWork => "vertices x instances of one draw (or work groups of one run)",
            Limit::ReplayWork => "vertices x instances of the replay (and work groups)",
        })
    }
}

/// What the commands validated so far ask for, kept by the validator (saturating).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Counters {
    /// Bytes of live buffers and framebuffer attachments.
    pub live_bytes: u64,
    /// Bytes the rings of live streamed buffers would hold under the ring strategy.
    pub ring_bytes: u64,
    /// Bytes read back so far (full-screen reads only when the screen's size is known).
    pub readback_bytes: u64,
    /// Bytes per screen pixel of full-screen reads whose size was not known.
    pub screen_read_factor: u64,
    /// Vertices x instances (work groups) of the last draw (compute run).
    pub draw_work: u64,
    /// Vertices x instances (work groups) of all draws (compute runs) so far.
    pub work: u64,
}

/// The peaks of [`Counters`] over a whole list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Peaks {
    pub live_bytes: u64,
    pub live_ring_bytes: u64,
    pub readback_bytes: u64,
    pub screen_read_factor: u64,
    pub draw_work: u64,
    pub work: u64,
}

impl Peaks {
    /// The first of `limits` a peak went over (with a screen of `screen_pixels`, buffers
    /// streamed through rings when `ring`), with the peak's value.
    pub fn first_over(
        &self,
        limits: &ReplayLimits,
        ring: bool,
        screen_pixels: u64,
    ) -> Option<(Limit, u64)> {
        Limit::ALL.into_iter().find_map(|limit| {
            let value = self.value(limit, ring, screen_pixels);
            (value > limits.get(limit)).then_some((limit, value))
        })
    }

    /// Raises each peak to the counters' value.
    pub fn update(&mut self, c: &Counters) {
        self.live_bytes = self.live_bytes.max(c.live_bytes);
        self.live_ring_bytes = self
            .live_ring_bytes
            .max(c.live_bytes.saturating_add(c.ring_bytes));
        self.readback_bytes = self.readback_bytes.max(c.readback_bytes);
        self.screen_read_factor = self.screen_read_factor.max(c.screen_read_factor);
        self.draw_work = self.draw_work.max(c.draw_work);
        self.work = self.work.max(c.work);
    }

    /// The largest value of `limit` in the list, with a screen of `screen_pixels` pixels.
    pub fn value(&self, limit: Limit, ring: bool, screen_pixels: u64) -> u64 {
        match limit {
            Limit::ObjectBytes if ring => self.live_ring_bytes,
            Limit::ObjectBytes => self.live_bytes,
            Limit::ReadbackBytes => self
                .readback_bytes
                .saturating_add(self.screen_read_factor.saturating_mul(screen_pixels)),
            Limit::DrawWork => self.draw_work,
            Limit::ReplayWork => self.work,
        }
    }
}

impl Counters {
    /// The value of `limit` now.
    pub fn value(&self, limit: Limit, ring: bool) -> u64 {
        match limit {
            Limit::ObjectBytes if ring => self.live_bytes.saturating_add(self.ring_bytes),
            Limit::ObjectBytes => self.live_bytes,
            Limit::ReadbackBytes => self.readback_bytes,
            Limit::DrawWork => self.draw_work,
            Limit::ReplayWork => self.work,
        }
    }
}

/// A list that asks for more than a [`ReplayLimits`] allows, at command `index`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("command #{index} ({command}): {limit} would reach {value}, over the replay limit of {max} (raise it with {} or ReplayLimits::{})", .limit.flag(), .limit.field())]
pub struct LimitExceeded {
    /// The first command over the limit.
    pub index: usize,
    /// Its name.
    pub command: &'static str,
    /// Which limit.
    pub limit: Limit,
    /// What the list asks for at that command.
    pub value: u64,
    /// The limit.
    pub max: u64,
}
