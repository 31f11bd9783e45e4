#!/usr/bin/env bash
# Measures dense LeNet-300-100 training throughput (full Fashion-MNIST, batch 128) with 1 and 2
# native threads: ROUNDS rounds, each runs both thread counts one after the other (interleaved,
# alternating which goes first), EPOCHS epochs per run. Prints every run and the medians.
# Used for docs/benchmarks.md. Needs python3 to read the JSON results.
#
#   scripts/bench-threads.sh [ROUNDS=3] [EPOCHS=2]
set -euo pipefail
ROOT="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS="${1:-3}"
EPOCHS="${2:-2}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

for ((round = 1; round <= ROUNDS; round++)); do
    if ((round % 2)); then order=(1 2); else order=(2 1); fi
    for threads in "${order[@]}"; do
        "$ROOT/topiary" demo --epochs "$EPOCHS" --threads "$threads" \
            --out "$WORK/r$round-t$threads" --json "$WORK/r$round-t$threads.json" >/dev/null 2>&1
    done
done

python3 - "$WORK" "$ROUNDS" <<'PY'
import json, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
for threads in (1, 2):
    total, last = [], []
    for r in range(1, rounds + 1):
        run = json.load(open(f"{work}/r{r}-t{threads}.json"))["runs"][0]
        total.append(run["examples_per_second"])
        last.append(run["per_epoch"][-1]["examples_per_second"])
    print(f"threads={threads} examples/s whole run: {[round(x) for x in total]} median {statistics.median(total):.0f}; "
          f"last epoch: {[round(x) for x in last]} median {statistics.median(last):.0f}")
PY
