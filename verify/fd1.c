/* FD-1 [Q25 Thm 3.1]: on polynomial data of degree p < q the stencil FD_q is exact on
 * the solutions (degree p+2 ≤ q+1), so -w FD_q(u) = f holds with w = k at every node:
 * the least-squares w* equals k for every Δx and every amount of data. */
#include "verify.h"
#include "core/status.h"
#include <math.h>
#include <stdio.h>

static const char *cols[] = {"q", "p", "N", "S", "measured w/k-1", "GD w/k-1", "floor",
                             "|measured|/floor", "predicted w/k-1 (finite sample)", "predicted w/k-1 (infinite data)"};

static void check(gb_claim_t c, const gb_verify_opts *o, gb_data_spec *spec, int q, double *worst)
{
    const gb_fd_case *k = gb_verify_case(o, spec, q, 1);
    char what[96];
    snprintf(what, sizeof what, "q=%d p=%d N=%ld S=%ld", q, spec->p, spec->N, spec->S);
    if (!k || (k->fit_status != GB_OK && k->fit_status != GB_EMAXITER)) {
        gb_claim_judge(c, GB_ERROR, "%s: %s", what, k ? gb_strerror(k->fit_status) : "out of memory");
        return;
    }
    /* prediction: exactly zero (an MPFR value below 2^-(p-64) prints as 0) */
    if (k->delta_inf != 0.0 || k->delta_fs != 0.0 || !k->agree)
        gb_claim_judge(c, GB_FAIL, "%s: the exact prediction is not w = k (%.3e, %.3e)", what, k->delta_inf,
                       k->delta_fs);
    gb_verify_certify_inf(c, o, k, what);
    /* the fault: a perturbed training result */
    double rel = k->rel_ls + (o->fault == GB_FAULT_TRAINING ? 1e-9 : 0.0);
    if (fabs(rel) > k->floor)
        gb_claim_judge(c, GB_FAIL, "%s: |w/k-1| = %.3e above the round-off floor %.3e", what, fabs(rel),
                       k->floor);
    if (k->fit_status == GB_EMAXITER || fabs(k->rel_gd) > k->floor)
        gb_claim_judge(c, GB_FAIL, "%s: gradient descent ended at w/k-1 = %.3e", what, k->rel_gd);
    double ratio = fabs(rel) / k->floor;
    if (ratio > *worst)
        *worst = ratio;
    gb_table_row(&c->cases, (long)q, (long)spec->p, spec->N, spec->S, k->rel_ls, k->rel_gd,
                 k->floor, ratio, k->delta_fs, k->delta_inf);
}

int gb_verify_fd1(gb_claim_t c, const gb_verify_opts *o)
{
    c->requires = "exact FD_q weights (GMP), exact poly solutions (MPFR), data rounded once";
    c->statement = "For polynomial forcings of degree p < q, the learned coefficient of -w FD_q(u) = f "
                   "is exactly w* = k, on every grid and for any number of samples.";
    c->certified_what = "w*/k − 1 at infinite data, each 0";
    c->cases.ncols = sizeof cols / sizeof *cols;
    c->cases.cols = cols;
    gb_verify_params(c, o, GB_USES_DATA | GB_USES_SAMPLES | GB_USES_MPFR, "- also S = 1 and S = 7 at N = 32 (\"every amount of data\")\n");
    gb_verify_params_fd(c, o);
    double worst = 0;
    long Ns[16];
    for (int q = 2; q <= 8; q += 2)
        for (int p = 1; p < q; p++) {
            int n = gb_verify_grid(o, Ns, q);
            for (int i = 0; i < n; i++) {
                gb_data_spec s = gb_verify_spec(o, GB_FAMILY_POLY, p, Ns[i]);
                check(c, o, &s, q, &worst);
            }
            for (long S = 1; S <= 7; S += 6) {
                gb_data_spec s = gb_verify_spec(o, GB_FAMILY_POLY, p, 32);
                s.S = S;
                check(c, o, &s, q, &worst);
            }
        }
    gb_str_printf(&c->prediction, "w* = k exactly (w/k-1 = 0 in MPFR at p and 2p)");
    gb_str_printf(&c->measured, "%ld cases; max |w/k-1| / round-off floor = %.3f", c->cases.nrows, worst);
    return GB_OK;
}
