/* testutil.h — what every CUnit suite shares: the table of allocators that each structure runs
 * under, a seeded PRNG, and a main() that returns non-zero when any assertion failed. */
#ifndef MC_TESTUTIL_H
#define MC_TESTUTIL_H

#include <CUnit/Basic.h>
#include <stdint.h>

#include "mc_allocators.h"
#include "memcurve.h"

/* ---- every allocator, through the vtable ------------------------------------------------ */

/* The tests' allocators are the rows of the one allocator table (benches/harness/
 * mc_allocators.c) marked MC_AL_TESTS; an entry's open/close/flags are the row's. */
enum {
  MC_TEST_BOUNDED = MC_AL_BOUNDED, /* fixed capacity (stack): a big enough region is provided */
  MC_TEST_LIFO = MC_AL_LIFO,       /* only top-of-stack frees give memory back */
  MC_TEST_MANAGED = MC_AL_MANAGED, /* a collected heap: roots and barriers are live */
  MC_TEST_NOFREE = MC_AL_NOFREE,   /* frees other than the latest only count (arena) */
  MC_TEST_SLOW = MC_AL_SLOW,       /* every operation is expensive (collector torture mode):
                                      suites scale long random sequences down, e.g. to 1/50 */
};

typedef mc_al_env mc_test_env;          /* env.al: the allocator under test */
typedef mc_allocator mc_test_allocator; /* name, open, close, flags */

/* Every allocator a structure must run under, ending with an entry whose name is NULL (filled
 * from mc_allocators before main runs). */
extern mc_test_allocator mc_test_allocators[];

/* Number of entries in mc_test_allocators (the NULL terminator excluded). */
size_t mc_test_nallocators(void);

/* ---- randomness: xorshift64*, so a failing seed replays exactly ---------------------- */

typedef struct mc_test_rng {
  uint64_t s;
} mc_test_rng;

static inline void mc_test_rng_seed(mc_test_rng *r, uint64_t seed) {
  r->s = seed ? seed : 0x9E3779B97F4A7C15ull;
}
static inline uint64_t mc_test_rng_next(mc_test_rng *r) {
  r->s ^= r->s >> 12;
  r->s ^= r->s << 25;
  r->s ^= r->s >> 27;
  return r->s * 0x2545F4914F6CDD1Dull;
}
/* Uniform in [0, n); n > 0. */
static inline uint64_t mc_test_rng_below(mc_test_rng *r, uint64_t n) {
  return mc_test_rng_next(r) % n;
}

/* ---- files ------------------------------------------------------------------------------ */

/* The whole file at path, NUL-terminated, in a malloc'd buffer the caller frees; NULL if it
 * cannot be opened or memory runs out. */
char *mc_test_slurp(const char *path);

/* ---- running ---------------------------------------------------------------------------- */

/* Adds a suite named name with the given tests ({NULL, NULL}-terminated CU_TestInfo array).
 * Returns CUE_SUCCESS or the CUnit error. */
int mc_test_add_suite(const char *name, CU_TestInfo *tests);

/* Initialises CUnit, calls add_suites, runs everything in verbose basic mode and returns
 * the process exit status: 0 when no assertion failed, 1 otherwise (CU_basic_run_tests()
 * reports only framework errors, so the failure count is read before cleanup). */
int mc_test_main(int (*add_suites)(void));

#endif /* MC_TESTUTIL_H */
