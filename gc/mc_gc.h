/* mc_gc.h — the collected heap: a precise, non-moving, generational mark-sweep collector behind
 * the mc_alloc interface (vtable name "gc"), with a control API in the image of Python's `gc`
 * module (enable/disable, collect, thresholds, stats, debug flags, callbacks, freeze, ...).
 * The same API drives the second model, chosen at creation (mc_gc_config.model): Python's own,
 * reference counting with CPython's cycle detector (vtable name "rc", gc/mc_rc.c). There
 * "collect" is one detection (after reconciling the counts), disable() stops only the detector
 * (counting still frees acyclic garbage), and "tracked" means typed.
 *
 * Objects carry their mc_type (mc_alloc.h); leaves (type NULL) are never scanned and are not
 * "tracked" (not counted, not listed), but they are reclaimed like every other block. Typed
 * blocks are zeroed when allocated, and so are the bytes a resize adds to them; scans and
 * trace callbacks see an object's size as allocated or last resized. Roots are
 * registered slots (mc_root_add); mc_store runs the write barrier that keeps the remembered set.
 * Explicit frees through the vtable are allowed (like GC_free). */
#ifndef MC_GC_H
#define MC_GC_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mc_alloc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- types ------------------------------------------------------------------------------ */

#define MC_GC_NGEN 3 /* generations 0 (young), 1, 2 (oldest), as in CPython */

typedef struct mc_gc mc_gc;

/* Debug flags (Python's gc.DEBUG_*). */
enum {
  MC_GC_DEBUG_STATS = 1 << 0,         /* one line per collection to the sink */
  MC_GC_DEBUG_COLLECTABLE = 1 << 1,   /* one line per collectable object found */
  MC_GC_DEBUG_UNCOLLECTABLE = 1 << 2, /* one line per uncollectable object (there are none:
                                         objects have no finalizers) */
  MC_GC_DEBUG_SAVEALL = 1 << 5,       /* unreachable objects go to the garbage list, not freed */
  MC_GC_DEBUG_LEAK = MC_GC_DEBUG_COLLECTABLE | MC_GC_DEBUG_UNCOLLECTABLE | MC_GC_DEBUG_SAVEALL,
};

/* The memory model of a collected heap, fixed at creation. */
typedef enum mc_gc_model {
  MC_GC_TRACING = 0,  /* generational mark-sweep (the default) */
  MC_GC_REFCOUNT = 1, /* reference counting + CPython's generational cycle detector */
} mc_gc_model;

/* What decides when a tracing heap collects (see gc/mc_gc_policy.c for the rules and why). */
typedef enum mc_gc_policy {
  MC_GC_POLICY_LIVE = 0,   /* the default: the heap grows from the live footprint measured by
                              each full collection (heap_growth, young_fraction) */
  MC_GC_POLICY_COUNTS = 1, /* CPython's count thresholds for every generation, the byte trigger
                              max(young_bytes, footprint / 8) (the python preset; the default
                              before issue 16) */
} mc_gc_policy;

#define MC_GC_HEAP_GROWTH 1.5     /* default heap_growth */
#define MC_GC_HEAP_MAX_GROWTH 4.0 /* default heap_max_growth */
#define MC_GC_YOUNG_FRACTION 0.5  /* default young_fraction */

typedef struct mc_gc_config {
  int threshold[MC_GC_NGEN]; /* Python's thresholds; threshold[0] == 0 disables automatic
                                collection. All zero in a config: the default. */
  size_t young_bytes;        /* bytes, also collect generation 0 once this many bytes were
                                allocated since the last collection (leaves and large blocks
                                count: without reference counting they are only reclaimed by
                                collections); 0: the default; SIZE_MAX: off */
  int young_fixed;           /* 0 (default): the byte trigger is young_bytes at least, growing
                                with the heap (policy LIVE: young_fraction x (goal - live);
                                COUNTS: footprint / 8); 1: exactly young_bytes */
  size_t heap_limit;         /* bytes of footprint never exceeded; 0: no limit. Every byte
                                taken from the backing allocator counts: pages, large blocks
                                and the heap's own tables (see mc_gc_set_heap_limit) */
  int torture;               /* non-zero: a collection at every allocation (generations 0, 1,
                                2 in turn), for tests */
  int model;                 /* mc_gc_model: MC_GC_TRACING (0, default) or MC_GC_REFCOUNT;
                                young_bytes and young_fixed do not apply to refcount */
  int policy;                /* mc_gc_policy (tracing only): MC_GC_POLICY_LIVE (0, default) or
                                MC_GC_POLICY_COUNTS */
  double heap_growth;        /* policy LIVE: after a full collection that leaves L bytes of
                                footprint in use, the goal (the footprint in use at which the
                                next full collection runs) is at least heap_growth x L; 0:
                                MC_GC_HEAP_GROWTH (1.5); else 1 <= heap_growth <= heap_max_growth */
  double heap_max_growth;    /* policy LIVE: ... and at most heap_max_growth x L: a goal set by a
                                larger live footprint is kept down to that (0:
                                MC_GC_HEAP_MAX_GROWTH, 4; at most 1000) */
  double young_fraction;     /* policy LIVE: the young generation is max(young_bytes,
                                young_fraction x (goal - L)) bytes; 0: MC_GC_YOUNG_FRACTION
                                (0.5); else 0 < young_fraction <= 1 */
} mc_gc_config;

/* A tracing heap's policy and where it stands (mc_gc_get_policy). */
typedef struct mc_gc_policy_info {
  int policy;             /* mc_gc_policy */
  double heap_growth;     /* policy LIVE's knobs, as set */
  double heap_max_growth; /* ... */
  double young_fraction;  /* ... */
  size_t live;            /* bytes of footprint in use after the latest full collection (0 before
                             the first): pages, large blocks and tables, spare pages not counted */
  size_t goal;            /* policy LIVE: the footprint in use at which the next young trigger
                             runs a full collection; COUNTS: SIZE_MAX */
  size_t young;           /* the byte trigger: bytes allocated until the next young collection
                             (smaller than young_fraction x (goal - live) close to the goal) */
} mc_gc_policy_info;

/* Per-generation statistics (Python's gc.get_stats() plus pauses and bytes). */
typedef struct mc_gc_stats {
  uint64_t collections;    /* collections of this generation (as the oldest collected) */
  uint64_t collected;      /* unreachable objects found (tracked ones) */
  uint64_t uncollectable;  /* always 0: there are no finalizers */
  uint64_t pause_ns_total; /* ns spent in these collections */
  uint64_t pause_ns_max;   /* ns, the longest */
  size_t bytes_before;     /* bytes of footprint before the latest such collection */
  size_t bytes_after;      /* bytes of footprint after it */
} mc_gc_stats;

/* What start/stop callbacks receive (Python's gc.callbacks phase and info). */
typedef struct mc_gc_info {
  int phase;            /* 0: start, 1: stop */
  int generation;       /* the oldest generation collected */
  size_t collected;     /* stop only: unreachable tracked objects found */
  size_t uncollectable; /* stop only: always 0 */
  uint64_t pause_ns;    /* stop only: the collection's duration */
  size_t heap_before;   /* bytes of footprint at start */
  size_t heap_after;    /* stop only: bytes of footprint at the end */
} mc_gc_info;

typedef void (*mc_gc_callback_fn)(const mc_gc_info *info, void *arg);
typedef void (*mc_gc_sink_fn)(const char *line, void *arg); /* line without '\n' */

/* ---- lifetime ----------------------------------------------------------------------------- */

/* Fills cfg with the default: policy LIVE (heap growth 1.5 to 4 x the live footprint, the young
 * generation half the room above it, at least 8 MB; see gc/mc_gc_policy.c), thresholds
 * 2000000/2 for generations 0 and 1 (threshold[2] is not used by policy LIVE). */
void mc_gc_config_default(mc_gc_config *cfg);

/* Fills cfg with CPython's preset: policy COUNTS, thresholds 700/10/10, the byte trigger
 * max(8 MB, footprint / 8). */
void mc_gc_config_python(mc_gc_config *cfg);

/* Fills cfg for the reference-counting model: CPython's 700/10/10, model MC_GC_REFCOUNT. */
void mc_gc_config_refcount(mc_gc_config *cfg);

/* Creates a collected heap whose pages come from backing (cfg NULL: the default). Returns MC_OK
 * and *out, MC_ENOMEM, MC_EINVAL for a negative threshold or an unknown model, or MC_ERANGE
 * for a heap limit below the footprint of an empty tracing heap (its own struct and first mark
 * stack, about 27 KB on x86-64: the footprint mc_alloc_get_stats reports right after an
 * mc_gc_new without a limit). Under MC_GC_REFCOUNT, all-zero thresholds mean 700/10/10.
 * *out is untouched on failure. REQUIRES: backing outlives gc. */
int mc_gc_new(mc_gc **out, mc_alloc backing, const mc_gc_config *cfg);

/* Frees every object, page and table of gc, then gc itself. gc NULL: nothing. */
void mc_gc_free(mc_gc *gc);

/* Returns the allocator face of gc (vtable name "gc", or "rc" for the refcount model). */
mc_alloc mc_gc_allocator(mc_gc *gc);

/* The model gc was created with. */
mc_gc_model mc_gc_get_model(const mc_gc *gc);

/* The collected heap (either model) behind al, or NULL if al is not a collected heap's. */
mc_gc *mc_gc_heap_of(mc_alloc al);

/* ---- Python's gc module --------------------------------------------------------------------- */

int mc_gc_enable(mc_gc *gc);  /* previous state, like PyGC_Enable */
int mc_gc_disable(mc_gc *gc); /* previous state */
int mc_gc_isenabled(const mc_gc *gc);

/* Collects generations 0..generation (clamped to 0..2; -1 or more than 2: a full collection).
 * Returns the number of unreachable tracked objects found (freed, or saved with SAVEALL). Runs
 * even when automatic collection is disabled. */
size_t mc_gc_collect(mc_gc *gc, int generation);

/* c[0]: tracked allocations minus deallocations since the last collection (refcount model:
 * blocks tracked minus tracked blocks freed, CPython 3.14's count, since a typed block is tracked
 * at its first store of a container, not at its allocation); c[1]: collections of generation 0
 * since the last of generation 1; c[2]: of generation 1 since the last full. */
void mc_gc_get_count(const mc_gc *gc, int c[MC_GC_NGEN]);
void mc_gc_get_threshold(const mc_gc *gc, int t[MC_GC_NGEN]);
/* MC_OK, or MC_EINVAL (nothing changed) if a threshold is negative. t[0] == 0 disables
 * automatic collection. */
int mc_gc_set_threshold(mc_gc *gc, const int t[MC_GC_NGEN]);
void mc_gc_get_stats(const mc_gc *gc, mc_gc_stats s[MC_GC_NGEN]);

void mc_gc_set_debug(mc_gc *gc, int flags);
int mc_gc_get_debug(const mc_gc *gc);
/* Where DEBUG_STATS / COLLECTABLE lines go (fn NULL: nowhere). Nothing is ever printed. */
void mc_gc_set_sink(mc_gc *gc, mc_gc_sink_fn fn, void *arg);

/* Registers a start/stop callback (Python's gc.callbacks). MC_OK or MC_ENOMEM. */
int mc_gc_callback_add(mc_gc *gc, mc_gc_callback_fn fn, void *arg);
/* Removes the first registration of (fn, arg). MC_OK or MC_EINVAL if absent. */
int mc_gc_callback_remove(mc_gc *gc, mc_gc_callback_fn fn, void *arg);

/* Moves every object to a permanent generation that collections ignore (and treat as alive). */
void mc_gc_freeze(mc_gc *gc);
/* Moves the permanent generation back into the oldest generation. */
void mc_gc_unfreeze(mc_gc *gc);
size_t mc_gc_get_freeze_count(const mc_gc *gc); /* tracked objects frozen */

/* 1 if obj is a live block of gc allocated with a type (a container), else 0. Under
 * MC_GC_REFCOUNT a typed block is tracked only once mc_store has put a pointer to a typed
 * block into it (CPython's untracking rule, gc/mc_rc.c: gc.is_tracked({}) is False); until
 * then it is 0, and the block is in no generation, get_objects, get_referrers or freeze. A
 * block of an MC_TYPE_IMMUTABLE type becomes 0 again when a young detection finds it points to
 * untracked blocks only (CPython's tuples: gc.is_tracked((1, 2)) is False after a collection). */
int mc_gc_is_tracked(const mc_gc *gc, const void *obj);

/* The garbage list (SAVEALL): *n objects, valid until the next collection or clear. They stay
 * alive (the list is a root) until mc_gc_garbage_clear drops them. */
void *const *mc_gc_garbage(const mc_gc *gc, size_t *n);
void mc_gc_garbage_clear(mc_gc *gc);

/* The next three store up to cap objects in out and return the total number (out may be NULL
 * with cap 0 to count). get_objects: tracked objects of one generation (0..2, 3 = frozen) or of
 * generations 0..2 (-1: frozen objects are left out, as CPython's gc.get_objects() leaves out
 * its permanent generation). get_referrers: tracked objects of generations 0..2 with a slot
 * pointing to obj (frozen referrers are left out, as in CPython). get_referents: the managed
 * objects obj's slots point to. */
size_t mc_gc_get_objects(const mc_gc *gc, int generation, void **out, size_t cap);
size_t mc_gc_get_referrers(const mc_gc *gc, const void *obj, void **out, size_t cap);
size_t mc_gc_get_referents(const mc_gc *gc, const void *obj, void **out, size_t cap);

/* Refcount model: reconciles the zero-count table now (what the next safe point would do):
 * frees every block no managed block and no root points to, and what hangs only from those;
 * no cycle detection. Returns the bytes freed. Tracing model: nothing, 0. */
size_t mc_gc_reconcile(mc_gc *gc);

/* Changes the heap limit (bytes of footprint; 0: none). Never frees anything by itself. The
 * limit counts every byte taken from the backing allocator, the heap's tables included: once
 * the footprint is at the limit (or above, if it was set below the current footprint), new
 * blocks are refused (NULL, after an emergency collection) and so is table growth: a mark
 * stack that cannot grow costs rescans, a remembered set or page list that cannot grow makes
 * the next collection a full one, and a root registration that cannot be recorded stops every
 * collection, explicit ones included, until that registration is removed. (Tracing model;
 * the refcount model's limit is stated in gc/mc_rc.c.) */
void mc_gc_set_heap_limit(mc_gc *gc, size_t bytes);

/* The heap policy of a tracing heap (gc/mc_gc_policy.c). Each returns MC_OK, or MC_EINVAL
 * (nothing changed) for a value out of its range (see mc_gc_config) or a refcount heap, which
 * has no heap policy (counting frees). The new rules apply from the next allocation; live is
 * kept, so a new growth factor moves the goal at once. */
int mc_gc_set_policy(mc_gc *gc, int policy);
int mc_gc_set_heap_growth(mc_gc *gc, double growth, double max_growth);
int mc_gc_set_young_fraction(mc_gc *gc, double fraction);
/* Fills *out (a refcount heap: policy COUNTS, everything else 0). */
void mc_gc_get_policy(const mc_gc *gc, mc_gc_policy_info *out);
void mc_gc_set_torture(mc_gc *gc, int on);

/* ---- direct API: the inline fast paths (for a client that knows its allocator is gc) ---------
 *
 * mc_gc_alloc and mc_gc_store do what mc_alloc_new(mc_gc_allocator(gc), size,
 * MC_ALIGN_DEFAULT, type) and mc_store(mc_gc_allocator(gc), obj, slot, value) do, with the
 * common case inline and no indirect call (the vtable's alloc and barrier use the same code).
 *
 * The allocation window: the latest small allocation's (type, size) and the run of free slots
 * after it in its page, cut short where the next collection is due. Taking a slot from it is a
 * metadata byte, a slack byte, a bump and (tracked objects) zeroing the slot; the counters
 * (stats, count[0], young bytes) catch up with the slots taken whenever anything reads them.
 * Slots in [young_lo, next) were allocated since the latest collection (generation 0): a store
 * into one of them needs no barrier. Read-only to clients: only gc/ writes these fields. */
typedef struct mc_gc_window {
  const mc_type *type; /* the window serves allocations of this type ... */
  size_t size;         /* ... and this request size (0: closed) */
  uint8_t *meta;       /* metadata byte of the next slot (0: free) */
  uint8_t *meta_end;   /* the window ends before this byte */
  char *next;          /* the next slot */
  size_t slot;         /* bytes per slot */
  ptrdiff_t slack_off; /* a slot's slack byte (slot - size) is its metadata byte + slack_off */
  char *young_lo;      /* see above */
  uint8_t *start;      /* metadata byte at the last catch-up of the counters */
  uint8_t slack;       /* slot - size */
  int model;           /* mc_gc_model, fixed at creation (a refcount heap's window stays shut) */
} mc_gc_window;

/* The tracing collector behind al, or NULL if al is not a tracing heap's allocator (NULL for a
 * refcount heap too: the direct API below is the tracing model's; mc_gc_alloc works on either,
 * but mc_gc_store REQUIRES a tracing heap — under refcount, mc_store counts). */
mc_gc *mc_gc_of(mc_alloc al);

/* Out-of-line halves (also what the vtable calls). */
void *mc_gc_alloc_slow(mc_gc *gc, size_t size, const mc_type *type);
void mc_gc_barrier_slow(mc_gc *gc, void *obj, void **slot, void *value);

/* mc_alloc_new(mc_gc_allocator(gc), size, MC_ALIGN_DEFAULT, type). */
static inline void *mc_gc_alloc(mc_gc *gc, size_t size, const mc_type *type) {
  mc_gc_window *w = (mc_gc_window *)(void *)gc; /* the first member of struct mc_gc */
  uint8_t *m = w->meta;
  if (__builtin_expect(size == w->size && type == w->type && m < w->meta_end && *m == 0, 1)) {
    char *o = w->next;
    size_t slot = w->slot;
    ptrdiff_t off = w->slack_off;
    uint8_t slack = w->slack;
    w->meta = m + 1;
    w->next = o + slot;
    m[0] = 1; /* allocated, generation 0 */
    m[off] = slack;
    __builtin_prefetch(o + 512, 1); /* the nursery is bigger than the caches: stay ahead */
    if (type) {                     /* scanned slots never hold stale pointers */
      if (size <= 16) {             /* the 16-byte class */
        void *z = NULL;
        memcpy(o, &z, sizeof z);
        memcpy(o + 8, &z, sizeof z);
      } else {
        memset(o, 0, slot);
      }
    }
    return o;
  }
  return mc_gc_alloc_slow(gc, size, type);
}

/* mc_store(mc_gc_allocator(gc), obj, slot, value): the store, then the write barrier unless
 * obj is young (or value is NULL). */
static inline void mc_gc_store(mc_gc *gc, void *obj, void *slot, void *value) {
  memcpy(slot, &value, sizeof value);
  const mc_gc_window *w = (const mc_gc_window *)(const void *)gc;
  uintptr_t lo = (uintptr_t)w->young_lo;
  if ((uintptr_t)obj - lo < (uintptr_t)w->next - lo || !obj || !value) return;
  mc_gc_barrier_slow(gc, obj, (void **)slot, value);
}

#ifdef __cplusplus
}
#endif
#endif /* MC_GC_H */
