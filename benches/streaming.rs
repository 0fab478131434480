//! Buffer streaming throughput: recording and replaying 1 MiB orphan+write, side by side with
//! a plain memcpy of the same bytes (the physical ceiling), in one criterion group.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use gltape::{scene, Recorder, Renderer};
use std::hint::black_box;

const SIZE: usize = 1 << 20;
/// Frames per replayed list, so that creating the buffer is a small share of each sample.
const FRAMES: u32 = 16;

fn stream(c: &mut Criterion) {
    let data = scene::frame_bytes(0, SIZE);
    let mut group = c.benchmark_group("stream");
    group.throughput(Throughput::BytesDecimal(SIZE as u64));

    let mut dst = vec![0u8; SIZE];
    group.bench_function("memcpy_1MiB", |b| {
        b.iter(|| dst.copy_from_slice(black_box(&data)));
    });

    let mut rec = Recorder::new();
    group.bench_function("record_orphan_write_1MiB", |b| {
        b.iter(|| {
            rec.reset();
            let buf = rec.buffer_reserve(SIZE as u64, true).unwrap();
            rec.orphan(buf, None).unwrap();
            rec.write(buf, 0, black_box(&data)).unwrap();
        });
    });

    let mut rec = Recorder::new();
    let buf = rec.buffer_reserve(SIZE as u64, true).unwrap();
    for _ in 0..FRAMES {
        rec.orphan(buf, None).unwrap();
        rec.write(buf, 0, &data).unwrap();
    }
    let list = rec.finish();
    let list = list.validate().unwrap();
    let mut renderer = Renderer::headless().unwrap();
    group.throughput(Throughput::BytesDecimal(SIZE as u64 * u64::from(FRAMES)));
    group.bench_function("replay_orphan_write_1MiB_x16", |b| {
        b.iter(|| {
            renderer.replay_validated(&list).unwrap();
            renderer.finish();
        });
    });
    group.finish();
}

criterion_group!(benches, stream);
criterion_main!(benches);
