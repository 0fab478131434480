//! The `gltape` command line, run as a user would: exit codes, one-line errors, JSON reports,
//! readback dumps, screenshots, dump/assemble round trips.

use serde_json::Value;
use std::process::Output;

mod support;
use support::*;

fn json(output: &Output) -> Value {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("one JSON object on stdout")
}

/// Asserts a failure with exactly one line on stderr, and returns it.
fn one_line_error(output: &Output) -> String {
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("gltape: error: "), "{stderr}");
    stderr
}

#[test]
fn replay_json_reports_counts_throughput_and_readback_digests() {
    let trace = committed("stream-64kib.gltrace");
    let info = json(&gltape(&["info", &trace, "--json"]));
    let report = json(&gltape(&[
        "replay", &trace, "--json", "--verify", "--loops", "3",
    ]));
    for key in [
        "commands",
        "frames",
        "upload_bytes",
        "seconds",
        "upload_gbps",
        "readbacks",
    ] {
        assert!(report.get(key).is_some(), "missing {key} in {report}");
    }
    assert_eq!(report["frames"], info["frames"]);
    assert_eq!(report["commands"], info["commands"]);
    assert_eq!(report["loops"], 3);
    assert_eq!(report["upload_bytes"], 3 * 16 * 65536);
    assert!(report["upload_gbps"].as_f64().unwrap() > 0.0);
    let readbacks = report["readbacks"].as_array().unwrap();
    let digests = info["readback_digests"].as_array().unwrap();
    assert_eq!(readbacks.len(), digests.len());
    for (index, (readback, digest)) in readbacks.iter().zip(digests).enumerate() {
        assert_eq!(readback["index"], index);
        assert_eq!(&readback["sha256"], digest);
    }
    assert_eq!(readbacks[0]["size"], 65536);
}

/// Asserts the frame time and steady-state fields of a `replay --json` report of `loops`
/// passes: p95 >= median > 0, and the steady state (the passes after the first) uploading
/// its share of the bytes at bytes / seconds.
fn assert_frame_times_and_steady_state(report: &Value, loops: u64) {
    let median = report["frame_seconds_median"].as_f64().unwrap();
    let p95 = report["frame_seconds_p95"].as_f64().unwrap();
    assert!(p95 >= median && median > 0.0, "{report}");
    assert_eq!(report["steady_loops"], loops - 1);
    let bytes = report["steady_upload_bytes"].as_u64().unwrap();
    assert_eq!(
        bytes,
        report["upload_bytes"].as_u64().unwrap() / loops * (loops - 1)
    );
    let seconds = report["steady_seconds"].as_f64().unwrap();
    assert!(seconds > 0.0 && seconds <= report["seconds"].as_f64().unwrap());
    let gbps = report["steady_upload_gbps"].as_f64().unwrap();
    let expected = bytes as f64 / seconds / 1e9;
    assert!((gbps - expected).abs() <= expected * 1e-9, "{report}");
}

#[test]
fn replay_reports_frame_times_steady_state_upload_and_draws() {
    let trace = committed("stream-64kib.gltrace");
    let report = json(&gltape(&["replay", &trace, "--json", "--loops", "4"]));
    assert_frame_times_and_steady_state(&report, 4);
    assert_eq!(report["draws"], 16);
    let text = gltape(&["replay", &trace, "--loops", "4"]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("(68 timed frames)"), "{text}");
    assert!(text.contains(" bytes in "), "{text}");
    assert!(
        text.contains("steady state: ") && text.contains("the 3 loop(s) after the first)"),
        "{text}"
    );
    assert!(
        text.contains("the timed frames include 16 draw(s) per loop"),
        "{text}"
    );
    // One loop has no steady state.
    let once = json(&gltape(&["replay", &trace, "--json"]));
    for key in [
        "steady_loops",
        "steady_upload_bytes",
        "steady_seconds",
        "steady_upload_gbps",
    ] {
        assert!(once[key].is_null(), "{key}: {once}");
    }
    // The same frames without their draws: uploads alone, and said so by saying nothing.
    let dir = scratch("uploads-only");
    let dump = gltape(&["dump", &trace]);
    let text: String = String::from_utf8_lossy(&dump.stdout)
        .lines()
        .filter(|line| !line.starts_with(r#"{"op":"render""#))
        .map(|line| format!("{line}\n"))
        .collect();
    let (jsonl, uploads) = (dir.join("uploads.jsonl"), dir.join("uploads.gltrace"));
    std::fs::write(&jsonl, text).unwrap();
    let assembled = gltape(&[
        "assemble",
        jsonl.to_str().unwrap(),
        "-o",
        uploads.to_str().unwrap(),
    ]);
    assert!(assembled.status.success());
    let uploads = uploads.to_str().unwrap();
    let report = json(&gltape(&["replay", uploads, "--json", "--loops", "3"]));
    assert_frame_times_and_steady_state(&report, 3);
    assert_eq!(report["draws"], 0);
    let text = gltape(&["replay", uploads, "--loops", "3"]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("steady state: "), "{text}");
    // "draw(s)", not "draw": the trace's path may contain the word (a checkout named so).
    assert!(!text.contains("draw(s)"), "{text}");
}

#[test]
fn a_frame_range_times_only_those_frames() {
    let trace = committed("stream-64kib.gltrace");
    let report = json(&gltape(&["replay", &trace, "--json", "--frames", "1..5"]));
    assert_eq!(report["frames"], 4);
    assert_eq!(report["upload_bytes"], 4 * 65536);
    let error = one_line_error(&gltape(&["replay", &trace, "--frames", "3..99"]));
    assert!(error.contains("3..99"), "{error}");
}

#[test]
fn readbacks_are_dumped_and_screenshots_saved() {
    let dir = scratch("dumps");
    let shot = dir.join("shot.png");
    let trace = committed("triangle.gltrace");
    let report = json(&gltape(&[
        "replay",
        &trace,
        "--json",
        "--dump-readbacks",
        dir.to_str().unwrap(),
        "--screenshot",
        shot.to_str().unwrap(),
    ]));
    for readback in report["readbacks"].as_array().unwrap() {
        let file = dir.join(format!("readback-{}.bin", readback["index"]));
        let bytes = std::fs::read(&file).unwrap();
        assert_eq!(readback["size"], bytes.len());
        assert_eq!(
            readback["sha256"],
            gltape::trace::hex(&gltape::trace::digest(&bytes))
        );
    }
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    assert_eq!((frame.width, frame.height), (64, 64));
    let at = |x: usize, y: usize| &pixels[(y * 64 + x) * 4..(y * 64 + x) * 4 + 4];
    // PNG rows run top to bottom: the triangle's apex points up, the corners are black.
    assert_eq!(at(2, 2), [0, 0, 0, 255]);
    assert_ne!(at(32, 40), [0, 0, 0, 255], "inside the triangle");
}

#[test]
fn dump_assemble_dump_is_identical_for_every_committed_trace() {
    let dir = scratch("roundtrip");
    for name in [
        "triangle.gltrace",
        "transform.gltrace",
        "small-updates.gltrace",
        "stream-64kib.gltrace",
    ] {
        let first = gltape(&["dump", &committed(name)]);
        assert!(first.status.success());
        let text = dir.join(format!("{name}.jsonl"));
        std::fs::write(&text, &first.stdout).unwrap();
        let rebuilt = dir.join(name);
        let assembled = gltape(&[
            "assemble",
            text.to_str().unwrap(),
            "-o",
            rebuilt.to_str().unwrap(),
        ]);
        assert!(
            assembled.status.success(),
            "{}",
            String::from_utf8_lossy(&assembled.stderr)
        );
        let second = gltape(&["dump", rebuilt.to_str().unwrap()]);
        assert!(
            first.stdout == second.stdout,
            "{name} changed on the round trip"
        );
    }
}

#[test]
fn an_assembled_trace_has_no_digests_to_verify() {
    let dir = scratch("nodigest");
    let text = dir.join("t.jsonl");
    std::fs::write(&text, "{\"op\":\"buffer\",\"id\":0,\"size\":2,\"dynamic\":false,\"data\":\"0102\"}\n{\"op\":\"read\",\"id\":0,\"buffer\":0,\"offset\":0}\n").unwrap();
    let trace = dir.join("t.gltrace");
    assert!(gltape(&[
        "assemble",
        text.to_str().unwrap(),
        "-o",
        trace.to_str().unwrap()
    ])
    .status
    .success());
    let report = json(&gltape(&["replay", trace.to_str().unwrap(), "--json"]));
    assert_eq!(report["readbacks"][0]["size"], 2);
    let error = one_line_error(&gltape(&["replay", trace.to_str().unwrap(), "--verify"]));
    assert!(error.contains("no readback digests"), "{error}");
}

#[test]
fn a_bad_text_line_is_named() {
    let dir = scratch("badtext");
    let text = dir.join("t.jsonl");
    std::fs::write(
        &text,
        "# a comment\n{\"op\":\"buffer\",\"id\":0,\"size\":0,\"dynamic\":false}\n",
    )
    .unwrap();
    let out = dir.join("t.gltrace");
    let error = one_line_error(&gltape(&[
        "assemble",
        text.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]));
    assert!(error.contains("line 2"), "{error}");
    assert!(!out.exists(), "nothing is written on error");
}

#[test]
fn a_truncated_trace_replays_its_complete_chunks_then_fails_naming_the_offset() {
    let dir = scratch("truncated");
    let whole = std::fs::read(committed("stream-64kib.gltrace")).unwrap();
    let cut = dir.join("cut.gltrace");
    std::fs::write(&cut, &whole[..whole.len() - 1000]).unwrap();
    let output = gltape(&["replay", cut.to_str().unwrap()]);
    let error = one_line_error(&output);
    assert!(error.contains("byte"), "{error}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("commands"),
        "the complete chunks were replayed: {stdout}"
    );
}

#[test]
fn hostile_and_missing_files_give_one_line_errors() {
    let dir = scratch("hostile");
    let garbage = dir.join("garbage.gltrace");
    std::fs::write(&garbage, b"not a trace at all, just text").unwrap();
    let missing = dir.join("missing.gltrace");
    for (file, expect) in [(&garbage, "magic"), (&missing, "missing.gltrace")] {
        for command in ["replay", "info", "dump"] {
            let error = one_line_error(&gltape(&[command, file.to_str().unwrap()]));
            assert!(error.contains(expect), "{command}: {error}");
        }
    }
}

#[test]
fn the_uniform_block_scene_records_and_verifies() {
    let dir = scratch("record-uniform-block");
    let trace = dir.join("t.gltrace");
    let path = trace.to_str().unwrap();
    let args = ["record", "uniform-block", "-o", path, "--size", "65536"];
    let output = gltape(&[&args[..], &["--frames", "4"]].concat());
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for stream in ["faithful", "fold", "ring"] {
        let report = json(&gltape(&[
            "replay", path, "--json", "--verify", "--stream", stream,
        ]));
        assert_eq!(report["verified"], true, "{stream}");
    }
}

#[test]
fn the_upload_scene_records_and_verifies() {
    let dir = scratch("record-upload");
    let trace = dir.join("t.gltrace");
    let path = trace.to_str().unwrap();
    let args = [
        "record", "upload", "-o", path, "--size", "65536", "--frames", "5",
    ];
    let output = gltape(&args);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // A pure upload loop: no program, no draw; the final read holds the last frame's bytes.
    let expected = gltape::scene::frame_bytes(4, 65536);
    for stream in ["faithful", "fold", "ring"] {
        let report = json(&gltape(&[
            "replay", path, "--json", "--verify", "--stream", stream, "--loops", "3", "--frames",
            "1..6",
        ]));
        assert_eq!(report["verified"], true, "{stream}");
        assert_eq!(report["resident_loops"], true, "{stream}");
        assert_eq!(report["frames"], 5, "{stream}");
    }
    let mut capture = gltape::Capture::headless().unwrap();
    capture
        .record(|rec| gltape::scene::Scene::Upload.record(rec, 65536, 5))
        .unwrap();
    let bytes = capture.readback(gltape::ReadbackId::from_index(0)).unwrap();
    assert_eq!(bytes, &expected[..]);
}

#[test]
fn the_compute_scene_records_and_verifies() {
    let dir = scratch("record-compute");
    let trace = dir.join("t.gltrace");
    let path = trace.to_str().unwrap();
    let output = gltape(&["record", "compute", "-o", path, "--frames", "4"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for stream in ["faithful", "fold", "ring"] {
        let report = json(&gltape(&[
            "replay", path, "--json", "--verify", "--stream", stream, "--loops", "2",
        ]));
        assert_eq!(report["verified"], true, "{stream}");
    }
    // The counters: each frame adds every texel's x to counter (x + y) % 4.
    let mut capture = gltape::Capture::headless().unwrap();
    capture
        .record(|rec| gltape::scene::Scene::Compute.record(rec, 0, 4))
        .unwrap();
    let mut expected = [0u32; 4];
    for (x, y) in (0..64u32).flat_map(|x| (0..64u32).map(move |y| (x, y))) {
        expected[((x + y) % 4) as usize] += 4 * x;
    }
    let counters = capture.readback(gltape::ReadbackId::from_index(1)).unwrap();
    let expected: Vec<u8> = expected.iter().flat_map(|c| c.to_le_bytes()).collect();
    assert_eq!(counters, &expected[..]);
}

#[test]
fn record_writes_a_trace_that_verifies() {
    let dir = scratch("record");
    let trace = dir.join("t.gltrace");
    let output = gltape(&[
        "record",
        "transform",
        "-o",
        trace.to_str().unwrap(),
        "--size",
        "64",
        "--frames",
        "2",
        "--label",
        "mine",
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let info = json(&gltape(&["info", trace.to_str().unwrap(), "--json"]));
    assert_eq!(info["label"], "mine");
    assert_eq!(info["frames"], 3, "setup frame + 2");
    let report = json(&gltape(&[
        "replay",
        trace.to_str().unwrap(),
        "--json",
        "--verify",
    ]));
    assert_eq!(report["verified"], true);
    assert_eq!(report["readbacks"][0]["size"], 64);
}

/// `replay --mapped` reads every format version (here the committed version-4 trace and the
/// same trace recorded as version 5) segment by segment, with the same readbacks as a whole
/// replay, verified; a damaged payload span is a one-line error naming its offset.
#[test]
fn replay_mapped_reads_segments_with_the_same_readbacks() {
    let dir = scratch("mapped");
    let current = dir.join("stream.gltrace");
    let current = current.to_str().unwrap();
    let recorded = gltape(&[
        "record", "stream", "--size", "65536", "--frames", "6", "-o", current,
    ]);
    assert!(recorded.status.success());
    for trace in [committed("stream-64kib.gltrace"), current.to_owned()] {
        let whole = json(&gltape(&["replay", &trace, "--json", "--verify"]));
        let mapped = json(&gltape(&[
            "replay", &trace, "--json", "--verify", "--mapped",
        ]));
        assert_eq!(mapped["mapped"], true);
        assert!(mapped["segments"].as_u64().unwrap() >= 1);
        for key in ["commands", "frames", "upload_bytes", "readbacks"] {
            assert_eq!(mapped[key], whole[key], "{trace}: {key}");
        }
    }
    let text = gltape(&["replay", current, "--mapped"]);
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(stdout.contains("read mapped in"), "{stdout}");

    let mut bytes = std::fs::read(current).unwrap();
    let last = bytes.len() - 64; // inside the last chunk's payload span (the final read's)
    bytes[last] ^= 1;
    let damaged = dir.join("damaged.gltrace");
    std::fs::write(&damaged, &bytes).unwrap();
    let error = one_line_error(&gltape(&["replay", damaged.to_str().unwrap(), "--mapped"]));
    assert!(error.contains("checksum mismatch"), "{error}");

    let refused = gltape(&["replay", current, "--mapped", "--loops", "2"]);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("--loops"), "{stderr}");
}

/// `replay --mapped` checks the `--max-*` limits command by command as it reads, and names
/// the same first command over a limit as a whole-list replay, before any of it runs.
#[test]
fn replay_mapped_applies_the_replay_limits() {
    let trace = committed("stream-64kib.gltrace");
    for limit in [["--max-object-bytes", "1K"], ["--max-readback-bytes", "16"]] {
        let whole = one_line_error(&gltape(&["replay", &trace, limit[0], limit[1]]));
        let mapped = one_line_error(&gltape(&["replay", &trace, "--mapped", limit[0], limit[1]]));
        assert!(mapped.contains("over the replay limit"), "{mapped}");
        let command = |error: &str| error.split("):").next().unwrap().to_owned();
        assert_eq!(command(&mapped), command(&whole), "{mapped} / {whole}");
    }
}

/// The bytes of docs/trace-format.md's Example block: each line's data column (hex pairs,
/// quoted strings, `…` for zeros up to the next line's offset), checked against its offset.
fn documented_example_bytes() -> Vec<u8> {
    let doc = std::fs::read_to_string("docs/trace-format.md").unwrap();
    let example = &doc[doc.find("## Example").expect("an Example section")..];
    let block = example
        .split("```text\n")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let mut bytes = Vec::new();
    let mut fill = false;
    for line in block.lines() {
        let offset = usize::from_str_radix(&line[..4], 16).unwrap();
        if fill {
            assert!(offset >= bytes.len(), "{line}");
            bytes.resize(offset, 0);
            fill = false;
        }
        assert_eq!(offset, bytes.len(), "the offset of {line:?}");
        let data: String = line.chars().skip(6).take(49).collect();
        let mut rest = data.trim();
        while !rest.is_empty() {
            if let Some(quoted) = rest.strip_prefix('"') {
                let end = quoted.find('"').unwrap();
                bytes.extend_from_slice(&quoted.as_bytes()[..end]);
                rest = quoted[end + 1..].trim_start();
                continue;
            }
            let (token, tail) = rest.split_once(' ').unwrap_or((rest, ""));
            if token == "…" {
                fill = true;
            } else {
                bytes.push(u8::from_str_radix(token, 16).unwrap());
            }
            rest = tail.trim_start();
        }
    }
    bytes
}

/// docs/trace-format.md's Example is what `gltape assemble` writes for the list it describes.
#[test]
fn the_documented_trace_example_is_what_gltape_writes() {
    let dir = scratch("doc-example");
    let text = dir.join("doc.jsonl");
    std::fs::write(
        &text,
        concat!(
            "{\"op\":\"header\",\"label\":\"doc\"}\n",
            "{\"op\":\"buffer\",\"id\":0,\"size\":3,\"dynamic\":false,\"data\":\"010203\"}\n",
            "{\"op\":\"read\",\"id\":0,\"buffer\":0,\"size\":null,\"offset\":0}\n",
            "{\"op\":\"end_frame\"}\n",
        ),
    )
    .unwrap();
    let trace = dir.join("doc.gltrace");
    let made = gltape(&[
        "assemble",
        text.to_str().unwrap(),
        "-o",
        trace.to_str().unwrap(),
    ]);
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    assert_eq!(std::fs::read(&trace).unwrap(), documented_example_bytes());
}
