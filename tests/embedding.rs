//! A renderer core inside a host: segments submitted on resident objects, the host-state
//! contract (nothing of the host's leaks in; with the restore option nothing leaks out), and
//! the screen pointed at a host framebuffer. Real GL (Mesa llvmpipe, headless).

use gltape::gl::{self, types::*, Gl};
use gltape::{
    Backend, BufferId, Capability, ColorFormat, CompareFunc, Context, Draw, Face, FramebufferId,
    Mode, PixelType, ProgramDesc, ReadbackId, Readbacks, Recorder, Renderer, ReplayError, Screen,
    Segment, StencilAction, TextureDesc, VaryingsMode,
};

/// A position and a value per vertex; the value becomes red.
const VS: &str = "#version 450 core
in vec2 in_pos;
in float in_value;
out float v_value;
void main() { gl_Position = vec4(in_pos, 0.0, 1.0); v_value = in_value; }
";
const FS: &str = "#version 450 core
in float v_value;
layout(location = 0) out vec4 color;
void main() { color = vec4(v_value, 0.25, 0.5, 1.0); }
";
/// Captures `in_value * 2`.
const VS_DOUBLE: &str = "#version 450 core
in float in_value;
out float doubled;
void main() { doubled = in_value * 2.0; }
";

/// Bytes of the streamed vertex buffer: 1 MiB.
const STREAM_BYTES: usize = 1 << 20;

fn headless() -> Renderer {
    Renderer::headless().expect("headless OpenGL 4.5 context")
}

/// 1 MiB of vertices (x, y, value): a triangle covering the viewport, with `value` at every
/// vertex, then filler.
fn vertices(value: f32) -> Vec<f32> {
    let mut data = vec![0.0f32; STREAM_BYTES / 4];
    for (vertex, (x, y)) in [(-1.0, -1.0), (3.0, -1.0), (-1.0, 3.0)].iter().enumerate() {
        data[vertex * 3..vertex * 3 + 3].copy_from_slice(&[*x, *y, value]);
    }
    data
}

/// Draws the sum of a uniform block's value (binding 3) and a storage block's (binding 2).
const BLOCKS_FS: &str = "#version 450 core
layout(std140, binding = 3) uniform Tint { vec4 tint; };
layout(std430, binding = 2) buffer Shift { vec4 shift; };
layout(location = 0) out vec4 color;
void main() { color = tint + shift; }
";

/// A frame loop's resources, recorded once.
struct Scene {
    stream: BufferId,
    vertex_array: gltape::VertexArrayId,
    target: FramebufferId,
    /// Draws `BLOCKS_FS` from buffers bound once, here.
    blocks: gltape::VertexArrayId,
}

fn setup(rec: &mut Recorder) -> Scene {
    let program = rec.program(ProgramDesc::new(VS).fragment(FS)).unwrap();
    let stream = rec.dynamic_buffer(&vertices(0.0)).unwrap();
    let content = [(stream, "2f 1f", &["in_pos", "in_value"][..])];
    let vertex_array = rec.vertex_array(program, &content, None).unwrap();
    let target = rec
        .framebuffer(4, 4, &[ColorFormat::Rgba32F], false)
        .unwrap();
    let program = rec.program(ProgramDesc::new(VS).fragment(BLOCKS_FS));
    let positions = [(stream, "2f 4x", &["in_pos"][..])];
    let blocks = rec.vertex_array(program.unwrap(), &positions, None);
    let blocks = blocks.unwrap();
    let tint = rec
        .buffer(&[0.0f32, 0.0, 0.0, 0.0, 0.5, 0.25, 0.125, 1.0])
        .unwrap();
    let shift = rec.buffer(&[0.25f32, 0.5, 0.75, -0.5]).unwrap();
    rec.bind_to_uniform_block(tint, 3, 16, None).unwrap();
    rec.bind_to_storage_buffer(shift, 2, 0, None).unwrap();
    Scene {
        stream,
        vertex_array,
        target,
        blocks,
    }
}

/// One streamed frame: orphan + write 1 MiB, draw, read a pixel.
fn frame(rec: &mut Recorder, scene: &Scene, value: f32) -> ReadbackId {
    rec.orphan(scene.stream, None).unwrap();
    rec.write(scene.stream, 0, &vertices(value)).unwrap();
    rec.use_framebuffer(scene.target).unwrap();
    rec.render(scene.vertex_array, Draw::new(Mode::Triangles).vertices(3))
        .unwrap();
    let corner = Some(gltape::Rect::new(1, 1, 1, 1));
    let read = rec.read_pixels(scene.target, corner, 4, 0, PixelType::F4);
    rec.end_frame();
    read.unwrap()
}

fn floats(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes(c.try_into().unwrap()))
        .collect()
}

/// The next GL names of each object kind, taken by creating one of each (kept alive, so that
/// names only grow): a name that skips shows gltape created that kind in between.
fn probe_names(gl: &Gl) -> [GLuint; 5] {
    let mut names = [0; 5];
    // SAFETY: the renderer's context is current; out-pointers hold one name each.
    unsafe {
        gl.CreateBuffers(1, &mut names[0]);
        gl.CreateVertexArrays(1, &mut names[1]);
        gl.CreateFramebuffers(1, &mut names[2]);
        gl.CreateRenderbuffers(1, &mut names[3]);
        names[4] = gl.CreateProgram();
    }
    names
}

#[test]
fn a_frame_loop_keeps_its_objects_and_creates_none_after_the_first_frame() {
    let mut renderer = headless();
    let mut rec = Recorder::new();
    let scene = setup(&mut rec);
    let first = frame(&mut rec, &scene, 0.125);
    let readbacks = renderer.submit(&rec.flush().unwrap()).unwrap();
    assert_eq!(
        floats(readbacks.get(first).unwrap()),
        [0.125, 0.25, 0.5, 1.0]
    );
    let live = renderer.live_objects();
    let before = probe_names(renderer.gl());
    let mut segment = Segment::default();
    for n in 1..=8 {
        let value = n as f32 / 16.0;
        let read = frame(&mut rec, &scene, value);
        rec.flush_into(&mut segment).unwrap();
        assert_eq!(segment.sequence(), n);
        let readbacks = renderer.submit(&segment).unwrap();
        assert_eq!(
            floats(readbacks.get(read).unwrap()),
            [value, 0.25, 0.5, 1.0]
        );
        assert_eq!(readbacks.get(first), None, "only this segment's reads");
        assert_eq!(renderer.live_objects(), live);
    }
    let after = probe_names(renderer.gl());
    assert_eq!(
        after,
        before.map(|name| name + 1),
        "no GL object (buffer, vertex array, framebuffer, renderbuffer, program or shader) was created by 8 frames"
    );
}

#[test]
fn segments_run_only_in_their_sessions_order() {
    let mut renderer = headless();
    let mut rec = Recorder::new();
    let scene = setup(&mut rec);
    let seg0 = rec.flush().unwrap();
    frame(&mut rec, &scene, 0.5);
    let seg1 = rec.flush().unwrap();
    frame(&mut rec, &scene, 0.5);
    let seg2 = rec.flush().unwrap();

    let order = |result: Result<Readbacks, ReplayError>| match result {
        Err(ReplayError::Segment { sequence, expected }) => (sequence, expected),
        other => panic!("expected a segment-order error, got {other:?}"),
    };
    assert_eq!(order(renderer.submit(&seg1)), (1, None));
    renderer.submit(&seg0).unwrap();
    assert_eq!(order(renderer.submit(&seg2)), (2, Some(1)));
    renderer.submit(&seg1).unwrap();
    assert_eq!(order(renderer.submit(&seg1)), (1, Some(2)));
    // Another session's segment 1 cannot run on this session's objects.
    let mut other = Recorder::new();
    let other_scene = setup(&mut other);
    other.flush().unwrap();
    frame(&mut other, &other_scene, 0.5);
    assert_eq!(order(renderer.submit(&other.flush().unwrap())), (1, None));
    // A whole-list replay starts from a clean slate and ends the session.
    renderer.submit(&seg2).unwrap();
    renderer.replay(&Recorder::new().finish()).unwrap();
    assert_eq!(renderer.live_objects(), 0);
    let message = renderer.submit(&seg2).unwrap_err().to_string();
    assert!(
        message.contains("submit the session's first segment (0)"),
        "{message}"
    );
    // The first segment starts over.
    renderer.submit(&seg0).unwrap();
    renderer.submit(&seg1).unwrap();
}

#[test]
fn a_list_recorded_after_a_flush_does_not_replay_alone() {
    let mut rec = Recorder::new();
    let scene = setup(&mut rec);
    rec.flush().unwrap();
    frame(&mut rec, &scene, 0.5);
    // Validated on its own, it uses a buffer it never creates.
    let error = headless().replay(rec.list()).unwrap_err();
    let message = error.to_string();
    assert!(message.contains("command #0 (orphan)"), "{message}");
    assert!(message.contains("buffer #0 is not defined"), "{message}");
    // Validated as part of its session, it needs the renderer that ran the earlier segment.
    let error = headless().replay_validated(&rec.validated()).unwrap_err();
    assert!(
        matches!(
            error,
            ReplayError::MissingObject {
                index: 0,
                command: "orphan",
                kind: "buffer"
            }
        ),
        "{error:?}"
    );
}

#[test]
fn a_kept_session_replays_as_one_list_with_the_same_readbacks() {
    let mut rec = Recorder::new();
    rec.keep_session();
    let scene = setup(&mut rec);
    let mut renderer = headless();
    let mut submitted = Vec::new();
    let mut reads = Vec::new();
    for n in 0..3 {
        reads.push(frame(&mut rec, &scene, n as f32 / 4.0));
        let readbacks = renderer.submit(&rec.flush().unwrap()).unwrap();
        submitted.extend(readbacks.iter().map(<[u8]>::to_vec));
    }
    let session = rec.session().unwrap();
    assert_eq!(session.frames(), 3);
    let whole = headless().replay(session).unwrap();
    let whole: Vec<Vec<u8>> = reads
        .iter()
        .map(|&id| whole.get(id).unwrap().to_vec())
        .collect();
    assert_eq!(whole, submitted);
    assert_eq!(floats(&whole[2]), [0.5, 0.25, 0.5, 1.0]);
}

// ---------------------------------------------------------------------------------------------
// The host-state contract

/// A frame touching every kind of state: an offscreen draw and read, a screen draw and read,
/// a buffer read, a transform, and multisampled renderbuffers cleared, resolved and read.
fn contract_frame(rec: &mut Recorder, scene: &Scene) -> Vec<ReadbackId> {
    let mut reads = vec![frame(rec, scene, 0.75)];
    let samples = rec.renderbuffer(4, 4, 2, 4, PixelType::U2).unwrap();
    let depth = rec.depth_renderbuffer(4, 4, 4).unwrap();
    let msaa = rec
        .framebuffer_from(&[samples.into()], Some(depth.into()))
        .unwrap();
    rec.clear_framebuffer(msaa, [f32::from_bits(9), 0.0, 0.0, 0.0], 0.5, None)
        .unwrap();
    let color = rec.renderbuffer(4, 4, 2, 0, PixelType::U2).unwrap();
    let depth = rec.depth_renderbuffer(4, 4, 0).unwrap();
    let resolved = rec
        .framebuffer_from(&[color.into()], Some(depth.into()))
        .unwrap();
    rec.copy_framebuffer(resolved, msaa).unwrap();
    reads.push(
        rec.read_pixels(resolved, None, 2, 0, PixelType::U2)
            .unwrap(),
    );
    reads.push(rec.read_depth(resolved, None, PixelType::Nu2).unwrap());
    rec.use_framebuffer(FramebufferId::SCREEN).unwrap();
    rec.render(scene.vertex_array, Draw::new(Mode::Triangles).vertices(3))
        .unwrap();
    reads.push(
        rec.read_pixels(FramebufferId::SCREEN, None, 4, 0, PixelType::F1)
            .unwrap(),
    );
    reads.push(rec.read(scene.stream, Some(36), 0).unwrap());
    let capture = ProgramDesc::new(VS_DOUBLE).varyings(&["doubled"], VaryingsMode::Interleaved);
    let capture = rec.program(capture).unwrap();
    let values = rec.buffer(&[1.5f32, -2.0, 4.0]).unwrap();
    let vao = rec
        .vertex_array(capture, &[(values, "1f", &["in_value"][..])], None)
        .unwrap();
    let out = rec.buffer(&[0u8; 12]).unwrap();
    rec.transform(vao, &[out], Draw::new(Mode::Points), 0)
        .unwrap();
    reads.push(rec.read(out, None, 0).unwrap());
    rec.use_framebuffer(scene.target).unwrap();
    rec.render(scene.blocks, Draw::new(Mode::Triangles).vertices(3))
        .unwrap();
    let corner = Some(gltape::Rect::new(2, 2, 1, 1));
    reads.push(
        rec.read_pixels(scene.target, corner, 4, 0, PixelType::F4)
            .unwrap(),
    );
    reads.push(sample_textures(rec));
    reads.extend(images_and_queries(rec));
    // State changed after the reads, for the restore to give back.
    rec.stencil_func(Face::Front, CompareFunc::Greater, 3, 0x7);
    rec.stencil_op(
        Face::Back,
        StencilAction::Zero,
        StencilAction::Incr,
        StencilAction::Replace,
    );
    rec.stencil_mask(Face::FrontAndBack, 0x1);
    rec.polygon_offset(5.0, 6.0).unwrap();
    rec.point_size(7.0).unwrap();
    rec.line_width(2.0).unwrap();
    rec.enable_only([Capability::ProgramPointSize, Capability::StencilTest]);
    let screen = FramebufferId::SCREEN;
    rec.scissor(screen, Some(gltape::Rect::new(1, 2, 3, 4)))
        .unwrap();
    rec.color_mask(screen, 0, [true, false, false, true])
        .unwrap();
    rec.depth_mask(screen, false).unwrap();
    reads
}

/// Samples unit 1, where a texture of the list's is bound, and unit 2, where none is: a
/// 1x1 read of (texel, unbound red, 1).
fn sample_textures(rec: &mut Recorder) -> ReadbackId {
    const SAMPLE_VS: &str = "#version 450 core
in vec2 in_pos;
void main() { gl_Position = vec4(in_pos, 0.0, 1.0); }
";
    const SAMPLE_FS: &str = "#version 450 core
layout(binding = 1) uniform sampler2D bound;
layout(binding = 2) uniform sampler2D unbound;
layout(location = 0) out vec4 color;
void main() {
    color = vec4(texture(bound, vec2(0.9, 0.1)).rg, texture(unbound, vec2(0.5)).r, 1.0);
}
";
    // Left texel black, right texel (200, 100) red-green: (0.9, 0.1) clamps/repeats to it
    // only with the texture's own nearest filtering and repeat.
    let texels = [0u8, 0, 0, 255, 200, 100, 0, 255];
    let texture = rec
        .texture(TextureDesc::texture(2, 1, 4), Some(&texels))
        .unwrap();
    let nearest =
        gltape::TextureParameter::Filter(gltape::MinFilter::Nearest, gltape::MagFilter::Nearest);
    rec.texture_parameter(texture, nearest).unwrap();
    rec.use_texture(texture, 1).unwrap();
    let program = rec
        .program(ProgramDesc::new(SAMPLE_VS).fragment(SAMPLE_FS))
        .unwrap();
    let quad = rec.buffer(&[-1.0f32, -1.0, 3.0, -1.0, -1.0, 3.0]).unwrap();
    let vao = rec
        .vertex_array(program, &[(quad, "2f", &["in_pos"][..])], None)
        .unwrap();
    let target = rec.framebuffer(1, 1, &[ColorFormat::Rgba8], false).unwrap();
    rec.use_framebuffer(target).unwrap();
    rec.render(vao, Draw::new(Mode::Triangles)).unwrap();
    rec.read_pixels(target, None, 4, 0, PixelType::F1).unwrap()
}

/// An indirect run storing what image unit 2 (where the list binds nothing) loads, plus 1,
/// into a 1x1 r32ui texture on unit 1; an indirect draw of a 1x1 framebuffer, its samples
/// counted. Reads the texture (1) and the count (1).
fn images_and_queries(rec: &mut Recorder) -> [ReadbackId; 2] {
    const LOAD_CS: &str = "#version 450 core
layout(local_size_x = 1) in;
layout(r32ui, binding = 1) uniform writeonly uimage2D dst;
layout(r32ui, binding = 2) uniform readonly uimage2D unbound;
void main() { imageStore(dst, ivec2(0), imageLoad(unbound, ivec2(0)) + 1u); }
";
    let dst = TextureDesc::texture(1, 1, 1).dtype(PixelType::U4);
    let dst = rec.texture(dst, None).unwrap();
    rec.bind_to_image(dst, 1, gltape::ImageAccess::WriteOnly, 0, None)
        .unwrap();
    let shader = rec.compute_shader(LOAD_CS).unwrap();
    let groups = rec.buffer(&[1u32, 1, 1]).unwrap();
    rec.run_compute_indirect(shader, groups, 0).unwrap();
    rec.memory_barrier(gltape::Barriers::ALL, false).unwrap();
    let loaded = rec.read_texture(dst, 0, 1).unwrap();
    let program = rec.program(ProgramDesc::new(VS).fragment(FS)).unwrap();
    let triangle = rec
        .buffer(&[-1.0f32, -1.0, 0.0, 3.0, -1.0, 0.0, -1.0, 3.0, 0.0])
        .unwrap();
    let content = [(triangle, "2f 1f", &["in_pos", "in_value"][..])];
    let vao = rec.vertex_array(program, &content, None).unwrap();
    let target = rec.framebuffer(1, 1, &[ColorFormat::Rgba8], false).unwrap();
    rec.use_framebuffer(target).unwrap();
    let samples = gltape::QueryKinds {
        samples: true,
        ..gltape::QueryKinds::default()
    };
    let query = rec.query(samples).unwrap();
    let commands = rec.buffer(&[3u32, 1, 0, 0, 0]).unwrap();
    rec.begin_query(query).unwrap();
    rec.render_indirect(vao, commands, Mode::Triangles, None, 0)
        .unwrap();
    rec.end_query(query).unwrap();
    let counted = rec.read_query(query, gltape::QueryResult::Samples).unwrap();
    [loaded, counted]
}

/// The readbacks of the contract frame, submitted as segment 1 after `host` set up the
/// context its way.
fn contract_readbacks(host: impl FnOnce(&Gl)) -> Vec<Vec<u8>> {
    let mut renderer = headless();
    let mut rec = Recorder::new();
    let scene = setup(&mut rec);
    renderer.submit(&rec.flush().unwrap()).unwrap();
    let reads = contract_frame(&mut rec, &scene);
    renderer.make_current();
    host(renderer.gl());
    // SAFETY: no arguments.
    assert_eq!(
        unsafe { renderer.gl().GetError() },
        gl::NO_ERROR,
        "the host's setup"
    );
    let readbacks = renderer.submit(&rec.flush().unwrap()).unwrap();
    reads
        .iter()
        .map(|&id| readbacks.get(id).unwrap().to_vec())
        .collect()
}

/// GL objects of the host's: a framebuffer, a buffer bound for pixel packing, a program and
/// a vertex array.
fn host_objects(gl: &Gl) -> [GLuint; 4] {
    let mut names = [0; 4];
    // SAFETY: out-pointers hold one name each; the framebuffer gets a complete attachment.
    unsafe {
        gl.CreateFramebuffers(1, &mut names[0]);
        let mut color = 0;
        gl.CreateRenderbuffers(1, &mut color);
        gl.NamedRenderbufferStorage(color, gl::RGBA8, 2, 2);
        gl.NamedFramebufferRenderbuffer(names[0], gl::COLOR_ATTACHMENT0, gl::RENDERBUFFER, color);
        gl.CreateBuffers(1, &mut names[1]);
        gl.NamedBufferData(names[1], 1 << 16, std::ptr::null(), gl::STREAM_READ);
        names[2] = gl.CreateProgram();
        gl.CreateVertexArrays(1, &mut names[3]);
    }
    names
}

/// A named change a host makes to its context.
type HostSetting = (&'static str, fn(&Gl));

/// Every hostile setting a host could leave, one closure each.
fn hostile_settings() -> Vec<HostSetting> {
    // SAFETY (all): plain state changes with valid enums on the current context.
    vec![
        ("color mask", |gl| unsafe { gl.ColorMask(0, 1, 0, 0) }),
        ("depth test GL_NEVER", |gl| unsafe {
            gl.Enable(gl::DEPTH_TEST);
            gl.DepthFunc(gl::NEVER);
        }),
        ("polygon mode", |gl| unsafe {
            gl.PolygonMode(gl::FRONT_AND_BACK, gl::LINE)
        }),
        ("rasterizer discard", |gl| unsafe {
            gl.Enable(gl::RASTERIZER_DISCARD)
        }),
        ("framebuffer sRGB", |gl| unsafe {
            gl.Enable(gl::FRAMEBUFFER_SRGB)
        }),
        ("cull everything", |gl| unsafe {
            gl.Enable(gl::CULL_FACE);
            gl.CullFace(gl::FRONT_AND_BACK);
        }),
        ("scissor", |gl| unsafe {
            gl.Enable(gl::SCISSOR_TEST);
            gl.Scissor(0, 0, 1, 1);
        }),
        ("blend", |gl| unsafe {
            gl.Enable(gl::BLEND);
            gl.BlendFunc(gl::ZERO, gl::ONE);
            gl.BlendEquation(gl::MAX);
        }),
        ("pack state", |gl| unsafe {
            gl.PixelStorei(gl::PACK_ALIGNMENT, 8);
            gl.PixelStorei(gl::PACK_ROW_LENGTH, 3);
            gl.PixelStorei(gl::PACK_SKIP_PIXELS, 1);
        }),
        ("clamp read color", |gl| unsafe {
            gl.ClampColor(gl::CLAMP_READ_COLOR, gl::TRUE as GLenum)
        }),
        ("clip control", |gl| unsafe {
            gl.ClipControl(gl::UPPER_LEFT, gl::ZERO_TO_ONE)
        }),
        ("front face", |gl| unsafe {
            gl.Enable(gl::CULL_FACE);
            gl.FrontFace(gl::CW);
        }),
        ("logic op", |gl| unsafe {
            gl.Enable(gl::COLOR_LOGIC_OP);
            gl.LogicOp(gl::CLEAR);
        }),
        ("depth range", |gl| unsafe { gl.DepthRange(0.5, 0.5) }),
        ("viewport", |gl| unsafe { gl.Viewport(0, 0, 1, 1) }),
        ("host objects bound", |gl| {
            let [framebuffer, pack, program, vertex_array] = host_objects(gl);
            unsafe {
                gl.BindFramebuffer(gl::FRAMEBUFFER, framebuffer);
                gl.BindBuffer(gl::PIXEL_PACK_BUFFER, pack);
                gl.BindVertexArray(vertex_array);
                let _ = program;
            }
        }),
        ("transform feedback object", |gl| unsafe {
            let mut feedback = 0;
            gl.CreateTransformFeedbacks(1, &mut feedback);
            gl.BindTransformFeedback(gl::TRANSFORM_FEEDBACK, feedback);
        }),
        ("primitive restart fixed index", |gl| unsafe {
            gl.Disable(gl::PRIMITIVE_RESTART);
            gl.Enable(gl::PRIMITIVE_RESTART_FIXED_INDEX);
        }),
        ("screen draw buffer", |gl| unsafe {
            gl.NamedFramebufferDrawBuffer(0, gl::NONE)
        }),
        ("stencil", |gl| unsafe {
            gl.Enable(gl::STENCIL_TEST);
            gl.StencilFuncSeparate(gl::FRONT, gl::NEVER, 1, 0x0f);
            gl.StencilOpSeparate(gl::BACK, gl::INVERT, gl::ZERO, gl::INCR);
            gl.StencilMaskSeparate(gl::FRONT, 0x3);
        }),
        ("polygon offset", |gl| unsafe {
            gl.Enable(gl::POLYGON_OFFSET_FILL);
            gl.PolygonOffset(2.0, 3.0);
        }),
        ("point size", |gl| unsafe {
            gl.Enable(gl::PROGRAM_POINT_SIZE);
            gl.PointSize(4.0);
            gl.LineWidth(3.0);
        }),
        ("color mask of draw buffer 1", |gl| unsafe {
            gl.ColorMaski(1, 0, 0, 1, 0)
        }),
        ("host images bound", |gl| {
            let texture = host_image(gl);
            unsafe {
                for unit in 0..8 {
                    gl.BindImageTexture(unit, texture, 0, 0, 0, gl::READ_WRITE, gl::R32UI);
                }
            }
        }),
        ("host indirect and query buffers bound", |gl| unsafe {
            let mut buffer = 0;
            gl.CreateBuffers(1, &mut buffer);
            let words = [7u32; 16];
            gl.NamedBufferData(buffer, 64, words.as_ptr().cast(), gl::STATIC_DRAW);
            gl.BindBuffer(gl::DRAW_INDIRECT_BUFFER, buffer);
            gl.BindBuffer(gl::DISPATCH_INDIRECT_BUFFER, buffer);
            gl.BindBuffer(gl::QUERY_BUFFER, buffer);
        }),
        ("host buffers bound to every block binding", |gl| unsafe {
            let mut buffer = 0;
            gl.CreateBuffers(1, &mut buffer);
            gl.NamedBufferData(buffer, 256, [9.0f32; 64].as_ptr().cast(), gl::STATIC_DRAW);
            for index in 0..84 {
                gl.BindBufferRange(gl::UNIFORM_BUFFER, index, buffer, 0, 64);
            }
            for index in 0..8 {
                gl.BindBufferBase(gl::SHADER_STORAGE_BUFFER, index, buffer);
            }
        }),
        ("host textures and samplers bound", |gl| {
            let [texture, sampler] = host_texture(gl);
            unsafe {
                for unit in 0..8 {
                    gl.BindTextureUnit(unit, texture);
                    gl.BindSampler(unit, sampler);
                }
                gl.ActiveTexture(gl::TEXTURE5);
            }
        }),
    ]
}

/// A host r32ui texture of 1x1, holding 7.
fn host_image(gl: &Gl) -> GLuint {
    let mut texture = 0;
    // SAFETY: one name out; the data is one u32.
    unsafe {
        gl.CreateTextures(gl::TEXTURE_2D, 1, &mut texture);
        gl.TextureStorage2D(texture, 1, gl::R32UI, 1, 1);
        let seven = 7u32;
        gl.TextureSubImage2D(
            texture,
            0,
            0,
            0,
            1,
            1,
            gl::RED_INTEGER,
            gl::UNSIGNED_INT,
            (&seven as *const u32).cast(),
        );
    }
    texture
}

/// A host texture (1x1, red) and a sampler (linear, clamped to a blue border).
fn host_texture(gl: &Gl) -> [GLuint; 2] {
    let mut names = [0; 2];
    // SAFETY: out-pointers hold one name each; the data is one RGBA8 pixel.
    unsafe {
        gl.CreateTextures(gl::TEXTURE_2D, 1, &mut names[0]);
        gl.TextureStorage2D(names[0], 1, gl::RGBA8, 1, 1);
        let red = [255u8, 0, 0, 255];
        gl.TextureSubImage2D(
            names[0],
            0,
            0,
            0,
            1,
            1,
            gl::RGBA,
            gl::UNSIGNED_BYTE,
            red.as_ptr().cast(),
        );
        gl.CreateSamplers(1, &mut names[1]);
        gl.SamplerParameteri(names[1], gl::TEXTURE_WRAP_S, gl::CLAMP_TO_BORDER as GLint);
        gl.SamplerParameterfv(
            names[1],
            gl::TEXTURE_BORDER_COLOR,
            [0.0f32, 0.0, 1.0, 1.0].as_ptr(),
        );
    }
    names
}

#[test]
fn no_host_state_changes_a_submissions_readbacks() {
    let expected = contract_readbacks(|_| {});
    assert_eq!(floats(&expected[0]), [0.75, 0.25, 0.5, 1.0]);
    assert_eq!(
        expected[1],
        [9u16, 0].map(u16::to_le_bytes).concat().repeat(16)
    );
    assert_eq!(expected[2], 0x8000u16.to_le_bytes().repeat(16));
    assert_eq!(floats(&expected[5]), [3.0, -4.0, 8.0]);
    assert_eq!(floats(&expected[6]), [0.75, 0.75, 0.875, 0.5]);
    assert_eq!(expected[7], [200, 100, 0, 255]);
    assert_eq!(
        expected[8],
        1u32.to_le_bytes(),
        "an image unit the list does not bind"
    );
    assert_eq!(
        expected[9],
        1u32.to_le_bytes(),
        "the samples of a 1x1 framebuffer"
    );
    for (name, setting) in hostile_settings() {
        assert_eq!(
            contract_readbacks(setting),
            expected,
            "host setting: {name}"
        );
    }
}

/// The host state a test can see: each query's values, by name.
fn host_state(gl: &Gl) -> Vec<(&'static str, Vec<i64>)> {
    let ints: &[(&str, GLenum, usize)] = &[
        ("program", gl::CURRENT_PROGRAM, 1),
        ("vertex array", gl::VERTEX_ARRAY_BINDING, 1),
        ("draw framebuffer", gl::DRAW_FRAMEBUFFER_BINDING, 1),
        ("draw indirect buffer", gl::DRAW_INDIRECT_BUFFER_BINDING, 1),
        (
            "dispatch indirect buffer",
            gl::DISPATCH_INDIRECT_BUFFER_BINDING,
            1,
        ),
        ("query buffer", gl::QUERY_BUFFER_BINDING, 1),
        ("read framebuffer", gl::READ_FRAMEBUFFER_BINDING, 1),
        ("pack buffer", gl::PIXEL_PACK_BUFFER_BINDING, 1),
        ("transform feedback", gl::TRANSFORM_FEEDBACK_BINDING, 1),
        ("viewport", gl::VIEWPORT, 4),
        ("scissor box", gl::SCISSOR_BOX, 4),
        ("blend src rgb", gl::BLEND_SRC_RGB, 1),
        ("blend dst alpha", gl::BLEND_DST_ALPHA, 1),
        ("blend equation", gl::BLEND_EQUATION_RGB, 1),
        ("depth func", gl::DEPTH_FUNC, 1),
        ("depth mask", gl::DEPTH_WRITEMASK, 1),
        ("polygon mode", gl::POLYGON_MODE, 2),
        ("front face", gl::FRONT_FACE, 1),
        ("cull face", gl::CULL_FACE_MODE, 1),
        ("pack alignment", gl::PACK_ALIGNMENT, 1),
        ("pack row length", gl::PACK_ROW_LENGTH, 1),
        ("unpack alignment", gl::UNPACK_ALIGNMENT, 1),
        ("clamp read color", gl::CLAMP_READ_COLOR, 1),
        ("clip origin", gl::CLIP_ORIGIN, 1),
        ("provoking vertex", gl::PROVOKING_VERTEX, 1),
        ("restart index", gl::PRIMITIVE_RESTART_INDEX, 1),
        ("draw buffer", gl::DRAW_BUFFER0, 1),
        ("stencil func", gl::STENCIL_FUNC, 1),
        ("stencil value mask", gl::STENCIL_VALUE_MASK, 1),
        ("stencil ref", gl::STENCIL_REF, 1),
        ("stencil back fail", gl::STENCIL_BACK_FAIL, 1),
        (
            "stencil back depth fail",
            gl::STENCIL_BACK_PASS_DEPTH_FAIL,
            1,
        ),
        (
            "stencil back depth pass",
            gl::STENCIL_BACK_PASS_DEPTH_PASS,
            1,
        ),
        ("stencil write mask", gl::STENCIL_WRITEMASK, 1),
        ("polygon offset factor", gl::POLYGON_OFFSET_FACTOR, 1),
        ("polygon offset units", gl::POLYGON_OFFSET_UNITS, 1),
        ("point size", gl::POINT_SIZE, 1),
        ("line width", gl::LINE_WIDTH, 1),
    ];
    let mut state = Vec::new();
    for &(name, query, count) in ints {
        let mut values = [0; 4];
        // SAFETY: `values` holds the up to 4 values each query returns.
        unsafe { gl.GetIntegerv(query, values.as_mut_ptr()) };
        state.push((
            name,
            values[..count].iter().map(|&v| i64::from(v)).collect(),
        ));
    }
    for index in 0..2 {
        let mut mask = [0u8; 4];
        // SAFETY: four booleans per draw buffer.
        unsafe { gl.GetBooleani_v(gl::COLOR_WRITEMASK, index, mask.as_mut_ptr()) };
        state.push(("color mask", mask.iter().map(|&m| i64::from(m)).collect()));
    }
    let capabilities = [
        gl::DEPTH_TEST,
        gl::CULL_FACE,
        gl::BLEND,
        gl::SCISSOR_TEST,
        gl::RASTERIZER_DISCARD,
        gl::FRAMEBUFFER_SRGB,
        gl::PRIMITIVE_RESTART,
        gl::COLOR_LOGIC_OP,
        gl::STENCIL_TEST,
        gl::POLYGON_OFFSET_FILL,
        gl::PROGRAM_POINT_SIZE,
    ];
    for capability in capabilities {
        // SAFETY: a capability enum.
        let on = unsafe { gl.IsEnabled(capability) };
        state.push(("capability", vec![i64::from(capability), i64::from(on)]));
    }
    let mut active = 0;
    // SAFETY: one GLint each; the active unit is put back.
    unsafe {
        gl.GetIntegerv(gl::ACTIVE_TEXTURE, &mut active);
        for unit in 0..4 {
            let mut bound = [0; 2];
            gl.ActiveTexture(gl::TEXTURE0 + unit);
            gl.GetIntegerv(gl::TEXTURE_BINDING_2D, &mut bound[0]);
            gl.GetIntegerv(gl::SAMPLER_BINDING, &mut bound[1]);
            state.push((
                "texture unit",
                bound.iter().map(|&v| i64::from(v)).collect(),
            ));
        }
        gl.ActiveTexture(active as GLenum);
    }
    state.push(("active texture", vec![i64::from(active)]));
    for unit in 0..3 {
        let queries = [
            gl::IMAGE_BINDING_NAME,
            gl::IMAGE_BINDING_ACCESS,
            gl::IMAGE_BINDING_FORMAT,
        ];
        let values = queries.map(|query| {
            let mut value = 0;
            // SAFETY: one GLint per image unit.
            unsafe { gl.GetIntegeri_v(query, unit, &mut value) };
            i64::from(value)
        });
        state.push(("image unit", values.to_vec()));
    }
    for (target, bindings) in [
        (
            gl::UNIFORM_BUFFER_BINDING,
            [gl::UNIFORM_BUFFER_START, gl::UNIFORM_BUFFER_SIZE],
        ),
        (
            gl::SHADER_STORAGE_BUFFER_BINDING,
            [
                gl::SHADER_STORAGE_BUFFER_START,
                gl::SHADER_STORAGE_BUFFER_SIZE,
            ],
        ),
    ] {
        let mut generic = 0;
        // SAFETY: one GLint.
        unsafe { gl.GetIntegerv(target, &mut generic) };
        state.push(("generic block buffer", vec![i64::from(generic)]));
        for index in 0..4 {
            let (mut name, mut range) = (0, [0i64; 2]);
            // SAFETY: indexed queries of one value each.
            unsafe {
                gl.GetIntegeri_v(target, index, &mut name);
                gl.GetInteger64i_v(bindings[0], index, &mut range[0]);
                gl.GetInteger64i_v(bindings[1], index, &mut range[1]);
            }
            state.push(("block binding", vec![i64::from(name), range[0], range[1]]));
        }
    }
    state
}

#[test]
fn the_restore_option_gives_the_host_its_state_back() {
    let mut renderer = headless();
    renderer.restore_host_state(true);
    let mut rec = Recorder::new();
    let scene = setup(&mut rec);
    renderer.submit(&rec.flush().unwrap()).unwrap();
    contract_frame(&mut rec, &scene);
    let segment = rec.flush().unwrap();
    renderer.make_current();
    for (_, setting) in hostile_settings() {
        setting(renderer.gl());
    }
    let before = host_state(renderer.gl());
    renderer.submit(&segment).unwrap();
    assert_eq!(host_state(renderer.gl()), before);
    // Without the option the submission leaves its own state (here: no host program).
    renderer.restore_host_state(false);
    let mut other = Recorder::new();
    let scene = setup(&mut other);
    renderer.submit(&other.flush().unwrap()).unwrap();
    contract_frame(&mut other, &scene);
    renderer.make_current();
    for (_, setting) in hostile_settings() {
        setting(renderer.gl());
    }
    renderer.submit(&other.flush().unwrap()).unwrap();
    assert_ne!(host_state(renderer.gl()), before);
}

// ---------------------------------------------------------------------------------------------
// The screen

#[test]
fn the_screen_can_be_a_host_framebuffer_and_be_resized() {
    let mut renderer = headless();
    renderer.make_current();
    let gl = renderer.gl();
    let (mut framebuffer, mut color) = (0, 0);
    // SAFETY: out-pointers hold one name each; a complete 2x2 RGBA8 framebuffer.
    unsafe {
        gl.CreateFramebuffers(1, &mut framebuffer);
        gl.CreateRenderbuffers(1, &mut color);
        gl.NamedRenderbufferStorage(color, gl::RGBA8, 2, 2);
        gl.NamedFramebufferRenderbuffer(
            framebuffer,
            gl::COLOR_ATTACHMENT0,
            gl::RENDERBUFFER,
            color,
        );
    }
    renderer
        .set_screen(Screen::Framebuffer {
            name: framebuffer,
            width: 2,
            height: 2,
        })
        .unwrap();
    let mut rec = Recorder::new();
    rec.clear_framebuffer(FramebufferId::SCREEN, [1.0, 0.0, 1.0, 1.0], 1.0, None)
        .unwrap();
    let read = rec
        .read_pixels(FramebufferId::SCREEN, None, 4, 0, PixelType::F1)
        .unwrap();
    let readbacks = renderer.replay(&rec.finish()).unwrap();
    assert_eq!(readbacks.get(read).unwrap(), [255, 0, 255, 255].repeat(4));
    // The host sees gltape's clear in its own framebuffer.
    let mut pixels = [0u8; 16];
    // SAFETY: 2x2 RGBA8 is 16 bytes, the limit passed.
    unsafe {
        renderer.make_current();
        let gl = renderer.gl();
        gl.BindFramebuffer(gl::READ_FRAMEBUFFER, framebuffer);
        gl.ReadnPixels(
            0,
            0,
            2,
            2,
            gl::RGBA,
            gl::UNSIGNED_BYTE,
            16,
            pixels.as_mut_ptr().cast(),
        );
    }
    assert_eq!(pixels.to_vec(), [255, 0, 255, 255].repeat(4));
    // Back to the context's own screen, at a new size: screen reads take that size. A
    // headless EGL screen is an offscreen framebuffer that keeps its size.
    let resized = renderer.set_screen(Screen::Default {
        width: 3,
        height: 5,
    });
    let (width, height) = match renderer.context().unwrap().backend() {
        Backend::Egl => {
            let message = resized.unwrap_err().to_string();
            assert!(
                message.contains("offscreen framebuffer of 64x64 pixels"),
                "{message}"
            );
            let side = Context::HEADLESS_SIDE;
            let own = Screen::Default {
                width: side,
                height: side,
            };
            renderer.set_screen(own).unwrap();
            (side, side)
        }
        _ => {
            resized.unwrap();
            (3, 5)
        }
    };
    let mut rec = Recorder::new();
    let read = rec
        .read_pixels(FramebufferId::SCREEN, None, 4, 0, PixelType::F1)
        .unwrap();
    let readbacks = renderer.replay(&rec.finish()).unwrap();
    assert_eq!(
        readbacks.get(read).unwrap(),
        vec![0u8; (width * height * 4) as usize]
    );
}

// ---------------------------------------------------------------------------------------------
// Loops of timed frames

/// Setup in frame 0, then two streamed frames, then a final read of the stream buffer.
fn looped_list() -> (gltape::CommandList, Vec<ReadbackId>) {
    let mut rec = Recorder::new();
    let scene = setup(&mut rec);
    rec.end_frame();
    let mut reads = vec![frame(&mut rec, &scene, 0.25), frame(&mut rec, &scene, 0.5)];
    reads.push(rec.read(scene.stream, Some(36), 0).unwrap());
    (rec.finish(), reads)
}

fn looped(list: &gltape::CommandList, loops: u32) -> gltape::Replay {
    looped_list_of(list, 1..3, loops)
}

#[test]
fn loops_rerun_the_timed_frames_on_the_same_objects() {
    let (list, reads) = looped_list();
    let once = looped(&list, 1);
    let thrice = looped(&list, 3);
    assert!(thrice.stats.resident);
    assert_eq!(thrice.stats.frames, 6);
    assert_eq!(thrice.stats.upload_bytes, 3 * once.stats.upload_bytes);
    assert_eq!(
        thrice.readbacks, once.readbacks,
        "the first pass's readbacks"
    );
    assert_eq!(
        floats(thrice.readbacks.get(reads[1]).unwrap()),
        [0.5, 0.25, 0.5, 1.0]
    );
    assert_eq!(
        floats(&thrice.readbacks.get(reads[2]).unwrap()[8..12]),
        [0.5]
    );
}

#[test]
fn loops_of_frames_that_create_objects_start_each_pass_from_a_clean_slate() {
    let mut rec = Recorder::new();
    rec.end_frame();
    let buffer = rec.buffer(&[1u8, 2, 3]).unwrap();
    let read = rec.read(buffer, None, 0).unwrap();
    rec.end_frame();
    let list = rec.finish();
    let replay = looped_list_of(&list, 1..2, 4);
    assert!(!replay.stats.resident);
    assert_eq!(replay.stats.frames, 4);
    assert_eq!(replay.readbacks.get(read).unwrap(), [1, 2, 3]);
}

fn looped_list_of(
    list: &gltape::CommandList,
    frames: std::ops::Range<u32>,
    loops: u32,
) -> gltape::Replay {
    let mut options = gltape::ReplayOptions {
        frames: Some(frames),
        loops,
        ..Default::default()
    };
    headless()
        .replay_with(&list.validate().unwrap(), &mut options)
        .unwrap()
}

#[test]
fn restoring_after_a_clean_slate_binds_nothing_deleted() {
    // The first session leaves its program, vertex array and framebuffer bound; the second
    // starts from a clean slate (deleting them) with the restore option on: the "host" state
    // it gives back cannot bind the deleted names.
    let mut renderer = headless();
    let mut first = Recorder::new();
    let scene = setup(&mut first);
    frame(&mut first, &scene, 0.5);
    renderer.submit(&first.flush().unwrap()).unwrap();
    renderer.restore_host_state(true);
    let mut second = Recorder::new();
    let scene = setup(&mut second);
    renderer.submit(&second.flush().unwrap()).unwrap();
    for n in 0..3 {
        let read = frame(&mut second, &scene, n as f32 / 4.0);
        let readbacks = renderer.submit(&second.flush().unwrap()).unwrap();
        assert_eq!(floats(readbacks.get(read).unwrap())[0], n as f32 / 4.0);
    }
}
