/* mc_stack.h — the stack allocator: LIFO allocation over a bounded region supplied by the caller
 * (which may be a buffer on the caller's own call stack). Stack memory in the textbook sense:
 * push/pop, marks, resize in place of the top block; overflow is a counted NULL, never a crash. */
#ifndef MC_STACK_H
#define MC_STACK_H

#include "mc_alloc.h"

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
  unsigned char *base;  /* the caller's region */
  size_t cap;           /* bytes in the region */
  size_t top;           /* bytes, offset of the first unused byte (the end of the top block) */
  size_t last;          /* offset of the top block's header, MC_STACK_NONE when empty */
  uint64_t pushes;      /* blocks ever pushed: each header keeps its serial, so that a mark
                           whose block was popped (and the place reused) is recognised */
  mc_alloc_stats stats; /* footprint (filled by the stats call) = top: bytes of the region in
                           use (headers, padding and out-of-order-freed blocks included) */
} mc_stack;

/* A position to come back to with mc_stack_restore. */
typedef struct mc_stack_mark {
  size_t top;      /* offset of the first unused byte at the save (informative) */
  size_t last;     /* the top block's header at the save, MC_STACK_NONE when empty */
  uint64_t serial; /* that block's push serial (0 when empty) */
} mc_stack_mark;

/* ---- life cycle -------------------------------------------------------------------------- */

/* Prepares s over buf[0..cap). Returns MC_OK, or MC_EINVAL (s untouched) when buf is NULL with
 * cap > 0 or cap > MC_SIZE_MAX. The region is not touched here. REQUIRES: buf outlives every use of s and of its
 * allocator; nothing else writes into buf meanwhile. */
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
