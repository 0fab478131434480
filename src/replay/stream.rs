//! Whole-list replays: frame ranges, the timeout, and the streaming strategies that replace an
//! orphan + full write pair (fold: one glBufferData; ring: a persistently mapped slot).

use super::debug::DebugSession;
use super::StreamStrategy;
use super::{
    FrameTime, PassTime, Readbacks, Renderer, Replay, ReplayError, ReplayOptions, ReplayStats,
};
use crate::command::{Command, CommandList, Payload, ValidatedList};
use crate::ids::BufferId;
use std::ops::Range;
use std::time::{Duration, Instant};

/// The buffer and payload when the command at `index` is an orphan and the one after it (still
/// before `end`) writes the whole new storage of the same buffer: the pair the fold and ring
/// strategies replace. Nothing can observe the orphaned storage between the two, so replacing
/// the pair by "these bytes, in fresh storage" is exact.
pub(super) fn full_rewrite(
    list: &CommandList,
    index: usize,
    end: usize,
) -> Option<(BufferId, Payload)> {
    if index + 1 >= end {
        return None;
    }
    match (list.commands().get(index)?, list.commands().get(index + 1)?) {
        (
            Command::Orphan { buffer, size },
            Command::Write {
                buffer: written,
                offset: 0,
                data,
            },
        ) if buffer == written && data.size() == *size => Some((*buffer, *data)),
        _ => None,
    }
}

/// When a replay must stop ([`ReplayLimits::timeout`]).
struct Deadline {
    at: Option<(Instant, Duration)>,
}

impl Deadline {
    fn new(start: Instant, timeout: Option<Duration>) -> Self {
        Deadline {
            at: timeout.map(|limit| (start.checked_add(limit).unwrap_or(start), limit)),
        }
    }

    /// An error when the deadline has passed before command `index` runs. The clock (a
    /// vDSO call of some 20 ns, 10% of a small write's replay) is read only with a timeout
    /// set, and then before every 32nd command and before every command that can take long
    /// (draws, reads, clears, copies, creations, orphans): a replay stops at most 31 cheap
    /// commands late.
    fn check(&self, list: &CommandList, index: usize) -> Result<(), ReplayError> {
        let Some((at, limit)) = self.at else {
            return Ok(());
        };
        let command = list.commands().get(index);
        let heavy = !matches!(
            command,
            Some(
                Command::Write { .. }
                    | Command::Uniform { .. }
                    | Command::UseFramebuffer { .. }
                    | Command::Viewport { .. }
                    | Command::SetCapability { .. }
                    | Command::EndFrame
                    | Command::Release { .. }
                    | Command::SetTextureParameter { .. }
                    | Command::UseTexture { .. }
                    | Command::SetSamplerParameter { .. }
                    | Command::UseSampler { .. }
                    | Command::BindBufferRange { .. }
                    | Command::BlockBinding { .. }
                    | Command::BindToImage { .. }
                    | Command::MemoryBarrier { .. }
                    | Command::BeginQuery { .. }
                    | Command::EndConditionalRender { .. }
            )
        );
        if (heavy || index.is_multiple_of(32)) && Instant::now() >= at {
            return Err(ReplayError::Timeout {
                index,
                command: command.map_or("(none)", Command::name),
                limit,
            });
        }
        Ok(())
    }
}

/// Index of the first command of frame `frame` (0 for frame 0).
fn frame_start(commands: &[Command], frame: u32) -> usize {
    if frame == 0 {
        return 0;
    }
    commands
        .iter()
        .enumerate()
        .filter(|(_, c)| matches!(c, Command::EndFrame))
        .nth(frame as usize - 1)
        .map_or(commands.len(), |(index, _)| index + 1)
}

impl Renderer {
    /// Replays a validated list as `options` say (a range of frames, progress reports) and
    /// measures it.
    ///
    /// Frames are delimited by [`Command::EndFrame`]. With `frames: Some(a..b)`, the commands
    /// before frame `a` run first as untimed setup (they create what later frames use), then
    /// frames `a..b` run timed; when `b` is the list's frame count, the commands after the last
    /// marker (final reads, typically) run too. Timings end with glFinish.
    pub fn replay_with(
        &mut self,
        list: &ValidatedList<'_>,
        options: &mut ReplayOptions<'_>,
    ) -> Result<Replay, ReplayError> {
        let commands = list.list().commands();
        let frames = list.list().frames();
        let range = options.frames.clone().unwrap_or(0..frames);
        if range.start > range.end || range.end > frames {
            return Err(ReplayError::FrameRange {
                start: range.start,
                end: range.end,
                frames,
            });
        }
        let start = frame_start(commands, range.start);
        let end = if range.end == frames {
            commands.len()
        } else {
            frame_start(commands, range.end)
        };
        let screen = self.framebuffers.screen_size();
        let ring = options.stream == StreamStrategy::Ring;
        list.check_limits(&options.limits, screen, ring, end)?;
        self.indirect_work_limit = options.limits.max_draw_work;
        let replay =
            self.with_host_state(|renderer| renderer.run_frames(list, options, start, end));
        self.indirect_work_limit = u64::MAX;
        replay
    }

    /// [`Renderer::replay_with`] once its arguments are checked.
    fn run_frames(
        &mut self,
        list: &ValidatedList<'_>,
        options: &mut ReplayOptions<'_>,
        start: usize,
        end: usize,
    ) -> Result<Replay, ReplayError> {
        if options.debug {
            // Unregistered when `session` drops: at the end, on an error, or while a panic
            // (in `progress`, say) unwinds through here.
            let session = DebugSession::start(self);
            session.renderer.run_range(list, options, start, end)
        } else {
            self.run_range(list, options, start, end)
        }
    }

    /// The body of [`Renderer::replay_with`]: setup, then the timed commands.
    fn run_range(
        &mut self,
        list: &ValidatedList<'_>,
        options: &mut ReplayOptions<'_>,
        start: usize,
        end: usize,
    ) -> Result<Replay, ReplayError> {
        let mut readbacks = Readbacks::with_capacity(list.readback_count() as usize);
        let deadline = Deadline::new(Instant::now(), options.limits.timeout);
        let loops = options.loops.max(1);
        let resident = loops == 1 || list.check_repeat(start, end).is_ok();
        let mut stats = ReplayStats {
            best: Duration::MAX,
            resident,
            ..ReplayStats::default()
        };
        // Counted once, not per command: every pass runs (uploads, draws) the same commands.
        let timed = list.list().commands().get(start..end).unwrap_or_default();
        let upload_bytes: u64 = timed.iter().map(Command::upload_bytes).sum();
        let draws: u64 = timed.iter().map(|c| u64::from(c.runs_shaders())).sum();
        // Later passes read into a scratch set: a replay returns the first pass's bytes.
        let mut again = Readbacks::default();
        for pass in 0..loops {
            let reads = if pass == 0 {
                &mut readbacks
            } else {
                again.clear();
                &mut again
            };
            if pass == 0 || !resident {
                let setup_started = Instant::now();
                self.begin()?;
                for index in 0..start {
                    deadline.check(list.list(), index)?;
                    self.execute(list, index, reads)?;
                }
                self.check_unchecked()?;
                self.finish();
                stats.setup += setup_started.elapsed();
            }
            let started = Instant::now();
            self.run_pass(list, options, start..end, &deadline, reads, &mut stats)?;
            self.finish();
            let elapsed = started.elapsed();
            stats.commands += end - start;
            stats.upload_bytes += upload_bytes;
            stats.draws += draws;
            stats.passes.push(PassTime {
                elapsed,
                upload_bytes,
            });
            stats.elapsed += elapsed;
            stats.best = stats.best.min(elapsed);
        }
        Ok(Replay { readbacks, stats })
    }

    /// One pass of the timed commands `range` (the pass after those in `stats.passes`), its
    /// frames counted into `stats` (each frame's time too; the pass's commands, uploads and
    /// draws are counted once by the caller). Runs only right after glFinish (the setup's,
    /// or the previous pass's), as [`BufferTable::start_pass`] needs. Not inlined, so that a
    /// profile (as `valgrind --tool=callgrind --toggle-collect='*run_pass*'`) can single it
    /// out.
    ///
    /// [`BufferTable::start_pass`]: super::buffers::BufferTable::start_pass
    #[inline(never)]
    fn run_pass(
        &mut self,
        list: &ValidatedList<'_>,
        options: &mut ReplayOptions<'_>,
        range: Range<usize>,
        deadline: &Deadline,
        readbacks: &mut Readbacks,
        stats: &mut ReplayStats,
    ) -> Result<(), ReplayError> {
        let (mut index, end) = (range.start, range.end);
        let pass = stats.passes.len() as u32;
        let mut frame_started = Instant::now();
        // The last command of this pass that issued GL work other than a rewrite: a ring slot
        // filled after it is untouched by GL and may be filled again in place.
        let mut last_work = None;
        self.buffers.start_pass();
        while index < end {
            if let Err(timeout) = deadline.check(list.list(), index) {
                // A GL error of the commands before came first.
                self.check_unchecked()?;
                return Err(timeout);
            }
            let rewrite = match options.stream {
                StreamStrategy::Faithful => None,
                strategy => full_rewrite(list.list(), index, end).map(|pair| (strategy, pair)),
            };
            if let Some((strategy, (buffer, data))) = rewrite {
                self.rewrite(list, index, strategy, buffer, data, last_work)?;
                index += 2;
                continue;
            }
            let command = self.execute(list, index, readbacks)?;
            if *command != Command::EndFrame {
                last_work = Some(index);
            }
            index += 1;
            if let Command::EndFrame = command {
                let now = Instant::now();
                stats.frame_times.push(FrameTime {
                    pass,
                    elapsed: now - frame_started,
                });
                frame_started = now;
                stats.frames += 1;
                if let Some(progress) = options.progress.as_mut() {
                    progress(stats.frames);
                }
            }
        }
        self.check_unchecked()
    }

    /// Runs the orphan at `index` and the full write after it as `strategy` says (fold: one
    /// glBufferData; ring: a slot of a mapped ring, the one in use again when no GL work ran
    /// since `last_work`'s index), rebinding vertex arrays when the buffer's bytes moved.
    fn rewrite(
        &mut self,
        list: &ValidatedList<'_>,
        index: usize,
        strategy: StreamStrategy,
        buffer: BufferId,
        data: Payload,
        last_work: Option<usize>,
    ) -> Result<(), ReplayError> {
        self.check_unchecked()?;
        self.debug.at(index);
        self.checked_draw = None;
        let bytes = list.payload(data);
        let gl = &self.gl;
        let moved = match strategy {
            StreamStrategy::Ring => {
                (self.buffers).orphan_into_ring(gl, buffer, bytes, index, last_work)
            }
            _ => self.buffers.orphan_and_fill(gl, buffer, bytes),
        }
        .map_err(|fault| fault.at(index, "orphan"))?;
        if moved {
            (self.buffer_moved(buffer)).map_err(|fault| fault.at(index, "orphan"))?;
        }
        self.check_gl(index + 1, "write")
    }
}
