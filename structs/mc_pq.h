/* mc_pq.h — an array-based d-ary min-heap priority queue (d = 2: the binary heap; d = 4: the
 * cache-friendlier 4-ary heap), entries a double key plus a 64-bit payload, stored in one
 * leaf buffer obtained from an mc_alloc. */
#ifndef MC_PQ_H
#define MC_PQ_H

#include <stddef.h>
#include <stdint.h>

#include "mc_alloc.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mc_pq_entry {
  double key;     /* priority: the smallest key comes out first (NaN keys: REQUIRES none) */
  uint64_t value; /* payload, carried along */
} mc_pq_entry;

/* Caller-owned header. base is a root (registered at init) holding the start of one leaf
 * buffer; a points d - 1 entries into it (the leading entries are alignment padding, see
 * mc_pq.c), so a[0] is a minimum and a[(i - 1) / d].key <= a[i].key for 0 < i < len. */
typedef struct mc_pq {
  mc_alloc al;       /* where the buffer comes from */
  mc_pq_entry *a;    /* heap-ordered entries [0, len), a[0] a minimum; NULL while cap == 0 */
  mc_pq_entry *base; /* start of the buffer block (a root); NULL while cap == 0 */
  size_t len;        /* entries */
  size_t cap;        /* entries the heap can hold (the block holds cap + d - 1) */
  unsigned d;        /* arity: 2 or 4 */
} mc_pq;

/* ---- life cycle ------------------------------------------------------------------------ */

/* Prepares an empty queue of arity d (2 or 4) with room for cap entries (0: allocate on the
 * first push) and registers q->base as a root. Returns MC_OK, MC_EINVAL (bad d), MC_ERANGE (cap
 * overflows) or MC_ENOMEM; on failure q is zeroed and no root stays registered.
 * REQUIRES: q stays at this address until destroy (&q->base is a registered root). */
int mc_pq_init(mc_pq *q, mc_alloc al, unsigned d, size_t cap);

/* Frees the buffer, unregisters the root and zeroes q. Accepts a zeroed q. */
void mc_pq_destroy(mc_pq *q);

/* ---- operations -------------------------------------------------------------------------- */

/* Adds (key, value). The buffer grows by doubling (minimum 16 entries).
 * Returns MC_OK, MC_ERANGE (capacity overflow) or MC_ENOMEM; nothing changed on failure. */
int mc_pq_push(mc_pq *q, double key, uint64_t value);

/* Removes an entry of minimum key, writing it to *out (out may be NULL). When the pop leaves
 * fewer than cap / 4 entries and cap exceeds 16 (the minimum a growing buffer starts from),
 * the buffer shrinks to cap / 2 entries; a buffer of 16 entries or fewer never shrinks (a
 * failed shrink keeps the larger buffer).
 * Returns MC_OK or MC_EEMPTY (nothing changed). Ties between equal keys are broken arbitrarily. */
int mc_pq_pop(mc_pq *q, mc_pq_entry *out);

/* Writes an entry of minimum key to *out without removing it. MC_OK or MC_EEMPTY. */
int mc_pq_peek(const mc_pq *q, mc_pq_entry *out);

/* Adds the n entries of src (src may be NULL when n == 0) and restores heap order bottom-up
 * (Floyd) in O(len + n) rather than O(n log n). Returns MC_OK, MC_ERANGE or MC_ENOMEM; nothing
 * changed on failure. */
int mc_pq_heapify(mc_pq *q, const mc_pq_entry *src, size_t n);

/* ---- accessors ------------------------------------------------------------------------------ */

static inline size_t mc_pq_size(const mc_pq *q) { return q->len; }
static inline unsigned mc_pq_arity(const mc_pq *q) { return q->d; }

#ifdef __cplusplus
}
#endif
#endif /* MC_PQ_H */
