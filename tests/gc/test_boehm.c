/* test_boehm.c — libgc behind the vtable: alloc/resize/free, alignment, stats, and the
 * binary-trees output under Boehm. */
#include <string.h>

#include "mc_gcwork.h"
#include "testutil.h"

static void test_boehm_alloc_resize_free(void) {
  mc_boehm b;
  mc_boehm_init(&b);
  mc_alloc al = mc_boehm_allocator(&b);
  CU_ASSERT_STRING_EQUAL(mc_alloc_name(al), "boehm");
  char *p = mc_alloc_new(al, 100, 8, NULL);
  CU_ASSERT_FATAL(p != NULL);
  memset(p, 7, 100);
  p = mc_alloc_resize(al, p, 100, 5000, 8);
  CU_ASSERT_FATAL(p != NULL);
  CU_ASSERT(p[99] == 7);
  char *q = mc_alloc_new(al, 300, 256, &mc_gcwork_tree_type);
  CU_ASSERT_FATAL(q != NULL);
  CU_ASSERT_EQUAL((uintptr_t)q % 256, 0);
  q[0] = 1;
  q = mc_alloc_resize(al, q, 300, 600, 256);
  CU_ASSERT_FATAL(q != NULL);
  CU_ASSERT_EQUAL((uintptr_t)q % 256, 0);
  CU_ASSERT(q[0] == 1);
  mc_alloc_stats st;
  mc_alloc_get_stats(al, &st);
  CU_ASSERT_EQUAL(st.requested, 5600);
  CU_ASSERT(st.footprint > 0);
  mc_alloc_free(al, p, 5000, 8);
  mc_alloc_free(al, q, 600, 256);
  mc_alloc_get_stats(al, &st);
  CU_ASSERT_EQUAL(st.requested, 0);
  CU_ASSERT_EQUAL(st.allocs, 2);
  CU_ASSERT_EQUAL(st.frees, 2);
}

static void line(void *arg, const char *l) {
  size_t *n = arg;
  if (strstr(l, "check: ")) (*n)++;
}

static void test_boehm_binary_trees(void) {
  mc_boehm b;
  mc_boehm_init(&b);
  size_t lines = 0;
  mc_gcwork_opts o = {NULL, NULL, 0, line, &lines, 0};
  CU_ASSERT_EQUAL(mc_gcwork_binary_trees(mc_boehm_allocator(&b), 12, &o), MC_OK);
  CU_ASSERT_EQUAL(lines, 7); /* stretch, depths 4..12, long lived */
  mc_boehm_collect(&b);
  mc_alloc_stats st;
  mc_alloc_get_stats(mc_boehm_allocator(&b), &st);
  CU_ASSERT(st.collections > 0);
}

static int add_suites(void) {
  static CU_TestInfo tests[] = {
      {"test_boehm_alloc_resize_free", test_boehm_alloc_resize_free},
      {"test_boehm_binary_trees", test_boehm_binary_trees},
      CU_TEST_INFO_NULL,
  };
  return mc_test_add_suite("boehm", tests);
}

int main(void) { return mc_test_main(add_suites); }
