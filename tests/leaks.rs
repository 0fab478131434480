//! Replaying a list 1,000 times leaks no GL objects and no memory; neither does a failing replay.

use gltape::gl::{self, Gl};
use gltape::scene::Scene;
use gltape::{ProgramDesc, Recorder, Renderer, ReplayOptions, StreamStrategy};

/// GL objects alive in the context, found by asking GL about every name up to the highest
/// one handed out so far (a freshly created name of each kind bounds them).
fn live_gl_objects(gl: &Gl) -> usize {
    let mut highest = [0u32; 5];
    // SAFETY: each out-pointer is valid for one name; the probe objects are deleted again.
    unsafe {
        gl.CreateBuffers(1, &mut highest[0]);
        gl.CreateVertexArrays(1, &mut highest[1]);
        gl.CreateFramebuffers(1, &mut highest[2]);
        gl.CreateRenderbuffers(1, &mut highest[3]);
        highest[4] = gl.CreateProgram();
        gl.DeleteBuffers(1, &highest[0]);
        gl.DeleteVertexArrays(1, &highest[1]);
        gl.DeleteFramebuffers(1, &highest[2]);
        gl.DeleteRenderbuffers(1, &highest[3]);
        gl.DeleteProgram(highest[4]);
    }
    let top = highest.iter().copied().max().unwrap_or(0) + 64;
    let mut live = 0;
    for name in 1..top {
        // SAFETY: glIs* accept any name.
        unsafe {
            live += usize::from(gl.IsBuffer(name) == gl::TRUE);
            live += usize::from(gl.IsVertexArray(name) == gl::TRUE);
            live += usize::from(gl.IsFramebuffer(name) == gl::TRUE);
            live += usize::from(gl.IsRenderbuffer(name) == gl::TRUE);
            live += usize::from(gl.IsProgram(name) == gl::TRUE);
            live += usize::from(gl.IsShader(name) == gl::TRUE);
        }
    }
    live
}

/// Resident memory of this process in bytes (Linux).
fn resident_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap();
    let pages: u64 = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
    pages * 4096
}

#[test]
fn a_thousand_replays_leak_no_gl_objects_and_no_memory() {
    let mut rec = Recorder::new();
    Scene::Triangle.record(&mut rec, 0, 2).unwrap();
    Scene::Transform.record(&mut rec, 256, 2).unwrap();
    Scene::Stream.record(&mut rec, 4096, 4).unwrap();
    let list = rec.finish();
    let list = list.validate().unwrap();
    let mut renderer = Renderer::headless().unwrap();
    let replay = |renderer: &mut Renderer, stream| {
        let mut options = ReplayOptions {
            stream,
            ..ReplayOptions::default()
        };
        renderer.replay_with(&list, &mut options).unwrap();
    };
    for stream in [StreamStrategy::Faithful, StreamStrategy::Ring] {
        replay(&mut renderer, stream);
    }
    let (objects, gl_objects) = (renderer.live_objects(), live_gl_objects(renderer.gl()));
    assert!(
        objects > 0 && gl_objects >= objects,
        "{objects} / {gl_objects}"
    );
    let mut warm = 0;
    for round in 0..1000 {
        let stream = if round % 2 == 0 {
            StreamStrategy::Faithful
        } else {
            StreamStrategy::Ring
        };
        replay(&mut renderer, stream);
        if round == 99 {
            // Allocators settle during the first rounds; measure growth after them.
            warm = resident_bytes();
        }
    }
    let grown = resident_bytes().saturating_sub(warm);
    assert_eq!(renderer.live_objects(), objects);
    assert_eq!(live_gl_objects(renderer.gl()), gl_objects);
    assert!(
        grown < 8 << 20,
        "resident memory grew by {grown} bytes over 900 replays"
    );
}

#[test]
fn a_vertex_array_that_fails_at_replay_leaves_no_gl_object() {
    let mut rec = Recorder::new();
    let vs = "#version 450 core\nin vec2 in_pos;\nvoid main() { gl_Position = vec4(in_pos, 0.0, 1.0); }\n";
    let program = rec.program(ProgramDesc::new(vs)).unwrap();
    let vbo = rec.buffer(&[0.0f32; 4]).unwrap();
    rec.vertex_array(program, &[(vbo, "2f", &["nope"][..])], None)
        .unwrap();
    let list = rec.finish();
    let mut renderer = Renderer::headless().unwrap();
    renderer.replay(&list).unwrap_err();
    let gl_objects = live_gl_objects(renderer.gl());
    for _ in 0..3 {
        renderer.replay(&list).unwrap_err();
    }
    assert_eq!(live_gl_objects(renderer.gl()), gl_objects);
}
