/* mc_stack.c — LIFO allocation over a caller's bounded region.
 *
 * Layout: blocks are laid out upwards from base. Each block is [padding][header][data]: the
 * header (directly below the data) holds the block's size, a link word ((offset of the
 * previous block's header + 1) << 1 | freed, so offset+1 == 0 encodes "no previous block") and
 * the block's push serial, which lets restore tell a mark's block from a later block that
 * happens to sit at the same offset. Data is aligned to max(align, 8) on absolute addresses, so the
 * header is always 8-aligned. The allocator keeps `last` (the top block's header offset) and `top`
 * (the end of the top block's data).
 *
 * Invariants: top == (last == NONE ? 0 : last + HDR + size(last)); every live or held block lies
 * below top; the top block is never marked freed (a pop unwinds every freed block it uncovers).
 * requested == sum of the sizes of the blocks not marked freed; footprint == top.
 *
 * Push is a bump; pop of the top block restores top to the end of the previous block (so the
 * padding is recovered too) and keeps popping while the new top was freed out of order. A free
 * that is not the top only sets the freed bit: the bytes stay held (the memory curve shows
 * them) until the top unwinds past. Accounting uses the size stored in the header, so even a
 * caller passing a wrong size cannot desynchronise the stats. restore(mark) walks the chain
 * down to the mark's block, summing the live sizes it drops: O(blocks dropped), like popping.
 *
 * Counters: the inline push and pop (mc_stack.h) touch only counters that grow: pushes and
 * bytes_in, frees and bytes_out. requested = bytes_in - bytes_out, live = (pushes - moves) -
 * frees - blocks_out, total_requested = bytes_in - moved, footprint = top; the two peaks are
 * captured just before requested or top falls, and the stats call takes the max with the
 * current values. */
#include "mc_stack.h"

#include <string.h>

#define HDR MC_STACK_HEADER
#define NONE MC_STACK_NONE

typedef mc__stack_hdr hdr;
_Static_assert(sizeof(hdr) == MC_STACK_HEADER, "MC_STACK_HEADER is the header's size");

static inline hdr *hdr_at(const mc_stack *s, size_t off) { return (hdr *)(void *)(s->base + off); }
static inline size_t link_prev(size_t link) { return mc__stack_link_prev(link); } /* NONE: none */
static inline size_t end_of(const mc_stack *s, size_t off) {
  return off == NONE ? 0 : off + HDR + hdr_at(s, off)->size;
}

static inline void fill(void *p, int byte, size_t n) {
#ifndef NDEBUG
  if (n) memset(p, byte, n); /* n == 0 may come with a NULL region */
#else
  (void)p, (void)byte, (void)n;
#endif
}

static inline unsigned char *push(mc_stack *s, size_t size, size_t align) {
  return mc__stack_place(s, size, align);
}

static inline size_t requested_now(const mc_stack *s) {
  return (size_t)(s->bytes_in - s->bytes_out);
}
static inline size_t live_now(const mc_stack *s) {
  return (size_t)(s->pushes - s->moves - s->frees - s->blocks_out);
}

/* Call before anything that makes requested or top fall: keeps both peaks exact. */
static inline void capture_peaks(mc_stack *s) {
  size_t r = requested_now(s);
  if (r > s->peak) s->peak = r;
  if (s->top > s->top_peak) s->top_peak = s->top;
}

/* Pops the top block, then every block it uncovers that was freed out of order (footprint
 * only: the caller accounts the top block's bytes). */
static inline void pop(mc_stack *s) {
  size_t prev = link_prev(hdr_at(s, s->last)->link);
  while (prev != NONE && (hdr_at(s, prev)->link & 1)) prev = link_prev(hdr_at(s, prev)->link);
  s->last = prev;
  s->top = end_of(s, prev);
}

/* Returns the header offset of block p if p plausibly is a live block (data inside the used
 * region, header consistent), else NONE. Cheap checks, not a walk: see the free contract. */
static size_t block_of(const mc_stack *s, const void *p) {
  uintptr_t b = (uintptr_t)s->base, d = (uintptr_t)p;
  if (d < b + HDR || d >= b + s->top || (d & 7) != 0) return NONE;
  size_t off = (size_t)(d - b) - HDR;
  const hdr *h = hdr_at(s, off);
  if (h->size > s->top - (off + HDR)) return NONE;
  size_t prev = link_prev(h->link);
  if (prev != NONE && prev >= off) return NONE;
  return off;
}

static void *stk_alloc(void *ctx, size_t size, size_t align, const mc_type *type) {
  (void)type;
  return mc__stack_alloc(ctx, size, align);
}

/* Marks the non-top block at off freed (its bytes stay held). */
static void free_held(mc_stack *s, size_t off) {
  hdr *h = hdr_at(s, off);
  h->link |= 1;
  capture_peaks(s);
  s->bytes_out += h->size;
  fill(s->base + off + HDR, 0x55, h->size);
}

/* The slow half of mc__stack_free: the top block when it uncovers a freed one, any other block
 * (held, counted misordered), or something that is not a live block (counted, ignored). */
__attribute__((noinline)) void mc__stack_free_slow(mc_stack *s, void *p) {
  if (s->last != NONE && (unsigned char *)p == s->base + s->last + HDR) {
    size_t n = hdr_at(s, s->last)->size;
    capture_peaks(s);
    s->frees++;
    s->bytes_out += n;
    fill(p, 0x55, n);
    pop(s);
    return;
  }
  s->stats.misordered++;
  size_t off = block_of(s, p);
  if (off == NONE || (hdr_at(s, off)->link & 1)) return; /* not a block, or freed twice */
  s->frees++;
  free_held(s, off);
}

mc_stack_cursor mc__stack_cursor_free_slow(mc_stack *s, mc_stack_cursor c, void *p) {
  mc_stack_cursor_close(s, c);
  mc__stack_free(s, p); /* the top block that uncovers a freed one, or any other block */
  return mc_stack_cursor_open(s);
}

static void stk_free(void *ctx, void *p, size_t size, size_t align) {
  (void)size, (void)align;
  mc__stack_free(ctx, p);
}

static void *stk_resize(void *ctx, void *p, size_t old_size, size_t new_size, size_t align) {
  mc_stack *s = ctx;
  size_t off = block_of(s, p);
  if (off == NONE || (hdr_at(s, off)->link & 1)) {
    s->stats.failures++;
    return NULL;
  }
  hdr *h = hdr_at(s, off);
  size_t have = h->size;
  (void)old_size;                           /* the header knows the size exactly */
  if (off == s->last || new_size <= have) { /* in place: the top block, or any shrink */
    if (off == s->last) {
      if (new_size > s->cap - (off + HDR)) {
        s->stats.failures++;
        return NULL;
      }
      if (new_size < have) capture_peaks(s); /* top falls */
      s->top = off + HDR + new_size;
    }
    h->size = new_size;
  } else { /* grow a buried block: move it to the top, the old copy stays held */
    unsigned char *q = push(s, new_size, align);
    if (!q) {
      s->stats.failures++;
      return NULL;
    }
    memcpy(q, p, have);
    fill(q + have, 0xAA, new_size - have);
    s->stats.misordered++;
    s->moves++;              /* the push is the same live block, not an alloc */
    free_held(s, off);       /* the old copy leaves requested ... */
    s->bytes_in += new_size; /* ... the new one enters; only the growth is new */
    s->moved += have;
    s->stats.resizes++;
    return q;
  }
  if (new_size < have) {
    capture_peaks(s);
    s->bytes_out += have - new_size;
  } else {
    s->bytes_in += new_size - have;
  }
  s->stats.resizes++;
  return p;
}

static void stk_reset(void *ctx) {
  mc_stack *s = ctx;
  fill(s->base, 0x55, s->top);
  capture_peaks(s);
  s->blocks_out += live_now(s); /* requested and live fall to 0 */
  s->bytes_out = s->bytes_in;
  s->top = 0;
  s->last = NONE;
  s->stats.resets++;
}

static void stk_stats(void *ctx, mc_alloc_stats *out) {
  mc_stack *s = ctx;
  *out = s->stats;
  out->requested = requested_now(s);
  out->requested_peak = out->requested > s->peak ? out->requested : s->peak;
  out->footprint = s->top;
  out->footprint_peak = s->top > s->top_peak ? s->top : s->top_peak;
  out->live = live_now(s);
  out->total_requested = s->bytes_in - s->moved;
  out->allocs = s->pushes - s->moves;
  out->frees = s->frees;
}

static const mc_alloc_vtbl stack_vtbl = {
    .name = "stack",
    .alloc = stk_alloc,
    .resize = stk_resize,
    .free = stk_free,
    .reset = stk_reset,
    .stats = stk_stats,
};

int mc_stack_init(mc_stack *s, void *buf, size_t cap) {
  if ((!buf && cap > 0) || cap > MC_SIZE_MAX) return MC_EINVAL;
  memset(s, 0, sizeof *s);
  s->base = buf;
  s->cap = cap;
  s->last = NONE;
  return MC_OK;
}

mc_alloc mc_stack_allocator(mc_stack *s) { return (mc_alloc){&stack_vtbl, s}; }

mc_stack_mark mc_stack_save(mc_stack *s) {
  return (mc_stack_mark){s->top, s->last, s->last == NONE ? 0 : hdr_at(s, s->last)->serial};
}

int mc_stack_restore(mc_stack *s, mc_stack_mark mark) {
  size_t drop_bytes = 0, drop_live = 0, cur = s->last;
  while (cur != NONE && (mark.last == NONE || cur > mark.last)) {
    const hdr *h = hdr_at(s, cur);
    if (!(h->link & 1)) {
      drop_bytes += h->size;
      drop_live++;
    }
    cur = link_prev(h->link);
  }
  if (cur != mark.last) return MC_EINVAL; /* the mark's block is not on the stack */
  if (cur != NONE && hdr_at(s, cur)->serial != mark.serial) return MC_EINVAL; /* another one */
  size_t old_top = s->top;
  capture_peaks(s);
  s->bytes_out += drop_bytes;
  s->blocks_out += drop_live;
  s->last = mark.last;
  s->top = end_of(s, mark.last);
  if (s->last != NONE && (hdr_at(s, s->last)->link & 1)) pop(s);
  if (old_top > s->top) fill(s->base + s->top, 0x55, old_top - s->top); /* base may be NULL */
  return MC_OK;
}
