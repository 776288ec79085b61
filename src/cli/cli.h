/* The commands of the greenbound command line. Each command file holds its option table (which is its
 * --help text), a parse function that only reads the options, and the run that acts on them; main.c
 * dispatches through gb_commands. Exit status: 0 success; 1 a verdict was FAIL or ERROR; 2 bad command
 * line (EXIT_USAGE); 3 runtime error (EXIT_RUNTIME). */
#ifndef GB_CLI_H
#define GB_CLI_H

#include "cli/args.h"

typedef struct {
    const gb_cli_cmd *cli;                /* name, options, help */
    int (*run)(int argc, char **argv);    /* argv[0] is the command's name */
    int (*parse)(int argc, char **argv);  /* the options only: 0, GB_CLI_HELPED or EXIT_USAGE; nothing runs */
} gb_command;

extern const gb_command gb_commands[];
extern const int gb_ncommands;
const gb_command *gb_command_find(const char *name);

/* the descriptors and entry points, one group per file */
extern const gb_cli_cmd gb_fd_learn_cli;                                   /* fd_learn_cmd.c */
int cmd_fd_learn(int argc, char **argv);
int parse_only_fd_learn(int argc, char **argv);
extern const gb_cli_cmd gb_verify_cli, gb_list_cli;                        /* verify_cmd.c */
int cmd_verify(int argc, char **argv);
int parse_only_verify(int argc, char **argv);
int cmd_list(int argc, char **argv);
int parse_only_list(int argc, char **argv);
extern const gb_cli_cmd gb_full_cli;                                       /* full_cmd.c */
int cmd_verify_full(int argc, char **argv);
int parse_only_verify_full(int argc, char **argv);
extern const gb_cli_cmd gb_linear_cli, gb_green_cli;                       /* linear_cmd.c */
int cmd_linear(int argc, char **argv);
int parse_only_linear(int argc, char **argv);
int cmd_green(int argc, char **argv);
int parse_only_green(int argc, char **argv);
extern const gb_cli_cmd gb_train_cli;                                      /* nn_cmd.c */
int cmd_train(int argc, char **argv);
int parse_only_train(int argc, char **argv);
int cmd_green_nn(int argc, char **argv);
int parse_only_green_nn(int argc, char **argv);
extern const gb_cli_cmd gb_xval_cli, gb_export_cli, gb_score_cli;          /* xval_cmd.c */
int cmd_xval(int argc, char **argv);
int parse_only_xval(int argc, char **argv);
int cmd_export(int argc, char **argv);
int parse_only_export(int argc, char **argv);
int cmd_score(int argc, char **argv);
int parse_only_score(int argc, char **argv);
extern const gb_cli_cmd gb_npde_cli;                                       /* npde_cmd.c */
int cmd_npde(int argc, char **argv);
int parse_only_npde(int argc, char **argv);
extern const gb_cli_cmd gb_p2d_cli;                                        /* p2d_cmd.c */
int cmd_p2d(int argc, char **argv);
int parse_only_p2d(int argc, char **argv);
extern const gb_cli_cmd gb_bench_cli;                                      /* bench_cmd.c */
int cmd_bench(int argc, char **argv);
int parse_only_bench(int argc, char **argv);
/* bench --scaling: the closed-form stages' timings at N = 32 … Nmax on S samples, one JSON object on stdout */
int gb_bench_scaling(long S, long Nmax);                                  /* bench_scaling.c */

/* the release of greenbound (greenbound --version) */
#define GB_VERSION "0.9.0"

#endif
