/* mc_verdict.c — the verdicts of the report (see mc_verdict.h).
 *
 * One N per group: the largest at which some allocator has a timed run, else the largest with
 * a peak. The baseline: the allocator of the lowest allocator_order in the file (a fact of its
 * runs: system's 0 when system ran), the same in every group; a group without a cell of it at
 * its N has no ratios. Time: each cell's finished wall times against the baseline's through
 * mc_stats_compare
 * (Mann-Whitney p < 0.05 AND a bootstrap 95 % interval of the ratio of medians without 1).
 * Fastest set: the cell with the lowest median, and every cell not significantly slower than
 * it (the same test) — so a noise-level lead is a tie, never a winner. Leanest set: the lowest
 * memory and every cell within mc_stats_mem_same of it. Pareto: on (median time, memory).
 * Cells measured on different hosts (per-run provenance) are never ranked by time: such a group
 * gets its memory verdicts only. */
#include "mc_verdict.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc_error.h"

static uint64_t group_n(const mc_plotdata_cell *c, size_t lo, size_t hi) {
  uint64_t timed = 0, any = 0;
  for (size_t i = lo; i < hi; i++) {
    if (isfinite(c[i].wall_ns) && c[i].n > timed) timed = c[i].n;
    if (isfinite(c[i].peak_fp) && c[i].n > any) any = c[i].n;
  }
  return timed ? timed : any;
}

static int same_key(const mc_result_summary *s, const mc_plotdata_cell *c) {
  return s->n == c->n && !strcmp(s->structure, c->structure) && !strcmp(s->workload, c->workload) &&
         !strcmp(s->allocator, c->allocator);
}

/* The cell's finished wall times into v->walls; its repetitions into reps_total. */
static int gather(const mc_results *r, mc_verdict_cell *v) {
  size_t k = 0, total = 0;
  for (size_t i = 0; i < r->nsummary; i++)
    if (same_key(&r->summary[i], v->c)) total++;
  v->walls = malloc((total ? total : 1) * sizeof *v->walls);
  if (!v->walls) return MC_ENOMEM;
  for (size_t i = 0; i < r->nsummary; i++)
    if (same_key(&r->summary[i], v->c) && r->summary[i].ok)
      v->walls[k++] = (double)r->summary[i].wall_ns;
  v->nwalls = k;
  v->reps_total = total;
  return MC_OK;
}

static void against_base(mc_verdict_group *g) {
  const mc_verdict_cell *s = g->has_base ? &g->v[0] : NULL;
  for (size_t i = 0; i < g->nv; i++) {
    mc_verdict_cell *v = &g->v[i];
    v->mem = mc_verdict_mem(v->c);
    v->mem_ratio = NAN;
    v->mem_cmp = 2;
    v->t = (mc_stats_cmp){NAN, NAN, NAN, NAN, 0, 0, NAN, NAN};
    if (!s || !v->c->ok || !s->c->ok) continue;
    if (v->nwalls && s->nwalls && !g->mixed_hosts)
      mc_stats_compare(s->walls, s->nwalls, v->walls, v->nwalls, MC_VERDICT_SEED, &v->t);
    if (isfinite(v->mem) && isfinite(s->mem) && s->mem > 0) {
      v->mem_ratio = v->mem / s->mem;
      v->mem_cmp = mc_stats_mem_same(v->mem, s->mem) ? 0 : v->mem < s->mem ? -1 : 1;
    }
  }
}

static void best_sets(mc_verdict_group *g) {
  mc_verdict_cell *fast = NULL, *lean = NULL;
  for (size_t i = 0; i < g->nv; i++) {
    mc_verdict_cell *v = &g->v[i];
    if (!v->c->ok) continue;
    if (v->nwalls && isfinite(v->c->wall_ns) && !g->mixed_hosts &&
        (!fast || v->c->wall_ns < fast->c->wall_ns))
      fast = v;
    if (isfinite(v->mem) && (!lean || v->mem < lean->mem)) lean = v;
  }
  for (size_t i = 0; i < g->nv; i++) {
    mc_verdict_cell *v = &g->v[i];
    if (!v->c->ok) continue;
    if (fast && v->nwalls) {
      mc_stats_cmp c;
      v->fastest = v == fast || (mc_stats_compare(fast->walls, fast->nwalls, v->walls, v->nwalls,
                                                  MC_VERDICT_SEED, &c) == 0 &&
                                 c.verdict == 0);
    }
    if (lean && isfinite(v->mem)) v->leanest = mc_stats_mem_same(v->mem, lean->mem);
    g->nfastest += (size_t)v->fastest;
    g->nleanest += (size_t)v->leanest;
  }
}

/* 1 if the cells of g were measured on more than one host (a cell's run's provenance; a cell
 * without a run, or a run without provenance: host ""). */
static int mixed_hosts(const mc_verdict_group *g) {
  const char *h0 = NULL;
  for (size_t i = 0; i < g->nv; i++) {
    const mc_result_run *run = g->v[i].c->run;
    const char *h = run && run->prov ? run->prov->host : "";
    if (!h0) h0 = h;
    if (strcmp(h, h0)) return 1;
  }
  return 0;
}

static int pareto(mc_verdict_group *g) {
  if (g->mixed_hosts) return MC_OK; /* no time ranking across hosts: no front */
  double *x = malloc((g->nv + 1) * sizeof *x), *y = malloc((g->nv + 1) * sizeof *y);
  int *on = calloc(g->nv + 1, sizeof *on);
  if (!x || !y || !on) {
    free(x), free(y), free(on);
    return MC_ENOMEM;
  }
  for (size_t i = 0; i < g->nv; i++) {
    int ok = g->v[i].c->ok && g->v[i].nwalls;
    x[i] = ok ? g->v[i].c->wall_ns : NAN;
    y[i] = ok ? g->v[i].mem : NAN;
  }
  g->npareto = mc_plotdata_pareto(x, y, g->nv, on);
  for (size_t i = 0; i < g->nv; i++) g->v[i].pareto = on[i];
  free(x), free(y), free(on);
  return MC_OK;
}

static int build(const mc_results *r, const mc_plotdata_cell *cells, size_t lo, size_t hi,
                 int32_t base, mc_verdict_group *g) {
  memset(g, 0, sizeof *g);
  snprintf(g->structure, sizeof g->structure, "%s", cells[lo].structure);
  snprintf(g->workload, sizeof g->workload, "%s", cells[lo].workload);
  g->n = group_n(cells, lo, hi);
  if (!(g->v = calloc(hi - lo, sizeof *g->v))) return MC_ENOMEM;
  for (size_t i = lo; i < hi; i++) /* the baseline first, then the others in cell order */
    if (cells[i].n == g->n && base >= 0 && cells[i].order == base && !g->nv)
      g->v[g->nv++].c = &cells[i];
  g->has_base = g->nv == 1;
  for (size_t i = lo; i < hi; i++)
    if (cells[i].n == g->n && !(g->has_base && g->v[0].c == &cells[i])) g->v[g->nv++].c = &cells[i];
  for (size_t i = 0; i < g->nv; i++)
    if (gather(r, &g->v[i]) != MC_OK) return MC_ENOMEM;
  g->mixed_hosts = mixed_hosts(g);
  against_base(g);
  best_sets(g);
  return pareto(g);
}

int mc_verdict_groups(const mc_results *r, const mc_plotdata_cell *cells, size_t ncells,
                      mc_verdict_group **out, size_t *n) {
  size_t ng = 0, k = 0;
  for (size_t i = 0; i < ncells; i++)
    ng += i == 0 || strcmp(cells[i].structure, cells[i - 1].structure) ||
          strcmp(cells[i].workload, cells[i - 1].workload);
  *out = NULL;
  *n = 0;
  mc_verdict_group *g = calloc(ng ? ng : 1, sizeof *g);
  if (!g) return MC_ENOMEM;
  int32_t base = mc_plotdata_base_order(cells, ncells);
  for (size_t lo = 0, hi; lo < ncells; lo = hi) {
    for (hi = lo; hi < ncells && !strcmp(cells[hi].structure, cells[lo].structure) &&
                  !strcmp(cells[hi].workload, cells[lo].workload);
         hi++) {
    }
    if (build(r, cells, lo, hi, base, &g[k++]) != MC_OK) {
      mc_verdict_groups_free(g, k);
      return MC_ENOMEM;
    }
  }
  *out = g;
  *n = k;
  return MC_OK;
}

void mc_verdict_groups_free(mc_verdict_group *g, size_t n) {
  for (size_t i = 0; g && i < n; i++) {
    for (size_t j = 0; g[i].v && j < g[i].nv; j++) free(g[i].v[j].walls);
    free(g[i].v);
  }
  free(g);
}

/* ---- the heap sweep ------------------------------------------------------------------------ */

static double pause_total(const mc_result_run *run) {
  if (!run || !run->ncurve) return NAN;
  double t = 0;
  for (size_t i = 0; i < run->nevents; i++)
    if (run->events[i].kind == MC_RESULT_EV_COLLECT) t += (double)run->events[i].pause_ns;
  return t;
}

static double median_collections(const mc_results *r, const mc_plotdata_cell *c) {
  double *v = malloc((r->nsummary ? r->nsummary : 1) * sizeof *v);
  size_t k = 0;
  for (size_t i = 0; v && i < r->nsummary; i++)
    if (same_key(&r->summary[i], c) && r->summary[i].ok) v[k++] = (double)r->summary[i].collections;
  double m = k ? mc_stats_median(v, k) : NAN;
  free(v);
  return m;
}

static mc_verdict_hs *hs_point(mc_verdict_hs *h, size_t *n, const mc_plotdata_cell *c) {
  for (size_t i = 0; i < *n; i++)
    if (h[i].n == c->n && !strcmp(h[i].structure, c->structure) &&
        !strcmp(h[i].workload, c->workload))
      return &h[i];
  mc_verdict_hs *p = &h[(*n)++];
  memset(p, 0, sizeof *p);
  snprintf(p->structure, sizeof p->structure, "%s", c->structure);
  snprintf(p->workload, sizeof p->workload, "%s", c->workload);
  p->n = c->n;
  p->heap_min = c->run->heap_min;
  return p;
}

/* Inserts the limited run c into p, ascending by multiple. */
static int hs_add_gc(const mc_results *r, mc_verdict_hs *p, const mc_plotdata_cell *c) {
  if (p->ngc == MC_VERDICT_HS_MAX) return MC_OK;
  size_t i = p->ngc++;
  for (; i > 0 && p->multiple[i - 1] > c->run->heap_multiple; i--) {
    p->gc[i] = p->gc[i - 1];
    p->multiple[i] = p->multiple[i - 1];
    p->collections[i] = p->collections[i - 1];
    p->pause_ns[i] = p->pause_ns[i - 1];
  }
  memset(&p->gc[i], 0, sizeof p->gc[i]);
  p->gc[i].c = c;
  p->multiple[i] = c->run->heap_multiple;
  p->collections[i] = median_collections(r, c);
  p->pause_ns[i] = pause_total(c->run);
  return gather(r, &p->gc[i]);
}

static void hs_compare(mc_verdict_hs *p) {
  for (size_t k = 0; k < p->nref; k++) {
    for (size_t i = 0; i < p->ngc; i++) {
      mc_stats_cmp *t = &p->vs[i][k];
      *t = (mc_stats_cmp){NAN, NAN, NAN, NAN, 0, 0, NAN, NAN};
      if (p->gc[i].nwalls && p->ref[k].nwalls)
        mc_stats_compare(p->ref[k].walls, p->ref[k].nwalls, p->gc[i].walls, p->gc[i].nwalls,
                         MC_VERDICT_SEED, t);
    }
    p->match[k] = NAN; /* from the largest multiple down, while gc is not slower */
    for (size_t i = p->ngc; i-- > 0;) {
      if (!p->gc[i].c->ok || !p->gc[i].nwalls || !p->ref[k].nwalls || p->vs[i][k].verdict > 0)
        break;
      p->match[k] = p->multiple[i];
    }
  }
}

int mc_verdict_heap_sweeps(const mc_results *r, const mc_plotdata_cell *cells, size_t ncells,
                           mc_verdict_hs **out, size_t *n) {
  *out = NULL;
  *n = 0;
  size_t cap = 0;
  for (size_t i = 0; i < ncells; i++) cap += cells[i].run && cells[i].run->heap_min;
  if (!cap) return MC_OK;
  mc_verdict_hs *h = calloc(cap, sizeof *h);
  if (!h) return MC_ENOMEM;
  int rc = MC_OK;
  for (size_t i = 0; i < ncells && !rc; i++) {
    const mc_plotdata_cell *c = &cells[i];
    if (!c->run || !c->run->heap_min) continue;
    mc_verdict_hs *p = hs_point(h, n, c);
    if (c->run->heap_multiple > 0) {
      rc = hs_add_gc(r, p, c);
    } else if (p->nref < MC_VERDICT_HS_REFS) {
      mc_verdict_cell *v = &p->ref[p->nref++];
      memset(v, 0, sizeof *v);
      v->c = c;
      rc = gather(r, v);
    }
  }
  for (size_t i = 0; i < *n; i++) hs_compare(&h[i]);
  if (rc) {
    mc_verdict_heap_sweeps_free(h, *n);
    *n = 0;
    return rc;
  }
  *out = h;
  return MC_OK;
}

void mc_verdict_heap_sweeps_free(mc_verdict_hs *h, size_t n) {
  for (size_t i = 0; h && i < n; i++) {
    for (size_t j = 0; j < h[i].ngc; j++) free(h[i].gc[j].walls);
    for (size_t j = 0; j < h[i].nref; j++) free(h[i].ref[j].walls);
  }
  free(h);
}

/* ---- regions against immediate free -----------------------------------------------------------
 */

static size_t resets(const mc_result_run *run) {
  size_t k = 0;
  for (size_t i = 0; run && i < run->nevents; i++) k += run->events[i].kind == MC_RESULT_EV_RESET;
  return k;
}

static int is_region(const mc_plotdata_cell *c) { return c->ok && resets(c->run) >= 2; }

/* A run that frees at last use. Its peak held must cover its peak live bytes (an allocator
 * holds at least what it handed out): a malloc whose statistics say less (mimalloc's committed
 * bytes when its segments were committed before the run's baseline) cannot be compared. */
static int is_freeing(const mc_plotdata_cell *c) {
  return c->ok && c->run && c->run->ncurve && resets(c->run) == 0 &&
         !(c->run->heap & (MC_RESULT_HEAP_COLLECTED | MC_RESULT_HEAP_MANAGED)) &&
         mc_verdict_mem(c) >= c->peak_req;
}

/* The comparison of cells[lo, hi) (one structure and workload) at N = n. */
static void region_at(const mc_plotdata_cell *cells, size_t lo, size_t hi, uint64_t n,
                      mc_verdict_region *g) {
  memset(g, 0, sizeof *g);
  snprintf(g->structure, sizeof g->structure, "%s", cells[lo].structure);
  snprintf(g->workload, sizeof g->workload, "%s", cells[lo].workload);
  g->n = n;
  for (size_t i = lo; i < hi; i++) {
    const mc_plotdata_cell *c = &cells[i];
    if (c->n != n) continue;
    if (is_region(c) && g->nregion < MC_VERDICT_RG_MAX) g->region[g->nregion++] = c;
    if (is_freeing(c) && g->nfreeing < MC_VERDICT_RG_MAX) g->freeing[g->nfreeing++] = c;
    if (is_region(c) || is_freeing(c)) g->live = fmax(g->live, c->peak_req);
  }
  for (size_t i = 0; i < g->nregion; i++)
    for (size_t j = 0; j < g->nfreeing; j++) {
      double a = mc_verdict_mem(g->region[i]), b = mc_verdict_mem(g->freeing[j]);
      g->increase[i][j] = b > 0 ? a / b - 1 : NAN;
    }
}

int mc_verdict_regions(const mc_plotdata_cell *cells, size_t ncells, mc_verdict_region **out,
                       size_t *n) {
  *out = NULL;
  *n = 0;
  for (size_t lo = 0, hi; lo < ncells; lo = hi) {
    for (hi = lo; hi < ncells && !strcmp(cells[hi].structure, cells[lo].structure) &&
                  !strcmp(cells[hi].workload, cells[lo].workload);
         hi++) {
    }
    uint64_t best = 0; /* the largest N with a region run and a freeing one */
    for (size_t i = lo; i < hi; i++) {
      if (!is_region(&cells[i]) || cells[i].n <= best) continue;
      for (size_t j = lo; j < hi; j++)
        if (cells[j].n == cells[i].n && is_freeing(&cells[j])) best = cells[i].n;
    }
    if (!best) continue;
    mc_verdict_region *g = realloc(*out, (*n + 1) * sizeof *g);
    if (!g) {
      free(*out);
      *out = NULL, *n = 0;
      return MC_ENOMEM;
    }
    *out = g;
    region_at(cells, lo, hi, best, &g[(*n)++]);
  }
  return MC_OK;
}
