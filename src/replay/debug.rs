//! KHR_debug output during a replay: every message GL sends, tagged with the index of the
//! command that was running (synchronous output makes that exact).

use super::Renderer;
use crate::gl::{self, types::*, Gl};
use std::cell::{Cell, RefCell};
use std::ffi::c_void;

/// Messages kept per replay at most; later ones are counted, not stored.
const MAX_MESSAGES: usize = 10_000;

/// One KHR_debug message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DebugMessage {
    /// Index of the command that was running when GL sent it.
    pub index: usize,
    /// GL_DEBUG_SOURCE_* value.
    pub source: u32,
    /// GL_DEBUG_TYPE_* value (GL_DEBUG_TYPE_ERROR for errors).
    pub kind: u32,
    /// Implementation-defined message id.
    pub id: u32,
    /// GL_DEBUG_SEVERITY_* value.
    pub severity: u32,
    /// The message text.
    pub text: String,
}

impl DebugMessage {
    /// "error", "performance", ... : the message type in words.
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            gl::DEBUG_TYPE_ERROR => "error",
            gl::DEBUG_TYPE_DEPRECATED_BEHAVIOR => "deprecated",
            gl::DEBUG_TYPE_UNDEFINED_BEHAVIOR => "undefined behavior",
            gl::DEBUG_TYPE_PORTABILITY => "portability",
            gl::DEBUG_TYPE_PERFORMANCE => "performance",
            _ => "other",
        }
    }
}

impl std::fmt::Display for DebugMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "command #{}: GL {} (id {}): {}",
            self.index,
            self.kind_name(),
            self.id,
            self.text
        )
    }
}

/// The state GL's callback writes into, owned by the renderer (boxed: its address is handed
/// to GL and must not move).
#[derive(Default)]
pub(super) struct DebugLog {
    index: Cell<usize>,
    messages: RefCell<Vec<DebugMessage>>,
    dropped: Cell<usize>,
    /// True while GL holds this log's address (between `enable` and `disable`).
    registered: Cell<bool>,
}

/// GL's debug callback: records the message; never panics (it runs inside GL's C code).
extern "system" fn on_message(
    source: GLenum,
    kind: GLenum,
    id: GLuint,
    severity: GLenum,
    length: GLsizei,
    message: *const GLchar,
    user: *mut c_void,
) {
    if user.is_null() {
        return;
    }
    // SAFETY: `user` is the address of the renderer's boxed DebugLog, registered together with
    // this callback and unregistered before the box is dropped.
    let log = unsafe { &*(user as *const DebugLog) };
    let text = if message.is_null() {
        String::new()
    } else if length >= 0 {
        // SAFETY: GL passes `length` bytes at `message`.
        let bytes = unsafe { std::slice::from_raw_parts(message.cast::<u8>(), length as usize) };
        String::from_utf8_lossy(bytes).into_owned()
    } else {
        // SAFETY: a negative length means a NUL-terminated string.
        unsafe { std::ffi::CStr::from_ptr(message) }
            .to_string_lossy()
            .into_owned()
    };
    let Ok(mut messages) = log.messages.try_borrow_mut() else {
        return;
    };
    if messages.len() >= MAX_MESSAGES {
        log.dropped.set(log.dropped.get().saturating_add(1));
        return;
    }
    messages.push(DebugMessage {
        index: log.index.get(),
        source,
        kind,
        id,
        severity,
        text: text.trim_end().to_owned(),
    });
}

impl DebugLog {
    /// Notes the command now running.
    pub(super) fn at(&self, index: usize) {
        self.index.set(index);
    }

    /// Turns synchronous debug output on, reporting every message into this log.
    pub(super) fn enable(self: &std::pin::Pin<Box<Self>>, gl: &Gl) {
        let user: *const DebugLog = &**self;
        self.registered.set(true);
        // SAFETY: the callback never unwinds; `user` stays valid until `disable`, which the
        // renderer's `DebugSession` guard calls when the replay ends or unwinds, and the
        // renderer's `Drop` calls again before the box can be dropped.
        unsafe {
            gl.Enable(gl::DEBUG_OUTPUT);
            gl.Enable(gl::DEBUG_OUTPUT_SYNCHRONOUS);
            gl.DebugMessageCallback(Some(on_message), user.cast());
            gl.DebugMessageControl(
                gl::DONT_CARE,
                gl::DONT_CARE,
                gl::DONT_CARE,
                0,
                std::ptr::null(),
                gl::TRUE,
            );
        }
    }

    /// True while GL holds this log's address.
    pub(super) fn is_registered(&self) -> bool {
        self.registered.get()
    }

    /// Turns debug output off and unregisters the callback: GL forgets this log's address.
    pub(super) fn disable(&self, gl: &Gl) {
        self.registered.set(false);
        // SAFETY: plain state; a null callback unregisters ours.
        unsafe {
            gl.DebugMessageCallback(None, std::ptr::null());
            gl.Disable(gl::DEBUG_OUTPUT_SYNCHRONOUS);
            gl.Disable(gl::DEBUG_OUTPUT);
        }
    }

    /// Hands over the messages recorded so far and how many were dropped past the cap.
    pub(super) fn take(&self) -> (Vec<DebugMessage>, usize) {
        let messages = self
            .messages
            .try_borrow_mut()
            .map(|mut m| std::mem::take(&mut *m))
            .unwrap_or_default();
        (messages, self.dropped.replace(0))
    }
}

/// KHR_debug output registered for one replay. Dropping it unregisters GL's callback, so
/// GL never keeps the address of the renderer's log past the replay, even when the replay
/// unwinds from a panicking progress callback.
pub(super) struct DebugSession<'r> {
    pub(super) renderer: &'r mut Renderer,
}

impl<'r> DebugSession<'r> {
    pub(super) fn start(renderer: &'r mut Renderer) -> Self {
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
