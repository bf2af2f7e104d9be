/* mc_gc_api.c — the control API in the image of Python's gc module (enable, collect, counts,
 * thresholds, stats, debug flags, callbacks, freeze, introspection).
 *
 * Introspection (get_objects, get_referrers, freeze) walks every page: like CPython's, these
 * are O(heap) debugging tools, never on an allocation path. Frozen objects form generation 3,
 * which collections neither traverse nor sweep; stores into them are remembered like stores
 * into any older object, so what they point to stays alive.
 *
 * The default heap policy (LIVE: the heap grows from measured live data) and its reasons are
 * mc_gc_policy.c's. Its thresholds: 2000000 tracked objects also end a young generation (the
 * byte trigger usually comes first), and 2 young collections before one of generation 1, kept
 * from the count-based default it replaced (issue 4: 2/4 above a young generation that grows
 * with the heap was the fastest whose peak RSS stayed below Boehm's; CPython's 700/10/10
 * spends its time in collection set-up with 16-byte nodes). */
#include <string.h>

#include "mc_gc_internal.h"
#include "mc_rc_internal.h"

void mc_gc_config_default(mc_gc_config *cfg) {
  memset(cfg, 0, sizeof *cfg);
  cfg->threshold[0] = 2000000;
  cfg->threshold[1] = 2;
  cfg->threshold[2] = 4;
  cfg->young_bytes = (size_t)8 << 20;
}

void mc_gc_config_refcount(mc_gc_config *cfg) {
  memset(cfg, 0, sizeof *cfg);
  cfg->threshold[0] = 700;
  cfg->threshold[1] = 10;
  cfg->threshold[2] = 10;
  cfg->model = MC_GC_REFCOUNT;
}

void mc_gc_config_python(mc_gc_config *cfg) {
  mc_gc_config_default(cfg);
  cfg->policy = MC_GC_POLICY_COUNTS;
  cfg->threshold[0] = 700;
  cfg->threshold[1] = 10;
  cfg->threshold[2] = 10;
}

/* ---- enable, collect, counts, thresholds, stats ----------------------------------------- */

int mc_gc_enable(mc_gc *gc) {
  if (mc__gc_is_rc(gc)) return mc__rc_enable(gc, 1);
  int old = gc->enabled;
  gc->enabled = 1;
  mc__update_triggers(gc);
  return old;
}

int mc_gc_disable(mc_gc *gc) {
  if (mc__gc_is_rc(gc)) return mc__rc_enable(gc, 0);
  int old = gc->enabled;
  gc->enabled = 0;
  mc__update_triggers(gc);
  return old;
}

int mc_gc_isenabled(const mc_gc *gc) {
  if (mc__gc_is_rc(gc)) return mc__rc_isenabled(gc);
  return gc->enabled;
}

size_t mc_gc_collect(mc_gc *gc, int generation) {
  if (mc__gc_is_rc(gc)) return mc__rc_collect(gc, generation);
  if (generation < 0 || generation >= MC_GC_NGEN) generation = MC_GC_NGEN - 1;
  size_t n = mc__collect(gc, generation);
  if (generation == MC_GC_NGEN - 1 && gc->nspare > 32) { /* asked for: give memory back now */
    gc->spare_low = gc->nspare - 32;
    mc__spare_trim(gc);
  }
  return n;
}

void mc_gc_get_count(const mc_gc *gc, int c[MC_GC_NGEN]) {
  if (mc__gc_is_rc(gc)) {
    mc__rc_get_count(gc, c);
    return;
  }
  memcpy(c, gc->count, sizeof gc->count);
  c[0] += mc__win_pending_count(gc);
}

void mc_gc_get_threshold(const mc_gc *gc, int t[MC_GC_NGEN]) {
  if (mc__gc_is_rc(gc)) {
    mc__rc_get_threshold(gc, t);
    return;
  }
  memcpy(t, gc->threshold, sizeof gc->threshold);
}

int mc_gc_set_threshold(mc_gc *gc, const int t[MC_GC_NGEN]) {
  if (mc__gc_is_rc(gc)) return mc__rc_set_threshold(gc, t);
  for (int i = 0; i < MC_GC_NGEN; i++)
    if (t[i] < 0) return MC_EINVAL;
  memcpy(gc->threshold, t, sizeof gc->threshold);
  mc__update_triggers(gc);
  return MC_OK;
}

void mc_gc_get_stats(const mc_gc *gc, mc_gc_stats s[MC_GC_NGEN]) {
  if (mc__gc_is_rc(gc)) {
    mc__rc_get_stats(gc, s);
    return;
  }
  memcpy(s, gc->gstats, sizeof gc->gstats);
}

/* ---- debug, sink, callbacks -------------------------------------------------------------- */

void mc_gc_set_debug(mc_gc *gc, int flags) {
  if (mc__gc_is_rc(gc)) {
    mc__rc_set_debug(gc, flags);
    return;
  }
  gc->debug = flags;
}
int mc_gc_get_debug(const mc_gc *gc) {
  if (mc__gc_is_rc(gc)) return mc__rc_get_debug(gc);
  return gc->debug;
}

void mc_gc_set_sink(mc_gc *gc, mc_gc_sink_fn fn, void *arg) {
  if (mc__gc_is_rc(gc)) {
    mc__rc_set_sink(gc, fn, arg);
    return;
  }
  gc->sink = fn;
  gc->sink_arg = arg;
}

int mc_gc_callback_add(mc_gc *gc, mc_gc_callback_fn fn, void *arg) {
  if (mc__gc_is_rc(gc)) return mc__rc_callback_add(gc, fn, arg);
  if (!fn) return MC_EINVAL;
  if (gc->ncbs == MC__NCB) return MC_ENOMEM;
  gc->cbs[gc->ncbs].fn = fn;
  gc->cbs[gc->ncbs].arg = arg;
  gc->ncbs++;
  return MC_OK;
}

int mc_gc_callback_remove(mc_gc *gc, mc_gc_callback_fn fn, void *arg) {
  if (mc__gc_is_rc(gc)) return mc__rc_callback_remove(gc, fn, arg);
  for (int i = 0; i < gc->ncbs; i++)
    if (gc->cbs[i].fn == fn && gc->cbs[i].arg == arg) {
      memmove(&gc->cbs[i], &gc->cbs[i + 1], (size_t)(gc->ncbs - i - 1) * sizeof gc->cbs[0]);
      gc->ncbs--;
      return MC_OK;
    }
  return MC_EINVAL;
}

void mc_gc_set_heap_limit(mc_gc *gc, size_t bytes) {
  if (mc__gc_is_rc(gc)) {
    mc__rc_set_heap_limit(gc, bytes);
    return;
  }
  gc->heap_limit = bytes;
}

/* ---- the heap policy (mc_gc_policy.c) ------------------------------------------------------ */

/* Sets the knobs at once after checking them (one rule: mc__policy_valid). */
static int set_policy(mc_gc *gc, int policy, double growth, double max_growth, double young_frac) {
  if (mc__gc_is_rc(gc) || !mc__policy_valid(policy, growth, max_growth, young_frac))
    return MC_EINVAL;
  gc->policy = policy;
  gc->growth = growth;
  gc->max_growth = max_growth;
  gc->young_frac = young_frac;
  mc__policy_knobs_changed(gc);
  return MC_OK;
}

int mc_gc_set_policy(mc_gc *gc, int policy) {
  return set_policy(gc, policy, gc->growth, gc->max_growth, gc->young_frac);
}

int mc_gc_set_heap_growth(mc_gc *gc, double growth, double max_growth) {
  return set_policy(gc, gc->policy, growth, max_growth, gc->young_frac);
}

int mc_gc_set_young_fraction(mc_gc *gc, double fraction) {
  return set_policy(gc, gc->policy, gc->growth, gc->max_growth, fraction);
}

void mc_gc_get_policy(const mc_gc *gc, mc_gc_policy_info *out) {
  memset(out, 0, sizeof *out);
  out->policy = MC_GC_POLICY_COUNTS;
  if (mc__gc_is_rc(gc)) return;
  out->policy = gc->policy;
  out->heap_growth = gc->growth;
  out->heap_max_growth = gc->max_growth;
  out->young_fraction = gc->young_frac;
  out->live = gc->live_fp;
  out->goal = gc->heap_goal;
  out->young = gc->young_trig;
}

void mc_gc_set_torture(mc_gc *gc, int on) {
  if (mc__gc_is_rc(gc)) {
    mc__rc_set_torture(gc, on);
    return;
  }
  gc->torture = on != 0;
  mc__update_triggers(gc);
}

/* ---- walking every object ------------------------------------------------------------------ */

typedef void (*walk_fn)(mc_gc *gc, uint8_t *m, void *obj, const mc_type *t, size_t size, void *arg);

static void walk(mc_gc *gc, walk_fn fn, void *arg) {
  for (mc__pool *p = gc->pools; p; p = p->next)
    for (mc__page *pg = p->pages; pg; pg = pg->next)
      for (uint32_t i = 0; i < pg->nslots; i++)
        if (pg->meta[i] & MC__M_ALLOC)
          fn(gc, &pg->meta[i], pg->data + (size_t)i * pg->size, pg->type, mc__slot_requested(pg, i),
             arg);
  for (int k = 0; k < 4; k++)
    for (mc__large *l = gc->lgen[k]; l; l = l->next)
      fn(gc, &l->meta, l->obj, l->type, l->size, arg);
}

static void set_gen(mc_gc *gc, uint8_t *m, void *obj, const mc_type *t, size_t size, void *arg) {
  (void)gc, (void)obj, (void)t, (void)size;
  int from = ((int *)arg)[0], to = ((int *)arg)[1];
  if (from < 0 ? MC__GEN(*m) != MC__FROZEN : MC__GEN(*m) == from)
    *m = (uint8_t)((*m & ~(MC__M_GEN | MC__M_MARK)) | (to << MC__M_GENSH));
}

static void move_large(mc_gc *gc, int from, int to) {
  while (gc->lgen[from]) {
    mc__large *l = gc->lgen[from];
    mc__large_unlink(gc, l);
    mc__large_link(gc, l, to);
  }
}

void mc_gc_freeze(mc_gc *gc) {
  if (mc__gc_is_rc(gc)) {
    mc__rc_freeze(gc);
    return;
  }
  mc__win_close(gc); /* the window's young objects are frozen too */
  /* Large objects first: their list is found from their generation bits, so the walk must
   * not rewrite those bits before they are moved (the walk then finds them frozen already). */
  for (int k = 0; k < 3; k++) move_large(gc, k, MC__FROZEN);
  int arg[2] = {-1, MC__FROZEN};
  walk(gc, set_gen, arg); /* leaves too: frozen containers are never traced */
  gc->count[0] = 0;
}

void mc_gc_unfreeze(mc_gc *gc) {
  if (mc__gc_is_rc(gc)) {
    mc__rc_unfreeze(gc);
    return;
  }
  mc__win_close(gc);
  move_large(gc, MC__FROZEN, 2); /* before the walk, as in mc_gc_freeze */
  int arg[2] = {MC__FROZEN, 2};
  walk(gc, set_gen, arg);
}

/* ---- listing ------------------------------------------------------------------------------ */

typedef struct list_ctx {
  int gen; /* get_objects: -1 = all but frozen */
  const void *target;
  void **out;
  size_t cap, n;
  int found;
} list_ctx;

static void add(list_ctx *c, void *obj) {
  if (c->n < c->cap) c->out[c->n] = obj;
  c->n++;
}

static void count_frozen(mc_gc *gc, uint8_t *m, void *obj, const mc_type *t, size_t size,
                         void *arg) {
  (void)gc, (void)obj, (void)size;
  if (t && MC__GEN(*m) == MC__FROZEN) ((list_ctx *)arg)->n++;
}

size_t mc_gc_get_freeze_count(const mc_gc *gc) {
  if (mc__gc_is_rc(gc)) return mc__rc_get_freeze_count(gc);
  list_ctx c = {0};
  walk((mc_gc *)gc, count_frozen, &c);
  return c.n;
}

static void objects_one(mc_gc *gc, uint8_t *m, void *obj, const mc_type *t, size_t size,
                        void *arg) {
  (void)gc, (void)size;
  list_ctx *c = arg;
  if (t && (c->gen < 0 ? MC__GEN(*m) != MC__FROZEN : MC__GEN(*m) == c->gen)) add(c, obj);
}

size_t mc_gc_get_objects(const mc_gc *gc, int generation, void **out, size_t cap) {
  if (mc__gc_is_rc(gc)) return mc__rc_get_objects(gc, generation, out, cap);
  list_ctx c = {generation, NULL, out, cap, 0, 0};
  walk((mc_gc *)gc, objects_one, &c);
  return c.n;
}

typedef struct ref_ctx {
  mc_gc *gc;
  list_ctx *c;
} ref_ctx;

static void referrer_visit(void **slot, void *arg) {
  ref_ctx *r = arg;
  void *obj;
  const mc_type *t;
  size_t sz;
  mc__large *l;
  uint8_t *m = mc__find(r->gc, *slot, &obj, &t, &sz, &l);
  if (m && (*m & MC__M_ALLOC) && obj == r->c->target) r->c->found = 1;
}

static void referrers_one(mc_gc *gc, uint8_t *m, void *obj, const mc_type *t, size_t size,
                          void *arg) {
  list_ctx *c = arg;
  if (!t || MC__GEN(*m) == MC__FROZEN) return;
  ref_ctx r = {gc, c};
  c->found = 0;
  mc_type_visit(t, obj, size, referrer_visit, &r);
  if (c->found) add(c, obj);
}

size_t mc_gc_get_referrers(const mc_gc *gc, const void *obj, void **out, size_t cap) {
  if (mc__gc_is_rc(gc)) return mc__rc_get_referrers(gc, obj, out, cap);
  list_ctx c = {0, obj, out, cap, 0, 0};
  walk((mc_gc *)gc, referrers_one, &c);
  return c.n;
}

static void referent_visit(void **slot, void *arg) {
  ref_ctx *r = arg;
  void *obj;
  const mc_type *t;
  size_t sz;
  mc__large *l;
  uint8_t *m = mc__find(r->gc, *slot, &obj, &t, &sz, &l);
  if (m && (*m & MC__M_ALLOC)) add(r->c, obj);
}

size_t mc_gc_get_referents(const mc_gc *gc, const void *obj, void **out, size_t cap) {
  if (mc__gc_is_rc(gc)) return mc__rc_get_referents(gc, obj, out, cap);
  void *o;
  const mc_type *t;
  size_t sz;
  mc__large *l;
  uint8_t *m = mc__find(gc, obj, &o, &t, &sz, &l);
  if (!m || !(*m & MC__M_ALLOC) || o != obj || !t) return 0;
  list_ctx c = {0, NULL, out, cap, 0, 0};
  ref_ctx r = {(mc_gc *)gc, &c};
  mc_type_visit(t, o, sz, referent_visit, &r);
  return c.n;
}

int mc_gc_is_tracked(const mc_gc *gc, const void *obj) {
  if (mc__gc_is_rc(gc)) return mc__rc_is_tracked(gc, obj);
  void *o;
  const mc_type *t;
  size_t sz;
  mc__large *l;
  uint8_t *m = mc__find(gc, obj, &o, &t, &sz, &l);
  return m && (*m & MC__M_ALLOC) && o == obj && t != NULL;
}

void *const *mc_gc_garbage(const mc_gc *gc, size_t *n) {
  if (mc__gc_is_rc(gc)) return mc__rc_garbage(gc, n);
  *n = gc->garbage.n;
  return gc->garbage.a;
}

void mc_gc_garbage_clear(mc_gc *gc) {
  if (mc__gc_is_rc(gc)) {
    mc__rc_garbage_clear(gc);
    return;
  }
  gc->garbage.n = 0;
}
