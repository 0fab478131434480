//! Command list to text: each [`Command`] becomes the [`Op`] that records it again.

use super::number::{Component, Scalar};
use super::op::{region_text, Bytes, Color, HeaderLine, HeaderName, Op};
use super::plain::PlainLine;
use crate::command::{
    BlockKind, BufferCopy, Chunks, ClearDesc, Command, CommandList, DepthRead,
    FramebufferAttachments, FramebufferDesc, Index, Payload, PixelRead, ProgramDesc, TableEntry,
    Tables, TextureDesc, TextureWrite, TransformDesc, VertexArrayDesc,
};
use crate::ids::{FramebufferId, ProgramId, TextureId, VertexArrayId};
use crate::terminal::json_line;
use crate::trace::{hex, TraceHeader};
use crate::uniform::UniformType;
use std::io;

/// Why a command of a corrupt list (one read from a file) cannot be printed.
type Corrupt = &'static str;

/// Writes the `header` line of `header` to `out`, unless the header holds nothing a text
/// gives (no label, digests or incomplete list).
pub(super) fn dump_header(header: &TraceHeader, out: &mut impl io::Write) -> io::Result<()> {
    let TraceHeader {
        label,
        readback_digests,
        incomplete,
        ..
    } = header;
    if label.is_empty() && readback_digests.is_empty() && incomplete.is_empty() {
        return Ok(());
    }
    let line = HeaderLine {
        op: HeaderName::Header,
        label: label.clone(),
        readback_digests: readback_digests.iter().map(|d| hex(d)).collect(),
        incomplete: incomplete.clone(),
    };
    out.write_all(&json_line(&line)?)
}

/// Writes one line per command of `list` to `out`.
pub(super) fn dump(list: &CommandList, out: &mut impl io::Write) -> io::Result<()> {
    for (index, command) in list.commands().iter().enumerate() {
        // Terminal-safe: names and sources from a trace may hold escape sequences.
        let line = if Command::has_plain_text(command.name()) {
            json_line(&PlainLine(command))?
        } else {
            let op = op(list, command).map_err(|what| {
                let message = format!("command #{index} ({}): {what}", command.name());
                io::Error::new(io::ErrorKind::InvalidData, message)
            })?;
            json_line(&op)?
        };
        out.write_all(&line)?;
    }
    Ok(())
}

/// The call that records `command`, a kind with a hand-made text form, again.
fn op(list: &CommandList, command: &Command) -> Result<Op, Corrupt> {
    let tables = list.tables();
    Ok(match *command {
        Command::CreateBuffer {
            buffer,
            dynamic,
            size,
            data,
        } => Op::Buffer {
            id: buffer,
            size,
            dynamic,
            data: data.map(|data| payload_hex(list, data)).transpose()?,
        },
        Command::Write {
            buffer,
            offset,
            data,
        } => Op::Write {
            buffer,
            offset,
            data: payload_hex(list, data)?,
        },
        Command::Orphan { buffer, size } => Op::Orphan {
            buffer,
            size: Some(size),
        },
        Command::ClearBuffer {
            buffer,
            chunk,
            offset,
            size,
        } => Op::Clear {
            buffer,
            size: Some(size),
            offset,
            chunk: chunk.map(|chunk| payload_hex(list, chunk)).transpose()?,
        },
        Command::Read {
            buffer,
            readback,
            offset,
            size,
        } => Op::Read {
            id: readback,
            buffer,
            size: Some(size),
            offset,
        },
        Command::CopyBuffer { copy } => copy_buffer(tables, copy)?,
        Command::CreateProgram { program, desc } => create_program(tables, program, desc)?,
        Command::Uniform {
            program,
            name,
            ty,
            data,
        } => uniform(list, program, name, ty, data)?,
        Command::CreateVertexArray { vertex_array, desc } => {
            create_vertex_array(tables, vertex_array, desc)?
        }
        Command::Render { vertex_array, draw } => Op::Render {
            vertex_array,
            mode: draw.mode,
            vertices: draw.vertices,
            first: draw.first,
            instances: draw.instances,
        },
        Command::Transform { transform } => self::transform(tables, transform)?,
        Command::CreateFramebuffer { framebuffer, desc } => {
            create_framebuffer(tables, framebuffer, desc)?
        }
        Command::ClearFramebuffer { clear } => clear_framebuffer(tables, clear)?,
        Command::ReadPixels { read } => read_pixels(tables, read)?,
        Command::CreateFramebufferFrom {
            framebuffer,
            attachments,
        } => framebuffer_from(tables, framebuffer, attachments)?,
        Command::ReadDepth { read } => read_depth(tables, read)?,
        Command::SetCapability {
            capability,
            enabled,
        } => match enabled {
            true => Op::Enable { capability },
            false => Op::Disable { capability },
        },
        Command::CreateTexture {
            texture,
            desc,
            data,
        } => create_texture(list, texture, desc, data)?,
        Command::WriteTexture { write, data } => write_texture(list, write, data)?,
        Command::BindBufferRange {
            kind,
            buffer,
            binding,
            offset,
            size,
        } => {
            let size = Some(size);
            match kind {
                BlockKind::Uniform => Op::BindToUniformBlock {
                    buffer,
                    binding,
                    offset,
                    size,
                },
                BlockKind::Storage => Op::BindToStorageBuffer {
                    buffer,
                    binding,
                    offset,
                    size,
                },
            }
        }
        Command::BlockBinding {
            program,
            name,
            binding,
        } => Op::BlockBinding {
            program,
            name: entry(tables, name)?.clone(),
            binding,
        },
        Command::ReadChunks {
            buffer,
            readback,
            chunk_size,
            chunks,
        } => {
            let (start, step, count) = chunk_layout(tables, chunks)?;
            Op::ReadChunks {
                id: readback,
                buffer,
                chunk_size,
                start,
                step,
                count,
            }
        }
        Command::WriteChunks {
            buffer,
            chunks,
            data,
        } => {
            let (start, step, count) = chunk_layout(tables, chunks)?;
            Op::WriteChunks {
                buffer,
                start,
                step,
                count,
                data: payload_hex(list, data)?,
            }
        }
        Command::CreateComputeShader { program, desc } => Op::ComputeShader {
            id: program,
            source: entry(tables, desc)?.source.clone(),
        },
        // Plain kinds are written by `PlainLine`; the text tests check that every kind
        // has one form or the other.
        _ => return Err("its kind has no hand-made text form"),
    })
}

fn copy_buffer(tables: &Tables, copy: Index<BufferCopy>) -> Result<Op, Corrupt> {
    let copy = entry(tables, copy)?;
    Ok(Op::CopyBuffer {
        dst: copy.dst,
        src: copy.src,
        size: Some(copy.size),
        read_offset: copy.read_offset,
        write_offset: copy.write_offset,
    })
}

fn create_program(
    tables: &Tables,
    program: ProgramId,
    desc: Index<ProgramDesc>,
) -> Result<Op, Corrupt> {
    let desc = entry(tables, desc)?.clone();
    Ok(Op::Program {
        id: program,
        vertex_shader: desc.vertex_shader,
        fragment_shader: desc.fragment_shader,
        geometry_shader: desc.geometry_shader,
        varyings: desc.varyings,
        varyings_mode: desc.varyings_mode,
    })
}

fn uniform(
    list: &CommandList,
    program: ProgramId,
    name: Index<String>,
    ty: UniformType,
    data: Payload,
) -> Result<Op, Corrupt> {
    let component = Component::of(ty);
    let values = (payload(list, data)?.chunks(component.size()))
        .map(|bytes| component.scalar(bytes))
        .collect::<Option<_>>()
        .ok_or("its value is not whole components")?;
    Ok(Op::Uniform {
        program,
        name: entry(list.tables(), name)?.clone(),
        ty,
        values,
    })
}

fn create_vertex_array(
    tables: &Tables,
    vertex_array: VertexArrayId,
    desc: Index<VertexArrayDesc>,
) -> Result<Op, Corrupt> {
    let desc = entry(tables, desc)?;
    Ok(Op::VertexArray {
        id: vertex_array,
        program: desc.program,
        content: (desc.bindings.iter())
            .map(|b| (b.buffer, b.format.to_string(), b.attributes.to_vec()))
            .collect(),
        index: desc.index.map(|index| (index.buffer, index.element_size)),
        skip_errors: desc.skip_errors,
    })
}

fn transform(tables: &Tables, transform: Index<TransformDesc>) -> Result<Op, Corrupt> {
    let desc = entry(tables, transform)?;
    Ok(Op::Transform {
        vertex_array: desc.vertex_array,
        outputs: desc.outputs.to_vec(),
        mode: desc.draw.mode,
        vertices: desc.draw.vertices,
        first: desc.draw.first,
        instances: desc.draw.instances,
        buffer_offset: desc.buffer_offset,
    })
}

fn create_framebuffer(
    tables: &Tables,
    framebuffer: FramebufferId,
    desc: Index<FramebufferDesc>,
) -> Result<Op, Corrupt> {
    let desc = entry(tables, desc)?;
    Ok(Op::Framebuffer {
        id: framebuffer,
        width: desc.width,
        height: desc.height,
        color: desc.color.iter().copied().map(Color).collect(),
        depth: desc.depth,
    })
}

fn clear_framebuffer(tables: &Tables, clear: Index<ClearDesc>) -> Result<Op, Corrupt> {
    let clear = entry(tables, clear)?;
    Ok(Op::ClearFramebuffer {
        framebuffer: clear.framebuffer,
        color: clear.color.map(Scalar::from_f32),
        depth: Scalar::from_f32(clear.depth),
        viewport: clear.viewport,
    })
}

fn read_pixels(tables: &Tables, read: Index<PixelRead>) -> Result<Op, Corrupt> {
    let read = entry(tables, read)?;
    Ok(Op::ReadPixels {
        id: read.readback,
        framebuffer: read.framebuffer,
        viewport: read.viewport,
        components: read.components,
        attachment: read.attachment,
        dtype: read.dtype,
    })
}

fn framebuffer_from(
    tables: &Tables,
    framebuffer: FramebufferId,
    attachments: Index<FramebufferAttachments>,
) -> Result<Op, Corrupt> {
    let attachments = entry(tables, attachments)?;
    Ok(Op::FramebufferFrom {
        id: framebuffer,
        color_attachments: attachments.color.to_vec(),
        depth_attachment: attachments.depth,
    })
}

fn read_depth(tables: &Tables, read: Index<DepthRead>) -> Result<Op, Corrupt> {
    let read = entry(tables, read)?;
    Ok(Op::ReadDepth {
        id: read.readback,
        framebuffer: read.framebuffer,
        viewport: read.viewport,
        dtype: read.dtype,
    })
}

fn create_texture(
    list: &CommandList,
    texture: TextureId,
    desc: Index<TextureDesc>,
    data: Option<Payload>,
) -> Result<Op, Corrupt> {
    let desc = entry(list.tables(), desc)?;
    let [width, height, depth] = desc.size;
    Ok(Op::Texture {
        id: texture,
        kind: desc.kind,
        size: match desc.kind.is_layered() {
            true => vec![width, height, depth],
            false => vec![width, height],
        },
        components: desc.components,
        dtype: desc.dtype,
        samples: desc.samples,
        alignment: desc.alignment,
        internal_format: desc.internal_format,
        depth: desc.depth,
        data: data.map(|data| payload_hex(list, data)).transpose()?,
    })
}

fn write_texture(
    list: &CommandList,
    write: Index<TextureWrite>,
    data: Option<Payload>,
) -> Result<Op, Corrupt> {
    let write = entry(list.tables(), write)?;
    Ok(Op::WriteTexture {
        texture: write.texture,
        face: write.face,
        viewport: write.viewport.map(region_text),
        level: write.level,
        alignment: write.alignment,
        data: data.map(|data| payload_hex(list, data)).transpose()?,
        buffer: write.buffer,
    })
}

/// Where chunks lie, as the text writes it: start, step, count.
fn chunk_layout(tables: &Tables, chunks: Index<Chunks>) -> Result<(i64, i64, u64), Corrupt> {
    let chunks = entry(tables, chunks)?;
    let start = i64::try_from(chunks.start).map_err(|_| "its chunks start past i64::MAX")?;
    Ok((start, chunks.step, chunks.count))
}

/// The side-table entry a command points to.
fn entry<T: TableEntry>(tables: &Tables, index: Index<T>) -> Result<&T, Corrupt> {
    tables.get(index).ok_or("its side-table entry is missing")
}

/// The bytes of a payload.
fn payload(list: &CommandList, payload: Payload) -> Result<&[u8], Corrupt> {
    list.payload(payload)
        .ok_or("its payload lies outside the payload arena")
}

/// The bytes of a payload in lower-case hex.
fn payload_hex(list: &CommandList, data: Payload) -> Result<Bytes, Corrupt> {
    payload(list, data).map(|bytes| Bytes::Hex(hex(bytes)))
}
