//! Replays command lists on an OpenGL 4.5 core context.
//!
//! A [`Renderer`] owns a GL function table and id -> GL-name tables (`Vec`s indexed by the dense
//! ids). A list is validated once ([`CommandList::validate`]); replay then runs without
//! per-command argument checks, and it never hands GL a range that validation did not check.
//! It asks glGetError after every command (once per run of buffer writes and repeated draws)
//! and stops at the first error, naming the command.

mod blocks;
mod buffers;
mod compute;
mod debug;
mod entry_points;
mod error;
mod exec;
mod framebuffers;
mod gl_enum;
mod options;
mod pipeline;
mod programs;
mod queries;
mod renderbuffers;
mod ring;
mod samplers;
mod stream;
mod submit;
mod textures;
mod vertex_arrays;

pub use error::ReplayError;
use error::{readback_vec, Fault};
pub use options::{
    FrameTime, PassTime, ReadIntoError, Readbacks, Replay, ReplayOptions, ReplayStats,
    SteadyUpload, StreamStrategy,
};

use crate::command::{CommandList, ValidatedList};
pub use crate::command::{Limit, LimitExceeded, ReplayLimits};
use crate::context::Context;
use crate::gl::{self, Gl};
use crate::ids::ReadbackId;
use std::ffi::{c_void, CStr};

pub use debug::DebugMessage;

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

/// What the screen is: the context's default framebuffer or a framebuffer of the host's,
/// with its size in pixels ([`Renderer::set_screen`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    /// GL framebuffer 0 (a window's back buffer, or a headless context's surface).
    Default {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
    /// A complete framebuffer object of the host's, drawn through color attachment 0.
    Framebuffer {
        /// Its GL name; the host keeps it alive while the renderer uses it.
        name: u32,
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
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
/// - A renderer made by `Renderer::headless` or `Renderer::with_context` (feature `egl` or
///   `glfw`) owns its `Context` and is safe by construction: every method makes that context
///   current first, `Drop` deletes the GL objects before the context is destroyed, and the
///   context is only lent out by shared reference (`Renderer::context`), so it cannot be destroyed or
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
    renderbuffers: renderbuffers::RenderbufferTable,
    textures: textures::TextureTable,
    samplers: samplers::SamplerTable,
    /// What each uniform and storage block binding holds.
    blocks: blocks::BlockBindings,
    queries: queries::QueryTable,
    /// GL_MAX_TEXTURE_MAX_ANISOTROPY, or 0 where GL has no anisotropic filtering.
    max_anisotropy: f32,
    /// GL_MAX_COMPUTE_WORK_GROUP_COUNT per axis, which indirect dispatches are checked
    /// against.
    max_groups: [u32; 3],
    /// The most work (vertices x instances, or work groups) one indirect command read back
    /// at replay may ask for: the replay's `max_draw_work`, unlimited outside
    /// [`Renderer::replay_with`] (submissions and captures run trusted, recorded code).
    indirect_work_limit: u64,
    /// The context state the commands run so far have left (see `pipeline`).
    state: pipeline::GlState,
    /// The vertex array of the last draw, when it passed the checks and binds before a draw
    /// and nothing run since could change their outcome (see `exec::keeps_draw_checked`);
    /// `None` at the start of every replay and submission, and after `set_screen` and
    /// `reset`.
    checked_draw: Option<crate::ids::VertexArrayId>,
    /// The first command run since glGetError was last asked, when it was left for later
    /// (see `Renderer::execute`): its index and name.
    unchecked: Option<(usize, &'static str)>,
    /// Give the host its context state back after each replay or submission.
    restore_host_state: bool,
    /// The recording session whose objects the renderer holds, and the next segment of it.
    session: Option<submit::Place>,
    /// Where GL's debug callback writes (pinned: GL holds its address while enabled).
    debug: std::pin::Pin<Box<debug::DebugLog>>,
    /// Set by [`Renderer::abandon`]: `Drop` makes no GL call.
    abandoned: bool,
    // Declared last: dropped after `Drop::drop` has deleted the GL objects above. Without a
    // backend feature `Context` has no values: `from_loader` is then the only constructor.
    context: Option<Context>,
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
    /// `Renderer::headless` and `Renderer::with_context` (feature `egl` or `glfw`) keep all of
    /// these promises themselves and are safe.
    pub unsafe fn from_loader(
        mut loader: impl FnMut(&str) -> *const c_void,
    ) -> Result<Self, ReplayError> {
        let gl = Gl::load_with(&mut loader);
        Self::with_gl(gl, None, None)
    }

    /// A renderer that owns `context` (an `EglContext`, a `GlfwContext` or a [`Context`];
    /// feature `egl` or `glfw`). Its
    /// screen is the context's: GLFW's default framebuffer, or EGL's offscreen one.
    #[cfg(any(feature = "egl", feature = "glfw"))]
    pub fn with_context(context: impl Into<Context>) -> Result<Self, ReplayError> {
        let mut context = context.into();
        context.make_current();
        // The context's loader answers for the context made current just above, which the
        // renderer owns from here on (and makes current again before each use).
        let gl = Gl::load_with(|name| context.get_proc_address(name));
        let screen = context.screen();
        Self::with_gl(gl, Some(screen), Some(context))
    }

    /// A renderer on a new headless 64x64 context: surfaceless EGL (feature `egl`), else
    /// GLFW's null platform with OSMesa (feature `glfw`), or the backend that the environment
    /// variable `GLTAPE_BACKEND` (`egl`, `osmesa`) names. See [`Context::headless`].
    #[cfg(any(feature = "egl", feature = "glfw"))]
    pub fn headless() -> Result<Self, ReplayError> {
        let side = Context::HEADLESS_SIDE;
        Self::with_context(Context::headless(side, side)?)
    }

    /// `screen` is the GL name and size of the framebuffer that plays the default one;
    /// without it, framebuffer 0 of the initial viewport's size.
    fn with_gl(
        gl: Gl,
        screen: Option<(u32, u32, u32)>,
        context: Option<Context>,
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
        let (screen, width, height) = screen.unwrap_or_else(|| {
            let mut viewport = [0; 4];
            // SAFETY: GL_VIEWPORT is four GLints.
            unsafe { gl.GetIntegerv(gl::VIEWPORT, viewport.as_mut_ptr()) };
            (0, viewport[2].max(0) as u32, viewport[3].max(0) as u32)
        });
        let framebuffers = framebuffers::FramebufferTable::new(&gl, screen, width, height);
        let max_anisotropy = max_anisotropy(&gl);
        let blocks = blocks::BlockBindings::new(&gl);
        let max_groups = compute::max_groups(&gl);
        let renderer = Renderer {
            gl,
            buffers: buffers::BufferTable::default(),
            programs: programs::ProgramTable::default(),
            vertex_arrays: vertex_arrays::VertexArrayTable::default(),
            framebuffers,
            renderbuffers: renderbuffers::RenderbufferTable::default(),
            textures: textures::TextureTable::default(),
            samplers: samplers::SamplerTable::default(),
            blocks,
            queries: queries::QueryTable::default(),
            max_anisotropy,
            max_groups,
            indirect_work_limit: u64::MAX,
            state: pipeline::GlState::MODERNGL,
            checked_draw: None,
            unchecked: None,
            restore_host_state: false,
            session: None,
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

    /// The context, when the renderer owns one (its [`Context::backend`] says which).
    ///
    /// Lent by shared reference only, so it cannot be destroyed or swapped for another while
    /// the renderer lives:
    ///
    /// ```compile_fail,E0596
    /// let mut renderer = gltape::Renderer::headless().unwrap();
    /// let other = gltape::Context::headless(64, 64).unwrap();
    /// // Error: `context()` gives `&Context`, not `&mut`.
    /// drop(std::mem::replace(renderer.context().unwrap(), other));
    /// ```
    #[cfg(any(feature = "egl", feature = "glfw"))]
    pub fn context(&self) -> Option<&Context> {
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
    /// it (see [`ReplayError::Gl`]). Returns the bytes of every read.
    pub fn replay_validated(&mut self, list: &ValidatedList<'_>) -> Result<Readbacks, ReplayError> {
        Ok(self
            .replay_with(list, &mut ReplayOptions::default())?
            .readbacks)
    }

    /// Starts a replay from a clean slate: deletes what the last one left and resets state.
    pub(crate) fn begin(&mut self) -> Result<(), ReplayError> {
        self.make_current();
        self.delete_objects();
        self.session = None;
        self.reset_state();
        self.unchecked = None;
        self.check_gl(0, "(before replay)")
    }

    /// Deletes every object the renderer holds and forgets its recording session, so that
    /// the next [`Renderer::submit`] must be a session's first segment.
    pub fn reset(&mut self) {
        self.make_current();
        self.delete_objects();
        self.session = None;
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

    fn check_gl(&self, index: usize, command: &'static str) -> Result<(), ReplayError> {
        // SAFETY: no arguments; the context is current.
        let code = unsafe { self.gl.GetError() };
        if code == gl::NO_ERROR {
            return Ok(());
        }
        Err(self.gl_error(index, command, code))
    }

    /// The error for GL error `code` raised by command `index`; drains the other flags GL
    /// may hold so that the next replay starts clean.
    #[cold]
    fn gl_error(
        &self,
        index: usize,
        command: &'static str,
        code: gl::types::GLenum,
    ) -> ReplayError {
        // SAFETY: no arguments; the context is current.
        while unsafe { self.gl.GetError() } != gl::NO_ERROR {}
        ReplayError::Gl {
            index,
            command,
            code,
        }
    }

    /// Deletes every object of the last replay (vertex arrays before what they reference;
    /// queries ended first) and forgets the texture and image units and block bindings they
    /// were bound to.
    fn delete_objects(&mut self) {
        self.checked_draw = None;
        self.queries.delete_all(&self.gl);
        self.vertex_arrays.delete_all(&self.gl);
        self.framebuffers.delete_all(&self.gl);
        self.renderbuffers.delete_all(&self.gl);
        self.programs.delete_all(&self.gl);
        self.buffers.delete_all(&self.gl);
        self.textures.delete_all(&self.gl);
        self.samplers.delete_all(&self.gl);
        self.state.unbind_textures();
        self.blocks.clear();
        self.state.unbind_block_buffers();
    }

    /// Puts the GL state a list may change back to where every replay starts: the state of
    /// a new ModernGL context, nothing bound, the screen in use with its full viewport and
    /// zeroed.
    fn reset_state(&mut self) {
        self.state = pipeline::GlState::MODERNGL;
        self.resume_state();
        // After the scissor test is off, so that the screen is zeroed whole.
        self.framebuffers.bind_screen(&self.gl);
    }

    /// Sets again every piece of GL state the commands so far have left (the host may have
    /// changed any of it since): the pipeline state, no program or vertex array bound, the
    /// framebuffer in use with its viewport.
    fn resume_state(&mut self) {
        self.checked_draw = None;
        self.vertex_arrays.forget_bindings();
        self.state.apply(&self.gl);
        self.framebuffers.resume(&self.gl);
    }

    /// Gives the host its context state back after every replay and submission (off by
    /// default): bindings, viewport and scissor box, capabilities, blend, depth, stencil and
    /// color masks, rasterization and pixel-store state, as listed in docs/embedding.md. It
    /// costs a read of that state before and a write after each call.
    pub fn restore_host_state(&mut self, on: bool) {
        self.restore_host_state = on;
    }

    /// Runs `run` between a read of the host's state and its restoration, when
    /// [`Renderer::restore_host_state`] is on.
    fn with_host_state<T>(
        &mut self,
        run: impl FnOnce(&mut Self) -> Result<T, ReplayError>,
    ) -> Result<T, ReplayError> {
        // A submission after the first of its session starts no replay (`begin`), which
        // would make the context current: another context may be current since.
        self.make_current();
        if !self.restore_host_state {
            return self.run_and_stop_queries(run);
        }
        let screen = self.framebuffers.screen_name();
        let host = pipeline::HostState::read(&self.gl, screen);
        let result = self.run_and_stop_queries(run);
        self.make_current();
        host.apply(&self.gl, screen);
        let restored = self.check_gl(0, "(restoring the host's state)");
        result.and_then(|value| restored.map(|()| value))
    }

    /// Runs `run`, then ends the queries and conditional render it left running (a list
    /// may end inside one), so that nothing the host draws afterwards counts or is dropped.
    fn run_and_stop_queries<T>(
        &mut self,
        run: impl FnOnce(&mut Self) -> Result<T, ReplayError>,
    ) -> Result<T, ReplayError> {
        let result = run(self);
        self.make_current();
        self.queries.stop(&self.gl);
        result
    }

    /// The size of the screen ([`FramebufferId::SCREEN`](crate::FramebufferId::SCREEN)) in
    /// pixels: what a full-screen read returns, and what resource limits count it as.
    pub fn screen_size(&self) -> (u32, u32) {
        self.framebuffers.screen_size()
    }

    /// Points the screen ([`FramebufferId::SCREEN`](crate::FramebufferId::SCREEN): what
    /// draws go to before a list uses a framebuffer, what screen reads and screenshots read)
    /// at `target`, for a host whose window was resized or that renders into its own
    /// framebuffer. Takes effect at once, also for the objects of a running session.
    ///
    /// [`Screen::Default`] is the context's own screen: framebuffer 0, or the offscreen
    /// framebuffer of a headless EGL renderer, which keeps the size it was made with (another
    /// size is [`ReplayError::ScreenSize`]).
    pub fn set_screen(&mut self, target: Screen) -> Result<(), ReplayError> {
        self.make_current();
        let (name, width, height) = match target {
            Screen::Default { width, height } => {
                if let Some(offscreen) = self.offscreen_screen() {
                    if (width, height) != offscreen {
                        return Err(ReplayError::ScreenSize {
                            width,
                            height,
                            offscreen,
                        });
                    }
                }
                (None, width, height)
            }
            Screen::Framebuffer {
                name,
                width,
                height,
            } => (Some(name), width, height),
        };
        self.checked_draw = None;
        self.framebuffers.set_screen(&self.gl, name, width, height);
        Ok(())
    }

    /// The size of an owned context's offscreen screen (a headless EGL context's).
    fn offscreen_screen(&self) -> Option<(u32, u32)> {
        let (name, width, height) = self.context.as_ref()?.screen();
        (name != 0).then_some((width, height))
    }

    /// GL objects this renderer holds right now (buffers, programs, vertex arrays,
    /// framebuffers and their renderbuffers, renderbuffers, textures, samplers, queries):
    /// what a leak check counts.
    pub fn live_objects(&self) -> usize {
        self.queries.live()
            + self.buffers.live()
            + self.programs.live()
            + self.vertex_arrays.live()
            + self.framebuffers.live()
            + self.renderbuffers.live()
            + self.textures.live()
            + self.samplers.live()
    }
}

/// The context's GL_MAX_TEXTURE_MAX_ANISOTROPY, or 0 where GL has none (a GL 4.5 context
/// without ARB/EXT_texture_filter_anisotropic refuses the query; the error is cleared).
fn max_anisotropy(gl: &Gl) -> f32 {
    let mut max = 0.0f32;
    // SAFETY: the query writes one GLfloat, or raises INVALID_ENUM and writes nothing.
    unsafe {
        gl.GetFloatv(gl_enum::MAX_TEXTURE_MAX_ANISOTROPY, &mut max);
        if gl.GetError() != gl::NO_ERROR {
            while gl.GetError() != gl::NO_ERROR {}
            return 0.0;
        }
    }
    max
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
