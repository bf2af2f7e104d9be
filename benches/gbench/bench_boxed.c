/* bench_boxed.c — the boxed array (a "Python list of floats": one allocation per element) under
 * system, arena and pool, and beside it the contiguous f64 ndarray holding the same values.
 *
 * Names "<structure>/<workload>/<allocator>/<N>", N = 10^3 .. 10^6; one iteration is one element:
 *  - boxed/fill:  append N values to an empty boxed array (teardown paused).
 *  - boxed/drain: pop N values from an array filled with the timer paused.
 *  - boxed/sum:   mc_boxed_sum over N values (a pointer chase per element).
 *  - ndarray/sum_vs_boxed: mc_ndarray_sum over a 1-d f64 ndarray of the same N values, through
 *    the same allocator: the other side of the boxed-vs-contiguous comparison.
 * Counters: bytes_per_elem = the allocator's footprint / N (what the process holds, allocator
 * overhead included), req_bytes_per_elem = requested bytes / N (what the structure asked for),
 * both with the N values held. */
#include <stdio.h>

#include "bench_structs_env.h"
#include "mc_bench.h"
#include "mc_boxed.h"
#include "mc_ndarray.h"

static const int64_t sizes[] = {1000, 10000, 100000, 1000000};
#define NSIZES (sizeof sizes / sizeof sizes[0])

static double value(int64_t i) { return (double)(i % 1000) * 0.5; }

static int bx_init(void *s, mc_alloc al) { return mc_boxed_init(s, al, 0); }
static void bx_destroy(void *s) { mc_boxed_destroy(s); }
static int bx_fill(void *s, int64_t n) {
  int rc = MC_OK;
  for (int64_t i = 0; i < n && rc == MC_OK; i++) rc = mc_boxed_append(s, value(i));
  return rc;
}
static double bx_drain(void *s, int64_t n) {
  double sum = 0, v;
  for (int64_t i = 0; i < n; i++) mc_boxed_pop(s, &v), sum += v;
  return sum;
}
static const bench_seq boxed_seq = {bx_init, bx_destroy, bx_fill, bx_drain, 1, "append failed"};

static void bm_fill(mc_bench_state *st, void *arg) {
  mc_boxed b;
  bench_seq_fill(st, &boxed_seq, *(const bench_kind *)arg, &b);
}

static void bm_drain(mc_bench_state *st, void *arg) {
  mc_boxed b;
  bench_seq_drain(st, &boxed_seq, *(const bench_kind *)arg, &b);
}

static void bm_sum(mc_bench_state *st, void *arg) {
  bench_kind kind = *(const bench_kind *)arg;
  int64_t n = mc_bench_range_arg(st, 0);
  bench_env e;
  mc_boxed b;
  if (!bench_seq_open(st, &boxed_seq, kind, &e, &b)) return;
  if (bx_fill(&b, n) != MC_OK) {
    mc_bench_skip_with_error(st, "append failed");
  } else {
    bench_seq_counters(st, &boxed_seq, &e, n);
    double sum = 0;
    while (mc_bench_keep_running_batch(st, n)) {
      sum += mc_boxed_sum(&b);
      mc_bench_escape(&sum);
    }
    mc_bench_set_items_processed(st, mc_bench_iterations_done(st));
    mc_bench_set_bytes_processed(st, mc_bench_iterations_done(st) * (int64_t)sizeof(double));
  }
  bench_seq_close(&boxed_seq, &e, &b);
}

static void bm_ndarray_sum(mc_bench_state *st, void *arg) {
  bench_kind kind = *(const bench_kind *)arg;
  int64_t n = mc_bench_range_arg(st, 0);
  bench_env e;
  mc_ndarray a;
  size_t shape[1] = {(size_t)n};
  mc_alloc al;
  if (!bench_env_start(st, &e, kind, &al)) return;
  if (mc_ndarray_init(&a, al, MC_DTYPE_F64, 1, shape) != MC_OK) {
    mc_bench_skip_with_error(st, "ndarray init failed");
    bench_env_close(&e);
    return;
  }
  int rc = MC_OK;
  for (int64_t i = 0; i < n && rc == MC_OK; i++) {
    size_t idx[1] = {(size_t)i};
    rc = mc_ndarray_set(&a, idx, value(i));
  }
  if (rc != MC_OK) {
    mc_bench_skip_with_error(st, "ndarray set failed");
  } else {
    bench_seq_counters(st, &boxed_seq, &e, n); /* the same two counters as the boxed runs */
    double sum = 0, s;
    while (mc_bench_keep_running_batch(st, n)) {
      mc_ndarray_sum(&a, &s);
      sum += s;
      mc_bench_escape(&sum);
    }
    mc_bench_set_items_processed(st, mc_bench_iterations_done(st));
    mc_bench_set_bytes_processed(st, mc_bench_iterations_done(st) * (int64_t)sizeof(double));
  }
  mc_ndarray_destroy(&a);
  bench_env_close(&e);
}

static bench_kind kinds[BENCH_MAX_KINDS];

int main(int argc, char **argv) {
  static const char *const names[4] = {"boxed/fill", "boxed/drain", "boxed/sum",
                                       "ndarray/sum_vs_boxed"};
  static const mc_bench_fn fns[4] = {bm_fill, bm_drain, bm_sum, bm_ndarray_sum};
  for (int k = 0; k < bench_nkinds(); k++) kinds[k] = k;
  for (int w = 0; w < 4; w++)
    for (int k = 0; k < bench_nkinds(); k++) {
      if (bench_kind_lifo(k)) continue; /* drains free out of LIFO order: the stack only holds */
      char name[96];
      snprintf(name, sizeof name, "%s/%s", names[w], bench_kind_name(kinds[k]));
      mc_bench_def *b = mc_bench_register(name, fns[w], &kinds[k]);
      for (size_t i = 0; i < NSIZES; i++) mc_bench_arg(b, sizes[i]);
    }
  return mc_bench_main(argc, argv);
}
