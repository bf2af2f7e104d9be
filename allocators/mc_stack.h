/* mc_stack.h — the stack allocator: LIFO allocation over a bounded region supplied by the caller
 * (which may be a buffer on the caller's own call stack). Stack memory in the textbook sense:
 * push/pop, marks, resize in place of the top block; overflow is a counted NULL, never a crash. */
#ifndef MC_STACK_H
#define MC_STACK_H

#include "mc_alloc.h"

#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MC_STACK_NONE SIZE_MAX /* offset meaning "no block" */

/* Each block is preceded by a 24-byte header (its size, the offset of the previous block's
 * header with a "freed out of order" bit, and its push serial), and its data is aligned to
 * max(align, 8) by padding inside the region. A block of size s at alignment a therefore uses
 * s + 24 + padding bytes. */
#define MC_STACK_HEADER ((size_t)24)

typedef struct mc_stack {
  /* hot: what the inline fast paths below read and write */
  unsigned char *base; /* the caller's region */
  size_t cap;          /* bytes in the region */
  size_t top;          /* bytes, offset of the first unused byte (the end of the top block) */
  size_t last;         /* offset of the top block's header, MC_STACK_NONE when empty */
  uint64_t pushes;     /* blocks ever pushed: each header keeps its serial, so that a mark
                          whose block was popped (and the place reused) is recognised */
  uint64_t bytes_in;   /* bytes that entered `requested`: allocs, and growth by resize */
  uint64_t frees;      /* free calls that freed a block (stats.frees) */
  uint64_t bytes_out;  /* bytes that left `requested`: frees, shrinks, reset, restore */
  /* cold */
  uint64_t blocks_out;  /* blocks dropped by reset / restore */
  uint64_t moves;       /* pushes made by a moving resize (pushes - moves = allocs) */
  uint64_t moved;       /* bytes of bytes_in that re-entered by a moving resize (not new) */
  size_t peak;          /* requested_peak and ... */
  size_t top_peak;      /* ... footprint_peak, as of the last fall (they only grow in between) */
  mc_alloc_stats stats; /* failures, resets, misordered; the rest is derived by the stats call:
                           footprint = top: bytes of the region in use (headers, padding and
                           out-of-order-freed blocks included) */
} mc_stack;

/* A position to come back to with mc_stack_restore. */
typedef struct mc_stack_mark {
  size_t top;      /* offset of the first unused byte at the save (informative) */
  size_t last;     /* the top block's header at the save, MC_STACK_NONE when empty */
  uint64_t serial; /* that block's push serial (0 when empty) */
} mc_stack_mark;

/* ---- life cycle -------------------------------------------------------------------------- */

/* Prepares s over buf[0..cap). Returns MC_OK, or MC_EINVAL (s untouched) when buf is NULL with
 * cap > 0 or cap > MC_SIZE_MAX. The region is not touched here. REQUIRES: buf outlives every use of
 * s and of its allocator; nothing else writes into buf meanwhile. */
int mc_stack_init(mc_stack *s, void *buf, size_t cap);

/* Returns the allocator over s. Vtable semantics:
 *  - alloc: a new top block, or NULL (failures++, nothing else changes) when it does not fit;
 *  - free of the top block pops it, and with it every block below that was already freed out of
 *    order (so footprint drops); free of any other block is counted (stats.misordered), its
 *    requested bytes leave `requested` but its bytes stay held in `footprint` until the top
 *    unwinds past it. A pointer that is not inside the used region is counted and ignored;
 *    a second free of an out-of-order-freed block is counted and ignored;
 *  - resize of the top block is in place (NULL + failures++ when growth does not fit); a
 *    non-top block shrinks in place, and grows by moving to the top (the old copy is then an
 *    out-of-order free: counted, held until unwound);
 *  - reset drops every block (the region is reused from its start).
 * Every alignment 1..MC_ALIGN_MAX is honoured by padding inside the region. */
mc_alloc mc_stack_allocator(mc_stack *s);

/* ---- direct calls: the vtable's alloc and free, inline ----------------------------------- */

/* Exactly what mc_alloc_new / mc_alloc_free through mc_stack_allocator(s) do (same blocks,
 * same stats to the byte), without the indirect call. A push is an align-up, a compare and
 * the header; a pop of the top block reads its header and the previous one. Frees that are
 * not of the top, or that uncover a block freed out of order, go out of line. */
void mc__stack_free_slow(mc_stack *s, void *p); /* private */

typedef struct mc__stack_hdr { /* private: the header below each block's data */
  size_t size;                 /* bytes of data */
  size_t link;                 /* (offset of the previous header + 1) << 1 | freed */
  uint64_t serial;             /* push serial (1, 2, ...): identifies the block for marks */
} mc__stack_hdr;

/* private: the previous block's header offset in a link word, MC_STACK_NONE when none */
static inline size_t mc__stack_link_prev(size_t link) { return (link >> 1) - 1; }

#ifndef NDEBUG /* debug builds fill new blocks with 0xAA and freed ones with 0x55 */
#define MC__STACK_FILL(p, byte, n) memset((p), (byte), (n))
#else
#define MC__STACK_FILL(p, byte, n) ((void)0)
#endif

/* Places a block of size bytes on top and writes its header; returns its data or NULL if it
 * does not fit. Counts nothing but the push. REQUIRES: size <= MC_SIZE_MAX, align a power of
 * two <= MC_ALIGN_MAX. */
static inline unsigned char *mc__stack_place(mc_stack *s, size_t size, size_t align) {
  uintptr_t a = align < 8 ? 8 : align, base = (uintptr_t)s->base;
  uintptr_t data = (base + s->top + MC_STACK_HEADER + a - 1) & ~(a - 1);
  /* no wrap: data is at most a few MC_ALIGN_MAX past a user-space address, size <= MC_SIZE_MAX */
  if (__builtin_expect(data + size > base + s->cap, 0)) return NULL;
  if (data == 0) __builtin_unreachable(); /* data > base: callers test the result for NULL */
  size_t off = (size_t)(data - base);
  mc__stack_hdr *h = (mc__stack_hdr *)(void *)(data - MC_STACK_HEADER);
  h->size = size;
  h->link = (s->last + 1) << 1;
  h->serial = ++s->pushes;
  s->last = off - MC_STACK_HEADER;
  s->top = off + size;
  return (unsigned char *)data;
}

/* The vtable's alloc. REQUIRES: 0 < size <= MC_SIZE_MAX, align a power of two <= MC_ALIGN_MAX. */
static inline void *mc__stack_alloc(mc_stack *s, size_t size, size_t align) {
  unsigned char *p = mc__stack_place(s, size, align);
  if (__builtin_expect(!p, 0)) {
    s->stats.failures++;
    return NULL;
  }
  s->bytes_in += size;
  MC__STACK_FILL(p, 0xAA, size);
  return p;
}

/* Pushes a block of size bytes aligned to align: the block, the zero token for size 0, or NULL
 * on a bad alignment or size > MC_SIZE_MAX (nothing counted) or when it does not fit
 * (failures++). */
static inline void *mc_stack_alloc(mc_stack *s, size_t size, size_t align) {
  void *special;
  if (mc__alloc_special(size, align, &special)) return special;
  return mc__stack_alloc(s, size, align);
}

/* The vtable's free (REQUIRES: p non-NULL). The size is read from the header. */
static inline void mc__stack_free(mc_stack *s, void *p) {
  size_t last = s->last;
  if (__builtin_expect(
          last != MC_STACK_NONE && (unsigned char *)p == s->base + last + MC_STACK_HEADER, 1)) {
    const mc__stack_hdr *h = (const mc__stack_hdr *)(const void *)(s->base + last);
    size_t prev = mc__stack_link_prev(h->link), top = 0;
    if (prev != MC_STACK_NONE) {
      const mc__stack_hdr *ph = (const mc__stack_hdr *)(const void *)(s->base + prev);
      if (__builtin_expect(ph->link & 1, 0)) goto slow; /* it uncovers a freed block */
      top = prev + MC_STACK_HEADER + ph->size;
    }
    size_t requested = (size_t)(s->bytes_in - s->bytes_out), n = h->size;
    if (requested > s->peak) s->peak = requested; /* requested and top are about to fall */
    if (s->top > s->top_peak) s->top_peak = s->top;
    s->frees++;
    s->bytes_out += n;
    MC__STACK_FILL(p, 0x55, n);
    s->last = prev;
    s->top = top;
    return;
  }
slow:
  mc__stack_free_slow(s, p);
}

/* Frees p (a pop when it is the top block; see mc_stack_allocator for the others). p NULL or
 * size 0: nothing. The size is not needed beyond that: the header knows it. */
static inline void mc_stack_free(mc_stack *s, void *p, size_t size) {
  if (p && size != 0) mc__stack_free(s, p);
}

/* ---- cursor: the top of the stack in the caller's registers ------------------------------ */

/* mc_stack_alloc and mc_stack_free keep top, the top block and the counters in the mc_stack, so
 * a push followed by a pop waits on stores and reloads of them (any pointer the caller stores
 * could point into the mc_stack). A cursor is a by-value copy of those fields, plus the header
 * offset of the block under the top one so that a pop of the top block reads no header written
 * by the push before it; kept in a local whose address is never taken, it lives in registers.
 * Blocks, headers and, once the cursor is closed, the stats are exactly those of the same
 * mc_stack_alloc / mc_stack_free calls (frees out of order, or uncovering a block freed out of
 * order, go out of line through mc_stack_free's slow path).
 *
 *   mc_stack_cursor c = mc_stack_cursor_open(s);
 *   void *tmp = mc_stack_cursor_alloc(s, &c, n, 16);
 *   ...
 *   mc_stack_cursor_free(s, &c, tmp, n);
 *   mc_stack_cursor_close(s, c);
 *
 * REQUIRES: between open and close, s is used only through that cursor (no other alloc, free,
 * resize, stats, reset, save or restore on s, and no second cursor); close exactly once. */
typedef struct mc_stack_cursor {
  unsigned char *base; /* as in mc_stack */
  size_t cap;
  size_t top;
  size_t last;
  size_t below; /* header offset of the block under the top one, MC_STACK_NONE when none */
  uint64_t pushes, bytes_in, frees, bytes_out;
  size_t peak, top_peak;
} mc_stack_cursor;

static inline mc_stack_cursor mc_stack_cursor_open(const mc_stack *s) {
  size_t below = MC_STACK_NONE;
  if (s->last != MC_STACK_NONE)
    below = mc__stack_link_prev(((const mc__stack_hdr *)(const void *)(s->base + s->last))->link);
  return (mc_stack_cursor){.base = s->base,
                           .cap = s->cap,
                           .top = s->top,
                           .last = s->last,
                           .below = below,
                           .pushes = s->pushes,
                           .bytes_in = s->bytes_in,
                           .frees = s->frees,
                           .bytes_out = s->bytes_out,
                           .peak = s->peak,
                           .top_peak = s->top_peak};
}

/* Hands the cursor's state back to s: after it, s is as if every cursor call had been the
 * corresponding mc_stack_alloc / mc_stack_free. */
static inline void mc_stack_cursor_close(mc_stack *s, mc_stack_cursor c) {
  s->top = c.top;
  s->last = c.last;
  s->pushes = c.pushes;
  s->bytes_in = c.bytes_in;
  s->frees = c.frees;
  s->bytes_out = c.bytes_out;
  s->peak = c.peak;
  s->top_peak = c.top_peak;
}

/* private: closes c into s, runs mc__stack_free_slow, reopens. By value both ways, so that the
 * caller's cursor never has its address taken. */
mc_stack_cursor mc__stack_cursor_free_slow(mc_stack *s, mc_stack_cursor c, void *p);

/* mc_stack_alloc through the cursor c of s: the same block, the zero token for size 0, or NULL
 * (bad alignment or size > MC_SIZE_MAX: nothing counted; no room: failures++ in s). */
static inline void *mc_stack_cursor_alloc(mc_stack *s, mc_stack_cursor *c, size_t size,
                                          size_t align) {
  void *special;
  if (mc__alloc_special(size, align, &special)) return special;
  uintptr_t a = align < 8 ? 8 : align, base = (uintptr_t)c->base;
  uintptr_t data = (base + c->top + MC_STACK_HEADER + a - 1) & ~(a - 1);
  if (__builtin_expect(data + size > base + c->cap, 0)) { /* no wrap: as in mc__stack_place */
    s->stats.failures++;
    return NULL;
  }
  size_t off = (size_t)(data - base);
  mc__stack_hdr *h = (mc__stack_hdr *)(void *)(data - MC_STACK_HEADER);
  h->size = size;
  h->link = (c->last + 1) << 1;
  h->serial = ++c->pushes;
  c->below = c->last;
  c->last = off - MC_STACK_HEADER;
  c->top = off + size;
  c->bytes_in += size;
  MC__STACK_FILL((void *)data, 0xAA, size);
  return (void *)data;
}

/* mc_stack_free through the cursor c of s. p NULL or size 0: nothing. */
static inline void mc_stack_cursor_free(mc_stack *s, mc_stack_cursor *c, void *p, size_t size) {
  if (!p || size == 0) return;
  size_t last = c->last;
  if (__builtin_expect(
          last != MC_STACK_NONE && (unsigned char *)p == c->base + last + MC_STACK_HEADER, 1)) {
    size_t prev = c->below, below = MC_STACK_NONE, top = 0;
    if (prev != MC_STACK_NONE) {
      const mc__stack_hdr *ph = (const mc__stack_hdr *)(const void *)(c->base + prev);
      size_t link = ph->link;
      if (__builtin_expect(link & 1, 0)) goto slow; /* it uncovers a freed block */
      top = prev + MC_STACK_HEADER + ph->size;
      below = mc__stack_link_prev(link);
    }
    size_t requested = (size_t)(c->bytes_in - c->bytes_out);
    size_t n = c->top - (last + MC_STACK_HEADER); /* the top block's size: top is its end */
    if (requested > c->peak) c->peak = requested; /* requested and top are about to fall */
    if (c->top > c->top_peak) c->top_peak = c->top;
    c->frees++;
    c->bytes_out += n;
    MC__STACK_FILL(p, 0x55, n);
    c->last = prev;
    c->below = below;
    c->top = top;
    return;
  }
slow:
  *c = mc__stack_cursor_free_slow(s, *c, p);
}

/* ---- marks ------------------------------------------------------------------------------- */

/* Returns the current position. Cannot fail. */
mc_stack_mark mc_stack_save(mc_stack *s);

/* Drops every block allocated after the save of mark (live ones leave `requested` and `live`,
 * and everything above the mark leaves `footprint`); blocks below the mark are kept, and if the
 * top then turns out to be freed out of order it unwinds too. Returns MC_OK, or MC_EINVAL with
 * nothing changed when mark is not a position on the current stack (the stack unwound below it
 * since, even if it grew again over the same bytes, or a reset intervened). */
int mc_stack_restore(mc_stack *s, mc_stack_mark mark);

/* ---- accessors --------------------------------------------------------------------------- */

/* Bytes of the region in use (the same as stats.footprint). */
static inline size_t mc_stack_used(const mc_stack *s) { return s->top; }

/* Bytes of the region not yet used. */
static inline size_t mc_stack_available(const mc_stack *s) { return s->cap - s->top; }

#ifdef __cplusplus
}
#endif
#endif /* MC_STACK_H */
