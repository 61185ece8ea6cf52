#!/usr/bin/env bash
# The overhead comparison of `cargo bench --bench overhead`, in instructions rather than
# seconds: valgrind counts every instruction the process executes (client, in-process emulator
# and tokio, one thread), which does not depend on what else the machine is doing. Each
# variant runs twice, with LOW and HIGH rounds; the difference divided by HIGH - LOW is the
# count of one run, without the process's start and setup. Prints both and their ratio.
#
#   bench/instructions.sh                  # LOW=20 HIGH=120
#   LOW=50 HIGH=450 bench/instructions.sh
#
# Needs valgrind (Debian: apt-get install valgrind). Instructions are not time: system calls
# are not counted, nor cache misses; the two variants make the same requests, so the same
# system calls.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }
LOW=${LOW:-20}
HIGH=${HIGH:-120}
bin=$(cargo bench --bench overhead --no-run --message-format=json 2>/dev/null |
  sed -n 's/.*"executable":"\([^"]*overhead[^"]*\)".*/\1/p' | tail -1)
[ -x "$bin" ] || { echo "could not build the overhead bench" >&2; exit 1; }

count() { # variant rounds -> instructions
  local out
  out=$(mktemp)
  OVERHEAD_ONLY=$1 ROUNDS=$2 valgrind --tool=callgrind --callgrind-out-file=/dev/null \
    "$bin" --bench 2>"$out" >/dev/null
  sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$out"
  rm -f "$out"
}

declare -A per_run
for variant in generated hand-written; do
  low=$(count "$variant" "$LOW")
  high=$(count "$variant" "$HIGH")
  per_run[$variant]=$(( (high - low) / (HIGH - LOW) ))
  printf '  %-12s %12d instructions per run (%d rounds: %d, %d rounds: %d)\n' \
    "$variant" "${per_run[$variant]}" "$LOW" "$low" "$HIGH" "$high"
done
awk -v g="${per_run[generated]}" -v h="${per_run[hand-written]}" \
  'BEGIN { printf "  ratio %.3f (generated / hand-written), seed workflow, one run at a time\n", g / h }'
