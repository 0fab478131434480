//! Fuzz target `decode`: see `decode_target` in tests/fuzz_checks/mod.rs and docs/fuzzing.md.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| gltape_fuzz::decode_target(data));
