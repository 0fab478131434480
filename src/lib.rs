//! gltape: an immediate-mode OpenGL command recorder with replay.
//!
//! Calls follow ModernGL's buffer model; each is checked and recorded into a compact
//! [`CommandList`] without touching GL, then a [`Renderer`] replays the list on an OpenGL 4.5
//! core context (headless by default).
//!
//! ```
//! use gltape::{Recorder, Renderer};
//!
//! let mut rec = Recorder::new();
//! let buf = rec.buffer_reserve(8, true)?;            // ctx.buffer(reserve=8, dynamic=True)
//! rec.write(buf, 2, &[1u8, 2, 3])?;                  // buf.write(b"\x01\x02\x03", offset=2)
//! let all = rec.read(buf, None, 0)?;                 // buf.read()
//! let list = rec.finish();
//!
//! let mut renderer = Renderer::headless()?;          // GLFW null platform + OSMesa
//! let readbacks = renderer.replay(&list)?;
//! assert_eq!(readbacks.get(all), Some(&[0, 0, 1, 2, 3, 0, 0, 0][..]));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

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

pub mod capture;
pub mod command;
pub mod context;
pub mod gl;
mod ids;
pub mod image;
mod input;
mod record;
pub mod replay;
pub mod scene;
pub mod terminal;
pub mod text;
pub mod trace;
pub mod uniform;
pub mod verify;
pub mod vertex_format;

pub use capture::{Capture, CaptureError};
pub use command::{
    Capability, ColorFormat, CommandList, Draw, Mode, PixelType, ProgramDesc, Rect,
    ValidationError, VaryingsMode,
};
pub use context::{ContextError, ContextOptions, GlfwContext, Surface};
pub use ids::{BufferId, FramebufferId, ProgramId, ReadbackId, VertexArrayId};
pub use record::Recorder;
pub use replay::{
    DebugMessage, Limit, LimitExceeded, Readbacks, Renderer, Replay, ReplayError, ReplayLimits,
    ReplayOptions, ReplayStats, StreamStrategy,
};
pub use uniform::{Mat2, Mat3, Mat4, UniformType};
