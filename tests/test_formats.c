/* Every generated report parses: JSON through Jansson, CSV as RFC 4180 with one width per file, and
 * every Markdown table with as many cells per row as its header (an unescaped '|' would split a cell).
 * Reads the committed reports/ tree (and reports/full/), so a writer that breaks a format fails here. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}

/* cells of a Markdown table row: unescaped '|' separators minus the outer two */
static int md_cells(const char *line)
{
    int bars = 0;
    for (const char *p = line; *p; p++) {
        if (*p == '\\' && p[1]) {
            p++;
            continue;
        }
        bars += *p == '|';
    }
    return bars - 1;
}

static void check_md(const char *path)
{
    FILE *f = fopen(path, "r");
    cr_assert(f, "%s", path);
    char line[65536];
    int width = -1, lineno = 0, fence = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (!strncmp(line, "```", 3))
            fence = !fence;
        if (fence || line[0] != '|') {
            width = -1;   /* a table ends at a line that is not a row */
            continue;
        }
        int w = md_cells(line);
        if (width < 0)
            width = w;
        else
            cr_assert_eq(w, width, "%s:%d: %d cells where the table's header has %d", path, lineno, w, width);
    }
    fclose(f);
}

/* RFC 4180: fields separated by commas, quoted fields may hold commas, quotes (doubled) and newlines */
static void check_csv(const char *path)
{
    FILE *f = fopen(path, "r");
    cr_assert(f, "%s", path);
    int c, quoted = 0, fields = 1, width = -1, record = 1, after_quote = 0;
    while ((c = fgetc(f)) != EOF) {
        if (quoted) {
            if (c == '"') {
                int d = fgetc(f);
                if (d == '"')
                    continue;
                quoted = 0;
                after_quote = 1;
                if (d == EOF)
                    break;
                c = d;
            } else
                continue;
        }
        if (c == '"') {
            cr_assert(!after_quote, "%s: record %d: text after a closing quote", path, record);
            quoted = 1;
        } else if (c == ',') {
            fields++;
            after_quote = 0;
        } else if (c == '\n') {
            if (width < 0)
                width = fields;
            cr_assert_eq(fields, width, "%s: record %d has %d fields, the header %d", path, record, fields, width);
            fields = 1;
            record++;
            after_quote = 0;
        } else
            cr_assert(!after_quote, "%s: record %d: text after a closing quote", path, record);
    }
    cr_assert(!quoted, "%s: an unterminated quote", path);
    fclose(f);
}

static long walk(const char *dir)
{
    DIR *dp = opendir(dir);
    if (!dp)
        return 0;
    long n = 0;
    struct dirent *e;
    while ((e = readdir(dp))) {
        if (e->d_name[0] == '.')
            continue;
        char p[4096];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat sb;
        if (stat(p, &sb))
            continue;
        if (S_ISDIR(sb.st_mode)) {
            n += walk(p);
            continue;
        }
        if (ends_with(p, ".json")) {
            json_error_t je;
            json_t *j = json_load_file(p, JSON_REJECT_DUPLICATES, &je);
            cr_assert(j, "%s:%d: %s", p, je.line, je.text);
            json_decref(j);
            n++;
        } else if (ends_with(p, ".csv")) {
            check_csv(p);
            n++;
        } else if (ends_with(p, ".md")) {
            check_md(p);
            n++;
        }
    }
    closedir(dp);
    return n;
}

Test(formats, every_report_parses)
{
    long n = walk("reports");
    cr_assert(n > 50, "only %ld report files found under reports/", n);
}

/* the checkers themselves can fail */
Test(formats, the_checkers_catch_broken_files)
{
    const char *md = "/tmp/gb-formats-bad.md";
    FILE *f = fopen(md, "w");
    fputs("| a | b |\n|---|---|\n| x|y | z |\n", f);
    fclose(f);
    cr_assert_eq(md_cells("| x|y | z |\n"), 3);
    cr_assert_eq(md_cells("| x\\|y | z |\n"), 2);
    remove(md);
}
