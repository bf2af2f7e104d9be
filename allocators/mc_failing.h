/* mc_failing.h — the failing decorator: lets `succeed` allocations through, then refuses the
 * next `fail` ones, then lets everything through again (SQLite's faultsimConfig(nDelay,
 * nRepeat)). Every error path of a structure gets exercised by raising `succeed` until the
 * operation passes (libuv's loop_init_oom). */
#ifndef MC_FAILING_H
#define MC_FAILING_H

#include "mc_alloc.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MC_FAILING_FOREVER UINT64_MAX /* as `fail`: never stop failing */

typedef struct mc_failing {
  mc_alloc parent;         /* where every call goes */
  const mc_alloc_vtbl *vt; /* chosen at init so reset/root/barrier exist iff the parent's do */
  uint64_t succeed;        /* allocations still to let through before failing */
  uint64_t fail;           /* allocations still to refuse (MC_FAILING_FOREVER: all) */
  uint64_t failed;         /* allocations refused so far (since init) */
  uint64_t attempts;       /* alloc and resize calls seen so far (since init) */
} mc_failing;

/* Prepares f over parent: the first `succeed` alloc/resize calls go through, the next `fail`
 * are refused (fail = MC_FAILING_FOREVER: all later ones), later ones go through. Cannot fail.
 * REQUIRES: parent outlives f. */
void mc_failing_init(mc_failing *f, mc_alloc parent, uint64_t succeed, uint64_t fail);

/* Restarts the countdown with new budgets (the failed/attempts counters keep running). */
void mc_failing_set(mc_failing *f, uint64_t succeed, uint64_t fail);

/* Allocations refused so far. */
uint64_t mc_failing_failed(const mc_failing *f);

/* Returns the decorating allocator. alloc and resize (growing or shrinking) each take one step
 * of the countdown; a refused call returns NULL without reaching the parent, so nothing changes
 * anywhere except the failure count. free always goes through. reset/root/barrier exist exactly
 * when the parent's do and forward to it. stats(): the parent's, with failures increased by the
 * refusals. `type` is forwarded unchanged. */
mc_alloc mc_failing_allocator(mc_failing *f);

#ifdef __cplusplus
}
#endif
#endif /* MC_FAILING_H */
