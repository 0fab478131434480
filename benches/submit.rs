//! `submit`: one small frame (a 48-byte write and a draw into a 64x64 framebuffer) recorded,
//! flushed and submitted on resident objects, with and without
//! `Renderer::restore_host_state`: the difference is what giving the host its state back
//! costs per submission (a read of the listed state before, a write after).

mod common;

use criterion::Criterion;
use gltape::{ColorFormat, Draw, Mode, ProgramDesc, Recorder, Renderer, Segment};

const VS: &str = "#version 450 core
in vec2 in_pos;
void main() { gl_Position = vec4(in_pos, 0.0, 1.0); }
";
const FS: &str = "#version 450 core
layout(location = 0) out vec4 color;
void main() { color = vec4(1.0); }
";

fn main() {
    let mut c = common::criterion();
    let mut renderer = common::renderer();
    for restore in [false, true] {
        submit(&mut c, &mut renderer, restore);
    }
    c.final_summary();
}

fn submit(c: &mut Criterion, renderer: &mut Renderer, restore: bool) {
    let mut rec = Recorder::new();
    let program = rec.program(ProgramDesc::new(VS).fragment(FS)).unwrap();
    let vbo = rec.dynamic_buffer(&[0.0f32; 6]).unwrap();
    let vao = rec
        .vertex_array(program, &[(vbo, "2f", &["in_pos"][..])], None)
        .unwrap();
    let fbo = rec
        .framebuffer(64, 64, &[ColorFormat::Rgba8], false)
        .unwrap();
    rec.use_framebuffer(fbo).unwrap();
    renderer.restore_host_state(restore);
    renderer.submit(&rec.flush().unwrap()).unwrap();
    let triangle = [-1.0f32, -1.0, 1.0, -1.0, -1.0, 1.0];
    let mut segment = Segment::default();
    let name = if restore {
        "submit/frame_restoring_host_state"
    } else {
        "submit/frame"
    };
    c.bench_function(name, |b| {
        b.iter(|| {
            rec.write(vbo, 0, &triangle).unwrap();
            rec.render(vao, Draw::new(Mode::Triangles)).unwrap();
            rec.flush_into(&mut segment).unwrap();
            renderer.submit(&segment).unwrap();
        });
        renderer.finish();
    });
}
