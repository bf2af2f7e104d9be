/* test_conformance.c — the contract of mc_alloc.h, checked through the vtable against every
 * entry of mc_test_allocators[] (in the spirit of Zig's testAllocator): alignments, the defined
 * answers for sizes 0/1/odd/huge and n*size overflow, resize keeping contents, stats exact to
 * the byte, reset, failures that change nothing, and the decorators over every allocator.
 * Blocks live in root-registered slots so that a collected heap keeps them alive. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#ifdef MC_SANITIZE
/* The huge-but-legal requests below must come back NULL, not abort the process. */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "allocator_may_return_null=1"; }
#endif

static const char *cur_name = "?"; /* the allocator under test, for failure messages */

/* CU_ASSERT with the allocator's name in the message. */
#define CHECK(cond)                                                                                \
  do {                                                                                             \
    char msg_[256];                                                                                \
    snprintf(msg_, sizeof msg_, "[%s] %s", cur_name, #cond);                                       \
    CU_assertImplementation(!!(cond), __LINE__, msg_, __FILE__, "", CU_FALSE);                     \
  } while (0)

#define NSLOT 512

typedef struct blocks {
  void *p[NSLOT];      /* root-registered slots */
  size_t size[NSLOT];  /* bytes, 0: slot empty */
  size_t align[NSLOT]; /* alignment asked */
  unsigned char tag[NSLOT];
} blocks;

static blocks B; /* static: too big for a deep stack, and stays put while registered */

static void roots_add(mc_alloc al) {
  memset(&B, 0, sizeof B);
  for (int i = 0; i < NSLOT; i++) mc_root_add(al, &B.p[i]);
}
static void roots_remove(mc_alloc al) {
  for (int i = 0; i < NSLOT; i++) mc_root_remove(al, &B.p[i]);
}

static mc_alloc_stats stats_of(mc_alloc al) {
  mc_alloc_stats s;
  mc_alloc_get_stats(al, &s);
  return s;
}

static int stats_equal(const mc_alloc_stats *a, const mc_alloc_stats *b) {
  return memcmp(a, b, sizeof *a) == 0;
}

/* Equal in what a caller can observe of its blocks. A collected heap may also run an emergency
 * collection before it refuses an allocation (DESIGN.md), which legitimately moves its
 * collection counters, pause times and footprint; everything else must stay put. */
static int same_state(mc_alloc_stats a, mc_alloc_stats b, unsigned flags) {
  if (flags & MC_TEST_MANAGED) {
    a.collections = b.collections, a.reclaimed = b.reclaimed;
    a.pause_ns_total = b.pause_ns_total, a.pause_ns_max = b.pause_ns_max;
    a.footprint = b.footprint, a.footprint_peak = b.footprint_peak;
  }
  return stats_equal(&a, &b);
}

static int filled(const void *p, unsigned char byte, size_t n) {
  const unsigned char *b = p;
  for (size_t i = 0; i < n; i++)
    if (b[i] != byte) return 0;
  return 1;
}

/* Runs fn(al, flags) once per table entry, between open and close. */
static void for_each_allocator(void (*fn)(mc_alloc al, unsigned flags)) {
  for (size_t i = 0; mc_test_allocators[i].name; i++) {
    const mc_test_allocator *t = &mc_test_allocators[i];
    mc_test_env env; /* open fills it */
    cur_name = t->name;
    int rc = t->open(&env);
    CHECK(rc == MC_OK);
    if (rc != MC_OK) continue;
    roots_add(env.al);
    fn(env.al, t->flags);
    roots_remove(env.al);
    t->close(&env);
  }
  cur_name = "?";
}

/* ---- alignments ------------------------------------------------------------------------- */

static void alignments(mc_alloc al, unsigned flags) {
  (void)flags;
  static const size_t sizes[] = {1, 7, 64, 1000};
  int n = 0;
  for (size_t align = 1; align <= 4096; align *= 2)
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++, n++) {
      B.p[n] = mc_alloc_new(al, sizes[k], align, NULL);
      B.size[n] = sizes[k];
      B.align[n] = align;
      CHECK(B.p[n] != NULL);
      if (!B.p[n]) return;
      CHECK((uintptr_t)B.p[n] % align == 0);
      memset(B.p[n], n + 1, sizes[k]);
    }
  for (int i = 0; i < n; i++) CHECK(filled(B.p[i], (unsigned char)(i + 1), B.size[i]));
  mc_alloc_stats s = stats_of(al);
  size_t sum = 0;
  for (int i = 0; i < n; i++) sum += B.size[i];
  CHECK(s.requested == sum);
  CHECK(s.footprint >= s.requested);
  for (int i = n - 1; i >= 0; i--) { /* LIFO order: every allocator gives everything back */
    mc_alloc_free(al, B.p[i], B.size[i], B.align[i]);
    B.p[i] = NULL;
  }
  s = stats_of(al);
  CHECK(s.requested == 0);
  CHECK(s.live == 0);
  /* the largest alignment allowed works too */
  void *big = mc_alloc_new(al, 100, MC_ALIGN_MAX, NULL);
  CHECK(big != NULL && (uintptr_t)big % MC_ALIGN_MAX == 0);
  mc_alloc_free(al, big, 100, MC_ALIGN_MAX);
  /* bad alignments: NULL, and the allocator never hears of them */
  mc_alloc_stats before = stats_of(al);
  CHECK(mc_alloc_new(al, 16, 0, NULL) == NULL);
  CHECK(mc_alloc_new(al, 16, 3, NULL) == NULL);
  CHECK(mc_alloc_new(al, 16, 48, NULL) == NULL);
  CHECK(mc_alloc_new(al, 16, MC_ALIGN_MAX * 2, NULL) == NULL);
  mc_alloc_stats after = stats_of(al);
  CHECK(stats_equal(&before, &after));
}

static void test_conformance_alignments(void) { for_each_allocator(alignments); }

/* ---- sizes ------------------------------------------------------------------------------ */

static void sizes(mc_alloc al, unsigned flags) {
  mc_alloc_stats before = stats_of(al);
  void *z = mc_alloc_new(al, 0, 16, NULL); /* size 0: the aligned non-NULL token */
  CHECK(z != NULL && (uintptr_t)z % 16 == 0);
  mc_alloc_free(al, z, 0, 16);
  CHECK(mc_alloc_array(al, 0, 8, 8, NULL) != NULL);
  CHECK(mc_alloc_array(al, SIZE_MAX / 2 + 1, 2, 8, NULL) == NULL);      /* wraps */
  CHECK(mc_alloc_array(al, (MC_SIZE_MAX / 8) + 1, 8, 8, NULL) == NULL); /* > MC_SIZE_MAX */
  CHECK(mc_alloc_new(al, SIZE_MAX, 8, NULL) == NULL);
  CHECK(mc_alloc_new(al, MC_SIZE_MAX + 1, 8, NULL) == NULL);
  mc_alloc_stats after = stats_of(al);
  CHECK(stats_equal(&before, &after)); /* none of these reached the allocator */

  /* huge but legal: the allocator itself must refuse, count it, and change nothing else */
  void *h = mc_alloc_new(al, MC_SIZE_MAX, 8, NULL);
  CHECK(h == NULL);
  after = stats_of(al);
  CHECK(after.failures == before.failures + 1);
  after.failures = before.failures;
  CHECK(same_state(before, after, flags));

  /* 1 and odd sizes, at default alignment */
  static const size_t odd[] = {1, 3, 5, 17, 33, 127, 255, 1023, 4097, 65537};
  size_t n = sizeof odd / sizeof odd[0], sum = 0;
  for (size_t i = 0; i < n; i++) {
    B.p[i] = mc_alloc_new(al, odd[i], MC_ALIGN_DEFAULT, NULL);
    CHECK(B.p[i] != NULL);
    if (!B.p[i]) return;
    CHECK((uintptr_t)B.p[i] % MC_ALIGN_DEFAULT == 0);
    memset(B.p[i], (int)i + 1, odd[i]);
    sum += odd[i];
  }
  for (size_t i = 0; i < n; i++) CHECK(filled(B.p[i], (unsigned char)(i + 1), odd[i]));
  after = stats_of(al);
  CHECK(after.requested == before.requested + sum);
  CHECK(after.live == before.live + n);
  CHECK(after.allocs == before.allocs + n);
  for (size_t i = n; i-- > 0;) {
    mc_alloc_free(al, B.p[i], odd[i], MC_ALIGN_DEFAULT);
    B.p[i] = NULL;
  }
  after = stats_of(al);
  CHECK(after.requested == before.requested);
  CHECK(after.frees == before.frees + n);
}

static void test_conformance_sizes(void) { for_each_allocator(sizes); }

/* ---- resize ----------------------------------------------------------------------------- */

static void pattern(unsigned char *p, size_t n, unsigned seed) {
  for (size_t i = 0; i < n; i++) p[i] = (unsigned char)(i * 31u + seed);
}
static int has_pattern(const unsigned char *p, size_t n, unsigned seed) {
  for (size_t i = 0; i < n; i++)
    if (p[i] != (unsigned char)(i * 31u + seed)) return 0;
  return 1;
}

static void resizes(mc_alloc al, unsigned flags) {
  (void)flags;
  static const size_t steps[] = {10, 100, 24, 1000, 5000, 100000, 3000, 5, 1};
  for (size_t align = 1; align <= 256; align *= 4) {
    size_t cur = 10;
    B.p[0] = mc_alloc_new(al, cur, align, NULL);
    CHECK(B.p[0] != NULL);
    if (!B.p[0]) return;
    pattern(B.p[0], cur, 7);
    for (size_t k = 1; k < sizeof steps / sizeof steps[0]; k++) {
      void *q = mc_alloc_resize(al, B.p[0], cur, steps[k], align);
      CHECK(q != NULL);
      if (!q) break;
      B.p[0] = q;
      CHECK((uintptr_t)q % align == 0);
      size_t keep = cur < steps[k] ? cur : steps[k];
      CHECK(has_pattern(q, keep, 7));
      cur = steps[k];
      pattern(q, cur, 7);
      mc_alloc_stats s = stats_of(al);
      CHECK(s.requested == cur);
    }
    mc_alloc_free(al, B.p[0], cur, align);
    B.p[0] = NULL;
  }
  /* resize of an older block (not the latest): contents kept, stats exact */
  B.p[0] = mc_alloc_new(al, 40, 8, NULL);
  B.p[1] = mc_alloc_new(al, 40, 8, NULL);
  CHECK(B.p[0] && B.p[1]);
  if (!B.p[0] || !B.p[1]) return;
  pattern(B.p[0], 40, 1);
  pattern(B.p[1], 40, 2);
  void *q = mc_alloc_resize(al, B.p[0], 40, 400, 8);
  CHECK(q != NULL);
  if (q) B.p[0] = q;
  CHECK(has_pattern(B.p[0], 40, 1));
  CHECK(has_pattern(B.p[1], 40, 2));
  q = mc_alloc_resize(al, B.p[0], q ? 400 : 40, 20, 8);
  CHECK(q != NULL);
  if (q) B.p[0] = q;
  CHECK(has_pattern(B.p[0], 20, 1));
  mc_alloc_stats s = stats_of(al);
  CHECK(s.requested == 60);
  CHECK(s.live == 2);
  mc_alloc_free(al, B.p[1], 40, 8);
  mc_alloc_free(al, B.p[0], 20, 8);
  B.p[0] = B.p[1] = NULL;
  /* old size 0 allocates, new size 0 frees */
  void *a = mc_alloc_resize(al, mc_alloc_new(al, 0, 8, NULL), 0, 32, 8);
  CHECK(a != NULL && a != (void *)(uintptr_t)8);
  void *z = mc_alloc_resize(al, a, 32, 0, 8);
  CHECK(z == (void *)(uintptr_t)8);
  s = stats_of(al);
  CHECK(s.requested == 0);
  CHECK(s.live == 0);
}

static void test_conformance_resize(void) { for_each_allocator(resizes); }

/* ---- stats exact to the byte under a random sequence ------------------------------------ */

static void random_ops(mc_alloc al, unsigned flags) {
  mc_test_rng rng;
  mc_test_rng_seed(&rng, 42);
  size_t sum = 0, live = 0, peak = 0;
  uint64_t allocs = 0, frees = 0, resizes_ok = 0;
  mc_alloc_stats s0 = stats_of(al);
  int nops = (flags & MC_TEST_SLOW) ? 400 : 20000;
  for (int op = 0; op < nops; op++) {
    int i = (int)mc_test_rng_below(&rng, NSLOT);
    int r = (int)mc_test_rng_below(&rng, 10);
    if (B.size[i] == 0) {
      size_t size = 1 + mc_test_rng_below(&rng, r < 8 ? 300 : 5000);
      size_t align = (size_t)1 << mc_test_rng_below(&rng, 7);
      void *p = mc_alloc_new(al, size, align, NULL);
      CHECK(p != NULL);
      if (!p) return;
      CHECK((uintptr_t)p % align == 0);
      B.p[i] = p;
      B.size[i] = size;
      B.align[i] = align;
      B.tag[i] = (unsigned char)op;
      memset(p, B.tag[i], size);
      sum += size, live++, allocs++;
    } else if (r < 7) {
      CHECK(filled(B.p[i], B.tag[i], B.size[i]));
      mc_alloc_free(al, B.p[i], B.size[i], B.align[i]);
      B.p[i] = NULL;
      sum -= B.size[i], live--, frees++;
      B.size[i] = 0;
    } else {
      size_t ns = 1 + mc_test_rng_below(&rng, 3000);
      void *q = mc_alloc_resize(al, B.p[i], B.size[i], ns, B.align[i]);
      CHECK(q != NULL);
      if (!q) return;
      CHECK(filled(q, B.tag[i], B.size[i] < ns ? B.size[i] : ns));
      memset(q, B.tag[i], ns);
      B.p[i] = q;
      sum = sum - B.size[i] + ns;
      B.size[i] = ns;
      resizes_ok++;
    }
    if (sum > peak) peak = sum;
    mc_alloc_stats s = stats_of(al);
    CHECK(s.requested == s0.requested + sum);
    CHECK(s.live == s0.live + live);
    CHECK(s.footprint >= s.requested);
    CHECK(s.footprint_peak >= s.footprint);
    CHECK(s.requested_peak >= s.requested);
    if (s.requested != s0.requested + sum) return; /* one report, not thousands */
  }
  mc_alloc_stats s = stats_of(al);
  CHECK(s.requested_peak == (s0.requested_peak > peak ? s0.requested_peak : peak));
  CHECK(s.allocs == s0.allocs + allocs);
  CHECK(s.frees == s0.frees + frees);
  CHECK(s.resizes == s0.resizes + resizes_ok);
  for (int i = NSLOT - 1; i >= 0; i--)
    if (B.size[i]) {
      CHECK(filled(B.p[i], B.tag[i], B.size[i]));
      mc_alloc_free(al, B.p[i], B.size[i], B.align[i]);
      B.p[i] = NULL;
      B.size[i] = 0;
    }
  s = stats_of(al);
  CHECK(s.requested == 0);
  CHECK(s.live == 0);
  if (flags & MC_TEST_LIFO) CHECK(s.footprint == 0); /* everything unwound */
}

static void test_conformance_stats_exact(void) { for_each_allocator(random_ops); }

/* ---- reset ------------------------------------------------------------------------------ */

static void resets(mc_alloc al, unsigned flags) {
  (void)flags;
  for (int i = 0; i < 100; i++) {
    B.p[i] = mc_alloc_new(al, (size_t)(i * 13 + 1), 8, NULL);
    CHECK(B.p[i] != NULL);
  }
  mc_alloc_stats before = stats_of(al);
  int rc = mc_alloc_reset(al);
  if (rc == MC_ENOTSUP) {
    CHECK(al.vt->reset == NULL);
    mc_alloc_stats after = stats_of(al);
    CHECK(stats_equal(&before, &after));
    for (int i = 99; i >= 0; i--) {
      mc_alloc_free(al, B.p[i], (size_t)(i * 13 + 1), 8);
      B.p[i] = NULL;
    }
    return;
  }
  for (int i = 0; i < 100; i++) B.p[i] = NULL;
  CHECK(rc == MC_OK);
  mc_alloc_stats after = stats_of(al);
  CHECK(after.requested == 0);
  CHECK(after.live == 0);
  CHECK(after.resets == before.resets + 1);
  CHECK(after.requested_peak == before.requested_peak);
  /* usable again */
  B.p[0] = mc_alloc_new(al, 64, 64, NULL);
  CHECK(B.p[0] != NULL && (uintptr_t)B.p[0] % 64 == 0);
  if (B.p[0]) memset(B.p[0], 1, 64);
  mc_alloc_free(al, B.p[0], 64, 64);
  B.p[0] = NULL;
  after = stats_of(al);
  CHECK(after.requested == 0);
}

static void test_conformance_reset(void) { for_each_allocator(resets); }

/* ---- failures change nothing ------------------------------------------------------------ */

static void failures(mc_alloc al, unsigned flags) {
  (void)flags;
  mc_failing f;
  mc_failing_init(&f, al, 2, 1);
  mc_alloc fa = mc_failing_allocator(&f);
  B.p[0] = mc_alloc_new(fa, 100, 16, NULL); /* step 1: passes */
  B.p[1] = mc_alloc_new(fa, 50, 16, NULL);  /* step 2: passes */
  CHECK(B.p[0] && B.p[1]);
  if (!B.p[0] || !B.p[1]) return;
  pattern(B.p[1], 50, 3);
  mc_alloc_stats pb = stats_of(al), fb = stats_of(fa);
  void *q = mc_alloc_resize(fa, B.p[1], 50, 5000, 16); /* step 3: refused */
  CHECK(q == NULL);
  CHECK(has_pattern(B.p[1], 50, 3));
  mc_alloc_stats pa = stats_of(al), fafter = stats_of(fa);
  CHECK(stats_equal(&pb, &pa)); /* the allocator under test never heard of it */
  CHECK(fafter.failures == fb.failures + 1);
  fafter.failures = fb.failures;
  CHECK(stats_equal(&fb, &fafter));
  CHECK(mc_failing_failed(&f) == 1);
  /* every alloc/resize refused: state unchanged each time */
  mc_failing_set(&f, 0, MC_FAILING_FOREVER);
  for (int k = 0; k < 5; k++) {
    fb = stats_of(fa);
    CHECK(mc_alloc_new(fa, 8 + (size_t)k, 8, NULL) == NULL);
    CHECK(mc_alloc_resize(fa, B.p[0], 100, 10, 16) == NULL);
    fafter = stats_of(fa);
    CHECK(fafter.failures == fb.failures + 2);
    fafter.failures = fb.failures;
    CHECK(stats_equal(&fb, &fafter));
  }
  CHECK(mc_failing_failed(&f) == 11);
  /* frees still pass; after the failing budget runs out everything passes again */
  mc_failing_set(&f, 0, 0);
  q = mc_alloc_resize(fa, B.p[1], 50, 5000, 16);
  CHECK(q != NULL);
  if (q) B.p[1] = q;
  CHECK(has_pattern(B.p[1], 50, 3));
  mc_alloc_free(fa, B.p[1], q ? 5000 : 50, 16);
  mc_alloc_free(fa, B.p[0], 100, 16);
  B.p[0] = B.p[1] = NULL;
  pa = stats_of(al);
  CHECK(pa.requested == 0);
  CHECK(pa.live == 0);
}

static void test_conformance_failing_changes_nothing(void) { for_each_allocator(failures); }

/* ---- counting over every allocator ------------------------------------------------------- */

typedef struct tally {
  uint64_t n[5];
} tally;

static void tally_hook(void *arg, const mc_counting_event *ev) { ((tally *)arg)->n[ev->kind]++; }

static void counting_over(mc_alloc al, unsigned flags) {
  (void)flags;
  mc_counting c;
  mc_counting_init(&c, al);
  tally t = {{0}};
  mc_counting_set_hook(&c, tally_hook, &t);
  mc_alloc ca = mc_counting_allocator(&c);
  CHECK((ca.vt->reset != NULL) == (al.vt->reset != NULL));
  CHECK((ca.vt->root != NULL) == (al.vt->root != NULL || al.vt->barrier != NULL));
  mc_alloc_stats base = stats_of(al);
  for (int i = 0; i < 50; i++) {
    B.p[i] = mc_alloc_new(ca, (size_t)(i + 1) * 3, 8, NULL);
    CHECK(B.p[i] != NULL);
  }
  B.p[49] = mc_alloc_resize(ca, B.p[49], 150, 600, 8);
  CHECK(B.p[49] != NULL);
  mc_alloc_stats cs = stats_of(ca), ps = stats_of(al);
  CHECK(cs.requested == ps.requested - base.requested);
  CHECK(cs.live == ps.live - base.live);
  CHECK(cs.footprint == ps.footprint);
  CHECK(c.num_allocs == 50);
  CHECK(c.max_bytes_used == (int64_t)cs.requested);
  CHECK(t.n[MC_COUNTING_ALLOC] == 50 && t.n[MC_COUNTING_RESIZE] == 1);
  for (int i = 49; i >= 0; i--) {
    mc_alloc_free(ca, B.p[i], i == 49 ? 600 : (size_t)(i + 1) * 3, 8);
    B.p[i] = NULL;
  }
  CHECK(t.n[MC_COUNTING_FREE] == 50);
  CHECK(c.net_heap_growth == 0);
  cs = stats_of(ca);
  CHECK(cs.requested == 0 && cs.live == 0);
  ps = stats_of(al);
  CHECK(ps.requested == base.requested);
}

static void test_conformance_counting_over_each(void) { for_each_allocator(counting_over); }

/* ---- LIFO and bounded entries: order and overflow ---------------------------------------- */

static void lifo(mc_alloc al, unsigned flags) {
  if (!(flags & MC_TEST_LIFO)) return;
  void *a = mc_alloc_new(al, 100, 8, NULL), *b = mc_alloc_new(al, 200, 8, NULL);
  CHECK(a && b);
  mc_alloc_stats s1 = stats_of(al);
  mc_alloc_free(al, a, 100, 8); /* not the top: held */
  mc_alloc_stats s2 = stats_of(al);
  CHECK(s2.requested == 200);
  CHECK(s2.footprint == s1.footprint);
  CHECK(s2.misordered == s1.misordered + 1);
  mc_alloc_free(al, b, 200, 8); /* the top: unwinds past a as well */
  mc_alloc_stats s3 = stats_of(al);
  CHECK(s3.requested == 0);
  CHECK(s3.footprint == 0);
  if (flags & MC_TEST_BOUNDED) { /* overflow: NULL, counted, nothing else */
    void *c = mc_alloc_new(al, 64, 8, NULL);
    mc_alloc_stats before = stats_of(al);
    CHECK(mc_alloc_new(al, MC_SIZE_MAX / 2, 8, NULL) == NULL);
    mc_alloc_stats after = stats_of(al);
    CHECK(after.failures == before.failures + 1);
    after.failures = before.failures;
    CHECK(stats_equal(&before, &after));
    mc_alloc_free(al, c, 64, 8);
  }
}

static void test_conformance_lifo_and_bounds(void) { for_each_allocator(lifo); }

/* ---- no leaks: allocators that take memory from a parent give it all back at destroy ---- */

static void churn(mc_alloc al, int nops, uint64_t seed, int leave_live) {
  mc_test_rng rng;
  mc_test_rng_seed(&rng, seed);
  memset(&B, 0, sizeof B);
  for (int op = 0; op < nops; op++) {
    int i = (int)mc_test_rng_below(&rng, NSLOT);
    if (B.size[i]) {
      if (mc_test_rng_below(&rng, 3) == 0) {
        size_t ns = 1 + mc_test_rng_below(&rng, 6000);
        void *q = mc_alloc_resize(al, B.p[i], B.size[i], ns, B.align[i]);
        CHECK(q != NULL);
        if (q) B.p[i] = q, B.size[i] = ns;
      } else {
        mc_alloc_free(al, B.p[i], B.size[i], B.align[i]);
        B.size[i] = 0;
      }
    } else {
      B.size[i] = 1 + mc_test_rng_below(&rng, 3000);
      B.align[i] = (size_t)1 << mc_test_rng_below(&rng, 9);
      B.p[i] = mc_alloc_new(al, B.size[i], B.align[i], NULL);
      CHECK(B.p[i] != NULL);
      if (!B.p[i]) B.size[i] = 0;
    }
  }
  /* half the blocks are left live on purpose: destroy must still return everything */
  for (int i = 0; i < NSLOT; i += leave_live ? 2 : 1)
    if (B.size[i]) mc_alloc_free(al, B.p[i], B.size[i], B.align[i]), B.size[i] = 0;
  memset(&B, 0, sizeof B);
}

static void test_conformance_no_leak_after_destroy(void) {
  mc_system sys;
  mc_counting c;
  mc_alloc parent = mc_test_counting_system(&sys, &c);

  cur_name = "arena over counting(system)";
  mc_arena a;
  mc_arena_init(&a, parent, 4096);
  churn(mc_arena_allocator(&a), 5000, 1, 1);
  mc_arena_mark m;
  CHECK(mc_arena_save(&a, &m) == MC_OK);
  churn(mc_arena_allocator(&a), 500, 2, 1);
  mc_arena_destroy(&a);
  CHECK(c.net_heap_growth == 0);
  CHECK(c.stats.live == 0);

  cur_name = "pool over counting(system)";
  mc_pool p;
  mc_pool_init(&p, parent, NULL, 0, 4096);
  churn(mc_pool_allocator(&p), 5000, 3, 1);
  mc_alloc_stats ps;
  mc_alloc_get_stats(mc_pool_allocator(&p), &ps);
  CHECK(ps.requested > 0);
  CHECK(ps.footprint >= ps.requested);
  CHECK(c.stats.requested == ps.footprint); /* every byte the pool holds came from its parent */
  mc_pool_destroy(&p);                      /* live slots and live fallback blocks included */
  CHECK(c.net_heap_growth == 0);
  CHECK(c.stats.live == 0);

  cur_name = "counting(failing(arena))";
  mc_arena_init(&a, parent, 0);
  mc_failing f;
  mc_failing_init(&f, mc_arena_allocator(&a), MC_FAILING_FOREVER, 0);
  mc_counting c2;
  mc_counting_init(&c2, mc_failing_allocator(&f));
  churn(mc_counting_allocator(&c2), 2000, 4, 1);
  mc_arena_destroy(&a);
  CHECK(c.net_heap_growth == 0);
  CHECK(sys.stats.requested == 0);
  CHECK(sys.stats.live == 0);
  cur_name = "?";
}

static int add_suites(void) {
  static CU_TestInfo tests[] = {
      {"test_conformance_alignments", test_conformance_alignments},
      {"test_conformance_sizes", test_conformance_sizes},
      {"test_conformance_resize", test_conformance_resize},
      {"test_conformance_stats_exact", test_conformance_stats_exact},
      {"test_conformance_reset", test_conformance_reset},
      {"test_conformance_failing_changes_nothing", test_conformance_failing_changes_nothing},
      {"test_conformance_counting_over_each", test_conformance_counting_over_each},
      {"test_conformance_lifo_and_bounds", test_conformance_lifo_and_bounds},
      {"test_conformance_no_leak_after_destroy", test_conformance_no_leak_after_destroy},
      CU_TEST_INFO_NULL,
  };
  return mc_test_add_suite("conformance", tests);
}

int main(void) { return mc_test_main(add_suites); }
