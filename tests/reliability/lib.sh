# tests/reliability/lib.sh — shared by the reliability scripts (sourced, not run).
# Usage in a script: source lib.sh; then `expect_fail2 NAME -- memcurve args...` etc.
# Every check prints one "ok"/"FAIL" line; finish() exits 1 if anything failed.
set -uo pipefail
MC=$(readlink -f "${MEMCURVE:?set MEMCURVE to the memcurve binary (ctest passes it)}")
PY=/usr/bin/python3 # Debian's, with h5py/numpy
TMP=$(mktemp -d "${TMPDIR:-/tmp}/mc-rel.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
NFAIL=0
NOK=0

ok() { NOK=$((NOK + 1)); echo "ok   $*"; }
fail() { NFAIL=$((NFAIL + 1)); echo "FAIL $*"; }
finish() {
  echo "$NOK passed, $NFAIL failed"
  [ "$NFAIL" -eq 0 ]
}

# A small valid results file (2 runs), made once per script.
make_good() {
  "$MC" run -s list -w fill -a system,pool -n 500 -r 1 -q -o "$TMP/good.h5" >/dev/null 2>&1 ||
    { echo "cannot make a results file with $MC" >&2; exit 1; }
}

# expect_fail2 NAME CMD... : CMD exits with status 2, not by a signal, and prints exactly one
# non-empty line on stderr naming the problem (no HDF5 error stack, no sanitizer report).
expect_fail2() {
  local name=$1
  shift
  "$@" >"$TMP/out" 2>"$TMP/err" </dev/null
  local rc=$? lines
  lines=$(grep -c . "$TMP/err")
  if [ -e "$TMP/keep.h5.partial" ]; then # a rejected command must not start writing
    fail "$name: left $TMP/keep.h5.partial behind"
    rm -f "$TMP/keep.h5.partial"
  fi
  if [ "$rc" -eq 2 ] && [ "$lines" -eq 1 ]; then
    ok "$name: exit 2: $(cat "$TMP/err")"
  else
    fail "$name: exit $rc (want 2), $lines stderr lines (want 1): $(head -c 600 "$TMP/err")"
  fi
}

# runs_in FILE: prints the number of runs the reader finds, or -1 if it cannot read FILE.
runs_in() {
  "$MC" info "$1" 2>/dev/null | awk '/^runs:/ {print $2; f=1} END {if (!f) print -1}'
}

# h5_valid FILE: h5dump can read all of it.
h5_valid() { h5dump "$1" >/dev/null 2>&1; }

# run_status FILE: one line per run: "<structure>/<workload>/<allocator>/n<N> ok=<0|1> <status>"
run_status() {
  "$PY" - "$1" 2>/dev/null <<'PYEOF'
import sys, h5py
with h5py.File(sys.argv[1], "r") as f:
    def visit(name, obj):
        if isinstance(obj, h5py.Group) and "ok" in obj.attrs:
            st = obj.attrs["status"]
            st = st.decode() if isinstance(st, bytes) else str(st)
            print(f"{name} ok={int(obj.attrs['ok'])} {st}")
    f["runs"].visititems(visit)
PYEOF
}
