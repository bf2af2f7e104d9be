/* mc_plotdata.c — summary cells, fits, Pareto fronts and units for the charts and the report.
 *
 * Cells: /summary rows are grouped by (structure, workload, allocator, n) after a sort of row
 * indices; each group's medians (and the min/max of ops/s) are taken over its ok rows. Runs
 * from /runs are then matched to their cell by binary search; a run with no summary rows gets
 * a cell of its own whose peaks come from its curve and whose timings are NAN (the curve pass
 * samples, so its clock is not a timing — DESIGN.md "Measuring").
 * Fit: ordinary least squares on (ln x, ln y); the slope is the exponent of y ∝ x^a.
 * Pareto: O(n^2) dominance test; n is the number of allocators, a handful. */
#define _POSIX_C_SOURCE 200809L /* strnlen */
#include "mc_plotdata.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mc_error.h"

static void copy_name(char dst[MC_RESULT_NAME], const char *src) {
  size_t len = strnlen(src, MC_RESULT_NAME - 1);
  memcpy(dst, src, len);
  dst[len] = '\0';
}

/* ---- name sets -------------------------------------------------------------------------- */

int mc_plotdata_names_find(const mc_plotdata_names *set, const char *s) {
  for (size_t i = 0; i < set->n; i++)
    if (strncmp(set->v[i], s, MC_RESULT_NAME - 1) == 0) return (int)i;
  return -1;
}

int mc_plotdata_names_add(mc_plotdata_names *set, const char *s) {
  int at = mc_plotdata_names_find(set, s);
  if (at >= 0) return at;
  if (set->n == set->cap) {
    size_t cap = set->cap ? set->cap * 2 : 8;
    void *p = realloc(set->v, cap * sizeof *set->v);
    if (!p) return MC_ENOMEM;
    set->v = p;
    set->cap = cap;
  }
  copy_name(set->v[set->n], s);
  return (int)set->n++;
}

static int cmp_names(const void *a, const void *b) { return strcmp(a, b); }

void mc_plotdata_names_sort(mc_plotdata_names *set) {
  if (set->n > 1) qsort(set->v, set->n, sizeof *set->v, cmp_names);
}

typedef struct ordered_name {
  char name[MC_RESULT_NAME]; /* first: cmp_names (strcmp) compares two of these, or a name */
  uint32_t order;            /* the allocator's order; none (-1) becomes the largest */
  int tier; /* 0: the first name of its order; 1: a later one (gc@2x after gc); 2: no order */
} ordered_name;

static int cmp_ordered(const void *a, const void *b) {
  const ordered_name *x = a, *y = b;
  if (x->tier != y->tier) return x->tier - y->tier;
  if (x->order != y->order) return x->order < y->order ? -1 : 1;
  return strcmp(x->name, y->name);
}

int mc_plotdata_names_by_order(mc_plotdata_names *set, const mc_plotdata_cell *cells,
                               size_t ncells) {
  if (set->n < 2) return MC_OK;
  ordered_name *t = malloc(set->n * sizeof *t);
  if (!t) return MC_ENOMEM;
  for (size_t i = 0; i < set->n; i++) {
    memcpy(t[i].name, set->v[i], sizeof t[i].name);
    t[i].order = (uint32_t)-1;
    t[i].tier = 0;
  }
  /* each cell's order to its allocator's name: one pass over the cells, a binary search each */
  qsort(t, set->n, sizeof *t, cmp_names);
  for (size_t i = 0; i < ncells; i++) {
    if (cells[i].order < 0) continue;
    ordered_name *x = bsearch(cells[i].allocator, t, set->n, sizeof *t, cmp_names);
    if (x && (uint32_t)cells[i].order < x->order) x->order = (uint32_t)cells[i].order;
  }
  /* by order, then the names that share an order (a heap sweep's gc@2x shares gc's row) after
   * every allocator's own name, so the table's rows keep the first, distinct styles */
  qsort(t, set->n, sizeof *t, cmp_ordered);
  for (size_t i = 0; i < set->n; i++)
    t[i].tier = t[i].order == (uint32_t)-1 ? 2 : (i > 0 && t[i - 1].order == t[i].order);
  qsort(t, set->n, sizeof *t, cmp_ordered);
  for (size_t i = 0; i < set->n; i++) memcpy(set->v[i], t[i].name, sizeof t[i].name);
  free(t);
  return MC_OK;
}

int32_t mc_plotdata_base_order(const mc_plotdata_cell *cells, size_t n) {
  int32_t base = -1;
  for (size_t i = 0; i < n; i++)
    if (cells[i].order >= 0 && (base < 0 || cells[i].order < base)) base = cells[i].order;
  return base;
}

void mc_plotdata_names_free(mc_plotdata_names *set) {
  free(set->v);
  memset(set, 0, sizeof *set);
}

/* ---- statistics ------------------------------------------------------------------------- */

int mc_plotdata_fit_loglog(const double *x, const double *y, size_t n, double *a, double *b) {
  double sx = 0, sy = 0, sxx = 0, sxy = 0, xmin = INFINITY, xmax = -INFINITY;
  size_t m = 0;
  for (size_t i = 0; i < n; i++) {
    if (!(x[i] > 0) || !(y[i] > 0) || !isfinite(x[i]) || !isfinite(y[i])) continue;
    double lx = log(x[i]), ly = log(y[i]);
    sx += lx, sy += ly, sxx += lx * lx, sxy += lx * ly, m++;
    if (lx < xmin) xmin = lx;
    if (lx > xmax) xmax = lx;
  }
  if (m < 2 || !(xmax > xmin)) return MC_EINVAL;
  double den = (double)m * sxx - sx * sx;
  if (!(den > 0)) return MC_EINVAL;
  *a = ((double)m * sxy - sx * sy) / den;
  *b = (sy - *a * sx) / (double)m;
  return MC_OK;
}

size_t mc_plotdata_pareto(const double *x, const double *y, size_t n, int *on_front) {
  size_t count = 0;
  for (size_t i = 0; i < n; i++) {
    int front = !isnan(x[i]) && !isnan(y[i]);
    for (size_t j = 0; front && j < n; j++) {
      if (j == i || isnan(x[j]) || isnan(y[j])) continue;
      if (x[j] <= x[i] && y[j] <= y[i] && (x[j] < x[i] || y[j] < y[i])) front = 0;
    }
    on_front[i] = front;
    count += (size_t)front;
  }
  return count;
}

const char *mc_plotdata_unit(double max_bytes, double *scale) {
  static const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  size_t u = 0;
  double s = 1;
  while (u + 1 < sizeof units / sizeof *units && max_bytes >= s * 1024) s *= 1024, u++;
  *scale = s;
  return units[u];
}

/* ---- cells ------------------------------------------------------------------------------ */

static int cell_is(const mc_plotdata_cell *c, const char *s, const char *w, const char *a,
                   uint64_t n) {
  return c->n == n && strncmp(c->structure, s, MC_RESULT_NAME) == 0 &&
         strncmp(c->workload, w, MC_RESULT_NAME) == 0 &&
         strncmp(c->allocator, a, MC_RESULT_NAME) == 0;
}

/* Returns the index of the cell with that key, adding it (zeroed but for the key) when absent;
 * -1 when out of memory. */
static long cell_get(mc_plotdata_cell **cells, size_t *nc, size_t *cap, const char *s,
                     const char *w, const char *a, uint64_t n) {
  for (size_t i = 0; i < *nc; i++)
    if (cell_is(&(*cells)[i], s, w, a, n)) return (long)i;
  if (*nc == *cap) {
    size_t ncap = *cap ? *cap * 2 : 16;
    void *p = realloc(*cells, ncap * sizeof **cells);
    if (!p) return -1;
    *cells = p;
    *cap = ncap;
  }
  mc_plotdata_cell *c = &(*cells)[*nc];
  memset(c, 0, sizeof *c);
  copy_name(c->structure, s);
  copy_name(c->workload, w);
  copy_name(c->allocator, a);
  c->n = n;
  return (long)(*nc)++;
}

static int cmp_cells(const void *pa, const void *pb) {
  const mc_plotdata_cell *a = pa, *b = pb;
  return mc_result_key_cmp(a->structure, a->workload, a->allocator, a->n, b->structure, b->workload,
                           b->allocator, b->n);
}

#define NTMP 11 /* arrays of r->nsummary doubles cell_from_rows needs */

/* Fills c's numbers from the ok /summary rows whose key is c's (and counts the failed ones);
 * tmp has room for NTMP arrays of r->nsummary doubles. */
static void cell_from_rows(mc_plotdata_cell *c, const mc_results *r, double *tmp) {
  size_t ns = r->nsummary, k = 0;
  double *ops = tmp, *wall = tmp + ns, *ops_s = tmp + 2 * ns, *fp = tmp + 3 * ns,
         *req = tmp + 4 * ns, *rss = tmp + 5 * ns, *apo = tmp + 6 * ns, *ph = tmp + 7 * ns,
         *pr = tmp + 8 * ns, *fh = tmp + 9 * ns, *fr = tmp + 10 * ns;
  c->nfailed = 0;
  c->ops_s_min = INFINITY, c->ops_s_max = -INFINITY;
  for (size_t i = 0; i < ns; i++) {
    const mc_result_summary *s = &r->summary[i];
    if (!cell_is(c, s->structure, s->workload, s->allocator, s->n)) continue;
    if (!s->ok) {
      c->nfailed++;
      continue;
    }
    ph[k] = (double)s->peak_held, pr[k] = (double)s->peak_resident;
    fh[k] = (double)s->final_held, fr[k] = (double)s->final_resident;
    ops[k] = (double)s->ops, wall[k] = (double)s->wall_ns, ops_s[k] = s->ops_per_s;
    fp[k] = (double)s->peak_footprint, req[k] = (double)s->peak_requested;
    rss[k] = (double)s->peak_rss, apo[k] = s->allocs_per_op;
    if (s->ops_per_s < c->ops_s_min) c->ops_s_min = s->ops_per_s;
    if (s->ops_per_s > c->ops_s_max) c->ops_s_max = s->ops_per_s;
    k++;
  }
  c->reps = k;
  c->ok = k > 0;
  if (!k) c->ops_s_min = c->ops_s_max = NAN;
  c->ops = mc_stats_median(ops, k);
  c->wall_ns = mc_stats_median(wall, k);
  c->ops_s_med = mc_stats_median(ops_s, k);
  c->peak_fp = mc_stats_median(fp, k);
  c->peak_req = mc_stats_median(req, k);
  c->peak_rss = mc_stats_median(rss, k);
  c->allocs_per_op = mc_stats_median(apo, k);
  c->peak_held = mc_stats_median(ph, k);
  c->peak_resident = mc_stats_median(pr, k);
  c->final_held = mc_stats_median(fh, k);
  c->final_resident = mc_stats_median(fr, k);
}

/* A cell with no /summary rows: its peaks from the curve, no timings. */
static void cell_from_curve(mc_plotdata_cell *c, const mc_result_run *run) {
  double fp = 0, req = 0, held = 0, res = 0;
  for (size_t i = 0; i < run->ncurve; i++) {
    if ((double)run->curve[i].footprint > fp) fp = (double)run->curve[i].footprint;
    if ((double)run->curve[i].requested > req) req = (double)run->curve[i].requested;
    if ((double)run->curve[i].held > held) held = (double)run->curve[i].held;
    if ((double)run->curve[i].resident > res) res = (double)run->curve[i].resident;
  }
  c->nfailed = !run->ok;
  c->peak_held = run->ncurve ? held : NAN;
  c->peak_resident = run->ncurve ? res : NAN;
  c->final_held = c->final_resident = NAN;
  c->reps = 0;
  c->ok = run->ok != 0;
  c->ops = run->ncurve ? (double)run->curve[run->ncurve - 1].ops : NAN;
  c->wall_ns = c->ops_s_med = c->ops_s_min = c->ops_s_max = NAN;
  c->peak_fp = run->ncurve ? fp : NAN;
  c->peak_req = run->ncurve ? req : NAN;
  c->peak_rss = c->allocs_per_op = NAN;
}

int mc_plotdata_cells(const mc_results *r, mc_plotdata_cell **out, size_t *n) {
  mc_plotdata_cell *cells = NULL;
  size_t nc = 0, cap = 0;
  double *tmp = NULL;
  *out = NULL, *n = 0;
  for (size_t i = 0; i < r->nsummary; i++) {
    const mc_result_summary *s = &r->summary[i];
    if (cell_get(&cells, &nc, &cap, s->structure, s->workload, s->allocator, s->n) < 0) goto oom;
  }
  size_t with_rows = nc;
  if (r->nsummary && !(tmp = malloc(NTMP * r->nsummary * sizeof *tmp))) goto oom;
  for (size_t i = 0; i < with_rows; i++) cell_from_rows(&cells[i], r, tmp);
  for (size_t i = 0; i < r->nruns; i++) {
    const mc_result_run *run = &r->runs[i];
    long at = cell_get(&cells, &nc, &cap, run->structure, run->workload, run->allocator, run->n);
    if (at < 0) goto oom;
    cells[at].run = run;
    if ((size_t)at >= with_rows) cell_from_curve(&cells[at], run);
  }
  for (size_t i = 0; i < nc; i++) { /* the structure's and the allocator's facts, from runs */
    cells[i].order = cells[i].run ? cells[i].run->allocator_order : -1;
    for (size_t j = 0; j < r->nruns && cells[i].order < 0; j++)
      if (!strcmp(r->runs[j].allocator, cells[i].allocator))
        cells[i].order = r->runs[j].allocator_order;
    for (size_t j = 0; j < r->nruns && !cells[i].array; j++)
      if (!strcmp(r->runs[j].structure, cells[i].structure)) cells[i].array = r->runs[j].array;
  }
  free(tmp);
  if (nc > 1) qsort(cells, nc, sizeof *cells, cmp_cells);
  *out = cells, *n = nc;
  return MC_OK;
oom:
  free(tmp);
  free(cells);
  return MC_ENOMEM;
}

/* ---- verdicts on memory ------------------------------------------------------------------ */

const mc_plotdata_cell *mc_plotdata_leanest(const mc_plotdata_cell *cells, size_t lo, size_t hi,
                                            uint64_t n, int by_resident) {
  const mc_plotdata_cell *best = NULL;
  for (size_t i = lo; i < hi; i++) {
    const mc_plotdata_cell *c = &cells[i];
    double v = by_resident ? c->peak_resident : c->peak_held;
    if (c->n != n || !c->ok || c->nfailed || !isfinite(v)) continue;
    if (!best || v < (by_resident ? best->peak_resident : best->peak_held)) best = c;
  }
  return best;
}

int mc_plotdata_lean_disagree(const mc_plotdata_cell *cells, size_t lo, size_t hi, uint64_t n,
                              const mc_plotdata_cell **by_held, const mc_plotdata_cell **by_res) {
  const mc_plotdata_cell *h = mc_plotdata_leanest(cells, lo, hi, n, 0);
  const mc_plotdata_cell *r = mc_plotdata_leanest(cells, lo, hi, n, 1);
  if (by_held) *by_held = h;
  if (by_res) *by_res = r;
  return h && r && h != r && h->peak_resident > 1.10 * r->peak_resident;
}
