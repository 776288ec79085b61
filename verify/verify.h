/* Verification programs: one function per claim of doc/spec.md, each reading like the
 * paper — hypothesis, prediction, experiment, comparison, verdict — with the
 * mechanics in src/. */
#ifndef GB_VERIFY_H
#define GB_VERIFY_H

#include "claim/claim.h"
#include "data/data.h"
#include "experiment/fd_case.h"
#include "stats/stats.h"
#include "npde/nkdv.h"

typedef struct {
    const char *out;         /* report directory */
    long S;                  /* samples per data set */
    unsigned long seed;
    double k;
    mpfr_prec_t prec;        /* p; predictions are also evaluated at 2p */
    gb_law law;
    int quick;               /* CI tier: fewer grid levels */
    double stencil_fault;    /* mutation check: learner's a_0 += fault */
    double solution_fault;   /* mutation check: exact u of the last term × (1 + fault) */
    int fault;               /* mutation check of one prediction or measurement: GB_FAULT_* */
    int progress;            /* one line per case on stderr */
    int tier;                /* gb_tier of the statistical claims: 0 CI tier (trained now), 1 full tier (stored) */
    const char *results;     /* full tier: the store of trainings (results/full) */
    int seeds;               /* seeds of a statistical claim (0: the tier's 5; trends max(seeds, 10)) */
    int pattern_fault;       /* mutation check of the statistical claims: every rule's predicted side flipped */
    double noise;            /* XV-NOISE: std of the label noise on the training sets' interior nodes (> 0) */
    gb_equation equation;    /* the data's equation (gb_verify_spec): Poisson, or the biharmonic of BH-1…3 */
} gb_verify_opts;

enum {
    GB_FAULT_NONE = 0,
    GB_FAULT_PROJECTOR = 1, /* I in place of U Uᵀ */
    GB_FAULT_SIGN = 2,      /* -A */
    GB_FAULT_GREEN = 3,     /* A_G × 1.001 in the closed forms that compare with it */
    GB_FAULT_STEP = 4,      /* the T-step closed form evaluated with η/2 */
    GB_FAULT_WSTAR = 5,     /* the learned-coefficient closed forms without the data's truncation: w = k in
                             * place of w*_∞ (XV-FD, OPP-1), ν̂ = ν (NPDE-1) */
    GB_FAULT_NOISE = 6,     /* XV-NOISE's expected noise term with twice the variance */
    GB_FAULT_CONSTANT = 7,  /* FD-2's μ_q(p) and FD-5's c_q π^q Σm^q/p × 1.01; NPDE-7 expects the rate max(p, k) */
    GB_FAULT_LOAD = 8,      /* FD-7 predicts with the other FEM load vector */
    GB_FAULT_TRAINING = 9,  /* a perturbed training result: FD-1's learned w × (1 + 1e-9), LIN-1's W × (1 + 1e-6) */
    GB_FAULT_GRID = 10,     /* an off-by-one grid in a prediction: FD-4's θ = nπ/(N+1), NPDE-0's mode M + 1 */
};
/* the name of a fault kind for --fault, and the kind of a name (0 for an unknown one) */
const char *gb_fault_name(int fault);
int gb_fault_parse(const char *name);

void gb_verify_opts_default(gb_verify_opts *o);

typedef struct {
    const char *id, *title;
    int (*run)(gb_claim_t c, const gb_verify_opts *o);
    const char *folder;      /* report sub-folder of the output directory (NULL: the directory itself) */
    int tiered;              /* a statistical claim about trained networks: run in both tiers (SPEC §8) */
    /* traceability (SPEC §10): the label, what of the paper it cites (only what SPEC's header names:
     * Theorem 3.1/3.2, Fig. 1/7/8, abstract; NULL: nothing), its SPEC section, program and doc page */
    const char *label, *cite, *spec, *program, *doc;
} gb_verify_entry;

extern const gb_verify_entry gb_verify_registry[];
extern const int gb_verify_count;
const gb_verify_entry *gb_verify_find(const char *id);

/* runs one claim, writes its report (unless o->out is NULL), returns its verdict (ERROR when the report
 * could not be written, which gb_verify_write_failures counts: a runtime error, exit 3) */
gb_verdict gb_verify_run(const gb_verify_entry *e, const gb_verify_opts *o);
int gb_verify_write_failures(void);

/* shared pieces of the Theorem 3.1 programs */
int gb_verify_grid(const gb_verify_opts *o, long *N, int q);   /* levels with N ≥ q + 2 */
gb_data_spec gb_verify_spec(const gb_verify_opts *o, gb_family fam, int p, long N);
gb_fd_case_opts gb_verify_case_opts(const gb_verify_opts *o, int want_fs);
const gb_fd_case *gb_verify_case(const gb_verify_opts *o, const gb_data_spec *spec, int q, int want_fs);
/* Spearman rank correlation of x and y (n ≤ 64; ties get their mean rank) */
/* records one prediction evaluated at p and 2p bits (agree = 1 when their printed digits match) */
void gb_verify_dual_record(int agree);
/* an MPFR prediction fn(res, arg) (status 0 on success) evaluated with res at the claim's precision p and at 2p:
 * v (the p value, rounded to double; below 2^-(p-64) it is 0, gb_digits_agree_at), the agreement of the two in
 * the printed digits recorded as above and returned; −1 when fn fails (nothing recorded) */
int gb_verify_dual(double *v, const gb_verify_opts *o, int (*fn)(mpfr_t res, const void *arg), const void *arg);
/* the same for n values fn(out, prec, arg) computes in MPFR at prec bits (status 0 on success): out gets the
 * p values, unchanged; every entry must agree with its 2p value in the printed digits (1), else 0; −1 when fn
 * or memory fails (nothing recorded) */
int gb_verify_dual_array(double *out, long n, const gb_verify_opts *o,
                         int (*fn)(double *out, mpfr_prec_t prec, const void *arg), const void *arg);
/* the same for n experiments of w values each, out[i·w + j] (fn as above), each recorded on its own: out gets
 * the p values, unchanged; experiment i agrees when each of its w entries matches its 2p value in the printed
 * digits (agree[i], unless agree is NULL); returns how many disagree, −1 when fn or memory fails (nothing
 * recorded) */
long gb_verify_dual_rows(double *out, int *agree, long n, long w, const gb_verify_opts *o,
                         int (*fn)(double *out, mpfr_prec_t prec, const void *arg), const void *arg);
/* G (Poisson) or G₄ (biharmonic) for modes = 0, else its projection G_p, on N intervals at p and 2p through
 * gb_verify_dual_array: INCONCLUSIVE on c if an entry differs in the printed digits, ERROR if memory fails */
void gb_verify_green(gb_claim_t c, const gb_verify_opts *o, double *G, gb_equation eq, long N, double k, long modes);
/* the run's parameters a claim used (GB_USES_*: a report prints only those), then `extra` */
enum {
    GB_USES_DATA = 1,     /* seed, k, coefficient law; exact solutions in MPFR rounded once */
    GB_USES_SAMPLES = 2,  /* the option S (claims that fix their own sample counts say so in `extra`) */
    GB_USES_MPFR = 4,     /* predictions evaluated at p and 2p bits */
};
void gb_verify_params(gb_claim_t c, const gb_verify_opts *o, int uses, const char *extra);
/* the Theorem 3.1 learner's grid, settings, round-off floor and sampling rule */
void gb_verify_params_fd(gb_claim_t c, const gb_verify_opts *o);
/* a printed prediction x (a double rounded from MPFR at o->prec bits) against its certified Arb ball b:
 * counted on c (the report's "certified" row); outside is a FAIL naming `what` and the ball. The ball goes
 * to enc when enc is not NULL. A value below 2^-(p-64) is zero at the working precision (it prints as 0,
 * gb_digits_agree_at). Returns 1 when inside. */
#include <arb.h>
int gb_verify_certify(gb_claim_t c, const gb_verify_opts *o, const arb_t b, double x, const char *what, char *enc,
                      size_t len);

/* the rate rule of SPEC §4 on n levels (log err against log dx, finest-3 slope within GB_RATE_TOL of `order`): a verdict
 * other than PASS is judged on c as "<what>: <why>"; the finest-3 slope in *slope (NaN when the fit fails) */
gb_verdict gb_verify_order(gb_claim_t c, const char *what, const double *dx, const double *err, int n, double order,
                           double *slope);

/* a rational rounded to the nearest double, as a printed prediction is (mpq_get_d truncates) */
double gb_verify_q_to_d(const mpq_t x);
/* the same for a case's infinite-data prediction w* / k − 1 (poly, cos or sin data), against the ball of
 * gb_enclose_fd_lsq */
int gb_verify_certify_inf(gb_claim_t c, const gb_verify_opts *o, const gb_fd_case *k, const char *what);

/* the per-case sampling threshold: |measured - infinite-data prediction| ≤ Z se + floor */
#define GB_Z_SAMPLING 4.0
/* the rate sweep's check of the constant's 1 + O(Δx): the largest |c_N| N over the finest three levels is at most
 * this × its largest over the coarser levels */
#define GB_K_GROWTH_MAX 1.25
/* the paper's training floor of the linear model in absolute MSE (Fig. 1): LIN-3a's rule, the
 * retired LIN-3 rule LIN-3b reports, NN-FLOOR's linear rule (its registry title quotes it: written as it reads) */
#define GB_PAPER_LINEAR_MSE 1e-20
double gb_verify_dx_pow(long N, int q);
/* a sequence over grids that double settles at a non-zero limit: each change smaller than the one before
 * (n ≥ 3 values) and the last value above `floor` */
int gb_verify_settles(const double *v, int n, double floor);

/* the claim functions */
int gb_verify_fd1(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_fd2(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_fd3(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_fd4(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_fd5(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_bh1(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_bh2(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_bh3(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_p2d1(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_p2d2(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_fd6(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_fd7(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_fd8(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_lin1(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_lin2(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_lin3a(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_lin3b(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_lin4(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_lin5(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_lin6(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_lin7(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_lin8(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_lin9(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_grn1(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_grn2(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_grn3(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_grn4(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_nn1(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_pinn1(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_grn5(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_nnfloor(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_xvlin(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_xv_linear(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_xv_fd(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_opp1(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_xv_noise(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_npde0(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_npde1(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_npde7(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_npde0b(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_npde5(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_npde4(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_npde0k(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_npde6(gb_claim_t c, const gb_verify_opts *o);
/* NPDE-6's rules (r[0..3]: rules 1–4, r[4]: rule 3 as first written; flip: the pattern fault) and its judgement of
 * the per-seed statistics s[0..3] (log10 ρ, phase ratio, log10 ρ_J ratio, log10 test-error ratio), with
 * `capped` trainings stopped at the cap still improving; the four intervals in iv */
void gb_npde6_rules(gb_stats_rule r[5], int flip);
/* NPDE-6's data and trained models, made once per run seed (shared with NPDE-4; gb_verify_npde_clear frees them) */
typedef struct kdv_set kdv_set;
int gb_npde6_train(const gb_verify_opts *o, kdv_set **out);
/* verify-full --models npde6: the full tier's ten NPDE-6 trainings that the store dir lacks, over the MPI ranks, each
 * stored as it finishes (resumable); a corrupt or foreign stored model stops the run (GB_EINVAL, msg) */
int gb_npde6_full_run(const char *dir, int progress, char *msg, size_t len);
/* the store's file of the full tier's training i (0..4 matched seeds 1..5, 5..9 mismatched); path holds 4096 */
void gb_npde6_store_file(char *path, const char *dir, int i);
void gb_npde6_clear(void);
/* model i (0..4: matched seeds 1..5, 5..9: mismatched) and the KdV set-up */
gb_nkdv *gb_npde6_model(kdv_set *ks, int i);
const gb_kdv *gb_npde6_problem(const kdv_set *ks);
void gb_npde6_judge(gb_claim_t c, const double *const s[4], long n, int capped, int flip, gb_stats_interval iv[4]);
/* frees the neural PDEs NPDE-5 trains once per run and NPDE-4 reuses */
void gb_verify_npde_clear(void);
int gb_verify_npde2(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_npde3(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_xv_deeplinear(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_xv_mlp(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_xv_deeponet(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_xv_fno(gb_claim_t c, const gb_verify_opts *o);
int gb_verify_xv_pideeponet(gb_claim_t c, const gb_verify_opts *o);

/* rate claims FD-2 and FD-5 share the sweep-and-fit logic */
typedef struct {
    gb_family family;
    int q, p;
    double K;                /* predicted constant of Δx^q (μ_q(p) for poly, c_q π^q Σm^q/p for sin/cos) */
    int gated;               /* 0: run and reported with its own verdict, not folded into the claim's */
    gb_equation equation;    /* Poisson (FD-2, FD-5) or the biharmonic (BH-1) */
} gb_rate_case;
/* runs the grid sweep of one (family, q, p), judges it, adds rows, fits and plot series */
void gb_verify_rate_sweep(gb_claim_t c, const gb_verify_opts *o, const gb_rate_case *rc, int plot);

#endif
