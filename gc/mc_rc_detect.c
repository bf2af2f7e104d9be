/* mc_rc_detect.c — CPython's cycle detector (Python/gc.c: update_refs, subtract_refs,
 * move_unreachable; generations and the long-lived pending rule of collect_generations) on the
 * tracked blocks of the reference-counting heap (mc_rc.c). Written from the algorithm, no code
 * copied.
 *
 * One detection of generations 0..g:
 *  0. reconcile the zero-count table: acyclic garbage is gone first, so every count left is a
 *     reference from a live block (what a dead-but-unfreed block held would look external);
 *  1. candidates: the tracked blocks of generations <= g (frozen blocks never; untracked ones,
 *     mc_rc.c's rule, never either: they point to no typed block, so to no candidate). For
 *     g < 2 they are listed from young[0] (and young[1]) into young_cand with where their count
 *     and flags are, their count and their gc_refs (update_refs; flag CAND, and the count
 *     field holds the candidate's index until step 5); for g = 2 every tracked unfrozen block
 *     is one (no list, no flag: the predicate full_cand) and the count field becomes gc_refs;
 *  2. each root slot pointing into a candidate adds 1 to its gc_refs: roots are outside
 *     references, uncounted by the heap (the garbage list's references are counted, as CPython's
 *     gc.garbage list holds its objects: its entries are never freed by counting and, their
 *     count exceeding their internal references, are reached from outside without a scan of
 *     the list — a scan per detection and per reconciliation had made SAVEALL quadratic: 30 s
 *     and more for 1M cycle nodes, where DEBUG_SAVEALL alone took a tenth of a second);
 *  3. subtract_refs: every pointer slot of a candidate into a candidate subtracts 1; what
 *     stays positive is referenced from outside the set (older or frozen blocks, roots). A
 *     young candidate records the first two candidates it points to (the reachability pass
 *     follows their indices without a lookup; one that points to more is rescanned) and
 *     whether it points outside the set (a doomed block that points only to doomed ones needs
 *     no slot scan in step 5). The young pass prefetches ahead of itself (young blocks lie all
 *     over the heap: slots are reused from freed ones): the slots of the candidate 16 on, the
 *     side records of the referents of the one 8 on;
 *  4. move_unreachable: everything reachable from those, through candidates, gets REACH
 *     (an explicit stack, no recursion; if it cannot grow, rescans until nothing changes; a
 *     young candidate that points to no candidate is marked, never pushed). A full detection's
 *     traversal keeps the next 8 blocks to scan in a ring, each prefetched as it enters with
 *     what its scan needs (the stack takes what the ring has no room for);
 *  5. the counts are restored (young: from the list; full: internal references added back in
 *     the same page walk as the classification, roots taken off); a candidate without REACH is
 *     cyclic garbage (or hangs from it). With DEBUG_SAVEALL it goes to the garbage list (a
 *     counted reference, added once the counts are restored) and survives. Otherwise it is
 *     doomed (flag CAND kept) and freed: each doomed block drops its references to survivors
 *     (their counts fall, zeros join the ZCT) and is released; references between doomed blocks
 *     are not counted down (they all die together). A young detection restores, classifies and
 *     frees in one pass in index order (a doomed block's reference to a survivor not classified
 *     yet comes off the count saved in its record, which the restore then stores; under SAVEALL
 *     the doomed go in a second pass, every saved block known); a full one lists the doomed
 *     (h->cand) and frees them after the page walk;
 *  6. survivors move to generation g + 1 (a full detection merges everything into generation
 *     2), except, in a young detection, those of an MC_TYPE_IMMUTABLE type that point to no
 *     tracked block: they stop being tracked (CPython's untrack_tuples; untrack_survivor);
 *     CPython's counts and long-lived bookkeeping; one more reconciliation frees what only
 *     the cycles held.
 * A full detection that follows a hazard (an older untracked block tracked again: mc_rc.c's
 * untracking rule) first tracks again every untracked block that points to a typed one
 * (retrack_deep), so that every counted reference into a candidate comes from a candidate.
 * Invariant after a full detection with nothing frozen: the live blocks are exactly those
 * reachable from the roots and the garbage list (tests/gc/test_rc.c, fuzz/fuzz_gc.c check it).
 *
 * Trigger (collect_generations): the oldest generation whose count exceeds its threshold; a full
 * one only when long_lived_pending >= long_lived_total / 4. CPython counts in long_lived_pending
 * every block promoted into generation 2 since the last full collection, dead or alive; here a
 * block leaves it (and a survivor of the last full one leaves long_lived_total) when counting
 * frees it, so the rule compares the long-lived blocks still there: the growth that a full
 * detection's cost is amortised against. Cyclic garbage never dies by counting, so it still
 * counts, and full detections still come after every quarter-heap of it. On binary-trees, whose
 * promoted trees die right after, this leaves 63 full detections of 196 at depth 18.
 *
 * Memory: a young detection lists its candidates (56 bytes each: 700 to ~8000 blocks with the
 * default thresholds); a full detection none (gc_refs live in the count field and are undone
 * exactly, unsigned arithmetic, so even a wrap is undone). Only the doomed are listed (h->cand);
 * one that cannot be listed survives until the next detection, and a young block that cannot be
 * listed is no candidate (it counts as an outside reference) until the next one.
 *
 * Cost, measured (Release, pinned, interleaved with main's binary; machine shared): a young
 * detection is instruction-bound on the cycles workload (all in cache: callgrind counts about
 * 230 instructions per candidate, the two look-ups — listing and subtract_refs — about 40 % of
 * them, plus the freeing of each doomed block) and latency-bound on binary-trees (young blocks
 * scattered over the heap). binary-trees 18: full detections 18.3 -> 14.7 ms median (the
 * traversal's ring), young ones 161 -> 156 us (generation 1) and 14 us (generation 0); cycles 2M
 * 24 -> 22 us per generation-0 detection of ~770 candidates. Tried and not kept: 32-byte
 * candidate records (the block found again from its flag word: more instructions than the
 * smaller record saved, no faster), subtract_refs branch-free on candidate-or-not, listing the
 * referents of a candidate as they are met (update_refs and subtract_refs in one walk: fewer
 * cache misses, more instructions, no faster), prefetching the listing pass's side records, and
 * prefetching referents' side records in the full traversal (a second ring: 20.6 ms against 16.0;
 * from the ring's midpoint: no faster). */
#include <stddef.h>
#include <string.h>

#include "mc_rc_internal.h"

/* ---- the candidate set ------------------------------------------------------------------ */

typedef struct det {
  mc__rc *h;
  int gen;
  int overflow; /* a stack push failed during traversal */
} det;

/* mc_type_visit with the visitor known at compile time (the common kinds inline, no indirect
 * call per slot): the detector's inner loops. */
#define EACH_SLOT(t, obj, size, fn, arg)                                                           \
  do {                                                                                             \
    if ((t)->kind == MC_TYPE_OFFSETS) {                                                            \
      for (size_t s_ = 0; s_ < (t)->noffsets; s_++)                                                \
        if ((t)->offsets[s_] + sizeof(void *) <= (size))                                           \
          fn((void **)((char *)(obj) + (t)->offsets[s_]), arg);                                    \
    } else if ((t)->kind == MC_TYPE_PTR_ARRAY) {                                                   \
      for (size_t s_ = 0; s_ < (size) / sizeof(void *); s_++) fn((void **)(obj) + s_, arg);        \
    } else {                                                                                       \
      (t)->trace(obj, size, fn, arg);                                                              \
    }                                                                                              \
  } while (0)

/* Every allocated block that may be tracked (pools of leaves are skipped), as mc__rc_walk
 * does, with the body inlined: a full detection's passes over the pages call their visitor
 * directly (no walk callback, no second pointer). */
#define EACH_BLOCK(h, r, BODY)                                                                     \
  do {                                                                                             \
    for (mc__rc_pool *p_ = (h)->pools; p_; p_ = p_->next)                                          \
      for (mc__rc_page *pg_ = p_->type ? p_->pages : NULL, *nx_; pg_; pg_ = nx_) {                 \
        nx_ = pg_->next;                                                                           \
        for (uint32_t i_ = 0; i_ < pg_->nused; i_++) {                                             \
          if (!(pg_->side[i_].meta & MC__RC_ALLOC)) continue;                                      \
          mc__rc_ref r = {&pg_->side[i_].meta,                                                     \
                          &pg_->side[i_].rc,                                                       \
                          pg_->data + (size_t)i_ * pg_->size,                                      \
                          pg_->type,                                                               \
                          pg_->size,                                                               \
                          pg_,                                                                     \
                          NULL,                                                                    \
                          i_};                                                                     \
          BODY                                                                                     \
        }                                                                                          \
      }                                                                                            \
    for (mc__rc_large *l_ = (h)->large, *nx_; l_; l_ = nx_) {                                      \
      nx_ = l_->next;                                                                              \
      mc__rc_ref r = {&l_->meta, &l_->rc, l_->obj, l_->type, l_->size, NULL, l_, 0};               \
      BODY                                                                                         \
    }                                                                                              \
  } while (0)

/* A candidate of a full detection: every tracked block that is not frozen. The flag CAND is
 * not used for them (no pass sets it): classify never changes this, so counts can be restored
 * and blocks classified in one pass; CAND then marks the doomed only. */
static inline int full_cand(const mc__rc_ref *r) {
  return mc__rc_tracked(r) && MC__RC_GENOF(*r->meta) != MC__RC_FROZEN;
}

static int tracked_in(const mc__rc_ref *r, int gen) {
  return mc__rc_tracked(r) && !(*r->meta & MC__RC_CAND) && MC__RC_GENOF(*r->meta) <= gen;
}

/* Prefetches the side record of the small block p points into, when its page is in the
 * lookup's chunk cache (a hint: no address outside a registered page is read). */
static inline void prefetch_side(const mc__rc *h, const void *p) {
  uintptr_t a = (uintptr_t)p, c = a >> 16;
  size_t k = c & (MC__RC_PCACHE - 1);
  if (a < MC__RC_TOKEN_LIMIT || h->pcache[k].chunk != c) return;
  const mc__rc_page *pg = h->pcache[k].page;
  if (pg->kind != MC__RC_KIND_PAGE) return;
  uint32_t i = mc__rc_slot_of(pg, p);
  if (i < pg->nused) __builtin_prefetch(&pg->side[i]);
}

/* ---- the passes: gc_refs live in the count field, exactly undone afterwards ------------------ */

/* Roots of a full detection, +1 (outside references) or -1 (undo) per slot into a candidate.
 * The garbage list needs none: its references are counted. */
static void roots_adjust(mc__rc *h, int delta) {
  for (size_t i = 0; i < h->rootv.n; i++) {
    mc__rc_ref r;
    if (mc__rc_find(h, *(void **)h->rootv.a[i], &r) && full_cand(&r)) *r.rc += (uint32_t)delta;
  }
}

/* A young detection's candidate p points into, or NULL (during a young detection a
 * candidate's count field holds its index in young_cand). */
static inline mc__rc_cand *young_of(mc__rc *h, const void *p) {
  mc__rc_ref r;
  if (!mc__rc_find(h, p, &r) || !(*r.meta & MC__RC_CAND)) return NULL;
  return &h->young_cand.a[*r.rc];
}

/* The roots of a young detection: +1 to the gc_refs of each candidate a slot points into (the
 * garbage list's references are counted). */
static void roots_young(mc__rc *h) {
  for (size_t i = 0; i < h->rootv.n; i++) {
    mc__rc_cand *c = young_of(h, *(void **)h->rootv.a[i]);
    if (c) c->refs++;
  }
}

/* Unsigned arithmetic: subtract then add back is exact even if a count were inconsistent (a
 * wrapped value only looks reachable: conservative). */
/* subtract_refs for a young candidate: each slot into a candidate takes 1 off its gc_refs, and
 * the first MC__RC_KIDS such candidates are recorded for the reachability pass. */
typedef struct sub_ctx {
  mc__rc *h;
  mc__rc_cand *c;  /* the candidate whose slots these are */
  mc__rc_page *pg; /* its page (NULL: a large block) */
} sub_ctx;
static inline void sub_visit(void **slot, void *arg) {
  sub_ctx *s = arg;
  mc__rc_ref r;
  if (!mc__rc_find_near(s->h, s->pg, *slot, &r)) return;
  if (!(*r.meta & MC__RC_CAND)) {
    s->c->out = 1; /* a tracked block, or one that may be (mutable): CPython's MAY_BE_TRACKED */
    if (r.type && (mc__rc_tracked(&r) || !(r.type->flags & MC_TYPE_IMMUTABLE))) s->c->held = 1;
    return;
  }
  s->h->young_cand.a[*r.rc].refs--;
  if (s->c->nkids < MC__RC_KIDS)
    s->c->kid[s->c->nkids++] = *r.rc;
  else
    s->c->more = 1;
}
static inline void sub_visit_full(void **slot, void *arg) {
  mc__rc_ref r;
  if (mc__rc_find(arg, *slot, &r) && full_cand(&r)) --*r.rc;
}
static inline void add_visit_full(void **slot, void *arg) {
  mc__rc_ref r;
  if (mc__rc_find(arg, *slot, &r) && full_cand(&r)) ++*r.rc;
}

/* The traversal stack holds candidates: a young detection's by their index in young_cand, a
 * full detection's by address. */
static inline void reach_index(det *d, uint32_t j) {
  mc__rc_cand *c = &d->h->young_cand.a[j];
  if (c->reach) return;
  c->reach = 1;
  if (!c->nkids && !c->more) return; /* points to no candidate: nothing to reach from it */
  if (mc__rc_vec_push(d->h, &d->h->stack, (void *)(uintptr_t)j) != MC_OK) d->overflow = 1;
}
static inline void reach_visit(void **slot, void *arg) {
  det *d = arg;
  mc__rc_ref r;
  if (mc__rc_find(d->h, *slot, &r) && (*r.meta & MC__RC_CAND)) reach_index(d, *r.rc);
}
static inline void reach_visit_full(void **slot, void *arg) {
  det *d = arg;
  mc__rc_ref r;
  if (!mc__rc_find(d->h, *slot, &r) || (*r.meta & MC__RC_REACH) || !full_cand(&r)) return;
  *r.meta |= MC__RC_REACH;
  if (mc__rc_vec_push(d->h, &d->h->stack, r.meta) != MC_OK) d->overflow = 1;
}

/* The slots of a candidate of a young detection. */
#define CAND_SLOTS(cd, fn, arg) EACH_SLOT((cd)->type, (cd)->obj, (cd)->view, fn, arg)

/* The count field of the block whose flag word is m (a page's side record, or a large
 * header's field). */
static inline uint32_t *rc_of_meta(mc__rc_meta *m) {
  mc__rc_page *pg = (mc__rc_page *)((uintptr_t)m & ~(uintptr_t)(MC__RC_PAGE - 1));
  if (pg->kind == MC__RC_KIND_PAGE)
    return &((mc__rc_side *)(void *)((char *)m - offsetof(mc__rc_side, meta)))->rc;
  return &((mc__rc_large *)(void *)pg)->rc;
}

#define SUB_AHEAD 16 /* candidates */

static inline void prefetch_referents(const mc__rc *h, const mc__rc_cand *c) {
  const mc_type *t = c->type;
  if (t->kind != MC_TYPE_OFFSETS) return;
  for (size_t s = 0; s < t->noffsets && s < 2; s++)
    if (t->offsets[s] + sizeof(void *) <= c->view)
      prefetch_side(h, *(void **)((char *)c->obj + t->offsets[s]));
}

/* The candidates c points to: the recorded ones, or (more than recorded) its slots. */
static inline void reach_from(det *d, const mc__rc_cand *c) {
  if (__builtin_expect(c->more, 0)) {
    CAND_SLOTS(c, reach_visit, d);
    return;
  }
  for (unsigned k = 0; k < c->nkids; k++) reach_index(d, c->kid[k]);
}

static void drain_young(det *d) {
  mc__rc_cand *a = d->h->young_cand.a;
  while (d->h->stack.n) reach_from(d, &a[(uintptr_t)d->h->stack.a[--d->h->stack.n]]);
}

/* A full detection's traversal keeps the next DRAIN_AHEAD blocks to scan in a ring, each
 * prefetched when it enters (the scan's first load, of a block's slots, is otherwise a cache
 * miss per block on a heap larger than the cache), with what the scan needs (no second
 * look-up of the block); the stack takes what the ring has no room for. Prefetching each
 * referent's side record too (a second ring of the references found, looked up later) was
 * measured slower: 20.6 ms against 16.0 per full detection on binary-trees 18. */
#define DRAIN_AHEAD 8 /* a power of two */

typedef struct drain_ctx {
  det *d;
  struct {
    void *obj;
    const mc_type *type;
    size_t view;
  } ring[DRAIN_AHEAD];
  unsigned head, n;
} drain_ctx;

static inline void drain_add(drain_ctx *c, const mc__rc_ref *r) {
  __builtin_prefetch(r->obj);
  unsigned k = (c->head + c->n++) & (DRAIN_AHEAD - 1);
  c->ring[k].obj = r->obj;
  c->ring[k].type = r->type;
  c->ring[k].view = mc__rc_view(r);
}

/* reach_visit_full for the scans of drain_full: a reached block enters the ring if it has room. */
static inline void drain_visit(void **slot, void *arg) {
  drain_ctx *c = arg;
  mc__rc *h = c->d->h;
  mc__rc_ref r;
  if (!mc__rc_find(h, *slot, &r) || (*r.meta & MC__RC_REACH) || !full_cand(&r)) return;
  *r.meta |= MC__RC_REACH;
  if (c->n < DRAIN_AHEAD)
    drain_add(c, &r);
  else if (mc__rc_vec_push(h, &h->stack, r.meta) != MC_OK)
    c->d->overflow = 1;
}

/* A full detection's stack holds flag bytes (mc__rc_at_meta gives the block: no lookup). */
static void drain_full(det *d) {
  mc__rc *h = d->h;
  drain_ctx c;
  c.d = d;
  c.head = c.n = 0;
  for (;;) {
    while (c.n < DRAIN_AHEAD && h->stack.n) {
      mc__rc_ref r;
      mc__rc_at_meta(h->stack.a[--h->stack.n], &r);
      drain_add(&c, &r);
    }
    if (!c.n) return;
    unsigned k = c.head; /* taken out first: the scan may refill its place */
    void *obj = c.ring[k].obj;
    const mc_type *t = c.ring[k].type;
    size_t view = c.ring[k].view;
    c.head = (k + 1) & (DRAIN_AHEAD - 1);
    c.n--;
    EACH_SLOT(t, obj, view, drain_visit, &c);
  }
}

static inline void drop_to_survivors(void **slot, void *arg) {
  mc__rc_ref r;
  if (!mc__rc_find(arg, *slot, &r)) return;
  if (*r.meta & MC__RC_CAND) return; /* doomed too (survivors' CAND is cleared) */
  mc__rc_decref(arg, r.obj);
}

/* A doomed young candidate's slot, while the candidates are classified in index order: a
 * referent still flagged CAND holds its index in the count field (not classified yet; the
 * classified doomed are released already, the classified survivors have CAND cleared): a
 * survivor-to-be loses the reference in its saved count (restored from there), a doomed one
 * needs nothing; any other block is counted down as usual. */
static inline void drop_young(void **slot, void *arg) {
  mc__rc *h = arg;
  mc__rc_ref r;
  if (!mc__rc_find(h, *slot, &r)) return;
  if (*r.meta & MC__RC_CAND) {
    mc__rc_cand *c = &h->young_cand.a[*r.rc];
    if (c->reach == 1 && c->saved) c->saved--;
    return;
  }
  if (*r.rc && --*r.rc == 0) mc__rc_zct_add(h, r.meta, r.obj);
}

/* ---- one detection ---------------------------------------------------------------------- */

static void run_callbacks(mc__rc *h, const mc_gc_info *info) {
  for (int i = 0; i < h->ncbs; i++) h->cbs[i].fn(info, h->cbs[i].arg);
}

typedef struct outcome {
  size_t unreachable, survivors;
} outcome;

typedef struct classify_ctx {
  det d;
  outcome o;
  int save;
} classify_ctx;

/* Step 5-6 for one candidate (its count already restored): survivors move on; the unreachable
 * are saved (SAVEALL) or doomed (flag CAND; returns 1): listed in h->cand unless listed (the
 * caller keeps its own list), memory only for garbage. */
static inline int classify_block(classify_ctx *c, mc__rc_meta *meta, void *obj, const mc_type *type,
                                 int listed) {
  mc__rc *h = c->d.h;
  mc__rc_meta m = *meta;
  if (!(m & MC__RC_REACH)) {
    c->o.unreachable++;
    if (h->debug & MC_GC_DEBUG_COLLECTABLE)
      mc__rc_emit(h, "gc: collectable <%s %p>", type->name ? type->name : "?", obj);
    if (!c->save || mc__rc_vec_push(h, &h->garbage, obj) != MC_OK) {
      if (listed || mc__rc_vec_push(h, &h->cand, obj) == MC_OK) { /* doomed: flagged CAND */
        *meta = (mc__rc_meta)(m | MC__RC_CAND);
        return 1;
      }
      /* no memory to list it: it survives this detection (still unreachable: the next one) */
    }
  }
  c->o.survivors++;
  m &= (mc__rc_meta) ~(MC__RC_CAND | MC__RC_REACH | MC__RC_GEN);
  switch (c->d.gen) {
  case 0: /* into generation 1 */
    *meta = (mc__rc_meta)(m | (1 << MC__RC_GENSH));
    (void)mc__rc_vec_push(h, &h->young[1], obj); /* else: full detections find it */
    break;
  case 1: /* into generation 2: one more of long_lived_pending */
    *meta = (mc__rc_meta)(m | (2 << MC__RC_GENSH) | MC__RC_PROMOTED);
    h->long_lived_pending++;
    break;
  default: /* everything merges into generation 2, counted in long_lived_total */
    *meta = (mc__rc_meta)((m & ~MC__RC_PROMOTED) | (2 << MC__RC_GENSH));
  }
  return 0;
}

/* doomed (h->cand): drop what they hold outside the set, then go (a doomed referent already
 * released is no longer found: it needed no decrement) */
static void doom(mc__rc *h) {
  for (size_t i = 0; i < h->cand.n; i++) {
    mc__rc_ref r;
    if (!mc__rc_find(h, h->cand.a[i], &r) || !(*r.meta & MC__RC_CAND)) continue;
    EACH_SLOT(r.type, r.obj, mc__rc_view(&r), drop_to_survivors, h);
    mc__rc_release(h, &r, 1);
  }
  h->cand.n = 0;
}

/* A young detection's doomed candidate a[i] (not SAVEALL: then every unreached candidate
 * that is not saved is doomed, and classified in index order): its slots are scanned only if
 * one may hold a block that survives (outside the set, or a reached candidate), then it goes. */
static inline void doom_young(mc__rc *h, const mc__rc_cand *a, size_t i) {
  int scan = a[i].out || a[i].more;
  for (unsigned k = 0; k < a[i].nkids && !scan; k++) scan = a[a[i].kid[k]].reach == 1;
  if (scan) CAND_SLOTS(&a[i], drop_young, h);
  mc__rc_ref r;
  mc__rc_at_meta(a[i].meta, &r);
  mc__rc_release(h, &r, 1);
}

/* doom for a young detection's doomed (reach == 2) under SAVEALL (classified all first: a
 * doomed one's slots are all scanned, as saved blocks survive unreached). */
static void doom_listed(mc__rc *h, const mc__rc_cand *a, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (a[i].reach != 2) continue;
    CAND_SLOTS(&a[i], drop_to_survivors, h);
    mc__rc_ref r;
    mc__rc_at_meta(a[i].meta, &r);
    mc__rc_release(h, &r, 1);
  }
}

/* CPython's untrack_tuples, for a young detection's survivor a[i] (classified in index order):
 * a block of an MC_TYPE_IMMUTABLE type that points to no tracked block stops being tracked —
 * every block it points to is untracked already, or a leaf (a candidate it points to counts if
 * it was classified before it and untracked then; one pointing to more candidates than its
 * record holds stays tracked). Blocks are listed in allocation order and a tuple-like block is
 * built after what it points to, so a finished tree goes in one detection; otherwise it may take
 * more than one, as in CPython. Returns 1 if it was untracked (its count is then restored). */
static inline void share_visit(void **slot, void *arg) {
  mc__rc_ref r;
  if (mc__rc_find(arg, *slot, &r) && r.type) *r.meta |= MC__RC_SHARED;
}
static inline int untrack_survivor(mc__rc *h, const mc__rc_cand *a, size_t i) {
  const mc__rc_cand *c = &a[i];
  if (!(c->type->flags & MC_TYPE_IMMUTABLE) || c->held || c->more) return 0;
  for (unsigned k = 0; k < c->nkids; k++) {
    const mc__rc_cand *kid = &a[c->kid[k]];
    if (c->kid[k] >= i || !(*kid->meta & MC__RC_UNTRACKED) ||
        !(kid->type->flags & MC_TYPE_IMMUTABLE))
      return 0;
  }
  mc__rc_meta m = *c->meta;
  *c->meta = (mc__rc_meta)((m & ~(MC__RC_CAND | MC__RC_REACH | MC__RC_GEN)) | MC__RC_UNTRACKED);
  *rc_of_meta(c->meta) = c->saved;
  if (!c->saved) mc__rc_zct_add(h, c->meta, c->obj);
  if (c->nkids || c->out) CAND_SLOTS(c, share_visit, h); /* the untracked typed blocks it holds */
  return 1;
}

/* Steps 1-6 of the header for a full detection: the candidates are found by walking the pages
 * (no memory per candidate), so the counts are restored by walking the slots again, in the
 * same pass as the classification (which leaves full_cand unchanged). */
typedef struct typed_ctx {
  mc__rc *h;
  int found; /* a slot points to a typed block */
} typed_ctx;
static inline void typed_visit(void **slot, void *arg) {
  typed_ctx *t = arg;
  mc__rc_ref r;
  if (mc__rc_find(t->h, *slot, &r) && r.type) t->found = 1;
}

/* After an older untracked block was tracked again (h->hazard: stored into), an untracked
 * MC_TYPE_IMMUTABLE block may point to a tracked one, whose count then holds a reference no
 * candidate accounts for: a cycle through it would never be found. Before a full detection,
 * every untracked block that points to a typed block is tracked again (generation 2, so a
 * candidate of this detection), which restores the plain rule: untracked blocks point to no
 * typed block. O(heap), once per hazard. */
static int points_to_typed(mc__rc *h, const mc__rc_ref *r) {
  typed_ctx t = {h, 0};
  EACH_SLOT(r->type, r->obj, mc__rc_view(r), typed_visit, &t);
  return t.found;
}
static void retrack_deep(mc__rc *h) {
  EACH_BLOCK(
      h, r, *r.meta &= (mc__rc_meta)~MC__RC_SHARED;
      if ((*r.meta & (MC__RC_UNTRACKED | MC__RC_NOREF)) == MC__RC_UNTRACKED) {
        if (points_to_typed(h, &r))
          *r.meta = (mc__rc_meta)((*r.meta & ~(MC__RC_UNTRACKED | MC__RC_GEN)) |
                                  ((MC_GC_NGEN - 1) << MC__RC_GENSH));
      });
  h->hazard = 0;
}

static outcome detect_full(mc__rc *h, int save) {
  classify_ctx c = {{h, MC_GC_NGEN - 1, 0}, {0, 0}, save};
  det *d = &c.d;
  if (h->hazard) retrack_deep(h);
  /* nothing frozen: every counted reference comes from a candidate (the invariant of mc_rc.c),
   * so update_refs and subtract_refs would leave exactly the root references: skip them (and
   * their undo) and start step 4 from the roots and the garbage list */
  int from_roots = !h->any_frozen;
  h->stack.n = 0;
  if (from_roots) {
    for (size_t i = 0; i < h->rootv.n; i++) reach_visit_full((void **)h->rootv.a[i], d);
    for (size_t i = 0; i < h->garbage.n; i++) reach_visit_full(&h->garbage.a[i], d);
    drain_full(d);
  } else {
    roots_adjust(h, 1);
    EACH_BLOCK(h, r,
               if (full_cand(&r)) EACH_SLOT(r.type, r.obj, mc__rc_view(&r), sub_visit_full, h););
    EACH_BLOCK(
        h, r, if (*r.rc && !(*r.meta & MC__RC_REACH) && full_cand(&r)) {
          *r.meta |= MC__RC_REACH;
          EACH_SLOT(r.type, r.obj, mc__rc_view(&r), reach_visit_full, d);
          drain_full(d);
        });
  }
  while (d->overflow) { /* Boehm's recovery: rescan every reached candidate */
    d->overflow = 0;
    EACH_BLOCK(
        h, r, if ((*r.meta & MC__RC_REACH) && full_cand(&r)) {
          EACH_SLOT(r.type, r.obj, mc__rc_view(&r), reach_visit_full, d);
          drain_full(d);
        });
  }
  h->cand.n = 0;
  if (from_roots) {
    EACH_BLOCK(h, r, if (full_cand(&r)) classify_block(&c, r.meta, r.obj, r.type, 0););
  } else {
    roots_adjust(h, -1);
    EACH_BLOCK(
        h, r, if (full_cand(&r)) {
          EACH_SLOT(r.type, r.obj, mc__rc_view(&r), add_visit_full, h);
          classify_block(&c, r.meta, r.obj, r.type, 0);
        });
  }
  h->young[0].n = h->young[1].n = 0;
  doom(h);
  return c.o;
}

/* Steps 1-6 for generations 0..gen < 2: the candidates are listed once, with where their count
 * and flags are and the count before the detection, so the later passes need no lookup of the
 * candidates themselves and the restore is a store (no second walk of the slots). */
static outcome detect_young(mc__rc *h, int gen, int save) {
  classify_ctx c = {{h, gen, 0}, {0, 0}, save};
  det *d = &c.d;
  mc__rc_cvec *cv = &h->young_cand;
  cv->n = 0;
  /* room for every entry at once: grown rarely, so glibc never sees a large scratch array
   * freed (that raises its mmap threshold and scatters the pages: +25 % peak RSS measured) */
  size_t need = h->young[0].n + (gen > 0 ? h->young[1].n : 0);
  if (need > cv->cap) (void)mc__rc_cvec_grow(h, cv, need);
  for (int k = 0; k <= gen; k++) {
    mc__rc_vec *v = &h->young[k];
    size_t j = 0;
    mc__rc_page *pg = NULL; /* the previous entry's page: the next is mostly on it too */
    for (size_t i = 0; i < v->n; i++) {
      mc__rc_ref r;
      if (!mc__rc_find_near(h, pg, v->a[i], &r)) continue;
      pg = r.page;
      if (r.obj != v->a[i] || !tracked_in(&r, gen)) continue;
      if (cv->n == cv->cap) {
        v->a[j++] = r.obj; /* no room to list it: not a candidate (so: external) this time */
        continue;
      }
      *r.meta |= MC__RC_CAND;
      uint32_t cnt = *r.rc;
      cv->a[cv->n] =
          (mc__rc_cand){r.obj, r.type, r.meta, mc__rc_view(&r), cnt, cnt, {0}, 0, 0, 0, 0, 0};
      *r.rc = (uint32_t)cv->n++; /* the index, until the counts are restored */
    }
    v->n = j;
  }
  mc__rc_cand *a = cv->a;
  size_t n = cv->n;
  roots_young(h);
  for (size_t i = 0; i < n; i++) {
    /* young blocks lie all over the heap (slots reused from freed ones): the slots of a
     * candidate SUB_AHEAD on, then the side records of the referents of one half as far, are
     * fetched before their turn (the first two slots of a MC_TYPE_OFFSETS type) */
    if (i + SUB_AHEAD < n) __builtin_prefetch(a[i + SUB_AHEAD].obj);
    if (i + SUB_AHEAD / 2 < n) prefetch_referents(h, &a[i + SUB_AHEAD / 2]);
    mc__rc_page *pg = (mc__rc_page *)((uintptr_t)a[i].meta & ~(uintptr_t)(MC__RC_PAGE - 1));
    sub_ctx s = {h, &a[i], pg->kind == MC__RC_KIND_PAGE ? pg : NULL};
    CAND_SLOTS(&a[i], sub_visit, &s);
  }
  /* move_unreachable: the positive ones are reached from outside */
  h->stack.n = 0;
  for (size_t i = 0; i < n; i++)
    if (a[i].refs && !a[i].reach) {
      a[i].reach = 1;
      if (!a[i].nkids && !a[i].more) continue;
      if (mc__rc_vec_push(h, &h->stack, (void *)(uintptr_t)i) != MC_OK) d->overflow = 1;
      drain_young(d);
    }
  while (d->overflow) { /* Boehm's recovery: rescan every reached candidate */
    d->overflow = 0;
    for (size_t i = 0; i < n; i++)
      if (a[i].reach) {
        reach_from(d, &a[i]);
        drain_young(d);
      }
  }
  /* restore, classify and (unless SAVEALL) doom in one pass, in index order */
  for (size_t i = 0; i < n; i++) {
    mc__rc_meta *m = a[i].meta;
    if (a[i].reach && untrack_survivor(h, a, i)) {
      c.o.survivors++;
      continue;
    }
    if (a[i].reach) *m |= MC__RC_REACH;
    if (!classify_block(&c, m, a[i].obj, a[i].type, 1)) {
      *rc_of_meta(m) = a[i].saved;                     /* the count back (the index goes) */
      if (!a[i].saved) mc__rc_zct_add(h, m, a[i].obj); /* a doomed block held its last ref */
    } else if (save) {
      *rc_of_meta(m) = a[i].saved;
      a[i].reach = 2; /* doomed: after every saved block is classified */
    } else {
      doom_young(h, a, i); /* its count field keeps its index until it goes (a self-reference) */
    }
  }
  cv->n = 0;
  if (save) doom_listed(h, a, n);
  return c.o;
}

/* Steps 1-6 of the header; returns the counts. */
static outcome detect_core(mc__rc *h, int gen) {
  int save = (h->debug & MC_GC_DEBUG_SAVEALL) != 0;
  outcome o = gen >= MC_GC_NGEN - 1 ? detect_full(h, save) : detect_young(h, gen, save);
  h->young_new = h->young[0].n; /* reconciled just before: nothing new */
  return o;
}

size_t mc__rc_detect(mc__rc *h, int gen) {
  if (h->collecting || h->reconciling) return 0;
  if (gen < 0 || gen >= MC_GC_NGEN) gen = MC_GC_NGEN - 1;
  h->collecting = 1;
  mc__stats_peaks(&h->st);
  mc_gc_info info = {0, gen, 0, 0, 0, h->st.footprint, 0};
  run_callbacks(h, &info);
  uint64_t t0 = mc__rc_now_ns();
  size_t reclaimed0 = (size_t)h->st.reclaimed;
  mc__rc_reconcile(h);
  size_t saved0 = h->garbage.n;
  outcome o = detect_core(h, gen);
  h->latest = NULL; /* blocks it untracked may be older: no untracked build across it (mc_rc.c) */
  for (size_t i = saved0; i < h->garbage.n; i++) { /* the list's references, counted (step 2) */
    mc__rc_ref r;
    if (mc__rc_find(h, h->garbage.a[i], &r)) ++*r.rc;
  }
  mc__rc_reconcile(h); /* what only the cycles held */
  /* CPython's bookkeeping */
  if (gen + 1 < MC_GC_NGEN) h->count[gen + 1]++;
  for (int i = 0; i <= gen; i++) h->count[i] = 0;
  if (gen == MC_GC_NGEN - 1) {
    h->long_lived_pending = 0;
    h->long_lived_total = o.survivors;
  }
  uint64_t dt = mc__rc_now_ns() - t0;
  mc_gc_stats *s = &h->gstats[gen];
  s->collections++;
  s->collected += o.unreachable;
  s->pause_ns_total += dt;
  if (dt > s->pause_ns_max) s->pause_ns_max = dt;
  s->bytes_before = info.heap_before;
  s->bytes_after = h->st.footprint;
  h->st.collections++;
  h->st.pause_ns_total += dt;
  if (dt > h->st.pause_ns_max) h->st.pause_ns_max = dt;
  if (h->debug & MC_GC_DEBUG_STATS)
    mc__rc_emit(h,
                "gc: generation %d: collected %zu, uncollectable 0, survivors %zu, pause %llu ns, "
                "heap %zu -> %zu bytes, %zu bytes freed",
                gen, o.unreachable, o.survivors, (unsigned long long)dt, info.heap_before,
                h->st.footprint, (size_t)h->st.reclaimed - reclaimed0);
  info.phase = 1;
  info.collected = o.unreachable;
  info.pause_ns = dt;
  info.heap_after = h->st.footprint;
  run_callbacks(h, &info);
  h->collecting = 0;
  return o.unreachable;
}

/* CPython's collect_generations: the oldest generation over its threshold, a full one only
 * when the blocks promoted into generation 2 since the last full detection (still alive)
 * are at least a quarter of those that survived it (still alive): the header's Trigger. */
void mc__rc_maybe_detect(mc__rc *h) {
  for (int i = MC_GC_NGEN - 1; i >= 0; i--) {
    if (h->count[i] <= h->threshold[i]) continue;
    if (i == MC_GC_NGEN - 1 && h->long_lived_pending < h->long_lived_total / 4) continue;
    mc__rc_detect(h, i);
    return;
  }
}

/* ---- freeze ------------------------------------------------------------------------------ */

static void set_gen(mc__rc *h, mc__rc_ref *r, void *arg) {
  int from = ((int *)arg)[0], to = ((int *)arg)[1];
  mc__rc_meta m = *r->meta;
  int g = MC__RC_GENOF(m);
  if ((from < 0 ? g == MC__RC_FROZEN : g != from) || (m & MC__RC_UNTRACKED)) return;
  if (r->type && !(m & MC__RC_NOREF)) {
    if (to == MC__RC_FROZEN)
      mc__rc_untrack(h, m); /* frozen blocks are in no generation's counts */
    else if (to == MC_GC_NGEN - 1)
      h->long_lived_total++; /* unfrozen: long-lived, as if it had survived a full detection */
  }
  *r->meta = (mc__rc_meta)((m & ~(MC__RC_GEN | MC__RC_PROMOTED)) | (to << MC__RC_GENSH));
}

void mc__rc_freeze(mc_gc *gc) {
  mc__rc *h = mc__rc_of(gc);
  mc__rc_reconcile(h);
  h->any_frozen = 1;
  int arg[2] = {-1, MC__RC_FROZEN};
  mc__rc_walk(h, set_gen, arg);
  h->young[0].n = h->young[1].n = h->young_new = 0;
  h->count[0] = 0;
}

void mc__rc_unfreeze(mc_gc *gc) {
  int arg[2] = {MC__RC_FROZEN, MC_GC_NGEN - 1};
  mc__rc_walk(mc__rc_of(gc), set_gen, arg);
  mc__rc_of(gc)->any_frozen = 0;
}
