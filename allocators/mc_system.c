/* mc_system.c — malloc behind the vtable.
 *
 * Alignments up to MC_ALIGN_DEFAULT go to malloc/realloc; larger ones to aligned_alloc with the
 * size rounded up to a multiple of the alignment (C11's requirement), and resize then moves by
 * hand because realloc keeps only malloc's alignment. Accounting is exact without headers:
 * requested adds the caller's sizes, footprint adds malloc_usable_size, which is what the
 * allocator in use (glibc, or a preloaded jemalloc/mimalloc/tcmalloc) really reserved for the
 * block, less its own per-chunk bookkeeping. */
#include "mc_system.h"

#include <malloc.h>
#include <stdlib.h>
#include <string.h>

static void account_new(mc_system *s, void *p, size_t size) {
  if (!s) return;
  s->stats.requested += size;
  s->stats.total_requested += size;
  s->stats.footprint += malloc_usable_size(p);
  s->stats.live++;
  s->stats.allocs++;
  mc__stats_peaks(&s->stats);
}

static void account_gone(mc_system *s, void *p, size_t size) {
  if (!s) return;
  s->stats.requested -= size;
  s->stats.footprint -= malloc_usable_size(p);
  s->stats.live--;
}

static void *sys_alloc(void *ctx, size_t size, size_t align, const mc_type *type) {
  (void)type;
  mc_system *s = ctx;
  void *p;
  if (align <= MC_ALIGN_DEFAULT)
    p = malloc(size);
  else
    p = aligned_alloc(align, (size + align - 1) & ~(align - 1)); /* size <= MC_SIZE_MAX: no wrap */
  if (!p) {
    if (s) s->stats.failures++;
    return NULL;
  }
  account_new(s, p, size);
  return p;
}

static void sys_free(void *ctx, void *p, size_t size, size_t align) {
  (void)align;
  mc_system *s = ctx;
  if (s) {
    account_gone(s, p, size);
    s->stats.frees++;
  }
  free(p);
}

static void *sys_resize(void *ctx, void *p, size_t old_size, size_t new_size, size_t align) {
  mc_system *s = ctx;
  size_t old_usable = s ? malloc_usable_size(p) : 0;
  void *q;
  if (align <= MC_ALIGN_DEFAULT) {
    q = realloc(p, new_size);
  } else {
    q = aligned_alloc(align, (new_size + align - 1) & ~(align - 1));
    if (q) {
      memcpy(q, p, old_size < new_size ? old_size : new_size);
      free(p);
    }
  }
  if (!q) {
    if (s) s->stats.failures++;
    return NULL;
  }
  if (s) {
    s->stats.requested = s->stats.requested - old_size + new_size;
    if (new_size > old_size) s->stats.total_requested += new_size - old_size;
    s->stats.footprint = s->stats.footprint - old_usable + malloc_usable_size(q);
    s->stats.resizes++;
    mc__stats_peaks(&s->stats);
  }
  return q;
}

static void sys_stats(void *ctx, mc_alloc_stats *out) {
  mc_system *s = ctx;
  if (s) *out = s->stats;
}

static const mc_alloc_vtbl system_vtbl = {
    .name = "system",
    .alloc = sys_alloc,
    .resize = sys_resize,
    .free = sys_free,
    .stats = sys_stats,
};

/* The untracked allocator (s NULL): no accounting at all, so alloc and free are tail calls of
 * malloc and free, the least the vtable can cost. */
static void *sysu_alloc(void *ctx, size_t size, size_t align, const mc_type *type) {
  (void)ctx, (void)type;
  if (__builtin_expect(align <= MC_ALIGN_DEFAULT, 1)) return malloc(size);
  return aligned_alloc(align, (size + align - 1) & ~(align - 1)); /* size <= MC_SIZE_MAX */
}

static void sysu_free(void *ctx, void *p, size_t size, size_t align) {
  (void)ctx, (void)size, (void)align;
  free(p);
}

static void sysu_stats(void *ctx, mc_alloc_stats *out) { (void)ctx, (void)out; }

static const mc_alloc_vtbl system_untracked_vtbl = {
    .name = "system",
    .alloc = sysu_alloc,
    .resize = sys_resize, /* with ctx NULL it accounts nothing */
    .free = sysu_free,
    .stats = sysu_stats,
};

void mc_system_init(mc_system *s) { memset(s, 0, sizeof *s); }

mc_alloc mc_system_allocator(mc_system *s) {
  return (mc_alloc){s ? &system_vtbl : &system_untracked_vtbl, s};
}
