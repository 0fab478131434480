//! Textures and samplers recorded, then replayed on a real OpenGL 4.5 context (Mesa
//! llvmpipe, headless EGL or OSMesa as GLTAPE_BACKEND says), with exact bytes read back:
//! writes and reads of every dtype, levels, sampling in draws, parameters, samplers, errors.

use gltape::command::Object;
use gltape::{
    ColorFormat, CommandList, CompareFunc, Draw, Float, InternalFormat, MagFilter, MinFilter, Mode,
    PixelType, ProgramDesc, ProgramId, ReadbackId, Readbacks, Recorder, Renderer, Swizzle,
    TextureDesc, TextureId, TextureParameter, TextureRegion, TextureWrite, ValidationError,
};

fn replay(list: &CommandList) -> Readbacks {
    let mut renderer = Renderer::headless().expect("headless OpenGL 4.5 context");
    renderer.replay(list).expect("replay")
}

/// Deterministic bytes: `n` of them from `seed`.
fn bytes(n: usize, seed: u32) -> Vec<u8> {
    let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state >> 11) as u8
        })
        .collect()
}

/// Values of `dtype` that survive a write and a read unchanged, as bytes: any integer, and
/// for floats finite values only (a NaN's bits may change).
fn exact_values(dtype: PixelType, components: usize, seed: u32) -> Vec<u8> {
    let n = components;
    match dtype {
        PixelType::F2 => (0..n)
            .flat_map(|i| {
                let v = (i as u16 * 977 + seed as u16 * 31) % 0x7800; // finite halves
                let sign = if i % 3 == 0 { 0x8000 } else { 0 };
                (v | sign).to_le_bytes()
            })
            .collect(),
        PixelType::F4 => (0..n)
            .flat_map(|i| ((i as f32 - 7.25) * (seed as f32 + 0.5) * 1e3).to_le_bytes())
            .collect(),
        _ => bytes(n * dtype.size() as usize, seed),
    }
}

/// The bytes of `rows` rows of `row` bytes each, each padded with zeros to `alignment`.
fn padded(rows: &[Vec<u8>], alignment: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for row in rows {
        out.extend_from_slice(row);
        out.resize(out.len().next_multiple_of(alignment), 0);
    }
    out
}

/// Rows of pixels of `dtype`: `height` rows of `width` pixels.
fn rows(dtype: PixelType, components: u8, width: usize, height: usize, seed: u32) -> Vec<Vec<u8>> {
    (0..height)
        .map(|y| exact_values(dtype, width * usize::from(components), seed + y as u32))
        .collect()
}

/// Dtypes whose data reads back as written (ni1 and ni2 are stored unsigned, as ModernGL
/// stores them; the differential suite covers them).
const EXACT: [PixelType; 11] = [
    PixelType::F1,
    PixelType::F2,
    PixelType::F4,
    PixelType::U1,
    PixelType::U2,
    PixelType::U4,
    PixelType::I1,
    PixelType::I2,
    PixelType::I4,
    PixelType::Nu1,
    PixelType::Nu2,
];

#[test]
fn every_dtype_and_component_count_reads_back_as_written_with_padding_zeroed() {
    let mut rec = Recorder::new();
    let mut expected = Vec::new();
    for (seed, dtype) in EXACT.into_iter().enumerate() {
        for components in 1..=4u8 {
            for alignment in [1u8, 2, 4, 8] {
                // Width 3: rows of 3 * components * size bytes, padded to the alignment.
                let (width, height) = (3, 2);
                let seed =
                    (seed * 100 + usize::from(components) * 10) as u32 + u32::from(alignment);
                let data = padded(
                    &rows(dtype, components, width, height, seed),
                    alignment.into(),
                );
                let desc = TextureDesc::texture(width as u32, height as u32, components)
                    .dtype(dtype)
                    .alignment(alignment);
                assert_eq!(desc.data_size(), Some(data.len() as u64));
                let texture = rec.texture(desc, Some(&data)).unwrap();
                let read = rec.read_texture(texture, 0, alignment).unwrap();
                expected.push((read, data, dtype, components, alignment));
                // Read at another alignment: the same rows, padded otherwise.
                let read = rec.read_texture(texture, 0, 8).unwrap();
                let rows = rows(dtype, components, width, height, seed);
                expected.push((read, padded(&rows, 8), dtype, components, 8));
            }
        }
    }
    let readbacks = replay(&rec.finish());
    for (read, data, dtype, components, alignment) in expected {
        assert_eq!(
            readbacks.get(read).unwrap(),
            &data[..],
            "{} x{components} at alignment {alignment}",
            dtype.name()
        );
    }
}

#[test]
fn a_texture_without_data_reads_as_zeros() {
    let mut rec = Recorder::new();
    let mut reads = Vec::new();
    for dtype in PixelType::ALL {
        let desc = TextureDesc::texture(5, 3, 3).dtype(dtype).alignment(4);
        let texture = rec.texture(desc, None).unwrap();
        reads.push((
            rec.read_texture(texture, 0, 4).unwrap(),
            desc.data_size().unwrap(),
        ));
    }
    let depth = rec.texture(TextureDesc::depth(3, 2), None).unwrap();
    reads.push((rec.read_texture(depth, 0, 4).unwrap(), 24));
    let readbacks = replay(&rec.finish());
    for (read, len) in reads {
        assert_eq!(readbacks.get(read).unwrap(), &vec![0u8; len as usize][..]);
    }
}

#[test]
fn a_viewport_write_changes_only_its_rectangle() {
    let mut rec = Recorder::new();
    let texture = rec.texture(TextureDesc::texture(4, 3, 4), None).unwrap();
    // texture.write(data, viewport=(1, 1, 2, 2)): two rows of two RGBA pixels.
    let patch: Vec<u8> = (1..=16).collect();
    let at = TextureWrite::new(texture).viewport(TextureRegion::rect(1, 1, 2, 2));
    rec.write_texture(at, &patch).unwrap();
    let read = rec.read_texture(texture, 0, 1).unwrap();
    let readbacks = replay(&rec.finish());
    let mut expected = [0u8; 4 * 3 * 4];
    for (row, y) in [1usize, 2].into_iter().enumerate() {
        let at = (y * 4 + 1) * 4;
        expected[at..at + 8].copy_from_slice(&patch[row * 8..row * 8 + 8]);
    }
    assert_eq!(readbacks.get(read).unwrap(), &expected[..]);
}

#[test]
fn mipmaps_of_a_uniform_color_are_that_color_and_levels_can_be_written() {
    let mut rec = Recorder::new();
    let color = [10u8, 200, 30, 255];
    let texture = rec
        .texture(TextureDesc::texture(8, 4, 4), Some(&color.repeat(32)))
        .unwrap();
    rec.build_mipmaps(texture, 0, 1000).unwrap();
    let levels: Vec<(ReadbackId, usize)> = [(1, 4 * 2), (2, 2), (3, 1)]
        .into_iter()
        .map(|(level, pixels)| (rec.read_texture(texture, level, 1).unwrap(), pixels))
        .collect();
    rec.write_texture(
        TextureWrite::new(texture).level(2),
        &[1, 2, 3, 4, 5, 6, 7, 8],
    )
    .unwrap();
    let level2 = rec.read_texture(texture, 2, 1).unwrap();
    let readbacks = replay(&rec.finish());
    for (read, pixels) in levels {
        assert_eq!(readbacks.get(read).unwrap(), &color.repeat(pixels)[..]);
    }
    assert_eq!(readbacks.get(level2).unwrap(), &[1, 2, 3, 4, 5, 6, 7, 8]);
}

/// A position per corner of the viewport, drawn as a triangle strip.
const QUAD: [f32; 8] = [-1.0, -1.0, 1.0, -1.0, -1.0, 1.0, 1.0, 1.0];

/// Texture coordinates from 0 to 1 over the viewport, scaled and shifted by uniforms.
const VS_UV: &str = "#version 450 core
in vec2 in_pos;
uniform vec2 scale = vec2(1.0);
uniform vec2 shift = vec2(0.0);
out vec2 uv;
void main() {
    uv = (in_pos * 0.5 + 0.5) * scale + shift;
    gl_Position = vec4(in_pos, 0.0, 1.0);
}
";

/// A program of [`VS_UV`] and `fragment`.
fn program(rec: &mut Recorder, fragment: &str) -> ProgramId {
    rec.program(ProgramDesc::new(VS_UV).fragment(fragment))
        .unwrap()
}

/// Draws `program` over a `width` x `height` RGBA8 framebuffer and reads it back.
fn draw(rec: &mut Recorder, program: ProgramId, width: u32, height: u32) -> ReadbackId {
    let quad = rec.buffer(&QUAD).unwrap();
    let vao = rec
        .vertex_array(program, &[(quad, "2f", &["in_pos"])], None)
        .unwrap();
    let fbo = rec
        .framebuffer(width, height, &[ColorFormat::Rgba8], false)
        .unwrap();
    rec.use_framebuffer(fbo).unwrap();
    rec.clear_framebuffer(fbo, [0.5, 0.5, 0.5, 0.5], 1.0, None)
        .unwrap();
    rec.render(vao, Draw::new(Mode::TriangleStrip)).unwrap();
    rec.read_pixels(fbo, None, 4, 0, PixelType::F1).unwrap()
}

const FS_2D: &str = "#version 450 core
uniform sampler2D tex;
in vec2 uv;
layout(location = 0) out vec4 color;
void main() { color = texture(tex, uv); }
";

/// A 2x2 RGBA texture: red, green (bottom row), blue, white (top row).
const TEXELS: [[u8; 4]; 4] = [
    [255, 0, 0, 255],
    [0, 255, 0, 255],
    [0, 0, 255, 255],
    [255, 255, 255, 255],
];

fn texels() -> Vec<u8> {
    TEXELS.concat()
}

#[test]
fn a_draw_samples_a_texture_at_its_unit_exactly() {
    let mut rec = Recorder::new();
    let texture = rec
        .texture(TextureDesc::texture(2, 2, 4), Some(&texels()))
        .unwrap();
    let program = program(&mut rec, FS_2D);
    rec.use_texture(texture, 5).unwrap();
    rec.uniform(program, "tex", 5i32).unwrap();
    // Linear filtering (the default for f1) at texel centres gives the texels themselves.
    let read = draw(&mut rec, program, 2, 2);
    let readbacks = replay(&rec.finish());
    assert_eq!(readbacks.get(read).unwrap(), &texels()[..]);
}

#[test]
fn nearest_and_linear_filters_sample_as_gl_defines() {
    let mut rec = Recorder::new();
    let texture = rec
        .texture(
            TextureDesc::texture(2, 1, 4),
            Some(&[0, 0, 0, 255, 200, 100, 50, 255]),
        )
        .unwrap();
    let program = program(&mut rec, FS_2D);
    rec.use_texture(texture, 0).unwrap();
    // 4 pixels over 2 texels: nearest doubles each, linear blends the middle two.
    let linear = draw(&mut rec, program, 4, 1);
    let nearest = TextureParameter::Filter(MinFilter::Nearest, MagFilter::Nearest);
    rec.texture_parameter(texture, nearest).unwrap();
    let nearest = draw(&mut rec, program, 4, 1);
    let readbacks = replay(&rec.finish());
    assert_eq!(
        readbacks.get(nearest).unwrap(),
        &[0, 0, 0, 255, 0, 0, 0, 255, 200, 100, 50, 255, 200, 100, 50, 255]
    );
    // Pixel 1 samples at 3/8: a quarter of the way from texel 0's centre to texel 1's.
    assert_eq!(
        &readbacks.get(linear).unwrap()[4..8],
        &[50, 25, 13, 255],
        "0.25 * 200 = 50, 0.25 * 100 = 25, 0.25 * 50 = 12.5 rounds to 13"
    );
}

#[test]
fn an_srgb_texture_is_decoded_to_linear_when_sampled() {
    let mut rec = Recorder::new();
    let srgb = TextureDesc::texture(1, 1, 4).internal_format(InternalFormat::Srgb8Alpha8);
    let texture = rec.texture(srgb, Some(&[188, 255, 0, 188])).unwrap();
    let raw = rec.read_texture(texture, 0, 1).unwrap();
    let program = program(&mut rec, FS_2D);
    rec.use_texture(texture, 0).unwrap();
    let read = draw(&mut rec, program, 1, 1);
    let readbacks = replay(&rec.finish());
    // Reads give the stored bytes; sampling decodes color (not alpha): sRGB 188 is 0.503.
    assert_eq!(readbacks.get(raw).unwrap(), &[188, 255, 0, 188]);
    assert_eq!(readbacks.get(read).unwrap(), &[128, 255, 0, 188]);
}

#[test]
fn repeat_and_clamp_differ_outside_0_to_1() {
    let mut rec = Recorder::new();
    let texture = rec
        .texture(TextureDesc::texture(2, 2, 4), Some(&texels()))
        .unwrap();
    let nearest = TextureParameter::Filter(MinFilter::Nearest, MagFilter::Nearest);
    rec.texture_parameter(texture, nearest).unwrap();
    let program = program(&mut rec, FS_2D);
    rec.use_texture(texture, 0).unwrap();
    // uv from 1 to 2 across 2x2 pixels: repeat samples the texture again, clamp its edge.
    rec.uniform(program, "shift", [1.0f32, 1.0]).unwrap();
    let repeat = draw(&mut rec, program, 2, 2);
    rec.texture_parameter(texture, TextureParameter::RepeatX(false))
        .unwrap();
    let clamp_x = draw(&mut rec, program, 2, 2);
    rec.texture_parameter(texture, TextureParameter::RepeatY(false))
        .unwrap();
    let clamp_xy = draw(&mut rec, program, 2, 2);
    let readbacks = replay(&rec.finish());
    let [red, green, blue, white] = TEXELS;
    assert_eq!(readbacks.get(repeat).unwrap(), &texels()[..]);
    assert_eq!(
        readbacks.get(clamp_x).unwrap(),
        &[green, green, white, white].concat()[..]
    );
    assert_eq!(readbacks.get(clamp_xy).unwrap(), &[white; 4].concat()[..]);
    let _ = (red, blue);
}

#[test]
fn swizzle_reorders_sampled_components() {
    let mut rec = Recorder::new();
    let texture = rec
        .texture(TextureDesc::texture(1, 1, 4), Some(&[10, 20, 30, 40]))
        .unwrap();
    let program = program(&mut rec, FS_2D);
    rec.use_texture(texture, 0).unwrap();
    let swizzle = |text| TextureParameter::Swizzle(Swizzle::parse(text).unwrap());
    rec.texture_parameter(texture, swizzle("BGRA")).unwrap();
    let bgra = draw(&mut rec, program, 1, 1);
    // Only the given components change: "01" sets red to 0 and green to 1, keeps B and A.
    rec.texture_parameter(texture, swizzle("01")).unwrap();
    let zero_one = draw(&mut rec, program, 1, 1);
    let readbacks = replay(&rec.finish());
    assert_eq!(readbacks.get(bgra).unwrap(), &[30, 20, 10, 40]);
    assert_eq!(readbacks.get(zero_one).unwrap(), &[0, 255, 10, 40]);
}

#[test]
fn a_one_component_texture_samples_as_red_zero_zero_one() {
    let mut rec = Recorder::new();
    let texture = rec
        .texture(
            TextureDesc::texture(3, 1, 1).alignment(4),
            Some(&[7, 8, 9, 0]),
        )
        .unwrap();
    let program = program(&mut rec, FS_2D);
    rec.use_texture(texture, 0).unwrap();
    let read = draw(&mut rec, program, 3, 1);
    let readbacks = replay(&rec.finish());
    assert_eq!(
        readbacks.get(read).unwrap(),
        &[7, 0, 0, 255, 8, 0, 0, 255, 9, 0, 0, 255]
    );
}

/// A texture used for `unit` and an id of another texture, for errors.
fn texture_2x2(rec: &mut Recorder) -> TextureId {
    rec.texture(TextureDesc::texture(2, 2, 4), Some(&texels()))
        .unwrap()
}

#[test]
fn a_released_texture_cannot_be_used_and_leaves_no_gl_object() {
    let mut rec = Recorder::new();
    let texture = texture_2x2(&mut rec);
    let sampler = rec.sampler().unwrap();
    rec.use_texture(texture, 0).unwrap();
    rec.use_sampler(sampler, 0).unwrap();
    rec.release(texture).unwrap();
    rec.release(sampler).unwrap();
    assert_eq!(
        rec.use_texture(texture, 0),
        Err(ValidationError::Released {
            object: Object::Texture(texture)
        })
    );
    assert_eq!(
        rec.read_texture(texture, 0, 1),
        Err(ValidationError::Released {
            object: Object::Texture(texture)
        })
    );
    assert_eq!(
        rec.use_sampler(sampler, 0),
        Err(ValidationError::Released {
            object: Object::Sampler(sampler)
        })
    );
    let list = rec.finish();
    let mut renderer = Renderer::headless().unwrap();
    renderer.replay(&list).unwrap();
    assert_eq!(renderer.live_objects(), 0);
}

#[test]
fn bad_input_is_refused_with_what_was_wrong() {
    let mut rec = Recorder::new();
    let texture = texture_2x2(&mut rec);
    let err = |result: Result<TextureId, ValidationError>| result.unwrap_err().to_string();
    let mut make = |desc: TextureDesc, data: Option<&[u8]>| err(rec.texture(desc, data));
    assert_eq!(
        make(TextureDesc::texture(0, 4, 4), None),
        "texture of size 0x4x1 is invalid: width and height must be 1..=16384 (depth 1)"
    );
    assert_eq!(
        make(TextureDesc::texture(16385, 1, 4), None),
        "texture of size 16385x1x1 is invalid: width and height must be 1..=16384 (depth 1)"
    );
    assert_eq!(
        make(TextureDesc::texture3d(4, 4, 2049, 1), None),
        "texture3d of size 4x4x2049 is invalid: each side must be 1..=2048"
    );
    assert_eq!(
        make(TextureDesc::cube(4, 8, 4), None),
        "texture_cube of size 4x8x1 is invalid: the faces must be square, 1..=16384 on a side (depth 1)"
    );
    assert_eq!(
        make(TextureDesc::texture(2, 2, 5), None),
        "components 5 is invalid: the components must be 1, 2, 3 or 4"
    );
    assert_eq!(
        make(TextureDesc::texture(2, 2, 4).alignment(3), None),
        "alignment 3 is invalid: the alignment must be 1, 2, 4 or 8"
    );
    assert_eq!(
        make(TextureDesc::texture(2, 2, 4).samples(3), None),
        "samples 3 is invalid: the number of samples must be 0 (none), 1, 2 or 4"
    );
    assert_eq!(
        make(TextureDesc::texture(2, 2, 4), Some(&[0; 15])),
        "data size mismatch for texture #1: 15 bytes given, 16 expected"
    );
    assert_eq!(
        make(TextureDesc::texture(3, 1, 3).alignment(4), Some(&[0; 9])),
        "data size mismatch for texture #1: 9 bytes given, 12 expected"
    );
    assert_eq!(
        make(TextureDesc::texture(2, 2, 4), Some(&[])),
        "data size mismatch for texture #1: 0 bytes given, 16 expected"
    );
    assert_eq!(
        make(TextureDesc::texture(2, 2, 4).samples(4), Some(&[0; 16])),
        "texture: multisample textures are not writable directly"
    );
    assert_eq!(
        make(
            TextureDesc::texture(2, 2, 3).internal_format(InternalFormat::Srgb8Alpha8),
            None
        ),
        "texture: the internal format stores other components or another dtype"
    );
    assert_eq!(
        make(TextureDesc::depth(2, 2).dtype(PixelType::F1), None),
        "texture: a depth texture holds 1 component of dtype f4"
    );
    let multisample = rec
        .texture(TextureDesc::texture(2, 2, 4).samples(4), None)
        .unwrap();
    let err = |result: Result<(), ValidationError>| result.unwrap_err().to_string();
    let whole = TextureWrite::new(texture);
    assert_eq!(
        err(rec.write_texture(whole.level(1), &[0; 4])),
        "texture #0 has no level 1: levels 0..1 hold images and ModernGL's max_level is 0"
    );
    assert_eq!(
        err(rec.write_texture(whole, &[0; 17])),
        "data size mismatch for texture #0: 17 bytes given, 16 expected"
    );
    assert_eq!(
        err(rec.write_texture(whole.viewport(TextureRegion::rect(1, 1, 2, 1)), &[0; 8])),
        "viewport (1, 1, 0) 2x1x1 is out of range of texture #0's level 0 (2x2x1)"
    );
    assert_eq!(
        err(rec.write_texture(TextureWrite::new(multisample), &[0; 16])),
        "texture #1 (texture): multisample textures cannot be written or read directly"
    );
    assert_eq!(
        err(rec.write_texture(whole.face(0), &[0; 16])),
        "texture #0 (texture): only cube maps have faces"
    );
    assert_eq!(
        err(rec.use_texture(texture, 80)),
        "texture unit 80 is invalid: GL 4.5 guarantees texture units 0..80"
    );
    assert_eq!(
        err(rec.build_mipmaps(texture, 1, 1000)),
        "texture #0 has no level 1: levels 0..1 hold images and ModernGL's max_level is 0"
    );
    let compare = TextureParameter::CompareFunc(Some(CompareFunc::Less));
    assert_eq!(
        err(rec.texture_parameter(texture, compare)),
        "texture #0 has no property `compare_func`: only depth textures have compare_func"
    );
    let border = TextureParameter::BorderColor([Float(0.0); 4]);
    assert_eq!(
        err(rec.texture_parameter(texture, border)),
        "texture #0 has no property `border_color`: only samplers have it"
    );
    assert_eq!(
        err(rec.texture_parameter(texture, TextureParameter::Anisotropy(Float(f32::NAN)))),
        "anisotropy must be a finite number"
    );
    let nearest = TextureParameter::Filter(MinFilter::Nearest, MagFilter::Nearest);
    assert_eq!(
        err(rec.texture_parameter(multisample, nearest)),
        "texture #1 has no property `filter`: multisample textures have no sampling state"
    );
    assert!(rec.read_texture(texture, 1, 1).is_err());
    assert!(rec.read_texture(texture, 0, 3).is_err());
    // Nothing rejected was recorded: the list holds the two textures only.
    assert_eq!(rec.list().len(), 2);
}
