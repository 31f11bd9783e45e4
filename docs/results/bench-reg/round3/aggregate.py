#!/usr/bin/env python3
"""Pairs every bench-reg run with the dense run of the same seed and the same training data
(full 60k or the 54k of a validation split) and prints one row per (setting, seed) and a
mean ± sample-std row per setting.

usage: aggregate.py FILE.json...   (the files of one round; a dense run must be among them)
       aggregate.py --no-test FILE.json...   (hide test accuracies: what exploration looked at)
"""
import json
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ next to the recorded results
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))
from aggregate_table import print_table  # noqa: E402  (docs/results/bench-reg/aggregate_table.py)


def setting(root, run):
    arm = run["arm"]
    parts = [arm]
    if arm != "dense":
        parts.append("λ=%g" % run["lambda"])
    if arm.endswith("-ft"):
        parts.append("FT after %d" % root["ft_epoch"])
    if arm.startswith("aprox") and root.get("threshold_cap") is not None:
        parts.append("cap %g" % root["threshold_cap"])
    factors = root.get("group_layer_factors", [1.0, 1.0])
    if "group" in arm and factors != [1.0, 1.0]:
        parts.append("fc1,fc2 λ×%g,%g" % tuple(factors))
    if arm != "dense" and root.get("ramp_epochs", 0):
        parts.append("ramp %d" % root["ramp_epochs"])
    return ", ".join(parts)


def main(args):
    show_test = True
    if args and args[0] == "--no-test":
        show_test = False
        args = args[1:]
    dense = {}
    rows = []
    for f in args:
        root = json.load(open(f))
        data = root.get("validation_examples", 0)
        for r in root["runs"]:
            key = (r["seed"], data)
            if r["arm"] == "dense":
                dense[key] = r
            rows.append((setting(root, r), data, r))
    print_table(rows, dense, show_test)


if __name__ == "__main__":
    main(sys.argv[1:])
