/* mc_alloc.h — the one allocator interface every structure, the collector and the harness use:
 * a const vtable plus a context pointer, passed by value (Zig's Allocator, CPython's
 * PyMemAllocatorEx, SQLite4's sqlite4_mm).
 *
 * CONTRACT (what every implementation promises and every caller may rely on)
 *
 *  - alloc(ctx, size, align, type) returns a block of at least `size` bytes aligned to `align`,
 *    or NULL on failure. On failure nothing changes except the allocator's failure count.
 *    Nothing aborts, nothing prints: a full arena is a measurement, not a crash.
 *  - resize(ctx, p, old_size, new_size, align) returns the block holding the first
 *    min(old_size, new_size) bytes of p, possibly at a new address (p is then invalid), or NULL
 *    on failure, in which case p is untouched and still owned by the caller.
 *  - free(ctx, p, size, align) gets back exactly the size and alignment the block was last
 *    allocated or resized with (Lua's osize, Zig's free(slice)): pool and stack need it, and
 *    counting needs no header.
 *  - Implementations never see size 0, a NULL block, an alignment that is not a power of two
 *    or above MC_ALIGN_MAX, or a size above MC_SIZE_MAX: the inline wrappers below give those
 *    a defined answer first. Size 0 yields a unique, aligned, non-NULL token that must not be
 *    dereferenced and that free/resize recognise (Zig's zero-length slice); a bad alignment or a
 *    huge size yields NULL.
 *  - Counts of elements times sizes go through mc_alloc_array / mc_size_mul, which fail on
 *    overflow instead of wrapping.
 *  - reset drops every block at once (arena, stack); NULL in the vtable means unsupported, and
 *    mc_alloc_reset then returns MC_ENOTSUP.
 *  - stats fills one mc_alloc_stats. requested counts the bytes callers asked for; footprint the
 *    bytes held from the layer below (the system, or a parent allocator). footprint - requested is
 *    the overhead that the memory curves show.
 *
 * MANAGED HEAPS (the collector; see gc/mc_gc.h). Under every other allocator these are free.
 *  - `type` describes where an object keeps pointers to other managed objects; NULL means the
 *    block holds no pointers (a leaf: never scanned, never tracked).
 *  - A structure stores a pointer to a managed object inside a managed object through
 *    mc_store(al, obj, &field, value): a plain store plus the write barrier when there is one.
 *  - Pointer fields of caller-owned headers (not allocated through `al`) are roots: registered
 *    with mc_root_add at init, mc_root_remove at destroy. Stores into root slots are plain.
 *  - A collection may run inside any alloc/resize. A block that is reachable only from C locals
 *    is garbage then: make a new block reachable (from a root or a reachable object) before the
 *    next allocation through the same allocator, or register the local slot as a root meanwhile.
 *  - Tracing model ("gc"): mc_store is the plain store plus the generational barrier; free
 *    releases the block now, whatever still points to it (like GC_free: the caller's promise).
 *  - Reference-counting model ("rc"): mc_store into a managed obj is where counts change (the
 *    new value +1, the old -1); stores with obj NULL and plain stores into root slots are not
 *    counted (roots are reconciled at safe points). free releases the block's own references
 *    at once; the block itself goes now if no managed block points to it, else when the last
 *    such slot is overwritten (never a dangling count). A resize that moves transfers the old
 *    block's references to the new one, and the old block then goes as by free. A block
 *    nothing points to is freed at a safe point: within max(1024, roots) allocations.
 */
#ifndef MC_ALLOC_H
#define MC_ALLOC_H

#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mc_error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- limits ------------------------------------------------------------------------------ */

#define MC_ALIGN_DEFAULT (alignof(max_align_t)) /* what malloc gives: 16 on x86-64 */
#define MC_ALIGN_MAX ((size_t)65536)            /* largest alignment any allocator accepts */
#define MC_SIZE_MAX ((size_t)PTRDIFF_MAX / 2)   /* larger requests fail before any vtable call */

/* ---- object types (for the collector) --------------------------------------------------- */

/* Called by a trace function for each slot holding a pointer to a managed object (or NULL). */
typedef void (*mc_visit_fn)(void **slot, void *arg);

/* Visits every pointer slot of obj (size bytes, as allocated or last resized). */
typedef void (*mc_trace_fn)(void *obj, size_t size, mc_visit_fn visit, void *arg);

typedef enum mc_type_kind {
  MC_TYPE_OFFSETS = 0, /* pointers live at offsets[0..noffsets) */
  MC_TYPE_PTR_ARRAY,   /* the whole block is an array of pointers: size / sizeof(void *) slots */
  MC_TYPE_TRACE,       /* a callback visits the slots */
} mc_type_kind;

/* mc_type.flags. MC_TYPE_IMMUTABLE: the pointer slots of a block are stored while it is built
 * and not changed afterwards, as CPython's tuples. The reference-counting heap then never tracks
 * a block built of untracked such blocks (its slots stored right after its allocation, before
 * any other allocation: CPython 3.14 creates such tuples untracked), and stops tracking one that
 * survives a detection once everything it points to is untracked (CPython's untrack_tuples), so
 * trees of such blocks stay out of the detector's work and out of generation 0's count. Storing
 * into one later is still safe: the heap tracks it again and, at its next full detection, every
 * block it had stopped tracking that points to a managed container (slower, never wrong). Other
 * heaps ignore the flag. */
enum { MC_TYPE_IMMUTABLE = 1 };

typedef struct mc_type mc_type;
struct mc_type {
  const char *name;      /* for debugging output and get_objects listings */
  mc_type_kind kind;     /* how to find the pointers */
  const size_t *offsets; /* MC_TYPE_OFFSETS: byte offsets of the pointer fields */
  size_t noffsets;       /* MC_TYPE_OFFSETS: number of entries in offsets */
  mc_trace_fn trace;     /* MC_TYPE_TRACE: the callback */
  unsigned flags;        /* MC_TYPE_* flags above (0: none) */
};

/* Calls visit on every pointer slot of obj according to type (nothing for a leaf, type NULL). */
static inline void mc_type_visit(const mc_type *type, void *obj, size_t size, mc_visit_fn visit,
                                 void *arg) {
  if (!type) return;
  switch (type->kind) {
  case MC_TYPE_OFFSETS:
    for (size_t i = 0; i < type->noffsets; i++)
      if (type->offsets[i] + sizeof(void *) <= size)
        visit((void **)((char *)obj + type->offsets[i]), arg);
    break;
  case MC_TYPE_PTR_ARRAY:
    for (size_t i = 0; i < size / sizeof(void *); i++) visit((void **)obj + i, arg);
    break;
  case MC_TYPE_TRACE: type->trace(obj, size, visit, arg); break;
  }
}

/* ---- statistics ------------------------------------------------------------------------- */

typedef struct mc_alloc_stats {
  size_t requested;         /* bytes, sum of the sizes of live blocks as callers asked */
  size_t requested_peak;    /* bytes, the maximum requested ever reached */
  size_t footprint;         /* bytes held from the layer below, now */
  size_t footprint_peak;    /* bytes, the maximum footprint ever reached */
  size_t live;              /* blocks currently allocated */
  uint64_t total_requested; /* bytes ever requested by alloc, plus growth by resize */
  uint64_t allocs;          /* successful alloc calls */
  uint64_t frees;           /* free calls */
  uint64_t resizes;         /* successful resize calls */
  uint64_t failures;        /* alloc/resize calls that returned NULL */
  uint64_t resets;          /* reset calls */
  uint64_t misordered;      /* stack: frees not at the top; arena: frees not of the latest block */
  /* collected heaps only (zero elsewhere) */
  uint64_t collections;    /* collections of any generation */
  uint64_t reclaimed;      /* bytes freed by collections */
  uint64_t pause_ns_total; /* ns spent in collections */
  uint64_t pause_ns_max;   /* ns, the longest single pause */
} mc_alloc_stats;

/* ---- the interface ---------------------------------------------------------------------- */

typedef struct mc_alloc_vtbl {
  const char *name; /* "system", "stack", "arena", "pool", "counting", "failing", "gc", ... */
  void *(*alloc)(void *ctx, size_t size, size_t align, const mc_type *type);
  void *(*resize)(void *ctx, void *p, size_t old_size, size_t new_size,
                  size_t align); /* may move */
  void (*free)(void *ctx, void *p, size_t size, size_t align);
  void (*reset)(void *ctx); /* NULL: unsupported */
  void (*stats)(void *ctx, mc_alloc_stats *out);
  /* managed heaps only; NULL elsewhere */
  void (*root)(void *ctx, void **slot, int add);
  void (*barrier)(void *ctx, void *obj, void **slot, void *value);
} mc_alloc_vtbl;

typedef struct mc_alloc {
  const mc_alloc_vtbl *vt;
  void *ctx;
} mc_alloc;

/* ---- inline wrappers: the only way callers reach the vtable ---------------------------- */

/* The token returned for size 0: the alignment itself as an address (never dereferenced). */
static inline void *mc__zero_block(size_t align) { return (void *)(uintptr_t)align; }

static inline int mc_align_ok(size_t align) {
  return align != 0 && (align & (align - 1)) == 0 && align <= MC_ALIGN_MAX;
}

/* Stores a * b in *out and returns MC_OK, or returns MC_ERANGE (out unchanged) on overflow
 * or if the product exceeds MC_SIZE_MAX. */
static inline int mc_size_mul(size_t a, size_t b, size_t *out) {
  if (b != 0 && a > MC_SIZE_MAX / b) return MC_ERANGE;
  *out = a * b;
  return MC_OK;
}

/* The defined answers of the contract, for every alloc path (the vtable's and the inline ones):
 * returns 1 with *out set when the request is not an ordinary block (the zero token for size 0,
 * NULL for a bad alignment or a size above MC_SIZE_MAX), else 0. An ordinary request costs one
 * compare when align is a constant: size - 1 wraps for size 0. */
static inline int mc__alloc_special(size_t size, size_t align, void **out) {
  if (__builtin_expect(mc_align_ok(align) && size - 1 < MC_SIZE_MAX, 1)) return 0;
  *out = mc_align_ok(align) && size == 0 ? mc__zero_block(align) : NULL;
  return 1;
}

/* Allocates size bytes aligned to align (a power of two <= MC_ALIGN_MAX). Returns the block,
 * the zero token for size 0, or NULL on failure, bad alignment or size > MC_SIZE_MAX. */
static inline void *mc_alloc_new(mc_alloc al, size_t size, size_t align, const mc_type *type) {
  void *special;
  if (mc__alloc_special(size, align, &special)) return special;
  return al.vt->alloc(al.ctx, size, align, type);
}

/* Allocates n elements of elem_size bytes; NULL if n * elem_size overflows. */
static inline void *mc_alloc_array(mc_alloc al, size_t n, size_t elem_size, size_t align,
                                   const mc_type *type) {
  size_t size;
  if (mc_size_mul(n, elem_size, &size) != MC_OK) return NULL;
  return mc_alloc_new(al, size, align, type);
}

/* Frees a block of size bytes (as allocated or last resized). p NULL or size 0: nothing. */
static inline void mc_alloc_free(mc_alloc al, void *p, size_t size, size_t align) {
  if (!p || size == 0) return;
  al.vt->free(al.ctx, p, size, align);
}

/* Resizes p from old_size to new_size bytes. Returns the new block (maybe moved), or NULL with
 * p untouched. old_size 0 allocates (type NULL: resize is for blocks whose type does not
 * change; use mc_alloc_resize_typed for a typed block that starts empty); new_size 0 frees and
 * returns the zero token. */
static inline void *mc_alloc_resize_typed(mc_alloc al, void *p, size_t old_size, size_t new_size,
                                          size_t align, const mc_type *type) {
  if (!mc_align_ok(align) || new_size > MC_SIZE_MAX) return NULL;
  if (old_size == 0) return mc_alloc_new(al, new_size, align, type);
  if (new_size == 0) {
    mc_alloc_free(al, p, old_size, align);
    return mc__zero_block(align);
  }
  return al.vt->resize(al.ctx, p, old_size, new_size, align);
}

static inline void *mc_alloc_resize(mc_alloc al, void *p, size_t old_size, size_t new_size,
                                    size_t align) {
  return mc_alloc_resize_typed(al, p, old_size, new_size, align, NULL);
}

/* Drops every block at once. Returns MC_OK, or MC_ENOTSUP if the allocator cannot. */
static inline int mc_alloc_reset(mc_alloc al) {
  if (!al.vt->reset) return MC_ENOTSUP;
  al.vt->reset(al.ctx);
  return MC_OK;
}

/* Fills *out (zeroed first, so allocators fill only what they track). */
static inline void mc_alloc_get_stats(mc_alloc al, mc_alloc_stats *out) {
  memset(out, 0, sizeof *out);
  al.vt->stats(al.ctx, out);
}

static inline const char *mc_alloc_name(mc_alloc al) { return al.vt->name; }

/* ---- managed-heap hooks: free under every allocator but the collected one -------------- */

/* Stores value into the pointer field at slot inside managed object obj (obj NULL: slot is a
 * root or a C variable) and runs the write barrier. slot is e.g. &node->next. The barrier runs
 * before the plain store and may perform it itself: reference counting reads the old value
 * there (the tracing barrier looks only at obj and value). */
static inline void mc_store(mc_alloc al, void *obj, void *slot, void *value) {
  if (al.vt->barrier) al.vt->barrier(al.ctx, obj, (void **)slot, value);
  memcpy(slot, &value, sizeof value); /* a plain pointer store, whatever the field's type */
}

/* Registers / unregisters a root: a pointer slot outside the managed heap (a header field). */
static inline void mc_root_add(mc_alloc al, void *slot) {
  if (al.vt->root) al.vt->root(al.ctx, (void **)slot, 1);
}
static inline void mc_root_remove(mc_alloc al, void *slot) {
  if (al.vt->root) al.vt->root(al.ctx, (void **)slot, 0);
}

/* Keeps the stats' peaks in step with their current values (for implementations). */
static inline void mc__stats_peaks(mc_alloc_stats *s) {
  if (s->requested > s->requested_peak) s->requested_peak = s->requested;
  if (s->footprint > s->footprint_peak) s->footprint_peak = s->footprint;
}

#ifdef __cplusplus
}
#endif
#endif /* MC_ALLOC_H */
