//! GL textures of one replay: the id -> name table and the calls for each command.
//!
//! Storage is mutable (glTexImage*), as ModernGL makes it: only level 0 exists until
//! build_mipmaps, so a mipmap filter without mipmaps samples an incomplete texture as it
//! does in ModernGL. Storage created without data is zeroed (GL leaves it undefined).
//! Transfers set the pixel-store alignment for the call and put it back to 1.

use super::buffers::BufferTable;
use super::gl_enum::{self, ParameterValue};
use super::pipeline::GlState;
use super::{readback_vec, Fault};
use crate::command::{
    ImageFormat, PixelType, TextureDesc, TextureKind, TextureParameter, TextureRegion, TextureWrite,
};
use crate::gl::{self, types::*, Gl};
use crate::ids::TextureId;

/// A live GL texture (name 0: released) and what its transfers need.
struct GlTexture {
    name: GLuint,
    target: GLenum,
    desc: TextureDesc,
}

/// Textures by dense [`TextureId`].
#[derive(Default)]
pub(super) struct TextureTable {
    textures: Vec<GlTexture>,
}

/// A validated size, offset or level as GL's `GLint` / `GLsizei` (texture sides are at most
/// 16384, levels at most `GLint::MAX`: the clamp is never reached).
fn gl_int(value: u32) -> GLint {
    GLint::try_from(value).unwrap_or(GLint::MAX)
}

/// Runs `transfer` with the pixel-store alignment of both directions at `alignment`, then
/// puts it back to 1 (what every replay keeps).
fn with_alignment(gl: &Gl, alignment: u8, transfer: impl FnOnce()) {
    // SAFETY: alignment is 1, 2, 4 or 8 (validated).
    unsafe {
        gl.PixelStorei(gl::UNPACK_ALIGNMENT, GLint::from(alignment));
        gl.PixelStorei(gl::PACK_ALIGNMENT, GLint::from(alignment));
    }
    transfer();
    // SAFETY: as above.
    unsafe {
        gl.PixelStorei(gl::UNPACK_ALIGNMENT, 1);
        gl.PixelStorei(gl::PACK_ALIGNMENT, 1);
    }
}

impl TextureTable {
    fn get(&self, texture: TextureId) -> Result<&GlTexture, Fault> {
        match self.textures.get(texture.index()) {
            Some(t) if t.name != 0 => Ok(t),
            _ => Err(Fault::Missing("texture")),
        }
    }

    /// The GL name and target of a live texture (to bind it to a unit).
    pub(super) fn binding(&self, texture: TextureId) -> Result<(GLuint, GLenum), Fault> {
        self.get(texture).map(|t| (t.name, t.target))
    }

    /// The GL name and the description of a live texture (to attach it or copy into it).
    pub(super) fn image(&self, texture: TextureId) -> Result<(GLuint, TextureDesc), Fault> {
        self.get(texture).map(|t| (t.name, t.desc))
    }

    /// What binding a live texture to an image unit takes, as ModernGL binds it: its GL
    /// name, whether every layer is bound (arrays, 3D textures and cube maps), and its own
    /// image format, if it has one.
    pub(super) fn image_unit_binding(
        &self,
        texture: TextureId,
    ) -> Result<(GLuint, bool, Option<ImageFormat>), Fault> {
        let t = self.get(texture)?;
        let layered = t.desc.kind != TextureKind::Texture2D;
        Ok((t.name, layered, ImageFormat::of_texture(&t.desc)))
    }

    /// Live GL textures.
    pub(super) fn live(&self) -> usize {
        self.textures.iter().filter(|t| t.name != 0).count()
    }

    /// Creates the next texture with ModernGL's calls and defaults, from `data` or zeroed.
    /// Its storage is defined with the texture bound to the active unit a moment (glTexImage
    /// has no direct-state form); `state` says what to bind there again.
    pub(super) fn create(
        &mut self,
        gl: &Gl,
        texture: TextureId,
        desc: &TextureDesc,
        data: Option<&[u8]>,
        state: &GlState,
    ) -> Result<(), Fault> {
        if texture.index() != self.textures.len() {
            return Err(Fault::Corrupt("texture created out of order"));
        }
        let target = gl_enum::texture_target(desc);
        let internal = gl_enum::texture_format(desc) as GLint;
        let (format, ty) = gl_enum::texture_transfer(desc);
        let [width, height, depth] = desc.size.map(gl_int);
        // Validated: at most 4 samples.
        let samples = GLsizei::from(desc.samples);
        // A cube map's data is its six faces one after the other.
        let face_bytes = desc
            .region_bytes(desc.size[0], desc.size[1], 1)
            .unwrap_or(0);
        let mut name = 0;
        // SAFETY: `name` is valid for one GLuint; sizes, samples and formats were validated;
        // `data`, when present, holds exactly the desc's data size (validated), which is what
        // GL reads at this alignment (for a cube map, six faces of a sixth of it each);
        // without data GL reads nothing.
        unsafe {
            gl.CreateTextures(target, 1, &mut name);
            gl.BindTexture(target, name);
            let at = |offset: u64| {
                data.and_then(|d| d.get(offset as usize..))
                    .map_or(std::ptr::null(), |d| d.as_ptr().cast())
            };
            with_alignment(gl, desc.alignment, || match desc.kind {
                TextureKind::Texture2D if desc.samples > 0 => {
                    gl.TexImage2DMultisample(
                        target,
                        samples,
                        internal as GLenum,
                        width,
                        height,
                        gl::TRUE,
                    );
                }
                TextureKind::Texture2D => {
                    gl.TexImage2D(target, 0, internal, width, height, 0, format, ty, at(0));
                }
                TextureKind::Array | TextureKind::Texture3D => {
                    gl.TexImage3D(
                        target,
                        0,
                        internal,
                        width,
                        height,
                        depth,
                        0,
                        format,
                        ty,
                        at(0),
                    );
                }
                TextureKind::Cube => {
                    for face in 0..6u32 {
                        let target = gl::TEXTURE_CUBE_MAP_POSITIVE_X + face;
                        let data = at(face_bytes * u64::from(face));
                        gl.TexImage2D(target, 0, internal, width, height, 0, format, ty, data);
                    }
                }
            });
            gl.BindTexture(target, state.bound_texture(target));
            if data.is_none() {
                gl.ClearTexImage(name, 0, format, ty, std::ptr::null());
            }
        }
        let created = GlTexture {
            name,
            target,
            desc: *desc,
        };
        if desc.samples == 0 {
            created.set_defaults(gl);
        }
        self.textures.push(created);
        Ok(())
    }

    /// Writes `data` (or, with the write's buffer, the bytes at the start of `buffers`'s
    /// location for it, through GL_PIXEL_UNPACK_BUFFER) into a level or face.
    pub(super) fn write(
        &self,
        gl: &Gl,
        write: &TextureWrite,
        data: Option<&[u8]>,
        buffers: &BufferTable,
    ) -> Result<(), Fault> {
        let texture = self.get(write.texture)?;
        let (format, ty) = gl_enum::texture_transfer(&texture.desc);
        let size = texture.desc.level_size(write.level);
        let region = write.viewport.unwrap_or(TextureRegion::whole(size));
        if region.is_empty() {
            return Ok(());
        }
        let source = match (write.buffer, data) {
            (Some(buffer), _) => Some(buffers.location(buffer)?),
            (None, Some(_)) => None,
            (None, None) => return Err(Fault::Corrupt("texture write without data")),
        };
        let pixels = data.map_or(std::ptr::null(), |d| d.as_ptr().cast());
        let z = region.z + u32::from(write.face.unwrap_or(0));
        let [x, y, z, w, h, d] = [
            region.x,
            region.y,
            z,
            region.width,
            region.height,
            region.depth,
        ]
        .map(gl_int);
        let level = gl_int(write.level);
        // SAFETY: the region lies inside the level (validated); `data` holds exactly the
        // region's bytes at the write's alignment, or the buffer holds at least that many
        // from its start (validated), and GL reads no more. The unpack buffer binding is put
        // back to 0, what every replay keeps.
        unsafe {
            if let Some(location) = source {
                gl.BindBuffer(gl::PIXEL_UNPACK_BUFFER, location);
            }
            with_alignment(gl, write.alignment, || match texture.desc.kind {
                TextureKind::Texture2D => {
                    gl.TextureSubImage2D(texture.name, level, x, y, w, h, format, ty, pixels);
                }
                _ => {
                    gl.TextureSubImage3D(texture.name, level, x, y, z, w, h, d, format, ty, pixels);
                }
            });
            if source.is_some() {
                gl.BindBuffer(gl::PIXEL_UNPACK_BUFFER, 0);
            }
        }
        Ok(())
    }

    /// Reads a level (a face of a cube map) into a new byte vector, rows padded to
    /// `alignment` with zeros.
    pub(super) fn read(
        &self,
        gl: &Gl,
        texture: TextureId,
        level: u32,
        face: Option<u8>,
        alignment: u8,
    ) -> Result<Vec<u8>, Fault> {
        let texture = self.get(texture)?;
        let [width, height, depth] = texture.desc.level_size(level);
        let desc = TextureDesc {
            alignment,
            ..texture.desc
        };
        let len = desc
            .region_bytes(width, height, depth)
            .ok_or(Fault::Corrupt("texture read size"))?;
        let mut pixels = readback_vec(len)?;
        let gl_len = GLsizei::try_from(len).map_err(|_| Fault::Corrupt("texture read size"))?;
        let (format, ty) = gl_enum::texture_transfer(&texture.desc);
        let z = gl_int(u32::from(face.unwrap_or(0)));
        let [w, h, d] = [width, height, depth].map(gl_int);
        // SAFETY: the level holds an image of this size (validated); at this alignment GL
        // writes at most `len` bytes, which is also passed as the limit; the padding of
        // each row is left as the zeros `pixels` starts with.
        with_alignment(gl, alignment, || unsafe {
            gl.GetTextureSubImage(
                texture.name,
                gl_int(level),
                0,
                0,
                z,
                w,
                h,
                d,
                format,
                ty,
                gl_len,
                pixels.as_mut_ptr().cast(),
            );
        });
        Ok(pixels)
    }

    /// ModernGL's build_mipmaps: base and max level, glGenerateMipmap, then the filter
    /// LINEAR_MIPMAP_LINEAR / LINEAR.
    pub(super) fn build_mipmaps(
        &self,
        gl: &Gl,
        texture: TextureId,
        base: u32,
        max_level: u32,
    ) -> Result<(), Fault> {
        let name = self.get(texture)?.name;
        // SAFETY: a live, single-sample color texture whose level `base` holds an image
        // (validated); the levels fit GLint (validated).
        unsafe {
            gl.TextureParameteri(name, gl::TEXTURE_BASE_LEVEL, gl_int(base));
            gl.TextureParameteri(name, gl::TEXTURE_MAX_LEVEL, gl_int(max_level));
            gl.GenerateTextureMipmap(name);
            gl.TextureParameteri(
                name,
                gl::TEXTURE_MIN_FILTER,
                gl::LINEAR_MIPMAP_LINEAR as GLint,
            );
            gl.TextureParameteri(name, gl::TEXTURE_MAG_FILTER, gl::LINEAR as GLint);
        }
        Ok(())
    }

    /// Sets one property, with ModernGL's calls.
    pub(super) fn set_parameter(
        &self,
        gl: &Gl,
        texture: TextureId,
        parameter: &TextureParameter,
        max_anisotropy: f32,
    ) -> Result<(), Fault> {
        let name = self.get(texture)?.name;
        for (pname, value) in gl_enum::texture_parameter(parameter, max_anisotropy) {
            // SAFETY: a live texture that has this property (validated), valid enums.
            unsafe {
                match value {
                    ParameterValue::Int(value) => gl.TextureParameteri(name, pname, value),
                    ParameterValue::Float(value) => gl.TextureParameterf(name, pname, value),
                    ParameterValue::Color(color) => {
                        gl.TextureParameterfv(name, pname, color.as_ptr());
                    }
                }
            }
        }
        Ok(())
    }

    /// Deletes a texture's name; returns it (GL unbinds it from every unit). GL keeps its
    /// storage while framebuffers hold it attached, as long as none of them is bound at
    /// this moment (the caller sees to it): GL detaches a deleted texture from the bound
    /// framebuffers only.
    pub(super) fn release(&mut self, gl: &Gl, texture: TextureId) -> Result<GLuint, Fault> {
        self.get(texture)?;
        let name = match self.textures.get_mut(texture.index()) {
            Some(t) => std::mem::replace(&mut t.name, 0),
            None => 0,
        };
        // SAFETY: a live texture of this context.
        unsafe { gl.DeleteTextures(1, &name) };
        Ok(name)
    }

    /// Deletes every live texture.
    pub(super) fn delete_all(&mut self, gl: &Gl) {
        for texture in self.textures.drain(..).filter(|t| t.name != 0) {
            // SAFETY: a live texture of this context.
            unsafe { gl.DeleteTextures(1, &texture.name) };
        }
    }
}

impl GlTexture {
    /// The parameters ModernGL sets at creation: linear filtering for float dtypes (f1, f2,
    /// f4: depth textures too), nearest for the others; depth textures compare with `<=`.
    fn set_defaults(&self, gl: &Gl) {
        let float = matches!(
            self.desc.dtype,
            PixelType::F1 | PixelType::F2 | PixelType::F4
        );
        let filter = match float {
            true => gl::LINEAR,
            false => gl::NEAREST,
        } as GLint;
        // SAFETY: a live single-sample texture; valid enums.
        unsafe {
            gl.TextureParameteri(self.name, gl::TEXTURE_MIN_FILTER, filter);
            gl.TextureParameteri(self.name, gl::TEXTURE_MAG_FILTER, filter);
            if self.desc.depth {
                let compare = gl::COMPARE_REF_TO_TEXTURE as GLint;
                gl.TextureParameteri(self.name, gl::TEXTURE_COMPARE_MODE, compare);
                gl.TextureParameteri(self.name, gl::TEXTURE_COMPARE_FUNC, gl::LEQUAL as GLint);
            }
        }
    }
}
