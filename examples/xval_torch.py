#!/usr/bin/env python3
"""A PyTorch model on the function-space cross-validation benchmark (arXiv:2506.15199; doc/cross-validation.md).

Trains a linear operator u = W f in PyTorch (float32, Adam, full batch) on each of the 25 exported training
sets, predicts all 25 test sets, writes the predictions as float32 .npy files in the layout 'greenbound score'
reads, and scores them:

    greenbound export --N 32 --samples 1000 --out bench
    python3 examples/xval_torch.py bench preds [--greenbound ./build/greenbound] [--epochs 2000]

The scores land in preds-score/. 'greenbound score' also takes the predictions as one .npz archive
(numpy.savez) with the manifest.json beside it.

Needs PyTorch (Debian: apt-get install python3-torch) and NumPy. A trained float32 model cannot reach the
floor of the float64 closed form: its in-span entries sit near float32 round-off (L ≈ −7 … −9), and its
pattern — lower triangle low, the wall at the edge of each family's span — is the linear model's (XV-LIN).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

try:
    import numpy as np
    import torch
except ImportError as e:  # one line, not a traceback: what to install
    print(f"xval_torch.py: {e.name} is not installed (Debian: apt-get install python3-torch python3-numpy)",
          file=sys.stderr)
    sys.exit(3)


def train(F, U, epochs, lr, seed):
    """W (nodes x nodes) minimising the mean squared error of F W^T against U, from W = 0."""
    torch.manual_seed(seed)
    f = torch.from_numpy(F.astype(np.float32))
    u = torch.from_numpy(U.astype(np.float32))
    lin = torch.nn.Linear(F.shape[1], U.shape[1], bias=False)
    torch.nn.init.zeros_(lin.weight)
    opt = torch.optim.Adam(lin.parameters(), lr=lr)
    for _ in range(epochs):
        opt.zero_grad()
        loss = torch.mean((lin(f) - u) ** 2)
        loss.backward()
        opt.step()
    return lin


def main():
    ap = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    ap.add_argument("export", help="the folder 'greenbound export' wrote")
    ap.add_argument("out", help="the predictions folder to create (must not exist)")
    ap.add_argument("--greenbound", default=os.path.join(os.path.dirname(__file__), "..", "build", "greenbound"),
                    help="the greenbound binary that scores the predictions (default ../build/greenbound)")
    ap.add_argument("--epochs", type=int, default=2000)
    ap.add_argument("--lr", type=float, default=1e-2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--name", default="torch-linear")
    a = ap.parse_args()
    with open(os.path.join(a.export, "manifest.json")) as fp:
        manifest = json.load(fp)
    if manifest.get("format") != "greenbound-xval-1":
        print(f"{a.export}/manifest.json: not a greenbound-xval-1 export", file=sys.stderr)
        return 2
    order = manifest["order"]
    os.makedirs(a.out)
    shutil.copy(os.path.join(a.export, "manifest.json"), os.path.join(a.out, "manifest.json"))
    tests = {b: torch.from_numpy(np.load(os.path.join(a.export, manifest["test"][b]["f"])).astype(np.float32))
             for b in order}
    torch.set_num_threads(1)  # reproducible sums
    for i, tr in enumerate(order):
        F = np.load(os.path.join(a.export, manifest["train"][tr]["f"]))
        U = np.load(os.path.join(a.export, manifest["train"][tr]["u"]))
        lin = train(F, U, a.epochs, a.lr, a.seed + i)
        with torch.no_grad():
            for b in order:  # float32 predictions, as PyTorch writes them
                np.save(os.path.join(a.out, f"pred_{tr}_{b}.npy"), lin(tests[b]).numpy())
    print(f"wrote {len(order) ** 2} float32 predictions to {a.out}", file=sys.stderr)
    # the scores go beside the predictions (the folder must hold only them and the manifest)
    return subprocess.call([a.greenbound, "score", "--pred", a.out, "--name", a.name, "--out",
                            a.out.rstrip("/") + "-score"])


if __name__ == "__main__":
    sys.exit(main())
