//! Regression tests for the fuzz targets (docs/fuzzing.md): every input saved under
//! `tests/fuzz_inputs/` runs through the same checks as the fuzz target named by its file
//! name (`decode-1.bin` through `decode`, `assemble-2.bin` through `assemble`, ...), and the
//! committed traces and the text-format example run through them too, so the checks stay
//! compiled and correct without cargo-fuzz. No GL is needed.

#[path = "fuzz_checks/mod.rs"]
mod fuzz_checks;

use fuzz_checks::{assemble_target, decode_target, decode_validate_target};
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the saved input `name` (under tests/fuzz_inputs/) through its target's checks.
fn replay(name: &str) {
    let path = root().join("tests/fuzz_inputs").join(name);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let target = name.rsplit_once('-').map_or(name, |(target, _)| target);
    match target {
        "decode" => decode_target(&bytes),
        "decode_validate" => decode_validate_target(&bytes),
        "assemble" => assemble_target(&bytes),
        _ => panic!("{name}: no fuzz target `{target}` (name inputs TARGET-N.bin)"),
    }
}

fn files_in(dir: &str, extension: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(root().join(dir)) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == extension))
        .collect();
    files.sort();
    files
}

/// Every saved input, including any added without a test of its own below.
#[test]
fn every_saved_input_passes_its_target() {
    let mut failed = Vec::new();
    for path in files_in("tests/fuzz_inputs", "bin") {
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        if std::panic::catch_unwind(|| replay(&name)).is_err() {
            failed.push(name);
        }
    }
    assert!(failed.is_empty(), "inputs that still fail: {failed:?}");
}

#[test]
fn committed_traces_pass_the_trace_targets() {
    let mut files = files_in("traces", "gltrace");
    files.extend(files_in("tests/fixtures", "gltrace"));
    assert!(files.len() >= 6, "{files:?}");
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        decode_target(&bytes);
        decode_validate_target(&bytes);
        // Cut in the middle: a truncated (or damaged) file decodes to its whole chunks or
        // fails, and never panics.
        decode_validate_target(&bytes[..bytes.len() / 2]);
    }
}

#[test]
fn text_format_examples_pass_assemble() {
    let docs = std::fs::read_to_string(root().join("docs/text-format.md")).unwrap();
    let blocks: Vec<&str> = docs.split("```jsonl\n").skip(1).collect();
    assert!(!blocks.is_empty(), "docs/text-format.md has a jsonl block");
    for block in blocks {
        let example = &block[..block.find("```").unwrap()];
        assert!(gltape::text::assemble(example).is_ok());
        assemble_target(example.as_bytes());
    }
}

#[test]
fn fix_checksums_repairs_every_record() {
    let bytes = std::fs::read(root().join("traces/triangle.gltrace")).unwrap();
    let mut damaged = bytes.clone();
    let last = damaged.len() - 1;
    damaged[last] ^= 0x01; // inside the last record's body: its checksum no longer matches
    let limits = fuzz_checks::fuzz_limits();
    assert!(gltape::trace::decode(&damaged, &limits).is_err());
    assert_eq!(fuzz_checks::fix_checksums(&bytes), bytes);
    let fixed = fuzz_checks::fix_checksums(&damaged);
    assert!(!matches!(
        gltape::trace::decode(&fixed, &limits),
        Err(gltape::trace::TraceError::Checksum { .. })
    ));
}
