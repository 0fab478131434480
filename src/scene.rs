//! Built-in scenes: small recorded workloads for `gltape record`, tests and benches
//! (feature `cli`).
//!
//! Each scene records through the ordinary [`Recorder`] API; recording it through a
//! [`Capture`](crate::Capture) runs it at once and yields the readback digests a trace keeps.
//!
//! Frame 0 of every scene only creates its objects (programs compile there), so
//! `gltape replay --frames 1..N` times the workload alone; the scene's own frames follow,
//! and the final reads come after the last frame marker.

use crate::command::ValidationError;
use crate::command::{
    Barriers, ColorFormat, Draw, ImageAccess, Mode, PixelType, ProgramDesc, TextureDesc,
    VaryingsMode,
};
use crate::ids::{BufferId, FramebufferId, ProgramId, VertexArrayId};
use crate::record::Recorder;

/// The built-in scenes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scene {
    /// Orphan + write of `size` bytes every frame, with a draw that reads them.
    Stream,
    /// Orphan + write of `size` bytes every frame and nothing else (no program, no draw):
    /// the pure upload loop of ModernGL's `buf.orphan(); buf.write(data)`, which
    /// scripts/bench-report times against ModernGL and memcpy.
    Upload,
    /// `size / 48` writes of 48 bytes per frame, each followed by a draw of the triangle it
    /// wrote, as in apitest's dynamic-streaming test.
    SmallUpdates,
    /// One colored triangle into a 64x64 framebuffer, read back.
    Triangle,
    /// Transform feedback doubling `size / 4` floats, read back.
    Transform,
    /// A uniform block of `size` bytes (rounded down to whole `vec4`s, 16 bytes to
    /// [`MAX_UNIFORM_BLOCK_BYTES`]) orphaned, written and bound every frame, and read by a
    /// draw over the 64x64 framebuffer.
    UniformBlock,
    /// A compute shader filling a 64x64 RGBA8 image from a uniform and a uniform block
    /// streamed each frame, and counting into a storage buffer, run directly and over work
    /// group counts in a buffer (indirect) in turn; both read back.
    Compute,
}

impl Scene {
    /// Every scene, in documentation order.
    pub const ALL: [Scene; 7] = [
        Scene::Stream,
        Scene::Upload,
        Scene::SmallUpdates,
        Scene::Triangle,
        Scene::Transform,
        Scene::UniformBlock,
        Scene::Compute,
    ];

    /// The scene's command-line name.
    pub fn name(self) -> &'static str {
        match self {
            Scene::Stream => "stream",
            Scene::Upload => "upload",
            Scene::SmallUpdates => "small-updates",
            Scene::Triangle => "triangle",
            Scene::Transform => "transform",
            Scene::UniformBlock => "uniform-block",
            Scene::Compute => "compute",
        }
    }

    /// Records the scene: a setup frame, then `frames` frames of `size` bytes each where it
    /// streams, then its reads.
    pub fn record(self, rec: &mut Recorder, size: u64, frames: u32) -> Result<(), ValidationError> {
        match self {
            Scene::Stream => stream(rec, size, frames),
            Scene::Upload => upload(rec, size, frames),
            Scene::SmallUpdates => small_updates(rec, size, frames),
            Scene::Triangle => triangle(rec, frames),
            Scene::Transform => transform(rec, size, frames),
            Scene::UniformBlock => uniform_block(rec, size, frames),
            Scene::Compute => compute(rec, frames),
        }
    }
}

/// Deterministic, frame-dependent bytes (a cheap xorshift stream) for streaming payloads.
pub fn frame_bytes(frame: u32, size: usize) -> Vec<u8> {
    let mut state = 0x9E37_79B9_7F4A_7C15u64 ^ u64::from(frame).wrapping_mul(0xD6E8_FEB8_6659_FD93);
    let mut bytes = Vec::with_capacity(size.next_multiple_of(8));
    while bytes.len() < size {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        bytes.extend_from_slice(&state.to_le_bytes());
    }
    bytes.truncate(size);
    bytes
}

const POINTS_VS: &str = "#version 450 core
in vec4 in_value;
void main() {
    gl_Position = vec4(in_value.xy * 2.0 - 1.0, 0.0, 1.0);
    gl_PointSize = 1.0;
}";

const COLOR_VS: &str = "#version 450 core
in vec2 in_pos;
in vec3 in_color;
out vec3 color;
void main() {
    color = in_color;
    gl_Position = vec4(in_pos, 0.0, 1.0);
}";

const COLOR_FS: &str = "#version 450 core
in vec3 color;
layout(location = 0) out vec4 out_color;
void main() {
    out_color = vec4(color, 1.0);
}";

const WHITE_FS: &str = "#version 450 core
layout(location = 0) out vec4 out_color;
void main() {
    out_color = vec4(1.0);
}";

/// Vertices the stream scene draws per frame (4 bytes each): enough to read the start of
/// every upload without turning the scene into a rasterizer benchmark.
const STREAM_DRAWN_VERTICES: u64 = 256;

/// A program, a 64x64 RGBA8 framebuffer in use, cleared to black.
fn target(
    rec: &mut Recorder,
    program: ProgramDesc,
) -> Result<(ProgramId, FramebufferId), ValidationError> {
    let program = rec.program(program)?;
    let fbo = rec.framebuffer(64, 64, &[ColorFormat::Rgba8], false)?;
    rec.use_framebuffer(fbo)?;
    rec.clear_framebuffer(fbo, [0.0, 0.0, 0.0, 1.0], 1.0, None)?;
    Ok((program, fbo))
}

fn read_all(
    rec: &mut Recorder,
    buffer: BufferId,
    fbo: FramebufferId,
) -> Result<(), ValidationError> {
    rec.read(buffer, None, 0)?;
    rec.read_pixels(fbo, None, 4, 0, PixelType::F1)?;
    Ok(())
}

fn stream(rec: &mut Recorder, size: u64, frames: u32) -> Result<(), ValidationError> {
    let (program, fbo) = target(rec, ProgramDesc::new(POINTS_VS).fragment(WHITE_FS))?;
    let buffer = rec.buffer_reserve(size, true)?;
    let vao = rec.vertex_array(program, &[(buffer, "4f1", &["in_value"])], None)?;
    rec.end_frame();
    let len = usize::try_from(size).map_err(|_| ValidationError::BufferTooLarge { size })?;
    let drawn = (size / 4).min(STREAM_DRAWN_VERTICES) as u32;
    for frame in 0..frames {
        rec.orphan(buffer, None)?;
        rec.write(buffer, 0, &frame_bytes(frame, len))?;
        rec.render(vao, Draw::new(Mode::Points).vertices(drawn))?;
        rec.end_frame();
    }
    read_all(rec, buffer, fbo)
}

/// A dynamic buffer of `size` bytes made in frame 0, orphaned and written whole with
/// [`frame_bytes`] every frame, read once at the end.
fn upload(rec: &mut Recorder, size: u64, frames: u32) -> Result<(), ValidationError> {
    let buffer = rec.buffer_reserve(size, true)?;
    rec.end_frame();
    let len = usize::try_from(size).map_err(|_| ValidationError::BufferTooLarge { size })?;
    for frame in 0..frames {
        rec.orphan(buffer, None)?;
        rec.write(buffer, 0, &frame_bytes(frame, len))?;
        rec.end_frame();
    }
    rec.read(buffer, None, 0)?;
    Ok(())
}

const SMALL_UPDATE_VS: &str = "#version 450 core
in vec2 in_pos;
in vec2 in_rg;
out vec3 color;
void main() {
    color = vec3(in_rg, 0.5);
    gl_Position = vec4(in_pos, 0.0, 1.0);
}";

/// Bytes of one small update: a triangle of three `vec2 position, vec2 color` vertices.
pub const SMALL_UPDATE_BYTES: u64 = 48;

/// Update `index` of `frame` in the small-updates scene: a small triangle placed on a 16x16
/// grid, its color changing with the frame.
pub fn small_update(frame: u32, index: u64) -> [[f32; 4]; 3] {
    let (x, y) = (
        (index % 16) as f32 / 8.0 - 1.0,
        ((index / 16) % 16) as f32 / 8.0 - 1.0,
    );
    let shade = ((index + u64::from(frame)) % 8) as f32 / 8.0;
    [
        [x, y, shade, 1.0 - shade],
        [x + 0.1, y, shade, 1.0 - shade],
        [x, y + 0.1, shade, 1.0 - shade],
    ]
}

fn small_updates(rec: &mut Recorder, size: u64, frames: u32) -> Result<(), ValidationError> {
    let updates = (size / SMALL_UPDATE_BYTES).max(1);
    let (program, fbo) = target(rec, ProgramDesc::new(SMALL_UPDATE_VS).fragment(COLOR_FS))?;
    let buffer = rec.buffer_reserve(updates * SMALL_UPDATE_BYTES, true)?;
    let vao = rec.vertex_array(program, &[(buffer, "2f 2f", &["in_pos", "in_rg"])], None)?;
    rec.end_frame();
    for frame in 0..frames {
        for index in 0..updates {
            rec.write(
                buffer,
                index * SMALL_UPDATE_BYTES,
                &small_update(frame, index),
            )?;
            let first = u32::try_from(index * 3).map_err(|_| ValidationError::DrawTooLarge {
                what: "first",
                value: index * 3,
            })?;
            rec.render(vao, Draw::new(Mode::Triangles).vertices(3).first(first))?;
        }
        rec.end_frame();
    }
    read_all(rec, buffer, fbo)
}

fn triangle(rec: &mut Recorder, frames: u32) -> Result<(), ValidationError> {
    let (program, fbo) = target(rec, ProgramDesc::new(COLOR_VS).fragment(COLOR_FS))?;
    let vertices: [[f32; 5]; 3] = [
        [-0.8, -0.8, 1.0, 0.0, 0.0],
        [0.8, -0.8, 0.0, 1.0, 0.0],
        [0.0, 0.8, 0.0, 0.0, 1.0],
    ];
    let buffer = rec.buffer(&vertices)?;
    let vao = rec.vertex_array(program, &[(buffer, "2f 3f", &["in_pos", "in_color"])], None)?;
    rec.end_frame();
    for _ in 0..frames.max(1) {
        rec.clear_framebuffer(fbo, [0.0, 0.0, 0.0, 1.0], 1.0, None)?;
        rec.render(vao, Draw::new(Mode::Triangles))?;
        rec.end_frame();
    }
    read_all(rec, buffer, fbo)
}

fn transform(rec: &mut Recorder, size: u64, frames: u32) -> Result<(), ValidationError> {
    let count = (size / 4).max(1);
    let program = rec.program(
        ProgramDesc::new(
            "#version 450 core
in float in_value;
out float out_value;
void main() { out_value = in_value + in_value; }",
        )
        .varyings(&["out_value"], VaryingsMode::Interleaved),
    )?;
    let input: Vec<f32> = (0..count).map(|i| i as f32 * 0.5).collect();
    let source = rec.buffer(&input)?;
    let output = rec.buffer_reserve(count * 4, false)?;
    let vao: VertexArrayId = rec.vertex_array(program, &[(source, "1f", &["in_value"])], None)?;
    rec.end_frame();
    for _ in 0..frames.max(1) {
        rec.transform(vao, &[output], Draw::new(Mode::Points), 0)?;
        rec.end_frame();
    }
    rec.read(output, None, 0)?;
    Ok(())
}

/// The largest uniform block the uniform-block scene streams: 64 KiB, llvmpipe's
/// GL_MAX_UNIFORM_BLOCK_SIZE (GL 4.5 guarantees 16 KiB; a larger block fails to link where
/// the driver allows less).
pub const MAX_UNIFORM_BLOCK_BYTES: u64 = 64 << 10;

/// A triangle over the whole framebuffer, without vertex data.
const FULL_SCREEN_VS: &str = "#version 450 core
void main() {
    gl_Position = vec4(gl_VertexID == 1 ? 3.0 : -1.0, gl_VertexID == 2 ? 3.0 : -1.0, 0.0, 1.0);
}";

/// Each pixel of the 64x64 framebuffer takes one `vec4` of a block of `vec4s` of them.
fn uniform_block_fs(vec4s: u64) -> String {
    format!(
        "#version 450 core
layout(std140) uniform Block {{ vec4 values[{vec4s}]; }};
layout(location = 0) out vec4 out_color;
void main() {{
    ivec2 pixel = ivec2(gl_FragCoord.xy);
    out_color = values[(pixel.x + pixel.y * 64) % {vec4s}];
}}"
    )
}

/// The block's values in frame `frame`: `vec4s` colors in 0..=1, from [`frame_bytes`].
pub fn uniform_block_values(frame: u32, vec4s: u64) -> Vec<f32> {
    let len = usize::try_from(vec4s * 4).unwrap_or(0);
    frame_bytes(frame, len)
        .into_iter()
        .map(|byte| f32::from(byte) / 255.0)
        .collect()
}

fn uniform_block(rec: &mut Recorder, size: u64, frames: u32) -> Result<(), ValidationError> {
    let vec4s = (size / 16).clamp(1, MAX_UNIFORM_BLOCK_BYTES / 16);
    let fragment = uniform_block_fs(vec4s);
    let (program, fbo) = target(rec, ProgramDesc::new(FULL_SCREEN_VS).fragment(&fragment))?;
    let buffer = rec.buffer_reserve(vec4s * 16, true)?;
    let vao = rec.vertex_array(program, &[], None)?;
    rec.end_frame();
    for frame in 0..frames {
        rec.orphan(buffer, None)?;
        rec.write(buffer, 0, &uniform_block_values(frame, vec4s))?;
        rec.bind_to_uniform_block(buffer, 0, 0, None)?;
        rec.render(vao, Draw::new(Mode::Triangles).vertices(3))?;
        rec.end_frame();
    }
    read_all(rec, buffer, fbo)
}

/// Fills the 64x64 RGBA8 image on unit 0 in 8x8 work groups (red and green from the texel's
/// place times a uniform, blue from a uniform block) and adds each texel's x to one of four
/// counters of a storage buffer.
const FILL_CS: &str = "#version 450 core
layout(local_size_x = 8, local_size_y = 8) in;
layout(rgba8, binding = 0) uniform writeonly image2D img;
layout(std140, binding = 0) uniform Frame { vec4 tint; };
layout(std430, binding = 0) buffer Counters { uint counters[4]; };
uniform float scale;
void main() {
    ivec2 at = ivec2(gl_GlobalInvocationID.xy);
    vec2 uv = (vec2(at) + 0.5) / 64.0;
    imageStore(img, at, vec4(uv * scale, tint.b, 1.0));
    atomicAdd(counters[(at.x + at.y) % 4], uint(at.x));
}";

fn compute(rec: &mut Recorder, frames: u32) -> Result<(), ValidationError> {
    let shader = rec.compute_shader(FILL_CS)?;
    rec.uniform(shader, "scale", 0.75f32)?;
    let image = rec.texture(TextureDesc::texture(64, 64, 4), None)?;
    rec.bind_to_image(image, 0, ImageAccess::WriteOnly, 0, None)?;
    let frame_block = rec.buffer_reserve(16, true)?;
    let counters = rec.buffer_reserve(16, false)?;
    rec.bind_to_storage_buffer(counters, 0, 0, None)?;
    let groups = rec.buffer(&[8u32, 8, 1])?;
    rec.end_frame();
    for frame in 0..frames.max(1) {
        rec.orphan(frame_block, None)?;
        rec.write(
            frame_block,
            0,
            &[0.0f32, 0.0, (frame % 4) as f32 * 0.25, 1.0],
        )?;
        rec.bind_to_uniform_block(frame_block, 0, 0, None)?;
        match frame % 2 {
            0 => rec.run_compute(shader, [8, 8, 1])?,
            _ => rec.run_compute_indirect(shader, groups, 0)?,
        }
        rec.memory_barrier(Barriers::TEXTURE_UPDATE | Barriers::BUFFER_UPDATE, false)?;
        rec.end_frame();
    }
    rec.read_texture(image, 0, 1)?;
    rec.read(counters, None, 0)?;
    Ok(())
}
