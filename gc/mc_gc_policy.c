/* mc_gc_policy.c — when the tracing collector collects, and how big its heap may grow: the heap
 * policy (issue 16).
 *
 * Policy LIVE (the default) sizes the heap from measured live data, as Go's GOGC and V8's heap
 * growing factor do. Every full collection measures L, the footprint it leaves in use (pages
 * holding live objects, large blocks, the collector's tables; spare pages are not counted).
 * Until the next full collection:
 *   young = max(young_bytes, young_fraction x L)     bytes allocated between young collections
 *           (with the byte trigger off, young_bytes SIZE_MAX: the bytes the latest young
 *           generation took, ended by threshold[0])
 *   goal  = max(heap_growth x L, L + 2 x young)      footprint in use the heap is kept below
 * When a young generation is full (young bytes allocated, or threshold[0] tracked objects), the
 * collection is a full one if the footprint in use has reached the goal; otherwise generation 1
 * after threshold[1] young collections, else generation 0. The young generation's pages stay
 * in use and take the next one, so the footprint grows only by what survives young
 * collections and stays below the goal plus one young generation's survivors; after a full
 * collection it is L plus one young generation. Since L never exceeds the peak live footprint,
 * the footprint in use stays below
 * max(heap_growth x peak live, peak live + 2 x young): with the defaults and a live footprint
 * above 4 x young_bytes (32 MB), 1.5 x live. Full collections come at geometric steps while the
 * live data grows (each at 1.5 x the previous), so their marking costs O(final live), and when
 * it shrinks (binary-trees drops its stretch tree) the next full collection finds out within
 * one goal. Spare pages are kept only while the footprint, spares included, is below the goal
 * (mc__page_retire_empty), so they do not carry the heap over it.
 *
 * Why 1.5 and a quarter. Go's GOGC=100 means 2 x live; V8 grows by 1.1 to 4 depending on the
 * mutator's speed. Under 2 x the heap cannot beat glibc malloc on binary-trees' 16-byte nodes:
 * those take 18 bytes here (a metadata and a slack byte per slot) and 32 in glibc's chunks, so
 * glibc holds 1.78 x our live footprint and any goal up to about 1.75 x holds less. The mark
 * work of full collections per byte promoted into the old generation is 1 / (growth - 1): 2 at
 * 1.5, 1 at 2; the generations keep that small (young collections free most garbage before it
 * is promoted), and a young generation of L / 4 is the largest that still leaves room for the
 * survivors of one more (goal - L = 2 x young at 1.5). Measured (issue 16's closing note,
 * binary-trees depth 21, Release, one core): 1.5 was as fast as 2 and held about 25% less.
 *
 * Policy COUNTS (the python preset, and the default before issue 16) is CPython 3.11's
 * collect_generations: count[0] is tracked allocations minus frees; past threshold[0] the
 * oldest generation i whose count exceeds its threshold is collected, except that a full
 * collection also needs long_lived_pending > long_lived_total / 4. Bytes allocated since the
 * last collection past max(young_bytes, footprint / 8) also count as generation 0 being over
 * its threshold (leaves are reclaimed by collections only: no reference counts here).
 *
 * Under either policy the heap limit (mc_gc_set_heap_limit) stays a hard cap: an allocation
 * that would pass it first runs an emergency full collection (mc_gc.c). */
#include <limits.h>
#include <stdint.h>

#include "mc_gc_internal.h"

static size_t mul_sat(double f, size_t x) {
  double v = f * (double)x;
  return v >= (double)SIZE_MAX ? SIZE_MAX : (size_t)v;
}

static size_t add_sat(size_t a, size_t b) { return a > SIZE_MAX - b ? SIZE_MAX : a + b; }

/* The byte trigger of generation 0 before torture and enable are applied (SIZE_MAX: off). */
static size_t young_target(const mc_gc *gc) {
  size_t young = gc->young_limit;
  if (!gc->young_scale) return young;
  size_t room = gc->goal_full > gc->live_fp ? gc->goal_full - gc->live_fp : 0;
  size_t grown =
      gc->policy == MC_GC_POLICY_LIVE ? mul_sat(gc->young_frac, room) : gc->st.footprint / 8;
  return grown > young ? grown : young;
}

/* The size of a young generation for the goal: the byte trigger, or with it off (only
 * threshold[0] ends a young generation) the bytes the latest young generation took. */
static size_t young_size(const mc_gc *gc) {
  size_t young = young_target(gc);
  return young == SIZE_MAX ? gc->young_last : young;
}

/* The goal a full collection sets: max(growth x L, min(previous, max_growth x L)). */
static size_t goal_after_full(const mc_gc *gc) {
  size_t grow = mul_sat(gc->growth, gc->live_fp), cap = mul_sat(gc->max_growth, gc->live_fp);
  size_t kept = gc->goal_full < cap ? gc->goal_full : cap;
  return grow > kept ? grow : kept;
}

/* Policy LIVE's goal: the full collection's, at least room for two young generations. */
static size_t goal_of(const mc_gc *gc) {
  size_t young = young_size(gc), b = add_sat(gc->live_fp, add_sat(young, young));
  return gc->goal_full > b ? gc->goal_full : b;
}

void mc__update_triggers(mc_gc *gc) {
  mc__win_suspend(gc); /* the window was cut for the old triggers */
  int on = gc->enabled && (gc->threshold[0] > 0 || gc->torture);
  gc->trig0 = on && !gc->torture ? gc->threshold[0] : INT_MAX;
  size_t young = young_target(gc);
  gc->heap_goal = gc->policy == MC_GC_POLICY_LIVE ? goal_of(gc) : SIZE_MAX;
  if (gc->policy == MC_GC_POLICY_LIVE && young != SIZE_MAX) { /* near the goal: land on it */
    size_t used = mc__footprint_used(gc), room = used < gc->heap_goal ? gc->heap_goal - used : 0;
    if (room < young) young = room > young / 8 ? room : young / 8;
  }
  gc->young_trig = !on ? SIZE_MAX : gc->torture ? 0 : young;
}

void mc__policy_collected(mc_gc *gc, int gen) {
  gc->young_last = gc->young_bytes;
  if (gen < MC_GC_NGEN - 1) return;
  gc->live_fp = mc__footprint_used(gc);
  gc->goal_full = goal_after_full(gc);
}

void mc__policy_knobs_changed(mc_gc *gc) {
  gc->goal_full = goal_after_full(gc);
  mc__update_triggers(gc);
}

/* Policy LIVE: a full collection once the footprint in use has reached the goal. (The young
 * generation just filled is part of it; its pages stay and take the next one, so between young
 * collections the footprint grows by their survivors only.) */
static int live_choice(const mc_gc *gc) {
  size_t used = mc__footprint_used(gc), young = young_size(gc);
  if (used >= gc->heap_goal || gc->heap_goal - used < young / 8) return 2;
  return gc->count[1] > gc->threshold[1] ? 1 : 0;
}

void mc__maybe_collect(mc_gc *gc) {
  if (gc->collecting || !gc->enabled) return;
  if (gc->torture) {
    int g = gc->torture_next;
    gc->torture_next = (g + 1) % MC_GC_NGEN;
    mc__collect(gc, g);
    return;
  }
  if (gc->threshold[0] <= 0) return;
  if (gc->policy == MC_GC_POLICY_LIVE) {
    if (gc->count[0] > gc->threshold[0] || gc->young_bytes > gc->young_trig)
      mc__collect(gc, live_choice(gc));
    return;
  }
  for (int i = MC_GC_NGEN - 1; i >= 0; i--) {
    int over = gc->count[i] > gc->threshold[i];
    if (i == 0) over = over || gc->young_bytes > gc->young_limit;
    if (!over) continue;
    if (i == MC_GC_NGEN - 1 && gc->long_lived_pending < gc->long_lived_total / 4) continue;
    mc__collect(gc, i);
    return;
  }
}
