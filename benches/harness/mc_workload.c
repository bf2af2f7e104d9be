/* mc_workload.c — the harness's workloads, run in one (child) process.
 *
 * A run stacks three layers: the base allocator named by the spec (system — glibc, or jemalloc/
 * mimalloc/tcmalloc when the runner LD_PRELOADs them —, stack over one malloc'd region, arena,
 * pool, the collected heap), the counting decorator over it (whose stats the curve samples and
 * whose hook turns resets into events), and one structure driven through a small adapter table
 * (push, pop, remove-somewhere, len). Workloads are written once against the adapter:
 *   fill   push N random keys;                                   ops = N
 *   drain  fill, then pop until empty;                           ops = 2N
 *   hold   fill, then 2N times: pop the min k, push k + U[0,2)   ops = 3N (priority queues;
 *          D. W. Jones's hold model at steady size N)
 *   churn  fill, then 2N random pushes/removes (fair coin);      ops = 3N
 *   waves  grow to N, shrink to N/10, three times, a PHASE event at each turn
 * Timing covers the operations only (allocator setup and the final destroy are outside).
 * After the destroy, arena and stack are reset (curve pass): the RESET event closes the curve.
 * Everything is seeded (xorshift64*): the same spec does the same operations in any process.
 */
#define _GNU_SOURCE
#include "mc_workload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gc/gc.h>

#include "mc_allocators.h"
#include "mc_gcwork.h"
#include "mc_regions.h"
#include "mc_wl_structs.h"

const char *const mc_wl_structures[] = {"ndarray", "boxed", "list",   "pq", "pq4",
                                        "pairing", "tree",  "blocks", NULL};

int mc_wl_known(const char *const *list, const char *name) {
  for (; *list; list++)
    if (strcmp(*list, name) == 0) return 1;
  return 0;
}

const char *mc_wl_preload(const char *allocator) {
  const mc_allocator *a = mc_allocator_find(allocator);
  return a && a->load == MC_AL_PRELOAD ? a->preload : NULL;
}

const char *const *mc_wl_allocators(void) {
  static const char *names[64];
  if (!names[0]) mc_allocator_names(MC_AL_CURVES, names, 64);
  return names;
}

const char *const *mc_wl_suite_allocators(void) {
  static const char *names[64];
  if (!names[0]) mc_allocator_names(MC_AL_CURVES | MC_AL_SUITES, names, 64);
  return names;
}

/* ---- the allocator stack ------------------------------------------------------------------ */

typedef struct env {
  mc_al_env ae; /* the allocator under test, built by its table row */
  const mc_allocator *row;
  mc_alloc base; /* ae.al */
  mc_alloc al;   /* what the structure uses: counting over base */
  mc_counting cnt;
  mc_curve *curve; /* the recorder when it samples, else NULL */
  int by_allocs;   /* 1: one operation is one allocation (the collector's workloads) */
} env;

#define MC_GC_FULL_GEN 2 /* Boehm's collections are full: reported as the oldest generation */

/* The collector's workloads report progress every stride allocations only, so at a collection
 * the recorder's op count may be behind: one operation being one allocation, the counting
 * decorator's allocs are the exact count (read only: safe under libgc's lock too). */
static void sync_ops(env *e) {
  if (e->by_allocs && e->cnt.stats.allocs > e->curve->ops) e->curve->ops = e->cnt.stats.allocs;
}

static void gc_event(const mc_gc_info *info, void *arg) {
  env *e = arg;
  if (info->phase != 1) return;
  sync_ops(e);
  mc_curve_event(e->curve, MC_RESULT_EV_COLLECT, info->generation, info->pause_ns,
                 info->heap_before, info->heap_after);
}

/* libgc calls this with its allocation lock held: no allocator calls, so the event is
 * deferred (its bytes_after comes with the next sample). One recorder per process. */
static env *boehm_env;
static uint64_t boehm_start;

static void boehm_event(GC_EventType ev) {
  if (!boehm_env) return;
  if (ev == GC_EVENT_START) {
    boehm_start = mc_curve_now_ns();
  } else if (ev == GC_EVENT_END) {
    sync_ops(boehm_env);
    mc_curve_event_deferred(boehm_env->curve, MC_RESULT_EV_COLLECT, MC_GC_FULL_GEN,
                            mc_curve_now_ns() - boehm_start);
  }
}

/* Bytes for the stack allocator's region: generous (headers, out-of-order frees held until the
 * top unwinds), and a full stack is recorded as out of memory, not a crash. */
static size_t stack_region(uint64_t n) {
  uint64_t b = n * 256 + ((uint64_t)16 << 20);
  return b > ((uint64_t)1 << 31) ? (size_t)1 << 31 : (size_t)b;
}

/* Builds the allocator named name (its table row) under the counting decorator, with the
 * collection events of the collected heaps routed to the recorder. MC_EINVAL for a name the
 * curves do not offer. */
static int env_open(env *e, const char *name, uint64_t n, mc_curve *curve) {
  memset(e, 0, sizeof *e);
  e->curve = curve && curve->enabled ? curve : NULL;
  e->row = mc_allocator_find(name);
  if (!e->row || !(e->row->flags & MC_AL_CURVES)) return MC_EINVAL;
  mc_allocators_set_stack_bytes(stack_region(n));
  int rc = e->row->open(&e->ae);
  if (rc != MC_OK) {
    e->row = NULL; /* nothing to close */
    return rc;
  }
  e->base = e->ae.al;
  if ((e->row->flags & MC_AL_LIFO) && curve) curve->track_unwind = 1;
  if (e->ae.gc && e->curve) rc = mc_gc_callback_add(e->ae.gc, gc_event, e);
  if (e->row->flags & MC_AL_LIBGC) {
    boehm_env = e->curve ? e : NULL;
    GC_set_on_collection_event(boehm_event);
  }
  e->al = e->base;
  mc_counting_init(&e->cnt, e->base);
  e->al = mc_counting_allocator(&e->cnt);
  /* the hook only turns resets into events: installed where resets exist, and in both passes
   * (it returns at once when the recorder is off) so the timing pass pays the same call */
  if (curve && e->base.vt->reset) mc_counting_set_hook(&e->cnt, mc_curve_counting_hook, curve);
  return rc;
}

/* The allocator whose stats the curve and the run's peaks read. The counting decorator counts
 * the bytes that came through it and did not come back by a free; under mc_gc the collector
 * frees without a call through it, so its requested would be every byte ever allocated. The
 * collected heap counts its own live bytes (collections included, SAVEALL's garbage kept): its
 * stats are read directly. (Boehm's reclaimed bytes are not known per object: its requested
 * stays the counting decorator's, bytes allocated minus explicit frees.) */
static mc_alloc stats_of(const env *e) { return e->ae.gc ? e->base : e->al; }

static void env_close(env *e) {
  if (!e->row) return;
  if (e->row->flags & MC_AL_LIBGC) {
    GC_set_on_collection_event(0);
    boehm_env = NULL;
  }
  e->row->close(&e->ae);
}

/* ---- PRNG ------------------------------------------------------------------------------- */

static uint64_t rng_next(uint64_t *s) {
  *s ^= *s >> 12;
  *s ^= *s << 25;
  *s ^= *s >> 27;
  return *s * 0x2545F4914F6CDD1Dull;
}
static double rng_unit(uint64_t *s) { return (double)(rng_next(s) >> 11) * 0x1.0p-53; }

/* ---- workloads -------------------------------------------------------------------------- */

typedef struct wl {
  const mc_wl_struct *ops;
  void *s;
  mc_curve *c;
  uint64_t rng;
  uint64_t at; /* ops done, for status texts */
  mc_alloc al; /* the allocator the structure uses (workloads that allocate themselves) */
} wl;

typedef struct wl_row {
  const char *name;
  int32_t n_means;                      /* mc_result_n_means: what N is */
  uint64_t (*expected_ops)(uint64_t n); /* NULL: the collector's (mc_gcwork_expected_ops) */
  int (*run)(wl *w, uint64_t n);        /* NULL: the collector's (mc_gcwork_run) */
  const char *own_structure;            /* the collector's: the structure they build; else NULL */
  unsigned needs;     /* MC_WL_* bits its structure must have (mc_wl_structs.h), e.g. MC_WL_SHRINKS
                         for a workload that pops or removes (not ndarray: it only grows) */
  const char *desc;   /* one sentence for the report's glossary */
  int32_t cyclic;     /* 1: the garbage it drops forms reference cycles (run fact `cyclic`) */
  const char *n_what; /* what N counts and its range (mc_wl_n_help, `memcurve list`); NULL:
                         the elements, or for MC_RESULT_N_DEPTH the tree depth */
} wl_row;

static const wl_row *find_workload(const char *name);

static int push_random(wl *w) {
  int rc = w->ops->push(w->s, rng_unit(&w->rng), w->at);
  if (rc == MC_OK) mc_curve_tick(w->c, w->ops->len(w->s));
  return rc;
}

static int pop_one(wl *w, double *key) {
  int rc = w->ops->pop(w->s, key);
  if (rc == MC_OK) mc_curve_tick(w->c, w->ops->len(w->s));
  return rc;
}

static int grow_to(wl *w, uint64_t n) {
  while (w->ops->len(w->s) < n) {
    int rc = push_random(w);
    if (rc) return rc;
    w->at++;
  }
  return MC_OK;
}

static int shrink_to(wl *w, uint64_t n) {
  double k;
  while (w->ops->len(w->s) > n) {
    int rc = pop_one(w, &k);
    if (rc) return rc;
    w->at++;
  }
  return MC_OK;
}

static int wl_hold(wl *w, uint64_t n) {
  int rc = grow_to(w, n);
  for (uint64_t i = 0; !rc && i < 2 * n; i++, w->at++) {
    double k;
    rc = w->ops->pop(w->s, &k);
    if (!rc) rc = w->ops->push(w->s, k + 2.0 * rng_unit(&w->rng), i);
    if (!rc) mc_curve_tick(w->c, w->ops->len(w->s));
  }
  return rc;
}

static int wl_churn(wl *w, uint64_t n) {
  int rc = grow_to(w, n);
  for (uint64_t i = 0; !rc && i < 2 * n; i++, w->at++) {
    uint64_t r = rng_next(&w->rng);
    if ((r & 1) && w->ops->len(w->s) > 0) {
      double k;
      rc = w->ops->remove_some(w->s, r >> 1, &k);
    } else {
      rc = w->ops->push(w->s, rng_unit(&w->rng), i);
    }
    if (!rc) mc_curve_tick(w->c, w->ops->len(w->s));
  }
  return rc;
}

static int wl_waves(wl *w, uint64_t n) {
  int rc = MC_OK;
  for (int wave = 0; !rc && wave < 3; wave++) {
    mc_curve_event(w->c, MC_RESULT_EV_PHASE, 2 * wave, 0, 0, 0);
    rc = grow_to(w, n);
    if (rc) break;
    mc_curve_event(w->c, MC_RESULT_EV_PHASE, 2 * wave + 1, 0, 0, 0);
    rc = shrink_to(w, n / 10);
  }
  return rc;
}

static void gcwork_progress(void *arg, uint64_t ops, uint64_t live) {
  mc_curve *c = arg;
  if (ops > 0) c->ops = ops - 1;
  mc_curve_tick(c, live);
}

/* The collector's workloads: progress every stride allocations feeds the recorder (the same
 * callback in the timing pass, which only counts). */
static int run_gcwork(mc_curve *c, mc_alloc al, const char *name, uint64_t n) {
  mc_gcwork_opts o;
  memset(&o, 0, sizeof o);
  o.progress = gcwork_progress;
  o.progress_arg = c;
  o.every = c->stride;
  return mc_gcwork_run(name, al, n, &o);
}

static void regions_tick(void *arg, uint64_t live) { mc_curve_tick(arg, live); }
static void regions_phase(void *arg, int phase) {
  mc_curve_event(arg, MC_RESULT_EV_PHASE, phase, 0, 0, 0);
}

/* Region-shaped lifetimes (mc_regions.h) over the allocator itself; the structure ("blocks")
 * stays empty. One operation is one allocation of the workload. */
static int wl_regions(wl *w, uint64_t n) {
  mc_regions_opts o = {regions_tick, regions_phase, w->c};
  return mc_regions_run(w->al, n, w->rng, &o, NULL);
}

/* ---- the workload table ------------------------------------------------------------------ */

static int wl_fill(wl *w, uint64_t n) { return grow_to(w, n); }

static int wl_drain(wl *w, uint64_t n) {
  int rc = grow_to(w, n);
  return rc ? rc : shrink_to(w, 0);
}

static uint64_t ops_n(uint64_t n) { return n; }
static uint64_t ops_2n(uint64_t n) { return 2 * n; }
static uint64_t ops_3n(uint64_t n) { return 3 * n; }
static uint64_t ops_waves(uint64_t n) { return n + 5 * (n - n / 10); }

/* One row per workload: its name, what N means, how many operations it does for N (the
 * curve's stride comes from it), how it runs, the structure the collector's build, what it needs
 * of a structure, its glossary sentence, whether its garbage forms cycles, what N counts when not
 * elements. Structure workloads run over every adapter that can what they need (mc_wl_applies: hold
 * needs the minimum first, all but fill need to shrink); the collector's bring their own objects
 * (mc_gcwork) under the structure they name. */
static const wl_row workloads[] = {
    {"fill", MC_RESULT_N_ELEMENTS, ops_n, wl_fill, NULL, 0, "grow from empty to N elements", 0,
     NULL},
    {"drain", MC_RESULT_N_ELEMENTS, ops_2n, wl_drain, NULL, MC_WL_SHRINKS,
     "grow to N, then remove every element", 0, NULL},
    {"hold", MC_RESULT_N_ELEMENTS, ops_3n, wl_hold, NULL, MC_WL_SHRINKS | MC_WL_MIN_FIRST,
     "D. W. Jones's hold model at steady size N: pop the minimum, push it back plus a random "
     "increment, 2N times (priority queues only)",
     0, NULL},
    {"churn", MC_RESULT_N_ELEMENTS, ops_3n, wl_churn, NULL, MC_WL_SHRINKS,
     "grow to N, then 2N random inserts and removes at random positions", 0, NULL},
    {"waves", MC_RESULT_N_ELEMENTS, ops_waves, wl_waves, NULL, MC_WL_SHRINKS,
     "three waves: grow to N, shrink to N/10 (does memory come back?)", 0, NULL},
    {"cycles", MC_RESULT_N_ELEMENTS, NULL, NULL, "list", 0,
     "build and drop cyclic lists of 64 nodes, N nodes in all: reclaimed, leaked or saved as "
     "garbage",
     1, "the nodes in all (lists of 64), 1..1G"},
    {"chains", MC_RESULT_N_ELEMENTS, NULL, NULL, "list", 0,
     "the acyclic twin of cycles: the same nodes and stores, each chain left open (reference "
     "counting frees it at once)",
     0, "the nodes in all (chains of 64), 1..1G"},
    {"binary-trees", MC_RESULT_N_DEPTH, NULL, NULL, "tree", 0,
     "the Benchmarks Game workload: many short-lived complete binary trees of depth up to N beside "
     "one long-lived tree",
     0, NULL},
    {"gcbench", MC_RESULT_N_DEPTH, NULL, NULL, "tree", 0,
     "Boehm's GCBench: top-down and bottom-up trees of depth up to N beside a long-lived tree and "
     "array",
     0, NULL},
    {"regions", MC_RESULT_N_ELEMENTS, ops_n, wl_regions, "blocks", 0,
     "region-shaped lifetimes (Berger, Zorn & McKinley 2002): N objects of 16-256 bytes in 16 "
     "phases, each freed at its last use, 1 in 16 kept one phase longer; under arena and stack "
     "each phase is a region, reset at its end (survivors copied back)",
     0, "the objects allocated (in 16 phases), 1..1G"},
};
#define NWORKLOADS (sizeof workloads / sizeof *workloads)

static const wl_row *find_workload(const char *name) {
  for (size_t i = 0; i < NWORKLOADS; i++)
    if (strcmp(workloads[i].name, name) == 0) return &workloads[i];
  return NULL;
}

const char *const *mc_wl_workloads(void) {
  static const char *names[NWORKLOADS + 1]; /* NULL-terminated: the last stays NULL */
  if (!names[0])
    for (size_t i = 0; i < NWORKLOADS; i++) names[i] = workloads[i].name;
  return names;
}

uint64_t mc_wl_expected_ops(const char *workload, uint64_t n) {
  const wl_row *row = find_workload(workload);
  if (row && row->expected_ops) return row->expected_ops(n);
  return mc_gcwork_expected_ops(workload, n);
}

int mc_wl_why_not(const char *structure, const char *workload, uint64_t n, char *why, size_t size) {
  const wl_row *row = find_workload(workload);
  const mc_wl_struct *s = mc_wl_struct_find(structure);
  int ok = 0;
  if (!row || !mc_wl_known(mc_wl_structures, structure))
    snprintf(why, size, "unknown structure or workload");
  else if (row->own_structure && strcmp(structure, row->own_structure) != 0)
    snprintf(why, size, "%s builds its own %s: it runs with structure %s only", workload,
             row->own_structure, row->own_structure);
  else if (!row->own_structure && !s)
    snprintf(why, size, "%s is built by the collector's workloads only (binary-trees, gcbench)",
             structure);
  else if (s && (row->needs & MC_WL_SHRINKS) && !(s->can & MC_WL_SHRINKS))
    snprintf(why, size, "%s only grows, and %s removes elements", structure, workload);
  else if (s && (row->needs & ~s->can)) {
    size_t k = (size_t)snprintf(why, size, "%s needs a priority queue (", workload);
    for (const char *const *p = mc_wl_structures; *p && k < size; p++) {
      const mc_wl_struct *q = mc_wl_struct_find(*p);
      if (q && (q->can & MC_WL_MIN_FIRST))
        k += (size_t)snprintf(why + k, size - k, "%s%s", k && why[k - 1] != '(' ? ", " : "", *p);
    }
    if (k < size) snprintf(why + k, size - k, "); %s is not one", structure);
  } else if (n && !mc_wl_n_ok(workload, n))
    snprintf(why, size, "N of %s is %s, not %llu", workload, mc_wl_n_help(workload),
             (unsigned long long)n);
  else
    ok = 1, snprintf(why, size, "applies");
  return ok;
}

int mc_wl_applies(const char *structure, const char *workload) {
  char why[8];
  return mc_wl_why_not(structure, workload, 0, why, sizeof why);
}

const char *mc_wl_n_help(const char *workload) {
  const wl_row *row = find_workload(workload);
  if (!row) return "";
  if (row->n_means == MC_RESULT_N_DEPTH) return "the tree depth, 4..22";
  return row->n_what ? row->n_what : "the elements, 1..1G";
}

/* Structures with no adapter: the collector's workloads build them. */
static const struct {
  const char *name, *desc;
} own_structures[] = {
    {"tree", "binary trees of small managed nodes, built by the collector's workloads "
             "(binary-trees, gcbench); N is the tree depth"},
};

static const char *structure_desc(const char *name) {
  const mc_wl_struct *s = mc_wl_struct_find(name);
  if (s) return s->desc;
  for (size_t i = 0; i < sizeof own_structures / sizeof *own_structures; i++)
    if (strcmp(own_structures[i].name, name) == 0) return own_structures[i].desc;
  return "";
}

int mc_wl_glossary(char *buf, size_t size) {
  size_t k = 0;
  if (size == 0) return MC_ERANGE;
  buf[0] = '\0';
  for (const char *const *s = mc_wl_structures; *s; s++) {
    int m = snprintf(buf + k, size - k, "structure\t%s\t%s\n", *s, structure_desc(*s));
    if (m < 0 || (size_t)m >= size - k) return buf[k] = '\0', MC_ERANGE;
    k += (size_t)m;
  }
  for (size_t i = 0; i < NWORKLOADS; i++) {
    const wl_row *w = &workloads[i];
    int m = snprintf(buf + k, size - k, "workload\t%s\t%s%s\n", w->name, w->desc,
                     w->n_means == MC_RESULT_N_DEPTH ? " (N: tree depth)" : "");
    if (m < 0 || (size_t)m >= size - k) return buf[k] = '\0', MC_ERANGE;
    k += (size_t)m;
  }
  return MC_OK;
}

int mc_wl_n_ok(const char *workload, uint64_t n) {
  const wl_row *row = find_workload(workload);
  if (!row || n == 0 || n > MC_WL_MAX_N) return 0;
  if (row->n_means == MC_RESULT_N_DEPTH) return n >= 4 && n <= 22; /* 2^(n+1) nodes per tree */
  return 1;
}

void mc_wl_run_facts(const char *allocator, const char *workload, mc_result_run *run) {
  const mc_allocator *a = mc_allocator_find(allocator);
  unsigned f = a ? a->flags : 0;
  const wl_row *row = find_workload(workload);
  run->n_means = row ? row->n_means : MC_RESULT_N_ELEMENTS;
  run->cyclic = row ? row->cyclic : 0;
  run->heap = ((f & MC_AL_MANAGED) ? MC_RESULT_HEAP_MANAGED : 0u) |
              ((f & MC_AL_COLLECTED) ? MC_RESULT_HEAP_COLLECTED : 0u) |
              ((f & MC_AL_OUTSIDE) ? MC_RESULT_HEAP_OUTSIDE : 0u) |
              ((f & MC_AL_REFCOUNT) ? MC_RESULT_HEAP_REFCOUNT : 0u) |
              ((f & MC_AL_GC_OFF) ? MC_RESULT_HEAP_GC_OFF : 0u) |
              ((f & MC_AL_SAVEALL) ? MC_RESULT_HEAP_SAVEALL : 0u);
  run->allocator_order = a ? a->chart_order : -1;
  const mc_wl_struct *s = mc_wl_struct_find(run->structure);
  run->array = s ? s->array : MC_RESULT_ARRAY_NONE;
}

/* ---- one run ---------------------------------------------------------------------------- */

static uint64_t cpu_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void finish_out(mc_run_out *out, mc_alloc al, mc_curve *c, uint64_t wall) {
  mc_alloc_stats st;
  mc_alloc_get_stats(al, &st);
  out->ops = c->ops;
  out->wall_ns = wall;
  out->sample_ns = c->sample_ns;
  out->peak_requested = st.requested_peak;
  out->peak_footprint = st.footprint_peak;
  out->alloc_calls = st.allocs + st.frees + st.resizes;
  out->collections = st.collections;
  out->peak_rss = mc_curve_peak_rss();
  /* the three quantities, read after the timed span */
  out->final_requested = st.requested;
  out->final_held = mc_curve_held(c, &st, 1);
  out->final_resident = mc_curve_resident(c);
  out->peak_held_exact = !c->held_malloc || c->enabled;
  out->peak_held = c->held_malloc ? c->held_peak : st.footprint_peak;
  if (out->final_held > out->peak_held) out->peak_held = out->final_held;
  out->peak_resident = out->peak_rss > c->rss_base ? out->peak_rss - c->rss_base : 0;
  /* VmHWM and statm are read at different moments (and the kernel's RSS counters are cached per
   * CPU), so the final reading can pass the high-water mark read before it: a peak is at least
   * every value seen. */
  if (out->final_resident > out->peak_resident) out->peak_resident = out->final_resident;
  out->rss_baseline = c->rss_base;
  out->held_baseline = c->held_base;
  out->held_reads = c->held_reads;
  out->held_carried = c->held_carried;
  out->held_same = c->held_same;
  out->probe_ns = c->probe_ns;
}

int mc_wl_run(const mc_run_spec *spec, int sampling, mc_curve *curve, mc_run_out *out) {
  memset(out, 0, sizeof *out);
  memset(curve, 0, sizeof *curve);
  curve->statm = -1;
  const mc_wl_struct *ops = mc_wl_struct_find(spec->structure);
  const wl_row *row = find_workload(spec->workload);
  int gcw = row && !row->run;
  if (!row || (!ops && !gcw) || !mc_wl_applies(spec->structure, spec->workload) ||
      !mc_wl_known(mc_wl_allocators(), spec->allocator) || !mc_wl_n_ok(spec->workload, spec->n) ||
      (spec->heap_limit && !(mc_allocator_find(spec->allocator)->flags & MC_AL_MANAGED))) {
    snprintf(out->status, sizeof out->status, "invalid run specification");
    return MC_EINVAL;
  }
  env e;
  memset(&e, 0, sizeof e); /* closed below even when the recorder failed before env_open */
  /* the recorder exists before the allocator so collection callbacks can reach it; its
   * allocator is set once the stack is built */
  int rc = mc_curve_init(curve, mc_system_allocator(NULL),
                         mc_wl_expected_ops(spec->workload, spec->n), sampling);
  if (rc) /* its buffers are mapped: under --mem-limit this is out of memory, an outcome */
    snprintf(out->status, sizeof out->status, "out of memory (the recorder, before the run)");
  else if ((rc = env_open(&e, spec->allocator, spec->n, curve)) != MC_OK)
    snprintf(out->status, sizeof out->status, "allocator %s: %s", spec->allocator, mc_strerror(rc));
  if (rc) {
    out->code = rc;
    env_close(&e);
    return rc;
  }
  if (spec->heap_limit) mc_gc_set_heap_limit(e.ae.gc, (size_t)spec->heap_limit);
  curve->al = stats_of(&e);
  e.by_allocs = gcw;
  _Alignas(64) unsigned char state[MC_WL_STATE_MAX];
  wl w = {ops, state, curve, spec->seed ? spec->seed : 1, 0, e.al};
  /* the baselines (RSS, and what the malloc holds) before the structure allocates anything */
  mc_curve_baseline(curve, (e.row->flags & MC_AL_MALLOC) != 0);
  rc = gcw ? MC_OK : ops->init(state, e.al, spec->n);
  int init_ok = rc == MC_OK && !gcw;
  uint64_t t0 = mc_curve_now_ns(), wall = 0, cpu0 = 0, in_sample = 0, in_probe = 0;
  if (rc) {
    snprintf(out->status, sizeof out->status, "%s init: %s", spec->structure, mc_strerror(rc));
  } else {
    mc_curve_start(curve);
    cpu0 = cpu_ns();
    t0 = mc_curve_now_ns();
    rc = gcw ? run_gcwork(curve, e.al, spec->workload, spec->n) : row->run(&w, spec->n);
    wall = mc_curve_now_ns() - t0;
    out->cpu_ns = cpu_ns() - cpu0;
    in_sample = curve->sample_ns, in_probe = curve->probe_ns; /* the recorder's cost within wall */
    mc_curve_finish(curve);
    if (rc == MC_ENOMEM)
      snprintf(out->status, sizeof out->status, "out of memory (%s) at op %llu", spec->allocator,
               (unsigned long long)curve->ops);
    else if (rc == MC_ESTATE && gcw)
      snprintf(out->status, sizeof out->status, "check failed: a live object was freed at op %llu",
               (unsigned long long)curve->ops);
    else if (rc)
      snprintf(out->status, sizeof out->status, "%s at op %llu", mc_strerror(rc),
               (unsigned long long)curve->ops);
  }
  finish_out(out, stats_of(&e), curve, wall);
  out->sample_ns = in_sample; /* not the final reads, made after the timed span */
  out->probe_ns = in_probe;
  if (init_ok) ops->destroy(state); /* structures are left valid by a failed operation */
  /* Allocators that can drop everything at once (arena, stack) do so at the end: the curve
   * ends with the destroy (a sample: an arena keeps its footprint through frees) and the
   * reset (a RESET event from the counting hook: the footprint comes back). */
  if (e.al.vt->reset && init_ok && curve->enabled) {
    mc__curve_sample_now(curve);
    mc_alloc_reset(e.al);
  }
  env_close(&e);
  out->ok = rc == MC_OK;
  out->code = rc;
  if (out->ok) snprintf(out->status, sizeof out->status, "ok");
  return rc;
}
