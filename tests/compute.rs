//! Compute shaders, image units and memory barriers recorded, then replayed on a real
//! OpenGL 4.5 context (Mesa llvmpipe), with exact bytes read back: image stores and loads,
//! format overrides, layered images, uniforms of compute shaders, direct and indirect runs
//! (counts known when recorded, and counts GL wrote, checked at replay), and every error.

use gltape::command::{Command, Object};
use gltape::{
    Barriers, CommandList, Draw, ImageAccess, ImageFormat, Limit, Mode, PixelType, ProgramDesc,
    ProgramId, Readbacks, Recorder, Renderer, ReplayError, ReplayLimits, ReplayOptions,
    TextureDesc, ValidationError, VaryingsMode,
};

fn replay(list: &CommandList) -> Result<Readbacks, ReplayError> {
    let mut renderer = Renderer::headless().expect("headless OpenGL 4.5 context");
    renderer.replay(list)
}

fn words(bytes: &[u8]) -> Vec<u32> {
    bytes
        .chunks_exact(4)
        .map(|w| u32::from_le_bytes(w.try_into().unwrap()))
        .collect()
}

/// Stores `offset + x + 4 y` at every texel (x, y) of a 4-wide r32ui image on unit 0.
const STORE: &str = "#version 450 core
layout(local_size_x = 2, local_size_y = 2) in;
layout(r32ui, binding = 0) uniform writeonly uimage2D img;
uniform uint offset;
void main() {
    ivec2 at = ivec2(gl_GlobalInvocationID.xy);
    imageStore(img, at, uvec4(offset + uint(at.x + at.y * 4)));
}
";

/// A 4x4 r32ui texture on image unit 0 and the store shader with `offset` 100.
fn store_setup(rec: &mut Recorder) -> (ProgramId, gltape::TextureId) {
    let texture = rec
        .texture(TextureDesc::texture(4, 4, 1).dtype(PixelType::U4), None)
        .unwrap();
    rec.bind_to_image(texture, 0, ImageAccess::WriteOnly, 0, None)
        .unwrap();
    let shader = rec.compute_shader(STORE).unwrap();
    rec.uniform(shader, "offset", 100u32).unwrap();
    (shader, texture)
}

#[test]
fn a_compute_shader_stores_into_an_image() {
    let mut rec = Recorder::new();
    let (shader, texture) = store_setup(&mut rec);
    rec.run_compute(shader, [2, 2, 1]).unwrap();
    rec.memory_barrier(Barriers::TEXTURE_UPDATE, false).unwrap();
    let read = rec.read_texture(texture, 0, 1).unwrap();
    let readbacks = replay(&rec.finish()).unwrap();
    let expected: Vec<u32> = (100..116).collect();
    assert_eq!(words(readbacks.get(read).unwrap()), expected);
}

#[test]
fn zero_groups_run_nothing_and_partial_grids_cover_part() {
    let mut rec = Recorder::new();
    let (shader, texture) = store_setup(&mut rec);
    rec.run_compute(shader, [0, 2, 1]).unwrap();
    let none = rec.read_texture(texture, 0, 1).unwrap();
    rec.run_compute(shader, [1, 2, 1]).unwrap();
    rec.memory_barrier(Barriers::ALL, false).unwrap();
    let left = rec.read_texture(texture, 0, 1).unwrap();
    let readbacks = replay(&rec.finish()).unwrap();
    assert_eq!(readbacks.get(none).unwrap(), &[0u8; 64][..]);
    let expected: Vec<u32> = (0..16)
        .map(|i| if i % 4 < 2 { 100 + i } else { 0 })
        .collect();
    assert_eq!(words(readbacks.get(left).unwrap()), expected);
}

/// Loads from unit 0 and stores the value plus 1 on unit 1, both r32ui.
const INCREMENT: &str = "#version 450 core
layout(local_size_x = 1) in;
layout(r32ui, binding = 0) uniform readonly uimage2D src;
layout(r32ui, binding = 1) uniform writeonly uimage2D dst;
void main() {
    ivec2 at = ivec2(gl_GlobalInvocationID.xy);
    imageStore(dst, at, imageLoad(src, at) + 1u);
}
";

#[test]
fn a_format_override_reads_texels_as_other_bits_and_barriers_order_two_runs() {
    let mut rec = Recorder::new();
    // RGBA8 texels seen as r32ui: each texel's four bytes are one little-endian u32.
    let pixels: Vec<u8> = (1..=16).collect();
    let rgba = rec
        .texture(TextureDesc::texture(2, 2, 4), Some(&pixels))
        .unwrap();
    let out = rec
        .texture(TextureDesc::texture(2, 2, 1).dtype(PixelType::U4), None)
        .unwrap();
    let as_uint = Some(ImageFormat::R32ui);
    rec.bind_to_image(rgba, 0, ImageAccess::ReadOnly, 0, as_uint)
        .unwrap();
    rec.bind_to_image(out, 1, ImageAccess::ReadWrite, 0, None)
        .unwrap();
    let increment = rec.compute_shader(INCREMENT).unwrap();
    rec.run_compute(increment, [2, 2, 1]).unwrap();
    // The second run reads what the first stored: out + 1, back into the RGBA8 texture.
    rec.memory_barrier(Barriers::SHADER_IMAGE_ACCESS, true)
        .unwrap();
    rec.bind_to_image(out, 0, ImageAccess::ReadOnly, 0, None)
        .unwrap();
    rec.bind_to_image(rgba, 1, ImageAccess::WriteOnly, 0, as_uint)
        .unwrap();
    rec.run_compute(increment, [2, 2, 1]).unwrap();
    rec.memory_barrier(Barriers::TEXTURE_UPDATE, false).unwrap();
    let first = rec.read_texture(out, 0, 1).unwrap();
    let second = rec.read_texture(rgba, 0, 1).unwrap();
    let readbacks = replay(&rec.finish()).unwrap();
    let texels: Vec<u32> = words(&pixels);
    let plus = |n: u32| texels.iter().map(|t| t + n).collect::<Vec<_>>();
    assert_eq!(words(readbacks.get(first).unwrap()), plus(1));
    assert_eq!(words(readbacks.get(second).unwrap()), plus(2));
}

#[test]
fn layered_images_bind_every_layer_and_levels_bind_alone() {
    let mut rec = Recorder::new();
    let volume = TextureDesc::texture3d(2, 1, 3, 1).dtype(PixelType::U4);
    let volume = rec.texture(volume, None).unwrap();
    let shader = rec
        .compute_shader(
            "#version 450 core
layout(local_size_x = 1) in;
layout(r32ui, binding = 2) uniform writeonly uimage3D img;
void main() {
    ivec3 at = ivec3(gl_GlobalInvocationID);
    imageStore(img, at, uvec4(at.x + 10 * at.z + 1));
}
",
        )
        .unwrap();
    rec.bind_to_image(volume, 2, ImageAccess::WriteOnly, 0, None)
        .unwrap();
    rec.run_compute(shader, [2, 1, 3]).unwrap();
    // Level 1 of a 2D texture with mipmaps: 2x2 of a 4x4 texture.
    let mipmapped = TextureDesc::texture(4, 4, 1).dtype(PixelType::F4);
    let mipmapped = rec.texture(mipmapped, None).unwrap();
    rec.build_mipmaps(mipmapped, 0, 2).unwrap();
    let fill = rec
        .compute_shader(
            "#version 450 core
layout(local_size_x = 1) in;
layout(r32f, binding = 5) uniform writeonly image2D img;
void main() { imageStore(img, ivec2(gl_GlobalInvocationID.xy), vec4(0.5)); }
",
        )
        .unwrap();
    rec.bind_to_image(mipmapped, 5, ImageAccess::WriteOnly, 1, None)
        .unwrap();
    rec.run_compute(fill, [2, 2, 1]).unwrap();
    rec.memory_barrier(Barriers::TEXTURE_UPDATE, false).unwrap();
    let layers = rec.read_texture(volume, 0, 1).unwrap();
    let level = rec.read_texture(mipmapped, 1, 1).unwrap();
    let readbacks = replay(&rec.finish()).unwrap();
    assert_eq!(
        words(readbacks.get(layers).unwrap()),
        [1, 2, 11, 12, 21, 22]
    );
    let halves: Vec<u8> = [0.5f32; 4].iter().flat_map(|f| f.to_le_bytes()).collect();
    assert_eq!(readbacks.get(level).unwrap(), &halves[..]);
}

/// A program doubling `uint` inputs into a buffer by transform feedback: how GL, not the
/// list, writes a buffer's bytes.
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

/// `counts` doubled by GL into a new buffer of `counts.len()` words, which the validator
/// cannot know.
fn written_by_gl(rec: &mut Recorder, counts: &[u32]) -> gltape::BufferId {
    let program = doubler(rec);
    let halves: Vec<u32> = counts.iter().map(|c| c / 2).collect();
    let source = rec.buffer(&halves).unwrap();
    let vao = rec
        .vertex_array(program, &[(source, "1u4", &["value"])], None)
        .unwrap();
    let out = rec.buffer_reserve(counts.len() as u64 * 4, false).unwrap();
    rec.transform(vao, &[out], Draw::new(Mode::Points), 0)
        .unwrap();
    out
}

#[test]
fn indirect_runs_equal_direct_ones_whether_the_counts_are_known_or_written_by_gl() {
    let mut rec = Recorder::new();
    let (shader, texture) = store_setup(&mut rec);
    // Known when recorded: 4 bytes of padding, then 2, 2, 1.
    let known = rec.buffer(&[9u32, 2, 2, 1]).unwrap();
    rec.run_compute_indirect(shader, known, 4).unwrap();
    rec.memory_barrier(Barriers::ALL, false).unwrap();
    let from_known = rec.read_texture(texture, 0, 1).unwrap();
    // Written by transform feedback: 2, 2, 1 read back at replay.
    let (shader2, texture2) = store_setup(&mut rec);
    let written = written_by_gl(&mut rec, &[2, 2, 2]);
    rec.run_compute_indirect(shader2, written, 0).unwrap();
    rec.memory_barrier(Barriers::ALL, false).unwrap();
    let from_gl = rec.read_texture(texture2, 0, 1).unwrap();
    let readbacks = replay(&rec.finish()).unwrap();
    let expected: Vec<u32> = (100..116).collect();
    assert_eq!(words(readbacks.get(from_known).unwrap()), expected);
    // 2 x 2 x 2 groups of a 4x4 image: the z layer 1 stores over z layer 0 the same values.
    assert_eq!(words(readbacks.get(from_gl).unwrap()), expected);
}

#[test]
fn counts_gl_wrote_over_the_limits_are_replay_errors_naming_the_command() {
    let mut rec = Recorder::new();
    let (shader, _) = store_setup(&mut rec);
    let written = written_by_gl(&mut rec, &[70000, 2, 2]);
    rec.run_compute_indirect(shader, written, 0).unwrap();
    let list = rec.finish();
    let index = list.len() - 1;
    let err = replay(&list).unwrap_err();
    match &err {
        ReplayError::Invalid(invalid) => {
            assert_eq!(
                (invalid.index, invalid.command),
                (index, "run_compute_indirect")
            );
            match &invalid.error {
                ValidationError::IndirectCommand { error, .. } => assert!(matches!(
                    **error,
                    ValidationError::ComputeGroups {
                        axis: "x",
                        value: 70000,
                        ..
                    }
                )),
                other => panic!("{other:?}"),
            }
        }
        other => panic!("{other:?}"),
    }
    assert!(
        err.to_string().contains("70000 work groups along x"),
        "{err}"
    );

    // Within the context's limits, but more work than the replay allows.
    let mut rec = Recorder::new();
    let (shader, _) = store_setup(&mut rec);
    let written = written_by_gl(&mut rec, &[4, 4, 2]);
    rec.run_compute_indirect(shader, written, 0).unwrap();
    let list = rec.finish();
    let validated = list.validate().unwrap();
    let mut renderer = Renderer::headless().unwrap();
    let mut options = ReplayOptions {
        limits: ReplayLimits {
            max_draw_work: 31,
            ..ReplayLimits::default()
        },
        ..ReplayOptions::default()
    };
    match renderer.replay_with(&validated, &mut options).unwrap_err() {
        ReplayError::Limit(limit) => {
            assert_eq!(limit.limit, Limit::DrawWork);
            assert_eq!((limit.value, limit.max), (32, 31));
            assert_eq!(limit.command, "run_compute_indirect");
        }
        other => panic!("{other:?}"),
    }
    // Counts known when recorded count before the replay starts.
    let mut rec = Recorder::new();
    let (shader, _) = store_setup(&mut rec);
    let known = rec.buffer(&[4u32, 4, 2]).unwrap();
    rec.run_compute_indirect(shader, known, 0).unwrap();
    let list = rec.finish();
    let validated = list.validate().unwrap();
    let err = renderer.replay_with(&validated, &mut options).unwrap_err();
    assert!(
        matches!(&err, ReplayError::Limit(l) if l.value == 32),
        "{err}"
    );
}

#[test]
fn calls_out_of_range_are_refused_when_recorded() {
    let mut rec = Recorder::new();
    let (shader, texture) = store_setup(&mut rec);
    let before = rec.list().len();
    let groups = rec.run_compute(shader, [1, 65536, 1]).unwrap_err();
    assert_eq!(
        groups.to_string(),
        "65536 work groups along y: at most 65535 are allowed"
    );
    let program = rec
        .program(ProgramDesc::new(
            "#version 450 core\nvoid main() { gl_Position = vec4(0.0); }",
        ))
        .unwrap();
    let before_errors = rec.list().len();
    assert!(matches!(
        rec.run_compute(program, [1, 1, 1]),
        Err(ValidationError::ProgramKind { compute: false, .. })
    ));
    let buffer = rec.buffer(&[1u32, 1, 70000, 1]).unwrap();
    let after_buffer = rec.list().len();
    assert!(matches!(
        rec.vertex_array(shader, &[(buffer, "1u4", &["value"])], None),
        Err(ValidationError::ProgramKind { compute: true, .. })
    ));
    assert!(matches!(
        rec.run_compute_indirect(shader, buffer, 2),
        Err(ValidationError::Misaligned { value: 2, .. })
    ));
    assert!(matches!(
        rec.run_compute_indirect(shader, buffer, 8),
        Err(ValidationError::OutOfRange {
            offset: 8,
            size: 12,
            ..
        })
    ));
    let known = rec.run_compute_indirect(shader, buffer, 4).unwrap_err();
    assert_eq!(
        known.to_string(),
        format!(
            "indirect command 0 of {buffer} (at byte 4): 70000 work groups along y: at most \
             65535 are allowed"
        )
    );
    // After a write, the counts are known again and within range.
    rec.write(buffer, 8, &[3u32]).unwrap();
    rec.run_compute_indirect(shader, buffer, 4).unwrap();
    rec.release(buffer).unwrap();
    assert!(matches!(
        rec.run_compute_indirect(shader, buffer, 0),
        Err(ValidationError::Released { .. })
    ));
    let unit = rec.bind_to_image(texture, 8, ImageAccess::ReadWrite, 0, None);
    assert!(matches!(
        unit,
        Err(ValidationError::TextureArgument {
            what: "image unit",
            value: 8,
            ..
        })
    ));
    let rgb = rec.texture(TextureDesc::texture(2, 2, 3), None).unwrap();
    let own = rec.bind_to_image(rgb, 0, ImageAccess::ReadWrite, 0, None);
    assert!(own
        .unwrap_err()
        .to_string()
        .contains("give bind_to_image a format"));
    let depth = rec.texture(TextureDesc::depth(2, 2), None).unwrap();
    assert!(rec
        .bind_to_image(depth, 0, ImageAccess::ReadOnly, 0, None)
        .is_err());
    let level = rec.bind_to_image(texture, 0, ImageAccess::ReadOnly, 1, None);
    assert!(matches!(
        level,
        Err(ValidationError::TextureLevel { level: 1, .. })
    ));
    let with_format = Some(ImageFormat::Rgba8);
    rec.bind_to_image(rgb, 0, ImageAccess::ReadOnly, 0, with_format)
        .unwrap();
    assert!(matches!(
        rec.memory_barrier(Barriers(0x10), false),
        Err(ValidationError::Barriers { barriers: 0x10, .. })
    ));
    let by_region = rec.memory_barrier(Barriers::COMMAND, true).unwrap_err();
    assert!(by_region.to_string().contains("glMemoryBarrierByRegion"));
    assert!(matches!(
        rec.compute_shader(""),
        Err(ValidationError::BadName { .. })
    ));
    // Rejected calls recorded nothing.
    let kinds: Vec<&str> = rec.list().commands()[before..]
        .iter()
        .map(Command::name)
        .collect();
    assert_eq!(before_errors - before, 1);
    assert_eq!(after_buffer - before_errors, 1);
    assert_eq!(
        kinds,
        [
            "create_program",
            "create_buffer",
            "write",
            "run_compute_indirect",
            "release",
            "create_texture",
            "create_texture",
            "bind_to_image",
        ]
    );
    let list = rec.finish();
    list.validate().unwrap();
    replay(&list).unwrap();
}

#[test]
fn a_compute_shader_that_does_not_compile_names_its_command() {
    let mut rec = Recorder::new();
    rec.buffer(&[0u8; 4]).unwrap();
    rec.compute_shader("#version 450 core\nlayout(local_size_x = 1) in;\nvoid main() { nope; }")
        .unwrap();
    match replay(&rec.finish()).unwrap_err() {
        ReplayError::Program {
            index: 1,
            command: "create_compute_shader",
            stage: "compute",
            log,
        } => assert!(!log.is_empty()),
        other => panic!("{other:?}"),
    }
    // A shader without a work group size compiles but does not link.
    let mut rec = Recorder::new();
    rec.compute_shader("#version 450 core\nvoid main() {}")
        .unwrap();
    let err = replay(&rec.finish()).unwrap_err();
    assert!(
        matches!(
            err,
            ReplayError::Program {
                command: "create_compute_shader",
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn released_compute_shaders_and_textures_leave_no_binding_behind() {
    let mut rec = Recorder::new();
    let (shader, texture) = store_setup(&mut rec);
    rec.run_compute(shader, [2, 2, 1]).unwrap();
    rec.release(texture).unwrap();
    rec.release(Object::Program(shader)).unwrap();
    assert!(matches!(
        rec.run_compute(shader, [1, 1, 1]),
        Err(ValidationError::Released { .. })
    ));
    // A new texture on the unit the released one was bound to is not bound there.
    let (shader, texture) = store_setup(&mut rec);
    let fresh = rec
        .texture(TextureDesc::texture(4, 4, 1).dtype(PixelType::U4), None)
        .unwrap();
    rec.run_compute(shader, [2, 2, 1]).unwrap();
    rec.memory_barrier(Barriers::ALL, false).unwrap();
    let stored = rec.read_texture(texture, 0, 1).unwrap();
    let untouched = rec.read_texture(fresh, 0, 1).unwrap();
    let list = rec.finish();
    let mut renderer = Renderer::headless().unwrap();
    for _ in 0..2 {
        let readbacks = renderer.replay(&list).unwrap();
        let expected: Vec<u32> = (100..116).collect();
        assert_eq!(words(readbacks.get(stored).unwrap()), expected);
        assert_eq!(readbacks.get(untouched).unwrap(), &[0u8; 64][..]);
    }
    let live = renderer.live_objects();
    renderer.reset();
    assert!(live > 0);
    assert_eq!(renderer.live_objects(), 0);
}

#[test]
fn a_replay_starts_with_no_image_bound() {
    // The first list binds its texture to unit 0; the second runs a shader storing to unit
    // 0 without binding anything: its texture stays zero, and GL raises no error.
    let mut renderer = Renderer::headless().unwrap();
    let mut rec = Recorder::new();
    let (shader, texture) = store_setup(&mut rec);
    rec.run_compute(shader, [2, 2, 1]).unwrap();
    let _ = texture;
    renderer.replay(&rec.finish()).unwrap();
    let mut rec = Recorder::new();
    let texture = rec
        .texture(TextureDesc::texture(4, 4, 1).dtype(PixelType::U4), None)
        .unwrap();
    let shader = rec.compute_shader(STORE).unwrap();
    rec.run_compute(shader, [2, 2, 1]).unwrap();
    rec.memory_barrier(Barriers::ALL, false).unwrap();
    let read = rec.read_texture(texture, 0, 1).unwrap();
    let readbacks = renderer.replay(&rec.finish()).unwrap();
    assert_eq!(readbacks.get(read).unwrap(), &[0u8; 64][..]);
}

/// Sums `values` (storage binding 0) times `scale` (a uniform block on binding 0) into
/// `sum` (storage binding 1), 64 invocations per group.
const SUM: &str = "#version 450 core
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer Input { uint values[]; };
layout(std430, binding = 1) buffer Output { uint sum; };
layout(std140, binding = 0) uniform Params { uint scale; };
void main() { atomicAdd(sum, scale * values[gl_GlobalInvocationID.x]); }
";

#[test]
fn a_compute_shader_sums_a_storage_buffer() {
    let mut rec = Recorder::new();
    let values: Vec<u32> = (0..256).collect();
    let input = rec.buffer(&values).unwrap();
    // Mesa sizes a storage block to a multiple of 16 bytes, which its binding must hold.
    let output = rec.buffer(&[0u32; 4]).unwrap();
    let params = rec.buffer(&[3u32, 0, 0, 0]).unwrap();
    rec.bind_to_storage_buffer(input, 0, 0, None).unwrap();
    rec.bind_to_storage_buffer(output, 1, 0, None).unwrap();
    rec.bind_to_uniform_block(params, 0, 0, None).unwrap();
    let shader = rec.compute_shader(SUM).unwrap();
    rec.run_compute(shader, [4, 1, 1]).unwrap();
    rec.memory_barrier(Barriers::BUFFER_UPDATE, false).unwrap();
    let sum = rec.read(output, Some(4), 0).unwrap();
    // Again from the second half only, through other bindings chosen by name, scale 1.
    let other = rec.buffer(&[0u32; 4]).unwrap();
    let one = rec.buffer(&[1u32, 0, 0, 0]).unwrap();
    rec.bind_to_storage_buffer(input, 5, 512, None).unwrap();
    rec.bind_to_storage_buffer(other, 6, 0, None).unwrap();
    rec.bind_to_uniform_block(one, 9, 0, None).unwrap();
    rec.block_binding(shader, "Input", 5).unwrap();
    rec.block_binding(shader, "Output", 6).unwrap();
    rec.block_binding(shader, "Params", 9).unwrap();
    rec.run_compute(shader, [2, 1, 1]).unwrap();
    rec.memory_barrier(Barriers::ALL, false).unwrap();
    let half = rec.read(other, Some(4), 0).unwrap();
    let readbacks = replay(&rec.finish()).unwrap();
    assert_eq!(
        words(readbacks.get(sum).unwrap()),
        [3 * (0..256).sum::<u32>()]
    );
    assert_eq!(
        words(readbacks.get(half).unwrap()),
        [(128..256).sum::<u32>()]
    );
}

#[test]
fn a_run_without_its_blocks_bound_is_a_replay_error_naming_the_block() {
    let mut rec = Recorder::new();
    let input = rec.buffer(&[1u32; 64]).unwrap();
    rec.bind_to_storage_buffer(input, 0, 0, None).unwrap();
    let shader = rec.compute_shader(SUM).unwrap();
    rec.run_compute(shader, [1, 1, 1]).unwrap();
    let err = replay(&rec.finish()).unwrap_err();
    assert!(err.to_string().contains("holds no buffer"), "{err}");
    assert!(err.to_string().contains("run_compute"), "{err}");
}

/// Writes the work group counts `(2, 2, 1)` and a draw command of 3 vertices into storage
/// binding 2, as a GPU-driven pipeline does.
const WRITE_COMMANDS: &str = "#version 450 core
layout(local_size_x = 1) in;
layout(std430, binding = 2) buffer Commands { uint words[]; };
void main() {
    words[0] = 2u; words[1] = 2u; words[2] = 1u;
}
";

#[test]
fn counts_a_shader_wrote_are_unknown_when_recorded_and_checked_when_replayed() {
    let mut rec = Recorder::new();
    // 70000 groups when recorded: refused as long as the list's own bytes are what it holds.
    let counts = rec.buffer(&[70000u32, 1, 1, 0]).unwrap();
    let (shader, texture) = store_setup(&mut rec);
    assert!(rec.run_compute_indirect(shader, counts, 0).is_err());
    rec.bind_to_storage_buffer(counts, 2, 0, None).unwrap();
    // Bound to a storage binding, but no shader ran yet: still known.
    assert!(rec.run_compute_indirect(shader, counts, 0).is_err());
    let writer = rec.compute_shader(WRITE_COMMANDS).unwrap();
    rec.run_compute(writer, [1, 1, 1]).unwrap();
    // A shader may have written it: checked at replay, where it holds 2, 2, 1.
    rec.run_compute_indirect(shader, counts, 0).unwrap();
    rec.memory_barrier(Barriers::ALL, false).unwrap();
    let read = rec.read_texture(texture, 0, 1).unwrap();
    let readbacks = replay(&rec.finish()).unwrap();
    let expected: Vec<u32> = (100..116).collect();
    assert_eq!(words(readbacks.get(read).unwrap()), expected);
}

#[test]
fn the_documented_compute_example_replays_as_it_says() {
    let doc = include_str!("../docs/text-format.md");
    let block = (doc.split("```jsonl\n").skip(1))
        .find(|block| block.contains("compute_shader"))
        .expect("the compute example");
    let example = &block[..block.find("```").unwrap()];
    let list = gltape::text::assemble(example).unwrap();
    let readbacks = replay(&list).unwrap();
    let read = |id| readbacks.get(gltape::ReadbackId::from_index(id)).unwrap();
    assert_eq!(read(0), 10u32.to_le_bytes());
    assert_eq!(read(1), 4u32.to_le_bytes());
    assert_eq!(read(2), [0u8, 255, 0, 255].repeat(4));
}
