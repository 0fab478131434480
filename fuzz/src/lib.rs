//! The checks behind the fuzz targets. They live in `tests/fuzz_checks/mod.rs` so that the
//! regression tests in `tests/fuzz_regressions.rs` run the very same code on saved inputs.

#[path = "../../tests/fuzz_checks/mod.rs"]
mod checks;

pub use checks::*;
