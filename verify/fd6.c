/* FD-6 [derived; the form in which Thm 3.1 is stated]: fitting -FD_q(u) = v f, i.e.
 * v = 1/w, on polynomial data. The Taylor expansion of FD_q on a polynomial is
 * finite, so  k v* - 1 = Σ_{m=q, m even}^{p} β_{m+2} Δx^m ⟨f^{(m)}, f⟩ / ‖f‖²
 * exactly, with the sums over the drawn samples and the evaluation nodes. */
#include "verify.h"
#include "certify/enclose.h"
#include "core/status.h"
#include "predict/fd_predict.h"
#include <math.h>
#include <stdio.h>

/* the Taylor sum and the generic exact route must agree in this many significant digits */
#define FD6_DIGITS (GB_PRINT_DIGITS - 1)

static const char *cols[] = {"q", "p", "N", "Taylor-sum prediction kv-1", "generic-route prediction kv-1",
                             "measured kv-1", "|measured - prediction|", "floor"};

typedef struct {
    const gb_dataset_struct *d;
    const gb_stencil_struct *st;
} inverse_arg;

/* k v* − 1 by the Taylor sum, and by the generic exact route, at the precision of r */
static int taylor_sum(mpfr_t r, const void *arg)
{
    const inverse_arg *a = arg;
    return gb_fd_pred_inverse(r, a->d, a->st);
}

static int generic_route(mpfr_t r, const void *arg)
{
    const inverse_arg *a = arg;
    return gb_fd_pred_sample_inverse(r, a->d, a->st);
}

int gb_verify_fd6(gb_claim_t c, const gb_verify_opts *o)
{
    c->requires = "exact β_j (GMP); forcing derivatives in MPFR";
    c->statement = "With v = 1/w learned from -FD_q(u) = v f on polynomial data, k v* - 1 equals the finite "
                   "Taylor sum Σ_{m=q,even}^{p} β_{m+2} Δx^m ⟨f^{(m)}, f⟩/‖f‖², exactly.";
    c->certified_what = "k v* − 1 on the drawn coefficients";
    c->cases.ncols = sizeof cols / sizeof *cols;
    c->cases.cols = cols;
    char extra[256];
    snprintf(extra, sizeof extra,
             "- grids N = 16 and N = 64; p = 1..8; q = 2, 4, 6, 8\n"
             "- rule: the Taylor sum and the generic exact route agree in %d digits; "
             "|measured - prediction| ≤ floor\n", FD6_DIGITS);
    gb_verify_params(c, o, GB_USES_DATA | GB_USES_SAMPLES | GB_USES_MPFR, extra);
    gb_verify_params_fd(c, o);
    static const long grids[] = {16, 64};
    double worst = 0;
    for (int q = 2; q <= 8; q += 2)
        for (int p = 1; p <= 8; p++)
            for (int g = 0; g < 2; g++) {
                gb_data_spec s = gb_verify_spec(o, GB_FAMILY_POLY, p, grids[g]);
                const gb_fd_case *k = gb_verify_case(o, &s, q, 0);
                gb_data_spec clean = s;
                clean.solution_fault = 0.0;
                const gb_dataset_struct *d = gb_fd_dataset_get(&clean);
                if (!k || !d || (k->fit_status != GB_OK && k->fit_status != GB_EMAXITER))
                    return k && d ? k->fit_status : GB_ENOMEM;
                inverse_arg ia = {d, gb_fd_stencil(q)};
                double taylor, generic;
                int a1 = gb_verify_dual(&taylor, o, taylor_sum, &ia),
                    a2 = gb_verify_dual(&generic, o, generic_route, &ia);
                if (a1 < 0 || a2 < 0)
                    return GB_EINVAL;
                if (!a1 || !a2)
                    gb_claim_judge(c, GB_INCONCLUSIVE, "q=%d p=%d N=%ld: prediction differs at p and 2p", q, p,
                                   grids[g]);
                if (!gb_digits_agree(taylor, generic, FD6_DIGITS))
                    gb_claim_judge(c, GB_FAIL, "q=%d p=%d N=%ld: Taylor sum %.15e ≠ exact least squares %.15e", q,
                                   p, grids[g], taylor, generic);
                arb_t b;   /* k v* − 1 in ball arithmetic, on the same drawn coefficients */
                arb_init(b);
                gb_enclose_fd_lsq(NULL, b, GB_FAMILY_POLY, d->terms, d->nb, d->coef, d->spec.S, grids[g], q, d->spec.k,
                                  2 * o->prec);
                char what[48];
                snprintf(what, sizeof what, "q=%d p=%d N=%ld: k v* − 1", q, p, grids[g]);
                gb_verify_certify(c, o, b, taylor, what, NULL, 0);
                arb_clear(b);
                double err = fabs(k->fit.kv_minus_1 - taylor);
                if (err > k->floor)
                    gb_claim_judge(c, GB_FAIL, "q=%d p=%d N=%ld: measured kv-1 = %.6e vs %.6e (floor %.1e)", q, p,
                                   grids[g], k->fit.kv_minus_1, taylor, k->floor);
                if (err / k->floor > worst)
                    worst = err / k->floor;
                gb_table_row(&c->cases, (long)q, (long)p, grids[g], taylor, generic, k->fit.kv_minus_1,
                             err, k->floor);
            }
    gb_str_printf(&c->prediction, "k v* - 1 = finite Taylor sum (zero for p < q)");
    gb_str_printf(&c->measured, "%ld cases; max |measured - prediction| / floor = %.3f", c->cases.nrows, worst);
    return GB_OK;
}
