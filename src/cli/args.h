/* The command line's one option reader: each command declares its options once, in a table that
 * drives both getopt_long and the command's --help text (so the two cannot drift apart), and the
 * value parsers that every command shares. Bad input gets a message on stderr that names the flag
 * and what it expected; the caller returns EXIT_USAGE. */
#ifndef GB_CLI_ARGS_H
#define GB_CLI_ARGS_H

#include "data/data.h"
#include <getopt.h>
#include <stdio.h>

#define EXIT_USAGE 2
#define EXIT_RUNTIME 3
/* the MPFR precision (bits) of the closed forms a command without --prec evaluates: the default p of the others */
#define GB_CLI_PREC 256
/* gb_cli_next's returns besides an option's key: --help was printed (a parse function passes it on
 * and the command ends with exit 0), or a message about a bad option was */
#define GB_CLI_HELPED (-1)
#define GB_CLI_BAD (-2)

/* one option: --name [METAVAR]  help. A row with name NULL and help set is a heading of the help
 * text; the row with both NULL ends the table. */
typedef struct {
    const char *name;
    int key;               /* what gb_cli_next returns for it (> 0, not 'h', '?' or ':') */
    const char *metavar;   /* NULL: a flag without a value */
    const char *help;      /* may hold '\n': its lines are indented under the first */
} gb_cli_opt;

typedef struct {
    const char *name;    /* "fd-learn" */
    const char *usage;   /* the synopsis lines, each starting "usage: " or indented */
    const char *about;   /* the paragraph after the synopsis */
    const gb_cli_opt *opts;
    const char *notes;   /* printed after the options; may be NULL */
} gb_cli_cmd;

#define GB_CLI_MAX_OPTS 64

typedef struct {
    const gb_cli_cmd *cmd;
    int argc;
    char **argv;
    struct option lo[GB_CLI_MAX_OPTS + 1];
    int nopts, help;
    const char *arg;   /* the value of the option gb_cli_next returned */
    char flag[64];     /* that option as "--name", for messages */
} gb_cli_parser;

/* the next option of argv[1..]: its key; 0 when the options are done (operands follow, see
 * gb_cli_operands); GB_CLI_HELPED after printing the help (--help or -h anywhere on the line); or
 * GB_CLI_BAD after printing a message (unknown, abbreviated or ambiguous option, missing or empty
 * value, a value given to a flag). Long names must be given in full. */
void gb_cli_begin(gb_cli_parser *p, const gb_cli_cmd *cmd, int argc, char **argv);
int gb_cli_next(gb_cli_parser *p);
/* where an option loop stopped, as a parse function's return: rc (a value parser's status) if set,
 * GB_CLI_HELPED, EXIT_USAGE after GB_CLI_BAD, or 0 at the end of the options */
int gb_cli_stop(int c, int rc);
/* a parse function's status as the command's exit status (--help: 0) */
static inline int gb_cli_exit(int rc) { return rc == GB_CLI_HELPED ? 0 : rc; }
/* a command's parse-only entry (cli.h): PARSE on a throw-away argument record of TYPE */
#define GB_CLI_PARSE_ONLY(FN, TYPE, PARSE)                                                                         \
    int FN(int argc, char **argv)                                                                                 \
    {                                                                                                             \
        TYPE a_;                                                                                                  \
        return PARSE(&a_, argc, argv);                                                                            \
    }
/* the operands (arguments that are not options), after gb_cli_next returned 0 */
int gb_cli_operands(gb_cli_parser *p, char ***rest);
/* 'usage' for a command that takes no operands: EXIT_USAGE with a message, or 0 */
int gb_cli_no_operands(gb_cli_parser *p);
/* the command's help text, generated from its table */
void gb_cli_help(FILE *f, const gb_cli_cmd *cmd);

/* messages and value parsers: each prints what the flag expected and returns EXIT_USAGE, or 0 */
int usage_error(const char *fmt, const char *a, const char *b);
int parse_long(long *out, const char *flag, const char *s, long lo, long hi);
int parse_int(int *out, const char *flag, const char *s, long lo, long hi);
int parse_pos_double(double *out, const char *flag, const char *s, int allow_zero);
int parse_law(gb_law *law, const char *s);
int parse_load(gb_load *load, const char *s);
/* FAMILY[:P]: poly:P, cos:P, sin:P with P in 1..8, or fem */
int parse_family_p(gb_data_spec *spec, const char *flag, const char *s);
/* a seed: a non-negative integer up to hi */
int parse_seed(unsigned long *out, const char *flag, const char *s, long hi);

/* monotonic seconds (timings are printed, never written into a report) */
double now(void);

#endif
