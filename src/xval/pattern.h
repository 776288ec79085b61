/* The cross-validation pattern each model class is reported to have (SPEC §7, §8), written once as rules on a
 * matrix's statistics: the XV-PATTERN-* claims judge them over seeds with intervals (verify/xv_pattern.c), and
 * 'greenbound score --compare' checks an outside model's single matrix against every class's rules. */
#ifndef GB_XVAL_PATTERN_H
#define GB_XVAL_PATTERN_H

#include "stats/stats.h"
#include "xval/xval.h"

/* the statistic a rule is about: a contrast of SPEC §8 (family mean), F, or PI-DeepONet's floor (the median over
 * the in-span entries of log10 absolute test MSE) */
typedef enum { GB_PAT_D = GB_XV_D, GB_PAT_U = GB_XV_U, GB_PAT_X = GB_XV_X, GB_PAT_F, GB_PAT_FLOOR } gb_pattern_stat;
typedef enum { GB_PAT_AT_LEAST, GB_PAT_AT_MOST, GB_PAT_BELOW, GB_PAT_BETWEEN, GB_PAT_WITHIN } gb_pattern_kind;

typedef struct {
    const char *finding;    /* the paper's finding the rule tests */
    gb_pattern_stat stat;
    int family;             /* 0 poly, 1 cos, 2 sin (contrasts only) */
    gb_pattern_kind kind;
    double a, b;            /* the bound(s): at least a, at most / below b, between / within a and b */
} gb_pattern_rule;

/* the MLP's strong diagonal: D ≤ −GB_PAT_MLP_DIAGONAL (decades) in every family (a registry title quotes it) */
#define GB_PAT_MLP_DIAGONAL 0.5
/* the floor the paper reports for PI-DeepONet, in absolute test MSE (its rule: log10 within one decade of it) */
#define GB_PAT_PIDEEPONET_FLOOR 1e-6

/* the rules of class m, in the order the reports list them; 0 for a class without a reported pattern */
int gb_pattern_rules(gb_xv_model m, const gb_pattern_rule **rules);
/* the rule as a predicted range of SPEC §10 (its min_seeds left at the library default) */
gb_stats_rule gb_pattern_range(const gb_pattern_rule *r);
/* the statistic on one matrix */
double gb_pattern_value(const gb_pattern_rule *r, const gb_xv_matrix *X);
/* its names: "U_poly" (the reports' statistic column) and "U poly" (a plot's tic) */
void gb_pattern_stat_name(char *buf, size_t len, const gb_pattern_rule *r);
void gb_pattern_tic_name(char *buf, size_t len, const gb_pattern_rule *r);

#endif
