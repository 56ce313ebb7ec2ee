#![no_main]
//! See `reprise_fuzz::csv` for what this target feeds and asserts.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    reprise_fuzz::csv(data);
});
