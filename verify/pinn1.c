/* PINN-1 [paper]: a PINN learning k from poly data of degree p errs more as p grows (SPEC §7, §10), judged by
 * the trend rule: per seed the Spearman ρ(p, |k̂ − k|/k), its interval over the seeds. */
#include "tiered.h"
#include "core/status.h"
#include "nn/train.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *pinn1_cols[] = {"seed", "|k̂ − k|/k for p = 1 … 8", "Spearman ρ(p, |k̂ − k|/k)", "epochs (min … max)",
                                   "stopped"};

int gb_verify_pinn1(gb_claim_t c, const gb_verify_opts *o)
{
    gb_tier_spec t;
    gb_tiered_spec(&t, o);
    gb_xv_model m = GB_XV_PINN;
    c->requires = "the PINN of src/nn (doc/model-classes.md); SPEC §2 poly data sets";
    static char statement[320];   /* the claim keeps the pointer until its report is written */
    snprintf(statement, sizeof statement,
             "A PINN learning k from poly data of degree p: per seed, Spearman ρ(p, |k̂ − k|/k) over p = 1 … 8; "
             "the interval of the mean ρ over ≥ %d seeds lies above %g (PASS), below %g (FAIL), else "
             "INCONCLUSIVE.", GB_STATS_MIN_TREND_SEEDS, GB_STATS_TREND_PASS, GB_STATS_TREND_FAIL);
    c->statement = statement;
    c->cases.ncols = sizeof pinn1_cols / sizeof *pinn1_cols;
    c->cases.cols = pinn1_cols;
    gb_tiered_params(c, o, &t, &m, 1);
    gb_str_printf(&c->params, "- %d seeds (the trend rule needs ≥ %d); rows p1 … p8 of the poly family\n",
                  gb_tier_seeds(&t, m), GB_STATS_MIN_TREND_SEEDS);
    gb_str_printf(&c->prediction, "|k̂ − k| grows with p: mean ρ interval above %g", GB_STATS_TREND_PASS);
    gb_tiered_seeds S;
    int st = gb_tiered_seeds_load(&S, o, &t, m);
    if (st || gb_tiered_incomplete(c, &S, &t, m)) {
        gb_tiered_seeds_clear(&S);
        return st;
    }
    gb_tiered_broken(c, &S, m);
    double rho[GB_TIERED_MAXSEEDS], ps[8], err[8];
    gb_series *med = gb_claim_series(c, "median over seeds", GB_SERIES_MEASURED);
    gb_series *all = gb_claim_series(c, "each seed", GB_SERIES_SCATTER);
    for (int s = 0; s < S.n; s++) {
        gb_str per;
        gb_str_init(&per);
        long emin = 0, emax = 0, plateau = 0;
        for (int p = 0; p < 8; p++) {
            ps[p] = p + 1;
            err[p] = fabs(S.X[s]->learned_k[p] / t.k - 1);
            gb_str_printf(&per, "%s%.2e", p ? ", " : "", err[p]);
            emin = p == 0 || S.X[s]->epochs[p] < emin ? S.X[s]->epochs[p] : emin;
            emax = S.X[s]->epochs[p] > emax ? S.X[s]->epochs[p] : emax;
            plateau += S.X[s]->status[p] == GB_TRAIN_PLATEAU;
            if (all && all->n < GB_RATE_MAX_LEVELS) {
                all->x[all->n] = p + 1;
                all->y[all->n++] = err[p];
            }
        }
        rho[s] = gb_stats_spearman(ps, err, 8);
        char ep[64], stopped[64];
        snprintf(ep, sizeof ep, "%ld … %ld", emin, emax);
        snprintf(stopped, sizeof stopped, "%ld of 8 at the plateau", plateau);
        gb_table_row(&c->cases, (long)(t.seed0 + (unsigned long)s), gb_str_get(&per), rho[s], ep, stopped);
        gb_str_clear(&per);
    }
    for (int p = 0; p < 8; p++) {
        double v[GB_TIERED_MAXSEEDS];
        for (int s = 0; s < S.n; s++)
            v[s] = fabs(S.X[s]->learned_k[p] / t.k - 1);
        med->x[med->n] = p + 1;
        med->y[med->n++] = gb_stats_median(v, S.n);
    }
    c->plot_title = gb_tiered_keep("PINN-1: |k̂ − k|/k against p, every seed and the median");
    c->plot_xlabel = "p (poly degree of the training data)";
    c->plot_ylabel = "|k̂ − k| / k";
    c->plot_linear_x = 1;
    gb_stats_interval iv;
    gb_stats_t_interval(&iv, rho, S.n, GB_STATS_LEVEL);
    if (o->pattern_fault)   /* the trend rule read the other way: ρ of −p */
        for (int s = 0; s < S.n; s++)
            rho[s] = -rho[s];
    if (o->pattern_fault)
        gb_stats_t_interval(&iv, rho, S.n, GB_STATS_LEVEL);
    gb_str why;
    gb_str_init(&why);
    gb_verdict vd = gb_stats_judge_trend(&iv, &why);
    if (vd != GB_PASS)
        gb_claim_judge(c, vd, "%s", gb_str_get(&why));
    gb_str_printf(&c->notes, "**Trend rule (SPEC §10):** mean ρ over %d seeds %.3f, %g %% interval [%.3f, %.3f]: %s → "
                             "%s.%s\n\n", S.n, iv.mean, 100 * GB_STATS_LEVEL, iv.lo, iv.hi, gb_str_get(&why),
                  gb_verdict_name(vd), o->pattern_fault ? " (fault injected: ρ negated)" : "");
    gb_str_clear(&why);
    gb_tiered_unconverged(c, S.unconverged, (long)S.n * 8);
    gb_str_printf(&c->measured, "%s, %d seeds: mean ρ %.3f [%.3f, %.3f]", t.name, S.n, iv.mean, iv.lo, iv.hi);
    gb_tiered_seeds_clear(&S);
    return GB_OK;
}
