#!/usr/bin/env bash
# bench.sh BUILD_DIR RESULTS_DIR — runs the default benchmark suite from a Release build.
set -euo pipefail
build=$1
results=$2
# An earlier results folder is never overwritten in place: it is moved to RESULTS.prev (one
# generation kept; the RESULTS.prev before it is removed), said on stderr, and the suite
# writes a fresh RESULTS.
if [ -e "$results" ] && [ -n "$(ls -A "$results" 2>/dev/null)" ]; then
  older=""
  [ -e "$results.prev" ] && older=" (the older $results.prev/ was removed)"
  rm -rf "$results.prev"
  mv "$results" "$results.prev"
  echo "bench.sh: the earlier $results/ is now $results.prev/$older" >&2
fi
mkdir -p "$results"
# Each phase's wall time and CPU time (user + sys of the commands it ran), said on stderr at the
# end ("bench.sh: phases: NAME WALL (cpu CPU), ..."): where the time goes on a shared machine.
phases=""
t_phase=$(date +%s.%N)
times_file=$(mktemp)
trap 'rm -f "$times_file"' EXIT
# cpu: the CPU seconds of the commands run so far (`times` in this shell, not in a $(...)
# subshell, which would see none)
cpu_now() {
  times >"$times_file"
  cpu=$(awk 'NR == 2 {split($1, u, /[ms]/); split($2, s, /[ms]/); print u[1] * 60 + u[2] + s[1] * 60 + s[2]}' "$times_file")
}
cpu_now
c_phase=$cpu
phase_done() {
  local now
  now=$(date +%s.%N)
  cpu_now
  phases="$phases $1 $(awk -v a="$t_phase" -v b="$now" -v c="$c_phase" -v d="$cpu" \
    'BEGIN {printf "%.0fs (cpu %.0fs)", b - a, d - c}'),"
  t_phase=$now
  c_phase=$cpu
}
# Google Benchmark binaries. The default suite keeps `make bench` within ~5 minutes of wall
# time on 2 shared cores (build included): short runs (0.02 s each), N up to 10^5, bench_alloc
# without repetitions, bench_ndarray over two allocators (its runs fix their own 0.1 s).
# MEMCURVE_SUITE=full (make bench-full) runs everything at the longer settings.
full=0
[ "${MEMCURVE_SUITE:-default}" = full ] && full=1
for b in "$build"/benches/bench_*; do
  [ -x "$b" ] || continue
  name=$(basename "$b")
  echo "== $name" >&2
  extra=()
  if [ $full = 1 ]; then
    case $name in
      # 5 repetitions each (bench_alloc's own default): the console shows the aggregates, the
      # JSON keeps every repetition
      bench_alloc) extra=(--benchmark_min_time=0.1 --benchmark_repetitions=5
                          --benchmark_display_aggregates_only=true) ;;
      bench_pq|bench_list|bench_boxed) extra=(--benchmark_min_time=0.2) ;;
    esac
  else
    case $name in
      bench_alloc) extra=(--benchmark_min_time=0.02 --benchmark_repetitions=1) ;;
      bench_pq|bench_list|bench_boxed) extra=(--benchmark_min_time=0.02 '--benchmark_filter=-/1000000$') ;;
      bench_ndarray) extra=('--benchmark_filter=/(system|arena)/(1000|100000)/') ;;
      *) extra=(--benchmark_min_time=0.02) ;;
    esac
  fi
  "$b" --benchmark_out="$results/$name.json" --benchmark_out_format=json ${extra[@]+"${extra[@]}"}
done

phase_done gbench

# The allocator cost targets (arena, stack, pool, vtable overhead) as a table, from the
# bench_alloc run above: results/alloc_targets.md. The default suite's single short repetition
# is a rough reading; `scripts/alloc_targets.py build-release/benches/bench_alloc` measures
# them properly (pinned, 9 interleaved repetitions, ~2 minutes).
if [ -f "$results/bench_alloc.json" ]; then
  /usr/bin/python3 "$(dirname "$0")/alloc_targets.py" --json "$results/bench_alloc.json" \
    > "$results/alloc_targets.md" || echo "bench.sh: alloc_targets.py failed" >&2
fi

# Memory curves (harness part): memcurve's suite $MEMCURVE_SUITE (default: "default": 777
# configurations, 5 timing repetitions each, interleaved in seeded shuffled rounds, plus one
# curve pass), each run in a fresh child; the bench_* JSON files above land in the same file
# (/throughput and /gbench_json). Then the sampling-overhead check (curve pass vs timing pass,
# median of 11 paired ratios) into overhead.txt: informative, it does not fail the target.
if [ -x "$build/benches/memcurve" ]; then
  jsons=()
  for j in "$results"/bench_*.json; do [ -f "$j" ] && jsons+=("$j"); done
  "$build/benches/memcurve" run --suite "${MEMCURVE_SUITE:-default}" -o "$results/memcurve.h5" \
    ${jsons[@]+--gbench "${jsons[@]}"}
  # runs of 0.1 s and more: the recorder's ~320 samples cost 1-5 ms in all, mostly the
  # /proc/self/statm read (see overhead.txt and README, "Sampling overhead")
  # pinned to one core when taskset exists: both passes of a pair then see the same CPU (an
  # unpinned pair on a shared 2-core machine drifts by +-5 %; pinned, by under 2 %)
  phase_done "memcurve run"
  pin=(); command -v taskset >/dev/null && pin=(taskset -c "$(($(nproc) - 1))")
  { "${pin[@]}" "$build/benches/memcurve" run --overhead -s pq,blocks -w hold,churn -a system -n 300000 || true
    "${pin[@]}" "$build/benches/memcurve" run --overhead -s list -w churn -a system -n 1000000 || true
  } | tee "$results/overhead.txt"
  phase_done overhead
fi

# Charts and the HTML report (plots part), from the results file the suite wrote: one report
# per results file, named after it — results/memcurve.html, its charts in results/memcurve/
# (charts an earlier report there made and this one does not are removed; a manifest,
# results/memcurve/.memcurve-charts, says which) — and a Markdown summary on stdout.
memcurve="$build/benches/memcurve"
if [ -f "$results/memcurve.h5" ] && [ -x "$memcurve" ]; then
  # a chart gnuplot could not draw is named on stderr; the report still lists every other one
  "$memcurve" plot "$results/memcurve.h5" --quiet ||
    echo "bench.sh: memcurve plot reported failures (see above); the report shows what was drawn" >&2
  "$memcurve" report "$results/memcurve.h5" --no-draw
  phase_done "plot+report"
else
  echo "bench.sh: no $results/memcurve.h5 (or no $memcurve): charts and report skipped" >&2
fi

# Python's lessons (the python suite, benches/python/lessons.py): each lesson a C model beside real
# CPython traced by `memcurve trace`, one results file and chart per lesson in $results/python/,
# and a "Python's lessons" section added to the report. The small suite (under a minute) here;
# make bench-full takes python-full (sizes to 10^6). Skipped with a note without /usr/bin/python3.
if [ -x /usr/bin/python3 ] && [ -x "$memcurve" ]; then
  mkdir -p "$results/python"
  lsuite=python
  [ $full = 1 ] && lsuite=python-full
  report=()
  [ -f "$results/memcurve.html" ] && report=(--report "$results/memcurve.html")
  /usr/bin/python3 "$(dirname "$0")/../benches/python/lessons.py" --suite $lsuite \
    --build "$build" --out "$results/python" ${report[@]+"${report[@]}"} > "$results/python/lessons.md" ||
    echo "bench.sh: some of Python's lessons failed (see above and $results/python/lessons.html)" >&2
else
  echo "bench.sh: /usr/bin/python3 not found: Python's lessons skipped" >&2
fi
phase_done lessons
echo "bench.sh: phases:${phases%,}" >&2
