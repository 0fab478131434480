//! Immediate mode: calls run on GL as they are recorded; the saved trace verifies on replay.

use gltape::trace::{self, DecodeLimits};
use gltape::{verify, Capture, CaptureError, Renderer, ValidationError};

#[test]
fn reads_return_bytes_at_once_and_the_trace_replays_identically() {
    let mut capture = Capture::headless().unwrap();
    let buf = capture.record(|rec| rec.buffer(b"abcdef")).unwrap();
    let first = capture.record(|rec| rec.read(buf, None, 0)).unwrap();
    assert_eq!(capture.readback(first), Some(&b"abcdef"[..]));
    let second = capture
        .record(|rec| {
            rec.orphan(buf, Some(4))?;
            rec.write(buf, 0, b"wxyz")?;
            rec.read(buf, Some(2), 1)
        })
        .unwrap();
    assert_eq!(capture.readback(second), Some(&b"xy"[..]));

    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("capture");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("captured.gltrace");
    trace::save(&capture.into_trace("captured"), &path).unwrap();
    let loaded = trace::load(&path, &DecodeLimits::default()).unwrap().trace;
    assert_eq!(loaded.header.label, "captured");
    assert_eq!(loaded.header.readback_digests.len(), 2);
    let readbacks = Renderer::headless().unwrap().replay(&loaded.list).unwrap();
    verify::verify(&loaded.list, &loaded.header.readback_digests, &readbacks).unwrap();
    assert_eq!(
        readbacks.iter().collect::<Vec<_>>(),
        [&b"abcdef"[..], &b"xy"[..]]
    );
}

#[test]
fn a_rejected_call_runs_nothing_and_the_capture_goes_on() {
    let mut capture = Capture::headless().unwrap();
    let buf = capture.record(|rec| rec.buffer(&[1u8; 4])).unwrap();
    let err = capture
        .record(|rec| rec.write(buf, 3, &[9u8; 2]))
        .unwrap_err();
    assert!(matches!(
        err,
        CaptureError::Invalid(ValidationError::OutOfRange { .. })
    ));
    let read = capture.record(|rec| rec.read(buf, None, 0)).unwrap();
    assert_eq!(capture.readback(read), Some(&[1u8; 4][..]));
}

#[test]
fn a_gl_failure_stops_the_capture() {
    let mut capture = Capture::headless().unwrap();
    // Valid for gltape, too large for any machine: GL_OUT_OF_MEMORY at command #0.
    let err = capture
        .record(|rec| rec.buffer_reserve(1 << 62, false))
        .unwrap_err();
    assert!(err.to_string().contains("command #0"), "{err}");
    let again = capture
        .record(|rec| rec.buffer_reserve(4, false))
        .unwrap_err();
    assert_eq!(again, CaptureError::Stopped);
}

#[test]
fn a_gl_error_in_a_run_of_writes_and_draws_is_reported_when_the_call_ends() {
    // glGetError is asked once per run of buffer writes and repeated draws: an error GL holds
    // when such a run starts (raised here by hand-written GL between two calls) is found at
    // the end of the call and reported at the run's first command, as a check after every
    // command would.
    const VS: &str = "#version 450 core
in vec2 in_pos;
void main() { gl_Position = vec4(in_pos, 0.0, 1.0); }
";
    const FS: &str = "#version 450 core
layout(location = 0) out vec4 color;
void main() { color = vec4(1.0); }
";
    let mut capture = Capture::headless().unwrap();
    let vao = capture
        .record(|rec| {
            let program = rec.program(gltape::ProgramDesc::new(VS).fragment(FS))?;
            let vbo = rec.dynamic_buffer(&[0.0f32; 6])?;
            let vao = rec.vertex_array(program, &[(vbo, "2f", &["in_pos"][..])], None)?;
            let fbo = rec.framebuffer(8, 8, &[gltape::ColorFormat::Rgba8], false)?;
            rec.use_framebuffer(fbo)?;
            rec.render(vao, gltape::Draw::new(gltape::Mode::Triangles))?;
            Ok((vbo, vao))
        })
        .unwrap();
    let (vbo, vao) = vao;
    // SAFETY: the capture's context is current (its last call made it so); an unknown
    // capability only raises GL_INVALID_ENUM.
    unsafe { capture.renderer().gl().Enable(0xDEAD) };
    let err = capture
        .record(|rec| {
            rec.write(vbo, 0, &[-1.0f32, -1.0, 1.0, -1.0, -1.0, 1.0])?;
            rec.render(vao, gltape::Draw::new(gltape::Mode::Triangles))?;
            rec.write(vbo, 0, &[0.0f32; 6])?;
            rec.render(vao, gltape::Draw::new(gltape::Mode::Triangles))
        })
        .unwrap_err();
    assert_eq!(
        err,
        CaptureError::Replay(gltape::ReplayError::Gl {
            index: 6,
            command: "write",
            code: gltape::gl::INVALID_ENUM
        })
    );
    assert_eq!(
        capture.record(|rec| rec.read(vbo, None, 0)).unwrap_err(),
        CaptureError::Stopped
    );
}
