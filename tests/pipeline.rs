//! Pipeline state on a real OpenGL 4.5 context (Mesa llvmpipe, headless EGL or OSMesa as
//! GLTAPE_BACKEND says): every setter draws known geometry and the test asserts exact pixels.
//!
//! Geometry is given in pixels of an 8x8 target: a quad from (x0, y0) to (x1, y1) covers the
//! pixels x0..x1, y0..y1 (edges lie between pixel centers). Blending is checked on RGBA32F
//! attachments, where every value used is a small dyadic fraction and GL's arithmetic exact.

use gltape::{
    BlendEquation, BlendFactor, Capability, ColorFormat, CommandList, CompareFunc, Draw, Face,
    FramebufferId, Mode, PixelType, ProgramDesc, ProgramId, ReadbackId, Readbacks, Recorder, Rect,
    Renderer, StencilAction, ValidationError, VertexArrayId, Winding,
};

/// Side of every target.
const SIZE: usize = 8;

/// A position in pixels (with a depth in NDC) and a color from a uniform.
const VS: &str = "#version 450 core
in vec3 in_pos;
void main() { gl_Position = vec4(in_pos.xy / 4.0 - 1.0, in_pos.z, 1.0); }
";
const FS: &str = "#version 450 core
uniform vec4 color;
out vec4 frag;
void main() { frag = color; }
";
/// Points that ask for a size of 5 pixels.
const VS_POINT: &str = "#version 450 core
in vec3 in_pos;
void main() {
    gl_Position = vec4(in_pos.xy / 4.0 - 1.0, in_pos.z, 1.0);
    gl_PointSize = 5.0;
}
";

/// A recorder with the flat-color program and helpers to draw rectangles.
struct Scene {
    rec: Recorder,
    program: ProgramId,
    points: ProgramId,
}

impl Scene {
    fn new() -> Scene {
        let mut rec = Recorder::new();
        let program = rec.program(ProgramDesc::new(VS).fragment(FS)).unwrap();
        let points = rec
            .program(ProgramDesc::new(VS_POINT).fragment(FS))
            .unwrap();
        Scene {
            rec,
            program,
            points,
        }
    }

    /// An 8x8 framebuffer of `color` attachments, with depth when `depth`, in use.
    fn target(&mut self, color: &[ColorFormat], depth: bool) -> FramebufferId {
        let fbo = self
            .rec
            .framebuffer(SIZE as u32, SIZE as u32, color, depth)
            .unwrap();
        self.rec.use_framebuffer(fbo).unwrap();
        fbo
    }

    /// A vertex array of the triangles `vertices` (pixel x, pixel y, depth).
    fn shape(&mut self, program: ProgramId, vertices: &[[f32; 3]]) -> VertexArrayId {
        let buffer = self.rec.buffer(vertices).unwrap();
        self.rec
            .vertex_array(program, &[(buffer, "3f", &["in_pos"][..])], None)
            .unwrap()
    }

    /// The two counter-clockwise triangles of the rectangle `[x0, y0, x1, y1]` at depth `z`
    /// (clockwise ones when `clockwise`).
    fn quad(&mut self, [x0, y0, x1, y1]: [f32; 4], z: f32, clockwise: bool) -> VertexArrayId {
        let mut vertices = vec![
            [x0, y0, z],
            [x1, y0, z],
            [x0, y1, z],
            [x1, y0, z],
            [x1, y1, z],
            [x0, y1, z],
        ];
        if clockwise {
            vertices.swap(1, 2);
            vertices.swap(4, 5);
        }
        self.shape(self.program, &vertices)
    }

    /// Draws `vertex_array` in `color`.
    fn draw(&mut self, vertex_array: VertexArrayId, color: [f32; 4]) {
        self.rec.uniform(self.program, "color", color).unwrap();
        self.rec
            .render(vertex_array, Draw::new(Mode::Triangles))
            .unwrap();
    }

    /// Draws the rectangle `rect` at depth `z` in `color`.
    fn fill(&mut self, rect: [f32; 4], z: f32, color: [f32; 4]) {
        let quad = self.quad(rect, z, false);
        self.draw(quad, color);
    }

    fn clear(&mut self, fbo: FramebufferId, color: [f32; 4], depth: f32) {
        self.rec.clear_framebuffer(fbo, color, depth, None).unwrap();
    }

    /// Reads attachment `attachment` as RGBA bytes.
    fn read(&mut self, fbo: FramebufferId, attachment: u8) -> ReadbackId {
        (self.rec)
            .read_pixels(fbo, None, 4, attachment, PixelType::F1)
            .unwrap()
    }

    /// Reads attachment 0 as RGBA floats.
    fn read_f32(&mut self, fbo: FramebufferId) -> ReadbackId {
        (self.rec)
            .read_pixels(fbo, None, 4, 0, PixelType::F4)
            .unwrap()
    }

    fn replay(self) -> Readbacks {
        replay(&self.rec.finish())
    }
}

fn replay(list: &CommandList) -> Readbacks {
    let mut renderer = Renderer::headless().expect("headless OpenGL 4.5 context");
    renderer.replay(list).expect("replay")
}

/// The RGBA8 pixels of an 8x8 read, rows bottom to top.
fn pixels(bytes: &[u8]) -> Vec<[u8; 4]> {
    assert_eq!(bytes.len(), SIZE * SIZE * 4);
    bytes.chunks(4).map(|p| p.try_into().unwrap()).collect()
}

/// The RGBA float pixels of an 8x8 read.
fn pixels_f32(bytes: &[u8]) -> Vec<[f32; 4]> {
    assert_eq!(bytes.len(), SIZE * SIZE * 16);
    bytes.chunks(16).map(bytemuck::pod_read_unaligned).collect()
}

fn at<T: Copy>(pixels: &[T], x: usize, y: usize) -> T {
    pixels[y * SIZE + x]
}

/// The 8x8 image holding `inside` in the pixels of `rect` ([x0, y0, x1, y1]) and `outside`
/// elsewhere.
fn image<T: Copy>(rects: &[([usize; 4], T)], outside: T) -> Vec<T> {
    let mut image = vec![outside; SIZE * SIZE];
    for &([x0, y0, x1, y1], inside) in rects {
        for y in y0..y1 {
            for x in x0..x1 {
                image[y * SIZE + x] = inside;
            }
        }
    }
    image
}

const BLACK: [u8; 4] = [0, 0, 0, 255];
const RED: [u8; 4] = [255, 0, 0, 255];
const GREEN: [u8; 4] = [0, 255, 0, 255];
const BLUE: [u8; 4] = [0, 0, 255, 255];
const RED_F: [f32; 4] = [1.0, 0.0, 0.0, 1.0];
const GREEN_F: [f32; 4] = [0.0, 1.0, 0.0, 1.0];
const BLUE_F: [f32; 4] = [0.0, 0.0, 1.0, 1.0];
const BLACK_F: [f32; 4] = [0.0, 0.0, 0.0, 1.0];
const WHOLE: [f32; 4] = [0.0, 0.0, 8.0, 8.0];

// ---------------------------------------------------------------------------------------------
// Blending

const FACTORS: [BlendFactor; 10] = [
    BlendFactor::Zero,
    BlendFactor::One,
    BlendFactor::SrcColor,
    BlendFactor::OneMinusSrcColor,
    BlendFactor::SrcAlpha,
    BlendFactor::OneMinusSrcAlpha,
    BlendFactor::DstAlpha,
    BlendFactor::OneMinusDstAlpha,
    BlendFactor::DstColor,
    BlendFactor::OneMinusDstColor,
];

/// Source and destination of every blend test: dyadic values, so products are exact.
const SRC: [f32; 4] = [0.25, 0.5, 0.75, 0.25];
const DST: [f32; 4] = [0.5, 0.25, 1.0, 0.75];

/// The factor's weight of component `i` (alpha's own for `i == 3`).
fn weight(factor: BlendFactor, i: usize) -> f32 {
    let (s, d) = (SRC[i], DST[i]);
    match factor {
        BlendFactor::Zero => 0.0,
        BlendFactor::One => 1.0,
        BlendFactor::SrcColor => s,
        BlendFactor::OneMinusSrcColor => 1.0 - s,
        BlendFactor::SrcAlpha => SRC[3],
        BlendFactor::OneMinusSrcAlpha => 1.0 - SRC[3],
        BlendFactor::DstAlpha => DST[3],
        BlendFactor::OneMinusDstAlpha => 1.0 - DST[3],
        BlendFactor::DstColor => d,
        BlendFactor::OneMinusDstColor => 1.0 - d,
    }
}

fn combine(equation: BlendEquation, s: f32, d: f32, fs: f32, fd: f32) -> f32 {
    match equation {
        BlendEquation::FuncAdd => s * fs + d * fd,
        BlendEquation::FuncSubtract => s * fs - d * fd,
        BlendEquation::FuncReverseSubtract => d * fd - s * fs,
        BlendEquation::Min => s.min(d),
        BlendEquation::Max => s.max(d),
    }
}

/// Draws one pixel per `(x, y)` with the state `set` records, over DST, and returns the float
/// pixels.
fn blended(
    cases: &[(usize, usize)],
    mut set: impl FnMut(&mut Recorder, usize, usize),
) -> Vec<[f32; 4]> {
    let mut scene = Scene::new();
    let fbo = scene.target(&[ColorFormat::Rgba32F], false);
    scene.clear(fbo, DST, 1.0);
    scene.rec.enable(Capability::Blend);
    for &(x, y) in cases {
        set(&mut scene.rec, x, y);
        let (x, y) = (x as f32, y as f32);
        scene.fill([x, y, x + 1.0, y + 1.0], 0.0, SRC);
    }
    let read = scene.read_f32(fbo);
    pixels_f32(scene.replay().get(read).unwrap())
}

#[test]
fn every_pair_of_blend_factors_blends_exactly() {
    // Sources 0..8 in x and destinations 0..8 in y, then the last two of each in a second
    // pass: 100 pairs over two images.
    for (first, count) in [(0, 8), (2, 8)] {
        let pairs: Vec<(usize, usize)> = (0..count)
            .flat_map(|x| (0..count).map(move |y| (x, y)))
            .collect();
        let got = blended(&pairs, |rec, x, y| {
            rec.blend_func(FACTORS[first + x], FACTORS[first + y])
        });
        for &(x, y) in &pairs {
            let (fs, fd) = (FACTORS[first + x], FACTORS[first + y]);
            let expected: [f32; 4] = std::array::from_fn(|i| {
                combine(
                    BlendEquation::FuncAdd,
                    SRC[i],
                    DST[i],
                    weight(fs, i),
                    weight(fd, i),
                )
            });
            assert_eq!(at(&got, x, y), expected, "{fs:?}, {fd:?}");
        }
    }
}

#[test]
fn separate_blend_factors_and_equations_apply_to_color_and_alpha_apart() {
    let equations = [
        BlendEquation::FuncAdd,
        BlendEquation::FuncSubtract,
        BlendEquation::FuncReverseSubtract,
        BlendEquation::Min,
        BlendEquation::Max,
    ];
    // x: the color's equation, y: alpha's; factors One/DstColor for color and
    // SrcAlpha/OneMinusDstAlpha for alpha, so that every equation's result differs.
    let cases: Vec<(usize, usize)> = (0..5).flat_map(|x| (0..5).map(move |y| (x, y))).collect();
    let got = blended(&cases, |rec, x, y| {
        rec.blend_func_separate(
            BlendFactor::One,
            BlendFactor::DstColor,
            BlendFactor::SrcAlpha,
            BlendFactor::OneMinusDstAlpha,
        );
        rec.blend_equation_separate(equations[x], equations[y]);
    });
    for &(x, y) in &cases {
        let expected: [f32; 4] = std::array::from_fn(|i| match i {
            3 => combine(equations[y], SRC[3], DST[3], SRC[3], 1.0 - DST[3]),
            _ => combine(equations[x], SRC[i], DST[i], 1.0, DST[i]),
        });
        assert_eq!(
            at(&got, x, y),
            expected,
            "{:?} / {:?}",
            equations[x],
            equations[y]
        );
    }
    // One equation for both: MIN and MAX ignore the factors.
    let got = blended(&[(0, 0), (1, 0)], |rec, x, _| {
        rec.blend_func(BlendFactor::Zero, BlendFactor::Zero);
        rec.blend_equation([BlendEquation::Min, BlendEquation::Max][x]);
    });
    assert_eq!(at(&got, 0, 0), [0.25, 0.25, 0.75, 0.25]);
    assert_eq!(at(&got, 1, 0), [0.5, 0.5, 1.0, 0.75]);
    assert_eq!(at(&got, 2, 0), DST, "undrawn");
}

#[test]
fn blending_starts_as_moderngl_sets_it() {
    // SRC_ALPHA, ONE_MINUS_SRC_ALPHA with FUNC_ADD, off until enabled.
    let got = blended(&[(0, 0)], |_, _, _| {});
    let expected: [f32; 4] = std::array::from_fn(|i| SRC[i] * SRC[3] + DST[i] * (1.0 - SRC[3]));
    assert_eq!(at(&got, 0, 0), expected);
}

// ---------------------------------------------------------------------------------------------
// Depth

#[test]
fn every_depth_func_compares_as_gl_says() {
    let funcs = [
        (CompareFunc::Never, [false, false, false]),
        (CompareFunc::Less, [true, false, false]),
        (CompareFunc::Equal, [false, true, false]),
        (CompareFunc::LessEqual, [true, true, false]),
        (CompareFunc::Greater, [false, false, true]),
        (CompareFunc::NotEqual, [true, false, true]),
        (CompareFunc::GreaterEqual, [false, true, true]),
        (CompareFunc::Always, [true, true, true]),
    ];
    let mut scene = Scene::new();
    let fbo = scene.target(&[ColorFormat::Rgba8], true);
    // Stored depth 0.5 everywhere; each row draws depths 0.25, 0.5 and 0.75 in columns 0-2.
    scene.clear(fbo, BLACK_F, 0.5);
    scene.rec.enable(Capability::DepthTest);
    for (row, (func, _)) in funcs.iter().enumerate() {
        scene.rec.depth_func(*func);
        for (column, z) in [-0.5, 0.0, 0.5].into_iter().enumerate() {
            let (x, y) = (column as f32, row as f32);
            scene.fill([x, y, x + 1.0, y + 1.0], z, GREEN_F);
        }
    }
    let read = scene.read(fbo, 0);
    let got = pixels(scene.replay().get(read).unwrap());
    for (row, (func, passes)) in funcs.iter().enumerate() {
        for (column, pass) in passes.iter().enumerate() {
            let expected = if *pass { GREEN } else { BLACK };
            assert_eq!(at(&got, column, row), expected, "{func:?}, column {column}");
        }
    }
}

#[test]
fn the_depth_mask_keeps_draws_and_clears_from_writing_depth() {
    let mut scene = Scene::new();
    let fbo = scene.target(&[ColorFormat::Rgba8], true);
    scene.clear(fbo, BLACK_F, 1.0);
    scene.rec.enable(Capability::DepthTest);
    scene.rec.depth_mask(fbo, false).unwrap();
    // Not written: the farther quad still passes LESS against the cleared 1.0.
    scene.fill([0.0, 0.0, 4.0, 8.0], -0.5, RED_F);
    scene.fill([0.0, 0.0, 8.0, 8.0], 0.5, GREEN_F);
    // A clear under the mask leaves depth 1.0 too.
    scene.clear(fbo, BLACK_F, 0.0);
    scene.fill([0.0, 0.0, 8.0, 4.0], 0.9, BLUE_F);
    let first = scene.read(fbo, 0);
    scene.rec.depth_mask(fbo, true).unwrap();
    scene.fill([0.0, 0.0, 8.0, 8.0], 0.0, RED_F);
    scene.fill([0.0, 0.0, 8.0, 8.0], 0.5, GREEN_F);
    let second = scene.read(fbo, 0);
    let readbacks = scene.replay();
    let expected = image(&[([0, 0, 8, 4], BLUE)], BLACK);
    assert_eq!(pixels(readbacks.get(first).unwrap()), expected);
    assert_eq!(pixels(readbacks.get(second).unwrap()), image(&[], RED));
}

#[test]
fn polygon_offset_moves_depth_measurably() {
    let mut scene = Scene::new();
    let fbo = scene.target(&[ColorFormat::Rgba8], true);
    scene.clear(fbo, BLACK_F, 1.0);
    scene.rec.enable(Capability::DepthTest);
    // Red at depth 0.5 everywhere, then green at the same depth: LESS refuses it...
    scene.fill(WHOLE, 0.0, RED_F);
    scene.fill([0.0, 0.0, 2.0, 8.0], 0.0, GREEN_F);
    // ...unless it is offset towards the viewer,
    scene.rec.polygon_offset(0.0, -4.0).unwrap();
    scene.fill([2.0, 0.0, 4.0, 8.0], 0.0, GREEN_F);
    // and not when offset away, even with LEQUAL.
    scene.rec.polygon_offset(0.0, 4.0).unwrap();
    scene.rec.depth_func(CompareFunc::LessEqual);
    scene.fill([4.0, 0.0, 6.0, 8.0], 0.0, BLUE_F);
    // (0, 0) turns it off: LEQUAL passes again.
    scene.rec.polygon_offset(0.0, 0.0).unwrap();
    scene.fill([6.0, 0.0, 8.0, 8.0], 0.0, BLUE_F);
    let read = scene.read(fbo, 0);
    let got = pixels(scene.replay().get(read).unwrap());
    let expected = image(
        &[
            ([2, 0, 4, 8], GREEN),
            ([4, 0, 6, 8], RED),
            ([6, 0, 8, 8], BLUE),
        ],
        RED,
    );
    assert_eq!(got, expected);
}

// ---------------------------------------------------------------------------------------------
// Faces and rasterization

#[test]
fn culling_follows_cull_face_and_front_face() {
    let cases = [
        (Face::Back, Winding::Ccw, [true, false]),
        (Face::Front, Winding::Ccw, [false, true]),
        (Face::FrontAndBack, Winding::Ccw, [false, false]),
        (Face::Back, Winding::Cw, [false, true]),
        (Face::Front, Winding::Cw, [true, false]),
    ];
    let mut scene = Scene::new();
    let fbo = scene.target(&[ColorFormat::Rgba8], false);
    scene.clear(fbo, BLACK_F, 1.0);
    // Without culling both windings draw (row 7).
    let ccw = scene.quad([0.0, 7.0, 1.0, 8.0], 0.0, false);
    let cw = scene.quad([1.0, 7.0, 2.0, 8.0], 0.0, true);
    scene.draw(ccw, GREEN_F);
    scene.draw(cw, GREEN_F);
    scene.rec.enable(Capability::CullFace);
    for (row, (face, winding, _)) in cases.iter().enumerate() {
        scene.rec.cull_face(*face);
        scene.rec.front_face(*winding);
        let y = row as f32;
        let ccw = scene.quad([0.0, y, 1.0, y + 1.0], 0.0, false);
        let cw = scene.quad([1.0, y, 2.0, y + 1.0], 0.0, true);
        scene.draw(ccw, GREEN_F);
        scene.draw(cw, GREEN_F);
    }
    let read = scene.read(fbo, 0);
    let got = pixels(scene.replay().get(read).unwrap());
    for (row, (face, winding, drawn)) in cases.iter().enumerate() {
        for (column, drawn) in drawn.iter().enumerate() {
            let expected = if *drawn { GREEN } else { BLACK };
            assert_eq!(
                at(&got, column, row),
                expected,
                "{face:?} {winding:?} {column}"
            );
        }
    }
    assert_eq!((at(&got, 0, 7), at(&got, 1, 7)), (GREEN, GREEN));
}

#[test]
fn wireframe_draws_edges_only() {
    let mut scene = Scene::new();
    let fbo = scene.target(&[ColorFormat::Rgba8], false);
    scene.clear(fbo, BLACK_F, 1.0);
    scene.rec.wireframe(true);
    scene.fill([1.5, 1.5, 6.5, 6.5], 0.0, GREEN_F);
    let wire = scene.read(fbo, 0);
    scene.rec.wireframe(false);
    scene.fill([1.5, 1.5, 6.5, 6.5], 0.0, RED_F);
    let filled = scene.read(fbo, 0);
    let readbacks = scene.replay();
    let wire = pixels(readbacks.get(wire).unwrap());
    // The edges of its two triangles are drawn: the outline (rows and columns 1 and 6) and
    // the diagonal through the centers x + y = 7; nothing else.
    for y in 0..SIZE {
        for x in 0..SIZE {
            let ring = (1..=6).contains(&x) && (1..=6).contains(&y);
            let inside = (2..=5).contains(&x) && (2..=5).contains(&y);
            if !ring || (inside && x + y != 7) {
                assert_eq!(at(&wire, x, y), BLACK, "({x}, {y})");
            }
        }
    }
    for i in 2..=5 {
        for (x, y) in [(i, 1), (i, 6), (1, i), (6, i), (i, 7 - i)] {
            assert_eq!(at(&wire, x, y), GREEN, "edge ({x}, {y})");
        }
    }
    // Filled, it covers the centers inside the outline (those on it go by GL's tie rule).
    let filled = pixels(readbacks.get(filled).unwrap());
    for y in 0..SIZE {
        for x in 0..SIZE {
            let inside = (2..=5).contains(&x) && (2..=5).contains(&y);
            if inside {
                assert_eq!(at(&filled, x, y), RED, "({x}, {y})");
            } else if at(&wire, x, y) == BLACK {
                assert_eq!(at(&filled, x, y), BLACK, "({x}, {y})");
            }
        }
    }
}

#[test]
fn point_size_applies_unless_the_program_sets_it() {
    let mut scene = Scene::new();
    let fbo = scene.target(&[ColorFormat::Rgba8], false);
    let point = [[4.5f32, 4.5, 0.0]];
    let plain = scene.shape(scene.program, &point);
    let sized = scene.shape(scene.points, &point);
    scene.rec.uniform(scene.program, "color", GREEN_F).unwrap();
    scene.rec.uniform(scene.points, "color", GREEN_F).unwrap();
    let mut reads = Vec::new();
    // Size 1 by default; 3 once set; the shader's 5 only with PROGRAM_POINT_SIZE.
    for (vertex_array, size, program_size) in [
        (plain, None, false),
        (plain, Some(3.0), false),
        (sized, Some(3.0), false),
        (sized, Some(3.0), true),
    ] {
        scene.clear(fbo, BLACK_F, 1.0);
        if let Some(size) = size {
            scene.rec.point_size(size).unwrap();
        }
        if program_size {
            scene.rec.enable(Capability::ProgramPointSize);
        }
        scene
            .rec
            .render(vertex_array, Draw::new(Mode::Points))
            .unwrap();
        reads.push(scene.read(fbo, 0));
    }
    let readbacks = scene.replay();
    let squares = [[4, 4, 5, 5], [3, 3, 6, 6], [3, 3, 6, 6], [2, 2, 7, 7]];
    for (read, square) in reads.into_iter().zip(squares) {
        let got = pixels(readbacks.get(read).unwrap());
        assert_eq!(got, image(&[(square, GREEN)], BLACK), "{square:?}");
    }
}

#[test]
fn line_width_widens_lines() {
    let mut scene = Scene::new();
    let fbo = scene.target(&[ColorFormat::Rgba8], false);
    let line = scene.shape(scene.program, &[[0.0, 4.5, 0.0], [8.0, 4.5, 0.0]]);
    scene.rec.uniform(scene.program, "color", GREEN_F).unwrap();
    let mut reads = Vec::new();
    for width in [None, Some(3.0)] {
        scene.clear(fbo, BLACK_F, 1.0);
        if let Some(width) = width {
            scene.rec.line_width(width).unwrap();
        }
        scene.rec.render(line, Draw::new(Mode::Lines)).unwrap();
        reads.push(scene.read(fbo, 0));
    }
    let readbacks = scene.replay();
    for (read, rows) in reads.into_iter().zip([[0, 4, 8, 5], [0, 3, 8, 6]]) {
        let got = pixels(readbacks.get(read).unwrap());
        assert_eq!(got, image(&[(rows, GREEN)], BLACK), "{rows:?}");
    }
}

#[test]
fn rasterizer_discard_drops_draws_and_clears_but_not_the_zeroing_of_new_framebuffers() {
    let mut scene = Scene::new();
    let fbo = scene.target(&[ColorFormat::Rgba8], false);
    scene.clear(fbo, BLACK_F, 1.0);
    scene.rec.enable(Capability::RasterizerDiscard);
    scene.fill(WHOLE, 0.0, RED_F);
    scene.clear(fbo, BLUE_F, 1.0);
    // Made while discarding: it still reads back as zeros.
    let late = scene
        .rec
        .framebuffer(8, 8, &[ColorFormat::Rgba8], true)
        .unwrap();
    let discarded = scene.read(fbo, 0);
    let zeroed = scene.read(late, 0);
    // A transform leaves it on, as ModernGL does when the list turned it on.
    let capture = ProgramDesc::new(VS).varyings(&["gl_Position"], Default::default());
    let capture = scene.rec.program(capture).unwrap();
    let input = scene.rec.buffer(&[[0.0f32; 3]]).unwrap();
    let content = [(input, "3f", &["in_pos"][..])];
    let vao = scene.rec.vertex_array(capture, &content, None).unwrap();
    let out = scene.rec.buffer_reserve(16, false).unwrap();
    scene
        .rec
        .transform(vao, &[out], Draw::new(Mode::Points), 0)
        .unwrap();
    scene.fill(WHOLE, 0.0, RED_F);
    let after_transform = scene.read(fbo, 0);
    scene.rec.disable(Capability::RasterizerDiscard);
    scene.fill([0.0, 0.0, 4.0, 8.0], 0.0, GREEN_F);
    let drawn = scene.read(fbo, 0);
    let readbacks = scene.replay();
    assert_eq!(pixels(readbacks.get(discarded).unwrap()), image(&[], BLACK));
    assert_eq!(readbacks.get(zeroed).unwrap(), [0u8; SIZE * SIZE * 4]);
    assert_eq!(
        pixels(readbacks.get(after_transform).unwrap()),
        image(&[], BLACK)
    );
    let expected = image(&[([0, 0, 4, 8], GREEN)], BLACK);
    assert_eq!(pixels(readbacks.get(drawn).unwrap()), expected);
}

#[test]
fn enable_only_sets_every_capability() {
    let mut scene = Scene::new();
    let fbo = scene.target(&[ColorFormat::Rgba32F], true);
    scene.clear(fbo, DST, 0.5);
    scene.rec.enable(Capability::DepthTest);
    scene.rec.enable(Capability::RasterizerDiscard);
    scene.rec.enable(Capability::CullFace);
    // Blend alone: the depth test (which would refuse depth 0.75), culling (which would drop
    // the clockwise quad) and discarding are off.
    scene.rec.enable_only([Capability::Blend]);
    let quad = scene.quad([0.0, 0.0, 4.0, 8.0], 0.5, true);
    scene.draw(quad, SRC);
    // Nothing: no blending either.
    scene.rec.enable_only([]);
    scene.fill([4.0, 0.0, 8.0, 8.0], 0.5, SRC);
    let read = scene.read_f32(fbo);
    let got = pixels_f32(scene.replay().get(read).unwrap());
    let blended: [f32; 4] = std::array::from_fn(|i| SRC[i] * SRC[3] + DST[i] * (1.0 - SRC[3]));
    assert_eq!(
        got,
        image(&[([0, 0, 4, 8], blended), ([4, 0, 8, 8], SRC)], DST)
    );
}

// ---------------------------------------------------------------------------------------------
// Framebuffer state: scissor and color masks

#[test]
fn the_scissor_limits_draws_and_clears_of_its_framebuffer() {
    let mut scene = Scene::new();
    let fbo = scene.target(&[ColorFormat::Rgba8], false);
    let other = scene
        .rec
        .framebuffer(8, 8, &[ColorFormat::Rgba8], false)
        .unwrap();
    scene.clear(fbo, BLACK_F, 1.0);
    scene.rec.scissor(fbo, Some(Rect::new(1, 2, 3, 4))).unwrap();
    scene.fill(WHOLE, 0.0, GREEN_F);
    // A clear takes the scissor too, unless it names its own rectangle.
    scene.clear(fbo, BLUE_F, 1.0);
    scene
        .rec
        .clear_framebuffer(fbo, RED_F, 1.0, Some(Rect::new(6, 6, 2, 2)))
        .unwrap();
    let scissored = scene.read(fbo, 0);
    // Another framebuffer's scissor waits for its use; clearing it leaves this one's.
    scene
        .rec
        .scissor(other, Some(Rect::new(0, 0, 2, 2)))
        .unwrap();
    scene.clear(other, GREEN_F, 1.0);
    scene.fill(WHOLE, 0.0, RED_F);
    let still = scene.read(fbo, 0);
    scene.rec.use_framebuffer(other).unwrap();
    scene.fill(WHOLE, 0.0, BLUE_F);
    let other_read = scene.read(other, 0);
    // None turns it off.
    scene.rec.use_framebuffer(fbo).unwrap();
    scene.rec.scissor(fbo, None).unwrap();
    scene.fill(WHOLE, 0.0, GREEN_F);
    let whole = scene.read(fbo, 0);
    let readbacks = scene.replay();
    let expected = image(&[([1, 2, 4, 6], BLUE), ([6, 6, 8, 8], RED)], BLACK);
    assert_eq!(pixels(readbacks.get(scissored).unwrap()), expected);
    let expected = image(&[([1, 2, 4, 6], RED), ([6, 6, 8, 8], RED)], BLACK);
    assert_eq!(pixels(readbacks.get(still).unwrap()), expected);
    let expected = image(&[([0, 0, 2, 2], BLUE)], [0, 0, 0, 0]);
    assert_eq!(pixels(readbacks.get(other_read).unwrap()), expected);
    assert_eq!(pixels(readbacks.get(whole).unwrap()), image(&[], GREEN));
}

#[test]
fn color_masks_apply_per_attachment_to_draws_and_clears() {
    const FS_TWO: &str = "#version 450 core
uniform vec4 color;
layout(location = 0) out vec4 first;
layout(location = 1) out vec4 second;
void main() { first = color; second = color; }
";
    let mut scene = Scene::new();
    let two = scene
        .rec
        .program(ProgramDesc::new(VS).fragment(FS_TWO))
        .unwrap();
    let fbo = scene.target(&[ColorFormat::Rgba8, ColorFormat::Rgba8], false);
    scene.clear(fbo, BLACK_F, 1.0);
    scene
        .rec
        .color_mask(fbo, 0, [true, false, true, false])
        .unwrap();
    scene
        .rec
        .color_mask(fbo, 1, [false, true, false, true])
        .unwrap();
    let quad = scene.shape(two, &[[0.0, 0.0, 0.0], [8.0, 0.0, 0.0], [0.0, 8.0, 0.0]]);
    scene
        .rec
        .uniform(two, "color", [1.0f32, 1.0, 1.0, 0.0])
        .unwrap();
    scene.rec.render(quad, Draw::new(Mode::Triangles)).unwrap();
    scene
        .rec
        .clear_framebuffer(fbo, [0.5, 0.5, 0.5, 0.5], 1.0, Some(Rect::new(7, 7, 1, 1)))
        .unwrap();
    let reads = [scene.read(fbo, 0), scene.read(fbo, 1)];
    let readbacks = scene.replay();
    let first = pixels(readbacks.get(reads[0]).unwrap());
    let second = pixels(readbacks.get(reads[1]).unwrap());
    assert_eq!(at(&first, 1, 1), [255, 0, 255, 255]);
    assert_eq!(at(&second, 1, 1), [0, 255, 0, 0]);
    assert_eq!(at(&first, 7, 7), [128, 0, 128, 255]);
    assert_eq!(at(&second, 7, 7), [0, 128, 0, 128]);
    assert_eq!(at(&first, 6, 6), BLACK, "outside the triangle");
}

#[test]
fn a_framebuffer_applies_its_state_when_used() {
    let mut scene = Scene::new();
    let masked = scene.target(&[ColorFormat::Rgba8], false);
    let open = scene.target(&[ColorFormat::Rgba8], false);
    // Set while another is in use: applied at its use only.
    scene
        .rec
        .color_mask(masked, 0, [false, true, false, true])
        .unwrap();
    scene.clear(open, BLACK_F, 1.0);
    scene.fill(WHOLE, 0.0, [1.0, 1.0, 1.0, 1.0]);
    let open_read = scene.read(open, 0);
    scene.rec.use_framebuffer(masked).unwrap();
    scene.clear(masked, BLACK_F, 1.0);
    scene.fill(WHOLE, 0.0, [1.0, 1.0, 1.0, 1.0]);
    let masked_read = scene.read(masked, 0);
    // Releasing the framebuffer in use uses the screen, with the screen's own state.
    scene.rec.release(masked).unwrap();
    scene
        .rec
        .viewport(FramebufferId::SCREEN, Rect::new(0, 0, 8, 8))
        .unwrap();
    scene.fill(WHOLE, 0.0, [1.0, 1.0, 1.0, 1.0]);
    let screen = scene
        .rec
        .read_pixels(
            FramebufferId::SCREEN,
            Some(Rect::new(0, 0, 8, 8)),
            4,
            0,
            PixelType::F1,
        )
        .unwrap();
    let readbacks = scene.replay();
    assert_eq!(
        pixels(readbacks.get(open_read).unwrap()),
        image(&[], [255; 4])
    );
    // Black's red and blue stay 0; alpha was 255 and stays.
    let masked = pixels(readbacks.get(masked_read).unwrap());
    assert_eq!(masked, image(&[], [0, 255, 0, 255]));
    assert_eq!(pixels(readbacks.get(screen).unwrap()), image(&[], [255; 4]));
}

// ---------------------------------------------------------------------------------------------
// Stencil (gltape's own), on the screen: offscreen framebuffers have no stencil buffer

#[test]
fn the_stencil_test_masks_later_draws() {
    let mut scene = Scene::new();
    let screen = FramebufferId::SCREEN;
    scene.rec.viewport(screen, Rect::new(0, 0, 8, 8)).unwrap();
    scene.rec.enable(Capability::StencilTest);
    // Write 1 where a counter-clockwise quad is, 2 where a clockwise one is (back faces),
    // without touching the color.
    scene.rec.color_mask(screen, 0, [false; 4]).unwrap();
    scene
        .rec
        .stencil_func(Face::FrontAndBack, CompareFunc::Always, 1, 0xff);
    scene
        .rec
        .stencil_func(Face::Back, CompareFunc::Always, 2, 0xff);
    let keep = StencilAction::Keep;
    scene
        .rec
        .stencil_op(Face::FrontAndBack, keep, keep, StencilAction::Replace);
    scene.fill([0.0, 0.0, 4.0, 4.0], 0.0, RED_F);
    let back = scene.quad([4.0, 0.0, 8.0, 4.0], 0.0, true);
    scene.draw(back, RED_F);
    // Increment where the stencil is 1, writing only bit 1: (1 & !2) | (2 & 2) = 3.
    scene
        .rec
        .stencil_func(Face::FrontAndBack, CompareFunc::Equal, 1, 0xff);
    scene
        .rec
        .stencil_op(Face::FrontAndBack, keep, keep, StencilAction::Incr);
    scene.rec.stencil_mask(Face::FrontAndBack, 0x02);
    scene.fill([0.0, 0.0, 2.0, 8.0], 0.0, RED_F);
    scene.rec.stencil_mask(Face::FrontAndBack, 0xff);
    // Show the pixels holding 3, 2, and 0 (compared through mask 3).
    scene.rec.color_mask(screen, 0, [true; 4]).unwrap();
    scene.rec.stencil_op(Face::FrontAndBack, keep, keep, keep);
    for (reference, mask, color) in [(3, 0xff, RED_F), (2, 0xff, GREEN_F), (4, 0x03, BLUE_F)] {
        scene
            .rec
            .stencil_func(Face::FrontAndBack, CompareFunc::Equal, reference, mask);
        scene.fill(WHOLE, 0.0, color);
    }
    let read = scene
        .rec
        .read_pixels(screen, Some(Rect::new(0, 0, 8, 8)), 4, 0, PixelType::F1)
        .unwrap();
    let list = scene.rec.finish();
    let expected = image(
        &[
            ([0, 0, 2, 4], RED),
            ([4, 0, 8, 4], GREEN),
            ([0, 4, 8, 8], BLUE),
        ],
        [0, 0, 0, 0],
    );
    // Twice on one renderer: the second replay starts from a zeroed stencil buffer.
    let mut renderer = Renderer::headless().unwrap();
    for _ in 0..2 {
        let readbacks = renderer.replay(&list).unwrap();
        assert_eq!(pixels(readbacks.get(read).unwrap()), expected);
    }
}

// ---------------------------------------------------------------------------------------------
// Every replay starts from ModernGL's state; submissions keep the state a session set

/// Sets every piece of pipeline state away from its default, on the framebuffer in use and
/// on the screen.
fn change_everything(rec: &mut Recorder, fbo: FramebufferId) {
    rec.enable_only(Capability::ALL);
    rec.disable(Capability::RasterizerDiscard);
    rec.blend_func(BlendFactor::Zero, BlendFactor::DstColor);
    rec.blend_equation(BlendEquation::Max);
    rec.depth_func(CompareFunc::Never);
    rec.front_face(Winding::Cw);
    rec.cull_face(Face::FrontAndBack);
    rec.polygon_offset(1.0, 8.0).unwrap();
    rec.wireframe(true);
    rec.point_size(7.0).unwrap();
    rec.line_width(5.0).unwrap();
    rec.stencil_func(Face::FrontAndBack, CompareFunc::Never, 1, 0);
    rec.stencil_op(
        Face::FrontAndBack,
        StencilAction::Invert,
        StencilAction::Invert,
        StencilAction::Invert,
    );
    rec.stencil_mask(Face::FrontAndBack, 0);
    for framebuffer in [fbo, FramebufferId::SCREEN] {
        rec.scissor(framebuffer, Some(Rect::new(0, 0, 1, 1)))
            .unwrap();
        rec.color_mask(framebuffer, 0, [false; 4]).unwrap();
        rec.depth_mask(framebuffer, false).unwrap();
    }
}

/// A frame that depends on every default: a filled, blended, depth-tested, stenciled draw of
/// both windings on the screen and into a framebuffer, and points.
fn default_frame(scene: &mut Scene, fbo: FramebufferId) -> Vec<ReadbackId> {
    let mut reads = Vec::new();
    let screen = FramebufferId::SCREEN;
    scene.rec.viewport(screen, Rect::new(0, 0, 8, 8)).unwrap();
    for framebuffer in [screen, fbo] {
        scene.rec.use_framebuffer(framebuffer).unwrap();
        scene.clear(framebuffer, [0.0, 0.0, 0.5, 1.0], 1.0);
        scene.rec.enable(Capability::DepthTest);
        scene.rec.enable(Capability::Blend);
        scene.rec.enable(Capability::StencilTest);
        scene.fill([0.0, 0.0, 6.0, 6.0], 0.0, [1.0, 0.0, 0.0, 0.5]);
        let cw = scene.quad([2.0, 2.0, 8.0, 8.0], 0.5, true);
        scene.draw(cw, [0.0, 1.0, 0.0, 0.5]);
        scene.rec.enable_only([]);
        let point = scene.shape(scene.points, &[[7.5, 0.5, 0.0]]);
        scene
            .rec
            .uniform(scene.points, "color", [1.0f32; 4])
            .unwrap();
        scene.rec.render(point, Draw::new(Mode::Points)).unwrap();
        let rect = Some(Rect::new(0, 0, 8, 8));
        reads.push(
            scene
                .rec
                .read_pixels(framebuffer, rect, 4, 0, PixelType::F1)
                .unwrap(),
        );
    }
    reads
}

#[test]
fn every_replay_starts_from_moderngls_state() {
    let fresh = {
        let mut scene = Scene::new();
        let fbo = scene.target(&[ColorFormat::Rgba8], true);
        let reads = default_frame(&mut scene, fbo);
        let readbacks = replay(&scene.rec.finish());
        reads
            .iter()
            .map(|&id| readbacks.get(id).unwrap().to_vec())
            .collect::<Vec<_>>()
    };
    // The frame's own expectations: blended red and green, the point 1 pixel wide.
    let screen = pixels(&fresh[0]);
    assert_eq!(at(&screen, 1, 1), [128, 0, 64, 191]);
    assert_eq!(at(&screen, 7, 7), [0, 128, 64, 191]);
    assert_eq!(at(&screen, 7, 0), [255; 4]);
    assert_eq!(at(&screen, 6, 0), [0, 0, 128, 255]);
    assert_eq!(fresh[0], fresh[1], "the screen and a framebuffer alike");

    let mut dirty = Scene::new();
    let fbo = dirty.target(&[ColorFormat::Rgba8], true);
    change_everything(&mut dirty.rec, fbo);
    let dirty = dirty.rec.finish();
    let mut scene = Scene::new();
    let fbo = scene.target(&[ColorFormat::Rgba8], true);
    let reads = default_frame(&mut scene, fbo);
    let list = scene.rec.finish();
    let mut renderer = Renderer::headless().unwrap();
    renderer.replay(&dirty).unwrap();
    let readbacks = renderer.replay(&list).unwrap();
    for (read, expected) in reads.iter().zip(&fresh) {
        assert_eq!(readbacks.get(*read).unwrap(), &expected[..]);
    }
}

#[test]
fn submissions_keep_the_state_the_session_set() {
    // One list: state set, then drawn with. Two segments: the same, the host changing GL's
    // state between them.
    let record = |rec: &mut Recorder, fbo: FramebufferId| {
        rec.enable(Capability::Blend);
        rec.blend_func(BlendFactor::One, BlendFactor::One);
        rec.blend_equation(BlendEquation::FuncReverseSubtract);
        rec.enable(Capability::StencilTest);
        rec.stencil_func(Face::FrontAndBack, CompareFunc::Always, 0, 0xff);
        rec.scissor(fbo, Some(Rect::new(0, 0, 4, 8))).unwrap();
        rec.color_mask(fbo, 0, [true, true, false, true]).unwrap();
        rec.wireframe(false);
        rec.point_size(2.0).unwrap();
    };
    let draw = |scene: &mut Scene, fbo: FramebufferId| {
        scene.fill(WHOLE, 0.0, [0.25, 0.75, 1.0, 0.0]);
        scene.read(fbo, 0)
    };
    let whole = {
        let mut scene = Scene::new();
        let fbo = scene.target(&[ColorFormat::Rgba8], false);
        scene.clear(fbo, [1.0, 1.0, 0.0, 1.0], 1.0);
        record(&mut scene.rec, fbo);
        let read = draw(&mut scene, fbo);
        scene.replay().get(read).unwrap().to_vec()
    };
    let expected = image(&[([0, 0, 4, 8], [191, 64, 0, 255])], [255, 255, 0, 255]);
    assert_eq!(pixels(&whole), expected);

    let mut renderer = Renderer::headless().unwrap();
    let mut scene = Scene::new();
    let fbo = scene.target(&[ColorFormat::Rgba8], false);
    scene.clear(fbo, [1.0, 1.0, 0.0, 1.0], 1.0);
    record(&mut scene.rec, fbo);
    renderer.submit(&scene.rec.flush().unwrap()).unwrap();
    renderer.make_current();
    let gl = renderer.gl();
    // SAFETY: plain state changes with valid enums on the current context.
    unsafe {
        use gltape::gl;
        gl.Disable(gl::BLEND);
        gl.BlendEquation(gl::FUNC_ADD);
        gl.Enable(gl::STENCIL_TEST);
        gl.StencilFunc(gl::NEVER, 0, 0);
        gl.Disable(gl::SCISSOR_TEST);
        gl.ColorMask(1, 1, 1, 1);
        gl.PolygonMode(gl::FRONT_AND_BACK, gl::LINE);
        gl.Enable(gl::POLYGON_OFFSET_FILL);
        gl.PolygonOffset(0.0, 0.0);
    }
    let read = draw(&mut scene, fbo);
    let readbacks = renderer.submit(&scene.rec.flush().unwrap()).unwrap();
    assert_eq!(readbacks.get(read).unwrap(), &whole[..]);
}

// ---------------------------------------------------------------------------------------------
// Validation

#[test]
fn values_gl_would_refuse_are_rejected_and_record_nothing() {
    let mut rec = Recorder::new();
    let fbo = rec.framebuffer(8, 8, &[ColorFormat::Rgba8], false).unwrap();
    let depth_only = rec.framebuffer(8, 8, &[], true).unwrap();
    let before = rec.list().len();
    let bad = |what: &'static str, must: &'static str, value: f32| ValidationError::BadValue {
        what,
        must,
        value: value.into(),
    };
    let positive = "finite and above 0";
    for size in [0.0, -1.0, f32::NAN, f32::INFINITY] {
        assert_eq!(rec.point_size(size), Err(bad("point size", positive, size)));
        assert_eq!(rec.line_width(size), Err(bad("line width", positive, size)));
    }
    assert_eq!(
        rec.polygon_offset(f32::NAN, 0.0),
        Err(bad("polygon offset factor", "finite", f32::NAN))
    );
    assert_eq!(
        rec.polygon_offset(0.0, f32::NEG_INFINITY),
        Err(bad("polygon offset units", "finite", f32::NEG_INFINITY))
    );
    let wide = Some(Rect::new(0, 0, 1 << 31, 1));
    assert!(matches!(
        rec.scissor(fbo, wide),
        Err(ValidationError::GlRange { .. })
    ));
    let past = Some(Rect::new(5, i32::MAX - 1, 1, 2));
    assert_eq!(
        rec.scissor(fbo, past),
        Err(ValidationError::GlRange {
            what: "scissor top edge",
            value: 1 << 31,
            gl_type: "GLint",
            max: i32::MAX as u64
        })
    );
    // An id another recorder made: this one never did.
    let mut other = Recorder::new();
    let missing = (0..3)
        .map(|_| {
            other
                .framebuffer(1, 1, &[ColorFormat::Rgba8], false)
                .unwrap()
        })
        .last()
        .unwrap();
    assert!(matches!(
        rec.scissor(missing, None),
        Err(ValidationError::Undefined { .. })
    ));
    assert!(matches!(
        rec.depth_mask(missing, true),
        Err(ValidationError::Undefined { .. })
    ));
    for (framebuffer, attachment, count) in [(fbo, 1, 1), (depth_only, 0, 0)] {
        assert_eq!(
            rec.color_mask(framebuffer, attachment, [true; 4]),
            Err(ValidationError::NoSuchAttachment {
                framebuffer,
                attachment,
                count
            })
        );
    }
    rec.release(fbo).unwrap();
    assert!(matches!(
        rec.scissor(fbo, None),
        Err(ValidationError::Released { .. })
    ));
    assert_eq!(
        rec.list().len(),
        before + 1,
        "only the release was recorded"
    );
    // Negative corners are GL's to take: the scissor is a rectangle, not a read.
    let screen = FramebufferId::SCREEN;
    rec.scissor(screen, Some(Rect::new(-4, -4, 6, 6))).unwrap();
    let reach = i32::MAX as u32;
    rec.scissor(screen, Some(Rect::new(i32::MIN, 0, reach, reach)))
        .unwrap();
    rec.point_size(f32::MIN_POSITIVE).unwrap();
    rec.polygon_offset(-1e30, 1e30).unwrap();
    replay(&rec.finish());
}

#[test]
fn the_documented_pipeline_example_reads_back_as_described() {
    let docs = include_str!("../docs/text-format.md");
    let block = docs
        .split("```jsonl\n")
        .nth(2)
        .expect("the second jsonl block");
    let list = gltape::text::assemble(&block[..block.find("```").unwrap()]).unwrap();
    let readbacks = replay(&list);
    let (yellow, red) = ([255u8, 255, 0, 255], [255u8, 0, 0, 255]);
    let expected: Vec<u8> = (0..16)
        .flat_map(|i| if i % 4 < 2 { yellow } else { red })
        .collect();
    assert_eq!(readbacks.iter().collect::<Vec<_>>(), [&expected[..]]);
}
