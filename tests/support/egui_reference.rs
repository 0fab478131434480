//! The reference side of the egui acceptance test (issue 13): `egui_glow`'s painter paints
//! the frames of `examples/common/egui_scene.rs` on a surfaceless EGL context of the scene's
//! size, and [`Comparison`] measures how close two pictures are. Included by path
//! (`#[path]`) next to the scene module, which the including file names `egui_scene`.

use super::egui_scene::{Frame, CLEAR_COLOR, DITHERING};
use egui_glow::glow::{self, HasContext};
use gltape::EglContext;
use std::sync::Arc;

/// Largest per-channel difference, in 1/255 steps, a pixel may have and count as matching.
pub const TOLERANCE: u8 = 2;

/// `egui_glow::Painter` on its own EGL context, drawing into the context's offscreen screen
/// (an RGBA8 framebuffer, bound when the context is made).
pub struct Reference {
    /// Declared first: destroyed (in `drop`) while the context is alive.
    painter: egui_glow::Painter,
    context: EglContext,
}

impl Reference {
    /// A painter on a new `width` x `height` surfaceless context.
    pub fn new(width: u32, height: u32) -> Reference {
        let context = EglContext::new(width, height).expect("a surfaceless EGL context");
        // SAFETY: the context is current on this thread and lives as long as the painter
        // (`Reference` drops the painter's GL objects first); the loader returns its functions.
        let gl =
            unsafe { glow::Context::from_loader_function(|name| context.get_proc_address(name)) };
        let painter = egui_glow::Painter::new(Arc::new(gl), "", None, DITHERING)
            .expect("egui_glow's shaders compile on OpenGL 4.5 core");
        Reference { painter, context }
    }

    /// Clears the screen to [`CLEAR_COLOR`], applies the frame's texture deltas, paints its
    /// meshes, frees the textures it frees, and reads the screen as RGBA8, rows bottom to
    /// top. Textures persist between calls, as between the frames of one egui context.
    pub fn paint(&mut self, frame: &Frame) -> Vec<u8> {
        self.draw(frame);
        self.read_screen()
    }

    /// [`Reference::paint`] without the read: what egui_glow does for a frame (the bench
    /// times it, with [`Reference::finish`]).
    pub fn draw(&mut self, frame: &Frame) {
        self.context.make_current();
        let (width, height) = self.context.framebuffer_size();
        let size = [width, height];
        egui_glow::painter::clear(self.painter.gl(), size, CLEAR_COLOR);
        self.painter.paint_and_update_textures(
            size,
            frame.pixels_per_point,
            &frame.primitives,
            &mut frame.textures_delta(),
        );
    }

    /// Waits until GL has finished every command (glFinish).
    pub fn finish(&self) {
        // SAFETY: the context is current (`gl`); glFinish takes no arguments.
        unsafe { self.gl().finish() }
    }

    /// The screen as RGBA8, rows bottom to top.
    fn read_screen(&self) -> Vec<u8> {
        let (width, height) = self.context.framebuffer_size();
        let gl = self.gl();
        let mut pixels = vec![0; width as usize * height as usize * 4];
        // SAFETY: the context is current; `pixels` holds the whole screen as RGBA8 rows of
        // `width * 4` bytes, a multiple of the default PACK_ALIGNMENT of 4.
        let error = unsafe {
            gl.read_pixels(
                0,
                0,
                width as i32,
                height as i32,
                glow::RGBA,
                glow::UNSIGNED_BYTE,
                glow::PixelPackData::Slice(Some(&mut pixels)),
            );
            gl.get_error()
        };
        assert_eq!(error, glow::NO_ERROR, "egui_glow painted with a GL error");
        pixels
    }

    /// Level 0 of the GL texture the painter made for `id` as RGBA8, rows as uploaded (GL's
    /// row 0 first), if it has one.
    pub fn read_texture(&self, id: egui::TextureId) -> Option<Vec<u8>> {
        let texture = self.texture(id)?;
        let gl = self.gl();
        // SAFETY: the context is current; `texture` is a live 2D texture of the painter's
        // (bound to unit 0, which the painter binds anew for each mesh); `texels` holds its
        // level 0 as RGBA8 rows of `width * 4` bytes, a multiple of the PACK_ALIGNMENT of 4.
        unsafe {
            gl.active_texture(glow::TEXTURE0);
            gl.bind_texture(glow::TEXTURE_2D, Some(texture));
            let level = |parameter| gl.get_tex_level_parameter_i32(glow::TEXTURE_2D, 0, parameter);
            let (width, height) = (level(glow::TEXTURE_WIDTH), level(glow::TEXTURE_HEIGHT));
            let mut texels = vec![0; width as usize * height as usize * 4];
            gl.get_tex_image(
                glow::TEXTURE_2D,
                0,
                glow::RGBA,
                glow::UNSIGNED_BYTE,
                glow::PixelPackData::Slice(Some(&mut texels)),
            );
            assert_eq!(gl.get_error(), glow::NO_ERROR, "reading texture {id:?}");
            Some(texels)
        }
    }

    /// The painter's GL functions, with its context made current (to inspect the state it
    /// leaves).
    pub fn gl(&self) -> &glow::Context {
        self.context.make_current();
        self.painter.gl()
    }

    /// The GL texture the painter made for `id`, if it has one.
    pub fn texture(&self, id: egui::TextureId) -> Option<glow::Texture> {
        self.painter.texture(id)
    }
}

impl Drop for Reference {
    fn drop(&mut self) {
        self.context.make_current();
        self.painter.destroy();
    }
}

/// How close two RGBA8 pictures of the same size are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Comparison {
    /// Pixels compared.
    pub pixels: usize,
    /// Pixels whose every channel differs by at most [`TOLERANCE`].
    pub within: usize,
    /// The largest difference of any channel of any pixel.
    pub largest: u8,
    /// The first pixel (x, y, rows bottom to top) with the largest difference, if any differs.
    pub largest_at: Option<(usize, usize)>,
}

impl Comparison {
    /// Compares `actual` with `expected`, both `width` pixels wide.
    pub fn of(actual: &[u8], expected: &[u8], width: usize) -> Comparison {
        assert_eq!(actual.len(), expected.len(), "pictures of different sizes");
        assert_eq!(actual.len() % (width * 4), 0, "not whole rows of RGBA8");
        let mut comparison = Comparison {
            pixels: actual.len() / 4,
            within: 0,
            largest: 0,
            largest_at: None,
        };
        let pairs = actual.chunks_exact(4).zip(expected.chunks_exact(4));
        for (index, (a, e)) in pairs.enumerate() {
            let difference = a.iter().zip(e).map(|(a, e)| a.abs_diff(*e)).max().unwrap();
            if difference <= TOLERANCE {
                comparison.within += 1;
            }
            if difference > comparison.largest {
                comparison.largest = difference;
                comparison.largest_at = Some((index % width, index / width));
            }
        }
        comparison
    }

    /// The fraction of pixels within [`TOLERANCE`] (1 for no pixels).
    pub fn fraction_within(&self) -> f64 {
        if self.pixels == 0 {
            1.0
        } else {
            self.within as f64 / self.pixels as f64
        }
    }
}

impl std::fmt::Display for Comparison {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} of {} pixels ({:.4}%) within {}/255 per channel; largest difference {}/255",
            self.within,
            self.pixels,
            self.fraction_within() * 100.0,
            TOLERANCE,
            self.largest
        )?;
        if let Some((x, y)) = self.largest_at {
            write!(f, " at ({x}, {y}) from the bottom left")?;
        }
        Ok(())
    }
}
