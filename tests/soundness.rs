//! Library soundness: the KHR_debug callback never outlives a replay (even one that unwinds),
//! `Renderer::from_loader` refuses a loader that lacks a function instead of calling null, and
//! renderers that own their context are safe to use and drop in any order.

use gltape::gl::{self, Gl};
use gltape::{
    CommandList, GlfwContext, Recorder, Renderer, ReplayError, ReplayLimits, ReplayOptions,
};
use std::ffi::c_void;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Three frames of writes and a read of a small buffer.
fn frames() -> CommandList {
    let mut rec = Recorder::new();
    let buf = rec.buffer(&[0u8; 16]).unwrap();
    for frame in 0..3u8 {
        rec.write(buf, 0, &[frame; 16]).unwrap();
        rec.end_frame();
    }
    rec.read(buf, None, 0).unwrap();
    rec.finish()
}

/// Valid for gltape, too large for GL: GL_OUT_OF_MEMORY (and a debug message) at #0.
fn gl_error() -> CommandList {
    let mut rec = Recorder::new();
    rec.buffer_reserve(1 << 62, false).unwrap();
    rec.finish()
}

/// GL's registered debug callback, null when none.
fn debug_callback(gl: &Gl) -> *mut c_void {
    let mut callback: *mut c_void = std::ptr::null_mut();
    let out: *mut *mut c_void = &mut callback;
    // SAFETY: the renderer's context is current; GL writes one pointer.
    unsafe { gl.GetPointerv(gl::DEBUG_CALLBACK_FUNCTION, out.cast_const()) };
    callback
}

/// Replays `frames()` with debug output on and a progress callback that panics at frame 2.
fn panic_in_progress(renderer: &mut Renderer) {
    let list = frames();
    let list = list.validate().unwrap();
    let unwound = catch_unwind(AssertUnwindSafe(|| {
        let mut progress = |frame: u32| {
            if frame == 2 {
                panic!("progress callback gives up at frame {frame}");
            }
        };
        let mut options = ReplayOptions {
            debug: true,
            progress: Some(&mut progress),
            ..ReplayOptions::default()
        };
        let _ = renderer.replay_with(&list, &mut options);
    }));
    assert!(unwound.is_err(), "the progress callback panicked");
}

#[test]
fn a_panicking_progress_callback_leaves_no_debug_callback_behind() {
    let mut renderer = Renderer::headless().unwrap();
    panic_in_progress(&mut renderer);
    renderer.make_current();
    assert!(
        debug_callback(renderer.gl()).is_null(),
        "GL still holds the callback and the log's address"
    );
    // A GL error without debug output reaches no callback.
    // (The 2^62-byte buffer is over the default object limit: lift it so that GL sees it.)
    let list = gl_error();
    let list = list.validate().unwrap();
    let mut options = ReplayOptions {
        limits: ReplayLimits::unlimited(),
        ..ReplayOptions::default()
    };
    let err = renderer.replay_with(&list, &mut options).unwrap_err();
    assert!(matches!(err, ReplayError::Gl { index: 0, .. }), "{err}");
    assert!(renderer.take_debug_messages().0.is_empty());
    // Debug output works again, with the right command index.
    let mut options = ReplayOptions {
        debug: true,
        limits: ReplayLimits::unlimited(),
        ..ReplayOptions::default()
    };
    renderer.replay_with(&list, &mut options).unwrap_err();
    let (messages, _) = renderer.take_debug_messages();
    assert!(
        messages
            .iter()
            .any(|m| m.kind_name() == "error" && m.index == 0),
        "{messages:?}"
    );
    assert!(debug_callback(renderer.gl()).is_null());
    // And the whole list replays afterwards.
    let readbacks = renderer.replay(&frames()).unwrap();
    assert_eq!(readbacks.iter().next(), Some(&[2u8; 16][..]));
}

#[test]
fn a_borrowed_context_outlives_a_renderer_that_unwound_with_debug_on() {
    let mut context = GlfwContext::headless().unwrap();
    let gl = Gl::load_with(|name| context.get_proc_address(name));
    {
        // SAFETY: `context` is current on this thread and outlives the renderer; GLFW's
        // loader returns its functions.
        let mut renderer =
            unsafe { Renderer::from_loader(|name| context.get_proc_address(name)) }.unwrap();
        panic_in_progress(&mut renderer);
    }
    // The renderer and its log are gone; GL errors on the context reach no stale callback.
    assert!(debug_callback(&gl).is_null());
    // SAFETY: the context is current; binding a name that was never generated is an error.
    unsafe {
        gl.Enable(gl::DEBUG_OUTPUT);
        gl.Enable(gl::DEBUG_OUTPUT_SYNCHRONOUS);
        gl.BindBuffer(gl::ARRAY_BUFFER, 123_456);
        assert_eq!(gl.GetError(), gl::INVALID_OPERATION);
    }
}

/// A loader over `context` that gives null for the names in `refused` and for their
/// extension variants (`glReadnPixelsKHR`, which gl_generator asks for when `glReadnPixels`
/// is null), or for every name.
fn loader<'c>(
    context: &'c mut GlfwContext,
    refused: &'c [&'c str],
) -> impl FnMut(&str) -> *const c_void + 'c {
    move |name| {
        if refused
            .iter()
            .any(|refused| *refused == "*" || name.starts_with(refused))
        {
            std::ptr::null()
        } else {
            context.get_proc_address(name)
        }
    }
}

#[test]
fn from_loader_refuses_a_loader_that_lacks_a_function() {
    let mut context = GlfwContext::headless().unwrap();
    for (refused, first, others) in [
        (&["glCreateBuffers"][..], "glCreateBuffers", Some(0)),
        (
            &["glReadnPixels", "glDebugMessageCallback"][..],
            "glDebugMessageCallback",
            Some(1),
        ),
        (&["*"][..], "glActiveTexture", None),
    ] {
        // SAFETY: `context` is current and outlives the renderer; the loader returns GLFW's
        // addresses or null.
        let result = unsafe { Renderer::from_loader(loader(&mut context, refused)) };
        let Err(error) = result else {
            panic!("{refused:?}: a renderer without its functions");
        };
        match &error {
            ReplayError::MissingEntryPoint { name, others: n } => {
                assert_eq!(*name, first);
                if let Some(others) = others {
                    assert_eq!(*n, others);
                } else {
                    assert!(*n > 80, "{n}");
                }
            }
            other => panic!("{refused:?}: {other}"),
        }
        assert!(error.to_string().contains(first), "{error}");
    }
    // With every function the same loader gives a working renderer.
    // SAFETY: as above.
    let mut renderer = unsafe { Renderer::from_loader(loader(&mut context, &[])) }.unwrap();
    assert_eq!(
        renderer.replay(&frames()).unwrap().iter().next(),
        Some(&[2u8; 16][..])
    );
}

#[test]
fn owned_contexts_survive_any_drop_order() {
    let list = frames();
    let mut first = Renderer::headless().unwrap();
    let mut second = Renderer::headless().unwrap();
    let expected = first.replay(&list).unwrap();
    assert_eq!(second.replay(&list).unwrap(), expected);
    assert_eq!(first.replay(&list).unwrap(), expected);
    // Dropping `second` destroys its context and leaves none current; `first` makes its own
    // current again for every call, `info` and `finish` included.
    drop(second);
    assert!(!first.info().renderer.is_empty());
    first.finish();
    assert!(first.live_objects() > 0);
    assert_eq!(first.replay(&list).unwrap(), expected);
    let (width, height, pixels) = first.read_framebuffer_in_use().unwrap();
    assert_eq!(pixels.len(), width as usize * height as usize * 4);
    assert!(first.context().is_some());
    first.swap_buffers();
    drop(first);
    let mut third = Renderer::headless().unwrap();
    assert_eq!(third.replay(&list).unwrap(), expected);
}

#[test]
fn a_borrowed_renderer_whose_context_is_gone_can_be_abandoned() {
    let mut context = GlfwContext::headless().unwrap();
    // SAFETY: `context` is current; the renderer is abandoned, not dropped, once it is gone.
    let mut renderer =
        unsafe { Renderer::from_loader(|name| context.get_proc_address(name)) }.unwrap();
    renderer.replay(&frames()).unwrap();
    assert!(renderer.live_objects() > 0);
    drop(context);
    renderer.abandon();
    let mut again = Renderer::headless().unwrap();
    again.replay(&frames()).unwrap();
}
