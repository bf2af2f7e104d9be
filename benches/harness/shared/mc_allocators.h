/* mc_allocators.h — the one table of allocator names: for each, how it is loaded (in this
 * process, or the system allocator replaced by an LD_PRELOADed malloc), what kind of heap it is,
 * where it is offered (memory curves, the tests' table, the structure benchmarks) and how it is
 * built and torn down. The harness (`memcurve run`, `memcurve list`), the bench_* binaries and
 * the tests' allocator table all read it: adding an allocator name is one row in
 * mc_allocators.c (plus the allocator's own files). Depends on the library only. */
#ifndef MC_ALLOCATORS_H
#define MC_ALLOCATORS_H

#include <stddef.h>

#include "mc_arena.h"
#include "mc_boehm.h"
#include "mc_counting.h"
#include "mc_failing.h"
#include "mc_gc.h"
#include "mc_pool.h"
#include "mc_stack.h"
#include "mc_system.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How an allocator gets into the process. */
typedef enum mc_al_load {
  MC_AL_INPROCESS = 0, /* built by open() in the process that runs the workload */
  MC_AL_PRELOAD = 1,   /* the system allocator, with the row's preload library LD_PRELOADed
                          into the child (an outside malloc) */
} mc_al_load;

/* Flags of a row: what the heap is, then where the name is offered. */
enum {
  MC_AL_BOUNDED = 1u << 0,   /* fixed capacity (stack): a region of mc_allocators_stack_bytes */
  MC_AL_LIFO = 1u << 1,      /* only top-of-stack frees give memory back (unwinds are events) */
  MC_AL_MANAGED = 1u << 2,   /* roots and barriers are live (mc_gc: env->gc is set) */
  MC_AL_NOFREE = 1u << 3,    /* frees other than the latest only count (arena) */
  MC_AL_SLOW = 1u << 4,      /* every operation is expensive (collector torture mode) */
  MC_AL_COLLECTED = 1u << 5, /* a collector reclaims memory (gc variants, boehm) */
  MC_AL_OUTSIDE = 1u << 6,   /* someone else's allocator (preloaded mallocs, Boehm GC) */
  MC_AL_LIBGC = 1u << 7,     /* libgc's process-wide collector (events via GC hooks) */
  MC_AL_CURVES = 1u << 8,    /* offered by `memcurve run -a` and `memcurve list` */
  MC_AL_TESTS = 1u << 9,     /* in the tests' table (every structure suite runs under it) */
  MC_AL_GBENCH = 1u << 10,   /* in the structure benchmarks (bench_list, bench_pq, ...) */
  MC_AL_SUITES = 1u << 11,   /* run by the `default` and `full` suites' every-allocator groups */
  MC_AL_MALLOC = 1u << 12,   /* the process's malloc itself (system, or one preloaded): its
                                "held" is the malloc's own accounting (mc_malloc_held), not the
                                stats' footprint, which for these is the live blocks' usable size */
  MC_AL_REFCOUNT = 1u << 13, /* mc_gc's reference-counting model (else tracing, if MANAGED) */
  MC_AL_GC_OFF = 1u << 14,   /* the collector disabled (gc.disable(): under refcount only the
                                cycle detector stops) */
  MC_AL_SAVEALL = 1u << 15,  /* DEBUG_SAVEALL: what a collection finds goes to the garbage list */
};

/* What one open() builds. Must not move between open and close (the allocator points into
 * it). open fills every field it uses; the caller needs no initialisation. */
typedef struct mc_al_env {
  mc_alloc al;   /* the allocator under test */
  mc_system sys; /* system: its accounting; stack/arena/pool/decorators/gc: their parent */
  union {
    mc_stack stack;
    mc_arena arena;
    mc_pool pool;
    mc_counting counting;
    mc_failing failing;
    mc_boehm boehm;
  } u;
  mc_gc *gc;    /* the collected heap (MC_AL_MANAGED rows), else NULL */
  void *region; /* the stack's malloc'd region, else NULL */
} mc_al_env;

typedef struct mc_allocator {
  const char *name;              /* what users type (-a NAME) and results files record */
  int (*open)(mc_al_env *env);   /* builds the allocator; MC_OK or an MC_E* code (then
                                    nothing is left to close) */
  void (*close)(mc_al_env *env); /* releases everything open made */
  unsigned flags;                /* MC_AL_* */
  int chart_order;               /* the place charts give it (written into results files as
                                    the run's allocator_order); -1: tests only */
  mc_al_load load;               /* how it is loaded */
  const char *preload;           /* MC_AL_PRELOAD: the shared library, else NULL */
} mc_allocator;

/* The rows, ended by a row whose name is NULL, in the order lists and charts show them. */
extern const mc_allocator mc_allocators[];

/* The row named name, or NULL. */
const mc_allocator *mc_allocator_find(const char *name);

/* The index of the row named name in mc_allocators (a stable colour/order key), or -1. */
int mc_allocator_index(const char *name);

/* Fills out with the names of the rows having every bit of flags, NULL-terminated; at most
 * cap - 1 names. Returns how many. */
size_t mc_allocator_names(unsigned flags, const char **out, size_t cap);

/* Writes into buf (size bytes, NUL-terminated) the preload libraries of the PRELOAD rows, in
 * table order, each as its name without "lib" and its soname version: "jemalloc 2, mimalloc 2,
 * tcmalloc_minimal 4" for libjemalloc.so.2, ... (what a results file says it preloads).
 * Returns MC_OK, or MC_ERANGE when it was cut to fit. */
int mc_allocator_preloads(char *buf, size_t size);

/* Bytes of the region a BOUNDED (stack) row's open() takes: process-wide, 64 MiB unless set
 * (the harness sizes it from N before opening, the structure benchmarks take 512 MiB). */
void mc_allocators_set_stack_bytes(size_t bytes);

#ifdef __cplusplus
}
#endif
#endif /* MC_ALLOCATORS_H */
