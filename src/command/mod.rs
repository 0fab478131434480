//! The compact command list: what a [`Recorder`](crate::Recorder) writes and a
//! [`Renderer`](crate::Renderer) replays.
//!
//! [`Command`] is a small `Copy` enum (at most 32 bytes, checked by a test). Variable-size data
//! lives outside it: payload bytes in one [`PayloadArena`], wider descriptors (program sources,
//! vertex layouts, copies, clears, pixel reads) in side [`Tables`] indexed by a `u32`.

mod arena;
mod desc;
mod draw;
mod validate;

pub use arena::{ArenaError, Payload, PayloadArena, PAYLOAD_ALIGN};
pub use desc::{
    BufferCopy, Capability, ClearDesc, ColorFormat, FramebufferDesc, IndexBuffer, Object,
    PixelRead, PixelType, ProgramDesc, Rect, Tables, TransformDesc, VaryingsMode, VertexArrayDesc,
    VertexBinding,
};
pub use draw::{Draw, Mode};
pub(crate) use validate::{
    check_rect, check_vertex_array_counts, default_vertex_count, pixel_read_bytes, BindingExtent,
    Validator, RING_SLOTS,
};
pub use validate::{
    BufferOp, InvalidList, Limit, LimitExceeded, ReplayLimits, ShaderLimit, ShaderLimits,
    ValidatedList, ValidationError, MAX_ATTRIBUTE_OFFSET, MAX_FRAMEBUFFER_SIDE,
    MAX_VERTEX_ATTRIBUTES, MAX_VERTEX_BINDINGS, MAX_VERTEX_STRIDE,
};

use crate::ids::{BufferId, FramebufferId, ProgramId, ReadbackId, VertexArrayId};
use crate::uniform::UniformType;

/// One recorded call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Command {
    /// Creates `buffer` with `size` bytes, filled from `data` or with zeros when `data` is None.
    CreateBuffer {
        /// The new buffer (the next dense id).
        buffer: BufferId,
        /// GL_DYNAMIC_DRAW when true, GL_STATIC_DRAW otherwise.
        dynamic: bool,
        /// Size in bytes, at least 1.
        size: u64,
        /// Initial contents, exactly `size` bytes.
        data: Option<Payload>,
    },
    /// Writes `data` at `offset` (glBufferSubData).
    Write {
        /// The buffer written.
        buffer: BufferId,
        /// Byte offset of the first written byte.
        offset: u64,
        /// The bytes written.
        data: Payload,
    },
    /// Replaces the storage with `size` fresh bytes of undefined contents (glBufferData(NULL)).
    Orphan {
        /// The buffer orphaned.
        buffer: BufferId,
        /// The new size in bytes.
        size: u64,
    },
    /// Fills `size` bytes at `offset` with repeats of `chunk`, or with zeros when it is None.
    ClearBuffer {
        /// The buffer cleared.
        buffer: BufferId,
        /// The repeated pattern; `size` is a multiple of its length.
        chunk: Option<Payload>,
        /// Byte offset of the first cleared byte.
        offset: u64,
        /// Number of bytes cleared.
        size: u64,
    },
    /// Reads `size` bytes at `offset` into `readback`.
    Read {
        /// The buffer read.
        buffer: BufferId,
        /// Where the bytes go (the next dense readback id).
        readback: ReadbackId,
        /// Byte offset of the first byte read.
        offset: u64,
        /// Number of bytes read.
        size: u64,
    },
    /// Copies a range between buffers: [`Tables::copies`]`[copy]`.
    CopyBuffer {
        /// Index into [`Tables::copies`].
        copy: u32,
    },
    /// Compiles and links `program` from [`Tables::programs`]`[desc]`.
    CreateProgram {
        /// The new program (the next dense id).
        program: ProgramId,
        /// Index into [`Tables::programs`].
        desc: u32,
    },
    /// Sets uniform [`Tables::names`]`[name]` of `program` to `data` (32-bit words of `ty`).
    Uniform {
        /// The program.
        program: ProgramId,
        /// Index into [`Tables::names`].
        name: u32,
        /// The GLSL type of one element.
        ty: UniformType,
        /// One or more elements.
        data: Payload,
    },
    /// Creates `vertex_array` from [`Tables::vertex_arrays`]`[desc]`.
    CreateVertexArray {
        /// The new vertex array (the next dense id).
        vertex_array: VertexArrayId,
        /// Index into [`Tables::vertex_arrays`].
        desc: u32,
    },
    /// Draws `vertex_array` with its program into the framebuffer in use.
    Render {
        /// The vertex array.
        vertex_array: VertexArrayId,
        /// What is drawn.
        draw: Draw,
    },
    /// Draws with transform feedback and rasterizer discard: [`Tables::transforms`]`[transform]`.
    Transform {
        /// Index into [`Tables::transforms`].
        transform: u32,
    },
    /// Creates `framebuffer` from [`Tables::framebuffers`]`[desc]`.
    CreateFramebuffer {
        /// The new framebuffer (the next dense id; 0 is the screen).
        framebuffer: FramebufferId,
        /// Index into [`Tables::framebuffers`].
        desc: u32,
    },
    /// Makes `framebuffer` the target of draws and applies its viewport.
    UseFramebuffer {
        /// The framebuffer.
        framebuffer: FramebufferId,
    },
    /// Sets the viewport of `framebuffer` (applied now if it is in use, else when it is used).
    Viewport {
        /// The framebuffer.
        framebuffer: FramebufferId,
        /// The viewport rectangle.
        rect: Rect,
    },
    /// Clears a framebuffer: [`Tables::clears`]`[clear]`.
    ClearFramebuffer {
        /// Index into [`Tables::clears`].
        clear: u32,
    },
    /// Reads pixels into a readback: [`Tables::pixel_reads`]`[read]`.
    ReadPixels {
        /// Index into [`Tables::pixel_reads`].
        read: u32,
    },
    /// Enables or disables a capability.
    SetCapability {
        /// The capability.
        capability: Capability,
        /// On or off.
        enabled: bool,
    },
    /// Marks the end of a frame (for frame ranges and statistics); it does nothing on GL.
    EndFrame,
    /// Deletes an object; its id may not be used again.
    Release {
        /// The object released.
        object: Object,
    },
}

impl Command {
    /// A short lower-case name for messages and statistics.
    pub fn name(&self) -> &'static str {
        match self {
            Command::CreateBuffer { .. } => "create_buffer",
            Command::Write { .. } => "write",
            Command::Orphan { .. } => "orphan",
            Command::ClearBuffer { .. } => "clear_buffer",
            Command::Read { .. } => "read",
            Command::CopyBuffer { .. } => "copy_buffer",
            Command::CreateProgram { .. } => "create_program",
            Command::Uniform { .. } => "uniform",
            Command::CreateVertexArray { .. } => "create_vertex_array",
            Command::Render { .. } => "render",
            Command::Transform { .. } => "transform",
            Command::CreateFramebuffer { .. } => "create_framebuffer",
            Command::UseFramebuffer { .. } => "use_framebuffer",
            Command::Viewport { .. } => "viewport",
            Command::ClearFramebuffer { .. } => "clear_framebuffer",
            Command::ReadPixels { .. } => "read_pixels",
            Command::SetCapability { .. } => "set_capability",
            Command::EndFrame => "end_frame",
            Command::Release { .. } => "release",
        }
    }
}

/// A recorded list: commands, their payload arena and side tables.
#[derive(Clone, Default)]
pub struct CommandList {
    pub(crate) commands: Vec<Command>,
    pub(crate) arena: PayloadArena,
    pub(crate) tables: Tables,
}

impl CommandList {
    /// A list from its parts, for example decoded from a file: `payload_bytes` becomes the
    /// arena that the commands' payloads point into. Nothing is checked here; call
    /// [`CommandList::validate`] (replay does) before trusting it.
    pub fn from_parts(
        commands: Vec<Command>,
        payload_bytes: &[u8],
        tables: Tables,
    ) -> Result<Self, ArenaError> {
        let mut arena = PayloadArena::default();
        arena.extend_from_bytes(payload_bytes)?;
        Ok(CommandList {
            commands,
            arena,
            tables,
        })
    }

    /// All payload bytes, alignment padding included, as [`Payload`]s address them.
    pub fn payload_bytes(&self) -> &[u8] {
        self.arena.as_bytes()
    }

    /// The commands in recording order.
    pub fn commands(&self) -> &[Command] {
        &self.commands
    }

    /// The bytes of a payload, or `None` when it does not lie inside this list's arena.
    pub fn payload(&self, payload: Payload) -> Option<&[u8]> {
        self.arena.get(payload)
    }

    /// The side tables the commands index into.
    pub fn tables(&self) -> &Tables {
        &self.tables
    }

    /// Number of commands.
    pub fn len(&self) -> usize {
        self.commands.len()
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.commands.is_empty()
    }

    /// Bytes uploaded to GL by replaying this list once (initial data and writes).
    pub fn upload_bytes(&self) -> u64 {
        self.commands
            .iter()
            .map(|command| match command {
                Command::CreateBuffer { data: Some(p), .. } | Command::Write { data: p, .. } => {
                    p.size()
                }
                _ => 0,
            })
            .sum()
    }

    /// Number of frames: [`Command::EndFrame`] markers.
    pub fn frames(&self) -> u32 {
        let frames = self
            .commands
            .iter()
            .filter(|c| matches!(c, Command::EndFrame))
            .count();
        u32::try_from(frames).unwrap_or(u32::MAX)
    }

    /// Checks the whole list once (ids defined before use, ranges inside sizes, payloads
    /// inside the arena) so that it can be replayed any number of times without checks.
    pub fn validate(&self) -> Result<ValidatedList<'_>, InvalidList> {
        ValidatedList::new(self)
    }

    /// Forgets every command but keeps the allocations, for recording into a reused list.
    pub fn clear(&mut self) {
        self.commands.clear();
        self.arena.clear();
        self.tables.clear();
    }
}

impl std::fmt::Debug for CommandList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CommandList")
            .field("commands", &self.commands)
            .field("tables", &self.tables)
            .field("payload_bytes", &self.arena.as_bytes().len())
            .finish()
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
