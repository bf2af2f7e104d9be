/* mc_pairing.h — a pairing heap (Fredman, Sedgewick, Sleator, Tarjan 1986): a node-based
 * min-priority queue with O(1) push and meld, O(log n) amortised pop, and decrease-key through
 * the node handle returned by push. One managed node per entry, so the allocator matters. */
#ifndef MC_PAIRING_H
#define MC_PAIRING_H

#include <stddef.h>
#include <stdint.h>

#include "mc_alloc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A node (and the handle push returns): a managed block of type mc_pairing_node_type. Read its
 * fields only through the accessors; a handle is valid until its entry is popped or its heap
 * destroyed. */
typedef struct mc_pairing_node mc_pairing_node;
struct mc_pairing_node {
  mc_pairing_node *child;   /* first (leftmost) child, or NULL */
  mc_pairing_node *sibling; /* next sibling to the right, or NULL */
  mc_pairing_node *prev;    /* left sibling, or the parent for a first child; NULL at the root */
  double key;               /* priority: smallest first */
  uint64_t value;           /* payload */
};

/* Caller-owned header; root is a root slot (registered at init). */
typedef struct mc_pairing {
  mc_alloc al;           /* where the nodes come from */
  mc_pairing_node *root; /* the minimum, or NULL when empty (root slot) */
  size_t len;            /* nodes */
} mc_pairing;

/* The nodes' type: MC_TYPE_OFFSETS over child, sibling and prev. */
extern const mc_type mc_pairing_node_type;

/* ---- life cycle ------------------------------------------------------------------------ */

/* Prepares an empty heap over al and registers h->root as a root. Returns MC_OK.
 * REQUIRES: h stays at this address until destroy (&h->root is a registered root). */
int mc_pairing_init(mc_pairing *h, mc_alloc al);

/* Frees every node (iteratively, no recursion: O(len) time, O(1) stack), unregisters the root
 * and zeroes h. Accepts a zeroed h. */
void mc_pairing_destroy(mc_pairing *h);

/* ---- operations -------------------------------------------------------------------------- */

/* Adds (key, value); *out_node (may be NULL) receives the node handle.
 * Returns MC_OK or MC_ENOMEM (nothing changed). REQUIRES: key is not NaN. */
int mc_pairing_push(mc_pairing *h, double key, uint64_t value, mc_pairing_node **out_node);

/* Removes an entry of minimum key, writing its key and value (either pointer may be NULL), and
 * frees its node. Two-pass pairing of the root's children, done iteratively.
 * Returns MC_OK or MC_EEMPTY (nothing changed). */
int mc_pairing_pop(mc_pairing *h, double *key, uint64_t *value);

/* Writes the minimum key and its value (either may be NULL). MC_OK or MC_EEMPTY. */
int mc_pairing_peek(const mc_pairing *h, double *key, uint64_t *value);

/* Lowers node's key to key. REQUIRES: node is a live node of h.
 * Returns MC_OK, or MC_EINVAL if key is greater than the current key or NaN (nothing changed). */
int mc_pairing_decrease_key(mc_pairing *h, mc_pairing_node *node, double key);

/* Moves every node of src into dst in O(1); src becomes empty (its handles now belong to dst).
 * Returns MC_OK, or MC_EINVAL if src == dst or they use different allocators (nothing changed). */
int mc_pairing_meld(mc_pairing *dst, mc_pairing *src);

/* ---- accessors ------------------------------------------------------------------------------ */

static inline size_t mc_pairing_len(const mc_pairing *h) { return h->len; }
static inline double mc_pairing_node_key(const mc_pairing_node *n) { return n->key; }
static inline uint64_t mc_pairing_node_value(const mc_pairing_node *n) { return n->value; }

#ifdef __cplusplus
}
#endif
#endif /* MC_PAIRING_H */
