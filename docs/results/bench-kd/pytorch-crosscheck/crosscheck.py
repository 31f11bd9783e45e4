#!/usr/bin/env python3
"""FMNIST-KD cross-check in PyTorch (a diagnostic, not part of the build).

Trains LeNet-300-100 students with the FMNIST-KD protocol (Adam 1e-3, batch 128, 10 epochs,
softmax cross-entropy; Hinton loss a*CE + (1-a)*T^2*KL(softmax(z_t/T) || softmax(z_s/T)) with the
batch-mean reduction) on data and teacher logits exported from Topiary (the 54,000 / 6,000
split with split seed 1, the logits of the 54k CNN teachers), and scores them on the 6,000
validation images. Plain and KD students of one seed share the initial weights and batch order.

Files read from --export (little-endian): <part>_x.f32 [n,784], <part>_y.i32 [n],
<part>_t<k>.f32 [n,10] (teacher k's logits), for part = train54 and val6.

--init dl4j: weights N(0, 2/(fan_in+fan_out)) and zero biases (DL4J's WeightInit.XAVIER);
--init torch: PyTorch's nn.Linear default (weights and biases U(+-1/sqrt(fan_in))).
"""
import argparse
import json
import math
import time

import numpy as np
import torch
import torch.nn.functional as F


def load(export, part, n_teachers):
    x = np.fromfile(f"{export}/{part}_x.f32", dtype="<f4").reshape(-1, 784)
    y = np.fromfile(f"{export}/{part}_y.i32", dtype="<i4").astype(np.int64)
    ts = [np.fromfile(f"{export}/{part}_t{k}.f32", dtype="<f4").reshape(-1, 10) for k in range(n_teachers)]
    return torch.from_numpy(x), torch.from_numpy(y), [torch.from_numpy(t) for t in ts]


def student(init, seed):
    torch.manual_seed(seed)
    net = torch.nn.Sequential(
        torch.nn.Linear(784, 300), torch.nn.ReLU(),
        torch.nn.Linear(300, 100), torch.nn.ReLU(),
        torch.nn.Linear(100, 10))
    if init == "dl4j":
        with torch.no_grad():
            for m in net:
                if isinstance(m, torch.nn.Linear):
                    fan_out, fan_in = m.weight.shape
                    m.weight.normal_(0.0, math.sqrt(2.0 / (fan_in + fan_out)))
                    m.bias.zero_()
    elif init != "torch":
        raise SystemExit(f"--init must be dl4j or torch, not {init}")
    return net


def train(init, seed, x, y, zt, temperature, alpha, epochs=10, batch=128, each_epoch=None):
    net = student(init, seed)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    order = torch.Generator().manual_seed(seed)
    n = x.shape[0]
    for _ in range(epochs):
        perm = torch.randperm(n, generator=order)
        for i in range(0, n, batch):
            idx = perm[i:i + batch]
            z = net(x[idx])
            ce = F.cross_entropy(z, y[idx])
            if zt is None:
                loss = ce
            else:
                kl = F.kl_div(F.log_softmax(z / temperature, dim=1), F.softmax(zt[idx] / temperature, dim=1),
                              reduction="batchmean")
                loss = alpha * ce + (1 - alpha) * temperature * temperature * kl
            opt.zero_grad()
            loss.backward()
            opt.step()
        if each_epoch is not None:
            each_epoch(net)
    return net


def accuracy(net, x, y):
    with torch.no_grad():
        return (net(x).argmax(1) == y).float().mean().item() * 100


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--export", required=True)
    p.add_argument("--init", required=True, choices=["dl4j", "torch"])
    p.add_argument("--seeds", default="1,2,3")
    p.add_argument("--settings", default="1:2:0.3,1:3:0.3,1:4:0.3,1:2:0.5,1:3:0.5,1:4:0.5,2:2:0.3",
                   help="K:T:alpha, K = number of teachers averaged (logits of teachers 0..K-1)")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--json", required=True)
    p.add_argument("--curves", action="store_true",
                   help="record the validation accuracy after every epoch (key 'curve') as well")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    settings = [(int(k), float(t), float(al)) for k, t, al in (s.split(":") for s in a.settings.split(","))]
    kmax = max(k for k, _, _ in settings)
    x, y, ts = load(a.export, "train54", kmax)
    vx, vy, _ = load(a.export, "val6", 0)
    out = {"init": a.init, "torch": torch.__version__, "threads": a.threads, "runs": []}
    for seed in (int(s) for s in a.seeds.split(",")):
        t0 = time.time()
        curve = []
        hook = (lambda net: curve.append(accuracy(net, vx, vy))) if a.curves else None
        plain = accuracy(train(a.init, seed, x, y, None, 1.0, 1.0, each_epoch=hook), vx, vy)
        out["runs"].append({"seed": seed, "arm": "plain", "val": plain, "seconds": time.time() - t0})
        if a.curves:
            out["runs"][-1]["curve"] = curve
        print(f"seed {seed} plain {plain:.2f} ({time.time() - t0:.0f} s)", flush=True)
        for k, t, al in settings:
            zt = sum(ts[:k]) / k
            curve = []
            acc = accuracy(train(a.init, seed, x, y, zt, t, al, each_epoch=hook), vx, vy)
            out["runs"].append({"seed": seed, "arm": "kd", "K": k, "T": t, "alpha": al, "val": acc,
                                "gain": acc - plain})
            if a.curves:
                out["runs"][-1]["curve"] = curve
            print(f"seed {seed} K{k} T{t:g} a{al:g} {acc:.2f} ({acc - plain:+.2f})", flush=True)
        with open(a.json, "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
