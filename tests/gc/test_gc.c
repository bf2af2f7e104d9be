/* test_gc.c — the collected heap: random graphs with cycles against a model of reachability,
 * generations and the remembered set, deep lists, freeze, SAVEALL, callbacks, the heap limit,
 * the control API and the cycles workload. */
#include <stdlib.h>
#include <string.h>

#include "gc_gnode.h"
#include "gc_verify.h"
#include "mc_gcwork.h"
#include "testutil.h"

/* ---- the test object (gc_gnode.h), as plain offsets and traced ---------------------------- */

static const mc_type gnode_type = {"test.gnode", MC_TYPE_OFFSETS, gnode_offsets, NSLOT, NULL, 0};

static void gnode_trace(void *obj, size_t size, mc_visit_fn visit, void *arg) {
  (void)size;
  gnode *n = obj;
  for (int i = 0; i < NSLOT; i++) visit((void **)&n->p[i], arg);
}
static const mc_type gnode_traced = {"test.gnode.traced", MC_TYPE_TRACE, NULL, 0, gnode_trace, 0};
static const mc_type ptr_array = {"test.ptr_array", MC_TYPE_PTR_ARRAY, NULL, 0, NULL, 0};

/* ---- random graphs ---------------------------------------------------------------------- */

enum { GN = 3000, GROOTS = 40 };

/* Marks in seen[] every node reachable from the roots (the test's own model). */
static size_t model_reach(gnode **nodes, size_t n, gnode **roots, size_t nroots, char *seen) {
  memset(seen, 0, n);
  gnode **stack = malloc(n * sizeof *stack);
  size_t sp = 0, count = 0;
  for (size_t r = 0; r < nroots; r++)
    if (roots[r] && !seen[roots[r]->id]) seen[roots[r]->id] = 1, stack[sp++] = roots[r], count++;
  while (sp) {
    gnode *x = stack[--sp];
    for (int i = 0; i < NSLOT; i++) {
      gnode *y = x->p[i];
      if (y && !seen[y->id]) seen[y->id] = 1, stack[sp++] = y, count++;
    }
  }
  free(stack);
  (void)nodes;
  return count;
}

static void check_heap(mc_gc *gc, gnode **nodes, size_t n, const char *seen, size_t reach) {
  for (size_t i = 0; i < n; i++) {
    if (!seen[i]) continue;
    CU_ASSERT(mc_gc_is_tracked(gc, nodes[i]));
    CU_ASSERT(nodes[i]->id == i && nodes[i]->sum == checksum(i));
  }
  CU_ASSERT_EQUAL(mc_gc_get_objects(gc, -1, NULL, 0), reach);
  void **objs = malloc((reach + 1) * sizeof *objs);
  size_t got = mc_gc_get_objects(gc, -1, objs, reach + 1);
  CU_ASSERT_EQUAL(got, reach);
  for (size_t i = 0; i < got && i <= reach; i++) {
    gnode *x = objs[i];
    CU_ASSERT(x->id < n && seen[x->id] && nodes[x->id] == x);
  }
  free(objs);
  mc_alloc_stats st;
  mc_alloc_get_stats(mc_gc_allocator(gc), &st);
  CU_ASSERT_EQUAL(st.live, reach);
}

static void random_graph_round(const mc_type *type, uint64_t seed) {
  mc_gc *gc = gc_verify_new(0, 0); /* automatic collection off: the test decides */
  mc_alloc al = mc_gc_allocator(gc);
  mc_test_rng rng;
  mc_test_rng_seed(&rng, seed);
  gnode **nodes = calloc(GN, sizeof *nodes);
  gnode **roots = calloc(GROOTS, sizeof *roots);
  char *seen = malloc(GN);
  for (int r = 0; r < GROOTS; r++) mc_root_add(al, &roots[r]);
  for (size_t i = 0; i < GN; i++) {
    nodes[i] = gnode_new(al, i, type);
    CU_ASSERT_FATAL(nodes[i] != NULL);
  }
  size_t total_collected = 0, live_before = GN;
  for (int round = 0; round < 12; round++) {
    /* random edges among the nodes still alive (cycles included), some roots re-pointed */
    if (round == 0) memset(seen, 1, GN); /* seen[i]: node i is allocated */
    for (int e = 0; e < GN / 2; e++) {
      size_t a = mc_test_rng_below(&rng, GN), b = mc_test_rng_below(&rng, GN);
      mc_store(al, nodes[a], &nodes[a]->p[mc_test_rng_below(&rng, NSLOT)], nodes[b]);
    }
    for (int r = 0; r < GROOTS; r++) {
      uint64_t k = mc_test_rng_below(&rng, 4);
      size_t a = mc_test_rng_below(&rng, GN);
      if (k == 0)
        roots[r] = NULL;
      else if (k == 1)
        roots[r] = nodes[a];
    }
    size_t reach = model_reach(nodes, GN, roots, GROOTS, seen);
    size_t got = mc_gc_collect(gc, (int)(round % 3));
    if (round % 3 != 2) got += mc_gc_collect(gc, 2); /* young ones may keep old garbage */
    total_collected += got;
    CU_ASSERT_EQUAL(got, live_before - reach);
    live_before = reach;
    check_heap(gc, nodes, GN, seen, reach);
    for (size_t i = 0; i < GN; i++)
      if (!seen[i]) nodes[i] = NULL; /* freed: never touched again */
    /* refill the dead ids with new nodes, so young and old objects mix */
    for (size_t i = 0; i < GN; i++)
      if (!nodes[i]) {
        nodes[i] = gnode_new(al, i, type);
        CU_ASSERT_FATAL(nodes[i] != NULL);
        live_before++;
      }
    GC_VERIFY(gc); /* between collections too: the window's pending slots, young pages */
    memset(seen, 1, GN);
  }
  mc_gc_stats s[MC_GC_NGEN];
  mc_gc_get_stats(gc, s);
  CU_ASSERT_EQUAL(s[0].collected + s[1].collected + s[2].collected, total_collected);
  CU_ASSERT(s[0].collections > 0 && s[1].collections > 0 && s[2].collections > 0);
  for (int r = 0; r < GROOTS; r++) mc_root_remove(al, &roots[r]);
  mc_gc_collect(gc, 2);
  CU_ASSERT_EQUAL(mc_gc_get_objects(gc, -1, NULL, 0), 0);
  free(nodes), free(roots), free(seen);
  mc_gc_free(gc);
}

static void test_gc_random_graphs_offsets(void) {
  for (uint64_t seed = 1; seed <= 3; seed++) random_graph_round(&gnode_type, seed);
}
static void test_gc_random_graphs_traced(void) { random_graph_round(&gnode_traced, 77); }

/* ---- generations ---------------------------------------------------------------------------- */

static void test_gc_old_to_young_survives(void) {
  mc_gc *gc = gc_verify_new(0, 0);
  mc_alloc al = mc_gc_allocator(gc);
  gnode *root = gnode_new(al, 1, &gnode_type);
  mc_root_add(al, &root);
  mc_gc_collect(gc, 2); /* root is old now */
  CU_ASSERT_EQUAL(mc_gc_get_objects(gc, 2, NULL, 0), 1);
  for (uint64_t i = 0; i < 100; i++) {
    gnode *young = gnode_new(al, 100 + i, &gnode_type);
    CU_ASSERT_FATAL(young != NULL);
    mc_store(al, root, &root->p[i % NSLOT], young);   /* old -> young: remembered */
    gnode *garbage = gnode_new(al, 999, &gnode_type); /* unreachable */
    CU_ASSERT_FATAL(garbage != NULL);
    CU_ASSERT_EQUAL(mc_gc_collect(gc, 0), 1); /* the garbage; overwritten ones are older */
    CU_ASSERT(mc_gc_is_tracked(gc, young));
    CU_ASSERT(young->sum == checksum(100 + i));
    /* gen1 -> gen0 store into the survivor, then a young collection again */
    gnode *y2 = gnode_new(al, 500 + i, &gnode_type);
    mc_store(al, young, &young->p[0], y2);
    CU_ASSERT_EQUAL(mc_gc_collect(gc, 0), 0);
    CU_ASSERT(mc_gc_is_tracked(gc, y2) && y2->sum == checksum(500 + i));
    if (i % 10 == 9) mc_gc_collect(gc, 1);
  }
  mc_root_remove(al, &root);
  mc_gc_collect(gc, 2);
  CU_ASSERT_EQUAL(mc_gc_get_objects(gc, -1, NULL, 0), 0);
  mc_gc_free(gc);
}

static void test_gc_long_list_no_recursion(void) {
  mc_gc *gc = gc_verify_new(0, 0);
  mc_alloc al = mc_gc_allocator(gc);
  gnode *head = NULL, *tail = NULL;
  mc_root_add(al, &head);
  const size_t n = 1000000;
  for (size_t i = 0; i < n; i++) {
    gnode *x = gnode_new(al, i, &gnode_type);
    CU_ASSERT_FATAL(x != NULL);
    if (tail)
      mc_store(al, tail, &tail->p[0], x);
    else
      head = x;
    tail = x;
  }
  tail = NULL;
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 2), 0);
  mc_alloc_stats before, after;
  mc_alloc_get_stats(al, &before);
  head = NULL;
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 2), n);
  mc_alloc_get_stats(al, &after);
  CU_ASSERT(after.footprint < before.footprint / 10); /* pages went back */
  CU_ASSERT_EQUAL(after.live, 0);
  CU_ASSERT(after.reclaimed >= n * sizeof(gnode));
  mc_root_remove(al, &head);
  mc_gc_free(gc);
}

/* ---- freeze, SAVEALL, callbacks --------------------------------------------------------- */

static void test_gc_freeze(void) {
  mc_gc *gc = gc_verify_new(0, 0);
  mc_alloc al = mc_gc_allocator(gc);
  gnode *keep = gnode_new(al, 1, &gnode_type);
  mc_root_add(al, &keep);
  for (int i = 0; i < 10; i++)
    mc_store(al, keep, &keep->p[i % NSLOT], gnode_new(al, 10 + i, &gnode_type));
  size_t tracked = mc_gc_get_objects(gc, -1, NULL, 0);
  CU_ASSERT_EQUAL(tracked, 11);
  mc_gc_freeze(gc);
  CU_ASSERT_EQUAL(mc_gc_get_freeze_count(gc), 11);
  CU_ASSERT_EQUAL(mc_gc_get_objects(gc, -1, NULL, 0), 0);
  gnode *young = gnode_new(al, 77, &gnode_type);
  mc_store(al, keep, &keep->p[0], young); /* frozen -> young */
  void *ref[2];
  CU_ASSERT_EQUAL(mc_gc_get_referents(gc, keep, ref, 2), 4);  /* young and 3 frozen children */
  CU_ASSERT_EQUAL(mc_gc_get_referrers(gc, young, ref, 2), 0); /* frozen referrers: left out,
                                                                  as mc_gc.h says (CPython too) */
  keep = NULL;
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 2), 0); /* frozen objects are alive and keep young alive */
  CU_ASSERT(mc_gc_is_tracked(gc, young) && young->sum == checksum(77));
  mc_gc_unfreeze(gc);
  CU_ASSERT_EQUAL(mc_gc_get_freeze_count(gc), 0);
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 2), 12); /* the old root, its 10 children... and young */
  mc_root_remove(al, &keep);
  mc_gc_free(gc);
}

/* Regression (issue 20.1): freeze and unfreeze hung when a large object (over 8 KiB, or aligned
 * over 16) was alive. A large leaf, a large container and an over-aligned one, all held. */
static void test_gc_freeze_large_objects(void) {
  mc_gc *gc = gc_verify_new(0, 0);
  mc_alloc al = mc_gc_allocator(gc);
  void *leaf = mc_alloc_new(al, 9000, 8, NULL);
  gnode *aligned = mc_alloc_new(al, sizeof(gnode), 64, &gnode_type);
  void **big = mc_alloc_new(al, 2000 * sizeof(void *), 8, &ptr_array);
  CU_ASSERT_FATAL(leaf && aligned && big);
  memset(aligned, 0, sizeof *aligned);
  memset(big, 0, 2000 * sizeof(void *));
  mc_root_add(al, &leaf);
  mc_root_add(al, (void **)&big);
  mc_store(al, big, &big[1999], aligned);
  mc_gc_freeze(gc);                               /* returned: it used to spin on the large lists */
  CU_ASSERT_EQUAL(mc_gc_get_freeze_count(gc), 2); /* the two typed objects (leaves are untracked) */
  CU_ASSERT_EQUAL(mc_gc_get_objects(gc, -1, NULL, 0), 0);
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 2), 0);
  mc_gc_unfreeze(gc);
  CU_ASSERT_EQUAL(mc_gc_get_freeze_count(gc), 0);
  CU_ASSERT_EQUAL(mc_gc_get_objects(gc, 2, NULL, 0), 2); /* unfrozen into the oldest generation */
  leaf = NULL;
  big = NULL;
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 2), 2); /* big and aligned (the leaf is freed, untracked) */
  mc_alloc_stats st;
  mc_alloc_get_stats(al, &st);
  CU_ASSERT_EQUAL(st.requested, 0);
  mc_root_remove(al, &leaf);
  mc_root_remove(al, (void **)&big);
  mc_gc_free(gc);
}

static void test_gc_saveall_keeps_garbage(void) {
  mc_gc *gc = gc_verify_new(0, 0);
  mc_alloc al = mc_gc_allocator(gc);
  mc_gc_set_debug(gc, MC_GC_DEBUG_SAVEALL);
  CU_ASSERT_EQUAL(mc_gcwork_cycles(al, 10, 7, NULL), MC_OK);
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 2), 70);
  size_t n;
  void *const *g = mc_gc_garbage(gc, &n);
  CU_ASSERT_EQUAL(n, 70);
  for (size_t i = 0; i < n; i++) CU_ASSERT(mc_gc_is_tracked(gc, g[i]));
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 2), 0); /* the garbage list holds them */
  mc_gc_set_debug(gc, 0);
  mc_gc_garbage_clear(gc);
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 2), 70);
  CU_ASSERT_EQUAL(mc_gc_get_objects(gc, -1, NULL, 0), 0);
  mc_gc_free(gc);
}

typedef struct cb_log {
  int starts, stops, last_gen;
  size_t last_collected;
  int lines;
} cb_log;

static void on_gc(const mc_gc_info *info, void *arg) {
  cb_log *l = arg;
  if (info->phase == 0)
    l->starts++;
  else
    l->stops++, l->last_collected = info->collected;
  l->last_gen = info->generation;
}
static void on_line(const char *line, void *arg) {
  cb_log *l = arg;
  if (strncmp(line, "gc: ", 4) == 0) l->lines++;
}

static void test_gc_callbacks_and_stats_lines(void) {
  mc_gc *gc = gc_verify_new(0, 0);
  mc_alloc al = mc_gc_allocator(gc);
  cb_log log = {0};
  CU_ASSERT_EQUAL(mc_gc_callback_add(gc, on_gc, &log), MC_OK);
  mc_gc_set_sink(gc, on_line, &log);
  mc_gc_set_debug(gc, MC_GC_DEBUG_STATS);
  for (int i = 0; i < 5; i++) gnode_new(al, (uint64_t)i, &gnode_type);
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 1), 5);
  CU_ASSERT_EQUAL(log.starts, 1);
  CU_ASSERT_EQUAL(log.stops, 1);
  CU_ASSERT_EQUAL(log.last_gen, 1);
  CU_ASSERT_EQUAL(log.last_collected, 5);
  CU_ASSERT_EQUAL(log.lines, 1);
  mc_gc_set_debug(gc, MC_GC_DEBUG_STATS | MC_GC_DEBUG_COLLECTABLE);
  for (int i = 0; i < 3; i++) gnode_new(al, (uint64_t)i, &gnode_type);
  mc_gc_collect(gc, 0);
  CU_ASSERT_EQUAL(log.lines, 1 + 3 + 1);
  CU_ASSERT_EQUAL(mc_gc_callback_remove(gc, on_gc, &log), MC_OK);
  CU_ASSERT_EQUAL(mc_gc_callback_remove(gc, on_gc, &log), MC_EINVAL);
  mc_gc_collect(gc, 2);
  CU_ASSERT_EQUAL(log.stops, 2);
  mc_gc_free(gc);
}

/* ---- heap limit and emergency collection ------------------------------------------------ */

static void test_gc_emergency_collection_under_limit(void) {
  mc_gc *gc = gc_verify_new(0, 0); /* no automatic collection at all */
  mc_gc_set_heap_limit(gc, (size_t)1 << 20);
  mc_alloc al = mc_gc_allocator(gc);
  for (int i = 0; i < 200000; i++) /* 6 MB of garbage through a 1 MB heap */
    CU_ASSERT_FATAL(gnode_new(al, (uint64_t)i, &gnode_type) != NULL);
  mc_alloc_stats st;
  mc_alloc_get_stats(al, &st);
  CU_ASSERT(st.collections > 0);
  CU_ASSERT(st.footprint_peak <= ((size_t)1 << 20)); /* pages and tables: all counted */
  /* everything rooted: allocation must fail cleanly, then work again after a release */
  gnode *head = NULL;
  mc_root_add(al, &head);
  uint64_t i = 0;
  for (;; i++) {
    gnode *x = gnode_new(al, i, &gnode_type);
    if (!x) break;
    mc_store(al, x, &x->p[0], head);
    head = x;
  }
  mc_alloc_get_stats(al, &st);
  CU_ASSERT(st.failures >= 1 && i > 1000);
  void *big = mc_alloc_new(al, (size_t)4 << 20, 16, NULL);
  CU_ASSERT(big == NULL);
  head = NULL;
  CU_ASSERT(gnode_new(al, 1, &gnode_type) != NULL);
  mc_root_remove(al, &head);
  mc_gc_free(gc);
}

/* ---- the control API ---------------------------------------------------------------------- */

static void test_gc_control_api(void) {
  mc_gc *gc = gc_verify_new(700, 0);
  mc_alloc al = mc_gc_allocator(gc);
  CU_ASSERT_EQUAL(mc_gc_isenabled(gc), 1);
  CU_ASSERT_EQUAL(mc_gc_disable(gc), 1);
  CU_ASSERT_EQUAL(mc_gc_isenabled(gc), 0);
  CU_ASSERT_EQUAL(mc_gc_enable(gc), 0);
  int t[MC_GC_NGEN], c[MC_GC_NGEN];
  mc_gc_get_threshold(gc, t);
  mc_gc_config def, py;
  mc_gc_config_default(&def);
  mc_gc_config_python(&py);
  CU_ASSERT(t[0] == 700 && t[1] == def.threshold[1] && t[2] == def.threshold[2]);
  CU_ASSERT(py.threshold[0] == 700 && py.threshold[1] == 10 && py.threshold[2] == 10);
  int bad[MC_GC_NGEN] = {-1, 1, 1};
  CU_ASSERT_EQUAL(mc_gc_set_threshold(gc, bad), MC_EINVAL);
  int ten[MC_GC_NGEN] = {10, 2, 2};
  CU_ASSERT_EQUAL(mc_gc_set_threshold(gc, ten), MC_OK);
  gnode *keep = NULL;
  mc_root_add(al, &keep);
  void *leaf = mc_alloc_new(al, 100, 8, NULL); /* leaves are not counted, not tracked */
  mc_gc_get_count(gc, c);
  CU_ASSERT_EQUAL(c[0], 0);
  CU_ASSERT_EQUAL(mc_gc_is_tracked(gc, leaf), 0);
  for (int i = 0; i < 10; i++) keep = gnode_new(al, (uint64_t)i, &gnode_type);
  mc_gc_get_count(gc, c);
  CU_ASSERT_EQUAL(c[0], 10);
  mc_gc_stats s[MC_GC_NGEN];
  mc_gc_get_stats(gc, s);
  CU_ASSERT_EQUAL(s[0].collections, 0);
  keep = gnode_new(al, 11, &gnode_type); /* the 11th: count 11 > 10 collects generation 0 */
  mc_gc_get_stats(gc, s);
  CU_ASSERT_EQUAL(s[0].collections, 1);
  CU_ASSERT_EQUAL(s[0].collected, 9); /* 9 unrooted gnodes (the 10th is rooted; leaves untracked) */
  mc_gc_get_count(gc, c);
  CU_ASSERT(c[0] == 0 && c[1] == 1 && c[2] == 0); /* CPython: the count restarts at 0 */
  /* referents / referrers */
  gnode *a = keep, *b = gnode_new(al, 20, &gnode_type);
  mc_store(al, a, &a->p[1], b);
  mc_store(al, b, &b->p[2], a);
  void *out[4];
  CU_ASSERT_EQUAL(mc_gc_get_referents(gc, a, out, 4), 1);
  CU_ASSERT(out[0] == b);
  CU_ASSERT_EQUAL(mc_gc_get_referrers(gc, a, out, 4), 1);
  CU_ASSERT(out[0] == b);
  /* threshold 0 disables automatic collection */
  int off[MC_GC_NGEN] = {0, 10, 10};
  mc_gc_set_threshold(gc, off);
  mc_gc_get_stats(gc, s);
  uint64_t before = s[0].collections + s[1].collections + s[2].collections;
  for (int i = 0; i < 1000; i++) gnode_new(al, (uint64_t)i, &gnode_type);
  mc_gc_get_stats(gc, s);
  CU_ASSERT_EQUAL(s[0].collections + s[1].collections + s[2].collections, before);
  mc_gc_get_count(gc, c);
  CU_ASSERT(c[0] >= 1000);
  /* explicit free counts as a deallocation */
  gnode *f = gnode_new(al, 1, &gnode_type);
  mc_gc_get_count(gc, c);
  int c0 = c[0];
  mc_alloc_free(al, f, sizeof *f, 8);
  mc_gc_get_count(gc, c);
  CU_ASSERT_EQUAL(c[0], c0 - 1);
  CU_ASSERT_EQUAL(mc_gc_is_tracked(gc, f), 0);
  /* resize keeps the type and the contents */
  gnode *r = gnode_new(al, 5, &gnode_type);
  keep = r;
  r = mc_alloc_resize(al, r, sizeof *r, 4000, 8);
  CU_ASSERT_FATAL(r != NULL);
  keep = r;
  CU_ASSERT(mc_gc_is_tracked(gc, r) && r->sum == checksum(5));
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 2) > 0, 1);
  CU_ASSERT(r->sum == checksum(5));
  mc_root_remove(al, &keep);
  mc_gc_free(gc);
}

/* ---- resizes and statistics ---------------------------------------------------------------- */

/* A trace callback that records the size it was given. */
static size_t traced_size;
static void record_trace(void *obj, size_t size, mc_visit_fn visit, void *arg) {
  traced_size = size;
  for (size_t i = 0; i + sizeof(void *) <= size; i += sizeof(void *))
    visit((void **)((char *)obj + i), arg);
}
static const mc_type recorded = {"test.recorded", MC_TYPE_TRACE, NULL, 0, record_trace, 0};

/* Regression (issue 20.2): scans used the size-class slot (16 bytes for a 2-pointer array
 * shrunk to 1 in place; 48 for a 40-byte object), not the object's size as allocated or last
 * resized: a pointer cut off by a resize kept its target alive. */
static void test_gc_resize_in_place_scans_new_size(void) {
  mc_gc *gc = gc_verify_new(0, 0);
  mc_alloc al = mc_gc_allocator(gc);
  void **a = mc_alloc_new(al, 2 * sizeof(void *), 8, &ptr_array);
  CU_ASSERT_FATAL(a != NULL);
  mc_root_add(al, (void **)&a);
  gnode *b = gnode_new(al, 2, &gnode_type);
  mc_store(al, a, &a[1], b);
  b = NULL;
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 2), 0); /* b is held by a[1] */
  void **a2 = mc_alloc_resize(al, a, 2 * sizeof(void *), sizeof(void *), 8);
  CU_ASSERT_FATAL(a2 == a); /* same 16-byte class: in place */
  void *out[4];
  CU_ASSERT_EQUAL(mc_gc_get_referents(gc, a, out, 4), 0); /* a[0] is NULL, a[1] is cut off */
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 2), 1);               /* b: its only reference is gone */
  CU_ASSERT_EQUAL(mc_gc_get_objects(gc, -1, NULL, 0), 1); /* a alone */
  /* growing back in place: the slot regained is zeroed, not b's stale address */
  a2 = mc_alloc_resize(al, a, sizeof(void *), 2 * sizeof(void *), 8);
  CU_ASSERT_FATAL(a2 == a);
  CU_ASSERT(a[1] == NULL);
  /* a trace callback sees the object's size: 40, not its 48-byte slot, also after a resize */
  void *t = mc_alloc_new(al, 40, 8, &recorded);
  CU_ASSERT_FATAL(t != NULL);
  mc_store(al, a, &a[0], t);
  traced_size = 0;
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 2), 0);
  CU_ASSERT_EQUAL(traced_size, 40);
  traced_size = 0;
  CU_ASSERT_EQUAL(mc_gc_get_referents(gc, t, out, 4), 0);
  CU_ASSERT_EQUAL(traced_size, 40);
  CU_ASSERT(mc_alloc_resize(al, t, 40, 34, 8) == t); /* 48-byte class still */
  traced_size = 0;
  mc_gc_collect(gc, 2);
  CU_ASSERT_EQUAL(traced_size, 34);
  mc_root_remove(al, (void **)&a);
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 2), 2);
  mc_gc_free(gc);
}

/* Regression (issue 20.4): a resize that moves a block lowered requested before the peak saw
 * it: 16 + 1000 bytes, the 1000 resized to 16, and requested_peak read 32. */
static void test_gc_resize_moving_keeps_peak(void) {
  mc_gc *gc = gc_verify_new(0, 0);
  mc_alloc al = mc_gc_allocator(gc);
  void *x = NULL;
  mc_root_add(al, &x); /* the root table exists: the resize's pin does not grow it (a table
                          growth brought the peaks up to date and hid the defect) */
  x = mc_alloc_new(al, 16, 8, NULL);
  void *y = mc_alloc_new(al, 1000, 8, NULL);
  CU_ASSERT_FATAL(x && y);
  void *y2 = mc_alloc_resize(al, y, 1000, 16, 8);
  CU_ASSERT_FATAL(y2 != NULL && y2 != y); /* another class: moved */
  mc_alloc_stats st;
  mc_alloc_get_stats(al, &st);
  CU_ASSERT_EQUAL(st.requested, 32);
  CU_ASSERT_EQUAL(st.requested_peak, 1016); /* reached before the resize */
  CU_ASSERT_EQUAL(st.live, 2);
  CU_ASSERT_EQUAL(st.allocs, 2);
  CU_ASSERT_EQUAL(st.resizes, 1);
  /* and growing by a move: the peak is the new total, not old + new */
  void *x2 = mc_alloc_resize(al, x, 16, 5000, 8);
  CU_ASSERT_FATAL(x2 != NULL && x2 != x);
  mc_alloc_get_stats(al, &st);
  CU_ASSERT_EQUAL(st.requested, 5016);
  CU_ASSERT_EQUAL(st.requested_peak, 5016);
  CU_ASSERT_EQUAL(st.total_requested, 1016 + (5000 - 16));
  mc_root_remove(al, &x);
  mc_gc_free(gc);
}

/* Regression (issue 20.6): after a resize that moved a tracked object, get_count's c[0] read 1
 * where allocations minus deallocations since the collection give 0 (the new block came from
 * the allocation window, not yet counted, so the free's decrement was clamped at 0). */
static void test_gc_resize_moving_count(void) {
  mc_gc *gc = gc_verify_new(10, 0);
  mc_alloc al = mc_gc_allocator(gc);
  gnode *keep = NULL, *small = mc_alloc_new(al, 16, 8, &gnode_type);
  CU_ASSERT_FATAL(small != NULL);
  mc_root_add(al, &keep);
  mc_root_add(al, &small);
  int c[MC_GC_NGEN];
  mc_gc_stats s[MC_GC_NGEN];
  for (int i = 0; i < 9; i++) keep = gnode_new(al, (uint64_t)i, &gnode_type);
  mc_gc_get_count(gc, c);
  CU_ASSERT_EQUAL(c[0], 10); /* small and 9 nodes */
  mc_gc_get_stats(gc, s);
  CU_ASSERT_EQUAL(s[0].collections, 0);
  keep = gnode_new(al, 11, &gnode_type); /* over the threshold: a collection, then this one */
  mc_gc_get_stats(gc, s);
  CU_ASSERT_EQUAL(s[0].collections, 1);
  mc_gc_get_count(gc, c);
  CU_ASSERT_EQUAL(c[0], 0); /* CPython: the allocation that triggered is not counted */
  gnode *moved = mc_alloc_resize(al, small, 16, sizeof(gnode), 8); /* a gnode's slot: moves */
  CU_ASSERT_FATAL(moved != NULL && moved != small);
  small = moved;
  mc_gc_get_count(gc, c);
  CU_ASSERT_EQUAL(c[0], 0); /* one allocation, one deallocation */
  gnode_new(al, 12, &gnode_type);
  mc_gc_get_count(gc, c);
  CU_ASSERT_EQUAL(c[0], 1);
  mc_alloc_stats st;
  mc_alloc_get_stats(al, &st);
  CU_ASSERT_EQUAL(st.live, 4); /* small, the 9th node (keep held it during the collection),
                                  keep and the last node: the 8 others were collected */
  mc_root_remove(al, &keep);
  mc_root_remove(al, &small);
  mc_gc_free(gc);
}

/* Regression (issue 20.5, issue 17 item 18): the heap limit exempted the collector's own tables,
 * so the footprint went past it (64 bytes over after one refused 16-byte request; 27 KB at
 * creation with a 1-byte limit). Every byte from the backing allocator now counts. */
static void test_gc_heap_limit_counts_tables(void) {
  mc_gc *probe = gc_verify_new(0, 0), *gc = (mc_gc *)&gc;
  mc_alloc_stats st;
  mc_alloc_get_stats(mc_gc_allocator(probe), &st);
  size_t empty = st.footprint; /* an empty heap: its struct and first mark stack */
  mc_gc_free(probe);
  CU_ASSERT(empty > 0 && empty < ((size_t)64 << 10));
  mc_gc_config cfg;
  mc_gc_config_default(&cfg);
  cfg.heap_limit = 1;
  CU_ASSERT_EQUAL(mc_gc_new(&gc, mc_system_allocator(NULL), &cfg), MC_ERANGE);
  CU_ASSERT(gc == (mc_gc *)&gc); /* untouched */
  cfg.heap_limit = empty - 1;
  CU_ASSERT_EQUAL(mc_gc_new(&gc, mc_system_allocator(NULL), &cfg), MC_ERANGE);
  cfg.heap_limit = empty; /* exactly enough for the heap itself, nothing for a page */
  CU_ASSERT_FATAL(mc_gc_new(&gc, mc_system_allocator(NULL), &cfg) == MC_OK);
  gc_verify_each(gc);
  mc_alloc al = mc_gc_allocator(gc);
  CU_ASSERT(mc_alloc_new(al, 16, 8, NULL) == NULL);
  mc_alloc_get_stats(al, &st);
  CU_ASSERT_EQUAL(st.footprint, empty);
  CU_ASSERT_EQUAL(st.footprint_peak, empty); /* the pool table was refused too */
  CU_ASSERT_EQUAL(st.failures, 1);
  mc_gc_free(gc);
  /* the case: the limit 16 bytes above the footprint of a heap in use */
  gc = gc_verify_new(0, 0);
  al = mc_gc_allocator(gc);
  gnode *head = NULL;
  mc_root_add(al, &head);
  for (int i = 0; i < 1000; i++) {
    gnode *x = gnode_new(al, (uint64_t)i, &gnode_type);
    CU_ASSERT_FATAL(x != NULL);
    mc_store(al, x, &x->p[0], head);
    head = x;
  }
  mc_alloc_get_stats(al, &st);
  size_t limit = st.footprint + 16;
  mc_gc_set_heap_limit(gc, limit);
  uint64_t i = 0;
  for (;; i++) { /* fills the pages it has (every table growth counted), then fails */
    gnode *x = gnode_new(al, i, &gnode_type);
    if (!x) break;
    mc_store(al, x, &x->p[0], head);
    head = x;
    mc_alloc_get_stats(al, &st);
    CU_ASSERT(st.footprint <= limit);
  }
  mc_alloc_get_stats(al, &st);
  CU_ASSERT(st.footprint <= limit);
  CU_ASSERT(st.failures >= 1);
  CU_ASSERT(mc_alloc_new(al, 16, 8, &gnode_type) == NULL);
  void *big = mc_alloc_new(al, 100000, 16, NULL);
  CU_ASSERT(big == NULL);
  mc_alloc_get_stats(al, &st);
  CU_ASSERT(st.footprint <= limit);
  /* roots that cannot be recorded stop collections until they are removed */
  enum { NR = 5000 };
  void **slots = calloc(NR, sizeof *slots);
  for (int r = 0; r < NR; r++) mc_root_add(al, &slots[r]);
  mc_alloc_get_stats(al, &st);
  CU_ASSERT(st.footprint <= limit);
  gnode *lost = head; /* held only by the root that could not be recorded, if any */
  slots[NR - 1] = lost;
  head = NULL;
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 2), 0); /* refused: a registration is missing */
  CU_ASSERT(mc_gc_is_tracked(gc, lost) && lost->sum == checksum(lost->id));
  for (int r = 0; r < NR; r++) mc_root_remove(al, &slots[r]);
  CU_ASSERT(mc_gc_collect(gc, 2) > 1000); /* every node again collectable */
  free(slots);
  mc_alloc_get_stats(al, &st);
  CU_ASSERT(st.footprint_peak <= limit);
  mc_root_remove(al, &head);
  mc_gc_free(gc);
}

/* Found by mc__gc_verify (I10) on its first run: a map's growth zeroed its entry count, so the
 * load factor crept towards 1 (3.5 of 4, then 7.5 of 8, ...) until a probe for a missing key
 * would never end. 100000 root registrations grow the roots map 11 times. */
static void test_gc_map_count_after_growth(void) {
  mc_gc *gc = gc_verify_new(0, 0);
  mc_alloc al = mc_gc_allocator(gc);
  enum { NR = 100000 };
  void **slots = calloc(NR, sizeof *slots);
  CU_ASSERT_FATAL(slots != NULL);
  for (int r = 0; r < NR; r++) mc_root_add(al, &slots[r]);
  CU_ASSERT_EQUAL(gc->roots.n, NR);
  CU_ASSERT(gc->roots.n * 2 <= gc->roots.cap); /* at most half full */
  GC_VERIFY(gc);
  for (int r = 0; r < NR; r += 2) mc_root_remove(al, &slots[r]);
  CU_ASSERT_EQUAL(gc->roots.n, NR / 2);
  GC_VERIFY(gc);
  for (int r = 1; r < NR; r += 2) mc_root_remove(al, &slots[r]);
  CU_ASSERT_EQUAL(gc->roots.n, 0);
  free(slots);
  mc_gc_free(gc);
}

/* Found by fuzz_gc (issue 20, "close the gaps"): a store into a frozen object whose remembered
 * entry could not be recorded (the heap limit refused the remembered vector) made the next
 * collection scan every frozen object, but nothing remembered the frozen holder afterwards: the
 * following full collection freed its young referent under it (a dangling pointer). */
static void test_gc_frozen_remembered_after_lost_entry(void) {
  mc_gc *gc = gc_verify_new(0, 0);
  mc_alloc al = mc_gc_allocator(gc);
  gnode *x = gnode_new(al, 1, &gnode_type);
  CU_ASSERT_FATAL(x != NULL);
  mc_gc_freeze(gc); /* x: frozen, alive without a root */
  gnode *y = gnode_new(al, 2, &gnode_type);
  CU_ASSERT_FATAL(y != NULL);
  mc_alloc_stats st;
  mc_alloc_get_stats(al, &st);
  mc_gc_set_heap_limit(gc, st.footprint); /* the remembered vector cannot be allocated */
  mc_store(al, x, &x->p[0], y);           /* frozen -> young: its entry is lost */
  mc_gc_set_heap_limit(gc, 0);
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 0), 0); /* full, scanning the frozen: y survives */
  CU_ASSERT(mc_gc_is_tracked(gc, y));
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 2), 0); /* y is reached through x's remembered entry */
  CU_ASSERT(mc_gc_is_tracked(gc, y) && x->p[0] == y && y->sum == checksum(2));
  mc_gc_unfreeze(gc);
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 2), 2);
  mc_gc_free(gc);
}

/* ---- the cycles workload -------------------------------------------------------------------- */

static void test_gc_cycles_disabled_enabled(void) {
  mc_gc *gc = gc_verify_new(700, 0);
  mc_alloc al = mc_gc_allocator(gc);
  mc_alloc_stats a, b;
  mc_gc_disable(gc);
  mc_alloc_get_stats(al, &a);
  CU_ASSERT_EQUAL(mc_gcwork_cycles(al, 100, 50, NULL), MC_OK);
  mc_alloc_get_stats(al, &b);
  CU_ASSERT_EQUAL(b.live - a.live, 5000); /* grows by exactly the dropped cycles */
  CU_ASSERT_EQUAL(b.requested - a.requested, 5000 * 16);
  CU_ASSERT_EQUAL(b.collections, a.collections);
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 2), 5000);
  mc_alloc_get_stats(al, &b);
  CU_ASSERT_EQUAL(b.live, a.live);
  mc_gc_enable(gc);
  CU_ASSERT_EQUAL(mc_gcwork_cycles(al, 1000, 50, NULL), MC_OK);
  mc_alloc_get_stats(al, &b);
  CU_ASSERT(b.collections > a.collections);
  CU_ASSERT(b.live < 50000 / 2);
  mc_gc_free(gc);
}

static int add_suites(void) {
  static CU_TestInfo tests[] = {
      {"test_gc_random_graphs_offsets", test_gc_random_graphs_offsets},
      {"test_gc_random_graphs_traced", test_gc_random_graphs_traced},
      {"test_gc_old_to_young_survives", test_gc_old_to_young_survives},
      {"test_gc_long_list_no_recursion", test_gc_long_list_no_recursion},
      {"test_gc_freeze", test_gc_freeze},
      {"test_gc_freeze_large_objects", test_gc_freeze_large_objects},
      {"test_gc_saveall_keeps_garbage", test_gc_saveall_keeps_garbage},
      {"test_gc_callbacks_and_stats_lines", test_gc_callbacks_and_stats_lines},
      {"test_gc_emergency_collection_under_limit", test_gc_emergency_collection_under_limit},
      {"test_gc_control_api", test_gc_control_api},
      {"test_gc_cycles_disabled_enabled", test_gc_cycles_disabled_enabled},
      {"test_gc_resize_in_place_scans_new_size", test_gc_resize_in_place_scans_new_size},
      {"test_gc_resize_moving_keeps_peak", test_gc_resize_moving_keeps_peak},
      {"test_gc_resize_moving_count", test_gc_resize_moving_count},
      {"test_gc_heap_limit_counts_tables", test_gc_heap_limit_counts_tables},
      {"test_gc_map_count_after_growth", test_gc_map_count_after_growth},
      {"test_gc_frozen_remembered_after_lost_entry", test_gc_frozen_remembered_after_lost_entry},
      CU_TEST_INFO_NULL,
  };
  return mc_test_add_suite("gc", tests);
}

int main(void) { return gc_verify_main(add_suites); }
