#include "claim/claim.h"
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *verdict_names[] = {"PASS", "INCONCLUSIVE", "FAIL", "ERROR"};

const char *gb_verdict_name(gb_verdict v) { return verdict_names[v]; }

int gb_verdict_parse(gb_verdict *v, const char *s)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(s, verdict_names[i]) == 0) {
            *v = (gb_verdict)i;
            return 0;
        }
    return -1;
}

gb_verdict gb_verdict_worst(gb_verdict a, gb_verdict b) { return a > b ? a : b; }

gb_verdict gb_verdict_rate(const gb_rate_fit *f, double expected, double tol, gb_str *why)
{
    if (!isfinite(f->slope) || !isfinite(f->r2)) {
        gb_str_printf(why, "non-finite fit");
        return GB_ERROR;
    }
    if (f->n < GB_RATE_MIN_LEVELS) {
        gb_str_printf(why, "%d levels above the round-off floor (need %d)", f->n, GB_RATE_MIN_LEVELS);
        return GB_INCONCLUSIVE;
    }
    if (f->r2 < GB_RATE_MIN_R2) {
        gb_str_printf(why, "R² = %.4f < %.2f", f->r2, GB_RATE_MIN_R2);
        return GB_INCONCLUSIVE;
    }
    if (fabs(f->slope_fine3 - expected) > tol) {
        gb_str_printf(why, "finest-3 slope %.3f outside [%.2f, %.2f]", f->slope_fine3,
                      expected - tol, expected + tol);
        return GB_FAIL;
    }
    return GB_PASS;
}

int gb_digits_agree(double a, double b, int sig)
{
    char sa[64], sb[64];
    snprintf(sa, sizeof sa, "%.*e", sig - 1, a);
    snprintf(sb, sizeof sb, "%.*e", sig - 1, b);
    return strcmp(sa, sb) == 0;
}

int gb_digits_agree_at(double *a, double *b, long prec, int sig)
{
    double zero = ldexp(1.0, -(int)(prec - 64));
    if (fabs(*a) < zero)
        *a = 0.0;
    if (fabs(*b) < zero)
        *b = 0.0;
    return gb_digits_agree(*a, *b, sig);
}

void gb_claim_init(gb_claim_t c, const char *id, int ncols, const char **cols)
{
    memset(c, 0, sizeof *c);
    snprintf(c->id, sizeof c->id, "%s", id);
    gb_str_init(&c->prediction);
    gb_str_init(&c->measured);
    gb_str_init(&c->params);
    gb_str_init(&c->notes);
    gb_str_init(&c->reason);
    c->cases.ncols = ncols;
    c->cases.cols = cols;
    c->verdict = GB_PASS;
}

void gb_claim_set_fits(gb_claim_t c, int ncols, const char **cols)
{
    c->fits.ncols = ncols;
    c->fits.cols = cols;
}

static void table_clear(gb_table *t)
{
    for (long i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i].s);
    free(t->cells);
}

void gb_claim_clear(gb_claim_t c)
{
    for (int i = 0; i < c->nheatmaps; i++)
        free(c->heatmaps[i].z);
    table_clear(&c->cases);
    table_clear(&c->fits);
    gb_str_clear(&c->prediction);
    gb_str_clear(&c->measured);
    gb_str_clear(&c->params);
    gb_str_clear(&c->notes);
    gb_str_clear(&c->reason);
}

void gb_table_add(gb_table *c, int n, const gb_cell_in *in)
{
    if (n != c->ncols) {
        fprintf(stderr, "gb_table_row: %d cells for %d columns\n", n, c->ncols);
        abort();   /* a claim's program is wrong: its table would mislabel every column */
    }
    if (c->nrows == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 16;
        c->cells = realloc(c->cells, sizeof(gb_cell) * c->cap * c->ncols);
        if (!c->cells)
            abort();   /* report tables only, as gb_str_printf: out of memory here leaves nothing sensible to do */
    }
    gb_cell *row = c->cells + c->nrows * c->ncols;
    for (int j = 0; j < c->ncols; j++) {
        row[j].is_num = in[j].is_num;
        row[j].v = in[j].v;
        row[j].s = in[j].is_num ? NULL : strdup(in[j].s);
    }
    c->nrows++;
}

void gb_claim_judge(gb_claim_t c, gb_verdict v, const char *fmt, ...)
{
    c->verdict = gb_verdict_worst(c->verdict, v);
    if (v == GB_PASS)
        return;
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    gb_str_printf(&c->reason, "%s- %s: %s\n", c->reason.len ? "" : "", gb_verdict_name(v), buf);
}

gb_series *gb_claim_series(gb_claim_t c, const char *label, int lines)
{
    if (c->nseries == GB_CLAIM_MAX_SERIES)
        return NULL;
    gb_series *s = &c->series[c->nseries++];
    memset(s, 0, sizeof *s);
    snprintf(s->label, sizeof s->label, "%s", label);
    s->lines = lines;
    return s;
}

gb_series *gb_claim_series_named(gb_claim_t c, const char *label, int lines)
{
    for (int i = 0; i < c->nseries; i++)
        if (!strcmp(c->series[i].label, label))
            return &c->series[i];
    return gb_claim_series(c, label, lines);
}

gb_heatmap *gb_claim_heatmap(gb_claim_t c, const char *suffix, const char *title, long rows, long cols, int log10abs)
{
    if (c->nheatmaps == GB_CLAIM_MAX_HEATMAPS)
        return NULL;
    gb_heatmap *h = &c->heatmaps[c->nheatmaps++];
    memset(h, 0, sizeof *h);
    snprintf(h->suffix, sizeof h->suffix, "%s", suffix);
    snprintf(h->title, sizeof h->title, "%s", title);
    snprintf(h->xlabel, sizeof h->xlabel, "column j");
    snprintf(h->ylabel, sizeof h->ylabel, "row i");
    h->rows = rows;
    h->cols = cols;
    h->log10abs = log10abs;
    h->z = calloc((size_t)(rows * cols), sizeof(double));
    if (!h->z)
        abort();   /* a report's heat map, as above */
    return h;
}
