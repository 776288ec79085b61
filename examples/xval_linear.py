#!/usr/bin/env python3
"""An outside model on the function-space cross-validation benchmark (arXiv:2506.15199, SPEC §8).

Fits the linear operator model u = W f by least squares on each of the 25 exported training
sets (minimum-norm solution, i.e. the gradient-descent limit from W0 = 0 of Theorem 3.2), predicts
all 25 test sets, and writes the predictions in the layout 'greenbound score' reads:

    greenbound export --N 32 --samples 1000 --out bench
    python3 examples/xval_linear.py bench preds
    greenbound score --pred preds --name numpy-linear

NumPy only. The scores reproduce the matrix of 'greenbound xval --model linear' (claim XV-LIN).
"""
import json
import os
import shutil
import sys

try:
    import numpy as np
except ImportError:  # one line, not a traceback: what to install
    print("xval_linear.py: numpy is not installed (Debian: apt-get install python3-numpy)", file=sys.stderr)
    sys.exit(3)


def main(argv):
    if len(argv) != 3 or argv[1] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    src, dst = argv[1], argv[2]
    with open(os.path.join(src, "manifest.json")) as fp:
        manifest = json.load(fp)
    if manifest.get("format") != "greenbound-xval-1":
        print(f"{src}/manifest.json: not a greenbound-xval-1 export", file=sys.stderr)
        return 1
    order = manifest["order"]
    os.makedirs(dst)
    shutil.copy(os.path.join(src, "manifest.json"), os.path.join(dst, "manifest.json"))
    tests = {b: np.load(os.path.join(src, manifest["test"][b]["f"])) for b in order}
    for a in order:
        F = np.load(os.path.join(src, manifest["train"][a]["f"]))  # samples x nodes
        U = np.load(os.path.join(src, manifest["train"][a]["u"]))
        # u_s = W f_s for every sample s:  F W^T = U, minimum-norm least squares
        Wt, *_ = np.linalg.lstsq(F, U, rcond=None)
        for b in order:
            np.save(os.path.join(dst, f"pred_{a}_{b}.npy"), tests[b] @ Wt)
    print(f"wrote {len(order) ** 2} predictions to {dst}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
