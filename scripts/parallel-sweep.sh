#!/usr/bin/env bash
# parallel-sweep.sh — a memcurve sweep over GNU parallel: on this machine (-j J) or on other
# hosts (--sshlogin), then merged and reported.
#
#   scripts/parallel-sweep.sh -d DIR -N SHARDS [-j J] [--sshlogin LOGINS] [options] -- RUN-ARGS...
#
# Runs `memcurve run RUN-ARGS --shard K/SHARDS -o DIR/shards/shard-K.h5` for K = 1..SHARDS,
# J at a time (default 1 per core), each shard's log in DIR/logs/shard-K.log; then
# `memcurve merge -o DIR/merged.h5 DIR/shards/*.h5` and `memcurve report DIR/merged.h5 --out
# DIR/report/merged.html`. Exit 1 if a shard failed (the merge is not attempted).
#
# Locally, -j J gives the same runs as the serial sweep (each run is a fresh child with its own
# seed; memory figures equal, scripts/check_sweep.py checks it) — but J runs at once share the
# machine, so keep J at most the idle cores when the timings matter.
# --sshlogin LOGINS (GNU parallel's: "host1,2/host2,:" — ":" is this machine) runs shards on
# other hosts; memcurve and DIR must be at the same path there (a shared file system). Each
# run records its host, and compare/report never rank timings of two hosts against each other.
# Options: --ssh CMD (GNU parallel's: the command that reaches a login; the distributed test
# passes a stand-in that runs locally under the host's name), --memcurve PATH (default memcurve on PATH, else build/benches/memcurve beside this
# script), --report-args "ARGS" (e.g. --no-draw), --no-report.
set -euo pipefail

prog=parallel-sweep
# shellcheck source=scripts/sweep-common.sh
. "$(dirname "$0")/sweep-common.sh"
jobs= logins= ssh= report=1
while [ $# -gt 0 ]; do
  sweep_opt "$@"
  [ "$opt_shift" = 0 ] || { shift "$opt_shift" && continue; }
  case "$1" in
  -j) jobs=$2 && shift 2 ;;
  --sshlogin) logins=$2 && shift 2 ;;
  --ssh) ssh=$2 && shift 2 ;;
  --no-report) report=0 && shift ;;
  --) shift && break ;;
  *) die "unknown option '$1' (see --help)" ;;
  esac
done
command -v parallel >/dev/null || die "GNU parallel not installed (apt-get install parallel)"
sweep_setup

# the shell GNU parallel quotes for and runs each command with, here and on the remote hosts:
# bash, since the command below is quoted with bash's printf %q. Without it parallel guesses
# from $SHELL, and with $SHELL unset (cron, CI) remote jobs ran nothing and still exited 0.
export PARALLEL_SHELL=${PARALLEL_SHELL:-$(command -v bash)}
opts=(--will-cite --halt now,fail=1 --joblog "$dir/logs/joblog")
[ -n "$jobs" ] && opts+=(-j "$jobs")
[ -n "$logins" ] && opts+=(--sshlogin "$logins")
[ -n "$ssh" ] && opts+=(--ssh "$ssh")
# one command per shard, quoted here so that a remote shell runs it word for word
run=$(printf '%q ' "$memcurve" run "$@")
parallel "${opts[@]}" \
  "$run --shard {}/$shards -q --force -o $dir/shards/shard-{=\$_=sprintf('%05d',\$_)=}.h5 >$dir/logs/shard-{}.log 2>&1" \
  ::: $(seq "$shards") || {
  echo "parallel-sweep: a shard failed (see $dir/logs/joblog and $dir/logs/shard-*.log)" >&2
  exit 1
}
for i in $(seq "$shards"); do
  f=$(printf '%s/shards/shard-%05d.h5' "$dir" "$i")
  [ -f "$f" ] || die "shard $i/$shards wrote no $f although parallel says it finished (see $dir/logs/shard-$i.log)"
done
"$memcurve" merge -o "$dir/merged.h5" "$dir"/shards/shard-*.h5
# shellcheck disable=SC2086 # extra report arguments, split on purpose
[ "$report" -eq 0 ] || "$memcurve" report "$dir/merged.h5" --out "$dir/report/merged.html" $report_args
