//! Typed handles handed out by the [`Recorder`](crate::Recorder).
//!
//! Ids are dense indices (`0, 1, 2, ...` in creation order, per kind) so that the renderer maps
//! them to GL names through a `Vec`, not a map. They are never reused: a released id stays
//! released, so a use after release is caught instead of silently hitting a newer object.

use std::fmt;

macro_rules! id {
    ($(#[$doc:meta])* $name:ident, $label:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub struct $name(pub(crate) u32);

        impl $name {
            /// The id with dense index `index`, for lists built by hand
            /// ([`CommandList::from_parts`](crate::CommandList::from_parts)); validation
            /// checks that it exists before anything uses it.
            pub fn from_index(index: u32) -> Self {
                $name(index)
            }

            /// The dense index of this id in its command list.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($label, " #{}"), self.0)
            }
        }
    };
}

id!(
    /// A buffer recorded by [`Recorder::buffer`](crate::Recorder::buffer) and friends.
    BufferId,
    "buffer"
);
id!(
    /// The result of a recorded read; its bytes are available after replay.
    ReadbackId,
    "readback"
);
id!(
    /// A program recorded by [`Recorder::program`](crate::Recorder::program).
    ProgramId,
    "program"
);
id!(
    /// A vertex array recorded by [`Recorder::vertex_array`](crate::Recorder::vertex_array).
    VertexArrayId,
    "vertex array"
);
id!(
    /// A framebuffer: [`FramebufferId::SCREEN`] or one recorded by
    /// [`Recorder::framebuffer`](crate::Recorder::framebuffer).
    FramebufferId,
    "framebuffer"
);
id!(
    /// A texture (2D, array, 3D, cube map, depth or multisample; ModernGL's `ctx.texture`
    /// and friends).
    TextureId,
    "texture"
);
id!(
    /// A sampler object (ModernGL's `ctx.sampler`).
    SamplerId,
    "sampler"
);
id!(
    /// A renderbuffer (ModernGL's `ctx.renderbuffer` and `ctx.depth_renderbuffer`).
    RenderbufferId,
    "renderbuffer"
);
id!(
    /// A query (ModernGL's `ctx.query`): samples, primitives and time counted between its
    /// begin and end.
    QueryId,
    "query"
);

impl FramebufferId {
    /// The context's default framebuffer (ModernGL: `ctx.screen`); its size is known at replay.
    pub const SCREEN: FramebufferId = FramebufferId(0);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_stay_four_bytes_and_name_their_kind() {
        assert_eq!(std::mem::size_of::<BufferId>(), 4);
        assert_eq!(std::mem::size_of::<FramebufferId>(), 4);
        assert_eq!(VertexArrayId(3).to_string(), "vertex array #3");
        assert_eq!(FramebufferId::SCREEN.index(), 0);
    }
}
