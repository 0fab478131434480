//! The `gltape` command line: a thin shell over the library.

use clap::{Parser, Subcommand, ValueEnum};
use gltape::scene::Scene;
use gltape::terminal::{escape_for_terminal, json_line};
use gltape::trace::{self, digest, hex, DecodeLimits, Trace};
use gltape::verify;
use gltape::{Backend, Capture, Context, Renderer, ReplayLimits, ReplayOptions, StreamStrategy};
use indicatif::{ProgressBar, ProgressDrawTarget};
use std::error::Error;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(
    version,
    about = "Record OpenGL command lists, save them as traces, replay them headless"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Replay a trace and print what it did: commands, frames, bytes uploaded, time, GB/s.
    Replay(ReplayArgs),
    /// Print a trace's header, command counts by kind, payload bytes and frames.
    Info {
        /// The trace file.
        trace: PathBuf,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Print a trace as text, one command per line (see docs/text-format.md).
    Dump {
        /// The trace file.
        trace: PathBuf,
    },
    /// Turn text (as `dump` prints it) back into a trace.
    Assemble {
        /// The text file.
        text: PathBuf,
        /// The trace file to write.
        #[arg(short, long)]
        output: PathBuf,
        /// The payload file that payloads written as {"offset": N, "len": M} are ranges of.
        #[arg(long, value_name = "FILE")]
        payloads: Option<PathBuf>,
    },
    /// Record a built-in scene headless and save it as a trace with its readback digests.
    Record {
        /// The scene.
        scene: SceneArg,
        /// The trace file to write.
        #[arg(short, long)]
        output: PathBuf,
        /// Bytes streamed per frame (stream, small-updates) or transformed (transform).
        #[arg(long, default_value_t = 1 << 20)]
        size: u64,
        /// Frames to record.
        #[arg(long, default_value_t = 16)]
        frames: u32,
        /// A label stored in the header.
        #[arg(long, default_value = "")]
        label: String,
    },
}

#[derive(clap::Args)]
struct ReplayArgs {
    /// The trace file.
    trace: PathBuf,
    /// Run the timed frames this many times on the same objects (the setup before them runs
    /// once; --verify checks the first pass); at least 1.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    loops: u32,
    /// Only these frames, as A..B (earlier commands run first, untimed).
    #[arg(long, value_parser = parse_range)]
    frames: Option<std::ops::Range<u32>>,
    /// Compare every readback with the digest recorded in the trace.
    #[arg(long)]
    verify: bool,
    /// Where the GL context comes from: surfaceless EGL, OSMesa, or a visible X11 window
    /// (640x480). Default: the first headless backend that works (EGL, then OSMesa), or the
    /// one GLTAPE_BACKEND names.
    #[arg(long, value_enum)]
    backend: Option<BackendArg>,
    /// Save the framebuffer in use at the end as a PNG.
    #[arg(long, value_name = "PNG")]
    screenshot: Option<PathBuf>,
    /// Write each readback to DIR/readback-<index>.bin.
    #[arg(long, value_name = "DIR")]
    dump_readbacks: Option<PathBuf>,
    /// Print one JSON object on stdout instead of text.
    #[arg(long)]
    json: bool,
    /// How orphan + write streaming is replayed.
    #[arg(long, value_enum, default_value_t = StreamArg::Faithful)]
    stream: StreamArg,
    /// Turn on KHR_debug output and print every GL message with its command index.
    #[arg(long)]
    debug: bool,
    /// Most bytes of GL objects alive at once (suffixes K, M, G, T: powers of 1024).
    #[arg(long, value_name = "BYTES", value_parser = parse_size, default_value = "8G")]
    max_object_bytes: u64,
    /// Most bytes read back by one replay (suffixes K, M, G, T).
    #[arg(long, value_name = "BYTES", value_parser = parse_size, default_value = "4G")]
    max_readback_bytes: u64,
    /// Most vertices x instances of one draw, or work groups of one compute run (suffixes
    /// K, M, G, T).
    #[arg(long, value_name = "N", value_parser = parse_size, default_value = "4G")]
    max_draw_work: u64,
    /// Most vertices x instances of all draws of one replay, work groups included (suffixes
    /// K, M, G, T).
    #[arg(long, value_name = "N", value_parser = parse_size, default_value = "64G")]
    max_replay_work: u64,
    /// Stop with an error when the replay (all loops together) runs longer than this.
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds)]
    timeout: Option<Duration>,
    /// Read the trace from a memory mapping segment by segment, each checked, run and its
    /// pages handed back: memory stays bounded by a chunk (8 MiB of payload by default), not
    /// by the file. Every frame runs once, faithfully; the limits above do not apply. The
    /// file must not be truncated or changed while gltape runs: a truncation ends gltape with
    /// SIGBUS.
    #[arg(long, conflicts_with_all = ["loops", "frames", "stream", "debug", "timeout"])]
    mapped: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum StreamArg {
    /// Exactly the recorded calls.
    Faithful,
    /// Orphan + full write folded into one glBufferData.
    Fold,
    /// A persistently mapped ring with fences.
    Ring,
}

#[derive(Clone, Copy, ValueEnum)]
enum BackendArg {
    /// A surfaceless EGL context with an offscreen screen (no X, no GLFW).
    Egl,
    /// GLFW's null platform with OSMesa.
    Osmesa,
    /// A visible X11 window (needs a display).
    Window,
}

impl From<BackendArg> for Backend {
    fn from(backend: BackendArg) -> Self {
        match backend {
            BackendArg::Egl => Backend::Egl,
            BackendArg::Osmesa => Backend::OsMesa,
            BackendArg::Window => Backend::Window,
        }
    }
}

impl From<StreamArg> for StreamStrategy {
    fn from(stream: StreamArg) -> Self {
        match stream {
            StreamArg::Faithful => StreamStrategy::Faithful,
            StreamArg::Fold => StreamStrategy::Fold,
            StreamArg::Ring => StreamStrategy::Ring,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum SceneArg {
    Stream,
    Upload,
    SmallUpdates,
    Triangle,
    Transform,
    UniformBlock,
    Compute,
}

impl From<SceneArg> for Scene {
    fn from(scene: SceneArg) -> Self {
        match scene {
            SceneArg::Stream => Scene::Stream,
            SceneArg::Upload => Scene::Upload,
            SceneArg::SmallUpdates => Scene::SmallUpdates,
            SceneArg::Triangle => Scene::Triangle,
            SceneArg::Transform => Scene::Transform,
            SceneArg::UniformBlock => Scene::UniformBlock,
            SceneArg::Compute => Scene::Compute,
        }
    }
}

fn parse_range(text: &str) -> std::result::Result<std::ops::Range<u32>, String> {
    let (start, end) = text
        .split_once("..")
        .ok_or_else(|| format!("{text:?} is not a range A..B"))?;
    let number = |s: &str| s.trim().parse::<u32>().map_err(|e| format!("{s:?}: {e}"));
    Ok(number(start)?..number(end)?)
}

/// A count or byte size: digits, optionally followed by K, M, G or T (powers of 1024, an
/// optional "i" and "B" allowed: 8G, 8GiB).
fn parse_size(text: &str) -> std::result::Result<u64, String> {
    let text = text.trim();
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, suffix) = text.split_at(digits);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a number (with an optional K, M, G or T)"))?;
    let shift = match suffix.trim_end_matches('B').trim_end_matches('i') {
        "" => 0,
        "K" | "k" => 10,
        "M" => 20,
        "G" => 30,
        "T" => 40,
        _ => {
            return Err(format!(
                "{text:?}: unknown suffix {suffix:?} (K, M, G or T)"
            ))
        }
    };
    number
        .checked_mul(1 << shift)
        .ok_or_else(|| format!("{text:?} is larger than 2^64 - 1"))
}

/// Seconds, possibly fractional, as a duration.
fn parse_seconds(text: &str) -> std::result::Result<Duration, String> {
    let seconds: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds"))?;
    Duration::try_from_secs_f64(seconds).map_err(|e| format!("{text:?}: {e}"))
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage_error(&error),
    };
    let mut out = Stdout::new();
    let result = match cli.command {
        Cmd::Replay(args) => replay(&args, &mut out),
        Cmd::Info { trace, json } => info(&trace, json, &mut out),
        Cmd::Dump { trace } => dump(&trace, &mut out),
        Cmd::Assemble {
            text,
            output,
            payloads,
        } => assemble(&text, &output, payloads.as_deref()),
        Cmd::Record {
            scene,
            output,
            size,
            frames,
            label,
        } => record(scene.into(), &output, size, frames, &label, &mut out),
    };
    // What was printed before an error (a truncated trace's report) goes out first; a
    // failed flush is an error like any other write.
    let flushed = out.flush();
    let result = result.and(flushed.map_err(Into::into));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // The reader went away (`gltape dump t.gltrace | head`): stop quietly, as Unix tools do.
        Err(error) if is_broken_pipe(&*error) => ExitCode::SUCCESS,
        Err(error) => {
            eprint_line(&format!("gltape: error: {}", one_line(&*error)));
            ExitCode::FAILURE
        }
    }
}

/// Help and version go to stdout as clap prints them; a usage error is one line on stderr
/// (its first line, without clap's usage block) with clap's exit code 2.
fn usage_error(error: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        error.exit();
    }
    let text = error.to_string();
    let first = text.lines().next().unwrap_or("invalid arguments");
    let first = first.strip_prefix("error: ").unwrap_or(first);
    eprint_line(&format!("gltape: error: {first} (see gltape --help)"));
    ExitCode::from(2)
}

/// Writes one line to stderr with every control character escaped. A failed write to stderr
/// has nowhere to be reported and is ignored (never a panic).
fn eprint_line(text: &str) {
    let _ = writeln!(io::stderr().lock(), "{}", escape_for_terminal(text));
}

/// A failed write to standard output.
#[derive(Debug)]
struct StdoutError(io::Error);

impl std::fmt::Display for StdoutError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot write to standard output: {}", self.0)
    }
}

impl Error for StdoutError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&self.0)
    }
}

/// True when `error` is a write to standard output whose reader has gone.
fn is_broken_pipe(error: &(dyn Error + 'static)) -> bool {
    error
        .downcast_ref::<StdoutError>()
        .is_some_and(|e| e.0.kind() == io::ErrorKind::BrokenPipe)
}

/// Standard output, locked and buffered; every write is checked. Text lines are escaped for
/// the terminal (trace strings may hold escape sequences), JSON is written terminal-safe.
struct Stdout(io::BufWriter<io::StdoutLock<'static>>);

impl Stdout {
    fn new() -> Self {
        Stdout(io::BufWriter::new(io::stdout().lock()))
    }

    /// One line of text, escaped.
    fn line(&mut self, text: &str) -> std::result::Result<(), StdoutError> {
        writeln!(self.0, "{}", escape_for_terminal(text)).map_err(StdoutError)
    }

    /// One line of terminal-safe JSON.
    fn json(&mut self, value: &serde_json::Value) -> std::result::Result<(), StdoutError> {
        let line = json_line(value).map_err(|e| StdoutError(e.into()))?;
        self.0.write_all(&line).map_err(StdoutError)
    }

    fn flush(&mut self) -> std::result::Result<(), StdoutError> {
        self.0.flush().map_err(StdoutError)
    }
}

/// An error and its causes on one line (multi-line GL logs joined with " | ").
fn one_line(error: &dyn Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text = format!("{text}: {cause_text}");
        }
        source = cause.source();
    }
    text.trim_end().replace("\r\n", "\n").replace('\n', " | ")
}

type Result<T = ()> = std::result::Result<T, Box<dyn Error>>;

fn load(path: &Path) -> Result<(Trace, Option<trace::TraceError>)> {
    let decoded = trace::load(path, &DecodeLimits::default())?;
    Ok((decoded.trace, decoded.truncated))
}

/// A renderer on `backend` (a window is 640x480; headless screens have `Renderer::headless`'s
/// size), or `Renderer::headless`'s choice.
fn renderer(backend: Option<BackendArg>) -> Result<Renderer> {
    let side = Context::HEADLESS_SIDE;
    let context = match backend.map(Backend::from) {
        None => return Ok(Renderer::headless()?),
        Some(Backend::Window) => Context::new(Backend::Window, 640, 480)?,
        Some(backend) => Context::new(backend, side, side)?,
    };
    Ok(Renderer::with_context(context)?)
}

/// The backend a renderer made by [`renderer`] runs on.
fn backend_name(renderer: &Renderer) -> &'static str {
    renderer.context().map_or("none", |c| c.backend().name())
}

fn replay(args: &ReplayArgs, out: &mut Stdout) -> Result {
    if args.mapped {
        return replay_mapped(args, out);
    }
    let (trace, truncated) = load(&args.trace)?;
    let list = trace.list.validate()?;
    let mut renderer = renderer(args.backend)?;
    // clap refuses 0.
    let loops = args.loops;
    let frames_per_loop = (args.frames.as_ref()).map_or(trace.list.frames(), |r| r.len() as u32);
    let bar = ProgressBar::with_draw_target(
        Some(u64::from(loops) * u64::from(frames_per_loop.max(1))),
        ProgressDrawTarget::hidden(),
    );
    let started = Instant::now();
    let mut shown = false;
    let mut tick = |frame: u32| {
        // A clock read and a bar update per frame were 3-4% of a 64 KiB upload frame in a
        // profile of `replay --loops`; every 16th frame is often enough for a progress bar.
        if !frame.is_multiple_of(16) {
            return;
        }
        if !shown && started.elapsed() > Duration::from_secs(1) {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            shown = true;
        }
        bar.set_position(u64::from(frame));
    };
    // The setup before the timed frames runs once; the frames run `loops` times on the same
    // objects, and the readbacks (what --verify checks) are the first pass's.
    let mut options = ReplayOptions {
        stream: args.stream.into(),
        debug: args.debug,
        frames: args.frames.clone(),
        progress: Some(&mut tick),
        limits: ReplayLimits {
            max_object_bytes: args.max_object_bytes,
            max_readback_bytes: args.max_readback_bytes,
            max_draw_work: args.max_draw_work,
            max_replay_work: args.max_replay_work,
            timeout: args.timeout,
        },
        loops,
    };
    let replay = renderer.replay_with(&list, &mut options);
    if args.debug {
        print_debug_messages(&mut renderer, args.json);
    }
    let replay = replay?;
    bar.finish_and_clear();
    let seconds = replay.stats.elapsed.as_secs_f64();
    let upload_bytes = replay.stats.upload_bytes;
    let best = replay.stats.best.as_secs_f64();
    if args.verify {
        verify::verify(
            &trace.list,
            &trace.header.readback_digests,
            &replay.readbacks,
        )?;
    }
    if let Some(path) = &args.screenshot {
        let (width, height, pixels) = renderer.read_framebuffer_in_use()?;
        gltape::image::write_png(path, width, height, &pixels)?;
    }
    if let Some(dir) = &args.dump_readbacks {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for (index, bytes) in replay.readbacks.iter().enumerate() {
            let path = dir.join(format!("readback-{index}.bin"));
            std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    let gbps = replay.stats.upload_gbps();
    let median = replay.stats.frame_time_percentile(50);
    let p95 = replay.stats.frame_time_percentile(95);
    let steady = replay.stats.steady_upload();
    let draws = replay.stats.draws / u64::from(loops);
    if args.json {
        let readbacks: Vec<_> = replay
            .readbacks
            .iter()
            .enumerate()
            .map(|(index, bytes)| {
                serde_json::json!({"index": index, "size": bytes.len(), "sha256": hex(&digest(bytes))})
            })
            .collect();
        let report = serde_json::json!({
            "trace": args.trace.display().to_string(),
            "renderer": renderer.info().renderer,
            "backend": backend_name(&renderer),
            "commands": replay.stats.commands / loops as usize,
            "frames": replay.stats.frames / loops,
            "loops": loops,
            "resident_loops": replay.stats.resident,
            "upload_bytes": upload_bytes,
            "seconds": seconds,
            "best_loop_seconds": best,
            "upload_gbps": gbps,
            "draws": draws,
            "frame_seconds_median": median.map(|d| d.as_secs_f64()),
            "frame_seconds_p95": p95.map(|d| d.as_secs_f64()),
            "steady_loops": steady.map(|s| s.passes),
            "steady_upload_bytes": steady.map(|s| s.upload_bytes),
            "steady_seconds": steady.map(|s| s.elapsed.as_secs_f64()),
            "steady_upload_gbps": steady.map(|s| s.gbps()),
            "verified": args.verify,
            "readbacks": readbacks,
            "incomplete": trace.header.incomplete,
        });
        out.json(&report)?;
    } else {
        let passes = match (loops, replay.stats.resident) {
            (1, _) => "",
            (_, true) => " on the same objects",
            (_, false) => ", each from a clean slate (the timed frames create or release objects)",
        };
        out.line(&format!(
            "{}: {} commands, {} frames, {} loop(s){passes} on {} ({})",
            args.trace.display(),
            replay.stats.commands / loops as usize,
            replay.stats.frames / loops,
            loops,
            renderer.info().renderer,
            backend_name(&renderer)
        ))?;
        out.line(&format!(
            "uploaded {upload_bytes} bytes in {seconds:.4} s: {gbps:.2} GB/s (best loop {best:.4} s)"
        ))?;
        if let (Some(median), Some(p95)) = (median, p95) {
            out.line(&format!(
                "frame time: median {:.3} ms, p95 {:.3} ms ({} timed frames)",
                median.as_secs_f64() * 1e3,
                p95.as_secs_f64() * 1e3,
                replay.stats.frame_times.len()
            ))?;
        }
        if let Some(steady) = steady {
            out.line(&format!(
                "steady state: {:.2} GB/s ({} bytes in {:.4} s, the {} loop(s) after the first)",
                steady.gbps(),
                steady.upload_bytes,
                steady.elapsed.as_secs_f64(),
                steady.passes
            ))?;
        }
        if draws > 0 {
            out.line(&format!(
                "the timed frames include {draws} draw(s) per loop (draws, transforms, compute \
                 runs): the times and GB/s include that GPU work"
            ))?;
        }
        out.line(&format!(
            "{} readback(s){}",
            replay.readbacks.len(),
            if args.verify {
                ", all digests verified"
            } else {
                ""
            }
        ))?;
        incomplete_lines(&trace.header, out)?;
    }
    match truncated {
        Some(cut) => Err(format!("replayed the complete chunks, then: {cut}").into()),
        None => Ok(()),
    }
}

/// `replay --mapped`: the trace's segments read from a mapping, each submitted, verified and
/// dropped (its pages handed back) before the next is read.
fn replay_mapped(args: &ReplayArgs, out: &mut Stdout) -> Result {
    // SAFETY: the documented precondition of --mapped (its help, README): the file is not
    // truncated or changed while gltape runs.
    let reader = unsafe { trace::SegmentReader::open(&args.trace, &DecodeLimits::default()) }?;
    let header = reader.header().clone();
    let mut renderer = renderer(args.backend)?;
    if let Some(dir) = &args.dump_readbacks {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let started = Instant::now();
    let (mut commands, mut frames, mut upload_bytes, mut segments) = (0, 0, 0, 0);
    let mut readbacks = Vec::new();
    let mut truncated = None;
    for segment in reader {
        let segment = match segment {
            Ok(segment) => segment,
            Err(cut @ trace::TraceError::Truncated { .. }) => {
                truncated = Some(cut);
                break;
            }
            Err(error) => return Err(error.into()),
        };
        let done = renderer.submit(&segment)?;
        if args.verify {
            verify::verify_segment(&segment, commands, &header.readback_digests, &done)?;
        }
        for bytes in done.iter() {
            if let Some(dir) = &args.dump_readbacks {
                let path = dir.join(format!("readback-{}.bin", readbacks.len()));
                std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
            }
            readbacks.push((bytes.len(), digest(bytes)));
        }
        commands += segment.list().len();
        frames += segment.list().frames();
        upload_bytes += segment.list().upload_bytes();
        segments += 1;
    }
    renderer.finish();
    let seconds = started.elapsed().as_secs_f64();
    if args.verify && truncated.is_none() && readbacks.len() != header.readback_digests.len() {
        return Err(verify::VerifyError::Count {
            expected: header.readback_digests.len(),
            actual: readbacks.len(),
        }
        .into());
    }
    if let Some(path) = &args.screenshot {
        let (width, height, pixels) = renderer.read_framebuffer_in_use()?;
        gltape::image::write_png(path, width, height, &pixels)?;
    }
    let gbps = if seconds > 0.0 {
        upload_bytes as f64 / seconds / 1e9
    } else {
        0.0
    };
    if args.json {
        let readbacks: Vec<_> = (readbacks.iter().enumerate())
            .map(|(index, (size, sha))| {
                serde_json::json!({"index": index, "size": size, "sha256": hex(sha)})
            })
            .collect();
        out.json(&serde_json::json!({
            "trace": args.trace.display().to_string(),
            "renderer": renderer.info().renderer,
            "backend": backend_name(&renderer),
            "mapped": true,
            "segments": segments,
            "commands": commands,
            "frames": frames,
            "loops": 1,
            "upload_bytes": upload_bytes,
            "seconds": seconds,
            "upload_gbps": gbps,
            "verified": args.verify,
            "readbacks": readbacks,
            "incomplete": header.incomplete,
        }))?;
    } else {
        out.line(&format!(
            "{}: {commands} commands, {frames} frames, read mapped in {segments} segment(s) on {} ({})",
            args.trace.display(),
            renderer.info().renderer,
            backend_name(&renderer)
        ))?;
        out.line(&format!(
            "uploaded {upload_bytes} bytes in {seconds:.4} s: {gbps:.2} GB/s (reading and checking the file included)"
        ))?;
        let verified = if args.verify {
            ", all digests verified"
        } else {
            ""
        };
        out.line(&format!("{} readback(s){verified}", readbacks.len()))?;
        incomplete_lines(&header, out)?;
    }
    match truncated {
        Some(cut) => Err(format!("replayed the complete chunks, then: {cut}").into()),
        None => Ok(()),
    }
}

/// Says that a trace is incomplete and what it lacks, one line each (nothing for a complete
/// trace).
fn incomplete_lines(header: &trace::TraceHeader, out: &mut Stdout) -> Result {
    if header.is_incomplete() {
        out.line(&format!(
            "INCOMPLETE: the program that made this trace did {} thing(s) the trace lacks:",
            header.incomplete.len()
        ))?;
        for line in &header.incomplete {
            out.line(&format!("  {line}"))?;
        }
    }
    Ok(())
}

/// Prints the KHR_debug messages of the last replay: one line each (JSON lines with --json)
/// on stderr, so that stdout keeps the report.
fn print_debug_messages(renderer: &mut Renderer, json: bool) {
    let (messages, dropped) = renderer.take_debug_messages();
    for message in &messages {
        if json {
            let line = serde_json::json!({
                "debug": {"index": message.index, "type": message.kind_name(),
                          "id": message.id, "severity": message.severity, "text": message.text}
            });
            if let Ok(line) = json_line(&line) {
                let _ = io::stderr().lock().write_all(&line);
            }
        } else {
            eprint_line(&format!("gltape: debug: {message}"));
        }
    }
    if dropped > 0 {
        eprint_line(&format!(
            "gltape: debug: {dropped} more messages were dropped"
        ));
    }
}

fn info(path: &Path, json: bool, out: &mut Stdout) -> Result {
    let (trace, truncated) = load(path)?;
    let header = &trace.header;
    let mut counts = std::collections::BTreeMap::new();
    for command in trace.list.commands() {
        *counts.entry(command.name()).or_insert(0u64) += 1;
    }
    let payload = trace.list.payload_bytes().len();
    if json {
        let report = serde_json::json!({
            "generator": header.generator,
            "gl_version": format!("{}.{}", header.gl_version.0, header.gl_version.1),
            "label": header.label,
            "frames": trace.list.frames(),
            "commands": trace.list.len(),
            "commands_by_kind": counts,
            "payload_bytes": payload,
            "upload_bytes": trace.list.upload_bytes(),
            "readback_digests": header.readback_digests.iter().map(|d| hex(d)).collect::<Vec<_>>(),
            "truncated": truncated.as_ref().map(ToString::to_string),
            "incomplete": header.incomplete,
        });
        out.json(&report)?;
    } else {
        out.line(&path.display().to_string())?;
        out.line(&format!("  generator      {}", header.generator))?;
        out.line(&format!(
            "  GL version     {}.{}",
            header.gl_version.0, header.gl_version.1
        ))?;
        out.line(&format!("  label          {:?}", header.label))?;
        out.line(&format!("  frames         {}", trace.list.frames()))?;
        out.line(&format!("  commands       {}", trace.list.len()))?;
        for (name, count) in &counts {
            out.line(&format!("    {name:<26} {count}"))?;
        }
        out.line(&format!("  payload bytes  {payload}"))?;
        out.line(&format!("  upload bytes   {}", trace.list.upload_bytes()))?;
        out.line(&format!(
            "  readbacks      {} digests",
            header.readback_digests.len()
        ))?;
        if let Some(cut) = &truncated {
            out.line(&format!("  TRUNCATED      {cut}"))?;
        }
        incomplete_lines(header, out)?;
    }
    Ok(())
}

fn dump(path: &Path, out: &mut Stdout) -> Result {
    let (trace, truncated) = load(path)?;
    gltape::text::dump_trace(&trace, &mut out.0).map_err(|error| -> Box<dyn Error> {
        match error.kind() {
            // A corrupt command, named by its index.
            io::ErrorKind::InvalidData => error.into(),
            _ => StdoutError(error).into(),
        }
    })?;
    match truncated {
        Some(cut) => Err(cut.into()),
        None => Ok(()),
    }
}

fn assemble(text: &Path, output: &Path, payloads: Option<&Path>) -> Result {
    let file = std::fs::File::open(text).map_err(|e| format!("{}: {e}", text.display()))?;
    let source = gltape::text::read(file, &gltape::text::TextLimits::default())
        .map_err(|e| format!("{}: {e}", text.display()))?;
    let payloads = payloads.map(read_payloads).transpose()?;
    let trace = gltape::text::assemble_trace(&source, payloads.as_deref())
        .map_err(|e| format!("{}: {e}", text.display()))?;
    trace::save(&trace, output)?;
    Ok(())
}

/// The bytes of a payload file, refused past 16 GiB (the longest text) and read into memory
/// allocated fallibly.
fn read_payloads(path: &Path) -> Result<Vec<u8>> {
    use std::io::Read;
    const LIMIT: u64 = 16 << 30;
    let context = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
    let file = std::fs::File::open(path).map_err(|e| context(&e))?;
    let len = file.metadata().map_err(|e| context(&e))?.len();
    if len > LIMIT {
        return Err(context(&format!(
            "{len} bytes, more than a payload file may hold ({LIMIT})"
        ))
        .into());
    }
    let mut bytes = Vec::new();
    bytes
        .try_reserve_exact(len as usize)
        .map_err(|_| context(&format!("could not allocate {len} bytes to read it")))?;
    file.take(LIMIT)
        .read_to_end(&mut bytes)
        .map_err(|e| context(&e))?;
    Ok(bytes)
}

fn record(
    scene: Scene,
    output: &Path,
    size: u64,
    frames: u32,
    label: &str,
    out: &mut Stdout,
) -> Result {
    let mut capture = Capture::headless()?;
    capture.record(|rec| scene.record(rec, size, frames))?;
    let label = if label.is_empty() {
        scene.name()
    } else {
        label
    };
    trace::save(&capture.into_trace(label), output)?;
    out.line(&format!(
        "recorded {} to {}",
        scene.name(),
        output.display()
    ))?;
    Ok(())
}
