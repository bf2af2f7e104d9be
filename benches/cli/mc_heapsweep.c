/* mc_heapsweep.c — the Hertz–Berger heap sweep (see mc_heapsweep.h).
 *
 * Hertz & Berger (OOPSLA 2005) ran each program under a collector with the heap fixed at
 * multiples of the smallest heap in which it runs, and compared its time with explicit memory
 * management of the same program: at 5x a generational collector matched it, at 3x it was 17 %
 * slower, at 2x about 70 %. Here the "program" is a collector workload (binary-trees, GCBench),
 * the explicit managers are malloc rows (system, mimalloc) running the same workload with
 * frees, and the minimum heap is found per (structure, workload, N) by bisection over the
 * collector's heap limit (mc_gc_set_heap_limit: every byte of footprint, tables included),
 * each probe a timing pass in a fresh child: a run that hits the limit fails with "out of
 * memory" (an outcome, not a crash) and the search moves up.
 *
 * Bounds: the search starts from lo = 0 (the collector's live count includes garbage not yet
 * collected, so no better lower bound is known from an unlimited run) and the unlimited run's
 * own peak footprint (hi), checked first; to within 1/128 of hi that is 8 probes.
 * Completion is assumed monotone in the limit (a larger heap never makes a run fail) — true of
 * the collector's emergency collection at the limit, which frees all garbage before it fails.
 */
#define _GNU_SOURCE
#include "mc_heapsweep.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const double mc_heapsweep_multiples[] = {1.25, 1.5, 2, 3, 4, 6, 0};

void mc_heapsweep_name(const mc_run_spec *r, char *dst, size_t size) {
  if (r->heap_multiple > 0)
    snprintf(dst, size, "%s@%gx", r->allocator, r->heap_multiple);
  else
    snprintf(dst, size, "%s", r->allocator);
}

/* ---- adding the configurations -------------------------------------------------------------- */

/* Splits a comma list into a NULL-terminated array of pointers into *buf (strdup'd). */
static size_t split(const char *src, char **buf, char **out, size_t cap) {
  *buf = strdup(src);
  size_t k = 0;
  char *save = NULL;
  for (char *t = *buf ? strtok_r(*buf, ",", &save) : NULL; t && k + 1 < cap;
       t = strtok_r(NULL, ",", &save))
    out[k++] = t;
  out[k] = NULL;
  return k;
}

/* A reference run of the sweep (an explicit allocator) before its point's minimum is known. */
#define HS_REF 1

static mc_run_spec *has_spec(mc_run_spec *v, size_t n, const mc_run_spec *r) {
  for (size_t i = 0; i < n; i++)
    if (!strcmp(v[i].structure, r->structure) && !strcmp(v[i].workload, r->workload) &&
        !strcmp(v[i].allocator, r->allocator) && v[i].n == r->n &&
        v[i].heap_multiple == r->heap_multiple)
      return &v[i];
  return NULL;
}

/* Adds r unless the sweep has it; a reference (heap_min == HS_REF) marks the one it has. */
static int push(mc_run_spec **v, size_t *n, const mc_run_spec *r) {
  mc_run_spec *had = has_spec(*v, *n, r);
  if (had) {
    if (r->heap_min == HS_REF) had->heap_min = HS_REF;
    return MC_OK;
  }
  mc_run_spec *g = realloc(*v, (*n + 1) * sizeof **v);
  if (!g) return MC_ENOMEM;
  *v = g;
  g[(*n)++] = *r;
  return MC_OK;
}

/* The specs of one (structure, workload, N): the explicit allocators, then gc at each multiple. */
static int add_one(const char *s, const char *w, uint64_t depth, char *const *allocs,
                   mc_run_spec **v, size_t *n) {
  mc_run_spec r;
  memset(&r, 0, sizeof r);
  snprintf(r.structure, MC_RESULT_NAME, "%s", s);
  snprintf(r.workload, MC_RESULT_NAME, "%s", w);
  r.n = depth;
  r.heap_min = HS_REF;
  int rc = MC_OK;
  for (size_t a = 0; allocs[a] && !rc; a++) {
    if (!mc_wl_known(mc_wl_allocators(), allocs[a])) continue; /* not in this build */
    snprintf(r.allocator, MC_RESULT_NAME, "%s", allocs[a]);
    rc = push(v, n, &r);
  }
  r.heap_min = 0;
  snprintf(r.allocator, MC_RESULT_NAME, "%s", MC_HEAPSWEEP_GC);
  for (const double *m = mc_heapsweep_multiples; *m > 0 && !rc; m++) {
    r.heap_multiple = *m;
    rc = push(v, n, &r);
  }
  return rc;
}

int mc_heapsweep_add(const mc_cli_group *g, const char *workloads, const char *sizes,
                     mc_run_spec **v, size_t *n) {
  enum { CAP = 64 };
  char *bs, *bw, *ba, *bn, *st[CAP], *wl[CAP], *al[CAP], *sz[CAP];
  split(g->structures, &bs, st, CAP);
  split(workloads ? workloads : g->workloads, &bw, wl, CAP);
  split(g->allocators, &ba, al, CAP);
  split(sizes ? sizes : g->sizes, &bn, sz, CAP);
  int rc = bs && bw && ba && bn ? MC_OK : MC_ENOMEM;
  for (size_t k = 0; sz[k] && !rc; k++) {
    char *end;
    unsigned long long d = strtoull(sz[k], &end, 10);
    for (size_t s = 0; st[s] && !rc; s++)
      for (size_t w = 0; wl[w] && !rc; w++) {
        if (!mc_wl_applies(st[s], wl[w])) continue;
        if (*end || !mc_wl_n_ok(wl[w], d))
          rc = mc_cli_bad("run", "bad size '%s' for the heap sweep", sz[k]);
        else
          rc = add_one(st[s], wl[w], d, al, v, n);
      }
  }
  free(bs), free(bw), free(ba), free(bn);
  return rc;
}

/* ---- the minimum heap ----------------------------------------------------------------------- */

int mc_heapsweep_min(mc_heapsweep_probe_fn probe, void *arg, uint64_t lo, uint64_t hi,
                     uint64_t *min, unsigned *probes) {
  *probes = 0;
  int ok = 0;
  for (int tries = 0; tries <= 8; tries++) { /* hi must complete */
    ok = probe(arg, hi);
    ++*probes;
    if (ok < 0) return ok;
    if (ok) break;
    lo = hi;
    hi += hi / 2;
  }
  if (!ok) return MC_ERANGE;
  uint64_t tol = hi / 128 > 4096 ? hi / 128 : 4096;
  while (hi - lo > tol) {
    uint64_t mid = lo + (hi - lo) / 2;
    ok = probe(arg, mid);
    ++*probes;
    if (ok < 0) return ok;
    if (ok)
      hi = mid;
    else
      lo = mid;
  }
  *min = hi;
  return MC_OK;
}

typedef struct probe_ctx {
  mc_run_spec spec; /* the collector, unlimited or limited */
  const mc_runner_opts *ro;
} probe_ctx;

static int probe_run(void *arg, uint64_t limit) {
  probe_ctx *p = arg;
  p->spec.heap_limit = limit;
  mc_runner_result res;
  int rc = mc_runner_run(&p->spec, 0, p->ro, &res);
  int ok = res.out.ok;
  mc_runner_result_free(&res);
  if (rc == MC_EINTR) return MC_EINTR;
  return rc == MC_OK && ok;
}

/* The minimum heap of spec's (structure, workload, N) under the collector, in *min. */
static int find_min(const mc_run_spec *spec, const mc_runner_opts *ro, FILE *log, uint64_t *min) {
  probe_ctx p = {*spec, ro};
  p.spec.heap_limit = 0;
  p.spec.heap_multiple = 0;
  mc_runner_result res;
  int rc = mc_runner_run(&p.spec, 0, ro, &res);
  uint64_t lo = 0, hi = res.out.peak_footprint;
  int ok = res.out.ok;
  mc_runner_result_free(&res);
  if (rc == MC_EINTR) return MC_EINTR;
  if (rc != MC_OK || !ok || hi <= lo) return MC_ERANGE;
  unsigned probes = 0;
  rc = mc_heapsweep_min(probe_run, &p, lo, hi, min, &probes);
  if (rc == MC_OK && log)
    fprintf(log,
            "memcurve run: heap sweep %s/%s n=%llu: minimum heap %.2f MiB (%u probes; unlimited: "
            "%.2f MiB)\n",
            spec->structure, spec->workload, (unsigned long long)spec->n, (double)*min / 1048576.0,
            probes, (double)hi / 1048576.0);
  return rc;
}

static int same_point(const mc_run_spec *a, const mc_run_spec *b) {
  return !strcmp(a->structure, b->structure) && !strcmp(a->workload, b->workload) && a->n == b->n;
}

int mc_heapsweep_bisect(mc_run_spec *v, size_t *n, const mc_runner_opts *ro, FILE *log) {
  for (size_t i = 0; i < *n; i++) {
    if (!(v[i].heap_multiple > 0) || v[i].heap_min) continue;
    uint64_t min = 0;
    int rc = find_min(&v[i], ro, log, &min);
    if (rc == MC_EINTR) return MC_EINTR;
    if (rc != MC_OK && log)
      fprintf(log, "memcurve run: heap sweep %s/%s n=%llu: no minimum heap found; skipped\n",
              v[i].structure, v[i].workload, (unsigned long long)v[i].n);
    for (size_t j = 0; j < *n; j++) {
      if (!same_point(&v[i], &v[j])) continue;
      if (v[j].heap_multiple > 0) {
        v[j].heap_min = rc == MC_OK ? min : UINT64_MAX; /* UINT64_MAX: to drop */
        v[j].heap_limit = rc == MC_OK ? (uint64_t)ceil(v[j].heap_multiple * (double)min) : 0;
      } else if (v[j].heap_min == HS_REF) { /* a reference: it carries its point's minimum */
        v[j].heap_min = rc == MC_OK ? min : 0;
      }
    }
  }
  size_t k = 0;
  for (size_t i = 0; i < *n; i++)
    if (v[i].heap_min != UINT64_MAX) v[k++] = v[i];
  *n = k;
  return MC_OK;
}
