#include "claim/claim.h"
#include "core/status.h"
#include "core/str.h"
#include "report/stage.h"
#include <criterion/criterion.h>
#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <signal.h>
#include <unistd.h>

static const char *cols[] = {"name", "x", "n"};

static void make_claim(gb_claim_t c, const char *id, gb_verdict v)
{
    gb_claim_init(c, id, 3, cols);
    c->title = "a title";
    c->source = "a source";
    c->requires = "nothing";
    c->statement = "a statement";
    gb_str_printf(&c->prediction, "p");
    gb_str_printf(&c->measured, "m");
    gb_table_row(&c->cases, "first", 0.1, 3L);
    gb_table_row(&c->cases, "second", 1.0 / 3.0, -7L);
    gb_table_row(&c->cases, "third", NAN, 0L);
    if (v != GB_PASS)
        gb_claim_judge(c, v, "because %d", 42);
}

static char *tmpdir(void)
{
    char *t = strdup("/tmp/gb-test-XXXXXX");
    cr_assert(mkdtemp(t));
    return t;
}

Test(report, json_round_trips_doubles_and_verdict)
{
    char *d = tmpdir();
    gb_claim_t c;
    make_claim(c, "T-1", GB_FAIL);
    cr_assert_eq(gb_claim_write(c, d), GB_OK);
    char path[256];
    snprintf(path, sizeof path, "%s/T-1.json", d);
    json_error_t err;
    json_t *o = json_load_file(path, 0, &err);
    cr_assert(o, "%s", err.text);
    cr_assert_str_eq(json_string_value(json_object_get(o, "verdict")), "FAIL");
    cr_assert(strstr(json_string_value(json_object_get(o, "reason")), "because 42"));
    json_t *rows = json_object_get(json_object_get(o, "cases"), "rows");
    cr_assert_eq(json_array_size(rows), 3);
    cr_assert_eq(json_real_value(json_array_get(json_array_get(rows, 1), 1)), 1.0 / 3.0, "exact round trip");
    cr_assert(json_is_null(json_array_get(json_array_get(rows, 2), 1)), "NaN becomes null");
    json_decref(o);
    gb_claim_clear(c);
    free(d);
}

Test(report, index_lists_every_claim_with_counts)
{
    char *d = tmpdir();
    gb_claim_t a, b;
    make_claim(a, "T-10", GB_PASS);
    make_claim(b, "T-2", GB_INCONCLUSIVE);
    gb_claim_write(a, d);
    gb_claim_write(b, d);
    cr_assert_eq(gb_report_index(d), GB_OK);
    char path[256], buf[4096] = {0};
    snprintf(path, sizeof path, "%s/INDEX.md", d);
    FILE *f = fopen(path, "r");
    cr_assert(f);
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    cr_assert(n > 0);
    cr_assert(strstr(buf, "1 PASS, 0 FAIL, 1 INCONCLUSIVE, 0 ERROR"));
    char *p2 = strstr(buf, "[T-2]"), *p10 = strstr(buf, "[T-10]");
    cr_assert(p2 && p10 && p2 < p10, "natural order of ids");
    gb_claim_clear(a);
    gb_claim_clear(b);
    free(d);
}

Test(report, csv_has_header_and_rows)
{
    char *d = tmpdir();
    gb_claim_t c;
    make_claim(c, "T-3", GB_PASS);
    gb_claim_write(c, d);
    char path[256], line[256];
    snprintf(path, sizeof path, "%s/T-3.csv", d);
    FILE *f = fopen(path, "r");
    cr_assert(f);
    cr_assert(fgets(line, sizeof line, f));
    cr_assert_str_eq(line, "name,x,n\n");
    cr_assert(fgets(line, sizeof line, f));
    cr_assert_str_eq(line, "\"first\",0.10000000000000001,3\n");
    fclose(f);
    gb_claim_clear(c);
    free(d);
}

/* a failed write leaves nothing behind and changes nothing */
Test(report, atomic_write_fails_cleanly)
{
    cr_assert_eq(gb_file_write_atomic("/nonexistent-dir/x.md", "abc", 3), GB_EIO);
    char *d = tmpdir();
    char path[256];
    snprintf(path, sizeof path, "%s/keep.txt", d);
    cr_assert_eq(gb_file_write_atomic(path, "old", 3), GB_OK);
    cr_assert_eq(gb_file_write_atomic(path, "new!", 4), GB_OK);
    FILE *f = fopen(path, "r");
    char buf[8] = {0};
    cr_assert_eq(fread(buf, 1, 7, f), 4);
    fclose(f);
    cr_assert_str_eq(buf, "new!");
    DIR *dp = opendir(d);
    struct dirent *e;
    int files = 0;
    while ((e = readdir(dp)))
        files += e->d_name[0] != '.';
    closedir(dp);
    cr_assert_eq(files, 1, "no temporary file left");
    free(d);
}

Test(report, plot_is_written_as_svg)
{
    char *d = tmpdir();
    gb_claim_t c;
    make_claim(c, "T-4", GB_PASS);
    gb_series *s = gb_claim_series(c, "measured", 0), *l = gb_claim_series(c, "predicted", 1);
    for (int i = 0; i < 4; i++) {
        s->x[i] = l->x[i] = 1.0 / (8 << i);
        s->y[i] = l->y[i] = pow(s->x[i], 2);
    }
    s->n = l->n = 4;
    cr_assert_eq(gb_claim_write(c, d), GB_OK);
    char path[256], buf[256] = {0};
    snprintf(path, sizeof path, "%s/T-4.svg", d);
    FILE *f = fopen(path, "r");
    cr_assert(f, "gnuplot must be installed (scripts/deps.sh)");
    cr_assert(fread(buf, 1, sizeof buf - 1, f) > 0);
    fclose(f);
    cr_assert(strstr(buf, "<svg"));
    gb_claim_clear(c);
    free(d);
}

/* a symbolic link planted where the temporary used to be named (<file>.tmp.<pid>) is never followed:
 * the file it points to keeps its contents */
Test(report, atomic_write_never_follows_a_planted_link)
{
    char *d = tmpdir();
    char victim[256], path[256], link[300];
    snprintf(victim, sizeof victim, "%s/victim", d);
    snprintf(path, sizeof path, "%s/out.md", d);
    snprintf(link, sizeof link, "%s.tmp.%ld", path, (long)getpid());
    cr_assert_eq(gb_file_write_atomic(victim, "precious", 8), GB_OK);
    cr_assert_eq(symlink(victim, link), 0);
    cr_assert_eq(gb_file_write_atomic(path, "report", 6), GB_OK);
    FILE *f = fopen(victim, "r");
    char buf[16] = {0};
    cr_assert_eq(fread(buf, 1, 15, f), 8);
    fclose(f);
    cr_assert_str_eq(buf, "precious");
    struct stat sb;
    cr_assert_eq(lstat(path, &sb), 0);
    cr_assert(S_ISREG(sb.st_mode));
    unlink(link);
    free(d);
}

/* gnuplot runs without a shell and the output name is quoted in its script: a folder name holding
 * shell and gnuplot syntax is only a name */
Test(report, plot_folder_name_is_not_a_command)
{
    char *d = tmpdir();
    char dir[512], witness[64];
    snprintf(witness, sizeof witness, "gb-pwned.%ld", (long)getpid());   /* a command would make it here */
    snprintf(dir, sizeof dir, "%s/a';system('touch %s');'$(touch %s);b", d, witness, witness);
    cr_assert_eq(mkdir(dir, 0777), 0);
    gb_claim_t c;
    make_claim(c, "T-5", GB_PASS);
    gb_series *s = gb_claim_series(c, "measured", 0);
    for (int i = 0; i < 3; i++)
        s->x[i] = i + 1, s->y[i] = i + 2;
    s->n = 3;
    cr_assert_eq(gb_claim_write(c, dir), GB_OK);
    struct stat sb;
    cr_assert(stat(witness, &sb) != 0, "a command in the folder name ran");
    char svg[700];
    snprintf(svg, sizeof svg, "%s/T-5.svg", dir);
    cr_assert_eq(stat(svg, &sb), 0, "the plot is written under its odd name");
    gb_claim_clear(c);
    free(d);
}

/* a row's cells take the types of its arguments; a wrong count is refused, never read out of step */
Test(report, typed_rows)
{
    const char *cols3[] = {"name", "x", "n"};
    gb_claim_t c;
    gb_claim_init(c, "T-6", 3, cols3);
    char buf[8] = "buf";
    gb_table_row(&c->cases, buf, 2.5, 7L);
    gb_table_row(&c->cases, "lit", 3, (unsigned long)9);
    cr_assert(!c->cases.cells[0].is_num && !strcmp(c->cases.cells[0].s, "buf"));
    cr_assert(c->cases.cells[1].is_num && c->cases.cells[1].v == 2.5);
    cr_assert(c->cases.cells[2].is_num && c->cases.cells[2].v == 7);
    cr_assert(c->cases.cells[4].is_num && c->cases.cells[4].v == 3);
    cr_assert(c->cases.cells[5].is_num && c->cases.cells[5].v == 9);
    gb_claim_clear(c);
}

/* a threshold printed from its constant spells as the rule texts do: short exponents, an optional typographic minus */
Test(report, rule_numbers_print_as_written)
{
    char b[48];
    cr_assert_str_eq(gb_num_text(b, sizeof b, "%g", 1e-9, NULL), "1e-9");
    cr_assert_str_eq(gb_num_text(b, sizeof b, "%.0e", 1e-4, NULL), "1e-4");
    cr_assert_str_eq(gb_num_text(b, sizeof b, "%.0e", 1e3, NULL), "1e3");
    cr_assert_str_eq(gb_num_text(b, sizeof b, "%g", 1e-10, NULL), "1e-10");
    cr_assert_str_eq(gb_num_text(b, sizeof b, "%.0e", 1e-20, NULL), "1e-20");
    cr_assert_str_eq(gb_num_text(b, sizeof b, "%g", 0.1, NULL), "0.1");
    cr_assert_str_eq(gb_num_text(b, sizeof b, "%g", 100.0, NULL), "100");
    cr_assert_str_eq(gb_num_text(b, sizeof b, "%.0e", 1.0, NULL), "1e0");
    cr_assert_str_eq(gb_num_text(b, sizeof b, "%g", -0.5, "−"), "−0.5");
    cr_assert_str_eq(gb_num_text(b, sizeof b, "%.0e", 1e-20, "−"), "1e−20");
    cr_assert_str_eq(gb_num_text(b, 3, "%g", -7.0, "−"), "");   /* no room for the minus: never half a character */
    cr_assert_str_eq(gb_num_text(b, 3, "%g", 12345.0, NULL), "12");
    cr_assert_str_eq(GB_NUM("%g", 1e-6), "1e-6");
    cr_assert_str_eq(GB_NUM_MINUS("%g", -7.0), "−7");
}

Test(report, a_row_of_the_wrong_width_aborts, .signal = SIGABRT)
{
    const char *cols3[] = {"name", "x", "n"};
    gb_claim_t c;
    gb_claim_init(c, "T-7", 3, cols3);
    gb_table_row(&c->cases, "only", 2.0);
}

/* a '|' in a column header or a cell is escaped: every Markdown row keeps its width */
Test(report, markdown_cells_and_headers_escape_pipes)
{
    char *d = tmpdir();
    const char *cols2[] = {"|a|", "b"};
    gb_claim_t c;
    gb_claim_init(c, "T-8", 2, cols2);
    c->title = c->source = c->requires = c->statement = "t";
    gb_table_row(&c->cases, "x|y", 1.0);
    cr_assert_eq(gb_claim_write(c, d), GB_OK);
    char path[256], line[512];
    snprintf(path, sizeof path, "%s/T-8.md", d);
    FILE *f = fopen(path, "r");
    int found = 0;
    while (fgets(line, sizeof line, f))
        if (strstr(line, "\\|a\\|")) {
            found = 1;
            cr_assert(strstr(line, "| \\|a\\| | b |"), "%s", line);
        }
    fclose(f);
    cr_assert(found);
    gb_claim_clear(c);
    free(d);
}

/* the staging folder: a mirror of hard links, swapped in as a whole; an abandoned one (a killed run) is
 * removed by the next open; the old set stays until the commit */
Test(report, staged_report_folder_swaps_as_a_whole)
{
    char dir[] = "/tmp/gb-stage-XXXXXX", out[256], stage[512], stale[512], p[600];
    cr_assert(mkdtemp(dir));
    snprintf(out, sizeof out, "%s/reports", dir);
    cr_assert_eq(gb_stage_open(stage, sizeof stage, out), GB_OK);   /* no folder yet: an empty stage */
    snprintf(p, sizeof p, "%s/A.md", stage);
    FILE *f = fopen(p, "w");
    fputs("old A", f);
    fclose(f);
    snprintf(p, sizeof p, "%s/sub", stage);
    mkdir(p, 0777);
    snprintf(p, sizeof p, "%s/sub/B.md", stage);
    f = fopen(p, "w");
    fputs("old B", f);
    fclose(f);
    cr_assert_eq(gb_stage_commit(stage, out), GB_OK);
    /* a killed run's stage (a pid that cannot exist) is removed when the next run opens its own */
    snprintf(stale, sizeof stale, "%s/.reports.stage.999999999", dir);
    cr_assert_eq(mkdir(stale, 0777), 0);
    cr_assert_eq(gb_stage_open(stage, sizeof stage, out), GB_OK);
    struct stat sb;
    cr_assert_neq(stat(stale, &sb), 0, "the stale stage is gone");
    /* the stage mirrors the old set; replacing a file there (write to a temporary, rename) leaves the old one */
    snprintf(p, sizeof p, "%s/sub/B.md", stage);
    cr_assert_eq(stat(p, &sb), 0);
    cr_assert_eq(gb_file_write_atomic(p, "new B", 5), GB_OK);
    char buf[16] = "";
    snprintf(p, sizeof p, "%s/sub/B.md", out);
    f = fopen(p, "r");
    cr_assert(fgets(buf, sizeof buf, f));
    fclose(f);
    cr_assert_str_eq(buf, "old B", "the live set is untouched before the commit");
    cr_assert_eq(gb_stage_commit(stage, out), GB_OK);
    f = fopen(p, "r");
    cr_assert(fgets(buf, sizeof buf, f));
    fclose(f);
    cr_assert_str_eq(buf, "new B");
    snprintf(p, sizeof p, "%s/A.md", out);
    cr_assert_eq(stat(p, &sb), 0, "a file the run did not touch is kept");
    cr_assert_neq(stat(stage, &sb), 0, "the old set is removed after the swap");
    /* a folder that cannot be named for a swap */
    cr_assert_neq(gb_stage_open(stage, sizeof stage, "."), GB_OK);
    cr_assert_neq(gb_stage_open(stage, sizeof stage, "/"), GB_OK);
    gb_stage_remove(dir);
    cr_assert_neq(stat(dir, &sb), 0);
}
