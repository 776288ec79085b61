/* NN-FLOOR [paper]: the training floors the paper states (SPEC §7, §10) — the linear least-squares fit at the
 * paper's ~1e−20, PI-DeepONet's floor ~1e−6 by its pattern rule; the other classes' floors printed, not judged. */
#include "tiered.h"
#include "core/status.h"
#include "nn/train.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const gb_xv_model floor_models[] = {GB_XV_LINEAR, GB_XV_DEEPLINEAR, GB_XV_MLP, GB_XV_DEEPONET, GB_XV_FNO,
                                           GB_XV_PIDEEPONET};
#define FLOOR_NM ((int)(sizeof floor_models / sizeof *floor_models))

/* per seed: median over the 25 rows of log10 absolute training MSE (the training floor) */
static void floor_values(double *v, const gb_tiered_seeds *S)
{
    double w[GB_XV_NSETS];
    for (int s = 0; s < S->n; s++) {
        for (int i = 0; i < GB_XV_NSETS; i++)
            w[i] = gb_xv_log10(S->X[s]->train_mse[i]);
        v[s] = gb_stats_median(w, GB_XV_NSETS);
    }
}

int gb_verify_nnfloor(gb_claim_t c, const gb_verify_opts *o)
{
    gb_tier_spec t;
    gb_tiered_spec(&t, o);
    c->requires = "the cross-validation trainings of the tier";
    /* PI-DeepONet's floor: its rule in the class's pattern (src/xval/pattern.c) */
    const gb_pattern_rule *pfloor = gb_tiered_pattern_rule(GB_XV_PIDEEPONET, GB_PAT_FLOOR, -1);
    static char statement[512];   /* the claim keeps the pointer until its report is written */
    snprintf(statement, sizeof statement,
             "The floors the paper states, in absolute training MSE over the 25 data sets of SPEC §8: the "
             "linear least-squares fit at or below %s on every row of every seed; PI-DeepONet's floor "
             "(per seed, the median over rows of log10 training MSE) within [%s, %s] by the interval rule. "
             "The other models' floors are printed with their stopping reasons, not judged.",
             GB_NUM_MINUS("%.0e", GB_PAPER_LINEAR_MSE), GB_NUM_MINUS("%g", pfloor->a), GB_NUM_MINUS("%g", pfloor->b));
    c->statement = statement;
    gb_tiered_table(c);
    gb_tiered_params(c, o, &t, floor_models, FLOOR_NM);
    int st = GB_OK;
    gb_tiered_plot p;
    gb_tiered_plot_init(&p, c, gb_tiered_keep("NN-FLOOR: per-seed median over rows of log10 training MSE"),
                        "log10 training MSE");
    for (int a = 0; a < FLOOR_NM && !st; a++) {
        gb_xv_model m = floor_models[a];
        gb_tiered_seeds S;
        if ((st = gb_tiered_seeds_load(&S, o, &t, m)))
            break;
        if (gb_tiered_incomplete(c, &S, &t, m)) {
            gb_tiered_seeds_clear(&S);
            continue;
        }
        gb_tiered_broken(c, &S, m);
        double v[GB_TIERED_MAXSEEDS];
        floor_values(v, &S);
        const char *name = gb_xv_model_name(m);
        if (m == GB_XV_LINEAR) {
            double worst = -INFINITY;
            int nonfinite = 0;
            for (int s = 0; s < S.n; s++)
                for (int i = 0; i < GB_XV_NSETS; i++) {
                    double x = S.X[s]->train_mse[i];
                    nonfinite |= !isfinite(x);   /* fmax would skip a NaN */
                    worst = x > worst ? x : worst;
                }
            if (nonfinite)
                gb_claim_judge(c, GB_ERROR, "linear: a training MSE is not a number");
            int ok = !nonfinite && (o->pattern_fault ? !(worst <= GB_PAPER_LINEAR_MSE) : worst <= GB_PAPER_LINEAR_MSE);
            char finding[32], rule[48];
            snprintf(finding, sizeof finding, "linear ~%.0e", GB_PAPER_LINEAR_MSE);
            snprintf(rule, sizeof rule, o->pattern_fault ? "> %.0e (fault)" : "≤ %.0e on every row",
                     GB_PAPER_LINEAR_MSE);
            gb_table_row(&c->cases, finding, "max training MSE over rows and seeds", "—", worst, "—", rule,
                         ok ? "PASS" : "FAIL");
            if (!ok)
                gb_claim_judge(c, GB_FAIL, "linear: max training MSE %.3e above %.0e", worst, GB_PAPER_LINEAR_MSE);
            gb_str_printf(&c->notes, "The linear rows are least-squares solves (the limit of gradient descent); the "
                                     "GD rows' T-step formula of SPEC §5 is checked by the linear claims.\n\n");
        } else if (m == GB_XV_PIDEEPONET) {
            gb_tiered_check(c, o, &p, "PI-DeepONet ~" GB_STR(GB_PAT_PIDEEPONET_FLOOR),
                            "pideeponet: median log10 training MSE", "pideeponet", v, S.n, gb_pattern_range(pfloor));
            gb_tiered_unconverged(c, S.unconverged, (long)S.n * GB_XV_NSETS);
        } else {
            gb_stats_interval iv;
            gb_stats_t_interval(&iv, v, S.n, GB_STATS_LEVEL);
            gb_str per;
            gb_str_init(&per);
            for (int s = 0; s < S.n; s++)
                gb_str_printf(&per, "%s%.2f", s ? ", " : "", v[s]);
            char ci[64], stat[96];
            snprintf(ci, sizeof ci, "[%.2f, %.2f]", iv.lo, iv.hi);
            snprintf(stat, sizeof stat, "%s: median log10 training MSE", name);
            gb_table_row(&c->cases, "(printed, not judged)", stat, gb_str_get(&per), iv.mean, ci, "—", "—");
            gb_str_clear(&per);
        }
        /* the stopping reasons of seed 1 */
        if (m != GB_XV_LINEAR) {
            long plateau = 0, cap = 0, capimp = 0, other = 0;
            for (int s = 0; s < S.n; s++)
                for (int i = 0; i < GB_XV_NSETS; i++) {
                    int stt = S.X[s]->status[i];
                    plateau += stt == GB_TRAIN_PLATEAU;
                    capimp += stt == GB_TRAIN_MAXEPOCH && S.X[s]->improving[i] == 1;
                    cap += stt == GB_TRAIN_MAXEPOCH && S.X[s]->improving[i] != 1;
                    other += stt != GB_TRAIN_PLATEAU && stt != GB_TRAIN_MAXEPOCH;
                }
            gb_str_printf(&c->notes, "- %s: of %ld trainings, %ld reached the plateau, %ld stopped at the cap no longer "
                                     "improving, %ld at the cap still improving, %ld otherwise (constant-rate runs "
                                     "count as 'cap').\n", name, (long)S.n * GB_XV_NSETS, plateau, cap, capimp, other);
        }
        gb_tiered_seeds_clear(&S);
    }
    gb_str_printf(&c->notes, "\n");
    gb_tiered_plot_done(&p, c);
    if (st)
        return st;
    gb_str_printf(&c->prediction, "linear ≤ %s on every row; PI-DeepONet's floor in [1e%s, 1e%s]",
                  GB_NUM_MINUS("%.0e", GB_PAPER_LINEAR_MSE), GB_NUM_MINUS("%g", pfloor->a),
                  GB_NUM_MINUS("%g", pfloor->b));
    if (!c->measured.len)
        gb_str_printf(&c->measured, "%s: %ld statistics", t.name, c->cases.nrows);
    return GB_OK;
}
