/* mc_rc_api.c — the control API of the reference-counting model (Python's gc module, the
 * same functions as the tracing model's mc_gc_api.c, reached through its dispatch): settings,
 * counts, callbacks, and the O(heap) introspection walks (get_objects, get_referrers, ...),
 * which like CPython's are debugging tools, never on an allocation path. */
#include <string.h>

#include "mc_rc_internal.h"

/* ---- the control API: settings ------------------------------------------------------------ */

int mc__rc_enable(mc_gc *gc, int on) {
  mc__rc *h = mc__rc_of(gc);
  int old = h->enabled;
  h->enabled = on;
  return old;
}
int mc__rc_isenabled(const mc_gc *gc) { return mc__rc_cof(gc)->enabled; }

size_t mc__rc_collect(mc_gc *gc, int generation) {
  if (generation < 0 || generation >= MC_GC_NGEN) generation = MC_GC_NGEN - 1;
  mc__rc *h = mc__rc_of(gc);
  size_t n = mc__rc_detect(h, generation);
  if (generation == MC_GC_NGEN - 1) mc__rc_spare_drop(h); /* asked for: memory back now */
  return n;
}

void mc__rc_get_count(const mc_gc *gc, int c[MC_GC_NGEN]) {
  memcpy(c, mc__rc_cof(gc)->count, sizeof mc__rc_cof(gc)->count);
}
void mc__rc_get_threshold(const mc_gc *gc, int t[MC_GC_NGEN]) {
  memcpy(t, mc__rc_cof(gc)->threshold, sizeof mc__rc_cof(gc)->threshold);
}
int mc__rc_set_threshold(mc_gc *gc, const int t[MC_GC_NGEN]) {
  for (int i = 0; i < MC_GC_NGEN; i++)
    if (t[i] < 0) return MC_EINVAL;
  memcpy(mc__rc_of(gc)->threshold, t, sizeof mc__rc_of(gc)->threshold);
  return MC_OK;
}
void mc__rc_get_stats(const mc_gc *gc, mc_gc_stats s[MC_GC_NGEN]) {
  memcpy(s, mc__rc_cof(gc)->gstats, sizeof mc__rc_cof(gc)->gstats);
}
void mc__rc_set_debug(mc_gc *gc, int flags) { mc__rc_of(gc)->debug = flags; }
int mc__rc_get_debug(const mc_gc *gc) { return mc__rc_cof(gc)->debug; }
void mc__rc_set_sink(mc_gc *gc, mc_gc_sink_fn fn, void *arg) {
  mc__rc_of(gc)->sink = fn;
  mc__rc_of(gc)->sink_arg = arg;
}

int mc__rc_callback_add(mc_gc *gc, mc_gc_callback_fn fn, void *arg) {
  mc__rc *h = mc__rc_of(gc);
  if (!fn) return MC_EINVAL;
  if (h->ncbs == MC__RC_NCB) return MC_ENOMEM;
  h->cbs[h->ncbs].fn = fn;
  h->cbs[h->ncbs].arg = arg;
  h->ncbs++;
  return MC_OK;
}

int mc__rc_callback_remove(mc_gc *gc, mc_gc_callback_fn fn, void *arg) {
  mc__rc *h = mc__rc_of(gc);
  for (int i = 0; i < h->ncbs; i++)
    if (h->cbs[i].fn == fn && h->cbs[i].arg == arg) {
      memmove(&h->cbs[i], &h->cbs[i + 1], (size_t)(h->ncbs - i - 1) * sizeof h->cbs[0]);
      h->ncbs--;
      return MC_OK;
    }
  return MC_EINVAL;
}

void mc__rc_set_heap_limit(mc_gc *gc, size_t bytes) { mc__rc_of(gc)->heap_limit = bytes; }
void mc__rc_set_torture(mc_gc *gc, int on) { mc__rc_of(gc)->torture = on != 0; }

size_t mc_gc_reconcile(mc_gc *gc) {
  if (!mc__gc_is_rc(gc)) return 0;
  mc__rc *h = mc__rc_of(gc);
  uint64_t before = h->st.reclaimed;
  mc__rc_reconcile(h);
  return (size_t)(h->st.reclaimed - before);
}

/* ---- introspection (O(heap) walks, like CPython's) ---------------------------------------- */

typedef struct list_ctx {
  int gen;
  const void *target;
  void **out;
  size_t cap, n;
  int found;
} list_ctx;

static void add(list_ctx *c, void *obj) {
  if (c->n < c->cap) c->out[c->n] = obj;
  c->n++;
}

static void objects_one(mc__rc *h, mc__rc_ref *r, void *arg) {
  (void)h;
  list_ctx *c = arg;
  int g = MC__RC_GENOF(*r->meta);
  if (mc__rc_tracked(r) && (c->gen < 0 ? g != MC__RC_FROZEN : g == c->gen)) add(c, r->obj);
}

size_t mc__rc_get_objects(const mc_gc *gc, int generation, void **out, size_t cap) {
  list_ctx c = {generation, NULL, out, cap, 0, 0};
  mc__rc_walk(mc__rc_of((mc_gc *)(uintptr_t)gc), objects_one, &c);
  return c.n;
}

size_t mc__rc_get_freeze_count(const mc_gc *gc) {
  return mc__rc_get_objects(gc, MC__RC_FROZEN, NULL, 0);
}

typedef struct ref_ctx {
  mc__rc *h;
  list_ctx *c;
} ref_ctx;

static void referrer_visit(void **slot, void *arg) {
  ref_ctx *x = arg;
  mc__rc_ref r;
  if (mc__rc_find(x->h, *slot, &r) && r.obj == x->c->target) x->c->found = 1;
}

static void referrers_one(mc__rc *h, mc__rc_ref *r, void *arg) {
  list_ctx *c = arg;
  if (!mc__rc_tracked(r) || MC__RC_GENOF(*r->meta) == MC__RC_FROZEN) return;
  ref_ctx x = {h, c};
  c->found = 0;
  mc_type_visit(r->type, r->obj, mc__rc_view(r), referrer_visit, &x);
  if (c->found) add(c, r->obj);
}

size_t mc__rc_get_referrers(const mc_gc *gc, const void *obj, void **out, size_t cap) {
  list_ctx c = {0, obj, out, cap, 0, 0};
  mc__rc_walk(mc__rc_of((mc_gc *)(uintptr_t)gc), referrers_one, &c);
  return c.n;
}

static void referent_visit(void **slot, void *arg) {
  ref_ctx *x = arg;
  mc__rc_ref r;
  if (mc__rc_find(x->h, *slot, &r)) add(x->c, r.obj);
}

size_t mc__rc_get_referents(const mc_gc *gc, const void *obj, void **out, size_t cap) {
  mc__rc *h = mc__rc_of((mc_gc *)(uintptr_t)gc);
  mc__rc_ref r;
  /* like CPython's (tp_traverse of any container), untracked blocks too */
  if (!mc__rc_find(h, obj, &r) || r.obj != obj || !r.type || (*r.meta & MC__RC_NOREF)) return 0;
  list_ctx c = {0, NULL, out, cap, 0, 0};
  ref_ctx x = {h, &c};
  mc_type_visit(r.type, r.obj, mc__rc_view(&r), referent_visit, &x);
  return c.n;
}

int mc__rc_is_tracked(const mc_gc *gc, const void *obj) {
  mc__rc_ref r;
  return mc__rc_find(mc__rc_cof(gc), obj, &r) && r.obj == obj && mc__rc_tracked(&r);
}

void *const *mc__rc_garbage(const mc_gc *gc, size_t *n) {
  *n = mc__rc_cof(gc)->garbage.n;
  return mc__rc_cof(gc)->garbage.a;
}

/* The list's counted references are dropped: the saved blocks stay (their cycles hold them)
 * until the next detection finds them again; one that nothing else references is freed at the
 * next reconciliation. */
void mc__rc_garbage_clear(mc_gc *gc) {
  mc__rc *h = mc__rc_of(gc);
  size_t n = h->garbage.n;
  h->garbage.n = 0;
  for (size_t i = 0; i < n; i++) {
    mc__rc_ref r;
    if (mc__rc_find(h, h->garbage.a[i], &r) && *r.rc > 0 && --*r.rc == 0)
      mc__rc_zct_add(h, r.meta, r.obj);
  }
}

/* ---- verify: the invariants of mc_rc.c's opening comment, checked from scratch ------------ */

typedef struct verify_ctx {
  int delta;          /* -1: take each reference off its target's count, +1: put it back */
  int bad;            /* an invariant failed */
  size_t live, bytes; /* blocks and requested bytes seen */
} verify_ctx;

typedef struct verify_visit_arg {
  mc__rc *h;
  verify_ctx *c;
  int immutable; /* verify_untracked: the holder's type is MC_TYPE_IMMUTABLE */
} verify_visit_arg;

static void verify_visit(void **slot, void *arg) {
  verify_visit_arg *a = arg;
  mc__rc_ref r;
  if (mc__rc_find(a->h, *slot, &r)) *r.rc += (uint32_t)a->c->delta;
}

/* The untracking rule (mc_rc.c): an untracked block points to no typed block, or, of an
 * MC_TYPE_IMMUTABLE type (a->immutable), to untracked (or husks, which hold nothing) ones of
 * such a type, flagged SHARED; after a SHARED block was tracked (h->hazard), to anything until
 * the next full detection. */
static void verify_untracked(void **slot, void *arg) {
  verify_visit_arg *a = arg;
  mc__rc_ref r;
  if (!mc__rc_find(a->h, *slot, &r) || !r.type || a->h->hazard) return;
  if (!a->immutable || !(r.type->flags & MC_TYPE_IMMUTABLE) || !(*r.meta & MC__RC_SHARED) ||
      mc__rc_tracked(&r))
    a->c->bad = 1;
}

static void verify_refs(mc__rc *h, mc__rc_ref *r, void *arg) {
  verify_ctx *c = arg;
  if (!r->type || (*r->meta & MC__RC_NOREF)) return;
  verify_visit_arg a = {h, c, 0};
  mc_type_visit(r->type, r->obj, mc__rc_view(r), verify_visit, &a);
}

static void verify_garbage(mc__rc *h, int delta) {
  for (size_t i = 0; i < h->garbage.n; i++) {
    mc__rc_ref r;
    if (mc__rc_find(h, h->garbage.a[i], &r)) *r.rc += (uint32_t)delta;
  }
}

static void verify_zero(mc__rc *h, mc__rc_ref *r, void *arg) {
  (void)h;
  verify_ctx *c = arg;
  if (*r->rc != 0) c->bad = 1; /* a count that is not the number of slots pointing in */
  if (*r->meta & (MC__RC_ROOTED | MC__RC_CAND | MC__RC_REACH)) c->bad = 1; /* scratch left */
  c->live++;
  c->bytes += mc__rc_view(r);
}

static void verify_listed(mc__rc *h, mc__rc_ref *r, void *arg) {
  verify_ctx *c = arg;
  if (*r->rc == 0 && !(*r->meta & MC__RC_ZCT) && !h->zct_lost) c->bad = 1; /* a lost zero */
  if ((*r->meta & MC__RC_UNTRACKED) && !r->type) c->bad = 1; /* a leaf is never a container */
  if ((*r->meta & (MC__RC_UNTRACKED | MC__RC_NOREF)) == MC__RC_UNTRACKED) {
    verify_visit_arg a = {h, c, (r->type->flags & MC_TYPE_IMMUTABLE) != 0};
    mc_type_visit(r->type, r->obj, mc__rc_view(r), verify_untracked, &a);
  }
}

/* Returns MC_OK, or MC_ESTATE if a count differs from the slots pointing into its block, a
 * zero count is in no table, an untracked block points to a typed block, scratch flags were
 * left, or the stats disagree with the blocks.
 * O(heap); for tests and fuzzing, between operations. */
int mc__rc_verify(mc_gc *gc) {
  if (!mc__gc_is_rc(gc)) return MC_EINVAL;
  mc__rc *h = mc__rc_of(gc);
  verify_ctx c = {-1, 0, 0, 0};
  mc__rc_walk(h, verify_refs, &c);
  verify_garbage(h, -1); /* the garbage list's references are counted too */
  mc__rc_walk(h, verify_zero, &c);
  c.delta = 1;
  mc__rc_walk(h, verify_refs, &c);
  verify_garbage(h, 1);
  mc__rc_walk(h, verify_listed, &c);
  if (c.live != h->st.live || c.bytes != h->st.requested) c.bad = 1;
  return c.bad ? MC_ESTATE : MC_OK;
}
