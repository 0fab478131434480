//! GL query objects of one replay: one gltape query is up to three GL queries (occlusion,
//! time, primitives), begun and ended together, read as ModernGL reads them, and followed by
//! conditional rendering.

use super::Fault;
use crate::command::{QueryKinds, QueryResult};
use crate::gl::{self, types::*, Gl};
use crate::ids::QueryId;

/// One GL query of a gltape query: its target and name.
#[derive(Clone, Copy, Debug)]
struct Part {
    target: GLenum,
    name: GLuint,
}

/// The GL queries of a gltape query, in occlusion, time, primitives order (absent kinds
/// are None), and whether it was ended at least once.
#[derive(Debug, Default)]
struct GlQuery {
    parts: [Option<Part>; 3],
    ended: bool,
    live: bool,
}

impl GlQuery {
    fn parts(&self) -> impl Iterator<Item = Part> + '_ {
        self.parts.iter().flatten().copied()
    }
}

/// Queries by dense [`QueryId`], which are running, and which one conditional rendering
/// follows.
#[derive(Default)]
pub(super) struct QueryTable {
    queries: Vec<GlQuery>,
    running: Vec<QueryId>,
    /// The GL query conditional rendering follows, when it is on.
    conditional: Option<GLuint>,
}

impl QueryTable {
    fn get(&self, query: QueryId) -> Result<&GlQuery, Fault> {
        match self.queries.get(query.index()) {
            Some(q) if q.live => Ok(q),
            _ => Err(Fault::Missing("query")),
        }
    }

    /// Creates the next query: a GL query of each kind it counts. Samples and any samples
    /// share one occlusion query (GL runs one at a time): GL_SAMPLES_PASSED when samples are
    /// counted, else GL_ANY_SAMPLES_PASSED.
    pub(super) fn create(&mut self, gl: &Gl, kinds: QueryKinds) -> Result<(), Fault> {
        let occlusion = match (kinds.samples, kinds.any_samples) {
            (true, _) => Some(gl::SAMPLES_PASSED),
            (false, true) => Some(gl::ANY_SAMPLES_PASSED),
            (false, false) => None,
        };
        let time = kinds.time.then_some(gl::TIME_ELAPSED);
        let primitives = kinds.primitives.then_some(gl::PRIMITIVES_GENERATED);
        let parts = [occlusion, time, primitives].map(|target| {
            target.map(|target| {
                let mut name = 0;
                // SAFETY: one name of a valid query target.
                unsafe { gl.CreateQueries(target, 1, &mut name) };
                Part { target, name }
            })
        });
        self.queries.push(GlQuery {
            parts,
            ended: false,
            live: true,
        });
        Ok(())
    }

    /// Begins every GL query of `query` (validated: none of their kinds is running).
    pub(super) fn begin(&mut self, gl: &Gl, query: QueryId) -> Result<(), Fault> {
        for part in self.get(query)?.parts() {
            // SAFETY: a live query of that target; no other query of the target runs.
            unsafe { gl.BeginQuery(part.target, part.name) };
        }
        self.running.push(query);
        Ok(())
    }

    /// Ends every GL query of `query` (validated: running).
    pub(super) fn end(&mut self, gl: &Gl, query: QueryId) -> Result<(), Fault> {
        for part in self.get(query)?.parts() {
            // SAFETY: the query of that target runs.
            unsafe { gl.EndQuery(part.target) };
        }
        self.running.retain(|&q| q != query);
        if let Some(q) = self.queries.get_mut(query.index()) {
            q.ended = true;
        }
        Ok(())
    }

    /// Begins conditional rendering on the occlusion query of `query`, waiting for its
    /// result (ModernGL does not wait, and GL then may draw before the count is known).
    pub(super) fn begin_conditional_render(
        &mut self,
        gl: &Gl,
        query: QueryId,
    ) -> Result<(), Fault> {
        let part = (self.get(query)?.parts[0]).ok_or(Fault::Corrupt(
            "conditional render of a query without samples",
        ))?;
        // SAFETY: an ended occlusion query that does not run; no conditional render is on.
        unsafe { gl.BeginConditionalRender(part.name, gl::QUERY_WAIT) };
        self.conditional = Some(part.name);
        Ok(())
    }

    /// Ends conditional rendering.
    pub(super) fn end_conditional_render(&mut self, gl: &Gl) {
        // SAFETY: conditional rendering is on (validated).
        unsafe { gl.EndConditionalRender() };
        self.conditional = None;
    }

    /// Runs `zero` (the clears that zero new storage) with conditional rendering off, so
    /// that it cannot drop them, then turns it on again.
    pub(super) fn unconditionally<T>(&self, gl: &Gl, zero: impl FnOnce() -> T) -> T {
        let Some(name) = self.conditional else {
            return zero();
        };
        // SAFETY: conditional rendering is on; it is begun again on the same ended query.
        unsafe { gl.EndConditionalRender() };
        let result = zero();
        // SAFETY: as above.
        unsafe { gl.BeginConditionalRender(name, gl::QUERY_WAIT) };
        result
    }

    /// The 4 bytes of `result` of `query` (validated: counted, not running): GL's count as
    /// a `u32`, or 0 before the query first ended (as ModernGL returns it).
    pub(super) fn read(
        &self,
        gl: &Gl,
        query: QueryId,
        result: QueryResult,
    ) -> Result<Vec<u8>, Fault> {
        let q = self.get(query)?;
        let part = match result {
            QueryResult::Samples => q.parts[0],
            QueryResult::Elapsed => q.parts[1],
            QueryResult::Primitives => q.parts[2],
        };
        let part = part.ok_or(Fault::Corrupt("read of a count the query does not keep"))?;
        let mut value: GLuint = 0;
        if q.ended {
            // SAFETY: an ended query; one GLuint is written (no query buffer is bound: the
            // state gltape applies unbinds it).
            unsafe { gl.GetQueryObjectuiv(part.name, gl::QUERY_RESULT, &mut value) };
        }
        Ok(value.to_le_bytes().to_vec())
    }

    /// Ends the running queries and conditional rendering, if any: after every replay and
    /// submission, so that nothing the host draws counts or is dropped.
    pub(super) fn stop(&mut self, gl: &Gl) {
        if self.conditional.is_some() {
            self.end_conditional_render(gl);
        }
        while let Some(&query) = self.running.last() {
            if self.end(gl, query).is_err() {
                self.running.pop();
            }
        }
    }

    pub(super) fn release(&mut self, gl: &Gl, query: QueryId) -> Result<(), Fault> {
        for part in self.get(query)?.parts() {
            // SAFETY: a live query of this context that does not run (validated).
            unsafe { gl.DeleteQueries(1, &part.name) };
        }
        if let Some(q) = self.queries.get_mut(query.index()) {
            q.live = false;
        }
        Ok(())
    }

    /// Ends what runs and deletes every live query.
    pub(super) fn delete_all(&mut self, gl: &Gl) {
        self.stop(gl);
        for query in self.queries.drain(..).filter(|q| q.live) {
            for part in query.parts() {
                // SAFETY: a live query of this context, no longer running.
                unsafe { gl.DeleteQueries(1, &part.name) };
            }
        }
    }

    /// Live GL query objects.
    pub(super) fn live(&self) -> usize {
        let live = self.queries.iter().filter(|q| q.live);
        live.map(|q| q.parts().count()).sum()
    }
}
