/* fuzz_rc.c — libFuzzer target: the reference-counting heap (gc/mc_rc.c) under graph mutations,
 * against a reachability oracle and an exact recount of every reference (mc__rc_verify). The
 * tracing collector has its own target, fuzz_gc.c, with resizes, freezes and a statistics model.
 *
 * The heap holds nodes (a typed container: three pointer slots, an id and a checksum) and
 * leaves (untyped blocks of 1..64 bytes holding a byte pattern). Eight registered root slots
 * anchor the graph. The input is a program: allocate a node or a leaf into a root slot (it is
 * rooted before the next allocation, as mc_alloc.h requires), store a reachable object or NULL
 * into a slot of a reachable node through mc_store (the write barrier), clear a root, collect
 * a generation, toggle torture mode, change thresholds. The model mirrors every edge; it only
 * ever touches objects reachable from the roots (anything else may already be gone).
 * Oracle, after every operation: every reachable node still holds its id, checksum and exactly
 * the model's edges, every reachable leaf its pattern, get_referents agrees with the edges and
 * is_tracked is 0 for leaves and, for nodes, 1 once a node was stored into it (CPython's
 * untracking rule: a node holding no pointer to a node is untracked; gc/mc_rc.c). After a full
 * collection: the collector's live blocks are exactly the reachable nodes and leaves, and
 * get_objects(-1) counts the reachable tracked nodes —
 * unreachable cycles included, everything unreachable is gone. Then everything is dropped, a
 * last full collection must leave nothing live, and the heap is freed.
 * Every input runs under the reference-counting model (mode bit 8 is kept for the seeds' sake)
 * (gc/mc_rc.c): stores are where counts change, a full collection is a reconciliation plus
 * CPython's detection, and the same oracle holds after it; extra ops toggle the detector (counting
 * goes on) and reconcile on demand (nothing reachable may go). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "mc_gc.h"
#include "mc_rc_internal.h" /* mc__rc_verify */
#include "mc_system.h"

#define NROOTS 8
#define MAXOBJ 512

typedef struct node {
  void *slot[3]; /* managed pointers: nodes or leaves */
  uint64_t id;
  uint64_t check; /* id * golden ratio: a freed-and-reused node would not match */
} node;

static const size_t node_offsets[] = {offsetof(node, slot[0]), offsetof(node, slot[1]),
                                      offsetof(node, slot[2])};
static const mc_type node_type = {"fuzz_node", MC_TYPE_OFFSETS, node_offsets, 3, NULL};

/* The model: every object the program created, with what it should hold. */
typedef struct obj {
  void *p;
  int is_node;
  size_t size;  /* leaves: bytes */
  uint8_t seed; /* leaves: pattern */
  int edge[3];  /* nodes: model index of each slot's target, -1 for NULL */
  int tracked;  /* nodes: a node was ever stored into it (CPython's untracking rule) */
  int mark;     /* reachability walk */
} obj;

typedef struct world {
  mc_gc *gc;
  mc_alloc al;
  void *roots[NROOTS];  /* registered root slots */
  int root_obj[NROOTS]; /* model index or -1 */
  obj o[MAXOBJ];
  int nobj;
  uint64_t next_id;
} world;

/* Marks what the roots reach; returns the reachable objects in list (count returned). */
static int reach(world *w, int *list) {
  int n = 0;
  for (int i = 0; i < w->nobj; i++) w->o[i].mark = 0;
  for (int r = 0; r < NROOTS; r++) {
    int s = w->root_obj[r];
    if (s < 0 || w->o[s].mark) continue;
    w->o[s].mark = 1;
    list[n++] = s;
    for (int k = n - 1; k < n; k++) { /* breadth first from this root */
      const obj *x = &w->o[list[k]];
      if (!x->is_node) continue;
      for (int e = 0; e < 3; e++) {
        int t = x->edge[e];
        if (t >= 0 && !w->o[t].mark) {
          w->o[t].mark = 1;
          list[n++] = t;
        }
      }
    }
  }
  return n;
}

static void verify(world *w, int *list, int n) {
  for (int k = 0; k < n; k++) {
    const obj *x = &w->o[list[k]];
    if (x->is_node) {
      const node *nd = x->p;
      CHECK(nd->check == nd->id * 0x9E3779B97F4A7C15ull);
      void *ref[8];
      size_t nref = mc_gc_get_referents(w->gc, nd, ref, 8), want = 0;
      for (int e = 0; e < 3; e++) {
        void *t = x->edge[e] >= 0 ? w->o[x->edge[e]].p : NULL;
        CHECK(nd->slot[e] == t);
        want += t != NULL;
      }
      CHECK(nref == want);
      CHECK(mc_gc_is_tracked(w->gc, nd) == x->tracked);
      for (int e = 0; e < 3; e++) /* the rule: an untracked node points to no node */
        CHECK(x->tracked || x->edge[e] < 0 || !w->o[x->edge[e]].is_node);
    } else {
      const unsigned char *b = x->p;
      for (size_t i = 0; i < x->size; i++) CHECK(b[i] == (unsigned char)(x->seed + i));
      CHECK(mc_gc_is_tracked(w->gc, b) == 0);
    }
  }
}

/* Drops model objects that are unreachable (the collector may free them at any allocation),
 * compacting the table; edges and roots are renumbered. */
static void forget_unreachable(world *w) {
  int map[MAXOBJ], n = 0;
  for (int i = 0; i < w->nobj; i++) map[i] = w->o[i].mark ? n++ : -1;
  for (int i = 0, j = 0; i < w->nobj; i++) {
    if (!w->o[i].mark) continue;
    w->o[j] = w->o[i];
    for (int e = 0; e < 3; e++)
      if (w->o[j].edge[e] >= 0) w->o[j].edge[e] = map[w->o[j].edge[e]];
    j++;
  }
  for (int r = 0; r < NROOTS; r++)
    if (w->root_obj[r] >= 0) w->root_obj[r] = map[w->root_obj[r]];
  w->nobj = n;
}

static void full_check(world *w, int *list, int n) {
  mc_gc_collect(w->gc, 2);
  mc_alloc_stats st;
  mc_alloc_get_stats(w->al, &st);
  int nodes = 0;
  for (int k = 0; k < n; k++) nodes += w->o[list[k]].is_node && w->o[list[k]].tracked;
  CHECK(st.live == (size_t)n);
  CHECK(mc_gc_get_objects(w->gc, -1, NULL, 0) == (size_t)nodes);
  verify(w, list, n);
}

static void new_object(world *w, input *in, unsigned r, int is_node) {
  if (w->nobj == MAXOBJ) return;
  obj *x = &w->o[w->nobj];
  memset(x, 0, sizeof *x);
  x->is_node = is_node;
  x->edge[0] = x->edge[1] = x->edge[2] = -1;
  if (is_node) {
    node *nd = mc_alloc_new(w->al, sizeof(node), alignof(node), &node_type);
    CHECK(nd != NULL);
    memset(nd->slot, 0, sizeof nd->slot); /* the collector may scan it at the next allocation */
    nd->id = ++w->next_id;
    nd->check = nd->id * 0x9E3779B97F4A7C15ull;
    x->p = nd;
  } else {
    x->size = 1 + take8(in) % 64;
    x->seed = (uint8_t)take8(in);
    unsigned char *b = mc_alloc_new(w->al, x->size, 1, NULL);
    CHECK(b != NULL);
    for (size_t i = 0; i < x->size; i++) b[i] = (unsigned char)(x->seed + i);
    x->p = b;
  }
  w->roots[r] = x->p; /* a root store is plain */
  w->root_obj[r] = w->nobj++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static world w;
  static int list[MAXOBJ];
  input in = {data, size};
  mc_system sys;
  mc_system_init(&sys);
  mc_gc_config cfg;
  unsigned mode = take8(&in);  /* bit 1: torture, bit 2: small thresholds */
  mc_gc_config_refcount(&cfg); /* this target is the refcount model's; fuzz_gc.c the tracing */
  cfg.torture = (mode & 2) != 0;
  if (mode & 4) cfg.threshold[0] = 1 + take8(&in) % 16, cfg.threshold[1] = 1 + take8(&in) % 4;
  memset(&w, 0, sizeof w);
  CHECK(mc_gc_new(&w.gc, mc_system_allocator(&sys), &cfg) == MC_OK);
  w.al = mc_gc_allocator(w.gc);
  CHECK(mc_gc_get_model(w.gc) == MC_GC_REFCOUNT);
  for (int r = 0; r < NROOTS; r++) {
    w.root_obj[r] = -1;
    mc_root_add(w.al, &w.roots[r]);
  }
  while (in.n) {
    unsigned op = take8(&in), a = take8(&in), b = take8(&in);
    int n = reach(&w, list);
    switch (op % 8) {
    case 0:
    case 1: new_object(&w, &in, a % NROOTS, 1); break;
    case 2: new_object(&w, &in, a % NROOTS, 0); break;
    case 3:
    case 4: { /* reachable node's slot := reachable object or NULL */
      if (!n) break;
      int src = list[a % n];
      if (!w.o[src].is_node) break;
      int dst = (b & 7) == 7 ? -1 : list[b % n];
      node *nd = w.o[src].p;
      mc_store(w.al, nd, &nd->slot[op % 3], dst >= 0 ? w.o[dst].p : NULL);
      w.o[src].edge[op % 3] = dst;
      if (dst >= 0 && w.o[dst].is_node) w.o[src].tracked = 1; /* never untracked again */
      break;
    }
    case 5: /* drop a root, or point it at another reachable object */
      if (n && (b & 1)) {
        int t = list[b % n];
        w.roots[a % NROOTS] = w.o[t].p;
        w.root_obj[a % NROOTS] = t;
      } else {
        w.roots[a % NROOTS] = NULL;
        w.root_obj[a % NROOTS] = -1;
      }
      break;
    case 6: mc_gc_collect(w.gc, (int)(a % 4) - 1); break;
    default:
      if ((b & 0xC0) == 0xC0) { /* the detector on/off, or a safe point now */
        if (a & 2)
          (a & 4) ? (void)mc_gc_enable(w.gc) : (void)mc_gc_disable(w.gc);
        else
          mc_gc_reconcile(w.gc);
        mc_alloc_stats st;
        mc_alloc_get_stats(w.al, &st);
        CHECK(st.live >= (size_t)n); /* counting never frees what the roots reach */
      } else if (a & 1)
        mc_gc_set_torture(w.gc, (a >> 1) & 1);
      else
        mc_gc_set_threshold(w.gc, (const int[MC_GC_NGEN]){b % 20, 1 + b % 5, 1 + b % 3});
      break;
    }
    n = reach(&w, list);
    forget_unreachable(&w);
    n = reach(&w, list);
    verify(&w, list, n);
    CHECK(mc__rc_verify(w.gc) == MC_OK); /* every count exact, every zero listed */
    if (op % 8 == 6 && a % 4 != 1 && a % 4 != 2) full_check(&w, list, n); /* -1 or 2: full */
  }
  full_check(&w, list, reach(&w, list));
  for (int r = 0; r < NROOTS; r++) w.roots[r] = NULL, w.root_obj[r] = -1;
  mc_gc_collect(w.gc, 2);
  mc_alloc_stats st;
  mc_alloc_get_stats(w.al, &st);
  CHECK(st.live == 0);
  for (int r = 0; r < NROOTS; r++) mc_root_remove(w.al, &w.roots[r]);
  mc_gc_free(w.gc);
  mc_alloc_get_stats(mc_system_allocator(&sys), &st);
  CHECK(st.live == 0 && st.requested == 0); /* every page went back */
  return 0;
}
