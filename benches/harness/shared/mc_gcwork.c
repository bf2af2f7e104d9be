/* mc_gcwork.c — binary-trees, GCBench and cycles over an mc_alloc.
 *
 * binary-trees reproduces the Benchmarks Game program (binarytrees.gcc, the reference C
 * version): min depth 4, max depth max(min + 2, n), a stretch tree of depth max + 1, a long-lived
 * tree of depth max, then for depth = 4, 6, .. max: 2^(max - depth + 4) trees of that depth,
 * each built, checked (node count) and dropped; the printf formats are the published ones. The
 * trees are built bottom up as published (left subtree, right subtree, parent); since a precise
 * collector does not scan the C stack, finished subtrees wait in registered root slots (a shadow
 * stack, tree_make) until their parent holds them.
 *
 * GCBench follows Hans Boehm's GCBench.c (kStretchTreeDepth 18, kLongLivedTreeDepth 16,
 * kArraySize 500000, kMinTreeDepth 4, kMaxTreeDepth 16): Populate is top-down by nature;
 * MakeTree is bottom-up, so each level keeps its finished subtrees in registered root slots
 * (a shadow stack) until the parent that links them exists. Timings are not printed.
 *
 * cycles builds circular singly linked lists and drops them: only a collector that finds cycles
 * can reclaim them (reference counting alone cannot: under rc-off they stay, as under CPython's
 * gc.disable()). chains is its acyclic twin: the same nodes, the same stores, the chain left
 * open, so reference counting frees each one the moment it is dropped. */
#include "mc_gcwork.h"

#include <stdalign.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---- node types --------------------------------------------------------------------------- */

typedef struct tnode {
  struct tnode *left, *right;
} tnode;

typedef struct gbnode {
  struct gbnode *left, *right;
  int i, j;
} gbnode;

typedef struct cnode {
  struct cnode *next;
  uint64_t value;
} cnode;

static const size_t two_offsets[] = {0, sizeof(void *)};
/* binary-trees' nodes are CPython's tuples in the published Python program: never changed once
 * built (MC_TYPE_IMMUTABLE: the reference-counting heap untracks finished trees, as CPython's
 * collector untracks tuples of untracked objects) */
const mc_type mc_gcwork_tree_type = {"binary-trees.node", MC_TYPE_OFFSETS, two_offsets, 2, NULL,
                                     MC_TYPE_IMMUTABLE};
const mc_type mc_gcwork_gcbench_type = {"gcbench.node", MC_TYPE_OFFSETS, two_offsets, 2, NULL, 0};
const mc_type mc_gcwork_cycle_type = {"cycles.node", MC_TYPE_OFFSETS, two_offsets, 1, NULL, 0};

/* ---- shared state ------------------------------------------------------------------------- */

typedef struct wctx {
  mc_alloc al;
  mc_gcwork_opts o;
  int managed;   /* the allocator has a root hook: dropping is enough */
  mc_gc *gc;     /* the collector behind al when its inline API is to be used, else NULL */
  uint64_t ops;  /* allocations so far */
  uint64_t live; /* objects alive from the workload's point of view */
  uint64_t next; /* ops at the next progress call */
} wctx;

static void wctx_init(wctx *w, mc_alloc al, const mc_gcwork_opts *opts) {
  memset(w, 0, sizeof *w);
  w->al = al;
  if (opts) w->o = *opts;
  if (!w->o.every) w->o.every = 4096;
  w->next = w->o.every;
  w->managed = al.vt->root != NULL;
  /* the inline API is the tracing model's (mc_gc_of: NULL under refcount, which stores
   * through the vtable so that mc_store counts) */
  if (!w->o.vtable) w->gc = mc_gc_of(al);
}

static inline void tick(wctx *w) {
  w->ops++;
  w->live++;
  if (w->ops == w->next) {
    w->next += w->o.every;
    if (w->o.progress) w->o.progress(w->o.progress_arg, w->ops, w->live);
  }
}

static void finish(wctx *w) {
  if (w->o.progress) w->o.progress(w->o.progress_arg, w->ops, w->live);
}

static void emit(wctx *w, const char *fmt, ...) {
  if (!w->o.line) return;
  char buf[160];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  w->o.line(w->o.line_arg, buf);
}

/* ---- trees (tnode and gbnode share the left/right prefix) -------------------------------- */

static tnode *node_new(wctx *w, size_t size, const mc_type *type) {
  tnode *n = mc_alloc_new(w->al, size, alignof(gbnode), type);
  if (!n) return NULL;
  n->left = n->right = NULL; /* field stores, as `new Node()` does: no memset call */
  if (size == sizeof(gbnode)) ((gbnode *)n)->i = ((gbnode *)n)->j = 0;
  tick(w);
  return n;
}

/* Builds a complete tree of the given depth bottom up, as the published programs do (the left
 * subtree, the right one, then their parent), into *out, a root slot, before anything else is
 * allocated. A precise collector does not scan the C stack, so the finished subtrees of level
 * `level` wait in the registered root slots shadow[2 * level] and shadow[2 * level + 1] until
 * their parent exists and holds them (a shadow stack); the slots are cleared then. */
static int tree_make(wctx *w, void **shadow, int depth, int level, void **out, size_t size,
                     const mc_type *type) {
  if (depth > 0) {
    int rc = tree_make(w, shadow, depth - 1, level + 1, &shadow[2 * level], size, type);
    if (rc == MC_OK)
      rc = tree_make(w, shadow, depth - 1, level + 1, &shadow[2 * level + 1], size, type);
    if (rc != MC_OK) return rc;
  }
  tnode *n = node_new(w, size, type);
  if (!n) return MC_ENOMEM;
  if (depth > 0) {
    mc_store(w->al, n, &n->left, shadow[2 * level]);
    mc_store(w->al, n, &n->right, shadow[2 * level + 1]);
    shadow[2 * level] = shadow[2 * level + 1] = NULL;
  }
  *out = n;
  return MC_OK;
}

/* tree_make through the collector's inline API (the same allocations, stores and order). */
static int tree_make_gc(wctx *w, mc_gc *gc, void **shadow, int depth, int level, void **out) {
  if (depth > 0) {
    int rc = tree_make_gc(w, gc, shadow, depth - 1, level + 1, &shadow[2 * level]);
    if (rc == MC_OK) rc = tree_make_gc(w, gc, shadow, depth - 1, level + 1, &shadow[2 * level + 1]);
    if (rc != MC_OK) return rc;
  }
  tnode *n = mc_gc_alloc(gc, sizeof(tnode), &mc_gcwork_tree_type);
  if (!n) return MC_ENOMEM;
  n->left = n->right = NULL;
  tick(w);
  if (depth > 0) {
    mc_gc_store(gc, n, (void **)&n->left, shadow[2 * level]);
    mc_gc_store(gc, n, (void **)&n->right, shadow[2 * level + 1]);
    shadow[2 * level] = shadow[2 * level + 1] = NULL;
  }
  *out = n;
  return MC_OK;
}

static long tree_check(const tnode *t) {
  long c = 0;
  while (t) { /* recursion on the left only: depth is bounded by the tree's depth */
    c += 1 + tree_check(t->left);
    t = t->right;
  }
  return c;
}

static void tree_free(wctx *w, tnode *t, size_t size) {
  while (t) {
    tnode *right = t->right;
    tree_free(w, t->left, size);
    mc_alloc_free(w->al, t, size, alignof(gbnode));
    w->live--;
    t = right;
  }
}

/* Drops the tree in *root: cleared for a managed heap, freed otherwise. */
static void tree_drop(wctx *w, tnode **root, size_t size, long count) {
  tnode *t = *root;
  *root = NULL;
  if (!w->managed)
    tree_free(w, t, size);
  else
    w->live -= (uint64_t)count;
}

/* ---- binary-trees ------------------------------------------------------------------------- */

#define BT_MAXD 32 /* levels of the deepest tree (n <= 30: the stretch tree has 31) */

typedef struct bt_roots {
  tnode *tmp;
  tnode *long_lived;
  void *shadow[2 * BT_MAXD]; /* tree_make's finished subtrees, per level */
} bt_roots;

/* A binary-trees tree (tnode) into a root slot. */
static int bt_build(wctx *w, bt_roots *r, tnode **root, int depth) {
  if (w->gc) return tree_make_gc(w, w->gc, r->shadow, depth, 0, (void **)root);
  return tree_make(w, r->shadow, depth, 0, (void **)root, sizeof(tnode), &mc_gcwork_tree_type);
}

static int bt_body(wctx *w, bt_roots *r, int n) {
  const int min_depth = 4;
  int max_depth = min_depth + 2 > n ? min_depth + 2 : n;
  int stretch_depth = max_depth + 1;
  int rc = bt_build(w, r, &r->tmp, stretch_depth);
  if (rc != MC_OK) return rc;
  long check = tree_check(r->tmp);
  emit(w, "stretch tree of depth %u\t check: %li", (unsigned)stretch_depth, check);
  if (check != (2L << stretch_depth) - 1) return MC_ESTATE;
  tree_drop(w, &r->tmp, sizeof(tnode), check);
  rc = bt_build(w, r, &r->long_lived, max_depth);
  if (rc != MC_OK) return rc;
  for (int depth = min_depth; depth <= max_depth; depth += 2) {
    long iterations = 1L << (max_depth - depth + min_depth);
    check = 0;
    for (long i = 1; i <= iterations; i++) {
      rc = bt_build(w, r, &r->tmp, depth);
      if (rc != MC_OK) return rc;
      long c = tree_check(r->tmp);
      check += c;
      tree_drop(w, &r->tmp, sizeof(tnode), c);
    }
    emit(w, "%li\t trees of depth %u\t check: %li", iterations, (unsigned)depth, check);
    if (check != iterations * ((2L << depth) - 1)) return MC_ESTATE;
  }
  check = tree_check(r->long_lived);
  emit(w, "long lived tree of depth %u\t check: %li", (unsigned)max_depth, check);
  return check == (2L << max_depth) - 1 ? MC_OK : MC_ESTATE;
}

int mc_gcwork_binary_trees(mc_alloc al, int n, const mc_gcwork_opts *opts) {
  if (n < 0 || n > 30) return MC_EINVAL;
  wctx w;
  wctx_init(&w, al, opts);
  bt_roots r;
  memset(&r, 0, sizeof r);
  mc_root_add(al, &r.tmp);
  mc_root_add(al, &r.long_lived);
  for (int i = 0; i < 2 * BT_MAXD; i++) mc_root_add(al, &r.shadow[i]);
  int rc = bt_body(&w, &r, n);
  if (r.tmp) tree_drop(&w, &r.tmp, sizeof(tnode), 0);
  if (r.long_lived) tree_drop(&w, &r.long_lived, sizeof(tnode), tree_check(r.long_lived));
  for (int i = 0; i < 2 * BT_MAXD; i++) /* a failed build's finished subtrees */
    if (r.shadow[i]) tree_drop(&w, (tnode **)&r.shadow[i], sizeof(tnode), 0);
  for (int i = 0; i < 2 * BT_MAXD; i++) mc_root_remove(al, &r.shadow[i]);
  mc_root_remove(al, &r.tmp);
  mc_root_remove(al, &r.long_lived);
  finish(&w);
  return rc;
}

/* ---- GCBench ------------------------------------------------------------------------------ */

#define GB_MAXD 32
enum { GB_ARRAY = 500000 };

typedef struct gb_roots {
  tnode *tmp;
  tnode *long_lived;
  double *array;
  void *shadow[2 * GB_MAXD]; /* MakeTree's finished subtrees, per level */
} gb_roots;

static long tree_size(int i) { return (2L << i) - 1; }

/* Populate: thisNode exists and is reachable; children are linked as soon as they exist. */
static int gb_populate(wctx *w, int depth, gbnode *node) {
  if (depth <= 0) return MC_OK;
  depth--;
  gbnode *l = (gbnode *)node_new(w, sizeof(gbnode), &mc_gcwork_gcbench_type);
  if (!l) return MC_ENOMEM;
  mc_store(w->al, node, &node->left, l);
  gbnode *r = (gbnode *)node_new(w, sizeof(gbnode), &mc_gcwork_gcbench_type);
  if (!r) return MC_ENOMEM;
  mc_store(w->al, node, &node->right, r);
  int rc = gb_populate(w, depth, l);
  return rc == MC_OK ? gb_populate(w, depth, r) : rc;
}

/* MakeTree, bottom up: tree_make, with subtrees waiting in g->shadow. */
static int gb_make(wctx *w, gb_roots *g, int depth, void **out) {
  return tree_make(w, g->shadow, depth, 0, out, sizeof(gbnode), &mc_gcwork_gcbench_type);
}

static int gb_construction(wctx *w, gb_roots *g, int depth, int stretch) {
  long iters = 2 * tree_size(stretch) / tree_size(depth);
  emit(w, "Creating %ld trees of depth %d", iters, depth);
  for (long i = 0; i < iters; i++) {
    gbnode *t = (gbnode *)node_new(w, sizeof(gbnode), &mc_gcwork_gcbench_type);
    if (!t) return MC_ENOMEM;
    g->tmp = (tnode *)t;
    int rc = gb_populate(w, depth, t);
    if (rc != MC_OK) return rc;
    tree_drop(w, &g->tmp, sizeof(gbnode), tree_size(depth));
  }
  emit(w, "\tTop down construction");
  for (long i = 0; i < iters; i++) {
    int rc = gb_make(w, g, depth, (void **)&g->tmp);
    if (rc != MC_OK) return rc;
    tree_drop(w, &g->tmp, sizeof(gbnode), tree_size(depth));
  }
  emit(w, "\tBottom up construction");
  return MC_OK;
}

static int gb_body(wctx *w, gb_roots *g, int depth) {
  int stretch = depth + 2;
  emit(w, "Garbage Collector Test");
  emit(w, " Live storage will peak at %ld bytes.",
       (long)(2 * sizeof(gbnode) * (size_t)tree_size(depth) + sizeof(double) * GB_ARRAY));
  emit(w, "");
  emit(w, " Stretching memory with a binary tree of depth %d", stretch);
  int rc = gb_make(w, g, stretch, (void **)&g->tmp);
  if (rc != MC_OK) return rc;
  tree_drop(w, &g->tmp, sizeof(gbnode), tree_size(stretch));
  emit(w, " Creating a long-lived binary tree of depth %d", depth);
  gbnode *ll = (gbnode *)node_new(w, sizeof(gbnode), &mc_gcwork_gcbench_type);
  if (!ll) return MC_ENOMEM;
  g->long_lived = (tnode *)ll;
  rc = gb_populate(w, depth, ll);
  if (rc != MC_OK) return rc;
  emit(w, " Creating a long-lived array of %d doubles", GB_ARRAY);
  g->array = mc_alloc_array(w->al, GB_ARRAY, sizeof(double), alignof(double), NULL);
  if (!g->array) return MC_ENOMEM;
  tick(w);
  for (int i = 0; i < GB_ARRAY / 2; ++i) g->array[i] = 1.0 / i;
  for (int d = 4; d <= depth; d += 2)
    if ((rc = gb_construction(w, g, d, stretch)) != MC_OK) return rc;
  if (!g->long_lived || g->array[1000] != 1.0 / 1000 ||
      tree_check(g->long_lived) != tree_size(depth))
    return MC_ESTATE;
  return MC_OK;
}

int mc_gcwork_gcbench(mc_alloc al, int depth, const mc_gcwork_opts *opts) {
  if (depth < 4 || depth > GB_MAXD - 3) return MC_EINVAL;
  wctx w;
  wctx_init(&w, al, opts);
  gb_roots g;
  memset(&g, 0, sizeof g);
  mc_root_add(al, &g.tmp);
  mc_root_add(al, &g.long_lived);
  mc_root_add(al, &g.array);
  for (int i = 0; i < 2 * GB_MAXD; i++) mc_root_add(al, &g.shadow[i]);
  int rc = gb_body(&w, &g, depth);
  for (int i = 0; i < 2 * GB_MAXD; i++) {
    tnode *t = g.shadow[i];
    if (t) tree_drop(&w, &t, sizeof(gbnode), 0);
    mc_root_remove(al, &g.shadow[i]);
  }
  if (g.tmp) tree_drop(&w, &g.tmp, sizeof(gbnode), 0);
  if (g.long_lived) tree_drop(&w, &g.long_lived, sizeof(gbnode), tree_check(g.long_lived));
  if (g.array) {
    if (!w.managed) mc_alloc_free(al, g.array, GB_ARRAY * sizeof(double), alignof(double));
    w.live--;
  }
  mc_root_remove(al, &g.tmp);
  mc_root_remove(al, &g.long_lived);
  mc_root_remove(al, &g.array);
  finish(&w);
  return rc;
}

/* ---- cycles ------------------------------------------------------------------------------ */

static void cycle_free(wctx *w, cnode *head) {
  cnode *n = head;
  do {
    cnode *next = n->next;
    mc_alloc_free(w->al, n, sizeof *n, alignof(cnode));
    w->live--;
    n = next;
  } while (n && n != head);
}

/* Builds ncycles chains of len nodes, closed into a cycle or left open, and drops each. */
static int chains(mc_alloc al, size_t ncycles, size_t len, int closed, const mc_gcwork_opts *opts) {
  if (len == 0) return MC_EINVAL;
  wctx w;
  wctx_init(&w, al, opts);
  cnode *head = NULL, *tail = NULL;
  mc_root_add(al, &head);
  mc_root_add(al, &tail);
  int rc = MC_OK;
  for (size_t c = 0; c < ncycles && rc == MC_OK; c++) {
    uint64_t live0 = w.live;
    for (size_t i = 0; i < len; i++) {
      cnode *n = mc_alloc_new(al, sizeof *n, alignof(cnode), &mc_gcwork_cycle_type);
      if (!n) {
        rc = MC_ENOMEM;
        break;
      }
      n->next = NULL;
      n->value = (uint64_t)c * len + i;
      tick(&w);
      if (tail)
        mc_store(al, tail, &tail->next, n);
      else
        head = n;
      tail = n;
    }
    if (rc == MC_OK && closed) mc_store(al, tail, &tail->next, head); /* close the cycle */
    cnode *h = head;
    head = tail =
        NULL; /* dropped: a cycle only a collector gets back, an open chain counting too */
    if (!w.managed && h)
      cycle_free(&w, h);
    else
      w.live = live0; /* dropped: no longer alive for the workload, whoever reclaims it */
  }
  mc_root_remove(al, &head);
  mc_root_remove(al, &tail);
  finish(&w);
  return rc;
}

int mc_gcwork_cycles(mc_alloc al, size_t ncycles, size_t len, const mc_gcwork_opts *opts) {
  return chains(al, ncycles, len, 1, opts);
}

int mc_gcwork_chains(mc_alloc al, size_t nchains, size_t len, const mc_gcwork_opts *opts) {
  return chains(al, nchains, len, 0, opts);
}

/* ---- harness entry ------------------------------------------------------------------------ */

#define CYCLE_LEN 64

int mc_gcwork_run(const char *workload, mc_alloc al, uint64_t n, const mc_gcwork_opts *opts) {
  if (strcmp(workload, "binary-trees") == 0)
    return mc_gcwork_binary_trees(al, (int)(n > 30 ? 31 : n), opts);
  if (strcmp(workload, "gcbench") == 0)
    return mc_gcwork_gcbench(al, n ? (int)(n > 64 ? 64 : n) : 16, opts);
  int closed = strcmp(workload, "cycles") == 0;
  if (closed || strcmp(workload, "chains") == 0) {
    if (n == 0) return MC_EINVAL;
    size_t len = n < CYCLE_LEN ? (size_t)n : CYCLE_LEN;
    return chains(al, (size_t)((n + len - 1) / len), len, closed, opts);
  }
  return MC_EINVAL;
}

uint64_t mc_gcwork_expected_ops(const char *workload, uint64_t n) {
  if (strcmp(workload, "binary-trees") == 0 && n <= 30) {
    int max = n < 6 ? 6 : (int)n;
    uint64_t ops = (uint64_t)tree_size(max + 1) + (uint64_t)tree_size(max);
    for (int d = 4; d <= max; d += 2)
      ops += ((uint64_t)1 << (max - d + 4)) * (uint64_t)tree_size(d);
    return ops;
  }
  if (strcmp(workload, "gcbench") == 0 && n <= GB_MAXD - 3) {
    int depth = n ? (int)n : 16;
    if (depth < 4) return n;
    uint64_t ops = (uint64_t)tree_size(depth + 2) + (uint64_t)tree_size(depth) + 1;
    for (int d = 4; d <= depth; d += 2)
      ops += 2 * (uint64_t)(2 * tree_size(depth + 2) / tree_size(d)) * (uint64_t)tree_size(d);
    return ops;
  }
  if ((strcmp(workload, "cycles") == 0 || strcmp(workload, "chains") == 0) && n) {
    uint64_t len = n < CYCLE_LEN ? n : CYCLE_LEN;
    return (n + len - 1) / len * len;
  }
  return n;
}
