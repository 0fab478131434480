//! Why a replay fails: [`ReplayError`] for callers, and [`Fault`], a failure inside one
//! command before it is tied to the command's index.

use crate::command::{InvalidList, Limit, LimitExceeded, ValidationError};
#[cfg(any(feature = "egl", feature = "glfw"))]
use crate::context::ContextError;
use crate::gl::{self, types::GLenum};
use std::time::Duration;

/// Why a replay (or the renderer's creation) failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReplayError {
    /// [`Screen::Default`](crate::Screen::Default) of another size than a headless EGL
    /// renderer's offscreen screen, which keeps the size it was made with.
    #[error("the screen is an offscreen framebuffer of {}x{} pixels; it cannot be {width}x{height} (make a renderer of that size)", offscreen.0, offscreen.1)]
    ScreenSize {
        /// The width asked for.
        width: u32,
        /// The height asked for.
        height: u32,
        /// The offscreen screen's width and height.
        offscreen: (u32, u32),
    },
    /// A segment submitted out of its session's order; nothing was run. A renderer runs the
    /// segments of one recording session in order, each once, starting from the first.
    #[error("segment {sequence} of a recording session cannot run here: {}", match expected {
        Some(next) => format!("this renderer runs segment {next} of that session next"),
        None => "this renderer holds no objects of that session; submit the session's first segment (0)".to_owned(),
    })]
    Segment {
        /// The submitted segment's place in its session.
        sequence: u64,
        /// The place the renderer expects next in that session, when it holds the session.
        expected: Option<u64>,
    },
    /// A command uses an object the renderer does not hold: the list was recorded after a
    /// [`Recorder::flush`](crate::Recorder::flush) and uses objects of earlier segments.
    #[error("command #{index} ({command}) uses a {kind} this renderer does not hold: a list recorded after a flush runs only as its session's segment (Renderer::submit)")]
    MissingObject {
        /// Index of the command.
        index: usize,
        /// Its name.
        command: &'static str,
        /// The kind of object.
        kind: &'static str,
    },
    /// The list failed validation; nothing was replayed.
    #[error("invalid command list: {0}")]
    Invalid(#[from] InvalidList),
    /// GL raised an error; the commands after `index` were not run.
    ///
    /// glGetError is asked once per run of buffer writes and of draws that repeat the draw
    /// before them, whose arguments validation proved (GL can fail them only for lack of
    /// memory): an error such a run raises is reported at its first command, and commands of
    /// the run after it may have run. Replay with `ReplayOptions::debug` to have every command
    /// checked at once (and each KHR_debug message tagged with its command).
    #[error("GL error {} (0x{code:04X}) raised by command #{index} ({command})", gl_error_name(*.code))]
    Gl {
        /// Index of the command that raised it (or the first of the run that did).
        index: usize,
        /// Its name.
        command: &'static str,
        /// The glGetError code.
        code: GLenum,
    },
    /// A shader failed to compile or the program failed to link; the rest of the list was
    /// not run.
    #[error("command #{index} ({command}): {stage} {}failed:\n{log}", if *.stage == "link" { "" } else { "shader " })]
    Program {
        /// Index of the command.
        index: usize,
        /// Its name (`create_program` or `create_compute_shader`).
        command: &'static str,
        /// "vertex", "geometry", "fragment", "compute" or "link".
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
    /// A uniform or storage block the linked program lacks (`block_binding`), or one a draw's
    /// program reads through a binding that holds no buffer or too few bytes.
    #[error("command #{index} ({command}): block {name:?}: {problem}")]
    Block {
        /// Index of the command.
        index: usize,
        /// Its name.
        command: &'static str,
        /// The block's name.
        name: String,
        /// What is wrong.
        problem: String,
    },
    /// A vertex array field that cannot feed the shader input it names (the input's type
    /// takes other data, or the field's components do not split 1 to 4 per location).
    #[error("command #{index} (vertex_array): attribute {name:?}: {problem}")]
    Attribute {
        /// Index of the command.
        index: usize,
        /// The attribute name.
        name: String,
        /// What is wrong.
        problem: String,
    },
    /// GL reported a framebuffer incomplete: GL cannot render to its attachments (or, for a
    /// new renderbuffer, to the renderbuffer's format).
    #[error("command #{index} ({command}): framebuffer incomplete (status 0x{status:04X}): GL cannot render to these attachments")]
    Framebuffer {
        /// Index of the command.
        index: usize,
        /// Its name.
        command: &'static str,
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
    /// The renderer's context could not be created.
    #[cfg(any(feature = "egl", feature = "glfw"))]
    #[error(transparent)]
    Context(#[from] ContextError),
}

/// A readable name for a glGetError code.
pub(super) fn gl_error_name(code: GLenum) -> &'static str {
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

/// `len` zero bytes for a readback, or [`Fault::OutOfMemory`] instead of an abort.
pub(super) fn readback_vec(len: u64) -> Result<Vec<u8>, Fault> {
    let fail = Fault::OutOfMemory { bytes: len };
    let n = usize::try_from(len).map_err(|_| fail.clone())?;
    let mut bytes = Vec::new();
    bytes.try_reserve_exact(n).map_err(|_| fail)?;
    bytes.resize(n, 0);
    Ok(bytes)
}

/// A failure inside one command, before it is tied to the command's index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Fault {
    /// Validation passed but the list disagrees with itself (a missing payload or a GL name
    /// that does not exist): a bug in gltape, reported instead of handed to GL.
    Corrupt(&'static str),
    /// An object the command uses does not exist on this renderer (a list recorded after
    /// a flush, replayed alone).
    Missing(&'static str),
    /// glMapBufferRange or glUnmapBuffer failed.
    Map,
    /// A compile or link failure.
    Program { stage: &'static str, log: String },
    /// A uniform that does not match the linked program.
    Uniform { name: String, problem: String },
    /// A vertex array field that cannot feed the shader input it names.
    Attribute { name: String, problem: String },
    /// A block the linked program lacks, or one a draw reads from too few bytes.
    Block { name: String, problem: String },
    /// An incomplete framebuffer.
    Incomplete { status: GLenum },
    /// A check that needs the context (the screen's size).
    Invalid(ValidationError),
    /// A readback of `bytes` bytes could not be allocated.
    OutOfMemory { bytes: u64 },
    /// Indirect commands read back at replay ask for `value` work, over the replay's
    /// `max_draw_work` of `max`.
    Limit { value: u64, max: u64 },
}

impl Fault {
    pub(super) fn at(self, index: usize, command: &'static str) -> ReplayError {
        match self {
            Fault::Corrupt(what) => ReplayError::Internal {
                index,
                command,
                what,
            },
            Fault::Missing(kind) => ReplayError::MissingObject {
                index,
                command,
                kind,
            },
            Fault::Map => ReplayError::Map { index, command },
            Fault::Program { stage, log } => ReplayError::Program {
                index,
                command,
                stage,
                log,
            },
            Fault::Uniform { name, problem } => ReplayError::Uniform {
                index,
                name,
                problem,
            },
            Fault::Attribute { name, problem } => ReplayError::Attribute {
                index,
                name,
                problem,
            },
            Fault::Block { name, problem } => ReplayError::Block {
                index,
                command,
                name,
                problem,
            },
            Fault::Incomplete { status } => ReplayError::Framebuffer {
                index,
                command,
                status,
            },
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
            Fault::Limit { value, max } => ReplayError::Limit(LimitExceeded {
                index,
                command,
                limit: Limit::DrawWork,
                value,
                max,
            }),
        }
    }
}
