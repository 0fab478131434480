//! The compact command list: what a [`Recorder`](crate::Recorder) writes and a
//! [`Renderer`](crate::Renderer) replays.
//!
//! [`Command`] is a small `Copy` enum (at most 32 bytes, checked by a test). Variable-size data
//! lives outside it: payload bytes in one 64-byte-aligned arena, wider descriptors (program
//! sources, vertex layouts, copies, clears, pixel reads) in side [`Tables`] indexed by a typed
//! [`Index`]. A [`CommandList`] is built only through a [`Transaction`].

mod arena;
mod desc;
mod draw;
mod list;
mod references;
mod segment;
mod tables;
mod validate;

pub use arena::{ArenaError, Payload, PAYLOAD_ALIGN};
pub use desc::{
    Attachment, BufferCopy, Capability, ClearDesc, ColorFormat, CopyTarget, DepthRead,
    FramebufferAttachments, FramebufferDesc, IndexBuffer, Object, PixelRead, PixelType,
    ProgramDesc, Rect, TransformDesc, VaryingsMode, VertexArrayDesc, VertexBinding,
};
pub use draw::{Draw, Mode};
pub use list::{CommandList, Transaction};
use references::CommandField;
pub(crate) use references::Reindex;
pub use segment::Segment;
pub(crate) use tables::with_side_tables;
pub use tables::{Index, Table, TableEntry, Tables};
pub(crate) use validate::{
    check_rect, check_vertex_array_counts, default_vertex_count, pixel_read_bytes, BindingExtent,
    Validator, RING_SLOTS,
};
pub use validate::{
    BufferOp, InvalidList, Limit, LimitExceeded, ReplayLimits, ShaderLimit, ShaderLimits,
    ValidatedList, ValidationError, MAX_ATTRIBUTE_OFFSET, MAX_COLOR_ATTACHMENTS,
    MAX_FRAMEBUFFER_SIDE, MAX_SAMPLES, MAX_VERTEX_ATTRIBUTES, MAX_VERTEX_BINDINGS,
    MAX_VERTEX_STRIDE,
};

use crate::ids::{BufferId, FramebufferId, ProgramId, ReadbackId, RenderbufferId, VertexArrayId};
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
    Viewport = "viewport" {
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
