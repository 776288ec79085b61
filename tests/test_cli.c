/* The command line: argument errors exit 2 with a message naming the flag, and
 * write nothing; fd-learn --json is one parseable object. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define BIN "./build/greenbound"

static int run(const char *args, char *err, size_t errlen, char *out, size_t outlen)
{
    static int calls;
    char cmd[1024], errpath[128];
    snprintf(errpath, sizeof errpath, "/tmp/gb-cli-err.%ld.%d", (long)getpid(), calls++);
    snprintf(cmd, sizeof cmd, BIN " %s 2>%s", args, errpath);
    FILE *p = popen(cmd, "r");
    size_t n = out ? fread(out, 1, outlen - 1, p) : 0;
    if (out)
        out[n] = 0;
    else {
        char sink[4096];
        while (fread(sink, 1, sizeof sink, p) > 0)
            ;
    }
    int st = pclose(p);
    FILE *e = fopen(errpath, "r");
    size_t m = e ? fread(err, 1, errlen - 1, e) : 0;
    err[m] = 0;
    if (e)
        fclose(e);
    unlink(errpath);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void expect_usage(const char *args, const char *mention)
{
    char err[2048];
    int rc = run(args, err, sizeof err, NULL, 0);
    cr_assert_eq(rc, 2, "'%s' exited %d", args, rc);
    cr_assert(strstr(err, mention), "'%s': stderr should mention '%s', got: %s", args, mention, err);
}

Test(cli, bad_arguments_exit_2_naming_the_flag)
{
    expect_usage("fd-learn --family poly --p 3 --q 4 --N 32 --bogus", "--bogus");
    expect_usage("fd-learn --family poly --p 3 --q 4 --N", "--N: missing value");
    expect_usage("verify --out '' FD-1", "--out: empty value");
    expect_usage("verify --out /tmp/gb-none --noise -1 XV-NOISE", "--noise");
    expect_usage("fd-learn --family sin --mode 40 --q 2 --N 32", "aliasing");
    expect_usage("fd-learn --family cos --mode 32 --q 2 --N 32", "aliasing");
    expect_usage("verify --out /tmp/gb-none --noise 0 XV-NOISE", "--noise");
    expect_usage("verify --out /tmp/gb-none --noise nan XV-NOISE", "--noise");
    expect_usage("verify --out /tmp/gb-none --fault wrong XV-FD", "wstar");
    expect_usage("fd-learn --family poly --p 3 --q 4 --N 3x", "--N");
    expect_usage("fd-learn --family poly --p 9 --q 4 --N 32", "--p");
    expect_usage("fd-learn --family poly --p 0 --q 4 --N 32", "--p");
    expect_usage("fd-learn --family poly --p 3 --q 5 --N 32", "--q");
    expect_usage("fd-learn --family poly --p 3 --q 8 --N 9", "--N");
    expect_usage("fd-learn --family poly --p 3 --q 4 --N 100000000", "--N");
    expect_usage("fd-learn --family poly --p 3 --q 4 --N 32 --samples 0", "--samples");
    expect_usage("fd-learn --family poly --p 3 --q 4 --N 32 --k -1", "--k");
    expect_usage("fd-learn --family poly --p 3 --q 4 --N 32 --k nan", "--k");
    expect_usage("fd-learn --family poly --p 3 --q 4 --N 32 --prec 32", "--prec");
    expect_usage("fd-learn --family fem --p 3 --q 4 --N 32", "--p");
    expect_usage("fd-learn --family sin --q 4 --N 32", "--p");
    expect_usage("fd-learn --family wave --p 1 --q 4 --N 32", "--family");
    expect_usage("fd-learn --family fem --q 4 --N 32 --load heavy", "--load");
    expect_usage("fd-learn --family sin --p 2 --q 4 --N 32 --poly-const", "--poly-const");
    expect_usage("verify FD-99", "FD-99");
    expect_usage("verify --samples -3", "--samples");
    expect_usage("frobnicate", "frobnicate");
    expect_usage("linear --train sine:3 --N 32", "--train");
    expect_usage("linear --train fem:2 --N 32", "--train");
    expect_usage("linear --train poly:9 --N 32", "--train");
    expect_usage("linear --train poly --N 32", "--train");
    expect_usage("linear --train sin:2", "--N");
    expect_usage("linear --train sin:2 --N 32 --init normal:-1", "--init");
    expect_usage("linear --train sin:2 --N 32 --solver newton", "--solver");
    expect_usage("green --train fem --N 24", "--model");
    expect_usage("green --model transformer --train fem --N 24", "--model");
    expect_usage("train --model mlp --train sin:9 --N 24", "--train");
    expect_usage("train --model fno --train sin:2 --N 24 --modes 13", "--modes");
    expect_usage("train --model mlp --train sin:2 --optimizer lbfgs", "--optimizer");
    expect_usage("train --model mlp --train sin:2 --bogus 1", "--bogus");
}

/* the peer comparison's calls of bench (scripts/bench-peer.py): bad combinations are named; an export writes
 * the layers, θ, the batch and losses that a peer can check */
Test(cli, bench_peer_calls, .timeout = 120)
{
    expect_usage("bench --steps 5", "--model");
    expect_usage("bench --model fno --steps 5", "--model");
    expect_usage("bench --model mlp --steps 0", "--steps");
    expect_usage("bench --model mlp --steps 5 --peer /tmp/x", "--peer");
    char dir[] = "/tmp/gb-peer-XXXXXX", args[256], err[2048], out[512];
    cr_assert(mkdtemp(dir));
    snprintf(args, sizeof args, "bench --peer %s --model deeplinear", dir);
    cr_assert_eq(run(args, err, sizeof err, NULL, 0), 0, "%s", err);
    char path[300];
    snprintf(path, sizeof path, "%s/deeplinear/peer.json", dir);
    json_error_t je;
    json_t *js = json_load_file(path, 0, &je);
    cr_assert(js, "%s: %s", path, je.text);
    json_t *L = json_object_get(js, "losses");
    cr_assert(json_array_size(L) == 3 && json_real_value(json_array_get(L, 1)) < json_real_value(json_array_get(L, 0)),
              "three losses, falling");
    cr_assert_eq(json_integer_value(json_object_get(js, "batch")), 10000);
    json_decref(js);
    cr_assert_eq(run("bench --model deeplinear --steps 2", err, sizeof err, out, sizeof out), 0, "%s", err);
    cr_assert(strstr(out, "\"seconds\": [") && strstr(out, "deeplinear"), "%s", out);
    snprintf(args, sizeof args, "rm -rf %s", dir);
    cr_assert_eq(system(args), 0);
}

/* bench --scaling (scripts/bench-scaling.py): a power of two in range, a call of its own; a run prints one JSON
 * object with a row per grid and a positive time for every stage */
Test(cli, bench_scaling_calls, .timeout = 120)
{
    expect_usage("bench --scaling 100", "power of two");
    expect_usage("bench --scaling 32", "--scaling");
    expect_usage("bench --scaling 8192", "--scaling");
    expect_usage("bench --scaling 64 --model mlp", "--scaling");
    char err[2048], out[4096];
    cr_assert_eq(run("bench --scaling 64 --samples 20", err, sizeof err, out, sizeof out), 0, "%s", err);
    json_error_t je;
    json_t *js = json_loads(out, 0, &je), *rows = json_object_get(js, "rows");
    cr_assert(js && json_array_size(rows) == 2, "%s", out);
    static const char *stages[] = {"data", "closed_form", "gd_epoch", "mpfr_operator", "mpfr_green", "mpfr_green_8",
                                   "mpfr_fd_inf"};
    for (size_t r = 0; r < 2; r++) {
        json_t *row = json_array_get(rows, r);
        cr_assert_eq(json_integer_value(json_object_get(row, "N")), 32 << r);
        for (size_t k = 0; k < sizeof stages / sizeof *stages; k++)
            cr_assert(json_real_value(json_object_get(row, stages[k])) > 0, "%s at N = %d: %s", stages[k], 32 << r,
                      out);
    }
    json_decref(js);
}

Test(cli, rejected_verify_writes_no_report)
{
    char err[2048];
    char dir[64], args[160];
    snprintf(dir, sizeof dir, "/tmp/gb-cli-out.%ld", (long)getpid());
    snprintf(args, sizeof args, "verify FD-8 --out %s --prec 10", dir);
    cr_assert_eq(run(args, err, sizeof err, NULL, 0), 2);
    cr_assert(strstr(err, "--prec"));
    struct stat sb;
    cr_assert_neq(stat(dir, &sb), 0, "nothing may be written");
}

/* the Done-when check of the foundation issue: w = k θ²/σ_8(θ), θ = π/20, to 1e-12 */
Test(cli, fd_learn_json_single_sine_mode)
{
    char err[2048], out[4096];
    cr_assert_eq(run("fd-learn --family sin --p 1 --q 8 --N 20 --json", err, sizeof err, out, sizeof out), 0, "%s", err);
    json_error_t je;
    json_t *o = json_loads(out, 0, &je);
    cr_assert(o, "not JSON: %s", out);
    double w = json_real_value(json_object_get(o, "w"));
    double th = M_PI / 20, s = 0, c = 1;
    for (int n = 1; n <= 4; n++) { /* σ_8 from its closed form, in double */
        c *= (double)(n + n) * (n + n - 1) / ((double)n * n);
        s += pow(2 * sin(th / 2), 2 * n) / ((double)n * n * c);
    }
    double expect = th * th / (2 * s);
    cr_assert(fabs(w - expect) < 1e-12, "w = %.17g, expected %.17g", w, expect);
    cr_assert(json_is_real(json_object_get(o, "w_pred")));
    cr_assert(json_real_value(json_object_get(o, "rel_err")) < 1e-12);
    json_decref(o);
}

Test(cli, help_answers)
{
    char err[2048], out[8192];
    cr_assert_eq(run("help fd-learn", err, sizeof err, out, sizeof out), 0);
    cr_assert(strstr(out, "--family"));
    cr_assert_eq(run("verify --help", err, sizeof err, out, sizeof out), 0);
    cr_assert(strstr(out, "--fault"));
    cr_assert_eq(run("list", err, sizeof err, out, sizeof out), 0);
    cr_assert(strstr(out, "FD-8"));
    /* 'help' lists every command 'help CMD' knows (the man page takes its sections from that list) */
    cr_assert_eq(run("help", err, sizeof err, out, sizeof out), 0);
    static char usage[2048];
    run("help nonesuch", usage, sizeof usage, NULL, 0);   /* its message names every command */
    char *l = strchr(usage, '(');
    cr_assert(l, "%s", usage);
    for (char *t = strtok(l + 1, ",) "); t && strcmp(t, "got"); t = strtok(NULL, ",) ")) {
        char want[64];
        snprintf(want, sizeof want, "\n  %s ", t);
        cr_assert(strstr(out, want), "'help' does not list '%s'", t);
    }
}

/* the Done-when of the linear issue: Ĝ = G - (Δx/6k)δ on the interior columns, to 1e-9 */
Test(cli, green_linear_fem_n24)
{
    char err[2048];
    char *out = malloc(1 << 20);
    cr_assert_eq(run("green --model linear --train fem --N 24 --init zero --json", err, sizeof err, out, 1 << 20), 0, "%s", err);
    json_error_t je;
    json_t *o = json_loads(out, 0, &je);
    cr_assert(o);
    json_t *G = json_object_get(o, "G_hat");
    cr_assert_eq(json_array_size(G), 25);
    double worst = 0;
    for (int i = 0; i <= 24; i++)
        for (int j = 1; j < 24; j++) {
            double x = i / 24.0, s = j / 24.0, g = (x < s ? x * (1 - s) : s * (1 - x)) - (i == j ? 1.0 / (6 * 24) : 0);
            worst = fmax(worst, fabs(json_real_value(json_array_get(json_array_get(G, i), j)) - g));
        }
    cr_assert(worst < 1e-9, "max error %.3e", worst);
    cr_assert(json_is_real(json_object_get(o, "rel_err_vs_G")));
    json_decref(o);
    free(out);
}

Test(cli, linear_json_keys)
{
    char err[2048], out[4096];
    cr_assert_eq(run("linear --train sin:2 --test sin:4 --N 32 --samples 500 --json", err, sizeof err, out, sizeof out), 0);
    json_error_t je;
    json_t *o = json_loads(out, 0, &je);
    cr_assert(o);
    cr_assert(json_real_value(json_object_get(o, "train_mse")) < 1e-25);
    cr_assert(json_real_value(json_object_get(o, "test_mse")) > 1e-6, "modes 3, 4 are outside the span");
    cr_assert(json_real_value(json_object_get(o, "dist_to_pred")) < 1e-10);
    json_decref(o);
}

/* --expect accepts exactly the listed verdicts: a listed claim that comes out otherwise fails the run */
Test(cli, expected_verdicts_gate)
{
    char err[4096], out[4096], dir[64], file[96], args[256];
    snprintf(dir, sizeof dir, "/tmp/gb-expect.%ld", (long)getpid());
    snprintf(file, sizeof file, "%s.tsv", dir);
    FILE *f = fopen(file, "w");
    fprintf(f, "# id verdict reason\nFD-8\tFAIL\ta deliberately wrong expectation\n");
    fclose(f);
    snprintf(args, sizeof args, "verify FD-8 --out %s --expect %s", dir, file);
    cr_assert_eq(run(args, err, sizeof err, out, sizeof out), 1, "FD-8 passes, so the FAIL listing must fail the run");
    cr_assert(strstr(out, "UNEXPECTED"));
    f = fopen(file, "w");
    fprintf(f, "FD-8\tPASS\tlisted as it is\n");
    fclose(f);
    cr_assert_eq(run(args, err, sizeof err, out, sizeof out), 0, "%s", err);
    f = fopen(file, "w");
    fprintf(f, "FD-99\tPASS\tno such claim\n");
    fclose(f);
    cr_assert_eq(run(args, err, sizeof err, out, sizeof out), 2);
    unlink(file);
}

/* train → checkpoint → green --load: the JSON keys, and the probe of the saved model */
Test(cli, train_saves_a_model_that_green_loads)
{
    char err[4096], out[1 << 16], path[] = "/tmp/gb-cli-XXXXXX", args[512];
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    snprintf(args, sizeof args, "train --model deeplinear --train sin:2 --N 8 --samples 20 --epochs 30 "
             "--test sin:2 --test poly:3 --save %s --json --quiet", path);
    int rc = run(args, err, sizeof err, out, sizeof out);
    cr_assert_eq(rc, 0, "%s", err);
    for (const char *k = "train_mse\0test_mse\0epochs\0status\0sin:2\0poly:3\0"; *k; k += strlen(k) + 1)
        cr_assert(strstr(out, k), "no '%s' in %s", k, out);
    /* a seed gives the same JSON on every run: no wall time in it */
    static char again[1 << 16];
    cr_assert_eq(run(args, err, sizeof err, again, sizeof again), 0, "%s", err);
    cr_assert_str_eq(again, out);
    cr_assert_null(strstr(out, "seconds"), "%s", out);
    snprintf(args, sizeof args, "green --model deeplinear --load %s --json", path);
    rc = run(args, err, sizeof err, out, sizeof out);
    cr_assert_eq(rc, 0, "%s", err);
    cr_assert(strstr(out, "G_hat") && strstr(out, "rel_err_vs_G"), "%s", out);
    /* a corrupt checkpoint is a clear error */
    FILE *f = fopen(path, "r+b");
    fseek(f, 64, SEEK_SET);
    fputc(0x55, f);
    fclose(f);
    rc = run(args, err, sizeof err, out, sizeof out);
    cr_assert_neq(rc, 0);
    cr_assert(strstr(err, path), "error should name the file: %s", err);
    unlink(path);
}

/* a result that is not a number is never dropped from the JSON nor reported with exit 0 */
Test(cli, non_finite_results_are_errors_not_silence, .timeout = 120)
{
    char err[2048], out[8192];
    int rc = run("fd-learn --family poly --p 3 --q 2 --N 16 --samples 50 --k 1e-300 --json", err, sizeof err, out,
                 sizeof out);
    cr_assert_eq(rc, 3, "exit %d, stderr: %s, stdout: %s", rc, err, out);
    cr_assert(strstr(err, "NaN or Inf") || strstr(err, "not finite"), "%s", err);
    json_error_t je;
    json_t *j;
    /* a diverged training: status diverged, exit 1, and no training MSE of 0 */
    rc = run("train --model mlp --train sin:2 --N 8 --samples 16 --test-samples 8 --lr 1e9 --epochs 50 --json --quiet",
             err, sizeof err, out, sizeof out);
    cr_assert_eq(rc, 1, "exit %d: %s", rc, err);
    j = json_loads(out, 0, &je);
    cr_assert(j, "%s", je.text);
    cr_assert_str_eq(json_string_value(json_object_get(j, "status")), "diverged");
    cr_assert(json_is_null(json_object_get(j, "train_mse")), "a diverged run has no training MSE");
    json_decref(j);
}

/* list and help take what they document and nothing else; a folder is not an --expect file; a FIFO is
 * not a checkpoint */
Test(cli, list_help_and_expect_refuse_what_they_do_not_take)
{
    expect_usage("list extra", "list takes no arguments");
    expect_usage("train --model pinn --train poly:2 --samples 50", "a pinn trains on --forcings");
    expect_usage("help bogus", "help: expected one command name");
    expect_usage("help train extra", "help: expected one command name");
    expect_usage("verify --expect /tmp FD-3", "--expect: cannot open");
    char err[2048];
    cr_assert_eq(run("help verify-full", err, sizeof err, NULL, 0), 0);
    cr_assert_eq(system("rm -f /tmp/gb-cli-fifo && mkfifo /tmp/gb-cli-fifo"), 0);
    int rc = run("green --model mlp --load /tmp/gb-cli-fifo", err, sizeof err, NULL, 0);
    cr_assert_eq(rc, 3, "exit %d: %s", rc, err);
    cr_assert(strstr(err, "not a regular file"), "%s", err);
    unlink("/tmp/gb-cli-fifo");
}

/* green --load reads the class and the grid from the checkpoint (a linear one included: --load FILE is not
 * the fem load option), and refuses a --model that contradicts it */
Test(cli, green_load_takes_the_checkpoint_s_model, .timeout = 120)
{
    char err[2048], out[65536];
    cr_assert_eq(run("train --model deeplinear --train sin:2 --N 12 --samples 40 --epochs 5 --quiet "
                     "--save /tmp/gb-cli-dl.ck", err, sizeof err, NULL, 0), 0, "%s", err);
    cr_assert_eq(run("green --load /tmp/gb-cli-dl.ck --json", err, sizeof err, out, sizeof out), 0, "%s", err);
    json_error_t je;
    json_t *j = json_loads(out, 0, &je);
    cr_assert(j, "%s", je.text);
    cr_assert_str_eq(json_string_value(json_object_get(j, "model")), "deeplinear");
    cr_assert_eq(json_integer_value(json_object_get(j, "N")), 12);
    json_decref(j);
    expect_usage("green --model mlp --load /tmp/gb-cli-dl.ck", "holds a deeplinear model");
    cr_assert_eq(run("train --model linear --train sin:2 --N 12 --samples 40 --epochs 5 --quiet "
                     "--save /tmp/gb-cli-lin.ck", err, sizeof err, NULL, 0), 0, "%s", err);
    cr_assert_eq(run("green --load /tmp/gb-cli-lin.ck --json", err, sizeof err, out, sizeof out), 0, "%s", err);
    cr_assert(strstr(out, "\"model\": \"linear\""), "%s", out);
    unlink("/tmp/gb-cli-dl.ck");
    unlink("/tmp/gb-cli-lin.ck");
}

/* --version names the release and the libraries; train --help answers without --model; help lists train */
Test(cli, version_and_help_answer)
{
    char err[1024], out[8192];
    cr_assert_eq(run("--version", err, sizeof err, out, sizeof out), 0, "%s", err);
    cr_assert(strstr(out, "greenbound ") && strstr(out, "MPFR ") && strstr(out, "Arb ") && strstr(out, "OpenBLAS"), "%s", out);
    expect_usage("--version extra", "--version");
    cr_assert_eq(run("train --help", err, sizeof err, out, sizeof out), 0, "%s", err);
    cr_assert(strstr(out, "usage: greenbound train"), "%s", out);
    cr_assert_eq(run("green --model mlp --help", err, sizeof err, out, sizeof out), 0, "%s", err);
    cr_assert_eq(run("help", err, sizeof err, out, sizeof out), 0, "%s", err);
    cr_assert(strstr(out, "  train "), "%s", out);
}

/* the committed man page is the current release's, with the exit-status table and every command */
Test(cli, man_page_matches_the_release)
{
    FILE *f = fopen("doc/greenbound.1", "r");
    cr_assert(f, "doc/greenbound.1 is missing ('make man')");
    static char text[1 << 17];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = 0;
    fclose(f);
    char out[8192], err[256], first[128];
    cr_assert_eq(run("--version", err, sizeof err, out, sizeof out), 0);
    char name[32], release[32];   /* "greenbound 0.9.0": the release, not the commit, names a man page */
    sscanf(out, "%31s %31s", name, release);
    snprintf(first, sizeof first, "%s %s", name, release);
    cr_assert(strstr(text, first), "the man page is not for '%s': run 'make man'", first);
    cr_assert(strstr(text, "EXIT STATUS"));
    for (const char *c = "fd\\-learn\0linear\0green\0train\0xval\0export\0score\0npde\0verify\0"; *c; c += strlen(c) + 1)
        cr_assert(strstr(text, c), "no section for %s", c);
}

/* --junit: one test case per claim, a verdict other than the --expect file's is a failure, and the file parses */
Test(cli, junit_lists_every_claim_and_its_failures, .timeout = 120)
{
    char err[2048], out[8192];
    FILE *f = fopen("/tmp/gb-cli-expect.tsv", "w");
    fputs("FD-4\tFAIL\tlisted so that the run disagrees\n", f);
    fclose(f);
    int rc = run("verify --quick --out /tmp/gb-cli-junit --expect /tmp/gb-cli-expect.tsv --junit /tmp/gb-cli-junit.xml "
                 "FD-4 FD-8", err, sizeof err, out, sizeof out);
    cr_assert_eq(rc, 1, "%s", err);
    cr_assert(strstr(out, "verify: 2 PASS, 0 FAIL, 0 INCONCLUSIVE, 0 ERROR of 2 claims"), "%s", out);
    static char x[8192];
    f = fopen("/tmp/gb-cli-junit.xml", "r");
    cr_assert(f);
    size_t n = fread(x, 1, sizeof x - 1, f);
    x[n] = 0;
    fclose(f);
    cr_assert(strstr(x, "tests=\"2\" failures=\"1\""), "%s", x);
    cr_assert(strstr(x, "name=\"FD-4\"") && strstr(x, "<failure") && strstr(x, "name=\"FD-8\""), "%s", x);
    cr_assert_eq(system("/usr/bin/python3 -c \"import xml.dom.minidom as m; m.parse('/tmp/gb-cli-junit.xml')\""), 0);
    expect_usage("verify --junit", "--junit");
    unlink("/tmp/gb-cli-expect.tsv");
    unlink("/tmp/gb-cli-junit.xml");
}

/* provenance lives beside the tables: verify writes PROVENANCE.json (the release, the commit, the libraries and
 * OpenBLAS's kernels), the INDEX points to it, and --version prints the same record */
Test(cli, provenance_beside_the_reports, .timeout = 120)
{
    char err[2048], out[8192];
    cr_assert_eq(run("verify --quick --out /tmp/gb-cli-prov FD-8", err, sizeof err, out, sizeof out), 0, "%s", err);
    json_error_t je;
    json_t *p = json_load_file("/tmp/gb-cli-prov/PROVENANCE.json", 0, &je);
    cr_assert(p, "PROVENANCE.json does not parse: %s", je.text);
    const char *keys[] = {"greenbound", "commit", "mpfr", "gmp", "arb", "fftw", "gsl", "jansson", "openblas",
                          "openblas_kernels"};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        cr_assert(json_string_value(json_object_get(p, keys[i])), "no '%s'", keys[i]);
    char commit[128];
    snprintf(commit, sizeof commit, "(commit %s)", json_string_value(json_object_get(p, "commit")));
    json_decref(p);
    FILE *f = fopen("/tmp/gb-cli-prov/INDEX.md", "r");
    cr_assert(f);
    size_t n = fread(out, 1, sizeof out - 1, f);
    out[n] = 0;
    fclose(f);
    cr_assert(strstr(out, "[PROVENANCE.json](PROVENANCE.json)"), "%s", out);
    cr_assert_eq(run("--version", err, sizeof err, out, sizeof out), 0);
    cr_assert(strstr(out, commit), "--version lacks %s: %s", commit, out);
    cr_assert_eq(system("rm -rf /tmp/gb-cli-prov"), 0);
}

/* a run of some claims writes RUN.md over them and leaves the whole set's INDEX.md as it was */
Test(cli, a_subset_run_writes_its_own_index, .timeout = 300)
{
    char err[2048], out[8192];
    cr_assert_eq(system("rm -rf /tmp/gb-cli-sub"), 0);
    cr_assert_eq(run("verify --quick --samples 200 --out /tmp/gb-cli-sub FD-8 FD-4", err, sizeof err, out, sizeof out),
                 0, "%s", err);
    cr_assert_eq(system("cp /tmp/gb-cli-sub/INDEX.md /tmp/gb-cli-sub.index"), 0);
    cr_assert_eq(run("verify --quick --samples 200 --out /tmp/gb-cli-sub FD-1", err, sizeof err, out, sizeof out), 0,
                 "%s", err);
    cr_assert_eq(system("cmp -s /tmp/gb-cli-sub/INDEX.md /tmp/gb-cli-sub.index"), 0, "INDEX.md was rewritten");
    cr_assert_eq(system("grep -q '\\[FD-1\\]' /tmp/gb-cli-sub/RUN.md && ! grep -q '\\[FD-8\\]' /tmp/gb-cli-sub/RUN.md"),
                 0, "RUN.md does not list exactly the run's claims");
    cr_assert_eq(system("rm -rf /tmp/gb-cli-sub /tmp/gb-cli-sub.index"), 0);
}

/* σ_q(θ) = 2 Σ_{n=1}^{q/2} (2 sin(θ/2))^{2n} / (n² C(2n, n)) (SPEC §3), in double */
static double sigma(int q, double th)
{
    double s = 0, c = 1;
    for (int n = 1; n <= q / 2; n++) {
        c *= (double)(n + n) * (n + n - 1) / ((double)n * n);
        s += 2 * pow(2 * sin(th / 2), 2 * n) / ((double)n * n * c);
    }
    return s;
}

/* npde --equation heat --mode M: nu_ratio is σ_P(θ)/σ_K(θ), θ = 2πM/N (SPEC NPDE-1); bad input exits 2 naming
 * what is wrong, an unstable time step too; the trained set-ups print their numbers as one JSON object */
Test(cli, npde_heat_mode_ratio_and_its_refusals, .timeout = 120)
{
    char err[2048], out[4096];
    cr_assert_eq(run("npde --equation heat --data-order 6 --model-order 2 --mode 3 --N 64 --json", err, sizeof err, out,
                     sizeof out), 0, "%s", err);
    json_error_t je;
    json_t *o = json_loads(out, 0, &je);
    cr_assert(o, "not JSON: %s", out);
    double r = json_real_value(json_object_get(o, "nu_ratio")), th = 2 * M_PI * 3 / 64;
    cr_assert(fabs(r - sigma(6, th) / sigma(2, th)) < 1e-13, "nu_ratio %.17g against %.17g", r,
              sigma(6, th) / sigma(2, th));
    cr_assert(fabs(r - 1) > 1e-5);   /* mismatched schemes: ν̂ ≠ ν */
    json_decref(o);
    cr_assert_eq(run("npde --equation heat --data-order 4 --model-order 4 --mode 5 --json", err, sizeof err, out,
                     sizeof out), 0, "%s", err);
    o = json_loads(out, 0, &je);
    cr_assert(o && fabs(json_real_value(json_object_get(o, "nu_ratio")) - 1) < 1e-13, "%s", out);
    json_decref(o);
    expect_usage("npde --equation wave --model-order 2", "--equation");
    expect_usage("npde --equation heat", "--model-order is required");
    expect_usage("npde --equation heat --model-order 3", "--model-order: expected 2, 4 or 6");
    expect_usage("npde --equation heat --model-order up", "--model-order: expected 2, 4 or 6");
    expect_usage("npde --equation gkdv --model-order 2 --data-order 8", "--data-order");
    expect_usage("npde --equation heat --model-order 2 --mode 32", "--mode: expected 1..31");
    expect_usage("npde --equation heat --model-order 2 --nu 0", "--nu");
    expect_usage("npde --equation burgers --model-order up --nu -0.1", "--nu");
    expect_usage("npde --equation burgers --model-order up --mode 2", "--mode: only taken");
    expect_usage("npde --equation gkdv --model-order 2 --nu 1", "--nu: not taken");
    expect_usage("npde --equation heat --model-order 2 --epochs 3", "--epochs: not taken");
    expect_usage("npde --equation burgers --model-order up --dt 0.05", "unstable");
    expect_usage("npde --equation gkdv --model-order 2 --N 64 --dt 0.1 --steps 10", "unstable");
    expect_usage("npde --equation heat --model-order 2 --steps 2000", "snapshots");
    expect_usage("npde --equation burgers --model-order 6 --dt 1e308 --steps 100", "T = inf");
    /* the text forms name what they print */
    cr_assert_eq(run("npde --equation burgers --model-order up --epochs 5", err, sizeof err, out, sizeof out), 0, "%s",
                 err);
    cr_assert(strstr(out, "burgers: data advection up, model advection up") && strstr(out, "‖ϕ − T‖/‖T‖"), "%s", out);
    cr_assert_eq(run("npde --equation gkdv --data-order 4 --model-order 2 --N 32 --steps 5 --epochs 2", err, sizeof err,
                     out, sizeof out), 0, "%s", err);
    cr_assert(strstr(out, "gkdv: data order 4, model dispersion order 2") && strstr(out, "spectral radius"), "%s", out);
    cr_assert_eq(run("npde --equation burgers --data-order up --model-order 6 --epochs 20 --json", err, sizeof err, out,
                     sizeof out), 0, "%s", err);
    o = json_loads(out, 0, &je);
    cr_assert(o && json_is_real(json_object_get(o, "rho")) && json_is_real(json_object_get(o, "rollout_rel_err")),
              "%s", out);
    json_decref(o);
    cr_assert_eq(run("npde --equation gkdv --model-order 6 --N 64 --steps 10 --epochs 3 --json", err, sizeof err, out,
                     sizeof out), 0, "%s", err);
    o = json_loads(out, 0, &je);
    cr_assert(o && !strcmp(json_string_value(json_object_get(o, "stop")), "max-epochs") &&
              json_integer_value(json_object_get(o, "epochs")) == 3 &&
              json_is_real(json_object_get(o, "flow_spectral_radius")), "%s", out);
    json_decref(o);
    cr_assert_eq(run("npde --help", err, sizeof err, out, sizeof out), 0, "%s", err);
    cr_assert(strstr(out, "--model-order") && strstr(out, "gkdv"), "%s", out);
}

/* SPEC §11: fd-learn --equation biharmonic on one sine mode learns w = k θ⁴/(2 sin(θ/2))⁴ (computed here in double,
 * independent of the library); bad equations and grids too small for the 5-point stencil exit 2 */
Test(cli, fd_learn_biharmonic_single_mode)
{
    char err[2048], out[4096];
    cr_assert_eq(run("fd-learn --equation biharmonic --family sin --mode 2 --q 2 --N 24 --samples 5 --json", err,
                     sizeof err, out, sizeof out), 0, "%s", err);
    json_error_t je;
    json_t *o = json_loads(out, 0, &je);
    cr_assert(o, "not JSON: %s", out);
    double th = 2 * M_PI / 24, expect = pow(th / (2 * sin(th / 2)), 4);
    double w = json_real_value(json_object_get(o, "w"));
    cr_assert(fabs(w - expect) < 1e-12, "w = %.17g, expected %.17g", w, expect);
    cr_assert_str_eq(json_string_value(json_object_get(o, "equation")), "biharmonic");
    json_decref(o);
    expect_usage("fd-learn --equation plate --family sin --p 1 --q 2 --N 24", "--equation");
    expect_usage("fd-learn --equation biharmonic --family sin --p 1 --q 4 --N 7", "8..65536");
}

/* SPEC §11 through the linear and green commands: the trained matrix reaches its closed form on biharmonic data,
 * the probes of sin:8 lie within the expansion's deficit of G₄, and the fem family is refused (exit 2) */
Test(cli, linear_and_green_take_the_biharmonic)
{
    char err[2048], out[1 << 16];
    cr_assert_eq(run("linear --equation biharmonic --train cos:4 --N 24 --samples 500 --json", err, sizeof err, out,
                     sizeof out), 0, "%s", err);
    json_error_t je;
    json_t *o = json_loads(out, 0, &je);
    cr_assert(o, "not JSON: %s", out);
    cr_assert(json_real_value(json_object_get(o, "dist_to_pred")) < 1e-12, "%s", out);
    cr_assert_str_eq(json_string_value(json_object_get(o, "equation")), "biharmonic");
    json_decref(o);
    cr_assert_eq(run("green --model linear --equation biharmonic --train sin:8 --N 16 --samples 500 --json", err,
                     sizeof err, out, sizeof out), 0, "%s", err);
    o = json_loads(out, 0, &je);
    cr_assert(o, "not JSON");
    double rel = json_real_value(json_object_get(o, "rel_err_vs_G"));
    cr_assert(rel > 1e-5 && rel < 1e-3, "|Ĝ − G₄|/|G₄| = %g", rel);   /* the modes above 8 of G₄: 2.2e-4 */
    json_decref(o);
    expect_usage("linear --equation biharmonic --train fem --N 24", "fem");
    expect_usage("green --model linear --equation beam --train sin:2 --N 24", "--equation");
}

/* SPEC §11: the p2d command trains on a tensor-product set, reaches A (P_X ⊗ P_Y), gives the test error its closed
 * form, says whether the test set lies in the span; n < 2, an n too large (with the memory it would need) and a fem
 * factor exit 2 */
Test(cli, p2d_trains_and_refuses_bad_sizes)
{
    char err[2048], out[4096];
    cr_assert_eq(run("p2d --train sin:2,poly:3 --test sin:1,poly:4 --n 9 --samples 40 --json", err, sizeof err, out,
                     sizeof out), 0, "%s", err);
    json_error_t je;
    json_t *o = json_loads(out, 0, &je);
    cr_assert(o, "not JSON: %s", out);
    cr_assert(json_real_value(json_object_get(o, "dist_to_closed_form")) < 1e-12, "%s", out);
    double t = json_real_value(json_object_get(o, "test_rel_mse")), tp = json_real_value(json_object_get(o,
                                                                                     "test_rel_mse_closed_form"));
    cr_assert(t > 1e-6 && fabs(t / tp - 1) < 1e-9, "%s", out);   /* poly:4 is out of poly:3's span */
    cr_assert(json_is_false(json_object_get(o, "test_in_span")));
    cr_assert_eq(json_integer_value(json_object_get(o, "rank")), 6);
    json_decref(o);
    expect_usage("p2d --train sin:2 --n 1", "--n");
    expect_usage("p2d --train sin:2 --n 200", "GiB");
    expect_usage("p2d --train fem", "fem");
    expect_usage("p2d --n 15", "--train");
}

/* SPEC §11 through xval: on biharmonic data the linear model's matrix keeps Theorem 3.2's pattern (the diagonal at
 * the floor, p2 → p1 in span, p1 → p2 not), and the models whose physics is Poisson's are refused (exit 2) */
Test(cli, xval_takes_the_biharmonic_for_data_driven_models)
{
    char err[2048];
    static char out[1 << 20];
    cr_assert_eq(run("xval --model linear --equation biharmonic --N 16 --samples 40 --out /tmp/gb-cli-xvb --json", err,
                     sizeof err, out, sizeof out), 0, "%s", err);
    json_error_t je;
    json_t *o = json_loads(out, 0, &je);
    cr_assert(o, "not JSON: %.200s", out);
    json_t *mse = json_object_get(o, "mse");
    cr_assert(json_is_array(mse), "%.300s", out);
    double d = json_number_value(json_array_get(json_array_get(mse, 1), 1)),
           lo = json_number_value(json_array_get(json_array_get(mse, 1), 0)),
           up = json_number_value(json_array_get(json_array_get(mse, 0), 1));
    cr_assert(d < 1e-25 && lo < 1e-25 && up > 1e-12, "p2→p2 %g, p2→p1 %g, p1→p2 %g", d, lo, up);
    json_decref(o);
    expect_usage("xval --model pinn --equation biharmonic", "Poisson");
    expect_usage("xval --model fd --equation plate", "--equation");
}
