/* The option reader of every command (getopt_long over one table per command) and the value parsers. */
#include "cli/args.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* the help column: option names on the left, what they do from here on */
enum { HELP_COLUMN = 22 };

void gb_cli_begin(gb_cli_parser *p, const gb_cli_cmd *cmd, int argc, char **argv)
{
    memset(p, 0, sizeof *p);
    p->cmd = cmd;
    p->argc = argc;
    p->argv = argv;
    for (const gb_cli_opt *o = cmd->opts; o && (o->name || o->help); o++)
        if (o->name && p->nopts < GB_CLI_MAX_OPTS)
            p->lo[p->nopts++] = (struct option){o->name, o->metavar ? required_argument : no_argument, NULL, o->key};
    p->lo[p->nopts] = (struct option){"help", no_argument, NULL, 'h'};
    /* --help answers whatever else is on the line, even options that would be refused */
    for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
        p->help |= !strcmp(argv[i], "--help") || !strcmp(argv[i], "-h");
    optind = 0;   /* glibc: a full re-initialisation, so that a process may parse more than once */
    opterr = 0;   /* the messages are ours */
}

static const gb_cli_opt *find(const gb_cli_cmd *cmd, const char *name, size_t len)
{
    for (const gb_cli_opt *o = cmd->opts; o && (o->name || o->help); o++)
        if (o->name && strlen(o->name) == len && !strncmp(o->name, name, len))
            return o;
    return NULL;
}

static int bad_option(gb_cli_parser *p, const char *given)
{
    const char *eq = strchr(given, '=');
    size_t len = eq ? (size_t)(eq - given) - 2 : strlen(given) - 2;
    const gb_cli_opt *o = !strncmp(given, "--", 2) ? find(p->cmd, given + 2, len) : NULL;
    if (o && !o->metavar && eq)
        fprintf(stderr, "greenbound: --%s takes no value, got '%s'\n", o->name, given);
    else
        fprintf(stderr, "greenbound: %s: unknown option '%s' (see 'greenbound help %s')\n", p->cmd->name, given,
                p->cmd->name);
    return GB_CLI_BAD;
}

int gb_cli_next(gb_cli_parser *p)
{
    if (p->help) {
        gb_cli_help(stdout, p->cmd);
        return GB_CLI_HELPED;
    }
    int idx = -1, c = getopt_long(p->argc, p->argv, ":h", p->lo, &idx);
    if (c == -1)
        return 0;
    if (c == 'h') {
        gb_cli_help(stdout, p->cmd);
        return GB_CLI_HELPED;
    }
    const char *last = p->argv[optind - 1];
    if (c == '?') {
        if (strncmp(last, "--", 2)) {   /* a short option other than -h */
            char s[3] = {'-', (char)optopt, 0};
            return bad_option(p, s);
        }
        return bad_option(p, last);
    }
    if (c == ':') {
        const char *eq = strchr(last, '=');
        fprintf(stderr, "greenbound: %.*s: missing value\n", eq ? (int)(eq - last) : (int)strlen(last), last);
        return GB_CLI_BAD;
    }
    /* the element that named the option: getopt_long takes any unique prefix, this reader does not (a
     * prefix would change meaning when an option is added) */
    const char *given = p->lo[idx].has_arg && optarg == last ? p->argv[optind - 2] : last;
    const char *eq = strchr(given, '=');
    size_t len = (eq ? (size_t)(eq - given) : strlen(given)) - 2;
    if (strlen(p->lo[idx].name) != len)
        return bad_option(p, given);
    snprintf(p->flag, sizeof p->flag, "--%s", p->lo[idx].name);
    p->arg = optarg;
    if (p->arg && !p->arg[0]) {   /* no option takes an empty value; --out "" would mean the root folder */
        fprintf(stderr, "greenbound: %s: empty value\n", p->flag);
        return GB_CLI_BAD;
    }
    return c;
}

int gb_cli_stop(int c, int rc)
{
    return rc ? rc : c == GB_CLI_HELPED ? GB_CLI_HELPED : c == GB_CLI_BAD ? EXIT_USAGE : 0;
}

int gb_cli_operands(gb_cli_parser *p, char ***rest)
{
    *rest = p->argv + optind;
    return p->argc - optind;
}

int gb_cli_no_operands(gb_cli_parser *p)
{
    char **rest;
    if (gb_cli_operands(p, &rest) > 0)
        return usage_error("%s: unexpected argument '%s' (it takes options only)", p->cmd->name, rest[0]);
    return 0;
}

void gb_cli_help(FILE *f, const gb_cli_cmd *cmd)
{
    fprintf(f, "%s\n%s", cmd->usage, cmd->about ? "\n" : "");
    if (cmd->about)
        fprintf(f, "%s\n", cmd->about);
    int first = 1;
    for (const gb_cli_opt *o = cmd->opts; o && (o->name || o->help); o++) {
        if (first)
            fputc('\n', f);
        first = 0;
        if (!o->name) {   /* a heading */
            fprintf(f, "%s\n", o->help);
            continue;
        }
        int n = fprintf(f, "  --%s%s%s", o->name, o->metavar ? " " : "", o->metavar ? o->metavar : "");
        if (n >= HELP_COLUMN - 1) {
            fputc('\n', f);
            n = 0;
        }
        fprintf(f, "%*s", HELP_COLUMN - n, "");
        for (const char *s = o->help; *s; s++) {
            fputc(*s, f);
            if (*s == '\n')
                fprintf(f, "%*s", HELP_COLUMN, "");
        }
        fputc('\n', f);
    }
    if (cmd->notes)
        fprintf(f, "\n%s", cmd->notes);
}

int usage_error(const char *fmt, const char *a, const char *b)
{
    fprintf(stderr, "greenbound: ");
    fprintf(stderr, fmt, a, b);
    fprintf(stderr, "\n(see 'greenbound help')\n");
    return EXIT_USAGE;
}

int parse_long(long *out, const char *flag, const char *s, long lo, long hi)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) {
        fprintf(stderr, "greenbound: %s: expected an integer in %ld..%ld, got '%s'\n", flag, lo, hi, s);
        return EXIT_USAGE;
    }
    *out = v;
    return 0;
}

int parse_int(int *out, const char *flag, const char *s, long lo, long hi)
{
    long v;
    if (parse_long(&v, flag, s, lo, hi))
        return EXIT_USAGE;
    *out = (int)v;
    return 0;
}

int parse_seed(unsigned long *out, const char *flag, const char *s, long hi)
{
    long v;
    if (parse_long(&v, flag, s, 0, hi))
        return EXIT_USAGE;
    *out = (unsigned long)v;
    return 0;
}

int parse_pos_double(double *out, const char *flag, const char *s, int allow_zero)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v) || v < 0 || (!allow_zero && v == 0)) {
        fprintf(stderr, "greenbound: %s: expected a finite number %s 0, got '%s'\n", flag, allow_zero ? ">=" : ">", s);
        return EXIT_USAGE;
    }
    *out = v;
    return 0;
}

int parse_law(gb_law *law, const char *s)
{
    if (!strcmp(s, "normal"))
        *law = GB_LAW_NORMAL;
    else if (!strcmp(s, "uniform"))
        *law = GB_LAW_UNIFORM;
    else
        return usage_error("--law: expected normal or uniform, got '%s'%s", s, "");
    return 0;
}

int parse_load(gb_load *load, const char *s)
{
    if (!strcmp(s, "consistent"))
        *load = GB_LOAD_CONSISTENT;
    else if (!strcmp(s, "lumped"))
        *load = GB_LOAD_LUMPED;
    else
        return usage_error("--load: expected consistent or lumped, got '%s'%s", s, "");
    return 0;
}

int parse_family_p(gb_data_spec *spec, const char *flag, const char *s)
{
    char fam[16];
    const char *colon = strchr(s, ':');
    size_t len = colon ? (size_t)(colon - s) : strlen(s);
    if (len >= sizeof fam)
        len = sizeof fam - 1;
    memcpy(fam, s, len);
    fam[len] = 0;
    if (gb_family_parse(&spec->family, fam)) {
        fprintf(stderr, "greenbound: %s: expected poly:P, cos:P, sin:P (P in 1..8) or fem, got '%s'\n", flag, s);
        return EXIT_USAGE;
    }
    if (spec->family == GB_FAMILY_FEM) {
        if (colon) {
            fprintf(stderr, "greenbound: %s: fem takes no ':P', got '%s'\n", flag, s);
            return EXIT_USAGE;
        }
        spec->p = 1;
        return 0;
    }
    long p;
    if (!colon) {
        fprintf(stderr, "greenbound: %s: %s needs ':P' with P in 1..8, got '%s'\n", flag, fam, s);
        return EXIT_USAGE;
    }
    if (parse_long(&p, flag, colon + 1, 1, 8))
        return EXIT_USAGE;
    spec->p = (int)p;
    return 0;
}

double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}
