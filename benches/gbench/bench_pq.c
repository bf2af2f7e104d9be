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

static int open_queue(mc_bench_state *st, const cfg *c, bench_env *e, queue *q) {
  if (bench_env_open(e, c->kind) != MC_OK) {
    mc_bench_skip_with_error(st, "allocator setup failed");
    return 0;
  }
  q_init(q, mc_bench_track(e->al), c->d);
  return 1;
}
static void close_queue(bench_env *e, queue *q) {
  q_destroy(q);
  bench_env_close(e);
}

/* ---- workloads ------------------------------------------------------------------------- */

static void bm_fill(mc_bench_state *st, void *arg) {
  const cfg *c = arg;
  int64_t n = mc_bench_range_arg(st, 0);
  bench_env e;
  queue q;
  bench_rng r = {SEED};
  if (!open_queue(st, c, &e, &q)) return;
  double per_elem = 0;
  while (mc_bench_keep_running_batch(st, n)) {
    if (q_fill(&q, &r, n) != MC_OK) {
      mc_bench_skip_with_error(st, "push failed");
      break;
    }
    mc_bench_pause(st);
    mc_alloc_stats s;
    mc_alloc_get_stats(e.al, &s);
    per_elem = (double)s.footprint / (double)n;
    close_queue(&e, &q);
    if (!open_queue(st, c, &e, &q)) return;
    mc_bench_resume(st);
  }
  close_queue(&e, &q);
  mc_bench_counter(st, "bytes_per_elem", per_elem, MC_BENCH_DEFAULT);
  mc_bench_set_items_processed(st, mc_bench_iterations_done(st));
}

static void bm_drain(mc_bench_state *st, void *arg) {
  const cfg *c = arg;
  int64_t n = mc_bench_range_arg(st, 0);
  bench_env e;
  queue q;
  bench_rng r = {SEED};
  if (!open_queue(st, c, &e, &q)) return;
  double sum = 0;
  while (mc_bench_keep_running_batch(st, n)) {
    mc_bench_pause(st);
    if (q_fill(&q, &r, n) != MC_OK) {
      mc_bench_skip_with_error(st, "push failed");
      break;
    }
    mc_bench_resume(st);
    if (c->d) {
      mc_pq_entry x;
      for (int64_t i = 0; i < n; i++) mc_pq_pop(&q.pq, &x), sum += x.key;
    } else {
      double k;
      for (int64_t i = 0; i < n; i++) mc_pairing_pop(&q.ph, &k, NULL), sum += k;
    }
  }
  mc_bench_escape(&sum);
  close_queue(&e, &q);
  mc_bench_set_items_processed(st, mc_bench_iterations_done(st));
}

static void bm_hold(mc_bench_state *st, void *arg) {
  const cfg *c = arg;
  int64_t n = mc_bench_range_arg(st, 0);
  bench_env e;
  queue q;
  bench_rng r = {SEED};
  if (!open_queue(st, c, &e, &q)) return;
  if (q_fill(&q, &r, n) != MC_OK) {
    mc_bench_skip_with_error(st, "push failed");
    close_queue(&e, &q);
    return;
  }
  /* Warm-up: the pairing heap's first pops restructure a root of N - 1 children (O(N) each,
   * O(log N) of them); a steady hold state is what is measured. Same count for every queue. */
  int64_t warm = n < WARMUP ? n : WARMUP;
  if (c->d) {
    mc_pq *pq = &q.pq;
    for (int64_t i = 0; i < warm; i++) {
      mc_pq_entry x;
      mc_pq_pop(pq, &x);
      mc_pq_push(pq, x.key + bench_rng_unit(&r), x.value);
    }
    while (mc_bench_keep_running_batch(st, BATCH))
      for (int i = 0; i < BATCH; i++) {
        mc_pq_entry x;
        mc_pq_pop(pq, &x);
        mc_pq_push(pq, x.key + bench_rng_unit(&r), x.value);
      }
  } else {
    mc_pairing *ph = &q.ph;
    for (int64_t i = 0; i < warm; i++) {
      double k;
      uint64_t v;
      mc_pairing_pop(ph, &k, &v);
      mc_pairing_push(ph, k + bench_rng_unit(&r), v, NULL);
    }
    while (mc_bench_keep_running_batch(st, BATCH))
      for (int i = 0; i < BATCH; i++) {
        double k;
        uint64_t v;
        mc_pairing_pop(ph, &k, &v);
        mc_pairing_push(ph, k + bench_rng_unit(&r), v, NULL);
      }
  }
  close_queue(&e, &q);
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
