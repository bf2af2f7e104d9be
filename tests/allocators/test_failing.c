/* test_failing.c — the failing decorator: succeed N, fail M, then succeed again (SQLite's
 * faultsimConfig), MC_FAILING_FOREVER, restarting the countdown, refusals that never reach the
 * parent, stats, and forwarding of type and reset. */
#include <string.h>

#include "testutil.h"

static mc_alloc_stats st(mc_alloc al) {
  mc_alloc_stats s;
  mc_alloc_get_stats(al, &s);
  return s;
}

static void test_failing_succeed_then_fail_then_succeed(void) {
  mc_system sys;
  mc_system_init(&sys);
  mc_failing f;
  mc_failing_init(&f, mc_system_allocator(&sys), 3, 2);
  mc_alloc al = mc_failing_allocator(&f);
  CU_ASSERT_STRING_EQUAL(mc_alloc_name(al), "failing");
  void *p[8];
  int pattern[8];
  for (int i = 0; i < 8; i++) {
    p[i] = mc_alloc_new(al, 32, 8, NULL);
    pattern[i] = p[i] != NULL;
  }
  static const int want[8] = {1, 1, 1, 0, 0, 1, 1, 1};
  CU_ASSERT(memcmp(pattern, want, sizeof want) == 0);
  CU_ASSERT_EQUAL(mc_failing_failed(&f), 2);
  CU_ASSERT_EQUAL(f.attempts, 8);
  CU_ASSERT_EQUAL(sys.stats.allocs, 6); /* refusals never reached the parent */
  CU_ASSERT_EQUAL(sys.stats.failures, 0);
  mc_alloc_stats s = st(al);
  CU_ASSERT_EQUAL(s.failures, 2); /* the parent's stats plus the refusals */
  CU_ASSERT_EQUAL(s.allocs, 6);
  CU_ASSERT_EQUAL(s.requested, 6 * 32);
  for (int i = 0; i < 8; i++) mc_alloc_free(al, p[i], 32, 8); /* NULL ones are no-ops */
  CU_ASSERT_EQUAL(sys.stats.requested, 0);
}

static void test_failing_forever_and_set(void) {
  mc_system sys;
  mc_system_init(&sys);
  mc_failing f;
  mc_failing_init(&f, mc_system_allocator(&sys), 1, MC_FAILING_FOREVER);
  mc_alloc al = mc_failing_allocator(&f);
  void *a = mc_alloc_new(al, 10, 8, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL(a);
  memcpy(a, "0123456789", 10);
  for (int i = 0; i < 1000; i++) CU_ASSERT_PTR_NULL(mc_alloc_new(al, 10, 8, NULL));
  CU_ASSERT_PTR_NULL(mc_alloc_resize(al, a, 10, 5, 8)); /* shrinking resizes count too */
  CU_ASSERT(memcmp(a, "0123456789", 10) == 0);
  CU_ASSERT_EQUAL(mc_failing_failed(&f), 1001);
  mc_failing_set(&f, 2, 0); /* restart: never fail */
  void *b = mc_alloc_resize(al, a, 10, 1000, 8);
  CU_ASSERT_PTR_NOT_NULL_FATAL(b);
  CU_ASSERT(memcmp(b, "0123456789", 10) == 0);
  for (int i = 0; i < 10; i++) {
    void *c = mc_alloc_new(al, 10, 8, NULL);
    CU_ASSERT_PTR_NOT_NULL(c);
    mc_alloc_free(al, c, 10, 8);
  }
  CU_ASSERT_EQUAL(mc_failing_failed(&f), 1001);
  mc_alloc_free(al, b, 1000, 8);
  CU_ASSERT_EQUAL(sys.stats.requested, 0);
  /* size 0 and bad alignments never reach the decorator: they take no step */
  mc_failing_set(&f, 0, 1);
  CU_ASSERT_PTR_NOT_NULL(mc_alloc_new(al, 0, 8, NULL));
  CU_ASSERT_EQUAL(f.fail, 1);
}

static const mc_type *seen_type;
static int seen_resets;
static void *rec_alloc(void *ctx, size_t size, size_t align, const mc_type *type) {
  seen_type = type;
  mc_alloc s = mc_system_allocator(ctx);
  return s.vt->alloc(s.ctx, size, align, type);
}
static void rec_free(void *ctx, void *p, size_t size, size_t align) {
  mc_alloc s = mc_system_allocator(ctx);
  s.vt->free(s.ctx, p, size, align);
}
static void *rec_resize(void *ctx, void *p, size_t o, size_t n, size_t align) {
  mc_alloc s = mc_system_allocator(ctx);
  return s.vt->resize(s.ctx, p, o, n, align);
}
static void rec_reset(void *ctx) {
  (void)ctx;
  seen_resets++;
}
static void rec_stats(void *ctx, mc_alloc_stats *out) { *out = ((mc_system *)ctx)->stats; }
static int roots;
static void rec_root(void *ctx, void **slot, int add) {
  (void)ctx, (void)slot;
  roots += add ? 1 : -1;
}

static void test_failing_forwards(void) {
  mc_system sys;
  mc_system_init(&sys);
  static const mc_alloc_vtbl vt = {"rec",     rec_alloc, rec_resize, rec_free,
                                   rec_reset, rec_stats, rec_root,   NULL};
  mc_failing f;
  mc_failing_init(&f, (mc_alloc){&vt, &sys}, MC_FAILING_FOREVER, 0);
  mc_alloc al = mc_failing_allocator(&f);
  static const mc_type leafish = {"t", MC_TYPE_PTR_ARRAY, NULL, 0, NULL, 0};
  void *p = mc_alloc_new(al, 64, 8, &leafish);
  CU_ASSERT_PTR_EQUAL(seen_type, &leafish);
  CU_ASSERT_EQUAL(mc_alloc_reset(al), MC_OK);
  CU_ASSERT_EQUAL(seen_resets, 1);
  void *slot = NULL;
  mc_root_add(al, &slot);
  CU_ASSERT_EQUAL(roots, 1);
  mc_root_remove(al, &slot);
  CU_ASSERT_EQUAL(roots, 0);
  void *obj[1];
  mc_store(al, obj, &obj[0], p); /* the parent has no barrier: a plain store */
  CU_ASSERT_PTR_EQUAL(obj[0], p);
  mc_alloc_free(al, p, 64, 8);
  CU_ASSERT_EQUAL(sys.stats.requested, 0);
  /* over the plain system allocator: no reset, no root */
  mc_failing g;
  mc_failing_init(&g, mc_system_allocator(&sys), 0, 0);
  mc_alloc ga = mc_failing_allocator(&g);
  CU_ASSERT_EQUAL(mc_alloc_reset(ga), MC_ENOTSUP);
  CU_ASSERT_PTR_NULL(ga.vt->root);
}

static int add_suites(void) {
  static CU_TestInfo tests[] = {
      {"test_failing_succeed_then_fail_then_succeed", test_failing_succeed_then_fail_then_succeed},
      {"test_failing_forever_and_set", test_failing_forever_and_set},
      {"test_failing_forwards", test_failing_forwards},
      CU_TEST_INFO_NULL,
  };
  return mc_test_add_suite("failing", tests);
}

int main(void) { return mc_test_main(add_suites); }
