/* test_rc.c — the reference-counting model (gc/mc_rc.c, mc_rc_detect.c): random graphs with
 * cycles against two models (reference counting alone frees exactly the blocks that no root
 * and no surviving block reaches once the cyclic structures are kept; a full detection leaves
 * exactly the reachable ones), the stated bound, deep lists and trees freed on a small C stack,
 * resize and free under counting, SAVEALL, callbacks, freeze, the control API, the heap limit,
 * torture mode, and the lesson: chains closed into cycles vs left open under rc, rc-off, gc,
 * gc-off. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "gc_gnode.h"
#include "mc_rc_internal.h" /* mc__rc_verify: the invariants from scratch */
#include "testutil.h"

/* ---- test objects ------------------------------------------------------------------------- */

static const mc_type gnode_type = {"test.rc.gnode", MC_TYPE_OFFSETS, gnode_offsets, NSLOT, NULL, 0};
static const mc_type other_type = {"test.rc.other", MC_TYPE_OFFSETS, gnode_offsets, NSLOT, NULL, 0};
static const mc_type ptr_array = {"test.rc.ptr_array", MC_TYPE_PTR_ARRAY, NULL, 0, NULL, 0};

/* A two-slot node: the size of Python's two-slot __slots__ object's payload. */
typedef struct pnode {
  struct pnode *a, *b;
} pnode;
static const size_t pnode_offsets[] = {0, 8};
static const mc_type pnode_type = {"test.rc.pnode", MC_TYPE_OFFSETS, pnode_offsets, 2, NULL, 0};

static mc_gc *new_rc(int threshold0) {
  mc_gc_config cfg;
  mc_gc_config_refcount(&cfg);
  if (threshold0 >= 0) cfg.threshold[0] = threshold0;
  mc_gc *gc = NULL;
  CU_ASSERT_FATAL(mc_gc_new(&gc, mc_system_allocator(NULL), &cfg) == MC_OK);
  CU_ASSERT_FATAL(mc_gc_get_model(gc) == MC_GC_REFCOUNT);
  return gc;
}

/* p is a live block of the heap (tracked or not; a freed block's husk is not). */
static int alive(mc_gc *gc, const void *p) {
  mc__rc_ref r;
  return mc__rc_find(mc__rc_of(gc), p, &r) && r.obj == p && !(*r.meta & MC__RC_NOREF);
}

static mc_alloc_stats stats(mc_gc *gc) {
  mc_alloc_stats s;
  mc_alloc_get_stats(mc_gc_allocator(gc), &s);
  return s;
}

/* ---- random graphs against the models ---------------------------------------------------- */

enum { GN = 4000, GROOTS = 24 };

typedef struct graph {
  gnode *node[GN];        /* every node ever made (id = index); only model-live ones are read */
  gnode *edge[GN][NSLOT]; /* the model's copy of every node's slots (freed nodes keep theirs) */
  int live[GN];           /* 1 while the model says the heap still holds it */
  gnode *roots[GROOTS];
  size_t n;
} graph;

/* Reachable from the roots (seen[]). */
static size_t reach(graph *g, char *seen) {
  memset(seen, 0, GN);
  static gnode *stack[GN];
  size_t sp = 0, count = 0;
  for (int r = 0; r < GROOTS; r++)
    if (g->roots[r] && !seen[g->roots[r]->id])
      seen[g->roots[r]->id] = 1, stack[sp++] = g->roots[r], count++;
  while (sp) {
    gnode *x = stack[--sp];
    for (int i = 0; i < NSLOT; i++) {
      gnode *y = g->edge[x->id][i];
      if (y && !seen[y->id]) seen[y->id] = 1, stack[sp++] = y, count++;
    }
  }
  return count;
}

/* What counting alone frees: repeatedly drop the live, unrooted nodes no live node points to.
 * Updates g->live and returns the number left. */
static size_t peel(graph *g) {
  static int indeg[GN], rooted[GN];
  static size_t queue[GN];
  memset(indeg, 0, sizeof indeg);
  memset(rooted, 0, sizeof rooted);
  for (int r = 0; r < GROOTS; r++)
    if (g->roots[r]) rooted[g->roots[r]->id] = 1;
  for (size_t i = 0; i < g->n; i++)
    if (g->live[i])
      for (int k = 0; k < NSLOT; k++)
        if (g->edge[i][k]) indeg[g->edge[i][k]->id]++;
  size_t qn = 0, left = 0;
  for (size_t i = 0; i < g->n; i++)
    if (g->live[i] && !indeg[i] && !rooted[i]) queue[qn++] = i;
  while (qn) {
    size_t i = queue[--qn];
    g->live[i] = 0;
    for (int k = 0; k < NSLOT; k++) {
      gnode *y = g->edge[i][k];
      if (y && --indeg[y->id] == 0 && !rooted[y->id] && g->live[y->id]) queue[qn++] = y->id;
    }
  }
  for (size_t i = 0; i < g->n; i++) left += g->live[i] != 0;
  return left;
}

/* The heap's blocks are exactly the model-live nodes, each intact; the tracked ones (those in
 * get_objects and the frozen) include every node with a non-NULL slot (the untracking rule: an
 * untracked gnode points to no other). */
static void check_live(mc_gc *gc, graph *g, size_t expect) {
  size_t ntracked = 0;
  for (size_t i = 0; i < g->n; i++)
    if (g->live[i]) {
      CU_ASSERT(alive(gc, g->node[i]));
      if (mc_gc_is_tracked(gc, g->node[i]))
        ntracked++;
      else
        for (int k = 0; k < NSLOT; k++) CU_ASSERT_PTR_NULL(g->edge[i][k]);
      CU_ASSERT(g->node[i]->id == i && g->node[i]->sum == checksum(i));
      for (int k = 0; k < NSLOT; k++) CU_ASSERT_PTR_EQUAL(g->node[i]->p[k], g->edge[i][k]);
    }
  CU_ASSERT_EQUAL(mc_gc_get_objects(gc, -1, NULL, 0) + mc_gc_get_freeze_count(gc), ntracked);
  CU_ASSERT_EQUAL(stats(gc).live, expect);
  CU_ASSERT_EQUAL(mc__rc_verify(gc), MC_OK);
}

static void random_graph(int torture, uint64_t seed) {
  mc_gc *gc = new_rc(-1);
  mc_alloc al = mc_gc_allocator(gc);
  static graph g;
  memset(&g, 0, sizeof g);
  static char seen[GN];
  for (int r = 0; r < GROOTS; r++) mc_root_add(al, &g.roots[r]);
  mc_test_rng rng;
  mc_test_rng_seed(&rng, seed);
  mc_gc_disable(gc); /* first phase: counting only */
  if (torture) mc_gc_set_torture(gc, 1);
  int phase_ops = torture ? 300 : 1500;
  for (int round = 0; round < 6 && g.n + (size_t)phase_ops < GN; round++) {
    for (int op = 0; op < phase_ops && g.n < GN; op++) {
      if (op % 50 == 0) CU_ASSERT_EQUAL(mc__rc_verify(gc), MC_OK);
      reach(&g, seen);
      unsigned k = (unsigned)mc_test_rng_below(&rng, 10);
      int r = (int)mc_test_rng_below(&rng, GROOTS);
      if (k < 4) { /* a new node into a root slot (rooted before the next allocation) */
        gnode *x = gnode_new(al, g.n, &gnode_type);
        CU_ASSERT_FATAL(x != NULL);
        g.node[g.n] = x;
        g.live[g.n] = 1;
        g.n++;
        g.roots[r] = x;
      } else if (k < 8 && g.n) { /* an edge between reachable nodes, or NULL */
        size_t a = mc_test_rng_below(&rng, g.n), b = mc_test_rng_below(&rng, g.n);
        if (!seen[a]) continue;
        gnode *v = seen[b] && mc_test_rng_below(&rng, 5) ? g.node[b] : NULL;
        size_t k2 = mc_test_rng_below(&rng, NSLOT);
        mc_store(al, g.node[a], &g.node[a]->p[k2], v);
        g.edge[a][k2] = v;
      } else if (k < 9) {
        g.roots[r] = NULL;
      } else if (g.n) { /* a root moves to a reachable node */
        size_t b = mc_test_rng_below(&rng, g.n);
        if (seen[b]) g.roots[r] = g.node[b];
      }
    }
    /* counting alone: after a reconciliation, exactly what peeling leaves */
    mc_gc_reconcile(gc);
    size_t left = peel(&g);
    check_live(gc, &g, left);
    /* a full detection: exactly the reachable */
    mc_gc_collect(gc, 2);
    size_t nr = reach(&g, seen);
    for (size_t i = 0; i < g.n; i++) g.live[i] = seen[i];
    check_live(gc, &g, nr);
  }
  for (int r = 0; r < GROOTS; r++) {
    g.roots[r] = NULL;
    mc_root_remove(al, &g.roots[r]);
  }
  mc_gc_collect(gc, 2);
  CU_ASSERT_EQUAL(stats(gc).live, 0);
  CU_ASSERT_EQUAL(stats(gc).requested, 0);
  mc_gc_free(gc);
}

static void test_rc_random_graphs(void) {
  for (uint64_t seed = 1; seed <= 4; seed++) random_graph(0, seed);
}

static void test_rc_random_graphs_torture(void) { random_graph(1, 99); }

/* ---- the bound ----------------------------------------------------------------------------- */

static void test_rc_bound(void) {
  mc_gc *gc = new_rc(-1);
  mc_alloc al = mc_gc_allocator(gc);
  gnode *root = NULL;
  mc_root_add(al, &root);
  root = gnode_new(al, 0, &gnode_type);
  for (int trial = 0; trial < 5; trial++) {
    gnode *x = gnode_new(al, 1, &other_type); /* its own pool: no reuse can fake liveness */
    mc_store(al, root, &root->p[0], x);
    gnode *y = gnode_new(al, 2, &other_type);
    mc_store(al, x, &x->p[1], y);          /* y hangs from x only */
    mc_store(al, root, &root->p[0], NULL); /* the last reference to x goes */
    CU_ASSERT(alive(gc, x));               /* deferred: not yet */
    int n = 0;
    while (alive(gc, x) && n < 5000) {
      CU_ASSERT_FATAL(mc_alloc_new(al, 8, 8, NULL) != NULL);
      n++;
    }
    CU_ASSERT(n <= 1024);     /* the stated bound: max(1024, roots) allocations */
    CU_ASSERT(!alive(gc, y)); /* its referents in the same reconciliation */
  }
  /* a root slot cleared by a plain C store: same bound */
  gnode *z = gnode_new(al, 3, &other_type);
  mc_store(al, root, &root->p[1], z);
  CU_ASSERT_EQUAL(mc_gc_reconcile(gc) > 0, 1); /* the leaves of the loop above */
  CU_ASSERT(alive(gc, z));
  mc_store(al, root, &root->p[1], NULL);
  CU_ASSERT(mc_gc_reconcile(gc) == sizeof(gnode));
  CU_ASSERT(!alive(gc, z));
  root = NULL;
  mc_gc_reconcile(gc);
  CU_ASSERT_EQUAL(stats(gc).live, 0);
  mc_root_remove(al, &root);
  mc_gc_free(gc);
}

/* ---- no recursion: drops on a 64 KiB C stack ---------------------------------------------- */

#if defined(__SANITIZE_ADDRESS__)
#define MC_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MC_TEST_ASAN 1
#endif
#endif
#ifdef MC_TEST_ASAN
enum { LIST_N = 1000000, TREE_DEPTH = 200000 }; /* ASan: shadow memory, keep it small */
#else
enum { LIST_N = 10000000, TREE_DEPTH = 1000000 };
#endif

typedef struct drop_job {
  mc_gc *gc;
  int detect; /* 1: through a full detection, 0: reconciliation alone */
} drop_job;

static void *drop_thread(void *arg) {
  drop_job *j = arg;
  if (j->detect)
    mc_gc_collect(j->gc, 2);
  else
    mc_gc_reconcile(j->gc);
  return NULL;
}

/* Runs the drop on a thread with a small stack: recursion over 10^6 levels would overflow it. */
static void drop_on_small_stack(mc_gc *gc, int detect) {
  pthread_attr_t attr;
  pthread_t t;
  drop_job j = {gc, detect};
  CU_ASSERT_FATAL(pthread_attr_init(&attr) == 0);
  CU_ASSERT_FATAL(pthread_attr_setstacksize(&attr, 64 * 1024) == 0);
  CU_ASSERT_FATAL(pthread_create(&t, &attr, drop_thread, &j) == 0);
  pthread_join(t, NULL);
  pthread_attr_destroy(&attr);
}

static void deep_list(int detect) {
  mc_gc *gc = new_rc(-1);
  mc_alloc al = mc_gc_allocator(gc);
  pnode *head = NULL;
  mc_root_add(al, &head);
  mc_gc_disable(gc); /* counting only while building: the drop is what is measured */
  for (size_t i = 0; i < LIST_N; i++) {
    pnode *n = mc_alloc_new(al, sizeof *n, 8, &pnode_type);
    CU_ASSERT_FATAL(n != NULL);
    mc_store(al, n, &n->a, head);
    head = n;
  }
  mc_gc_reconcile(gc);
  CU_ASSERT_EQUAL(stats(gc).live, LIST_N);
  CU_ASSERT_EQUAL(mc__rc_verify(gc), MC_OK);
  head = NULL;
  drop_on_small_stack(gc, detect);
  CU_ASSERT_EQUAL(stats(gc).live, 0);
  CU_ASSERT_EQUAL(stats(gc).requested, 0);
  mc_root_remove(al, &head);
  mc_gc_free(gc);
}

static void test_rc_deep_list(void) { deep_list(0); }
static void test_rc_deep_list_detect(void) { deep_list(1); }

/* A comb of depth TREE_DEPTH: each node has a leaf-node child and the next level. */
static void test_rc_deep_tree(void) {
  mc_gc *gc = new_rc(-1);
  mc_alloc al = mc_gc_allocator(gc);
  pnode *top = NULL, *spare = NULL;
  mc_gc_disable(gc);
  mc_root_add(al, &top);
  mc_root_add(al, &spare);
  for (size_t i = 0; i < TREE_DEPTH; i++) {
    spare = mc_alloc_new(al, sizeof *spare, 8, &pnode_type); /* rooted while the next is made */
    pnode *n = mc_alloc_new(al, sizeof *n, 8, &pnode_type);
    CU_ASSERT_FATAL(spare && n);
    mc_store(al, n, &n->a, spare);
    mc_store(al, n, &n->b, top);
    top = n;
  }
  spare = NULL;
  mc_gc_reconcile(gc);
  CU_ASSERT_EQUAL(stats(gc).live, 2 * (size_t)TREE_DEPTH);
  top = NULL;
  drop_on_small_stack(gc, 0);
  CU_ASSERT_EQUAL(stats(gc).live, 0);
  /* once more as one big cycle: the detector on the small stack */
  for (size_t i = 0; i < TREE_DEPTH; i++) {
    pnode *n = mc_alloc_new(al, sizeof *n, 8, &pnode_type);
    CU_ASSERT_FATAL(n != NULL);
    if (!spare) spare = n; /* the bottom, closed into a cycle at the end */
    mc_store(al, n, &n->b, top);
    top = n;
  }
  mc_store(al, spare, &spare->a, top);
  spare = NULL;
  drop_on_small_stack(gc, 1); /* rooted: the detector's traversal walks 10^6 levels */
  CU_ASSERT_EQUAL(stats(gc).live, (size_t)TREE_DEPTH);
  top = NULL;
  mc_gc_reconcile(gc);
  CU_ASSERT_EQUAL(stats(gc).live, (size_t)TREE_DEPTH); /* a cycle: counting keeps it */
  drop_on_small_stack(gc, 1);
  CU_ASSERT_EQUAL(stats(gc).live, 0);
  mc_root_remove(al, &top);
  mc_root_remove(al, &spare);
  mc_gc_free(gc);
}

/* ---- resize and free under counting -----------------------------------------------------------
 */

static void test_rc_resize_transfers(void) {
  mc_gc *gc = new_rc(0);
  mc_alloc al = mc_gc_allocator(gc);
  gnode **arr = NULL;
  mc_root_add(al, &arr);
  arr = mc_alloc_new(al, 4 * sizeof(void *), 8, &ptr_array);
  for (int i = 0; i < 4; i++) mc_store(al, arr, &arr[i], gnode_new(al, (uint64_t)i, &gnode_type));
  /* grow across size classes: the block moves, the nodes keep their counts */
  gnode **big = mc_alloc_resize(al, arr, 4 * sizeof(void *), 64 * sizeof(void *), 8);
  CU_ASSERT_FATAL(big != NULL);
  CU_ASSERT(big != arr);
  arr = big;
  mc_gc_reconcile(gc);
  CU_ASSERT_EQUAL(stats(gc).live, 5);
  /* the moved block keeps its tracking; the nodes hold no pointers: untracked */
  CU_ASSERT_EQUAL(mc_gc_get_objects(gc, -1, NULL, 0), 1);
  CU_ASSERT(mc_gc_is_tracked(gc, arr));
  CU_ASSERT_EQUAL(mc__rc_verify(gc), MC_OK);
  for (int i = 0; i < 4; i++) CU_ASSERT(arr[i]->id == (uint64_t)i && alive(gc, arr[i]));
  for (int i = 4; i < 64; i++) CU_ASSERT_PTR_NULL(arr[i]);
  /* shrink: the slots cut off drop their references */
  gnode *kept = arr[0];
  arr = mc_alloc_resize(al, arr, 64 * sizeof(void *), 1 * sizeof(void *), 8);
  CU_ASSERT_FATAL(arr != NULL);
  mc_gc_reconcile(gc);
  CU_ASSERT_EQUAL(stats(gc).live, 2);
  CU_ASSERT(alive(gc, kept) && arr[0] == kept);
  /* in place (same class): 16 -> 8 bytes drops slot 1 */
  arr = mc_alloc_resize(al, arr, sizeof(void *), 2 * sizeof(void *), 8);
  mc_store(al, arr, &arr[1], gnode_new(al, 9, &gnode_type));
  mc_gc_reconcile(gc);
  CU_ASSERT_EQUAL(stats(gc).live, 3);
  gnode **same = mc_alloc_resize(al, arr, 2 * sizeof(void *), sizeof(void *), 8);
  CU_ASSERT(same == arr);
  mc_gc_reconcile(gc);
  CU_ASSERT_EQUAL(stats(gc).live, 2);
  CU_ASSERT_EQUAL(mc__rc_verify(gc), MC_OK);
  arr = NULL;
  mc_gc_reconcile(gc);
  CU_ASSERT_EQUAL(stats(gc).live, 0);
  CU_ASSERT_EQUAL(mc__rc_verify(gc), MC_OK);
  mc_root_remove(al, &arr);
  mc_gc_free(gc);
}

static void test_rc_free_referenced(void) {
  mc_gc *gc = new_rc(0);
  mc_alloc al = mc_gc_allocator(gc);
  gnode *a = NULL;
  mc_root_add(al, &a);
  a = gnode_new(al, 1, &gnode_type);
  gnode *b = gnode_new(al, 2, &gnode_type);
  mc_store(al, a, &a->p[0], b);
  gnode *c = gnode_new(al, 3, &gnode_type);
  mc_store(al, b, &b->p[0], c);        /* c hangs from b only */
  mc_alloc_free(al, b, sizeof *b, 8);  /* a->p[0] still points to b */
  CU_ASSERT(!mc_gc_is_tracked(gc, b)); /* freed for the caller ... */
  mc_gc_reconcile(gc);
  CU_ASSERT_EQUAL(stats(gc).live, 2); /* ... kept as a husk; its reference to c is gone */
  CU_ASSERT_EQUAL(mc__rc_verify(gc), MC_OK);
  CU_ASSERT(!mc_gc_is_tracked(gc, c));
  mc_store(al, a, &a->p[0], NULL); /* the last slot pointing to b */
  mc_gc_reconcile(gc);
  CU_ASSERT_EQUAL(stats(gc).live, 1);
  mc_alloc_free(al, a, sizeof *a, 8); /* unreferenced: freed now */
  CU_ASSERT_EQUAL(stats(gc).live, 0);
  CU_ASSERT_EQUAL(stats(gc).frees, 2);
  a = NULL;
  mc_root_remove(al, &a);
  mc_gc_free(gc);
}

/* ---- SAVEALL, callbacks, freeze ---------------------------------------------------------- */

/* A ring of n nodes, returned unrooted (make it reachable before the next allocation). */
static gnode *ring(mc_alloc al, gnode **slot, int n) {
  *slot = gnode_new(al, 0, &gnode_type);
  gnode *prev = *slot;
  for (int i = 1; i < n; i++) {
    gnode *x = gnode_new(al, (uint64_t)i, &gnode_type);
    mc_store(al, x, &x->p[0], prev);
    prev = x;
    mc_store(al, *slot, &(*slot)->p[1], x); /* keeps the newest reachable */
  }
  mc_store(al, *slot, &(*slot)->p[0], prev);
  mc_store(al, *slot, &(*slot)->p[1], NULL);
  return *slot;
}

static void test_rc_saveall(void) {
  mc_gc *gc = new_rc(0);
  mc_alloc al = mc_gc_allocator(gc);
  gnode *r = NULL;
  mc_root_add(al, &r);
  ring(al, &r, 10);
  r = NULL;
  mc_gc_set_debug(gc, MC_GC_DEBUG_SAVEALL);
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 2), 10);
  size_t n;
  void *const *g = mc_gc_garbage(gc, &n);
  CU_ASSERT_EQUAL(n, 10);
  for (size_t i = 0; i < n; i++) CU_ASSERT(mc_gc_is_tracked(gc, g[i]));
  CU_ASSERT_EQUAL(stats(gc).live, 10);
  CU_ASSERT_EQUAL(mc__rc_verify(gc), MC_OK);
  mc_gc_collect(gc, 2); /* the list holds them: nothing new */
  mc_gc_garbage(gc, &n);
  CU_ASSERT_EQUAL(n, 10);
  CU_ASSERT_EQUAL(stats(gc).live, 10);
  mc_gc_set_debug(gc, 0);
  mc_gc_garbage_clear(gc);
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 2), 10);
  CU_ASSERT_EQUAL(stats(gc).live, 0);
  mc_root_remove(al, &r);
  mc_gc_free(gc);
}

/* A young detection restores, classifies and frees its candidates in one pass, in the order they
 * were listed: a doomed cycle listed before the survivor it points to drops its reference in the
 * survivor's saved count (restored after), and a doomed self-loop reads its own record. */
static void test_rc_young_doomed_before_survivor(void) {
  mc_gc *gc = new_rc(0);
  mc_alloc al = mc_gc_allocator(gc);
  pnode *a = NULL, *b = NULL, *c = NULL, *s = NULL;
  mc_root_add(al, &a);
  mc_root_add(al, &b);
  mc_root_add(al, &c);
  mc_root_add(al, &s);
  a = mc_alloc_new(al, sizeof *a, 8, &pnode_type);
  b = mc_alloc_new(al, sizeof *b, 8, &pnode_type);
  c = mc_alloc_new(al, sizeof *c, 8, &pnode_type);
  s = mc_alloc_new(al, sizeof *s, 8, &pnode_type);
  pnode *d = mc_alloc_new(al, sizeof *d, 8, &pnode_type); /* stays untracked: a leaf */
  mc_store(al, c, &c->a, d);                              /* c is tracked, listed after a, b */
  mc_store(al, a, &a->a, b);
  mc_store(al, b, &b->a, a);
  mc_store(al, a, &a->b, c); /* the cycle holds the only counted reference to c */
  mc_store(al, s, &s->a, s);
  pnode *keep = c;
  a = b = s = NULL;
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 0), 3); /* a, b and s */
  CU_ASSERT(alive(gc, keep));
  CU_ASSERT(alive(gc, d));
  mc__rc_ref r = {0};
  CU_ASSERT_FATAL(mc__rc_find(mc__rc_of(gc), keep, &r));
  CU_ASSERT_EQUAL(*r.rc, 0); /* the cycle's reference came off */
  CU_ASSERT(mc_gc_is_tracked(gc, keep));
  CU_ASSERT_EQUAL(mc__rc_verify(gc), MC_OK);
  c = NULL; /* only the root held it: counting frees it and its leaf */
  mc_gc_collect(gc, 0);
  CU_ASSERT_EQUAL(stats(gc).live, 0);
  CU_ASSERT_EQUAL(mc__rc_verify(gc), MC_OK);
  mc_root_remove(al, &a);
  mc_root_remove(al, &b);
  mc_root_remove(al, &c);
  mc_root_remove(al, &s);
  mc_gc_free(gc);
}

typedef struct cb_log {
  int starts, stops, last_gen;
  size_t collected;
} cb_log;

static void cb(const mc_gc_info *info, void *arg) {
  cb_log *l = arg;
  if (info->phase == 0)
    l->starts++;
  else
    l->stops++, l->collected += info->collected;
  l->last_gen = info->generation;
}

static void test_rc_callbacks(void) {
  mc_gc *gc = new_rc(0);
  mc_alloc al = mc_gc_allocator(gc);
  cb_log l = {0, 0, -1, 0};
  CU_ASSERT(mc_gc_callback_add(gc, cb, &l) == MC_OK);
  gnode *r = NULL;
  mc_root_add(al, &r);
  ring(al, &r, 5);
  r = NULL;
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 1), 5);
  CU_ASSERT(l.starts == 1 && l.stops == 1 && l.last_gen == 1 && l.collected == 5);
  CU_ASSERT(mc_gc_callback_remove(gc, cb, &l) == MC_OK);
  CU_ASSERT(mc_gc_callback_remove(gc, cb, &l) == MC_EINVAL);
  mc_gc_collect(gc, 0);
  CU_ASSERT_EQUAL(l.starts, 1);
  mc_gc_stats s[MC_GC_NGEN];
  mc_gc_get_stats(gc, s);
  CU_ASSERT(s[1].collections == 1 && s[1].collected == 5 && s[0].collections == 1);
  mc_root_remove(al, &r);
  mc_gc_free(gc);
}

static void test_rc_freeze(void) {
  mc_gc *gc = new_rc(0);
  mc_alloc al = mc_gc_allocator(gc);
  gnode *r = NULL;
  mc_root_add(al, &r);
  ring(al, &r, 8);
  mc_gc_freeze(gc);
  CU_ASSERT_EQUAL(mc_gc_get_freeze_count(gc), 8);
  CU_ASSERT_EQUAL(mc_gc_get_objects(gc, -1, NULL, 0), 0);
  r = NULL;
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 2), 0); /* frozen: never a candidate */
  CU_ASSERT_EQUAL(mc__rc_verify(gc), MC_OK);
  CU_ASSERT_EQUAL(stats(gc).live, 8);
  mc_gc_unfreeze(gc);
  CU_ASSERT_EQUAL(mc_gc_get_freeze_count(gc), 0);
  CU_ASSERT_EQUAL(mc_gc_get_objects(gc, 2, NULL, 0), 8);
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 2), 8);
  CU_ASSERT_EQUAL(stats(gc).live, 0);
  mc_root_remove(al, &r);
  mc_gc_free(gc);
}

/* A frozen block is outside every detection but its references count: a ring that only a
 * frozen (unrooted, cyclic) ring holds survives full detections, which start from the roots
 * alone only while nothing is frozen; after unfreeze both rings are found from the roots. */
static void test_rc_frozen_holds_cycle(void) {
  mc_gc *gc = new_rc(0);
  mc_alloc al = mc_gc_allocator(gc);
  gnode *f = NULL, *c = NULL;
  mc_root_add(al, &f);
  mc_root_add(al, &c);
  ring(al, &f, 3);
  mc_gc_freeze(gc);
  ring(al, &c, 5);
  mc_store(al, f, &f->p[2], c); /* the frozen ring holds the new one */
  c = NULL;
  f = NULL; /* only its cycle keeps the frozen ring */
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 2), 0);
  CU_ASSERT_EQUAL(stats(gc).live, 8);
  CU_ASSERT_EQUAL(mc__rc_verify(gc), MC_OK);
  mc_gc_unfreeze(gc);
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 2), 8);
  CU_ASSERT_EQUAL(stats(gc).live, 0);
  CU_ASSERT_EQUAL(mc__rc_verify(gc), MC_OK);
  mc_root_remove(al, &c);
  mc_root_remove(al, &f);
  mc_gc_free(gc);
}

/* ---- CPython's untracking rule ---------------------------------------------------------- */

/* A typed block is untracked (in no generation, not in get_objects) until a pointer to a typed
 * block is stored into it; pointers to leaves, NULL, freeze and reconciliations leave it so. */
static void test_rc_untracked_until_typed_store(void) {
  mc_gc *gc = new_rc(0);
  mc_alloc al = mc_gc_allocator(gc);
  gnode *a = NULL, *b = NULL;
  mc_root_add(al, &a);
  mc_root_add(al, &b);
  a = gnode_new(al, 1, &gnode_type);
  CU_ASSERT(!mc_gc_is_tracked(gc, a) && alive(gc, a));
  void *leaf = mc_alloc_new(al, 32, 8, NULL);
  mc_store(al, a, &a->p[0], leaf); /* a pointer-free block cannot lead back: still untracked */
  mc_store(al, a, &a->p[1], NULL);
  CU_ASSERT(!mc_gc_is_tracked(gc, a));
  CU_ASSERT_EQUAL(mc_gc_get_objects(gc, -1, NULL, 0), 0);
  mc_gc_freeze(gc);
  CU_ASSERT_EQUAL(mc_gc_get_freeze_count(gc), 0); /* freeze moves tracked blocks only */
  mc_gc_unfreeze(gc);
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 2), 0);
  CU_ASSERT(!mc_gc_is_tracked(gc, a) && alive(gc, a) && alive(gc, leaf));
  b = gnode_new(al, 2, &gnode_type); /* a is no longer new: tracking it lists it again */
  mc_store(al, a, &a->p[2], b);
  CU_ASSERT(mc_gc_is_tracked(gc, a) && !mc_gc_is_tracked(gc, b));
  void *objs[2];
  CU_ASSERT_EQUAL(mc_gc_get_objects(gc, 0, objs, 2), 1);
  CU_ASSERT_PTR_EQUAL(objs[0], a);
  CU_ASSERT_EQUAL(mc_gc_get_referrers(gc, b, objs, 2), 1); /* tracked referrers, as CPython */
  CU_ASSERT_EQUAL(mc_gc_get_referents(gc, b, NULL, 0), 0); /* untracked: traversed all the same */
  CU_ASSERT_EQUAL(mc_gc_get_referents(gc, a, NULL, 0), 2);
  mc_store(al, a, &a->p[2], NULL); /* never untracked again (CPython untracks dicts only in GC) */
  CU_ASSERT(mc_gc_is_tracked(gc, a));
  CU_ASSERT_EQUAL(mc__rc_verify(gc), MC_OK);
  a = b = NULL;
  mc_gc_reconcile(gc);
  CU_ASSERT_EQUAL(stats(gc).live, 0);
  mc_root_remove(al, &a);
  mc_root_remove(al, &b);
  mc_gc_free(gc);
}

/* A ring closed out of blocks that were all untracked (and survived reconciliations, so each is
 * listed on generation 0 by the store that tracks it): found by a young detection under rc,
 * kept under rc-off (counting alone never frees a cycle). */
static void untracked_ring(int detector) {
  enum { R = 6 };
  mc_gc *gc = new_rc(0);
  if (!detector) mc_gc_disable(gc);
  mc_alloc al = mc_gc_allocator(gc);
  gnode *x[R];
  for (int i = 0; i < R; i++) {
    mc_root_add(al, &x[i]);
    x[i] = gnode_new(al, (uint64_t)i, &gnode_type);
  }
  mc_gc_reconcile(gc);
  for (int i = 0; i < R; i++) CU_ASSERT(!mc_gc_is_tracked(gc, x[i]));
  for (int i = 0; i < R; i++) mc_store(al, x[i], &x[i]->p[0], x[(i + 1) % R]);
  for (int i = 0; i < R; i++) CU_ASSERT(mc_gc_is_tracked(gc, x[i]));
  CU_ASSERT_EQUAL(mc__rc_verify(gc), MC_OK);
  for (int i = 0; i < R; i++) x[i] = NULL;
  mc_gc_reconcile(gc);
  CU_ASSERT_EQUAL(stats(gc).live, R); /* a cycle: counting keeps it */
  if (detector) {
    CU_ASSERT_EQUAL(mc_gc_collect(gc, 0), R);
    CU_ASSERT_EQUAL(stats(gc).live, 0);
  } else {
    for (int i = 0; i < 3000; i++) CU_ASSERT_FATAL(mc_alloc_new(al, 16, 8, &gnode_type) != NULL);
    mc_gc_reconcile(gc);
    CU_ASSERT_EQUAL(stats(gc).live, R);
  }
  CU_ASSERT_EQUAL(mc__rc_verify(gc), MC_OK);
  for (int i = 0; i < R; i++) mc_root_remove(al, &x[i]);
  mc_gc_free(gc);
}
static void test_rc_untracked_ring_rc(void) { untracked_ring(1); }
static void test_rc_untracked_ring_rc_off(void) { untracked_ring(0); }

/* ---- the registered roots ------------------------------------------------------------------ */

/* Root slots registered once or twice and removed in a shuffled order (the dense list the
 * reconciliation walks moves its last entry into each hole): after every removal, exactly the
 * blocks of the slots still registered survive a reconciliation. */
static void test_rc_roots_registry(void) {
  enum { NR = 200 };
  mc_gc *gc = new_rc(-1);
  mc_alloc al = mc_gc_allocator(gc);
  static void *slot[NR];
  int regs[NR], order[2 * NR], n = 0;
  srand(7);
  for (int i = 0; i < NR; i++) {
    regs[i] = 1 + (i % 3 == 0); /* every third slot twice */
    for (int k = 0; k < regs[i]; k++) {
      mc_root_add(al, &slot[i]);
      order[n++] = i;
    }
    slot[i] = mc_alloc_new(al, 24, 8, NULL);
    CU_ASSERT_FATAL(slot[i] != NULL);
  }
  for (int k = n - 1; k > 0; k--) { /* Fisher-Yates */
    int j = rand() % (k + 1), t = order[k];
    order[k] = order[j], order[j] = t;
  }
  for (int k = 0; k < n; k++) {
    int i = order[k];
    mc_root_remove(al, &slot[i]);
    if (--regs[i] == 0) slot[i] = NULL; /* a slot unregistered: its value no longer counts */
    mc_gc_reconcile(gc);
    size_t want = 0;
    for (int j = 0; j < NR; j++) want += regs[j] > 0;
    CU_ASSERT_EQUAL_FATAL(stats(gc).live, want);
    for (int j = 0; j < NR; j++)
      if (regs[j]) CU_ASSERT_FATAL(alive(gc, slot[j]));
  }
  CU_ASSERT_EQUAL(mc__rc_verify(gc), MC_OK);
  mc_gc_free(gc);
}

/* ---- CPython's untrack_tuples: MC_TYPE_IMMUTABLE ----------------------------------------- */

static const mc_type tuple_type = {"test.rc.tuple",  MC_TYPE_OFFSETS, pnode_offsets, 2, NULL,
                                   MC_TYPE_IMMUTABLE};

/* A complete tree of depth d of type t, built bottom up (children first, as tuples are): the
 * finished subtrees of level k wait in the root slots shadow[2k], shadow[2k + 1]. late: each
 * node is filled after another allocation (as CPython's PyTuple_New, then PyTuple_SET_ITEM). */
static pnode *tuple_tree(mc_alloc al, const mc_type *t, pnode **shadow, int d, int k, int late) {
  if (d > 0) {
    shadow[2 * k] = tuple_tree(al, t, shadow, d - 1, k + 1, late);
    shadow[2 * k + 1] = tuple_tree(al, t, shadow, d - 1, k + 1, late);
  }
  pnode *n = mc_alloc_new(al, sizeof *n, 8, t);
  CU_ASSERT_FATAL(n != NULL);
  if (late) CU_ASSERT_FATAL(mc_alloc_new(al, 8, 8, NULL) != NULL); /* garbage at once */
  if (d > 0) {
    mc_store(al, n, &n->a, shadow[2 * k]);
    mc_store(al, n, &n->b, shadow[2 * k + 1]);
    shadow[2 * k] = shadow[2 * k + 1] = NULL;
  }
  return n;
}

static size_t tree_nodes(const pnode *n) { return n ? 1 + tree_nodes(n->a) + tree_nodes(n->b) : 0; }

/* Tracked nodes of a tree (is_tracked). */
static size_t tree_tracked(mc_gc *gc, const pnode *n) {
  return n ? (size_t)mc_gc_is_tracked(gc, n) + tree_tracked(gc, n->a) + tree_tracked(gc, n->b) : 0;
}

/* Tuple-like nodes, each filled right after its allocation with untracked tuple-like ones, are
 * never tracked (CPython 3.14 builds such a tuple untracked) nor counted; filled later (after
 * another allocation), a tree's interior nodes are tracked by their children's stores and leave
 * the detector in the first detection they survive (CPython's untrack_tuples; the leaves never
 * were tracked); the same tree of mutable nodes stays tracked and moves to generation 1.
 * Counting frees all three. */
static void test_rc_immutable_tree_untracked(void) {
  enum { D = 6, INTERIOR = (1 << D) - 1, NODES = (2 << D) - 1 };
  mc_gc *gc = new_rc(0); /* detections only when asked */
  mc_alloc al = mc_gc_allocator(gc);
  pnode *shadow[2 * (D + 1)] = {0}, *tup = NULL, *late = NULL, *mut = NULL;
  for (int i = 0; i < 2 * (D + 1); i++) mc_root_add(al, &shadow[i]);
  mc_root_add(al, &tup);
  mc_root_add(al, &late);
  mc_root_add(al, &mut);
  int c[MC_GC_NGEN];
  tup = tuple_tree(al, &tuple_type, shadow, D, 0, 0);
  mc_gc_get_count(gc, c);
  CU_ASSERT_EQUAL(c[0], 0);
  CU_ASSERT_EQUAL(tree_tracked(gc, tup), 0);
  late = tuple_tree(al, &tuple_type, shadow, D, 0, 1);
  mut = tuple_tree(al, &pnode_type, shadow, D, 0, 0);
  mc_gc_get_count(gc, c);
  CU_ASSERT_EQUAL(c[0], 2 * INTERIOR);
  CU_ASSERT_EQUAL(tree_tracked(gc, late), INTERIOR);
  CU_ASSERT_EQUAL(mc_gc_get_objects(gc, -1, NULL, 0), 2 * INTERIOR);
  CU_ASSERT_EQUAL(mc__rc_verify(gc), MC_OK);
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 0), 0);
  CU_ASSERT_EQUAL(tree_tracked(gc, late), 0); /* the whole tree, in one detection */
  CU_ASSERT_EQUAL(tree_tracked(gc, mut), INTERIOR);
  CU_ASSERT_EQUAL(mc_gc_get_objects(gc, -1, NULL, 0), INTERIOR);
  CU_ASSERT_EQUAL(mc_gc_get_objects(gc, 1, NULL, 0), INTERIOR); /* the mutable one moved on */
  CU_ASSERT_EQUAL(mc__rc_verify(gc), MC_OK);
  CU_ASSERT_EQUAL(tree_nodes(tup), NODES);
  CU_ASSERT_EQUAL(tree_nodes(late), NODES);
  CU_ASSERT_EQUAL(stats(gc).live, 3 * NODES); /* the late tree's garbage went */
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 2), 0);   /* a full detection keeps them untracked and alive */
  CU_ASSERT_EQUAL(tree_tracked(gc, tup) + tree_tracked(gc, late), 0);
  CU_ASSERT_EQUAL(stats(gc).live, 3 * NODES);
  tup = late = NULL;
  mc_gc_reconcile(gc); /* counting frees the untracked trees, no detection needed */
  CU_ASSERT_EQUAL(stats(gc).live, NODES);
  mut = NULL;
  mc_gc_reconcile(gc);
  CU_ASSERT_EQUAL(stats(gc).live, 0);
  CU_ASSERT_EQUAL(mc__rc_verify(gc), MC_OK);
  for (int i = 0; i < 2 * (D + 1); i++) mc_root_remove(al, &shadow[i]);
  mc_root_remove(al, &tup);
  mc_root_remove(al, &late);
  mc_root_remove(al, &mut);
  mc_gc_free(gc);
}

/* The flag's contract broken: an untracked chain of tuple-like nodes, then its last node (old,
 * untracked) is stored a pointer to the first: a cycle through untracked blocks. Never a wrong
 * free: a young detection sees the untracked holder's reference as an outside one and keeps the
 * cycle; the next full detection tracks the chain again first (the hazard) and frees it. */
static void test_rc_immutable_stored_into_later(void) {
  enum { L = 5 };
  mc_gc *gc = new_rc(0);
  mc_alloc al = mc_gc_allocator(gc);
  pnode *head = NULL, *last = NULL;
  mc_root_add(al, &head);
  mc_root_add(al, &last);
  last = head = mc_alloc_new(al, sizeof *head, 8, &tuple_type);
  for (int i = 1; i < L; i++) { /* each node built after the one it points to */
    pnode *n = mc_alloc_new(al, sizeof *n, 8, &tuple_type);
    CU_ASSERT_FATAL(n != NULL);
    mc_store(al, n, &n->a, head);
    head = n;
  }
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 0), 0);
  CU_ASSERT_EQUAL(mc_gc_get_objects(gc, -1, NULL, 0), 0); /* all untracked */
  mc_gc_reconcile(gc);                                    /* last is no longer new */
  mc_store(al, last, &last->b, head);                     /* closes the cycle */
  CU_ASSERT(mc_gc_is_tracked(gc, last) && !mc_gc_is_tracked(gc, head));
  CU_ASSERT_EQUAL(mc__rc_verify(gc), MC_OK);
  head = last = NULL;
  mc_gc_reconcile(gc);
  CU_ASSERT_EQUAL(stats(gc).live, L);       /* a cycle: counting keeps it */
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 0), 0); /* held from an untracked node: kept, never freed */
  CU_ASSERT_EQUAL(stats(gc).live, L);
  CU_ASSERT_EQUAL(mc__rc_verify(gc), MC_OK);
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 2), L); /* the chain tracked again first: found */
  CU_ASSERT_EQUAL(stats(gc).live, 0);
  CU_ASSERT_EQUAL(mc__rc_verify(gc), MC_OK);
  mc_root_remove(al, &head);
  mc_root_remove(al, &last);
  mc_gc_free(gc);
}

/* Built untracked, exactly as far as it is safe: a tuple-like node stored an untracked tuple-like
 * node right after its allocation stays untracked and uncounted; one stored itself, a mutable
 * node, or filled after another allocation is tracked; a node that a built one points to, stored
 * into later, is tracked and makes the cycle through both visible to the next full detection
 * only (the hazard): never a wrong free, never a cycle lost for good. */
static void test_rc_immutable_built_untracked(void) {
  mc_gc *gc = new_rc(0);
  mc_alloc al = mc_gc_allocator(gc);
  pnode *x = NULL, *y = NULL, *m = NULL;
  mc_root_add(al, &x);
  mc_root_add(al, &y);
  mc_root_add(al, &m);
  int c[MC_GC_NGEN];
  x = mc_alloc_new(al, sizeof *x, 8, &tuple_type);
  y = mc_alloc_new(al, sizeof *y, 8, &tuple_type);
  mc_store(al, y, &y->a, x); /* y is the latest allocation, x untracked: y stays untracked */
  mc_gc_get_count(gc, c);
  CU_ASSERT(!mc_gc_is_tracked(gc, y) && c[0] == 0);
  CU_ASSERT_EQUAL(mc__rc_verify(gc), MC_OK);
  mc_store(al, y, &y->b, y); /* itself: a cycle, so tracked */
  mc_gc_get_count(gc, c);
  CU_ASSERT(mc_gc_is_tracked(gc, y) && c[0] == 1);
  mc_store(al, y, &y->b, NULL);
  m = mc_alloc_new(al, sizeof *m, 8, &pnode_type);
  pnode *t = mc_alloc_new(al, sizeof *t, 8, &tuple_type);
  mc_store(al, t, &t->a, m); /* a mutable referent: tracked (it may be tracked later) */
  CU_ASSERT(mc_gc_is_tracked(gc, t));
  y = mc_alloc_new(al, sizeof *y, 8, &tuple_type);
  mc_store(al, y, &y->a, x); /* built untracked again: x may be pointed to by an untracked node */
  CU_ASSERT(!mc_gc_is_tracked(gc, y));
  CU_ASSERT_FATAL(mc_alloc_new(al, 8, 8, NULL) != NULL); /* x is no longer under construction */
  mc_store(al, x, &x->a, y);                             /* closes x -> y -> x: x tracked */
  CU_ASSERT(mc_gc_is_tracked(gc, x) && !mc_gc_is_tracked(gc, y));
  CU_ASSERT_EQUAL(mc__rc_verify(gc), MC_OK);
  x = y = m = NULL;
  mc_gc_reconcile(gc);
  CU_ASSERT_EQUAL(stats(gc).live, 2);       /* the cycle: counting keeps it */
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 0), 0); /* held from an untracked node: kept, never freed */
  CU_ASSERT_EQUAL(stats(gc).live, 2);
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 2), 2); /* tracked again first: found */
  CU_ASSERT_EQUAL(stats(gc).live, 0);
  CU_ASSERT_EQUAL(mc__rc_verify(gc), MC_OK);
  mc_root_remove(al, &x);
  mc_root_remove(al, &y);
  mc_root_remove(al, &m);
  mc_gc_free(gc);
}

/* ---- the control API ----------------------------------------------------------------------- */

static void test_rc_control_api(void) {
  mc_gc_config cfg;
  mc_gc_config_refcount(&cfg);
  cfg.model = 7;
  mc_gc *bad = NULL;
  CU_ASSERT(mc_gc_new(&bad, mc_system_allocator(NULL), &cfg) == MC_EINVAL);
  mc_gc *gc = new_rc(-1);
  mc_alloc al = mc_gc_allocator(gc);
  CU_ASSERT_STRING_EQUAL(mc_alloc_name(al), "rc");
  CU_ASSERT_PTR_EQUAL(mc_gc_heap_of(al), gc);
  CU_ASSERT_PTR_NULL(mc_gc_of(al)); /* the tracing direct API does not apply */
  int t[3];
  mc_gc_get_threshold(gc, t);
  CU_ASSERT(t[0] == 700 && t[1] == 10 && t[2] == 10);
  int neg[3] = {1, -1, 1};
  CU_ASSERT(mc_gc_set_threshold(gc, neg) == MC_EINVAL);
  CU_ASSERT(mc_gc_isenabled(gc) == 1);
  CU_ASSERT(mc_gc_disable(gc) == 1);
  CU_ASSERT(mc_gc_isenabled(gc) == 0);
  CU_ASSERT(mc_gc_enable(gc) == 0);
  /* counts: tracked objects minus the tracked ones freed (CPython 3.14's young count, since
   * gh-139951: a GC object counts from its tracking); over 700, one young detection at the next
   * allocation */
  gnode *keep = NULL;
  mc_root_add(al, &keep);
  /* holding no pointer, a typed block is untracked (as CPython's {} is) and not counted */
  keep = mc_alloc_new(al, 700 * sizeof(void *), 8, &ptr_array);
  void *leaf = mc_alloc_new(al, 24, 8, NULL);
  int c[3];
  mc_gc_get_count(gc, c);
  CU_ASSERT(c[0] == 0 && c[1] == 0 && c[2] == 0);
  CU_ASSERT(!mc_gc_is_tracked(gc, leaf));
  CU_ASSERT(!mc_gc_is_tracked(gc, keep));
  void **slots = (void **)keep;
  for (int i = 0; i < 700; i++) {
    mc_store(al, keep, &slots[i], gnode_new(al, (uint64_t)i, &gnode_type));
    CU_ASSERT(mc_gc_is_tracked(gc, keep)); /* from the first typed referent on */
  }
  mc_gc_get_count(gc, c);
  CU_ASSERT_EQUAL(c[0], 1);     /* keep; its 700 nodes hold no pointer: untracked, not counted */
  for (int i = 0; i < 700; i++) /* each node points back to keep: tracked, counted */
    mc_store(al, slots[i], &((gnode *)slots[i])->p[1], keep);
  mc_gc_get_count(gc, c);
  mc_gc_stats s[3];
  mc_gc_get_stats(gc, s);
  CU_ASSERT(c[0] == 701 && s[0].collections == 0);
  void *leaf2 = mc_alloc_new(al, 8, 8, NULL); /* the safe point: generation 0 is over 700 */
  CU_ASSERT_PTR_NOT_NULL(leaf2);
  mc_gc_get_count(gc, c);
  mc_gc_get_stats(gc, s);
  CU_ASSERT_EQUAL(s[0].collections, 1);
  CU_ASSERT(c[1] == 1 && c[0] == 0);
  CU_ASSERT_EQUAL(mc_gc_get_objects(gc, 1, NULL, 0), 701); /* keep and its nodes moved on */
  CU_ASSERT_EQUAL(mc_gc_get_objects(gc, 0, NULL, 0), 0);
  CU_ASSERT(mc_gc_is_tracked(gc, slots[0]) && alive(gc, slots[0]));
  CU_ASSERT_EQUAL(stats(gc).live, 702); /* keep, its nodes, leaf2 (the unreferenced leaf went) */
  /* referents and referrers */
  void *out[4];
  CU_ASSERT_EQUAL(mc_gc_get_referrers(gc, slots[5], out, 4), 1);
  CU_ASSERT_PTR_EQUAL(out[0], keep);
  mc_store(al, slots[5], &((gnode *)slots[5])->p[2], slots[6]);
  CU_ASSERT_EQUAL(mc_gc_get_referents(gc, slots[5], out, 4), 2);
  CU_ASSERT(out[0] == keep && out[1] == slots[6]);
  CU_ASSERT_EQUAL(mc_gc_get_referrers(gc, slots[6], NULL, 0), 2);
  /* debug lines through the sink */
  mc_gc_set_debug(gc, MC_GC_DEBUG_STATS);
  CU_ASSERT_EQUAL(mc_gc_get_debug(gc), MC_GC_DEBUG_STATS);
  keep = NULL;
  CU_ASSERT_EQUAL(mc_gc_collect(gc, -1), 701); /* keep and its nodes: cycles (leaf2: counting) */
  CU_ASSERT_EQUAL(mc_gc_get_objects(gc, -1, NULL, 0), 0);
  mc_alloc_stats st = stats(gc);
  CU_ASSERT(st.collections >= 2 && st.reclaimed > 0 && st.pause_ns_total > 0);
  CU_ASSERT(st.requested == 0 && st.live == 0 &&
            st.requested_peak >= 700 * 8 + 700 * sizeof(gnode));
  mc_root_remove(al, &keep);
  mc_gc_free(gc);
}

/* disable() stops only the detector: counting still frees acyclic garbage. */
static void test_rc_disable_counts(void) {
  mc_gc *gc = new_rc(-1);
  mc_alloc al = mc_gc_allocator(gc);
  mc_gc_disable(gc);
  gnode *r = NULL;
  mc_root_add(al, &r);
  for (int i = 0; i < 5000; i++) {
    r = gnode_new(al, (uint64_t)i, &gnode_type);
    if (i % 2) mc_store(al, r, &r->p[0], r); /* odd ones: a self-cycle */
  }
  r = NULL;
  mc_gc_reconcile(gc);
  mc_gc_stats s[3];
  mc_gc_get_stats(gc, s);
  CU_ASSERT(s[0].collections + s[1].collections + s[2].collections == 0);
  CU_ASSERT_EQUAL(stats(gc).live, 2500);
  CU_ASSERT_EQUAL(mc__rc_verify(gc), MC_OK);
  CU_ASSERT_EQUAL(mc_gc_collect(gc, 2), 2500); /* collect runs even when disabled */
  CU_ASSERT_EQUAL(stats(gc).live, 0);
  mc_root_remove(al, &r);
  mc_gc_free(gc);
}

/* ---- heap limit: the emergency detection ----------------------------------------------------- */

static void test_rc_heap_limit(void) {
  mc_gc *gc = new_rc(-1);
  mc_alloc al = mc_gc_allocator(gc);
  mc_gc_disable(gc);
  mc_gc_set_heap_limit(gc, stats(gc).footprint + ((size_t)4 << 20));
  gnode *r = NULL;
  mc_root_add(al, &r);
  /* 10 MB of rings, dropped: only the emergency detection can free them */
  for (int i = 0; i < 10 * 1024; i++) {
    ring(al, &r, 16);
    CU_ASSERT_FATAL(r != NULL);
    r = NULL;
  }
  CU_ASSERT(stats(gc).footprint_peak <= stats(gc).footprint + ((size_t)6 << 20));
  mc_gc_stats s[3];
  mc_gc_get_stats(gc, s);
  CU_ASSERT(s[2].collections > 0);
  /* a block bigger than the limit fails cleanly */
  CU_ASSERT_PTR_NULL(mc_alloc_new(al, (size_t)8 << 20, 16, NULL));
  CU_ASSERT(stats(gc).failures >= 1);
  mc_root_remove(al, &r);
  mc_gc_free(gc);
}

/* ---- the lesson: chains closed into cycles vs left open -------------------------------------- */

enum { LESSON_N = 200000, CHAIN = 64 };

/* Builds LESSON_N two-slot nodes in chains of CHAIN, each dropped once built; returns live
 * requested bytes after the run (the heap settled: a reconciliation for refcount, nothing
 * else for tracing unless collect). */
static size_t lesson(int refcount, int enabled, int cyclic) {
  mc_gc_config cfg;
  if (refcount)
    mc_gc_config_refcount(&cfg);
  else
    mc_gc_config_python(&cfg);
  mc_gc *gc = NULL;
  CU_ASSERT_FATAL(mc_gc_new(&gc, mc_system_allocator(NULL), &cfg) == MC_OK);
  if (!enabled) mc_gc_disable(gc);
  mc_alloc al = mc_gc_allocator(gc);
  pnode *head = NULL;
  mc_root_add(al, &head);
  for (size_t i = 0; i < LESSON_N / CHAIN; i++) {
    head = mc_alloc_new(al, sizeof *head, 8, &pnode_type);
    CU_ASSERT_FATAL(head != NULL);
    pnode *tail = head;
    for (int k = 1; k < CHAIN; k++) {
      pnode *n = mc_alloc_new(al, sizeof *n, 8, &pnode_type);
      CU_ASSERT_FATAL(n != NULL);
      mc_store(al, tail, &tail->a, n);
      tail = n;
    }
    if (cyclic) mc_store(al, tail, &tail->a, head);
    head = NULL;
  }
  if (enabled)
    mc_gc_collect(gc, -1);
  else
    mc_gc_reconcile(gc);
  size_t live = stats(gc).requested;
  mc_root_remove(al, &head);
  mc_gc_free(gc);
  return live;
}

static void test_rc_lesson(void) {
  size_t cycles = (LESSON_N / CHAIN) * CHAIN * sizeof(pnode);
  CU_ASSERT_EQUAL(lesson(1, 0, 1), cycles); /* rc-off: exactly the cycles */
  CU_ASSERT_EQUAL(lesson(1, 0, 0), 0);      /* rc-off: nothing of the open chains */
  CU_ASSERT_EQUAL(lesson(1, 1, 1), 0);      /* rc: neither */
  CU_ASSERT_EQUAL(lesson(1, 1, 0), 0);
  CU_ASSERT_EQUAL(lesson(0, 0, 1), cycles); /* gc-off: both */
  CU_ASSERT_EQUAL(lesson(0, 0, 0), cycles);
  CU_ASSERT_EQUAL(lesson(0, 1, 1), 0); /* gc: neither */
  CU_ASSERT_EQUAL(lesson(0, 1, 0), 0);
}

/* ---- torture: the detector at every allocation ---------------------------------------------- */

static void test_rc_torture_generations(void) {
  mc_gc_config cfg;
  mc_gc_config_refcount(&cfg);
  cfg.torture = 1;
  mc_gc *gc = NULL;
  CU_ASSERT_FATAL(mc_gc_new(&gc, mc_system_allocator(NULL), &cfg) == MC_OK);
  mc_alloc al = mc_gc_allocator(gc);
  gnode *r = NULL;
  mc_root_add(al, &r);
  for (int i = 0; i < 30; i++) {
    ring(al, &r, 7);
    r = NULL;
  }
  mc_gc_stats s[3];
  mc_gc_get_stats(gc, s);
  CU_ASSERT(s[0].collections > 0 && s[1].collections > 0 && s[2].collections > 0);
  CU_ASSERT(stats(gc).live <= 7 * 2);
  CU_ASSERT_EQUAL(mc__rc_verify(gc), MC_OK);
  mc_gc_collect(gc, 2);
  CU_ASSERT_EQUAL(stats(gc).live, 0);
  mc_root_remove(al, &r);
  mc_gc_free(gc);
}

static CU_TestInfo tests[] = {
    {"test_rc_random_graphs", test_rc_random_graphs},
    {"test_rc_random_graphs_torture", test_rc_random_graphs_torture},
    {"test_rc_bound", test_rc_bound},
    {"test_rc_deep_list", test_rc_deep_list},
    {"test_rc_deep_list_detect", test_rc_deep_list_detect},
    {"test_rc_deep_tree", test_rc_deep_tree},
    {"test_rc_resize_transfers", test_rc_resize_transfers},
    {"test_rc_free_referenced", test_rc_free_referenced},
    {"test_rc_saveall", test_rc_saveall},
    {"test_rc_young_doomed_before_survivor", test_rc_young_doomed_before_survivor},
    {"test_rc_callbacks", test_rc_callbacks},
    {"test_rc_freeze", test_rc_freeze},
    {"test_rc_frozen_holds_cycle", test_rc_frozen_holds_cycle},
    {"test_rc_untracked_until_typed_store", test_rc_untracked_until_typed_store},
    {"test_rc_untracked_ring_rc", test_rc_untracked_ring_rc},
    {"test_rc_untracked_ring_rc_off", test_rc_untracked_ring_rc_off},
    {"test_rc_roots_registry", test_rc_roots_registry},
    {"test_rc_immutable_tree_untracked", test_rc_immutable_tree_untracked},
    {"test_rc_immutable_stored_into_later", test_rc_immutable_stored_into_later},
    {"test_rc_immutable_built_untracked", test_rc_immutable_built_untracked},
    {"test_rc_control_api", test_rc_control_api},
    {"test_rc_disable_counts", test_rc_disable_counts},
    {"test_rc_heap_limit", test_rc_heap_limit},
    {"test_rc_lesson", test_rc_lesson},
    {"test_rc_torture_generations", test_rc_torture_generations},
    CU_TEST_INFO_NULL,
};

static int add_suites(void) { return mc_test_add_suite("rc", tests); }

int main(void) { return mc_test_main(add_suites); }
