//! Text to command list: each line is parsed into an [`Op`] and made again through a
//! [`Recorder`], so that it is checked exactly as a recorded call is.

use super::number::{Component, Scalar};
use super::op::{region, Bytes, HeaderLine, Op};
use super::{plain, TextError};
use crate::command::{Command, Draw, ProgramDesc, TextureDesc, TextureWrite, ValidationError};
use crate::ids::{BufferId, ProgramId, VertexArrayId};
use crate::record::Recorder;
use crate::trace::Trace;
use crate::uniform::{UniformScalar, UniformType};
use serde::Deserialize;
use std::borrow::Cow;
use std::fmt::Display;

/// Parses every line of `text` and records it; `payloads` is the payload file that
/// [`Bytes::File`] ranges point into, when one was given.
pub(super) fn assemble(text: &str, payloads: Option<&[u8]>) -> Result<Trace, TextError> {
    let mut rec = Recorder::new();
    let mut header: Option<(usize, HeaderLine)> = None;
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match parse(number, line)? {
            Line::Op(op) => apply(&mut rec, payloads, number, op)?,
            Line::Plain(command) => rec.record_plain(command).at(number)?,
            Line::Header(_) if header.is_some() => {
                return Err(invalid(
                    number,
                    "a second `header` line (a text has at most one)",
                ))
            }
            Line::Header(line) => header = Some((number, line)),
        }
    }
    let list = rec.finish();
    let Some((number, line)) = header else {
        return Ok(Trace::new(list, "", Vec::new()));
    };
    let digests = (line.readback_digests.iter().enumerate())
        .map(|(i, text)| {
            let bytes = hex(number, "readback_digests", text)?;
            <[u8; 32]>::try_from(bytes).map_err(|_| {
                invalid(
                    number,
                    &format!("`readback_digests[{i}]` is not 32 bytes (64 hex digits)"),
                )
            })
        })
        .collect::<Result<_, _>>()?;
    let mut trace = Trace::new(list, &line.label, digests);
    trace.header.incomplete = line.incomplete;
    Ok(trace)
}

/// What a line holds: a call with a hand-made text form, a plain command, or the header.
enum Line {
    Op(Op),
    Plain(Command),
    Header(HeaderLine),
}

/// The `"op"` of a line, read before the rest to choose the form.
#[derive(Deserialize)]
struct OpName<'a> {
    #[serde(borrow)]
    op: Cow<'a, str>,
}

/// The op or command on a (trimmed, non-empty) line.
fn parse(number: usize, line: &str) -> Result<Line, TextError> {
    // serde would also take `["write", 0, ...]` for an internally tagged enum.
    if !line.starts_with('{') {
        return Err(TextError::Json {
            line: number,
            column: Some(1),
            message: "expected a JSON object".to_owned(),
        });
    }
    let OpName { op } =
        serde_json::from_str(line).map_err(|error| TextError::json(number, &error))?;
    if Command::has_plain_text(&op) {
        return plain::parse(number, &op, line).map(Line::Plain);
    }
    if op == "header" {
        return (serde_json::from_str(line).map(Line::Header))
            .map_err(|error| TextError::json(number, &error));
    }
    serde_json::from_str(line).map(Line::Op).map_err(|error| {
        let mut error = TextError::json(number, &error);
        if let TextError::Json { message, .. } = &mut error {
            if message.starts_with("unknown variant") {
                let plain = Command::NAMES
                    .iter()
                    .filter(|name| Command::has_plain_text(name));
                let plain: Vec<String> = plain.map(|name| format!("`{name}`")).collect();
                message.push_str(&format!(", {}", plain.join(", ")));
            }
        }
        error
    })
}

/// Attaches a line number to a recorder's verdict.
trait AtLine<T> {
    fn at(self, line: usize) -> Result<T, TextError>;
}

impl<T> AtLine<T> for Result<T, ValidationError> {
    fn at(self, line: usize) -> Result<T, TextError> {
        self.map_err(|error| TextError::Validation { line, error })
    }
}

/// Records `op`, found on `line`.
fn apply(
    rec: &mut Recorder,
    payloads: Option<&[u8]>,
    line: usize,
    op: Op,
) -> Result<(), TextError> {
    let bytes = |field, data: &Bytes| bytes(payloads, line, field, data);
    match op {
        Op::Buffer {
            id,
            size,
            dynamic,
            data,
        } => {
            let data = data.map(|data| bytes("data", &data)).transpose()?;
            let made = buffer(rec, size, dynamic, data.as_deref()).at(line)?;
            same_id(line, "buffer", made.0, id.0)
        }
        Op::Write {
            buffer,
            offset,
            data,
        } => rec.write(buffer, offset, &bytes("data", &data)?).at(line),
        Op::Orphan { buffer, size } => rec.orphan(buffer, size).at(line),
        Op::Clear {
            buffer,
            size,
            offset,
            chunk,
        } => {
            let chunk = chunk.map(|chunk| bytes("chunk", &chunk)).transpose()?;
            (rec.clear_range(buffer, size, offset, chunk.as_deref())).at(line)
        }
        Op::Read {
            id,
            buffer,
            size,
            offset,
        } => {
            let made = rec.read(buffer, size, offset).at(line)?;
            same_id(line, "readback", made.0, id.0)
        }
        Op::CopyBuffer {
            dst,
            src,
            size,
            read_offset,
            write_offset,
        } => (rec.copy_buffer(dst, src, size, read_offset, write_offset)).at(line),
        Op::Program {
            id,
            vertex_shader,
            fragment_shader,
            geometry_shader,
            varyings,
            varyings_mode,
        } => {
            let desc = ProgramDesc {
                vertex_shader,
                fragment_shader,
                geometry_shader,
                varyings,
                varyings_mode,
            };
            let made = rec.program(desc).at(line)?;
            same_id(line, "program", made.0, id.0)
        }
        Op::Uniform {
            program,
            name,
            ty,
            values,
        } => uniform(rec, line, program, &name, ty, &values),
        Op::VertexArray {
            id,
            program,
            content,
            index,
            skip_errors,
        } => {
            let made = vertex_array(rec, program, &content, index, skip_errors).at(line)?;
            same_id(line, "vertex array", made.0, id.0)
        }
        Op::Render {
            vertex_array,
            mode,
            vertices,
            first,
            instances,
        } => {
            let draw = Draw {
                mode,
                vertices,
                first,
                instances,
            };
            rec.render(vertex_array, draw).at(line)
        }
        Op::Transform {
            vertex_array,
            outputs,
            mode,
            vertices,
            first,
            instances,
            buffer_offset,
        } => {
            let draw = Draw {
                mode,
                vertices,
                first,
                instances,
            };
            (rec.transform(vertex_array, &outputs, draw, buffer_offset)).at(line)
        }
        Op::Framebuffer {
            id,
            width,
            height,
            color,
            depth,
        } => {
            let color: Vec<_> = color.into_iter().map(|color| color.0).collect();
            let made = rec.framebuffer(width, height, &color, depth).at(line)?;
            same_id(line, "framebuffer", made.0, id.0)
        }
        Op::ClearFramebuffer {
            framebuffer,
            color,
            depth,
            viewport,
        } => {
            let color = rgba(line, color)?;
            let depth = float(line, "depth", depth)?;
            (rec.clear_framebuffer(framebuffer, color, depth, viewport)).at(line)
        }
        Op::ReadPixels {
            id,
            framebuffer,
            viewport,
            components,
            attachment,
            dtype,
        } => {
            let made =
                (rec.read_pixels(framebuffer, viewport, components, attachment, dtype)).at(line)?;
            same_id(line, "readback", made.0, id.0)
        }
        Op::FramebufferFrom {
            id,
            color_attachments,
            depth_attachment,
        } => {
            let made = (rec.framebuffer_from(&color_attachments, depth_attachment)).at(line)?;
            same_id(line, "framebuffer", made.0, id.0)
        }
        Op::ReadDepth {
            id,
            framebuffer,
            viewport,
            dtype,
        } => {
            let made = rec.read_depth(framebuffer, viewport, dtype).at(line)?;
            same_id(line, "readback", made.0, id.0)
        }
        Op::Enable { capability } => {
            rec.enable(capability);
            Ok(())
        }
        Op::Disable { capability } => {
            rec.disable(capability);
            Ok(())
        }
        Op::Texture {
            id,
            kind,
            size,
            components,
            dtype,
            samples,
            alignment,
            internal_format,
            depth,
            data,
        } => {
            let size = match (kind.is_layered(), size.as_slice()) {
                (false, &[width, height]) => [width, height, 1],
                (true, &[width, height, depth]) => [width, height, depth],
                (false, _) => return Err(shape(line, "size", "[width, height]")),
                (true, _) => return Err(shape(line, "size", "[width, height, layers or depth]")),
            };
            let desc = TextureDesc {
                kind,
                size,
                components,
                dtype,
                samples,
                alignment,
                internal_format,
                depth,
            };
            let data = data.map(|data| bytes("data", &data)).transpose()?;
            let made = rec.texture(desc, data.as_deref()).at(line)?;
            same_id(line, "texture", made.0, id.0)
        }
        Op::ComputeShader { id, source } => {
            let made = rec.compute_shader(&source).at(line)?;
            same_id(line, "program", made.0, id.0)
        }
        Op::WriteTexture {
            texture,
            face,
            viewport,
            level,
            alignment,
            data,
            buffer,
        } => {
            let viewport = match viewport {
                Some(text) => Some(region(&text).ok_or_else(|| {
                    shape(
                        line,
                        "viewport",
                        "[x, y, width, height] or [x, y, z, width, height, depth]",
                    )
                })?),
                None => None,
            };
            let write = TextureWrite {
                texture,
                face,
                viewport,
                level,
                alignment,
                buffer: None,
            };
            match (data, buffer) {
                (Some(data), None) => (rec.write_texture(write, &bytes("data", &data)?)).at(line),
                (None, Some(buffer)) => rec.write_texture_from_buffer(write, buffer).at(line),
                _ => Err(invalid(
                    line,
                    "a texture write takes exactly one of `data` and `buffer`",
                )),
            }
        }
        Op::BindToUniformBlock {
            buffer,
            binding,
            offset,
            size,
        } => (rec.bind_to_uniform_block(buffer, binding, offset, size)).at(line),
        Op::BindToStorageBuffer {
            buffer,
            binding,
            offset,
            size,
        } => (rec.bind_to_storage_buffer(buffer, binding, offset, size)).at(line),
        Op::BlockBinding {
            program,
            name,
            binding,
        } => rec.block_binding(program, &name, binding).at(line),
        Op::ReadChunks {
            id,
            buffer,
            chunk_size,
            start,
            step,
            count,
        } => {
            let made = (rec.read_chunks(buffer, chunk_size, start, step, count)).at(line)?;
            same_id(line, "readback", made.0, id.0)
        }
        Op::WriteChunks {
            buffer,
            start,
            step,
            count,
            data,
        } => {
            let data = bytes("data", &data)?;
            (rec.write_chunks(buffer, &data, start, step, count)).at(line)
        }
    }
}

/// The error for a list field of the wrong length.
fn shape(line: usize, field: &str, expected: &str) -> TextError {
    invalid(line, &format!("`{field}` must be {expected}"))
}

/// The error for a line that parses but says something impossible.
fn invalid(line: usize, message: &str) -> TextError {
    TextError::Json {
        line,
        column: None,
        message: message.to_owned(),
    }
}

/// The bytes a payload field gives: its hex digits decoded, or its range of the payload file.
fn bytes<'p>(
    payloads: Option<&'p [u8]>,
    line: usize,
    field: &'static str,
    data: &Bytes,
) -> Result<Cow<'p, [u8]>, TextError> {
    match *data {
        Bytes::Hex(ref text) => hex(line, field, text).map(Cow::Owned),
        Bytes::File { offset, len } => {
            let Some(payloads) = payloads else {
                return Err(invalid(
                    line,
                    &format!(
                        "`{field}` is a range of the payload file, and none was given \
                         (gltape assemble --payloads FILE)"
                    ),
                ));
            };
            let range = (usize::try_from(offset).ok())
                .zip(usize::try_from(len).ok())
                .and_then(|(start, len)| Some(start..start.checked_add(len)?))
                .and_then(|range| payloads.get(range));
            range.map(Cow::Borrowed).ok_or_else(|| {
                invalid(
                    line,
                    &format!(
                        "`{field}` takes {len} bytes at offset {offset} of the payload file, \
                         which holds {} bytes",
                        payloads.len()
                    ),
                )
            })
        }
    }
}

/// Creates a buffer from its initial data, or zeroed when there is none.
fn buffer(
    rec: &mut Recorder,
    size: u64,
    dynamic: bool,
    data: Option<&[u8]>,
) -> Result<BufferId, ValidationError> {
    let Some(data) = data else {
        return rec.buffer_reserve(size, dynamic);
    };
    let len = data.len() as u64;
    if len != size {
        return Err(ValidationError::InitialDataSize { len, size });
    }
    match dynamic {
        true => rec.dynamic_buffer(data),
        false => rec.buffer(data),
    }
}

/// Creates a vertex array from its text entries.
fn vertex_array(
    rec: &mut Recorder,
    program: ProgramId,
    content: &[(BufferId, String, Vec<String>)],
    index: Option<(BufferId, u8)>,
    skip_errors: bool,
) -> Result<VertexArrayId, ValidationError> {
    let names: Vec<Vec<&str>> = (content.iter())
        .map(|(_, _, names)| names.iter().map(String::as_str).collect())
        .collect();
    let entries: Vec<(BufferId, &str, &[&str])> = (content.iter().zip(&names))
        .map(|((buffer, format, _), names)| (*buffer, format.as_str(), names.as_slice()))
        .collect();
    rec.vertex_array_with(program, &entries, index, skip_errors)
}

/// Sets a uniform from its numbers, each checked to fit its type's components.
fn uniform(
    rec: &mut Recorder,
    line: usize,
    program: ProgramId,
    name: &str,
    ty: UniformType,
    values: &[Scalar],
) -> Result<(), TextError> {
    let component = Component::of(ty);
    let mut bytes = Vec::with_capacity(values.len() * component.size());
    for (i, &value) in values.iter().enumerate() {
        component
            .push(value, &mut bytes)
            .ok_or_else(|| out_of_range(line, component, format_args!("values[{i}]"), value))?;
    }
    rec.uniform_bytes(program, name, ty, &bytes).at(line)
}

/// The error for `value` of `field`, which does not fit `component`.
fn out_of_range(
    line: usize,
    component: Component,
    field: impl Display,
    value: Scalar,
) -> TextError {
    TextError::OutOfRange {
        line,
        field: field.to_string(),
        value: value.to_string(),
        expected: component.describe(),
    }
}

/// `value` as an f32, or an error naming `field`.
fn float(line: usize, field: impl Display, value: Scalar) -> Result<f32, TextError> {
    (value.to_f32())
        .ok_or_else(|| out_of_range(line, Component(UniformScalar::Float), field, value))
}
/// The four floats of a clear color.
fn rgba(line: usize, color: [Scalar; 4]) -> Result<[f32; 4], TextError> {
    let mut rgba = [0.0; 4];
    for (i, (slot, value)) in rgba.iter_mut().zip(color).enumerate() {
        *slot = float(line, format_args!("color[{i}]"), value)?;
    }
    Ok(rgba)
}

/// Checks that the id the recorder made is the one the text gives.
fn same_id(line: usize, kind: &'static str, made: u32, written: u32) -> Result<(), TextError> {
    match made == written {
        true => Ok(()),
        false => Err(TextError::WrongId {
            line,
            kind,
            expected: made,
            found: written,
        }),
    }
}

/// The bytes of hex string `text`, found in `field`.
fn hex(line: usize, field: &'static str, text: &str) -> Result<Vec<u8>, TextError> {
    let bad = |position, problem| TextError::Hex {
        line,
        field,
        position,
        problem,
    };
    let nibbles = (text.bytes().enumerate())
        .map(|(position, c)| nibble(c).ok_or_else(|| bad(position, "not a hex digit")))
        .collect::<Result<Vec<u8>, _>>()?;
    if nibbles.len() % 2 == 1 {
        return Err(bad(nibbles.len() - 1, "odd number of digits"));
    }
    Ok((nibbles.chunks_exact(2))
        .map(|pair| pair.iter().fold(0, |byte, nibble| byte << 4 | nibble))
        .collect())
}

/// The value of a hex digit (either case).
fn nibble(c: u8) -> Option<u8> {
    char::from(c)
        .to_digit(16)
        .and_then(|digit| u8::try_from(digit).ok())
}

/// The bytes of a hex string the text tests made themselves.
#[cfg(test)]
pub(super) fn tests_hex(text: &str) -> Vec<u8> {
    hex(0, "data", text).expect("hex")
}
