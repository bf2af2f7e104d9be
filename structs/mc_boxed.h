/* mc_boxed.h — the boxed array: a growable array of pointers to individually allocated f64
 * boxes, the "Python list of floats" that the ndarray is measured against. One allocation per
 * element plus one pointer buffer, all through an mc_alloc. */
#ifndef MC_BOXED_H
#define MC_BOXED_H

#include <stddef.h>

#include "mc_alloc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Caller-owned header. items is a root (registered at init); the buffer it points to is a
 * managed MC_TYPE_PTR_ARRAY block of cap slots whose slots [len, cap) are always NULL; each of
 * the slots [0, len) points to a leaf block of sizeof(double) bytes (a box). */
typedef struct mc_boxed {
  mc_alloc al;    /* where the buffer and the boxes come from */
  double **items; /* pointer buffer (root slot); NULL while cap == 0 */
  size_t len;     /* elements, number of boxes held */
  size_t cap;     /* slots in items */
} mc_boxed;

/* The type of the pointer buffer (for collectors and debugging listings). */
extern const mc_type mc_boxed_buffer_type;

/* ---- life cycle ------------------------------------------------------------------------ */

/* Prepares b, empty, with room for cap elements (cap 0: no allocation until the first append),
 * and registers b->items as a root of al.
 * Returns MC_OK, MC_ERANGE if cap * sizeof(void *) overflows, MC_ENOMEM; on failure b is
 * zeroed and no root stays registered (destroy on it is harmless).
 * REQUIRES: b stays at this address until destroy (&b->items is a registered root). */
int mc_boxed_init(mc_boxed *b, mc_alloc al, size_t cap);

/* Frees every box and the buffer, unregisters the root and zeroes b. Accepts a zeroed b. */
void mc_boxed_destroy(mc_boxed *b);

/* ---- operations -------------------------------------------------------------------------- */

/* Appends a new box holding v. Grows the buffer first (doubling, at least 4 slots), then
 * allocates the box, then stores it, so each new block is reachable before the next allocation.
 * Returns MC_OK, MC_ERANGE (capacity overflow) or MC_ENOMEM. On failure len and every value are
 * unchanged (the buffer may have grown: capacity is not content). */
int mc_boxed_append(mc_boxed *b, double v);

/* Reads element i into *out. Returns MC_OK or MC_ERANGE (i >= len, *out untouched). */
int mc_boxed_get(const mc_boxed *b, size_t i, double *out);

/* Overwrites element i in its existing box (no allocation). MC_OK or MC_ERANGE. */
int mc_boxed_set(mc_boxed *b, size_t i, double v);

/* Removes the last element, writing it to *out (out may be NULL), and frees its box. The buffer
 * shrinks to half when len falls below cap / 4 (a failed shrink keeps the larger buffer).
 * Returns MC_OK or MC_EEMPTY (nothing changed). */
int mc_boxed_pop(mc_boxed *b, double *out);

/* Removes element i (out may be NULL), shifting the later ones down by one and freeing its box.
 * Returns MC_OK or MC_ERANGE (i >= len, nothing changed). */
int mc_boxed_remove(mc_boxed *b, size_t i, double *out);

/* Sum of the elements in index order (follows every pointer: the cost the ndarray avoids). */
double mc_boxed_sum(const mc_boxed *b);

/* ---- accessors ------------------------------------------------------------------------------ */

static inline size_t mc_boxed_len(const mc_boxed *b) { return b->len; }
static inline size_t mc_boxed_capacity(const mc_boxed *b) { return b->cap; }
/* Unchecked read. REQUIRES: i < len. */
static inline double mc_boxed_at(const mc_boxed *b, size_t i) { return *b->items[i]; }

#ifdef __cplusplus
}
#endif
#endif /* MC_BOXED_H */
