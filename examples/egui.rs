//! egui painted through gltape (issue 13): a deterministic egui UI (two windows, text, a
//! button clicked by scripted input, a slider, a checkbox, a clipped line chart, a heat-map
//! image updated in part, a scrolled log) runs for a few frames; gltape's own egui painter
//! (`examples/common/egui_painter.rs`) records each frame's texture deltas and meshes, and a
//! renderer on a surfaceless EGL context runs them, one segment per frame, into a 400x300
//! offscreen framebuffer. The last frame is written as a PNG.
//!
//! With `--trace FILE` the whole session is also saved as a trace holding the digest of
//! every read (each frame's pixels, then each texture), which `gltape replay FILE --verify`
//! checks; `traces/egui.gltrace` is made so (`scripts/make-traces`).
//!
//! Run: `cargo run --example egui [-- [--trace FILE] [OUT.png]]`

// These modules also serve the test and the bench, which use what this example does not.
#[allow(dead_code)]
#[path = "common/egui_headless.rs"]
mod egui_headless;
#[path = "common/egui_painter.rs"]
mod egui_painter;
#[allow(dead_code)]
#[path = "common/egui_scene.rs"]
mod egui_scene;

use egui_headless::HeadlessEgui;
use egui_scene::{HEIGHT, WIDTH};
use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    let mut png = PathBuf::from("egui.png");
    let mut trace = None;
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--trace" {
            trace = Some(PathBuf::from(args.next().ok_or("--trace needs a file")?));
        } else {
            png = arg.into();
        }
    }

    let frames = egui_scene::frames();
    let mut egui = HeadlessEgui::new(WIDTH, HEIGHT, trace.is_some())?;
    let mut last = Vec::new();
    for frame in &frames {
        last = egui.paint(frame, true)?.ok_or("no pixels read")?;
    }
    gltape::image::write_png(&png, WIDTH, HEIGHT, &last)?;
    println!(
        "{} egui frames painted through gltape, the last in {}",
        frames.len(),
        png.display()
    );
    if let Some(path) = trace {
        egui.read_textures()?;
        let trace = egui.trace("egui").ok_or("the session was not kept")?;
        gltape::trace::save(&trace, &path)?;
        println!(
            "session saved to {} ({} commands, {} digests)",
            path.display(),
            trace.header.commands,
            trace.header.readback_digests.len()
        );
    }
    Ok(())
}
