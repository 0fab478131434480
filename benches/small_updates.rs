//! `small_updates`: 160,000 writes of 48 bytes, each followed by a draw of the triangle it
//! wrote (the built-in `Scene::SmallUpdates`), replayed with each `StreamStrategy`, next to a
//! hand-written GL loop doing the same glNamedBufferSubData + glDrawArrays pairs with the
//! same shaders, vertex layout and 64x64 framebuffer (taken from the recorded list).
//!
//! Throughput is in elements (updates); scripts/bench-report turns it into ns per update.
//! Only the frame of updates is timed, glFinish included: the scene's setup frame (program,
//! framebuffer, buffer) runs untimed before it, and its final reads are not replayed.

mod common;

use criterion::{Criterion, Throughput};
use gltape::command::{ClearDesc, FramebufferDesc, ProgramDesc, VertexArrayDesc};
use gltape::gl::{self, types::*, Gl};
use gltape::scene::{self, Scene, SMALL_UPDATE_BYTES};
use gltape::vertex_format::ScalarKind;
use gltape::{CommandList, Recorder, Renderer, ReplayOptions, StreamStrategy};
use std::ffi::CString;
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

    let direct = DirectScene::new(renderer.gl(), &list);
    group.bench_function("direct_gl", |b| b.iter(|| direct.frame()));
    drop(direct);
    group.finish();
}

/// The small-updates scene written by hand: program, framebuffer, buffer and vertex array
/// built from the recorded list's descriptions, bound once.
struct DirectScene<'a> {
    gl: &'a Gl,
    program: GLuint,
    framebuffer: GLuint,
    renderbuffer: GLuint,
    buffer: GLuint,
    vertex_array: GLuint,
    /// Frame 0's updates, as the recorded frame 1 writes them.
    updates: Vec<[[f32; 4]; 3]>,
}

impl<'a> DirectScene<'a> {
    fn new(gl: &'a Gl, list: &CommandList) -> Self {
        let tables = list.tables();
        let program_desc = tables
            .entries::<ProgramDesc>()
            .first()
            .expect("the scene's program");
        let fragment = program_desc
            .fragment_shader
            .as_deref()
            .expect("a fragment shader");
        let program = common::link_program(gl, &program_desc.vertex_shader, fragment);
        let fbo_desc = tables
            .entries::<FramebufferDesc>()
            .first()
            .expect("the scene's framebuffer");
        let (width, height) = (fbo_desc.width as GLsizei, fbo_desc.height as GLsizei);
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
        let mut vertex_array = 0;
        // SAFETY: the out-pointer is valid for one GLuint; the buffer is live and the stride
        // comes from the recorded (checked) vertex format.
        unsafe {
            gl.CreateVertexArrays(1, &mut vertex_array);
            gl.VertexArrayVertexBuffer(
                vertex_array,
                0,
                buffer,
                0,
                binding.format.stride as GLsizei,
            );
        }
        for (field, attribute) in binding.format.fields.iter().zip(&binding.attributes) {
            assert!(field.kind == ScalarKind::Float && field.size == 4 && !field.normalized);
            let c_name = CString::new(attribute.as_str()).expect("an attribute name");
            // SAFETY: `c_name` is NUL-terminated; the program is linked.
            let location = unsafe { gl.GetAttribLocation(program, c_name.as_ptr()) };
            let location = GLuint::try_from(location).expect("an active attribute");
            // SAFETY: `location` is an active attribute; count, type and offset come from
            // the recorded (checked) vertex format.
            unsafe {
                gl.EnableVertexArrayAttrib(vertex_array, location);
                gl.VertexArrayAttribFormat(
                    vertex_array,
                    location,
                    GLint::from(field.count),
                    gl::FLOAT, // asserted above: 32-bit float fields
                    gl::FALSE,
                    field.offset,
                );
                gl.VertexArrayAttribBinding(vertex_array, location, 0);
            }
        }
        common::assert_no_gl_error(gl, "small updates setup");
        let scene = DirectScene {
            gl,
            program,
            framebuffer,
            renderbuffer,
            buffer,
            vertex_array,
            updates,
        };
        scene.bind(width, height, clear);
        scene
    }

    /// Binds the framebuffer, program and vertex array and clears, as the setup frame does.
    fn bind(&self, width: GLsizei, height: GLsizei, clear: [f32; 4]) {
        let gl = self.gl;
        // SAFETY: live objects of this context; `clear` holds four floats.
        unsafe {
            gl.BindFramebuffer(gl::DRAW_FRAMEBUFFER, self.framebuffer);
            gl.Viewport(0, 0, width, height);
            gl.ClearNamedFramebufferfv(self.framebuffer, gl::COLOR, 0, clear.as_ptr());
            gl.UseProgram(self.program);
            gl.BindVertexArray(self.vertex_array);
        }
        common::assert_no_gl_error(gl, "small updates bind");
    }

    /// One frame: every update written, each followed by its draw, then glFinish.
    fn frame(&self) {
        let gl = self.gl;
        for (index, update) in self.updates.iter().enumerate() {
            let offset = index as GLintptr * SMALL_UPDATE_BYTES as GLintptr;
            // SAFETY: `update` is 48 bytes; offset + 48 lies inside the buffer; the draw
            // reads the three vertices just written.
            unsafe {
                gl.NamedBufferSubData(
                    self.buffer,
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

impl Drop for DirectScene<'_> {
    fn drop(&mut self) {
        let gl = self.gl;
        common::assert_no_gl_error(gl, "small updates");
        // SAFETY: the objects were created by `new` on this context and are not used again;
        // the defaults are bound back first.
        unsafe {
            gl.BindVertexArray(0);
            gl.UseProgram(0);
            gl.BindFramebuffer(gl::FRAMEBUFFER, 0);
            gl.DeleteVertexArrays(1, &self.vertex_array);
            gl.DeleteBuffers(1, &self.buffer);
            gl.DeleteFramebuffers(1, &self.framebuffer);
            gl.DeleteRenderbuffers(1, &self.renderbuffer);
            gl.DeleteProgram(self.program);
        }
    }
}
