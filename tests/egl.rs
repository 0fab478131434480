//! Surfaceless EGL contexts (feature `egl`, no GLFW): what they offer, their offscreen screen
//! read back pixel for pixel, two of them on two threads, and two renderers (sessions,
//! captures) used in turn on one thread, each making its own context current. `scripts/run
//! test` also runs this file built with `--no-default-features --features egl`.

use gltape::{
    Backend, Capture, Draw, EglContext, FramebufferId, Mode, PixelType, ProgramDesc, Recorder,
    Renderer, ReplayError,
};

const WIDTH: usize = 48;
const HEIGHT: usize = 20;
const RED: [u8; 4] = [255, 0, 0, 255];
const BLACK: [u8; 4] = [0, 0, 0, 255];

fn renderer() -> Renderer {
    let context = EglContext::new(WIDTH as u32, HEIGHT as u32).expect("surfaceless EGL context");
    Renderer::with_context(context).expect("OpenGL 4.5 core on EGL")
}

/// Pixel (x, y) of a whole-screen RGBA8 read (rows bottom to top).
fn pixel(bytes: &[u8], x: usize, y: usize) -> [u8; 4] {
    let at = (y * WIDTH + x) * 4;
    bytes[at..at + 4].try_into().unwrap()
}

/// Clears the screen to black, draws a red triangle over its lower-left half and reads the
/// whole screen as RGBA8.
fn red_triangle() -> (gltape::CommandList, gltape::ReadbackId) {
    let mut rec = Recorder::new();
    let program = rec
        .program(
            ProgramDesc::new(
                "#version 450 core
in vec2 in_pos;
void main() { gl_Position = vec4(in_pos, 0.0, 1.0); }
",
            )
            .fragment(
                "#version 450 core
layout(location = 0) out vec4 color;
void main() { color = vec4(1.0, 0.0, 0.0, 1.0); }
",
            ),
        )
        .unwrap();
    let lower_left: [f32; 6] = [-1.0, -1.0, 1.0, -1.0, -1.0, 1.0];
    let vertices = rec.buffer(&lower_left[..]).unwrap();
    let vao = rec
        .vertex_array(program, &[(vertices, "2f", &["in_pos"][..])], None)
        .unwrap();
    rec.use_framebuffer(FramebufferId::SCREEN).unwrap();
    rec.clear_framebuffer(FramebufferId::SCREEN, [0.0, 0.0, 0.0, 1.0], 1.0, None)
        .unwrap();
    rec.render(vao, Draw::new(Mode::Triangles)).unwrap();
    let px = rec
        .read_pixels(FramebufferId::SCREEN, None, 4, 0, PixelType::F1)
        .unwrap();
    (rec.finish(), px)
}

#[test]
fn egl_offers_gl_4_5_core_on_llvmpipe_with_an_offscreen_screen() {
    let context = EglContext::new(48, 20).unwrap();
    assert_eq!(context.framebuffer_size(), (48, 20));
    assert_ne!(
        context.framebuffer(),
        0,
        "surfaceless: the screen is a framebuffer object"
    );
    let renderer = Renderer::with_context(context).unwrap();
    assert_eq!(renderer.context().unwrap().backend(), Backend::Egl);
    let info = renderer.info();
    assert!(info.version.starts_with("4.5"), "{info:?}");
    assert!(info.version.contains("Core"), "{info:?}");
    assert!(info.renderer.contains("llvmpipe"), "{info:?}");
}

#[test]
fn a_triangle_on_the_egl_screen_reads_back_exact_pixels() {
    let mut renderer = renderer();
    let (list, px) = red_triangle();
    let readbacks = renderer.replay(&list).unwrap();
    let screen = readbacks.get(px).unwrap();
    assert_eq!(screen.len(), WIDTH * HEIGHT * 4);
    for (x, y, rgba) in [
        (2, 2, RED),
        (20, 4, RED),
        (2, 16, RED),
        (44, 18, BLACK),
        (30, 15, BLACK),
    ] {
        assert_eq!(pixel(screen, x, y), rgba, "pixel ({x}, {y})");
    }
    // A screenshot reads the same screen.
    let (width, height, shot) = renderer.read_framebuffer_in_use().unwrap();
    assert_eq!((width, height), (WIDTH as u32, HEIGHT as u32));
    assert_eq!(shot, screen);

    // The next replay starts from a zeroed screen: nothing of the triangle is left.
    let mut rec = Recorder::new();
    let again = rec
        .read_pixels(FramebufferId::SCREEN, None, 4, 0, PixelType::F1)
        .unwrap();
    let zeroed = renderer.replay(&rec.finish()).unwrap();
    assert_eq!(zeroed.get(again).unwrap(), &[0u8; WIDTH * HEIGHT * 4][..]);
}

#[test]
fn the_screen_size_bounds_reads_as_on_any_screen() {
    let mut renderer = renderer();
    let mut rec = Recorder::new();
    let rect = gltape::Rect::new(40, 0, 9, 1);
    rec.read_pixels(FramebufferId::SCREEN, Some(rect), 4, 0, PixelType::F1)
        .unwrap();
    let err = renderer.replay(&rec.finish()).unwrap_err();
    assert!(matches!(err, ReplayError::Invalid(_)), "{err:?}");
    assert!(err.to_string().contains("48x20"), "{err}");
}

#[test]
fn egl_contexts_on_two_threads_share_the_display_and_agree() {
    let (list, px) = red_triangle();
    let replays: Vec<Vec<u8>> = std::thread::scope(|scope| {
        let threads: Vec<_> = (0..2)
            .map(|_| {
                scope.spawn(|| {
                    let mut renderer = renderer();
                    let mut last = Vec::new();
                    for _ in 0..3 {
                        last = renderer.replay(&list).unwrap().get(px).unwrap().to_vec();
                    }
                    last
                })
            })
            .collect();
        threads.into_iter().map(|t| t.join().unwrap()).collect()
    });
    assert_eq!(replays[0], replays[1]);
    assert_eq!(pixel(&replays[0], 2, 2), RED);
}

#[test]
fn sessions_on_two_contexts_of_one_thread_submit_in_turn() {
    // Each submission must make its renderer's context current: after the first segment
    // (which starts a replay) too, or it would run on the other renderer's context, where
    // its buffer does not exist.
    let mut renderers = [renderer(), renderer()];
    let mut recorders = [Recorder::new(), Recorder::new()];
    let buffers: Vec<_> = recorders
        .iter_mut()
        .zip(&mut renderers)
        .map(|(rec, renderer)| {
            let buffer = rec.buffer_reserve(4, true).unwrap();
            renderer.submit(&rec.flush().unwrap()).unwrap();
            buffer
        })
        .collect();
    // Both write, then both read: each must read its own value back.
    let value = |round: u8, index: usize| [round, index as u8, 7, 9];
    for round in 0..3u8 {
        for (index, (rec, renderer)) in recorders.iter_mut().zip(&mut renderers).enumerate() {
            rec.write(buffers[index], 0, &value(round, index)).unwrap();
            renderer.submit(&rec.flush().unwrap()).unwrap();
        }
        for (index, (rec, renderer)) in recorders.iter_mut().zip(&mut renderers).enumerate() {
            let read = rec.read(buffers[index], None, 0).unwrap();
            let readbacks = renderer.submit(&rec.flush().unwrap()).unwrap();
            let expected = value(round, index);
            assert_eq!(readbacks.get(read), Some(&expected[..]), "round {round}");
        }
    }
}

#[test]
fn captures_on_two_contexts_of_one_thread_record_in_turn() {
    // Each capture must make its context current before running what it recorded: both
    // clear their screens, then both read them.
    let mut captures = [renderer(), renderer()].map(|r| Capture::new(r).unwrap());
    let colors = [[1.0, 0.0, 0.0, 1.0], [0.0, 1.0, 0.0, 1.0]];
    for (capture, color) in captures.iter_mut().zip(colors) {
        let screen = FramebufferId::SCREEN;
        capture
            .record(|rec| rec.clear_framebuffer(screen, color, 1.0, None))
            .unwrap();
    }
    for (capture, expected) in captures.iter_mut().zip([RED, [0, 255, 0, 255]]) {
        let read = capture
            .record(|rec| rec.read_pixels(FramebufferId::SCREEN, None, 4, 0, PixelType::F1))
            .unwrap();
        assert_eq!(pixel(capture.readback(read).unwrap(), 0, 0), expected);
    }
}

#[test]
fn bad_sizes_are_refused_before_egl_is_touched() {
    for (width, height) in [(0, 10), (10, 0), (16385, 1)] {
        assert_eq!(
            EglContext::new(width, height).err(),
            Some(gltape::ContextError::BadSize { width, height })
        );
    }
}
