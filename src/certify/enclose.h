/* Certified enclosures of closed forms in ball arithmetic (Arb). An MPFR prediction is a floating-point
 * value whose digits SPEC §10 checks by agreement at p and 2p bits; a ball computed by Arb contains the
 * exact value with proof, so a prediction whose printed (double) value lies inside its ball, widened by
 * the rounding to double, has every printed digit proven. */
#ifndef GB_CERTIFY_ENCLOSE_H
#define GB_CERTIFY_ENCLOSE_H

#include <arb.h>
#include <stddef.h>

/* FD-4: w* / k = θ²/σ_q(θ), θ = nπ/N, σ_q(θ) = 2 Σ_{m=1}^{q/2} (2 sin(θ/2))^{2m} / (m² C(2m, m)) */
void gb_enclose_single_mode(arb_t w, int q, long n, long N, slong prec);
/* FD-5, sines and q = 2: w* / k = Σ r_m / Σ r_m², r_m = σ_2(θ_m)/θ_m², θ_m = mπ/N, m = 1..p */
void gb_enclose_sine_q2(arb_t ratio, int p, long N, slong prec);
/* G(x_i, x_j) = min(x,s)(1 − max(x,s))/k on N intervals, and its p-mode eigen-expansion
 * G_p = Σ_{m≤p} 2 sin(mπx) sin(mπs)/(k m²π²) (modes = 0: G itself) */
void gb_enclose_green(arb_t g, long i, long j, long N, double k, long modes, slong prec);

/* does the double x lie in the ball b widened by half an ulp of x (the rounding to double)? */
int gb_enclose_contains_double(const arb_t b, double x);
/* the ball as "[mid +/- rad]" with `digits` significant digits */
void gb_enclose_str(char *buf, size_t len, const arb_t b, slong digits);

#endif
