/* The companion paper's neural KdV (SPEC §9): u_t = ϕ(u) − (1/6) D₃ u, the MLP ϕ on the full state replacing
 * ω₀ u_x − (3/2) u u_x and the model keeping the dispersion term with its own scheme D₃ (central order 2, the
 * data's, or 6). It is stepped by the integrating-factor RK4 of npde/ifrk4.h at the data's Δt, the dispersion
 * exact through its symbol, and trained one-shot: the loss is the error of the state at T after the n steps
 * from u₀, differentiated by hand through every step (reverse mode over the four stages). */
#ifndef GB_NPDE_NKDV_H
#define GB_NPDE_NKDV_H

#include "npde/ifrk4.h"
#include "npde/kdv.h"
#include "npde/neural.h"

/* the set-up of NPDE-6: ϕ 256 → 20 → 20 → 20 → 256 [M24 code], GB_NKDV_SUB IF-RK4 steps per Δt (the time error
 * ≥ 100× below the data's space error, shown in the report), the plateau rule's window (SPEC §7) */
#define GB_NKDV_HIDDEN 20
#define GB_NKDV_DEPTH 3
#define GB_NKDV_SUB 8
#define GB_NKDV_WINDOW 50

typedef struct {
    const gb_kdv *k;   /* the grid, Δt and T */
    gb_scheme disp;    /* the model's u_xxx scheme */
    gb_mlp_struct phi;
    long sub;          /* IF-RK4 steps per Δt */
    gb_ifactor E;      /* e^{(h/2)(−1/6) D₃}, h = Δt / sub */
} gb_nkdv;

/* ϕ: N → hidden (× depth) → N, tanh, PyTorch's default initialisation from seed; the dispersion by the central
 * scheme of order disp_order; `sub` IF-RK4 steps per Δt. GB_EINVAL for a bad order, size or sub < 1,
 * GB_ENOMEM. */
int gb_nkdv_init(gb_nkdv *m, const gb_kdv *k, int disp_order, long sub, long hidden, int depth, unsigned long seed);
void gb_nkdv_clear(gb_nkdv *m);
/* R ((n + 1) × N): u0 and the states after each of n intervals Δt; GB_ENONFIN when a state stops being finite (the rest of R is NaN) */
int gb_nkdv_rollout(double *R, gb_nkdv *m, const double *u0, long n);
/* u advanced in place by time t, a multiple of the model's step h = Δt / sub (GB_EINVAL otherwise); work 6N;
 * GB_ENOMEM */
int gb_nkdv_advance(gb_nkdv *m, double *u, double t, double *work);
/* the one-shot loss (1/N) ‖u_n − target‖² after n intervals Δt from u0, its gradient in grad (NULL: the loss only);
 * NaN when a state stops being finite or memory runs out */
double gb_nkdv_loss(gb_nkdv *m, const double *u0, const double *target, long n, double *grad);
/* Adam on the one-shot loss under o (gb_npde_adam: the cap, the rate, the plateau rule); the outcome in r */
int gb_nkdv_train(gb_nkdv *m, const double *u0, const double *target, long n, const gb_train_opts *o,
                  gb_train_result *r);
/* on the states U (n × N): ‖ϕ − T_k‖ and ‖ϕ − P‖ relative to ‖T_k‖, P = ω₀ D1 u − (3/2) u D1 u the data's discrete
 * term that ϕ replaces (D1, D3 of m->k: the data's schemes) and T_k = P − (1/6)(D3 − D3_model) u the data's
 * right-hand side minus the model's known part; NaN when memory runs out */
void gb_nkdv_learned_term(double *dT, double *dP, const gb_nkdv *m, const double *U, long n);
/* J (N × N, row-major): J_ij = ∂u_n,i / ∂u0_j, the Jacobian of the model's flow map over n intervals Δt, by N
 * reverse passes, one per row */
int gb_nkdv_flow_jacobian(double *J, gb_nkdv *m, const double *u0, long n);

#endif
