//! Queries as a list describes them (ModernGL's `ctx.query(samples, any_samples, time,
//! primitives)`, `with query:`, `with query.crender:` and the `samples`, `primitives` and
//! `elapsed` properties).

use serde::{Deserialize, Serialize};

/// What a query counts between its begin and end (ModernGL's keyword arguments of
/// `ctx.query`; when none is given ModernGL counts everything). The default counts nothing,
/// which [`Recorder::query`](crate::Recorder::query) takes as everything.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueryKinds {
    /// Samples that pass the depth and stencil tests (GL_SAMPLES_PASSED).
    pub samples: bool,
    /// Whether any sample passes (GL_ANY_SAMPLES_PASSED), for conditional rendering. With
    /// `samples` both share one GL occlusion query: GL runs one at a time.
    pub any_samples: bool,
    /// Nanoseconds the GPU took (GL_TIME_ELAPSED).
    pub time: bool,
    /// Primitives generated (GL_PRIMITIVES_GENERATED).
    pub primitives: bool,
}

impl QueryKinds {
    /// Every kind: what ModernGL's `ctx.query()` counts without arguments.
    pub const ALL: QueryKinds = QueryKinds {
        samples: true,
        any_samples: true,
        time: true,
        primitives: true,
    };

    /// Whether it counts nothing (a list from a file only: the recorder counts everything
    /// then, as ModernGL does).
    pub fn is_empty(self) -> bool {
        !(self.samples || self.any_samples || self.time || self.primitives)
    }

    /// Whether it counts samples, all or any: what conditional rendering needs.
    pub fn occlusion(self) -> bool {
        self.samples || self.any_samples
    }
}

/// A result of a query, read as a readback of 4 bytes: the `u32` (little-endian) ModernGL's
/// property of that name returns (GL clamps a larger count to `u32::MAX`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QueryResult {
    /// `query.samples`: samples that passed.
    Samples,
    /// `query.primitives`: primitives generated.
    Primitives,
    /// `query.elapsed`: nanoseconds elapsed. It differs from run to run, so
    /// [`verify`](crate::verify) does not compare it.
    Elapsed,
}

impl QueryResult {
    /// Bytes of the readback.
    pub const BYTES: u64 = 4;

    /// ModernGL's name of the property.
    pub fn name(self) -> &'static str {
        match self {
            QueryResult::Samples => "samples",
            QueryResult::Primitives => "primitives",
            QueryResult::Elapsed => "elapsed",
        }
    }

    /// Whether a query of `kinds` counts it.
    pub fn counted_by(self, kinds: QueryKinds) -> bool {
        match self {
            QueryResult::Samples => kinds.samples,
            QueryResult::Primitives => kinds.primitives,
            QueryResult::Elapsed => kinds.time,
        }
    }
}
