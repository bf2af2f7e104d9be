# sweep-common.sh — sourced by slurm-sweep.sh and parallel-sweep.sh (set prog first): their
# shared parts. die MSG (exit 2), sweep_help (the calling script's opening comment), the default
# memcurve (on PATH, else build/benches/memcurve of this checkout), and sweep_setup, run after the
# options: checks -d DIR, -N SHARDS (1..10000, memcurve's --shard limit) and the memcurve
# binary, makes both absolute, and creates DIR/shards, DIR/logs and DIR/report.
die() {
  echo "$prog: $*" >&2
  exit 2
}
sweep_help() { sed -n '2,/^set -euo/p' "$0" | sed 's/^# \{0,1\}//;$d'; }
memcurve=$(command -v memcurve ||
  echo "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../build/benches/memcurve")
dir= shards= report_args=
# sweep_opt "$@": takes an option both scripts share (-d DIR, -N SHARDS, --memcurve PATH,
# --report-args ARGS, -h) off the front of the arguments; sets opt_shift to the number of words
# it used, 0 when the first word is not one of them.
sweep_opt() {
  opt_shift=2
  case "$1" in
  -d | -N | --memcurve | --report-args) [ $# -ge 2 ] || die "$1 needs a value" ;;
  esac
  case "$1" in
  -d) dir=$2 ;;
  -N) shards=$2 ;;
  --memcurve) memcurve=$2 ;;
  --report-args) report_args=$2 ;;
  -h | --help) sweep_help && exit 0 ;;
  *) opt_shift=0 ;;
  esac
}
sweep_setup() {
  [ -n "$dir" ] && [ -n "$shards" ] || die "need -d DIR and -N SHARDS (see --help)"
  [[ "$shards" =~ ^[1-9][0-9]*$ ]] && [ "$shards" -le 10000 ] || die "bad -N '$shards' (1..10000)"
  [ -x "$memcurve" ] || die "memcurve not found at '$memcurve' (--memcurve PATH)"
  memcurve=$(cd "$(dirname "$memcurve")" && pwd)/$(basename "$memcurve")
  mkdir -p "$dir"/shards "$dir"/logs "$dir"/report
  dir=$(cd "$dir" && pwd)
}
