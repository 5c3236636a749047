//! `events`: see `checks/events.rs`.
#![no_main]

#[path = "../checks/mod.rs"]
// Each target uses one of the checks; the others are compiled and unused here.
#[allow(dead_code)]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    checks::events::check(data);
});
