//! Renderbuffers and framebuffers over them (ModernGL's `ctx.renderbuffer`,
//! `ctx.depth_renderbuffer`, `ctx.framebuffer(color_attachments, depth_attachment)`,
//! `ctx.copy_framebuffer`), replayed on llvmpipe with exact bytes: every dtype cleared and
//! read, integer and float attachments drawn, depth reads, multisample resolves, releases, and
//! every call's refusals.

use gltape::{
    Attachment, Capability, Capture, CommandList, CopyTarget, Draw, FramebufferId, Mode, PixelType,
    ProgramDesc, ProgramId, ReadbackId, Readbacks, Recorder, Rect, RenderbufferId, Renderer,
    ReplayOptions, StreamStrategy, ValidationError, VertexArrayId,
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
