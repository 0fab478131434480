//! Queries and conditional rendering recorded, then replayed on a real OpenGL 4.5 context
//! (Mesa llvmpipe): samples of a known triangle, primitives, elapsed time, conditional
//! draws and clears, the state rules GL and ModernGL impose, and queries a list leaves
//! running.

use gltape::trace::{digest, Trace};
use gltape::{
    Capture, ColorFormat, Draw, FramebufferId, Mode, PixelType, ProgramDesc, QueryKinds,
    QueryResult, ReadbackId, Readbacks, Recorder, Renderer, TextureDesc, ValidationError,
    VertexArrayId,
};

const VS: &str = "#version 450 core
in vec2 pos;
void main() { gl_Position = vec4(pos, 0.0, 1.0); }
";
const FS: &str = "#version 450 core
out vec4 color;
void main() { color = vec4(1.0); }
";

/// Counting samples only.
const SAMPLES: QueryKinds = QueryKinds {
    samples: true,
    any_samples: false,
    time: false,
    primitives: false,
};

/// An 8x8 RGBA8 framebuffer in use, cleared, and vertex arrays of a triangle covering the
/// lower-left half (`half`), of two triangles off the framebuffer (`outside`), and of a
/// full-screen quad as a strip (`quad`).
struct Scene {
    fbo: FramebufferId,
    half: VertexArrayId,
    outside: VertexArrayId,
    quad: VertexArrayId,
}

fn scene(rec: &mut Recorder) -> Scene {
    let program = rec.program(ProgramDesc::new(VS).fragment(FS)).unwrap();
    let fbo = rec.framebuffer(8, 8, &[ColorFormat::Rgba8], false).unwrap();
    rec.use_framebuffer(fbo).unwrap();
    let mut vao = |points: &[f32]| {
        let buffer = rec.buffer(points).unwrap();
        rec.vertex_array(program, &[(buffer, "2f", &["pos"])], None)
            .unwrap()
    };
    let half = vao(&[-1.0, -1.0, 1.0, -1.0, -1.0, 1.0]);
    let outside = vao(&[2.0, 2.0, 3.0, 2.0, 2.0, 3.0, 5.0, 5.0, 6.0, 5.0, 5.0, 6.0]);
    let quad = vao(&[-1.0, -1.0, 1.0, -1.0, -1.0, 1.0, 1.0, 1.0]);
    Scene {
        fbo,
        half,
        outside,
        quad,
    }
}

fn replay(rec: Recorder) -> Readbacks {
    let mut renderer = Renderer::headless().expect("headless OpenGL 4.5 context");
    renderer.replay(&rec.finish()).expect("replay")
}

fn count(readbacks: &Readbacks, id: ReadbackId) -> u32 {
    u32::from_le_bytes(readbacks.get(id).unwrap().try_into().unwrap())
}

/// Pixels of an RGBA8 read that are not black.
fn lit(pixels: &[u8]) -> u32 {
    pixels.chunks_exact(4).filter(|p| p[0] != 0).count() as u32
}

#[test]
fn a_query_counts_the_samples_and_primitives_of_a_known_triangle() {
    let mut rec = Recorder::new();
    let s = scene(&mut rec);
    let query = rec.query(QueryKinds::default()).unwrap();
    rec.begin_query(query).unwrap();
    rec.render(s.half, Draw::new(Mode::Triangles)).unwrap();
    rec.end_query(query).unwrap();
    let pixels = rec.read_pixels(s.fbo, None, 4, 0, PixelType::F1).unwrap();
    let samples = rec.read_query(query, QueryResult::Samples).unwrap();
    let primitives = rec.read_query(query, QueryResult::Primitives).unwrap();
    let elapsed = rec.read_query(query, QueryResult::Elapsed).unwrap();
    // Counted again from zero: the quad's 2 triangles and 64 samples, 3 instances of it.
    rec.begin_query(query).unwrap();
    rec.render(s.quad, Draw::new(Mode::TriangleStrip).instances(3))
        .unwrap();
    rec.end_query(query).unwrap();
    let samples_again = rec.read_query(query, QueryResult::Samples).unwrap();
    let primitives_again = rec.read_query(query, QueryResult::Primitives).unwrap();
    let readbacks = replay(rec);
    let drawn = lit(readbacks.get(pixels).unwrap());
    // The diagonal's pixel centres on one side: 8 + 7 + ... + 1 minus the diagonal's 8.
    assert_eq!(drawn, 28);
    assert_eq!(count(&readbacks, samples), drawn);
    assert_eq!(count(&readbacks, primitives), 1);
    assert_eq!(readbacks.get(elapsed).unwrap().len(), 4);
    assert_eq!(count(&readbacks, samples_again), 3 * 64);
    assert_eq!(count(&readbacks, primitives_again), 3 * 2);
}

#[test]
fn counts_read_before_the_first_end_are_zero() {
    let mut rec = Recorder::new();
    let s = scene(&mut rec);
    let query = rec.query(SAMPLES).unwrap();
    let before = rec.read_query(query, QueryResult::Samples).unwrap();
    rec.begin_query(query).unwrap();
    rec.render(s.outside, Draw::new(Mode::Triangles)).unwrap();
    rec.end_query(query).unwrap();
    let outside = rec.read_query(query, QueryResult::Samples).unwrap();
    let readbacks = replay(rec);
    assert_eq!(readbacks.get(before).unwrap(), &[0u8; 4][..]);
    assert_eq!(readbacks.get(outside).unwrap(), &[0u8; 4][..]);
}

/// Draws the quad under conditional rendering on a query that counted `drawn`, and clears
/// under it too; returns the pixels after the draw and after the clear.
fn conditional(kinds: QueryKinds, counted: bool) -> (Vec<u8>, Vec<u8>) {
    let mut rec = Recorder::new();
    let s = scene(&mut rec);
    rec.clear_framebuffer(s.fbo, [0.0, 0.0, 0.0, 1.0], 1.0, None)
        .unwrap();
    let query = rec.query(kinds).unwrap();
    rec.begin_query(query).unwrap();
    let counted_draw = if counted { s.half } else { s.outside };
    rec.render(counted_draw, Draw::new(Mode::Triangles))
        .unwrap();
    rec.end_query(query).unwrap();
    rec.clear_framebuffer(s.fbo, [0.0, 0.0, 0.0, 1.0], 1.0, None)
        .unwrap();
    rec.begin_conditional_render(query).unwrap();
    rec.render(s.quad, Draw::new(Mode::TriangleStrip)).unwrap();
    rec.end_conditional_render(query).unwrap();
    let drawn = rec.read_pixels(s.fbo, None, 4, 0, PixelType::F1).unwrap();
    rec.begin_conditional_render(query).unwrap();
    rec.clear_framebuffer(s.fbo, [0.0, 1.0, 0.0, 1.0], 1.0, None)
        .unwrap();
    rec.end_conditional_render(query).unwrap();
    let cleared = rec.read_pixels(s.fbo, None, 4, 0, PixelType::F1).unwrap();
    let readbacks = replay(rec);
    (
        readbacks.get(drawn).unwrap().to_vec(),
        readbacks.get(cleared).unwrap().to_vec(),
    )
}

#[test]
fn conditional_rendering_draws_and_clears_only_after_samples_passed() {
    let white = [255u8; 4].repeat(64);
    let green = [0u8, 255, 0, 255].repeat(64);
    let black = [0u8, 0, 0, 255].repeat(64);
    let any = QueryKinds {
        any_samples: true,
        ..QueryKinds::default()
    };
    for kinds in [SAMPLES, any, QueryKinds::ALL] {
        assert_eq!(conditional(kinds, true), (white.clone(), green.clone()));
        assert_eq!(conditional(kinds, false), (black.clone(), black.clone()));
    }
}

#[test]
fn objects_made_under_a_failed_conditional_render_are_zeroed_all_the_same() {
    let mut rec = Recorder::new();
    let s = scene(&mut rec);
    let query = rec.query(SAMPLES).unwrap();
    rec.begin_query(query).unwrap();
    rec.render(s.outside, Draw::new(Mode::Triangles)).unwrap();
    rec.end_query(query).unwrap();
    rec.clear_framebuffer(s.fbo, [0.0, 0.0, 0.0, 1.0], 1.0, None)
        .unwrap();
    rec.begin_conditional_render(query).unwrap();
    let made = rec.framebuffer(8, 8, &[ColorFormat::Rgba8], true).unwrap();
    let color = rec.renderbuffer(8, 8, 4, 0, PixelType::F1).unwrap();
    let depth = rec.depth_renderbuffer(8, 8, 0).unwrap();
    let texture = rec.texture(TextureDesc::texture(8, 8, 4), None).unwrap();
    let buffer = rec.buffer_reserve(256, false).unwrap();
    // Still under the condition after the zeroing: this draw is dropped.
    rec.render(s.quad, Draw::new(Mode::TriangleStrip)).unwrap();
    rec.end_conditional_render(query).unwrap();
    let of = rec
        .framebuffer_from(&[color.into()], Some(depth.into()))
        .unwrap();
    let reads = [
        rec.read_pixels(made, None, 4, 0, PixelType::F1).unwrap(),
        rec.read_depth(made, None, PixelType::F4).unwrap(),
        rec.read_pixels(of, None, 4, 0, PixelType::F1).unwrap(),
        rec.read_depth(of, None, PixelType::F4).unwrap(),
        rec.read_texture(texture, 0, 1).unwrap(),
        rec.read(buffer, None, 0).unwrap(),
    ];
    let dropped = rec.read_pixels(s.fbo, None, 4, 0, PixelType::F1).unwrap();
    let readbacks = replay(rec);
    for read in reads {
        let bytes = readbacks.get(read).unwrap();
        assert!(bytes.iter().all(|&b| b == 0), "{read:?}: {bytes:?}");
    }
    assert_eq!(readbacks.get(dropped).unwrap(), [0u8, 0, 0, 255].repeat(64));
}

/// Why gltape turns conditional rendering off while it zeroes new storage: GL drops a
/// framebuffer clear under a condition that failed, as it drops any.
#[test]
fn gl_drops_clears_under_a_failed_condition() {
    use gltape::gl;
    let renderer = Renderer::headless().unwrap();
    let gl = renderer.gl();
    let (mut renderbuffer, mut framebuffer, mut query) = (0, 0, 0);
    let mut pixel = [0u8; 4];
    // SAFETY: the renderer's context is current; every pointer is valid for what GL
    // writes (one name each, one RGBA8 pixel); everything made is deleted.
    unsafe {
        gl.CreateRenderbuffers(1, &mut renderbuffer);
        gl.NamedRenderbufferStorage(renderbuffer, gl::RGBA8, 1, 1);
        gl.CreateFramebuffers(1, &mut framebuffer);
        gl.NamedFramebufferRenderbuffer(
            framebuffer,
            gl::COLOR_ATTACHMENT0,
            gl::RENDERBUFFER,
            renderbuffer,
        );
        gl.ClearNamedFramebufferfv(framebuffer, gl::COLOR, 0, [1.0f32; 4].as_ptr());
        gl.CreateQueries(gl::SAMPLES_PASSED, 1, &mut query);
        gl.BeginQuery(gl::SAMPLES_PASSED, query);
        gl.EndQuery(gl::SAMPLES_PASSED);
        gl.BeginConditionalRender(query, gl::QUERY_WAIT);
        gl.ClearNamedFramebufferfv(framebuffer, gl::COLOR, 0, [0.0f32; 4].as_ptr());
        gl.EndConditionalRender();
        gl.BindFramebuffer(gl::READ_FRAMEBUFFER, framebuffer);
        gl.ReadPixels(
            0,
            0,
            1,
            1,
            gl::RGBA,
            gl::UNSIGNED_BYTE,
            pixel.as_mut_ptr().cast(),
        );
        gl.BindFramebuffer(gl::READ_FRAMEBUFFER, 0);
        gl.DeleteQueries(1, &query);
        gl.DeleteFramebuffers(1, &framebuffer);
        gl.DeleteRenderbuffers(1, &renderbuffer);
        assert_eq!(gl.GetError(), gl::NO_ERROR);
    }
    assert_eq!(
        pixel, [255; 4],
        "the clear under the failed condition was dropped"
    );
}

#[test]
fn query_calls_out_of_turn_are_refused_as_gl_and_moderngl_refuse_them() {
    let mut rec = Recorder::new();
    let s = scene(&mut rec);
    let time = QueryKinds {
        time: true,
        ..QueryKinds::default()
    };
    let a = rec.query(SAMPLES).unwrap();
    let b = rec.query(QueryKinds::ALL).unwrap();
    let t = rec.query(time).unwrap();
    let problem = |result: Result<(), ValidationError>| match result {
        Err(ValidationError::Query { problem, .. }) => problem,
        other => panic!("{other:?}"),
    };
    assert_eq!(problem(rec.end_query(a)), "this query was not started");
    assert!(problem(rec.begin_conditional_render(t)).contains("counts no samples"));
    assert!(problem(rec.begin_conditional_render(a)).contains("has not counted yet"));
    rec.begin_query(a).unwrap();
    assert_eq!(problem(rec.begin_query(a)), "this query is already running");
    assert_eq!(
        rec.begin_query(b),
        Err(ValidationError::QueryBusy {
            query: b,
            other: a,
            kind: "samples"
        })
    );
    rec.begin_query(t).unwrap();
    let read = rec.read_query(a, QueryResult::Samples).map(drop);
    assert_eq!(problem(read), "this query was not stopped");
    assert_eq!(problem(rec.release(a)), "this query is already running");
    assert!(problem(rec.flush().map(drop)).contains("end it before flushing"));
    rec.render(s.half, Draw::new(Mode::Triangles)).unwrap();
    rec.end_query(a).unwrap();
    rec.end_query(t).unwrap();
    let primitives = rec.read_query(a, QueryResult::Primitives).map(drop);
    assert!(problem(primitives).contains("primitives_generated"));
    rec.begin_conditional_render(a).unwrap();
    assert!(problem(rec.begin_query(a)).contains("conditional render mode"));
    assert!(problem(rec.begin_conditional_render(a)).contains("already in conditional"));
    assert!(problem(rec.end_conditional_render(b)).contains("not in conditional"));
    assert!(problem(rec.release(a)).contains("conditional render mode"));
    rec.end_conditional_render(a).unwrap();
    rec.release(a).unwrap();
    assert!(matches!(
        rec.begin_query(a),
        Err(ValidationError::Released { .. })
    ));
    rec.flush().unwrap();
}

#[test]
fn a_list_may_end_with_a_query_running_and_conditional_rendering_on() {
    let mut rec = Recorder::new();
    let s = scene(&mut rec);
    let counted = rec.query(SAMPLES).unwrap();
    rec.begin_query(counted).unwrap();
    rec.render(s.outside, Draw::new(Mode::Triangles)).unwrap();
    rec.end_query(counted).unwrap();
    rec.begin_conditional_render(counted).unwrap();
    let running = rec.query(QueryKinds::ALL).unwrap();
    rec.begin_query(running).unwrap();
    let list = rec.finish();
    let mut renderer = Renderer::headless().unwrap();
    renderer.replay(&list).unwrap();
    // Replay ended both: the host can run queries and draw, and a replay again works.
    let gl = renderer.gl();
    let mut name = 0;
    // SAFETY: the renderer's context is current; one query name is written.
    unsafe {
        gl.GenQueries(1, &mut name);
        gl.BeginQuery(gltape::gl::SAMPLES_PASSED, name);
        gl.EndQuery(gltape::gl::SAMPLES_PASSED);
        gl.DeleteQueries(1, &name);
        assert_eq!(gl.GetError(), gltape::gl::NO_ERROR);
    }
    renderer.replay(&list).unwrap();
    renderer.reset();
    assert_eq!(renderer.live_objects(), 0);
}

#[test]
fn verify_compares_every_count_but_elapsed_time() {
    let mut capture = Capture::headless().unwrap();
    let reads = capture
        .record(|rec| {
            let s = scene(rec);
            let query = rec.query(QueryKinds::ALL)?;
            rec.begin_query(query)?;
            rec.render(s.half, Draw::new(Mode::Triangles))?;
            rec.end_query(query)?;
            Ok([
                rec.read_query(query, QueryResult::Samples)?,
                rec.read_query(query, QueryResult::Elapsed)?,
            ])
        })
        .unwrap();
    assert_eq!(capture.readback(reads[0]), Some(&28u32.to_le_bytes()[..]));
    let trace: Trace = capture.into_trace("queries");
    let mut renderer = Renderer::headless().unwrap();
    let readbacks = renderer.replay(&trace.list).unwrap();
    let digests = &trace.header.readback_digests;
    gltape::verify::verify(&trace.list, digests, &readbacks).unwrap();
    // Any elapsed time verifies; a different sample count does not.
    let mut other = digests.clone();
    other[1] = digest(b"any time at all");
    gltape::verify::verify(&trace.list, &other, &readbacks).unwrap();
    other[0] = digest(&29u32.to_le_bytes());
    let err = gltape::verify::verify(&trace.list, &other, &readbacks).unwrap_err();
    assert!(
        err.to_string().starts_with("readback #0 (command #"),
        "{err}"
    );
}
