/* mc_gc_verify.c — mc__gc_verify: checks the collector's invariants I1-I10 (stated once, in
 * mc_gc_internal.h) over the whole heap. Compiled when MC_GC_VERIFY is defined (test, fuzz
 * and Debug builds: see MEMCURVE_GC_VERIFY in the root CMakeLists.txt); the collector's tests
 * and fuzz/fuzz_gc.c call it after every collection, from a stop callback.
 *
 * No output, no abort, no change that outlives the call: I7 needs reachability, found with a
 * scratch queue from the backing allocator (not counted in the heap's stats) and the TMP bit as
 * the visited mark, cleared again before returning. The remembered-set membership test is a
 * linear search of gc->rem, fine at test sizes. The first broken invariant is returned as
 * MC_ESTATE with a sentence naming it (MC_ENOMEM if the scratch queue could not be had). */
#include "mc_gc_internal.h"

#define FAIL(msg)                                                                                  \
  do {                                                                                             \
    if (what) *what = (msg);                                                                       \
    return MC_ESTATE;                                                                              \
  } while (0)

/* ---- helpers ------------------------------------------------------------------------------ */

static int vec_has(const mc__vec *v, const void *p) {
  for (size_t i = 0; i < v->n; i++)
    if (v->a[i] == p) return 1;
  return 0;
}

static size_t vec_count(const mc__vec *v, const void *p) {
  size_t n = 0;
  for (size_t i = 0; i < v->n; i++) n += v->a[i] == p;
  return n;
}

static size_t map_count(const mc__map *m) {
  size_t n = 0;
  for (size_t i = 0; i < m->cap; i++) n += m->keys[i] != 0;
  return n;
}

static size_t map_bytes(const mc__map *m) { return m->cap * (sizeof *m->keys + sizeof *m->vals); }
static size_t vec_bytes(const mc__vec *v) { return v->cap * sizeof *v->a; }

/* I1, and the listing half of I7, for one allocated object. */
static int check_object(const mc_gc *gc, uint8_t m, void *obj, const mc_type *t,
                        const char **what) {
  if (m & (MC__M_MARK | MC__M_TMP))
    FAIL("I1 marks: a mark or scratch bit is set between collections");
  if (!t && (m & MC__M_REM)) FAIL("I7 remembered set: a leaf is remembered");
  if ((m & MC__M_REM) && !vec_has(&gc->rem, obj))
    FAIL("I7 remembered set: an object marked remembered is not listed");
  return MC_OK;
}

/* ---- pages ---------------------------------------------------------------------------------- */

typedef struct totals {
  size_t live, requested, pages, pools, large_bytes, large_n;
} totals;

static int check_page(const mc_gc *gc, const mc__pool *p, const mc__page *pg, totals *tot,
                      const char **what) {
  if (pg->pool != p || pg->type != p->type || pg->size != p->size)
    FAIL("I2 pages: a page on a pool's list belongs to another pool");
  if (mc__map_get(&gc->pages, (uintptr_t)pg >> 16) != pg)
    FAIL("I2 pages: a page is not in the pages map");
  if (pg->nslots == 0 || pg->data + (size_t)pg->nslots * pg->size > (const char *)pg + MC__PAGE)
    FAIL("I2 pages: the slots overrun the page");
  for (int k = 0; k < 2; k++)
    if (vec_count(&gc->touched[k], pg) != pg->touched[k])
      FAIL("I5 touched: a page's touched flag disagrees with the touched list");
  uint32_t nalloc = 0;
  uint32_t lo = p->cls ? mc__class_size(p->cls - 1) : 0;
  for (uint32_t i = 0; i < pg->nslots; i++) {
    uint8_t m = pg->meta[i];
    if (!m) continue;
    if (!(m & MC__M_ALLOC)) FAIL("I3 slots: a free slot has a non-zero metadata byte");
    size_t req = mc__slot_requested(pg, i);
    if (req == 0 || req > pg->size || req <= lo)
      FAIL("I3 slots: an object's size is outside its page's size class");
    if (!gc->rem_lost && MC__GEN(m) == 0 && !pg->touched[0])
      FAIL("I5 young: a generation-0 object lies on a page not on touched[0]");
    if (!gc->rem_lost && MC__GEN(m) <= 1 && !pg->touched[1])
      FAIL("I5 young: a generation-1 object lies on a page not on touched[1]");
    int r = check_object(gc, m, pg->data + (size_t)i * pg->size, pg->type, what);
    if (r != MC_OK) return r;
    nalloc++;
    tot->requested += req;
  }
  if (!pg->touched[0] && !gc->rem_lost && (uint32_t)pg->nlive != nalloc)
    FAIL("I4 live counts: an untouched page's nlive differs from its allocated slots");
  if (pg->nlive > (int32_t)nalloc)
    FAIL("I4 live counts: a page's nlive exceeds its allocated slots");
  tot->live += nalloc;
  tot->pages++;
  return MC_OK;
}

static int check_pools(const mc_gc *gc, totals *tot, const char **what) {
  for (const mc__pool *p = gc->pools; p; p = p->next) {
    tot->pools++;
    if (p->size != mc__class_size(p->cls)) FAIL("I2 pages: a pool's slot size is not its class's");
    size_t npartial = 0;
    for (const mc__page *pg = p->partial; pg; pg = pg->pnext) {
      if (!pg->in_partial || pg->pool != p)
        FAIL("I2 pages: a page on the partial list is not flagged");
      if (pg->pnext && pg->pnext->pprev != pg) FAIL("I2 pages: the partial list's links disagree");
      npartial++;
    }
    int cur_seen = 0;
    for (const mc__page *pg = p->pages; pg; pg = pg->next) {
      if (pg->next && pg->next->prev != pg) FAIL("I2 pages: a pool's page links disagree");
      if (pg->in_partial) npartial--;
      if (pg == p->cur) {
        cur_seen = 1;
        if (pg->in_partial) FAIL("I2 pages: the current page is on the partial list");
        if (p->idx > p->end || p->end != pg->nslots || p->meta != pg->meta || p->data != pg->data)
          FAIL("I2 pages: a pool's cursor is outside its current page");
      }
      int r = check_page(gc, p, pg, tot, what);
      if (r != MC_OK) return r;
    }
    if (npartial != 0) FAIL("I2 pages: the partial list holds a page not on the pool's list");
    if (p->cur && !cur_seen) FAIL("I2 pages: a pool's current page is not one of its pages");
  }
  return MC_OK;
}

/* ---- large objects ----------------------------------------------------------------------------
 */

static int check_large(const mc_gc *gc, totals *tot, const char **what) {
  for (int k = 0; k < 4; k++)
    for (const mc__large *l = gc->lgen[k]; l; l = l->next) {
      if (!(l->meta & MC__M_ALLOC)) FAIL("I6 large: a listed large object is not allocated");
      if (MC__GEN(l->meta) != k)
        FAIL("I6 large: a large object's list differs from its generation bits");
      if (l->next && l->next->prev != l) FAIL("I6 large: a large list's links disagree");
      if (!l->prev && gc->lgen[k] != l) FAIL("I6 large: a large list's head disagrees");
      if (mc__map_get(&gc->large, (uintptr_t)l->obj) != l)
        FAIL("I6 large: a large object is not in the map");
      if ((uintptr_t)l->obj & (l->align - 1)) FAIL("I6 large: a large object is misaligned");
      if ((const char *)l->obj + l->size > (const char *)l + l->total || l->size == 0)
        FAIL("I6 large: a large object's size overruns its block");
      int r = check_object(gc, l->meta, l->obj, l->type, what);
      if (r != MC_OK) return r;
      tot->live++;
      tot->requested += l->size;
      tot->large_bytes += l->total;
      tot->large_n++;
    }
  if (gc->large.n != tot->large_n || map_count(&gc->large) != tot->large_n)
    FAIL("I6 large: the large map holds an entry no list has");
  return MC_OK;
}

/* ---- the window ----------------------------------------------------------------------------- */

static int check_window(const mc_gc *gc, size_t *pending, size_t *pending_bytes,
                        const char **what) {
  const mc_gc_window *w = &gc->win;
  *pending = *pending_bytes = 0;
  if (w->start > w->meta || w->meta > w->meta_end)
    FAIL("I8 window: its metadata cursor is out of order");
  if (gc->win_pool) {
    const mc__page *pg = gc->win_pool->cur;
    if (!pg || w->start < pg->meta || w->meta_end > pg->meta + pg->nslots)
      FAIL("I8 window: it lies outside its pool's current page");
  }
  if (w->meta > w->start) {
    const mc__page *pg = mc__page_of(w->start);
    for (const uint8_t *m = w->start; m < w->meta; m++)
      if ((*m & (MC__M_ALLOC | MC__M_GEN)) != MC__M_ALLOC ||
          mc__slot_requested(pg, (uint32_t)(m - pg->meta)) != w->size)
        FAIL("I8 window: a slot it handed out is not a generation-0 object of its size");
    *pending = (size_t)(w->meta - w->start);
    *pending_bytes = *pending * w->size;
  }
  if (w->young_lo && w->next > w->young_lo) {
    const mc__page *pg = mc__page_of(w->young_lo);
    if (mc__page_of(w->next - 1) != pg || mc__map_get(&gc->pages, (uintptr_t)pg >> 16) != pg)
      FAIL("I8 window: the young run spans pages");
    for (const char *o = w->young_lo; o < w->next; o += pg->size) {
      uint8_t m = pg->meta[mc__slot_index(pg, o)];
      if ((m & MC__M_ALLOC) && MC__GEN(m) != 0)
        FAIL("I8 window: an old object lies in the young run the barrier skips");
    }
  }
  return MC_OK;
}

/* ---- everything ----------------------------------------------------------------------------- */

static int check_tables(const mc_gc *gc, const char **what) {
  if (gc->stack.n != 0 || gc->mark_overflow) FAIL("I1 marks: the mark stack is not empty");
  if (gc->pages.n != gc->npages || map_count(&gc->pages) != gc->npages)
    FAIL("I2 pages: the pages map does not hold exactly npages entries");
  for (size_t i = 0; i < MC__PDIRECT; i++)
    if (gc->pcache[i].chunk && mc__map_get(&gc->pages, gc->pcache[i].chunk) != gc->pcache[i].page)
      FAIL("I2 pages: the chunk cache names a page the map does not");
  if (gc->hot_page && mc__map_get(&gc->pages, (uintptr_t)gc->hot_page >> 16) != gc->hot_page)
    FAIL("I2 pages: hot_page is not a mapped page");
  size_t nspare = 0;
  for (void *pg = gc->spare; pg; pg = *(void **)pg) {
    if (mc__map_get(&gc->pages, (uintptr_t)pg >> 16))
      FAIL("I2 pages: a spare page is still mapped");
    nspare++;
  }
  if (nspare != gc->nspare) FAIL("I2 pages: nspare differs from the spare list");
  if (map_count(&gc->roots) != gc->roots.n) FAIL("I10 tables: the roots map's count is wrong");
  for (size_t i = 0; i < gc->roots.cap; i++)
    if (gc->roots.keys[i] && (uintptr_t)gc->roots.vals[i] == 0)
      FAIL("I10 tables: a root is registered zero times");
  for (size_t i = 0; i < gc->garbage.n; i++) {
    void *o;
    const mc_type *t;
    size_t sz;
    mc__large *l;
    const uint8_t *m = mc__find(gc, gc->garbage.a[i], &o, &t, &sz, &l);
    if (!m || !(*m & MC__M_ALLOC) || o != gc->garbage.a[i] || !t)
      FAIL("I10 tables: the garbage list holds a block that is not a live tracked object");
  }
  for (int k = 0; k < MC_GC_NGEN; k++)
    if (gc->count[k] < 0) FAIL("I10 tables: a generation count is negative");
  return MC_OK;
}

/* ---- I7 over the reachable objects ---------------------------------------------------------- *
 * Only reachable holders (from the roots, the garbage list and the frozen objects) must be
 * remembered: a garbage object may hold a dangling pointer (its target freed, or moved by a
 * resize, after the store) to a slot since reused by a young object, and nothing depends on it
 * (a young collection scans garbage only if it is remembered, which at worst keeps that young
 * object one collection longer). */

typedef struct reach_ctx {
  mc_gc *gc;
  void **q; /* every object reached, once: a FIFO (scan index) and the undo list */
  size_t n, cap;
  uint8_t holder; /* metadata byte of the object being scanned */
  int broken;     /* a reachable old holder of a younger pointer is not remembered */
} reach_ctx;

static void reach_value(reach_ctx *c, void *p) {
  void *o;
  const mc_type *t;
  size_t sz;
  mc__large *l;
  uint8_t *m = mc__find(c->gc, p, &o, &t, &sz, &l);
  if (!m || !(*m & MC__M_ALLOC)) return;
  if (MC__GEN(*m) < MC__GEN(c->holder) && !(c->holder & MC__M_REM)) c->broken = 1;
  if ((*m & MC__M_TMP) || c->n == c->cap) return; /* cap: every allocated object, so never */
  *m |= MC__M_TMP;
  c->q[c->n++] = o;
}

static void reach_visit(void **slot, void *arg) { reach_value(arg, *slot); }

static int check_reachable(mc_gc *gc, size_t nobj, const char **what) {
  reach_ctx c = {gc, NULL, 0, nobj + 1, 0, 0};
  c.q = mc_alloc_array(gc->backing, c.cap, sizeof *c.q, MC_ALIGN_DEFAULT, NULL);
  if (!c.q) {
    if (what) *what = "verify: no memory for the reachability pass";
    return MC_ENOMEM;
  }
  c.holder = 0; /* roots: no holder generation */
  for (size_t i = 0; i < gc->roots.cap; i++)
    if (gc->roots.keys[i]) reach_value(&c, *(void **)gc->roots.keys[i]);
  for (size_t i = 0; i < gc->garbage.n; i++) reach_value(&c, gc->garbage.a[i]);
  for (const mc__pool *p = gc->pools; p; p = p->next) /* frozen objects are never collected */
    for (const mc__page *pg = p->pages; pg; pg = pg->next)
      for (uint32_t i = 0; i < pg->nslots; i++)
        if (MC__GEN(pg->meta[i]) == MC__FROZEN && (pg->meta[i] & MC__M_ALLOC))
          reach_value(&c, pg->data + (size_t)i * pg->size);
  for (const mc__large *l = gc->lgen[MC__FROZEN]; l; l = l->next) reach_value(&c, l->obj);
  for (size_t k = 0; k < c.n; k++) {
    void *o = NULL;
    const mc_type *t = NULL; /* mc__find leaves them unset when it finds nothing */
    size_t sz = 0;
    mc__large *l;
    uint8_t *m = mc__find(gc, c.q[k], &o, &t, &sz, &l);
    if (!m || !t) continue;
    c.holder = gc->rem_lost ? (uint8_t)(*m | MC__M_REM) : *m; /* rem_lost: I7 is suspended */
    mc_type_visit(t, o, sz, reach_visit, &c);
  }
  for (size_t k = 0; k < c.n; k++) { /* undo the visited marks */
    void *o;
    const mc_type *t;
    size_t sz;
    mc__large *l;
    uint8_t *m = mc__find(gc, c.q[k], &o, &t, &sz, &l);
    *m &= (uint8_t)~MC__M_TMP;
  }
  mc_alloc_free(gc->backing, c.q, c.cap * sizeof *c.q, MC_ALIGN_DEFAULT);
  if (c.broken)
    FAIL("I7 remembered set: a reachable old object holding a younger pointer is not remembered");
  return MC_OK;
}

int mc__gc_verify(mc_gc *gc, const char **what) {
  totals tot = {0, 0, 0, 0, 0, 0};
  size_t pending, pending_bytes;
  int r;
  if ((r = check_tables(gc, what)) != MC_OK ||
      (r = check_window(gc, &pending, &pending_bytes, what)) != MC_OK ||
      (r = check_pools(gc, &tot, what)) != MC_OK || (r = check_large(gc, &tot, what)) != MC_OK)
    return r;
  if (tot.pages != gc->npages) FAIL("I2 pages: npages differs from the pages on the pools' lists");
  if (gc->st.live + pending != tot.live) FAIL("I4 live counts: st.live differs from the metadata");
  if (gc->st.requested + pending_bytes != tot.requested)
    FAIL("I4 live counts: st.requested differs from the objects' sizes");
  size_t fp = sizeof *gc + tot.pools * sizeof(mc__pool) + (gc->npages + gc->nspare) * MC__PAGE +
              tot.large_bytes + map_bytes(&gc->pages) + map_bytes(&gc->large) +
              map_bytes(&gc->roots) + vec_bytes(&gc->touched[0]) + vec_bytes(&gc->touched[1]) +
              vec_bytes(&gc->rem) + vec_bytes(&gc->stack) + vec_bytes(&gc->garbage);
  if (gc->st.footprint != fp) FAIL("I9 footprint: st.footprint differs from the memory held");
  if (gc->st.footprint_peak < gc->st.footprint)
    FAIL("I9 footprint: footprint_peak is below footprint");
  return check_reachable(gc, tot.live, what);
}
