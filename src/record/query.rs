//! Queries and conditional rendering, following ModernGL's `Context.query`, `with query:`,
//! `with query.crender:` and the `samples`, `primitives` and `elapsed` properties.

use super::Recorder;
use crate::command::{Command, QueryKinds, QueryResult, ValidationError};
use crate::ids::{QueryId, ReadbackId};

impl Recorder {
    /// Creates a query counting `kinds` (ModernGL: `ctx.query(samples, any_samples, time,
    /// primitives)`); with no kind it counts every kind, as ModernGL's does.
    ///
    /// ```
    /// use gltape::{QueryKinds, QueryResult};
    ///
    /// let mut rec = gltape::Recorder::new();
    /// let query = rec.query(QueryKinds { samples: true, ..QueryKinds::default() })?;
    /// rec.begin_query(query)?;
    /// // ... draws ...
    /// rec.end_query(query)?;
    /// let samples = rec.read_query(query, QueryResult::Samples)?;
    /// # Ok::<(), gltape::ValidationError>(())
    /// ```
    pub fn query(&mut self, kinds: QueryKinds) -> Result<QueryId, ValidationError> {
        let kinds = if kinds.is_empty() {
            QueryKinds::ALL
        } else {
            kinds
        };
        let query = self.validator.next_query_id()?;
        self.record_plain(Command::CreateQuery { query, kinds })?;
        Ok(query)
    }

    /// Starts counting (ModernGL: entering `with query:`). GL runs one query of each kind at
    /// a time, so another query counting the same kind must have ended.
    pub fn begin_query(&mut self, query: QueryId) -> Result<(), ValidationError> {
        self.record_plain(Command::BeginQuery { query })
    }

    /// Stops counting (ModernGL: leaving `with query:`).
    pub fn end_query(&mut self, query: QueryId) -> Result<(), ValidationError> {
        self.record_plain(Command::EndQuery { query })
    }

    /// Makes draws and clears until [`Recorder::end_conditional_render`] happen only if the
    /// query's last count passed a sample (ModernGL: entering `with query.crender:`). The
    /// query counts samples and has ended once. Replay waits for the count (GL_QUERY_WAIT),
    /// so a replay draws the same every time; ModernGL does not wait (GL_QUERY_NO_WAIT), and
    /// GL may draw before the count is known.
    pub fn begin_conditional_render(&mut self, query: QueryId) -> Result<(), ValidationError> {
        self.record_plain(Command::BeginConditionalRender { query })
    }

    /// Ends conditional rendering (ModernGL: leaving `with query.crender:`).
    pub fn end_conditional_render(&mut self, query: QueryId) -> Result<(), ValidationError> {
        self.record_plain(Command::EndConditionalRender { query })
    }

    /// Reads a count of the query's last run into a readback of 4 bytes, a `u32` in
    /// little-endian order (ModernGL: `query.samples`, `query.primitives`,
    /// `query.elapsed`); 0 before the query first ended. The query counts it and does not
    /// run.
    pub fn read_query(
        &mut self,
        query: QueryId,
        result: QueryResult,
    ) -> Result<ReadbackId, ValidationError> {
        let readback = self.validator.next_readback_id();
        self.record_plain(Command::ReadQuery {
            query,
            readback,
            result,
        })?;
        Ok(readback)
    }
}
