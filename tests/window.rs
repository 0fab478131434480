//! An X11 window context (hidden), for machines with a display: `scripts/run test` provides
//! one with xvfb-run and sets GLTAPE_REQUIRE_WINDOW=1 so that a missing display fails the test.

use gltape::scene::{frame_bytes, Scene};
use gltape::{ContextError, ContextOptions, GlfwContext, Recorder, Renderer, Surface};

fn display_available() -> bool {
    if std::env::var_os("DISPLAY").is_some_and(|d| !d.is_empty()) {
        return true;
    }
    assert!(
        std::env::var_os("GLTAPE_REQUIRE_WINDOW").is_none(),
        "GLTAPE_REQUIRE_WINDOW is set but there is no X display: run under xvfb-run"
    );
    eprintln!("skipped: no X display (run under xvfb-run, as scripts/run test does)");
    false
}

#[test]
fn hidden_window_replays_and_excludes_the_null_platform() {
    if !display_available() {
        return;
    }
    let options = ContextOptions {
        surface: Surface::HiddenWindow,
        width: 32,
        height: 16,
        ..ContextOptions::default()
    };
    let context = GlfwContext::new(&options).expect("hidden X11 window with OpenGL 4.5 core");
    assert_eq!(context.framebuffer_size(), (32, 16));
    let mut renderer = Renderer::with_context(context).unwrap();
    let mut rec = Recorder::new();
    Scene::Stream.record(&mut rec, 4096, 3).unwrap();
    let list = rec.finish();
    let readbacks = renderer.replay(&list).unwrap();
    // Readback 0 is the stream buffer after the last frame.
    assert_eq!(readbacks.iter().next(), Some(&frame_bytes(2, 4096)[..]));
    // GLFW runs one platform per process: a headless context must wait for the window to go.
    assert!(matches!(
        GlfwContext::headless(),
        Err(ContextError::PlatformInUse { .. })
    ));
    drop(renderer);
    let mut headless = Renderer::headless().expect("null platform once X11 is released");
    assert_eq!(headless.replay(&list).unwrap(), readbacks);
}
