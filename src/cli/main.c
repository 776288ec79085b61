/* greenbound — command line of the verification test-bed: the overview, --version and the dispatch to
 * the commands of gb_commands (one file each under src/cli/). Bad input: a message on stderr naming the
 * flag and its allowed range, exit 2, nothing written. Verdicts: exit 1 when any claim is FAIL or ERROR;
 * runtime errors exit 3. */
#include "cli/cli.h"
#include "core/provenance.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>
#ifdef GB_MPI
#include <mpi.h>
#endif

static const char *main_help =
    "usage: greenbound <command> [options]\n"
    "\n"
    "Verification test-bed for 'Interpretability and Generalization Bounds for Learning\n"
    "Spatial Physics' (arXiv:2506.15199). Claims are numbered as in doc/spec.md.\n"
    "\n"
    "commands:\n"
    "  fd-learn   learn the coefficient w of -w FD_q(u) = f from generated data (Theorem 3.1)\n"
    "  linear     train the linear operator model u = W f (Theorem 3.2)\n"
    "  train      train a network (deeplinear, mlp, deeponet, fno, pinn, pideeponet) and test it\n"
    "  green      read the Green's function off a trained model's weights\n"
    "  xval       the 25 x 25 function-space cross-validation matrix of one or all models\n"
    "  export     write the benchmark's data sets as .npy files for models written elsewhere\n"
    "  score      score an outside model's predictions on the exported data sets\n"
    "  verify     run claims by id (default: all) and write their reports\n"
    "  npde       one run of the companion paper's neural-PDE set-ups (heat, Burgers, KdV; arXiv:2411.15101)\n"
    "  p2d        the linear model on 2-D Poisson with tensor-product data (Fig. 8b)\n"
    "  verify-full  the full tier of the statistical claims: train what the store lacks, render\n"
    "  list       list the claims this build can verify\n"
    "  bench      time data generation, training and prediction (not part of any report)\n"
    "  help CMD   the options of one command\n"
    "  --version  the version and the libraries it was built with\n"
    "\n"
    "Options are long names given in full, as --name VALUE or --name=VALUE; every command answers\n"
    "--help (or -h), wherever it stands on the line.\n"
    "\n"
    "exit status: 0 success; 1 a verdict was FAIL or ERROR; 2 bad command line; 3 runtime error\n";

static int dispatch(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(main_help, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--version")) {
        if (argc > 2)
            return usage_error("--version takes nothing, got '%s'%s", argv[2], "");
        json_t *p = gb_provenance_json();   /* the same record a report folder's PROVENANCE.json holds */
        printf("greenbound %s (commit %s)\nMPFR %s, GMP %s, Arb %s, FFTW %s, GSL %s, Jansson %s, OpenBLAS %s (%s "
               "kernels)\n", gb_provenance_version(), gb_provenance_commit(),
               json_string_value(json_object_get(p, "mpfr")), json_string_value(json_object_get(p, "gmp")),
               json_string_value(json_object_get(p, "arb")), json_string_value(json_object_get(p, "fftw")),
               json_string_value(json_object_get(p, "gsl")), json_string_value(json_object_get(p, "jansson")),
               json_string_value(json_object_get(p, "openblas")),
               json_string_value(json_object_get(p, "openblas_kernels")));
        json_decref(p);
        return 0;
    }
    if (!strcmp(cmd, "help")) {
        const gb_command *c = argc == 3 ? gb_command_find(argv[2]) : NULL;
        if (argc == 2) {
            fputs(main_help, stdout);
            return 0;
        }
        if (!c) {
            char names[512] = "";
            for (int i = 0; i < gb_ncommands; i++)
                snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", i ? ", " : "",
                         gb_commands[i].cli->name);
            return usage_error("help: expected one command name (%s), got '%s'", names, argc > 3 ? argv[3] : argv[2]);
        }
        gb_cli_help(stdout, c->cli);
        return 0;
    }
    const gb_command *c = gb_command_find(cmd);
    if (!c)
        return usage_error("unknown command '%s'%s", cmd, "");
    return c->run(argc - 1, argv + 1);
}

int main(int argc, char **argv)
{
#ifdef GB_MPI
    /* only xval and verify-full are spread over ranks; any other command would repeat its work and writes */
    MPI_Init(&argc, &argv);
    int size;
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (size > 1 && (argc < 2 || (strcmp(argv[1], "xval") && strcmp(argv[1], "verify-full")))) {
        int rank;
        MPI_Comm_rank(MPI_COMM_WORLD, &rank);
        if (rank == 0)
            fprintf(stderr, "greenbound: only 'xval' and 'verify-full' run under mpirun with more than one rank\n");
        MPI_Finalize();
        return EXIT_USAGE;
    }
    int rc = dispatch(argc, argv);
    MPI_Finalize();
    return rc;
#else
    return dispatch(argc, argv);
#endif
}
