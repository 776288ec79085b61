#!/bin/sh
# make man: doc/greenbound.1 from the help text itself (help2man): the synopsis and exit status of
# 'greenbound --help', the version of '--version', and one section per command from 'greenbound help CMD'.
set -eu
cd "$(dirname "$0")/.."
BIN=${1:-./build/greenbound}
inc=$(mktemp /tmp/gb-man.XXXXXX)
trap 'rm -f "$inc"' EXIT
{
    echo "[COMMANDS]"
    # the commands as 'greenbound help' lists them (two-space indent, a name, its summary)
    for c in $("$BIN" help | awk '/^  [a-z][a-z-]+ / && $1 != "help" { print $1 }'); do
        echo ".SS $c"
        echo ".nf"
        "$BIN" help "$c" | sed 's/\\/\\\\/g; s/^\./\\\&./'
        echo ".fi"
    done
    echo "[EXIT STATUS]"
    echo "0 success; 1 a verdict was FAIL or ERROR; 2 bad command line; 3 runtime error (unreadable or unwritable"
    echo "files, NaN or Inf in a result, an interrupted or failed write: the old reports are left as they were)."
    echo "[SEE ALSO]"
    echo "README.md, doc/*.md and the reports under reports/ in the source tree."
} >"$inc"
help2man -N -n "verification test-bed for learning spatial physics (arXiv:2506.15199)" --include "$inc" \
    --version-string "$("$BIN" --version | head -n 1 | cut -d " " -f 2)" \
    -o doc/greenbound.1 "$BIN"
echo "man: wrote doc/greenbound.1"
