"""lesson_pq.py — priority queues, the CPython side: heapq on a list of floats.

    lesson_pq.py mem N            heapify N random floats under mc_report (progress N when built)
    lesson_pq.py time N[,N...] [OPS]  the hold model at steady size N (pop the minimum, push it back
                                  plus a random increment), OPS (200000) operations: ns per
                                  operation, best of 3, as
                                  Google Benchmark JSON (heapq/hold/cpython/N) on stdout
"""
import heapq
import random
import sys
import time

import mc_report


def main(argv):
    rng = random.Random(0x5EED)
    if len(argv) == 3 and argv[1] == "mem":
        mc_report.start()
        h = [rng.random() for _ in range(int(argv[2]))]
        heapq.heapify(h)
        mc_report.progress(len(h))
        mc_report.stop()
        return 0
    if len(argv) in (3, 4) and argv[1] == "time":
        ops = int(argv[3]) if len(argv) == 4 else 200000
        rows = []
        for n in [int(s) for s in argv[2].split(",")]:
            h = [rng.random() for _ in range(n)]
            heapq.heapify(h)
            incs = [rng.random() for _ in range(ops)]
            best = float("inf")
            pop, push = heapq.heappop, heapq.heappush
            for _ in range(3):
                t0 = time.perf_counter_ns()
                for inc in incs:
                    push(h, pop(h) + inc)
                best = min(best, (time.perf_counter_ns() - t0) / ops)
            rows.append(mc_report.gbench_row("heapq/hold/cpython/%d" % n, best, ops))
        return mc_report.gbench_dump("lesson_pq.py", rows)
    return mc_report.usage(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
