#!/usr/bin/env bash
# test_install.sh BUILD_DIR — installs BUILD_DIR into a temporary prefix (cmake --install
# --prefix) and checks what a user of the installed memcurve meets:
#   1. a CMake project with find_package(memcurve) alone (no pkg_check_modules for libgc) builds
#      and runs the README's examples;
#   2. a plain `cc ... $(pkg-config --cflags --libs memcurve)` builds and runs the same;
#   3. the installed `memcurve` command, run from another folder, records a tiny results file
#      and draws its charts with the installed gnuplot scripts (share/memcurve/plots);
#   4. the installed bash completion (share/bash-completion/completions/memcurve) completes.
# The consumers' code is the C blocks of README.md's "Using the allocators and structures"
# (the ones tests/readme/test_readme.c compiles too) plus consumer/main.c, which prints their
# results; consumer/expected.txt is what it must print. Environment: MEMCURVE (the build's
# memcurve, for lib.sh), MC_CC (the C compiler), MC_CONSUMER_FLAGS (extra compile and link
# flags: the sanitizers of an ASan build). Label: install. The temporary folder is removed.
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../reliability/lib.sh" # ok, fail, finish, $TMP (removed on exit)
build=$(readlink -f "${1:?usage: test_install.sh BUILD_DIR}")
src=$(readlink -f "$here/../..")
cc=${MC_CC:-cc}
read -r -a flags <<<"${MC_CONSUMER_FLAGS:-}"
prefix=$(readlink -f "$TMP")/prefix
unset MEMCURVE_PLOTS PKG_CONFIG_PATH

echo "== cmake --install $build --prefix $prefix"
if cmake --install "$build" --prefix "$prefix" >"$TMP/install.log" 2>&1; then
  ok "installed: $(cd "$prefix" && find . -type f | sed 's|^\./||;s|/[^/]*$||' | sort | uniq -c |
    awk '{printf "%s%s (%d)", (NR > 1 ? ", " : ""), $2, $1}')"
else
  fail "cmake --install: $(tail -5 "$TMP/install.log")"
  finish
  exit 1
fi

# The README's examples, exactly as README.md shows them.
awk '/^## /{sec = ($0 == "## Using the allocators and structures")}
     sec && inb && /^```/ {inb = 0; next}
     sec && inb {print; next}
     sec && /^```c$/ {inb = 1; n++}
     END {exit n ? 0 : 1}' "$src/README.md" >"$TMP/readme_examples.c" ||
  fail "no C block in README.md's \"Using the allocators and structures\""
echo "   README examples: $(grep -c '^[a-z].*_example(' "$TMP/readme_examples.c") functions," \
  "$(wc -l <"$TMP/readme_examples.c") lines"

# check_output NAME PROGRAM: runs PROGRAM from $TMP/elsewhere, compares with expected.txt
mkdir -p "$TMP/elsewhere"
check_output() {
  local name=$1 prog=$2
  if (cd "$TMP/elsewhere" && "$prog") >"$TMP/$name.out" 2>&1 &&
    diff -u "$here/consumer/expected.txt" "$TMP/$name.out" >"$TMP/$name.diff"; then
    ok "$name runs the README examples:"
    sed 's/^/       /' "$TMP/$name.out"
  else
    fail "$name: $(cat "$TMP/$name.diff" "$TMP/$name.out" | head -20)"
  fi
}

echo "== consumer 1: CMake, find_package(memcurve)"
cfg=(-S "$here/consumer" -B "$TMP/cmake-consumer" -DCMAKE_PREFIX_PATH="$prefix"
  -DCMAKE_C_COMPILER="$cc" -DREADME_EXAMPLES="$TMP/readme_examples.c"
  -DCMAKE_C_FLAGS="${flags[*]}" -DCMAKE_EXE_LINKER_FLAGS="${flags[*]}")
if cmake "${cfg[@]}" >"$TMP/cmake.log" 2>&1 &&
  cmake --build "$TMP/cmake-consumer" >>"$TMP/cmake.log" 2>&1; then
  ok "find_package(memcurve) configured and built (libgc found by the package itself)"
  check_output cmake-consumer "$TMP/cmake-consumer/consumer"
else
  fail "CMake consumer: $(grep -m5 -i -A3 'error' "$TMP/cmake.log")"
fi

echo "== consumer 2: $cc \$(pkg-config --cflags --libs memcurve)"
export PKG_CONFIG_PATH
PKG_CONFIG_PATH=$(dirname "$(find "$prefix" -name memcurve.pc | head -1)")
if pc=$(pkg-config --cflags --libs memcurve); then
  echo "   pkg-config --cflags --libs memcurve: $pc"
  echo "   pkg-config --static --libs memcurve: $(pkg-config --static --libs memcurve)"
  # shellcheck disable=SC2086 # pkg-config's output is meant to be split
  if "$cc" -std=c11 "${flags[@]}" -o "$TMP/pc-consumer" "$here/consumer/main.c" \
    "$TMP/readme_examples.c" $pc >"$TMP/cc.log" 2>&1; then
    ok "cc with pkg-config's flags built it"
    check_output pkg-config-consumer "$TMP/pc-consumer"
  else
    fail "cc: $(head -20 "$TMP/cc.log")"
  fi
  case " $(pkg-config --static --libs memcurve) " in
  *" -lgc "*" -ldl "* | *" -ldl "*" -lgc "*) ok "pkg-config --static lists libgc and libdl" ;;
  *) fail "pkg-config --static --libs memcurve lacks -lgc or -ldl" ;;
  esac
else
  fail "pkg-config finds no memcurve in $PKG_CONFIG_PATH"
fi

echo "== the installed command, from another folder"
mc=$prefix/bin/memcurve
(cd "$TMP/elsewhere" && "$mc" run -s list -w fill -a system,pool -n 500 -r 1 -q -o tiny.h5) \
  >"$TMP/run.log" 2>&1 && ok "memcurve run wrote tiny.h5" || fail "memcurve run: $(tail -5 "$TMP/run.log")"
# the runs' child program, which memcurve finds at ../libexec/memcurve/ from its own folder
child=$(find "$prefix" -path '*/libexec/memcurve/memcurve-child' | head -1)
if [ -n "$child" ] && [ "$(dirname "$(dirname "$(dirname "$child")")")" = "$(dirname "$(dirname "$mc")")" ] &&
  "$child" __child --probe 1; then
  ok "memcurve-child installed beside the command ($child) and starts"
else fail "memcurve-child: not installed at ../libexec/memcurve/ from $mc, or does not start ('$child')"; fi
if (cd "$TMP/elsewhere" && "$mc" plot tiny.h5 --out charts) >"$TMP/plot.log" 2>&1; then
  charts=$(ls "$TMP/elsewhere/charts"/*.png 2>/dev/null | wc -l)
  # each chart's variables name the scripts' folder gnuplot was given (gpdir)
  want="gpdir=\"$prefix/share/memcurve/plots\";"
  others=$(grep -L -F "$want" "$TMP/elsewhere/charts/data"/*.vars 2>/dev/null | wc -l)
  if [ "$charts" -gt 0 ] && [ "$others" -eq 0 ]; then
    ok "memcurve plot drew $charts PNG charts with the scripts in $prefix/share/memcurve/plots"
  else
    fail "memcurve plot: $charts PNG charts, $others not drawn with the installed scripts"
  fi
else
  fail "memcurve plot: $(tail -5 "$TMP/plot.log")"
fi
comp=$prefix/share/bash-completion/completions/memcurve
if [ -f "$comp" ] && got=$(bash -c 'source "$1"; COMP_WORDS=(memcurve run -a system,je); COMP_CWORD=3
    _memcurve; echo "${COMPREPLY[*]}"; complete -p memcurve' _ "$comp") &&
  [ "$got" = "system,jemalloc
complete -o filenames -F _memcurve memcurve" ]; then
  ok "bash completion installed ($comp): 'memcurve run -a system,je<TAB>' gives system,jemalloc"
else fail "bash completion at $comp: '$got'"; fi
finish
