//! Compute shader runs, direct and indirect, and memory barriers.

use super::buffers::BufferTable;
use super::programs::GlProgram;
use super::Fault;
use crate::command::{check_dispatch_command, Barriers, DISPATCH_COMMAND_BYTES};
use crate::gl::{self, types::*, Gl};
use crate::ids::BufferId;

/// The context's GL_MAX_COMPUTE_WORK_GROUP_COUNT, per axis.
pub(super) fn max_groups(gl: &Gl) -> [u32; 3] {
    [0, 1, 2].map(|axis| {
        let mut max = 0;
        // SAFETY: one GLint for each of the three axes.
        unsafe { gl.GetIntegeri_v(gl::MAX_COMPUTE_WORK_GROUP_COUNT, axis, &mut max) };
        u32::try_from(max).unwrap_or(0)
    })
}

/// Runs `program` (a compute shader) over `groups` work groups (validated within GL 4.5's
/// guaranteed counts, which every context allows).
pub(super) fn run(gl: &Gl, program: &GlProgram, groups: [u32; 3]) {
    let [x, y, z] = groups;
    // SAFETY: a live compute program; the counts are within the context's limits.
    unsafe {
        gl.UseProgram(program.name);
        gl.DispatchCompute(x, y, z);
    }
}

/// Runs `program` over the work groups the 12 bytes at `offset` of `buffer` give, after
/// reading them back from GL and checking them against the context's `max` (GL leaves a
/// larger count undefined) and their work against `work_limit`.
pub(super) fn run_indirect(
    gl: &Gl,
    program: &GlProgram,
    buffers: &BufferTable,
    (buffer, offset): (BufferId, u64),
    max: [u32; 3],
    work_limit: u64,
) -> Result<(), Fault> {
    let bytes = read_commands(gl, buffers, buffer, offset, DISPATCH_COMMAND_BYTES)?;
    let work = check_dispatch_command(&bytes, buffer, offset, max).map_err(Fault::Invalid)?;
    if work > work_limit {
        return Err(Fault::Limit {
            value: work,
            max: work_limit,
        });
    }
    let at = buffers.location(buffer)?;
    // SAFETY: a live compute program; the counts lie inside the buffer at an aligned offset
    // (validated) and are within the context's limits (checked above); the indirect binding
    // is put back to 0 right after.
    unsafe {
        gl.UseProgram(program.name);
        gl.BindBuffer(gl::DISPATCH_INDIRECT_BUFFER, at);
        gl.DispatchComputeIndirect(offset as GLintptr);
        gl.BindBuffer(gl::DISPATCH_INDIRECT_BUFFER, 0);
    }
    Ok(())
}

/// `len` bytes of indirect commands at `offset` of `buffer`, read back after a barrier
/// that makes every earlier shader write visible both to the read and to GL's own fetch of
/// the commands: what replay checks is what GL then uses, whatever barriers the list has.
pub(super) fn read_commands(
    gl: &Gl,
    buffers: &BufferTable,
    buffer: BufferId,
    offset: u64,
    len: u64,
) -> Result<Vec<u8>, Fault> {
    // SAFETY: two bits GL defines.
    unsafe { gl.MemoryBarrier(gl::COMMAND_BARRIER_BIT | gl::BUFFER_UPDATE_BARRIER_BIT) };
    buffers.read(gl, buffer, offset, len)
}

/// glMemoryBarrier or glMemoryBarrierByRegion.
pub(super) fn memory_barrier(gl: &Gl, barriers: Barriers, by_region: bool) {
    // SAFETY: bits GL takes for the call (validated).
    unsafe {
        if by_region {
            gl.MemoryBarrierByRegion(barriers.0);
        } else {
            gl.MemoryBarrier(barriers.0);
        }
    }
}
