/* fuzz_rc.c — libFuzzer target: the reference-counting heap (gc/mc_rc.c) under graph mutations,
 * against a reachability oracle and an exact recount of every reference (mc__rc_verify). The
 * tracing collector has its own target, fuzz_gc.c, with resizes, freezes and a statistics model.
 *
 * The heap holds nodes (a typed container: three pointer slots, an id and a checksum) and
 * leaves (untyped blocks of 1..64 bytes holding a byte pattern). Eight registered root slots
 * anchor the graph. The input is a program: allocate a node or a leaf into a root slot (it is
 * rooted before the next allocation, as mc_alloc.h requires), store a reachable object or NULL
 * into a slot of a reachable node through mc_store (the write barrier), clear a root, collect
 * a generation, toggle torture mode, change thresholds. The model (fuzz_graph.h, shared with
 * fuzz_gc.c) mirrors every edge; it only ever touches objects reachable from the roots (anything
 * else may already be gone). The first byte is the mode: 2 torture, 4 small thresholds, 16
 * tuple-like nodes (below); 8 once chose this model and is kept for the seeds' sake.
 * Oracle, after every operation: every reachable node still holds its id, checksum and exactly
 * the model's edges, every reachable leaf its pattern, get_referents agrees with the edges, every
 * count is exact and every zero listed (mc__rc_verify), is_tracked is 0 for leaves and, for
 * nodes, 1 exactly once a node was stored into it (CPython's untracking rule: a node holding no
 * pointer to a node is untracked; gc/mc_rc.c). After a full collection: the collector's live
 * blocks are exactly the reachable nodes and leaves (unreachable cycles included, everything
 * unreachable is gone), and get_objects(-1) counts the reachable nodes is_tracked reports. Then
 * everything is dropped, a last full collection must leave nothing live, and the heap is freed.
 * Stores are where counts change, a full collection is a reconciliation plus CPython's
 * detection; extra ops toggle the detector (counting goes on) and reconcile on demand (nothing
 * reachable may go).
 *
 * Mode 16: the nodes are mostly of a tuple-like type (MC_TYPE_IMMUTABLE: CPython's
 * untrack_tuples, gc/mc_rc_detect.c), yet the program stores into them at any time, which must
 * stay safe. A new node takes reachable (older) objects into the slots b's low bits pick, so
 * trees are built bottom up as tuples are, and a young detection untracks them; a later store
 * into an old untracked node can close a cycle through them (the heap's hazard: the next full
 * detection re-tracks first). is_tracked is then relaxed, as strongly as can be seen from
 * outside: a node never stored a node is untracked; a mutable one exactly as above; a tuple-like
 * one stays untracked, exactly, while it is built of untracked tuple-like nodes (stored into
 * while it is the latest allocation and no collection was asked for since: CPython 3.14 builds
 * such tuples untracked), and else may be untracked after a store only if a young detection ran
 * since (mc_gc_get_stats); and unless a hazard may be pending, an untracked node points to
 * untracked nodes only and the untracked nodes hold no cycle. The model's hazard: since the last
 * full detection (counted, so the automatic ones too), a store tracked a node that a reachable
 * untracked node points to. The reachability oracle after a full collection stays exact. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_graph.h"
#include "fuzz_input.h"
#include "mc_gc.h"
#include "mc_rc_internal.h" /* mc__rc_verify */
#include "mc_system.h"

/* The nodes of mode 16: the same layout, tuple-like (mc_alloc.h's MC_TYPE_IMMUTABLE), yet the
 * program stores into them at any time, which the heap must survive. */
static const mc_type node_imm_type = {"fuzz_node_imm",  MC_TYPE_OFFSETS, node_offsets, 3, NULL,
                                      MC_TYPE_IMMUTABLE};

typedef struct world {
  mc_gc *gc;
  mc_alloc al;
  int immutable; /* mode 16: nodes are mostly of node_imm_type */
  int hazard;    /* since the last full detection a store tracked a node that a reachable untracked
                    node points to (mc_rc_internal.h's hazard, from outside) */
  uint64_t full; /* full detections seen when hazard was last brought up to date */
  void *latest;  /* the latest allocation while no collection was asked for since, or NULL */
  graph g;       /* the objects (nodes and leaves only) and the root slots */
} world;

/* Detections run so far: *young of generations 0 and 1, *all of any; a full detection since the
 * previous call clears the hazard (it re-tracks first). */
static void detections(world *w, uint64_t *young, uint64_t *all) {
  mc_gc_stats s[MC_GC_NGEN];
  mc_gc_get_stats(w->gc, s);
  uint64_t full = s[MC_GC_NGEN - 1].collections;
  if (full != w->full) w->full = full, w->hazard = 0;
  *young = s[0].collections + s[1].collections;
  *all = *young + full;
}

/* 1 if a path of heap-untracked nodes (trk 0) from model object i comes back onto itself (col:
 * 0 unseen, 1 on the path, 2 done). */
static int untracked_cycle(const world *w, const int *trk, int *col, int i) {
  col[i] = 1;
  for (int e = 0; e < 3; e++) {
    int t = w->g.o[i].edge[e];
    if (t < 0 || w->g.o[t].kind != K_NODE || trk[t]) continue;
    if (col[t] == 1 || (!col[t] && untracked_cycle(w, trk, col, t))) return 1;
  }
  col[i] = 2;
  return 0;
}

static void verify(world *w, int *list, int n) {
  static int trk[MAXOBJ], col[MAXOBJ];
  uint64_t young, all;
  detections(w, &young, &all);
  for (int k = 0; k < n; k++) trk[list[k]] = mc_gc_is_tracked(w->gc, w->g.o[list[k]].p);
  for (int k = 0; k < n; k++) {
    const obj *x = &w->g.o[list[k]];
    if (x->kind == K_NODE) {
      const node *nd = x->p;
      CHECK(nd->check == nd->id * 0x9E3779B97F4A7C15ull);
      void *ref[8];
      size_t nref = mc_gc_get_referents(w->gc, nd, ref, 8), want = 0;
      for (int e = 0; e < 3; e++) {
        void *t = x->edge[e] >= 0 ? w->g.o[x->edge[e]].p : NULL;
        CHECK(nd->slot[e] == t);
        want += t != NULL;
      }
      CHECK(nref == want);
      for (int e = 0; e < 3; e++) /* a node never stored a node points to no node */
        CHECK(x->tracked || x->edge[e] < 0 || w->g.o[x->edge[e]].kind != K_NODE);
      if (!x->tracked) /* never stored a node: untracked (a mutable node: exactly the model) */
        CHECK(!trk[list[k]]);
      else if (!trk[list[k]]) { /* a tuple-like node built untracked, or untracked since */
        CHECK(x->immutable && (x->built || young > x->young));
        for (int e = 0; e < 3 && !w->hazard; e++) /* and it points to untracked nodes only */
          CHECK(x->edge[e] < 0 || w->g.o[x->edge[e]].kind != K_NODE || !trk[x->edge[e]]);
      }
    } else {
      const unsigned char *b = x->p;
      for (size_t i = 0; i < x->size; i++) CHECK(b[i] == (unsigned char)(x->seed + i));
      CHECK(!trk[list[k]]);
    }
  }
  if (!w->immutable || w->hazard) return;
  for (int k = 0; k < n; k++) col[list[k]] = 0; /* each untracked after what it points to */
  for (int k = 0; k < n; k++)
    if (w->g.o[list[k]].kind == K_NODE && !trk[list[k]] && !col[list[k]])
      CHECK(!untracked_cycle(w, trk, col, list[k]));
}

static void full_check(world *w, int *list, int n) {
  mc_gc_collect(w->gc, 2);
  mc_alloc_stats st;
  mc_alloc_get_stats(w->al, &st);
  int nodes = 0;
  for (int k = 0; k < n; k++)
    nodes += w->g.o[list[k]].kind == K_NODE && mc_gc_is_tracked(w->gc, w->g.o[list[k]].p);
  CHECK(st.live == (size_t)n);
  CHECK(mc_gc_get_objects(w->gc, -1, NULL, 0) == (size_t)nodes);
  verify(w, list, n); /* no hazard now: the untracked rule holds exactly */
}

/* A node (of node_imm_type if immutable) or a leaf into root slot r; returns its model index,
 * or -1 when the model is full. */
static int new_object(world *w, input *in, unsigned r, int kind, int immutable) {
  obj *x = graph_add(&w->g, kind);
  if (!x) return -1;
  if (kind == K_NODE) {
    node *nd =
        mc_alloc_new(w->al, sizeof(node), alignof(node), immutable ? &node_imm_type : &node_type);
    CHECK(nd != NULL);
    memset(nd->slot, 0, sizeof nd->slot); /* the collector may scan it at the next allocation */
    nd->id = ++w->g.next_id;
    nd->check = nd->id * 0x9E3779B97F4A7C15ull;
    x->p = nd;
    x->immutable = immutable;
  } else {
    x->size = 1 + take8(in) % 64;
    x->seed = (uint8_t)take8(in);
    unsigned char *b = mc_alloc_new(w->al, x->size, 1, NULL);
    CHECK(b != NULL);
    for (size_t i = 0; i < x->size; i++) b[i] = (unsigned char)(x->seed + i);
    x->p = b;
  }
  int i = w->g.nobj;
  graph_root_new(&w->g, r);
  w->latest = x->p;
  return i;
}

/* Whether a reachable node the heap does not track points to model object i. */
static int held_untracked(world *w, int i) {
  static int list[MAXOBJ];
  int n = reach(&w->g, list);
  for (int k = 0; k < n; k++) {
    const obj *z = &w->g.o[list[k]];
    if (z->kind != K_NODE || mc_gc_is_tracked(w->gc, z->p)) continue;
    for (int e = 0; e < 3; e++)
      if (z->edge[e] == i) return 1;
  }
  return 0;
}

/* Slot e of node src := model object dst (-1: NULL) through mc_store (the write barrier). A node
 * stored into it tracks it at once, unless the slot held it already (then the barrier does
 * nothing, and a tuple-like node a detection untracked since stays untracked) or src is a
 * tuple-like node under construction (the latest allocation, no collection since) and dst an
 * untracked tuple-like node other than src (then it stays untracked). If a store tracks a node
 * that an untracked node points to, that is the hazard. */
static void store(world *w, int src, int e, int dst) {
  obj *x = &w->g.o[src];
  node *nd = x->p;
  int track = x->edge[e] != dst && dst >= 0 && w->g.o[dst].kind == K_NODE;
  int was = mc_gc_is_tracked(w->gc, nd);
  int built = track && !was && x->immutable && nd == w->latest && dst != src &&
              w->g.o[dst].immutable && !mc_gc_is_tracked(w->gc, w->g.o[dst].p);
  uint64_t young, all;
  detections(w, &young, &all);
  if (track && !was && !built && held_untracked(w, src)) w->hazard = 1;
  mc_store(w->al, nd, &nd->slot[e], dst >= 0 ? w->g.o[dst].p : NULL);
  x->edge[e] = dst;
  if (!track) return;
  CHECK(mc_gc_is_tracked(w->gc, nd) == (was || !built));
  x->tracked = 1; /* it held a node: a mutable node is never untracked again */
  if (built) {
    x->built = 1;
  } else if (!was) {
    x->built = 0;
    x->young = young;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static world w;
  static int list[MAXOBJ];
  input in = {data, size};
  mc_system sys;
  mc_system_init(&sys);
  mc_gc_config cfg;
  unsigned mode = take8(&in);  /* 2: torture, 4: small thresholds, 16: tuple-like nodes */
  mc_gc_config_refcount(&cfg); /* this target is the refcount model's; fuzz_gc.c the tracing */
  cfg.torture = (mode & 2) != 0;
  if (mode & 4) cfg.threshold[0] = 1 + take8(&in) % 16, cfg.threshold[1] = 1 + take8(&in) % 4;
  memset(&w, 0, sizeof w);
  w.immutable = (mode & 16) != 0;
  CHECK(mc_gc_new(&w.gc, mc_system_allocator(&sys), &cfg) == MC_OK);
  w.al = mc_gc_allocator(w.gc);
  CHECK(mc_gc_get_model(w.gc) == MC_GC_REFCOUNT);
  graph_roots_add(&w.g, w.al);
  while (in.n) {
    unsigned op = take8(&in), a = take8(&in), b = take8(&in);
    int n = reach(&w.g, list);
    switch (op % 8) {
    case 0:
    case 1: { /* mode 16: tuple-like (b & 0x18: 0x18 mutable), built bottom up: the slots of b's
                 low bits get reachable (so older) objects, or itself */
      int x = new_object(&w, &in, a % NROOTS, K_NODE, w.immutable && (b & 0x18) != 0x18);
      if (x < 0 || !w.immutable) break;
      n = reach(&w.g, list);
      for (int e = 0; e < 3; e++)
        if ((b >> e) & 1) store(&w, x, e, list[take8(&in) % n]);
      break;
    }
    case 2: new_object(&w, &in, a % NROOTS, K_LEAF, 0); break;
    case 3:
    case 4: /* reachable node's slot := reachable object or NULL */
      if (n && w.g.o[list[a % n]].kind == K_NODE)
        store(&w, list[a % n], op % 3, (b & 7) == 7 ? -1 : list[b % n]);
      break;
    case 5: graph_set_root(&w.g, list, n, a, b); break; /* drop or re-point a root */
    case 6:
      mc_gc_collect(w.gc, (int)(a % 4) - 1);
      w.latest = NULL;
      break;
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
    n = reach(&w.g, list);
    forget_unreachable(&w.g);
    n = reach(&w.g, list);
    verify(&w, list, n);
    CHECK(mc__rc_verify(w.gc) == MC_OK); /* every count exact, every zero listed */
    if (op % 8 == 6 && a % 4 != 1 && a % 4 != 2) full_check(&w, list, n); /* -1 or 2: full */
  }
  full_check(&w, list, reach(&w.g, list));
  graph_roots_clear(&w.g);
  mc_gc_collect(w.gc, 2);
  mc_alloc_stats st;
  mc_alloc_get_stats(w.al, &st);
  CHECK(st.live == 0);
  graph_roots_remove(&w.g, w.al);
  mc_gc_free(w.gc);
  mc_alloc_get_stats(mc_system_allocator(&sys), &st);
  CHECK(st.live == 0 && st.requested == 0); /* every page went back */
  return 0;
}
