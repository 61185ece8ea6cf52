#!/usr/bin/env bash
# Fuzzes the compiler with libFuzzer for a bounded time: arbitrary bytes as an Arazzo document
# (fuzz/fuzz_targets/load.rs), starting from the seed corpus in fuzz/corpus/load/.
#
#   scripts/fuzz.sh [SECONDS]      default 60
#
# Needs a nightly toolchain and cargo-fuzz (`rustup toolchain install nightly`,
# `cargo install cargo-fuzz`); says so and exits 2 when either is missing. Exits non-zero
# when libFuzzer finds a crash, a hang (an input running longer than 20 s) or an input using
# more than 2 GB; the input is saved under fuzz/artifacts/load/. New interesting inputs go to
# fuzz/work/load/ (ignored by git). Without nightly, `cargo test -p arazzo-compiler --test
# fuzz_corpus` replays the seed corpus through the same target body on stable.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
case "$seconds" in
'' | *[!0-9]*)
    echo "fuzz.sh: SECONDS must be a whole number, not \`$seconds\`" >&2
    exit 2
    ;;
esac

if ! command -v rustup >/dev/null 2>&1 || ! rustup run nightly rustc --version >/dev/null 2>&1; then
    echo "fuzz.sh: no nightly Rust toolchain; cargo-fuzz needs one (rustup toolchain install nightly)" >&2
    exit 2
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "fuzz.sh: cargo-fuzz is not installed (cargo install cargo-fuzz)" >&2
    exit 2
fi

mkdir -p fuzz/work/load
log="$(mktemp "${TMPDIR:-/tmp}/arazzo-fuzz.XXXXXX.log")"
echo "fuzz.sh: fuzzing target \`load\` for ${seconds} s (log: $log)"
status=0
cargo +nightly fuzz run load fuzz/work/load fuzz/corpus/load -- \
    -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
    >"$log" 2>&1 || status=$?

runs="$(grep -o 'Done [0-9]* runs' "$log" | tail -n 1 | grep -o '[0-9]*' || true)"
if [ -z "$runs" ]; then
    runs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -n 1 | grep -o '[0-9]*$' || true)"
fi
if [ "$status" -ne 0 ]; then
    grep -E -A4 'panicked at|ERROR: (libFuzzer|AddressSanitizer)|^SUMMARY|^error' "$log" |
        cut -c1-300 | head -n 40 >&2 || true
    artifact="$(grep -E -o 'fuzz/artifacts/load/[a-z-]+-[0-9a-f]+' "$log" | head -n 1 || true)"
    echo "fuzz.sh: FAILED after ${runs:-an unknown number of} executed inputs (exit $status);" \
        "failing input: ${artifact:-none saved}; full log: $log" >&2
    exit "$status"
fi
found="$(find fuzz/work/load -type f | wc -l | tr -d ' ')"
echo "fuzz.sh: ${runs:-?} inputs executed in ${seconds} s, no crash; ${found} inputs in fuzz/work/load"
