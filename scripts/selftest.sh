#!/bin/sh
# make selftest: every gate can fail. Runs the claims each --fault kind aims at, first as they stand (each
# must PASS) and then with the fault injected (each must turn FAIL), on the quick tier, and prints the
# claims that flipped for every fault and "caught K of M". Exit 0 only when M of M are caught.
#   scripts/selftest.sh [BIN] [OUT]
set -u
cd "$(dirname "$0")/.."
BIN=${1:-./build/greenbound}
OUT=${2:-build/selftest}
FLAGS="--quick --samples 2000"
# fault  claims it must flip
TABLE='stencil FD-1 FD-4 FD-6 BH-1
solution FD-1 FD-6
projector LIN-1 GRN-3 LIN-9 BH-2 P2D-1
sign LIN-1 LIN-4 GRN-1 GRN-2 GRN-3 GRN-4 XV-LIN BH-2 BH-3 P2D-2
green LIN-3a GRN-4
step LIN-3b LIN-4
wstar XV-FD OPP-1 NPDE-1 NPDE-2 NPDE-3
noise XV-NOISE
constant FD-2 FD-5 NPDE-7 BH-1
load FD-7
training FD-1 LIN-1 BH-1 BH-3
grid FD-4 NPDE-0 NPDE-0B NPDE-0K BH-1
pattern XV-PATTERN-linear NPDE-5'

# verdicts of a run, as "ID VERDICT" lines
verdicts() { "$@" 2>/dev/null | awk 'NF >= 2 && $2 ~ /^(PASS|FAIL|INCONCLUSIVE|ERROR)$/ { print $1, $2 }'; }

ids=$(echo "$TABLE" | cut -d' ' -f2- | tr ' ' '\n' | sort -u | tr '\n' ' ')
mkdir -p "$OUT"
base=$(verdicts "$BIN" verify $FLAGS --out "$OUT/none" $ids)
notpass=$(echo "$base" | awk '$2 != "PASS" { print $1 }' | tr '\n' ' ')
if [ -n "$notpass" ]; then
    echo "selftest: without a fault these claims do not PASS: $notpass"
    exit 1
fi
M=0
K=0
echo "$TABLE" | {
    while read -r fault claims; do
        M=$((M + 1))
        got=$(verdicts "$BIN" verify $FLAGS --fault "$fault" --out "$OUT/$fault" $claims)
        flipped=$(echo "$got" | awk '$2 == "FAIL" { print $1 }' | tr '\n' ' ')
        missed=""
        for id in $claims; do
            echo "$got" | grep -q "^$id FAIL$" || missed="$missed $id"
        done
        if [ -z "$missed" ]; then
            K=$((K + 1))
            echo "selftest: --fault $fault caught: $flipped"
        else
            echo "selftest: --fault $fault MISSED by:$missed (flipped: ${flipped:-none})"
        fi
    done
    echo "selftest: caught $K of $M"
    [ "$K" -eq "$M" ]
}
