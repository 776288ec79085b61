/* The benchmark opened to models written elsewhere (SPEC §8).
 *
 * export: DIR/manifest.json, DIR/x.npy (the n = N+1 nodes) and, for each of the 25 sets in the
 *   order of SPEC §2, DIR/train/<label>_f.npy, _u.npy and DIR/test/<label>_f.npy, _u.npy
 *   (float64, shape samples × n). The manifest records the conventions, the seeds and a content
 *   hash: 64-bit FNV-1a over the raw little-endian doubles of x, then per set train f, train u,
 *   test f, test u.
 * score: the outside model writes, beside a copy of manifest.json, one file per pair,
 *   pred_<train>_<test>.npy (samples × n): its predictions for test/<test>_f.npy after training on
 *   train/<train>. The scorer regenerates the data from the manifest's parameters, checks the
 *   hash, and builds the same matrix as `greenbound xval`. */
#ifndef GB_XVAL_EXCHANGE_H
#define GB_XVAL_EXCHANGE_H

#include "xval/xval.h"

#define GB_XV_FORMAT "greenbound-xval-1"

unsigned long long gb_xv_content_hash(const gb_xv_data *D);

/* writes the data sets under dir (which must not exist, or be empty), through a temporary
 * folder renamed into place: on failure nothing is left at dir */
int gb_xv_export(const gb_xv_data *D, const char *dir, char *msg, size_t len);

/* reads pred_dir (manifest.json and the 625 predictions) into X (model name `name`) and the
 * options the data were made with; every failure names the file and writes nothing. pred_dir may
 * also be an .npz archive of the 625 predictions (numpy.savez or savez_compressed), scored with the
 * manifest.json beside it. */
int gb_xv_score(gb_xv_matrix *X, gb_xv_opts *o, const char *pred_dir, const char *name, char *msg, size_t len);

#endif
