//! The egui acceptance test (issue 13): the frames of `examples/common/egui_scene.rs`,
//! painted through gltape's own painter (`examples/common/egui_painter.rs`, run by
//! `egui_headless.rs`), match what `egui_glow` (the reference painter) paints on a context of
//! the same size, pixel for pixel and texel for texel; the committed trace
//! `traces/egui.gltrace` is that session. The harness itself is checked too: the scene is
//! non-trivial, and `egui_glow` paints its frames the same on two contexts from two runs of
//! egui. Writes each frame's pictures to `target/tmp/egui/{reference,gltape}-N.png`.

// Shared with the example and the bench, which use what this test does not.
#[allow(dead_code)]
#[path = "../examples/common/egui_headless.rs"]
mod egui_headless;
#[path = "../examples/common/egui_painter.rs"]
mod egui_painter;
// Shared with the bench, which times what this test does not (`draw`, `finish`).
#[allow(dead_code)]
#[path = "support/egui_reference.rs"]
mod egui_reference;
#[path = "../examples/common/egui_scene.rs"]
mod egui_scene;

use egui::{TextureId, TextureOptions, TextureWrapMode, TexturesDelta};
use egui_headless::HeadlessEgui;
use egui_painter::EguiPainter;
use egui_reference::{Comparison, Reference};
use egui_scene::{Census, Frame, FRAMES, HEIGHT, WIDTH};
use gltape::trace::{self, DecodeLimits, EncodeOptions};
use gltape::{verify, FramebufferId, Recorder, Rect, Renderer};
use std::path::{Path, PathBuf};

/// Where the pictures go (kept after the test, to be looked at).
fn picture_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("egui");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes `picture` (the screen's size, rows bottom to top) as `NAME.png` in [`picture_dir`].
fn write_picture(name: &str, picture: &[u8]) {
    let path = picture_dir().join(format!("{name}.png"));
    gltape::image::write_png(&path, WIDTH, HEIGHT, picture).unwrap();
    println!("wrote {}", path.display());
}

/// Paints every frame on a new reference painter; the pictures, in order.
fn reference_pictures(frames: &[Frame]) -> Vec<Vec<u8>> {
    let mut reference = Reference::new(WIDTH, HEIGHT);
    frames.iter().map(|frame| reference.paint(frame)).collect()
}

/// Paints every frame through gltape, reading each back; the painter (to read its textures)
/// and the pictures, in order.
fn gltape_pictures(frames: &[Frame], keep_session: bool) -> (HeadlessEgui, Vec<Vec<u8>>) {
    let mut egui = HeadlessEgui::new(WIDTH, HEIGHT, keep_session).unwrap();
    let pictures = frames
        .iter()
        .map(|frame| egui.paint(frame, true).unwrap().unwrap())
        .collect();
    (egui, pictures)
}

/// The bytes of the trace the example saves (`cargo run --example egui -- --trace FILE`).
fn session_trace() -> Vec<u8> {
    let (mut egui, _) = gltape_pictures(&egui_scene::frames(), true);
    egui.read_textures().unwrap();
    let trace = egui.trace("egui").unwrap();
    let mut bytes = Vec::new();
    trace::encode_into(&trace, &mut bytes, &EncodeOptions::default()).unwrap();
    bytes
}

#[test]
fn gltape_paints_every_frame_as_egui_glow_does() {
    let frames = egui_scene::frames();
    let expected = reference_pictures(&frames);
    let (_, actual) = gltape_pictures(&frames, false);
    for (index, (actual, expected)) in actual.iter().zip(&expected).enumerate() {
        write_picture(&format!("gltape-{index}"), actual);
        let comparison = Comparison::of(actual, expected, WIDTH as usize);
        println!("frame {index}: {comparison}");
        assert!(
            comparison.fraction_within() >= 0.999,
            "frame {index}: {comparison}"
        );
        // Same shader arithmetic, same GL state, same driver: the same bytes.
        assert_eq!(comparison.largest, 0, "frame {index}: {comparison}");
    }
}

#[test]
fn gltape_holds_the_textures_egui_glow_holds() {
    let frames = egui_scene::frames();
    let mut reference = Reference::new(WIDTH, HEIGHT);
    for frame in &frames {
        reference.paint(frame);
    }
    let (mut egui, _) = gltape_pictures(&frames, false);
    let textures = egui.read_textures().unwrap();
    // The font atlas and the heat map, each updated in part after frame 0.
    assert_eq!(textures.len(), 2);
    for (id, texels) in textures {
        let expected = reference.read_texture(id).unwrap();
        println!("texture {id:?}: {} bytes", texels.len());
        assert!(texels == expected, "texture {id:?} differs");
    }
}

#[test]
fn the_committed_trace_is_the_session_the_example_records_and_verifies() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("traces/egui.gltrace");
    let committed = std::fs::read(&path).unwrap();
    // Compared decoded (the committed file may be of an older format version).
    let limits = DecodeLimits::default();
    let (old, new) = (
        trace::decode(&committed, &limits).unwrap().trace,
        trace::decode(&session_trace(), &limits).unwrap().trace,
    );
    assert!(
        old.header == new.header
            && old.list.commands() == new.list.commands()
            && old.list.tables() == new.list.tables()
            && old.list.payload_bytes() == new.list.payload_bytes(),
        "{} is not what the painter records now: regenerate it with \
         `cargo run --example egui -- --trace traces/egui.gltrace` (scripts/make-traces)",
        path.display()
    );
    let trace = trace::decode(&committed, &DecodeLimits::default())
        .unwrap()
        .trace;
    // Each frame's pixels, then the two textures.
    assert_eq!(trace.header.readback_digests.len(), FRAMES + 2);
    assert_eq!(trace.header.frames as usize, FRAMES + 1);
    let readbacks = Renderer::headless().unwrap().replay(&trace.list).unwrap();
    verify::verify(&trace.list, &trace.header.readback_digests, &readbacks).unwrap();
}

/// A frame with one texture delta of `options` for `id`, whole (`pos: None`) or at `pos`.
fn delta(id: TextureId, pos: Option<[usize; 2]>, options: TextureOptions) -> TexturesDelta {
    let image = egui::ColorImage::filled([2, 2], egui::Color32::WHITE);
    let mut delta = TexturesDelta::default();
    delta.set.insert(
        id,
        [egui::epaint::ImageDelta {
            image: image.into(),
            options,
            pos,
        }]
        .into_iter()
        .collect(),
    );
    delta
}

#[test]
fn the_painter_refuses_what_it_cannot_paint_before_recording_anything() {
    let mut rec = Recorder::new();
    let mut painter = EguiPainter::new(&mut rec).unwrap();
    let recorded = rec.list().len();
    let screen = FramebufferId::SCREEN;
    let mut paint = |primitives: &[egui::ClippedPrimitive], mut delta: TexturesDelta| {
        let result = painter.paint_and_update_textures(
            &mut rec,
            screen,
            [WIDTH, HEIGHT],
            1.0,
            primitives,
            &mut delta,
        );
        // Taken even when refused: egui panics on a delta dropped unapplied.
        assert!(delta.is_empty());
        result.unwrap_err().to_string()
    };
    let id = TextureId::Managed(7);
    let mirrored = TextureOptions {
        wrap_mode: TextureWrapMode::MirroredRepeat,
        ..TextureOptions::LINEAR
    };
    assert_eq!(
        paint(&[], delta(id, None, mirrored)),
        "texture Managed(7) asks for mirrored repeat, which gltape has not"
    );
    assert_eq!(
        paint(&[], delta(id, Some([0, 0]), TextureOptions::LINEAR)),
        "texture Managed(7) is updated in part but was never set whole"
    );
    let callback = egui::ClippedPrimitive {
        clip_rect: egui::Rect::EVERYTHING,
        primitive: egui::epaint::Primitive::Callback(egui::PaintCallback {
            rect: egui::Rect::EVERYTHING,
            callback: std::sync::Arc::new(()),
        }),
    };
    assert_eq!(
        paint(&[callback], TexturesDelta::default()),
        "a paint callback (this painter paints meshes only)"
    );
    assert_eq!(rec.list().len(), recorded, "nothing was recorded");
}

#[test]
fn clip_rectangles_round_as_egui_glow_rounds_them() {
    let rect = |min: [f32; 2], max: [f32; 2]| {
        let clip = egui::Rect::from_min_max(min.into(), max.into());
        egui_painter::scissor_rect(clip, 1.25, [WIDTH, HEIGHT])
    };
    // Edges 0.375, 0.375, 12.75 and 25.75 pixels round to 0, 0, 13 and 26; y flips.
    assert_eq!(rect([0.3, 0.3], [10.2, 20.6]), Rect::new(0, 274, 13, 26));
    // Half a pixel rounds away from zero: 2.5 -> 3, 7.5 -> 8.
    assert_eq!(rect([2.0, 2.0], [6.0, 6.0]), Rect::new(3, 292, 5, 5));
    // Clamped to the screen, and empty when outside it (y: 12.5 -> 13 and 25 pixels).
    assert_eq!(
        rect([-10.0, -10.0], [1000.0, 1000.0]),
        Rect::new(0, 0, WIDTH, HEIGHT)
    );
    assert_eq!(
        rect([400.0, 10.0], [500.0, 20.0]),
        Rect::new(400, 275, 0, 12)
    );
}

#[test]
fn the_scene_has_windows_clipping_several_textures_and_incremental_updates() {
    let census = Census::of(&egui_scene::frames());
    println!("{census:?}");
    assert_eq!(census.callbacks, 0);
    assert!(census.meshes >= 4 * FRAMES, "{census:?}");
    assert!(census.clip_rects >= 4, "{census:?}");
    // The font atlas and the heat map.
    assert_eq!(census.textures, 2, "{census:?}");
    assert_eq!(census.full_uploads, 2, "{census:?}");
    // The heat map's patch and the glyphs the counter's new text adds.
    assert!(census.partial_uploads >= 2, "{census:?}");
}

#[test]
fn the_reference_paints_the_same_frames_the_same_twice() {
    let first = reference_pictures(&egui_scene::frames());
    let second = reference_pictures(&egui_scene::frames());
    for (index, picture) in first.iter().enumerate() {
        write_picture(&format!("reference-{index}"), picture);
    }
    for (index, (a, b)) in first.iter().zip(&second).enumerate() {
        let comparison = Comparison::of(a, b, WIDTH as usize);
        println!("frame {index}: {comparison}");
        assert!(comparison.fraction_within() >= 0.999, "{comparison}");
        assert_eq!(comparison.largest, 0, "the reference is deterministic");
    }
    // The frames differ (hover, press, click, scrolling, the chart's phase) ...
    for pair in first.windows(2) {
        assert!(Comparison::of(&pair[0], &pair[1], WIDTH as usize).largest > 0);
    }
    // ... and the last is a UI, not a cleared screen: many colours, every pixel covered by
    // the central panel's opaque fill.
    let last = first.last().unwrap();
    let mut colours: Vec<&[u8]> = last.chunks_exact(4).collect();
    colours.sort_unstable();
    colours.dedup();
    assert!(colours.len() > 100, "{} colours", colours.len());
    assert!(last.chunks_exact(4).all(|pixel| pixel[3] == 255));
}

#[test]
fn the_comparison_counts_pixels_within_two_steps_and_finds_the_largest_difference() {
    let expected = [10, 20, 30, 255, 0, 0, 0, 0, 100, 100, 100, 100, 7, 7, 7, 7];
    let actual = [12, 18, 30, 255, 0, 0, 3, 0, 100, 100, 100, 100, 7, 7, 7, 0];
    let comparison = Comparison::of(&actual, &expected, 2);
    assert_eq!(
        comparison,
        Comparison {
            pixels: 4,
            within: 2,
            largest: 7,
            largest_at: Some((1, 1)),
        }
    );
    assert_eq!(comparison.fraction_within(), 0.5);
    assert_eq!(
        comparison.to_string(),
        "2 of 4 pixels (50.0000%) within 2/255 per channel; largest difference 7/255 at (1, 1) \
         from the bottom left"
    );
}

/// Pins the facts the scene module's docs give about egui_glow (a new egui_glow that
/// changes them fails here): the GL state it leaves after a frame, its shader's interface
/// and the textures it made.
#[test]
fn egui_glow_sets_the_gl_state_the_scene_module_describes() {
    use egui_glow::glow::{self, HasContext};
    let frames = egui_scene::frames();
    let mut reference = Reference::new(WIDTH, HEIGHT);
    for frame in &frames {
        reference.paint(frame);
    }
    let last_frame = frames.last().unwrap();
    let gl = reference.gl();
    assert_eq!(
        egui_glow::ShaderVersion::get(gl),
        egui_glow::ShaderVersion::Gl140
    );
    // SAFETY: `gl` is current (`Reference::gl`); every query names a valid enum, and the
    // slices hold as many values as GL writes.
    unsafe {
        let get = |parameter| gl.get_parameter_i32(parameter) as u32;
        let blend = [
            glow::BLEND_SRC_RGB,
            glow::BLEND_DST_RGB,
            glow::BLEND_SRC_ALPHA,
            glow::BLEND_DST_ALPHA,
        ];
        assert_eq!(
            blend.map(get),
            [
                glow::ONE,
                glow::ONE_MINUS_SRC_ALPHA,
                glow::ONE_MINUS_DST_ALPHA,
                glow::ONE
            ]
        );
        let equations = [glow::BLEND_EQUATION_RGB, glow::BLEND_EQUATION_ALPHA];
        assert_eq!(equations.map(get), [glow::FUNC_ADD; 2]);
        let caps = [
            glow::BLEND,
            glow::SCISSOR_TEST,
            glow::CULL_FACE,
            glow::DEPTH_TEST,
            glow::FRAMEBUFFER_SRGB,
        ];
        assert_eq!(
            caps.map(|cap| gl.is_enabled(cap)),
            [true, false, false, false, false]
        );
        assert_eq!(get(glow::UNPACK_ALIGNMENT), 1);
        assert_eq!(get(glow::ACTIVE_TEXTURE), glow::TEXTURE0);
        let mut viewport = [0; 4];
        gl.get_parameter_i32_slice(glow::VIEWPORT, &mut viewport);
        assert_eq!(viewport, [0, 0, WIDTH as i32, HEIGHT as i32]);
        // The last clip rectangle's box is still set (the test is off again).
        let mut scissor = [0; 4];
        gl.get_parameter_i32_slice(glow::SCISSOR_BOX, &mut scissor);
        let last = last_frame.primitives.last().unwrap();
        let rect = egui_painter::scissor_rect(
            last.clip_rect,
            last_frame.pixels_per_point,
            [WIDTH, HEIGHT],
        );
        assert_eq!(
            scissor,
            [rect.x, rect.y, rect.width as i32, rect.height as i32]
        );

        // The program stays in use: inputs as floats (the colour too), the screen in points.
        let program = gl.get_parameter_program(glow::CURRENT_PROGRAM).unwrap();
        let mut inputs: Vec<(String, u32)> = (0..gl.get_active_attributes(program))
            .map(|index| {
                let input = gl.get_active_attribute(program, index).unwrap();
                (input.name, input.atype)
            })
            .collect();
        inputs.sort();
        let expected = [
            ("a_pos", glow::FLOAT_VEC2),
            ("a_srgba", glow::FLOAT_VEC4),
            ("a_tc", glow::FLOAT_VEC2),
        ]
        .map(|(name, kind)| (name.to_owned(), kind));
        assert_eq!(inputs, expected);
        let screen = gl.get_uniform_location(program, "u_screen_size").unwrap();
        let mut points = [0.0; 2];
        gl.get_uniform_f32(program, &screen, &mut points);
        let ppp = egui_scene::PIXELS_PER_POINT;
        assert_eq!(points, [WIDTH as f32 / ppp, HEIGHT as f32 / ppp]);
        let sampler = gl.get_uniform_location(program, "u_sampler").unwrap();
        let mut unit = [-1];
        gl.get_uniform_i32(program, &sampler, &mut unit);
        assert_eq!(unit, [0]);

        // Frame 0 creates both textures (the font atlas, linear, and the heat map, nearest)
        // whole (later frames update them in part): RGBA8, filters and wrap from their
        // options.
        assert_eq!(frames[0].textures_set.len(), 2);
        for (id, delta) in &frames[0].textures_set {
            let texture = reference.texture(*id).unwrap();
            gl.bind_texture(glow::TEXTURE_2D, Some(texture));
            let level = |parameter| gl.get_tex_level_parameter_i32(glow::TEXTURE_2D, 0, parameter);
            let [width, height] = delta.image.size();
            assert_eq!(
                [
                    level(glow::TEXTURE_INTERNAL_FORMAT) as u32,
                    level(glow::TEXTURE_WIDTH) as u32,
                    level(glow::TEXTURE_HEIGHT) as u32,
                ],
                [glow::RGBA8, width as u32, height as u32]
            );
            let filter = |filter| match filter {
                egui::TextureFilter::Nearest => glow::NEAREST,
                egui::TextureFilter::Linear => glow::LINEAR,
            };
            assert_eq!(delta.options.mipmap_mode, None);
            let parameter = |name| gl.get_tex_parameter_i32(glow::TEXTURE_2D, name) as u32;
            assert_eq!(
                [
                    glow::TEXTURE_MAG_FILTER,
                    glow::TEXTURE_MIN_FILTER,
                    glow::TEXTURE_WRAP_S,
                    glow::TEXTURE_WRAP_T,
                ]
                .map(parameter),
                [
                    filter(delta.options.magnification),
                    filter(delta.options.minification),
                    glow::CLAMP_TO_EDGE,
                    glow::CLAMP_TO_EDGE,
                ]
            );
        }
    }
}
