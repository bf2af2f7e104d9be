"""lesson_lists.py — lists against NumPy arrays, the CPython side (run by lessons.py).

    lesson_lists.py mem list|numpy N    builds N floats as a list (one boxed float each) or a
                                        float64 array, under mc_report (tracemalloc's bytes go to
                                        memcurve trace; progress N when built)
    lesson_lists.py time N[,N...]       sum() over the list and ndarray.sum() over the array: ns
                                        per element, best of 5, as Google Benchmark JSON on stdout
                                        (pylist/sum/cpython/N, numpy/sum/cpython/N)
"""
import sys
import time

import mc_report


def build(kind, n):
    if kind == "numpy":
        import numpy as np
        return np.arange(n, dtype=np.float64) * 0.5
    return [i * 0.5 for i in range(n)]


def best_ns(fn, n, reps=5):
    inner = max(1, 2000000 // max(n, 1))
    best = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter_ns()
        for _ in range(inner):
            fn()
        best = min(best, (time.perf_counter_ns() - t0) / inner)
    return best / n


def main(argv):
    if len(argv) == 4 and argv[1] == "mem":
        if argv[2] == "numpy":
            import numpy  # noqa: F401  (imported before tracing: the module is not the data)
        mc_report.start()
        x = build(argv[2], int(argv[3]))
        mc_report.progress(len(x))
        del x
        mc_report.phase("freed")
        mc_report.stop()
        return 0
    if len(argv) == 3 and argv[1] == "time":
        rows = []
        for n in [int(s) for s in argv[2].split(",")]:
            for kind, name in (("list", "pylist"), ("numpy", "numpy")):
                try:
                    x = build(kind, n)
                except ImportError:
                    continue
                ns = best_ns(x.sum if kind == "numpy" else (lambda: sum(x)), n)
                rows.append(mc_report.gbench_row("%s/sum/cpython/%d" % (name, n), ns, n))
        return mc_report.gbench_dump("lesson_lists.py", rows)
    return mc_report.usage(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
