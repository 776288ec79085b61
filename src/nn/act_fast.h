/* The activations' element-wise kernels, inlined wherever a loop over a block applies them (src/nn/layers.c,
 * the step floor of src/cli/bench_floor.c): branch-free, so that those loops vectorise, and the same
 * operations everywhere, so that every caller computes the same numbers. */
#ifndef GB_NN_ACT_FAST_H
#define GB_NN_ACT_FAST_H

#include <math.h>
#include <stdint.h>
#include <string.h>

/* GELU in its tanh form, gelu(z) = z/2 (1 + tanh(c (z + 0.044715 z³))), c = √(2/π) */
#define GELU_C 0.7978845608028654
#define GELU_A 0.044715

/* always inlined: into each target clone of its callers (core/simd.h), which then computes fma() in one
 * instruction */
#define GB_INLINE static inline __attribute__((always_inline))

/* tanh(x) = 1 − 2/(e^{2x} + 1), with e^y from y = k ln2 + r, |r| ≤ ln2/2, a degree-13 Taylor
 * polynomial for e^r (truncation < 4e-18) and 2^k assembled in the exponent bits: branch-free, so
 * the callers' loops vectorise. The polynomial is evaluated by Estrin's scheme in fused multiply-adds
 * (four dependent steps instead of thirteen; fma is correctly rounded, so every clone and
 * every CPU computes the same numbers). Absolute error a few ulp of 1 (the relative error near 0
 * is larger than glibc's; activations are summed with O(1) terms, where this is round-off). */
GB_INLINE double fast_exp(double y)
{
    const double log2e = 1.4426950408889634, ln2hi = 6.93147180369123816490e-01,
                 ln2lo = 1.90821492927058770002e-10, shift = 0x1.8p52;
    double kd = y * log2e + shift;
    uint64_t ki;
    memcpy(&ki, &kd, sizeof ki);
    kd -= shift;
    double r = (y - kd * ln2hi) - kd * ln2lo;
    double r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
    double q0 = fma(r, 1.0, 1.0), q1 = fma(r, 1.0 / 6.0, 0.5), q2 = fma(r, 1.0 / 120.0, 1.0 / 24.0),
           q3 = fma(r, 1.0 / 5040.0, 1.0 / 720.0), q4 = fma(r, 1.0 / 362880.0, 1.0 / 40320.0),
           q5 = fma(r, 1.0 / 39916800.0, 1.0 / 3628800.0), q6 = fma(r, 1.0 / 6227020800.0, 1.0 / 479001600.0);
    double s0 = fma(q1, r2, q0), s1 = fma(q3, r2, q2), s2 = fma(q5, r2, q4);
    double t0 = fma(s1, r4, s0), t1 = fma(q6, r4, s2);
    double p = fma(t1, r8, t0);
    uint64_t e = (ki + 1023u) << 52; /* |k| ≤ 60 below, so the exponent stays normal */
    double two_k;
    memcpy(&two_k, &e, sizeof two_k);
    return p * two_k;
}

GB_INLINE double fast_tanh(double x)
{
    double y = x > 20.0 ? 20.0 : (x < -20.0 ? -20.0 : x); /* tanh(±20) = ±1 in double */
    return 1.0 - 2.0 / (fast_exp(2.0 * y) + 1.0);
}

GB_INLINE double gelu(double z)
{
    return 0.5 * z * (1.0 + fast_tanh(GELU_C * (z + GELU_A * z * z * z)));
}

#endif
