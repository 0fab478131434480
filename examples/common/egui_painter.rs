//! gltape's egui painter (issue 13): paints what egui hands a backend each frame (clipped,
//! tessellated meshes and texture deltas) by recording calls into a [`Recorder`], which a
//! renderer then runs. It needs no GL itself, and does what `egui_glow` 0.37 does on GL
//! (`examples/common/egui_scene.rs` lists it), with shaders of its own:
//!
//! - **Shaders** (GLSL 4.50, [`VERTEX_SHADER`], [`FRAGMENT_SHADER`]): positions in points
//!   mapped to clip space by the screen size in points (`u_screen_size`), y down; the vertex
//!   colour (premultiplied sRGBA bytes, fed as floats 0..255 by the `4u1` field and divided
//!   by 255 in the shader) times the texel, all in gamma space: no sRGB decode or encode,
//!   no dithering.
//! - **Textures**: one gltape texture per egui `TextureId`, RGBA8, rows as egui gives them
//!   (egui's first row is GL's row 0, which uv `v = 0` samples, as with egui_glow). A whole
//!   image (`pos: None`) of the texture's size is written over it; of another size the
//!   texture is released and created again; a partial one (`pos: Some`) is written into its
//!   region. Mipmaps are built when the options ask, then the filters and wrap modes of the
//!   options are set, on every delta as egui_glow does. Freed textures are released after
//!   painting.
//! - **Meshes**: two dynamic buffers (vertices as `epaint::Vertex`, `2f 2f 4u1`; indices as
//!   `u32`) and one vertex array over them, reused by every mesh: each mesh orphans them to
//!   its sizes and writes them whole, binds its texture on unit 0 and draws its triangles.
//!   Meshes without indices or with a texture the painter does not know (egui_glow skips
//!   those too) are skipped.
//! - **State**, once per frame: the target framebuffer in use with its whole viewport and
//!   colour mask, blending alone enabled (no depth test, no culling) with premultiplied-alpha
//!   factors `One, OneMinusSrcAlpha` for colour and `OneMinusDstAlpha, One` for alpha and
//!   `FuncAdd`; per clipped primitive the target's scissor set to the clip rectangle
//!   ([`scissor_rect`], egui_glow's rounding); the scissor turned off after the frame.

use egui::epaint::{ImageDelta, Mesh, Primitive, Vertex};
use egui::{ClippedPrimitive, TextureFilter, TextureOptions, TextureWrapMode, TexturesDelta};
use gltape::{
    BlendEquation, BlendFactor, BufferId, Capability, Draw, FramebufferId, MagFilter, MinFilter,
    Mode, ProgramDesc, ProgramId, Recorder, Rect, TextureDesc, TextureId, TextureParameter,
    TextureRegion, TextureWrite, ValidationError, VertexArrayId,
};
use std::collections::HashMap;

/// The vertex shader: egui_glow's, in GLSL 4.50.
pub const VERTEX_SHADER: &str = "#version 450 core
uniform vec2 u_screen_size;
in vec2 a_pos;
in vec4 a_srgba; // premultiplied sRGBA, 0 to 255
in vec2 a_tc;
out vec4 v_rgba_in_gamma;
out vec2 v_tc;
void main() {
    gl_Position = vec4(
        2.0 * a_pos.x / u_screen_size.x - 1.0,
        1.0 - 2.0 * a_pos.y / u_screen_size.y,
        0.0,
        1.0);
    v_rgba_in_gamma = a_srgba / 255.0;
    v_tc = a_tc;
}
";

/// The fragment shader: the vertex colour times the texel, in gamma space.
pub const FRAGMENT_SHADER: &str = "#version 450 core
uniform sampler2D u_sampler;
in vec4 v_rgba_in_gamma;
in vec2 v_tc;
layout(location = 0) out vec4 f_color;
void main() {
    f_color = v_rgba_in_gamma * texture(u_sampler, v_tc);
}
";

/// `epaint::Vertex` as a ModernGL format: `pos` and `uv` as floats, the colour as four
/// unsigned bytes that a `vec4` input receives unnormalized (0 to 255).
const VERTEX_FORMAT: &str = "2f 2f 4u1";

/// The vertex shader's inputs, in the format's order.
const VERTEX_INPUTS: [&str; 3] = ["a_pos", "a_tc", "a_srgba"];

/// What the painter cannot paint, or a call gltape refused.
#[derive(Debug, thiserror::Error)]
pub enum PaintError {
    /// gltape refused a recorded call (the frame is then recorded in part).
    #[error(transparent)]
    Record(#[from] ValidationError),
    /// A texture asks for mirrored repeat, which gltape's textures do not have (ModernGL's
    /// `repeat_x` and `repeat_y` are repeat or clamp to edge).
    #[error("texture {0:?} asks for mirrored repeat, which gltape has not")]
    MirroredRepeat(egui::TextureId),
    /// A partial update of a texture that was never set whole.
    #[error("texture {0:?} is updated in part but was never set whole")]
    UnknownTexture(egui::TextureId),
    /// An image size or position that does not fit gltape's 32-bit texel counts.
    #[error("texture {id:?}: {a} x {b} texels do not fit in 32 bits")]
    TooLarge {
        /// The texture.
        id: egui::TextureId,
        /// Width, or x.
        a: usize,
        /// Height, or y.
        b: usize,
    },
    /// A paint callback: this painter paints meshes only.
    #[error("a paint callback (this painter paints meshes only)")]
    Callback,
}

/// A texture the painter made for an egui texture.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Texture {
    id: TextureId,
    size: [u32; 2],
}

/// egui's painter through gltape: the program, the two streamed buffers and their vertex
/// array, and the textures egui asked for. Every method records into the recorder it is
/// given, which must be the one (the session) that [`EguiPainter::new`] recorded into.
#[derive(Debug)]
pub struct EguiPainter {
    program: ProgramId,
    vertices: BufferId,
    indices: BufferId,
    vertex_array: VertexArrayId,
    textures: HashMap<egui::TextureId, Texture>,
}

impl EguiPainter {
    /// Records the painter's program, buffers and vertex array.
    pub fn new(rec: &mut Recorder) -> Result<EguiPainter, ValidationError> {
        let program = rec.program(ProgramDesc::new(VERTEX_SHADER).fragment(FRAGMENT_SHADER))?;
        // One vertex and one index to begin with: every mesh orphans them to its size.
        let vertices = rec.buffer_reserve(size_of::<Vertex>() as u64, true)?;
        let indices = rec.buffer_reserve(size_of::<u32>() as u64, true)?;
        let vertex_array = rec.vertex_array(
            program,
            &[(vertices, VERTEX_FORMAT, &VERTEX_INPUTS)],
            Some((indices, 4)),
        )?;
        rec.uniform(program, "u_sampler", 0i32)?;
        Ok(EguiPainter {
            program,
            vertices,
            indices,
            vertex_array,
            textures: HashMap::new(),
        })
    }

    /// Paints one frame into `target` (a framebuffer of `screen_size_px`, cleared by the
    /// caller, e.g. with [`clear`]), as `egui_glow::Painter::paint_and_update_textures`
    /// does: the texture deltas first (textures in id order, each one's deltas in egui's
    /// order), then the primitives, then the textures freed. `textures_delta` is left empty.
    ///
    /// What the painter cannot do (mirrored repeat, a partial update of an unknown texture,
    /// sizes beyond 32 bits, a paint callback) is found before anything is recorded; a call
    /// gltape refuses (a texture beyond GL 4.5's guaranteed 16384 texels, a write outside
    /// its texture) stops the frame where it is.
    pub fn paint_and_update_textures(
        &mut self,
        rec: &mut Recorder,
        target: FramebufferId,
        screen_size_px: [u32; 2],
        pixels_per_point: f32,
        primitives: &[ClippedPrimitive],
        textures_delta: &mut TexturesDelta,
    ) -> Result<(), PaintError> {
        // Taken whole, as egui_glow drains it: egui panics on a delta dropped unapplied.
        let (set, free) = (
            std::mem::take(&mut textures_delta.set),
            std::mem::take(&mut textures_delta.free),
        );
        let mut set: Vec<(egui::TextureId, &[ImageDelta])> =
            set.iter().map(|(id, deltas)| (*id, &deltas[..])).collect();
        set.sort_unstable_by_key(|(id, _)| *id);
        self.check(&set, primitives)?;
        for (id, deltas) in set {
            for delta in deltas {
                self.set_texture(rec, id, delta)?;
            }
        }
        self.paint_primitives(rec, target, screen_size_px, pixels_per_point, primitives)?;
        let mut free: Vec<_> = free.into_iter().collect();
        free.sort_unstable();
        for id in free {
            self.free_texture(rec, id)?;
        }
        Ok(())
    }

    /// Every texture the painter holds, by egui id in order.
    pub fn textures(&self) -> Vec<(egui::TextureId, TextureId)> {
        let mut textures: Vec<_> = self.textures.iter().map(|(id, t)| (*id, t.id)).collect();
        textures.sort_unstable();
        textures
    }

    /// Refuses, before anything is recorded, a frame asking for what the painter cannot do.
    fn check(
        &self,
        set: &[(egui::TextureId, &[ImageDelta])],
        primitives: &[ClippedPrimitive],
    ) -> Result<(), PaintError> {
        for &(id, deltas) in set {
            if deltas.first().is_some_and(|delta| delta.pos.is_some())
                && !self.textures.contains_key(&id)
            {
                return Err(PaintError::UnknownTexture(id));
            }
            for delta in deltas {
                if delta.options.wrap_mode == TextureWrapMode::MirroredRepeat {
                    return Err(PaintError::MirroredRepeat(id));
                }
                texels(id, delta.image.size())?;
                delta.pos.map(|pos| texels(id, pos)).transpose()?;
            }
        }
        if primitives
            .iter()
            .any(|p| matches!(p.primitive, Primitive::Callback(_)))
        {
            return Err(PaintError::Callback);
        }
        Ok(())
    }

    /// Applies one texture delta (egui_glow's `set_texture`).
    fn set_texture(
        &mut self,
        rec: &mut Recorder,
        id: egui::TextureId,
        delta: &ImageDelta,
    ) -> Result<(), PaintError> {
        let egui::ImageData::Color(image) = &delta.image;
        let size = texels(id, image.size)?;
        let [width, height] = size;
        let data = image.as_raw();
        let texture = match (delta.pos, self.textures.get(&id).copied()) {
            (Some([x, y]), Some(texture)) => {
                let [x, y] = texels(id, [x, y])?;
                let region = TextureRegion::rect(x, y, width, height);
                rec.write_texture(TextureWrite::new(texture.id).viewport(region), data)?;
                texture
            }
            (Some(_), None) => return Err(PaintError::UnknownTexture(id)),
            (None, Some(texture)) if texture.size == size => {
                rec.write_texture(TextureWrite::new(texture.id), data)?;
                texture
            }
            (None, old) => {
                if let Some(old) = old {
                    rec.release(old.id)?;
                }
                let texture = Texture {
                    id: rec.texture(TextureDesc::texture(width, height, 4), Some(data))?,
                    size,
                };
                self.textures.insert(id, texture);
                texture
            }
        };
        let options = delta.options;
        if options.mipmap_mode.is_some() {
            // ModernGL's build_mipmaps also sets a mipmap filter: the options' are set after.
            rec.build_mipmaps(texture.id, 0, 1000)?;
        }
        for parameter in parameters(options) {
            rec.texture_parameter(texture.id, parameter)?;
        }
        Ok(())
    }

    /// Releases the texture of `id`, if the painter holds one.
    fn free_texture(&mut self, rec: &mut Recorder, id: egui::TextureId) -> Result<(), PaintError> {
        if let Some(texture) = self.textures.remove(&id) {
            rec.release(texture.id)?;
        }
        Ok(())
    }

    /// Sets the frame's state, then paints each primitive in its clip rectangle (egui_glow's
    /// `paint_primitives`).
    fn paint_primitives(
        &mut self,
        rec: &mut Recorder,
        target: FramebufferId,
        [width, height]: [u32; 2],
        pixels_per_point: f32,
        primitives: &[ClippedPrimitive],
    ) -> Result<(), PaintError> {
        rec.use_framebuffer(target)?;
        rec.viewport(target, Rect::new(0, 0, width, height))?;
        rec.color_mask(target, 0, [true; 4])?;
        rec.enable_only([Capability::Blend]);
        rec.blend_equation(BlendEquation::FuncAdd);
        rec.blend_func_separate(
            BlendFactor::One,
            BlendFactor::OneMinusSrcAlpha,
            BlendFactor::OneMinusDstAlpha,
            BlendFactor::One,
        );
        let points = [
            width as f32 / pixels_per_point,
            height as f32 / pixels_per_point,
        ];
        rec.uniform(self.program, "u_screen_size", points)?;
        for primitive in primitives {
            let rect = scissor_rect(primitive.clip_rect, pixels_per_point, [width, height]);
            rec.scissor(target, Some(rect))?;
            if let Primitive::Mesh(mesh) = &primitive.primitive {
                self.paint_mesh(rec, mesh)?;
            }
        }
        rec.scissor(target, None)?;
        Ok(())
    }

    /// Streams a mesh into the two buffers and draws it with its texture on unit 0.
    fn paint_mesh(&mut self, rec: &mut Recorder, mesh: &Mesh) -> Result<(), PaintError> {
        let Some(texture) = self.textures.get(&mesh.texture_id) else {
            return Ok(());
        };
        if mesh.indices.is_empty() {
            return Ok(());
        }
        let vertices: &[u8] = bytemuck::cast_slice(&mesh.vertices);
        let indices: &[u8] = bytemuck::cast_slice(&mesh.indices);
        rec.orphan(self.vertices, Some(vertices.len() as u64))?;
        rec.write(self.vertices, 0, vertices)?;
        rec.orphan(self.indices, Some(indices.len() as u64))?;
        rec.write(self.indices, 0, indices)?;
        rec.use_texture(texture.id, 0)?;
        // Without a count a draw takes the index buffer's: the mesh's, as just written.
        rec.render(self.vertex_array, Draw::new(Mode::Triangles))?;
        Ok(())
    }
}

/// Clears `target` whole to `color` (RGBA, 0 to 1), as `egui_glow::painter::clear` clears
/// the bound framebuffer: the painter leaves the target's scissor off after each frame.
pub fn clear(
    rec: &mut Recorder,
    target: FramebufferId,
    color: [f32; 4],
) -> Result<(), ValidationError> {
    rec.scissor(target, None)?;
    rec.clear_framebuffer(target, color, 1.0, None)
}

/// The scissor rectangle (GL's, y up) of `clip` (points, y down) on a screen of `[width,
/// height]` pixels, rounded as egui_glow rounds it: each edge scaled by `pixels_per_point`
/// and rounded half away from zero, `min` clamped to the screen and `max` to `[min,
/// screen]`.
pub fn scissor_rect(clip: egui::Rect, pixels_per_point: f32, [width, height]: [u32; 2]) -> Rect {
    let (width, height) = (width as i32, height as i32);
    let edge = |points: f32| (points * pixels_per_point).round() as i32;
    let min_x = edge(clip.min.x).clamp(0, width);
    let min_y = edge(clip.min.y).clamp(0, height);
    let max_x = edge(clip.max.x).clamp(min_x, width);
    let max_y = edge(clip.max.y).clamp(min_y, height);
    Rect::new(
        min_x,
        height - max_y,
        (max_x - min_x) as u32,
        (max_y - min_y) as u32,
    )
}

/// `[x, y]` or `[width, height]` of texture `id` in gltape's `u32`.
fn texels(id: egui::TextureId, [a, b]: [usize; 2]) -> Result<[u32; 2], PaintError> {
    match (u32::try_from(a), u32::try_from(b)) {
        (Ok(a), Ok(b)) => Ok([a, b]),
        _ => Err(PaintError::TooLarge { id, a, b }),
    }
}

/// The texture properties of `options`, as egui_glow sets them: the filters (a mipmap
/// minification filter when `mipmap_mode` is set) and the wrap mode on both axes.
fn parameters(options: TextureOptions) -> [TextureParameter; 3] {
    let mag = match options.magnification {
        TextureFilter::Nearest => MagFilter::Nearest,
        TextureFilter::Linear => MagFilter::Linear,
    };
    let min = match (options.minification, options.mipmap_mode) {
        (TextureFilter::Nearest, None) => MinFilter::Nearest,
        (TextureFilter::Linear, None) => MinFilter::Linear,
        (TextureFilter::Nearest, Some(TextureFilter::Nearest)) => MinFilter::NearestMipmapNearest,
        (TextureFilter::Linear, Some(TextureFilter::Nearest)) => MinFilter::LinearMipmapNearest,
        (TextureFilter::Nearest, Some(TextureFilter::Linear)) => MinFilter::NearestMipmapLinear,
        (TextureFilter::Linear, Some(TextureFilter::Linear)) => MinFilter::LinearMipmapLinear,
    };
    // Mirrored repeat was refused before anything was recorded.
    let repeat = options.wrap_mode == TextureWrapMode::Repeat;
    [
        TextureParameter::Filter(min, mag),
        TextureParameter::RepeatX(repeat),
        TextureParameter::RepeatY(repeat),
    ]
}
