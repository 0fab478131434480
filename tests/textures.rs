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

const FS_ARRAY: &str = "#version 450 core
uniform sampler2DArray tex;
uniform float layer;
in vec2 uv;
layout(location = 0) out vec4 color;
void main() { color = texture(tex, vec3(uv, layer)); }
";

const FS_3D: &str = "#version 450 core
uniform sampler3D tex;
uniform float z;
in vec2 uv;
layout(location = 0) out vec4 color;
void main() { color = texture(tex, vec3(uv, z)); }
";

const FS_CUBE: &str = "#version 450 core
uniform samplerCube tex;
uniform vec3 direction;
layout(location = 0) out vec4 color;
void main() { color = texture(tex, direction); }
";

const FS_SHADOW: &str = "#version 450 core
uniform sampler2DShadow tex;
uniform float reference;
in vec2 uv;
layout(location = 0) out vec4 color;
void main() { color = vec4(texture(tex, vec3(uv, reference))); }
";

const FS_MULTISAMPLE: &str = "#version 450 core
uniform sampler2DMS tex;
layout(location = 0) out vec4 color;
void main() { color = texelFetch(tex, ivec2(gl_FragCoord.xy), 3) + vec4(0.0, 0.0, 0.0, 0.5); }
";

/// `count` 2x2 RGBA images, image `i` all of color `[i * 40, 255 - i * 40, i, 255]`.
fn images(count: u8) -> Vec<u8> {
    (0..count)
        .flat_map(|i| [i * 40, 255 - i * 40, i, 255].repeat(4))
        .collect()
}

#[test]
fn a_draw_samples_the_layer_of_an_array_the_slice_of_a_3d_texture_and_a_cube_face() {
    let mut rec = Recorder::new();
    let array = rec
        .texture(TextureDesc::array(2, 2, 3, 4), Some(&images(3)))
        .unwrap();
    let volume = rec
        .texture(TextureDesc::texture3d(2, 2, 4, 4), Some(&images(4)))
        .unwrap();
    let cube = rec
        .texture(TextureDesc::cube(2, 2, 4), Some(&images(6)))
        .unwrap();
    let nearest = TextureParameter::Filter(MinFilter::Nearest, MagFilter::Nearest);
    for texture in [array, volume, cube] {
        rec.texture_parameter(texture, nearest).unwrap();
    }
    rec.use_texture(array, 1).unwrap();
    rec.use_texture(volume, 2).unwrap();
    rec.use_texture(cube, 3).unwrap();
    let layered = program(&mut rec, FS_ARRAY);
    rec.uniform(layered, "tex", 1i32).unwrap();
    rec.uniform(layered, "layer", 2.0f32).unwrap();
    let layer2 = draw(&mut rec, layered, 2, 2);
    let sliced = program(&mut rec, FS_3D);
    rec.uniform(sliced, "tex", 2i32).unwrap();
    rec.uniform(sliced, "z", 0.375f32).unwrap(); // slice 1 of 4
    let slice1 = draw(&mut rec, sliced, 2, 2);
    let faces = program(&mut rec, FS_CUBE);
    rec.uniform(faces, "tex", 3i32).unwrap();
    let mut face_reads = Vec::new();
    let directions = [
        [1.0f32, 0.0, 0.0],
        [-1.0, 0.0, 0.0],
        [0.0, 1.0, 0.0],
        [0.0, -1.0, 0.0],
        [0.0, 0.0, 1.0],
        [0.0, 0.0, -1.0],
    ];
    for direction in directions {
        rec.uniform(faces, "direction", direction).unwrap();
        face_reads.push(draw(&mut rec, faces, 1, 1));
    }
    let readbacks = replay(&rec.finish());
    let image = |i: u8| [i * 40, 255 - i * 40, i, 255];
    assert_eq!(readbacks.get(layer2).unwrap(), &image(2).repeat(4)[..]);
    assert_eq!(readbacks.get(slice1).unwrap(), &image(1).repeat(4)[..]);
    for (face, read) in face_reads.into_iter().enumerate() {
        assert_eq!(
            readbacks.get(read).unwrap(),
            &image(face as u8),
            "face {face}"
        );
    }
}

#[test]
fn arrays_3d_textures_and_cube_faces_write_and_read_their_layers() {
    let mut rec = Recorder::new();
    let array = rec.texture(TextureDesc::array(2, 1, 3, 1), None).unwrap();
    let layer = TextureRegion::cuboid(0, 0, 1, 2, 1, 2);
    rec.write_texture(TextureWrite::new(array).viewport(layer), &[1, 2, 3, 4])
        .unwrap();
    let whole_array = rec.read_texture(array, 0, 1).unwrap();
    let volume = TextureDesc::texture3d(1, 2, 2, 2).dtype(PixelType::U2);
    let volume = rec.texture(volume, None).unwrap();
    let corner = TextureRegion::cuboid(0, 1, 1, 1, 1, 1);
    rec.write_texture(TextureWrite::new(volume).viewport(corner), &[9, 0, 8, 0])
        .unwrap();
    let whole_volume = rec.read_texture(volume, 0, 1).unwrap();
    let cube = rec
        .texture(TextureDesc::cube(1, 1, 3).alignment(4), None)
        .unwrap();
    rec.write_texture(TextureWrite::new(cube).face(4).alignment(1), &[5, 6, 7])
        .unwrap();
    let faces: Vec<ReadbackId> = (0..6)
        .map(|face| rec.read_texture_face(cube, face, 4).unwrap())
        .collect();
    let readbacks = replay(&rec.finish());
    assert_eq!(readbacks.get(whole_array).unwrap(), &[0, 0, 1, 2, 3, 4]);
    let mut expected = [0u8; 16];
    expected[12..16].copy_from_slice(&[9, 0, 8, 0]);
    assert_eq!(readbacks.get(whole_volume).unwrap(), &expected);
    for (face, read) in faces.into_iter().enumerate() {
        let expected = if face == 4 { [5, 6, 7, 0] } else { [0; 4] };
        assert_eq!(readbacks.get(read).unwrap(), &expected, "face {face}");
    }
}

#[test]
fn a_depth_texture_compares_with_its_compare_func() {
    let mut rec = Recorder::new();
    // Depths 0 and 1: exact in 24 bits.
    let depths: Vec<u8> = [0.0f32, 1.0].iter().flat_map(|d| d.to_le_bytes()).collect();
    let depth = rec
        .texture(TextureDesc::depth(2, 1), Some(&depths))
        .unwrap();
    let raw = rec.read_texture(depth, 0, 4).unwrap();
    let nearest = TextureParameter::Filter(MinFilter::Nearest, MagFilter::Nearest);
    rec.texture_parameter(depth, nearest).unwrap();
    rec.use_texture(depth, 0).unwrap();
    let shadow = program(&mut rec, FS_SHADOW);
    rec.uniform(shadow, "reference", 0.5f32).unwrap();
    // Default "<=": passes where the reference is at most the stored depth.
    let less_equal = draw(&mut rec, shadow, 2, 1);
    let greater = TextureParameter::CompareFunc(Some(CompareFunc::Greater));
    rec.texture_parameter(depth, greater).unwrap();
    let greater = draw(&mut rec, shadow, 2, 1);
    let readbacks = replay(&rec.finish());
    assert_eq!(readbacks.get(raw).unwrap(), &depths[..]);
    let black = [0, 0, 0, 0];
    let white = [255; 4];
    assert_eq!(
        readbacks.get(less_equal).unwrap(),
        &[black, white].concat()[..]
    );
    assert_eq!(
        readbacks.get(greater).unwrap(),
        &[white, black].concat()[..]
    );
}

#[test]
fn a_sampler_overrides_the_texture_parameters_of_its_unit_until_cleared() {
    let mut rec = Recorder::new();
    let texture = texture_2x2(&mut rec);
    let nearest = TextureParameter::Filter(MinFilter::Nearest, MagFilter::Nearest);
    rec.texture_parameter(texture, nearest).unwrap();
    rec.use_texture(texture, 4).unwrap();
    let program = program(&mut rec, FS_2D);
    rec.uniform(program, "tex", 4i32).unwrap();
    rec.uniform(program, "shift", [1.0f32, 0.0]).unwrap();
    let sampler = rec.sampler().unwrap();
    rec.sampler_parameter(sampler, nearest).unwrap();
    rec.sampler_parameter(sampler, TextureParameter::RepeatX(false))
        .unwrap();
    rec.use_sampler(sampler, 4).unwrap();
    let clamped = draw(&mut rec, program, 2, 2);
    let border = [Float(0.0), Float(0.0), Float(1.0), Float(1.0)];
    rec.sampler_parameter(sampler, TextureParameter::BorderColor(border))
        .unwrap();
    let bordered = draw(&mut rec, program, 2, 2);
    rec.clear_sampler(4).unwrap();
    let repeated = draw(&mut rec, program, 2, 2);
    let readbacks = replay(&rec.finish());
    let [_, green, _, white] = TEXELS;
    assert_eq!(
        readbacks.get(clamped).unwrap(),
        &[green, green, white, white].concat()[..]
    );
    assert_eq!(
        readbacks.get(bordered).unwrap(),
        &[0, 0, 255, 255].repeat(4)[..]
    );
    assert_eq!(readbacks.get(repeated).unwrap(), &texels()[..]);
}

#[test]
fn a_sampler_lod_range_picks_the_mipmap_level() {
    let mut rec = Recorder::new();
    // 2x2 level 0 of one color; build_mipmaps makes its 1x1 level 1, then level 1 is
    // written another color.
    let texture = rec
        .texture(
            TextureDesc::texture(2, 2, 4),
            Some(&[50u8, 60, 70, 255].repeat(4)),
        )
        .unwrap();
    rec.build_mipmaps(texture, 0, 1000).unwrap();
    rec.write_texture(TextureWrite::new(texture).level(1), &[200, 10, 20, 255])
        .unwrap();
    rec.use_texture(texture, 0).unwrap();
    let program = program(&mut rec, FS_2D);
    let sampler = rec.sampler().unwrap();
    let mipmapped = TextureParameter::Filter(MinFilter::NearestMipmapNearest, MagFilter::Nearest);
    rec.sampler_parameter(sampler, mipmapped).unwrap();
    rec.sampler_parameter(sampler, TextureParameter::MinLod(Float(1.0)))
        .unwrap();
    rec.use_sampler(sampler, 0).unwrap();
    let level1 = draw(&mut rec, program, 2, 2);
    rec.sampler_parameter(sampler, TextureParameter::MinLod(Float(-1000.0)))
        .unwrap();
    rec.sampler_parameter(sampler, TextureParameter::MaxLod(Float(0.0)))
        .unwrap();
    let level0 = draw(&mut rec, program, 2, 2);
    let readbacks = replay(&rec.finish());
    assert_eq!(
        readbacks.get(level1).unwrap(),
        &[200u8, 10, 20, 255].repeat(4)[..]
    );
    assert_eq!(
        readbacks.get(level0).unwrap(),
        &[50u8, 60, 70, 255].repeat(4)[..]
    );
}

#[test]
fn a_mipmap_filter_without_mipmaps_samples_black_as_in_moderngl() {
    // Mutable storage with only level 0: the texture is incomplete, and GL samples
    // (0, 0, 0, 1).
    let mut rec = Recorder::new();
    let texture = texture_2x2(&mut rec);
    let mipmapped = TextureParameter::Filter(MinFilter::LinearMipmapLinear, MagFilter::Linear);
    rec.texture_parameter(texture, mipmapped).unwrap();
    rec.use_texture(texture, 0).unwrap();
    let program = program(&mut rec, FS_2D);
    let read = draw(&mut rec, program, 2, 2);
    let readbacks = replay(&rec.finish());
    assert_eq!(
        readbacks.get(read).unwrap(),
        &[0u8, 0, 0, 255].repeat(4)[..]
    );
}

#[test]
fn a_multisample_texture_starts_zeroed() {
    let mut rec = Recorder::new();
    let texture = rec
        .texture(TextureDesc::texture(2, 2, 4).samples(4), None)
        .unwrap();
    rec.use_texture(texture, 0).unwrap();
    rec.texture_parameter(
        texture,
        TextureParameter::Swizzle(Swizzle::parse("R").unwrap()),
    )
    .unwrap();
    let program = program(&mut rec, FS_MULTISAMPLE);
    let read = draw(&mut rec, program, 2, 2);
    let readbacks = replay(&rec.finish());
    assert_eq!(
        readbacks.get(read).unwrap(),
        &[0u8, 0, 0, 128].repeat(4)[..]
    );
}

#[test]
fn a_write_from_a_buffer_takes_the_bytes_at_its_start() {
    let mut rec = Recorder::new();
    let texture = rec
        .texture(TextureDesc::texture(3, 2, 1).alignment(4), None)
        .unwrap();
    let pixels = rec.dynamic_buffer(&[1u8, 2, 3, 0, 4, 5, 6, 0, 99]).unwrap();
    rec.write_texture_from_buffer(TextureWrite::new(texture).alignment(4), pixels)
        .unwrap();
    let first = rec.read_texture(texture, 0, 1).unwrap();
    // The buffer streamed (orphan + full write), then a viewport from it again.
    rec.orphan(pixels, None).unwrap();
    rec.write(pixels, 0, &[7u8, 8, 9, 10, 11, 12, 13, 14, 15])
        .unwrap();
    let at = TextureWrite::new(texture).viewport(TextureRegion::rect(1, 1, 2, 1));
    rec.write_texture_from_buffer(at, pixels).unwrap();
    let second = rec.read_texture(texture, 0, 1).unwrap();
    let too_small = rec.buffer(&[0u8; 7]).unwrap();
    assert_eq!(
        rec.write_texture_from_buffer(TextureWrite::new(texture).alignment(4), too_small)
            .unwrap_err()
            .to_string(),
        "texture write from of 8 bytes at offset 0 is out of range of buffer #1 (size 7 bytes)"
    );
    let list = rec.finish();
    for stream in [
        gltape::StreamStrategy::Faithful,
        gltape::StreamStrategy::Fold,
        gltape::StreamStrategy::Ring,
    ] {
        let mut renderer = Renderer::headless().unwrap();
        let mut options = gltape::ReplayOptions {
            stream,
            ..Default::default()
        };
        let validated = list.validate().unwrap();
        let readbacks = renderer
            .replay_with(&validated, &mut options)
            .unwrap()
            .readbacks;
        assert_eq!(
            readbacks.get(first).unwrap(),
            &[1, 2, 3, 4, 5, 6],
            "{stream:?}"
        );
        assert_eq!(
            readbacks.get(second).unwrap(),
            &[1, 2, 3, 4, 7, 8],
            "{stream:?}"
        );
    }
}

#[test]
fn every_replay_starts_with_no_texture_bound() {
    let mut bind = Recorder::new();
    let texture = texture_2x2(&mut bind);
    bind.use_texture(texture, 0).unwrap();
    let sampler = bind.sampler().unwrap();
    bind.use_sampler(sampler, 0).unwrap();
    let bind = bind.finish();
    // A draw sampling unit 0 with nothing bound there reads (0, 0, 0, 1).
    let mut sample = Recorder::new();
    let program = program(&mut sample, FS_2D);
    let read = draw(&mut sample, program, 2, 2);
    let sample = sample.finish();
    let mut renderer = Renderer::headless().unwrap();
    renderer.replay(&bind).unwrap();
    let readbacks = renderer.replay(&sample).unwrap();
    assert_eq!(
        readbacks.get(read).unwrap(),
        &[0u8, 0, 0, 255].repeat(4)[..]
    );
}

#[test]
fn frames_that_write_a_texture_replay_in_resident_loops() {
    let mut rec = Recorder::new();
    let texture = rec.texture(TextureDesc::texture(2, 2, 4), None).unwrap();
    let program = program(&mut rec, FS_2D);
    rec.use_texture(texture, 0).unwrap();
    let quad = rec.buffer(&QUAD).unwrap();
    let vao = rec
        .vertex_array(program, &[(quad, "2f", &["in_pos"])], None)
        .unwrap();
    let fbo = rec.framebuffer(2, 2, &[ColorFormat::Rgba8], false).unwrap();
    rec.use_framebuffer(fbo).unwrap();
    rec.end_frame();
    for frame in 0..3u8 {
        rec.write_texture(TextureWrite::new(texture), &[frame * 50; 16])
            .unwrap();
        rec.render(vao, Draw::new(Mode::TriangleStrip)).unwrap();
        rec.read_pixels(fbo, None, 4, 0, PixelType::F1).unwrap();
        rec.end_frame();
    }
    let list = rec.finish();
    let validated = list.validate().unwrap();
    let end_of_setup = list.commands().iter().position(|c| c.name() == "end_frame");
    validated
        .check_repeat(end_of_setup.unwrap() + 1, list.len())
        .unwrap();
    let mut renderer = Renderer::headless().unwrap();
    let mut options = gltape::ReplayOptions {
        frames: Some(1..4),
        loops: 3,
        ..Default::default()
    };
    let replay = renderer.replay_with(&validated, &mut options).unwrap();
    assert!(replay.stats.resident);
    assert_eq!(replay.stats.upload_bytes, 3 * 3 * 16);
    for (frame, pixels) in replay.readbacks.iter().enumerate() {
        assert_eq!(pixels, &[frame as u8 * 50; 16][..]);
    }
}

#[test]
fn the_documented_texture_example_replays_as_it_says() {
    let doc = include_str!("../docs/text-format.md");
    let block = (doc.split("```jsonl\n").skip(1))
        .find(|block| block.contains("write_texture"))
        .expect("the texture example");
    let example = &block[..block.find("```").unwrap()];
    let readbacks = replay(&gltape::text::assemble(example).unwrap());
    assert_eq!(
        readbacks.get(ReadbackId::from_index(0)).unwrap(),
        &texels()[..]
    );
    let mut written = texels();
    written[12..].copy_from_slice(&[128, 128, 128, 255]);
    assert_eq!(
        readbacks.get(ReadbackId::from_index(1)).unwrap(),
        &written[..]
    );
}

#[test]
fn capture_reads_a_texture_at_once() {
    let mut capture = gltape::Capture::headless().unwrap();
    let texture = capture
        .record(|rec| rec.texture(TextureDesc::texture(2, 1, 1).alignment(2), Some(&[7, 9])))
        .unwrap();
    let read = capture
        .record(|rec| rec.read_texture(texture, 0, 1))
        .unwrap();
    assert_eq!(capture.readback(read), Some(&[7u8, 9][..]));
}

#[test]
fn a_texture_of_one_segment_is_sampled_and_written_by_the_next() {
    let mut renderer = Renderer::headless().unwrap();
    let mut rec = Recorder::new();
    let texture = texture_2x2(&mut rec);
    let program = program(&mut rec, FS_2D);
    rec.use_texture(texture, 7).unwrap();
    rec.uniform(program, "tex", 7i32).unwrap();
    renderer.submit(&rec.flush().unwrap()).unwrap();
    let first = draw(&mut rec, program, 2, 2);
    rec.write_texture(TextureWrite::new(texture), &[9; 16])
        .unwrap();
    let second = draw(&mut rec, program, 2, 2);
    let readbacks = renderer.submit(&rec.flush().unwrap()).unwrap();
    assert_eq!(readbacks.get(first).unwrap(), &texels()[..]);
    assert_eq!(readbacks.get(second).unwrap(), &[9u8; 16][..]);
}

#[test]
fn textures_count_toward_the_replay_limits() {
    let mut rec = Recorder::new();
    // 16 MiB of level 0, a third more with mipmaps; reads count their padded bytes.
    let texture = rec
        .texture(TextureDesc::texture(2048, 2048, 4), None)
        .unwrap();
    rec.build_mipmaps(texture, 0, 1000).unwrap();
    rec.read_texture(texture, 1, 8).unwrap();
    let list = rec.finish();
    let list = list.validate().unwrap();
    let mut renderer = Renderer::headless().unwrap();
    let limited = |objects: u64, readbacks: u64| gltape::ReplayOptions {
        limits: gltape::ReplayLimits {
            max_object_bytes: objects,
            max_readback_bytes: readbacks,
            ..gltape::ReplayLimits::default()
        },
        ..Default::default()
    };
    let mipmapped = (0..12u64).map(|l| (2048u64 >> l).pow(2) * 4).sum::<u64>();
    let level1 = 1024 * 1024 * 4;
    let error = renderer
        .replay_with(&list, &mut limited(mipmapped - 1, u64::MAX))
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with(&format!(
            "command #1 (build_mipmaps): bytes of live GL objects would reach {mipmapped}"
        )),
        "{error}"
    );
    let error = renderer
        .replay_with(&list, &mut limited(mipmapped, level1 - 1))
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("command #2 (read_texture): readback bytes"),
        "{error}"
    );
    renderer
        .replay_with(&list, &mut limited(mipmapped, level1))
        .unwrap();
}
