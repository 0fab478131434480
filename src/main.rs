//! The `gltape` command line: a thin shell over the library.

use clap::{Parser, Subcommand};
use gltape::{scene, Renderer};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Parser)]
#[command(
    version,
    about = "Record OpenGL command lists and replay them headless"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Record orphan+write buffer streaming, replay it headless, verify it, print throughput.
    Demo {
        /// Bytes streamed per frame.
        #[arg(long, default_value_t = 1 << 20)]
        size: u64,
        /// Frames recorded (one orphan+write each).
        #[arg(long, default_value_t = 256)]
        frames: u32,
        /// Times the list is replayed; the best replay is reported.
        #[arg(long, default_value_t = 5)]
        loops: u32,
    },
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Cmd::Demo {
            size,
            frames,
            loops,
        } => demo(size, frames, loops),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("gltape: error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn demo(size: u64, frames: u32, loops: u32) -> Result<(), Box<dyn std::error::Error>> {
    let started = Instant::now();
    let scene = scene::stream(size, frames)?;
    let record_seconds = started.elapsed().as_secs_f64();
    let list = scene.list.validate()?;
    let upload = scene.list.upload_bytes();
    println!(
        "recorded {} commands ({} frames of {} bytes orphan+write) in {:.3} s",
        scene.list.len(),
        frames,
        size,
        record_seconds
    );

    let mut renderer = Renderer::headless()?;
    let info = renderer.info();
    println!("replaying headless on {} ({})", info.renderer, info.version);
    let mut best = f64::INFINITY;
    for _ in 0..loops.max(1) {
        let started = Instant::now();
        let readbacks = renderer.replay_validated(&list)?;
        renderer.finish();
        best = best.min(started.elapsed().as_secs_f64());
        for (id, expected) in &scene.expected {
            if readbacks.get(*id) != Some(expected.as_slice()) {
                return Err(format!("{id} differs from the bytes recorded").into());
            }
        }
    }
    println!(
        "replayed {} commands, uploaded {} bytes in {:.4} s (best of {}): {:.2} GB/s; readbacks verified",
        scene.list.len(),
        upload,
        best,
        loops.max(1),
        upload as f64 / best / 1e9
    );
    Ok(())
}
