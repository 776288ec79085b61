/* NumPy .npz archives (numpy.savez and numpy.savez_compressed): ZIP files of .npy members, stored or deflated.
 * 'greenbound score' takes one in place of a folder of predictions: its members are unpacked into a private
 * folder and scored from there, through the same checks as .npy files. */
#ifndef GB_XVAL_NPZ_H
#define GB_XVAL_NPZ_H

#include <stddef.h>

/* the most an archive may unpack to, in all (its members are predictions: 625 × samples × nodes doubles) */
#define GB_NPZ_MAX_BYTES (16ULL << 30)

/* unpacks every member of the archive `npz` into the existing folder `dir`. Refused, with msg naming the archive
 * and the member: a member name that is not a plain file name ending in .npy (a '/' or "..", a duplicate), a
 * compression other than stored or deflate, a size over GB_NPZ_MAX_BYTES or larger than its header says, a CRC
 * that does not match, ZIP64 or multi-disk archives, and anything truncated. GB_OK, GB_EINVAL or GB_EIO. */
int gb_npz_extract(const char *npz, const char *dir, char *msg, size_t len);

#endif
