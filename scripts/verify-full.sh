#!/bin/sh
# make verify-full: the full tier of SPEC §8. Runs every training that results/full lacks (resumable:
# one file per training, so an interrupted run continues where it stopped), model by model so that
# each model's claims complete in turn, spread over R MPI ranks with one thread each when OpenMPI is
# installed (scripts/deps.sh --mpi), else in one process; then renders reports/full from the store.
# The results do not depend on R or on the thread count.
#   scripts/verify-full.sh [R] [MODELS]     MODELS: comma-separated (default: all, cheapest first)
set -eu
cd "$(dirname "$0")/.."
R=${1:-2}
models=${2:-linear,deeplinear,mlp,pinn,deeponet,pideeponet,fno,npde6}
mpi=0
if [ "$R" -gt 1 ] && command -v mpirun >/dev/null 2>&1 && make --no-print-directory MPI=1 all >/dev/null; then
    mpi=1
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
fi
for m in $(echo "$models" | tr ',' ' '); do
    if [ "$mpi" -eq 1 ]; then
        OMP_NUM_THREADS=1 mpirun -np "$R" ./build/mpi/greenbound verify-full --train-only --progress --models "$m"
    else
        ./build/greenbound verify-full --train-only --progress --models "$m"
    fi
done
./build/greenbound verify --tier full --out reports/full --expect verify/expected-verdicts-full.tsv
