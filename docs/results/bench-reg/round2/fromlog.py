#!/usr/bin/env python3
"""Rebuilds topiary-bench-reg run records from the bench's per-network log lines (for JVMs killed
before they wrote their JSON). Precision is that of the log line: accuracy to 1e-4 (exact: 10,000
test examples), weight sparsity to 1e-4, layer sparsity to 1e-3."""
import json, re, sys
pat = re.compile(r"^(\S+)\s+λ=(\S+)\s+seed=(\d+) acc=([\d.]+) zeros=([\d.]+) \(fc1 ([\d.]+) fc2 ([\d.]+) out ([\d.]+)\)"
                 r" dead-in=\[(\d+), (\d+)\] removable=(\d+) -> \[(\d+), (\d+)\] shrunk-acc=([\d.]+) (\d+)s")
runs = []
for line in open(sys.argv[1], encoding="utf-8"):
    m = pat.match(line.strip())
    if m:
        g = m.groups()
        runs.append({"arm": g[0], "lambda": float(g[1]), "seed": int(g[2]), "test_accuracy": float(g[3]),
                     "weight_sparsity": float(g[4]), "layer_sparsity": [float(g[5]), float(g[6]), float(g[7])],
                     "hidden_zero_incoming": [int(g[8]), int(g[9])], "removable_neurons": int(g[10]),
                     "shrunk_hidden": [int(g[11]), int(g[12])], "shrunk_test_accuracy": float(g[13]),
                     "seconds": float(g[14]), "from_log": True})
print(json.dumps({"schema": "topiary-bench-reg", "version": 1, "note": "rebuilt from " + sys.argv[1], "runs": runs}, indent=1,
                 ensure_ascii=False))
