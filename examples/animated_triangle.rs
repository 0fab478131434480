//! A small animated scene: a triangle whose vertex buffer is orphaned and rewritten every
//! frame (positions rotate, colors per vertex), drawn into a 256x256 offscreen framebuffer.
//! The list is replayed headless and the last frame is written as a PNG.
//!
//! Run: `cargo run --example animated_triangle [-- out.png]`

use gltape::{ColorFormat, Draw, Mode, PixelType, ProgramDesc, Recorder, Renderer};
use std::error::Error;

const SIZE: u32 = 256;
const FRAMES: u32 = 60;

const VERTEX: &str = "#version 450 core
in vec2 in_pos;
in vec3 in_color;
out vec3 color;
void main() {
    color = in_color;
    gl_Position = vec4(in_pos, 0.0, 1.0);
}";

const FRAGMENT: &str = "#version 450 core
in vec3 color;
layout(location = 0) out vec4 out_color;
void main() {
    out_color = vec4(color, 1.0);
}";

/// Interleaved `2f 3f` vertices of the triangle rotated by `angle` radians.
fn triangle(angle: f32) -> [[f32; 5]; 3] {
    let colors = [[1.0, 0.2, 0.2], [0.2, 1.0, 0.2], [0.2, 0.4, 1.0]];
    std::array::from_fn(|i| {
        let a = angle + i as f32 * std::f32::consts::TAU / 3.0;
        let [r, g, b] = colors[i];
        [0.8 * a.cos(), 0.8 * a.sin(), r, g, b]
    })
}

fn main() -> Result<(), Box<dyn Error>> {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "animated_triangle.png".to_owned());

    let mut rec = Recorder::new();
    let program = rec.program(ProgramDesc::new(VERTEX).fragment(FRAGMENT))?;
    let vbo = rec.buffer_reserve(std::mem::size_of::<[[f32; 5]; 3]>() as u64, true)?;
    let vao = rec.vertex_array(program, &[(vbo, "2f 3f", &["in_pos", "in_color"])], None)?;
    let fbo = rec.framebuffer(SIZE, SIZE, &[ColorFormat::Rgba8], false)?;
    rec.use_framebuffer(fbo)?;
    for frame in 0..FRAMES {
        rec.orphan(vbo, None)?;
        rec.write(vbo, 0, &triangle(frame as f32 * 0.05))?;
        rec.clear_framebuffer(fbo, [0.05, 0.05, 0.1, 1.0], 1.0, None)?;
        rec.render(vao, Draw::new(Mode::Triangles))?;
    }
    let pixels = rec.read_pixels(fbo, None, 4, 0, PixelType::F1)?;
    let list = rec.finish();

    let mut renderer = Renderer::headless()?;
    let readbacks = renderer.replay(&list)?;
    let rgba = readbacks.get(pixels).ok_or("no pixels read")?;

    gltape::image::write_png(std::path::Path::new(&out), SIZE, SIZE, rgba)?;

    println!(
        "recorded {} commands ({FRAMES} frames of orphan + write + clear + render), replayed \
         them headless on {}, wrote the last frame ({SIZE}x{SIZE}) to {out}",
        list.len(),
        renderer.info().renderer
    );
    Ok(())
}
