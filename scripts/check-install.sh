#!/bin/sh
# make check-install: installs into a scratch DESTDIR, then compiles and runs a small program against the
# installed headers and library through 'pkg-config --cflags --libs greenbound' (no source tree on its path).
set -eu
cd "$(dirname "$0")/.."
D=$(mktemp -d /tmp/gb-install.XXXXXX)
trap 'rm -rf "$D"' EXIT
make --no-print-directory install DESTDIR="$D" PREFIX=/usr >/dev/null
cat >"$D/prog.c" <<'C'
#include <problem/problem.h>
#include <predict/fd_predict.h>
#include <stdio.h>
int main(void)
{
    mpfr_t w;
    mpfr_init2(w, 128);
    gb_fd_pred_single_mode(w, 2, 1, 16, 1.0);   /* FD-4: θ²/σ_2(θ), θ = π/16 */
    double x = mpfr_get_d(w, MPFR_RNDN);
    mpfr_clear(w);
    printf("%.15f\n", x);
    return !(x > 1.003 && x < 1.004);
}
C
export PKG_CONFIG_SYSROOT_DIR="$D" PKG_CONFIG_PATH="$D/usr/lib/pkgconfig"
flags=$(pkg-config --cflags --libs greenbound)   # a static library: its dependencies are in Libs and Requires
cc -std=c11 -o "$D/prog" "$D/prog.c" $flags
"$D/prog"
echo "check-install: a program built with 'pkg-config --cflags --libs greenbound' against the installed tree runs"
