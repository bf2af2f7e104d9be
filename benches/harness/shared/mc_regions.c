/* mc_regions.c — the region-shaped workload (see mc_regions.h).
 *
 * Berger, Zorn & McKinley (OOPSLA 2002, table 4) measured programs written with regions (lcc,
 * gcc, apache, ...) against the same programs freeing each object at its last use: peak memory
 * with regions was 6 % to 63 % higher (lcc +63 %, gcc +18 %), because a region holds every
 * object until the region dies. This workload has that shape and runs unchanged under both
 * disciplines, so the difference is the allocator's alone:
 *   - every object is freed at its last use (a fair coin after each allocation picks a random
 *     non-survivor of the phase; the rest die at the phase's end, survivors one phase later);
 *   - under an allocator that can reset (arena: a free other than the latest only counts), the
 *     phase is a region: memory returns at the phase's end, when the survivors are copied out,
 *     the allocator reset, and the survivors copied back (their new copies are the allocations
 *     counted in `copied`).
 * Requested (the counting decorator's live bytes) is then the same curve under every
 * allocator; held minus requested is the drag: what the region holds for objects already dead.
 * Tables live outside the allocator under test (malloc), except under a managed heap where
 * they must be scanned: a pointer table from the heap itself, registered as a root.
 */
#include "mc_regions.h"

#include <stdlib.h>
#include <string.h>

#define SURVIVE 16 /* 1 object in SURVIVE outlives its phase */

static const mc_type obj_table = {"regions.table", MC_TYPE_PTR_ARRAY, NULL, 0, NULL, 0};

typedef struct reg {
  mc_alloc al;
  int managed, region;   /* a managed heap (drop, not free); resets per phase */
  void **obj;            /* live objects: [0, nsurv) survivors of the previous phase, then
                            this phase's (survivors first among them is not required) */
  uint32_t *sz;          /* sizes; bit 31: a survivor of this phase */
  size_t len, cap, nold; /* objects in obj, capacity, previous phase's survivors at the front */
  size_t maxsurv, nsurv; /* survivors a phase may keep (the staging buffer's room), kept now */
  uint32_t *stsz;        /* staging: the survivors' sizes (region only) */
  uint64_t live, rng;
  mc_regions_out out;
} reg;

#define SURV_BIT 0x80000000u

static uint64_t next(uint64_t *s) {
  *s ^= *s >> 12;
  *s ^= *s << 25;
  *s ^= *s >> 27;
  return *s * 0x2545F4914F6CDD1Dull;
}

static void put(reg *r, size_t i, void *p) {
  if (r->managed)
    mc_store(r->al, r->obj, &r->obj[i], p);
  else
    r->obj[i] = p;
}

/* Object i dies at its last use: freed (or dropped on a managed heap); the last moves in. */
static void kill(reg *r, size_t i) {
  uint32_t size = r->sz[i] & ~SURV_BIT;
  if (!r->managed) mc_alloc_free(r->al, r->obj[i], size, MC_ALIGN_DEFAULT);
  r->live -= size;
  r->len--;
  put(r, i, r->obj[r->len]);
  r->sz[i] = r->sz[r->len];
  put(r, r->len, NULL);
}

static int make(reg *r, uint32_t size, uint32_t flag, const void *from) {
  void *p = mc_alloc_new(r->al, size, MC_ALIGN_DEFAULT, NULL);
  if (!p) return MC_ENOMEM;
  if (from)
    memcpy(p, from, size);
  else
    memset(p, (int)(size & 0xff), size < 64 ? size : 64); /* touch it: RSS follows */
  put(r, r->len, p);
  r->sz[r->len++] = size | flag;
  r->live += size;
  if (r->live > r->out.peak_live_bytes) r->out.peak_live_bytes = r->live;
  r->out.allocs++;
  return MC_OK;
}

/* The end of a phase: the previous survivors and this phase's non-survivors die; under a
 * region, the survivors are copied out, the allocator reset, and copied back. */
static int end_phase(reg *r, unsigned char *stage) {
  for (size_t i = r->len; i-- > 0;)
    if (i < r->nold || !(r->sz[i] & SURV_BIT)) kill(r, i);
  if (r->region) {
    size_t off = 0, n = r->len;
    uint32_t *sizes = r->stsz;
    for (size_t i = 0; i < n; i++) {
      sizes[i] = r->sz[i] & ~SURV_BIT;
      memcpy(stage + off, r->obj[i], sizes[i]);
      off += sizes[i];
    }
    mc_alloc_reset(r->al);
    r->out.resets++;
    r->len = 0, r->live = 0;
    off = 0;
    for (size_t i = 0; i < n; i++, off += sizes[i - 1]) {
      int rc = make(r, sizes[i], 0, stage + off);
      if (rc) return rc;
      r->out.copied++;
    }
  }
  for (size_t i = 0; i < r->len; i++) r->sz[i] &= ~SURV_BIT;
  r->nold = r->len;
  r->nsurv = 0;
  return MC_OK;
}

static int phase(reg *r, uint64_t count, const mc_regions_opts *o, unsigned char *stage) {
  for (uint64_t k = 0; k < count; k++) {
    uint64_t x = next(&r->rng);
    uint32_t size = 16 + 8 * (uint32_t)(x % 31);
    uint32_t surv = (x >> 8) % SURVIVE == 0 && r->nsurv < r->maxsurv ? SURV_BIT : 0;
    r->nsurv += surv != 0;
    int rc = make(r, size, surv, NULL);
    if (rc) return rc;
    if ((x >> 16) & 1) { /* a fair coin: one of the phase's non-survivors reaches its last use */
      size_t span = r->len - r->nold, i = r->nold + (size_t)((x >> 17) % span);
      if (!(r->sz[i] & SURV_BIT)) kill(r, i);
    }
    if (o && o->tick) o->tick(o->arg, r->len);
  }
  return end_phase(r, stage);
}

static void release(reg *r) {
  while (r->len) kill(r, r->len - 1);
  if (r->region) mc_alloc_reset(r->al);
  if (r->managed) /* the table is left to the collector, like every dropped object */
    mc_root_remove(r->al, &r->obj);
  else
    free(r->obj);
  free(r->sz);
  free(r->stsz);
}

int mc_regions_run(mc_alloc al, uint64_t n, uint64_t seed, const mc_regions_opts *opts,
                   mc_regions_out *out) {
  if (n == 0) return MC_EINVAL;
  reg r;
  memset(&r, 0, sizeof r);
  r.al = al;
  r.rng = seed ? seed : 1;
  r.managed = al.vt->root != NULL;
  r.region = !r.managed && al.vt->reset != NULL;
  uint64_t plen = n / 16 > 256 ? n / 16 : 256;
  if (plen > 65536) plen = 65536;
  r.maxsurv = (size_t)plen / SURVIVE * 2 + 64;
  r.cap = (size_t)plen + r.maxsurv + 1;
  r.sz = malloc(r.cap * sizeof *r.sz);
  unsigned char *stage = r.region ? malloc(r.maxsurv * 256) : NULL;
  r.stsz = r.region ? malloc(r.maxsurv * sizeof *r.stsz) : NULL;
  if (r.managed) {
    r.obj = mc_alloc_new(al, r.cap * sizeof *r.obj, MC_ALIGN_DEFAULT, &obj_table);
    if (r.obj) memset(r.obj, 0, r.cap * sizeof *r.obj), mc_root_add(al, &r.obj);
  } else {
    r.obj = calloc(r.cap, sizeof *r.obj);
  }
  int rc = r.obj && r.sz && ((stage && r.stsz) || !r.region) ? MC_OK : MC_ENOMEM;
  for (uint64_t done = 0; !rc && done < n; done += plen) {
    if (opts && opts->phase) opts->phase(opts->arg, (int)r.out.phases);
    r.out.phases++;
    rc = phase(&r, n - done < plen ? n - done : plen, opts, stage);
  }
  if (r.obj)
    release(&r);
  else
    free(r.sz), free(r.stsz);
  free(stage);
  if (out) *out = r.out;
  return rc;
}
