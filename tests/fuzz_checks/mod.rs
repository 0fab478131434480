//! What each fuzz target checks, shared by the cargo-fuzz crate (`fuzz/`, which includes this
//! file with `#[path]`) and the regression tests (`tests/fuzz_regressions.rs`), so that a saved
//! crash input replays exactly the code path that found it. See `docs/fuzzing.md`.
//!
//! Every function takes raw fuzzer bytes, must never panic on any input, and panics (through
//! `assert!`/`expect`) only when a property below is broken. Nothing here touches GL.

#![allow(dead_code)]

use gltape::text;
use gltape::trace::{self, DecodeLimits, Decoded, EncodeOptions, TraceError};
use gltape::CommandList;

/// The decoder limits the trace targets use: small, so that limit checks are reachable.
pub fn fuzz_limits() -> DecodeLimits {
    DecodeLimits {
        max_record_bytes: 1 << 20,
        max_total_bytes: 16 << 20,
    }
}

/// `bytes` with the CRC-32 of every complete record recomputed (records are walked from byte
/// 12, after the magic and version, each `len: u32 LE, crc32: u32 LE, body`). From format
/// version 5 a chunk record's body ends with its payload span's length (`u64` LE) and CRC-32
/// (`u32` LE) and the span follows, 64-byte aligned: the span's CRC-32 is recomputed too (when
/// the span is whole) and the walk goes on after it.
///
/// Without this nearly every mutation of a record body is rejected by its checksum and never
/// reaches bincode, the chunk references or validation; the trace targets decode both the
/// bytes as given and this repaired copy.
pub fn fix_checksums(bytes: &[u8]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let spans = out
        .get(8..12)
        .is_some_and(|v| v[0] >= 5 && v[1..] == [0, 0, 0]);
    let mut offset = 12usize;
    let mut header = true;
    while let Some(prefix) = out.get(offset..offset + 8) {
        let mut len = [0u8; 4];
        len.copy_from_slice(&prefix[..4]);
        let Some(end) = (offset + 8).checked_add(u32::from_le_bytes(len) as usize) else {
            break;
        };
        if end > out.len() {
            break;
        }
        let mut next = Some(end);
        if spans && !header {
            // The walk stops at a chunk whose span is cut (or whose body is too short).
            next = None;
            if end >= offset + 8 + 12 {
                let mut span_len = [0u8; 8];
                span_len.copy_from_slice(&out[end - 12..end - 4]);
                let span_start = end.next_multiple_of(64);
                let span_end = usize::try_from(u64::from_le_bytes(span_len))
                    .ok()
                    .and_then(|l| span_start.checked_add(l));
                if let Some(span_end) = span_end.filter(|&e| e <= out.len()) {
                    let crc = crc32fast::hash(&out[span_start..span_end]).to_le_bytes();
                    out[end - 4..end].copy_from_slice(&crc);
                    next = Some(span_end);
                }
            }
        }
        let crc = crc32fast::hash(&out[offset + 8..end]).to_le_bytes();
        out[offset + 4..offset + 8].copy_from_slice(&crc);
        let Some(next) = next else {
            break;
        };
        header = false;
        offset = next;
    }
    out
}

/// Decodes `bytes` with [`fuzz_limits`] and checks what a decoder promises:
/// no panic; on success without truncation, as many commands as the header announces; on
/// success with truncation, a [`TraceError::Truncated`] naming a chunk before the announced
/// count; every error prints.
pub fn check_decode(bytes: &[u8]) -> Option<Decoded> {
    match trace::decode(bytes, &fuzz_limits()) {
        Ok(decoded) => {
            let header = &decoded.trace.header;
            let found = decoded.trace.list.len() as u64;
            match &decoded.truncated {
                None => assert_eq!(
                    found, header.commands,
                    "a whole file decoded to another command count than its header's"
                ),
                Some(TraceError::Truncated {
                    chunk,
                    expected_chunks,
                    file_len,
                    ..
                }) => {
                    assert!(
                        chunk < expected_chunks,
                        "truncated at chunk {chunk} of {expected_chunks}"
                    );
                    assert_eq!(*file_len, bytes.len() as u64);
                }
                Some(other) => panic!("`truncated` holds a {other:?}"),
            }
            if let Some(error) = &decoded.truncated {
                let _ = error.to_string();
            }
            Some(decoded)
        }
        Err(error) => {
            let _ = error.to_string();
            None
        }
    }
}

/// Target `decode`: the bytes as given, then with repaired checksums, each also mapped
/// ([`check_mapped`]).
pub fn decode_target(data: &[u8]) {
    let copied = check_decode(data);
    check_mapped(data, copied.as_ref());
    let fixed = fix_checksums(data);
    if fixed != data {
        let copied = check_decode(&fixed);
        check_mapped(&fixed, copied.as_ref());
    }
}

/// Writes `bytes` to this process's scratch file and returns its path.
fn scratch_file(bytes: &[u8]) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("gltape-fuzz-{}.gltrace", std::process::id()));
    std::fs::write(&path, bytes).expect("write the scratch file");
    path
}

/// Decodes `bytes` from a mapped file ([`trace::load_mapped`], payloads used in place) and
/// compares with `copied`, what [`check_decode`] made of the same bytes:
///
/// * where the copy decodes, the mapped file decodes to as many commands with the same
///   truncation, validates exactly when the copy does, and dumps to the same text;
/// * where the copy fails, the mapped file fails too, unless the copy's error was a payload
///   span's checksum (the mapped file defers it): then the mapped list fails validation
///   with `PayloadChecksum`;
/// * read in segments ([`trace::SegmentReader`]), a file whose list validates gives every
///   command and readback of the list, and one with a damaged span fails.
pub fn check_mapped(bytes: &[u8], copied: Option<&Decoded>) {
    if bytes.is_empty() {
        return;
    }
    let path = scratch_file(bytes);
    // SAFETY: this process's own scratch file, unchanged until the next input.
    let mapped = unsafe { trace::load_mapped(&path, &fuzz_limits()) };
    let copy_error = match copied {
        Some(_) => None,
        None => trace::decode(bytes, &fuzz_limits()).err(),
    };
    let deferred = matches!(&copy_error, Some(TraceError::Checksum { what, .. }) if what.ends_with("payload span"));
    let valid = match (copied, &mapped) {
        (Some(copy), Ok(mapped)) => {
            assert_eq!(mapped.trace.list.len(), copy.trace.list.len());
            assert_eq!(mapped.truncated.is_some(), copy.truncated.is_some());
            let valid = copy.trace.list.validate().is_ok();
            assert_eq!(
                mapped.trace.list.validate().is_ok(),
                valid,
                "a mapped list validates differently from its copy"
            );
            if valid {
                assert_eq!(dump_text(&mapped.trace.list), dump_text(&copy.trace.list));
            }
            valid && copy.truncated.is_none()
        }
        (Some(_), Err(error)) => panic!("the copy decodes, the mapped file does not: {error}"),
        (None, Ok(mapped)) => {
            assert!(
                deferred,
                "the mapped file decodes, the copy does not: {copy_error:?}"
            );
            let invalid = mapped
                .trace
                .list
                .validate()
                .expect_err("a damaged span validates");
            assert!(
                matches!(
                    invalid.error,
                    gltape::ValidationError::PayloadChecksum { .. }
                ),
                "{invalid}"
            );
            false
        }
        (None, Err(error)) => {
            let _ = error.to_string();
            false
        }
    };
    check_segments(&path, copied.filter(|_| valid), deferred);
}

/// Reads the file at `path` in segments: every command and readback of `valid` (a list that
/// validates, decoded from the same file) when given, an error when `damaged`; no panic in any
/// case.
fn check_segments(path: &std::path::Path, valid: Option<&Decoded>, damaged: bool) {
    // SAFETY: as in check_mapped.
    let Ok(reader) = (unsafe { trace::SegmentReader::open(path, &fuzz_limits()) }) else {
        assert!(valid.is_none(), "a valid file does not open in segments");
        return;
    };
    let (mut commands, mut readbacks, mut failed) = (0, 0, false);
    for segment in reader {
        match segment {
            Ok(segment) => {
                assert_eq!(segment.readbacks().start, readbacks);
                commands += segment.list().len();
                readbacks = segment.readbacks().end;
            }
            Err(error) => {
                let _ = error.to_string();
                failed = true;
            }
        }
    }
    if let Some(valid) = valid {
        assert!(!failed, "a file whose list validates fails in segments");
        assert_eq!(commands, valid.trace.list.len());
        let list = valid.trace.list.validate().expect("validated before");
        assert_eq!(readbacks, list.readback_count());
    }
    if damaged {
        assert!(failed, "a damaged payload span passes in segments");
    }
}

/// Target `decode_validate`: [`check_decode`], then [`check_validate`] on whatever decodes,
/// for the bytes as given and with repaired checksums.
pub fn decode_validate_target(data: &[u8]) {
    if let Some(decoded) = check_decode(data) {
        check_validate(&decoded, data);
    }
    let fixed = fix_checksums(data);
    if fixed != data {
        if let Some(decoded) = check_decode(&fixed) {
            check_validate(&decoded, &fixed);
        }
    }
}

/// `list` as text, or the dump error's message.
pub fn dump_text(list: &CommandList) -> Result<String, String> {
    let mut out = Vec::new();
    text::dump(list, &mut out).map_err(|e| e.to_string())?;
    Ok(String::from_utf8(out).expect("dump writes UTF-8"))
}

/// Validates a decoded list; a list that validates must dump to text and survive a trace
/// round trip:
///
/// * encode (default options) and decode again: no truncation, same command count, the same
///   text dump (commands equal up to where payloads and table entries sit: the encoder keeps
///   only referenced payload blocks and table entries, in first-use order), header fields
///   kept, still valid;
/// * the round trip is canonical: encoding the decoded copy gives the same bytes, and decoding
///   those gives equal commands;
/// * encoded in small chunks (a few commands, a few payload blocks each, chosen from the
///   input) it decodes to the same text dump.
///
/// A list that fails validation must still dump without panicking (an error is fine).
pub fn check_validate(decoded: &Decoded, input: &[u8]) {
    let list = &decoded.trace.list;
    let dumped = dump_text(list);
    match list.validate() {
        Err(invalid) => {
            let _ = invalid.to_string();
            return;
        }
        Ok(valid) => {
            let _ = valid.readback_count();
            check_limits(&valid);
        }
    }
    let text = dumped.unwrap_or_else(|e| panic!("a list that validates does not dump: {e}"));

    let mut first = Vec::new();
    trace::encode_into(&decoded.trace, &mut first, &EncodeOptions::default())
        .unwrap_or_else(|e| panic!("a list that validates does not encode: {e}"));
    let again = trace::decode(&first, &DecodeLimits::default())
        .unwrap_or_else(|e| panic!("a re-encoded list does not decode: {e}"));
    assert!(
        again.truncated.is_none(),
        "a re-encoded list decodes truncated"
    );
    let list2 = &again.trace.list;
    assert_eq!(
        list2.len(),
        list.len(),
        "the round trip changed the command count"
    );
    let text2 = dump_text(list2).unwrap_or_else(|e| panic!("the round trip does not dump: {e}"));
    assert_eq!(text2, text, "the round trip changed what the list says");
    list2
        .validate()
        .unwrap_or_else(|e| panic!("the round trip made a valid list invalid: {e}"));
    let (h1, h2) = (&decoded.trace.header, &again.trace.header);
    assert_eq!(h2.generator, h1.generator);
    assert_eq!(h2.gl_version, h1.gl_version);
    assert_eq!(h2.label, h1.label);
    assert_eq!(h2.readback_digests, h1.readback_digests);
    assert_eq!(h2.commands, list.len() as u64);
    assert_eq!(h2.frames, list.frames());

    let mut second = Vec::new();
    trace::encode_into(&again.trace, &mut second, &EncodeOptions::default())
        .unwrap_or_else(|e| panic!("the decoded copy does not encode: {e}"));
    assert!(
        second == first,
        "encoding is not canonical after one round trip"
    );
    let third = trace::decode(&second, &DecodeLimits::default())
        .unwrap_or_else(|e| panic!("the second encoding does not decode: {e}"));
    assert_eq!(third.trace.list.commands(), list2.commands());
    assert_eq!(third.trace.list.payload_bytes(), list2.payload_bytes());

    let seed = input
        .iter()
        .fold(0usize, |h, &b| h.wrapping_mul(31).wrapping_add(b.into()));
    let options = EncodeOptions {
        commands_per_chunk: seed % 5,
        payload_bytes_per_chunk: 64 * ((seed / 5) % 4) as u64,
    };
    let mut chunked = Vec::new();
    trace::encode_into(&decoded.trace, &mut chunked, &options)
        .unwrap_or_else(|e| panic!("a list that validates does not encode with {options:?}: {e}"));
    let split = trace::decode(&chunked, &DecodeLimits::default())
        .unwrap_or_else(|e| panic!("a list encoded with {options:?} does not decode: {e}"));
    assert!(split.truncated.is_none());
    let text3 = dump_text(&split.trace.list)
        .unwrap_or_else(|e| panic!("a list encoded with {options:?} does not dump: {e}"));
    assert_eq!(
        text3, text,
        "encoding with {options:?} changed what the list says"
    );
}

/// Replay limits on a valid list never panic: lifted, the list is within them; at the
/// defaults and at tiny limits (with and without ring accounting) an error names a command
/// of the list and a value over its limit.
fn check_limits(valid: &gltape::ValidatedList<'_>) {
    use gltape::ReplayLimits;
    let len = valid.list().len();
    let tiny = ReplayLimits {
        max_object_bytes: 64,
        max_readback_bytes: 16,
        max_draw_work: 3,
        max_replay_work: 5,
        ..ReplayLimits::unlimited()
    };
    for ring in [false, true] {
        assert_eq!(
            valid.check_limits(&ReplayLimits::unlimited(), (64, 64), ring, len),
            Ok(()),
            "a list over unlimited limits"
        );
        for limits in [ReplayLimits::default(), tiny.clone()] {
            if let Err(over) = valid.check_limits(&limits, (64, 64), ring, len) {
                assert!(over.index < len, "{over}");
                assert!(over.value > over.max, "{over}");
                let _ = over.to_string();
            }
        }
    }
}

/// `text::read` with small limits over raw bytes never panics; what it accepts is the bytes
/// themselves, as text.
fn check_text_read(data: &[u8]) {
    let limits = text::TextLimits {
        max_total_bytes: 1 << 16,
        max_line_bytes: 1 << 10,
    };
    match text::read(data, &limits) {
        Ok(read) => assert_eq!(read.as_bytes(), data, "text::read changed the text"),
        Err(error) => {
            let _ = error.to_string();
        }
    }
}

/// Target `assemble`: the bytes as (lossy) UTF-8 text. When it assembles, the list must
/// validate, dump, assemble again from its dump to the same dump, and survive a trace round
/// trip with equal commands and payload bytes (a recorder's list is already canonical).
pub fn assemble_target(data: &[u8]) {
    check_text_read(data);
    let source = String::from_utf8_lossy(data);
    let list = match text::assemble(&source) {
        Ok(list) => list,
        Err(error) => {
            let _ = (error.to_string(), error.line());
            return;
        }
    };
    list.validate()
        .unwrap_or_else(|e| panic!("an assembled list does not validate: {e}"));
    let text = dump_text(&list).unwrap_or_else(|e| panic!("an assembled list does not dump: {e}"));
    let list2 = text::assemble(&text)
        .unwrap_or_else(|e| panic!("a dump does not assemble: {e}\n--- dump ---\n{text}"));
    let text2 =
        dump_text(&list2).unwrap_or_else(|e| panic!("a re-assembled list does not dump: {e}"));
    assert_eq!(text2, text, "dump -> assemble -> dump changed the text");
    assert_eq!(list2.commands(), list.commands());

    let trace = trace::Trace::new(list, "fuzz", Vec::new());
    let mut bytes = Vec::new();
    trace::encode_into(&trace, &mut bytes, &EncodeOptions::default())
        .unwrap_or_else(|e| panic!("an assembled list does not encode: {e}"));
    let decoded = trace::decode(&bytes, &DecodeLimits::default())
        .unwrap_or_else(|e| panic!("an assembled list's trace does not decode: {e}"));
    assert!(decoded.truncated.is_none());
    assert_eq!(decoded.trace.list.commands(), trace.list.commands());
    assert_eq!(
        decoded.trace.list.payload_bytes(),
        trace.list.payload_bytes()
    );
    let text3 = dump_text(&decoded.trace.list)
        .unwrap_or_else(|e| panic!("an assembled list's trace does not dump: {e}"));
    assert_eq!(
        text3, text,
        "the trace round trip changed what the list says"
    );
}
