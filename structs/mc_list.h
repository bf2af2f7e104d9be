/* mc_list.h — a doubly linked list of u64 (or f64) payloads, one managed node per element.
 * Lists can be closed into a ring (mc_list_make_circular) and abandoned without freeing
 * (mc_list_abandon): the collector's cycle and leak demonstrations. */
#ifndef MC_LIST_H
#define MC_LIST_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mc_alloc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A node: a managed block of type mc_list_node_type (pointers at next and prev). */
typedef struct mc_list_node mc_list_node;
struct mc_list_node {
  mc_list_node *next; /* toward the tail; NULL at the tail (the head once circular) */
  mc_list_node *prev; /* toward the head; NULL at the head (the tail once circular) */
  uint64_t value;     /* payload: a u64, or an f64's bits (mc_list_f64_bits) */
};

/* Caller-owned header; head and tail are roots (registered at init). */
typedef struct mc_list {
  mc_alloc al;        /* where the nodes come from */
  mc_list_node *head; /* first node or NULL (root slot) */
  mc_list_node *tail; /* last node or NULL (root slot) */
  size_t len;         /* nodes */
  int circular;       /* 1 once mc_list_make_circular closed the ring */
} mc_list;

/* The nodes' type: MC_TYPE_OFFSETS over next and prev. */
extern const mc_type mc_list_node_type;

/* Callback for mc_list_foreach: return 0 to continue, anything else stops the walk. */
typedef int (*mc_list_visit_fn)(mc_list_node *node, void *arg);

/* ---- f64 payloads ------------------------------------------------------------------------- */

static inline uint64_t mc_list_f64_bits(double x) {
  uint64_t u;
  memcpy(&u, &x, sizeof u);
  return u;
}
static inline double mc_list_bits_f64(uint64_t u) {
  double x;
  memcpy(&x, &u, sizeof x);
  return x;
}

/* ---- life cycle ------------------------------------------------------------------------ */

/* Prepares an empty list over al and registers head and tail as roots. Returns MC_OK.
 * REQUIRES: l stays at this address until destroy or abandon (its roots are registered). */
int mc_list_init(mc_list *l, mc_alloc al);

/* Frees every node, unregisters the roots and zeroes l. Accepts a zeroed l. On a circular list
 * it frees exactly the len nodes of the ring, starting at head (len is kept exact by every
 * operation, so the ring is never followed around twice). */
void mc_list_destroy(mc_list *l);

/* Forgets every node WITHOUT freeing it, unregisters the roots and zeroes l: under a system or
 * pool allocator the nodes leak; under the collector they become garbage (a ring: cyclic
 * garbage). l may be initialised again afterwards. Accepts a zeroed l. */
void mc_list_abandon(mc_list *l);

/* ---- operations (on a linear list; a circular one only supports the read-only ones, find,
 * foreach and the cursor, and answers MC_ESTATE to the others) ---------------------------- */

/* Adds v at the front / back. Returns MC_OK, MC_ENOMEM or MC_ESTATE; nothing changed on failure. */
int mc_list_push_front(mc_list *l, uint64_t v);
int mc_list_push_back(mc_list *l, uint64_t v);

/* Removes the first / last node, writing its payload to *out (out may be NULL).
 * Returns MC_OK, MC_EEMPTY or MC_ESTATE; nothing changed on failure. */
int mc_list_pop_front(mc_list *l, uint64_t *out);
int mc_list_pop_back(mc_list *l, uint64_t *out);

/* Inserts v right after pos (pos NULL: at the front); *out_node (may be NULL) gets the new node.
 * REQUIRES: pos is a node of l. Returns MC_OK, MC_ENOMEM or MC_ESTATE; nothing changed on failure.
 */
int mc_list_insert_after(mc_list *l, mc_list_node *pos, uint64_t v, mc_list_node **out_node);

/* Unlinks and frees node, writing its payload to *out (may be NULL).
 * REQUIRES: node is a node of l. Returns MC_OK or MC_ESTATE. */
int mc_list_remove(mc_list *l, mc_list_node *node, uint64_t *out);

/* Reverses the order of the nodes in place (no allocation). Returns MC_OK or MC_ESTATE. */
int mc_list_reverse(mc_list *l);

/* Moves every node of src into dst right after pos (pos NULL: at the front of dst), in order, in
 * O(1); src becomes empty. REQUIRES: pos NULL or a node of dst.
 * Returns MC_OK; MC_EINVAL if src == dst or they use different allocators; MC_ESTATE if either is
 * circular. Nothing changed on failure. */
int mc_list_splice(mc_list *dst, mc_list_node *pos, mc_list *src);

/* Closes the ring: tail->next = head and head->prev = tail. An empty list just becomes
 * circular. Returns MC_OK or MC_ESTATE (already circular). */
int mc_list_make_circular(mc_list *l);

/* First node (from the head) whose payload equals v, or NULL. */
mc_list_node *mc_list_find(const mc_list *l, uint64_t v);

/* Calls fn on each node from head to tail (len nodes, circular or not) until fn returns
 * non-zero; returns that value, or 0 when every node was visited. fn must not modify l. */
int mc_list_foreach(const mc_list *l, mc_list_visit_fn fn, void *arg);

/* ---- cursor and accessors ---------------------------------------------------------------- */

static inline size_t mc_list_len(const mc_list *l) { return l->len; }
static inline mc_list_node *mc_list_first(const mc_list *l) { return l->head; }
static inline mc_list_node *mc_list_last(const mc_list *l) { return l->tail; }
/* The node after n, NULL after the tail (also on a ring, so a cursor loop always ends). */
static inline mc_list_node *mc_list_next(const mc_list *l, const mc_list_node *n) {
  return n == l->tail ? NULL : n->next;
}
/* The node before n, NULL before the head. */
static inline mc_list_node *mc_list_prev(const mc_list *l, const mc_list_node *n) {
  return n == l->head ? NULL : n->prev;
}

#ifdef __cplusplus
}
#endif
#endif /* MC_LIST_H */
