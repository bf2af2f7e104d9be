/* mc_gc_mark.c — one collection of generations 0..g: mark, (SAVEALL), sweep, remembered set.
 *
 * The invariants this file keeps (and relies on) are I1-I10 in mc_gc_internal.h.
 *
 * Mark. Mark bits are clear between collections. Roots are the registered slots, the garbage
 * list and, for objects older than g, the remembered set: only their slots are visited, never
 * the rest of the old generation. A reached object of generation <= g gets its mark bit and,
 * if it has a type, goes onto an explicit mark stack (a vector; no recursion, so a list of 10^6
 * nodes costs a deep stack of nothing). If the stack cannot grow, marking goes on with what it
 * has and then rescans every marked object of the condemned set until nothing new is reached
 * (Boehm's mark-stack overflow recovery).
 *
 * Sweep. A young collection (g < 2) walks only the pages allocated into since the last
 * collection of generation g (gc->touched[g]: generations 0..g live nowhere else) and the large
 * lists of those generations: unmarked blocks are freed (their metadata byte cleared),
 * survivors are promoted to g + 1 with their mark bit cleared (CPython merges the survivors of
 * every collected generation into the next). A full collection walks every page.
 * Pages left empty go back to the backing allocator after collections of generation >= 1.
 *
 * When to collect (the triggers, the heap policy) is mc_gc_policy.c's: it is told after each
 * sweep (mc__policy_collected) and sets the next triggers (mc__update_triggers). */
#define _POSIX_C_SOURCE 199309L
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mc_gc_internal.h"

uint64_t mc__now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void mc__emit(mc_gc *gc, const char *fmt, ...) {
  if (!gc->sink) return;
  char buf[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  gc->sink(buf, gc->sink_arg);
}

/* ---- marking ---------------------------------------------------------------------------- */

typedef struct mark_ctx {
  mc_gc *gc;
  int gen;
} mark_ctx;

static inline void mark_value(mc_gc *gc, int gen, void *p) {
  void *obj;
  const mc_type *t;
  size_t sz;
  mc__large *l;
  if ((uintptr_t)p < MC__TOKEN_LIMIT) return;
  uint8_t *m = mc__find_hot(gc, p, &obj, &t, &sz, &l);
  if (!m) return;
  uint8_t v = *m;
  if (!(v & MC__M_ALLOC) || (v & MC__M_MARK) || MC__GEN(v) > gen) return;
  *m = (uint8_t)(v | MC__M_MARK);
  if (!t) return;
  void *e = l ? (void *)((uintptr_t)l | 1) : obj;
  if (mc__vec_push(gc, &gc->stack, e) != MC_OK) gc->mark_overflow = 1;
}

static void mark_visit(void **slot, void *arg) {
  mark_ctx *c = arg;
  mark_value(c->gc, c->gen, *slot);
}

/* Visits the slots of a stack entry (small object or tagged large header). */
static void scan_entry(mc_gc *gc, int gen, void *e) {
  assert(e && gen >= 0 && gen <= 2);
  const mc_type *t;
  char *obj;
  size_t size;
  if ((uintptr_t)e & 1) {
    mc__large *l = (mc__large *)((uintptr_t)e & ~(uintptr_t)1);
    t = l->type, obj = l->obj, size = l->size;
  } else {
    mc__page *pg = mc__page_of(e);
    /* the object's own size (as allocated or last resized), not its slot's: slots past it
     * are not the object's (issue 20.2) */
    t = pg->type, obj = e, size = mc__slot_requested(pg, mc__slot_index(pg, e));
  }
  assert(t);                        /* only typed objects are pushed */
  if (t->kind == MC_TYPE_OFFSETS) { /* the common case, inlined */
    for (size_t i = 0; i < t->noffsets; i++)
      if (t->offsets[i] + sizeof(void *) <= size)
        mark_value(gc, gen, *(void **)(obj + t->offsets[i]));
  } else if (t->kind == MC_TYPE_PTR_ARRAY) {
    for (size_t i = 0; i < size / sizeof(void *); i++) mark_value(gc, gen, ((void **)obj)[i]);
  } else {
    mark_ctx c = {gc, gen};
    t->trace(obj, size, mark_visit, &c);
  }
}

/* Pops and scans until the stack is empty. Popped entries wait in a small FIFO whose slots
 * were prefetched when they entered it: an object is scanned MARK_AHEAD pops after its fetch
 * started (a LIFO stack alone scans the last push next, before its cache line arrives). The
 * order stays depth-first up to the FIFO's length, so the stack stays as short as before. */
enum { MARK_AHEAD = 16 };

static void drain(mc_gc *gc, int gen) {
  void *q[MARK_AHEAD];
  unsigned head = 0, n = 0;
  for (;;) {
    while (n < MARK_AHEAD && gc->stack.n) {
      void *e = gc->stack.a[--gc->stack.n];
      __builtin_prefetch((uintptr_t)e & 1 ? ((mc__large *)((uintptr_t)e & ~(uintptr_t)1))->obj : e);
      q[(head + n++) % MARK_AHEAD] = e;
    }
    if (!n) return;
    void *e = q[head];
    head = (head + 1) % MARK_AHEAD;
    n--;
    scan_entry(gc, gen, e);
  }
}

/* Calls fn on every live object of generation <= gen (frozen ones when gen is 3). Small
 * objects of a young collection come from the young vectors, so duplicates are possible. */
typedef void (*each_fn)(mc_gc *gc, int gen, uint8_t *m, void *obj, const mc_type *t, mc__large *l);

static void each_in_page(mc_gc *gc, mc__page *pg, int gen, each_fn fn) {
  for (uint32_t i = 0; i < pg->nslots; i++) {
    uint8_t *m = &pg->meta[i];
    if ((*m & MC__M_ALLOC) && MC__GEN(*m) <= gen)
      fn(gc, gen, m, pg->data + (size_t)i * pg->size, pg->type, NULL);
  }
}

static void for_each_condemned(mc_gc *gc, int gen, each_fn fn) {
  if (gen < 2) {
    for (size_t i = 0; i < gc->touched[gen].n; i++)
      each_in_page(gc, gc->touched[gen].a[i], gen, fn);
  } else {
    for (mc__pool *p = gc->pools; p; p = p->next)
      for (mc__page *pg = p->pages; pg; pg = pg->next) each_in_page(gc, pg, gen, fn);
  }
  for (int k = 0; k <= (gen < 3 ? gen : 3); k++)
    for (mc__large *l = gc->lgen[k]; l; l = l->next) fn(gc, gen, &l->meta, l->obj, l->type, l);
}

static void rescan_one(mc_gc *gc, int gen, uint8_t *m, void *obj, const mc_type *t, mc__large *l) {
  if (!t || !(*m & MC__M_MARK)) return;
  scan_entry(gc, gen, l ? (void *)((uintptr_t)l | 1) : obj);
  drain(gc, gen);
}

static void mark_all(mc_gc *gc, int gen) {
  drain(gc, gen);
  while (gc->mark_overflow) {
    gc->mark_overflow = 0;
    for_each_condemned(gc, gen, rescan_one);
  }
}

static void scan_frozen(mc_gc *gc, int gen, uint8_t *m, void *obj, const mc_type *t, mc__large *l) {
  if (t && MC__GEN(*m) == MC__FROZEN) {
    scan_entry(gc, gen - 1, l ? (void *)((uintptr_t)l | 1) : obj); /* gen - 1 == 2 */
    drain(gc, gen - 1);
  }
}

static void mark_roots(mc_gc *gc, int gen) {
  for (size_t i = 0; i < gc->roots.cap; i++)
    if (gc->roots.keys[i]) mark_value(gc, gen, *(void **)gc->roots.keys[i]);
  for (size_t i = 0; i < gc->garbage.n; i++) mark_value(gc, gen, gc->garbage.a[i]);
  for (size_t i = 0; i < gc->rem.n; i++) {
    void *obj;
    const mc_type *t;
    size_t sz;
    mc__large *l;
    uint8_t *m = mc__find(gc, gc->rem.a[i], &obj, &t, &sz, &l);
    if (!m || !t || (*m & (MC__M_ALLOC | MC__M_REM)) != (MC__M_ALLOC | MC__M_REM)) continue;
    if (MC__GEN(*m) > gen) scan_entry(gc, gen, l ? (void *)((uintptr_t)l | 1) : obj);
  }
  if (gc->rem_lost) for_each_condemned(gc, MC__FROZEN, scan_frozen);
  mark_all(gc, gen);
}

/* ---- SAVEALL and debug output ------------------------------------------------------------ */

static void save_one(mc_gc *gc, int gen, uint8_t *m, void *obj, const mc_type *t, mc__large *l) {
  (void)gen, (void)l;
  if (!t || (*m & (MC__M_MARK | MC__M_TMP)) || MC__GEN(*m) == MC__FROZEN) return;
  if (mc__vec_push(gc, &gc->garbage, obj) != MC_OK) return; /* not saved: freed by the sweep */
  *m |= MC__M_TMP;
}

/* Moves every unreachable tracked object to the garbage list and keeps what it reaches. */
static size_t save_all(mc_gc *gc, int gen) {
  size_t first = gc->garbage.n;
  for_each_condemned(gc, gen, save_one);
  for (size_t i = first; i < gc->garbage.n; i++) {
    void *obj;
    const mc_type *t;
    size_t sz;
    mc__large *l;
    uint8_t *m = mc__find(gc, gc->garbage.a[i], &obj, &t, &sz, &l);
    *m &= (uint8_t)~MC__M_TMP;
    if (gc->debug & MC_GC_DEBUG_COLLECTABLE)
      mc__emit(gc, "gc: collectable <%s %p>", t->name ? t->name : "?", obj);
    mark_value(gc, gen, obj);
  }
  mark_all(gc, gen);
  return gc->garbage.n - first;
}

/* ---- sweeping ----------------------------------------------------------------------------- */

typedef struct sweep_out {
  size_t collected; /* unreachable tracked objects freed */
  size_t survivors; /* tracked objects promoted or kept */
  size_t reclaimed; /* bytes */
} sweep_out;

static void reclaim_large(mc_gc *gc, mc__large *l, sweep_out *o) {
  if (l->type) {
    o->collected++;
    if (gc->debug & MC_GC_DEBUG_COLLECTABLE)
      mc__emit(gc, "gc: collectable <%s %p>", l->type->name ? l->type->name : "?", l->obj);
  }
  gc->st.live--;
  gc->st.requested -= l->size;
  o->reclaimed += l->size;
  mc__large_release(gc, l);
}

static void sweep_large(mc_gc *gc, int gen, int target, sweep_out *o) {
  for (int k = gen; k >= 0; k--) {
    mc__large *l = gc->lgen[k], *next;
    for (; l; l = next) {
      next = l->next;
      if (l->meta & MC__M_MARK) {
        l->meta &= (uint8_t)~MC__M_MARK;
        o->survivors += l->type != NULL;
        if (k != target) {
          mc__large_unlink(gc, l);
          mc__large_link(gc, l, target);
        }
      } else {
        reclaim_large(gc, l, o);
      }
    }
  }
}

/* Sweeps one page for a collection of generations 0..gen: unmarked objects of those
 * generations die (their metadata byte is cleared: the slot is free), marked ones move to
 * target. Eight metadata bytes at a time are skipped when all are free. */
#define zero_bytes mc__zero_bytes

/* Number of bytes flagged in a zero_bytes() mask (bit 7 only): a multiply, no popcount. */
static inline uint32_t count_flags(uint64_t m) {
  return (uint32_t)(((m >> 7) * 0x0101010101010101ull) >> 56);
}

/* A sweep of generations 0..gen, eight slots at a time (no debug output, 1-byte slack).
 * Per metadata byte: allocated (bit 0), marked (bit 1), generation (bits 2-3; 3 = frozen). A
 * byte of a condemned generation dies (-> 0) unless marked; marked ones get generation target
 * and lose the mark (keeping REM); every other byte stays. */
static void sweep_page_swar(mc_gc *gc, mc__page *pg, int gen, int target, sweep_out *o) {
  const uint64_t ones = 0x0101010101010101ull;
  uint8_t *meta = pg->meta;
  uint32_t n = pg->nslots, i = 0, live = 0, dead = 0, surv = 0;
  size_t dead_slack = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, meta + i, 8);
    if (!w) continue;
    if (w == ones) { /* eight unmarked generation-0 objects: the common young death */
      uint64_t sl;
      memcpy(&sl, pg->slack + i, 8);
      dead_slack += (size_t)((sl * ones) >> 56);
      dead += 8;
      memset(meta + i, 0, 8);
      continue;
    }
    uint64_t al = w & ones, mk = (w >> 1) & ones, b2 = (w >> 2) & ones, b3 = (w >> 3) & ones;
    uint64_t in = gen == 0 ? ~(b2 | b3) : gen == 1 ? ~b3 : ~(b2 & b3);
    uint64_t d = al & ~mk & in & ones, sv = al & mk & in & ones;
    if (d | sv) {
      uint64_t dm = d * 0xFF, sm = sv * 0xFF;
      uint64_t promoted = (w & ~(0x0E * ones)) | ((uint64_t)target << 2) * ones;
      w = (w & ~(dm | sm)) | (promoted & sm);
      memcpy(meta + i, &w, 8);
      if (d) {
        uint64_t sl;
        memcpy(&sl, pg->slack + i, 8);
        dead_slack += (size_t)(((sl & dm) * ones) >> 56);
        dead += (uint32_t)((d * ones) >> 56);
      }
      surv += (uint32_t)((sv * ones) >> 56);
    }
    live += 8 - count_flags(zero_bytes(w));
  }
  for (; i < n; i++) {
    uint8_t m = meta[i];
    if (!m) continue;
    if (MC__GEN(m) > gen) {
      live++;
    } else if (m & MC__M_MARK) {
      meta[i] = (uint8_t)((m & ~(MC__M_MARK | MC__M_GEN)) | (target << MC__M_GENSH));
      live++;
      surv++;
    } else {
      meta[i] = 0;
      dead++;
      dead_slack += pg->slack[i];
    }
  }
  pg->nlive = (int32_t)live;
  size_t dead_req = (size_t)dead * pg->size - dead_slack;
  if (pg->type) {
    o->collected += dead;
    o->survivors += surv;
  }
  gc->st.live -= dead;
  gc->st.requested -= dead_req;
  o->reclaimed += dead_req;
  if (live < n) mc__page_has_room(pg);
}

static void sweep_page(mc_gc *gc, mc__page *pg, int gen, int target, sweep_out *o) {
  assert(gen >= 0 && gen <= 2 && target == (gen < 2 ? gen + 1 : 2));
  if (!pg->wide && !(gc->debug & MC_GC_DEBUG_COLLECTABLE)) {
    sweep_page_swar(gc, pg, gen, target, o);
    return;
  }
  uint8_t *meta = pg->meta;
  uint32_t n = pg->nslots, live = 0, dead = 0, surv = 0;
  size_t dead_req = 0; /* bytes requested by the dead */
  uint8_t promoted = (uint8_t)(MC__M_ALLOC | (target << MC__M_GENSH));
  for (uint32_t i = 0; i < n; i++) {
    if ((i & 7) == 0 && i + 8 <= n) {
      uint64_t w;
      memcpy(&w, meta + i, 8);
      if (!w) {
        i += 7;
        continue;
      }
    }
    uint8_t m = meta[i];
    if (!m) continue;
    if (MC__GEN(m) > gen) {
      live++;
    } else if (m & MC__M_MARK) {
      meta[i] = (uint8_t)(promoted | (m & MC__M_REM));
      live++;
      surv++;
    } else {
      if ((gc->debug & MC_GC_DEBUG_COLLECTABLE) && pg->type)
        mc__emit(gc, "gc: collectable <%s %p>", pg->type->name ? pg->type->name : "?",
                 (void *)(pg->data + (size_t)i * pg->size));
      meta[i] = 0;
      dead++;
      dead_req += mc__slot_requested(pg, i);
    }
  }
  pg->nlive = (int32_t)live;
  if (pg->type) {
    o->collected += dead;
    o->survivors += surv;
  }
  gc->st.live -= dead;
  gc->st.requested -= dead_req;
  o->reclaimed += dead_req;
  if (live < n) mc__page_has_room(pg);
}

static void clear_touched(mc_gc *gc, int k) {
  for (size_t i = 0; i < gc->touched[k].n; i++) ((mc__page *)gc->touched[k].a[i])->touched[k] = 0;
  gc->touched[k].n = 0;
}

static void sweep_young(mc_gc *gc, int gen, sweep_out *o) {
  assert(gen == 0 || gen == 1);
  mc__vec *v = &gc->touched[gen];
  for (size_t i = 0; i < v->n; i++) sweep_page(gc, v->a[i], gen, gen + 1, o);
  clear_touched(gc, 0);
  if (gen == 1) clear_touched(gc, 1);
  sweep_large(gc, gen, gen + 1, o);
}

static void sweep_full(mc_gc *gc, sweep_out *o) {
  for (mc__pool *p = gc->pools; p; p = p->next)
    for (mc__page *pg = p->pages; pg; pg = pg->next) sweep_page(gc, pg, 2, 2, o);
  clear_touched(gc, 0);
  clear_touched(gc, 1);
  sweep_large(gc, 2, 2, o);
}

/* ---- the remembered set after a collection ----------------------------------------------- */

typedef struct young_ctx {
  mc_gc *gc;
  int gen;   /* the holder's generation */
  int found; /* a slot points to a younger object */
} young_ctx;

static void young_visit(void **slot, void *arg) {
  young_ctx *c = arg;
  void *obj;
  const mc_type *t;
  size_t sz;
  mc__large *l;
  uint8_t *m = mc__find(c->gc, *slot, &obj, &t, &sz, &l);
  if (m && (*m & MC__M_ALLOC) && MC__GEN(*m) < c->gen) c->found = 1;
}

static void rebuild_remembered(mc_gc *gc) {
  size_t j = 0;
  for (size_t i = 0; i < gc->rem.n; i++) {
    void *obj;
    const mc_type *t;
    size_t sz;
    mc__large *l;
    uint8_t *m = mc__find(gc, gc->rem.a[i], &obj, &t, &sz, &l);
    if (!m || !t || (*m & (MC__M_ALLOC | MC__M_REM | MC__M_TMP)) != (MC__M_ALLOC | MC__M_REM))
      continue;
    young_ctx c = {gc, MC__GEN(*m), 0};
    mc_type_visit(t, obj, sz, young_visit, &c);
    if (c.found) {
      *m |= MC__M_TMP;
      gc->rem.a[j++] = obj;
    } else {
      *m &= (uint8_t)~MC__M_REM;
    }
  }
  gc->rem.n = j;
  for (size_t i = 0; i < j; i++) {
    void *obj;
    const mc_type *t;
    size_t sz;
    mc__large *l;
    uint8_t *m = mc__find(gc, gc->rem.a[i], &obj, &t, &sz, &l);
    *m &= (uint8_t)~MC__M_TMP;
  }
}

/* After a collection that had lost remembered entries (rem_lost: it scanned every frozen object
 * instead of the remembered ones), the frozen objects that hold younger pointers are remembered
 * again (invariant I7): the survivors are of generation 2 now, younger than the frozen, and the
 * next full collection reaches them through the remembered set only. */
static void remember_frozen_one(mc_gc *gc, int gen, uint8_t *m, void *obj, const mc_type *t,
                                mc__large *l) {
  (void)gen;
  if (!t || MC__GEN(*m) != MC__FROZEN || (*m & MC__M_REM)) return;
  mc__page *pg = l ? NULL : mc__page_of(obj);
  size_t size = l ? l->size : mc__slot_requested(pg, mc__slot_index(pg, obj));
  young_ctx c = {gc, MC__FROZEN, 0};
  mc_type_visit(t, obj, size, young_visit, &c);
  if (!c.found) return;
  if (mc__vec_push(gc, &gc->rem, obj) != MC_OK) {
    gc->rem_lost = 1; /* lost again: the next collection scans every frozen object again */
    return;
  }
  *m |= MC__M_REM;
}

static void release_empty_pages(mc_gc *gc) {
  for (mc__pool *p = gc->pools; p; p = p->next)
    for (mc__page *pg = p->pages, *next; pg; pg = next) {
      next = pg->next;
      if (pg->nlive == 0 && p->cur != pg) mc__page_retire_empty(gc, pg);
    }
}

/* ---- one collection ----------------------------------------------------------------------- */

static void run_callbacks(mc_gc *gc, const mc_gc_info *info) {
  for (int i = 0; i < gc->ncbs; i++) gc->cbs[i].fn(info, gc->cbs[i].arg);
}

size_t mc__collect(mc_gc *gc, int gen) {
  if (gc->collecting || gc->roots_lost) return 0;
  mc__win_close(gc); /* counters exact; every object's age is about to change */
  mc__stats_peaks(&gc->st);
  if (gen < 0 || gen > 2 || gc->rem_lost) gen = 2;
  assert(gc->stack.n == 0 && !gc->mark_overflow); /* I1 */
  gc->collecting = 1;
  mc_gc_info info = {0, gen, 0, 0, 0, gc->st.footprint, 0};
  run_callbacks(gc, &info);
  uint64_t t0 = mc__now_ns();
  mc__retire_current(gc);
  int lost = gc->rem_lost;
  mark_roots(gc, gen);
  gc->rem_lost = 0;
  sweep_out o = {0, 0, 0};
  if (gc->debug & MC_GC_DEBUG_SAVEALL) o.collected = save_all(gc, gen);
  if (gen < 2)
    sweep_young(gc, gen, &o);
  else
    sweep_full(gc, &o);
  rebuild_remembered(gc);
  if (lost) for_each_condemned(gc, MC__FROZEN, remember_frozen_one);
  if (gen >= 1) {
    if (gen == 2) mc__spare_trim(gc); /* spares idle since the last full collection go back */
    release_empty_pages(gc);
    if (gen == 2) gc->spare_low = gc->nspare;
  }
  /* CPython's bookkeeping */
  if (gen + 1 < MC_GC_NGEN) gc->count[gen + 1]++;
  for (int i = 0; i <= gen; i++) gc->count[i] = 0;
  if (gen == 1) gc->long_lived_pending += o.survivors;
  if (gen == 2) {
    gc->long_lived_pending = 0;
    gc->long_lived_total = o.survivors;
  }
  mc__policy_collected(gc, gen);
  gc->young_bytes = 0;
  mc__update_triggers(gc); /* the nursery and the goal follow the heap */
  uint64_t dt = mc__now_ns() - t0;
  mc_gc_stats *s = &gc->gstats[gen];
  s->collections++;
  s->collected += o.collected;
  s->pause_ns_total += dt;
  if (dt > s->pause_ns_max) s->pause_ns_max = dt;
  s->bytes_before = info.heap_before;
  s->bytes_after = gc->st.footprint;
  gc->st.collections++;
  gc->st.reclaimed += o.reclaimed;
  gc->st.pause_ns_total += dt;
  if (dt > gc->st.pause_ns_max) gc->st.pause_ns_max = dt;
  if (gc->debug & MC_GC_DEBUG_STATS)
    mc__emit(gc,
             "gc: generation %d: collected %zu, uncollectable 0, survivors %zu, pause %llu ns, "
             "heap %zu -> %zu bytes",
             gen, o.collected, o.survivors, (unsigned long long)dt, info.heap_before,
             gc->st.footprint);
  info.phase = 1;
  info.collected = o.collected;
  info.pause_ns = dt;
  info.heap_after = gc->st.footprint;
  run_callbacks(gc, &info);
  gc->collecting = 0;
  return o.collected;
}
