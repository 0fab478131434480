//! The examples an embedder copies, run as they are: `headless_egl` writes its last frame as
//! a PNG, whose pixels are checked; `egui` writes its last frame and the trace committed as
//! `traces/egui.gltrace`, byte for byte; `winit_glutin` opens an X11 window (`scripts/run test`
//! runs the tests under xvfb-run and sets GLTAPE_REQUIRE_WINDOW=1, so that a missing display
//! fails the test) and checks its own last frame (`--check`).
//!
//! Each example runs through `cargo run`, so it is built from the sources under test; after
//! `cargo test`, which builds the examples with the same features, that builds nothing.

use std::process::{Command, Output};

/// `cargo run --example name -- args` with this test's features, from the package root.
fn run_example(name: &str, args: &[&str]) -> Output {
    // "default" too: a feature set is the same build only with the same names enabled.
    let features: Vec<&str> = [
        ("default", cfg!(feature = "default")),
        ("egl", cfg!(feature = "egl")),
        ("glfw", cfg!(feature = "glfw")),
        ("cli", cfg!(feature = "cli")),
    ]
    .iter()
    .filter_map(|&(feature, on)| on.then_some(feature))
    .collect();
    let output = Command::new(env!("CARGO"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["run", "--quiet", "--no-default-features", "--features"])
        .arg(features.join(","))
        .args(["--example", name, "--"])
        .args(args)
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "example {name} failed ({}):\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

#[test]
fn headless_egl_writes_its_last_frame() {
    let dir = std::env::temp_dir().join(format!("gltape-example-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let png_path = dir.join("headless_egl.png");
    let output = run_example("headless_egl", &[png_path.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.starts_with("60 frames on "), "{stdout}");

    let file = std::io::BufReader::new(std::fs::File::open(&png_path).unwrap());
    let mut reader = png::Decoder::new(file).read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    assert_eq!((frame.width, frame.height), (128, 128));
    assert_eq!(frame.color_type, png::ColorType::Rgba);
    let at = |x: usize, y: usize| &pixels[(y * 128 + x) * 4..][..4];
    // The clear color in the corners, the triangle's orange around the center.
    for (x, y) in [(0, 0), (127, 0), (0, 127), (127, 127)] {
        assert_eq!(at(x, y), [0, 0, 51, 255], "corner ({x}, {y})");
    }
    for (x, y) in [(64, 64), (60, 60), (68, 68)] {
        assert_eq!(at(x, y), [255, 102, 0, 255], "center ({x}, {y})");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn egui_writes_its_last_frame_and_the_committed_trace() {
    let dir = std::env::temp_dir().join(format!("gltape-example-egui-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (png_path, trace_path) = (dir.join("egui.png"), dir.join("egui.gltrace"));
    let output = run_example(
        "egui",
        &[
            "--trace",
            trace_path.to_str().unwrap(),
            png_path.to_str().unwrap(),
        ],
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.starts_with("4 egui frames painted through gltape"),
        "{stdout}"
    );

    let file = std::io::BufReader::new(std::fs::File::open(&png_path).unwrap());
    let mut reader = png::Decoder::new(file).read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    assert_eq!((frame.width, frame.height), (400, 300));
    assert_eq!(frame.color_type, png::ColorType::Rgba);
    // The central panel's opaque fill covers the screen.
    assert!(pixels.chunks_exact(4).all(|pixel| pixel[3] == 255));

    let committed = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("traces/egui.gltrace");
    // Compared decoded (the committed file may be of an older format version).
    let load = |path| {
        gltape::trace::load(path, &Default::default())
            .unwrap()
            .trace
    };
    let (old, new) = (load(committed.as_path()), load(trace_path.as_path()));
    assert!(
        old.header == new.header
            && old.list.commands() == new.list.commands()
            && old.list.tables() == new.list.tables()
            && old.list.payload_bytes() == new.list.payload_bytes(),
        "the example's trace is not traces/egui.gltrace: regenerate it (scripts/make-traces)"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn winit_glutin_draws_around_the_host_and_resizes() {
    if std::env::var_os("DISPLAY").is_none_or(|display| display.is_empty()) {
        assert!(
            std::env::var_os("GLTAPE_REQUIRE_WINDOW").is_none(),
            "GLTAPE_REQUIRE_WINDOW is set but there is no X display: run under xvfb-run"
        );
        eprintln!("skipped: no X display (run under xvfb-run, as scripts/run test does)");
        return;
    }
    let output = run_example("winit_glutin", &["--frames", "60", "--check"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("checked: 60 frames at 320x240"), "{stdout}");
}
