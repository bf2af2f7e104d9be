/* test_held.c — "held" (each allocator's own accounting) against "resident" (RSS growth), for
 * every allocator: glibc malloc, jemalloc, mimalloc and tcmalloc (LD_PRELOADed), our arena,
 * pool and stack, the Boehm adapter and the tracing collector (issue 12, "Validation").
 *
 * Each allocator runs in a fresh child (this program re-executed with --child NAME, and with
 * LD_PRELOAD naming the library for the three outside mallocs), so that no earlier case's free
 * memory is reused and resident starts from a clean baseline. The child:
 *   1. maps and touches the array of block pointers (mmap, outside every allocator), then
 *      reads the baseline: RSS0 and held0;
 *   2. allocates NBLOCKS blocks of 64 bytes (64 MiB requested) and writes every byte: "peak";
 *   3. frees them all (in allocation order; the stack in reverse, its contract): "free";
 *   4. asks the allocator to give back what it keeps, through its own API, where it has one
 *      (malloc_trim, jemalloc arena.4096.purge, mi_collect(true), ReleaseFreeMemory,
 *      arena reset, GC_gcollect_and_unmap, full collections): "release". Nothing here waits
 *      for time-based decay, so a loaded machine changes no figure;
 *   5. allocates the same blocks again: "again".
 * held is the allocator's figure (mc_malloc_held for the mallocs, the stats' footprint for
 * ours, heap size minus unmapped for Boehm) minus held0; resident is RSS - RSS0 (statm). The
 * child prints one line of figures; the parent asserts, per allocator, the documented relation,
 * and prints the table. Under ASan/UBSan (MC_SANITIZE) the malloc rows are skipped with a
 * message (the sanitizer replaces malloc, and LD_PRELOAD of another malloc cannot work) and so
 * is every held-vs-resident comparison (shadow memory and quarantine are resident too). */
#define _GNU_SOURCE /* MAP_ANONYMOUS */
#include <errno.h>
#include <gc.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mc_malloc_held.h"
#include "testutil.h"

#define BLOCK ((size_t)64)
#define NBLOCKS ((size_t)1 << 20) /* 64 MiB requested */
#define MIB (1024.0 * 1024.0)
#define REQ (NBLOCKS * BLOCK) /* bytes requested at each peak */

/* ---- the child ------------------------------------------------------------------------- */

/* RSS in bytes from /proc/self/statm (its second field, in pages), 0 if unreadable. */
static size_t rss_bytes(void) {
  FILE *f = fopen("/proc/self/statm", "r");
  unsigned long size = 0, res = 0;
  if (!f) return 0;
  int n = fscanf(f, "%lu %lu", &size, &res);
  fclose(f);
  return n == 2 ? (size_t)res * (size_t)sysconf(_SC_PAGESIZE) : 0;
}

typedef struct subject subject;
struct subject {
  const char *name;
  int (*open)(subject *s);    /* builds al; MC_OK or an MC_E* code */
  size_t (*held)(subject *s); /* the allocator's own figure, bytes */
  int (*release)(subject *s); /* gives back what it keeps; NULL: it has no way to */
  void (*close)(subject *s);
  int lifo; /* frees must come in reverse order */
  mc_alloc al;
  const char *impl; /* what held comes from */
  union {
    mc_arena arena;
    mc_pool pool;
    mc_stack stack;
    mc_boehm boehm;
    mc_gc *gc;
  } u;
  void *region; /* the stack's region (mmap) */
  size_t region_size;
};

static size_t footprint(subject *s) {
  mc_alloc_stats st;
  mc_alloc_get_stats(s->al, &st);
  return st.footprint;
}

/* malloc, whichever the process has */
static int malloc_open(subject *s) {
  s->al = mc_system_allocator(NULL);
  s->impl = mc_malloc_impl();
  return MC_OK;
}
static int held_failed; /* an mc_malloc_held call failed: the child reports it */
static size_t malloc_held(subject *s) {
  (void)s;
  mc_malloc_held_info info;
  if (mc_malloc_held(&info) != MC_OK) {
    held_failed = 1;
    return 0;
  }
  return info.held;
}
static int malloc_release(subject *s) {
  (void)s;
  return mc_malloc_release();
}

static int arena_open(subject *s) {
  int r = mc_arena_init(&s->u.arena, mc_system_allocator(NULL), 0);
  s->al = mc_arena_allocator(&s->u.arena);
  s->impl = "footprint";
  return r;
}
static int arena_release(subject *s) {
  mc_arena_reset(&s->u.arena, 0); /* the chunks go back to malloc */
  return MC_OK;
}
static void arena_close(subject *s) { mc_arena_destroy(&s->u.arena); }

static int pool_open(subject *s) {
  /* the harness's default slabs (64 KiB); a library built with its debug checks looks for a
   * freed slot's slab in the class's slab list, at every free: a million frees over a thousand
   * slabs took 100 s under ASan, so there the slabs are 1 MiB (held means the same) */
#ifdef MC_TEST_LIB_FILLS
  size_t slab = (size_t)1 << 20;
#else
  size_t slab = 0;
#endif
  int r = mc_pool_init(&s->u.pool, mc_system_allocator(NULL), NULL, 0, slab);
  s->al = mc_pool_allocator(&s->u.pool);
  s->impl = "footprint";
  return r;
}
static void pool_close(subject *s) { mc_pool_destroy(&s->u.pool); }

static int stack_open(subject *s) {
  s->region_size = NBLOCKS * (BLOCK + MC_STACK_HEADER) + ((size_t)1 << 20);
  s->region =
      mmap(NULL, s->region_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (s->region == MAP_FAILED) return MC_ENOMEM;
  int r = mc_stack_init(&s->u.stack, s->region, s->region_size);
  s->al = mc_stack_allocator(&s->u.stack);
  s->impl = "footprint";
  return r;
}
static void stack_close(subject *s) { munmap(s->region, s->region_size); }

static int boehm_open(subject *s) {
  mc_boehm_init(&s->u.boehm);
  s->al = mc_boehm_allocator(&s->u.boehm);
  s->impl = "heap-unmapped";
  return MC_OK;
}
static int boehm_release(subject *s) {
  (void)s;
  /* Boehm unmaps a free heap block only once it has stayed free through a few collections
   * (a count of collections, not time): the first call finds the blocks empty, the later ones
   * unmap them (three calls with libgc 8.2.2). Collect until nothing free is left mapped. */
  for (int i = 0; i < 8 && GC_get_free_bytes() > 0; i++) GC_gcollect_and_unmap();
  /* GC_get_heap_size() (the adapter's footprint) already leaves the unmapped bytes out: they
   * are counted apart, so heap size + unmapped still covers the whole workload */
  return GC_get_unmapped_bytes() > 0 && GC_get_heap_size() + GC_get_unmapped_bytes() >= REQ
             ? MC_OK
             : MC_ESTATE;
}

static int gc_open(subject *s) {
  int r = mc_gc_new(&s->u.gc, mc_system_allocator(NULL), NULL);
  if (r != MC_OK) return r;
  /* the block array is not a root: no automatic collection may run (explicit frees only) */
  mc_gc_disable(s->u.gc);
  s->al = mc_gc_allocator(s->u.gc);
  s->impl = "footprint";
  return MC_OK;
}
static int gc_release(subject *s) {
  /* each full collection gives back the spare pages idle since the previous one */
  mc_gc_collect(s->u.gc, -1);
  mc_gc_collect(s->u.gc, -1);
  return MC_OK;
}
static void gc_close(subject *s) { mc_gc_free(s->u.gc); }

static void nothing(subject *s) { (void)s; }

static subject subjects[] = {
    {.name = "glibc",
     .open = malloc_open,
     .held = malloc_held,
     .release = malloc_release,
     .close = nothing,
     .lifo = 0},
    {.name = "jemalloc",
     .open = malloc_open,
     .held = malloc_held,
     .release = malloc_release,
     .close = nothing,
     .lifo = 0},
    {.name = "mimalloc",
     .open = malloc_open,
     .held = malloc_held,
     .release = malloc_release,
     .close = nothing,
     .lifo = 0},
    {.name = "tcmalloc",
     .open = malloc_open,
     .held = malloc_held,
     .release = malloc_release,
     .close = nothing,
     .lifo = 0},
    {.name = "arena",
     .open = arena_open,
     .held = footprint,
     .release = arena_release,
     .close = arena_close,
     .lifo = 0},
    {.name = "pool",
     .open = pool_open,
     .held = footprint,
     .release = NULL,
     .close = pool_close,
     .lifo = 0},
    {.name = "stack",
     .open = stack_open,
     .held = footprint,
     .release = NULL,
     .close = stack_close,
     .lifo = 1},
    {.name = "boehm",
     .open = boehm_open,
     .held = footprint,
     .release = boehm_release,
     .close = nothing,
     .lifo = 0},
    {.name = "gc",
     .open = gc_open,
     .held = footprint,
     .release = gc_release,
     .close = gc_close,
     .lifo = 0},
};
#define NSUBJECTS (sizeof subjects / sizeof subjects[0])

static uint64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* ns per mc_malloc_held call, over n calls. */
static double held_cost(int n) {
  mc_malloc_held_info info;
  uint64_t t0 = now_ns();
  for (int i = 0; i < n; i++) mc_malloc_held(&info);
  return (double)(now_ns() - t0) / n;
}

static int fill(subject *s, void **blocks) {
  for (size_t i = 0; i < NBLOCKS; i++) {
    blocks[i] = mc_alloc_new(s->al, BLOCK, 8, NULL);
    if (!blocks[i]) return MC_ENOMEM;
    memset(blocks[i], (int)(i & 0xff), BLOCK);
  }
  return MC_OK;
}

static void empty(subject *s, void **blocks) {
  for (size_t k = 0; k < NBLOCKS; k++) {
    size_t i = s->lifo ? NBLOCKS - 1 - k : k;
    mc_alloc_free(s->al, blocks[i], BLOCK, 8);
    blocks[i] = NULL; /* no stale pointer keeps a conservative collector's block alive */
  }
}

/* Bytes of the malloc's own held figure (0 if unavailable): for our allocators, what the layer
 * below them holds. */
static size_t below(void) {
  mc_malloc_held_info info;
  return mc_malloc_held(&info) == MC_OK ? info.held : 0;
}

/* Bytes of the arena's current chunk never handed out (held, but never written). */
static size_t tail(subject *s) {
  if (s->open != arena_open || !s->u.arena.cur) return 0;
  return (size_t)(s->u.arena.end - s->u.arena.cur);
}

static size_t minus(size_t a, size_t b) { return a >= b ? a - b : 0; }

/* Runs the workload for subject name and prints one line: name impl held0 rss0 released
 * ns_peak ns_free, then per phase (peak, free, release, again): held res below tail — held,
 * res and below as growth over the baseline (bytes; below: the malloc's held figure), tail as
 * above; ns: the cost of one mc_malloc_held call at the peak and after the free. */
static int child(const char *name) {
  subject *s = NULL;
  for (size_t k = 0; k < NSUBJECTS; k++)
    if (strcmp(subjects[k].name, name) == 0) s = &subjects[k];
  if (!s) return 2;
  size_t bytes = NBLOCKS * sizeof(void *);
  void **blocks = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (blocks == MAP_FAILED) return 3;
  memset(blocks, 0, bytes);
  if (s->open(s) != MC_OK) return 4;
  if (strcmp(name, "boehm") == 0) GC_add_roots(blocks, blocks + NBLOCKS);
  double ns_peak = 0, ns_free = 0;
  size_t h0 = s->held(s), r0 = rss_bytes(), b0 = below(), h[4], r[4], b[4], t[4];
#define SNAP(i) (h[i] = s->held(s), r[i] = rss_bytes(), b[i] = below(), t[i] = tail(s))
  if (fill(s, blocks) != MC_OK) return 5;
  SNAP(0);
  ns_peak = held_cost(2000);
  empty(s, blocks);
  SNAP(1);
  ns_free = held_cost(20); /* glibc: a million free chunks to walk */
  int released = s->release && s->release(s) == MC_OK;
  SNAP(2);
  if (fill(s, blocks) != MC_OK) return 6;
  SNAP(3);
#undef SNAP
  if (held_failed) return 7;
  printf("%s %s %zu %zu %d %.0f %.0f", s->name, s->impl, h0, r0, released, ns_peak, ns_free);
  for (int i = 0; i < 4; i++)
    printf(" %zu %zu %zu %zu", minus(h[i], h0), minus(r[i], r0), minus(b[i], b0), t[i]);
  printf("\n");
  fflush(stdout);
  s->close(s);
  return 0;
}

/* ---- the parent ------------------------------------------------------------------------ */

typedef struct figures {
  char impl[32];
  size_t held0, rss0;                        /* bytes, absolute, before the workload */
  size_t held[4], res[4], below[4], tail[4]; /* bytes, per phase: peak, free, release, again */
  int released;                              /* the release phase ran the allocator's API */
  double ns_peak, ns_free;                   /* ns per mc_malloc_held call */
} figures;

static char self_exe[4096];

/* Runs the child for name with LD_PRELOAD=preload (NULL: none) and parses its line into *f.
 * Returns 0, or -1 with the reason in why. */
static int run_child(const char *name, const char *preload, figures *f, char *why, size_t nwhy) {
  int fd[2];
  if (pipe(fd) != 0) return snprintf(why, nwhy, "pipe: %s", strerror(errno)), -1;
  fflush(stdout);
  pid_t pid = fork();
  if (pid < 0) return snprintf(why, nwhy, "fork: %s", strerror(errno)), -1;
  if (pid == 0) {
    dup2(fd[1], 1);
    close(fd[0]);
    close(fd[1]);
    if (preload)
      setenv("LD_PRELOAD", preload, 1);
    else
      unsetenv("LD_PRELOAD");
    execl(self_exe, self_exe, "--child", name, (char *)NULL);
    _exit(127);
  }
  close(fd[1]);
  char line[1024] = {0};
  size_t n = 0;
  ssize_t got;
  while (n < sizeof line - 1 && (got = read(fd[0], line + n, sizeof line - 1 - n)) > 0)
    n += (size_t)got;
  close(fd[0]);
  int status;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return snprintf(why, nwhy, "child %s failed (status %d): %s", name, status, line), -1;
  char nm[32];
  int used = 0, k = sscanf(line, "%31s %31s %zu %zu %d %lf %lf%n", nm, f->impl, &f->held0, &f->rss0,
                           &f->released, &f->ns_peak, &f->ns_free, &used);
  for (int i = 0; i < 4 && k == 7; i++) {
    int more = 0;
    if (sscanf(line + used, "%zu %zu %zu %zu%n", &f->held[i], &f->res[i], &f->below[i], &f->tail[i],
               &more) != 4)
      k = -1;
    used += more;
  }
  if (k != 7) return snprintf(why, nwhy, "child %s printed '%s'", name, line), -1;
  return 0;
}

static figures table[NSUBJECTS];
static int have[NSUBJECTS];

static const char *preload_of(const char *name) {
#ifdef MC_TEST_JEMALLOC
  if (strcmp(name, "jemalloc") == 0) return MC_TEST_JEMALLOC;
#endif
#ifdef MC_TEST_MIMALLOC
  if (strcmp(name, "mimalloc") == 0) return MC_TEST_MIMALLOC;
#endif
#ifdef MC_TEST_TCMALLOC
  if (strcmp(name, "tcmalloc") == 0) return MC_TEST_TCMALLOC;
#endif
  (void)name;
  return NULL;
}

static int is_malloc(const char *name) {
  return !strcmp(name, "glibc") || !strcmp(name, "jemalloc") || !strcmp(name, "mimalloc") ||
         !strcmp(name, "tcmalloc");
}

/* held within 10 % of resident + 1 MiB */
static int agrees(size_t held, size_t res) {
  double d = (double)held - (double)res;
  return (d < 0 ? -d : d) <= 0.10 * (double)res + MIB;
}

#ifdef MC_SANITIZE
static const int sanitized = 1;
#else
static const int sanitized = 0;
#endif

/* Runs subject k; 0 if it ran (figures in table[k]), 1 if skipped (message printed). */
static int run(size_t k, figures **out) {
  const char *name = subjects[k].name;
  char why[1200];
  if (sanitized && is_malloc(name)) {
    printf("\n  SKIP %s: under ASan/UBSan the sanitizer's allocator replaces malloc%s\n", name,
           strcmp(name, "glibc") ? " and LD_PRELOAD of another malloc cannot work" : "");
    return 1;
  }
  const char *pre = preload_of(name);
  if (strcmp(name, "glibc") != 0 && is_malloc(name) && !pre) {
    printf("\n  SKIP %s: its library was not found at configure time\n", name);
    return 1;
  }
  int r = run_child(name, pre, &table[k], why, sizeof why);
  CU_ASSERT_EQUAL_FATAL(r, 0);
  if (r != 0) printf("\n  %s\n", why);
  have[k] = 1;
  *out = &table[k];
  /* the library found the malloc we preloaded, not glibc */
  if (is_malloc(name)) CU_ASSERT_STRING_EQUAL(table[k].impl, name);
  return 0;
}

enum { PEAK, FREED, RELEASED, AGAIN };

/* What every allocator must show at the peaks: its figure covers what was asked (held is
 * absolute here: the allocator holds the blocks plus whatever it held before), and, with
 * agree set, agrees with what the kernel backs (growth over the baseline, both). Returns the
 * figures, or NULL if skipped. */
static figures *peaks(const char *name, int agree) {
  size_t k = 0;
  while (strcmp(subjects[k].name, name) != 0) k++;
  figures *f = NULL;
  if (run(k, &f) != 0) return NULL;
  CU_ASSERT(f->held0 + f->held[PEAK] >= REQ);
  CU_ASSERT(f->held0 + f->held[AGAIN] >= REQ);
  static int noted;
  if (sanitized && !noted++)
    printf("\n  SKIP held-vs-resident comparisons: under ASan/UBSan shadow memory, redzones and "
           "the quarantine are resident too (held is still checked)\n");
  if (agree && !sanitized) {
    CU_ASSERT(agrees(f->held[PEAK], f->res[PEAK]));
    CU_ASSERT(agrees(f->held[AGAIN], f->res[AGAIN]));
  }
  return f;
}

/* Whatever the allocator gave back, held and resident saw the same: they still agree. */
static void agree_at(const figures *f, int phase) {
  if (!sanitized) CU_ASSERT(agrees(f->held[phase], f->res[phase]));
}

/* glibc: 64-byte requests are 80-byte chunks (8 bytes of size header, rounded to 16), so held
 * at the peak is 5/4 of requested. Freed, they go to the tcache (7) and the fast bins (chunks up
 * to 128 bytes), which never coalesce: the top chunk does not grow, M_TRIM_THRESHOLD never
 * fires, and glibc keeps every byte — held and resident unchanged. malloc_trim(0) consolidates
 * the fast bins into the top chunk and shrinks the heap with sbrk: both fall to almost 0. */
static void test_held_glibc(void) {
  figures *f = peaks("glibc", 1);
  if (!f) return;
  CU_ASSERT(f->held0 + f->held[PEAK] >= REQ / 4 * 5);
  CU_ASSERT_EQUAL(f->held[FREED], f->held[PEAK]); /* the sbrk'd heap did not move */
  agree_at(f, FREED);
  CU_ASSERT(f->released);
  CU_ASSERT(f->held[RELEASED] < MIB);
  agree_at(f, RELEASED);
}

/* jemalloc: after the free the pages are dirty and decay over opt.dirty_decay_ms (10 s in
 * Debian's 5.3.0): how much is gone right after the free depends on how long the frees took,
 * so the test asserts only that held (stats.resident) and resident agree there, whatever has
 * decayed. A thread.tcache.flush plus arena.4096.purge (all arenas) purges the dirty pages at
 * once (muzzy_decay_ms is 0: purged pages are MADV_DONTNEED'ed, not left lazily freed), so both
 * fall to jemalloc's metadata and what it held before.
 * Where they disagree: in some runs held is 2 MiB above resident in every phase — jemalloc's
 * figure is the wrong one, by its own documentation: stats.resident is "a maximum rather than
 * precise" (jemalloc(3)), and counts a 2 MiB block in full though it was never touched. After
 * the purge that 2 MiB exceeds 10 % + 1 MiB of the small resident, so there the test asserts
 * the documented relation: held is an upper bound of resident, by at most that block + 1 MiB. */
static void jemalloc_bound(const figures *f, int phase) {
  if (sanitized) return;
  CU_ASSERT(f->res[phase] <= f->held[phase] + MIB);
  CU_ASSERT(f->held[phase] <= f->res[phase] + f->res[phase] / 10 + 3 * MIB);
}

static void test_held_jemalloc(void) {
  figures *f = peaks("jemalloc", 1);
  if (!f) return;
  CU_ASSERT(f->held[FREED] <= f->held[PEAK] + MIB); /* + metadata */
  jemalloc_bound(f, PEAK);
  jemalloc_bound(f, FREED);
  CU_ASSERT(f->released);
  CU_ASSERT(f->held[RELEASED] < REQ / 10);
  jemalloc_bound(f, RELEASED);
}

/* mimalloc (Debian's 2.0.9): freed pages go back to their segments and are decommitted after
 * segment_decommit_delay (500 ms), so right after the free held may or may not have fallen:
 * only the agreement is asserted there. mi_collect(true) decommits at once: both fall to 0.
 * Where mimalloc's figure is wrong: before the workload it already counts its first segment,
 * 32 MiB, as committed (eagerly, at the first allocation) while the kernel backs only the pages
 * touched: current_commit counts address space promised by overcommit, not memory backed. The
 * whole process (libraries included) is resident in less than that, which the test asserts. */
static void test_held_mimalloc(void) {
  figures *f = peaks("mimalloc", 1);
  if (!f) return;
  CU_ASSERT(f->held0 > f->rss0);
  CU_ASSERT(f->held[FREED] <= f->held[PEAK] + MIB); /* + metadata */
  agree_at(f, FREED);
  CU_ASSERT(f->released);
  CU_ASSERT(f->held[RELEASED] < REQ / 10);
  agree_at(f, RELEASED);
}

/* tcmalloc: freed objects stay in the thread cache and the central free lists, their spans in
 * the page heap; pages are released to the OS only by its incremental scavenger, driven by
 * page-heap traffic (TCMALLOC_RELEASE_RATE), not by time: held after the free is what it was,
 * unless the scavenger ran, so the test asserts the agreement only.
 * MallocExtension_ReleaseFreeMemory() releases every free span: both fall to about 0 (held even
 * falls below its baseline: spans free before the workload went too). */
static void test_held_tcmalloc(void) {
  figures *f = peaks("tcmalloc", 1);
  if (!f) return;
  CU_ASSERT(f->held[FREED] <= f->held[PEAK] + MIB); /* + metadata */
  agree_at(f, FREED);
  CU_ASSERT(f->released);
  CU_ASSERT(f->held[RELEASED] < REQ / 10);
  agree_at(f, RELEASED);
}

/* arena: held is its chunks (doubling from 64 KiB to 16 MiB), the current one included in full.
 * Where they disagree: at the peak held exceeds resident by the current chunk's unused tail,
 * up to 16 MiB, which the arena holds (nobody else may use it) but never wrote, so the kernel
 * has not backed it (glibc mmaps chunks that large). Resident is the one that is "wrong" there,
 * by design of demand paging: held - tail agrees with resident. Frees other than the latest
 * only count: held stays to the byte, and so does resident. reset(keep_capacity 0) gives every
 * chunk back to malloc: held is 0, and resident falls with it (the big chunks are munmapped). */
static void test_held_arena(void) {
  figures *f = peaks("arena", 0);
  if (!f) return;
  CU_ASSERT(f->held[PEAK] >= f->res[PEAK]);
  if (!sanitized) {
    CU_ASSERT(agrees(f->held[PEAK] - f->tail[PEAK], f->res[PEAK]));
    CU_ASSERT(agrees(f->held[AGAIN] - f->tail[AGAIN], f->res[AGAIN]));
    CU_ASSERT(agrees(f->held[FREED] - f->tail[FREED], f->res[FREED]));
  }
  CU_ASSERT_EQUAL(f->held[FREED], f->held[PEAK]);
  CU_ASSERT(f->released);
  CU_ASSERT_EQUAL(f->held[RELEASED], 0);
  agree_at(f, RELEASED);
}

/* pool: 64-byte slots in slabs; freed slots go back on the class's free list and the slabs are
 * kept until destroy (mc_pool_reset keeps them too): held and resident stay, and there is no
 * call that gives memory back short of destroy. The blocks again reuse the same slots. */
static void test_held_pool(void) {
  figures *f = peaks("pool", 1);
  if (!f) return;
  CU_ASSERT_EQUAL(f->held[FREED], f->held[PEAK]);
  CU_ASSERT_EQUAL(f->held[AGAIN], f->held[PEAK]);
  agree_at(f, FREED);
  CU_ASSERT(!f->released);
}

/* stack: held is the part of the caller's region in use (top: each block plus its 24-byte
 * header), 88 MiB at the peak. Freed in LIFO order, top returns to 0: held is 0. Where they
 * disagree: resident stays at the peak, because the region belongs to the caller (here an mmap;
 * in the harness a malloc'd block) and stays resident until the caller gives it back. The
 * stack's figure is right about the stack — it holds nothing — and says nothing about its
 * owner's region, which the test shows resident: res after the free agrees with the peak held. */
static void test_held_stack(void) {
  figures *f = peaks("stack", 1);
  if (!f) return;
  CU_ASSERT(f->held[PEAK] >= NBLOCKS * (BLOCK + MC_STACK_HEADER));
  CU_ASSERT_EQUAL(f->held[FREED], 0);
  if (!sanitized) CU_ASSERT(agrees(f->held[PEAK], f->res[FREED]));
  CU_ASSERT(!f->released);
}

/* Boehm: held = GC_get_heap_size(), which in libgc 8.2 already excludes the unmapped bytes
 * (heap - unmapped: the child checks that the unmapped bytes are counted apart). Where they
 * disagree: resident exceeds held by the collector's private structures (block headers, mark
 * bits), which GC_get_heap_size leaves out: about 6 % here, inside the tolerance, and always
 * on the same side. Explicit GC_FREE puts objects on free lists and keeps the blocks: held and
 * resident stay. GC_gcollect_and_unmap, repeated until no free block is left mapped, unmaps
 * them: held falls to about 0; resident keeps the private structures sized for the heap at its
 * peak (about 7 MiB here), under a tenth of that peak heap. */
static void test_held_boehm(void) {
  figures *f = peaks("boehm", 1);
  if (!f) return;
  if (!sanitized) CU_ASSERT(f->res[PEAK] >= f->held[PEAK]);
  CU_ASSERT_EQUAL(f->held[FREED], f->held[PEAK]);
  agree_at(f, FREED);
  CU_ASSERT(f->released);
  CU_ASSERT(f->held[RELEASED] < REQ / 10);
  if (!sanitized) {
    CU_ASSERT(f->res[RELEASED] >= f->held[RELEASED]);
    CU_ASSERT(f->res[RELEASED] <= f->held[PEAK] / 10 + MIB);
  }
}

/* gc (ours): held is the 64 KiB pages (and tables) asked of its backing malloc. Where they
 * disagree: glibc serves each 64 KiB-aligned page with aligned_alloc, which leaves a gap before
 * it; the gaps are glibc's (its held, mallinfo2, counts them: about twice the gc's) and only
 * their chunk headers are ever written (one or two 4 KiB pages per gc page). So resident lies
 * between the two figures: the gc's own figure is right about what it asked for, glibc's about
 * its address space, and resident - held, glibc's alignment cost, stays under held / 8 + 1 MiB.
 * Explicit frees leave emptied pages with the gc until a collection retires them (kept as spares
 * up to the pages in use): held stays. Two full collections give every idle spare back. */
static void test_held_gc(void) {
  figures *f = peaks("gc", 0);
  if (!f) return;
  if (!sanitized) {
    for (int i = PEAK; i <= AGAIN; i += AGAIN - PEAK) {
      CU_ASSERT(f->res[i] + MIB >= f->held[i]);
      CU_ASSERT(f->res[i] <= f->held[i] + f->held[i] / 8 + MIB);
      CU_ASSERT(f->res[i] <= f->below[i] + MIB);
    }
  }
  CU_ASSERT_EQUAL(f->held[FREED], f->held[PEAK]);
  CU_ASSERT(f->released);
  CU_ASSERT(f->held[RELEASED] < MIB);
  agree_at(f, RELEASED);
}

/* The contract in this process: MC_OK, the same impl as mc_malloc_impl, a phrase, a figure that
 * covers a block just allocated and written; the release answers MC_OK (or MC_ENOTSUP under a
 * sanitizer) and the figure stays readable after it. */
static void test_held_api(void) {
  mc_malloc_held_info a, b;
  memset(&b, 0, sizeof b);
  CU_ASSERT_EQUAL_FATAL(mc_malloc_held(&a), MC_OK);
  CU_ASSERT_STRING_EQUAL(a.impl, mc_malloc_impl());
  CU_ASSERT_STRING_EQUAL(a.impl, sanitized ? "asan" : "glibc");
  CU_ASSERT(a.what && a.what[0]);
  size_t big = (size_t)8 << 20;
  char *p = malloc(big);
  CU_ASSERT_FATAL(p != NULL);
  memset(p, 1, big);
  CU_ASSERT_EQUAL(mc_malloc_held(&b), MC_OK);
  CU_ASSERT(b.held >= a.held + big);
  free(p);
  int r = mc_malloc_release();
  CU_ASSERT(r == (sanitized ? MC_ENOTSUP : MC_OK));
  CU_ASSERT_EQUAL(mc_malloc_held(&b), MC_OK);
  CU_ASSERT_PTR_EQUAL(b.impl, a.impl);
}

static void test_held_table(void) {
  printf("\n  %-9s %-13s %6s | %13s %6s | %13s | %13s | %13s | %7s %9s\n", "allocator", "held from",
         "held0", "peak held/res", "malloc", "free held/res", "release", "again", "ns/call",
         "ns(free)");
  for (size_t k = 0; k < NSUBJECTS; k++) {
    if (!have[k]) continue;
    figures *f = &table[k];
    printf("  %-9s %-13s %6.1f |", subjects[k].name, f->impl, f->held0 / MIB);
    for (int i = 0; i < 4; i++) {
      if (i == RELEASED && !f->released)
        printf(" %13s |", "(no API)");
      else
        printf(" %6.1f %6.1f%s", f->held[i] / MIB, f->res[i] / MIB, i ? " |" : "");
      if (i == PEAK) printf(" %6.1f |", f->below[i] / MIB);
    }
    if (is_malloc(subjects[k].name))
      printf(" %7.0f %9.0f\n", f->ns_peak, f->ns_free);
    else
      printf(" %7s %9s\n", "-", "-");
  }
  printf(
      "  MiB; held, resident (RSS) and malloc (mc_malloc_held: for our allocators, the malloc\n"
      "  below them) are growth over the baseline taken before the workload; requested %.0f MiB\n"
      "  in %zu blocks of %zu bytes. ns/call: mc_malloc_held at the peak / after the free.\n",
      REQ / MIB, NBLOCKS, BLOCK);
}

static CU_TestInfo tests[] = {
    {"test_held_api", test_held_api},           {"test_held_glibc", test_held_glibc},
    {"test_held_jemalloc", test_held_jemalloc}, {"test_held_mimalloc", test_held_mimalloc},
    {"test_held_tcmalloc", test_held_tcmalloc}, {"test_held_arena", test_held_arena},
    {"test_held_pool", test_held_pool},         {"test_held_stack", test_held_stack},
    {"test_held_boehm", test_held_boehm},       {"test_held_gc", test_held_gc},
    {"test_held_table", test_held_table},       CU_TEST_INFO_NULL,
};

static int add_suites(void) { return mc_test_add_suite("held", tests); }

int main(int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "--child") == 0) return child(argv[2]);
  ssize_t n = readlink("/proc/self/exe", self_exe, sizeof self_exe - 1);
  if (n <= 0) return 1;
  self_exe[n] = '\0';
  return mc_test_main(add_suites);
}
