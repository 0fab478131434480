//! Every committed trace (traces/) and every format fixture (tests/fixtures/) decodes, replays
//! headless and reproduces the readback digests it was recorded with.

use gltape::trace::{self, DecodeLimits};
use gltape::{verify, Renderer};
use std::path::{Path, PathBuf};

fn traces_in(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "gltrace"))
        .collect();
    files.sort();
    files
}

fn replay_and_verify(files: &[PathBuf]) {
    let mut renderer = Renderer::headless().unwrap();
    for path in files {
        let decoded = trace::load(path, &DecodeLimits::default()).unwrap();
        assert!(decoded.truncated.is_none(), "{}", path.display());
        let trace = decoded.trace;
        assert!(
            !trace.header.readback_digests.is_empty(),
            "{} keeps no digests",
            path.display()
        );
        let readbacks = renderer.replay(&trace.list).unwrap();
        verify::verify(&trace.list, &trace.header.readback_digests, &readbacks)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

#[test]
fn committed_traces_replay_and_verify() {
    let files = traces_in("traces");
    assert_eq!(files.len(), 7, "{files:?}");
    let total: u64 = files.iter().map(|f| f.metadata().unwrap().len()).sum();
    assert!(total <= 16 << 20, "traces/ holds {total} bytes");
    for file in &files {
        assert!(
            file.metadata().unwrap().len() <= 4 << 20,
            "{}",
            file.display()
        );
    }
    replay_and_verify(&files);
}

#[test]
fn every_released_format_version_still_replays() {
    let files = traces_in("tests/fixtures");
    assert!(!files.is_empty());
    replay_and_verify(&files);
}

#[test]
fn a_changed_readback_is_reported_with_its_command() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("traces/triangle.gltrace");
    let mut trace = trace::load(&path, &DecodeLimits::default()).unwrap().trace;
    trace.header.readback_digests[1][0] ^= 1;
    let readbacks = Renderer::headless().unwrap().replay(&trace.list).unwrap();
    let err = verify::verify(&trace.list, &trace.header.readback_digests, &readbacks).unwrap_err();
    let command = trace
        .list
        .commands()
        .iter()
        .position(|c| c.name() == "read_pixels")
        .unwrap();
    match err {
        verify::VerifyError::Mismatch {
            readback,
            command: at,
            ..
        } => assert_eq!((readback, at), (1, command)),
        other => panic!("unexpected {other}"),
    }
}
