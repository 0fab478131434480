//! Trace files: `trace/encode`, `trace/decode` and `trace/load_and_replay` on the committed
//! stream traces (traces/stream-1mib.gltrace, traces/stream-64kib.gltrace), and `trace/memcpy`,
//! a memcpy of the same number of bytes (the reference for decoding). Throughput is the
//! trace's payload bytes.
//!
//! The committed traces are format 4 (`trace/decode`: CRC-32 and copy of every payload byte).
//! The same traces re-encoded as format 5 (the current one) are decoded three ways:
//! `trace/decode_v5`, from a slice in memory (payloads copied and checked);
//! `trace/load_mapped`, from the file mapped (open, mmap, decode of commands and tables,
//! munmap: payloads used in place, not touched); `trace/load_mapped_validate`, the same plus
//! `validate`, which compares the payload checksums (what a replay pays before its first
//! command). A generated `stream-64mib` (4 frames of 16 MiB, larger than the caches) joins
//! every group but `trace/decode`.
//!
//! load_and_replay is what `gltape replay FILE` does: read the file, decode, validate,
//! replay (faithful, every frame, the program compile and final reads included) and glFinish.

mod common;

use criterion::{BenchmarkId, Criterion, Throughput};
use gltape::trace::{self, DecodeLimits, EncodeOptions};
use gltape::{Renderer, ReplayOptions};
use std::hint::black_box;
use std::path::PathBuf;

/// The committed traces measured, by bench parameter.
const TRACES: [(&str, &str); 2] = [
    ("stream-1mib", "traces/stream-1mib.gltrace"),
    ("stream-64kib", "traces/stream-64kib.gltrace"),
];

fn main() {
    let mut c = common::criterion();
    let mut renderer = common::renderer();
    traces(&mut c, &mut renderer);
    c.final_summary();
}

struct Loaded {
    name: &'static str,
    path: PathBuf,
    /// The file's bytes: format 4 for the committed traces, the current format for the
    /// generated one.
    bytes: Vec<u8>,
    /// A committed trace (format 4)?
    committed: bool,
    trace: trace::Trace,
    /// The trace re-encoded in the current format, and a file holding it.
    current: Vec<u8>,
    current_path: PathBuf,
}

impl Drop for Loaded {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.current_path);
    }
}

fn load_traces() -> Vec<Loaded> {
    let limits = DecodeLimits::default();
    TRACES
        .iter()
        .filter_map(|&(name, relative)| {
            let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(relative);
            let bytes = match std::fs::read(&path) {
                Ok(bytes) => bytes,
                Err(error) => {
                    eprintln!("skipping {name}: {}: {error}", path.display());
                    return None;
                }
            };
            let decoded = trace::decode(&bytes, &limits).expect("a committed trace decodes");
            assert!(decoded.truncated.is_none(), "{name} is truncated");
            let mut current = Vec::new();
            trace::encode_into(&decoded.trace, &mut current, &EncodeOptions::default())
                .expect("encode");
            let current_path = std::env::temp_dir().join(format!(
                "gltape-bench-{name}-{}.gltrace",
                std::process::id()
            ));
            std::fs::write(&current_path, &current).expect("write the re-encoded trace");
            Some(Loaded {
                name,
                path,
                bytes,
                committed: true,
                trace: decoded.trace,
                current,
                current_path,
            })
        })
        .chain(std::iter::once_with(generated))
        .collect()
}

/// The stream scene with 4 frames of 16 MiB, made here (64 MiB: larger than the caches, where
/// memcpy runs at memory speed), saved in the current format.
fn generated() -> Loaded {
    let name = "stream-64mib";
    let mut rec = gltape::Recorder::new();
    gltape::scene::Scene::Stream
        .record(&mut rec, 16 << 20, 4)
        .expect("record the stream scene");
    let trace = trace::Trace::new(rec.finish(), "stream", Vec::new());
    let mut current = Vec::new();
    trace::encode_into(&trace, &mut current, &EncodeOptions::default()).expect("encode");
    let current_path = std::env::temp_dir().join(format!(
        "gltape-bench-{name}-{}.gltrace",
        std::process::id()
    ));
    std::fs::write(&current_path, &current).expect("write the generated trace");
    Loaded {
        name,
        path: current_path.clone(),
        bytes: current.clone(),
        committed: false,
        trace,
        current,
        current_path,
    }
}

fn traces(c: &mut Criterion, renderer: &mut Renderer) {
    let loaded = load_traces();
    let limits = DecodeLimits::default();
    let options = EncodeOptions::default();

    // The reference for decoding: a memcpy of as many bytes as the trace's payload, from
    // the file's bytes into a warm destination.
    let mut group = c.benchmark_group("trace/memcpy");
    for t in &loaded {
        let payload = usize::try_from(t.trace.header.payload_bytes)
            .expect("a payload that fits memory")
            .min(t.bytes.len());
        group.throughput(Throughput::BytesDecimal(payload as u64));
        let mut dst = common::AlignedBuf::zeroed(payload);
        group.bench_function(BenchmarkId::from_parameter(t.name), |b| {
            b.iter(|| {
                dst.as_mut_slice()
                    .copy_from_slice(black_box(&t.bytes[..payload]));
                black_box(dst.as_slice().as_ptr());
            });
        });
    }
    group.finish();

    let mut group = c.benchmark_group("trace/encode");
    for t in &loaded {
        group.throughput(Throughput::BytesDecimal(t.trace.header.payload_bytes));
        let mut out = Vec::new();
        group.bench_function(BenchmarkId::from_parameter(t.name), |b| {
            b.iter(|| {
                trace::encode_into(black_box(&t.trace), &mut out, &options).expect("encode");
                black_box(out.len());
            });
        });
    }
    group.finish();

    let mut group = c.benchmark_group("trace/decode");
    for t in loaded.iter().filter(|t| t.committed) {
        group.throughput(Throughput::BytesDecimal(t.trace.header.payload_bytes));
        group.bench_function(BenchmarkId::from_parameter(t.name), |b| {
            b.iter(|| trace::decode(black_box(&t.bytes), &limits).expect("decode"));
        });
    }
    group.finish();

    let mut group = c.benchmark_group("trace/decode_v5");
    for t in &loaded {
        group.throughput(Throughput::BytesDecimal(t.trace.header.payload_bytes));
        group.bench_function(BenchmarkId::from_parameter(t.name), |b| {
            b.iter(|| trace::decode(black_box(&t.current), &limits).expect("decode"));
        });
    }
    group.finish();

    let mut group = c.benchmark_group("trace/load_mapped");
    for t in &loaded {
        group.throughput(Throughput::BytesDecimal(t.trace.header.payload_bytes));
        group.bench_function(BenchmarkId::from_parameter(t.name), |b| {
            // SAFETY: the bench's own file, unchanged until the bench ends.
            b.iter(|| {
                unsafe { trace::load_mapped(black_box(&t.current_path), &limits) }.expect("load")
            });
        });
    }
    group.finish();

    let mut group = c.benchmark_group("trace/load_mapped_validate");
    for t in &loaded {
        group.throughput(Throughput::BytesDecimal(t.trace.header.payload_bytes));
        group.bench_function(BenchmarkId::from_parameter(t.name), |b| {
            b.iter(|| {
                // SAFETY: the bench's own file, unchanged until the bench ends.
                let decoded = unsafe { trace::load_mapped(black_box(&t.current_path), &limits) }
                    .expect("load");
                decoded.trace.list.validate().map(drop).expect("validate");
            });
        });
    }
    group.finish();

    let mut group = c.benchmark_group("trace/load_and_replay");
    common::configure_heavy(&mut group);
    for t in &loaded {
        group.throughput(Throughput::BytesDecimal(t.trace.header.payload_bytes));
        group.bench_function(BenchmarkId::from_parameter(t.name), |b| {
            b.iter(|| {
                let bytes = std::fs::read(&t.path).expect("read the trace");
                let decoded = trace::decode(&bytes, &limits).expect("decode");
                let list = decoded.trace.list.validate().expect("validate");
                renderer
                    .replay_with(&list, &mut ReplayOptions::default())
                    .expect("replay");
                renderer.finish();
            });
        });
    }
    group.finish();
}
