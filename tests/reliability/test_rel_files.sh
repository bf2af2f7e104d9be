#!/usr/bin/env bash
# test_rel_files.sh — hostile results files to every reader of the command (info, compare,
# merge, plot, report): empty, text, truncated at several points, corrupt (bytes overwritten in
# the superblock, the metadata and the data), a foreign HDF5 file (valid, not ours), a file from
# a newer schema, a schema attribute of the wrong type or shape, a results file missing
# /summary or a run's curve. Each: one clear line on stderr, exit status 2, no crash; merge
# never writes over an existing good output. MEMCURVE=path/to/memcurve.
source "$(dirname "$0")/lib.sh"
make_good
G=$TMP/good.h5
size=$(stat -c %s "$G")

: >"$TMP/empty.h5"
printf 'structure,workload\nlist,fill\n' >"$TMP/text.h5"
head -c 7 "$G" >"$TMP/trunc_sig.h5"
head -c 512 "$G" >"$TMP/trunc_512.h5"
head -c $((size / 2)) "$G" >"$TMP/trunc_half.h5"
head -c $((size - 100)) "$G" >"$TMP/trunc_tail.h5"
corrupt() { # corrupt OUT OFFSET LEN: LEN bytes of 0xFF at OFFSET
  cp "$G" "$1"
  head -c "$3" /dev/zero | tr '\0' '\377' | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
corrupt "$TMP/corrupt_super.h5" 8 40
corrupt "$TMP/corrupt_meta.h5" 800 200
corrupt "$TMP/corrupt_mid.h5" $((size / 2)) 256
"$PY" - "$TMP" "$G" <<'PYEOF'
import sys, shutil, h5py, numpy as np
d, good = sys.argv[1], sys.argv[2]
with h5py.File(d + "/foreign.h5", "w") as f:           # valid HDF5, not ours
    f.create_dataset("temperature", data=np.arange(10.0))
    f.attrs["instrument"] = "thermometer"
with h5py.File(d + "/foreign_runs.h5", "w") as f:      # looks a bit like ours
    f.attrs["schema_version"] = np.int32(1)
    f.create_group("runs/list/fill/system").create_dataset("n100", data=np.zeros(3))
def variant(name, fn):
    shutil.copy(good, d + "/" + name)
    with h5py.File(d + "/" + name, "a") as f:
        fn(f)
def newer(f): f.attrs["schema_version"] = np.int32(99)
def neg(f): f.attrs["schema_version"] = np.int32(-1)
def strschema(f):
    del f.attrs["schema_version"]; f.attrs["schema_version"] = "one"
def arrschema(f):
    del f.attrs["schema_version"]; f.attrs["schema_version"] = np.arange(64, dtype=np.int32)
def arrhost(f):
    del f.attrs["host"]; f.attrs.create("host", [b"x" * 40] * 50, dtype="S40")
def nosummary(f): del f["summary"]
def nocurve(f):
    g = f["runs/list/fill/system"]
    del g[list(g.keys())[0] + "/curve"]
def badcurve(f):
    g = f["runs/list/fill/system"]
    k = list(g.keys())[0]
    del g[k + "/curve"]; g[k].create_dataset("curve", data=np.zeros((4, 4)))
def arrn(f):
    g = f["runs/list/fill/system"]
    k = list(g.keys())[0]
    del g[k].attrs["n"]; g[k].attrs["n"] = np.arange(100, dtype=np.uint64)
variant("newer_schema.h5", newer)
variant("negative_schema.h5", neg)
variant("string_schema.h5", strschema)
variant("array_schema.h5", arrschema)
variant("array_host.h5", arrhost)
variant("no_summary.h5", nosummary)
variant("no_curve.h5", nocurve)
variant("curve_2d.h5", badcurve)
variant("array_n.h5", arrn)
PYEOF

# a mutated results file (found by fuzz_results) on which HDF5 1.10 itself crashes inside
# H5Aexists: every command must still answer with one line and exit 2 (mc_h5_read_guarded)
cp "$(dirname "$0")/data/hdf5_parser_crash.h5" "$TMP/hdf5_crash.h5"

cp "$G" "$TMP/keep.h5"
sum_before=$(md5sum <"$TMP/keep.h5")
for f in empty text trunc_sig trunc_512 trunc_half trunc_tail corrupt_super corrupt_meta \
  corrupt_mid foreign foreign_runs newer_schema negative_schema string_schema array_schema \
  array_host no_summary no_curve curve_2d array_n hdf5_crash; do
  bad=$TMP/$f.h5
  expect_fail2 "info $f" "$MC" info "$bad"
  expect_fail2 "compare good $f" "$MC" compare "$G" "$bad"
  expect_fail2 "compare $f good" "$MC" compare "$bad" "$G"
  expect_fail2 "merge $f into existing output" "$MC" merge -o "$TMP/keep.h5" "$G" "$bad"
  expect_fail2 "plot $f" "$MC" plot "$bad" --out "$TMP/plots" --quiet
  expect_fail2 "report $f" "$MC" report "$bad" --out "$TMP/report.html" --no-draw
done
# the newer schema's message says so
msg=$("$MC" info "$TMP/newer_schema.h5" 2>&1)
case $msg in
*[Ss]chema*) ok "newer schema: the message names the schema: $msg" ;;
*) fail "newer schema: the message does not say schema: $msg" ;;
esac
if [ "$(md5sum <"$TMP/keep.h5")" = "$sum_before" ]; then ok "merge output untouched"; else
  fail "a failed merge modified the existing output"; fi
# and the good file still reads
if [ "$(runs_in "$G")" = 2 ]; then ok "good file reads (2 runs)"; else fail "good file unreadable"; fi
finish
