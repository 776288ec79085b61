/* Little-endian fields of the binary formats (checkpoints, .npy arrays), packed byte by byte so that a file
 * means the same on every host; doubles travel as their IEEE-754 bit patterns. */
#ifndef GB_CORE_BYTES_H
#define GB_CORE_BYTES_H

#include <stdint.h>
#include <string.h>

static inline unsigned char *gb_le_put(unsigned char *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (unsigned char)(v >> (8 * i));
    return p + n;
}

static inline uint64_t gb_le_get(const unsigned char *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static inline unsigned char *gb_le_put_double(unsigned char *p, double x)
{
    uint64_t v;
    memcpy(&v, &x, 8);
    return gb_le_put(p, v, 8);
}

static inline double gb_le_get_double(const unsigned char *p)
{
    uint64_t v = gb_le_get(p, 8);
    double x;
    memcpy(&x, &v, 8);
    return x;
}

#endif
