//! What can be wrong with one call or one command.

use crate::command::{Attachment, BlockKind, CopyTarget, Float, Mode, Object, TextureRegion};
use crate::ids::{BufferId, FramebufferId, ProgramId, QueryId, TextureId, VertexArrayId};
use crate::vertex_format::FormatError;
use std::fmt;

/// The largest buffer size or offset that fits GL's `GLsizeiptr`.
pub(crate) const MAX_GL_SIZE: u64 = isize::MAX as u64;

/// The largest framebuffer side gltape accepts (GL implementations allow at least this much
/// or report an error; 16384 is what llvmpipe offers).
pub const MAX_FRAMEBUFFER_SIDE: u32 = 16384;

/// Color attachments of one framebuffer: GL 4.5's guaranteed `GL_MAX_COLOR_ATTACHMENTS` and
/// `GL_MAX_DRAW_BUFFERS`.
pub const MAX_COLOR_ATTACHMENTS: usize = 8;

/// Samples per pixel of a multisampled renderbuffer: GL 4.5's guaranteed `GL_MAX_SAMPLES`.
/// Integer renderbuffers are checked at replay against the context's
/// `GL_MAX_INTEGER_SAMPLES`, which GL guarantees only as 1.
pub const MAX_SAMPLES: u8 = 4;

/// The largest value of GL's `GLsizei` and `GLint`.
pub(crate) const MAX_GL_INT: u64 = i32::MAX as u64;

/// Buffer bindings of one vertex array: GL 4.5's guaranteed `GL_MAX_VERTEX_ATTRIB_BINDINGS`.
pub const MAX_VERTEX_BINDINGS: usize = 16;

/// Attributes of one vertex array: GL 4.5's guaranteed `GL_MAX_VERTEX_ATTRIBS`.
pub const MAX_VERTEX_ATTRIBUTES: usize = 16;

/// The largest vertex stride: GL 4.5's guaranteed `GL_MAX_VERTEX_ATTRIB_STRIDE`.
pub const MAX_VERTEX_STRIDE: u32 = 2048;

/// The largest attribute offset within a stride: GL 4.5's guaranteed
/// `GL_MAX_VERTEX_ATTRIB_RELATIVE_OFFSET`.
pub const MAX_ATTRIBUTE_OFFSET: u32 = 2047;

/// A buffer operation that touches a byte range, for error messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BufferOp {
    /// [`Recorder::write`](crate::Recorder::write).
    Write,
    /// [`Recorder::read`](crate::Recorder::read).
    Read,
    /// [`Recorder::clear_range`](crate::Recorder::clear_range).
    Clear,
    /// The source side of [`Recorder::copy_buffer`](crate::Recorder::copy_buffer).
    CopyFrom,
    /// The destination side of [`Recorder::copy_buffer`](crate::Recorder::copy_buffer).
    CopyTo,
    /// A draw reading vertex, instance or index data.
    Draw,
    /// The start of a transform's output.
    TransformOutput,
    /// The pixels a texture write takes from a buffer.
    TextureSource,
    /// The range bound to a uniform or storage block binding.
    Bind(BlockKind),
    /// The commands an indirect draw or dispatch reads.
    Indirect,
}

impl fmt::Display for BufferOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BufferOp::Write => "write",
            BufferOp::Read => "read",
            BufferOp::Clear => "clear",
            BufferOp::CopyFrom => "copy from",
            BufferOp::CopyTo => "copy into",
            BufferOp::Draw => "draw reading",
            BufferOp::TransformOutput => "transform output",
            BufferOp::TextureSource => "texture write from",
            BufferOp::Bind(kind) => kind.call(),
            BufferOp::Indirect => "indirect command read",
        })
    }
}

/// What is wrong with one call or one command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ValidationError {
    /// A buffer (or an orphaned buffer's new storage) must hold at least one byte.
    #[error("a buffer needs at least 1 byte, got 0")]
    EmptyBuffer,
    /// A size larger than GL's `GLsizeiptr` can express.
    #[error("a buffer of {size} bytes is larger than GL can address ({MAX_GL_SIZE} bytes)")]
    BufferTooLarge {
        /// The rejected size.
        size: u64,
    },
    /// The id was never created by this recorder or list.
    #[error("{object} is not defined ({defined} of its kind exist)")]
    Undefined {
        /// The unknown id.
        object: Object,
        /// How many of its kind were defined at that point.
        defined: u32,
    },
    /// The object was released earlier.
    #[error("{object} was already released")]
    Released {
        /// The released id.
        object: Object,
    },
    /// A byte range that does not fit inside the buffer (or whose end overflows u64).
    #[error("{op} of {size} bytes at offset {offset} is out of range of {buffer} (size {buffer_size} bytes)")]
    OutOfRange {
        /// The operation.
        op: BufferOp,
        /// The buffer.
        buffer: BufferId,
        /// Start of the range.
        offset: u64,
        /// Length of the range.
        size: u64,
        /// The buffer's size at that point.
        buffer_size: u64,
    },
    /// A clear whose size is not a whole number of chunks.
    #[error("clear of {buffer}: {size} bytes is not a multiple of the {chunk}-byte chunk")]
    ChunkMismatch {
        /// The buffer.
        buffer: BufferId,
        /// The cleared size.
        size: u64,
        /// The chunk length.
        chunk: u64,
    },
    /// A clear with an empty chunk.
    #[error("clear of {buffer}: the chunk is empty")]
    EmptyChunk {
        /// The buffer.
        buffer: BufferId,
    },
    /// A copy whose source and destination ranges overlap inside one buffer (GL forbids it).
    #[error("copy within {buffer}: {size} bytes from offset {read_offset} to offset {write_offset} overlap")]
    OverlappingCopy {
        /// The buffer.
        buffer: BufferId,
        /// Source offset.
        read_offset: u64,
        /// Destination offset.
        write_offset: u64,
        /// Bytes copied.
        size: u64,
    },
    /// A payload too large for one command.
    #[error(transparent)]
    Arena(#[from] super::super::ArenaError),
    /// A program without a vertex shader.
    #[error("a program needs a vertex shader")]
    NoVertexShader,
    /// A shader source longer than [`ShaderLimits::source_bytes`](super::ShaderLimits).
    #[error("{stage} shader: {bytes} bytes of source exceed the limit of {limit} bytes")]
    ShaderSourceSize {
        /// "vertex", "fragment" or "geometry".
        stage: &'static str,
        /// Bytes of source.
        bytes: u64,
        /// The limit.
        limit: u64,
    },
    /// A shader source over one of the [`ShaderLimits`](super::ShaderLimits) that keep the
    /// GL compiler within its stack and memory.
    #[error("{stage} shader, line {line}: {limit} {value}")]
    ShaderLimit {
        /// "vertex", "fragment" or "geometry".
        stage: &'static str,
        /// The source line where the limit was passed (1-based).
        line: u32,
        /// Which limit.
        limit: super::ShaderLimit,
        /// Its value.
        value: u64,
    },
    /// A varying name that is empty or contains a NUL byte.
    #[error("varying {index} ({name:?}) is not a valid GLSL name")]
    BadVaryingName {
        /// Its position in the list.
        index: usize,
        /// The name.
        name: String,
    },
    /// A uniform, attribute or shader text containing a NUL byte, or an empty name.
    #[error("{what} {text:?} is empty or contains a NUL byte")]
    BadName {
        /// What the text is ("uniform name", "attribute name", "vertex shader").
        what: &'static str,
        /// The text (cut to 64 characters).
        text: String,
    },
    /// A uniform value with no element, or whose bytes are not whole elements.
    #[error("uniform {name:?}: {len} bytes are not a whole, non-zero number of {ty} elements")]
    UniformSize {
        /// The uniform name.
        name: String,
        /// GLSL type.
        ty: &'static str,
        /// Bytes given.
        len: u64,
    },
    /// A malformed vertex format string in a vertex array entry.
    #[error("vertex array entry {binding}: {error}")]
    Format {
        /// Which `(buffer, format, names)` entry.
        binding: usize,
        /// What is wrong with the string.
        error: FormatError,
    },
    /// A vertex array entry whose names do not match its non-padding fields.
    #[error("vertex array entry {binding}: format {format:?} has {fields} attribute fields but {names} names were given")]
    AttributeCount {
        /// Which entry.
        binding: usize,
        /// The format string.
        format: String,
        /// Non-padding fields.
        fields: usize,
        /// Names given.
        names: usize,
    },
    /// A vertex layout that GL cannot express (lists from files only: parsed formats are
    /// always well formed).
    #[error("vertex array entry {binding}: {reason}")]
    Layout {
        /// Which entry.
        binding: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// A draw parameter beyond GL's `GLsizei`.
    #[error("{what} {value} is larger than GL accepts ({})", i32::MAX)]
    DrawTooLarge {
        /// Which parameter.
        what: &'static str,
        /// Its value.
        value: u64,
    },
    /// An index buffer element size other than 1, 2 or 4.
    #[error("index element size must be 1, 2 or 4 bytes, got {size}")]
    IndexElementSize {
        /// The size given.
        size: u8,
    },
    /// A draw without a vertex count whose vertex array has nothing to derive one from.
    #[error("{vertex_array} has no index buffer and no per-vertex buffer: give the vertex count")]
    VertexCountUnknown {
        /// The vertex array.
        vertex_array: VertexArrayId,
    },
    /// A transform whose program captures nothing.
    #[error("transform with {program}, which has no varyings")]
    NoVaryings {
        /// The program.
        program: ProgramId,
    },
    /// A transform with the wrong number of output buffers for its varyings mode.
    #[error(
        "transform with {program} needs {expected} output buffer(s) ({mode} varyings), got {found}"
    )]
    OutputCount {
        /// The program.
        program: ProgramId,
        /// Buffers needed.
        expected: usize,
        /// Buffers given.
        found: usize,
        /// "interleaved" or "separate".
        mode: &'static str,
    },
    /// Transform feedback cannot capture this mode without a geometry shader.
    #[error("transform feedback cannot capture {} without a geometry shader", .mode.name())]
    TransformMode {
        /// The mode.
        mode: Mode,
    },
    /// A framebuffer size outside 1..=16384 on a side.
    #[error("framebuffer size {width}x{height} is invalid (each side must be 1..={MAX_FRAMEBUFFER_SIDE})")]
    FramebufferSize {
        /// Width.
        width: u32,
        /// Height.
        height: u32,
    },
    /// A framebuffer with no attachment, or more color attachments than GL guarantees
    /// ([`MAX_COLOR_ATTACHMENTS`]).
    #[error("a framebuffer needs 1 to {MAX_COLOR_ATTACHMENTS} color attachments or a depth attachment, got {color} color and {} depth", u8::from(*.depth))]
    Attachments {
        /// Color attachments asked for.
        color: usize,
        /// Whether depth was asked for.
        depth: bool,
    },
    /// A pixel read of an attachment the framebuffer lacks.
    #[error(
        "{framebuffer} has {count} color attachment(s); attachment {attachment} does not exist"
    )]
    NoSuchAttachment {
        /// The framebuffer.
        framebuffer: FramebufferId,
        /// Attachment asked for.
        attachment: u8,
        /// Attachments it has.
        count: usize,
    },
    /// A pixel read whose dtype is integer (`u*`, `i*`) from a float or normalized color
    /// attachment, or the other way round: GL transfers integer storage only as integers.
    #[error(
        "{framebuffer}'s color attachment {attachment} is {storage}: it cannot be read as dtype '{dtype}'"
    )]
    ReadDtype {
        /// The framebuffer.
        framebuffer: FramebufferId,
        /// The attachment read.
        attachment: u8,
        /// What the attachment stores ("integer" or "float").
        storage: &'static str,
        /// The dtype asked for (ModernGL's name).
        dtype: &'static str,
    },
    /// A pixel read with a component count outside 1..=4.
    #[error("pixel reads take 1 to 4 components, got {components}")]
    Components {
        /// The count given.
        components: u8,
    },
    /// A pixel rectangle that does not lie inside the framebuffer.
    #[error("rectangle ({x}, {y}) {w}x{h} is out of range of {framebuffer} ({fw}x{fh})")]
    RectOutOfRange {
        /// The framebuffer.
        framebuffer: FramebufferId,
        /// Rectangle x.
        x: i32,
        /// Rectangle y.
        y: i32,
        /// Rectangle width.
        w: u32,
        /// Rectangle height.
        h: u32,
        /// Framebuffer width.
        fw: u32,
        /// Framebuffer height.
        fh: u32,
    },
    /// A state value GL would refuse or cannot use: a size that is not finite and above 0,
    /// an offset that is not finite.
    #[error("{what} must be {must}, got {value}")]
    BadValue {
        /// What the value is ("point size", "polygon offset factor", ...).
        what: &'static str,
        /// What it must be ("finite", "finite and above 0").
        must: &'static str,
        /// The value given.
        value: Float,
    },
    /// A pixel or depth read of a multisampled framebuffer, which GL cannot read directly.
    #[error("{framebuffer} is multisampled: GL reads no pixels from it; copy it into a framebuffer without samples (copy_framebuffer) and read that")]
    MultisampleRead {
        /// The framebuffer.
        framebuffer: FramebufferId,
    },
    /// A depth read of a framebuffer without a depth attachment.
    #[error("{framebuffer} has no depth attachment to read")]
    NoDepthAttachment {
        /// The framebuffer.
        framebuffer: FramebufferId,
    },
    /// A renderbuffer size outside 1..=16384 on a side.
    #[error("renderbuffer size {width}x{height} is invalid (each side must be 1..={MAX_FRAMEBUFFER_SIDE})")]
    RenderbufferSize {
        /// Width.
        width: u32,
        /// Height.
        height: u32,
    },
    /// A color renderbuffer with a component count outside 1..=4.
    #[error("a renderbuffer has 1 to 4 components, got {components}")]
    RenderbufferComponents {
        /// The count given.
        components: u8,
    },
    /// A sample count that is not 0 or a power of two up to `max` (GL 4.5's guaranteed
    /// [`MAX_SAMPLES`] when recorded, the context's limit at replay).
    #[error("{samples} samples per pixel: a renderbuffer takes 0 or a power of two up to {max}{}", if *.integer { " (integer formats: the context's GL_MAX_INTEGER_SAMPLES)" } else { "" })]
    Samples {
        /// The count given.
        samples: u8,
        /// The largest count allowed.
        max: u8,
        /// Whether the limit is the one of integer formats.
        integer: bool,
    },
    /// A depth image (renderbuffer or texture) given as a color attachment, or a color one
    /// as the depth attachment.
    #[error("{attachment} holds {}: it cannot be {}", if *.depth { "depth" } else { "color" }, match .color_attachment { Some(i) => format!("color attachment {i}"), None => "the depth attachment".to_owned() })]
    AttachmentKind {
        /// The image.
        attachment: Attachment,
        /// Whether it holds depth.
        depth: bool,
        /// The color attachment it was given as, or None for the depth attachment.
        color_attachment: Option<u8>,
    },
    /// Attachments of one framebuffer that differ in size or in samples per pixel.
    #[error("the attachments of a framebuffer must share one size and sample count: {attachment} is {}x{} with {} samples, the first attachment {}x{} with {} samples", .found.0, .found.1, .found.2, .first.0, .first.1, .first.2)]
    AttachmentMismatch {
        /// The attachment that differs from the first.
        attachment: Attachment,
        /// Its width, height and samples.
        found: (u32, u32, u8),
        /// The first attachment's width, height and samples.
        first: (u32, u32, u8),
    },
    /// A texture attachment of a level that holds no image.
    #[error("{texture} has no level {level} to attach: levels 0..{levels} hold images")]
    AttachmentLevel {
        /// The texture.
        texture: TextureId,
        /// The level asked for.
        level: u32,
        /// Levels that hold images.
        levels: u32,
    },
    /// A texture attachment of one layer that the texture's kind or level does not have.
    #[error("{texture} ({kind}) has no layer {layer} to attach at level {level}: it has {layers} (the layers of an array, the slices of a 3D texture's level, the 6 faces of a cube map; none in a 2D texture)")]
    AttachmentLayer {
        /// The texture.
        texture: TextureId,
        /// Its kind (ModernGL's constructor).
        kind: &'static str,
        /// The level.
        level: u32,
        /// The layer asked for.
        layer: u32,
        /// The layers the level has.
        layers: u32,
    },
    /// Attachments of one framebuffer of which some are layered (every layer of an array,
    /// 3D texture or cube map) and others not, or layered ones of different texture kinds:
    /// GL's framebuffer is incomplete (GL_FRAMEBUFFER_INCOMPLETE_LAYER_TARGETS).
    #[error("{attachment} and {first} cannot share a framebuffer: its attachments must all be one layer (or a renderbuffer), or all every layer of textures of one kind")]
    AttachmentLayered {
        /// The attachment that does not go with the first.
        attachment: Attachment,
        /// The first attachment.
        first: Attachment,
    },
    /// A copy between framebuffers with different numbers of color attachments (ModernGL
    /// refuses it too).
    #[error("copy_framebuffer from {src} ({src_colors} color attachments) into {dst} ({dst_colors}): the counts must be equal")]
    CopyAttachments {
        /// The destination.
        dst: FramebufferId,
        /// Its color attachments.
        dst_colors: usize,
        /// The source.
        src: FramebufferId,
        /// Its color attachments.
        src_colors: usize,
    },
    /// A copy between color attachments of which one holds floats and the other integers,
    /// or integers of different signedness: GL copies neither.
    #[error("copy_framebuffer: color attachment {attachment} holds dtype '{src_dtype}' in {src} and '{dst_dtype}' in {dst}; floats copy only to floats, integers only to integers of the same signedness")]
    CopyFormats {
        /// The destination.
        dst: FramebufferId,
        /// The source.
        src: FramebufferId,
        /// The attachment.
        attachment: u8,
        /// What the source's attachment stores.
        src_dtype: &'static str,
        /// What the destination's attachment stores.
        dst_dtype: &'static str,
    },
    /// A copy between two multisampled framebuffers of different sample counts.
    #[error("copy_framebuffer from {src} ({src_samples} samples) into {dst} ({dst_samples} samples): GL copies between multisampled framebuffers only of one sample count")]
    CopySamples {
        /// The destination.
        dst: FramebufferId,
        /// Its samples.
        dst_samples: u8,
        /// The source.
        src: FramebufferId,
        /// Its samples.
        src_samples: u8,
    },
    /// A copy that reads and writes one image (a framebuffer into itself, two framebuffers
    /// sharing a renderbuffer or texture image, a texture from a framebuffer it is attached
    /// to): GL leaves its result undefined.
    #[error("copy_framebuffer from {src} into {dst}: both hold the same image, and GL leaves such a copy undefined")]
    CopyOverlap {
        /// The destination.
        dst: CopyTarget,
        /// The source.
        src: FramebufferId,
    },
    /// A copy into a texture that ModernGL refuses, or whose result ModernGL does not define
    /// (it redefines the texture's level 0 as 8-bit normalized storage of the source's
    /// size).
    #[error("copy_framebuffer from {src} into {texture}: {problem}")]
    CopyIntoTexture {
        /// The texture.
        texture: TextureId,
        /// The source.
        src: FramebufferId,
        /// What is wrong.
        problem: &'static str,
    },
    /// A copy into a texture from a smaller framebuffer: ModernGL shrinks the texture to
    /// the source's size.
    #[error("copy_framebuffer from {src} ({}x{}) into {texture} ({}x{}): the source must be at least as large as the texture", .src_size.0, .src_size.1, .size.0, .size.1)]
    CopySize {
        /// The texture.
        texture: TextureId,
        /// Its width and height.
        size: (u32, u32),
        /// The source.
        src: FramebufferId,
        /// Its width and height.
        src_size: (u32, u32),
    },
    /// The screen belongs to the context and cannot be released.
    #[error("the screen framebuffer cannot be released")]
    ReleaseScreen,
    /// More ids of one kind than a `u32` can number.
    #[error("more than {} {kind}s in one list", u32::MAX)]
    TooManyIds {
        /// The kind of id.
        kind: &'static str,
    },
    /// A size, count or offset beyond the range of the GL parameter type it is passed as.
    #[error("{what} {value} does not fit GL's {gl_type} (at most {max})")]
    GlRange {
        /// What the value is ("pixel read bytes", "uniform elements", ...).
        what: &'static str,
        /// The value.
        value: u64,
        /// The GL type ("GLsizei", "GLint", "GLsizeiptr").
        gl_type: &'static str,
        /// The type's largest value.
        max: u64,
    },
    /// A vertex array beyond what GL 4.5 guarantees (bindings, attributes, stride, offsets).
    #[error("vertex array {what} {value} is more than GL 4.5 guarantees ({max})")]
    VertexArrayLimit {
        /// What was counted ("buffer bindings", "attributes", "stride", "attribute offset").
        what: &'static str,
        /// The value given.
        value: u64,
        /// GL's guaranteed limit.
        max: u64,
    },
    /// A list defines ids out of order (lists from files only: ids are dense and in order).
    #[error("{kind} #{found} is defined where #{expected} is next")]
    IdOutOfOrder {
        /// The kind of id.
        kind: &'static str,
        /// The next id in order.
        expected: u32,
        /// The id found.
        found: u32,
    },
    /// Payload bytes used in place from a trace file (format 5, mapped) that differ from the
    /// CRC-32 the file stores for them: the file is damaged (lists from files only).
    #[error(
        "the payload bytes of the chunk at byte {offset} ({len} bytes) fail their checksum (CRC-32 {actual:08x}, the file says {expected:08x})"
    )]
    PayloadChecksum {
        /// Where the chunk's payload bytes start in the file.
        offset: u64,
        /// Their length.
        len: u64,
        /// The CRC-32 the file stores.
        expected: u32,
        /// The CRC-32 of the bytes.
        actual: u32,
    },
    /// A payload that does not lie inside the list's arena (lists from files only).
    #[error(
        "payload of {len} bytes at arena offset {start} lies outside the arena ({arena} bytes)"
    )]
    PayloadOutsideArena {
        /// Arena offset of the payload.
        start: u64,
        /// Its length.
        len: u64,
        /// The arena's length.
        arena: u64,
    },
    /// Initial data whose length differs from the buffer size (lists from files only).
    #[error("initial data of {len} bytes for a buffer of {size} bytes")]
    InitialDataSize {
        /// Payload length.
        len: u64,
        /// Buffer size.
        size: u64,
    },
    /// A command whose side-table entry is missing (lists from files only).
    #[error("{table} entry #{index} does not exist ({count} recorded)")]
    MissingEntry {
        /// The side table.
        table: &'static str,
        /// The index.
        index: u32,
        /// How many entries exist.
        count: usize,
    },
    /// A texture size outside what GL 4.5 guarantees for its kind.
    #[error("{kind} of size {}x{}x{} is invalid: {allowed}", .size[0], .size[1], .size[2])]
    TextureSize {
        /// ModernGL's constructor ("texture", "texture_array", ...).
        kind: &'static str,
        /// Width, height, layers or depth.
        size: [u32; 3],
        /// What the kind allows.
        allowed: &'static str,
    },
    /// A texture or sampler argument outside its range: components, alignment, samples, a
    /// unit, a face.
    #[error("{what} {value} is invalid: {allowed}")]
    TextureArgument {
        /// The argument ("components", "alignment", "samples", "texture unit", "face").
        what: &'static str,
        /// Its value.
        value: u64,
        /// What is allowed.
        allowed: &'static str,
    },
    /// A texture whose parts do not go together (a depth texture of 4 components, an sRGB
    /// format for float data, a multisample cube map, data for a multisample texture, ...).
    #[error("{kind}: {problem}")]
    TextureFormat {
        /// ModernGL's constructor.
        kind: &'static str,
        /// What is wrong (ModernGL's words where it has them).
        problem: &'static str,
    },
    /// A call a texture of its kind does not take (a write to a multisample texture, a
    /// level other than 0 of an array, build_mipmaps of integer data, ...).
    #[error("{texture} ({kind}): {problem}")]
    TextureOp {
        /// The texture.
        texture: TextureId,
        /// Its kind (ModernGL's constructor).
        kind: &'static str,
        /// What it cannot do.
        problem: &'static str,
    },
    /// A property the object does not have in ModernGL (`anisotropy` of a 3D texture,
    /// `compare_func` of a color texture, `swizzle` of a sampler, ...).
    #[error("{object} has no property `{property}`: {reason}")]
    TextureProperty {
        /// The texture or sampler.
        object: Object,
        /// ModernGL's name of the property.
        property: &'static str,
        /// Which objects have it.
        reason: &'static str,
    },
    /// A mipmap level that holds no image, or is above ModernGL's `max_level` (0 until
    /// `build_mipmaps`).
    #[error("{texture} has no level {level}: levels 0..{levels} hold images and ModernGL's max_level is {max_level}")]
    TextureLevel {
        /// The texture.
        texture: TextureId,
        /// The level asked for.
        level: u32,
        /// Levels that hold images.
        levels: u32,
        /// ModernGL's `max_level`.
        max_level: u32,
    },
    /// A write viewport that does not lie inside its level.
    #[error("viewport ({}, {}, {}) {}x{}x{} is out of range of {texture}'s level {level} ({}x{}x{})",
        .region.x, .region.y, .region.z, .region.width, .region.height, .region.depth,
        .size[0], .size[1], .size[2])]
    TextureRegion {
        /// The texture.
        texture: TextureId,
        /// The viewport.
        region: TextureRegion,
        /// The level written.
        level: u32,
        /// The level's size.
        size: [u32; 3],
    },
    /// Texture data whose length is not the byte count ModernGL computes (rows padded to
    /// the alignment).
    #[error("data size mismatch for {texture}: {len} bytes given, {expected} expected")]
    TextureDataSize {
        /// The texture.
        texture: TextureId,
        /// Bytes given.
        len: u64,
        /// Bytes expected.
        expected: u64,
    },
    /// A texture write with both a payload and a buffer, or neither (lists from files only).
    #[error("a write into {texture} takes its pixels from a payload or from a buffer: {problem}")]
    TextureSource {
        /// The texture.
        texture: TextureId,
        /// What is wrong.
        problem: &'static str,
    },
    /// A buffer binding of no bytes: GL binds at least one.
    #[error("{} of 0 bytes at offset {offset} of {buffer}: a binding holds at least 1 byte", .kind.call())]
    EmptyBinding {
        /// Uniform or storage blocks.
        kind: BlockKind,
        /// The buffer.
        buffer: BufferId,
        /// The offset of the empty range.
        offset: u64,
    },
    /// A uniform or storage block binding beyond what GL 4.5 guarantees.
    #[error("binding {binding} is not below {max}, GL 4.5's guaranteed {limit}")]
    BindingIndex {
        /// The binding given.
        binding: u32,
        /// The number of bindings guaranteed.
        max: u32,
        /// The GL limit ("GL_MAX_UNIFORM_BUFFER_BINDINGS", ...).
        limit: &'static str,
    },
    /// A binding offset that is not a multiple of the context's offset alignment for its
    /// kind of block (a context limit, checked at replay).
    #[error("{} at offset {offset}: the offset is not a multiple of the context's {} ({alignment})", .kind.call(), .kind.alignment_limit())]
    BindingAlignment {
        /// Uniform or storage blocks.
        kind: BlockKind,
        /// The offset given.
        offset: u64,
        /// The context's alignment.
        alignment: u64,
    },
    /// Strided chunks ModernGL refuses: none, chunks longer than the step (they would
    /// overlap), or a chunk outside the buffer.
    #[error("{count} chunks of {chunk_size} bytes from offset {start}, {step} bytes apart, do not fit {buffer} (size {buffer_size} bytes): {problem}")]
    Chunks {
        /// The buffer.
        buffer: BufferId,
        /// Bytes per chunk.
        chunk_size: u64,
        /// The offset of the first chunk as given (negative: from the end).
        start: i64,
        /// Bytes from one chunk's start to the next one's.
        step: i64,
        /// Number of chunks.
        count: u64,
        /// The buffer's size at that point.
        buffer_size: u64,
        /// What is wrong.
        problem: &'static str,
    },
    /// Data for `write_chunks` that does not cut into `count` equal chunks.
    #[error(
        "write_chunks into {buffer}: {len} bytes of data cannot be cut into {count} equal chunks"
    )]
    ChunkData {
        /// The buffer.
        buffer: BufferId,
        /// Bytes of data.
        len: u64,
        /// Chunks asked for.
        count: u64,
    },
    /// A float that is not finite where GL needs a number.
    #[error("{what} must be a finite number")]
    NotFinite {
        /// The value's name.
        what: &'static str,
    },
    /// A compute shader run or a vertex array of a program that is not of the kind the
    /// call needs.
    #[error("{program} {}", if *.compute { "is a compute shader: it has no vertex stage to draw with" } else { "is not a compute shader: only compute shaders run" })]
    ProgramKind {
        /// The program.
        program: ProgramId,
        /// Whether it is a compute shader.
        compute: bool,
    },
    /// More work groups along an axis than GL takes: GL 4.5's guaranteed
    /// [`MAX_COMPUTE_GROUPS`](crate::command::MAX_COMPUTE_GROUPS) when recorded, the
    /// context's `GL_MAX_COMPUTE_WORK_GROUP_COUNT` at replay.
    #[error("{value} work groups along {axis}: at most {max} are allowed")]
    ComputeGroups {
        /// "x", "y" or "z".
        axis: &'static str,
        /// The count.
        value: u32,
        /// The limit.
        max: u32,
    },
    /// An offset into a buffer that GL needs aligned.
    #[error("{what} {value} is not a multiple of {alignment}")]
    Misaligned {
        /// What the offset is.
        what: &'static str,
        /// The offset.
        value: u64,
        /// The alignment GL needs.
        alignment: u64,
    },
    /// Memory barrier bits GL does not define, or that glMemoryBarrierByRegion does not
    /// take.
    #[error("memory barrier bits 0x{barriers:X} are not {}", if *.by_region { "all ones or bits glMemoryBarrierByRegion takes (atomic counter, framebuffer, image access, storage, texture fetch, uniform)" } else { "all ones or bits GL 4.5 defines" })]
    Barriers {
        /// The bits.
        barriers: u32,
        /// Whether by region.
        by_region: bool,
    },
    /// A query call its state does not allow (ModernGL's messages where it has them).
    #[error("{query}: {problem}")]
    Query {
        /// The query.
        query: QueryId,
        /// What is wrong.
        problem: &'static str,
    },
    /// A query begun while another one counting the same thing runs: GL runs one query of
    /// each kind at a time (samples and any samples are one kind, occlusion).
    #[error("{query} cannot begin while {other} counts {kind}: GL runs one such query at a time")]
    QueryBusy {
        /// The query begun.
        query: QueryId,
        /// The running one.
        other: QueryId,
        /// What both count.
        kind: &'static str,
    },
    /// An indirect draw or dispatch command that is out of range.
    #[error("indirect command {command} of {buffer} (at byte {offset}): {error}")]
    IndirectCommand {
        /// The command's number in the buffer (draw commands count from the buffer's start,
        /// in 20-byte steps).
        command: u64,
        /// The buffer.
        buffer: BufferId,
        /// Its byte offset.
        offset: u64,
        /// What is wrong with it.
        error: Box<ValidationError>,
    },
}
