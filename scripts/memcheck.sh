#!/bin/sh
# make memcheck: valgrind's memcheck on one program of each family (the FD learner, the linear model, the
# Green's probe, a trained network, the cross-validation matrix, the export, a verify run, the three
# neural-PDE set-ups); any invalid access or definite leak fails. Prints "N of N programs memcheck-clean".
set -u
cd "$(dirname "$0")/.."
BIN=${1:-./build/greenbound}
W=$(mktemp -d /tmp/gb-memcheck.XXXXXX)
trap 'rm -rf "$W"' EXIT
n=0
ok=0
while read -r args; do
    n=$((n + 1))
    if OMP_NUM_THREADS=1 valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
        "$BIN" $args >/dev/null 2>"$W/log"; then
        ok=$((ok + 1))
    else
        echo "memcheck: greenbound $args:"
        head -n 20 "$W/log"
    fi
done <<LIST
fd-learn --family poly --p 3 --q 4 --N 16 --samples 50
linear --train sin:2 --N 8 --samples 20 --steps 50
green --model linear --train cos:2 --N 8 --samples 20
train --model mlp --train sin:2 --N 8 --samples 16 --epochs 3 --quiet
xval --model fd --N 8 --samples 8 --out $W/xval
export --N 8 --samples 12 --out $W/export
verify --quick --samples 50 --out $W/reports FD-8
npde --equation heat --data-order 6 --model-order 2 --mode 3 --json
npde --equation burgers --model-order 6 --steps 5 --epochs 2
npde --equation gkdv --model-order 6 --N 32 --steps 3 --epochs 2
LIST
echo "memcheck: $ok of $n programs memcheck-clean"
[ "$ok" -eq "$n" ]
