//! The scene's egui frames painted through gltape without a window: an [`EguiPainter`]
//! drawing into an offscreen RGBA8 framebuffer of its own on a renderer that owns a
//! surfaceless EGL context, one recorder session submitted as one segment per frame.
//! Shared by `examples/egui.rs`, `tests/egui.rs` and `benches/egui.rs`; included with
//! `#[path]` next to the modules `egui_scene` and `egui_painter`.

use super::egui_painter::{self, EguiPainter};
use super::egui_scene::{Frame, CLEAR_COLOR};
use gltape::trace::{digest, Trace};
use gltape::{
    Attachment, EglContext, FramebufferId, PixelType, ReadbackId, Readbacks, Recorder, Renderer,
    Segment,
};
use std::error::Error;

/// What the session's calls return: recording, GL and context errors alike.
pub type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// The painter, its target and the session it records, on a renderer of its own.
pub struct HeadlessEgui {
    renderer: Renderer,
    rec: Recorder,
    painter: EguiPainter,
    target: FramebufferId,
    size: [u32; 2],
    /// Reused by every flush.
    segment: Segment,
    /// The digest of every read so far, in id order.
    digests: Vec<[u8; 32]>,
}

impl HeadlessEgui {
    /// A painter drawing into a `width` x `height` framebuffer, on a new EGL context of that
    /// size. Its first segment creates the painter's objects and the framebuffer and ends
    /// frame 0 (frames 1 to N of the session are the scene's frames 0 to N - 1). With
    /// `keep_session`, the recorder keeps every segment for [`HeadlessEgui::trace`].
    pub fn new(width: u32, height: u32, keep_session: bool) -> Result<Self> {
        let renderer = Renderer::with_context(EglContext::new(width, height)?)?;
        let mut rec = Recorder::new();
        if keep_session {
            rec.keep_session();
        }
        let painter = EguiPainter::new(&mut rec)?;
        let color = rec.renderbuffer(width, height, 4, 0, PixelType::F1)?;
        let target = rec.framebuffer_from(&[Attachment::Renderbuffer(color)], None)?;
        rec.end_frame();
        let mut egui = HeadlessEgui {
            renderer,
            rec,
            painter,
            target,
            size: [width, height],
            segment: Segment::default(),
            digests: Vec::new(),
        };
        egui.submit()?;
        Ok(egui)
    }

    /// Clears the target to [`CLEAR_COLOR`], paints `frame` (texture deltas, meshes, frees),
    /// ends the frame and submits it; with `read`, the frame also reads the target back,
    /// whose pixels it returns (RGBA8, rows bottom to top).
    pub fn paint(&mut self, frame: &Frame, read: bool) -> Result<Option<Vec<u8>>> {
        egui_painter::clear(&mut self.rec, self.target, CLEAR_COLOR)?;
        self.painter.paint_and_update_textures(
            &mut self.rec,
            self.target,
            self.size,
            frame.pixels_per_point,
            &frame.primitives,
            &mut frame.textures_delta(),
        )?;
        let pixels = if read {
            Some(
                self.rec
                    .read_pixels(self.target, None, 4, 0, PixelType::F1)?,
            )
        } else {
            None
        };
        self.rec.end_frame();
        let readbacks = self.submit()?;
        Ok(pixels.map(|id| bytes(&readbacks, id)))
    }

    /// Reads level 0 of every texture the painter holds (RGBA8, rows as egui gave them), by
    /// egui id in order.
    pub fn read_textures(&mut self) -> Result<Vec<(egui::TextureId, Vec<u8>)>> {
        let reads = self
            .painter
            .textures()
            .into_iter()
            .map(|(id, texture)| Ok((id, self.rec.read_texture(texture, 0, 1)?)))
            .collect::<std::result::Result<Vec<_>, gltape::ValidationError>>()?;
        let readbacks = self.submit()?;
        Ok(reads
            .into_iter()
            .map(|(id, read)| (id, bytes(&readbacks, read)))
            .collect())
    }

    /// GL_VENDOR, GL_RENDERER and GL_VERSION of the renderer's context.
    pub fn info(&self) -> gltape::GlInfo {
        self.renderer.info()
    }

    /// Waits until GL has finished every submitted command (glFinish).
    pub fn finish(&self) {
        self.renderer.finish();
    }

    /// The session so far as a trace holding the digest of every read, so that `gltape
    /// replay --verify` checks a replay reads the same bytes; None unless the session is
    /// kept.
    pub fn trace(&self, label: &str) -> Option<Trace> {
        let list = self.rec.session()?.clone();
        Some(Trace::new(list, label, self.digests.clone()))
    }

    /// Flushes what was recorded since the last flush and runs it; keeps the digests of its
    /// reads.
    fn submit(&mut self) -> Result<Readbacks> {
        self.rec.flush_into(&mut self.segment)?;
        let readbacks = self.renderer.submit(&self.segment)?;
        self.digests.extend(readbacks.iter().map(digest));
        Ok(readbacks)
    }
}

/// The bytes of read `id`, which the submission that made it returned.
fn bytes(readbacks: &Readbacks, id: ReadbackId) -> Vec<u8> {
    readbacks
        .get(id)
        .expect("a submission returns the bytes of its reads")
        .to_vec()
}
