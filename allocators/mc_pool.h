/* mc_pool.h — the pool allocator: fixed-size slots on free lists, one per size class, carved
 * from slabs taken from a parent allocator; requests above the largest class (or with an
 * alignment a class cannot give) fall back to the parent. What node-based structures want. */
#ifndef MC_POOL_H
#define MC_POOL_H

#include "mc_alloc.h"

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
  size_t size;          /* bytes per slot (a multiple of 8) */
  size_t align;         /* alignment every slot of the class has: min(16, lowest bit of size) */
  void *free;           /* singly linked free slots (the link is the slot's first word) */
  unsigned char *bump;  /* next never-used slot in the newest slab */
  unsigned char *end;   /* end of the newest slab's slot area */
  mc_pool_slab *slabs;  /* every slab of the class, newest first */
  size_t live;          /* slots in use */
  mc_pool_slab *spare;  /* slabs emptied by a reset, carved again before asking the parent
                           (the struct stays 64 bytes: indexing the classes is a shift) */
} mc_pool_class;

typedef struct mc_pool {
  mc_alloc parent;                            /* slabs and fallback blocks come from here */
  size_t slab_size;                           /* bytes asked of the parent per slab (at least) */
  size_t nclasses;                            /* classes in use */
  size_t max_class;                           /* bytes, the largest class's slot size */
  mc_pool_class classes[MC_POOL_MAX_CLASSES]; /* ascending slot sizes */
  uint8_t lookup[MC_POOL_MAX_CLASS / 8 + 1];  /* (size + 7) / 8 -> class index */
  mc_alloc_stats stats; /* footprint = slab bytes + fallback bytes (as asked of the parent,
                           header and alignment padding included) */
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

/* Returns the index of the class serving size at alignment align, or -1 if it goes to the
 * parent. */
int mc_pool_class_of(const mc_pool *p, size_t size, size_t align);

#ifdef __cplusplus
}
#endif
#endif /* MC_POOL_H */
