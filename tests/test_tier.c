/* The tiers of SPEC §8: a small full-tier-like run is stored one file per training, resumes without
 * retraining what is stored, reads back the same matrices as an in-memory run, refuses a foreign or
 * corrupt store, and its check detects a stored number that training no longer reproduces. */
#include "core/status.h"
#include "xval/tier.h"
#include "verify.h"
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void small_tier(gb_tier_spec *t)
{
    gb_tier_spec_init(t, GB_TIER_FULL);
    t->N = 8;
    t->S = 16;
    t->S_test = 8;
    t->seeds = 2;
    t->trend_seeds = 2;
}

static long count_lines(const char *path)
{
    FILE *f = fopen(path, "r");
    long n = 0;
    int ch;
    while (f && (ch = fgetc(f)) != EOF)
        n += ch == '\n';
    if (f)
        fclose(f);
    return n;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f, "%s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *s = calloc((size_t)n + 1, 1);
    cr_assert_eq(fread(s, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    return s;
}

Test(tier, timings_project_the_tier_against_its_goal)
{
    char dir[] = "/tmp/gb-tier-XXXXXX", tim[600], tmd[600];
    cr_assert(mkdtemp(dir));
    gb_tier_spec t;
    gb_tier_spec_init(&t, GB_TIER_FULL);
    cr_assert_eq(gb_tier_timings(dir, &t), GB_ENOENT, "no timings.tsv yet");
    snprintf(tim, sizeof tim, "%s/timings.tsv", dir);
    FILE *f = fopen(tim, "w");
    cr_assert(f);
    /* 3 FNO trainings of 300, 400 and 10 000 s (one on a busy machine): median 400 s, so the 125 the tier
     * needs project to 125 × 400 s = 13.89 process-h, 6.94 h on 2 ranks, over the 4 h goal */
    fprintf(f, "fno\tp1\t1\t300\t150\t2\nfno\tp2\t1\t10000\t150\t2\nfno\tp3\t1\t400\t100\t2\n"
               "not a line\nunknown\tp1\t1\t5\t1\t1\nnpde6\tn2\t1\t36\t10\t1\n");
    fclose(f);
    cr_assert_eq(gb_tier_timings(dir, &t), GB_OK);
    snprintf(tmd, sizeof tmd, "%s/TIMINGS.md", dir);
    char *s = slurp(tmd);
    cr_assert(strstr(s, "| fno | 3 | 10700 | 3566.7 | 400.0 | 10000.0 | 133 | 4.0000 | 125 | 13.89 |"), "%s", s);
    cr_assert(strstr(s, "| npde6 | 1 | 36 | 36.0 | 36.0 | 36.0 | 10 | 3.6000 | 1 | 0.01 |"), "%s", s);
    cr_assert(strstr(s, "The goal is not met.") && strstr(s, "* fno: 6.94 h (125 trainings × 400 s, 133 epochs on "
                                                             "average): alone over the goal"), "%s", s);
    cr_assert(strstr(s, "The largest share is fno's."), "%s", s);
    cr_assert_null(strstr(s, "unknown"), "an unknown model's line is skipped");
    free(s);
    cr_assert_eq(unlink(tim), 0);
    cr_assert_eq(unlink(tmd), 0);
    cr_assert_eq(rmdir(dir), 0);
}

Test(tier, stored_run_resumes_and_matches_memory, .timeout = 300)
{
    char dir[] = "/tmp/gb-tier-XXXXXX";
    cr_assert(mkdtemp(dir));
    gb_tier_spec t;
    small_tier(&t);
    gb_xv_model models[2] = {GB_XV_LINEAR, GB_XV_DEEPLINEAR};
    char msg[2048] = "", tim[600], path[4096], key[GB_XV_KEY_MAX];
    snprintf(tim, sizeof tim, "%s/timings.tsv", dir);
    cr_assert_eq(gb_tier_run(dir, &t, models, 2, 0, msg, sizeof msg), GB_OK, "%s", msg);
    cr_assert_eq(count_lines(tim), 2 * 2 * 25, "one timing line per training");
    cr_assert_eq(gb_tier_timings(dir, &t), GB_OK);
    char tmd[600];
    snprintf(tmd, sizeof tmd, "%s/TIMINGS.md", dir);
    char *summary = slurp(tmd);
    cr_assert(strstr(summary, "| deeplinear | 50 |") && strstr(summary, "| linear | 50 |"), "%s", summary);
    cr_assert(strstr(summary, "## Against the goal: the whole tier within 4 h on 2 ranks"), "%s", summary);
    cr_assert(strstr(summary, "The goal is met."), "a tiny tier fits: %s", summary);
    free(summary);
    /* a second run trains nothing */
    cr_assert_eq(gb_tier_run(dir, &t, models, 2, 0, msg, sizeof msg), GB_OK, "%s", msg);
    cr_assert_eq(count_lines(tim), 100);
    /* a lost file is retrained, to the same bytes */
    gb_tier_key(key, sizeof key, &t, GB_XV_DEEPLINEAR, 7, 2);
    gb_xv_result_path(path, sizeof path, dir, "deeplinear", "p8", 2, key);
    char *before = slurp(path);
    cr_assert_eq(unlink(path), 0);
    cr_assert_eq(gb_tier_run(dir, &t, models, 2, 0, msg, sizeof msg), GB_OK, "%s", msg);
    cr_assert_eq(count_lines(tim), 101);
    char *after = slurp(path);
    cr_assert_str_eq(before, after, "a retrained result must be byte-identical");
    free(before);
    free(after);
    /* the stored matrix equals the one trained in memory */
    gb_xv_matrix *A = malloc(sizeof *A), *B = malloc(sizeof *B);
    cr_assert_eq(gb_tier_matrix(A, dir, &t, GB_XV_DEEPLINEAR, 2, msg, sizeof msg), GB_OK, "%s", msg);
    cr_assert_eq(gb_tier_matrix(B, NULL, &t, GB_XV_DEEPLINEAR, 2, msg, sizeof msg), GB_OK, "%s", msg);
    for (int k = 0; k < 25 * 25; k++)
        cr_assert(!memcmp(&A->mse[k], &B->mse[k], sizeof(double)), "entry %d", k);
    for (int i = 0; i < 25; i++)
        cr_assert(A->epochs[i] == B->epochs[i] && A->status[i] == B->status[i] &&
                  !memcmp(&A->green_dist[i], &B->green_dist[i], sizeof(double)));
    /* the check retrains and agrees */
    cr_assert_eq(gb_tier_check(dir, &t, models, 2, 3, 1, msg, sizeof msg), GB_OK, "%s", msg);
    /* a stored number training no longer gives (valid checksum, other value) is caught */
    gb_xv_result r;
    cr_assert_eq(gb_xv_result_read(&r, path, key, msg, sizeof msg), GB_OK);
    r.mse[3] = nextafter(r.mse[3], INFINITY);
    cr_assert_eq(gb_xv_result_write(&r, path), GB_OK);
    int caught = 0;
    for (unsigned long cs = 1; cs < 400 && !caught; cs++)   /* some choice seed picks that training */
        caught = gb_tier_check(dir, &t, models, 2, 100, cs, msg, sizeof msg) == GB_EINVAL;
    cr_assert(caught && strstr(msg, "differ"), "%s", msg);
    /* a foreign result at a key's path stops the run before any training */
    r.mse[3] = nextafter(r.mse[3], -INFINITY);
    snprintf(r.key, sizeof r.key, "another setting");
    cr_assert_eq(gb_xv_result_write(&r, path), GB_OK);
    cr_assert_eq(gb_tier_run(dir, &t, models, 2, 0, msg, sizeof msg), GB_EINVAL);
    cr_assert(strstr(msg, "foreign"), "%s", msg);
    cr_assert_eq(gb_tier_matrix(A, dir, &t, GB_XV_DEEPLINEAR, 2, msg, sizeof msg), GB_EINVAL);
    /* a missing training: the matrix says so */
    cr_assert_eq(unlink(path), 0);
    cr_assert_eq(gb_tier_matrix(A, dir, &t, GB_XV_DEEPLINEAR, 2, msg, sizeof msg), GB_ENOENT);
    cr_assert(strstr(msg, "1 of 25 trainings are not in"), "%s", msg);
    free(A);
    free(B);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -r %s", dir);
    cr_assert_eq(system(cmd), 0);
}

/* the budgets are those written before any full-tier result: a plateau window and cap per network */
Test(tier, budgets_are_the_registered_ones)
{
    gb_tier_spec f, c;
    gb_tier_spec_init(&f, GB_TIER_FULL);
    gb_tier_spec_init(&c, GB_TIER_CI);
    cr_assert_eq(f.S, 10000);
    cr_assert_eq(f.seeds, 5);
    cr_assert_eq(f.trend_seeds, 10);
    gb_tier_budget b = gb_tier_budget_of(&f, GB_XV_MLP);
    cr_assert(b.cap == 2000 && b.window == 50 && b.batch == 256);
    b = gb_tier_budget_of(&f, GB_XV_FNO);
    cr_assert(b.cap == 150 && b.window == 5);
    cr_assert_eq(gb_tier_budget_of(&c, GB_XV_MLP).window, 0, "the CI tier trains at a constant rate");
    cr_assert_eq(gb_tier_rows(&f, GB_XV_PINN), 8);
    char k1[GB_XV_KEY_MAX], k2[GB_XV_KEY_MAX];
    gb_tier_key(k1, sizeof k1, &f, GB_XV_MLP, 3, 1);
    gb_tier_key(k2, sizeof k2, &c, GB_XV_MLP, 3, 1);
    cr_assert(strcmp(k1, k2), "the tiers never share a key");
    cr_assert(strstr(k1, "plateau") && strstr(k1, "S=10000"), "%s", k1);
}

static int sh(const char *cmd)
{
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

Test(tier, verify_full_refuses_bad_input)
{
    cr_assert_eq(sh("./build/greenbound verify-full --models bogus 2>/dev/null"), 2);
    cr_assert_eq(sh("./build/greenbound verify-full --models mlp,mlp 2>/dev/null"), 2);
    cr_assert_eq(sh("./build/greenbound verify-full --seeds 1 2>/dev/null"), 2);
    cr_assert_eq(sh("./build/greenbound verify --tier full FD-1 2>/dev/null"), 2);
    cr_assert_eq(sh("./build/greenbound verify --tier half 2>/dev/null"), 2);
    /* a corrupt stored result: exit 2 before any training */
    char dir[] = "/tmp/gb-tierc-XXXXXX", key[GB_XV_KEY_MAX], path[4096], cmd[8400];
    cr_assert(mkdtemp(dir));
    gb_tier_spec t;
    gb_tier_spec_init(&t, GB_TIER_FULL);
    gb_tier_key(key, sizeof key, &t, GB_XV_LINEAR, 0, 1);
    gb_xv_result_path(path, sizeof path, dir, "linear", "p1", 1, key);
    snprintf(cmd, sizeof cmd, "mkdir -p %s/linear && echo '{\"format\": \"greenbound-training/1\", \"key\"' > '%s'", dir,
             path);
    cr_assert_eq(sh(cmd), 0);
    snprintf(cmd, sizeof cmd, "./build/greenbound verify-full --models linear --train-only --results %s 2>%s/err", dir,
             dir);
    cr_assert_eq(sh(cmd), 2);
    snprintf(cmd, sizeof cmd, "grep -q 'corrupt stored result' %s/err", dir);
    cr_assert_eq(sh(cmd), 0);
    snprintf(cmd, sizeof cmd, "rm -r %s", dir);
    cr_assert_eq(sh(cmd), 0);
}

/* NPDE-6's models in the full tier: a corrupt stored model stops verify-full before any training (exit 2) and makes
 * the full-tier claim an ERROR, never a verdict; --check does not retrain them */
Test(tier, npde6_store_refuses_a_corrupt_model)
{
    char dir[] = "/tmp/gb-npde6c-XXXXXX", path[4096], cmd[8400];
    cr_assert(mkdtemp(dir));
    gb_npde6_store_file(path, dir, 7);
    cr_assert(strstr(path, "/npde6/order6-seed1003-"), "%s", path);   /* mismatched, seed 3 (+ 1000 × run seed 1) */
    snprintf(cmd, sizeof cmd, "mkdir -p %s/npde6 && echo '{\"format\": \"greenbound-nkdv/1\", \"key\"' > '%s'", dir, path);
    cr_assert_eq(sh(cmd), 0);
    snprintf(cmd, sizeof cmd, "./build/greenbound verify-full --models npde6 --train-only --results %s 2>%s/err", dir,
             dir);
    cr_assert_eq(sh(cmd), 2);
    snprintf(cmd, sizeof cmd, "grep -q 'corrupt stored model' %s/err", dir);
    cr_assert_eq(sh(cmd), 0);
    cr_assert_eq(sh("./build/greenbound verify-full --models npde6 --check 1 2>/dev/null"), 2);
    cr_assert_eq(sh("./build/greenbound verify-full --models npde6,npde6 2>/dev/null"), 2);
    snprintf(cmd, sizeof cmd, "rm -r %s", dir);
    cr_assert_eq(sh(cmd), 0);
}
