//! Immediate mode: each recorded call runs on GL at once, so reads return their bytes right
//! away, and the list that was run can be saved as a trace with the digest of every readback.

use crate::command::{CommandList, ValidationError};
use crate::record::Recorder;
use crate::replay::{ReadIntoError, Readbacks, Renderer, ReplayError};
use crate::trace::{digest, Trace};
use crate::ReadbackId;

/// Why a captured call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CaptureError {
    /// The call was rejected before anything was recorded or run.
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    /// GL failed to run a recorded command; the capture cannot go on.
    #[error(transparent)]
    Replay(#[from] ReplayError),
    /// An earlier command failed on GL.
    #[error("the capture stopped at an earlier GL failure")]
    Stopped,
}

/// A recorder whose calls also run on a renderer as they are made.
///
/// ```
/// # #[cfg(any(feature = "egl", feature = "glfw"))]
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use gltape::Capture;
///
/// let mut capture = Capture::headless()?;
/// let buf = capture.record(|rec| rec.buffer(b"hello"))?;
/// let read = capture.record(|rec| rec.read(buf, None, 1))?;
/// assert_eq!(capture.readback(read), Some(&b"ello"[..]));
/// # Ok(())
/// # }
/// # #[cfg(not(any(feature = "egl", feature = "glfw")))]
/// # fn main() {}
/// ```
pub struct Capture {
    recorder: Recorder,
    renderer: Renderer,
    readbacks: Readbacks,
    /// Commands of the list already run on GL.
    executed: usize,
    failed: bool,
}

impl Capture {
    /// Captures on `renderer`, starting it from a clean slate.
    pub fn new(mut renderer: Renderer) -> Result<Self, CaptureError> {
        renderer.begin()?;
        Ok(Capture {
            recorder: Recorder::new(),
            renderer,
            readbacks: Readbacks::default(),
            executed: 0,
            failed: false,
        })
    }

    /// Captures on a new headless renderer (`Renderer::headless`; feature `egl` or `glfw`).
    #[cfg(any(feature = "egl", feature = "glfw"))]
    pub fn headless() -> Result<Self, CaptureError> {
        Self::new(Renderer::headless()?)
    }

    /// Makes recorder calls, then runs what they recorded on GL.
    ///
    /// A call the recorder rejects records and runs nothing. A GL failure is returned with
    /// the command's index and stops the capture (later calls return
    /// [`CaptureError::Stopped`]).
    pub fn record<T>(
        &mut self,
        calls: impl FnOnce(&mut Recorder) -> Result<T, ValidationError>,
    ) -> Result<T, CaptureError> {
        if self.failed {
            return Err(CaptureError::Stopped);
        }
        let value = calls(&mut self.recorder);
        // Another context may have been made current since the last call.
        self.renderer.make_current();
        let list = self.recorder.validated();
        while self.executed < list.list().len() {
            if let Err(error) = self
                .renderer
                .execute(&list, self.executed, &mut self.readbacks)
            {
                self.failed = true;
                return Err(error.into());
            }
            self.executed += 1;
        }
        // glGetError for a run of writes and draws the loop left for later (see
        // `Renderer::execute`).
        if let Err(error) = self.renderer.check_unchecked() {
            self.failed = true;
            return Err(error.into());
        }
        Ok(value?)
    }

    /// The bytes of a read made so far.
    pub fn readback(&self, id: ReadbackId) -> Option<&[u8]> {
        self.readbacks.get(id)
    }

    /// Copies the bytes of a read made so far into `buffer` from byte `write_offset`,
    /// allocating nothing (ModernGL's `read_into` and `read_chunks_into`; see
    /// [`Readbacks::read_into`]).
    pub fn read_into(
        &self,
        id: ReadbackId,
        buffer: &mut [u8],
        write_offset: usize,
    ) -> Result<(), ReadIntoError> {
        self.readbacks.read_into(id, buffer, write_offset)
    }

    /// The renderer, for hand-written GL on the same context.
    pub fn renderer(&mut self) -> &mut Renderer {
        &mut self.renderer
    }

    /// Ends the capture as a trace whose header keeps the digest of every readback, so that a
    /// later `replay --verify` can compare.
    pub fn into_trace(self, label: &str) -> Trace {
        let (list, readbacks) = self.finish();
        let digests = readbacks.iter().map(digest).collect();
        Trace::new(list, label, digests)
    }

    /// Ends the capture: the list that ran and the bytes of its readbacks.
    pub fn finish(self) -> (CommandList, Readbacks) {
        (self.recorder.finish(), self.readbacks)
    }
}
