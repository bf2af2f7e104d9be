"""lesson_cycles.py — reference counting and cycles, the CPython side (run by lessons.py).

    lesson_cycles.py cycles|chains N on|off
Builds N nodes (__slots__ next, value) in lists of 100, each dropped right after it is built:
"cycles" closes each list into a ring (only the cycle detector can free it), "chains" leaves it
open (reference counting frees it at once). "on"/"off": gc.enable()/gc.disable(). Reports
tracemalloc's bytes with the nodes built so far; then a phase "collect" and an explicit
gc.collect(), which frees what the disabled detector left.
"""
import gc
import sys

import mc_report

LEN = 100


class Node:
    __slots__ = ("next", "value")

    def __init__(self, value):
        self.next = None
        self.value = value


def main(argv):
    if len(argv) != 4 or argv[1] not in ("cycles", "chains") or argv[3] not in ("on", "off"):
        print(__doc__, file=sys.stderr)
        return 2
    n, cyclic = int(argv[2]), argv[1] == "cycles"
    gc.enable() if argv[3] == "on" else gc.disable()
    mc_report.start()
    every = max(LEN, n // 256 // LEN * LEN)
    built = 0
    while built < n:
        first = last = Node(built)
        for i in range(1, LEN):
            node = Node(built + i)
            last.next = node
            last = node
        if cyclic:
            last.next = first
        del first, last, node
        built += LEN
        if built % every == 0:
            mc_report.progress(built)
    mc_report.progress(built)
    mc_report.phase("collect")
    gc.collect()
    mc_report.progress(built)
    mc_report.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
