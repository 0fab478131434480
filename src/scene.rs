//! Built-in scenes: recorded lists that exercise one workload, with the bytes they must read
//! back. The command line's demo records and replays them; tests and benches reuse them.

use crate::command::{CommandList, ValidationError};
use crate::ids::ReadbackId;
use crate::record::Recorder;

/// A recorded list plus what its readbacks must hold.
pub struct Scene {
    /// The recorded commands.
    pub list: CommandList,
    /// Frames recorded.
    pub frames: u32,
    /// Expected bytes of each readback.
    pub expected: Vec<(ReadbackId, Vec<u8>)>,
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

/// Buffer streaming with orphan+write: a dynamic buffer of `size` bytes is orphaned and fully
/// rewritten once per frame, for `frames` frames; the last frame is read back.
pub fn stream(size: u64, frames: u32) -> Result<Scene, ValidationError> {
    let mut rec = Recorder::new();
    let buffer = rec.buffer_reserve(size, true)?;
    let len = usize::try_from(size).map_err(|_| ValidationError::BufferTooLarge { size })?;
    let mut last = Vec::new();
    for frame in 0..frames {
        last = frame_bytes(frame, len);
        rec.orphan(buffer, None)?;
        rec.write(buffer, 0, &last)?;
        rec.end_frame();
    }
    let readback = rec.read(buffer, None, 0)?;
    let expected = if frames == 0 { vec![0; len] } else { last };
    Ok(Scene {
        list: rec.finish(),
        frames,
        expected: vec![(readback, expected)],
    })
}
