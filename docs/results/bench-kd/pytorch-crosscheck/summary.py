#!/usr/bin/env python3
"""Summarises crosscheck.py's JSON files (xc-dl4j.json, xc-torch.json) next to this script."""
import json
import os
import statistics as st

HERE = os.path.dirname(os.path.abspath(__file__))
# DL4J validation results of the same settings (benchmarks.md, FMNIST-KD, leak-free validation):
# plain students and paired gains on seeds 1-3.
DL4J_PLAIN = {1: 88.95, 2: 89.77, 3: 89.23, 4: 89.52, 5: 89.57, 6: 89.45}
DL4J_K1_GAINS_S123 = {(2, 0.3): 0.37, (3, 0.3): 0.40, (4, 0.3): 0.44, (2, 0.5): 0.87, (3, 0.5): 0.55, (4, 0.5): 0.52}


def ms(v):
    return f"{st.mean(v):+.2f} ± {st.stdev(v):.2f}" if len(v) > 1 else f"{v[0]:+.2f}"


def main():
    runs = {}
    for init in ("dl4j", "torch"):
        with open(os.path.join(HERE, f"xc-{init}.json")) as f:
            runs[init] = json.load(f)["runs"]
    settings = sorted({(r["K"], r["T"], r["alpha"]) for r in runs["dl4j"] if r["arm"] == "kd"})
    print("| init | arm | seeds 1-3 val acc | seeds 1-6 val acc | gain seeds 1-3 | gain seeds 1-6 |")
    print("|---|---|---|---|---|---|")
    for init, rs in runs.items():
        plain = {r["seed"]: r["val"] for r in rs if r["arm"] == "plain"}
        print(f"| {init} | plain | {st.mean(plain[s] for s in (1, 2, 3)):.2f} | {st.mean(plain.values()):.2f} | | |")
        for k, t, a in settings:
            kd = [r for r in rs if r["arm"] == "kd" and (r["K"], r["T"], r["alpha"]) == (k, t, a)]
            g3 = [r["gain"] for r in kd if r["seed"] <= 3]
            print(f"| {init} | K{k} T{t:g} a{a:g} | {st.mean(r['val'] for r in kd if r['seed'] <= 3):.2f} | "
                  f"{st.mean(r['val'] for r in kd):.2f} | {ms(g3)} | {ms([r['gain'] for r in kd])} |")
    for init, rs in runs.items():
        k1 = [r for r in rs if r["arm"] == "kd" and r["K"] == 1]
        g123 = st.mean(r["gain"] for r in k1 if r["seed"] <= 3)
        acc123 = st.mean(r["val"] for r in k1 if r["seed"] <= 3)
        allg = st.mean(r["gain"] for r in rs if r["arm"] == "kd")
        print(f"{init}: K=1 mean gain seeds 1-3 {g123:+.3f} (KD acc {acc123:.2f}); all 7 settings x 6 seeds {allg:+.3f}")
    print(f"DL4J: K=1 mean gain seeds 1-3 {st.mean(DL4J_K1_GAINS_S123.values()):+.3f} "
          f"(KD acc {st.mean(v + st.mean(DL4J_PLAIN[s] for s in (1, 2, 3)) for v in DL4J_K1_GAINS_S123.values()):.2f}); "
          f"plain seeds 1-3 {st.mean(DL4J_PLAIN[s] for s in (1, 2, 3)):.2f}, 1-6 {st.mean(DL4J_PLAIN.values()):.2f}")
    d = {i: st.mean(r["gain"] for r in rs if r["arm"] == "kd") for i, rs in runs.items()}
    print(f"question 2: torch minus dl4j init, mean gain over 7 settings x 6 seeds: {d['torch'] - d['dl4j']:+.3f}")


def curves():
    """Per-epoch validation accuracy: curves-dl4j.json (Curves.java) and curves-torch.json (--curves)."""
    rows = []
    with open(os.path.join(HERE, "curves-dl4j.json")) as f:
        for r in json.load(f):
            rows.append(("dl4j", r["seed"], "plain" if r["arm"] == "plain" else "kd", r["val"]))
    with open(os.path.join(HERE, "curves-torch.json")) as f:
        for r in json.load(f)["runs"]:
            if r["arm"] == "plain" or (r["K"], r["T"], r["alpha"]) == (2, 2.0, 0.3):
                rows.append(("torch", r["seed"], r["arm"], r["curve"]))
    for fw in ("dl4j", "torch"):
        for arm in ("plain", "kd"):
            seeds = [s for f, s, a, _ in rows if f == fw and a == arm]
            assert len(seeds) == len(set(seeds)), f"{fw} {arm}: more than one curve per seed"
    print("| framework | student | epoch 10 | mean of epochs 8-10 | abs(epoch 10 - epoch 9), mean / max |")
    print("|---|---|---|---|---|")
    for fw in ("dl4j", "torch"):
        for arm in ("plain", "kd"):
            cs = [c for f, _, a, c in rows if f == fw and a == arm]
            jump = [abs(c[9] - c[8]) for c in cs]
            e10 = [c[9] for c in cs]
            m3 = [st.mean(c[7:10]) for c in cs]
            print(f"| {fw} | {arm} | {st.mean(e10):.2f} ± {st.stdev(e10):.2f} | {st.mean(m3):.2f} ± {st.stdev(m3):.2f} "
                  f"| {st.mean(jump):.2f} / {max(jump):.2f} |")
    for fw in ("dl4j", "torch"):
        pl = {s: c for f, s, a, c in rows if f == fw and a == "plain"}
        kd = {s: c for f, s, a, c in rows if f == fw and a == "kd"}
        g10 = [kd[s][9] - pl[s][9] for s in sorted(pl)]
        g3 = [st.mean(kd[s][7:10]) - st.mean(pl[s][7:10]) for s in sorted(pl)]
        print(f"{fw}: gain at epoch 10 {ms(g10)} ({', '.join(f'{g:+.2f}' for g in g10)}); "
              f"on the mean of epochs 8-10 {ms(g3)} ({', '.join(f'{g:+.2f}' for g in g3)})")


if __name__ == "__main__":
    main()
    curves()
