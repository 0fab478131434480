//! The memcpy column of `scripts/bench-report --streaming-table`: copies `frames` distinct
//! source frames of `size` bytes, one after the other, into one warm destination of `size`
//! bytes (what a replay of an orphan + write trace must at least do: read each frame's
//! payload once and write it into the buffer's storage), `loops` times, and prints one JSON
//! line with the best loop's seconds and the median loop's.
//!
//! ```sh
//! cargo run --release --example stream_memcpy -- SIZE FRAMES LOOPS
//! ```
//!
//! Sources and destination are 64-byte aligned, as a trace's payloads are, and every page of
//! them is written before the first timed loop. Standard library only, no GL.

use std::alloc::{alloc_zeroed, dealloc, handle_alloc_error, Layout};
use std::hint::black_box;
use std::time::Instant;

/// A zeroed, 64-byte-aligned heap buffer.
struct Aligned {
    ptr: *mut u8,
    layout: Layout,
}

impl Aligned {
    fn new(size: usize) -> Aligned {
        let layout = Layout::from_size_align(size.max(1), 64).expect("a valid layout");
        // SAFETY: the layout's size is not zero; the result is checked for null.
        let ptr = unsafe { alloc_zeroed(layout) };
        if ptr.is_null() {
            handle_alloc_error(layout);
        }
        Aligned { ptr, layout }
    }

    fn as_mut_slice(&mut self) -> &mut [u8] {
        // SAFETY: `ptr` holds `layout.size()` initialised (zeroed) bytes owned by `self`.
        unsafe { std::slice::from_raw_parts_mut(self.ptr, self.layout.size()) }
    }

    fn as_slice(&self) -> &[u8] {
        // SAFETY: as above.
        unsafe { std::slice::from_raw_parts(self.ptr, self.layout.size()) }
    }
}

impl Drop for Aligned {
    fn drop(&mut self) {
        // SAFETY: allocated in `new` with this layout.
        unsafe { dealloc(self.ptr, self.layout) };
    }
}

fn arg(args: &[String], index: usize, name: &str) -> usize {
    args.get(index)
        .and_then(|a| a.parse().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| {
            eprintln!(
                "usage: stream_memcpy SIZE FRAMES LOOPS ({name} missing or not a positive number)"
            );
            std::process::exit(2);
        })
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (size, frames, loops) = (
        arg(&args, 1, "SIZE"),
        arg(&args, 2, "FRAMES"),
        arg(&args, 3, "LOOPS"),
    );
    let sources: Vec<Aligned> = (0..frames)
        .map(|frame| {
            let mut source = Aligned::new(size);
            // Distinct bytes per frame, every page written.
            let mut state = 0x9E37_79B9_7F4A_7C15u64 ^ (frame as u64 + 1);
            for word in source.as_mut_slice().chunks_mut(8) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                word.copy_from_slice(&state.to_le_bytes()[..word.len()]);
            }
            source
        })
        .collect();
    let mut destination = Aligned::new(size);
    destination.as_mut_slice().fill(1);
    let mut times = Vec::with_capacity(loops);
    for _ in 0..loops {
        let started = Instant::now();
        for source in &sources {
            destination
                .as_mut_slice()
                .copy_from_slice(black_box(source.as_slice()));
            black_box(destination.as_slice().as_ptr());
        }
        times.push(started.elapsed().as_secs_f64());
    }
    let best = times.iter().copied().fold(f64::INFINITY, f64::min);
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    println!(
        "{{\"size\":{size},\"frames\":{frames},\"loops\":{loops},\"best_loop_seconds\":{best:e},\"median_loop_seconds\":{median:e}}}"
    );
}
