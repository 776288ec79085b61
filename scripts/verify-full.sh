#!/bin/sh
# make verify-full: the full tier of SPEC §8. Runs every training that results/full lacks (resumable:
# one file per training, so an interrupted run continues where it stopped), spread over R MPI ranks
# with one thread each when OpenMPI is installed (scripts/deps.sh --mpi), else in one process; then
# renders reports/full from the store. The results do not depend on R or on the thread count.
#   scripts/verify-full.sh [R] [MODELS]     MODELS: comma-separated (default: all)
set -eu
cd "$(dirname "$0")/.."
R=${1:-2}
models=${2:-}
set -- --train-only --progress
if [ -n "$models" ]; then
    set -- "$@" --models "$models"
fi
if [ "$R" -gt 1 ] && command -v mpirun >/dev/null 2>&1 && make --no-print-directory MPI=1 all >/dev/null; then
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
    OMP_NUM_THREADS=1 mpirun -np "$R" ./build/mpi/greenbound verify-full "$@"
else
    ./build/greenbound verify-full "$@"
fi
./build/greenbound verify --tier full --out reports/full --expect verify/expected-verdicts-full.tsv
