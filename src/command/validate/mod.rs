//! Validation of commands against the state they imply (sizes, ids, layouts).
//!
//! One [`Validator`] serves both layers: the [`Recorder`](crate::Recorder) runs each call
//! through it before recording anything, and [`CommandList::validate`] runs a whole list through
//! a fresh one before replay (a list may come from a file). A check mutates the tracked state
//! only once it has passed, so a rejected call leaves everything as it was.

mod attachment;
mod buffer;
mod compute;
mod contents;
mod draw;
mod error;
mod framebuffer;
mod indirect;
mod limits;
mod pipeline;
mod query;
mod renderbuffer;
mod shader_limits;
#[cfg(test)]
mod tests;
mod texture;

pub(crate) use draw::{check_vertex_array_counts, default_vertex_count};
pub use error::{
    BufferOp, ValidationError, MAX_ATTRIBUTE_OFFSET, MAX_COLOR_ATTACHMENTS, MAX_FRAMEBUFFER_SIDE,
    MAX_SAMPLES, MAX_VERTEX_ATTRIBUTES, MAX_VERTEX_BINDINGS, MAX_VERTEX_STRIDE,
};
use framebuffer::check_rect_sides;
pub(crate) use framebuffer::{check_rect, pixel_read_bytes};
pub(crate) use indirect::{
    check_dispatch_command, check_draw_commands, draw_commands_range, DISPATCH_COMMAND_BYTES,
    DRAW_COMMAND_STRIDE,
};
pub use shader_limits::{ShaderLimit, ShaderLimits};

pub(crate) use limits::RING_SLOTS;
pub use limits::{Limit, LimitExceeded, ReplayLimits};

use contents::KnownContents;
use limits::{Counters, Peaks};
use query::{ActiveQueries, QueryState};

use super::{ChecksumMismatch, Command, CommandList, Index, Object, Payload, Reindex, TableEntry};
use crate::command::{Attachment, BlockKind, BufferCopy, IndexBuffer, PixelType, VaryingsMode};
use crate::ids::{
    BufferId, FramebufferId, ProgramId, QueryId, ReadbackId, RenderbufferId, SamplerId, TextureId,
    VertexArrayId,
};
use crate::vertex_format::Usage;
use smallvec::SmallVec;

/// A command list that failed validation, with the index of the first bad command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("command #{index} ({command}): {error}")]
pub struct InvalidList {
    /// Index of the first invalid command.
    pub index: usize,
    /// Its name.
    pub command: &'static str,
    /// What is wrong with it.
    pub error: ValidationError,
}

/// Objects of one kind by dense id, with their tracked state and whether they were released.
#[derive(Clone, Debug)]
struct Objects<T> {
    items: Vec<(T, bool)>,
    kind: &'static str,
    object: fn(u32) -> Object,
}

impl<T> Objects<T> {
    fn new(kind: &'static str, object: fn(u32) -> Object) -> Self {
        Objects {
            items: Vec::new(),
            kind,
            object,
        }
    }

    fn get(&self, id: u32) -> Result<&T, ValidationError> {
        match self.items.get(id as usize) {
            Some((state, false)) => Ok(state),
            Some((_, true)) => Err(ValidationError::Released {
                object: (self.object)(id),
            }),
            None => Err(ValidationError::Undefined {
                object: (self.object)(id),
                defined: self.count(),
            }),
        }
    }

    fn get_mut(&mut self, id: u32) -> Result<&mut T, ValidationError> {
        self.get(id)?;
        match self.items.get_mut(id as usize) {
            Some((state, _)) => Ok(state),
            None => Err(ValidationError::Undefined {
                object: (self.object)(id),
                defined: 0,
            }),
        }
    }

    fn next_id(&self) -> Result<u32, ValidationError> {
        u32::try_from(self.items.len()).map_err(|_| ValidationError::TooManyIds { kind: self.kind })
    }

    fn push(&mut self, state: T) {
        self.items.push((state, false));
    }

    fn release(&mut self, id: u32) -> Result<(), ValidationError> {
        self.get(id)?;
        if let Some(item) = self.items.get_mut(id as usize) {
            item.1 = true;
        }
        Ok(())
    }

    fn count(&self) -> u32 {
        self.items.len() as u32
    }

    /// The state of `id`, released or not, and whether it was released.
    fn any_mut(&mut self, id: u32) -> Option<(&mut T, bool)> {
        (self.items.get_mut(id as usize)).map(|(state, released)| (state, *released))
    }
}

/// What the validator knows of a program before it is linked.
#[derive(Clone, Debug, Default)]
struct ProgramState {
    varyings: usize,
    mode: VaryingsMode,
    geometry: bool,
    /// A compute shader (which runs, and has no vertex stage to draw with).
    compute: bool,
}

/// One buffer binding of a vertex array, reduced to what range checks need.
#[derive(Clone, Copy, Debug)]
pub(crate) struct BindingExtent {
    /// The buffer read.
    pub buffer: BufferId,
    /// Bytes between consecutive elements.
    pub stride: u64,
    /// Bytes one element reads from its start (end of its last field).
    pub extent: u64,
    /// How the element index advances.
    pub usage: Usage,
}

#[derive(Clone, Debug)]
struct VertexArrayState {
    program: ProgramId,
    bindings: SmallVec<[BindingExtent; 2]>,
    index: Option<IndexBuffer>,
}

#[derive(Clone, Debug)]
struct FramebufferState {
    /// `None` for the screen, whose size is known only at replay.
    size: Option<(u32, u32)>,
    /// What each color attachment stores (the screen: RGBA8, as `f1`).
    color: SmallVec<[PixelType; 4]>,
    /// Whether it has a depth attachment (the screen is taken to have one; replay checks).
    depth: bool,
    /// Samples per pixel, 0 when not multisampled.
    samples: u8,
    /// The images attached to it (a framebuffer made over existing images), color
    /// attachments in order then depth; it keeps them alive.
    images: SmallVec<[Attachment; 4]>,
    /// Bytes of the attachments it owns (a framebuffer made with its own renderbuffers).
    bytes: u64,
}

/// A renderbuffer: its size and samples, what it stores, and who holds it.
#[derive(Clone, Copy, Debug)]
struct RenderbufferState {
    width: u32,
    height: u32,
    samples: u8,
    /// What each component stores, or None for depth.
    color: Option<PixelType>,
    /// Bytes of its storage.
    bytes: u64,
    /// Attachments of live framebuffers that hold it: its storage lives until it is
    /// released and this is 0.
    attached: u32,
}

#[derive(Clone, Copy, Debug)]
struct BufferState {
    size: u64,
    /// Bytes of its ring under the ring strategy (0 until it is orphaned).
    ring: u64,
}

/// Checks that `value` fits GL's `GLsizei` / `GLint` (`gl_type` names which, for messages).
pub(crate) fn gl_int(
    what: &'static str,
    gl_type: &'static str,
    value: u64,
) -> Result<(), ValidationError> {
    if value > error::MAX_GL_INT {
        return Err(ValidationError::GlRange {
            what,
            value,
            gl_type,
            max: error::MAX_GL_INT,
        });
    }
    Ok(())
}

/// Tracks what calls recorded so far (or a list's commands) imply.
#[derive(Clone, Debug)]
pub struct Validator {
    buffers: Objects<BufferState>,
    programs: Objects<ProgramState>,
    vertex_arrays: Objects<VertexArrayState>,
    framebuffers: Objects<FramebufferState>,
    renderbuffers: Objects<RenderbufferState>,
    textures: Objects<texture::TextureState>,
    samplers: Objects<()>,
    queries: Objects<QueryState>,
    /// The running queries and conditional render.
    active: ActiveQueries,
    /// The bytes of small buffers, as far as the commands so far determine them.
    contents: KnownContents,
    readbacks: u32,
    /// What the commands so far ask for (see [`ReplayLimits`]).
    counters: Counters,
    /// The highest each counter has been.
    peaks: Peaks,
    /// The screen's size when known (a replay's limit check), for full-screen reads.
    screen: Option<(u32, u32)>,
}

impl Default for Validator {
    fn default() -> Self {
        let mut framebuffers =
            Objects::new("framebuffer", |id| Object::Framebuffer(FramebufferId(id)));
        framebuffers.push(FramebufferState {
            size: None,
            color: SmallVec::from_slice(&[PixelType::F1]),
            depth: true,
            samples: 0,
            images: SmallVec::new(),
            bytes: 0,
        });
        Validator {
            buffers: Objects::new("buffer", |id| Object::Buffer(BufferId(id))),
            programs: Objects::new("program", |id| Object::Program(ProgramId(id))),
            vertex_arrays: Objects::new("vertex array", |id| {
                Object::VertexArray(VertexArrayId(id))
            }),
            framebuffers,
            renderbuffers: Objects::new("renderbuffer", |id| {
                Object::Renderbuffer(RenderbufferId(id))
            }),
            textures: Objects::new("texture", |id| Object::Texture(TextureId(id))),
            samplers: Objects::new("sampler", |id| Object::Sampler(SamplerId(id))),
            queries: Objects::new("query", |id| Object::Query(QueryId(id))),
            active: ActiveQueries::default(),
            contents: KnownContents::default(),
            readbacks: 0,
            counters: Counters::default(),
            peaks: Peaks::default(),
            screen: None,
        }
    }
}

impl Validator {
    /// The id the next created buffer gets.
    pub fn next_buffer_id(&self) -> Result<BufferId, ValidationError> {
        self.buffers.next_id().map(BufferId)
    }

    /// The id the next created program gets.
    pub fn next_program_id(&self) -> Result<ProgramId, ValidationError> {
        self.programs.next_id().map(ProgramId)
    }

    /// The id the next created vertex array gets.
    pub fn next_vertex_array_id(&self) -> Result<VertexArrayId, ValidationError> {
        self.vertex_arrays.next_id().map(VertexArrayId)
    }

    /// The id the next created framebuffer gets.
    pub fn next_framebuffer_id(&self) -> Result<FramebufferId, ValidationError> {
        self.framebuffers.next_id().map(FramebufferId)
    }

    /// The id the next created renderbuffer gets.
    pub fn next_renderbuffer_id(&self) -> Result<RenderbufferId, ValidationError> {
        self.renderbuffers.next_id().map(RenderbufferId)
    }

    /// The id the next created texture gets.
    pub fn next_texture_id(&self) -> Result<TextureId, ValidationError> {
        self.textures.next_id().map(TextureId)
    }

    /// The id the next created sampler gets.
    pub fn next_sampler_id(&self) -> Result<SamplerId, ValidationError> {
        self.samplers.next_id().map(SamplerId)
    }

    /// The id the next created query gets.
    pub fn next_query_id(&self) -> Result<QueryId, ValidationError> {
        self.queries.next_id().map(QueryId)
    }

    /// The id the next read gets.
    pub fn next_readback_id(&self) -> ReadbackId {
        ReadbackId(self.readbacks)
    }

    /// Checks and applies a release of any object.
    fn release(&mut self, object: Object) -> Result<(), ValidationError> {
        match object {
            Object::Buffer(id) => {
                let state = *self.buffers.get(id.0)?;
                self.buffers.release(id.0)?;
                let c = &mut self.counters;
                c.live_bytes = c.live_bytes.saturating_sub(state.size);
                c.ring_bytes = c.ring_bytes.saturating_sub(state.ring);
                self.contents.forget(id);
                Ok(())
            }
            Object::Program(id) => self.programs.release(id.0),
            Object::VertexArray(id) => self.vertex_arrays.release(id.0),
            Object::Framebuffer(id) => self.release_framebuffer(id),
            Object::Renderbuffer(id) => self.renderbuffers.release_held(id.0, &mut self.counters),
            Object::Texture(id) => self.textures.release_held(id.0, &mut self.counters),
            Object::Sampler(id) => self.samplers.release(id.0),
            Object::Query(id) => self.release_query(id),
        }
    }

    /// Hands out the next readback id.
    fn next_readback(&mut self) -> Result<ReadbackId, ValidationError> {
        let id = ReadbackId(self.readbacks);
        self.readbacks = self
            .readbacks
            .checked_add(1)
            .ok_or(ValidationError::TooManyIds { kind: "readback" })?;
        Ok(id)
    }

    /// Checks `command` against everything applied before and, when it passes, applies it;
    /// `list` supplies its payloads and side-table entries. A rejected command changes
    /// nothing. This is the validator's one entry: the recorder applies each command it
    /// builds, and [`CommandList::validate`] applies a whole list.
    pub fn apply(&mut self, list: &CommandList, command: &Command) -> Result<(), ValidationError> {
        self.check_and_apply(list, command)?;
        if command.runs_shaders() {
            self.contents.shaders_ran();
        }
        self.peaks.update(&self.counters);
        Ok(())
    }

    /// A list validated as it was built, command by command through [`Validator::apply`]
    /// from a fresh validator (the recorder's own list).
    pub(crate) fn validated<'a>(&self, list: &'a CommandList) -> ValidatedList<'a> {
        ValidatedList {
            list,
            readback_count: self.readbacks,
            peaks: self.peaks,
        }
    }

    /// [`Validator::apply`]'s check, one arm per command kind.
    fn check_and_apply(
        &mut self,
        list: &CommandList,
        command: &Command,
    ) -> Result<(), ValidationError> {
        match *command {
            Command::CreateBuffer {
                buffer, size, data, ..
            } => {
                expect_id("buffer", self.buffers.count(), buffer.0)?;
                if let Some(data) = data {
                    let len = payload_len(list, data)?;
                    if len != size {
                        return Err(ValidationError::InitialDataSize { len, size });
                    }
                }
                self.create_buffer(size)?;
                match data.and_then(|data| list.payload(data)) {
                    Some(bytes) => self.contents.filled(buffer, bytes),
                    None => self.contents.zeroed(buffer, size),
                }
                Ok(())
            }
            Command::Write {
                buffer,
                offset,
                data,
            } => {
                self.write(buffer, offset, payload_len(list, data)?)?;
                let bytes = list.payload(data).unwrap_or_default();
                self.contents.write(buffer, offset, bytes);
                Ok(())
            }
            Command::Orphan { buffer, size } => {
                self.orphan(buffer, size)?;
                self.contents.zeroed(buffer, size);
                Ok(())
            }
            Command::ClearBuffer {
                buffer,
                chunk,
                offset,
                size,
            } => {
                let chunk_len = chunk.map(|c| payload_len(list, c)).transpose()?;
                self.clear_buffer(buffer, offset, size, chunk_len)?;
                let chunk = chunk.and_then(|c| list.payload(c)).unwrap_or_default();
                self.contents.clear(buffer, offset, size, chunk);
                Ok(())
            }
            Command::Read {
                buffer,
                readback,
                offset,
                size,
            } => {
                expect_id("readback", self.readbacks, readback.0)?;
                self.read(buffer, offset, size).map(drop)
            }
            Command::CopyBuffer { copy } => {
                let copy = entry(list, copy)?;
                self.copy(copy)?;
                let BufferCopy {
                    dst,
                    src,
                    size,
                    read_offset,
                    write_offset,
                } = *copy;
                (self.contents).copy(dst, src, size, read_offset, write_offset);
                Ok(())
            }
            Command::CreateProgram { program, desc } => {
                expect_id("program", self.programs.count(), program.0)?;
                self.create_program(entry(list, desc)?).map(drop)
            }
            Command::Uniform {
                program,
                name,
                ty,
                data,
            } => {
                let name = entry(list, name)?;
                self.uniform(program, name, ty, payload_len(list, data)?)
            }
            Command::CreateVertexArray { vertex_array, desc } => {
                expect_id("vertex array", self.vertex_arrays.count(), vertex_array.0)?;
                self.create_vertex_array(entry(list, desc)?).map(drop)
            }
            Command::Render { vertex_array, draw } => self.render(vertex_array, &draw),
            Command::Transform { transform } => {
                let transform = entry(list, transform)?;
                self.transform(transform)?;
                for &output in &transform.outputs {
                    self.contents.forget(output);
                }
                Ok(())
            }
            Command::CreateFramebuffer { framebuffer, desc } => {
                expect_id("framebuffer", self.framebuffers.count(), framebuffer.0)?;
                self.create_framebuffer(entry(list, desc)?).map(drop)
            }
            Command::UseFramebuffer { framebuffer } => self.check_framebuffer(framebuffer),
            Command::Viewport { framebuffer, rect } => self.viewport(framebuffer, rect),
            Command::ClearFramebuffer { clear } => {
                let clear = entry(list, clear)?;
                self.clear_framebuffer(clear.framebuffer, clear.viewport)
            }
            Command::ReadPixels { read } => {
                let read = entry(list, read)?;
                expect_id("readback", self.readbacks, read.readback.0)?;
                self.read_pixels(
                    read.framebuffer,
                    read.viewport,
                    read.components,
                    read.dtype,
                    read.attachment,
                )
                .map(drop)
            }
            Command::SetCapability { .. }
            | Command::EndFrame
            | Command::PrimitiveRestart { .. }
            | Command::EnableOnly { .. }
            | Command::BlendFunc { .. }
            | Command::BlendEquation { .. }
            | Command::DepthFunc { .. }
            | Command::FrontFace { .. }
            | Command::CullFace { .. }
            | Command::Wireframe { .. }
            | Command::StencilFunc { .. }
            | Command::StencilOp { .. }
            | Command::StencilMask { .. } => Ok(()),
            Command::PolygonOffset { factor, units } => {
                pipeline::finite("polygon offset factor", factor)?;
                pipeline::finite("polygon offset units", units)
            }
            Command::PointSize { size } => pipeline::size("point size", size),
            Command::LineWidth { width } => pipeline::size("line width", width),
            Command::Scissor { framebuffer, rect } => self.scissor(framebuffer, rect),
            Command::ColorMask {
                framebuffer,
                attachment,
                ..
            } => self.color_mask(framebuffer, attachment),
            Command::DepthMask { framebuffer, .. } => self.check_framebuffer(framebuffer),
            Command::Release { object } => self.release(object),
            Command::CreateRenderbuffer {
                renderbuffer,
                width,
                height,
                components,
                samples,
                dtype,
            } => {
                expect_id("renderbuffer", self.renderbuffers.count(), renderbuffer.0)?;
                let color = Some((components, dtype));
                self.create_renderbuffer(width, height, samples, color)
                    .map(drop)
            }
            Command::CreateDepthRenderbuffer {
                renderbuffer,
                width,
                height,
                samples,
            } => {
                expect_id("renderbuffer", self.renderbuffers.count(), renderbuffer.0)?;
                self.create_renderbuffer(width, height, samples, None)
                    .map(drop)
            }
            Command::CreateFramebufferFrom {
                framebuffer,
                attachments,
            } => {
                expect_id("framebuffer", self.framebuffers.count(), framebuffer.0)?;
                self.create_framebuffer_from(entry(list, attachments)?)
                    .map(drop)
            }
            Command::ReadDepth { read } => {
                let read = entry(list, read)?;
                expect_id("readback", self.readbacks, read.readback.0)?;
                self.read_depth(read.framebuffer, read.viewport, read.dtype)
                    .map(drop)
            }
            Command::CopyFramebuffer { dst, src } => self.copy_framebuffer(dst, src),
            Command::CreateTexture {
                texture,
                desc,
                data,
            } => {
                expect_id("texture", self.textures.count(), texture.0)?;
                let len = data.map(|data| payload_len(list, data)).transpose()?;
                self.create_texture(entry(list, desc)?, len).map(drop)
            }
            Command::WriteTexture { write, data } => {
                let len = data.map(|data| payload_len(list, data)).transpose()?;
                self.write_texture(entry(list, write)?, len)
            }
            Command::ReadTexture {
                texture,
                readback,
                level,
                face,
                alignment,
            } => {
                expect_id("readback", self.readbacks, readback.0)?;
                self.read_texture(texture, level, face, alignment).map(drop)
            }
            Command::BuildMipmaps {
                texture,
                base,
                max_level,
            } => self.build_mipmaps(texture, base, max_level),
            Command::SetTextureParameter { texture, parameter } => {
                self.texture_parameter(texture, &parameter)
            }
            Command::UseTexture { texture, unit } => self.use_texture(texture, unit),
            Command::CreateSampler { sampler } => {
                expect_id("sampler", self.samplers.count(), sampler.0)?;
                self.samplers.push(());
                Ok(())
            }
            Command::SetSamplerParameter { sampler, parameter } => {
                self.sampler_parameter(sampler, &parameter)
            }
            Command::UseSampler { sampler, unit } => self.use_sampler(sampler, unit),
            Command::BindBufferRange {
                kind,
                buffer,
                binding,
                offset,
                size,
            } => {
                self.bind_buffer_range(kind, buffer, binding, offset, size)?;
                if kind == BlockKind::Storage {
                    self.contents.bind_storage(binding, buffer);
                }
                Ok(())
            }
            Command::BlockBinding {
                program,
                name,
                binding,
            } => self.block_binding(program, entry(list, name)?, binding),
            Command::ReadChunks {
                buffer,
                readback,
                chunk_size,
                chunks,
            } => {
                expect_id("readback", self.readbacks, readback.0)?;
                (self.read_chunks(buffer, chunk_size, entry(list, chunks)?)).map(drop)
            }
            Command::WriteChunks {
                buffer,
                chunks,
                data,
            } => {
                let chunks = entry(list, chunks)?;
                self.write_chunks(buffer, chunks, payload_len(list, data)?)?;
                let bytes = list.payload(data).unwrap_or_default();
                self.contents.write_chunks(buffer, chunks, bytes);
                Ok(())
            }
            Command::CreateComputeShader { program, desc } => {
                expect_id("program", self.programs.count(), program.0)?;
                self.create_compute_shader(entry(list, desc)?).map(drop)
            }
            Command::RunCompute {
                program,
                group_x,
                group_y,
                group_z,
            } => self.run_compute(program, [group_x, group_y, group_z]),
            Command::RunComputeIndirect {
                program,
                buffer,
                offset,
            } => self.run_compute_indirect(program, buffer, offset),
            Command::MemoryBarrier {
                barriers,
                by_region,
            } => compute::memory_barrier(barriers, by_region),
            Command::BindToImage {
                texture,
                unit,
                level,
                format,
                ..
            } => self.bind_to_image(texture, unit, level, format),
            Command::CreateQuery { query, kinds } => {
                expect_id("query", self.queries.count(), query.0)?;
                self.create_query(kinds)
            }
            Command::BeginQuery { query } => self.begin_query(query),
            Command::EndQuery { query } => self.end_query(query),
            Command::BeginConditionalRender { query } => self.begin_conditional_render(query),
            Command::EndConditionalRender { query } => self.end_conditional_render(query),
            Command::ReadQuery {
                query,
                readback,
                result,
            } => {
                expect_id("readback", self.readbacks, readback.0)?;
                self.read_query(query, result).map(drop)
            }
            Command::RenderIndirect {
                vertex_array,
                buffer,
                count,
                first,
                ..
            } => self.render_indirect(vertex_array, buffer, count, first),
        }
    }
}

fn payload_len(list: &CommandList, payload: Payload) -> Result<u64, ValidationError> {
    list.payload(payload).map(|bytes| bytes.len() as u64).ok_or(
        ValidationError::PayloadOutsideArena {
            start: payload.start(),
            len: payload.size(),
            arena: list.payload_bytes().len() as u64,
        },
    )
}

/// The error of a list whose payload bytes fail their checksum, at the first command carrying
/// one of them.
pub(crate) fn checksum_error(list: &CommandList, mismatch: ChecksumMismatch) -> InvalidList {
    /// Finds whether a command carries a payload inside the damaged bytes.
    struct Inside((u64, u64), bool);
    impl Reindex for Inside {
        fn entry<T: TableEntry>(&mut self, index: Index<T>) -> Result<Index<T>, String> {
            Ok(index)
        }
        fn payload(&mut self, payload: Payload) -> Result<Payload, String> {
            self.1 |= payload.start() < self.0 .1 && payload.start() + payload.size() > self.0 .0;
            Ok(payload)
        }
    }
    let index = list
        .commands()
        .iter()
        .position(|command| {
            let mut inside = Inside(mismatch.arena, false);
            command.reindexed(&mut inside).is_ok() && inside.1
        })
        .unwrap_or(0);
    InvalidList {
        index,
        command: list.commands().get(index).map_or("(none)", Command::name),
        error: ValidationError::PayloadChecksum {
            offset: mismatch.offset,
            len: mismatch.len,
            expected: mismatch.expected,
            actual: mismatch.actual,
        },
    }
}

fn expect_id(kind: &'static str, expected: u32, found: u32) -> Result<(), ValidationError> {
    if expected == found {
        Ok(())
    } else {
        Err(ValidationError::IdOutOfOrder {
            kind,
            expected,
            found,
        })
    }
}

fn entry<T: TableEntry>(list: &CommandList, index: Index<T>) -> Result<&T, ValidationError> {
    list.entry(index).ok_or(ValidationError::MissingEntry {
        table: T::TABLE.entry_name(),
        index: index.raw(),
        count: list.tables().len(T::TABLE),
    })
}

/// A list that passed [`CommandList::validate`]: it can be replayed any number of times
/// without further checks.
#[derive(Clone, Copy, Debug)]
pub struct ValidatedList<'a> {
    list: &'a CommandList,
    readback_count: u32,
    peaks: Peaks,
}

impl<'a> ValidatedList<'a> {
    pub(in crate::command) fn new(list: &'a CommandList) -> Result<Self, InvalidList> {
        list.check_payloads()
            .map_err(|mismatch| checksum_error(list, mismatch))?;
        let mut validator = Validator::default();
        for (index, command) in list.commands().iter().enumerate() {
            validator
                .apply(list, command)
                .map_err(|error| InvalidList {
                    index,
                    command: command.name(),
                    error,
                })?;
        }
        Ok(validator.validated(list))
    }

    /// Checks that commands `start..end` can run again right after they ran, on the objects
    /// they and the commands before them left (timed frames replayed in loops): each is
    /// applied a second time after the first `end` commands. The second pass's reads take
    /// the first pass's readback ids again (a replay keeps the first pass's bytes).
    pub fn check_repeat(&self, start: usize, end: usize) -> Result<(), InvalidList> {
        let commands = self.list.commands();
        let mut validator = Validator::default();
        let mut readbacks_at_start = 0;
        let first = commands.iter().take(end).enumerate();
        let again = commands.iter().enumerate().take(end).skip(start);
        for (pass, (index, command)) in first.map(|c| (0, c)).chain(again.map(|c| (1, c))) {
            if index == start {
                match pass {
                    0 => readbacks_at_start = validator.readbacks,
                    _ => validator.readbacks = readbacks_at_start,
                }
            }
            validator
                .apply(self.list, command)
                .map_err(|error| InvalidList {
                    index,
                    command: command.name(),
                    error,
                })?;
        }
        Ok(())
    }

    /// A segment of a recording session: validated command by command as it was recorded,
    /// against the session's state (the objects it uses may come from earlier segments).
    /// Its resource peaks are not kept: submissions run trusted, recorded code.
    pub(in crate::command) fn segment(list: &'a CommandList, readback_count: u32) -> Self {
        ValidatedList {
            list,
            readback_count,
            peaks: Peaks::default(),
        }
    }

    /// The side-table entry a command of this list points to.
    #[allow(
        clippy::indexing_slicing,
        reason = "validation checked that every index the list's commands hold has its entry"
    )]
    pub fn entry<T: TableEntry>(&self, index: Index<T>) -> &'a T {
        &self.list.tables().entries::<T>()[index.raw() as usize]
    }

    /// The bytes of a payload a command of this list carries.
    #[allow(
        clippy::indexing_slicing,
        reason = "validation checked that every payload the list's commands carry lies inside its arena"
    )]
    pub fn payload(&self, payload: Payload) -> &'a [u8] {
        let start = payload.start() as usize;
        &self.list.payload_bytes()[start..start + payload.size() as usize]
    }

    /// Checks that running the first `end` commands stays within `limits` (resource limits
    /// only; the timeout is the replay's), with a screen of `screen` pixels and buffers
    /// streamed through rings when `ring`. O(1) when the whole list is within the limits;
    /// otherwise the list is scanned again to name the first command over a limit.
    pub fn check_limits(
        &self,
        limits: &ReplayLimits,
        screen: (u32, u32),
        ring: bool,
        end: usize,
    ) -> Result<(), LimitExceeded> {
        let pixels = u64::from(screen.0) * u64::from(screen.1);
        let within = |limit| self.peaks.value(limit, ring, pixels) <= limits.get(limit);
        if Limit::ALL.into_iter().all(within) {
            return Ok(());
        }
        let mut validator = Validator {
            screen: Some(screen),
            ..Validator::default()
        };
        for (index, command) in self.list.commands().iter().enumerate().take(end) {
            let draw = command.runs_shaders();
            // The list passed validation: a command cannot fail here. Should one, its
            // counters are left as they were, which only makes the check more lenient
            // than replay, where the failure is reported.
            let before = validator.counters;
            if validator.apply(self.list, command).is_err() {
                validator.counters = before;
            }
            for limit in Limit::ALL {
                if limit == Limit::DrawWork && !draw {
                    continue;
                }
                let (value, max) = (validator.counters.value(limit, ring), limits.get(limit));
                if value > max {
                    return Err(LimitExceeded {
                        index,
                        command: command.name(),
                        limit,
                        value,
                        max,
                    });
                }
            }
        }
        Ok(())
    }

    /// The list itself.
    pub fn list(&self) -> &'a CommandList {
        self.list
    }

    /// Number of readbacks the list produces.
    pub fn readback_count(&self) -> u32 {
        self.readback_count
    }
}
