#include "verify.h"
#include "lin_common.h"
#include "certify/enclose.h"
#include "core/status.h"
#include "core/str.h"
#include "xval/pattern.h"
#include "predict/fd_predict.h"
#include "predict/lin_predict.h"
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* how many experiments of the running claim had their predictions at p and 2p compared */
static long dual_checked, dual_disagree;

const gb_verify_entry gb_verify_registry[] = {
    {"FD-1", "Polynomial data of degree p < q: w* = k exactly", gb_verify_fd1, NULL, 0,
         "[paper]", "Theorem 3.1", "§4", "verify/fd1.c", "doc/theorem-3.1.md"},
    {"FD-2", "Polynomial data, p ≥ q: relative bias μ_q(p) Δx^q, order q", gb_verify_fd2, NULL, 0,
         "[paper]", "Theorem 3.1", "§4", "verify/fd2.c", "doc/theorem-3.1.md"},
    {"FD-3", "Richer data hurts: the bias grows strictly with p", gb_verify_fd3, NULL, 0,
         "[paper]", "Theorem 3.1", "§4", "verify/fd3.c", "doc/theorem-3.1.md"},
    {"FD-4", "A single sine mode: w* = k θ²/σ_q(θ) for any amount of data", gb_verify_fd4, NULL, 0,
         "[derived]", "Theorem 3.1", "§4", "verify/fd4.c", "doc/theorem-3.1.md"},
    {"FD-5", "Sine and cosine mixtures: bias c_q π^q Δx^q Σ m^q / p", gb_verify_fd5, NULL, 0,
         "[derived]", "Theorem 3.1", "§4", "verify/fd5.c", "doc/theorem-3.1.md"},
    {"FD-6", "Inverse parametrisation v = 1/w: the bias is a finite Taylor sum", gb_verify_fd6, NULL, 0,
         "[derived]", "Theorem 3.1", "§4", "verify/fd6.c", "doc/theorem-3.1.md"},
    {"FD-7", "FEM data: the bias does not vanish as Δx → 0", gb_verify_fd7, NULL, 0,
         "[derived]", "Theorem 3.1", "§4", "verify/fd7.c", "doc/theorem-3.1.md"},
    {"FD-8", "FD2 discrete Green's identity (k L_h)⁻¹ = Δx G", gb_verify_fd8, NULL, 0,
         "[derived]", NULL, "§4", "verify/fd8.c", "doc/theorem-3.1.md"},
    {"BH-1", "Biharmonic (Fig. 8a): Theorem 3.1 for the 5-point stencil, order 2", gb_verify_bh1, NULL, 0,
         "[paper + derived]", "Fig. 8", "§11", "verify/bh1.c", "doc/biharmonic.md"},
    {"BH-2", "Biharmonic: Theorem 3.2 and the Green's lens, Ĝ = G₄ projected on the span", gb_verify_bh2, NULL, 0,
         "[paper + derived]", "Fig. 8", "§11", "verify/bh2.c", "doc/biharmonic.md"},
    {"BH-3", "Biharmonic: the linear model's 25 × 25 matrix equals its closed form", gb_verify_bh3, NULL, 0,
         "[paper + derived]", "Fig. 8", "§11", "verify/bh3.c", "doc/biharmonic.md"},
    {"P2D-1", "2-D Poisson (Fig. 8b): the cross-validation mask is the Kronecker product of the 1-D masks",
         gb_verify_p2d1, NULL, 0, "[paper + convention]", "Fig. 8", "§11", "verify/p2d1.c", "doc/poisson-2d.md"},
    {"P2D-2", "2-D Poisson: the Green's lens, Ĝ = A (P_X ⊗ P_Y) e_j / h²", gb_verify_p2d2, NULL, 0,
         "[paper + derived]", "Fig. 8", "§11", "verify/p2d2.c", "doc/poisson-2d.md"},
    {"LIN-1", "Gradient descent converges to W* = A P + W⁰(I - P)", gb_verify_lin1, NULL, 0,
         "[paper]", "Theorem 3.2", "§5", "verify/lin1.c", "doc/theorem-3.2.md"},
    {"LIN-2", "Linear convergence of GD with factor (κ-1)/(κ+1)", gb_verify_lin2, NULL, 0,
         "[derived]", NULL, "§5", "verify/lin2.c", "doc/theorem-3.2.md"},
    {"LIN-3a", "Fig. 1: loss at machine precision, W a fixed distance from A_G for any S and N", gb_verify_lin3a, NULL, 0,
         "[paper + derived]", "Fig. 1", "§5", "verify/lin3a.c", "doc/theorem-3.2.md"},
    {"LIN-3b", "A falling loss is not convergence: " GB_STR(GB_LIN3B_DECADES) " decades down, the slowest error "
               "untouched (poly p = " GB_STR(GB_LIN3B_P) ")",
         gb_verify_lin3b, NULL, 0, "[derived]", NULL, "§5", "verify/lin3b.c", "doc/theorem-3.2.md"},
    {"LIN-4", "The trained model's error on any test forcing, predicted from the data alone (T-step GD)", gb_verify_lin4, NULL, 0,
         "[derived]", "Theorem 3.2", "§5", "verify/lin4.c", "doc/theorem-3.2.md"},
    {"LIN-5", "Nested training spaces: lower-triangular test errors", gb_verify_lin5, NULL, 0,
         "[paper + derived]", "Theorem 3.2", "§5", "verify/lin5.c", "doc/theorem-3.2.md"},
    {"LIN-6", "Generalisation lower bound for isotropic test inputs", gb_verify_lin6, NULL, 0,
         "[paper + derived]", "Theorem 3.2", "§5", "verify/lin6.c", "doc/theorem-3.2.md"},
    {"LIN-7", "fem-trained model learns A_FEM; order-4 MSE on sines", gb_verify_lin7, NULL, 0,
         "[derived]", "Theorem 3.2", "§5", "verify/lin7.c", "doc/theorem-3.2.md"},
    {"LIN-8", "Label noise: training floor σ²(1 - r/S), pattern unchanged", gb_verify_lin8, NULL, 0,
         "[paper + derived]", NULL, "§5", "verify/lin8.c", "doc/theorem-3.2.md"},
    {"LIN-9", "Data volume and grid do not help, the span does: the out-of-span error is flat in S ≥ r", gb_verify_lin9,
         NULL, 0, "[paper + derived]", "Theorem 3.2", "§5", "verify/lin9.c", "doc/theorem-3.2.md"},
    {"GRN-1", "Green's function from weights: FD-generated data give Ĝ = G", gb_verify_grn1, NULL, 0,
         "[paper + derived]", NULL, "§6", "verify/grn.c", "doc/greens-functions.md"},
    {"GRN-2", "Consistent fem data: Ĝ = G - (Δx/6k)δ, W⁻¹ not banded", gb_verify_grn2, NULL, 0,
         "[paper + derived]", NULL, "§6", "verify/grn.c", "doc/greens-functions.md"},
    {"GRN-3", "Sine data: Ĝ is the truncated eigen-expansion G_p", gb_verify_grn3, NULL, 0,
         "[paper + derived]", NULL, "§6", "verify/grn.c", "doc/greens-functions.md"},
    {"GRN-4", "poly/cos data: Ĝ = W* e_j/Δx entry by entry, a closed-form distance from G", gb_verify_grn4, NULL, 0,
         "[paper + derived]", NULL, "§6", "verify/grn.c", "doc/greens-functions.md"},
    {"NN-1", "Invariance lemma: W₁(I - UUᵀ) frozen under GD, SGD, momentum; not under Adam", gb_verify_nn1, NULL, 0,
         "[derived]", NULL, "§7", "verify/nn.c", "doc/model-classes.md"},
    {"PINN-1", "PINN inverse problem: the error in k grows with p on polynomial data", gb_verify_pinn1, NULL, 1,
         "[paper]", NULL, "§7, §10", "verify/pinn1.c", "doc/model-classes.md"},
    {"GRN-5", "Green's function probes of every model class", gb_verify_grn5, NULL, 1,
         "[paper]", NULL, "§6, §10", "verify/grn5.c", "doc/model-classes.md"},
    {"NN-FLOOR", "Training floors: linear ~" GB_STR(GB_PAPER_LINEAR_MSE) ", PI-DeepONet ~"
         GB_STR(GB_PAT_PIDEEPONET_FLOOR), gb_verify_nnfloor, NULL, 1,
         "[paper]", NULL, "§7, §10", "verify/nnfloor.c", "doc/model-classes.md"},
    {"NPDE-0", "Heat equation: the data's solver has the order it claims (mode decay against the PDE's)", gb_verify_npde0,
         NULL, 0, "[derived]", NULL, "§9", "verify/npde0.c", "doc/neural-pde.md"},
    {"NPDE-1", "Heat equation: a learned diffusivity is the schemes' truncation ratio, exact only when they match",
         gb_verify_npde1, NULL, 0, "[M24 + derived]", NULL, "§9", "verify/npde1.c", "doc/neural-pde.md"},
    {"NPDE-2", "Heat equation: a learned correction stencil is the truncation difference of the schemes", gb_verify_npde2,
         NULL, 0, "[M24 + derived]", NULL, "§9", "verify/npde2.c", "doc/neural-pde.md"},
    {"NPDE-3", "Heat equation: rollouts drift by the schemes' mismatch, least on the diagonal, more for higher modes",
         gb_verify_npde3, NULL, 0, "[M24 + derived]", NULL, "§9", "verify/npde3.c", "doc/neural-pde.md"},
    {"NPDE-7", "Heat equation: the learned truncation gap closes at rate min(p, k) under refinement", gb_verify_npde7,
         NULL, 0, "[derived]", NULL, "§9", "verify/npde7.c", "doc/neural-pde.md"},
    {"NPDE-0B", "Burgers: the data's solver has the order it claims (against Cole–Hopf)", gb_verify_npde0b, NULL, 0,
         "[derived]", NULL, "§9", "verify/npde_burgers.c", "doc/neural-pde.md"},
    {"NPDE-5", "Burgers: a neural PDE learns the data's discrete right-hand side, not the physics", gb_verify_npde5,
         NULL, 0, "[M24 + derived]", NULL, "§9", "verify/npde_burgers.c", "doc/neural-pde.md"},
    {"NPDE-4", "Burgers and KdV: the Jacobian's eigenvalues at the start predict whether a neural PDE's rollout grows",
         gb_verify_npde4, NULL, 0, "[M24 + derived]", NULL, "§9", "verify/npde_burgers.c", "doc/neural-pde.md"},
    {"NPDE-0K", "KdV: the data's solver has the order it claims (manufactured solution; RK4 substeps)",
         gb_verify_npde0k, NULL, 0, "[derived]", NULL, "§9", "verify/npde_kdv.c", "doc/neural-pde.md"},
    {"NPDE-6", "KdV: a mismatched neural PDE absorbs the dispersion-scheme difference; its flow map's Jacobian "
               "orders the test errors", gb_verify_npde6, NULL, 1, "[M24 + derived]", NULL, "§9",
         "verify/npde_kdv_neural.c", "doc/neural-pde.md"},
    {"XV-LIN", "Cross-validation: the linear model's 25 × 25 matrix equals its closed form", gb_verify_xvlin, "xval", 0,
         "[derived]", "Theorem 3.2", "§8", "verify/xvlin.c", "doc/cross-validation.md"},
    {"XV-PATTERN-linear", "Cross-validation pattern: linear, three lower-triangular blocks (U, X)", gb_verify_xv_linear, "xval", 1,
         "[paper + convention]", NULL, "§8, §10", "verify/xv_pattern.c", "doc/cross-validation.md"},
    {"XV-FD", "Cross-validation: the learned FD_2 model solving its own equation, against the closed form from w*_∞",
         gb_verify_xv_fd, "xval", 0, "[derived]", NULL, "§8", "verify/xvfd.c", "doc/cross-validation.md"},
    {"XV-NOISE", "Fig. 7: label noise lifts the in-span entries to σ² (N−1)/(N+1) tr(Σ_j K), the walls stay",
         gb_verify_xv_noise, "xval", 0, "[paper + derived]", "Fig. 7", "§8", "verify/xvnoise.c", "doc/cross-validation.md"},
    {"OPP-1", "Opposing behaviours: FD's error rises with p, the linear model's falls", gb_verify_opp1, "xval", 0,
         "[paper + derived]", "abstract", "§8", "verify/opp1.c", "doc/cross-validation.md"},
    {"XV-PATTERN-deeplinear", "Cross-validation pattern: deep linear, partly lower-triangular", gb_verify_xv_deeplinear, "xval", 1,
         "[paper + convention]", NULL, "§8, §10", "verify/xv_pattern.c", "doc/cross-validation.md"},
    {"XV-PATTERN-mlp", "Cross-validation pattern: MLP, strongly diagonal (D ≤ −" GB_STR(GB_PAT_MLP_DIAGONAL) ")",
         gb_verify_xv_mlp, "xval", 1, "[paper + convention]", NULL, "§8, §10", "verify/xv_pattern.c",
         "doc/cross-validation.md"},
    {"XV-PATTERN-deeponet", "Cross-validation pattern: DeepONet, block lower-triangular", gb_verify_xv_deeponet, "xval", 1,
         "[paper + convention]", NULL, "§8, §10", "verify/xv_pattern.c", "doc/cross-validation.md"},
    {"XV-PATTERN-fno", "Cross-validation pattern: FNO, block lower-triangular", gb_verify_xv_fno, "xval", 1,
         "[paper + convention]", NULL, "§8, §10", "verify/xv_pattern.c", "doc/cross-validation.md"},
    {"XV-PATTERN-pideeponet", "Cross-validation pattern: PI-DeepONet, lower-triangular with a floor ~"
         GB_STR(GB_PAT_PIDEEPONET_FLOOR), gb_verify_xv_pideeponet, "xval", 1,
         "[paper + convention]", NULL, "§8, §10", "verify/xv_pattern.c", "doc/cross-validation.md"},
};
const int gb_verify_count = sizeof gb_verify_registry / sizeof gb_verify_registry[0];

void gb_verify_opts_default(gb_verify_opts *o)
{
    o->out = "reports";
    o->S = 10000;
    o->seed = 1;
    o->k = 1.0;
    o->prec = 256;
    o->law = GB_LAW_NORMAL;
    o->quick = 0;
    o->noise = 3.1622776601683795e-05;   /* 10^−4.5 (SPEC §8 XV-NOISE) */
    o->stencil_fault = 0.0;
    o->solution_fault = 0.0;
    o->fault = GB_FAULT_NONE;
    o->progress = 0;
    o->tier = 0;
    o->results = "results/full";
    o->seeds = 0;
    o->pattern_fault = 0;
    o->equation = GB_EQ_POISSON;
}

const gb_verify_entry *gb_verify_find(const char *id)
{
    for (int i = 0; i < gb_verify_count; i++)
        if (strcmp(gb_verify_registry[i].id, id) == 0)
            return &gb_verify_registry[i];
    return NULL;
}

static int write_failures;

int gb_verify_write_failures(void)
{
    return write_failures;
}

gb_verdict gb_verify_run(const gb_verify_entry *e, const gb_verify_opts *o)
{
    gb_claim_t c;
    gb_claim_init(c, e->id, 0, NULL);
    c->title = e->title;
    c->label = e->label;
    c->program = e->program;
    c->doc = e->doc;
    dual_checked = dual_disagree = 0;
    int st = e->run(c, o);
    /* the source line comes from the registry alone: only what SPEC's header allows of the paper */
    static char source[160];
    snprintf(source, sizeof source, "%s%s%sSPEC %s %s", e->cite ? e->cite : "", e->cite ? " (arXiv:2506.15199)" : "",
             e->cite ? "; " : "", e->spec, e->id);
    c->source = source;
    if (dual_checked)
        gb_str_printf(&c->notes, "Precision: the predictions of %ld experiments were evaluated at %ld and %ld bits; "
                                 "%ld disagreed in the %d printed digits%s.\n",
                      dual_checked, (long)o->prec, 2 * (long)o->prec, dual_disagree, GB_PRINT_DIGITS,
                      dual_disagree ? " (those cases are INCONCLUSIVE)" : "");
    if (st != GB_OK)
        gb_claim_judge(c, GB_ERROR, "the program could not run: %s", gb_strerror(st));
    char dir[4096];
    if (o->out) {
        mkdir(o->out, 0777);
        snprintf(dir, sizeof dir, "%s%s%s", o->out, e->folder ? "/" : "", e->folder ? e->folder : "");
    }
    if (o->out && gb_claim_write(c, dir) != GB_OK) {
        fprintf(stderr, "greenbound: cannot write the report of %s under %s\n", e->id, dir);
        c->verdict = GB_ERROR;
        write_failures++;
    }
    gb_verdict v = c->verdict;
    gb_claim_clear(c);
    return v;
}

int gb_verify_grid(const gb_verify_opts *o, long *N, int q)
{
    static const long full[] = {16, 24, 32, 48, 64, 96, 128, 192, 256};
    static const long quick[] = {16, 32, 64, 128, 256};
    const long *g = o->quick ? quick : full;
    int ng = o->quick ? 5 : 9, n = 0;
    for (int i = 0; i < ng; i++)
        if (g[i] >= q + 2)
            N[n++] = g[i];
    return n;
}

gb_data_spec gb_verify_spec(const gb_verify_opts *o, gb_family fam, int p, long N)
{
    gb_data_spec s;
    gb_data_spec_default(&s);
    s.family = fam;
    s.p = p;
    s.N = N;
    s.S = o->S;
    s.k = o->k;
    s.seed = o->seed;
    s.law = o->law;
    s.prec = o->prec;
    s.solution_fault = o->solution_fault;
    s.equation = o->equation;
    return s;
}

void gb_verify_dual_record(int agree)
{
    dual_checked++;
    dual_disagree += !agree;
}

int gb_verify_dual(double *v, const gb_verify_opts *o, int (*fn)(mpfr_t res, const void *arg), const void *arg)
{
    double d[2];
    for (int i = 0; i < 2; i++) {
        mpfr_t x;
        mpfr_init2(x, (i + 1) * o->prec);
        int st = fn(x, arg);
        d[i] = mpfr_get_d(x, MPFR_RNDN);
        mpfr_clear(x);
        if (st)
            return -1;
    }
    int agree = gb_digits_agree_at(&d[0], &d[1], o->prec, GB_PRINT_DIGITS);
    gb_verify_dual_record(agree);
    *v = d[0];
    return agree;
}

int gb_verify_dual_array(double *out, long n, const gb_verify_opts *o,
                         int (*fn)(double *out, mpfr_prec_t prec, const void *arg), const void *arg)
{
    if (fn(out, o->prec, arg))
        return -1;
    double *hi = malloc(sizeof(double) * (size_t)n);   /* (after: out holds the p values whatever happens next) */
    if (!hi || fn(hi, 2 * o->prec, arg)) {
        free(hi);
        return -1;
    }
    int agree = 1;
    for (long i = 0; i < n; i++) {
        double a = out[i], b = hi[i];   /* copies: the comparison zeroes values below 2^-(p-64) */
        agree &= gb_digits_agree_at(&a, &b, o->prec, GB_PRINT_DIGITS);
    }
    free(hi);
    gb_verify_dual_record(agree);
    return agree;
}

long gb_verify_dual_rows(double *out, int *agree, long n, long w, const gb_verify_opts *o,
                         int (*fn)(double *out, mpfr_prec_t prec, const void *arg), const void *arg)
{
    if (fn(out, o->prec, arg))
        return -1;
    double *hi = malloc(sizeof(double) * (size_t)(n * w));
    if (!hi || fn(hi, 2 * o->prec, arg)) {
        free(hi);
        return -1;
    }
    long bad = 0;
    for (long i = 0; i < n; i++) {
        int a = 1;
        for (long j = i * w; j < (i + 1) * w; j++) {
            double x = out[j], y = hi[j];   /* copies, as in gb_verify_dual_array */
            a &= gb_digits_agree_at(&x, &y, o->prec, GB_PRINT_DIGITS);
        }
        gb_verify_dual_record(a);
        bad += !a;
        if (agree)
            agree[i] = a;
    }
    free(hi);
    return bad;
}

typedef struct {
    gb_equation eq;
    long N, modes;
    double k;
} green_arg;

static int green_at(double *G, mpfr_prec_t prec, const void *arg)
{
    const green_arg *g = arg;
    gb_lin_green_matrix_eq(G, g->eq, g->N, g->k, g->modes, prec);
    return 0;
}

void gb_verify_green(gb_claim_t c, const gb_verify_opts *o, double *G, gb_equation eq, long N, double k, long modes)
{
    const char *name = eq == GB_EQ_BIHARMONIC ? "G₄" : "G";
    int agree = gb_verify_dual_array(G, (N + 1) * (N + 1), o, green_at, &(green_arg){eq, N, modes, k});
    if (agree < 0)
        gb_claim_judge(c, GB_ERROR, "out of memory for the 2p check of %s", name);
    else if (!agree)
        gb_claim_judge(c, GB_INCONCLUSIVE, "N=%ld modes=%ld: %s differs at p and 2p bits", N, modes, name);
}

gb_fd_case_opts gb_verify_case_opts(const gb_verify_opts *o, int want_fs)
{
    gb_fd_case_opts co;
    co.prec = o->prec;
    co.want_fs = want_fs;
    co.stencil_fault = o->stencil_fault;
    gb_fd_fit_opts_default(&co.fit);
    return co;
}

const gb_fd_case *gb_verify_case(const gb_verify_opts *o, const gb_data_spec *spec, int q, int want_fs)
{
    gb_fd_case_opts co = gb_verify_case_opts(o, want_fs);
    const gb_fd_case *c = gb_fd_case_get(spec, q, &co);
    if (c) {
        dual_checked++;
        dual_disagree += !c->agree;
    }
    if (o->progress && c)
        fprintf(stderr, "  %s p=%d mode=%d q=%d N=%ld S=%ld: w/k-1 = %.6e\n", gb_family_name(spec->family),
                spec->p, spec->mode, q, spec->N, spec->S, c->rel_ls);
    return c;
}

void gb_verify_params(gb_claim_t c, const gb_verify_opts *o, int uses, const char *extra)
{
    if (uses & GB_USES_SAMPLES)
        gb_str_printf(&c->params, "- samples S = %ld\n", o->S);
    if (uses & GB_USES_DATA)
        gb_str_printf(&c->params,
                      "- seed = %lu, k = %.17g, coefficient law %s\n"
                      "- exact solutions in MPFR at %ld bits, rounded once to double\n",
                      o->seed, o->k, o->law == GB_LAW_NORMAL ? "N(0,1)" : "U(-1,1)", (long)o->prec);
    if (uses & GB_USES_MPFR)
        gb_str_printf(&c->params, "- predictions in MPFR at p = %ld and 2p = %ld bits; they must agree in %d printed digits\n",
                      (long)o->prec, 2 * (long)o->prec, GB_PRINT_DIGITS);
    if (o->stencil_fault != 0.0 || o->solution_fault != 0.0 || o->fault)
        gb_str_printf(&c->params, "- **MUTATION RUN**: stencil fault %.3g, solution fault %.3g, linear fault %d\n",
                      o->stencil_fault, o->solution_fault, o->fault);
    if (extra)
        gb_str_printf(&c->params, "%s", extra);
}

void gb_verify_params_fd(gb_claim_t c, const gb_verify_opts *o)
{
    long N[16];
    int n = gb_verify_grid(o, N, 2);
    gb_fd_fit_opts fo;
    gb_fd_fit_opts_default(&fo);
    gb_str_printf(&c->params, "- grid levels N (intervals; N+1 nodes, Δx = 1/N): ");
    for (int i = 0; i < n; i++)
        gb_str_printf(&c->params, "%s%ld", i ? ", " : "", N[i]);
    gb_str_printf(&c->params,
                  " (only N ≥ q+2 for order q)\n"
                  "- learner: least squares and full-batch gradient descent on w (step %.2f/L, stop at |Δw| ≤ %.0e|w|), "
                  "stencil with exact integer weights, sums in long double (%d-bit significand)\n"
                  "- round-off floor: %g σ of the first-order effect of rounding the data to double (adjoint estimate)\n"
                  "- sampling check: |measured − infinite-data prediction| ≤ %.0f SE + floor\n",
                  fo.lr, fo.gd_tol, (int)__LDBL_MANT_DIG__, GB_FD_FLOOR_SIGMAS, GB_Z_SAMPLING);
}

double gb_verify_dx_pow(long N, int q) { return pow(1.0 / (double)N, q); }

static const char *rate_case_cols[] = {"family", "q", "p", "N", "measured w/k-1", "GD w/k-1",
                                       "finite-sample prediction", "infinite-data prediction",
                                       "SE", "floor", "(w/k-1)/dx^q", "in fit"};
static const char *rate_fit_cols[] = {"family", "q", "p", "levels", "dropped", "slope", "CI low", "CI high",
                                      "R2", "slope finest 3", "predicted slope finest 3", "K predicted",
                                      "K measured (finest)", "K correction growth", "pairwise rates (coarse to fine)", "verdict"};

/* per-level checks shared by the rate claims; returns 1 if the level is above the floor */
static int judge_level(gb_claim_t c, const gb_fd_case *k, const char *what)
{
    if (k->fit_status == GB_ENONFIN || (k->fit_status != GB_OK && k->fit_status != GB_EMAXITER)) {
        gb_claim_judge(c, GB_ERROR, "%s: %s", what, gb_strerror(k->fit_status));
        return 0;
    }
    if (k->fit_status == GB_EMAXITER)
        gb_claim_judge(c, GB_INCONCLUSIVE, "%s: gradient descent did not converge", what);
    if (!k->agree)
        gb_claim_judge(c, GB_INCONCLUSIVE, "%s: prediction differs between p and 2p bits", what);
    if (!isnan(k->delta_fs) && fabs(k->rel_ls - k->delta_fs) > k->floor)
        gb_claim_judge(c, GB_FAIL, "%s: measured %.6e differs from the finite-sample exact prediction %.6e by more than the floor %.1e",
                       what, k->rel_ls, k->delta_fs, k->floor);
    double se = k->fit.se_w / k->spec.k;
    if (fabs(k->rel_ls - k->delta_inf) > GB_Z_SAMPLING * se + k->floor)
        gb_claim_judge(c, GB_FAIL, "%s: measured %.6e vs infinite-data prediction %.6e: %.1f SE apart", what,
                       k->rel_ls, k->delta_inf, fabs(k->rel_ls - k->delta_inf) / se);
    if (k->fit_status == GB_OK && fabs(k->rel_gd - k->rel_ls) > k->floor)
        gb_claim_judge(c, GB_FAIL, "%s: gradient descent %.6e did not reach least squares %.6e", what,
                       k->rel_gd, k->rel_ls);
    return fabs(k->rel_ls) > k->floor;
}

void gb_verify_rate_sweep(gb_claim_t c, const gb_verify_opts *o, const gb_rate_case *rc, int plot)
{
    if (!c->fits.ncols)
        gb_claim_set_fits(c, sizeof rate_fit_cols / sizeof *rate_fit_cols, rate_fit_cols);
    if (!c->cases.ncols) {
        c->cases.ncols = sizeof rate_case_cols / sizeof *rate_case_cols;
        c->cases.cols = rate_case_cols;
    }
    long Ns[16];
    int nl = gb_verify_grid(o, Ns, rc->q), m = 0, dropped = 0;
    double dx[16], meas[16], pred[16], cdx[16], corr[16];
    const char *fam = gb_family_name(rc->family);
    char what[96];
    for (int i = 0; i < nl; i++) {
        gb_data_spec spec = gb_verify_spec(o, rc->family, rc->p, Ns[i]);
        spec.equation = rc->equation;
        const gb_fd_case *k = gb_verify_case(o, &spec, rc->q, 1);
        snprintf(what, sizeof what, "%s p=%d q=%d N=%ld", fam, rc->p, rc->q, Ns[i]);
        if (!k) {
            gb_claim_judge(c, GB_ERROR, "%s: out of memory", what);
            continue;
        }
        int above = judge_level(c, k, what);
        if (rc->equation == GB_EQ_POISSON) /* the Arb enclosure is of Poisson's least squares */
            gb_verify_certify_inf(c, o, k, what);
        double dxq = gb_verify_dx_pow(Ns[i], rc->q);
        gb_table_row(&c->cases, fam, (long)rc->q, (long)rc->p, Ns[i], k->rel_ls, k->rel_gd,
                     k->delta_fs, k->delta_inf, k->fit.se_w / o->k, k->floor, k->rel_ls / dxq,
                     above ? "yes" : "no (at floor)");
        if (above) {
            dx[m] = 1.0 / Ns[i];
            meas[m] = k->rel_ls;
            pred[m] = k->delta_inf;
            m++;
        } else
            dropped++;
        cdx[i] = 1.0 / Ns[i];
        corr[i] = k->delta_inf / (rc->K * dxq) - 1.0;
    }
    /* the measured rate, and the exact prediction's own rate on the same levels */
    gb_rate_fit fm = {0}, fp = {0};
    gb_str why;
    gb_str_init(&why);
    gb_verdict v;
    snprintf(what, sizeof what, "%s p=%d q=%d", fam, rc->p, rc->q);
    if (m < 2 || gb_rate_fit_loglog(&fm, dx, meas, m) || gb_rate_fit_loglog(&fp, dx, pred, m)) {
        v = GB_INCONCLUSIVE;
        gb_str_printf(&why, "%d levels above the round-off floor", m);
        fm.n = m;
        fm.slope = fm.ci_lo = fm.ci_hi = fm.r2 = fm.slope_fine3 = fp.slope_fine3 = NAN;
    } else {
        v = gb_verdict_rate(&fm, rc->q, GB_RATE_TOL, &why);
        if (v == GB_FAIL && fabs(fp.slope_fine3 - rc->q) > GB_RATE_TOL &&
            fabs(fm.slope_fine3 - fp.slope_fine3) <= GB_RATE_TOL) {
            v = GB_INCONCLUSIVE;
            gb_str_printf(&why, "; pre-asymptotic: the exact prediction has slope %.3f on the same levels, "
                                "and finer levels are below the round-off floor of double data",
                          fp.slope_fine3);
        }
    }
    /* the constant: c_N = (w*_∞/k - 1)/(K Δx^q) - 1 = O(Δx) means |c_N| N stays bounded.
     * Gate: max over the finest three levels ≤ GB_K_GROWTH_MAX × max over the coarser ones
     * (an O(√Δx) or O(1) correction grows by ≥ 1.6 across these grids). */
    double fine = 0, coarse = 0, kgrowth = NAN;
    for (int i = 0; i < nl; i++) {
        double cn = fabs(corr[i]) / cdx[i];
        if (!isfinite(cn))
            continue;
        if (i >= nl - 3)
            fine = fmax(fine, cn);
        else
            coarse = fmax(coarse, cn);
    }
    if (nl >= 5 && coarse > 0) {
        kgrowth = fine / coarse;
        if (kgrowth > GB_K_GROWTH_MAX) {
            gb_str_printf(&why, "%sthe predicted constant does not approach %.6g at O(Δx): |c_N| N grows by %.3f",
                          why.len ? "; " : "", rc->K, kgrowth);
            v = gb_verdict_worst(v, GB_FAIL);
        }
    }
    if (v != GB_PASS && rc->gated)
        gb_claim_judge(c, v, "%s: %s", what, gb_str_get(&why));
    else if (v != GB_PASS)
        gb_str_printf(&c->notes, "Outside the gate, %s: %s %s.\n\n", what, gb_verdict_name(v), gb_str_get(&why));
    gb_str_clear(&why);
    double kmeas = m ? meas[m - 1] / pow(dx[m - 1], rc->q) : NAN;
    char pair[256] = "";
    for (int i = 0; i + 1 < fm.n && strlen(pair) < sizeof pair - 16; i++)
        snprintf(pair + strlen(pair), sizeof pair - strlen(pair), "%s%.3f", i ? " " : "", fm.pairwise[i]);
    gb_table_row(&c->fits, fam, (long)rc->q, (long)rc->p, (long)fm.n, (long)dropped,
                 fm.slope, fm.ci_lo, fm.ci_hi, fm.r2, fm.slope_fine3, fp.slope_fine3, rc->K, kmeas, kgrowth, pair,
                 gb_verdict_name(v));
    if (plot) {
        char lab[64];
        snprintf(lab, sizeof lab, "%s q=%d p=%d measured", fam, rc->q, rc->p);
        gb_series *s = gb_claim_series(c, lab, 0);
        snprintf(lab, sizeof lab, "%s q=%d p=%d fit", fam, rc->q, rc->p);
        gb_series *f = gb_claim_series(c, lab, 1);
        snprintf(lab, sizeof lab, "%s q=%d p=%d predicted K dx^q", fam, rc->q, rc->p);
        gb_series *pl = gb_claim_series(c, lab, 1);
        for (int i = 0; s && f && pl && i < m; i++) {
            s->x[i] = f->x[i] = pl->x[i] = dx[i];
            s->y[i] = meas[i];
            f->y[i] = exp(fm.intercept) * pow(dx[i], fm.slope);
            pl->y[i] = rc->K * pow(dx[i], rc->q);
        }
        if (s && f && pl)
            s->n = f->n = pl->n = m;
    }
}

int gb_verify_settles(const double *v, int n, double floor)
{
    int ok = n >= 3 && v[n - 1] > floor;
    for (int g = 2; g < n && ok; g++)
        ok = fabs(v[g] - v[g - 1]) < fabs(v[g - 1] - v[g - 2]);
    return ok;
}

static const char *fault_names[] = {"none", "projector", "sign", "green", "step", "wstar", "noise", "constant", "load",
                                    "training", "grid"};

const char *gb_fault_name(int fault)
{
    return fault >= 0 && fault < (int)(sizeof fault_names / sizeof *fault_names) ? fault_names[fault] : "?";
}

int gb_fault_parse(const char *name)
{
    for (int i = 1; i < (int)(sizeof fault_names / sizeof *fault_names); i++)
        if (!strcmp(name, fault_names[i]))
            return i;
    return 0;
}

int gb_verify_certify(gb_claim_t c, const gb_verify_opts *o, const arb_t b, double x, const char *what, char *enc,
                      size_t len)
{
    char ball[96];
    gb_enclose_str(ball, sizeof ball, b, 20);
    if (enc)
        snprintf(enc, len, "%s", ball);
    double v = fabs(x) < ldexp(1.0, -(int)(o->prec - 64)) ? 0.0 : x;
    c->certified++;
    if (gb_enclose_contains_double(b, v)) {
        c->certified_inside++;
        return 1;
    }
    gb_claim_judge(c, GB_FAIL, "%s: the prediction %.17g lies outside its certified enclosure %s", what, x, ball);
    return 0;
}

int gb_verify_certify_inf(gb_claim_t c, const gb_verify_opts *o, const gb_fd_case *k, const char *what)
{
    int terms[16], nb = gb_data_spec_terms(&k->spec, terms);
    arb_t b;
    arb_init(b);
    gb_enclose_fd_lsq(b, NULL, k->spec.family, terms, nb, NULL, 0, k->spec.N, k->q, k->spec.k, 2 * o->prec);
    char w[160];
    snprintf(w, sizeof w, "%s: w*/k − 1 at infinite data", what);
    int in = gb_verify_certify(c, o, b, k->delta_inf, w, NULL, 0);
    arb_clear(b);
    return in;
}

double gb_verify_q_to_d(const mpq_t x)
{
    mpfr_t t;
    mpfr_init2(t, 53);
    mpfr_set_q(t, x, MPFR_RNDN);
    double d = mpfr_get_d(t, MPFR_RNDN);
    mpfr_clear(t);
    return d;
}

gb_verdict gb_verify_order(gb_claim_t c, const char *what, const double *dx, const double *err, int n, double order,
                           double *slope)
{
    gb_rate_fit f;
    gb_str why;
    gb_str_init(&why);
    int bad = gb_rate_fit_loglog(&f, dx, err, n);
    gb_verdict v = bad ? GB_ERROR : gb_verdict_rate(&f, order, GB_RATE_TOL, &why);
    if (v != GB_PASS)
        gb_claim_judge(c, v, "%s: %s", what, bad ? "the rate fit failed" : gb_str_get(&why));
    gb_str_clear(&why);
    *slope = bad ? NAN : f.slope_fine3;
    return v;
}
