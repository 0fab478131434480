//! Renderbuffers and framebuffers over them and over textures (ModernGL's
//! `ctx.renderbuffer`, `ctx.depth_renderbuffer`, `ctx.framebuffer(color_attachments,
//! depth_attachment)`, `ctx.copy_framebuffer`), replayed on llvmpipe with exact bytes: every
//! dtype cleared and read, integer and float attachments drawn, depth reads, multisample
//! resolves, releases, and every call's refusals; textures drawn into and sampled, single
//! layers, slices, faces and levels, layered attachments, shadow maps, multisample textures
//! resolved, copies into textures.

use gltape::{
    Attachment, Capability, Capture, CommandList, CopyTarget, Draw, FramebufferId, MagFilter,
    MinFilter, Mode, PixelType, ProgramDesc, ProgramId, ReadbackId, Readbacks, Recorder, Rect,
    RenderbufferId, Renderer, ReplayOptions, StreamStrategy, TextureDesc, TextureId,
    TextureParameter, ValidationError, VertexArrayId,
};

fn replay(list: &CommandList) -> Readbacks {
    let mut renderer = Renderer::headless().unwrap();
    renderer.replay(list).unwrap()
}

fn bytes(readbacks: &Readbacks, id: ReadbackId) -> Vec<u8> {
    readbacks.get(id).unwrap().to_vec()
}

/// A framebuffer over `color` renderbuffers and an optional depth one.
fn framebuffer(
    rec: &mut Recorder,
    color: &[RenderbufferId],
    depth: Option<RenderbufferId>,
) -> FramebufferId {
    let color: Vec<Attachment> = color.iter().map(|&r| r.into()).collect();
    rec.framebuffer_from(&color, depth.map(Attachment::from))
        .unwrap()
}

/// The bytes of `values` as `dtype` components (little-endian), for integer and float dtypes.
fn pack(dtype: PixelType, values: &[i64]) -> Vec<u8> {
    values
        .iter()
        .flat_map(|&v| match dtype.size() {
            1 => vec![v as u8],
            2 => (v as u16).to_le_bytes().to_vec(),
            _ => (v as u32).to_le_bytes().to_vec(),
        })
        .collect()
}

/// What a clear to `rgba` leaves in one pixel of `components` components of `dtype`, read
/// back with the same dtype.
fn cleared(dtype: PixelType, components: usize, rgba: [f32; 4]) -> Vec<u8> {
    let values = &rgba[..components];
    let unorm = |v: f32, max: f64| (f64::from(v.clamp(0.0, 1.0)) * max).round() as i64;
    match dtype {
        PixelType::F1 | PixelType::Nu1 => pack(
            dtype,
            &values.iter().map(|&v| unorm(v, 255.0)).collect::<Vec<_>>(),
        ),
        PixelType::Nu2 => pack(
            dtype,
            &values
                .iter()
                .map(|&v| unorm(v, 65535.0))
                .collect::<Vec<_>>(),
        ),
        // Stored as R8 / R16 (unsigned normalized, as ModernGL picks), read as signed
        // normalized: the stored fraction times 127 or 32767.
        PixelType::Ni1 => pack(
            dtype,
            &(values.iter())
                .map(|&v| (unorm(v, 255.0) as f64 / 255.0 * 127.0).round() as i64)
                .collect::<Vec<_>>(),
        ),
        PixelType::Ni2 => pack(
            dtype,
            &(values.iter())
                .map(|&v| (unorm(v, 65535.0) as f64 / 65535.0 * 32767.0).round() as i64)
                .collect::<Vec<_>>(),
        ),
        PixelType::F2 => values.iter().flat_map(|&v| half(v).to_le_bytes()).collect(),
        PixelType::F4 => values.iter().flat_map(|v| v.to_le_bytes()).collect(),
        // Integers: each float's bits, saturated to the dtype's range.
        PixelType::U1 | PixelType::U2 | PixelType::U4 => {
            let max = (1u64 << (8 * dtype.size())) - 1;
            let v: Vec<i64> = (values.iter())
                .map(|v| u64::from(v.to_bits()).min(max) as i64)
                .collect();
            pack(dtype, &v)
        }
        PixelType::I1 | PixelType::I2 | PixelType::I4 => {
            let max = (1i64 << (8 * dtype.size() - 1)) - 1;
            let v: Vec<i64> = (values.iter())
                .map(|v| i64::from(v.to_bits() as i32).clamp(-max - 1, max))
                .collect();
            pack(dtype, &v)
        }
    }
}

/// The half float of the values of [`FLOATS`] (each exact in a half).
fn half(v: f32) -> u16 {
    match v.to_bits() {
        0x3E80_0000 => 0x3400,
        0xC020_0000 => 0xC100,
        0x4480_0000 => 0x6400,
        0x8000_0000 => 0x8000,
        _ => panic!("no half for {v}"),
    }
}

/// Clear values: for normalized formats (which clamp -1.0 to 0; none lies halfway between
/// two steps of 8 or 16 bits), for float formats (each exact in a half), and for integer
/// formats as float bits (5, 300, -7, 70000).
const NORMALIZED: [f32; 4] = [0.2, 0.6, 1.0, -1.0];
const FLOATS: [f32; 4] = [0.25, -2.5, 1024.0, -0.0];
const INTEGERS: [u32; 4] = [5, 300, -7i32 as u32, 70000];

#[test]
fn every_dtype_and_component_count_clears_and_reads_back() {
    let mut rec = Recorder::new();
    let mut reads = Vec::new();
    for dtype in PixelType::ALL {
        for components in 1..=4u8 {
            let rgba = match dtype {
                _ if dtype.is_integer() => INTEGERS.map(f32::from_bits),
                PixelType::F2 | PixelType::F4 => FLOATS,
                _ => NORMALIZED,
            };
            let rb = rec.renderbuffer(3, 2, components, 0, dtype).unwrap();
            let fbo = framebuffer(&mut rec, &[rb], None);
            // Zeroed at creation.
            let zero = rec.read_pixels(fbo, None, components, 0, dtype).unwrap();
            rec.clear_framebuffer(fbo, rgba, 1.0, None).unwrap();
            let read = rec.read_pixels(fbo, None, components, 0, dtype).unwrap();
            reads.push((dtype, components, rgba, zero, read));
        }
    }
    let readbacks = replay(&rec.finish());
    for (dtype, components, rgba, zero, read) in reads {
        let size = 6 * usize::from(components) * dtype.size() as usize;
        assert_eq!(
            bytes(&readbacks, zero),
            vec![0; size],
            "{dtype:?} x{components}"
        );
        let pixel = cleared(dtype, usize::from(components), rgba);
        assert_eq!(
            bytes(&readbacks, read),
            pixel.repeat(6),
            "{dtype:?} x{components}"
        );
    }
}

const QUAD_VS: &str = "#version 450 core
in vec2 pos;
uniform float z;
void main() { gl_Position = vec4(pos, z, 1.0); }";

/// A program writing `outputs` (GLSL declarations and assignments) with [`QUAD_VS`].
fn program(rec: &mut Recorder, outputs: &str) -> ProgramId {
    let fs = format!("#version 450 core\n{outputs}");
    rec.program(ProgramDesc::new(QUAD_VS).fragment(&fs))
        .unwrap()
}

/// A vertex array drawing a triangle strip through `corners` (x0, y0, x1, y1) in NDC.
fn quad(rec: &mut Recorder, program: ProgramId, corners: [f32; 4]) -> VertexArrayId {
    let [x0, y0, x1, y1] = corners;
    let vbo = rec.buffer(&[x0, y0, x1, y0, x0, y1, x1, y1]).unwrap();
    rec.vertex_array(program, &[(vbo, "2f", &["pos"])], None)
        .unwrap()
}

const STRIP: Draw = Draw {
    mode: Mode::TriangleStrip,
    vertices: None,
    first: 0,
    instances: 1,
};

#[test]
fn draws_write_float_and_integer_attachments_of_mixed_formats() {
    let mut rec = Recorder::new();
    let colors = [
        rec.renderbuffer(4, 4, 4, 0, PixelType::F1).unwrap(),
        rec.renderbuffer(4, 4, 2, 0, PixelType::U2).unwrap(),
        rec.renderbuffer(4, 4, 1, 0, PixelType::I4).unwrap(),
        rec.renderbuffer(4, 4, 3, 0, PixelType::F4).unwrap(),
        rec.renderbuffer(4, 4, 4, 0, PixelType::I1).unwrap(),
    ];
    let fbo = framebuffer(&mut rec, &colors, None);
    rec.use_framebuffer(fbo).unwrap();
    let prog = program(
        &mut rec,
        "layout(location = 0) out vec4 a;
layout(location = 1) out uvec2 b;
layout(location = 2) out int c;
layout(location = 3) out vec3 d;
layout(location = 4) out vec4 wrong;
void main() {
    a = vec4(1.0, 0.2, 0.6, 1.0);
    b = uvec2(65535u, 1234u);
    c = -123456;
    d = vec3(-2.5, 1e10, 0.125);
    wrong = vec4(1.0);
}",
    );
    rec.uniform(prog, "z", 0.0f32).unwrap();
    // Covers the left half: columns 0 and 1.
    let vao = quad(&mut rec, prog, [-1.0, -1.0, 0.0, 1.0]);
    rec.render(vao, STRIP).unwrap();
    let reads = [
        rec.read_pixels(fbo, None, 4, 0, PixelType::F1).unwrap(),
        rec.read_pixels(fbo, None, 2, 1, PixelType::U2).unwrap(),
        rec.read_pixels(fbo, None, 1, 2, PixelType::I4).unwrap(),
        rec.read_pixels(fbo, None, 3, 3, PixelType::F4).unwrap(),
        rec.read_pixels(fbo, None, 4, 4, PixelType::I1).unwrap(),
    ];
    let readbacks = replay(&rec.finish());
    let drawn: [Vec<u8>; 4] = [
        vec![255, 51, 153, 255],
        [65535u16, 1234]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect(),
        (-123456i32).to_le_bytes().to_vec(),
        [-2.5f32, 1e10, 0.125]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect(),
    ];
    for (attachment, pixel) in drawn.iter().enumerate() {
        let rows = bytes(&readbacks, reads[attachment]);
        let blank = vec![0; pixel.len()];
        let row = [pixel.clone(), pixel.clone(), blank.clone(), blank].concat();
        assert_eq!(rows, row.repeat(4), "attachment {attachment}");
    }
    // A float output into an integer attachment is left out of the draw buffers: GL would
    // leave the attachment undefined.
    assert_eq!(bytes(&readbacks, reads[4]), vec![0; 64]);
}

#[test]
fn depth_reads_give_the_drawn_depth_in_every_dtype() {
    let mut rec = Recorder::new();
    let color = rec.renderbuffer(4, 4, 4, 0, PixelType::F1).unwrap();
    let depth = rec.depth_renderbuffer(4, 4, 0).unwrap();
    let fbo = framebuffer(&mut rec, &[color], Some(depth));
    let zeroed = rec.read_depth(fbo, None, PixelType::F4).unwrap();
    rec.use_framebuffer(fbo).unwrap();
    rec.clear_framebuffer(fbo, [0.0; 4], 1.0, None).unwrap();
    rec.enable(Capability::DepthTest);
    let prog = program(&mut rec, "out vec4 f;\nvoid main() { f = vec4(1.0); }");
    // NDC z 0.0 is window depth 0.5, over the bottom half (rows 0 and 1).
    rec.uniform(prog, "z", 0.0f32).unwrap();
    let vao = quad(&mut rec, prog, [-1.0, -1.0, 1.0, 0.0]);
    rec.render(vao, STRIP).unwrap();
    let reads: Vec<_> = [PixelType::F4, PixelType::Nu2, PixelType::F1, PixelType::U4]
        .into_iter()
        .map(|dtype| (dtype, rec.read_depth(fbo, None, dtype).unwrap()))
        .collect();
    let corner = rec
        .read_depth(fbo, Some(Rect::new(1, 1, 2, 2)), PixelType::F4)
        .unwrap();
    let readbacks = replay(&rec.finish());
    assert_eq!(bytes(&readbacks, zeroed), vec![0; 64]);
    // 0.5 in a 24-bit depth buffer reads back as 0x3F000001 on llvmpipe, as in ModernGL (the
    // differential suite compares the bytes).
    let half = f32::from_bits(0x3F00_0001).to_le_bytes();
    for (dtype, read) in reads {
        let (near, far): (Vec<u8>, Vec<u8>) = match dtype {
            PixelType::F4 => (half.to_vec(), 1.0f32.to_le_bytes().to_vec()),
            PixelType::Nu2 => (0x8000u16.to_le_bytes().to_vec(), vec![0xff; 2]),
            PixelType::F1 => (vec![0x7f], vec![0xff]),
            _ => (0x8000_0080u32.to_le_bytes().to_vec(), vec![0xff; 4]),
        };
        let expected = [near.repeat(8), far.repeat(8)].concat();
        assert_eq!(bytes(&readbacks, read), expected, "{dtype:?}");
    }
    let expected = [
        half.to_vec(),
        half.to_vec(),
        1.0f32.to_le_bytes().to_vec(),
        1.0f32.to_le_bytes().to_vec(),
    ]
    .concat();
    assert_eq!(bytes(&readbacks, corner), expected);
}

/// Records a 4x-multisampled 8x8 framebuffer with depth, cleared to opaque black, with a
/// triangle over its lower-left half (the diagonal through the corners) in orange at depth
/// 0.5: the framebuffer, the program and the triangle's vertex array.
fn multisampled_triangle(rec: &mut Recorder, samples: u8) -> FramebufferId {
    let color = rec.renderbuffer(8, 8, 4, samples, PixelType::F1).unwrap();
    let depth = rec.depth_renderbuffer(8, 8, samples).unwrap();
    let msaa = framebuffer(rec, &[color], Some(depth));
    rec.use_framebuffer(msaa).unwrap();
    rec.clear_framebuffer(msaa, [0.0, 0.0, 0.0, 1.0], 1.0, None)
        .unwrap();
    let prog = program(
        rec,
        "out vec4 f;\nvoid main() { f = vec4(1.0, 0.5, 0.25, 1.0); }",
    );
    rec.uniform(prog, "z", 0.0f32).unwrap();
    let vbo = rec.buffer(&[-1.0f32, -1.0, 1.0, -1.0, -1.0, 1.0]).unwrap();
    let vao = rec
        .vertex_array(prog, &[(vbo, "2f", &["pos"])], None)
        .unwrap();
    rec.enable(Capability::DepthTest);
    rec.render(vao, Draw::new(Mode::Triangles)).unwrap();
    msaa
}

#[test]
fn copy_framebuffer_resolves_samples() {
    let mut rec = Recorder::new();
    let msaa = multisampled_triangle(&mut rec, 4);
    let color = rec.renderbuffer(8, 8, 4, 0, PixelType::F1).unwrap();
    let depth = rec.depth_renderbuffer(8, 8, 0).unwrap();
    let resolved = framebuffer(&mut rec, &[color], Some(depth));
    rec.copy_framebuffer(resolved, msaa).unwrap();
    let pixels = rec
        .read_pixels(resolved, None, 4, 0, PixelType::F1)
        .unwrap();
    let depths = rec.read_depth(resolved, None, PixelType::F4).unwrap();
    let readbacks = replay(&rec.finish());
    let pixels = bytes(&readbacks, pixels);
    let depths = bytes(&readbacks, depths);
    let (orange, black) = ([255u8, 128, 64, 255], [0u8, 0, 0, 255]);
    for y in 0..8 {
        for x in 0..8 {
            let at = 4 * (8 * y + x);
            let pixel: [u8; 4] = pixels[at..at + 4].try_into().unwrap();
            let depth = f32::from_le_bytes(depths[at..at + 4].try_into().unwrap());
            if x + y < 7 {
                // Wholly inside the triangle: every sample orange.
                assert_eq!(pixel, orange, "({x}, {y})");
                assert_eq!(depth.to_bits(), 0x3F00_0001, "({x}, {y})");
            } else if x + y > 7 {
                assert_eq!(pixel, black, "({x}, {y})");
                assert_eq!(depth, 1.0, "({x}, {y})");
            } else {
                // On the diagonal: the average of the samples each side of it.
                for c in 0..3 {
                    assert!(
                        pixel[c] > black[c] && pixel[c] < orange[c],
                        "({x}, {y}): {pixel:?}"
                    );
                }
                assert_eq!(pixel[3], 255);
            }
        }
    }
}

#[test]
fn copy_framebuffer_copies_every_attachment_and_only_the_common_size() {
    let mut rec = Recorder::new();
    let src_colors = [
        rec.renderbuffer(4, 4, 4, 0, PixelType::F4).unwrap(),
        rec.renderbuffer(4, 4, 2, 0, PixelType::U1).unwrap(),
    ];
    let src = framebuffer(&mut rec, &src_colors, None);
    rec.clear_framebuffer(src, [0.25, 2.0, -1.0, 1.0], 1.0, None)
        .unwrap();
    // Float values go to a normalized attachment (converted); integers to wider integers.
    let dst_colors = [
        rec.renderbuffer(3, 5, 4, 0, PixelType::F1).unwrap(),
        rec.renderbuffer(3, 5, 1, 0, PixelType::U4).unwrap(),
    ];
    let dst = framebuffer(&mut rec, &dst_colors, None);
    rec.clear_framebuffer(dst, [0.0, 0.0, 1.0, 1.0], 1.0, None)
        .unwrap();
    rec.copy_framebuffer(dst, src).unwrap();
    let color = rec.read_pixels(dst, None, 4, 0, PixelType::F1).unwrap();
    let integer = rec.read_pixels(dst, None, 1, 1, PixelType::U4).unwrap();
    let readbacks = replay(&rec.finish());
    // 3 wide (the destination's width), 4 high (the source's height); row 4 kept.
    let copied = [64u8, 255, 0, 255];
    let kept = [0u8, 0, 255, 255];
    let expected = [copied.repeat(12), kept.repeat(3)].concat();
    assert_eq!(bytes(&readbacks, color), expected);
    // The destination's red is cleared to 0.0, whose bits are 0.
    let bits = [255u32.to_le_bytes().repeat(12), vec![0; 12]];
    assert_eq!(bytes(&readbacks, integer), bits.concat());
}

#[test]
fn depth_only_framebuffers_copy_nothing_as_in_moderngl() {
    let mut rec = Recorder::new();
    let a = rec.depth_renderbuffer(2, 2, 0).unwrap();
    let b = rec.depth_renderbuffer(2, 2, 0).unwrap();
    let src = framebuffer(&mut rec, &[], Some(a));
    let dst = framebuffer(&mut rec, &[], Some(b));
    rec.clear_framebuffer(src, [0.0; 4], 0.25, None).unwrap();
    rec.clear_framebuffer(dst, [0.0; 4], 0.75, None).unwrap();
    rec.copy_framebuffer(dst, src).unwrap();
    let read = rec.read_depth(dst, None, PixelType::F4).unwrap();
    let readbacks = replay(&rec.finish());
    assert_eq!(bytes(&readbacks, read), 0.75f32.to_le_bytes().repeat(4));
}

#[test]
fn copy_framebuffer_into_and_out_of_the_screen() {
    let mut rec = Recorder::new();
    let color = rec.renderbuffer(4, 4, 4, 0, PixelType::F1).unwrap();
    let depth = rec.depth_renderbuffer(4, 4, 0).unwrap();
    let fbo = framebuffer(&mut rec, &[color], Some(depth));
    rec.clear_framebuffer(fbo, [1.0, 0.0, 0.0, 1.0], 0.25, None)
        .unwrap();
    rec.clear_framebuffer(FramebufferId::SCREEN, [0.0, 1.0, 0.0, 1.0], 1.0, None)
        .unwrap();
    rec.copy_framebuffer(FramebufferId::SCREEN, fbo).unwrap();
    let screen = rec
        .read_pixels(
            FramebufferId::SCREEN,
            Some(Rect::new(2, 2, 4, 4)),
            4,
            0,
            PixelType::F1,
        )
        .unwrap();
    let screen_depth = rec
        .read_depth(
            FramebufferId::SCREEN,
            Some(Rect::new(2, 2, 4, 4)),
            PixelType::F4,
        )
        .unwrap();
    // And back: the screen's lower-left 4x4 corner into a framebuffer cleared to blue.
    rec.clear_framebuffer(fbo, [0.0, 0.0, 1.0, 1.0], 1.0, None)
        .unwrap();
    rec.copy_framebuffer(fbo, FramebufferId::SCREEN).unwrap();
    let back = rec.read_pixels(fbo, None, 4, 0, PixelType::F1).unwrap();
    let readbacks = replay(&rec.finish());
    let (red, green) = ([255u8, 0, 0, 255], [0u8, 255, 0, 255]);
    let row = [red.repeat(2), green.repeat(2)].concat();
    let expected = [row.repeat(2), green.repeat(8)].concat();
    assert_eq!(bytes(&readbacks, screen), expected);
    // 0.25 in a 24-bit depth buffer reads back as 0x3E800001 on llvmpipe, as in ModernGL;
    // copied into the screen's 24-bit depth (with stencil) unchanged.
    let (quarter, one) = (f32::from_bits(0x3E80_0001), 1.0f32);
    let row = [quarter.to_le_bytes().repeat(2), one.to_le_bytes().repeat(2)].concat();
    let expected = [row.repeat(2), one.to_le_bytes().repeat(8)].concat();
    assert_eq!(bytes(&readbacks, screen_depth), expected);
    assert_eq!(bytes(&readbacks, back), red.repeat(16));
}

#[test]
fn a_released_renderbuffer_lives_on_in_its_framebuffers() {
    let mut rec = Recorder::new();
    let color = rec.renderbuffer(2, 2, 4, 0, PixelType::F1).unwrap();
    let fbo = framebuffer(&mut rec, &[color], None);
    let other = framebuffer(&mut rec, &[color], None);
    rec.use_framebuffer(fbo).unwrap();
    rec.clear_framebuffer(fbo, [1.0, 0.0, 1.0, 1.0], 1.0, None)
        .unwrap();
    // Released while attached to the framebuffer in use and to another one.
    rec.release(color).unwrap();
    let prog = program(
        &mut rec,
        "out vec4 f;\nvoid main() { f = vec4(0.0, 1.0, 0.0, 1.0); }",
    );
    rec.uniform(prog, "z", 0.0f32).unwrap();
    let vao = quad(&mut rec, prog, [-1.0, -1.0, 0.0, 1.0]);
    rec.render(vao, STRIP).unwrap();
    let read = rec.read_pixels(other, None, 4, 0, PixelType::F1).unwrap();
    // Not in a new framebuffer.
    let error = rec.framebuffer_from(&[color.into()], None).unwrap_err();
    assert!(matches!(error, ValidationError::Released { .. }), "{error}");
    rec.release(fbo).unwrap();
    let again = rec.read_pixels(other, None, 4, 0, PixelType::F1).unwrap();
    let list = rec.finish();
    let mut renderer = Renderer::headless().unwrap();
    let readbacks = renderer.replay(&list).unwrap();
    let (green, magenta) = ([0u8, 255, 0, 255], [255u8, 0, 255, 255]);
    let expected = [green, magenta].concat().repeat(2);
    assert_eq!(bytes(&readbacks, read), expected);
    assert_eq!(bytes(&readbacks, again), expected);
    // The vertex buffer, program, vertex array and the other framebuffer: no renderbuffer
    // name is left.
    assert_eq!(renderer.live_objects(), 4);
}

#[test]
fn renderbuffers_count_as_live_objects_until_released() {
    let mut rec = Recorder::new();
    let a = rec.renderbuffer(2, 2, 4, 0, PixelType::F1).unwrap();
    let b = rec.depth_renderbuffer(2, 2, 0).unwrap();
    let fbo = framebuffer(&mut rec, &[a], Some(b));
    let list = rec.list().clone();
    let mut renderer = Renderer::headless().unwrap();
    renderer.replay(&list).unwrap();
    assert_eq!(renderer.live_objects(), 3);
    rec.release(fbo).unwrap();
    rec.release(a).unwrap();
    rec.release(b).unwrap();
    renderer.replay(&rec.finish()).unwrap();
    assert_eq!(renderer.live_objects(), 0);
}

/// The error of a call that must be refused.
fn refused<T: std::fmt::Debug>(result: Result<T, ValidationError>) -> String {
    result.unwrap_err().to_string()
}

#[test]
fn renderbuffers_refuse_what_moderngl_and_gl_refuse() {
    let mut rec = Recorder::new();
    assert!(refused(rec.renderbuffer(0, 2, 4, 0, PixelType::F1)).contains("size 0x2"));
    assert!(refused(rec.renderbuffer(2, 16385, 4, 0, PixelType::F1)).contains("16384"));
    assert!(refused(rec.renderbuffer(2, 2, 0, 0, PixelType::F1)).contains("1 to 4 components"));
    assert!(refused(rec.renderbuffer(2, 2, 5, 0, PixelType::F1)).contains("got 5"));
    for samples in [3, 5, 8, 16] {
        let error = refused(rec.renderbuffer(2, 2, 4, samples, PixelType::F1));
        assert!(error.contains("power of two up to 4"), "{error}");
        assert!(refused(rec.depth_renderbuffer(2, 2, samples)).contains("power of two"));
    }
    // Nothing was recorded; the next id is still 0.
    assert_eq!(
        rec.renderbuffer(2, 2, 4, 1, PixelType::F1).unwrap().index(),
        0
    );
}

#[test]
fn framebuffers_refuse_mismatched_and_misplaced_attachments() {
    let mut rec = Recorder::new();
    let small = rec.renderbuffer(2, 2, 4, 0, PixelType::F1).unwrap();
    let wide = rec.renderbuffer(3, 2, 4, 0, PixelType::F1).unwrap();
    let msaa = rec.renderbuffer(2, 2, 4, 4, PixelType::F1).unwrap();
    let depth = rec.depth_renderbuffer(2, 2, 0).unwrap();
    let error = refused(rec.framebuffer_from(&[small.into(), wide.into()], None));
    assert!(error.contains("one size and sample count"), "{error}");
    assert!(error.contains("3x2 with 0 samples"), "{error}");
    let msaa_depth = rec.depth_renderbuffer(2, 2, 4).unwrap();
    let error = refused(rec.framebuffer_from(&[small.into()], Some(msaa_depth.into())));
    assert!(error.contains("2x2 with 4 samples"), "{error}");
    assert!(refused(rec.framebuffer_from(&[small.into(), msaa.into()], None)).contains("samples"));
    let error = refused(rec.framebuffer_from(&[depth.into()], None));
    assert_eq!(
        error,
        "renderbuffer #3 holds depth: it cannot be color attachment 0"
    );
    let error = refused(rec.framebuffer_from(&[], Some(small.into())));
    assert_eq!(
        error,
        "renderbuffer #0 holds color: it cannot be the depth attachment"
    );
    assert!(refused(rec.framebuffer_from(&[], None)).contains("got 0 color and 0 depth"));
    let nine: Vec<Attachment> = (0..9)
        .map(|_| rec.renderbuffer(2, 2, 1, 0, PixelType::F1).unwrap().into())
        .collect();
    assert!(refused(rec.framebuffer_from(&nine, None)).contains("1 to 8 color attachments"));
    framebuffer(&mut rec, &[small], Some(depth));
    framebuffer(&mut rec, &[small, small], None);
    rec.framebuffer_from(&nine[..8], None).unwrap();
    let undefined = RenderbufferId::from_index(99);
    assert!(refused(rec.framebuffer_from(&[undefined.into()], None)).contains("not defined"));
    rec.release(wide).unwrap();
    assert!(refused(rec.framebuffer_from(&[wide.into()], None)).contains("already released"));
    assert!(refused(rec.release(wide)).contains("already released"));
    rec.finish().validate().unwrap();
}

#[test]
fn reads_refuse_multisampled_framebuffers_and_dtypes_of_the_other_kind() {
    let mut rec = Recorder::new();
    let color = rec.renderbuffer(2, 2, 4, 2, PixelType::F1).unwrap();
    let depth = rec.depth_renderbuffer(2, 2, 2).unwrap();
    let msaa = framebuffer(&mut rec, &[color], Some(depth));
    let error = refused(rec.read_pixels(msaa, None, 4, 0, PixelType::F1));
    assert!(error.contains("is multisampled"), "{error}");
    assert!(refused(rec.read_depth(msaa, None, PixelType::F4)).contains("is multisampled"));
    let float = rec.renderbuffer(2, 2, 4, 0, PixelType::F2).unwrap();
    let integer = rec.renderbuffer(2, 2, 4, 0, PixelType::I2).unwrap();
    let fbo = framebuffer(&mut rec, &[float, integer], None);
    let error = refused(rec.read_pixels(fbo, None, 4, 0, PixelType::U1));
    assert_eq!(
        error,
        "framebuffer #2's color attachment 0 is float: it cannot be read as dtype 'u1'"
    );
    let error = refused(rec.read_pixels(fbo, None, 4, 1, PixelType::F1));
    assert_eq!(
        error,
        "framebuffer #2's color attachment 1 is integer: it cannot be read as dtype 'f1'"
    );
    assert!(refused(rec.read_pixels(fbo, None, 4, 2, PixelType::F1)).contains("does not exist"));
    assert!(refused(rec.read_depth(fbo, None, PixelType::F4)).contains("no depth attachment"));
    let error = refused(rec.read_depth(fbo, Some(Rect::new(1, 1, 2, 2)), PixelType::F4));
    assert!(error.contains("no depth attachment"), "{error}");
    // Integer attachments read with any integer dtype (GL converts), floats with any float.
    rec.read_pixels(fbo, None, 4, 1, PixelType::U4).unwrap();
    rec.read_pixels(fbo, None, 4, 0, PixelType::Nu1).unwrap();
    rec.release(fbo).unwrap();
    let error = refused(rec.read_pixels(fbo, None, 4, 0, PixelType::F1));
    assert!(error.contains("already released"), "{error}");
    replay(&rec.finish());
}

#[test]
fn copies_refuse_what_gl_refuses_or_leaves_undefined() {
    let mut rec = Recorder::new();
    let f1 = rec.renderbuffer(2, 2, 4, 0, PixelType::F1).unwrap();
    let f4 = rec.renderbuffer(2, 2, 4, 0, PixelType::F4).unwrap();
    let u1 = rec.renderbuffer(2, 2, 4, 0, PixelType::U1).unwrap();
    let i1 = rec.renderbuffer(2, 2, 4, 0, PixelType::I1).unwrap();
    let ms2 = rec.renderbuffer(2, 2, 4, 2, PixelType::F1).unwrap();
    let ms4 = rec.renderbuffer(2, 2, 4, 4, PixelType::F1).unwrap();
    let [a, b, c, d, e, f] = [f1, f4, u1, i1, ms2, ms4].map(|r| framebuffer(&mut rec, &[r], None));
    let pair = [
        rec.renderbuffer(2, 2, 4, 0, PixelType::F1).unwrap(),
        rec.renderbuffer(2, 2, 4, 0, PixelType::F1).unwrap(),
    ];
    let two = framebuffer(&mut rec, &pair, None);
    let error = refused(rec.copy_framebuffer(c, a));
    assert_eq!(error, "copy_framebuffer: color attachment 0 holds dtype 'f1' in framebuffer #1 and 'u1' in framebuffer #3; floats copy only to floats, integers only to integers of the same signedness");
    assert!(refused(rec.copy_framebuffer(d, c)).contains("'u1'"));
    assert!(refused(rec.copy_framebuffer(two, b)).contains("the counts must be equal"));
    assert!(
        refused(rec.copy_framebuffer(FramebufferId::SCREEN, two)).contains("(2 color attachments)")
    );
    let error = refused(rec.copy_framebuffer(f, e));
    assert!(
        error.contains("(2 samples) into framebuffer #6 (4 samples)"),
        "{error}"
    );
    assert!(refused(rec.copy_framebuffer(a, a)).contains("the same image"));
    // Two framebuffers over one renderbuffer.
    let shared = framebuffer(&mut rec, &[f1], None);
    assert!(refused(rec.copy_framebuffer(shared, a)).contains("the same image"));
    let dst = CopyTarget::Framebuffer(FramebufferId::from_index(99));
    assert!(refused(rec.copy_framebuffer(dst, a)).contains("not defined"));
    // What GL does copy: float to float of another format, a resolve, single samples into
    // multisampled ones, one sample count to the same.
    rec.copy_framebuffer(b, a).unwrap();
    rec.copy_framebuffer(a, f).unwrap();
    rec.copy_framebuffer(e, b).unwrap();
    let ms4b = rec.renderbuffer(2, 2, 4, 4, PixelType::F4).unwrap();
    let g = framebuffer(&mut rec, &[ms4b], None);
    rec.copy_framebuffer(g, f).unwrap();
    rec.copy_framebuffer(FramebufferId::SCREEN, a).unwrap();
    rec.copy_framebuffer(a, FramebufferId::SCREEN).unwrap();
    replay(&rec.finish());
}

#[test]
fn integer_multisampling_is_checked_against_the_context() {
    // llvmpipe allows 4 samples for integer formats too (GL guarantees only 1).
    let mut rec = Recorder::new();
    let rb = rec.renderbuffer(2, 2, 4, 4, PixelType::U2).unwrap();
    let ms = framebuffer(&mut rec, &[rb], None);
    rec.clear_framebuffer(ms, [f32::from_bits(7); 4], 1.0, None)
        .unwrap();
    let single = rec.renderbuffer(2, 2, 4, 0, PixelType::U2).unwrap();
    let single = framebuffer(&mut rec, &[single], None);
    rec.copy_framebuffer(single, ms).unwrap();
    let read = rec.read_pixels(single, None, 4, 0, PixelType::U2).unwrap();
    let readbacks = replay(&rec.finish());
    assert_eq!(bytes(&readbacks, read), 7u16.to_le_bytes().repeat(16));
}

#[test]
fn every_stream_strategy_and_a_capture_give_the_same_bytes() {
    let mut rec = Recorder::new();
    let msaa = multisampled_triangle(&mut rec, 4);
    let color = rec.renderbuffer(8, 8, 4, 0, PixelType::F1).unwrap();
    let resolved = framebuffer(&mut rec, &[color], None);
    rec.end_frame();
    rec.copy_framebuffer(resolved, msaa).unwrap();
    rec.read_pixels(resolved, None, 4, 0, PixelType::F1)
        .unwrap();
    rec.release(color).unwrap();
    rec.read_pixels(resolved, None, 4, 0, PixelType::F1)
        .unwrap();
    rec.end_frame();
    let list = rec.finish();
    let list = list.validate().unwrap();
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
        let readbacks = renderer.replay_with(&list, &mut options).unwrap().readbacks;
        results.push(readbacks.iter().map(<[u8]>::to_vec).collect::<Vec<_>>());
    }
    assert!(results.iter().all(|r| *r == results[0]));
    assert_eq!(results[0].len(), 2);
    assert_eq!(results[0][0], results[0][1]);

    let mut capture = Capture::headless().unwrap();
    let rb = capture
        .record(|rec| rec.renderbuffer(2, 1, 2, 0, PixelType::I2))
        .unwrap();
    let fbo = capture
        .record(|rec| rec.framebuffer_from(&[rb.into()], None))
        .unwrap();
    capture
        .record(|rec| {
            rec.clear_framebuffer(
                fbo,
                [f32::from_bits(-3i32 as u32), f32::from_bits(9), 0.0, 0.0],
                1.0,
                None,
            )
        })
        .unwrap();
    let read = capture
        .record(|rec| rec.read_pixels(fbo, None, 2, 0, PixelType::I2))
        .unwrap();
    let pixel = [(-3i16).to_le_bytes(), 9i16.to_le_bytes()].concat();
    assert_eq!(capture.readback(read), Some(&pixel.repeat(2)[..]));
}

#[test]
fn a_screenshot_of_a_framebuffer_gl_cannot_read_as_rgba8_is_an_error() {
    let cases: [(u8, PixelType, &str); 3] = [
        (4, PixelType::F1, "is multisampled"),
        (
            0,
            PixelType::U1,
            "is integer: it cannot be read as dtype 'f1'",
        ),
        (0, PixelType::F2, ""),
    ];
    for (samples, dtype, message) in cases {
        let mut rec = Recorder::new();
        let rb = rec.renderbuffer(2, 2, 4, samples, dtype).unwrap();
        let fbo = framebuffer(&mut rec, &[rb], None);
        rec.use_framebuffer(fbo).unwrap();
        let mut renderer = Renderer::headless().unwrap();
        renderer.replay(&rec.finish()).unwrap();
        match renderer.read_framebuffer_in_use() {
            Ok((width, height, pixels)) => {
                assert!(message.is_empty());
                assert_eq!((width, height, pixels), (2, 2, vec![0; 16]));
            }
            Err(error) => assert!(error.to_string().contains(message), "{error}"),
        }
    }
}

#[test]
fn new_renderbuffers_leave_the_state_of_the_framebuffer_in_use_as_it_was() {
    let mut rec = Recorder::new();
    let color = rec.renderbuffer(4, 4, 4, 0, PixelType::F1).unwrap();
    let fbo = framebuffer(&mut rec, &[color], None);
    rec.use_framebuffer(fbo).unwrap();
    rec.clear_framebuffer(fbo, [0.0, 0.0, 0.0, 1.0], 1.0, None)
        .unwrap();
    rec.color_mask(fbo, 0, [true, false, true, true]).unwrap();
    rec.scissor(fbo, Some(Rect::new(0, 0, 2, 4))).unwrap();
    rec.enable(Capability::RasterizerDiscard);
    // Zeroed with the scissor off, every mask open and no discard; then all three are back.
    let other = rec.renderbuffer(4, 4, 1, 4, PixelType::I2).unwrap();
    let depth = rec.depth_renderbuffer(4, 4, 4).unwrap();
    framebuffer(&mut rec, &[other], Some(depth));
    let prog = program(&mut rec, "out vec4 f;\nvoid main() { f = vec4(1.0); }");
    rec.uniform(prog, "z", 0.0f32).unwrap();
    let vao = quad(&mut rec, prog, [-1.0, -1.0, 1.0, 1.0]);
    rec.render(vao, STRIP).unwrap();
    let discarded = rec.read_pixels(fbo, None, 4, 0, PixelType::F1).unwrap();
    rec.disable(Capability::RasterizerDiscard);
    rec.render(vao, STRIP).unwrap();
    let drawn = rec.read_pixels(fbo, None, 4, 0, PixelType::F1).unwrap();
    let readbacks = replay(&rec.finish());
    let black = [0u8, 0, 0, 255];
    assert_eq!(bytes(&readbacks, discarded), black.repeat(16));
    let row = [[255u8, 0, 255, 255].repeat(2), black.repeat(2)].concat();
    assert_eq!(bytes(&readbacks, drawn), row.repeat(4));
}

// --- Textures as attachments and as copy destinations -----------------------------------

/// Level 0, layer `layer` of `texture`.
fn layer(texture: TextureId, layer: u32) -> Attachment {
    Attachment::Texture {
        texture,
        level: 0,
        layer: Some(layer),
    }
}

/// Level `level` of `texture`, every layer.
fn level(texture: TextureId, level: u32) -> Attachment {
    Attachment::Texture {
        texture,
        level,
        layer: None,
    }
}

const NEAREST: TextureParameter = TextureParameter::Filter(MinFilter::Nearest, MagFilter::Nearest);

/// Draws `fs` (sampling unit 0 at `uv`, 0 to 1 over the target) over the whole framebuffer
/// in use.
fn draw_sampling(rec: &mut Recorder, fs: &str) {
    let vs = "#version 450 core
in vec2 pos;
out vec2 uv;
void main() { uv = pos * 0.5 + 0.5; gl_Position = vec4(pos, 0.0, 1.0); }";
    let fs = format!("#version 450 core\nin vec2 uv;\n{fs}");
    let prog = rec.program(ProgramDesc::new(vs).fragment(&fs)).unwrap();
    let vbo = rec
        .buffer(&[-1.0f32, -1.0, 1.0, -1.0, -1.0, 1.0, 1.0, 1.0])
        .unwrap();
    let vao = rec
        .vertex_array(prog, &[(vbo, "2f", &["pos"])], None)
        .unwrap();
    rec.render(vao, STRIP).unwrap();
}

/// Draws `color` (a GLSL vec4) over the rectangle `corners` of the framebuffer in use, at
/// NDC depth `z`.
fn draw_color(rec: &mut Recorder, color: &str, corners: [f32; 4], z: f32) {
    let prog = program(rec, &format!("out vec4 f;\nvoid main() {{ f = {color}; }}"));
    rec.uniform(prog, "z", z).unwrap();
    let vao = quad(rec, prog, corners);
    rec.render(vao, STRIP).unwrap();
}

const RED: [u8; 4] = [255, 0, 0, 255];
const GREEN: [u8; 4] = [0, 255, 0, 255];
const BLUE: [u8; 4] = [0, 0, 255, 255];

#[test]
fn a_texture_drawn_into_is_sampled_in_a_second_pass() {
    let mut rec = Recorder::new();
    let target = rec.texture(TextureDesc::texture(4, 4, 4), None).unwrap();
    rec.texture_parameter(target, NEAREST).unwrap();
    let fbo = rec.framebuffer_from(&[target.into()], None).unwrap();
    let zeroed = rec.read_pixels(fbo, None, 4, 0, PixelType::F1).unwrap();
    rec.use_framebuffer(fbo).unwrap();
    rec.clear_framebuffer(fbo, [1.0, 0.0, 0.0, 1.0], 1.0, None)
        .unwrap();
    draw_color(
        &mut rec,
        "vec4(0.0, 1.0, 0.0, 1.0)",
        [-1.0, -1.0, 0.0, 1.0],
        0.0,
    );
    let drawn = rec.read_pixels(fbo, None, 4, 0, PixelType::F1).unwrap();
    let texels = rec.read_texture(target, 0, 1).unwrap();
    // Second pass: the texture sampled over a framebuffer of its size.
    let screen = rec.renderbuffer(4, 4, 4, 0, PixelType::F1).unwrap();
    let second = framebuffer(&mut rec, &[screen], None);
    rec.use_framebuffer(second).unwrap();
    rec.use_texture(target, 0).unwrap();
    draw_sampling(
        &mut rec,
        "uniform sampler2D tex;\nout vec4 f;\nvoid main() { f = texture(tex, uv).bgra; }",
    );
    let sampled = rec.read_pixels(second, None, 4, 0, PixelType::F1).unwrap();
    let readbacks = replay(&rec.finish());
    let row = [GREEN, GREEN, RED, RED].concat();
    assert_eq!(bytes(&readbacks, zeroed), vec![0; 64]);
    assert_eq!(bytes(&readbacks, drawn), row.repeat(4));
    assert_eq!(bytes(&readbacks, texels), row.repeat(4));
    let swapped = [[0u8, 255, 0, 255], [0, 255, 0, 255], BLUE, BLUE].concat();
    assert_eq!(bytes(&readbacks, sampled), swapped.repeat(4));
}

#[test]
fn single_layers_slices_faces_and_levels_are_attached() {
    let mut rec = Recorder::new();
    // Layer 1 of a 2x2 array of 3 layers.
    let array = rec.texture(TextureDesc::array(2, 2, 3, 4), None).unwrap();
    let fbo = rec.framebuffer_from(&[layer(array, 1)], None).unwrap();
    rec.clear_framebuffer(fbo, [0.0, 0.0, 1.0, 1.0], 1.0, None)
        .unwrap();
    let array_read = rec.read_texture(array, 0, 1).unwrap();
    // Slice 2 of a 2x2x4 3D texture, and slice 1 of its level 1 (1x1x2).
    let volume = rec
        .texture(TextureDesc::texture3d(2, 2, 4, 4), None)
        .unwrap();
    rec.build_mipmaps(volume, 0, 1).unwrap();
    let slice = rec.framebuffer_from(&[layer(volume, 2)], None).unwrap();
    rec.clear_framebuffer(slice, [1.0, 0.0, 0.0, 1.0], 1.0, None)
        .unwrap();
    let volume_read = rec.read_texture(volume, 0, 1).unwrap();
    let small = |rec: &mut Recorder, slice| {
        let attachment = Attachment::Texture {
            texture: volume,
            level: 1,
            layer: Some(slice),
        };
        rec.framebuffer_from(&[attachment], None).unwrap()
    };
    let (slice0, slice1) = (small(&mut rec, 0), small(&mut rec, 1));
    rec.clear_framebuffer(slice1, [0.0, 1.0, 0.0, 1.0], 1.0, None)
        .unwrap();
    let level1 = [
        rec.read_pixels(slice0, None, 4, 0, PixelType::F1).unwrap(),
        rec.read_pixels(slice1, None, 4, 0, PixelType::F1).unwrap(),
    ];
    // Face 3 (-Y) of a cube map.
    let cube = rec.texture(TextureDesc::cube(2, 2, 4), None).unwrap();
    let face = rec.framebuffer_from(&[layer(cube, 3)], None).unwrap();
    rec.clear_framebuffer(face, [0.0, 1.0, 0.0, 1.0], 1.0, None)
        .unwrap();
    let faces = [2, 3].map(|f| rec.read_texture_face(cube, f, 1).unwrap());
    // Level 1 (2x2) of a 4x4 texture: the framebuffer is the level's size.
    let data: Vec<u8> = (0..64).collect();
    let flat = rec
        .texture(TextureDesc::texture(4, 4, 4), Some(&data))
        .unwrap();
    rec.build_mipmaps(flat, 0, 2).unwrap();
    let mip = rec.framebuffer_from(&[level(flat, 1)], None).unwrap();
    rec.use_framebuffer(mip).unwrap();
    draw_color(
        &mut rec,
        "vec4(0.0, 0.0, 1.0, 1.0)",
        [-1.0, -1.0, 0.0, 1.0],
        0.0,
    );
    let mip_read = rec.read_pixels(mip, None, 4, 0, PixelType::F1).unwrap();
    let flat_reads = [0, 1].map(|l| rec.read_texture(flat, l, 1).unwrap());

    let readbacks = replay(&rec.finish());
    let zero = vec![0u8; 16];
    let blue = BLUE.repeat(4);
    assert_eq!(
        bytes(&readbacks, array_read),
        [&zero[..], &blue, &zero].concat()
    );
    let red = RED.repeat(4);
    let slices = [&zero[..], &zero, &red, &zero].concat();
    assert_eq!(bytes(&readbacks, volume_read), slices);
    assert_eq!(bytes(&readbacks, level1[0]), vec![0; 4]);
    assert_eq!(bytes(&readbacks, level1[1]), GREEN.to_vec());
    assert_eq!(bytes(&readbacks, faces[0]), zero);
    assert_eq!(bytes(&readbacks, faces[1]), GREEN.repeat(4));
    // Level 1 of 0..64 holds the average of each 2x2 block of level 0: texel (x, y) holds
    // 32y + 8x + 10 + c (exact); the draw made column 0 blue.
    let expected: Vec<u8> = (0..2u8)
        .flat_map(|y| [BLUE, [0, 1, 2, 3].map(|c| 32 * y + 8 + 10 + c)].concat())
        .collect();
    assert_eq!(bytes(&readbacks, mip_read), expected);
    assert_eq!(bytes(&readbacks, flat_reads[1]), expected);
    assert_eq!(bytes(&readbacks, flat_reads[0]), data);
}

/// A program whose geometry shader sends its triangles to layer `layer` (gl_Layer) with
/// color `color`.
fn layer_program(rec: &mut Recorder, layer: u32, color: &str) -> VertexArrayId {
    let vs = "#version 450 core\nin vec2 pos;\nvoid main() { gl_Position = vec4(pos, 0.0, 1.0); }";
    let gs = format!(
        "#version 450 core
layout(triangles) in;
layout(triangle_strip, max_vertices = 3) out;
void main() {{
    for (int i = 0; i < 3; i++) {{
        gl_Layer = {layer};
        gl_Position = gl_in[i].gl_Position;
        EmitVertex();
    }}
}}"
    );
    let fs = format!("#version 450 core\nout vec4 f;\nvoid main() {{ f = {color}; }}");
    let desc = ProgramDesc::new(vs).geometry(&gs).fragment(&fs);
    let prog = rec.program(desc).unwrap();
    let vbo = rec
        .buffer(&[-1.0f32, -1.0, 1.0, -1.0, -1.0, 1.0, 1.0, 1.0])
        .unwrap();
    rec.vertex_array(prog, &[(vbo, "2f", &["pos"])], None)
        .unwrap()
}

#[test]
fn layered_attachments_clear_every_layer_and_draw_where_gl_layer_says() {
    let mut rec = Recorder::new();
    let array = rec.texture(TextureDesc::array(2, 2, 3, 4), None).unwrap();
    let cube = rec.texture(TextureDesc::cube(2, 2, 4), None).unwrap();
    let volume = rec
        .texture(TextureDesc::texture3d(2, 2, 4, 4), None)
        .unwrap();
    // ModernGL's attachment of a texture array: every layer.
    let layered = rec.framebuffer_from(&[array.into()], None).unwrap();
    rec.clear_framebuffer(layered, [1.0, 0.0, 0.0, 1.0], 1.0, None)
        .unwrap();
    rec.use_framebuffer(layered).unwrap();
    // Without a geometry shader, layer 0; with one, the layer it picks.
    draw_color(
        &mut rec,
        "vec4(0.0, 1.0, 0.0, 1.0)",
        [-1.0, -1.0, 1.0, 1.0],
        0.0,
    );
    let vao = layer_program(&mut rec, 2, "vec4(0.0, 0.0, 1.0, 1.0)");
    rec.render(vao, STRIP).unwrap();
    let array_read = rec.read_texture(array, 0, 1).unwrap();
    // Reads read layer 0.
    let layer0 = rec.read_pixels(layered, None, 4, 0, PixelType::F1).unwrap();
    // Every face of a cube map, every slice of a 3D texture.
    for (texture, target) in [(cube, 4), (volume, 3)] {
        let fbo = rec.framebuffer_from(&[texture.into()], None).unwrap();
        rec.clear_framebuffer(fbo, [0.0, 1.0, 0.0, 1.0], 1.0, None)
            .unwrap();
        rec.use_framebuffer(fbo).unwrap();
        let vao = layer_program(&mut rec, target, "vec4(1.0, 0.0, 0.0, 1.0)");
        rec.render(vao, STRIP).unwrap();
    }
    let faces: Vec<_> = (0..6)
        .map(|f| rec.read_texture_face(cube, f, 1).unwrap())
        .collect();
    let slices = rec.read_texture(volume, 0, 1).unwrap();
    let readbacks = replay(&rec.finish());
    let [red, green, blue] = [RED, GREEN, BLUE].map(|c| c.repeat(4));
    assert_eq!(
        bytes(&readbacks, array_read),
        [&green[..], &red, &blue].concat()
    );
    assert_eq!(bytes(&readbacks, layer0), green);
    for (face, read) in faces.into_iter().enumerate() {
        let expected = if face == 4 { &red } else { &green };
        assert_eq!(&bytes(&readbacks, read), expected, "face {face}");
    }
    let expected = [&green[..], &green, &green, &red].concat();
    assert_eq!(bytes(&readbacks, slices), expected);
}

#[test]
fn a_depth_texture_drawn_into_is_a_shadow_map() {
    let mut rec = Recorder::new();
    let shadow = rec.texture(TextureDesc::depth(4, 4), None).unwrap();
    rec.texture_parameter(shadow, NEAREST).unwrap();
    // A depth-only framebuffer over it, as ModernGL's shadow maps.
    let map = rec.framebuffer_from(&[], Some(shadow.into())).unwrap();
    rec.use_framebuffer(map).unwrap();
    rec.clear_framebuffer(map, [0.0; 4], 1.0, None).unwrap();
    rec.enable(Capability::DepthTest);
    // The left half at NDC z 0: depth 0.5.
    draw_color(&mut rec, "vec4(1.0)", [-1.0, -1.0, 0.0, 1.0], 0.0);
    rec.disable(Capability::DepthTest);
    let depths = rec.read_depth(map, None, PixelType::F4).unwrap();
    let texels = rec.read_texture(shadow, 0, 4).unwrap();
    // Sampled with its comparison (`<=`, ModernGL's default) against 0.75, then without.
    let lit = rec.renderbuffer(4, 4, 4, 0, PixelType::F4).unwrap();
    let lit = framebuffer(&mut rec, &[lit], None);
    rec.use_framebuffer(lit).unwrap();
    rec.use_texture(shadow, 0).unwrap();
    let shadowed = "uniform sampler2DShadow tex;\nout vec4 f;\n\
        void main() { f = vec4(texture(tex, vec3(uv, 0.75))); }";
    draw_sampling(&mut rec, shadowed);
    let compared = rec.read_pixels(lit, None, 1, 0, PixelType::F4).unwrap();
    rec.texture_parameter(shadow, TextureParameter::CompareFunc(None))
        .unwrap();
    let plain = "uniform sampler2D tex;\nout vec4 f;\nvoid main() { f = texture(tex, uv); }";
    draw_sampling(&mut rec, plain);
    let sampled = rec.read_pixels(lit, None, 1, 0, PixelType::F4).unwrap();
    let readbacks = replay(&rec.finish());
    // 0.5 in 24 bits reads back as 0x3F000001 on llvmpipe (see the depth-read test).
    let half = f32::from_bits(0x3F00_0001);
    let row = |a: f32, b: f32| [a, a, b, b].map(f32::to_le_bytes).concat();
    assert_eq!(bytes(&readbacks, depths), row(half, 1.0).repeat(4));
    assert_eq!(bytes(&readbacks, texels), row(half, 1.0).repeat(4));
    assert_eq!(bytes(&readbacks, compared), row(0.0, 1.0).repeat(4));
    assert_eq!(bytes(&readbacks, sampled), row(half, 1.0).repeat(4));
}

/// `multisampled_triangle` over textures: a 4x-multisampled 8x8 color texture and depth
/// texture, cleared to opaque black, with the orange triangle over its lower-left half.
fn multisampled_texture_triangle(rec: &mut Recorder) -> FramebufferId {
    let color = rec
        .texture(TextureDesc::texture(8, 8, 4).samples(4), None)
        .unwrap();
    let depth = rec
        .texture(TextureDesc::depth(8, 8).samples(4), None)
        .unwrap();
    let msaa = rec
        .framebuffer_from(&[color.into()], Some(depth.into()))
        .unwrap();
    rec.use_framebuffer(msaa).unwrap();
    rec.clear_framebuffer(msaa, [0.0, 0.0, 0.0, 1.0], 1.0, None)
        .unwrap();
    let prog = program(
        rec,
        "out vec4 f;\nvoid main() { f = vec4(1.0, 0.5, 0.25, 1.0); }",
    );
    rec.uniform(prog, "z", 0.0f32).unwrap();
    let vbo = rec.buffer(&[-1.0f32, -1.0, 1.0, -1.0, -1.0, 1.0]).unwrap();
    let vao = rec
        .vertex_array(prog, &[(vbo, "2f", &["pos"])], None)
        .unwrap();
    rec.enable(Capability::DepthTest);
    rec.render(vao, Draw::new(Mode::Triangles)).unwrap();
    msaa
}

#[test]
fn multisample_textures_resolve_as_multisampled_renderbuffers_do() {
    let mut rec = Recorder::new();
    // Zeroed: resolved before anything is drawn.
    let fresh = rec
        .texture(TextureDesc::texture(2, 2, 4).samples(4), None)
        .unwrap();
    let fresh = rec.framebuffer_from(&[fresh.into()], None).unwrap();
    let plain = rec
        .texture(TextureDesc::texture(2, 2, 4), Some(&[9; 16]))
        .unwrap();
    let plain = rec.framebuffer_from(&[plain.into()], None).unwrap();
    rec.copy_framebuffer(plain, fresh).unwrap();
    let zeroed = rec.read_pixels(plain, None, 4, 0, PixelType::F1).unwrap();
    // The orange triangle over renderbuffers and over textures, each resolved into textures.
    let resolve = |rec: &mut Recorder, msaa: FramebufferId| {
        let color = rec.texture(TextureDesc::texture(8, 8, 4), None).unwrap();
        let depth = rec.texture(TextureDesc::depth(8, 8), None).unwrap();
        let resolved = rec
            .framebuffer_from(&[color.into()], Some(depth.into()))
            .unwrap();
        rec.copy_framebuffer(resolved, msaa).unwrap();
        [
            rec.read_pixels(resolved, None, 4, 0, PixelType::F1)
                .unwrap(),
            rec.read_depth(resolved, None, PixelType::F4).unwrap(),
            rec.read_texture(color, 0, 1).unwrap(),
        ]
    };
    let msaa = multisampled_triangle(&mut rec, 4);
    let from_renderbuffers = resolve(&mut rec, msaa);
    let msaa = multisampled_texture_triangle(&mut rec);
    let from_textures = resolve(&mut rec, msaa);
    let readbacks = replay(&rec.finish());
    assert_eq!(bytes(&readbacks, zeroed), vec![0; 16]);
    for (a, b) in from_renderbuffers.into_iter().zip(from_textures) {
        assert_eq!(bytes(&readbacks, a), bytes(&readbacks, b));
    }
    // Resolved: opaque black above the diagonal, orange below, blended along it.
    let pixels = bytes(&readbacks, from_renderbuffers[0]);
    assert_eq!(pixels[..4], [255, 128, 64, 255]);
    assert_eq!(pixels[pixels.len() - 4..], [0, 0, 0, 255]);
    assert_eq!(bytes(&readbacks, from_renderbuffers[2]), pixels);
}

#[test]
fn copy_framebuffer_into_a_texture_fills_its_level_0_from_the_corner() {
    let mut rec = Recorder::new();
    // A 4x4 source: red, its left half drawn green.
    let color = rec.renderbuffer(4, 4, 4, 0, PixelType::F1).unwrap();
    let src = framebuffer(&mut rec, &[color], None);
    rec.use_framebuffer(src).unwrap();
    rec.clear_framebuffer(src, [1.0, 0.0, 0.0, 1.0], 1.0, None)
        .unwrap();
    draw_color(
        &mut rec,
        "vec4(0.0, 1.0, 0.0, 1.0)",
        [-1.0, -1.0, 0.0, 1.0],
        0.0,
    );
    // Into a smaller texture (3x2, RGBA), one of one component (normalized), one of equal
    // size with mipmaps (level 1 is left as it was).
    let rgba = rec
        .texture(TextureDesc::texture(3, 2, 4), Some(&[0x11; 24]))
        .unwrap();
    let red = rec
        .texture(TextureDesc::texture(4, 4, 1).dtype(PixelType::Nu1), None)
        .unwrap();
    let mipmapped = rec
        .texture(TextureDesc::texture(4, 4, 4), Some(&[7; 64]))
        .unwrap();
    rec.build_mipmaps(mipmapped, 0, 1).unwrap();
    for texture in [rgba, red, mipmapped] {
        rec.copy_framebuffer(texture, src).unwrap();
    }
    let reads = [
        rec.read_texture(rgba, 0, 1).unwrap(),
        rec.read_texture(red, 0, 1).unwrap(),
        rec.read_texture(mipmapped, 0, 1).unwrap(),
        rec.read_texture(mipmapped, 1, 1).unwrap(),
    ];
    // Floats are clamped into the normalized texture.
    let floats = rec.renderbuffer(2, 2, 4, 0, PixelType::F4).unwrap();
    let floats = framebuffer(&mut rec, &[floats], None);
    rec.clear_framebuffer(floats, [0.25, 2.0, -1.0, 1.0], 1.0, None)
        .unwrap();
    let clamped = rec.texture(TextureDesc::texture(2, 2, 4), None).unwrap();
    rec.copy_framebuffer(clamped, floats).unwrap();
    let clamped = rec.read_texture(clamped, 0, 1).unwrap();
    // From the screen's lower-left corner, and from a framebuffer over a texture's level 1.
    rec.clear_framebuffer(FramebufferId::SCREEN, [0.0, 0.0, 1.0, 1.0], 1.0, None)
        .unwrap();
    let from_screen = rec.texture(TextureDesc::texture(2, 2, 4), None).unwrap();
    rec.copy_framebuffer(from_screen, FramebufferId::SCREEN)
        .unwrap();
    let from_screen = rec.read_texture(from_screen, 0, 1).unwrap();
    let level1 = rec.framebuffer_from(&[level(mipmapped, 1)], None).unwrap();
    rec.clear_framebuffer(level1, [0.0, 0.0, 1.0, 1.0], 1.0, None)
        .unwrap();
    let corner = rec.texture(TextureDesc::texture(2, 2, 4), None).unwrap();
    rec.copy_framebuffer(corner, level1).unwrap();
    let corner = rec.read_texture(corner, 0, 1).unwrap();
    let readbacks = replay(&rec.finish());
    let row = [GREEN, GREEN, RED, RED].concat();
    let three: Vec<u8> = [&row[..12], &row[..12]].concat();
    assert_eq!(bytes(&readbacks, reads[0]), three);
    assert_eq!(bytes(&readbacks, reads[1]), [0, 0, 255, 255].repeat(4));
    assert_eq!(bytes(&readbacks, reads[2]), row.repeat(4));
    assert_eq!(bytes(&readbacks, reads[3]), [7; 16]);
    // 0.25 is 63.75 of 255: 64.
    assert_eq!(bytes(&readbacks, clamped), [64, 255, 0, 255].repeat(4));
    assert_eq!(bytes(&readbacks, from_screen), BLUE.repeat(4));
    assert_eq!(bytes(&readbacks, corner), BLUE.repeat(4));
}

#[test]
fn texture_attachments_refuse_what_moderngl_and_gl_refuse() {
    let mut rec = Recorder::new();
    let color = rec.texture(TextureDesc::texture(2, 2, 4), None).unwrap();
    let wide = rec.renderbuffer(3, 2, 4, 0, PixelType::F1).unwrap();
    let depth = rec.texture(TextureDesc::depth(2, 2), None).unwrap();
    let msaa = rec
        .texture(TextureDesc::texture(2, 2, 4).samples(4), None)
        .unwrap();
    let array = rec.texture(TextureDesc::array(2, 2, 3, 4), None).unwrap();
    let cube = rec.texture(TextureDesc::cube(2, 2, 4), None).unwrap();
    let volume = rec
        .texture(TextureDesc::texture3d(2, 2, 4, 4), None)
        .unwrap();
    rec.build_mipmaps(volume, 0, 1).unwrap();
    let error = refused(rec.framebuffer_from(&[color.into(), wide.into()], None));
    assert_eq!(error, "the attachments of a framebuffer must share one size and sample count: renderbuffer #0 is 3x2 with 0 samples, the first attachment 2x2 with 0 samples");
    let error = refused(rec.framebuffer_from(&[color.into(), msaa.into()], None));
    assert!(
        error.contains("level 0 of texture #2 is 2x2 with 4 samples"),
        "{error}"
    );
    // A level's size is compared: level 1 of the 3D texture is 1x1.
    let error = refused(rec.framebuffer_from(&[color.into(), level(volume, 1)], None));
    assert!(error.contains("level 1 of texture #5 is 1x1"), "{error}");
    let error = refused(rec.framebuffer_from(&[level(color, 1)], None));
    assert_eq!(
        error,
        "texture #0 has no level 1 to attach: levels 0..1 hold images"
    );
    assert!(refused(rec.framebuffer_from(&[level(volume, 2)], None)).contains("levels 0..2"));
    let error = refused(rec.framebuffer_from(&[layer(color, 0)], None));
    assert!(
        error.starts_with("texture #0 (texture) has no layer 0 to attach at level 0: it has 0"),
        "{error}"
    );
    assert!(refused(rec.framebuffer_from(&[layer(array, 3)], None)).contains("it has 3"));
    assert!(refused(rec.framebuffer_from(&[layer(cube, 6)], None)).contains("it has 6"));
    let slice = Attachment::Texture {
        texture: volume,
        level: 1,
        layer: Some(2),
    };
    assert!(refused(rec.framebuffer_from(&[slice], None)).contains("at level 1: it has 2"));
    let error = refused(rec.framebuffer_from(&[depth.into()], None));
    assert_eq!(
        error,
        "level 0 of texture #1 holds depth: it cannot be color attachment 0"
    );
    let error = refused(rec.framebuffer_from(&[], Some(color.into())));
    assert_eq!(
        error,
        "level 0 of texture #0 holds color: it cannot be the depth attachment"
    );
    assert!(refused(rec.framebuffer_from(&[], Some(array.into()))).contains("holds color"));
    // Layered attachments go only with layered ones of one kind.
    let error = refused(rec.framebuffer_from(&[array.into(), color.into()], None));
    assert_eq!(error, "level 0 of texture #0 and level 0 of texture #3 cannot share a framebuffer: its attachments must all be one layer (or a renderbuffer), or all every layer of textures of one kind");
    assert!(refused(rec.framebuffer_from(&[array.into(), cube.into()], None)).contains("share"));
    let depth_rb = rec.depth_renderbuffer(2, 2, 0).unwrap();
    let error = refused(rec.framebuffer_from(&[array.into()], Some(depth_rb.into())));
    assert!(error.contains("cannot share"), "{error}");
    // What goes together: single layers with 2D images, layered arrays of other layer
    // counts, one image twice.
    let other = rec.texture(TextureDesc::array(2, 2, 5, 1), None).unwrap();
    rec.framebuffer_from(
        &[
            layer(array, 2),
            color.into(),
            layer(cube, 5),
            layer(volume, 3),
        ],
        Some(depth.into()),
    )
    .unwrap();
    rec.framebuffer_from(&[array.into(), other.into()], None)
        .unwrap();
    rec.framebuffer_from(&[color.into(), color.into()], None)
        .unwrap();
    let msaa_depth = rec.depth_renderbuffer(2, 2, 4).unwrap();
    rec.framebuffer_from(&[msaa.into()], Some(msaa_depth.into()))
        .unwrap();
    let undefined = TextureId::from_index(99);
    assert!(refused(rec.framebuffer_from(&[undefined.into()], None)).contains("not defined"));
    rec.release(color).unwrap();
    assert!(refused(rec.framebuffer_from(&[color.into()], None)).contains("already released"));
    replay(&rec.finish());
}

#[test]
fn copies_into_textures_refuse_what_moderngl_refuses_or_leaves_undefined() {
    let mut rec = Recorder::new();
    let rb = rec.renderbuffer(4, 4, 4, 0, PixelType::F1).unwrap();
    let src = framebuffer(&mut rec, &[rb], None);
    let texture = |rec: &mut Recorder, desc: TextureDesc| rec.texture(desc, None).unwrap();
    let cases = [
        (
            TextureDesc::array(4, 4, 2, 4),
            "ModernGL copies only into 2D textures (a Texture)",
        ),
        (
            TextureDesc::cube(4, 4, 4),
            "ModernGL copies only into 2D textures (a Texture)",
        ),
        (
            TextureDesc::texture(4, 4, 4).samples(4),
            "multisample texture targets are not accepted",
        ),
        (
            TextureDesc::depth(4, 4),
            "ModernGL's copy would make the depth texture a color one",
        ),
        (
            TextureDesc::texture(4, 4, 4).dtype(PixelType::F4),
            "keep their format",
        ),
        (
            TextureDesc::texture(4, 4, 4).dtype(PixelType::U1),
            "keep their format",
        ),
        (
            TextureDesc::texture(4, 4, 2).dtype(PixelType::Nu2),
            "keep their format",
        ),
        (
            TextureDesc::texture(4, 4, 4).internal_format(gltape::InternalFormat::Srgb8Alpha8),
            "keep their format",
        ),
    ];
    for (desc, problem) in cases {
        let dst = texture(&mut rec, desc);
        let error = refused(rec.copy_framebuffer(dst, src));
        assert!(
            error.starts_with(&format!(
                "copy_framebuffer from framebuffer #1 into {dst}: "
            )),
            "{error}"
        );
        assert!(error.ends_with(problem), "{error}");
    }
    let dst = texture(&mut rec, TextureDesc::texture(4, 4, 4));
    let ms = rec.renderbuffer(4, 4, 4, 4, PixelType::F1).unwrap();
    let ms = framebuffer(&mut rec, &[ms], None);
    let error = refused(rec.copy_framebuffer(dst, ms));
    assert!(
        error.ends_with("multisample framebuffer sources with texture targets are not accepted"),
        "{error}"
    );
    let z = rec.depth_renderbuffer(4, 4, 0).unwrap();
    let depth_only = framebuffer(&mut rec, &[], Some(z));
    let error = refused(rec.copy_framebuffer(dst, depth_only));
    assert!(
        error.ends_with("the source has no color attachment to copy"),
        "{error}"
    );
    let integer = rec.renderbuffer(4, 4, 4, 0, PixelType::U1).unwrap();
    let float = rec.renderbuffer(4, 4, 4, 0, PixelType::F1).unwrap();
    let integer = framebuffer(&mut rec, &[integer, float], None);
    assert!(refused(rec.copy_framebuffer(dst, integer)).contains("holds integers"));
    let small = rec.renderbuffer(4, 3, 4, 0, PixelType::F1).unwrap();
    let small = framebuffer(&mut rec, &[small], None);
    let error = refused(rec.copy_framebuffer(dst, small));
    assert_eq!(error, format!("copy_framebuffer from framebuffer #5 (4x3) into {dst} (4x4): the source must be at least as large as the texture"));
    // Reading the image written.
    let over = rec.framebuffer_from(&[dst.into()], None).unwrap();
    let error = refused(rec.copy_framebuffer(dst, over));
    assert_eq!(error, format!("copy_framebuffer from framebuffer #6 into {dst}: both hold the same image, and GL leaves such a copy undefined"));
    // Framebuffers sharing a texture image.
    let again = rec.framebuffer_from(&[dst.into()], None).unwrap();
    assert!(refused(rec.copy_framebuffer(again, over)).contains("the same image"));
    let array = texture(&mut rec, TextureDesc::array(4, 4, 2, 4));
    let [one, all] =
        [layer(array, 1), array.into()].map(|a| rec.framebuffer_from(&[a], None).unwrap());
    assert!(refused(rec.copy_framebuffer(all, one)).contains("the same image"));
    let zero = rec.framebuffer_from(&[layer(array, 0)], None).unwrap();
    rec.copy_framebuffer(zero, one).unwrap();
    rec.release(dst).unwrap();
    assert!(refused(rec.copy_framebuffer(dst, src)).contains("already released"));
    // The screen's size is known at replay: a texture larger than the screen (64x64).
    let large = texture(&mut rec, TextureDesc::texture(65, 1, 4));
    rec.copy_framebuffer(large, FramebufferId::SCREEN).unwrap();
    let mut renderer = Renderer::headless().unwrap();
    let error = renderer.replay(&rec.finish()).unwrap_err().to_string();
    assert!(error.ends_with(&format!("copy_framebuffer from framebuffer #0 (64x64) into {large} (65x1): the source must be at least as large as the texture")), "{error}");
}

#[test]
fn a_released_texture_lives_on_in_its_framebuffers() {
    let mut rec = Recorder::new();
    let texture = rec.texture(TextureDesc::texture(2, 2, 4), None).unwrap();
    let fbo = rec.framebuffer_from(&[texture.into()], None).unwrap();
    let other = rec.framebuffer_from(&[texture.into()], None).unwrap();
    rec.use_framebuffer(fbo).unwrap();
    rec.use_texture(texture, 3).unwrap();
    rec.clear_framebuffer(fbo, [1.0, 0.0, 1.0, 1.0], 1.0, None)
        .unwrap();
    // Released while attached to the framebuffer in use and to another one (and bound to
    // a unit, which forgets it).
    rec.release(texture).unwrap();
    draw_color(
        &mut rec,
        "vec4(0.0, 1.0, 0.0, 1.0)",
        [-1.0, -1.0, 0.0, 1.0],
        0.0,
    );
    let read = rec.read_pixels(other, None, 4, 0, PixelType::F1).unwrap();
    let error = rec.framebuffer_from(&[texture.into()], None).unwrap_err();
    assert!(matches!(error, ValidationError::Released { .. }), "{error}");
    assert!(refused(rec.read_texture(texture, 0, 1)).contains("already released"));
    rec.release(fbo).unwrap();
    let again = rec.read_pixels(other, None, 4, 0, PixelType::F1).unwrap();
    let list = rec.finish();
    let mut renderer = Renderer::headless().unwrap();
    let readbacks = renderer.replay(&list).unwrap();
    let expected = [GREEN, [255, 0, 255, 255]].concat().repeat(2);
    assert_eq!(bytes(&readbacks, read), expected);
    assert_eq!(bytes(&readbacks, again), expected);
    // The vertex buffer, program, vertex array and the other framebuffer: no texture name
    // is left.
    assert_eq!(renderer.live_objects(), 4);
}

#[test]
fn an_attached_texture_counts_as_live_until_its_last_framebuffer_is_released() {
    // 1024x1024 RGBA8: 4 MiB each. A is released while attached, then B and C are made:
    // 12 MiB at once; once the framebuffer holding A and B are released, D makes 8 MiB.
    const MIB: u64 = 1 << 20;
    let mut rec = Recorder::new();
    let desc = TextureDesc::texture(1024, 1024, 4);
    let a = rec.texture(desc, None).unwrap();
    let fbo = rec.framebuffer_from(&[a.into()], None).unwrap();
    rec.release(a).unwrap();
    let b = rec.texture(desc, None).unwrap();
    rec.texture(desc, None).unwrap();
    rec.release(fbo).unwrap();
    rec.release(b).unwrap();
    rec.texture(desc, None).unwrap();
    let list = rec.finish();
    let list = list.validate().unwrap();
    let limited = |bytes: u64| ReplayOptions {
        limits: gltape::ReplayLimits {
            max_object_bytes: bytes,
            ..gltape::ReplayLimits::default()
        },
        ..ReplayOptions::default()
    };
    let mut renderer = Renderer::headless().unwrap();
    let error = renderer
        .replay_with(&list, &mut limited(12 * MIB - 1))
        .unwrap_err();
    let error = error.to_string();
    assert!(
        error.starts_with(&format!(
            "command #4 (create_texture): bytes of live GL objects would reach {}",
            12 * MIB
        )),
        "{error}"
    );
    renderer.replay_with(&list, &mut limited(12 * MIB)).unwrap();
}

/// Frames drawing into a texture from a vertex buffer orphaned and rewritten each frame, the
/// texture copied into another and resolved from a multisample texture: the readbacks.
fn streamed_texture_frames(rec: &mut Recorder) -> Vec<ReadbackId> {
    let target = rec.texture(TextureDesc::texture(4, 4, 4), None).unwrap();
    let fbo = rec.framebuffer_from(&[target.into()], None).unwrap();
    let copy = rec.texture(TextureDesc::texture(4, 4, 4), None).unwrap();
    let msaa = rec
        .texture(TextureDesc::texture(4, 4, 4).samples(4), None)
        .unwrap();
    let msaa = rec.framebuffer_from(&[msaa.into()], None).unwrap();
    let prog = program(
        rec,
        "out vec4 f;\nvoid main() { f = vec4(0.0, 1.0, 0.5, 1.0); }",
    );
    rec.uniform(prog, "z", 0.0f32).unwrap();
    let vbo = rec.buffer(&[0.0f32; 8]).unwrap();
    let vao = rec
        .vertex_array(prog, &[(vbo, "2f", &["pos"])], None)
        .unwrap();
    rec.end_frame();
    let mut reads = Vec::new();
    for frame in 0..3 {
        let x = -1.0 + 0.5 * frame as f32;
        rec.orphan(vbo, None).unwrap();
        rec.write(vbo, 0, &[-1.0f32, -1.0, x, -1.0, -1.0, 1.0, x, 1.0])
            .unwrap();
        for target in [fbo, msaa] {
            rec.use_framebuffer(target).unwrap();
            rec.clear_framebuffer(target, [1.0, 0.0, 0.0, 1.0], 1.0, None)
                .unwrap();
            rec.render(vao, STRIP).unwrap();
        }
        rec.copy_framebuffer(copy, fbo).unwrap();
        reads.push(rec.read_texture(copy, 0, 1).unwrap());
        rec.copy_framebuffer(fbo, msaa).unwrap();
        reads.push(rec.read_texture(target, 0, 1).unwrap());
        rec.end_frame();
    }
    reads
}

#[test]
fn texture_attachments_replay_alike_under_every_stream_strategy_and_in_a_capture() {
    let mut rec = Recorder::new();
    let reads = streamed_texture_frames(&mut rec);
    let list = rec.finish();
    let list = list.validate().unwrap();
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
        let readbacks = renderer.replay_with(&list, &mut options).unwrap().readbacks;
        results.push(
            reads
                .iter()
                .map(|&r| bytes(&readbacks, r))
                .collect::<Vec<_>>(),
        );
    }
    assert!(results.iter().all(|r| *r == results[0]));
    // Frame f covers its first f columns (x from -1 to -1 + f / 2), on pixel edges.
    let teal = [0u8, 255, 128, 255];
    for (frame, pair) in results[0].chunks(2).enumerate() {
        let row: Vec<u8> = (0..4)
            .flat_map(|x| if x < frame { teal } else { RED })
            .collect();
        assert_eq!(pair[0], row.repeat(4), "frame {frame}");
        assert_eq!(pair[1], row.repeat(4), "frame {frame} resolved");
    }
    let mut capture = Capture::headless().unwrap();
    let reads = capture
        .record(|rec| Ok(streamed_texture_frames(rec)))
        .unwrap();
    let captured: Vec<Vec<u8>> = (reads.iter())
        .map(|&r| capture.readback(r).unwrap().to_vec())
        .collect();
    assert_eq!(captured, results[0]);
}

#[test]
fn the_documented_render_to_texture_example_replays_as_it_says() {
    let doc = include_str!("../docs/text-format.md");
    let block = (doc.split("```jsonl\n").skip(1))
        .find(|block| block.contains("\"copy_framebuffer\""))
        .expect("the render-to-texture example");
    let example = &block[..block.find("```").unwrap()];
    let readbacks = replay(&gltape::text::assemble(example).unwrap());
    let row = [GREEN, RED].concat();
    assert_eq!(bytes(&readbacks, ReadbackId::from_index(0)), row.repeat(2));
    assert_eq!(
        bytes(&readbacks, ReadbackId::from_index(1)),
        GREEN.repeat(2)
    );
}
