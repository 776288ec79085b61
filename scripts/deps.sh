#!/bin/sh
# Install the Debian 12 packages greenbound builds, tests and plots with.
# As root: installs what is missing with apt-get. Otherwise: prints the exact
# command to run and exits 1, so a build never half-starts without its libraries.
#   --mpi   also the OpenMPI packages of 'make MPI=1' and 'make check-mpi'
#   --fuzz  also clang and its libFuzzer runtime ('make fuzz')
#   --bench also PyTorch, the peer of 'make bench' (python3-torch)
set -eu

PKGS="build-essential pkg-config libgmp-dev libmpfr-dev libfftw3-dev libcriterion-dev \
libopenblas-dev liblapacke-dev libjansson-dev libgsl-dev libflint-arb-dev zlib1g-dev gnuplot-nox python3 python3-numpy"
if [ "${1:-}" = "--mpi" ]; then
    PKGS="$PKGS libopenmpi-dev openmpi-bin"
fi
if [ "${1:-}" = "--fuzz" ]; then
    PKGS="$PKGS clang libclang-rt-14-dev"
fi
if [ "${1:-}" = "--bench" ]; then
    PKGS="$PKGS python3-torch"
fi
if [ "${1:-}" = "--memcheck" ]; then
    PKGS="$PKGS valgrind"
fi

missing=""
for p in $PKGS; do
    st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$st" in
        *"install ok installed"*) ;;
        *) missing="$missing $p" ;;
    esac
done

if [ -z "$missing" ]; then
    echo "deps: all packages present"
    exit 0
fi

echo "deps: missing Debian packages:$missing"
if [ "$(id -u)" -ne 0 ]; then
    echo "deps: not root; run this and then retry:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
echo "deps: installed:$missing"
