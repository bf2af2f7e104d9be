#!/usr/bin/python3
"""held_compare.py FILE.h5 — what the switch to absolute "held" changed in a results file.

For every structure/workload/N group with at least two finished allocators, the leanest
allocator by median peak held (absolute: a malloc's start-up reserve included, schema 4) and by
the figure schema 3 used (held minus the run's held_baseline, never below the live blocks' usable
size, peak_footprint), with the allocator of lowest median peak resident beside. Prints the
groups whose leanest changed and their count. Reads /summary and each run's held_baseline.
"""
import collections
import sys

import h5py
import numpy as np

MIB = 1048576.0


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    f = h5py.File(argv[1], "r")
    base = {}

    def visit(_, obj):
        if "held_baseline" in obj.attrs:
            a = obj.attrs
            base[(a["structure"], a["workload"], a["allocator"], int(a["n"]))] = int(a["held_baseline"])

    f["runs"].visititems(visit)
    groups = collections.defaultdict(lambda: collections.defaultdict(lambda: ([], [], [])))
    for r in f["summary"][()]:
        if r["ok"] != 1:
            continue
        key = (r["structure"].decode(), r["workload"].decode(), int(r["n"]))
        b = base.get((r["structure"], r["workload"], r["allocator"], int(r["n"])), 0)
        new = int(r["peak_held"])
        old = max(new - b, int(r["peak_footprint"])) if b else new
        cell = groups[key][r["allocator"].decode()]
        cell[0].append(new), cell[1].append(old), cell[2].append(int(r["peak_resident"]))
    changed = total = 0
    for (s, w, n), cells in sorted(groups.items()):
        if len(cells) < 2:
            continue
        total += 1
        med = [{a: np.median(c[i]) for a, c in cells.items()} for i in range(3)]
        new, old, res = (min(m, key=m.get) for m in med)
        if new != old:
            changed += 1
            print("%s/%s N=%d: leanest was %s (old held %.2f MiB), now %s (%.2f MiB); lowest "
                  "resident %s" % (s, w, n, old, med[1][old] / MIB, new, med[0][new] / MIB, res))
    print("%d of %d groups changed their leanest" % (changed, total))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
