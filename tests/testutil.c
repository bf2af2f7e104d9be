/* testutil.c — the tests' allocator table (from mc_allocators), a file reader and the CUnit runner
 * shared by every suite. */
#define _GNU_SOURCE /* mkdtemp, nftw */
#include "testutil.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- the allocator table: the rows of mc_allocators marked MC_AL_TESTS ---------------- */

#define MC_TEST_MAX_ALLOCATORS 32
mc_test_allocator mc_test_allocators[MC_TEST_MAX_ALLOCATORS];

__attribute__((constructor)) static void fill_test_allocators(void) {
  size_t n = 0;
  for (const mc_allocator *a = mc_allocators; a->name && n + 1 < MC_TEST_MAX_ALLOCATORS; a++)
    if (a->flags & MC_AL_TESTS) mc_test_allocators[n++] = *a;
  mc_test_allocators[n].name = NULL;
}

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

static char scratch[] = "/tmp/mc_test_XXXXXX";

const char *mc_test_dir(void) { return scratch; }

void mc_test_path(char *buf, size_t n, const char *name) {
  snprintf(buf, n, "%s/%s", scratch, name);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  (void)st, (void)flag, (void)ftw;
  return remove(path);
}

static int run_registered(int (*add_suites)(void)) {
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

int mc_test_main(int (*add_suites)(void)) {
  if (!mkdtemp(scratch)) return 1;
  int rc = run_registered(add_suites);
  if (nftw(scratch, remove_one, 16, FTW_DEPTH | FTW_PHYS) != 0 && rc == 0) rc = 1;
  return rc;
}

/* ---- setups ----------------------------------------------------------------------------- */

mc_alloc mc_test_open_counted(const mc_test_allocator *ta, mc_test_env *env, mc_counting *c) {
  CU_ASSERT_FATAL(ta->open(env) == MC_OK);
  mc_counting_init(c, env->al);
  return mc_counting_allocator(c);
}

mc_alloc mc_test_open_failing(const mc_test_allocator *ta, mc_test_env *env, mc_failing *f,
                              uint64_t succeed, uint64_t fail) {
  CU_ASSERT_FATAL(ta->open(env) == MC_OK);
  mc_failing_init(f, env->al, succeed, fail);
  return mc_failing_allocator(f);
}

void mc_test_close_counted(const mc_test_allocator *ta, mc_test_env *env, const mc_counting *c) {
  CU_ASSERT_EQUAL(c->net_heap_growth, 0);
  CU_ASSERT_EQUAL(c->stats.live, 0);
  ta->close(env);
}

mc_alloc mc_test_counting_system(mc_system *sys, mc_counting *cnt) {
  mc_system_init(sys);
  mc_counting_init(cnt, mc_system_allocator(sys));
  return mc_counting_allocator(cnt);
}

/* ---- files ------------------------------------------------------------------------------ */

char *mc_test_slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  char *buf = NULL;
  size_t len = 0, cap = 0, got;
  do {
    if (cap - len < 4096) {
      char *nb = realloc(buf, cap + 65536);
      if (!nb) {
        free(buf);
        fclose(f);
        return NULL;
      }
      buf = nb;
      cap += 65536;
    }
    got = fread(buf + len, 1, cap - len - 1, f);
    len += got;
  } while (got > 0);
  fclose(f);
  buf[len] = '\0';
  return buf;
}
