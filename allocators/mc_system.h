/* mc_system.h — the system allocator: malloc/realloc/aligned_alloc/free behind the mc_alloc
 * interface, with exact accounting. Under LD_PRELOAD it measures jemalloc, mimalloc or
 * tcmalloc instead of glibc, unchanged. */
#ifndef MC_SYSTEM_H
#define MC_SYSTEM_H

#include "mc_alloc.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mc_system {
  mc_alloc_stats stats; /* footprint = sum of malloc_usable_size of live blocks: what the live
                           blocks occupy, not what malloc holds from the OS (free chunks, caches,
                           dirty pages left out). For "held" read mc_malloc_held (mc_malloc_held.h)
                           at sample time: malloc's own accounting, process-wide. */
} mc_system;

/* Prepares s (zeroed stats). Cannot fail. */
void mc_system_init(mc_system *s);

/* Returns an allocator over malloc accounting into s. s NULL: an untracked allocator whose
 * stats stay zero — the cheapest way through the vtable, for measuring the vtable's cost.
 * REQUIRES: s outlives its users. */
mc_alloc mc_system_allocator(mc_system *s);

#ifdef __cplusplus
}
#endif
#endif /* MC_SYSTEM_H */
