#![no_main]

#[path = "../../crates/core/tests/harness/mod.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::whole_plan(data));
