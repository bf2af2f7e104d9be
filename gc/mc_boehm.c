/* mc_boehm.c — libgc behind the vtable.
 *
 * Alignment: GC_MALLOC returns 16-byte aligned blocks on x86-64; larger alignments get an
 * over-allocation of size + align and an aligned pointer inside it — Boehm recognises interior
 * pointers by default, so the block stays alive, and free/resize find the base again through
 * GC_base. Statistics come from Boehm's own counters: footprint is what it holds from the OS
 * and has not given back, heap size minus unmapped bytes — which is GC_get_heap_size() itself:
 * since libgc 7.x it "excludes the unmapped memory (returned to the OS)" (gc.h; the unmapped
 * bytes are GC_get_unmapped_bytes(), counted apart), so subtracting them again would count them
 * twice. tests/allocators/test_held.c checks it against RSS. collections is its gc number;
 * pause times are not exposed by the library and stay zero. */
#include "mc_boehm.h"

#include <gc.h>
#include <string.h>

static void *boehm_raw(size_t size, size_t align, const mc_type *type) {
  if (align <= MC_ALIGN_DEFAULT) return type ? GC_MALLOC(size) : GC_MALLOC_ATOMIC(size);
  char *base = type ? GC_MALLOC(size + align) : GC_MALLOC_ATOMIC(size + align);
  if (!base) return NULL;
  return (void *)(((uintptr_t)base + align - 1) & ~(uintptr_t)(align - 1));
}

static void refresh(mc_boehm *b) {
  b->stats.footprint = GC_get_heap_size();
  b->stats.collections = (uint64_t)GC_get_gc_no();
  mc__stats_peaks(&b->stats);
}

static void *boehm_alloc(void *ctx, size_t size, size_t align, const mc_type *type) {
  mc_boehm *b = ctx;
  void *p = boehm_raw(size, align, type);
  if (!p) {
    b->stats.failures++;
    return NULL;
  }
  b->stats.allocs++;
  b->stats.live++;
  b->stats.requested += size;
  b->stats.total_requested += size;
  if (b->stats.requested > b->stats.requested_peak) b->stats.requested_peak = b->stats.requested;
  return p;
}

static void boehm_free(void *ctx, void *p, size_t size, size_t align) {
  (void)align;
  mc_boehm *b = ctx;
  b->stats.frees++;
  if (b->stats.live) b->stats.live--;
  b->stats.requested -= size <= b->stats.requested ? size : b->stats.requested;
  GC_FREE(GC_base(p));
}

static void *boehm_resize(void *ctx, void *p, size_t old_size, size_t new_size, size_t align) {
  mc_boehm *b = ctx;
  void *q;
  if (align <= MC_ALIGN_DEFAULT) {
    q = GC_REALLOC(p, new_size);
  } else {
    void *base = GC_base(p);
    /* the block's kind is not known here: scanned is always safe */
    static const mc_type scanned = {"boehm.realigned", MC_TYPE_PTR_ARRAY, NULL, 0, NULL, 0};
    q = boehm_raw(new_size, align, &scanned);
    if (q) {
      memcpy(q, p, old_size < new_size ? old_size : new_size);
      GC_FREE(base);
    }
  }
  if (!q) {
    b->stats.failures++;
    return NULL;
  }
  b->stats.resizes++;
  b->stats.requested =
      b->stats.requested - (old_size <= b->stats.requested ? old_size : 0) + new_size;
  if (new_size > old_size) b->stats.total_requested += new_size - old_size;
  if (b->stats.requested > b->stats.requested_peak) b->stats.requested_peak = b->stats.requested;
  return q;
}

static void boehm_stats(void *ctx, mc_alloc_stats *out) {
  mc_boehm *b = ctx;
  refresh(b);
  *out = b->stats;
}

static void boehm_root(void *ctx, void **slot, int add) {
  (void)ctx;
  if (add)
    GC_add_roots(slot, slot + 1);
  else
    GC_remove_roots(slot, slot + 1);
}

static const mc_alloc_vtbl boehm_vtbl = {
    .name = "boehm",
    .alloc = boehm_alloc,
    .resize = boehm_resize,
    .free = boehm_free,
    .stats = boehm_stats,
    .root = boehm_root,
};

void mc_boehm_init(mc_boehm *b) {
  GC_INIT();
  memset(b, 0, sizeof *b);
  refresh(b);
}

mc_alloc mc_boehm_allocator(mc_boehm *b) { return (mc_alloc){&boehm_vtbl, b}; }

void mc_boehm_collect(mc_boehm *b) {
  GC_gcollect();
  refresh(b);
}
