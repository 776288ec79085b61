#!/bin/sh
# The MPI build must give the serial result: 'greenbound xval' on one process and under
# 'mpirun -np 2' (localhost, one OpenMP thread per rank) write byte-identical matrices.
set -eu
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# root may run mpirun in a container; allow it explicitly
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
args="--N 16 --samples 64 --epochs 30"
for m in linear fd deeplinear mlp pinn; do
    ./build/greenbound xval --model $m $args --out "$out/serial" >/dev/null
    OMP_NUM_THREADS=1 mpirun -np 2 ./build/mpi/greenbound xval --model $m $args --out "$out/mpi" --progress \
        >/dev/null 2>"$out/log"
    # two ranks, not two copies of a serial run: every row reports "on this rank" exactly once
    rows=$(grep -c "done on this rank" "$out/log" || true)
    if [ "$rows" -ne 25 ]; then
        echo "check-mpi: $m: expected 25 rows spread over the ranks, saw $rows" >&2
        exit 1
    fi
    for ext in csv json md; do
        cmp "$out/serial/xval-$m.$ext" "$out/mpi/xval-$m.$ext"
    done
    echo "check-mpi: $m: mpirun -np 2 equals the serial run (csv, json, md)"
done
echo "check-mpi: 5 models identical"
