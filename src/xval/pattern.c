#include "xval/pattern.h"
#include "core/str.h"

#include <stdio.h>

static const char *fam_names[3] = {"poly", "cos", "sin"};

#define EACH_FAMILY(finding, stat, kind, a, b) \
    {finding, stat, 0, kind, a, b}, {finding, stat, 1, kind, a, b}, {finding, stat, 2, kind, a, b}

static const gb_pattern_rule linear[] = {
    EACH_FAMILY("three lower-triangular blocks", GB_PAT_U, GB_PAT_AT_LEAST, 2, 0),
    EACH_FAMILY("leaving the family costs", GB_PAT_X, GB_PAT_AT_LEAST, 1, 0)};
static const gb_pattern_rule deeplinear[] = {
    {"partial: sin lower-triangular", GB_PAT_U, 2, GB_PAT_AT_LEAST, 1, 0},
    {"partial: cos lower-triangular", GB_PAT_U, 1, GB_PAT_AT_LEAST, 1, 0},
    {"partial: poly not lower-triangular", GB_PAT_U, 0, GB_PAT_BELOW, 0, 1},
    EACH_FAMILY("leaving the family costs", GB_PAT_X, GB_PAT_AT_LEAST, 1, 0)};
static const gb_pattern_rule mlp[] = {
    EACH_FAMILY("strongly diagonal", GB_PAT_D, GB_PAT_AT_MOST, 0, -GB_PAT_MLP_DIAGONAL),
    EACH_FAMILY("leaving the family costs", GB_PAT_X, GB_PAT_AT_LEAST, 1, 0)};
static const gb_pattern_rule operator_nets[] = {   /* DeepONet and FNO */
    EACH_FAMILY("block lower-triangular", GB_PAT_U, GB_PAT_AT_LEAST, 1, 0),
    EACH_FAMILY("slight diagonal overfit", GB_PAT_D, GB_PAT_BETWEEN, -1, 0),
    EACH_FAMILY("leaving the family costs", GB_PAT_X, GB_PAT_AT_LEAST, 1, 0),
    {"fem training data generalise best", GB_PAT_F, 0, GB_PAT_BELOW, 0, 0}};
static const gb_pattern_rule pideeponet[] = {
    EACH_FAMILY("block lower-triangular", GB_PAT_U, GB_PAT_AT_LEAST, 1, 0),
    {"floor ~" GB_STR(GB_PAT_PIDEEPONET_FLOOR), GB_PAT_FLOOR, 0, GB_PAT_WITHIN, -7, -5},
    EACH_FAMILY("leaving the family costs", GB_PAT_X, GB_PAT_AT_LEAST, 1, 0),
    {"fem training data generalise best", GB_PAT_F, 0, GB_PAT_BELOW, 0, 0}};

#define N_OF(a) ((int)(sizeof a / sizeof *a))

int gb_pattern_rules(gb_xv_model m, const gb_pattern_rule **rules)
{
    switch (m) {
    case GB_XV_LINEAR: return *rules = linear, N_OF(linear);
    case GB_XV_DEEPLINEAR: return *rules = deeplinear, N_OF(deeplinear);
    case GB_XV_MLP: return *rules = mlp, N_OF(mlp);
    case GB_XV_DEEPONET:
    case GB_XV_FNO: return *rules = operator_nets, N_OF(operator_nets);
    case GB_XV_PIDEEPONET: return *rules = pideeponet, N_OF(pideeponet);
    default: return *rules = NULL, 0;
    }
}

gb_stats_rule gb_pattern_range(const gb_pattern_rule *r)
{
    switch (r->kind) {
    case GB_PAT_AT_LEAST: return gb_stats_at_least(r->a);
    case GB_PAT_AT_MOST: return gb_stats_at_most(r->b);
    case GB_PAT_BELOW: return gb_stats_below(r->b);
    case GB_PAT_BETWEEN: return gb_stats_between(r->a, r->b);
    default: return gb_stats_within(r->a, r->b);
    }
}

double gb_pattern_value(const gb_pattern_rule *r, const gb_xv_matrix *X)
{
    if (r->stat == GB_PAT_F) {
        int best;
        return gb_xv_fem_contrast(X, &best);
    }
    if (r->stat == GB_PAT_FLOOR) {   /* median over the diagonal and the in-family lower triangle */
        double w[GB_XV_NSETS * GB_XV_NSETS];
        long n = 0;
        for (int i = 0; i < GB_XV_NSETS; i++)
            for (int j = 0; j < GB_XV_NSETS; j++)
                if (gb_xv_in_block(GB_XV_DIAG, i, j, -1) || gb_xv_in_block(GB_XV_LOWER, i, j, -1))
                    w[n++] = gb_xv_log10(X->mse[i * GB_XV_NSETS + j]);
        return gb_stats_median(w, n);
    }
    return gb_xv_contrast_family(X, (gb_xv_contrast)r->stat, r->family);
}

void gb_pattern_stat_name(char *buf, size_t len, const gb_pattern_rule *r)
{
    if (r->stat == GB_PAT_F)
        snprintf(buf, len, "F");
    else if (r->stat == GB_PAT_FLOOR)
        snprintf(buf, len, "median log10 in-span absolute MSE");
    else
        snprintf(buf, len, "%s_%s", gb_xv_contrast_name((gb_xv_contrast)r->stat), fam_names[r->family]);
}

void gb_pattern_tic_name(char *buf, size_t len, const gb_pattern_rule *r)
{
    if (r->stat == GB_PAT_F)
        snprintf(buf, len, "F");
    else if (r->stat == GB_PAT_FLOOR)
        snprintf(buf, len, "floor");
    else
        snprintf(buf, len, "%s %s", gb_xv_contrast_name((gb_xv_contrast)r->stat), fam_names[r->family]);
}
