/* mc_curve.h — the memory-curve recorder: samples an allocator's stats (requested, footprint,
 * collections), the process's RSS and the clock at a deterministic stride of workload
 * operations, plus one sample at every event (collection, reset, unwind, phase).
 * One recorder per run, inside the child process that runs the workload. */
#ifndef MC_CURVE_H
#define MC_CURVE_H

#include <stddef.h>
#include <stdint.h>

#include "mc_alloc.h"
#include "mc_counting.h"
#include "mc_result.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MC_CURVE_TARGET                                                                            \
  320u                         /* points a curve aims at (>= 256 guaranteed, see mc_curve_init);   \
                                  each costs ~4 us (a pread of /proc/self/statm, 2 us warm), so    \
                                  320 keep a 50 ms run within 3 % */
#define MC_CURVE_CAP 2048u     /* stride points kept at most: past it every other point goes */
#define MC_CURVE_EVENTS 65536u /* events kept at most; further ones are counted in dropped */
#define MC_CURVE_UNWIND_MIN 4096u /* bytes: a stack unwind releasing less is not an event */

typedef struct mc_curve {
  mc_alloc al;          /* the allocator whose stats are sampled (the counting decorator) */
  int enabled;          /* 0: timing pass, ticks only count (same code path, no samples) */
  uint64_t ops;         /* operations so far */
  uint64_t elements;    /* elements in the structure, as last told */
  uint64_t next;        /* ops at which the next stride sample is due (UINT64_MAX: never) */
  uint64_t stride;      /* operations between stride samples */
  uint64_t t0;          /* ns, monotonic clock at mc_curve_start */
  mc_result_point *pts; /* npts samples, ops ascending */
  size_t npts, cap;     /* cap = MC_CURVE_CAP + room for event samples */
  size_t nstride;       /* how many of the npts are stride samples (the rest: events) */
  mc_result_event *ev;  /* nev events */
  size_t nev;
  uint64_t dropped;     /* events beyond MC_CURVE_EVENTS (recorded nowhere but here) */
  uint64_t collections; /* collections seen through events */
  int statm;            /* fd of /proc/self/statm, -1 if unavailable (RSS then 0) */
  long page;            /* bytes per page */
  uint64_t sample_ns;   /* ns spent taking samples (stats, clock, statm): the recorder's cost */
  size_t pending;       /* events from pending on wait for their bytes_after (next sample) */
  int track_unwind;     /* 1: the hook watches frees for stack unwinds (stack allocator) */
  uint64_t held;        /* bytes, footprint - requested after the last hooked event */
  int has_pending;
  /* held and resident (DESIGN.md, "Memory: three quantities") */
  int held_malloc;        /* 1: held is the process malloc's own accounting (mc_malloc_held),
                             absolute, read under the probe budget; 0: the stats' footprint */
  uint64_t rss_base;      /* bytes resident just before the workload (mc_curve_baseline) */
  uint64_t held_base;     /* bytes the malloc held just before the workload (held_malloc):
                             recorded as the run's held_baseline, not taken off held */
  uint64_t held_last;     /* bytes, the last held read */
  uint64_t held_last_ops; /* ops at that read */
  uint64_t held_peak;     /* bytes, the highest held read in this run */
  uint64_t probe_ns;      /* ns spent in mc_malloc_held reads (part of sample_ns) */
  uint64_t probe_last;    /* ns, the last read's cost (the next one is expected to cost as much) */
  uint64_t held_reads;    /* how many held reads were made */
  uint64_t held_carried;  /* samples that carried the last read instead (budget) */
  uint64_t held_calls;    /* allocator calls (allocs + frees + resizes) at the last read */
  uint64_t held_same;     /* samples that kept the last read, no allocator call since: exact */
} mc_curve;

/* The share of the elapsed run a malloc's held reads may take: a sample with no allocator call
 * since the last read keeps it (exact: held_ops = ops, no read); otherwise a read is made only
 * while the reads so far plus one more at the last read's cost stay within
 * 1/MC_CURVE_PROBE_SHARE of the time since mc_curve_start, else the
 * sample carries the last value (its held_ops says from when). glibc's mallinfo2 costs
 * 0.3 us normally but up to tens of ms right after a mass free (it walks the fast bins):
 * without this a few such reads would double a run. The first and the final reads are always
 * made. */
#define MC_CURVE_PROBE_SHARE 200u

/* Prepares c to sample al over a run of about expected_ops operations. enabled 0: records
 * nothing (the timing pass) but keeps the same tick path. The stride is
 * max(1, expected_ops / MC_CURVE_TARGET), so a run of at least 256 ops gives >= 256 points; the
 * stride doubles (and every other point is dropped) if a run overshoots MC_CURVE_CAP points.
 * Returns MC_OK or MC_ENOMEM (c zeroed and safe to destroy). Buffers come from malloc, not al. */
int mc_curve_init(mc_curve *c, mc_alloc al, uint64_t expected_ops, int enabled);

/* Frees the buffers; accepts a zeroed struct. */
void mc_curve_destroy(mc_curve *c);

/* Records the baselines: the RSS now (resident is taken from it) and, with held_malloc 1 (the
 * allocator is the process's malloc: MC_AL_MALLOC), what the malloc holds now (kept as the run's
 * held_baseline attribute, its start-up reserve: held itself is absolute). Call before
 * mc_curve_start, in both passes (the timing pass's summary needs them too). */
void mc_curve_baseline(mc_curve *c, int held_malloc);

/* Held now, in bytes: with held_malloc, a fresh mc_malloc_held read (absolute), but never
 * below st's footprint (the live blocks' usable size), when force is 1 or the probe budget allows,
 * else the last read carried; without, the footprint of st. Not forced and no allocator call
 * in st's counts (allocs + frees + resizes) since the last read: that read, still exact
 * (held_last_ops moves to now). Updates held_last/held_last_ops/held_peak on a read. */
uint64_t mc_curve_held(mc_curve *c, const mc_alloc_stats *st, int force);

/* Resident now, in bytes: rss - rss_base, 0 if below. */
uint64_t mc_curve_resident(mc_curve *c);

/* Starts the clock (t_ns 0) and takes the first sample (ops 0). */
void mc_curve_start(mc_curve *c);

/* Takes one sample now (stride samples and event samples go through here). */
void mc__curve_sample(mc_curve *c);

/* One workload operation done, the structure now holds `elements`. Cheap: a compare per call
 * when no sample is due. */
static inline void mc_curve_tick(mc_curve *c, uint64_t elements) {
  c->ops++;
  c->elements = elements;
  if (c->ops >= c->next) mc__curve_sample(c);
}

/* Records an event (MC_RESULT_EV_*) and a sample at it. Does nothing when disabled. */
void mc_curve_event(mc_curve *c, int kind, int generation, uint64_t pause_ns, uint64_t bytes_before,
                    uint64_t bytes_after);

/* Takes one sample now, off the stride grid (e.g. after a structure's destroy). Nothing when
 * disabled. */
void mc__curve_sample_now(mc_curve *c);

/* Records an event without sampling, for callers that may not call into the allocator (a
 * collector's own callback, under its lock): bytes_before is the last sample's footprint and
 * bytes_after is filled in by the next sample. Nothing when disabled. */
void mc_curve_event_deferred(mc_curve *c, int kind, int generation, uint64_t pause_ns);

/* Takes the final sample (end of run). */
void mc_curve_finish(mc_curve *c);

/* A counting-allocator hook (arg: the mc_curve) turning MC_COUNTING_RESET into a RESET event
 * with the footprint before (last sample) and after, and — with track_unwind set — a free that
 * lets the stack unwind past blocks freed out of order (held bytes drop by at least
 * MC_CURVE_UNWIND_MIN) into an UNWIND event. Returns at once when the recorder is off.
 * Install it with mc_counting_set_hook(counting, mc_curve_counting_hook, curve). */
void mc_curve_counting_hook(void *arg, const mc_counting_event *ev);

/* Nanoseconds on the monotonic clock. */
uint64_t mc_curve_now_ns(void);

/* Bytes resident now (/proc/self/statm), 0 if unknown. */
uint64_t mc_curve_rss(mc_curve *c);

/* Peak resident set of this process in bytes (VmHWM of /proc/self/status), 0 if unknown. */
uint64_t mc_curve_peak_rss(void);

#ifdef __cplusplus
}
#endif
#endif /* MC_CURVE_H */
