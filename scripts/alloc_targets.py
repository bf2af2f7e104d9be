#!/usr/bin/python3
"""alloc_targets.py BENCH_ALLOC [--reps N] [--min-time S] [--json FILE] [--complete] — the
allocator cost targets, measured side by side in one run and printed as a Markdown table.

Runs BENCH_ALLOC (benches/bench_alloc of a Release build) on the last CPU (taskset, when there
is one), every benchmark the targets need, N repetitions (default 9) with random interleaving:
each repetition of each benchmark runs at a random place in the sequence, so drift of a shared
machine lands on every allocator alike. The figure of each benchmark is the median CPU time of
its repetitions, in ns per operation (pair = one alloc + its free; burst = one alloc of 1024).
--min-time S is each repetition's Google Benchmark min time (default 0.1 s). With --json FILE,
reads a Google Benchmark JSON file written earlier instead of running. --complete exits 1 when a
figure of the table is missing (a benchmark that did not run or reported an error).

Targets (issue 2): arena alloc <= 2 ns; stack push+pop <= 3 ns; pool alloc+free <= 4 ns; the
vtable costs <= 1.5 ns over calling glibc malloc/free directly (system_untracked - malloc_direct,
the same calls with and without the vtable). Each line says which ways in meet the target.

The vtable's cost is a difference of two ~8 ns figures, each of which drifts by ~1 ns over a
minute on a shared machine; so it is measured apart, paired: 11 short runs (one process each,
both ways at every size in random order, 0.05 s each), the difference taken inside each run,
and the median of the 11 differences reported (the design of memcurve's sampling-overhead check).
With --json FILE it can only be the difference of the two medians, and the table says so.
The table's first line gives the core's effective clock during the runs (bench_alloc's
clock_ghz counter: a timed chain of dependent multiplies after each timed loop): the host of a
shared machine changes it over a session, and the ns figures with it.
Informative: timings are not a test, nothing fails on a miss (exit 0 unless the run fails)."""
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

SIZES = ["16", "64", "256", "mixed"]
# target name, bound in ns, workload, the ways in (allocator names of bench_alloc)
TARGETS = [
    ("arena alloc", 2.0, "burst", ["arena", "arena_direct", "arena_cursor"]),
    ("stack push+pop", 3.0, "pair", ["stack", "stack_direct", "stack_cursor"]),
    ("pool alloc+free", 4.0, "pair", ["pool", "pool_direct"]),
]
VTABLE_BOUND = 1.5


def run(bench, reps, min_time):
    names = {"malloc_direct", "system_untracked"}
    for _, _, _, ways in TARGETS:
        names.update(ways)
    flt = "alloc/.*/(%s)(/|$)" % "|".join(sorted(names))
    cmd = [bench, "--benchmark_filter=" + flt, "--benchmark_repetitions=%d" % reps,
           "--benchmark_enable_random_interleaving=true", "--benchmark_min_time=%g" % min_time]
    print("$ " + " ".join(with_pin(cmd)), file=sys.stderr)
    return run_json(cmd)


def with_pin(cmd):
    if shutil.which("taskset"):
        return ["taskset", "-c", str(os.cpu_count() - 1)] + cmd
    return cmd


def run_json(cmd):
    """Runs a bench_alloc command line with JSON output to a temporary file; returns the doc."""
    out = tempfile.NamedTemporaryFile(suffix=".json", delete=False)
    out.close()
    try:
        subprocess.run(with_pin(cmd + ["--benchmark_out=" + out.name,
                                       "--benchmark_out_format=json"]),
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(out.name) as f:
            return json.load(f)
    finally:
        os.unlink(out.name)


def clocks(doc):
    """The clock_ghz counters of the per-repetition rows (empty when the binary has none)."""
    return [b["clock_ghz"] for b in doc.get("benchmarks", [])
            if b.get("run_type") == "iteration" and isinstance(b.get("clock_ghz"), (int, float))]


def paired_vtable(bench, pairs, min_time, seen):
    """{(workload, size): median over `pairs` runs of (system_untracked - malloc_direct)};
    appends the runs' clock readings to seen."""
    cmd = [bench, "--benchmark_filter=alloc/.*/(malloc_direct|system_untracked)(/|$)",
           "--benchmark_repetitions=1", "--benchmark_enable_random_interleaving=true",
           "--benchmark_min_time=%g" % min_time]
    print("$ " + " ".join(with_pin(cmd)) + "   (x %d, paired)" % pairs, file=sys.stderr)
    diffs = {}
    for _ in range(pairs):
        doc = run_json(cmd)
        seen += clocks(doc)
        med = medians(doc)
        for (kind, size, way), ns in med.items():
            other = med.get((kind, size, "malloc_direct"))
            if way == "system_untracked" and other is not None:
                diffs.setdefault((kind, size), []).append(ns - other)
    return {k: statistics.median(v) for k, v in diffs.items()}


def medians(doc):
    """{(workload, size, allocator): median cpu ns} from the per-repetition rows."""
    reps = {}
    for b in doc.get("benchmarks", []):
        if b.get("run_type") != "iteration" or b.get("error_occurred"):
            continue
        parts = b["run_name"].split("/")
        if len(parts) < 3 or parts[0] != "alloc":
            continue
        wl = parts[1]
        kind = "burst" if wl.startswith("burst") else "pair"
        size = wl[len(kind):]
        scale = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}[b.get("time_unit", "ns")]
        reps.setdefault((kind, size, parts[2]), []).append(b["cpu_time"] * scale)
    return {k: statistics.median(v) for k, v in reps.items()}


def fmt(x):
    return "-" if x is None else "%.2f" % x


def main(argv):
    reps, min_time, path, bench, complete = 9, 0.1, None, None, False
    i = 1
    while i < len(argv):
        if argv[i] == "--reps" and i + 1 < len(argv) and argv[i + 1].isdigit():
            reps = int(argv[i + 1])
            i += 2
        elif argv[i] == "--min-time" and i + 1 < len(argv):
            try:
                min_time = float(argv[i + 1])
            except ValueError:
                print("alloc_targets.py: --min-time wants seconds, not %r" % argv[i + 1],
                      file=sys.stderr)
                return 2
            i += 2
        elif argv[i] == "--complete":
            complete = True
            i += 1
        elif argv[i] == "--json" and i + 1 < len(argv):
            path = argv[i + 1]
            i += 2
        elif bench is None and not argv[i].startswith("-"):
            bench = argv[i]
            i += 1
        else:
            print("alloc_targets.py: unexpected argument %r (see the top of the script)" % argv[i],
                  file=sys.stderr)
            return 2
    vt, seen = None, []
    if path:
        with open(path) as f:
            doc = json.load(f)
    elif bench:
        doc = run(bench, reps, min_time)
        vt = paired_vtable(bench, 11, min(min_time, 0.05), seen)
    else:
        print("alloc_targets.py: give BENCH_ALLOC or --json FILE", file=sys.stderr)
        return 2
    med = medians(doc)
    missing = []
    ctx = doc.get("context", {})
    print("bench_alloc, median CPU ns per operation over the repetitions (%s, %s CPUs)"
          % (ctx.get("date", "?"), ctx.get("num_cpus", "?")))
    seen = clocks(doc) + seen
    if seen:
        print("effective clock during the runs: median %.2f GHz, min-max %.2f-%.2f GHz"
              % (statistics.median(seen), min(seen), max(seen)))
    print()
    print("| target | way in | %s | meets |" % " | ".join(SIZES))
    print("|---|---|%s---|" % ("---|" * len(SIZES)))
    for name, bound, kind, ways in TARGETS:
        for way in ways:
            row = [med.get((kind, s, way)) for s in SIZES]
            missing += ["alloc/%s%s/%s" % (kind, s, way) for s, x in zip(SIZES, row) if x is None]
            ok = all(x is not None and x <= bound for x in row)
            print("| %s <= %g ns (%s) | %s | %s | %s |" % (name, bound, kind, way,
                  " | ".join(fmt(x) for x in row), "yes" if ok else "no"))
    how = ("system_untracked - malloc_direct, median of 11 paired runs" if vt is not None
           else "system_untracked - malloc_direct, difference of the medians")
    for kind in ("pair", "burst"):
        row = []
        for s in SIZES:
            if vt is not None:
                row.append(vt.get((kind, s)))
            else:
                a, b = med.get((kind, s, "system_untracked")), med.get((kind, s, "malloc_direct"))
                row.append(None if a is None or b is None else a - b)
            if row[-1] is None:
                missing.append("alloc/%s%s/(system_untracked|malloc_direct)" % (kind, s))
        ok = all(x is not None and x <= VTABLE_BOUND for x in row)
        print("| vtable over malloc <= %g ns (%s) | %s | %s | %s |"
              % (VTABLE_BOUND, kind, how, " | ".join(fmt(x) for x in row), "yes" if ok else "no"))
    for kind in ("pair", "burst"):
        print("| (baseline, %s) | malloc_direct | %s | |"
              % (kind, " | ".join(fmt(med.get((kind, s, "malloc_direct"))) for s in SIZES)))
    if missing:
        print("alloc_targets.py: no figure for %s" % ", ".join(missing), file=sys.stderr)
        return 1 if complete else 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
