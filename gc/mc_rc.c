/* mc_rc.c — the reference-counting collected heap (model MC_GC_REFCOUNT of mc_gc.h): Python's
 * own memory model behind mc_alloc. Blocks carry counts of the references held by managed
 * blocks; acyclic garbage is freed by counting, cycles by CPython's detector (mc_rc_detect.c).
 *
 * Deferred reference counting (Deutsch & Bobrow 1976; the zero-count table of Baden 1983).
 * A block's count is the number of pointer slots of live managed blocks that point into it:
 * mc_store(al, obj, slot, value) with obj a managed block increments value's count and
 * decrements the old *slot's (the barrier runs before the store and reads the old value).
 * Roots and C variables are not counted, so plain C stores into root slots stay legal, as the
 * structures already do. A count that reaches 0 — and every new block, which starts at 0 —
 * puts the block in the zero-count table (ZCT). At safe points the ZCT is reconciled against
 * the registered roots: the blocks a root slot points to are marked, then every ZCT block
 * whose count is still 0 and that no root points to is freed. Freeing a block decrements the
 * counts of its referents; those that reach 0 go onto the same table, which the
 * reconciliation drains as a LIFO work list: the cascade is a loop, never a recursion, so
 * dropping a list of 10^7 nodes or a tree of depth 10^6 costs no C stack (CPython needs its
 * "trashcan" for this). The alternative, immediate counting of roots too, would make every
 * plain store into a header field a bug; deferring also keeps a fresh block alive exactly as
 * long as the tracing heap does (until the next allocation point), which is mc_alloc.h's rule.
 *
 * THE BOUND. Reconciliation runs at the start of every allocation that is the
 * max(MC__RC_PERIOD = 1024, number of registered roots)-th since the previous one (every
 * allocation in torture mode), before every detection, and in mc_gc_collect. A block whose last
 * reference goes (a heap slot overwritten, the block holding it freed, or a root slot cleared)
 * is freed by the end of the first reconciliation after that, that is within
 * max(1024, roots) allocations; its unreferenced referents are freed in the same
 * reconciliation. The cost is O(roots + blocks entering the table) per reconciliation:
 * amortised O(1) per allocation and per store.
 *
 * Invariants (between operations):
 *  - the count of every live block equals the number of pointer slots of live, non-NOREF
 *    managed blocks (within their requested size, as the type's visitor sees them) pointing
 *    into it, plus the slots of a resized-away or explicitly freed block that still point to it;
 *  - every live block whose count is 0 has flag MC__RC_ZCT and is listed in the ZCT vector, or
 *    in young[0] from young_new on (new blocks: one push serves as both lists), or zct_lost;
 *  - tracked (typed, not NOREF, not UNTRACKED) blocks of generation 0 are on young[0] (unless
 *    a push failed: then full detections find them), of generation 1 on young[1] (the vectors
 *    may also hold stale or repeated entries: readers check the bits);
 *  - an untracked block points to no typed block (below).
 *
 * Layout. Blocks have no header: small blocks (<= 8 KiB, align <= 16) live in 64 KiB pages of
 * one (type, size class), with an 8-byte side record per slot (count: 4 bytes, requested size:
 * 2, metadata: 1; one record, so a lookup touches one cache line), so a 16-byte node costs 24
 * bytes (glibc: 32). Freed slots go on the page's free list and are reused first. Large blocks
 * get their own 64 KiB-aligned backing block with a header. A three-level table maps every
 * 64 KiB chunk to its page or large header (with a direct-mapped cache in front), so any
 * pointer is found or rejected (foreign pointers are never counted) without reading memory we
 * do not own. A page records its type's pointer slots as a word mask when they fit one
 * (type_ptrmask: offset lists and pointer arrays within 64 words, no repeated offset), so the
 * free cascade frees its blocks without a call per slot and finds a referent on the same page
 * without a lookup (casc_step_page); other blocks take mc_type_visit.
 *
 * The common paths are written for the instruction count (cachegrind, binary-trees 14: 1670M
 * instructions before, 1535M after): an allocation of the latest small size and type with no
 * safe-point work due is inline in rc_alloc (one store for the side record); the barrier makes
 * no call unless the old value's count must fall or an older holder must be tracked (tail calls,
 * so it saves no registers); settle_new and the cascade look a block up on the previous one's
 * page first, and the cascade adds its counters up in registers.
 *
 * free and resize (mc_alloc.h's contract for this model). An explicit free releases the
 * block's own references at once (its referents' counts drop); if no heap slot points to the
 * block it is freed now, else it stays as an untracked, reference-less husk (NOREF) until its
 * count reaches 0, so no count ever dangles. A resize that moves copies the block: the new
 * block takes over the old one's references (their counts are raised for it before the old
 * block is freed as above); an in-place resize recounts the slots of its old and new extents.
 *
 * Detection (mc_rc_detect.c) runs on tracked blocks only: leaves hold no pointers and cannot
 * be in a cycle. disable() stops only the detector: counting still frees acyclic garbage.
 *
 * Untracking (CPython's MAINTAIN_TRACKING for dicts, _PyTuple_MaybeUntrack for tuples, adapted
 * to mutable blocks). RULE: an untracked block (flag UNTRACKED: typed, in no generation, not in
 * get_objects, is_tracked false, as CPython's gc.is_tracked({}) is False) has no pointer slot
 * that points to a typed block (NULL, foreign, zero-size tokens and leaves only). A typed block
 * starts untracked (its slots are zeroed); mc_store tracks obj (generation 0: listed on young[0],
 * already there if allocated since the last reconciliation, flag NEW) the moment it stores a
 * pointer to a typed block into it, before any safe point can run; a resize that moves passes
 * the old block's tracking to the new one (an untracked one's copied slots point to leaves);
 * an in-place resize only zeroes or drops slots; a husk (NOREF) holds no counted reference;
 * freeze moves tracked blocks only, so an untracked block is never frozen and is tracked into
 * generation 0 like a new one. SAFE: a cycle through a block
 * leaves it through a slot pointing to a typed block (every block on a cycle holds a pointer,
 * so is typed), so every block on a cycle is tracked, and a detection's candidate set holds it;
 * an untracked block's references go to leaves only, never to a candidate, so leaving it out
 * changes no candidate's gc_refs (a full detection may still start from the roots alone).
 * A mutable block is never untracked again. A block of an MC_TYPE_IMMUTABLE type (CPython's
 * tuple: its slots are set while it is built) may point to untracked blocks of such a type
 * (flagged SHARED) and stay untracked, two ways: built so (a store into the latest allocation,
 * no detection since, of an untracked tuple-like block other than itself leaves it untracked,
 * as CPython 3.14 creates a tuple of untracked items untracked: gh-139951), or untracked by a
 * young detection it survives once it points to such blocks only (untrack_tuples:
 * mc_rc_detect.c). RULE then: such a block points to untracked SHARED blocks of such a type, or
 * to untyped ones, and the argument above still holds: a cycle of untracked blocks cannot form,
 * as every such edge goes to a block untracked before its holder was (allocated, for one built
 * untracked; a detection untracks a block after those it points to), and a later store into
 * one tracks it. If a store tracks a SHARED block, an untracked block may point to a tracked
 * one (h->hazard): a young detection then sees that reference as an outside one (it keeps,
 * never frees, what it holds) and the next full detection first tracks every untracked block
 * that points to a typed one, so the plain rule holds again. mc__rc_verify checks the rule.
 * Generation 0's count is CPython 3.14's (gh-139951): blocks tracked minus tracked blocks
 * freed, so the schedule (700/10/10) follows the tracked blocks; under CPython 3.11's (every
 * typed allocation minus every typed block freed, tracked or not) binary-trees ran one
 * detection per 700 nodes, each finding its tree's nodes untracked already. On binary-trees no
 * node is ever tracked: no detection runs (rc costs what rc-off does).
 *
 * Cost, measured (README's table has the commands; pinned, interleaved runs). binary-trees 21:
 * rc 0.87x glibc's malloc/free in elapsed time (16.3 s against 18.7 s; user 15.5 against 18.3),
 * no detection at all (CPython 3.14's tuple and count rules above); depth 18, 1.13x (user +
 * sys; rc-off the same). Before those rules, on a slower machine of this kind: 1.15x at depth
 * 21 and 1.19x at 18, generation 0 taking 9.4 of 45 s at depth 21 (every interior node of a
 * tree under construction went through one detection); 1.48x and 1.34x before untrack_tuples,
 * 1.8x and 1.5x before this file's paths were rewritten for the instruction count, 2.2x before
 * untracking. perf at depth 18 (then): the free cascade 26 % (its misses: the slots of a block no
 * longer cached, its referents' side records), reconciliation 15 %, allocation 15 %, the
 * detector 17 %, the barrier 8 %. Instructions (cachegrind, binary-trees 14): 1563M, about 480 a
 * node. Tried and not kept: side records next to their blocks (stride size + 8: depth 18 7.16 s
 * against 7.15 s, branch `inline`, 426c9ce); a ring of 8 blocks in flight in the cascade,
 * prefetched (no faster: 6.54 s against 6.51 s at depth 18); full detections that look only at
 * what can have become garbage since the previous one (branch `incfull`: found correct, but
 * CPython's full collection walks every tracked object, which is the cost its long-lived rule
 * exists for, and this model is here to show that cost); reconciling every 1024 allocations
 * instead of 64 while generation 0 is over its threshold (5.05 s against 4.90 s at depth 18).
 * On the cycles workload (2M nodes in rings of 64, all in cache) rc takes 1.1x tracing's elapsed
 * time and 2.0x its user time (tracing pays page faults for the heap it grows between
 * collections): the detector is half of rc's time (perf), about 15 ns per candidate; its acyclic
 * twin (chains) runs faster under rc than under tracing (elapsed). Peak footprint stays
 * below glibc's (24 bytes per 16-byte node: no header). */
#define _POSIX_C_SOURCE 199309L
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mc_rc_internal.h"

/* ---- small helpers ---------------------------------------------------------------------- */

uint64_t mc__rc_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void mc__rc_emit(mc__rc *h, const char *fmt, ...) {
  if (!h->sink) return;
  char buf[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  h->sink(buf, h->sink_arg);
}

static void *raw_alloc(mc__rc *h, size_t size, size_t align) {
  void *p = mc_alloc_new(h->backing, size, align, NULL);
  if (p) {
    h->st.footprint += size;
    mc__stats_peaks(&h->st);
  }
  return p;
}

static void raw_free(mc__rc *h, void *p, size_t size, size_t align) {
  h->st.footprint -= size;
  mc_alloc_free(h->backing, p, size, align);
}

/* Block memory (pages, large blocks) obeys the heap limit; tables do not. */
static void *obj_alloc(mc__rc *h, size_t size, size_t align) {
  if (h->heap_limit && (h->st.footprint > h->heap_limit || size > h->heap_limit - h->st.footprint))
    return NULL;
  return raw_alloc(h, size, align);
}

/* Grows the array *a of n used and *cap elements of elem bytes to hold need (at least
 * doubling, 1024 at first): MC_OK, or MC_ENOMEM with the array untouched. */
static int array_grow(mc__rc *h, void **a, size_t *cap, size_t n, size_t elem, size_t need) {
  size_t c = *cap ? *cap * 2 : 1024;
  while (c < need) c *= 2;
  void *b = raw_alloc(h, c * elem, MC_ALIGN_DEFAULT);
  if (!b) return MC_ENOMEM;
  if (n) memcpy(b, *a, n * elem);
  if (*cap) raw_free(h, *a, *cap * elem, MC_ALIGN_DEFAULT);
  *a = b;
  *cap = c;
  return MC_OK;
}

int mc__rc_vec_grow(mc__rc *h, mc__rc_vec *v) {
  void *a = v->a;
  int rc = array_grow(h, &a, &v->cap, v->n, sizeof *v->a, 0);
  v->a = a;
  return rc;
}

int mc__rc_cvec_grow(mc__rc *h, mc__rc_cvec *v, size_t need) {
  void *a = v->a;
  int rc = array_grow(h, &a, &v->cap, v->n, sizeof *v->a, need);
  v->a = a;
  return rc;
}

static void vec_free(mc__rc *h, mc__rc_vec *v) {
  if (v->cap) raw_free(h, v->a, v->cap * sizeof *v->a, MC_ALIGN_DEFAULT);
  memset(v, 0, sizeof *v);
}

/* ---- the roots map ----------------------------------------------------------------------- */

static size_t hash(uintptr_t k, size_t cap) {
  return (size_t)((k * 0x9E3779B97F4A7C15ull) >> 32) & (cap - 1);
}

static uintptr_t map_get(const mc__rc_map *m, uintptr_t key) {
  if (!m->cap) return 0;
  for (size_t i = hash(key, m->cap);; i = (i + 1) & (m->cap - 1)) {
    if (m->keys[i] == key) return m->vals[i];
    if (!m->keys[i]) return 0;
  }
}

static void map_release(mc__rc *h, mc__rc_map *m) {
  if (m->cap) {
    raw_free(h, m->keys, m->cap * sizeof *m->keys, MC_ALIGN_DEFAULT);
    raw_free(h, m->vals, m->cap * sizeof *m->vals, MC_ALIGN_DEFAULT);
  }
  memset(m, 0, sizeof *m);
}

static int map_put(mc__rc *h, mc__rc_map *m, uintptr_t key, uintptr_t val) {
  for (size_t i = m->cap ? hash(key, m->cap) : 0; m->cap && m->keys[i]; i = (i + 1) & (m->cap - 1))
    if (m->keys[i] == key) { /* a key already there: updated, never a growth (cannot fail) */
      m->vals[i] = val;
      return MC_OK;
    }
  if ((m->n + 1) * 2 > m->cap) {
    size_t cap = m->cap ? m->cap * 2 : 64;
    uintptr_t *keys = raw_alloc(h, cap * sizeof *keys, MC_ALIGN_DEFAULT);
    uintptr_t *vals = keys ? raw_alloc(h, cap * sizeof *vals, MC_ALIGN_DEFAULT) : NULL;
    if (!vals) {
      if (keys) raw_free(h, keys, cap * sizeof *keys, MC_ALIGN_DEFAULT);
      return MC_ENOMEM;
    }
    memset(keys, 0, cap * sizeof *keys);
    for (size_t i = 0; i < m->cap; i++) {
      if (!m->keys[i]) continue;
      size_t j = hash(m->keys[i], cap);
      while (keys[j]) j = (j + 1) & (cap - 1);
      keys[j] = m->keys[i];
      vals[j] = m->vals[i];
    }
    size_t n = m->n;
    map_release(h, m);
    m->keys = keys, m->vals = vals, m->cap = cap, m->n = n;
  }
  size_t i = hash(key, m->cap);
  while (m->keys[i] && m->keys[i] != key) i = (i + 1) & (m->cap - 1);
  if (!m->keys[i]) m->n++;
  m->keys[i] = key;
  m->vals[i] = val;
  return MC_OK;
}

static void map_del(mc__rc_map *m, uintptr_t key) {
  if (!m->cap) return;
  size_t mask = m->cap - 1, i = hash(key, m->cap);
  while (m->keys[i] != key) {
    if (!m->keys[i]) return;
    i = (i + 1) & mask;
  }
  for (size_t j = (i + 1) & mask; m->keys[j]; j = (j + 1) & mask) {
    size_t k = hash(m->keys[j], m->cap);
    if (((j - k) & mask) >= ((j - i) & mask)) {
      m->keys[i] = m->keys[j];
      m->vals[i] = m->vals[j];
      i = j;
    }
  }
  m->keys[i] = 0;
  m->n--;
}

/* ---- the registered roots -------------------------------------------------------------- */

#define ROOT_COUNT(v) ((v)&0xffffffffu)     /* a roots map value: registrations */
#define ROOT_INDEX(v) ((size_t)((v) >> 32)) /* ... and the slot's index in rootv */

/* Registers slot once more: MC_OK or MC_ENOMEM (nothing changed). */
static int root_add(mc__rc *h, void **slot) {
  uintptr_t v = map_get(&h->roots, (uintptr_t)slot);
  if (v) return map_put(h, &h->roots, (uintptr_t)slot, v + 1);
  if (mc__rc_vec_push(h, &h->rootv, slot) != MC_OK) return MC_ENOMEM;
  if (map_put(h, &h->roots, (uintptr_t)slot, (uintptr_t)(h->rootv.n - 1) << 32 | 1) != MC_OK) {
    h->rootv.n--;
    return MC_ENOMEM;
  }
  return MC_OK;
}

/* Drops one registration of slot (none: nothing); the last one takes it out of rootv, whose
 * last entry moves into its place. */
static void root_remove(mc__rc *h, void **slot) {
  uintptr_t v = map_get(&h->roots, (uintptr_t)slot);
  if (!v) return;
  if (ROOT_COUNT(v) > 1) {
    (void)map_put(h, &h->roots, (uintptr_t)slot, v - 1); /* an update: cannot fail */
    return;
  }
  size_t i = ROOT_INDEX(v), last = h->rootv.n - 1;
  if (i != last) {
    void **moved = h->rootv.a[last];
    uintptr_t mv = map_get(&h->roots, (uintptr_t)moved);
    h->rootv.a[i] = moved;
    (void)map_put(h, &h->roots, (uintptr_t)moved, (uintptr_t)i << 32 | ROOT_COUNT(mv));
  }
  h->rootv.n--;
  map_del(&h->roots, (uintptr_t)slot);
}

/* ---- the chunk directory ---------------------------------------------------------------- */

static int dir_set(mc__rc *h, uintptr_t addr, mc__rc_page *v) {
  uintptr_t c = addr >> 16;
  if (c >> 32) return MC_ENOMEM; /* beyond 48-bit addresses: never on supported systems */
  mc__rc_page **l2 = h->dir[c >> 20];
  if (!l2) {
    if (!v) return MC_OK;
    l2 = raw_alloc(h, 1024 * sizeof *l2, MC_ALIGN_DEFAULT);
    if (!l2) return MC_ENOMEM;
    memset(l2, 0, 1024 * sizeof *l2);
    h->dir[c >> 20] = l2;
  }
  mc__rc_page **l3 = (mc__rc_page **)l2[(c >> 10) & 1023];
  if (!l3) {
    if (!v) return MC_OK;
    l3 = raw_alloc(h, 1024 * sizeof *l3, MC_ALIGN_DEFAULT);
    if (!l3) return MC_ENOMEM;
    memset(l3, 0, 1024 * sizeof *l3);
    l2[(c >> 10) & 1023] = (mc__rc_page *)(void *)l3;
    h->ndir++;
  }
  l3[c & 1023] = v;
  size_t k = c & (MC__RC_PCACHE - 1);
  if (h->pcache[k].chunk == c) { /* the cache never disagrees with the directory */
    h->pcache[k].chunk = v ? c : 0;
    h->pcache[k].page = v;
  }
  return MC_OK;
}

static void dir_free(mc__rc *h) {
  for (size_t i = 0; i < 4096; i++) {
    mc__rc_page **l2 = h->dir[i];
    if (!l2) continue;
    for (size_t j = 0; j < 1024; j++)
      if (l2[j]) raw_free(h, l2[j], 1024 * sizeof *l2, MC_ALIGN_DEFAULT);
    raw_free(h, l2, 1024 * sizeof *l2, MC_ALIGN_DEFAULT);
    h->dir[i] = NULL;
  }
}

/* ---- size classes: 16..256 by 16, then four classes per power of two up to 8192 ---------- */

static inline uint32_t size_class(size_t size) {
  if (size <= 256) return (uint32_t)((size + 15) / 16 - 1);
  size_t s = size - 1;
  int b = 63 - __builtin_clzll((unsigned long long)s);
  return (uint32_t)(16 + (b - 8) * 4 + ((s >> (b - 2)) & 3));
}

static uint32_t class_size(uint32_t cls) {
  if (cls < 16) return (cls + 1) * 16;
  uint32_t g = (cls - 16) / 4, k = (cls - 16) % 4;
  return (256u << g) + (k + 1) * (64u << g);
}

/* ---- pools and pages -------------------------------------------------------------------- */

static mc__rc_pool *pool_find(mc__rc *h, const mc_type *type, uint32_t cls);

/* The pool of (type, class): the last one used (inline), else pool_find. */
static inline mc__rc_pool *pool_for(mc__rc *h, const mc_type *type, uint32_t cls) {
  mc__rc_pool *last = h->last_pool;
  if (__builtin_expect(last && last->type == type && last->cls == cls, 1)) return last;
  return pool_find(h, type, cls);
}

static __attribute__((noinline)) mc__rc_pool *pool_find(mc__rc *h, const mc_type *type,
                                                        uint32_t cls) {
  size_t k = (((uintptr_t)type >> 4) ^ ((uintptr_t)type >> 11) ^ (cls * 7u)) & 63;
  if (h->cache[k].pool && h->cache[k].type == type && h->cache[k].cls == cls)
    return h->last_pool = h->cache[k].pool;
  mc__rc_pool *p = h->pools;
  while (p && !(p->type == type && p->cls == cls)) p = p->next;
  if (!p) {
    p = raw_alloc(h, sizeof *p, MC_ALIGN_DEFAULT);
    if (!p) return NULL;
    memset(p, 0, sizeof *p);
    p->type = type;
    p->cls = cls;
    p->size = class_size(cls);
    p->next = h->pools;
    h->pools = p;
  }
  h->cache[k].type = type;
  h->cache[k].cls = cls;
  h->cache[k].pool = p;
  h->last_pool = p;
  return p;
}

static void avail_add(mc__rc_pool *pool, mc__rc_page *pg) {
  pg->in_avail = 1;
  pg->aprev = NULL;
  pg->anext = pool->avail;
  if (pool->avail) pool->avail->aprev = pg;
  pool->avail = pg;
}

static void avail_remove(mc__rc_pool *pool, mc__rc_page *pg) {
  if (pg->aprev)
    pg->aprev->anext = pg->anext;
  else
    pool->avail = pg->anext;
  if (pg->anext) pg->anext->aprev = pg->aprev;
  pg->in_avail = 0;
  pg->anext = pg->aprev = NULL;
}

/* The pointer slots of a slot of size bytes of type t as a word mask (bit k: word k), if they
 * can be one: a leaf (none), pointer arrays and offset lists within 64 words, word-aligned and
 * without repeats (mc_type_visit would visit a repeated offset twice). Returns 0 if not. */
static int type_ptrmask(const mc_type *t, size_t size, uint64_t *mask) {
  *mask = 0;
  if (!t) return 1;
  if (size > 64 * sizeof(void *)) return 0;
  if (t->kind == MC_TYPE_PTR_ARRAY) {
    size_t w = size / sizeof(void *);
    *mask = w >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << w) - 1;
    return 1;
  }
  if (t->kind != MC_TYPE_OFFSETS) return 0;
  for (size_t i = 0; i < t->noffsets; i++) {
    size_t o = t->offsets[i];
    if (o % sizeof(void *) || o / sizeof(void *) >= 64) return 0;
    uint64_t bit = (uint64_t)1 << (o / sizeof(void *));
    if (*mask & bit) return 0;
    *mask |= bit;
  }
  return 1;
}

static mc__rc_page *page_new(mc__rc *h, mc__rc_pool *pool) {
  mc__rc_page *pg;
  if (h->spare) {
    pg = h->spare;
    h->spare = *(void **)pg;
    h->nspare--;
    if (h->nspare < h->spare_low) h->spare_low = h->nspare;
  } else {
    pg = obj_alloc(h, MC__RC_PAGE, MC__RC_PAGE);
    if (!pg) return NULL;
  }
  if (dir_set(h, (uintptr_t)pg, pg) != MC_OK) {
    raw_free(h, pg, MC__RC_PAGE, MC__RC_PAGE);
    return NULL;
  }
  h->npages++;
  size_t hdr = sizeof *pg, size = pool->size;
  size_t n = (MC__RC_PAGE - hdr - 16) / (size + sizeof(mc__rc_side));
  while (((hdr + n * sizeof(mc__rc_side) + 15) & ~(size_t)15) + n * size > MC__RC_PAGE) n--;
  memset(pg, 0, hdr); /* side records are written when their slot is first handed out */
  pg->data = (char *)pg + ((hdr + n * sizeof(mc__rc_side) + 15) & ~(size_t)15);
  pg->kind = MC__RC_KIND_PAGE;
  pg->size = (uint32_t)size;
  pg->nslots = (uint32_t)n;
  pg->type = pool->type;
  pg->pool = pool;
  pg->recip = ((uint64_t)1 << 32) / size + 1;
  pg->masked = (uint32_t)type_ptrmask(pool->type, size, &pg->ptrmask);
  pg->next = pool->pages;
  if (pool->pages) pool->pages->prev = pg;
  pool->pages = pg;
  return pg;
}

static void page_retire(mc__rc *h, mc__rc_page *pg) {
  mc__rc_pool *pool = pg->pool;
  if (h->hot == pg) h->hot = NULL;
  if (pool->cur == pg) pool->cur = NULL;
  if (pg->in_avail) avail_remove(pool, pg);
  if (pg->prev)
    pg->prev->next = pg->next;
  else
    pool->pages = pg->next;
  if (pg->next) pg->next->prev = pg->prev;
  dir_set(h, (uintptr_t)pg, NULL);
  h->npages--;
  if (h->nspare < MC__RC_SPARE || h->nspare < h->npages) {
    *(void **)pg = h->spare;
    h->spare = pg;
    h->nspare++;
  } else {
    raw_free(h, pg, MC__RC_PAGE, MC__RC_PAGE);
  }
}

/* Empty pages are kept as spares up to as many as are in use (at least MC__RC_SPARE): a heap
 * that breathes (binary-trees builds and drops trees) then stops paying the backing allocator,
 * and the kernel's page faults, for every page (binary-trees 18: 47,116 page faults with 64
 * spares at most, system time 0.47 s; glibc's malloc 8,468). Spares never raise the peak
 * footprint (they were in use before) and count in it while kept. Every MC__RC_TRIM
 * reconciliations (about 256K allocations), the spares that sat unused since the previous trim
 * go back beyond the first MC__RC_SPARE (jemalloc's decay, in one step; the tracing heap does
 * the same at its full collections), unless the heap took spares from below the level the
 * previous trim left (it is growing into them: trimming them in the middle of a tree's build
 * cost binary-trees 21 four seconds of system time): when the heap stays small, the curve
 * comes down. */
static void spare_release(mc__rc *h) {
  void *pg = h->spare;
  h->spare = *(void **)pg;
  h->nspare--;
  raw_free(h, pg, MC__RC_PAGE, MC__RC_PAGE);
}
static void spare_trim(mc__rc *h) {
  if (h->spare_low >= h->spare_mark) {
    size_t idle = h->spare_low < h->nspare ? h->spare_low : h->nspare;
    for (; idle > 0 && h->nspare > MC__RC_SPARE; idle--) spare_release(h);
  }
  h->spare_low = h->spare_mark = h->nspare;
  h->trim_clock = 0;
}

/* A slot of pool when the current page has none: a page with room, else a new one. */
static __attribute__((noinline)) char *slot_refill(mc__rc *h, mc__rc_pool *pool) {
  mc__rc_page *pg = pool->cur;
  for (;;) {
    if (pg) {
      if (pg->free) {
        char *o = pg->free;
        pg->free = *(void **)o;
        return o;
      }
      if (pg->nused < pg->nslots) return pg->data + (size_t)pg->nused++ * pg->size;
    }
    if (pool->avail) {
      pg = pool->avail;
      avail_remove(pool, pg);
    } else {
      pg = page_new(h, pool);
      if (!pg) return NULL;
    }
    pool->cur = pg;
  }
}

/* A slot of pool: the current page's free list or bump (inline), else slot_refill. */
static inline char *slot_take(mc__rc *h, mc__rc_pool *pool) {
  mc__rc_page *pg = pool->cur;
  if (__builtin_expect(pg != NULL, 1)) {
    if (pg->free) {
      char *o = pg->free;
      pg->free = *(void **)o;
      return o;
    }
    if (pg->nused < pg->nslots) return pg->data + (size_t)pg->nused++ * pg->size;
  }
  return slot_refill(h, pool);
}

/* ---- counting ---------------------------------------------------------------------------- */

static inline void incref(mc__rc *h, void *p) {
  mc__rc_ref r;
  if (mc__rc_find(h, p, &r)) ++*r.rc;
}

/* An untracked block r gets a pointer to a typed block: it joins generation 0 (CPython's
 * MAINTAIN_TRACKING) and its count (CPython 3.14's: tracked objects, not allocations). A block
 * allocated since the last reconciliation is on young[0] already; an older one is pushed there
 * (if that fails, full detections still find it). */
static inline void track(mc__rc *h, mc__rc_meta *meta, void *obj) {
  mc__rc_meta m = *meta;
  *meta = (mc__rc_meta)(m & ~MC__RC_UNTRACKED);
  h->count[0]++;
  if (m & MC__RC_SHARED) h->hazard = 1; /* an untracked block may point to it */
  if (m & MC__RC_NEW) return;
  (void)mc__rc_vec_push(h, &h->young[0], obj);
}

void mc__rc_zct_add(mc__rc *h, mc__rc_meta *meta, void *obj) {
  if (*meta & MC__RC_ZCT) return;
  if (mc__rc_vec_push(h, &h->zct, obj) != MC_OK) {
    h->zct_lost = 1; /* the next reconciliation walks every block */
    return;
  }
  *meta |= MC__RC_ZCT;
}

#define view_size mc__rc_view

static void visit_inc(void **slot, void *arg) {
  if (*slot) incref(arg, *slot);
}
static void visit_dec(void **slot, void *arg) {
  if (*slot) mc__rc_decref(arg, *slot);
}

/* Drops every reference r holds (its referents' counts; zeros enter the ZCT). */
static void drop_refs(mc__rc *h, const mc__rc_ref *r) {
  const mc_type *t = r->type;
  if (!t || (*r->meta & MC__RC_NOREF)) return;
  if (t->kind == MC_TYPE_OFFSETS) { /* the common case without an indirect call per slot */
    size_t size = view_size(r);
    for (size_t i = 0; i < t->noffsets; i++)
      if (t->offsets[i] + sizeof(void *) <= size)
        visit_dec((void **)((char *)r->obj + t->offsets[i]), h);
  } else {
    mc_type_visit(t, r->obj, view_size(r), visit_dec, h);
  }
}

void mc__rc_release_large(mc__rc *h, const mc__rc_ref *r, int reclaimed) {
  mc__rc_released(h, *r->meta, r->type != NULL, r->size, reclaimed);
  mc__rc_large *l = r->large;
  if (l->prev)
    l->prev->next = l->next;
  else
    h->large = l->next;
  if (l->next) l->next->prev = l->prev;
  dir_set(h, (uintptr_t)l->obj, NULL);
  raw_free(h, l, l->total, l->align);
}

void mc__rc_page_freed(mc__rc *h, mc__rc_page *pg) {
  if (pg->nlive == 0)
    page_retire(h, pg);
  else if (!pg->in_avail)
    avail_add(pg->pool, pg);
}

/* ---- reconciliation of the zero-count table ------------------------------------------------ */

/* Drops the stale and repeated entries of young[0] (blocks freed by counting since the last
 * detection, slots reused): called when it holds twice what count[0] allows, so its length
 * stays O(count[0] + threshold) however many blocks die young between detections. */
static void young_compact(mc__rc *h) {
  mc__rc_vec *v = &h->young[0];
  size_t j = 0;
  for (size_t i = 0; i < v->n; i++) {
    mc__rc_ref r;
    if (!mc__rc_find(h, v->a[i], &r) || r.obj != v->a[i] || !r.type) continue;
    mc__rc_meta m = *r.meta;
    if ((m & (MC__RC_NOREF | MC__RC_REACH | MC__RC_UNTRACKED)) || MC__RC_GENOF(m) != 0) continue;
    *r.meta |= MC__RC_REACH; /* dedup mark, clear outside detections */
    v->a[j++] = r.obj;
  }
  v->n = j;
  for (size_t i = 0; i < j; i++) {
    mc__rc_ref r;
    if (mc__rc_find(h, v->a[i], &r)) *r.meta &= (mc__rc_meta)~MC__RC_REACH;
  }
}

/* What a cascade frees, added up and written to the heap's counters once at its end (each is
 * what mc__rc_release would have written block by block: the clamps at 0 compose). */
typedef struct casc_sums {
  uint64_t blocks, bytes, young;
} casc_sums;

/* A referent of a block the cascade frees (on page pg, or NULL) loses a reference: at 0 it goes
 * too (listed on the cascade: its flag word, so that no second lookup finds it), or waits in
 * zkeep if a root points to it (it stays listed in the ZCT). */
static inline void dec_cascade(mc__rc *h, mc__rc_page *pg, void *p) {
  mc__rc_ref r;
  if (!mc__rc_find_near(h, pg, p, &r) || *r.rc == 0 || --*r.rc) return;
  if ((*r.meta & (MC__RC_ROOTED | MC__RC_NOREF)) == MC__RC_ROOTED) {
    if (mc__rc_vec_push(h, &h->zkeep, r.obj) != MC_OK) h->zct_lost = 1;
  } else if (mc__rc_vec_push(h, &h->casc, r.meta) != MC_OK) {
    mc__rc_zct_add(h, r.meta, r.obj); /* the drain's loop frees it */
  }
}

typedef struct casc_visit_ctx {
  mc__rc *h;
  mc__rc_page *pg;
} casc_visit_ctx;
static void dec_cascade_visit(void **slot, void *arg) {
  casc_visit_ctx *c = arg;
  if (*slot) dec_cascade(c->h, c->pg, *slot);
}

/* mc__rc_release for the block in slot sd (at obj) of page pg, its counters added to s. */
static inline void casc_free_slot(mc__rc *h, mc__rc_page *pg, mc__rc_side *sd, char *obj,
                                  casc_sums *s) {
  mc__rc_meta m = sd->meta;
  if (pg->type && mc__rc_counted(m)) {
    s->young++;
    mc__rc_untrack(h, m);
  }
  s->blocks++;
  s->bytes += sd->req;
  sd->meta = 0;
  *(void **)obj = pg->free;
  pg->free = obj;
  pg->nlive--;
  if (__builtin_expect(pg->pool->cur != pg, 0)) mc__rc_page_freed(h, pg);
}

/* One block of a masked page that the cascade frees (the common case, written out so that the
 * loop keeps its state in registers): its referents lose a reference (those on its own page
 * without a lookup), then it goes. The flag word of the next block to free, or NULL. */
static inline __attribute__((always_inline)) mc__rc_meta *
casc_step_page(mc__rc *h, mc__rc_page *pg, mc__rc_side *sd, casc_sums *s) {
  char *obj = pg->data + (size_t)(sd - pg->side) * pg->size;
  mc__rc_meta m = sd->meta;
  if (!(m & MC__RC_NOREF)) {
    for (uint64_t k = mc__rc_slotmask(pg, sd->req); k; k &= k - 1) {
      void *p = ((void **)obj)[__builtin_ctzll(k)];
      if (p) dec_cascade(h, pg, p);
    }
  }
  casc_free_slot(h, pg, sd, obj, s);
  return h->casc.n ? h->casc.a[--h->casc.n] : NULL;
}

/* casc_step_page from the block whose flag word is m on, while the next block is on a masked
 * page (the sums kept in registers): the flag word of the next block for the general step, or
 * NULL when the cascade is over. */
static mc__rc_meta *casc_pages(mc__rc *h, mc__rc_meta *m, casc_sums *out) {
  casc_sums s = *out;
  mc__rc_page *pg = (mc__rc_page *)((uintptr_t)m & ~(uintptr_t)(MC__RC_PAGE - 1));
  do {
    m = casc_step_page(h, pg, (mc__rc_side *)(void *)((char *)m - offsetof(mc__rc_side, meta)), &s);
    if (!m) break;
    pg = (mc__rc_page *)((uintptr_t)m & ~(uintptr_t)(MC__RC_PAGE - 1));
  } while (pg->kind == MC__RC_KIND_PAGE && pg->masked);
  *out = s;
  return m;
}

/* Frees r (count 0, unrooted, or a husk) and, without recursion, every referent whose count
 * its going takes to 0 and that no root points to. Only a reconciliation runs it: nothing else
 * frees meanwhile, so a listed flag word stays valid until it is popped (a stale entry of the
 * ZCT or of young[0] for a block freed here is no longer found: it is skipped). Blocks of
 * masked pages take casc_step_page; large blocks and traced types the general step. */
static void cascade(mc__rc *h, const mc__rc_ref *r0) {
  mc__rc_ref r = *r0;
  casc_sums s = {0, 0, 0};
  for (;;) {
    if (r.page && r.page->masked) {
      mc__rc_meta *m = casc_pages(h, &r.page->side[r.idx].meta, &s);
      if (!m) break;
      mc__rc_at_meta(m, &r);
      continue;
    }
    const mc_type *t = r.type;
    if (t && !(*r.meta & MC__RC_NOREF)) {
      casc_visit_ctx c = {h, r.page};
      mc_type_visit(t, r.obj, view_size(&r), dec_cascade_visit, &c);
    }
    if (r.page)
      casc_free_slot(h, r.page, &r.page->side[r.idx], r.obj, &s);
    else
      mc__rc_release(h, &r, 1);
    if (!h->casc.n) break;
    mc__rc_at_meta(h->casc.a[--h->casc.n], &r);
  }
  int64_t c0 = h->count[0];
  h->count[0] = c0 > (int64_t)s.young ? (int)(c0 - (int64_t)s.young) : c0 > 0 ? 0 : (int)c0;
  h->st.live -= s.blocks;
  h->st.requested -= s.bytes;
  h->st.reclaimed += s.bytes;
}

static void mark_root(mc__rc *h, void *v, int on) {
  mc__rc_ref r;
  if (!mc__rc_find(h, v, &r)) return;
  if (on)
    *r.meta |= MC__RC_ROOTED;
  else
    *r.meta &= (mc__rc_meta)~MC__RC_ROOTED;
}

static void mark_roots(mc__rc *h, int on) {
  for (size_t i = 0; i < h->rootv.n; i++) mark_root(h, *(void **)h->rootv.a[i], on);
}

/* The blocks allocated (or tracked) since the last reconciliation (young[0] from young_new
 * on): the dead ones go (cascading onto the ZCT), the tracked survivors stay listed as
 * generation 0, the untracked ones leave the list (they are in no generation). */
static void settle_new(mc__rc *h) {
  mc__rc_vec *v = &h->young[0];
  size_t j = h->young_new;
  mc__rc_page *pg = NULL; /* the page of the previous entry: the next is mostly on it too */
  for (size_t i = j; i < v->n; i++) {
    void *p = v->a[i];
    mc__rc_ref r;
    if (!mc__rc_find_near(h, pg, p, &r)) continue; /* freed explicitly */
    if (r.obj != p) continue;
    pg = r.page;
    mc__rc_meta m = *r.meta;
    *r.meta = (mc__rc_meta)(m & ~(MC__RC_ZCT | MC__RC_NEW));
    if ((m & MC__RC_ZCT) && *r.rc == 0) {
      if ((m & (MC__RC_ROOTED | MC__RC_NOREF)) != MC__RC_ROOTED) {
        cascade(h, &r);
        pg = NULL; /* the cascade may have retired it */
        continue;
      }
      if (mc__rc_vec_push(h, &h->zkeep, p) != MC_OK) h->zct_lost = 1;
    }
    if (mc__rc_tracked(&r)) v->a[j++] = p; /* untracked survivors: in no generation */
  }
  v->n = h->young_new = j;
}

/* Pops the ZCT until empty: frees what is still at count 0 and unrooted (its referents may
 * join the table: the cascade is this loop), sets rooted zeros aside in zkeep. */
static void drain(mc__rc *h) {
  while (h->zct.n) {
    mc__rc_ref r;
    void *p = h->zct.a[--h->zct.n];
    if (!mc__rc_find(h, p, &r) || r.obj != p || !(*r.meta & MC__RC_ZCT)) continue; /* stale */
    *r.meta &= (mc__rc_meta)~MC__RC_ZCT;
    if (*r.rc) continue;
    if ((*r.meta & (MC__RC_ROOTED | MC__RC_NOREF)) == MC__RC_ROOTED) {
      if (mc__rc_vec_push(h, &h->zkeep, p) != MC_OK) h->zct_lost = 1;
      continue;
    }
    cascade(h, &r);
  }
}

static void relist_zero(mc__rc *h, mc__rc_ref *r, void *arg) {
  (void)arg;
  if (*r->rc == 0 && !(*r->meta & MC__RC_ZCT)) mc__rc_zct_add(h, r->meta, r->obj);
}

void mc__rc_reconcile(mc__rc *h) {
  if (h->reconciling) return;
  h->since = 0;
  if (++h->trim_clock >= MC__RC_TRIM) spare_trim(h);
  if (!h->zct.n && h->young_new == h->young[0].n && !h->zct_lost) return; /* nothing to do */
  h->reconciling = 1;
  mc__stats_peaks(&h->st); /* requested only falls from here on */
  mark_roots(h, 1);
  settle_new(h);
  drain(h);
  for (int round = 0; h->zct_lost && round < 64; round++) { /* a lost push: find zeros by walking */
    h->zct_lost = 0;
    mc__rc_walk(h, relist_zero, NULL);
    drain(h);
  }
  for (size_t i = 0; i < h->zkeep.n; i++) {
    mc__rc_ref r;
    if (mc__rc_find(h, h->zkeep.a[i], &r)) mc__rc_zct_add(h, r.meta, r.obj);
  }
  h->zkeep.n = 0;
  mark_roots(h, 0);
  size_t cnt = h->count[0] > 0 ? (size_t)h->count[0] : 0;
  if (h->young[0].n > 2 * (cnt + (size_t)h->threshold[0]) + MC__RC_PERIOD) young_compact(h);
  h->young_new = h->young[0].n;
  h->reconciling = 0;
}

/* ---- walking every block ------------------------------------------------------------------ */

void mc__rc_walk(mc__rc *h, mc__rc_walk_fn fn, void *arg) {
  for (mc__rc_pool *p = h->pools; p; p = p->next)
    for (mc__rc_page *pg = p->pages, *next; pg; pg = next) {
      next = pg->next;
      for (uint32_t i = 0; i < pg->nused; i++) {
        if (!(pg->side[i].meta & MC__RC_ALLOC)) continue;
        mc__rc_ref r = mc__rc_slot_ref(pg, i);
        fn(h, &r, arg);
      }
    }
  for (mc__rc_large *l = h->large, *next; l; l = next) {
    next = l->next;
    mc__rc_ref r = {&l->meta, &l->rc, l->obj, l->type, l->size, NULL, l, 0};
    fn(h, &r, arg);
  }
}

/* ---- allocation ------------------------------------------------------------------------- */

static mc__rc_large *large_try(mc__rc *h, size_t size, size_t align, const mc_type *type) {
  size_t a = align < MC_ALIGN_DEFAULT ? MC_ALIGN_DEFAULT : align;
  size_t off = (sizeof(mc__rc_large) + a - 1) & ~(a - 1);
  if (size > SIZE_MAX - off) return NULL;
  mc__rc_large *l = obj_alloc(h, off + size, MC__RC_PAGE); /* chunk-aligned: one dir entry */
  if (!l) return NULL;
  memset(l, 0, sizeof *l);
  l->obj = (char *)l + off;
  if (dir_set(h, (uintptr_t)l->obj, (mc__rc_page *)(void *)l) != MC_OK) {
    raw_free(h, l, off + size, MC__RC_PAGE);
    return NULL;
  }
  l->kind = MC__RC_KIND_LARGE;
  l->type = type;
  l->size = size;
  l->total = off + size;
  l->align = MC__RC_PAGE;
  l->next = h->large;
  if (h->large) h->large->prev = l;
  h->large = l;
  return l;
}

/* Takes the memory of a block: small slot or large block, NULL when the backing or the heap
 * limit refuses. Sets *r. */
static inline __attribute__((always_inline)) void *take(mc__rc *h, size_t size, size_t align,
                                                        const mc_type *type, mc__rc_ref *r) {
  if (__builtin_expect(align > MC_ALIGN_DEFAULT || size > MC__RC_SMALL_MAX, 0)) {
    mc__rc_large *l = large_try(h, size, align, type);
    if (!l) return NULL;
    *r = (mc__rc_ref){&l->meta, &l->rc, l->obj, type, size, NULL, l, 0};
    return l->obj;
  }
  mc__rc_pool *pool = pool_for(h, type, size_class(size));
  if (pool) h->last_size = size; /* last_pool serves this size: rc_alloc's fast path */
  char *o = pool ? slot_take(h, pool) : NULL;
  if (!o) return NULL;
  mc__rc_page *pg = pool->cur;
  h->hot = pg; /* the store that links the new block finds it without the directory */
  uint32_t i = mc__rc_slot_of(pg, o);
  pg->nlive++;
  pg->side[i].req = (uint16_t)size;
  *r = (mc__rc_ref){&pg->side[i].meta, &pg->side[i].rc, o, type, pg->size, pg, NULL, i};
  return o;
}

/* safe_point's work, when there is some (since already counts the new block). */
static __attribute__((noinline)) void safe_point_slow(mc__rc *h) {
  if (h->torture && !h->collecting && !h->reconciling) {
    int g = h->torture_next;
    h->torture_next = (g + 1) % MC_GC_NGEN;
    if (h->enabled)
      mc__rc_detect(h, g); /* reconciles first */
    else
      mc__rc_reconcile(h);
  } else if (h->since >= MC__RC_PERIOD && h->since >= h->rootv.n) {
    mc__rc_reconcile(h);
  }
  if (h->enabled && h->threshold[0] && h->count[0] > h->threshold[0] && !h->collecting &&
      !h->torture) {
    /* count[0] is allocations minus deallocations (CPython's), and at most `since` frees
     * are pending: settle them first (at most every 64 allocations), so the count is what
     * CPython's would be, where frees are immediate */
    if (h->since >= 64) mc__rc_reconcile(h);
    if ((size_t)h->count[0] > (size_t)h->threshold[0] + h->since) mc__rc_maybe_detect(h);
  }
}

/* Whether the safe point before this allocation has work: torture mode, a reconciliation due,
 * or generation 0 over its threshold (count[0] rises when a store tracks a block, and the
 * detection it calls for runs here, at the next allocation). since already counts the block. */
static inline int safe_point_due(const mc__rc *h) {
  return h->torture || h->since >= MC__RC_PERIOD || (h->count[0] > h->threshold[0] && h->enabled);
}

/* A new typed block's slots are zeroed (scanned slots never hold stale pointers): the 16-byte
 * class with two stores. */
static inline void zero_slots(void *o, size_t slot) {
  if (slot == 16)
    ((void **)o)[0] = ((void **)o)[1] = NULL;
  else
    memset(o, 0, slot);
}

/* A new block of size bytes in the stats (requested_peak catches up lazily, before anything
 * lowers requested). */
static inline void count_new(mc__rc *h, size_t size) {
  h->st.requested += size;
  h->st.total_requested += size;
  h->st.live++;
  h->st.allocs++;
}

/* The new block o (its side record or large header is r): count 0, listed once on young[0] for
 * the ZCT and generation 0 alike (flag NEW), untracked if typed (its slots are zeroed: scanned
 * slots never hold stale pointers) until mc_store gives it a typed referent; the stats. */
static inline void *born(mc__rc *h, const mc__rc_ref *r, size_t size, const mc_type *type) {
  void *o = r->obj;
  *r->rc = 0;
  if (type) zero_slots(o, r->page ? r->page->size : size);
  mc__rc_meta untracked = type ? MC__RC_UNTRACKED : 0;
  if (__builtin_expect(mc__rc_vec_push(h, &h->young[0], o) == MC_OK, 1)) {
    *r->meta = (mc__rc_meta)(MC__RC_ALLOC | MC__RC_ZCT | MC__RC_NEW | untracked); /* generation 0 */
  } else {
    *r->meta = (mc__rc_meta)(MC__RC_ALLOC | untracked);
    mc__rc_zct_add(h, r->meta, o); /* once tracked: pushed then, or found by full detections */
  }
  count_new(h, size);
  h->latest = o;
  return o;
}

/* rc_alloc's general case: the safe point's work, any size and alignment, a slot from any page
 * or a new one, the emergency detection when memory is refused. */
static __attribute__((noinline)) void *rc_alloc_slow(mc__rc *h, size_t size, size_t align,
                                                     const mc_type *type) {
  if (safe_point_due(h)) safe_point_slow(h);
  mc__rc_ref r;
  void *o = take(h, size, align, type, &r);
  if (!o && !h->collecting && !h->reconciling) { /* emergency: a full detection, then retry */
    mc__rc_detect(h, MC_GC_NGEN - 1);
    o = take(h, size, align, type, &r);
  }
  if (!o) {
    h->st.failures++;
    return NULL;
  }
  return born(h, &r, size, type);
}

/* The common case inline: no safe-point work due, the size and type of the latest small
 * allocation, a slot in its pool's current page (its free list, else the bump), room on
 * young[0]. The side record is written in one store. */
static void *rc_alloc(void *ctx, size_t size, size_t align, const mc_type *type) {
  mc__rc *h = ctx;
  h->since++;
  mc__rc_pool *pool = h->last_pool;
  mc__rc_page *pg;
  if (__builtin_expect(!safe_point_due(h) && pool && size == h->last_size && type == pool->type &&
                           align <= MC_ALIGN_DEFAULT && (pg = pool->cur) != NULL &&
                           h->young[0].n < h->young[0].cap,
                       1)) {
    char *o = pg->free;
    uint32_t i;
    if (o) {
      pg->free = *(void **)o;
      i = mc__rc_slot_of(pg, o);
    } else if (pg->nused < pg->nslots) {
      i = pg->nused++;
      o = pg->data + (size_t)i * pg->size;
    } else {
      return rc_alloc_slow(h, size, align, type);
    }
    pg->nlive++;
    h->hot = pg; /* the store that links the new block finds it without the directory */
    mc__rc_meta m = type ? MC__RC_ALLOC | MC__RC_ZCT | MC__RC_NEW | MC__RC_UNTRACKED
                         : MC__RC_ALLOC | MC__RC_ZCT | MC__RC_NEW; /* generation 0 */
    pg->side[i] = (mc__rc_side){0, (uint16_t)size, m};
    if (type) zero_slots(o, pg->size);
    h->young[0].a[h->young[0].n++] = o;
    count_new(h, size);
    h->latest = o;
    return o;
  }
  return rc_alloc_slow(h, size, align, type);
}

void *mc__rc_alloc_slow(mc_gc *gc, size_t size, const mc_type *type) {
  if (size > MC_SIZE_MAX) return NULL;
  if (size == 0) return mc__zero_block(MC_ALIGN_DEFAULT);
  return rc_alloc(mc__rc_of(gc), size, MC_ALIGN_DEFAULT, type);
}

/* ---- free and resize ---------------------------------------------------------------------- */

/* free's meaning under this model (mc_alloc.h): references go now, the block when unreferenced */
static void free_block(mc__rc *h, mc__rc_ref *r0) {
  mc__rc_ref rr = *r0, *r = &rr;
  drop_refs(h, r);
  if (*r->rc == 0) {
    mc__rc_release(h, r, 0);
    return;
  }
  /* heap slots still point to it: a husk until they are overwritten */
  if (r->type && mc__rc_counted(*r->meta)) {
    if (h->count[0] > 0) h->count[0]--;
    mc__rc_untrack(h, *r->meta);
  }
  *r->meta = (mc__rc_meta)((*r->meta & ~MC__RC_PROMOTED) | MC__RC_NOREF);
}

static void rc_free(void *ctx, void *p, size_t size, size_t align) {
  (void)size, (void)align;
  mc__rc *h = ctx;
  mc__rc_ref r;
  if (!mc__rc_find(h, p, &r) || r.obj != p || (*r.meta & MC__RC_NOREF)) return; /* ignored */
  h->st.frees++;
  mc__stats_peaks(&h->st);
  free_block(h, &r);
}

static void *rc_resize(void *ctx, void *p, size_t old_size, size_t new_size, size_t align) {
  mc__rc *h = ctx;
  mc__rc_ref r;
  if (!mc__rc_find(h, p, &r) || r.obj != p || (*r.meta & MC__RC_NOREF)) {
    h->st.failures++;
    return NULL;
  }
  size_t cur = view_size(&r);
  int typed = r.type != NULL;
  int in_place = r.page ? align <= MC_ALIGN_DEFAULT && new_size <= MC__RC_SMALL_MAX &&
                              size_class(new_size) == r.page->pool->cls
                        : new_size <= r.size && new_size * 2 > r.size && align <= r.large->align;
  if (in_place) {
    mc__stats_peaks(&h->st);
    if (typed && new_size > cur) memset((char *)p + cur, 0, new_size - cur);
    if (typed) mc_type_visit(r.type, p, new_size, visit_inc, h);
    if (typed) mc_type_visit(r.type, p, cur, visit_dec, h);
    if (typed && new_size < cur) memset((char *)p + new_size, 0, cur - new_size);
    h->st.requested = h->st.requested - cur + new_size;
    if (new_size > old_size) h->st.total_requested += new_size - old_size;
    if (r.page)
      r.page->side[r.idx].req = (uint16_t)new_size;
    else
      r.large->size = new_size;
    h->st.resizes++;
    return p;
  }
  /* p stays alive through the safe point of the allocation even if only the caller holds it */
  void *pin = p;
  if (root_add(h, &pin) != MC_OK) {
    h->st.failures++;
    return NULL;
  }
  mc__stats_peaks(&h->st);
  h->st.requested -= cur; /* the peak never sees old and new blocks at once */
  void *q = rc_alloc(h, new_size, align, r.type);
  root_remove(h, &pin);
  mc__stats_peaks(&h->st);
  h->st.requested += cur;
  if (!q) return NULL;
  memcpy(q, p, old_size < new_size ? old_size : new_size);
  if (typed) mc_type_visit(r.type, q, new_size, visit_inc, h); /* q takes over p's references */
  if (typed && !(*r.meta & MC__RC_UNTRACKED)) { /* and p's tracking (untracked: only leaves) */
    mc__rc_ref rq;
    if (mc__rc_find(h, q, &rq)) track(h, rq.meta, rq.obj);
  }
  h->st.allocs--; /* a resize, not an allocation plus a free */
  h->st.resizes++;
  if (mc__rc_find(h, p, &r)) free_block(h, &r); /* pinned: still there */
  if (new_size > old_size)
    h->st.total_requested -= old_size;
  else
    h->st.total_requested -= new_size;
  return q;
}

/* ---- barrier, roots, stats -------------------------------------------------------------- */

/* A live block (ALLOC set, not a husk: NOREF clear) that is untracked. */
static inline int to_track(mc__rc_meta m) {
  return (m & (MC__RC_ALLOC | MC__RC_UNTRACKED | MC__RC_NOREF)) ==
         (MC__RC_ALLOC | MC__RC_UNTRACKED);
}

/* The barrier's rare paths, out of line and called last (tail calls: the barrier itself keeps
 * nothing across a call, so it saves no registers). */
static __attribute__((noinline)) void barrier_old(mc__rc *h, void *old) { mc__rc_decref(h, old); }
static __attribute__((noinline)) void barrier_track(mc__rc *h, mc__rc_meta *meta, void *obj,
                                                    void *old) {
  track(h, meta, obj);
  if (old) mc__rc_decref(h, old);
}
/* Whether a store of value (a typed block whose flag word is *vm, of type vt) leaves the
 * untracked holder obj (of type ht) untracked: a tuple under construction (the latest
 * allocation, no detection since) gets an untracked tuple (CPython 3.14 builds such a tuple
 * untracked: gh-139951). The value is then flagged SHARED. Such edges go from a block to blocks
 * untracked before it was allocated, and a detection untracks a block after the ones it points
 * to: no cycle of untracked blocks forms unless a store tracks a SHARED one (the hazard). */
static inline int stays_untracked(const mc__rc *h, const void *obj, const mc_type *ht,
                                  const void *value, mc__rc_meta *vm, const mc_type *vt) {
  if (obj != h->latest || value == obj || !(ht->flags & vt->flags & MC_TYPE_IMMUTABLE) ||
      !(*vm & MC__RC_UNTRACKED))
    return 0;
  *vm |= MC__RC_SHARED;
  return 1;
}
/* obj (the holder: not on page pg, or pg NULL) now points to value, a typed block whose flag
 * word is *vm, of type vt. */
static __attribute__((noinline)) void barrier_holder(mc__rc *h, void *obj, void *old,
                                                     const void *value, mc__rc_meta *vm,
                                                     const mc_type *vt) {
  mc__rc_ref o;
  if (mc__rc_find(h, obj, &o) && to_track(*o.meta) &&
      !stays_untracked(h, o.obj, o.type, value, vm, vt))
    track(h, o.meta, o.obj);
  if (old) mc__rc_decref(h, old);
}

/* Runs before mc_store's plain store (mc_alloc.h): reads the old value, stores, recounts: the
 * value's count rises (and obj, untracked, is tracked if the value is typed: obj may now be on
 * a cycle, and its other slots point to leaves only, so the rule holds until now), the old
 * value's falls. The common case (value on the hot page, obj on its page) inline. */
static void rc_barrier(void *ctx, void *obj, void **slot, void *value) {
  mc__rc *h = ctx;
  if (!obj) return; /* a root or a C variable: not counted */
  void *old;
  memcpy(&old, slot, sizeof old);
  if (old == value)
    return; /* REQUIRES (mc_alloc.h): obj is a live typed block, slot one of
               its pointer slots: then what its free will drop matches */
  memcpy(slot, &value, sizeof value);
  mc__rc_ref r;
  if (value && mc__rc_find(h, value, &r)) {
    ++*r.rc;
    if (r.type) {
      mc__rc_page *pg = r.page;
      if (!pg || ((uintptr_t)obj & ~(uintptr_t)(MC__RC_PAGE - 1)) != (uintptr_t)pg) {
        barrier_holder(h, obj, old, value, r.meta, r.type);
        return;
      }
      uint32_t i = mc__rc_slot_of(pg, obj); /* obj shares the value's page */
      mc__rc_meta m = i < pg->nused ? pg->side[i].meta : 0;
      if (__builtin_expect(to_track(m), 0) &&
          !stays_untracked(h, obj, pg->type, value, r.meta, pg->type)) {
        if (!(m & MC__RC_NEW)) { /* an older block: pushed onto young[0] */
          barrier_track(h, &pg->side[i].meta, pg->data + (size_t)i * pg->size, old);
          return;
        }
        track(h, &pg->side[i].meta, obj); /* listed already: no push, no call */
      }
    }
  }
  if (old) barrier_old(h, old);
}

static void rc_root(void *ctx, void **slot, int add) {
  mc__rc *h = ctx;
  if (!add)
    root_remove(h, slot);
  else if (root_add(h, slot) != MC_OK)
    h->reconciling = 1; /* a root that cannot be recorded must never be reconciled under */
}

static void rc_stats(void *ctx, mc_alloc_stats *out) {
  mc__rc *h = ctx;
  mc__stats_peaks(&h->st);
  *out = h->st;
}

static const mc_alloc_vtbl rc_vtbl = {
    .name = "rc",
    .alloc = rc_alloc,
    .resize = rc_resize,
    .free = rc_free,
    .stats = rc_stats,
    .root = rc_root,
    .barrier = rc_barrier,
};

mc_alloc mc__rc_allocator(mc_gc *gc) { return (mc_alloc){&rc_vtbl, gc}; }

/* ---- lifetime --------------------------------------------------------------------------- */

int mc__rc_new(mc_gc **out, mc_alloc backing, const mc_gc_config *cfg) {
  for (int i = 0; i < MC_GC_NGEN; i++)
    if (cfg->threshold[i] < 0) return MC_EINVAL;
  mc__rc *h = mc_alloc_new(backing, sizeof *h, MC_ALIGN_DEFAULT, NULL);
  if (!h) return MC_ENOMEM;
  memset(h, 0, sizeof *h);
  h->win.model = MC_GC_REFCOUNT;
  h->backing = backing;
  h->st.footprint = sizeof *h;
  h->enabled = 1;
  if (cfg->threshold[0] || cfg->threshold[1] || cfg->threshold[2]) {
    memcpy(h->threshold, cfg->threshold, sizeof h->threshold);
  } else {
    h->threshold[0] = 700, h->threshold[1] = 10, h->threshold[2] = 10;
  }
  h->heap_limit = cfg->heap_limit;
  h->torture = cfg->torture != 0;
  *out = (mc_gc *)(void *)h;
  return MC_OK;
}

void mc__rc_free(mc_gc *gc) {
  mc__rc *h = mc__rc_of(gc);
  for (mc__rc_pool *p = h->pools, *next; p; p = next) {
    next = p->next;
    while (p->pages) {
      mc__rc_page *pg = p->pages;
      p->pages = pg->next;
      raw_free(h, pg, MC__RC_PAGE, MC__RC_PAGE);
    }
    raw_free(h, p, sizeof *p, MC_ALIGN_DEFAULT);
  }
  while (h->large) {
    mc__rc_large *l = h->large;
    h->large = l->next;
    raw_free(h, l, l->total, l->align);
  }
  mc__rc_spare_drop(h);
  dir_free(h);
  map_release(h, &h->roots);
  vec_free(h, &h->rootv);
  vec_free(h, &h->zct);
  vec_free(h, &h->zkeep);
  vec_free(h, &h->casc);
  vec_free(h, &h->young[0]);
  vec_free(h, &h->young[1]);
  vec_free(h, &h->garbage);
  vec_free(h, &h->cand);
  if (h->young_cand.cap)
    raw_free(h, h->young_cand.a, h->young_cand.cap * sizeof *h->young_cand.a, MC_ALIGN_DEFAULT);
  vec_free(h, &h->stack);
  mc_alloc_free(h->backing, h, sizeof *h, MC_ALIGN_DEFAULT);
}

void mc__rc_spare_drop(mc__rc *h) {
  while (h->spare) spare_release(h);
  h->spare_low = h->spare_mark = 0;
}
