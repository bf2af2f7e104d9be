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
  "$b" --benchmark_out="$results/$name.json" --benchmark_out_format=json
done
