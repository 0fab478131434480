//! A hostile-input corpus, generated here rather than typed in: every case is a trace file
//! (or a list inside one) that is wrong in one way. Each must give a clear error — a type and a
//! message naming the byte offset or the command index — and never a panic, an abort or a GL
//! error; the CLI must answer each with one line on stderr and a non-zero exit.

use gltape::command::{Command, Object};
use gltape::trace::{self, DecodeLimits, Trace, TraceError};
use gltape::{
    BufferId, CommandList, Draw, Mode, ProgramDesc, Recorder, Renderer, ReplayError,
    ValidationError,
};
use std::path::Path;

mod support;
use support::*;

const HEADER_AT: usize = 12;

fn encode(trace: &Trace) -> Vec<u8> {
    let mut bytes = Vec::new();
    trace::encode_into(trace, &mut bytes, &trace::EncodeOptions::default()).unwrap();
    bytes
}

fn decode(bytes: &[u8]) -> Result<trace::Decoded, TraceError> {
    trace::decode(bytes, &DecodeLimits::default())
}

/// A valid trace of a few chunks to damage.
fn sample() -> Vec<u8> {
    let mut rec = Recorder::new();
    let buf = rec.buffer_reserve(256, true).unwrap();
    for frame in 0..40u8 {
        rec.orphan(buf, None).unwrap();
        rec.write(buf, 0, &[frame; 256]).unwrap();
        rec.end_frame();
    }
    rec.read(buf, None, 0).unwrap();
    let options = trace::EncodeOptions {
        commands_per_chunk: 16,
        ..trace::EncodeOptions::default()
    };
    let mut bytes = Vec::new();
    trace::encode_into(
        &Trace::new(rec.finish(), "sample", Vec::new()),
        &mut bytes,
        &options,
    )
    .unwrap();
    bytes
}

/// (offset, length) of every record: the header, then each chunk.
fn records(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut at = HEADER_AT;
    let mut out = Vec::new();
    while at + 8 <= bytes.len() {
        let len = u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        let end = at + 8 + len;
        out.push((at, len));
        at = match out.len() {
            1 => end,
            // A version-5 chunk: the body ends with the payload span's length and CRC-32; the
            // span follows, 64-byte aligned.
            _ => {
                let span = u64::from_le_bytes(bytes[end - 12..end - 4].try_into().unwrap());
                end.next_multiple_of(64) + span as usize
            }
        };
    }
    out
}

/// Replaces the body of the record at `at` and fixes its length and CRC.
fn with_body(bytes: &[u8], at: usize, body: &[u8]) -> Vec<u8> {
    let len = u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
    let mut out = bytes[..at].to_vec();
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(body).to_le_bytes());
    out.extend_from_slice(body);
    out.extend_from_slice(&bytes[at + 8 + len..]);
    out
}

/// Writes `bytes` as a corpus file and checks the CLI's answer: failure, one line, no panic.
fn cli_rejects(corpus: &Path, name: &str, bytes: &[u8], expect: &str) {
    let path = corpus.join(format!("{name}.gltrace"));
    std::fs::write(&path, bytes).unwrap();
    let out = gltape(&["replay", path.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{name}: accepted");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{name}: not a clean exit: {stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{name}: {stderr}");
    assert!(stderr.contains(expect), "{name}: {stderr}");
}

#[test]
fn damaged_files_are_rejected_with_their_byte_offset() {
    let good = sample();
    let corpus = corpus_dir("hostile-corpus");
    assert!(matches!(decode(&[]), Err(TraceError::Empty)));
    cli_rejects(&corpus, "empty", &[], "empty");

    let mut magic = good.clone();
    magic[0] = b'X';
    assert!(matches!(decode(&magic), Err(TraceError::BadMagic { .. })));
    cli_rejects(&corpus, "magic", &magic, "magic at byte 0");

    let mut future = good.clone();
    let next = gltape::trace::FORMAT_VERSION + 1;
    future[8..12].copy_from_slice(&next.to_le_bytes());
    assert!(matches!(
        decode(&future),
        Err(TraceError::FutureVersion { version, .. }) if version == next
    ));
    let message = format!("version {next} (at byte 8)");
    cli_rejects(&corpus, "future-version", &future, &message);

    // Every header field cut short: each cut inside the fixed start or the header record.
    let (header_at, header_len) = records(&good)[0];
    for cut in 1..header_at + 8 + header_len {
        let err = decode(&good[..cut])
            .err()
            .unwrap_or_else(|| panic!("cut at {cut} accepted"));
        assert!(err.to_string().contains("byte"), "cut at {cut}: {err}");
    }
    cli_rejects(
        &corpus,
        "header-cut",
        &good[..header_at + 8 + header_len / 2],
        "byte",
    );

    // A bit flipped in every chunk (and the header): the checksum names the record's offset.
    for (index, &(at, len)) in records(&good).iter().enumerate() {
        let mut flipped = good.clone();
        flipped[at + 8 + len / 2] ^= 0x10;
        match decode(&flipped) {
            Err(TraceError::Checksum { offset, .. }) => assert_eq!(offset as usize, at),
            other => panic!("record {index}: {other:?}"),
        }
        if index < 3 {
            cli_rejects(
                &corpus,
                &format!("flip-{index}"),
                &flipped,
                &format!("at byte {at}"),
            );
        }
    }

    // A record length of u32::MAX, and lengths of u64::MAX inside a body with a valid CRC.
    let mut huge = good.clone();
    huge[header_at..header_at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(matches!(
        decode(&huge),
        Err(TraceError::RecordTooLarge { .. })
    ));
    cli_rejects(
        &corpus,
        "record-u32-max",
        &huge,
        &format!("at byte {header_at}"),
    );
    let mut varint_max = vec![251u8]; // bincode: a u64 length follows
    varint_max.extend_from_slice(&u64::MAX.to_le_bytes());
    for (name, at) in [
        ("header-u64-max", header_at),
        ("chunk-u64-max", records(&good)[1].0),
    ] {
        let hostile = with_body(&good, at, &varint_max);
        let err = decode(&hostile).err().unwrap();
        assert!(
            err.to_string()
                .contains(&format!("body at byte {}", at + 8)),
            "{name}: {err}"
        );
        cli_rejects(&corpus, name, &hostile, &format!("body at byte {}", at + 8));
    }

    // A limit smaller than a record.
    let small = DecodeLimits {
        max_record_bytes: 64,
        ..DecodeLimits::default()
    };
    assert!(matches!(
        trace::decode(&good, &small),
        Err(TraceError::RecordTooLarge { limit: 64, .. })
    ));
}

/// A list that decodes but is invalid: replay must refuse it before any GL call, naming the
/// command, and the renderer must stay clean and usable.
fn assert_rejected_at(
    renderer: &mut Renderer,
    list: CommandList,
    index: usize,
    check: impl Fn(&ValidationError) -> bool,
) {
    let bytes = encode(&Trace::new(list, "hostile", Vec::new()));
    let list = decode(&bytes).unwrap().trace.list;
    match renderer.replay(&list) {
        Err(ReplayError::Invalid(invalid)) => {
            assert_eq!(invalid.index, index, "{invalid}");
            assert!(check(&invalid.error), "{invalid}");
            assert!(invalid
                .to_string()
                .starts_with(&format!("command #{index} ")));
        }
        other => panic!("expected an invalid list, got {other:?}"),
    }
    // SAFETY: glGetError takes no arguments; the renderer's context is current.
    assert_eq!(unsafe { renderer.gl().GetError() }, gltape::gl::NO_ERROR);
}

/// The commands of a small valid list, to splice hostile ones into.
fn base() -> (Vec<Command>, CommandList) {
    let mut rec = Recorder::new();
    let buf = rec.buffer(&[0u8; 16]).unwrap();
    rec.release(buf).unwrap();
    rec.buffer(&[0u8; 16]).unwrap();
    let list = rec.finish();
    (list.commands().to_vec(), list)
}

fn spliced(extra: Command) -> CommandList {
    let (mut commands, list) = base();
    commands.push(extra);
    CommandList::from_parts(commands, list.payload_bytes(), list.tables().clone()).unwrap()
}

#[test]
fn hostile_lists_are_refused_before_gl_with_their_command_index() {
    let mut renderer = Renderer::headless().unwrap();
    let (commands, base_list) = base();
    let at = commands.len();
    let write_of = |buffer, offset| {
        let Command::CreateBuffer {
            data: Some(data), ..
        } = commands[0]
        else {
            unreachable!()
        };
        Command::Write {
            buffer,
            offset,
            data,
        }
    };
    // An id never defined, and one already released.
    assert_rejected_at(
        &mut renderer,
        spliced(write_of(BufferId::from_index(9), 0)),
        at,
        |e| matches!(e, ValidationError::Undefined { .. }),
    );
    assert_rejected_at(
        &mut renderer,
        spliced(write_of(BufferId::from_index(0), 0)),
        at,
        |e| matches!(e, ValidationError::Released { .. }),
    );
    // Offsets whose sum overflows u64.
    assert_rejected_at(
        &mut renderer,
        spliced(write_of(BufferId::from_index(1), u64::MAX - 3)),
        at,
        |e| matches!(e, ValidationError::OutOfRange { .. }),
    );
    // A zero-size buffer.
    let zero = Command::CreateBuffer {
        buffer: BufferId::from_index(2),
        dynamic: false,
        size: 0,
        data: None,
    };
    assert_rejected_at(&mut renderer, spliced(zero), at, |e| {
        matches!(e, ValidationError::EmptyBuffer)
    });
    // Releasing the screen.
    let screen = Command::Release {
        object: Object::Framebuffer(gltape::FramebufferId::SCREEN),
    };
    assert_rejected_at(&mut renderer, spliced(screen), at, |e| {
        matches!(e, ValidationError::ReleaseScreen)
    });
    // A copy between overlapping ranges of one buffer.
    let mut tables = base_list.tables().clone();
    tables.push(gltape::command::BufferCopy {
        dst: BufferId::from_index(1),
        src: BufferId::from_index(1),
        size: 8,
        read_offset: 0,
        write_offset: 4,
    });
    let mut overlapping = commands.clone();
    overlapping.push(Command::CopyBuffer {
        copy: gltape::command::Index::from_raw(0),
    });
    let list = CommandList::from_parts(overlapping, base_list.payload_bytes(), tables).unwrap();
    assert_rejected_at(&mut renderer, list, at, |e| {
        matches!(e, ValidationError::OverlappingCopy { .. })
    });
}

/// Compute, image, barrier, query and indirect kinds a file could hold wrong: each refused
/// at its index before GL runs anything.
#[test]
fn hostile_compute_query_and_indirect_commands_are_refused() {
    use gltape::{
        Barriers, ImageAccess, QueryId, QueryKinds, QueryResult, ReadbackId, TextureId,
        VertexArrayId,
    };
    let mut renderer = Renderer::headless().unwrap();
    let (commands, base_list) = base();
    let at = commands.len();
    let query = QueryId::from_index(0);
    let create = |kinds| Command::CreateQuery { query, kinds };
    let with = |extra: &[Command]| {
        let mut all = commands.clone();
        all.extend_from_slice(extra);
        let tables = base_list.tables().clone();
        CommandList::from_parts(all, base_list.payload_bytes(), tables).unwrap()
    };
    type Case = (Vec<Command>, fn(&ValidationError) -> bool);
    let cases: Vec<Case> = vec![
        (vec![create(QueryKinds::default())], |e| {
            matches!(e, ValidationError::Query { .. })
        }),
        (
            vec![Command::RunComputeIndirect {
                program: gltape::ProgramId::from_index(0),
                buffer: BufferId::from_index(1),
                offset: 0,
            }],
            |e| matches!(e, ValidationError::Undefined { .. }),
        ),
        (
            vec![Command::MemoryBarrier {
                barriers: Barriers(0x10),
                by_region: false,
            }],
            |e| matches!(e, ValidationError::Barriers { .. }),
        ),
        (
            vec![Command::BindToImage {
                texture: TextureId::from_index(0),
                unit: 0,
                access: ImageAccess::ReadOnly,
                level: 0,
                format: None,
            }],
            |e| matches!(e, ValidationError::Undefined { .. }),
        ),
        (
            vec![Command::RenderIndirect {
                vertex_array: VertexArrayId::from_index(0),
                buffer: BufferId::from_index(1),
                mode: Mode::Triangles,
                count: 1,
                first: 0,
            }],
            |e| matches!(e, ValidationError::Undefined { .. }),
        ),
        (vec![Command::EndConditionalRender { query }], |e| {
            matches!(e, ValidationError::Undefined { .. })
        }),
        (
            vec![Command::ReadQuery {
                query,
                readback: ReadbackId::from_index(5),
                result: QueryResult::Samples,
            }],
            |e| matches!(e, ValidationError::IdOutOfOrder { .. }),
        ),
    ];
    for (extra, expected) in cases {
        assert_rejected_at(&mut renderer, with(&extra), at, expected);
    }
    // Two commands: the second is the one refused.
    let samples = QueryKinds {
        samples: true,
        ..QueryKinds::default()
    };
    let list = with(&[create(samples), Command::EndQuery { query }]);
    assert_rejected_at(&mut renderer, list, at + 1, |e| {
        matches!(e, ValidationError::Query { .. })
    });
    let list = with(&[create(samples), Command::BeginConditionalRender { query }]);
    assert_rejected_at(&mut renderer, list, at + 1, |e| {
        matches!(e, ValidationError::Query { .. })
    });
}

const VS: &str = "#version 450 core\nin vec2 p;\nvoid main() { gl_Position = vec4(p, 0.0, 1.0); }";

#[test]
fn hostile_draws_layouts_and_shaders_are_refused() {
    let mut renderer = Renderer::headless().unwrap();
    // A draw reading past the end of its buffer, smuggled past the recorder by shrinking the
    // buffer in the list after recording.
    let mut rec = Recorder::new();
    let program = rec.program(ProgramDesc::new(VS)).unwrap();
    let vbo = rec.buffer(&[0.0f32; 6]).unwrap();
    let vao = rec
        .vertex_array(program, &[(vbo, "2f", &["p"])], None)
        .unwrap();
    rec.render(vao, Draw::new(Mode::Triangles).vertices(3))
        .unwrap();
    let list = rec.finish();
    let mut commands = list.commands().to_vec();
    commands.insert(
        3,
        Command::Orphan {
            buffer: vbo,
            size: 8,
        },
    );
    let shrunk =
        CommandList::from_parts(commands, list.payload_bytes(), list.tables().clone()).unwrap();
    assert_rejected_at(&mut renderer, shrunk, 4, |e| {
        matches!(e, ValidationError::OutOfRange { .. })
    });

    // A vertex format that does not fit its stride.
    let mut tables = list.tables().clone();
    tables.entries_mut::<gltape::command::VertexArrayDesc>()[0].bindings[0]
        .format
        .stride = 4;
    let bad_layout =
        CommandList::from_parts(list.commands().to_vec(), list.payload_bytes(), tables).unwrap();
    assert_rejected_at(&mut renderer, bad_layout, 2, |e| {
        matches!(e, ValidationError::Layout { .. })
    });

    // A transform reading past the end is caught the same way; a program with bad GLSL is a
    // replay error with GL's log, and nothing after it runs.
    let mut rec = Recorder::new();
    rec.program(ProgramDesc::new(
        "#version 450 core\nvoid main() { this is not GLSL; }",
    ))
    .unwrap();
    let buf = rec.buffer(&[1u8; 4]).unwrap();
    rec.read(buf, None, 0).unwrap();
    match renderer.replay(&rec.finish()) {
        Err(ReplayError::Program {
            index: 0,
            command: "create_program",
            stage: "vertex",
            log,
        }) => assert!(!log.is_empty()),
        other => panic!("{other:?}"),
    }
    // SAFETY: as above.
    assert_eq!(unsafe { renderer.gl().GetError() }, gltape::gl::NO_ERROR);
}
