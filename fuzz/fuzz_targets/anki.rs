#![no_main]
//! See `reprise_fuzz::anki` for what this target feeds and asserts.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    reprise_fuzz::anki(data);
});
