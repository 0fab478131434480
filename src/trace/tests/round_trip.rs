//! Lists survive encode + decode unchanged, chunked any way.

use super::*;

#[test]
fn the_fixture_uses_every_command_kind() {
    assert_eq!(kinds(&every_kind(2)).len(), Command::NAMES.len());
}

#[test]
fn round_trip_with_many_small_chunks() {
    let trace = trace_of(every_kind(4));
    for commands in [1, 2, 3, 7] {
        let bytes = encode(&trace, &small_chunks(commands));
        let decoded = decode(&bytes, &limits()).unwrap();
        assert!(decoded.truncated.is_none());
        assert_same(&decoded.trace.list, &trace.list);
        decoded.trace.list.validate().unwrap();
        let header = &decoded.trace.header;
        assert_eq!(header.chunks as usize, trace.list.len().div_ceil(commands));
        assert_eq!(records(&bytes).len(), header.chunks as usize + 1);
        assert_eq!(
            encode(&decoded.trace, &small_chunks(commands)),
            bytes,
            "re-encoding"
        );
    }
}

#[test]
fn round_trip_with_default_options() {
    let trace = trace_of(every_kind(3));
    let bytes = encode(&trace, &EncodeOptions::default());
    let decoded = decode(&bytes, &limits()).unwrap();
    assert!(decoded.truncated.is_none());
    assert_same(&decoded.trace.list, &trace.list);
    decoded.trace.list.validate().unwrap();
    assert_eq!(decoded.trace.header.chunks, 1);
    assert_eq!(encode(&decoded.trace, &EncodeOptions::default()), bytes);
}

#[test]
fn the_header_keeps_what_was_given_and_counts_the_rest() {
    let mut trace = trace_of(every_kind(3));
    trace.header.commands = 999;
    trace.header.frames = 999;
    let bytes = encode(&trace, &small_chunks(5));
    let header = decode(&bytes, &limits()).unwrap().trace.header;
    assert_eq!(header.generator, "gltape 0.1.0");
    assert_eq!(header.gl_version, (4, 5));
    assert_eq!(header.label, "every kind");
    assert_eq!(header.frames, 3);
    assert_eq!(header.commands, trace.list.len() as u64);
    assert_eq!(header.chunks as usize, trace.list.len().div_ceil(5));
    assert_eq!(
        header.payload_bytes,
        trace.list.payload_bytes().len() as u64
    );
    assert_eq!(header.readback_digests, vec![digest(b"a"), digest(b"b")]);
}

#[test]
fn chunks_are_cut_to_keep_payloads_under_the_target() {
    let mut rec = Recorder::new();
    let buf = rec.buffer_reserve(1000, true).unwrap();
    for i in 0..20u8 {
        rec.write(buf, 0, &[i; 300]).unwrap(); // 5 blocks each
    }
    let trace = trace_of(rec.finish());
    let options = EncodeOptions {
        payload_bytes_per_chunk: 1024, // 3 writes of 320 bytes
        ..EncodeOptions::default()
    };
    let bytes = encode(&trace, &options);
    let decoded = decode(&bytes, &limits()).unwrap();
    // Chunk 0: the create and 3 writes; then 17 writes, 3 per chunk.
    assert_eq!(decoded.trace.header.chunks, 1 + 17_u32.div_ceil(3));
    assert_same(&decoded.trace.list, &trace.list);
}

#[test]
fn a_one_mib_payload_round_trips() {
    let mut rec = Recorder::new();
    let big: Vec<u8> = (0..1 << 20)
        .map(|i: u32| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let buf = rec.buffer(&big).unwrap();
    rec.write(buf, 5, &big[..1000]).unwrap();
    rec.read(buf, None, 0).unwrap();
    let trace = trace_of(rec.finish());
    let options = EncodeOptions {
        payload_bytes_per_chunk: 4096,
        ..EncodeOptions::default()
    };
    let bytes = encode(&trace, &options);
    let decoded = decode(&bytes, &limits()).unwrap();
    assert_eq!(
        decoded.trace.header.chunks, 2,
        "the big payload gets its own chunk"
    );
    assert_same(&decoded.trace.list, &trace.list);
    let Command::CreateBuffer {
        data: Some(data), ..
    } = decoded.trace.list.commands()[0]
    else {
        panic!("not a create_buffer with data");
    };
    assert_eq!(decoded.trace.list.payload(data), Some(&big[..]));
}

#[test]
fn dense_small_commands_stay_under_the_decode_limit() {
    // An orphan encodes in 3 bytes but bincode counts 16: near the worst ratio of 8.
    let mut rec = Recorder::new();
    let buf = rec.buffer_reserve(1, false).unwrap();
    for _ in 0..20_000 {
        rec.orphan(buf, Some(1)).unwrap();
    }
    let trace = trace_of(rec.finish());
    let bytes = encode(&trace, &small_chunks(usize::MAX));
    assert_eq!(records(&bytes).len(), 2);
    assert_same(&decode(&bytes, &limits()).unwrap().trace.list, &trace.list);
}

#[test]
fn an_empty_list_round_trips_with_no_chunks() {
    let trace = trace_of(CommandList::default());
    let bytes = encode(&trace, &EncodeOptions::default());
    let decoded = decode(&bytes, &limits()).unwrap();
    assert_eq!(decoded.trace.header.chunks, 0);
    assert!(decoded.trace.list.is_empty());
    assert!(decoded.truncated.is_none());
}

#[test]
fn names_are_stored_once_per_chunk_and_once_in_the_decoded_list() {
    let trace = trace_of(every_kind(5));
    let bytes = encode(&trace, &small_chunks(1));
    let list = decode(&bytes, &limits()).unwrap().trace.list;
    assert_eq!(
        list.tables().entries::<String>(),
        ["scale", "offsets", "Block"]
    );
    assert_eq!(list.tables(), trace.list.tables());
}

#[test]
fn the_encoding_buffer_is_reused() {
    let trace = trace_of(every_kind(2));
    let mut bytes = Vec::with_capacity(1 << 16);
    let pointer = bytes.as_ptr();
    encode_into(&trace, &mut bytes, &EncodeOptions::default()).unwrap();
    let first = bytes.clone();
    encode_into(&trace, &mut bytes, &EncodeOptions::default()).unwrap();
    assert_eq!(bytes, first, "cleared, not appended");
    assert_eq!(bytes.as_ptr(), pointer);
}

#[test]
fn save_and_load() {
    let trace = trace_of(every_kind(2));
    let path =
        std::env::temp_dir().join(format!("gltape-trace-test-{}.gltape", std::process::id()));
    save(&trace, &path).unwrap();
    let decoded = load(&path, &limits());
    std::fs::remove_file(&path).unwrap();
    assert_same(&decoded.unwrap().trace.list, &trace.list);
    let missing = load(&path, &limits()).unwrap_err();
    assert!(matches!(missing, TraceError::Io { .. }), "{missing}");
}

#[test]
fn lists_with_dangling_references_are_not_encoded() {
    let dangling = CommandList::from_parts(
        vec![Command::CopyBuffer {
            copy: crate::command::Index::from_raw(3),
        }],
        &[],
        Default::default(),
    )
    .unwrap();
    let err = encode_into(
        &trace_of(dangling),
        &mut Vec::new(),
        &EncodeOptions::default(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot encode command #0: it refers to copy entry 3 but the list has 0"
    );

    let mut rec = Recorder::new();
    rec.buffer(&[1u8; 100]).unwrap();
    let list = rec.finish();
    let outside =
        CommandList::from_parts(list.commands().to_vec(), &[0; 64], Default::default()).unwrap();
    let err = encode_into(
        &trace_of(outside),
        &mut Vec::new(),
        &EncodeOptions::default(),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot encode command #0: its payload of 100 bytes at byte 0 lies outside the list's 64 payload bytes"
    );
}

#[test]
fn digest_and_hex() {
    assert_eq!(
        hex(&digest(b"abc")),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(hex(&[0, 9, 0xab, 0xff]), "0009abff");
}

/// The bytes of a fixed trace: any change to the format (or to the serde shape of the
/// command types) changes this digest and needs a new format version.
#[test]
fn the_format_is_stable() {
    let mut trace = trace_of(every_kind(2));
    trace.header.generator = "fixed".to_owned();
    trace.header.incomplete = vec!["ctx.mglo (1 use)".to_owned()];
    let bytes = encode(&trace, &small_chunks(4));
    assert_eq!(&bytes[..12], b"GLTAPE\x00\x1a\x05\x00\x00\x00");
    assert_eq!(
        hex(&digest(&bytes)),
        "6843664e9c34978fa63caca9e4862de7c7c96d2c5e387f5673d5c256053595b6"
    );
}

/// A version-2 file (the committed fixture, whose chunks write all eight tables of that
/// version untagged) decodes as version 3 lists and re-encodes the same.
#[test]
fn a_version_2_file_reads() {
    let bytes = include_bytes!("../../../tests/fixtures/format-v2-triangle.gltrace");
    assert_eq!(&bytes[8..12], &2u32.to_le_bytes());
    let decoded = decode(bytes, &limits()).unwrap();
    assert!(decoded.truncated.is_none());
    let list = &decoded.trace.list;
    list.validate().unwrap();
    assert!(!list.tables().entries::<VertexArrayDesc>().is_empty());
    assert!(!list.tables().entries::<ProgramDesc>().is_empty());
    let again = encode(&decoded.trace, &EncodeOptions::default());
    assert_eq!(&again[8..12], &FORMAT_VERSION.to_le_bytes());
    assert_same(&decode(&again, &limits()).unwrap().trace.list, list);
}

/// A version-1 file (the committed fixture) decodes, with its vertex arrays skipping names
/// the program lacks as version 1 did, and re-encodes as the current version.
#[test]
fn a_version_1_file_reads_with_skip_errors() {
    let bytes = include_bytes!("../../../tests/fixtures/format-v1-triangle.gltrace");
    assert_eq!(&bytes[8..12], &1u32.to_le_bytes());
    let decoded = decode(bytes, &limits()).unwrap();
    assert!(decoded.truncated.is_none());
    let list = &decoded.trace.list;
    list.validate().unwrap();
    let vertex_arrays = list.tables().entries::<VertexArrayDesc>();
    assert!(!vertex_arrays.is_empty());
    assert!(vertex_arrays.iter().all(|v| v.skip_errors));
    let again = encode(&decoded.trace, &EncodeOptions::default());
    assert_eq!(&again[8..12], &FORMAT_VERSION.to_le_bytes());
    assert_same(&decode(&again, &limits()).unwrap().trace.list, list);
}

/// A version-3 file (the committed fixture) reads as a complete trace: its header had no
/// `incomplete` list.
#[test]
fn a_version_3_file_reads_as_complete() {
    let bytes = include_bytes!("../../../tests/fixtures/format-v3-triangle.gltrace");
    assert_eq!(&bytes[8..12], &3u32.to_le_bytes());
    let decoded = decode(bytes, &limits()).unwrap();
    assert!(decoded.truncated.is_none());
    assert!(!decoded.trace.header.is_incomplete());
    assert!(!decoded.trace.header.readback_digests.is_empty());
}

/// What a capture could not record survives a round trip through a file, in order.
#[test]
fn the_incomplete_list_round_trips() {
    let mut trace = trace_of(every_kind(1));
    let lacks = vec![
        "script.py:12: Context.detect_framebuffer (3 uses)".to_owned(),
        "script.py:40: Context.mglo (1 use)".to_owned(),
    ];
    trace.header.incomplete = lacks.clone();
    let bytes = encode(&trace, &EncodeOptions::default());
    let decoded = decode(&bytes, &limits()).unwrap().trace;
    assert!(decoded.header.is_incomplete());
    assert_eq!(decoded.header.incomplete, lacks);
    assert_eq!(decoded.header.label, trace.header.label);
}
