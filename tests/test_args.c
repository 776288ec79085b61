/* The option reader (src/cli/args.c) and every command's table, in-process: the tables are consistent
 * and are the help text; long names are taken in full, as '--name value' or '--name=value'; a flag
 * takes no value; --help wins anywhere on the line; parsing twice in one process reads afresh. */
#include "cli/cli.h"
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

/* parse a command line given as one string of space-separated words (no quoting needed here) */
static int parse(const char *cmd, const char *line)
{
    const gb_command *c = gb_command_find(cmd);
    cr_assert(c, "no command %s", cmd);
    static char buf[1024];
    snprintf(buf, sizeof buf, "%s", line);
    char *argv[64];
    int argc = 0;
    argv[argc++] = (char *)cmd;
    for (char *save, *t = strtok_r(buf, " ", &save); t && argc < 63; t = strtok_r(NULL, " ", &save))
        argv[argc++] = t;
    argv[argc] = NULL;
    return c->parse(argc, argv);
}

Test(args, every_table_is_consistent_and_is_the_help)
{
    cr_assert_geq(gb_ncommands, 11);
    for (int i = 0; i < gb_ncommands; i++) {
        const gb_cli_cmd *c = gb_commands[i].cli;
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);
        gb_cli_help(f, c);
        fclose(f);
        cr_assert(!strncmp(text, "usage: greenbound ", 18), "%s: %s", c->name, text);
        int n = 0;
        for (const gb_cli_opt *o = c->opts; o->name || o->help; o++) {
            if (!o->name)
                continue;
            n++;
            cr_assert(o->key > 255 && o->help && strcmp(o->name, "help"), "%s --%s", c->name, o->name);
            for (const gb_cli_opt *q = o + 1; q->name || q->help; q++)
                cr_assert(!q->name || (strcmp(q->name, o->name) && q->key != o->key), "%s: --%s twice", c->name,
                          o->name);
            char want[80];
            snprintf(want, sizeof want, "  --%s%s%s", o->name, o->metavar ? " " : "", o->metavar ? o->metavar : "");
            cr_assert(strstr(text, want), "%s: the help lacks '%s'", c->name, want);
        }
        cr_assert_leq(n, GB_CLI_MAX_OPTS, "%s", c->name);
        free(text);
    }
}

Test(args, names_in_full_with_or_without_equals)
{
    cr_assert_eq(parse("fd-learn", "--family poly --p 3 --q 4 --N 32"), 0);
    cr_assert_eq(parse("fd-learn", "--family=poly --p=3 --q=4 --N=32 --json"), 0);
    /* getopt_long alone would take a unique prefix; a prefix would change meaning when an option is added */
    cr_assert_eq(parse("fd-learn", "--fam poly --p 3 --q 4 --N 32"), EXIT_USAGE);
    cr_assert_eq(parse("fd-learn", "--family poly --p 3 --q 4 --N 32 --json=yes"), EXIT_USAGE);
    cr_assert_eq(parse("fd-learn", "--family poly --p 3 --q 4 --N"), EXIT_USAGE);
    cr_assert_eq(parse("fd-learn", "--family poly --p 3 --q 4 --N= "), EXIT_USAGE);   /* empty value */
    cr_assert_eq(parse("fd-learn", "--family poly --p 3 --q 4 --N 32 -x"), EXIT_USAGE);
    cr_assert_eq(parse("fd-learn", "--family poly --p 3 --q 4 --N 32 extra"), EXIT_USAGE);
    /* parsing again in the same process starts afresh */
    cr_assert_eq(parse("fd-learn", "--family poly --p 3 --q 4 --N 32"), 0);
}

Test(args, help_wins_anywhere)
{
    for (int i = 0; i < gb_ncommands; i++) {
        cr_assert_eq(parse(gb_commands[i].cli->name, "--bogus --help"), GB_CLI_HELPED, "%s", gb_commands[i].cli->name);
        cr_assert_eq(parse(gb_commands[i].cli->name, "-h"), GB_CLI_HELPED, "%s", gb_commands[i].cli->name);
    }
    /* after '--' it is an operand */
    cr_assert_eq(parse("list", "-- --help"), EXIT_USAGE);
}

Test(args, operands_where_a_command_takes_them)
{
    cr_assert_eq(parse("verify", "FD-1 --quick FD-4"), 0);
    cr_assert_eq(parse("verify", "FD-1 FD-99"), EXIT_USAGE);
    cr_assert_eq(parse("verify", "--tier full FD-1"), EXIT_USAGE);
    cr_assert_eq(parse("verify", "--tier full GRN-5"), 0);
    cr_assert_eq(parse("list", ""), 0);
    cr_assert_eq(parse("list", "FD-1"), EXIT_USAGE);
    cr_assert_eq(parse("bench", "--N 64 64"), EXIT_USAGE);
}

Test(args, the_class_sets_the_defaults_before_the_other_options)
{
    /* --modes is bounded by the grid given after it; --samples is refused for a pinn wherever --model is */
    cr_assert_eq(parse("train", "--modes 20 --model fno --train sin:2 --N 48"), 0);
    cr_assert_eq(parse("train", "--modes 20 --model fno --train sin:2 --N 24"), EXIT_USAGE);
    cr_assert_eq(parse("train", "--samples 50 --model pinn --train poly:2"), EXIT_USAGE);
    cr_assert_eq(parse("train", "--train sin:2"), EXIT_USAGE);   /* --model is required */
    cr_assert_eq(parse("train", "--model mlp --train sin:2 --save x.ck"), 0);
    cr_assert_eq(parse("train", "--model mlp --train sin:2 --load x.ck"), EXIT_USAGE);   /* green's option */
    cr_assert_eq(parse("green", "--load x.ck --alpha 0.5"), 0);
    cr_assert_eq(parse("green", "--model=mlp --train sin:2 --alpha 0"), EXIT_USAGE);
    cr_assert_eq(parse("green", "--model linear --train sin:2 --N 16 --load lumped"), 0);
    cr_assert_eq(parse("green", "--train sin:2 --N 16"), EXIT_USAGE);
}

Test(args, each_command_refuses_what_it_should)
{
    cr_assert_eq(parse("linear", "--train sin:2 --N 16 --init normal:0.1 --solver closed --test fem"), 0);
    cr_assert_eq(parse("linear", "--train sin:2 --N 16 --init uniform"), EXIT_USAGE);
    cr_assert_eq(parse("xval", "--model all --N 16 --law uniform"), 0);
    cr_assert_eq(parse("xval", "--model transformer"), EXIT_USAGE);
    cr_assert_eq(parse("xval", "--N 16"), EXIT_USAGE);
    cr_assert_eq(parse("export", "--out d --samples 7"), EXIT_USAGE);
    cr_assert_eq(parse("export", "--seed 3"), EXIT_USAGE);
    cr_assert_eq(parse("score", "--pred d --name a/b"), EXIT_USAGE);
    cr_assert_eq(parse("score", "--pred d --name my-model_2 --json"), 0);
    cr_assert_eq(parse("verify-full", "--models mlp,fno --check 2 --seeds=5"), 0);
    cr_assert_eq(parse("verify-full", "--models mlp,mlp"), EXIT_USAGE);
    cr_assert_eq(parse("verify-full", "--models fd"), EXIT_USAGE);
    cr_assert_eq(parse("verify", "--fault pattern --tier full --seeds 33"), EXIT_USAGE);
    cr_assert_eq(parse("verify", "--fault grid --prec 128 --law uniform --noise 1e-3"), 0);
}
