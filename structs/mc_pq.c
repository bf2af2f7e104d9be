/* mc_pq.c — array-based d-ary min-heap (Johnson 1975 for d-ary heaps; Floyd 1964 for
 * bottom-up construction).
 *
 * Invariant: with h the heap base, for every i > 0, h[(i - 1) / d].key <= h[i].key.
 *
 * Layout: the buffer is one leaf block aligned to 64 bytes; the heap starts d - 1 entries in,
 * so the d children of any node (indices d*i+1 .. d*i+d) begin on a (16*d)-byte boundary: with
 * 16-byte entries the four children of a 4-ary node share one 64-byte cache line, and a binary
 * node's two children one 32-byte half. q->base keeps the block's start (the root: what a
 * collector knows) and q->a = q->base + d - 1 the heap's (the public view, [0, len)); the d - 1
 * leading entries are padding.
 *
 * Pop uses the bottom-up deletion of libstdc++'s __adjust_heap (Wegener's bottom-up heapsort):
 * the hole left at the root walks down to a leaf along the smallest children (d - 1 compares per
 * level, none against the moved element), then the former last entry sifts up from there. The
 * last entry is usually large, so the sift-up is short; this halves the compares of the textbook
 * sift-down. The child selection stays a branch on purpose: measured at N = 10^6, a branchless
 * select (cmov) makes each level's load wait for the previous compare and ran 2.5x slower,
 * while a mispredicted branch still fetches the right line (siblings share a line). The walk
 * also prefetches ahead: the 4-ary heap its 16 grandchildren (four aligned lines), the binary
 * heap its 8 great-grandchildren (two lines; its grandchildren share the line speculation
 * already loads). Measured at N = 10^6 under hold on this machine: 4-ary ~800 -> ~340 ns per
 * operation, binary ~450 -> ~400 ns.
 * Sift-up and sift-down are inline functions called with a constant arity, so d = 2
 * and d = 4 each get their own unrolled code.
 *
 * The buffer grows by doubling through mc_alloc_resize and halves when a pop leaves it less than
 * a quarter full, unless it holds 16 entries or fewer (the size growth starts from: tiny
 * buffers are not worth a resize). It holds no pointers (type NULL), so it is never scanned;
 * q->base is a root.
 */
#include "mc_pq.h"

#include <string.h>

#define PQ_ALIGN 64
#define PQ_MIN_CAP 16

static inline mc_pq_entry *heap_base(const mc_pq *q) { return q->a; }

/* Bytes of the block for cap entries of arity d, or 0 on overflow. */
static size_t block_size(size_t cap, unsigned d) {
  size_t n = cap + d - 1, size;
  if (n < cap || mc_size_mul(n, sizeof(mc_pq_entry), &size) != MC_OK) return 0;
  return size;
}

/* Moves the buffer to new_cap >= len entries. MC_OK, MC_ERANGE or MC_ENOMEM (untouched). */
static int set_capacity(mc_pq *q, size_t new_cap) {
  size_t new_size = block_size(new_cap, q->d);
  if (new_size == 0) return MC_ERANGE;
  mc_pq_entry *p;
  if (q->cap == 0)
    p = mc_alloc_new(q->al, new_size, PQ_ALIGN, NULL);
  else
    p = mc_alloc_resize(q->al, q->base, block_size(q->cap, q->d), new_size, PQ_ALIGN);
  if (!p) return MC_ENOMEM;
  q->base = p; /* root slot: a plain store */
  q->a = p + (q->d - 1);
  q->cap = new_cap;
  return MC_OK;
}

/* Ensures room for extra more entries. */
static int reserve(mc_pq *q, size_t extra) {
  if (extra <= q->cap - q->len) return MC_OK;
  size_t need = q->len + extra;
  if (need < q->len) return MC_ERANGE;
  size_t new_cap = q->cap < PQ_MIN_CAP ? PQ_MIN_CAP : q->cap;
  while (new_cap < need) {
    if (new_cap > SIZE_MAX / 2) return MC_ERANGE;
    new_cap *= 2;
  }
  return set_capacity(q, new_cap);
}

int mc_pq_init(mc_pq *q, mc_alloc al, unsigned d, size_t cap) {
  memset(q, 0, sizeof *q);
  if (d != 2 && d != 4) return MC_EINVAL;
  q->al = al;
  q->d = d;
  mc_root_add(al, &q->base);
  if (cap > 0) {
    int rc = set_capacity(q, cap);
    if (rc != MC_OK) {
      mc_root_remove(al, &q->base);
      memset(q, 0, sizeof *q);
      return rc;
    }
  }
  return MC_OK;
}

void mc_pq_destroy(mc_pq *q) {
  if (!q->al.vt) return; /* zeroed */
  if (q->cap) mc_alloc_free(q->al, q->base, block_size(q->cap, q->d), PQ_ALIGN);
  mc_root_remove(q->al, &q->base);
  memset(q, 0, sizeof *q);
}

/* ---- the sifts, specialised per arity ------------------------------------------------- */

/* Places e at hole i, moving it up past larger parents. */
static inline void sift_up(mc_pq_entry *h, size_t i, mc_pq_entry e, const unsigned d) {
  while (i > 0) {
    size_t p = (i - 1) / d;
    if (!(e.key < h[p].key)) break;
    h[i] = h[p];
    i = p;
  }
  h[i] = e;
}

/* Index of the smallest among the children [c, end). */
static inline size_t min_child(const mc_pq_entry *h, size_t c, size_t end) {
  size_t best = c;
  for (size_t j = c + 1; j < end; j++)
    if (h[j].key < h[best].key) best = j;
  return best;
}

/* Asks for the four 64-byte lines from p on (a 4-ary node's grandchildren), so the next level's
 * loads are in flight while this level's compares run. */
static inline void prefetch_lines(const mc_pq_entry *p) {
#if defined(__GNUC__) || defined(__clang__)
  __builtin_prefetch(p);
  __builtin_prefetch(p + 4);
  __builtin_prefetch(p + 8);
  __builtin_prefetch(p + 12);
#else
  (void)p;
#endif
}

/* The same for two lines (a binary node's eight great-grandchildren). */
static inline void prefetch_lines2(const mc_pq_entry *p) {
#if defined(__GNUC__) || defined(__clang__)
  __builtin_prefetch(p);
  __builtin_prefetch(p + 4);
#else
  (void)p;
#endif
}

/* Removes the root of a heap of n + 1 entries whose last entry e was already taken out:
 * walks the root hole down to a leaf, then sifts e up from there. */
static inline void pop_fix(mc_pq_entry *h, size_t n, mc_pq_entry e, const unsigned d) {
  size_t hole = 0;
  while (d * hole + d < n) { /* all d children present */
    size_t c = d * hole + 1, best = c;
    size_t g = d * c + 1; /* first grandchild: the d * d grandchildren fill d aligned lines */
    if (d == 4 && g + 15 < n) prefetch_lines(&h[g]);
    if (d == 2 && 2 * g + 8 < n) prefetch_lines2(&h[2 * g + 1]); /* great-grandchildren */
    for (unsigned j = 1; j < d; j++)
      if (h[c + j].key < h[best].key) best = c + j;
    h[hole] = h[best];
    hole = best;
  }
  size_t c = d * hole + 1;
  if (c < n) { /* a last, partial family */
    size_t best = min_child(h, c, n);
    h[hole] = h[best];
    hole = best;
  }
  sift_up(h, hole, e, d);
}

/* Classic sift-down with early stop (for Floyd's construction). */
static inline void sift_down(mc_pq_entry *h, size_t n, size_t i, const unsigned d) {
  mc_pq_entry e = h[i];
  for (;;) {
    size_t c = d * i + 1;
    if (c >= n) break;
    size_t best = min_child(h, c, c + d < n ? c + d : n);
    if (!(h[best].key < e.key)) break;
    h[i] = h[best];
    i = best;
  }
  h[i] = e;
}

/* ---- operations ------------------------------------------------------------------------ */

int mc_pq_push(mc_pq *q, double key, uint64_t value) {
  if (q->len == q->cap) {
    int rc = reserve(q, 1);
    if (rc != MC_OK) return rc;
  }
  mc_pq_entry e = {key, value};
  mc_pq_entry *h = heap_base(q);
  if (q->d == 2)
    sift_up(h, q->len, e, 2);
  else
    sift_up(h, q->len, e, 4);
  q->len++;
  return MC_OK;
}

int mc_pq_pop(mc_pq *q, mc_pq_entry *out) {
  if (q->len == 0) return MC_EEMPTY;
  mc_pq_entry *h = heap_base(q);
  if (out) *out = h[0];
  size_t n = --q->len;
  if (n > 0) {
    if (q->d == 2)
      pop_fix(h, n, h[n], 2);
    else
      pop_fix(h, n, h[n], 4);
  }
  if (q->cap > PQ_MIN_CAP && q->len < q->cap / 4) (void)set_capacity(q, q->cap / 2);
  return MC_OK;
}

int mc_pq_peek(const mc_pq *q, mc_pq_entry *out) {
  if (q->len == 0) return MC_EEMPTY;
  *out = heap_base(q)[0];
  return MC_OK;
}

int mc_pq_heapify(mc_pq *q, const mc_pq_entry *src, size_t n) {
  if (n == 0) return MC_OK;
  int rc = reserve(q, n);
  if (rc != MC_OK) return rc;
  mc_pq_entry *h = heap_base(q);
  memcpy(h + q->len, src, n * sizeof *src);
  q->len += n;
  size_t len = q->len;
  if (len < 2) return MC_OK;
  for (size_t i = (len - 2) / q->d + 1; i-- > 0;) {
    if (q->d == 2)
      sift_down(h, len, i, 2);
    else
      sift_down(h, len, i, 4);
  }
  return MC_OK;
}
