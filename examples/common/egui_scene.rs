//! The egui acceptance scene (issue 13): a deterministic, non-trivial egui UI run for
//! [`FRAMES`] frames with scripted input, each frame tessellated into what a painter gets
//! ([`Frame`]: clipped meshes, texture updates in a fixed order). Shared by `examples/egui.rs`
//! and `benches/egui.rs` (which paint it through gltape's painter,
//! `examples/common/egui_painter.rs`) and `tests/egui.rs` (which paints it both through
//! gltape and with `egui_glow`, the reference, and compares). Not an example target itself:
//! included with `#[path]`.
//!
//! The UI, at [`PIXELS_PER_POINT`] on a [`WIDTH`] x [`HEIGHT`] pixel screen (320 x 240
//! points): a central panel with a heading, a line chart drawn with egui's `Painter`
//! (clipped to its frame) and a heat-map image (a user texture, `NEAREST`, partly rewritten
//! in frame 2); a "Controls" window (button, counter label, slider, checkbox) and a "Log"
//! window whose scroll area scrolls a little each frame (labels clipped at its edges).
//! Frame 0 shows the panel alone (egui lays new windows out invisibly first); the windows
//! fade in, translucent in frame 1, opaque from frame 2. The pointer moves onto the
//! button in frame 1, presses in frame 2 and releases in frame 3 (a click: the counter's text
//! changes, which adds glyphs to the font atlas). Time advances by [`DT`] per frame.
//!
//! # What `egui_glow` 0.37 does on GL (the reference gltape's painter matches)
//!
//! Read from egui_glow 0.37.0's `painter.rs`, `vao.rs`, `shader_version.rs` and its two
//! shaders; on Mesa's OpenGL 4.5 core context.
//!
//! - **Shaders**: `#version 140` (GL_SHADING_LANGUAGE_VERSION "4.50" parses as `Gl140`), then
//!   `#define NEW_SHADER_INTERFACE 1` (in/out; the fragment shader writes `out vec4 f_color`
//!   through `#define gl_FragColor f_color`, `texture2D` is `texture`), and in the fragment
//!   shader `#define DITHERING 0|1` (the `dithering` argument of `Painter::new`; eframe passes
//!   true, this harness false, see [`DITHERING`]). No precision qualifiers (they are under
//!   `#ifdef GL_ES`). Vertex: `gl_Position = vec4(2 * a_pos.x / u_screen_size.x - 1,
//!   1 - 2 * a_pos.y / u_screen_size.y, 0, 1)` with `u_screen_size` the screen in **points**
//!   (pixels / pixels_per_point), `v_rgba_in_gamma = a_srgba / 255.0`, `v_tc = a_tc`.
//!   Fragment: `f_color = v_rgba_in_gamma * texture(u_sampler, v_tc)`, all in gamma space
//!   (no sRGB decode or encode anywhere); with dithering, `rgb += (ign(gl_FragCoord.xy) -
//!   0.5) * 0.95 / 255` where `ign(n) = fract(52.9829189 * fract(0.06711056 * n.x +
//!   0.00583715 * n.y))`.
//! - **Vertex format**: one buffer of `epaint::Vertex`, 20 bytes: `pos` f32x2 at 0, `uv`
//!   f32x2 at 8, `color` u8x4 at 16 (premultiplied sRGBA). Attributes through
//!   glVertexAttribPointer on a VAO (locations from glGetAttribLocation after linking, none
//!   bound): `a_pos` 2 FLOAT, `a_tc` 2 FLOAT, `a_srgba` 4 UNSIGNED_BYTE **not normalized**
//!   (the shader gets 0..255 and divides by 255; in ModernGL terms `2f 2f 4f1` gives the
//!   same values, normalized by GL).
//! - **Per mesh** (`paint_mesh`): glBufferData(ARRAY_BUFFER, vertices, STREAM_DRAW) and
//!   glBufferData(ELEMENT_ARRAY_BUFFER, indices, STREAM_DRAW) on the same two buffers (a
//!   fresh store each mesh, i.e. orphan + write), bind the mesh's texture to unit 0,
//!   glDrawElements(TRIANGLES, count, **UNSIGNED_INT**, 0). A mesh whose texture is unknown
//!   is skipped (logged).
//! - **Pipeline state** (`prepare_painting`, once per `paint_primitives`): enable
//!   SCISSOR_TEST; disable CULL_FACE and DEPTH_TEST; color mask all true; enable BLEND,
//!   glBlendEquationSeparate(FUNC_ADD, FUNC_ADD), glBlendFuncSeparate(**ONE,
//!   ONE_MINUS_SRC_ALPHA, ONE_MINUS_DST_ALPHA, ONE**) (premultiplied colour; alpha as "under");
//!   disable FRAMEBUFFER_SRGB when GL_ARB_framebuffer_sRGB is listed (it is on Mesa; our
//!   screen is RGBA8 anyway, so it changes nothing); glViewport(0, 0, width_px, height_px);
//!   uniforms `u_screen_size` = screen in points and `u_sampler` = 0; active texture unit 0.
//!   Stencil, polygon offset and the rest are left as they are. After the primitives it
//!   unbinds the VAO and element buffer and disables SCISSOR_TEST. It binds no framebuffer:
//!   it draws into the one bound, and never clears (the caller does: `egui_glow::painter::clear`
//!   disables the scissor test, sets the viewport and clears COLOR only).
//! - **Clip rectangle -> scissor box** (`set_clip_rect`, before each primitive): multiply
//!   the clip rect (points) by pixels_per_point, round each edge (`f32::round`, half away
//!   from zero), clamp `min` to `[0, size]` and `max` to `[min, size]`, then glScissor(min_x,
//!   height_px - max_y, max_x - min_x, max_y - min_y): egui's y runs down, GL's up, and the
//!   framebuffer is drawn upright (row 0 of a glReadPixels is the bottom of the UI).
//! - **Textures** (`set_texture`, all of a frame's `TexturesDelta::set` before painting, in
//!   hash-map order; `free` after painting, glDeleteTextures): a GL name per
//!   `TextureId`, glTexParameteri MAG_FILTER from `magnification` (NEAREST / LINEAR),
//!   MIN_FILTER from `minification` and `mipmap_mode` (NEAREST, LINEAR, or X_MIPMAP_Y),
//!   WRAP_S and WRAP_T from `wrap_mode` (CLAMP_TO_EDGE, REPEAT, MIRRORED_REPEAT), set again
//!   on every delta, full or partial. glPixelStorei(UNPACK_ALIGNMENT, 1). Internal format
//!   **RGBA8** (`srgb_textures` is always false: egui wants sRGB-unaware textures), data
//!   RGBA / UNSIGNED_BYTE, premultiplied Color32 bytes. A delta with `pos: Some([x, y])` is
//!   glTexSubImage2D(level 0, x, y, w, h); `pos: None` is glTexImage2D(level 0, RGBA8, w, h)
//!   (a full replacement, possibly of a new size: the font atlas grows this way). Then
//!   glGenerateMipmap when `mipmap_mode` is set. egui's font atlas is `TextureOptions::LINEAR`
//!   (clamp, no mipmaps) and arrives whole in frame 0, then as partial deltas when new glyphs
//!   are rasterized.
//! - **Readback** (`read_screen_rgba`): glReadPixels(0, 0, w, h, RGBA, UNSIGNED_BYTE), rows
//!   flipped to top-first. This harness keeps GL's bottom-first rows (as gltape reads them).

use egui::{
    epaint, Color32, ColorImage, Event, Modifiers, PointerButton, Pos2, RawInput, Rect, Sense,
    Shape, Stroke, TextureHandle, TextureId, TextureOptions, Vec2, ViewportId, ViewportInfo,
};
use std::cell::Cell;

/// Screen width in pixels.
pub const WIDTH: u32 = 400;
/// Screen height in pixels.
pub const HEIGHT: u32 = 300;
/// Pixels per point: not an integer, so clip rectangles round.
pub const PIXELS_PER_POINT: f32 = 1.25;
/// Frames run.
pub const FRAMES: usize = 4;
/// Seconds between frames.
pub const DT: f32 = 0.05;
/// The largest texture side egui is told about (fixed, so the font atlas does not depend on
/// the driver's GL_MAX_TEXTURE_SIZE).
pub const MAX_TEXTURE_SIDE: usize = 2048;
/// The colour the screen is cleared to before each frame (transparent: the blend's alpha
/// factors then matter).
pub const CLEAR_COLOR: [f32; 4] = [0.0, 0.0, 0.0, 0.0];
/// Whether the reference painter dithers (see the module docs): off, so the reference is the
/// exact product of the vertex colour and the texel.
pub const DITHERING: bool = false;

/// Size of the heat-map image in texels.
const HEAT_MAP: [usize; 2] = [48, 32];
/// Where frame 2 rewrites the heat map, and the size of that region.
const HEAT_MAP_PATCH: ([usize; 2], [usize; 2]) = ([8, 4], [20, 12]);

/// What a painter gets for one frame, in a fixed order (egui hands texture deltas out in a
/// hash map, and a `TexturesDelta` must not be dropped unapplied).
pub struct Frame {
    /// The tessellated meshes, each with its clip rectangle in points.
    pub primitives: Vec<egui::ClippedPrimitive>,
    /// Textures to create or update before painting: by texture id, and for one texture in
    /// the order egui queued them.
    pub textures_set: Vec<(TextureId, epaint::ImageDelta)>,
    /// Textures to free after painting, by id.
    pub textures_free: Vec<TextureId>,
    /// Pixels per point of this frame (always [`PIXELS_PER_POINT`]).
    pub pixels_per_point: f32,
}

impl Frame {
    /// The frame as egui's output: tessellates `output`'s shapes and takes its texture
    /// deltas.
    fn new(ctx: &egui::Context, output: egui::FullOutput) -> Frame {
        let mut delta = output.textures_delta;
        let mut textures_set: Vec<_> = delta
            .set
            .drain()
            .flat_map(|(id, deltas)| deltas.into_iter().map(move |delta| (id, delta)))
            .collect();
        // Stable: one texture's deltas keep their order.
        textures_set.sort_by_key(|(id, _)| *id);
        let mut textures_free: Vec<_> = delta.free.drain().collect();
        textures_free.sort_unstable();
        Frame {
            primitives: ctx.tessellate(output.shapes, output.pixels_per_point),
            textures_set,
            textures_free,
            pixels_per_point: output.pixels_per_point,
        }
    }

    /// The texture deltas in egui's form, for a painter that takes them so (egui_glow).
    pub fn textures_delta(&self) -> egui::TexturesDelta {
        let mut delta = egui::TexturesDelta::default();
        for (id, image) in &self.textures_set {
            delta.push(*id, image.clone());
        }
        delta.free.extend(&self.textures_free);
        delta
    }
}

/// The UI's state between frames.
struct Ui {
    heat_map: Option<TextureHandle>,
    clicks: u32,
    value: f32,
    checked: bool,
    /// Centre of the button in points, as laid out in the latest frame.
    button: Cell<Option<Pos2>>,
}

/// Runs the scene: [`FRAMES`] frames, each tessellated at [`PIXELS_PER_POINT`].
pub fn frames() -> Vec<Frame> {
    let ctx = egui::Context::default();
    ctx.set_theme(egui::Theme::Dark);
    let mut ui = Ui {
        heat_map: None,
        clicks: 0,
        value: 42.0,
        checked: true,
        button: Cell::new(None),
    };
    (0..FRAMES)
        .map(|frame| {
            let input = input(frame, ui.button.get());
            let output = ctx.run_ui(input, |root| ui.show(root, frame));
            Frame::new(&ctx, output)
        })
        .collect()
}

/// The input of `frame`: the fixed screen and time, and the scripted pointer.
fn input(frame: usize, button: Option<Pos2>) -> RawInput {
    let points = Vec2::new(WIDTH as f32, HEIGHT as f32) / PIXELS_PER_POINT;
    let mut input = RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, points)),
        max_texture_side: Some(MAX_TEXTURE_SIDE),
        time: Some(frame as f64 * f64::from(DT)),
        predicted_dt: DT,
        focused: true,
        ..RawInput::default()
    };
    input.viewports.insert(
        ViewportId::ROOT,
        ViewportInfo {
            native_pixels_per_point: Some(PIXELS_PER_POINT),
            focused: Some(true),
            ..ViewportInfo::default()
        },
    );
    if frame > 0 {
        let pos = button.expect("frame 0 lays the button out");
        input.events = vec![match frame {
            1 => Event::PointerMoved(pos),
            _ => Event::PointerButton {
                pos,
                button: PointerButton::Primary,
                pressed: frame == 2,
                modifiers: Modifiers::NONE,
            },
        }];
    }
    input
}

impl Ui {
    /// Lays out frame `frame`.
    fn show(&mut self, root: &mut egui::Ui, frame: usize) {
        let ctx = root.ctx().clone();
        let heat_map = self.heat_map.get_or_insert_with(|| {
            ctx.load_texture("heat map", heat_map(HEAT_MAP, 0), TextureOptions::NEAREST)
        });
        if frame == 2 {
            let (pos, size) = HEAT_MAP_PATCH;
            heat_map.set_partial(pos, heat_map_patch(size), TextureOptions::NEAREST);
        }
        let image = (heat_map.id(), Vec2::new(96.0, 48.0));
        egui::CentralPanel::default().show(root, |ui| {
            ui.heading("gltape paints egui");
            ui.label(format!("frame {frame}: text, shapes, an image, clipping"));
            line_chart(ui, frame);
            ui.image(image);
        });
        // Windows get a default size that fits the screen: their first (sizing) pass
        // otherwise assumes egui's default area size, larger than this screen, and pushes
        // them to its top left.
        egui::Window::new("Controls")
            .default_pos([150.0, 30.0])
            .default_size([160.0, 110.0])
            .resizable(false)
            .show(&ctx, |ui| {
                ui.spacing_mut().slider_width = 70.0;
                let button = ui.button("Click me");
                self.button.set(Some(button.rect.center()));
                if button.clicked() {
                    self.clicks += 1;
                }
                ui.label(format!("Clicked {} times", self.clicks));
                ui.add(egui::Slider::new(&mut self.value, 0.0..=100.0).text("value"));
                ui.checkbox(&mut self.checked, "Checked");
            });
        egui::Window::new("Log")
            .default_pos([8.0, 165.0])
            .default_size([130.0, 36.0])
            .resizable(false)
            .show(&ctx, |ui| {
                egui::ScrollArea::vertical()
                    .max_height(36.0)
                    .min_scrolled_height(36.0)
                    .vertical_scroll_offset(7.0 * frame as f32)
                    .show(ui, |ui| {
                        for line in 0..24 {
                            ui.label(format!("log line {line}: {}", line * line));
                        }
                    });
            });
    }
}

/// A sine-like polyline over a grid, clipped to its frame (the curve overshoots it).
fn line_chart(ui: &mut egui::Ui, frame: usize) {
    let (response, painter) = ui.allocate_painter(Vec2::new(130.0, 50.0), Sense::hover());
    let rect = response.rect;
    let painter = painter.with_clip_rect(rect);
    painter.rect_filled(rect, 4.0, Color32::from_rgb(20, 24, 32));
    let grid = Stroke::new(1.0, Color32::from_gray(60));
    for i in 1..4 {
        let x = rect.left() + rect.width() * i as f32 / 4.0;
        painter.line_segment(
            [Pos2::new(x, rect.top()), Pos2::new(x, rect.bottom())],
            grid,
        );
    }
    let phase = frame as f32 * 0.4;
    let points = (0..=64)
        .map(|i| {
            let t = i as f32 / 64.0;
            let y = (t * 9.0 + phase).sin() * 0.6 + (t * 23.0).sin() * 0.3;
            Pos2::new(
                rect.left() + t * rect.width(),
                rect.center().y - y * rect.height(),
            )
        })
        .collect();
    painter.add(Shape::line(
        points,
        Stroke::new(1.5, Color32::from_rgb(90, 200, 255)),
    ));
    painter.circle_filled(
        rect.left_top() + Vec2::new(20.0 + 10.0 * frame as f32, 15.0),
        6.0,
        Color32::from_rgba_unmultiplied(255, 140, 0, 160),
    );
}

/// The heat map: a smooth two-wave field through a four-colour ramp, some texels
/// translucent, shifted by `seed`.
fn heat_map([width, height]: [usize; 2], seed: usize) -> ColorImage {
    let mut rgba = Vec::with_capacity(width * height * 4);
    for y in 0..height {
        for x in 0..width {
            let v = ((x + seed) as f32 * 0.31).sin() * ((y as f32) * 0.23).cos() * 0.5 + 0.5;
            let level = (v * 255.0) as u8;
            let alpha = if (x / 8 + y / 8) % 5 == 0 { 128 } else { 255 };
            rgba.extend_from_slice(&[level, 255 - level, (x * 5) as u8, alpha]);
        }
    }
    ColorImage::from_rgba_unmultiplied([width, height], &rgba)
}

/// The region frame 2 writes into the heat map.
fn heat_map_patch(size: [usize; 2]) -> ColorImage {
    heat_map(size, 17)
}

/// How much of each kind a run of frames holds (to check the scene stays non-trivial).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Census {
    /// Meshes over all frames.
    pub meshes: usize,
    /// Distinct scissor rectangles (clip rectangles) over all frames.
    pub clip_rects: usize,
    /// Distinct texture ids the meshes draw with.
    pub textures: usize,
    /// Whole-texture deltas (`pos: None`).
    pub full_uploads: usize,
    /// Partial deltas (`pos: Some`).
    pub partial_uploads: usize,
    /// Paint callbacks (a painter of meshes cannot paint them; the scene has none).
    pub callbacks: usize,
}

impl Census {
    /// Counts `frames`.
    pub fn of(frames: &[Frame]) -> Census {
        let mut census = Census::default();
        let (mut clips, mut textures) = (Vec::new(), Vec::new());
        for frame in frames {
            for primitive in &frame.primitives {
                let clip = primitive.clip_rect;
                if !clips.contains(&clip) {
                    clips.push(clip);
                }
                match &primitive.primitive {
                    epaint::Primitive::Mesh(mesh) => {
                        census.meshes += 1;
                        if !textures.contains(&mesh.texture_id) {
                            textures.push(mesh.texture_id);
                        }
                    }
                    epaint::Primitive::Callback(_) => census.callbacks += 1,
                }
            }
            for (_, delta) in &frame.textures_set {
                match delta.pos {
                    None => census.full_uploads += 1,
                    Some(_) => census.partial_uploads += 1,
                }
            }
        }
        census.clip_rects = clips.len();
        census.textures = textures.len();
        census
    }
}
