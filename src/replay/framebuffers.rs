//! GL framebuffers of one replay: the screen (index 0) and offscreen ones, over renderbuffers
//! of their own or over renderbuffers and textures of the replay's; use, clear, pixel reads,
//! copies (into framebuffers and into textures), and the state each framebuffer keeps and
//! applies when it is used, as ModernGL's do: viewport, scissor, color masks and depth mask.

use super::programs::FragmentOutputs;
use super::renderbuffers::RenderbufferTable;
use super::textures::TextureTable;
use super::{gl_enum, readback_vec, Fault};
use crate::command::{
    check_rect, pixel_read_bytes, Attachment, ClearDesc, CopyTarget, DepthRead,
    FramebufferAttachments, FramebufferDesc, PixelRead, PixelType, Rect, ValidationError,
};
use crate::gl::{self, types::*, Gl};
use crate::ids::{FramebufferId, TextureId};
use crate::vertex_format::ScalarKind;
use smallvec::SmallVec;

/// A framebuffer, the renderbuffers it owns, its size and state. Index 0 is the screen:
/// GL's default framebuffer (name 0) or one its context owns (EGL's offscreen screen).
struct GlFramebuffer {
    name: GLuint,
    /// Renderbuffers made with it (a framebuffer over the replay's renderbuffers owns none).
    renderbuffers: SmallVec<[GLuint; 2]>,
    /// What each color attachment stores (the screen: one RGBA8 attachment, as `f1`).
    color: SmallVec<[PixelType; 8]>,
    /// Bit `i` set while color attachment `i` is a draw buffer.
    drawing: u32,
    width: u32,
    height: u32,
    /// Samples per pixel, 0 when not multisampled (the screen is taken to have none).
    samples: u8,
    state: FramebufferState,
    live: bool,
}

/// What a framebuffer applies when it is used: ModernGL keeps these per framebuffer.
#[derive(Clone, Copy, Debug)]
struct FramebufferState {
    viewport: Rect,
    /// The scissor rectangle, or None when the scissor test is off.
    scissor: Option<Rect>,
    /// Red, green, blue, alpha write masks of each color attachment (at most 8).
    color_masks: [[bool; 4]; 8],
    depth_mask: bool,
}

impl FramebufferState {
    /// The state of a new `width` by `height` framebuffer: its whole viewport, no scissor,
    /// every mask open.
    fn new(width: u32, height: u32) -> Self {
        FramebufferState {
            viewport: full(width, height),
            scissor: None,
            color_masks: [[true; 4]; 8],
            depth_mask: true,
        }
    }

    /// Sets the scissor and masks on GL for a framebuffer of `colors` color attachments;
    /// `scissor` is the rectangle to use (the framebuffer's own, or a clear's).
    fn apply_masks(&self, gl: &Gl, colors: usize, scissor: Option<Rect>) {
        // SAFETY: plain state; the draw-buffer indices are below 8, which GL 4.5 guarantees.
        unsafe {
            match scissor {
                Some(rect) => {
                    gl.Enable(gl::SCISSOR_TEST);
                    gl.Scissor(rect.x, rect.y, gl_side(rect.width), gl_side(rect.height));
                }
                None => gl.Disable(gl::SCISSOR_TEST),
            }
            for (index, mask) in self.color_masks.iter().take(colors).enumerate() {
                let [r, g, b, a] = mask.map(u8::from);
                gl.ColorMaski(index as GLuint, r, g, b, a);
            }
            gl.DepthMask(u8::from(self.depth_mask));
        }
    }
}

/// Framebuffers by dense [`FramebufferId`], and which one is in use.
pub(super) struct FramebufferTable {
    framebuffers: Vec<GlFramebuffer>,
    current: FramebufferId,
    /// The screen's GL name at creation (0, or a headless EGL context's offscreen
    /// framebuffer): what [`Screen::Default`](super::Screen::Default) points at.
    screen: GLuint,
    /// The screen's color buffer: GL_BACK when double-buffered, else GL_FRONT; for a
    /// framebuffer object, its color attachment 0.
    screen_buffer: GLenum,
}

fn full(width: u32, height: u32) -> Rect {
    Rect::new(0, 0, width, height)
}

/// A rectangle side as GL's `GLsizei`. Validation checked every viewport and scissor side
/// fits (`gl_int`); the clamp only guards the screen's own size, which comes from GL.
fn gl_side(side: u32) -> GLsizei {
    GLsizei::try_from(side).unwrap_or(GLsizei::MAX)
}

fn set_viewport(gl: &Gl, rect: Rect) {
    // SAFETY: plain state; GL clamps sizes to its limits.
    unsafe { gl.Viewport(rect.x, rect.y, gl_side(rect.width), gl_side(rect.height)) }
}

impl FramebufferTable {
    /// A table holding only the screen: framebuffer `screen` (0: the default framebuffer; else
    /// a framebuffer object with one color attachment) of `width` by `height` pixels.
    pub(super) fn new(gl: &Gl, screen: GLuint, width: u32, height: u32) -> Self {
        let mut double_buffered = 0u8;
        if screen == 0 {
            // SAFETY: GL_DOUBLEBUFFER is one boolean.
            unsafe { gl.GetBooleanv(gl::DOUBLEBUFFER, &mut double_buffered) };
        }
        let mut table = FramebufferTable {
            framebuffers: Vec::new(),
            current: FramebufferId::SCREEN,
            screen,
            screen_buffer: match (screen, double_buffered) {
                (0, 0) => gl::FRONT,
                (0, _) => gl::BACK,
                _ => gl::COLOR_ATTACHMENT0,
            },
        };
        table.reset_screen(screen, width, height);
        table
    }

    fn reset_screen(&mut self, name: GLuint, width: u32, height: u32) {
        self.framebuffers.clear();
        self.framebuffers.push(GlFramebuffer {
            name,
            renderbuffers: SmallVec::new(),
            color: SmallVec::from_slice(&[PixelType::F1]),
            drawing: 1,
            width,
            height,
            samples: 0,
            state: FramebufferState::new(width, height),
            live: true,
        });
        self.current = FramebufferId::SCREEN;
    }

    fn get(&self, framebuffer: FramebufferId) -> Result<&GlFramebuffer, Fault> {
        match self.framebuffers.get(framebuffer.index()) {
            Some(f) if f.live => Ok(f),
            _ => Err(Fault::Missing("framebuffer")),
        }
    }

    /// Creates the next framebuffer with renderbuffers of its own, zeroed.
    pub(super) fn create(&mut self, gl: &Gl, desc: &FramebufferDesc) -> Result<(), Fault> {
        // Validated: 1..=MAX_FRAMEBUFFER_SIDE (16384) on each side.
        let (w, h) = (gl_side(desc.width), gl_side(desc.height));
        let color: SmallVec<[PixelType; 8]> = desc.color.iter().map(|c| c.dtype()).collect();
        let mut name = 0;
        let mut renderbuffers = SmallVec::new();
        // SAFETY: out-pointers are valid for one GLuint; sizes were validated (1..=16384);
        // at most 8 color attachments (validated).
        let status = unsafe {
            gl.CreateFramebuffers(1, &mut name);
            let formats = color
                .iter()
                .map(|&dtype| gl_enum::internal_format(4, dtype));
            let depth = desc.depth.then_some(gl::DEPTH_COMPONENT24);
            for (slot, format) in formats.chain(depth).enumerate() {
                let mut renderbuffer = 0;
                gl.CreateRenderbuffers(1, &mut renderbuffer);
                gl.NamedRenderbufferStorage(renderbuffer, format, w, h);
                let attachment = match slot < color.len() {
                    true => gl::COLOR_ATTACHMENT0 + slot as GLenum,
                    false => gl::DEPTH_ATTACHMENT,
                };
                gl.NamedFramebufferRenderbuffer(name, attachment, gl::RENDERBUFFER, renderbuffer);
                renderbuffers.push(renderbuffer);
            }
            init_draw_buffers(gl, name, color.len())
        };
        let target = GlFramebuffer {
            name,
            renderbuffers,
            drawing: all_colors(color.len()),
            color,
            width: desc.width,
            height: desc.height,
            samples: 0,
            state: FramebufferState::new(desc.width, desc.height),
            live: true,
        };
        if status == gl::FRAMEBUFFER_COMPLETE {
            // New renderbuffers hold whatever memory the driver recycled: zero them so that
            // no byte a replay reads back comes from outside the trace.
            self.with_open_masks(gl, target.color.len(), || {
                // SAFETY: a complete framebuffer whose color draw buffers are its attachments.
                unsafe { clear_attachments(gl, name, &target.color, [0.0; 4], 0.0) }
            });
        }
        self.framebuffers.push(target);
        if status != gl::FRAMEBUFFER_COMPLETE {
            return Err(Fault::Incomplete { status });
        }
        Ok(())
    }

    /// Creates the next framebuffer over images of the replay: renderbuffers and levels or
    /// layers of textures (validated: live, of one size and sample count, color images as
    /// color attachments and depth as depth, layered only with layered ones of one texture
    /// kind). Its draw buffers are its color attachments in order, as ModernGL sets them; the
    /// images keep their contents.
    pub(super) fn create_from(
        &mut self,
        gl: &Gl,
        desc: &FramebufferAttachments,
        renderbuffers: &RenderbufferTable,
        textures: &TextureTable,
    ) -> Result<(), Fault> {
        let mut color = SmallVec::new();
        let mut shape = (0, 0, 0);
        let mut name = 0;
        // SAFETY: one GLuint out.
        unsafe { gl.CreateFramebuffers(1, &mut name) };
        let slots = (desc.color.iter().enumerate())
            .map(|(i, a)| (gl::COLOR_ATTACHMENT0 + i as GLenum, *a))
            .chain(desc.depth.map(|a| (gl::DEPTH_ATTACHMENT, a)));
        for (slot, attachment) in slots {
            match attach(gl, name, slot, attachment, renderbuffers, textures) {
                Ok(image) => {
                    color.extend(image.color);
                    shape = image.shape;
                }
                Err(fault) => {
                    // SAFETY: the framebuffer made above, used by nothing else.
                    unsafe { gl.DeleteFramebuffers(1, &name) };
                    return Err(fault);
                }
            }
        }
        // SAFETY: a live framebuffer with at most 8 color attachments (validated).
        let status = unsafe { init_draw_buffers(gl, name, color.len()) };
        self.framebuffers.push(GlFramebuffer {
            name,
            renderbuffers: SmallVec::new(),
            drawing: all_colors(color.len()),
            color,
            width: shape.0,
            height: shape.1,
            samples: shape.2,
            state: FramebufferState::new(shape.0, shape.1),
            live: true,
        });
        if status != gl::FRAMEBUFFER_COMPLETE {
            return Err(Fault::Incomplete { status });
        }
        Ok(())
    }

    /// Binds `framebuffer` for draws and applies its viewport, scissor and masks.
    pub(super) fn use_framebuffer(
        &mut self,
        gl: &Gl,
        framebuffer: FramebufferId,
    ) -> Result<(), Fault> {
        let target = self.get(framebuffer)?;
        // SAFETY: a live framebuffer (or the screen).
        unsafe { gl.BindFramebuffer(gl::FRAMEBUFFER, target.name) };
        target.apply_state(gl);
        self.current = framebuffer;
        Ok(())
    }

    /// Changes the state of `framebuffer` and applies it if the framebuffer is in use.
    fn set_state(
        &mut self,
        gl: &Gl,
        framebuffer: FramebufferId,
        change: impl FnOnce(&mut FramebufferState),
    ) -> Result<(), Fault> {
        self.get(framebuffer)?;
        if let Some(target) = self.framebuffers.get_mut(framebuffer.index()) {
            change(&mut target.state);
            if self.current == framebuffer {
                target.apply_state(gl);
            }
        }
        Ok(())
    }

    /// Sets the viewport of `framebuffer`.
    pub(super) fn viewport(
        &mut self,
        gl: &Gl,
        framebuffer: FramebufferId,
        rect: Rect,
    ) -> Result<(), Fault> {
        self.set_state(gl, framebuffer, |state| state.viewport = rect)
    }

    /// Sets the scissor rectangle of `framebuffer`, or turns it off.
    pub(super) fn scissor(
        &mut self,
        gl: &Gl,
        framebuffer: FramebufferId,
        rect: Option<Rect>,
    ) -> Result<(), Fault> {
        self.set_state(gl, framebuffer, |state| state.scissor = rect)
    }

    /// Sets the write mask of one color attachment of `framebuffer` (validated to exist).
    pub(super) fn color_mask(
        &mut self,
        gl: &Gl,
        framebuffer: FramebufferId,
        attachment: u8,
        mask: [bool; 4],
    ) -> Result<(), Fault> {
        self.set_state(gl, framebuffer, |state| {
            if let Some(masks) = state.color_masks.get_mut(usize::from(attachment)) {
                *masks = mask;
            }
        })
    }

    /// Sets whether draws and clears of `framebuffer` write its depth.
    pub(super) fn depth_mask(
        &mut self,
        gl: &Gl,
        framebuffer: FramebufferId,
        enabled: bool,
    ) -> Result<(), Fault> {
        self.set_state(gl, framebuffer, |state| state.depth_mask = enabled)
    }

    /// Sets the scissor and masks of the framebuffer in use again (after a clear or the
    /// zeroing of another framebuffer set that one's).
    fn apply_current_masks(&self, gl: &Gl) {
        if let Ok(current) = self.get(self.current) {
            (current.state).apply_masks(gl, current.color.len(), current.state.scissor);
        }
    }

    /// Runs `run` (which clears images of `colors` color attachments and depth) with the
    /// scissor test and rasterizer discard off and the masks of draw buffers 0 to `colors`
    /// and of depth open, then sets the state of the framebuffer in use again: zeroing new
    /// storage must reach all of it whatever the framebuffer in use lets through.
    pub(super) fn with_open_masks<T>(&self, gl: &Gl, colors: usize, run: impl FnOnce() -> T) -> T {
        let open = FramebufferState::new(0, 0);
        open.apply_masks(gl, colors, None);
        // SAFETY: plain state.
        let discard = unsafe { gl.IsEnabled(gl::RASTERIZER_DISCARD) } != 0;
        if discard {
            // SAFETY: plain state, enabled again below.
            unsafe { gl.Disable(gl::RASTERIZER_DISCARD) };
        }
        let value = run();
        if discard {
            // SAFETY: plain state, as it was.
            unsafe { gl.Enable(gl::RASTERIZER_DISCARD) };
        }
        self.apply_current_masks(gl);
        value
    }

    /// Makes the color attachments that a program's fragment shader writes with values of
    /// their kind (floats to float and normalized attachments, signed integers to signed,
    /// unsigned to unsigned) the only draw buffers of the framebuffer in use, so that a draw
    /// writes no attachment GL would leave undefined. Changes GL state only when the set
    /// differs.
    pub(super) fn draw_only(&mut self, gl: &Gl, outputs: &FragmentOutputs) -> Result<(), Fault> {
        let screen_buffer = self.screen_buffer;
        let current = self.current.index();
        match self.framebuffers.get_mut(current) {
            Some(target) if target.live => {
                let mask = (target.color.iter().enumerate())
                    .filter(|&(i, dtype)| outputs.of(dtype.scalar_kind()) & (1 << i) != 0)
                    .fold(0, |mask, (i, _)| mask | 1 << i);
                target.set_draw_buffers(gl, mask, screen_buffer);
                Ok(())
            }
            _ => Err(Fault::Missing("framebuffer")),
        }
    }

    /// Clears every color attachment and the depth attachment as ModernGL's `fbo.clear`
    /// does: inside the clear's rectangle when it has one, else inside the framebuffer's
    /// scissor, through the framebuffer's color and depth masks. The framebuffer in use
    /// keeps its own scissor and masks (ModernGL leaves the cleared one's in effect).
    /// Integer attachments are cleared as ModernGL's glClear leaves them on Mesa: each
    /// float's bits as an integer, saturated to the format.
    pub(super) fn clear(&mut self, gl: &Gl, clear: &ClearDesc) -> Result<(), Fault> {
        let screen_buffer = self.screen_buffer;
        self.get(clear.framebuffer)?;
        let Some(target) = self.framebuffers.get_mut(clear.framebuffer.index()) else {
            return Err(Fault::Missing("framebuffer"));
        };
        // Clearing a draw buffer that is NONE does nothing: enable every attachment first.
        target.set_draw_buffers(gl, u32::MAX, screen_buffer);
        let scissor = clear.viewport.or(target.state.scissor);
        target.state.apply_masks(gl, target.color.len(), scissor);
        // SAFETY: the draw buffers are the color attachments, one per entry of
        // `target.color`.
        unsafe { clear_attachments(gl, target.name, &target.color, clear.color, clear.depth) };
        self.apply_current_masks(gl);
        Ok(())
    }

    /// Reads pixels of a color attachment into a new byte vector, rows bottom to top,
    /// tightly packed.
    pub(super) fn read(&self, gl: &Gl, read: &PixelRead) -> Result<Vec<u8>, Fault> {
        let source = self.get(read.framebuffer)?;
        // Validated for recorded reads; checked here for a screenshot of the framebuffer in
        // use, which GL would refuse with an error naming nothing.
        let Some(&storage) = source.color.get(usize::from(read.attachment)) else {
            let error = ValidationError::NoSuchAttachment {
                framebuffer: read.framebuffer,
                attachment: read.attachment,
                count: source.color.len(),
            };
            return Err(Fault::Invalid(error));
        };
        if storage.is_integer() != read.dtype.is_integer() {
            let error = ValidationError::ReadDtype {
                framebuffer: read.framebuffer,
                attachment: read.attachment,
                storage: if storage.is_integer() {
                    "integer"
                } else {
                    "float"
                },
                dtype: read.dtype.name(),
            };
            return Err(Fault::Invalid(error));
        }
        let buffer = if source.name == 0 {
            // The default framebuffer (a host framebuffer as the screen has attachments).
            self.screen_buffer
        } else {
            gl::COLOR_ATTACHMENT0 + GLenum::from(read.attachment)
        };
        let format = gl_enum::pixel_format(read.components, read.dtype);
        let pixels = Pixels {
            framebuffer: read.framebuffer,
            viewport: read.viewport,
            buffer,
            format,
            components: read.components,
            dtype: read.dtype,
        };
        self.read_pixels(gl, source, &pixels)
    }

    /// Reads the depth attachment into a new byte vector, one `dtype` value per pixel, rows
    /// bottom to top, tightly packed.
    pub(super) fn read_depth(&self, gl: &Gl, read: &DepthRead) -> Result<Vec<u8>, Fault> {
        let source = self.get(read.framebuffer)?;
        // Offscreen framebuffers were validated to have one; the screen is asked here.
        let attachment = if source.name == 0 {
            gl::DEPTH
        } else {
            gl::DEPTH_ATTACHMENT
        };
        let mut kind = 0;
        // SAFETY: one GLint out; the name is live (or the default framebuffer, whose
        // attachments are named GL_DEPTH).
        unsafe {
            gl.GetNamedFramebufferAttachmentParameteriv(
                source.name,
                attachment,
                gl::FRAMEBUFFER_ATTACHMENT_OBJECT_TYPE,
                &mut kind,
            );
        }
        if kind == gl::NONE as GLint {
            let error = ValidationError::NoDepthAttachment {
                framebuffer: read.framebuffer,
            };
            return Err(Fault::Invalid(error));
        }
        let pixels = Pixels {
            framebuffer: read.framebuffer,
            viewport: read.viewport,
            buffer: gl::NONE,
            format: gl::DEPTH_COMPONENT,
            components: 1,
            dtype: read.dtype,
        };
        self.read_pixels(gl, source, &pixels)
    }

    /// Reads `pixels` of `source` into a new byte vector.
    fn read_pixels(
        &self,
        gl: &Gl,
        source: &GlFramebuffer,
        pixels: &Pixels,
    ) -> Result<Vec<u8>, Fault> {
        if source.samples > 0 {
            let error = ValidationError::MultisampleRead {
                framebuffer: pixels.framebuffer,
            };
            return Err(Fault::Invalid(error));
        }
        let rect = pixels.viewport.unwrap_or(full(source.width, source.height));
        // Offscreen rectangles were validated; the screen's size is only known here.
        check_rect(pixels.framebuffer, rect, source.width, source.height)
            .map_err(Fault::Invalid)?;
        // Offscreen reads were checked to fit GLsizei; the screen's only can be here.
        let len = pixel_read_bytes(rect.width, rect.height, pixels.components, pixels.dtype)
            .map_err(Fault::Invalid)?;
        let mut bytes = readback_vec(len)?;
        let gl_len = GLsizei::try_from(len).map_err(|_| Fault::Corrupt("pixel read size"))?;
        let ty = gl_enum::pixel_type(pixels.dtype);
        let current = self.get(self.current)?.name;
        // SAFETY: the rectangle lies inside the framebuffer and the read buffer exists
        // (validated, or NONE for depth); its sides and byte count fit GLsizei (checked
        // above, so the casts are exact); pack alignment is 1, so GL writes exactly `len`
        // bytes, which is also passed as the limit (glReadnPixels); the read binding is
        // restored afterwards.
        unsafe {
            gl.NamedFramebufferReadBuffer(source.name, pixels.buffer);
            gl.BindFramebuffer(gl::READ_FRAMEBUFFER, source.name);
            gl.PixelStorei(gl::PACK_ALIGNMENT, 1);
            gl.ReadnPixels(
                rect.x,
                rect.y,
                gl_side(rect.width),
                gl_side(rect.height),
                pixels.format,
                ty,
                gl_len,
                bytes.as_mut_ptr().cast(),
            );
            gl.BindFramebuffer(gl::READ_FRAMEBUFFER, current);
        }
        Ok(bytes)
    }

    /// Copies `src` into `dst` as ModernGL's `ctx.copy_framebuffer` does: into a framebuffer
    /// or into a texture (`textures` holds it).
    pub(super) fn copy(
        &mut self,
        gl: &Gl,
        dst: CopyTarget,
        src: FramebufferId,
        textures: &TextureTable,
    ) -> Result<(), Fault> {
        match dst {
            CopyTarget::Framebuffer(dst) => self.copy_between(gl, dst, src),
            CopyTarget::Texture(texture) => {
                let (name, desc) = textures.image(texture)?;
                let size = (desc.size[0], desc.size[1]);
                self.copy_into_texture(gl, texture, name, size, src)
            }
        }
    }

    /// Copies framebuffer `src` into framebuffer `dst`: color attachment `i` into color
    /// attachment `i` and depth into depth (none at all when they have no color attachment,
    /// as in ModernGL), nearest, resolving samples, over the size both have (validated:
    /// equal attachment counts of matching kinds, sample counts GL copies between, no image
    /// on both sides).
    fn copy_between(
        &mut self,
        gl: &Gl,
        dst: FramebufferId,
        src: FramebufferId,
    ) -> Result<(), Fault> {
        let screen_buffer = self.screen_buffer;
        let source = self.get(src)?;
        let (src_name, src_width, src_height) = (source.name, source.width, source.height);
        let src_buffers: SmallVec<[GLenum; 8]> = (0..source.color.len())
            .map(|i| source.color_buffer(i, screen_buffer))
            .collect();
        self.get(dst)?;
        let Some(target) = self.framebuffers.get_mut(dst.index()) else {
            return Err(Fault::Missing("framebuffer"));
        };
        let width = gl_side(src_width.min(target.width));
        let height = gl_side(src_height.min(target.height));
        for (i, &read_buffer) in src_buffers.iter().enumerate() {
            let mask = match i {
                0 => gl::COLOR_BUFFER_BIT | gl::DEPTH_BUFFER_BIT,
                _ => gl::COLOR_BUFFER_BIT,
            };
            // SAFETY: both framebuffers are live; the read and draw buffers are color
            // attachment `i` of each (both have as many, validated); the rectangle lies
            // inside both; the depth bit is ignored by GL where either lacks depth.
            unsafe {
                gl.NamedFramebufferReadBuffer(src_name, read_buffer);
                gl.NamedFramebufferDrawBuffer(target.name, target.color_buffer(i, screen_buffer));
                gl.BlitNamedFramebuffer(
                    src_name,
                    target.name,
                    0,
                    0,
                    width,
                    height,
                    0,
                    0,
                    width,
                    height,
                    mask,
                    gl::NEAREST,
                );
            }
        }
        // The destination's draw buffers as they were.
        let drawing = target.drawing;
        target.drawing = u32::MAX;
        target.set_draw_buffers(gl, drawing, screen_buffer);
        Ok(())
    }

    /// Copies color attachment 0 of `src` into level 0 of texture `texture` (GL name
    /// `name`, `size` pixels), from the lower-left corner: ModernGL's glCopyTexImage2D over
    /// the texture's size, as glCopyTextureSubImage2D, which keeps the texture's storage
    /// (validated: the same format; the source not multisampled, holding no integers, at
    /// least as large, not the image written). The screen's size is checked here.
    fn copy_into_texture(
        &self,
        gl: &Gl,
        texture: TextureId,
        name: GLuint,
        size: (u32, u32),
        src: FramebufferId,
    ) -> Result<(), Fault> {
        let source = self.get(src)?;
        if source.width < size.0 || source.height < size.1 {
            return Err(Fault::Invalid(ValidationError::CopySize {
                texture,
                size,
                src,
                src_size: (source.width, source.height),
            }));
        }
        let read_buffer = source.color_buffer(0, self.screen_buffer);
        let current = self.get(self.current)?.name;
        // SAFETY: live objects; the read buffer is the source's color attachment 0 (or the
        // screen's color buffer); the rectangle lies inside the source and the texture's
        // level 0 (checked above); the read binding is restored afterwards.
        unsafe {
            gl.NamedFramebufferReadBuffer(source.name, read_buffer);
            gl.BindFramebuffer(gl::READ_FRAMEBUFFER, source.name);
            gl.CopyTextureSubImage2D(name, 0, 0, 0, 0, 0, gl_side(size.0), gl_side(size.1));
            gl.BindFramebuffer(gl::READ_FRAMEBUFFER, current);
        }
        Ok(())
    }

    /// Runs `run` (which deletes renderbuffers or textures) with no framebuffer bound, so
    /// that GL detaches them from none: framebuffers keep their attachments, the framebuffer
    /// in use included. Binds the framebuffer in use again afterwards.
    pub(super) fn unbound<T>(&self, gl: &Gl, run: impl FnOnce() -> T) -> T {
        // SAFETY: binding 0 is always valid; the framebuffer in use is live (or the screen).
        unsafe { gl.BindFramebuffer(gl::FRAMEBUFFER, 0) };
        let value = run();
        let current = self.get(self.current).map_or(0, |f| f.name);
        // SAFETY: as above.
        unsafe { gl.BindFramebuffer(gl::FRAMEBUFFER, current) };
        value
    }

    /// Deletes a framebuffer and its renderbuffers; if it was in use, the screen is.
    pub(super) fn release(&mut self, gl: &Gl, framebuffer: FramebufferId) -> Result<(), Fault> {
        self.get(framebuffer)?;
        if let Some(target) = self.framebuffers.get_mut(framebuffer.index()) {
            delete(gl, target);
        }
        if self.current == framebuffer {
            self.use_framebuffer(gl, FramebufferId::SCREEN)?;
        }
        Ok(())
    }

    /// Deletes every offscreen framebuffer and makes the screen (of its current size) the
    /// one in use.
    pub(super) fn delete_all(&mut self, gl: &Gl) {
        for target in self.framebuffers.iter_mut().skip(1) {
            delete(gl, target);
        }
        let (name, width, height) = (self.framebuffers.first()).map_or((0, 0, 0), |screen| {
            (screen.name, screen.width, screen.height)
        });
        self.reset_screen(name, width, height);
    }

    /// Binds the screen, applies its full viewport and zeroes its color, depth and stencil
    /// (the state a replay starts from: nothing an earlier replay drew can be read back or
    /// tested against).
    pub(super) fn bind_screen(&mut self, gl: &Gl) {
        let _ = self.use_framebuffer(gl, FramebufferId::SCREEN);
        let screen_buffer = self.screen_buffer;
        if let Some(screen) = self.framebuffers.first_mut() {
            // An earlier replay may have left the screen's draw buffer at NONE.
            screen.drawing = 0;
            screen.set_draw_buffers(gl, u32::MAX, screen_buffer);
        }
        let name = self.screen_name();
        let zero = 0;
        // SAFETY: the screen has one color draw buffer, a depth and a stencil buffer (or
        // none, which GL ignores); at this point of a reset no scissor test is enabled and
        // every mask is open (the state of a new ModernGL context).
        unsafe {
            clear_attachments(gl, name, &[PixelType::F1], [0.0; 4], 0.0);
            gl.ClearNamedFramebufferiv(name, gl::STENCIL, 0, &zero);
        }
    }

    /// Binds the framebuffer in use again with its state (the host may have bound another or
    /// changed it), and forgets the screen's draw buffer, which the host may have changed.
    pub(super) fn resume(&mut self, gl: &Gl) {
        if let Some(screen) = self.framebuffers.first_mut() {
            screen.drawing = u32::MAX;
        }
        let _ = self.use_framebuffer(gl, self.current);
    }

    /// Points the screen at GL framebuffer `name` (None: the context's own screen) of
    /// `width` x `height` pixels, with its full viewport; binds it if the screen is in use.
    pub(super) fn set_screen(&mut self, gl: &Gl, name: Option<GLuint>, width: u32, height: u32) {
        let name = name.unwrap_or(self.screen);
        if let Some(screen) = self.framebuffers.first_mut() {
            screen.name = name;
            screen.width = width;
            screen.height = height;
            screen.state.viewport = full(width, height);
            screen.drawing = u32::MAX;
        }
        if self.current == FramebufferId::SCREEN {
            let _ = self.use_framebuffer(gl, FramebufferId::SCREEN);
        }
    }

    /// The GL name of the screen: 0, or the host framebuffer it was pointed at.
    pub(super) fn screen_name(&self) -> GLuint {
        self.framebuffers.first().map_or(0, |screen| screen.name)
    }

    /// The screen's size.
    pub(super) fn screen_size(&self) -> (u32, u32) {
        self.framebuffers
            .first()
            .map_or((0, 0), |screen| (screen.width, screen.height))
    }

    /// The framebuffer in use and its size.
    pub(super) fn current(&self) -> (FramebufferId, u32, u32) {
        let size = self
            .framebuffers
            .get(self.current.index())
            .map_or((0, 0), |f| (f.width, f.height));
        (self.current, size.0, size.1)
    }

    /// Live GL framebuffers plus renderbuffers (the screen not counted).
    pub(super) fn live(&self) -> usize {
        self.framebuffers
            .iter()
            .skip(1)
            .filter(|f| f.live)
            .map(|f| 1 + f.renderbuffers.len())
            .sum()
    }
}

/// What [`FramebufferTable::read_pixels`] reads.
struct Pixels {
    /// The framebuffer, for messages.
    framebuffer: FramebufferId,
    viewport: Option<Rect>,
    /// The read buffer (NONE for depth).
    buffer: GLenum,
    /// The pixel format (GL_DEPTH_COMPONENT for depth).
    format: GLenum,
    components: u8,
    dtype: PixelType,
}

/// An image attached to a framebuffer, as the framebuffer keeps it.
struct Attached {
    /// What it stores, or None for depth.
    color: Option<PixelType>,
    /// Width, height and samples per pixel.
    shape: (u32, u32, u8),
}

/// Attaches `attachment` (a live renderbuffer, or a texture's level and layer that exist:
/// validated) to framebuffer `name` at `slot`.
fn attach(
    gl: &Gl,
    name: GLuint,
    slot: GLenum,
    attachment: Attachment,
    renderbuffers: &RenderbufferTable,
    textures: &TextureTable,
) -> Result<Attached, Fault> {
    match attachment {
        Attachment::Renderbuffer(renderbuffer) => {
            let image = renderbuffers.get(renderbuffer)?;
            // SAFETY: a live framebuffer and renderbuffer; `slot` is a color attachment
            // below 8 or the depth attachment.
            unsafe { gl.NamedFramebufferRenderbuffer(name, slot, gl::RENDERBUFFER, image.name) };
            Ok(Attached {
                color: image.color,
                shape: (image.width, image.height, image.samples),
            })
        }
        Attachment::Texture {
            texture,
            level,
            layer,
        } => {
            let (texture, desc) = textures.image(texture)?;
            let gl_level = GLint::try_from(level).map_err(|_| Fault::Corrupt("level"))?;
            // SAFETY: a live framebuffer and texture; the level holds an image and the
            // layer exists (validated, so both fit GLint).
            unsafe {
                match layer {
                    None => gl.NamedFramebufferTexture(name, slot, texture, gl_level),
                    Some(layer) => {
                        let layer = GLint::try_from(layer).map_err(|_| Fault::Corrupt("layer"))?;
                        gl.NamedFramebufferTextureLayer(name, slot, texture, gl_level, layer);
                    }
                }
            }
            let [width, height, _] = desc.level_size(level);
            Ok(Attached {
                color: (!desc.depth).then_some(desc.dtype),
                shape: (width, height, desc.samples),
            })
        }
    }
}

/// Sets the draw buffers of a new framebuffer `name` with `colors` color attachments: all of
/// them, or NONE (and no read buffer) when it has none. Returns its completeness.
///
/// # Safety
/// A context must be current, `name` a live framebuffer object and `colors` at most 8.
unsafe fn init_draw_buffers(gl: &Gl, name: GLuint, colors: usize) -> GLenum {
    let buffers: SmallVec<[GLenum; 8]> = (0..colors)
        .map(|i| gl::COLOR_ATTACHMENT0 + i as GLenum)
        .collect();
    if buffers.is_empty() {
        gl.NamedFramebufferDrawBuffer(name, gl::NONE);
        gl.NamedFramebufferReadBuffer(name, gl::NONE);
    } else {
        gl.NamedFramebufferDrawBuffers(name, buffers.len() as GLsizei, buffers.as_ptr());
    }
    gl.CheckNamedFramebufferStatus(name, gl::FRAMEBUFFER)
}

/// The mask of `colors` color attachments.
fn all_colors(colors: usize) -> u32 {
    u32::MAX
        .checked_shr(32 - colors.min(32) as u32)
        .unwrap_or(0)
}

impl GlFramebuffer {
    /// Sets its viewport, scissor and masks on GL (it is the framebuffer in use).
    fn apply_state(&self, gl: &Gl) {
        set_viewport(gl, self.state.viewport);
        self.state
            .apply_masks(gl, self.color.len(), self.state.scissor);
    }

    /// Makes the color attachments in `mask` the draw buffers, the others NONE.
    /// `screen_buffer` is the screen's color buffer (GL_BACK or GL_FRONT).
    fn set_draw_buffers(&mut self, gl: &Gl, mask: u32, screen_buffer: GLenum) {
        let mask = mask & all_colors(self.color.len());
        if mask == self.drawing {
            return;
        }
        let enabled = |i: usize| mask & (1 << i) != 0;
        // SAFETY: a live framebuffer (or the screen); the list has one entry per color
        // attachment, each that attachment or NONE, and its length is passed with it.
        unsafe {
            if self.name == 0 {
                let buffer = if enabled(0) { screen_buffer } else { gl::NONE };
                gl.NamedFramebufferDrawBuffer(0, buffer);
            } else {
                let buffers: SmallVec<[GLenum; 8]> = (0..self.color.len())
                    .map(|i| match enabled(i) {
                        true => gl::COLOR_ATTACHMENT0 + i as GLenum,
                        false => gl::NONE,
                    })
                    .collect();
                gl.NamedFramebufferDrawBuffers(
                    self.name,
                    buffers.len() as GLsizei,
                    buffers.as_ptr(),
                );
            }
        }
        self.drawing = mask;
    }
}

impl GlFramebuffer {
    /// The GL buffer of color attachment `i`: the screen's color buffer for the default
    /// framebuffer (GL_BACK or GL_FRONT), else GL_COLOR_ATTACHMENT0 + `i`.
    fn color_buffer(&self, i: usize, screen_buffer: GLenum) -> GLenum {
        match self.name {
            0 => screen_buffer,
            _ => gl::COLOR_ATTACHMENT0 + i as GLenum,
        }
    }
}

/// Clears the color draw buffers of framebuffer `name`, one per entry of `color` (what its
/// attachment stores), to `rgba`, and its depth buffer to `depth`.
///
/// # Safety
/// A context must be current and `name` a live framebuffer (or the screen) whose draw
/// buffer `i` is an attachment storing `color[i]`, or NONE.
unsafe fn clear_attachments(
    gl: &Gl,
    name: GLuint,
    color: &[PixelType],
    rgba: [f32; 4],
    depth: f32,
) {
    for (draw_buffer, &dtype) in color.iter().enumerate() {
        clear_color(gl, name, draw_buffer as GLint, dtype, rgba);
    }
    gl.ClearNamedFramebufferfv(name, gl::DEPTH, 0, &depth);
}

/// Clears color draw buffer `draw_buffer` of framebuffer `name`, storing `dtype`, to `rgba`:
/// floats as they are; for integer storage each float's bits as an `i32` or `u32` saturated
/// to the dtype's range, which is what ModernGL's glClear with glClearColor leaves in
/// integer attachments on Mesa (GL itself leaves that undefined).
///
/// # Safety
/// A context must be current and `name` a live framebuffer (or the screen) whose draw
/// buffer `draw_buffer` is an attachment storing `dtype`, or NONE.
pub(super) unsafe fn clear_color(
    gl: &Gl,
    name: GLuint,
    draw_buffer: GLint,
    dtype: PixelType,
    rgba: [f32; 4],
) {
    let bits = rgba.map(f32::to_bits);
    match dtype.scalar_kind() {
        ScalarKind::Float => {
            gl.ClearNamedFramebufferfv(name, gl::COLOR, draw_buffer, rgba.as_ptr())
        }
        ScalarKind::Int => {
            let max = match dtype.size() {
                1 => i32::from(i8::MAX),
                2 => i32::from(i16::MAX),
                _ => i32::MAX,
            };
            let values = bits.map(|b| (b as i32).clamp(-max - 1, max));
            gl.ClearNamedFramebufferiv(name, gl::COLOR, draw_buffer, values.as_ptr());
        }
        ScalarKind::Uint => {
            let max = match dtype.size() {
                1 => u32::from(u8::MAX),
                2 => u32::from(u16::MAX),
                _ => u32::MAX,
            };
            let values = bits.map(|b| b.min(max));
            gl.ClearNamedFramebufferuiv(name, gl::COLOR, draw_buffer, values.as_ptr());
        }
    }
}

/// Deletes an offscreen framebuffer (never called on the screen, which validation keeps from
/// being released).
fn delete(gl: &Gl, target: &mut GlFramebuffer) {
    if !target.live || target.name == 0 {
        return;
    }
    // SAFETY: live objects of this context; the counts match the slices.
    unsafe {
        gl.DeleteFramebuffers(1, &target.name);
        gl.DeleteRenderbuffers(
            target.renderbuffers.len() as GLsizei, // at most 9
            target.renderbuffers.as_ptr(),
        );
    }
    target.live = false;
    target.renderbuffers.clear();
}
