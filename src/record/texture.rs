//! Textures and samplers, following ModernGL's `Context.texture` (and `texture_array`,
//! `texture3d`, `texture_cube`, `depth_texture`), `Context.sampler` and their methods and
//! properties.

use super::{entry, Recorder};
use crate::command::{Command, TextureDesc, TextureParameter, TextureWrite, ValidationError};
use crate::ids::{BufferId, ReadbackId, SamplerId, TextureId};

impl Recorder {
    /// Creates a texture as `desc` says, holding `data` (level 0; a cube map's six faces one
    /// after the other, +X, -X, +Y, -Y, +Z, -Z), or zeros without data (ModernGL:
    /// `ctx.texture(size, components, data, samples, alignment, dtype, internal_format)` and
    /// the other constructors).
    ///
    /// `data` holds exactly [`TextureDesc::data_size`] bytes: rows of pixels bottom to top,
    /// each padded to the alignment. Filtering starts linear for dtypes `f1`, `f2` and `f4`
    /// and nearest for the others, as in ModernGL; depth textures compare with `<=`.
    ///
    /// ```
    /// use gltape::command::TextureDesc;
    ///
    /// let mut rec = gltape::Recorder::new();
    /// // ctx.texture((2, 1), 4, data)
    /// let texture = rec.texture(TextureDesc::texture(2, 1, 4), Some(&[255u8; 8]))?;
    /// # Ok::<(), gltape::ValidationError>(())
    /// ```
    pub fn texture(
        &mut self,
        desc: TextureDesc,
        data: Option<&[u8]>,
    ) -> Result<TextureId, ValidationError> {
        if data.is_some_and(<[u8]>::is_empty) {
            // Empty data stores no payload; it is never the size of a texture's data.
            self.validator.check_new_texture(&desc, Some(0))?;
        }
        self.record(|transaction, validator| {
            let texture = validator.next_texture_id()?;
            let data = match data {
                Some(data) => transaction.payload(data)?,
                None => None,
            };
            let desc = entry(transaction, desc)?;
            let command = Command::CreateTexture {
                texture,
                desc,
                data,
            };
            Ok((command, texture))
        })
    }

    /// Writes `data` into a texture where `write` says (ModernGL: `texture.write(data,
    /// viewport, level, alignment)`, `texture_cube.write(face, data, viewport,
    /// alignment)`): rows bottom to top, each padded to the alignment. A write of an empty
    /// viewport is checked and records nothing.
    ///
    /// ```
    /// use gltape::command::{TextureDesc, TextureRegion, TextureWrite};
    ///
    /// let mut rec = gltape::Recorder::new();
    /// let texture = rec.texture(TextureDesc::texture(4, 4, 4), None)?;
    /// // texture.write(data, viewport=(1, 2, 2, 1))
    /// let at = TextureWrite::new(texture).viewport(TextureRegion::rect(1, 2, 2, 1));
    /// rec.write_texture(at, &[7u8; 8])?;
    /// # Ok::<(), gltape::ValidationError>(())
    /// ```
    pub fn write_texture(
        &mut self,
        write: TextureWrite,
        data: &[u8],
    ) -> Result<(), ValidationError> {
        let write = TextureWrite {
            buffer: None,
            ..write
        };
        if data.is_empty() {
            return self.validator.write_texture(&write, Some(0));
        }
        self.record_texture_write(write, data)
    }

    /// Writes the pixels at the start of `buffer` into a texture where `write` says
    /// (ModernGL: `texture.write(buffer, ...)`, through GL_PIXEL_UNPACK_BUFFER). The buffer
    /// holds at least the bytes a payload would.
    pub fn write_texture_from_buffer(
        &mut self,
        write: TextureWrite,
        buffer: BufferId,
    ) -> Result<(), ValidationError> {
        let write = TextureWrite {
            buffer: Some(buffer),
            ..write
        };
        self.record_texture_write(write, &[])
    }

    /// Records a texture write of `data` (empty: from the write's buffer).
    fn record_texture_write(
        &mut self,
        write: TextureWrite,
        data: &[u8],
    ) -> Result<(), ValidationError> {
        self.record(|transaction, _| {
            let data = transaction.payload(data)?;
            let write = entry(transaction, write)?;
            Ok((Command::WriteTexture { write, data }, ()))
        })
    }

    /// Reads level `level` of a texture into a readback, rows bottom to top, each padded to
    /// `alignment` (ModernGL: `texture.read(level, alignment)`; arrays and 3D textures read
    /// every layer of level 0). The padding reads as zeros.
    pub fn read_texture(
        &mut self,
        texture: TextureId,
        level: u32,
        alignment: u8,
    ) -> Result<ReadbackId, ValidationError> {
        self.record_texture_read(texture, level, None, alignment)
    }

    /// Reads face `face` (0 to 5: +X, -X, +Y, -Y, +Z, -Z) of a cube map into a readback
    /// (ModernGL: `texture_cube.read(face, alignment)`).
    pub fn read_texture_face(
        &mut self,
        texture: TextureId,
        face: u8,
        alignment: u8,
    ) -> Result<ReadbackId, ValidationError> {
        self.record_texture_read(texture, 0, Some(face), alignment)
    }

    fn record_texture_read(
        &mut self,
        texture: TextureId,
        level: u32,
        face: Option<u8>,
        alignment: u8,
    ) -> Result<ReadbackId, ValidationError> {
        let readback = self.validator.next_readback_id();
        self.record_plain(Command::ReadTexture {
            texture,
            readback,
            level,
            face,
            alignment,
        })?;
        Ok(readback)
    }

    /// Makes mipmap levels above `base` up to `max_level` from level `base`, and sets the
    /// filter to LINEAR_MIPMAP_LINEAR / LINEAR (ModernGL: `texture.build_mipmaps(base=0,
    /// max_level=1000)`). Later writes and reads may address levels up to `max_level` that
    /// the texture's size has.
    pub fn build_mipmaps(
        &mut self,
        texture: TextureId,
        base: u32,
        max_level: u32,
    ) -> Result<(), ValidationError> {
        self.record_plain(Command::BuildMipmaps {
            texture,
            base,
            max_level,
        })
    }

    /// Sets a sampling property of a texture (ModernGL: `texture.filter = ...`,
    /// `.repeat_x`, `.repeat_y`, `.repeat_z`, `.swizzle`, `.compare_func`, `.anisotropy`),
    /// where the texture's kind has it in ModernGL.
    ///
    /// ```
    /// use gltape::command::{MagFilter, MinFilter, TextureDesc, TextureParameter};
    ///
    /// let mut rec = gltape::Recorder::new();
    /// let texture = rec.texture(TextureDesc::texture(4, 4, 4), None)?;
    /// // texture.filter = (moderngl.NEAREST, moderngl.NEAREST)
    /// let nearest = TextureParameter::Filter(MinFilter::Nearest, MagFilter::Nearest);
    /// rec.texture_parameter(texture, nearest)?;
    /// rec.texture_parameter(texture, TextureParameter::RepeatX(false))?;
    /// # Ok::<(), gltape::ValidationError>(())
    /// ```
    pub fn texture_parameter(
        &mut self,
        texture: TextureId,
        parameter: TextureParameter,
    ) -> Result<(), ValidationError> {
        self.record_plain(Command::SetTextureParameter { texture, parameter })
    }

    /// Binds a texture to texture unit `unit`, below 80 (ModernGL: `texture.use(location)`).
    /// A sampler uniform set to the unit (an `int` uniform) samples it.
    pub fn use_texture(&mut self, texture: TextureId, unit: u32) -> Result<(), ValidationError> {
        self.record_plain(Command::UseTexture { texture, unit })
    }

    /// Creates a sampler with ModernGL's defaults: linear filtering, repeat on every axis,
    /// no comparison, LOD from -1000 to 1000 (ModernGL: `ctx.sampler()`; set its other
    /// keyword arguments with [`Recorder::sampler_parameter`]).
    pub fn sampler(&mut self) -> Result<SamplerId, ValidationError> {
        let sampler = self.validator.next_sampler_id()?;
        self.record_plain(Command::CreateSampler { sampler })?;
        Ok(sampler)
    }

    /// Sets a property of a sampler (ModernGL: `sampler.filter`, `.repeat_x`, `.repeat_y`,
    /// `.repeat_z`, `.compare_func`, `.anisotropy`, `.border_color`, `.min_lod`,
    /// `.max_lod`).
    pub fn sampler_parameter(
        &mut self,
        sampler: SamplerId,
        parameter: TextureParameter,
    ) -> Result<(), ValidationError> {
        self.record_plain(Command::SetSamplerParameter { sampler, parameter })
    }

    /// Binds a sampler to texture unit `unit`, where it overrides the sampling properties of
    /// the texture bound there (ModernGL: `sampler.use(location)`).
    pub fn use_sampler(&mut self, sampler: SamplerId, unit: u32) -> Result<(), ValidationError> {
        self.record_plain(Command::UseSampler {
            sampler: Some(sampler),
            unit,
        })
    }

    /// Unbinds the sampler of texture unit `unit`, so that the texture's own properties
    /// apply again (ModernGL: `sampler.clear(location)`).
    pub fn clear_sampler(&mut self, unit: u32) -> Result<(), ValidationError> {
        self.record_plain(Command::UseSampler {
            sampler: None,
            unit,
        })
    }
}
