#!/usr/bin/python3
"""lessons.py — the `python` suite: Python's lessons, each a C model beside real CPython.

    benches/python/lessons.py [--suite python|python-full] [--build DIR] [--out DIR] [--no-run]

For each lesson (LESSONS below) it runs the C side (memcurve run, Google Benchmark binaries, or a C
program under memcurve trace) and the CPython side (lesson_*.py under /usr/bin/python3, traced by
`memcurve trace` with tracemalloc's bytes reported through mc_report.py), merges them into
OUT/<lesson>.h5 (default results/python/), draws OUT/<lesson>.png from that file with gnuplot and
writes OUT/lessons.html ("Python's lessons") and a Markdown summary on stdout. The suite "python"
is the small one `make bench` runs (well under a minute of runs); "python-full" takes the sizes up
to 10^6. Without /usr/bin/python3 (this script then does not run at all), NumPy or h5py, what
needs them is skipped with a note.

The charts read facts from each lesson's file, never names: a run whose heap has the "outside"
bit (CPython's) is drawn dashed or in the CPython panel; a traced run (heap bit "traced") is
drawn against its own count (elements), any other against its operations.
"""
import argparse
import html
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PY = "/usr/bin/python3"
CPY = "outside,refcount,collected"  # CPython's heap facts
HEAP_OUTSIDE, HEAP_TRACED = 4, 64
SIZES = {"python": [1000, 10000, 100000], "python-full": [1000, 10000, 100000, 1000000]}
SCALE = {"python": 1, "python-full": 10}  # node, request and depth counts


def have_numpy():
    return subprocess.run([PY, "-c", "import numpy"], capture_output=True).returncode == 0


# ---- the lessons: what runs (C model, CPython), how the chart reads it -------------------------
# step kinds: ("run", args) memcurve run; ("gbench", binary, filter) a bench_* JSON imported by
# the lesson's run; ("pyjson", script, args) a CPython timing script printing the same JSON;
# ("trace", names/options, command) memcurve trace.


def lesson_lists(suite, numpy):
    ns = SIZES[suite]
    nl = ",".join(map(str, ns))
    alt = "|".join(map(str, ns))
    steps = [("gbench", "bench_boxed", "^(boxed/sum|ndarray/sum_vs_boxed)/system/(%s)$" % alt),
             ("pyjson", "lesson_lists.py", ["time", nl]),
             ("run", ["-s", "boxed,ndarray", "-w", "fill", "-a", "system", "-n", nl, "-r", "1"])]
    for n in ns:
        for kind, name in (("list", "pylist"), ("numpy", "numpy")):
            if kind == "numpy" and not numpy:
                continue
            steps.append(("trace", ["-s", name, "-w", "fill", "-a", "cpython", "-n", str(n),
                                    "--heap", CPY],
                          [PY, "lesson_lists.py", "mem", kind, str(n)]))
    return steps


def lesson_cycles(suite, numpy):
    n = str(100000 * SCALE[suite])
    # the C side at 2M nodes at least: past the tracing collector's 8 MB trigger, so gc collects
    cn = str(max(2000000, 100000 * SCALE[suite]))
    steps = [("run", ["-s", "list", "-w", "cycles,chains", "-a", "rc,rc-off,gc,gc-off", "-n", cn,
                      "-r", "1"])]
    for w in ("cycles", "chains"):
        for mode, alloc, facts in (("on", "cpython", CPY), ("off", "cpython-gc-off",
                                                            CPY + ",gc-off")):
            steps.append(("trace", ["-s", "list", "-w", w, "-a", alloc, "-n", n, "--heap", facts],
                          [PY, "lesson_cycles.py", w, n, mode]))
    return steps


def lesson_stack(suite, numpy):
    depth = str(100000 * SCALE[suite])
    pydepth = str(20000 * SCALE[suite])
    rec = os.path.join("{build}", "benches", "lesson_recurse")
    t = ["-s", "frames", "-w", "recursion", "--heap", "none", "-a"]
    return [("trace", t + ["c-call-stack"], [rec, "stack", "256"]),
            ("trace", t + ["c-heap", "-n", depth], [rec, "heap", "256", depth]),
            ("trace", t + ["mc-stack-allocator"], [rec, "allocator", "256"]),
            ("trace", ["-s", "frames", "-w", "recursion", "-a", "cpython-limit", "--heap", CPY],
             [PY, "lesson_stack.py", "limit"]),
            ("trace", ["-s", "frames", "-w", "recursion", "-a", "cpython-lifted", "-n", pydepth,
                       "--heap", CPY], [PY, "lesson_stack.py", "lifted", pydepth])]


def lesson_pq(suite, numpy):
    ns = SIZES[suite]
    nl = ",".join(map(str, ns))
    steps = [("gbench", "bench_pq", "^pq_(binary|4ary)/hold/system/(%s)$" % "|".join(map(str, ns))),
             ("pyjson", "lesson_pq.py", ["time", nl, str(50000 * SCALE[suite])]),
             ("run", ["-s", "pq,pq4", "-w", "hold", "-a", "system", "-n", nl, "-r", "1"])]
    for n in ns:
        steps.append(("trace", ["-s", "heapq", "-w", "hold", "-a", "cpython", "-n", str(n),
                                "--heap", CPY], [PY, "lesson_pq.py", "mem", str(n)]))
    return steps


def lesson_leak(suite, numpy):
    reqs = str(100000 * SCALE[suite])
    leak = os.path.join("{build}", "benches", "lesson_leak")
    t = ["-s", "cache", "-w", "requests", "-n", reqs]
    return [("trace", t + ["-a", "c-leak", "--heap", "none"], [leak, "leak", reqs]),
            ("trace", t + ["-a", "c-evict", "--heap", "none"], [leak, "evict", reqs]),
            ("trace", t + ["-a", "cpython-leak", "--heap", CPY],
             [PY, "lesson_leak.py", "leak", reqs]),
            ("trace", t + ["-a", "cpython-evict", "--heap", CPY],
             [PY, "lesson_leak.py", "evict", reqs])]


LESSONS = [
    {"id": "lists", "title": "Lists against NumPy arrays", "steps": lesson_lists,
     "chart": "per_n", "ylabel": ["bytes per element", "sum: ns per element"],
     "text": "A Python list of floats is an array of pointers to boxed floats, about 32 bytes "
             "per element against 8 for a float64 array, and memcurve's boxed array and ndarray "
             "measure the same bytes. Summing chases a pointer per element in the list and "
             "streams one buffer in the array: the ratio in time follows the ratio in layout."},
    {"id": "cycles", "title": "Reference counting and cycles", "steps": lesson_cycles,
     "chart": "curves", "y": "requested",
     "text": "Reference counting frees acyclic garbage at once with the collector on or off; "
             "rings of nodes stay until the cycle detector runs, and with it disabled "
             "(rc-off, gc.disable()) they pile up until an explicit collection. The tracing "
             "collector (gc) frees both kinds only at collections, and not at all when off."},
    {"id": "stack", "title": "Stack against heap", "steps": lesson_stack,
     "chart": "curves", "y": "rss", "depth": True,
     "text": "The real call stack is small and fixed: a C recursion with 256-byte frames is "
             "killed by the kernel at the ulimit -s limit, memcurve's stack allocator over a "
             "region of the same size refuses the next frame with an error code, and the same "
             "frames on the heap go on growing. CPython stops at its recursion limit (1000) "
             "with a RecursionError long before, and lifted, its frames grow on its own heap."},
    {"id": "pq", "title": "Priority queues", "steps": lesson_pq,
     "chart": "per_n", "ylabel": ["bytes per element", "hold: ns per operation"],
     "alias": {"pq_binary": "pq", "pq_4ary": "pq4"},  # bench_pq's names -> memcurve's
     "text": "heapq is a binary heap on a Python list: each element is a pointer to a boxed "
             "float, against memcurve's heaps storing keys in place. The hold model's cost per "
             "operation grows with log N in both, the 4-ary heap's shallower tree a little "
             "cheaper, heapq far above: an interpreted loop and a pointer chase per comparison."},
    {"id": "leak", "title": "Leaks", "steps": lesson_leak,
     "chart": "curves", "y": "requested",
     "text": "A cache that never evicts keeps a reference to every entry it ever made: its "
             "memory grows with the requests served, in C and in Python alike, although "
             "nothing is lost in the allocator's sense. The same cache bounded to its newest "
             "1000 entries stays flat: a leak in a collected language is a reference kept."},
]


# ---- running ------------------------------------------------------------------------------------

def sh(cmd, cwd=None, stdout=None):
    r = subprocess.run(cmd, cwd=cwd, stdout=stdout, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        raise RuntimeError("%s: exit %d: %s" % (" ".join(cmd), r.returncode, r.stderr.strip()))
    return r


def run_lesson(lesson, args, numpy):
    memcurve = os.path.join(args.build, "benches", "memcurve")
    work = os.path.join(args.out, "data", lesson["id"])
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    parts, jsons, k = [], [], 0
    for step in lesson["steps"](args.suite, numpy):
        k += 1
        t0 = time.time()
        if step[0] == "gbench":
            out = os.path.join(work, "%d.json" % k)
            sh([os.path.join(args.build, "benches", step[1]), "--benchmark_filter=" + step[2],
                "--benchmark_min_time=0.05", "--benchmark_out_format=json",
                "--benchmark_out=" + out], stdout=subprocess.DEVNULL)
            jsons.append(out)
        elif step[0] == "pyjson":
            out = os.path.join(work, "%d.json" % k)
            with open(out, "w") as f:
                sh([PY, step[1]] + step[2], cwd=HERE, stdout=f)
            jsons.append(out)
        elif step[0] == "run":
            out = os.path.join(work, "%d.h5" % k)
            sh([memcurve, "run", "-q", "--force", "-o", out] + step[1] + (["--gbench"] + jsons if jsons else []),
               stdout=subprocess.DEVNULL)
            parts.append(out)
        else:
            out = os.path.join(work, "%d.h5" % k)
            cmd = [c.format(build=os.path.abspath(args.build)) for c in step[2]]
            sh([memcurve, "trace", "-q", "--force", "--timeout", "300", "-o", out] + step[1] + ["--"] + cmd,
               cwd=HERE, stdout=subprocess.DEVNULL)
            parts.append(out)
        if args.verbose:
            print("%s step %d (%s): %.1f s" % (lesson["id"], k, step[0], time.time() - t0),
                  file=sys.stderr)
    dest = os.path.join(args.out, lesson["id"] + ".h5")
    if os.path.exists(dest):
        os.unlink(dest)
    sh([memcurve, "merge", "-o", dest] + parts)
    return dest


# ---- reading (facts only) -----------------------------------------------------------------------

def s(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def load(path):
    import h5py
    runs, tput = [], []
    with h5py.File(path, "r") as f:
        summ = f["summary"][()] if "summary" in f else []
        for st in f["runs"]:
            for w in f["runs"][st]:
                for a in f["runs"][st][w]:
                    for key in f["runs"][st][w][a]:
                        g = f["runs"][st][w][a][key]
                        at = {k: (s(v) if isinstance(v, bytes) else v) for k, v in g.attrs.items()}
                        rows = [r for r in summ if s(r["structure"]) == at["structure"]
                                and s(r["workload"]) == at["workload"]
                                and s(r["allocator"]) == at["allocator"] and r["n"] == at["n"]]
                        ev = g["events"][()] if "events" in g else []
                        runs.append({"attrs": at, "curve": g["curve"][()], "events": ev,
                                     "rows": rows})
        if "throughput" in f:
            tput = list(f["throughput"][()])
    return runs, tput


def labeller(runs):
    """A run's label: its structure, workload and allocator, each only if it varies here."""
    keys = [k for k in ("structure", "workload", "allocator")
            if len({r["attrs"][k] for r in runs}) > 1] or ["allocator"]
    return lambda at: " ".join(at[k] for k in keys)


def outside(run):
    return int(run["attrs"]["heap"]) & HEAP_OUTSIDE != 0


def traced(run):
    return int(run["attrs"]["heap"]) & HEAP_TRACED != 0


def per_n_series(runs, tput, alias=None):
    """bytes/elem (runs, median over rows / N: a traced run's peak requested, i.e. what the
    program reported, tracemalloc's bytes; any other run's peak footprint, its allocator's
    blocks with their rounding and the structure's spare capacity) and ns/elem (throughput
    rows: 1e9 / items per second, a benchmark's structure renamed by alias to the run's name)."""
    mem, tim = {}, {}
    label = labeller(runs)
    for r in runs:
        at = r["attrs"]
        if not r["rows"] or not at["n"]:
            continue
        field = "peak_requested" if traced(r) else "peak_footprint"
        v = statistics.median(float(x[field]) for x in r["rows"]) / float(at["n"])
        mem.setdefault((label(at), outside(r)), []).append((int(at["n"]), v))
    for t in tput:
        if t["items_per_s"] > 0:
            st = s(t["structure"])
            key = ("%s %s" % ((alias or {}).get(st, st), s(t["allocator"])), False)
            tim.setdefault(key, []).append((int(t["n"]), 1e9 / float(t["items_per_s"])))
    return [{k: sorted(v) for k, v in d.items()} for d in (mem, tim)]


# ---- drawing (gnuplot) --------------------------------------------------------------------------

def gp_quote(t):
    return "'" + t.replace("'", "''") + "'"


def draw(lesson, runs, tput, png):
    data = png[:-4] + ".dat"
    panels = []  # (title, xlabel, ylabel, logx, logy, [(label, dashed, points, fail)])
    if lesson["chart"] == "per_n":
        mem, tim = per_n_series(runs, tput, lesson.get("alias"))
        for ttl, d in zip(lesson["ylabel"], (mem, tim)):
            series = [(k[0], k[1], pts, None) for k, pts in sorted(d.items())]
            panels.append((ttl, "N (elements)", ttl + ("" if ttl.startswith(("sum", "hold"))
                                                      else " (C: footprint; CPython: tracemalloc)"), True, ttl.startswith("sum") or
                           ttl.startswith("hold"), series))
    else:
        yq = lesson["y"]
        label = labeller(runs)
        for side, ttl in ((False, "memcurve (C)"), (True, "CPython 3 (traced)")):
            series = []
            for r in sorted(runs, key=lambda r: label(r["attrs"])):
                if outside(r) != side:
                    continue
                c = r["curve"]
                xs = c["elements"] if traced(r) else c["ops"]
                pts = [(int(x), int(y)) for x, y in zip(xs, c[yq]) if not (traced(r) and x == 0)]
                at = r["attrs"]
                fail = None if int(at["ok"]) else at["status"]
                series.append((label(at) + ("" if fail is None else " (%s)" % fail), False, pts,
                               fail))
            xl = "depth (frames)" if lesson.get("depth") else "operations / elements done"
            # depths span 10^3..10^6: on a linear axis the stack's end is a dot at the origin
            deep = bool(lesson.get("depth"))
            panels.append((ttl, xl, "%s memory (MiB)" % yq, deep, deep, series))
    with open(data, "w") as f:
        for p in panels:
            for (_, _, pts, _) in p[5]:
                for x, y in pts or [(0, 0)]:
                    f.write("%g %g\n" % (x, y))
                f.write("\n\n")
    gp = ["set terminal pngcairo size 1200,460 font ',9'", "set output " + gp_quote(png),
          "set multiplot layout 1,2 title " + gp_quote(lesson["title"]) + " font ',12'",
          "set key top left font ',8' noenhanced", "set grid"]
    idx = 0
    for ttl, xl, yl, logx, logy, series in panels:
        scale = 1.0 if lesson["chart"] == "per_n" else 1048576.0
        gp += ["unset logscale", "set title " + gp_quote(ttl), "set xlabel " + gp_quote(xl),
               "set ylabel " + gp_quote(yl)]
        if logx:
            gp.append("set logscale x")
        if logy:
            gp.append("set logscale y")
        plots = []
        last_x = max((pts[-1][0] for (_, _, pts, _) in series if pts), default=0)
        for k, (lab, dashed, pts, fail) in enumerate(series):
            # equal curves (rc-off's rings and gc-off's garbage, two heaps' equal arrays) would
            # hide each other: each series is drawn thinner than the one before, over it
            lw = 1.5 + 3.0 * (len(series) - 1 - k) / max(1, len(series) - 1)
            style = "lines lw %.2f dt %d lc %d" % (lw, 2 if dashed else 1, k + 1)
            if lesson["chart"] == "per_n":
                style = "linespoints pt 7 ps 0.6 lw %.2f dt %d lc %d" % (
                    lw, 2 if dashed else 1, k + 1)
            plots.append("%s index %d using 1:($2/%g) with %s title %s" % (
                gp_quote(data), idx, scale, style, gp_quote(lab)))
            # a curve that fails, or stops short of the others (the stack allocator's refusal),
            # ends in a cross
            if pts and (fail is not None or (lesson.get("depth") and pts[-1][0] < last_x)):
                x, y = pts[-1]
                plots.append("'+' using (%g):(%g) every ::0::0 with points pt 2 ps 2.5 lw 2 "
                             "lc %d notitle" % (x, y / scale, k + 1))
            idx += 1
        gp.append("plot " + ", \\\n  ".join(plots) if plots else
                  "set label 1 'no runs' at graph 0.5, 0.5 center\nplot NaN notitle\n"
                  "unset label 1")
    gp.append("unset multiplot")
    r = subprocess.run(["gnuplot"], input="\n".join(gp) + "\n", capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("gnuplot: " + r.stderr.strip())


# ---- the numbers each lesson states -------------------------------------------------------------

def facts(lesson, runs, tput):
    lines = []
    if lesson["chart"] == "per_n":
        mem, tim = per_n_series(runs, tput, lesson.get("alias"))
        for k, pts in sorted(mem.items()):
            lines.append("%s: %.1f bytes/element at N = %d" % (k[0], pts[-1][1], pts[-1][0]))
        for k, pts in sorted(tim.items()):
            lines.append("%s: %.3g ns per element/operation at N = %d" % (k[0], pts[-1][1],
                                                                        pts[-1][0]))
        return lines
    mib = 1048576.0
    label = labeller(runs)
    for r in sorted(runs, key=lambda r: label(r["attrs"])):
        at, c = r["attrs"], r["curve"]
        q = c[lesson["y"]] if len(c) else [0]
        line = "%s: %s; peak %s %.1f MiB, at the end %.1f MiB" % (
            label(at), at["status"], lesson["y"], max(q) / mib, q[-1] / mib)
        if lesson.get("depth") and traced(r):
            depth = int(max(c["elements"])) if len(c) else 0
            limit = [int(e["bytes_after"]) for e in r["events"] if int(e["generation"]) == 1]
            what = "stack overflow" if not int(at["ok"]) else "stopped"
            line = "%s: %s at depth %d (%s); limit reported: %s" % (
                label(at), what, depth, at["status"], limit[0] if limit else "none")
        lines.append(line)
    return lines


# ---- what each lesson must show (--check) -------------------------------------------------------

def by_alloc(runs, workload=None):
    """{allocator: run} of the runs (of one workload when given)."""
    return {r["attrs"]["allocator"]: r for r in runs
            if workload is None or r["attrs"]["workload"] == workload}


def peak(run, q="requested"):
    c = run["curve"]
    return int(max(c[q])) if len(c) else 0


def final(run, q="requested"):
    c = run["curve"]
    return int(c[q][-1]) if len(c) else 0


def depth(run):
    c = run["curve"]
    return int(max(c["elements"])) if len(c) else 0


def expect(lesson, runs, tput):
    """The lesson's claims, checked on its own results: a list of (claim, held) pairs."""
    i = lesson["id"]
    if i == "stack":
        a = by_alloc(runs)
        heap, alloc, stack = a["c-heap"], a["mc-stack-allocator"], a["c-call-stack"]
        return [("the C recursion is killed (stack overflow)", not int(stack["attrs"]["ok"])),
                ("the stack allocator refuses a frame, an outcome (ok)",
                 int(alloc["attrs"]["ok"]) == 1 and 0 < depth(alloc) < depth(heap)),
                ("the heap goes on to N (its last report within 1 %)",
                 depth(heap) >= 0.99 * int(heap["attrs"]["n"]) > depth(alloc)),
                ("CPython stops at its recursion limit",
                 0 < depth(a["cpython-limit"]) <= 1000 < depth(a["cpython-lifted"]))]
    if i == "leak":
        a = by_alloc(runs)
        return [("%s-leak keeps >= 10x %s-evict" % (k, k),
                 peak(a[k + "-leak"]) >= 10 * max(1, peak(a[k + "-evict"])))
                for k in ("c", "cpython")]
    if i == "cycles":
        out = []
        for w in ("cycles", "chains"):
            a = by_alloc(runs, w)
            n = int(a["rc-off"]["attrs"]["n"])
            kept = {k: final(a[k]) >= 8 * n for k in ("rc", "rc-off", "gc-off")}
            out += [("%s: rc keeps nothing" % w, not kept["rc"]),
                    ("%s: rc-off keeps %s" % (w, "the rings" if w == "cycles" else "nothing"),
                     kept["rc-off"] == (w == "cycles")),
                    ("%s: gc-off keeps everything" % w, kept["gc-off"]),
                    ("%s: CPython with gc.disable() keeps %s" % (
                        w, "the rings" if w == "cycles" else "nothing"),
                     (peak(a["cpython-gc-off"]) > 10 * max(1, peak(a["cpython"]))) ==
                     (w == "cycles"))]
        return out
    mem, tim = per_n_series(runs, tput, lesson.get("alias"))
    last = {k[0]: pts[-1][1] for k, pts in mem.items()}
    if i == "lists":
        out = [("boxed >= 3x ndarray bytes", last["boxed system"] >= 3 * last["ndarray system"])]
        if "numpy cpython" in last:
            out.append(("list >= 3x numpy bytes",
                        last["pylist cpython"] >= 3 * last["numpy cpython"]))
        return out
    if i == "pq":
        return [("heapq holds more bytes than memcurve's heaps",
                 last["heapq cpython"] > max(last["pq system"], last["pq4 system"]))]
    return []


BEGIN, END = "<!-- python-lessons -->", "<!-- /python-lessons -->"


def add_to_report(report, done, notes, suite):
    """Puts (or replaces) the "Python's lessons" section in memcurve report's HTML page, before
    its </body>: each lesson's chart (a path relative to the page), text and numbers."""
    with open(report) as f:
        page = f.read()
    if BEGIN in page and END in page:
        page = page[:page.index(BEGIN)] + page[page.index(END) + len(END):]
    base = os.path.dirname(os.path.abspath(report))
    sec = [BEGIN, "<h2 id='python-lessons'>Python's lessons</h2>",
           "<p>memcurve's C models beside real CPython %s, from <code>benches/python/lessons.py "
           "--suite %s</code> (one results file per lesson beside the charts).</p>"
           % (html.escape(sys.version.split()[0]), suite)]
    for lesson, png, lines in done:
        sec.append("<h3>%s</h3><p>%s</p><img src='%s' alt='%s' style='max-width:100%%'><ul>%s</ul>"
                   % (html.escape(lesson["title"]), html.escape(lesson["text"]),
                      html.escape(os.path.relpath(png, base)), html.escape(lesson["title"]),
                      "".join("<li>%s</li>" % html.escape(x) for x in lines)))
    sec += ["<p class='note'>%s</p>" % html.escape(n) for n in notes] + [END]
    at = page.rfind("</body>")
    page = (page[:at] + "\n".join(sec) + "\n" + page[at:]) if at >= 0 else page + "\n".join(sec)
    with open(report, "w") as f:
        f.write(page)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--suite", default="python", choices=sorted(SIZES))
    ap.add_argument("--build", default="build-release")
    ap.add_argument("--out", default="results/python")
    ap.add_argument("--no-run", action="store_true", help="draw from the files already there")
    ap.add_argument("--report", default="",
                    help="memcurve report's HTML page to add the lessons' section to")
    ap.add_argument("--verbose", action="store_true", help="each step's time on stderr")
    ap.add_argument("--only", default="", help="comma list of lesson ids")
    ap.add_argument("--check", action="store_true",
                    help="fail (exit 1) when a lesson's results do not show what it claims")
    args = ap.parse_args(argv[1:])
    args.build, args.out = os.path.abspath(args.build), os.path.abspath(args.out)
    os.makedirs(args.out, exist_ok=True)
    numpy = have_numpy()
    notes = [] if numpy else ["NumPy is missing (python3-numpy): the array side of 'lists' is "
                              "skipped"]
    try:
        import h5py  # noqa: F401
    except ImportError:
        h5py = None
        notes.append("h5py is missing (python3-h5py): runs recorded, charts not drawn")
    done = []
    for lesson in LESSONS:
        if args.only and lesson["id"] not in args.only.split(","):
            continue
        path = os.path.join(args.out, lesson["id"] + ".h5")
        try:
            if not args.no_run:
                run_lesson(lesson, args, numpy)
            if h5py is None:
                continue
            runs, tput = load(path)
            png = os.path.join(args.out, lesson["id"] + ".png")
            draw(lesson, runs, tput, png)
            done.append((lesson, png, facts(lesson, runs, tput)))
            if args.check:
                for claim, held in expect(lesson, runs, tput):
                    if not held:
                        notes.append("%s: does not show: %s" % (lesson["id"], claim))
                    elif args.verbose:
                        print("%s: shows: %s" % (lesson["id"], claim), file=sys.stderr)
        except (RuntimeError, OSError, KeyError, ValueError) as e:
            notes.append("%s: %s" % (lesson["id"], e))
    with open(os.path.join(args.out, "lessons.html"), "w") as f:
        f.write("<!doctype html><meta charset='utf-8'><title>Python's lessons</title>\n"
                "<h1>Python's lessons</h1>\n<p>Each lesson: memcurve's C model beside real "
                "CPython (%s), from <code>benches/python/lessons.py --suite %s</code>.</p>\n"
                % (html.escape(sys.version.split()[0]), args.suite))
        for lesson, png, lines in done:
            f.write("<h2>%s</h2>\n<p>%s</p>\n<img src='%s' alt='%s'>\n<ul>\n" % (
                html.escape(lesson["title"]), html.escape(lesson["text"]),
                html.escape(os.path.basename(png)), html.escape(lesson["title"])))
            f.write("".join("<li>%s</li>\n" % html.escape(x) for x in lines) + "</ul>\n")
        if notes:
            f.write("<h2>Notes</h2>\n<ul>\n" + "".join("<li>%s</li>\n" % html.escape(n)
                                                      for n in notes) + "</ul>\n")
    if args.report and os.path.exists(args.report):
        add_to_report(args.report, done, notes, args.suite)
    for lesson, png, lines in done:
        print("## %s\n\n%s\n\n![%s](%s)\n" % (lesson["title"], lesson["text"], lesson["title"], png))
        print("\n".join("- " + x for x in lines) + "\n")
    for n in notes:
        print("note: " + n, file=sys.stderr)
    return 1 if any(":" in n and n.split(":")[0] in [l["id"] for l in LESSONS] for n in notes) \
        else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
