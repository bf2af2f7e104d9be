/* test_regions.c — the region-shaped workload (benches/harness/shared/mc_regions.c) under every
 * allocator of the tests' table: the counting decorator over it sees exactly the bytes the
 * workload says are live (its peak to the byte, zero at the end), the same operations
 * everywhere; arena and stack reset once per phase and copy the survivors back, the others
 * never reset; under the collected heaps it finishes with every object reachable until dropped. */
#include <stdio.h>
#include <string.h>

#include "mc_allocators.h"
#include "mc_regions.h"
#include "testutil.h"

#define N 20000
#define SEED 7

typedef struct seen {
  uint64_t ticks, phases, max_live;
} seen;
static void on_tick(void *arg, uint64_t live) {
  seen *s = arg;
  s->ticks++;
  if (live > s->max_live) s->max_live = live;
}
static void on_phase(void *arg, int phase) {
  seen *s = arg;
  CU_ASSERT((uint64_t)phase == s->phases);
  s->phases++;
}

static void test_regions_every_allocator(void) {
  mc_regions_out first;
  memset(&first, 0, sizeof first);
  for (size_t i = 0; mc_test_allocators[i].name; i++) {
    const mc_test_allocator *a = &mc_test_allocators[i];
    mc_test_env env;
    CU_ASSERT_FATAL(a->open(&env) == MC_OK);
    int managed = env.al.vt->root != NULL, region = !managed && env.al.vt->reset != NULL;
    mc_counting cnt;
    mc_counting_init(&cnt, env.al);
    mc_alloc al = managed ? env.al : mc_counting_allocator(&cnt);
    seen s = {0, 0, 0};
    mc_regions_opts o = {on_tick, on_phase, &s};
    mc_regions_out out;
    uint64_t n = (a->flags & MC_TEST_SLOW) ? N / 50 : N;
    int rc = mc_regions_run(al, n, SEED, &o, &out);
    CU_ASSERT(rc == MC_OK);
    if (rc != MC_OK) printf("\n  %s: %s\n", a->name, mc_strerror(rc));
    CU_ASSERT(s.ticks == n); /* one tick per allocation of the workload */
    CU_ASSERT(s.phases == out.phases);
    uint64_t plen = n / 16 > 256 ? n / 16 : 256; /* n/16 objects a phase, at least 256 */
    CU_ASSERT(out.phases == (n + plen - 1) / plen);
    CU_ASSERT(out.allocs == n + out.copied);
    CU_ASSERT(region ? out.resets == out.phases && out.copied > 0
                     : out.resets == 0 && out.copied == 0);
    if (!managed) {
      /* accounting to the byte: the decorator's live count is the workload's */
      CU_ASSERT(cnt.stats.requested_peak == out.peak_live_bytes);
      CU_ASSERT(cnt.stats.requested == 0);
      CU_ASSERT(cnt.stats.allocs == out.allocs);
      /* a reset drops the blocks it held; every other object was freed one by one */
      CU_ASSERT(region ? cnt.stats.frees < out.allocs : cnt.stats.frees == out.allocs);
    }
    if (!(a->flags & MC_TEST_SLOW)) {
      if (!first.allocs)
        first = out; /* the same operations under every allocator */
      else
        CU_ASSERT(out.peak_live_bytes == first.peak_live_bytes);
    }
    a->close(&env);
  }
}

/* The peak of live bytes lies between a phase's survivors and a whole phase: 16..256 bytes an
 * object, n/16 objects a phase, about half of them freed before the phase ends. */
static void test_regions_shape(void) {
  mc_system sys;
  mc_system_init(&sys);
  mc_counting cnt;
  mc_counting_init(&cnt, mc_system_allocator(&sys));
  mc_regions_out out;
  CU_ASSERT_FATAL(mc_regions_run(mc_counting_allocator(&cnt), 160000, 3, NULL, &out) == MC_OK);
  double phase_bytes = 10000 * 136.0; /* mean size 136 */
  CU_ASSERT(out.peak_live_bytes > phase_bytes * 0.4 && out.peak_live_bytes < phase_bytes * 0.8);
  CU_ASSERT(mc_regions_run(mc_counting_allocator(&cnt), 0, 3, NULL, &out) == MC_EINVAL);
}

/* An allocator that fails part-way: MC_ENOMEM, and everything made so far given back. */
static void test_regions_enomem(void) {
  for (uint64_t budget = 10; budget < 5000; budget = budget * 3) {
    mc_system sys;
    mc_system_init(&sys);
    mc_failing f;
    mc_failing_init(&f, mc_system_allocator(&sys), budget, UINT64_MAX);
    mc_counting cnt;
    mc_counting_init(&cnt, mc_failing_allocator(&f));
    CU_ASSERT(mc_regions_run(mc_counting_allocator(&cnt), 20000, 5, NULL, NULL) == MC_ENOMEM);
    CU_ASSERT(cnt.stats.requested == 0);
  }
}

static int add(void) {
  static CU_TestInfo tests[] = {{"test_regions_every_allocator", test_regions_every_allocator},
                                {"test_regions_shape", test_regions_shape},
                                {"test_regions_enomem", test_regions_enomem},
                                CU_TEST_INFO_NULL};
  return mc_test_add_suite("regions", tests);
}

int main(void) { return mc_test_main(add); }
