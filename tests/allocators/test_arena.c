/* test_arena.c — the arena's own semantics: growing chunks (footprint = chunk bytes), rollback
 * of the latest block, other frees only counted, reset keeping or releasing capacity, nested
 * marks exact to the byte, every parent failure leaving the arena unchanged, and no leak. */
#include <string.h>

#include "testutil.h"

static mc_alloc_stats st(mc_alloc al) {
  mc_alloc_stats s;
  mc_alloc_get_stats(al, &s);
  return s;
}

static int same(mc_alloc_stats a, mc_alloc_stats b) { return memcmp(&a, &b, sizeof a) == 0; }

static void test_arena_chunks_grow_and_destroy_returns_all(void) {
  mc_system sys;
  mc_system_init(&sys);
  mc_alloc parent = mc_system_allocator(&sys);
  mc_arena a;
  CU_ASSERT_FATAL(mc_arena_init(&a, parent, 1024) == MC_OK);
  mc_alloc al = mc_arena_allocator(&a);
  CU_ASSERT_STRING_EQUAL(mc_alloc_name(al), "arena");
  CU_ASSERT_EQUAL(st(al).footprint, 0); /* lazy */
  size_t sum = 0;
  for (int i = 0; i < 200; i++) {
    void *p = mc_alloc_new(al, 100, 8, NULL);
    CU_ASSERT_FATAL(p != NULL);
    memset(p, i, 100);
    sum += 100;
  }
  mc_alloc_stats x = st(al), ps = st(parent);
  CU_ASSERT_EQUAL(x.requested, sum);
  CU_ASSERT_EQUAL(x.footprint, ps.requested); /* every chunk byte is asked of the parent */
  CU_ASSERT(x.footprint >= sum);
  /* chunks double: 1024, 2048, ... so 20000 bytes take few chunks */
  CU_ASSERT(ps.live <= 6);
  CU_ASSERT(x.footprint < 4 * sum);
  /* one request bigger than any chunk gets a chunk of its own */
  void *big = mc_alloc_new(al, 1 << 20, 4096, NULL);
  CU_ASSERT_FATAL(big != NULL);
  CU_ASSERT_EQUAL((uintptr_t)big % 4096, 0);
  mc_arena_destroy(&a);
  ps = st(parent);
  CU_ASSERT_EQUAL(ps.requested, 0); /* no leak */
  CU_ASSERT_EQUAL(ps.live, 0);
  mc_arena_destroy(&a); /* twice, and on a zeroed struct: fine */
}

static void test_arena_rollback_and_other_frees(void) {
  mc_system sys;
  mc_system_init(&sys);
  mc_arena a;
  mc_arena_init(&a, mc_system_allocator(&sys), 0);
  mc_alloc al = mc_arena_allocator(&a);
  unsigned char *x = mc_alloc_new(al, 40, 8, NULL);
  unsigned char *y = mc_alloc_new(al, 24, 8, NULL);
  mc_alloc_free(al, y, 24, 8); /* latest: rolls back */
  unsigned char *z = mc_alloc_new(al, 24, 8, NULL);
  CU_ASSERT_PTR_EQUAL(z, y);
  mc_alloc_free(al, x, 40, 8); /* not the latest: counted, held */
  mc_alloc_stats s = st(al);
  CU_ASSERT_EQUAL(s.requested, 24);
  CU_ASSERT_EQUAL(s.live, 1);
  CU_ASSERT_EQUAL(s.misordered, 1);
  CU_ASSERT_EQUAL(s.frees, 2);
  unsigned char *w = mc_alloc_new(al, 8, 8, NULL);
  CU_ASSERT(w >= z + 24); /* x's bytes were not reused */
  /* the latest block grows in place, then shrinks in place */
  unsigned char *w2 = mc_alloc_resize(al, w, 8, 4000, 8);
  CU_ASSERT_PTR_EQUAL(w2, w);
  w2 = mc_alloc_resize(al, w, 4000, 16, 8);
  CU_ASSERT_PTR_EQUAL(w2, w);
  unsigned char *after = mc_alloc_new(al, 1, 1, NULL);
  CU_ASSERT_PTR_EQUAL(after, w + 16);
  s = st(al);
  CU_ASSERT_EQUAL(s.requested, 24 + 16 + 1);
  CU_ASSERT_EQUAL(s.resizes, 2);
  mc_arena_destroy(&a);
  CU_ASSERT_EQUAL(sys.stats.requested, 0);
}

static void test_arena_reset_keep_and_release(void) {
  mc_system sys;
  mc_system_init(&sys);
  mc_arena a;
  mc_arena_init(&a, mc_system_allocator(&sys), 4096);
  mc_alloc al = mc_arena_allocator(&a);
  for (int i = 0; i < 100; i++) mc_alloc_new(al, 300, 16, NULL);
  mc_alloc_stats before = st(al);
  uint64_t parent_allocs = sys.stats.allocs;
  mc_arena_reset(&a, 1);
  mc_alloc_stats x = st(al);
  CU_ASSERT_EQUAL(x.requested, 0);
  CU_ASSERT_EQUAL(x.live, 0);
  CU_ASSERT_EQUAL(x.footprint, before.footprint); /* capacity kept */
  CU_ASSERT_EQUAL(x.resets, 1);
  for (int i = 0; i < 100; i++) CU_ASSERT(mc_alloc_new(al, 300, 16, NULL) != NULL);
  CU_ASSERT_EQUAL(sys.stats.allocs, parent_allocs); /* the kept chunks served it all */
  CU_ASSERT_EQUAL(st(al).footprint, before.footprint);
  CU_ASSERT_EQUAL(mc_alloc_reset(al), MC_OK); /* the vtable's reset keeps capacity */
  CU_ASSERT_EQUAL(st(al).footprint, before.footprint);
  mc_arena_reset(&a, 0);
  x = st(al);
  CU_ASSERT_EQUAL(x.footprint, 0);
  CU_ASSERT_EQUAL(x.resets, 3);
  CU_ASSERT_EQUAL(sys.stats.requested, 0);
  CU_ASSERT(mc_alloc_new(al, 10, 8, NULL) != NULL); /* usable after a release */
  mc_arena_destroy(&a);
  CU_ASSERT_EQUAL(sys.stats.requested, 0);
}

static void test_arena_marks_nested_exact(void) {
  mc_system sys;
  mc_system_init(&sys);
  mc_arena a;
  mc_arena_init(&a, mc_system_allocator(&sys), 512);
  mc_alloc al = mc_arena_allocator(&a);
  unsigned char *base = mc_alloc_new(al, 100, 8, NULL);
  mc_arena_mark m1, m2;
  CU_ASSERT_FATAL(mc_arena_save(&a, &m1) == MC_OK);
  unsigned char *p1 = mc_alloc_new(al, 200, 8, NULL);
  CU_ASSERT_FATAL(mc_arena_save(&a, &m2) == MC_OK);
  for (int i = 0; i < 50; i++) mc_alloc_new(al, 100, 8, NULL); /* opens new chunks */
  size_t fp = st(al).footprint;
  mc_alloc_free(al, p1, 200, 8);   /* a level-1 block freed while level 2 is open */
  mc_alloc_free(al, base, 100, 8); /* a base block */
  CU_ASSERT_EQUAL(st(al).requested, 5000);
  CU_ASSERT_EQUAL(mc_arena_restore(&a, m2), MC_OK);
  mc_alloc_stats x = st(al);
  CU_ASSERT_EQUAL(x.requested, 0);
  CU_ASSERT_EQUAL(x.live, 0);
  CU_ASSERT_EQUAL(x.footprint, fp); /* chunks kept as spares */
  unsigned char *again = mc_alloc_new(al, 7, 1, NULL);
  CU_ASSERT_PTR_NOT_NULL(again);
  CU_ASSERT(again > p1 && again < p1 + 200 + 64);       /* right after p1, in p1's chunk */
  CU_ASSERT_EQUAL(mc_arena_restore(&a, m2), MC_EINVAL); /* gone */
  CU_ASSERT_EQUAL(mc_arena_restore(&a, m1), MC_OK);
  x = st(al);
  CU_ASSERT_EQUAL(x.requested, 0);
  CU_ASSERT_EQUAL(x.live, 0);
  unsigned char *p = mc_alloc_new(al, 200, 8, NULL);
  CU_ASSERT(p >= base + 100 && p < p1); /* back where the level began (before its record) */
  mc_arena_mark bogus = {NULL, 0};
  mc_alloc_stats before = st(al);
  CU_ASSERT_EQUAL(mc_arena_restore(&a, bogus), MC_EINVAL);
  CU_ASSERT(same(before, st(al)));
  /* reset drops the marks */
  CU_ASSERT_FATAL(mc_arena_save(&a, &m1) == MC_OK);
  mc_arena_reset(&a, 1);
  CU_ASSERT_EQUAL(mc_arena_restore(&a, m1), MC_EINVAL);
  mc_arena_destroy(&a);
  CU_ASSERT_EQUAL(sys.stats.requested, 0);
}

/* Raises the parent's budget until an operation passes (libuv's loop_init_oom): each refused
 * attempt must leave the arena's stats exactly as they were but for failures. */
static void test_arena_parent_failures_change_nothing(void) {
  mc_system sys;
  mc_system_init(&sys);
  mc_failing f;
  mc_failing_init(&f, mc_system_allocator(&sys), 0, 0);
  mc_arena a;
  mc_arena_init(&a, mc_failing_allocator(&f), 256);
  mc_alloc al = mc_arena_allocator(&a);
  int refused = 0;
  for (int op = 0; op < 40; op++) {
    for (uint64_t budget = 0;; budget++) {
      mc_failing_set(&f, budget, 1);
      mc_alloc_stats before = st(al);
      void *p = (op % 5 == 4) ? NULL : mc_alloc_new(al, 100 + (size_t)op * 10, 8, NULL);
      mc_arena_mark m = {NULL, 0};
      int rc = (op % 5 == 4) ? mc_arena_save(&a, &m) : (p ? MC_OK : MC_ENOMEM);
      if (rc == MC_OK) break;
      refused++;
      mc_alloc_stats after = st(al);
      CU_ASSERT_EQUAL(after.failures, before.failures + 1);
      after.failures = before.failures;
      CU_ASSERT(same(before, after));
      CU_ASSERT_PTR_NULL(m.level);
      if (budget > 3) {
        CU_FAIL("the budget never sufficed");
        break;
      }
    }
  }
  CU_ASSERT(refused > 0); /* some operations did need a new chunk */
  mc_arena_destroy(&a);
  CU_ASSERT_EQUAL(sys.stats.requested, 0);
  CU_ASSERT_EQUAL(sys.stats.live, 0);
}

static void test_arena_resize_older_block_moves(void) {
  mc_system sys;
  mc_system_init(&sys);
  mc_arena a;
  mc_arena_init(&a, mc_system_allocator(&sys), 0);
  mc_alloc al = mc_arena_allocator(&a);
  unsigned char *x = mc_alloc_new(al, 10, 8, NULL);
  unsigned char *y = mc_alloc_new(al, 10, 8, NULL);
  memcpy(x, "abcdefghij", 10);
  unsigned char *x2 = mc_alloc_resize(al, x, 10, 20, 8);
  CU_ASSERT_FATAL(x2 != NULL);
  CU_ASSERT(x2 > y);
  CU_ASSERT(memcmp(x2, "abcdefghij", 10) == 0);
  mc_alloc_stats s = st(al);
  CU_ASSERT_EQUAL(s.requested, 30);
  CU_ASSERT_EQUAL(s.live, 2);
  CU_ASSERT_EQUAL(s.misordered, 1);
  CU_ASSERT_EQUAL(s.total_requested, 30);
  /* the latest block, out of room in its chunk: moves to a new chunk */
  unsigned char *x3 = mc_alloc_resize(al, x2, 20, 1 << 20, 8);
  CU_ASSERT_FATAL(x3 != NULL);
  CU_ASSERT(memcmp(x3, "abcdefghij", 10) == 0);
  CU_ASSERT_EQUAL(st(al).requested, 10 + (1 << 20));
  mc_arena_destroy(&a);
  CU_ASSERT_EQUAL(sys.stats.requested, 0);
}

/* ---- random operations against a model ------------------------------------------------ */

#define MSLOT 64
#define MMARK 16

typedef struct model_block {
  unsigned char *p;
  size_t size, align;
  uint64_t seq; /* when allocated (or moved): restore drops blocks newer than the mark */
  unsigned char tag;
  int live;
} model_block;

static int model_check(mc_alloc al, const model_block *b) {
  size_t sum = 0, n = 0;
  int ok = 1;
  for (int i = 0; i < MSLOT; i++)
    if (b[i].live) {
      sum += b[i].size, n++;
      for (size_t k = 0; k < b[i].size; k++)
        if (b[i].p[k] != b[i].tag) ok = 0;
    }
  mc_alloc_stats s = st(al);
  return ok && s.requested == sum && s.live == n && s.footprint >= s.requested;
}

static void test_arena_random_vs_model(void) {
  mc_system sys;
  mc_system_init(&sys);
  mc_arena a;
  mc_arena_init(&a, mc_system_allocator(&sys), 2048);
  mc_alloc al = mc_arena_allocator(&a);
  model_block b[MSLOT] = {{0}};
  mc_arena_mark marks[MMARK], dead = {NULL, 0};
  uint64_t mark_seq[MMARK];
  int nmarks = 0, bad = 0;
  uint64_t seq = 0;
  mc_test_rng rng;
  mc_test_rng_seed(&rng, 7);
  for (int op = 0; op < 6000 && !bad; op++) {
    int r = (int)mc_test_rng_below(&rng, 100), i = (int)mc_test_rng_below(&rng, MSLOT);
    if (r < 45 && !b[i].live) {
      b[i].size = 1 + mc_test_rng_below(&rng, r < 40 ? 200 : 3000);
      b[i].align = (size_t)1 << mc_test_rng_below(&rng, 8);
      b[i].p = mc_alloc_new(al, b[i].size, b[i].align, NULL);
      CU_ASSERT_FATAL(b[i].p != NULL);
      CU_ASSERT((uintptr_t)b[i].p % b[i].align == 0);
      b[i].seq = ++seq, b[i].tag = (unsigned char)op, b[i].live = 1;
      memset(b[i].p, b[i].tag, b[i].size);
    } else if (r < 70 && b[i].live) {
      mc_alloc_free(al, b[i].p, b[i].size, b[i].align);
      b[i].live = 0;
    } else if (r < 85 && b[i].live) {
      size_t ns = 1 + mc_test_rng_below(&rng, 2000);
      unsigned char *q = mc_alloc_resize(al, b[i].p, b[i].size, ns, b[i].align);
      CU_ASSERT_FATAL(q != NULL);
      if (q != b[i].p) b[i].seq = ++seq; /* moved: a new block at the innermost level */
      b[i].p = q, b[i].size = ns;
      memset(q, b[i].tag, ns);
    } else if (r < 92 && nmarks < MMARK) {
      CU_ASSERT_FATAL(mc_arena_save(&a, &marks[nmarks]) == MC_OK);
      mark_seq[nmarks++] = seq;
    } else if (r < 98 && nmarks > 0) {
      int k = (int)mc_test_rng_below(&rng, (uint64_t)nmarks);
      CU_ASSERT_EQUAL(mc_arena_restore(&a, marks[k]), MC_OK);
      for (int j = 0; j < MSLOT; j++)
        if (b[j].live && b[j].seq > mark_seq[k]) b[j].live = 0;
      dead = marks[k];
      nmarks = k;
      CU_ASSERT_EQUAL(mc_arena_restore(&a, dead), MC_EINVAL);
    } else if (r >= 98) {
      mc_arena_reset(&a, r == 98);
      for (int j = 0; j < MSLOT; j++) b[j].live = 0;
      nmarks = 0;
    }
    if (!model_check(al, b)) {
      CU_FAIL("arena diverged from the model");
      bad = 1;
    }
  }
  mc_arena_destroy(&a);
  CU_ASSERT_EQUAL(sys.stats.requested, 0);
}

/* mc_arena.h: a new chunk is max(next_size, what the request needs), next_size doubling per
 * chunk opened from chunk_size whatever the request; so the chunk after an oversized one is the
 * doubling sequence's next step, not double the oversized chunk (the header used to say "at
 * least double the previous one"). Chunk sizes read as footprint steps. */
static void test_arena_chunk_after_oversized_follows_doubling(void) {
  mc_system sys;
  mc_system_init(&sys);
  mc_arena a;
  CU_ASSERT_FATAL(mc_arena_init(&a, mc_system_allocator(&sys), 1024) == MC_OK);
  mc_alloc al = mc_arena_allocator(&a);
  CU_ASSERT_FATAL(mc_alloc_new(al, 64, 8, NULL) != NULL);
  size_t f1 = st(al).footprint;
  CU_ASSERT_EQUAL(f1, 1024);                                  /* first chunk: chunk_size */
  CU_ASSERT_FATAL(mc_alloc_new(al, 100000, 8, NULL) != NULL); /* oversized: its own chunk */
  size_t big = st(al).footprint - f1;
  CU_ASSERT(big >= 100000 && big < 100000 + 1024);
  CU_ASSERT_EQUAL(a.next_size, 4096);
  CU_ASSERT_FATAL(mc_alloc_new(al, 2000, 8, NULL) != NULL); /* does not fit what is left */
  size_t f3 = st(al).footprint;
  CU_ASSERT_EQUAL(f3 - f1 - big, 4096); /* 1024 -> 2048 (taken by the oversized one) -> 4096 */
  CU_ASSERT_EQUAL(a.next_size, 8192);
  mc_arena_destroy(&a);
}

static int add_suites(void) {
  static CU_TestInfo tests[] = {
      {"test_arena_chunks_grow_and_destroy_returns_all",
       test_arena_chunks_grow_and_destroy_returns_all},
      {"test_arena_rollback_and_other_frees", test_arena_rollback_and_other_frees},
      {"test_arena_reset_keep_and_release", test_arena_reset_keep_and_release},
      {"test_arena_marks_nested_exact", test_arena_marks_nested_exact},
      {"test_arena_parent_failures_change_nothing", test_arena_parent_failures_change_nothing},
      {"test_arena_resize_older_block_moves", test_arena_resize_older_block_moves},
      {"test_arena_random_vs_model", test_arena_random_vs_model},
      {"test_arena_chunk_after_oversized_follows_doubling",
       test_arena_chunk_after_oversized_follows_doubling},
      CU_TEST_INFO_NULL,
  };
  return mc_test_add_suite("arena", tests);
}

int main(void) { return mc_test_main(add_suites); }
