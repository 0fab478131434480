//! Descriptors kept in side tables beside the command list: data too wide or too variable
//! for the 32-byte [`Command`](super::Command), referenced from it by a `u32` index.

use super::draw::Draw;
use crate::ids::{
    BufferId, FramebufferId, ProgramId, QueryId, ReadbackId, RenderbufferId, SamplerId, TextureId,
    VertexArrayId,
};
use crate::vertex_format::{ScalarKind, VertexFormat};
use smallvec::SmallVec;

/// A buffer-to-buffer copy (glCopyBufferSubData).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BufferCopy {
    /// The buffer written.
    pub dst: BufferId,
    /// The buffer read.
    pub src: BufferId,
    /// Number of bytes copied.
    pub size: u64,
    /// Byte offset in `src`.
    pub read_offset: u64,
    /// Byte offset in `dst`.
    pub write_offset: u64,
}

/// Where `count` equal chunks lie in a buffer: chunk `i` starts at byte `start + i * step`
/// (ModernGL's `read_chunks` and `write_chunks`; `step` may be negative, and is at least a
/// chunk long either way, so chunks never overlap).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Chunks {
    /// Byte offset of the first chunk.
    pub start: u64,
    /// Bytes from the start of one chunk to the start of the next.
    pub step: i64,
    /// Number of chunks, at least 1.
    pub count: u64,
}

impl Chunks {
    /// The byte offset of chunk `i`, for a layout validation has checked against its buffer
    /// (every chunk lies inside it, so the offset is within `0..=i64::MAX`).
    pub(crate) fn offset(&self, i: u64) -> u64 {
        let offset = i128::from(self.start) + i128::from(i) * i128::from(self.step);
        u64::try_from(offset).unwrap_or(0)
    }
}

/// How transform feedback lays out several varyings (ModernGL: `varyings` with
/// `fragment_outputs` unset, and the interleaved / separate attribute mode).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum VaryingsMode {
    /// All varyings, one after the other, into one output buffer.
    #[default]
    Interleaved,
    /// Each varying into its own output buffer.
    Separate,
}

/// The sources of a program, compiled and linked at replay.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ProgramDesc {
    /// GLSL of the vertex stage (required).
    pub vertex_shader: String,
    /// GLSL of the fragment stage.
    pub fragment_shader: Option<String>,
    /// GLSL of the geometry stage.
    pub geometry_shader: Option<String>,
    /// Outputs captured by transform feedback, in buffer order.
    pub varyings: Vec<String>,
    /// How the varyings are laid out.
    pub varyings_mode: VaryingsMode,
}

impl ProgramDesc {
    /// A program with only a vertex shader (add stages and varyings with the methods below).
    pub fn new(vertex_shader: &str) -> Self {
        ProgramDesc {
            vertex_shader: vertex_shader.to_owned(),
            ..ProgramDesc::default()
        }
    }

    /// Adds a fragment shader.
    pub fn fragment(mut self, source: &str) -> Self {
        self.fragment_shader = Some(source.to_owned());
        self
    }

    /// Adds a geometry shader.
    pub fn geometry(mut self, source: &str) -> Self {
        self.geometry_shader = Some(source.to_owned());
        self
    }

    /// Captures `names` with transform feedback, laid out as `mode` says.
    pub fn varyings(mut self, names: &[&str], mode: VaryingsMode) -> Self {
        self.varyings = names.iter().map(|n| (*n).to_owned()).collect();
        self.varyings_mode = mode;
        self
    }
}

/// One `(buffer, "format", [names])` entry of a vertex array.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct VertexBinding {
    /// The buffer the attributes are read from.
    pub buffer: BufferId,
    /// Its parsed format.
    pub format: VertexFormat,
    /// One attribute name per non-padding field of `format`.
    pub attributes: SmallVec<[String; 4]>,
}

/// The index buffer of a vertex array.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct IndexBuffer {
    /// The buffer holding the indices.
    pub buffer: BufferId,
    /// Bytes per index: 1, 2 or 4.
    pub element_size: u8,
}

/// A vertex array (ModernGL: `ctx.vertex_array(program, content, index_buffer)`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct VertexArrayDesc {
    /// The program whose attributes the bindings feed.
    pub program: ProgramId,
    /// The vertex buffers and their formats.
    pub bindings: SmallVec<[VertexBinding; 2]>,
    /// The index buffer, for indexed draws.
    pub index: Option<IndexBuffer>,
    /// ModernGL's `skip_errors`: an attribute name the linked program lacks (or optimised
    /// away) is skipped instead of being a replay error.
    pub skip_errors: bool,
}

/// A transform-feedback draw (ModernGL: `vao.transform(buffer, mode, vertices, first,
/// instances, buffer_offset)`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TransformDesc {
    /// The vertex array drawn.
    pub vertex_array: VertexArrayId,
    /// One buffer (interleaved varyings) or one per varying (separate).
    pub outputs: SmallVec<[BufferId; 4]>,
    /// What is drawn.
    pub draw: Draw,
    /// Byte offset of the first output in every output buffer.
    pub buffer_offset: u64,
}

/// The pixel format of a color attachment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColorFormat {
    /// Four normalized unsigned bytes (GL_RGBA8).
    Rgba8,
    /// Four 32-bit floats (GL_RGBA32F).
    Rgba32F,
}

impl ColorFormat {
    /// The dtype of its components: a renderbuffer of 4 components of it has this format.
    pub fn dtype(self) -> PixelType {
        match self {
            ColorFormat::Rgba8 => PixelType::F1,
            ColorFormat::Rgba32F => PixelType::F4,
        }
    }
}

/// An offscreen framebuffer (ModernGL: `ctx.framebuffer(color_attachments, depth_attachment)`
/// over renderbuffers of one size).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FramebufferDesc {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Color attachments, in attachment order.
    pub color: SmallVec<[ColorFormat; 4]>,
    /// Whether a 24-bit depth attachment is added.
    pub depth: bool,
}

/// One attachment of a framebuffer made by
/// [`Recorder::framebuffer_from`](crate::Recorder::framebuffer_from): what ModernGL's
/// `color_attachments` entries and `depth_attachment` name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Attachment {
    /// A whole renderbuffer (ModernGL: a `Renderbuffer`).
    Renderbuffer(RenderbufferId),
    /// An image of a texture: level `level` (one that holds an image) and, with `layer`,
    /// one layer of an array, one slice of a 3D texture's level or one face of a cube map
    /// (0 to 5: +X, -X, +Y, -Y, +Z, -Z). Without `layer` the whole level: a 2D texture's
    /// image (multisample and depth textures included), or every layer, slice or face,
    /// attached layered (a geometry shader picks the layer a primitive goes to with
    /// `gl_Layer`; without one draws go to layer 0; clears clear every layer; reads and
    /// copies read layer 0).
    ///
    /// ModernGL attaches level 0 of a `Texture` and every layer of a `TextureArray`
    /// (`From<TextureId>` gives that: level 0, no layer); levels, single layers and 3D and
    /// cube textures are gltape's own, as GL allows them.
    Texture {
        /// The texture.
        #[serde(rename = "id")]
        texture: TextureId,
        /// The mipmap level (ModernGL: 0).
        level: u32,
        /// One layer, slice or face, or None for all of them (ModernGL: None).
        layer: Option<u32>,
    },
}

impl From<RenderbufferId> for Attachment {
    fn from(renderbuffer: RenderbufferId) -> Self {
        Attachment::Renderbuffer(renderbuffer)
    }
}

/// Level 0 of the texture, every layer (as ModernGL attaches a texture or a texture array).
impl From<TextureId> for Attachment {
    fn from(texture: TextureId) -> Self {
        Attachment::Texture {
            texture,
            level: 0,
            layer: None,
        }
    }
}

impl std::fmt::Display for Attachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Attachment::Renderbuffer(renderbuffer) => renderbuffer.fmt(f),
            Attachment::Texture {
                texture,
                level,
                layer: None,
            } => write!(f, "level {level} of {texture}"),
            Attachment::Texture {
                texture,
                level,
                layer: Some(layer),
            } => write!(f, "layer {layer} of level {level} of {texture}"),
        }
    }
}

/// A framebuffer over existing images (ModernGL: `ctx.framebuffer(color_attachments,
/// depth_attachment)`): every attachment of one size and one sample count. Its draw
/// buffers are the color attachments in order.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FramebufferAttachments {
    /// Color attachments, in attachment order (0 to 8).
    pub color: SmallVec<[Attachment; 4]>,
    /// The depth attachment.
    pub depth: Option<Attachment>,
}

/// A pixel rectangle: `(x, y)` is its lower-left corner, as in GL. Written (in text and in
/// traces) as `[x, y, width, height]`, as ModernGL writes viewports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(from = "RectFields", into = "RectFields")]
pub struct Rect {
    /// Left edge.
    pub x: i32,
    /// Bottom edge.
    pub y: i32,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// A rectangle's fields in order: how it is written.
type RectFields = (i32, i32, u32, u32);

impl From<RectFields> for Rect {
    fn from((x, y, width, height): RectFields) -> Self {
        Rect::new(x, y, width, height)
    }
}

impl From<Rect> for RectFields {
    fn from(rect: Rect) -> Self {
        (rect.x, rect.y, rect.width, rect.height)
    }
}

impl Rect {
    /// A rectangle at `(x, y)` of `width` by `height` pixels.
    pub fn new(x: i32, y: i32, width: u32, height: u32) -> Self {
        Rect {
            x,
            y,
            width,
            height,
        }
    }

    /// True when the rectangle lies inside a `width` by `height` surface.
    pub fn fits_in(self, width: u32, height: u32) -> bool {
        let end = |start: i32, len: u32| i64::from(start) + i64::from(len);
        self.x >= 0
            && self.y >= 0
            && end(self.x, self.width) <= i64::from(width)
            && end(self.y, self.height) <= i64::from(height)
    }
}

/// A framebuffer clear (ModernGL: `fbo.clear(red, green, blue, alpha, depth, viewport)`).
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ClearDesc {
    /// The framebuffer cleared.
    pub framebuffer: FramebufferId,
    /// RGBA written to every color attachment.
    pub color: [f32; 4],
    /// Depth written to the depth attachment.
    pub depth: f32,
    /// Only this rectangle (scissored), or the whole framebuffer.
    pub viewport: Option<Rect>,
}

/// The component type of pixels (ModernGL's `dtype`): what texture and renderbuffer storage
/// holds and what pixel writes and reads carry, one to four components per pixel.
///
/// `F*` are float-sampled (`f1` normalized unsigned bytes, `f2` half floats, `f4` floats),
/// `U*` and `I*` unsigned and signed integers (integer-sampled), `NU*` and `NI*` normalized
/// 8 and 16-bit integers (float-sampled), each with its GL internal format as ModernGL picks
/// it (`f1`: R8..RGBA8, `u2`: R16UI..RGBA16UI, `nu2`: R16..RGBA16, ...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PixelType {
    /// One unsigned byte per component, normalized ("f1").
    F1,
    /// One 32-bit float per component ("f4").
    F4,
    /// One 16-bit float per component ("f2").
    F2,
    /// One unsigned byte per component ("u1").
    U1,
    /// One unsigned 16-bit integer per component ("u2").
    U2,
    /// One unsigned 32-bit integer per component ("u4").
    U4,
    /// One signed byte per component ("i1").
    I1,
    /// One signed 16-bit integer per component ("i2").
    I2,
    /// One signed 32-bit integer per component ("i4").
    I4,
    /// One unsigned byte per component, normalized, stored as GL_R8.. ("nu1").
    Nu1,
    /// One unsigned 16-bit integer per component, normalized ("nu2").
    Nu2,
    /// One signed byte per component, normalized on transfer, stored as GL_R8.. ("ni1").
    Ni1,
    /// One signed 16-bit integer per component, normalized on transfer, stored as GL_R16..
    /// ("ni2").
    Ni2,
}

impl PixelType {
    /// Every dtype, in definition order.
    pub const ALL: [PixelType; 13] = [
        PixelType::F1,
        PixelType::F4,
        PixelType::F2,
        PixelType::U1,
        PixelType::U2,
        PixelType::U4,
        PixelType::I1,
        PixelType::I2,
        PixelType::I4,
        PixelType::Nu1,
        PixelType::Nu2,
        PixelType::Ni1,
        PixelType::Ni2,
    ];

    /// Bytes per component.
    pub fn size(self) -> u64 {
        match self {
            PixelType::F1 | PixelType::U1 | PixelType::I1 | PixelType::Nu1 | PixelType::Ni1 => 1,
            PixelType::F2 | PixelType::U2 | PixelType::I2 | PixelType::Nu2 | PixelType::Ni2 => 2,
            PixelType::F4 | PixelType::U4 | PixelType::I4 => 4,
        }
    }

    /// Whether storage of this type holds integers that shaders read unconverted (`u*`,
    /// `i*`), which GL transfers only with the `*_INTEGER` pixel formats.
    pub fn is_integer(self) -> bool {
        matches!(
            self,
            PixelType::U1
                | PixelType::U2
                | PixelType::U4
                | PixelType::I1
                | PixelType::I2
                | PixelType::I4
        )
    }

    /// ModernGL's name for it ("f1", "nu2", ...).
    pub fn name(self) -> &'static str {
        match self {
            PixelType::F1 => "f1",
            PixelType::F4 => "f4",
            PixelType::F2 => "f2",
            PixelType::U1 => "u1",
            PixelType::U2 => "u2",
            PixelType::U4 => "u4",
            PixelType::I1 => "i1",
            PixelType::I2 => "i2",
            PixelType::I4 => "i4",
            PixelType::Nu1 => "nu1",
            PixelType::Nu2 => "nu2",
            PixelType::Ni1 => "ni1",
            PixelType::Ni2 => "ni2",
        }
    }
}

impl PixelType {
    /// What storage of this dtype holds as GL transfers and shaders see it: floats (`f*`,
    /// `nu*`, `ni*`), signed (`i*`) or unsigned (`u*`) integers. A copy between two color
    /// attachments, a fragment output and its attachment, and a pixel read and its
    /// attachment (integer or not) must agree on it.
    pub fn scalar_kind(self) -> ScalarKind {
        match self {
            PixelType::U1 | PixelType::U2 | PixelType::U4 => ScalarKind::Uint,
            PixelType::I1 | PixelType::I2 | PixelType::I4 => ScalarKind::Int,
            _ => ScalarKind::Float,
        }
    }
}

/// A pixel read into a readback (ModernGL: `fbo.read(viewport, components, attachment,
/// dtype)`), rows bottom to top, tightly packed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PixelRead {
    /// The framebuffer read.
    pub framebuffer: FramebufferId,
    /// Where the pixels go.
    pub readback: ReadbackId,
    /// The rectangle read, or the whole framebuffer.
    pub viewport: Option<Rect>,
    /// Components per pixel, 1 (R) to 4 (RGBA).
    pub components: u8,
    /// Component type.
    pub dtype: PixelType,
    /// The color attachment read.
    pub attachment: u8,
}

/// A read of the depth attachment into a readback (ModernGL: `fbo.read(viewport,
/// attachment=-1, dtype)`): one component per pixel, rows bottom to top, tightly packed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DepthRead {
    /// The framebuffer read.
    pub framebuffer: FramebufferId,
    /// Where the pixels go.
    pub readback: ReadbackId,
    /// The rectangle read, or the whole framebuffer.
    pub viewport: Option<Rect>,
    /// Component type: depths in 0..=1 as floats (`f2`, `f4`) or as normalized integers of
    /// the dtype's size (any other dtype).
    pub dtype: PixelType,
}

/// Where [`Recorder::copy_framebuffer`](crate::Recorder::copy_framebuffer) writes
/// (ModernGL: `ctx.copy_framebuffer(dst, src)`'s `dst`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CopyTarget {
    /// A framebuffer (or the screen): color attachment `i` of the source is copied into
    /// color attachment `i`, and depth into depth.
    Framebuffer(FramebufferId),
    /// Level 0 of a 2D texture of 8-bit normalized storage: the source's color attachment 0
    /// is copied into all of it, from the lower-left corner.
    Texture(TextureId),
}

impl From<FramebufferId> for CopyTarget {
    fn from(framebuffer: FramebufferId) -> Self {
        CopyTarget::Framebuffer(framebuffer)
    }
}

impl From<TextureId> for CopyTarget {
    fn from(texture: TextureId) -> Self {
        CopyTarget::Texture(texture)
    }
}

impl std::fmt::Display for CopyTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CopyTarget::Framebuffer(framebuffer) => framebuffer.fmt(f),
            CopyTarget::Texture(texture) => texture.fmt(f),
        }
    }
}

/// Any object a list can create, for [`Recorder::release`](crate::Recorder::release).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Object {
    /// A buffer.
    Buffer(BufferId),
    /// A program.
    Program(ProgramId),
    /// A vertex array.
    VertexArray(VertexArrayId),
    /// A framebuffer (never [`FramebufferId::SCREEN`]).
    Framebuffer(FramebufferId),
    /// A texture.
    Texture(TextureId),
    /// A sampler.
    Sampler(SamplerId),
    /// A renderbuffer; framebuffers it is attached to keep it until they are released.
    Renderbuffer(RenderbufferId),
    /// A query that is not running (gltape's own: ModernGL's queries have no release).
    Query(QueryId),
}

macro_rules! object_from {
    ($($id:ident => $variant:ident),*) => {
        $(impl From<$id> for Object {
            fn from(id: $id) -> Self {
                Object::$variant(id)
            }
        })*
    };
}
object_from!(
    BufferId => Buffer,
    ProgramId => Program,
    VertexArrayId => VertexArray,
    FramebufferId => Framebuffer,
    TextureId => Texture,
    SamplerId => Sampler,
    RenderbufferId => Renderbuffer,
    QueryId => Query
);

impl std::fmt::Display for Object {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Object::Buffer(id) => id.fmt(f),
            Object::Program(id) => id.fmt(f),
            Object::VertexArray(id) => id.fmt(f),
            Object::Framebuffer(id) => id.fmt(f),
            Object::Texture(id) => id.fmt(f),
            Object::Sampler(id) => id.fmt(f),
            Object::Renderbuffer(id) => id.fmt(f),
            Object::Query(id) => id.fmt(f),
        }
    }
}
