/* NumPy .npy files (format versions 1.0-3.0) holding float64 arrays of one or two dimensions,
 * little-endian, C order: the exchange format of the cross-validation benchmark for models
 * written outside this project (numpy.save / numpy.load read and write it). */
#ifndef GB_XVAL_NPY_H
#define GB_XVAL_NPY_H

#include <stddef.h>

/* writes rows × cols doubles (cols = 0: a 1-D array of `rows`) atomically to path */
int gb_npy_write(const char *path, const double *a, long rows, long cols);

/* reads a float64 array; *a is malloc'd, *rows and *cols receive the shape (cols = 0 for 1-D).
 * On failure nothing is allocated and msg names what is wrong with the file. */
int gb_npy_read(const char *path, double **a, long *rows, long *cols, char *msg, size_t len);

/* the shape of a .npy file from its header alone (the same checks as gb_npy_read, no data read) */
int gb_npy_shape(const char *path, long *rows, long *cols, char *msg, size_t len);

#endif
