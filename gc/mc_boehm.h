/* mc_boehm.h — Boehm-Demers-Weiser GC (Debian's libgc) behind the mc_alloc interface, named
 * "boehm": the outside comparator of the collected heap. Boehm scans stacks, registers and its
 * own heap conservatively, so workloads need no roots for it; registered root slots (structure
 * headers that may live in malloc'd memory, which Boehm does not scan) become GC roots. */
#ifndef MC_BOEHM_H
#define MC_BOEHM_H

#include "mc_alloc.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mc_boehm {
  mc_alloc_stats stats; /* requested: bytes handed out minus explicit frees (Boehm frees the
                           rest silently); footprint: GC_get_heap_size(), which excludes the
                           unmapped bytes (held = heap - unmapped; private structures not counted);
                           collections: GC_get_gc_no() */
} mc_boehm;

/* Initialises libgc (GC_INIT, once per process) and zeroes b's stats. Cannot fail. */
void mc_boehm_init(mc_boehm *b);

/* Returns the allocator: typed blocks from GC_MALLOC (scanned), leaves from GC_MALLOC_ATOMIC,
 * free -> GC_FREE, resize -> GC_REALLOC. REQUIRES: b outlives its users. */
mc_alloc mc_boehm_allocator(mc_boehm *b);

/* Runs GC_gcollect() (a full collection). */
void mc_boehm_collect(mc_boehm *b);

#ifdef __cplusplus
}
#endif
#endif /* MC_BOEHM_H */
