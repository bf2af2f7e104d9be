#!/usr/bin/env bash
# fuzz/run.sh BUILD_DIR SECONDS [TARGET...] — runs each libFuzzer target for SECONDS seconds,
# starting from its committed seed corpus fuzz/corpus/<target>/ (read-only) plus a working
# corpus in BUILD_DIR/corpus/<target>/ where new inputs go. Crashes, leaks and timeouts are
# written to BUILD_DIR/findings/<target>/ and make the script fail.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?usage: fuzz/run.sh BUILD_DIR SECONDS [TARGET...]}
secs=${2:?usage: fuzz/run.sh BUILD_DIR SECONDS [TARGET...]}
shift 2
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for src in fuzz/fuzz_*.c; do targets+=("$(basename "$src" .c)"); done
fi
status=0
for t in "${targets[@]}"; do
  bin="$build/fuzz/$t"
  if [ ! -x "$bin" ]; then
    echo "fuzz: $t: not built ($bin missing)" >&2
    status=1
    continue
  fi
  work="$build/corpus/$t" findings="$build/findings/$t"
  mkdir -p "$work" "$findings" "fuzz/corpus/$t"
  echo "fuzz: $t for ${secs}s (seeds: fuzz/corpus/$t, $(ls "fuzz/corpus/$t" | wc -l) files)"
  maxlen=4096
  [ "$t" = fuzz_results ] && maxlen=32768 # whole results files are its seeds
  if [ "$t" = fuzz_results ] && [ "${MC_FUZZ_RAW:-1}" = 0 ]; then
    # raw mode off for the mutations (see fuzz_results.c): its committed seeds still replay
    if ! MC_FUZZ_RAW=1 "$bin" fuzz/corpus/$t/* >"$build/replay-$t.log" 2>&1; then
      echo "fuzz: $t: a committed seed fails; log $build/replay-$t.log" >&2
      status=1
      continue
    fi
  fi
  if ! "$bin" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 -max_len=$maxlen \
      -print_final_stats=1 -artifact_prefix="$findings/" "$work" "fuzz/corpus/$t" \
      >"$build/fuzz-$t.log" 2>&1; then
    echo "fuzz: $t FAILED; log $build/fuzz-$t.log, reproducer in $findings/" >&2
    grep -E "ERROR|check failed|SUMMARY" "$build/fuzz-$t.log" | head -5 >&2 || true
    status=1
  else
    grep -E "^stat::number_of_executed_units|^Done" "$build/fuzz-$t.log" | tr '\n' ' '
    echo
  fi
done
exit $status
