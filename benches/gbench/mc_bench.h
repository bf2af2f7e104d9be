/* mc_bench.h — the C face of Google Benchmark (Debian's libbenchmark 1.7.1). C benchmarks see
 * only this header; benches/gbench/mc_bench.cc is the one C++ shim behind it. It also installs a
 * MemoryManager fed by the counting allocator, so the JSON output carries allocs_per_iter,
 * max_bytes_used, total_allocated_bytes and net_heap_growth for every benchmark that routes its
 * allocator through mc_bench_track().
 *
 * NAMING CONVENTION (the harness files results by it; keep to it):
 *     <structure>/<workload>/<allocator>
 * and Google Benchmark appends "/<N>" for each argument, e.g.
 *     alloc/pair16/arena               alloc/burst64/malloc_direct/1024
 *     pq_binary/hold/system/1000000    list/push_pop/pool/4096
 * Each part is one token of [a-z0-9_] (no '/' inside a part). Google Benchmark appends more
 * for some per-benchmark settings: "/min_time:0.500" (mc_bench_min_time), "/iterations:10"
 * (mc_bench_iterations), "/repeats:5" (mc_bench_repetitions), "/real_time"
 * (mc_bench_use_real_time); prefer the command-line flags for the first three. With
 * repetitions, aggregates are named "<name>_mean", "_median", "_stddev", "_cv". <allocator> is the
 * name of the allocator as the harness knows it ("system", "system_untracked", "stack", "arena",
 * "pool", "counting", "gc", "malloc_direct" for plain malloc/free, "std" for C++ std::allocator,
 * "<allocator>_direct" for an allocator's inline calls without the vtable, e.g. "arena_direct",
 * "arena_cursor" for the arena's register-resident cursor).
 * A benchmark that measures what one allocation costs (not a structure's operations) sets the
 * counter MC_BENCH_PER_ALLOCATION to 1 (bench_alloc does): the results file records its rows
 * as that kind, and the report shows them apart ("What one allocation costs").
 *
 * A BENCHMARK looks like this:
 *
 *     static void bm_push(mc_bench_state *st, void *arg) {
 *       mc_alloc al = mc_bench_track(*(mc_alloc *)arg);  // counted in the memory run only
 *       int64_t n = mc_bench_range_arg(st, 0);
 *       while (mc_bench_keep_running(st)) {
 *         ... build n elements through al, mc_bench_escape(ptr) ...
 *       }
 *       mc_bench_set_items_processed(st, mc_bench_iterations_done(st) * n);
 *     }
 *     int main(int argc, char **argv) {
 *       static mc_alloc sys;  sys = mc_system_allocator(NULL);
 *       mc_bench_range(mc_bench_register("array/push/system", bm_push, &sys), 8, 1 << 20);
 *       return mc_bench_main(argc, argv);
 *     }
 *
 * The function runs once per Google Benchmark run (several times per benchmark: the iteration
 * count is found by growing runs, then once more for the MemoryManager). Everything it
 * allocates must be freed before it returns. `arg` is passed through untouched and must outlive
 * mc_bench_main.
 */
#ifndef MC_BENCH_H
#define MC_BENCH_H

#include <stdint.h>

#include "mc_alloc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The counter of the convention above (results/mc_gbjson.h reads it by the same name). */
#define MC_BENCH_PER_ALLOCATION "per_allocation"

/* ---- types ------------------------------------------------------------------------------ */

typedef struct mc_bench_state mc_bench_state; /* wraps benchmark::State */
typedef struct mc_bench_def mc_bench_def;     /* wraps benchmark::internal::Benchmark */

/* The benchmark body: loops on mc_bench_keep_running(st). arg is the pointer given at
 * registration. */
typedef void (*mc_bench_fn)(mc_bench_state *st, void *arg);

typedef enum mc_bench_time_unit {
  MC_BENCH_NS = 0, /* nanoseconds (the default) */
  MC_BENCH_US,     /* microseconds */
  MC_BENCH_MS,     /* milliseconds */
  MC_BENCH_S,      /* seconds */
} mc_bench_time_unit;

/* Counter flags (benchmark::Counter::Flags), combinable with |. */
enum {
  MC_BENCH_DEFAULT = 0,                  /* the value as given */
  MC_BENCH_RATE = 1 << 0,                /* divided by the run's time: per second */
  MC_BENCH_AVG_THREADS = 1 << 1,         /* divided by the number of threads */
  MC_BENCH_ITERATION_INVARIANT = 1 << 2, /* multiplied by the iteration count */
  MC_BENCH_AVG_ITERATIONS = 1 << 3,      /* divided by the iteration count: per op */
  MC_BENCH_INVERT = 1 << 4,              /* 1 / value (e.g. seconds per item with RATE) */
};

/* ---- registration (before mc_bench_main) ------------------------------------------------ */

/* Registers a benchmark named name (see the NAMING CONVENTION above) running fn(st, arg).
 * Returns the definition to chain the settings below on, or NULL if name or fn is NULL.
 * REQUIRES: called before mc_bench_main; name is copied. Never aborts. */
mc_bench_def *mc_bench_register(const char *name, mc_bench_fn fn, void *arg);

/* Each setter returns b so calls chain: mc_bench_arg(mc_bench_arg(b, 1), 2). All accept
 * b == NULL and then return NULL (so a failed registration does not crash the chain). */

/* Adds one run with range argument 0 equal to x (name suffix "/x"). */
mc_bench_def *mc_bench_arg(mc_bench_def *b, int64_t x);
/* Adds one run with range arguments 0 and 1 equal to x and y (suffix "/x/y"). */
mc_bench_def *mc_bench_args2(mc_bench_def *b, int64_t x, int64_t y);
/* Adds runs for lo, then powers of the range multiplier (default 8) up to hi, then hi. */
mc_bench_def *mc_bench_range(mc_bench_def *b, int64_t lo, int64_t hi);
/* Adds runs for lo, lo + step, ..., up to hi. step > 0. */
mc_bench_def *mc_bench_dense_range(mc_bench_def *b, int64_t lo, int64_t hi, int64_t step);
/* Sets the multiplier used by later mc_bench_range calls. mult >= 2 (else b unchanged). */
mc_bench_def *mc_bench_range_multiplier(mc_bench_def *b, int mult);
/* Names argument 0 in the benchmark name ("/n:1024" instead of "/1024"). Breaks the naming
 * convention above: for ad-hoc use only. */
mc_bench_def *mc_bench_arg_name(mc_bench_def *b, const char *name);
/* Minimum time per run, seconds (overrides --benchmark_min_time). seconds > 0. */
mc_bench_def *mc_bench_min_time(mc_bench_def *b, double seconds);
/* Fixed iteration count per run (no growth phase). n > 0. */
mc_bench_def *mc_bench_iterations(mc_bench_def *b, int64_t n);
/* Number of repetitions (overrides --benchmark_repetitions); mean/median/stddev/cv follow. */
mc_bench_def *mc_bench_repetitions(mc_bench_def *b, int n);
/* Time unit of the report. */
mc_bench_def *mc_bench_unit(mc_bench_def *b, mc_bench_time_unit u);
/* Times by the wall clock instead of process CPU time. */
mc_bench_def *mc_bench_use_real_time(mc_bench_def *b);

/* ---- inside the benchmark body ----------------------------------------------------------- */

/* Returns non-zero while the timed loop should go on: while (mc_bench_keep_running(st)) {...}.
 * The first call starts the timer, the last stops it. */
int mc_bench_keep_running(mc_bench_state *st);
/* Same, n iterations at a time: while (mc_bench_keep_running_batch(st, n)) for (i < n) {...}.
 * The iteration count advances by n per true answer (Google Benchmark's KeepRunningBatch;
 * the final batch may exceed the planned count, which is then counted too). n > 0. */
int mc_bench_keep_running_batch(mc_bench_state *st, int64_t n);
/* Range argument i of this run (0 if the run has fewer arguments). */
int64_t mc_bench_range_arg(const mc_bench_state *st, int i);
/* Iterations finished so far (after the loop: all of them). */
int64_t mc_bench_iterations_done(const mc_bench_state *st);
/* Stops / restarts the timer (Google Benchmark's PauseTiming/ResumeTiming: costly, ~100s of
 * ns each, so pause around work that is large compared to that). */
void mc_bench_pause(mc_bench_state *st);
void mc_bench_resume(mc_bench_state *st);
/* Reports items/s and bytes/s from the given totals (call after the loop). */
void mc_bench_set_items_processed(mc_bench_state *st, int64_t n);
void mc_bench_set_bytes_processed(mc_bench_state *st, int64_t n);
/* Sets user counter name (copied) to value with MC_BENCH_* flags; it appears in the console
 * and in the JSON under that name. */
void mc_bench_counter(mc_bench_state *st, const char *name, double value, unsigned flags);
/* Sets the run's label (copied), shown beside the result. */
void mc_bench_set_label(mc_bench_state *st, const char *label);
/* Marks the run as failed with msg (copied): the loop ends (keep_running answers 0) and the
 * JSON carries "error_occurred": true and msg. Call it before or inside the loop; after the
 * call, leave the loop and return. */
void mc_bench_skip_with_error(mc_bench_state *st, const char *msg);
/* Non-zero when this run is the MemoryManager run (mc_bench_track counts). For tests. */
int mc_bench_in_memory_run(void);

/* ---- defeating the optimiser ------------------------------------------------------------ */

/* Out of line: makes the compiler assume *p (and p) is read and possibly written. Costs a
 * call; inside tight loops use mc_bench_escape below. */
void mc_bench_do_not_optimize(const void *p);
/* Out of line: makes the compiler assume all memory may be read and written. */
void mc_bench_clobber_memory(void);

#if defined(__GNUC__) || defined(__clang__)
/* Inline, free: the pointer escapes into an empty asm that may read and write any memory
 * (Chandler Carruth's escape()), so stores through p and the computation of p survive. */
static inline void mc_bench_escape(const void *p) { __asm__ volatile("" : : "r"(p) : "memory"); }
/* Inline, free: a compiler barrier on all memory. */
static inline void mc_bench_clobber(void) { __asm__ volatile("" : : : "memory"); }
#else
static inline void mc_bench_escape(const void *p) { mc_bench_do_not_optimize(p); }
static inline void mc_bench_clobber(void) { mc_bench_clobber_memory(); }
#endif

/* ---- allocation accounting --------------------------------------------------------------- */

/* Returns al itself during timed runs. During the MemoryManager run returns a counting
 * decorator (allocators/mc_counting.h) over al, whose counts become the JSON's
 * allocs_per_iter (allocations / iterations the memory run really did, batched loops
 * included), max_bytes_used (the peak of live requested bytes), total_allocated_bytes and
 * net_heap_growth (raw totals of that run, which has min(16, iterations) iterations, or more
 * for a batched loop). The fields appear on each repetition's JSON entry, not on the
 * mean/median aggregates (Google Benchmark 1.7.1 does not aggregate them). Call it at the top of
 * the body, every run; everything allocated through the result must be freed through the result
 * before the body returns. Several tracked allocators in one run add up (max_bytes_used is then the
 * peak of their sum). Never fails: if no slot is left it returns al uncounted. */
mc_alloc mc_bench_track(mc_alloc al);

/* ---- running ----------------------------------------------------------------------------- */

/* Initialises Google Benchmark from argv (--benchmark_filter, --benchmark_min_time=<seconds>,
 * --benchmark_repetitions, --benchmark_out=<file>, --benchmark_out_format=json, ...), reports
 * unrecognised arguments (returns 1), installs the MemoryManager, runs every registered
 * benchmark that matches the filter and shuts down. Returns 0, or 1 on a bad argument or when
 * no benchmark matched the filter. REQUIRES: called once per process. */
int mc_bench_main(int argc, char **argv);

#ifdef __cplusplus
}
#endif
#endif /* MC_BENCH_H */
