//! Hostile sizes, memory and work, generated here: every case is a small list (or trace file)
//! that asks for something huge. Each must be refused with a clear error naming the command
//! (or the byte / line) before anything is allocated or reaches GL, and the CLI must answer
//! with one stderr line and exit code 1. Nothing here allocates more than a few MiB.

use gltape::command::{Command, PixelRead, PixelType, Rect, Tables};
use gltape::trace::{self, DecodeLimits, Trace, TraceError};
use gltape::{
    BufferId, ColorFormat, CommandList, Draw, FramebufferId, Limit, LimitExceeded, Mode,
    ProgramDesc, ReadbackId, Recorder, Renderer, ReplayError, ReplayLimits, ReplayOptions,
    ValidationError,
};
use std::path::PathBuf;
use std::process::Command as Process;
use std::time::{Duration, Instant};

mod support;
use support::*;

const GIB: u64 = 1 << 30;
const VS: &str = "#version 450 core\nvoid main() { gl_Position = vec4(0.0, 0.0, 0.0, 1.0); }";

/// Saves `list` as a trace in the corpus and returns its path.
fn save(name: &str, list: CommandList) -> PathBuf {
    let path = corpus_dir("hostile-limits-corpus").join(format!("{name}.gltrace"));
    trace::save(&Trace::new(list, name, Vec::new()), &path).unwrap();
    path
}

/// Runs the CLI and checks its answer: exit code 1, one stderr line containing every `expect`.
fn cli_rejects(args: &[&str], expect: &[&str]) -> String {
    let out = gltape(args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
    for part in expect {
        assert!(stderr.contains(part), "{args:?}: {stderr:?} lacks {part:?}");
    }
    stderr
}

/// What a recorder holds, to show that a rejected call recorded nothing.
fn snapshot(rec: &Recorder) -> (Vec<Command>, Tables, usize) {
    let list = rec.list();
    (
        list.commands().to_vec(),
        list.tables().clone(),
        list.payload_bytes().len(),
    )
}

/// A list from raw commands and tables (as a decoded file gives them).
fn raw(commands: Vec<Command>, tables: Tables) -> CommandList {
    CommandList::from_parts(commands, &[], tables).unwrap()
}

fn create_buffer(id: u32, size: u64) -> Command {
    Command::CreateBuffer {
        buffer: BufferId::from_index(id),
        dynamic: false,
        size,
        data: None,
    }
}

/// The limit error of `list` under `limits` (validation must pass).
fn over(list: &CommandList, limits: &ReplayLimits, ring: bool) -> Option<LimitExceeded> {
    let checked = list.validate().unwrap();
    checked
        .check_limits(limits, (640, 480), ring, list.len())
        .err()
}

// ---- 1. sizes that do not fit GL's parameter types ------------------------------------------

#[test]
fn a_pixel_read_of_2_gib_does_not_reach_gl() {
    // 16384 x 8192 rgba32f read as f4: 2^31 bytes, one more than GLsizei holds.
    let mut rec = Recorder::new();
    let fbo = rec
        .framebuffer(16384, 8192, &[ColorFormat::Rgba32F], false)
        .unwrap();
    let before = snapshot(&rec);
    let err = rec.read_pixels(fbo, None, 4, 0, PixelType::F4).unwrap_err();
    assert_eq!(
        err,
        ValidationError::GlRange {
            what: "pixel read bytes",
            value: 1 << 31,
            gl_type: "GLsizei",
            max: i32::MAX as u64,
        }
    );
    assert_eq!(snapshot(&rec), before, "a rejected call recorded something");
    // f1, or three quarters of the rows as f4, fit.
    rec.read_pixels(fbo, None, 4, 0, PixelType::F1).unwrap();
    rec.read_pixels(fbo, Some(Rect::new(0, 0, 16384, 8191)), 4, 0, PixelType::F4)
        .unwrap();

    // The same read in a list from a file: refused by validation, naming command #1.
    let mut tables = Tables::default();
    tables.push(gltape::command::FramebufferDesc {
        width: 16384,
        height: 8192,
        color: [ColorFormat::Rgba32F].into_iter().collect(),
        depth: false,
    });
    tables.push(PixelRead {
        framebuffer: FramebufferId::from_index(1),
        readback: ReadbackId::from_index(0),
        viewport: None,
        components: 4,
        dtype: PixelType::F4,
        attachment: 0,
    });
    let list = raw(
        vec![
            Command::CreateFramebuffer {
                framebuffer: FramebufferId::from_index(1),
                desc: gltape::command::Index::from_raw(0),
            },
            Command::ReadPixels {
                read: gltape::command::Index::from_raw(0),
            },
        ],
        tables,
    );
    let err = list.validate().unwrap_err();
    assert_eq!(err.index, 1);
    assert_eq!(
        err.to_string(),
        "command #1 (read_pixels): pixel read bytes 2147483648 does not fit GL's GLsizei \
         (at most 2147483647)"
    );
    let path = save("read-2gib", list);
    cli_rejects(
        &["replay", path.to_str().unwrap()],
        &["command #1 (read_pixels)", "GLsizei"],
    );
}

#[test]
fn viewports_clears_draws_and_screen_reads_are_checked_against_gl_types() {
    let mut rec = Recorder::new();
    let huge = Rect::new(0, 0, u32::MAX, 4);
    let before = snapshot(&rec);
    assert!(matches!(
        rec.viewport(FramebufferId::SCREEN, huge),
        Err(ValidationError::GlRange { what: "viewport side", value, .. }) if value == u64::from(u32::MAX)
    ));
    assert!(matches!(
        rec.clear_framebuffer(FramebufferId::SCREEN, [0.0; 4], 1.0, Some(huge)),
        Err(ValidationError::GlRange {
            what: "clear rectangle side",
            ..
        })
    ));
    // A screen rectangle of 2^31 pixels wide is refused at record time, before the screen's
    // size is known.
    assert!(matches!(
        rec.read_pixels(
            FramebufferId::SCREEN,
            Some(Rect::new(0, 0, 1 << 31, 1)),
            1,
            0,
            PixelType::F1
        ),
        Err(ValidationError::GlRange {
            what: "pixel read width",
            ..
        })
    ));
    assert_eq!(snapshot(&rec), before);

    // first + count past GLint for a non-indexed draw.
    let program = rec.program(ProgramDesc::new(VS)).unwrap();
    let vao = rec.vertex_array(program, &[], None).unwrap();
    let before = snapshot(&rec);
    let draw = Draw::new(Mode::Points).vertices(1 << 30).first(3 << 29);
    assert_eq!(
        rec.render(vao, draw),
        Err(ValidationError::DrawTooLarge {
            what: "first + vertex count",
            value: (1 << 30) + (3 << 29),
        })
    );
    assert!(matches!(
        rec.render(vao, Draw::new(Mode::Points).vertices(1 << 31)),
        Err(ValidationError::DrawTooLarge {
            what: "vertex count",
            ..
        })
    ));
    assert_eq!(snapshot(&rec), before);
}

// ---- 3. memory: live GL objects and readbacks -----------------------------------------------

#[test]
fn a_hundred_buffers_of_1_gib_are_refused_by_the_default_object_limit() {
    let list = raw(
        (0..100).map(|i| create_buffer(i, GIB)).collect(),
        Tables::default(),
    );
    let err = over(&list, &ReplayLimits::default(), false).unwrap();
    assert_eq!(
        err,
        LimitExceeded {
            index: 8,
            command: "create_buffer",
            limit: Limit::ObjectBytes,
            value: 9 * GIB,
            max: 8 * GIB,
        }
    );
    assert_eq!(
        err.to_string(),
        "command #8 (create_buffer): bytes of live GL objects would reach 9663676416, over the \
         replay limit of 8589934592 (raise it with --max-object-bytes or \
         ReplayLimits::max_object_bytes)"
    );
    // Released buffers no longer count: 100 x (create 1 GiB, release) passes.
    let mut commands = Vec::new();
    for i in 0..100 {
        commands.push(create_buffer(i, GIB));
        commands.push(Command::Release {
            object: BufferId::from_index(i).into(),
        });
    }
    assert_eq!(
        over(
            &raw(commands, Tables::default()),
            &ReplayLimits::default(),
            false
        ),
        None
    );

    // Through the renderer: refused before GL allocates anything, and the CLI too.
    let mut renderer = Renderer::headless().unwrap();
    let checked = list.validate().unwrap();
    match renderer.replay_with(&checked, &mut ReplayOptions::default()) {
        Err(ReplayError::Limit(limit)) => assert_eq!(limit, err),
        other => panic!("{other:?}"),
    }
    // SAFETY: glGetError takes no arguments; the renderer's context is current.
    assert_eq!(unsafe { renderer.gl().GetError() }, gltape::gl::NO_ERROR);
    let path = save("buffers-100gib", list);
    cli_rejects(
        &["replay", path.to_str().unwrap()],
        &["command #8 (create_buffer)", "--max-object-bytes"],
    );
    cli_rejects(
        &["replay", path.to_str().unwrap(), "--max-object-bytes", "2G"],
        &[
            "command #2 (create_buffer)",
            "over the replay limit of 2147483648",
        ],
    );
}

#[test]
fn twenty_thousand_framebuffers_are_refused_by_the_default_object_limit() {
    let mut rec = Recorder::new();
    for _ in 0..20_000 {
        rec.framebuffer(1024, 1024, &[ColorFormat::Rgba8], false)
            .unwrap();
    }
    let list = rec.finish();
    // 4 MiB each: the 2049th passes 8 GiB.
    let err = over(&list, &ReplayLimits::default(), false).unwrap();
    assert_eq!((err.index, err.limit), (2048, Limit::ObjectBytes));
    assert_eq!(err.command, "create_framebuffer");
    assert_eq!(err.value, (2049 * 4) << 20);
    // Depth and float attachments count at their size.
    let mut rec = Recorder::new();
    rec.framebuffer(
        1024,
        1024,
        &[ColorFormat::Rgba32F, ColorFormat::Rgba8],
        true,
    )
    .unwrap();
    let limits = ReplayLimits {
        max_object_bytes: (16 + 4 + 4) << 20,
        ..ReplayLimits::default()
    };
    assert_eq!(over(rec.list(), &limits, false), None);
    let limits = ReplayLimits {
        max_object_bytes: ((16 + 4 + 4) << 20) - 1,
        ..ReplayLimits::default()
    };
    assert_eq!(over(rec.list(), &limits, false).unwrap().index, 0);
    let path = save("framebuffers-20000", list);
    cli_rejects(
        &["replay", path.to_str().unwrap()],
        &["command #2048 (create_framebuffer)", "--max-object-bytes"],
    );
}

#[test]
fn huge_readbacks_are_refused_by_the_default_readback_limit() {
    // 40 reads of 1 GiB (a 16384 x 16384 rgba8 framebuffer).
    let mut rec = Recorder::new();
    let fbo = rec
        .framebuffer(16384, 16384, &[ColorFormat::Rgba8], false)
        .unwrap();
    for _ in 0..40 {
        rec.read_pixels(fbo, None, 4, 0, PixelType::F1).unwrap();
    }
    let reads = rec.finish();
    let err = over(&reads, &ReplayLimits::default(), false).unwrap();
    assert_eq!(
        err,
        LimitExceeded {
            index: 5,
            command: "read_pixels",
            limit: Limit::ReadbackBytes,
            value: 5 * GIB,
            max: 4 * GIB,
        }
    );
    let path = save("pixel-reads-40gib", reads);
    cli_rejects(
        &["replay", path.to_str().unwrap()],
        &["command #5 (read_pixels)", "--max-readback-bytes"],
    );

    // Ten reads of a 3 GiB buffer.
    let mut rec = Recorder::new();
    let buf = rec.buffer_reserve(3 * GIB, false).unwrap();
    for _ in 0..10 {
        rec.read(buf, None, 0).unwrap();
    }
    let reads = rec.finish();
    let err = over(&reads, &ReplayLimits::default(), false).unwrap();
    assert_eq!((err.index, err.command, err.value), (2, "read", 6 * GIB));
    let path = save("buffer-reads-30gib", reads);
    cli_rejects(
        &["replay", path.to_str().unwrap()],
        &["command #2 (read)", "readback bytes"],
    );
}

#[test]
fn ring_streaming_counts_its_slots() {
    let mut rec = Recorder::new();
    let buf = rec.buffer_reserve(GIB, true).unwrap();
    rec.orphan(buf, None).unwrap();
    let list = rec.finish();
    let limits = ReplayLimits {
        max_object_bytes: 4 * GIB,
        ..ReplayLimits::default()
    };
    assert_eq!(over(&list, &limits, false), None);
    // 1 GiB of own storage plus 4 slots of 1 GiB.
    let err = over(&list, &limits, true).unwrap();
    assert_eq!((err.index, err.value), (1, 5 * GIB));
}

#[test]
fn readbacks_within_limits_replay_and_each_loop_counts_on_its_own() {
    let mut rec = Recorder::new();
    let buf = rec.buffer(&[7u8; 100]).unwrap();
    let first = rec.read(buf, None, 0).unwrap();
    rec.read_pixels(FramebufferId::SCREEN, None, 4, 0, PixelType::F1)
        .unwrap();
    let list = rec.finish();
    let mut renderer = Renderer::headless().unwrap();
    let readbacks = renderer.replay(&list).unwrap();
    assert_eq!(readbacks.get(first), Some(&[7u8; 100][..]));
    let screen = readbacks.iter().nth(1).unwrap().len() as u64;
    assert!(screen > 0);
    // Exactly at the limit: replays, twice (each replay counts on its own).
    let exact = ReplayLimits {
        max_readback_bytes: 100 + screen,
        ..ReplayLimits::default()
    };
    let checked = list.validate().unwrap();
    for _ in 0..2 {
        let mut options = ReplayOptions {
            limits: exact.clone(),
            ..ReplayOptions::default()
        };
        let replay = renderer.replay_with(&checked, &mut options).unwrap();
        assert_eq!(replay.readbacks.get(first), Some(&[7u8; 100][..]));
    }
    // One byte less: the full-screen read (whose size only the renderer knows) is refused.
    let mut options = ReplayOptions {
        limits: ReplayLimits {
            max_readback_bytes: 100 + screen - 1,
            ..ReplayLimits::default()
        },
        ..ReplayOptions::default()
    };
    match renderer.replay_with(&checked, &mut options) {
        Err(ReplayError::Limit(LimitExceeded {
            index: 2,
            command: "read_pixels",
            limit: Limit::ReadbackBytes,
            ..
        })) => {}
        other => panic!("{other:?}"),
    }
    // The CLI with --loops: each loop reads 100 bytes, under a 150-byte limit.
    let mut rec = Recorder::new();
    let buf = rec.buffer(&[1u8; 100]).unwrap();
    rec.read(buf, None, 0).unwrap();
    let path = save("reads-per-loop", rec.finish());
    let path = path.to_str().unwrap();
    let out = gltape(&[
        "replay",
        path,
        "--loops",
        "3",
        "--max-readback-bytes",
        "150",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    cli_rejects(
        &["replay", path, "--max-readback-bytes", "99"],
        &["command #1 (read)", "readback bytes would reach 100"],
    );
    let out = gltape(&["replay", path, "--max-readback-bytes", "lots"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("\"lots\" is not a number"));
}

// ---- 4. work and time -----------------------------------------------------------------------

#[test]
fn a_draw_of_2_62_vertices_is_refused_by_the_default_work_limit() {
    let mut rec = Recorder::new();
    let program = rec.program(ProgramDesc::new(VS)).unwrap();
    let vao = rec.vertex_array(program, &[], None).unwrap();
    let max = i32::MAX as u32;
    rec.render(vao, Draw::new(Mode::Points).vertices(max).instances(max))
        .unwrap();
    let list = rec.finish();
    let err = over(&list, &ReplayLimits::default(), false).unwrap();
    let work = u64::from(max) * u64::from(max);
    assert_eq!(
        err,
        LimitExceeded {
            index: 2,
            command: "render",
            limit: Limit::DrawWork,
            value: work,
            max: 1 << 32,
        }
    );
    let path = save("draw-2-62", list);
    cli_rejects(
        &["replay", path.to_str().unwrap()],
        &[
            "command #2 (render)",
            "vertices x instances of one draw",
            "--max-draw-work",
        ],
    );
    // Raising the per-draw limit still leaves the per-replay one.
    cli_rejects(
        &[
            "replay",
            path.to_str().unwrap(),
            "--max-draw-work",
            "18446744073709551615",
        ],
        &["command #2 (render)", "--max-replay-work"],
    );
}

#[test]
fn many_draws_are_refused_by_the_per_replay_work_limit() {
    let mut rec = Recorder::new();
    let program = rec.program(ProgramDesc::new(VS)).unwrap();
    let vao = rec.vertex_array(program, &[], None).unwrap();
    // 2^32 each: at the per-draw limit; the 17th passes 2^36.
    let draw = Draw::new(Mode::Points).vertices(1 << 16).instances(1 << 16);
    for _ in 0..20 {
        rec.render(vao, draw).unwrap();
    }
    let list = rec.finish();
    let err = over(&list, &ReplayLimits::default(), false).unwrap();
    assert_eq!(
        (err.index, err.limit, err.value),
        (2 + 16, Limit::ReplayWork, 17 << 32)
    );

    // Small legal draws under small limits replay and draw.
    let mut rec = Recorder::new();
    let program = rec.program(ProgramDesc::new(VS)).unwrap();
    let vao = rec.vertex_array(program, &[], None).unwrap();
    rec.render(vao, Draw::new(Mode::Points).vertices(3).instances(2))
        .unwrap();
    rec.render(vao, Draw::new(Mode::Points).vertices(2))
        .unwrap();
    let list = rec.finish();
    let limits = ReplayLimits {
        max_draw_work: 6,
        max_replay_work: 8,
        ..ReplayLimits::default()
    };
    assert_eq!(over(&list, &limits, false), None);
    let mut renderer = Renderer::headless().unwrap();
    let checked = list.validate().unwrap();
    let mut options = ReplayOptions {
        limits: limits.clone(),
        ..ReplayOptions::default()
    };
    let replay = renderer.replay_with(&checked, &mut options).unwrap();
    assert_eq!(replay.stats.commands, 4);
    let tight = ReplayLimits {
        max_replay_work: 7,
        ..limits
    };
    let err = over(&list, &tight, false).unwrap();
    assert_eq!((err.index, err.limit, err.value), (3, Limit::ReplayWork, 8));
}

#[test]
fn a_timeout_stops_a_replay_between_commands() {
    let mut rec = Recorder::new();
    let buf = rec.buffer(&[1u8; 16]).unwrap();
    for _ in 0..10 {
        rec.write(buf, 0, &[2u8; 16]).unwrap();
    }
    rec.read(buf, None, 0).unwrap();
    let list = rec.finish();
    let checked = list.validate().unwrap();
    let mut renderer = Renderer::headless().unwrap();
    let mut options = ReplayOptions {
        limits: ReplayLimits {
            timeout: Some(Duration::ZERO),
            ..ReplayLimits::default()
        },
        ..ReplayOptions::default()
    };
    let err = renderer.replay_with(&checked, &mut options).unwrap_err();
    assert_eq!(
        err,
        ReplayError::Timeout {
            index: 0,
            command: "create_buffer",
            limit: Duration::ZERO,
        }
    );
    assert!(err
        .to_string()
        .starts_with("command #0 (create_buffer): the replay ran past"));
    // A generous timeout changes nothing.
    options.limits.timeout = Some(Duration::from_secs(600));
    let replay = renderer.replay_with(&checked, &mut options).unwrap();
    assert_eq!(replay.readbacks.iter().next(), Some(&[2u8; 16][..]));

    let path = save("timeout", list);
    let path = path.to_str().unwrap();
    cli_rejects(
        &["replay", path, "--timeout", "0"],
        &["command #0 (create_buffer)", "--timeout"],
    );
    let out = gltape(&["replay", path, "--timeout", "600", "--loops", "3"]);
    assert!(out.status.success());
    // A bad value is a usage error (clap's, exit code 2).
    let out = gltape(&["replay", path, "--timeout=-1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("\"-1\""));
}

#[test]
fn a_vertex_array_of_200000_bindings_is_refused_at_once() {
    let mut rec = Recorder::new();
    let program = rec.program(ProgramDesc::new(VS)).unwrap();
    let vbo = rec.buffer(&[0u8; 64]).unwrap();
    let content: Vec<(BufferId, &str, &[&str])> =
        (0..200_000).map(|_| (vbo, "2f", &["p"][..])).collect();
    let before = snapshot(&rec);
    let started = Instant::now();
    let err = rec.vertex_array(program, &content, None).unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        err,
        ValidationError::VertexArrayLimit {
            what: "buffer bindings",
            value: 200_000,
            max: 16,
        }
    );
    assert_eq!(snapshot(&rec), before);
    // 16 bindings are fine; 17 attributes, a stride or an offset past GL's limits are not.
    let vao = rec.vertex_array(program, &content[..16], None).unwrap();
    let names: Vec<String> = (0..17).map(|i| format!("a{i}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    assert!(matches!(
        rec.vertex_array(
            program,
            &[
                (vbo, "1f 1f 1f 1f 1f 1f 1f 1f 1f", &names[..9]),
                (vbo, "1f 1f 1f 1f 1f 1f 1f 1f", &names[9..])
            ],
            None
        ),
        Err(ValidationError::VertexArrayLimit {
            what: "attributes",
            value: 17,
            max: 16
        })
    ));
    let wide = rec.buffer_reserve(1 << 20, false).unwrap();
    assert_eq!(
        rec.vertex_array(program, &[(wide, "1f 2045x", &["p"])], None),
        Err(ValidationError::VertexArrayLimit {
            what: "stride",
            value: 2049,
            max: 2048
        })
    );
    assert_eq!(
        rec.vertex_array(program, &[(wide, "2048x 1f", &["p"])], None),
        Err(ValidationError::VertexArrayLimit {
            what: "attribute offset",
            value: 2048,
            max: 2047
        })
    );
    rec.vertex_array(program, &[(wide, "1f 2044x", &["p"])], None)
        .unwrap();
    rec.render(vao, Draw::new(Mode::Points)).unwrap();

    // The same from a file: the list's 200,000 bindings are refused when validated, in
    // well under a second.
    let mut list_rec = Recorder::new();
    let program = list_rec.program(ProgramDesc::new(VS)).unwrap();
    let vbo = list_rec.buffer(&[0u8; 64]).unwrap();
    let vao = list_rec
        .vertex_array(program, &[(vbo, "2f", &["p"])], None)
        .unwrap();
    list_rec.render(vao, Draw::new(Mode::Points)).unwrap();
    let list = list_rec.finish();
    let mut tables = list.tables().clone();
    let binding = tables.entries::<gltape::command::VertexArrayDesc>()[0].bindings[0].clone();
    tables.entries_mut::<gltape::command::VertexArrayDesc>()[0].bindings =
        std::iter::repeat_n(binding, 200_000).collect();
    let list =
        CommandList::from_parts(list.commands().to_vec(), list.payload_bytes(), tables).unwrap();
    let started = Instant::now();
    let err = list.validate().unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(
        err.to_string(),
        "command #2 (create_vertex_array): vertex array buffer bindings 200000 is more than \
         GL 4.5 guarantees (16)"
    );
    let path = save("bindings-200000", list);
    let started = Instant::now();
    cli_rejects(
        &["replay", path.to_str().unwrap()],
        &["command #2 (create_vertex_array)", "(16)"],
    );
    assert!(started.elapsed() < Duration::from_secs(20));
}

// ---- endless inputs ------------------------------------------------------------------------

#[test]
fn endless_inputs_stop_at_a_limit() {
    // /dev/zero is not a trace: refused after its first block.
    assert!(matches!(
        trace::load("/dev/zero", &DecodeLimits::default()),
        Err(TraceError::BadMagic { .. })
    ));
    cli_rejects(&["info", "/dev/zero"], &["not a gltape trace", "byte 0"]);
    cli_rejects(&["dump", "/dev/zero"], &["not a gltape trace"]);
    let out = corpus_dir("hostile-limits-corpus").join("zero.gltrace");
    cli_rejects(
        &["assemble", "/dev/zero", "-o", out.to_str().unwrap()],
        &["/dev/zero", "NUL byte"],
    );
    assert!(!out.exists());

    // A stream that starts like a trace and never ends stops at max_total_bytes.
    let fifo = corpus_dir("hostile-limits-corpus").join("endless.fifo");
    let _ = std::fs::remove_file(&fifo);
    assert!(Process::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            use std::io::Write;
            let mut pipe = std::fs::OpenOptions::new().write(true).open(fifo).unwrap();
            let mut start = trace::MAGIC.to_vec();
            start.extend_from_slice(&trace::FORMAT_VERSION.to_le_bytes());
            let _ = pipe.write_all(&start);
            let block = vec![0xABu8; 1 << 16];
            while pipe.write_all(&block).is_ok() {}
        })
    };
    let limits = DecodeLimits {
        max_total_bytes: 4 << 20,
        ..DecodeLimits::default()
    };
    let err = trace::load(&fifo, &limits).unwrap_err();
    assert!(
        matches!(err, TraceError::InputTooLarge { limit } if limit == 4 << 20),
        "{err}"
    );
    writer.join().unwrap();
    std::fs::remove_file(&fifo).unwrap();

    // Text: an endless line, endless lines, NUL bytes.
    let small = gltape::text::TextLimits {
        max_total_bytes: 1 << 20,
        max_line_bytes: 1000,
    };
    let err = gltape::text::read(std::io::repeat(b'a'), &small).unwrap_err();
    assert_eq!(
        err.to_string(),
        "line 1 is longer than 1000 bytes (TextLimits::max_line_bytes)"
    );
    let err = gltape::text::read(std::io::repeat(b'\n'), &small).unwrap_err();
    assert!(
        err.to_string().contains("past the limit of 1048576 bytes"),
        "{err}"
    );
    let err = gltape::text::read(&b"{}\n\0"[..], &small).unwrap_err();
    assert_eq!(err.to_string(), "byte 3 (line 2) is a NUL byte: not text");
    let text = "{\"op\":\"buffer\",\"id\":0,\"size\":2,\"dynamic\":false,\"data\":\"0102\"}\n";
    assert_eq!(gltape::text::read(text.as_bytes(), &small).unwrap(), text);
}
