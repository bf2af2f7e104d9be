#!/usr/bin/python3
"""check_h5.py FILE — reads a memcurve results file with h5py and checks it against the schema
of benches/results/mc_h5.h: root attributes, one group per run with curve/events, units attributes,
/summary rows consistent with the runs. Exits 1 with a reason on the first mismatch."""
import sys

import h5py
import numpy as np


def fail(msg):
    print("check_h5.py: " + msg, file=sys.stderr)
    sys.exit(1)


def main(path):
    f = h5py.File(path, "r")
    for a in ("schema_version", "created_utc", "host", "cpu", "compiler", "cflags",
              "library_versions", "command_line"):
        if a not in f.attrs:
            fail("root attribute %s missing" % a)
    if int(f.attrs["schema_version"]) != 4:
        fail("schema_version")
    runs = []
    f["runs"].visititems(lambda name, obj: runs.append((name, obj))
                         if isinstance(obj, h5py.Group) and "curve" in obj else None)
    if not runs:
        fail("no runs")
    fields = ["ops", "elements", "t_ns", "requested", "footprint", "rss", "collections", "held",
              "resident", "held_ops"]
    summary = f["summary"][...]
    for name, g in runs:
        c = g["curve"]
        if list(c.dtype.names) != fields:
            fail("%s: curve fields %s" % (name, c.dtype.names))
        if c.compression != "gzip" or c.chunks is None:
            fail("%s: curve not chunked+deflated" % name)
        units = [u.decode() if isinstance(u, bytes) else u for u in c.attrs["units"]]
        if units != ["operations", "elements", "ns", "bytes", "bytes", "bytes", "collections", "bytes",
                     "bytes", "operations"]:
            fail("%s: units %s" % (name, units))
        if c.attrs["rss_units"] != b"bytes" and c.attrs["rss_units"] != "bytes":
            fail("%s: rss_units" % name)
        data = c[...]
        if len(data) < 256:
            fail("%s: %d curve points (< 256)" % (name, len(data)))
        if not np.all(np.diff(data["ops"].astype(np.int64)) >= 0):
            fail("%s: ops decreasing" % name)
        if not np.all(data["rss"] > 0):
            fail("%s: rss 0" % name)
        if not np.all(data["footprint"] >= data["requested"]) and g.attrs["allocator"] == b"system":
            fail("%s: footprint < requested" % name)
        s, w, a, n = (g.attrs[k] for k in ("structure", "workload", "allocator", "n"))
        rows = summary[(summary["structure"] == s) & (summary["workload"] == w) &
                       (summary["allocator"] == a) & (summary["n"] == n)]
        if len(rows) != int(g.attrs["repetitions"]):
            fail("%s: %d summary rows for %d repetitions" % (name, len(rows),
                                                             g.attrs["repetitions"]))
        if not np.all(rows["ok"] == 1) or g.attrs["status"] != b"ok":
            fail("%s: not ok" % name)
        # the facts charts read (schema 2): what N means, what the heap is, the chart order
        means = g.attrs["n_means"]
        means = means.decode() if isinstance(means, bytes) else means
        if means not in ("elements", "tree depth"):
            fail("%s: n_means %r" % (name, means))
        if int(g.attrs["heap"]) & ~7 or int(g.attrs["allocator_order"]) < -1:
            fail("%s: heap %r / allocator_order %r" % (name, g.attrs["heap"],
                                                       g.attrs["allocator_order"]))
        # the curve's last point is the end of the run: the same ops as the timing passes
        if not np.all(rows["ops"] == data["ops"][-1]):
            fail("%s: summary ops %s vs curve %d" % (name, rows["ops"], data["ops"][-1]))
        if not np.all(rows["peak_requested"] >= data["requested"].max()):
            fail("%s: peak_requested below the curve's maximum" % name)
        if not np.all(rows["peak_rss"] > 0):
            fail("%s: peak_rss" % name)
        # schema 3: the three quantities; resident is rss above the run's baseline
        base = int(g.attrs["rss_baseline"])
        if base <= 0 or not np.all(data["resident"] == np.maximum(data["rss"].astype(np.int64) - base, 0)):
            fail("%s: resident != rss - rss_baseline" % name)
        if not np.all(data["held_ops"] <= data["ops"]):
            fail("%s: held_ops after ops" % name)
        if a != b"system" and not np.all(data["held"] == data["footprint"]):
            fail("%s: held of an own allocator is not its footprint" % name)
        if not np.all(rows["peak_held"] >= data["held"].max()) and a != b"system":
            fail("%s: peak_held below the curve's maximum" % name)
        if not np.all(rows["peak_held"] >= rows["final_held"]) or \
           not np.all(rows["peak_resident"] >= rows["final_resident"]):
            fail("%s: a peak below its final value" % name)
        if summary.dtype["peak_held"] != np.uint64 or "peak_held_units" not in f["summary"].attrs:
            fail("summary: peak_held units")
        ev = g["events"][...]
        phases = int(np.sum(ev["kind"] == 4)) if len(ev) else 0
        if w == b"waves" and phases != 6:
            fail("%s: %d phase events, want 6" % (name, phases))
        resets = int(np.sum(ev["kind"] == 2)) if len(ev) else 0
        if resets != (1 if a in (b"arena", b"stack") else 0):
            fail("%s: %d reset events" % (name, resets))
    print("check_h5.py: %d runs, %d summary rows ok" % (len(runs), len(summary)))


if __name__ == "__main__":
    main(sys.argv[1])
