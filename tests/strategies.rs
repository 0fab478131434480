//! The stream strategies (faithful, fold, ring) give byte-identical readbacks and pixels.

use gltape::trace::{self, DecodeLimits};
use gltape::{
    ColorFormat, CommandList, Draw, Mode, PixelType, ProgramDesc, Readbacks, Recorder, Renderer,
    ReplayOptions, StreamStrategy, TextureDesc, TextureRegion, TextureWrite, VaryingsMode,
};
use std::path::Path;

const STRATEGIES: [StreamStrategy; 3] = [
    StreamStrategy::Faithful,
    StreamStrategy::Fold,
    StreamStrategy::Ring,
];

fn replay(renderer: &mut Renderer, list: &CommandList, stream: StreamStrategy) -> Readbacks {
    let list = list.validate().unwrap();
    let mut options = ReplayOptions {
        stream,
        ..ReplayOptions::default()
    };
    renderer.replay_with(&list, &mut options).unwrap().readbacks
}

/// Replays `list` with every strategy, twice each, and asserts identical readbacks.
fn assert_strategies_agree(list: &CommandList) -> Readbacks {
    let mut renderer = Renderer::headless().unwrap();
    let faithful = replay(&mut renderer, list, StreamStrategy::Faithful);
    for stream in STRATEGIES {
        for _ in 0..2 {
            assert!(
                replay(&mut renderer, list, stream) == faithful,
                "{stream:?} differs from faithful"
            );
        }
    }
    faithful
}

#[test]
fn every_committed_trace_gives_identical_readbacks_with_every_strategy() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("traces");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "gltrace") {
            let trace = trace::load(&path, &DecodeLimits::default()).unwrap().trace;
            let readbacks = assert_strategies_agree(&trace.list);
            assert!(!readbacks.is_empty(), "{}", path.display());
        }
    }
}

const VS: &str = "#version 450 core
in vec2 in_pos;
out vec2 out_pos;
void main() { out_pos = in_pos * 2.0; gl_Position = vec4(in_pos, 0.0, 1.0); }";
const FS: &str = "#version 450 core
layout(location = 0) out vec4 color;
void main() { color = vec4(1.0, 0.5, 0.0, 1.0); }";

/// Streams vertex, index and output buffers, then touches them every other way: partial
/// writes, a lone orphan, copies, clears, transforms, indexed draws, reads.
fn mixed_list() -> CommandList {
    let mut rec = Recorder::new();
    let program = rec
        .program(
            ProgramDesc::new(VS)
                .fragment(FS)
                .varyings(&["out_pos"], VaryingsMode::Interleaved),
        )
        .unwrap();
    let vbo = rec.buffer_reserve(24, true).unwrap();
    let ibo = rec.buffer_reserve(6, true).unwrap();
    let out = rec.buffer_reserve(64, true).unwrap();
    let vao = rec
        .vertex_array(program, &[(vbo, "2f", &["in_pos"])], Some((ibo, 2)))
        .unwrap();
    let plain = rec
        .vertex_array(program, &[(vbo, "2f", &["in_pos"])], None)
        .unwrap();
    let fbo = rec
        .framebuffer(32, 32, &[ColorFormat::Rgba8], false)
        .unwrap();
    rec.use_framebuffer(fbo).unwrap();
    for frame in 0..6u16 {
        let shift = f32::from(frame) * 0.125;
        rec.orphan(vbo, None).unwrap();
        rec.write(
            vbo,
            0,
            &[-0.75f32 + shift, -0.75, 0.75, -0.75, -0.75 + shift, 0.75],
        )
        .unwrap();
        rec.orphan(ibo, None).unwrap();
        rec.write(ibo, 0, &[0u16, 1, 2]).unwrap();
        rec.orphan(out, None).unwrap();
        rec.write(out, 0, &[frame as u8; 64]).unwrap();
        rec.clear_framebuffer(fbo, [0.0, 0.0, 0.2, 1.0], 1.0, None)
            .unwrap();
        rec.render(vao, Draw::new(Mode::Triangles)).unwrap();
        rec.transform(plain, &[out], Draw::new(Mode::Points), 8)
            .unwrap();
        rec.write(out, 0, &[0xEEu8; 4]).unwrap();
        rec.read(out, None, 0).unwrap();
        rec.read_pixels(fbo, None, 4, 0, PixelType::F1).unwrap();
        rec.end_frame();
    }
    // A lone orphan to another size (no full write follows), then partial writes.
    rec.orphan(out, Some(32)).unwrap();
    rec.write(out, 0, &[1u8; 16]).unwrap();
    rec.write(out, 16, &[2u8; 16]).unwrap();
    rec.copy_buffer(out, vbo, Some(8), 0, 4).unwrap();
    rec.clear_range(out, Some(8), 24, Some(b"ab")).unwrap();
    rec.read(out, None, 0).unwrap();
    rec.read(vbo, None, 0).unwrap();
    rec.finish()
}

#[test]
fn streamed_vertex_index_and_output_buffers_agree_across_strategies() {
    let readbacks = assert_strategies_agree(&mixed_list());
    let last: Vec<&[u8]> = readbacks.iter().collect();
    let out = last[last.len() - 2];
    assert_eq!(&out[..4], &[1, 1, 1, 1]);
    assert_eq!(
        &out[4..12],
        bytemuck::cast_slice::<f32, u8>(&[-0.125f32, -0.75])
    );
    assert_eq!(&out[24..], b"abababab");
    // Frame 5's transform captured in_pos * 2 after the 0xEE bytes and the 8-byte offset.
    let frame5 = last[2 * 5];
    assert_eq!(&frame5[..4], &[0xEE; 4]);
    assert_eq!(&frame5[4..8], &[5; 4]);
    assert_eq!(
        &frame5[8..16],
        bytemuck::cast_slice::<f32, u8>(&[-0.25f32, -1.5])
    );
}

#[test]
fn replaying_with_a_ring_again_and_again_allocates_nothing_new() {
    let list = mixed_list();
    let mut renderer = Renderer::headless().unwrap();
    replay(&mut renderer, &list, StreamStrategy::Ring);
    let after_one = renderer.live_objects();
    for _ in 0..50 {
        replay(&mut renderer, &list, StreamStrategy::Ring);
    }
    assert_eq!(renderer.live_objects(), after_one);
}

const VS_UV: &str = "#version 450 core
in vec2 in_pos;
out vec2 uv;
void main() { uv = in_pos * 0.5 + 0.5; gl_Position = vec4(in_pos, 0.0, 1.0); }";
const FS_TEXTURE: &str = "#version 450 core
uniform sampler2D tex;
in vec2 uv;
layout(location = 0) out vec4 color;
void main() { color = texture(tex, uv); }";

/// Streams a texture the ways applications do: a whole write from bytes each frame, a
/// viewport write, and a write from a buffer streamed by orphan + write, each sampled by a
/// draw and read back.
fn texture_list() -> CommandList {
    let mut rec = Recorder::new();
    let program = rec
        .program(ProgramDesc::new(VS_UV).fragment(FS_TEXTURE))
        .unwrap();
    let quad = rec
        .buffer(&[-1.0f32, -1.0, 1.0, -1.0, -1.0, 1.0, 1.0, 1.0])
        .unwrap();
    let vao = rec
        .vertex_array(program, &[(quad, "2f", &["in_pos"])], None)
        .unwrap();
    let texture = rec.texture(TextureDesc::texture(8, 8, 4), None).unwrap();
    rec.use_texture(texture, 0).unwrap();
    let pixels = rec.buffer_reserve(8 * 8 * 4, true).unwrap();
    let fbo = rec.framebuffer(8, 8, &[ColorFormat::Rgba8], false).unwrap();
    rec.use_framebuffer(fbo).unwrap();
    rec.end_frame();
    for frame in 0..6u8 {
        let data: Vec<u8> = (0..=255u8).map(|i| i.wrapping_mul(frame + 1)).collect();
        rec.write_texture(TextureWrite::new(texture), &data)
            .unwrap();
        let corner = TextureRegion::rect(u32::from(frame), 2, 2, 3);
        rec.write_texture(TextureWrite::new(texture).viewport(corner), &[frame; 24])
            .unwrap();
        rec.render(vao, Draw::new(Mode::TriangleStrip)).unwrap();
        rec.read_pixels(fbo, None, 4, 0, PixelType::F1).unwrap();
        rec.orphan(pixels, None).unwrap();
        rec.write(pixels, 0, &[255 - frame; 256]).unwrap();
        let band = TextureWrite::new(texture).viewport(TextureRegion::rect(0, 6, 8, 2));
        rec.write_texture_from_buffer(band, pixels).unwrap();
        rec.read_texture(texture, 0, 1).unwrap();
        rec.end_frame();
    }
    rec.finish()
}

#[test]
fn streamed_textures_agree_across_strategies() {
    let list = texture_list();
    let readbacks = assert_strategies_agree(&list);
    let reads: Vec<&[u8]> = readbacks.iter().collect();
    // Frame 5's texture: its bytes, the 2x3 viewport at (5, 2), the band from the buffer.
    let texture = reads[2 * 5 + 1];
    assert_eq!(texture[0..4], [0, 6, 12, 18]);
    assert_eq!(texture[(2 * 8 + 5) * 4..(2 * 8 + 7) * 4], [5; 8]);
    assert_eq!(texture[6 * 8 * 4..], [250; 64]);
    // The draw sampled frame 5's texture before its band was written.
    assert_eq!(reads[2 * 5][(2 * 8 + 5) * 4..(2 * 8 + 6) * 4], [5; 4]);
}

const VS_CAPTURE: &str = "#version 450 core
in float v;
out float o;
void main() { o = v; }";

/// A vertex buffer of four floats streamed several times in a row with nothing between (the
/// ring refills its slot in place), between frame markers, and around a transform that
/// captures it and reads of it (the ring moves on to the next slot), over frames 1..=4.
fn refill_list() -> (CommandList, Vec<[f32; 4]>) {
    let mut rec = Recorder::new();
    let program = rec
        .program(ProgramDesc::new(VS_CAPTURE).varyings(&["o"], VaryingsMode::Interleaved))
        .unwrap();
    let vbo = rec.dynamic_buffer(&[0.0f32; 4]).unwrap();
    let out = rec.buffer_reserve(16, true).unwrap();
    let vao = rec
        .vertex_array(program, &[(vbo, "f", &["v"])], None)
        .unwrap();
    rec.end_frame();
    let mut expected = Vec::new();
    let mut value = 0.0f32;
    let mut next = || {
        value += 1.0;
        [value, value + 0.25, value + 0.5, value + 0.75]
    };
    for _ in 0..4 {
        for _ in 0..3 {
            rec.orphan(vbo, None).unwrap();
            rec.write(vbo, 0, &next()).unwrap();
        }
        let captured = next();
        rec.orphan(vbo, None).unwrap();
        rec.write(vbo, 0, &captured).unwrap();
        rec.transform(vao, &[out], Draw::new(Mode::Points), 0)
            .unwrap();
        rec.read(out, None, 0).unwrap();
        expected.push(captured);
        // Rewritten right after the transform that read the slot: the next slot.
        let read = next();
        rec.orphan(vbo, None).unwrap();
        rec.write(vbo, 0, &read).unwrap();
        rec.read(vbo, None, 0).unwrap();
        expected.push(read);
        rec.orphan(vbo, None).unwrap();
        rec.write(vbo, 0, &next()).unwrap();
        rec.end_frame();
        // Across the frame marker, with nothing else between: in place again.
        rec.orphan(vbo, None).unwrap();
        rec.write(vbo, 0, &next()).unwrap();
        rec.end_frame();
    }
    let last = next();
    rec.orphan(vbo, None).unwrap();
    rec.write(vbo, 0, &last).unwrap();
    rec.read(vbo, None, 0).unwrap();
    expected.push(last);
    (rec.finish(), expected)
}

#[test]
fn ring_slots_refilled_in_place_keep_every_read_exact() {
    let (list, expected) = refill_list();
    let readbacks = assert_strategies_agree(&list);
    let got: Vec<Vec<f32>> = readbacks
        .iter()
        .map(|bytes| bytemuck::cast_slice::<u8, f32>(bytes).to_vec())
        .collect();
    let expected: Vec<Vec<f32>> = expected.iter().map(|v| v.to_vec()).collect();
    assert_eq!(got, expected);
    // Timed frames looped on resident objects (the ring's slots carried from pass to pass):
    // the first pass's readbacks, the same under every strategy.
    let validated = list.validate().unwrap();
    let mut renderer = Renderer::headless().unwrap();
    let mut live = Vec::new();
    for stream in STRATEGIES {
        let mut options = ReplayOptions {
            stream,
            frames: Some(1..list.frames()),
            loops: 3,
            ..ReplayOptions::default()
        };
        let replay = renderer.replay_with(&validated, &mut options).unwrap();
        assert!(replay.stats.resident, "{stream:?}");
        assert!(replay.readbacks == readbacks, "{stream:?}");
        live.push(renderer.live_objects());
    }
    // The transform and the reads between fills sent the ring on to further slots (fenced).
    assert!(live[2] >= live[0] + 2, "live objects by strategy: {live:?}");
}

#[test]
fn a_pure_upload_loop_streams_through_one_ring_slot() {
    // As `gltape record upload`: a dynamic buffer orphaned and written whole every frame
    // and nothing else, so nothing can use a slot between two fills.
    let frame = |f: u8| vec![f.wrapping_mul(37) ^ 0x5A; 4096];
    let mut rec = Recorder::new();
    let buf = rec.buffer_reserve(4096, true).unwrap();
    rec.end_frame();
    for f in 0..9 {
        rec.orphan(buf, None).unwrap();
        rec.write(buf, 0, &frame(f)).unwrap();
        rec.end_frame();
    }
    rec.read(buf, None, 0).unwrap();
    let list = rec.finish();
    let validated = list.validate().unwrap();
    let mut renderer = Renderer::headless().unwrap();
    let mut faithful = None;
    for stream in STRATEGIES {
        let mut options = ReplayOptions {
            stream,
            frames: Some(1..list.frames()),
            loops: 4,
            ..ReplayOptions::default()
        };
        let replay = renderer.replay_with(&validated, &mut options).unwrap();
        assert_eq!(
            replay.readbacks.iter().last(),
            Some(&frame(8)[..]),
            "{stream:?}"
        );
        assert!(*faithful.get_or_insert_with(|| replay.readbacks.clone()) == replay.readbacks);
        // The buffer's own storage, plus one ring slot under `ring`.
        let ring_slots = usize::from(stream == StreamStrategy::Ring);
        assert_eq!(renderer.live_objects(), 1 + ring_slots, "{stream:?}");
    }
}
