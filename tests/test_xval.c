/* The cross-validation benchmark: .npy files, the blocks, the linear closed form against an
 * independent formula, XV-LIN's ability to fail, and export → outside predictions → score,
 * including every kind of bad prediction folder. */
#include "predict/lin_predict.h"
#include "verify.h"
#include "xval/exchange.h"
#include "xval/npy.h"
#include "xval/xval.h"

#include "claims.h"
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
    /* '<f8': the data (after the 10 + header-length bytes, a multiple of 64) start with 1.0 as the
     * little-endian IEEE bytes 00 … 00 f0 3f */
    unsigned char d[200];
    FILE *df = fopen(path, "rb");
    cr_assert(df);
    size_t got = fread(d, 1, sizeof d, df);
    fclose(df);
    size_t at = 10 + (size_t)d[8] + 256 * (size_t)d[9];
    static const unsigned char one[8] = {0, 0, 0, 0, 0, 0, 0xf0, 0x3f};
    cr_assert(at % 64 == 0 && at + 8 <= got && !memcmp(d + at, one, 8), "1.0 is not stored little-endian");
    cr_assert_eq(gb_npy_write(path, a, 6, 0), 0);
    cr_assert_eq(gb_npy_read(path, &b, &r, &c, msg, sizeof msg), 0, "%s", msg);
    cr_assert(r == 6 && c == 0);
    free(b);
    /* truncated data, a wrong magic, a big-endian or integer dtype are named errors */
    cr_assert_eq(truncate(path, 100), 0);
    cr_assert_neq(gb_npy_read(path, &b, &r, &c, msg, sizeof msg), 0);
    cr_assert(strstr(msg, "truncated"), "%s", msg);
    FILE *f = fopen(path, "wb");
    fputs("\x93NUMPZ\x01\x00", f);
    fclose(f);
    cr_assert_neq(gb_npy_read(path, &b, &r, &c, msg, sizeof msg), 0);
    cr_assert(strstr(msg, "magic"), "%s", msg);
    /* what PyTorch and NumPy users write: float32, and Fortran order (a transposed view saved as is) */
    const char *good[] = {"{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
                          "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }",
                          "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }"};
    float a32[6] = {1, -2.5f, 0.125f, 4, 5, 6}, t32[6] = {1, 4, -2.5f, 5, 0.125f, 6};
    double t64[6] = {1, 4, -2.5, 5, 3e-300, NAN}, want[3][6] = {{1, -2.5, 0.125, 4, 5, 6}, {1, -2.5, 3e-300, 4, 5, NAN},
                                                                {1, -2.5, 0.125, 4, 5, 6}};
    const void *data[] = {a32, t64, t32};
    const size_t bytes[] = {sizeof a32, sizeof t64, sizeof t32};
    for (int k = 0; k < 3; k++) {
        f = fopen(path, "wb");
        unsigned short hl = (unsigned short)strlen(good[k]);
        fwrite("\x93NUMPY\x01\x00", 1, 8, f);
        fwrite(&hl, 2, 1, f);
        fputs(good[k], f);
        fwrite(data[k], 1, bytes[k], f);
        fclose(f);
        cr_assert_eq(gb_npy_read(path, &b, &r, &c, msg, sizeof msg), 0, "header %d: %s", k, msg);
        cr_assert(r == 2 && c == 3);
        for (int i = 0; i < 6; i++)
            cr_assert(b[i] == want[k][i] || (isnan(b[i]) && isnan(want[k][i])), "header %d, entry %d: %g", k, i, b[i]);
        free(b);
    }
    const char *bad[] = {"{'descr': '>f8', 'fortran_order': False, 'shape': (1,), }",
                         "{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }"};
    const char *why[] = {"float64", "float32"};
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
    /* hostile headers: a decoy key, a shape whose product overflows, a shape larger than the file (refused
     * before any allocation), a key twice, more than two dimensions */
    const char *hostile[] = {"{'x': \"'descr': '<f8'\", 'descr': '<i4', 'fortran_order': False, 'shape': (1,), }",
                             "{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 4), }",
                             "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000,), }",
                             "{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (1,), }",
                             "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1, 1), }"};
    const char *hwhy[] = {"unknown key 'x'", "overflows", "header promises", "twice", "more than 2"};
    for (int k = 0; k < 5; k++) {
        f = fopen(path, "wb");
        unsigned short hl = (unsigned short)strlen(hostile[k]);
        fwrite("\x93NUMPY\x01\x00", 1, 8, f);
        fwrite(&hl, 2, 1, f);
        fputs(hostile[k], f);
        fwrite(a, 8, 1, f);
        fclose(f);
        cr_assert_neq(gb_npy_read(path, &b, &r, &c, msg, sizeof msg), 0, "header %d accepted", k);
        cr_assert(strstr(msg, hwhy[k]), "header %d: %s", k, msg);
    }
    /* a FIFO in the file's place is refused at once, not waited on */
    unlink(path);
    cr_assert_eq(mkfifo(path, 0600), 0);
    cr_assert_neq(gb_npy_read(path, &b, &r, &c, msg, sizeof msg), 0);
    cr_assert(strstr(msg, "not a regular file"), "%s", msg);
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
    o.fault = GB_FAULT_SIGN;
    cr_assert_eq(gb_verify_run(e, &o), GB_FAIL);
}

/* XV-FD and OPP-1 pass, and a prediction that forgets FD-3's bias (w = k in place of w*_∞) flips both */
Test(xval, xv_fd_and_opp1_pass_and_fail_without_the_learned_bias, .timeout = 240)
{
    cr_assert_null(gb_verify_find("XV-PATTERN-fd"));
    cr_assert_eq(gb_test_claim("XV-FD", 0, 0), GB_PASS);
    cr_assert_eq(gb_test_claim("OPP-1", 0, 0), GB_PASS);
    cr_assert_eq(gb_test_claim("XV-FD", GB_FAULT_WSTAR, 0), GB_FAIL);
    cr_assert_eq(gb_test_claim("OPP-1", GB_FAULT_WSTAR, 0), GB_FAIL);
}

/* XV-NOISE passes at the default σ and at a larger one, and an expected noise term of twice the variance
 * flips it */
Test(xval, xv_noise_passes_and_fails_on_a_wrong_noise_variance, .timeout = 240)
{
    cr_assert_eq(gb_test_claim("XV-NOISE", 0, 0), GB_PASS);
    cr_assert_eq(gb_test_claim("XV-NOISE", GB_FAULT_NOISE, 0), GB_FAIL);
    gb_verify_opts o;   /* a larger σ */
    gb_verify_opts_default(&o);
    o.out = NULL;
    o.noise = 1e-3;
    cr_assert_eq(gb_verify_run(gb_verify_find("XV-NOISE"), &o), GB_PASS);
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
    json_error_t pe;   /* the manifest names the build that wrote it */
    json_t *man = json_load_file(f, 0, &pe);
    cr_assert(man && json_string_value(json_object_get(json_object_get(man, "provenance"), "commit")), "%s", f);
    json_decref(man);

    /* --compare: every class's rules on this matrix beside the committed full tier's own values */
    cr_assert_eq(sh(BIN " score --pred %s --out %s --compare reports/full >" "/tmp/gb-compare.txt", pred, out), 0);
    cr_assert_eq(sh("grep -q '^linear .*of 6 rules hold' /tmp/gb-compare.txt && grep -q 'U_poly .*(PASS)' "
                    "/tmp/gb-compare.txt && grep -q '^pideeponet .*median log10 in-span' /tmp/gb-compare.txt%s%s", "", ""),
                 0, "score --compare did not print the classes' rules");
    cr_assert_eq(sh(BIN " score --pred %s --out %s --compare /nonexistent 2>/dev/null", pred, out), 2);
    cr_assert_eq(sh("rm -r %s%s", out, ""), 0);
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

/* ---------------------------------------------------------------------------------------------- */
/* the relative measure L and the contrasts D, U, X, F of SPEC §8 */

/* the synthetic pattern: L_ij = −j/4 − i/8 (exact binary fractions), test-set scales u2_j = 10^(j%4 − 2) */
static double pat(int i, int j) { return -0.25 * j - 0.125 * i; }

/* a hand-set matrix: the pattern, then s8 trained → s1..s8 at 1e-20 (under the floor), c1 → p1 exactly 0
 * (R = 0, L clamped) and p4 → p6 NaN (L = +Inf) */
static void synthetic(gb_xv_matrix *X)
{
    memset(X, 0, sizeof *X);
    X->model = GB_XV_NMODELS;
    snprintf(X->name, sizeof X->name, "synthetic");
    X->N = 8;
    X->S = 12;
    for (int j = 0; j < GB_XV_NSETS; j++)
        X->u2[j] = pow(10, j % 4 - 2);
    for (int i = 0; i < GB_XV_NSETS; i++)
        for (int j = 0; j < GB_XV_NSETS; j++)
            X->mse[i * GB_XV_NSETS + j] = X->u2[j] * pow(10, pat(i, j));
    for (int j = 16; j < 24; j++)
        X->mse[23 * GB_XV_NSETS + j] = X->u2[j] * 1e-20;
    X->mse[8 * GB_XV_NSETS + 0] = 0;
    X->mse[3 * GB_XV_NSETS + 5] = NAN;
    for (int i = 0; i < GB_XV_NSETS; i++)
        X->train_mse[i] = X->learned_k[i] = NAN;
}

#define NEAR(a, b, what) \
    cr_assert(fabs((a) - (b)) <= 1e-12, "%s: got %.17g, by hand %.17g (synthetic L_ij = -j/4 - i/8)", what, a, b)

Test(xval, relative_measure_and_its_clamp)
{
    gb_xv_matrix X;
    synthetic(&X);
    for (int i = 0; i < GB_XV_NSETS; i++)
        for (int j = 0; j < GB_XV_NSETS; j++) {
            if ((i == 23 && j >= 16 && j < 24) || (i == 8 && j == 0) || (i == 3 && j == 5))
                continue;
            double r = gb_xv_rel(&X, i, j);
            cr_assert(fabs(r / pow(10, pat(i, j)) - 1) < 1e-13, "R(%d,%d) = %.17g, u2 %.3g, mse %.17g", i, j, r,
                      X.u2[j], X.mse[i * GB_XV_NSETS + j]);
            NEAR(gb_xv_L(&X, i, j), pat(i, j), "L");
        }
    /* under the floor, R = 0 and NaN */
    cr_assert(fabs(gb_xv_rel(&X, 23, 20) / 1e-20 - 1) < 1e-13, "R = %.17g", gb_xv_rel(&X, 23, 20));
    cr_assert_eq(gb_xv_L(&X, 23, 20), -12.0, "clamped: %.17g", gb_xv_L(&X, 23, 20));
    cr_assert_eq(gb_xv_rel(&X, 8, 0), 0.0);
    cr_assert_eq(gb_xv_L(&X, 8, 0), -12.0, "R = 0: %.17g", gb_xv_L(&X, 8, 0));
    cr_assert(isnan(gb_xv_rel(&X, 3, 5)));
    cr_assert(isinf(gb_xv_L(&X, 3, 5)) && gb_xv_L(&X, 3, 5) > 0, "NaN R: L = %g", gb_xv_L(&X, 3, 5));
}

Test(xval, contrasts_match_hand_values)
{
    gb_xv_matrix X;
    synthetic(&X);
    /* p3 (i = 2): lower p1, p2 = −0.25, −0.5; diag −0.75; upper p4..p8 = −1 … −2 (mean −1.5); cross
     * columns 8..24 (mean j = 16): −4.25 */
    NEAR(gb_xv_contrast_row(&X, GB_XV_D, 2), -0.75 - (-0.375), "D(p3)");
    NEAR(gb_xv_contrast_row(&X, GB_XV_U, 2), -1.5 - (-0.5), "U(p3)");
    NEAR(gb_xv_contrast_row(&X, GB_XV_X, 2), -4.25 - (-0.5), "X(p3)");
    /* p4 (i = 3): lower −0.375, −0.625, −0.875, diag −1.125; its upper block holds the NaN entry */
    NEAR(gb_xv_contrast_row(&X, GB_XV_D, 3), -1.125 - (-0.625), "D(p4)");
    NEAR(gb_xv_contrast_row(&X, GB_XV_X, 3), -4.375 - (-0.75), "X(p4)");
    double u = gb_xv_contrast_row(&X, GB_XV_U, 3);
    cr_assert(isinf(u) && u > 0, "U(p4) with a NaN upper entry: %g", u);
    /* s8 (i = 23): diagonal and lower at the floor, so D = 0 exactly; cross = columns 0..15 and fem,
     * −2.875 − j/4: sum −76 − 8.875 over 17 columns */
    cr_assert_eq(gb_xv_contrast_row(&X, GB_XV_D, 23), 0.0, "D(s8) = %.17g", gb_xv_contrast_row(&X, GB_XV_D, 23));
    NEAR(gb_xv_contrast_row(&X, GB_XV_X, 23), -84.875 / 17 + 12, "X(s8)");
    cr_assert(isnan(gb_xv_contrast_row(&X, GB_XV_U, 23)));
    /* c1 (i = 8): its lower block is empty; U = mean of c2..c8 − L(c1, c1); X over columns 0..7, 16..24
     * with the clamped c1 → p1 entry (−12 instead of −1) */
    NEAR(gb_xv_contrast_row(&X, GB_XV_U, 8), (-1 - 0.25 * 12) - (-1 - 0.25 * 8), "U(c1)");
    double cross = -12;
    for (int j = 1; j < 8; j++)
        cross += pat(8, j);
    for (int j = 16; j < 25; j++)
        cross += pat(8, j);
    NEAR(gb_xv_contrast_row(&X, GB_XV_X, 8), cross / 17 - pat(8, 8), "X(c1)");
    /* families: on the unmodified pattern D(p) = −p/8 for every row; sin's s8 is 0 */
    NEAR(gb_xv_contrast_family(&X, GB_XV_D, 0), -0.125 * (2 + 3 + 4 + 5 + 6 + 7 + 8) / 7, "D_poly");
    NEAR(gb_xv_contrast_family(&X, GB_XV_D, 2), -0.125 * (2 + 3 + 4 + 5 + 6 + 7) / 7, "D_sin");
    double up = gb_xv_contrast_family(&X, GB_XV_U, 0);
    cr_assert(isinf(up) && up > 0, "U_poly carries p4's +Inf: %g", up);
    /* U of a row in the pattern: upper mean − lower∪diag mean = −(8 − p)/8 − ... computed per row */
    long double want = 0;
    for (int p = 1; p <= 7; p++) {
        int i = 7 + p;   /* c_p */
        double hi = 0, lo = 0;
        for (int q = p + 1; q <= 8; q++)
            hi += pat(i, 7 + q);
        for (int q = 1; q <= p; q++)
            lo += (i == 8 && q == 1) ? pat(8, 8) : pat(i, 7 + q);
        want += hi / (8 - p) - lo / p;
    }
    NEAR(gb_xv_contrast_family(&X, GB_XV_U, 1), (double)(want / 7), "U_cos");
    /* F: the fem row mean is −3 − 3 = −6; the smallest other row mean is s8's,
     * (−84.875 + 8 × (−12)) / 25 = −7.235 (p4's is +Inf, c1's −4.44) */
    int best = -1;
    double F = gb_xv_fem_contrast(&X, &best);
    NEAR(gb_xv_row_mean_L(&X, 24), -6.0, "fem row mean");
    NEAR(gb_xv_row_mean_L(&X, 23), -7.235, "s8 row mean");
    NEAR(F, -6.0 - (-7.235), "F");
    cr_assert_eq(best, 23, "best other row %d (%s)", best, gb_xv_label(best));
    cr_assert_str_eq(gb_xv_contrast_name(GB_XV_U), "U");
}

Test(xval, contrasts_undefined_rows_are_nan)
{
    gb_xv_matrix X;
    synthetic(&X);
    for (int k = 0; k < GB_XV_NCONTRASTS; k++) {
        double v = gb_xv_contrast_row(&X, (gb_xv_contrast)k, 24);
        cr_assert(isnan(v), "%s(fem) = %g", gb_xv_contrast_name((gb_xv_contrast)k), v);
        cr_assert(!gb_xv_contrast_defined((gb_xv_contrast)k, 24));
    }
    for (int f = 0; f < 3; f++) {
        cr_assert(isnan(gb_xv_contrast_row(&X, GB_XV_D, 8 * f)), "D(%s) defined", gb_xv_label(8 * f));
        cr_assert(isnan(gb_xv_contrast_row(&X, GB_XV_U, 8 * f + 7)), "U(%s) defined", gb_xv_label(8 * f + 7));
        cr_assert(isfinite(gb_xv_contrast_row(&X, GB_XV_X, 8 * f)), "X(%s) undefined", gb_xv_label(8 * f));
    }
}

/* the writers on the synthetic matrix: the floor, NaN and Inf shown as such; the heat map fitted */
Test(xval, writers_show_L_and_the_contrasts, .timeout = 60)
{
    gb_xv_matrix X;
    synthetic(&X);
    X.mse[1 * GB_XV_NSETS + 1] = INFINITY;
    gb_str b;
    gb_str_init(&b);
    gb_xv_markdown(&b, &X);
    const char *s = gb_str_get(&b);
    cr_assert(strstr(s, "relative test MSE"), "%s", s);
    cr_assert(strstr(s, "| **p2** | -0.1 | **Inf** | -0.6 |"), "%s", s);
    cr_assert(strstr(s, "| **p4** | -0.4 | -0.6 | -0.9 | **-1.1** | -1.4 | NaN |"), "%s", s);
    cr_assert(strstr(s, "| **c1** | ≤−12 | -1.2 |"), "%s", s);
    cr_assert(strstr(s, "| ≤−12 | **≤−12** | -8.9 |"), "s8 row: %s", s);
    gb_str_clear(&b);
    gb_str_init(&b);
    gb_xv_contrasts_markdown(&b, &X);
    s = gb_str_get(&b);
    /* p2's Inf diagonal: D = +Inf, U and X = −Inf (it sits in lower ∪ diag), poly's U mixes +Inf and −Inf */
    cr_assert(strstr(s, "| poly | Inf | NaN | −Inf |") && strstr(s, "| **p2** | Inf | −Inf | −Inf | Inf |"), "%s", s);
    cr_assert(strstr(s, "| cos | -0.6") && strstr(s, "| **p3** | -0.38 | -1.00 | -3.75 | -3.25 |"), "%s", s);
    cr_assert(strstr(s, "F = +1.2") && strstr(s, "s8's (-7.24)"), "%s", s);
    cr_assert(strstr(s, "| **p1** | — |") && strstr(s, "| **fem** | — | — | — | -6.00 |"), "%s", s);
    gb_str_clear(&b);

    gb_heatmap h;
    double z[GB_XV_NSETS * GB_XV_NSETS];
    memset(&h, 0, sizeof h);
    h.z = z;
    gb_xv_heatmap_fill(&h, &X);
    cr_assert_eq(h.log10abs, 0);
    cr_assert(h.zlo == -12 && h.zhi == 0, "range [%g, %g], L from -12 to 0", h.zlo, h.zhi);
    cr_assert(h.cell_labels && !h.diverging && h.cblabel && strstr(h.cblabel, "floor"));
    NEAR(z[2 * GB_XV_NSETS + 7], pat(2, 7), "heat map L(p3, p8)");
    cr_assert(isinf(z[3 * GB_XV_NSETS + 5]) && isinf(z[1 * GB_XV_NSETS + 1]));

    /* the files: both CSVs, the JSON and the page; the SVG where gnuplot is installed */
    char dir[128], f[256];
    snprintf(dir, sizeof dir, "/tmp/gb-xvw.%ld", (long)getpid());
    gb_xv_opts o;
    gb_xv_opts_default(&o);
    cr_assert_eq(gb_xv_write(&X, &o, dir), 0);
    snprintf(f, sizeof f, "%s/xval-synthetic-L.csv", dir);
    FILE *fp = fopen(f, "r");
    cr_assert(fp, "%s missing", f);
    char line[4096];
    cr_assert(fgets(line, sizeof line, fp) && !strncmp(line, "train\\test,p1,p2,", 17), "%s", line);
    cr_assert(fgets(line, sizeof line, fp) && !strncmp(line, "p1,0,-0.25,-0.5,", 16), "%s", line);
    fclose(fp);
    snprintf(f, sizeof f, "%s/xval-synthetic.csv", dir);
    cr_assert_eq(access(f, R_OK), 0);
    snprintf(f, sizeof f, "%s/xval-synthetic.md", dir);
    fp = fopen(f, "r");
    cr_assert(fp);
    static char page[65536];
    size_t n = fread(page, 1, sizeof page - 1, fp);
    page[n] = 0;
    fclose(fp);
    cr_assert(strstr(page, "## L = log10 relative test MSE") && strstr(page, "## Contrasts") &&
              strstr(page, "absolute test MSE"), "%s", page);
    if (sh("command -v gnuplot >/dev/null%s%s", "", "") == 0) {
        snprintf(f, sizeof f, "%s/xval-synthetic.svg", dir);
        fp = fopen(f, "r");
        cr_assert(fp, "gnuplot is installed but %s is missing", f);
        static char svg[1 << 20];
        n = fread(svg, 1, sizeof svg - 1, fp);
        svg[n] = 0;
        fclose(fp);
        cr_assert(strstr(svg, ">Inf<") && strstr(svg, ">-0.8<"), "cell labels missing from %s", f);
    }
    cr_assert_eq(sh("rm -r %s%s", dir, ""), 0);
}

/* the exact linear fit (seed 1, N = 16, S = 200): where a row's diagonal and lower entries are all at the
 * floor D = 0 exactly (SPEC §8), the sine family's wall U ≥ 2, and the JSON carries the new keys */
Test(xval, linear_fit_contrasts_and_json, .timeout = 120)
{
    gb_xv_opts o;
    gb_xv_opts_default(&o);
    o.N = 16;
    o.S = 200;
    gb_xv_data D;
    cr_assert_eq(gb_xv_data_init(&D, &o), 0);
    gb_xv_matrix *X = malloc(sizeof *X);
    cr_assert_eq(gb_xv_run(X, GB_XV_LINEAR, &D), 0);
    for (int j = 0; j < GB_XV_NSETS; j++) {
        const gb_dataset_struct *t = &D.test[j];
        long m = t->spec.S * (t->spec.N + 1);
        double s = 0;
        for (long k = 0; k < m; k++)
            s += t->u[k] * t->u[k];
        cr_assert(fabs(X->u2[j] / (s / m) - 1) < 1e-12, "u2[%s] = %.17g, direct %.17g", gb_xv_label(j), X->u2[j],
                  s / m);
    }
    gb_xv_data_clear(&D);
    int floored = 0;
    for (int i = 0; i < 24; i++) {
        if (i % 8 == 0)
            continue;
        int all = 1;
        for (int j = 8 * (i / 8); j <= i; j++)
            all &= gb_xv_L(X, i, j) == GB_XV_LFLOOR;
        if (!all)
            continue;
        floored++;
        double d = gb_xv_contrast_row(X, GB_XV_D, i);
        cr_assert_eq(d, 0.0, "D(%s) = %.17g with its diagonal and lower entries at the floor", gb_xv_label(i), d);
    }
    cr_assert_geq(floored, 18, "only %d rows reach the floor (N = 16, S = 200, seed 1)", floored);
    double U = gb_xv_contrast_family(X, GB_XV_U, 2);
    cr_assert(U >= 2, "U_sin = %.6f (N = 16, S = 200, seed 1)", U);

    char *s = gb_xv_json(X, &o);
    json_error_t je;
    json_t *js = json_loads(s, 0, &je);
    cr_assert(js, "%s", je.text);
    free(s);
    const char *mats[] = {"mse", "log10_mse", "rel_mse", "L"};
    for (int k = 0; k < 4; k++) {
        json_t *a = json_object_get(js, mats[k]);
        cr_assert(json_is_array(a) && json_array_size(a) == 25, "%s", mats[k]);
        for (int i = 0; i < 25; i++)
            cr_assert_eq(json_array_size(json_array_get(a, i)), 25, "%s row %d", mats[k], i);
    }
    json_t *L = json_object_get(js, "L");
    for (int i = 0; i < 25; i++)
        for (int j = 0; j < 25; j++) {
            double v = json_real_value(json_array_get(json_array_get(L, i), j));
            cr_assert(v >= -12 && v == gb_xv_L(X, i, j), "L[%d][%d] = %.17g, gb_xv_L %.17g", i, j, v, gb_xv_L(X, i, j));
        }
    cr_assert_eq(json_array_size(json_object_get(js, "u2")), 25);
    json_t *c = json_object_get(js, "contrasts");
    cr_assert(json_is_object(c));
    const char *fam[] = {"poly", "cos", "sin"};
    for (int k = 0; k < GB_XV_NCONTRASTS; k++) {
        const char *name = gb_xv_contrast_name((gb_xv_contrast)k);
        json_t *e = json_object_get(c, name), *r = json_object_get(json_object_get(c, "rows"), name);
        for (int f = 0; f < 3; f++)
            cr_assert(json_is_number(json_object_get(e, fam[f])), "contrasts.%s.%s", name, fam[f]);
        cr_assert(json_is_array(r) && json_array_size(r) == 25, "contrasts.rows.%s", name);
        cr_assert(json_is_null(json_array_get(r, 24)), "contrasts.rows.%s[fem] not null", name);
    }
    cr_assert(json_is_null(json_array_get(json_object_get(json_object_get(c, "rows"), "D"), 0)));
    cr_assert(json_is_number(json_object_get(c, "F")));
    int best;
    double F = gb_xv_fem_contrast(X, &best);
    cr_assert_eq(json_real_value(json_object_get(c, "F")), F);
    cr_assert_str_eq(json_string_value(json_object_get(c, "F_best_other")), gb_xv_label(best));
    cr_assert(json_object_get(js, "blocks") && json_object_get(js, "train_mse"));
    json_decref(js);
    free(X);
}

/* the PyTorch example end to end where torch is installed (float32 predictions, scored); without torch (or
 * numpy) each example says what to install in one line, exit 3 */
Test(xval, pytorch_example_runs_and_hints_when_torch_is_missing, .timeout = 300)
{
    cr_assert_eq(sh("cd examples && /usr/bin/python3 -c \"import sys; sys.modules['torch'] = None; sys.argv = ['x', "
                    "'a', 'b']; exec(open('xval_torch.py').read())\" 2>/tmp/gb-torch-hint.txt%s%s", "", ""), 3);
    cr_assert_eq(sh("grep -q 'torch is not installed' /tmp/gb-torch-hint.txt && [ $(wc -l </tmp/gb-torch-hint.txt) "
                    "-eq 1 ]%s%s", "", ""), 0, "the hint is not one line");
    cr_assert_eq(sh("cd examples && /usr/bin/python3 -c \"import sys; sys.modules['numpy'] = None; sys.argv = ['x', "
                    "'a', 'b']; exec(open('xval_linear.py').read())\" 2>/dev/null%s%s", "", ""), 3);
    if (sh("/usr/bin/python3 -c 'import torch' 2>/dev/null%s%s", "", ""))
        cr_skip_test("PyTorch is not installed (Debian: python3-torch)");
    char d[64];
    snprintf(d, sizeof d, "/tmp/gb-torch.%ld", (long)getpid());
    cr_assert_eq(sh("mkdir -p %s%s", d, ""), 0);
    cr_assert_eq(sh(BIN " export --N 16 --samples 40 --out %s/bench >/dev/null%s", d, ""), 0);
    cr_assert_eq(sh("/usr/bin/python3 examples/xval_torch.py %s/bench %s/pred --greenbound " BIN " --epochs 50 "
                    ">/dev/null 2>&1", d, d), 0);
    char f[128];
    snprintf(f, sizeof f, "%s/pred-score/xval-torch-linear.json", d);
    json_error_t je;
    json_t *js = json_load_file(f, 0, &je);
    cr_assert(js, "%s: %s", f, je.text);
    json_decref(js);
    cr_assert_eq(sh("rm -rf %s%s", d, ""), 0);
}

/* score takes the 625 predictions as one .npz (stored or deflated) with the manifest beside it and gives the
 * folder's numbers; hostile archives are refused with a message naming the archive, and leave nothing behind */
Test(xval, npz_archives_score_like_folders_and_hostile_ones_are_refused, .timeout = 120)
{
    char base[64], exp[128], pred[128], f[512];
    snprintf(base, sizeof base, "/tmp/gb-npz.%ld", (long)getpid());
    mkdir(base, 0777);
    snprintf(exp, sizeof exp, "%s/exp", base);
    snprintf(pred, sizeof pred, "%s/pred", base);
    make_preds(exp, pred);
    /* the archives, written by numpy itself; and hostile ones by zipfile */
    snprintf(f, sizeof f, "%s/mk.py", base);
    FILE *py = fopen(f, "w");
    cr_assert(py);
    fputs("import numpy as np, os, zipfile, shutil\n"
          "d = {n[:-4]: np.load('pred/' + n) for n in os.listdir('pred') if n.startswith('pred_')}\n"
          "np.savez('a.npz', **d); np.savez_compressed('c.npz', **d)\n"
          "shutil.copy('pred/manifest.json', '.')\n"
          "z = zipfile.ZipFile('slip.npz', 'w'); z.writestr('../evil.npy', b'x'); z.close()\n"
          "z = zipfile.ZipFile('other.npz', 'w'); z.writestr('readme.txt', b'x'); z.close()\n"
          "b = open('a.npz', 'rb').read(); open('trunc.npz', 'wb').write(b[:len(b) // 2])\n"
          "i = b.find(b'\\x93NUMPY') + 200; open('crc.npz', 'wb').write(b[:i] + bytes([b[i] ^ 1]) + b[i + 1:])\n"
          "z = zipfile.ZipFile('bomb.npz', 'w', zipfile.ZIP_DEFLATED); z.writestr('pred_p1_p1.npy', bytes(1 << 22))\n"
          "z.close(); b = bytearray(open('bomb.npz', 'rb').read()); j = b.rfind(b'PK\\x01\\x02')\n"
          "b[j + 24:j + 28] = (100).to_bytes(4, 'little'); open('bomb.npz', 'wb').write(bytes(b))\n"
          "open('plain.npz', 'w').write('not a zip')\n", py);
    fclose(py);
    snprintf(f, sizeof f, "cd %s && /usr/bin/python3 mk.py", base);
    cr_assert_eq(sh("%s%s", f, ""), 0, "the archives could not be written");
    cr_assert_eq(sh(BIN " score --pred %s/pred --out %s/s0 --name m >/dev/null", base, base), 0);
    cr_assert_eq(sh(BIN " score --pred %s/a.npz --out %s/s1 --name m >/dev/null", base, base), 0);
    cr_assert_eq(sh(BIN " score --pred %s/c.npz --out %s/s2 --name m >/dev/null", base, base), 0);
    cr_assert_eq(sh("cmp -s %s/s0/xval-m.csv %s/s1/xval-m.csv", base, base), 0, "stored .npz differs from the folder");
    cr_assert_eq(sh("cmp -s %s/s0/xval-m.csv %s/s2/xval-m.csv", base, base), 0, "deflated .npz differs");
    static const char *bad[][2] = {{"slip", "not a plain .npy file name"}, {"other", "not a plain .npy file name"},
                                   {"trunc", "a.npz"}, {"crc", "CRC"}, {"bomb", "past its stated size"},
                                   {"plain", "not a ZIP archive"}};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        char cmd[600];
        snprintf(cmd, sizeof cmd, BIN " score --pred %s/%s.npz --out %s/bad 2>%s/err.txt; echo $? >%s/rc.txt", base,
                 bad[k][0], base, base, base);
        cr_assert_eq(system(cmd), 0);
        snprintf(cmd, sizeof cmd, "grep -qx 3 %s/rc.txt && grep -q '%s' %s/err.txt && [ ! -e %s/bad ]", base,
                 k == 2 ? "trunc.npz" : bad[k][1], base, base);
        cr_assert_eq(system(cmd), 0, "%s.npz: not refused as expected", bad[k][0]);
    }
    cr_assert_eq(sh("[ ! -e %s/evil.npy ] && ! ls /tmp/gb-score.* >/dev/null 2>&1%s", base, ""), 0,
                 "something was left behind");
    cr_assert_eq(sh("rm -rf %s%s", base, ""), 0);
}
