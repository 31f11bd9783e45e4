"""The table that round3/aggregate.py and round4/aggregate.py print: one row per (setting, seed)
with its differences to the dense run of the same seed and training data, and a mean ± sample-std
row per setting of more than one run. The rounds differ only in how they name a setting and which
files the dense runs come from, so each round's aggregate.py builds the rows and this prints them.
"""
import statistics


def print_table(rows, dense, show_test):
    """rows: (setting, validation_examples, run) in the order of the files; dense: the dense run
    per (seed, validation_examples); show_test: False hides test accuracies (what exploration
    looked at)."""
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
