#!/bin/bash
# The hostile-input matrix: every command with bad flags, missing or wrong values, out-of-range numbers, corrupt,
# truncated or foreign input files, FIFOs, an unwritable or full output, and interruption. Each case must
# give its documented exit status (README: 0 ok, 1 a verdict FAIL/ERROR, 2 usage, 3 runtime), a message that
# names the problem, and leave an existing report set untouched. Prints "N of N hostile cases handled".
#   scripts/hostile.sh [BIN]
set -u
cd "$(dirname "$0")/.."
BIN=$(realpath "${1:-./build/greenbound}")
W=$(mktemp -d /tmp/gb-hostile.XXXXXX)
trap 'chmod -R u+w "$W" 2>/dev/null; rm -rf "$W"' EXIT
total=0
ok=0

# an existing report set that no failing run may touch
R="$W/reports"
"$BIN" verify --quick --samples 2000 --out "$R" FD-1 FD-4 >/dev/null 2>&1
snapshot() { (cd "$R" && find . -type f -print0 | sort -z | xargs -0 sha256sum) ; }
before=$(snapshot)

# case NAME EXPECTED_STATUS MESSAGE_FRAGMENT -- command arguments...
case_() {
    local name=$1 want=$2 frag=$3
    shift 4
    total=$((total + 1))
    local err rc
    err=$(cd "$W" && timeout 120 "$BIN" "$@" 2>&1 >/dev/null </dev/null)
    rc=$?
    if [ "$rc" -ne "$want" ]; then
        echo "hostile: $name: exit $rc, expected $want: $err"
    elif [ -n "$frag" ] && ! printf '%s' "$err" | grep -qF -- "$frag"; then
        echo "hostile: $name: message lacks '$frag': $err"
    elif [ "$(snapshot)" != "$before" ]; then
        echo "hostile: $name: the existing report set changed"
    else
        ok=$((ok + 1))
    fi
}

# files to be hostile with
mkfifo "$W/fifo"
printf 'not a number' >"$W/garbage.npy"
head -c 40 "$(ls fuzz/corpus/npy/* | head -n 1)" >"$W/truncated.npy"
printf '\x93NUMPY\x01\x00\x76\x00{"descr": "<f8", "fortran_order": False, "shape": (99999999999, 99999999999), }' >"$W/huge.npy"
printf 'a file, not a folder' >"$W/a-file"   # permissions do not stop root: a path through a file does
mkdir -p "$W/a-folder"
printf 'id\tverdict\treason\nFD-4\tBOGUS\tx\n' >"$W/bad-expect.tsv"

# the command line
case_ "no command"            2 "usage"           -- 
case_ "unknown command"       2 "unknown"         -- frobnicate
case_ "help takes one name"   2 ""                -- help verify extra
case_ "list takes nothing"    2 ""                -- list extra
case_ "unknown verify flag"   2 "--bogus"         -- verify --bogus
case_ "unknown claim id"      2 "NOPE"            -- verify --out "$W/o1" NOPE
case_ "missing value"         2 "--seed"          -- verify --seed
case_ "empty --out"           2 "--out"           -- verify --out "" FD-4
case_ "negative samples"      2 "--samples"       -- verify --samples -3 FD-4
case_ "huge samples"          2 "--samples"       -- verify --samples 99999999999 FD-4
case_ "k = 0"                 2 "--k"             -- verify --k 0 FD-4
case_ "k = nan"               2 "--k"             -- verify --k nan FD-4
case_ "k = inf"               2 "--k"             -- verify --k inf FD-4
case_ "precision too low"     2 "--prec"          -- verify --prec 10 FD-4
case_ "one seed"              2 "--seeds"         -- verify --seeds 1 XV-PATTERN-linear
case_ "negative noise"        2 "--noise"         -- verify --noise -1 XV-NOISE
case_ "unknown fault"         2 "--fault"         -- verify --fault frob FD-4
case_ "unknown tier"          2 "--tier"          -- verify --tier huge FD-4
case_ "law"                   2 "--law"           -- verify --law cauchy FD-4
case_ "expect is a folder"    2 "--expect"        -- verify --out "$W/o2" --expect "$W/a-folder" FD-4
case_ "expect is missing"     2 "--expect"        -- verify --out "$W/o3" --expect "$W/none.tsv" FD-4
case_ "expect is malformed"   2 "bad line"          -- verify --out "$W/o4" --expect "$W/bad-expect.tsv" FD-4
case_ "fd-learn p = 9"        2 "--p"             -- fd-learn --family poly --p 9 --q 4 --N 32
case_ "fd-learn q = 5"        2 "--q"             -- fd-learn --family poly --p 3 --q 5 --N 32
case_ "fd-learn N huge"       2 "--N"             -- fd-learn --family poly --p 3 --q 4 --N 100000000
case_ "fd-learn N = 3x"       2 "--N"             -- fd-learn --family poly --p 3 --q 4 --N 3x
case_ "fd-learn family"       2 "--family"        -- fd-learn --family bessel --p 3 --q 4 --N 32
case_ "fd-learn aliased mode" 2 "--mode"          -- fd-learn --family sin --mode 40 --q 2 --N 32
case_ "linear steps 0"        2 "--steps"         -- linear --train sin:2 --N 16 --steps 0
case_ "linear N = 1"          2 "--N"             -- linear --train sin:2 --N 1
case_ "train no model"        2 "--model"         -- train --train sin:2
case_ "train bad model"       2 "--model"         -- train --model transformer --train sin:2
case_ "train lr nan"          2 "--lr"            -- train --model mlp --train sin:2 --lr nan
case_ "xval bad model"        2 "--model"         -- xval --model frob
case_ "export N = 2"          2 "--N"             -- export --N 2 --out "$W/e1"
case_ "score no --pred"       2 "--pred"          -- score --out "$W/s0"
# outside files
case_ "score pred is a FIFO"  3 "fifo"            -- score --pred "$W/fifo" --out "$W/s1"
case_ "score pred is garbage" 3 ""                -- score --pred "$W/garbage.npy" --out "$W/s2"
case_ "score pred missing"    3 ""                -- score --pred "$W/none" --out "$W/s3"
case_ "green load FIFO"       3 ""                -- green --model mlp --load "$W/fifo"
case_ "green load foreign"    3 "/etc/passwd"     -- green --model mlp --load /etc/passwd
case_ "green load truncated"  3 "truncated.npy"   -- green --model mlp --load "$W/truncated.npy"
# outputs that cannot be written
case_ "unwritable --out"      3 "a-file"          -- verify --quick --samples 100 --out "$W/a-file/sub" FD-4
case_ "export unwritable"     3 "a-file"          -- export --N 8 --samples 12 --out "$W/a-file/e"

# a full disk: a file-size limit makes every write past 1 KiB fail (SIGXFSZ ignored, so write() says EFBIG)
total=$((total + 1))
err=$( (trap '' XFSZ; ulimit -f 1; "$BIN" verify --quick --samples 100 --seed 2 --out "$R" FD-4) 2>&1 >/dev/null)
rc=$?
if [ "$rc" -eq 3 ] && [ "$(snapshot)" = "$before" ] && [ -z "$(find "$R" -name '*.tmp*')" ]; then
    ok=$((ok + 1))
else
    echo "hostile: full disk: exit $rc, report set changed or temporaries left: $err"
    diff <(echo "$before") <(snapshot) | head -n 5
fi

# interruption: SIGINT and SIGTERM stop verify with 130 / 143, SIGKILL leaves the old files intact (job
# control on, so that a background job does not start with SIGINT ignored)
set -m
for sig in INT TERM KILL; do
    total=$((total + 1))
    # (enough work that the run is still going when the signal comes, on any machine)
    { "$BIN" verify --quick --samples 20000 --seed 3 --out "$R" FD-1 FD-4 >/dev/null 2>&1 & } 2>/dev/null
    pid=$!
    sleep 3
    kill -s "$sig" "$pid"
    wait "$pid" 2>/dev/null
    rc=$?
    want=$((128 + $(kill -l "$sig")))
    left=$(find "$R" -name '*.tmp*' | head -n 1)
    if [ "$rc" -eq "$want" ] && [ "$(snapshot)" = "$before" ] && { [ "$sig" = KILL ] || [ -z "$left" ]; }; then
        ok=$((ok + 1))
    else
        echo "hostile: SIG$sig during verify: exit $rc (expected $want), report set changed or temporaries left ($left)"
        diff <(echo "$before") <(snapshot) | head -n 5
    fi
    find "$R" -name '*.tmp*' -delete
done
set +m

echo "hostile: $ok of $total hostile cases handled"
[ "$ok" -eq "$total" ]
