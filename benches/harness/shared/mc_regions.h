/* mc_regions.h — a workload with a region-shaped lifetime (Berger, Zorn & McKinley, OOPSLA
 * 2002, "Reconsidering custom memory allocation"): objects are made in phases, most die within
 * their phase, a few outlive it by one phase. Run over any mc_alloc: each object is freed at its
 * last use; over an allocator that can reset (arena, stack) the phase is also a region: at its
 * end the survivors are copied out, the allocator is reset and they are copied back, so memory
 * comes back per phase and not per object — the region's drag. */
#ifndef MC_REGIONS_H
#define MC_REGIONS_H

#include <stddef.h>
#include <stdint.h>

#include "mc_alloc.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mc_regions_opts {
  void (*tick)(void *arg, uint64_t live_objects); /* after each allocation; NULL: none */
  void (*phase)(void *arg, int phase);            /* at each phase's start; NULL: none */
  void *arg;
} mc_regions_opts;

typedef struct mc_regions_out {
  uint64_t allocs;          /* objects allocated (copies back after a reset included) */
  uint64_t phases;          /* phases run */
  uint64_t resets;          /* region resets (0 unless the allocator can reset) */
  uint64_t copied;          /* survivors copied back after a reset */
  uint64_t peak_live_bytes; /* the workload's own count: the highest sum of live objects' sizes */
} mc_regions_out;

/* Makes n objects (16..256 bytes, multiples of 8) in phases of max(256, n / 16) objects, from
 * seed. After each allocation a fair coin frees one random object of the phase that is not a
 * survivor (1 in 16 are, at most 2/16 of a phase + 64); at the phase's end the rest of its objects
 * die, and the previous phase's survivors too. Over an allocator with reset and no roots (arena,
 * stack) the phase ends with a reset: the survivors are copied into a staging buffer taken from
 * malloc (at most 2/16 of a phase; outside the allocator's accounting), the allocator is reset and
 * they are allocated again and copied back. Over a managed heap (roots: gc, rc, boehm) an object
 * dies by being dropped from a root-registered table, not freed. Everything is given back at the
 * end (arena, stack: by the last reset). Returns MC_OK, MC_ENOMEM (everything made so far is
 * released) or MC_EINVAL (n 0). out may be NULL. */
int mc_regions_run(mc_alloc al, uint64_t n, uint64_t seed, const mc_regions_opts *opts,
                   mc_regions_out *out);

#ifdef __cplusplus
}
#endif
#endif /* MC_REGIONS_H */
