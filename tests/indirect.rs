//! Indirect draws recorded, then replayed on a real OpenGL 4.5 context (Mesa llvmpipe): each
//! gives the pixels of the direct draws it stands for (arrays and indexed, several commands,
//! base instance and base vertex), commands known when recorded are checked then, commands
//! GL wrote are read back and checked at replay, and every streaming strategy draws the same.

use gltape::{
    BufferId, ColorFormat, CommandList, Draw, FramebufferId, Limit, Mode, PixelType, ProgramDesc,
    ProgramId, ReadbackId, Readbacks, Recorder, Renderer, ReplayError, ReplayLimits, ReplayOptions,
    StreamStrategy, ValidationError, VaryingsMode, VertexArrayId,
};

const VS: &str = "#version 450 core
in vec2 pos;
in vec4 tint;
out vec4 color;
void main() { color = tint; gl_Position = vec4(pos, 0.0, 1.0); }
";
const FS: &str = "#version 450 core
in vec4 color;
out vec4 frag;
void main() { frag = color; }
";

/// Two triangles: A (vertices 0..3) covers the lower-left half, B (3..6) the upper-right.
const TRIANGLES: [f32; 12] = [
    -1.0, -1.0, 1.0, -1.0, -1.0, 1.0, //
    1.0, 1.0, -1.0, 1.0, 1.0, -1.0,
];
const RED: [u8; 4] = [255, 0, 0, 255];
const GREEN: [u8; 4] = [0, 255, 0, 255];

/// An 8x8 framebuffer in use and the buffers of the two triangles.
struct Scene {
    program: ProgramId,
    fbo: FramebufferId,
    vertices: BufferId,
    indices: BufferId,
}

fn scene(rec: &mut Recorder) -> Scene {
    let program = rec.program(ProgramDesc::new(VS).fragment(FS)).unwrap();
    let fbo = rec.framebuffer(8, 8, &[ColorFormat::Rgba8], false).unwrap();
    rec.use_framebuffer(fbo).unwrap();
    let vertices = rec.buffer(&TRIANGLES).unwrap();
    let indices = rec.buffer(&[0u16, 1, 2, 3, 4, 5]).unwrap();
    Scene {
        program,
        fbo,
        vertices,
        indices,
    }
}

impl Scene {
    /// A vertex array of both triangles with per-instance `tints`, indexed or not.
    fn vao(&self, rec: &mut Recorder, tints: &[[u8; 4]], indexed: bool) -> VertexArrayId {
        let tints = rec.buffer(tints).unwrap();
        let content: [(BufferId, &str, &[&str]); 2] = [
            (self.vertices, "2f", &["pos"]),
            (tints, "4f1 /i", &["tint"]),
        ];
        let index = indexed.then_some((self.indices, 2));
        rec.vertex_array(self.program, &content, index).unwrap()
    }

    fn clear_and(&self, rec: &mut Recorder, draw: impl FnOnce(&mut Recorder)) -> ReadbackId {
        rec.clear_framebuffer(self.fbo, [0.0, 0.0, 0.0, 1.0], 1.0, None)
            .unwrap();
        draw(rec);
        rec.read_pixels(self.fbo, None, 4, 0, PixelType::F1)
            .unwrap()
    }
}

/// Draw commands as bytes: 4 or 5 `u32` each, padded to 20 bytes.
fn commands(commands: &[&[u32]]) -> Vec<u32> {
    commands
        .iter()
        .flat_map(|c| {
            let mut words = c.to_vec();
            words.resize(5, 0);
            words
        })
        .collect()
}

fn replay(list: &CommandList) -> Result<Readbacks, ReplayError> {
    Renderer::headless().unwrap().replay(list)
}

fn pixels(readbacks: &Readbacks, id: ReadbackId) -> Vec<u8> {
    readbacks.get(id).unwrap().to_vec()
}

#[test]
fn an_indirect_draw_equals_the_direct_draws_it_stands_for() {
    let mut rec = Recorder::new();
    let s = scene(&mut rec);
    let both = s.vao(&mut rec, &[RED, GREEN], false);
    let green = s.vao(&mut rec, &[GREEN], false);
    let indexed = s.vao(&mut rec, &[RED, GREEN], true);
    let green_indexed = s.vao(&mut rec, &[GREEN], true);
    let triangles = Draw::new(Mode::Triangles);

    // Arrays: A in red, then B from base instance 1 (green).
    let list = commands(&[&[3, 1, 0, 0], &[3, 1, 3, 1]]);
    let buffer = rec.buffer(&list).unwrap();
    let indirect = s.clear_and(&mut rec, |rec| {
        rec.render_indirect(both, buffer, Mode::Triangles, None, 0)
            .unwrap();
    });
    let direct = s.clear_and(&mut rec, |rec| {
        rec.render(both, triangles.vertices(3)).unwrap();
        rec.render(green, triangles.vertices(3).first(3)).unwrap();
    });
    // Only the second command (first 1, count 1).
    let second = s.clear_and(&mut rec, |rec| {
        rec.render_indirect(both, buffer, Mode::Triangles, Some(1), 1)
            .unwrap();
    });
    let second_direct = s.clear_and(&mut rec, |rec| {
        rec.render(green, triangles.vertices(3).first(3)).unwrap();
    });
    // Indexed: B by first index 3, then B again from index 0 with base vertex 3, green.
    let list = commands(&[&[3, 1, 3, 0, 0], &[3, 1, 0, 3, 1]]);
    let buffer = rec.buffer(&list).unwrap();
    let indexed_indirect = s.clear_and(&mut rec, |rec| {
        rec.render_indirect(indexed, buffer, Mode::Triangles, Some(1), 0)
            .unwrap();
    });
    let indexed_direct = s.clear_and(&mut rec, |rec| {
        rec.render(indexed, triangles.vertices(3).first(3)).unwrap();
    });
    let base_vertex = s.clear_and(&mut rec, |rec| {
        rec.render_indirect(indexed, buffer, Mode::Triangles, Some(1), 1)
            .unwrap();
    });
    let base_vertex_direct = s.clear_and(&mut rec, |rec| {
        rec.render(green_indexed, triangles.vertices(3).first(3))
            .unwrap();
    });
    // No command: nothing drawn.
    let none = s.clear_and(&mut rec, |rec| {
        rec.render_indirect(both, buffer, Mode::Triangles, Some(0), 2)
            .unwrap();
    });
    let readbacks = replay(&rec.finish()).unwrap();
    let black = [0u8, 0, 0, 255].repeat(64);
    let pairs = [
        (indirect, direct),
        (second, second_direct),
        (indexed_indirect, indexed_direct),
        (base_vertex, base_vertex_direct),
    ];
    for (indirect, direct) in pairs {
        let drawn = pixels(&readbacks, indirect);
        assert_ne!(drawn, black);
        assert_eq!(drawn, pixels(&readbacks, direct));
    }
    let both_colors = pixels(&readbacks, indirect);
    assert!(both_colors.chunks(4).any(|p| p == RED) && both_colors.chunks(4).any(|p| p == GREEN));
    assert_eq!(pixels(&readbacks, none), black);
}

/// A program writing `2 * value` for each `uint` input by transform feedback.
fn doubler(rec: &mut Recorder) -> ProgramId {
    let desc = ProgramDesc::new(
        "#version 450 core
in uint value;
flat out uint doubled;
void main() { doubled = value * 2u; }
",
    )
    .varyings(&["doubled"], VaryingsMode::Interleaved);
    rec.program(desc).unwrap()
}

/// `words` (even) written into a new buffer by GL, which the validator cannot know.
fn written_by_gl(rec: &mut Recorder, words: &[u32]) -> BufferId {
    let program = doubler(rec);
    let halves: Vec<u32> = words.iter().map(|w| w / 2).collect();
    let source = rec.buffer(&halves).unwrap();
    let vao = rec
        .vertex_array(program, &[(source, "1u4", &["value"])], None)
        .unwrap();
    let out = rec.buffer_reserve(words.len() as u64 * 4, false).unwrap();
    rec.transform(vao, &[out], Draw::new(Mode::Points), 0)
        .unwrap();
    out
}

#[test]
fn commands_gl_wrote_are_checked_when_replayed() {
    let mut rec = Recorder::new();
    let s = scene(&mut rec);
    let both = s.vao(&mut rec, &[RED, GREEN], false);
    let written = written_by_gl(&mut rec, &commands(&[&[6, 2, 0, 0]]));
    let drawn = s.clear_and(&mut rec, |rec| {
        rec.render_indirect(both, written, Mode::Triangles, None, 0)
            .unwrap();
    });
    let direct = s.clear_and(&mut rec, |rec| {
        rec.render(both, Draw::new(Mode::Triangles).instances(2))
            .unwrap();
    });
    let list = rec.finish();
    let readbacks = replay(&list).unwrap();
    assert_eq!(pixels(&readbacks, drawn), pixels(&readbacks, direct));

    // Past the per-instance buffer (2 tints, instances 0..4), past the vertices (6), and
    // more work than the replay allows.
    for (bad, what) in [
        (commands(&[&[0], &[6, 4, 0, 0]]), "instances"),
        (commands(&[&[6, 1, 2, 0]]), "vertices"),
    ] {
        let mut rec = Recorder::new();
        let s = scene(&mut rec);
        let both = s.vao(&mut rec, &[RED, GREEN], false);
        let written = written_by_gl(&mut rec, &bad);
        rec.render_indirect(both, written, Mode::Triangles, None, 0)
            .unwrap();
        let list = rec.finish();
        let index = list.len() - 1;
        match replay(&list).unwrap_err() {
            ReplayError::Invalid(invalid) => {
                assert_eq!((invalid.index, invalid.command), (index, "render_indirect"));
                let ValidationError::IndirectCommand { command, error, .. } = &invalid.error else {
                    panic!("{what}: {invalid}");
                };
                let expected = if what == "instances" { 1 } else { 0 };
                assert_eq!(*command, expected, "{what}");
                assert!(
                    matches!(**error, ValidationError::OutOfRange { .. }),
                    "{what}: {error}"
                );
            }
            other => panic!("{what}: {other:?}"),
        }
    }
    let mut rec = Recorder::new();
    let s = scene(&mut rec);
    let both = s.vao(&mut rec, &[RED, GREEN], false);
    let written = written_by_gl(&mut rec, &commands(&[&[6, 2, 0, 0]]));
    rec.render_indirect(both, written, Mode::Triangles, None, 0)
        .unwrap();
    let list = rec.finish();
    let mut options = ReplayOptions {
        limits: ReplayLimits {
            max_draw_work: 11,
            ..ReplayLimits::default()
        },
        ..ReplayOptions::default()
    };
    let mut renderer = Renderer::headless().unwrap();
    let validated = list.validate().unwrap();
    match renderer.replay_with(&validated, &mut options).unwrap_err() {
        ReplayError::Limit(limit) => {
            assert_eq!(
                (limit.limit, limit.value, limit.max),
                (Limit::DrawWork, 12, 11)
            );
            assert_eq!(limit.command, "render_indirect");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn commands_known_when_recorded_are_checked_then() {
    let mut rec = Recorder::new();
    let s = scene(&mut rec);
    let both = s.vao(&mut rec, &[RED, GREEN], false);
    let indexed = s.vao(&mut rec, &[RED, GREEN], true);
    let start = rec.list().len();
    let refused = |rec: &mut Recorder, vao, words: &[u32], count, first| {
        let buffer = rec.buffer(words).unwrap();
        rec.render_indirect(vao, buffer, Mode::Triangles, count, first)
            .unwrap_err()
    };
    let inner = |error: ValidationError| match error {
        ValidationError::IndirectCommand { command, error, .. } => (command, *error),
        other => panic!("{other:?}"),
    };
    // Vertices 4..7 of 6.
    let (n, error) = inner(refused(
        &mut rec,
        both,
        &commands(&[&[3, 1, 4, 0]]),
        None,
        0,
    ));
    assert_eq!(n, 0);
    assert!(
        matches!(error, ValidationError::OutOfRange { size: 56, .. }),
        "{error}"
    );
    // Instances 1..3 of 2 tints, in the second command.
    let words = commands(&[&[3, 1, 0, 0], &[3, 2, 0, 1]]);
    let (n, error) = inner(refused(&mut rec, both, &words, None, 0));
    assert_eq!(n, 1);
    assert!(
        matches!(error, ValidationError::OutOfRange { .. }),
        "{error}"
    );
    // Indices 4..8 of 6.
    let (_, error) = inner(refused(
        &mut rec,
        indexed,
        &commands(&[&[4, 1, 4, 0, 0]]),
        None,
        0,
    ));
    assert!(matches!(
        error,
        ValidationError::OutOfRange {
            offset: 8,
            size: 8,
            ..
        }
    ));
    // First past GLint.
    let words = commands(&[&[1, 1, u32::MAX, 0]]);
    let (_, error) = inner(refused(&mut rec, both, &words, None, 0));
    assert!(matches!(
        error,
        ValidationError::DrawTooLarge { what: "first", .. }
    ));
    // Commands past the buffer: 2 commands of 16 bytes need 36 of a 20-byte buffer.
    let error = refused(&mut rec, both, &commands(&[&[3, 1, 0, 0]]), Some(2), 0);
    assert!(matches!(
        error,
        ValidationError::OutOfRange {
            offset: 0,
            size: 36,
            buffer_size: 20,
            ..
        }
    ));
    // The default count after a first past the end.
    let error = refused(&mut rec, both, &commands(&[&[3, 1, 0, 0]]), None, 2);
    assert!(matches!(
        error,
        ValidationError::OutOfRange { offset: 40, .. }
    ));
    let error = refused(&mut rec, both, &[0u32; 5], Some(u32::MAX), 0);
    assert!(matches!(
        error,
        ValidationError::DrawTooLarge {
            what: "draw count",
            ..
        }
    ));
    // Rejected calls recorded nothing: only the buffers are there.
    let kinds: Vec<&str> = (rec.list().commands()[start..].iter())
        .map(|c| c.name())
        .collect();
    assert_eq!(kinds, ["create_buffer"; 7]);
    // A command buffer of over 4 KiB is not followed: its commands are checked at replay.
    let mut words = commands(&[&[3, 1, 4, 0]]);
    words.resize(1025, 0);
    let big = rec.buffer(&words).unwrap();
    rec.render_indirect(both, big, Mode::Triangles, Some(1), 0)
        .unwrap();
    let list = rec.finish();
    let err = replay(&list).unwrap_err();
    assert!(
        matches!(&err, ReplayError::Invalid(i) if i.index == list.len() - 1),
        "{err:?}"
    );
}

#[test]
fn streamed_commands_draw_the_same_under_every_strategy() {
    let mut rec = Recorder::new();
    let s = scene(&mut rec);
    let both = s.vao(&mut rec, &[RED, GREEN], false);
    let buffer = rec.buffer_reserve(20, true).unwrap();
    rec.end_frame();
    let mut reads = Vec::new();
    for frame in 0..6u32 {
        rec.orphan(buffer, None).unwrap();
        let command = commands(&[&[3, 1, 3 * (frame % 2), frame / 2 % 2]]);
        rec.write(buffer, 0, &command).unwrap();
        reads.push(s.clear_and(&mut rec, |rec| {
            rec.render_indirect(both, buffer, Mode::Triangles, None, 0)
                .unwrap();
        }));
        rec.end_frame();
    }
    let list = rec.finish();
    let validated = list.validate().unwrap();
    let mut renderer = Renderer::headless().unwrap();
    let mut results = Vec::new();
    for stream in [
        StreamStrategy::Faithful,
        StreamStrategy::Fold,
        StreamStrategy::Ring,
    ] {
        let mut options = ReplayOptions {
            stream,
            ..ReplayOptions::default()
        };
        let replay = renderer.replay_with(&validated, &mut options).unwrap();
        let frames: Vec<Vec<u8>> = reads
            .iter()
            .map(|&r| pixels(&replay.readbacks, r))
            .collect();
        results.push(frames);
    }
    assert_eq!(results[0], results[1]);
    assert_eq!(results[0], results[2]);
    // Each frame drew its own triangle in its own tint.
    let frames = &results[0];
    for (frame, drawn) in frames.iter().enumerate() {
        let tint = if frame / 2 % 2 == 0 { RED } else { GREEN };
        assert!(drawn.chunks(4).any(|p| p == tint), "frame {frame}");
        assert_ne!(frames[frame], frames[(frame + 1) % frames.len()]);
    }
}
