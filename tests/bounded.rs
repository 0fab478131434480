//! Traces replayed segment by segment from a mapped file (`trace::SegmentReader`): the same
//! readbacks as a whole-list replay, and a peak resident memory bounded by a segment rather
//! than by the file. Real GL (Mesa llvmpipe, headless).

use gltape::trace::{self, DecodeLimits, EncodeOptions, SegmentReader, Trace, TraceError};
use gltape::{BufferId, QueryKinds, QueryResult, Readbacks, Recorder, Renderer};
use std::path::{Path, PathBuf};

/// A fresh path in the temporary directory.
fn temp_path(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!(
        "gltape-bounded-{name}-{}.gltrace",
        std::process::id()
    ))
}

/// `frames` frames of orphan + full write of `size` distinct bytes to one buffer, a read of
/// the buffer every `read_every` frames and at the end.
fn streaming(frames: u32, size: usize, read_every: u32) -> (Recorder, BufferId) {
    let mut rec = Recorder::new();
    let buf = rec.buffer_reserve(size as u64, true).unwrap();
    let mut bytes = vec![0u8; size];
    for frame in 0..frames {
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = (i as u32)
                .wrapping_mul(31)
                .wrapping_add(frame.wrapping_mul(7)) as u8;
        }
        rec.orphan(buf, None).unwrap();
        rec.write(buf, 0, &bytes).unwrap();
        if frame % read_every == read_every - 1 {
            rec.read(buf, Some(64), (frame as u64 * 64) % (size as u64 - 64))
                .unwrap();
        }
        rec.end_frame();
    }
    rec.read(buf, None, 0).unwrap();
    (rec, buf)
}

/// Replays every segment of the file at `path` on `renderer`; all readbacks in id order.
fn replay_segments(renderer: &mut Renderer, path: &Path) -> Result<Vec<Vec<u8>>, TraceError> {
    // SAFETY: the tests' own files, not changed while they are read.
    let reader = unsafe { SegmentReader::open(path, &DecodeLimits::default()) }?;
    let mut reads = Vec::new();
    for segment in reader {
        let segment = segment?;
        let readbacks = renderer.submit(&segment).expect("submit");
        assert_eq!(readbacks.len(), segment.readbacks().len());
        reads.extend(collect(&readbacks));
    }
    Ok(reads)
}

fn collect(readbacks: &Readbacks) -> Vec<Vec<u8>> {
    readbacks.iter().map(<[u8]>::to_vec).collect()
}

#[test]
fn segments_read_back_what_the_whole_list_does() {
    let (mut rec, buf) = streaming(12, 4096, 3);
    // A query that runs across chunk ends keeps its chunks in one segment.
    let query = rec
        .query(QueryKinds {
            primitives: true,
            ..QueryKinds::default()
        })
        .unwrap();
    rec.begin_query(query).unwrap();
    for i in 0..5u8 {
        rec.write(buf, 0, &[i; 100]).unwrap();
    }
    rec.end_query(query).unwrap();
    rec.read_query(query, QueryResult::Primitives).unwrap();
    rec.read(buf, Some(128), 0).unwrap();
    let list = rec.finish();
    let mut renderer = Renderer::headless().expect("headless OpenGL 4.5 context");
    let whole = renderer.replay(&list).unwrap();
    let expected = collect(&whole);

    let path = temp_path("same");
    let options = EncodeOptions {
        commands_per_chunk: 2,
        ..EncodeOptions::default()
    };
    trace::save_with(&Trace::new(list, "segments", Vec::new()), &path, &options).unwrap();
    let reads = replay_segments(&mut renderer, &path);
    std::fs::remove_file(&path).unwrap();
    assert_eq!(reads.unwrap(), expected);
}

#[test]
fn damage_stops_the_segments_at_the_chunk_it_is_in() {
    let list = streaming(8, 1024, 4).0.finish();
    let path = temp_path("damage");
    let options = EncodeOptions {
        commands_per_chunk: 3,
        ..EncodeOptions::default()
    };
    trace::save_with(&Trace::new(list, "damage", Vec::new()), &path, &options).unwrap();
    let mut bytes = std::fs::read(&path).unwrap();
    // Damage frame 5's payload, in place in its chunk's payload span.
    let frame_5: Vec<u8> = (0..1024u32).map(|i| (i * 31 + 35) as u8).collect();
    let at = bytes.windows(1024).position(|w| w == frame_5).unwrap();
    bytes[at + 500] ^= 1;
    std::fs::write(&path, &bytes).unwrap();
    let mut renderer = Renderer::headless().expect("headless OpenGL 4.5 context");
    let err = replay_segments(&mut renderer, &path).unwrap_err();
    assert!(
        matches!(&err, TraceError::Checksum { what, .. } if what.ends_with("payload span")),
        "{err}"
    );
    // Cut inside the last chunk: a truncation error after the whole segments.
    bytes[at + 500] ^= 1;
    std::fs::write(&path, &bytes[..bytes.len() - 200]).unwrap();
    let err = replay_segments(&mut renderer, &path).unwrap_err();
    assert!(matches!(err, TraceError::Truncated { .. }), "{err}");
    std::fs::remove_file(&path).unwrap();
}

/// The peak resident memory of this process (VmHWM), in bytes.
fn peak_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    let kib: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kib << 10
}

/// The child side of the peak-memory tests: replays the trace `GLTAPE_BOUNDED_TRACE` names in
/// segments and prints its peak resident memory. Does nothing without the variable.
#[test]
#[ignore = "run by the peak-memory tests in a process of its own"]
fn bounded_child() {
    let Some(path) = std::env::var_os("GLTAPE_BOUNDED_TRACE") else {
        return;
    };
    let mut renderer = Renderer::headless().expect("headless OpenGL 4.5 context");
    let before = peak_rss();
    let started = std::time::Instant::now();
    let reads = replay_segments(&mut renderer, Path::new(&path)).unwrap();
    renderer.finish();
    // SAFETY: as in replay_segments.
    let header = unsafe { SegmentReader::open(&path, &DecodeLimits::default()) }
        .unwrap()
        .header()
        .clone();
    let digests: Vec<[u8; 32]> = reads.iter().map(|r| trace::digest(r)).collect();
    assert_eq!(
        digests, header.readback_digests,
        "the readbacks of the trace"
    );
    println!(
        "BOUNDED before={before} peak={} seconds={:.2}",
        peak_rss(),
        started.elapsed().as_secs_f64()
    );
}

/// Writes a streaming trace of `frames` frames of `size` bytes to `path` (with the digests of
/// its reads, from a whole-list replay); returns the file's length.
fn write_streaming_trace(path: &Path, frames: u32, size: usize) -> u64 {
    let list = streaming(frames, size, frames).0.finish();
    let mut renderer = Renderer::headless().expect("headless OpenGL 4.5 context");
    let readbacks = renderer.replay(&list).unwrap();
    let digests = readbacks.iter().map(trace::digest).collect();
    trace::save(&Trace::new(list, "bounded", digests), path).unwrap();
    std::fs::metadata(path).unwrap().len()
}

/// Runs `bounded_child` on `path` in a child process: its peak resident memory before and
/// after the replay, and the replay's seconds.
fn child_peak(path: &Path) -> (u64, u64, f64) {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["bounded_child", "--exact", "--ignored", "--nocapture"])
        .env("GLTAPE_BOUNDED_TRACE", path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = stdout.lines().find(|l| l.starts_with("BOUNDED ")).unwrap();
    let field = |name: &str| {
        line.split_whitespace()
            .find_map(|f| f.strip_prefix(name))
            .unwrap()
            .to_owned()
    };
    (
        field("before=").parse().unwrap(),
        field("peak=").parse().unwrap(),
        field("seconds=").parse().unwrap(),
    )
}

/// A 256 MiB trace (256 frames of 1 MiB) replays in segments with a peak resident memory far
/// below the file's size: what a GL process holds anyway plus a few segments.
#[test]
fn a_256_mib_trace_replays_in_bounded_memory() {
    let path = temp_path("256mib");
    let len = write_streaming_trace(&path, 256, 1 << 20);
    let (before, peak, seconds) = child_peak(&path);
    std::fs::remove_file(&path).unwrap();
    println!(
        "256 MiB trace ({len} bytes): peak RSS {} MiB ({} MiB before the replay), {seconds:.2} s",
        peak >> 20,
        before >> 20
    );
    assert!(
        peak < len / 2,
        "peak RSS {peak} bytes for a {len}-byte trace"
    );
    assert!(
        peak - before < 32 << 20,
        "the replay added {} bytes",
        peak - before
    );
}

/// The same for a 4 GiB trace (4096 frames of 1 MiB): run by hand
/// (`cargo test --test bounded -- --ignored four_gib --nocapture`); it needs 8 GiB of memory to
/// record and 4 GiB of disk, deleted afterwards.
#[test]
#[ignore = "writes a 4 GiB file; run by hand"]
fn a_4_gib_trace_replays_in_bounded_memory() {
    let path = temp_path("4gib");
    let len = write_streaming_trace(&path, 4096, 1 << 20);
    let result = std::panic::catch_unwind(|| child_peak(&path));
    std::fs::remove_file(&path).unwrap();
    let (before, peak, seconds) = result.unwrap();
    println!(
        "4 GiB trace ({len} bytes): peak RSS {} MiB ({} MiB before the replay), {seconds:.2} s",
        peak >> 20,
        before >> 20
    );
    assert!(
        peak < 256 << 20,
        "peak RSS {peak} bytes for a {len}-byte trace"
    );
}
