//! Every byte a replay reads back comes from the trace itself or is zero (issue 9, item 5):
//! orphaned storage, new renderbuffers and textures attached to framebuffers (color,
//! integer, depth, multisampled, levels, layers), attachments a
//! shader does not write or writes with values of another kind, the screen before
//! anything is drawn, and vertex fetches through index values past a buffer's end, under every
//! stream strategy and on a renderer that replayed other lists before.

use gltape::{
    Attachment, ColorFormat, CommandList, Draw, FramebufferId, Mode, PixelType, ProgramDesc,
    ReadbackId, Recorder, Renderer, ReplayOptions, StreamStrategy, TextureDesc, VaryingsMode,
};

const STRATEGIES: [StreamStrategy; 3] = [
    StreamStrategy::Faithful,
    StreamStrategy::Fold,
    StreamStrategy::Ring,
];

/// A value no list below writes except [`secret_list`]: finding it anywhere else is a leak.
const SECRET: f32 = 777.0;

fn replay(renderer: &mut Renderer, list: &CommandList, stream: StreamStrategy) -> Vec<Vec<u8>> {
    let list = list.validate().expect("valid list");
    let mut options = ReplayOptions {
        stream,
        ..ReplayOptions::default()
    };
    let replay = renderer.replay_with(&list, &mut options).expect("replay");
    (0..list.readback_count())
        .map(|id| {
            replay
                .readbacks
                .get(ReadbackId::from_index(id))
                .expect("readback")
                .to_vec()
        })
        .collect()
}

/// Streams frames full of [`SECRET`] through buffers of 16 and 64 bytes and draws and reads
/// them: what a first list leaves behind in rings, freed storage and renderbuffers.
fn secret_list() -> CommandList {
    let mut rec = Recorder::new();
    for size in [4, 16] {
        let buf = rec.dynamic_buffer(&vec![SECRET; size]).unwrap();
        for _ in 0..6 {
            rec.orphan(buf, None).unwrap();
            rec.write(buf, 0, &vec![SECRET; size]).unwrap();
            rec.end_frame();
        }
        rec.read(buf, None, 0).unwrap();
    }
    let fbo = rec
        .framebuffer(32, 32, &[ColorFormat::Rgba32F, ColorFormat::Rgba32F], true)
        .unwrap();
    rec.clear_framebuffer(fbo, [SECRET; 4], 1.0, None).unwrap();
    rec.clear_framebuffer(FramebufferId::SCREEN, [1.0; 4], 1.0, None)
        .unwrap();
    rec.finish()
}

fn floats(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes(b.try_into().unwrap()))
        .collect()
}

/// Captures `o = v` for every index of `indices` into a vertex buffer of four floats that was
/// orphaned and rewritten five times (so that under `ring` its bytes sit in a slot that has
/// neighbours), and reads the capture.
fn index_fetch_list(indices: &[u32]) -> CommandList {
    const VS: &str = "#version 450 core
in float v;
out float o;
void main() { o = v; }
";
    let mut rec = Recorder::new();
    let program = rec
        .program(ProgramDesc::new(VS).varyings(&["o"], VaryingsMode::Interleaved))
        .unwrap();
    let vbo = rec.dynamic_buffer(&[0.0f32; 4]).unwrap();
    rec.end_frame();
    for frame in 0..5u8 {
        let base = f32::from(frame) * 10.0;
        rec.orphan(vbo, None).unwrap();
        rec.write(vbo, 0, &[base + 1.0, base + 2.0, base + 3.0, base + 4.0])
            .unwrap();
        rec.end_frame();
    }
    let ibo = rec.buffer(indices).unwrap();
    let vao = rec
        .vertex_array(program, &[(vbo, "f", &["v"])], Some((ibo, 4)))
        .unwrap();
    let out = rec.buffer(&vec![0xAAu8; indices.len() * 4]).unwrap();
    rec.transform(vao, &[out], Draw::new(Mode::Points), 0)
        .unwrap();
    rec.read(out, None, 0).unwrap();
    rec.finish()
}

#[test]
fn index_fetches_past_a_buffers_end_read_zero_under_every_strategy() {
    // Indices inside the buffer, just past it, one ring slot (256 bytes) past it, further.
    let mut indices: Vec<u32> = (0..8).collect();
    indices.extend([63, 64, 65, 127, 128, 192, 1000, 1 << 20, u32::MAX - 1]);
    let list = index_fetch_list(&indices);
    let mut expected = vec![41.0f32, 42.0, 43.0, 44.0];
    expected.resize(indices.len(), 0.0);
    let mut renderer = Renderer::headless().unwrap();
    for strategy in STRATEGIES {
        // Fresh, then after a list that filled rings and storage with SECRET.
        for round in 0..2 {
            let readbacks = replay(&mut renderer, &list, strategy);
            assert_eq!(
                floats(readbacks.last().unwrap()),
                expected,
                "{strategy:?}, round {round}"
            );
            replay(&mut renderer, &secret_list(), strategy);
        }
    }
}

#[test]
fn orphaned_storage_reads_zero_where_the_list_did_not_write() {
    for size in [16usize, 4096, 65536, 1 << 20] {
        let mut rec = Recorder::new();
        let buf = rec.dynamic_buffer(&vec![0xABu8; size]).unwrap();
        // Storage the driver frees right before the orphans, full of bytes to recycle.
        for _ in 0..4 {
            let freed = rec.buffer(&vec![0xCDu8; size]).unwrap();
            rec.release(freed).unwrap();
        }
        rec.orphan(buf, None).unwrap();
        let untouched = rec.read(buf, None, 0).unwrap();
        for _ in 0..4 {
            let freed = rec.buffer(&vec![0xCDu8; 2 * size]).unwrap();
            rec.release(freed).unwrap();
        }
        rec.orphan(buf, Some(2 * size as u64)).unwrap();
        rec.write(buf, 4, &[1u8, 2, 3]).unwrap();
        let partial = rec.read(buf, None, 0).unwrap();
        let list = rec.finish();
        let mut partial_expected = vec![0u8; 2 * size];
        partial_expected[4..7].copy_from_slice(&[1, 2, 3]);
        let mut renderer = Renderer::headless().unwrap();
        for strategy in STRATEGIES {
            replay(&mut renderer, &secret_list(), strategy);
            let readbacks = replay(&mut renderer, &list, strategy);
            assert_eq!(
                readbacks[untouched.index()],
                vec![0u8; size],
                "{strategy:?} {size}"
            );
            assert_eq!(
                readbacks[partial.index()],
                partial_expected,
                "{strategy:?} {size}"
            );
        }
    }
}

#[test]
fn new_framebuffers_and_unwritten_attachments_read_zero() {
    const VS: &str = "#version 450 core
in vec2 p;
void main() { gl_Position = vec4(p, 0.0, 1.0); }
";
    // Writes attachment 0 only; attachment 1 keeps what it had.
    const FS: &str = "#version 450 core
layout(location = 0) out vec4 color;
void main() { color = vec4(0.25, 0.5, 0.75, 1.0); }
";
    let mut rec = Recorder::new();
    let program = rec.program(ProgramDesc::new(VS).fragment(FS)).unwrap();
    let vbo = rec.buffer(&[-1.0f32, -1.0, 3.0, -1.0, -1.0, 3.0]).unwrap();
    let vao = rec
        .vertex_array(program, &[(vbo, "2f", &["p"])], None)
        .unwrap();
    let (mut reads, mut drawn) = (Vec::new(), Vec::new());
    // Many framebuffers made and released, so the driver recycles their memory.
    for _ in 0..8 {
        let fbo = rec
            .framebuffer(32, 32, &[ColorFormat::Rgba32F, ColorFormat::Rgba32F], true)
            .unwrap();
        reads.push(rec.read_pixels(fbo, None, 4, 1, PixelType::F4).unwrap());
        rec.use_framebuffer(fbo).unwrap();
        rec.render(vao, Draw::new(Mode::Triangles)).unwrap();
        reads.push(rec.read_pixels(fbo, None, 4, 1, PixelType::F4).unwrap());
        drawn.push(rec.read_pixels(fbo, None, 4, 0, PixelType::F4).unwrap());
        let screen = rec.read_pixels(FramebufferId::SCREEN, None, 4, 0, PixelType::F1);
        reads.push(screen.unwrap());
        rec.use_framebuffer(FramebufferId::SCREEN).unwrap();
        rec.release(fbo).unwrap();
    }
    let list = rec.finish();
    let mut renderer = Renderer::headless().unwrap();
    for strategy in STRATEGIES {
        replay(&mut renderer, &secret_list(), strategy);
        let readbacks = replay(&mut renderer, &list, strategy);
        for &read in &reads {
            let bytes = &readbacks[read.index()];
            assert!(!bytes.is_empty());
            assert!(
                bytes.iter().all(|&b| b == 0),
                "{strategy:?}: {read} holds bytes the list never wrote"
            );
        }
        // The attachment the shader writes does hold the drawn color, everywhere.
        for &read in &drawn {
            let pixels = floats(&readbacks[read.index()]);
            assert_eq!(pixels, [0.25, 0.5, 0.75, 1.0].repeat(32 * 32));
        }
    }
}

#[test]
fn new_renderbuffers_and_attachments_of_another_kind_read_zero() {
    const VS: &str = "#version 450 core
in vec2 p;
void main() { gl_Position = vec4(p, 0.0, 1.0); }
";
    // Floats for an unsigned integer attachment: GL leaves it undefined (llvmpipe writes the
    // bits saturated), so the draw leaves it out.
    const FS: &str = "#version 450 core
layout(location = 0) out vec4 color;
void main() { color = vec4(777.0); }
";
    let mut rec = Recorder::new();
    let program = rec.program(ProgramDesc::new(VS).fragment(FS)).unwrap();
    let vbo = rec.buffer(&[-1.0f32, -1.0, 3.0, -1.0, -1.0, 3.0]).unwrap();
    let vao = rec
        .vertex_array(program, &[(vbo, "2f", &["p"])], None)
        .unwrap();
    let mut reads = Vec::new();
    for _ in 0..4 {
        let float = rec.renderbuffer(32, 32, 4, 0, PixelType::F4).unwrap();
        let integer = rec.renderbuffer(32, 32, 4, 0, PixelType::U4).unwrap();
        let depth = rec.depth_renderbuffer(32, 32, 0).unwrap();
        let fbo = rec
            .framebuffer_from(&[integer.into(), float.into()], Some(depth.into()))
            .unwrap();
        reads.push(rec.read_pixels(fbo, None, 4, 1, PixelType::F4).unwrap());
        reads.push(rec.read_depth(fbo, None, PixelType::F4).unwrap());
        rec.use_framebuffer(fbo).unwrap();
        rec.render(vao, Draw::new(Mode::Triangles)).unwrap();
        reads.push(rec.read_pixels(fbo, None, 4, 0, PixelType::U4).unwrap());
        // Multisampled storage, seen through a resolve.
        let samples = rec.renderbuffer(32, 32, 4, 4, PixelType::F4).unwrap();
        let msaa = rec.framebuffer_from(&[samples.into()], None).unwrap();
        let resolved = rec.framebuffer_from(&[float.into()], None).unwrap();
        rec.copy_framebuffer(resolved, msaa).unwrap();
        reads.push(
            rec.read_pixels(resolved, None, 4, 0, PixelType::F4)
                .unwrap(),
        );
        rec.use_framebuffer(FramebufferId::SCREEN).unwrap();
        for object in [float, integer, depth, samples] {
            rec.release(object).unwrap();
        }
        for object in [fbo, msaa, resolved] {
            rec.release(object).unwrap();
        }
    }
    let list = rec.finish();
    let mut renderer = Renderer::headless().unwrap();
    for strategy in STRATEGIES {
        replay(&mut renderer, &secret_list(), strategy);
        let readbacks = replay(&mut renderer, &list, strategy);
        for &read in &reads {
            let bytes = &readbacks[read.index()];
            assert!(!bytes.is_empty());
            assert!(
                bytes.iter().all(|&b| b == 0),
                "{strategy:?}: {read} holds bytes the list never wrote"
            );
        }
    }
}

#[test]
fn new_textures_read_zero_through_framebuffers_copies_and_resolves() {
    const VS: &str = "#version 450 core
in vec2 p;
void main() { gl_Position = vec4(p, 0.0, 1.0); }
";
    // Floats into an unsigned integer texture: left out of the draw, as for renderbuffers.
    const FS: &str = "#version 450 core
layout(location = 0) out vec4 color;
void main() { color = vec4(777.0); }
";
    let mut rec = Recorder::new();
    let program = rec.program(ProgramDesc::new(VS).fragment(FS)).unwrap();
    let vbo = rec.buffer(&[-1.0f32, -1.0, 3.0, -1.0, -1.0, 3.0]).unwrap();
    let vao = rec
        .vertex_array(program, &[(vbo, "2f", &["p"])], None)
        .unwrap();
    let mut reads = Vec::new();
    for _ in 0..4 {
        let float = TextureDesc::texture(32, 32, 4).dtype(PixelType::F4);
        let float = rec.texture(float, None).unwrap();
        let integer = TextureDesc::texture(32, 32, 4).dtype(PixelType::U4);
        let integer = rec.texture(integer, None).unwrap();
        let depth = rec.texture(TextureDesc::depth(32, 32), None).unwrap();
        let fbo = rec
            .framebuffer_from(&[integer.into(), float.into()], Some(depth.into()))
            .unwrap();
        reads.push(rec.read_pixels(fbo, None, 4, 1, PixelType::F4).unwrap());
        reads.push(rec.read_depth(fbo, None, PixelType::F4).unwrap());
        rec.use_framebuffer(fbo).unwrap();
        rec.render(vao, Draw::new(Mode::Triangles)).unwrap();
        reads.push(rec.read_pixels(fbo, None, 4, 0, PixelType::U4).unwrap());
        // Levels made from zeros, a layer of an array, every face of a cube map.
        rec.build_mipmaps(float, 0, 3).unwrap();
        let level = Attachment::Texture {
            texture: float,
            level: 3,
            layer: None,
        };
        let array = TextureDesc::array(4, 4, 3, 4).dtype(PixelType::F4);
        let array = rec.texture(array, None).unwrap();
        let layer = Attachment::Texture {
            texture: array,
            level: 0,
            layer: Some(2),
        };
        let small = rec.framebuffer_from(&[level, layer], None).unwrap();
        reads.push(rec.read_pixels(small, None, 4, 0, PixelType::F4).unwrap());
        reads.push(rec.read_pixels(small, None, 4, 1, PixelType::F4).unwrap());
        let cube = TextureDesc::cube(4, 4, 4).dtype(PixelType::F4);
        let cube = rec.texture(cube, None).unwrap();
        let faces = rec.framebuffer_from(&[cube.into()], None).unwrap();
        reads.push(rec.read_pixels(faces, None, 4, 0, PixelType::F4).unwrap());
        // Multisample textures, seen through a resolve; a copy into a texture.
        let samples = TextureDesc::texture(32, 32, 4)
            .dtype(PixelType::F4)
            .samples(4);
        let samples = rec.texture(samples, None).unwrap();
        let msaa = rec.framebuffer_from(&[samples.into()], None).unwrap();
        let resolved = rec.framebuffer_from(&[float.into()], None).unwrap();
        rec.copy_framebuffer(resolved, msaa).unwrap();
        reads.push(
            rec.read_pixels(resolved, None, 4, 0, PixelType::F4)
                .unwrap(),
        );
        let copied = rec.texture(TextureDesc::texture(32, 32, 4), None).unwrap();
        rec.copy_framebuffer(copied, resolved).unwrap();
        reads.push(rec.read_texture(copied, 0, 1).unwrap());
        rec.use_framebuffer(FramebufferId::SCREEN).unwrap();
        for object in [float, integer, depth, array, cube, samples, copied] {
            rec.release(object).unwrap();
        }
        for object in [fbo, small, faces, msaa, resolved] {
            rec.release(object).unwrap();
        }
    }
    let list = rec.finish();
    let mut renderer = Renderer::headless().unwrap();
    for strategy in STRATEGIES {
        replay(&mut renderer, &secret_list(), strategy);
        let readbacks = replay(&mut renderer, &list, strategy);
        for &read in &reads {
            let bytes = &readbacks[read.index()];
            assert!(!bytes.is_empty());
            assert!(
                bytes.iter().all(|&b| b == 0),
                "{strategy:?}: {read} holds bytes the list never wrote"
            );
        }
    }
}
