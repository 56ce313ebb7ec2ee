#![no_main]
//! See `reprise_fuzz::zip` for what this target feeds and asserts.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    reprise_fuzz::zip(data);
});
