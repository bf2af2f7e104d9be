/* testutil.c — the allocator table and the CUnit runner shared by every suite. */
#include "testutil.h"

#include <stdlib.h>

/* ---- the allocator table ---------------------------------------------------------------- */

static int open_system(mc_test_env *env) {
  mc_system *s = malloc(sizeof *s);
  if (!s) return MC_ENOMEM;
  mc_system_init(s);
  env->state = s;
  env->al = mc_system_allocator(s);
  return MC_OK;
}

static void close_system(mc_test_env *env) { free(env->state); }

const mc_test_allocator mc_test_allocators[] = {
    {"system", open_system, close_system, 0},
    {NULL, NULL, NULL, 0},
};

size_t mc_test_nallocators(void) {
  size_t n = 0;
  while (mc_test_allocators[n].name) n++;
  return n;
}

/* ---- running ---------------------------------------------------------------------------- */

int mc_test_add_suite(const char *name, CU_TestInfo *tests) {
  CU_SuiteInfo suites[] = {{name, NULL, NULL, NULL, NULL, tests}, CU_SUITE_INFO_NULL};
  return CU_register_suites(suites);
}

int mc_test_main(int (*add_suites)(void)) {
  if (CU_initialize_registry() != CUE_SUCCESS) return 2;
  if (add_suites() != CUE_SUCCESS) {
    CU_cleanup_registry();
    return 2;
  }
  CU_basic_set_mode(CU_BRM_VERBOSE);
  CU_basic_run_tests();
  unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
  int framework = CU_get_error() != CUE_SUCCESS;
  CU_cleanup_registry();
  return (failed || framework) ? 1 : 0;
}
