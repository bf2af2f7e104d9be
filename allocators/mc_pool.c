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
 * Accounting: requested is the sum of the callers' sizes; footprint is the slab bytes plus the
 * fallback bytes as asked of the parent, so footprint - requested shows internal
 * fragmentation (slot rounding) and free slots. Slabs go back to the parent only at destroy.
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

const size_t mc_pool_default_classes[] = {16,  32,  48,  64,  80,   96,   112,  128,
                                          160, 192, 224, 256, 320,  384,  448,  512,
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
  if (c->end - c->bump < (ptrdiff_t)c->size || !c->bump) {
    size_t bytes = SLAB_HDR + 8 * c->size;
    if (bytes < p->slab_size) bytes = p->slab_size;
    mc_pool_slab *s = mc_alloc_new(p->parent, bytes, MC_ALIGN_DEFAULT, NULL);
    if (!s) return NULL;
    s->size = bytes;
    s->next = c->slabs;
    c->slabs = s;
    c->nslabs++;
    c->bump = (unsigned char *)s + SLAB_HDR;
    /* the slot area is a whole number of slots */
    c->end = c->bump + (bytes - SLAB_HDR) / c->size * c->size;
    p->stats.footprint += bytes;
    if (p->stats.footprint > p->stats.footprint_peak) p->stats.footprint_peak = p->stats.footprint;
  }
  void *slot = c->bump;
  c->bump += c->size;
  return slot;
}

static inline void account_alloc(mc_pool *p, size_t size) {
  p->stats.requested += size;
  if (p->stats.requested > p->stats.requested_peak) p->stats.requested_peak = p->stats.requested;
  p->stats.total_requested += size;
  p->stats.live++;
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
    c->live++;
  } else {
    s = p->parent.vt->alloc(p->parent.ctx, size, align, type);
    if (!s) return NULL;
    p->stats.footprint += size;
    if (p->stats.footprint > p->stats.footprint_peak) p->stats.footprint_peak = p->stats.footprint;
    p->fallbacks++;
  }
  account_alloc(p, size);
  fill(s, 0xAA, size);
  return s;
}

#ifndef NDEBUG
static int in_class(const mc_pool_class *c, const void *ptr) {
  const unsigned char *b = ptr;
  for (const mc_pool_slab *s = c->slabs; s; s = s->next) {
    const unsigned char *lo = (const unsigned char *)s + SLAB_HDR;
    if (b >= lo && b < (const unsigned char *)s + s->size) return (size_t)(b - lo) % c->size == 0;
  }
  return 0;
}
#endif

/* Free without the frees counter (shared by free and resize). */
static inline void give(mc_pool *p, void *ptr, size_t size, size_t align) {
  mc_pool_class *c = class_for(p, size, align);
#ifndef NDEBUG
  if (c && !in_class(c, ptr)) { /* wrong size or not a slot: count, never corrupt a free list */
    p->stats.misordered++;
    return;
  }
#endif
  p->stats.requested -= size;
  p->stats.live--;
  if (LIKELY(c != NULL)) {
    fill(ptr, 0x55, c->size);
    memcpy(ptr, &c->free, sizeof(void *));
    c->free = ptr;
    c->live--;
  } else {
    p->parent.vt->free(p->parent.ctx, ptr, size, align);
    p->stats.footprint -= size;
    p->fallbacks--;
  }
}

__attribute__((noinline)) static void *alloc_slow(mc_pool *p, size_t size, size_t align,
                                                  const mc_type *type) {
  void *s = take(p, size, align, type);
  if (UNLIKELY(!s)) {
    p->stats.failures++;
    return NULL;
  }
  p->stats.allocs++;
  return s;
}

static void *pool_alloc(void *ctx, size_t size, size_t align, const mc_type *type) {
  mc_pool *p = ctx;
  mc_pool_class *c = class_for(p, size, align);
  void *s;
  if (UNLIKELY(!c || !(s = c->free))) return alloc_slow(p, size, align, type);
  memcpy(&c->free, s, sizeof(void *)); /* pop: the fast path of take() */
  c->live++;
  account_alloc(p, size);
  p->stats.allocs++;
  fill(s, 0xAA, size);
  return s;
}

__attribute__((noinline)) static void free_slow(mc_pool *p, void *ptr, size_t size,
                                                 size_t align) {
  give(p, ptr, size, align);
}

static void pool_free(void *ctx, void *ptr, size_t size, size_t align) {
  mc_pool *p = ctx;
  p->stats.frees++;
#ifdef NDEBUG /* debug builds take give() every time, for its checks and fills */
  mc_pool_class *c = class_for(p, size, align);
  if (LIKELY(c != NULL)) { /* the fast path of give() */
    p->stats.requested -= size;
    p->stats.live--;
    memcpy(ptr, &c->free, sizeof(void *));
    c->free = ptr;
    c->live--;
    return;
  }
#endif
  free_slow(p, ptr, size, align);
}

static void *pool_resize(void *ctx, void *ptr, size_t old_size, size_t new_size, size_t align) {
  mc_pool *p = ctx;
  mc_pool_class *co = class_for(p, old_size, align), *cn = class_for(p, new_size, align);
  if (!co && !cn) { /* both sizes fall back: the parent resizes */
    void *r = p->parent.vt->resize(p->parent.ctx, ptr, old_size, new_size, align);
    if (!r) {
      p->stats.failures++;
      return NULL;
    }
    p->stats.footprint = p->stats.footprint - old_size + new_size;
    if (p->stats.footprint > p->stats.footprint_peak) p->stats.footprint_peak = p->stats.footprint;
    ptr = r;
    co = cn = &p->classes[0]; /* fall into the in-place accounting below */
  }
  if (co && co == cn) { /* same slot size (or the parent resized): in place */
    p->stats.requested = p->stats.requested - old_size + new_size;
    if (p->stats.requested > p->stats.requested_peak) p->stats.requested_peak = p->stats.requested;
    if (new_size > old_size) p->stats.total_requested += new_size - old_size;
    p->stats.resizes++;
    return ptr;
  }
  void *q = take(p, new_size, align, NULL);
  if (!q) {
    p->stats.failures++;
    return NULL;
  }
  memcpy(q, ptr, old_size < new_size ? old_size : new_size);
  give(p, ptr, old_size, align);
  p->stats.total_requested -= old_size < new_size ? old_size : new_size; /* only growth is new */
  p->stats.resizes++;
  return q;
}

static void pool_stats(void *ctx, mc_alloc_stats *out) {
  mc_pool *p = ctx;
  *out = p->stats;
}

static const mc_alloc_vtbl pool_vtbl = {
    .name = "pool",
    .alloc = pool_alloc,
    .resize = pool_resize,
    .free = pool_free,
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

void mc_pool_destroy(mc_pool *p) {
  for (size_t i = 0; i < p->nclasses; i++) {
    mc_pool_slab *s = p->classes[i].slabs;
    while (s) {
      mc_pool_slab *next = s->next;
      mc_alloc_free(p->parent, s, s->size, MC_ALIGN_DEFAULT);
      s = next;
    }
  }
  memset(p, 0, sizeof *p);
}

mc_alloc mc_pool_allocator(mc_pool *p) { return (mc_alloc){&pool_vtbl, p}; }

int mc_pool_class_of(const mc_pool *p, size_t size, size_t align) {
  if (size == 0) return -1;
  const mc_pool_class *c = class_for(p, size, align);
  return c ? (int)(c - p->classes) : -1;
}

_Static_assert(sizeof(mc_pool_class) == 64, "mc_pool_class: keep it 64 bytes (see mc_pool.h)");
