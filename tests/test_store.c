/* The store of trained rows: a result reads back bit for bit (NaN and ±∞ included); a missing file,
 * another key, a truncated file, an edited number, a folder or a FIFO in its place are each refused
 * with a message, never read as a result. */
#include "core/status.h"
#include "xval/store.h"
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void sample(gb_xv_result *r)
{
    memset(r, 0, sizeof *r);
    snprintf(r->key, sizeof r->key, "model=mlp row=s4 seed=3 N=32 S=10000");
    for (int j = 0; j < GB_XV_NSETS; j++) {
        r->mse[j] = pow(10.0, -j) / 3.0;
        r->u2[j] = 1.0 / (j + 7.0);
    }
    r->mse[3] = NAN;
    r->mse[4] = INFINITY;
    r->u2[5] = -INFINITY;
    r->train_mse = 1.2345678901234567e-9;
    r->train_loss = 0.1;
    r->learned_k = NAN;
    r->lr_final = 1e-3 / 1024;
    r->epochs = 777;
    r->steps = 777 * 40;
    r->status = 4;
    r->halvings = 10;
    r->improving = 0;
}

static char *tmpdir(void)
{
    char *t = strdup("/tmp/gb-store-XXXXXX");
    cr_assert(mkdtemp(t));
    return t;
}

static void expect_refused(const char *path, const char *key, const char *mention)
{
    gb_xv_result r;
    char msg[1024] = "";
    cr_assert_eq(gb_xv_result_read(&r, path, key, msg, sizeof msg), GB_EINVAL);
    cr_assert(strstr(msg, mention), "expected '%s' in: %s", mention, msg);
}

Test(store, round_trip_and_refusals)
{
    char *d = tmpdir();
    gb_xv_result w, r;
    sample(&w);
    char path[2048], msg[1024];
    gb_xv_result_path(path, sizeof path, d, "mlp", "s4", 3, w.key);
    cr_assert(strstr(path, "/mlp/s4-seed3-"), "%s", path);
    cr_assert_eq(gb_xv_result_read(&r, path, w.key, msg, sizeof msg), GB_ENOENT);
    cr_assert_eq(gb_xv_result_write(&w, path), GB_OK);
    cr_assert_eq(gb_xv_result_read(&r, path, w.key, msg, sizeof msg), GB_OK, "%s", msg);
    for (int j = 0; j < GB_XV_NSETS; j++) {
        cr_assert(memcmp(&r.mse[j], &w.mse[j], 8) == 0 || (isnan(r.mse[j]) && isnan(w.mse[j])), "mse[%d]", j);
        cr_assert(memcmp(&r.u2[j], &w.u2[j], 8) == 0, "u2[%d]", j);
    }
    cr_assert(r.train_mse == w.train_mse && r.lr_final == w.lr_final && isnan(r.learned_k));
    cr_assert(r.epochs == 777 && r.status == 4 && r.halvings == 10 && r.improving == 0);
    cr_assert_eq(gb_xv_result_checksum(&r), gb_xv_result_checksum(&w));

    /* another setting's key: foreign */
    expect_refused(path, "model=mlp row=s4 seed=3 N=32 S=9999", "foreign key");
    /* an edited number: the checksum no longer matches */
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "sed -i 's/\"train_mse\": [^,]*,/\"train_mse\": 2.5,/' '%s'", path);
    cr_assert_eq(system(cmd), 0);
    expect_refused(path, w.key, "checksum");
    /* truncated */
    cr_assert_eq(gb_xv_result_write(&w, path), GB_OK);
    cr_assert_eq(truncate(path, 200), 0);
    expect_refused(path, w.key, "corrupt");
    /* a field of the wrong shape */
    cr_assert_eq(gb_xv_result_write(&w, path), GB_OK);
    snprintf(cmd, sizeof cmd, "sed -i 's/\"epochs\": 777/\"epochs\": \"777\"/' '%s'", path);
    cr_assert_eq(system(cmd), 0);
    expect_refused(path, w.key, "missing or has the wrong shape");
    /* not a stored result at all */
    FILE *f = fopen(path, "w");
    fputs("{\"format\": \"something else\"}\n", f);
    fclose(f);
    expect_refused(path, w.key, "not a stored training result");
    /* a FIFO or a folder in its place is refused without reading */
    unlink(path);
    cr_assert_eq(mkfifo(path, 0600), 0);
    expect_refused(path, w.key, "not a regular file");
    unlink(path);
    cr_assert_eq(mkdir(path, 0700), 0);
    expect_refused(path, w.key, "not a regular file");
    rmdir(path);
    snprintf(cmd, sizeof cmd, "rm -r '%s'", d);
    cr_assert_eq(system(cmd), 0);
    free(d);
}
