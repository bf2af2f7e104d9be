#!/usr/bin/python3
"""read_results.py [FILE] — the README's example of reading a memcurve results file with h5py
and pandas (Debian's python3-h5py and python3-pandas, which belong to /usr/bin/python3).
Prints the median time and peak memory of every configuration and one run's curve peak.
scripts/check_h5_readers.sh runs it on a fresh file, so the README's example keeps working."""
import sys

import h5py
import pandas as pd

path = sys.argv[1] if len(sys.argv) > 1 else "results/memcurve.h5"
with h5py.File(path, "r") as f:
    summary = pd.DataFrame(f["summary"][:])  # one row per run and repetition
    for col in ("structure", "workload", "allocator", "status"):
        summary[col] = summary[col].str.decode("utf-8")  # fixed-length strings arrive as bytes
    run = summary.iloc[0]
    key = f"runs/{run.structure}/{run.workload}/{run.allocator}/n{run.n}"
    curve = pd.DataFrame(f[key + "/curve"][:])  # ops elements t_ns requested footprint rss collections
    events = pd.DataFrame(f[key + "/events"][:])  # kind 1 collect, 2 reset, 3 unwind, 4 phase

table = summary.groupby(["structure", "workload", "allocator", "n"])[
    ["wall_ns", "ops_per_s", "peak_footprint", "peak_rss"]].median()
print(table.to_string())
print(f"{key}: {len(curve)} samples, peak footprint {curve.footprint.max()} bytes, "
      f"{len(events)} events")
