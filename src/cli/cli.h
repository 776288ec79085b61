/* Argument helpers shared by the subcommands of the greenbound command line. */
#ifndef GB_CLI_H
#define GB_CLI_H

#include "data/data.h"

#define EXIT_USAGE 2

int usage_error(const char *fmt, const char *a, const char *b);
int parse_long(long *out, const char *flag, const char *s, long lo, long hi);
int parse_pos_double(double *out, const char *flag, const char *s, int allow_zero);
const char *need_value(int argc, char **argv, int *i);
int parse_family_p(gb_data_spec *spec, const char *flag, const char *s);
double now(void);

/* the value after a flag, or return EXIT_USAGE (needs argc, argv and the loop index i) */
#define VALUE(v)                                  \
    const char *v = need_value(argc, argv, &i);   \
    if (!v)                                       \
        return EXIT_USAGE

/* subcommands of the neural model classes (nn_cmd.c) */
int cmd_train(int argc, char **argv);
int cmd_green_nn(int argc, char **argv);
extern const char *train_help;
/* the cross-validation benchmark (xval_cmd.c) */
int cmd_xval(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_score(int argc, char **argv);
extern const char *xval_help, *export_help, *score_help;
/* claims (main.c) and the full tier (full_cmd.c) */
int cmd_verify(int argc, char **argv);
int cmd_verify_full(int argc, char **argv);
extern const char *full_help;
/* timings of one optimiser step per model class (make bench) */
int bench_nn(long N);

/* the release of greenbound (greenbound --version) */
#define GB_VERSION "0.9.0"

#endif
