/* bench_ndarray.c — the ndarray's kernels against plain C loops over the same memory, and 1-d
 * append under every allocator and growth policy.
 *
 * Names "<structure>/<workload>/<allocator>/<N>":
 *  - ndarray/add/system/N       c = a + b through mc_ndarray_binop_into (existing out), f64
 *    ndarray/add_plain/system/N the same add as a plain C loop over the same three buffers.
 *    bytes/s counts 24 bytes per element (two loads and one store of 8 bytes).
 *  - ndarray/sum/system/N       mc_ndarray_sum over a f64 array
 *    ndarray/sum_plain/system/N a plain C summing loop (one running sum) over the same buffer.
 *    bytes/s counts 8 bytes per element.
 *    N = 8 Mi (64 MiB per array: far beyond the caches, so these measure memory bandwidth);
 *    sum also at N = 10^6 (8 MB), the size bench_boxed compares against.
 *  - ndarray/fill_<policy>/<allocator>/N   append N f64 to an empty array (growth by
 *    doubling, 1.5x or CPython's list over-allocation), then destroy it; N = 10^3 .. 10^6.
 *    items/s are appends/s; counter resizes_per_fill is the number of buffer resizes per fill,
 *    bytes_per_elem the allocator's footprint / N with the N elements held (end of fill).
 *  - ndarray/drain/<allocator>/N    pop N elements (shrinking by halving below a quarter); the
 *    array is filled with the timer paused. items/s are pops/s.
 *  - ndarray/iterate/<allocator>/N  mc_ndarray_sum over N f64 appended under the allocator;
 *    bytes_per_elem is the allocator's footprint / N (the figure bench_boxed reports for the
 *    boxed array at the same N).
 * The arrays are built and touched before the timed loop (no page faults are timed). The
 * per-allocator workloads run 0.1 s each (86 runs in all stay near a minute); the bandwidth
 * pairs keep Google Benchmark's default time for steadier figures. */
#include <stdio.h>

#include "bench_structs_env.h"
#include "mc_bench.h"
#include "mc_ndarray.h"

#define BIG ((int64_t)8 << 20) /* 8 Mi elements */

/* ---- c = a + b -------------------------------------------------------------------------- */

/* The reference: what one writes by hand (no restrict: the compiler checks overlap itself). */
__attribute__((noinline)) static void plain_add(double *c, const double *a, const double *b,
                                                size_t n) {
  for (size_t i = 0; i < n; i++) c[i] = a[i] + b[i];
}

__attribute__((noinline)) static double plain_sum(const double *a, size_t n) {
  double s = 0.0;
  for (size_t i = 0; i < n; i++) s += a[i];
  return s;
}

typedef struct three {
  mc_ndarray a, b, c;
} three;

/* Builds a = i, b = 2i, c = 0 over n f64 through al. 1 on success, else skips the run. */
static int make_three(mc_bench_state *st, three *t, mc_alloc al, size_t n) {
  if (mc_ndarray_init(&t->a, al, MC_DTYPE_F64, 1, &n) != MC_OK) goto fail_a;
  if (mc_ndarray_init(&t->b, al, MC_DTYPE_F64, 1, &n) != MC_OK) goto fail_b;
  if (mc_ndarray_init(&t->c, al, MC_DTYPE_F64, 1, &n) != MC_OK) goto fail_c;
  double *a = (double *)(void *)t->a.data, *b = (double *)(void *)t->b.data;
  for (size_t i = 0; i < n; i++) a[i] = (double)i, b[i] = 2.0 * (double)i;
  return 1;
fail_c:
  mc_ndarray_destroy(&t->b);
fail_b:
  mc_ndarray_destroy(&t->a);
fail_a:
  mc_bench_skip_with_error(st, "out of memory");
  return 0;
}

static void drop_three(three *t) {
  mc_ndarray_destroy(&t->c);
  mc_ndarray_destroy(&t->b);
  mc_ndarray_destroy(&t->a);
}

static void bm_add(mc_bench_state *st, void *arg) {
  int plain = arg != NULL;
  size_t n = (size_t)mc_bench_range_arg(st, 0);
  three t;
  if (!make_three(st, &t, mc_bench_track(mc_system_allocator(NULL)), n)) return;
  int bad = 0;
  while (mc_bench_keep_running(st)) {
    if (plain)
      plain_add((double *)(void *)t.c.data, (const double *)(void *)t.a.data,
                (const double *)(void *)t.b.data, n);
    else
      bad |= mc_ndarray_binop_into(&t.c, MC_OP_ADD, &t.a, &t.b) != MC_OK;
    mc_bench_escape(t.c.data);
  }
  size_t last = n - 1;
  double v = 0.0;
  mc_ndarray_get(&t.c, &last, &v);
  if (bad || v != 3.0 * (double)last) mc_bench_skip_with_error(st, "wrong result");
  mc_bench_set_bytes_processed(st, mc_bench_iterations_done(st) * (int64_t)n * 24);
  mc_bench_set_items_processed(st, mc_bench_iterations_done(st) * (int64_t)n);
  drop_three(&t);
}

static void bm_sum(mc_bench_state *st, void *arg) {
  int plain = arg != NULL;
  size_t n = (size_t)mc_bench_range_arg(st, 0);
  mc_ndarray a;
  mc_alloc al = mc_bench_track(mc_system_allocator(NULL));
  if (mc_ndarray_init(&a, al, MC_DTYPE_F64, 1, &n) != MC_OK) {
    mc_bench_skip_with_error(st, "out of memory");
    return;
  }
  double *p = (double *)(void *)a.data, s = 0.0;
  for (size_t i = 0; i < n; i++) p[i] = (double)(i & 1023);
  double want = plain_sum(p, n); /* integers: exact in any order */
  int bad = 0;
  while (mc_bench_keep_running(st)) {
    mc_bench_escape(p);
    if (plain)
      s = plain_sum(p, n);
    else
      bad |= mc_ndarray_sum(&a, &s) != MC_OK;
    mc_bench_escape(&s);
  }
  if (bad || s != want) mc_bench_skip_with_error(st, "wrong result");
  mc_bench_set_bytes_processed(st, mc_bench_iterations_done(st) * (int64_t)n * 8);
  mc_bench_set_items_processed(st, mc_bench_iterations_done(st) * (int64_t)n);
  mc_ndarray_destroy(&a);
}

/* ---- append-fill ------------------------------------------------------------------------- */

typedef struct fill_cfg {
  bench_kind kind;
  mc_growth growth;
} fill_cfg;

static void bm_fill(mc_bench_state *st, void *arg) {
  const fill_cfg *c = arg;
  int64_t n = mc_bench_range_arg(st, 0);
  bench_env e;
  mc_alloc al;
  if (!bench_env_start(st, &e, c->kind, &al)) return;
  size_t zero = 0;
  int bad = 0;
  int64_t resizes = 0;
  double per_elem = 0.0;
  while (mc_bench_keep_running(st)) {
    mc_ndarray a;
    if (mc_ndarray_init(&a, al, MC_DTYPE_F64, 1, &zero) != MC_OK ||
        mc_ndarray_set_growth(&a, c->growth) != MC_OK) {
      bad = 1;
      break;
    }
    size_t cap = 0;
    for (int64_t i = 0; i < n; i++) {
      bad |= mc_ndarray_append(&a, (double)i) != MC_OK;
      resizes += a.cap != cap;
      cap = a.cap;
    }
    mc_bench_escape(a.data);
    mc_alloc_stats s;
    mc_alloc_get_stats(e.al, &s);
    per_elem = (double)s.footprint / (double)n;
    mc_ndarray_destroy(&a);
  }
  if (bad) mc_bench_skip_with_error(st, "append failed");
  int64_t it = mc_bench_iterations_done(st);
  mc_bench_set_items_processed(st, it * n);
  mc_bench_counter(st, "resizes_per_fill", it ? (double)resizes / (double)it : 0.0, 0);
  mc_bench_counter(st, "bytes_per_elem", per_elem, MC_BENCH_DEFAULT);
  bench_env_close(&e);
}

/* Builds a 1-d f64 array of n elements 0, 1, 2, ... by append through al (policy g). */
static int build(mc_ndarray *a, mc_alloc al, mc_growth g, int64_t n) {
  size_t zero = 0;
  int rc = mc_ndarray_init(a, al, MC_DTYPE_F64, 1, &zero);
  if (rc == MC_OK) rc = mc_ndarray_set_growth(a, g);
  for (int64_t i = 0; i < n && rc == MC_OK; i++) rc = mc_ndarray_append(a, (double)(i & 1023));
  if (rc != MC_OK) mc_ndarray_destroy(a);
  return rc;
}

/* drain: pop n elements (the buffer shrinks by halving); the fill runs with the timer paused. */
static void bm_drain(mc_bench_state *st, void *arg) {
  const fill_cfg *c = arg;
  int64_t n = mc_bench_range_arg(st, 0);
  bench_env e;
  mc_alloc al;
  if (!bench_env_start(st, &e, c->kind, &al)) return;
  int bad = 0;
  while (mc_bench_keep_running(st)) {
    mc_bench_pause(st);
    mc_ndarray a;
    if (build(&a, al, c->growth, n) != MC_OK) {
      mc_bench_resume(st);
      bad = 1;
      break;
    }
    mc_bench_resume(st);
    double v = 0.0;
    for (int64_t i = 0; i < n; i++) bad |= mc_ndarray_pop(&a, &v) != MC_OK;
    mc_bench_escape(&v);
    mc_bench_pause(st);
    mc_ndarray_destroy(&a);
    mc_bench_resume(st);
  }
  if (bad) mc_bench_skip_with_error(st, "fill or pop failed");
  mc_bench_set_items_processed(st, mc_bench_iterations_done(st) * n);
  bench_env_close(&e);
}

/* iterate: sum over an array of n f64 built by append under the allocator. */
static void bm_iterate(mc_bench_state *st, void *arg) {
  const fill_cfg *c = arg;
  int64_t n = mc_bench_range_arg(st, 0);
  bench_env e;
  mc_alloc al;
  if (!bench_env_start(st, &e, c->kind, &al)) return;
  mc_ndarray a;
  if (build(&a, al, c->growth, n) != MC_OK) {
    mc_bench_skip_with_error(st, "fill failed");
    bench_env_close(&e);
    return;
  }
  mc_alloc_stats s;
  mc_alloc_get_stats(e.al, &s);
  double sum = 0.0, want = plain_sum((const double *)(void *)a.data, (size_t)n);
  int bad = 0;
  while (mc_bench_keep_running(st)) {
    mc_bench_escape(a.data);
    bad |= mc_ndarray_sum(&a, &sum) != MC_OK;
    mc_bench_escape(&sum);
  }
  if (bad || sum != want) mc_bench_skip_with_error(st, "wrong sum");
  mc_bench_set_items_processed(st, mc_bench_iterations_done(st) * n);
  mc_bench_set_bytes_processed(st, mc_bench_iterations_done(st) * n * 8);
  mc_bench_counter(st, "bytes_per_elem", (double)s.footprint / (double)n, MC_BENCH_DEFAULT);
  mc_ndarray_destroy(&a);
  bench_env_close(&e);
}

int main(int argc, char **argv) {
  static int plain_flag = 1;
  mc_bench_arg(mc_bench_register("ndarray/add/system", bm_add, NULL), BIG);
  mc_bench_arg(mc_bench_register("ndarray/add_plain/system", bm_add, &plain_flag), BIG);
  mc_bench_arg(mc_bench_arg(mc_bench_register("ndarray/sum/system", bm_sum, NULL), 1000000), BIG);
  mc_bench_arg(
      mc_bench_arg(mc_bench_register("ndarray/sum_plain/system", bm_sum, &plain_flag), 1000000),
      BIG);
  static const char *const policies[MC_GROWTH_COUNT] = {"fill_double", "fill_1_5", "fill_cpython"};
  static fill_cfg cfgs[MC_GROWTH_COUNT][BENCH_MAX_KINDS];
  for (int g = 0; g < MC_GROWTH_COUNT; g++)
    for (int k = 0; k < bench_nkinds(); k++) {
      cfgs[g][k] = (fill_cfg){(bench_kind)k, (mc_growth)g};
      char name[96];
      snprintf(name, sizeof name, "ndarray/%s/%s", policies[g], bench_kind_name(k));
      mc_bench_def *b = mc_bench_min_time(mc_bench_register(name, bm_fill, &cfgs[g][k]), 0.1);
      for (int64_t n = 1000; n <= 1000000; n *= 10) mc_bench_arg(b, n);
    }
  static const char *const other[2] = {"drain", "iterate"};
  static const mc_bench_fn other_fn[2] = {bm_drain, bm_iterate};
  for (int w = 0; w < 2; w++)
    for (int k = 0; k < bench_nkinds(); k++) {
      char name[96];
      snprintf(name, sizeof name, "ndarray/%s/%s", other[w], bench_kind_name(k));
      mc_bench_def *b =
          mc_bench_min_time(mc_bench_register(name, other_fn[w], &cfgs[MC_GROWTH_DOUBLE][k]), 0.1);
      for (int64_t n = 1000; n <= 1000000; n *= 10) mc_bench_arg(b, n);
    }
  return mc_bench_main(argc, argv);
}
