"""lesson_stack.py — CPython's recursion limit, the CPython side of "stack against heap".

    lesson_stack.py limit           recurses until RecursionError (sys.getrecursionlimit(), 1000
                                    by default): a guard, CPython's frames live on its own heap
    lesson_stack.py lifted DEPTH    the limit raised past DEPTH: recurses DEPTH deep and returns
Reports "recursionlimit LIMIT" (a phase), then "DEPTH 0" every 16 calls (the RSS tells the bytes).
"""
import sys

import mc_report

reached = 0


def down(depth, stop):
    global reached
    reached = depth
    if depth % 16 == 0:
        mc_report.progress(depth)
    if depth >= stop:
        return depth
    return down(depth + 1, stop) + 0  # not a tail position


def main(argv):
    if len(argv) < 2 or argv[1] not in ("limit", "lifted"):
        print(__doc__, file=sys.stderr)
        return 2
    stop = 1 << 62
    if argv[1] == "lifted":
        stop = int(argv[2])
        sys.setrecursionlimit(stop + 100)
    # no tracemalloc: CPython 3.11's walks the whole stack at every allocation (quadratic here);
    # the lesson reads the RSS. Its "-" line is no phase: the limit is the run's first phase.
    mc_report.start(trace=False)
    mc_report.send("recursionlimit", sys.getrecursionlimit())
    try:
        down(1, stop)
    except RecursionError:
        mc_report.progress(reached)
        mc_report.phase("RecursionError")
        print("RecursionError at depth %d (limit %d)" % (reached, sys.getrecursionlimit()))
        mc_report.stop()
        return 0
    mc_report.progress(reached)
    mc_report.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
