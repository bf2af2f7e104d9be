#!/usr/bin/env bash
# tests/reliability/valgrind.sh BUILD_DIR — runs every allocator, structure and collector
# CUnit suite (tests/{allocators,structs,gc}/test_*.c) of a plain, non-sanitized build under
# valgrind memcheck. Fails on any memcheck error, any definite or indirect leak, any suite
# failure, or a suite whose binary was not built. Two suites run at a time. (No
# --track-origins: it doubles the time; rerun one suite with it to find an uninitialised value.)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:?usage: tests/reliability/valgrind.sh BUILD_DIR}
command -v valgrind >/dev/null || { echo "valgrind: not installed" >&2; exit 1; }
logs="$build/valgrind"
mkdir -p "$logs"
suites=()
# largest sources first: the longest suites start early and the two lanes finish together
for src in $(ls -S tests/allocators/test_*.c tests/structs/test_*.c tests/gc/test_*.c 2>/dev/null); do
  # test_held measures what the process's malloc holds by its own statistics against RSS:
  # under memcheck, malloc is valgrind's replacement (glibc's mallinfo2 sees none of it), so
  # the suite has nothing to measure there; it runs in the plain and ASan passes.
  [ "$(basename "$src" .c)" = test_held ] && continue
  [ -e "$src" ] && suites+=("$(basename "$src" .c)")
done
[ ${#suites[@]} -gt 0 ] || { echo "valgrind: no suites found" >&2; exit 1; }
run_one() {
  local build=$1 logs=$2 name=$3 start end
  start=$(date +%s)
  if [ ! -x "$build/tests/$name" ]; then
    echo "valgrind: $name: FAILED (not built)"
    return 1
  fi
  if valgrind -q --error-exitcode=99 --suppressions=tests/reliability/valgrind.supp \
      --leak-check=full --show-leak-kinds=definite,indirect \
      --errors-for-leak-kinds=definite,indirect \
      "$build/tests/$name" >"$logs/$name.log" 2>&1; then
    end=$(date +%s)
    echo "valgrind: $name: ok ($((end - start)) s)"
  else
    echo "valgrind: $name: FAILED (exit $?), log $logs/$name.log"
    grep -E "^==[0-9]+== (Invalid|Conditional|Use of|Mismatched|.*definitely|.*indirectly)" \
      "$logs/$name.log" | head -5 || true
    return 1
  fi
}
export -f run_one
printf '%s\n' "${suites[@]}" | xargs -P 2 -I{} bash -c 'run_one "$0" "$1" {}' "$build" "$logs"
