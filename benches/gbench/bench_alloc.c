/* bench_alloc.c — what one allocation costs, for every allocator of memcurve and for glibc's
 * malloc/free called directly (the baseline the vtable is judged against).
 *
 * Workloads (Google Benchmark names "alloc/<workload>/<allocator>[/<N>]"):
 *  - pair<S>:  one alloc of S bytes then its free, per iteration. On the stack and the arena the
 *              free is of the top/latest block, so it pops / rolls back: "push+pop".
 *  - burst<S>: N allocs of S bytes in a row, per batch; one iteration is one alloc. Between
 *              batches the timer is PAUSED (mc_bench_pause/resume) while every block is
 *              released: reset for arena and stack, free of each block (newest first) for the
 *              others. Pausing reads the clocks (a few hundred ns, of which a part lands inside
 *              the timed span), so the burst is long, N = 1024: measured, bursts of 16384 give
 *              the same ns per alloc to within the noise (arena 4.17 vs 4.32 ns), so the
 *              pause costs under ~0.2 ns per alloc.
 *  S is 16, 64, 256, or "mixed": sizes 8..512 from a fixed table of 256 entries (seeded, the
 *  same for every allocator), taken in turn.
 *
 * The timed loops are batches (mc_bench_keep_running_batch) of plain loops whose body is the
 * measured call and nothing else; mc_bench_escape keeps each block's pointer alive without a
 * call. Every block is 16-byte aligned (MC_ALIGN_DEFAULT, what malloc gives).
 *
 * Allocators: malloc_direct (malloc/free, no vtable), system (tracked accounting), system_untracked
 * (mc_system_allocator(NULL): the vtable's bare cost), stack (over an 8 MiB buffer), arena
 * (default chunks over system_untracked), pool (default classes 16..2048 over
 * system_untracked), counting (over system_untracked).
 * Two ways in for stack, arena and pool, named apart:
 *  - "<allocator>" (e.g. alloc/pair16/arena): mc_alloc_new / mc_alloc_free through the vtable,
 *    what the structures do;
 *  - "<allocator>_direct" (e.g. alloc/pair16/arena_direct): the allocator's inline calls
 *    (mc_arena_alloc / mc_arena_free, mc_stack_alloc / mc_stack_free, mc_pool_alloc /
 *    mc_pool_free), what a caller that knows its allocator writes. Same blocks, same stats.
 *    In the MemoryManager run (which fills allocs_per_iter, max_bytes_used, ...) a _direct
 *    benchmark runs the vtable loop instead, so that the counting decorator sees the same
 *    operations.
 *  - "<allocator>_cursor" (stack, and arena for burst<S> only): mc_stack_cursor_alloc/free,
 *    mc_arena_cursor_alloc through a cursor opened for each batch (pair) or burst and closed
 *    after it, inside the timed span: the allocator's state in registers (see mc_stack.h,
 *    mc_arena.h).
 *
 * Each result carries a counter clock_ghz: the core's effective clock measured right after the
 * timed loop (see clock_ghz), to read ns figures from a shared machine by.
 *
 * Unless given on the command line, --benchmark_repetitions=5 and
 * --benchmark_display_aggregates_only=true are added, so the console shows medians. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mc_arena.h"
#include "mc_bench.h"
#include "mc_counting.h"
#include "mc_pool.h"
#include "mc_stack.h"
#include "mc_system.h"

#define ALIGN MC_ALIGN_DEFAULT
#define BATCH 1024                    /* pair iterations per keep_running_batch */
#define MIXED_N 256                   /* entries in the mixed-size table (a power of two) */
#define STACK_BYTES ((size_t)8 << 20) /* the stack allocator's region */
#define BURST_N 1024                  /* allocs per burst (the benchmark's argument) */

static size_t mixed_sizes[MIXED_N];

/* ---- the allocators under test ------------------------------------------------------------ */

typedef struct env {
  mc_alloc al;    /* the allocator under test */
  mc_system sys;  /* system: its accounting */
  mc_stack stack; /* stack: the allocator */
  void *buf;      /* stack: its region */
  mc_arena arena;
  mc_pool pool;
  mc_counting counting;
} env;

typedef struct kind {
  const char *name;        /* <allocator> in the benchmark name */
  int (*open)(env *e);     /* MC_OK or an MC_E* code */
  void (*close)(env *e);   /* releases what open made */
  int resettable;          /* bursts release with one reset */
  mc_bench_fn pair, burst; /* the _direct bodies; NULL: the vtable's (bm_pair, bm_burst) */
  int burst_only;          /* no pair<S> benchmark */
} kind;

static int open_system(env *e) {
  mc_system_init(&e->sys);
  e->al = mc_system_allocator(&e->sys);
  return MC_OK;
}
static int open_untracked(env *e) {
  e->al = mc_system_allocator(NULL);
  return MC_OK;
}
static int open_stack(env *e) {
  e->buf = malloc(STACK_BYTES);
  if (!e->buf) return MC_ENOMEM;
  int rc = mc_stack_init(&e->stack, e->buf, STACK_BYTES);
  if (rc != MC_OK) {
    free(e->buf);
    return rc;
  }
  e->al = mc_stack_allocator(&e->stack);
  return MC_OK;
}
static int open_arena(env *e) {
  int rc = mc_arena_init(&e->arena, mc_system_allocator(NULL), 0);
  if (rc == MC_OK) e->al = mc_arena_allocator(&e->arena);
  return rc;
}
static int open_pool(env *e) {
  int rc = mc_pool_init(&e->pool, mc_system_allocator(NULL), NULL, 0, 0);
  if (rc == MC_OK) e->al = mc_pool_allocator(&e->pool);
  return rc;
}
static int open_counting(env *e) {
  mc_counting_init(&e->counting, mc_system_allocator(NULL));
  e->al = mc_counting_allocator(&e->counting);
  return MC_OK;
}
static void close_nothing(env *e) { (void)e; }
static void close_stack(env *e) { free(e->buf); }
static void close_arena(env *e) { mc_arena_destroy(&e->arena); }
static void close_pool(env *e) { mc_pool_destroy(&e->pool); }

static void bm_pair_stack_direct(mc_bench_state *st, void *arg);
static void bm_burst_stack_direct(mc_bench_state *st, void *arg);
static void bm_pair_arena_direct(mc_bench_state *st, void *arg);
static void bm_burst_arena_direct(mc_bench_state *st, void *arg);
static void bm_pair_pool_direct(mc_bench_state *st, void *arg);
static void bm_burst_pool_direct(mc_bench_state *st, void *arg);
static void bm_pair_stack_cursor(mc_bench_state *st, void *arg);
static void bm_burst_stack_cursor(mc_bench_state *st, void *arg);
static void bm_burst_arena_cursor(mc_bench_state *st, void *arg);

static const kind kinds[] = {
    {"system", open_system, close_nothing, 0, NULL, NULL, 0},
    {"system_untracked", open_untracked, close_nothing, 0, NULL, NULL, 0},
    {"stack", open_stack, close_stack, 1, NULL, NULL, 0},
    {"stack_direct", open_stack, close_stack, 1, bm_pair_stack_direct, bm_burst_stack_direct, 0},
    {"arena", open_arena, close_arena, 1, NULL, NULL, 0},
    {"arena_direct", open_arena, close_arena, 1, bm_pair_arena_direct, bm_burst_arena_direct, 0},
    {"pool", open_pool, close_pool, 0, NULL, NULL, 0},
    {"pool_direct", open_pool, close_pool, 0, bm_pair_pool_direct, bm_burst_pool_direct, 0},
    {"stack_cursor", open_stack, close_stack, 1, bm_pair_stack_cursor, bm_burst_stack_cursor, 0},
    {"arena_cursor", open_arena, close_arena, 1, NULL, bm_burst_arena_cursor, 1},
    {"counting", open_counting, close_nothing, 0, NULL, NULL, 0},
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

/* ---- workloads ---------------------------------------------------------------------------- */

typedef struct work {
  const kind *k; /* NULL: malloc_direct */
  size_t size;   /* bytes; 0: mixed */
} work;

/* One benchmark per (workload, allocator): registration keeps pointers into this table. */
static work works[2][4][NKINDS + 1];

/* Opens the allocator of w into e and routes it through mc_bench_track; on failure marks the
 * run as skipped and returns 0. */
static int setup(mc_bench_state *st, const work *w, env *e) {
  memset(e, 0, sizeof *e);
  if (w->k->open(e) != MC_OK) {
    mc_bench_skip_with_error(st, "allocator setup failed");
    return 0;
  }
  e->al = mc_bench_track(e->al);
  return 1;
}

/* The core's effective clock now, in GHz (NAN where unknown): a chain of dependent 64-bit
 * multiplies, 3 cycles each on every x86-64 core of the last decade, timed for about 1 ms. A
 * shared machine's host runs the same code at very different speeds over a session (2.4 to
 * 3.8 GHz seen on one day); the counter says which speed a result saw. */
static double clock_ghz(void) {
#if defined(__x86_64__)
  const long n = 200000; /* 4 multiplies each */
  uint64_t x = 3;
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  for (long i = 0; i < n; i++)
    __asm__ volatile("imul %0, %0\n\timul %0, %0\n\timul %0, %0\n\timul %0, %0" : "+r"(x));
  clock_gettime(CLOCK_MONOTONIC, &b);
  double ns = (double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec);
  return ns > 0 ? 12.0 * (double)n / ns : NAN;
#else
  return NAN;
#endif
}

/* After the timed loop: failures skip the run; items = iterations; clock_ghz (untimed) says
 * how fast the core ran just then; per_allocation says the row is one allocation's cost. */
static void report(mc_bench_state *st, uint64_t failures) {
  if (failures) mc_bench_skip_with_error(st, "an allocation failed");
  mc_bench_set_items_processed(st, mc_bench_iterations_done(st));
  double ghz = clock_ghz();
  if (isfinite(ghz)) mc_bench_counter(st, "clock_ghz", ghz, MC_BENCH_DEFAULT);
  mc_bench_counter(st, MC_BENCH_PER_ALLOCATION, 1, MC_BENCH_DEFAULT); /* what its rows are */
}

/* The timed loop of pair<S> through the vtable of al; reports. */
static void pair_vtable(mc_bench_state *st, const work *w, mc_alloc al) {
  uint64_t failures = 0;
  if (w->size) {
    const size_t size = w->size;
    while (mc_bench_keep_running_batch(st, BATCH)) {
      for (int i = 0; i < BATCH; i++) {
        void *p = mc_alloc_new(al, size, ALIGN, NULL);
        failures += p == NULL;
        mc_bench_escape(p);
        mc_alloc_free(al, p, size, ALIGN);
      }
    }
  } else {
    while (mc_bench_keep_running_batch(st, BATCH)) {
      for (int i = 0; i < BATCH; i++) {
        size_t size = mixed_sizes[i & (MIXED_N - 1)];
        void *p = mc_alloc_new(al, size, ALIGN, NULL);
        failures += p == NULL;
        mc_bench_escape(p);
        mc_alloc_free(al, p, size, ALIGN);
      }
    }
  }
  report(st, failures);
}

static void bm_pair(mc_bench_state *st, void *arg) {
  const work *w = arg;
  env e;
  if (!setup(st, w, &e)) return;
  pair_vtable(st, w, e.al);
  w->k->close(&e);
}

/* Releases the n blocks of a burst, untimed: one reset where it is supported, else each block
 * newest first (LIFO, which every allocator takes). */
static void release(const work *w, mc_alloc al, void **ptrs, int64_t n) {
  if (w->k->resettable && mc_alloc_reset(al) == MC_OK) return;
  for (int64_t i = n - 1; i >= 0; i--)
    mc_alloc_free(al, ptrs[i], w->size ? w->size : mixed_sizes[i & (MIXED_N - 1)], ALIGN);
}

/* The timed loop of burst<S> (n allocs per batch) through the vtable of al; reports. */
static void burst_vtable(mc_bench_state *st, const work *w, mc_alloc al, void **ptrs, int64_t n) {
  uint64_t failures = 0;
  while (mc_bench_keep_running_batch(st, n)) {
    if (w->size) {
      const size_t size = w->size;
      for (int64_t i = 0; i < n; i++) {
        ptrs[i] = mc_alloc_new(al, size, ALIGN, NULL);
        failures += ptrs[i] == NULL;
      }
    } else {
      for (int64_t i = 0; i < n; i++) {
        ptrs[i] = mc_alloc_new(al, mixed_sizes[i & (MIXED_N - 1)], ALIGN, NULL);
        failures += ptrs[i] == NULL;
      }
    }
    mc_bench_escape(ptrs);
    mc_bench_pause(st);
    release(w, al, ptrs, n);
    mc_bench_resume(st);
  }
  report(st, failures);
}

/* Opens the burst's allocator and its pointer array (n entries); 0 (run skipped) on failure. */
static int burst_setup(mc_bench_state *st, const work *w, env *e, void ***ptrs, int64_t n) {
  *ptrs = malloc((size_t)n * sizeof **ptrs);
  if (!*ptrs) {
    mc_bench_skip_with_error(st, "out of memory");
    return 0;
  }
  if (!setup(st, w, e)) {
    free(*ptrs);
    return 0;
  }
  return 1;
}

static void bm_burst(mc_bench_state *st, void *arg) {
  const work *w = arg;
  const int64_t n = mc_bench_range_arg(st, 0);
  void **ptrs;
  env e;
  if (!burst_setup(st, w, &e, &ptrs, n)) return;
  burst_vtable(st, w, e.al, ptrs, n);
  w->k->close(&e);
  free(ptrs);
}

/* ---- the direct calls: the same loops on an allocator's inline API ------------------------ */

/* Defines bm_pair_<tag>: the loop of pair_vtable with ALLOC(x, size) and FREE(x, p, size) on
 * x = &e.FIELD (of type T) instead of the vtable, BEGIN(x) and END(x) around each batch of
 * BATCH pairs (timed: a cursor's open and close). The MemoryManager run takes the vtable loop
 * (tracked) instead. */
#define DEFINE_PAIR(tag, T, FIELD, BEGIN, ALLOC, FREE, END)                                        \
  static void bm_pair_##tag(mc_bench_state *st, void *arg) {                                       \
    const work *w = arg;                                                                           \
    env e;                                                                                         \
    if (!setup(st, w, &e)) return;                                                                 \
    if (mc_bench_in_memory_run()) {                                                                \
      pair_vtable(st, w, e.al);                                                                    \
    } else {                                                                                       \
      T *x = &e.FIELD;                                                                             \
      uint64_t failures = 0;                                                                       \
      if (w->size) {                                                                               \
        const size_t size = w->size;                                                               \
        while (mc_bench_keep_running_batch(st, BATCH)) {                                           \
          BEGIN(x);                                                                                \
          for (int i = 0; i < BATCH; i++) {                                                        \
            void *p = ALLOC(x, size);                                                              \
            failures += p == NULL;                                                                 \
            mc_bench_escape(p);                                                                    \
            FREE(x, p, size);                                                                      \
          }                                                                                        \
          END(x);                                                                                  \
        }                                                                                          \
      } else {                                                                                     \
        while (mc_bench_keep_running_batch(st, BATCH)) {                                           \
          BEGIN(x);                                                                                \
          for (int i = 0; i < BATCH; i++) {                                                        \
            size_t size = mixed_sizes[i & (MIXED_N - 1)];                                          \
            void *p = ALLOC(x, size);                                                              \
            failures += p == NULL;                                                                 \
            mc_bench_escape(p);                                                                    \
            FREE(x, p, size);                                                                      \
          }                                                                                        \
          END(x);                                                                                  \
        }                                                                                          \
      }                                                                                            \
      report(st, failures);                                                                        \
    }                                                                                              \
    w->k->close(&e);                                                                               \
  }

/* Defines bm_burst_<tag>: the loop of burst_vtable the same way (BEGIN and END around each
 * burst's allocations, inside the timed span; the release runs on the vtable after END). */
#define DEFINE_BURST(tag, T, FIELD, BEGIN, ALLOC, END)                                             \
  static void bm_burst_##tag(mc_bench_state *st, void *arg) {                                      \
    const work *w = arg;                                                                           \
    const int64_t n = mc_bench_range_arg(st, 0);                                                   \
    void **ptrs;                                                                                   \
    env e;                                                                                         \
    if (!burst_setup(st, w, &e, &ptrs, n)) return;                                                 \
    if (mc_bench_in_memory_run()) {                                                                \
      burst_vtable(st, w, e.al, ptrs, n);                                                          \
    } else {                                                                                       \
      T *x = &e.FIELD;                                                                             \
      uint64_t failures = 0;                                                                       \
      while (mc_bench_keep_running_batch(st, n)) {                                                 \
        BEGIN(x);                                                                                  \
        if (w->size) {                                                                             \
          const size_t size = w->size;                                                             \
          for (int64_t i = 0; i < n; i++) {                                                        \
            ptrs[i] = ALLOC(x, size);                                                              \
            failures += ptrs[i] == NULL;                                                           \
          }                                                                                        \
        } else {                                                                                   \
          for (int64_t i = 0; i < n; i++) {                                                        \
            ptrs[i] = ALLOC(x, mixed_sizes[i & (MIXED_N - 1)]);                                    \
            failures += ptrs[i] == NULL;                                                           \
          }                                                                                        \
        }                                                                                          \
        END(x);                                                                                    \
        mc_bench_escape(ptrs);                                                                     \
        mc_bench_pause(st);                                                                        \
        release(w, e.al, ptrs, n);                                                                 \
        mc_bench_resume(st);                                                                       \
      }                                                                                            \
      report(st, failures);                                                                        \
    }                                                                                              \
    w->k->close(&e);                                                                               \
    free(ptrs);                                                                                    \
  }

#define NO_SCOPE(x) (void)(x)
#define STACK_ALLOC(x, size) mc_stack_alloc((x), (size), ALIGN)
#define STACK_FREE(x, p, size) mc_stack_free((x), (p), (size))
#define ARENA_ALLOC(x, size) mc_arena_alloc((x), (size), ALIGN)
#define ARENA_FREE(x, p, size) mc_arena_free((x), (p), (size))
#define POOL_ALLOC(x, size) mc_pool_alloc((x), (size), ALIGN)
#define POOL_FREE(x, p, size) mc_pool_free((x), (p), (size), ALIGN)
/* the cursors: a local `cur`, opened by BEGIN and closed by END */
#define STACK_OPEN(x) mc_stack_cursor cur = mc_stack_cursor_open(x)
#define STACK_CURSOR_ALLOC(x, size) mc_stack_cursor_alloc((x), &cur, (size), ALIGN)
#define STACK_CURSOR_FREE(x, p, size) mc_stack_cursor_free((x), &cur, (p), (size))
#define STACK_CLOSE(x) mc_stack_cursor_close((x), cur)
#define ARENA_OPEN(x) mc_arena_cursor cur = mc_arena_cursor_open(x)
#define ARENA_CURSOR_ALLOC(x, size) mc_arena_cursor_alloc((x), &cur, (size), ALIGN)
#define ARENA_CLOSE(x) mc_arena_cursor_close((x), cur)

DEFINE_PAIR(stack_direct, mc_stack, stack, NO_SCOPE, STACK_ALLOC, STACK_FREE, NO_SCOPE)
DEFINE_BURST(stack_direct, mc_stack, stack, NO_SCOPE, STACK_ALLOC, NO_SCOPE)
DEFINE_PAIR(arena_direct, mc_arena, arena, NO_SCOPE, ARENA_ALLOC, ARENA_FREE, NO_SCOPE)
DEFINE_BURST(arena_direct, mc_arena, arena, NO_SCOPE, ARENA_ALLOC, NO_SCOPE)
DEFINE_PAIR(pool_direct, mc_pool, pool, NO_SCOPE, POOL_ALLOC, POOL_FREE, NO_SCOPE)
DEFINE_BURST(pool_direct, mc_pool, pool, NO_SCOPE, POOL_ALLOC, NO_SCOPE)
DEFINE_PAIR(stack_cursor, mc_stack, stack, STACK_OPEN, STACK_CURSOR_ALLOC, STACK_CURSOR_FREE,
            STACK_CLOSE)
DEFINE_BURST(stack_cursor, mc_stack, stack, STACK_OPEN, STACK_CURSOR_ALLOC, STACK_CLOSE)
/* an arena cursor only allocates: no pair<S> */
DEFINE_BURST(arena_cursor, mc_arena, arena, ARENA_OPEN, ARENA_CURSOR_ALLOC, ARENA_CLOSE)

/* ---- the baseline: glibc malloc/free called directly ---------------------------------------- */

static void bm_pair_malloc(mc_bench_state *st, void *arg) {
  const work *w = arg;
  uint64_t failures = 0;
  if (w->size) {
    const size_t size = w->size;
    while (mc_bench_keep_running_batch(st, BATCH)) {
      for (int i = 0; i < BATCH; i++) {
        void *p = malloc(size);
        failures += p == NULL;
        mc_bench_escape(p);
        free(p);
      }
    }
  } else {
    while (mc_bench_keep_running_batch(st, BATCH)) {
      for (int i = 0; i < BATCH; i++) {
        void *p = malloc(mixed_sizes[i & (MIXED_N - 1)]);
        failures += p == NULL;
        mc_bench_escape(p);
        free(p);
      }
    }
  }
  report(st, failures);
}

static void bm_burst_malloc(mc_bench_state *st, void *arg) {
  const work *w = arg;
  const int64_t n = mc_bench_range_arg(st, 0);
  void **ptrs = malloc((size_t)n * sizeof *ptrs);
  uint64_t failures = 0;
  if (!ptrs) {
    mc_bench_skip_with_error(st, "out of memory");
    return;
  }
  const size_t size = w->size;
  while (mc_bench_keep_running_batch(st, n)) {
    if (size) {
      for (int64_t i = 0; i < n; i++) {
        ptrs[i] = malloc(size);
        failures += ptrs[i] == NULL;
      }
    } else {
      for (int64_t i = 0; i < n; i++) {
        ptrs[i] = malloc(mixed_sizes[i & (MIXED_N - 1)]);
        failures += ptrs[i] == NULL;
      }
    }
    mc_bench_escape(ptrs);
    mc_bench_pause(st);
    for (int64_t i = n - 1; i >= 0; i--) free(ptrs[i]);
    mc_bench_resume(st);
  }
  report(st, failures);
  free(ptrs);
}

/* ---- registration ------------------------------------------------------------------------- */

static void fill_mixed(void) {
  static const size_t choices[] = {8, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512};
  uint64_t s = 0x9E3779B97F4A7C15ull; /* xorshift64*, fixed seed */
  for (int i = 0; i < MIXED_N; i++) {
    s ^= s >> 12;
    s ^= s << 25;
    s ^= s >> 27;
    mixed_sizes[i] =
        choices[(s * 0x2545F4914F6CDD1Dull >> 32) % (sizeof choices / sizeof *choices)];
  }
}

static void register_all(void) {
  static const size_t sizes[4] = {16, 64, 256, 0};
  static const char *const size_names[4] = {"16", "64", "256", "mixed"};
  char name[96];
  for (int s = 0; s < 4; s++) {
    for (size_t k = 0; k <= NKINDS; k++) {
      const char *an = k < NKINDS ? kinds[k].name : "malloc_direct";
      for (int burst = 0; burst < 2; burst++) {
        work *w = &works[burst][s][k];
        w->k = k < NKINDS ? &kinds[k] : NULL;
        if (!burst && w->k && w->k->burst_only) continue;
        w->size = sizes[s];
        snprintf(name, sizeof name, "alloc/%s%s/%s", burst ? "burst" : "pair", size_names[s], an);
        mc_bench_fn fn = !w->k   ? (burst ? bm_burst_malloc : bm_pair_malloc)
                         : burst ? (w->k->burst ? w->k->burst : bm_burst)
                                 : (w->k->pair ? w->k->pair : bm_pair);
        mc_bench_def *b = mc_bench_register(name, fn, w);
        if (burst) mc_bench_arg(b, BURST_N);
      }
    }
  }
}

/* Adds flag=value to argv unless a flag with that name is already there. */
static int add_default(int argc, char **argv, const char *flag, char *value) {
  for (int i = 1; i < argc; i++)
    if (strncmp(argv[i], flag, strlen(flag)) == 0) return argc;
  argv[argc] = value;
  argv[argc + 1] = NULL;
  return argc + 1;
}

int main(int argc, char **argv) {
  static char reps[] = "--benchmark_repetitions=5";
  static char aggr[] = "--benchmark_display_aggregates_only=true";
  char **args = calloc((size_t)argc + 3, sizeof *args);
  if (!args) return 1;
  memcpy(args, argv, (size_t)argc * sizeof *args);
  int n = add_default(argc, args, "--benchmark_repetitions", reps);
  n = add_default(n, args, "--benchmark_display_aggregates_only", aggr);
  fill_mixed();
  register_all();
  int rc = mc_bench_main(n, args);
  free(args);
  return rc;
}
