/* mc_gc_internal.h — the collector's shared internals (mc__ names): heap layout, per-object
 * metadata bits, the small hash maps and vectors that mc_gc.c, mc_gc_mark.c and
 * mc_gc_api.c share, and the collector's invariants. Not installed.
 *
 * INVARIANTS (between collections, and in a collection's stop callback). mc__gc_verify checks
 * every one of them; the tests and fuzz/fuzz_gc.c call it after every collection.
 *  I1  Marks. No metadata byte (small slot or large header) has MC__M_MARK or MC__M_TMP set;
 *      the mark stack is empty and mark_overflow is 0.
 *  I2  Pages. Every page on a pool's list belongs to that pool (pool, type, slot size) and is
 *      in the pages map under its chunk; the map holds exactly npages entries; the chunk cache
 *      and hot_page name only mapped pages; in_partial is set exactly for the pages on the
 *      pool's partial list; a pool's current page is one of its own, not on the partial list,
 *      with its cursor inside the page. Spare pages (nspare of them) are in no map.
 *  I3  Slots. A free slot's metadata byte is 0. An allocated slot holds an object of 1..slot
 *      bytes whose size class is the page's (resizes in place keep the class): its size as
 *      allocated or last resized is what scans and trace callbacks see (issue 20.2).
 *  I4  Live counts. Unless rem_lost (see I5), a page not on touched[0] has nlive equal to its
 *      allocated slots (a sweep set it, explicit frees keep it); a touched page may have more
 *      allocated slots than nlive (allocations since its last sweep are not counted, explicit
 *      frees are: nlive can even be negative until the next sweep recounts it). st.live equals
 *      the allocated small slots plus the large objects, and st.requested the sum of their
 *      sizes, once the window's pending
 *      allocations are added (mc__win_flush).
 *  I5  Young objects only on touched pages. Unless rem_lost (a touched vector could not grow:
 *      the next collection is full), an object of generation 0 lies on a page with touched[0]
 *      set, one of generation <= 1 on a page with touched[1] set; touched[k] is set exactly for
 *      the pages listed once in gc->touched[k].
 *  I6  Large objects. lgen[k] lists exactly the large objects of generation k (3: frozen),
 *      doubly linked, each allocated, in the large map under its address, aligned to its
 *      alignment, its size inside its backing block; the map holds no other entry.
 *  I7  Remembered set. Unless rem_lost, a reachable object (from the roots, the garbage list
 *      or the frozen objects) of generation g >= 1 (frozen included) with a slot, within its
 *      size, pointing to an allocated object of a generation below g has MC__M_REM set (garbage
 *      may hold a dangling pointer to a reused slot: nothing depends on it); every object with
 *      MC__M_REM is a container listed in gc->rem (the list may also hold stale entries,
 *      skipped by the marker and dropped by the next collection).
 *  I8  The window. meta_start <= meta <= meta_end inside its pool's current page; the slots in
 *      [start, meta) are allocated generation-0 objects of the window's size; every allocated
 *      slot in the young run [young_lo, next) (one page) is of generation 0, since the inline
 *      barrier skips stores into it.
 *  I9  Footprint. st.footprint is exactly the struct, the pools, (npages + nspare) pages, the
 *      large blocks and the maps' and vectors' arrays; footprint_peak >= footprint; with a heap
 *      limit set before the bytes were taken, footprint <= heap_limit (mc__raw_alloc).
 *  I10 Tables. Every map holds n non-zero keys; root counts are >= 1; the garbage list holds
 *      allocated tracked objects only; counts are >= 0. */
#ifndef MC_GC_INTERNAL_H
#define MC_GC_INTERNAL_H

#include "mc_gc.h"

/* ---- layout ------------------------------------------------------------------------------ */

#define MC__PAGE ((size_t)65536)     /* bytes per page, also its alignment */
#define MC__SMALL_MAX ((size_t)8192) /* larger blocks (or align > 16) are large objects */
#define MC__NCLASS 36
#define MC__PCACHE 64    /* entries of the (type, class) -> pool cache */
#define MC__PDIRECT 1024 /* entries of the chunk -> page cache (64 MB of contiguous heap) */
#define MC__NCB 16       /* callbacks at most */
#define MC__TOKEN_LIMIT ((uintptr_t)1 << 17) /* below: zero-size tokens, never heap addresses */

/* One metadata byte per object. */
enum {
  MC__M_ALLOC = 1, /* the slot holds a live (not yet swept) block */
  MC__M_MARK = 2,  /* reached in the current collection; clear between collections */
  MC__M_GENSH = 2, /* bits 2-3: generation 0, 1, 2, or 3 = frozen (permanent) */
  MC__M_GEN = 12,
  MC__M_REM = 16, /* in the remembered set */
  MC__M_TMP = 32, /* scratch for de-duplicating passes */
};
#define MC__GEN(m) (((m)&MC__M_GEN) >> MC__M_GENSH)
#define MC__FROZEN 3

typedef struct mc__pool mc__pool;
typedef struct mc__page mc__page;

struct mc__page {
  mc__pool *pool;          /* owner: one (type, size class) */
  const mc_type *type;     /* NULL: leaves */
  uint32_t size;           /* bytes per slot */
  uint32_t nslots;         /* slots in the page */
  int32_t nlive;           /* allocated slots as of the last sweep, less explicit frees since */
  uint8_t touched[2];      /* on gc->touched[0] / [1] */
  uint8_t in_partial;      /* on pool->partial */
  uint64_t recip;          /* ceil(2^32 / size): slot index = (offset * recip) >> 32 */
  mc__page *next, *prev;   /* every page of the pool */
  mc__page *pnext, *pprev; /* pages that may have free slots */
  char *data;              /* first slot */
  uint8_t *slack;          /* per slot: size - bytes requested (uint16_t if wide) */
  int wide;                /* slack entries are uint16_t (classes above 256 bytes) */
  uint8_t meta[];          /* nslots bytes; 0 = free slot */
};

/* Bytes the caller asked for, for the object in slot i (exact stats without headers). */
static inline size_t mc__slot_requested(const mc__page *pg, uint32_t i) {
  return pg->size - (pg->wide ? ((const uint16_t *)pg->slack)[i] : pg->slack[i]);
}
static inline void mc__slot_set_requested(mc__page *pg, uint32_t i, size_t req) {
  if (pg->wide)
    ((uint16_t *)pg->slack)[i] = (uint16_t)(pg->size - req);
  else
    pg->slack[i] = (uint8_t)(pg->size - req);
}

struct mc__pool {
  const mc_type *type;
  uint32_t cls, size;
  uint32_t idx, end; /* allocation cursor over cur's meta bytes: next candidate slot */
  uint8_t *meta;     /* cur->meta */
  char *data;        /* cur->data */
  mc__page *cur;     /* the page being allocated from, or NULL */
  mc__page *pages;   /* every page */
  mc__page *partial; /* pages (not cur) that may have free slots */
  mc__pool *next;    /* every pool of the heap */
};

typedef struct mc__large mc__large;
struct mc__large {
  mc__large *next, *prev; /* in its generation's list */
  const mc_type *type;
  void *obj;    /* the block handed out */
  size_t size;  /* bytes requested (or last resized to) */
  size_t total; /* bytes taken from the backing allocator */
  size_t align; /* alignment used with the backing allocator */
  uint8_t meta;
};

/* Open-addressing hash map uintptr -> pointer (key 0 never used), backward-shift deletion. */
typedef struct mc__map {
  uintptr_t *keys;
  void **vals;
  size_t cap, n; /* cap a power of two or 0 */
} mc__map;

typedef struct mc__vec {
  void **a;
  size_t n, cap;
} mc__vec;

typedef struct mc__cb {
  mc_gc_callback_fn fn;
  void *arg;
} mc__cb;

struct mc_gc {
  /* hot: read on every allocation and barrier (one or two cache lines) */
  mc_gc_window win;    /* first: the inline fast paths of mc_gc.h read it */
  mc__pool *win_pool;  /* the pool whose cursor the window holds (pool->idx is stale) */
  mc__pool *last_pool; /* the pool of the latest small allocation */
  const mc_type *last_type;
  size_t young_bytes;    /* bytes allocated since the last collection */
  size_t young_trig;     /* young_bytes above this runs the trigger (0 in torture mode) */
  int count[MC_GC_NGEN]; /* CPython's counts (count[0]: tracked allocations - frees) */
  int trig0;             /* count[0] above this runs the trigger: threshold[0], or INT_MAX */
  mc__page *hot_page;    /* the page of the latest lookup (mc__find_hot); NULL after releases */
  struct {
    uintptr_t chunk; /* addr >> 16, 0: empty */
    mc__page *page;
  } pcache[MC__PDIRECT]; /* direct-mapped chunk -> page cache in front of the pages map */
  mc_alloc_stats st;     /* requested is exact: per-slot slack bytes in each page */
  /* the rest */
  mc_alloc backing;
  mc__pool *pools;
  uint32_t last_cls;
  void *spare;           /* empty pages kept for reuse, linked through their first word */
  size_t nspare, npages; /* pages on spare; pages in use */
  size_t spare_low;      /* fewest spares since the last trim: those were never needed */
  struct {
    const mc_type *type;
    uint32_t cls;
    mc__pool *pool;
  } cache[MC__PCACHE];
  mc__map pages;      /* chunk number (addr >> 16) -> mc__page */
  mc__map large;      /* object address -> mc__large */
  mc__map roots;      /* slot address -> registration count */
  mc__vec touched[2]; /* pages allocated into since the last collection (0) / the last
                         collection of generation >= 1 (1): where generations 0 and 1 live */
  mc__large *lgen[4]; /* large objects per generation (3: frozen) */
  mc__vec rem;        /* remembered objects: older objects that may point to younger ones */
  mc__vec stack;      /* mark stack: small object, or mc__large | 1 */
  mc__vec garbage;    /* SAVEALL's list, a root */
  mc__cb cbs[MC__NCB];
  int ncbs;
  mc_gc_sink_fn sink;
  void *sink_arg;
  int enabled, collecting, debug, torture, torture_next;
  int rem_lost;      /* a remembered-set push failed: the next collection is full + frozen */
  int mark_overflow; /* a mark-stack push failed: rescan marked objects */
  int roots_lost;    /* root registrations refused (no memory) and not yet removed: while
                        positive no collection runs (a root the marker cannot see) */
  int threshold[MC_GC_NGEN];
  size_t young_limit; /* bytes, byte trigger for generation 0 (its minimum if young_scale) */
  int young_scale;    /* the byte trigger grows: see mc__young_target (mc_gc_policy.c) */
  int policy;         /* mc_gc_policy */
  double growth;      /* policy LIVE: heap growth factor */
  double young_frac;  /* policy LIVE: young generation / live footprint */
  size_t live_fp;     /* footprint in use after the latest full collection */
  size_t young_last;  /* young_bytes when the latest collection began */
  double max_growth;  /* policy LIVE: the goal is lowered down to max_growth x live_fp */
  size_t goal_full;   /* policy LIVE: the goal the latest full collection set */
  size_t heap_goal;   /* policy LIVE: footprint in use that triggers a full collection;
                         COUNTS: SIZE_MAX (kept by mc__update_triggers) */
  size_t heap_limit;  /* bytes of footprint, 0: none */
  uint64_t long_lived_pending, long_lived_total; /* CPython's full-collection guard */
  mc_gc_stats gstats[MC_GC_NGEN];
};

#define MC__VEC0 ((size_t)1024) /* entries of a vector's first array (the mark stack's) */
/* The footprint of a new, empty heap: the struct and the first mark stack. A heap limit below
 * it is refused at creation (MC_ERANGE). */
#define MC__GC_MIN_FOOTPRINT (sizeof(struct mc_gc) + MC__VEC0 * sizeof(void *))

/* ---- maps and vectors (mc_gc.c) --------------------------------------------------- */

static inline size_t mc__hash(uintptr_t k, size_t cap) {
  return (size_t)((k * 0x9E3779B97F4A7C15ull) >> 32) & (cap - 1);
}
static inline void *mc__map_get(const mc__map *m, uintptr_t key) {
  if (!m->cap) return NULL;
  size_t i = mc__hash(key, m->cap);
  for (;;) {
    uintptr_t k = m->keys[i];
    if (k == key) return m->vals[i];
    if (k == 0) return NULL;
    i = (i + 1) & (m->cap - 1);
  }
}
int mc__map_put(mc_gc *gc, mc__map *m, uintptr_t key, void *val); /* MC_OK / MC_ENOMEM */
void *mc__map_del(mc__map *m, uintptr_t key);                     /* the old value or NULL */
void mc__map_free(mc_gc *gc, mc__map *m);

int mc__vec_grow(mc_gc *gc, mc__vec *v); /* room for one more: MC_OK / MC_ENOMEM */
static inline int mc__vec_push(mc_gc *gc, mc__vec *v, void *p) {
  if (v->n == v->cap && mc__vec_grow(gc, v) != MC_OK) return MC_ENOMEM;
  v->a[v->n++] = p;
  return MC_OK;
}
void mc__vec_free(mc_gc *gc, mc__vec *v);

/* Backing-allocator wrappers that keep footprint and the heap limit. */
void *mc__raw_alloc(mc_gc *gc, size_t size, size_t align);
void mc__raw_free(mc_gc *gc, void *p, size_t size, size_t align);

/* Per byte of x: 0x80 where the byte is zero, else 0 (exact, no borrow across bytes). */
static inline uint64_t mc__zero_bytes(uint64_t x) {
  const uint64_t lo7 = 0x7F7F7F7F7F7F7F7Full;
  return ~(((x & lo7) + lo7) | x | lo7);
}

/* ---- object lookup ------------------------------------------------------------------------ */

static inline mc__page *mc__page_of(const void *obj) {
  return (mc__page *)((uintptr_t)obj & ~(uintptr_t)(MC__PAGE - 1));
}
static inline uint32_t mc__slot_index(const mc__page *pg, const void *p) {
  return (uint32_t)(((uint64_t)((const char *)p - pg->data) * pg->recip) >> 32);
}

/* Finds the block containing p (small: any interior address; large: the start only). Returns
 * its metadata byte and sets *obj, *type, *size (bytes as allocated or last resized, never the
 * slot size: what scans and trace callbacks see), *large (NULL for small), or returns NULL.
 * Callers that ignore *size pay nothing for it: the function is inline and the load dead. */
static inline uint8_t *mc__find(const mc_gc *gc, const void *p, void **obj, const mc_type **type,
                                size_t *size, mc__large **large) {
  uintptr_t a = (uintptr_t)p;
  if (a < MC__TOKEN_LIMIT) return NULL;
  uintptr_t c = a >> 16;
  size_t slot = c & (MC__PDIRECT - 1);
  mc__page *pg;
  if (gc->pcache[slot].chunk == c) {
    pg = gc->pcache[slot].page;
  } else {
    pg = (mc__page *)mc__map_get(&gc->pages, c);
    if (pg) { /* the cache is a hint only, kept exact by page_unlink */
      mc_gc *w = (mc_gc *)(uintptr_t)gc;
      w->pcache[slot].chunk = c;
      w->pcache[slot].page = pg;
    }
  }
  if (pg) {
    if ((const char *)p < pg->data) return NULL;
    uint32_t i = mc__slot_index(pg, p);
    if (i >= pg->nslots) return NULL;
    *obj = pg->data + (size_t)i * pg->size;
    *type = pg->type;
    *size = mc__slot_requested(pg, i);
    *large = NULL;
    return &pg->meta[i];
  }
  mc__large *l = (mc__large *)mc__map_get(&gc->large, a);
  if (!l) return NULL;
  *obj = l->obj;
  *type = l->type;
  *size = l->size;
  *large = l;
  return &l->meta;
}

/* mc__find with a one-page cache: consecutive lookups mostly hit the same page (a node and
 * its children were allocated together). */
static inline uint8_t *mc__find_hot(mc_gc *gc, const void *p, void **obj, const mc_type **type,
                                    size_t *size, mc__large **large) {
  mc__page *pg = mc__page_of(p);
  if (pg == gc->hot_page && (const char *)p >= pg->data) {
    uint32_t i = mc__slot_index(pg, p);
    if (i >= pg->nslots) return NULL;
    *obj = pg->data + (size_t)i * pg->size;
    *type = pg->type;
    *size = mc__slot_requested(pg, i);
    *large = NULL;
    return &pg->meta[i];
  }
  uint8_t *m = mc__find(gc, p, obj, type, size, large);
  if (m && !*large) gc->hot_page = pg;
  return m;
}

/* ---- heap (mc_gc.c) ------------------------------------------------------------------ */

void mc__page_release(mc_gc *gc, mc__page *pg);      /* back to the backing allocator */
void mc__page_release_keep(mc_gc *gc, mc__page *pg); /* onto the spare list */
void mc__page_retire_empty(mc_gc *gc, mc__page *pg); /* spare list, or back if enough */
void mc__spare_drop(mc_gc *gc);                      /* every spare back */
void mc__spare_trim(mc_gc *gc);                      /* spares unused since the last trim go */
void mc__page_free_slot(mc__page *pg, uint32_t i);   /* explicit free of a slot */
void mc__page_has_room(mc__page *pg);                /* after a sweep freed slots */
void mc__large_unlink(mc_gc *gc, mc__large *l);
void mc__large_link(mc_gc *gc, mc__large *l, int gen);
void mc__large_release(mc_gc *gc, mc__large *l);
void mc__retire_current(mc_gc *gc); /* every pool's current page goes back to its lists */

/* The allocation window (mc_gc.h). flush: the counters catch up with the slots taken.
 * suspend: flush, hand the cursor back to the pool, no more fast allocations (the young range
 * stays). close: suspend and empty the young range (a collection or freeze changes ages). */
void mc__win_flush(mc_gc *gc);
void mc__win_suspend(mc_gc *gc);
void mc__win_close(mc_gc *gc);
/* Tracked allocations taken from the window and not yet in count[0]. */
static inline int mc__win_pending_count(const mc_gc *gc) {
  return gc->win.type ? (int)(gc->win.meta - gc->win.start) : 0;
}

/* ---- collection (mc_gc_mark.c) ------------------------------------------------------------ */

size_t mc__collect(mc_gc *gc, int gen);
void mc__emit(mc_gc *gc, const char *fmt, ...);
uint64_t mc__now_ns(void);

/* ---- the heap policy (mc_gc_policy.c) ----------------------------------------------------- */

/* Runs the automatic trigger (before an allocation, whose counts are already added). */
void mc__maybe_collect(mc_gc *gc);
/* After enable/disable/threshold/torture/policy changes and after every collection: the byte
 * and count triggers, the heap goal; cuts the allocation window. */
void mc__update_triggers(mc_gc *gc);
/* A collection of generation gen has just swept (and released pages): records the live
 * footprint after a full one. */
void mc__policy_collected(mc_gc *gc, int gen);
/* After growth or max_growth changed: the goal follows at once (then the triggers). */
void mc__policy_knobs_changed(mc_gc *gc);
/* 1 if the policy and its knobs are in their ranges (mc_gc.h's mc_gc_config). */
static inline int mc__policy_valid(int policy, double growth, double max_growth,
                                   double young_frac) {
  return (policy == MC_GC_POLICY_LIVE || policy == MC_GC_POLICY_COUNTS) && growth >= 1.0 &&
         max_growth >= growth && max_growth <= 1000.0 && young_frac > 0.0 &&
         young_frac <= 1.0; /* NaN fails every comparison */
}
/* Footprint in use: spare pages are not counted. */
static inline size_t mc__footprint_used(const mc_gc *gc) {
  return gc->st.footprint - gc->nspare * MC__PAGE;
}

/* ---- size classes: 16..256 by 16, then four classes per power of two up to 8192 ---------- */

static inline uint32_t mc__size_class(size_t size) {
  if (size <= 256) return (uint32_t)((size + 15) / 16 - 1);
  size_t s = size - 1;
  int b = 63 - __builtin_clzll((unsigned long long)s);
  return (uint32_t)(16 + (b - 8) * 4 + ((s >> (b - 2)) & 3));
}

static inline uint32_t mc__class_size(uint32_t cls) {
  if (cls < 16) return (cls + 1) * 16;
  uint32_t g = (cls - 16) / 4, k = (cls - 16) % 4;
  return (256u << g) + (k + 1) * (64u << g);
}

/* ---- invariants (mc_gc_verify.c, compiled when MC_GC_VERIFY: test, fuzz and Debug builds) -- */

/* Checks the invariants above (I1-I10). Returns MC_OK, or MC_ESTATE with *what (if what is not
 * NULL) set to a static sentence naming the first broken invariant (MC_ENOMEM: no scratch
 * memory for I7's reachability pass). Never prints, never aborts, leaves the heap as it was
 * (scratch bits are cleared, the chunk cache may be refilled; the scratch queue comes from the
 * backing allocator and goes back). O(heap): for tests and fuzzing. REQUIRES: not inside a
 * collection, except from a stop callback. */
int mc__gc_verify(mc_gc *gc, const char **what);

#endif /* MC_GC_INTERNAL_H */
