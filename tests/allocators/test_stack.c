/* test_stack.c — the stack allocator's own semantics: LIFO pops give bytes back (padding
 * included), out-of-order frees are held until the top unwinds past them, overflow is a counted
 * NULL, marks, in-place resize of the top, and a region on the caller's own call stack. */
#include <string.h>

#include "testutil.h"

static mc_alloc_stats st(mc_alloc al) {
  mc_alloc_stats s;
  mc_alloc_get_stats(al, &s);
  return s;
}

static void test_stack_on_call_stack_lifo(void) {
  _Alignas(16) unsigned char buf[1024];
  mc_stack s;
  CU_ASSERT_FATAL(mc_stack_init(&s, buf, sizeof buf) == MC_OK);
  mc_alloc al = mc_stack_allocator(&s);
  CU_ASSERT_STRING_EQUAL(mc_alloc_name(al), "stack");
  unsigned char *a = mc_alloc_new(al, 10, 1, NULL);
  unsigned char *b = mc_alloc_new(al, 20, 8, NULL);
  CU_ASSERT_FATAL(a && b);
  CU_ASSERT(a >= buf && b + 20 <= buf + sizeof buf);
  CU_ASSERT(b > a + 10); /* upwards, with a header between */
  mc_alloc_stats x = st(al);
  CU_ASSERT_EQUAL(x.requested, 30);
  CU_ASSERT_EQUAL(x.footprint, mc_stack_used(&s));
  CU_ASSERT_EQUAL(x.footprint, (size_t)(b + 20 - buf));
  mc_alloc_free(al, b, 20, 8);
  CU_ASSERT_EQUAL(mc_stack_used(&s), (size_t)(a + 10 - buf)); /* back to the end of a */
  unsigned char *c = mc_alloc_new(al, 20, 8, NULL);
  CU_ASSERT_PTR_EQUAL(c, b); /* the same place again */
  mc_alloc_free(al, c, 20, 8);
  mc_alloc_free(al, a, 10, 1);
  x = st(al);
  CU_ASSERT_EQUAL(x.footprint, 0);
  CU_ASSERT_EQUAL(x.requested, 0);
  CU_ASSERT_EQUAL(x.misordered, 0);
  CU_ASSERT_EQUAL(x.allocs, 3);
  CU_ASSERT_EQUAL(x.frees, 3);
  CU_ASSERT_EQUAL(x.footprint_peak, (size_t)(b + 20 - buf));
}

static void test_stack_overflow_is_counted_null(void) {
  _Alignas(16) unsigned char buf[256];
  mc_stack s;
  mc_stack_init(&s, buf, sizeof buf);
  mc_alloc al = mc_stack_allocator(&s);
  void *a = mc_alloc_new(al, 200, 8, NULL);
  CU_ASSERT_FATAL(a != NULL);
  mc_alloc_stats before = st(al);
  CU_ASSERT_PTR_NULL(mc_alloc_new(al, 100, 8, NULL));
  CU_ASSERT_PTR_NULL(mc_alloc_new(al, 8, 4096, NULL)); /* the padding does not fit */
  CU_ASSERT_PTR_NULL(mc_alloc_resize(al, a, 200, 1000, 8));
  mc_alloc_stats after = st(al);
  CU_ASSERT_EQUAL(after.failures, before.failures + 3);
  after.failures = before.failures;
  CU_ASSERT(memcmp(&before, &after, sizeof before) == 0);
  /* exactly full works: the top grows in place up to the end of the region */
  size_t room = mc_stack_available(&s);
  void *g = mc_alloc_resize(al, a, 200, 200 + room, 8);
  CU_ASSERT_PTR_EQUAL(g, a);
  CU_ASSERT_EQUAL(mc_stack_available(&s), 0);
  mc_alloc_free(al, a, 200 + room, 8);
  /* an empty region: everything overflows, nothing crashes */
  mc_stack e;
  CU_ASSERT(mc_stack_init(&e, NULL, 0) == MC_OK);
  CU_ASSERT_PTR_NULL(mc_alloc_new(mc_stack_allocator(&e), 1, 1, NULL));
  CU_ASSERT(mc_stack_init(&e, NULL, 10) == MC_EINVAL);
  /* marks, restore and reset over the empty region touch no memory (UBSan: no NULL + 0) */
  mc_stack_mark m = mc_stack_save(&e);
  CU_ASSERT_EQUAL(mc_stack_restore(&e, m), MC_OK);
  CU_ASSERT_EQUAL(mc_alloc_reset(mc_stack_allocator(&e)), MC_OK);
  CU_ASSERT_EQUAL(mc_stack_used(&e), 0);
}

static void test_stack_misordered_free_held_until_unwound(void) {
  _Alignas(16) unsigned char buf[4096];
  mc_stack s;
  mc_stack_init(&s, buf, sizeof buf);
  mc_alloc al = mc_stack_allocator(&s);
  void *a = mc_alloc_new(al, 100, 16, NULL);
  void *b = mc_alloc_new(al, 100, 16, NULL);
  void *c = mc_alloc_new(al, 100, 16, NULL);
  void *d = mc_alloc_new(al, 100, 16, NULL);
  size_t full = mc_stack_used(&s);
  mc_alloc_free(al, b, 100, 16);
  mc_alloc_free(al, c, 100, 16);
  mc_alloc_stats x = st(al);
  CU_ASSERT_EQUAL(x.requested, 200);
  CU_ASSERT_EQUAL(x.live, 2);
  CU_ASSERT_EQUAL(x.footprint, full); /* held */
  CU_ASSERT_EQUAL(x.misordered, 2);
  mc_alloc_free(al, c, 100, 16);       /* twice: counted, ignored */
  mc_alloc_free(al, buf + 4000, 8, 8); /* not a block: counted, ignored */
  x = st(al);
  CU_ASSERT_EQUAL(x.requested, 200);
  CU_ASSERT_EQUAL(x.misordered, 4);
  CU_ASSERT_EQUAL(x.frees, 2);
  mc_alloc_free(al, d, 100, 16); /* pops d, then c and b */
  x = st(al);
  CU_ASSERT_EQUAL(x.footprint, (size_t)((unsigned char *)a + 100 - buf));
  CU_ASSERT_EQUAL(x.requested, 100);
  mc_alloc_free(al, a, 100, 16);
  CU_ASSERT_EQUAL(st(al).footprint, 0);
}

static void test_stack_marks(void) {
  _Alignas(16) unsigned char buf[8192];
  mc_stack s;
  mc_stack_init(&s, buf, sizeof buf);
  mc_alloc al = mc_stack_allocator(&s);
  void *keep = mc_alloc_new(al, 64, 8, NULL);
  mc_stack_mark m0 = mc_stack_save(&s);
  size_t used0 = mc_stack_used(&s);
  void *x = mc_alloc_new(al, 100, 8, NULL);
  mc_stack_mark m1 = mc_stack_save(&s);
  void *y = mc_alloc_new(al, 200, 64, NULL);
  void *z = mc_alloc_new(al, 300, 8, NULL);
  CU_ASSERT_FATAL(keep && x && y && z);
  mc_alloc_free(al, y, 200, 64); /* out of order, below z */
  CU_ASSERT_EQUAL(st(al).requested, 64 + 100 + 300);
  CU_ASSERT_EQUAL(mc_stack_restore(&s, m1), MC_OK); /* drops z (live) and y (held) */
  mc_alloc_stats r = st(al);
  CU_ASSERT_EQUAL(r.requested, 164);
  CU_ASSERT_EQUAL(r.live, 2);
  CU_ASSERT_EQUAL(mc_stack_used(&s), m1.top);
  CU_ASSERT_EQUAL(mc_stack_restore(&s, m0), MC_OK);
  CU_ASSERT_EQUAL(st(al).requested, 64);
  CU_ASSERT_EQUAL(mc_stack_used(&s), used0);
  /* m1 is gone now: restoring it is refused and changes nothing */
  mc_alloc_stats before = st(al);
  CU_ASSERT_EQUAL(mc_stack_restore(&s, m1), MC_EINVAL);
  mc_alloc_stats after = st(al);
  CU_ASSERT(memcmp(&before, &after, sizeof before) == 0);
  /* a mark whose block was freed out of order: restoring unwinds past it */
  void *p = mc_alloc_new(al, 50, 8, NULL);
  mc_stack_mark m2 = mc_stack_save(&s);
  void *q = mc_alloc_new(al, 50, 8, NULL);
  mc_alloc_free(al, p, 50, 8);
  (void)q;
  CU_ASSERT_EQUAL(mc_stack_restore(&s, m2), MC_OK);
  CU_ASSERT_EQUAL(mc_stack_used(&s), used0);
  CU_ASSERT_EQUAL(st(al).live, 1);
  /* restore to the empty mark drops everything */
  mc_stack_mark empty = {0, MC_STACK_NONE, 0};
  CU_ASSERT_EQUAL(mc_stack_restore(&s, empty), MC_OK);
  r = st(al);
  CU_ASSERT_EQUAL(r.requested, 0);
  CU_ASSERT_EQUAL(r.live, 0);
  CU_ASSERT_EQUAL(r.footprint, 0);
}

static void test_stack_resize(void) {
  _Alignas(16) unsigned char buf[4096];
  mc_stack s;
  mc_stack_init(&s, buf, sizeof buf);
  mc_alloc al = mc_stack_allocator(&s);
  unsigned char *a = mc_alloc_new(al, 16, 8, NULL);
  unsigned char *b = mc_alloc_new(al, 16, 8, NULL);
  memset(a, 'a', 16);
  memset(b, 'b', 16);
  unsigned char *b2 = mc_alloc_resize(al, b, 16, 1000, 8); /* the top: in place */
  CU_ASSERT_PTR_EQUAL(b2, b);
  CU_ASSERT_EQUAL(mc_stack_used(&s), (size_t)(b + 1000 - buf));
  b2 = mc_alloc_resize(al, b, 1000, 10, 8);
  CU_ASSERT_PTR_EQUAL(b2, b);
  CU_ASSERT_EQUAL(mc_stack_used(&s), (size_t)(b + 10 - buf));
  unsigned char *a2 = mc_alloc_resize(al, a, 16, 8, 8); /* buried shrink: in place */
  CU_ASSERT_PTR_EQUAL(a2, a);
  a2 = mc_alloc_resize(al, a, 8, 100, 8); /* buried growth: moves to the top */
  CU_ASSERT_FATAL(a2 != NULL);
  CU_ASSERT(a2 > b);
  CU_ASSERT(a2[0] == 'a' && a2[7] == 'a');
  mc_alloc_stats x = st(al);
  CU_ASSERT_EQUAL(x.requested, 110);
  CU_ASSERT_EQUAL(x.live, 2);
  CU_ASSERT_EQUAL(x.misordered, 1); /* the old copy is held */
  CU_ASSERT_EQUAL(x.resizes, 4);
  mc_alloc_free(al, a2, 100, 8);
  mc_alloc_free(al, b, 10, 8); /* unwinds past the old copy of a too */
  x = st(al);
  CU_ASSERT_EQUAL(x.footprint, 0);
  CU_ASSERT_EQUAL(x.requested, 0);
}

static void test_stack_reset_and_alignment_padding(void) {
  _Alignas(16) unsigned char buf[16384];
  mc_stack s;
  mc_stack_init(&s, buf, sizeof buf);
  mc_alloc al = mc_stack_allocator(&s);
  void *a = mc_alloc_new(al, 1, 1, NULL);
  void *b = mc_alloc_new(al, 1, 4096, NULL);
  CU_ASSERT_FATAL(a && b);
  CU_ASSERT_EQUAL((uintptr_t)b % 4096, 0);
  size_t after_a = (size_t)((unsigned char *)a + 1 - buf);
  mc_alloc_free(al, b, 1, 4096);
  CU_ASSERT_EQUAL(mc_stack_used(&s), after_a); /* the padding came back */
  CU_ASSERT_EQUAL(mc_alloc_reset(al), MC_OK);
  mc_alloc_stats x = st(al);
  CU_ASSERT_EQUAL(x.footprint, 0);
  CU_ASSERT_EQUAL(x.requested, 0);
  CU_ASSERT_EQUAL(x.live, 0);
  CU_ASSERT_EQUAL(x.resets, 1);
  CU_ASSERT_PTR_EQUAL(mc_alloc_new(al, 1, 1, NULL), a); /* from the start again */
}

static void test_stack_misaligned_region(void) {
  static _Alignas(64) unsigned char raw[4096 + 3];
  unsigned char *buf = raw + 3; /* an odd address: alignment is absolute, not relative */
  mc_stack s;
  mc_stack_init(&s, buf, 4096);
  mc_alloc al = mc_stack_allocator(&s);
  void *p[6];
  size_t align[6] = {1, 2, 8, 16, 64, 256};
  for (int i = 0; i < 6; i++) {
    p[i] = mc_alloc_new(al, 13, align[i], NULL);
    CU_ASSERT_FATAL(p[i] != NULL);
    CU_ASSERT_EQUAL((uintptr_t)p[i] % align[i], 0);
    CU_ASSERT((unsigned char *)p[i] >= buf && (unsigned char *)p[i] + 13 <= buf + 4096);
    memset(p[i], i, 13);
  }
  for (int i = 0; i < 6; i++) CU_ASSERT(((unsigned char *)p[i])[12] == i);
  for (int i = 5; i >= 0; i--) mc_alloc_free(al, p[i], 13, align[i]);
  CU_ASSERT_EQUAL(mc_stack_used(&s), 0);
  CU_ASSERT_EQUAL(st(al).misordered, 0);
}

static void test_stack_debug_fill(void) {
#ifdef MC_TEST_LIB_FILLS /* the library itself was built without NDEBUG */
  _Alignas(16) unsigned char buf[512];
  mc_stack s;
  mc_stack_init(&s, buf, sizeof buf);
  mc_alloc al = mc_stack_allocator(&s);
  unsigned char *a = mc_alloc_new(al, 32, 8, NULL);
  unsigned char *b = mc_alloc_new(al, 32, 8, NULL);
  CU_ASSERT(a[0] == 0xAA && a[31] == 0xAA);
  mc_alloc_free(al, a, 32, 8); /* held, but filled */
  CU_ASSERT(a[0] == 0x55 && a[31] == 0x55);
  (void)b;
#endif
}

/* ---- random operations against a model of the region ------------------------------------ */

#define MSLOT 48
#define MMARK 12

typedef struct entry {
  uint64_t seq;     /* push order */
  int slot;         /* the live block's slot, -1 once freed out of order (held) */
  unsigned char *p; /* data */
  size_t size;      /* bytes */
} entry;

typedef struct model {
  entry reg[4096]; /* the region, bottom first */
  int n;
  unsigned char *p[MSLOT];
  size_t size[MSLOT], align[MSLOT];
  unsigned char tag[MSLOT];
  int live[MSLOT];
} model;

static model M; /* static: too big for the call stack */

static int find_entry(int slot) {
  for (int e = M.n - 1; e >= 0; e--)
    if (M.reg[e].slot == slot) return e;
  return -1;
}

static void unwind_held(void) {
  while (M.n > 0 && M.reg[M.n - 1].slot < 0) M.n--;
}

static int model_ok(mc_alloc al, const unsigned char *buf) {
  size_t sum = 0, n = 0;
  for (int i = 0; i < MSLOT; i++)
    if (M.live[i]) {
      sum += M.size[i], n++;
      for (size_t k = 0; k < M.size[i]; k++)
        if (M.p[i][k] != M.tag[i]) return 0;
    }
  mc_alloc_stats s = st(al);
  size_t top = M.n ? (size_t)(M.reg[M.n - 1].p + M.reg[M.n - 1].size - buf) : 0;
  return s.requested == sum && s.live == n && s.footprint == top && s.footprint >= s.requested;
}

static void test_stack_random_vs_model(void) {
  static _Alignas(16) unsigned char buf[1 << 22];
  mc_stack s;
  mc_stack_init(&s, buf, sizeof buf);
  mc_alloc al = mc_stack_allocator(&s);
  memset(&M, 0, sizeof M);
  mc_stack_mark marks[MMARK];
  uint64_t anchor[MMARK], seq = 0;
  int nmarks = 0, op, restored = 0, held_seen = 0, stale = 0;
  mc_test_rng rng;
  mc_test_rng_seed(&rng, 11);
  for (op = 0; op < 8000; op++) {
    int r = (int)mc_test_rng_below(&rng, 100), i = (int)mc_test_rng_below(&rng, MSLOT);
    if (r < 45 && !M.live[i]) {
      M.size[i] = 1 + mc_test_rng_below(&rng, 300);
      M.align[i] = (size_t)1 << mc_test_rng_below(&rng, 7);
      M.p[i] = mc_alloc_new(al, M.size[i], M.align[i], NULL);
      CU_ASSERT_FATAL(M.p[i] != NULL);
      M.tag[i] = (unsigned char)op, M.live[i] = 1;
      memset(M.p[i], M.tag[i], M.size[i]);
      M.reg[M.n++] = (entry){++seq, i, M.p[i], M.size[i]};
    } else if (r < 75 && M.live[i]) {
      mc_alloc_free(al, M.p[i], M.size[i], M.align[i]);
      int e = find_entry(i);
      M.live[i] = 0;
      M.reg[e].slot = -1;
      unwind_held(); /* pops it if it was the top, and whatever that uncovers */
    } else if (r < 88 && M.live[i]) {
      size_t ns = 1 + mc_test_rng_below(&rng, 400);
      int e = find_entry(i);
      unsigned char *q = mc_alloc_resize(al, M.p[i], M.size[i], ns, M.align[i]);
      CU_ASSERT_FATAL(q != NULL);
      if (q == M.p[i]) {
        M.reg[e].size = ns;
      } else { /* a buried block grew: moved to the top, the old copy is held */
        CU_ASSERT(e != M.n - 1 && ns > M.size[i]);
        M.reg[e].slot = -1;
        M.reg[M.n++] = (entry){++seq, i, q, ns};
      }
      M.p[i] = q, M.size[i] = ns;
      memset(q, M.tag[i], ns);
    } else if (r < 94 && nmarks < MMARK) {
      marks[nmarks] = mc_stack_save(&s);
      anchor[nmarks++] = M.n ? M.reg[M.n - 1].seq : 0;
    } else if (r < 99 && nmarks > 0) {
      int k = (int)mc_test_rng_below(&rng, (uint64_t)nmarks);
      int present = anchor[k] == 0;
      for (int e = 0; e < M.n && !present; e++) present = M.reg[e].seq == anchor[k];
      if (present) {
        CU_ASSERT_EQUAL(mc_stack_restore(&s, marks[k]), MC_OK);
        restored++;
        while (M.n > 0 && M.reg[M.n - 1].seq > anchor[k]) {
          if (M.reg[M.n - 1].slot >= 0) M.live[M.reg[M.n - 1].slot] = 0;
          M.n--;
        }
        unwind_held();
        nmarks = k;
      } else {
        mc_alloc_stats before = st(al);
        CU_ASSERT_EQUAL(mc_stack_restore(&s, marks[k]), MC_EINVAL); /* its block is gone */
        mc_alloc_stats after = st(al);
        CU_ASSERT(memcmp(&before, &after, sizeof before) == 0);
        stale++;
        nmarks = k;
      }
    } else if (r == 99) {
      CU_ASSERT_EQUAL(mc_alloc_reset(al), MC_OK);
      memset(M.live, 0, sizeof M.live);
      M.n = 0;
      nmarks = 0;
    }
    if (!model_ok(al, buf)) {
      CU_FAIL("stack diverged from the model");
      break;
    }
    for (int e = 0; e < M.n && !held_seen; e++) held_seen = M.reg[e].slot < 0;
  }
  CU_ASSERT(restored > 20);
  CU_ASSERT(stale > 20);
  CU_ASSERT(held_seen);
}

static int add_suites(void) {
  static CU_TestInfo tests[] = {
      {"test_stack_on_call_stack_lifo", test_stack_on_call_stack_lifo},
      {"test_stack_overflow_is_counted_null", test_stack_overflow_is_counted_null},
      {"test_stack_misordered_free_held_until_unwound",
       test_stack_misordered_free_held_until_unwound},
      {"test_stack_marks", test_stack_marks},
      {"test_stack_resize", test_stack_resize},
      {"test_stack_reset_and_alignment_padding", test_stack_reset_and_alignment_padding},
      {"test_stack_misaligned_region", test_stack_misaligned_region},
      {"test_stack_debug_fill", test_stack_debug_fill},
      {"test_stack_random_vs_model", test_stack_random_vs_model},
      CU_TEST_INFO_NULL,
  };
  return mc_test_add_suite("stack", tests);
}

int main(void) { return mc_test_main(add_suites); }
