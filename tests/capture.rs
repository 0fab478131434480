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
