#!/usr/bin/env bash
# Fuzzes every reader of hostile input (fuzz/README.md): builds the cargo-fuzz targets and runs
# each for SECONDS (default 20) from the seed corpus, failing on any crash, with the input that
# crashed printed. Without a nightly toolchain it says so and runs the stable proptest fallback,
# tests/fuzz_fallback.rs, instead.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# REPRISE_FUZZ_FALLBACK=1 runs the fallback even where nightly is.
# REPRISE_FUZZ_SANITIZER=address builds with AddressSanitizer (slower; default none: the code
# under test is safe Rust, and SQLite's C is not instrumented either way).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$HOME/.cargo/bin:$PATH"

duration=${1:-20}
shift || true
case $duration in '' | *[!0-9]*)
    echo "usage: scripts/fuzz.sh [SECONDS] [TARGET...]" >&2
    exit 2
    ;;
esac
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(pack_load render zip csv anki)

loud() { printf '\n\033[1;31m%s\033[0m\n' "$*" >&2; }
step() { printf '\n\033[1m==> %s\033[0m\n' "$*" >&2; }

if [ -n "${REPRISE_FUZZ_FALLBACK:-}" ] || ! rustup run nightly rustc --version >/dev/null 2>&1; then
    loud "!!! No nightly Rust toolchain here (or REPRISE_FUZZ_FALLBACK is set): cargo fuzz
!!! cannot run. Running the stable proptest fallback instead (tests/fuzz_fallback.rs: random
!!! and mutated-seed inputs, no coverage guidance). Install nightly to fuzz for real."
    # The dev profile (dependencies optimized, see Cargo.toml) reuses the test build; the
    # cases scale with SECONDS (about 4,000 runs per second here).
    REPRISE_FUZZ_CASES=${REPRISE_FUZZ_CASES:-$((duration * 250))} \
        cargo test --locked --test fuzz_fallback -- --nocapture
    exit
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
    step "Installing cargo-fuzz"
    cargo +nightly install cargo-fuzz --locked
fi

flags=(--sanitizer "${REPRISE_FUZZ_SANITIZER:-none}" --codegen-units 16)
step "Building the fuzz targets ($(rustup run nightly rustc --version))"
start=$(date +%s)
(cd fuzz && cargo +nightly fuzz build "${flags[@]}")
echo "built in $(($(date +%s) - start)) s" >&2

logs=fuzz/target/logs
mkdir -p "$logs"
failed=()
summary=()
for target in "${targets[@]}"; do
    step "Fuzzing $target for ${duration} s"
    # New inputs go to the working corpus under target/; the committed seeds are only read.
    work=fuzz/target/corpus/$target
    mkdir -p "$work"
    dict=()
    [ -f "fuzz/dict/$target.dict" ] && dict=("-dict=dict/$target.dict")
    log=$logs/$target.log
    status=0
    (cd fuzz && cargo +nightly fuzz run "${flags[@]}" "$target" \
        "target/corpus/$target" "corpus/$target" -- \
        -max_total_time="$duration" -rss_limit_mb=512 -timeout=30 \
        -print_final_stats=1 "${dict[@]}") >"$log" 2>&1 || status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1) || true
    cov=$(grep -aE '^#[0-9]+.*cov: ' "$log" | tail -1 |
        sed -E 's/.*(cov: [0-9]+ ft: [0-9]+ corp: [^ ]+).*/\1/') || true
    summary+=("$(printf '%-10s %10s runs  %s' "$target" "${runs:-?}" "${cov:-}")")
    if [ "$status" -ne 0 ]; then
        tail -60 "$log" >&2
        crash=$(grep -aEo '(Test unit|artifact) written to [^ ]+' "$log" | tail -1 |
            awk '{print $NF}') || true
        grep -a -m1 -A1 'panicked at' "$log" >&2 || true
        loud "!!! $target FAILED (exit $status): crash input ${crash:-not found, see $log}"
        failed+=("$target: ${crash:-see $log}")
    else
        tail -3 "$log" >&2
    fi
done

step "Fuzzing summary (${duration} s per target; logs in $logs)"
printf '%s\n' "${summary[@]}" >&2
if [ ${#failed[@]} -gt 0 ]; then
    loud "!!! Fuzzing found crashes:"
    printf '  %s\n' "${failed[@]}" >&2
    exit 1
fi
echo "fuzz: ${#targets[@]} passed, 0 failed"
