//! The uniform and storage block bindings of one replay: which buffer range each binding
//! holds, by [`BufferId`], so that a binding follows its buffer's bytes when a stream strategy
//! moves them, goes when the buffer is released, and is checked against the blocks a draw's
//! program reads. The GL side of each binding is context state, kept in [`GlState`].

use super::buffers::BufferTable;
use super::pipeline::GlState;
use super::programs::GlProgram;
use super::Fault;
use crate::command::{
    BlockKind, ValidationError, MAX_STORAGE_BUFFER_BINDINGS, MAX_UNIFORM_BUFFER_BINDINGS,
};
use crate::gl::{self, types::*, Gl};
use crate::ids::BufferId;

/// A buffer range bound to a binding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Bound {
    buffer: BufferId,
    offset: u64,
    size: u64,
}

/// The range each uniform and storage buffer binding holds, and the context's offset
/// alignments.
pub(super) struct BlockBindings {
    uniform: [Option<Bound>; MAX_UNIFORM_BUFFER_BINDINGS as usize],
    storage: [Option<Bound>; MAX_STORAGE_BUFFER_BINDINGS as usize],
    /// GL_UNIFORM_BUFFER_OFFSET_ALIGNMENT and GL_SHADER_STORAGE_BUFFER_OFFSET_ALIGNMENT
    /// ([`BlockKind::ALL`] order).
    alignment: [u64; 2],
}

impl BlockBindings {
    /// Nothing bound, with the offset alignments of the current context.
    pub(super) fn new(gl: &Gl) -> Self {
        let alignment = [
            gl::UNIFORM_BUFFER_OFFSET_ALIGNMENT,
            gl::SHADER_STORAGE_BUFFER_OFFSET_ALIGNMENT,
        ]
        .map(|name| {
            let mut value = 0;
            // SAFETY: each query is one GLint.
            unsafe { gl.GetIntegerv(name, &mut value) };
            // GL guarantees at least 1; a broken driver's 0 would divide by zero.
            u64::try_from(value).unwrap_or(1).max(1)
        });
        BlockBindings {
            uniform: [None; MAX_UNIFORM_BUFFER_BINDINGS as usize],
            storage: [None; MAX_STORAGE_BUFFER_BINDINGS as usize],
            alignment,
        }
    }

    fn slots(&self, kind: BlockKind) -> &[Option<Bound>] {
        match kind {
            BlockKind::Uniform => &self.uniform,
            BlockKind::Storage => &self.storage,
        }
    }

    fn slots_mut(&mut self, kind: BlockKind) -> &mut [Option<Bound>] {
        match kind {
            BlockKind::Uniform => &mut self.uniform,
            BlockKind::Storage => &mut self.storage,
        }
    }

    /// The context's offset alignment for `kind`.
    fn alignment(&self, kind: BlockKind) -> u64 {
        let [uniform, storage] = self.alignment;
        match kind {
            BlockKind::Uniform => uniform,
            BlockKind::Storage => storage,
        }
    }

    /// Binds `size` bytes of `buffer` from `offset` to binding `binding` of `kind` (range
    /// and binding validated); an offset that is not a multiple of the context's alignment is
    /// an error naming the limit.
    #[allow(
        clippy::too_many_arguments,
        reason = "the command's five fields and the three tables it touches"
    )]
    pub(super) fn bind(
        &mut self,
        gl: &Gl,
        state: &mut GlState,
        buffers: &BufferTable,
        kind: BlockKind,
        binding: u32,
        buffer: BufferId,
        offset: u64,
        size: u64,
    ) -> Result<(), Fault> {
        let alignment = self.alignment(kind);
        if !offset.is_multiple_of(alignment) {
            return Err(Fault::Invalid(ValidationError::BindingAlignment {
                kind,
                offset,
                alignment,
            }));
        }
        let at = buffers.location(buffer)?;
        let slot = (self.slots_mut(kind).get_mut(binding as usize))
            .ok_or(Fault::Corrupt("block binding past the guaranteed count"))?;
        *slot = Some(Bound {
            buffer,
            offset,
            size,
        });
        state.bind_block_buffer(gl, kind, binding, at, offset, size);
        Ok(())
    }

    /// Binds the ranges of `buffer` again where its bytes are now, GL buffer `at`.
    pub(super) fn moved(&self, gl: &Gl, state: &mut GlState, buffer: BufferId, at: GLuint) {
        for kind in BlockKind::ALL {
            for (binding, bound) in self.slots(kind).iter().enumerate() {
                if let Some(bound) = bound.filter(|b| b.buffer == buffer) {
                    let binding = binding as u32;
                    state.bind_block_buffer(gl, kind, binding, at, bound.offset, bound.size);
                }
            }
        }
    }

    /// Unbinds `buffer` wherever it is bound (it is being released; GL would unbind only its
    /// own storage, not a ring slot that holds its bytes).
    pub(super) fn released(&mut self, gl: &Gl, state: &mut GlState, buffer: BufferId) {
        for kind in BlockKind::ALL {
            for (binding, slot) in self.slots_mut(kind).iter_mut().enumerate() {
                if slot.is_some_and(|b| b.buffer == buffer) {
                    *slot = None;
                    state.bind_block_buffer(gl, kind, binding as u32, 0, 0, 0);
                }
            }
        }
    }

    /// Forgets every binding (every buffer was deleted).
    pub(super) fn clear(&mut self) {
        self.uniform = [None; MAX_UNIFORM_BUFFER_BINDINGS as usize];
        self.storage = [None; MAX_STORAGE_BUFFER_BINDINGS as usize];
    }

    /// Checks that every block `program` reads is bound to a range of at least the block's
    /// size, as the buffer is now: GL leaves reads past a bound range, or through an empty
    /// binding, undefined.
    pub(super) fn check(&self, program: &GlProgram, buffers: &BufferTable) -> Result<(), Fault> {
        for block in &program.blocks {
            let (kind, binding) = (block.kind, block.binding);
            let bound = (self.slots(kind).get(binding as usize)).and_then(|slot| *slot);
            let problem = match bound {
                None => format!(
                    "the program reads it through {kind} binding {binding}, which holds no buffer (bind one with {})",
                    kind.call()
                ),
                Some(bound) => {
                    let available = buffers.size(bound.buffer).saturating_sub(bound.offset);
                    let held = bound.size.min(available);
                    if held >= block.size {
                        continue;
                    }
                    format!(
                        "it needs {} bytes, and {kind} binding {binding} holds {held} ({} from offset {})",
                        block.size, bound.buffer, bound.offset
                    )
                }
            };
            return Err(Fault::Block {
                name: block.name.clone(),
                problem,
            });
        }
        Ok(())
    }
}
