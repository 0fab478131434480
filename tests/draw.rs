//! Draws recorded, then replayed on a real OpenGL 4.5 context (Mesa llvmpipe, headless EGL or
//! OSMesa as GLTAPE_BACKEND says), with exact pixels read back.
//!
//! Pixels are read bottom row first, tightly packed: pixel (x, y) of a 64-wide RGBA read starts
//! at byte `(y * 64 + x) * 4`. Checked pixels sit well away from primitive edges.

use gltape::command::{BufferOp, Object};
use gltape::vertex_format::{FormatError, TokenError, TokenPos};
use gltape::{
    Bool, Capability, ColorFormat, CommandList, DMat2, DMat2x3, DMat2x4, DMat3, DMat3x2, DMat3x4,
    DMat4, DMat4x2, DMat4x3, Draw, FramebufferId, Mat2, Mat2x3, Mat2x4, Mat3, Mat3x2, Mat3x4, Mat4,
    Mat4x2, Mat4x3, Mode, PixelType, ProgramDesc, ProgramId, ReadbackId, Readbacks, Recorder, Rect,
    Renderer, ReplayError, ValidationError, VertexArrayId,
};

/// Side of every test framebuffer (and of the headless screen).
const SIZE: usize = 64;

const RED: [u8; 4] = [255, 0, 0, 255];
const GREEN: [u8; 4] = [0, 255, 0, 255];
const BLUE: [u8; 4] = [0, 0, 255, 255];
const BLACK: [u8; 4] = [0, 0, 0, 255];

/// Passes a 2D position through.
const VS: &str = "#version 450 core
in vec2 in_pos;
void main() { gl_Position = vec4(in_pos, 0.0, 1.0); }
";

/// A 3D position and a color per vertex.
const VS_COLOR: &str = "#version 450 core
in vec3 in_pos;
in vec4 in_color;
out vec4 v_color;
void main() {
    gl_Position = vec4(in_pos, 1.0);
    v_color = in_color;
}
";

const FS_COLOR: &str = "#version 450 core
in vec4 v_color;
layout(location = 0) out vec4 color;
void main() { color = v_color; }
";

/// The lower-left half of the viewport: (8, 8) is inside, (56, 56) outside.
const LOWER_LEFT: [f32; 6] = [-1.0, -1.0, 1.0, -1.0, -1.0, 1.0];
/// One triangle covering the whole viewport.
const FULL: [f32; 6] = [-1.0, -1.0, 3.0, -1.0, -1.0, 3.0];

/// Pixel (x, y) of a 64-wide RGBA8 read.
fn pixel(bytes: &[u8], x: usize, y: usize) -> [u8; 4] {
    let at = (y * SIZE + x) * 4;
    bytes[at..at + 4].try_into().unwrap()
}

/// Pixel (x, y) of a 64-wide RGBA float read.
fn pixel_f32(bytes: &[u8], x: usize, y: usize) -> [f32; 4] {
    let at = (y * SIZE + x) * 16;
    bytemuck::pod_read_unaligned(&bytes[at..at + 16])
}

/// Asserts every `(x, y, rgba)` of a 64-wide RGBA8 read.
fn assert_pixels(bytes: &[u8], expected: &[(usize, usize, [u8; 4])]) {
    assert_eq!(bytes.len(), SIZE * SIZE * 4, "a whole 64x64 RGBA8 read");
    for &(x, y, rgba) in expected {
        assert_eq!(pixel(bytes, x, y), rgba, "pixel ({x}, {y})");
    }
}

fn replay(list: &CommandList) -> Readbacks {
    let mut renderer = Renderer::headless().expect("headless OpenGL 4.5 context");
    renderer.replay(list).expect("replay")
}

fn replay_err(list: &CommandList) -> ReplayError {
    let mut renderer = Renderer::headless().expect("headless OpenGL 4.5 context");
    renderer.replay(list).expect_err("replay must fail")
}

fn bytes(readbacks: &Readbacks, id: ReadbackId) -> Vec<u8> {
    readbacks.get(id).expect("readback exists").to_vec()
}

/// The GLSL of a fragment shader writing one constant color.
fn solid_fs(rgba: [f32; 4]) -> String {
    let [r, g, b, a] = rgba;
    format!(
        "#version 450 core
layout(location = 0) out vec4 color;
void main() {{ color = vec4({r:?}, {g:?}, {b:?}, {a:?}); }}
"
    )
}

/// A program drawing [`VS`] positions in one constant color.
fn solid(rec: &mut Recorder, rgba: [f32; 4]) -> ProgramId {
    rec.program(ProgramDesc::new(VS).fragment(&solid_fs(rgba)))
        .unwrap()
}

/// A vertex array over a new buffer of 2D positions, attribute `in_pos`.
fn mesh(rec: &mut Recorder, program: ProgramId, positions: &[f32]) -> VertexArrayId {
    let vbo = rec.buffer(positions).unwrap();
    rec.vertex_array(program, &[(vbo, "2f", &["in_pos"][..])], None)
        .unwrap()
}

/// A new 64x64 framebuffer, in use and cleared to opaque black (depth 1.0).
fn target(rec: &mut Recorder, color: &[ColorFormat], depth: bool) -> FramebufferId {
    let fbo = rec.framebuffer(64, 64, color, depth).unwrap();
    rec.use_framebuffer(fbo).unwrap();
    rec.clear_framebuffer(fbo, [0.0, 0.0, 0.0, 1.0], 1.0, None)
        .unwrap();
    fbo
}

/// A whole RGBA8 read of attachment 0.
fn read_rgba(rec: &mut Recorder, fbo: FramebufferId) -> ReadbackId {
    rec.read_pixels(fbo, None, 4, 0, PixelType::F1).unwrap()
}

/// Draws a full-viewport [`FULL`] triangle with `program` into a new RGBA32F framebuffer and
/// reads its center pixel as floats.
fn center_f32(rec: &mut Recorder, program: ProgramId) -> ReadbackId {
    let vao = mesh(rec, program, &FULL);
    let fbo = target(rec, &[ColorFormat::Rgba32F], false);
    rec.render(vao, Draw::new(Mode::Triangles)).unwrap();
    rec.read_pixels(fbo, Some(Rect::new(32, 32, 1, 1)), 4, 0, PixelType::F4)
        .unwrap()
}

/// Asserts that `call` fails with `expected` and records nothing.
fn rejected<T: std::fmt::Debug>(
    rec: &mut Recorder,
    expected: ValidationError,
    call: impl FnOnce(&mut Recorder) -> Result<T, ValidationError>,
) {
    let before = rec.list().len();
    assert_eq!(call(rec).unwrap_err(), expected);
    assert_eq!(rec.list().len(), before, "a rejected call records nothing");
}

/// The replay error of a list whose last command is a uniform set that must fail, with that
/// command's index. `fs` declares the uniforms; `set` records the failing call.
fn uniform_error(
    fs: &str,
    set: impl FnOnce(&mut Recorder, ProgramId) -> Result<(), ValidationError>,
) -> (usize, ReplayError) {
    let mut rec = Recorder::new();
    let program = rec.program(ProgramDesc::new(VS).fragment(fs)).unwrap();
    let index = rec.list().len();
    set(&mut rec, program).expect("valid at record time");
    let fbo = target(&mut rec, &[ColorFormat::Rgba8], false);
    read_rgba(&mut rec, fbo);
    (index, replay_err(&rec.finish()))
}

// ---------------------------------------------------------------------------------------------
// Rendering

#[test]
fn triangle_into_an_rgba8_framebuffer() {
    let mut rec = Recorder::new();
    let program = solid(&mut rec, [1.0, 0.0, 0.0, 1.0]);
    let vao = mesh(&mut rec, program, &LOWER_LEFT);
    let fbo = target(&mut rec, &[ColorFormat::Rgba8], false);
    rec.render(vao, Draw::new(Mode::Triangles)).unwrap();
    let px = read_rgba(&mut rec, fbo);
    let out = replay(&rec.finish());
    assert_pixels(
        &bytes(&out, px),
        &[
            (8, 8, RED),
            (40, 8, RED),
            (8, 40, RED),
            (56, 56, BLACK),
            (40, 40, BLACK),
            (60, 20, BLACK),
        ],
    );
}

#[test]
fn triangle_on_the_screen() {
    let mut rec = Recorder::new();
    let program = solid(&mut rec, [1.0, 0.0, 0.0, 1.0]);
    let vao = mesh(&mut rec, program, &LOWER_LEFT);
    rec.use_framebuffer(FramebufferId::SCREEN).unwrap();
    rec.clear_framebuffer(FramebufferId::SCREEN, [0.0, 0.0, 0.0, 1.0], 1.0, None)
        .unwrap();
    rec.render(vao, Draw::new(Mode::Triangles)).unwrap();
    let px = read_rgba(&mut rec, FramebufferId::SCREEN);
    let corner = rec
        .read_pixels(
            FramebufferId::SCREEN,
            Some(Rect::new(0, 0, 2, 2)),
            3,
            0,
            PixelType::F1,
        )
        .unwrap();
    let out = replay(&rec.finish());
    assert_pixels(&bytes(&out, px), &[(8, 8, RED), (56, 56, BLACK)]);
    assert_eq!(bytes(&out, corner), [255, 0, 0].repeat(4));
}

#[test]
fn rgba32f_attachment_reads_exact_floats() {
    let mut rec = Recorder::new();
    let program = solid(&mut rec, [0.25, 0.5, 0.75, 1.0]);
    let vao = mesh(&mut rec, program, &LOWER_LEFT);
    let fbo = target(&mut rec, &[ColorFormat::Rgba32F], false);
    rec.render(vao, Draw::new(Mode::Triangles)).unwrap();
    let px = rec.read_pixels(fbo, None, 4, 0, PixelType::F4).unwrap();
    let out = bytes(&replay(&rec.finish()), px);
    assert_eq!(out.len(), SIZE * SIZE * 16);
    assert_eq!(pixel_f32(&out, 8, 8), [0.25, 0.5, 0.75, 1.0]);
    assert_eq!(pixel_f32(&out, 40, 8), [0.25, 0.5, 0.75, 1.0]);
    assert_eq!(pixel_f32(&out, 56, 56), [0.0, 0.0, 0.0, 1.0]);
}

#[test]
fn two_color_attachments_are_cleared_and_drawn() {
    const FS: &str = "#version 450 core
layout(location = 0) out vec4 c0;
layout(location = 1) out vec4 c1;
void main() {
    c0 = vec4(1.0, 0.0, 0.0, 1.0);
    c1 = vec4(0.25, 0.5, 0.75, 1.0);
}
";
    let mut rec = Recorder::new();
    let program = rec.program(ProgramDesc::new(VS).fragment(FS)).unwrap();
    let vao = mesh(&mut rec, program, &LOWER_LEFT);
    let fbo = rec
        .framebuffer(64, 64, &[ColorFormat::Rgba8, ColorFormat::Rgba32F], false)
        .unwrap();
    rec.use_framebuffer(fbo).unwrap();
    rec.clear_framebuffer(fbo, [0.0, 0.0, 1.0, 1.0], 1.0, None)
        .unwrap();
    rec.render(vao, Draw::new(Mode::Triangles)).unwrap();
    let first = read_rgba(&mut rec, fbo);
    let second = rec.read_pixels(fbo, None, 4, 1, PixelType::F4).unwrap();
    let out = replay(&rec.finish());
    assert_pixels(&bytes(&out, first), &[(8, 8, RED), (56, 56, BLUE)]);
    let second = bytes(&out, second);
    assert_eq!(pixel_f32(&second, 8, 8), [0.25, 0.5, 0.75, 1.0]);
    assert_eq!(pixel_f32(&second, 56, 56), [0.0, 0.0, 1.0, 1.0]);
}

/// A [`FULL`] triangle at depth `z` in one color, for [`VS_COLOR`].
fn colored(rec: &mut Recorder, program: ProgramId, z: f32, rgba: [f32; 4]) -> VertexArrayId {
    let vertices: Vec<f32> = FULL
        .chunks(2)
        .flat_map(|xy| [xy[0], xy[1], z].into_iter().chain(rgba))
        .collect();
    let vbo = rec.buffer(&vertices).unwrap();
    rec.vertex_array(
        program,
        &[(vbo, "3f 4f", &["in_pos", "in_color"][..])],
        None,
    )
    .unwrap()
}

#[test]
fn depth_test_keeps_the_nearer_triangle_in_either_order() {
    let mut rec = Recorder::new();
    let program = rec
        .program(ProgramDesc::new(VS_COLOR).fragment(FS_COLOR))
        .unwrap();
    let far = colored(&mut rec, program, 0.5, [0.0, 0.0, 1.0, 1.0]);
    let near = colored(&mut rec, program, -0.5, [0.0, 1.0, 0.0, 1.0]);
    let draw_both = |rec: &mut Recorder, order: [VertexArrayId; 2]| {
        let fbo = target(rec, &[ColorFormat::Rgba8], true);
        for vao in order {
            rec.render(vao, Draw::new(Mode::Triangles)).unwrap();
        }
        read_rgba(rec, fbo)
    };
    rec.enable(Capability::DepthTest);
    let far_first = draw_both(&mut rec, [far, near]);
    let near_first = draw_both(&mut rec, [near, far]);
    rec.disable(Capability::DepthTest);
    let no_test = draw_both(&mut rec, [near, far]);
    // The clear's depth value counts: at 0.5, the far triangle (window depth 0.75) fails
    // GL_LESS and the near one (0.25) passes.
    rec.enable(Capability::DepthTest);
    let fbo = target(&mut rec, &[ColorFormat::Rgba8], true);
    rec.clear_framebuffer(fbo, [0.0, 0.0, 0.0, 1.0], 0.5, None)
        .unwrap();
    rec.render(far, Draw::new(Mode::Triangles)).unwrap();
    let cleared_half_far = read_rgba(&mut rec, fbo);
    rec.render(near, Draw::new(Mode::Triangles)).unwrap();
    let cleared_half_near = read_rgba(&mut rec, fbo);
    let out = replay(&rec.finish());
    for (name, id, rgba) in [
        ("far then near", far_first, GREEN),
        ("near then far", near_first, GREEN),
        ("no depth test: the last drawn wins", no_test, BLUE),
        ("far behind a 0.5 clear", cleared_half_far, BLACK),
        ("near in front of a 0.5 clear", cleared_half_near, GREEN),
    ] {
        let px = bytes(&out, id);
        for (x, y) in [(8, 8), (32, 32), (56, 56)] {
            assert_eq!(pixel(&px, x, y), rgba, "{name}: pixel ({x}, {y})");
        }
    }
}

#[test]
fn cull_face_drops_clockwise_triangles() {
    let mut rec = Recorder::new();
    let program = solid(&mut rec, [1.0, 0.0, 0.0, 1.0]);
    let clockwise = mesh(&mut rec, program, &[-1.0, -1.0, -1.0, 1.0, 1.0, -1.0]);
    let counter_clockwise = mesh(&mut rec, program, &LOWER_LEFT);
    rec.enable(Capability::CullFace);
    let culled = target(&mut rec, &[ColorFormat::Rgba8], false);
    rec.render(clockwise, Draw::new(Mode::Triangles)).unwrap();
    let culled = read_rgba(&mut rec, culled);
    let front = target(&mut rec, &[ColorFormat::Rgba8], false);
    rec.render(counter_clockwise, Draw::new(Mode::Triangles))
        .unwrap();
    let front = read_rgba(&mut rec, front);
    rec.disable(Capability::CullFace);
    let both = target(&mut rec, &[ColorFormat::Rgba8], false);
    rec.render(clockwise, Draw::new(Mode::Triangles)).unwrap();
    let both = read_rgba(&mut rec, both);
    let out = replay(&rec.finish());
    assert_pixels(&bytes(&out, culled), &[(8, 8, BLACK)]);
    assert_pixels(&bytes(&out, front), &[(8, 8, RED)]);
    assert_pixels(&bytes(&out, both), &[(8, 8, RED)]);
}

#[test]
fn blend_mixes_by_source_alpha() {
    let mut rec = Recorder::new();
    let program = solid(&mut rec, [1.0, 0.0, 0.0, 0.5]);
    let vao = mesh(&mut rec, program, &LOWER_LEFT);
    let fbo = target(&mut rec, &[ColorFormat::Rgba32F], false);
    rec.enable(Capability::Blend);
    rec.render(vao, Draw::new(Mode::Triangles)).unwrap();
    let px = rec.read_pixels(fbo, None, 4, 0, PixelType::F4).unwrap();
    let out = bytes(&replay(&rec.finish()), px);
    // GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA over opaque black, alpha included.
    assert_eq!(pixel_f32(&out, 8, 8), [0.5, 0.0, 0.0, 0.75]);
    assert_eq!(pixel_f32(&out, 56, 56), [0.0, 0.0, 0.0, 1.0]);
}

#[test]
fn clear_with_a_viewport_clears_only_that_region() {
    let mut rec = Recorder::new();
    let fbo = target(&mut rec, &[ColorFormat::Rgba8], false);
    // x 16..32, y 8..40
    rec.clear_framebuffer(
        fbo,
        [1.0, 0.0, 0.0, 1.0],
        1.0,
        Some(Rect::new(16, 8, 16, 32)),
    )
    .unwrap();
    let region = read_rgba(&mut rec, fbo);
    // A clear of another framebuffer leaves the one in use the target of draws.
    let other = rec
        .framebuffer(64, 64, &[ColorFormat::Rgba8], false)
        .unwrap();
    rec.clear_framebuffer(other, [0.0, 0.0, 1.0, 1.0], 1.0, None)
        .unwrap();
    // The region's scissor does not outlive the clear: a full draw covers everything.
    let program = solid(&mut rec, [0.0, 1.0, 0.0, 1.0]);
    let vao = mesh(&mut rec, program, &FULL);
    rec.render(vao, Draw::new(Mode::Triangles)).unwrap();
    let drawn = read_rgba(&mut rec, fbo);
    let other = read_rgba(&mut rec, other);
    let out = replay(&rec.finish());
    assert_pixels(
        &bytes(&out, region),
        &[
            (16, 8, RED),
            (31, 39, RED),
            (24, 20, RED),
            (15, 20, BLACK),
            (32, 20, BLACK),
            (24, 7, BLACK),
            (24, 40, BLACK),
            (56, 56, BLACK),
        ],
    );
    assert!(bytes(&out, drawn).chunks(4).all(|px| px == GREEN));
    assert!(bytes(&out, other).chunks(4).all(|px| px == BLUE));
}

#[test]
fn read_pixels_with_a_rect_and_one_to_four_components() {
    let mut rec = Recorder::new();
    let fbo = target(&mut rec, &[ColorFormat::Rgba8], false);
    let base = [51u8, 102, 153, 204];
    rec.clear_framebuffer(fbo, base.map(|c| f32::from(c) / 255.0), 1.0, None)
        .unwrap();
    // A white square at x 8..16, y 8..16.
    rec.clear_framebuffer(fbo, [1.0; 4], 1.0, Some(Rect::new(8, 8, 8, 8)))
        .unwrap();
    // x 4..12, y 6..10: rows bottom to top, both colors in each of the upper rows.
    let rect = Rect::new(4, 6, 8, 4);
    let reads: Vec<_> = (1..=4u8)
        .map(|n| {
            rec.read_pixels(fbo, Some(rect), n, 0, PixelType::F1)
                .unwrap()
        })
        .collect();
    let float_fbo = target(&mut rec, &[ColorFormat::Rgba32F], false);
    rec.clear_framebuffer(float_fbo, [0.25, -0.5, 0.75, 2.0], 1.0, None)
        .unwrap();
    let floats = rec
        .read_pixels(
            float_fbo,
            Some(Rect::new(60, 61, 4, 3)),
            2,
            0,
            PixelType::F4,
        )
        .unwrap();
    let out = replay(&rec.finish());
    for (n, id) in (1..=4usize).zip(reads) {
        let mut expected = Vec::new();
        for y in 6..10 {
            for x in 4..12 {
                let rgba = if x >= 8 && y >= 8 { [255; 4] } else { base };
                expected.extend_from_slice(&rgba[..n]);
            }
        }
        assert_eq!(bytes(&out, id), expected, "{n} components");
    }
    let expected: Vec<f32> = [0.25, -0.5].repeat(12);
    assert_eq!(
        bytes(&out, floats),
        bytemuck::cast_slice::<f32, u8>(&expected)
    );
}

#[test]
fn viewport_restricts_rendering_per_framebuffer() {
    let mut rec = Recorder::new();
    let red = solid(&mut rec, [1.0, 0.0, 0.0, 1.0]);
    let green = solid(&mut rec, [0.0, 1.0, 0.0, 1.0]);
    let full_red = mesh(&mut rec, red, &FULL);
    let full_green = mesh(&mut rec, green, &FULL);
    let a = rec
        .framebuffer(64, 64, &[ColorFormat::Rgba8], false)
        .unwrap();
    let b = rec
        .framebuffer(64, 64, &[ColorFormat::Rgba8], false)
        .unwrap();
    // Set before `a` is used: takes effect when it is.
    rec.viewport(a, Rect::new(0, 0, 32, 32)).unwrap();
    rec.use_framebuffer(a).unwrap();
    rec.clear_framebuffer(a, [0.0, 0.0, 0.0, 1.0], 1.0, None)
        .unwrap();
    // `b` is not in use: `a`'s viewport stays.
    rec.viewport(b, Rect::new(32, 32, 32, 32)).unwrap();
    rec.render(full_red, Draw::new(Mode::Triangles)).unwrap();
    // `a` is in use: takes effect now.
    rec.viewport(a, Rect::new(32, 0, 32, 32)).unwrap();
    rec.render(full_green, Draw::new(Mode::Triangles)).unwrap();
    let read_a = read_rgba(&mut rec, a);
    rec.use_framebuffer(b).unwrap();
    rec.clear_framebuffer(b, [0.0, 0.0, 0.0, 1.0], 1.0, None)
        .unwrap();
    rec.render(full_red, Draw::new(Mode::Triangles)).unwrap();
    let read_b = read_rgba(&mut rec, b);
    // A new framebuffer's viewport is the whole of it, whatever its size.
    let small = rec
        .framebuffer(16, 16, &[ColorFormat::Rgba8], false)
        .unwrap();
    rec.use_framebuffer(small).unwrap();
    rec.render(full_red, Draw::new(Mode::Triangles)).unwrap();
    let read_small = read_rgba(&mut rec, small);
    let big = target(&mut rec, &[ColorFormat::Rgba8], false);
    rec.render(full_red, Draw::new(Mode::Triangles)).unwrap();
    let read_big = read_rgba(&mut rec, big);
    let out = replay(&rec.finish());
    assert_pixels(
        &bytes(&out, read_a),
        &[(8, 8, RED), (40, 8, GREEN), (8, 40, BLACK), (40, 40, BLACK)],
    );
    assert_pixels(
        &bytes(&out, read_b),
        &[(40, 40, RED), (8, 8, BLACK), (40, 8, BLACK), (8, 40, BLACK)],
    );
    assert_eq!(bytes(&out, read_small), RED.repeat(16 * 16));
    assert_eq!(bytes(&out, read_big), RED.repeat(SIZE * SIZE));
}

#[test]
fn index_buffers_of_every_element_size_draw_the_same_quad() {
    let mut rec = Recorder::new();
    let program = solid(&mut rec, [1.0, 0.0, 0.0, 1.0]);
    // Pixels 16..48 on both axes; triangles (0, 1, 2) lower right, (0, 2, 3) upper left.
    let vbo = rec
        .buffer(&[-0.5f32, -0.5, 0.5, -0.5, 0.5, 0.5, -0.5, 0.5])
        .unwrap();
    let indices = [
        (rec.buffer(&[0u8, 1, 2, 0, 2, 3]).unwrap(), 1),
        (rec.buffer(&[0u16, 1, 2, 0, 2, 3]).unwrap(), 2),
        (rec.buffer(&[0u32, 1, 2, 0, 2, 3]).unwrap(), 4),
    ];
    let mut reads = Vec::new();
    for (ibo, size) in indices {
        let vao = rec
            .vertex_array(program, &[(vbo, "2f", &["in_pos"][..])], Some((ibo, size)))
            .unwrap();
        let fbo = target(&mut rec, &[ColorFormat::Rgba8], false);
        rec.render(vao, Draw::new(Mode::Triangles)).unwrap();
        let whole = read_rgba(&mut rec, fbo);
        let fbo = target(&mut rec, &[ColorFormat::Rgba8], false);
        rec.render(vao, Draw::new(Mode::Triangles).first(3).vertices(3))
            .unwrap();
        reads.push((size, whole, read_rgba(&mut rec, fbo)));
    }
    let out = replay(&rec.finish());
    for (size, whole, second) in reads {
        let whole = bytes(&out, whole);
        let quad = [(20, 20), (44, 44), (20, 44), (44, 20)].map(|(x, y)| (x, y, RED));
        assert_pixels(&whole, &quad);
        assert_pixels(&whole, &[(8, 8, BLACK), (56, 56, BLACK), (32, 56, BLACK)]);
        let expected: Vec<u8> = (0..SIZE * SIZE)
            .flat_map(|i| {
                let (x, y) = (i % SIZE, i / SIZE);
                if (16..48).contains(&x) && (16..48).contains(&y) {
                    RED
                } else {
                    BLACK
                }
            })
            .collect();
        assert!(whole == expected, "{size}-byte indices: exactly the quad");
        assert_pixels(
            &bytes(&out, second),
            &[(24, 40, RED), (40, 24, BLACK), (8, 8, BLACK)],
        );
    }
}

#[test]
fn per_instance_offsets_draw_one_quad_per_instance() {
    const VS_OFFSET: &str = "#version 450 core
in vec2 in_pos;
in vec2 in_offset;
void main() { gl_Position = vec4(in_pos + in_offset, 0.0, 1.0); }
";
    let mut rec = Recorder::new();
    let program = rec
        .program(ProgramDesc::new(VS_OFFSET).fragment(&solid_fs([1.0, 0.0, 0.0, 1.0])))
        .unwrap();
    let (lo, hi) = (-0.25f32, 0.25f32);
    let quad = rec
        .buffer(&[lo, lo, hi, lo, hi, hi, lo, lo, hi, hi, lo, hi])
        .unwrap();
    let offsets = rec.buffer(&[-0.5f32, 0.0, 0.5, 0.0]).unwrap();
    let vao = rec
        .vertex_array(
            program,
            &[
                (quad, "2f", &["in_pos"][..]),
                (offsets, "2f /i", &["in_offset"][..]),
            ],
            None,
        )
        .unwrap();
    let fbo = target(&mut rec, &[ColorFormat::Rgba8], false);
    rec.render(vao, Draw::new(Mode::Triangles).instances(2))
        .unwrap();
    let two = read_rgba(&mut rec, fbo);
    let fbo = target(&mut rec, &[ColorFormat::Rgba8], false);
    rec.render(vao, Draw::new(Mode::Triangles)).unwrap();
    let one = read_rgba(&mut rec, fbo);
    let out = replay(&rec.finish());
    // Instance 0 covers x 8..24, instance 1 x 40..56; both y 24..40.
    assert_pixels(
        &bytes(&out, two),
        &[
            (16, 32, RED),
            (48, 32, RED),
            (32, 32, BLACK),
            (16, 8, BLACK),
            (48, 56, BLACK),
        ],
    );
    assert_pixels(&bytes(&out, one), &[(16, 32, RED), (48, 32, BLACK)]);
}

#[test]
fn per_render_attribute_colors_every_vertex() {
    let mut rec = Recorder::new();
    let program = rec
        .program(ProgramDesc::new(VS_COLOR).fragment(FS_COLOR))
        .unwrap();
    let positions = rec
        .buffer(&[-1.0f32, -1.0, 0.0, 1.0, -1.0, 0.0, -1.0, 1.0, 0.0])
        .unwrap();
    let color = rec.buffer(&[0.2f32, 0.4, 0.6, 1.0]).unwrap();
    let vao = rec
        .vertex_array(
            program,
            &[
                (positions, "3f", &["in_pos"][..]),
                (color, "4f /r", &["in_color"][..]),
            ],
            None,
        )
        .unwrap();
    let fbo = target(&mut rec, &[ColorFormat::Rgba8], false);
    rec.render(vao, Draw::new(Mode::Triangles)).unwrap();
    let px = read_rgba(&mut rec, fbo);
    let out = replay(&rec.finish());
    let color = [51, 102, 153, 255];
    assert_pixels(
        &bytes(&out, px),
        &[
            (8, 8, color),
            (40, 8, color),
            (8, 40, color),
            (56, 56, BLACK),
        ],
    );
}

#[test]
fn orphaning_to_fewer_vertices_changes_the_default_count() {
    // Left triangle covers (8, 8); right triangle covers (56, 8).
    let left = [-1.0f32, -1.0, 0.0, -1.0, -1.0, 1.0];
    let right = [0.0f32, -1.0, 1.0, -1.0, 1.0, 1.0];
    let mut rec = Recorder::new();
    let program = solid(&mut rec, [1.0, 0.0, 0.0, 1.0]);
    let both: Vec<f32> = left.iter().chain(&right).copied().collect();
    let vbo = rec.buffer(&both).unwrap();
    let vao = rec
        .vertex_array(program, &[(vbo, "2f", &["in_pos"][..])], None)
        .unwrap();
    let fbo = target(&mut rec, &[ColorFormat::Rgba8], false);
    rec.render(vao, Draw::new(Mode::Triangles)).unwrap();
    let before = read_rgba(&mut rec, fbo);
    rec.orphan(vbo, Some(std::mem::size_of_val(&left) as u64))
        .unwrap();
    rec.write(vbo, 0, &left).unwrap();
    let fbo = target(&mut rec, &[ColorFormat::Rgba8], false);
    rec.render(vao, Draw::new(Mode::Triangles)).unwrap();
    let after = read_rgba(&mut rec, fbo);
    let out = replay(&rec.finish());
    assert_pixels(&bytes(&out, before), &[(8, 8, RED), (56, 8, RED)]);
    assert_pixels(&bytes(&out, after), &[(8, 8, RED), (56, 8, BLACK)]);
}

#[test]
fn attributeless_draw_uses_gl_vertex_id() {
    const VS_ID: &str = "#version 450 core
void main() {
    vec2 p[3] = vec2[](vec2(-1.0, -1.0), vec2(3.0, -1.0), vec2(-1.0, 3.0));
    gl_Position = vec4(p[gl_VertexID], 0.0, 1.0);
}
";
    let mut rec = Recorder::new();
    let program = rec
        .program(ProgramDesc::new(VS_ID).fragment(&solid_fs([1.0, 0.0, 0.0, 1.0])))
        .unwrap();
    let vao = rec.vertex_array(program, &[], None).unwrap();
    rejected(
        &mut rec,
        ValidationError::VertexCountUnknown { vertex_array: vao },
        |r| r.render(vao, Draw::new(Mode::Triangles)),
    );
    let fbo = target(&mut rec, &[ColorFormat::Rgba8], false);
    rec.render(vao, Draw::new(Mode::Triangles).vertices(3))
        .unwrap();
    let px = read_rgba(&mut rec, fbo);
    assert_eq!(bytes(&replay(&rec.finish()), px), RED.repeat(SIZE * SIZE));
}

// ---------------------------------------------------------------------------------------------
// Uniforms

/// Records `u = value` for one uniform case.
type SetUniform = fn(&mut Recorder, ProgramId) -> Result<(), ValidationError>;

#[test]
fn uniforms_of_every_type_reach_the_shader() {
    // (declaration, color expression, set, expected color)
    let cases: &[(&str, &str, SetUniform, [f32; 4])] = &[
        (
            "float u",
            "vec4(u, 0.0, 0.0, 1.0)",
            |r, p| r.uniform(p, "u", 0.25f32),
            [0.25, 0.0, 0.0, 1.0],
        ),
        (
            "vec2 u",
            "vec4(u, 0.0, 1.0)",
            |r, p| r.uniform(p, "u", [0.25f32, -0.5]),
            [0.25, -0.5, 0.0, 1.0],
        ),
        (
            "vec3 u",
            "vec4(u, 1.0)",
            |r, p| r.uniform(p, "u", [0.25f32, 0.5, 0.75]),
            [0.25, 0.5, 0.75, 1.0],
        ),
        (
            "vec4 u",
            "u",
            |r, p| r.uniform(p, "u", [0.25f32, 0.5, 0.75, -2.0]),
            [0.25, 0.5, 0.75, -2.0],
        ),
        (
            "int u",
            "vec4(float(u), 0.0, 0.0, 1.0)",
            |r, p| r.uniform(p, "u", -3i32),
            [-3.0, 0.0, 0.0, 1.0],
        ),
        (
            "ivec2 u",
            "vec4(vec2(u), 0.0, 1.0)",
            |r, p| r.uniform(p, "u", [-3i32, 7]),
            [-3.0, 7.0, 0.0, 1.0],
        ),
        (
            "ivec3 u",
            "vec4(vec3(u), 1.0)",
            |r, p| r.uniform(p, "u", [-3i32, 7, -11]),
            [-3.0, 7.0, -11.0, 1.0],
        ),
        (
            "ivec4 u",
            "vec4(u)",
            |r, p| r.uniform(p, "u", [-3i32, 7, -11, 13]),
            [-3.0, 7.0, -11.0, 13.0],
        ),
        // 4e9 does not fit an int; it is exact in f32.
        (
            "uint u",
            "vec4(float(u), 0.0, 0.0, 1.0)",
            |r, p| r.uniform(p, "u", 4_000_000_000u32),
            [4e9, 0.0, 0.0, 1.0],
        ),
        (
            "uvec2 u",
            "vec4(vec2(u), 0.0, 1.0)",
            |r, p| r.uniform(p, "u", [7u32, 4_000_000_000]),
            [7.0, 4e9, 0.0, 1.0],
        ),
        (
            "uvec3 u",
            "vec4(vec3(u), 1.0)",
            |r, p| r.uniform(p, "u", [7u32, 8, 9]),
            [7.0, 8.0, 9.0, 1.0],
        ),
        (
            "uvec4 u",
            "vec4(u)",
            |r, p| r.uniform(p, "u", [7u32, 8, 9, 10]),
            [7.0, 8.0, 9.0, 10.0],
        ),
        // Column-major: u[c][r] is data[c * rows + r].
        (
            "mat2 u",
            "vec4(u[0], u[1])",
            |r, p| r.uniform(p, "u", Mat2([1.0, 2.0, 3.0, 4.0])),
            [1.0, 2.0, 3.0, 4.0],
        ),
        (
            "mat3 u",
            "vec4(u[0][1], u[1][2], u[2][0], u[2][2])",
            |r, p| r.uniform(p, "u", Mat3([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0])),
            [2.0, 6.0, 7.0, 9.0],
        ),
        (
            "mat4 u",
            "vec4(u[0][3], u[1][2], u[2][1], u[3][0])",
            |r, p| r.uniform(p, "u", Mat4(std::array::from_fn(|i| (i + 1) as f32))),
            [4.0, 7.0, 10.0, 13.0],
        ),
        (
            "float u[3]",
            "vec4(u[0], u[1], u[2], 1.0)",
            |r, p| r.uniform_array(p, "u", &[0.25f32, 0.5, 0.75]),
            [0.25, 0.5, 0.75, 1.0],
        ),
        // Two of three elements: the third keeps its initial zero.
        (
            "ivec2 u[3]",
            "vec4(u[0], u[1]) + vec4(u[2], u[2])",
            |r, p| r.uniform_array(p, "u", &[[1i32, 2], [3, 4]]),
            [1.0, 2.0, 3.0, 4.0],
        ),
        (
            "uint u[2]",
            "vec4(float(u[0]), float(u[1]), 0.0, 1.0)",
            |r, p| r.uniform_array(p, "u", &[5u32, 6]),
            [5.0, 6.0, 0.0, 1.0],
        ),
        (
            "mat2 u[2]",
            "vec4(u[0][1], u[1][0])",
            |r, p| {
                r.uniform_array(
                    p,
                    "u",
                    &[Mat2([1.0, 2.0, 3.0, 4.0]), Mat2([5.0, 6.0, 7.0, 8.0])],
                )
            },
            [3.0, 4.0, 5.0, 6.0],
        ),
        // A bool is an int, true when not 0 (ModernGL writes ints).
        (
            "bool u",
            "vec4(u ? 1.0 : 0.0, 0.0, 0.0, 1.0)",
            |r, p| r.uniform(p, "u", Bool(5)),
            [1.0, 0.0, 0.0, 1.0],
        ),
        (
            "bvec2 u",
            "vec4(vec2(u), 0.0, 1.0)",
            |r, p| r.uniform(p, "u", [Bool(0), Bool(-1)]),
            [0.0, 1.0, 0.0, 1.0],
        ),
        (
            "bvec3 u",
            "vec4(vec3(u), 1.0)",
            |r, p| r.uniform(p, "u", [true.into(), false.into(), Bool(2)]),
            [1.0, 0.0, 1.0, 1.0],
        ),
        (
            "bvec4 u",
            "vec4(u)",
            |r, p| r.uniform(p, "u", [Bool(1), Bool(1), Bool(0), Bool(1)]),
            [1.0, 1.0, 0.0, 1.0],
        ),
        (
            "bool u[2]",
            "vec4(u[0] ? 1.0 : 0.0, u[1] ? 1.0 : 0.0, 0.0, 1.0)",
            |r, p| r.uniform_array(p, "u", &[Bool(0), Bool(3)]),
            [0.0, 1.0, 0.0, 1.0],
        ),
        // Doubles keep every bit: 0.1 and 1e300 are compared as doubles in the shader.
        (
            "double u",
            "vec4(float(u), u == 0.1lf ? 1.0 : 0.0, 0.0, 1.0)",
            |r, p| r.uniform(p, "u", 0.1f64),
            [0.1, 1.0, 0.0, 1.0],
        ),
        (
            "dvec2 u",
            "vec4(vec2(u), 0.0, 1.0)",
            |r, p| r.uniform(p, "u", [0.25f64, -0.5]),
            [0.25, -0.5, 0.0, 1.0],
        ),
        (
            "dvec3 u",
            "vec4(vec2(u.xy), 0.0, u.z == 1e300lf ? 1.0 : 0.0)",
            |r, p| r.uniform(p, "u", [0.25f64, 0.5, 1e300]),
            [0.25, 0.5, 0.0, 1.0],
        ),
        (
            "dvec4 u",
            "vec4(u)",
            |r, p| r.uniform(p, "u", [0.25f64, 0.5, 0.75, -2.0]),
            [0.25, 0.5, 0.75, -2.0],
        ),
        (
            "dvec2 u[2]",
            "vec4(u[0], u[1])",
            |r, p| r.uniform_array(p, "u", &[[1.0f64, 2.0], [3.0, 4.0]]),
            [1.0, 2.0, 3.0, 4.0],
        ),
        // matCxR: C columns of R rows, u[c][r] is data[c * R + r].
        (
            "mat2x3 u",
            "vec4(u[0][2], u[1][0], u[1][2], 1.0)",
            |r, p| r.uniform(p, "u", Mat2x3(std::array::from_fn(|i| (i + 1) as f32))),
            [3.0, 4.0, 6.0, 1.0],
        ),
        (
            "mat2x4 u",
            "u[1]",
            |r, p| r.uniform(p, "u", Mat2x4(std::array::from_fn(|i| (i + 1) as f32))),
            [5.0, 6.0, 7.0, 8.0],
        ),
        (
            "mat3x2 u",
            "vec4(u[0][1], u[1][0], u[2][1], 1.0)",
            |r, p| r.uniform(p, "u", Mat3x2(std::array::from_fn(|i| (i + 1) as f32))),
            [2.0, 3.0, 6.0, 1.0],
        ),
        (
            "mat3x4 u",
            "u[2]",
            |r, p| r.uniform(p, "u", Mat3x4(std::array::from_fn(|i| (i + 1) as f32))),
            [9.0, 10.0, 11.0, 12.0],
        ),
        (
            "mat4x2 u",
            "vec4(u[0][1], u[1][1], u[2][0], u[3][1])",
            |r, p| r.uniform(p, "u", Mat4x2(std::array::from_fn(|i| (i + 1) as f32))),
            [2.0, 4.0, 5.0, 8.0],
        ),
        (
            "mat4x3 u",
            "vec4(u[0][2], u[1][1], u[2][0], u[3][2])",
            |r, p| r.uniform(p, "u", Mat4x3(std::array::from_fn(|i| (i + 1) as f32))),
            [3.0, 5.0, 7.0, 12.0],
        ),
        (
            "dmat2 u",
            "vec4(u[0], u[1])",
            |r, p| r.uniform(p, "u", DMat2([1.0, 2.0, 3.0, 4.0])),
            [1.0, 2.0, 3.0, 4.0],
        ),
        (
            "dmat3 u",
            "vec4(u[0][1], u[1][2], u[2][0], u[2][2])",
            |r, p| r.uniform(p, "u", DMat3(std::array::from_fn(|i| (i + 1) as f64))),
            [2.0, 6.0, 7.0, 9.0],
        ),
        (
            "dmat4 u",
            "vec4(u[0][3], u[1][2], u[2][1], u[3][0])",
            |r, p| r.uniform(p, "u", DMat4(std::array::from_fn(|i| (i + 1) as f64))),
            [4.0, 7.0, 10.0, 13.0],
        ),
        (
            "dmat2x3 u",
            "vec4(u[0][2], u[1][0], u[1][2], 1.0)",
            |r, p| r.uniform(p, "u", DMat2x3(std::array::from_fn(|i| (i + 1) as f64))),
            [3.0, 4.0, 6.0, 1.0],
        ),
        (
            "dmat2x4 u",
            "vec4(u[1])",
            |r, p| r.uniform(p, "u", DMat2x4(std::array::from_fn(|i| (i + 1) as f64))),
            [5.0, 6.0, 7.0, 8.0],
        ),
        (
            "dmat3x2 u",
            "vec4(u[0][1], u[1][0], u[2][1], 1.0)",
            |r, p| r.uniform(p, "u", DMat3x2(std::array::from_fn(|i| (i + 1) as f64))),
            [2.0, 3.0, 6.0, 1.0],
        ),
        (
            "dmat3x4 u",
            "vec4(u[2])",
            |r, p| r.uniform(p, "u", DMat3x4(std::array::from_fn(|i| (i + 1) as f64))),
            [9.0, 10.0, 11.0, 12.0],
        ),
        (
            "dmat4x2 u",
            "vec4(u[0][1], u[1][1], u[2][0], u[3][1])",
            |r, p| r.uniform(p, "u", DMat4x2(std::array::from_fn(|i| (i + 1) as f64))),
            [2.0, 4.0, 5.0, 8.0],
        ),
        (
            "dmat4x3 u",
            "vec4(u[0][2], u[1][1], u[2][0], u[3][2])",
            |r, p| r.uniform(p, "u", DMat4x3(std::array::from_fn(|i| (i + 1) as f64))),
            [3.0, 5.0, 7.0, 12.0],
        ),
    ];
    let mut rec = Recorder::new();
    let mut reads = Vec::new();
    for &(decl, expr, set, expected) in cases {
        let fs = format!(
            "#version 450 core
uniform {decl};
layout(location = 0) out vec4 color;
void main() {{ color = {expr}; }}
"
        );
        let program = rec.program(ProgramDesc::new(VS).fragment(&fs)).unwrap();
        set(&mut rec, program).unwrap();
        reads.push((decl, center_f32(&mut rec, program), expected));
    }
    let out = replay(&rec.finish());
    for (decl, id, expected) in reads {
        let got: [f32; 4] = bytemuck::pod_read_unaligned(&bytes(&out, id));
        assert_eq!(got, expected, "uniform {decl}");
    }
}

#[test]
fn a_uniform_set_between_draws_changes_the_second_only() {
    let mut rec = Recorder::new();
    let fs = "#version 450 core
uniform vec4 tint;
layout(location = 0) out vec4 color;
void main() { color = tint; }
";
    let program = rec.program(ProgramDesc::new(VS).fragment(fs)).unwrap();
    rec.uniform(program, "tint", [0.25f32, 0.5, 0.75, 1.0])
        .unwrap();
    let first = center_f32(&mut rec, program);
    rec.uniform(program, "tint", [1.0f32, 0.0, 0.5, 0.25])
        .unwrap();
    let second = center_f32(&mut rec, program);
    let out = replay(&rec.finish());
    let color = |id| bytemuck::pod_read_unaligned::<[f32; 4]>(&bytes(&out, id));
    assert_eq!(color(first), [0.25, 0.5, 0.75, 1.0]);
    assert_eq!(color(second), [1.0, 0.0, 0.5, 0.25]);
}

const FS_UNIFORMS: &str = "#version 450 core
uniform float scale;
uniform int count;
uniform float arr[3];
layout(location = 0) out vec4 color;
void main() { color = vec4(scale, float(count), arr[0] + arr[1], arr[2]); }
";

#[test]
fn a_missing_uniform_is_a_replay_error() {
    let (index, err) = uniform_error(FS_UNIFORMS, |r, p| r.uniform(p, "missing", 1.0f32));
    assert!(
        matches!(&err, ReplayError::Uniform { index: i, name, .. } if *i == index && name == "missing"),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(message.contains("missing"), "{message}");
    assert!(message.contains(&format!("#{index}")), "{message}");
}

#[test]
fn a_uniform_of_the_wrong_type_is_a_replay_error() {
    let (index, err) = uniform_error(FS_UNIFORMS, |r, p| r.uniform(p, "count", 1.0f32));
    assert!(
        matches!(&err, ReplayError::Uniform { index: i, name, .. } if *i == index && name == "count"),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(message.contains("count"), "{message}");
    assert!(message.contains("int"), "{message}");
    assert!(message.contains("float"), "{message}");
    // A vector where the shader has a scalar of the right base type is wrong too.
    let (index, err) = uniform_error(FS_UNIFORMS, |r, p| r.uniform(p, "scale", [1.0f32, 2.0]));
    assert!(
        matches!(&err, ReplayError::Uniform { index: i, name, .. } if *i == index && name == "scale"),
        "{err:?}"
    );
}

#[test]
fn too_many_array_elements_is_a_replay_error() {
    let (index, err) = uniform_error(FS_UNIFORMS, |r, p| {
        r.uniform_array(p, "arr", &[1.0f32, 2.0, 3.0, 4.0])
    });
    assert!(
        matches!(&err, ReplayError::Uniform { index: i, name, .. } if *i == index && name == "arr"),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(message.contains("arr"), "{message}");
    assert!(message.contains('4') && message.contains('3'), "{message}");
    // Several values for a non-array uniform are too many as well.
    let (index, err) = uniform_error(FS_UNIFORMS, |r, p| {
        r.uniform_array(p, "scale", &[1.0f32, 2.0])
    });
    assert!(
        matches!(&err, ReplayError::Uniform { index: i, name, .. } if *i == index && name == "scale"),
        "{err:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Programs that fail at replay

#[test]
fn a_compile_error_stops_the_replay_at_create_program() {
    let mut rec = Recorder::new();
    let fbo = target(&mut rec, &[ColorFormat::Rgba8], false);
    let index = rec.list().len();
    let bad = "#version 450 core
void main() { gl_Position = vec4(1.0) +; }
";
    let program = rec
        .program(ProgramDesc::new(bad).fragment(&solid_fs([1.0; 4])))
        .unwrap();
    let vao = mesh(&mut rec, program, &FULL);
    rec.render(vao, Draw::new(Mode::Triangles)).unwrap();
    // Never run: the replay ends at the program and hands back no readbacks at all.
    read_rgba(&mut rec, fbo);
    let list = rec.finish();
    let mut renderer = Renderer::headless().unwrap();
    let err = renderer.replay(&list).unwrap_err();
    match &err {
        ReplayError::Program { index: i, log, .. } => {
            assert_eq!(*i, index, "the create_program command");
            assert!(!log.trim().is_empty(), "GL's info log is kept");
        }
        other => panic!("expected a program error, got {other:?}"),
    }
    let message = err.to_string();
    assert!(message.contains("vertex"), "{message}");
    assert!(message.contains(&format!("#{index}")), "{message}");
    // The renderer recovers: a good list replays on it afterwards.
    let mut rec = Recorder::new();
    let program = solid(&mut rec, [1.0, 0.0, 0.0, 1.0]);
    let vao = mesh(&mut rec, program, &LOWER_LEFT);
    let fbo = target(&mut rec, &[ColorFormat::Rgba8], false);
    rec.render(vao, Draw::new(Mode::Triangles)).unwrap();
    let px = read_rgba(&mut rec, fbo);
    let out = renderer.replay(&rec.finish()).unwrap();
    assert_pixels(&bytes(&out, px), &[(8, 8, RED), (56, 56, BLACK)]);
}

#[test]
fn a_fragment_compile_error_names_the_fragment_stage() {
    let mut rec = Recorder::new();
    let index = rec.list().len();
    rec.program(
        ProgramDesc::new(VS).fragment("#version 450 core\nvoid main() { undeclared = 1; }\n"),
    )
    .unwrap();
    let err = replay_err(&rec.finish());
    assert!(
        matches!(&err, ReplayError::Program { index: i, log, .. } if *i == index && log.contains("undeclared")),
        "{err:?}"
    );
    assert!(err.to_string().contains("fragment"), "{err}");
}

#[test]
fn link_errors_are_program_errors() {
    let unmatched_input = "#version 450 core
in vec3 v_never_written;
layout(location = 0) out vec4 color;
void main() { color = vec4(v_never_written, 1.0); }
";
    let no_main = "#version 450 core
layout(location = 0) out vec4 color;
void helper() { color = vec4(1.0); }
";
    for fs in [unmatched_input, no_main] {
        let mut rec = Recorder::new();
        let buf = rec.buffer(&[1u8; 4]).unwrap();
        let index = rec.list().len();
        rec.program(ProgramDesc::new(VS).fragment(fs)).unwrap();
        rec.read(buf, None, 0).unwrap();
        let err = replay_err(&rec.finish());
        assert!(
            matches!(&err, ReplayError::Program { index: i, log, .. } if *i == index && !log.trim().is_empty()),
            "{fs}: {err:?}"
        );
    }
}

/// A vertex shader with an input it does not use: the compiler optimises `in_unused` away.
const VS_UNUSED: &str = "#version 450 core
in vec2 in_pos;
in float in_unused;
void main() { gl_Position = vec4(in_pos, 0.0, 1.0); }
";

#[test]
fn an_attribute_name_the_program_lacks_is_a_replay_error_unless_skip_errors() {
    for missing in ["nope", "in_unused"] {
        let record = |skip_errors: bool| {
            let mut rec = Recorder::new();
            let program = rec
                .program(ProgramDesc::new(VS_UNUSED).fragment(&solid_fs([1.0, 0.0, 0.0, 1.0])))
                .unwrap();
            let vbo = rec
                .buffer(&[-1.0f32, -1.0, 0.0, 1.0, -1.0, 0.0, -1.0, 1.0, 0.0])
                .unwrap();
            let index = rec.list().len();
            let content = [(vbo, "2f 1f", &["in_pos", missing][..])];
            let vao = if skip_errors {
                rec.vertex_array_skip_errors(program, &content, None)
            } else {
                rec.vertex_array(program, &content, None)
            };
            let fbo = target(&mut rec, &[ColorFormat::Rgba8], false);
            rec.render(vao.unwrap(), Draw::new(Mode::Triangles))
                .unwrap();
            read_rgba(&mut rec, fbo);
            (index, rec.finish())
        };
        let (index, list) = record(false);
        let err = replay_err(&list);
        assert!(
            matches!(&err, ReplayError::Attribute { index: i, name, .. } if *i == index && name == missing),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            format!(
                "command #{index} (vertex_array): attribute \"{missing}\": the linked program has \
                 no active input of that name (missing, or unused and optimised away); \
                 ModernGL's skip_errors skips such names"
            )
        );
        let (_, list) = record(true);
        let out = replay(&list);
        let pixels = out.iter().next().unwrap();
        assert_pixels(pixels, &[(8, 8, RED), (56, 56, BLACK)]);
    }
}

// ---------------------------------------------------------------------------------------------
// Calls rejected at record time

#[test]
fn bad_vertex_arrays_are_rejected() {
    let mut rec = Recorder::new();
    let program = solid(&mut rec, [1.0; 4]);
    let vbo = rec.buffer(&LOWER_LEFT).unwrap();
    let ibo = rec.buffer(&[0u8, 1, 2]).unwrap();
    let format = "3f 2q";
    rejected(
        &mut rec,
        ValidationError::Format {
            binding: 1,
            error: FormatError::BadToken {
                format: format.to_owned(),
                at: TokenPos {
                    index: 2,
                    byte: 3,
                    text: "2q".to_owned(),
                },
                reason: TokenError::UnknownType('q'),
            },
        },
        |r| {
            r.vertex_array(
                program,
                &[(vbo, "2f", &["in_pos"][..]), (vbo, format, &["a", "b"][..])],
                None,
            )
        },
    );
    let message = rec
        .vertex_array(program, &[(vbo, format, &["a", "b"][..])], None)
        .unwrap_err()
        .to_string();
    assert!(message.contains("\"2q\""), "{message}");
    rejected(
        &mut rec,
        ValidationError::AttributeCount {
            binding: 0,
            format: "2f4 1f4".to_owned(),
            fields: 2,
            names: 1,
        },
        |r| r.vertex_array(program, &[(vbo, "2f 1f", &["in_pos"][..])], None),
    );
    rejected(
        &mut rec,
        ValidationError::IndexElementSize { size: 3 },
        |r| r.vertex_array(program, &[(vbo, "2f", &["in_pos"][..])], Some((ibo, 3))),
    );
    // Names match fields once padding is left out.
    rec.vertex_array(program, &[(vbo, "1f 4x", &["in_pos"][..])], None)
        .unwrap();
}

#[test]
fn draws_reading_past_a_buffer_are_rejected() {
    let mut rec = Recorder::new();
    let program = solid(&mut rec, [1.0; 4]);
    let vbo = rec.buffer(&LOWER_LEFT).unwrap(); // 3 vertices of 8 bytes
    let vao = rec
        .vertex_array(program, &[(vbo, "2f", &["in_pos"][..])], None)
        .unwrap();
    let past = |size| ValidationError::OutOfRange {
        op: BufferOp::Draw,
        buffer: vbo,
        offset: 0,
        size,
        buffer_size: 24,
    };
    rejected(&mut rec, past(800), |r| {
        r.render(vao, Draw::new(Mode::Triangles).vertices(100))
    });
    rejected(&mut rec, past(32), |r| {
        r.render(vao, Draw::new(Mode::Triangles).vertices(3).first(1))
    });
    let ibo = rec.buffer(&[0u16, 1, 2]).unwrap();
    let indexed = rec
        .vertex_array(program, &[(vbo, "2f", &["in_pos"][..])], Some((ibo, 2)))
        .unwrap();
    rejected(
        &mut rec,
        ValidationError::OutOfRange {
            op: BufferOp::Draw,
            buffer: ibo,
            offset: 2,
            size: 6,
            buffer_size: 6,
        },
        |r| r.render(indexed, Draw::new(Mode::Triangles).first(1).vertices(3)),
    );
    let offsets = rec.buffer(&[0.0f32; 2]).unwrap();
    let instanced = rec
        .vertex_array(
            program,
            &[
                (vbo, "2f", &["in_pos"][..]),
                (offsets, "2f /i", &["in_offset"][..]),
            ],
            None,
        )
        .unwrap();
    rejected(
        &mut rec,
        ValidationError::OutOfRange {
            op: BufferOp::Draw,
            buffer: offsets,
            offset: 0,
            size: 16,
            buffer_size: 8,
        },
        |r| r.render(instanced, Draw::new(Mode::Triangles).instances(2)),
    );
    rec.render(vao, Draw::new(Mode::Triangles).vertices(3))
        .unwrap();
    rec.render(instanced, Draw::new(Mode::Triangles)).unwrap();
}

#[test]
fn bad_framebuffers_and_pixel_reads_are_rejected() {
    let mut rec = Recorder::new();
    rejected(
        &mut rec,
        ValidationError::FramebufferSize {
            width: 0,
            height: 16,
        },
        |r| r.framebuffer(0, 16, &[ColorFormat::Rgba8], false),
    );
    rejected(
        &mut rec,
        ValidationError::FramebufferSize {
            width: 16,
            height: 16385,
        },
        |r| r.framebuffer(16, 16385, &[ColorFormat::Rgba8], false),
    );
    rejected(
        &mut rec,
        ValidationError::Attachments {
            color: 0,
            depth: false,
        },
        |r| r.framebuffer(16, 16, &[], false),
    );
    rejected(
        &mut rec,
        ValidationError::Attachments {
            color: 9,
            depth: true,
        },
        |r| r.framebuffer(16, 16, &[ColorFormat::Rgba8; 9], true),
    );
    let fbo = rec
        .framebuffer(64, 32, &[ColorFormat::Rgba8], true)
        .unwrap();
    rejected(
        &mut rec,
        ValidationError::NoSuchAttachment {
            framebuffer: fbo,
            attachment: 1,
            count: 1,
        },
        |r| r.read_pixels(fbo, None, 4, 1, PixelType::F1),
    );
    for components in [0, 5] {
        rejected(&mut rec, ValidationError::Components { components }, |r| {
            r.read_pixels(fbo, None, components, 0, PixelType::F1)
        });
    }
    let outside = |x, y, w, h| ValidationError::RectOutOfRange {
        framebuffer: fbo,
        x,
        y,
        w,
        h,
        fw: 64,
        fh: 32,
    };
    rejected(&mut rec, outside(60, 0, 8, 8), |r| {
        r.read_pixels(fbo, Some(Rect::new(60, 0, 8, 8)), 4, 0, PixelType::F1)
    });
    rejected(&mut rec, outside(0, 30, 4, 4), |r| {
        r.read_pixels(fbo, Some(Rect::new(0, 30, 4, 4)), 4, 0, PixelType::F1)
    });
    rejected(&mut rec, outside(-1, 0, 4, 4), |r| {
        r.read_pixels(fbo, Some(Rect::new(-1, 0, 4, 4)), 4, 0, PixelType::F1)
    });
    rejected(&mut rec, ValidationError::ReleaseScreen, |r| {
        r.release(FramebufferId::SCREEN)
    });
    // The whole framebuffer, exactly, is in range; a depth-only framebuffer is fine.
    rec.read_pixels(fbo, Some(Rect::new(0, 0, 64, 32)), 4, 0, PixelType::F1)
        .unwrap();
    rec.framebuffer(8, 8, &[], true).unwrap();
}

#[test]
fn a_screen_rect_outside_is_rejected_at_replay() {
    // The screen's size is known only at replay, so its rectangles are checked there.
    let mut rec = Recorder::new();
    rec.read_pixels(
        FramebufferId::SCREEN,
        Some(Rect::new(56, 56, 8, 8)),
        4,
        0,
        PixelType::F1,
    )
    .unwrap();
    let index = rec.list().len();
    rec.read_pixels(
        FramebufferId::SCREEN,
        Some(Rect::new(60, 60, 8, 8)),
        4,
        0,
        PixelType::F1,
    )
    .unwrap();
    let err = replay_err(&rec.finish());
    let expected = ValidationError::RectOutOfRange {
        framebuffer: FramebufferId::SCREEN,
        x: 60,
        y: 60,
        w: 8,
        h: 8,
        fw: 64,
        fh: 64,
    };
    assert!(
        matches!(&err, ReplayError::Invalid(invalid) if invalid.index == index && invalid.error == expected),
        "{err:?}"
    );
}

#[test]
fn released_and_undefined_objects_are_rejected() {
    let mut rec = Recorder::new();
    let program = solid(&mut rec, [1.0; 4]);
    let vao = mesh(&mut rec, program, &LOWER_LEFT);
    let fbo = rec.framebuffer(8, 8, &[ColorFormat::Rgba8], false).unwrap();
    rec.release(vao).unwrap();
    let released = |object| ValidationError::Released { object };
    rejected(&mut rec, released(Object::VertexArray(vao)), |r| {
        r.render(vao, Draw::new(Mode::Triangles))
    });
    rejected(&mut rec, released(Object::VertexArray(vao)), |r| {
        r.release(vao)
    });
    rec.release(program).unwrap();
    rejected(&mut rec, released(Object::Program(program)), |r| {
        r.uniform(program, "u", 1.0f32)
    });
    let vbo = rec.buffer(&LOWER_LEFT).unwrap();
    rejected(&mut rec, released(Object::Program(program)), |r| {
        r.vertex_array(program, &[(vbo, "2f", &["in_pos"][..])], None)
    });
    rec.use_framebuffer(fbo).unwrap();
    rec.release(fbo).unwrap();
    rejected(&mut rec, released(Object::Framebuffer(fbo)), |r| {
        r.use_framebuffer(fbo)
    });
    rejected(&mut rec, released(Object::Framebuffer(fbo)), |r| {
        r.read_pixels(fbo, None, 4, 0, PixelType::F1)
    });
    rejected(&mut rec, released(Object::Framebuffer(fbo)), |r| {
        r.clear_framebuffer(fbo, [0.0; 4], 1.0, None)
    });
    rejected(&mut rec, released(Object::Framebuffer(fbo)), |r| {
        r.viewport(fbo, Rect::new(0, 0, 1, 1))
    });
    // An id from another recorder is undefined here.
    let mut other = Recorder::new();
    other
        .framebuffer(8, 8, &[ColorFormat::Rgba8], false)
        .unwrap();
    let foreign = other
        .framebuffer(8, 8, &[ColorFormat::Rgba8], false)
        .unwrap();
    rejected(
        &mut rec,
        ValidationError::Undefined {
            object: Object::Framebuffer(foreign),
            defined: 2,
        },
        |r| r.use_framebuffer(foreign),
    );
    // What was accepted replays; releasing the framebuffer in use fell back to the screen.
    let px = read_rgba(&mut rec, FramebufferId::SCREEN);
    assert_eq!(bytes(&replay(&rec.finish()), px).len(), SIZE * SIZE * 4);
}
