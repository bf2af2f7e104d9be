/* test_gc_inline.c — the collector's inline API (mc_gc_alloc, mc_gc_store) and its allocation
 * window: the same counts, statistics and collections as the vtable, stores into objects that
 * are old (promoted, frozen, or next to the window) are remembered, every counter reader sees
 * the slots taken inline. */
#include <string.h>

#include "gc_verify.h"
#include "testutil.h"

typedef struct inode {
  struct inode *a, *b;
} inode;
static const size_t inode_offsets[] = {0, 8};
static const mc_type inode_type = {"test.inode", MC_TYPE_OFFSETS, inode_offsets, 2, NULL, 0};

typedef struct wnode { /* 24 bytes: a 32-byte slot with 8 bytes of slack */
  struct wnode *a;
  uint64_t x, y;
} wnode;
static const size_t wnode_offsets[] = {0};
static const mc_type wnode_type = {"test.wnode", MC_TYPE_OFFSETS, wnode_offsets, 1, NULL, 0};

/* n allocations cycling through three (type, size) pairs and a leaf, inline or through the
 * vtable; every 7th tracked node is kept on a list from a root. */
static void churn(mc_gc *gc, int inl, size_t n, inode **keep) {
  mc_alloc al = mc_gc_allocator(gc);
  for (size_t i = 0; i < n; i++) {
    switch (i % 5) {
    case 0:
    case 1: {
      inode *x = inl ? mc_gc_alloc(gc, sizeof *x, &inode_type)
                     : mc_alloc_new(al, sizeof *x, MC_ALIGN_DEFAULT, &inode_type);
      CU_ASSERT_FATAL(x != NULL);
      CU_ASSERT(x->a == NULL && x->b == NULL); /* zeroed */
      if (i % 7 == 0) {
        if (inl)
          mc_gc_store(gc, x, &x->a, *keep);
        else
          mc_store(al, x, &x->a, *keep);
        *keep = x;
      }
      break;
    }
    case 2:
    case 3: {
      wnode *w = inl ? mc_gc_alloc(gc, sizeof *w, &wnode_type)
                     : mc_alloc_new(al, sizeof *w, MC_ALIGN_DEFAULT, &wnode_type);
      CU_ASSERT_FATAL(w != NULL);
      CU_ASSERT(w->a == NULL && w->x == 0 && w->y == 0);
      w->x = i;
      break;
    }
    default: {
      void *leaf = inl ? mc_gc_alloc(gc, 40, NULL) : mc_alloc_new(al, 40, MC_ALIGN_DEFAULT, NULL);
      CU_ASSERT_FATAL(leaf != NULL);
      memset(leaf, 0xAB, 40);
    }
    }
  }
}

static size_t kept(size_t n) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++) k += i % 5 < 2 && i % 7 == 0;
  return k;
}

static void test_gc_inline_matches_vtable(void) {
  mc_alloc_stats st[2];
  mc_gc_stats gs[2][MC_GC_NGEN];
  int c[2][MC_GC_NGEN];
  for (int inl = 0; inl < 2; inl++) {
    mc_gc *gc = gc_verify_new(1000, 0);
    inode *keep = NULL;
    mc_root_add(mc_gc_allocator(gc), &keep);
    churn(gc, inl, 200000, &keep);
    GC_VERIFY(gc);               /* between collections: the window open, counters pending */
    mc_gc_get_count(gc, c[inl]); /* before any stats call: pending slots are counted */
    mc_alloc_get_stats(mc_gc_allocator(gc), &st[inl]);
    mc_gc_get_stats(gc, gs[inl]);
    size_t n = 0;
    for (inode *x = keep; x; x = x->a) n++;
    CU_ASSERT_EQUAL(n, kept(200000));
    mc_root_remove(mc_gc_allocator(gc), &keep);
    mc_gc_free(gc);
  }
  CU_ASSERT_EQUAL(st[0].allocs, 200000);
  CU_ASSERT_EQUAL(memcmp(&st[0], &st[1], offsetof(mc_alloc_stats, pause_ns_total)), 0);
  CU_ASSERT_EQUAL(memcmp(c[0], c[1], sizeof c[0]), 0);
  CU_ASSERT(st[1].collections > 100);
  for (int g = 0; g < MC_GC_NGEN; g++) {
    CU_ASSERT_EQUAL(gs[0][g].collections, gs[1][g].collections);
    CU_ASSERT_EQUAL(gs[0][g].collected, gs[1][g].collected);
  }
}

/* Counts and stats see the slots taken inline, with no collection in between. */
static void test_gc_inline_counters(void) {
  mc_gc *gc = gc_verify_new(0, 0); /* no automatic collection */
  mc_alloc al = mc_gc_allocator(gc);
  for (int i = 0; i < 1000; i++)
    CU_ASSERT_FATAL(mc_gc_alloc(gc, sizeof(wnode), &wnode_type) != NULL);
  for (int i = 0; i < 10; i++) CU_ASSERT_FATAL(mc_gc_alloc(gc, 40, NULL) != NULL);
  int c[MC_GC_NGEN];
  mc_gc_get_count(gc, c);
  CU_ASSERT_EQUAL(c[0], 1000); /* leaves are not tracked */
  mc_alloc_stats st;
  mc_alloc_get_stats(al, &st);
  CU_ASSERT_EQUAL(st.allocs, 1010);
  CU_ASSERT_EQUAL(st.live, 1010);
  CU_ASSERT_EQUAL(st.requested, 1000 * sizeof(wnode) + 400);
  CU_ASSERT_EQUAL(st.total_requested, 1000 * sizeof(wnode) + 400);
  CU_ASSERT_EQUAL(mc_gc_get_objects(gc, 0, NULL, 0), 1000);
  /* an explicit free of an inline allocation */
  wnode *w = mc_gc_alloc(gc, sizeof *w, &wnode_type);
  mc_alloc_free(al, w, sizeof *w, MC_ALIGN_DEFAULT);
  mc_gc_get_count(gc, c);
  CU_ASSERT_EQUAL(c[0], 1000);
  mc_alloc_get_stats(al, &st);
  CU_ASSERT_EQUAL(st.live, 1010);
  CU_ASSERT_EQUAL(st.frees, 1);
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 0), 1000);
  mc_alloc_get_stats(al, &st);
  CU_ASSERT_EQUAL(st.live, 0);
  CU_ASSERT_EQUAL(st.requested, 0);
  CU_ASSERT_PTR_EQUAL(mc_gc_alloc(gc, 0, &wnode_type), mc_alloc_new(al, 0, MC_ALIGN_DEFAULT, NULL));
  mc_gc_free(gc);
}

/* Stores into an old object remembered: promoted by a collection, frozen, or sitting right after
 * the window's run (the window must stop at it, not treat it as young). */
static void test_gc_inline_barrier_old_objects(void) {
  mc_gc *gc = gc_verify_new(0, 0);
  mc_alloc al = mc_gc_allocator(gc);
  inode *old = NULL;
  mc_root_add(al, &old);
  inode *x = mc_gc_alloc(gc, sizeof *x, &inode_type);
  old = mc_gc_alloc(gc, sizeof *old, &inode_type);
  inode *y = mc_gc_alloc(gc, sizeof *y, &inode_type);
  CU_ASSERT_FATAL(x && old && y && (char *)old == (char *)x + 16 && (char *)y == (char *)old + 16);
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 0), 2); /* x and y die, old is generation 1 */
  /* the first slot free again is x's: the run there stops at old */
  inode *n1 = mc_gc_alloc(gc, sizeof *n1, &inode_type);
  mc_gc_store(gc, old, &old->a, n1);
  inode *n2 = mc_gc_alloc(gc, sizeof *n2, &inode_type);
  mc_gc_store(gc, old, &old->b, n2);
  mc_gc_store(gc, n2, &n2->a, old); /* young -> old: nothing to remember */
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 0), 0);
  CU_ASSERT(mc_gc_is_tracked(gc, n1) && mc_gc_is_tracked(gc, n2));
  CU_ASSERT_PTR_EQUAL(old->a, n1);
  CU_ASSERT_PTR_EQUAL(old->b, n2);
  /* frozen: the objects of the window freeze too */
  inode *f = mc_gc_alloc(gc, sizeof *f, &inode_type);
  mc_gc_store(gc, n1, &n1->a, f);
  mc_gc_freeze(gc);
  inode *g = mc_gc_alloc(gc, sizeof *g, &inode_type);
  mc_gc_store(gc, f, &f->b, g); /* frozen -> young */
  old = NULL;
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 0), 0);
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 2), 0);
  CU_ASSERT(mc_gc_is_tracked(gc, g));
  mc_gc_unfreeze(gc);
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 2), 5); /* old, n1, n2, f, g */
  mc_alloc_stats st;
  mc_alloc_get_stats(al, &st);
  CU_ASSERT_EQUAL(st.live, 0);
  mc_root_remove(al, &old);
  mc_gc_free(gc);
}

/* Under torture every inline allocation still collects first (the window never opens). */
static void test_gc_inline_torture(void) {
  mc_gc *gc = gc_verify_new(-1, 1);
  inode *keep = NULL;
  mc_root_add(mc_gc_allocator(gc), &keep);
  churn(gc, 1, 3000, &keep);
  mc_alloc_stats st;
  mc_alloc_get_stats(mc_gc_allocator(gc), &st);
  CU_ASSERT(st.collections >= 3000);
  size_t n = 0;
  for (inode *x = keep; x; x = x->a) n++;
  CU_ASSERT_EQUAL(n, kept(3000));
  mc_root_remove(mc_gc_allocator(gc), &keep);
  mc_gc_free(gc);
}

static int add_suites(void) {
  static CU_TestInfo tests[] = {
      {"test_gc_inline_matches_vtable", test_gc_inline_matches_vtable},
      {"test_gc_inline_counters", test_gc_inline_counters},
      {"test_gc_inline_barrier_old_objects", test_gc_inline_barrier_old_objects},
      {"test_gc_inline_torture", test_gc_inline_torture},
      CU_TEST_INFO_NULL,
  };
  return mc_test_add_suite("gc_inline", tests);
}

int main(void) { return gc_verify_main(add_suites); }
