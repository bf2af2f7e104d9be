/* test_system.c — the system allocator's own accounting (the conformance suite covers the
 * contract shared by every allocator). */
#include <malloc.h>
#include <string.h>

#include "testutil.h"

static void test_system_accounts_exact_bytes(void) {
  mc_system s;
  mc_system_init(&s);
  mc_alloc al = mc_system_allocator(&s);
  void *a = mc_alloc_new(al, 100, 8, NULL);
  void *b = mc_alloc_new(al, 1000, 256, NULL);
  CU_ASSERT_FATAL(a && b);
  CU_ASSERT_EQUAL(((uintptr_t)b) % 256, 0);
  mc_alloc_stats st;
  mc_alloc_get_stats(al, &st);
  CU_ASSERT_EQUAL(st.requested, 1100);
  CU_ASSERT_EQUAL(st.footprint, malloc_usable_size(a) + malloc_usable_size(b));
  CU_ASSERT_EQUAL(st.live, 2);
  CU_ASSERT_EQUAL(st.allocs, 2);
  mc_alloc_free(al, a, 100, 8);
  mc_alloc_free(al, b, 1000, 256);
  mc_alloc_get_stats(al, &st);
  CU_ASSERT_EQUAL(st.requested, 0);
  CU_ASSERT_EQUAL(st.footprint, 0);
  CU_ASSERT_EQUAL(st.requested_peak, 1100);
  CU_ASSERT_EQUAL(st.frees, 2);
}

static void test_system_untracked_keeps_zero_stats(void) {
  mc_alloc al = mc_system_allocator(NULL);
  void *a = mc_alloc_new(al, 64, 16, NULL);
  CU_ASSERT_FATAL(a != NULL);
  memset(a, 1, 64);
  a = mc_alloc_resize(al, a, 64, 4096, 16);
  CU_ASSERT_FATAL(a != NULL);
  mc_alloc_stats st;
  mc_alloc_get_stats(al, &st);
  CU_ASSERT_EQUAL(st.allocs, 0);
  CU_ASSERT_EQUAL(st.requested, 0);
  mc_alloc_free(al, a, 4096, 16);
}

static int add_suites(void) {
  static CU_TestInfo tests[] = {
      {"test_system_accounts_exact_bytes", test_system_accounts_exact_bytes},
      {"test_system_untracked_keeps_zero_stats", test_system_untracked_keeps_zero_stats},
      CU_TEST_INFO_NULL,
  };
  return mc_test_add_suite("system", tests);
}

int main(void) { return mc_test_main(add_suites); }
