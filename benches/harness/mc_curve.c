/* mc_curve.c — the memory-curve recorder.
 *
 * Deterministic sampling: a sample is due when the operation count reaches `next`, and next
 * advances by `stride` = max(1, expected_ops / MC_CURVE_TARGET). The sample positions depend
 * only on the operation count, never on time, so two runs of the same workload and seed sample
 * the same ops (which is what makes curves comparable across allocators and shards). If a run
 * does more operations than expected and reaches MC_CURVE_CAP stride points, every other
 * stride point is dropped and the stride doubles: the kept points are still exactly those at
 * multiples of the new stride. Event samples (one per collection, reset, unwind, phase) are
 * kept apart from that budget so they are never decimated.
 * Cost: a disabled recorder (the timing pass) runs the same inline tick with next = UINT64_MAX;
 * an enabled one spends a stats call, two clock reads and a pread of /proc/self/statm (kept
 * open, parsed by hand) per sample: 1.5-2.5 us warm, tens of us when the workload has evicted
 * the kernel's path (~4 us on average in pq/hold at N = 300 000), ~320 times per run.
 *
 * Held: for our allocators the stats' footprint (free); for the process's malloc (absolute: its
 * start-up reserve included; the recorder's buffers are mmap'd so they are not in it) a call
 * into its statistics (mc_malloc_held) whose cost ranges from 0.3 us to tens of ms (glibc's
 * mallinfo2 walks every free chunk: the ~460 small ones the shared libraries' constructors leave
 * before main make each read 4-20 us, cold), so those reads are made only when needed and
 * rationed: a sample with no allocator call since the last read keeps that read, which is still
 * exact (a malloc's figure changes only inside its calls, and the workload's calls all go
 * through the counting decorator whose stats the sample has); otherwise at most
 * 1/MC_CURVE_PROBE_SHARE of the elapsed run, measured, the last value carried in between (a
 * point's held_ops tells at which operation its held was last known exactly).
 */
#define _GNU_SOURCE
#include "mc_curve.h"

#include "mc_malloc_held.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define EVENT_POINTS 4096u /* room for event samples on top of the stride points */

uint64_t mc_curve_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Zeroed pages straight from the kernel (never touched until written, so an unused tail is not
 * resident), or NULL. */
static void *map_pages(size_t bytes) {
  void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return p == MAP_FAILED ? NULL : p;
}

static void unmap_pages(void *p, size_t bytes) {
  if (p) munmap(p, bytes);
}

int mc_curve_init(mc_curve *c, mc_alloc al, uint64_t expected_ops, int enabled) {
  memset(c, 0, sizeof *c);
  c->statm = -1;
  c->al = al;
  c->enabled = enabled;
  c->next = UINT64_MAX;
  c->stride = expected_ops / MC_CURVE_TARGET;
  if (c->stride == 0) c->stride = 1;
  c->page = sysconf(_SC_PAGESIZE);
  /* open in both passes: the timing pass reads the RSS at its baseline and end */
  c->statm = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
  if (!enabled) return MC_OK;
  c->cap = MC_CURVE_CAP + EVENT_POINTS;
  /* off malloc: the recorder's buffers must not count in the held of the malloc it measures */
  c->pts = map_pages(c->cap * sizeof *c->pts);
  c->ev = map_pages(MC_CURVE_EVENTS * sizeof *c->ev);
  if (!c->pts || !c->ev) {
    mc_curve_destroy(c);
    return MC_ENOMEM;
  }
  return MC_OK;
}

void mc_curve_destroy(mc_curve *c) {
  unmap_pages(c->pts, c->cap * sizeof *c->pts);
  unmap_pages(c->ev, MC_CURVE_EVENTS * sizeof *c->ev);
  if (c->statm >= 0) close(c->statm);
  memset(c, 0, sizeof *c);
  c->statm = -1;
}

/* The decimal number at *s (advanced past it), or -1 when there is none. */
static int64_t parse_count(const char **s) {
  const char *p = *s;
  int64_t v = 0;
  if (*p < '0' || *p > '9') return -1;
  for (; *p >= '0' && *p <= '9'; p++) v = v * 10 + (*p - '0');
  *s = p;
  return v;
}

uint64_t mc_curve_rss(mc_curve *c) {
  char buf[128];
  if (c->statm < 0) return 0;
  ssize_t n = pread(c->statm, buf, sizeof buf - 1, 0);
  if (n <= 0) return 0;
  buf[n] = '\0';
  /* "size resident shared ..." in pages; parsed by hand: sscanf cost as much as the read */
  const char *p = buf;
  if (parse_count(&p) < 0 || *p++ != ' ') return 0;
  int64_t resident = parse_count(&p);
  return resident < 0 ? 0 : (uint64_t)resident * (uint64_t)c->page;
}

uint64_t mc_curve_peak_rss(void) {
  FILE *f = fopen("/proc/self/status", "r");
  if (!f) return 0;
  char line[256];
  unsigned long long kb = 0;
  while (fgets(line, sizeof line, f))
    if (sscanf(line, "VmHWM: %llu kB", &kb) == 1) break;
  fclose(f);
  return (uint64_t)kb * 1024u;
}

/* Drops every other stride point (ops not a multiple of the doubled stride) and doubles the
 * stride; event points (not counted in nstride) are kept wherever they fall. */
static void decimate(mc_curve *c) {
  uint64_t ns = c->stride * 2;
  size_t j = 0, kept = 0;
  for (size_t i = 0; i < c->npts; i++) {
    const mc_result_point *p = &c->pts[i];
    int on_grid = p->ops % c->stride == 0;
    if (!on_grid || p->ops % ns == 0) {
      c->pts[j++] = *p;
      kept += on_grid;
    }
  }
  c->npts = j;
  c->nstride = kept;
  c->stride = ns;
}

void mc_curve_baseline(mc_curve *c, int held_malloc) {
  c->held_malloc = held_malloc;
  c->rss_base = mc_curve_rss(c);
  c->held_base = 0;
  mc_malloc_held_info info;
  if (held_malloc && mc_malloc_held(&info) == MC_OK) c->held_base = info.held;
}

uint64_t mc_curve_resident(mc_curve *c) {
  uint64_t rss = mc_curve_rss(c);
  return rss > c->rss_base ? rss - c->rss_base : 0;
}

uint64_t mc_curve_held(mc_curve *c, const mc_alloc_stats *st, int force) {
  if (!c->held_malloc) {
    c->held_last = st->footprint;
    c->held_last_ops = c->ops;
    if (st->footprint > c->held_peak) c->held_peak = st->footprint;
    return st->footprint;
  }
  /* a malloc's figure changes only inside its calls, and every call of the workload goes
   * through the counting decorator whose stats st are: with none since the last read, that
   * read is still exact here (a pq at steady size calls malloc only when it grows) */
  uint64_t calls = st->allocs + st->frees + st->resizes;
  if (!force && c->held_reads && calls == c->held_calls) {
    c->held_same++;
    c->held_last_ops = c->ops;
    return c->held_last;
  }
  uint64_t start = mc_curve_now_ns();
  uint64_t elapsed = c->t0 && start > c->t0 ? start - c->t0 : 0;
  /* the next read is assumed to cost what the last one did: reading only when that still fits
   * keeps a malloc whose reads got slow (glibc after a mass free) from overshooting */
  if (!force && (c->probe_ns + c->probe_last) * MC_CURVE_PROBE_SHARE > elapsed) {
    c->held_carried++;
    /* carried, but never below the live blocks' usable size, known exactly at every sample */
    return c->held_last > st->footprint ? c->held_last : st->footprint;
  }
  mc_malloc_held_info info;
  if (mc_malloc_held(&info) == MC_OK) {
    /* Absolute, like our allocators' footprint: what the malloc holds, its start-up reserve
     * included (mimalloc commits a 32 MiB segment at its first allocation; glibc's first
     * arena). The recorder's own buffers are mmap'd, off the malloc. Never below the live
     * blocks' usable size (the system allocator's footprint): a malloc holds at least what it
     * handed out (a guard; a fresh read is above it). */
    c->held_last = info.held > st->footprint ? info.held : st->footprint;
    c->held_last_ops = c->ops;
    if (c->held_last > c->held_peak) c->held_peak = c->held_last;
  }
  c->held_calls = calls;
  c->held_reads++;
  if (!force) { /* forced reads (the first, the final) are outside the timed span */
    c->probe_last = mc_curve_now_ns() - start;
    c->probe_ns += c->probe_last;
  }
  return c->held_last;
}

static void take(mc_curve *c) {
  uint64_t start = mc_curve_now_ns();
  mc_alloc_stats st;
  mc_alloc_get_stats(c->al, &st);
  mc_result_point *p = &c->pts[c->npts++];
  p->ops = c->ops;
  p->elements = c->elements;
  p->t_ns = start - c->t0;
  p->requested = st.requested;
  p->footprint = st.footprint;
  p->rss = mc_curve_rss(c);
  p->resident = p->rss > c->rss_base ? p->rss - c->rss_base : 0;
  p->held = mc_curve_held(c, &st, c->npts == 1);
  p->held_ops = c->held_last_ops;
  p->collections = st.collections > c->collections ? st.collections : c->collections;
  if (c->has_pending) {
    for (size_t i = c->pending; i < c->nev; i++) c->ev[i].bytes_after = st.footprint;
    c->has_pending = 0;
  }
  c->sample_ns += mc_curve_now_ns() - start;
}

/* Whether an event sample may be taken: event samples have EVENT_POINTS of their own, so a
 * heap with thousands of collections (the reference-counting detector runs every 700
 * allocations) cannot use up the room the stride points need (the curve would stop early). */
static int event_room(const mc_curve *c) {
  return c->npts < c->cap && c->npts - c->nstride < EVENT_POINTS;
}

void mc__curve_sample(mc_curve *c) {
  if (!c->enabled) return;
  if (c->nstride >= MC_CURVE_CAP) decimate(c);
  if (c->ops % c->stride == 0 && c->npts < c->cap) {
    take(c);
    c->nstride++;
  }
  c->next = (c->ops / c->stride + 1) * c->stride;
}

void mc_curve_start(mc_curve *c) {
  c->ops = 0;
  c->t0 = mc_curve_now_ns();
  if (!c->enabled) return;
  c->next = 0;
  mc__curve_sample(c);
}

void mc_curve_event(mc_curve *c, int kind, int generation, uint64_t pause_ns, uint64_t bytes_before,
                    uint64_t bytes_after) {
  if (!c->enabled) return;
  if (kind == MC_RESULT_EV_COLLECT) c->collections++;
  if (c->nev == MC_CURVE_EVENTS) {
    c->dropped++;
    return;
  }
  c->ev[c->nev++] = (mc_result_event){
      c->ops, mc_curve_now_ns() - c->t0, kind, generation, pause_ns, bytes_before, bytes_after};
  if (event_room(c)) take(c);
}

void mc_curve_event_deferred(mc_curve *c, int kind, int generation, uint64_t pause_ns) {
  if (!c->enabled) return;
  if (kind == MC_RESULT_EV_COLLECT) c->collections++;
  if (c->nev == MC_CURVE_EVENTS) {
    c->dropped++;
    return;
  }
  if (!c->has_pending) {
    c->pending = c->nev;
    c->has_pending = 1;
  }
  uint64_t before = c->npts ? c->pts[c->npts - 1].footprint : 0;
  c->ev[c->nev++] = (mc_result_event){
      c->ops, mc_curve_now_ns() - c->t0, kind, generation, pause_ns, before, before};
}

void mc__curve_sample_now(mc_curve *c) {
  if (c->enabled && event_room(c)) take(c);
}

void mc_curve_finish(mc_curve *c) {
  if (!c->enabled) return;
  mc_result_point *last = c->npts ? &c->pts[c->npts - 1] : NULL;
  if (last && last->ops == c->ops) {
    if (last->held_ops != c->ops) { /* carried: the final held is always read */
      uint64_t start = mc_curve_now_ns();
      mc_alloc_stats st;
      mc_alloc_get_stats(c->al, &st);
      last->held = mc_curve_held(c, &st, 1);
      last->held_ops = c->held_last_ops;
      c->sample_ns += mc_curve_now_ns() - start;
    }
    return;
  }
  if (c->npts < c->cap) {
    uint64_t reads = c->held_reads;
    take(c);
    if (c->held_reads == reads && c->held_malloc) { /* carried: read it */
      mc_alloc_stats st;
      mc_alloc_get_stats(c->al, &st);
      mc_result_point *p = &c->pts[c->npts - 1];
      p->held = mc_curve_held(c, &st, 1);
      p->held_ops = c->held_last_ops;
    }
  }
}

void mc_curve_counting_hook(void *arg, const mc_counting_event *ev) {
  mc_curve *c = arg;
  if (!c->enabled) return;
  if (ev->kind == MC_COUNTING_RESET) {
    uint64_t before = c->npts ? c->pts[c->npts - 1].footprint : 0;
    mc_alloc_stats st;
    mc_alloc_get_stats(c->al, &st);
    mc_curve_event(c, MC_RESULT_EV_RESET, 0, 0, before, st.footprint);
    c->held = st.footprint - st.requested;
    return;
  }
  if (!c->track_unwind) return;
  /* Stack: bytes held beyond the live ones (freed out of order, headers) only shrink by much
   * when the top unwinds past blocks freed earlier. */
  mc_alloc_stats st;
  mc_alloc_get_stats(c->al, &st);
  uint64_t held = st.footprint > st.requested ? st.footprint - st.requested : 0;
  if (ev->kind == MC_COUNTING_FREE && held + MC_CURVE_UNWIND_MIN <= c->held)
    mc_curve_event(c, MC_RESULT_EV_UNWIND, 0, 0, st.footprint + (c->held - held) + ev->size,
                   st.footprint);
  c->held = held;
}
