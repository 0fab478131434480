//! The decoder's memory stays bounded by the input: measured with a counting allocator on
//! valid and hostile files. (One test in its own binary, so no other test allocates meanwhile.)

use gltape::trace::{self, DecodeLimits, Trace, TraceError};
use gltape::Recorder;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator and only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = CURRENT.fetch_add(layout.size(), SeqCst) + layout.size();
        PEAK.fetch_max(now, SeqCst);
        // SAFETY: the caller's layout is passed on unchanged.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        CURRENT.fetch_sub(layout.size(), SeqCst);
        // SAFETY: `ptr` came from `alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Bytes allocated at most while decoding `bytes`, beyond what was live before.
fn peak_while_decoding(bytes: &[u8], limits: &DecodeLimits) -> (usize, Result<(), TraceError>) {
    let before = CURRENT.load(SeqCst);
    PEAK.store(before, SeqCst);
    let result = trace::decode(bytes, limits).map(drop);
    (PEAK.load(SeqCst) - before, result)
}

/// A decoded command takes 32 bytes in memory and at least one in the file; everything else
/// (payloads, names, sources) is at most as large decoded as encoded.
const PER_FILE_BYTE: usize = 32;
const FIXED: usize = 1 << 20;

#[test]
fn decoding_allocates_in_proportion_to_the_file_and_limits_hold() {
    // Many tiny commands: the worst case for expansion.
    let mut rec = Recorder::new();
    let buf = rec.buffer_reserve(64, true).unwrap();
    for _ in 0..20_000 {
        rec.end_frame();
        rec.orphan(buf, None).unwrap();
    }
    rec.write(buf, 0, &[7u8; 64]).unwrap();
    let mut file = Vec::new();
    trace::encode_into(
        &Trace::new(rec.finish(), "tiny commands", Vec::new()),
        &mut file,
        &trace::EncodeOptions::default(),
    )
    .unwrap();
    let limits = DecodeLimits::default();
    let (peak, result) = peak_while_decoding(&file, &limits);
    result.unwrap();
    assert!(
        peak <= PER_FILE_BYTE * file.len() + FIXED,
        "{peak} bytes for a {} byte file",
        file.len()
    );

    // Hostile claims inside bodies with valid checksums: lengths of u64::MAX and 2^40.
    for claim in [u64::MAX, 1 << 40, u64::from(u32::MAX)] {
        let mut body = vec![251u8];
        body.extend_from_slice(&claim.to_le_bytes());
        let mut hostile = file[..12].to_vec();
        hostile.extend_from_slice(&(body.len() as u32).to_le_bytes());
        hostile.extend_from_slice(&crc32fast::hash(&body).to_le_bytes());
        hostile.extend_from_slice(&body);
        let (peak, result) = peak_while_decoding(&hostile, &limits);
        assert!(result.is_err());
        assert!(peak <= FIXED, "a claim of {claim} allocated {peak} bytes");
    }

    // Small limits refuse large records and files before reading them.
    let small = DecodeLimits {
        max_record_bytes: 1024,
        max_total_bytes: 1 << 30,
    };
    let (peak, result) = peak_while_decoding(&file, &small);
    assert!(
        matches!(result, Err(TraceError::RecordTooLarge { limit: 1024, .. })),
        "{result:?}"
    );
    assert!(peak <= FIXED, "{peak}");
    let tiny = DecodeLimits {
        max_total_bytes: 100,
        ..DecodeLimits::default()
    };
    let (_, result) = peak_while_decoding(&file, &tiny);
    assert!(
        matches!(result, Err(TraceError::FileTooLarge { .. })),
        "{result:?}"
    );
}
