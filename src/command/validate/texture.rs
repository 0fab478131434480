//! Texture and sampler checks: sizes and formats at creation, levels, viewports and byte
//! counts of writes and reads, which properties each kind has, texture units.

use super::attachment::{Held, Image};
use super::{ValidationError, Validator};
use crate::command::{
    BufferOp, Object, PixelType, TextureDesc, TextureKind, TextureParameter, TextureRegion,
    TextureWrite, MAX_TEXTURE_3D_SIDE, MAX_TEXTURE_LAYERS, MAX_TEXTURE_SAMPLES, MAX_TEXTURE_SIDE,
    MAX_TEXTURE_UNITS,
};
use crate::ids::{FramebufferId, ReadbackId, SamplerId, TextureId};

/// What the validator knows of a live texture.
#[derive(Clone, Copy, Debug)]
pub(super) struct TextureState {
    desc: TextureDesc,
    /// Levels `0..levels` hold images: level 0 from creation, more from build_mipmaps.
    levels: u32,
    /// ModernGL's `max_level`: 0 until build_mipmaps sets it to its `max_level`; ModernGL
    /// refuses writes and reads of a level above it.
    max_level: u32,
    /// Bytes counted for it in the live object bytes.
    bytes: u64,
    /// Attachments of live framebuffers that hold it: its storage lives until it is
    /// released and this is 0.
    attached: u32,
}

/// Checks that `value` is one of 1, 2, 4 and 8 (ModernGL's alignments).
fn check_alignment(alignment: u8) -> Result<(), ValidationError> {
    match alignment {
        1 | 2 | 4 | 8 => Ok(()),
        _ => Err(ValidationError::TextureArgument {
            what: "alignment",
            value: u64::from(alignment),
            allowed: "the alignment must be 1, 2, 4 or 8",
        }),
    }
}

/// Checks that `unit` is a texture unit GL 4.5 guarantees.
fn check_unit(unit: u32) -> Result<(), ValidationError> {
    if unit < MAX_TEXTURE_UNITS {
        return Ok(());
    }
    Err(ValidationError::TextureArgument {
        what: "texture unit",
        value: u64::from(unit),
        allowed: "GL 4.5 guarantees texture units 0..80",
    })
}

/// Checks the sides of a new texture against GL 4.5's guaranteed limits for its kind.
fn check_size(desc: &TextureDesc) -> Result<(), ValidationError> {
    let [width, height, depth] = desc.size;
    let within = |side: u32, max: u32| (1..=max).contains(&side);
    let (ok, allowed) = match desc.kind {
        TextureKind::Texture2D => (
            within(width, MAX_TEXTURE_SIDE) && within(height, MAX_TEXTURE_SIDE) && depth == 1,
            "width and height must be 1..=16384 (depth 1)",
        ),
        TextureKind::Array => (
            within(width, MAX_TEXTURE_SIDE)
                && within(height, MAX_TEXTURE_SIDE)
                && within(depth, MAX_TEXTURE_LAYERS),
            "width and height must be 1..=16384, layers 1..=2048",
        ),
        TextureKind::Texture3D => (
            within(width, MAX_TEXTURE_3D_SIDE)
                && within(height, MAX_TEXTURE_3D_SIDE)
                && within(depth, MAX_TEXTURE_3D_SIDE),
            "each side must be 1..=2048",
        ),
        TextureKind::Cube => (
            within(width, MAX_TEXTURE_SIDE) && width == height && depth == 1,
            "the faces must be square, 1..=16384 on a side (depth 1)",
        ),
    };
    if ok {
        return Ok(());
    }
    Err(ValidationError::TextureSize {
        kind: desc.kind.name(),
        size: desc.size,
        allowed,
    })
}

/// Checks that the parts of a new texture go together, as ModernGL and GL require.
fn check_format(desc: &TextureDesc) -> Result<(), ValidationError> {
    let kind = desc.kind.name();
    let problem = |problem| Err(ValidationError::TextureFormat { kind, problem });
    if !(1..=4).contains(&desc.components) {
        return Err(ValidationError::TextureArgument {
            what: "components",
            value: u64::from(desc.components),
            allowed: "the components must be 1, 2, 3 or 4",
        });
    }
    check_alignment(desc.alignment)?;
    if desc.samples > MAX_TEXTURE_SAMPLES || !(desc.samples == 0 || desc.samples.is_power_of_two())
    {
        return Err(ValidationError::TextureArgument {
            what: "samples",
            value: u64::from(desc.samples),
            allowed: "the number of samples must be 0 (none), 1, 2 or 4",
        });
    }
    if desc.samples > 0 && desc.kind != TextureKind::Texture2D {
        return problem("only 2D textures are multisample");
    }
    if desc.depth {
        if desc.kind != TextureKind::Texture2D {
            return problem("depth textures are 2D textures");
        }
        if desc.components != 1 || desc.dtype != PixelType::F4 {
            return problem("a depth texture holds 1 component of dtype f4");
        }
        if desc.internal_format.is_some() {
            return problem("a depth texture takes no internal format");
        }
    }
    if let Some(format) = desc.internal_format {
        if !matches!(desc.kind, TextureKind::Texture2D | TextureKind::Cube) {
            return problem("only textures and cube maps take an internal format");
        }
        if format.layout() != (desc.components, desc.dtype) {
            return problem("the internal format stores other components or another dtype");
        }
    }
    Ok(())
}

impl Held for TextureState {
    fn attached(&mut self) -> &mut u32 {
        &mut self.attached
    }

    fn bytes(&self) -> u64 {
        self.bytes
    }
}

impl TextureState {
    fn kind(&self) -> &'static str {
        self.desc.kind.name()
    }

    /// What it was created as.
    pub(super) fn desc(&self) -> &TextureDesc {
        &self.desc
    }

    /// Checks that `level` holds an image.
    pub(super) fn check_level(
        &self,
        texture: TextureId,
        level: u32,
    ) -> Result<(), ValidationError> {
        if level < self.levels {
            return Ok(());
        }
        Err(ValidationError::TextureLevel {
            texture,
            level,
            levels: self.levels,
            max_level: self.max_level,
        })
    }

    fn refuse(&self, texture: TextureId, problem: &'static str) -> ValidationError {
        ValidationError::TextureOp {
            texture,
            kind: self.kind(),
            problem,
        }
    }

    /// Checks `face` and `level` of a write or read: a face exactly for cube maps, a level
    /// other than 0 only for 2D textures, and only one that holds an image and is within
    /// ModernGL's `max_level`. Returns the level's size.
    fn check_image(
        &self,
        texture: TextureId,
        face: Option<u8>,
        level: u32,
    ) -> Result<[u32; 3], ValidationError> {
        if self.desc.samples > 0 {
            return Err(self.refuse(
                texture,
                "multisample textures cannot be written or read directly",
            ));
        }
        match (self.desc.kind, face) {
            (TextureKind::Cube, None) => {
                return Err(self.refuse(texture, "a cube map is written and read by face"))
            }
            (TextureKind::Cube, Some(face)) if face > 5 => {
                return Err(ValidationError::TextureArgument {
                    what: "face",
                    value: u64::from(face),
                    allowed: "the face must be 0, 1, 2, 3, 4 or 5",
                })
            }
            (TextureKind::Cube, Some(_)) | (_, None) => {}
            (_, Some(_)) => return Err(self.refuse(texture, "only cube maps have faces")),
        }
        if level != 0 && self.desc.kind != TextureKind::Texture2D {
            return Err(self.refuse(
                texture,
                "only 2D textures are written and read at levels other than 0",
            ));
        }
        if level >= self.levels || level > self.max_level {
            return Err(ValidationError::TextureLevel {
                texture,
                level,
                levels: self.levels,
                max_level: self.max_level,
            });
        }
        Ok(self.desc.level_size(level))
    }

    /// Level `level` (one that holds an image) of the texture as a framebuffer attachment:
    /// one `layer` of an array, 3D texture or cube map, or with None the whole level (every
    /// layer, slice or face, layered).
    pub(super) fn image(
        &self,
        texture: TextureId,
        level: u32,
        layer: Option<u32>,
    ) -> Result<Image, ValidationError> {
        if level >= self.levels {
            return Err(ValidationError::AttachmentLevel {
                texture,
                level,
                levels: self.levels,
            });
        }
        let [width, height, depth] = self.desc.level_size(level);
        let layers = match self.desc.kind {
            TextureKind::Texture2D => 0,
            TextureKind::Array | TextureKind::Texture3D => depth,
            TextureKind::Cube => 6,
        };
        let layered = match layer {
            Some(layer) if layer >= layers => {
                return Err(ValidationError::AttachmentLayer {
                    texture,
                    kind: self.kind(),
                    level,
                    layer,
                    layers,
                })
            }
            Some(_) => None,
            None => (self.desc.kind != TextureKind::Texture2D).then_some(self.desc.kind),
        };
        Ok(Image {
            shape: (width, height, self.desc.samples),
            color: (!self.desc.depth).then_some(self.desc.dtype),
            layered,
        })
    }

    /// Checks the texture as the target of ModernGL's `ctx.copy_framebuffer(texture, src)`,
    /// which redefines level 0 with glCopyTexImage2D as unsized GL_RED to GL_RGBA storage
    /// (8-bit normalized) of the copied size: only 2D textures, not multisample (ModernGL
    /// refuses those) and already stored so (dtype `f1`, `nu1` or `ni1`, ModernGL's own
    /// internal format), keep their format. Returns the texture's size.
    pub(super) fn copy_target(
        &self,
        texture: TextureId,
        src: FramebufferId,
    ) -> Result<(u32, u32), ValidationError> {
        let desc = &self.desc;
        let unorm8 = matches!(desc.dtype, PixelType::F1 | PixelType::Nu1 | PixelType::Ni1);
        let problem = match () {
            _ if desc.kind != TextureKind::Texture2D => {
                "ModernGL copies only into 2D textures (a Texture)"
            }
            _ if desc.samples > 0 => "multisample texture targets are not accepted",
            _ if desc.depth => "ModernGL's copy would make the depth texture a color one",
            _ if !unorm8 || desc.internal_format.is_some() => {
                "ModernGL's copy redefines the texture as 8-bit normalized storage: only \
                 textures stored so (dtype f1, nu1 or ni1 without internal_format) keep \
                 their format"
            }
            _ => return Ok((desc.size[0], desc.size[1])),
        };
        Err(ValidationError::CopyIntoTexture {
            texture,
            src,
            problem,
        })
    }
}

impl Validator {
    /// The tracked state of a live texture.
    pub(super) fn texture(&self, texture: TextureId) -> Result<&TextureState, ValidationError> {
        self.textures.get(texture.0)
    }

    /// Checks that a texture of `desc` with initial data of `data` bytes, if any, could be
    /// defined next, changing nothing.
    pub(crate) fn check_new_texture(
        &self,
        desc: &TextureDesc,
        data: Option<u64>,
    ) -> Result<TextureId, ValidationError> {
        let id = TextureId(self.textures.next_id()?);
        check_size(desc)?;
        check_format(desc)?;
        if let Some(len) = data {
            if desc.samples > 0 {
                return Err(ValidationError::TextureFormat {
                    kind: desc.kind.name(),
                    problem: "multisample textures are not writable directly",
                });
            }
            // Sides of at most 16384 (2048 in 3D) and 16 bytes a pixel: no overflow.
            let expected = desc.data_size().unwrap_or(u64::MAX);
            if len != expected {
                return Err(ValidationError::TextureDataSize {
                    texture: id,
                    len,
                    expected,
                });
            }
        }
        Ok(id)
    }

    /// Checks a new texture and defines the next one; `data` is the length of its initial
    /// data, if any.
    pub(super) fn create_texture(
        &mut self,
        desc: &TextureDesc,
        data: Option<u64>,
    ) -> Result<TextureId, ValidationError> {
        let id = self.check_new_texture(desc, data)?;
        let bytes = desc.storage_bytes(1);
        self.textures.push(TextureState {
            desc: *desc,
            levels: 1,
            max_level: 0,
            bytes,
            attached: 0,
        });
        self.counters.live_bytes = self.counters.live_bytes.saturating_add(bytes);
        Ok(id)
    }

    /// Checks a texture write of `data` bytes (None: from its buffer, or nothing when the
    /// viewport is empty).
    pub(crate) fn write_texture(
        &self,
        write: &TextureWrite,
        data: Option<u64>,
    ) -> Result<(), ValidationError> {
        let texture = write.texture;
        let state = self.texture(texture)?;
        let size = state.check_image(texture, write.face, write.level)?;
        check_alignment(write.alignment)?;
        let region = write.viewport.unwrap_or(TextureRegion::whole(size));
        if !region.fits_in(size) {
            return Err(ValidationError::TextureRegion {
                texture,
                region,
                level: write.level,
                size,
            });
        }
        let desc = TextureDesc {
            alignment: write.alignment,
            ..state.desc
        };
        // Inside a level of sides at most 16384: no overflow.
        let expected =
            (desc.region_bytes(region.width, region.height, region.depth)).unwrap_or(u64::MAX);
        match (data, write.buffer) {
            (Some(len), None) if len != expected => Err(ValidationError::TextureDataSize {
                texture,
                len,
                expected,
            }),
            (Some(_), None) => Ok(()),
            (None, Some(buffer)) => self.check_range(BufferOp::TextureSource, buffer, 0, expected),
            (None, None) if expected == 0 => Ok(()),
            (None, None) => Err(ValidationError::TextureSource {
                texture,
                problem: "it has neither",
            }),
            (Some(_), Some(_)) => Err(ValidationError::TextureSource {
                texture,
                problem: "it has both",
            }),
        }
    }

    /// Checks a texture read and hands out the next readback id.
    pub(super) fn read_texture(
        &mut self,
        texture: TextureId,
        level: u32,
        face: Option<u8>,
        alignment: u8,
    ) -> Result<ReadbackId, ValidationError> {
        let state = self.texture(texture)?;
        let [width, height, depth] = state.check_image(texture, face, level)?;
        check_alignment(alignment)?;
        let desc = TextureDesc {
            alignment,
            ..state.desc
        };
        let bytes = desc.region_bytes(width, height, depth).unwrap_or(u64::MAX);
        super::gl_int("texture read bytes", "GLsizei", bytes)?;
        let id = self.next_readback()?;
        self.counters.readback_bytes = self.counters.readback_bytes.saturating_add(bytes);
        Ok(id)
    }

    /// Checks and applies build_mipmaps: levels above `base` up to `max_level` (and the
    /// size's last level) hold images afterwards.
    pub(super) fn build_mipmaps(
        &mut self,
        texture: TextureId,
        base: u32,
        max_level: u32,
    ) -> Result<(), ValidationError> {
        let state = *self.texture(texture)?;
        if state.desc.samples > 0 {
            return Err(state.refuse(texture, "multisample textures have no mipmaps"));
        }
        if state.desc.dtype.is_integer() {
            return Err(state.refuse(texture, "GL makes no mipmaps of integer textures"));
        }
        if base >= state.levels || base > state.max_level {
            return Err(ValidationError::TextureLevel {
                texture,
                level: base,
                levels: state.levels,
                max_level: state.max_level,
            });
        }
        super::gl_int("max_level", "GLint", u64::from(max_level))?;
        let made = match max_level > base {
            true => max_level.min(state.desc.top_level()).saturating_add(1),
            false => 0,
        };
        let levels = state.levels.max(made);
        let bytes = state.desc.storage_bytes(levels);
        let c = &mut self.counters;
        c.live_bytes = c
            .live_bytes
            .saturating_sub(state.bytes)
            .saturating_add(bytes);
        let state = self.textures.get_mut(texture.0)?;
        state.levels = levels;
        state.max_level = max_level;
        state.bytes = bytes;
        Ok(())
    }

    /// Checks that a texture of its kind has the property (ModernGL's getset tables).
    pub(super) fn texture_parameter(
        &self,
        texture: TextureId,
        parameter: &TextureParameter,
    ) -> Result<(), ValidationError> {
        let desc = self.texture(texture)?.desc;
        let missing = |reason| {
            Err(ValidationError::TextureProperty {
                object: Object::Texture(texture),
                property: parameter.name(),
                reason,
            })
        };
        let is_sampling = !matches!(parameter, TextureParameter::Swizzle(_));
        if desc.samples > 0 && is_sampling {
            return missing("multisample textures have no sampling state");
        }
        let kind = desc.kind;
        match parameter {
            TextureParameter::Filter(..) => {}
            TextureParameter::RepeatX(_) | TextureParameter::RepeatY(_)
                if kind == TextureKind::Cube =>
            {
                return missing("cube maps do not repeat");
            }
            TextureParameter::RepeatX(_) | TextureParameter::RepeatY(_) => {}
            TextureParameter::RepeatZ(_) if kind != TextureKind::Texture3D => {
                return missing("only 3D textures and samplers repeat along z");
            }
            TextureParameter::RepeatZ(_) => {}
            TextureParameter::Swizzle(_) if desc.depth => {
                return missing("depth textures have no swizzle");
            }
            TextureParameter::Swizzle(_) => {}
            TextureParameter::CompareFunc(_) if !desc.depth => {
                return missing("only depth textures have compare_func");
            }
            TextureParameter::CompareFunc(_) => {}
            TextureParameter::Anisotropy(_) if kind == TextureKind::Texture3D => {
                return missing("ModernGL's Texture3D has no anisotropy");
            }
            TextureParameter::Anisotropy(_) => {}
            TextureParameter::BorderColor(_)
            | TextureParameter::MinLod(_)
            | TextureParameter::MaxLod(_) => {
                return missing("only samplers have it");
            }
        }
        check_floats(parameter)
    }

    /// Checks a texture's binding to a unit.
    pub(super) fn use_texture(&self, texture: TextureId, unit: u32) -> Result<(), ValidationError> {
        self.texture(texture)?;
        check_unit(unit)
    }

    /// Checks a sampler property (every one but swizzle).
    pub(super) fn sampler_parameter(
        &self,
        sampler: SamplerId,
        parameter: &TextureParameter,
    ) -> Result<(), ValidationError> {
        self.samplers.get(sampler.0)?;
        if let TextureParameter::Swizzle(_) = parameter {
            return Err(ValidationError::TextureProperty {
                object: Object::Sampler(sampler),
                property: parameter.name(),
                reason: "only textures have it",
            });
        }
        check_floats(parameter)
    }

    /// Checks a sampler's binding to a unit (or the unit's unbinding).
    pub(super) fn use_sampler(
        &self,
        sampler: Option<SamplerId>,
        unit: u32,
    ) -> Result<(), ValidationError> {
        if let Some(sampler) = sampler {
            self.samplers.get(sampler.0)?;
        }
        check_unit(unit)
    }
}

/// Checks that the floats of a property are finite.
fn check_floats(parameter: &TextureParameter) -> Result<(), ValidationError> {
    if parameter.floats().iter().all(|f| f.0.is_finite()) {
        return Ok(());
    }
    Err(ValidationError::NotFinite {
        what: parameter.name(),
    })
}
