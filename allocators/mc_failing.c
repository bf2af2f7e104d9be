/* mc_failing.c — the failing decorator (SQLite's fault simulator, faultsimStep).
 *
 * One countdown for alloc and resize: while `succeed` > 0 a call goes through and decrements
 * it; then while `fail` > 0 a call is refused (NULL, without reaching the parent, so the
 * parent's state cannot change) and decrements it, except MC_FAILING_FOREVER which never runs
 * out; after that every call goes through. As for the counting decorator, one of four static
 * vtables is chosen so that reset/root/barrier exist exactly when the parent's do. */
#include "mc_failing.h"

#include <string.h>

#include "mc_decorator.h"

/* Returns 1 if this call must be refused, advancing the countdown either way. */
static int step(mc_failing *f) {
  f->attempts++;
  if (f->succeed > 0) {
    f->succeed--;
    return 0;
  }
  if (f->fail == 0) return 0;
  if (f->fail != MC_FAILING_FOREVER) f->fail--;
  f->failed++;
  return 1;
}

static void *fail_alloc(void *ctx, size_t size, size_t align, const mc_type *type) {
  mc_failing *f = ctx;
  if (step(f)) return NULL;
  return f->parent.vt->alloc(f->parent.ctx, size, align, type);
}

static void *fail_resize(void *ctx, void *p, size_t old_size, size_t new_size, size_t align) {
  mc_failing *f = ctx;
  if (step(f)) return NULL;
  return f->parent.vt->resize(f->parent.ctx, p, old_size, new_size, align);
}

static void fail_free(void *ctx, void *p, size_t size, size_t align) {
  mc_failing *f = ctx;
  f->parent.vt->free(f->parent.ctx, p, size, align);
}

static void fail_reset(void *ctx) {
  mc_failing *f = ctx;
  f->parent.vt->reset(f->parent.ctx);
}

static void fail_stats(void *ctx, mc_alloc_stats *out) {
  mc_failing *f = ctx;
  mc_alloc_get_stats(f->parent, out);
  out->failures += f->failed;
}

static const mc_alloc_vtbl failing_vtbls[4] =
    MC__DECORATOR_VTBLS("failing", fail_alloc, fail_resize, fail_free, fail_stats, fail_reset);

void mc_failing_init(mc_failing *f, mc_alloc parent, uint64_t succeed, uint64_t fail) {
  memset(f, 0, sizeof *f);
  f->parent = parent;
  f->vt = &failing_vtbls[mc__decorator_kind(parent)];
  f->succeed = succeed;
  f->fail = fail;
}

void mc_failing_set(mc_failing *f, uint64_t succeed, uint64_t fail) {
  f->succeed = succeed;
  f->fail = fail;
}

uint64_t mc_failing_failed(const mc_failing *f) { return f->failed; }

mc_alloc mc_failing_allocator(mc_failing *f) { return (mc_alloc){f->vt, f}; }
