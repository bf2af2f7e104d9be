/* mc_counting.h — the counting decorator: wraps any allocator, counts every byte that passes
 * through it, and calls an optional hook on every event (the curve recorder samples from it).
 * Its counters carry Google Benchmark's MemoryManager::Result names so numbers line up. */
#ifndef MC_COUNTING_H
#define MC_COUNTING_H

#include "mc_alloc.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum mc_counting_kind {
  MC_COUNTING_ALLOC,  /* p: the new block, size: its size */
  MC_COUNTING_FREE,   /* p: the freed block, size: its size */
  MC_COUNTING_RESIZE, /* p: the block after resize, size: new size, old_size: before */
  MC_COUNTING_RESET,  /* p NULL; the parent dropped every block */
  MC_COUNTING_FAIL,   /* p NULL (alloc) or the untouched block (resize); size: asked for;
                         old_size: 0 for alloc, the block's size for resize */
} mc_counting_kind;

typedef struct mc_counting_event {
  mc_counting_kind kind;
  void *p;                     /* the block concerned (see the kinds) */
  size_t size;                 /* bytes */
  size_t old_size;             /* bytes (RESIZE, FAIL of a resize) */
  const mc_alloc_stats *stats; /* the decorator's own counters after the event (footprint and
                                  collected-heap fields are NOT filled here: call
                                  mc_alloc_get_stats on the decorator if you need them) */
} mc_counting_event;

/* Called after every event, from inside the allocation call. REQUIRES: it does not allocate
 * through the same counting allocator. */
typedef void (*mc_counting_hook_fn)(void *arg, const mc_counting_event *ev);

typedef struct mc_counting {
  mc_alloc parent;          /* where every call goes */
  const mc_alloc_vtbl *vt;  /* chosen at init so reset/root/barrier exist iff the parent's do */
  mc_alloc_stats stats;     /* requested, requested_peak, live, total_requested, allocs, frees,
                               resizes, failures, resets: counted here, exact to the byte */
  mc_counting_hook_fn hook; /* NULL: none */
  void *hook_arg;           /* passed to hook */
  /* Google Benchmark's MemoryManager::Result, since init or the last mc_counting_rebase */
  int64_t num_allocs;            /* successful allocs (resizes that move are not counted) */
  int64_t max_bytes_used;        /* bytes, peak of requested (live bytes) */
  int64_t total_allocated_bytes; /* bytes allocated, plus growth by resize */
  int64_t net_heap_growth;       /* bytes, requested now - requested at the base */
  size_t base_requested;         /* bytes, requested at the last rebase */
} mc_counting;

/* Prepares c over parent with zeroed counters and no hook. Cannot fail.
 * REQUIRES: parent outlives c. */
void mc_counting_init(mc_counting *c, mc_alloc parent);

/* Sets (fn NULL: removes) the hook called on every event. */
void mc_counting_set_hook(mc_counting *c, mc_counting_hook_fn fn, void *arg);

/* Returns the decorating allocator. alloc/resize/free go to the parent with the same
 * arguments (type included) and are counted; a NULL from the parent counts as a failure and
 * fires MC_COUNTING_FAIL. reset/root/barrier exist exactly when the parent's do and forward to
 * it; a reset zeroes requested and live. stats(): the counters above, with footprint,
 * footprint_peak, misordered and the collected-heap fields taken from the parent's stats. */
mc_alloc mc_counting_allocator(mc_counting *c);

/* Restarts the Google Benchmark counters (num_allocs, total_allocated_bytes and
 * net_heap_growth to 0, max_bytes_used to the live bytes now), as MemoryManager::Start does.
 * The mc_alloc_stats counters are left alone. */
void mc_counting_rebase(mc_counting *c);

#ifdef __cplusplus
}
#endif
#endif /* MC_COUNTING_H */
