"""lesson_leak.py — leaks, the CPython side: a cache that never evicts against one that does.

    lesson_leak.py leak|evict REQS [KEEP]
Serves REQS requests, each storing a 64-byte payload under a new key: "leak" keeps them all in a
dict (references nobody needs any more), "evict" keeps the newest KEEP (default 1000) in an
OrderedDict and drops the oldest. Reports tracemalloc's bytes every REQS/256 requests.
"""
import sys
from collections import OrderedDict

import mc_report


def main(argv):
    if len(argv) < 3 or argv[1] not in ("leak", "evict"):
        print(__doc__, file=sys.stderr)
        return 2
    reqs, keep = int(argv[2]), int(argv[3]) if len(argv) > 3 else 1000
    evict = argv[1] == "evict"
    cache = OrderedDict() if evict else {}
    every = max(1, reqs // 256)
    mc_report.start()
    for i in range(1, reqs + 1):
        cache[i] = bytearray(64)
        if evict and len(cache) > keep:
            cache.popitem(last=False)
        if i % every == 0:
            mc_report.progress(i)
    mc_report.stop()  # the cache's teardown at exit is not part of the curve
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
