/* test_bench.c — the Google Benchmark C wrapper end to end: a few tiny benchmarks registered
 * through mc_bench.h run once through mc_bench_main with --benchmark_out=<tmp>.json, and the
 * JSON must hold each benchmark under its name, its counters, and the MemoryManager fields with
 * the values the bodies make certain: a known number of known-sized blocks per iteration.
 * mc_bench_main runs once per process, so the first test runs everything and the others read
 * the JSON it left. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mc_bench.h"
#include "testutil.h"

/* ---- the benchmarks under test ---------------------------------------------------------- */

#define TRACK_BLOCKS 3 /* blocks allocated per iteration by test/track */
#define TRACK_SIZE 100 /* bytes each */
#define LEAK_SIZE 64   /* bytes per iteration that test/leak never frees through the tracker */
#define LEAK_ITERS 10  /* fixed iteration count of test/leak */

static int64_t track_mem_iters; /* iterations of test/track's memory run */
static int track_mem_runs;      /* memory runs of test/track */
static int track_timed_wrapped; /* timed runs where mc_bench_track did not return al itself */
static int64_t leak_mem_iters;  /* iterations of test/leak's memory run */
static int64_t args_seen[2];    /* range_arg(0) of test/args/.../5 and .../7 */

static void bm_track(mc_bench_state *st, void *arg) {
  (void)arg;
  mc_alloc sys = mc_system_allocator(NULL);
  mc_alloc al = mc_bench_track(sys);
  if (!mc_bench_in_memory_run() && (al.vt != sys.vt || al.ctx != sys.ctx)) track_timed_wrapped++;
  void *p[TRACK_BLOCKS];
  while (mc_bench_keep_running(st)) {
    for (int i = 0; i < TRACK_BLOCKS; i++) {
      p[i] = mc_alloc_new(al, TRACK_SIZE, MC_ALIGN_DEFAULT, NULL);
      mc_bench_escape(p[i]);
    }
    for (int i = 0; i < TRACK_BLOCKS; i++) mc_alloc_free(al, p[i], TRACK_SIZE, MC_ALIGN_DEFAULT);
  }
  if (mc_bench_in_memory_run()) {
    track_mem_iters = mc_bench_iterations_done(st);
    track_mem_runs++;
  }
  mc_bench_counter(st, "answer", 42.0, MC_BENCH_DEFAULT);
  mc_bench_counter(st, "blocks_per_op", (double)(TRACK_BLOCKS * mc_bench_iterations_done(st)),
                   MC_BENCH_AVG_ITERATIONS);
  mc_bench_set_items_processed(st, mc_bench_iterations_done(st) * TRACK_BLOCKS);
}

/* Two tracked allocators live at once: the peak is the peak of their sum. Each iteration holds
 * LEAK_SIZE bytes through one tracker it never frees there (it goes back through the untracked
 * allocator after the loop), so net_heap_growth and max_bytes_used grow with the iterations. */
static void bm_leak(mc_bench_state *st, void *arg) {
  (void)arg;
  mc_alloc sys = mc_system_allocator(NULL);
  mc_alloc a = mc_bench_track(sys), b = mc_bench_track(sys);
  void *kept[LEAK_ITERS + 64];
  int64_t n = 0;
  while (mc_bench_keep_running(st)) {
    void *q = mc_alloc_new(b, 10, MC_ALIGN_DEFAULT, NULL);
    void *p = mc_alloc_new(a, LEAK_SIZE, MC_ALIGN_DEFAULT, NULL);
    mc_alloc_free(b, q, 10, MC_ALIGN_DEFAULT);
    if (n < (int64_t)(sizeof kept / sizeof *kept)) kept[n++] = p;
  }
  if (mc_bench_in_memory_run()) leak_mem_iters = mc_bench_iterations_done(st);
  for (int64_t i = 0; i < n; i++) mc_alloc_free(sys, kept[i], LEAK_SIZE, MC_ALIGN_DEFAULT);
}

/* A batched loop overshoots the memory run's planned iterations (min(16, n)): allocs_per_iter
 * must still be the true count per iteration, 2. */
static int64_t batch_mem_iters; /* iterations of test/batch's memory run */

static void bm_batch(mc_bench_state *st, void *arg) {
  (void)arg;
  mc_alloc al = mc_bench_track(mc_system_allocator(NULL));
  while (mc_bench_keep_running_batch(st, 100)) {
    for (int i = 0; i < 100; i++) {
      void *p = mc_alloc_new(al, 8, MC_ALIGN_DEFAULT, NULL);
      void *q = mc_alloc_new(al, 24, MC_ALIGN_DEFAULT, NULL);
      mc_alloc_free(al, q, 24, MC_ALIGN_DEFAULT);
      mc_alloc_free(al, p, 8, MC_ALIGN_DEFAULT);
    }
  }
  if (mc_bench_in_memory_run()) batch_mem_iters = mc_bench_iterations_done(st);
}

/* Repetitions: Google Benchmark 1.7.1 leaves every repetition but the last pointing at a freed
 * memory result (google/benchmark#1939); mc_bench_main repairs them, so each repetition's entry
 * must carry this body's exact peak. */
#define REPS 5            /* repetitions of test/reps */
#define REPS_SIZE 200     /* bytes held at once per iteration */
static int reps_mem_runs; /* memory runs of test/reps: one per repetition */

static void bm_reps(mc_bench_state *st, void *arg) {
  (void)arg;
  mc_alloc al = mc_bench_track(mc_system_allocator(NULL));
  while (mc_bench_keep_running(st)) {
    void *p = mc_alloc_new(al, REPS_SIZE, MC_ALIGN_DEFAULT, NULL);
    mc_bench_escape(p);
    mc_alloc_free(al, p, REPS_SIZE, MC_ALIGN_DEFAULT);
  }
  if (mc_bench_in_memory_run()) reps_mem_runs++;
}

static void bm_args(mc_bench_state *st, void *arg) {
  (void)arg;
  int64_t x = mc_bench_range_arg(st, 0);
  while (mc_bench_keep_running_batch(st, 8))
    for (int i = 0; i < 8; i++) mc_bench_escape(&x);
  if (x == 5) args_seen[0] = x;
  if (x == 7) args_seen[1] = x;
  mc_bench_counter(st, "n", (double)x, MC_BENCH_DEFAULT);
  mc_bench_counter(st, "beyond", (double)mc_bench_range_arg(st, 1), MC_BENCH_DEFAULT);
}

static void bm_skip(mc_bench_state *st, void *arg) {
  (void)arg;
  mc_bench_skip_with_error(st, "deliberate failure");
  while (mc_bench_keep_running(st)) {
  }
}

static void bm_never(mc_bench_state *st, void *arg) {
  (void)arg;
  while (mc_bench_keep_running(st)) {
  }
}

/* ---- running once, then reading the JSON -------------------------------------------------- */

static char *json; /* the whole --benchmark_out file */

static void test_bench_registration_never_aborts(void) {
  CU_ASSERT_PTR_NULL(mc_bench_register(NULL, bm_never, NULL));
  CU_ASSERT_PTR_NULL(mc_bench_register("test/none/system", NULL, NULL));
  CU_ASSERT_PTR_NULL(mc_bench_arg(NULL, 1));
  CU_ASSERT_PTR_NULL(mc_bench_min_time(NULL, 1.0));
  /* Settings Google Benchmark would abort on are refused, the definition stays usable. */
  mc_bench_def *b = mc_bench_register("test/never/system", bm_never, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL(b);
  CU_ASSERT_PTR_EQUAL(mc_bench_arg(b, 1), b);
  CU_ASSERT_PTR_EQUAL(mc_bench_args2(b, 1, 2), b); /* two arguments after one: refused */
  CU_ASSERT_PTR_EQUAL(mc_bench_range(b, 9, 2), b); /* lo > hi: refused */
  CU_ASSERT_PTR_EQUAL(mc_bench_iterations(b, 3), b);
  CU_ASSERT_PTR_EQUAL(mc_bench_min_time(b, 0.5), b); /* with Iterations: refused */
  CU_ASSERT_PTR_EQUAL(mc_bench_range_multiplier(b, 1), b);
  CU_ASSERT_PTR_EQUAL(mc_bench_repetitions(b, 0), b);
}

static void test_bench_main_writes_json(void) {
  mc_bench_def *b = mc_bench_register("test/track/system", bm_track, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL(b);
  mc_bench_unit(b, MC_BENCH_NS);
  b = mc_bench_register("test/leak/system", bm_leak, NULL);
  CU_ASSERT_PTR_EQUAL(mc_bench_iterations(b, LEAK_ITERS), b);
  b = mc_bench_register("test/args/system", bm_args, NULL);
  mc_bench_arg(mc_bench_arg(b, 5), 7);
  mc_bench_use_real_time(b);
  mc_bench_register("test/skip/system", bm_skip, NULL);
  mc_bench_register("test/batch/system", bm_batch, NULL);
  mc_bench_repetitions(mc_bench_register("test/reps/system", bm_reps, NULL), REPS);

  char path[] = "/tmp/test_bench_XXXXXX";
  int fd = mkstemp(path);
  CU_ASSERT_FATAL(fd >= 0);
  close(fd);
  char out[64];
  snprintf(out, sizeof out, "--benchmark_out=%s", path);
  char a0[] = "test_bench", a1[] = "--benchmark_min_time=0.001",
       a3[] = "--benchmark_out_format=json",
       a4[] = "--benchmark_filter=^test/(track|leak|args|skip|batch|reps)/";
  char *argv[] = {a0, a1, out, a3, a4, NULL};
  CU_ASSERT_EQUAL(mc_bench_main(5, argv), 0);
  json = mc_test_slurp(path);
  unlink(path);
  CU_ASSERT_PTR_NOT_NULL_FATAL(json);
}

/* The text of the JSON object of the benchmark run named name (up to the next run), copied
 * into buf; NULL if absent. */
static const char *run_of(const char *name, char *buf, size_t cap) {
  if (!json) return NULL;
  char key[160];
  snprintf(key, sizeof key, "\"name\": \"%s\",", name);
  const char *s = strstr(json, key);
  if (!s) return NULL;
  const char *e = strstr(s + strlen(key), "\"name\":");
  size_t n = e ? (size_t)(e - s) : strlen(s);
  if (n >= cap) n = cap - 1;
  memcpy(buf, s, n);
  buf[n] = '\0';
  return buf;
}

/* The number after "field": in run; sets *found. */
static double field(const char *run, const char *name, int *found) {
  char key[96];
  snprintf(key, sizeof key, "\"%s\": ", name);
  const char *s = run ? strstr(run, key) : NULL;
  *found = s != NULL;
  return s ? strtod(s + strlen(key), NULL) : 0.0;
}

#define CU_ASSERT_FIELD(run, name, expected)                                                       \
  do {                                                                                             \
    int found_;                                                                                    \
    double v_ = field(run, name, &found_);                                                         \
    CU_ASSERT(found_);                                                                             \
    CU_ASSERT_DOUBLE_EQUAL(v_, (double)(expected), 1e-9);                                          \
  } while (0)

static void test_bench_memory_manager_counts(void) {
  char buf[8192];
  const char *r = run_of("test/track/system", buf, sizeof buf);
  CU_ASSERT_PTR_NOT_NULL_FATAL(r);
  CU_ASSERT_EQUAL(track_mem_runs, 1);
  CU_ASSERT(track_mem_iters > 0);
  CU_ASSERT_EQUAL(track_timed_wrapped, 0);
  CU_ASSERT_FIELD(r, "allocs_per_iter", TRACK_BLOCKS);
  CU_ASSERT_FIELD(r, "max_bytes_used", TRACK_BLOCKS * TRACK_SIZE);
  CU_ASSERT_FIELD(r, "total_allocated_bytes", TRACK_BLOCKS * TRACK_SIZE * track_mem_iters);
  CU_ASSERT_FIELD(r, "net_heap_growth", 0);
  CU_ASSERT_PTR_NULL(strstr(r, "\"error_occurred\": true"));
}

static void test_bench_memory_manager_sums_trackers(void) {
  char buf[8192];
  const char *r = run_of("test/leak/system/iterations:10", buf, sizeof buf);
  CU_ASSERT_PTR_NOT_NULL_FATAL(r);
  CU_ASSERT_EQUAL(leak_mem_iters, LEAK_ITERS);
  CU_ASSERT_FIELD(r, "iterations", LEAK_ITERS);
  CU_ASSERT_FIELD(r, "allocs_per_iter", 2);
  /* the 10-byte block of the last iteration is live on top of all the kept ones */
  CU_ASSERT_FIELD(r, "max_bytes_used", LEAK_SIZE * LEAK_ITERS + 10);
  CU_ASSERT_FIELD(r, "total_allocated_bytes", (LEAK_SIZE + 10) * LEAK_ITERS);
  CU_ASSERT_FIELD(r, "net_heap_growth", LEAK_SIZE * LEAK_ITERS);
}

static void test_bench_memory_manager_batched(void) {
  char buf[8192];
  const char *r = run_of("test/batch/system", buf, sizeof buf);
  CU_ASSERT_PTR_NOT_NULL_FATAL(r);
  CU_ASSERT(batch_mem_iters >= 100); /* the batch overshot min(16, iterations) */
  CU_ASSERT_FIELD(r, "allocs_per_iter", 2);
  CU_ASSERT_FIELD(r, "max_bytes_used", 32);
  CU_ASSERT_FIELD(r, "total_allocated_bytes", 32 * batch_mem_iters);
  CU_ASSERT_FIELD(r, "net_heap_growth", 0);
}

static void test_bench_memory_manager_repetitions(void) {
  CU_ASSERT_EQUAL(reps_mem_runs, REPS);
  CU_ASSERT_PTR_NOT_NULL_FATAL(json);
  const char *key = "\"name\": \"test/reps/system/repeats:5\",";
  int entries = 0;
  for (const char *s = strstr(json, key); s; s = strstr(s + 1, key)) {
    const char *e = strstr(s + strlen(key), "\"name\":");
    size_t n = e ? (size_t)(e - s) : strlen(s);
    char buf[8192];
    if (n >= sizeof buf) n = sizeof buf - 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    CU_ASSERT_FIELD(buf, "repetition_index", entries);
    CU_ASSERT_FIELD(buf, "allocs_per_iter", 1);
    CU_ASSERT_FIELD(buf, "max_bytes_used", REPS_SIZE); /* was ~2.2e18 on repetition 0 */
    CU_ASSERT_FIELD(buf, "net_heap_growth", 0);
    int found;
    double total = field(buf, "total_allocated_bytes", &found);
    CU_ASSERT(found && total >= REPS_SIZE && total <= 16.0 * REPS_SIZE); /* min(16, iters) */
    entries++;
  }
  CU_ASSERT_EQUAL(entries, REPS);
}

static void test_bench_counters(void) {
  char buf[8192];
  const char *r = run_of("test/track/system", buf, sizeof buf);
  CU_ASSERT_PTR_NOT_NULL_FATAL(r);
  CU_ASSERT_FIELD(r, "answer", 42);
  CU_ASSERT_FIELD(r, "blocks_per_op", TRACK_BLOCKS);
  int found;
  CU_ASSERT(field(r, "items_per_second", &found) > 0);
  CU_ASSERT(found);
  CU_ASSERT_PTR_NOT_NULL(strstr(r, "\"time_unit\": \"ns\""));
}

static void test_bench_args_and_names(void) {
  char buf[8192];
  CU_ASSERT_EQUAL(args_seen[0], 5);
  CU_ASSERT_EQUAL(args_seen[1], 7);
  const char *r = run_of("test/args/system/5/real_time", buf, sizeof buf);
  CU_ASSERT_PTR_NOT_NULL_FATAL(r);
  CU_ASSERT_FIELD(r, "n", 5);
  CU_ASSERT_FIELD(r, "beyond", 0);
  r = run_of("test/args/system/7/real_time", buf, sizeof buf);
  CU_ASSERT_PTR_NOT_NULL_FATAL(r);
  CU_ASSERT_FIELD(r, "n", 7);
  /* The filter left test/never out. */
  CU_ASSERT_PTR_NULL(strstr(json, "test/never"));
}

static void test_bench_skip_with_error(void) {
  char buf[8192];
  const char *r = run_of("test/skip/system", buf, sizeof buf);
  CU_ASSERT_PTR_NOT_NULL_FATAL(r);
  CU_ASSERT_PTR_NOT_NULL(strstr(r, "\"error_occurred\": true"));
  CU_ASSERT_PTR_NOT_NULL(strstr(r, "\"error_message\": \"deliberate failure\""));
}

static void test_bench_do_not_optimize(void) {
  /* No observable effect beyond "callable from C, and the value survives". */
  int x = 7;
  mc_bench_do_not_optimize(&x);
  mc_bench_clobber_memory();
  mc_bench_escape(&x);
  mc_bench_clobber();
  CU_ASSERT_EQUAL(x, 7);
  CU_ASSERT_FALSE(mc_bench_in_memory_run());
  /* Outside a memory run, tracking is the identity. */
  mc_alloc sys = mc_system_allocator(NULL);
  mc_alloc t = mc_bench_track(sys);
  CU_ASSERT_PTR_EQUAL(t.vt, sys.vt);
  CU_ASSERT_PTR_EQUAL(t.ctx, sys.ctx);
}

static int add_suites(void) {
  static CU_TestInfo tests[] = {
      {"test_bench_registration_never_aborts", test_bench_registration_never_aborts},
      {"test_bench_main_writes_json", test_bench_main_writes_json},
      {"test_bench_memory_manager_counts", test_bench_memory_manager_counts},
      {"test_bench_memory_manager_sums_trackers", test_bench_memory_manager_sums_trackers},
      {"test_bench_memory_manager_batched", test_bench_memory_manager_batched},
      {"test_bench_memory_manager_repetitions", test_bench_memory_manager_repetitions},
      {"test_bench_counters", test_bench_counters},
      {"test_bench_args_and_names", test_bench_args_and_names},
      {"test_bench_skip_with_error", test_bench_skip_with_error},
      {"test_bench_do_not_optimize", test_bench_do_not_optimize},
      CU_TEST_INFO_NULL,
  };
  return mc_test_add_suite("bench", tests);
}

int main(void) {
  int rc = mc_test_main(add_suites);
  free(json);
  return rc;
}
