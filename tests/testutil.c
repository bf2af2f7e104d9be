/* testutil.c — the allocator table, a file reader and the CUnit runner shared by every suite. */
#include "testutil.h"

#include <stdio.h>
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

/* ---- stack, arena, pool, counting, failing (each over a tracked system parent) ---- */

#define MC_TEST_STACK_CAP ((size_t)64 << 20) /* bytes: untouched pages cost nothing */

typedef struct mc_test_alloc_state {
  mc_system sys; /* the parent (or the region's owner for the stack) */
  union {
    mc_stack stack;
    mc_arena arena;
    mc_pool pool;
    mc_counting counting;
    mc_failing failing;
  } u;
  void *region; /* the stack's buffer */
} mc_test_alloc_state;

static mc_test_alloc_state *state_new(mc_test_env *env) {
  mc_test_alloc_state *st = calloc(1, sizeof *st);
  if (st) mc_system_init(&st->sys);
  env->state = st;
  return st;
}

static int open_stack(mc_test_env *env) {
  mc_test_alloc_state *st = state_new(env);
  if (!st) return MC_ENOMEM;
  st->region = malloc(MC_TEST_STACK_CAP);
  if (!st->region) {
    free(st);
    return MC_ENOMEM;
  }
  mc_stack_init(&st->u.stack, st->region, MC_TEST_STACK_CAP);
  env->al = mc_stack_allocator(&st->u.stack);
  return MC_OK;
}

static void close_stack(mc_test_env *env) {
  mc_test_alloc_state *st = env->state;
  free(st->region);
  free(st);
}

static int open_arena(mc_test_env *env) {
  mc_test_alloc_state *st = state_new(env);
  if (!st) return MC_ENOMEM;
  mc_arena_init(&st->u.arena, mc_system_allocator(&st->sys), 0);
  env->al = mc_arena_allocator(&st->u.arena);
  return MC_OK;
}

static void close_arena(mc_test_env *env) {
  mc_test_alloc_state *st = env->state;
  mc_arena_destroy(&st->u.arena);
  free(st);
}

static int open_pool(mc_test_env *env) {
  mc_test_alloc_state *st = state_new(env);
  if (!st) return MC_ENOMEM;
  mc_pool_init(&st->u.pool, mc_system_allocator(&st->sys), NULL, 0, 0);
  env->al = mc_pool_allocator(&st->u.pool);
  return MC_OK;
}

static void close_pool(mc_test_env *env) {
  mc_test_alloc_state *st = env->state;
  mc_pool_destroy(&st->u.pool);
  free(st);
}

static int open_counting(mc_test_env *env) {
  mc_test_alloc_state *st = state_new(env);
  if (!st) return MC_ENOMEM;
  mc_counting_init(&st->u.counting, mc_system_allocator(&st->sys));
  env->al = mc_counting_allocator(&st->u.counting);
  return MC_OK;
}

static int open_failing(mc_test_env *env) {
  mc_test_alloc_state *st = state_new(env);
  if (!st) return MC_ENOMEM;
  mc_failing_init(&st->u.failing, mc_system_allocator(&st->sys), UINT64_MAX, 0); /* never fails */
  env->al = mc_failing_allocator(&st->u.failing);
  return MC_OK;
}

static void close_plain(mc_test_env *env) { free(env->state); }

/* the collected heap over the system allocator; torture: a collection at every allocation */
static int open_gc_mode(mc_test_env *env, int torture) {
  mc_gc_config cfg;
  mc_gc_config_default(&cfg);
  cfg.torture = torture;
  mc_gc *gc;
  int rc = mc_gc_new(&gc, mc_system_allocator(NULL), &cfg);
  if (rc != MC_OK) return rc;
  env->state = gc;
  env->al = mc_gc_allocator(gc);
  return MC_OK;
}
/* the reference-counting model (CPython's 700/10/10); torture: detection at every allocation */
static int open_rc_mode(mc_test_env *env, int torture) {
  mc_gc_config cfg;
  mc_gc_config_refcount(&cfg);
  cfg.torture = torture;
  mc_gc *gc;
  int rc = mc_gc_new(&gc, mc_system_allocator(NULL), &cfg);
  if (rc != MC_OK) return rc;
  env->state = gc;
  env->al = mc_gc_allocator(gc);
  return MC_OK;
}
static int open_rc(mc_test_env *env) { return open_rc_mode(env, 0); }
static int open_rc_torture(mc_test_env *env) { return open_rc_mode(env, 1); }
static int open_gc(mc_test_env *env) { return open_gc_mode(env, 0); }
static int open_gc_torture(mc_test_env *env) { return open_gc_mode(env, 1); }
static void close_gc(mc_test_env *env) { mc_gc_free(env->state); }

const mc_test_allocator mc_test_allocators[] = {
    {"system", open_system, close_system, 0},
    {"stack", open_stack, close_stack, MC_TEST_BOUNDED | MC_TEST_LIFO},
    {"arena", open_arena, close_arena, MC_TEST_NOFREE},
    {"pool", open_pool, close_pool, 0},
    {"counting(system)", open_counting, close_plain, 0},
    {"failing(system)", open_failing, close_plain, 0},
    {"gc", open_gc, close_gc, MC_TEST_MANAGED},
    {"gc-torture", open_gc_torture, close_gc, MC_TEST_MANAGED | MC_TEST_SLOW},
    {"rc", open_rc, close_gc, MC_TEST_MANAGED},
    {"rc-torture", open_rc_torture, close_gc, MC_TEST_MANAGED | MC_TEST_SLOW},
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
