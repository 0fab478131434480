//! Query checks: what each query counts, which are running, conditional rendering.
//!
//! GL runs one query of each kind at a time (occlusion: samples and any samples; time;
//! primitives) and one conditional render; a query cannot begin while it runs or while
//! conditional rendering follows it, nor be read or released while it runs.

use super::{ValidationError, Validator};
use crate::command::{QueryKinds, QueryResult};
use crate::ids::{QueryId, ReadbackId};

/// What the validator knows of a live query.
#[derive(Clone, Copy, Debug)]
pub(super) struct QueryState {
    kinds: QueryKinds,
    running: bool,
    /// Whether it was ended at least once (only then has GL a count to follow).
    ended: bool,
}

/// The running queries and conditional render, by GL's kinds of query.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct ActiveQueries {
    /// The query counting samples (or any samples), the one timing, the one counting
    /// primitives.
    running: [Option<QueryId>; 3],
    /// The query conditional rendering follows.
    conditional: Option<QueryId>,
}

/// The names of GL's kinds of query, in [`ActiveQueries::running`] order.
const KINDS: [&str; 3] = ["samples", "time", "primitives"];

/// Which of GL's kinds of query `kinds` uses, in [`ActiveQueries::running`] order.
fn uses(kinds: QueryKinds) -> [bool; 3] {
    [kinds.occlusion(), kinds.time, kinds.primitives]
}

impl Validator {
    fn query(&self, query: QueryId) -> Result<QueryState, ValidationError> {
        self.queries.get(query.0).copied()
    }

    fn set_query(&mut self, query: QueryId, state: QueryState) -> Result<(), ValidationError> {
        *self.queries.get_mut(query.0)? = state;
        Ok(())
    }

    /// Checks a new query's kinds and defines it.
    pub(super) fn create_query(&mut self, kinds: QueryKinds) -> Result<(), ValidationError> {
        let id = QueryId(self.queries.next_id()?);
        if kinds.is_empty() {
            return Err(ValidationError::Query {
                query: id,
                problem: "it counts nothing (ModernGL counts everything then)",
            });
        }
        self.queries.push(QueryState {
            kinds,
            running: false,
            ended: false,
        });
        Ok(())
    }

    /// Checks and applies the begin of a query.
    pub(super) fn begin_query(&mut self, query: QueryId) -> Result<(), ValidationError> {
        let state = self.query(query)?;
        self.check_stopped(query, state)?;
        let used = uses(state.kinds);
        for ((&running, used), kind) in self.active.running.iter().zip(used).zip(KINDS) {
            if let (Some(other), true) = (running, used) {
                return Err(ValidationError::QueryBusy { query, other, kind });
            }
        }
        for (slot, used) in self.active.running.iter_mut().zip(used) {
            if used {
                *slot = Some(query);
            }
        }
        self.set_query(
            query,
            QueryState {
                running: true,
                ..state
            },
        )
    }

    /// Checks and applies the end of a query.
    pub(super) fn end_query(&mut self, query: QueryId) -> Result<(), ValidationError> {
        let state = self.query(query)?;
        if !state.running {
            return Err(ValidationError::Query {
                query,
                problem: "this query was not started",
            });
        }
        for slot in &mut self.active.running {
            if *slot == Some(query) {
                *slot = None;
            }
        }
        self.set_query(
            query,
            QueryState {
                running: false,
                ended: true,
                ..state
            },
        )
    }

    /// Checks and applies the begin of conditional rendering on `query`.
    pub(super) fn begin_conditional_render(
        &mut self,
        query: QueryId,
    ) -> Result<(), ValidationError> {
        let state = self.query(query)?;
        let problem = |problem| Err(ValidationError::Query { query, problem });
        if !state.kinds.occlusion() {
            return problem("it counts no samples (create it with samples or any_samples)");
        }
        if state.running {
            return problem("this query was not stopped");
        }
        match self.active.conditional {
            Some(other) if other == query => {
                return problem("this query is already in conditional render mode")
            }
            Some(other) => {
                return Err(ValidationError::Query {
                    query: other,
                    problem: "this query is in conditional render mode, and GL renders \
                              conditionally on one query at a time",
                })
            }
            None => {}
        }
        if !state.ended {
            return problem("it has not counted yet: there is no count to follow");
        }
        self.active.conditional = Some(query);
        Ok(())
    }

    /// Checks and applies the end of conditional rendering on `query`.
    pub(super) fn end_conditional_render(&mut self, query: QueryId) -> Result<(), ValidationError> {
        self.query(query)?;
        if self.active.conditional != Some(query) {
            return Err(ValidationError::Query {
                query,
                problem: "this query is not in conditional render mode",
            });
        }
        self.active.conditional = None;
        Ok(())
    }

    /// Checks a read of a query's result and hands out the next readback id.
    pub(super) fn read_query(
        &mut self,
        query: QueryId,
        result: QueryResult,
    ) -> Result<ReadbackId, ValidationError> {
        let state = self.query(query)?;
        if !result.counted_by(state.kinds) {
            return Err(ValidationError::Query {
                query,
                problem: match result {
                    QueryResult::Samples => "query created without the samples_passed flag",
                    QueryResult::Primitives => {
                        "query created without the primitives_generated flag"
                    }
                    QueryResult::Elapsed => "query created without the time_elapsed flag",
                },
            });
        }
        if state.running {
            return Err(ValidationError::Query {
                query,
                problem: "this query was not stopped",
            });
        }
        let id = self.next_readback()?;
        let c = &mut self.counters;
        c.readback_bytes = c.readback_bytes.saturating_add(QueryResult::BYTES);
        Ok(id)
    }

    /// Checks and applies the release of a query.
    pub(super) fn release_query(&mut self, query: QueryId) -> Result<(), ValidationError> {
        let state = self.query(query)?;
        self.check_stopped(query, state)?;
        self.queries.release(query.0)
    }

    /// Checks that `query` neither runs nor has conditional rendering follow it.
    fn check_stopped(&self, query: QueryId, state: QueryState) -> Result<(), ValidationError> {
        let problem = if state.running {
            "this query is already running"
        } else if self.active.conditional == Some(query) {
            "this query is in conditional render mode"
        } else {
            return Ok(());
        };
        Err(ValidationError::Query { query, problem })
    }

    /// Checks that no query runs and no conditional render is on: what a segment boundary
    /// needs, since the host may draw between segments.
    pub(crate) fn check_queries_stopped(&self) -> Result<(), ValidationError> {
        let active = self.active.running.iter().flatten();
        match active.chain(&self.active.conditional).next() {
            None => Ok(()),
            Some(&query) => Err(ValidationError::Query {
                query,
                problem: "it still runs or conditional rendering follows it: end it before \
                          flushing, the host may draw between segments",
            }),
        }
    }
}
