//! KHR_debug output: every GL message comes back with the index of the command that caused it.

use gltape::{Recorder, Renderer, ReplayError, ReplayLimits, ReplayOptions};

#[test]
fn gl_messages_carry_their_command_index() {
    let mut rec = Recorder::new();
    let small = rec.buffer(&[1u8; 4]).unwrap();
    rec.read(small, None, 0).unwrap();
    // Valid for gltape, too large for any machine: GL reports GL_OUT_OF_MEMORY at #2.
    rec.buffer_reserve(1 << 62, false).unwrap();
    let list = rec.finish();
    let list = list.validate().unwrap();
    let mut renderer = Renderer::headless().unwrap();
    // The default replay limits would refuse the buffer before GL: lifted to reach GL.
    let mut options = ReplayOptions {
        debug: true,
        limits: ReplayLimits::unlimited(),
        ..ReplayOptions::default()
    };
    let err = renderer.replay_with(&list, &mut options).unwrap_err();
    assert!(matches!(err, ReplayError::Gl { index: 2, .. }), "{err}");
    let (messages, dropped) = renderer.take_debug_messages();
    assert_eq!(dropped, 0);
    let errors: Vec<_> = messages
        .iter()
        .filter(|m| m.kind_name() == "error")
        .collect();
    assert!(!errors.is_empty(), "{messages:?}");
    assert!(errors.iter().all(|m| m.index == 2), "{errors:?}");
    assert!(
        errors[0].to_string().starts_with("command #2: GL error"),
        "{}",
        errors[0]
    );
    // Taken messages are gone; a clean replay with debug output reports no error.
    assert!(renderer.take_debug_messages().0.is_empty());
    let mut rec = Recorder::new();
    let buf = rec.buffer(&[7u8; 8]).unwrap();
    rec.read(buf, None, 0).unwrap();
    let clean = rec.finish();
    let clean = clean.validate().unwrap();
    renderer.replay_with(&clean, &mut options).unwrap();
    let (messages, _) = renderer.take_debug_messages();
    assert!(
        messages.iter().all(|m| m.kind_name() != "error"),
        "{messages:?}"
    );
}
