/* test_counting.c — the counting decorator: the hook sees every event in order with the right
 * fields, Google Benchmark's counters and rebase, stats taken from the right layer, and
 * forwarding of type, reset, root and barrier (present exactly when the parent's are). */
#include <string.h>

#include "testutil.h"

static mc_alloc_stats st(mc_alloc al) {
  mc_alloc_stats s;
  mc_alloc_get_stats(al, &s);
  return s;
}

/* ---- a recording fake parent: a managed-looking heap over malloc ------------------------ */

typedef struct fake {
  mc_system sys;
  const mc_type *last_type;
  int resets, roots_added, roots_removed, barriers;
  void **last_slot;
} fake;

static void *fake_alloc(void *ctx, size_t size, size_t align, const mc_type *type) {
  fake *f = ctx;
  f->last_type = type;
  mc_alloc s = mc_system_allocator(&f->sys);
  return s.vt->alloc(s.ctx, size, align, type);
}
static void *fake_resize(void *ctx, void *p, size_t o, size_t n, size_t align) {
  fake *f = ctx;
  mc_alloc s = mc_system_allocator(&f->sys);
  return s.vt->resize(s.ctx, p, o, n, align);
}
static void fake_free(void *ctx, void *p, size_t size, size_t align) {
  fake *f = ctx;
  mc_alloc s = mc_system_allocator(&f->sys);
  s.vt->free(s.ctx, p, size, align);
}
static void fake_reset(void *ctx) { ((fake *)ctx)->resets++; }
static void fake_stats(void *ctx, mc_alloc_stats *out) {
  fake *f = ctx;
  *out = f->sys.stats;
  out->footprint = 12345; /* recognisable */
  out->footprint_peak = 23456;
  out->collections = 7;
  out->reclaimed = 99;
}
static void fake_root(void *ctx, void **slot, int add) {
  fake *f = ctx;
  if (add)
    f->roots_added++;
  else
    f->roots_removed++;
  f->last_slot = slot;
}
static void fake_barrier(void *ctx, void *obj, void **slot, void *value) {
  (void)obj, (void)value;
  fake *f = ctx;
  f->barriers++;
  f->last_slot = slot;
}

static const mc_alloc_vtbl fake_vtbl = {"fake",     fake_alloc, fake_resize, fake_free,
                                        fake_reset, fake_stats, fake_root,   fake_barrier};

/* ---- hook recording ---------------------------------------------------------------------- */

typedef struct rec {
  int n;
  mc_counting_event ev[16];
  size_t requested[16];
} rec;

static void rec_hook(void *arg, const mc_counting_event *ev) {
  rec *r = arg;
  if (r->n < 16) {
    r->ev[r->n] = *ev;
    r->requested[r->n] = ev->stats->requested;
  }
  r->n++;
}

static void test_counting_hook_events(void) {
  mc_system sys;
  mc_system_init(&sys);
  mc_failing f;
  mc_failing_init(&f, mc_system_allocator(&sys), 3, 1);
  mc_counting c;
  mc_counting_init(&c, mc_failing_allocator(&f));
  rec r = {0};
  mc_counting_set_hook(&c, rec_hook, &r);
  mc_alloc al = mc_counting_allocator(&c);
  CU_ASSERT_STRING_EQUAL(mc_alloc_name(al), "counting");
  void *a = mc_alloc_new(al, 100, 8, NULL);
  void *b = mc_alloc_new(al, 50, 8, NULL);
  void *a2 = mc_alloc_resize(al, a, 100, 300, 8);
  CU_ASSERT_FATAL(a && b && a2);
  CU_ASSERT_PTR_NULL(mc_alloc_new(al, 70, 8, NULL)); /* the 4th step fails */
  mc_alloc_free(al, b, 50, 8);
  mc_alloc_free(al, a2, 300, 8);
  CU_ASSERT_EQUAL_FATAL(r.n, 6);
  CU_ASSERT(r.ev[0].kind == MC_COUNTING_ALLOC && r.ev[0].p == a && r.ev[0].size == 100);
  CU_ASSERT_EQUAL(r.requested[0], 100);
  CU_ASSERT(r.ev[1].kind == MC_COUNTING_ALLOC && r.ev[1].size == 50);
  CU_ASSERT_EQUAL(r.requested[1], 150);
  CU_ASSERT(r.ev[2].kind == MC_COUNTING_RESIZE && r.ev[2].p == a2 && r.ev[2].size == 300 &&
            r.ev[2].old_size == 100);
  CU_ASSERT_EQUAL(r.requested[2], 350);
  CU_ASSERT(r.ev[3].kind == MC_COUNTING_FAIL && r.ev[3].p == NULL && r.ev[3].size == 70);
  CU_ASSERT(r.ev[4].kind == MC_COUNTING_FREE && r.ev[4].p == b && r.ev[4].size == 50);
  CU_ASSERT(r.ev[5].kind == MC_COUNTING_FREE && r.ev[5].size == 300);
  CU_ASSERT_EQUAL(r.requested[5], 0);
  mc_alloc_stats s = st(al);
  CU_ASSERT_EQUAL(s.allocs, 2);
  CU_ASSERT_EQUAL(s.frees, 2);
  CU_ASSERT_EQUAL(s.resizes, 1);
  CU_ASSERT_EQUAL(s.failures, 1);
  CU_ASSERT_EQUAL(s.requested_peak, 350);
  CU_ASSERT_EQUAL(s.total_requested, 350);
  /* Google Benchmark's names */
  CU_ASSERT_EQUAL(c.num_allocs, 2);
  CU_ASSERT_EQUAL(c.max_bytes_used, 350);
  CU_ASSERT_EQUAL(c.total_allocated_bytes, 350);
  CU_ASSERT_EQUAL(c.net_heap_growth, 0);
  mc_counting_set_hook(&c, NULL, NULL);
  void *d = mc_alloc_new(al, 10, 8, NULL);
  CU_ASSERT_EQUAL(r.n, 6); /* no hook any more */
  mc_alloc_free(al, d, 10, 8);
  CU_ASSERT_EQUAL(sys.stats.requested, 0);
}

static void test_counting_rebase(void) {
  mc_system sys;
  mc_counting c;
  mc_alloc al = mc_test_counting_system(&sys, &c);
  void *keep = mc_alloc_new(al, 1000, 8, NULL);
  mc_counting_rebase(&c);
  CU_ASSERT_EQUAL(c.num_allocs, 0);
  CU_ASSERT_EQUAL(c.max_bytes_used, 1000);
  CU_ASSERT_EQUAL(c.total_allocated_bytes, 0);
  CU_ASSERT_EQUAL(c.net_heap_growth, 0);
  void *x = mc_alloc_new(al, 200, 8, NULL);
  void *y = mc_alloc_new(al, 300, 8, NULL);
  mc_alloc_free(al, x, 200, 8);
  CU_ASSERT_EQUAL(c.num_allocs, 2);
  CU_ASSERT_EQUAL(c.max_bytes_used, 1500);
  CU_ASSERT_EQUAL(c.total_allocated_bytes, 500);
  CU_ASSERT_EQUAL(c.net_heap_growth, 300);
  mc_alloc_free(al, y, 300, 8);
  mc_alloc_free(al, keep, 1000, 8);
  CU_ASSERT_EQUAL(c.net_heap_growth, -1000);
  CU_ASSERT_EQUAL(st(al).allocs, 3); /* mc_alloc_stats are not rebased */
}

static void test_counting_forwards_to_parent(void) {
  fake f;
  memset(&f, 0, sizeof f);
  mc_system_init(&f.sys);
  mc_alloc parent = {&fake_vtbl, &f};
  mc_counting c;
  mc_counting_init(&c, parent);
  mc_alloc al = mc_counting_allocator(&c);
  static const size_t offs[] = {0};
  static const mc_type node = {"node", MC_TYPE_OFFSETS, offs, 1, NULL, 0};
  void **obj = mc_alloc_new(al, 16, 8, &node);
  CU_ASSERT_PTR_EQUAL(f.last_type, &node); /* type reaches the parent */
  void *slot = NULL;
  mc_root_add(al, &slot);
  CU_ASSERT_EQUAL(f.roots_added, 1);
  CU_ASSERT_PTR_EQUAL(f.last_slot, &slot);
  mc_store(al, obj, &obj[0], obj);
  CU_ASSERT_EQUAL(f.barriers, 1);
  CU_ASSERT_PTR_EQUAL(obj[0], obj);
  mc_root_remove(al, &slot);
  CU_ASSERT_EQUAL(f.roots_removed, 1);
  mc_alloc_stats s = st(al);
  CU_ASSERT_EQUAL(s.footprint, 12345); /* from the parent */
  CU_ASSERT_EQUAL(s.footprint_peak, 23456);
  CU_ASSERT_EQUAL(s.collections, 7);
  CU_ASSERT_EQUAL(s.reclaimed, 99);
  CU_ASSERT_EQUAL(s.requested, 16); /* counted here */
  CU_ASSERT_EQUAL(mc_alloc_reset(al), MC_OK);
  CU_ASSERT_EQUAL(f.resets, 1);
  s = st(al);
  CU_ASSERT_EQUAL(s.requested, 0);
  CU_ASSERT_EQUAL(s.live, 0);
  CU_ASSERT_EQUAL(s.resets, 1);
  mc_system_allocator(&f.sys).vt->free(&f.sys, obj, 16, 8); /* the fake's reset dropped nothing */
  /* over a parent without reset/root/barrier, the decorator has none either */
  mc_system sys;
  mc_counting c2;
  mc_alloc al2 = mc_test_counting_system(&sys, &c2);
  CU_ASSERT_EQUAL(mc_alloc_reset(al2), MC_ENOTSUP);
  CU_ASSERT_PTR_NULL(al2.vt->root);
  CU_ASSERT_PTR_NULL(al2.vt->barrier);
}

static void test_counting_over_arena_reset(void) {
  mc_system sys;
  mc_system_init(&sys);
  mc_arena a;
  mc_arena_init(&a, mc_system_allocator(&sys), 0);
  mc_counting c;
  mc_counting_init(&c, mc_arena_allocator(&a));
  rec r = {0};
  mc_counting_set_hook(&c, rec_hook, &r);
  mc_alloc al = mc_counting_allocator(&c);
  for (int i = 0; i < 10; i++) mc_alloc_new(al, 100, 8, NULL);
  CU_ASSERT_EQUAL(mc_alloc_reset(al), MC_OK);
  CU_ASSERT_EQUAL(r.ev[10].kind, MC_COUNTING_RESET);
  mc_alloc_stats s = st(al), as = st(mc_arena_allocator(&a));
  CU_ASSERT_EQUAL(s.requested, 0);
  CU_ASSERT_EQUAL(as.requested, 0);
  CU_ASSERT_EQUAL(s.footprint, as.footprint);
  mc_arena_destroy(&a);
  CU_ASSERT_EQUAL(sys.stats.requested, 0);
}

static int add_suites(void) {
  static CU_TestInfo tests[] = {
      {"test_counting_hook_events", test_counting_hook_events},
      {"test_counting_rebase", test_counting_rebase},
      {"test_counting_forwards_to_parent", test_counting_forwards_to_parent},
      {"test_counting_over_arena_reset", test_counting_over_arena_reset},
      CU_TEST_INFO_NULL,
  };
  return mc_test_add_suite("counting", tests);
}

int main(void) { return mc_test_main(add_suites); }
