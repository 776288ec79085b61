/* Report writers: Markdown for reading beside the paper, CSV for tables, JSON for
 * machines (Jansson, doubles printed to round-trip), SVG plots through gnuplot.
 * Every file is written to a temporary name and renamed into place. No
 * timestamps: a seed and a machine give the same bytes. */
#include "claim/claim.h"
#include "core/status.h"
#include "core/str.h"
#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return 0;
        p += w;
        n -= (size_t)w;
    }
    return 1;
}

/* gnuplot writes the closing tag last: a file without it was cut short (a full disk) */
static int svg_complete(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    char tail[17] = {0};
    int ok = fseek(f, -16, SEEK_END) == 0 && fread(tail, 1, 16, f) == 16 && strstr(tail, "</svg>");
    fclose(f);
    return ok;
}

static void fmt_num(char *buf, size_t n, double v)
{
    if (v == floor(v) && fabs(v) < 1e15)
        snprintf(buf, n, "%.0f", v);
    else
        snprintf(buf, n, "%.6e", v);
}

static int write_str(const char *dir, const char *id, const char *ext, gb_str *b)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.%s", dir, id, ext);
    return gb_file_write_atomic(path, gb_str_get(b), b->len);
}

/* a table cell: '|' would end the cell */
static void md_cell(gb_str *b, const char *s)
{
    if (!s)
        s = "";
    for (; *s; s++)
        gb_str_printf(b, *s == '|' ? "\\|" : "%c", *s);
}

static void md_table(gb_str *b, const gb_table *t)
{
    gb_str_printf(b, "|");
    for (int j = 0; j < t->ncols; j++) {   /* headers are cells too: a '|' in one would split the row */
        gb_str_printf(b, " ");
        md_cell(b, t->cols[j]);
        gb_str_printf(b, " |");
    }
    gb_str_printf(b, "\n|");
    for (int j = 0; j < t->ncols; j++)
        gb_str_printf(b, "---|");
    gb_str_printf(b, "\n");
    for (long i = 0; i < t->nrows; i++) {
        gb_str_printf(b, "|");
        for (int j = 0; j < t->ncols; j++) {
            const gb_cell *x = &t->cells[i * t->ncols + j];
            char num[64];
            if (x->is_num)
                fmt_num(num, sizeof num, x->v);
            gb_str_printf(b, " ");
            md_cell(b, x->is_num ? num : x->s);
            gb_str_printf(b, " |");
        }
        gb_str_printf(b, "\n");
    }
    gb_str_printf(b, "\n");
}

/* the certification line of a report: how many printed predictions lie inside their Arb balls */
static void certified_text(char *buf, size_t len, const gb_claim_t c)
{
    snprintf(buf, len, "%ld of %ld printed predictions (%s) lie inside their Arb enclosures: ball arithmetic at 2p "
             "bits, widened by the rounding to double (src/certify)", c->certified_inside, c->certified,
             c->certified_what ? c->certified_what : "closed forms");
}

static int write_md(const gb_claim_t c, const char *dir)
{
    gb_str b;
    gb_str_init(&b);
    gb_str_printf(&b, "# %s — %s\n\n", c->id, c->title);
    gb_str_printf(&b, "**Verdict: %s**\n\n", gb_verdict_name(c->verdict));
    gb_str_printf(&b, "| field | value |\n|---|---|\n");
    char cert[400];
    certified_text(cert, sizeof cert, c);
    const char *rows[8][2] = {{"label", c->label ? c->label : "—"}, {"source", c->source},
                              {"program", c->program ? c->program : "—"}, {"derivation", c->doc ? c->doc : "—"},
                              {"requires", c->requires}, {"prediction", gb_str_get(&c->prediction)},
                              {"measured", gb_str_get(&c->measured)}, {"certified", cert}};
    for (int i = 0; i < (c->certified ? 8 : 7); i++) {
        gb_str_printf(&b, "| %s | ", rows[i][0]);
        md_cell(&b, rows[i][1]);
        gb_str_printf(&b, " |\n");
    }
    gb_str_printf(&b, "\n");
    gb_str_printf(&b, "## Statement\n\n%s\n\n", c->statement);
    if (c->reason.len)
        gb_str_printf(&b, "## Why not PASS\n\n%s\n", gb_str_get(&c->reason));
    gb_str_printf(&b, "## Parameters\n\n%s\n", gb_str_get(&c->params));
    if (c->notes.len)
        gb_str_printf(&b, "## Notes\n\n%s\n", gb_str_get(&c->notes));
    if (c->nseries)
        gb_str_printf(&b, "## Plot\n\n![%s](%s.svg)\n\n", c->plot_title ? c->plot_title : c->id, c->id);
    for (int i = 0; i < c->nheatmaps; i++)
        gb_str_printf(&b, "%s![%s](%s-%s.svg)\n\n", i ? "" : "## Heat maps\n\n", c->heatmaps[i].title, c->id,
                      c->heatmaps[i].suffix);
    if (c->fits.nrows) {
        gb_str_printf(&b, "## Rate fits\n\nAlso in [%s-fits.csv](%s-fits.csv).\n\n", c->id, c->id);
        md_table(&b, &c->fits);
    }
    gb_str_printf(&b, "## Cases\n\nAlso in [%s.csv](%s.csv) and [%s.json](%s.json).\n\n", c->id, c->id, c->id, c->id);
    md_table(&b, &c->cases);
    int st = write_str(dir, c->id, "md", &b);
    gb_str_clear(&b);
    return st;
}

/* one CSV field (RFC 4180): text cells always quoted, a header only when it must be; quotes doubled */
static void csv_field(gb_str *b, const char *s, int always)
{
    if (!always && !strpbrk(s, ",\"\r\n")) {
        gb_str_printf(b, "%s", s);
        return;
    }
    gb_str_printf(b, "\"");
    for (; *s; s++)
        gb_str_printf(b, *s == '"' ? "\"\"" : "%c", *s);
    gb_str_printf(b, "\"");
}

static int write_csv_table(const gb_table *t, const char *dir, const char *name)
{
    gb_str b;
    gb_str_init(&b);
    for (int j = 0; j < t->ncols; j++) {
        gb_str_printf(&b, "%s", j ? "," : "");
        csv_field(&b, t->cols[j], 0);
    }
    gb_str_printf(&b, "\n");
    for (long i = 0; i < t->nrows; i++) {
        for (int j = 0; j < t->ncols; j++) {
            const gb_cell *x = &t->cells[i * t->ncols + j];
            if (x->is_num)
                gb_str_printf(&b, "%s%.17g", j ? "," : "", x->v);
            else {
                gb_str_printf(&b, "%s", j ? "," : "");
                csv_field(&b, x->s, 1);
            }
        }
        gb_str_printf(&b, "\n");
    }
    int st = write_str(dir, name, "csv", &b);
    gb_str_clear(&b);
    return st;
}

static int write_csv(const gb_claim_t c, const char *dir)
{
    int st = write_csv_table(&c->cases, dir, c->id);
    if (!st && c->fits.nrows) {
        char name[64];
        snprintf(name, sizeof name, "%s-fits", c->id);
        st = write_csv_table(&c->fits, dir, name);
    }
    return st;
}

static json_t *json_table(const gb_table *t)
{
    json_t *o = json_object(), *cols = json_array(), *rows = json_array();
    for (int j = 0; j < t->ncols; j++)
        json_array_append_new(cols, json_string(t->cols[j]));
    for (long i = 0; i < t->nrows; i++) {
        json_t *r = json_array();
        for (int j = 0; j < t->ncols; j++) {
            const gb_cell *x = &t->cells[i * t->ncols + j];
            /* JSON has no NaN/Inf: they become null */
            json_array_append_new(r, x->is_num ? (isfinite(x->v) ? json_real(x->v) : json_null())
                                               : json_string(x->s));
        }
        json_array_append_new(rows, r);
    }
    json_object_set_new(o, "columns", cols);
    json_object_set_new(o, "rows", rows);
    return o;
}

static int write_json(const gb_claim_t c, const char *dir)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(c->id));
    json_object_set_new(o, "title", json_string(c->title));
    json_object_set_new(o, "label", json_string(c->label ? c->label : ""));
    json_object_set_new(o, "source", json_string(c->source ? c->source : ""));
    json_object_set_new(o, "program", json_string(c->program ? c->program : ""));
    json_object_set_new(o, "derivation", json_string(c->doc ? c->doc : ""));
    json_object_set_new(o, "requires", json_string(c->requires));
    json_object_set_new(o, "statement", json_string(c->statement));
    json_object_set_new(o, "verdict", json_string(gb_verdict_name(c->verdict)));
    json_object_set_new(o, "reason", json_string(gb_str_get(&c->reason)));
    json_object_set_new(o, "prediction", json_string(gb_str_get(&c->prediction)));
    json_object_set_new(o, "measured", json_string(gb_str_get(&c->measured)));
    if (c->certified) {
        char cert[400];
        certified_text(cert, sizeof cert, c);
        json_object_set_new(o, "certified", json_pack("{s:I, s:I, s:s}", "checked", (json_int_t)c->certified, "inside",
                                                      (json_int_t)c->certified_inside, "text", cert));
    }
    json_object_set_new(o, "parameters", json_string(gb_str_get(&c->params)));
    json_object_set_new(o, "cases", json_table(&c->cases));
    if (c->fits.nrows)
        json_object_set_new(o, "fits", json_table(&c->fits));
    char *s = json_dumps(o, JSON_INDENT(1) | JSON_REAL_PRECISION(17));
    json_decref(o);
    if (!s)
        return GB_ENOMEM;
    gb_str b = {s, strlen(s), strlen(s) + 1};
    gb_str_printf(&b, "\n");
    int st = write_str(dir, c->id, "json", &b);
    gb_str_clear(&b);
    return st;
}

/* gnuplot single-quoted strings: a quote is written twice */
static const char *gp_quote(char *buf, size_t len, const char *s);

/* Runs gnuplot on `script_text` (fed through a pipe: no shell, no script file) with its output set
 * to a new exclusive temporary beside `svg`, then renames it into place. A gnuplot that fails, is
 * killed or leaves an incomplete SVG (a full disk) changes nothing at `svg`. */
static int run_gnuplot(const gb_str *script_text, const char *svg)
{
    char *tmp;
    int fd = gb_file_tmp_create(&tmp, svg);
    if (fd < 0)
        return GB_EIO;
    close(fd);
    size_t ql = 2 * strlen(tmp) + 1;
    char *q = malloc(ql);
    gb_str head;
    gb_str_init(&head);
    gb_str_printf(&head, "set output '%s'\n", gp_quote(q, ql, tmp));
    free(q);
    int pfd[2], st = GB_EEXT;
    pid_t pid = -1;
    if (pipe(pfd) == 0 && (pid = fork()) == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(pfd[0], STDIN_FILENO);
        if (null >= 0)
            dup2(null, STDOUT_FILENO), dup2(null, STDERR_FILENO);
        close(pfd[0]);
        close(pfd[1]);
        execlp("gnuplot", "gnuplot", (char *)NULL);
        _exit(127);
    }
    if (pid > 0) {
        close(pfd[0]);
        /* a gnuplot that died early must not kill us with SIGPIPE: the write fails instead */
        struct sigaction ign = {.sa_handler = SIG_IGN}, old;
        sigemptyset(&ign.sa_mask);
        sigaction(SIGPIPE, &ign, &old);
        int ok = write_all(pfd[1], gb_str_get(&head), head.len) && write_all(pfd[1], gb_str_get(script_text),
                                                                             script_text->len);
        close(pfd[1]);
        sigaction(SIGPIPE, &old, NULL);
        int ws;
        while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
            ;
        if (WIFSIGNALED(ws) && (WTERMSIG(ws) == SIGINT || WTERMSIG(ws) == SIGTERM))
            raise(WTERMSIG(ws));   /* an interrupted plot interrupts the run (default action: we stop) */
        if (ok && WIFEXITED(ws) && WEXITSTATUS(ws) == 0)
            st = svg_complete(tmp) ? GB_OK : GB_EIO;
    } else if (pid < 0 && pfd[0] >= 0) {
        close(pfd[0]);
        close(pfd[1]);
    }
    gb_str_clear(&head);
    if (st == GB_OK && rename(tmp, svg) != 0)
        st = GB_EIO;
    if (st != GB_OK)
        unlink(tmp);
    free(tmp);
    return st;
}

/* gnuplot single-quoted strings: a quote is written twice */
static const char *gp_quote(char *buf, size_t len, const char *s)
{
    size_t j = 0;
    for (; *s && j + 2 < len; s++) {
        if (*s == '\'')
            buf[j++] = '\'';
        buf[j++] = *s;
    }
    buf[j] = 0;
    return buf;
}

/* the axes and the series of one panel (panel 1: the claim's plot2 axes) */
static void svg_panel(gb_str *b, const gb_claim_t c, int panel)
{
    char q1[256], q2[256];
    const char *title = panel ? c->plot2_title : c->plot_title, *xl = panel ? c->plot2_xlabel : c->plot_xlabel,
               *yl = panel ? c->plot2_ylabel : c->plot_ylabel;
    int lin_x = panel ? c->plot2_linear_x : c->plot_linear_x, lin_y = panel ? c->plot2_linear_y : c->plot_linear_y;
    gb_str_printf(b, "unset logscale\nset format x '%%g'\n");
    if (!lin_x)
        gb_str_printf(b, "set logscale x\n");
    if (!lin_y)
        gb_str_printf(b, "set logscale y\n");
    gb_str_printf(b, "set grid\nset title '%s'\n", gp_quote(q1, sizeof q1, title ? title : c->id));
    gb_str_printf(b, "set xlabel '%s'\nset ylabel '%s'\n", gp_quote(q1, sizeof q1, xl ? xl : "Δx"),
                  gp_quote(q2, sizeof q2, yl ? yl : "error"));
    gb_str_printf(b, lin_y ? "set format y '%%g'\n" : "set format y '%%.0e'\n");
    if (c->plot_xtics && !panel)   /* program text, never user input */
        gb_str_printf(b, "set xtics %s rotate by -30 font ',10'\n", c->plot_xtics);
    else
        gb_str_printf(b, "set xtics autofreq norotate\n");
    gb_str_printf(b, "plot ");
    /* a group = measured points followed by its lines and scatters: one colour, lines told apart by dash
     * type, scatters drawn as open circles */
    int colour = 0, dash = 1, first = 1;
    for (int i = 0; i < c->nseries; i++) {
        const gb_series *s = &c->series[i];
        if (s->panel != panel)
            continue;
        const char *sep = first ? "" : ", ";
        first = 0;
        if (s->lines == GB_SERIES_MEASURED || s->lines == GB_SERIES_INTERVAL || s->lines == GB_SERIES_POINTS) {
            colour++;
            dash = 1;
        } else if (s->lines == GB_SERIES_LINE)
            dash++;
        if (s->lines == GB_SERIES_INTERVAL)
            gb_str_printf(b, "%s$s%d using 1:2:3:4 with yerrorbars pt 7 ps 1.0 lw 1.5 lc %d title '%s'", sep, i, colour,
                          gp_quote(q1, sizeof q1, s->label));
        else if (s->lines == GB_SERIES_BOUND)
            gb_str_printf(b, "%s$s%d using 1:2 with lines dt 2 lw 2 lc rgb 'black' title '%s'", sep, i,
                          gp_quote(q1, sizeof q1, s->label));
        else if (s->lines == GB_SERIES_POINTS)
            gb_str_printf(b, "%s$s%d using 1:2 with points pt 7 ps 0.8 lc %d title '%s'", sep, i, colour,
                          gp_quote(q1, sizeof q1, s->label));
        else if (s->lines == GB_SERIES_SCATTER)
            gb_str_printf(b, "%s$s%d using 1:2 with points pt 6 ps 0.9 lc %d title '%s'", sep, i, colour,
                          gp_quote(q1, sizeof q1, s->label));
        else if (s->lines == GB_SERIES_LINE)
            gb_str_printf(b, "%s$s%d using 1:2 with lines lw 1.5 dt %d lc %d title '%s'", sep, i, dash, colour,
                          gp_quote(q1, sizeof q1, s->label));
        else
            gb_str_printf(b, "%s$s%d using 1:2 with linespoints pt 7 ps 0.8 lw 1.2 lc %d title '%s'", sep, i, colour,
                          gp_quote(q1, sizeof q1, s->label));
    }
    gb_str_printf(b, "\n");
}

static int write_svg(const gb_claim_t c, const char *dir)
{
    char svg[4096];
    snprintf(svg, sizeof svg, "%s/%s.svg", dir, c->id);
    int two = 0;
    for (int i = 0; i < c->nseries; i++)
        two |= c->series[i].panel == 1;
    gb_str b;
    gb_str_init(&b);
    gb_str_printf(&b, "set terminal svg size %d,620 noenhanced font 'Helvetica,13' background rgb 'white'\n",
                  two ? 1600 : 1000);
    for (int i = 0; i < c->nseries; i++) {
        const gb_series *q = &c->series[i];
        int lin_y = q->panel ? c->plot2_linear_y : c->plot_linear_y;
        gb_str_printf(&b, "$s%d << EOD\n", i);
        for (int k = 0; k < q->n; k++) {
            gb_str_printf(&b, "%.17g %.17g", q->x[k], lin_y ? q->y[k] : fabs(q->y[k]));
            if (q->lines == GB_SERIES_INTERVAL)
                gb_str_printf(&b, " %.17g %.17g", q->lo[k], q->hi[k]);
            gb_str_printf(&b, "\n");
        }
        gb_str_printf(&b, "EOD\n");
    }
    if (two)
        gb_str_printf(&b, "set multiplot layout 1,2\nset key inside right top font ',10'\n");
    else
        gb_str_printf(&b, "set key outside right top font ',11'\n");
    svg_panel(&b, c, 0);
    if (two) {
        svg_panel(&b, c, 1);
        gb_str_printf(&b, "unset multiplot\n");
    }
    int st = run_gnuplot(&b, svg);
    gb_str_clear(&b);
    return st;
}

static void gp_tics(gb_str *b, const char *axis, const char *const *tics, long n)
{
    char q[128];
    gb_str_printf(b, "set %stics (", axis);
    for (long i = 0; i < n; i++)
        gb_str_printf(b, "%s'%s' %ld", i ? ", " : "", gp_quote(q, sizeof q, tics[i]), i);
    gb_str_printf(b, ") font ',10'\n");
}

int gb_heatmap_write(const gb_heatmap *h, const char *svg)
{
    char q[256];
    gb_str b;
    gb_str_init(&b);
    gb_str_printf(&b, "set terminal svg size %s noenhanced font 'Helvetica,13' background rgb 'white'\n"
                      "set view map\nset size ratio -1\n%s\n", h->cell_labels ? "900,780" : "760,640",
                  h->diverging ? "set palette defined (0 '#3b4cc0', 1 '#f7f7f7', 2 '#b40426')"
                               : "set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 '#5ec962', 4 '#fde725')");
    gb_str_printf(&b, "set title '%s'\n", gp_quote(q, sizeof q, h->title));
    gb_str_printf(&b, "set xlabel '%s'\n", gp_quote(q, sizeof q, h->xlabel));
    gb_str_printf(&b, "set ylabel '%s'\n", gp_quote(q, sizeof q, h->ylabel));
    gb_str_printf(&b, "set cblabel '%s'\nset yrange [] reverse\nset xrange [-0.5:%ld.5]\nset yrange [%ld.5:-0.5]\n",
                  gp_quote(q, sizeof q, h->cblabel ? h->cblabel : h->log10abs ? "log10 |value|" : "value"),
                  h->cols - 1, h->rows - 1);
    if (h->zlo < h->zhi)
        gb_str_printf(&b, "set cbrange [%.9g:%.9g]\n", h->zlo, h->zhi);
    else if (h->diverging) {   /* white at 0: the range symmetric about it */
        double m = 0;
        for (long k = 0; k < h->rows * h->cols; k++)
            if (isfinite(h->z[k]))
                m = fmax(m, fabs(h->z[k]));
        gb_str_printf(&b, "set cbrange [%.9g:%.9g]\n", -(m > 0 ? m : 1), m > 0 ? m : 1);
    }
    if (h->xtics)
        gp_tics(&b, "x", h->xtics, h->cols);
    if (h->ytics)
        gp_tics(&b, "y", h->ytics, h->rows);
    /* with cell labels, a non-finite cell takes the top colour (the range's, else the largest finite value)
     * and labels are white on the darker lower half of the palette */
    double bot = h->zlo < h->zhi ? h->zlo : INFINITY, top = h->zlo < h->zhi ? h->zhi : -INFINITY;
    for (long k = 0; h->cell_labels && !(h->zlo < h->zhi) && k < h->rows * h->cols; k++) {
        double z = h->log10abs ? log10(fabs(h->z[k]) > 1e-300 ? fabs(h->z[k]) : 1e-300) : h->z[k];
        if (isfinite(z)) {
            bot = fmin(bot, z);
            top = fmax(top, z);
        }
    }
    if (!(bot <= top))
        bot = top = 0;
    for (int pass = 0; pass < 1 + (h->cell_labels != 0); pass++) {
        gb_str_printf(&b, pass ? "$l << EOD\n" : "$m << EOD\n");
        for (long i = 0; i < h->rows; i++) {
            for (long j = 0; j < h->cols; j++) {
                double z = h->z[i * h->cols + j];
                if (h->log10abs)
                    z = log10(fabs(z) > 1e-300 ? fabs(z) : 1e-300);
                if (pass == 0)
                    gb_str_printf(&b, "%s%.9g", j ? " " : "", h->cell_labels && !isfinite(z) ? top : z);
                else if (isfinite(z))
                    gb_str_printf(&b, "%ld %ld \"%.1f\" %d\n", j, i, z, z < 0.5 * (bot + top) ? 0xffffff : 0);
                else
                    gb_str_printf(&b, "%ld %ld \"%s\" 0\n", j, i, isnan(z) ? "NaN" : z > 0 ? "Inf" : "-Inf");
            }
            if (pass == 0)
                gb_str_printf(&b, "\n");
        }
        gb_str_printf(&b, "EOD\n");
    }
    char labels[96] = "";   /* the cells' numbers, larger on a small matrix */
    if (h->cell_labels)
        snprintf(labels, sizeof labels, ", $l using 1:2:(stringcolumn(3)):4 with labels font ',%d' tc rgb variable notitle",
                 h->cols <= 12 ? 12 : 6);
    gb_str_printf(&b, "plot $m matrix with image pixels notitle%s\n", labels);
    int st = run_gnuplot(&b, svg);
    gb_str_clear(&b);
    return st;
}

static int write_heatmap(const gb_claim_t c, const gb_heatmap *h, const char *dir)
{
    char svg[4096];
    snprintf(svg, sizeof svg, "%s/%s-%s.svg", dir, c->id, h->suffix);
    return gb_heatmap_write(h, svg);
}

int gb_claim_write(const gb_claim_t c, const char *dir)
{
    mkdir(dir, 0777);
    int st;
    if ((st = write_md(c, dir)) || (st = write_csv(c, dir)) || (st = write_json(c, dir)))
        return st;
    if (c->nseries && (st = write_svg(c, dir)))
        fprintf(stderr, "greenbound: warning: plot %s/%s.svg not written (%s); is gnuplot installed?\n",
                dir, c->id, gb_strerror(st));
    for (int i = 0; i < c->nheatmaps; i++)
        if ((st = write_heatmap(c, &c->heatmaps[i], dir)))
            fprintf(stderr, "greenbound: warning: heat map %s/%s-%s.svg not written (%s)\n", dir, c->id,
                    c->heatmaps[i].suffix, gb_strerror(st));
    return GB_OK;
}

/* ids sort as FD-2 < FD-10: by prefix, then number */
static int id_cmp(const void *pa, const void *pb)
{
    const char *a = *(const char *const *)pa, *b = *(const char *const *)pb;
    size_t la = strcspn(a, "0123456789"), lb = strcspn(b, "0123456789");
    int c = strncmp(a, b, la < lb ? la : lb);
    if (c || la != lb)
        return c ? c : (la < lb ? -1 : 1);
    long na = atol(a + la), nb = atol(b + lb);
    return (na > nb) - (na < nb);
}

/* the ids of the reports in dir/sub (sub "" or a folder name), appended as "sub/ID" */
static void collect_ids(const char *dir, const char *sub, char ***ids, size_t *n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s%s%s", dir, *sub ? "/" : "", sub);
    DIR *dp = opendir(path);
    if (!dp)
        return;
    struct dirent *e;
    while ((e = readdir(dp))) {
        size_t l = strlen(e->d_name);
        if (l > 5 && strcmp(e->d_name + l - 5, ".json") == 0 && strchr(e->d_name, '-')) {
            *ids = realloc(*ids, sizeof(char *) * (*n + 1));
            char id[512];
            snprintf(id, sizeof id, "%s%s%.*s", sub, *sub ? "/" : "", (int)(l - 5), e->d_name);
            (*ids)[(*n)++] = strdup(id);
        }
    }
    closedir(dp);
}

/* the index page over the reports ids[0..n) of dir (the ids are freed), written to dir/file */
static int write_index(const char *dir, char **ids, size_t n, const char *file, int subset)
{
    gb_str b;
    gb_str_init(&b);
    if (subset)
        gb_str_printf(&b, "# greenbound — the claims of one run\n\n"
                          "A run of some of the claims (`greenbound verify ID…`): their reports were rewritten, "
                          "[INDEX.md](INDEX.md), the index of the whole set, was left as it was. The build and the "
                          "libraries of the run: [PROVENANCE.json](PROVENANCE.json).\n\n");
    else
        gb_str_printf(&b, "# greenbound — verification index\n\n"
                          "Claims of arXiv:2506.15199 (and arXiv:2411.15101) as numbered in doc/spec.md; "
                          "regenerate with `make verify`. The build and the libraries of the run: "
                          "[PROVENANCE.json](PROVENANCE.json), kept apart from these deterministic tables.\n\n");
    int counts[4] = {0}, full_counts[4] = {0}, nfull = 0;
    gb_str rows;
    gb_str_init(&rows);
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.json", dir, ids[i]);
        json_error_t err;
        json_t *o = json_load_file(path, 0, &err);
        if (!o || !json_string_value(json_object_get(o, "verdict"))) {
            json_decref(o);
            free(ids[i]);   /* not a claim's report: skipped, but not leaked */
            continue;
        }
        gb_verdict v = GB_ERROR;
        gb_verdict_parse(&v, json_string_value(json_object_get(o, "verdict")));
        counts[v]++;
        const char *slash = strrchr(ids[i], '/');
        gb_str_printf(&rows, "| [%s](%s.md) |", slash ? slash + 1 : ids[i], ids[i]);
        const char *keys[] = {"label", "title", "source", "prediction", "measured"};
        for (int k = 0; k < 5; k++) {
            gb_str_printf(&rows, " ");
            md_cell(&rows, json_string_value(json_object_get(o, keys[k])));
            gb_str_printf(&rows, " |");
        }
        /* the full tier of a statistical claim, where reports/full has it */
        snprintf(path, sizeof path, "%s/full/%s.json", dir, ids[i]);
        json_t *f = json_load_file(path, 0, &err);
        const char *fv = f ? json_string_value(json_object_get(f, "verdict")) : NULL;
        gb_verdict v2 = GB_ERROR;
        if (fv && !gb_verdict_parse(&v2, fv)) {
            full_counts[v2]++;
            nfull++;
            gb_str_printf(&rows, " **%s** (CI tier) | [**%s**](full/%s.md) |\n", gb_verdict_name(v), gb_verdict_name(v2),
                          ids[i]);
        } else
            gb_str_printf(&rows, " **%s** | — |\n", gb_verdict_name(v));
        json_decref(f);
        json_decref(o);
        free(ids[i]);
    }
    free(ids);
    gb_str_printf(&b, "%d PASS, %d FAIL, %d INCONCLUSIVE, %d ERROR", counts[GB_PASS], counts[GB_FAIL],
                  counts[GB_INCONCLUSIVE], counts[GB_ERROR]);
    if (nfull)
        gb_str_printf(&b, " (statistical claims in the CI tier); full tier of the %d statistical claims: %d PASS, "
                          "%d FAIL, %d INCONCLUSIVE, %d ERROR", nfull, full_counts[GB_PASS], full_counts[GB_FAIL],
                      full_counts[GB_INCONCLUSIVE], full_counts[GB_ERROR]);
    gb_str_printf(&b, "\n\nThe statistical claims about trained networks run in two tiers (SPEC §8): the CI tier, "
                      "a small budget that gates the pipeline, and the full tier, the paper's set-up, whose verdicts "
                      "are the ones to read beside the paper.\n\n");
    gb_str_printf(&b, "| id | label | claim | source | prediction | measured | verdict | full tier |\n"
                      "|---|---|---|---|---|---|---|---|\n%s", gb_str_get(&rows));
    gb_str_clear(&rows);
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    int st = gb_file_write_atomic(path, gb_str_get(&b), b.len);
    gb_str_clear(&b);
    return st;
}

int gb_report_index(const char *dir)
{
    DIR *dp = opendir(dir);
    if (!dp)
        return GB_EIO;
    char **ids = NULL;
    size_t n = 0;
    collect_ids(dir, "", &ids, &n);
    struct dirent *e;   /* and one level of sub-folders (reports/xval/) */
    while ((e = readdir(dp))) {
        char sub[4096];
        struct stat sb;
        snprintf(sub, sizeof sub, "%s/%s", dir, e->d_name);
        /* full/ holds the full tier of the statistical claims: a column of this index, not rows */
        if (e->d_name[0] != '.' && strcmp(e->d_name, "full") && !stat(sub, &sb) && S_ISDIR(sb.st_mode))
            collect_ids(dir, e->d_name, &ids, &n);
    }
    closedir(dp);
    qsort(ids, n, sizeof *ids, id_cmp);
    return write_index(dir, ids, n, "INDEX.md", 0);
}

int gb_report_index_run(const char *dir, const char *const *ids, int n)
{
    char **own = malloc(sizeof *own * (size_t)(n > 0 ? n : 1));
    if (!own)
        return GB_ENOMEM;
    for (int i = 0; i < n; i++)
        own[i] = strdup(ids[i]);
    qsort(own, (size_t)n, sizeof *own, id_cmp);
    return write_index(dir, own, (size_t)n, "RUN.md", 1);
}
