/* The pieces the statistical claims share (verify/tiered.h): the tier and its seeds, the interval check of one
 * statistic with its table row and plot point, the parameters and the SPEC §7/§10 rules every such claim
 * applies (incomplete store, diverged trainings, unconverged trainings). */
#include "tiered.h"
#include "core/status.h"
#include "nn/train.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* a string that outlives the claim function (a claim keeps pointers until its report is written) */
const char *gb_tiered_keep(const char *s)
{
    static char ring[16][256];
    static int next;
    char *k = ring[next++ % 16];
    snprintf(k, sizeof ring[0], "%s", s);
    return k;
}

void gb_tiered_spec(gb_tier_spec *t, const gb_verify_opts *o)
{
    gb_tier_spec_init(t, o->tier ? GB_TIER_FULL : GB_TIER_CI);
    t->seed0 = o->seed;
    t->k = o->k;
    t->law = o->law;
    t->prec = o->prec;
    if (o->seeds > 0) {
        t->seeds = o->seeds;
        t->trend_seeds = o->seeds > GB_STATS_MIN_TREND_SEEDS ? o->seeds : GB_STATS_MIN_TREND_SEEDS;
    }
}

void gb_tiered_seeds_clear(gb_tiered_seeds *S)
{
    for (int s = 0; s < S->n; s++)
        free(S->X[s]);
    memset(S, 0, sizeof *S);
}

/* GB_OK with S->n seeds (fewer when the store is incomplete: S->missing says how many are not);
 * another status for a corrupt or foreign store or a failed training */
int gb_tiered_seeds_load(gb_tiered_seeds *S, const gb_verify_opts *o, const gb_tier_spec *t, gb_xv_model m)
{
    memset(S, 0, sizeof *S);
    S->want = gb_tier_seeds(t, m);
    for (int s = 0; s < S->want && s < GB_TIERED_MAXSEEDS; s++) {
        gb_xv_matrix *X = malloc(sizeof *X);
        if (!X)
            return GB_ENOMEM;
        char msg[512] = "";
        int st = gb_tier_matrix(X, o->tier ? o->results : NULL, t, m, t->seed0 + (unsigned long)s, msg, sizeof msg);
        S->trainings += gb_tier_rows(t, m);
        if (o->tier)
            S->stored += gb_tier_stored(o->results, t, m, t->seed0 + (unsigned long)s);
        if (st == GB_ENOENT) {
            S->missing++;
            snprintf(S->why, sizeof S->why, "%s", msg);
            free(X);
            continue;
        }
        if (st) {
            fprintf(stderr, "greenbound: %s\n", msg);
            snprintf(S->why, sizeof S->why, "%s", msg);
            free(X);
            return st;
        }
        for (int i = 0; i < gb_tier_rows(t, m); i++) {
            S->unconverged += X->status[i] == GB_TRAIN_MAXEPOCH && X->improving[i] == 1;
            int bad = X->status[i] == GB_TRAIN_DIVERGED;
            for (int j = 0; j < GB_XV_NSETS; j++)
                bad |= !isfinite(X->mse[i * GB_XV_NSETS + j]);
            S->broken += bad;
        }
        S->X[S->n++] = X;
        if (o->progress)
            fprintf(stderr, "  %s %s seed %lu: matrix ready\n", t->name, gb_xv_model_name(m), t->seed0 + (unsigned long)s);
    }
    return GB_OK;
}

/* the rule a --fault pattern run checks instead: the predicted side flipped, so every claim must change */
gb_stats_rule gb_tiered_flipped(gb_stats_rule r)
{
    gb_stats_rule f = r;
    if (isfinite(r.lo) && !isfinite(r.hi)) {
        f.lo = -INFINITY, f.hi = r.lo, f.hi_strict = !r.lo_strict;
    } else if (isfinite(r.hi) && !isfinite(r.lo)) {
        f.hi = INFINITY, f.lo = r.hi, f.lo_strict = !r.hi_strict;
    } else {   /* a range: above it */
        f.lo = r.hi, f.lo_strict = !r.hi_strict, f.hi = INFINITY, f.hi_strict = 0;
    }
    return f;
}

/* the table of a statistical claim; its interval column is named from GB_STATS_LEVEL */
static char stat_ci_col[32];
static const char *stat_cols[] = {"finding (paper)", "statistic", "per seed", "mean", stat_ci_col, "rule", "verdict"};

void gb_tiered_table(gb_claim_t c)
{
    snprintf(stat_ci_col, sizeof stat_ci_col, "%g %% interval", 100 * GB_STATS_LEVEL);
    c->cases.ncols = sizeof stat_cols / sizeof *stat_cols;
    c->cases.cols = stat_cols;
}

void gb_tiered_plot_init(gb_tiered_plot *p, gb_claim_t c, const char *title, const char *ylabel)
{
    memset(p, 0, sizeof *p);
    gb_str_init(&p->tics);
    char label[48];
    snprintf(label, sizeof label, "mean and %g %% interval", 100 * GB_STATS_LEVEL);
    p->mean = gb_claim_series(c, label, GB_SERIES_INTERVAL);
    p->seeds = gb_claim_series(c, "seeds", GB_SERIES_SCATTER);
    p->bound = gb_claim_series(c, "bound of the rule", GB_SERIES_BOUND);
    c->plot_title = title;
    c->plot_xlabel = "statistic";
    c->plot_ylabel = ylabel;
    c->plot_linear_x = c->plot_linear_y = 1;
}

static void plot_point(gb_tiered_plot *p, const char *label, const double *v, int n, const gb_stats_interval *iv,
                       const gb_stats_rule *r)
{
    if (!p->mean || p->mean->n >= GB_RATE_MAX_LEVELS || p->seeds->n + n > GB_RATE_MAX_LEVELS)
        return;
    double x = ++p->k;
    gb_series *m = p->mean;
    m->x[m->n] = x, m->y[m->n] = iv->mean, m->lo[m->n] = iv->lo, m->hi[m->n] = iv->hi, m->n++;
    for (int s = 0; s < n; s++) {
        p->seeds->x[p->seeds->n] = x + 0.06 * (s - (n - 1) / 2.0);
        p->seeds->y[p->seeds->n++] = v[s];
    }
    const double bounds[2] = {r->lo, r->hi};
    gb_series *q = p->bound;
    for (int k = 0; k < 2; k++)
        if (isfinite(bounds[k]) && q->n + 3 <= GB_RATE_MAX_LEVELS) {
            q->x[q->n] = x - 0.3, q->y[q->n++] = bounds[k];
            q->x[q->n] = x + 0.3, q->y[q->n++] = bounds[k];
            q->x[q->n] = NAN, q->y[q->n++] = NAN;   /* gnuplot breaks the line at an undefined point */
        }
    gb_str_printf(&p->tics, "%s\"%s\" %d", p->k > 1 ? ", " : "(", label, p->k);
}

void gb_tiered_plot_done(gb_tiered_plot *p, gb_claim_t c)
{
    static char tics[4][2048];   /* the claim keeps a pointer until it is written */
    static int next;
    if (p->k) {
        char *t = tics[next++ % 4];
        snprintf(t, sizeof tics[0], "%s)", gb_str_get(&p->tics));
        c->plot_xtics = t;
    }
    gb_str_clear(&p->tics);
}

/* one statistic over the seeds, judged by its rule: a table row, the claim's verdict, a plot point */
gb_verdict gb_tiered_check(gb_claim_t c, const gb_verify_opts *o, gb_tiered_plot *p, const char *finding,
                           const char *stat, const char *tic, const double *v, int n, gb_stats_rule r)
{
    if (o->pattern_fault)
        r = gb_tiered_flipped(r);
    gb_stats_interval iv;
    gb_stats_t_interval(&iv, v, n, GB_STATS_LEVEL);
    gb_str why, per;
    gb_str_init(&why);
    gb_str_init(&per);
    gb_verdict vd = gb_stats_judge(&iv, &r, &why);
    for (int s = 0; s < n; s++)
        gb_str_printf(&per, "%s%.2f", s ? ", " : "", v[s]);
    char rule[96], ci[96];
    gb_stats_rule_text(rule, sizeof rule, &r);
    snprintf(ci, sizeof ci, isfinite(iv.lo) ? "[%.2f, %.2f]" : "—", iv.lo, iv.hi);
    gb_table_row(&c->cases, finding, stat, gb_str_get(&per), iv.mean, ci, rule, gb_verdict_name(vd));
    if (vd != GB_PASS)
        gb_claim_judge(c, vd, "%s: %s", stat, gb_str_get(&why));
    if (p)
        plot_point(p, tic, v, n, &iv, &r);
    gb_str_clear(&why);
    gb_str_clear(&per);
    return vd;
}

/* SPEC §10: a rule that changed says so, with the old rule's verdict. These claims were judged before the
 * SPEC revision by single-seed rules on medians of absolute MSE (one training; PINN-1 on five per p), with
 * these verdicts in the reports of commit 2a50fb9; the rules here replaced them before any full-tier result */
static void rule_history(gb_claim_t c)
{
    static const char *old[][2] = {
        {"XV-PATTERN-linear", "PASS"}, {"XV-PATTERN-deeplinear", "FAIL"}, {"XV-PATTERN-mlp", "FAIL"},
        {"XV-PATTERN-deeponet", "FAIL"}, {"XV-PATTERN-fno", "FAIL"}, {"XV-PATTERN-pideeponet", "PASS"},
        {"GRN-5", "PASS"}, {"NN-FLOOR", "PASS"}, {"PINN-1", "PASS"}};
    for (size_t k = 0; k < sizeof old / sizeof *old; k++)
        if (!strcmp(c->id, old[k][0]))
            gb_str_printf(&c->params, "- rule changed (SPEC §8, §10 revision, before any full-tier result): the "
                                      "earlier rule — one seed, medians of absolute MSE, fixed small budget — gave "
                                      "%s (reports of commit 2a50fb9); the verdict above is the new rule's\n",
                          old[k][1]);
}

/* the parameters every statistical claim prints: tier, seeds, budget, rule of §10 */
void gb_tiered_params(gb_claim_t c, const gb_verify_opts *o, const gb_tier_spec *t, const gb_xv_model *models,
                      int nmodels)
{
    gb_str_printf(&c->params, "- **%s**: N = %ld (%ld nodes), S = %ld training samples per data set, %ld per test set; "
                              "seeds %lu … %lu (each a new data draw and initialisation; test sets seed + %lu)\n",
                  t->name, t->N, t->N + 1, t->S, t->S_test, t->seed0, t->seed0 + (unsigned long)t->seeds - 1,
                  GB_XV_TEST_SEED);
    for (int a = 0; a < nmodels; a++) {
        gb_xv_opts xo = gb_tier_xv_opts(t, models[a], t->seed0);
        gb_xv_matrix *X = malloc(sizeof *X);
        X->model = models[a];
        gb_xv_describe(X, &xo);
        gb_str_printf(&c->params, "- %s: %s; %s\n", gb_xv_model_name(models[a]), X->arch, X->train);
        free(X);
    }
    gb_str_printf(&c->params, "- rule (SPEC §10, fixed before any full-tier result): per-seed statistic, %g %% "
                              "Student-t interval of the mean (t quantile from GSL); PASS when the whole interval "
                              "satisfies the rule, FAIL when the whole interval violates it, else INCONCLUSIVE; "
                              "fewer than %d seeds: INCONCLUSIVE\n", 100 * GB_STATS_LEVEL, GB_STATS_MIN_SEEDS);
    if (t->tier == GB_TIER_FULL)
        gb_str_printf(&c->params, "- trainings read from the store %s (program: %s through "
                                  "src/xval/tier.c)\n", o->results, c->program);
    else
        gb_str_printf(&c->params, "- CI tier: trained now on a small budget at a constant rate; this verdict gates "
                                  "the pipeline and never stands in for the full tier (reports/full/)\n");
    if (o->pattern_fault)
        gb_str_printf(&c->params, "- **fault injected** (--fault pattern): every rule's predicted side flipped\n");
    rule_history(c);
}

/* the claim cannot be judged: the full tier has not stored every training */
int gb_tiered_incomplete(gb_claim_t c, const gb_tiered_seeds *S, const gb_tier_spec *t, gb_xv_model m)
{
    if (!S->missing)
        return 0;
    gb_claim_judge(c, GB_INCONCLUSIVE, "%s incomplete: %s: %ld of %ld trainings stored; %d of %d seeds lack some "
                   "(run 'make verify-full')", t->name, gb_xv_model_name(m), S->stored, S->trainings, S->missing,
                   S->want);
    if (!c->measured.len)
        gb_str_printf(&c->measured, "%s incomplete:", t->name);
    gb_str_printf(&c->measured, " %s %ld/%ld trainings;", gb_xv_model_name(m), S->stored, S->trainings);
    return 1;
}

/* SPEC §10: divergence or NaN/Inf is never PASS: a model with such a training is ERROR, whatever its
 * statistics (a diverged row can hide where no contrast reads it, e.g. the fem row) */
void gb_tiered_broken(gb_claim_t c, const gb_tiered_seeds *S, gb_xv_model m)
{
    if (S->broken)
        gb_claim_judge(c, GB_ERROR, "%s: %ld trainings diverged or gave a non-finite test error", gb_xv_model_name(m),
                       S->broken);
}

/* SPEC §7: a verdict about a model that stopped at its cap while still improving is INCONCLUSIVE */
void gb_tiered_unconverged(gb_claim_t c, long unconverged, long trainings)
{
    if (!unconverged || c->verdict == GB_ERROR || c->verdict == GB_INCONCLUSIVE)
        return;
    gb_str_printf(&c->notes, "**Not converged.** %ld of %ld trainings stopped at their cap while still improving "
                             "(SPEC §7); the rules alone give %s, but the verdict is INCONCLUSIVE: the budget, not "
                             "the model, may decide it.\n\n", unconverged, trainings, gb_verdict_name(c->verdict));
    gb_str_printf(&c->reason, "- INCONCLUSIVE: %ld of %ld trainings stopped at the cap still improving (the rules "
                              "alone: %s)\n", unconverged, trainings, gb_verdict_name(c->verdict));
    c->verdict = GB_INCONCLUSIVE;
}

/* class m's first rule on `stat` (in `family`, or in any for −1); NULL if it has none */
const gb_pattern_rule *gb_tiered_pattern_rule(gb_xv_model m, gb_pattern_stat stat, int family)
{
    const gb_pattern_rule *r;
    for (int i = 0, n = gb_pattern_rules(m, &r); i < n; i++)
        if (r[i].stat == stat && (family < 0 || r[i].family == family))
            return &r[i];
    return NULL;
}
