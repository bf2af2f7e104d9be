/* test_stack.c — the stack allocator's own semantics: LIFO pops give bytes back (padding
 * included), out-of-order frees are held until the top unwinds past them, overflow is a counted
 * NULL, marks, in-place resize of the top, and a region on the caller's own call stack. */
#include <string.h>

#include "testutil.h"

static mc_alloc_stats st(mc_alloc al) {
  mc_alloc_stats s;
  mc_alloc_get_stats(al, &s);
  return s;
}

static void test_stack_on_call_stack_lifo(void) {
  _Alignas(16) unsigned char buf[1024];
  mc_stack s;
  CU_ASSERT_FATAL(mc_stack_init(&s, buf, sizeof buf) == MC_OK);
  mc_alloc al = mc_stack_allocator(&s);
  CU_ASSERT_STRING_EQUAL(mc_alloc_name(al), "stack");
  unsigned char *a = mc_alloc_new(al, 10, 1, NULL);
  unsigned char *b = mc_alloc_new(al, 20, 8, NULL);
  CU_ASSERT_FATAL(a && b);
  CU_ASSERT(a >= buf && b + 20 <= buf + sizeof buf);
  CU_ASSERT(b > a + 10); /* upwards, with a header between */
  mc_alloc_stats x = st(al);
  CU_ASSERT_EQUAL(x.requested, 30);
  CU_ASSERT_EQUAL(x.footprint, mc_stack_used(&s));
  CU_ASSERT_EQUAL(x.footprint, (size_t)(b + 20 - buf));
  mc_alloc_free(al, b, 20, 8);
  CU_ASSERT_EQUAL(mc_stack_used(&s), (size_t)(a + 10 - buf)); /* back to the end of a */
  unsigned char *c = mc_alloc_new(al, 20, 8, NULL);
  CU_ASSERT_PTR_EQUAL(c, b); /* the same place again */
  mc_alloc_free(al, c, 20, 8);
  mc_alloc_free(al, a, 10, 1);
  x = st(al);
  CU_ASSERT_EQUAL(x.footprint, 0);
  CU_ASSERT_EQUAL(x.requested, 0);
  CU_ASSERT_EQUAL(x.misordered, 0);
  CU_ASSERT_EQUAL(x.allocs, 3);
  CU_ASSERT_EQUAL(x.frees, 3);
  CU_ASSERT_EQUAL(x.footprint_peak, (size_t)(b + 20 - buf));
}

static void test_stack_overflow_is_counted_null(void) {
  _Alignas(16) unsigned char buf[256];
  mc_stack s;
  mc_stack_init(&s, buf, sizeof buf);
  mc_alloc al = mc_stack_allocator(&s);
  void *a = mc_alloc_new(al, 200, 8, NULL);
  CU_ASSERT_FATAL(a != NULL);
  mc_alloc_stats before = st(al);
  CU_ASSERT_PTR_NULL(mc_alloc_new(al, 100, 8, NULL));
  CU_ASSERT_PTR_NULL(mc_alloc_new(al, 8, 4096, NULL)); /* the padding does not fit */
  CU_ASSERT_PTR_NULL(mc_alloc_resize(al, a, 200, 1000, 8));
  mc_alloc_stats after = st(al);
  CU_ASSERT_EQUAL(after.failures, before.failures + 3);
  after.failures = before.failures;
  CU_ASSERT(memcmp(&before, &after, sizeof before) == 0);
  /* exactly full works: the top grows in place up to the end of the region */
  size_t room = mc_stack_available(&s);
  void *g = mc_alloc_resize(al, a, 200, 200 + room, 8);
  CU_ASSERT_PTR_EQUAL(g, a);
  CU_ASSERT_EQUAL(mc_stack_available(&s), 0);
  mc_alloc_free(al, a, 200 + room, 8);
  /* an empty region: everything overflows, nothing crashes */
  mc_stack e;
  CU_ASSERT(mc_stack_init(&e, NULL, 0) == MC_OK);
  CU_ASSERT_PTR_NULL(mc_alloc_new(mc_stack_allocator(&e), 1, 1, NULL));
  CU_ASSERT(mc_stack_init(&e, NULL, 10) == MC_EINVAL);
}

static void test_stack_misordered_free_held_until_unwound(void) {
  _Alignas(16) unsigned char buf[4096];
  mc_stack s;
  mc_stack_init(&s, buf, sizeof buf);
  mc_alloc al = mc_stack_allocator(&s);
  void *a = mc_alloc_new(al, 100, 16, NULL);
  void *b = mc_alloc_new(al, 100, 16, NULL);
  void *c = mc_alloc_new(al, 100, 16, NULL);
  void *d = mc_alloc_new(al, 100, 16, NULL);
  size_t full = mc_stack_used(&s);
  mc_alloc_free(al, b, 100, 16);
  mc_alloc_free(al, c, 100, 16);
  mc_alloc_stats x = st(al);
  CU_ASSERT_EQUAL(x.requested, 200);
  CU_ASSERT_EQUAL(x.live, 2);
  CU_ASSERT_EQUAL(x.footprint, full); /* held */
  CU_ASSERT_EQUAL(x.misordered, 2);
  mc_alloc_free(al, c, 100, 16); /* twice: counted, ignored */
  mc_alloc_free(al, buf + 4000, 8, 8); /* not a block: counted, ignored */
  x = st(al);
  CU_ASSERT_EQUAL(x.requested, 200);
  CU_ASSERT_EQUAL(x.misordered, 4);
  CU_ASSERT_EQUAL(x.frees, 2);
  mc_alloc_free(al, d, 100, 16); /* pops d, then c and b */
  x = st(al);
  CU_ASSERT_EQUAL(x.footprint, (size_t)((unsigned char *)a + 100 - buf));
  CU_ASSERT_EQUAL(x.requested, 100);
  mc_alloc_free(al, a, 100, 16);
  CU_ASSERT_EQUAL(st(al).footprint, 0);
}

static void test_stack_marks(void) {
  _Alignas(16) unsigned char buf[8192];
  mc_stack s;
  mc_stack_init(&s, buf, sizeof buf);
  mc_alloc al = mc_stack_allocator(&s);
  void *keep = mc_alloc_new(al, 64, 8, NULL);
  mc_stack_mark m0 = mc_stack_save(&s);
  size_t used0 = mc_stack_used(&s);
  void *x = mc_alloc_new(al, 100, 8, NULL);
  mc_stack_mark m1 = mc_stack_save(&s);
  void *y = mc_alloc_new(al, 200, 64, NULL);
  void *z = mc_alloc_new(al, 300, 8, NULL);
  CU_ASSERT_FATAL(keep && x && y && z);
  mc_alloc_free(al, y, 200, 64); /* out of order, below z */
  CU_ASSERT_EQUAL(st(al).requested, 64 + 100 + 300);
  CU_ASSERT_EQUAL(mc_stack_restore(&s, m1), MC_OK); /* drops z (live) and y (held) */
  mc_alloc_stats r = st(al);
  CU_ASSERT_EQUAL(r.requested, 164);
  CU_ASSERT_EQUAL(r.live, 2);
  CU_ASSERT_EQUAL(mc_stack_used(&s), m1.top);
  CU_ASSERT_EQUAL(mc_stack_restore(&s, m0), MC_OK);
  CU_ASSERT_EQUAL(st(al).requested, 64);
  CU_ASSERT_EQUAL(mc_stack_used(&s), used0);
  /* m1 is gone now: restoring it is refused and changes nothing */
  mc_alloc_stats before = st(al);
  CU_ASSERT_EQUAL(mc_stack_restore(&s, m1), MC_EINVAL);
  mc_alloc_stats after = st(al);
  CU_ASSERT(memcmp(&before, &after, sizeof before) == 0);
  /* a mark whose block was freed out of order: restoring unwinds past it */
  void *p = mc_alloc_new(al, 50, 8, NULL);
  mc_stack_mark m2 = mc_stack_save(&s);
  void *q = mc_alloc_new(al, 50, 8, NULL);
  mc_alloc_free(al, p, 50, 8);
  (void)q;
  CU_ASSERT_EQUAL(mc_stack_restore(&s, m2), MC_OK);
  CU_ASSERT_EQUAL(mc_stack_used(&s), used0);
  CU_ASSERT_EQUAL(st(al).live, 1);
  /* restore to the empty mark drops everything */
  mc_stack_mark empty = {0, MC_STACK_NONE};
  CU_ASSERT_EQUAL(mc_stack_restore(&s, empty), MC_OK);
  r = st(al);
  CU_ASSERT_EQUAL(r.requested, 0);
  CU_ASSERT_EQUAL(r.live, 0);
  CU_ASSERT_EQUAL(r.footprint, 0);
}

static void test_stack_resize(void) {
  _Alignas(16) unsigned char buf[4096];
  mc_stack s;
  mc_stack_init(&s, buf, sizeof buf);
  mc_alloc al = mc_stack_allocator(&s);
  unsigned char *a = mc_alloc_new(al, 16, 8, NULL);
  unsigned char *b = mc_alloc_new(al, 16, 8, NULL);
  memset(a, 'a', 16);
  memset(b, 'b', 16);
  unsigned char *b2 = mc_alloc_resize(al, b, 16, 1000, 8); /* the top: in place */
  CU_ASSERT_PTR_EQUAL(b2, b);
  CU_ASSERT_EQUAL(mc_stack_used(&s), (size_t)(b + 1000 - buf));
  b2 = mc_alloc_resize(al, b, 1000, 10, 8);
  CU_ASSERT_PTR_EQUAL(b2, b);
  CU_ASSERT_EQUAL(mc_stack_used(&s), (size_t)(b + 10 - buf));
  unsigned char *a2 = mc_alloc_resize(al, a, 16, 8, 8); /* buried shrink: in place */
  CU_ASSERT_PTR_EQUAL(a2, a);
  a2 = mc_alloc_resize(al, a, 8, 100, 8); /* buried growth: moves to the top */
  CU_ASSERT_FATAL(a2 != NULL);
  CU_ASSERT(a2 > b);
  CU_ASSERT(a2[0] == 'a' && a2[7] == 'a');
  mc_alloc_stats x = st(al);
  CU_ASSERT_EQUAL(x.requested, 110);
  CU_ASSERT_EQUAL(x.live, 2);
  CU_ASSERT_EQUAL(x.misordered, 1); /* the old copy is held */
  CU_ASSERT_EQUAL(x.resizes, 4);
  mc_alloc_free(al, a2, 100, 8);
  mc_alloc_free(al, b, 10, 8); /* unwinds past the old copy of a too */
  x = st(al);
  CU_ASSERT_EQUAL(x.footprint, 0);
  CU_ASSERT_EQUAL(x.requested, 0);
}

static void test_stack_reset_and_alignment_padding(void) {
  _Alignas(16) unsigned char buf[16384];
  mc_stack s;
  mc_stack_init(&s, buf, sizeof buf);
  mc_alloc al = mc_stack_allocator(&s);
  void *a = mc_alloc_new(al, 1, 1, NULL);
  void *b = mc_alloc_new(al, 1, 4096, NULL);
  CU_ASSERT_FATAL(a && b);
  CU_ASSERT_EQUAL((uintptr_t)b % 4096, 0);
  size_t after_a = (size_t)((unsigned char *)a + 1 - buf);
  mc_alloc_free(al, b, 1, 4096);
  CU_ASSERT_EQUAL(mc_stack_used(&s), after_a); /* the padding came back */
  CU_ASSERT_EQUAL(mc_alloc_reset(al), MC_OK);
  mc_alloc_stats x = st(al);
  CU_ASSERT_EQUAL(x.footprint, 0);
  CU_ASSERT_EQUAL(x.requested, 0);
  CU_ASSERT_EQUAL(x.live, 0);
  CU_ASSERT_EQUAL(x.resets, 1);
  CU_ASSERT_PTR_EQUAL(mc_alloc_new(al, 1, 1, NULL), a); /* from the start again */
}

static void test_stack_debug_fill(void) {
#ifdef MC_TEST_LIB_FILLS /* the library itself was built without NDEBUG */
  _Alignas(16) unsigned char buf[512];
  mc_stack s;
  mc_stack_init(&s, buf, sizeof buf);
  mc_alloc al = mc_stack_allocator(&s);
  unsigned char *a = mc_alloc_new(al, 32, 8, NULL);
  unsigned char *b = mc_alloc_new(al, 32, 8, NULL);
  CU_ASSERT(a[0] == 0xAA && a[31] == 0xAA);
  mc_alloc_free(al, a, 32, 8); /* held, but filled */
  CU_ASSERT(a[0] == 0x55 && a[31] == 0x55);
  (void)b;
#endif
}

static int add_suites(void) {
  static CU_TestInfo tests[] = {
      {"test_stack_on_call_stack_lifo", test_stack_on_call_stack_lifo},
      {"test_stack_overflow_is_counted_null", test_stack_overflow_is_counted_null},
      {"test_stack_misordered_free_held_until_unwound",
       test_stack_misordered_free_held_until_unwound},
      {"test_stack_marks", test_stack_marks},
      {"test_stack_resize", test_stack_resize},
      {"test_stack_reset_and_alignment_padding", test_stack_reset_and_alignment_padding},
      {"test_stack_debug_fill", test_stack_debug_fill},
      CU_TEST_INFO_NULL,
  };
  return mc_test_add_suite("stack", tests);
}

int main(void) { return mc_test_main(add_suites); }
