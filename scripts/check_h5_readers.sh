#!/usr/bin/env bash
# check_h5_readers.sh MEMCURVE — produces a small results file with `memcurve run` and reads it
# with h5dump (structure, compound fields, units attributes) and with /usr/bin/python3 + h5py
# (scripts/check_h5.py: values, shapes, summary consistency). Exits non-zero on any mismatch.
set -euo pipefail
exe=$1
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d /tmp/mc_h5_readers.XXXXXX)
trap 'rm -rf "$dir"' EXIT
"$exe" run -s list,pq -w fill,waves -a system,arena -n 3000 -r 2 --seed 5 -q -o "$dir/r.h5"
test -f "$dir/r.h5"
test ! -e "$dir/r.h5.partial"
h5dump -H "$dir/r.h5" > "$dir/header.txt"
for want in 'GROUP "runs"' 'DATASET "summary"' 'DATASET "throughput"' 'GROUP "gbench_json"' \
            'DATASET "curve"' 'DATASET "events"' 'H5T_STD_U64LE "requested"' \
            'H5T_STD_U64LE "rss"' 'H5T_STD_U64LE "held"' 'H5T_STD_U64LE "resident"' 'ATTRIBUTE "rss_baseline"' 'ATTRIBUTE "units"' 'ATTRIBUTE "requested_units"' \
            'ATTRIBUTE "schema_version"' 'ATTRIBUTE "status"' 'ATTRIBUTE "command_line"'; do
  grep -qF "$want" "$dir/header.txt" || { echo "h5dump: missing $want" >&2; exit 1; }
done
# the curve is chunked and deflated
h5dump -p -d /runs/list/fill/system/n3000/curve "$dir/r.h5" > "$dir/curve.txt"
grep -q "CHUNKED" "$dir/curve.txt" || { echo "h5dump: curve not chunked" >&2; exit 1; }
grep -q "DEFLATE" "$dir/curve.txt" || { echo "h5dump: curve not deflated" >&2; exit 1; }
h5dump -a /runs/list/fill/system/n3000/status "$dir/r.h5" | grep '"ok"' >/dev/null \
  || { echo "h5dump: status attribute" >&2; exit 1; }
/usr/bin/python3 "$here/check_h5.py" "$dir/r.h5"
/usr/bin/python3 "$here/read_results.py" "$dir/r.h5" > "$dir/pandas.txt"   # the README's example
grep -q "peak held" "$dir/pandas.txt" || { echo "read_results.py: no output" >&2; exit 1; }
echo "h5dump and h5py read $dir/r.h5: ok"
