#!/usr/bin/env python3
"""Usage: aggregate.py [dense=FILE] [LABEL@]FILE...

Aggregates topiary-bench-reg JSON files: runs from several invocations (one per seed) are
pooled; Δ is paired with the dense run of the same seed found in any of the files."""
import json, sys, statistics as st

# "dense=FILE" takes only the dense runs of FILE (the paired reference; deterministic per seed)
runs = []
dense = {}
for f in sys.argv[1:]:
    if f.startswith("dense="):
        for r in json.load(open(f[6:]))["runs"]:
            if r["arm"] == "dense":
                dense[r["seed"]] = r["test_accuracy"]
        continue
    label = None
    if "@" in f:  # "LABEL@FILE": the runs of FILE are shown as "arm (LABEL)"
        label, f = f.split("@", 1)
    for r in json.load(open(f))["runs"]:
        if label and r["arm"] != "dense":
            r["arm"] = r["arm"] + " (" + label + ")"
        runs.append(r)
for r in runs:
    if r["arm"] == "dense":
        assert dense.get(r["seed"], r["test_accuracy"]) == r["test_accuracy"], "dense differs for seed %d" % r["seed"]
        dense[r["seed"]] = r["test_accuracy"]
groups = {}
for r in runs:
    groups.setdefault((r["arm"], r["lambda"]), []).append(r)

def ms(v):
    return (st.mean(v), st.stdev(v) if len(v) > 1 else 0.0)

print("| arm | λ | seeds | accuracy % | Δ vs dense, pt (paired; per seed) | exact-zero weights % (median) | fc1 / fc2 / out zeros % | hidden neurons removable of 400 (median) | shrunk net (median sizes) | shrunk acc = acc |")
print("|---|---|---|---|---|---|---|---|---|---|")
for (arm, lam), g in groups.items():
    g = sorted(g, key=lambda r: r["seed"])
    acc = [100 * r["test_accuracy"] for r in g]
    d = [100 * (r["test_accuracy"] - dense[r["seed"]]) for r in g if r["seed"] in dense]
    z = [100 * r["weight_sparsity"] for r in g]
    lay = [ms([100 * r["layer_sparsity"][i] for r in g])[0] for i in range(3)]
    rem = [r["removable_neurons"] for r in g]
    sizes = [int(st.median([r["shrunk_hidden"][i] for r in g])) for i in range(2)]
    same = all(abs(r["shrunk_test_accuracy"] - r["test_accuracy"]) < 5e-5 for r in g)
    a, sa = ms(acc)
    dm, ds = ms(d) if d else (float('nan'), float('nan'))
    zm, zs = ms(z)
    rm, rs = ms(rem)
    per = ", ".join("%+.2f" % x for x in d)
    print(f"| {arm} | {'–' if arm == 'dense' else lam} | {len(g)} | {a:.2f} ± {sa:.2f} | "
          + ("reference" if arm == "dense" else f"{dm:+.2f} ± {ds:.2f} ({per})")
          + f" | {zm:.1f} ± {zs:.1f} ({st.median(z):.1f}) | {lay[0]:.1f} / {lay[1]:.1f} / {lay[2]:.1f} | "
          + f"{rm:.0f} ± {rs:.0f} ({st.median(rem):.0f}) | 784-{sizes[0]}-{sizes[1]}-10 | {'yes' if same else 'no'} |")
print()
print("dense per seed:", {k: round(100 * v, 2) for k, v in sorted(dense.items())})
print("seconds per run:", sorted(round(r["seconds"]) for r in runs))
