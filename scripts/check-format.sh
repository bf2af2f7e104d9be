#!/usr/bin/env bash
# check-format.sh [--fix] — every C/C++ file the repository tracks against .clang-format.
# Without --fix: lists the files that differ and exits 1 (CI runs it; nothing is changed).
# With --fix: rewrites them in place. Uses clang-format 14 (Debian's clang-format package);
# another major version may format differently, so the version is checked.
set -euo pipefail
cd "$(dirname "$0")/.."
fmt=${CLANG_FORMAT:-clang-format}
command -v "$fmt" >/dev/null || { echo "check-format: $fmt not found (Debian package clang-format)" >&2; exit 2; }
ver=$("$fmt" --version | sed -n 's/.*version \([0-9]*\).*/\1/p')
[ "$ver" = 14 ] || { echo "check-format: clang-format 14 expected, found $ver" >&2; exit 2; }
mapfile -t files < <(git ls-files '*.c' '*.h' '*.cc')
if [ "${1:-}" = --fix ]; then
  "$fmt" -i "${files[@]}"
  exit 0
fi
bad=0
for f in "${files[@]}"; do
  if ! "$fmt" "$f" | cmp -s - "$f"; then
    echo "check-format: $f differs from .clang-format (fix: scripts/check-format.sh --fix)" >&2
    bad=1
  fi
done
[ $bad -eq 0 ] && echo "check-format: ${#files[@]} files match .clang-format"
exit $bad
