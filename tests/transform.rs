//! Transform feedback recorded, then replayed on a real OpenGL 4.5 context (Mesa llvmpipe,
//! headless EGL or OSMesa as GLTAPE_BACKEND says), with exact output bytes read back.
//!
//! Modelled on ModernGL's tests/test_vertex_attribute_types.py: every vertex format type goes
//! through a vertex shader that doubles it, and the captured bytes are compared exactly. Output
//! buffers start filled with 0xAA so that bytes past the captured output show they were left
//! alone.

use gltape::command::BufferOp;
use gltape::{
    BufferId, CommandList, Draw, Mode, ProgramDesc, ProgramId, ReadbackId, Readbacks, Recorder,
    Renderer, ValidationError, VaryingsMode, VertexArrayId,
};

/// The byte output buffers are filled with before capture.
const UNTOUCHED: u8 = 0xAA;

/// Captures one float: `o = v`.
const VS_COPY: &str = "#version 450 core
in float v;
out float o;
void main() { o = v; }
";

/// Two varyings: `a = 2v`, `b = (v, -v)`.
const VS_TWO: &str = "#version 450 core
in float v;
out float a;
out vec2 b;
void main() {
    a = v * 2.0;
    b = vec2(v, -v);
}
";

/// The doubling vertex shader for one GLSL type.
fn doubling_vs(glsl: &str) -> String {
    format!(
        "#version 450 core
in {glsl} v;
out {glsl} o;
void main() {{ o = v + v; }}
"
    )
}

/// The native bytes of `values`.
fn raw<T: bytemuck::Pod>(values: &[T]) -> Vec<u8> {
    bytemuck::cast_slice(values).to_vec()
}

/// `data` followed by `extra` untouched bytes.
fn then_untouched(data: &[u8], extra: usize) -> Vec<u8> {
    let mut out = data.to_vec();
    out.resize(data.len() + extra, UNTOUCHED);
    out
}

fn replay(list: &CommandList) -> Readbacks {
    let mut renderer = Renderer::headless().expect("headless OpenGL 4.5 context");
    renderer.replay(list).expect("replay")
}

fn bytes(readbacks: &Readbacks, id: ReadbackId) -> Vec<u8> {
    readbacks.get(id).expect("readback exists").to_vec()
}

/// An output buffer of `size` untouched bytes.
fn output(rec: &mut Recorder, size: usize) -> BufferId {
    rec.buffer(&vec![UNTOUCHED; size]).unwrap()
}

/// A program of `vs` capturing `varyings`.
fn capture(rec: &mut Recorder, vs: &str, varyings: &[&str], mode: VaryingsMode) -> ProgramId {
    rec.program(ProgramDesc::new(vs).varyings(varyings, mode))
        .unwrap()
}

/// A vertex array feeding the floats `values` to attribute `v`.
fn floats(rec: &mut Recorder, program: ProgramId, values: &[f32]) -> VertexArrayId {
    let vbo = rec.buffer(values).unwrap();
    rec.vertex_array(program, &[(vbo, "1f", &["v"][..])], None)
        .unwrap()
}

/// Asserts that `call` fails with `expected` and records nothing.
fn rejected(
    rec: &mut Recorder,
    expected: ValidationError,
    call: impl FnOnce(&mut Recorder) -> Result<(), ValidationError>,
) {
    let before = rec.list().len();
    assert_eq!(call(rec), Err(expected));
    assert_eq!(rec.list().len(), before, "a rejected call records nothing");
}

/// Doubles two vertices of `count` components of format type `format` (e.g. "f1") for counts
/// 1..=4, read as GLSL `scalar` / `{vector}{count}`. `input` and `doubled` hold 8 components
/// each, in the vertex format and in the captured GLSL type.
fn check_type(format: &str, scalar: &str, vector: &str, input: &[u8], doubled: &[u8]) {
    let (in_size, out_size) = (input.len() / 8, doubled.len() / 8);
    let mut rec = Recorder::new();
    let mut reads = Vec::new();
    for count in 1..=4 {
        let glsl = match count {
            1 => scalar.to_owned(),
            n => format!("{vector}{n}"),
        };
        let program = capture(
            &mut rec,
            &doubling_vs(&glsl),
            &["o"],
            VaryingsMode::Interleaved,
        );
        let vbo = rec.buffer(&input[..2 * count * in_size]).unwrap();
        let layout = format!("{count}{format}");
        let vao = rec
            .vertex_array(program, &[(vbo, &layout, &["v"][..])], None)
            .unwrap();
        let out = output(&mut rec, 2 * count * out_size + 16);
        // No vertex count: two, from the buffer size.
        rec.transform(vao, &[out], Draw::new(Mode::Points), 0)
            .unwrap();
        let read = rec.read(out, None, 0).unwrap();
        reads.push((layout, glsl, count, read));
    }
    let out = replay(&rec.finish());
    for (layout, glsl, count, read) in reads {
        let expected = then_untouched(&doubled[..2 * count * out_size], 16);
        assert_eq!(bytes(&out, read), expected, "\"{layout}\" as {glsl}");
    }
}

// ---------------------------------------------------------------------------------------------
// Every vertex format type

#[test]
fn f1_normalized_bytes_become_floats() {
    // GL allows b / 255 within a small error, and llvmpipe computes b * (1.0 / 255.0), one
    // ulp off the exact quotient for bytes such as 51 (0.2). These bytes give the correctly
    // rounded quotient either way: 1/3, 2/3, 3/5, 1/15, ...
    let input = [85u8, 170, 153, 17, 255, 0, 1, 128];
    let doubled = input.map(|b| f32::from(b) / 255.0 * 2.0);
    check_type("f1", "float", "vec", &input, &raw(&doubled));
}

#[test]
fn f2_half_floats_become_floats() {
    // 1.0, 2.5, -0.5, 3.0, 0.25, -2.0, 0.0, 100.0
    let input = [
        0x3C00u16, 0x4100, 0xB800, 0x4200, 0x3400, 0xC000, 0x0000, 0x5640,
    ];
    let doubled = [2.0f32, 5.0, -1.0, 6.0, 0.5, -4.0, 0.0, 200.0];
    check_type("f2", "float", "vec", &raw(&input), &raw(&doubled));
}

#[test]
fn f4_floats() {
    let input = [1.5f32, -2.25, 3.0, 0.125, -100.0, 1e6, 0.0, 7.75];
    check_type(
        "f4",
        "float",
        "vec",
        &raw(&input),
        &raw(&input.map(|v| v * 2.0)),
    );
}

#[test]
fn f8_doubles_keep_double_precision() {
    // 0.1, 1/3 and 1e300 are not floats: a trip through f32 would change them.
    let input = [
        0.1f64,
        -2.25,
        1e300,
        3.0,
        1.0 / 3.0,
        -7.5,
        0.0,
        123_456_789.123,
    ];
    check_type(
        "f8",
        "double",
        "dvec",
        &raw(&input),
        &raw(&input.map(|v| v * 2.0)),
    );
}

#[test]
fn i1_signed_bytes() {
    let input = [-128i8, 127, -1, 0, 5, -50, 100, -3];
    check_type(
        "i1",
        "int",
        "ivec",
        &raw(&input),
        &raw(&input.map(|v| i32::from(v) * 2)),
    );
}

#[test]
fn i2_signed_shorts() {
    let input = [-32768i16, 32767, -1, 0, 1234, -4321, 7, -300];
    check_type(
        "i2",
        "int",
        "ivec",
        &raw(&input),
        &raw(&input.map(|v| i32::from(v) * 2)),
    );
}

#[test]
fn i4_signed_ints() {
    let input = [
        -1_000_000_000i32,
        1_000_000_000,
        -1,
        0,
        123_456,
        -7,
        2,
        1_073_741_823,
    ];
    check_type(
        "i4",
        "int",
        "ivec",
        &raw(&input),
        &raw(&input.map(|v| v * 2)),
    );
}

#[test]
fn u1_unsigned_bytes() {
    let input = [0u8, 255, 1, 128, 7, 200, 64, 3];
    check_type(
        "u1",
        "uint",
        "uvec",
        &raw(&input),
        &raw(&input.map(|v| u32::from(v) * 2)),
    );
}

#[test]
fn u2_unsigned_shorts() {
    let input = [0u16, 65535, 1, 32768, 7, 40000, 640, 3];
    check_type(
        "u2",
        "uint",
        "uvec",
        &raw(&input),
        &raw(&input.map(|v| u32::from(v) * 2)),
    );
}

#[test]
fn u4_unsigned_ints() {
    let input = [0u32, 2_147_483_647, 1, 4_000_000, 2_000_000_000, 7, 123, 99];
    check_type(
        "u4",
        "uint",
        "uvec",
        &raw(&input),
        &raw(&input.map(|v| v * 2)),
    );
}

// ---------------------------------------------------------------------------------------------
// Layouts, instancing and outputs

#[test]
fn padding_is_skipped() {
    const VS: &str = "#version 450 core
in vec2 a;
in float b;
out vec3 o;
void main() { o = vec3(a, b); }
";
    let mut vertices = Vec::new();
    for v in [[1.0f32, 2.0, 3.0], [4.0, 5.0, 6.0]] {
        vertices.extend(raw(&v[..2]));
        vertices.extend([0xFF; 4]); // would read as a NaN
        vertices.extend(raw(&v[2..]));
    }
    let mut rec = Recorder::new();
    let program = capture(&mut rec, VS, &["o"], VaryingsMode::Interleaved);
    let vbo = rec.buffer(&vertices).unwrap();
    let vao = rec
        .vertex_array(program, &[(vbo, "2f 4x 1f", &["a", "b"][..])], None)
        .unwrap();
    let out = output(&mut rec, 32);
    rec.transform(vao, &[out], Draw::new(Mode::Points), 0)
        .unwrap();
    let read = rec.read(out, None, 0).unwrap();
    let expected = then_untouched(&raw(&[1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0]), 8);
    assert_eq!(bytes(&replay(&rec.finish()), read), expected);
}

#[test]
fn per_instance_attributes_advance_per_instance() {
    const VS: &str = "#version 450 core
in float v;
in float offset;
out float o;
void main() { o = v + offset; }
";
    let mut rec = Recorder::new();
    let program = capture(&mut rec, VS, &["o"], VaryingsMode::Interleaved);
    let vbo = rec.buffer(&[1.0f32, 2.0]).unwrap();
    let offsets = rec.buffer(&[10.0f32, 20.0, 30.0]).unwrap();
    let vao = rec
        .vertex_array(
            program,
            &[(vbo, "1f", &["v"][..]), (offsets, "1f /i", &["offset"][..])],
            None,
        )
        .unwrap();
    let out = output(&mut rec, 32);
    rec.transform(vao, &[out], Draw::new(Mode::Points).instances(3), 0)
        .unwrap();
    let read = rec.read(out, None, 0).unwrap();
    let expected = then_untouched(&raw(&[11.0f32, 12.0, 21.0, 22.0, 31.0, 32.0]), 8);
    assert_eq!(bytes(&replay(&rec.finish()), read), expected);
}

#[test]
fn separate_varyings_go_to_one_buffer_each() {
    let mut rec = Recorder::new();
    let program = capture(&mut rec, VS_TWO, &["a", "b"], VaryingsMode::Separate);
    let vao = floats(&mut rec, program, &[1.0, 2.0, 3.0]);
    let (out_a, out_b) = (output(&mut rec, 16), output(&mut rec, 32));
    rec.transform(vao, &[out_a, out_b], Draw::new(Mode::Points), 0)
        .unwrap();
    let (read_a, read_b) = (
        rec.read(out_a, None, 0).unwrap(),
        rec.read(out_b, None, 0).unwrap(),
    );
    let out = replay(&rec.finish());
    assert_eq!(
        bytes(&out, read_a),
        then_untouched(&raw(&[2.0f32, 4.0, 6.0]), 4)
    );
    assert_eq!(
        bytes(&out, read_b),
        then_untouched(&raw(&[1.0f32, -1.0, 2.0, -2.0, 3.0, -3.0]), 8)
    );
}

#[test]
fn interleaved_varyings_alternate_in_one_buffer() {
    let mut rec = Recorder::new();
    let program = capture(&mut rec, VS_TWO, &["a", "b"], VaryingsMode::Interleaved);
    let vao = floats(&mut rec, program, &[1.0, 2.0, 3.0]);
    let out = output(&mut rec, 44);
    rec.transform(vao, &[out], Draw::new(Mode::Points), 0)
        .unwrap();
    let read = rec.read(out, None, 0).unwrap();
    let expected = [2.0f32, 1.0, -1.0, 4.0, 2.0, -2.0, 6.0, 3.0, -3.0];
    assert_eq!(
        bytes(&replay(&rec.finish()), read),
        then_untouched(&raw(&expected), 8)
    );
}

#[test]
fn buffer_offset_leaves_the_bytes_before_it() {
    let mut rec = Recorder::new();
    let program = capture(&mut rec, VS_COPY, &["o"], VaryingsMode::Interleaved);
    let vao = floats(&mut rec, program, &[1.0, 2.0, 3.0]);
    let out = output(&mut rec, 32);
    rec.transform(vao, &[out], Draw::new(Mode::Points), 8)
        .unwrap();
    let read = rec.read(out, None, 0).unwrap();
    let mut expected = vec![UNTOUCHED; 8];
    expected.extend(then_untouched(&raw(&[1.0f32, 2.0, 3.0]), 12));
    assert_eq!(bytes(&replay(&rec.finish()), read), expected);
}

#[test]
fn buffer_offset_applies_to_every_separate_output() {
    let mut rec = Recorder::new();
    let program = capture(&mut rec, VS_TWO, &["a", "b"], VaryingsMode::Separate);
    let vao = floats(&mut rec, program, &[1.0, 2.0]);
    let (out_a, out_b) = (output(&mut rec, 16), output(&mut rec, 24));
    rec.transform(vao, &[out_a, out_b], Draw::new(Mode::Points), 8)
        .unwrap();
    let (read_a, read_b) = (
        rec.read(out_a, None, 0).unwrap(),
        rec.read(out_b, None, 0).unwrap(),
    );
    let out = replay(&rec.finish());
    let mut a = vec![UNTOUCHED; 8];
    a.extend(raw(&[2.0f32, 4.0]));
    let mut b = vec![UNTOUCHED; 8];
    b.extend(raw(&[1.0f32, -1.0, 2.0, -2.0]));
    assert_eq!(bytes(&out, read_a), a);
    assert_eq!(bytes(&out, read_b), b);
}

#[test]
fn first_and_count_pick_the_vertices() {
    let mut rec = Recorder::new();
    let program = capture(&mut rec, VS_COPY, &["o"], VaryingsMode::Interleaved);
    let vao = floats(&mut rec, program, &[1.0, 2.0, 3.0, 4.0, 5.0]);
    let out = output(&mut rec, 16);
    rec.transform(vao, &[out], Draw::new(Mode::Points).first(1).vertices(3), 0)
        .unwrap();
    let read = rec.read(out, None, 0).unwrap();
    assert_eq!(
        bytes(&replay(&rec.finish()), read),
        then_untouched(&raw(&[2.0f32, 3.0, 4.0]), 4)
    );
}

#[test]
fn triangles_and_strips_are_captured_as_triangles() {
    let mut rec = Recorder::new();
    let program = capture(&mut rec, VS_COPY, &["o"], VaryingsMode::Interleaved);
    let vao = floats(&mut rec, program, &[1.0, 2.0, 3.0, 4.0]);
    let triangles = output(&mut rec, 16);
    rec.transform(vao, &[triangles], Draw::new(Mode::Triangles).vertices(3), 0)
        .unwrap();
    let strip = output(&mut rec, 32);
    rec.transform(vao, &[strip], Draw::new(Mode::TriangleStrip), 0)
        .unwrap();
    let (read_triangles, read_strip) = (
        rec.read(triangles, None, 0).unwrap(),
        rec.read(strip, None, 0).unwrap(),
    );
    let out = replay(&rec.finish());
    assert_eq!(
        bytes(&out, read_triangles),
        then_untouched(&raw(&[1.0f32, 2.0, 3.0]), 4)
    );
    // Two triangles of three vertices; GL may reorder an odd triangle's vertices.
    let strip = bytes(&out, read_strip);
    assert_eq!(&strip[24..], [UNTOUCHED; 8]);
    let captured: &[f32] = bytemuck::cast_slice(&strip[..24]);
    let (mut first, mut second) = (captured[..3].to_vec(), captured[3..].to_vec());
    first.sort_by(f32::total_cmp);
    second.sort_by(f32::total_cmp);
    assert_eq!((first, second), (vec![1.0, 2.0, 3.0], vec![2.0, 3.0, 4.0]));
}

#[test]
fn a_geometry_shader_emits_two_points_per_point() {
    const VS: &str = "#version 450 core
in float in_v;
out float v;
void main() { v = in_v; }
";
    const GS: &str = "#version 450 core
layout(points) in;
layout(points, max_vertices = 2) out;
in float v[];
out float o;
void main() {
    o = v[0];
    EmitVertex();
    o = v[0] * 10.0;
    EmitVertex();
    EndPrimitive();
}
";
    let mut rec = Recorder::new();
    let program = rec
        .program(
            ProgramDesc::new(VS)
                .geometry(GS)
                .varyings(&["o"], VaryingsMode::Interleaved),
        )
        .unwrap();
    let vbo = rec.buffer(&[1.0f32, 2.0, 3.0]).unwrap();
    let vao = rec
        .vertex_array(program, &[(vbo, "1f", &["in_v"][..])], None)
        .unwrap();
    let out = output(&mut rec, 32);
    rec.transform(vao, &[out], Draw::new(Mode::Points), 0)
        .unwrap();
    let read = rec.read(out, None, 0).unwrap();
    let expected = [1.0f32, 10.0, 2.0, 20.0, 3.0, 30.0];
    assert_eq!(
        bytes(&replay(&rec.finish()), read),
        then_untouched(&raw(&expected), 8)
    );
}

#[test]
fn a_geometry_shader_captures_adjacency_modes() {
    const VS: &str = "#version 450 core
in float in_v;
out float v;
void main() { v = in_v; }
";
    const GS: &str = "#version 450 core
layout(triangles_adjacency) in;
layout(points, max_vertices = 1) out;
in float v[];
out float o;
void main() {
    o = v[0] + v[2] + v[4];
    EmitVertex();
    EndPrimitive();
}
";
    let mut rec = Recorder::new();
    let program = rec
        .program(
            ProgramDesc::new(VS)
                .geometry(GS)
                .varyings(&["o"], VaryingsMode::Interleaved),
        )
        .unwrap();
    let vbo = rec.buffer(&[1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0]).unwrap();
    let vao = rec
        .vertex_array(program, &[(vbo, "1f", &["in_v"][..])], None)
        .unwrap();
    let out = output(&mut rec, 8);
    rec.transform(vao, &[out], Draw::new(Mode::TrianglesAdjacency), 0)
        .unwrap();
    let read = rec.read(out, None, 0).unwrap();
    assert_eq!(
        bytes(&replay(&rec.finish()), read),
        then_untouched(&raw(&[9.0f32]), 4)
    );
}

// ---------------------------------------------------------------------------------------------
// Errors

#[test]
fn a_program_without_varyings_is_rejected() {
    let mut rec = Recorder::new();
    let program = rec.program(ProgramDesc::new(VS_COPY)).unwrap();
    let vao = floats(&mut rec, program, &[1.0, 2.0]);
    let out = output(&mut rec, 16);
    rejected(&mut rec, ValidationError::NoVaryings { program }, |r| {
        r.transform(vao, &[out], Draw::new(Mode::Points), 0)
    });
}

#[test]
fn the_wrong_number_of_outputs_is_rejected() {
    let mut rec = Recorder::new();
    let separate = capture(&mut rec, VS_TWO, &["a", "b"], VaryingsMode::Separate);
    let interleaved = capture(&mut rec, VS_TWO, &["a", "b"], VaryingsMode::Interleaved);
    let separate_vao = floats(&mut rec, separate, &[1.0]);
    let interleaved_vao = floats(&mut rec, interleaved, &[1.0]);
    let (a, b) = (output(&mut rec, 16), output(&mut rec, 16));
    rejected(
        &mut rec,
        ValidationError::OutputCount {
            program: separate,
            expected: 2,
            found: 1,
            mode: "separate",
        },
        |r| r.transform(separate_vao, &[a], Draw::new(Mode::Points), 0),
    );
    rejected(
        &mut rec,
        ValidationError::OutputCount {
            program: interleaved,
            expected: 1,
            found: 2,
            mode: "interleaved",
        },
        |r| r.transform(interleaved_vao, &[a, b], Draw::new(Mode::Points), 0),
    );
    rejected(
        &mut rec,
        ValidationError::OutputCount {
            program: interleaved,
            expected: 1,
            found: 0,
            mode: "interleaved",
        },
        |r| r.transform(interleaved_vao, &[], Draw::new(Mode::Points), 0),
    );
}

#[test]
fn adjacency_without_a_geometry_shader_is_rejected() {
    let mut rec = Recorder::new();
    let program = capture(&mut rec, VS_COPY, &["o"], VaryingsMode::Interleaved);
    let vao = floats(&mut rec, program, &[1.0; 6]);
    let out = output(&mut rec, 64);
    for mode in [
        Mode::LinesAdjacency,
        Mode::LineStripAdjacency,
        Mode::TrianglesAdjacency,
        Mode::TriangleStripAdjacency,
    ] {
        rejected(&mut rec, ValidationError::TransformMode { mode }, |r| {
            r.transform(vao, &[out], Draw::new(mode), 0)
        });
    }
}

#[test]
fn an_output_offset_past_the_buffer_is_rejected() {
    let mut rec = Recorder::new();
    let program = capture(&mut rec, VS_COPY, &["o"], VaryingsMode::Interleaved);
    let vao = floats(&mut rec, program, &[1.0]);
    let out = output(&mut rec, 32);
    rejected(
        &mut rec,
        ValidationError::OutOfRange {
            op: BufferOp::TransformOutput,
            buffer: out,
            offset: 40,
            size: 0,
            buffer_size: 32,
        },
        |r| r.transform(vao, &[out], Draw::new(Mode::Points), 40),
    );
}

/// Captures the floats 1, 2, 3 into an output of `out_size` untouched bytes at `offset`
/// and reads the whole output back.
fn overflow(out_size: usize, offset: u64) -> Vec<u8> {
    let mut rec = Recorder::new();
    let program = capture(&mut rec, VS_COPY, &["o"], VaryingsMode::Interleaved);
    let vao = floats(&mut rec, program, &[1.0, 2.0, 3.0]);
    let out = output(&mut rec, out_size);
    rec.transform(vao, &[out], Draw::new(Mode::Points), offset)
        .unwrap();
    let all = rec.read(out, None, 0).unwrap();
    bytes(&replay(&rec.finish()), all)
}

#[test]
fn an_output_too_small_keeps_the_primitives_that_fit() {
    // As in ModernGL: GL writes the captured vertices that fit the bound range and stops.
    assert_eq!(overflow(8, 0), raw(&[1.0f32, 2.0]));
}

#[test]
fn an_output_too_small_counts_the_buffer_offset() {
    // 12 bytes fit a 16-byte buffer, but only 8 of them 8 bytes into it.
    assert_eq!(
        overflow(16, 8),
        [vec![UNTOUCHED; 8], raw(&[1.0f32, 2.0])].concat()
    );
}

#[test]
fn separate_outputs_stop_together_at_the_smallest() {
    let mut rec = Recorder::new();
    let program = capture(&mut rec, VS_TWO, &["a", "b"], VaryingsMode::Separate);
    let vao = floats(&mut rec, program, &[1.0, 2.0, 3.0]);
    // `a` needs 12 bytes and gets 16; `b` needs 24 and gets 20: two vertices fit both.
    let (out_a, out_b) = (output(&mut rec, 16), output(&mut rec, 20));
    rec.transform(vao, &[out_a, out_b], Draw::new(Mode::Points), 0)
        .unwrap();
    let (a, b) = (
        rec.read(out_a, None, 0).unwrap(),
        rec.read(out_b, None, 0).unwrap(),
    );
    let readbacks = replay(&rec.finish());
    assert_eq!(
        bytes(&readbacks, a),
        then_untouched(&raw(&[2.0f32, 4.0]), 8)
    );
    assert_eq!(
        bytes(&readbacks, b),
        then_untouched(&raw(&[1.0f32, -1.0, 2.0, -2.0]), 4)
    );
}

// ---------------------------------------------------------------------------------------------
// Primitive restart

/// Captures the points drawn through `indices` (of `element_size` bytes) into the floats
/// 10, 11, 12, 13, after `setup`: the values of the vertices that were not restart indices.
fn points_through(element_size: u8, indices: &[u32], setup: impl FnOnce(&mut Recorder)) -> Vec<u8> {
    let mut rec = Recorder::new();
    setup(&mut rec);
    let program = capture(&mut rec, VS_COPY, &["o"], VaryingsMode::Interleaved);
    let vbo = rec.buffer(&[10.0f32, 11.0, 12.0, 13.0]).unwrap();
    let index_bytes: Vec<u8> = match element_size {
        2 => raw(&indices.iter().map(|&i| i as u16).collect::<Vec<_>>()),
        _ => raw(indices),
    };
    let ibo = rec.buffer(&index_bytes).unwrap();
    let vao = rec
        .vertex_array(
            program,
            &[(vbo, "1f", &["v"][..])],
            Some((ibo, element_size)),
        )
        .unwrap();
    let out = output(&mut rec, 16);
    rec.transform(vao, &[out], Draw::new(Mode::Points), 0)
        .unwrap();
    let read = rec.read(out, None, 0).unwrap();
    bytes(&replay(&rec.finish()), read)
}

#[test]
fn primitive_restart_starts_on_at_the_32_bit_index_as_in_moderngl() {
    // 0xFFFFFFFF is skipped in a 4-byte index buffer; 0xFFFF is an ordinary 2-byte index, so
    // it stays out of these 2-byte indices.
    let skipped = points_through(4, &[0, u32::MAX, 3, 1], |_| {});
    assert_eq!(skipped, then_untouched(&raw(&[10.0f32, 13.0, 11.0]), 4));
    let all = points_through(2, &[0, 2, 3, 1], |_| {});
    assert_eq!(all, raw(&[10.0f32, 12.0, 13.0, 11.0]));
}

#[test]
fn primitive_restart_index_and_off_are_commands() {
    let at_two = points_through(2, &[0, 2, 3, 2], |rec| rec.primitive_restart(Some(2)));
    assert_eq!(at_two, then_untouched(&raw(&[10.0f32, 13.0]), 8));
    let off = points_through(2, &[0, 2, 3, 2], |rec| {
        rec.primitive_restart(Some(2));
        rec.primitive_restart(None);
    });
    assert_eq!(off, raw(&[10.0f32, 12.0, 13.0, 12.0]));
}

#[test]
fn primitive_restart_is_reset_between_replays() {
    let mut renderer = Renderer::headless().expect("headless OpenGL 4.5 context");
    let mut off = Recorder::new();
    off.primitive_restart(None);
    renderer.replay(&off.finish()).expect("replay");
    // The next replay starts with ModernGL's default again: 0xFFFFFFFF is skipped.
    let mut rec = Recorder::new();
    let program = capture(&mut rec, VS_COPY, &["o"], VaryingsMode::Interleaved);
    let vbo = rec.buffer(&[10.0f32, 11.0]).unwrap();
    let ibo = rec.buffer(&[1u32, u32::MAX, 0]).unwrap();
    let vao = rec
        .vertex_array(program, &[(vbo, "1f", &["v"][..])], Some((ibo, 4)))
        .unwrap();
    let out = output(&mut rec, 12);
    rec.transform(vao, &[out], Draw::new(Mode::Points), 0)
        .unwrap();
    let read = rec.read(out, None, 0).unwrap();
    let readbacks = renderer.replay(&rec.finish()).expect("replay");
    assert_eq!(
        bytes(&readbacks, read),
        then_untouched(&raw(&[11.0f32, 10.0]), 4)
    );
}
