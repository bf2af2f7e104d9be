#!/usr/bin/env bash
# test_rel_faults.sh — faults during `memcurve run`, each checked on the results it leaves:
#  1. out of memory in a child: --mem-limit (RLIMIT_AS set on the child) and `ulimit -v` on the
#     whole command — the run is recorded as failed with its reason, the suite goes on, exit 0
#     (running out of memory is an outcome);
#  2. a child killed with SIGKILL — recorded with the signal, the suite goes on, exit 1;
#  3. a child that exceeds --timeout — recorded as such, the suite goes on, exit 1;
#  4. SIGINT to the parent mid-sweep — exit 130, a valid <out>.partial holding every run that
#     finished before the interrupt, an existing <out> untouched; the same with snapshots
#     paced so that none falls between runs (MEMCURVE_SNAPSHOT_PACE): nothing is lost;
#  5. a failed write of the results file: RLIMIT_FSIZE (`ulimit -f`), with SIGXFSZ at its
#     default and ignored (then write() fails with EFBIG, as a full disk fails with ENOSPC) —
#     a clear message and an exit status (not a signal), a valid .partial that keeps every run
#     written before the failure, an existing <out> untouched.
# MEMCURVE=path/to/memcurve.
source "$(dirname "$0")/lib.sh"
make_good
cd "$TMP" || exit 1

# status_of FILE PATTERN: the "ok=<0|1> status" part of the run whose path matches PATTERN
status_of() { run_status "$1" | grep -E "$2" | head -1 | cut -d' ' -f2-; }

# ---- 1. out of memory ------------------------------------------------------------------------
# An ASan build reserves terabytes of address space for its shadow at startup, so an address-
# space limit stops the process before main: these two need a plain build (CI's `make test`).
# (grep reads all its input: with pipefail, `grep -q` exiting early made ldd/nm die of SIGPIPE
# and the pipeline fail, so the ASan binary was sometimes not recognised)
if ldd "$MC" 2>/dev/null | grep libasan >/dev/null || nm "$MC" 2>/dev/null | grep __asan_init >/dev/null; then
  echo "skip out-of-memory scenarios: $MC is built with AddressSanitizer"
else
"$MC" run -s list -w fill -a system -n 1000,3000000 -r 1 -q --mem-limit 64 -o oom.h5 2>err.txt
rc=$?
st_big=$(status_of oom.h5 'n3000000')
st_small=$(status_of oom.h5 'n1000')
if [ $rc -eq 0 ] && [[ $st_big == "ok=0 "*memory* ]] && [ "$st_small" = "ok=1 ok" ]; then
  ok "--mem-limit 64: big run recorded '$st_big', small run ok, exit 0"
else fail "--mem-limit 64: exit $rc, big '$st_big', small '$st_small': $(cat err.txt)"; fi

(ulimit -v 600000 && exec "$MC" run -s list -w fill -a system -n 1000,20000000 -r 1 -q -o ulimit.h5) 2>err.txt
rc=$?
st_big=$(status_of ulimit.h5 'n20000000')
st_small=$(status_of ulimit.h5 'n1000')
if [ $rc -eq 0 ] && [[ $st_big == "ok=0 "* ]] && [ "$st_small" = "ok=1 ok" ]; then
  ok "ulimit -v: big run recorded '$st_big', small run ok, exit 0"
else fail "ulimit -v: exit $rc, big '$st_big', small '$st_small': $(head -c 300 err.txt)"; fi
fi

# ---- 2. a child killed with SIGKILL ------------------------------------------------------------
"$MC" run -s list -w fill -a system,pool -n 3000000 -r 1 -q --no-curve -o kill.h5 2>err.txt &
parent=$!
victim=""
for _ in $(seq 1 200); do # a few seconds at most for the first child to appear
  victim=$(pgrep -P $parent | head -1)
  [ -n "$victim" ] && break
  sleep 0.02
done
[ -n "$victim" ] && kill -KILL "$victim"
wait $parent
rc=$?
statuses=$(run_status kill.h5 2>/dev/null)
nkilled=$(grep -Ec "ok=0 .*(SIGKILL|signal 9)" <<<"$statuses")
nok=$(grep -c "ok=1" <<<"$statuses")
if [ -n "$victim" ] && [ $rc -eq 1 ] && [ "$nkilled" -eq 1 ] && [ "$nok" -eq 1 ]; then
  ok "SIGKILL of a child: recorded ($(grep 'ok=0' <<<"$statuses" | cut -d' ' -f3-)), the other run ok"
else fail "SIGKILL of a child (pid '$victim'): exit $rc; runs: $statuses; $(cat err.txt)"; fi

# ---- 3. a child over --timeout -----------------------------------------------------------------
"$MC" run -s list -w fill -a system -n 1000,200000000 -r 1 -q --no-curve --timeout 1 -o slow.h5 2>err.txt
rc=$?
st_big=$(status_of slow.h5 'n200000000')
st_small=$(status_of slow.h5 'n1000')
if [ $rc -eq 1 ] && [[ $st_big == "ok=0 "* ]] && [ "$st_small" = "ok=1 ok" ]; then
  ok "--timeout 1: slow run recorded '$st_big', the other ok, exit 1 (a run failed)"
else fail "--timeout 1: exit $rc, slow '$st_big', small '$st_small': $(cat err.txt)"; fi

# ---- 4. SIGINT to the parent -------------------------------------------------------------------
# interrupt_after K: once the K-th child of $parent has started (20 s at most), SIGINT to $parent;
# its exit status in rc
interrupt_after() {
  local seen="" c deadline=$((SECONDS + 20))
  while [ $SECONDS -lt $deadline ]; do
    c=$(pgrep -P $parent | head -1)
    if [ -n "$c" ] && [[ " $seen " != *" $c "* ]]; then seen="$seen $c"; fi
    [ "$(wc -w <<<"$seen")" -ge "$1" ] && break
    sleep 0.01
  done
  kill -INT $parent
  wait $parent
  rc=$?
}
cp good.h5 int.h5
sum_before=$(md5sum <int.h5)
"$MC" run -s list,pq,boxed -w fill -a system,pool -n 1000000 -r 1 -q --force -o int.h5 2>err.txt &
parent=$!
interrupt_after 3 # the third child: the first run is written by then
n=$(runs_in int.h5.partial)
nfinished=$(run_status int.h5.partial | grep -c "ok=1 ok")
nother=$(run_status int.h5.partial | grep -v "ok=1 ok" | grep -vc "ok=0 interrupted")
if [ $rc -eq 130 ] && h5_valid int.h5.partial && [ "$nfinished" -ge 1 ] && [ "$nother" -eq 0 ] &&
  [ "$(md5sum <int.h5)" = "$sum_before" ] &&
  [ "$(grep -c . err.txt)" -eq 1 ]; then
  ok "SIGINT: exit 130, valid .partial with $nfinished finished run(s) of $n, output untouched: $(cat err.txt)"
else
  fail "SIGINT: exit $rc, .partial runs $n, $(run_status int.h5.partial 2>&1 | tr '\n' ';'), $(head -c 300 err.txt)"
fi

# ---- 4b. SIGINT between two snapshots ----------------------------------------------------------
# `run` paces its snapshots of the .partial (mc_h5_writer_pace); with a pace so large that none
# is taken between runs, an interrupt must still leave every run written before it in the
# .partial: the "interrupted after N of M runs" count equals the runs in the file.
MEMCURVE_SNAPSHOT_PACE=1e12 "$MC" run -s list,pq,boxed -w fill -a system,pool -n 1000000 -r 1 -q \
  -o int2.h5 2>err.txt &
parent=$!
interrupt_after 4 # the fourth child: a run or two are written
n=$(runs_in int2.h5.partial)
said=$(sed -n 's/.*interrupted after \([0-9]*\) of.*/\1/p' err.txt)
nfinished=$(run_status int2.h5.partial | grep -c "ok=1 ok")
if [ $rc -eq 130 ] && h5_valid int2.h5.partial && [ "$nfinished" -ge 1 ] && [ "$n" = "$said" ]; then
  ok "SIGINT between snapshots: exit 130, the .partial holds all $n runs written ($nfinished finished)"
else
  fail "SIGINT between snapshots: exit $rc, .partial runs $n, said '$said', finished $nfinished: $(head -c 300 err.txt)"
fi

# ---- 5. a failed write of the results file -----------------------------------------------------
for mode in default ignored; do
  cp good.h5 fsz.h5
  rm -f fsz.h5.partial
  sum_before=$(md5sum <fsz.h5)
  (
    ulimit -f 40 # 40 KiB: the first run or two fit, then writes fail
    [ $mode = ignored ] && trap '' XFSZ
    exec "$MC" run -s list,pq,boxed -w fill -a system,pool -n 20000 -r 1 -q --force -o fsz.h5
  ) 2>err.txt
  rc=$?
  n=$(runs_in fsz.h5.partial)
  if [ $rc -ge 1 ] && [ $rc -lt 128 ] && h5_valid fsz.h5.partial && [ "$n" -ge 1 ] &&
    [ "$(md5sum <fsz.h5)" = "$sum_before" ] && [ "$(grep -c . err.txt)" -ge 1 ]; then
    ok "file size limit (SIGXFSZ $mode): exit $rc, valid .partial with $n run(s), output untouched: $(tr '\n' ' ' <err.txt)"
  else
    fail "file size limit (SIGXFSZ $mode): exit $rc (want 1..127), .partial valid: $(h5_valid fsz.h5.partial && echo yes || echo no), runs in it: $n (want >= 1), output untouched: $([ "$(md5sum <fsz.h5)" = "$sum_before" ] && echo yes || echo no); stderr: $(tr '\n' ' ' <err.txt | head -c 300)"
  fi
done
finish
