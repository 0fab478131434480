//! Helpers the integration tests share (each test binary includes this module with
//! `mod support;` and uses a part of it).
#![allow(dead_code, reason = "each test binary uses only some helpers")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs the `gltape` binary with `args` and waits for it.
pub fn gltape(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gltape"))
        .args(args)
        .output()
        .expect("gltape runs")
}

/// The path of a committed trace under `traces/`.
pub fn committed(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("traces")
        .join(name)
        .display()
        .to_string()
}

/// A fresh, empty scratch directory `name` (unique per test).
pub fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A directory for generated corpus files, kept between tests of one binary.
pub fn corpus_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
