#!/usr/bin/python3
"""trace_check.py MEMCURVE [REPS] — `memcurve trace` against `/usr/bin/time -v` on three programs
(peak RSS: the sampled curve's and the kernel's, beside time's "Maximum resident set size"),
and the sampling overhead: the wall time of a CPU-bound program traced at 1 ms against the same
program traced at a 10 s period (one sample: the same fork/exec path), interleaved, both pinned
to one core with the sampler (its worst case: every sample is time taken from the program),
the program's own CPU time beside its wall time, and the sampler's CPU share.
Prints a Markdown table; medians of REPS (default 5) interleaved repetitions."""
import os
import re
import statistics
import subprocess
import sys
import tempfile

memcurve = sys.argv[1] if len(sys.argv) > 1 else "build-release/benches/memcurve"
reps = int(sys.argv[2]) if len(sys.argv) > 2 else 5
py = "/usr/bin/python3"
programs = [
    ("python list of 10^6 floats", [py, "-c", "x = [float(i) for i in range(10**6)]"]),
    ("numpy 10^7 float64 + copy", [py, "-c", "import numpy as np; a = np.ones(10**7); b = a * 2"]),
    ("memcurve child: pq hold 10^6", [memcurve, "__child", "--sampling", "0", "--structure", "pq",
                                      "--workload", "hold", "--allocator", "system", "--n",
                                      "1000000", "--seed", "1"]),
]
tmp = tempfile.mkdtemp(prefix="trace_check_")
out = os.path.join(tmp, "t.h5")
line = re.compile(r"wall ([\d.]+) s, cpu ([\d.]+) s; peak RSS ([\d.]+) MiB \(kernel\), ([\d.]+) MiB \(sampled\);"
                  r" (\d+) samples every \d+ us \(([\d.]+) us each\)")


def trace(cmd, period_us=1000, pin=None):
    pre = ["taskset", "-c", str(pin)] if pin is not None else []
    r = subprocess.run(pre + [memcurve, "trace", "--no-report", "--period-us", str(period_us),
                              "--force", "-o", out, "--"] + cmd, capture_output=True, text=True)
    m = line.search(r.stderr)
    if not m:
        sys.exit("trace_check: no summary from memcurve trace: " + r.stderr)
    w, c, k, smp, n, u = [float(g) for g in m.groups()]
    return [w, k, smp, n, u, c]


def time_v(cmd):
    r = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True)
    kb = re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr)
    return int(kb.group(1)) / 1024.0


print("| program | /usr/bin/time -v max RSS (MiB) | trace: kernel peak (MiB) | "
      "trace: sampled peak (MiB) | sampled / time -v | samples | us per sample |")
print("|---|---:|---:|---:|---:|---:|---:|")
for name, cmd in programs:
    tv, kern, samp, ns, us = [], [], [], [], []
    for _ in range(reps):
        tv.append(time_v(cmd))
        w, k, s, n, u, _ = trace(cmd)
        kern.append(k), samp.append(s), ns.append(n), us.append(u)
    t, k, s = statistics.median(tv), statistics.median(kern), statistics.median(samp)
    print("| %s | %.1f | %.1f | %.1f | %.3f | %d | %.1f |" % (
        name, t, k, s, s / t, statistics.median(ns), statistics.median(us)))

# overhead: a CPU-bound loop (no memory growth), 1 ms sampling against none, same core. Wall time
# on a shared machine is too noisy to show a few per cent, so the program's own CPU time (wait4)
# is compared too, and the sampler's CPU share is stated: samples x cost per sample / wall.
cpu = [py, "-c", "s = 0\nfor i in range(6 * 10**6): s += i"]
core = os.cpu_count() - 1
walls, cpus, share = [], [], []
for _ in range(reps):
    on = trace(cpu, 1000, core)
    off = trace(cpu, 10000000, core)
    walls.append(on[0] / off[0])
    cpus.append(on[5] / off[5])
    share.append(on[3] * on[4] / 1e6 / on[0])
print()
print("sampling overhead, CPU-bound python loop pinned on the sampler's core, 1 ms sampling "
      "against none, median of %d interleaved pairs: wall %+.1f %%, the program's CPU time "
      "%+.1f %%; the sampler's own CPU: %.1f %% of one core" % (
          reps, (statistics.median(walls) - 1) * 100, (statistics.median(cpus) - 1) * 100,
          statistics.median(share) * 100))
os.unlink(out)
os.rmdir(tmp)
