#!/usr/bin/env bash
# test_rel_hostile.sh — issue 17: hostile files, paths and environments. Every command is
# bounded in time (a hang fails the check, never the suite), every process started here is
# stopped here by its pid. Defects (issue 17 numbering) in the check names: [1] external links,
# external storage, virtual datasets, FIFOs; [2] phantom extents; [3] many distinct names;
# [4] -o over devices/FIFOs; [5] orphaned children; [6] duplicate names; [7] gnuplot quoting;
# [8] the caller's LD_PRELOAD; [9] merge drops; [10] concurrent writers; [11] terminal escapes;
# [12] newlines in names; [13] invalid UTF-8; [14] full disk; [15] long output names;
# [16] --gbench of a device/FIFO; [17] merge linear. MEMCURVE=path/to/memcurve.
source "$(dirname "$0")/lib.sh"
make_good
G=$TMP/good.h5
T="timeout -k 5" # timeout -k 5 SECONDS CMD...: a hang is exit 124 (or 137), never a stuck suite
# An ASan build reserves terabytes of address space (no `ulimit -v`) and must come first in the
# library list (no foreign LD_PRELOAD): those checks need a plain build (see test_rel_faults.sh).
ASAN=0
if ldd "$MC" 2>/dev/null | grep libasan >/dev/null || nm "$MC" 2>/dev/null | grep __asan_init >/dev/null; then
  ASAN=1
fi
VLIM=2000000
[ "$ASAN" = 1 ] && VLIM=unlimited

# expect2t NAME SECONDS CMD...: like expect_fail2, bounded in time.
expect2t() {
  local name=$1 secs=$2
  shift 2
  expect_fail2 "$name" $T "$secs" "$@"
}

# ---- [1] self-contained files -------------------------------------------------------------
mkfifo "$TMP/fifo"
"$PY" - "$TMP" "$G" <<'PYEOF'
import sys, shutil, h5py, numpy as np
d, good = sys.argv[1], sys.argv[2]
def variant(name, fn):
    shutil.copy(good, d + "/" + name)
    with h5py.File(d + "/" + name, "a") as f:
        fn(f)
def ext_fifo(f):
    del f["summary"]; f["summary"] = h5py.ExternalLink(d + "/fifo", "/summary")
def ext_other(f):
    del f["summary"]; f["summary"] = h5py.ExternalLink(good, "/summary")
def ext_curve(f):
    g = f["runs/list/fill/system"]; k = list(g.keys())[0]
    del g[k + "/curve"]; g[k]["curve"] = h5py.ExternalLink(d + "/fifo", "/x")
def soft(f):
    del f["summary"]; f["summary"] = h5py.SoftLink("/throughput")
def ext_storage(f):
    t = f["summary"].dtype; n = f["summary"].shape[0]
    del f["summary"]
    f.create_dataset("summary", shape=(n,), dtype=t, external=[(d + "/fifo", 0, h5py.h5f.UNLIMITED)])
def virtual(f):
    t = f["summary"].dtype; n = f["summary"].shape[0]
    del f["summary"]
    lay = h5py.VirtualLayout(shape=(n,), dtype=t)
    lay[:] = h5py.VirtualSource(d + "/fifo", "summary", shape=(n,), dtype=t)
    f.create_virtual_dataset("summary", lay)
# [2] phantom extents: declared, never written
def phantom_summary(f):
    t = f["summary"].dtype
    del f["summary"]
    f.create_dataset("summary", shape=(3500000,), maxshape=(None,), dtype=t, chunks=(64,),
                     compression="gzip")
def phantom_contig(f):
    t = f["summary"].dtype
    del f["summary"]
    f.create_dataset("summary", shape=(3500000,), dtype=t)
def phantom_curve(f):
    g = f["runs/list/fill/system"]; k = list(g.keys())[0]
    t = g[k + "/curve"].dtype
    del g[k + "/curve"]
    g[k].create_dataset("curve", shape=(200000000,), maxshape=(None,), dtype=t, chunks=(1024,),
                        compression="gzip")
def phantom_extend(f): # a real dataset whose extent is grown past what is stored
    s = f["summary"]; s.resize((2000000,))
for name, fn in [("ext_fifo", ext_fifo), ("ext_other", ext_other), ("ext_curve", ext_curve),
                 ("soft", soft), ("ext_storage", ext_storage), ("virtual", virtual),
                 ("phantom_summary", phantom_summary), ("phantom_contig", phantom_contig),
                 ("phantom_curve", phantom_curve), ("phantom_extend", phantom_extend)]:
    variant(name + ".h5", fn)
PYEOF
cp "$G" "$TMP/keep.h5"
sum_before=$(md5sum <"$TMP/keep.h5")
for f in ext_fifo ext_other ext_curve soft ext_storage virtual phantom_summary phantom_contig \
  phantom_curve phantom_extend; do
  tag="[1]"
  case $f in phantom*) tag="[2]" ;; esac
  bad=$TMP/$f.h5
  # [2]: bounded memory too: 1 GB of address space is far more than a 100 KB file may cost
  expect2t "$tag info $f" 20 bash -c 'ulimit -v "$0"; exec "$@"' "$VLIM" "$MC" info "$bad"
  expect2t "$tag compare $f" 20 "$MC" compare "$G" "$bad"
  expect2t "$tag merge $f" 20 "$MC" merge -o "$TMP/keep.h5" "$G" "$bad"
  expect2t "$tag plot $f" 20 "$MC" plot "$bad" --out "$TMP/plots" --quiet
  expect2t "$tag report $f" 20 "$MC" report "$bad" --out "$TMP/report.html" --no-draw
done
expect2t "[1] info on a FIFO" 10 "$MC" info "$TMP/fifo"
expect2t "[1] merge of a FIFO" 10 "$MC" merge -o "$TMP/m.h5" "$TMP/fifo"
msg=$($T 10 "$MC" info "$TMP/ext_other.h5" 2>&1)
case $msg in *external*) ok "[1] the message names the external link: $msg" ;;
*) fail "[1] external link message: $msg" ;; esac
if [ "$(md5sum <"$TMP/keep.h5")" = "$sum_before" ]; then ok "[1] merge output untouched"; else
  fail "[1] a failed merge modified the existing output"; fi
# no guarded-read child left behind (they run under this script's process group)
sleep 0.2
if pgrep -f "$TMP/.*\.h5" >/dev/null; then fail "[1] a reader child is left: $(pgrep -af "$TMP/")"; else
  ok "[1] no reader process left"; fi

# ---- [16] --gbench of a device, a FIFO ----------------------------------------------------
expect2t "[16] --gbench /dev/zero" 10 "$MC" run -s list -w fill -a system -n 10 -r 1 -q \
  -o "$TMP/g.h5" --gbench /dev/zero
expect2t "[16] --gbench FIFO" 10 "$MC" run -s list -w fill -a system -n 10 -r 1 -q \
  -o "$TMP/g.h5" --gbench "$TMP/fifo"

# ---- [3] many distinct names: n log n grouping ----------------------------------------------
# 3000 distinct names: 3 (structure, workload) groups of 1000 allocators, each at one N
"$PY" - "$TMP/many.json" 3000 <<'PYEOF'
import sys, json
n = int(sys.argv[2])
b = [{"name": f"s{i % 3}/w/a{i}/1000", "run_type": "iteration", "iterations": 10,
      "real_time": 10.0 + i, "cpu_time": 10.0, "time_unit": "ns", "items_per_second": 1e6 + i}
     for i in range(n)]
json.dump({"context": {}, "benchmarks": b}, open(sys.argv[1], "w"))
PYEOF
if $T 60 "$MC" run -s list -w fill -a system -n 10 -r 1 -q -o "$TMP/many.h5" \
  --gbench "$TMP/many.json" >/dev/null 2>&1; then
  for mode in --no-draw draw; do
    mkdir -p "$TMP/many$mode"
    t0=$(date +%s.%N)
    # shellcheck disable=SC2046
    $T 120 "$MC" report "$TMP/many.h5" --out "$TMP/many$mode/report.html" --format png \
      $( [ $mode = draw ] || echo --no-draw ) >/dev/null 2>"$TMP/err"
    rc=$?
    secs=$(echo "$(date +%s.%N) - $t0" | bc)
    if [ "$rc" -eq 0 ] && [ "$(echo "$secs < 60" | bc)" = 1 ]; then
      ok "[3] report $mode on 3000 distinct throughput names: ${secs}s"
    else fail "[3] report $mode on 3000 distinct names: exit $rc after ${secs}s: $(head -c 300 "$TMP/err")"; fi
  done
else fail "[3] cannot import 3000 names"; fi

# ---- [4] -o over devices and FIFOs -------------------------------------------------------
mknod "$TMP/null" c 1 3 2>/dev/null || ln -s /dev/null "$TMP/null"
ln -s /dev/null "$TMP/nulllink"
for target in null nulllink fifo; do
  expect2t "[4] run -o $target" 20 "$MC" run -s list -w fill -a system -n 10 -r 1 -q -o "$TMP/$target"
  expect2t "[4] merge -o $target" 20 "$MC" merge -o "$TMP/$target" "$G"
  expect2t "[4] report --out $target" 20 "$MC" report "$G" --out "$TMP/$target" --no-draw
done
if [ -c "$TMP/null" ] || [ -L "$TMP/null" ]; then ok "[4] the device node is still one"; else
  fail "[4] the device node was replaced"; fi
if [ -p "$TMP/fifo" ]; then ok "[4] the FIFO is still one"; else fail "[4] the FIFO was replaced"; fi
if [ -c /dev/null ]; then ok "[4] /dev/null is a device"; else fail "[4] /dev/null replaced"; fi

# ---- [5] children die with a killed parent -----------------------------------------------
"$MC" run -s list -w fill -a system -n 400000000 -r 3 -q --timeout 60 -o "$TMP/long.h5" \
  >/dev/null 2>&1 &
parent=$!
child=
for _ in $(seq 100); do
  child=$(pgrep -P "$parent" | head -1)
  [ -n "$child" ] && break
  sleep 0.05
done
if [ -z "$child" ]; then
  fail "[5] no child seen"
else
  kill -KILL "$parent"
  wait "$parent" 2>/dev/null
  for _ in $(seq 40); do kill -0 "$child" 2>/dev/null || break; sleep 0.05; done
  if kill -0 "$child" 2>/dev/null; then
    fail "[5] child $child outlived its killed parent"
    kill -KILL "$child" 2>/dev/null
  else ok "[5] the child died with its parent (PR_SET_PDEATHSIG)"; fi
fi

# ---- [6] duplicate names refused before running ------------------------------------------
expect2t "[6] -a system,system" 20 "$MC" run -s list -w fill -a system,system -n 10 -o "$TMP/keep.h5"
expect2t "[6] -s list,list" 20 "$MC" run -s list,list -w fill -a system -n 10 -o "$TMP/keep.h5"
expect2t "[6] -w fill,fill" 20 "$MC" run -s list -w fill,fill -a system -n 10 -o "$TMP/keep.h5"
expect2t "[6] -n 10,10" 20 "$MC" run -s list -w fill -a system -n 10,10 -o "$TMP/keep.h5"

# ---- [7] [12] [13] hostile names through gnuplot -----------------------------------------
"$PY" - "$TMP/names.json" <<'PYEOF'
import sys, json
names = ["'q", "a''b", "x\"y", "b\\s", "at@v", "dollar$", "back`tick", "semi;colon"]
b = []
for i, a in enumerate(names):
    for n in (100, 1000):
        b.append({"name": f"st/wl/{a}/{n}", "run_type": "iteration", "iterations": 10,
                  "real_time": 10.0 + i, "cpu_time": 10.0, "time_unit": "ns",
                  "items_per_second": 1e6 * (i + 1)})
json.dump({"context": {}, "benchmarks": b}, open(sys.argv[1], "w"))
PYEOF
$T 60 "$MC" run -s list -w fill -a system,pool -n 500 -r 1 -q -o "$TMP/names.h5" \
  --gbench "$TMP/names.json" >/dev/null 2>&1
# [12] a newline in a name that would plant a data row; [13] bytes that are not UTF-8;
# [11] terminal escapes in names and attributes
"$PY" - "$TMP/names.h5" <<'PYEOF'
import sys, h5py, numpy as np
with h5py.File(sys.argv[1], "a") as f:
    t = f["throughput"][...]
    t["allocator"][0] = b"nl\n100 9e99 9e99 9e99"
    t["allocator"][1] = b"nl\n100 9e99 9e99 9e99"
    t["allocator"][2] = b"bad\xff\xfeutf"
    t["allocator"][3] = b"bad\xff\xfeutf"
    t["allocator"][4] = b"esc\x1b[31mred\x07\rx"
    t["allocator"][5] = b"esc\x1b[31mred\x07\rx"
    f["throughput"][...] = t
    del f.attrs["host"]
    f.attrs.create("host", np.bytes_(b"h\x1b]0;pwned\x07\r\x1b[2J"))
PYEOF
for out in "$TMP/plots7" "$TMP/'o''ut\"q"; do
  $T 120 "$MC" plot "$TMP/names.h5" --out "$out" --format svg >"$TMP/out" 2>"$TMP/err"
  rc=$?
  if [ "$rc" -eq 0 ] && ! grep -q "failed\|incomplete" "$TMP/err" "$TMP/out"; then
    ok "[7] plot with quote-laden names into '$(basename "$out")': every chart drawn"
  else fail "[7] plot into $out: exit $rc: $(grep -h "failed\|incomplete" "$TMP/err" "$TMP/out" | head -3)"; fi
done
if grep -rqs "^100 9e99" "$TMP/plots7/data"; then fail "[12] a newline in a name planted a data row"
else ok "[12] no data row planted by a name"; fi
bad_svg=$("$PY" - "$TMP/plots7" <<'PYEOF'
import sys, glob
bad = []
for p in glob.glob(sys.argv[1] + "/*.svg"):
    b = open(p, "rb").read()
    try: b.decode("utf-8")
    except UnicodeDecodeError: bad.append(p)
    if not b.rstrip().endswith(b"</svg>"): bad.append(p)
print(" ".join(bad))
PYEOF
)
if [ -z "$bad_svg" ] && ls "$TMP/plots7"/*.svg >/dev/null 2>&1; then ok "[13] every SVG is whole and valid UTF-8"
else fail "[13] malformed SVGs: $bad_svg"; fi
for cmd in "info $TMP/names.h5" "compare $TMP/names.h5 $G" "report $TMP/names.h5 --out $TMP/r11/report.html --no-draw"; do
  # shellcheck disable=SC2086
  $T 60 "$MC" $cmd >"$TMP/out" 2>&1
  if LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]' "$TMP/out"; then
    fail "[11] $(echo "$cmd" | cut -d' ' -f1) prints control characters"
  else ok "[11] $(echo "$cmd" | cut -d' ' -f1): no control character on output"; fi
done

# ---- [8] the caller's LD_PRELOAD ----------------------------------------------------------
pre=$(ls /usr/lib/*/libjemalloc.so.2 /usr/lib/*/libtcmalloc_minimal.so.4 2>/dev/null | head -1)
if [ "$ASAN" = 1 ]; then
  ok "[8] skipped: $MC is built with AddressSanitizer (a foreign preload cannot come first)"
elif [ -n "$pre" ]; then
  LD_PRELOAD=$pre $T 60 "$MC" run -s list -w fill -a system -n 1000 -r 1 -q -o "$TMP/pre.h5" \
    >/dev/null 2>"$TMP/err"
  rc=$?
  lv=$("$PY" -c "import h5py,sys; v=h5py.File(sys.argv[1])['/'].attrs['library_versions']; print(v.decode() if isinstance(v, bytes) else v)" "$TMP/pre.h5" 2>/dev/null)
  if [ "$rc" -eq 0 ] && grep -q LD_PRELOAD "$TMP/err" && [[ $lv == *"LD_PRELOAD cleared"* ]]; then
    ok "[8] a caller's preload is cleared, said on stderr and recorded: ${lv##*; }"
  else fail "[8] preload: exit $rc, stderr $(head -c 200 "$TMP/err"), recorded '$lv'"; fi
  # the child's maps: the preloaded library must not be in a system run's child
  LD_PRELOAD=$pre "$MC" run -s list -w fill -a system -n 300000000 -r 1 -q --timeout 30 \
    -o "$TMP/pre2.h5" >/dev/null 2>&1 &
  parent=$!
  child=
  for _ in $(seq 100); do child=$(pgrep -P "$parent" | head -1); [ -n "$child" ] && break; sleep 0.05; done
  sleep 0.2
  if [ -n "$child" ] && ! grep -q "$(basename "$pre")" "/proc/$child/maps" 2>/dev/null; then
    ok "[8] the system run's child has no foreign malloc mapped"
  else fail "[8] child ${child:-none} maps $(basename "$pre")"; fi
  kill -KILL "$parent" 2>/dev/null
  wait "$parent" 2>/dev/null
else ok "[8] skipped: no jemalloc/tcmalloc to preload"; fi

# ---- [9] merge keeps or reports every row -------------------------------------------------
"$PY" - "$G" "$TMP/orphans.h5" "$TMP/dupkey.h5" <<'PYEOF'
import sys, shutil, h5py, numpy as np
good, orph, dup = sys.argv[1:4]
shutil.copy(good, orph)
with h5py.File(orph, "a") as f:
    s = f["summary"]; rows = s[...].copy()
    rows["allocator"] = b"nobody"
    n = s.shape[0]; s.resize((n + len(rows),)); s[n:] = rows
shutil.copy(good, dup)
with h5py.File(dup, "a") as f:
    g = f["runs/list/fill/system"]; k = list(g.keys())[0]
    g.copy(k, k + "x")   # a second group carrying the same key in its attributes
PYEOF
$T 30 "$MC" merge -o "$TMP/m9.h5" "$TMP/orphans.h5" >/dev/null 2>"$TMP/err"
rc=$?
nsum=$("$PY" -c "import h5py,sys; print(h5py.File(sys.argv[1])['summary'].shape[0])" "$TMP/m9.h5" 2>/dev/null)
nin=$("$PY" -c "import h5py,sys; print(h5py.File(sys.argv[1])['summary'].shape[0])" "$TMP/orphans.h5")
if [ "$rc" -eq 0 ] && [ "$nsum" = "$nin" ] && grep -q "match no run" "$TMP/err"; then
  ok "[9] rows matching no run kept ($nsum of $nin) and reported: $(cat "$TMP/err" | head -1)"
else fail "[9] orphans: exit $rc, $nsum of $nin rows, $(head -c 300 "$TMP/err")"; fi
expect2t "[9] duplicate run key in one input" 30 "$MC" merge -o "$TMP/m9b.h5" "$TMP/dupkey.h5"
if grep -q "twice in" "$TMP/err"; then ok "[9] the message names the duplicate in one input"
else fail "[9] duplicate message: $(cat "$TMP/err")"; fi

# ---- [10] two writers of one output -------------------------------------------------------
locks_before=$(find "$TMP" -maxdepth 1 -name '*.lock' | wc -l) # SIGKILLed writers above leave theirs
"$MC" run -s list -w fill -a system -n 2000000 -r 3 -q -o "$TMP/shared.h5" >/dev/null 2>"$TMP/errA" &
a=$!
sleep 0.3
$T 60 "$MC" run -s list -w fill -a pool -n 1000 -r 1 -q -o "$TMP/shared.h5" >/dev/null 2>"$TMP/errB"
rcB=$?
wait "$a"
rcA=$?
if [ "$rcA" -eq 0 ] && [ "$rcB" -ne 0 ] && grep -q "another memcurve" "$TMP/errB" &&
  [ "$(runs_in "$TMP/shared.h5")" = 1 ]; then
  ok "[10] the second writer is refused (exit $rcB: $(cat "$TMP/errB")), the first's file holds its run"
else fail "[10] A exit $rcA, B exit $rcB ($(cat "$TMP/errB")), runs $(runs_in "$TMP/shared.h5")"; fi
if [ "$(find "$TMP" -maxdepth 1 -name '*.lock' | wc -l)" -gt "$locks_before" ]; then
  fail "[10] a lock file is left"; else ok "[10] no lock file left by the finished writers"; fi

# ---- [14] full disk (RLIMIT_FSIZE, SIGXFSZ ignored) ----------------------------------------
# the disk fills at creation (1 KB) or at the first run (8 KB): exit 1 and the reason, both
for kb in 1 8; do
  out=$( (trap '' XFSZ; ulimit -f $kb; exec $T 30 "$MC" run -s list -w fill -a system -n 100 -r 1 -q \
    -o "$TMP/full$kb.h5") 2>&1)
  rc=$?
  if [ "$rc" -eq 1 ] && [[ $out == *"too large"* || $out == *"space"* ]]; then
    ok "[14] run on a disk full at $kb KB: exit 1, reason given: ${out//$'\n'/ }"
  else fail "[14] run on a disk full at $kb KB: exit $rc: $out"; fi
done
big=$TMP/big.h5
$T 60 "$MC" run -s list -w fill,drain -a system,pool,arena -n 2000,4000 -r 1 -q -o "$big" >/dev/null 2>&1
out=$( (trap '' XFSZ; ulimit -f 100; exec $T 30 "$MC" merge -o "$TMP/fullm.h5" "$big") 2>&1)
rc=$?
if [ "$rc" -eq 1 ] && [[ $out == *"$TMP/fullm.h5"* ]] && [[ $out == *"too large"* ]]; then
  ok "[14] merge on a full disk names the file and the reason: $out"
else fail "[14] merge full disk: exit $rc: $out"; fi
rm -rf "$TMP/pfull"
out=$( (trap '' XFSZ; ulimit -f 30; exec $T 60 "$MC" plot "$G" --out "$TMP/pfull" --format svg) 2>&1)
listed_bad=""
for f in "$TMP/pfull"/*.svg; do
  [ -e "$f" ] || continue
  n=$(basename "$f" .svg)
  if grep -q "$n" <<<"$out" && ! tail -c 20 "$f" | grep -q "</svg>" && ! grep -q "$n: the drawn file is incomplete" <<<"$out"; then
    listed_bad="$listed_bad $n"
  fi
done
if [ -z "$listed_bad" ]; then ok "[14] plot lists no truncated chart as drawn"
else fail "[14] truncated charts listed:$listed_bad"; fi

# ---- [15] long output names ---------------------------------------------------------------
for len in 241 250 255; do
  name=$(printf 'x%.0s' $(seq "$len"))
  mkdir -p "$TMP/long$len"
  $T 60 "$MC" run -s list -w fill -a system -n 100 -r 1 -q -o "$TMP/long$len/$name" >/dev/null 2>"$TMP/err"
  rc=$?
  if [ "$rc" -eq 0 ] && [ "$(runs_in "$TMP/long$len/$name")" = 1 ] && [ "$(ls -A "$TMP/long$len" | wc -l)" = 1 ]; then
    ok "[15] a $len-byte output name works, nothing left beside it"
  else fail "[15] $len-byte name: exit $rc: $(cat "$TMP/err")"; fi
done

# ---- [17] merge is linear: 1000 and 3000 runs ---------------------------------------------
# CPU time (user + system, the guarded-read child included) rather than wall time: the machine
# may be shared. Linear: 3x the runs costs well under 4.5x the time (it was quadratic: 448 runs
# 3.2 s, 3000 runs more than 60 s).
for n in 1000 3000; do
"$PY" - "$G" "$TMP/r$n.h5" $n <<'PYEOF'
import sys, shutil, h5py, numpy as np
good, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
shutil.copy(good, out)
with h5py.File(out, "a") as f:
    g = f["runs/list/fill/system"]; k = list(g.keys())[0]
    rows = f["summary"][...]
    row = rows[rows["allocator"] == b"system"][0]
    new = np.repeat(row[None], n, axis=0)
    for i in range(n):
        name = f"n{1000000 + i}"
        g.copy(k, name)
        g[name].attrs["n"] = np.uint64(1000000 + i)
        new["n"][i] = 1000000 + i
    s = f["summary"]; m = s.shape[0]; s.resize((m + n,)); s[m:] = new
PYEOF
done
cpu_of() { # cpu_of CMD...: prints "<exit status> <CPU seconds> <wall seconds>"
  "$PY" -c 'import subprocess, resource, sys, time
t = time.time(); r = subprocess.run(sys.argv[1:], stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL).returncode
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(r, round(u.ru_utime + u.ru_stime, 2), round(time.time() - t, 2))' "$@"
}
read -r rc1 cpu1 wall1 < <(cpu_of $T 300 "$MC" merge -o "$TMP/m1000.h5" "$TMP/r1000.h5")
read -r rc3 cpu3 wall3 < <(cpu_of $T 300 "$MC" merge -o "$TMP/m3000.h5" "$TMP/r3000.h5")
if [ "$rc1" = 0 ] && [ "$rc3" = 0 ] && [ "$(runs_in "$TMP/m3000.h5")" = 3002 ] &&
  [ "$(echo "$cpu3 < 4.5 * $cpu1 + 1 && $cpu3 < 60" | bc)" = 1 ]; then
  ok "[17] merge of 1002 runs: ${cpu1}s CPU (${wall1}s wall); of 3002 runs: ${cpu3}s CPU (${wall3}s wall)"
else fail "[17] merge: 1002 runs exit $rc1 ${cpu1}s CPU; 3002 runs exit $rc3 ${cpu3}s CPU (${wall3}s wall)"; fi

# ---- [1] the guarded-read child dies with a killed command ------------------------------------
"$MC" info "$TMP/r3000.h5" >/dev/null 2>&1 &
parent=$!
child=
for _ in $(seq 100); do child=$(pgrep -P "$parent" | head -1); [ -n "$child" ] && break; sleep 0.02; done
if [ -z "$child" ]; then
  ok "[1] (the guarded read ended before it could be seen; nothing to kill)"
  wait "$parent" 2>/dev/null
else
  kill -KILL "$parent"
  wait "$parent" 2>/dev/null
  for _ in $(seq 40); do kill -0 "$child" 2>/dev/null || break; sleep 0.05; done
  if kill -0 "$child" 2>/dev/null; then
    fail "[1] the guarded-read child $child outlived its killed parent"
    kill -KILL "$child" 2>/dev/null
  else ok "[1] the guarded-read child died with its killed parent"; fi
fi

finish
