/* test_direct.c — the inline direct calls (mc_arena_alloc/free, mc_stack_alloc/free,
 * mc_pool_alloc/free) against the vtable. Two instances of one allocator get the same seeded
 * random sequence of operations, the first through mc_alloc_new / mc_alloc_free, the second
 * through the direct calls for alloc and free (resize, marks and reset go the same way on
 * both): every answer must match (NULL, the zero token, and for the stack the offset in its
 * region) and the stats must be identical, field for field, after every step. The sequence
 * covers size 0, bad and large alignments, sizes past MC_SIZE_MAX, frees in and out of order,
 * moving resizes, marks, resets, a full stack, and parents that refuse (so the slow paths and
 * their failure counts run too). Both must also agree with a model: requested is the sum of the
 * live blocks' sizes, live their number, requested_peak the largest such sum. The cursors
 * (mc_arena_cursor_*, mc_stack_cursor_*) get the same treatment over sessions of many calls. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc_arena.h"
#include "mc_failing.h"
#include "mc_pool.h"
#include "mc_stack.h"
#include "mc_system.h"
#include "testutil.h"

#define STEPS 20000
#define MAXLIVE 512
#define STACK_BYTES ((size_t)256 << 10) /* small enough to fill up now and then */

typedef struct block {
  void *p[2];  /* the block in each twin */
  size_t size; /* as allocated or last resized */
  size_t align;
  uint64_t seq; /* allocation order, for marks */
} block;

/* One allocator kind: how to open a twin and how its direct calls look. */
typedef struct twin_kind {
  const char *name;
  int marks; /* arena and stack: save/restore; and reset through the vtable */
  void *(*dalloc)(void *x, size_t size, size_t align);
  void (*dfree)(void *x, void *p, size_t size, size_t align);
} twin_kind;

typedef struct twin {
  mc_failing fail[2]; /* each instance's parent (arena, pool) */
  mc_arena arena[2];
  mc_stack stack[2];
  mc_pool pool[2];
  unsigned char *buf[2];
  void *x[2];     /* the instances */
  mc_alloc al[2]; /* their vtables */
} twin;

static void *arena_da(void *x, size_t size, size_t align) { return mc_arena_alloc(x, size, align); }
static void arena_df(void *x, void *p, size_t size, size_t align) {
  (void)align;
  mc_arena_free(x, p, size);
}
static void *stack_da(void *x, size_t size, size_t align) { return mc_stack_alloc(x, size, align); }
static void stack_df(void *x, void *p, size_t size, size_t align) {
  (void)align;
  mc_stack_free(x, p, size);
}
static void *pool_da(void *x, size_t size, size_t align) { return mc_pool_alloc(x, size, align); }
static void pool_df(void *x, void *p, size_t size, size_t align) {
  mc_pool_free(x, p, size, align);
}

static const twin_kind kinds[] = {
    {"arena", 1, arena_da, arena_df},
    {"stack", 1, stack_da, stack_df},
    {"pool", 0, pool_da, pool_df},
};

static int open_twin(const twin_kind *k, twin *t) {
  memset(t, 0, sizeof *t);
  for (int i = 0; i < 2; i++) {
    mc_failing_init(&t->fail[i], mc_system_allocator(NULL), UINT64_MAX, 0);
    mc_alloc parent = mc_failing_allocator(&t->fail[i]);
    if (!strcmp(k->name, "arena")) {
      if (mc_arena_init(&t->arena[i], parent, 4096) != MC_OK) return 0;
      t->x[i] = &t->arena[i];
      t->al[i] = mc_arena_allocator(&t->arena[i]);
    } else if (!strcmp(k->name, "stack")) {
      t->buf[i] = aligned_alloc(MC_ALIGN_MAX, STACK_BYTES); /* the same padding in both */
      if (!t->buf[i] || mc_stack_init(&t->stack[i], t->buf[i], STACK_BYTES) != MC_OK) return 0;
      t->x[i] = &t->stack[i];
      t->al[i] = mc_stack_allocator(&t->stack[i]);
    } else {
      if (mc_pool_init(&t->pool[i], parent, NULL, 0, 4096) != MC_OK) return 0;
      t->x[i] = &t->pool[i];
      t->al[i] = mc_pool_allocator(&t->pool[i]);
    }
  }
  return 1;
}

static void close_twin(twin *t) {
  for (int i = 0; i < 2; i++) {
    mc_arena_destroy(&t->arena[i]);
    mc_pool_destroy(&t->pool[i]);
    free(t->buf[i]);
  }
}

/* Both answers agree: both NULL, both the same zero token, or both blocks (at the same offset
 * in the stack's regions). */
static int same_answer(const twin *t, void *a, void *b) {
  if (!a || !b) return a == b;
  if ((uintptr_t)a <= MC_ALIGN_MAX || (uintptr_t)b <= MC_ALIGN_MAX) return a == b;
  if (t->buf[0]) return (unsigned char *)a - t->buf[0] == (unsigned char *)b - t->buf[1];
  return 1;
}

static int same_stats(const twin *t) {
  mc_alloc_stats s0, s1;
  mc_alloc_get_stats(t->al[0], &s0);
  mc_alloc_get_stats(t->al[1], &s1);
  return memcmp(&s0, &s1, sizeof s0) == 0;
}

/* With MC_TEST_DEBUG set: where a run went wrong, and the stats fields that differ. */
static void debug_diff(const twin *t, const char *what, uint64_t seed, int step, uint64_t op,
                       size_t n) {
  mc_alloc_stats s0, s1;
  mc_alloc_get_stats(t->al[0], &s0);
  mc_alloc_get_stats(t->al[1], &s1);
  fprintf(stderr, "%s seed %llu step %d op %llu n %zu\n", what, (unsigned long long)seed, step,
          (unsigned long long)op, n);
  const uint64_t *f0 = (const uint64_t *)(const void *)&s0,
                 *f1 = (const uint64_t *)(const void *)&s1;
  for (size_t f = 0; f < sizeof s0 / 8; f++)
    if (f0[f] != f1[f])
      fprintf(stderr, "  field %zu: vtable %llu direct %llu\n", f, (unsigned long long)f0[f],
              (unsigned long long)f1[f]);
}

/* After a step: the twins' stats are identical and agree with the model (requested is the sum
 * of the live blocks' sizes, live their number, requested_peak the largest such sum, which the
 * caller keeps in *model_peak). Returns 1 when all holds. */
static int step_ok(const twin *t, const block *live, size_t n, size_t *model_peak) {
  mc_alloc_stats s1;
  mc_alloc_get_stats(t->al[1], &s1);
  size_t req = 0;
  for (size_t i = 0; i < n; i++) req += live[i].size;
  if (req > *model_peak) *model_peak = req;
  return same_stats(t) && s1.requested == req && s1.live == n && s1.requested_peak == *model_peak;
}

/* Keeps the blocks allocated up to seq mark_seq (a restore dropped the others); returns their
 * number. */
static size_t keep_until(block *live, size_t n, uint64_t mark_seq) {
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (live[i].seq <= mark_seq) live[m++] = live[i];
  return m;
}

/* Resizes live[i] to new_size through the vtable on both twins; a moved block becomes the
 * newest (seq). Returns 0 when the answers differ. */
static int resize_both(twin *t, block *live, size_t n, size_t i, size_t new_size, uint64_t *seq) {
  void *a = mc_alloc_resize(t->al[0], live[i].p[0], live[i].size, new_size, live[i].align);
  void *b = mc_alloc_resize(t->al[1], live[i].p[1], live[i].size, new_size, live[i].align);
  if (!same_answer(t, a, b)) return 0;
  if (a && b) {
    block moved = {{a, b}, new_size, live[i].align, live[i].seq};
    if (a != live[i].p[0]) { /* moved: now the newest block (a restore drops it) */
      moved.seq = ++*seq;
      memmove(&live[i], &live[i + 1], (n - i - 1) * sizeof *live);
      live[n - 1] = moved;
    } else {
      live[i] = moved;
    }
  }
  return 1;
}

static void run_kind(const twin_kind *k, uint64_t seed) {
  static const size_t sizes[] = {0, 1, 8, 16, 24, 40, 100, 256, 1000, 2048, 3000, 70000};
  /* Blocks are aligned on absolute addresses: the twins' arena chunks are only 16-aligned
   * alike, so the arena gets no larger alignment here (test_direct_edges has one). */
  static const size_t aligns[] = {1, 8, 16, 16, 16, 3, MC_ALIGN_MAX * 2, 32, 4096};
  const size_t naligns = sizeof aligns / sizeof *aligns - (strcmp(k->name, "arena") ? 0 : 2);
  twin t;
  block live[MAXLIVE];
  size_t n = 0;
  uint64_t seq = 0;
  mc_arena_mark amark[2] = {{0}};
  mc_stack_mark smark[2] = {{0}};
  uint64_t mark_seq = 0;
  int marked = 0, mismatches = 0;
  size_t model_peak = 0; /* the largest sum of live sizes seen after a step */
  mc_test_rng r;
  mc_test_rng_seed(&r, seed);
  CU_ASSERT_FATAL(open_twin(k, &t));
  for (int step = 0; step < STEPS && mismatches == 0; step++) {
    uint64_t op = mc_test_rng_next(&r) % 100;
    if (op < 45 && n < MAXLIVE) { /* alloc */
      size_t size = sizes[mc_test_rng_next(&r) % (sizeof sizes / sizeof *sizes)];
      size_t align = aligns[mc_test_rng_next(&r) % naligns];
      if (mc_test_rng_next(&r) % 500 == 0) size = MC_SIZE_MAX + 1;
      void *a = mc_alloc_new(t.al[0], size, align, NULL);
      void *b = k->dalloc(t.x[1], size, align);
      if (!same_answer(&t, a, b)) mismatches++;
      if (a && b && size > 0)
        live[n++] = (block){{a, b}, size, align, ++seq};
      else if (a && size > 0)
        mc_alloc_free(t.al[0], a, size, align); /* (mismatch: tidy) */
    } else if (op < 85 && n > 0) {              /* free: mostly the latest, else any */
      size_t i = mc_test_rng_next(&r) % 4 ? n - 1 : (size_t)(mc_test_rng_next(&r) % n);
      mc_alloc_free(t.al[0], live[i].p[0], live[i].size, live[i].align);
      k->dfree(t.x[1], live[i].p[1], live[i].size, live[i].align);
      memmove(&live[i], &live[i + 1], (n - i - 1) * sizeof *live); /* keeps the order */
      n--;
    } else if (op < 90 && n > 0) { /* resize through the vtable on both */
      size_t i = mc_test_rng_next(&r) % 2 ? n - 1 : (size_t)(mc_test_rng_next(&r) % n);
      size_t ns = sizes[1 + mc_test_rng_next(&r) % (sizeof sizes / sizeof *sizes - 1)];
      if (!resize_both(&t, live, n, i, ns, &seq)) mismatches++;
    } else if (op < 93 && k->marks) { /* save or restore a mark on both */
      if (!marked) {
        if (t.buf[0]) {
          smark[0] = mc_stack_save(&t.stack[0]);
          smark[1] = mc_stack_save(&t.stack[1]);
        } else {
          int r0 = mc_arena_save(&t.arena[0], &amark[0]),
              r1 = mc_arena_save(&t.arena[1], &amark[1]);
          if (r0 != r1) mismatches++;
        }
        mark_seq = seq;
        marked = 1;
      } else {
        int r0, r1;
        if (t.buf[0]) {
          r0 = mc_stack_restore(&t.stack[0], smark[0]);
          r1 = mc_stack_restore(&t.stack[1], smark[1]);
        } else {
          r0 = mc_arena_restore(&t.arena[0], amark[0]);
          r1 = mc_arena_restore(&t.arena[1], amark[1]);
        }
        if (r0 != r1) mismatches++;
        if (r0 == MC_OK) { /* the blocks allocated since the save are gone */
          n = keep_until(live, n, mark_seq);
        }
        marked = 0;
      }
    } else if (op < 94) { /* reset */
      if (k->marks) {
        CU_ASSERT_EQUAL(mc_alloc_reset(t.al[0]), MC_OK);
        CU_ASSERT_EQUAL(mc_alloc_reset(t.al[1]), MC_OK);
      } else {
        mc_pool_reset(&t.pool[0]);
        mc_pool_reset(&t.pool[1]);
      }
      n = 0;
      marked = 0;
    } else if (op < 96) { /* the parents refuse the next few requests (none reach a stack) */
      uint64_t k2 = mc_test_rng_next(&r) % 4;
      mc_failing_set(&t.fail[0], 0, k2);
      mc_failing_set(&t.fail[1], 0, k2);
    }
    if (!step_ok(&t, live, n, &model_peak)) mismatches++;
    if (mismatches && getenv("MC_TEST_DEBUG")) debug_diff(&t, k->name, seed, step, op, n);
  }
  CU_ASSERT_EQUAL(mismatches, 0);
  for (size_t i = n; i-- > 0;) { /* newest first: everything rolls back */
    mc_alloc_free(t.al[0], live[i].p[0], live[i].size, live[i].align);
    k->dfree(t.x[1], live[i].p[1], live[i].size, live[i].align);
  }
  CU_ASSERT(same_stats(&t));
  mc_alloc_stats s;
  mc_alloc_get_stats(t.al[1], &s);
  CU_ASSERT_EQUAL(s.requested, 0);
  CU_ASSERT_EQUAL(s.live, 0);
  close_twin(&t);
}

static void test_direct_arena(void) {
  for (uint64_t seed = 1; seed <= 4; seed++) run_kind(&kinds[0], seed);
}
static void test_direct_stack(void) {
  for (uint64_t seed = 1; seed <= 4; seed++) run_kind(&kinds[1], seed);
}
static void test_direct_pool(void) {
  for (uint64_t seed = 1; seed <= 4; seed++) run_kind(&kinds[2], seed);
}

/* The arena's cursor against the vtable: sessions of up to 300 allocations through one open
 * cursor on the second twin (mc_alloc_new on the first), the parents refusing now and then (so
 * the refill runs and fails), and between sessions frees of the latest blocks, marks and
 * resets on both. Every answer must match, every block must be aligned and
 * writable, and after each close the stats must be identical and agree with the model. */
static void run_cursor(uint64_t seed) {
  static const size_t sizes[] = {0, 1, 8, 16, 24, 40, 100, 256, 1000, 3000, 70000};
  static const size_t aligns[] = {1,  8, 16, 16,
                                  16, 3}; /* 3: refused alike; no more than 16:
                                           the twins' chunks are only 16-aligned alike */
  twin t;
  block live[MAXLIVE];
  size_t n = 0, model_peak = 0;
  uint64_t seq = 0, mark_seq = 0;
  mc_arena_mark mark[2] = {{0}};
  int marked = 0, mismatches = 0;
  mc_test_rng r;
  mc_test_rng_seed(&r, seed);
  CU_ASSERT_FATAL(open_twin(&kinds[0], &t));
  for (int step = 0; step < 2000 && mismatches == 0; step++) {
    uint64_t op = mc_test_rng_next(&r) % 10;
    if (op < 5) {                          /* a session */
      if (mc_test_rng_next(&r) % 4 == 0) { /* the parents refuse the next few chunks */
        uint64_t k = 1 + mc_test_rng_next(&r) % 3;
        mc_failing_set(&t.fail[0], 0, k);
        mc_failing_set(&t.fail[1], 0, k);
      }
      size_t want = 1 + (size_t)(mc_test_rng_next(&r) % 300);
      mc_arena_cursor c = mc_arena_cursor_open(&t.arena[1]);
      for (size_t j = 0; j < want && n < MAXLIVE; j++) {
        size_t size = sizes[mc_test_rng_next(&r) % (sizeof sizes / sizeof *sizes)];
        size_t align = aligns[mc_test_rng_next(&r) % (sizeof aligns / sizeof *aligns)];
        if (mc_test_rng_next(&r) % 200 == 0) size = MC_SIZE_MAX + 1;
        void *a = mc_alloc_new(t.al[0], size, align, NULL);
        void *b = mc_arena_cursor_alloc(&t.arena[1], &c, size, align);
        if (!same_answer(&t, a, b)) mismatches++;
        if (b && size > 0) {
          if ((uintptr_t)b % align != 0) mismatches++;
          memset(b, 0x5A, size); /* inside its chunk (ASan would say otherwise) */
        }
        if (a && b && size > 0) live[n++] = (block){{a, b}, size, align, ++seq};
      }
      mc_arena_cursor_close(&t.arena[1], c);
    } else if (op < 8 && n > 0) { /* free the latest few: they roll back on both */
      size_t k = 1 + (size_t)(mc_test_rng_next(&r) % (n < 8 ? n : 8));
      for (; k > 0; k--, n--) {
        mc_alloc_free(t.al[0], live[n - 1].p[0], live[n - 1].size, live[n - 1].align);
        mc_alloc_free(t.al[1], live[n - 1].p[1], live[n - 1].size, live[n - 1].align);
      }
    } else if (op < 9) { /* save, or restore */
      if (!marked) {
        int r0 = mc_arena_save(&t.arena[0], &mark[0]), r1 = mc_arena_save(&t.arena[1], &mark[1]);
        if (r0 != r1) mismatches++;
        marked = r0 == MC_OK && r1 == MC_OK;
        mark_seq = seq;
      } else {
        int r0 = mc_arena_restore(&t.arena[0], mark[0]),
            r1 = mc_arena_restore(&t.arena[1], mark[1]);
        if (r0 != MC_OK || r1 != MC_OK) mismatches++;
        n = keep_until(live, n, mark_seq);
        marked = 0;
      }
    } else { /* reset, keeping capacity or giving it back (then chunks are asked for again) */
      int keep = (int)(mc_test_rng_next(&r) % 2);
      mc_arena_reset(&t.arena[0], keep);
      mc_arena_reset(&t.arena[1], keep);
      n = 0;
      marked = 0;
    }
    if (!step_ok(&t, live, n, &model_peak)) mismatches++;
    if (mismatches && getenv("MC_TEST_DEBUG")) debug_diff(&t, "arena cursor", seed, step, op, n);
  }
  CU_ASSERT_EQUAL(mismatches, 0);
  mc_alloc_stats s;
  mc_alloc_get_stats(t.al[1], &s);
  CU_ASSERT(s.allocs > 1000); /* the sessions did run */
  CU_ASSERT(s.failures > 0);  /* and the refill's failure path too */
  close_twin(&t);
}

static void test_direct_arena_cursor(void) {
  for (uint64_t seed = 1; seed <= 4; seed++) run_cursor(seed);
}

/* The stack's cursor against the vtable: sessions of up to 300 pushes and frees through one
 * open cursor on the second twin (mc_alloc_new / mc_alloc_free on the first). Frees are mostly
 * of the top block, sometimes of any block (out of line, held until unwound; later pops then
 * uncover it), and the region (256 KiB) fills up now and then. Between sessions: resizes, marks
 * and resets through the vtable on both. Answers must match (same offsets), and after each
 * close the stats must be identical and agree with the model. */
static void run_stack_cursor(uint64_t seed) {
  static const size_t sizes[] = {0, 1, 8, 16, 24, 40, 100, 256, 1000, 3000, 70000};
  static const size_t aligns[] = {1, 8, 16, 16, 16, 3, 64, 4096};
  twin t;
  block live[MAXLIVE];
  size_t n = 0, model_peak = 0;
  uint64_t seq = 0, mark_seq = 0;
  mc_stack_mark mark[2] = {{0}};
  int marked = 0, mismatches = 0;
  mc_test_rng r;
  mc_test_rng_seed(&r, seed);
  CU_ASSERT_FATAL(open_twin(&kinds[1], &t));
  for (int step = 0; step < 2000 && mismatches == 0; step++) {
    uint64_t op = mc_test_rng_next(&r) % 10;
    if (op < 7) { /* a session */
      size_t want = 1 + (size_t)(mc_test_rng_next(&r) % 300), req_now = 0;
      for (size_t i = 0; i < n; i++) req_now += live[i].size;
      mc_stack_cursor c = mc_stack_cursor_open(&t.stack[1]);
      for (size_t j = 0; j < want; j++) {
        if (mc_test_rng_next(&r) % 2 == 0 && n < MAXLIVE) { /* push */
          size_t size = sizes[mc_test_rng_next(&r) % (sizeof sizes / sizeof *sizes)];
          size_t align = aligns[mc_test_rng_next(&r) % (sizeof aligns / sizeof *aligns)];
          if (mc_test_rng_next(&r) % 200 == 0) size = MC_SIZE_MAX + 1;
          void *a = mc_alloc_new(t.al[0], size, align, NULL);
          void *b = mc_stack_cursor_alloc(&t.stack[1], &c, size, align);
          if (!same_answer(&t, a, b)) mismatches++;
          if (b && size > 0) memset(b, 0x5A, size);
          if (a && b && size > 0) {
            live[n++] = (block){{a, b}, size, align, ++seq};
            req_now += size; /* the peak may be reached inside the session */
            if (req_now > model_peak) model_peak = req_now;
          }
        } else if (n > 0) { /* free: mostly the top block, else any */
          size_t i = mc_test_rng_next(&r) % 5 ? n - 1 : (size_t)(mc_test_rng_next(&r) % n);
          mc_alloc_free(t.al[0], live[i].p[0], live[i].size, live[i].align);
          mc_stack_cursor_free(&t.stack[1], &c, live[i].p[1], live[i].size);
          req_now -= live[i].size;
          memmove(&live[i], &live[i + 1], (n - i - 1) * sizeof *live);
          n--;
        }
      }
      mc_stack_cursor_close(&t.stack[1], c);
    } else if (op < 8 && n > 0) { /* resize through the vtable on both */
      size_t i = mc_test_rng_next(&r) % 2 ? n - 1 : (size_t)(mc_test_rng_next(&r) % n);
      size_t ns = sizes[1 + mc_test_rng_next(&r) % (sizeof sizes / sizeof *sizes - 1)];
      if (!resize_both(&t, live, n, i, ns, &seq)) mismatches++;
    } else if (op < 9) { /* save, or restore */
      if (!marked) {
        mark[0] = mc_stack_save(&t.stack[0]);
        mark[1] = mc_stack_save(&t.stack[1]);
        mark_seq = seq;
        marked = 1;
      } else {
        int r0 = mc_stack_restore(&t.stack[0], mark[0]),
            r1 = mc_stack_restore(&t.stack[1], mark[1]);
        if (r0 != r1) mismatches++;
        if (r0 == MC_OK) {
          n = keep_until(live, n, mark_seq);
        }
        marked = 0;
      }
    } else {
      CU_ASSERT_EQUAL(mc_alloc_reset(t.al[0]), MC_OK);
      CU_ASSERT_EQUAL(mc_alloc_reset(t.al[1]), MC_OK);
      n = 0;
      marked = 0;
    }
    if (!step_ok(&t, live, n, &model_peak)) mismatches++;
    if (mismatches && getenv("MC_TEST_DEBUG")) debug_diff(&t, "stack cursor", seed, step, op, n);
  }
  CU_ASSERT_EQUAL(mismatches, 0);
  mc_alloc_stats s;
  mc_alloc_get_stats(t.al[1], &s);
  CU_ASSERT(s.allocs > 1000);  /* the sessions did run */
  CU_ASSERT(s.failures > 0);   /* the region filled up */
  CU_ASSERT(s.misordered > 0); /* and frees out of order went out of line */
  close_twin(&t);
}

static void test_direct_stack_cursor(void) {
  for (uint64_t seed = 1; seed <= 4; seed++) run_stack_cursor(seed);
}

/* A cursor opened on a fresh arena (no chunk yet) refills on its first allocation; closing an
 * unused cursor changes nothing. */
static void test_direct_cursor_edges(void) {
  mc_arena a;
  mc_alloc_stats before, after;
  CU_ASSERT_EQUAL_FATAL(mc_arena_init(&a, mc_system_allocator(NULL), 0), MC_OK);
  mc_arena_cursor c = mc_arena_cursor_open(&a);
  mc_arena_cursor_close(&a, c);
  mc_alloc_get_stats(mc_arena_allocator(&a), &after);
  CU_ASSERT_EQUAL(after.allocs + after.footprint + after.failures, 0);
  c = mc_arena_cursor_open(&a);
  CU_ASSERT_PTR_EQUAL(mc_arena_cursor_alloc(&a, &c, 0, 64), (void *)64);
  CU_ASSERT_PTR_NULL(mc_arena_cursor_alloc(&a, &c, 8, 48));
  unsigned char *p = mc_arena_cursor_alloc(&a, &c, 24, 8);
  unsigned char *q = mc_arena_cursor_alloc(&a, &c, 8, 8);
  CU_ASSERT_PTR_NOT_NULL_FATAL(p);
  CU_ASSERT_PTR_EQUAL(q, p + 24); /* bumped, packed */
  mc_arena_cursor_close(&a, c);
  mc_alloc_get_stats(mc_arena_allocator(&a), &before);
  CU_ASSERT_EQUAL(before.allocs, 2);
  CU_ASSERT_EQUAL(before.requested, 32);
  CU_ASSERT_EQUAL(before.live, 2);
  mc_arena_free(&a, q, 8); /* the latest block: rolls back, as after mc_arena_alloc */
  mc_alloc_get_stats(mc_arena_allocator(&a), &after);
  CU_ASSERT_EQUAL(after.requested, 24);
  CU_ASSERT_EQUAL(after.misordered, 0);
  CU_ASSERT_PTR_EQUAL(mc_arena_alloc(&a, 8, 8), q);
  mc_arena_destroy(&a);
}

/* The simple facts the vtable guarantees, seen through the direct calls. */
static void test_direct_edges(void) {
  mc_arena a;
  mc_pool p;
  mc_stack s;
  unsigned char buf[256];
  CU_ASSERT_EQUAL_FATAL(mc_arena_init(&a, mc_system_allocator(NULL), 0), MC_OK);
  CU_ASSERT_EQUAL_FATAL(mc_pool_init(&p, mc_system_allocator(NULL), NULL, 0, 0), MC_OK);
  CU_ASSERT_EQUAL_FATAL(mc_stack_init(&s, buf, sizeof buf), MC_OK);
  /* size 0: the zero token; bad alignment or a huge size: NULL, nothing counted */
  CU_ASSERT_PTR_EQUAL(mc_arena_alloc(&a, 0, 32), mc_alloc_new(mc_arena_allocator(&a), 0, 32, NULL));
  CU_ASSERT_PTR_NULL(mc_arena_alloc(&a, 8, 3));
  CU_ASSERT_PTR_NULL(mc_pool_alloc(&p, 8, MC_ALIGN_MAX * 2));
  CU_ASSERT_PTR_NULL(mc_stack_alloc(&s, MC_SIZE_MAX + 1, 8));
  CU_ASSERT_PTR_EQUAL(mc_stack_alloc(&s, 0, 8), (void *)8);
  mc_alloc_stats st;
  mc_alloc_get_stats(mc_stack_allocator(&s), &st);
  CU_ASSERT_EQUAL(st.allocs + st.failures, 0);
  /* alignment is honoured */
  void *q = mc_arena_alloc(&a, 3, 1);
  void *r = mc_arena_alloc(&a, 10, 4096);
  CU_ASSERT_PTR_NOT_NULL(q);
  CU_ASSERT_EQUAL((uintptr_t)r % 4096, 0);
  void *u = mc_pool_alloc(&p, 24, 16);
  CU_ASSERT_EQUAL((uintptr_t)u % 16, 0);
  /* a full stack: NULL and one failure */
  CU_ASSERT_PTR_NULL(mc_stack_alloc(&s, sizeof buf, 8));
  mc_alloc_get_stats(mc_stack_allocator(&s), &st);
  CU_ASSERT_EQUAL(st.failures, 1);
  /* LIFO: the latest block rolls back, the peak stays */
  void *v = mc_stack_alloc(&s, 100, 8);
  CU_ASSERT_PTR_NOT_NULL_FATAL(v);
  mc_stack_free(&s, v, 100);
  mc_alloc_get_stats(mc_stack_allocator(&s), &st);
  CU_ASSERT_EQUAL(st.footprint, 0);
  CU_ASSERT_EQUAL(st.footprint_peak, 100 + MC_STACK_HEADER);
  CU_ASSERT_EQUAL(st.requested_peak, 100);
  mc_arena_free(&a, r, 10);
  mc_arena_free(&a, q, 3);
  mc_alloc_get_stats(mc_arena_allocator(&a), &st);
  CU_ASSERT_EQUAL(st.requested, 0);
  CU_ASSERT_EQUAL(st.requested_peak, 13);
  CU_ASSERT_EQUAL(st.misordered, 1); /* r's padding stays: q no longer ends at the bump */
  mc_pool_free(&p, u, 24, 16);
  mc_pool_free(&p, NULL, 24, 16); /* nothing */
  mc_alloc_get_stats(mc_pool_allocator(&p), &st);
  CU_ASSERT_EQUAL(st.frees, 1);
  CU_ASSERT_EQUAL(st.live, 0);
  CU_ASSERT_EQUAL(mc_pool_class_live(&p, (size_t)mc_pool_class_of(&p, 24, 16)), 0);
  mc_arena_destroy(&a);
  mc_pool_destroy(&p);
}

static int add_suites(void) {
  static CU_TestInfo tests[] = {
      {"test_direct_arena", test_direct_arena},
      {"test_direct_stack", test_direct_stack},
      {"test_direct_pool", test_direct_pool},
      {"test_direct_edges", test_direct_edges},
      {"test_direct_arena_cursor", test_direct_arena_cursor},
      {"test_direct_cursor_edges", test_direct_cursor_edges},
      {"test_direct_stack_cursor", test_direct_stack_cursor},
      CU_TEST_INFO_NULL,
  };
  return mc_test_add_suite("direct", tests);
}

int main(void) { return mc_test_main(add_suites); }
