//! Buffer streaming throughput at 64 KiB, 1 MiB, 16 MiB and 64 MiB, all in one run so that
//! the ratios between them are fair:
//!
//! - `stream/physical`: the ceilings without GL — memcpy into a warm destination (from one
//!   source, and from K distinct sources like the GL rows), and alloc + memset + memcpy +
//!   free (what orphaning costs on llvmpipe);
//! - `stream/gl_direct`: hand-written GL, no gltape — six ways to stream a buffer;
//! - `stream/record`: recording orphan + write with a reused `Recorder` (no GL);
//! - `stream/replay`: replaying K frames of orphan + write with each `StreamStrategy`, the
//!   same frames in steady state (`faithful_steady`, `fold_steady`, `ring_steady`, as issue
//!   16's goals count them: looped on resident objects with `ReplayOptions::loops`, the first
//!   pass, which creates the buffer's storage and ring and pays the first page faults, left
//!   out), and the per-replay setup of that list (`setup/..`).
//!
//! GL benches stream K = max(1, 16 MiB / size) frames per iteration, each frame from its own
//! source buffer (as a recorded list holds one payload per frame), and end with glFinish
//! inside the timed region. `GLTAPE_BENCH_QUICK=1` measures 64 KiB and 1 MiB only, briefly.

mod common;

use common::AlignedBuf;
use criterion::{BenchmarkId, Criterion, Throughput};
use gltape::gl::{self, types::*, Gl};
use gltape::{Recorder, Renderer, ReplayOptions, StreamStrategy};
use std::cell::Cell;
use std::hint::black_box;
use std::time::{Duration, Instant};

fn main() {
    let mut c = common::criterion();
    let mut renderer = common::renderer();
    // Size by size, so that the rows compared with each other (replay against hand-written GL
    // and memcpy) are measured seconds apart rather than minutes: this machine's noise drifts.
    for &size in common::sizes() {
        physical(&mut c, size);
        gl_direct(&mut c, &renderer, size);
        record(&mut c, size);
        replay(&mut c, &mut renderer, size);
    }
    c.final_summary();
}

/// K source frames of `size` bytes, the payloads the GL benches upload.
fn source_frames(size: usize) -> Vec<AlignedBuf> {
    (0..common::frames_per_iter(size))
        .map(|frame| AlignedBuf::frame(frame as u32, size))
        .collect()
}

fn physical(c: &mut Criterion, size: usize) {
    let mut group = c.benchmark_group("stream/physical");
    let label = common::size_label(size);
    common::configure_for_size(&mut group, size);
    group.throughput(Throughput::BytesDecimal(size as u64));
    let src = AlignedBuf::frame(0, size);
    let mut dst = AlignedBuf::zeroed(size);
    group.bench_function(BenchmarkId::new("memcpy", &label), |b| {
        b.iter(|| {
            dst.as_mut_slice()
                .copy_from_slice(black_box(src.as_slice()));
            black_box(dst.as_slice().as_ptr());
        });
    });
    // The same copies from K distinct sources, as many as a replayed list's payloads
    // (16 MiB or more): the memcpy ceiling for the GL and replay rows' footprint.
    let sources = source_frames(size);
    group.throughput(Throughput::BytesDecimal((size * sources.len()) as u64));
    group.bench_function(BenchmarkId::new("memcpy_frames", &label), |b| {
        b.iter(|| {
            for source in &sources {
                dst.as_mut_slice()
                    .copy_from_slice(black_box(source.as_slice()));
                black_box(dst.as_slice().as_ptr());
            }
        });
    });
    drop(sources);
    group.throughput(Throughput::BytesDecimal(size as u64));
    let layout = std::alloc::Layout::from_size_align(size, 64).expect("a valid layout");
    group.bench_function(BenchmarkId::new("alloc_memset_memcpy_free", &label), |b| {
        b.iter(|| {
            // SAFETY: `layout` has a non-zero size; the allocation is checked for null,
            // written only within its `size` bytes (which `src` also holds), and freed
            // with the same layout.
            unsafe {
                let ptr = std::alloc::alloc(layout);
                if ptr.is_null() {
                    std::alloc::handle_alloc_error(layout);
                }
                std::ptr::write_bytes(ptr, 0, size);
                std::ptr::copy_nonoverlapping(black_box(src.as_slice()).as_ptr(), ptr, size);
                // Keeps the optimiser from removing the allocation and its writes.
                black_box(ptr);
                std::alloc::dealloc(ptr, layout);
            }
        });
    });
    group.finish();
}

/// The hand-written streaming methods of `stream/gl_direct`.
#[derive(Clone, Copy)]
enum Method {
    /// glNamedBufferData(NULL) then glNamedBufferSubData: what faithful replay issues.
    OrphanSubData,
    /// glNamedBufferSubData alone (the driver must keep the old contents' readers safe).
    SubData,
    /// glNamedBufferData with the data pointer: orphan and upload in one call.
    BufferData,
    /// glMapNamedBufferRange(WRITE | INVALIDATE_BUFFER) + memcpy + unmap.
    MapInvalidate,
    /// A buffer of RING_SLOTS slots mapped WRITE | UNSYNCHRONIZED | INVALIDATE_RANGE slot by
    /// slot, a fence per slot waited for before the slot is reused.
    UnsyncRing,
    /// Immutable storage mapped once WRITE | PERSISTENT | COHERENT; memcpy into successive
    /// slots, a fence per slot.
    PersistentRing,
}

impl Method {
    const ALL: [Method; 6] = [
        Method::OrphanSubData,
        Method::SubData,
        Method::BufferData,
        Method::MapInvalidate,
        Method::UnsyncRing,
        Method::PersistentRing,
    ];

    /// The bench id's function part (scripts/bench-report knows these names).
    fn name(self) -> &'static str {
        match self {
            Method::OrphanSubData => "orphan_subdata",
            Method::SubData => "subdata",
            Method::BufferData => "bufferdata",
            Method::MapInvalidate => "map_invalidate",
            Method::UnsyncRing => "unsync_ring",
            Method::PersistentRing => "persistent_ring",
        }
    }
}

const RING_SLOTS: usize = 4;

/// One GL buffer streamed with one [`Method`]; deletes its GL objects when dropped.
struct DirectStream<'a> {
    gl: &'a Gl,
    method: Method,
    size: usize,
    buffer: GLuint,
    /// The persistent mapping (persistent ring only).
    mapped: *mut u8,
    fences: [Option<GLsync>; RING_SLOTS],
    next_slot: usize,
}

impl<'a> DirectStream<'a> {
    fn new(gl: &'a Gl, method: Method, size: usize) -> Self {
        let ring = matches!(method, Method::UnsyncRing | Method::PersistentRing);
        let storage = if ring { size * RING_SLOTS } else { size };
        let (buffer, mapped) = match method {
            Method::PersistentRing => {
                let flags = gl::MAP_WRITE_BIT | gl::MAP_PERSISTENT_BIT | gl::MAP_COHERENT_BIT;
                let mut name = 0;
                // SAFETY: `name` is valid for one GLuint; immutable storage of `storage`
                // bytes is created and mapped whole with the flags it was created with; the
                // pointer is checked for null and used only while the mapping lives.
                let ptr = unsafe {
                    gl.CreateBuffers(1, &mut name);
                    gl.NamedBufferStorage(name, storage as GLsizeiptr, std::ptr::null(), flags);
                    gl.MapNamedBufferRange(name, 0, storage as GLsizeiptr, flags)
                };
                assert!(!ptr.is_null(), "persistent mapping failed");
                (name, ptr.cast::<u8>())
            }
            _ => (
                common::create_buffer(gl, storage, gl::DYNAMIC_DRAW),
                std::ptr::null_mut(),
            ),
        };
        common::assert_no_gl_error(gl, method.name());
        DirectStream {
            gl,
            method,
            size,
            buffer,
            mapped,
            fences: [None; RING_SLOTS],
            next_slot: 0,
        }
    }

    /// Streams one frame of `data` (exactly `size` bytes).
    fn upload(&mut self, data: &[u8]) {
        assert_eq!(data.len(), self.size);
        let (gl, name, size) = (self.gl, self.buffer, self.size as GLsizeiptr);
        let src = data.as_ptr();
        match self.method {
            // SAFETY (all arms): `name` is a live buffer of at least `size` bytes (RING_SLOTS
            // times that for the rings) and `src` points to `size` readable bytes. Mapped
            // pointers are checked for null and written within the mapped range only.
            Method::OrphanSubData => unsafe {
                gl.NamedBufferData(name, size, std::ptr::null(), gl::DYNAMIC_DRAW);
                gl.NamedBufferSubData(name, 0, size, src.cast());
            },
            Method::SubData => unsafe { gl.NamedBufferSubData(name, 0, size, src.cast()) },
            Method::BufferData => unsafe {
                gl.NamedBufferData(name, size, src.cast(), gl::DYNAMIC_DRAW)
            },
            Method::MapInvalidate => unsafe {
                let flags = gl::MAP_WRITE_BIT | gl::MAP_INVALIDATE_BUFFER_BIT;
                let ptr = gl.MapNamedBufferRange(name, 0, size, flags);
                assert!(!ptr.is_null(), "map failed");
                std::ptr::copy_nonoverlapping(src, ptr.cast::<u8>(), self.size);
                assert!(gl.UnmapNamedBuffer(name) == gl::TRUE, "unmap failed");
            },
            Method::UnsyncRing => {
                let offset = self.claim_slot();
                // SAFETY: see above; the slot's fence was waited for, so GL no longer reads
                // the range being overwritten.
                unsafe {
                    let flags = gl::MAP_WRITE_BIT
                        | gl::MAP_UNSYNCHRONIZED_BIT
                        | gl::MAP_INVALIDATE_RANGE_BIT;
                    let ptr = gl.MapNamedBufferRange(name, offset as GLintptr, size, flags);
                    assert!(!ptr.is_null(), "map failed");
                    std::ptr::copy_nonoverlapping(src, ptr.cast::<u8>(), self.size);
                    assert!(gl.UnmapNamedBuffer(name) == gl::TRUE, "unmap failed");
                }
                self.fence_slot();
            }
            Method::PersistentRing => {
                let offset = self.claim_slot();
                // SAFETY: the mapping covers RING_SLOTS * size bytes and `offset` starts a
                // slot; its fence was waited for, so GL no longer reads it.
                unsafe { std::ptr::copy_nonoverlapping(src, self.mapped.add(offset), self.size) };
                self.fence_slot();
            }
        }
    }

    /// Waits for the next ring slot's fence, if any; returns the slot's byte offset.
    fn claim_slot(&mut self) -> usize {
        if let Some(fence) = self.fences[self.next_slot].take() {
            common::wait_and_delete(self.gl, fence);
        }
        self.next_slot * self.size
    }

    /// Fences the slot just written and moves to the next one.
    fn fence_slot(&mut self) {
        // SAFETY: plain GL call; the sync object is deleted once waited for.
        let fence = unsafe { self.gl.FenceSync(gl::SYNC_GPU_COMMANDS_COMPLETE, 0) };
        assert!(!fence.is_null(), "glFenceSync failed");
        self.fences[self.next_slot] = Some(fence);
        self.next_slot = (self.next_slot + 1) % RING_SLOTS;
    }
}

impl Drop for DirectStream<'_> {
    fn drop(&mut self) {
        for fence in self.fences.iter_mut().filter_map(Option::take) {
            common::wait_and_delete(self.gl, fence);
        }
        if !self.mapped.is_null() {
            // SAFETY: the buffer is mapped (persistently) and not used after this.
            unsafe { self.gl.UnmapNamedBuffer(self.buffer) };
        }
        common::delete_buffer(self.gl, self.buffer);
    }
}

fn gl_direct(c: &mut Criterion, renderer: &Renderer, size: usize) {
    let gl = renderer.gl();
    let mut group = c.benchmark_group("stream/gl_direct");
    let label = common::size_label(size);
    let sources = source_frames(size);
    common::configure_for_size(&mut group, size);
    group.throughput(Throughput::BytesDecimal((size * sources.len()) as u64));
    for method in Method::ALL {
        let mut stream = DirectStream::new(gl, method, size);
        group.bench_function(BenchmarkId::new(method.name(), &label), |b| {
            b.iter(|| {
                for source in &sources {
                    stream.upload(source.as_slice());
                }
                // SAFETY: no arguments; the context is current.
                unsafe { gl.Finish() };
            });
        });
        common::assert_no_gl_error(gl, method.name());
    }
    group.finish();
}

fn record(c: &mut Criterion, size: usize) {
    let mut group = c.benchmark_group("stream/record");
    let label = common::size_label(size);
    common::configure_for_size(&mut group, size);
    group.throughput(Throughput::BytesDecimal(size as u64));
    let data = AlignedBuf::frame(0, size);
    let mut rec = Recorder::new();
    group.bench_function(BenchmarkId::new("orphan_write", &label), |b| {
        b.iter(|| {
            rec.reset();
            let buf = rec.buffer_reserve(size as u64, true).expect("reserve");
            rec.orphan(buf, None).expect("orphan");
            rec.write(buf, 0, black_box(data.as_slice()))
                .expect("write");
            black_box(rec.list().len());
        });
    });
    group.finish();
}

const STRATEGIES: [(&str, StreamStrategy); 3] = [
    ("faithful", StreamStrategy::Faithful),
    ("fold", StreamStrategy::Fold),
    ("ring", StreamStrategy::Ring),
];

fn replay(c: &mut Criterion, renderer: &mut Renderer, size: usize) {
    let mut group = c.benchmark_group("stream/replay");
    let label = common::size_label(size);
    let frames = common::frames_per_iter(size);
    common::configure_for_size(&mut group, size);

    // Frame 0 reserves the buffer (untimed setup); frames 1..=K orphan + write it.
    let mut rec = Recorder::new();
    let buf = rec.buffer_reserve(size as u64, true).expect("reserve");
    rec.end_frame();
    for frame in 0..frames {
        rec.orphan(buf, None).expect("orphan");
        rec.write(buf, 0, &gltape::scene::frame_bytes(frame as u32, size))
            .expect("write");
        rec.end_frame();
    }
    let list = rec.finish();
    let validated = list.validate().expect("a valid list");
    let timed = 1..list.frames();

    group.throughput(Throughput::BytesDecimal((size * frames) as u64));
    for (name, stream) in STRATEGIES {
        group.bench_function(BenchmarkId::new(name, &label), |b| {
            // The renderer times the streaming frames itself (glFinish included) and the
            // setup apart: creating the buffer is not part of these numbers.
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let mut options = ReplayOptions {
                        stream,
                        frames: Some(timed.clone()),
                        ..Default::default()
                    };
                    let replay = renderer
                        .replay_with(&validated, &mut options)
                        .expect("replay");
                    total += replay.stats.elapsed;
                }
                total
            });
        });
    }

    // Steady state: `iters + 1` passes of the timed frames on resident objects, timed from
    // the end of the first pass's last frame (the progress report) to the replay's return,
    // which ends with glFinish.
    let per_pass = frames as u32;
    for (name, stream) in STRATEGIES {
        group.bench_function(BenchmarkId::new(format!("{name}_steady"), &label), |b| {
            b.iter_custom(|iters| {
                let first_pass_done = Cell::new(None);
                let mut progress = |frame: u32| {
                    if frame == per_pass {
                        first_pass_done.set(Some(Instant::now()));
                    }
                };
                let mut options = ReplayOptions {
                    stream,
                    frames: Some(timed.clone()),
                    loops: u32::try_from(iters).expect("iterations fit u32") + 1,
                    progress: Some(&mut progress),
                    ..Default::default()
                };
                let replay = renderer
                    .replay_with(&validated, &mut options)
                    .expect("replay");
                let end = Instant::now();
                assert!(replay.stats.resident, "the passes run on resident objects");
                end - first_pass_done.get().expect("the first pass ended")
            });
        });
    }

    // What each replay pays before streaming: create, zero-fill and (next time) delete
    // the buffer, glFinish included. Throughput here is the reserved size.
    let mut rec = Recorder::new();
    rec.buffer_reserve(size as u64, true).expect("reserve");
    rec.end_frame();
    let setup_list = rec.finish();
    let setup = setup_list.validate().expect("a valid list");
    group.throughput(Throughput::BytesDecimal(size as u64));
    group.bench_function(BenchmarkId::new("setup", &label), |b| {
        b.iter(|| {
            renderer
                .replay_with(&setup, &mut ReplayOptions::default())
                .expect("replay");
            renderer.finish();
        });
    });
    group.finish();
}
