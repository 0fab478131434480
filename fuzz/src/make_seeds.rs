//! Writes seed inputs for the fuzz targets from the repository's committed traces and docs.
//!
//! Usage: `make_seeds REPO_ROOT OUT_DIR` (scripts/fuzz runs it; it is no fuzz target).
//! Writes `OUT_DIR/trace/` (for `decode` and `decode_validate`) and `OUT_DIR/text/` (for
//! `assemble`), replacing what was there:
//!
//! * trace: every `traces/*.gltrace` and `tests/fixtures/*.gltrace` as committed; for each,
//!   prefixes of its command list (the setup frame, then a few commands more) encoded whole
//!   and in tiny chunks (2 or 3 commands, 64 or 128 payload bytes each, so that chunk
//!   rebasing and name interning across chunks are reachable from small inputs), and a copy
//!   cut inside its last record;
//! * text: the example blocks of `docs/text-format.md`; each trace's `dump`, cut into files of
//!   its setup frame plus a window of about 24 lines, with long `write` payloads shortened
//!   to 32 bytes so that the files stay small.

use gltape::trace::{self, DecodeLimits, EncodeOptions, Trace};
use gltape::{text, CommandList};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let [_, root, out] = args.as_slice() else {
        eprintln!("usage: make_seeds REPO_ROOT OUT_DIR");
        return ExitCode::from(2);
    };
    match run(Path::new(root), Path::new(out)) {
        Ok((traces, texts)) => {
            println!("make_seeds: {traces} trace seeds, {texts} text seeds in {out}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("make_seeds: {error}");
            ExitCode::FAILURE
        }
    }
}

type Error = Box<dyn std::error::Error>;

fn run(root: &Path, out: &Path) -> Result<(usize, usize), Error> {
    let trace_dir = out.join("trace");
    let text_dir = out.join("text");
    for dir in [&trace_dir, &text_dir] {
        if dir.exists() {
            std::fs::remove_dir_all(dir)?;
        }
        std::fs::create_dir_all(dir)?;
    }
    let mut files = gltraces(&root.join("traces"))?;
    files.extend(gltraces(&root.join("tests/fixtures"))?);
    let (mut traces, mut texts) = (0, 0);

    let docs = std::fs::read_to_string(root.join("docs/text-format.md"))?;
    for (index, block) in jsonl_blocks(&docs).into_iter().enumerate() {
        std::fs::write(text_dir.join(format!("docs-example-{index}.jsonl")), block)?;
        texts += 1;
    }

    for path in &files {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("trace")
            .to_owned();
        let bytes = std::fs::read(path)?;
        std::fs::write(trace_dir.join(format!("{stem}.gltrace")), &bytes)?;
        traces += 1;
        let decoded = trace::decode(&bytes, &DecodeLimits::default())
            .map_err(|e| format!("{}: {e}", path.display()))?;
        let list = &decoded.trace.list;
        let setup = list
            .commands()
            .iter()
            .position(|c| matches!(c, gltape::command::Command::EndFrame))
            .map_or(list.len(), |i| i + 1);

        // Prefixes: the setup frame, then a few more commands; whole and in tiny chunks.
        for extra in [0usize, 2, 5, 9] {
            let n = (setup + extra).min(list.len());
            let prefix = CommandList::from_parts(
                list.commands()[..n].to_vec(),
                list.payload_bytes(),
                list.tables().clone(),
            )?;
            let prefix = Trace::new(prefix, &stem, decoded.trace.header.readback_digests.clone());
            for (tag, options) in [
                ("whole", EncodeOptions::default()),
                (
                    "chunks2",
                    EncodeOptions {
                        commands_per_chunk: 2,
                        payload_bytes_per_chunk: 64,
                    },
                ),
                (
                    "chunks3",
                    EncodeOptions {
                        commands_per_chunk: 3,
                        payload_bytes_per_chunk: 128,
                    },
                ),
            ] {
                let mut encoded = Vec::new();
                trace::encode_into(&prefix, &mut encoded, &options)?;
                if encoded.len() > 64 << 10 {
                    continue; // a 64 KiB or 1 MiB write: the committed file covers it
                }
                let name = format!("{stem}-first{n}-{tag}.gltrace");
                std::fs::write(trace_dir.join(&name), &encoded)?;
                traces += 1;
                if tag == "chunks3" && encoded.len() > 40 {
                    // Cut inside the last record: the decoder reports truncation.
                    let cut = &encoded[..encoded.len() - 7];
                    std::fs::write(trace_dir.join(format!("{stem}-first{n}-cut.gltrace")), cut)?;
                    traces += 1;
                }
            }
            if n == list.len() {
                break;
            }
        }

        // Text: setup lines plus windows of the rest.
        let mut dumped = Vec::new();
        text::dump(list, &mut dumped)?;
        let lines: Vec<String> = String::from_utf8(dumped)?
            .lines()
            .map(shorten_write)
            .collect();
        let (head, rest) = lines.split_at(setup.min(lines.len()));
        let window = 24;
        let mut starts: Vec<usize> = (0..rest.len()).step_by(window).take(4).collect();
        if rest.len() > window {
            starts.push(rest.len() - window); // the end: reads and releases
        }
        starts.dedup();
        if starts.is_empty() {
            starts.push(0);
        }
        for start in starts {
            let end = (start + window).min(rest.len());
            let mut file = head.join("\n");
            for line in &rest[start..end] {
                file.push('\n');
                file.push_str(line);
            }
            file.push('\n');
            if file.len() > 32 << 10 {
                continue;
            }
            std::fs::write(text_dir.join(format!("{stem}-{start}.jsonl")), file)?;
            texts += 1;
        }
    }
    Ok((traces, texts))
}

/// The `.gltrace` files in `dir`, sorted.
fn gltraces(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "gltrace"))
        .collect();
    files.sort();
    Ok(files)
}

/// Every ```jsonl block of a Markdown text.
fn jsonl_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut rest = markdown;
    while let Some(start) = rest.find("```jsonl\n") {
        rest = &rest[start + "```jsonl\n".len()..];
        let Some(len) = rest.find("```") else { break };
        blocks.push(rest[..len].to_owned());
        rest = &rest[len + 3..];
    }
    blocks
}

/// A `write` line with more than 32 payload bytes keeps only the first 32 (still a valid
/// write: same buffer and offset, fewer bytes).
fn shorten_write(line: &str) -> String {
    let Ok(mut value) = serde_json::from_str::<serde_json::Value>(line) else {
        return line.to_owned();
    };
    if value.get("op").and_then(|op| op.as_str()) != Some("write") {
        return line.to_owned();
    }
    if let Some(serde_json::Value::String(data)) = value.get_mut("data") {
        if data.len() > 64 {
            data.truncate(64);
        }
    }
    value.to_string()
}
