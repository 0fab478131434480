//! GL framebuffers of one replay: the screen (index 0) and offscreen ones over renderbuffers;
//! use, clear and pixel reads, and the state each framebuffer keeps and applies when it is
//! used, as ModernGL's do: viewport, scissor, color masks and depth mask.

use super::{gl_enum, readback_vec, Fault};
use crate::command::{check_rect, pixel_read_bytes, ClearDesc, FramebufferDesc, PixelRead, Rect};
use crate::gl::{self, types::*, Gl};
use crate::ids::FramebufferId;
use smallvec::SmallVec;

/// A framebuffer, its renderbuffers, size and state. Index 0 is the screen: GL's default
/// framebuffer (name 0) or one its context owns (EGL's offscreen screen).
struct GlFramebuffer {
    name: GLuint,
    renderbuffers: SmallVec<[GLuint; 2]>,
    /// Color attachments (the screen has one).
    colors: usize,
    /// Bit `i` set while color attachment `i` is a draw buffer.
    drawing: u32,
    width: u32,
    height: u32,
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
            colors: 1,
            drawing: 1,
            width,
            height,
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

    /// Creates the next framebuffer from renderbuffers.
    pub(super) fn create(&mut self, gl: &Gl, desc: &FramebufferDesc) -> Result<(), Fault> {
        // Validated: 1..=MAX_FRAMEBUFFER_SIDE (16384) on each side.
        let (w, h) = (gl_side(desc.width), gl_side(desc.height));
        let mut name = 0;
        let mut renderbuffers = SmallVec::new();
        let mut draw_buffers: SmallVec<[GLenum; 8]> = SmallVec::new();
        // SAFETY: out-pointers are valid for one GLuint; sizes were validated (1..=16384);
        // the draw-buffer list has exactly `draw_buffers.len()` entries.
        let status = unsafe {
            gl.CreateFramebuffers(1, &mut name);
            let formats = desc.color.iter().map(|&c| gl_enum::color_format(c));
            let depth = desc.depth.then_some(gl::DEPTH_COMPONENT24);
            for (slot, format) in formats.chain(depth).enumerate() {
                let mut renderbuffer = 0;
                gl.CreateRenderbuffers(1, &mut renderbuffer);
                gl.NamedRenderbufferStorage(renderbuffer, format, w, h);
                let attachment = if format == gl::DEPTH_COMPONENT24 {
                    gl::DEPTH_ATTACHMENT
                } else {
                    // At most 8 color attachments (validated).
                    draw_buffers.push(gl::COLOR_ATTACHMENT0 + slot as GLenum);
                    gl::COLOR_ATTACHMENT0 + slot as GLenum
                };
                gl.NamedFramebufferRenderbuffer(name, attachment, gl::RENDERBUFFER, renderbuffer);
                renderbuffers.push(renderbuffer);
            }
            if draw_buffers.is_empty() {
                gl.NamedFramebufferDrawBuffer(name, gl::NONE);
                gl.NamedFramebufferReadBuffer(name, gl::NONE);
            } else {
                gl.NamedFramebufferDrawBuffers(
                    name,
                    draw_buffers.len() as GLsizei, // at most 8
                    draw_buffers.as_ptr(),
                );
            }
            gl.CheckNamedFramebufferStatus(name, gl::FRAMEBUFFER)
        };
        let target = GlFramebuffer {
            name,
            renderbuffers,
            colors: draw_buffers.len(),
            drawing: all_colors(draw_buffers.len()),
            width: desc.width,
            height: desc.height,
            state: FramebufferState::new(desc.width, desc.height),
            live: true,
        };
        if status == gl::FRAMEBUFFER_COMPLETE {
            // New renderbuffers hold whatever memory the driver recycled: zero them so that
            // no byte a replay reads back comes from outside the trace. The framebuffer in
            // use may have a scissor or closed masks: the new one's open state clears it all.
            target.state.apply_masks(gl, target.colors, None);
            // SAFETY: a complete framebuffer with this many color draw buffers.
            unsafe { clear_attachments(gl, name, draw_buffers.len(), &[0.0; 4], 0.0) };
            self.apply_current_masks(gl);
        }
        self.framebuffers.push(target);
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
            (current.state).apply_masks(gl, current.colors, current.state.scissor);
        }
    }

    /// Makes the color attachments in `outputs` (a program's fragment output mask) the only
    /// draw buffers of the framebuffer in use, so that a draw writes no attachment its
    /// fragment shader leaves undefined. Changes GL state only when the set differs.
    pub(super) fn draw_only(&mut self, gl: &Gl, outputs: u32) -> Result<(), Fault> {
        let screen_buffer = self.screen_buffer;
        let current = self.current.index();
        match self.framebuffers.get_mut(current) {
            Some(target) if target.live => {
                target.set_draw_buffers(gl, outputs, screen_buffer);
                Ok(())
            }
            _ => Err(Fault::Missing("framebuffer")),
        }
    }

    /// Clears every color attachment and the depth attachment as ModernGL's `fbo.clear`
    /// does: inside the clear's rectangle when it has one, else inside the framebuffer's
    /// scissor, through the framebuffer's color and depth masks. The framebuffer in use
    /// keeps its own scissor and masks (ModernGL leaves the cleared one's in effect).
    pub(super) fn clear(&mut self, gl: &Gl, clear: &ClearDesc) -> Result<(), Fault> {
        let screen_buffer = self.screen_buffer;
        self.get(clear.framebuffer)?;
        let Some(target) = self.framebuffers.get_mut(clear.framebuffer.index()) else {
            return Err(Fault::Missing("framebuffer"));
        };
        // Clearing a draw buffer that is NONE does nothing: enable every attachment first.
        target.set_draw_buffers(gl, u32::MAX, screen_buffer);
        let colors = target.colors;
        let scissor = clear.viewport.or(target.state.scissor);
        target.state.apply_masks(gl, colors, scissor);
        // SAFETY: `color` holds 4 floats and `depth` one; the draw-buffer indices exist (the
        // depth renderbuffer, if any, is not a draw buffer, and clearing a NONE draw buffer
        // is a no-op).
        unsafe { clear_attachments(gl, target.name, colors, &clear.color, clear.depth) };
        self.apply_current_masks(gl);
        Ok(())
    }

    /// Reads pixels into a new byte vector, rows bottom to top, tightly packed.
    pub(super) fn read(&self, gl: &Gl, read: &PixelRead) -> Result<Vec<u8>, Fault> {
        let source = self.get(read.framebuffer)?;
        let rect = read.viewport.unwrap_or(full(source.width, source.height));
        // Offscreen rectangles were validated; the screen's size is only known here.
        check_rect(read.framebuffer, rect, source.width, source.height).map_err(Fault::Invalid)?;
        // Offscreen reads were checked to fit GLsizei; the screen's only can be here.
        let len = pixel_read_bytes(rect.width, rect.height, read.components, read.dtype)
            .map_err(Fault::Invalid)?;
        let mut pixels = readback_vec(len)?;
        let gl_len = GLsizei::try_from(len).map_err(|_| Fault::Corrupt("pixel read size"))?;
        let (format, ty) = (
            gl_enum::pixel_format(read.components, read.dtype),
            gl_enum::pixel_type(read.dtype),
        );
        let buffer = if source.name == 0 {
            // The default framebuffer (a host framebuffer as the screen has attachments).
            self.screen_buffer
        } else {
            gl::COLOR_ATTACHMENT0 + GLenum::from(read.attachment)
        };
        let current = self.get(self.current)?.name;
        // SAFETY: the rectangle lies inside the framebuffer and the attachment exists
        // (validated); its sides and byte count fit GLsizei (checked above, so the casts are
        // exact); pack alignment is 1, so GL writes exactly `len` bytes, which is also passed
        // as the limit (glReadnPixels); the read binding is restored afterwards.
        unsafe {
            gl.NamedFramebufferReadBuffer(source.name, buffer);
            gl.BindFramebuffer(gl::READ_FRAMEBUFFER, source.name);
            gl.PixelStorei(gl::PACK_ALIGNMENT, 1);
            gl.ReadnPixels(
                rect.x,
                rect.y,
                gl_side(rect.width),
                gl_side(rect.height),
                format,
                ty,
                gl_len,
                pixels.as_mut_ptr().cast(),
            );
            gl.BindFramebuffer(gl::READ_FRAMEBUFFER, current);
        }
        Ok(pixels)
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
            clear_attachments(gl, name, 1, &[0.0; 4], 0.0);
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
        self.state.apply_masks(gl, self.colors, self.state.scissor);
    }

    /// Makes the color attachments in `mask` the draw buffers, the others NONE.
    /// `screen_buffer` is the screen's color buffer (GL_BACK or GL_FRONT).
    fn set_draw_buffers(&mut self, gl: &Gl, mask: u32, screen_buffer: GLenum) {
        let mask = mask & all_colors(self.colors);
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
                let buffers: SmallVec<[GLenum; 8]> = (0..self.colors)
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

/// Clears the first `colors` color draw buffers of framebuffer `name` to `color` and its depth
/// buffer to `depth`.
///
/// # Safety
/// A context must be current and `name` a live framebuffer (or the screen).
unsafe fn clear_attachments(gl: &Gl, name: GLuint, colors: usize, color: &[f32; 4], depth: f32) {
    for draw_buffer in 0..colors {
        gl.ClearNamedFramebufferfv(name, gl::COLOR, draw_buffer as GLint, color.as_ptr());
    }
    gl.ClearNamedFramebufferfv(name, gl::DEPTH, 0, &depth);
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
