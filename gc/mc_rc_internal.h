/* mc_rc_internal.h — the reference-counting model's internals (mc__rc names), shared by
 * mc_rc.c (heap, counts, zero-count table, control API) and mc_rc_detect.c (CPython's cycle
 * detector), plus the dispatch hooks the tracing model's public functions call. Not installed.
 * The design and its invariants are written at the top of mc_rc.c. */
#ifndef MC_RC_INTERNAL_H
#define MC_RC_INTERNAL_H

#include "mc_gc.h"

/* ---- dispatch: which model a handle is (read by every public mc_gc_* function) ----------- */

/* Both models' structs start with an mc_gc_window; its model field never changes. */
static inline int mc__gc_is_rc(const mc_gc *gc) {
  return ((const mc_gc_window *)(const void *)gc)->model == MC_GC_REFCOUNT;
}

/* ---- layout ------------------------------------------------------------------------------ */

#define MC__RC_PAGE ((size_t)65536)     /* bytes per page, also its alignment */
#define MC__RC_SMALL_MAX ((size_t)8192) /* larger blocks (or align > 16) are large blocks */
#define MC__RC_NCLASS 36
#define MC__RC_PERIOD 1024 /* allocations between two reconciliations of the zero-count table */
#define MC__RC_NCB 16      /* callbacks at most */
#define MC__RC_KIDS 2      /* candidate references a young candidate records */
#define MC__RC_TOKEN_LIMIT ((uintptr_t)1 << 17) /* below: zero-size tokens, never heap blocks */
#define MC__RC_SPARE 64   /* empty pages kept for reuse at least (mc_rc.c: spare_trim) */
#define MC__RC_TRIM 256   /* reconciliations between two trims of the spare pages */
#define MC__RC_PCACHE 512 /* entries of the lookup's chunk cache (a power of two) */

/* One 16-bit flag word per block (a small block's is in its page's side record). */
typedef uint16_t mc__rc_meta;
enum {
  MC__RC_ALLOC = 1, /* a live block */
  MC__RC_GENSH = 1, /* bits 1-2: generation 0, 1, 2, or 3 = frozen */
  MC__RC_GEN = 6,
  MC__RC_ZCT = 8,         /* listed in the zero-count table */
  MC__RC_PROMOTED = 16,   /* generation 2, promoted there since the last full detection: one of
                             CPython's long_lived_pending while it lives */
  MC__RC_ROOTED = 32,     /* a root slot points to it (only during a reconciliation) */
  MC__RC_CAND = 32,       /* in the detector's candidate set (only during a detection, which never
                             overlaps a reconciliation: one bit serves both) */
  MC__RC_REACH = 64,      /* detector: reachable from outside the set; also a dedup mark */
  MC__RC_NOREF = 128,     /* explicitly freed (or resized away) while heap slots still point to it:
                             its references were released, it waits for its count to reach 0 */
  MC__RC_UNTRACKED = 256, /* typed, in no generation (CPython's untracked): every pointer slot is
                             NULL or points to no typed block, or (MC_TYPE_IMMUTABLE) to
                             untracked ones only (mc_rc.c's opening comment) */
  MC__RC_NEW = 512,       /* allocated since the last reconciliation: listed on young[0] from
                             young_new on (tracking it needs no push) */
  MC__RC_SHARED = 1024,   /* typed, MC_TYPE_IMMUTABLE: an untracked block may point to it (set
                             when one is built or untracked so; cleared by retrack_deep): if it
                             is tracked, the heap has a hazard (mc_rc.c's opening comment) */
};
#define MC__RC_GENOF(m) (((m) >> MC__RC_GENSH) & 3)
#define MC__RC_FROZEN 3

enum { MC__RC_KIND_PAGE = 1, MC__RC_KIND_LARGE = 2 };

typedef struct mc__rc_pool mc__rc_pool;
typedef struct mc__rc_page mc__rc_page;
typedef struct mc__rc_large mc__rc_large;

/* A slot's side record: one 8-byte record per slot rather than three arrays, so a lookup (flags,
 * then count, often the requested size) touches one cache line, not three. */
typedef struct mc__rc_side {
  uint32_t rc;      /* references from managed blocks */
  uint16_t req;     /* bytes the caller asked for */
  mc__rc_meta meta; /* MC__RC_* bits; 0 = free */
} mc__rc_side;

struct mc__rc_page {
  uint32_t kind;       /* MC__RC_KIND_PAGE */
  uint32_t size;       /* bytes per slot */
  uint32_t nslots;     /* slots in the page */
  uint32_t nused;      /* slots [0, nused) were handed out at least once (the bump) */
  uint32_t nlive;      /* live slots */
  uint32_t in_avail;   /* on pool->avail */
  const mc_type *type; /* NULL: leaves */
  mc__rc_pool *pool;
  void *free;                 /* freed slots, linked through their first word */
  mc__rc_page *next, *prev;   /* every page of the pool */
  mc__rc_page *anext, *aprev; /* pages with free slots, not the current one */
  uint64_t recip;             /* ceil(2^32 / size): slot index = (offset * recip) >> 32 */
  uint64_t ptrmask;           /* if masked: bit k set when word k of a slot is a pointer slot */
  uint32_t masked;            /* the type's slots are ptrmask (else: mc_type_visit) */
  char *data;                 /* first slot */
  mc__rc_side side[];         /* per slot (read only below nused) */
};

struct mc__rc_large {
  uint32_t kind; /* MC__RC_KIND_LARGE */
  uint32_t rc;   /* references from managed blocks */
  mc__rc_meta meta;
  const mc_type *type;
  void *obj;    /* the block handed out */
  size_t size;  /* bytes requested (or last resized to) */
  size_t total; /* bytes taken from the backing allocator */
  size_t align; /* alignment used with the backing allocator */
  mc__rc_large *next, *prev;
};

struct mc__rc_pool {
  const mc_type *type;
  uint32_t cls, size;
  mc__rc_page *cur;   /* the page being allocated from */
  mc__rc_page *pages; /* every page */
  mc__rc_page *avail; /* pages (not cur) with free slots */
  mc__rc_pool *next;  /* every pool */
};

/* Open-addressing map uintptr -> count (key 0 unused), backward-shift deletion: the roots. */
typedef struct mc__rc_map {
  uintptr_t *keys;
  uintptr_t *vals;
  size_t cap, n;
} mc__rc_map;

typedef struct mc__rc_vec {
  void **a;
  size_t n, cap;
} mc__rc_vec;

/* A found block: what mc__rc_find returns. */
typedef struct mc__rc_ref {
  mc__rc_meta *meta;
  uint32_t *rc;
  void *obj;
  const mc_type *type;
  size_t size;         /* bytes the type's slots may span: slot size (small) or size (large) */
  mc__rc_page *page;   /* NULL for a large block */
  mc__rc_large *large; /* NULL for a small block */
  uint32_t idx;        /* slot index in page */
} mc__rc_ref;

typedef struct mc__rc_cb {
  mc_gc_callback_fn fn;
  void *arg;
} mc__rc_cb;

/* A candidate of a young detection: where it is (its count field is found from its flag word),
 * its count before update_refs (restored from here, so no pass re-walks the slots to add
 * internal references back), its gc_refs, and the candidates its first slots point to (found
 * once, by subtract_refs: the reachability pass then follows indices, no lookup). */
typedef struct mc__rc_cand {
  void *obj;
  const mc_type *type;
  mc__rc_meta *meta;
  size_t view;    /* bytes the type's visitor sees */
  uint32_t saved; /* the count before the detection */
  uint32_t refs;  /* gc_refs: the count, plus roots, minus references from candidates */
  uint32_t kid[MC__RC_KIDS];
  uint8_t nkids; /* kid[0..nkids) are the candidates it points to */
  uint8_t more;  /* it points to more candidates than kid holds: scan its slots */
  uint8_t reach; /* 1: reachable from outside the set; 2: doomed (once classified) */
  uint8_t out;   /* it points to a managed block outside the set, or (once classified) to a
                    survivor: if doomed, its slots are scanned to drop those references */
  uint8_t held;  /* it points to a tracked block outside the set: it stays tracked */
} mc__rc_cand;

typedef struct mc__rc_cvec {
  mc__rc_cand *a;
  size_t n, cap;
} mc__rc_cvec;

typedef struct mc__rc {
  mc_gc_window win; /* first, always closed: model == MC_GC_REFCOUNT */
  mc_alloc backing;
  mc_alloc_stats st;
  mc__rc_pool *pools;
  mc__rc_pool *last_pool; /* the pool of the latest small allocation ... */
  size_t last_size;       /* ... of this many bytes (rc_alloc's fast path) */
  struct {
    const mc_type *type;
    uint32_t cls;
    mc__rc_pool *pool;
  } cache[64];      /* (type, class) -> pool */
  mc__rc_page *hot; /* the page of the latest lookup (a registered page, or NULL) */
  struct {
    uintptr_t chunk; /* addr >> 16, 0: empty (chunk 0 holds tokens only) */
    mc__rc_page *page;
  } pcache[MC__RC_PCACHE]; /* direct-mapped cache of dir: kept equal to it by dir_set */
  mc__rc_page **dir[4096]; /* chunk (addr >> 16) -> page or large header: three levels */
  size_t ndir;             /* second-level tables allocated */
  void *spare;             /* empty pages kept for reuse, linked through their first word */
  size_t nspare;
  size_t npages;       /* pages in use (in a pool) */
  size_t spare_low;    /* the fewest spares since the last trim: that many sat unused */
  size_t spare_mark;   /* the spares the last trim left */
  unsigned trim_clock; /* reconciliations since the last trim */
  mc__rc_large *large; /* every large block */
  mc__rc_map roots;    /* slot -> its index in rootv << 32 | its registration count */
  mc__rc_vec rootv;    /* the registered root slots, dense: what reconciliations and
                          detections walk (not the map's table, mostly empty) */
  mc__rc_vec zct;      /* zero-count table: blocks whose count reached 0 (may be stale) */
  mc__rc_vec zkeep;    /* scratch: zero-count blocks a root still points to */
  mc__rc_vec casc;     /* scratch: a reconciliation's cascade, as flag-word addresses */
  int zct_lost;        /* a push failed: the next reconciliation walks every block */
  int reconciling;
  uint32_t since;      /* allocations since the last reconciliation */
  mc__rc_vec young[2]; /* tracked blocks of generation 0 / 1 (may be stale or repeated); from
                          young[0].a[young_new] on: every block allocated since the last
                          reconciliation (flag NEW), leaves and untracked blocks too (the new
                          part of the ZCT), and the blocks tracked since */
  size_t young_new;
  mc__rc_vec garbage;     /* SAVEALL's list: a root whose references are counted */
  mc__rc_vec cand;        /* scratch: the detector's doomed blocks */
  mc__rc_cvec young_cand; /* scratch: a young detection's candidates */
  mc__rc_vec stack;       /* scratch: the detector's traversal stack */
  mc__rc_cb cbs[MC__RC_NCB];
  int ncbs;
  mc_gc_sink_fn sink;
  void *sink_arg;
  int enabled, collecting, debug, torture, torture_next;
  int any_frozen; /* freeze ran since the last unfreeze (some blocks may be frozen) */
  /* Untracking of MC_TYPE_IMMUTABLE blocks (mc_rc.c, mc_rc_detect.c): hazard, a block flagged
   * SHARED was tracked (stored into), so an untracked block may point to a tracked one: the next
   * full detection first tracks every untracked block that points to a typed one. latest: the
   * latest allocation, while no detection ran since (the one block a store can build untracked) */
  int hazard;
  void *latest;
  int threshold[MC_GC_NGEN];
  int count[MC_GC_NGEN];
  /* CPython's full-collection guard, counted net: blocks promoted into generation 2 since the
   * last full detection (flag PROMOTED) and blocks that survived it, each while they live */
  uint64_t long_lived_pending, long_lived_total;
  size_t heap_limit; /* bytes of footprint, 0: none */
  mc_gc_stats gstats[MC_GC_NGEN];
} mc__rc;

static inline mc__rc *mc__rc_of(mc_gc *gc) { return (mc__rc *)(void *)gc; }
static inline const mc__rc *mc__rc_cof(const mc_gc *gc) { return (const mc__rc *)(const void *)gc; }

/* ---- lookup ------------------------------------------------------------------------------ */

/* The page or large header owning chunk addr >> 16, or NULL. */
static inline mc__rc_page *mc__rc_chunk(const mc__rc *h, uintptr_t a) {
  uintptr_t c = a >> 16;
  if (c >> 32) return NULL;
  mc__rc_page **l2 = h->dir[c >> 20];
  if (!l2) return NULL;
  mc__rc_page **l3 = (mc__rc_page **)l2[(c >> 10) & 1023];
  return l3 ? l3[c & 1023] : NULL;
}

/* The index of the slot of page pg that p (an address inside pg's chunk) points into, or a
 * number >= pg->nslots if p lies before the first slot: the offset is taken modulo 2^32, so an
 * address below pg->data becomes one of at least 2^32 - 2^16 bytes, whose quotient by any slot
 * size (<= 8192) exceeds the slots a 64 KiB page holds. */
static inline uint32_t mc__rc_slot_of(const mc__rc_page *pg, const void *p) {
  uint32_t off = (uint32_t)((uintptr_t)p - (uintptr_t)pg->data);
  return (uint32_t)(((uint64_t)off * pg->recip) >> 32);
}

/* Finds the live block p points into (small: any interior address; large: the start only).
 * Returns 1 and fills *r, or 0 for NULL, tokens, foreign or freed addresses. */
static inline int mc__rc_find(const mc__rc *h, const void *p, mc__rc_ref *r) {
  uintptr_t a = (uintptr_t)p;
  if (a < MC__RC_TOKEN_LIMIT) return 0;
  /* consecutive lookups mostly hit one page (a node and its children were allocated
   * together): a large block's first chunk is never a page, so the compare is exact */
  mc__rc_page *pg = (mc__rc_page *)(a & ~(uintptr_t)(MC__RC_PAGE - 1));
  if (pg != h->hot) {
    mc__rc *w = (mc__rc *)(uintptr_t)h; /* the caches are not the heap's state */
    uintptr_t c = a >> 16;
    size_t k = c & (MC__RC_PCACHE - 1);
    if (h->pcache[k].chunk == c) {
      pg = h->pcache[k].page;
    } else {
      pg = mc__rc_chunk(h, a);
      if (!pg) return 0;
      w->pcache[k].chunk = c;
      w->pcache[k].page = pg;
    }
    if (pg->kind == MC__RC_KIND_PAGE) w->hot = pg;
  }
  if (pg->kind == MC__RC_KIND_PAGE) {
    uint32_t i = mc__rc_slot_of(pg, p);
    if (i >= pg->nused || !(pg->side[i].meta & MC__RC_ALLOC)) return 0;
    r->meta = &pg->side[i].meta;
    r->rc = &pg->side[i].rc;
    r->obj = pg->data + (size_t)i * pg->size;
    r->type = pg->type;
    r->size = pg->size;
    r->page = pg;
    r->large = NULL;
    r->idx = i;
    return 1;
  }
  mc__rc_large *l = (mc__rc_large *)(void *)pg;
  if (l->obj != p || !(l->meta & MC__RC_ALLOC)) return 0;
  r->meta = &l->meta;
  r->rc = &l->rc;
  r->obj = l->obj;
  r->type = l->type;
  r->size = l->size;
  r->page = NULL;
  r->large = l;
  r->idx = 0;
  return 1;
}

/* The block in slot i of page pg. */
static inline mc__rc_ref mc__rc_slot_ref(mc__rc_page *pg, uint32_t i) {
  return (mc__rc_ref){&pg->side[i].meta,
                      &pg->side[i].rc,
                      pg->data + (size_t)i * pg->size,
                      pg->type,
                      pg->size,
                      pg,
                      NULL,
                      i};
}

/* mc__rc_find, trying page pg first (NULL: none): a block and the blocks it points to were
 * mostly allocated together, so a referent is often on its holder's page, found without the
 * page caches. */
static inline int mc__rc_find_near(const mc__rc *h, mc__rc_page *pg, const void *p, mc__rc_ref *r) {
  if (((uintptr_t)p & ~(uintptr_t)(MC__RC_PAGE - 1)) != (uintptr_t)pg || !pg)
    return mc__rc_find(h, p, r);
  uint32_t i = mc__rc_slot_of(pg, p);
  if (i >= pg->nused || !(pg->side[i].meta & MC__RC_ALLOC)) return 0;
  *r = mc__rc_slot_ref(pg, i);
  return 1;
}

/* The live block whose flag byte is m (a page's meta[i], or a large header's meta field: both
 * lie in the 64 KiB-aligned chunk that starts with their page or header): no lookup. */
static inline void mc__rc_at_meta(mc__rc_meta *m, mc__rc_ref *r) {
  mc__rc_page *pg = (mc__rc_page *)((uintptr_t)m & ~(uintptr_t)(MC__RC_PAGE - 1));
  if (pg->kind == MC__RC_KIND_PAGE) {
    uint32_t i = (uint32_t)(((uintptr_t)m - (uintptr_t)&pg->side[0].meta) / sizeof(mc__rc_side));
    *r = (mc__rc_ref){
        m, &pg->side[i].rc, pg->data + (size_t)i * pg->size, pg->type, pg->size, pg, NULL, i};
  } else {
    mc__rc_large *l = (mc__rc_large *)(void *)pg;
    *r = (mc__rc_ref){m, &l->rc, l->obj, l->type, l->size, NULL, l, 0};
  }
}

/* The pointer slots of a block of page pg (pg->masked) whose requested size is req, as a word
 * mask: the type's slots that lie wholly inside req, as mc_type_visit sees them. */
static inline uint64_t mc__rc_slotmask(const mc__rc_page *pg, size_t req) {
  size_t w = req / sizeof(void *);
  return w >= 64 ? pg->ptrmask : pg->ptrmask & (((uint64_t)1 << w) - 1);
}

/* The extent the type's visitor sees: the requested size (what the caller's slots span). */
static inline size_t mc__rc_view(const mc__rc_ref *r) {
  return r->page ? r->page->side[r->idx].req : r->size;
}

/* ---- shared by mc_rc.c and mc_rc_detect.c ------------------------------------------------ */

int mc__rc_vec_grow(mc__rc *h, mc__rc_vec *v); /* doubles v: MC_OK / MC_ENOMEM */
/* Grows a candidate vector to hold need (at least doubling): MC_OK / MC_ENOMEM. */
int mc__rc_cvec_grow(mc__rc *h, mc__rc_cvec *v, size_t need);
static inline int mc__rc_vec_push(mc__rc *h, mc__rc_vec *v, void *p) {
  if (__builtin_expect(v->n == v->cap, 0) && mc__rc_vec_grow(h, v) != MC_OK) return MC_ENOMEM;
  v->a[v->n++] = p;
  return MC_OK;
}

/* Lists a block whose count is 0 in the ZCT (once: flag MC__RC_ZCT). */
void mc__rc_zct_add(mc__rc *h, mc__rc_meta *meta, void *obj);
/* Drops one heap reference to the block p points into (a count reaching 0 enters the ZCT). */
static inline void mc__rc_decref(mc__rc *h, void *p) {
  mc__rc_ref r;
  if (!mc__rc_find(h, p, &r) || *r.rc == 0) return;
  if (--*r.rc == 0) mc__rc_zct_add(h, r.meta, r.obj);
}
/* A block in a generation (CPython's tracked object): typed, not a husk, not untracked. */
static inline int mc__rc_tracked(const mc__rc_ref *r) {
  return r->type && !(*r->meta & (MC__RC_NOREF | MC__RC_UNTRACKED));
}
/* A typed block of flags m is in generation 0's count and the long-lived ones: tracked (not a
 * husk, not untracked) and not frozen. */
static inline int mc__rc_counted(mc__rc_meta m) {
  return !(m & (MC__RC_NOREF | MC__RC_UNTRACKED)) && MC__RC_GENOF(m) != MC__RC_FROZEN;
}
/* A tracked block of generation m stops being tracked (freed, or made a husk): it leaves the
 * long-lived counts it was in. */
static inline void mc__rc_untrack(mc__rc *h, mc__rc_meta m) {
  if (MC__RC_GENOF(m) != MC_GC_NGEN - 1) return;
  if (m & MC__RC_PROMOTED) {
    if (h->long_lived_pending) h->long_lived_pending--;
  } else if (h->long_lived_total) {
    h->long_lived_total--;
  }
}
/* Gives every spare page back to the backing allocator. */
void mc__rc_spare_drop(mc__rc *h);
/* The counts a freed block of flags m (typed or a leaf, req bytes requested) leaves: generation
 * 0's (a tracked block; CPython's count falls at every deallocation), the long-lived ones, the
 * stats. */
static inline void mc__rc_released(mc__rc *h, mc__rc_meta m, int typed, size_t req, int reclaimed) {
  if (typed && mc__rc_counted(m)) {
    if (h->count[0] > 0) h->count[0]--;
    mc__rc_untrack(h, m);
  }
  h->st.live--;
  h->st.requested -= req;
  if (reclaimed) h->st.reclaimed += req;
}
/* mc__rc_release's out-of-line parts: a large block; a page (not its pool's current one) that
 * a free left empty (retired) or with its first free slot (made available). */
void mc__rc_release_large(mc__rc *h, const mc__rc_ref *r, int reclaimed);
void mc__rc_page_freed(mc__rc *h, mc__rc_page *pg);
/* Frees the block now without touching its referents (their counts are the caller's); reclaimed:
 * counted in the stats' reclaimed bytes (freed by the heap, not by an explicit free). */
static inline void mc__rc_release(mc__rc *h, const mc__rc_ref *r, int reclaimed) {
  mc__rc_page *pg = r->page;
  if (!pg) {
    mc__rc_release_large(h, r, reclaimed);
    return;
  }
  mc__rc_side *sd = &pg->side[r->idx];
  mc__rc_released(h, sd->meta, pg->type != NULL, sd->req, reclaimed);
  sd->meta = 0;
  *(void **)r->obj = pg->free;
  pg->free = r->obj;
  pg->nlive--;
  if (__builtin_expect(pg->pool->cur != pg, 0)) mc__rc_page_freed(h, pg);
}
/* Reconciles the zero-count table against the roots: frees every block whose count is 0 and
 * that no root points to, cascading without recursion. */
void mc__rc_reconcile(mc__rc *h);
/* Calls fn on every live block. */
typedef void (*mc__rc_walk_fn)(mc__rc *h, mc__rc_ref *r, void *arg);
void mc__rc_walk(mc__rc *h, mc__rc_walk_fn fn, void *arg);
uint64_t mc__rc_now_ns(void);
void mc__rc_emit(mc__rc *h, const char *fmt, ...);

/* mc_rc_detect.c */
size_t mc__rc_detect(mc__rc *h, int gen); /* one detection of generations 0..gen */
void mc__rc_maybe_detect(mc__rc *h);      /* the automatic trigger after a tracked allocation */

/* ---- the model's entry points (mc_gc_new, mc_gc_free and the public mc_gc_* dispatch) ---- */

int mc__rc_new(mc_gc **out, mc_alloc backing, const mc_gc_config *cfg);
void mc__rc_free(mc_gc *gc);
mc_alloc mc__rc_allocator(mc_gc *gc);
void *mc__rc_alloc_slow(mc_gc *gc, size_t size, const mc_type *type);
int mc__rc_enable(mc_gc *gc, int on); /* previous state */
int mc__rc_isenabled(const mc_gc *gc);
size_t mc__rc_collect(mc_gc *gc, int generation);
void mc__rc_get_count(const mc_gc *gc, int c[MC_GC_NGEN]);
void mc__rc_get_threshold(const mc_gc *gc, int t[MC_GC_NGEN]);
int mc__rc_set_threshold(mc_gc *gc, const int t[MC_GC_NGEN]);
void mc__rc_get_stats(const mc_gc *gc, mc_gc_stats s[MC_GC_NGEN]);
void mc__rc_set_debug(mc_gc *gc, int flags);
int mc__rc_get_debug(const mc_gc *gc);
void mc__rc_set_sink(mc_gc *gc, mc_gc_sink_fn fn, void *arg);
int mc__rc_callback_add(mc_gc *gc, mc_gc_callback_fn fn, void *arg);
int mc__rc_callback_remove(mc_gc *gc, mc_gc_callback_fn fn, void *arg);
void mc__rc_freeze(mc_gc *gc);
void mc__rc_unfreeze(mc_gc *gc);
size_t mc__rc_get_freeze_count(const mc_gc *gc);
int mc__rc_is_tracked(const mc_gc *gc, const void *obj);
void *const *mc__rc_garbage(const mc_gc *gc, size_t *n);
void mc__rc_garbage_clear(mc_gc *gc);
size_t mc__rc_get_objects(const mc_gc *gc, int generation, void **out, size_t cap);
size_t mc__rc_get_referrers(const mc_gc *gc, const void *obj, void **out, size_t cap);
size_t mc__rc_get_referents(const mc_gc *gc, const void *obj, void **out, size_t cap);
void mc__rc_set_heap_limit(mc_gc *gc, size_t bytes);
/* The invariants, checked from scratch (mc_rc_api.c): MC_OK or MC_ESTATE. */
int mc__rc_verify(mc_gc *gc);
void mc__rc_set_torture(mc_gc *gc, int on);

#endif /* MC_RC_INTERNAL_H */
