/* mc_counting.c — the counting decorator.
 *
 * Every call goes to the parent unchanged (type included). Because free and resize receive the
 * block's size, the decorator counts exactly without a header: requested is the sum of the
 * sizes of the blocks that went out through it and did not come back. Footprint belongs to the
 * layer that holds memory, so it is read from the parent's stats. reset/root/barrier must exist
 * in the vtable exactly when the parent has them (mc_alloc_reset reports MC_ENOTSUP and
 * mc_store skips the barrier by testing the vtable), so init picks one of four static vtables. */
#include "mc_counting.h"

#include <string.h>

#include "mc_decorator.h"

static void emit(mc_counting *c, mc_counting_kind kind, void *p, size_t size, size_t old_size) {
  if (!c->hook) return;
  mc_counting_event ev = {kind, p, size, old_size, &c->stats};
  c->hook(c->hook_arg, &ev);
}

static void peaks(mc_counting *c) {
  mc__stats_peaks(&c->stats);
  int64_t used = (int64_t)c->stats.requested;
  if (used > c->max_bytes_used) c->max_bytes_used = used;
  c->net_heap_growth = used - (int64_t)c->base_requested;
}

static void *cnt_alloc(void *ctx, size_t size, size_t align, const mc_type *type) {
  mc_counting *c = ctx;
  void *p = c->parent.vt->alloc(c->parent.ctx, size, align, type);
  if (!p) {
    c->stats.failures++;
    emit(c, MC_COUNTING_FAIL, NULL, size, 0);
    return NULL;
  }
  c->stats.requested += size;
  c->stats.total_requested += size;
  c->stats.live++;
  c->stats.allocs++;
  c->num_allocs++;
  c->total_allocated_bytes += (int64_t)size;
  peaks(c);
  emit(c, MC_COUNTING_ALLOC, p, size, 0);
  return p;
}

static void cnt_free(void *ctx, void *p, size_t size, size_t align) {
  mc_counting *c = ctx;
  c->parent.vt->free(c->parent.ctx, p, size, align);
  c->stats.requested -= size;
  c->stats.live--;
  c->stats.frees++;
  c->net_heap_growth = (int64_t)c->stats.requested - (int64_t)c->base_requested;
  emit(c, MC_COUNTING_FREE, p, size, 0);
}

static void *cnt_resize(void *ctx, void *p, size_t old_size, size_t new_size, size_t align) {
  mc_counting *c = ctx;
  void *q = c->parent.vt->resize(c->parent.ctx, p, old_size, new_size, align);
  if (!q) {
    c->stats.failures++;
    emit(c, MC_COUNTING_FAIL, p, new_size, old_size);
    return NULL;
  }
  c->stats.requested = c->stats.requested - old_size + new_size;
  if (new_size > old_size) {
    c->stats.total_requested += new_size - old_size;
    c->total_allocated_bytes += (int64_t)(new_size - old_size);
  }
  c->stats.resizes++;
  peaks(c);
  emit(c, MC_COUNTING_RESIZE, q, new_size, old_size);
  return q;
}

static void cnt_reset(void *ctx) {
  mc_counting *c = ctx;
  c->parent.vt->reset(c->parent.ctx);
  c->stats.requested = 0;
  c->stats.live = 0;
  c->stats.resets++;
  c->net_heap_growth = -(int64_t)c->base_requested;
  emit(c, MC_COUNTING_RESET, NULL, 0, 0);
}

static void cnt_stats(void *ctx, mc_alloc_stats *out) {
  mc_counting *c = ctx;
  mc_alloc_stats ps;
  mc_alloc_get_stats(c->parent, &ps);
  *out = c->stats;
  out->footprint = ps.footprint;
  out->footprint_peak = ps.footprint_peak;
  out->misordered = ps.misordered;
  out->collections = ps.collections;
  out->reclaimed = ps.reclaimed;
  out->pause_ns_total = ps.pause_ns_total;
  out->pause_ns_max = ps.pause_ns_max;
}

static const mc_alloc_vtbl counting_vtbls[4] =
    MC__DECORATOR_VTBLS("counting", cnt_alloc, cnt_resize, cnt_free, cnt_stats, cnt_reset);

void mc_counting_init(mc_counting *c, mc_alloc parent) {
  memset(c, 0, sizeof *c);
  c->parent = parent;
  c->vt = &counting_vtbls[mc__decorator_kind(parent)];
}

void mc_counting_set_hook(mc_counting *c, mc_counting_hook_fn fn, void *arg) {
  c->hook = fn;
  c->hook_arg = fn ? arg : NULL;
}

mc_alloc mc_counting_allocator(mc_counting *c) { return (mc_alloc){c->vt, c}; }

void mc_counting_rebase(mc_counting *c) {
  c->base_requested = c->stats.requested;
  c->num_allocs = 0;
  c->total_allocated_bytes = 0;
  c->net_heap_growth = 0;
  c->max_bytes_used = (int64_t)c->stats.requested;
}
