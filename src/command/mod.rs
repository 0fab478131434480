//! The compact command list: what a [`Recorder`](crate::Recorder) writes and a
//! [`Renderer`](crate::Renderer) replays.
//!
//! [`Command`] is a small `Copy` enum (at most 32 bytes, checked by a test). Variable-size data
//! lives outside it: payload bytes in one 64-byte-aligned arena, wider descriptors (program
//! sources, vertex layouts, copies, clears, pixel reads) in side [`Tables`] indexed by a typed
//! [`Index`]. A [`CommandList`] is built only through a [`Transaction`].

mod arena;
mod binding;
mod compute;
mod desc;
mod draw;
mod list;
mod pipeline;
mod query;
mod references;
mod segment;
mod tables;
mod texture;
mod validate;

pub use arena::{ArenaError, Payload, PAYLOAD_ALIGN};
pub(crate) use arena::{ChecksumMismatch, SharedBytes};
pub use binding::{BlockKind, MAX_STORAGE_BUFFER_BINDINGS, MAX_UNIFORM_BUFFER_BINDINGS};
pub use compute::{
    Barriers, ComputeShaderDesc, ImageAccess, ImageFormat, MAX_COMPUTE_GROUPS, MAX_IMAGE_UNITS,
};
pub use desc::{
    Attachment, BufferCopy, Chunks, ClearDesc, ColorFormat, CopyTarget, DepthRead,
    FramebufferAttachments, FramebufferDesc, IndexBuffer, Object, PixelRead, PixelType,
    ProgramDesc, Rect, TransformDesc, VaryingsMode, VertexArrayDesc, VertexBinding,
};
pub use draw::{Draw, Mode};
pub use list::{CommandList, Transaction};
pub(crate) use pipeline::NON_FINITE;
pub use pipeline::{
    BlendEquation, BlendFactor, Capabilities, Capability, CompareFunc, Face, Float, StencilAction,
    Winding,
};
pub use query::{QueryKinds, QueryResult};
use references::CommandField;
pub(crate) use references::Reindex;
pub(crate) use segment::new_session;
pub use segment::Segment;
pub(crate) use tables::with_side_tables;
pub use tables::{Index, Table, TableEntry, Tables};
pub use texture::{
    InternalFormat, MagFilter, MinFilter, Swizzle, SwizzleError, SwizzleSource, TextureDesc,
    TextureKind, TextureParameter, TextureRegion, TextureWrite, MAX_TEXTURE_3D_SIDE,
    MAX_TEXTURE_LAYERS, MAX_TEXTURE_SAMPLES, MAX_TEXTURE_SIDE, MAX_TEXTURE_UNITS,
};
pub(crate) use validate::{
    check_dispatch_command, check_draw_commands, check_rect, check_vertex_array_counts,
    default_vertex_count, draw_commands_range, pixel_read_bytes, BindingExtent, Validator,
    DISPATCH_COMMAND_BYTES, DRAW_COMMAND_STRIDE, RING_SLOTS,
};
pub use validate::{
    BufferOp, InvalidList, Limit, LimitExceeded, ReplayLimits, ShaderLimit, ShaderLimits,
    ValidatedList, ValidationError, MAX_ATTRIBUTE_OFFSET, MAX_COLOR_ATTACHMENTS,
    MAX_FRAMEBUFFER_SIDE, MAX_SAMPLES, MAX_VERTEX_ATTRIBUTES, MAX_VERTEX_BINDINGS,
    MAX_VERTEX_STRIDE,
};

use crate::ids::{
    BufferId, FramebufferId, ProgramId, QueryId, ReadbackId, RenderbufferId, SamplerId, TextureId,
    VertexArrayId,
};
use crate::uniform::UniformType;

/// Defines [`Command`] from one list of variants and derives from it what every kind needs
/// besides its validation and replay arms: its name, the mapping of its side-table indices and
/// payloads (found from the fields' types) that the trace format uses to rebase them per
/// chunk, and, for a kind marked `[plain_text]`, its text form.
///
/// A variant is `Variant = "name" { fields };`. `[plain_text]` after the name derives the
/// kind's JSON Lines form from its fields (`{"op": "name", "field": value, ...}`); only kinds
/// whose fields reference no payload or side table may say so (checked at compile time).
/// New variants go at the end: a trace stores a command's kind as its position.
macro_rules! define_commands {
    ($(
        $(#[$doc:meta])*
        $variant:ident = $name:literal $([$plain:ident])? $({
            $( $(#[$field_doc:meta])* $field:ident: $ty:ty, )*
        })?;
    )*) => {
        /// One recorded call.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        pub enum Command {
            $(
                $(#[$doc])*
                #[serde(rename = $name)]
                $variant $({ $( $(#[$field_doc])* $field: $ty, )* })?,
            )*
        }

        impl Command {
            /// A short lower-case name for messages and statistics.
            pub fn name(&self) -> &'static str {
                match self {
                    $(Command::$variant { .. } => $name,)*
                }
            }

            /// Whether the kind called `name` has a text form derived from its fields.
            pub(crate) fn has_plain_text(name: &str) -> bool {
                match name {
                    $($name => plain_text!($($plain)?),)*
                    _ => false,
                }
            }

            /// The name of every kind, in definition order.
            pub(crate) const NAMES: &'static [&'static str] = &[$($name),*];

            /// The command with every side-table index and payload mapped through `reindex`.
            pub(crate) fn reindexed(mut self, reindex: &mut impl Reindex) -> Result<Self, String> {
                match &mut self {
                    $(
                        Command::$variant $({ $($field,)* })? => {
                            $($( CommandField::reindex($field, reindex)?; )*)?
                        }
                    )*
                }
                Ok(self)
            }
        }

        $(plain_text!($($plain)? ; $($($ty),*)?);)*
    };
}

/// `[plain_text]` in [`define_commands!`]: whether a kind has it, and the compile-time check
/// that such a kind's fields reference nothing a text line cannot carry.
macro_rules! plain_text {
    () => { false };
    (plain_text) => { true };
    (; $($ty:ty),*) => {};
    (plain_text; $($ty:ty),*) => {
        const _: () = assert!(true $(&& !<$ty as CommandField>::REFERENCES)*);
    };
}

define_commands! {
    /// Creates `buffer` with `size` bytes, filled from `data` or with zeros when `data` is None.
    CreateBuffer = "create_buffer" {
        /// The new buffer (the next dense id).
        buffer: BufferId,
        /// GL_DYNAMIC_DRAW when true, GL_STATIC_DRAW otherwise.
        dynamic: bool,
        /// Size in bytes, at least 1.
        size: u64,
        /// Initial contents, exactly `size` bytes.
        data: Option<Payload>,
    };
    /// Writes `data` at `offset` (glBufferSubData).
    Write = "write" {
        /// The buffer written.
        buffer: BufferId,
        /// Byte offset of the first written byte.
        offset: u64,
        /// The bytes written.
        data: Payload,
    };
    /// Replaces the storage with `size` fresh bytes of undefined contents (glBufferData(NULL)).
    Orphan = "orphan" {
        /// The buffer orphaned.
        buffer: BufferId,
        /// The new size in bytes.
        size: u64,
    };
    /// Fills `size` bytes at `offset` with repeats of `chunk`, or with zeros when it is None.
    ClearBuffer = "clear_buffer" {
        /// The buffer cleared.
        buffer: BufferId,
        /// The repeated pattern; `size` is a multiple of its length.
        chunk: Option<Payload>,
        /// Byte offset of the first cleared byte.
        offset: u64,
        /// Number of bytes cleared.
        size: u64,
    };
    /// Reads `size` bytes at `offset` into `readback`.
    Read = "read" {
        /// The buffer read.
        buffer: BufferId,
        /// Where the bytes go (the next dense readback id).
        readback: ReadbackId,
        /// Byte offset of the first byte read.
        offset: u64,
        /// Number of bytes read.
        size: u64,
    };
    /// Copies a range between buffers.
    CopyBuffer = "copy_buffer" {
        /// The copy.
        copy: Index<BufferCopy>,
    };
    /// Compiles and links `program` from `desc`.
    CreateProgram = "create_program" {
        /// The new program (the next dense id).
        program: ProgramId,
        /// Its sources and varyings.
        desc: Index<ProgramDesc>,
    };
    /// Sets uniform `name` of `program` to `data` (32-bit words of `ty`).
    Uniform = "uniform" {
        /// The program.
        program: ProgramId,
        /// The uniform's name.
        name: Index<String>,
        /// The GLSL type of one element.
        ty: UniformType,
        /// One or more elements.
        data: Payload,
    };
    /// Creates `vertex_array` from `desc`.
    CreateVertexArray = "create_vertex_array" {
        /// The new vertex array (the next dense id).
        vertex_array: VertexArrayId,
        /// Its program, bindings and index buffer.
        desc: Index<VertexArrayDesc>,
    };
    /// Draws `vertex_array` with its program into the framebuffer in use.
    Render = "render" {
        /// The vertex array.
        vertex_array: VertexArrayId,
        /// What is drawn.
        draw: Draw,
    };
    /// Draws with transform feedback and rasterizer discard.
    Transform = "transform" {
        /// The draw and its outputs.
        transform: Index<TransformDesc>,
    };
    /// Creates `framebuffer` from `desc`.
    CreateFramebuffer = "create_framebuffer" {
        /// The new framebuffer (the next dense id; 0 is the screen).
        framebuffer: FramebufferId,
        /// Its size and attachments.
        desc: Index<FramebufferDesc>,
    };
    /// Makes `framebuffer` the target of draws and applies its viewport.
    UseFramebuffer = "use_framebuffer" [plain_text] {
        /// The framebuffer.
        framebuffer: FramebufferId,
    };
    /// Sets the viewport of `framebuffer` (applied now if it is in use, else when it is used).
    Viewport = "viewport" [plain_text] {
        /// The framebuffer.
        framebuffer: FramebufferId,
        /// The viewport rectangle.
        rect: Rect,
    };
    /// Clears a framebuffer.
    ClearFramebuffer = "clear_framebuffer" {
        /// The framebuffer, values and rectangle.
        clear: Index<ClearDesc>,
    };
    /// Reads pixels into a readback.
    ReadPixels = "read_pixels" {
        /// The framebuffer, rectangle and format.
        read: Index<PixelRead>,
    };
    /// Enables or disables a capability.
    SetCapability = "set_capability" {
        /// The capability.
        capability: Capability,
        /// On or off.
        enabled: bool,
    };
    /// Marks the end of a frame (for frame ranges and statistics); it does nothing on GL.
    EndFrame = "end_frame" [plain_text];
    /// Deletes an object; its id may not be used again.
    Release = "release" [plain_text] {
        /// The object released.
        object: Object,
    };
    /// Sets primitive restart: indexed draws start a new primitive at `index`, or never when
    /// it is None. ModernGL's contexts start with it on at index 0xFFFFFFFF, as replays do.
    PrimitiveRestart = "primitive_restart" [plain_text] {
        /// The restart index, or None to turn restart off. GL compares it with each index
        /// as read, so 0xFFFFFFFF (the default) restarts only 4-byte index buffers.
        index: Option<u32>,
    };
    /// Enables the capabilities in `capabilities` and disables every other (ModernGL:
    /// `ctx.enable_only(flags)`).
    EnableOnly = "enable_only" [plain_text] {
        /// The capabilities left on.
        capabilities: Capabilities,
    };
    /// Sets the blend factors, RGB and alpha apart (ModernGL: `ctx.blend_func`).
    BlendFunc = "blend_func" [plain_text] {
        /// Source factor of the color.
        src_rgb: BlendFactor,
        /// Destination factor of the color.
        dst_rgb: BlendFactor,
        /// Source factor of alpha.
        src_alpha: BlendFactor,
        /// Destination factor of alpha.
        dst_alpha: BlendFactor,
    };
    /// Sets the blend equations, RGB and alpha apart (ModernGL: `ctx.blend_equation`).
    BlendEquation = "blend_equation" [plain_text] {
        /// The equation of the color.
        rgb: BlendEquation,
        /// The equation of alpha.
        alpha: BlendEquation,
    };
    /// Sets the depth test's comparison (ModernGL: `ctx.depth_func`).
    DepthFunc = "depth_func" [plain_text] {
        /// Passes when it holds between the fragment's depth and the stored one.
        func: CompareFunc,
    };
    /// Sets which winding faces front (ModernGL: `ctx.front_face`).
    FrontFace = "front_face" [plain_text] {
        /// The winding of front faces.
        winding: Winding,
    };
    /// Sets which faces culling drops (ModernGL: `ctx.cull_face`).
    CullFace = "cull_face" [plain_text] {
        /// The faces culled.
        face: Face,
    };
    /// Sets the polygon depth offset, on when either value is not 0 (ModernGL:
    /// `ctx.polygon_offset = (factor, units)`).
    PolygonOffset = "polygon_offset" [plain_text] {
        /// Scale of the polygon's depth slope (finite).
        factor: Float,
        /// Multiple of the smallest resolvable depth difference (finite).
        units: Float,
    };
    /// Draws polygons as their edges, or filled (ModernGL: `ctx.wireframe`).
    Wireframe = "wireframe" [plain_text] {
        /// Lines when true, filled when false.
        enabled: bool,
    };
    /// Sets the size of points when PROGRAM_POINT_SIZE is off (ModernGL: `ctx.point_size`).
    PointSize = "point_size" [plain_text] {
        /// Size in pixels (finite, above 0).
        size: Float,
    };
    /// Sets the width of lines (ModernGL: `ctx.line_width`).
    LineWidth = "line_width" [plain_text] {
        /// Width in pixels (finite, above 0).
        width: Float,
    };
    /// Sets the scissor rectangle of `framebuffer`, or turns it off (applied now if it is in
    /// use, else when it is used; ModernGL: `fbo.scissor`).
    Scissor = "scissor" [plain_text] {
        /// The framebuffer.
        framebuffer: FramebufferId,
        /// Draws and clears touch only this rectangle; None: the whole framebuffer.
        rect: Option<Rect>,
    };
    /// Sets which components draws and clears write to one color attachment of
    /// `framebuffer` (ModernGL: `fbo.color_mask`).
    ColorMask = "color_mask" [plain_text] {
        /// The framebuffer.
        framebuffer: FramebufferId,
        /// The color attachment.
        attachment: u8,
        /// Red, green, blue, alpha: written when true.
        mask: [bool; 4],
    };
    /// Sets whether draws and clears write the depth attachment of `framebuffer` (ModernGL:
    /// `fbo.depth_mask`).
    DepthMask = "depth_mask" [plain_text] {
        /// The framebuffer.
        framebuffer: FramebufferId,
        /// Written when true.
        enabled: bool,
    };
    /// Sets the stencil test of `face` (glStencilFuncSeparate; gltape's own).
    StencilFunc = "stencil_func" [plain_text] {
        /// The faces it applies to.
        face: Face,
        /// Passes when it holds between `reference` and the stored value, both masked.
        func: CompareFunc,
        /// The reference value (GL clamps it to the stencil buffer's range).
        reference: i32,
        /// The bits compared.
        mask: u32,
    };
    /// Sets what the stencil test does to the stored value for `face` (glStencilOpSeparate;
    /// gltape's own).
    StencilOp = "stencil_op" [plain_text] {
        /// The faces it applies to.
        face: Face,
        /// When the stencil test fails.
        stencil_fail: StencilAction,
        /// When the stencil test passes and the depth test fails.
        depth_fail: StencilAction,
        /// When both pass (or there is no depth test).
        depth_pass: StencilAction,
    };
    /// Sets which stencil bits draws write for `face` (glStencilMaskSeparate; gltape's own).
    StencilMask = "stencil_mask" [plain_text] {
        /// The faces it applies to.
        face: Face,
        /// The bits written.
        mask: u32,
    };
    /// Creates a color renderbuffer (ModernGL: `ctx.renderbuffer(size, components, samples,
    /// dtype)`), zeroed.
    CreateRenderbuffer = "create_renderbuffer" [plain_text] {
        /// The new renderbuffer (the next dense id).
        renderbuffer: RenderbufferId,
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// Components per pixel, 1 to 4 (R to RGBA).
        components: u8,
        /// Samples per pixel: 0 (not multisampled), 1, 2 or 4.
        samples: u8,
        /// What each component stores (ModernGL's internal format for it).
        dtype: PixelType,
    };
    /// Creates a 24-bit depth renderbuffer (ModernGL: `ctx.depth_renderbuffer(size,
    /// samples)`), zeroed.
    CreateDepthRenderbuffer = "create_depth_renderbuffer" [plain_text] {
        /// The new renderbuffer (the next dense id, shared with color renderbuffers).
        renderbuffer: RenderbufferId,
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// Samples per pixel: 0 (not multisampled), 1, 2 or 4.
        samples: u8,
    };
    /// Creates `framebuffer` over existing images (ModernGL: `ctx.framebuffer(
    /// color_attachments, depth_attachment)`).
    CreateFramebufferFrom = "create_framebuffer_from" {
        /// The new framebuffer (the next dense id; 0 is the screen).
        framebuffer: FramebufferId,
        /// Its attachments.
        attachments: Index<FramebufferAttachments>,
    };
    /// Reads the depth attachment into a readback.
    ReadDepth = "read_depth" {
        /// The framebuffer, rectangle and dtype.
        read: Index<DepthRead>,
    };
    /// Copies every color attachment and the depth of `src` into `dst`, resolving samples
    /// (ModernGL: `ctx.copy_framebuffer(dst, src)`).
    CopyFramebuffer = "copy_framebuffer" [plain_text] {
        /// Where the pixels go.
        dst: CopyTarget,
        /// The framebuffer read.
        src: FramebufferId,
    };
    /// Creates `texture` from `desc`, filled from `data` or, without data, with zeros.
    CreateTexture = "create_texture" {
        /// The new texture (the next dense id).
        texture: TextureId,
        /// Its kind, size and format.
        desc: Index<TextureDesc>,
        /// Initial contents of level 0, exactly as many bytes as the desc's data size.
        data: Option<Payload>,
    };
    /// Writes pixels into a texture, from `data` or from the write's buffer.
    WriteTexture = "write_texture" {
        /// The texture, where, and the source when it is a buffer.
        write: Index<TextureWrite>,
        /// The pixels, when they do not come from a buffer.
        data: Option<Payload>,
    };
    /// Reads a level of a texture (a face of a cube map) into `readback`, rows bottom to
    /// top, each padded to `alignment` (the padding reads as zeros).
    ReadTexture = "read_texture" [plain_text] {
        /// The texture read.
        texture: TextureId,
        /// Where the pixels go (the next dense readback id).
        readback: ReadbackId,
        /// The mipmap level (0 for every kind but 2D textures).
        level: u32,
        /// The face of a cube map (0 to 5); None for other kinds.
        face: Option<u8>,
        /// Row alignment: 1, 2, 4 or 8.
        alignment: u8,
    };
    /// Generates mipmap levels above `base` up to `max_level` from level `base`, and makes
    /// the filter LINEAR_MIPMAP_LINEAR / LINEAR (ModernGL's `build_mipmaps`).
    BuildMipmaps = "build_mipmaps" [plain_text] {
        /// The texture.
        texture: TextureId,
        /// The level the others are made from (GL_TEXTURE_BASE_LEVEL).
        base: u32,
        /// The highest level made (GL_TEXTURE_MAX_LEVEL).
        max_level: u32,
    };
    /// Sets one sampling property of a texture.
    SetTextureParameter = "texture_parameter" [plain_text] {
        /// The texture.
        texture: TextureId,
        /// The property and its value.
        parameter: TextureParameter,
    };
    /// Binds `texture` to texture unit `unit` (ModernGL's `texture.use(location)`).
    UseTexture = "use_texture" [plain_text] {
        /// The texture.
        texture: TextureId,
        /// The unit, below [`MAX_TEXTURE_UNITS`].
        unit: u32,
    };
    /// Creates a sampler with ModernGL's defaults (linear filtering, repeat, no comparison).
    CreateSampler = "create_sampler" [plain_text] {
        /// The new sampler (the next dense id).
        sampler: SamplerId,
    };
    /// Sets one property of a sampler.
    SetSamplerParameter = "sampler_parameter" [plain_text] {
        /// The sampler.
        sampler: SamplerId,
        /// The property and its value.
        parameter: TextureParameter,
    };
    /// Binds `sampler` to texture unit `unit`, where it overrides the sampling properties
    /// of the texture bound there, or unbinds the unit's sampler when it is None
    /// (ModernGL's `sampler.use(location)` and `sampler.clear(location)`).
    UseSampler = "use_sampler" [plain_text] {
        /// The sampler, or None.
        sampler: Option<SamplerId>,
        /// The unit, below [`MAX_TEXTURE_UNITS`].
        unit: u32,
    };
    /// Binds `size` bytes of `buffer` from `offset` to binding `binding` of uniform or storage
    /// blocks (glBindBufferRange; ModernGL: `buffer.bind_to_uniform_block(binding, offset,
    /// size)` and `buffer.bind_to_storage_buffer(...)`). The binding follows the buffer's bytes
    /// wherever a stream strategy puts them.
    BindBufferRange = "bind_buffer_range" {
        /// Uniform (GL_UNIFORM_BUFFER) or storage (GL_SHADER_STORAGE_BUFFER) blocks.
        kind: BlockKind,
        /// The buffer bound.
        buffer: BufferId,
        /// The binding, below what GL 4.5 guarantees for `kind`.
        binding: u32,
        /// Byte offset of the bound range, a multiple of the context's offset alignment for
        /// `kind` (checked at replay).
        offset: u64,
        /// Bytes bound, at least 1.
        size: u64,
    };
    /// Sets which binding the uniform or storage block `name` of `program` reads (ModernGL:
    /// `program[name].binding = binding`).
    BlockBinding = "block_binding" {
        /// The program.
        program: ProgramId,
        /// The block's name, as ModernGL names program members.
        name: Index<String>,
        /// The binding, below what GL 4.5 guarantees for uniform buffers (storage blocks:
        /// for storage buffers, checked at replay, where the block's kind is known).
        binding: u32,
    };
    /// Reads `chunks.count` chunks of `chunk_size` bytes into `readback`, one after the other
    /// (ModernGL: `buffer.read_chunks(chunk_size, start, step, count)`).
    ReadChunks = "read_chunks" {
        /// The buffer read.
        buffer: BufferId,
        /// Where the bytes go (the next dense readback id).
        readback: ReadbackId,
        /// Bytes per chunk, at most the step's size.
        chunk_size: u64,
        /// Where the chunks lie.
        chunks: Index<Chunks>,
    };
    /// Writes `data`, cut into `chunks.count` equal chunks, at the chunks' places (ModernGL:
    /// `buffer.write_chunks(data, start, step, count)`).
    WriteChunks = "write_chunks" {
        /// The buffer written.
        buffer: BufferId,
        /// Where the chunks go.
        chunks: Index<Chunks>,
        /// The chunks, one after the other.
        data: Payload,
    };
    /// Compiles and links `program` from a compute shader (ModernGL:
    /// `ctx.compute_shader(source)`); uniforms and releases take its id as any program's.
    CreateComputeShader = "create_compute_shader" {
        /// The new program (the next dense id, shared with other programs).
        program: ProgramId,
        /// Its source.
        desc: Index<ComputeShaderDesc>,
    };
    /// Runs a compute shader over `group_x` x `group_y` x `group_z` work groups (ModernGL:
    /// `compute_shader.run(group_x, group_y, group_z)`).
    RunCompute = "run_compute" [plain_text] {
        /// The compute shader.
        program: ProgramId,
        /// Work groups along x, at most [`MAX_COMPUTE_GROUPS`].
        group_x: u32,
        /// Work groups along y, at most [`MAX_COMPUTE_GROUPS`].
        group_y: u32,
        /// Work groups along z, at most [`MAX_COMPUTE_GROUPS`].
        group_z: u32,
    };
    /// Runs a compute shader over the work groups that three `u32` at `offset` of `buffer`
    /// give, x, y, z (ModernGL: `compute_shader.run_indirect(buffer, offset)`).
    RunComputeIndirect = "run_compute_indirect" [plain_text] {
        /// The compute shader.
        program: ProgramId,
        /// The buffer holding the counts.
        buffer: BufferId,
        /// Byte offset of the counts, a multiple of 4.
        offset: u64,
    };
    /// Orders memory accesses of shaders before it against those after it (ModernGL:
    /// `ctx.memory_barrier(barriers, by_region)`).
    MemoryBarrier = "memory_barrier" [plain_text] {
        /// The kinds of accesses ordered.
        barriers: Barriers,
        /// glMemoryBarrierByRegion instead of glMemoryBarrier.
        by_region: bool,
    };
    /// Binds a level of `texture` to image unit `unit` (ModernGL:
    /// `texture.bind_to_image(unit, read, write, level, format)`), all layers of an array,
    /// 3D texture or cube map.
    BindToImage = "bind_to_image" [plain_text] {
        /// The texture.
        texture: TextureId,
        /// The image unit, below [`MAX_IMAGE_UNITS`].
        unit: u32,
        /// What shaders may do with it.
        access: ImageAccess,
        /// The mipmap level, one that holds an image.
        level: u32,
        /// The format shaders see, or None for the texture's own (which must be one).
        format: Option<ImageFormat>,
    };
    /// Creates `query` counting `kinds` (ModernGL: `ctx.query(samples, any_samples, time,
    /// primitives)`).
    CreateQuery = "create_query" [plain_text] {
        /// The new query (the next dense id).
        query: QueryId,
        /// What it counts (at least one kind).
        kinds: QueryKinds,
    };
    /// Starts counting (ModernGL: entering `with query:`); its counts start from zero.
    BeginQuery = "begin_query" [plain_text] {
        /// The query, not running and not in conditional render.
        query: QueryId,
    };
    /// Stops counting (ModernGL: leaving `with query:`).
    EndQuery = "end_query" [plain_text] {
        /// The running query.
        query: QueryId,
    };
    /// Draws and clears after it happen only if the query's last count passed a sample
    /// (ModernGL: entering `with query.crender:`); replay waits for the count.
    BeginConditionalRender = "begin_conditional_render" [plain_text] {
        /// The query: counting samples, ended at least once, not running.
        query: QueryId,
    };
    /// Ends conditional rendering (ModernGL: leaving `with query.crender:`).
    EndConditionalRender = "end_conditional_render" [plain_text] {
        /// The query conditional rendering follows.
        query: QueryId,
    };
    /// Reads a result of the query's last count into `readback`, a `u32` (ModernGL:
    /// `query.samples`, `query.primitives`, `query.elapsed`; 0 before the first end).
    ReadQuery = "read_query" [plain_text] {
        /// The query, not running.
        query: QueryId,
        /// Where the count goes (the next dense readback id).
        readback: ReadbackId,
        /// Which count; the query counts it.
        result: QueryResult,
    };
    /// Draws `vertex_array` with `count` draw commands of 20 bytes each from `buffer`,
    /// starting at command `first` (ModernGL: `vao.render_indirect(buffer, mode, count,
    /// first)`): GL's DrawArraysIndirectCommand, or DrawElementsIndirectCommand for a vertex
    /// array with an index buffer.
    RenderIndirect = "render_indirect" [plain_text] {
        /// The vertex array.
        vertex_array: VertexArrayId,
        /// The buffer holding the draw commands.
        buffer: BufferId,
        /// The primitive mode.
        mode: Mode,
        /// Draw commands.
        count: u32,
        /// The first draw command (at byte `first * 20`).
        first: u32,
    };
}

impl Command {
    /// Whether the command runs shaders (draws, transforms, compute runs): its work counts
    /// toward the draw limits, and buffers on storage bindings may be written.
    pub(crate) fn runs_shaders(&self) -> bool {
        matches!(
            self,
            Command::Render { .. }
                | Command::Transform { .. }
                | Command::RenderIndirect { .. }
                | Command::RunCompute { .. }
                | Command::RunComputeIndirect { .. }
        )
    }

    /// Whether the command produces a readback (the next readback id, in list order).
    pub fn reads_back(&self) -> bool {
        matches!(
            self,
            Command::Read { .. }
                | Command::ReadPixels { .. }
                | Command::ReadDepth { .. }
                | Command::ReadTexture { .. }
                | Command::ReadChunks { .. }
                | Command::ReadQuery { .. }
        )
    }

    /// Bytes this command uploads to GL from its payload (initial data and writes of
    /// buffers and textures).
    pub(crate) fn upload_bytes(&self) -> u64 {
        match self {
            Command::CreateBuffer { data: Some(p), .. }
            | Command::Write { data: p, .. }
            | Command::WriteChunks { data: p, .. }
            | Command::CreateTexture { data: Some(p), .. }
            | Command::WriteTexture { data: Some(p), .. } => p.size(),
            _ => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_stays_small() {
        assert!(
            std::mem::size_of::<Command>() <= 32,
            "Command grew to {} bytes",
            std::mem::size_of::<Command>()
        );
        assert_eq!(std::mem::size_of::<Option<Payload>>(), 8);
    }
}
