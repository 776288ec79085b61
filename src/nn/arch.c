/* The model classes' names and architectures (SPEC §7): defaults, checks and the one-line description every
 * report prints. */
#include "nn/model.h"
#include "core/status.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *class_names[GB_NN_NCLASSES] = {
    "linear", "deeplinear", "mlp", "deeponet", "fno", "pinn", "pideeponet"};

const char *gb_nn_class_name(gb_nn_class c)
{
    return (c >= 0 && c < GB_NN_NCLASSES) ? class_names[c] : "?";
}

int gb_nn_class_parse(gb_nn_class *c, const char *s)
{
    for (int i = 0; i < GB_NN_NCLASSES; i++)
        if (!strcmp(s, class_names[i])) { *c = (gb_nn_class)i; return GB_OK; }
    return GB_EINVAL;
}

void gb_nn_arch_default(gb_nn_arch *a, gb_nn_class cls, long N)
{
    memset(a, 0, sizeof *a);
    a->cls = cls; a->N = N;
    a->depth = 3; a->width = 256;
    a->don_width = 128; a->don_depth = 2; a->don_latent = 64;
    a->fno_width = 32; a->fno_layers = 4; a->fno_proj = 64;
    a->fno_modes = (N + 1) / 2 < 16 ? (int)((N + 1) / 2) : 16; /* 16, or all a coarse grid has */
    a->pinn_width = 32; a->pinn_depth = 3; a->pinn_forcings = 8;
    a->k = 1.0; a->k_init = 0.5; a->phys_weight = 1.0;
}

int gb_nn_arch_check(const gb_nn_arch *a, char *msg, size_t len)
{
#define BAD(...) do { if (msg) snprintf(msg, len, __VA_ARGS__); return GB_EINVAL; } while (0)
    if (a->cls < 0 || a->cls >= GB_NN_NCLASSES) BAD("unknown model class");
    if (a->N < 4 || a->N > 4096) BAD("N must be in 4..4096");
    /* only the sizes the class uses */
    gb_nn_class c = a->cls;
    int don = c == GB_NN_DEEPONET || c == GB_NN_PIDEEPONET;
    if (c == GB_NN_DEEPLINEAR && (a->depth < 1 || a->depth > 10)) BAD("the deep linear depth must be in 1..10");
    if (c == GB_NN_MLP && (a->width < 1 || a->width > 8192)) BAD("the MLP width must be in 1..8192");
    if (don && (a->don_width < 1 || a->don_depth < 0 || a->don_depth > 8 || a->don_latent < 1)) BAD("bad DeepONet sizes");
    if (c == GB_NN_FNO && (a->fno_width < 1 || a->fno_layers < 1 || a->fno_layers > GB_FNO_MAX_LAYERS || a->fno_proj < 1))
        BAD("bad FNO sizes");
    if (c == GB_NN_FNO && a->fno_width % 2)
        BAD("the FNO width must be even (its FFTs take the channels in pairs)");
    if (c == GB_NN_FNO && (a->fno_modes < 1 || a->fno_modes > (a->N + 1) / 2))
        BAD("the FNO modes must be in 1..%ld for N = %ld", (a->N + 1) / 2, a->N);
    if (c == GB_NN_PINN && (a->pinn_width < 1 || a->pinn_depth < 1 || a->pinn_depth > 8 || a->pinn_forcings < 1))
        BAD("bad PINN sizes");
    if (!(a->k > 0) || !isfinite(a->k) || !(a->k_init > 0) || !isfinite(a->k_init)) BAD("k must be positive");
    if (!(a->phys_weight >= 0) || !isfinite(a->phys_weight)) BAD("physics weight must be ≥ 0");
    return GB_OK;
#undef BAD
}

void gb_nn_arch_describe(char *buf, size_t len, const gb_nn_arch *a)
{
    long n = a->N + 1;
    switch (a->cls) {
    case GB_NN_LINEAR: snprintf(buf, len, "linear: W (%ld×%ld), W⁰ = 0", n, n); break;
    case GB_NN_DEEPLINEAR:
        snprintf(buf, len, "deeplinear: %d layers of width %ld, no biases, Glorot normal", a->depth, n); break;
    case GB_NN_MLP:
        snprintf(buf, len, "mlp: [%ld, %d, %ld], tanh, Glorot normal, biases 0", n, a->width, n); break;
    case GB_NN_DEEPONET: case GB_NN_PIDEEPONET:
        snprintf(buf, len, "%s: branch [%ld, %d×%d, %d], trunk [1, %d×%d, %d], tanh%s",
                 gb_nn_class_name(a->cls), n, a->don_width, a->don_depth, a->don_latent, a->don_width,
                 a->don_depth, a->don_latent, a->cls == GB_NN_PIDEEPONET ? ", physics weight λ" : "");
        if (a->cls == GB_NN_PIDEEPONET) {
            size_t l = strlen(buf);
            snprintf(buf + l, len - l, " = %g, k = %g", a->phys_weight, a->k);
        }
        break;
    case GB_NN_FNO:
        snprintf(buf, len, "fno: lift 2→%d, %d Fourier layers × %d modes, GELU (tanh form), projection %d→%d→1",
                 a->fno_width, a->fno_layers, a->fno_modes, a->fno_width, a->fno_proj); break;
    case GB_NN_PINN:
        snprintf(buf, len, "pinn: %d forcings, each an MLP [1, %d×%d, 1] tanh; shared k from %g; physics weight λ = %g",
                 a->pinn_forcings, a->pinn_width, a->pinn_depth, a->k_init, a->phys_weight); break;
    default: snprintf(buf, len, "?");
    }
}
