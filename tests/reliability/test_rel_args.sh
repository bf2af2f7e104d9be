#!/usr/bin/env bash
# test_rel_args.sh — hostile command lines to `memcurve`: negative, zero, huge and non-numeric
# N, unknown structure/allocator/workload/suite/command/option names, missing and unreadable
# files, an output directory that cannot be made or written. Each must give one clear line on stderr and exit
# status 2 — never a crash — and must leave an existing good output file byte-for-byte as it
# was, with no .partial left behind. MEMCURVE=path/to/memcurve.
source "$(dirname "$0")/lib.sh"
make_good
cp "$TMP/good.h5" "$TMP/keep.h5"
sum_before=$(md5sum <"$TMP/keep.h5")
# --force: each case must fail on its own fault, not on keep.h5 existing
run() { "$MC" run -s list -w fill -a system -r 1 -q --force -o "$TMP/keep.h5" "$@"; }

# sizes
expect_fail2 "run -n -5" run -n -5
expect_fail2 "run -n 0" run -n 0
expect_fail2 "run -n 2^31 (huge)" run -n 2147483648
expect_fail2 "run -n 2^64 (overflows u64)" run -n 18446744073709551616
expect_fail2 "run -n 99999999999999999999999" run -n 99999999999999999999999
expect_fail2 "run -n abc" run -n abc
expect_fail2 "run -n 1e3" run -n 1e3
expect_fail2 "run -n '' (empty)" run -n ""
expect_fail2 "run binary-trees depth 99" "$MC" run -s tree -w binary-trees -a system -n 99 -q -o "$TMP/keep.h5"
# repetitions, seeds, limits, shards
expect_fail2 "run -r 0" run -n 10 -r 0
expect_fail2 "run -r -1" run -n 10 -r -1
expect_fail2 "run -r 100000" run -n 10 -r 100000
expect_fail2 "run --seed -1" run -n 10 --seed -1
expect_fail2 "run --timeout 0" run -n 10 --timeout 0
expect_fail2 "run --timeout -3" run -n 10 --timeout -3
expect_fail2 "run --mem-limit -1" run -n 10 --mem-limit -1
expect_fail2 "run --shard 3/2" run -n 10 --shard 3/2
expect_fail2 "run --shard 0/0" run -n 10 --shard 0/0
expect_fail2 "run --shard x" run -n 10 --shard x
# names
expect_fail2 "unknown structure" run -n 10 -s nosuch
expect_fail2 "unknown allocator" run -n 10 -a nosuch
expect_fail2 "unknown workload" run -n 10 -w nosuch
expect_fail2 "empty structure list" run -n 10 -s ""
expect_fail2 "unknown suite" "$MC" run --suite nosuch -q -o "$TMP/keep.h5"
expect_fail2 "unknown command" "$MC" frobnicate
"$MC" >/dev/null 2>&1 </dev/null
rc=$?
if [ $rc -eq 2 ]; then ok "no command: usage, exit 2"; else fail "no command: exit $rc (want 2)"; fi
expect_fail2 "unknown option" run -n 10 --no-such-option
expect_fail2 "option missing its value" run -n
expect_fail2 "stray argument" run -n 10 stray
# files
mkdir -p "$TMP/adir"
echo "not a directory" >"$TMP/afile"
# a missing output folder is created (tests/cli), unless a file stands in its way
expect_fail2 "output dir cannot be created" run -n 10 -o "$TMP/afile/missing/out.h5"
expect_fail2 "output dir is a file" run -n 10 -o "$TMP/afile/out.h5"
expect_fail2 "output is a directory" run -n 10 -o "$TMP/adir"
expect_fail2 "output dir unwritable (/proc)" run -n 10 -o /proc/memcurve-out.h5
expect_fail2 "gbench JSON missing" run -n 10 --gbench "$TMP/none.json"
echo '{"benchmarks": [ {"name": ' >"$TMP/bad.json"
expect_fail2 "gbench JSON truncated" run -n 10 --gbench "$TMP/bad.json"
expect_fail2 "info missing file" "$MC" info "$TMP/none.h5"
expect_fail2 "info of a directory" "$MC" info "$TMP/adir"
expect_fail2 "info no argument" "$MC" info
expect_fail2 "compare one argument" "$MC" compare "$TMP/good.h5"
expect_fail2 "compare missing file" "$MC" compare "$TMP/good.h5" "$TMP/none.h5"
expect_fail2 "merge no output" "$MC" merge "$TMP/good.h5"
expect_fail2 "merge missing input" "$MC" merge -o "$TMP/keep.h5" "$TMP/none.h5"
expect_fail2 "merge output dir unwritable" "$MC" merge -o /proc/merged.h5 "$TMP/good.h5"
expect_fail2 "plot missing file" "$MC" plot "$TMP/none.h5" --out "$TMP/plots"
expect_fail2 "report missing file" "$MC" report "$TMP/none.h5" --out "$TMP/r.html"
if [ "$(id -u)" -ne 0 ]; then # root reads and writes through permissions
  cp "$TMP/good.h5" "$TMP/unreadable.h5" && chmod 000 "$TMP/unreadable.h5"
  expect_fail2 "info unreadable file" "$MC" info "$TMP/unreadable.h5"
  mkdir -p "$TMP/ro" && chmod 555 "$TMP/ro"
  expect_fail2 "output dir read-only" run -n 10 -o "$TMP/ro/out.h5"
fi

# nothing above may have touched the good file or left a .partial
if [ "$(md5sum <"$TMP/keep.h5")" = "$sum_before" ]; then ok "existing output untouched"; else
  fail "existing output $TMP/keep.h5 was modified by a rejected command"; fi
if [ ! -e "$TMP/keep.h5.partial" ]; then ok "no .partial left"; else fail "a .partial was left"; fi
finish
