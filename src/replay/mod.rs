//! Replays command lists on an OpenGL 4.5 core context.
//!
//! A [`Renderer`] owns a GL function table and id -> GL-name tables (`Vec`s indexed by the dense
//! ids). A list is validated once ([`CommandList::validate`]); replay then runs without
//! per-command argument checks, and it never hands GL a range that validation did not check.
//! After every command it asks glGetError and stops at the first error, naming the command.

mod buffers;
mod debug;
mod entry_points;
mod framebuffers;
mod gl_enum;
mod programs;
mod ring;
mod vertex_arrays;

use crate::command::{
    Command, CommandList, InvalidList, Object, Payload, ValidatedList, ValidationError,
};
pub use crate::command::{Limit, LimitExceeded, ReplayLimits};
#[cfg(feature = "glfw")]
use crate::context::{ContextError, GlfwContext};
use crate::gl::{self, types::GLenum, Gl};
use crate::ids::{BufferId, ReadbackId};
use std::ffi::{c_void, CStr};
use std::ops::Range;
use std::time::{Duration, Instant};

/// Why a replay (or the renderer's creation) failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReplayError {
    /// The list failed validation; nothing was replayed.
    #[error("invalid command list: {0}")]
    Invalid(#[from] InvalidList),
    /// GL raised an error; the commands after `index` were not run.
    #[error("GL error {} (0x{code:04X}) raised by command #{index} ({command})", gl_error_name(*.code))]
    Gl {
        /// Index of the command that raised it.
        index: usize,
        /// Its name.
        command: &'static str,
        /// The glGetError code.
        code: GLenum,
    },
    /// A shader failed to compile or the program failed to link; the rest of the list was
    /// not run.
    #[error("command #{index} (create_program): {stage} {}failed:\n{log}", if *.stage == "link" { "" } else { "shader " })]
    Program {
        /// Index of the command.
        index: usize,
        /// "vertex", "geometry", "fragment" or "link".
        stage: &'static str,
        /// GL's info log.
        log: String,
    },
    /// A uniform the linked program lacks, or a value of the wrong type or size.
    #[error("command #{index} (uniform): uniform {name:?}: {problem}")]
    Uniform {
        /// Index of the command.
        index: usize,
        /// The uniform name.
        name: String,
        /// What is wrong.
        problem: String,
    },
    /// A transform whose output could overflow an output buffer; nothing was drawn.
    #[error("command #{index} (transform): output of up to {needed} bytes does not fit {buffer}, which has {available} bytes after the offset")]
    TransformOverflow {
        /// Index of the command.
        index: usize,
        /// The output buffer.
        buffer: BufferId,
        /// Largest possible output in bytes.
        needed: u64,
        /// Bytes from the offset to the end of the buffer.
        available: u64,
    },
    /// GL reported a framebuffer incomplete.
    #[error(
        "command #{index} (create_framebuffer): framebuffer incomplete (status 0x{status:04X})"
    )]
    Framebuffer {
        /// Index of the command.
        index: usize,
        /// glCheckFramebufferStatus's answer.
        status: GLenum,
    },
    /// GL could not map or unmap a buffer (for example, its contents were lost).
    #[error("command #{index} ({command}): GL could not map buffer storage")]
    Map {
        /// Index of the command.
        index: usize,
        /// Its name.
        command: &'static str,
    },
    /// A frame range outside the list's frames.
    #[error("frames {start}..{end} are not within the list's {frames} frames")]
    FrameRange {
        /// First frame asked for.
        start: u32,
        /// End of the range asked for (exclusive).
        end: u32,
        /// Frames in the list.
        frames: u32,
    },
    /// The list disagreed with itself after validation (a missing payload or GL name): a bug in
    /// gltape, reported instead of reaching GL.
    #[error(
        "command #{index} ({command}): internal error: {what} (please report this gltape bug)"
    )]
    Internal {
        /// Index of the command.
        index: usize,
        /// Its name.
        command: &'static str,
        /// What was missing.
        what: &'static str,
    },
    /// The list asks for more than [`ReplayOptions::limits`] allow; nothing was replayed.
    #[error(transparent)]
    Limit(#[from] LimitExceeded),
    /// The replay ran past [`ReplayLimits::timeout`]; command `index` and those after it
    /// were not run.
    #[error("command #{index} ({command}): the replay ran past its time limit of {:.3} s (raise it with --timeout or ReplayLimits::timeout); this command and those after it were not run", .limit.as_secs_f64())]
    Timeout {
        /// The first command not run.
        index: usize,
        /// Its name.
        command: &'static str,
        /// The time limit.
        limit: Duration,
    },
    /// Memory for a readback could not be allocated.
    #[error("command #{index} ({command}): could not allocate {bytes} bytes for its readback")]
    OutOfMemory {
        /// Index of the command.
        index: usize,
        /// Its name.
        command: &'static str,
        /// Bytes asked for.
        bytes: u64,
    },
    /// The context does not offer OpenGL 4.5.
    #[error("OpenGL 4.5 core is required, the context offers {major}.{minor} ({version})")]
    GlVersion {
        /// Major version reported.
        major: i32,
        /// Minor version reported.
        minor: i32,
        /// GL_VERSION string.
        version: String,
    },
    /// The loader gave no address for a GL function the renderer calls.
    #[error("the GL loader gave no address for {name}{}, which the renderer needs", if *.others > 0 { format!(" (nor for {others} other functions)") } else { String::new() })]
    MissingEntryPoint {
        /// The first missing function's C name, for example `"glCreateBuffers"`.
        name: &'static str,
        /// How many more required functions are missing.
        others: usize,
    },
    /// The GLFW context could not be created.
    #[cfg(feature = "glfw")]
    #[error(transparent)]
    Context(#[from] ContextError),
}

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

pub use debug::DebugMessage;

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
    /// commands).
    pub limits: ReplayLimits,
}

/// What one replay measured. Setup (commands before the first replayed frame) is timed apart.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReplayStats {
    /// Commands run in the timed part.
    pub commands: usize,
    /// Frame markers passed in the timed part.
    pub frames: u32,
    /// Bytes uploaded (initial buffer data and writes) in the timed part.
    pub upload_bytes: u64,
    /// Wall time of the setup part, glFinish included.
    pub setup: Duration,
    /// Wall time of the timed part, glFinish included.
    pub elapsed: Duration,
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
}

/// The readbacks and measurements of one replay.
#[derive(Debug)]
pub struct Replay {
    /// Bytes of every read that ran.
    pub readbacks: Readbacks,
    /// What was run and how long it took.
    pub stats: ReplayStats,
}

/// The buffer and payload when the command at `index` is an orphan and the one after it (still
/// before `end`) writes the whole new storage of the same buffer: the pair the fold and ring
/// strategies replace. Nothing can observe the orphaned storage between the two, so replacing
/// the pair by "these bytes, in fresh storage" is exact.
fn full_rewrite(list: &CommandList, index: usize, end: usize) -> Option<(BufferId, Payload)> {
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

/// A readable name for a glGetError code.
fn gl_error_name(code: GLenum) -> &'static str {
    match code {
        gl::INVALID_ENUM => "GL_INVALID_ENUM",
        gl::INVALID_VALUE => "GL_INVALID_VALUE",
        gl::INVALID_OPERATION => "GL_INVALID_OPERATION",
        gl::INVALID_FRAMEBUFFER_OPERATION => "GL_INVALID_FRAMEBUFFER_OPERATION",
        gl::OUT_OF_MEMORY => "GL_OUT_OF_MEMORY",
        gl::STACK_UNDERFLOW => "GL_STACK_UNDERFLOW",
        gl::STACK_OVERFLOW => "GL_STACK_OVERFLOW",
        _ => "unknown",
    }
}

/// The bytes produced by the reads of one replay, by [`ReadbackId`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Readbacks {
    data: Vec<Vec<u8>>,
}

impl Readbacks {
    /// The bytes read under `id`, or `None` for an id this replay did not produce.
    pub fn get(&self, id: ReadbackId) -> Option<&[u8]> {
        self.data.get(id.index()).map(Vec::as_slice)
    }

    /// Number of readbacks.
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// True when the replay read nothing.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// All readbacks in id order.
    pub fn iter(&self) -> impl Iterator<Item = &[u8]> {
        self.data.iter().map(Vec::as_slice)
    }
}

/// What GL reports about the context, for logs and reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GlInfo {
    /// GL_VENDOR.
    pub vendor: String,
    /// GL_RENDERER.
    pub renderer: String,
    /// GL_VERSION.
    pub version: String,
}

/// Replays command lists on one GL context. See the module docs.
///
/// Each replay starts from a clean slate: objects that an earlier replay left alive are
/// deleted first. Objects of the last replay stay alive until the next replay or until the
/// renderer is dropped, which deletes them.
///
/// # Context lifetime
///
/// Dropping a renderer deletes its GL objects, so its context must still exist then:
///
/// - A renderer made by `Renderer::headless` or `Renderer::with_context` (feature `glfw`)
///   owns its `GlfwContext` and is safe by construction: every method makes that context current
///   first, `Drop` deletes the GL objects before the context is destroyed, and the context is
///   only lent out by shared reference (`Renderer::context`), so it cannot be destroyed or
///   swapped away while the renderer lives.
/// - A renderer made by [`Renderer::from_loader`] uses a context it does not own: drop it
///   while that context is current, before destroying the context. When the context is gone
///   already, call [`Renderer::abandon`] instead, which frees the renderer without calling GL.
pub struct Renderer {
    gl: Gl,
    buffers: buffers::BufferTable,
    programs: programs::ProgramTable,
    vertex_arrays: vertex_arrays::VertexArrayTable,
    framebuffers: framebuffers::FramebufferTable,
    /// Where GL's debug callback writes (pinned: GL holds its address while enabled).
    debug: std::pin::Pin<Box<debug::DebugLog>>,
    /// Set by [`Renderer::abandon`]: `Drop` makes no GL call.
    abandoned: bool,
    // Declared last: dropped after `Drop::drop` has deleted the GL objects above.
    context: Option<GlfwContext>,
}

/// Without the `glfw` feature a renderer never owns a context ([`Renderer::from_loader`] is
/// its only constructor): an owned context is a type with no values.
#[cfg(not(feature = "glfw"))]
enum GlfwContext {}

#[cfg(not(feature = "glfw"))]
impl GlfwContext {
    fn make_current(&self) {
        match *self {}
    }

    fn swap_buffers(&mut self) {
        match *self {}
    }
}

impl Renderer {
    /// A renderer on the context that is current on this thread, loading GL functions through
    /// `loader` (for example `|name| window.get_proc_address(name)`).
    ///
    /// Every GL function the renderer calls is checked once here: a null address is
    /// [`ReplayError::MissingEntryPoint`], naming the function; a context older than 4.5 is
    /// [`ReplayError::GlVersion`].
    ///
    /// # Safety
    ///
    /// The renderer calls whatever `loader` returns, so the caller promises that:
    ///
    /// - an OpenGL context is current on the calling thread, and for every name `loader`
    ///   returns either null or the address of that GL function for this context, callable
    ///   with the C signature the OpenGL 4.5 specification gives it (as `glfwGetProcAddress`,
    ///   `eglGetProcAddress` or `SDL_GL_GetProcAddress` do for the current context);
    /// - that context stays alive and is current on this thread whenever the renderer is used
    ///   or dropped: drop the renderer before destroying the context (or, if the context is
    ///   already gone, free the renderer with [`Renderer::abandon`]);
    /// - no other code deletes the GL objects the renderer creates.
    ///
    /// `Renderer::headless` and `Renderer::with_context` (feature `glfw`) keep all of these promises
    /// themselves and are safe.
    pub unsafe fn from_loader(
        mut loader: impl FnMut(&str) -> *const c_void,
    ) -> Result<Self, ReplayError> {
        let gl = Gl::load_with(&mut loader);
        Self::with_gl(gl, None, None)
    }

    /// A renderer that owns a GLFW context (feature `glfw`).
    #[cfg(feature = "glfw")]
    pub fn with_context(mut context: GlfwContext) -> Result<Self, ReplayError> {
        context.make_current();
        // GLFW's loader answers for the context made current just above, which the renderer
        // owns from here on (and makes current again before each use).
        let gl = Gl::load_with(|name| context.get_proc_address(name));
        let size = context.framebuffer_size();
        Self::with_gl(gl, Some(size), Some(context))
    }

    /// A renderer on a new headless GLFW context (null platform + OSMesa; feature `glfw`).
    #[cfg(feature = "glfw")]
    pub fn headless() -> Result<Self, ReplayError> {
        Self::with_context(GlfwContext::headless()?)
    }

    /// `screen` is the default framebuffer's size; without it, the initial viewport says.
    fn with_gl(
        gl: Gl,
        screen: Option<(u32, u32)>,
        context: Option<GlfwContext>,
    ) -> Result<Self, ReplayError> {
        let missing = entry_points::missing(&gl);
        if let Some(&name) = missing.first() {
            return Err(ReplayError::MissingEntryPoint {
                name,
                others: missing.len() - 1,
            });
        }
        let (mut major, mut minor) = (0, 0);
        // SAFETY: both pointers are valid for one GLint each; the context is current.
        unsafe {
            gl.GetIntegerv(gl::MAJOR_VERSION, &mut major);
            gl.GetIntegerv(gl::MINOR_VERSION, &mut minor);
        }
        let (width, height) = screen.unwrap_or_else(|| {
            let mut viewport = [0; 4];
            // SAFETY: GL_VIEWPORT is four GLints.
            unsafe { gl.GetIntegerv(gl::VIEWPORT, viewport.as_mut_ptr()) };
            (viewport[2].max(0) as u32, viewport[3].max(0) as u32)
        });
        let framebuffers = framebuffers::FramebufferTable::new(&gl, width, height);
        let renderer = Renderer {
            gl,
            buffers: buffers::BufferTable::default(),
            programs: programs::ProgramTable::default(),
            vertex_arrays: vertex_arrays::VertexArrayTable::default(),
            framebuffers,
            debug: Box::pin(debug::DebugLog::default()),
            abandoned: false,
            context,
        };
        if (major, minor) < (4, 5) {
            return Err(ReplayError::GlVersion {
                major,
                minor,
                version: renderer.info().version,
            });
        }
        Ok(renderer)
    }

    /// The GL function table, for hand-written GL on the same context (make it current
    /// first: [`Renderer::make_current`]).
    pub fn gl(&self) -> &Gl {
        &self.gl
    }

    /// The GLFW context, when the renderer owns one.
    ///
    /// Lent by shared reference only, so it cannot be destroyed or swapped for another while
    /// the renderer lives:
    ///
    /// ```compile_fail,E0308
    /// let mut renderer = gltape::Renderer::headless().unwrap();
    /// let other = gltape::GlfwContext::headless().unwrap();
    /// // Error: `context()` gives `&GlfwContext`, not `&mut`.
    /// drop(std::mem::replace(renderer.context().unwrap(), other));
    /// ```
    #[cfg(feature = "glfw")]
    pub fn context(&self) -> Option<&GlfwContext> {
        self.context.as_ref()
    }

    /// Makes the owned context current on this thread (a no-op for a renderer made by
    /// [`Renderer::from_loader`]). Every method that calls GL does this itself.
    pub fn make_current(&self) {
        if let Some(context) = &self.context {
            context.make_current();
        }
    }

    /// Presents the owned context's default framebuffer (a no-op when headless or when the
    /// renderer does not own its context).
    pub fn swap_buffers(&mut self) {
        if let Some(context) = self.context.as_mut() {
            context.swap_buffers();
        }
    }

    /// Frees the renderer without calling GL: for a renderer made by
    /// [`Renderer::from_loader`] whose context was destroyed first (which destroyed its GL
    /// objects too). An owned context is destroyed as usual.
    pub fn abandon(mut self) {
        self.abandoned = true;
    }

    /// GL_VENDOR, GL_RENDERER and GL_VERSION.
    pub fn info(&self) -> GlInfo {
        self.make_current();
        let string = |name| {
            // SAFETY: glGetString returns null or a static NUL-terminated string.
            unsafe {
                let ptr = self.gl.GetString(name);
                if ptr.is_null() {
                    String::new()
                } else {
                    CStr::from_ptr(ptr.cast()).to_string_lossy().into_owned()
                }
            }
        };
        GlInfo {
            vendor: string(gl::VENDOR),
            renderer: string(gl::RENDERER),
            version: string(gl::VERSION),
        }
    }

    /// Validates `list`, then replays it. See [`Renderer::replay_validated`].
    pub fn replay(&mut self, list: &CommandList) -> Result<Readbacks, ReplayError> {
        let list = list.validate()?;
        self.replay_validated(&list)
    }

    /// Replays a list validated earlier: the loop to use when replaying one list many times.
    ///
    /// Stops at the first GL error and returns it with the index of the command that raised
    /// it. Returns the bytes of every read.
    pub fn replay_validated(&mut self, list: &ValidatedList<'_>) -> Result<Readbacks, ReplayError> {
        Ok(self
            .replay_with(list, &mut ReplayOptions::default())?
            .readbacks)
    }

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
        let mut readbacks = Readbacks {
            data: Vec::with_capacity(list.readback_count() as usize),
        };
        let setup_started = Instant::now();
        let deadline = Deadline::new(setup_started, options.limits.timeout);
        self.begin()?;
        for index in 0..start {
            deadline.check(list.list(), index)?;
            self.execute(list, index, &mut readbacks)?;
        }
        self.finish();
        let setup = setup_started.elapsed();
        let started = Instant::now();
        let mut stats = ReplayStats {
            setup,
            ..ReplayStats::default()
        };
        let mut index = start;
        while index < end {
            deadline.check(list.list(), index)?;
            let rewrite = match options.stream {
                StreamStrategy::Faithful => None,
                strategy => full_rewrite(list.list(), index, end).map(|pair| (strategy, pair)),
            };
            if let Some((strategy, (buffer, data))) = rewrite {
                self.rewrite(list, index, strategy, buffer, data)?;
                stats.commands += 2;
                stats.upload_bytes += data.size();
                index += 2;
                continue;
            }
            let command = self.execute(list, index, &mut readbacks)?;
            index += 1;
            stats.commands += 1;
            match command {
                Command::CreateBuffer { data: Some(p), .. } | Command::Write { data: p, .. } => {
                    stats.upload_bytes += p.size();
                }
                Command::EndFrame => {
                    stats.frames += 1;
                    if let Some(progress) = options.progress.as_mut() {
                        progress(stats.frames);
                    }
                }
                _ => {}
            }
        }
        self.finish();
        stats.elapsed = started.elapsed();
        Ok(Replay { readbacks, stats })
    }

    /// Runs the orphan at `index` and the full write after it as `strategy` says (fold: one
    /// glBufferData; ring: the next slot of a mapped ring), rebinding vertex arrays when the
    /// buffer's bytes moved.
    fn rewrite(
        &mut self,
        list: &ValidatedList<'_>,
        index: usize,
        strategy: StreamStrategy,
        buffer: BufferId,
        data: Payload,
    ) -> Result<(), ReplayError> {
        self.debug.at(index);
        let bytes = list.payload(data);
        let gl = &self.gl;
        let moved = match strategy {
            StreamStrategy::Ring => self.buffers.orphan_into_ring(gl, buffer, bytes),
            _ => self.buffers.orphan_and_fill(gl, buffer, bytes),
        }
        .map_err(|fault| fault.at(index, "orphan"))?;
        if moved {
            let at = self
                .buffers
                .location(buffer)
                .map_err(|fault| fault.at(index, "orphan"))?;
            self.vertex_arrays.rebind(gl, buffer, at);
        }
        self.check_gl(index + 1, "write")
    }

    /// Starts a replay from a clean slate: deletes what the last one left and resets state.
    pub(crate) fn begin(&mut self) -> Result<(), ReplayError> {
        self.make_current();
        self.delete_objects();
        self.reset_state();
        self.check_gl(0, "(before replay)")
    }

    /// Runs command `index` of a validated list and checks glGetError.
    pub(crate) fn execute(
        &mut self,
        list: &ValidatedList<'_>,
        index: usize,
        readbacks: &mut Readbacks,
    ) -> Result<Command, ReplayError> {
        self.debug.at(index);
        let command = *list
            .list()
            .commands()
            .get(index)
            .ok_or(ReplayError::Internal {
                index,
                command: "(none)",
                what: "command index past the end of the list",
            })?;
        self.run(list, index, &command, readbacks)
            .map_err(|fault| fault.at(index, command.name()))?;
        self.check_gl(index, command.name())?;
        Ok(command)
    }

    /// Reads color attachment 0 of the framebuffer in use as RGBA8, rows bottom to top: what a
    /// screenshot of the replay's last frame shows. Returns width, height and pixels.
    pub fn read_framebuffer_in_use(&mut self) -> Result<(u32, u32, Vec<u8>), ReplayError> {
        self.make_current();
        let (framebuffer, width, height) = self.framebuffers.current();
        let read = crate::command::PixelRead {
            framebuffer,
            readback: ReadbackId(0),
            viewport: None,
            components: 4,
            dtype: crate::command::PixelType::F1,
            attachment: 0,
        };
        let pixels = self
            .framebuffers
            .read(&self.gl, &read)
            .map_err(|fault| fault.at(0, "(screenshot)"))?;
        self.check_gl(0, "(screenshot)")?;
        Ok((width, height, pixels))
    }

    /// The KHR_debug messages of replays run with [`ReplayOptions::debug`] since the last
    /// call, each with its command index, and how many were dropped past 10,000.
    pub fn take_debug_messages(&mut self) -> (Vec<DebugMessage>, usize) {
        self.debug.take()
    }

    /// Waits until GL has finished all queued work (glFinish), for honest timings.
    pub fn finish(&self) {
        self.make_current();
        // SAFETY: no arguments; the context is current.
        unsafe { self.gl.Finish() }
    }

    fn run(
        &mut self,
        list: &ValidatedList<'_>,
        index: usize,
        command: &Command,
        readbacks: &mut Readbacks,
    ) -> Result<(), Fault> {
        let gl = &self.gl;
        match *command {
            Command::CreateBuffer {
                buffer,
                dynamic,
                size,
                data,
            } => {
                let data = data.map(|p| list.payload(p));
                self.buffers.create(gl, buffer, dynamic, size, data)
            }
            Command::Write {
                buffer,
                offset,
                data,
            } => self.buffers.write(gl, buffer, offset, list.payload(data)),
            Command::Orphan { buffer, size } => {
                // Fresh storage is undefined in GL (llvmpipe hands out recycled heap memory):
                // zero it unless the next command overwrites all of it.
                let overwritten = full_rewrite(list.list(), index, list.list().len()).is_some();
                if self.buffers.orphan(gl, buffer, size, !overwritten)? {
                    self.vertex_arrays
                        .rebind(gl, buffer, self.buffers.location(buffer)?);
                }
                Ok(())
            }
            Command::ClearBuffer {
                buffer,
                chunk,
                offset,
                size,
            } => {
                let chunk = chunk.map(|p| list.payload(p));
                self.buffers.clear(gl, buffer, offset, size, chunk)
            }
            Command::Read {
                buffer,
                offset,
                size,
                ..
            } => {
                readbacks
                    .data
                    .push(self.buffers.read(gl, buffer, offset, size)?);
                Ok(())
            }
            Command::CopyBuffer { copy } => self.buffers.copy(gl, list.entry(copy)),
            Command::CreateProgram { desc, .. } => self.programs.create(gl, list.entry(desc)),
            Command::Uniform {
                program,
                name,
                ty,
                data,
            } => self.programs.set_uniform(
                gl,
                program,
                list.entry(name).as_str(),
                ty,
                list.payload(data),
            ),
            Command::CreateVertexArray { desc, .. } => {
                self.vertex_arrays
                    .create(gl, list.entry(desc), &self.programs, &self.buffers)
            }
            Command::Render { vertex_array, draw } => {
                let program = self
                    .programs
                    .get(self.vertex_arrays.program(vertex_array)?)?;
                self.framebuffers.draw_only(gl, program.fragment_outputs)?;
                self.vertex_arrays
                    .render(gl, vertex_array, &draw, &self.programs, &self.buffers)
            }
            Command::Transform { transform } => self.vertex_arrays.transform(
                gl,
                list.entry(transform),
                &self.programs,
                &self.buffers,
            ),
            Command::CreateFramebuffer { desc, .. } => {
                self.framebuffers.create(gl, list.entry(desc))
            }
            Command::UseFramebuffer { framebuffer } => {
                self.framebuffers.use_framebuffer(gl, framebuffer)
            }
            Command::Viewport { framebuffer, rect } => {
                self.framebuffers.viewport(gl, framebuffer, rect)
            }
            Command::ClearFramebuffer { clear } => self.framebuffers.clear(gl, list.entry(clear)),
            Command::ReadPixels { read } => {
                let pixels = self.framebuffers.read(gl, list.entry(read))?;
                readbacks.data.push(pixels);
                Ok(())
            }
            Command::SetCapability {
                capability,
                enabled,
            } => {
                // SAFETY: a valid capability enum.
                unsafe {
                    if enabled {
                        gl.Enable(gl_enum::capability(capability));
                    } else {
                        gl.Disable(gl_enum::capability(capability));
                    }
                }
                Ok(())
            }
            Command::EndFrame => Ok(()),
            Command::Release { object } => match object {
                Object::Buffer(buffer) => self.buffers.release(gl, buffer),
                Object::Program(program) => {
                    self.vertex_arrays.forget_bindings();
                    self.programs.release(gl, program)
                }
                Object::VertexArray(vao) => self.vertex_arrays.release(gl, vao),
                Object::Framebuffer(fbo) => self.framebuffers.release(gl, fbo),
            },
        }
    }

    fn check_gl(&self, index: usize, command: &'static str) -> Result<(), ReplayError> {
        // SAFETY: no arguments; the context is current.
        let code = unsafe { self.gl.GetError() };
        if code == gl::NO_ERROR {
            return Ok(());
        }
        // Drain the other flags GL may hold so the next replay starts clean.
        // SAFETY: as above.
        while unsafe { self.gl.GetError() } != gl::NO_ERROR {}
        Err(ReplayError::Gl {
            index,
            command,
            code,
        })
    }

    /// Deletes every object of the last replay (vertex arrays before what they reference).
    fn delete_objects(&mut self) {
        self.vertex_arrays.delete_all(&self.gl);
        self.framebuffers.delete_all(&self.gl);
        self.programs.delete_all(&self.gl);
        self.buffers.delete_all(&self.gl);
    }

    /// Puts the GL state a list may change back to where every replay starts: the screen
    /// bound with its full viewport and zeroed, no program or vertex array, capabilities off,
    /// blending (when enabled) as SRC_ALPHA / ONE_MINUS_SRC_ALPHA, tight pixel packing.
    fn reset_state(&mut self) {
        self.vertex_arrays.forget_bindings();
        let gl = &self.gl;
        // SAFETY: plain state changes with valid enums.
        unsafe {
            gl.UseProgram(0);
            gl.BindVertexArray(0);
            for capability in [gl::DEPTH_TEST, gl::CULL_FACE, gl::BLEND, gl::SCISSOR_TEST] {
                gl.Disable(capability);
            }
            gl.DepthFunc(gl::LESS);
            gl.BlendFunc(gl::SRC_ALPHA, gl::ONE_MINUS_SRC_ALPHA);
            gl.PixelStorei(gl::PACK_ALIGNMENT, 1);
            gl.PixelStorei(gl::UNPACK_ALIGNMENT, 1);
        }
        // After the scissor test is off, so that the screen is zeroed whole.
        self.framebuffers.bind_screen(&self.gl);
    }

    /// GL objects this renderer holds right now (buffers, programs, vertex arrays,
    /// framebuffers and their renderbuffers): what a leak check counts.
    pub fn live_objects(&self) -> usize {
        self.buffers.live()
            + self.programs.live()
            + self.vertex_arrays.live()
            + self.framebuffers.live()
    }
}

impl Drop for Renderer {
    fn drop(&mut self) {
        if self.abandoned {
            return;
        }
        self.make_current();
        // Never leave GL holding the address of the log that is about to be freed.
        if self.debug.is_registered() {
            self.debug.disable(&self.gl);
        }
        self.delete_objects();
        self.buffers.delete_spares(&self.gl);
        // Only now, with every GL object deleted, does `context` (declared last) drop and
        // destroy an owned context.
    }
}

/// KHR_debug output registered for one replay. Dropping it unregisters GL's callback, so
/// GL never keeps the address of the renderer's log past the replay, even when the replay
/// unwinds from a panicking progress callback.
struct DebugSession<'r> {
    renderer: &'r mut Renderer,
}

impl<'r> DebugSession<'r> {
    fn start(renderer: &'r mut Renderer) -> Self {
        renderer.make_current();
        renderer.debug.enable(&renderer.gl);
        DebugSession { renderer }
    }
}

impl Drop for DebugSession<'_> {
    fn drop(&mut self) {
        self.renderer.make_current();
        self.renderer.debug.disable(&self.renderer.gl);
    }
}

/// `len` zero bytes for a readback, or [`Fault::OutOfMemory`] instead of an abort.
fn readback_vec(len: u64) -> Result<Vec<u8>, Fault> {
    let fail = Fault::OutOfMemory { bytes: len };
    let n = usize::try_from(len).map_err(|_| fail.clone())?;
    let mut bytes = Vec::new();
    bytes.try_reserve_exact(n).map_err(|_| fail)?;
    bytes.resize(n, 0);
    Ok(bytes)
}

/// A failure inside one command, before it is tied to the command's index.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Fault {
    /// Validation passed but the list disagrees with itself (a missing payload or a GL name
    /// that does not exist): a bug in gltape, reported instead of handed to GL.
    Corrupt(&'static str),
    /// glMapBufferRange or glUnmapBuffer failed.
    Map,
    /// A compile or link failure.
    Program { stage: &'static str, log: String },
    /// A uniform that does not match the linked program.
    Uniform { name: String, problem: String },
    /// A transform output that could overflow its buffer.
    Overflow {
        buffer: BufferId,
        needed: u64,
        available: u64,
    },
    /// An incomplete framebuffer.
    Incomplete { status: GLenum },
    /// A check that needs the context (the screen's size).
    Invalid(ValidationError),
    /// A readback of `bytes` bytes could not be allocated.
    OutOfMemory { bytes: u64 },
}

impl Fault {
    fn at(self, index: usize, command: &'static str) -> ReplayError {
        match self {
            Fault::Corrupt(what) => ReplayError::Internal {
                index,
                command,
                what,
            },
            Fault::Map => ReplayError::Map { index, command },
            Fault::Program { stage, log } => ReplayError::Program { index, stage, log },
            Fault::Uniform { name, problem } => ReplayError::Uniform {
                index,
                name,
                problem,
            },
            Fault::Overflow {
                buffer,
                needed,
                available,
            } => ReplayError::TransformOverflow {
                index,
                buffer,
                needed,
                available,
            },
            Fault::Incomplete { status } => ReplayError::Framebuffer { index, status },
            Fault::Invalid(error) => ReplayError::Invalid(InvalidList {
                index,
                command,
                error,
            }),
            Fault::OutOfMemory { bytes } => ReplayError::OutOfMemory {
                index,
                command,
                bytes,
            },
        }
    }
}
