/* bench_structs_env.h — the allocators that bench_boxed, bench_list and bench_pq run each
 * structure under, built fresh for every benchmark run and torn down after it, plus the PRNG
 * that the C benchmarks and the C++ reference (bench_pq_ref.cc) share, so both see the same
 * key sequence. Header-only (static functions): each bench binary is one translation unit. */
#ifndef BENCH_STRUCTS_ENV_H
#define BENCH_STRUCTS_ENV_H

#include <stdint.h>
#include <stdlib.h>

#include "mc_arena.h"
#include "mc_pool.h"
#include "mc_stack.h"
#include "mc_system.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum bench_kind {
  BENCH_SYSTEM = 0, /* malloc with exact accounting (mc_system, tracked) */
  BENCH_ARENA,      /* default chunks over a tracked system parent; frees only count */
  BENCH_POOL,       /* default size classes over a tracked system parent */
  BENCH_STACK,      /* LIFO over a 512 MiB malloc'd region (untouched pages cost nothing) */
  BENCH_NKINDS
} bench_kind;

static const char *const bench_kind_names[BENCH_NKINDS] = {"system", "arena", "pool", "stack"};

#define BENCH_STACK_BYTES ((size_t)512 << 20)

typedef struct bench_env {
  bench_kind kind;
  mc_alloc al;    /* the allocator under test */
  mc_system sys;  /* system: the allocator's accounting; others: the parent's */
  mc_arena arena;
  mc_pool pool;
  mc_stack stack;
  void *region;   /* the stack's region */
} bench_env;

/* Builds allocator kind into e. MC_OK or an MC_E* code (nothing to close then). */
static inline int bench_env_open(bench_env *e, bench_kind kind) {
  e->kind = kind;
  mc_system_init(&e->sys);
  mc_alloc sys = mc_system_allocator(&e->sys);
  switch (kind) {
  case BENCH_SYSTEM: e->al = sys; return MC_OK;
  case BENCH_ARENA: {
    int rc = mc_arena_init(&e->arena, sys, 0);
    if (rc == MC_OK) e->al = mc_arena_allocator(&e->arena);
    return rc;
  }
  case BENCH_POOL: {
    int rc = mc_pool_init(&e->pool, sys, NULL, 0, 0);
    if (rc == MC_OK) e->al = mc_pool_allocator(&e->pool);
    return rc;
  }
  case BENCH_STACK: {
    e->region = malloc(BENCH_STACK_BYTES);
    if (!e->region) return MC_ENOMEM;
    int rc = mc_stack_init(&e->stack, e->region, BENCH_STACK_BYTES);
    if (rc != MC_OK) free(e->region);
    else e->al = mc_stack_allocator(&e->stack);
    return rc;
  }
  default: return MC_EINVAL;
  }
}

static inline void bench_env_close(bench_env *e) {
  switch (e->kind) {
  case BENCH_ARENA: mc_arena_destroy(&e->arena); break;
  case BENCH_POOL: mc_pool_destroy(&e->pool); break;
  case BENCH_STACK: free(e->region); break;
  default: break;
  }
}

/* ---- the shared PRNG: xorshift64*, doubles uniform in [0, 1) ------------------------------ */

typedef struct bench_rng {
  uint64_t s;
} bench_rng;

static inline uint64_t bench_rng_next(bench_rng *r) {
  r->s ^= r->s >> 12;
  r->s ^= r->s << 25;
  r->s ^= r->s >> 27;
  return r->s * 0x2545F4914F6CDD1Dull;
}
static inline double bench_rng_unit(bench_rng *r) {
  return (double)(bench_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

#ifdef __cplusplus
}
#endif
#endif /* BENCH_STRUCTS_ENV_H */
