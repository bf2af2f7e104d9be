#!/usr/bin/env bash
# test_distributed.sh MEMCURVE SRC — the quick suite swept in shards, for real, three ways, each
# merged file checked against a serial run of the same sweep (scripts/check_sweep.py: exactly
# the same runs and summary rows, every run's memory figures equal):
#   1. GNU parallel on this machine, -j 2, 4 shards;
#   2. GNU parallel over --sshlogin to two stand-in hosts (tests/distributed/fakessh.sh: a UTS
#      namespace per host name): the merged file keeps both hosts apart, and `memcurve compare`
#      against the serial file compares their memory only;
#   3. Slurm: a single-node cluster started here (scripts/slurm-local.sh: munged, slurmctld,
#      slurmd with a generated key and config in a temporary folder), the array job and the
#      dependent merge+report job of scripts/slurm-sweep.sh submitted, waited for with a
#      timeout, and the daemons stopped by their process ids (also on any exit: trap).
# Exit 0: all passed; 77 (ctest: skipped): the daemons cannot run here (packages missing: `make
# deps` installs slurm-wlm munge parallel; or not root and they would not start), with the
# reason; else 1. Not root, the daemons and jobs run as the caller; the stand-in hosts need
# unshare -u (root) or unprivileged user namespaces, else that part alone is skipped, saying so.
set -euo pipefail
memcurve=$1
src=$2
tmp=$(mktemp -d /tmp/mc_test_distributed_XXXXXX)
cleanup() {
  "$src/scripts/slurm-local.sh" stop "$tmp/cluster" || true
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
say() { echo "== [${SECONDS}s] $*"; }
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
check=(/usr/bin/python3 "$src/scripts/check_sweep.py")

for b in parallel munged slurmctld slurmd sbatch unshare; do
  command -v "$b" >/dev/null || [ -x "/usr/sbin/$b" ] || {
    echo "SKIP: $b not installed (make deps: slurm-wlm munge parallel)" >&2
    exit 77
  }
done

say "serial: memcurve run --suite quick"
"$memcurve" run --suite quick -q -o "$tmp/serial.h5"
nruns=$("$memcurve" run --suite quick --plan | grep -vc '^#')
echo "the sweep: $nruns configurations"

say "GNU parallel, this machine, -j 2, 4 shards"
"$src/scripts/parallel-sweep.sh" -d "$tmp/par" -N 4 -j 2 --memcurve "$memcurve" --no-report \
  -- --suite quick
"${check[@]}" "$tmp/par/merged.h5" "$tmp/serial.h5" --hosts 1

say "GNU parallel, --sshlogin 1/nodeA,1/nodeB (stand-in hosts), 4 shards"
if ! "$src/tests/distributed/fakessh.sh" nodeA true 2>/dev/null; then
  echo "SKIP this part: no UTS namespace for a stand-in host here (unshare -u needs root, or" \
    "unprivileged user namespaces)"
else
  "$src/scripts/parallel-sweep.sh" -d "$tmp/ssh" -N 4 --sshlogin 1/nodeA,1/nodeB \
    --ssh "$src/tests/distributed/fakessh.sh" --memcurve "$memcurve" --no-report \
    -- --suite quick
  "${check[@]}" "$tmp/ssh/merged.h5" "$tmp/serial.h5" --hosts 2
  "$memcurve" compare "$tmp/serial.h5" "$tmp/ssh/merged.h5" >"$tmp/compare.txt"
  other=$(grep -c 'timings not compared: A ran on' "$tmp/compare.txt" || true)
  echo "compare serial vs the two hosts' sweep: $other of $nruns runs memory only"
  [ "$other" -eq "$nruns" ] || fail "compare ranked timings of different hosts: $(cat "$tmp/compare.txt")"
  "$memcurve" info "$tmp/ssh/merged.h5" | grep '^provenance:'
fi

say "Slurm: a single-node cluster in $tmp/cluster"
set +e
env_line=$("$src/scripts/slurm-local.sh" start "$tmp/cluster")
st=$?
set -e
[ "$st" -eq 77 ] && exit 77
[ "$st" -eq 0 ] || fail "the Slurm cluster did not start"
eval "$env_line"
echo "daemons (munged slurmctld slurmd): $(tr '\n' ' ' <"$tmp/cluster/pids")"
sinfo
"$src/scripts/slurm-sweep.sh" -d "$tmp/slurm" -N 4 --mem-mb 512 --timeout 60 \
  --memcurve "$memcurve" --report-args "--format png" --submit -- --suite quick
read -r array merge <"$tmp/slurm/jobs"
state() { scontrol show job "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | head -1; }
for _ in $(seq 900); do # 90 s
  s=$(state "$merge")
  case "$s" in COMPLETED | FAILED | CANCELLED | TIMEOUT | NODE_FAIL | OUT_OF_MEMORY) break ;; esac
  sleep 0.1
done
squeue -a -h -o '%i %j %T' || true
scontrol show job "$array" | grep -o 'JobId=[0-9]* ArrayJobId=[0-9]* ArrayTaskId=[0-9]*\|JobState=[A-Z]*' | paste - - || true
echo "merge job $merge: ${s:-unknown}"
cat "$tmp/slurm/logs/merge.log" | tail -n 3
[ "$s" = COMPLETED ] || {
  tail -n 20 "$tmp"/slurm/logs/*.log "$tmp"/cluster/log/*.log >&2 || true
  fail "the merge job ended $s"
}
"${check[@]}" "$tmp/slurm/merged.h5" "$tmp/serial.h5" --hosts 1
[ -s "$tmp/slurm/report/merged.html" ] || fail "no report drawn"
echo "report: $(ls "$tmp/slurm/report/merged" | wc -l) chart files beside merged.html"

say "stopping the daemons by their process ids"
pids=$(cat "$tmp/cluster/pids")
"$src/scripts/slurm-local.sh" stop "$tmp/cluster"
for p in $pids; do
  if kill -0 "$p" 2>/dev/null; then fail "daemon $p still running"; fi
done
echo "stopped: $pids" | tr '\n' ' '
echo
say "PASS"
