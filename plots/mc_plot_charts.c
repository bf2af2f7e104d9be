/* mc_plot_charts.c — what each chart shows: which runs and cells, which numbers go into its
 * data file, which gnuplot variables it needs. The gnuplot side is mc_plot.c.
 *
 * Per (structure, workload): the curve charts (curve, overhead, gc_heap, gc_pauses, gc_cycles)
 * show the largest N that has curves; peak_vs_n and throughput every N; tradeoff the largest N
 * where at least two allocators have both a time and a peak. Curves longer than MAX_POINTS
 * samples are thinned to MAX_POINTS buckets keeping each bucket's highest footprint, so peaks
 * survive. Allocators are iterated in the file's style order so colours match across charts.
 * Workloads whose N is a tree depth (binary-trees, gcbench) get depth axes: peak against depth
 * on a log-linear chart whose fit gives the growth factor per level (e^a of ln y = b + a d,
 * computed with the log-log fit on e^d), since a power-law exponent of a depth means nothing. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc_error.h"
#include "mc_plot_impl.h"

#define MAX_POINTS 4000 /* curve samples per series drawn */

static void put(FILE *f, const char *fmt, ...) {
  if (!f) return;
  va_list ap;
  va_start(ap, fmt);
  vfprintf(f, fmt, ap);
  va_end(ap);
}

/* One row of the chart's data file (counted even when only planning: a chart with no row is
 * skipped, never handed to gnuplot). */
static void row(chart *ch, const char *fmt, ...) {
  ch->nrows++;
  if (!ch->data) return;
  va_list ap;
  va_start(ap, fmt);
  vfprintf(ch->data, fmt, ap);
  va_end(ap);
}

static void set_unit(chart *ch, double max_bytes) {
  double scale;
  const char *unit = mc_plotdata_unit(max_bytes, &scale);
  mc__sb_num(&ch->vars, "mscale", scale);
  mc__sb_str(&ch->vars, "munit", unit);
}

/* ---- per (structure, workload) ------------------------------------------------------------ */

/* The run of allocator a at N = n in group g, if it has a curve. */
static const mc_result_run *run_at(const ctx *c, const group *g, const char *a, uint64_t n) {
  for (size_t i = g->lo; i < g->hi; i++) {
    const mc_plotdata_cell *x = &c->cells[i];
    if (x->n == n && x->run && x->run->ncurve && strcmp(x->allocator, a) == 0) return x->run;
  }
  return NULL;
}

int mc__plot_is_collector(const mc_result_run *run) {
  if (run->heap & MC_RESULT_HEAP_COLLECTED) return 1;
  for (size_t i = 0; i < run->nevents; i++)
    if (run->events[i].kind == MC_RESULT_EV_COLLECT) return 1;
  return 0;
}

/* 1 when run's requested column counts live bytes: never above the footprint. Under Boehm the
 * collector reclaims without telling anyone, so requested is bytes allocated minus explicit
 * frees and soon exceeds what the heap holds: not a live count, not drawn. */
static int requested_is_live(const mc_result_run *run) {
  for (size_t i = 0; i < run->ncurve; i++)
    if (run->curve[i].requested > run->curve[i].footprint) return 0;
  return 1;
}

/* Writes run's curve as rows "x requested footprint" (x = ops, or t_ns when by_time), thinned
 * to MAX_POINTS buckets keeping each bucket's highest footprint, requested as nan when it is not
 * a live count (noted once per chart); returns the peak footprint. */
static double put_curve(chart *ch, const mc_result_run *run, int by_time) {
  size_t stride = (run->ncurve + MAX_POINTS - 1) / MAX_POINTS, best = 0;
  double peak = 0;
  int live = requested_is_live(run);
  if (!live)
    mc__plot_note(ch->c, "%s: %s's requested bytes exceed its footprint (reclaimed bytes are not "
                  "counted): its requested line is left out", ch->info.name, run->allocator);
  for (size_t i = 0; i < run->ncurve; i++) {
    const mc_result_point *p = &run->curve[i];
    if ((double)p->footprint > peak) peak = (double)p->footprint;
    if (i % stride == 0 || p->footprint > run->curve[best].footprint) best = i;
    if ((i + 1) % stride && i + 1 < run->ncurve) continue;
    const mc_result_point *q = &run->curve[best];
    char req[24] = "nan";
    if (live) snprintf(req, sizeof req, "%llu", (unsigned long long)q->requested);
    row(ch, "%llu %s %llu\n", (unsigned long long)(by_time ? q->t_ns : q->ops), req,
        (unsigned long long)q->footprint);
  }
  return peak;
}

#define MAX_MARKS 64 /* collections marked per series at most: more would hide the line */

/* 1 when run's collections are few enough to mark one by one; else a note says they are not. */
static int marks_ok(chart *ch, const mc_result_run *run) {
  size_t k = 0;
  for (size_t e = 0; e < run->nevents; e++) k += run->events[e].kind == MC_RESULT_EV_COLLECT;
  if (k <= MAX_MARKS) return 1;
  mc__plot_note(ch->c, "%s: %s's %zu collections not marked (more than %d)", ch->info.name,
                run->allocator, k, MAX_MARKS);
  return 0;
}

/* phases='ops ops ...': where the workload's phases start (waves: grow, shrink), from the first
 * run that records them (the workloads are deterministic: every allocator has the same ones).
 * Returns 1 when run had phases. */
static int put_phases(chart *ch, const mc_result_run *run) {
  size_t k = 0;
  for (size_t e = 0; e < run->nevents && k < 64; e++) {
    if (run->events[e].kind != MC_RESULT_EV_PHASE || run->events[e].ops == 0) continue;
    mc__sb_printf(&ch->vars, "%s%llu", k++ ? " " : "phases='",
                  (unsigned long long)run->events[e].ops);
  }
  if (k) mc__sb_printf(&ch->vars, "';");
  return k > 0;
}

static void draw_curve(ctx *c, const group *g) {
  char title[256];
  chart ch;
  snprintf(title, sizeof title, "%s / %s, N = %llu: memory held (footprint) and requested", g->s,
           g->w, (unsigned long long)g->curve_n);
  if (mc__chart_begin(c, &ch, "curve", g->s, g->w, title) != MC_OK)
    return mc__chart_skip(&ch, "cannot write its data");
  double peak = 0;
  int coll = 0, reset = 0, phased = 0;
  for (size_t a = 0; a < c->allocs.n; a++) {
    const mc_result_run *run = run_at(c, g, c->allocs.v[a], g->curve_n);
    if (!run) continue;
    mc__chart_series(&ch, c->allocs.v[a], mc__plot_style(c, c->allocs.v[a]));
    if (!phased) phased = put_phases(&ch, run);
    double pk = put_curve(&ch, run, 0);
    if (pk > peak) peak = pk;
    size_t nm = 0;
    int mark_coll = marks_ok(&ch, run);
    for (size_t e = 0; e < run->nevents; e++) {
      const mc_result_event *ev = &run->events[e];
      if (ev->kind < MC_RESULT_EV_COLLECT || ev->kind > MC_RESULT_EV_UNWIND) continue;
      if (ev->kind == MC_RESULT_EV_COLLECT && !mark_coll) continue;
      if (!nm++) mc__chart_marks_series(&ch, mc__plot_style(c, c->allocs.v[a]));
      put(ch.marks, "%llu %llu %d\n", (unsigned long long)ev->ops,
          (unsigned long long)ev->bytes_after, (int)ev->kind);
      if (ev->kind == MC_RESULT_EV_COLLECT)
        coll = 1;
      else
        reset = 1;
    }
  }
  set_unit(&ch, peak);
  mc__sb_printf(&ch.vars, "hascoll=%d;hasreset=%d;", coll, reset);
  mc__chart_end(&ch, "curve");
}

static void draw_overhead(ctx *c, const group *g) {
  char title[256];
  chart ch;
  snprintf(title, sizeof title,
           "%s / %s, N = %llu: overhead, footprint ÷ requested (samples holding ≥ 1%% of the peak)",
           g->s, g->w, (unsigned long long)g->curve_n);
  if (mc__chart_begin(c, &ch, "overhead", g->s, g->w, title) != MC_OK)
    return mc__chart_skip(&ch, "cannot write its data");
  double maxr = 0;
  for (size_t a = 0; a < c->allocs.n; a++) {
    const mc_result_run *run = run_at(c, g, c->allocs.v[a], g->curve_n);
    if (!run) continue;
    uint64_t peak = 0;
    for (size_t i = 0; i < run->ncurve; i++)
      if (run->curve[i].requested > peak) peak = run->curve[i].requested;
    if (!peak) continue;
    if (!requested_is_live(run)) {
      mc__plot_note(c, "%s: %s left out, its requested bytes are not a live count", ch.info.name,
                    run->allocator);
      continue;
    }
    mc__chart_series(&ch, c->allocs.v[a], mc__plot_style(c, c->allocs.v[a]));
    size_t stride = (run->ncurve + MAX_POINTS - 1) / MAX_POINTS;
    for (size_t i = 0; i < run->ncurve; i++) {
      const mc_result_point *p = &run->curve[i];
      if (p->requested == 0 || p->requested * 100 < peak || (i % stride && i + 1 < run->ncurve))
        continue;
      double ratio = (double)p->footprint / (double)p->requested;
      if (ratio > maxr) maxr = ratio;
      row(&ch, "%llu %.6g\n", (unsigned long long)p->ops, ratio);
    }
  }
  if (!ch.ns) return mc__chart_skip(&ch, "no curve with requested bytes");
  mc__sb_printf(&ch.vars, "logy=%d;", maxr > 8);
  mc__chart_end(&ch, "overhead");
}

/* 1 when the group's N is a tree depth (binary-trees, GCBench: memory grows like 2^depth), as
 * its runs record it (n_means). */
static int n_is_depth(const ctx *c, const group *g) {
  for (size_t i = 0; i < c->r->nruns; i++) {
    const mc_result_run *x = &c->r->runs[i];
    if (strcmp(x->structure, g->s) == 0 && strcmp(x->workload, g->w) == 0)
      return x->n_means == MC_RESULT_N_DEPTH;
  }
  return 0;
}

/* Peak footprint against N, log-log with the power-law exponent k; for tree depths, log-linear
 * with the growth factor per level (ln peak = b + a depth, factor e^a). */
static void draw_peak_vs_n(ctx *c, const group *g) {
  char title[256];
  chart ch;
  size_t nn = 0;
  int depth = n_is_depth(c, g);
  for (size_t i = g->lo; i < g->hi; i++)
    if (c->cells[i].ok && (i == g->lo || c->cells[i].n != c->cells[i - 1].n)) nn++;
  snprintf(title, sizeof title, "%s / %s: %s", g->s, g->w,
           depth ? "peak footprint against tree depth (log scale; growth factor per level)"
                 : "peak footprint against N (log-log; k = fitted exponent)");
  if (mc__chart_begin(c, &ch, "peak_vs_n", g->s, g->w, title) != MC_OK)
    return mc__chart_skip(&ch, "cannot write its data");
  double maxb = 0, xs[64], ys[64];
  for (size_t a = 0; a < c->allocs.n && nn >= 2; a++) {
    size_t k = 0;
    for (size_t i = g->lo; i < g->hi && k < 64; i++) {
      const mc_plotdata_cell *x = &c->cells[i];
      if (!x->ok || !(x->peak_fp > 0) || strcmp(x->allocator, c->allocs.v[a])) continue;
      xs[k] = depth ? exp((double)x->n) : (double)x->n, ys[k++] = x->peak_fp;
      mc__chart_x(&ch, x->n);
      if (x->peak_fp > maxb) maxb = x->peak_fp;
    }
    if (!k) continue;
    double fa = NAN, fb = NAN;
    char label[MC_RESULT_NAME + 48], name[16];
    if (mc_plotdata_fit_loglog(xs, ys, k, &fa, &fb) == MC_OK && depth)
      snprintf(label, sizeof label, "%s: ×%.2f per level", c->allocs.v[a], exp(fa));
    else if (isfinite(fa))
      snprintf(label, sizeof label, "%s: k = %.2f", c->allocs.v[a], fa);
    else
      snprintf(label, sizeof label, "%s (one N, no fit)", c->allocs.v[a]);
    mc__chart_series(&ch, label, mc__plot_style(c, c->allocs.v[a]));
    for (size_t i = 0; i < k; i++)
      row(&ch, "%.0f %.17g\n", depth ? round(log(xs[i])) : xs[i], ys[i]);
    snprintf(name, sizeof name, "a%zu", ch.ns);
    mc__sb_num(&ch.vars, name, fa);
    snprintf(name, sizeof name, "b%zu", ch.ns);
    mc__sb_num(&ch.vars, name, fb); /* ln bytes = fb + fa ln N */
  }
  if (nn < 2) return mc__chart_skip(&ch, "fewer than two values of N");
  if (!ch.ns) return mc__chart_skip(&ch, "no finished run with a peak");
  set_unit(&ch, maxb);
  mc__sb_printf(&ch.vars, "depth=%d;", depth);
  mc__chart_end(&ch, "peak_vs_n");
}

static void draw_throughput(ctx *c, const group *g) {
  char title[256];
  chart ch;
  snprintf(title, sizeof title, "%s / %s: throughput against %s (timed runs, median and min–max)",
           g->s, g->w, n_is_depth(c, g) ? "tree depth" : "N");
  if (mc__chart_begin(c, &ch, "throughput", g->s, g->w, title) != MC_OK)
    return mc__chart_skip(&ch, "cannot write its data");
  uint64_t nmin = UINT64_MAX, nmax = 0;
  for (size_t a = 0; a < c->allocs.n; a++) {
    int started = 0;
    for (size_t i = g->lo; i < g->hi; i++) {
      const mc_plotdata_cell *x = &c->cells[i];
      if (!x->reps || !isfinite(x->ops_s_med) || strcmp(x->allocator, c->allocs.v[a])) continue;
      if (!started++) mc__chart_series(&ch, c->allocs.v[a], mc__plot_style(c, c->allocs.v[a]));
      row(&ch, "%llu %.6g %.6g %.6g\n", (unsigned long long)x->n, x->ops_s_med, x->ops_s_min,
          x->ops_s_max);
      mc__chart_x(&ch, x->n);
      if (x->n < nmin) nmin = x->n;
      if (x->n > nmax) nmax = x->n;
    }
  }
  if (!ch.ns) return mc__chart_skip(&ch, "no timed repetition in /summary");
  mc__sb_printf(&ch.vars, "logx=%d;", nmax >= 10 * nmin && !n_is_depth(c, g));
  if (n_is_depth(c, g)) mc__sb_str(&ch.vars, "xlab", "tree depth");
  mc__sb_str(&ch.vars, "what", "operations");
  mc__chart_end(&ch, "throughput");
}

/* Time against peak memory at the largest N where at least two allocators have both. */
static void draw_tradeoff(ctx *c, const group *g) {
  char title[256];
  chart ch;
  uint64_t n = 0;
  for (size_t i = g->lo; i < g->hi; i++) {
    size_t k = 0;
    for (size_t j = g->lo; j < g->hi; j++)
      k += c->cells[j].n == c->cells[i].n && isfinite(c->cells[j].wall_ns) &&
           isfinite(c->cells[j].peak_fp);
    if (k >= 2 && c->cells[i].n > n) n = c->cells[i].n;
  }
  snprintf(title, sizeof title,
           "%s / %s, N = %llu: time against peak memory (lower left is better)", g->s, g->w,
           (unsigned long long)n);
  if (mc__chart_begin(c, &ch, "tradeoff", g->s, g->w, title) != MC_OK)
    return mc__chart_skip(&ch, "cannot write its data");
  if (!n) return mc__chart_skip(&ch, "fewer than two allocators with both a time and a peak");
  double xs[64], ys[64], xmin = INFINITY, xmax = 0, ymin = INFINITY, ymax = 0;
  int front[64];
  size_t k = 0;
  for (size_t a = 0; a < c->allocs.n && k < 64; a++)
    for (size_t i = g->lo; i < g->hi; i++) {
      const mc_plotdata_cell *x = &c->cells[i];
      if (x->n != n || !isfinite(x->wall_ns) || !isfinite(x->peak_fp) ||
          strcmp(x->allocator, c->allocs.v[a]))
        continue;
      mc__chart_series(&ch, x->allocator, mc__plot_style(c, x->allocator));
      row(&ch, "%.17g %.17g\n", x->peak_fp, x->wall_ns);
      xs[k] = x->peak_fp, ys[k++] = x->wall_ns;
      xmin = fmin(xmin, x->peak_fp), xmax = fmax(xmax, x->peak_fp);
      ymin = fmin(ymin, x->wall_ns), ymax = fmax(ymax, x->wall_ns);
    }
  mc_plotdata_pareto(xs, ys, k, front);
  for (;;) { /* the front, by increasing memory */
    long best = -1;
    for (size_t i = 0; i < k; i++)
      if (front[i] && (best < 0 || xs[i] < xs[best])) best = (long)i;
    if (best < 0) break;
    put(ch.marks, "%.17g %.17g\n", xs[best], ys[best]);
    front[best] = 0;
  }
  set_unit(&ch, xmax);
  mc__sb_str(&ch.vars, "front", ch.marks_path ? ch.marks_path : "");
  mc__sb_printf(&ch.vars, "logx=%d;logy=%d;", xmax > 20 * xmin, ymax > 20 * ymin);
  mc__chart_end(&ch, "tradeoff");
}

static void draw_gc_heap(ctx *c, const group *g) {
  char title[256];
  chart ch;
  snprintf(title, sizeof title, "%s / %s, N = %llu: the collected heap over time", g->s, g->w,
           (unsigned long long)g->curve_n);
  if (mc__chart_begin(c, &ch, "gc_heap", g->s, g->w, title) != MC_OK)
    return mc__chart_skip(&ch, "cannot write its data");
  double peak = 0;
  for (size_t a = 0; a < c->allocs.n; a++) {
    const mc_result_run *run = run_at(c, g, c->allocs.v[a], g->curve_n);
    if (!run || !mc__plot_is_collector(run)) continue;
    int style = mc__plot_style(c, run->allocator);
    mc__chart_series(&ch, run->allocator, style);
    peak = fmax(peak, put_curve(&ch, run, 1));
    size_t nm = 0;
    int mk = marks_ok(&ch, run);
    for (size_t e = 0; mk && e < run->nevents; e++) {
      const mc_result_event *ev = &run->events[e];
      if (ev->kind != MC_RESULT_EV_COLLECT) continue;
      if (!nm++) mc__chart_marks_series(&ch, style);
      put(ch.marks, "%llu %llu\n", (unsigned long long)ev->t_ns,
          (unsigned long long)ev->bytes_after);
    }
  }
  if (!ch.ns) return mc__chart_free(&ch); /* not a collector group: no note, nothing missing */
  set_unit(&ch, peak);
  mc__chart_end(&ch, "gc_heap");
}

static void draw_gc_pauses(ctx *c, const group *g) {
  char title[256];
  chart ch;
  snprintf(title, sizeof title, "%s / %s, N = %llu: collector pauses over the run", g->s, g->w,
           (unsigned long long)g->curve_n);
  if (mc__chart_begin(c, &ch, "gc_pauses", g->s, g->w, title) != MC_OK)
    return mc__chart_skip(&ch, "cannot write its data");
  double pmin = INFINITY, pmax = 0;
  int oldgen = 2, any_run = 0;
  for (size_t a = 0; a < c->allocs.n; a++) {
    const mc_result_run *run = run_at(c, g, c->allocs.v[a], g->curve_n);
    if (!run || !mc__plot_is_collector(run)) continue;
    any_run = 1;
    size_t k = 0;
    for (size_t e = 0; e < run->nevents; e++) {
      const mc_result_event *ev = &run->events[e];
      if (ev->kind != MC_RESULT_EV_COLLECT) continue;
      if (!k++) mc__chart_series(&ch, run->allocator, mc__plot_style(c, run->allocator));
      row(&ch, "%llu %llu %d\n", (unsigned long long)ev->t_ns, (unsigned long long)ev->pause_ns,
          (int)ev->generation);
      if (ev->generation > oldgen) oldgen = ev->generation;
      if (ev->pause_ns > 0) pmin = fmin(pmin, (double)ev->pause_ns);
      pmax = fmax(pmax, (double)ev->pause_ns);
    }
  }
  if (!any_run) return mc__chart_free(&ch);
  if (!ch.ns) return mc__chart_skip(&ch, "the collector runs recorded no collection");
  mc__sb_printf(&ch.vars, "logy=%d;oldgen=%d;", pmax > 50 * pmin, oldgen);
  mc__chart_end(&ch, "gc_pauses");
}

/* The cycles workload: every allocator that ran it, typically gc, gc-off and gc-saveall. */
static void draw_gc_cycles(ctx *c, const group *g) {
  static const char *want[] = {"gc", "gc-off", "gc-saveall"};
  char title[256];
  chart ch;
  size_t have = 0;
  for (size_t i = 0; i < sizeof want / sizeof *want; i++)
    have += !!run_at(c, g, want[i], g->curve_n);
  snprintf(title, sizeof title, "%s / %s, N = %llu: cyclic garbage, %s", g->s, g->w,
           (unsigned long long)g->curve_n,
           have == 3 ? "collection on, off and SAVEALL" : "footprint per allocator");
  if (mc__chart_begin(c, &ch, "gc_cycles", g->s, g->w, title) != MC_OK)
    return mc__chart_skip(&ch, "cannot write its data");
  double peak = 0;
  for (size_t a = 0; a < c->allocs.n; a++) {
    const mc_result_run *run = run_at(c, g, c->allocs.v[a], g->curve_n);
    if (!run) continue;
    int style = mc__plot_style(c, run->allocator);
    mc__chart_series(&ch, run->allocator, style);
    peak = fmax(peak, put_curve(&ch, run, 0));
    size_t nm = 0, at = 0;
    int live = requested_is_live(run), mk = marks_ok(&ch, run);
    for (size_t e = 0; mk && e < run->nevents; e++) {
      const mc_result_event *ev = &run->events[e];
      if (ev->kind != MC_RESULT_EV_COLLECT) continue;
      if (!nm++) mc__chart_marks_series(&ch, style);
      /* the live bytes after it: the first sample at or after its op (events are sampled) */
      while (at + 1 < run->ncurve && run->curve[at].ops < ev->ops) at++;
      char req[24] = "nan";
      if (live) snprintf(req, sizeof req, "%llu", (unsigned long long)run->curve[at].requested);
      put(ch.marks, "%llu %llu %s\n", (unsigned long long)ev->ops,
          (unsigned long long)ev->bytes_after, req);
    }
  }
  if (!ch.ns) return mc__chart_skip(&ch, "no run with a curve");
  for (size_t i = 0; i < sizeof want / sizeof *want; i++)
    if (!run_at(c, g, want[i], g->curve_n))
      mc__plot_note(c, "%s: no run for allocator %s (drawn without it)", ch.info.name, want[i]);
  set_unit(&ch, peak);
  mc__chart_end(&ch, "gc_cycles");
}

/* ---- charts across structures ------------------------------------------------------------- */

/* The lesson of the two collector models (issue 15): every (structure, workload) whose curves
 * include a reference-counting heap and a tracing one, each with its collector disabled (the
 * harness's facts: heap bits managed, refcount, gc_off; SAVEALL runs left out) gets a panel,
 * side by side (at most 4), with the live bytes of each model on and off: under refcounting the
 * acyclic garbage goes at once (a flat line, detector on or off) and only cycles need the
 * detector; under tracing everything waits for a collection (the sawtooth). */
enum { RVT_PANELS = 4 };

static int rvt_heap(const mc_result_run *r, unsigned want) {
  unsigned h = r->heap;
  return (h & MC_RESULT_HEAP_MANAGED) && !(h & MC_RESULT_HEAP_SAVEALL) &&
         (h & (MC_RESULT_HEAP_REFCOUNT | MC_RESULT_HEAP_GC_OFF)) == want;
}

/* The run of cells[lo..hi) with a curve at n whose heap matches want, or NULL. */
static const mc_result_run *rvt_run(const ctx *c, size_t lo, size_t hi, uint64_t n, unsigned want,
                                    const char *allocator) {
  for (size_t i = lo; i < hi; i++) {
    const mc_plotdata_cell *x = &c->cells[i];
    if (x->n == n && x->run && x->run->ncurve && rvt_heap(x->run, want) &&
        (!allocator || !strcmp(x->allocator, allocator)))
      return x->run;
  }
  return NULL;
}

void mc__plot_refcount_vs_tracing(ctx *c) {
  static const unsigned models[] = {MC_RESULT_HEAP_REFCOUNT,
                                    MC_RESULT_HEAP_REFCOUNT | MC_RESULT_HEAP_GC_OFF, 0,
                                    MC_RESULT_HEAP_GC_OFF};
  size_t plo[RVT_PANELS], phi[RVT_PANELS], np = 0;
  uint64_t pn[RVT_PANELS];
  for (size_t lo = 0, hi; lo < c->ncells && np < RVT_PANELS; lo = hi) {
    const mc_plotdata_cell *g = &c->cells[lo];
    for (hi = lo; hi < c->ncells && !strcmp(c->cells[hi].structure, g->structure) &&
                  !strcmp(c->cells[hi].workload, g->workload);
         hi++)
      ;
    uint64_t n = 0; /* the largest N with both models' "off" curves */
    for (size_t i = lo; i < hi; i++)
      if (c->cells[i].n > n && rvt_run(c, lo, hi, c->cells[i].n, models[1], NULL) &&
          rvt_run(c, lo, hi, c->cells[i].n, models[3], NULL))
        n = c->cells[i].n;
    if (n) plo[np] = lo, phi[np] = hi, pn[np++] = n;
  }
  if (!np) return;
  chart ch;
  char title[256];
  snprintf(title, sizeof title, "reference counting against tracing: live bytes, collector on and off");
  if (mc__chart_begin(c, &ch, "refcount_vs_tracing", "", "", title) != MC_OK)
    return mc__chart_skip(&ch, "cannot write its data");
  double peak = 0;
  for (size_t k = 0; k < np; k++) {
    const mc_plotdata_cell *g = &c->cells[plo[k]];
    char name[32], label[2 * MC_RESULT_NAME + 40];
    snprintf(name, sizeof name, "pt%zu", k + 1);
    snprintf(label, sizeof label, "%s / %s, N = %llu", g->structure, g->workload,
             (unsigned long long)pn[k]);
    mc__sb_str(&ch.vars, name, label);
    /* allocators in the file's style order; each model's runs (on, off) in it */
    for (size_t a = 0; a < c->allocs.n; a++)
      for (size_t m = 0; m < sizeof models / sizeof *models; m++) {
        const mc_result_run *run = rvt_run(c, plo[k], phi[k], pn[k], models[m], c->allocs.v[a]);
        if (!run || !requested_is_live(run)) continue;
        mc__chart_series(&ch, run->allocator, mc__plot_style(c, run->allocator));
        mc__sb_printf(&ch.vars, "p%zu=%zu;", ch.ns, k + 1);
        put_curve(&ch, run, 0);
        for (size_t i = 0; i < run->ncurve; i++) peak = fmax(peak, (double)run->curve[i].requested);
      }
  }
  mc__sb_printf(&ch.vars, "np=%zu;", np);
  if (!ch.ns) return mc__chart_skip(&ch, "no run with live bytes");
  set_unit(&ch, peak);
  mc__chart_end(&ch, "refcount_vs_tracing");
}


static int is_array_kind(const char *structure) {
  return strstr(structure, "ndarray") != NULL || strstr(structure, "boxed") != NULL;
}

/* ndarray against boxed array, per workload they share: peak footprint ÷ N. */
void mc__plot_bytes_per_elem(ctx *c) {
  mc_plotdata_names works = {0};
  for (size_t i = 0; i < c->ncells; i++)
    if (is_array_kind(c->cells[i].structure) &&
        mc_plotdata_names_add(&works, c->cells[i].workload) < 0)
      c->oom = 1;
  if (!works.n) mc__plot_note(c, "bytes_per_elem: skipped, no ndarray or boxed-array runs");
  for (size_t w = 0; w < works.n; w++) {
    char title[256];
    chart ch;
    snprintf(title, sizeof title, "ndarray against boxed array, %s: bytes per element", works.v[w]);
    if (mc__chart_begin(c, &ch, "bytes_per_elem", "", works.v[w], title) != MC_OK) {
      mc__chart_skip(&ch, "cannot write its data");
      continue;
    }
    uint64_t nmin = UINT64_MAX, nmax = 0;
    int kinds = 0;
    for (size_t a = 0; a < c->allocs.n; a++) {
      const char *prev = NULL;
      for (size_t i = 0; i < c->ncells; i++) {
        const mc_plotdata_cell *x = &c->cells[i];
        if (!is_array_kind(x->structure) || strcmp(x->workload, works.v[w]) ||
            strcmp(x->allocator, c->allocs.v[a]) || !x->ok || !(x->peak_fp > 0) || !x->n)
          continue;
        if (!prev || strcmp(prev, x->structure)) {
          int boxed = strstr(x->structure, "boxed") != NULL;
          /* one panel per kind, the allocator's style in both; its key entry once (f<i>) */
          mc__chart_series(&ch, x->allocator, mc__plot_style(c, x->allocator));
          mc__sb_printf(&ch.vars, "k%zu=%d;f%zu=%d;", ch.ns, boxed, ch.ns, !prev);
          kinds |= boxed ? 2 : 1;
          prev = x->structure;
        }
        row(&ch, "%llu %.6g\n", (unsigned long long)x->n, x->peak_fp / (double)x->n);
        mc__chart_x(&ch, x->n);
        if (x->n < nmin) nmin = x->n;
        if (x->n > nmax) nmax = x->n;
      }
    }
    if (!ch.ns) {
      mc__chart_skip(&ch, "no finished run");
      continue;
    }
    if (kinds != 3) { /* ndarray only fills: the other workloads have boxed runs only */
      char why[64];
      snprintf(why, sizeof why, "only %s runs, nothing to compare with",
               kinds == 1 ? "ndarray" : "boxed-array");
      mc__chart_skip(&ch, why);
      continue;
    }
    mc__sb_printf(&ch.vars, "logx=%d;", nmax >= 10 * nmin);
    mc__chart_end(&ch, "bytes_per_elem");
  }
  mc_plotdata_names_free(&works);
}

static int tput_is(const mc_result_tput *t, const char *s, const char *w, const char *a) {
  return !strcmp(t->structure, s) && !strcmp(t->workload, w) && (!a || !strcmp(t->allocator, a));
}

/* One gbench chart: allocator a's rows of (s, w) as median/min/max per N; v has ntput room. */
static void gbench_series(ctx *c, chart *ch, const char *s, const char *w, const char *a, int items,
                          double *v, uint64_t *nmin, uint64_t *nmax) {
  const mc_results *r = c->r;
  uint64_t last = 0;
  int first = 1, started = 0;
  for (;;) { /* the distinct N of this allocator, increasing */
    uint64_t n = UINT64_MAX;
    int found = 0;
    for (size_t i = 0; i < r->ntput; i++)
      if (tput_is(&r->tput[i], s, w, a) && r->tput[i].n > 0 && (first || r->tput[i].n > last) &&
          r->tput[i].n <= n)
        n = r->tput[i].n, found = 1;
    if (!found) return;
    first = 0, last = n;
    size_t k = 0;
    for (size_t i = 0; i < r->ntput; i++) {
      const mc_result_tput *t = &r->tput[i];
      if (t->n != n || !tput_is(t, s, w, a)) continue;
      double x = items ? t->items_per_s : (t->real_ns > 0 ? 1e9 / t->real_ns : NAN);
      if (isfinite(x)) v[k++] = x;
    }
    if (!k) continue;
    if (!started++) mc__chart_series(ch, a, mc__plot_style(c, a));
    double lo = v[0], hi = v[0];
    for (size_t i = 1; i < k; i++) lo = fmin(lo, v[i]), hi = fmax(hi, v[i]);
    row(ch, "%llu %.6g %.6g %.6g\n", (unsigned long long)n, mc_stats_median(v, k), lo, hi);
    mc__chart_x(ch, n);
    if (n < *nmin) *nmin = n;
    if (n > *nmax) *nmax = n;
  }
}

/* Whether every allocator of (s, w) has rows at one N only (no N counts as one: 0): then there
 * is nothing to plot against N, and the cost chart shows them instead. */
static int gbench_single_n(const mc_results *r, const char *s, const char *w) {
  for (size_t i = 0; i < r->ntput; i++) {
    if (!tput_is(&r->tput[i], s, w, NULL)) continue;
    for (size_t j = i + 1; j < r->ntput; j++)
      if (tput_is(&r->tput[j], s, w, r->tput[i].allocator) && r->tput[j].n != r->tput[i].n)
        return 0;
  }
  return 1;
}

typedef struct cost_bar {
  size_t a;            /* the allocator, an index into c->allocs */
  double med, lo, hi;  /* ns per item (or iteration) over its repetitions */
} cost_bar;

static int cost_cmp(const void *x, const void *y) {
  const cost_bar *a = x, *b = y;
  return (a->med > b->med) - (a->med < b->med);
}

/* The cost chart of (s, w): ns per item (1e9 / items per second; per iteration when a row has
 * no items) per allocator, as bars, fastest first. v has ntput room. */
static void draw_cost(ctx *c, const char *s, const char *w, int items, double *v) {
  const mc_results *r = c->r;
  cost_bar *bars = c->allocs.n ? malloc(c->allocs.n * sizeof *bars) : NULL;
  if (!bars) {
    if (c->allocs.n) c->oom = 1;
    return;
  }
  size_t nb = 0;
  uint64_t n_all = 0;
  int same_n = 1;
  for (size_t a = 0; a < c->allocs.n; a++) {
    size_t k = 0;
    for (size_t i = 0; i < r->ntput; i++) {
      const mc_result_tput *t = &r->tput[i];
      if (!tput_is(t, s, w, c->allocs.v[a])) continue;
      double x = items ? 1e9 / t->items_per_s : t->real_ns;
      if (!isfinite(x) || x <= 0) continue;
      if (nb + k == 0) n_all = t->n;
      same_n &= t->n == n_all;
      v[k++] = x;
    }
    if (!k) continue;
    cost_bar *b = &bars[nb++];
    b->a = a, b->med = mc_stats_median(v, k), b->lo = v[0], b->hi = v[0];
    for (size_t i = 1; i < k; i++) b->lo = fmin(b->lo, v[i]), b->hi = fmax(b->hi, v[i]);
  }
  qsort(bars, nb, sizeof *bars, cost_cmp);
  char title[256], nstr[48] = "";
  if (same_n && n_all) snprintf(nstr, sizeof nstr, ", N = %llu", (unsigned long long)n_all);
  snprintf(title, sizeof title, "%s / %s: time per %s (median, min–max%s)", s, w,
           items ? "item" : "iteration", nstr);
  chart ch;
  if (mc__chart_begin(c, &ch, "cost", s, w, title) != MC_OK) {
    mc__chart_skip(&ch, "cannot write its data");
    free(bars);
    return;
  }
  for (size_t i = 0; i < nb; i++) {
    const char *name = c->allocs.v[bars[i].a];
    mc__chart_series(&ch, name, mc__plot_style(c, name));
    row(&ch, "%zu %.6g %.6g %.6g\n", i + 1, bars[i].med, bars[i].lo, bars[i].hi);
  }
  free(bars);
  mc__sb_str(&ch.vars, "what", items ? "item" : "iteration");
  mc__chart_end(&ch, "cost");
}

/* Google Benchmark's rows, per (structure, workload): items/s (or iterations/s) against N, or,
 * when there is no N to plot against (every allocator at one N), the cost chart. */
void mc__plot_gbench(ctx *c) {
  const mc_results *r = c->r;
  mc_plotdata_names ss = {0}, ws = {0};
  for (size_t i = 0; i < r->ntput; i++)
    if (mc_plotdata_names_add(&ss, r->tput[i].structure) < 0 ||
        mc_plotdata_names_add(&ws, r->tput[i].workload) < 0)
      c->oom = 1;
  double *v = r->ntput ? malloc(r->ntput * sizeof *v) : NULL;
  for (size_t p = 0; v && p < ss.n * ws.n; p++) {
    const char *s = ss.v[p / ws.n], *w = ws.v[p % ws.n];
    int items = 1, any = 0;
    size_t no_n = 0;
    for (size_t i = 0; i < r->ntput; i++)
      if (tput_is(&r->tput[i], s, w, NULL)) {
        any = 1, items &= r->tput[i].items_per_s > 0;
        no_n += r->tput[i].n == 0;
      }
    if (!any) continue;
    if (gbench_single_n(r, s, w)) {
      draw_cost(c, s, w, items, v);
      continue;
    }
    char title[256];
    chart ch;
    snprintf(title, sizeof title,
             "%s / %s: Google Benchmark throughput against N (median, min–max)", s, w);
    if (mc__chart_begin(c, &ch, "gbench", s, w, title) != MC_OK) {
      mc__chart_skip(&ch, "cannot write its data");
      continue;
    }
    uint64_t nmin = UINT64_MAX, nmax = 0;
    for (size_t a = 0; a < c->allocs.n; a++)
      gbench_series(c, &ch, s, w, c->allocs.v[a], items, v, &nmin, &nmax);
    if (no_n && ch.ns) /* throughput against N has no place for them (alloc/pair16/system) */
      mc__plot_note(c, "%s: %zu Google Benchmark row(s) without an N argument left out", ch.info.name,
                    no_n);
    if (!ch.ns) {
      mc__chart_skip(&ch, no_n ? "no row with an N argument" : "no usable Google Benchmark row");
      continue;
    }
    mc__sb_printf(&ch.vars, "logx=%d;", nmax >= 10 * nmin);
    mc__sb_str(&ch.vars, "what", items ? "items" : "iterations");
    mc__chart_end(&ch, "throughput");
  }
  if (r->ntput && !v) c->oom = 1;
  free(v);
  mc_plotdata_names_free(&ss);
  mc_plotdata_names_free(&ws);
}

/* ---- one (structure, workload) -------------------------------------------------------------- */

void mc__plot_group(ctx *c, const group *g) {
  if (g->curve_n) {
    draw_curve(c, g);
    draw_overhead(c, g);
    draw_gc_heap(c, g);
    draw_gc_pauses(c, g);
    if (strstr(g->w, "cycle")) draw_gc_cycles(c, g);
  } else {
    mc__plot_note(c, "%s / %s: no run with a memory curve, curve charts skipped", g->s, g->w);
  }
  draw_peak_vs_n(c, g);
  draw_throughput(c, g);
  draw_tradeoff(c, g);
}
