/* bench_structs_env.h — the allocators that bench_boxed, bench_list and bench_pq run each
 * structure under, built fresh for every benchmark run and torn down after it, plus the PRNG
 * that the C benchmarks and the C++ reference (bench_pq_ref.cc) share, so both see the same
 * key sequence. Header-only (static functions): each bench binary is one translation unit. */
#ifndef BENCH_STRUCTS_ENV_H
#define BENCH_STRUCTS_ENV_H

#include <stdint.h>
#include <stdlib.h>

#include "mc_allocators.h"
#include "mc_bench.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The allocators are the rows of the one table (mc_allocators) marked MC_AL_GBENCH, in its
 * order; a bench_kind is an index among them. */
typedef int bench_kind;

#define BENCH_MAX_KINDS 16
#define BENCH_STACK_BYTES ((size_t)512 << 20) /* LIFO region: untouched pages cost nothing */

static const mc_allocator *bench_rows[BENCH_MAX_KINDS];
static int bench_nrows;

/* How many kinds there are (the table's MC_AL_GBENCH rows, at most BENCH_MAX_KINDS). */
static inline int bench_nkinds(void) {
  if (bench_nrows == 0)
    for (const mc_allocator *a = mc_allocators; a->name && bench_nrows < BENCH_MAX_KINDS; a++)
      if (a->flags & MC_AL_GBENCH) bench_rows[bench_nrows++] = a;
  return bench_nrows;
}

/* The name of kind k (0 <= k < bench_nkinds()): what benchmark names end with. */
static inline const char *bench_kind_name(bench_kind k) {
  return (bench_nkinds(), bench_rows[k]->name);
}

/* 1 if kind k only gives memory back on LIFO frees (the stack): out-of-order frees are skipped. */
static inline int bench_kind_lifo(bench_kind k) {
  return (bench_nkinds(), (bench_rows[k]->flags & MC_AL_LIFO) != 0);
}

typedef struct bench_env {
  bench_kind kind;
  mc_alloc al;  /* the allocator under test */
  mc_al_env ae; /* what the row's open built */
} bench_env;

/* Builds allocator kind into e. MC_OK or an MC_E* code (nothing to close then). */
static inline int bench_env_open(bench_env *e, bench_kind kind) {
  if (kind < 0 || kind >= bench_nkinds()) return MC_EINVAL;
  e->kind = kind;
  mc_allocators_set_stack_bytes(BENCH_STACK_BYTES);
  int rc = bench_rows[kind]->open(&e->ae);
  if (rc == MC_OK) e->al = e->ae.al;
  return rc;
}

static inline void bench_env_close(bench_env *e) { bench_rows[e->kind]->close(&e->ae); }

/* bench_env_open for the benchmark run st: 1 with *al the allocator under test wrapped by the
 * run's memory tracker (mc_bench_track); 0 when it cannot be built, the run then skipped with
 * "allocator setup failed". */
static inline int bench_env_start(mc_bench_state *st, bench_env *e, bench_kind kind, mc_alloc *al) {
  if (bench_env_open(e, kind) != MC_OK) {
    mc_bench_skip_with_error(st, "allocator setup failed");
    return 0;
  }
  *al = mc_bench_track(e->al);
  return 1;
}

/* ---- fill and drain, for any growable structure (bench_boxed, bench_list) ------------------- */

/* A structure as the fill and drain benchmarks drive it; its state is the caller's (s). */
typedef struct bench_seq {
  int (*init)(void *s, mc_alloc al);   /* empty, over al: MC_OK or an MC_E* code */
  void (*destroy)(void *s);            /* gives everything back */
  int (*fill)(void *s, int64_t n);     /* n pushes: MC_OK or an MC_E* code */
  double (*drain)(void *s, int64_t n); /* n pops: a sum of what came out (kept live) */
  int req_counter;                     /* 1: also the req_bytes_per_elem counter */
  const char *fill_error;              /* the skip message when a fill fails */
} bench_seq;

/* Builds allocator kind (bench_env_start) and an empty structure q over it in s: 1, or 0 with
 * the run skipped (nothing left open). */
static inline int bench_seq_open(mc_bench_state *st, const bench_seq *q, bench_kind kind,
                                 bench_env *e, void *s) {
  mc_alloc al;
  if (!bench_env_start(st, e, kind, &al)) return 0;
  if (q->init(s, al) == MC_OK) return 1;
  mc_bench_skip_with_error(st, "setup failed");
  bench_env_close(e);
  return 0;
}
static inline void bench_seq_close(const bench_seq *q, bench_env *e, void *s) {
  q->destroy(s);
  bench_env_close(e);
}

/* Sets bytes_per_elem (footprint ÷ n) and, when q asks, req_bytes_per_elem (requested ÷ n) from
 * e's allocator now. */
static inline void bench_seq_counters(mc_bench_state *st, const bench_seq *q, const bench_env *e,
                                      int64_t n) {
  mc_alloc_stats s;
  mc_alloc_get_stats(e->al, &s);
  mc_bench_counter(st, "bytes_per_elem", (double)s.footprint / (double)n, MC_BENCH_DEFAULT);
  if (q->req_counter)
    mc_bench_counter(st, "req_bytes_per_elem", (double)s.requested / (double)n, MC_BENCH_DEFAULT);
}

/* fill: N pushes into an empty structure, timed; the structure and its allocator are rebuilt,
 * untimed, after each, and the counters read before. s: room for q's state. */
static inline void bench_seq_fill(mc_bench_state *st, const bench_seq *q, bench_kind kind,
                                  void *s) {
  int64_t n = mc_bench_range_arg(st, 0);
  bench_env e;
  if (!bench_seq_open(st, q, kind, &e, s)) return;
  while (mc_bench_keep_running_batch(st, n)) {
    if (q->fill(s, n) != MC_OK) {
      mc_bench_skip_with_error(st, q->fill_error);
      break;
    }
    mc_bench_pause(st);
    bench_seq_counters(st, q, &e, n);
    bench_seq_close(q, &e, s);
    if (!bench_seq_open(st, q, kind, &e, s)) return;
    mc_bench_resume(st);
  }
  bench_seq_close(q, &e, s);
  mc_bench_set_items_processed(st, mc_bench_iterations_done(st));
}

/* drain: N pops, timed; the N pushes before them are not. */
static inline void bench_seq_drain(mc_bench_state *st, const bench_seq *q, bench_kind kind,
                                   void *s) {
  int64_t n = mc_bench_range_arg(st, 0);
  bench_env e;
  double sum = 0;
  if (!bench_seq_open(st, q, kind, &e, s)) return;
  while (mc_bench_keep_running_batch(st, n)) {
    mc_bench_pause(st);
    if (q->fill(s, n) != MC_OK) {
      mc_bench_skip_with_error(st, q->fill_error);
      break;
    }
    mc_bench_resume(st);
    sum += q->drain(s, n);
  }
  mc_bench_escape(&sum);
  bench_seq_close(q, &e, s);
  mc_bench_set_items_processed(st, mc_bench_iterations_done(st));
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
