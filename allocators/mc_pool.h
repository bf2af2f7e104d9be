/* mc_pool.h — the pool allocator: fixed-size slots on free lists, one per size class, carved
 * from slabs taken from a parent allocator; requests above the largest class (or with an
 * alignment a class cannot give) fall back to the parent. What node-based structures want. */
#ifndef MC_POOL_H
#define MC_POOL_H

#include "mc_alloc.h"

#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MC_POOL_MAX_CLASSES 32               /* size classes at most */
#define MC_POOL_MAX_CLASS ((size_t)65536)    /* bytes, the largest slot size allowed */
#define MC_POOL_SLAB_DEFAULT ((size_t)65536) /* bytes per slab when 0 is given */
#define MC_POOL_SLOT_ALIGN ((size_t)16)      /* the largest alignment a slot can give */

typedef struct mc_pool_slab mc_pool_slab; /* private: a slab header, inside the slab */
typedef struct mc_pool_big mc_pool_big;   /* private: a fallback block's header, before it */

typedef struct mc_pool_class {
  size_t size;         /* bytes per slot (a multiple of 8) */
  size_t align;        /* alignment every slot of the class has: min(16, lowest bit of size) */
  void *free;          /* singly linked free slots (the link is the slot's first word) */
  unsigned char *bump; /* next never-used slot in the newest slab */
  unsigned char *end;  /* end of the newest slab's slot area */
  mc_pool_slab
      *slabs;    /* every slab of the class, newest first (Debug: a free moves its to front) */
  size_t carved; /* slots handed out by bump from its slabs since init or reset */
  mc_pool_slab *spare; /* slabs emptied by a reset, carved again before asking the parent
                          (the struct stays 64 bytes: indexing the classes is a shift) */
} mc_pool_class;

typedef struct mc_pool {
  /* hot: what the inline fast paths below read and write besides the classes */
  size_t max_class;   /* bytes, the largest class's slot size */
  uint64_t allocs;    /* successful allocations (stats.allocs) */
  uint64_t bytes_in;  /* bytes that entered `requested`: allocs, and growth by resize */
  uint64_t frees;     /* free calls (stats.frees) */
  uint64_t bytes_out; /* bytes that left `requested`: frees, shrinks, reset */
  size_t peak;        /* requested_peak as of the last fall (requested only grows in between) */
  /* cold */
  uint64_t blocks_out; /* blocks dropped by reset, plus debug-refused frees (live = allocs -
                          frees - blocks_out, modulo 2^64) */
  uint64_t moved;      /* bytes of bytes_in that re-entered by a moving resize (not new) */
  mc_alloc parent;     /* slabs and fallback blocks come from here */
  size_t slab_size;    /* bytes asked of the parent per slab (at least) */
  size_t nclasses;     /* classes in use */
  mc_pool_class classes[MC_POOL_MAX_CLASSES]; /* ascending slot sizes */
  uint8_t lookup[MC_POOL_MAX_CLASS / 8 + 1];  /* (size + 7) / 8 -> class index */
  mc_alloc_stats stats; /* footprint = slab bytes + fallback bytes (as asked of the parent,
                           header and alignment padding included), footprint_peak, failures,
                           resets, resizes, misordered; the rest is derived by the stats call */
  uint64_t fallbacks;   /* live blocks that went to the parent */
  mc_pool_big *bigs;    /* those blocks, linked through a small header before each, so that
                           reset and destroy can give them back */
} mc_pool;

/* Slot sizes used when mc_pool_init gets classes == NULL. */
extern const size_t mc_pool_default_classes[];
extern const size_t mc_pool_default_nclasses;

/* ---- life cycle -------------------------------------------------------------------------- */

/* Prepares p: classes[0..nclasses) are slot sizes in strictly ascending order, each rounded up
 * to a multiple of 8, the largest <= MC_POOL_MAX_CLASS; classes NULL means the default set
 * (16..2048 bytes). slab_size 0 means MC_POOL_SLAB_DEFAULT; a slab always holds at least 8
 * slots. No memory is taken until the first allocation. Returns MC_OK, or MC_EINVAL with p
 * untouched for a bad class list or nclasses > MC_POOL_MAX_CLASSES. REQUIRES: parent outlives p. */
int mc_pool_init(mc_pool *p, mc_alloc parent, const size_t *classes, size_t nclasses,
                 size_t slab_size);

/* Returns every slab and every live fallback block to the parent and leaves p zeroed. Accepts
 * a zeroed struct. */
void mc_pool_destroy(mc_pool *p);

/* Drops every block at once: fallback blocks go back to the parent, slabs are kept and carved
 * again (footprint keeps the slab bytes). Not the vtable's reset: the pool's vtable was
 * promised without one (mc_alloc_reset answers MC_ENOTSUP), and code relies on it. */
void mc_pool_reset(mc_pool *p);

/* Returns the allocator over p. Vtable semantics:
 *  - alloc of size <= max_class pops a slot of the smallest class that fits and whose slots are
 *    aligned enough (carving a new slab from the parent when the class is empty); a request
 *    with align > MC_POOL_SLOT_ALIGN (or no class aligned enough), or above max_class, goes to
 *    the parent with a 32-byte header in front (max(align, 32) bytes of padding). NULL +
 *    failures++ when the parent refuses, nothing else changed;
 *  - free pushes the slot back on its class's free list (slabs are kept until destroy), or
 *    gives a fallback block back to the parent (size and align route it the same way);
 *  - resize stays in place when the new size maps to the same class, else moves;
 *  - no vtable reset (mc_alloc_reset returns MC_ENOTSUP); call mc_pool_reset directly. */
mc_alloc mc_pool_allocator(mc_pool *p);

/* ---- direct calls: the vtable's alloc and free, inline ----------------------------------- */

/* Exactly what mc_alloc_new / mc_alloc_free through mc_pool_allocator(p) do (same blocks,
 * same stats to the byte), without the indirect call. The fast paths are a table lookup and
 * a free-list pop or push; an empty free list, the fallback and (in debug builds, for their
 * checks) every free go out of line. */
void *mc__pool_alloc_slow(mc_pool *p, size_t size, size_t align);          /* private */
void mc__pool_free_slow(mc_pool *p, void *ptr, size_t size, size_t align); /* private */

/* The vtable's alloc. REQUIRES: 0 < size <= MC_SIZE_MAX, align a power of two <= MC_ALIGN_MAX. */
static inline void *mc__pool_alloc(mc_pool *p, size_t size, size_t align) {
  if (__builtin_expect(size <= p->max_class, 1)) {
    mc_pool_class *c = &p->classes[p->lookup[(size + 7) >> 3]];
    void *s = c->free;
    if (__builtin_expect(align <= c->align && s != NULL, 1)) {
      memcpy(&c->free, s, sizeof(void *)); /* pop */
      p->allocs++;
      p->bytes_in += size;
#ifndef NDEBUG
      memset(s, 0xAA, size);
#endif
      return s;
    }
  }
  return mc__pool_alloc_slow(p, size, align);
}

/* Allocates size bytes aligned to align: a slot, a fallback block, the zero token for size 0,
 * or NULL on a bad alignment or size > MC_SIZE_MAX (nothing counted) or when the parent
 * refuses (failures++). */
static inline void *mc_pool_alloc(mc_pool *p, size_t size, size_t align) {
  void *special;
  if (mc__alloc_special(size, align, &special)) return special;
  return mc__pool_alloc(p, size, align);
}

/* The vtable's free. REQUIRES: ptr non-NULL, size > 0, the size and align it was allocated (or
 * last resized) with. */
static inline void mc__pool_free(mc_pool *p, void *ptr, size_t size, size_t align) {
#ifdef NDEBUG /* debug builds check every free out of line */
  if (__builtin_expect(size <= p->max_class, 1)) {
    mc_pool_class *c = &p->classes[p->lookup[(size + 7) >> 3]];
    if (__builtin_expect(align <= c->align, 1)) {
      size_t requested = (size_t)(p->bytes_in - p->bytes_out);
      if (requested > p->peak) p->peak = requested; /* requested is about to fall */
      p->frees++;
      p->bytes_out += size;
      memcpy(ptr, &c->free, sizeof(void *)); /* push */
      c->free = ptr;
      return;
    }
  }
#endif
  mc__pool_free_slow(p, ptr, size, align);
}

/* Frees ptr of size bytes at align (as allocated or last resized). ptr NULL or size 0: nothing. */
static inline void mc_pool_free(mc_pool *p, void *ptr, size_t size, size_t align) {
  if (ptr && size != 0) mc__pool_free(p, ptr, size, align);
}

/* Returns the index of the class serving size at alignment align, or -1 if it goes to the
 * parent. */
int mc_pool_class_of(const mc_pool *p, size_t size, size_t align);

/* Slots of class k in use now (carved minus the free list's length: O(free slots)). 0 for k out
 * of range. */
size_t mc_pool_class_live(const mc_pool *p, size_t k);

#ifdef __cplusplus
}
#endif
#endif /* MC_POOL_H */
