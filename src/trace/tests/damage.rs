//! Damaged files: errors with the right offsets, truncation keeps whole chunks, no panics.

use super::record::{write_aligned, write_record};
use super::*;

/// A small file of several chunks.
fn small_file() -> (Trace, Vec<u8>) {
    let trace = trace_of(every_kind(1));
    let bytes = encode(&trace, &small_chunks(4));
    (trace, bytes)
}

/// Commands in the first `chunks` chunks of `bytes`.
fn commands_in_chunks(bytes: &[u8], chunks: usize) -> usize {
    let header = decode(bytes, &limits()).unwrap().trace.header;
    (header.commands as usize).min(chunks * 4)
}

#[test]
fn every_single_bit_flip_is_caught() {
    let (trace, bytes) = small_file();
    let mut damaged = bytes.clone();
    for byte in 0..bytes.len() {
        for bit in 0..8 {
            damaged[byte] ^= 1 << bit;
            match decode(&damaged, &limits()) {
                Err(_) => {}
                Ok(decoded) => {
                    assert!(
                        decoded.truncated.is_some(),
                        "flipping bit {bit} of byte {byte} went unnoticed"
                    );
                    assert_prefix(&decoded.trace.list, &trace.list);
                }
            }
            damaged[byte] ^= 1 << bit;
        }
    }
}

#[test]
fn a_cut_keeps_every_chunk_before_it() {
    let (trace, bytes) = small_file();
    let records = records(&bytes);
    let chunks = &records[1..];
    let expected_chunks = chunks.len() as u32;
    assert!(expected_chunks > 5);
    for cut in 0..bytes.len() {
        let result = decode(&bytes[..cut], &limits());
        if cut < records[0].end {
            assert!(
                result.is_err(),
                "a cut at {cut} inside the start must be an error"
            );
            continue;
        }
        let decoded = result.unwrap();
        let complete = chunks.iter().filter(|r| r.end <= cut).count();
        let Some(TraceError::Truncated {
            offset,
            file_len,
            chunk,
            expected_chunks: e,
        }) = decoded.truncated
        else {
            panic!("a cut at {cut} is not reported");
        };
        assert_eq!(
            (chunk as usize, e, file_len),
            (complete, expected_chunks, cut as u64)
        );
        assert_eq!(offset as usize, chunks[complete].start);
        assert_eq!(
            decoded.trace.list.len(),
            commands_in_chunks(&bytes, complete)
        );
        assert_prefix(&decoded.trace.list, &trace.list);
    }
    assert!(decode(&bytes, &limits()).unwrap().truncated.is_none());
}

#[test]
fn the_truncation_message_names_offset_and_chunk() {
    let (_, bytes) = small_file();
    let second = records(&bytes)[2].clone();
    let cut = &bytes[..second.start + 10];
    let err = decode(cut, &limits()).unwrap().truncated.unwrap();
    assert_eq!(
        err.to_string(),
        format!(
            "the trace file is truncated: it ends at byte {}, inside chunk 1 (which starts at byte {}); \
             1 of {} chunks are complete",
            second.start + 10,
            second.start,
            records(&bytes).len() - 1
        )
    );
}

#[test]
fn empty_short_and_foreign_files() {
    assert!(matches!(decode(&[], &limits()), Err(TraceError::Empty)));
    assert!(matches!(
        decode(b"GLTA", &limits()),
        Err(TraceError::TooShort {
            what: "magic",
            offset: 4,
            needed: 8
        })
    ));
    let err = decode(b"\x89PNG\r\n\x1a\n....", &limits()).unwrap_err();
    assert!(matches!(&err, TraceError::BadMagic { found } if found == b"\x89PNG\r\n\x1a\n"));
    assert_eq!(
        err.to_string(),
        "not a gltape trace: the magic at byte 0 is 89504e470d0a1a0a (expected 474c54415045001a)"
    );
    assert!(matches!(
        decode(b"GLTAPE\x00\x1a\x01\x00", &limits()),
        Err(TraceError::TooShort {
            what: "version",
            offset: 10,
            needed: 12
        })
    ));
    assert!(matches!(
        decode(b"GLTAPE\x00\x1a\x01\x00\x00\x00\x05", &limits()),
        Err(TraceError::TooShort {
            what: "header record prefix",
            offset: 13,
            needed: 20
        })
    ));
}

#[test]
fn versions_after_the_current_one_and_zero_are_refused() {
    let (_, mut bytes) = small_file();
    bytes[8] = 6;
    assert!(matches!(
        decode(&bytes, &limits()),
        Err(TraceError::FutureVersion {
            version: 6,
            supported: 5
        })
    ));
    bytes[8] = 0;
    assert!(matches!(
        decode(&bytes, &limits()),
        Err(TraceError::UnknownVersion { version: 0 })
    ));
}

/// `bytes` with the length prefix of the record at `at` set to `len`.
fn with_len(bytes: &[u8], at: usize, len: u32) -> Vec<u8> {
    let mut bytes = bytes.to_vec();
    bytes[at..at + 4].copy_from_slice(&len.to_le_bytes());
    bytes
}

#[test]
fn hostile_record_lengths() {
    let (_, bytes) = small_file();
    let records = records(&bytes);
    let limit = limits().max_record_bytes;
    let chunk = records[3].start;

    let err = decode(&with_len(&bytes, 12, u32::MAX), &limits()).unwrap_err();
    assert!(
        matches!(err, TraceError::RecordTooLarge { offset: 12, len, limit: l } if len == u64::from(u32::MAX) && l == limit)
    );
    let err = decode(&with_len(&bytes, chunk, u32::MAX), &limits()).unwrap_err();
    assert!(matches!(err, TraceError::RecordTooLarge { offset, .. } if offset as usize == chunk));

    // The header is needed whole: past the end is an error.
    let past = bytes.len() as u32;
    let err = decode(&with_len(&bytes, 12, past), &limits()).unwrap_err();
    assert!(
        matches!(err, TraceError::RecordPastEnd { offset: 12, len, available } if len == u64::from(past) && available == bytes.len() as u64 - 20)
    );
    // A chunk that runs past the end is a cut file: the chunks before it are kept.
    let decoded = decode(&with_len(&bytes, chunk, past), &limits()).unwrap();
    assert!(
        matches!(decoded.truncated, Some(TraceError::Truncated { chunk: 2, offset, .. }) if offset as usize == chunk)
    );
    assert_eq!(decoded.trace.list.len(), 8);
}

#[test]
fn limits_smaller_than_a_record_or_the_file() {
    let (_, bytes) = small_file();
    let records = records(&bytes);
    let header_len = (records[0].len() - 8) as u64;
    let tight = DecodeLimits {
        max_record_bytes: 10,
        ..limits()
    };
    let err = decode(&bytes, &tight).unwrap_err();
    assert!(
        matches!(err, TraceError::RecordTooLarge { offset: 12, len, limit: 10 } if len == header_len)
    );

    // A version-5 chunk's payload span counts as a record of its own.
    let lens: Vec<usize> = (body_lens(&bytes).iter().zip(&records))
        .map(|(&body, r)| {
            body.max(
                r.end
                    .saturating_sub((r.start + 8 + body).next_multiple_of(64)),
            )
        })
        .collect();
    let biggest_chunk = *lens[1..].iter().max().unwrap();
    let at = lens[1..].iter().position(|&l| l == biggest_chunk).unwrap();
    let tight = DecodeLimits {
        max_record_bytes: biggest_chunk as u64 - 1,
        ..limits()
    };
    let err = decode(&bytes, &tight).unwrap_err();
    assert!(
        matches!(err, TraceError::RecordTooLarge { offset, .. } if offset as usize == records[1 + at].start),
        "{err}"
    );

    let tight = DecodeLimits {
        max_total_bytes: 100,
        ..limits()
    };
    assert!(matches!(
        decode(&bytes, &tight),
        Err(TraceError::FileTooLarge { limit: 100, .. })
    ));
}

#[test]
fn checksums_are_checked_before_decoding() {
    let (_, mut bytes) = small_file();
    let second = records(&bytes)[2].clone();
    bytes[second.start + 12] ^= 0x40;
    let err = decode(&bytes, &limits()).unwrap_err();
    assert!(
        matches!(&err, TraceError::Checksum { what, offset, .. } if what == "chunk 1" && *offset as usize == second.start),
        "{err}"
    );
    bytes[20] ^= 1;
    let err = decode(&bytes, &limits()).unwrap_err();
    assert!(
        matches!(&err, TraceError::Checksum { what, offset: 12, .. } if what == "header"),
        "{err}"
    );
}

/// A file of `bytes`' header record followed by records of `bodies` (each a valid record).
fn with_chunk_bodies(bytes: &[u8], bodies: &[&dyn erased::Body]) -> Vec<u8> {
    let header = records(bytes)[0].clone();
    let mut out = bytes[..header.end].to_vec();
    for body in bodies {
        body.write(&mut out);
    }
    out
}

/// Any serializable value as a record body, behind one type.
mod erased {
    pub trait Body {
        fn write(&self, out: &mut Vec<u8>);
    }
    impl<T: serde::Serialize> Body for T {
        fn write(&self, out: &mut Vec<u8>) {
            super::write_record(out, self, String::new).unwrap();
        }
    }
}

/// A header announcing `chunks` chunks of `commands` commands in all.
fn header_file(chunks: u32, commands: u64) -> Vec<u8> {
    let mut header = TraceHeader::new(&CommandList::default(), "", Vec::new());
    header.chunks = chunks;
    header.commands = commands;
    let mut out = MAGIC.to_vec();
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    write_record(&mut out, &header, String::new).unwrap();
    out
}

/// A version-5 chunk written by hand: its record, then its payload span.
struct RawChunk<'a> {
    commands: Vec<Command>,
    payload: &'a [u8],
    /// Version 3's tagged tables: `(position in Table, entries)`, here names.
    tables: Vec<(u32, Vec<&'a str>)>,
}

impl RawChunk<'_> {
    /// A file of `file` followed by `chunks`.
    fn after(file: &[u8], chunks: &[&RawChunk<'_>]) -> Vec<u8> {
        /// The record body of a version-5 chunk.
        #[derive(serde::Serialize)]
        struct Meta<'a> {
            commands: &'a [Command],
            tables: &'a [(u32, Vec<&'a str>)],
            payload_len: [u8; 8],
            payload_crc: [u8; 4],
        }
        let mut out = file.to_vec();
        for chunk in chunks {
            let meta = Meta {
                commands: &chunk.commands,
                tables: &chunk.tables,
                payload_len: (chunk.payload.len() as u64).to_le_bytes(),
                payload_crc: crc32fast::hash(chunk.payload).to_le_bytes(),
            };
            write_record(&mut out, &meta, String::new).unwrap();
            write_aligned(&mut out, chunk.payload);
        }
        out
    }
}

#[test]
fn bodies_that_pass_the_checksum_but_do_not_decode() {
    let file = header_file(1, 0);
    let at = file.len();
    let bad = with_chunk_bodies(&file, &[&(7u8, 1u8, 2u8)]);
    let err = decode(&bad, &limits()).unwrap_err();
    assert!(
        matches!(&err, TraceError::Decode { what, offset, .. } if what == "chunk 0" && *offset as usize == at + 8),
        "{err}"
    );

    // Lengths of 2^60 commands and of a 2^60-byte payload: errors, nothing allocated.
    let huge = with_chunk_bodies(&file, &[&[253u8, 0, 0, 0, 0, 0, 0, 0, 16]]);
    assert!(matches!(
        decode(&huge, &limits()),
        Err(TraceError::Decode { .. })
    ));
    let huge = with_chunk_bodies(&file, &[&[0u8, 253, 0, 0, 0, 0, 0, 0, 0, 16]]);
    assert!(matches!(
        decode(&huge, &limits()),
        Err(TraceError::Decode { .. })
    ));
}

#[test]
fn references_outside_their_chunk_are_errors() {
    let file = header_file(2, 2);
    let end_frame = RawChunk {
        commands: vec![Command::EndFrame],
        payload: &[],
        tables: Default::default(),
    };
    let copy = RawChunk {
        commands: vec![Command::CopyBuffer {
            copy: crate::command::Index::from_raw(0),
        }],
        payload: &[],
        tables: Default::default(),
    };
    let bad = RawChunk::after(&file, &[&end_frame, &copy]);
    let second = records(&bad)[2].start;
    let err = decode(&bad, &limits()).unwrap_err();
    assert!(
        matches!(&err, TraceError::BadReference { chunk: 1, offset, command: 1, .. } if *offset as usize == second),
        "{err}"
    );
    assert!(
        err.to_string()
            .ends_with("command #1: it refers to copy entry 0 but its chunk has 0"),
        "{err}"
    );

    let mut rec = Recorder::new();
    rec.buffer(&[1u8; 100]).unwrap();
    let list = rec.finish();
    let outside = RawChunk {
        commands: list.commands().to_vec(),
        payload: &[1; 64],
        tables: Default::default(),
    };
    let err = decode(&RawChunk::after(&header_file(1, 1), &[&outside]), &limits()).unwrap_err();
    assert!(
        err.to_string().ends_with(
            "its payload of 100 bytes at byte 0 lies outside its chunk's 64 payload bytes"
        ),
        "{err}"
    );
}

#[test]
fn counts_and_trailing_bytes_must_match_the_header() {
    let chunk = RawChunk {
        commands: vec![Command::EndFrame; 3],
        payload: &[],
        tables: Default::default(),
    };
    let wrong_count = RawChunk::after(&header_file(1, 4), &[&chunk]);
    assert!(matches!(
        decode(&wrong_count, &limits()),
        Err(TraceError::CommandCount {
            header: 4,
            found: 3
        })
    ));

    let (_, mut bytes) = small_file();
    let len = bytes.len() as u64;
    bytes.push(0);
    assert!(
        matches!(decode(&bytes, &limits()), Err(TraceError::TrailingBytes { offset }) if offset == len)
    );

    // Missing chunks are a truncation at the end of the file.
    let missing = RawChunk::after(&header_file(3, 6), &[&chunk]);
    let decoded = decode(&missing, &limits()).unwrap();
    let end = missing.len() as u64;
    assert!(
        matches!(decoded.truncated, Some(TraceError::Truncated { chunk: 1, expected_chunks: 3, offset, file_len }) if offset == end && file_len == end)
    );
    assert_eq!(decoded.trace.list.len(), 3);
}

/// Version 3 writes each non-empty table once, tagged, in table order: a repeated or
/// out-of-order table is an error naming it, and an unknown tag one naming the tag.
#[test]
fn tagged_tables_must_be_in_order_and_known() {
    let names = crate::command::Table::ALL
        .iter()
        .position(|&t| t == crate::command::Table::Names)
        .unwrap() as u32;
    let copies = 0u32;
    let name = |tag: u32| (tag, vec!["x"]);
    let chunk = |tables: Vec<(u32, Vec<&'static str>)>| RawChunk {
        commands: Vec::new(),
        payload: &[],
        tables,
    };
    // One entry, "x", in the names table decodes.
    let fine = RawChunk::after(&header_file(1, 0), &[&chunk(vec![name(names)])]);
    assert_eq!(
        decode(&fine, &limits())
            .unwrap()
            .trace
            .list
            .tables()
            .entries::<String>(),
        ["x".to_owned()]
    );
    for tables in [
        vec![name(names), name(names)],
        vec![name(names), (copies, Vec::new())],
    ] {
        let err = decode(
            &RawChunk::after(&header_file(1, 0), &[&chunk(tables)]),
            &limits(),
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(
            matches!(err, TraceError::Decode { .. }) && text.contains("out of order or repeated"),
            "{text}"
        );
    }
    let unknown = crate::command::Table::ALL.len() as u32;
    let err = decode(
        &RawChunk::after(&header_file(1, 0), &[&chunk(vec![(unknown, Vec::new())])]),
        &limits(),
    )
    .unwrap_err();
    assert!(matches!(err, TraceError::Decode { .. }), "{err}");
}
