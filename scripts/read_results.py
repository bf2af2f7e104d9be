#!/usr/bin/python3
"""read_results.py [FILE] — the README's example of reading a memcurve results file with h5py
and pandas (Debian's python3-h5py and python3-pandas, which belong to /usr/bin/python3).
Prints the median time and peak memory (held, resident) of every configuration over its
finished repetitions (ok == 1), how many failed, and one run's curve peak.
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
    curve = pd.DataFrame(f[key + "/curve"][:])  # ops t_ns requested held resident ... (README)
    events = pd.DataFrame(f[key + "/events"][:])  # kind 1 collect, 2 reset, 3 unwind, 4 phase

keys = ["structure", "workload", "allocator", "n"]
ok = summary[summary.ok == 1]  # a failed repetition (ok 0: overflow, crash, timeout) has no time
table = ok.groupby(keys)[["wall_ns", "ops_per_s", "peak_held", "peak_resident"]].median()
table["failed"] = summary[summary.ok == 0].groupby(keys).size()
table["failed"] = table["failed"].fillna(0).astype(int)
print(table.to_string())
print(f"{key}: {len(curve)} samples, peak held {curve.held.max()} bytes, "
      f"peak resident {curve.resident.max()} bytes, {len(events)} events")
