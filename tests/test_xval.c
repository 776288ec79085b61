/* The cross-validation benchmark: .npy files, the blocks, the linear closed form against an
 * independent formula, XV-LIN's ability to fail, and export → outside predictions → score,
 * including every kind of bad prediction folder. */
#include "predict/lin_predict.h"
#include "verify.h"
#include "xval/exchange.h"
#include "xval/npy.h"
#include "xval/xval.h"

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

static int sh(const char *fmt, const char *a, const char *b)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, fmt, a, b);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

Test(xval, npy_round_trip_and_bad_files)
{
    char path[128], msg[256];
    snprintf(path, sizeof path, "/tmp/gb-npy.%ld.npy", (long)getpid());
    double a[6] = {1, -2.5, 3e-300, 4, 5, NAN}, *b;
    long r, c;
    cr_assert_eq(gb_npy_write(path, a, 2, 3), 0);
    cr_assert_eq(gb_npy_read(path, &b, &r, &c, msg, sizeof msg), 0, "%s", msg);
    cr_assert(r == 2 && c == 3);
    cr_assert(memcmp(a, b, sizeof a) == 0);
    free(b);
    cr_assert_eq(gb_npy_write(path, a, 6, 0), 0);
    cr_assert_eq(gb_npy_read(path, &b, &r, &c, msg, sizeof msg), 0, "%s", msg);
    cr_assert(r == 6 && c == 0);
    free(b);
    /* truncated data, a wrong magic, a float32 header and Fortran order are named errors */
    cr_assert_eq(truncate(path, 100), 0);
    cr_assert_neq(gb_npy_read(path, &b, &r, &c, msg, sizeof msg), 0);
    cr_assert(strstr(msg, "truncated"), "%s", msg);
    FILE *f = fopen(path, "wb");
    fputs("\x93NUMPZ\x01\x00", f);
    fclose(f);
    cr_assert_neq(gb_npy_read(path, &b, &r, &c, msg, sizeof msg), 0);
    cr_assert(strstr(msg, "magic"), "%s", msg);
    const char *bad[] = {"{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }",
                         "{'descr': '<f8', 'fortran_order': True, 'shape': (1,), }"};
    const char *why[] = {"float64", "Fortran"};
    for (int k = 0; k < 2; k++) {
        f = fopen(path, "wb");
        unsigned short hl = (unsigned short)strlen(bad[k]);
        fwrite("\x93NUMPY\x01\x00", 1, 8, f);
        fwrite(&hl, 2, 1, f);
        fputs(bad[k], f);
        fwrite(a, 8, 1, f);
        fclose(f);
        cr_assert_neq(gb_npy_read(path, &b, &r, &c, msg, sizeof msg), 0);
        cr_assert(strstr(msg, why[k]), "%s", msg);
    }
    unlink(path);
}

Test(xval, blocks_partition_the_matrix)
{
    long count[GB_XV_NBLOCKS] = {0};
    for (int i = 0; i < GB_XV_NSETS; i++)
        for (int j = 0; j < GB_XV_NSETS; j++)
            for (int b = 0; b < GB_XV_NBLOCKS; b++)
                count[b] += gb_xv_in_block((gb_xv_block)b, i, j, -1);
    cr_assert_eq(count[GB_XV_DIAG], 25);
    cr_assert_eq(count[GB_XV_LOWER], 3 * 28);
    cr_assert_eq(count[GB_XV_UPPER], 3 * 28);
    cr_assert_eq(count[GB_XV_CROSS], 6 * 64);
    cr_assert_eq(count[GB_XV_FEM_ROW], 25);
    cr_assert_eq(count[GB_XV_FEM_COL], 25);
    /* train p3 → test p1 is inside the training span (lower triangle) */
    cr_assert(gb_xv_in_block(GB_XV_LOWER, 2, 0, 0) && !gb_xv_in_block(GB_XV_UPPER, 2, 0, -1));
    cr_assert_eq(gb_xv_label_index("s4"), 19);
    cr_assert_eq(gb_xv_label_index("fem"), 24);
    cr_assert_eq(gb_xv_label_index("x1"), -1);
}

/* sin:p → sin:p' by discrete orthogonality (LIN-5): Σ_{m=p+1}^{p'} (N/2)/(n k² m⁴π⁴), and the
 * in-span entry is zero */
Test(xval, linear_closed_form_matches_the_sine_formula)
{
    gb_data_spec a, b;
    gb_data_spec_default(&a);
    a.family = b.family = GB_FAMILY_SIN;
    a.N = 16;
    a.k = 2.0;
    a.p = 2;
    b = a;
    b.p = 5;
    gb_lin_xval_basis *A = gb_lin_pred_xval_basis(&a, 128), *B = gb_lin_pred_xval_basis(&b, 128);
    double mu, var, want = 0;
    for (int m = 3; m <= 5; m++)
        want += (16 / 2.0) / (17 * 4.0 * pow(m * M_PI, 4));
    gb_lin_pred_xval_mse(&mu, &var, A, B);
    cr_assert(fabs(mu / want - 1) < 1e-13, "mu %.17g want %.17g", mu, want);
    cr_assert(var > 0);
    gb_lin_pred_xval_mse(&mu, &var, B, A);
    cr_assert(fabs(mu) < 1e-40, "in-span entry %.3e", mu);
    gb_lin_pred_xval_free(A);
    gb_lin_pred_xval_free(B);
}

Test(xval, xv_lin_passes_and_fails_on_a_wrong_operator, .timeout = 240)
{
    gb_verify_opts o;
    gb_verify_opts_default(&o);
    o.out = NULL;
    const gb_verify_entry *e = gb_verify_find("XV-LIN");
    cr_assert(e);
    cr_assert_eq(gb_verify_run(e, &o), GB_PASS);
    o.lin_fault = GB_LIN_FAULT_SIGN;
    cr_assert_eq(gb_verify_run(e, &o), GB_FAIL);
}

/* an export and a prediction folder of zeros beside a copy of its manifest */
static void make_preds(const char *exp, const char *pred)
{
    cr_assert_eq(sh(BIN " export --N 8 --samples 12 --seed 5 --out %s%s >/dev/null", exp, ""), 0);
    mkdir(pred, 0777);
    cr_assert_eq(sh("cp %s/manifest.json %s/", exp, pred), 0);
    double z[12 * 9] = {0};
    char p[512];
    for (int i = 0; i < GB_XV_NSETS; i++)
        for (int j = 0; j < GB_XV_NSETS; j++) {
            snprintf(p, sizeof p, "%s/pred_%s_%s.npy", pred, gb_xv_label(i), gb_xv_label(j));
            cr_assert_eq(gb_npy_write(p, z, 12, 9), 0);
        }
}

static void expect_score_error(const char *pred, const char *out, const char *mention)
{
    char cmd[1024], err[4096] = "";
    snprintf(cmd, sizeof cmd, BIN " score --pred %s --out %s 2>&1", pred, out);
    FILE *p = popen(cmd, "r");
    size_t n = fread(err, 1, sizeof err - 1, p);
    err[n] = 0;
    int st = pclose(p);
    cr_assert_eq(WEXITSTATUS(st), 3, "exit %d: %s", WEXITSTATUS(st), err);
    cr_assert(strstr(err, mention), "expected '%s' in: %s", mention, err);
    struct stat sb;
    cr_assert(stat(out, &sb) != 0, "score wrote %s after an error", out);
}

Test(xval, score_rejects_bad_prediction_folders, .timeout = 120)
{
    char base[128], exp[160], pred[160], out[160], f[256], g[256];
    snprintf(base, sizeof base, "/tmp/gb-score.%ld", (long)getpid());
    mkdir(base, 0777);
    snprintf(exp, sizeof exp, "%s/export", base);
    snprintf(pred, sizeof pred, "%s/pred", base);
    snprintf(out, sizeof out, "%s/out", base);
    make_preds(exp, pred);
    /* the export refuses to overwrite, with or without a trailing slash */
    cr_assert_eq(sh(BIN " export --N 8 --samples 12 --out %s%s 2>/dev/null", exp, ""), 2);
    cr_assert_eq(sh(BIN " export --N 8 --samples 12 --out %s%s 2>/dev/null", exp, "/"), 2);
    /* a new folder named with a trailing slash is made, not a temporary inside it */
    cr_assert_eq(sh(BIN " export --N 8 --samples 12 --out %s/slash/ >/dev/null%s", base, ""), 0);
    snprintf(f, sizeof f, "%s/slash/manifest.json", base);
    struct stat sl;
    cr_assert_eq(stat(f, &sl), 0);

    /* a good folder scores: zero predictions give MSE = mean u² */
    cr_assert_eq(sh(BIN " score --pred %s --out %s >/dev/null", pred, out), 0);
    snprintf(f, sizeof f, "%s/xval-outside.json", out);
    json_error_t je;
    json_t *js = json_load_file(f, 0, &je);
    cr_assert(js, "%s", je.text);
    double m = json_real_value(json_array_get(json_array_get(json_object_get(js, "mse"), 0), 0));
    json_decref(js);
    cr_assert(m > 0 && isfinite(m));
    cr_assert_eq(sh("rm -r %s%s", out, ""), 0);

    /* missing */
    snprintf(f, sizeof f, "%s/pred_s3_c2.npy", pred);
    snprintf(g, sizeof g, "%s/moved.bak", base);
    cr_assert_eq(rename(f, g), 0);
    expect_score_error(pred, out, "pred_s3_c2.npy: missing");
    cr_assert_eq(rename(g, f), 0);
    /* extra */
    snprintf(g, sizeof g, "%s/pred_s9_c2.npy", pred);
    cr_assert_eq(sh("cp %s %s", f, g), 0);
    expect_score_error(pred, out, "pred_s9_c2.npy: unexpected file");
    unlink(g);
    /* wrong shape */
    double z[13 * 9] = {0};
    cr_assert_eq(gb_npy_write(f, z, 13, 9), 0);
    expect_score_error(pred, out, "pred_s3_c2.npy: shape (13, 9), expected (12, 9)");
    /* NaN */
    z[20] = NAN;
    cr_assert_eq(gb_npy_write(f, z, 12, 9), 0);
    expect_score_error(pred, out, "pred_s3_c2.npy: NaN at sample 2, node 2");
    z[20] = 0;
    cr_assert_eq(gb_npy_write(f, z, 12, 9), 0);
    /* a manifest that does not describe the data (another seed) */
    snprintf(f, sizeof f, "%s/manifest.json", pred);
    cr_assert_eq(sh("sed -i 's/\"seed\": 5/\"seed\": 6/' %s%s", f, ""), 0);
    expect_score_error(pred, out, "content hash");
    cr_assert_eq(sh("rm -r %s%s", base, ""), 0);
}

/* examples/xval_linear.py (NumPy least squares) scored by greenbound reproduces the linear
 * matrix of 'greenbound xval' to ±0.01 in log10 wherever it is above the floor */
Test(xval, python_example_reproduces_the_linear_matrix, .timeout = 240)
{
    const char *py = access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
    cr_assert_eq(sh("%s -c 'import numpy' 2>/dev/null%s", py, ""), 0,
                 "python3 with NumPy is needed (Debian: python3-numpy, installed by scripts/deps.sh)");
    char base[128], cmd[4096];
    snprintf(base, sizeof base, "/tmp/gb-pyex.%ld", (long)getpid());
    mkdir(base, 0777);
    snprintf(cmd, sizeof cmd,
             BIN " export --N 16 --samples 200 --out %s/exp >/dev/null && %s examples/xval_linear.py %s/exp %s/pred "
                 ">/dev/null && " BIN " score --pred %s/pred --out %s/score --name numpy >/dev/null && " BIN
                 " xval --model linear --N 16 --samples 200 --out %s/xval >/dev/null",
             base, py, base, base, base, base, base);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
    char a[256], b[256];
    snprintf(a, sizeof a, "%s/score/xval-numpy.json", base);
    snprintf(b, sizeof b, "%s/xval/xval-linear.json", base);
    json_t *ja = json_load_file(a, 0, NULL), *jb = json_load_file(b, 0, NULL);
    cr_assert(ja && jb);
    json_t *ma = json_object_get(ja, "mse"), *mb = json_object_get(jb, "mse");
    int compared = 0;
    for (int i = 0; i < GB_XV_NSETS; i++)
        for (int j = 0; j < GB_XV_NSETS; j++) {
            double x = json_real_value(json_array_get(json_array_get(ma, i), j));
            double y = json_real_value(json_array_get(json_array_get(mb, i), j));
            if (y < 1e-14)
                continue;
            compared++;
            cr_assert(fabs(log10(x / y)) <= 0.01, "%s→%s: numpy %.6e, greenbound %.6e", gb_xv_label(i),
                      gb_xv_label(j), x, y);
        }
    cr_assert_gt(compared, 400);
    json_decref(ja);
    json_decref(jb);
    snprintf(cmd, sizeof cmd, "rm -r %s", base);
    cr_assert_eq(system(cmd), 0);
}
