#!/bin/sh
# fakessh.sh [OPTIONS] HOST [--] COMMAND...: what `ssh HOST COMMAND` does, on this machine: runs
# COMMAND under bash in a UTS namespace of its own whose host name is HOST (unshare -u as root,
# else inside a user namespace, unshare -r -u). GNU parallel's --ssh uses it in the distributed
# test to stand for two more hosts.
while [ $# -gt 0 ]; do case "$1" in -*) shift ;; *) break ;; esac; done
host=$1
shift
[ "${1:-}" = "--" ] && shift
ns=-u
[ "$(id -u)" -eq 0 ] || ns="-r -u"
# shellcheck disable=SC2086 # $ns: one or two options
exec unshare $ns bash -c 'hostname "$1"; shift; exec bash -c "$*"' fakessh "$host" "$@"
