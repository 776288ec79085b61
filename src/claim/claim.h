/* Claims and verdicts (SPEC §10). A claim carries its traceability fields (id,
 * source in the paper, what it requires), a table of cases with predicted and
 * measured values, and one verdict with the reason for it. */
#ifndef GB_CLAIM_H
#define GB_CLAIM_H

#include "core/str.h"
#include "rate/rate.h"
#include <stddef.h>

typedef enum { GB_PASS = 0, GB_INCONCLUSIVE, GB_FAIL, GB_ERROR } gb_verdict;

const char *gb_verdict_name(gb_verdict v);
int gb_verdict_parse(gb_verdict *v, const char *s);
/* the worse of two verdicts: ERROR > FAIL > INCONCLUSIVE > PASS */
gb_verdict gb_verdict_worst(gb_verdict a, gb_verdict b);

/* rate rule of SPEC §4: ≥ GB_RATE_MIN_LEVELS levels and R² ≥ GB_RATE_MIN_R2, else INCONCLUSIVE; then the
 * slope over the finest three levels must lie in [expected - tol, expected + tol], tol = GB_RATE_TOL in the
 * claims (their printed rules read these constants). */
#define GB_RATE_MIN_LEVELS 4
#define GB_RATE_MIN_R2 0.99
#define GB_RATE_TOL 0.1
gb_verdict gb_verdict_rate(const gb_rate_fit *f, double expected, double tol, gb_str *why);

/* "agree in the digits printed": equal when both are printed with `sig` significant digits */
int gb_digits_agree(double a, double b, int sig);
#define GB_PRINT_DIGITS 15
/* the same for a prediction evaluated at p and 2p bits: a value below 2^-(p-64) is zero at the
 * working precision and prints as 0 (both are snapped in place) */
int gb_digits_agree_at(double *a, double *b, long prec, int sig);

typedef struct {
    int is_num;
    double v;
    char *s;
} gb_cell;

typedef struct {
    int ncols;
    const char **cols;
    long nrows, cap;
    gb_cell *cells;
} gb_table;

/* One table cell as written by a caller. gb_table_row(t, a, b, c) types each argument by its C type
 * (_Generic): a string is a text cell, any arithmetic value a number, so a cell can never be read
 * as another type than it was passed (the format strings of a varargs writer could disagree with
 * their arguments: undefined behaviour). The number of cells must equal the table's columns. */
typedef struct {
    int is_num;
    double v;
    const char *s;
} gb_cell_in;

static inline gb_cell_in gb_cell_text(const char *s) { return (gb_cell_in){0, 0.0, s ? s : ""}; }
static inline gb_cell_in gb_cell_number(double v) { return (gb_cell_in){1, v, NULL}; }
#define GB_CELL(x) _Generic((x), char *: gb_cell_text, const char *: gb_cell_text, default: gb_cell_number)(x)

/* appends one row of n cells (n must equal t->ncols: a mismatch is a programming error and aborts) */
void gb_table_add(gb_table *t, int n, const gb_cell_in *cells);

#define GB_NARGS_(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15, _16, N, ...) N
#define GB_NARGS(...) GB_NARGS_(__VA_ARGS__, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define GB_MAP1(f, a) f(a)
#define GB_MAP2(f, a, ...) f(a), GB_MAP1(f, __VA_ARGS__)
#define GB_MAP3(f, a, ...) f(a), GB_MAP2(f, __VA_ARGS__)
#define GB_MAP4(f, a, ...) f(a), GB_MAP3(f, __VA_ARGS__)
#define GB_MAP5(f, a, ...) f(a), GB_MAP4(f, __VA_ARGS__)
#define GB_MAP6(f, a, ...) f(a), GB_MAP5(f, __VA_ARGS__)
#define GB_MAP7(f, a, ...) f(a), GB_MAP6(f, __VA_ARGS__)
#define GB_MAP8(f, a, ...) f(a), GB_MAP7(f, __VA_ARGS__)
#define GB_MAP9(f, a, ...) f(a), GB_MAP8(f, __VA_ARGS__)
#define GB_MAP10(f, a, ...) f(a), GB_MAP9(f, __VA_ARGS__)
#define GB_MAP11(f, a, ...) f(a), GB_MAP10(f, __VA_ARGS__)
#define GB_MAP12(f, a, ...) f(a), GB_MAP11(f, __VA_ARGS__)
#define GB_MAP13(f, a, ...) f(a), GB_MAP12(f, __VA_ARGS__)
#define GB_MAP14(f, a, ...) f(a), GB_MAP13(f, __VA_ARGS__)
#define GB_MAP15(f, a, ...) f(a), GB_MAP14(f, __VA_ARGS__)
#define GB_MAP16(f, a, ...) f(a), GB_MAP15(f, __VA_ARGS__)
#define GB_MAPN_(n) GB_MAP##n
#define GB_MAPN(n) GB_MAPN_(n)
#define gb_table_row(t, ...)                                                                                \
    gb_table_add((t), GB_NARGS(__VA_ARGS__), (const gb_cell_in[]){GB_MAPN(GB_NARGS(__VA_ARGS__))(GB_CELL, __VA_ARGS__)})

typedef struct {
    char label[64];
    int n;
    double x[GB_RATE_MAX_LEVELS], y[GB_RATE_MAX_LEVELS];
    double lo[GB_RATE_MAX_LEVELS], hi[GB_RATE_MAX_LEVELS];   /* GB_SERIES_INTERVAL: the bar of each point */
    int lines;            /* GB_SERIES_*: how the plot draws it */
    int panel;            /* 0: the claim's plot; 1: its second panel (plot2), drawn beside it */
} gb_series;
/* measured points joined by a line; a line (a prediction); points alone (e.g. single runs beside the
 * measured summary before them), in the colour of the measured series before it */
enum { GB_SERIES_MEASURED = 0, GB_SERIES_LINE = 1, GB_SERIES_SCATTER = 2, GB_SERIES_INTERVAL = 3, GB_SERIES_BOUND = 4,
       GB_SERIES_POINTS = 5 };
/* GB_SERIES_SCATTER: open points in the colour of the series before it; GB_SERIES_POINTS: filled points in a colour
 * of their own */
/* GB_SERIES_BOUND: a threshold, black dashed segments (a NaN point breaks the line) */
/* GB_SERIES_INTERVAL: points with vertical bars from lo to hi (a mean and its interval), a colour of its own */

#define GB_CLAIM_MAX_SERIES 24
#define GB_CLAIM_MAX_HEATMAPS 4

typedef struct {
    char suffix[24];      /* written as <id>-<suffix>.svg */
    char title[128], xlabel[48], ylabel[48];
    long rows, cols;
    double *z;            /* rows × cols, row-major; row 0 drawn at the top */
    int log10abs;         /* colour by log10 |z| */
    const char *const *xtics, *const *ytics; /* optional tick labels, one per column / row */
    double zlo, zhi;      /* fixed colour range (of log10 |z| when log10abs) when zlo < zhi */
    /* optional (0 / NULL: as before) */
    const char *cblabel;  /* colour-bar label instead of "log10 |value|" / "value" */
    int cell_labels;      /* each cell's value printed in it (one decimal); a non-finite value is drawn at
                           * the top of the colour range and printed as Inf / NaN */
    int diverging;        /* a signed quantity: blue–white–red about 0 over a symmetric range (else viridis,
                           * perceptually uniform, for magnitudes) */
} gb_heatmap;

/* draws a heat map into `svg` through gnuplot (written to a temporary name, then renamed) */
int gb_heatmap_write(const gb_heatmap *h, const char *svg);

typedef struct {
    char id[32];
    const char *title, *source, *statement, *requires;
    const char *label;           /* [paper], [derived], [convention], [M24] or a combination (SPEC header) */
    const char *program;         /* the verify/ file that made the report */
    const char *doc;             /* the doc/ page with the derivation */
    gb_str prediction, measured; /* one-line summaries for the index */
    gb_str params;               /* Markdown list of the run's parameters */
    gb_str notes;                /* Markdown paragraphs: derivation pointers, dropped points, reasons */
    gb_table cases;              /* one row per experiment */
    gb_table fits;               /* one row per rate fit (optional) */
    gb_verdict verdict;
    gb_str reason;
    /* certified enclosures (src/certify): printed predictions checked against their Arb balls, how many
     * lay inside, and what they are */
    long certified, certified_inside;
    const char *certified_what;
    /* optional log-log plot */
    const char *plot_title, *plot_xlabel, *plot_ylabel;
    int plot_linear_x, plot_linear_y; /* axes drawn linear instead of logarithmic */
    const char *plot_xtics;           /* optional gnuplot tic list for x, e.g. ("D poly" 1, "D cos" 2) */
    /* an optional second panel beside the first, for the series with panel = 1 (another quantity on other axes) */
    const char *plot2_title, *plot2_xlabel, *plot2_ylabel;
    int plot2_linear_x, plot2_linear_y;
    int nseries;
    gb_series series[GB_CLAIM_MAX_SERIES];
    int nheatmaps;
    gb_heatmap heatmaps[GB_CLAIM_MAX_HEATMAPS];
} gb_claim_struct;
typedef gb_claim_struct gb_claim_t[1];

void gb_claim_init(gb_claim_t c, const char *id, int ncols, const char **cols);
void gb_claim_set_fits(gb_claim_t c, int ncols, const char **cols);
void gb_claim_clear(gb_claim_t c);
/* records a case verdict: the claim's verdict becomes the worst seen, and a
 * non-PASS reason is appended */
void gb_claim_judge(gb_claim_t c, gb_verdict v, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
gb_series *gb_claim_series(gb_claim_t c, const char *label, int lines);
/* the series of that label, made on first use (NULL when the claim has no room for another) */
gb_series *gb_claim_series_named(gb_claim_t c, const char *label, int lines);
/* a heat map of a rows × cols matrix; the caller fills ->z (allocated here, freed by gb_claim_clear) */
gb_heatmap *gb_claim_heatmap(gb_claim_t c, const char *suffix, const char *title, long rows, long cols, int log10abs);

/* I/O: reports/<id>.md, .csv (and -fits.csv), .json and, with series, <id>.svg (gnuplot) */
int gb_claim_write(const gb_claim_t c, const char *dir);
/* reports/INDEX.md from every <id>.json in dir */
int gb_report_index(const char *dir);
/* the index of one run of some claims: dir/RUN.md over those ids only (INDEX.md is left alone) */
int gb_report_index_run(const char *dir, const char *const *ids, int n);

#endif
