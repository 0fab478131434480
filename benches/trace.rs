//! Trace files: `trace/encode`, `trace/decode` and `trace/load_and_replay` on the committed
//! stream traces (traces/stream-1mib.gltrace, traces/stream-64kib.gltrace), and `trace/memcpy`,
//! a memcpy of the same number of bytes (the reference for decoding). Throughput is the
//! trace's payload bytes.
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
    bytes: Vec<u8>,
    trace: trace::Trace,
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
            Some(Loaded {
                name,
                path,
                bytes,
                trace: decoded.trace,
            })
        })
        .collect()
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
    for t in &loaded {
        group.throughput(Throughput::BytesDecimal(t.trace.header.payload_bytes));
        group.bench_function(BenchmarkId::from_parameter(t.name), |b| {
            b.iter(|| trace::decode(black_box(&t.bytes), &limits).expect("decode"));
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
