//! What a replay is asked to do ([`ReplayOptions`], [`StreamStrategy`]) and what it gives
//! back ([`Replay`], [`Readbacks`], [`ReplayStats`] with its [`PassTime`]s, [`FrameTime`]s
//! and [`SteadyUpload`]).

use super::ReplayLimits;
use crate::ids::ReadbackId;
use std::ops::Range;
use std::time::Duration;

/// How orphan + write streaming is replayed. Every strategy gives byte-identical readbacks
/// and pixels; they differ in what GL is asked to do.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum StreamStrategy {
    /// Exactly the recorded calls: glBufferData(NULL) for an orphan, glBufferSubData for a
    /// write.
    #[default]
    Faithful,
    /// An orphan directly followed by a write of the whole buffer becomes one
    /// glBufferData(size, data), which lets the driver reuse storage instead of reallocating.
    Fold,
    /// Orphan + write streams into a persistently mapped ring (GL 4.4 buffer storage) fenced
    /// per slot, and vertex arrays are rebound to the slot's offset: no storage is reallocated.
    Ring,
}

/// What to replay and how, for [`Renderer::replay_with`].
#[derive(Default)]
pub struct ReplayOptions<'a> {
    /// How orphan + write streaming is replayed.
    pub stream: StreamStrategy,
    /// Turn on KHR_debug output (synchronous) and keep every GL message with the index of
    /// the command that caused it; see [`Renderer::take_debug_messages`].
    pub debug: bool,
    /// Only these frames (timed); `None` replays everything.
    pub frames: Option<Range<u32>>,
    /// Called with the number of timed frames completed, after each frame.
    pub progress: Option<&'a mut dyn FnMut(u32)>,
    /// Resource and time limits, checked before anything reaches GL (time: between
    /// commands). The work limits apply to one pass; the timeout to all of them.
    pub limits: ReplayLimits,
    /// How many times the timed frames run (0 and 1 both mean once). Passes run one after
    /// the other on the same objects, the setup before them once, when the frames can run
    /// again on what they leave (they create and release nothing); otherwise each pass
    /// starts from a clean slate with the setup ([`ReplayStats::resident`] says which).
    /// Readbacks are the first pass's.
    pub loops: u32,
}

/// What one replay measured. Setup (commands before the first replayed frame) is timed apart.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReplayStats {
    /// Commands run in the timed part.
    pub commands: usize,
    /// Frame markers passed in the timed part.
    pub frames: u32,
    /// Bytes uploaded (initial data and writes of buffers and textures) in the timed part.
    pub upload_bytes: u64,
    /// Wall time of the setup part (every time it ran), glFinish included.
    pub setup: Duration,
    /// Wall time of the timed part (every pass), glFinish included.
    pub elapsed: Duration,
    /// Wall time of the fastest pass of the timed part.
    pub best: Duration,
    /// Whether the passes ran on the same objects (see [`ReplayOptions::loops`]).
    pub resident: bool,
    /// Commands run in the timed part that run shaders (draws, transforms, compute runs).
    pub draws: u64,
    /// Every pass of the timed part, in the order they ran.
    pub passes: Vec<PassTime>,
    /// Every timed frame, every pass, in the order they ran.
    pub frame_times: Vec<FrameTime>,
}

/// One pass of a replay's timed part (see [`ReplayOptions::loops`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PassTime {
    /// Its wall time, glFinish included (as [`ReplayStats::elapsed`] counts it).
    pub elapsed: Duration,
    /// Bytes it uploaded (as [`ReplayStats::upload_bytes`] counts them).
    pub upload_bytes: u64,
}

/// One timed frame of a replay. Its time is the wall time from the end of the previous frame
/// (or the start of its pass) to its [`Command::EndFrame`](crate::Command::EndFrame), with no
/// glFinish of its own: GL work a driver defers is counted in the frame that waits for it
/// (commands after a pass's last frame marker, and the pass's final glFinish, are in no
/// frame).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FrameTime {
    /// The pass that ran it (0 is the first; see [`ReplayOptions::loops`]).
    pub pass: u32,
    /// Its wall time.
    pub elapsed: Duration,
}

/// The upload throughput of a replay's steady state: see [`ReplayStats::steady_upload`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SteadyUpload {
    /// The passes it covers.
    pub passes: u32,
    /// The bytes they uploaded.
    pub upload_bytes: u64,
    /// Their wall time (glFinish included), summed.
    pub elapsed: Duration,
}

impl SteadyUpload {
    /// `upload_bytes` per second of `elapsed`, in GB/s (10^9 bytes per second); 0 when no
    /// time passed.
    pub fn gbps(&self) -> f64 {
        let seconds = self.elapsed.as_secs_f64();
        if seconds > 0.0 {
            self.upload_bytes as f64 / seconds / 1e9
        } else {
            0.0
        }
    }
}

impl ReplayStats {
    /// Upload throughput of the timed part in GB/s (10^9 bytes per second).
    pub fn upload_gbps(&self) -> f64 {
        let seconds = self.elapsed.as_secs_f64();
        if seconds > 0.0 {
            self.upload_bytes as f64 / seconds / 1e9
        } else {
            0.0
        }
    }

    /// The `percent` percentile (nearest rank: the smallest frame time that at least
    /// `percent`% of the frames do not exceed) of the timed frames' times, every pass; `None`
    /// without frames.
    pub fn frame_time_percentile(&self, percent: u32) -> Option<Duration> {
        let mut times: Vec<Duration> = self.frame_times.iter().map(|f| f.elapsed).collect();
        times.sort_unstable();
        let rank = (times.len() * percent.min(100) as usize).div_ceil(100);
        times.get(rank.max(1) - 1).copied()
    }

    /// The steady state's upload: every pass of the timed part but the first (which meets
    /// the objects the setup made, and with resident passes the driver storage they use,
    /// for the first time), their bytes over their wall time, glFinish included; `None` with
    /// fewer than two passes.
    pub fn steady_upload(&self) -> Option<SteadyUpload> {
        let mut upload = SteadyUpload::default();
        for pass in self.passes.iter().skip(1) {
            upload.passes += 1;
            upload.upload_bytes += pass.upload_bytes;
            upload.elapsed += pass.elapsed;
        }
        (upload.passes > 0).then_some(upload)
    }
}

/// The readbacks and measurements of one replay.
#[derive(Debug)]
pub struct Replay {
    /// Bytes of every read that ran.
    pub readbacks: Readbacks,
    /// What was run and how long it took.
    pub stats: ReplayStats,
}

/// The bytes produced by the reads of one replay, by [`ReadbackId`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Readbacks {
    /// The id of the first read (a segment's reads continue its session's numbering).
    first: u32,
    data: Vec<Vec<u8>>,
}

impl Readbacks {
    /// Room for `count` reads.
    pub(super) fn with_capacity(count: usize) -> Self {
        Self::starting_at(ReadbackId(0), count)
    }

    /// Room for `count` reads, the first of them `first`.
    pub(super) fn starting_at(first: ReadbackId, count: usize) -> Self {
        Readbacks {
            first: first.0,
            data: Vec::with_capacity(count),
        }
    }

    /// Forgets every read, keeping the allocation.
    pub(super) fn clear(&mut self) {
        self.data.clear();
    }

    /// Keeps the bytes of the next read.
    pub(super) fn push(&mut self, bytes: Vec<u8>) {
        self.data.push(bytes);
    }

    /// The bytes read under `id`, or `None` for an id this replay did not produce.
    pub fn get(&self, id: ReadbackId) -> Option<&[u8]> {
        let index = id.0.checked_sub(self.first)?;
        self.data.get(index as usize).map(Vec::as_slice)
    }

    /// Copies the bytes read under `id` into `buffer` from byte `write_offset`, allocating
    /// nothing (ModernGL: `buf.read_into(buffer, size, offset, write_offset)` is a
    /// [`Recorder::read`](crate::Recorder::read) and this copy; `read_chunks_into`, a
    /// [`Recorder::read_chunks`](crate::Recorder::read_chunks) and this copy). The rest of
    /// `buffer` is left as it was.
    pub fn read_into(
        &self,
        id: ReadbackId,
        buffer: &mut [u8],
        write_offset: usize,
    ) -> Result<(), ReadIntoError> {
        let bytes = self.get(id).ok_or(ReadIntoError::Missing { id })?;
        let too_small = ReadIntoError::TooSmall {
            id,
            len: bytes.len(),
            buffer: buffer.len(),
            write_offset,
        };
        let end = write_offset
            .checked_add(bytes.len())
            .ok_or(too_small.clone())?;
        buffer
            .get_mut(write_offset..end)
            .ok_or(too_small)?
            .copy_from_slice(bytes);
        Ok(())
    }

    /// Number of readbacks.
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// True when the replay read nothing.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// All readbacks in id order, from the first this replay or submission made.
    pub fn iter(&self) -> impl Iterator<Item = &[u8]> {
        self.data.iter().map(Vec::as_slice)
    }
}

/// Why [`Readbacks::read_into`] copied nothing.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReadIntoError {
    /// The replay (or submission, or capture) produced no readback of that id.
    #[error("{id} was not produced here")]
    Missing {
        /// The id asked for.
        id: ReadbackId,
    },
    /// The destination cannot hold the bytes from `write_offset` (ModernGL: "the buffer is
    /// too small").
    #[error("{id} holds {len} bytes, which do not fit a buffer of {buffer} bytes from offset {write_offset}")]
    TooSmall {
        /// The id asked for.
        id: ReadbackId,
        /// Its bytes.
        len: usize,
        /// The destination's length.
        buffer: usize,
        /// Where the copy was to start.
        write_offset: usize,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(frames_ms: &[(u32, u64)], passes: &[(u64, u64)]) -> ReplayStats {
        ReplayStats {
            frame_times: frames_ms
                .iter()
                .map(|&(pass, ms)| FrameTime {
                    pass,
                    elapsed: Duration::from_millis(ms),
                })
                .collect(),
            passes: passes
                .iter()
                .map(|&(ms, bytes)| PassTime {
                    elapsed: Duration::from_millis(ms),
                    upload_bytes: bytes,
                })
                .collect(),
            ..ReplayStats::default()
        }
    }

    #[test]
    fn frame_time_percentiles_are_nearest_rank() {
        let ms = Duration::from_millis;
        let odd = stats(&[(0, 5), (0, 1), (1, 4), (1, 2), (1, 3)], &[]);
        assert_eq!(odd.frame_time_percentile(50), Some(ms(3)));
        assert_eq!(odd.frame_time_percentile(95), Some(ms(5)));
        assert_eq!(odd.frame_time_percentile(0), Some(ms(1)));
        assert_eq!(odd.frame_time_percentile(100), Some(ms(5)));
        let even = stats(&[(0, 1), (0, 2), (0, 3), (0, 4)], &[]);
        assert_eq!(even.frame_time_percentile(50), Some(ms(2)));
        assert_eq!(ReplayStats::default().frame_time_percentile(50), None);
    }

    #[test]
    fn the_steady_state_is_every_pass_but_the_first() {
        assert_eq!(stats(&[], &[(9, 100)]).steady_upload(), None);
        let steady = stats(&[], &[(9, 100), (2, 1000), (3, 2000)])
            .steady_upload()
            .unwrap();
        assert_eq!(
            steady,
            SteadyUpload {
                passes: 2,
                upload_bytes: 3000,
                elapsed: Duration::from_millis(5),
            }
        );
        assert!((steady.gbps() - 3000.0 / 0.005 / 1e9).abs() < 1e-15);
    }
}
