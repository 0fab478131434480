//! Indirect commands: where they lie in their buffer and what they may ask for. The
//! validator checks them when their bytes are known when recorded
//! ([`contents`](super::contents)); replay reads the others back from GL and checks them
//! with the same functions before it issues them.

use super::draw::{check_span, DrawSpan};
use super::{BindingExtent, ValidationError};
use crate::command::{IndexBuffer, MAX_COMPUTE_GROUPS};
use crate::ids::BufferId;

/// Bytes between consecutive draw commands, as ModernGL lays them out for both kinds.
pub(crate) const DRAW_COMMAND_STRIDE: u64 = 20;

/// Bytes of a dispatch command: three `u32` work group counts.
pub(crate) const DISPATCH_COMMAND_BYTES: u64 = 12;

/// Bytes GL reads of one draw command: DrawElementsIndirectCommand (count, instances, first
/// index, base vertex, base instance) for an indexed draw, else DrawArraysIndirectCommand
/// (count, instances, first, base instance).
fn draw_command_bytes(indexed: bool) -> u64 {
    if indexed {
        20
    } else {
        16
    }
}

/// The byte offset and length that `count` draw commands from command `first` take in
/// their buffer (`len` 0 for none): what GL requires to lie inside it.
pub(crate) fn draw_commands_range(first: u32, count: u32, indexed: bool) -> (u64, u64) {
    let offset = u64::from(first) * DRAW_COMMAND_STRIDE;
    let len = match count {
        0 => 0,
        n => u64::from(n - 1) * DRAW_COMMAND_STRIDE + draw_command_bytes(indexed),
    };
    (offset, len)
}

/// The `u32` at word `word` of `bytes` (in the machine's order, as GL reads it), or 0.
fn word(bytes: &[u8], word: usize) -> u32 {
    let start = word * 4;
    bytes
        .get(start..start + 4)
        .and_then(|b| b.try_into().ok())
        .map_or(0, u32::from_ne_bytes)
}

/// Checks the draw commands `bytes` holds (read from `draw_commands_range(first, ..)` of
/// `buffer`) against a vertex array's `bindings` and `index` buffer, each as a direct draw
/// is checked (the base vertex of an indexed command moves where indices point, which GL
/// bounds). Returns their work, summed.
pub(crate) fn check_draw_commands(
    bytes: &[u8],
    first: u32,
    buffer: BufferId,
    bindings: &[BindingExtent],
    index: Option<IndexBuffer>,
    size_of: &impl Fn(BufferId) -> Result<u64, ValidationError>,
) -> Result<u64, ValidationError> {
    let indexed = index.is_some();
    let mut work = 0u64;
    for (n, command) in bytes.chunks(DRAW_COMMAND_STRIDE as usize).enumerate() {
        let span = DrawSpan {
            count: u64::from(word(command, 0)),
            instances: u64::from(word(command, 1)),
            first: u64::from(word(command, 2)),
            base_instance: u64::from(word(command, if indexed { 4 } else { 3 })),
        };
        let number = u64::from(first) + n as u64;
        let checked = check_span(bindings, index, span, size_of);
        let command_work = checked.map_err(|error| ValidationError::IndirectCommand {
            command: number,
            buffer,
            offset: number * DRAW_COMMAND_STRIDE,
            error: Box::new(error),
        })?;
        work = work.saturating_add(command_work);
    }
    Ok(work)
}

/// Checks work group counts against `max` per axis and returns the work groups in all.
pub(crate) fn check_groups(groups: [u32; 3], max: [u32; 3]) -> Result<u64, ValidationError> {
    for ((axis, value), max) in ["x", "y", "z"].into_iter().zip(groups).zip(max) {
        if value > max {
            return Err(ValidationError::ComputeGroups { axis, value, max });
        }
    }
    Ok(groups.iter().map(|&g| u64::from(g)).product())
}

/// Checks the dispatch command `bytes` holds (12 bytes at `offset` of `buffer`) against
/// `max` work groups per axis; returns its work groups.
pub(crate) fn check_dispatch_command(
    bytes: &[u8],
    buffer: BufferId,
    offset: u64,
    max: [u32; 3],
) -> Result<u64, ValidationError> {
    let groups = [word(bytes, 0), word(bytes, 1), word(bytes, 2)];
    check_groups(groups, max).map_err(|error| ValidationError::IndirectCommand {
        command: 0,
        buffer,
        offset,
        error: Box::new(error),
    })
}

/// GL 4.5's guaranteed work group counts, per axis.
pub(crate) const GUARANTEED_GROUPS: [u32; 3] = [MAX_COMPUTE_GROUPS; 3];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draw_commands_lie_where_moderngl_puts_them() {
        assert_eq!(draw_commands_range(0, 0, false), (0, 0));
        assert_eq!(draw_commands_range(0, 1, false), (0, 16));
        assert_eq!(draw_commands_range(2, 3, true), (40, 60));
        assert_eq!(draw_commands_range(1, 2, false), (20, 36));
    }

    #[test]
    fn group_counts_are_bounded_per_axis() {
        assert_eq!(check_groups([2, 3, 4], GUARANTEED_GROUPS), Ok(24));
        assert_eq!(check_groups([0, 3, 4], GUARANTEED_GROUPS), Ok(0));
        let error = check_groups([1, 65536, 1], GUARANTEED_GROUPS).unwrap_err();
        assert_eq!(
            error.to_string(),
            "65536 work groups along y: at most 65535 are allowed"
        );
        let bytes: Vec<u8> = [7u32, 1, 70000]
            .iter()
            .flat_map(|w| w.to_ne_bytes())
            .collect();
        let error = check_dispatch_command(&bytes, BufferId(2), 8, GUARANTEED_GROUPS);
        assert_eq!(
            error.unwrap_err().to_string(),
            "indirect command 0 of buffer #2 (at byte 8): 70000 work groups along z: at most \
             65535 are allowed"
        );
    }
}
