use super::number::{Component, Scalar};
use super::*;
use crate::command::{
    Attachment, Barriers, Float, ImageAccess, ImageFormat, InternalFormat, MagFilter, MinFilter,
    QueryKinds, QueryResult, Swizzle, TextureDesc, TextureParameter, TextureRegion, TextureWrite,
};
use crate::command::{
    BlendEquation, BlendFactor, Capability, ColorFormat, CompareFunc, Draw, Face, Mode, PixelType,
    ProgramDesc, Rect, StencilAction, Winding,
};
use crate::command::{Command, Tables, VaryingsMode, VertexArrayDesc};
use crate::ids::FramebufferId;
use crate::uniform::{Bool, DMat2x3, Mat2, Mat3, Mat3x4, Mat4, UniformScalar, UniformType};
use crate::Recorder;

const VERTEX: &str = "#version 450\nin vec2 in_pos;\nin vec3 in_color;\nin float in_shift;\nuniform float scale;\nvoid main() { gl_Position = vec4(in_pos * scale + in_shift, 0.0, 1.0); }\n";
const FRAGMENT: &str = "#version 450\nout vec4 color;\nvoid main() { color = vec4(1.0); }\n";
const COMPUTE: &str =
    "#version 450\nlayout(local_size_x = 2) in;\nuniform float scale;\nvoid main() {}\n";
const GEOMETRY: &str = "#version 450\nlayout(points) in;\nlayout(points, max_vertices = 1) out;\nout float a;\nout float b;\nvoid main() { a = 1.0; b = 2.0; EmitVertex(); }\n";
const CAPTURE: &str = "#version 450\nin vec2 in_pos;\nout float out_value; // \"quoted\"\t\\ tab\nvoid main() { out_value = in_pos.x; }\n";
/// A line creating program 0.
const PROGRAM: &str =
    r#"{"op":"program","id":0,"vertex_shader":"v","varyings":[],"varyings_mode":"interleaved"}"#;

/// A list with every kind of command, and most variants of each.
fn every_command() -> CommandList {
    let mut rec = Recorder::new();
    let verts = rec.buffer(&[0.0f32, 0.0, 1.0, 0.0, 0.0, 1.0]).unwrap();
    let colors = rec.dynamic_buffer(&[[1.0f32, 0.5, 0.25, 0.0]; 3]).unwrap();
    let shifts = rec.buffer_reserve(32, true).unwrap();
    let index = rec.buffer(&[0u16, 1, 2, 0]).unwrap();
    rec.write(shifts, 4, &[1u8, 2, 3]).unwrap();
    rec.orphan(shifts, Some(64)).unwrap();
    rec.orphan(shifts, None).unwrap();
    rec.clear(shifts).unwrap();
    rec.clear_range(shifts, Some(8), 8, Some(&[0xab, 0xcd]))
        .unwrap();
    rec.read(shifts, None, 4).unwrap();
    rec.copy_buffer(shifts, verts, Some(8), 0, 16).unwrap();

    let program = rec
        .program(ProgramDesc::new(VERTEX).fragment(FRAGMENT))
        .unwrap();
    let separate = ProgramDesc::new(CAPTURE)
        .geometry(GEOMETRY)
        .varyings(&["a", "b"], VaryingsMode::Separate);
    let separate = rec.program(separate).unwrap();
    let capture = ProgramDesc::new(CAPTURE).varyings(&["out_value"], VaryingsMode::Interleaved);
    let capture = rec.program(capture).unwrap();
    set_uniforms(&mut rec, program);

    let content: [(_, &str, &[&str]); 3] = [
        (verts, "2f", &["in_pos"]),
        (colors, "3f 4x", &["in_color"]),
        (shifts, "1f /i", &["in_shift"]),
    ];
    let vao = rec
        .vertex_array(program, &content, Some((index, 2)))
        .unwrap();
    rec.render(vao, Draw::new(Mode::Triangles)).unwrap();
    let strip = Draw::new(Mode::TriangleStrip).vertices(3).first(1);
    rec.render(vao, strip.instances(2)).unwrap();
    let points = rec.vertex_array(capture, &[(verts, "2f", &["in_pos"])], None);
    let points = points.unwrap();
    let out = rec.buffer_reserve(64, false).unwrap();
    let out2 = rec.buffer_reserve(64, false).unwrap();
    rec.transform(points, &[out], Draw::new(Mode::Points), 0)
        .unwrap();
    let geo = rec.vertex_array(separate, &[(verts, "2f", &["in_pos"])], None);
    let geo = geo.unwrap();
    let draw = Draw::new(Mode::Points).vertices(2);
    rec.transform(geo, &[out, out2], draw, 4).unwrap();

    let colors2 = [ColorFormat::Rgba8, ColorFormat::Rgba32F];
    let fbo = rec.framebuffer(4, 4, &colors2, false).unwrap();
    let depth = rec.framebuffer(2, 2, &[], true).unwrap();
    rec.use_framebuffer(fbo).unwrap();
    rec.viewport(fbo, Rect::new(1, 1, 2, 2)).unwrap();
    rec.viewport(FramebufferId::SCREEN, Rect::new(-1, 0, 10, 10))
        .unwrap();
    rec.clear_framebuffer(fbo, [0.1, 0.2, 0.3, 1.0], 1.0, None)
        .unwrap();
    let corner = Some(Rect::new(0, 0, 2, 2));
    rec.clear_framebuffer(depth, [0.0; 4], 0.5, corner).unwrap();
    rec.read_pixels(fbo, None, 4, 0, PixelType::F1).unwrap();
    let middle = Some(Rect::new(1, 1, 2, 2));
    rec.read_pixels(fbo, middle, 3, 1, PixelType::F4).unwrap();
    rec.scissor(fbo, Some(Rect::new(-1, 2, 3, 4))).unwrap();
    rec.scissor(FramebufferId::SCREEN, None).unwrap();
    rec.color_mask(fbo, 1, [true, false, true, false]).unwrap();
    rec.depth_mask(depth, false).unwrap();
    let integer = rec.renderbuffer(4, 4, 2, 0, PixelType::U2).unwrap();
    let zs = rec.depth_renderbuffer(4, 4, 0).unwrap();
    let attached = rec.framebuffer_from(&[integer.into()], Some(zs.into()));
    let attached = attached.unwrap();
    rec.read_depth(attached, corner, PixelType::Nu2).unwrap();
    rec.read_depth(depth, None, PixelType::F4).unwrap();
    let wide = rec.renderbuffer(4, 4, 4, 4, PixelType::F2).unwrap();
    let narrow = rec.renderbuffer(4, 4, 1, 4, PixelType::Nu1).unwrap();
    let multisampled = rec.framebuffer_from(&[wide.into(), narrow.into()], None);
    rec.copy_framebuffer(fbo, multisampled.unwrap()).unwrap();
    rec.release(integer).unwrap();
    rec.enable(Capability::DepthTest);
    rec.enable(Capability::CullFace);
    rec.disable(Capability::Blend);
    rec.enable(Capability::RasterizerDiscard);
    rec.disable(Capability::ProgramPointSize);
    rec.enable(Capability::StencilTest);
    rec.enable_only([Capability::StencilTest, Capability::Blend]);
    rec.enable_only([]);
    rec.primitive_restart(Some(0xFFFF));
    rec.primitive_restart(None);
    pipeline_state(&mut rec);
    textures(&mut rec, shifts);
    blocks(&mut rec, program, shifts);
    compute_and_queries(&mut rec, vao);
    rec.end_frame();

    rec.use_framebuffer(FramebufferId::SCREEN).unwrap();
    rec.release(vao).unwrap();
    rec.release(program).unwrap();
    rec.release(fbo).unwrap();
    rec.release(verts).unwrap();
    rec.end_frame();
    rec.finish()
}

/// Every pipeline-state setter that holds no object.
fn pipeline_state(rec: &mut Recorder) {
    rec.blend_func(BlendFactor::One, BlendFactor::OneMinusDstColor);
    rec.blend_func_separate(
        BlendFactor::SrcColor,
        BlendFactor::Zero,
        BlendFactor::DstAlpha,
        BlendFactor::OneMinusSrcAlpha,
    );
    rec.blend_equation(BlendEquation::Max);
    rec.blend_equation_separate(BlendEquation::FuncReverseSubtract, BlendEquation::Min);
    rec.depth_func(CompareFunc::NotEqual);
    rec.depth_func(CompareFunc::Never);
    rec.front_face(Winding::Cw);
    rec.cull_face(Face::FrontAndBack);
    rec.polygon_offset(0.1, -2.5).unwrap();
    rec.wireframe(true);
    rec.point_size(3.5).unwrap();
    rec.line_width(1e-3).unwrap();
    rec.stencil_func(Face::Back, CompareFunc::GreaterEqual, -3, 0xff);
    let actions = [
        StencilAction::Keep,
        StencilAction::IncrWrap,
        StencilAction::Invert,
    ];
    rec.stencil_op(Face::Front, actions[0], actions[1], actions[2]);
    rec.stencil_mask(Face::FrontAndBack, 0x0f);
}

/// Every texture and sampler call; `buffer` holds at least 4 bytes.
fn textures(rec: &mut Recorder, buffer: crate::BufferId) {
    let srgb = TextureDesc::texture(2, 2, 4).internal_format(InternalFormat::Srgb8Alpha8);
    let pixels: Vec<u8> = (0..16).collect();
    let tex = rec.texture(srgb, Some(&pixels)).unwrap();
    let array = TextureDesc::array(2, 2, 2, 1).dtype(PixelType::F4);
    let array = rec.texture(array.alignment(4), None).unwrap();
    let depth = rec.texture(TextureDesc::depth(2, 1), None).unwrap();
    let cube = rec.texture(TextureDesc::cube(1, 1, 3), None).unwrap();
    let volume = TextureDesc::texture3d(2, 1, 3, 2).dtype(PixelType::U2);
    let volume = rec.texture(volume.alignment(8), None).unwrap();
    rec.texture(TextureDesc::texture(4, 4, 1).samples(4), None)
        .unwrap();
    let rect = TextureRegion::rect(1, 0, 1, 2);
    rec.write_texture(TextureWrite::new(tex).viewport(rect), &pixels[..8])
        .unwrap();
    let layer = TextureRegion::cuboid(0, 0, 1, 2, 2, 1);
    let floats = bytemuck::cast_slice(&[0.5f32, -1.0, 1e-7, 3.0]);
    rec.write_texture(TextureWrite::new(array).viewport(layer), floats)
        .unwrap();
    let face = TextureWrite::new(cube).face(3).alignment(4);
    rec.write_texture_from_buffer(face, buffer).unwrap();
    rec.read_texture(tex, 0, 1).unwrap();
    rec.read_texture(volume, 0, 8).unwrap();
    rec.read_texture_face(cube, 5, 2).unwrap();
    rec.build_mipmaps(tex, 0, 1000).unwrap();
    rec.write_texture(TextureWrite::new(tex).level(1), &pixels[..4])
        .unwrap();
    rec.read_texture(tex, 1, 4).unwrap();
    let parameters = [
        TextureParameter::Filter(MinFilter::NearestMipmapLinear, MagFilter::Nearest),
        TextureParameter::Swizzle(Swizzle::parse("bgr1").unwrap()),
        TextureParameter::RepeatX(false),
        TextureParameter::RepeatY(true),
        TextureParameter::Anisotropy(Float(4.5)),
    ];
    for parameter in parameters {
        rec.texture_parameter(tex, parameter).unwrap();
    }
    rec.texture_parameter(volume, TextureParameter::RepeatZ(false))
        .unwrap();
    let greater = TextureParameter::CompareFunc(Some(CompareFunc::Greater));
    rec.texture_parameter(depth, greater).unwrap();
    rec.texture_parameter(depth, TextureParameter::CompareFunc(None))
        .unwrap();
    rec.use_texture(tex, 79).unwrap();
    let sampler = rec.sampler().unwrap();
    let parameters = [
        TextureParameter::BorderColor([Float(0.1), Float(1.0), Float(-2.5), Float(0.0)]),
        TextureParameter::MinLod(Float(-1000.0)),
        TextureParameter::MaxLod(Float(0.25)),
        TextureParameter::RepeatZ(true),
    ];
    for parameter in parameters {
        rec.sampler_parameter(sampler, parameter).unwrap();
    }
    rec.use_sampler(sampler, 3).unwrap();
    rec.clear_sampler(3).unwrap();
    // Attachments: every layer of the array (as ModernGL), level 1 of the sRGB texture,
    // a slice and the depth texture; a copy into a texture.
    rec.framebuffer_from(&[array.into()], None).unwrap();
    let level = Attachment::Texture {
        texture: tex,
        level: 1,
        layer: None,
    };
    rec.framebuffer_from(&[level], None).unwrap();
    let slice = Attachment::Texture {
        texture: volume,
        level: 0,
        layer: Some(2),
    };
    rec.framebuffer_from(&[slice], Some(depth.into())).unwrap();
    let copied = rec.texture(TextureDesc::texture(2, 2, 4), None).unwrap();
    rec.copy_framebuffer(copied, FramebufferId::SCREEN).unwrap();
    rec.release(tex).unwrap();
    rec.release(sampler).unwrap();
}

/// Buffer and block bindings, chunked reads and writes; `buffer` holds 64 bytes.
fn blocks(rec: &mut Recorder, program: crate::ProgramId, buffer: crate::BufferId) {
    rec.bind_to_uniform_block(buffer, 0, 0, None).unwrap();
    rec.bind_to_storage_buffer(buffer, 7, 16, Some(16)).unwrap();
    rec.block_binding(program, "Lights", 83).unwrap();
    rec.block_binding(program, "Particles[1]", 0).unwrap();
    rec.read_chunks(buffer, 2, -8, -4, 3).unwrap();
    rec.read_chunks(buffer, 0, 64, 0, 1).unwrap();
    rec.write_chunks(buffer, &[1u8, 2, 3, 4, 5, 6], 1, 8, 3)
        .unwrap();
}

/// Every compute, image, barrier, query and indirect draw call; `vao` has a 2-byte index
/// buffer of 4 indices and reads a per-instance float.
fn compute_and_queries(rec: &mut Recorder, vao: crate::VertexArrayId) {
    let shader = rec.compute_shader(COMPUTE).unwrap();
    rec.uniform(shader, "scale", 2.0f32).unwrap();
    rec.run_compute(shader, [4, 1, 65535]).unwrap();
    let counts = rec.buffer(&[0u32, 1, 2, 3, 4]).unwrap();
    rec.run_compute_indirect(shader, counts, 8).unwrap();
    rec.memory_barrier(Barriers::ALL, false).unwrap();
    let bits = Barriers::SHADER_STORAGE | Barriers::SHADER_IMAGE_ACCESS;
    rec.memory_barrier(bits, true).unwrap();
    let image = rec.texture(TextureDesc::texture(2, 2, 4), None).unwrap();
    rec.bind_to_image(image, 7, ImageAccess::ReadWrite, 0, None)
        .unwrap();
    let format = Some(ImageFormat::R11fG11fB10f);
    rec.bind_to_image(image, 0, ImageAccess::WriteOnly, 0, format)
        .unwrap();
    let all = rec.query(QueryKinds::default()).unwrap();
    let samples = QueryKinds {
        any_samples: true,
        ..QueryKinds::default()
    };
    let any = rec.query(samples).unwrap();
    rec.begin_query(all).unwrap();
    rec.end_query(all).unwrap();
    rec.begin_query(any).unwrap();
    rec.end_query(any).unwrap();
    rec.begin_conditional_render(any).unwrap();
    let commands = rec.buffer(&[3u32, 1, 0, 0, 0, 2, 2, 1, 0, 1]).unwrap();
    rec.render_indirect(vao, commands, Mode::Triangles, None, 0)
        .unwrap();
    rec.render_indirect(vao, commands, Mode::Points, Some(1), 1)
        .unwrap();
    rec.end_conditional_render(any).unwrap();
    for result in [
        QueryResult::Samples,
        QueryResult::Primitives,
        QueryResult::Elapsed,
    ] {
        rec.read_query(all, result).unwrap();
    }
    rec.release(any).unwrap();
    rec.release(shader).unwrap();
}

fn set_uniforms(rec: &mut Recorder, program: crate::ProgramId) {
    rec.uniform(program, "scale", 0.1f32).unwrap();
    rec.uniform(program, "tiny", -1e-7f32).unwrap();
    rec.uniform(program, "count", -3i32).unwrap();
    rec.uniform(program, "mask", u32::MAX).unwrap();
    rec.uniform(program, "cell", [1i32, i32::MIN]).unwrap();
    rec.uniform(program, "size", [7u32, 8, 9]).unwrap();
    let offsets = [[0.5f32, -0.25, 1.0e10], [f32::MIN_POSITIVE, f32::MAX, -0.0]];
    rec.uniform_array(program, "offsets", &offsets).unwrap();
    let third = 1.0f32 / 3.0;
    rec.uniform(program, "rotate", Mat2([0.0, 1.0, -1.0, 0.0]))
        .unwrap();
    rec.uniform(program, "normal", Mat3([third; 9])).unwrap();
    let mut mvp = [0.0f32; 16];
    for (i, x) in mvp.iter_mut().enumerate() {
        *x = (i as f32 - 7.5) * 0.3;
    }
    rec.uniform(program, "mvp", Mat4(mvp)).unwrap();
    rec.uniform(program, "scale", 1.0e-45f32).unwrap();
    rec.uniform_array(
        program,
        "flags",
        &[[Bool(1), Bool(0)], [Bool(-7), true.into()]],
    )
    .unwrap();
    rec.uniform(program, "precise", [0.1f64, 1e300, -5e-324, f64::MAX])
        .unwrap();
    rec.uniform(program, "wide", Mat3x4([third; 12])).unwrap();
    rec.uniform(
        program,
        "dwide",
        DMat2x3([1.0 / 3.0, 2.0, 3.0, 4.0, 5.0, 6.0]),
    )
    .unwrap();
}

fn text_of(list: &CommandList) -> String {
    let mut out = Vec::new();
    dump(list, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn assert_same_list(a: &CommandList, b: &CommandList) {
    assert_eq!(a.commands(), b.commands());
    assert_eq!(a.tables(), b.tables());
    assert_eq!(a.payload_bytes(), b.payload_bytes());
}

#[test]
fn dump_then_assemble_gives_the_same_list_and_text() {
    let list = every_command();
    let validated = list.validate().unwrap();
    // Every kind that reads back says so (verify maps readbacks to commands by it).
    let reads = list.commands().iter().filter(|c| c.reads_back()).count();
    assert_eq!(reads, validated.readback_count() as usize);
    let text = text_of(&list);
    let again = assemble(&text).unwrap();
    assert_same_list(&list, &again);
    assert_eq!(text_of(&again), text);
    assert_eq!(text.lines().count(), list.len());
    // Every kind has a text form, hand-made or plain: a kind added without one fails here.
    let ops: std::collections::BTreeSet<&str> = list.commands().iter().map(|c| c.name()).collect();
    let kinds: std::collections::BTreeSet<&str> = Command::NAMES.iter().copied().collect();
    assert_eq!(ops, kinds, "the list uses every kind of command");
}

#[test]
fn lines_look_as_documented() {
    let mut rec = Recorder::new();
    let buffer = rec.buffer(&[1u8, 2, 3, 4]).unwrap();
    rec.write(buffer, 2, &[0xffu8, 0]).unwrap();
    let program = rec.program(ProgramDesc::new(VERTEX)).unwrap();
    let content: [(_, &str, &[&str]); 1] = [(buffer, "2f4 3f4", &["in_pos", "in_color"])];
    let vao = rec.vertex_array(program, &content, None);
    rec.uniform(program, "scale", 0.1f32).unwrap();
    rec.uniform(program, "tiny", [-1e-7f32, 1.0]).unwrap();
    rec.uniform(program, "count", -3i32).unwrap();
    rec.render(vao.unwrap(), Draw::new(Mode::Triangles).vertices(0))
        .unwrap();
    rec.release(buffer).unwrap();
    rec.primitive_restart(Some(0xFFFF));
    rec.end_frame();
    let text = text_of(&rec.finish());
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        [
            r#"{"op":"buffer","id":0,"size":4,"dynamic":false,"data":"01020304"}"#,
            r#"{"op":"write","buffer":0,"offset":2,"data":"ff00"}"#,
            &format!(
                r#"{{"op":"program","id":0,"vertex_shader":{},"fragment_shader":null,"geometry_shader":null,"varyings":[],"varyings_mode":"interleaved"}}"#,
                serde_json::to_string(VERTEX).unwrap()
            ),
            r#"{"op":"vertex_array","id":0,"program":0,"content":[[0,"2f4 3f4",["in_pos","in_color"]]],"index":null,"skip_errors":false}"#,
            r#"{"op":"uniform","program":0,"name":"scale","type":"float","values":[0.1]}"#,
            r#"{"op":"uniform","program":0,"name":"tiny","type":"vec2","values":[-1e-7,1.0]}"#,
            r#"{"op":"uniform","program":0,"name":"count","type":"int","values":[-3]}"#,
            r#"{"op":"render","vertex_array":0,"mode":"triangles","vertices":0,"first":0,"instances":1}"#,
            r#"{"op":"release","object":{"buffer":0}}"#,
            r#"{"op":"primitive_restart","index":65535}"#,
            r#"{"op":"end_frame"}"#,
        ]
    );
}

#[test]
fn pipeline_lines_look_as_documented() {
    let mut rec = Recorder::new();
    let fbo = rec.framebuffer(4, 4, &[ColorFormat::Rgba8], true).unwrap();
    rec.viewport(fbo, Rect::new(0, 1, 2, 3)).unwrap();
    rec.scissor(fbo, Some(Rect::new(-1, 0, 2, 2))).unwrap();
    rec.scissor(fbo, None).unwrap();
    rec.color_mask(fbo, 0, [true, false, true, false]).unwrap();
    rec.depth_mask(fbo, false).unwrap();
    rec.enable(Capability::ProgramPointSize);
    rec.enable_only([Capability::StencilTest, Capability::DepthTest]);
    rec.blend_func(BlendFactor::One, BlendFactor::OneMinusDstColor);
    rec.blend_equation(BlendEquation::FuncReverseSubtract);
    rec.depth_func(CompareFunc::LessEqual);
    rec.front_face(Winding::Cw);
    rec.cull_face(Face::FrontAndBack);
    rec.polygon_offset(0.1, -2.0).unwrap();
    rec.wireframe(true);
    rec.point_size(3.5).unwrap();
    rec.line_width(1.0).unwrap();
    rec.stencil_func(Face::Back, CompareFunc::NotEqual, 1, 0xff);
    let actions = [
        StencilAction::Keep,
        StencilAction::IncrWrap,
        StencilAction::Replace,
    ];
    rec.stencil_op(Face::FrontAndBack, actions[0], actions[1], actions[2]);
    rec.stencil_mask(Face::Front, 15);
    let list = rec.finish();
    let text = text_of(&list);
    let lines: Vec<&str> = text.lines().skip(1).collect();
    assert_eq!(
        lines,
        [
            r#"{"op":"viewport","framebuffer":1,"rect":[0,1,2,3]}"#,
            r#"{"op":"scissor","framebuffer":1,"rect":[-1,0,2,2]}"#,
            r#"{"op":"scissor","framebuffer":1,"rect":null}"#,
            r#"{"op":"color_mask","attachment":0,"framebuffer":1,"mask":[true,false,true,false]}"#,
            r#"{"op":"depth_mask","enabled":false,"framebuffer":1}"#,
            r#"{"op":"enable","capability":"program_point_size"}"#,
            r#"{"op":"enable_only","capabilities":["depth_test","stencil_test"]}"#,
            r#"{"op":"blend_func","dst_alpha":"one_minus_dst_color","dst_rgb":"one_minus_dst_color","src_alpha":"one","src_rgb":"one"}"#,
            r#"{"op":"blend_equation","alpha":"func_reverse_subtract","rgb":"func_reverse_subtract"}"#,
            r#"{"op":"depth_func","func":"<="}"#,
            r#"{"op":"front_face","winding":"cw"}"#,
            r#"{"op":"cull_face","face":"front_and_back"}"#,
            r#"{"op":"polygon_offset","factor":0.1,"units":-2.0}"#,
            r#"{"op":"wireframe","enabled":true}"#,
            r#"{"op":"point_size","size":3.5}"#,
            r#"{"op":"line_width","width":1.0}"#,
            r#"{"op":"stencil_func","face":"back","func":"!=","mask":255,"reference":1}"#,
            r#"{"op":"stencil_op","depth_fail":"incr_wrap","depth_pass":"replace","face":"front_and_back","stencil_fail":"keep"}"#,
            r#"{"op":"stencil_mask","face":"front","mask":15}"#,
        ]
    );
    // Numbers need no fraction, fields no order; the list is the same.
    let shuffled = text
        .replace(r#""factor":0.1,"units":-2.0"#, r#""units":-2,"factor":0.1"#)
        .replace(r#""size":3.5"#, r#""size":3.50"#);
    assert_same_list(&list, &assemble(&shuffled).unwrap());
}

#[test]
fn pipeline_values_are_checked_as_recorded() {
    let message = |bad: &str| error_on_line_3(bad).to_string();
    assert_eq!(
        message(r#"{"op":"point_size","size":0}"#),
        "line 3: point size must be finite and above 0, got 0"
    );
    assert_eq!(
        message(r#"{"op":"line_width","width":"nan"}"#),
        "line 3: line width must be finite and above 0, got NaN"
    );
    assert_eq!(
        message(r#"{"op":"polygon_offset","factor":"-inf","units":0}"#),
        "line 3: polygon offset factor must be finite, got -inf"
    );
    assert_eq!(
        message(r#"{"op":"scissor","framebuffer":1,"rect":null}"#),
        "line 3: framebuffer #1 is not defined (1 of its kind exist)"
    );
    assert_eq!(
        message(
            r#"{"op":"color_mask","framebuffer":0,"attachment":1,"mask":[true,true,true,true]}"#
        ),
        "line 3: framebuffer #0 has 1 color attachment(s); attachment 1 does not exist"
    );
    assert_eq!(
        message(r#"{"op":"scissor","framebuffer":0,"rect":[0,0,1]}"#),
        "line 3: invalid length 3, expected a tuple of size 4"
    );
    assert_eq!(
        message(r#"{"op":"color_mask","framebuffer":0,"attachment":0,"mask":[true]}"#),
        "line 3: invalid length 1, expected an array of length 4"
    );
    assert!(message(r#"{"op":"depth_func","func":"<>"}"#).contains("unknown variant `<>`"));
    assert!(
        message(r#"{"op":"enable_only","capabilities":["stencil"]}"#)
            .contains("unknown variant `stencil`")
    );
    assert!(message(r#"{"op":"point_size","size":1e39}"#).contains("too large for an f32"));
}

#[test]
fn skip_errors_is_false_when_left_out() {
    let head = format!(
        "{}\n{PROGRAM}\n",
        r#"{"op":"buffer","id":0,"size":8,"dynamic":false,"data":null}"#
    );
    let line =
        r#"{"op":"vertex_array","id":0,"program":0,"content":[[0,"2f4",["a"]]],"index":null"#;
    for (tail, skip) in [
        ("}", false),
        (r#","skip_errors":false}"#, false),
        (r#","skip_errors":true}"#, true),
    ] {
        let list = assemble(&format!("{head}{line}{tail}\n")).unwrap();
        let desc = &list.tables().entries::<VertexArrayDesc>()[0];
        assert_eq!(desc.skip_errors, skip, "{tail}");
        let dumped = text_of(&list);
        assert!(
            dumped.contains(&format!(r#""skip_errors":{skip}}}"#)),
            "{dumped}"
        );
    }
    let err = assemble(&format!("{head}{line},\"skip_errors\":1}}\n")).unwrap_err();
    assert!(err.to_string().starts_with("line 3"), "{err}");
}

#[test]
fn floats_print_shortest_and_read_back_exactly() {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut bits: Vec<u32> = vec![0, 1, 0x007f_ffff, 0x0080_0000, 0x7f7f_ffff, 0x8000_0000];
    bits.extend((0..20_000).map(|_| (next(&mut state) >> 32) as u32));
    for bits in bits {
        let x = f32::from_bits(bits);
        let json = serde_json::to_string(&Scalar::from_f32(x)).unwrap();
        let back: Scalar = serde_json::from_str(&json).unwrap();
        let y = back.to_f32().unwrap();
        assert!(
            y.to_bits() == bits || (x.is_nan() && y.is_nan()),
            "{x:e} ({bits:#x}) printed as {json} read back as {y:e}"
        );
        if x.is_finite() {
            assert_eq!(json.parse::<f32>().unwrap().to_bits(), bits, "{json}");
        }
    }
    let float = |x: f32| serde_json::to_string(&Scalar::from_f32(x)).unwrap();
    assert_eq!(float(0.1), "0.1");
    assert_eq!(float(-1e-7), "-1e-7");
    assert_eq!(float(f32::INFINITY), r#""inf""#);
    assert_eq!(float(f32::NEG_INFINITY), r#""-inf""#);
    assert_eq!(float(f32::NAN), r#""nan""#);
}

#[test]
fn components_keep_their_kind() {
    let bytes = |component: Component, value: Scalar| {
        let mut out = Vec::new();
        component.push(value, &mut out).map(|()| out)
    };
    let int = Component::of(UniformType::IVec3);
    assert_eq!(
        int.scalar(&u32::MAX.to_ne_bytes()),
        Some(Scalar::Signed(-1))
    );
    assert_eq!(bytes(int, Scalar::Signed(-1)), Some(vec![0xff; 4]));
    assert_eq!(bytes(int, Scalar::Unsigned(1 << 31)), None);
    assert_eq!(bytes(int, Scalar::Float(1.0)), None);
    let bool = Component::of(UniformType::BVec2);
    assert_eq!(
        bytes(bool, Scalar::Signed(-7)),
        bytes(int, Scalar::Signed(-7))
    );
    assert_eq!(bool.describe(), int.describe());
    let uint = Component::of(UniformType::UInt);
    assert_eq!(
        bytes(uint, Scalar::Unsigned(u64::from(u32::MAX))),
        Some(vec![0xff; 4])
    );
    assert_eq!(bytes(uint, Scalar::Signed(-1)), None);
    let float = Component::of(UniformType::Mat3);
    let two = 2.0f32.to_ne_bytes().to_vec();
    assert_eq!(bytes(float, Scalar::Unsigned(2)), Some(two));
    assert_eq!(bytes(float, Scalar::Float(1e39)), None);
    let double = Component::of(UniformType::DMat4x3);
    assert_eq!(double.size(), 8);
    let tenth = 0.1f64.to_ne_bytes().to_vec();
    assert_eq!(bytes(double, Scalar::Float(0.1)), Some(tenth.clone()));
    assert_eq!(double.scalar(&tenth), Some(Scalar::Float(0.1)));
    assert_eq!(double.scalar(&tenth[..4]), None);
}

#[test]
fn doubles_print_shortest_and_read_back_exactly() {
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut bits: Vec<u64> = vec![0, 1, 0x000f_ffff_ffff_ffff, 0x7fef_ffff_ffff_ffff];
    bits.extend((0..20_000).map(|_| next(&mut state)));
    let double = Component(UniformScalar::Double);
    for bits in bits {
        let x = f64::from_bits(bits);
        let json = serde_json::to_string(&double.scalar(&x.to_ne_bytes()).unwrap()).unwrap();
        let back: Scalar = serde_json::from_str(&json).unwrap();
        let mut out = Vec::new();
        double.push(back, &mut out).unwrap();
        let y = f64::from_ne_bytes(out.try_into().unwrap());
        assert!(
            y.to_bits() == bits || (x.is_nan() && y.is_nan()),
            "{x:e} ({bits:#x}) printed as {json} read back as {y:e}"
        );
    }
}

#[test]
fn enum_names_match_the_crate_names() {
    for mode in Mode::ALL {
        let json = serde_json::to_string(&op::Op::Render {
            vertex_array: crate::VertexArrayId(0),
            mode,
            vertices: None,
            first: 0,
            instances: 1,
        });
        assert!(json.unwrap().contains(&format!("\"{}\"", mode.name())));
    }
    for ty in UniformType::ALL {
        let json = serde_json::to_string(&op::Op::Uniform {
            program: crate::ProgramId(0),
            name: String::new(),
            ty,
            values: Vec::new(),
        });
        assert!(json.unwrap().contains(&format!("\"{}\"", ty.glsl_name())));
    }
}

#[test]
fn every_uniform_type_records_its_type() {
    for ty in UniformType::ALL {
        let values = vec!["1"; ty.components() * 2].join(",");
        let text = format!(
            "{PROGRAM}\n{{\"op\":\"uniform\",\"program\":0,\"name\":\"u\",\"type\":\"{}\",\"values\":[{values}]}}",
            ty.glsl_name()
        );
        let list = assemble(&text).unwrap();
        let Some(&Command::Uniform {
            ty: recorded, data, ..
        }) = list.commands().last()
        else {
            panic!("no uniform in {list:?}");
        };
        assert_eq!(recorded, ty);
        assert_eq!(data.size(), ty.element_size() as u64 * 2);
    }
}

#[test]
fn comments_blank_lines_and_crlf_are_skipped() {
    let text = "# a comment\r\n\r\n   \n  {\"op\":\"end_frame\"}  \r\n#{\"op\":\"bogus\"}\n";
    assert_eq!(assemble(text).unwrap().frames(), 1);
    assert!(assemble("").unwrap().is_empty());
}

#[test]
fn optional_fields_may_be_left_out() {
    let text = r#"{"op":"buffer","id":0,"size":8,"dynamic":true}
{"op":"read","id":0,"buffer":0,"offset":2}
{"op":"clear","buffer":0,"offset":0}
{"op":"program","id":0,"vertex_shader":"void main() {}","varyings":[],"varyings_mode":"interleaved"}"#;
    let list = assemble(text).unwrap();
    let mut rec = Recorder::new();
    let buffer = rec.buffer_reserve(8, true).unwrap();
    rec.read(buffer, None, 2).unwrap();
    rec.clear(buffer).unwrap();
    rec.program(ProgramDesc::new("void main() {}")).unwrap();
    assert_same_list(&list, &rec.finish());
}

#[test]
fn texture_attachments_and_copies_look_as_documented() {
    let mut rec = Recorder::new();
    let array = rec.texture(TextureDesc::array(2, 2, 3, 4), None).unwrap();
    let plain = rec.texture(TextureDesc::texture(2, 2, 4), None).unwrap();
    let layer = Attachment::Texture {
        texture: array,
        level: 0,
        layer: Some(2),
    };
    let fbo = rec.framebuffer_from(&[plain.into(), layer], None).unwrap();
    // Color attachment 0 is read: not into itself.
    rec.copy_framebuffer(plain, fbo).unwrap_err();
    rec.framebuffer_from(&[array.into()], None).unwrap();
    let other = rec.texture(TextureDesc::texture(2, 2, 4), None).unwrap();
    rec.copy_framebuffer(other, fbo).unwrap();
    let list = rec.finish();
    let text = text_of(&list);
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.contains(r#""op":"texture""#))
        .collect();
    assert_eq!(
        lines,
        [
            r#"{"op":"framebuffer_from","id":1,"color_attachments":[{"texture":{"id":1,"level":0,"layer":null}},{"texture":{"id":0,"level":0,"layer":2}}],"depth_attachment":null}"#,
            r#"{"op":"framebuffer_from","id":2,"color_attachments":[{"texture":{"id":0,"level":0,"layer":null}}],"depth_attachment":null}"#,
            r#"{"op":"copy_framebuffer","dst":{"texture":2},"src":1}"#,
        ]
    );
    // `layer` may be left out (null); `level` may not, nor may an unknown field appear.
    let texture = r#"{"op":"texture","id":0,"kind":"texture","size":[2,2],"components":4,"dtype":"f1","samples":0,"alignment":1,"internal_format":null,"depth":false,"data":null}"#;
    let attach = |image: &str| {
        let line = format!(
            r#"{{"op":"framebuffer_from","id":1,"color_attachments":[{image}],"depth_attachment":null}}"#
        );
        assemble(&format!("{texture}\n{line}"))
    };
    attach(r#"{"texture":{"id":0,"level":0}}"#).unwrap();
    let error = attach(r#"{"texture":{"id":0}}"#).unwrap_err();
    assert!(
        error.to_string().contains("missing field `level`"),
        "{error}"
    );
    let error = attach(r#"{"texture":{"id":0,"level":0,"face":1}}"#).unwrap_err();
    assert!(
        error.to_string().contains("unknown field `face`"),
        "{error}"
    );
    let error = attach(r#"{"texture":{"id":0,"level":1}}"#).unwrap_err();
    assert_eq!(
        error.to_string(),
        "line 2: texture #0 has no level 1 to attach: levels 0..1 hold images"
    );
}

/// The error of assembling `bad` as line 3, after a valid line and a comment.
fn error_on_line_3(bad: &str) -> TextError {
    let text = format!("{{\"op\":\"buffer\",\"id\":0,\"size\":4,\"dynamic\":false,\"data\":null}}\n# comment\n{bad}\n{{\"op\":\"end_frame\"}}");
    let error = assemble(&text).unwrap_err();
    assert_eq!(error.line(), 3, "{error}");
    assert!(error.to_string().starts_with("line 3"), "{error}");
    error
}

#[test]
fn json_errors_name_line_and_column() {
    let error = error_on_line_3(r#"{"op":"write","buffer":0,"offset":0,"data":"00""#);
    assert!(
        matches!(
            error,
            TextError::Json {
                column: Some(_),
                ..
            }
        ),
        "{error:?}"
    );
    let error = error_on_line_3(r#"{"op":"end_frame","x":1}"#);
    assert!(error.to_string().contains("unknown field `x`"), "{error}");
    let error = error_on_line_3(r#"{"op":"bogus"}"#);
    assert!(
        error.to_string().contains("unknown variant `bogus`"),
        "{error}"
    );
    let error = error_on_line_3(r#"{"op":"orphan","buffer":0,"size":4,"colour":1}"#);
    assert!(
        error.to_string().contains("unknown field `colour`"),
        "{error}"
    );
    let error = error_on_line_3(r#"{"op":"write","buffer":0,"data":"00"}"#);
    assert!(
        error.to_string().contains("missing field `offset`"),
        "{error}"
    );
    let error = error_on_line_3(r#"{"op":"orphan","buffer":-1,"size":null}"#);
    assert!(matches!(error, TextError::Json { .. }), "{error:?}");
    let error = error_on_line_3(r#"{"op":"enable","capability":"stencil"}"#);
    assert!(error.to_string().contains("stencil"), "{error}");
    let error = error_on_line_3(r#"["buffer", 1, 4, false, null]"#);
    assert_eq!(
        error.to_string(),
        "line 3, column 1: expected a JSON object"
    );
    error_on_line_3(r#"{"op":"end_frame"} trailing"#);
}

#[test]
fn plain_kinds_name_what_is_wrong() {
    let message = |bad: &str| error_on_line_3(bad).to_string();
    assert_eq!(
        message(r#"{"op":"end_frame","x":1}"#),
        "line 3: unknown field `x`: `end_frame` takes no fields"
    );
    assert_eq!(
        message(r#"{"op":"primitive_restart","index":1,"first":2}"#),
        "line 3: unknown field `first`, expected `index`"
    );
    assert_eq!(
        message(r#"{"op":"primitive_restart","index":-1}"#),
        "line 3: invalid value: integer `-1`, expected u32"
    );
    assert_eq!(
        message(r#"{"op":"release","object":{"buffer":0},"object":{"buffer":1}}"#),
        "line 3, column 60: duplicate field `object`"
    );
    assert_eq!(
        message(r#"{"op":"release","op":"release","object":{"buffer":0}}"#),
        "line 3, column 20: duplicate field `op`"
    );
    assert_eq!(
        message(r#"{"op":"release","object":{"buffer":0}"#),
        "line 3, column 37: EOF while parsing an object"
    );
    // An unknown op lists the plain kinds too.
    let mut plain = Command::NAMES
        .iter()
        .filter(|name| Command::has_plain_text(name));
    let last = format!("`{}`", plain.next_back().unwrap());
    assert!(
        message(r#"{"op":"bogus"}"#).contains("`end_frame`, `release`, `primitive_restart`")
            && message(r#"{"op":"bogus"}"#).ends_with(&last),
        "{}",
        message(r#"{"op":"bogus"}"#)
    );
}

#[test]
fn bad_hex_names_the_position() {
    let error = error_on_line_3(r#"{"op":"write","buffer":0,"offset":0,"data":"00fg"}"#);
    let expected = TextError::Hex {
        line: 3,
        field: "data",
        position: 3,
        problem: "not a hex digit",
    };
    assert_eq!(error, expected);
    let error = error_on_line_3(r#"{"op":"clear","buffer":0,"offset":0,"size":4,"chunk":"abc"}"#);
    assert!(
        matches!(
            error,
            TextError::Hex {
                field: "chunk",
                position: 2,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .contains("odd number of digits at position 2"),
        "{error}"
    );
}

#[test]
fn wrong_ids_are_rejected() {
    let error = error_on_line_3(r#"{"op":"buffer","id":2,"size":4,"dynamic":false}"#);
    let expected = TextError::WrongId {
        line: 3,
        kind: "buffer",
        expected: 1,
        found: 2,
    };
    assert_eq!(error, expected);
    let error = error_on_line_3(
        r#"{"op":"framebuffer","id":0,"width":1,"height":1,"color":["rgba8"],"depth":false}"#,
    );
    assert!(
        matches!(
            error,
            TextError::WrongId {
                kind: "framebuffer",
                expected: 1,
                found: 0,
                ..
            }
        ),
        "{error:?}"
    );
    let error = error_on_line_3(r#"{"op":"read","id":1,"buffer":0,"offset":0}"#);
    assert!(
        matches!(
            error,
            TextError::WrongId {
                kind: "readback",
                expected: 0,
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn numbers_out_of_range_are_rejected() {
    let uniform = |ty: &str, values: &str| {
        format!("{PROGRAM}\n{{\"op\":\"uniform\",\"program\":0,\"name\":\"u\",\"type\":\"{ty}\",\"values\":{values}}}")
    };
    let error = assemble(&uniform("ivec2", "[1, 2147483648]")).unwrap_err();
    let expected = TextError::OutOfRange {
        line: 2,
        field: "values[1]".into(),
        value: "2147483648".into(),
        expected: "an int (i32)",
    };
    assert_eq!(error, expected);
    for (ty, values) in [("uint", "[-1]"), ("int", "[1.5]"), ("float", "[1e39]")] {
        let error = assemble(&uniform(ty, values)).unwrap_err();
        assert!(
            matches!(error, TextError::OutOfRange { line: 2, .. }),
            "{error:?}"
        );
    }
    let error = assemble(&uniform("vec3", "[1, 2]")).unwrap_err();
    assert!(
        matches!(
            error,
            TextError::Validation {
                line: 2,
                error: ValidationError::UniformSize { .. }
            }
        ),
        "{error:?}"
    );
    let error = assemble(&uniform("float", r#"["infinity"]"#)).unwrap_err();
    assert!(
        matches!(error, TextError::Json { line: 2, .. }),
        "{error:?}"
    );
    let list = assemble(&uniform("vec4", r#"["inf", "-inf", "nan", 0]"#)).unwrap();
    assert!(text_of(&list).contains(r#""values":["inf","-inf","nan",0.0]"#));
    let clear = r#"{"op":"clear_framebuffer","framebuffer":0,"color":[0,0,0,1e40],"depth":1,"viewport":null}"#;
    let error = error_on_line_3(clear);
    assert!(
        error
            .to_string()
            .contains("`color[3]` = 1e40 is not a float (f32)"),
        "{error}"
    );
}

#[test]
fn recorder_errors_are_wrapped() {
    let error = error_on_line_3(r#"{"op":"write","buffer":0,"offset":2,"data":"000000"}"#);
    assert!(
        matches!(
            error,
            TextError::Validation {
                error: ValidationError::OutOfRange { .. },
                ..
            }
        ),
        "{error:?}"
    );
    let error = error_on_line_3(r#"{"op":"buffer","id":1,"size":3,"dynamic":false,"data":"0000"}"#);
    assert!(
        matches!(
            error,
            TextError::Validation {
                error: ValidationError::InitialDataSize { len: 2, size: 3 },
                ..
            }
        ),
        "{error:?}"
    );
    let error = error_on_line_3(r#"{"op":"release","object":{"framebuffer":0}}"#);
    assert!(
        matches!(
            error,
            TextError::Validation {
                error: ValidationError::ReleaseScreen,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "line 3: the screen framebuffer cannot be released"
    );
}

#[test]
fn corrupt_lists_are_an_io_error_not_a_panic() {
    let list = every_command();
    let corrupt = CommandList::from_parts(list.commands().to_vec(), &[], Tables::default());
    let error = dump(&corrupt.unwrap(), &mut Vec::new()).unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::InvalidData);
    assert!(
        error.to_string().starts_with("command #0 (create_buffer)"),
        "{error}"
    );
}

/// A xorshift step: deterministic noise for the mutation test.
fn next(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[test]
fn mutated_lines_never_panic() {
    const PIECES: [&str; 16] = [
        "{",
        "}",
        "[",
        "]",
        "\"",
        ",",
        ":",
        "-",
        "0",
        "9",
        "e",
        "null",
        "4294967296",
        "-9223372036854775809",
        "1e400",
        "\"nan\"",
    ];
    let text = text_of(&every_command());
    let lines: Vec<&str> = text.lines().collect();
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut accepted = 0;
    for _ in 0..4000 {
        let mut mutated: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
        for _ in 0..1 + next(&mut state) % 3 {
            let row = (next(&mut state) % mutated.len() as u64) as usize;
            let line = &mut mutated[row];
            let at = (next(&mut state) % (line.len() as u64 + 1)) as usize;
            let at = (0..=at).rev().find(|&i| line.is_char_boundary(i)).unwrap();
            match next(&mut state) % 4 {
                0 => line.insert_str(at, PIECES[(next(&mut state) % 16) as usize]),
                1 => line.truncate(at),
                2 if at < line.len() => {
                    line.remove(at);
                }
                _ => mutated.swap(row, (next(&mut state) % lines.len() as u64) as usize),
            }
        }
        if let Ok(list) = assemble(&mutated.join("\n")) {
            accepted += 1;
            text_of(&list);
        }
    }
    assert!(
        accepted > 0,
        "some mutations (a digit in a shader) still assemble"
    );
}

/// The fenced `jsonl` blocks of the format's documentation.
fn documented_examples() -> Vec<&'static str> {
    let doc = include_str!("../../docs/text-format.md");
    let blocks = doc.split("```jsonl\n").skip(1);
    blocks
        .map(|block| &block[..block.find("```").expect("the end of the block")])
        .collect()
}

#[test]
fn the_documented_examples_assemble() {
    let examples = documented_examples();
    assert_eq!(examples.len(), 6);
    for example in examples {
        let list = assemble(example).unwrap();
        list.validate().unwrap();
        let names: Vec<&str> = list.commands().iter().map(|c| c.name()).collect();
        assert!(
            names.contains(&"render") && names.contains(&"read_pixels"),
            "{names:?}"
        );
        assert_same_list(&assemble(&text_of(&list)).unwrap(), &list);
    }
}

#[test]
fn every_plain_kind_is_documented() {
    let doc = include_str!("../../docs/text-format.md");
    let undocumented: Vec<&str> = (Command::NAMES.iter().copied())
        .filter(|name| Command::has_plain_text(name))
        .filter(|name| !doc.contains(&format!("| `{name}` |")))
        .collect();
    assert!(
        undocumented.is_empty(),
        "docs/text-format.md has no row for {undocumented:?}"
    );
}

/// Every payload field of `text` moved into a payload file: the text with `{"offset": N,
/// "len": M}` ranges, and the file.
fn with_payload_file(text: &str) -> (String, Vec<u8>) {
    let mut file = Vec::new();
    let mut lines = Vec::new();
    for line in text.lines() {
        let mut value: serde_json::Value = serde_json::from_str(line).unwrap();
        for field in ["data", "chunk"] {
            if let Some(hex) = value.get(field).and_then(|v| v.as_str()).map(str::to_owned) {
                let bytes = super::assemble::tests_hex(&hex);
                value[field] = serde_json::json!({"offset": file.len(), "len": bytes.len()});
                // Unrelated bytes between payloads: ranges need not be adjacent.
                file.extend_from_slice(&bytes);
                file.push(0xee);
            }
        }
        lines.push(value.to_string());
    }
    (lines.join("\n"), file)
}

#[test]
fn payloads_from_a_payload_file_assemble_to_the_same_list() {
    let list = every_command();
    let (text, file) = with_payload_file(&text_of(&list));
    assert!(text.contains(r#""data":{"len":"#), "{text}");
    let trace = assemble_trace(&text, Some(&file)).unwrap();
    assert_same_list(&trace.list, &list);
    assert!(!trace.header.is_incomplete());
    // Without the file, or with one too short, the first range is an error naming its line.
    let first = 1 + text.lines().position(|l| l.contains("offset\":0")).unwrap();
    let error = assemble_trace(&text, None).unwrap_err();
    assert_eq!(error.line(), first);
    assert!(error.to_string().contains("--payloads FILE"), "{error}");
    let error = assemble(&text).unwrap_err();
    assert_eq!(error.line(), first);
    let error = assemble_trace(&text, Some(&file[..file.len() - 2])).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("of the payload file, which holds"),
        "{error}"
    );
    for bad in [
        r#"{"offset":0}"#,
        r#"{"offset":0,"len":1,"file":0}"#,
        r#"{"offset":-1,"len":1}"#,
        r#"{"offset":18446744073709551615,"len":2}"#,
        "7",
    ] {
        let line = format!(r#"{{"op":"buffer","id":0,"size":1,"dynamic":false,"data":{bad}}}"#);
        let error = assemble_trace(&line, Some(&[1, 2, 3])).unwrap_err();
        assert_eq!(error.line(), 1, "{bad}: {error}");
    }
}

#[test]
fn the_header_line_round_trips_label_digests_and_what_is_incomplete() {
    let list = every_command();
    let mut trace = crate::trace::Trace::new(list, "a \"label\"", vec![[7; 32], [0xab; 32]]);
    trace.header.incomplete = vec!["s.py:3: Context.mglo (2 uses)".to_owned()];
    let mut out = Vec::new();
    dump_trace(&trace, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.starts_with(r#"{"op":"header","label":"a \"label\"","readback_digests":["0707"#));
    let again = assemble_trace(&text, None).unwrap();
    assert_same_list(&again.list, &trace.list);
    assert_eq!(again.header, trace.header);
    // A trace whose header holds nothing a text gives has no header line.
    let plain = crate::trace::Trace::new(every_command(), "", Vec::new());
    let mut out = Vec::new();
    dump_trace(&plain, &mut out).unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), text_of(&plain.list));
    // The header may come anywhere, its fields may be left out; `assemble` checks but drops it.
    let text = format!(
        "{}\n{{\"op\":\"header\",\"incomplete\":[\"x\"]}}",
        text_of(&plain.list)
    );
    let trace = assemble_trace(&text, None).unwrap();
    assert_eq!(trace.header.incomplete, ["x"]);
    assert!(trace.header.label.is_empty() && trace.header.readback_digests.is_empty());
    assert_same_list(&assemble(&text).unwrap(), &plain.list);
}

#[test]
fn bad_header_lines_are_rejected() {
    for (bad, says) in [
        (
            r#"{"op":"header","readback_digests":["00"]}"#,
            "is not 32 bytes",
        ),
        (
            r#"{"op":"header","readback_digests":["zz"]}"#,
            "not a hex digit",
        ),
        (r#"{"op":"header","colour":1}"#, "unknown field"),
        (r#"{"op":"header","label":3}"#, "invalid type"),
    ] {
        let error = assemble_trace(bad, None).unwrap_err();
        assert_eq!(error.line(), 1);
        assert!(error.to_string().contains(says), "{bad}: {error}");
    }
    let twice = "{\"op\":\"header\"}\n\n{\"op\":\"header\"}";
    let error = assemble_trace(twice, None).unwrap_err();
    assert_eq!(error.line(), 3);
    assert!(error.to_string().contains("second `header`"), "{error}");
}
