/* fuzz_gc.c — libFuzzer target: the collector under graph mutations, resizes and freezes,
 * against a reachability oracle and a model of its statistics.
 *
 * The heap holds four kinds of object, each small, large (over 8 KiB) or over-aligned (32 to
 * 4096 bytes): nodes (a typed container, MC_TYPE_OFFSETS: three pointer slots, an id and a
 * checksum), leaves (untyped blocks holding a byte pattern), pointer arrays (MC_TYPE_PTR_ARRAY,
 * 1..16 slots or over a thousand) and traced arrays (MC_TYPE_TRACE: a header word holding the
 * block's size, then pointer slots; the trace callback checks that the size it is given is
 * that one: issue 20.2). Eight registered root slots anchor the graph. The input is a program:
 * allocate an object into a root slot (it is rooted before the next allocation, as mc_alloc.h
 * requires), store a reachable object or NULL into a slot of a reachable container through
 * mc_store, re-point or clear a root, resize a reachable object (grow, shrink, in place or
 * moving, small <-> large; every reference to a moved object is updated), under a heap limit or
 * not (mode bit 3: up to 3 pages and 4080 bytes; refusals are then expected, the footprint never
 * goes past the limit, the collector's tables included: issue 20.5), freeze (after a full
 * collection, so only reachable objects are frozen) and unfreeze, collect a generation, toggle
 * torture mode, change thresholds. The model (fuzz_graph.h, shared with fuzz_rc.c) mirrors
 * every edge; it only ever touches objects
 * reachable from the roots or frozen (anything else may already be gone).
 *
 * Oracle, after every operation: mc__gc_verify (the collector's invariants I1-I10, also run
 * from a callback at the start and the end of every collection); every reachable node holds its id,
 * checksum and exactly the model's edges, every array its edges and NULL past them, every leaf its
 * pattern; get_referents agrees with the edges and is_tracked is 1 for containers, 0 for leaves.
 * The statistics against the model: allocs, resizes, failures and total_requested exactly;
 * get_count exactly (allocations counted before their call, collections mirrored from the stop
 * callback); requested at least the known live bytes and requested_peak at least every value the
 * known live bytes ever reached (issue 20.4). After a full collection: the collector's live blocks
 * and requested bytes are exactly the reachable (and frozen) objects', and get_objects(-1) counts
 * the reachable containers that are not frozen — unreachable cycles included, everything
 * unreachable is gone. Then everything is dropped, a last full collection must leave nothing
 * live, and the heap is freed. */
#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_graph.h"
#include "fuzz_input.h"
#include "mc_gc.h"
#include "mc_gc_internal.h" /* mc__gc_verify */
#include "mc_system.h"

static const mc_type parr_type = {"fuzz_parr", MC_TYPE_PTR_ARRAY, NULL, 0, NULL, 0};

/* Traced array: word 0 is the block's size as the program last set it. */
static void tarr_trace(void *obj, size_t size, mc_visit_fn visit, void *arg) {
  uint64_t recorded;
  memcpy(&recorded, obj, sizeof recorded);
  CHECK(recorded == size); /* the size as allocated or last resized, never the slot's */
  for (size_t off = 8; off + sizeof(void *) <= size; off += sizeof(void *))
    visit((void **)((char *)obj + off), arg);
}
static const mc_type tarr_type = {"fuzz_tarr", MC_TYPE_TRACE, NULL, 0, tarr_trace, 0};

typedef struct world {
  mc_gc *gc;
  mc_alloc al;
  graph g; /* the objects and the root slots */
  /* statistics model */
  int count[MC_GC_NGEN]; /* get_count */
  uint64_t allocs, resizes, total_requested, failures;
  size_t peak_known; /* the most known-live bytes ever seen, also between the steps of
                        one operation (no stats read in between to update the peak) */
  size_t known_now;  /* known-live bytes now, kept up to date within an operation */
  size_t limit;      /* heap limit (mode bit 3), 0: none */
} world;

static size_t known_bytes(const world *w, const int *list, int n) {
  size_t b = 0;
  for (int k = 0; k < n; k++) b += w->g.o[list[k]].size;
  return b;
}

/* ---- the oracle ------------------------------------------------------------------------------ */

static void gc_verify(mc_gc *gc) {
  const char *what = "";
  int r = mc__gc_verify(gc, &what);
  if (r != MC_OK) fprintf(stderr, "fuzz_gc: invariant broken: %s\n", what);
  CHECK(r == MC_OK);
}

/* The collection callback: the invariants (before the collection acts on the heap, and after),
 * and the counts CPython's bookkeeping gives. */
static void on_collect(const mc_gc_info *info, void *arg) {
  world *w = arg;
  gc_verify(w->gc);
  if (info->phase != 1) return;
  int g = info->generation;
  if (g + 1 < MC_GC_NGEN) w->count[g + 1]++;
  for (int i = 0; i <= g; i++) w->count[i] = 0;
}

static void check_stats(world *w, size_t known) {
  mc_alloc_stats st;
  mc_alloc_get_stats(w->al, &st);
  if (known > w->peak_known) w->peak_known = known;
  CHECK(st.requested >= known);
  CHECK(st.requested_peak >= st.requested);
  CHECK(st.requested_peak >= w->peak_known);
  CHECK(st.allocs == w->allocs);
  CHECK(st.resizes == w->resizes);
  CHECK(st.total_requested == w->total_requested);
  CHECK(st.failures == w->failures);
  CHECK(st.footprint <= st.footprint_peak);
  if (w->limit) CHECK(st.footprint_peak <= w->limit); /* never exceeded, tables included */
  int c[MC_GC_NGEN];
  mc_gc_get_count(w->gc, c);
  for (int i = 0; i < MC_GC_NGEN; i++) CHECK(c[i] == w->count[i]);
}

static void verify(world *w, int *list, int n) {
  gc_verify(w->gc);
  for (int k = 0; k < n; k++) {
    const obj *x = &w->g.o[list[k]];
    if (x->kind == K_LEAF) {
      const unsigned char *b = x->p;
      for (size_t i = 0; i < x->size; i++) CHECK(b[i] == (unsigned char)(x->seed + i));
      CHECK(mc_gc_is_tracked(w->gc, b) == 0);
      continue;
    }
    CHECK(((uintptr_t)x->p & (x->align - 1)) == 0);
    if (x->kind == K_NODE) {
      const node *nd = x->p;
      CHECK(nd->check == nd->id * 0x9E3779B97F4A7C15ull);
    }
    if (x->kind == K_TARR) {
      uint64_t recorded;
      memcpy(&recorded, x->p, sizeof recorded);
      CHECK(recorded == x->size);
    }
    size_t want = 0;
    for (size_t e = 0; e < nslots(x); e++) {
      void *t = e < MAXE && x->edge[e] >= 0 ? w->g.o[x->edge[e]].p : NULL;
      CHECK(*slot_at(x, e) == t);
      want += t != NULL;
    }
    void *ref[MAXE];
    CHECK(mc_gc_get_referents(w->gc, x->p, ref, MAXE) == want);
    CHECK(mc_gc_is_tracked(w->gc, x->p) == 1);
  }
  check_stats(w, known_bytes(w, list, n));
}

static void full_check(world *w, int *list, int n) {
  mc_gc_collect(w->gc, 2);
  mc_alloc_stats st;
  mc_alloc_get_stats(w->al, &st);
  int tracked = 0, frozen = 0;
  for (int k = 0; k < n; k++) {
    const obj *x = &w->g.o[list[k]];
    tracked += is_container(x) && !x->frozen;
    frozen += is_container(x) && x->frozen;
  }
  CHECK(st.live == (size_t)n);
  CHECK(st.requested == known_bytes(w, list, n));
  CHECK(mc_gc_get_objects(w->gc, -1, NULL, 0) == (size_t)tracked);
  CHECK(mc_gc_get_freeze_count(w->gc) == (size_t)frozen);
  verify(w, list, n);
}

/* ---- the program's operations ------------------------------------------------------------------
 */

/* Size and alignment of a new (or resized) object of kind from one byte v. */
static void pick_shape(int kind, unsigned v, size_t *size, size_t *align) {
  unsigned hi = v >> 3;
  switch (kind) {
  case K_NODE:
    *size = v % 8 == 0 ? 8200 + hi * 64 : v % 8 == 2 ? 9000 : 40 + (hi % 4) * 8;
    *align = v % 8 == 1 ? (size_t)32 << (hi % 4) : v % 8 == 2 ? 4096 : alignof(node);
    break;
  case K_LEAF:
    *size = v % 8 == 0 ? 8193 + hi * 8 : 1 + v % 64;
    *align = v % 8 == 1 ? (size_t)64 << (hi % 4) : 1;
    break;
  default: { /* arrays: 1..16 slots, or over a thousand (a large block) */
    size_t n = v % 8 == 0 ? 1025 + hi : 1 + v % 16;
    *size = (kind == K_TARR ? 8 : 0) + n * sizeof(void *);
    *align = v % 8 == 1 ? 64 : 8;
    break;
  }
  }
}

static void fill_leaf(obj *x, size_t from) {
  unsigned char *b = x->p;
  for (size_t i = from; i < x->size; i++) b[i] = (unsigned char)(x->seed + i);
}

static void new_object(world *w, input *in, unsigned r, int kind) {
  obj *x = graph_add(&w->g, kind);
  if (!x) return;
  pick_shape(kind, take8(in), &x->size, &x->align);
  static const mc_type *const types[] = {&node_type, NULL, &parr_type, &tarr_type};
  if (types[kind]) w->count[0]++; /* counted before the collection it may trigger */
  x->p = mc_alloc_new(w->al, x->size, x->align, types[kind]);
  if (!x->p) { /* only under a heap limit; nothing changed but the failure count */
    CHECK(w->limit != 0);
    w->failures++;
    if (types[kind] && w->count[0] > 0) w->count[0]--;
    return;
  }
  w->allocs++;
  w->total_requested += x->size;
  w->known_now += x->size; /* the object the root held is alive until a collection */
  if (w->known_now > w->peak_known) w->peak_known = w->known_now;
  if (kind == K_LEAF) {
    x->seed = (uint8_t)take8(in);
    fill_leaf(x, 0);
  } else {
    for (size_t i = 0; i < x->size; i++) CHECK(((unsigned char *)x->p)[i] == 0); /* zeroed */
    if (kind == K_NODE) {
      node *nd = x->p;
      nd->id = ++w->g.next_id;
      nd->check = nd->id * 0x9E3779B97F4A7C15ull;
    } else if (kind == K_TARR) {
      uint64_t s = x->size;
      memcpy(x->p, &s, sizeof s);
    }
  }
  graph_root_new(&w->g, r);
}

/* Resizes reachable object i to size bytes; a moved object's references (roots, model
 * objects) follow it, and a moved frozen object is frozen no more (the new block is young). */
static void resize_to(world *w, int i, size_t size) {
  obj *x = &w->g.o[i];
  void *old = x->p;
  size_t old_size = x->size;
  void *p = mc_alloc_resize(w->al, old, old_size, size, x->align);
  if (!p) { /* only under a heap limit: the block is untouched (checked by the next verify) */
    CHECK(w->limit != 0);
    w->failures++;
    return;
  }
  w->resizes++;
  if (size > old_size) w->total_requested += size - old_size;
  w->known_now = w->known_now - old_size + size;
  if (w->known_now > w->peak_known) w->peak_known = w->known_now;
  x->p = p;
  x->size = size;
  if (x->kind == K_LEAF) {
    const unsigned char *b = p;
    for (size_t k = 0; k < (old_size < size ? old_size : size); k++)
      CHECK(b[k] == (unsigned char)(x->seed + k));
    fill_leaf(x, old_size < size ? old_size : size);
  } else {
    for (size_t k = old_size; k < size; k++) CHECK(((unsigned char *)p)[k] == 0); /* zeroed */
    if (x->kind == K_TARR) {
      uint64_t s = size;
      memcpy(p, &s, sizeof s);
    }
    for (size_t e = nedges(x); e < MAXE; e++) x->edge[e] = -1; /* cut by a shrink */
  }
  if (p == old) return;
  x->frozen = 0; /* the new block is a young object: only the old one was frozen */
  for (int r = 0; r < NROOTS; r++)
    if (w->g.root_obj[r] == i) w->g.roots[r] = p;
  for (int k = 0; k < w->g.nobj; k++) {
    obj *y = &w->g.o[k];
    if (!is_container(y) || !y->mark) continue; /* only objects the model may touch */
    for (size_t e = 0; e < nedges(y); e++)
      if (y->edge[e] == i) mc_store(w->al, y->p, slot_at(y, e), p);
  }
}

/* Resizes reachable object i to a shape picked by v (same kind, same alignment). */
static void resize_object(world *w, int i, unsigned v) {
  size_t size, align;
  pick_shape(w->g.o[i].kind, v, &size, &align);
  resize_to(w, i, size);
}

/* Between two resizes within one operation: what is reachable now. A shrink may have cut
 * objects off, and a frozen object reached only as frozen is young once moved; the next
 * resize's allocation may collect them, so the known bytes and the marks (whose holders
 * resize_to re-points) are brought up to date (regress_double_resize_cut_edges: the known
 * bytes kept a cut leaf). Returns whether object i is still reachable. */
static int reached_again(world *w, int *list, int i) {
  int n = reach(&w->g, list);
  w->known_now = known_bytes(w, list, n);
  return w->g.o[i].mark;
}

/* Issue 20.4's shape: requested exact (a full collection), then a leaf grown past every peak so
 * far and shrunk by a move, no statistics read in between: the peak must remember the top. */
static void peak_probe(world *w, int *list, unsigned a, unsigned b) {
  mc_gc_collect(w->gc, 2);
  int n = reach(&w->g, list);
  int leaf = -1;
  for (int k = 0; k < n && leaf < 0; k++) {
    int i = list[(a + (unsigned)k) % (unsigned)n];
    if (w->g.o[i].kind == K_LEAF) leaf = i;
  }
  if (leaf < 0) return;
  mc_alloc_stats st;
  mc_alloc_get_stats(w->al, &st);
  CHECK(st.requested == known_bytes(w, list, n)); /* nothing but the known objects is alive */
  obj *x = &w->g.o[leaf];
  size_t top = st.requested_peak + 1 + b, grown = x->size + (top - st.requested);
  if (grown > ((size_t)1 << 22)) return; /* keep the heap small */
  w->known_now = st.requested;
  resize_to(w, leaf, grown); /* requested reaches top exactly (if it worked) */
  if (reached_again(w, list, leaf))
    resize_object(w, leaf, 2 + 8 * (b % 8)); /* back to a small leaf (1..64 bytes): a move */
}

static void freeze(world *w, int *list) {
  mc_gc_collect(w->gc, 2); /* only what is reachable gets frozen: the model knows it all */
  int n = reach(&w->g, list);
  forget_unreachable(&w->g);
  n = reach(&w->g, list);
  for (int k = 0; k < n; k++) w->g.o[list[k]].frozen = 1;
  mc_gc_freeze(w->gc);
  w->count[0] = 0; /* CPython's freeze resets generation 0's count */
  CHECK(mc_gc_get_objects(w->gc, -1, NULL, 0) == 0);
}

static void unfreeze(world *w) {
  for (int i = 0; i < w->g.nobj; i++) w->g.o[i].frozen = 0;
  mc_gc_unfreeze(w->gc);
  CHECK(mc_gc_get_freeze_count(w->gc) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static world w;
  static int list[MAXOBJ];
  input in = {data, size};
  mc_system sys;
  mc_system_init(&sys);
  mc_gc_config cfg;
  unsigned mode = take8(&in);
  if (mode & 1)
    mc_gc_config_python(&cfg);
  else
    mc_gc_config_default(&cfg);
  cfg.torture = (mode & 2) != 0;
  if (mode & 4) cfg.threshold[0] = 1 + take8(&in) % 16, cfg.threshold[1] = 1 + take8(&in) % 4;
  memset(&w, 0, sizeof w);
  CHECK(mc_gc_new(&w.gc, mc_system_allocator(&sys), &cfg) == MC_OK);
  w.al = mc_gc_allocator(w.gc);
  CHECK(mc_gc_callback_add(w.gc, on_collect, &w) == MC_OK);
  graph_roots_add(&w.g, w.al);
  if (mode & 8) { /* a heap limit 0..3 pages and 0..4080 bytes above the empty heap: refusals
                     on every path, and tables that must not push the footprint past it */
    mc_alloc_stats st;
    mc_alloc_get_stats(w.al, &st);
    w.limit = st.footprint + (size_t)65536 * (take8(&in) % 4);
    w.limit += 16 * (size_t)take8(&in);
    mc_gc_set_heap_limit(w.gc, w.limit);
  }
  const int trace = getenv("FUZZ_GC_TRACE") != NULL; /* replaying a finding: one line per op */
  while (in.n) {
    unsigned op = take8(&in), a = take8(&in), b = take8(&in);
    if (trace) fprintf(stderr, "op %u a %u b %u (objects %d)\n", op % 16, a, b, w.g.nobj);
    int n = reach(&w.g, list);
    w.known_now = known_bytes(&w, list, n);
    if (w.known_now > w.peak_known) w.peak_known = w.known_now;
    switch (op % 16) {
    case 0:
    case 1: new_object(&w, &in, a % NROOTS, K_NODE); break;
    case 2: new_object(&w, &in, a % NROOTS, K_LEAF); break;
    case 8: new_object(&w, &in, a % NROOTS, (b & 1) ? K_TARR : K_PARR); break;
    case 3:
    case 4:
    case 14: { /* a reachable container's slot := reachable or NULL */
      if (!n) break;
      int src = list[a % n];
      obj *x = &w.g.o[src];
      if (!is_container(x)) break;
      size_t e = take8(&in) % nedges(x);
      int dst = (b & 7) == 7 ? -1 : list[b % n];
      mc_store(w.al, x->p, slot_at(x, e), dst >= 0 ? w.g.o[dst].p : NULL);
      x->edge[e] = dst;
      break;
    }
    case 5: graph_set_root(&w.g, list, n, a, b); break; /* drop or re-point a root */
    case 6: mc_gc_collect(w.gc, (int)(a % 4) - 1); break;
    case 9:
    case 10:
      if (n) resize_object(&w, list[a % n], b);
      break;
    case 13: peak_probe(&w, list, a, b); break;
    case 15: /* two resizes of one object, no statistics read between them (issue 20.4) */
      if (n) {
        int i = list[a % n];
        resize_object(&w, i, b);
        unsigned v = take8(&in);
        if (reached_again(&w, list, i)) resize_object(&w, i, v);
      }
      break;
    case 11: freeze(&w, list); break;
    case 12: unfreeze(&w); break;
    default:
      if (a & 1)
        mc_gc_set_torture(w.gc, (a >> 1) & 1);
      else
        mc_gc_set_threshold(w.gc, (const int[MC_GC_NGEN]){b % 20, 1 + b % 5, 1 + b % 3});
      break;
    }
    n = reach(&w.g, list);
    forget_unreachable(&w.g);
    n = reach(&w.g, list);
    verify(&w, list, n);
    if (op % 16 == 6 && a % 4 != 1 && a % 4 != 2) full_check(&w, list, n); /* -1 or 2: full */
  }
  full_check(&w, list, reach(&w.g, list));
  unfreeze(&w);
  graph_roots_clear(&w.g);
  mc_gc_collect(w.gc, 2);
  mc_alloc_stats st;
  mc_alloc_get_stats(w.al, &st);
  CHECK(st.live == 0 && st.requested == 0);
  graph_roots_remove(&w.g, w.al);
  mc_gc_free(w.gc);
  mc_alloc_get_stats(mc_system_allocator(&sys), &st);
  CHECK(st.live == 0 && st.requested == 0); /* every page went back */
  return 0;
}
