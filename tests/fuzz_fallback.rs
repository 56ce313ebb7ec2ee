//! The stable stand-in for `cargo fuzz` (fuzz/README.md): the same five checks as the fuzz
//! targets — they are compiled from the same file, fuzz/src/lib.rs — fed random bytes and
//! mutated seeds from fuzz/corpus/ for a bounded number of cases, with proptest. No coverage
//! guidance, so it finds less than the fuzzer; it runs where no nightly toolchain is.
//!
//! `cargo test --test fuzz_fallback` (part of `cargo test --workspace`); REPRISE_FUZZ_CASES sets
//! the cases per strategy and target (default 1,000; `scripts/fuzz.sh` scales them with its
//! SECONDS when it runs this instead of cargo fuzz), REPRISE_FUZZ_SEED the random seed (default
//! 0, so that a run is repeatable).

#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod checks;

use std::cell::Cell;
use std::path::Path;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// Tokens the readers give meaning to, spliced into mutated seeds.
const TOKENS: &[&[u8]] = &[
    b"{{c1::",
    b"{{c2::",
    b"::",
    b"}}",
    b"<script>",
    b"<img src=\"",
    b"<div>",
    b"</div>",
    b"javascript:",
    b"data:image/png;base64,",
    b"[sound:",
    b"![x](media/",
    b"+++\n",
    b"\n%%%% ",
    b"\n%%%% media/x.svg\n",
    b"..",
    b"\"",
    b",",
    b";",
    b"\t",
    b"\r\n",
    "\u{feff}".as_bytes(),
    b"- ",
    b"> ",
    b"```",
    b"PK\x03\x04",
    b"SQLite format 3\0",
    b"-1",
    b"0",
    b"9223372036854775807",
    b"\xff\xff\xff\xff",
    b"\0",
];

/// A check of fuzz/src/lib.rs: whether the reader accepted the input.
type Check = fn(&[u8]) -> bool;

/// Every target by name, with its check.
const TARGETS: [(&str, Check); 5] = [
    ("pack_load", checks::pack_load),
    ("render", checks::render),
    ("zip", checks::zip),
    ("csv", checks::csv),
    ("anki", checks::anki),
];

fn seeds(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut out: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.expect("a corpus entry").path();
            let name = path
                .file_name()
                .expect("named")
                .to_string_lossy()
                .into_owned();
            (name, std::fs::read(&path).expect("a readable seed"))
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "{} holds no seed", dir.display());
    out
}

/// A runner drawing from REPRISE_FUZZ_SEED (default 0): the same cases on every run, so the
/// test suite is not flaky; vary the seed to explore.
fn runner(config: Config) -> TestRunner {
    let seed: u64 = std::env::var("REPRISE_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &bytes))
}

fn cases() -> u32 {
    std::env::var("REPRISE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000)
}

/// One edit of a seed.
#[derive(Debug, Clone)]
enum Edit {
    Overwrite(Index, Vec<u8>),
    Insert(Index, Vec<u8>),
    Delete(Index, usize),
    Token(Index, Index),
    /// A piece of another seed, inserted.
    Splice(Index, Index, Index, usize),
    Truncate(Index),
}

fn edit() -> impl Strategy<Value = Edit> {
    let bytes = || vec(any::<u8>(), 1..16);
    prop_oneof![
        3 => (any::<Index>(), bytes()).prop_map(|(at, b)| Edit::Overwrite(at, b)),
        2 => (any::<Index>(), bytes()).prop_map(|(at, b)| Edit::Insert(at, b)),
        2 => (any::<Index>(), 1usize..256).prop_map(|(at, n)| Edit::Delete(at, n)),
        3 => (any::<Index>(), any::<Index>()).prop_map(|(at, t)| Edit::Token(at, t)),
        1 => (any::<Index>(), any::<Index>(), any::<Index>(), 1usize..512)
            .prop_map(|(s, from, at, n)| Edit::Splice(s, from, at, n)),
        1 => any::<Index>().prop_map(Edit::Truncate),
    ]
}

fn apply(mut data: Vec<u8>, edits: &[Edit], seeds: &[(String, Vec<u8>)]) -> Vec<u8> {
    for edit in edits {
        let at = |i: &Index, data: &Vec<u8>| i.index(data.len() + 1);
        match edit {
            Edit::Overwrite(i, bytes) => {
                let start = at(i, &data);
                for (k, b) in bytes.iter().enumerate() {
                    match data.get_mut(start + k) {
                        Some(slot) => *slot = *b,
                        None => data.push(*b),
                    }
                }
            }
            Edit::Insert(i, bytes) => {
                let start = at(i, &data);
                data.splice(start..start, bytes.iter().copied());
            }
            Edit::Delete(i, n) => {
                let start = at(i, &data);
                let end = (start + n).min(data.len());
                data.drain(start..end);
            }
            Edit::Token(i, t) => {
                let start = at(i, &data);
                let token = TOKENS[t.index(TOKENS.len())];
                data.splice(start..start, token.iter().copied());
            }
            Edit::Splice(s, from, i, n) => {
                let other = &seeds[s.index(seeds.len())].1;
                let from = from.index(other.len() + 1);
                let piece = other[from..(from + n).min(other.len())].to_vec();
                let start = at(i, &data);
                data.splice(start..start, piece);
            }
            Edit::Truncate(i) => {
                let len = at(i, &data);
                data.truncate(len);
            }
        }
    }
    data
}

/// Runs `check` on random bytes, then on mutated seeds, `cases()` of each, and prints how many
/// of each the reader accepted (a fallback that never gets past the front door tests little).
fn fuzz(target: &str, check: Check) {
    let seeds = seeds(target);
    let config = Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    };
    let accepted = Cell::new(0u32);
    runner(config.clone())
        .run(&vec(any::<u8>(), 0..2048), |data| {
            accepted.set(accepted.get() + u32::from(check(&data)));
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{target}, random bytes: {e}"));
    let random = accepted.replace(0);
    let mutated = (any::<Index>(), vec(edit(), 1..4));
    runner(config)
        .run(&mutated, |(seed, edits)| {
            let base = seeds[seed.index(seeds.len())].1.clone();
            accepted.set(accepted.get() + u32::from(check(&apply(base, &edits, &seeds))));
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{target}, mutated seeds: {e}"));
    eprintln!(
        "{target}: accepted {random} of {n} random inputs, {} of {n} mutated seeds",
        accepted.get(),
        n = cases()
    );
}

/// One test per target, so they run in parallel and fail by name.
macro_rules! fuzz_tests {
    ($($target:ident),*) => {
        $(
            #[test]
            fn $target() {
                fuzz(stringify!($target), checks::$target);
            }
        )*
    };
}

fuzz_tests!(pack_load, render, zip, csv, anki);

/// The seeds still reach past the front door: the valid ones are accepted, so the format has
/// not moved on from them (re-run fuzz/make_corpus.py when it has).
#[test]
fn the_seeds_are_still_what_they_claim() {
    for (target, check) in TARGETS {
        for (name, data) in seeds(target) {
            let accepted = check(&data);
            let expected = match target {
                "pack_load" => name.starts_with("valid-"),
                "render" => name.starts_with("cloze"),
                "zip" => name.starts_with("pack-"),
                "csv" => name != "not-utf8.csv",
                _ => name.contains("genanki") || name.contains("history"),
            };
            assert_eq!(accepted, expected, "{target}/{name}");
        }
    }
}

#[test]
fn bundles_round_trip() {
    for (_, data) in seeds("pack_load") {
        let files = checks::decode_bundle(&data);
        assert_eq!(checks::decode_bundle(&checks::encode_bundle(&files)), files);
    }
}

/// The inputs the fuzzers found (fuzz/artifacts/<target>/, docs/FUZZING.md), replayed: each must
/// now pass its target's checks.
#[test]
fn the_findings_stay_fixed() {
    let artifacts = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/artifacts");
    for (target, check) in TARGETS {
        let Ok(entries) = std::fs::read_dir(artifacts.join(target)) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("an artifact").path();
            check(&std::fs::read(&path).expect("readable"));
        }
    }
}
