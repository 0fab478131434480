//! The headless backends. In the CLI: `--backend egl|osmesa` replay a trace to the same
//! digests and `replay --json` names the backend; the default is the first that works, or the
//! one GLTAPE_BACKEND names; a backend that cannot work is an error that names it. In the
//! library: renderers of both backends take turns on one thread.
//!
//! EGL is made to fail through glvnd's `__EGL_VENDOR_LIBRARY_FILENAMES` (libEGL.so.1 on Debian
//! and Ubuntu is glvnd's dispatcher): pointed at a file that does not exist, it finds no
//! driver, as on a machine without `libegl-mesa0`.

mod support;

use gltape::{Backend, Context, Recorder, Renderer};
use std::process::{Command, Output};

/// Runs `gltape replay <stream-1mib> --verify --json <extra>` with `env` set
/// (and GLTAPE_BACKEND unset unless `env` sets it).
fn replay(extra: &[&str], env: &[(&str, &str)]) -> Output {
    let trace = support::committed("stream-1mib.gltrace");
    let mut command = Command::new(env!("CARGO_BIN_EXE_gltape"));
    command
        .args(["replay", &trace, "--verify", "--json"])
        .args(extra)
        .env_remove("GLTAPE_BACKEND");
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().expect("gltape runs")
}

fn json(output: &Output) -> serde_json::Value {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("one JSON object")
}

/// One error line on stderr and a failure status.
fn error(output: &Output) -> String {
    assert!(!output.status.success(), "expected a failure");
    assert!(output.stdout.is_empty());
    String::from_utf8(output.stderr.clone()).unwrap()
}

const NO_EGL_DRIVER: (&str, &str) = ("__EGL_VENDOR_LIBRARY_FILENAMES", "/nonexistent/egl.json");

#[test]
fn each_headless_backend_replays_to_the_recorded_digests_and_is_reported() {
    let egl = json(&replay(&["--backend", "egl"], &[]));
    let osmesa = json(&replay(&["--backend", "osmesa"], &[]));
    assert_eq!(egl["backend"], "egl");
    assert_eq!(osmesa["backend"], "osmesa");
    assert_eq!(egl["verified"], true);
    assert_eq!(egl["readbacks"], osmesa["readbacks"]);
}

#[test]
fn the_default_is_egl_then_osmesa_unless_gltape_backend_names_one() {
    assert_eq!(json(&replay(&[], &[]))["backend"], "egl");
    assert_eq!(json(&replay(&[], &[NO_EGL_DRIVER]))["backend"], "osmesa");
    let chosen = replay(&[], &[("GLTAPE_BACKEND", "osmesa")]);
    assert_eq!(json(&chosen)["backend"], "osmesa");
}

#[test]
fn an_unavailable_backend_is_an_error_that_names_it() {
    let stderr = error(&replay(&["--backend", "egl"], &[NO_EGL_DRIVER]));
    assert!(
        stderr.starts_with("gltape: error: the egl backend could not create"),
        "{stderr}"
    );
    assert!(stderr.contains("apt-get install libegl1"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");

    // Chosen through the environment, EGL does not fall back either.
    let stderr = error(&replay(&[], &[NO_EGL_DRIVER, ("GLTAPE_BACKEND", "egl")]));
    assert!(stderr.contains("the egl backend"), "{stderr}");

    let stderr = error(&replay(&[], &[("GLTAPE_BACKEND", "window")]));
    assert_eq!(
        stderr,
        "gltape: error: GLTAPE_BACKEND=\"window\" names no headless backend (egl or osmesa)\n"
    );
}

#[test]
fn renderers_of_both_backends_take_turns_on_one_thread() {
    // EGL and OSMesa each track the thread's current context apart, over Mesa's one GL state:
    // each renderer must rebind its own context after the other's turn, or its GL calls (and
    // deletions) would land on the other's context.
    let mut rec = Recorder::new();
    let buffer = rec.buffer_reserve(8, true).unwrap();
    rec.write(buffer, 2, &[1u8, 2, 3]).unwrap();
    let read = rec.read(buffer, None, 0).unwrap();
    let list = rec.finish();
    let expected = [0u8, 0, 1, 2, 3, 0, 0, 0];
    let mut osmesa = Renderer::with_context(Context::new(Backend::OsMesa, 8, 8).unwrap()).unwrap();
    let mut egl = Renderer::with_context(Context::new(Backend::Egl, 8, 8).unwrap()).unwrap();
    for turn in 0..4 {
        let renderer = if turn % 2 == 0 { &mut osmesa } else { &mut egl };
        let readbacks = renderer.replay(&list).unwrap();
        assert_eq!(readbacks.get(read), Some(&expected[..]), "turn {turn}");
    }
    // Dropping one deletes its objects on its own context, not on the other's.
    drop(osmesa);
    assert_eq!(egl.replay(&list).unwrap().get(read), Some(&expected[..]));
    assert_eq!(egl.context().unwrap().backend(), Backend::Egl);
}
