#![no_main]
//! See `reprise_fuzz::pack_load` for what this target feeds and asserts.

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    reprise_fuzz::pack_load(data);
});
