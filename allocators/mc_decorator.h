/* mc_decorator.h — what the decorators (mc_counting, mc_failing) share. A decorator's struct
 * starts with its parent (mc_alloc: where every call goes); root and barrier go straight to the
 * parent; its vtable is one of four, chosen at init so that reset, root and barrier exist iff
 * the parent's do (a managed parent stays managed, a resettable one resettable). Internal to
 * allocators/. */
#ifndef MC_DECORATOR_H
#define MC_DECORATOR_H

#include "mc_alloc.h"

/* root and barrier of a decorator whose ctx starts with its parent: forwarded to it. */
static inline void mc__decorator_root(void *ctx, void **slot, int add) {
  mc_alloc p = *(const mc_alloc *)ctx;
  if (p.vt->root) p.vt->root(p.ctx, slot, add);
}
static inline void mc__decorator_barrier(void *ctx, void *obj, void **slot, void *value) {
  mc_alloc p = *(const mc_alloc *)ctx;
  if (p.vt->barrier) p.vt->barrier(p.ctx, obj, slot, value);
}

/* The index, among a decorator's four vtables (MC__DECORATOR_VTBLS), for parent: bit 0 the
 * parent has reset, bit 1 it is managed (root or barrier). */
static inline unsigned mc__decorator_kind(mc_alloc parent) {
  return (parent.vt->reset ? 1u : 0u) | ((parent.vt->root || parent.vt->barrier) ? 2u : 0u);
}

#define MC__DECORATOR_VTBL(nm, alloc_fn, resize_fn, free_fn, stats_fn, reset_fn, managed)          \
  {                                                                                                \
    .name = nm, .alloc = alloc_fn, .resize = resize_fn, .free = free_fn, .reset = reset_fn,        \
    .stats = stats_fn, .root = (managed) ? mc__decorator_root : NULL,                              \
    .barrier = (managed) ? mc__decorator_barrier : NULL                                            \
  }

/* The initialiser of a decorator's four vtables, indexed by mc__decorator_kind. */
#define MC__DECORATOR_VTBLS(nm, alloc_fn, resize_fn, free_fn, stats_fn, reset_fn)                  \
  {                                                                                                \
    MC__DECORATOR_VTBL(nm, alloc_fn, resize_fn, free_fn, stats_fn, NULL, 0),                       \
        MC__DECORATOR_VTBL(nm, alloc_fn, resize_fn, free_fn, stats_fn, reset_fn, 0),               \
        MC__DECORATOR_VTBL(nm, alloc_fn, resize_fn, free_fn, stats_fn, NULL, 1),                   \
        MC__DECORATOR_VTBL(nm, alloc_fn, resize_fn, free_fn, stats_fn, reset_fn, 1)                \
  }

#endif /* MC_DECORATOR_H */
