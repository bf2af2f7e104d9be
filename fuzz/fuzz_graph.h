/* fuzz_graph.h — the object-graph model both collector targets share (fuzz_gc.c: the tracing
 * model, with resizes, freezes and a statistics model; fuzz_rc.c: the reference-counting model).
 * The model mirrors every object the program created and may still touch: its kind, shape, the
 * model index of each pointer slot's target, whether it is frozen. Eight registered root slots
 * anchor the graph; what they (and frozen objects) reach is what the collector must keep, and
 * objects that fall out of reach are forgotten, since the collector may free them at any
 * allocation. Included once, by each target's single source file, after fuzz_input.h. */
#ifndef MC_FUZZ_GRAPH_H
#define MC_FUZZ_GRAPH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mc_alloc.h"

#define NROOTS 8
#define MAXOBJ 512
#define MAXE 16 /* edges the model keeps per container: slots past them stay NULL */

typedef struct node {
  void *slot[3]; /* managed pointers: any kind */
  uint64_t id;
  uint64_t check; /* id * golden ratio: a freed-and-reused node would not match */
} node;

static const size_t node_offsets[] = {offsetof(node, slot[0]), offsetof(node, slot[1]),
                                      offsetof(node, slot[2])};
static const mc_type node_type = {"fuzz_node", MC_TYPE_OFFSETS, node_offsets, 3, NULL, 0};

/* nodes (typed, three slots), leaves (untyped bytes), pointer arrays, traced arrays */
enum { K_NODE, K_LEAF, K_PARR, K_TARR };

typedef struct obj {
  void *p;
  int kind;
  size_t size;    /* bytes as allocated or last resized */
  size_t align;   /* as allocated (resizes pass it again) */
  uint8_t seed;   /* leaves: pattern */
  int edge[MAXE]; /* containers: model index of each modelled slot's target, -1 for NULL */
  int frozen;     /* in the permanent generation: alive whatever reaches it */
  int tracked;    /* reference counting: a node was stored into it (CPython's untracking) */
  int immutable;  /* reference counting: its type has MC_TYPE_IMMUTABLE (fuzz_rc.c) */
  uint64_t young; /* reference counting: young detections run before its last tracking store */
  int built;      /* reference counting: untracked, built so (node stores into it while it was
                     the latest allocation left it untracked: CPython 3.14's tuples) */
  int mark;       /* reachability walk */
} obj;

/* The graph: the model's objects and the registered root slots. */
typedef struct graph {
  void *roots[NROOTS];  /* registered root slots */
  int root_obj[NROOTS]; /* model index or -1 */
  obj o[MAXOBJ];
  int nobj;
  uint64_t next_id;
} graph;

static inline int is_container(const obj *x) { return x->kind != K_LEAF; }
static inline size_t slot_base(const obj *x) { return x->kind == K_TARR ? 8 : 0; }
/* Pointer slots of a container (what the collector scans). */
static inline size_t nslots(const obj *x) {
  if (x->kind == K_NODE) return 3;
  if (x->kind == K_LEAF) return 0;
  return (x->size - slot_base(x)) / sizeof(void *);
}
static inline size_t nedges(const obj *x) { return nslots(x) < MAXE ? nslots(x) : MAXE; }
static inline void **slot_at(const obj *x, size_t i) {
  return x->kind == K_NODE ? &((node *)x->p)->slot[i]
                           : (void **)((char *)x->p + slot_base(x) + i * sizeof(void *));
}

/* A fresh model object at the end of the table (no edges), or NULL when the table is full. */
static inline obj *graph_add(graph *g, int kind) {
  if (g->nobj == MAXOBJ) return NULL;
  obj *x = &g->o[g->nobj];
  memset(x, 0, sizeof *x);
  x->kind = kind;
  for (int e = 0; e < MAXE; e++) x->edge[e] = -1;
  return x;
}

/* Root slot r holds the object just added by graph_add (a root store is plain). */
static inline void graph_root_new(graph *g, unsigned r) {
  g->roots[r] = g->o[g->nobj].p;
  g->root_obj[r] = g->nobj++;
}

/* Marks what the roots and the frozen objects reach; returns them in list (count returned). */
static inline int reach(graph *g, int *list) {
  int n = 0;
  for (int i = 0; i < g->nobj; i++) g->o[i].mark = 0;
  for (int r = 0; r < NROOTS + g->nobj; r++) {
    int s = r < NROOTS ? g->root_obj[r] : (g->o[r - NROOTS].frozen ? r - NROOTS : -1);
    if (s < 0 || g->o[s].mark) continue;
    g->o[s].mark = 1;
    list[n++] = s;
    for (int k = n - 1; k < n; k++) { /* breadth first from this source */
      const obj *x = &g->o[list[k]];
      for (size_t e = 0; e < nedges(x); e++) {
        int t = x->edge[e];
        if (t >= 0 && !g->o[t].mark) {
          g->o[t].mark = 1;
          list[n++] = t;
        }
      }
    }
  }
  return n;
}

/* Drops model objects that are neither reachable nor frozen (the collector may free them at any
 * allocation), compacting the table; edges and roots are renumbered. Call after reach. */
static inline void forget_unreachable(graph *g) {
  int map[MAXOBJ], n = 0;
  for (int i = 0; i < g->nobj; i++) map[i] = g->o[i].mark ? n++ : -1;
  for (int i = 0, j = 0; i < g->nobj; i++) {
    if (!g->o[i].mark) continue;
    g->o[j] = g->o[i];
    for (int e = 0; e < MAXE; e++)
      if (g->o[j].edge[e] >= 0) g->o[j].edge[e] = map[g->o[j].edge[e]];
    j++;
  }
  for (int r = 0; r < NROOTS; r++)
    if (g->root_obj[r] >= 0) g->root_obj[r] = map[g->root_obj[r]];
  g->nobj = n;
}

/* The program's root operation: root slot a drops its object or (b odd) takes one of the n
 * reachable objects in list. */
static inline void graph_set_root(graph *g, const int *list, int n, unsigned a, unsigned b) {
  if (n && (b & 1)) {
    int t = list[b % (unsigned)n];
    g->roots[a % NROOTS] = g->o[t].p;
    g->root_obj[a % NROOTS] = t;
  } else {
    g->roots[a % NROOTS] = NULL;
    g->root_obj[a % NROOTS] = -1;
  }
}

/* Registers every root slot with al, all empty. */
static inline void graph_roots_add(graph *g, mc_alloc al) {
  for (int r = 0; r < NROOTS; r++) {
    g->root_obj[r] = -1;
    mc_root_add(al, &g->roots[r]);
  }
}

/* Unregisters every root slot from al. */
static inline void graph_roots_remove(graph *g, mc_alloc al) {
  for (int r = 0; r < NROOTS; r++) mc_root_remove(al, &g->roots[r]);
}

/* Empties every root slot (the graph becomes garbage). */
static inline void graph_roots_clear(graph *g) {
  for (int r = 0; r < NROOTS; r++) g->roots[r] = NULL, g->root_obj[r] = -1;
}

#endif /* MC_FUZZ_GRAPH_H */
