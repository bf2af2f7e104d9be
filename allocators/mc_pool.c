/* mc_pool.c — size-class pools of fixed-size slots.
 *
 * Each class owns slabs taken from the parent (MC_ALIGN_DEFAULT-aligned, a 16-byte header,
 * then slots back to back) and a LIFO free list threaded through the first word of the free
 * slots (the classic free-list allocator; Knuth TAOCP 2.5, and the shape of CPython's pymalloc
 * pools). A new slab is carved lazily: `bump` hands out never-used slots, so opening a slab
 * costs nothing per slot. A size maps to its class through a byte table indexed by
 * ceil(size / 8): alloc and free are a table load, a list pop/push and the counters.
 *
 * Alignment: a slot of class size S sits at a multiple of S from a 16-aligned base, so it is
 * aligned to min(16, lowest set bit of S). A request asking more than its class gives moves up
 * to the next class aligned enough; one asking more than 16, or larger than the largest class,
 * goes to the parent (the fallback), as does its free: the route depends only on (size, align),
 * which free receives again.
 *
 * Fallback blocks carry a 32-byte header (doubly linked list) so that reset and destroy can
 * return them; reset turns every slab into a spare of its class, carved again before any new
 * slab is asked of the parent.
 *
 * Accounting: requested is the sum of the callers' sizes; footprint is the slab bytes plus the
 * fallback bytes as asked of the parent, so footprint - requested shows internal
 * fragmentation (slot rounding), free slots and fallback headers. Slabs go back to the parent
 * only at destroy. The inline fast paths (mc_pool.h) touch only counters that grow: allocs
 * and bytes_in, frees and bytes_out; requested = bytes_in - bytes_out, live = allocs - frees -
 * blocks_out, total_requested = bytes_in - moved, and requested_peak is captured just before
 * requested falls (it only grows in between; the stats call takes the max with it).
 * Debug builds (NDEBUG undefined) fill 0xAA/0x55 and check that a freed slot lies in a slab
 * of the class its size maps to; one that does not is counted (misordered) and never reused. */
#include "mc_pool.h"

#include <string.h>

#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)

struct mc_pool_slab {
  mc_pool_slab *next; /* older slab of the same class */
  size_t size;        /* bytes asked of the parent, header included */
};

#define SLAB_HDR ((size_t)16)

/* A fallback block is [padding][mc_pool_big][data]: pad = max(align, 32) bytes precede the
 * data, and the parent is asked for pad + size bytes at alignment max(align, 16). */
struct mc_pool_big {
  mc_pool_big *prev, *next; /* the pool's list of live fallback blocks */
  size_t bytes;             /* pad + size, as asked of the parent */
  size_t align;             /* the block's alignment (gives pad and the parent's alignment) */
};
_Static_assert(sizeof(mc_pool_big) == 32, "a fallback header is 32 bytes");

static inline size_t big_pad(size_t align) { return align > 32 ? align : 32; }
static inline size_t big_align(size_t align) { return align > 16 ? align : 16; }
static inline mc_pool_big *big_of(void *data) { return (mc_pool_big *)data - 1; }

static void big_link(mc_pool *p, mc_pool_big *h) {
  h->prev = NULL;
  h->next = p->bigs;
  if (p->bigs) p->bigs->prev = h;
  p->bigs = h;
}

static void big_unlink(mc_pool *p, mc_pool_big *h) {
  if (h->prev)
    h->prev->next = h->next;
  else
    p->bigs = h->next;
  if (h->next) h->next->prev = h->prev;
}

static inline void grow_footprint(mc_pool *p, size_t bytes) {
  p->stats.footprint += bytes;
  if (p->stats.footprint > p->stats.footprint_peak) p->stats.footprint_peak = p->stats.footprint;
}

/* A block of size bytes from the parent, behind its header; NULL when the parent refuses. */
static void *big_alloc(mc_pool *p, size_t size, size_t align) {
  size_t pad = big_pad(align);
  if (size > MC_SIZE_MAX - pad) return NULL;
  unsigned char *raw = mc_alloc_new(p->parent, pad + size, big_align(align), NULL);
  if (!raw) return NULL;
  mc_pool_big *h = big_of(raw + pad);
  h->bytes = pad + size;
  h->align = align;
  big_link(p, h);
  grow_footprint(p, h->bytes);
  p->fallbacks++;
  return raw + pad;
}

static void big_free(mc_pool *p, void *data) {
  mc_pool_big *h = big_of(data);
  size_t bytes = h->bytes, align = h->align;
  big_unlink(p, h);
  p->stats.footprint -= bytes;
  p->fallbacks--;
  mc_alloc_free(p->parent, (unsigned char *)data - big_pad(align), bytes, big_align(align));
}

/* Resizes a fallback block through the parent; NULL (block untouched, still linked) on failure. */
static void *big_resize(mc_pool *p, void *data, size_t new_size, size_t align) {
  mc_pool_big *h = big_of(data);
  size_t pad = big_pad(align), old_bytes = h->bytes;
  if (new_size > MC_SIZE_MAX - pad) return NULL;
  big_unlink(p, h); /* the parent may move it: relink wherever it ends up */
  unsigned char *raw = mc_alloc_resize(p->parent, (unsigned char *)data - pad, old_bytes,
                                       pad + new_size, big_align(align));
  if (!raw) {
    big_link(p, h);
    return NULL;
  }
  h = big_of(raw + pad);
  h->bytes = pad + new_size;
  big_link(p, h);
  p->stats.footprint -= old_bytes;
  grow_footprint(p, h->bytes);
  return raw + pad;
}

const size_t mc_pool_default_classes[] = {16,  32,  48,  64,   80,   96,   112,  128,
                                          160, 192, 224, 256,  320,  384,  448,  512,
                                          640, 768, 896, 1024, 1280, 1536, 1792, 2048};
const size_t mc_pool_default_nclasses =
    sizeof mc_pool_default_classes / sizeof mc_pool_default_classes[0];

static inline void fill(void *p, int byte, size_t n) {
#ifndef NDEBUG
  memset(p, byte, n);
#else
  (void)p, (void)byte, (void)n;
#endif
}

/* Returns the class for (size, align), or NULL for the fallback. */
/* The first class from index k up whose slots are aligned to align, or NULL. */
__attribute__((noinline)) static mc_pool_class *class_aligned(const mc_pool *p, size_t k,
                                                              size_t align) {
  for (; k < p->nclasses; k++)
    if (p->classes[k].align >= align) return (mc_pool_class *)&p->classes[k];
  return NULL;
}

/* Returns the class for (size, align): the smallest that fits the size, or the next larger one
 * whose slots are aligned enough (align <= 16 with classes that are not multiples of 16), or
 * NULL for the fallback. Alloc and free compute the same answer from the same arguments. */
static inline mc_pool_class *class_for(const mc_pool *p, size_t size, size_t align) {
  if (UNLIKELY(size > p->max_class)) return NULL;
  size_t k = p->lookup[(size + 7) >> 3];
  if (LIKELY(align <= p->classes[k].align)) return (mc_pool_class *)&p->classes[k];
  return align <= MC_POOL_SLOT_ALIGN ? class_aligned(p, k, align) : NULL;
}

/* Hands out a never-used slot, opening a slab if needed; NULL when the parent refuses. */
__attribute__((noinline, cold)) static void *carve(mc_pool *p, mc_pool_class *c) {
  if (!c->bump || c->end - c->bump < (ptrdiff_t)c->size) {
    mc_pool_slab *s = c->spare;
    if (s) { /* a slab emptied by reset */
      c->spare = s->next;
    } else {
      size_t bytes = SLAB_HDR + 8 * c->size;
      if (bytes < p->slab_size) bytes = p->slab_size;
      s = mc_alloc_new(p->parent, bytes, MC_ALIGN_DEFAULT, NULL);
      if (!s) return NULL;
      s->size = bytes;
      grow_footprint(p, bytes);
    }
    s->next = c->slabs;
    c->slabs = s;
    c->bump = (unsigned char *)s + SLAB_HDR;
    /* the slot area is a whole number of slots */
    c->end = c->bump + (s->size - SLAB_HDR) / c->size * c->size;
  }
  void *slot = c->bump;
  c->bump += c->size;
  c->carved++;
  return slot;
}

static inline size_t requested_now(const mc_pool *p) {
  return (size_t)(p->bytes_in - p->bytes_out);
}

/* Call before anything that makes requested fall: keeps requested_peak exact. */
static inline void capture_peak(mc_pool *p) {
  size_t r = requested_now(p);
  if (r > p->peak) p->peak = r;
}

/* Allocation without the allocs/failures counters (shared by alloc and resize). */
static inline void *take(mc_pool *p, size_t size, size_t align, const mc_type *type) {
  mc_pool_class *c = class_for(p, size, align);
  void *s;
  if (LIKELY(c != NULL)) {
    s = c->free;
    if (LIKELY(s != NULL)) {
      memcpy(&c->free, s, sizeof(void *));
    } else {
      s = carve(p, c);
      if (!s) return NULL;
    }
  } else {
    (void)type; /* the pool holds no managed objects: its parent sees plain bytes */
    s = big_alloc(p, size, align);
    if (!s) return NULL;
  }
  p->bytes_in += size;
  fill(s, 0xAA, size);
  return s;
}

#ifndef NDEBUG
/* Whether ptr is a slot of one of c's slabs. The slab found moves to the front of the list
 * (nothing else depends on the list's order), so frees that follow allocation order, or stay in
 * one slab, find theirs at once: without it, freeing N nodes walked all N/slots slabs each time
 * (quadratic: a 3M-node list took minutes to free in a Debug build). */
static int in_class(mc_pool_class *c, const void *ptr) {
  const unsigned char *b = ptr;
  for (mc_pool_slab **link = &c->slabs, *s; (s = *link) != NULL; link = &s->next) {
    const unsigned char *lo = (const unsigned char *)s + SLAB_HDR;
    if (b >= lo && b < (const unsigned char *)s + s->size) {
      if (link != &c->slabs) { /* move to front */
        *link = s->next;
        s->next = c->slabs;
        c->slabs = s;
      }
      return (size_t)(b - lo) % c->size == 0;
    }
  }
  return 0;
}
#endif

/* Free without the frees counter and the peak capture (shared by free and resize). Returns 1,
 * or 0 when a debug build refused the block (counted misordered, nothing else changed). */
static inline int give(mc_pool *p, void *ptr, size_t size, size_t align) {
  mc_pool_class *c = class_for(p, size, align);
#ifndef NDEBUG
  if (c && !in_class(c, ptr)) { /* wrong size or not a slot: count, never corrupt a free list */
    p->stats.misordered++;
    return 0;
  }
#endif
  p->bytes_out += size;
  if (LIKELY(c != NULL)) {
    fill(ptr, 0x55, c->size);
    memcpy(ptr, &c->free, sizeof(void *));
    c->free = ptr;
  } else {
    big_free(p, ptr);
  }
  return 1;
}

__attribute__((noinline)) void *mc__pool_alloc_slow(mc_pool *p, size_t size, size_t align) {
  void *s = take(p, size, align, NULL);
  if (UNLIKELY(!s)) {
    p->stats.failures++;
    return NULL;
  }
  p->allocs++;
  return s;
}

static void *pool_alloc(void *ctx, size_t size, size_t align, const mc_type *type) {
  (void)type; /* the pool holds no managed objects: its parent sees plain bytes */
  return mc__pool_alloc(ctx, size, align);
}

__attribute__((noinline)) void mc__pool_free_slow(mc_pool *p, void *ptr, size_t size,
                                                  size_t align) {
  capture_peak(p);
  p->frees++;
  if (!give(p, ptr, size, align)) p->blocks_out--; /* refused: still live */
}

static void pool_free(void *ctx, void *ptr, size_t size, size_t align) {
  mc__pool_free(ctx, ptr, size, align);
}

static void *pool_resize(void *ctx, void *ptr, size_t old_size, size_t new_size, size_t align) {
  mc_pool *p = ctx;
  mc_pool_class *co = class_for(p, old_size, align), *cn = class_for(p, new_size, align);
  if (!co && !cn) { /* both sizes fall back: the parent resizes */
    void *r = big_resize(p, ptr, new_size, align);
    if (!r) {
      p->stats.failures++;
      return NULL;
    }
    ptr = r;
    co = cn = &p->classes[0]; /* fall into the in-place accounting below */
  }
  if (co && co == cn) { /* same slot size (or the parent resized): in place */
    if (new_size < old_size) {
      capture_peak(p);
      p->bytes_out += old_size - new_size;
    } else {
      p->bytes_in += new_size - old_size;
    }
    p->stats.resizes++;
    return ptr;
  }
  capture_peak(p); /* now: take() counts both blocks for a moment, which is no peak */
  size_t peak = p->peak;
  void *q = take(p, new_size, align, NULL);
  if (!q) {
    p->stats.failures++;
    return NULL;
  }
  memcpy(q, ptr, old_size < new_size ? old_size : new_size);
  give(p, ptr, old_size, align);
  p->peak = peak;
  p->moved += old_size < new_size ? old_size : new_size; /* only growth is new */
  p->stats.resizes++;
  return q;
}

/* Not in the vtable (yet): kept so that enabling it is one line. */
__attribute__((unused)) static void pool_reset(void *ctx) { mc_pool_reset(ctx); }

static void pool_stats(void *ctx, mc_alloc_stats *out) {
  mc_pool *p = ctx;
  *out = p->stats;
  out->requested = requested_now(p);
  out->requested_peak = out->requested > p->peak ? out->requested : p->peak;
  out->live = (size_t)(p->allocs - p->frees - p->blocks_out);
  out->total_requested = p->bytes_in - p->moved;
  out->allocs = p->allocs;
  out->frees = p->frees;
}

static const mc_alloc_vtbl pool_vtbl = {
    .name = "pool",
    .alloc = pool_alloc,
    .resize = pool_resize,
    .free = pool_free,
    .reset = NULL, /* pool_reset works, but the vtable was promised without it: see mc_pool.h */
    .stats = pool_stats,
};

int mc_pool_init(mc_pool *p, mc_alloc parent, const size_t *classes, size_t nclasses,
                 size_t slab_size) {
  if (!classes) {
    classes = mc_pool_default_classes;
    nclasses = mc_pool_default_nclasses;
  }
  if (nclasses == 0 || nclasses > MC_POOL_MAX_CLASSES || slab_size > MC_SIZE_MAX) return MC_EINVAL;
  size_t prev = 0;
  for (size_t i = 0; i < nclasses; i++) {
    size_t sz = (classes[i] + 7) & ~(size_t)7;
    if (classes[i] == 0 || classes[i] > MC_POOL_MAX_CLASS || sz <= prev) return MC_EINVAL;
    prev = sz;
  }
  memset(p, 0, sizeof *p);
  p->parent = parent;
  p->slab_size = slab_size ? slab_size : MC_POOL_SLAB_DEFAULT;
  p->nclasses = nclasses;
  for (size_t i = 0; i < nclasses; i++) {
    mc_pool_class *c = &p->classes[i];
    c->size = (classes[i] + 7) & ~(size_t)7;
    size_t low = c->size & (~c->size + 1);
    c->align = low < MC_POOL_SLOT_ALIGN ? low : MC_POOL_SLOT_ALIGN;
  }
  p->max_class = p->classes[nclasses - 1].size;
  size_t k = 0;
  for (size_t idx = 0; idx <= p->max_class / 8; idx++) {
    while (p->classes[k].size < idx * 8) k++;
    p->lookup[idx] = (uint8_t)k;
  }
  return MC_OK;
}

static void free_bigs(mc_pool *p) {
  while (p->bigs) big_free(p, p->bigs + 1);
}

static void free_slabs(mc_pool *p, mc_pool_slab *s) {
  while (s) {
    mc_pool_slab *next = s->next;
    mc_alloc_free(p->parent, s, s->size, MC_ALIGN_DEFAULT);
    s = next;
  }
}

void mc_pool_destroy(mc_pool *p) {
  free_bigs(p);
  for (size_t i = 0; i < p->nclasses; i++) {
    free_slabs(p, p->classes[i].slabs);
    free_slabs(p, p->classes[i].spare);
  }
  memset(p, 0, sizeof *p);
}

void mc_pool_reset(mc_pool *p) {
  free_bigs(p);
  for (size_t i = 0; i < p->nclasses; i++) {
    mc_pool_class *c = &p->classes[i];
    while (c->slabs) { /* every slab becomes a spare, carved again from its start */
      mc_pool_slab *s = c->slabs;
      c->slabs = s->next;
      fill((unsigned char *)s + SLAB_HDR, 0x55, s->size - SLAB_HDR);
      s->next = c->spare;
      c->spare = s;
    }
    c->free = NULL;
    c->bump = c->end = NULL;
    c->carved = 0;
  }
  capture_peak(p);
  p->blocks_out = p->allocs - p->frees; /* requested and live fall to 0 */
  p->bytes_out = p->bytes_in;
  p->stats.resets++;
}

mc_alloc mc_pool_allocator(mc_pool *p) { return (mc_alloc){&pool_vtbl, p}; }

int mc_pool_class_of(const mc_pool *p, size_t size, size_t align) {
  if (size == 0) return -1;
  const mc_pool_class *c = class_for(p, size, align);
  return c ? (int)(c - p->classes) : -1;
}

size_t mc_pool_class_live(const mc_pool *p, size_t k) {
  if (k >= p->nclasses) return 0;
  const mc_pool_class *c = &p->classes[k];
  size_t n = c->carved;
  for (void *f = c->free; f; memcpy(&f, f, sizeof f)) n--;
  return n;
}

_Static_assert(sizeof(mc_pool_class) == 64, "mc_pool_class: keep it 64 bytes (see mc_pool.h)");
