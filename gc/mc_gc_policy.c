/* mc_gc_policy.c — when the tracing collector collects, and how big its heap may grow: the heap
 * policy (issue 16).
 *
 * Policy LIVE (the default) sizes the heap from measured live data, as Go's GOGC and V8's heap
 * growing factor do, with the JVM's hysteresis when the live data shrinks. Every full
 * collection measures L, the footprint it leaves in use (pages holding live objects, large
 * blocks, the collector's tables; spare pages are not counted), and sets the goal, the
 * footprint in use at which the next full collection runs:
 *   goal_full = max(heap_growth x L, min(previous goal_full, heap_max_growth x L))
 *   goal      = max(goal_full, L + 2 x young)
 *   young     = max(young_bytes, young_fraction x (goal_full - L))
 * young being the bytes allocated between young collections (with the byte trigger off,
 * young_bytes SIZE_MAX: the bytes the latest young generation took, ended by threshold[0]).
 * Defaults: heap_growth 1.5, heap_max_growth 4, young_fraction 0.5, young_bytes 8 MB. When a
 * young generation is full (young bytes, or threshold[0] tracked objects), the collection is a
 * full one if the footprint in use has reached the goal (within an eighth of a young
 * generation); otherwise generation 1 after threshold[1] young collections, else generation 0.
 * Close to the goal the byte trigger shrinks to the room left (at least young / 8), so the
 * heap lands on its goal instead of overshooting it by a young generation.
 *
 * The bound. The young generation's pages stay in use and take the next one, so between full
 * collections the footprint in use grows only by what survives young collections, and stays
 * below the goal plus one (small) young generation's survivors. goal_full never exceeds
 * heap_growth x the peak of L (it is either heap_growth x L, or a previous goal_full), nor
 * heap_max_growth x the current L. So the footprint in use stays below
 *   max(1.5 x peak live, live + 2 x young)  and  max(4 x current live, live + 2 x young):
 * 1.5 x the peak live footprint once that passes 4 x young_bytes (32 MB). Full collections
 * come at geometric steps while the live data grows (each at 1.5 x the previous L), so their
 * marking costs O(final live). Spare pages beyond 32 are kept only while the footprint, spares
 * included, is below the goal (mc__page_retire_empty), so they do not carry the heap over it.
 *
 * Why these numbers. Go's GOGC=100 means 2 x live; V8 grows by 1.1 to 4 depending on the
 * mutator's speed; the JVM keeps the free share of its heap between 40 % and 70 % after a
 * full collection (1.67 to 3.3 x live). The peak goal decides peak memory: binary-trees'
 * 16-byte nodes take 18 bytes here (a metadata and a slack byte per slot) and 32 in glibc's
 * chunks, so glibc holds 1.78 x our live footprint and a growth up to about 1.75 holds less
 * at the peak; 1.5 leaves room for the young generation's overshoot and the process's own
 * memory. Between full collections the room above L is shared between the young generation
 * and what survives it into the old generations (mark work of full collections per byte
 * promoted: 1 / (room / L)). Time needs the young generation larger than the program's
 * short-lived structures (binary-trees' depth-20 trees are 36 MB: a young generation of L / 4
 * promoted half of each and ran 49 full collections at depth 21, against 8 before this policy),
 * and the room is largest when a goal set by a big live phase is kept (binary-trees' stretch
 * tree, 144 MB, dies before the 72 MB long-lived tree and the iterations): hence the
 * hysteresis, which costs no peak memory (the goal never passes 1.5 x the peak live), and the
 * young generation as half the room rather than a share of L. heap_max_growth 4 is the
 * JVM's 70 % free ratio rounded up: it bounds what a heap keeps after its live data shrank.
 * Measured at depth 21 (README, "The tracing collector's heap policy"): see the table there.
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
