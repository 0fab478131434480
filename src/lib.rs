//! gltape: an immediate-mode OpenGL command recorder with replay.
//!
//! Calls follow ModernGL's buffer model; each is checked and recorded into a compact
//! [`CommandList`] without touching GL, then a [`Renderer`] replays the list on an OpenGL 4.5
//! core context (headless by default).
//!
//! ```
//! # #[cfg(any(feature = "egl", feature = "glfw"))]
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use gltape::{Recorder, Renderer};
//!
//! let mut rec = Recorder::new();
//! let buf = rec.buffer_reserve(8, true)?;            // ctx.buffer(reserve=8, dynamic=True)
//! rec.write(buf, 2, &[1u8, 2, 3])?;                  // buf.write(b"\x01\x02\x03", offset=2)
//! let all = rec.read(buf, None, 0)?;                 // buf.read()
//! let list = rec.finish();
//!
//! let mut renderer = Renderer::headless()?;          // surfaceless EGL, else OSMesa
//! let readbacks = renderer.replay(&list)?;
//! assert_eq!(readbacks.get(all), Some(&[0, 0, 1, 2, 3, 0, 0, 0][..]));
//! # Ok(())
//! # }
//! # #[cfg(not(any(feature = "egl", feature = "glfw")))]
//! # fn main() {}
//! ```
//!
//! # What is here
//!
//! - Recording, no GL needed: [`Recorder`], the [`CommandList`] it writes, its argument
//!   types ([`Draw`], [`Mode`], [`ProgramDesc`], [`ColorFormat`], [`TextureDesc`],
//!   [`TextureParameter`], ...), the ids, and
//!   [`ValidationError`]. The list's contents (every [`command::Command`] and its side
//!   tables) are in [`command`], for tools that inspect or build lists.
//! - Replay: [`Renderer`] with [`ReplayOptions`], [`ReplayLimits`] and [`StreamStrategy`];
//!   [`Capture`] for immediate mode.
//! - Files: [`trace`] (load, save, decode, encode), [`text`] (dump, assemble) and [`verify`]
//!   (readbacks against a trace's digests).
//! - [`gl`]: the raw OpenGL 4.5 core bindings, for hand-written GL beside a renderer.
//!
//! # Features
//!
//! - `egl` (default): surfaceless EGL contexts (`EglContext`, no window system, no GLFW;
//!   `libEGL.so.1` is loaded at run time, so it builds with rustc alone), and with it
//!   `Context`, `Backend`, `Renderer::headless`, `Renderer::with_context` and
//!   `Capture::headless`. A headless renderer is EGL's, else OSMesa's, or the backend the
//!   environment variable `GLTAPE_BACKEND` (`egl`, `osmesa`) names.
//! - `glfw` (default): GLFW contexts, `GlfwContext` (OSMesa headless, or an X11 window), and
//!   the same entry points. It builds GLFW 3.4 from source, so it needs cmake, a C compiler
//!   and X11 headers. Without `egl` and `glfw` there is no owned context, and
//!   [`Renderer::from_loader`] replays on a context the application brings.
//! - `cli` (default, implies `glfw`): the `gltape` binary (clap, indicatif, png) and the
//!   modules only it, the tests and the benches use: `scene` (built-in workloads), `image`
//!   (PNG output) and `terminal` (printing untrusted strings).
//!
//! An embedder that brings its own context depends on
//! `gltape = { version = "0.1", default-features = false }`; one that wants a headless
//! renderer without a C toolchain adds `features = ["egl"]`.

#![deny(missing_docs)]
// Nothing that comes from a caller or a trace may panic: no unwrap, expect or unchecked
// indexing in the library. Tests may (a failed unwrap is a failed test).
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
#![cfg_attr(
    test,
    allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        reason = "tests fail loudly on purpose"
    )
)]

mod capture;
pub mod command;
mod context;
pub mod gl;
mod ids;
#[cfg(feature = "cli")]
pub mod image;
mod input;
mod record;
mod replay;
#[cfg(feature = "cli")]
pub mod scene;
#[cfg(feature = "cli")]
pub mod terminal;
// Without the CLI only the text dump uses it (through `TerminalSafeJson`).
#[cfg(not(feature = "cli"))]
#[allow(dead_code, reason = "the CLI's helpers, unused by the library alone")]
mod terminal;
pub mod text;
pub mod trace;
mod uniform;
pub mod verify;
pub mod vertex_format;

pub use capture::{Capture, CaptureError};
pub use command::{
    Attachment, Barriers, BlendEquation, BlendFactor, BlockKind, Capability, ColorFormat,
    CommandList, CompareFunc, CopyTarget, Draw, Face, Float, ImageAccess, ImageFormat,
    InternalFormat, MagFilter, MinFilter, Mode, PixelType, ProgramDesc, QueryKinds, QueryResult,
    Rect, Segment, StencilAction, Swizzle, TextureDesc, TextureKind, TextureParameter,
    TextureRegion, TextureWrite, ValidatedList, ValidationError, VaryingsMode, Winding,
};
#[cfg(feature = "egl")]
pub use context::EglContext;
#[cfg(any(feature = "egl", feature = "glfw"))]
pub use context::{Backend, Context, ContextError, BACKEND_VARIABLE};
#[cfg(feature = "glfw")]
pub use context::{ContextOptions, GlfwContext, Surface};
pub use ids::{
    BufferId, FramebufferId, ProgramId, QueryId, ReadbackId, RenderbufferId, SamplerId, TextureId,
    VertexArrayId,
};
pub use record::Recorder;
pub use replay::{
    DebugMessage, FrameTime, GlInfo, Limit, LimitExceeded, PassTime, ReadIntoError, Readbacks,
    Renderer, Replay, ReplayError, ReplayLimits, ReplayOptions, ReplayStats, Screen, SteadyUpload,
    StreamStrategy,
};
pub use uniform::{
    Bool, DMat2, DMat2x3, DMat2x4, DMat3, DMat3x2, DMat3x4, DMat4, DMat4x2, DMat4x3, Mat2, Mat2x3,
    Mat2x4, Mat3, Mat3x2, Mat3x4, Mat4, Mat4x2, Mat4x3, UniformData, UniformScalar, UniformType,
};
