//! Uniform and storage blocks fed from buffer bindings (`bind_to_uniform_block`,
//! `bind_to_storage_buffer`, `block_binding`), and the rest of ModernGL's buffer API
//! (`read_chunks`, `write_chunks`, `read_into`), on llvmpipe with exact bytes.

use gltape::command::{InvalidList, ValidationError};
use gltape::{
    BlockKind, BufferId, Capture, ColorFormat, CommandList, Draw, FramebufferId, Mode, PixelType,
    ProgramDesc, ProgramId, ReadIntoError, ReadbackId, Readbacks, Recorder, Renderer, ReplayError,
    ReplayOptions, StreamStrategy, VaryingsMode,
};

const STRATEGIES: [StreamStrategy; 3] = [
    StreamStrategy::Faithful,
    StreamStrategy::Fold,
    StreamStrategy::Ring,
];

/// A triangle over the whole framebuffer, drawn without vertex data.
const FULL_SCREEN: &str = "#version 450 core
void main() {
    vec2 corner = vec2(gl_VertexID == 1 ? 3.0 : -1.0, gl_VertexID == 2 ? 3.0 : -1.0);
    gl_Position = vec4(corner, 0.0, 1.0);
}";

/// Pixel `x` takes `colors[x]` from a uniform block of four colors.
const BLOCK_FS: &str = "#version 450 core
layout(std140) uniform Colors { vec4 colors[4]; };
out vec4 frag;
void main() { frag = colors[int(gl_FragCoord.x)]; }";

/// Pixel `x` takes four floats from a storage block: `values[4 * x ..]`.
const STORAGE_FS: &str = "#version 450 core
layout(std430) buffer Values { float values[]; };
out vec4 frag;
void main() {
    int i = int(gl_FragCoord.x) * 4;
    frag = vec4(values[i], values[i + 1], values[i + 2], values[i + 3]);
}";

fn floats(values: &[f32]) -> Vec<u8> {
    bytemuck::cast_slice(values).to_vec()
}

/// Sixteen distinct floats for four RGBA32F pixels, varied by `seed`.
fn colors(seed: f32) -> Vec<f32> {
    (0..16).map(|i| seed * 100.0 + i as f32 * 0.25).collect()
}

/// A 4x1 RGBA32F framebuffer in use, an empty vertex array for `fragment` and its program.
struct Target {
    framebuffer: FramebufferId,
    program: ProgramId,
    vao: gltape::VertexArrayId,
}

fn target_for(rec: &mut Recorder, fragment: &str) -> Target {
    let program = rec
        .program(ProgramDesc::new(FULL_SCREEN).fragment(fragment))
        .unwrap();
    let vao = rec.vertex_array(program, &[], None).unwrap();
    let framebuffer = rec
        .framebuffer(4, 1, &[ColorFormat::Rgba32F], false)
        .unwrap();
    rec.use_framebuffer(framebuffer).unwrap();
    Target {
        framebuffer,
        program,
        vao,
    }
}

impl Target {
    /// Draws and reads the four pixels as floats.
    fn draw(&self, rec: &mut Recorder) -> Result<ReadbackId, ValidationError> {
        rec.render(self.vao, Draw::new(Mode::Triangles).vertices(3))?;
        rec.read_pixels(self.framebuffer, None, 4, 0, PixelType::F4)
    }
}

fn replay(list: &CommandList, stream: StreamStrategy) -> Result<Readbacks, ReplayError> {
    let mut renderer = Renderer::headless().unwrap();
    let list = list.validate()?;
    let mut options = ReplayOptions {
        stream,
        ..ReplayOptions::default()
    };
    renderer
        .replay_with(&list, &mut options)
        .map(|r| r.readbacks)
}

fn bytes(readbacks: &Readbacks, id: ReadbackId) -> Vec<u8> {
    readbacks.get(id).unwrap().to_vec()
}

#[test]
fn a_uniform_block_colors_a_draw() {
    let mut rec = Recorder::new();
    let target = target_for(&mut rec, BLOCK_FS);
    let ubo = rec.buffer(&colors(1.0)).unwrap();
    rec.bind_to_uniform_block(ubo, 0, 0, None).unwrap();
    let read = target.draw(&mut rec).unwrap();
    let readbacks = replay(&rec.finish(), StreamStrategy::Faithful).unwrap();
    assert_eq!(bytes(&readbacks, read), floats(&colors(1.0)));
}

#[test]
fn a_block_reads_the_binding_its_program_names() {
    let mut rec = Recorder::new();
    let target = target_for(&mut rec, BLOCK_FS);
    let first = rec.buffer(&colors(1.0)).unwrap();
    // The second buffer's colors start 256 bytes in: an offset every GL allows.
    let mut padded = vec![-1.0f32; 64];
    padded.extend(colors(2.0));
    padded.extend([-1.0; 8]);
    let second = rec.buffer(&padded).unwrap();
    rec.bind_to_uniform_block(first, 0, 0, None).unwrap();
    rec.bind_to_uniform_block(second, 83, 256, Some(64))
        .unwrap();
    let before = target.draw(&mut rec).unwrap();
    rec.block_binding(target.program, "Colors", 83).unwrap();
    let after = target.draw(&mut rec).unwrap();
    rec.block_binding(target.program, "Colors", 0).unwrap();
    let back = target.draw(&mut rec).unwrap();
    let readbacks = replay(&rec.finish(), StreamStrategy::Faithful).unwrap();
    assert_eq!(bytes(&readbacks, before), floats(&colors(1.0)));
    assert_eq!(bytes(&readbacks, after), floats(&colors(2.0)));
    assert_eq!(bytes(&readbacks, back), floats(&colors(1.0)));
}

#[test]
fn a_storage_block_feeds_a_draw() {
    let mut rec = Recorder::new();
    let target = target_for(&mut rec, STORAGE_FS);
    let mut data = vec![7.0f32; 4];
    data.extend(colors(3.0));
    let ssbo = rec.buffer(&data).unwrap();
    rec.bind_to_storage_buffer(ssbo, 7, 16, None).unwrap();
    rec.block_binding(target.program, "Values", 7).unwrap();
    let read = target.draw(&mut rec).unwrap();
    let readbacks = replay(&rec.finish(), StreamStrategy::Faithful).unwrap();
    assert_eq!(bytes(&readbacks, read), floats(&colors(3.0)));
}

/// A vertex shader reading a uniform block, captured by transform feedback: exact floats,
/// no rasterization in between.
#[test]
fn a_uniform_block_feeds_a_transform() {
    const VS: &str = "#version 450 core
layout(std140, binding = 2) uniform Params { vec4 scale; vec4 offset; } params;
in vec4 pos;
out vec4 moved;
void main() { moved = pos * params.scale + params.offset; }";
    let mut rec = Recorder::new();
    let desc = ProgramDesc::new(VS).varyings(&["moved"], VaryingsMode::Interleaved);
    let program = rec.program(desc).unwrap();
    let points = rec
        .buffer(&[1.0f32, 2.0, 3.0, 4.0, -1.0, 0.5, 0.0, 8.0])
        .unwrap();
    let vao = rec
        .vertex_array(program, &[(points, "4f", &["pos"])], None)
        .unwrap();
    let params = rec
        .buffer(&[2.0f32, 3.0, 0.5, -1.0, 10.0, 20.0, 30.0, 40.0])
        .unwrap();
    let out = rec.buffer_reserve(32, false).unwrap();
    rec.bind_to_uniform_block(params, 2, 0, None).unwrap();
    rec.transform(vao, &[out], Draw::new(Mode::Points), 0)
        .unwrap();
    let read = rec.read(out, None, 0).unwrap();
    let readbacks = replay(&rec.finish(), StreamStrategy::Faithful).unwrap();
    let expected = [12.0f32, 26.0, 31.5, 36.0, 8.0, 21.5, 30.0, 32.0];
    assert_eq!(bytes(&readbacks, read), floats(&expected));
}

/// The frames of a uniform-block-driven draw, the block streamed per frame (orphan + write
/// of all of it), bound once before the frames (`bind_each_frame` false: the binding must
/// follow the buffer's bytes into every ring slot) or again after each write.
fn streamed(frames: u32, bind_each_frame: bool) -> (CommandList, Vec<ReadbackId>) {
    let mut rec = Recorder::new();
    let target = target_for(&mut rec, BLOCK_FS);
    let ubo = rec.buffer_reserve(64, true).unwrap();
    rec.bind_to_uniform_block(ubo, 0, 0, None).unwrap();
    rec.end_frame();
    let mut reads = Vec::new();
    for frame in 0..frames {
        rec.orphan(ubo, None).unwrap();
        rec.write(ubo, 0, &colors(frame as f32)).unwrap();
        if bind_each_frame {
            rec.bind_to_uniform_block(ubo, 0, 0, None).unwrap();
        }
        reads.push(target.draw(&mut rec).unwrap());
        rec.end_frame();
    }
    (rec.finish(), reads)
}

#[test]
fn a_streamed_uniform_block_draws_the_same_under_every_strategy() {
    for bind_each_frame in [false, true] {
        let (list, reads) = streamed(12, bind_each_frame);
        for stream in STRATEGIES {
            let readbacks = replay(&list, stream).unwrap();
            for (frame, &read) in reads.iter().enumerate() {
                assert_eq!(
                    bytes(&readbacks, read),
                    floats(&colors(frame as f32)),
                    "{stream:?}, frame {frame}, bound each frame: {bind_each_frame}"
                );
            }
        }
    }
}

/// Loops re-run the streamed frames on the same objects: the binding keeps following the
/// ring, and the renderer's second replay starts clean.
#[test]
fn streamed_blocks_loop_and_replay_again() {
    let (list, reads) = streamed(5, false);
    let validated = list.validate().unwrap();
    let mut renderer = Renderer::headless().unwrap();
    for _ in 0..2 {
        let mut options = ReplayOptions {
            stream: StreamStrategy::Ring,
            frames: Some(1..6),
            loops: 3,
            ..ReplayOptions::default()
        };
        let replay = renderer.replay_with(&validated, &mut options).unwrap();
        assert!(replay.stats.resident);
        let last = bytes(&replay.readbacks, reads[4]);
        assert_eq!(last, floats(&colors(4.0)));
    }
}

/// A binding to a range of a buffer streamed at a new size keeps its range; a draw that
/// needs more than the range holds after the buffer shrank is an error naming the block.
#[test]
fn a_binding_keeps_its_range_when_its_buffer_is_orphaned() {
    for stream in STRATEGIES {
        let mut rec = Recorder::new();
        let target = target_for(&mut rec, BLOCK_FS);
        let ubo = rec.buffer_reserve(64, true).unwrap();
        rec.bind_to_uniform_block(ubo, 0, 0, Some(64)).unwrap();
        rec.orphan(ubo, Some(128)).unwrap();
        let mut data = colors(5.0);
        data.extend([9.0; 16]);
        rec.write(ubo, 0, &data).unwrap();
        let grown = target.draw(&mut rec).unwrap();
        rec.orphan(ubo, Some(48)).unwrap();
        rec.write(ubo, 0, &[1.0f32; 12]).unwrap();
        rec.render(target.vao, Draw::new(Mode::Triangles).vertices(3))
            .unwrap();
        let list = rec.finish();
        let error = replay(&list, stream).unwrap_err();
        assert_eq!(
            error.to_string(),
            "command #12 (render): block \"Colors\": it needs 64 bytes, and uniform block binding 0 holds 48 (buffer #0 from offset 0)",
            "{stream:?}"
        );
        // The draw before the shrink reads the first 64 bytes of the grown buffer.
        let mut rec = Recorder::new();
        let target = target_for(&mut rec, BLOCK_FS);
        let ubo = rec.buffer_reserve(64, true).unwrap();
        rec.bind_to_uniform_block(ubo, 0, 0, Some(64)).unwrap();
        rec.orphan(ubo, Some(128)).unwrap();
        rec.write(ubo, 0, &data).unwrap();
        assert_eq!(target.draw(&mut rec).unwrap(), grown);
        let readbacks = replay(&rec.finish(), stream).unwrap();
        assert_eq!(bytes(&readbacks, grown), floats(&colors(5.0)), "{stream:?}");
    }
}

#[test]
fn draws_need_every_block_bound_with_enough_bytes() {
    let message = |build: &dyn Fn(&mut Recorder, &Target)| {
        let mut rec = Recorder::new();
        let target = target_for(&mut rec, BLOCK_FS);
        build(&mut rec, &target);
        target.draw(&mut rec).unwrap();
        replay(&rec.finish(), StreamStrategy::Faithful)
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        message(&|_, _| {}),
        "command #4 (render): block \"Colors\": the program reads it through uniform block binding 0, which holds no buffer (bind one with bind_to_uniform_block)"
    );
    assert_eq!(
        message(&|rec, _| {
            let ubo = rec.buffer(&[0u8; 64]).unwrap();
            rec.bind_to_uniform_block(ubo, 0, 0, Some(48)).unwrap();
        }),
        "command #6 (render): block \"Colors\": it needs 64 bytes, and uniform block binding 0 holds 48 (buffer #0 from offset 0)"
    );
    // Bound to another kind's binding, or released: nothing there.
    let unbound = "block \"Colors\": the program reads it through uniform block binding 0, which holds no buffer";
    assert!(message(&|rec, _| {
        let ubo = rec.buffer(&[0u8; 64]).unwrap();
        rec.bind_to_storage_buffer(ubo, 0, 0, None).unwrap();
    })
    .contains(unbound));
    assert!(message(&|rec, _| {
        let ubo = rec.buffer(&[0u8; 64]).unwrap();
        rec.bind_to_uniform_block(ubo, 0, 0, None).unwrap();
        rec.release(ubo).unwrap();
    })
    .contains(unbound));
    // A binding past the guaranteed count (the shader's own `layout(binding = 90)`) can
    // hold nothing gltape bound.
    let mut rec = Recorder::new();
    let fs = BLOCK_FS.replace("layout(std140)", "layout(std140, binding = 88)");
    let target = target_for(&mut rec, &fs);
    target.draw(&mut rec).unwrap();
    let error = replay(&rec.finish(), StreamStrategy::Faithful).unwrap_err();
    assert!(error
        .to_string()
        .contains("uniform block binding 88, which holds no buffer"));
}

#[test]
fn a_draw_checks_its_blocks_again_after_a_binding_changes() {
    // Replay skips the checks before a draw while only draws, writes and frame markers ran
    // since the last draw of the same vertex array: a new binding is none of them, so the
    // third draw finds binding 0 too short.
    let mut rec = Recorder::new();
    let target = target_for(&mut rec, BLOCK_FS);
    let ubo = rec.buffer(&[0u8; 64]).unwrap();
    rec.bind_to_uniform_block(ubo, 0, 0, None).unwrap();
    let draw = Draw::new(Mode::Triangles).vertices(3);
    rec.render(target.vao, draw).unwrap();
    rec.write(ubo, 0, &[1u8; 16]).unwrap();
    rec.render(target.vao, draw).unwrap();
    rec.bind_to_uniform_block(ubo, 0, 0, Some(48)).unwrap();
    rec.render(target.vao, draw).unwrap();
    let error = replay(&rec.finish(), StreamStrategy::Faithful).unwrap_err();
    assert_eq!(
        error.to_string(),
        "command #10 (render): block \"Colors\": it needs 64 bytes, and uniform block binding 0 holds 48 (buffer #0 from offset 0)"
    );
}

#[test]
fn bindings_are_checked_when_recorded() {
    let mut rec = Recorder::new();
    let program = rec.program(ProgramDesc::new(FULL_SCREEN)).unwrap();
    let buffer = rec.buffer(&[0u8; 64]).unwrap();
    let before = rec.list().len();
    let err = |result: Result<(), ValidationError>| result.unwrap_err().to_string();
    assert_eq!(
        err(rec.bind_to_uniform_block(buffer, 84, 0, None)),
        "binding 84 is not below 84, GL 4.5's guaranteed GL_MAX_UNIFORM_BUFFER_BINDINGS"
    );
    assert_eq!(
        err(rec.bind_to_storage_buffer(buffer, 8, 0, None)),
        "binding 8 is not below 8, GL 4.5's guaranteed GL_MAX_SHADER_STORAGE_BUFFER_BINDINGS"
    );
    assert_eq!(
        err(rec.bind_to_uniform_block(buffer, 0, 48, Some(32))),
        "bind_to_uniform_block of 32 bytes at offset 48 is out of range of buffer #0 (size 64 bytes)"
    );
    assert_eq!(
        err(rec.bind_to_storage_buffer(buffer, 0, 64, None)),
        "bind_to_storage_buffer of 0 bytes at offset 64 of buffer #0: a binding holds at least 1 byte"
    );
    assert_eq!(
        err(rec.bind_to_uniform_block(buffer, 0, 80, None)),
        "bind_to_uniform_block of 0 bytes at offset 80 is out of range of buffer #0 (size 64 bytes)"
    );
    assert_eq!(
        err(rec.block_binding(program, "Block", 84)),
        "binding 84 is not below 84, GL 4.5's guaranteed GL_MAX_UNIFORM_BUFFER_BINDINGS"
    );
    assert_eq!(
        err(rec.block_binding(program, "", 0)),
        "block name \"\" is empty or contains a NUL byte"
    );
    assert_eq!(
        err(rec.block_binding(ProgramId::from_index(4), "Block", 0)),
        "program #4 is not defined (1 of its kind exist)"
    );
    rec.release(buffer).unwrap();
    assert_eq!(
        err(rec.bind_to_uniform_block(buffer, 0, 0, None)),
        "buffer #0 was already released"
    );
    assert_eq!(
        rec.list().len(),
        before + 1,
        "rejected calls record nothing"
    );
}

#[test]
fn replay_checks_what_only_the_context_and_the_program_know() {
    let run = |build: &dyn Fn(&mut Recorder, &Target)| {
        let mut rec = Recorder::new();
        let target = target_for(&mut rec, STORAGE_FS);
        build(&mut rec, &target);
        replay(&rec.finish(), StreamStrategy::Faithful).unwrap_err()
    };
    // llvmpipe's alignments are 16 (uniform) and 16 (storage); GL allows up to 256.
    let error = run(&|rec, _| {
        let ubo = rec.buffer(&[0u8; 64]).unwrap();
        rec.bind_to_uniform_block(ubo, 1, 4, None).unwrap();
    });
    assert_eq!(
        error.to_string(),
        "invalid command list: command #5 (bind_buffer_range): bind_to_uniform_block at offset 4: the offset is not a multiple of the context's GL_UNIFORM_BUFFER_OFFSET_ALIGNMENT (16)"
    );
    assert!(matches!(
        error,
        ReplayError::Invalid(InvalidList {
            index: 5,
            error: ValidationError::BindingAlignment {
                kind: BlockKind::Uniform,
                offset: 4,
                alignment: 16
            },
            ..
        })
    ));
    let error = run(&|rec, _| {
        let ssbo = rec.buffer(&[0u8; 64]).unwrap();
        rec.bind_to_storage_buffer(ssbo, 1, 8, None).unwrap();
    });
    assert!(error
        .to_string()
        .ends_with("GL_SHADER_STORAGE_BUFFER_OFFSET_ALIGNMENT (16)"));
    let error = run(&|rec, target| {
        rec.block_binding(target.program, "Missing", 1).unwrap();
    });
    assert_eq!(
        error.to_string(),
        "command #4 (block_binding): block \"Missing\": the linked program has no active uniform or storage block of that name (missing, or unused and optimised away)"
    );
    let error = run(&|rec, target| {
        rec.block_binding(target.program, "Values", 8).unwrap();
    });
    assert_eq!(
        error.to_string(),
        "invalid command list: command #4 (block_binding): binding 8 is not below 8, GL 4.5's guaranteed GL_MAX_SHADER_STORAGE_BUFFER_BINDINGS"
    );
}

/// Bindings are context state of the renderer: a submission runs on the bindings earlier
/// segments made, whatever the host bound in between, and a release unbinds.
#[test]
fn bindings_last_across_submissions_and_survive_the_host() {
    let mut renderer = Renderer::headless().unwrap();
    let mut rec = Recorder::new();
    let target = target_for(&mut rec, BLOCK_FS);
    let ubo = rec.buffer(&colors(6.0)).unwrap();
    rec.bind_to_uniform_block(ubo, 0, 0, None).unwrap();
    renderer.submit(&rec.flush().unwrap()).unwrap();
    // The host binds a buffer of its own to the binding, and another generic one.
    let gl = renderer.gl();
    let mut host = 0;
    // SAFETY: the renderer's context is current on this thread.
    unsafe {
        gl.CreateBuffers(1, &mut host);
        gl.NamedBufferData(
            host,
            64,
            [0.5f32; 16].as_ptr().cast(),
            gltape::gl::STATIC_DRAW,
        );
        gl.BindBufferBase(gltape::gl::UNIFORM_BUFFER, 0, host);
    }
    let read = target.draw(&mut rec).unwrap();
    let readbacks = renderer.submit(&rec.flush().unwrap()).unwrap();
    assert_eq!(bytes(&readbacks, read), floats(&colors(6.0)));
    rec.release(ubo).unwrap();
    target.draw(&mut rec).unwrap();
    let error = renderer.submit(&rec.flush().unwrap()).unwrap_err();
    assert!(
        error.to_string().contains("which holds no buffer"),
        "{error}"
    );
    let gl = renderer.gl();
    // SAFETY: as above; the host's buffer is its own.
    unsafe { gl.DeleteBuffers(1, &host) };
}

/// 16 bytes of a 64-byte buffer as ModernGL's examples name them: byte `i` is `i`.
fn counting(len: usize) -> Vec<u8> {
    (0..len).map(|i| i as u8).collect()
}

#[test]
fn read_chunks_gathers_strided_chunks() {
    let mut rec = Recorder::new();
    let buffer = rec.buffer(&counting(16)).unwrap();
    let forward = rec.read_chunks(buffer, 2, 0, 4, 4).unwrap();
    let backward = rec.read_chunks(buffer, 2, 14, -4, 4).unwrap();
    let from_end = rec.read_chunks(buffer, 2, -2, -4, 4).unwrap();
    let whole = rec.read_chunks(buffer, 16, 0, 16, 1).unwrap();
    let empty = rec.read_chunks(buffer, 0, 16, 0, 3).unwrap();
    let readbacks = replay(&rec.finish(), StreamStrategy::Faithful).unwrap();
    // ModernGL 5.13 gives these bytes for the same calls.
    assert_eq!(bytes(&readbacks, forward), [0, 1, 4, 5, 8, 9, 12, 13]);
    assert_eq!(bytes(&readbacks, backward), [14, 15, 10, 11, 6, 7, 2, 3]);
    assert_eq!(bytes(&readbacks, from_end), [14, 15, 10, 11, 6, 7, 2, 3]);
    assert_eq!(bytes(&readbacks, whole), counting(16));
    assert_eq!(bytes(&readbacks, empty), [0u8; 0]);
}

#[test]
fn write_chunks_scatters_strided_chunks() {
    let mut rec = Recorder::new();
    let buffer = rec.buffer(&counting(16)).unwrap();
    rec.write_chunks(buffer, &[0xaau8, 0xbb, 0xcc, 0xdd], 1, 5, 2)
        .unwrap();
    rec.write_chunks(buffer, &[0xeeu8, 0xff], -1, -15, 2)
        .unwrap();
    let read = rec.read(buffer, None, 0).unwrap();
    let readbacks = replay(&rec.finish(), StreamStrategy::Faithful).unwrap();
    // ModernGL 5.13: write_chunks(b"\xaa\xbb\xcc\xdd", 1, 5, 2) on bytes 0..16.
    let mut expected = counting(16);
    expected[1..3].copy_from_slice(&[0xaa, 0xbb]);
    expected[6..8].copy_from_slice(&[0xcc, 0xdd]);
    expected[15] = 0xee;
    expected[0] = 0xff;
    assert_eq!(bytes(&readbacks, read), expected);
}

/// Chunks over several MiB: dense ones gathered into 1 MiB spans (with gaps kept), sparse
/// ones one by one, a chunk larger than a span alone; forwards and backwards; into a
/// streamed buffer under every strategy (ring: a slot).
#[test]
fn large_chunked_reads_and_writes_agree_with_a_model() {
    const SIZE: usize = 3 << 20;
    let layouts: [(u64, i64, i64, u64); 5] = [
        (1000, 0, 1024, 3000),
        (16, 5, (1 << 20) + 16, 3),
        ((1 << 20) + 5, 7, 1 << 21, 1),
        (24, (SIZE - 24) as i64, -40, 70_000),
        (3, 1, 3, 1_000_000),
    ];
    for stream in STRATEGIES {
        let mut rec = Recorder::new();
        let buffer = rec.buffer_reserve(SIZE as u64, true).unwrap();
        let mut model: Vec<u8> = (0..SIZE).map(|i| (i * 7 % 251) as u8).collect();
        rec.orphan(buffer, None).unwrap();
        rec.write(buffer, 0, &model).unwrap();
        let mut reads = Vec::new();
        for (n, &(chunk, start, step, count)) in layouts.iter().enumerate() {
            let data: Vec<u8> = (0..chunk * count)
                .map(|i| (i as usize * 13 + n) as u8)
                .collect();
            rec.write_chunks(buffer, &data, start, step, count).unwrap();
            for i in 0..count {
                let at = (start + i as i64 * step) as usize;
                let from = (i * chunk) as usize;
                model[at..at + chunk as usize].copy_from_slice(&data[from..from + chunk as usize]);
            }
            let read = rec.read_chunks(buffer, chunk, start, step, count).unwrap();
            reads.push((read, data));
        }
        let whole = rec.read(buffer, None, 0).unwrap();
        let readbacks = replay(&rec.finish(), stream).unwrap();
        for (read, data) in reads {
            assert!(bytes(&readbacks, read) == data, "{stream:?}");
        }
        assert!(bytes(&readbacks, whole) == model, "{stream:?}");
    }
}

#[test]
fn chunks_are_checked_as_moderngl_checks_them() {
    let mut rec = Recorder::new();
    let buffer = rec.buffer(&counting(16)).unwrap();
    let read = |rec: &mut Recorder, chunk, start, step, count| {
        (rec.read_chunks(buffer, chunk, start, step, count))
            .map(drop)
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        read(&mut rec, 2, 0, 4, 0),
        "0 chunks of 2 bytes from offset 0, 4 bytes apart, do not fit buffer #0 (size 16 bytes): there must be at least 1 chunk"
    );
    assert_eq!(
        read(&mut rec, 5, 0, -4, 2),
        "2 chunks of 5 bytes from offset 0, -4 bytes apart, do not fit buffer #0 (size 16 bytes): a chunk longer than the step would overlap the next"
    );
    for (start, step, count) in [(0, 4, 5), (14, -4, 5), (-17, 4, 1), (15, 4, 1)] {
        let message = read(&mut rec, 2, start, step, count);
        assert!(
            message.ends_with("a chunk lies outside the buffer"),
            "{message}"
        );
    }
    assert!(read(&mut rec, 0, 17, 0, 1).ends_with("a chunk lies outside the buffer"));
    // Zero-byte chunks at the very end fit, as in ModernGL.
    rec.read_chunks(buffer, 0, 16, 0, 1).unwrap();
    let write = |rec: &mut Recorder, data: &[u8], start, step, count| {
        rec.write_chunks(buffer, data, start, step, count)
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        write(&mut rec, &[1, 2, 3], 0, 4, 2),
        "write_chunks into buffer #0: 3 bytes of data cannot be cut into 2 equal chunks"
    );
    assert_eq!(
        write(&mut rec, &[1, 2], 0, 4, 0),
        "write_chunks into buffer #0: 2 bytes of data cannot be cut into 0 equal chunks"
    );
    assert!(write(&mut rec, &[1, 2, 3, 4], 14, 4, 2).ends_with("a chunk lies outside the buffer"));
    // Empty data checks and records nothing, as an empty write.
    let before = rec.list().len();
    rec.write_chunks::<u8>(buffer, &[], 3, 1, 4).unwrap();
    assert_eq!(rec.list().len(), before);
}

#[test]
fn readbacks_copy_into_a_callers_buffer() {
    let mut rec = Recorder::new();
    let buffer = rec.buffer(&counting(16)).unwrap();
    let read = rec.read(buffer, Some(4), 8).unwrap();
    let chunks = rec.read_chunks(buffer, 1, 0, 5, 3).unwrap();
    let readbacks = replay(&rec.finish(), StreamStrategy::Faithful).unwrap();
    let mut out = [0xeeu8; 8];
    readbacks.read_into(read, &mut out, 3).unwrap();
    assert_eq!(out, [0xee, 0xee, 0xee, 8, 9, 10, 11, 0xee]);
    readbacks.read_into(chunks, &mut out, 0).unwrap();
    assert_eq!(out, [0, 5, 10, 8, 9, 10, 11, 0xee]);
    assert_eq!(
        readbacks.read_into(read, &mut out, 5),
        Err(ReadIntoError::TooSmall {
            id: read,
            len: 4,
            buffer: 8,
            write_offset: 5
        })
    );
    assert_eq!(
        readbacks
            .read_into(read, &mut out, usize::MAX)
            .unwrap_err()
            .to_string(),
        format!(
            "readback #0 holds 4 bytes, which do not fit a buffer of 8 bytes from offset {}",
            usize::MAX
        )
    );
    let ghost = ReadbackId::from_index(9);
    assert_eq!(
        readbacks.read_into(ghost, &mut out, 0),
        Err(ReadIntoError::Missing { id: ghost })
    );
    assert_eq!(
        out,
        [0, 5, 10, 8, 9, 10, 11, 0xee],
        "failed copies change nothing"
    );
}

/// Immediate mode: each call runs as it is made, and reads copy into the caller's buffer.
#[test]
fn capture_runs_bindings_and_chunks_at_once() {
    let mut capture = Capture::headless().unwrap();
    let (target, ubo) = capture
        .record(|rec| {
            let target = target_for(rec, BLOCK_FS);
            let ubo = rec.buffer(&colors(7.0))?;
            rec.bind_to_uniform_block(ubo, 0, 0, None)?;
            Ok((target, ubo))
        })
        .unwrap();
    let read = capture.record(|rec| target.draw(rec)).unwrap();
    let mut pixels = vec![0u8; 64];
    capture.read_into(read, &mut pixels, 0).unwrap();
    assert_eq!(pixels, floats(&colors(7.0)));
    capture
        .record(|rec| rec.write_chunks(ubo, &[0.5f32, 0.25], 4, 16, 2))
        .unwrap();
    let chunks = capture
        .record(|rec| rec.read_chunks(ubo, 4, 4, 16, 2))
        .unwrap();
    let mut out = [0u8; 10];
    capture.read_into(chunks, &mut out, 2).unwrap();
    assert_eq!(&out[2..], &floats(&[0.5, 0.25])[..]);
    assert_eq!(capture.record(|rec| rec.buffer_size(ubo)).unwrap(), 64);
    let (list, _) = capture.finish();
    let ops: Vec<_> = list.commands().iter().map(|c| c.name()).collect();
    assert!(ops.contains(&"write_chunks") && ops.contains(&"read_chunks"));
}

/// `buffer.size` as ModernGL reports it: orphans with a size change it, without keep it.
#[test]
fn buffer_size_follows_orphans_as_in_modern_gl() {
    let mut rec = Recorder::new();
    let buffer: BufferId = rec.buffer(&counting(16)).unwrap();
    let mut sizes = vec![rec.buffer_size(buffer).unwrap()];
    rec.orphan(buffer, None).unwrap();
    sizes.push(rec.buffer_size(buffer).unwrap());
    rec.orphan(buffer, Some(32)).unwrap();
    sizes.push(rec.buffer_size(buffer).unwrap());
    rec.orphan(buffer, None).unwrap();
    sizes.push(rec.buffer_size(buffer).unwrap());
    rec.orphan(buffer, Some(8)).unwrap();
    sizes.push(rec.buffer_size(buffer).unwrap());
    // ModernGL 5.13: 16, orphan(-1) 16, orphan(32) 32, orphan() 32, orphan(8) 8.
    assert_eq!(sizes, [16, 16, 32, 32, 8]);
    // The binding and read defaults take the size as it is at the call.
    rec.bind_to_uniform_block(buffer, 0, 0, None).unwrap();
    let Some(gltape::command::Command::BindBufferRange { size, .. }) =
        rec.list().commands().last().copied()
    else {
        panic!("a binding");
    };
    assert_eq!(size, 8);
}

#[test]
fn the_documented_block_example_replays_as_it_says() {
    let doc = include_str!("../docs/text-format.md");
    let block = (doc.split("```jsonl\n").skip(1))
        .find(|block| block.contains("bind_to_uniform_block"))
        .expect("the block example");
    let example = &block[..block.find("```").unwrap()];
    let list = gltape::text::assemble(example).unwrap();
    let readbacks = replay(&list, StreamStrategy::Faithful).unwrap();
    let pixels = readbacks.get(ReadbackId::from_index(0)).unwrap();
    assert_eq!(pixels, [255, 0, 0, 255, 0, 255, 0, 255]);
    let chunks = readbacks.get(ReadbackId::from_index(1)).unwrap();
    assert_eq!(chunks, floats(&[0.0, 1.0, 0.0, 1.0]));
}

/// The built-in uniform-block scene (`gltape record uniform-block`): every pixel of the
/// last frame is one `vec4` of that frame's block, converted to bytes exactly, under every
/// strategy.
#[cfg(feature = "cli")]
#[test]
fn the_uniform_block_scene_draws_its_last_block() {
    use gltape::scene::{uniform_block_values, Scene, MAX_UNIFORM_BLOCK_BYTES};
    let mut rec = Recorder::new();
    Scene::UniformBlock
        .record(&mut rec, MAX_UNIFORM_BLOCK_BYTES, 3)
        .unwrap();
    let list = rec.finish();
    let values = uniform_block_values(2, 4096);
    let expected: Vec<u8> = (0..64 * 64)
        .flat_map(|pixel| {
            let at = (pixel % 4096) * 4;
            values[at..at + 4].iter().map(|v| (v * 255.0).round() as u8)
        })
        .collect();
    for stream in STRATEGIES {
        let readbacks = replay(&list, stream).unwrap();
        assert_eq!(
            readbacks.get(ReadbackId::from_index(0)).unwrap(),
            floats(&values),
            "{stream:?}"
        );
        assert!(
            readbacks.get(ReadbackId::from_index(1)).unwrap() == expected,
            "{stream:?}"
        );
    }
}
