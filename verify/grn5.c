/* GRN-5 [paper]: models whose probed Ĝ is closer to G generalise better (SPEC §6, §10) — across the network
 * classes, within each training set, the generalisation read from another seed's training. */
#include "tiered.h"
#include "core/status.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const gb_xv_model grn5_models[] = {GB_XV_DEEPLINEAR, GB_XV_MLP, GB_XV_DEEPONET, GB_XV_FNO, GB_XV_PIDEEPONET};
#define GRN5_NM ((int)(sizeof grn5_models / sizeof *grn5_models))
#define GRN5_RHO 0.5   /* the interval of the mean ρ lies above this (SPEC §6) */

static const char *grn5_cols[] = {"train", "ρ per seed pair (ε_G of seed s, g of seed s+1)", "mean ρ",
                                  "ε_G per model (first seed)", "g per model (second seed)"};

int gb_verify_grn5(gb_claim_t c, const gb_verify_opts *o)
{
    gb_tier_spec t;
    gb_tiered_spec(&t, o);
    c->requires = "the cross-validation trainings of the tier (XV-PATTERN-*); probes minus Model(0) (SPEC §6)";
    static char statement[640];   /* the claim keeps the pointer until its report is written */
    snprintf(statement, sizeof statement,
             "Models whose probed Green's function is closer to G generalise better. Per training set i, the "
             "Spearman ρ across the five network classes between ε_G = ‖Ĝ − G‖_F/‖G‖_F of a training with "
             "seed s and the generalisation g = mean L over the 25 test sets of the training with seed s + 1 "
             "(another data draw and initialisation: no circularity; within one training set: no confounding "
             "by p); the mean of ρ over the 25 training sets lies above %g (interval rule of SPEC §10).", GRN5_RHO);
    c->statement = statement;
    gb_tiered_params(c, o, &t, grn5_models, GRN5_NM);
    gb_str_printf(&c->params, "- probe amplitude α = %g (fixed before any training); ‖Ĝ − G‖ over the interior "
                              "block; seeds paired cyclically (s, s+1), the last with the first\n", GB_XV_PROBE_ALPHA);
    gb_str_printf(&c->prediction, "ρ(ε_G, g) across models > %g on average", GRN5_RHO);
    gb_tiered_seeds S[GRN5_NM];
    memset(S, 0, sizeof S);
    int st = GB_OK, missing = 0, nseeds = GB_TIERED_MAXSEEDS;
    long unconverged = 0, trainings = 0;
    for (int a = 0; a < GRN5_NM && !st; a++) {
        st = gb_tiered_seeds_load(&S[a], o, &t, grn5_models[a]);
        gb_tiered_broken(c, &S[a], grn5_models[a]);
        missing |= S[a].missing;
        nseeds = S[a].n < nseeds ? S[a].n : nseeds;
        unconverged += S[a].unconverged;
        trainings += (long)S[a].n * GB_XV_NSETS;
    }
    if (!st && missing)
        for (int a = 0; a < GRN5_NM; a++)
            gb_tiered_incomplete(c, &S[a], &t, grn5_models[a]);
    if (st || missing) {
        for (int a = 0; a < GRN5_NM; a++)
            gb_tiered_seeds_clear(&S[a]);
        return st;
    }
    c->cases.ncols = sizeof grn5_cols / sizeof *grn5_cols;
    c->cases.cols = grn5_cols;
    /* ρ_i(s): Spearman across the models on training set i, ε_G from seed s, g from seed s + 1 (cyclic) */
    if (nseeds < 2) {
        gb_claim_judge(c, GB_INCONCLUSIVE, "GRN-5 needs two seeds at least (ε_G and g from different trainings)");
        for (int a = 0; a < GRN5_NM; a++)
            gb_tiered_seeds_clear(&S[a]);
        return GB_OK;
    }
    double rho[GB_XV_NSETS][GB_TIERED_MAXSEEDS], pair_mean[GB_TIERED_MAXSEEDS];
    for (int i = 0; i < GB_XV_NSETS; i++) {
        double e[GRN5_NM], g[GRN5_NM];
        gb_str per, es, gs;
        gb_str_init(&per), gb_str_init(&es), gb_str_init(&gs);
        for (int s = 0; s < nseeds; s++) {
            int s2 = (s + 1) % nseeds;
            for (int a = 0; a < GRN5_NM; a++) {
                e[a] = S[a].X[s]->green_dist[i];
                g[a] = gb_xv_row_mean_L(S[a].X[s2], i);
            }
            rho[i][s] = gb_stats_spearman(e, g, GRN5_NM);
            gb_str_printf(&per, "%s%.2f", s ? ", " : "", rho[i][s]);
            if (s == 0)
                for (int a = 0; a < GRN5_NM; a++) {
                    gb_str_printf(&es, "%s%.3g", a ? ", " : "", e[a]);
                    gb_str_printf(&gs, "%s%.2f", a ? ", " : "", g[a]);
                }
        }
        gb_stats_interval iv;
        gb_stats_t_interval(&iv, rho[i], nseeds, GB_STATS_LEVEL);
        gb_table_row(&c->cases, gb_xv_label(i), gb_str_get(&per), iv.nonfinite ? NAN : iv.mean, gb_str_get(&es),
                     gb_str_get(&gs));
        gb_str_clear(&per), gb_str_clear(&es), gb_str_clear(&gs);
    }
    /* the statistic per seed pair (SPEC §10: computed per seed): the mean of ρ_i(s) over the 25 training sets */
    for (int s = 0; s < nseeds; s++) {
        long double acc = 0;
        for (int i = 0; i < GB_XV_NSETS; i++)
            acc += rho[i][s];
        pair_mean[s] = (double)(acc / GB_XV_NSETS);   /* a NaN ρ stays NaN: the rule then says ERROR */
    }
    gb_str_printf(&c->notes, "Models in the ε_G and g columns, in order: deeplinear, mlp, deeponet, fno, pideeponet "
                             "(ε_G of the first seed, g of the second). A NaN ρ means no order to correlate (ties "
                             "in every model's value, or a value that is not a number).\n\n");
    gb_tiered_plot p;
    gb_tiered_plot_init(&p, c, gb_tiered_keep("GRN-5: per seed pair, the mean over training sets of ρ(ε_G, g) across "
                                              "models"), "Spearman ρ");
    {
        gb_stats_rule r = gb_stats_above(GRN5_RHO);
        if (o->pattern_fault)
            r = gb_tiered_flipped(r);
        gb_stats_interval iv;
        gb_stats_t_interval(&iv, pair_mean, nseeds, GB_STATS_LEVEL);
        gb_str why, per;
        gb_str_init(&why), gb_str_init(&per);
        gb_verdict vd = gb_stats_judge(&iv, &r, &why);
        char rule[64];
        gb_stats_rule_text(rule, sizeof rule, &r);
        for (int s = 0; s < nseeds; s++)
            gb_str_printf(&per, "%s%.3f", s ? ", " : "", pair_mean[s]);
        gb_str_printf(&c->notes, "**Rule (SPEC §6, §10):** per seed pair (s, s + 1), the mean over the 25 training "
                                 "sets of ρ: %s; their mean %.3f, %g %% t-interval [%.3f, %.3f] over %d pairs, rule "
                                 "%s → %s (%s).\n\n", gb_str_get(&per), iv.mean, 100 * GB_STATS_LEVEL, iv.lo, iv.hi,
                      nseeds, rule, gb_verdict_name(vd), gb_str_get(&why));
        if (vd != GB_PASS)
            gb_claim_judge(c, vd, "mean ρ per seed pair: %s", gb_str_get(&why));
        for (int s = 0; s < nseeds && p.seeds; s++) {
            p.seeds->x[p.seeds->n] = s + 1;
            p.seeds->y[p.seeds->n++] = pair_mean[s];
        }
        if (p.mean) {
            p.mean->x[0] = nseeds + 1, p.mean->y[0] = iv.mean, p.mean->lo[0] = iv.lo, p.mean->hi[0] = iv.hi;
            p.mean->n = 1;
            p.bound->x[0] = 0.5, p.bound->y[0] = GRN5_RHO, p.bound->x[1] = nseeds + 1.5, p.bound->y[1] = GRN5_RHO;
            p.bound->n = 2;
        }
        gb_str_clear(&why), gb_str_clear(&per);
        gb_str_printf(&c->measured, "%s: mean ρ over training sets, per seed pair, %.3f [%.3f, %.3f] (%d pairs)",
                      t.name, iv.mean, iv.lo, iv.hi, nseeds);
    }
    gb_str_clear(&p.tics);
    c->plot_xlabel = "seed pair (s, s + 1); their mean and interval on the right";
    gb_tiered_unconverged(c, unconverged, trainings);
    for (int a = 0; a < GRN5_NM; a++)
        gb_tiered_seeds_clear(&S[a]);
    return GB_OK;
}
