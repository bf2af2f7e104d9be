#!/usr/bin/python3
"""check_sweep.py MERGED SERIAL [--hosts N] — checks that a sweep run in shards (Slurm array,
GNU parallel) and merged holds exactly the runs of the same sweep run serially, and that every
run's memory figures equal the serial run's.

Equal means: the same run keys (structure, workload, allocator, n), the same summary rows
(rep 0..R-1) per run, and per row the figures a fixed build computes deterministically: ops,
collections, allocs_per_op, peak/final requested, peak footprint, peak/final held; per run the
curve's ops, elements, requested and footprint columns. Not compared: wall times (noise), and
RSS/resident (the kernel's page accounting, which varies between two serial runs too), nor the
malloc rows' sampled held curve (read under a time budget). With --hosts N: the merged file's
provenance names exactly N distinct hosts. Prints one line per check; exits 1 on a mismatch."""
import sys

import h5py
import numpy as np

ROW_FIELDS = ("ops", "collections", "allocs_per_op", "peak_requested", "peak_footprint",
              "peak_held", "final_requested", "final_held")
CURVE_FIELDS = ("ops", "elements", "requested", "footprint")


def runs(f):
    out = {}

    def visit(name, obj):
        if isinstance(obj, h5py.Group) and "curve" in obj:
            a = obj.attrs
            key = tuple(a[k].decode() if isinstance(a[k], bytes) else str(a[k])
                        for k in ("structure", "workload", "allocator")) + (int(a["n"]),)
            out[key] = obj
    f["runs"].visititems(visit)
    return out


def rows(f):
    out = {}
    for r in f["summary"][...]:
        key = (r["structure"].decode(), r["workload"].decode(), r["allocator"].decode(),
               int(r["n"]), int(r["rep"]))
        if key in out:
            sys.exit("check_sweep.py: summary row %s twice" % (key,))
        out[key] = r
    return out


def main(argv):
    hosts = None
    if "--hosts" in argv:
        i = argv.index("--hosts")
        hosts = int(argv[i + 1])
        del argv[i:i + 2]
    if len(argv) != 3:
        sys.exit(__doc__)
    m, s = h5py.File(argv[1], "r"), h5py.File(argv[2], "r")
    rm, rs = runs(m), runs(s)
    bad = 0
    if set(rm) != set(rs):
        print("runs differ: only merged %s, only serial %s" %
              (sorted(set(rm) - set(rs)), sorted(set(rs) - set(rm))))
        bad += 1
    print("runs: merged %d, serial %d, the same keys: %s" % (len(rm), len(rs), set(rm) == set(rs)))
    sm, ss = rows(m), rows(s)
    if set(sm) != set(ss):
        print("summary rows differ: %d merged, %d serial" % (len(sm), len(ss)))
        bad += 1
    nrow = 0
    for k in sorted(set(sm) & set(ss)):
        for fld in ROW_FIELDS:
            if sm[k][fld] != ss[k][fld]:
                print("row %s: %s %s (merged) != %s (serial)" % (k, fld, sm[k][fld], ss[k][fld]))
                bad += 1
        nrow += 1
    print("summary rows compared: %d (fields %s)" % (nrow, ", ".join(ROW_FIELDS)))
    ncurve = 0
    for k in sorted(set(rm) & set(rs)):
        cm, cs = rm[k]["curve"][...], rs[k]["curve"][...]
        for fld in CURVE_FIELDS:
            if not np.array_equal(cm[fld], cs[fld]):
                print("curve %s: column %s differs" % (k, fld))
                bad += 1
        ncurve += 1
    print("curves compared: %d (columns %s)" % (ncurve, ", ".join(CURVE_FIELDS)))
    if "provenance" in m:
        prov = m["provenance"][...]
        names = sorted({p["host"].decode() for p in prov})
        print("provenance rows: %d, hosts: %s" % (len(prov), ", ".join(names)))
        if hosts is not None and len(names) != hosts:
            print("expected %d host(s)" % hosts)
            bad += 1
    elif hosts is not None:
        print("no /provenance in %s" % argv[1])
        bad += 1
    if bad:
        print("check_sweep.py: %d mismatch(es)" % bad)
        return 1
    print("check_sweep.py: the merged sweep equals the serial one")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
