/* bench_pq.c — the priority queues: the d-ary heap (pq_binary, pq_4ary) and the pairing heap
 * (pairing), each under system, arena, pool (and stack for the array heaps), side by side
 * with C++ std::priority_queue (pq_std, in bench_pq_ref.cc) in the same binary and run.
 *
 * Names "<structure>/<workload>/<allocator>/<N>", N = 10^3 .. 10^6. One iteration is one
 * element operation (items/s = operations/s):
 *  - fill:  push N uniform [0,1) keys into an empty queue (growth included); the teardown and
 *           the next queue's setup run with the timer paused.
 *  - drain: pop N entries from a queue filled with the timer paused.
 *  - hold:  D. W. Jones's hold model at steady size N: pop the minimum, push it back with its
 *           key plus a uniform [0,1) increment. The queue is filled and then warmed by
 *           min(N, 1024) hold operations before the timed loop.
 * The keys come from the same xorshift64* stream (bench_structs_env.h) as the reference's.
 * Counter bytes_per_elem: the allocator's footprint / N with N entries held (end of fill). */
#include <stdio.h>

#include "bench_structs_env.h"
#include "mc_bench.h"
#include "mc_pairing.h"
#include "mc_pq.h"

#define BATCH 256
#define SEED 0x5EEDF00Dull
#define WARMUP 1024 /* hold operations before the timed loop */

/* Registers pq_std/<workload>/std/<N> for each of ns[0..count): the std::priority_queue
 * reference (bench_pq_ref.cc). workload is "fill", "drain" or "hold". */
void bench_pq_ref_register(const char *workload, const int64_t *ns, size_t count);

typedef struct cfg {
  bench_kind kind; /* allocator */
  unsigned d;      /* 2 or 4 for mc_pq; 0 for the pairing heap */
} cfg;

static const int64_t sizes[] = {1000, 10000, 100000, 1000000};
#define NSIZES (sizeof sizes / sizeof sizes[0])

/* ---- one queue interface over both structures (the branch is outside the hot loops) ------ */

typedef struct queue {
  unsigned d;
  mc_pq pq;
  mc_pairing ph;
} queue;

static int q_init(queue *q, mc_alloc al, unsigned d) {
  q->d = d;
  return d ? mc_pq_init(&q->pq, al, d, 0) : mc_pairing_init(&q->ph, al);
}
static void q_destroy(queue *q) {
  if (q->d)
    mc_pq_destroy(&q->pq);
  else
    mc_pairing_destroy(&q->ph);
}
static int q_fill(queue *q, bench_rng *r, int64_t n) {
  int rc = MC_OK;
  if (q->d)
    for (int64_t i = 0; i < n && rc == MC_OK; i++)
      rc = mc_pq_push(&q->pq, bench_rng_unit(r), (uint64_t)i);
  else
    for (int64_t i = 0; i < n && rc == MC_OK; i++)
      rc = mc_pairing_push(&q->ph, bench_rng_unit(r), (uint64_t)i, NULL);
  return rc;
}

/* count hold steps: pop the minimum, push it back plus U[0,1). */
static void pq_hold(mc_pq *pq, bench_rng *r, int64_t count) {
  for (int64_t i = 0; i < count; i++) {
    mc_pq_entry x;
    mc_pq_pop(pq, &x);
    mc_pq_push(pq, x.key + bench_rng_unit(r), x.value);
  }
}
static void ph_hold(mc_pairing *ph, bench_rng *r, int64_t count) {
  for (int64_t i = 0; i < count; i++) {
    double k;
    uint64_t v;
    mc_pairing_pop(ph, &k, &v);
    mc_pairing_push(ph, k + bench_rng_unit(r), v, NULL);
  }
}

/* One benchmark run's queue: its configuration, N, allocator and key stream. */
typedef struct qrun {
  const cfg *c;
  int64_t n;
  bench_env e;
  queue q;
  bench_rng r;
} qrun;

/* (Re)builds x's allocator and an empty queue over it; 0 when the run is skipped. */
static int open_queue(mc_bench_state *st, qrun *x) {
  mc_alloc al;
  if (!bench_env_start(st, &x->e, x->c->kind, &al)) return 0;
  q_init(&x->q, al, x->c->d);
  return 1;
}
static void close_queue(qrun *x) {
  q_destroy(&x->q);
  bench_env_close(&x->e);
}
/* Starts run st of configuration arg: 0 when it is skipped. */
static int start(mc_bench_state *st, void *arg, qrun *x) {
  x->c = arg;
  x->n = mc_bench_range_arg(st, 0);
  x->r = (bench_rng){SEED};
  return open_queue(st, x);
}

/* ---- workloads ------------------------------------------------------------------------- */

static void bm_fill(mc_bench_state *st, void *arg) {
  qrun x;
  if (!start(st, arg, &x)) return;
  double per_elem = 0;
  while (mc_bench_keep_running_batch(st, x.n)) {
    if (q_fill(&x.q, &x.r, x.n) != MC_OK) {
      mc_bench_skip_with_error(st, "push failed");
      break;
    }
    mc_bench_pause(st);
    mc_alloc_stats s;
    mc_alloc_get_stats(x.e.al, &s);
    per_elem = (double)s.footprint / (double)x.n;
    close_queue(&x);
    if (!open_queue(st, &x)) return;
    mc_bench_resume(st);
  }
  close_queue(&x);
  mc_bench_counter(st, "bytes_per_elem", per_elem, MC_BENCH_DEFAULT);
  mc_bench_set_items_processed(st, mc_bench_iterations_done(st));
}

static void bm_drain(mc_bench_state *st, void *arg) {
  qrun x;
  if (!start(st, arg, &x)) return;
  double sum = 0;
  while (mc_bench_keep_running_batch(st, x.n)) {
    mc_bench_pause(st);
    if (q_fill(&x.q, &x.r, x.n) != MC_OK) {
      mc_bench_skip_with_error(st, "push failed");
      break;
    }
    mc_bench_resume(st);
    if (x.c->d) {
      mc_pq_entry e;
      for (int64_t i = 0; i < x.n; i++) mc_pq_pop(&x.q.pq, &e), sum += e.key;
    } else {
      double k;
      for (int64_t i = 0; i < x.n; i++) mc_pairing_pop(&x.q.ph, &k, NULL), sum += k;
    }
  }
  mc_bench_escape(&sum);
  close_queue(&x);
  mc_bench_set_items_processed(st, mc_bench_iterations_done(st));
}

static void bm_hold(mc_bench_state *st, void *arg) {
  qrun x;
  if (!start(st, arg, &x)) return;
  if (q_fill(&x.q, &x.r, x.n) != MC_OK) {
    mc_bench_skip_with_error(st, "push failed");
    close_queue(&x);
    return;
  }
  /* Warm-up: the pairing heap's first pops restructure a root of N - 1 children (O(N) each,
   * O(log N) of them); a steady hold state is what is measured. Same count for every queue. */
  int64_t warm = x.n < WARMUP ? x.n : WARMUP;
  if (x.c->d) {
    pq_hold(&x.q.pq, &x.r, warm);
    while (mc_bench_keep_running_batch(st, BATCH)) pq_hold(&x.q.pq, &x.r, BATCH);
  } else {
    ph_hold(&x.q.ph, &x.r, warm);
    while (mc_bench_keep_running_batch(st, BATCH)) ph_hold(&x.q.ph, &x.r, BATCH);
  }
  close_queue(&x);
  mc_bench_set_items_processed(st, mc_bench_iterations_done(st));
}

/* ---- registration ------------------------------------------------------------------------ */

static cfg cfgs[3][BENCH_MAX_KINDS];

int main(int argc, char **argv) {
  static const char *const structs[3] = {"pq_binary", "pq_4ary", "pairing"};
  static const unsigned arity[3] = {2, 4, 0};
  static const char *const workloads[3] = {"fill", "drain", "hold"};
  static const mc_bench_fn fns[3] = {bm_fill, bm_drain, bm_hold};
  for (int w = 0; w < 3; w++) { /* workload-major: hold results sit together */
    bench_pq_ref_register(workloads[w], sizes, NSIZES);
    for (int s = 0; s < 3; s++)
      for (int k = 0; k < bench_nkinds(); k++) {
        if (bench_kind_lifo(k) && arity[s] == 0) continue; /* pops free out of LIFO order */
        cfgs[s][k] = (cfg){(bench_kind)k, arity[s]};
        char name[96];
        snprintf(name, sizeof name, "%s/%s/%s", structs[s], workloads[w], bench_kind_name(k));
        mc_bench_def *b = mc_bench_register(name, fns[w], &cfgs[s][k]);
        for (size_t i = 0; i < NSIZES; i++) mc_bench_arg(b, sizes[i]);
      }
  }
  return mc_bench_main(argc, argv);
}
