#!/usr/bin/env python3
"""Pairs every bench-reg run with the dense run of the same seed and the same training data
(full 60k or the 54k of a validation split) and prints one row per (setting, seed) and a
mean ± sample-std row per setting.

usage: aggregate.py FILE.json...   (the files of one round; a dense run must be among them)
       aggregate.py --no-test FILE.json...   (hide test accuracies: what exploration looked at)
       aggregate.py [--no-test] --reference R.json... -- FILE.json...
           (only the dense runs of the R files are used: round 4's exploration pairs with the dense
           runs of round 3, which are deterministic per seed and training data)
"""
import json
import statistics
import sys


def setting(root, run):
    arm = run["arm"]
    parts = [arm]
    if arm != "dense":
        parts.append("λ=%g" % run["lambda"])
    if arm.endswith("-ft"):
        parts.append("FT after %d" % root["ft_epoch"])
    if (arm.startswith("aprox") or arm.startswith("agroup") or arm.startswith("raprox")) \
            and root.get("threshold_cap") is not None:
        parts.append("cap %g" % root["threshold_cap"])
    factors = root.get("group_layer_factors", [1.0, 1.0])
    if "group" in arm and factors != [1.0, 1.0]:
        parts.append("fc1,fc2 λ×%g,%g" % tuple(factors))
    if arm.startswith("rgroup") or arm.startswith("raprox"):
        parts.append("γ=%g, from epoch %d" % (root["reweight_gamma"], root["reweight_epoch"] + 1))
    if arm != "dense" and root.get("ramp_epochs", 0):
        parts.append("ramp %d" % root["ramp_epochs"])
    return ", ".join(parts)


def main(args):
    show_test = True
    if args and args[0] == "--no-test":
        show_test = False
        args = args[1:]
    references = []
    if args and args[0] == "--reference":
        cut = args.index("--")
        references = args[1:cut]
        args = args[cut + 1:]
    dense = {}
    rows = []
    for f in references + args:
        root = json.load(open(f))
        data = root.get("validation_examples", 0)
        for r in root["runs"]:
            key = (r["seed"], data)
            if r["arm"] == "dense":
                if key not in dense:
                    dense[key] = r
                    rows.append((setting(root, r), data, r))
            elif f not in references:
                rows.append((setting(root, r), data, r))
    groups = {}
    for name, data, r in rows:
        groups.setdefault((name, data), []).append(r)
    head = "| setting | train | seed | val acc % | Δ val pt |"
    head += " test acc % | Δ test pt |" if show_test else ""
    head += " zeros % | fc1 / fc2 zeros % | removable of 400 | shrunk |"
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    for (name, data), runs in groups.items():
        dv, dt, zs, rm = [], [], [], []
        for r in sorted(runs, key=lambda r: r["seed"]):
            d = dense.get((r["seed"], data))
            val = r.get("validation_accuracy")
            dval = 100 * (val - d["validation_accuracy"]) if d and val is not None else None
            dtest = 100 * (r["test_accuracy"] - d["test_accuracy"]) if d else None
            dv.append(dval)
            dt.append(dtest)
            zs.append(100 * r["weight_sparsity"])
            rm.append(r["removable_neurons"])
            line = "| %s | %s | %d | %s | %s |" % (
                name, "54k" if data else "60k", r["seed"],
                "%.2f" % (100 * val) if val is not None else "–", "%+.2f" % dval if dval is not None else "–")
            if show_test:
                line += " %.2f | %s |" % (100 * r["test_accuracy"], "%+.2f" % dtest if dtest is not None else "–")
            line += " %.1f | %.1f / %.1f | %d | %s |" % (
                100 * r["weight_sparsity"], 100 * r["layer_sparsity"][0], 100 * r["layer_sparsity"][1],
                r["removable_neurons"], "784-%d-%d-10" % tuple(r["shrunk_hidden"]))
            print(line)
        if len(runs) > 1:
            def ms(v):
                v = [x for x in v if x is not None]
                if not v:
                    return "–"
                return "%+.2f ± %.2f" % (statistics.mean(v), statistics.stdev(v) if len(v) > 1 else 0.0)
            line = "| **%s, mean** | %s | %d | | %s |" % (name, "54k" if data else "60k", len(runs), ms(dv))
            if show_test:
                line += " | %s |" % ms(dt)
            line += " %.1f ± %.1f | | %.0f ± %.0f (%.1f%%) | |" % (
                statistics.mean(zs), statistics.stdev(zs), statistics.mean(rm), statistics.stdev(rm),
                statistics.mean(rm) / 4)
            print(line)


if __name__ == "__main__":
    main(sys.argv[1:])
