/* test_pool.c — the pool's own semantics: slots reused LIFO within a class, the smallest class
 * that fits, fallback to the parent above the largest class or for a stronger alignment,
 * in-place resize within a class, bad class lists refused, parent failures changing nothing,
 * and no leak after destroy. */
#include <string.h>

#include "testutil.h"

static mc_alloc_stats st(mc_alloc al) {
  mc_alloc_stats s;
  mc_alloc_get_stats(al, &s);
  return s;
}

static void test_pool_slot_reuse_and_classes(void) {
  mc_system sys;
  mc_system_init(&sys);
  mc_pool p;
  CU_ASSERT_FATAL(mc_pool_init(&p, mc_system_allocator(&sys), NULL, 0, 0) == MC_OK);
  mc_alloc al = mc_pool_allocator(&p);
  CU_ASSERT_STRING_EQUAL(mc_alloc_name(al), "pool");
  CU_ASSERT_EQUAL(mc_pool_class_of(&p, 1, 8), 0);
  CU_ASSERT_EQUAL(mc_pool_class_of(&p, 16, 16), 0);
  CU_ASSERT_EQUAL(mc_pool_class_of(&p, 17, 8), 1);
  CU_ASSERT_EQUAL(p.classes[mc_pool_class_of(&p, 1000, 8)].size, 1024);
  CU_ASSERT_EQUAL(mc_pool_class_of(&p, 2048, 8), (int)mc_pool_default_nclasses - 1);
  CU_ASSERT_EQUAL(mc_pool_class_of(&p, 2049, 8), -1);
  CU_ASSERT_EQUAL(mc_pool_class_of(&p, 64, 32), -1);
  void *a = mc_alloc_new(al, 24, 8, NULL);
  void *b = mc_alloc_new(al, 24, 8, NULL);
  CU_ASSERT_FATAL(a && b);
  CU_ASSERT_EQUAL((char *)b - (char *)a, 32); /* neighbouring 32-byte slots */
  mc_alloc_free(al, a, 24, 8);
  void *c = mc_alloc_new(al, 30, 16, NULL); /* same class: a's slot again */
  CU_ASSERT_PTR_EQUAL(c, a);
  mc_alloc_stats s = st(al);
  CU_ASSERT_EQUAL(s.requested, 54);
  CU_ASSERT_EQUAL(s.live, 2);
  CU_ASSERT_EQUAL(s.footprint, MC_POOL_SLAB_DEFAULT); /* one slab so far */
  CU_ASSERT_EQUAL(mc_pool_class_live(&p, 1), 2);
  mc_alloc_free(al, b, 24, 8);
  mc_alloc_free(al, c, 30, 16);
  s = st(al);
  CU_ASSERT_EQUAL(s.requested, 0);
  CU_ASSERT_EQUAL(s.footprint, MC_POOL_SLAB_DEFAULT); /* slabs are kept until destroy */
  mc_pool_destroy(&p);
  CU_ASSERT_EQUAL(sys.stats.requested, 0);
  CU_ASSERT_EQUAL(sys.stats.live, 0);
  mc_pool_destroy(&p); /* on a zeroed struct: fine */
}

static void test_pool_fallback_to_parent(void) {
  mc_system sys;
  mc_system_init(&sys);
  mc_pool p;
  mc_pool_init(&p, mc_system_allocator(&sys), NULL, 0, 0);
  mc_alloc al = mc_pool_allocator(&p);
  void *big = mc_alloc_new(al, 5000, 8, NULL);
  void *aligned = mc_alloc_new(al, 64, 256, NULL);
  CU_ASSERT_FATAL(big && aligned);
  CU_ASSERT_EQUAL((uintptr_t)aligned % 256, 0);
  CU_ASSERT_EQUAL(sys.stats.live, 2); /* both went straight to the parent */
  /* each behind a header: 32 bytes of padding, or the alignment when it is larger */
  CU_ASSERT_EQUAL(sys.stats.requested, (32 + 5000) + (256 + 64));
  mc_alloc_stats s = st(al);
  CU_ASSERT_EQUAL(s.footprint, (32 + 5000) + (256 + 64));
  CU_ASSERT_EQUAL(s.requested, 5064);
  CU_ASSERT_EQUAL(p.fallbacks, 2);
  void *big2 = mc_alloc_resize(al, big, 5000, 9000, 8); /* parent to parent */
  CU_ASSERT_FATAL(big2 != NULL);
  CU_ASSERT_EQUAL(st(al).footprint, (32 + 9000) + (256 + 64));
  CU_ASSERT_EQUAL(sys.stats.requested, (32 + 9000) + (256 + 64));
  void *small = mc_alloc_resize(al, big2, 9000, 100, 8); /* parent to a slot */
  CU_ASSERT_FATAL(small != NULL);
  CU_ASSERT_EQUAL(p.fallbacks, 1);
  CU_ASSERT_EQUAL(st(al).footprint, (256 + 64) + MC_POOL_SLAB_DEFAULT);
  mc_alloc_free(al, small, 100, 8);
  mc_alloc_free(al, aligned, 64, 256);
  s = st(al);
  CU_ASSERT_EQUAL(s.requested, 0);
  CU_ASSERT_EQUAL(s.footprint, MC_POOL_SLAB_DEFAULT);
  mc_pool_destroy(&p);
  CU_ASSERT_EQUAL(sys.stats.requested, 0);
}

static void test_pool_resize_within_class_in_place(void) {
  mc_system sys;
  mc_system_init(&sys);
  mc_pool p;
  mc_pool_init(&p, mc_system_allocator(&sys), NULL, 0, 0);
  mc_alloc al = mc_pool_allocator(&p);
  unsigned char *a = mc_alloc_new(al, 40, 8, NULL);
  memset(a, 7, 40);
  CU_ASSERT_PTR_EQUAL(mc_alloc_resize(al, a, 40, 48, 8), a);
  CU_ASSERT_PTR_EQUAL(mc_alloc_resize(al, a, 48, 33, 8), a);
  unsigned char *b = mc_alloc_resize(al, a, 33, 200, 8);
  CU_ASSERT_FATAL(b != NULL && b != a);
  CU_ASSERT(b[0] == 7 && b[32] == 7);
  mc_alloc_stats s = st(al);
  CU_ASSERT_EQUAL(s.requested, 200);
  CU_ASSERT_EQUAL(s.requested_peak, 200); /* not 33 + 200: a move counts one block (fuzz find) */
  CU_ASSERT_EQUAL(s.live, 1);
  CU_ASSERT_EQUAL(s.resizes, 3);
  CU_ASSERT_EQUAL(s.total_requested, 40 + 8 + 167); /* alloc plus every growth */
  mc_alloc_free(al, b, 200, 8);
  mc_pool_destroy(&p);
  CU_ASSERT_EQUAL(sys.stats.requested, 0);
}

static void test_pool_custom_classes_and_bad_lists(void) {
  mc_system sys;
  mc_system_init(&sys);
  mc_alloc parent = mc_system_allocator(&sys);
  mc_pool p;
  memset(&p, 0x5A, sizeof p);
  static const size_t unsorted[] = {64, 32};
  static const size_t dup_after_round[] = {20, 24};
  static const size_t zero[] = {0, 16};
  static const size_t huge[] = {16, MC_POOL_MAX_CLASS + 1};
  unsigned char guard = ((unsigned char *)&p)[0];
  CU_ASSERT_EQUAL(mc_pool_init(&p, parent, unsorted, 2, 0), MC_EINVAL);
  CU_ASSERT_EQUAL(mc_pool_init(&p, parent, dup_after_round, 2, 0), MC_EINVAL);
  CU_ASSERT_EQUAL(mc_pool_init(&p, parent, zero, 2, 0), MC_EINVAL);
  CU_ASSERT_EQUAL(mc_pool_init(&p, parent, huge, 2, 0), MC_EINVAL);
  CU_ASSERT_EQUAL(mc_pool_init(&p, parent, unsorted, 0, 0), MC_EINVAL);
  CU_ASSERT_EQUAL(((unsigned char *)&p)[0], guard); /* untouched on failure */
  static const size_t odd[] = {12, 24, 40};
  CU_ASSERT_FATAL(mc_pool_init(&p, parent, odd, 3, 256) == MC_OK);
  CU_ASSERT_EQUAL(p.classes[0].size, 16);
  CU_ASSERT_EQUAL(p.classes[1].size, 24);
  CU_ASSERT_EQUAL(p.classes[1].align, 8);
  CU_ASSERT_EQUAL(p.classes[2].size, 40);
  mc_alloc al = mc_pool_allocator(&p);
  void *x = mc_alloc_new(al, 20, 16, NULL); /* class 24 gives only 8: up to 40 (8), fallback */
  CU_ASSERT_EQUAL(p.fallbacks, 1);
  CU_ASSERT_EQUAL(mc_pool_class_of(&p, 20, 16), -1);
  CU_ASSERT_EQUAL(mc_pool_class_of(&p, 10, 16), 0); /* class 16 is aligned to 16 */
  CU_ASSERT_EQUAL(mc_pool_class_of(&p, 24, 8), 1);
  void *ys[40];
  for (int i = 0; i < 40; i++) { /* small slabs: several of them */
    ys[i] = mc_alloc_new(al, 24, 8, NULL);
    CU_ASSERT_FATAL(ys[i] != NULL);
    CU_ASSERT_EQUAL((uintptr_t)ys[i] % 8, 0);
    memset(ys[i], i, 24);
  }
  for (int i = 0; i < 40; i++) CU_ASSERT(((unsigned char *)ys[i])[23] == (unsigned char)i);
  mc_alloc_stats s = st(al);
  CU_ASSERT(s.footprint >= 40 * 24);
  CU_ASSERT_EQUAL(s.requested, 20 + 40 * 24);
  for (int i = 0; i < 40; i++) mc_alloc_free(al, ys[i], 24, 8);
  mc_alloc_free(al, x, 20, 16);
  mc_pool_destroy(&p);
  CU_ASSERT_EQUAL(sys.stats.requested, 0);
}

static void test_pool_alignment_moves_up_a_class(void) {
  mc_system sys;
  mc_system_init(&sys);
  static const size_t cls[] = {8, 24, 32, 48};
  mc_pool p;
  CU_ASSERT_FATAL(mc_pool_init(&p, mc_system_allocator(&sys), cls, 4, 0) == MC_OK);
  mc_alloc al = mc_pool_allocator(&p);
  CU_ASSERT_EQUAL(mc_pool_class_of(&p, 5, 8), 0);
  CU_ASSERT_EQUAL(mc_pool_class_of(&p, 5, 16), 2);  /* 8 and 24 give 8: 32 gives 16 */
  CU_ASSERT_EQUAL(mc_pool_class_of(&p, 40, 16), 3); /* 48 gives 16 */
  CU_ASSERT_EQUAL(mc_pool_class_of(&p, 40, 32), -1);
  void *a[20];
  for (int i = 0; i < 20; i++) {
    a[i] = mc_alloc_new(al, 5, 16, NULL);
    CU_ASSERT_FATAL(a[i] != NULL);
    CU_ASSERT_EQUAL((uintptr_t)a[i] % 16, 0);
  }
  CU_ASSERT_EQUAL(mc_pool_class_live(&p, 2), 20);
  CU_ASSERT_EQUAL(p.fallbacks, 0);
  for (int i = 0; i < 20; i++) mc_alloc_free(al, a[i], 5, 16);
  CU_ASSERT_EQUAL(mc_pool_class_live(&p, 2), 0);
  CU_ASSERT_EQUAL(st(al).requested, 0);
  mc_pool_destroy(&p);
  CU_ASSERT_EQUAL(sys.stats.requested, 0);
}

static void test_pool_reset_and_destroy_with_live_blocks(void) {
  mc_system sys;
  mc_system_init(&sys);
  mc_pool p;
  mc_pool_init(&p, mc_system_allocator(&sys), NULL, 0, 4096);
  mc_alloc al = mc_pool_allocator(&p);
  for (int i = 0; i < 300; i++)
    CU_ASSERT(mc_alloc_new(al, 16 + (size_t)(i % 7) * 40, 8, NULL) != NULL);
  for (int i = 0; i < 5; i++) CU_ASSERT(mc_alloc_new(al, 10000, 64, NULL) != NULL); /* fallbacks */
  mc_alloc_stats before = st(al);
  size_t slab_bytes = before.footprint - 5 * (64 + 10000);
  uint64_t parent_allocs = sys.stats.allocs;
  CU_ASSERT_EQUAL(mc_alloc_reset(al), MC_ENOTSUP); /* not through the vtable */
  CU_ASSERT_EQUAL(st(al).requested, before.requested);
  mc_pool_reset(&p);
  mc_alloc_stats s = st(al);
  CU_ASSERT_EQUAL(s.requested, 0);
  CU_ASSERT_EQUAL(s.live, 0);
  CU_ASSERT_EQUAL(s.resets, 1);
  CU_ASSERT_EQUAL(s.footprint, slab_bytes); /* the fallbacks went back, the slabs stay */
  CU_ASSERT_EQUAL(sys.stats.requested, slab_bytes);
  CU_ASSERT_EQUAL(p.fallbacks, 0);
  for (int i = 0; i < 300; i++)
    CU_ASSERT(mc_alloc_new(al, 16 + (size_t)(i % 7) * 40, 8, NULL) != NULL);
  CU_ASSERT_EQUAL(sys.stats.allocs, parent_allocs); /* the spare slabs served it all */
  CU_ASSERT_EQUAL(st(al).footprint, slab_bytes);
  void *big = mc_alloc_new(al, 70000, 8, NULL);
  CU_ASSERT_PTR_NOT_NULL(big);
  mc_pool_destroy(&p); /* live slots and a live fallback: all of it goes back */
  CU_ASSERT_EQUAL(sys.stats.requested, 0);
  CU_ASSERT_EQUAL(sys.stats.live, 0);
}

static void test_pool_parent_failures_change_nothing(void) {
  mc_system sys;
  mc_system_init(&sys);
  mc_failing f;
  mc_failing_init(&f, mc_system_allocator(&sys), 0, 0);
  static const size_t cls[] = {16, 64};
  mc_pool p;
  mc_pool_init(&p, mc_failing_allocator(&f), cls, 2, 256);
  mc_alloc al = mc_pool_allocator(&p);
  void *held[64];
  int refused = 0;
  for (int i = 0; i < 64; i++) {
    size_t size = (i % 3 == 0) ? 60 : (i % 3 == 1) ? 10 : 100; /* 100: fallback */
    for (uint64_t budget = 0;; budget++) {
      mc_failing_set(&f, budget, 1);
      mc_alloc_stats before = st(al);
      held[i] = mc_alloc_new(al, size, 8, NULL);
      if (held[i]) break;
      refused++;
      mc_alloc_stats after = st(al);
      CU_ASSERT_EQUAL(after.failures, before.failures + 1);
      after.failures = before.failures;
      CU_ASSERT(memcmp(&before, &after, sizeof before) == 0);
      CU_ASSERT_FATAL(budget < 3);
    }
  }
  CU_ASSERT(refused >= 21 + 3); /* every fallback, and every new slab */
  for (int i = 0; i < 64; i++)
    mc_alloc_free(al, held[i], (i % 3 == 0) ? 60 : (i % 3 == 1) ? 10 : 100, 8);
  CU_ASSERT_EQUAL(st(al).requested, 0);
  mc_pool_destroy(&p);
  CU_ASSERT_EQUAL(sys.stats.requested, 0);
  CU_ASSERT_EQUAL(sys.stats.live, 0);
}

static void test_pool_debug_fill_and_check(void) {
#ifdef MC_TEST_LIB_FILLS /* the library itself was built without NDEBUG */
  mc_system sys;
  mc_system_init(&sys);
  mc_pool p;
  mc_pool_init(&p, mc_system_allocator(&sys), NULL, 0, 0);
  mc_alloc al = mc_pool_allocator(&p);
  unsigned char *a = mc_alloc_new(al, 40, 8, NULL);
  unsigned char *b = mc_alloc_new(al, 40, 8, NULL);
  CU_ASSERT(a[0] == 0xAA && a[39] == 0xAA);
  mc_alloc_free(al, a, 40, 8);
  CU_ASSERT(a[8] == 0x55 && a[47] == 0x55); /* past the link word */
  mc_alloc_free(al, b, 100, 8); /* wrong size: not a slot of the 112 class; counted, ignored */
  mc_alloc_stats s = st(al);
  CU_ASSERT_EQUAL(s.misordered, 1);
  CU_ASSERT_EQUAL(s.requested, 40); /* a size that cannot be trusted is not subtracted */
  void *c = mc_alloc_new(al, 100, 8, NULL);
  CU_ASSERT(c != b); /* b's slot never entered the wrong free list */
  mc_alloc_free(al, c, 100, 8);
  mc_pool_destroy(&p);
  CU_ASSERT_EQUAL(sys.stats.requested, 0);
#endif
}

static int add_suites(void) {
  static CU_TestInfo tests[] = {
      {"test_pool_slot_reuse_and_classes", test_pool_slot_reuse_and_classes},
      {"test_pool_fallback_to_parent", test_pool_fallback_to_parent},
      {"test_pool_resize_within_class_in_place", test_pool_resize_within_class_in_place},
      {"test_pool_custom_classes_and_bad_lists", test_pool_custom_classes_and_bad_lists},
      {"test_pool_alignment_moves_up_a_class", test_pool_alignment_moves_up_a_class},
      {"test_pool_reset_and_destroy_with_live_blocks",
       test_pool_reset_and_destroy_with_live_blocks},
      {"test_pool_parent_failures_change_nothing", test_pool_parent_failures_change_nothing},
      {"test_pool_debug_fill_and_check", test_pool_debug_fill_and_check},
      CU_TEST_INFO_NULL,
  };
  return mc_test_add_suite("pool", tests);
}

int main(void) { return mc_test_main(add_suites); }
