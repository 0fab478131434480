//! Mapped files: version-5 payloads used in place, their checksums compared by validation.

use super::*;
use crate::ValidationError;

/// `trace` saved with `options` to a fresh file; its path and bytes.
fn saved(trace: &Trace, options: &EncodeOptions, name: &str) -> (std::path::PathBuf, Vec<u8>) {
    let path = std::env::temp_dir().join(format!(
        "gltape-mapped-{name}-{}.gltrace",
        std::process::id()
    ));
    save_with(trace, &path, options).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    (path, bytes)
}

/// The first payload any command of `list` carries.
fn first_payload(list: &CommandList) -> crate::command::Payload {
    list.commands().iter().flat_map(payloads).next().unwrap()
}

#[test]
fn a_mapped_version_5_file_uses_its_payloads_in_place() {
    let trace = trace_of(every_kind(3));
    let options = small_chunks(5);
    let (path, bytes) = saved(&trace, &options, "in-place");
    // SAFETY: the test's own file, unchanged until it is removed below.
    let decoded = unsafe { load_mapped(&path, &limits()) }.unwrap();
    assert!(decoded.truncated.is_none());
    let list = &decoded.trace.list;
    // The arena is the file: payload offsets are file offsets.
    assert_eq!(&list.payload_bytes()[..8], &MAGIC);
    let payload = first_payload(list);
    let at = payload.start() as usize;
    assert_eq!(
        list.payload(payload).unwrap(),
        &bytes[at..at + payload.size() as usize]
    );
    assert_eq!(at % 64, 0);
    list.validate().unwrap();
    // The same list as decoding a copy: re-encoded, the same file.
    assert_eq!(encode(&decoded.trace, &options), bytes);
    let copied = decode(&bytes, &limits()).unwrap();
    assert_same(&copied.trace.list, &trace.list);
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn a_damaged_payload_is_found_by_validation_or_by_decoding_a_copy() {
    let trace = trace_of(every_kind(1));
    let (path, mut bytes) = saved(&trace, &small_chunks(4), "damaged");
    let records = records(&bytes);
    // The payload span of chunk 0 ends its record.
    let span_end = records[1].end;
    bytes[span_end - 1] ^= 0x10;
    std::fs::write(&path, &bytes).unwrap();
    let body_end = records[1].start + 8 + body_lens(&bytes)[1];
    let span_start = body_end.next_multiple_of(64);

    // SAFETY: the test's own file, unchanged until it is removed below.
    let decoded = unsafe { load_mapped(&path, &limits()) }.unwrap();
    let err = decoded.trace.list.validate().unwrap_err();
    assert!(
        matches!(err.error, ValidationError::PayloadChecksum { offset, len, .. }
            if offset as usize == span_start && len as usize == span_end - span_start),
        "{err}"
    );
    assert_eq!(err.index, 0, "the first command carrying a damaged payload");
    assert!(err.to_string().contains(&format!(
        "the payload bytes of the chunk at byte {span_start}"
    )));
    // Encoding refuses it too (nothing unchecked is written out).
    let encoded = encode_into(&decoded.trace, &mut Vec::new(), &EncodeOptions::default());
    assert!(
        matches!(encoded, Err(TraceError::Checksum { .. })),
        "{encoded:?}"
    );

    let err = decode(&bytes, &limits()).unwrap_err();
    assert!(
        matches!(&err, TraceError::Checksum { what, offset, .. }
            if what == "chunk 0 payload span" && *offset as usize == span_start),
        "{err}"
    );
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn what_cannot_be_mapped_is_read() {
    // SAFETY: /dev/null is not mapped (it is not a regular file).
    let err = unsafe { load_mapped("/dev/null", &limits()) }.unwrap_err();
    assert!(matches!(err, TraceError::Empty), "{err}");
    // SAFETY: nothing is mapped.
    let err = unsafe { load_mapped("/nonexistent/trace", &limits()) }.unwrap_err();
    assert!(matches!(err, TraceError::Io { .. }), "{err}");
}

/// The committed version-5 fixture reads, mapped or copied, to the same list.
#[test]
fn the_version_5_fixture_reads_mapped_and_copied() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/format-v5-triangle.gltrace"
    );
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(&bytes[8..12], &5u32.to_le_bytes());
    let copied = decode(&bytes, &limits()).unwrap();
    assert!(copied.truncated.is_none());
    copied.trace.list.validate().unwrap();
    // SAFETY: a committed fixture, not changed while the test runs.
    let mapped = unsafe { load_mapped(path, &limits()) }.unwrap();
    mapped.trace.list.validate().unwrap();
    assert_eq!(mapped.trace.header, copied.trace.header);
    let options = EncodeOptions::default();
    assert_eq!(
        encode(&mapped.trace, &options),
        encode(&copied.trace, &options)
    );
}

/// The version-4 fixture still reads.
#[test]
fn a_version_4_file_reads() {
    let bytes = include_bytes!("../../../tests/fixtures/format-v4-triangle.gltrace");
    assert_eq!(&bytes[8..12], &4u32.to_le_bytes());
    let decoded = decode(bytes, &limits()).unwrap();
    assert!(decoded.truncated.is_none());
    decoded.trace.list.validate().unwrap();
}
