#!/usr/bin/python3
"""massif_check.py MEMCURVE [N] — the accuracy check of the memory curves: for a few
system-allocator runs, the peak requested bytes that memcurve records (counting allocator)
must agree with valgrind massif's peak mem_heap_B within 2 %.

Each run is `memcurve __child ... --sampling 0` (the timing pass, in-process, results as
key=value lines) under `valgrind --tool=massif --peak-inaccuracy=0.0`, so massif snapshots the
exact peak. massif counts every malloc of the process, memcurve only the workload's: the
process's own heap at start (libstdc++'s emergency pool, stdio, ...) is measured by the same
run at N = 1 and subtracted from massif's peak (and memcurve's N = 1 peak from its own)."""
import os
import re
import subprocess
import sys
import tempfile

# Node- and block-based runs. Arrays grown by realloc are left out on purpose: under valgrind
# realloc always moves (old and new block both live for a moment, which massif's peak shows),
# while glibc grows large blocks in place with mremap, which is what memcurve measures.
RUNS = [("blocks", "churn"), ("blocks", "waves"), ("list", "fill"), ("pairing", "hold")]


def massif_peak(path):
    peak = 0
    with open(path) as f:
        for line in f:
            m = re.match(r"mem_heap_B=(\d+)", line)
            if m:
                peak = max(peak, int(m.group(1)))
    return peak


def main():
    exe = sys.argv[1]
    n = sys.argv[2] if len(sys.argv) > 2 else "20000"
    worst = 0.0
    with tempfile.TemporaryDirectory() as d:
        def run(s, w, size):
            out = os.path.join(d, "massif.%s.%s.%s" % (s, w, size))
            cmd = ["valgrind", "--tool=massif", "--peak-inaccuracy=0.0", "--massif-out-file=" + out,
                   exe, "__child", "--structure", s, "--workload", w, "--allocator", "system",
                   "--n", size, "--seed", "3", "--sampling", "0"]
            p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            kv = dict(l.split("=", 1) for l in p.stdout.splitlines() if "=" in l)
            if p.returncode != 0 or kv.get("ok") != "1":
                raise RuntimeError("%s/%s n=%s failed: %s %s" % (s, w, size, p.stdout,
                                                                 p.stderr[-500:]))
            return int(kv["peak_requested"]), massif_peak(out)
        for s, w in RUNS:
            try:
                ours, theirs = run(s, w, n)
                ours1, theirs1 = run(s, w, "1")
            except RuntimeError as e:
                print("massif_check: %s" % e, file=sys.stderr)
                return 1
            ours -= ours1
            theirs -= theirs1
            dev = abs(ours - theirs) / theirs * 100 if theirs else 100.0
            worst = max(worst, dev)
            print("%-7s %-6s n=%s: memcurve peak requested %10d B, massif peak mem_heap_B %10d B,"
                  " deviation %.3f %%" % (s, w, n, ours, theirs, dev))
    print("massif_check: worst deviation %.3f %% (limit 2 %%): %s"
          % (worst, "ok" if worst <= 2.0 else "FAIL"))
    return 0 if worst <= 2.0 else 1


if __name__ == "__main__":
    sys.exit(main())
