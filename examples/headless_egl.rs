//! A headless frame loop on resident objects: the first segment creates a program, a dynamic
//! vertex buffer and a vertex array; each frame after it is a segment that orphans and
//! rewrites the buffer (a turning triangle), clears the screen and draws. No window, no X:
//! a surfaceless EGL context with a 128x128 offscreen screen. The last frame is written as a
//! PNG.
//!
//! Run: `cargo run --example headless_egl [-- out.png]`

use gltape::{
    Draw, EglContext, FramebufferId, Mode, PixelType, ProgramDesc, Recorder, Renderer, Segment,
};
use std::error::Error;

const SIZE: u32 = 128;
const FRAMES: u32 = 60;

const VERTEX: &str = "#version 450 core
in vec2 in_pos;
void main() { gl_Position = vec4(in_pos, 0.0, 1.0); }";

const FRAGMENT: &str = "#version 450 core
layout(location = 0) out vec4 color;
void main() { color = vec4(1.0, 0.4, 0.0, 1.0); }";

/// Frame `frame`'s triangle (`2f` positions): centered, turning a little each frame.
fn triangle(frame: u32) -> [[f32; 2]; 3] {
    std::array::from_fn(|corner| {
        let angle = frame as f32 * 0.05 + corner as f32 * std::f32::consts::TAU / 3.0;
        [0.6 * angle.cos(), 0.6 * angle.sin()]
    })
}

fn main() -> Result<(), Box<dyn Error>> {
    let out = std::env::args().nth(1).unwrap_or("headless_egl.png".into());
    let mut renderer = Renderer::with_context(EglContext::new(SIZE, SIZE)?)?;

    // Resources, recorded once: the first segment creates them, and they stay resident.
    let mut rec = Recorder::new();
    let program = rec.program(ProgramDesc::new(VERTEX).fragment(FRAGMENT))?;
    let vbo = rec.buffer_reserve(size_of::<[[f32; 2]; 3]>() as u64, true)?;
    let vao = rec.vertex_array(program, &[(vbo, "2f", &["in_pos"])], None)?;
    renderer.submit(&rec.flush()?)?;

    // The frame loop: one segment a frame, flushed into the same `Segment` (no allocation
    // once its sizes are reached), run on the resident objects.
    let mut segment = Segment::default();
    for frame in 0..FRAMES {
        rec.orphan(vbo, None)?;
        rec.write(vbo, 0, &triangle(frame))?;
        rec.clear_framebuffer(FramebufferId::SCREEN, [0.0, 0.0, 0.2, 1.0], 1.0, None)?;
        rec.render(vao, Draw::new(Mode::Triangles))?;
        rec.flush_into(&mut segment)?;
        renderer.submit(&segment)?;
    }

    // Read the last frame back: one more segment, with a readback.
    let pixels = rec.read_pixels(FramebufferId::SCREEN, None, 4, 0, PixelType::F1)?;
    let readbacks = renderer.submit(&rec.flush()?)?;
    let rgba = readbacks.get(pixels).ok_or("no pixels read")?;
    gltape::image::write_png(out.as_ref(), SIZE, SIZE, rgba)?;
    println!(
        "{FRAMES} frames on {}, the last in {out}",
        renderer.info().renderer
    );
    Ok(())
}
