"""mc_report.py — a CPython program's own memory figures for `memcurve trace`.

Under `memcurve trace`, the variable MEMCURVE_TRACE_FD names an inherited pipe; each line written
to it, "LABEL BYTES", becomes a point of the run's "requested" curve (LABEL a number: elements so
far; "-": none; a word: a phase, drawn on the curve). This module writes tracemalloc's traced
bytes there:

    import mc_report
    mc_report.start()            # tracemalloc on, a thread reports every 1 ms
    mc_report.stop()             # no more reports (before the program tears down)
    mc_report.progress(n)        # "n BYTES": the structure now holds n elements
    mc_report.phase("drop")      # "drop BYTES": a phase starts

Timings go the other way in, as Google Benchmark JSON (gbench_row, gbench_dump) that
`memcurve run --gbench` imports beside the C benchmarks'.

Outside `memcurve trace` (no variable) every call is a no-op but start() still traces, so a
script runs the same either way. As a wrapper, it reports for any script unchanged:

    memcurve trace -s pylist -- /usr/bin/python3 benches/python/mc_report.py SCRIPT [ARGS...]
"""
import json
import os
import runpy
import sys
import threading
import time
import tracemalloc

_out = None
_lock = threading.Lock()


def _stream():
    global _out
    if _out is None:
        fd = os.environ.get("MEMCURVE_TRACE_FD")
        if not fd:
            _out = False
        else:
            try:
                _out = os.fdopen(int(fd), "w", buffering=1)
            except (OSError, ValueError):
                _out = False
    return _out


def send(label, nbytes):
    """Writes one "LABEL BYTES" line (no-op outside memcurve trace)."""
    out = _stream()
    if not out:
        return
    with _lock:
        try:
            out.write("%s %d\n" % (label, nbytes))
        except (OSError, ValueError):
            pass


def traced():
    """Bytes tracemalloc sees allocated now (0 when it is not tracing)."""
    return tracemalloc.get_traced_memory()[0] if tracemalloc.is_tracing() else 0


def progress(n):
    """Reports the traced bytes with the structure's element count n."""
    send(int(n), traced())


def phase(name):
    """Reports the traced bytes at the start of a phase (a word: no spaces, not a number)."""
    send(name, traced())


def _ticker(interval):
    while True:
        send("-", traced())
        time.sleep(interval)


def start(interval_ms=1.0, trace=True):
    """Starts tracemalloc (unless trace is False: then the bytes sent are 0, the RSS alone tells)
    and a daemon thread sending the traced bytes every interval_ms (the thread needs the GIL:
    CPython's switch interval, 5 ms, bounds how often it gets it). CPython 3.11's tracemalloc
    walks the whole call stack at every allocation: deep recursions should not trace."""
    if trace and not tracemalloc.is_tracing():
        tracemalloc.start()
    send("-", traced())  # the first report: memcurve trace takes the RSS baseline here
    if _stream():
        threading.Thread(target=_ticker, args=(interval_ms / 1000.0,), daemon=True).start()


def stop():
    """Stops the periodic reports (the last figure sent stays the run's last): call it before
    the program's own teardown, which would otherwise be reported too."""
    global _out
    with _lock:
        _out = False


def gbench_row(name, ns, iterations):
    """One timing as Google Benchmark reports it (name "<structure>/<workload>/<allocator>/<N>",
    ns per iteration), so `memcurve run --gbench` files it in /throughput beside the C ones."""
    return {"name": name, "run_type": "iteration", "iterations": iterations, "real_time": ns,
            "cpu_time": ns, "time_unit": "ns", "items_per_second": 1e9 / ns}


def gbench_dump(executable, rows, out=sys.stdout):
    """Writes rows as a Google Benchmark JSON document. Returns 0 (a lesson's exit status)."""
    json.dump({"context": {"executable": executable}, "benchmarks": rows}, out)
    return 0


def usage(doc):
    """Prints a lesson script's usage (its docstring) on stderr. Returns 2 (bad usage)."""
    print(doc, file=sys.stderr)
    return 2


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__)
        return 0 if len(argv) >= 2 else 2
    sys.argv = argv[1:]
    start()
    try:
        runpy.run_path(argv[1], run_name="__main__")
    finally:
        send("end", traced())
        stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
