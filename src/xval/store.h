/* The store of trained cross-validation rows: one JSON file per training (model, data set, seed),
 * named by its parameters and holding the key that produced it, so that a long run (the full tier
 * of SPEC §8) can stop at any point and continue, and a finished one re-renders its reports without
 * training. A file is accepted only if its key equals the key asked for, character for character,
 * and its checksum matches its numbers: results of other settings are never mixed in.
 *
 *   <dir>/<model>/<row>-seed<seed>-<hash>.json   hash = FNV-1a 64 of the key, 16 hex digits
 *
 * Numbers are written with 17 significant digits (they read back bit for bit); NaN as null and
 * ±∞ as the strings "inf", "-inf". The checksum is FNV-1a 64 over the key and the numbers in the
 * order of gb_xv_result (doubles as IEEE-754 little-endian bytes, NaN canonical; integers as
 * 64-bit little-endian). Wall times are not stored: they are not reproducible. */
#ifndef GB_XVAL_STORE_H
#define GB_XVAL_STORE_H

#include "xval/xval.h"

#define GB_XV_STORE_FORMAT "greenbound-training/1"
#define GB_XV_KEY_MAX 1024

typedef struct {
    char key[GB_XV_KEY_MAX];      /* every parameter of the training, canonical text */
    double mse[GB_XV_NSETS];      /* absolute test MSE on each test set */
    double u2[GB_XV_NSETS];       /* mean u² of each test set (relative MSE = mse / u2) */
    double train_mse, train_loss; /* on the training set, after training */
    double learned_k;             /* fd, pinn: the learned coefficient; else NaN */
    double lr_final;              /* networks: the rate at the end */
    double green_dist;            /* ‖Ĝ − G‖_F/‖G‖_F of the trained model's probes (SPEC §6) */
    long epochs, steps;
    long status, halvings, improving;   /* gb_train_status; plateau rule (improving −1: no rule) */
} gb_xv_result;

/* the file of a training: dir/model/row-seedS-hash.json */
void gb_xv_result_path(char *buf, size_t len, const char *dir, const char *model, const char *row, unsigned long seed,
                       const char *key);
/* the checksum of a result */
unsigned long long gb_xv_result_checksum(const gb_xv_result *r);
/* writes the result atomically (folders made as needed) */
int gb_xv_result_write(const gb_xv_result *r, const char *path);
/* reads path into r and checks it against key: GB_ENOENT when there is no file; GB_EINVAL with msg
 * for a file that is not a stored result, holds another key (foreign), or whose checksum or shape is
 * wrong (corrupt) */
int gb_xv_result_read(gb_xv_result *r, const char *path, const char *key, char *msg, size_t len);

#endif
