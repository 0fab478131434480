//! Buffer bindings of interface blocks: which kind of block an indexed buffer binding serves
//! (ModernGL's `bind_to_uniform_block` and `bind_to_storage_buffer`), and how many bindings
//! of each kind GL 4.5 guarantees.

use std::fmt;

/// Uniform buffer bindings: GL 4.5's guaranteed `GL_MAX_UNIFORM_BUFFER_BINDINGS`.
pub const MAX_UNIFORM_BUFFER_BINDINGS: u32 = 84;

/// Shader storage buffer bindings: GL 4.5's guaranteed
/// `GL_MAX_SHADER_STORAGE_BUFFER_BINDINGS`.
pub const MAX_STORAGE_BUFFER_BINDINGS: u32 = 8;

/// The kind of interface block an indexed buffer binding serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BlockKind {
    /// Uniform blocks (`uniform Block { ... }`), read through GL_UNIFORM_BUFFER bindings.
    Uniform,
    /// Shader storage blocks (`buffer Block { ... }`), read and written through
    /// GL_SHADER_STORAGE_BUFFER bindings.
    Storage,
}

impl BlockKind {
    /// Both kinds.
    pub const ALL: [BlockKind; 2] = [BlockKind::Uniform, BlockKind::Storage];

    /// The bindings of this kind GL 4.5 guarantees: bindings are `0..bindings()`.
    pub const fn bindings(self) -> u32 {
        match self {
            BlockKind::Uniform => MAX_UNIFORM_BUFFER_BINDINGS,
            BlockKind::Storage => MAX_STORAGE_BUFFER_BINDINGS,
        }
    }

    /// The GL limit [`BlockKind::bindings`] is the guaranteed value of.
    pub const fn bindings_limit(self) -> &'static str {
        match self {
            BlockKind::Uniform => "GL_MAX_UNIFORM_BUFFER_BINDINGS",
            BlockKind::Storage => "GL_MAX_SHADER_STORAGE_BUFFER_BINDINGS",
        }
    }

    /// The context limit a binding's offset must be a multiple of (checked at replay).
    pub const fn alignment_limit(self) -> &'static str {
        match self {
            BlockKind::Uniform => "GL_UNIFORM_BUFFER_OFFSET_ALIGNMENT",
            BlockKind::Storage => "GL_SHADER_STORAGE_BUFFER_OFFSET_ALIGNMENT",
        }
    }

    /// The recorder call (ModernGL's) that binds a buffer for this kind.
    pub const fn call(self) -> &'static str {
        match self {
            BlockKind::Uniform => "bind_to_uniform_block",
            BlockKind::Storage => "bind_to_storage_buffer",
        }
    }
}

impl fmt::Display for BlockKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BlockKind::Uniform => "uniform block",
            BlockKind::Storage => "storage block",
        })
    }
}
