//! Capturing unmodified ModernGL programs (issue 15): each program of tests/capture/ runs on
//! ModernGL 5.13 (the virtualenv `scripts/setup --test` makes) plainly, then under
//! `python -m gltape_moderngl` (python/, on PYTHONPATH), and the trace replays with
//! `gltape replay --verify`: every byte ModernGL returned is reproduced; a moderngl-window
//! program's swaps end its frames. A program using what
//! gltape cannot record shows the report (file and line) and an incomplete trace. Outside CI
//! a missing virtualenv skips the tests with a message; in CI it fails.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod support;

/// The virtualenv's Python, or None (after saying why) when it is missing outside CI.
fn python() -> Option<PathBuf> {
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv-moderngl/bin/python");
    if python.exists() {
        return Some(python);
    }
    let message =
        "the ModernGL virtualenv .venv-moderngl is missing (scripts/setup --test makes it)";
    assert!(std::env::var_os("CI").is_none(), "{message}");
    eprintln!("skipped: {message}");
    None
}

/// Runs Python with the package importable and gltape found through GLTAPE_BIN.
fn run_python(python: &Path, args: &[&str]) -> Output {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    Command::new(python)
        .args(args)
        .current_dir(root)
        .env("PYTHONPATH", root.join("python"))
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("GLTAPE_BIN", env!("CARGO_BIN_EXE_gltape"))
        .output()
        .expect("python runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Captures tests/capture/NAME.py into a trace; returns its path and the capture's stderr.
fn capture(python: &Path, name: &str) -> (PathBuf, String) {
    let script = format!("tests/capture/{name}.py");
    let plain = run_python(python, &[&script]);
    assert!(
        plain.status.success(),
        "{name} fails without a capture: {}",
        text(&plain.stderr)
    );
    let trace = support::scratch(&format!("capture-{name}")).join(format!("{name}.gltrace"));
    let output = trace.to_str().unwrap();
    let captured = run_python(python, &["-m", "gltape_moderngl", "-o", output, &script]);
    assert!(
        captured.status.success(),
        "{name} under the capture: {}",
        text(&captured.stderr)
    );
    (trace, text(&captured.stderr))
}

/// `gltape replay --verify` of `trace`: its stdout, after checking it succeeded with at
/// least `readbacks` readbacks verified.
fn replay_verified(trace: &Path, readbacks: usize) -> String {
    let replay = support::gltape(&["replay", trace.to_str().unwrap(), "--verify"]);
    let stdout = text(&replay.stdout);
    assert!(replay.status.success(), "{stdout}{}", text(&replay.stderr));
    assert!(
        stdout.contains(&format!("{readbacks} readback(s), all digests verified")),
        "{stdout}"
    );
    stdout
}

#[test]
fn captured_programs_replay_with_every_readback_verified() {
    let Some(python) = python() else { return };
    // (program, readbacks, frames)
    for (name, readbacks, frames) in [
        ("triangle", 2, 0),
        ("streaming", 5, 4),
        ("indexed_instanced", 4, 0),
        ("transform", 5, 0),
        ("textures", 19, 0),
        ("samplers", 8, 0),
        ("render_to_texture", 13, 0),
        ("pipeline", 18, 0),
        ("queries", 12, 0),
        ("compute", 7, 0),
        ("indirect", 7, 0),
    ] {
        let (trace, stderr) = capture(&python, name);
        assert!(!stderr.contains("INCOMPLETE"), "{name}: {stderr}");
        let stdout = replay_verified(&trace, readbacks);
        assert!(
            stdout.contains(&format!(" {frames} frames")),
            "{name}: {stdout}"
        );
        assert!(!stdout.contains("INCOMPLETE"), "{name}: {stdout}");
        // Every strategy reproduces the same bytes.
        for stream in ["fold", "ring"] {
            let replay = support::gltape(&[
                "replay",
                trace.to_str().unwrap(),
                "--verify",
                "--stream",
                stream,
            ]);
            assert!(
                replay.status.success(),
                "{name} --stream {stream}: {}",
                text(&replay.stderr)
            );
        }
    }
}

#[test]
fn a_moderngl_window_program_ends_a_frame_at_each_swap() {
    let Some(python) = python() else { return };
    if !run_python(&python, &["-c", "import moderngl_window"])
        .status
        .success()
    {
        let message = "moderngl-window is missing from .venv-moderngl (scripts/setup --test \
                       remakes it from tests/moderngl/requirements.txt)";
        assert!(std::env::var_os("CI").is_none(), "{message}");
        eprintln!("skipped: {message}");
        return;
    }
    let (trace, stderr) = capture(&python, "window");
    assert!(!stderr.contains("INCOMPLETE"), "{stderr}");
    // One swap before moderngl-window's loop, one after each of the first three frames.
    let stdout = replay_verified(&trace, 4);
    assert!(stdout.contains(" 4 frames"), "{stdout}");
    let frames = support::gltape(&["replay", trace.to_str().unwrap(), "--frames", "1..4"]);
    let frames = text(&frames.stdout);
    assert!(frames.contains(" 3 frames"), "{frames}");
}

#[test]
fn the_python_api_wraps_a_context_and_saves() {
    let Some(python) = python() else { return };
    let trace = support::scratch("capture-wrap").join("wrap.gltrace");
    let run = run_python(
        &python,
        &["tests/capture/wrap_api.py", trace.to_str().unwrap()],
    );
    assert!(run.status.success(), "{}", text(&run.stderr));
    replay_verified(&trace, 1);
    let dump = support::gltape(&["dump", trace.to_str().unwrap()]);
    let dump = text(&dump.stdout);
    assert!(
        dump.starts_with(r#"{"op":"header","label":"","readback_digests":[""#),
        "{dump}"
    );
    for op in ["write_chunks", "clear", "end_frame", "read"] {
        assert!(dump.contains(&format!(r#"{{"op":"{op}""#)), "{op}: {dump}");
    }
}

#[test]
fn what_cannot_be_captured_is_reported_with_file_and_line() {
    let Some(python) = python() else { return };
    let (trace, stderr) = capture(&python, "uncapturable");
    assert!(stderr.contains("the trace is INCOMPLETE"), "{stderr}");
    let replay = replay_verified(&trace, 1);
    for (line, what) in [
        (10, "Context.texture with internal_format 0x8058 (1 use)"),
        (
            11,
            "Context.framebuffer on a Texture the capture does not hold (1 use)",
        ),
        (
            14,
            "Framebuffer.clear on a Framebuffer the capture does not hold (3 uses)",
        ),
        (
            15,
            "Texture.read on a Texture the capture does not hold (1 use)",
        ),
        (16, "Context.detect_framebuffer (1 use)"),
        (17, "Context.mglo (1 use)"),
        (
            24,
            "Framebuffer.clear of a framebuffer not in use whose masks or scissor differ from \
             those of the one in use (ModernGL leaves them in effect) (1 use)",
        ),
        (
            26,
            "Query.crender of a query counting samples and any_samples (ModernGL's draws \
             unconditionally) (2 uses)",
        ),
        (
            31,
            "Uniform.value of GL type 0x9063 (ModernGL sets nothing) (1 use)",
        ),
        (33, "Texture.read_into into a Buffer (1 use)"),
        (
            34,
            "Texture.use of unit 80 (gltape records 0 to 79) (1 use)",
        ),
    ] {
        let entry = format!("tests/capture/uncapturable.py:{line}: {what}");
        assert!(
            stderr.contains(&entry),
            "the capture lacks {entry:?}: {stderr}"
        );
        assert!(
            replay.contains(&entry),
            "the replay lacks {entry:?}: {replay}"
        );
    }
    assert!(
        replay.contains("INCOMPLETE: the program that made this trace did 12 thing(s)"),
        "{replay}"
    );
    let info = support::gltape(&["info", trace.to_str().unwrap(), "--json"]);
    let info: serde_json::Value = serde_json::from_slice(&info.stdout).unwrap();
    assert_eq!(info["incomplete"].as_array().unwrap().len(), 12);
}

#[test]
fn a_call_gltape_refuses_is_reported_with_file_and_line() {
    let Some(python) = python() else { return };
    let script = "tests/capture/refused.py";
    let plain = run_python(&python, &[script]);
    assert!(plain.status.success(), "{}", text(&plain.stderr));
    let trace = support::scratch("capture-refused").join("refused.gltrace");
    let captured = run_python(
        &python,
        &[
            "-m",
            "gltape_moderngl",
            "-o",
            trace.to_str().unwrap(),
            script,
        ],
    );
    let stderr = text(&captured.stderr);
    assert!(!captured.status.success(), "{stderr}");
    assert!(
        stderr.contains(
            "gltape_moderngl: no trace written: tests/capture/refused.py:9: gltape refuses \
             this call, which ModernGL accepted: a buffer needs at least 1 byte, got 0 (text \
             line 3 in "
        ),
        "{stderr}"
    );
    assert!(!trace.exists());
    // The text stays for the user to inspect; this test removes it once it has seen it.
    let kept = stderr
        .split(" in ")
        .last()
        .and_then(|tail| tail.split(')').next())
        .map(std::path::PathBuf::from)
        .expect("the message names the text's directory");
    assert!(kept.is_dir(), "{stderr}");
    std::fs::remove_dir_all(&kept).unwrap();
}

#[test]
fn a_second_context_is_reported_and_the_first_recorded() {
    let Some(python) = python() else { return };
    let (trace, stderr) = capture(&python, "two_contexts");
    let entry = "tests/capture/two_contexts.py:10: a second ModernGL context: nothing done \
                 with it is recorded (the trace holds the first) (2 uses)";
    assert!(stderr.contains(entry), "{stderr}");
    let replay = replay_verified(&trace, 2);
    assert!(replay.contains(entry), "{replay}");
    assert!(
        replay.contains("INCOMPLETE: the program that made this trace did 1 thing(s)"),
        "{replay}"
    );
}

#[test]
fn payloads_are_held_by_reference_or_copied_and_every_range_replays() {
    let Some(python) = python() else { return };
    let dir = support::scratch("capture-payloads");
    let run = run_python(
        &python,
        &["tests/capture/payloads.py", dir.to_str().unwrap()],
    );
    assert!(run.status.success(), "{}", text(&run.stderr));
    for name in ["held", "spilled"] {
        replay_verified(&dir.join(format!("{name}.gltrace")), 7);
    }
}

#[test]
fn a_16_mib_streaming_loop_is_captured_and_timed() {
    let Some(python) = python() else { return };
    let run = run_python(&python, &["tests/capture/overhead.py", "4"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    // The bytes object once, every changed bytearray (5 runs of 4 frames), the unchanged
    // one never: it equals the last copy.
    assert_eq!(report["payload_file_bytes"], (1 + 5 * 4) * (16 << 20));
    eprintln!("capture overhead of a 16 MiB orphan + write loop: {report}");
}
