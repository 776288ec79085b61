/* FD-5 [derived]: on sine or cosine mixtures of p modes, each mode sees the symbol
 * σ_q(θ_m) = θ_m² - c_q θ_m^{q+2} + …, c_q = |β_{q+2}|, so to leading order
 * (w*-k)/k → c_q π^q Δx^q (Σ_{m≤p} m^q)/p; for sines and q = 2 the infinite-data
 * value is exactly Σ r_m / Σ r_m², r_m = σ_2(θ_m)/θ_m². */
#include "verify.h"
#include "certify/enclose.h"
#include "core/status.h"
#include "predict/fd_predict.h"
#include <math.h>
#include <stdio.h>

typedef struct {
    int q, p;
    long N;
} mix_arg;

/* the leading constant c_q π^q Σ_{m≤p} m^q / p at the precision of K */
static int mixture_const(mpfr_t K, const void *arg)
{
    const mix_arg *a = arg;
    gb_fd_pred_mixture_const(K, gb_fd_stencil(a->q), a->p);
    return 0;
}

/* sines, q = 2: Σ r_m / Σ r_m² and Σ r_m / Σ r_m² − 1 at prec bits */
static int sine_ratio(double *out, mpfr_prec_t prec, const void *arg)
{
    const mix_arg *a = arg;
    mpfr_t r;
    mpfr_init2(r, prec);
    gb_fd_pred_sine_q2(r, a->p, a->N);
    out[0] = mpfr_get_d(r, MPFR_RNDN);
    mpfr_sub_ui(r, r, 1, MPFR_RNDN);
    out[1] = mpfr_get_d(r, MPFR_RNDN);
    mpfr_clear(r);
    return 0;
}

int gb_verify_fd5(gb_claim_t c, const gb_verify_opts *o)
{
    c->requires = "FD-2 machinery; closed-form symbol σ_q";
    c->certified_what = "w*/k − 1 at infinite data on every level, and Σ r_m / Σ r_m² for sines with q = 2";
    c->statement = "On sin/cos mixtures of p modes, (w*-k)/k → c_q π^q Δx^q (Σ_{m≤p} m^q)/p with "
                   "c_q = 1/12, 1/90, 1/560 (q = 2, 4, 6); for sines and q = 2, w* / k = Σ r_m / Σ r_m² exactly.";
    c->plot_title = "FD-5: |w/k - 1| on sine mixtures";
    c->plot_xlabel = "dx";
    c->plot_ylabel = "|w/k - 1|";
    gb_verify_params(c, o, GB_USES_DATA | GB_USES_SAMPLES | GB_USES_MPFR, "- families sin and cos, p = 1, 2, 4, 8; q = 2, 4, 6\n");
    gb_verify_params_fd(c, o);
    static const int ps[] = {1, 2, 4, 8};
    for (int f = 0; f < 2; f++) {
        gb_family fam = f ? GB_FAMILY_COS : GB_FAMILY_SIN;
        for (int q = 2; q <= 6; q += 2)
            for (int i = 0; i < 4; i++) {
                double K;
                if (!gb_verify_dual(&K, o, mixture_const, &(mix_arg){q, ps[i], 0}))
                    gb_claim_judge(c, GB_INCONCLUSIVE, "%s q=%d p=%d: c_q π^q Σm^q/p differs at p and 2p bits",
                                   gb_family_name(fam), q, ps[i]);
                gb_rate_case rc = {fam, q, ps[i], K * (o->fault == GB_FAULT_CONSTANT ? 1.01 : 1.0), 1, GB_EQ_POISSON};
                gb_verify_rate_sweep(c, o, &rc, fam == GB_FAMILY_SIN && (ps[i] == 1 || ps[i] == 8));
            }
    }
    /* sines, q = 2: the basis-Gram prediction against the symbol closed form */
    long Ns[16];
    int n = gb_verify_grid(o, Ns, 2), bad = 0, checked = 0;
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < n; j++) {
            gb_data_spec s = gb_verify_spec(o, GB_FAMILY_SIN, ps[i], Ns[j]);
            const gb_fd_case *k = gb_verify_case(o, &s, 2, 1);
            double rv[2];   /* Σ r_m / Σ r_m², and it − 1 formed in MPFR */
            int agree = gb_verify_dual_array(rv, 2, o, sine_ratio, &(mix_arg){2, ps[i], Ns[j]});
            if (agree < 0)
                return GB_ENOMEM;
            if (!agree)
                gb_claim_judge(c, GB_INCONCLUSIVE, "sin p=%d N=%ld: Σr/Σr² differs at p and 2p bits", ps[i], Ns[j]);
            /* the certified enclosure of Σ r_m / Σ r_m²: the MPFR value, printed, must lie in it */
            arb_t ball;
            arb_init(ball);
            gb_enclose_sine_q2(ball, ps[i], Ns[j], 2 * o->prec);
            char what[64];
            snprintf(what, sizeof what, "sin p=%d N=%ld: Σr/Σr²", ps[i], Ns[j]);
            gb_verify_certify(c, o, ball, rv[0], what, NULL, 0);
            arb_clear(ball);
            double closed = rv[1];
            checked++;
            if (!k || !gb_digits_agree(closed, k->delta_inf, GB_PRINT_DIGITS - 1)) {
                bad++;
                gb_claim_judge(c, GB_FAIL, "sin p=%d N=%ld: Σr/Σr² - 1 = %.15e but the basis route gives %.15e",
                               ps[i], Ns[j], closed, k ? k->delta_inf : NAN);
            }
        }
    gb_str_printf(&c->notes, "Sines with q = 2: the infinite-data prediction from the basis Gram sums equals "
                             "Σ r_m / Σ r_m² - 1 (closed-form symbol) in %d of %d (p, N) cases.\n",
                  checked - bad, checked);
    int pass = 0;
    for (long i = 0; i < c->fits.nrows; i++)
        pass += c->fits.cells[i * c->fits.ncols + c->fits.ncols - 1].s[0] == 'P';
    gb_str_printf(&c->prediction, "slope q ± %g, constant c_q π^q Σm^q/p; sines q=2: Σr/Σr² exactly", GB_RATE_TOL);
    gb_str_printf(&c->measured, "%d of %ld (family,q,p) fits PASS; Σr/Σr² identity %d/%d", pass, c->fits.nrows,
                  checked - bad, checked);
    return GB_OK;
}
