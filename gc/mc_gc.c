/* mc_gc.c — the collected heap's memory: size-class pages, large objects, the allocation
 * fast path, explicit free and resize, the write barrier and root registration (the vtable).
 *
 * Layout. Small blocks (<= 8 KiB, align <= 16) live in 64 KiB pages taken from the backing
 * allocator with 64 KiB alignment. A page belongs to one pool = (mc_type, size class): the type
 * is per page, so objects need no header. The page starts with its header and one metadata byte
 * per slot (allocated, mark, generation, remembered: see mc_gc_internal.h), one slack byte per
 * slot (slot size minus bytes requested or last resized to: exact stats without headers, and
 * the object's own size for scans and trace callbacks), then the slots. When
 * the current page is exhausted a pool takes a page with free slots (pool->partial), a spare
 * empty page, or a new one. Large blocks get their own backing block with a header in front
 * and sit in a per-generation list. A hash map from chunk number (address >> 16) to page
 * (fronted by a direct-mapped cache), and one from address to large header, find any block
 * from any pointer (interior pointers too for small blocks) and reject foreign pointers, so
 * the collector never reads memory it does not own.
 *
 * Allocation needs no free list: a pool's cursor walks the current page's metadata bytes to
 * the next zero (free) byte, so a fresh page is bump allocation and a swept page reuses its
 * holes in address order (Immix-style); the sweep only clears metadata bytes. Generations are
 * per object (2 bits). Every page allocated into since the last collection is on
 * gc->touched[0] (and since the last collection of generation >= 1 on touched[1]): generation 0
 * and 1 objects live only there, so a young collection sweeps those pages and its cost follows
 * the young generation, not the heap.
 *
 * The allocation window (mc_gc.h) is the fast path of both the vtable and the inline API: the
 * cursor of the latest small allocation's pool, lent to an inline function that takes the
 * next slot while its metadata byte is 0, up to the page's end or the allocation at which a
 * trigger (count[0] or young bytes) would fire. The counters are brought up to date from the
 * distance the window moved (mc__win_flush) by everything that reads them; the window is
 * suspended (cursor handed back) on every slow path and closed by collections and freeze.
 *
 * The write barrier (mc_store) remembers an object of generation g > 0 the first time a pointer
 * to a younger object is stored in it (bit REM plus the remembered vector): young collections
 * scan those instead of the old generation. Its inline half skips objects in the window's run
 * [young_lo, next): all allocated since the latest collection, so of generation 0. */
#include <assert.h>
#include <string.h>

#include "mc_gc_internal.h"
#include "mc_rc_internal.h"

/* ---- backing memory, maps, vectors ------------------------------------------------------ */

/* Every byte taken from the backing allocator (pages, large blocks and the collector's own
 * tables alike) counts against the heap limit, so the footprint never exceeds it (issue 20.5;
 * the tables used to be exempt and went 64 bytes to 110 KB over). */
void *mc__raw_alloc(mc_gc *gc, size_t size, size_t align) {
  if (gc->heap_limit &&
      (gc->st.footprint > gc->heap_limit || size > gc->heap_limit - gc->st.footprint))
    return NULL;
  void *p = mc_alloc_new(gc->backing, size, align, NULL);
  if (p) {
    gc->st.footprint += size;
    mc__stats_peaks(&gc->st);
  }
  return p;
}

void mc__raw_free(mc_gc *gc, void *p, size_t size, size_t align) {
  gc->st.footprint -= size;
  mc_alloc_free(gc->backing, p, size, align);
}

static int map_resize(mc_gc *gc, mc__map *m, size_t cap) {
  uintptr_t *keys = mc__raw_alloc(gc, cap * sizeof *keys, MC_ALIGN_DEFAULT);
  void **vals = keys ? mc__raw_alloc(gc, cap * sizeof *vals, MC_ALIGN_DEFAULT) : NULL;
  if (!vals) {
    if (keys) mc__raw_free(gc, keys, cap * sizeof *keys, MC_ALIGN_DEFAULT);
    return MC_ENOMEM;
  }
  memset(keys, 0, cap * sizeof *keys);
  for (size_t i = 0; i < m->cap; i++) {
    if (!m->keys[i]) continue;
    size_t j = mc__hash(m->keys[i], cap);
    while (keys[j]) j = (j + 1) & (cap - 1);
    keys[j] = m->keys[i];
    vals[j] = m->vals[i];
  }
  size_t n = m->n; /* mc__map_free zeroes it: the entries moved, their count stays */
  mc__map_free(gc, m);
  m->keys = keys;
  m->vals = vals;
  m->cap = cap;
  m->n = n;
  return MC_OK;
}

int mc__map_put(mc_gc *gc, mc__map *m, uintptr_t key, void *val) {
  assert(key != 0); /* 0 marks an empty entry */
  if (m->cap) {     /* an existing key is updated in place: that never needs memory */
    size_t i = mc__hash(key, m->cap);
    while (m->keys[i] && m->keys[i] != key) i = (i + 1) & (m->cap - 1);
    if (m->keys[i] == key) {
      m->vals[i] = val;
      return MC_OK;
    }
  }
  if ((m->n + 1) * 2 > m->cap && map_resize(gc, m, m->cap ? m->cap * 2 : 64) != MC_OK)
    return MC_ENOMEM;
  size_t i = mc__hash(key, m->cap);
  while (m->keys[i] && m->keys[i] != key) i = (i + 1) & (m->cap - 1);
  if (!m->keys[i]) m->n++;
  m->keys[i] = key;
  m->vals[i] = val;
  return MC_OK;
}

void *mc__map_del(mc__map *m, uintptr_t key) {
  if (!m->cap) return NULL;
  size_t mask = m->cap - 1, i = mc__hash(key, m->cap);
  while (m->keys[i] != key) {
    if (!m->keys[i]) return NULL;
    i = (i + 1) & mask;
  }
  void *old = m->vals[i];
  /* backward-shift deletion keeps every probe sequence unbroken without tombstones */
  for (size_t j = (i + 1) & mask; m->keys[j]; j = (j + 1) & mask) {
    size_t h = mc__hash(m->keys[j], m->cap);
    if (((j - h) & mask) >= ((j - i) & mask)) {
      m->keys[i] = m->keys[j];
      m->vals[i] = m->vals[j];
      i = j;
    }
  }
  m->keys[i] = 0;
  m->n--;
  return old;
}

void mc__map_free(mc_gc *gc, mc__map *m) {
  if (m->cap) {
    mc__raw_free(gc, m->keys, m->cap * sizeof *m->keys, MC_ALIGN_DEFAULT);
    mc__raw_free(gc, m->vals, m->cap * sizeof *m->vals, MC_ALIGN_DEFAULT);
  }
  memset(m, 0, sizeof *m);
}

int mc__vec_grow(mc_gc *gc, mc__vec *v) {
  size_t cap = v->cap ? v->cap * 2 : MC__VEC0;
  void **a = mc__raw_alloc(gc, cap * sizeof *a, MC_ALIGN_DEFAULT);
  if (!a) return MC_ENOMEM;
  if (v->n) memcpy(a, v->a, v->n * sizeof *a);
  if (v->cap) mc__raw_free(gc, v->a, v->cap * sizeof *a, MC_ALIGN_DEFAULT);
  v->a = a;
  v->cap = cap;
  return MC_OK;
}

void mc__vec_free(mc_gc *gc, mc__vec *v) {
  if (v->cap) mc__raw_free(gc, v->a, v->cap * sizeof *v->a, MC_ALIGN_DEFAULT);
  memset(v, 0, sizeof *v);
}

#define size_class mc__size_class
#define class_size mc__class_size

/* ---- pools and pages -------------------------------------------------------------------- */

static mc__pool *pool_slow(mc_gc *gc, const mc_type *type, uint32_t cls, size_t h) {
  mc__pool *p = gc->pools;
  while (p && !(p->type == type && p->cls == cls)) p = p->next;
  if (!p) {
    p = mc__raw_alloc(gc, sizeof *p, MC_ALIGN_DEFAULT);
    if (!p) return NULL;
    memset(p, 0, sizeof *p);
    p->type = type;
    p->cls = cls;
    p->size = class_size(cls);
    p->next = gc->pools;
    gc->pools = p;
  }
  gc->cache[h].type = type;
  gc->cache[h].cls = cls;
  gc->cache[h].pool = p;
  return p;
}

static inline mc__pool *pool_for(mc_gc *gc, const mc_type *type, uint32_t cls) {
  if (gc->last_pool && gc->last_type == type && gc->last_cls == cls) return gc->last_pool;
  size_t h = (((uintptr_t)type >> 4) ^ ((uintptr_t)type >> 11) ^ (cls * 7u)) & (MC__PCACHE - 1);
  mc__pool *p = gc->cache[h].pool && gc->cache[h].type == type && gc->cache[h].cls == cls
                    ? gc->cache[h].pool
                    : pool_slow(gc, type, cls, h);
  if (p) {
    gc->last_pool = p;
    gc->last_type = type;
    gc->last_cls = cls;
  }
  return p;
}

static void partial_add(mc__pool *pool, mc__page *pg) {
  assert(!pg->in_partial && pg->pool == pool);
  pg->in_partial = 1;
  pg->pprev = NULL;
  pg->pnext = pool->partial;
  if (pool->partial) pool->partial->pprev = pg;
  pool->partial = pg;
}

static void partial_remove(mc__pool *pool, mc__page *pg) {
  assert(pg->in_partial && pg->pool == pool);
  if (pg->pprev)
    pg->pprev->pnext = pg->pnext;
  else
    pool->partial = pg->pnext;
  if (pg->pnext) pg->pnext->pprev = pg->pprev;
  pg->in_partial = 0;
  pg->pnext = pg->pprev = NULL;
}

static void touch(mc_gc *gc, mc__page *pg) {
  for (int k = 0; k < 2; k++)
    if (!pg->touched[k]) {
      if (mc__vec_push(gc, &gc->touched[k], pg) != MC_OK) {
        gc->rem_lost = 1; /* cannot list it: the next collection is a full one */
        continue;
      }
      pg->touched[k] = 1;
    }
}

static void retire(mc__pool *pool) {
  mc__page *pg = pool->cur;
  if (!pg) return;
  int room = pool->idx < pg->nslots;
  pool->cur = NULL;
  pool->meta = NULL;
  pool->data = NULL;
  pool->idx = pool->end = 0;
  if (room && !pg->in_partial) partial_add(pool, pg);
}

void mc__retire_current(mc_gc *gc) {
  for (mc__pool *p = gc->pools; p; p = p->next) retire(p);
}

static void make_current(mc_gc *gc, mc__pool *pool, mc__page *pg) {
  assert(!pool->cur && pg->pool == pool && !pg->in_partial);
  pool->cur = pg;
  pool->meta = pg->meta;
  pool->data = pg->data;
  pool->idx = 0;
  pool->end = pg->nslots;
  touch(gc, pg);
}

static mc__page *page_new(mc_gc *gc, mc__pool *pool) {
  mc__page *pg;
  if (gc->spare) { /* a page released recently: no trip to the backing allocator */
    pg = gc->spare;
    gc->spare = *(void **)pg;
    gc->nspare--;
    if (gc->nspare < gc->spare_low) gc->spare_low = gc->nspare;
  } else {
    pg = mc__raw_alloc(gc, MC__PAGE, MC__PAGE);
    if (!pg) return NULL;
  }
  if (mc__map_put(gc, &gc->pages, (uintptr_t)pg >> 16, pg) != MC_OK) {
    mc__raw_free(gc, pg, MC__PAGE, MC__PAGE);
    return NULL;
  }
  gc->npages++;
  size_t hdr = sizeof *pg, size = pool->size, w = size > 256 ? 2 : 1;
  size_t n = (MC__PAGE - hdr - 32) / (size + 1 + w);
  while (((hdr + n + (n + 1) * w + 15) & ~(size_t)15) + n * size > MC__PAGE) n--;
  memset(pg, 0, hdr + n);
  pg->wide = w == 2;
  pg->slack = (uint8_t *)pg + ((hdr + n + 1) & ~(size_t)1);
  pg->pool = pool;
  pg->type = pool->type;
  pg->size = (uint32_t)size;
  pg->nslots = (uint32_t)n;
  pg->recip = ((uint64_t)1 << 32) / size + 1;
  pg->data = (char *)pg + ((hdr + n + (n + 1) * w + 15) & ~(size_t)15);
  pg->next = pool->pages;
  if (pool->pages) pool->pages->prev = pg;
  pool->pages = pg;
  return pg;
}

static void page_unlink(mc_gc *gc, mc__page *pg) {
  mc__pool *pool = pg->pool;
  if (pool->cur == pg) retire(pool);
  if (pg->in_partial) partial_remove(pool, pg);
  if (pg->prev)
    pg->prev->next = pg->next;
  else
    pool->pages = pg->next;
  if (pg->next) pg->next->prev = pg->prev;
  mc__map_del(&gc->pages, (uintptr_t)pg >> 16);
  size_t slot = ((uintptr_t)pg >> 16) & (MC__PDIRECT - 1);
  if (gc->pcache[slot].page == pg) gc->pcache[slot].chunk = 0, gc->pcache[slot].page = NULL;
  if (gc->hot_page == pg) gc->hot_page = NULL;
  gc->npages--;
}

void mc__page_release(mc_gc *gc, mc__page *pg) {
  page_unlink(gc, pg);
  mc__raw_free(gc, pg, MC__PAGE, MC__PAGE);
}

void mc__page_release_keep(mc_gc *gc, mc__page *pg) {
  page_unlink(gc, pg);
  *(void **)pg = gc->spare;
  gc->spare = pg;
  gc->nspare++;
}

/* Keeps up to as many spares as pages in use (at least 32, 2 MB): a heap that breathes
 * (binary-trees builds and drops trees) then stops paying mmap/munmap and page faults for every
 * page. Spares never raise the peak footprint (they were in use before). mc__spare_trim gives
 * back, at each full collection, the spares that sat unused since the previous one (jemalloc's
 * decay, in one step): when the heap stays small, the curve comes down. Beyond the first 32,
 * spares are kept only while the footprint, spares included, is below the policy's heap goal
 * (mc_gc_policy.c): they must not hold the heap above it. */
void mc__page_retire_empty(mc_gc *gc, mc__page *pg) {
  if (gc->nspare >= 32 && (gc->nspare >= gc->npages || gc->st.footprint >= gc->heap_goal)) {
    mc__page_release(gc, pg);
    return;
  }
  mc__page_release_keep(gc, pg);
}

void mc__spare_trim(mc_gc *gc) {
  size_t idle = gc->spare_low < gc->nspare ? gc->spare_low : gc->nspare;
  for (; idle > 0 && gc->spare; idle--) {
    void *pg = gc->spare;
    gc->spare = *(void **)pg;
    gc->nspare--;
    mc__raw_free(gc, pg, MC__PAGE, MC__PAGE);
  }
  gc->spare_low = gc->nspare;
}

void mc__spare_drop(mc_gc *gc) {
  while (gc->spare) {
    void *pg = gc->spare;
    gc->spare = *(void **)pg;
    gc->nspare--;
    mc__raw_free(gc, pg, MC__PAGE, MC__PAGE);
  }
}

void mc__page_has_room(mc__page *pg) {
  if (!pg->in_partial && pg->pool->cur != pg) partial_add(pg->pool, pg);
}

void mc__page_free_slot(mc__page *pg, uint32_t i) {
  assert(i < pg->nslots && (pg->meta[i] & MC__M_ALLOC));
  pg->meta[i] = 0;
  pg->nlive--;
  mc__page_has_room(pg);
}

/* Scans the current page's meta bytes from the cursor for a free slot. */
static inline void *cursor_take(mc__pool *pool) {
  assert(pool->cur && pool->idx <= pool->end && pool->end == pool->cur->nslots);
  uint32_t i = pool->idx, end = pool->end;
  const uint8_t *meta = pool->meta;
  while (i < end && meta[i]) { /* runs of survivors are skipped eight at a time */
    i++;
    while ((i & 7) == 0 && i + 8 <= end) {
      uint64_t w;
      memcpy(&w, meta + i, 8);
      if (mc__zero_bytes(w)) break;
      i += 8;
    }
  }
  if (i >= end) {
    pool->idx = end;
    return NULL;
  }
  pool->meta[i] = MC__M_ALLOC;
  pool->idx = i + 1;
  char *obj = pool->data + (size_t)i * pool->size;
  __builtin_prefetch(obj + 512, 1); /* the nursery is bigger than the caches: stay ahead */
  return obj;
}

/* Takes a slot when the current page is exhausted: a page with room, else a new page. */
static void *refill(mc_gc *gc, mc__pool *pool) {
  retire(pool);
  for (;;) {
    mc__page *pg = pool->partial;
    if (pg)
      partial_remove(pool, pg);
    else
      pg = page_new(gc, pool);
    if (!pg) return NULL;
    make_current(gc, pool, pg);
    void *obj = cursor_take(pool);
    if (obj) return obj;
    retire(pool); /* it was full after all */
    if (pg->in_partial) partial_remove(pool, pg);
  }
}

/* ---- large objects ---------------------------------------------------------------------- */

void mc__large_link(mc_gc *gc, mc__large *l, int gen) {
  assert(gen >= 0 && gen <= MC__FROZEN && !l->next && !l->prev && (l->meta & MC__M_ALLOC));
  l->meta = (uint8_t)((l->meta & ~MC__M_GEN) | (gen << MC__M_GENSH));
  l->prev = NULL;
  l->next = gc->lgen[gen];
  if (l->next) l->next->prev = l;
  gc->lgen[gen] = l;
}

void mc__large_unlink(mc_gc *gc, mc__large *l) {
  int gen = MC__GEN(l->meta);
  if (l->prev)
    l->prev->next = l->next;
  else
    gc->lgen[gen] = l->next;
  if (l->next) l->next->prev = l->prev;
  l->next = l->prev = NULL;
}

void mc__large_release(mc_gc *gc, mc__large *l) {
  mc__large_unlink(gc, l);
  mc__map_del(&gc->large, (uintptr_t)l->obj);
  mc__raw_free(gc, l, l->total, l->align);
}

static mc__large *large_try(mc_gc *gc, size_t size, size_t align, const mc_type *type) {
  size_t a = align < MC_ALIGN_DEFAULT ? MC_ALIGN_DEFAULT : align;
  size_t off = (sizeof(mc__large) + a - 1) & ~(a - 1);
  mc__large *l = mc__raw_alloc(gc, off + size, a);
  if (!l) return NULL;
  memset(l, 0, sizeof *l);
  l->obj = (char *)l + off;
  if (mc__map_put(gc, &gc->large, (uintptr_t)l->obj, l) != MC_OK) {
    mc__raw_free(gc, l, off + size, a);
    return NULL;
  }
  l->type = type;
  l->size = size;
  l->total = off + size;
  l->align = a;
  l->meta = MC__M_ALLOC;
  mc__large_link(gc, l, 0);
  return l;
}

/* ---- allocation ------------------------------------------------------------------------- */

/* requested_peak is brought up to date lazily (mc__stats_peaks) before anything decreases
 * requested and when stats are read: requested only grows between those points. */
static void account_alloc(mc_gc *gc, size_t usable, size_t size) {
  gc->st.requested += usable;
  gc->st.total_requested += size;
  gc->st.live++;
  gc->st.allocs++;
}

static void *fail(mc_gc *gc, int tracked) {
  if (tracked && gc->count[0] > 0) gc->count[0]--;
  gc->st.failures++;
  return NULL;
}

static void *large_alloc(mc_gc *gc, size_t size, size_t align, const mc_type *type) {
  mc__large *l = large_try(gc, size, align, type);
  if (!l && !gc->collecting) { /* emergency: one full collection, then retry */
    mc__collect(gc, 2);
    l = large_try(gc, size, align, type);
  }
  if (!l) return fail(gc, type != NULL);
  if (type) memset(l->obj, 0, size);
  account_alloc(gc, size, size);
  return l->obj;
}

static void *small_take(mc_gc *gc, mc__pool *pool) {
  void *obj = pool->cur ? cursor_take(pool) : NULL;
  return obj ? obj : refill(gc, pool);
}

static inline void zero_slot(void *obj, uint32_t size) {
  if (size == 16)
    ((void **)obj)[0] = ((void **)obj)[1] = NULL;
  else
    memset(obj, 0, size);
}

/* ---- the allocation window (mc_gc.h) -------------------------------------------------------- */

void mc__win_flush(mc_gc *gc) {
  mc_gc_window *w = &gc->win;
  assert(w->start <= w->meta);
  size_t n = (size_t)(w->meta - w->start);
  if (!n) return;
  size_t bytes = n * w->size;
  gc->young_bytes += bytes;
  if (w->type) gc->count[0] += (int)n;
  gc->st.requested += bytes;
  gc->st.total_requested += bytes;
  gc->st.live += n;
  gc->st.allocs += n;
  w->start = w->meta;
}

void mc__win_suspend(mc_gc *gc) {
  mc__win_flush(gc);
  mc_gc_window *w = &gc->win;
  mc__pool *pool = gc->win_pool;
  if (pool) {
    if (pool->cur && pool->meta) pool->idx = (uint32_t)(w->meta - pool->meta);
    gc->win_pool = NULL;
  }
  w->meta_end = w->meta;
}

void mc__win_close(mc_gc *gc) {
  mc__win_suspend(gc);
  gc->win.young_lo = gc->win.next = NULL;
}

/* Opens the window on pool's current page after obj, the slot just taken for (type, size).
 * The window stops where the page ends or where the next allocation would be over a trigger,
 * so the slow path sees every trigger exactly when the per-allocation counters would have. */
static void win_open(mc_gc *gc, mc__pool *pool, char *obj, size_t size, const mc_type *type) {
  assert(!gc->collecting && size >= 1 && size <= pool->size);
  mc_gc_window *w = &gc->win;
  mc__page *pg = pool->cur;
  if (!pg || pg->wide || mc__page_of(obj) != pg) return; /* stays suspended */
  size_t room = pool->end - pool->idx;
  size_t k = gc->young_bytes <= gc->young_trig ? (gc->young_trig - gc->young_bytes) / size : 0;
  if (k < room) room = k;
  if (type) {
    size_t c = gc->count[0] <= gc->trig0 ? (size_t)(gc->trig0 - gc->count[0]) : 0;
    if (c < room) room = c;
  }
  w->type = type;
  w->size = size;
  w->slot = pool->size;
  w->slack = (uint8_t)(pool->size - size);
  w->meta = pool->meta + pool->idx;
  w->meta_end = w->meta + room;
  w->start = w->meta;
  w->slack_off = pg->slack - pg->meta;
  if (w->next != obj || !w->young_lo) w->young_lo = obj; /* else the run goes on */
  w->next = obj + pool->size;
  gc->win_pool = pool;
}

/* Everything but the fast path: triggers, pool lookup, refills, large blocks, emergencies. */
static __attribute__((noinline)) void *alloc_slow(mc_gc *gc, size_t size, size_t align,
                                                  const mc_type *type) {
  int tracked = type != NULL;
  mc__win_suspend(gc);
  gc->young_bytes += size;
  gc->count[0] += tracked;
  if (gc->young_bytes > gc->young_trig || gc->count[0] > gc->trig0) mc__maybe_collect(gc);
  if (align > MC_ALIGN_DEFAULT || size > MC__SMALL_MAX) return large_alloc(gc, size, align, type);
  mc__pool *pool = pool_for(gc, type, size_class(size));
  if (!pool) return fail(gc, tracked);
  void *obj = small_take(gc, pool);
  if (!obj && !gc->collecting) {
    mc__collect(gc, 2);
    obj = small_take(gc, pool);
  }
  if (!obj) return fail(gc, tracked);
  if (tracked) zero_slot(obj, pool->size); /* scanned slots never hold stale pointers */
  mc__page *pg = mc__page_of(obj);
  mc__slot_set_requested(pg, mc__slot_index(pg, obj), size);
  account_alloc(gc, size, size);
  if (!gc->collecting) win_open(gc, pool, obj, size, type);
  return obj;
}

void *mc_gc_alloc_slow(mc_gc *gc, size_t size, const mc_type *type) {
  if (mc__gc_is_rc(gc)) return mc__rc_alloc_slow(gc, size, type);
  if (size > MC_SIZE_MAX) return NULL;
  if (size == 0) return mc__zero_block(MC_ALIGN_DEFAULT);
  return alloc_slow(gc, size, MC_ALIGN_DEFAULT, type);
}

/* The vtable's alloc: the inline fast path of mc_gc.h, or the slow path. */
static void *gc_alloc(void *ctx, size_t size, size_t align, const mc_type *type) {
  mc_gc *gc = ctx;
  if (align > MC_ALIGN_DEFAULT) return alloc_slow(gc, size, align, type);
  return mc_gc_alloc(gc, size, type);
}

/* Frees a block found by mc__find (explicitly or by a sweep). */
static void free_block(mc_gc *gc, void *obj, const mc_type *type, mc__large *l) {
  assert(!l || l->obj == obj);
  assert(gc->st.live > 0);
  if (type && gc->count[0] > 0) gc->count[0]--;
  gc->st.live--;
  gc->st.frees++;
  if (l) {
    gc->st.requested -= l->size;
    mc__large_release(gc, l);
  } else {
    mc__page *pg = mc__page_of(obj);
    uint32_t i = mc__slot_index(pg, obj);
    gc->st.requested -= mc__slot_requested(pg, i);
    mc__page_free_slot(pg, i);
  }
}

static void gc_free(void *ctx, void *p, size_t size, size_t align) {
  (void)size, (void)align;
  mc_gc *gc = ctx;
  mc__win_flush(gc);
  mc__stats_peaks(&gc->st);
  void *obj;
  const mc_type *type;
  size_t usable;
  mc__large *l;
  uint8_t *m = mc__find(gc, p, &obj, &type, &usable, &l);
  if (!m || !(*m & MC__M_ALLOC) || obj != p) return; /* not a live block of ours: ignored */
  free_block(gc, obj, type, l);
}

/* Resizes in place when the size class stays (small) or a large block shrinks by less than
 * half, else moves: a new block, a copy, the old block freed. The object's own size is kept
 * per slot (its slack byte), so scans see the new size at once (issue 20.2); bytes a typed
 * object gains are zeroed, so its scanned slots never hold stale pointers. The peak is brought
 * up to date first (issue 20.4: a moving shrink lowered requested before the peak saw it), and
 * the window's counters are flushed after the new block is taken, so count[0] sees the new
 * allocation before the free it pairs with (issue 20.6). */
static void *gc_resize(void *ctx, void *p, size_t old_size, size_t new_size, size_t align) {
  (void)old_size; /* the heap knows each block's size: that one is used */
  mc_gc *gc = ctx;
  mc__win_flush(gc);
  mc__stats_peaks(&gc->st);
  void *obj;
  const mc_type *type;
  size_t cur;
  mc__large *l;
  uint8_t *m = mc__find(gc, p, &obj, &type, &cur, &l);
  if (!m || !(*m & MC__M_ALLOC) || obj != p) {
    gc->st.failures++;
    return NULL;
  }
  if (!l && align <= MC_ALIGN_DEFAULT && new_size <= MC__SMALL_MAX &&
      size_class(new_size) == mc__page_of(p)->pool->cls) {
    mc__page *pg = mc__page_of(p);
    uint32_t i = mc__slot_index(pg, p);
    if (type && new_size > cur) memset((char *)p + cur, 0, new_size - cur);
    gc->st.requested = gc->st.requested - cur + new_size;
    if (new_size > cur) gc->st.total_requested += new_size - cur;
    mc__slot_set_requested(pg, i, new_size);
    gc->st.resizes++;
    return p; /* same slot size: in place */
  }
  if (l && new_size <= l->size && new_size * 2 > l->size && l->align >= align) {
    gc->st.requested -= l->size - new_size;
    l->size = new_size;
    gc->st.resizes++;
    return p;
  }
  /* p stays alive through a collection inside alloc even if only the caller holds it; if the
   * pin cannot be registered, no collection runs meanwhile */
  void *pin = p;
  int pinned = mc__map_put(gc, &gc->roots, (uintptr_t)&pin, (void *)(uintptr_t)1) == MC_OK;
  if (!pinned) gc->roots_lost++;
  void *q = gc_alloc(gc, new_size, align, type);
  if (pinned)
    mc__map_del(&gc->roots, (uintptr_t)&pin);
  else
    gc->roots_lost--;
  if (!q) return NULL;
  mc__win_flush(gc); /* count[0] and allocs include q before the free below */
  memcpy(q, pin, cur < new_size ? cur : new_size);
  gc->st.allocs--; /* a resize, not an allocation plus a free */
  gc->st.resizes++;
  gc->st.total_requested -= new_size; /* counted by the alloc: only growth counts */
  if (new_size > cur) gc->st.total_requested += new_size - cur;
  m = mc__find(gc, pin, &obj, &type, &cur, &l);
  assert(m && (*m & MC__M_ALLOC) && obj == pin); /* pinned: it survived */
  free_block(gc, obj, type, l);
  gc->st.frees--;
  return q;
}

/* ---- barrier and roots ------------------------------------------------------------------ */

/* Remembers obj when it is older than value (the inline half, mc_gc_store, has already
 * filtered out the young objects of the window and NULL). */
void mc_gc_barrier_slow(mc_gc *gc, void *obj, void **slot, void *value) {
  if (mc__gc_is_rc(gc)) return; /* mc_gc_store REQUIRES a tracing heap (mc_gc.h) */
  (void)slot;
  void *o, *v;
  const mc_type *t;
  size_t sz;
  mc__large *l;
  if (!obj || (uintptr_t)value < MC__TOKEN_LIMIT) return;
  uint8_t *mo = mc__find_hot(gc, obj, &o, &t, &sz, &l);
  if (!mo) return;
  uint8_t m = *mo;
  if ((m & MC__M_REM) || MC__GEN(m) == 0 || !t) return; /* a leaf is never scanned */
  uint8_t *mv = mc__find_hot(gc, value, &v, &t, &sz, &l);
  if (!mv || MC__GEN(*mv) >= MC__GEN(m)) return;
  if (mc__vec_push(gc, &gc->rem, o) != MC_OK) {
    gc->rem_lost = 1; /* the next collection is full and scans the frozen objects */
    return;
  }
  *mo = (uint8_t)(m | MC__M_REM);
}

static void gc_barrier(void *ctx, void *obj, void **slot, void *value) {
  mc_gc *gc = ctx;
  const mc_gc_window *w = &gc->win;
  uintptr_t lo = (uintptr_t)w->young_lo;
  if ((uintptr_t)obj - lo < (uintptr_t)w->next - lo) return; /* young: nothing to remember */
  mc_gc_barrier_slow(gc, obj, slot, value);
}

static void gc_root(void *ctx, void **slot, int add) {
  mc_gc *gc = ctx;
  uintptr_t n = (uintptr_t)mc__map_get(&gc->roots, (uintptr_t)slot);
  if (add) {
    /* a root that cannot be recorded must never be collected under: no collection runs until
     * it is removed again (the heap limit or the backing allocator refused the table) */
    if (mc__map_put(gc, &gc->roots, (uintptr_t)slot, (void *)(n + 1)) != MC_OK) gc->roots_lost++;
  } else if (n > 1) {
    mc__map_put(gc, &gc->roots, (uintptr_t)slot, (void *)(n - 1)); /* same key: no growth */
  } else if (n == 1) {
    mc__map_del(&gc->roots, (uintptr_t)slot);
  } else if (gc->roots_lost > 0) {
    gc->roots_lost--; /* the removal of a registration that was refused */
  }
}

static void gc_stats(void *ctx, mc_alloc_stats *out) {
  mc_gc *gc = ctx;
  mc__win_flush(gc);
  mc__stats_peaks(&gc->st);
  *out = gc->st;
}

static const mc_alloc_vtbl gc_vtbl = {
    .name = "gc",
    .alloc = gc_alloc,
    .resize = gc_resize,
    .free = gc_free,
    .stats = gc_stats,
    .root = gc_root,
    .barrier = gc_barrier,
};

mc_alloc mc_gc_allocator(mc_gc *gc) {
  if (mc__gc_is_rc(gc)) return mc__rc_allocator(gc);
  return (mc_alloc){&gc_vtbl, gc};
}

mc_gc *mc_gc_of(mc_alloc al) { return al.vt == &gc_vtbl ? (mc_gc *)al.ctx : NULL; }

mc_gc_model mc_gc_get_model(const mc_gc *gc) {
  return mc__gc_is_rc(gc) ? MC_GC_REFCOUNT : MC_GC_TRACING;
}

mc_gc *mc_gc_heap_of(mc_alloc al) {
  if (al.vt == &gc_vtbl) return al.ctx;
  return mc__rc_allocator(NULL).vt == al.vt ? al.ctx : NULL;
}

/* ---- lifetime --------------------------------------------------------------------------- */

int mc_gc_new(mc_gc **out, mc_alloc backing, const mc_gc_config *cfg) {
  mc_gc_config def;
  if (!cfg) {
    mc_gc_config_default(&def);
    cfg = &def;
  }
  if (cfg->model == MC_GC_REFCOUNT) return mc__rc_new(out, backing, cfg);
  if (cfg->model != MC_GC_TRACING) return MC_EINVAL;
  for (int i = 0; i < MC_GC_NGEN; i++)
    if (cfg->threshold[i] < 0) return MC_EINVAL;
  if (cfg->heap_limit && cfg->heap_limit < MC__GC_MIN_FOOTPRINT) return MC_ERANGE;
  if (!mc__policy_valid(cfg->policy, cfg->heap_growth ? cfg->heap_growth : MC_GC_HEAP_GROWTH,
                        cfg->heap_max_growth ? cfg->heap_max_growth : MC_GC_HEAP_MAX_GROWTH,
                        cfg->young_fraction ? cfg->young_fraction : MC_GC_YOUNG_FRACTION))
    return MC_EINVAL;
  mc_gc *gc = mc_alloc_new(backing, sizeof *gc, MC_ALIGN_DEFAULT, NULL);
  if (!gc) return MC_ENOMEM;
  memset(gc, 0, sizeof *gc);
  gc->backing = backing;
  gc->st.footprint = sizeof *gc;
  gc->enabled = 1;
  if (cfg->threshold[0] || cfg->threshold[1] || cfg->threshold[2]) {
    memcpy(gc->threshold, cfg->threshold, sizeof gc->threshold);
  } else {
    mc_gc_config d;
    mc_gc_config_default(&d);
    memcpy(gc->threshold, d.threshold, sizeof gc->threshold);
  }
  gc->young_limit = cfg->young_bytes;
  if (!gc->young_limit) {
    mc_gc_config d;
    mc_gc_config_default(&d);
    gc->young_limit = d.young_bytes;
  }
  gc->heap_limit = cfg->heap_limit;
  gc->young_scale = !cfg->young_fixed && gc->young_limit != SIZE_MAX;
  gc->policy = cfg->policy;
  gc->growth = cfg->heap_growth ? cfg->heap_growth : MC_GC_HEAP_GROWTH;
  gc->young_frac = cfg->young_fraction ? cfg->young_fraction : MC_GC_YOUNG_FRACTION;
  gc->max_growth = cfg->heap_max_growth ? cfg->heap_max_growth : MC_GC_HEAP_MAX_GROWTH;
  gc->torture = cfg->torture != 0;
  mc__update_triggers(gc);
  if (mc__vec_grow(gc, &gc->stack) != MC_OK) {
    mc_gc_free(gc);
    return MC_ENOMEM;
  }
  *out = gc;
  return MC_OK;
}

void mc_gc_free(mc_gc *gc) {
  if (!gc) return;
  if (mc__gc_is_rc(gc)) {
    mc__rc_free(gc);
    return;
  }
  for (mc__pool *p = gc->pools, *next; p; p = next) {
    next = p->next;
    while (p->pages) mc__page_release(gc, p->pages);
    mc__raw_free(gc, p, sizeof *p, MC_ALIGN_DEFAULT);
  }
  for (int g = 0; g < 4; g++)
    while (gc->lgen[g]) mc__large_release(gc, gc->lgen[g]);
  mc__spare_drop(gc);
  mc__map_free(gc, &gc->pages);
  mc__map_free(gc, &gc->large);
  mc__map_free(gc, &gc->roots);
  mc__vec_free(gc, &gc->touched[0]);
  mc__vec_free(gc, &gc->touched[1]);
  mc__vec_free(gc, &gc->rem);
  mc__vec_free(gc, &gc->stack);
  mc__vec_free(gc, &gc->garbage);
  mc_alloc_free(gc->backing, gc, sizeof *gc, MC_ALIGN_DEFAULT);
}
