//! Images in framebuffers made over existing ones (ModernGL's `ctx.framebuffer(
//! color_attachments, depth_attachment)`): what each attachment is (size, samples, what it
//! stores, whether it is layered), whether two attachments share an image, and how long
//! attached images live: a released renderbuffer or texture keeps its storage, and its bytes
//! under the live-object limit, until the last framebuffer holding it is released.

use super::limits::Counters;
use super::{Objects, ValidationError, Validator};
use crate::command::{Attachment, PixelType, TextureKind};
use crate::ids::FramebufferId;

/// What an attachment is, as its framebuffer sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Image {
    /// Width and height (of a texture's level) and samples per pixel (0: not multisampled).
    pub shape: (u32, u32, u8),
    /// What it stores, or None for depth.
    pub color: Option<PixelType>,
    /// For every layer of a texture attached at once (layered), the texture's kind.
    pub layered: Option<TextureKind>,
}

/// Storage that framebuffers hold attached: renderbuffers and textures.
pub(super) trait Held {
    /// Attachments of live framebuffers that hold it: its storage lives until it is
    /// released and this is 0.
    fn attached(&mut self) -> &mut u32;
    /// Bytes of its storage, counted in the live object bytes.
    fn bytes(&self) -> u64;
}

impl<T: Held> Objects<T> {
    /// Checks and applies the release of object `id`: its storage's bytes leave the live
    /// object bytes in `counters` now, or, while framebuffers hold it, when the last of
    /// them is released.
    pub(super) fn release_held(
        &mut self,
        id: u32,
        counters: &mut Counters,
    ) -> Result<(), ValidationError> {
        self.release(id)?;
        if let Some((state, _)) = self.any_mut(id) {
            if *state.attached() == 0 {
                counters.live_bytes = counters.live_bytes.saturating_sub(state.bytes());
            }
        }
        Ok(())
    }

    /// Counts one attachment more (`held`) or one fewer of object `id`, released or not;
    /// returns the bytes of its storage when that frees it (released, and held by no
    /// framebuffer now), else 0.
    fn hold(&mut self, id: u32, held: bool) -> u64 {
        let Some((state, released)) = self.any_mut(id) else {
            return 0;
        };
        let attached = state.attached();
        if held {
            *attached = attached.saturating_add(1);
            return 0;
        }
        *attached = attached.saturating_sub(1);
        match released && *attached == 0 {
            true => state.bytes(),
            false => 0,
        }
    }
}

/// Whether two attachments name one image: the same renderbuffer, or the same level of a
/// texture with the same layer (every layer overlaps each one).
pub(super) fn overlap(a: Attachment, b: Attachment) -> bool {
    match (a, b) {
        (Attachment::Renderbuffer(a), Attachment::Renderbuffer(b)) => a == b,
        (
            Attachment::Texture {
                texture,
                level,
                layer,
            },
            Attachment::Texture {
                texture: other,
                level: other_level,
                layer: other_layer,
            },
        ) => {
            let layers_meet = layer.is_none() || other_layer.is_none() || layer == other_layer;
            texture == other && level == other_level && layers_meet
        }
        _ => false,
    }
}

impl Validator {
    /// The image `attachment` names: a live renderbuffer, or a level (holding an image) and
    /// layer (one the level has) of a live texture.
    pub(super) fn image(&self, attachment: Attachment) -> Result<Image, ValidationError> {
        match attachment {
            Attachment::Renderbuffer(renderbuffer) => {
                let state = self.renderbuffer(renderbuffer)?;
                Ok(Image {
                    shape: (state.width, state.height, state.samples),
                    color: state.color,
                    layered: None,
                })
            }
            Attachment::Texture {
                texture,
                level,
                layer,
            } => self.texture(texture)?.image(texture, level, layer),
        }
    }

    /// Counts one more attachment of each of `images` (all live: checked before).
    pub(super) fn attach(&mut self, images: &[Attachment]) {
        for &image in images {
            self.hold(image, true);
        }
    }

    /// Counts one attachment more (`held`) or one fewer of the image's renderbuffer or
    /// texture; returns the bytes this frees.
    fn hold(&mut self, image: Attachment, held: bool) -> u64 {
        match image {
            Attachment::Renderbuffer(renderbuffer) => self.renderbuffers.hold(renderbuffer.0, held),
            Attachment::Texture { texture, .. } => self.textures.hold(texture.0, held),
        }
    }

    /// Checks and applies a framebuffer's release: the bytes it owns, and the storage of
    /// images released before that only it still held, are freed.
    pub(super) fn release_framebuffer(
        &mut self,
        framebuffer: FramebufferId,
    ) -> Result<(), ValidationError> {
        if framebuffer == FramebufferId::SCREEN {
            return Err(ValidationError::ReleaseScreen);
        }
        let state = self.framebuffer(framebuffer)?;
        let (owned, attached) = (state.bytes, state.images.clone());
        self.framebuffers.release(framebuffer.0)?;
        let mut freed = owned;
        for image in attached {
            freed = freed.saturating_add(self.hold(image, false));
        }
        self.counters.live_bytes = self.counters.live_bytes.saturating_sub(freed);
        Ok(())
    }
}
