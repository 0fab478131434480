//! `small_updates`: 160,000 writes of 48 bytes, each followed by a draw of the triangle it
//! wrote (the built-in `Scene::SmallUpdates`), replayed with each `StreamStrategy`, next to a
//! hand-written GL loop doing the same glNamedBufferSubData + glDrawArrays pairs with the
//! same shaders, vertex layout and 64x64 framebuffer (taken from the recorded list).
//!
//! After the criterion rows, faithful replays and hand-written frames alternate (30 rounds
//! each, 10 with `GLTAPE_BENCH_QUICK=1`) and the medians go to
//! `target/criterion/small_updates-paired.json`.
//!
//! Throughput is in elements (updates); scripts/bench-report turns it into ns per update.
//! Only the frame of updates is timed, glFinish included: the scene's setup frame (program,
//! framebuffer, buffer) runs untimed before it, and its final reads are not replayed.

mod common;

use criterion::{Criterion, Throughput};
use gltape::command::{ClearDesc, VertexArrayDesc};
use gltape::gl::{self, types::*, Gl};
use gltape::scene::{self, Scene, SMALL_UPDATE_BYTES};
use gltape::{CommandList, Recorder, Renderer, ReplayOptions, StreamStrategy};
use std::time::Duration;

/// Write + draw pairs per iteration.
const UPDATES: u64 = 160_000;

fn main() {
    let mut c = common::criterion();
    let mut renderer = common::renderer();
    small_updates(&mut c, &mut renderer);
    c.final_summary();
}

const STRATEGIES: [(&str, StreamStrategy); 3] = [
    ("faithful", StreamStrategy::Faithful),
    ("fold", StreamStrategy::Fold),
    ("ring", StreamStrategy::Ring),
];

fn small_updates(c: &mut Criterion, renderer: &mut Renderer) {
    // Frame 0 is the scene's setup; frame 1 (timed) holds the 160,000 pairs. A second frame of
    // updates is recorded so that the reads after the last frame are not part of frame 1.
    let mut rec = Recorder::new();
    Scene::SmallUpdates
        .record(&mut rec, UPDATES * SMALL_UPDATE_BYTES, 2)
        .expect("the small-updates scene records");
    let list = rec.finish();
    let validated = list.validate().expect("a valid list");

    let mut group = c.benchmark_group("small_updates");
    common::configure_heavy(&mut group);
    group.throughput(Throughput::Elements(UPDATES));
    for (name, stream) in STRATEGIES {
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let mut options = ReplayOptions {
                        stream,
                        frames: Some(1..2),
                        ..Default::default()
                    };
                    let replay = renderer
                        .replay_with(&validated, &mut options)
                        .expect("replay");
                    debug_assert_eq!(replay.stats.commands as u64, 2 * UPDATES + 1);
                    total += replay.stats.elapsed;
                }
                total
            });
        });
    }

    // A copy of the renderer's function table (same context), so that hand-written frames
    // can alternate with replays.
    let gl = renderer.gl().clone();
    let direct = DirectScene::new(&gl, &list);
    group.bench_function("direct_gl", |b| b.iter(|| direct.frame()));
    group.finish();

    let faithful = |renderer: &mut Renderer| {
        let mut options = ReplayOptions {
            frames: Some(1..2),
            ..Default::default()
        };
        let replay = renderer
            .replay_with(&validated, &mut options)
            .expect("replay");
        replay.stats.elapsed
    };
    let paired = common::paired(
        common::paired_rounds(PAIRED_ROUNDS),
        || faithful(renderer),
        || common::timed(|| direct.frame()),
    );
    paired.report("small_updates", "update", UPDATES);
}

/// Faithful replays alternating with hand-written frames in the paired measurement.
const PAIRED_ROUNDS: usize = 30;

/// The small-updates scene written by hand: program, framebuffer, buffer and vertex array
/// built from the recorded list's descriptions, bound once.
struct DirectScene<'a> {
    objects: common::GlScene<'a>,
    /// The framebuffer's width and height.
    size: (GLsizei, GLsizei),
    /// Frame 0's updates, as the recorded frame 1 writes them.
    updates: Vec<[[f32; 4]; 3]>,
}

impl<'a> DirectScene<'a> {
    fn new(gl: &'a Gl, list: &CommandList) -> Self {
        let tables = list.tables();
        let program = common::link_scene_program(gl, list);
        let (width, height) = common::scene_framebuffer_size(list);
        let clear = tables
            .entries::<ClearDesc>()
            .first()
            .expect("the scene's clear")
            .color;
        let binding = tables
            .entries::<VertexArrayDesc>()
            .first()
            .and_then(|v| v.bindings.first())
            .expect("the scene's vertex array");
        assert_eq!(u64::from(binding.format.stride) * 3, SMALL_UPDATE_BYTES);

        let updates: Vec<[[f32; 4]; 3]> = (0..UPDATES).map(|i| scene::small_update(0, i)).collect();
        let (framebuffer, renderbuffer) = common::create_rgba8_target(gl, width, height);
        let buffer_size = (UPDATES * SMALL_UPDATE_BYTES) as usize;
        let buffer = common::create_zeroed_buffer(gl, buffer_size, gl::DYNAMIC_DRAW);
        let vertex_array = common::create_vertex_array(gl, program, buffer, binding);
        let scene = DirectScene {
            objects: common::GlScene {
                gl,
                program,
                framebuffer,
                renderbuffer,
                buffer,
                vertex_array,
            },
            size: (width, height),
            updates,
        };
        // SAFETY: a live framebuffer; `clear` holds four floats.
        unsafe { gl.ClearNamedFramebufferfv(framebuffer, gl::COLOR, 0, clear.as_ptr()) };
        common::assert_no_gl_error(gl, "small updates setup");
        scene
    }

    /// One frame: the binds, every update written, each followed by its draw, then
    /// glFinish. Not inlined, so that a profile (as `valgrind --tool=callgrind
    /// --toggle-collect='*DirectScene*frame*'`) can single it out.
    #[inline(never)]
    fn frame(&self) {
        self.objects.bind(self.size.0, self.size.1);
        let (gl, buffer) = (self.objects.gl, self.objects.buffer);
        for (index, update) in self.updates.iter().enumerate() {
            let offset = index as GLintptr * SMALL_UPDATE_BYTES as GLintptr;
            // SAFETY: `update` is 48 bytes; offset + 48 lies inside the buffer; the draw
            // reads the three vertices just written.
            unsafe {
                gl.NamedBufferSubData(
                    buffer,
                    offset,
                    SMALL_UPDATE_BYTES as GLsizeiptr,
                    update.as_ptr().cast(),
                );
                gl.DrawArrays(gl::TRIANGLES, (index * 3) as GLint, 3);
            }
        }
        // SAFETY: no arguments; the context is current.
        unsafe { gl.Finish() };
    }
}
