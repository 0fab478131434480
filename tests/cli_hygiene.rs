//! Terminal and output hygiene of the `gltape` command line: strings from traces are printed
//! escaped, every write is checked, a closed pipe ends the program quietly, `--loops 0` is
//! refused.

use gltape::terminal::is_unsafe_for_terminal;
use gltape::trace::{self, Trace};
use gltape::{ProgramDesc, Recorder, VaryingsMode};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

mod support;
use support::*;

/// ESC sequences (title, colour, clear screen), BEL, a raw C1 CSI, DEL, a bidi override, CR.
const HOSTILE: &str = "\u{1b}]0;pwned\u{7}\u{1b}[31mred\u{9b}2J\u{7f}\u{202e}txt.exe\rX";

/// Asserts that `bytes` hold nothing a terminal would act on besides line ends.
fn assert_terminal_safe(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let bad: Vec<_> = text
        .chars()
        .filter(|&c| c != '\n' && is_unsafe_for_terminal(c))
        .collect();
    assert!(bad.is_empty(), "{what} holds raw {bad:?}: {text:?}");
}

/// Asserts a failure with `code` and exactly one escaped line on stderr, and returns it.
fn one_line_error(output: &Output, code: i32) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(code), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr:?}");
    assert!(stderr.starts_with("gltape: error: "), "{stderr}");
    assert_terminal_safe("stderr", &output.stderr);
    stderr
}

/// A trace whose label, generator, shader source and varying name carry escape sequences.
fn hostile_trace(dir: &Path) -> PathBuf {
    let mut rec = Recorder::new();
    let source = format!("#version 450 core\n// {HOSTILE}\nout float v;\nvoid main() {{ v = 1.0; gl_Position = vec4(0.0); }}");
    rec.program(ProgramDesc::new(&source)).unwrap();
    let mut trace = Trace::new(rec.finish(), HOSTILE, Vec::new());
    trace.header.generator = format!("gen{HOSTILE}");
    let path = dir.join("hostile.gltrace");
    trace::save(&trace, &path).unwrap();
    path
}

#[test]
fn info_prints_labels_and_generators_escaped() {
    let dir = scratch("hygiene-info");
    let path = hostile_trace(&dir);
    let output = gltape(&["info", path.to_str().unwrap()]);
    assert!(output.status.success());
    assert_terminal_safe("info", &output.stdout);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains(r"\u{1b}[31mred"), "{stdout}");
    assert!(stdout.contains(r"gen\u{1b}]0;pwned\u{7}"), "{stdout}");
    assert!(stdout.contains(r"\u{202e}"), "{stdout}");

    // JSON is escaped too, and still says exactly what the header holds.
    let output = gltape(&["info", path.to_str().unwrap(), "--json"]);
    assert!(output.status.success());
    assert_terminal_safe("info --json", &output.stdout);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["label"], HOSTILE);
    assert_eq!(report["generator"], format!("gen{HOSTILE}"));
}

#[test]
fn dump_escapes_trace_strings_and_assembles_back_to_the_same_text() {
    let dir = scratch("hygiene-dump");
    let path = hostile_trace(&dir);
    let output = gltape(&["dump", path.to_str().unwrap()]);
    assert!(output.status.success());
    assert_terminal_safe("dump", &output.stdout);
    let text = dir.join("hostile.txt");
    std::fs::write(&text, &output.stdout).unwrap();
    let again = dir.join("again.gltrace");
    let assembled = gltape(&[
        "assemble",
        text.to_str().unwrap(),
        "-o",
        again.to_str().unwrap(),
    ]);
    assert!(assembled.status.success(), "{assembled:?}");
    let redumped = gltape(&["dump", again.to_str().unwrap()]);
    assert_eq!(redumped.stdout, output.stdout);
    let decoded = trace::load(&again, &Default::default()).unwrap().trace;
    let source = &decoded
        .list
        .tables()
        .entries::<gltape::command::ProgramDesc>()[0]
        .vertex_shader;
    assert!(
        source.contains(HOSTILE),
        "the escapes decode to the same source"
    );
}

#[test]
fn errors_quoting_text_or_gl_logs_are_one_escaped_line() {
    let dir = scratch("hygiene-errors");
    // An op name from a text file, quoted by the parser's error.
    let text = dir.join("evil.txt");
    std::fs::write(
        &text,
        format!("{{\"op\":\"{}\"}}\n", "\\u001b[31mevil\\u009b"),
    )
    .unwrap();
    let out = dir.join("out.gltrace");
    let error = one_line_error(
        &gltape(&[
            "assemble",
            text.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ]),
        1,
    );
    assert!(error.contains(r"\u{1b}[31mevil\u{9b}"), "{error}");

    // A link log naming a hostile varying, and a compile log of several lines.
    for desc in [
        ProgramDesc::new("#version 450 core\nvoid main() { gl_Position = vec4(0.0); }")
            .varyings(&[&format!("v{HOSTILE}")], VaryingsMode::Interleaved),
        ProgramDesc::new(&format!(
            "#version 450 core\nvoid main() {{ a = 1; b = 2; c = 3; }} // {HOSTILE}"
        )),
    ] {
        let mut rec = Recorder::new();
        rec.program(desc).unwrap();
        let path = dir.join("bad-program.gltrace");
        trace::save(&Trace::new(rec.finish(), HOSTILE, Vec::new()), &path).unwrap();
        let error = one_line_error(&gltape(&["replay", path.to_str().unwrap()]), 1);
        assert!(error.contains("create_program"), "{error}");
    }
}

#[test]
fn unwritable_outputs_are_errors_naming_the_path() {
    let dir = scratch("hygiene-unwritable");
    let trace = committed("triangle.gltrace");
    let mut targets = vec![
        "/nonexistent/dir/shot.png".to_owned(),
        dir.display().to_string(),
    ];
    if Path::new("/dev/full").exists() {
        targets.push("/dev/full".to_owned());
    }
    for target in &targets {
        let error = one_line_error(&gltape(&["replay", &trace, "--screenshot", target]), 1);
        assert!(error.contains(target.as_str()), "{error}");
    }
    // A file where the readback directory should be.
    let file = dir.join("a-file");
    std::fs::write(&file, b"x").unwrap();
    let error = one_line_error(
        &gltape(&["replay", &trace, "--dump-readbacks", file.to_str().unwrap()]),
        1,
    );
    assert!(error.contains("a-file"), "{error}");
    // Trace outputs.
    let text = dir.join("t.txt");
    std::fs::write(&text, gltape(&["dump", &trace]).stdout).unwrap();
    for target in ["/nonexistent/dir/t.gltrace", dir.to_str().unwrap()] {
        let error = one_line_error(
            &gltape(&["assemble", text.to_str().unwrap(), "-o", target]),
            1,
        );
        assert!(error.contains(target), "{error}");
    }
    let error = one_line_error(
        &gltape(&[
            "record",
            "triangle",
            "-o",
            "/nonexistent/dir/t.gltrace",
            "--frames",
            "1",
        ]),
        1,
    );
    assert!(error.contains("/nonexistent/dir/t.gltrace"), "{error}");
}

#[test]
fn a_full_stdout_is_an_error() {
    if !Path::new("/dev/full").exists() {
        return;
    }
    let trace = committed("stream-64kib.gltrace");
    for args in [
        vec!["info", &trace],
        vec!["info", &trace, "--json"],
        vec!["dump", &trace],
        vec!["replay", &trace, "--loops", "1"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let output = Command::new(env!("CARGO_BIN_EXE_gltape"))
            .args(&args)
            .stdout(full)
            .output()
            .unwrap();
        let error = one_line_error(&output, 1);
        assert!(error.contains("standard output"), "{args:?}: {error}");
    }
}

/// Runs `gltape args` and closes its stdout after `lines` lines, as `| head -n lines` does.
fn with_closed_pipe(args: &[&str], lines: usize) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gltape"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut reader = BufReader::new(stdout);
    for _ in 0..lines {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
    }
    drop(reader);
    child.wait_with_output().unwrap()
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let trace = committed("stream-64kib.gltrace");
    // dump prints far more than a pipe holds; info, replay and record little, so their pipe
    // is closed before they write.
    for (args, lines) in [
        (vec!["dump", &trace], 1),
        (vec!["dump", &trace], 0),
        (vec!["info", &trace], 0),
        (vec!["info", &trace, "--json"], 0),
        (vec!["replay", &trace], 0),
        (vec!["replay", &trace, "--json"], 0),
    ] {
        let output = with_closed_pipe(&args, lines);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            output.stderr.is_empty(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn zero_loops_is_a_usage_error() {
    let trace = committed("triangle.gltrace");
    let error = one_line_error(&gltape(&["replay", &trace, "--loops", "0"]), 2);
    assert!(error.contains("--loops"), "{error}");
    // Other usage errors are one line too, hostile values escaped.
    let error = one_line_error(&gltape(&["replay", &trace, "--stream", HOSTILE]), 2);
    assert!(error.contains("--stream"), "{error}");
    one_line_error(&gltape(&["no-such-command"]), 2);
    // Help still prints in full, on stdout.
    let help = gltape(&["replay", "--help"]);
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("--loops"));
}
