//! Helpers shared by the bench binaries: sizes and their criterion settings, 64-byte-aligned
//! buffers, the one GL context of a binary, and a few hand-written GL utilities.
//!
//! Each bench binary uses a different subset of this module.
#![allow(dead_code)]

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, SamplingMode};
use gltape::command::{FramebufferDesc, ProgramDesc, VertexBinding};
use gltape::gl::{self, types::*, Gl};
use gltape::vertex_format::ScalarKind;
use gltape::{CommandList, Renderer};
use std::ffi::CString;
use std::path::PathBuf;
use std::time::{Duration, Instant};

pub const KIB: usize = 1 << 10;
pub const MIB: usize = 1 << 20;

/// Every streaming size of the full suite.
pub const ALL_SIZES: [usize; 4] = [64 * KIB, MIB, 16 * MIB, 64 * MIB];

/// Bytes one streaming sample moves at least: K = max(1, STREAM_BYTES_PER_ITER / size) frames
/// per iteration for the GL and replay benches.
pub const STREAM_BYTES_PER_ITER: usize = 16 * MIB;

/// `GLTAPE_BENCH_QUICK=1`: sizes 64 KiB and 1 MiB only, short warm-up and measurement.
pub fn quick() -> bool {
    std::env::var_os("GLTAPE_BENCH_QUICK").is_some_and(|v| !v.is_empty() && v != "0")
}

/// The streaming sizes this run measures.
pub fn sizes() -> &'static [usize] {
    if quick() {
        &ALL_SIZES[..2]
    } else {
        &ALL_SIZES
    }
}

/// "64KiB", "1MiB", "16MiB", "64MiB": the parameter part of the bench ids.
pub fn size_label(size: usize) -> String {
    if size >= MIB && size.is_multiple_of(MIB) {
        format!("{}MiB", size / MIB)
    } else if size >= KIB && size.is_multiple_of(KIB) {
        format!("{}KiB", size / KIB)
    } else {
        format!("{size}B")
    }
}

/// Frames streamed per iteration at `size`, so that one iteration moves at least 16 MiB.
pub fn frames_per_iter(size: usize) -> usize {
    (STREAM_BYTES_PER_ITER / size).max(1)
}

/// The criterion instance of a bench binary (in place of `criterion_group!`'s default), with
/// the command line (filters, `--save-baseline`, ...) applied. The groups set their own
/// sample counts and times per size (see [`configure_for_size`]).
pub fn criterion() -> Criterion {
    let c = Criterion::default();
    let c = if quick() {
        c.warm_up_time(Duration::from_millis(300))
            .measurement_time(Duration::from_secs(1))
            .sample_size(10)
            .nresamples(10_000)
    } else {
        c.warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(4))
            .sample_size(50)
    };
    c.configure_from_args()
}

/// Per-size settings: the large sizes take few, flat samples so that the suite finishes in
/// reasonable time on two cores.
pub fn configure_for_size(group: &mut BenchmarkGroup<'_, WallTime>, size: usize) {
    if quick() {
        group
            .sample_size(10)
            .warm_up_time(Duration::from_millis(300))
            .measurement_time(Duration::from_secs(1))
            .sampling_mode(SamplingMode::Flat);
    } else if size >= 64 * MIB {
        group
            .sample_size(10)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(5))
            .sampling_mode(SamplingMode::Flat);
    } else if size >= 16 * MIB {
        group
            .sample_size(20)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(5))
            .sampling_mode(SamplingMode::Flat);
    } else {
        group
            .sample_size(50)
            .warm_up_time(Duration::from_secs(1))
            .measurement_time(Duration::from_secs(4))
            .sampling_mode(SamplingMode::Auto);
    }
}

/// Settings for benches whose iteration takes a large fraction of a second (160,000 draws,
/// a replay that compiles a program): ten flat samples.
pub fn configure_heavy(group: &mut BenchmarkGroup<'_, WallTime>) {
    let (warm_up, measurement) = if quick() {
        (Duration::from_millis(300), Duration::from_secs(2))
    } else {
        (Duration::from_secs(1), Duration::from_secs(8))
    };
    group
        .sample_size(10)
        .warm_up_time(warm_up)
        .measurement_time(measurement)
        .sampling_mode(SamplingMode::Flat);
}

/// One cache line: the unit of [`AlignedBuf`].
#[derive(Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
#[repr(C, align(64))]
struct Line([u8; 64]);

/// A byte buffer whose start is 64-byte aligned.
pub struct AlignedBuf {
    lines: Vec<Line>,
    len: usize,
}

impl AlignedBuf {
    /// `len` zero bytes (written, so the pages are resident).
    pub fn zeroed(len: usize) -> Self {
        let mut buf = AlignedBuf {
            lines: vec![Line([0; 64]); len.div_ceil(64)],
            len,
        };
        buf.as_mut_slice().fill(0);
        buf
    }

    /// A copy of `bytes`.
    pub fn from_bytes(bytes: &[u8]) -> Self {
        let mut buf = Self::zeroed(bytes.len());
        buf.as_mut_slice().copy_from_slice(bytes);
        buf
    }

    /// The deterministic streaming payload of `frame` (see `gltape::scene::frame_bytes`).
    pub fn frame(frame: u32, len: usize) -> Self {
        Self::from_bytes(&gltape::scene::frame_bytes(frame, len))
    }

    pub fn as_slice(&self) -> &[u8] {
        let bytes: &[u8] = bytemuck::cast_slice(&self.lines);
        &bytes[..self.len]
    }

    pub fn as_mut_slice(&mut self) -> &mut [u8] {
        let bytes: &mut [u8] = bytemuck::cast_slice_mut(&mut self.lines);
        &mut bytes[..self.len]
    }

    pub fn len(&self) -> usize {
        self.len
    }
}

/// `target/criterion`, where criterion saves its results (honours `CRITERION_HOME` and
/// `CARGO_TARGET_DIR` as criterion does).
pub fn criterion_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("criterion")
}

/// Rounds of a [`paired`] measurement (`GLTAPE_BENCH_QUICK=1`: a third of `rounds`).
pub fn paired_rounds(rounds: usize) -> usize {
    if quick() {
        rounds.div_ceil(3)
    } else {
        rounds
    }
}

/// Times `rounds` runs of `gltape` and of `direct`, alternating (gltape first), each
/// returning the time it measured; returns the medians of each side and of the per-round
/// ratios gltape / direct. On a shared machine the load moves between criterion's rows,
/// while alternate runs see the same.
pub fn paired(
    rounds: usize,
    mut gltape: impl FnMut() -> Duration,
    mut direct: impl FnMut() -> Duration,
) -> Paired {
    let (mut a, mut b, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..rounds {
        let (x, y) = (gltape(), direct());
        ratios.push(x.as_secs_f64() / y.as_secs_f64());
        a.push(x);
        b.push(y);
    }
    a.sort_unstable();
    b.sort_unstable();
    ratios.sort_unstable_by(f64::total_cmp);
    Paired {
        rounds,
        gltape: a[rounds / 2],
        direct: b[rounds / 2],
        ratio: ratios[rounds / 2],
    }
}

/// Times `run` (glFinish included by it).
pub fn timed(run: impl FnOnce()) -> Duration {
    let start = Instant::now();
    run();
    start.elapsed()
}

/// The medians of a [`paired`] measurement.
pub struct Paired {
    pub rounds: usize,
    pub gltape: Duration,
    pub direct: Duration,
    /// The median of the per-round ratios gltape / direct.
    pub ratio: f64,
}

impl Paired {
    /// Prints the medians per `unit` (`per` of them in one run) and writes them to
    /// `target/criterion/NAME-paired.json` for `scripts/bench-report`.
    pub fn report(&self, name: &str, unit: &str, per: u64) {
        let ns = |d: Duration| d.as_nanos() as f64 / per as f64;
        println!(
            "{name} paired, {} alternating runs each: gltape median {:.1} ns per {unit}, direct GL \
             median {:.1} ns per {unit}, median ratio gltape / direct {:.3}x",
            self.rounds,
            ns(self.gltape),
            ns(self.direct),
            self.ratio
        );
        let report = serde_json::json!({
            "rounds": self.rounds,
            "unit": unit,
            "gltape_ns": ns(self.gltape),
            "direct_ns": ns(self.direct),
            "ratio": self.ratio,
        });
        let dir = criterion_dir();
        if let Err(error) = std::fs::create_dir_all(&dir).and_then(|()| {
            std::fs::write(dir.join(format!("{name}-paired.json")), report.to_string())
        }) {
            eprintln!("warning: could not write {name}-paired.json: {error}");
        }
    }
}

/// The bench binary's one GL context (a headless renderer). Writes what GL reports to
/// `target/criterion/gltape-gl-info.txt` for `scripts/bench-report`.
pub fn renderer() -> Renderer {
    let renderer = Renderer::headless().expect("a headless OpenGL 4.5 context (EGL or OSMesa)");
    let info = renderer.info();
    let backend = renderer.context().map_or("none", |c| c.backend().name());
    let text = format!(
        "vendor: {}\nrenderer: {}\nversion: {}\nbackend: {backend}\nmode: {}\n",
        info.vendor,
        info.renderer,
        info.version,
        if quick() { "quick" } else { "full" },
    );
    let dir = criterion_dir();
    if let Err(error) = std::fs::create_dir_all(&dir)
        .and_then(|()| std::fs::write(dir.join("gltape-gl-info.txt"), text))
    {
        eprintln!("warning: could not write gltape-gl-info.txt: {error}");
    }
    renderer
}

/// Panics on a pending GL error: a hand-written bench must not time failing calls.
pub fn assert_no_gl_error(gl: &Gl, what: &str) {
    // SAFETY: no arguments; the context is current.
    let code = unsafe { gl.GetError() };
    assert_eq!(code, gl::NO_ERROR, "GL error 0x{code:04X} in {what}");
}

/// A new buffer object of `size` bytes with uninitialised `usage` storage.
pub fn create_buffer(gl: &Gl, size: usize, usage: GLenum) -> GLuint {
    let mut name = 0;
    // SAFETY: `name` is valid for one GLuint; a null pointer asks for uninitialised storage
    // of `size` bytes.
    unsafe {
        gl.CreateBuffers(1, &mut name);
        gl.NamedBufferData(name, size as GLsizeiptr, std::ptr::null(), usage);
    }
    assert_no_gl_error(gl, "create_buffer");
    name
}

/// A new buffer object of `size` bytes of `usage` storage, zero-filled as gltape fills the
/// buffers it creates without data.
pub fn create_zeroed_buffer(gl: &Gl, size: usize, usage: GLenum) -> GLuint {
    let name = create_buffer(gl, size, usage);
    // SAFETY: a live buffer of `size` bytes; a null pattern clears with zeros.
    unsafe {
        gl.ClearNamedBufferSubData(
            name,
            gl::R8UI,
            0,
            size as GLsizeiptr,
            gl::RED_INTEGER,
            gl::UNSIGNED_BYTE,
            std::ptr::null(),
        );
    }
    assert_no_gl_error(gl, "create_zeroed_buffer");
    name
}

/// A complete framebuffer over one new `width` by `height` RGBA8 renderbuffer, the target of
/// the hand-written scenes; returns the framebuffer and the renderbuffer.
pub fn create_rgba8_target(gl: &Gl, width: GLsizei, height: GLsizei) -> (GLuint, GLuint) {
    let (mut framebuffer, mut renderbuffer) = (0, 0);
    // SAFETY: out-pointers are valid for one GLuint each; the renderbuffer is attached to the
    // framebuffer just created.
    unsafe {
        gl.CreateRenderbuffers(1, &mut renderbuffer);
        gl.NamedRenderbufferStorage(renderbuffer, gl::RGBA8, width, height);
        gl.CreateFramebuffers(1, &mut framebuffer);
        gl.NamedFramebufferRenderbuffer(
            framebuffer,
            gl::COLOR_ATTACHMENT0,
            gl::RENDERBUFFER,
            renderbuffer,
        );
        assert_eq!(
            gl.CheckNamedFramebufferStatus(framebuffer, gl::FRAMEBUFFER),
            gl::FRAMEBUFFER_COMPLETE
        );
    }
    assert_no_gl_error(gl, "create_rgba8_target");
    (framebuffer, renderbuffer)
}

/// Deletes buffer `name`.
pub fn delete_buffer(gl: &Gl, name: GLuint) {
    // SAFETY: `name` is a buffer this bench created on the current context.
    unsafe { gl.DeleteBuffers(1, &name) };
    assert_no_gl_error(gl, "delete_buffer");
}

/// Waits for `fence` (flushing first) and deletes it.
pub fn wait_and_delete(gl: &Gl, fence: GLsync) {
    // SAFETY: `fence` is a live sync object created by this bench on the current context.
    let status = unsafe { gl.ClientWaitSync(fence, gl::SYNC_FLUSH_COMMANDS_BIT, u64::MAX) };
    assert!(
        status == gl::ALREADY_SIGNALED || status == gl::CONDITION_SATISFIED,
        "glClientWaitSync returned 0x{status:04X}"
    );
    // SAFETY: as above; it is not used again.
    unsafe { gl.DeleteSync(fence) };
}

/// Links the first program a scene's `list` records (vertex and fragment shaders), for the
/// hand-written loop that replaces its replay.
pub fn link_scene_program(gl: &Gl, list: &CommandList) -> GLuint {
    let desc = list
        .tables()
        .entries::<ProgramDesc>()
        .first()
        .expect("the scene's program");
    let fragment = desc.fragment_shader.as_deref().expect("a fragment shader");
    link_program(gl, &desc.vertex_shader, fragment)
}

/// The width and height of the first framebuffer a scene's `list` records.
pub fn scene_framebuffer_size(list: &CommandList) -> (GLsizei, GLsizei) {
    let desc = list
        .tables()
        .entries::<FramebufferDesc>()
        .first()
        .expect("the scene's framebuffer");
    (desc.width as GLsizei, desc.height as GLsizei)
}

/// Compiles and links a program from vertex and fragment sources; panics with GL's log.
pub fn link_program(gl: &Gl, vertex: &str, fragment: &str) -> GLuint {
    let compile = |kind: GLenum, source: &str| -> GLuint {
        let source = CString::new(source).expect("shader source without NUL");
        // SAFETY: `source` is NUL-terminated and outlives the calls; the out-pointers are
        // valid; the log buffer holds `log.len()` bytes.
        unsafe {
            let shader = gl.CreateShader(kind);
            gl.ShaderSource(shader, 1, &source.as_ptr(), std::ptr::null());
            gl.CompileShader(shader);
            let mut ok = 0;
            gl.GetShaderiv(shader, gl::COMPILE_STATUS, &mut ok);
            if ok == 0 {
                let mut log = vec![0u8; 4096];
                let mut len = 0;
                gl.GetShaderInfoLog(
                    shader,
                    log.len() as GLsizei,
                    &mut len,
                    log.as_mut_ptr().cast(),
                );
                log.truncate(len.max(0) as usize);
                panic!(
                    "shader failed to compile: {}",
                    String::from_utf8_lossy(&log)
                );
            }
            shader
        }
    };
    let vs = compile(gl::VERTEX_SHADER, vertex);
    let fs = compile(gl::FRAGMENT_SHADER, fragment);
    // SAFETY: both shaders are live; the out-pointer is valid for one GLint.
    unsafe {
        let program = gl.CreateProgram();
        gl.AttachShader(program, vs);
        gl.AttachShader(program, fs);
        gl.LinkProgram(program);
        gl.DetachShader(program, vs);
        gl.DetachShader(program, fs);
        gl.DeleteShader(vs);
        gl.DeleteShader(fs);
        let mut ok = 0;
        gl.GetProgramiv(program, gl::LINK_STATUS, &mut ok);
        assert!(ok != 0, "program failed to link");
        assert_no_gl_error(gl, "link_program");
        program
    }
}

/// A new vertex array reading `buffer` from offset 0 as the recorded `binding` describes it
/// (32-bit float fields only), each field feeding the program's attribute of its name.
pub fn create_vertex_array(
    gl: &Gl,
    program: GLuint,
    buffer: GLuint,
    binding: &VertexBinding,
) -> GLuint {
    let mut vertex_array = 0;
    // SAFETY: the out-pointer is valid for one GLuint; the buffer is live and the stride
    // comes from the recorded (checked) vertex format.
    unsafe {
        gl.CreateVertexArrays(1, &mut vertex_array);
        gl.VertexArrayVertexBuffer(vertex_array, 0, buffer, 0, binding.format.stride as GLsizei);
    }
    for (field, attribute) in binding.format.fields.iter().zip(&binding.attributes) {
        assert!(field.kind == ScalarKind::Float && field.size == 4 && !field.normalized);
        let c_name = CString::new(attribute.as_str()).expect("an attribute name");
        // SAFETY: `c_name` is NUL-terminated; the program is linked.
        let location = unsafe { gl.GetAttribLocation(program, c_name.as_ptr()) };
        let location = GLuint::try_from(location).expect("an active attribute");
        // SAFETY: `location` is an active attribute; count, type and offset come from
        // the recorded (checked) vertex format.
        unsafe {
            gl.EnableVertexArrayAttrib(vertex_array, location);
            gl.VertexArrayAttribFormat(
                vertex_array,
                location,
                GLint::from(field.count),
                gl::FLOAT, // asserted above: 32-bit float fields
                gl::FALSE,
                field.offset,
            );
            gl.VertexArrayAttribBinding(vertex_array, location, 0);
        }
    }
    assert_no_gl_error(gl, "create_vertex_array");
    vertex_array
}

/// The objects of a hand-written scene: a program drawing from one buffer through one
/// vertex array into a framebuffer over one renderbuffer. Dropping it binds the defaults
/// back and deletes them.
pub struct GlScene<'a> {
    pub gl: &'a Gl,
    pub program: GLuint,
    pub framebuffer: GLuint,
    pub renderbuffer: GLuint,
    pub buffer: GLuint,
    pub vertex_array: GLuint,
}

impl GlScene<'_> {
    /// Binds the framebuffer (with a `width` x `height` viewport), program and vertex array,
    /// as a replay's setup does (replays alternating with hand-written frames bind their own).
    pub fn bind(&self, width: GLsizei, height: GLsizei) {
        // SAFETY: live objects of this context.
        unsafe {
            self.gl
                .BindFramebuffer(gl::DRAW_FRAMEBUFFER, self.framebuffer);
            self.gl.Viewport(0, 0, width, height);
            self.gl.UseProgram(self.program);
            self.gl.BindVertexArray(self.vertex_array);
        }
    }
}

impl Drop for GlScene<'_> {
    fn drop(&mut self) {
        let gl = self.gl;
        assert_no_gl_error(gl, "a hand-written scene");
        // SAFETY: the objects were created on this context for this scene and are not used
        // again; the defaults are bound back first.
        unsafe {
            gl.BindVertexArray(0);
            gl.UseProgram(0);
            gl.BindFramebuffer(gl::FRAMEBUFFER, 0);
            gl.DeleteVertexArrays(1, &self.vertex_array);
            gl.DeleteBuffers(1, &self.buffer);
            gl.DeleteFramebuffers(1, &self.framebuffer);
            gl.DeleteRenderbuffers(1, &self.renderbuffer);
            gl.DeleteProgram(self.program);
        }
    }
}
