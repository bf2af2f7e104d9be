/* gc_verify.h — the collector's tests check its invariants (mc__gc_verify, I1-I10 in
 * gc/mc_gc_internal.h) before and after every collection: gc_verify_each registers a
 * callback that runs the verifier and fails the current test with the broken invariant's
 * sentence. */
#ifndef MC_TEST_GC_VERIFY_H
#define MC_TEST_GC_VERIFY_H

#include <stdio.h>

#include "mc_gc_internal.h"
#include "testutil.h"

static unsigned long gc_verify_runs; /* verifications run by this suite (reported at exit) */

/* Verifies gc now (CU assertion carrying the broken invariant's sentence; after a collection,
 * "file" says so and "line" is the generation collected). */
static inline void gc_verify_now(mc_gc *gc, const char *file, int line) {
  const char *what = "mc__gc_verify: MC_OK";
  int r = mc__gc_verify(gc, &what);
  gc_verify_runs++;
  CU_assertImplementation(r == MC_OK, (unsigned)line, what, file, "", CU_FALSE);
}
#define GC_VERIFY(gc) gc_verify_now((gc), __FILE__, __LINE__)

static inline void gc_verify_on_collect(const mc_gc_info *info, void *arg) {
  gc_verify_now((mc_gc *)arg, info->phase ? "after a collection" : "before a collection",
                info->generation);
}

/* From now on gc is verified at the start and at the end of every collection (automatic,
 * emergency, torture, explicit): a broken invariant is seen before the collection acts on it
 * (a young object a missing remembered entry hides is freed, and the evidence with it). */
static inline void gc_verify_each(mc_gc *gc) {
  CU_ASSERT_FATAL(mc_gc_callback_add(gc, gc_verify_on_collect, gc) == MC_OK);
}

/* A tracing collector over the system allocator, verified at every collection: the default
 * configuration but for threshold0 (when >= 0) and torture (a fatal CU assertion when it cannot
 * be made). */
static inline mc_gc *gc_verify_new(int threshold0, int torture) {
  mc_gc_config cfg;
  mc_gc_config_default(&cfg);
  if (threshold0 >= 0) cfg.threshold[0] = threshold0;
  cfg.torture = torture;
  mc_gc *gc = NULL;
  CU_ASSERT_FATAL(mc_gc_new(&gc, mc_system_allocator(NULL), &cfg) == MC_OK);
  gc_verify_each(gc);
  return gc;
}

/* mc_test_main for the collector's suites, then how many verifications ran (to stdout). */
static inline int gc_verify_main(int (*add_suites)(void)) {
  int r = mc_test_main(add_suites);
  printf("gc invariants verified %lu times\n", gc_verify_runs);
  return r;
}

#endif /* MC_TEST_GC_VERIFY_H */
