//! `draws`: 10,000 tiny draws per frame (one triangle each, a few pixels of a 64x64 RGBA8
//! framebuffer, from one static buffer), replayed by gltape against a hand-written GL loop
//! issuing the same GL calls in the same process and run.
//!
//! The gltape row is a whole-list replay in steady state: `ReplayOptions::loops` runs the
//! frame of draws again and again on the objects its setup frame made (as `gltape replay
//! --loops` does), and only those passes are timed (the renderer's own timing, glFinish
//! included). The setup frame draws once, so that llvmpipe compiles its shader variants
//! before timing starts; the hand-written scene does the same. The hand-written loop binds
//! the framebuffer, program and vertex array once and issues the same
//! `glDrawArraysInstanced(GL_TRIANGLES, 3 * i, 3, 1)` calls gltape issues, then glFinish.
//!
//! The `submit` row runs the same frame as a segment of a recording session
//! (`Renderer::submit` on resident objects; recording and flushing untimed). After the
//! criterion rows, submitted frames and hand-written frames alternate (300 rounds each, 100
//! with `GLTAPE_BENCH_QUICK=1`) and the medians go to `target/criterion/draws-paired.json`.
//!
//! Throughput is in elements (draws); scripts/bench-report turns it into ns per draw.

mod common;

use criterion::{Criterion, Throughput};
use gltape::command::VertexArrayDesc;
use gltape::gl::{self, types::*, Gl};
use gltape::{ColorFormat, CommandList, Draw, Mode, ProgramDesc, Recorder, Renderer};
use gltape::{ReplayOptions, Segment, ValidatedList, VertexArrayId};
use std::time::Duration;

/// Draws per frame.
pub const DRAWS: u32 = 10_000;

const VS: &str = "#version 450 core
in vec2 in_pos;
void main() { gl_Position = vec4(in_pos, 0.0, 1.0); }
";
const FS: &str = "#version 450 core
layout(location = 0) out vec4 color;
void main() { color = vec4(1.0, 0.5, 0.25, 1.0); }
";

fn main() {
    let mut c = common::criterion();
    let mut renderer = common::renderer();
    draws(&mut c, &mut renderer);
    c.final_summary();
}

/// Triangle `i` of the scene: about two pixels of the 64x64 target, on a 100x100 grid.
fn triangle(i: u32) -> [[f32; 2]; 3] {
    let (x, y) = ((i % 100) as f32, (i / 100) as f32);
    let at = |v: f32| v / 50.0 - 1.0;
    let d = 1.0 / 32.0;
    [[at(x), at(y)], [at(x) + d, at(y)], [at(x), at(y) + d]]
}

/// The scene's objects and one draw (llvmpipe compiles its shader variants at the first
/// draw); returns the vertex array the draws use.
fn record_setup(rec: &mut Recorder) -> VertexArrayId {
    let program = rec.program(ProgramDesc::new(VS).fragment(FS)).unwrap();
    let vertices: Vec<[[f32; 2]; 3]> = (0..DRAWS).map(triangle).collect();
    let vbo = rec.buffer(&vertices).unwrap();
    let vao = rec
        .vertex_array(program, &[(vbo, "2f", &["in_pos"][..])], None)
        .unwrap();
    let fbo = rec
        .framebuffer(64, 64, &[ColorFormat::Rgba8], false)
        .unwrap();
    rec.use_framebuffer(fbo).unwrap();
    rec.render(vao, draw(0)).unwrap();
    rec.end_frame();
    vao
}

/// Draw `i`: triangle `i` of the buffer.
fn draw(i: u32) -> Draw {
    Draw::new(Mode::Triangles).vertices(3).first(3 * i)
}

/// One frame of `DRAWS` draws.
fn record_frame(rec: &mut Recorder, vao: VertexArrayId) {
    for i in 0..DRAWS {
        rec.render(vao, draw(i)).unwrap();
    }
    rec.end_frame();
}

/// Frame 0: the setup; frame 1: the `DRAWS` draws.
fn record() -> CommandList {
    let mut rec = Recorder::new();
    let vao = record_setup(&mut rec);
    record_frame(&mut rec, vao);
    rec.finish()
}

fn draws(c: &mut Criterion, renderer: &mut Renderer) {
    let list = record();
    let validated = list.validate().expect("a valid list");
    let mut group = c.benchmark_group("draws");
    common::configure_heavy(&mut group);
    group.throughput(Throughput::Elements(u64::from(DRAWS)));
    group.bench_function("replay", |b| {
        b.iter_custom(|iters| replay(renderer, &validated, iters))
    });
    let mut session = Session::new(renderer);
    group.bench_function("submit", |b| {
        b.iter_custom(|iters| (0..iters).map(|_| session.frame(renderer)).sum())
    });
    // A copy of the renderer's function table (same context), so that hand-written frames
    // can alternate with submissions.
    let gl = renderer.gl().clone();
    let direct = DirectScene::new(&gl, &list);
    group.bench_function("direct_gl", |b| b.iter(|| direct.frame()));
    group.finish();

    let rounds = common::paired_rounds(PAIRED_ROUNDS);
    let paired = common::paired(
        rounds,
        || session.frame(renderer),
        || common::timed(|| direct.frame()),
    );
    paired.report("draws", "draw", u64::from(DRAWS));
}

/// Submitted frames alternating with hand-written ones in the paired measurement.
const PAIRED_ROUNDS: usize = 300;

/// `iters` passes of frame 1 on resident objects, timed by the renderer.
fn replay(renderer: &mut Renderer, list: &ValidatedList<'_>, iters: u64) -> Duration {
    let mut options = ReplayOptions {
        frames: Some(1..2),
        loops: u32::try_from(iters).expect("iterations fit u32"),
        ..Default::default()
    };
    let replay = renderer.replay_with(list, &mut options).expect("replay");
    assert!(
        replay.stats.resident,
        "the frame of draws repeats on resident objects"
    );
    replay.stats.elapsed
}

/// A recording session whose setup segment was submitted: each frame is recorded and
/// flushed untimed, then submitted (timed, with glFinish).
struct Session {
    rec: Recorder,
    vao: VertexArrayId,
    segment: Segment,
}

impl Session {
    fn new(renderer: &mut Renderer) -> Self {
        let mut rec = Recorder::new();
        let vao = record_setup(&mut rec);
        renderer
            .submit(&rec.flush().expect("the setup flushes"))
            .expect("the setup runs");
        Session {
            rec,
            vao,
            segment: Segment::default(),
        }
    }

    /// Records, flushes and submits one frame of draws; returns the time of the submission.
    fn frame(&mut self, renderer: &mut Renderer) -> Duration {
        record_frame(&mut self.rec, self.vao);
        self.rec
            .flush_into(&mut self.segment)
            .expect("the frame flushes");
        common::timed(|| {
            renderer.submit(&self.segment).expect("the frame runs");
            renderer.finish();
        })
    }
}

/// The scene written by hand from the recorded list's descriptions, bound once.
struct DirectScene<'a> {
    objects: common::GlScene<'a>,
}

impl<'a> DirectScene<'a> {
    fn new(gl: &'a Gl, list: &CommandList) -> Self {
        let tables = list.tables();
        let program = common::link_scene_program(gl, list);
        let vertices: Vec<[[f32; 2]; 3]> = (0..DRAWS).map(triangle).collect();
        let bytes: &[u8] = bytemuck::cast_slice(&vertices);
        let buffer = common::create_buffer(gl, bytes.len(), gl::STATIC_DRAW);
        // SAFETY: the buffer holds `bytes.len()` bytes.
        unsafe {
            gl.NamedBufferSubData(buffer, 0, bytes.len() as GLsizeiptr, bytes.as_ptr().cast())
        };
        let binding = tables
            .entries::<VertexArrayDesc>()
            .first()
            .and_then(|v| v.bindings.first())
            .expect("the vertex array");
        let vertex_array = common::create_vertex_array(gl, program, buffer, binding);
        let (framebuffer, renderbuffer) = common::create_rgba8_target(gl, 64, 64);
        let scene = DirectScene {
            objects: common::GlScene {
                gl,
                program,
                framebuffer,
                renderbuffer,
                buffer,
                vertex_array,
            },
        };
        scene.objects.bind(64, 64);
        // SAFETY: vertices 0..3 lie inside the buffer. This first draw (untimed) compiles
        // llvmpipe's shader variants, as the replay's setup frame does.
        unsafe {
            gl.DrawArraysInstanced(gl::TRIANGLES, 0, 3, 1);
            gl.Finish();
        }
        common::assert_no_gl_error(gl, "draws setup");
        scene
    }

    /// One frame: the binds, the `DRAWS` draws, then glFinish. Not inlined, so that a
    /// profile (as `valgrind --tool=callgrind --toggle-collect='*DirectScene*frame*'`) can
    /// single it out.
    #[inline(never)]
    fn frame(&self) {
        self.objects.bind(64, 64);
        let gl = self.objects.gl;
        for i in 0..DRAWS as GLint {
            // SAFETY: vertices 3i..3i+3 lie inside the buffer.
            unsafe { gl.DrawArraysInstanced(gl::TRIANGLES, 3 * i, 3, 1) };
        }
        // SAFETY: no arguments; the context is current.
        unsafe { gl.Finish() };
    }
}
