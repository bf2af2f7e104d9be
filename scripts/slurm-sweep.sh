#!/usr/bin/env bash
# slurm-sweep.sh — a memcurve sweep as a Slurm array job plus a dependent merge job.
#
#   scripts/slurm-sweep.sh -d DIR -N SHARDS [options] [--submit] -- RUN-ARGS...
#
# Writes DIR/sweep.sbatch (an array of SHARDS tasks: task K runs
# `memcurve run RUN-ARGS --shard K/SHARDS --force -o DIR/shards/shard-K.h5` (a rerun task
# replaces its shard), its log in
# DIR/logs/shard-K.log) and DIR/merge.sbatch (joins DIR/shards/*.h5 into DIR/merged.h5 with
# `memcurve merge` and draws DIR/report/merged.html with `memcurve report`). --submit submits
# both, the merge with --dependency=afterany on the array; the merge refuses to run unless
# every shard file is there (a failed task is named in DIR/logs/merge.log). Without --submit it
# prints the two sbatch commands.
#
# Resources per task, sized from the sweep (`memcurve run --plan`): one CPU (runs are serial
# inside a shard, and timings need an idle core); memory = the per-run limit memcurve enforces
# on each child (--mem-mb, default 2048) + 256 MB for the parent; time = the largest shard's
# configurations x (repetitions + the curve pass) x the per-run timeout memcurve enforces
# (--timeout, default 120 s) + 5 min: Slurm never kills a shard that memcurve itself would let
# finish. The merge job: memory 512 MB + 64 KB per configuration (it holds every run in memory),
# time 30 min.
#
# Options: --memcurve PATH (default: memcurve on PATH, else build/benches/memcurve beside this
# script), --partition P, --account A, --mem-mb MB, --timeout SEC, --time MIN (override the
# computed task limit), --report-args "ARGS" (extra `memcurve report` arguments, e.g.
# --no-draw), --sbatch "ARGS" (extra sbatch options for both jobs), --submit.
# Results from different machines are kept apart in the merged file: each run carries its
# host's provenance, and compare/report never rank timings of two hosts.
set -euo pipefail

prog=slurm-sweep
# shellcheck source=scripts/sweep-common.sh
. "$(dirname "$0")/sweep-common.sh"
partition= account= submit=0 memmb=2048 timeout=120 timemin= extra=
while [ $# -gt 0 ]; do
  sweep_opt "$@"
  [ "$opt_shift" = 0 ] || { shift "$opt_shift" && continue; }
  case "$1" in
  --partition) partition=$2 && shift 2 ;;
  --account) account=$2 && shift 2 ;;
  --mem-mb) memmb=$2 && shift 2 ;;
  --timeout) timeout=$2 && shift 2 ;;
  --time) timemin=$2 && shift 2 ;;
  --sbatch) extra=$2 && shift 2 ;;
  --submit) submit=1 && shift ;;
  --) shift && break ;;
  *) die "unknown option '$1' (see --help)" ;;
  esac
done
sweep_setup

# the sweep's size: configurations in all, in the largest shard, repetitions
plan=$("$memcurve" run "$@" --plan --timeout "$timeout" --mem-limit "$memmb") ||
  die "memcurve run $* --plan failed"
total=$(grep -vc '^#' <<<"$plan" || true)
[ "$total" -gt 0 ] || die "the sweep is empty"
[ "$shards" -le "$total" ] || die "$shards shards for $total configurations: some would be empty"
reps=$(sed -n '1s/^# [0-9]* configurations, \([0-9]*\) repetitions.*/\1/p' <<<"$plan")
passes=$((reps + $(grep -c 'curve pass' <<<"$(head -1 <<<"$plan")" || true)))
per_shard=$(((total + shards - 1) / shards))
[ -n "$timemin" ] || timemin=$(((per_shard * passes * timeout + 59) / 60 + 5))
merge_mem=$((512 + total * 64 / 1024))

q() { printf '%q ' "$@"; } # a word list, quoted for the job script
common="#SBATCH --cpus-per-task=1"
[ -n "$partition" ] && common+=$'\n'"#SBATCH --partition=$partition"
[ -n "$account" ] && common+=$'\n'"#SBATCH --account=$account"

cat >"$dir/sweep.sbatch" <<EOF
#!/bin/bash
# memcurve sweep: $total configurations in $shards shards (at most $per_shard each), $passes
# passes per configuration, per-run timeout ${timeout} s and memory limit ${memmb} MB.
#SBATCH --job-name=memcurve-sweep
#SBATCH --array=1-$shards
#SBATCH --output=$dir/logs/shard-%a.log
#SBATCH --mem=$((memmb + 256))
#SBATCH --time=$timemin
$common
set -euo pipefail
k=\$SLURM_ARRAY_TASK_ID
exec $(q "$memcurve") run $(q "$@") --shard "\$k/$shards" --timeout $timeout --mem-limit $memmb -q --force \\
  -o "$dir/shards/shard-\$(printf %05d "\$k").h5"
EOF

cat >"$dir/merge.sbatch" <<EOF
#!/bin/bash
# memcurve sweep: joins the $shards shards and draws the report.
#SBATCH --job-name=memcurve-merge
#SBATCH --output=$dir/logs/merge.log
#SBATCH --mem=$merge_mem
#SBATCH --time=30
$common
set -euo pipefail
missing=0
for k in \$(seq $shards); do
  f="$dir/shards/shard-\$(printf %05d "\$k").h5"
  [ -f "\$f" ] || { echo "memcurve merge job: shard \$k/$shards missing (\$f); see $dir/logs/shard-\$k.log" >&2; missing=\$((missing + 1)); }
done
[ "\$missing" -eq 0 ] || { echo "memcurve merge job: \$missing shard(s) missing: not merged" >&2; exit 1; }
$(q "$memcurve") merge -o "$dir/merged.h5" "$dir"/shards/shard-*.h5
$(q "$memcurve") report "$dir/merged.h5" --out "$dir/report/merged.html" $report_args
EOF

echo "slurm-sweep: $total configurations, $shards tasks (<= $per_shard each, --time $timemin min, --mem $((memmb + 256)) MB); merge --mem $merge_mem MB"
if [ "$submit" -eq 1 ]; then
  # shellcheck disable=SC2086 # $extra: sbatch options, split on purpose
  array=$(sbatch --parsable $extra "$dir/sweep.sbatch")
  array=${array%%;*}
  # shellcheck disable=SC2086
  merge=$(sbatch --parsable $extra --dependency="afterany:$array" "$dir/merge.sbatch")
  merge=${merge%%;*}
  echo "slurm-sweep: submitted array job $array and merge job $merge (after it)"
  echo "$array $merge" >"$dir/jobs"
else
  echo "submit with:"
  echo "  a=\$(sbatch --parsable $dir/sweep.sbatch) && sbatch --dependency=afterany:\$a $dir/merge.sbatch"
fi
