//! Submissions: the segments of a long-lived recorder run on objects the renderer keeps
//! between them ([`Renderer::submit`]), in their session's order.

use super::{Readbacks, Renderer, ReplayError};
use crate::command::Segment;

/// The recording session whose objects a renderer holds, and the segment it runs next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Place {
    session: u64,
    next: u64,
}

impl Renderer {
    /// Runs a segment of a recording session on the objects earlier segments of that
    /// session created, which stay alive until released, [`Renderer::reset`] or a whole-list
    /// replay (which starts from a clean slate). The session's first segment (sequence 0)
    /// starts one: it deletes what the renderer held and resets GL state as a replay does.
    ///
    /// Before the commands run, every piece of GL state they depend on is set again (the host
    /// may have changed it between submissions; see docs/embedding.md), and the framebuffer
    /// in use is bound again. Returns the bytes of the segment's reads, by their ids.
    ///
    /// A segment out of order (skipped, repeated, from another session or after a failed
    /// one) is [`ReplayError::Segment`] and runs nothing. When a command fails, the rest of
    /// the segment is not run and the session ends here: submit its first segment again.
    pub fn submit(&mut self, segment: &Segment) -> Result<Readbacks, ReplayError> {
        self.with_host_state(|renderer| renderer.run_segment(segment))
    }

    fn run_segment(&mut self, segment: &Segment) -> Result<Readbacks, ReplayError> {
        let expected = self
            .session
            .filter(|place| place.session == segment.session)
            .map(|place| place.next);
        if segment.sequence == 0 {
            self.begin()?;
        } else if expected != Some(segment.sequence) {
            return Err(ReplayError::Segment {
                sequence: segment.sequence,
                expected,
            });
        } else {
            // Until the segment has run whole, the renderer holds no usable session.
            self.session = None;
            self.resume_state();
            self.check_gl(0, "(before submission)")?;
        }
        let list = segment.validated();
        let mut readbacks =
            Readbacks::starting_at(segment.first_readback(), list.readback_count() as usize);
        for index in 0..list.list().len() {
            self.execute(&list, index, &mut readbacks)?;
        }
        self.check_unchecked()?;
        self.session = Some(Place {
            session: segment.session,
            next: segment.sequence.saturating_add(1),
        });
        Ok(readbacks)
    }
}
