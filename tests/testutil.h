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

/* Makes the scratch folder, initialises CUnit, calls add_suites, runs everything in verbose
 * basic mode, removes the folder and returns the process exit status: 0 when no assertion
 * failed (and the folder came and went), 1 otherwise (CU_basic_run_tests() reports only
 * framework errors, so the failure count is read before cleanup). */
int mc_test_main(int (*add_suites)(void));

/* The suite's scratch folder (/tmp/mc_test_XXXXXX): mc_test_main makes it before the tests and
 * removes it with everything in it afterwards. */
const char *mc_test_dir(void);

/* Writes mc_test_dir()/name into buf (n bytes). */
void mc_test_path(char *buf, size_t n, const char *name);

/* ---- setups ----------------------------------------------------------------------------- */

/* Opens ta's allocator into *env (a fatal CU assertion when it cannot) and *c, the counting
 * decorator over it; returns c's allocator: what a structure suite runs its structure on. */
mc_alloc mc_test_open_counted(const mc_test_allocator *ta, mc_test_env *env, mc_counting *c);

/* Opens ta's allocator into *env (a fatal CU assertion when it cannot) and *f, the failing
 * decorator over it letting succeed allocations through, then refusing fail of them
 * (mc_failing_init); returns f's allocator. */
mc_alloc mc_test_open_failing(const mc_test_allocator *ta, mc_test_env *env, mc_failing *f,
                              uint64_t succeed, uint64_t fail);

/* Asserts that everything asked through *c was given back (no net growth, nothing live), then
 * closes ta's allocator (*env). */
void mc_test_close_counted(const mc_test_allocator *ta, mc_test_env *env, const mc_counting *c);

/* Starts *sys (a fresh system allocator) and *cnt, the counting decorator over it; returns the
 * counting allocator (cnt's stats see every byte the test asks for). */
mc_alloc mc_test_counting_system(mc_system *sys, mc_counting *cnt);

#endif /* MC_TESTUTIL_H */
