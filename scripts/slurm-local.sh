#!/usr/bin/env bash
# slurm-local.sh start DIR | stop DIR — a throwaway single-node Slurm cluster in DIR, for the
# distributed test and for trying scripts/slurm-sweep.sh on one machine.
#
# start: generates a munge key and a slurm.conf in DIR (free ports, state and spool under DIR,
# proctrack/linuxproc and task/none: no cgroups needed; SlurmUser and SlurmdUser: whoever runs
# this — root, or as another user the jobs run as that user, which is all a test needs), starts
# munged, slurmctld and slurmd in the foreground under nohup-like subshells, records their
# process ids in DIR/pids, waits until the node is idle, and prints `export SLURM_CONF=...`
# (the clients sbatch/squeue/scontrol read it). Exit 0: cluster up; 77: the daemons cannot run
# here (a package missing, or not root and they would not start) — the reason is printed;
# 1: as root, they did not come up (logs printed).
# stop: kills exactly the process ids in DIR/pids (never by name) and waits for them.
# Needs Debian's slurm-wlm and munge (the Makefile's DEB_PACKAGES).
set -uo pipefail

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || {
  echo "usage: $0 start|stop DIR" >&2
  exit 2
}

stop() {
  [ -f "$dir/pids" ] || return 0
  local pid pids
  pids=$(cat "$dir/pids")
  # all at once (each takes ~2 s to shut down), then wait up to 10 s before SIGKILL
  for pid in $pids; do kill "$pid" 2>/dev/null || true; done
  for _ in $(seq 100); do
    local alive=0
    for pid in $pids; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" -eq 0 ] && break
    sleep 0.1
  done
  for pid in $pids; do kill -9 "$pid" 2>/dev/null || true; done
  rm -f "$dir/pids"
}

if [ "$cmd" = stop ]; then
  stop
  exit 0
fi
[ "$cmd" = start ] || {
  echo "usage: $0 start|stop DIR" >&2
  exit 2
}

# Can the daemons run here at all? They need the Debian packages; as root they must come up,
# as another user a failure to start is reported as "cannot run here" (77).
for b in munged mungekey slurmctld slurmd sbatch squeue scontrol; do
  command -v "$b" >/dev/null 2>&1 || [ -x "/usr/sbin/$b" ] || {
    echo "slurm-local: $b not installed (apt-get install slurm-wlm munge)" >&2
    exit 77
  }
done
export PATH="$PATH:/usr/sbin"
failed=1 # the exit status when the daemons do not come up
if [ "$(id -u)" -ne 0 ]; then
  failed=77
  echo "slurm-local: not root: the daemons run as $(id -un), and so do the jobs" >&2
fi

mkdir -p "$dir"/{state,spool,log,munge}
chmod 0700 "$dir/munge"
dir=$(cd "$dir" && pwd)
: >"$dir/pids"
host=$(hostname -s)
user=$(id -un)
# two free ports, from the kernel's own choice
read -r p1 p2 < <(/usr/bin/python3 -c '
import socket
ss = [socket.socket() for _ in range(2)]
for s in ss: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in ss])')
cpus=$(nproc)
mem=$(awk '/MemTotal/ {print int($2 / 1024 / 2)}' /proc/meminfo) # half: the node's declared RAM

mungekey -c -k "$dir/munge/munge.key" >/dev/null 2>&1 || {
  dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
}
chmod 0400 "$dir/munge/munge.key"

cat >"$dir/slurm.conf" <<EOF
ClusterName=memcurve
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$p1
SlurmdPort=$p2
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.sock
SlurmUser=$user
SlurmdUser=$user
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/slurmd-%n
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/builtin
SchedulerParameters=sched_interval=1
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=300
KillWait=5
Waittime=0
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF

# each daemon in the foreground, in the background of this script: its pid is ours to kill
munged -F -f --socket="$dir/munge/munge.sock" --key-file="$dir/munge/munge.key" \
  --pid-file="$dir/munge/munged.pid" --log-file="$dir/log/munged.log" \
  --seed-file="$dir/munge/munged.seed" >"$dir/log/munged.out" 2>&1 &
echo $! >>"$dir/pids"
for _ in $(seq 50); do
  [ -S "$dir/munge/munge.sock" ] && break
  sleep 0.1
done
if ! [ -S "$dir/munge/munge.sock" ]; then
  echo "slurm-local: munged did not start:" >&2
  cat "$dir/log/munged.out" "$dir/log/munged.log" >&2 2>/dev/null
  stop
  exit "$failed"
fi
export SLURM_CONF="$dir/slurm.conf"
slurmctld -D -i -f "$SLURM_CONF" >"$dir/log/slurmctld.out" 2>&1 &
echo $! >>"$dir/pids"
slurmd -D -f "$SLURM_CONF" -N "$host" >"$dir/log/slurmd.out" 2>&1 &
echo $! >>"$dir/pids"

for _ in $(seq 300); do
  state=$(sinfo -h -N -o '%T' 2>/dev/null | head -1)
  [ "$state" = idle ] && break
  sleep 0.1
done
if [ "$state" != idle ]; then
  echo "slurm-local: the node did not become idle (state '${state:-none}'); logs:" >&2
  tail -n 20 "$dir"/log/*.log "$dir"/log/*.out >&2 2>/dev/null
  stop
  exit "$failed"
fi
echo "export SLURM_CONF=$SLURM_CONF"
