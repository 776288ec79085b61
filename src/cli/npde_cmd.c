/* greenbound npde: one run of the companion paper's set-ups (SPEC §9). heat: the learned diffusivity ν̂/ν of a
 * model of order K on data of order P beside its closed form (NPDE-1); burgers: the neural Burgers PDE with the
 * advection scheme K trained on data that advect with P (NPDE-5); gkdv: the neural KdV with dispersion scheme K
 * trained one-shot on data of order P (NPDE-6). */
#include "cli/cli.h"
#include "core/jnum.h"
#include "core/status.h"
#include "npde/burgers.h"
#include "npde/heat.h"
#include "npde/neural.h"
#include "npde/nkdv.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { O_EQUATION = 256, O_DATA_ORDER, O_MODEL_ORDER, O_N, O_MODE, O_NU, O_DT, O_STEPS, O_SEED, O_EPOCHS, O_JSON };

static const gb_cli_opt opts[] = {
    {"equation", O_EQUATION, "E", "heat, burgers or gkdv                                (required)"},
    {"data-order", O_DATA_ORDER, "P", "the data's scheme: 2, 4 or 6; burgers: its advection, up or 2, 4, 6\n"
                                      "(default: heat 2, burgers up, gkdv 2)"},
    {"model-order", O_MODEL_ORDER, "K", "the model's scheme: 2, 4 or 6; burgers: its advection, up or 2, 4, 6;\n"
                                        "gkdv: its dispersion                                 (required)"},
    {"N", O_N, "N", "grid nodes, 8..4096 (default: heat 64, burgers 100, gkdv 256)"},
    {"mode", O_MODE, "M", "heat: the data are the single mode cos(M x), 1..N/2 − 1 (default: modes\n"
                          "1..8 with random coefficients)"},
    {"nu", O_NU, "NU", "diffusivity, finite and > 0 (heat 0.1, burgers 0.03); not gkdv"},
    {"dt", O_DT, "DT", "interval between snapshots, > 0 (default: heat 0.1, burgers and gkdv 0.01)"},
    {"steps", O_STEPS, "T", "snapshot intervals, 1..100000 (default: heat 10, burgers 50, gkdv 100)"},
    {"seed", O_SEED, "X", "non-negative integer seed: heat's coefficients, the MLP's initialisation\n"
                          "(default 1)"},
    {"epochs", O_EPOCHS, "E", "burgers: Adam epochs (default 1000); gkdv: the cap of the plateau rule\n"
                              "(default 2000)"},
    {"json", O_JSON, NULL, "one JSON object with the numbers and the run's parameters"},
    {0}};

const gb_cli_cmd gb_npde_cli = {
    "npde",
    "usage: greenbound npde --equation heat|burgers|gkdv --model-order K [--data-order P] [--N N]\n"
    "                       [--mode M] [--nu NU] [--dt DT] [--steps T] [--seed X] [--epochs E] [--json]",
    "The companion paper's neural-PDE set-ups (arXiv:2411.15101, SPEC §9), one run. heat: fits ν̂ of\n"
    "u_t = ν̂ D_K u to data of the scheme D_P and prints nu_ratio = ν̂/ν beside its closed form (NPDE-1).\n"
    "burgers: trains u_t = −u D_K u + ϕ(u) on Burgers data advected by D_P (NPDE-5). gkdv: trains\n"
    "u_t = ϕ(u) − (1/6) D3_K u one-shot on KdV data of order P (NPDE-6). The trained runs print the\n"
    "learned term's distance to the data's discrete right-hand side minus the model's known part (T)\n"
    "and to the term it replaces (P), and the error of the model's rollout.",
    opts,
    "A time step at which the data solver (or, for gkdv, the models' integrator on the data's\n"
    "right-hand side) stops being finite is refused with exit 2. The verified claims are NPDE-1,\n"
    "NPDE-5 and NPDE-6 of 'greenbound verify' (doc/neural-pde.md)."};

enum { EQ_HEAT = 1, EQ_BURGERS, EQ_GKDV };
static const char *eq_names[] = {"", "heat", "burgers", "gkdv"};

typedef struct {
    int eq;
    int P, K;            /* orders; 1 with the up flag: upwind */
    int Pup, Kup, haveP, haveK;
    long N, steps, epochs;
    int mode;
    double nu, dt;
    int have_nu, have_dt;
    unsigned long seed;
    int json;
} npde_args;

/* 2, 4, 6 or (allow_up) up */
static int parse_order(int *order, int *up, const char *flag, const char *v, int allow_up)
{
    if (allow_up && !strcmp(v, "up")) {
        *order = 1;
        *up = 1;
        return 0;
    }
    if (!strcmp(v, "2") || !strcmp(v, "4") || !strcmp(v, "6")) {
        *order = v[0] - '0';
        *up = 0;
        return 0;
    }
    return usage_error(allow_up ? "%s: expected up, 2, 4 or 6, got '%s'" : "%s: expected 2, 4 or 6, got '%s'", flag, v);
}

static int parse(npde_args *a, int argc, char **argv)
{
    memset(a, 0, sizeof *a);
    a->seed = 1;
    const char *pv = NULL, *kv = NULL;
    int c, rc = 0;
    gb_cli_parser p;
    gb_cli_begin(&p, &gb_npde_cli, argc, argv);
    while (!rc && (c = gb_cli_next(&p)) > 0) {
        const char *v = p.arg, *f = p.flag;
        switch (c) {
        case O_EQUATION:
            a->eq = !strcmp(v, "heat") ? EQ_HEAT : !strcmp(v, "burgers") ? EQ_BURGERS : !strcmp(v, "gkdv") ? EQ_GKDV : 0;
            if (!a->eq)
                return usage_error("--equation: expected heat, burgers or gkdv, got '%s'%s", v, "");
            break;
        case O_DATA_ORDER: pv = v; break;
        case O_MODEL_ORDER: kv = v; break;
        case O_N: rc = parse_long(&a->N, f, v, 8, 4096); break;
        case O_MODE: rc = parse_int(&a->mode, f, v, 1, 2047); break;
        case O_NU: rc = parse_pos_double(&a->nu, f, v, 0); a->have_nu = 1; break;
        case O_DT: rc = parse_pos_double(&a->dt, f, v, 0); a->have_dt = 1; break;
        case O_STEPS: rc = parse_long(&a->steps, f, v, 1, 100000); break;
        case O_SEED: rc = parse_seed(&a->seed, f, v, 0x7fffffffL); break;
        case O_EPOCHS: rc = parse_long(&a->epochs, f, v, 1, 1000000); break;
        case O_JSON: a->json = 1; break;
        }
    }
    if ((rc = gb_cli_stop(c, rc)) || (rc = gb_cli_no_operands(&p)))
        return rc;
    if (!a->eq)
        return usage_error("npde: --equation is required (heat, burgers or gkdv)%s%s", "", "");
    if (!kv)
        return usage_error("npde: --model-order is required (%s)%s",
                           a->eq == EQ_BURGERS ? "up, 2, 4 or 6" : "2, 4 or 6", "");
    int up_ok = a->eq == EQ_BURGERS;
    if ((rc = parse_order(&a->K, &a->Kup, "--model-order", kv, up_ok)))
        return rc;
    if (pv && (rc = parse_order(&a->P, &a->Pup, "--data-order", pv, up_ok)))
        return rc;
    if (!pv) {
        a->P = a->eq == EQ_BURGERS ? 1 : 2;
        a->Pup = a->eq == EQ_BURGERS;
    }
    if (a->mode && a->eq != EQ_HEAT)
        return usage_error("--mode: only taken with --equation heat%s%s", "", "");
    if (a->have_nu && a->eq == EQ_GKDV)
        return usage_error("--nu: not taken with --equation gkdv (its equation has no diffusion)%s%s", "", "");
    if (a->epochs && a->eq == EQ_HEAT)
        return usage_error("--epochs: not taken with --equation heat (its ν̂ is a least-squares fit)%s%s", "", "");
    if (!a->N)
        a->N = a->eq == EQ_HEAT ? 64 : a->eq == EQ_BURGERS ? 100 : 256;
    if (a->mode && a->mode >= a->N / 2) {
        fprintf(stderr, "greenbound: --mode: expected 1..%ld for N = %ld (mode N/2 and above alias lower modes on the "
                        "grid), got '%d'\n", a->N / 2 - 1, a->N, a->mode);
        return EXIT_USAGE;
    }
    if (!a->have_nu)
        a->nu = a->eq == EQ_HEAT ? 0.1 : 0.03;
    if (!a->have_dt)
        a->dt = a->eq == EQ_HEAT ? 0.1 : 0.01;
    if (!a->steps)
        a->steps = a->eq == EQ_HEAT ? 10 : a->eq == EQ_BURGERS ? 50 : 100;
    if (!a->epochs)
        a->epochs = a->eq == EQ_GKDV ? 2000 : 1000;
    return 0;
}

GB_CLI_PARSE_ONLY(parse_only_npde, npde_args, parse)

static void order_name(char *buf, size_t n, int order, int up)
{
    if (up)
        snprintf(buf, n, "up");
    else
        snprintf(buf, n, "%d", order);
}

/* the run's parameters into j (JSON) */
static void params_json(json_t *j, const npde_args *a)
{
    char b[8];
    json_object_set_new(j, "equation", json_string(eq_names[a->eq]));
    order_name(b, sizeof b, a->P, a->Pup);
    json_object_set_new(j, "data_order", json_string(b));
    order_name(b, sizeof b, a->K, a->Kup);
    json_object_set_new(j, "model_order", json_string(b));
    json_object_set_new(j, "N", json_integer(a->N));
    if (a->eq != EQ_GKDV)
        json_object_set_new(j, "nu", gb_json_num(a->nu));
    json_object_set_new(j, "dt", gb_json_num(a->dt));
    json_object_set_new(j, "steps", json_integer(a->steps));
    json_object_set_new(j, "seed", json_integer((json_int_t)a->seed));
}

static void print_json(json_t *j)
{
    json_dumpf(j, stdout, JSON_REAL_PRECISION(17));
    fputc('\n', stdout);
    json_decref(j);
}

/* the learned term's distances (to T, the data's right-hand side minus the model's part, and to P, the term ϕ
 * replaces) and the rollout error, as JSON fields or text lines */
static void learned_json(json_t *j, double dT, double dP, double err)
{
    json_object_set_new(j, "phi_vs_T", gb_json_num(dT));
    json_object_set_new(j, "phi_vs_P", gb_json_num(dP));
    json_object_set_new(j, "rho", gb_json_num(dT / dP));
    json_object_set_new(j, "rollout_rel_err", gb_json_num(err));
}

static void learned_text(double dT, double dP, double err, const char *pname)
{
    printf("‖ϕ − T‖/‖T‖ (T: data RHS minus the model's part)  %.6e\n", dT);
    printf("‖ϕ − P‖/‖T‖ (P: %s)  %.6e\n", pname, dP);
    printf("rollout relative error at T  %.6e\n", err);
}

static int unstable(const npde_args *a, const char *what)
{
    fprintf(stderr, "greenbound: npde: --dt %g is unstable for %s: its state stops being finite within %ld steps; "
                    "choose a smaller --dt (or more --steps of a smaller one)\n", a->dt, what, a->steps);
    return EXIT_USAGE;
}

static int run_heat(const npde_args *a)
{
    gb_heat_spec hs;
    gb_heat_spec_default(&hs);
    hs.N = a->N;
    hs.nu = a->nu;
    hs.mode = a->mode;
    hs.J = a->steps + 1;
    hs.T = a->dt * (double)a->steps;
    hs.seed = a->seed;
    char msg[256];
    if (gb_heat_spec_check(&hs, msg, sizeof msg)) {
        fprintf(stderr, "greenbound: npde: %s\n", msg);
        return EXIT_USAGE;
    }
    double *U = malloc(sizeof(double) * (size_t)hs.J * (size_t)hs.N);
    if (!U || gb_heat_snapshots(U, &hs, a->P)) {
        free(U);
        fprintf(stderr, "greenbound: npde: out of memory for N = %ld, %ld snapshots\n", hs.N, hs.J);
        return EXIT_RUNTIME;
    }
    double meas = gb_heat_fit_nu(U, hs.J, hs.N, hs.nu, a->P, a->K) / hs.nu;
    free(U);
    mpfr_t r;
    mpfr_init2(r, hs.prec);
    gb_heat_pred_nu_ratio(r, &hs, a->P, a->K);
    double pred = mpfr_get_d(r, MPFR_RNDN);
    mpfr_clear(r);
    double rel = fabs(meas - pred) / fabs(pred);
    if (a->json) {
        json_t *j = json_object();
        json_object_set_new(j, "nu_ratio", gb_json_num(meas));
        json_object_set_new(j, "nu_ratio_pred", gb_json_num(pred));
        json_object_set_new(j, "rel_err", gb_json_num(rel));
        params_json(j, a);
        if (a->mode)
            json_object_set_new(j, "mode", json_integer(a->mode));
        print_json(j);
    } else {
        printf("heat: data order %d, model order %d, N = %ld, ν = %g, %ld snapshots to T = %g, %s\n", a->P, a->K,
               hs.N, hs.nu, hs.J, hs.T, a->mode ? "a single mode" : "modes 1..8");
        printf("learned ν̂/ν (least squares)  %.17g\n", meas);
        printf("predicted ν̂/ν (closed form)  %.17g\n", pred);
        printf("relative difference          %.3e\n", rel);
    }
    return isfinite(meas) && isfinite(pred) ? 0 : EXIT_RUNTIME;
}

static int run_burgers(const npde_args *a)
{
    gb_burgers b;
    gb_burgers_default(&b);
    b.N = a->N;
    b.nu = a->nu;
    b.dt = a->dt;
    b.T = a->dt * (double)a->steps;
    gb_scheme_init(&b.adv, 1, a->P, a->Pup);
    char msg[256];
    if (gb_burgers_check(&b, msg, sizeof msg)) {
        fprintf(stderr, "greenbound: npde: %s\n", msg);
        return EXIT_USAGE;
    }
    long N = b.N, n = a->steps;
    double *U = malloc(sizeof(double) * (size_t)(n + 1) * N), *R = malloc(sizeof(double) * (size_t)(n + 1) * N);
    if (!U || !R) {
        free(U);
        free(R);
        fprintf(stderr, "greenbound: npde: out of memory\n");
        return EXIT_RUNTIME;
    }
    gb_burgers_step(U, N, 2);
    int st = gb_burgers_solve(U, &b, U, n), rc = 0;
    if (st) {
        free(U);
        free(R);
        return st == GB_ENONFIN ? unstable(a, "the Burgers data solver (RK4)") : EXIT_RUNTIME;
    }
    gb_nburgers m;
    memset(&m, 0, sizeof m);
    m.b = &b;
    gb_scheme_init(&m.adv, 1, a->K, a->Kup);
    double loss = NAN, dT = NAN, dP = NAN, err = NAN;
    st = gb_mlp_init(&m.phi, N, GB_NBURGERS_HIDDEN, GB_NBURGERS_DEPTH, a->seed);
    if (!st)
        st = gb_nburgers_train(&loss, &m, U, n, a->epochs, GB_NPDE_LR);
    if (!st) {
        gb_nburgers_learned_term(&dT, &dP, &m, U, n);
        gb_nburgers_rollout(R, &m, U, n, b.dt);
        err = gb_npde_rel_err(R + n * N, U + n * N, N);
    }
    if (st) {
        fprintf(stderr, "greenbound: npde: training %s\n", st == GB_ENONFIN ? "diverged (the loss stopped being "
                                                                              "finite)" : gb_strerror(st));
        rc = EXIT_RUNTIME;
    } else if (a->json) {
        json_t *j = json_object();
        json_object_set_new(j, "loss", gb_json_num(loss));
        learned_json(j, dT, dP, err);
        json_object_set_new(j, "epochs", json_integer(a->epochs));
        params_json(j, a);
        print_json(j);
    } else {
        char pb[8], kb[8];
        order_name(pb, sizeof pb, a->P, a->Pup);
        order_name(kb, sizeof kb, a->K, a->Kup);
        printf("burgers: data advection %s, model advection %s, N = %ld, ν = %g, Δt = %g, %ld steps; ϕ: %ld → %d × "
               "%d → %ld, Adam %g, %ld epochs, seed %lu\n", pb, kb, N, b.nu, b.dt, n, N, GB_NBURGERS_DEPTH,
               GB_NBURGERS_HIDDEN, N, GB_NPDE_LR, a->epochs, a->seed);
        printf("final one-step loss          %.6e\n", loss);
        learned_text(dT, dP, err, "ν D u, the physics' term");
    }
    gb_mlp_clear(&m.phi);
    free(U);
    free(R);
    return rc;
}

static int run_gkdv(const npde_args *a)
{
    gb_kdv k;
    gb_kdv_default(&k);
    k.N = a->N;
    k.dt = a->dt;
    k.T = a->dt * (double)a->steps;
    gb_scheme_init(&k.D1, 1, a->P, 0);
    gb_scheme_init(&k.D3, 3, a->P, 0);
    long N = k.N, n = a->steps;
    double *U = malloc(sizeof(double) * (size_t)(n + 1) * N), *R = malloc(sizeof(double) * (size_t)(n + 1) * N),
           *J = malloc(sizeof(double) * (size_t)N * N);
    if (!U || !R || !J) {
        free(U); free(R); free(J);
        fprintf(stderr, "greenbound: npde: out of memory for N = %ld\n", N);
        return EXIT_RUNTIME;
    }
    gb_kdv_ic(U, N, k.L, 5, 2.5);
    int st = gb_kdv_solve(U, &k, U, n, 0), rc = 0;
    if (!st) {   /* the models' integrator on the data's own right-hand side */
        memcpy(R, U, sizeof(double) * N);
        st = gb_kdv_solve_if(R, &k, R, n, GB_NKDV_SUB);
    }
    if (st) {
        free(U); free(R); free(J);
        return st == GB_ENONFIN ? unstable(a, "the KdV data solver or the models' IF-RK4")
                                : EXIT_RUNTIME;
    }
    gb_nkdv m;
    gb_train_result tr;
    memset(&tr, 0, sizeof tr);
    double dT = NAN, dP = NAN, err = NAN, rho = NAN;
    st = gb_nkdv_init(&m, &k, a->K, GB_NKDV_SUB, GB_NKDV_HIDDEN, GB_NKDV_DEPTH, a->seed);
    if (!st) {
        gb_train_opts o;
        gb_train_opts_default(&o, GB_NN_MLP);
        o.lr = GB_NPDE_LR;
        o.weight_decay = 0;
        o.epochs = a->epochs;
        o.plateau_window = GB_NKDV_WINDOW;
        st = gb_nkdv_train(&m, U, U + n * N, n, &o, &tr);
    }
    if (!st) {
        gb_nkdv_learned_term(&dT, &dP, &m, U, n + 1);
        gb_nkdv_rollout(R, &m, U, n);
        err = gb_npde_rel_err(R + n * N, U + n * N, N);
        if (!gb_nkdv_flow_jacobian(J, &m, U, n))
            rho = gb_npde_spectral_radius(J, N);
    }
    if (st) {
        fprintf(stderr, "greenbound: npde: %s\n", st == GB_ENONFIN ? "training diverged (the loss stopped being "
                                                                     "finite)" : gb_strerror(st));
        rc = EXIT_RUNTIME;
    } else if (a->json) {
        json_t *j = json_object();
        json_object_set_new(j, "loss", gb_json_num(tr.loss));
        json_object_set_new(j, "stop", json_string(gb_train_status_name(tr.status)));
        json_object_set_new(j, "epochs", json_integer(tr.epochs));
        json_object_set_new(j, "final_rate", gb_json_num(tr.lr_final));
        learned_json(j, dT, dP, err);
        json_object_set_new(j, "flow_spectral_radius", gb_json_num(rho));
        params_json(j, a);
        print_json(j);
    } else {
        printf("gkdv: data order %d, model dispersion order %d, N = %ld, Δt = %g, %ld steps (%d IF-RK4 steps each); "
               "ϕ: %ld → %d × %d → %ld, Adam %g to the plateau or %ld epochs, seed %lu\n", a->P, a->K, N, k.dt, n,
               GB_NKDV_SUB, N, GB_NKDV_DEPTH, GB_NKDV_HIDDEN, N, GB_NPDE_LR, a->epochs, a->seed);
        printf("stopped: %s after %ld epochs, rate %g, one-shot loss %.6e\n", gb_train_status_name(tr.status),
               tr.epochs, tr.lr_final, tr.loss);
        learned_text(dT, dP, err, "the data's ω₀u_x − (3/2)uu_x");
        printf("spectral radius of ∂u(T)/∂u₀ %.15g\n", rho);
    }
    gb_nkdv_clear(&m);
    free(U); free(R); free(J);
    return rc;
}

int cmd_npde(int argc, char **argv)
{
    npde_args a;
    int rc = parse(&a, argc, argv);
    if (rc)
        return gb_cli_exit(rc);
    return a.eq == EQ_HEAT ? run_heat(&a) : a.eq == EQ_BURGERS ? run_burgers(&a) : run_gkdv(&a);
}
