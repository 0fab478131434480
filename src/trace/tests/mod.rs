//! Trace tests: a list using every command kind, round trips, damaged files.

mod damage;
mod mapped;
mod round_trip;

use super::*;
use crate::command::{
    Attachment, Barriers, BlendEquation, BlendFactor, Capability, ColorFormat, Command,
    CompareFunc, Face, Float, ImageAccess, ImageFormat, MagFilter, MinFilter, PixelType,
    ProgramDesc, QueryKinds, QueryResult, Rect, StencilAction, Swizzle, TextureDesc,
    TextureParameter, TextureRegion, TextureWrite, VaryingsMode, VertexArrayDesc, Winding,
};
use crate::{Draw, Mode, Recorder};
use std::collections::BTreeSet;
use std::ops::Range;

const VS: &str =
    "#version 450\nin vec3 pos;\nin vec2 uv;\nvoid main() { gl_Position = vec4(pos, 1.0); }";
const FS: &str = "#version 450\nout vec4 color;\nvoid main() { color = vec4(1.0); }";

/// A list with every command kind, uniforms whose names recur far apart, and `frames`
/// frames of streamed writes.
fn every_kind(frames: u32) -> CommandList {
    let mut rec = Recorder::new();
    let vertices: Vec<f32> = (0..60).map(|i| i as f32 * 0.5).collect();
    let vbo = rec.buffer(&vertices).unwrap();
    let inst = rec.dynamic_buffer(&[1u16, 2, 3, 4, 5, 6]).unwrap();
    let ibo = rec.buffer(&[0u16, 1, 2, 2, 1, 3]).unwrap();
    let scratch = rec.buffer_reserve(256, true).unwrap();
    rec.write(scratch, 3, b"hello").unwrap();
    rec.clear_range(scratch, Some(18), 2, Some(b"AB")).unwrap();
    rec.clear(scratch).unwrap();
    rec.copy_buffer(scratch, vbo, Some(16), 4, 100).unwrap();
    rec.read(scratch, Some(32), 96).unwrap();

    let prog = rec.program(ProgramDesc::new(VS).fragment(FS)).unwrap();
    rec.uniform(prog, "scale", 2.0f32).unwrap();
    rec.uniform_array(prog, "offsets", &[[1.0f32, 2.0], [3.0, 4.0]])
        .unwrap();
    let vao = rec
        .vertex_array(
            prog,
            &[(vbo, "3f 4x 2f", &["pos", "uv"]), (inst, "2u2 /i", &["id"])],
            Some((ibo, 2)),
        )
        .unwrap();
    let feedback = rec
        .program(ProgramDesc::new(VS).varyings(&["a", "b"], VaryingsMode::Separate))
        .unwrap();
    let tf_vao = rec
        .vertex_array_skip_errors(feedback, &[(vbo, "3f 4x 2f", &["pos", "uv"])], None)
        .unwrap();
    let out_a = rec.buffer_reserve(1024, true).unwrap();
    let out_b = rec.buffer_reserve(1024, true).unwrap();

    let fbo = rec
        .framebuffer(8, 4, &[ColorFormat::Rgba8, ColorFormat::Rgba32F], true)
        .unwrap();
    let samples = [
        rec.renderbuffer(8, 4, 4, 4, PixelType::F1).unwrap(),
        rec.renderbuffer(8, 4, 3, 4, PixelType::Ni2).unwrap(),
    ];
    let depth = rec.depth_renderbuffer(8, 4, 4).unwrap();
    let msaa = rec
        .framebuffer_from(&[samples[0].into(), samples[1].into()], Some(depth.into()))
        .unwrap();
    rec.enable(Capability::DepthTest);
    rec.disable(Capability::Blend);
    rec.primitive_restart(Some(0xFFFF));
    pipeline_state(&mut rec, fbo);
    let texture = rec
        .texture(TextureDesc::texture(4, 2, 4), Some(&[9u8; 32]))
        .unwrap();
    let depth = rec.texture(TextureDesc::depth(2, 2), None).unwrap();
    let sampler = rec.sampler().unwrap();
    let border = [Float(0.0), Float(0.5), Float(1.0), Float(0.25)];
    (rec.sampler_parameter(sampler, TextureParameter::BorderColor(border))).unwrap();
    let compare = TextureParameter::CompareFunc(Some(CompareFunc::Less));
    rec.texture_parameter(depth, compare).unwrap();
    let swizzle = TextureParameter::Swizzle(Swizzle::parse("AB").unwrap());
    rec.texture_parameter(texture, swizzle).unwrap();
    rec.build_mipmaps(texture, 0, 2).unwrap();
    rec.write_texture_from_buffer(TextureWrite::new(texture).level(2), inst)
        .unwrap();
    // Texture attachments (level 1 of the texture, 2x1, with a layer of an array) and a
    // texture copied into.
    let array = rec.texture(TextureDesc::array(2, 1, 3, 1), None).unwrap();
    let level = Attachment::Texture {
        texture,
        level: 1,
        layer: None,
    };
    let layer = Attachment::Texture {
        texture: array,
        level: 0,
        layer: Some(2),
    };
    let attached = rec.framebuffer_from(&[level, layer], None).unwrap();
    let copied = rec.texture(TextureDesc::texture(2, 1, 3), None).unwrap();
    for frame in 0..frames {
        rec.use_framebuffer(fbo).unwrap();
        rec.viewport(fbo, Rect::new(0, 0, 8, 4)).unwrap();
        rec.clear_framebuffer(fbo, [0.1, 0.2, 0.3, 1.0], 1.0, None)
            .unwrap();
        rec.clear_framebuffer(fbo, [0.0; 4], 0.5, Some(Rect::new(1, 1, 2, 2)))
            .unwrap();
        rec.uniform(prog, "scale", frame as f32).unwrap();
        rec.orphan(vbo, None).unwrap();
        let data: Vec<f32> = (0..60).map(|i| (i + frame) as f32).collect();
        rec.write(vbo, 0, &data).unwrap();
        rec.render(vao, Draw::new(Mode::Triangles).instances(2))
            .unwrap();
        rec.transform(
            tf_vao,
            &[out_a, out_b],
            Draw::new(Mode::Points).vertices(4),
            16,
        )
        .unwrap();
        rec.read_pixels(fbo, None, 4, 1, PixelType::F4).unwrap();
        rec.read_pixels(fbo, Some(Rect::new(0, 0, 2, 2)), 3, 0, PixelType::F1)
            .unwrap();
        rec.copy_framebuffer(fbo, msaa).unwrap();
        rec.read_depth(fbo, None, PixelType::F4).unwrap();
        let rect = TextureRegion::rect(frame % 4, 0, 1, 2);
        rec.write_texture(TextureWrite::new(texture).viewport(rect), &[frame as u8; 8])
            .unwrap();
        let nearest = TextureParameter::Filter(MinFilter::Nearest, MagFilter::Nearest);
        rec.texture_parameter(texture, nearest).unwrap();
        rec.use_texture(texture, frame).unwrap();
        rec.use_sampler(sampler, frame).unwrap();
        rec.read_texture(texture, 1, 4).unwrap();
        rec.copy_framebuffer(copied, attached).unwrap();
        rec.use_framebuffer(crate::FramebufferId::SCREEN).unwrap();
        rec.end_frame();
    }
    rec.bind_to_uniform_block(scratch, 3, 16, Some(64)).unwrap();
    rec.bind_to_storage_buffer(scratch, 1, 0, None).unwrap();
    rec.block_binding(prog, "Block", 3).unwrap();
    rec.read_chunks(scratch, 4, 8, 16, 4).unwrap();
    rec.write_chunks(scratch, &[7u16; 8], -4, -8, 4).unwrap();
    compute_and_queries(&mut rec, vao, texture);
    rec.release(sampler).unwrap();
    rec.release(texture).unwrap();
    rec.release(out_b).unwrap();
    rec.release(fbo).unwrap();
    rec.release(depth).unwrap();
    rec.release(tf_vao).unwrap();
    rec.release(feedback).unwrap();
    rec.finish()
}

/// Every compute, image, barrier, query and indirect draw kind; `vao` is indexed (2-byte
/// indices, 6 of them) and `texture` a 2D RGBA8 texture with mipmaps.
fn compute_and_queries(rec: &mut Recorder, vao: crate::VertexArrayId, texture: crate::TextureId) {
    let shader = rec
        .compute_shader("#version 450\nlayout(local_size_x = 1) in;\nvoid main() {}")
        .unwrap();
    rec.uniform(shader, "scale", 1.0f32).unwrap();
    let counts = rec.buffer(&[1u32, 2, 3]).unwrap();
    rec.run_compute(shader, [1, 2, 3]).unwrap();
    rec.run_compute_indirect(shader, counts, 0).unwrap();
    rec.memory_barrier(Barriers::SHADER_IMAGE_ACCESS, true)
        .unwrap();
    let format = Some(ImageFormat::Rgba8ui);
    rec.bind_to_image(texture, 3, ImageAccess::ReadOnly, 1, format)
        .unwrap();
    let query = rec.query(QueryKinds::ALL).unwrap();
    rec.begin_query(query).unwrap();
    let commands = rec.buffer(&[6u32, 2, 0, 0, 0]).unwrap();
    rec.render_indirect(vao, commands, Mode::Triangles, None, 0)
        .unwrap();
    rec.end_query(query).unwrap();
    rec.begin_conditional_render(query).unwrap();
    rec.end_conditional_render(query).unwrap();
    rec.read_query(query, QueryResult::Primitives).unwrap();
    rec.release(query).unwrap();
}

/// Every pipeline-state setter, `fbo`'s included.
fn pipeline_state(rec: &mut Recorder, fbo: crate::FramebufferId) {
    rec.enable_only([Capability::StencilTest, Capability::Blend]);
    rec.blend_func(BlendFactor::One, BlendFactor::OneMinusDstColor);
    rec.blend_equation(BlendEquation::Max);
    rec.depth_func(CompareFunc::NotEqual);
    rec.front_face(Winding::Cw);
    rec.cull_face(Face::FrontAndBack);
    rec.polygon_offset(0.1, -2.5).unwrap();
    rec.wireframe(true);
    rec.point_size(3.5).unwrap();
    rec.line_width(1e-3).unwrap();
    rec.scissor(fbo, Some(Rect::new(-1, 2, 3, 4))).unwrap();
    rec.color_mask(fbo, 1, [true, false, true, false]).unwrap();
    rec.depth_mask(fbo, false).unwrap();
    rec.stencil_func(Face::Back, CompareFunc::GreaterEqual, -3, 0xff);
    let keep = StencilAction::Keep;
    rec.stencil_op(Face::Front, keep, StencilAction::IncrWrap, keep);
    rec.stencil_mask(Face::FrontAndBack, 0x0f);
}

/// A trace of `list` with a label and two digests.
fn trace_of(list: CommandList) -> Trace {
    Trace::new(list, "every kind", vec![digest(b"a"), digest(b"b")])
}

/// Chunks of at most `commands` commands.
fn small_chunks(commands: usize) -> EncodeOptions {
    EncodeOptions {
        commands_per_chunk: commands,
        ..EncodeOptions::default()
    }
}

fn encode(trace: &Trace, options: &EncodeOptions) -> Vec<u8> {
    let mut bytes = Vec::new();
    encode_into(trace, &mut bytes, options).unwrap();
    bytes
}

fn limits() -> DecodeLimits {
    DecodeLimits::default()
}

/// The byte ranges of the records of a well-formed file: the header, then each chunk.
fn records(bytes: &[u8]) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut at = 12;
    while at < bytes.len() {
        let len = u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        let mut end = at + 8 + len;
        if !ranges.is_empty() {
            // A version-5 chunk: its payload span follows, 64-byte aligned.
            let body = &bytes[at + 8..end];
            let meta = record::decode_body::<chunk::ChunkMetaIn>(body).unwrap();
            end = end.next_multiple_of(64) + meta.payload_len() as usize;
        }
        ranges.push(at..end);
        at = end;
    }
    ranges
}

/// The body length of each record of `bytes` (what `max_record_bytes` limits).
fn body_lens(bytes: &[u8]) -> Vec<usize> {
    records(bytes)
        .iter()
        .map(|r| u32::from_le_bytes(bytes[r.start..r.start + 4].try_into().unwrap()) as usize)
        .collect()
}

/// The names of the command kinds in `list`.
fn kinds(list: &CommandList) -> BTreeSet<&'static str> {
    list.commands().iter().map(Command::name).collect()
}

/// Asserts that two lists hold the same commands, payload bytes and tables.
fn assert_same(a: &CommandList, b: &CommandList) {
    assert_eq!(a.commands(), b.commands());
    assert_eq!(a.tables(), b.tables());
    assert_eq!(a.payload_bytes(), b.payload_bytes());
    for command in a.commands() {
        for payload in payloads(command) {
            assert_eq!(a.payload(payload), b.payload(payload));
            assert!(a.payload(payload).is_some());
        }
    }
}

/// The payloads a command carries.
fn payloads(command: &Command) -> Vec<crate::command::Payload> {
    match *command {
        Command::CreateBuffer { data, .. } => data.into_iter().collect(),
        Command::Write { data, .. }
        | Command::Uniform { data, .. }
        | Command::WriteChunks { data, .. } => vec![data],
        Command::ClearBuffer { chunk, .. } => chunk.into_iter().collect(),
        Command::CreateTexture { data, .. } | Command::WriteTexture { data, .. } => {
            data.into_iter().collect()
        }
        _ => Vec::new(),
    }
}

/// Asserts that `prefix` holds the first commands of `whole`, with the same payload bytes.
fn assert_prefix(prefix: &CommandList, whole: &CommandList) {
    let n = prefix.len();
    assert_eq!(prefix.commands(), &whole.commands()[..n]);
    for command in prefix.commands() {
        for payload in payloads(command) {
            assert_eq!(prefix.payload(payload), whole.payload(payload));
        }
    }
}
