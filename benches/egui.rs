//! `egui`: the time to paint one egui frame in steady state, through gltape against
//! `egui_glow` painting the same frame on a context of the same size (400x300) in the same
//! run. The frame is the last of `examples/common/egui_scene.rs` (both windows, text, the
//! chart, the image, the scrolled log; its texture deltas are the glyphs the counter's new
//! text adds), painted again and again on textures made by painting the scene's frames
//! once first, each time with its deltas and meshes.
//!
//! - `egui/egui_glow`: `egui_glow::Painter` clears and paints it (`clear`,
//!   `paint_and_update_textures`), then glFinish.
//! - `egui/gltape`: gltape's painter records it (clear, deltas, meshes), the recorder
//!   flushes it into a segment and the renderer submits it, then glFinish: what an
//!   application painting through gltape does each frame.
//! - `egui/gltape_record`: the recording and flush alone, on a recorder no renderer runs
//!   (no GL).
//!
//! Each painter has a surfaceless EGL context of its own, made current by every call. Before
//! the criterion rows, the bench also times alternate frames of the two painters and prints
//! both medians and their ratio (the machine's load moves between rows, not between
//! alternate frames).

mod common;
// Shared with the example and the test, which use what this bench does not (reads, traces).
#[allow(dead_code)]
#[path = "../examples/common/egui_headless.rs"]
mod egui_headless;
#[path = "../examples/common/egui_painter.rs"]
mod egui_painter;
// The test's reference painter: the bench uses what it paints with, not what it compares.
#[allow(dead_code)]
#[path = "../tests/support/egui_reference.rs"]
mod egui_reference;
// The scene module also serves the test, which uses what this bench does not.
#[allow(dead_code)]
#[path = "../examples/common/egui_scene.rs"]
mod egui_scene;

use egui_headless::HeadlessEgui;
use egui_painter::EguiPainter;
use egui_reference::Reference;
use egui_scene::{Frame, CLEAR_COLOR, HEIGHT, WIDTH};
use gltape::{FramebufferId, Recorder, Segment};
use std::time::{Duration, Instant};

/// Alternating frames of each painter timed by [`paired`].
const PAIRED_ROUNDS: usize = 300;

fn main() {
    let mut c = common::criterion();
    let frames = egui_scene::frames();
    let frame = frames.last().expect("the scene has frames");
    let description = describe(frame);
    println!("egui frame: {description}");

    // Both painters hold the scene's textures before anything is timed.
    let mut reference = Reference::new(WIDTH, HEIGHT);
    let mut egui = HeadlessEgui::new(WIDTH, HEIGHT, false).expect("an EGL renderer");
    for frame in &frames {
        reference.draw(frame);
        egui.paint(frame, false).expect("gltape paints the scene");
    }
    let load_before = load_average();
    let (glow, gltape) = paired(&mut reference, &mut egui, frame);
    let gl = egui.info();

    let mut group = c.benchmark_group("egui");
    group.bench_function("egui_glow", |b| {
        b.iter(|| {
            reference.draw(frame);
            reference.finish();
        })
    });
    group.bench_function("gltape", |b| {
        b.iter(|| {
            egui.paint(frame, false).expect("gltape paints the frame");
            egui.finish();
        })
    });

    // The screen as target: recording checks it exists, and nothing runs it.
    let (mut rec, mut segment) = (Recorder::new(), Segment::default());
    let mut painter = EguiPainter::new(&mut rec).expect("the painter records");
    let mut record = |frame: &Frame| {
        let screen = FramebufferId::SCREEN;
        egui_painter::clear(&mut rec, screen, CLEAR_COLOR).expect("clear records");
        painter
            .paint_and_update_textures(
                &mut rec,
                screen,
                [WIDTH, HEIGHT],
                frame.pixels_per_point,
                &frame.primitives,
                &mut frame.textures_delta(),
            )
            .expect("the frame records");
        rec.end_frame();
        rec.flush_into(&mut segment).expect("the frame flushes");
    };
    for frame in &frames {
        record(frame);
    }
    group.bench_function("gltape_record", |b| b.iter(|| record(frame)));

    group.finish();
    c.final_summary();
    let report = serde_json::json!({
        "frame": description,
        "gl": format!("{} — {}", gl.renderer, gl.version),
        "rounds": PAIRED_ROUNDS,
        "egui_glow_ns": glow.as_nanos() as u64,
        "gltape_ns": gltape.as_nanos() as u64,
        "load_average": [load_before, load_average()],
    });
    let dir = common::criterion_dir();
    if let Err(error) = std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::write(dir.join("egui-paired.json"), report.to_string()))
    {
        eprintln!("warning: could not write egui-paired.json: {error}");
    }
}

/// The system's load average over the last minute (`/proc/loadavg`), if it can be read:
/// how busy the shared machine was around the run.
fn load_average() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/loadavg").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

/// Times [`PAIRED_ROUNDS`] frames of each painter, alternating (egui_glow, then gltape, as
/// the criterion rows time them), and prints and returns the medians: on a shared machine the
/// load moves between criterion's rows, while alternate frames see the same. `main` writes
/// them to `target/criterion/egui-paired.json` for `scripts/bench-report`.
fn paired(
    reference: &mut Reference,
    egui: &mut HeadlessEgui,
    frame: &Frame,
) -> (Duration, Duration) {
    let (mut glow, mut gltape) = (Vec::new(), Vec::new());
    for _ in 0..PAIRED_ROUNDS {
        let start = Instant::now();
        reference.draw(frame);
        reference.finish();
        glow.push(start.elapsed());
        let start = Instant::now();
        egui.paint(frame, false).expect("gltape paints the frame");
        egui.finish();
        gltape.push(start.elapsed());
    }
    let median = |times: &mut Vec<Duration>| {
        times.sort_unstable();
        times[times.len() / 2]
    };
    let (glow, gltape) = (median(&mut glow), median(&mut gltape));
    println!(
        "paired, {PAIRED_ROUNDS} alternating frames each: egui_glow median {glow:.2?}, gltape \
         median {gltape:.2?}, gltape / egui_glow {:.2}x",
        gltape.as_secs_f64() / glow.as_secs_f64()
    );
    (glow, gltape)
}

/// What one timed frame holds: meshes, vertices, indices, texture deltas.
fn describe(frame: &Frame) -> String {
    let meshes: Vec<_> = frame
        .primitives
        .iter()
        .filter_map(|primitive| match &primitive.primitive {
            egui::epaint::Primitive::Mesh(mesh) => Some(mesh),
            egui::epaint::Primitive::Callback(_) => None,
        })
        .collect();
    let vertices: usize = meshes.iter().map(|mesh| mesh.vertices.len()).sum();
    let indices: usize = meshes.iter().map(|mesh| mesh.indices.len()).sum();
    let texels: usize = frame
        .textures_set
        .iter()
        .map(|(_, delta)| delta.image.width() * delta.image.height())
        .sum();
    format!(
        "{} meshes, {vertices} vertices, {indices} indices, {} texture delta(s) of {texels} \
         texels",
        meshes.len(),
        frame.textures_set.len(),
    )
}
