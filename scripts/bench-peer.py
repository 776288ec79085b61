#!/usr/bin/python3
"""Training steps side by side: greenbound against PyTorch, in one run on one machine.

Both sides start from the same θ (exported by 'greenbound bench --peer') on the same batch and take the same
Adam steps; the first three losses must agree to 1e-10 relative, else the timings compare different work and
the script stops. Then rounds alternate: greenbound times 5 steps in its own process, its floor 5 (the same
step blocked through the batch, src/cli/bench_floor.c, its gradient checked against greenbound's first),
PyTorch 5 steps at one thread and 5 at two, until each has 25; the rounds share the machine's drift. Writes reports/bench.md,
reports/bench.json and reports/bench.svg (timings: never part of the deterministic verify reports).

usage: scripts/bench-peer.py [--greenbound PATH] [--out DIR] [--rounds R]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

from bench_report import write_json

try:
    import torch
except ImportError:
    sys.exit("bench-peer: PyTorch is missing: scripts/deps.sh --bench installs Debian's python3-torch")

MODELS = ("deeplinear", "mlp")
STEPS_PER_ROUND = 5
AGREE = 1e-10


def build(peer, theta):
    """the network of the export's layers, its parameters viewed from θ in greenbound's order"""
    mods = []
    for layer in peer["layers"]:
        lin = torch.nn.Linear(layer["cols"], layer["rows"], bias=layer["bias"], dtype=torch.float64)
        off, r, c = layer["offset"], layer["rows"], layer["cols"]
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(theta[off:off + r * c].reshape(r, c)))
            if layer["bias"]:
                lin.bias.copy_(torch.from_numpy(theta[off + r * c:off + r * c + r]))
        mods.append(lin)
        if layer["act"] == "tanh":
            mods.append(torch.nn.Tanh())
        elif layer["act"] != "none":
            sys.exit("bench-peer: unknown activation %r" % layer["act"])
    return torch.nn.Sequential(*mods)


def adam(net, peer):
    return torch.optim.Adam(net.parameters(), lr=peer["lr"], betas=(peer["beta1"], peer["beta2"]),
                            eps=peer["eps"], weight_decay=peer["weight_decay"])


def step(net, opt, F, U):
    opt.zero_grad(set_to_none=True)
    loss = torch.mean((net(F) - U) ** 2)
    loss.backward()
    opt.step()
    return loss.item()


class TorchSide:
    """one network and optimiser per thread count, built and warmed up once, timed in rounds"""

    def __init__(self, peer, theta, F, U, threads):
        self.threads, self.F, self.U = threads, F, U
        torch.set_num_threads(threads)
        self.net = build(peer, theta)
        self.opt = adam(self.net, peer)
        for _ in range(2):   # warm-up, as on greenbound's side
            step(self.net, self.opt, F, U)

    def times(self, n):
        torch.set_num_threads(self.threads)
        out = []
        for _ in range(n):
            t0 = time.perf_counter()
            step(self.net, self.opt, self.F, self.U)
            out.append(time.perf_counter() - t0)
        return out


def gb_run(gb, model, n, floor=False):
    r = subprocess.run([gb, "bench", "--model", model, "--steps", str(n)] + (["--floor"] if floor else []),
                       capture_output=True, text=True)
    if r.returncode:
        sys.exit("bench-peer: greenbound bench --model %s%s failed: %s" % (model, " --floor" if floor else "",
                                                                        r.stderr.strip()))
    return json.loads(r.stdout)


def med(v):
    return float(np.median(v))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--greenbound", default="./build/greenbound")
    ap.add_argument("--out", default="reports")
    ap.add_argument("--rounds", type=int, default=5)
    a = ap.parse_args()
    if a.rounds < 1:
        sys.exit("bench-peer: --rounds must be at least 1")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([a.greenbound, "bench", "--peer", tmp], check=True)
        for model in MODELS:
            d = os.path.join(tmp, model)
            with open(os.path.join(d, "peer.json")) as f:
                peer = json.load(f)
            theta = np.load(os.path.join(d, "theta.npy"))
            F = torch.from_numpy(np.load(os.path.join(d, "F.npy")))
            U = torch.from_numpy(np.load(os.path.join(d, "U.npy")))
            # the same work: the first losses from the same θ
            torch.set_num_threads(1)
            net = build(peer, theta)
            opt = adam(net, peer)
            mine = [step(net, opt, F, U) for _ in peer["losses"]]
            rel = max(abs(x - y) / abs(y) for x, y in zip(mine, peer["losses"]))
            if not rel <= AGREE:
                sys.exit("bench-peer: %s: the losses differ by %.3g relative (greenbound %s, PyTorch %s): "
                         "not the same computation" % (model, rel, peer["losses"], mine))
            t = {"greenbound": [], "floor": [], "torch1": [], "torch2": []}
            sides = {"torch1": TorchSide(peer, theta, F, U, 1), "torch2": TorchSide(peer, theta, F, U, 2)}
            for _ in range(a.rounds):
                t["greenbound"] += gb_run(a.greenbound, model, STEPS_PER_ROUND)["seconds"]
                fl = gb_run(a.greenbound, model, STEPS_PER_ROUND, floor=True)
                t["floor"] += fl["seconds"]
                for k, side in sides.items():
                    t[k] += side.times(STEPS_PER_ROUND)
            best = min(med(t["torch1"]), med(t["torch2"]))
            rows.append({"model": model, "architecture": peer["architecture"], "batch": peer["batch"],
                         "losses_greenbound": peer["losses"], "losses_torch": mine, "max_rel_loss_diff": rel,
                         "floor_grad_rel_diff": fl["grad_rel_diff"], "gflop_per_step": fl["gflop"],
                         "seconds": t, "median": {k: med(v) for k, v in t.items()},
                         "ratio_to_best_torch": med(t["greenbound"]) / best,
                         "ratio_to_floor": med(t["greenbound"]) / med(t["floor"])})
    meta = {"torch": torch.__version__, "numpy": np.__version__, "cpus": os.cpu_count(),
            "steps_each": a.rounds * STEPS_PER_ROUND, "dtype": "float64",
            "rule": "losses of the first three Adam steps agree to %g relative before anything is timed" % AGREE}
    with open(write_json(a.out, "bench", {"meta": meta, "models": rows}), "w") as f:
        f.write("# One Adam step, side by side: greenbound and PyTorch\n\n"
                "Written by `make bench` (scripts/bench-peer.py); timings of this machine at this moment, kept apart "
                "from the deterministic reports. Both sides start from the same θ on the same batch (sin:4 data, "
                "N = 64, float64); before any timing the first three losses must agree to %g relative. %d steps "
                "each, in rounds of %d alternating greenbound, PyTorch at 1 thread and at 2 threads. PyTorch %s, "
                "%d CPUs. Models covered so far: %s (DeepONet, FNO, PI-DeepONet, linear GD and a whole "
                "cross-validation row are not yet compared).\n\n"
                "The *floor* is the same step done as directly as this machine allows (src/cli/bench_floor.c): "
                "the batch in blocks of 512 rows through forward and backward, bias and activation fused into "
                "one pass, private gradients per thread added at the end, Adam on both threads; its gradient must "
                "agree with greenbound's to 1e-12 relative before it is timed. GFLOP per step counts the GEMMs "
                "(2 B·in·out per layer forward, twice that backward but for the first layer's input "
                "gradient).\n\n"
                % (AGREE, meta["steps_each"], STEPS_PER_ROUND, torch.__version__, os.cpu_count(), ", ".join(MODELS)))
        f.write("| model | batch | GFLOP per step | loss agreement (max rel.) | greenbound ms, median (min–max) | "
                "floor | PyTorch 1 thread | PyTorch 2 threads | greenbound / floor | greenbound / best PyTorch |\n"
                "|---|---|---|---|---|---|---|---|---|---|\n")
        for r in rows:
            def cell(k):
                v = r["seconds"][k]
                return "%.2f (%.2f–%.2f)" % (1e3 * med(v), 1e3 * min(v), 1e3 * max(v))
            f.write("| %s | %d | %.3f | %.1e | %s | %s | %s | %s | %.2f | %.2f |\n"
                    % (r["architecture"], r["batch"], r["gflop_per_step"], r["max_rel_loss_diff"],
                       cell("greenbound"), cell("floor"), cell("torch1"), cell("torch2"), r["ratio_to_floor"],
                       r["ratio_to_best_torch"]))
        f.write("\n![medians](bench.svg)\n")
    write_svg(os.path.join(a.out, "bench.svg"), rows)
    print("bench-peer: " + "; ".join("%s %.2f× the best PyTorch, %.2f× its floor"
                                     % (r["model"], r["ratio_to_best_torch"], r["ratio_to_floor"]) for r in rows))


def write_svg(path, rows):
    """grouped bars of the median step times"""
    keys = (("greenbound", "#0072b2"), ("floor", "#009e73"), ("torch1", "#e69f00"), ("torch2", "#cc79a7"))
    W, H, pad, bw = 560, 300, 50, 30
    top = max(r["median"][k] for r in rows for k, _ in keys) * 1.15
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" '
           'font-size="12">' % (W, H),
           '<text x="%d" y="18">median ms per Adam step (lower is faster)</text>' % pad,
           '<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>' % (pad, H - pad, W - 10, H - pad)]
    for i, r in enumerate(rows):
        x0 = pad + 20 + i * (len(keys) * bw + 60)
        for j, (k, col) in enumerate(keys):
            h = (H - 2 * pad) * r["median"][k] / top
            x = x0 + j * bw
            out.append('<rect x="%d" y="%.1f" width="%d" height="%.1f" fill="%s"/>' % (x, H - pad - h, bw - 4, h, col))
            out.append('<text x="%d" y="%.1f" font-size="10">%.1f</text>' % (x, H - pad - h - 3,
                                                                             1e3 * r["median"][k]))
        out.append('<text x="%d" y="%d">%s</text>' % (x0, H - pad + 16, r["model"]))
    for j, (k, col) in enumerate(keys):
        label = {"greenbound": "greenbound", "floor": "its floor", "torch1": "PyTorch, 1 thread",
                 "torch2": "PyTorch, 2 threads"}[k]
        out.append('<rect x="%d" y="%d" width="10" height="10" fill="%s"/><text x="%d" y="%d">%s</text>'
                   % (W - 170, 30 + 16 * j, col, W - 155, 40 + 16 * j, label))
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
