#!/usr/bin/env bash
# Runs every check and test: formatting, lints (in the test build), core + CLI + command tests,
# binding drift, the quick fault campaign, brief fuzzing of every reader of hostile input, UI
# type-check and component tests, the end-to-end test of the real app under Xvfb, then the Linux
# packages: built, and the .deb installed, started and removed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh --test
export PATH="$HOME/.cargo/bin:$PATH"
# The Python with the sync tests' S3 and WebDAV servers, installed by setup.sh.
export REPRISE_TEST_PYTHON="$PWD/target/test-venv/bin/python3"
step() { printf '\n\033[1m==> %s\033[0m (%d s in)\n' "$*" "$SECONDS" >&2; }

step "UI: build (the app embeds ui/dist)"
(cd ui && npm run build --silent)

step "Rust: format"
cargo fmt --all -- --check

# One build serves the lints and the tests. clippy-driver compiles the workspace's own crates
# (through RUSTC_WORKSPACE_WRAPPER, as `cargo clippy` does) and fails on any warning; the
# dependencies are compiled once, for the tests, instead of checked by `cargo clippy` first. On a
# fresh 2-core machine that saved little (1,069 s against 1,070-1,105 s for the two): the check
# and the build already shared the build scripts and proc macros, which are most of the check.
# The app's features are the ones the end-to-end test and scripts/package.sh build it with, so
# their builds find nearly all of it compiled (19 crates that the tests' dev-dependencies build
# with other features are compiled again).
export RUSTC_WORKSPACE_WRAPPER=clippy-driver
export CLIPPY_ARGS=-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__
features=(--features reprise-desktop/custom-protocol)

step "Rust: build every target, with clippy's lints (warnings are errors)"
cargo test --workspace --all-targets --no-run --locked "${features[@]}"

step "Rust: core, CLI and desktop command tests"
cargo test --workspace --locked "${features[@]}"

step "Faults: kill -9, two programs at once, a full disk (quick campaign, tests/faults/)"
python3 tests/faults/campaign.py --quick --bin target/debug/reprise

step "Faults: kill -9 at every durable step of a sync (tests/faults/sync_kills.py)"
python3 tests/faults/sync_kills.py --bin target/debug/reprise

step "Hostile input: every reader fuzzed briefly (scripts/fuzz.sh, docs/FUZZING.md)"
# The fuzz targets are their own workspace, built by the nightly compiler: no stable lints.
env -u RUSTC_WORKSPACE_WRAPPER -u CLIPPY_ARGS scripts/fuzz.sh 15

step "UI: type-check and component tests"
(cd ui && npm run check && npm test)

step "End to end: the real app under Xvfb via tauri-driver"
cargo build -p reprise-desktop -p reprise --bins "${features[@]}" --locked
tests/e2e/run.sh target/debug/reprise-desktop

step "Package: build the .deb and check an install (scripts/package.sh, tests/package/check.sh)"
# The debug build above, bundled by Tauri (.deb and .rpm); the .deb is installed, started under
# Xvfb and removed again.
package_list=$(scripts/package.sh --debug)
mapfile -t packages <<<"$package_list"
tests/package/check.sh "${packages[@]}"

step "All tests passed"
