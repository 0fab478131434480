//! `uniform_block`: a 64 KiB uniform block streamed per frame (the built-in
//! `Scene::UniformBlock`: orphan + write of the whole block, bind to uniform binding 0, a draw
//! over a 64x64 framebuffer reading it), replayed with each `StreamStrategy`, next to a
//! hand-written GL loop making the same calls (glNamedBufferData(NULL), glNamedBufferSubData,
//! glBindBufferRange, glDrawArrays) with the same program, framebuffer and payloads, taken
//! from the recorded list.
//!
//! Throughput is in elements (frames). Only the streamed frames are timed, glFinish included:
//! the scene's setup frame runs untimed before them, and its final reads are not replayed.

mod common;

use criterion::{Criterion, Throughput};
use gltape::command::Command;
use gltape::gl::{self, types::*, Gl};
use gltape::scene::{Scene, MAX_UNIFORM_BLOCK_BYTES};
use gltape::{CommandList, Recorder, Renderer, ReplayOptions, StreamStrategy};
use std::time::Duration;

/// Frames streamed per iteration.
const FRAMES: u32 = 256;

const STRATEGIES: [(&str, StreamStrategy); 3] = [
    ("faithful", StreamStrategy::Faithful),
    ("fold", StreamStrategy::Fold),
    ("ring", StreamStrategy::Ring),
];

fn main() {
    let mut c = common::criterion();
    let mut renderer = common::renderer();
    uniform_block(&mut c, &mut renderer);
    c.final_summary();
}

fn uniform_block(c: &mut Criterion, renderer: &mut Renderer) {
    // Frame 0 is the scene's setup; frames 1..=FRAMES are timed. One more frame is recorded
    // so that the reads after the last frame are not timed.
    let mut rec = Recorder::new();
    Scene::UniformBlock
        .record(&mut rec, MAX_UNIFORM_BLOCK_BYTES, FRAMES + 1)
        .expect("the uniform-block scene records");
    let list = rec.finish();
    let validated = list.validate().expect("a valid list");

    let mut group = c.benchmark_group("uniform_block");
    common::configure_for_size(&mut group, MAX_UNIFORM_BLOCK_BYTES as usize);
    group.throughput(Throughput::Elements(u64::from(FRAMES)));
    for (name, stream) in STRATEGIES {
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let mut options = ReplayOptions {
                        stream,
                        frames: Some(1..FRAMES + 1),
                        ..Default::default()
                    };
                    let replay = renderer
                        .replay_with(&validated, &mut options)
                        .expect("replay");
                    debug_assert_eq!(replay.stats.frames, FRAMES);
                    total += replay.stats.elapsed;
                }
                total
            });
        });
    }

    renderer.make_current();
    let direct = DirectScene::new(renderer.gl(), &list);
    group.bench_function("direct_gl", |b| b.iter(|| direct.frames()));
    drop(direct);
    group.finish();
}

/// The uniform-block scene written by hand: program, framebuffer, uniform buffer and an
/// empty vertex array built from the recorded list's descriptions, bound once.
struct DirectScene<'a> {
    objects: common::GlScene<'a>,
    /// The block's bytes of each timed frame, as the recorded writes hold them.
    payloads: Vec<&'a [u8]>,
}

impl<'a> DirectScene<'a> {
    fn new(gl: &'a Gl, list: &'a CommandList) -> Self {
        let program = common::link_scene_program(gl, list);
        let (width, height) = common::scene_framebuffer_size(list);
        let payloads: Vec<&[u8]> = list
            .commands()
            .iter()
            .filter_map(|command| match command {
                Command::Write { data, .. } => list.payload(*data),
                _ => None,
            })
            .take(FRAMES as usize)
            .collect();
        assert_eq!(payloads.len(), FRAMES as usize);
        assert!(payloads
            .iter()
            .all(|p| p.len() as u64 == MAX_UNIFORM_BLOCK_BYTES));

        let (framebuffer, renderbuffer) = common::create_rgba8_target(gl, width, height);
        let buffer =
            common::create_zeroed_buffer(gl, MAX_UNIFORM_BLOCK_BYTES as usize, gl::DYNAMIC_DRAW);
        let mut vertex_array = 0;
        // SAFETY: the out-pointer is valid for one GLuint; the framebuffer, program and vertex
        // array are live objects of this context.
        unsafe {
            gl.CreateVertexArrays(1, &mut vertex_array);
            gl.ClearNamedFramebufferfv(framebuffer, gl::COLOR, 0, [0.0, 0.0, 0.0, 1.0].as_ptr());
        }
        let objects = common::GlScene {
            gl,
            program,
            framebuffer,
            renderbuffer,
            buffer,
            vertex_array,
        };
        objects.bind(width, height);
        common::assert_no_gl_error(gl, "uniform block setup");
        DirectScene { objects, payloads }
    }

    /// The timed frames: each orphans the block, writes it whole, binds it and draws, then
    /// glFinish.
    fn frames(&self) {
        let (gl, buffer) = (self.objects.gl, self.objects.buffer);
        let size = MAX_UNIFORM_BLOCK_BYTES as GLsizeiptr;
        for payload in &self.payloads {
            // SAFETY: a live buffer of `size` bytes and a payload of exactly `size` bytes; the
            // draw reads the block through binding 0, bound right before.
            unsafe {
                gl.NamedBufferData(buffer, size, std::ptr::null(), gl::DYNAMIC_DRAW);
                gl.NamedBufferSubData(buffer, 0, size, payload.as_ptr().cast());
                gl.BindBufferRange(gl::UNIFORM_BUFFER, 0, buffer, 0, size);
                gl.DrawArrays(gl::TRIANGLES, 0, 3);
            }
        }
        // SAFETY: no arguments; the context is current.
        unsafe { gl.Finish() };
    }
}

impl Drop for DirectScene<'_> {
    fn drop(&mut self) {
        // SAFETY: unbinds the block's buffer from binding 0 before `objects` deletes it.
        unsafe { self.objects.gl.BindBufferBase(gl::UNIFORM_BUFFER, 0, 0) };
    }
}
