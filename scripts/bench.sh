#!/usr/bin/env bash
# bench.sh BUILD_DIR RESULTS_DIR — runs the default benchmark suite from a Release build.
set -euo pipefail
build=$1
results=$2
mkdir -p "$results"
for b in "$build"/benches/bench_*; do
  [ -x "$b" ] || continue
  name=$(basename "$b")
  echo "== $name" >&2
  extra=()
  case $name in
    # allocator benchmarks: 5 repetitions each (bench_alloc's own default), console shows the
    # mean/median/stddev/cv, the JSON keeps every repetition; 0.1 s per run keeps it ~1 minute.
    bench_alloc) extra=(--benchmark_min_time=0.1 --benchmark_repetitions=5
                        --benchmark_display_aggregates_only=true) ;;
    # structure benchmarks: ~250 runs over N = 10^3..10^6 between them; 0.2 s each keeps the
    # three binaries to a few minutes (fill/drain setups at N = 10^6 dominate).
    bench_pq|bench_list|bench_boxed) extra=(--benchmark_min_time=0.2) ;;
  esac
  "$b" --benchmark_out="$results/$name.json" --benchmark_out_format=json ${extra[@]+"${extra[@]}"}
done

# Memory curves (harness part): memcurve's suite $MEMCURVE_SUITE (default: "default", ~2-3 min
# on 2 cores), each run in a fresh child; the bench_* JSON files above land in the same file
# (/throughput and /gbench_json). Then the sampling-overhead check (curve pass vs timing pass,
# median of 11 paired ratios) into overhead.txt: informative, it does not fail the target.
if [ -x "$build/benches/memcurve" ]; then
  jsons=()
  for j in "$results"/bench_*.json; do [ -f "$j" ] && jsons+=("$j"); done
  "$build/benches/memcurve" run --suite "${MEMCURVE_SUITE:-default}" -o "$results/memcurve.h5" \
    ${jsons[@]+--gbench "${jsons[@]}"}
  # runs of 0.1 s and more: the recorder's ~320 samples cost ~1 ms in all (see overhead.txt)
  { "$build/benches/memcurve" run --overhead -s pq,blocks -w hold,churn -a system -n 300000 || true
    "$build/benches/memcurve" run --overhead -s list -w churn -a system -n 1000000 || true
  } | tee "$results/overhead.txt"
fi

# Charts and the HTML report (plots part), from the results file the suite wrote:
# results/plots/*.png and *.svg, results/report.html, and a Markdown summary on stdout.
memcurve="$build/benches/memcurve"
if [ -f "$results/memcurve.h5" ] && [ -x "$memcurve" ]; then
  "$memcurve" plot "$results/memcurve.h5" --out "$results/plots" --quiet
  "$memcurve" report "$results/memcurve.h5" --out "$results/report.html" --plots plots --no-draw
else
  echo "bench.sh: no $results/memcurve.h5 (or no $memcurve): charts and report skipped" >&2
fi
