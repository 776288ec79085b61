#!/usr/bin/python3
"""The cost of the closed-form half against the grid size: fitted exponents and a log-log plot.

Runs 'greenbound bench --scaling NMAX --samples S' (data generation, the linear model's closed form and one
gradient-descent step, the MPFR predictions at 256 bits, at N = 32 … NMAX), fits each stage's cost exponent
by least squares on log t against log N over the largest four grids (the asymptotic regime), and checks the
rule that no MPFR stage grows faster than O(N²) (fitted exponent ≤ 2 + 0.3: timings of a shared machine
scatter). Writes reports/bench-scaling.{md,json,svg}: timings of this machine at this moment, never part of
the deterministic verify reports.

usage: scripts/bench-scaling.py [--greenbound PATH] [--out DIR] [--nmax N] [--samples S]
"""
import argparse
import json
import math
import os
import subprocess
import sys

import numpy as np

from bench_report import write_json

STAGES = (
    ("data", "data: S forcings and exact solutions (MPFR, correctly rounded)", "S·N"),
    ("closed_form", "linear model: C, B, SVD and W* = A P", "S·N² + N³"),
    ("gd_epoch", "linear model: one gradient-descent step", "N³"),
    ("mpfr_operator", "MPFR: the identifiable operator A P of poly:8 (p × p solve)", "N²"),
    ("mpfr_green", "MPFR: the Green's matrix G", "N²"),
    ("mpfr_green_8", "MPFR: its 8-mode expansion G₈", "N²"),
    ("mpfr_fd_inf", "MPFR: the FD learner's infinite-data prediction (q = 4)", "N"),
)
FIT_POINTS = 4
MPFR_MAX_EXPONENT = 2.0
SLACK = 0.3


def fit(Ns, ts):
    """slope and intercept of log t on log N over the largest FIT_POINTS grids"""
    x = np.log(np.array(Ns[-FIT_POINTS:], dtype=float))
    y = np.log(np.array(ts[-FIT_POINTS:], dtype=float))
    slope, icpt = np.polyfit(x, y, 1)
    return float(slope), float(icpt)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--greenbound", default="./build/greenbound")
    ap.add_argument("--out", default="reports")
    ap.add_argument("--nmax", type=int, default=1024)
    ap.add_argument("--samples", type=int, default=1000)
    a = ap.parse_args()
    if a.nmax < 32 * 2 ** (FIT_POINTS - 1):
        sys.exit("bench-scaling: --nmax must be at least %d (the fit takes the largest %d grids)"
                 % (32 * 2 ** (FIT_POINTS - 1), FIT_POINTS))
    r = subprocess.run([a.greenbound, "bench", "--scaling", str(a.nmax), "--samples", str(a.samples)],
                       stdout=subprocess.PIPE, text=True)
    if r.returncode:
        sys.exit("bench-scaling: greenbound bench --scaling failed (exit %d)" % r.returncode)
    run = json.loads(r.stdout)
    rows = run["rows"]
    Ns = [row["N"] for row in rows]
    fits = []
    for key, what, expected in STAGES:
        ts = [row[key] for row in rows]
        slope, icpt = fit(Ns, ts)
        rule = key.startswith("mpfr_")
        fits.append({"stage": key, "what": what, "expected": expected, "seconds": ts, "exponent": slope,
                     "intercept": icpt, "mpfr": rule,
                     "within_N2": (slope <= MPFR_MAX_EXPONENT + SLACK) if rule else None})
    bad = [f["stage"] for f in fits if f["mpfr"] and not f["within_N2"]]
    meta = {"samples": a.samples, "N": Ns, "prec": run["prec"], "threads": run["threads"], "fit_points": FIT_POINTS,
            "rule": "every MPFR stage's fitted exponent ≤ %g + %g" % (MPFR_MAX_EXPONENT, SLACK)}
    with open(write_json(a.out, "bench-scaling", {"meta": meta, "stages": fits}), "w") as f:
        f.write("# Cost against the grid size\n\n"
                "Written by `make bench` (scripts/bench-scaling.py); timings of this machine at this moment, kept "
                "apart from the deterministic reports. Each stage at N = %s on S = %d samples (the linear model on "
                "fem data, the predictions on poly:8), MPFR at %d bits, %d OpenMP threads; a stage under 50 ms is "
                "repeated and its fastest call kept. The exponent is the least-squares slope of log t on log N over "
                "the largest %d grids. Rule: no MPFR stage grows faster than O(N²) (exponent ≤ %g, with %g for the "
                "scatter of a shared machine).\n\n"
                % (", ".join(map(str, Ns)), a.samples, run["prec"], run["threads"], FIT_POINTS, MPFR_MAX_EXPONENT,
                   SLACK))
        f.write("| stage | expected | fitted exponent | %s |\n|---|---|---|%s\n"
                % (" | ".join("N = %d, ms" % n for n in Ns), "---|" * len(Ns)))
        for x in fits:
            f.write("| %s | O(%s) | %.2f%s | %s |\n"
                    % (x["what"], x["expected"], x["exponent"],
                       "" if not x["mpfr"] else (" (within O(N²))" if x["within_N2"] else " (**above O(N²)**)"),
                       " | ".join("%.3g" % (1e3 * t) for t in x["seconds"])))
        f.write("\n%s\n\n![cost against N](bench-scaling.svg)\n"
                % ("Every MPFR stage is within O(N²)." if not bad else
                   "Above O(N²): %s." % ", ".join(bad)))
    write_svg(os.path.join(a.out, "bench-scaling.svg"), Ns, fits)
    print("bench-scaling: exponents " + ", ".join("%s %.2f" % (x["stage"], x["exponent"]) for x in fits))
    return 1 if bad else 0


def write_svg(path, Ns, fits):
    """log-log lines of the stages' seconds against N, each with its fitted exponent in the legend"""
    colours = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9", "#000000")
    W, H, left, right, top, bottom = 760, 460, 70, 290, 30, 50
    ts = [t for x in fits for t in x["seconds"] if t > 0]
    ylo, yhi = math.floor(math.log10(min(ts))), math.ceil(math.log10(max(ts)))
    xlo, xhi = math.log2(Ns[0]), math.log2(Ns[-1])

    def px(n):
        return left + (W - left - right) * (math.log2(n) - xlo) / (xhi - xlo)

    def py(t):
        return H - bottom - (H - top - bottom) * (math.log10(t) - ylo) / (yhi - ylo)

    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" '
           'font-size="12">' % (W, H),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="%d" y="18">seconds per stage against N (log-log); fitted exponent in the legend</text>' % left]
    for e in range(ylo, yhi + 1):
        y = py(10.0 ** e)
        out.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>' % (left, y, W - right, y))
        out.append('<text x="%d" y="%.1f" text-anchor="end">1e%d</text>' % (left - 6, y + 4, e))
    for n in Ns:
        x = px(n)
        out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/>' % (x, top, x, H - bottom))
        out.append('<text x="%.1f" y="%d" text-anchor="middle">%d</text>' % (x, H - bottom + 16, n))
    out.append('<text x="%d" y="%d" text-anchor="middle">N</text>' % ((left + W - right) // 2, H - 12))
    for i, x in enumerate(fits):
        c = colours[i % len(colours)]
        pts = " ".join("%.1f,%.1f" % (px(n), py(t)) for n, t in zip(Ns, x["seconds"]) if t > 0)
        out.append('<polyline points="%s" fill="none" stroke="%s" stroke-width="2"/>' % (pts, c))
        ly = top + 10 + 18 * i
        out.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="3"/>'
                   % (W - right + 12, ly, W - right + 32, ly, c))
        out.append('<text x="%d" y="%d" font-size="11">%s: %.2f</text>' % (W - right + 38, ly + 4, x["stage"],
                                                                           x["exponent"]))
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    sys.exit(main())
