//! Checking a replay's readbacks against the digests a trace was saved with.
//!
//! Every readback is compared byte for byte (through its digest) except a query's elapsed
//! time ([`QueryResult::Elapsed`]), which differs from run to run: a replay only has to
//! produce it.

use crate::command::{Command, CommandList, QueryResult, Segment};
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
        .filter(|(_, c)| c.reads_back())
        .map(|(index, _)| index)
        .collect()
}

/// Whether the readback of `command` is compared: every one but an elapsed time.
fn compared(command: Option<&Command>) -> bool {
    !matches!(
        command,
        Some(Command::ReadQuery {
            result: QueryResult::Elapsed,
            ..
        })
    )
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
    compare(list, (0, 0), expected, readbacks)
}

/// Compares the readbacks of one segment of a trace read in segments
/// ([`SegmentReader`](crate::trace::SegmentReader)) with their digests among `expected`
/// (every digest of the trace); `first_command` is the index of the segment's first command in
/// the trace, for errors. The caller checks that the segments together produced as many
/// readbacks as there are digests ([`VerifyError::Count`]).
pub fn verify_segment(
    segment: &Segment,
    first_command: usize,
    expected: &[[u8; 32]],
    readbacks: &Readbacks,
) -> Result<(), VerifyError> {
    let ids = segment.readbacks();
    let range = ids.start as usize..ids.end as usize;
    let Some(digests) = expected.get(range.clone()) else {
        return Err(if expected.is_empty() {
            VerifyError::NoDigests
        } else {
            VerifyError::Count {
                expected: expected.len(),
                actual: range.end,
            }
        });
    };
    compare(
        segment.list(),
        (first_command, range.start),
        digests,
        readbacks,
    )
}

/// Compares `readbacks`, made by `list`, with `expected`; errors number commands and readbacks
/// from `first` (command, readback).
fn compare(
    list: &CommandList,
    first: (usize, usize),
    expected: &[[u8; 32]],
    readbacks: &Readbacks,
) -> Result<(), VerifyError> {
    let commands = readback_commands(list);
    for (readback, (bytes, expected)) in readbacks.iter().zip(expected).enumerate() {
        let command = commands.get(readback).copied();
        if !compared(command.and_then(|index| list.commands().get(index))) {
            continue;
        }
        let actual = digest(bytes);
        if actual != *expected {
            return Err(VerifyError::Mismatch {
                readback: first.1 + readback,
                command: first.0 + command.unwrap_or(0),
                expected: *expected,
                actual,
            });
        }
    }
    Ok(())
}
