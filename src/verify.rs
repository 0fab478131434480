//! Checking a replay's readbacks against the digests a trace was saved with.

use crate::command::{Command, CommandList};
use crate::replay::Readbacks;
use crate::trace::{digest, hex};

/// The first readback whose digest differs from the recorded one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The trace holds no digests to compare with.
    #[error("the trace holds no readback digests to verify against (record it with `gltape record` or a Capture)")]
    NoDigests,
    /// The replay produced a different number of readbacks than were recorded.
    #[error("the replay produced {actual} readbacks, the trace recorded {expected}")]
    Count {
        /// Digests recorded.
        expected: usize,
        /// Readbacks produced.
        actual: usize,
    },
    /// A readback's bytes differ.
    #[error("readback #{readback} (command #{command}) differs: expected sha256 {}, got {}", hex(.expected), hex(.actual))]
    Mismatch {
        /// The readback id.
        readback: usize,
        /// Index of the command that produced it.
        command: usize,
        /// Recorded digest.
        expected: [u8; 32],
        /// Digest of the replayed bytes.
        actual: [u8; 32],
    },
}

/// Indices of the commands that produce readbacks, in readback order.
pub fn readback_commands(list: &CommandList) -> Vec<usize> {
    list.commands()
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            matches!(
                c,
                Command::Read { .. }
                    | Command::ReadPixels { .. }
                    | Command::ReadDepth { .. }
                    | Command::ReadTexture { .. }
                    | Command::ReadChunks { .. }
            )
        })
        .map(|(index, _)| index)
        .collect()
}

/// Compares every readback with its recorded digest; reports the first difference.
pub fn verify(
    list: &CommandList,
    expected: &[[u8; 32]],
    readbacks: &Readbacks,
) -> Result<(), VerifyError> {
    if expected.is_empty() && !readbacks.is_empty() {
        return Err(VerifyError::NoDigests);
    }
    if expected.len() != readbacks.len() {
        return Err(VerifyError::Count {
            expected: expected.len(),
            actual: readbacks.len(),
        });
    }
    let commands = readback_commands(list);
    for (readback, (bytes, expected)) in readbacks.iter().zip(expected).enumerate() {
        let actual = digest(bytes);
        if actual != *expected {
            return Err(VerifyError::Mismatch {
                readback,
                command: commands.get(readback).copied().unwrap_or(0),
                expected: *expected,
                actual,
            });
        }
    }
    Ok(())
}
