/* mc_verdict.c — the verdicts of the report (see mc_verdict.h).
 *
 * One N per group: the largest at which some allocator has a timed run, else the largest with
 * a peak. Time: each cell's finished wall times against system's through mc_stats_compare
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

static void against_system(mc_verdict_group *g) {
  const mc_verdict_cell *s = g->has_sys ? &g->v[0] : NULL;
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
                 mc_verdict_group *g) {
  memset(g, 0, sizeof *g);
  snprintf(g->structure, sizeof g->structure, "%s", cells[lo].structure);
  snprintf(g->workload, sizeof g->workload, "%s", cells[lo].workload);
  g->n = group_n(cells, lo, hi);
  if (!(g->v = calloc(hi - lo, sizeof *g->v))) return MC_ENOMEM;
  for (size_t i = lo; i < hi; i++) /* system first, then the others in cell order */
    if (cells[i].n == g->n && !strcmp(cells[i].allocator, "system")) g->v[g->nv++].c = &cells[i];
  g->has_sys = g->nv == 1;
  for (size_t i = lo; i < hi; i++)
    if (cells[i].n == g->n && strcmp(cells[i].allocator, "system")) g->v[g->nv++].c = &cells[i];
  for (size_t i = 0; i < g->nv; i++)
    if (gather(r, &g->v[i]) != MC_OK) return MC_ENOMEM;
  g->mixed_hosts = mixed_hosts(g);
  against_system(g);
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
  for (size_t lo = 0, hi; lo < ncells; lo = hi) {
    for (hi = lo; hi < ncells && !strcmp(cells[hi].structure, cells[lo].structure) &&
                  !strcmp(cells[hi].workload, cells[lo].workload);
         hi++) {
    }
    if (build(r, cells, lo, hi, &g[k++]) != MC_OK) {
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
