//! Framebuffer checks: sizes, attachments, pixel rectangles, copies.

use super::attachment::{overlap, Image};
use super::error::{MAX_COLOR_ATTACHMENTS, MAX_FRAMEBUFFER_SIDE};
use super::limits::DEPTH_BYTES_PER_PIXEL;
use super::{gl_int, FramebufferState, ValidationError, Validator};
use crate::command::{
    Attachment, CopyTarget, FramebufferAttachments, FramebufferDesc, PixelType, Rect,
};
use crate::ids::{FramebufferId, ReadbackId, TextureId};
use smallvec::SmallVec;

/// Bytes of a `width` by `height` pixel read of `components` components of `dtype`, checked
/// to fit GL's `GLsizei` (glReadnPixels takes the buffer size as one).
pub(crate) fn pixel_read_bytes(
    width: u32,
    height: u32,
    components: u8,
    dtype: PixelType,
) -> Result<u64, ValidationError> {
    gl_int("pixel read width", "GLsizei", u64::from(width))?;
    gl_int("pixel read height", "GLsizei", u64::from(height))?;
    // At most (2^31)^2 * 4 * 4 = 2^66: computed in u128, no overflow.
    let bytes =
        u128::from(width) * u128::from(height) * u128::from(components) * u128::from(dtype.size());
    let bytes = u64::try_from(bytes).unwrap_or(u64::MAX);
    gl_int("pixel read bytes", "GLsizei", bytes)?;
    Ok(bytes)
}

/// Checks that a viewport or scissor rectangle's sides fit GL's `GLsizei`.
pub(super) fn check_rect_sides(what: &'static str, rect: Rect) -> Result<(), ValidationError> {
    gl_int(what, "GLsizei", u64::from(rect.width))?;
    gl_int(what, "GLsizei", u64::from(rect.height))
}

impl Validator {
    /// The tracked state of a live framebuffer.
    pub(super) fn framebuffer(
        &self,
        framebuffer: FramebufferId,
    ) -> Result<&FramebufferState, ValidationError> {
        self.framebuffers.get(framebuffer.0)
    }

    /// Checks that `framebuffer` is live (the screen always is).
    pub(super) fn check_framebuffer(
        &self,
        framebuffer: FramebufferId,
    ) -> Result<(), ValidationError> {
        self.framebuffer(framebuffer).map(drop)
    }

    /// Checks a framebuffer layout and defines the next framebuffer.
    pub(super) fn create_framebuffer(
        &mut self,
        desc: &FramebufferDesc,
    ) -> Result<FramebufferId, ValidationError> {
        let side = 1..=MAX_FRAMEBUFFER_SIDE;
        if !side.contains(&desc.width) || !side.contains(&desc.height) {
            return Err(ValidationError::FramebufferSize {
                width: desc.width,
                height: desc.height,
            });
        }
        if desc.color.len() > MAX_COLOR_ATTACHMENTS || (desc.color.is_empty() && !desc.depth) {
            return Err(ValidationError::Attachments {
                color: desc.color.len(),
                depth: desc.depth,
            });
        }
        let id = self.framebuffers.next_id()?;
        let color: SmallVec<[PixelType; 4]> = desc.color.iter().map(|c| c.dtype()).collect();
        let per_pixel: u64 = color.iter().map(|dtype| 4 * dtype.size()).sum::<u64>()
            + if desc.depth { DEPTH_BYTES_PER_PIXEL } else { 0 };
        // Sides of at most 2^14 and at most 8 * 16 + 4 bytes a pixel: no overflow.
        let bytes = u64::from(desc.width) * u64::from(desc.height) * per_pixel;
        self.framebuffers.push(FramebufferState {
            size: Some((desc.width, desc.height)),
            color,
            depth: desc.depth,
            samples: 0,
            images: SmallVec::new(),
            bytes,
        });
        self.counters.live_bytes = self.counters.live_bytes.saturating_add(bytes);
        Ok(FramebufferId(id))
    }

    /// Checks a framebuffer over existing images, as ModernGL's `ctx.framebuffer` does (up to
    /// 8 color attachments, color images as color and depth as depth, one size and sample
    /// count) and as GL completes it (layered attachments only with layered ones of one
    /// texture kind), and defines the next framebuffer.
    pub(super) fn create_framebuffer_from(
        &mut self,
        desc: &FramebufferAttachments,
    ) -> Result<FramebufferId, ValidationError> {
        let (colors, depth) = (desc.color.len(), desc.depth.is_some());
        if colors > MAX_COLOR_ATTACHMENTS || (colors == 0 && !depth) {
            return Err(ValidationError::Attachments {
                color: colors,
                depth,
            });
        }
        let slots = (desc.color.iter().enumerate())
            .map(|(i, &attachment)| (attachment, u8::try_from(i).ok()))
            .chain(desc.depth.map(|attachment| (attachment, None)));
        let mut first: Option<(Attachment, Image)> = None;
        let mut color = SmallVec::new();
        let mut images: SmallVec<[Attachment; 4]> = SmallVec::new();
        for (attachment, slot) in slots {
            let image = self.image(attachment)?;
            if image.color.is_none() != slot.is_none() {
                return Err(ValidationError::AttachmentKind {
                    attachment,
                    depth: image.color.is_none(),
                    color_attachment: slot,
                });
            }
            match first {
                None => first = Some((attachment, image)),
                Some((_, first)) if first.shape != image.shape => {
                    return Err(ValidationError::AttachmentMismatch {
                        attachment,
                        found: image.shape,
                        first: first.shape,
                    })
                }
                Some((first, first_image)) if first_image.layered != image.layered => {
                    return Err(ValidationError::AttachmentLayered { attachment, first })
                }
                Some(_) => {}
            }
            color.extend(image.color);
            images.push(attachment);
        }
        let id = self.framebuffers.next_id()?;
        let (width, height, samples) = first.map(|(_, image)| image.shape).unwrap_or_default();
        self.attach(&images);
        self.framebuffers.push(FramebufferState {
            size: Some((width, height)),
            color,
            depth,
            samples,
            images,
            bytes: 0,
        });
        Ok(FramebufferId(id))
    }

    /// Checks a viewport: a live framebuffer, sides that fit GL's `GLsizei`.
    pub(super) fn viewport(
        &self,
        framebuffer: FramebufferId,
        rect: Rect,
    ) -> Result<(), ValidationError> {
        self.framebuffer(framebuffer)?;
        check_rect_sides("viewport side", rect)
    }

    /// Checks a clear: a live framebuffer, a scissor rectangle whose sides fit `GLsizei`.
    pub(super) fn clear_framebuffer(
        &self,
        framebuffer: FramebufferId,
        viewport: Option<Rect>,
    ) -> Result<(), ValidationError> {
        self.framebuffer(framebuffer)?;
        viewport.map_or(Ok(()), |rect| {
            check_rect_sides("clear rectangle side", rect)
        })
    }

    /// Checks a pixel read of a color attachment and hands out the next readback id. A
    /// dtype reads integer attachments if and only if it is an integer one (`u*`, `i*`).
    pub(super) fn read_pixels(
        &mut self,
        framebuffer: FramebufferId,
        viewport: Option<Rect>,
        components: u8,
        dtype: PixelType,
        attachment: u8,
    ) -> Result<ReadbackId, ValidationError> {
        let state = self.readable(framebuffer)?;
        if !(1..=4).contains(&components) {
            return Err(ValidationError::Components { components });
        }
        let Some(&storage) = state.color.get(usize::from(attachment)) else {
            return Err(ValidationError::NoSuchAttachment {
                framebuffer,
                attachment,
                count: state.color.len(),
            });
        };
        if dtype.is_integer() != storage.is_integer() {
            return Err(ValidationError::ReadDtype {
                framebuffer,
                attachment,
                storage: if storage.is_integer() {
                    "integer"
                } else {
                    "float"
                },
                dtype: dtype.name(),
            });
        }
        self.count_read(framebuffer, viewport, components, dtype)
    }

    /// Checks a read of the depth attachment (any dtype: depths convert to each) and hands
    /// out the next readback id. The screen's depth is checked at replay.
    pub(super) fn read_depth(
        &mut self,
        framebuffer: FramebufferId,
        viewport: Option<Rect>,
        dtype: PixelType,
    ) -> Result<ReadbackId, ValidationError> {
        if !self.readable(framebuffer)?.depth {
            return Err(ValidationError::NoDepthAttachment { framebuffer });
        }
        self.count_read(framebuffer, viewport, 1, dtype)
    }

    /// A live framebuffer that GL can read pixels from: not multisampled.
    fn readable(&self, framebuffer: FramebufferId) -> Result<&FramebufferState, ValidationError> {
        let state = self.framebuffer(framebuffer)?;
        if state.samples > 0 {
            return Err(ValidationError::MultisampleRead { framebuffer });
        }
        Ok(state)
    }

    /// Checks the rectangle of a pixel read of `framebuffer` (a live one), counts its bytes
    /// and hands out the next readback id. Rectangles on the screen are checked at replay,
    /// where its size is known.
    fn count_read(
        &mut self,
        framebuffer: FramebufferId,
        viewport: Option<Rect>,
        components: u8,
        dtype: PixelType,
    ) -> Result<ReadbackId, ValidationError> {
        let size = self.framebuffer(framebuffer)?.size;
        if let (Some(rect), Some((width, height))) = (viewport, size) {
            check_rect(framebuffer, rect, width, height)?;
        }
        // The size read: the rectangle, else the framebuffer (the screen's only when known;
        // replay checks it again once it is).
        let size = viewport
            .map(|rect| (rect.width, rect.height))
            .or(size)
            .or(self.screen);
        let bytes = match size {
            Some((width, height)) => Some(pixel_read_bytes(width, height, components, dtype)?),
            None => None,
        };
        let id = self.next_readback()?;
        let c = &mut self.counters;
        match bytes {
            Some(bytes) => c.readback_bytes = c.readback_bytes.saturating_add(bytes),
            None => {
                let per_pixel = u64::from(components) * dtype.size();
                c.screen_read_factor = c.screen_read_factor.saturating_add(per_pixel);
            }
        }
        Ok(id)
    }

    /// Checks a copy as ModernGL's `ctx.copy_framebuffer(dst, src)` makes it, into a
    /// framebuffer or into a texture.
    pub(super) fn copy_framebuffer(
        &self,
        dst: CopyTarget,
        src: FramebufferId,
    ) -> Result<(), ValidationError> {
        match dst {
            CopyTarget::Framebuffer(dst) => self.copy_between(dst, src),
            CopyTarget::Texture(texture) => self.copy_into_texture(texture, src),
        }
    }

    /// Checks a copy between framebuffers (color attachment `i` into color attachment `i`,
    /// and depth), refusing what GL would refuse or leave undefined: different numbers of
    /// color attachments, float and integer (or signed and unsigned) attachments paired,
    /// two sample counts, one image on both sides.
    fn copy_between(&self, dst: FramebufferId, src: FramebufferId) -> Result<(), ValidationError> {
        let (to, from) = (self.framebuffer(dst)?, self.framebuffer(src)?);
        let shared = (to.images.iter()).any(|&a| from.images.iter().any(|&b| overlap(a, b)));
        if dst == src || shared {
            return Err(ValidationError::CopyOverlap {
                dst: CopyTarget::Framebuffer(dst),
                src,
            });
        }
        if to.color.len() != from.color.len() {
            return Err(ValidationError::CopyAttachments {
                dst,
                dst_colors: to.color.len(),
                src,
                src_colors: from.color.len(),
            });
        }
        let mismatch = (to.color.iter().zip(&from.color).enumerate())
            .find(|(_, (to, from))| to.scalar_kind() != from.scalar_kind());
        if let Some((attachment, (to_dtype, from_dtype))) = mismatch {
            return Err(ValidationError::CopyFormats {
                dst,
                src,
                attachment: u8::try_from(attachment).unwrap_or(u8::MAX),
                src_dtype: from_dtype.name(),
                dst_dtype: to_dtype.name(),
            });
        }
        if to.samples > 0 && from.samples > 0 && to.samples != from.samples {
            return Err(ValidationError::CopySamples {
                dst,
                dst_samples: to.samples,
                src,
                src_samples: from.samples,
            });
        }
        Ok(())
    }

    /// Checks a copy of a framebuffer's color attachment 0 into level 0 of a texture, as
    /// ModernGL makes it (glCopyTexImage2D over the texture's size) where its result is
    /// the texture's own format and size: a 2D texture of 8-bit normalized storage, a
    /// source that is not multisampled, has a color attachment 0 of float or normalized
    /// values, is at least as large as the texture (the screen's size is checked at replay)
    /// and does not read the image it writes.
    fn copy_into_texture(
        &self,
        texture: TextureId,
        src: FramebufferId,
    ) -> Result<(), ValidationError> {
        let size = self.texture(texture)?.copy_target(texture, src)?;
        let from = self.framebuffer(src)?;
        let problem = |problem| ValidationError::CopyIntoTexture {
            texture,
            src,
            problem,
        };
        if from.samples > 0 {
            return Err(problem(
                "multisample framebuffer sources with texture targets are not accepted",
            ));
        }
        match from.color.first() {
            None => return Err(problem("the source has no color attachment to copy")),
            Some(dtype) if dtype.is_integer() => {
                return Err(problem(
                    "the source's color attachment 0 holds integers, which GL does not copy into a normalized texture",
                ))
            }
            Some(_) => {}
        }
        if let Some(src_size) = from.size {
            if src_size.0 < size.0 || src_size.1 < size.1 {
                return Err(ValidationError::CopySize {
                    texture,
                    size,
                    src,
                    src_size,
                });
            }
        }
        // The image read: color attachment 0, the first image of a framebuffer over images.
        let written = Attachment::Texture {
            texture,
            level: 0,
            layer: None,
        };
        if from
            .images
            .first()
            .is_some_and(|&read| overlap(read, written))
        {
            return Err(ValidationError::CopyOverlap {
                dst: CopyTarget::Texture(texture),
                src,
            });
        }
        Ok(())
    }
}

/// Checks that `rect` lies inside a `width` by `height` framebuffer.
pub(crate) fn check_rect(
    framebuffer: FramebufferId,
    rect: Rect,
    width: u32,
    height: u32,
) -> Result<(), ValidationError> {
    if rect.fits_in(width, height) {
        return Ok(());
    }
    Err(ValidationError::RectOutOfRange {
        framebuffer,
        x: rect.x,
        y: rect.y,
        w: rect.width,
        h: rect.height,
        fw: width,
        fh: height,
    })
}
