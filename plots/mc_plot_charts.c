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

/* 1 when run's requested column counts live bytes: never above what it holds. Under Boehm the
 * collector reclaims without telling anyone, so requested is bytes allocated minus explicit
 * frees and soon exceeds what the heap holds: not a live count, not drawn. */
static int requested_is_live(const mc_result_run *run) {
  for (size_t i = 0; i < run->ncurve; i++)
    if (run->curve[i].requested > run->curve[i].footprint &&
        run->curve[i].requested > run->curve[i].held)
      return 0;
  return 1;
}

/* How many of run's points belong to the workload: all of them for a finished run; for a
 * failed one, up to its first point at the last ops (what follows is the teardown after the
 * failure — destroy, reset — and would be drawn as if the run had ended normally). */
static size_t curve_len(const mc_result_run *run) {
  if (run->ok || !run->ncurve) return run->ncurve;
  uint64_t last = run->curve[run->ncurve - 1].ops;
  size_t k = 0;
  while (k < run->ncurve && run->curve[k].ops < last) k++;
  return k < run->ncurve ? k + 1 : k;
}

/* Writes run's curve as rows "x requested held resident" (x = ops, or t_ns when by_time),
 * thinned to MAX_POINTS buckets keeping each bucket's highest held, requested as nan when it
 * is not a live count (noted once per chart); returns the peak of held and resident. *endx and
 * *endy get the last row's x and held (where a failed run's mark goes). */
static double put_curve(chart *ch, const mc_result_run *run, int by_time, double *endx,
                        double *endy) {
  size_t len = curve_len(run);
  size_t stride = (len + MAX_POINTS - 1) / MAX_POINTS, best = 0;
  double peak = 0;
  int live = requested_is_live(run);
  if (!live)
    mc__plot_note(ch->c,
                  "%s: %s's requested bytes exceed what it holds (reclaimed bytes are not "
                  "counted): its requested line is left out",
                  ch->info.name, run->allocator);
  for (size_t i = 0; i < len; i++) {
    const mc_result_point *p = &run->curve[i];
    peak = fmax(peak, fmax((double)p->held, (double)p->resident));
    if (i % stride == 0 || p->held > run->curve[best].held) best = i;
    if ((i + 1) % stride && i + 1 < len) continue;
    const mc_result_point *q = &run->curve[best];
    char req[24] = "nan";
    if (live) snprintf(req, sizeof req, "%llu", (unsigned long long)q->requested);
    uint64_t x = by_time ? q->t_ns : q->ops;
    row(ch, "%llu %s %llu %llu\n", (unsigned long long)x, req, (unsigned long long)q->held,
        (unsigned long long)q->resident);
    *endx = (double)x, *endy = (double)q->held;
  }
  return peak;
}

/* 1 when every run of the list has the same requested bytes at every ops they both sampled (a
 * deterministic workload over allocators that all count live bytes; event samples, which only
 * some allocators have, and a failed run's missing end are skipped): one shared requested line
 * is drawn. */
static int requested_shared(const mc_result_run *const *runs, size_t n) {
  for (size_t k = 1; k < n; k++) {
    const mc_result_run *x = runs[0], *y = runs[k];
    if (!requested_is_live(x) || !requested_is_live(y)) return 0;
    size_t i = 0, j = 0, lx = curve_len(x), ly = curve_len(y), both = 0;
    while (i < lx && j < ly) {
      if (x->curve[i].ops < y->curve[j].ops) {
        i++;
      } else if (y->curve[j].ops < x->curve[i].ops) {
        j++;
      } else { /* the first sample at this ops in each (the stride sample) */
        if (x->curve[i].requested != y->curve[j].requested) return 0;
        both++;
        uint64_t ops = x->curve[i].ops;
        while (i < lx && x->curve[i].ops == ops) i++;
        while (j < ly && y->curve[j].ops == ops) j++;
      }
    }
    if (both < 2) return 0;
  }
  return n > 1;
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

/* The series label: the allocator, and for a failed run its reason (the key says why the line
 * stops at the failure mark). */
static void series_label(char *dst, size_t size, const mc_result_run *run) {
  if (run->ok)
    snprintf(dst, size, "%s", run->allocator);
  else
    snprintf(dst, size, "%s: failed, %.36s", run->allocator, run->status);
}

/* Begins chart kind of group g at N = n, titled "<structure> / <workload>, N = <n>: what";
 * 0 when it cannot (the chart is skipped, with a note). */
static int group_chart(ctx *c, chart *ch, const group *g, const char *kind, uint64_t n,
                       const char *what) {
  char title[256];
  snprintf(title, sizeof title, "%s / %s, N = %llu: %s", g->s, g->w, (unsigned long long)n, what);
  if (mc__chart_begin(c, ch, kind, g->s, g->w, title) == MC_OK) return 1;
  mc__chart_skip(ch, "cannot write its data");
  return 0;
}

static void draw_curve(ctx *c, const group *g) {
  char label[MC_RESULT_NAME + 80];
  chart ch;
  if (!group_chart(c, &ch, g, "curve", g->curve_n, "memory held, resident and requested")) return;
  double peak = 0;
  int coll = 0, reset = 0, phased = 0, nf = 0;
  const mc_result_run *runs[64];
  size_t nr = 0;
  for (size_t a = 0; a < c->allocs.n && nr < 64; a++) {
    const mc_result_run *run = run_at(c, g, c->allocs.v[a], g->curve_n);
    if (run) runs[nr++] = run;
  }
  for (size_t a = 0; a < nr; a++) {
    const mc_result_run *run = runs[a];
    int style = mc__plot_style(c, run->allocator);
    series_label(label, sizeof label, run);
    mc__chart_series(&ch, label, style);
    if (!phased) phased = put_phases(&ch, run);
    double ex = 0, ey = 0;
    double pk = put_curve(&ch, run, 0, &ex, &ey);
    if (pk > peak) peak = pk;
    if (!run->ok) /* the failure mark: where the run stopped */
      mc__sb_printf(&ch.vars, "fx%d=%.17g;fy%d=%.17g;fs%d=%d;", nf + 1, ex, nf + 1, ey, nf + 1,
                    style),
          nf++;
    size_t nm = 0;
    int mark_coll = marks_ok(&ch, run);
    uint64_t end = run->ncurve ? run->curve[curve_len(run) - 1].ops : 0;
    for (size_t e = 0; e < run->nevents; e++) {
      const mc_result_event *ev = &run->events[e];
      if (ev->kind < MC_RESULT_EV_COLLECT || ev->kind > MC_RESULT_EV_UNWIND) continue;
      if (ev->kind == MC_RESULT_EV_COLLECT && !mark_coll) continue;
      if (!run->ok && ev->ops >= end) continue; /* the teardown after a failure: not an event */
      if (!nm++) mc__chart_marks_series(&ch, style);
      put(ch.marks, "%llu %llu %d\n", (unsigned long long)ev->ops,
          (unsigned long long)ev->bytes_after, (int)ev->kind);
      if (ev->kind == MC_RESULT_EV_COLLECT)
        coll = 1;
      else
        reset = 1;
    }
  }
  set_unit(&ch, peak);
  size_t longest = 0; /* the shared requested line is drawn from the longest series */
  for (size_t a = 1; a < nr; a++)
    if (curve_len(runs[a]) > curve_len(runs[longest])) longest = a;
  mc__sb_printf(&ch.vars, "hascoll=%d;hasreset=%d;nf=%d;reqshared=%d;reqi=%zu;", coll, reset, nf,
                requested_shared(runs, nr), longest);
  mc__chart_end(&ch, "curve");
}

#define OVERHEAD_MIN_SHARE 10 /* overhead samples hold at least 1/10 of the peak requested */
#define OVERHEAD_BUCKETS 120  /* slices of the run drawn (geometric mean and range) */

static void draw_overhead(ctx *c, const group *g) {
  chart ch;
  if (!group_chart(c, &ch, g, "overhead", g->curve_n,
                   "overhead, held ÷ requested (samples holding ≥ 10% of the peak)"))
    return;
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
    /* OVERHEAD_BUCKETS slices of the run: per slice the geometric mean of the ratio and its
     * range (a band): a ratio that swings between samples (list/cycles under pool: each
     * cycle's list built and dropped while the slabs stay) reads as a band, not as a comb of
     * vertical strokes */
    size_t len = curve_len(run);
    uint64_t last = len ? run->curve[len - 1].ops : 0, width = last / OVERHEAD_BUCKETS + 1;
    double lsum = 0, lo = INFINITY, hi = 0;
    size_t k = 0;
    for (size_t i = 0; i < len; i++) {
      const mc_result_point *p = &run->curve[i];
      /* below 10 % of the peak the ratio is a nearly empty structure's: left out */
      if (p->requested && p->requested * OVERHEAD_MIN_SHARE >= peak) {
        double ratio = (double)p->held / (double)p->requested;
        lsum += log(ratio), lo = fmin(lo, ratio), hi = fmax(hi, ratio), k++;
      }
      int end = i + 1 == len || run->curve[i + 1].ops / width != p->ops / width;
      if (!end || !k) continue;
      uint64_t b = p->ops / width;
      row(&ch, "%llu %.6g %.6g %.6g\n",
          (unsigned long long)(k == 1 ? p->ops : b * width + width / 2), exp(lsum / (double)k), lo,
          hi);
      maxr = fmax(maxr, hi);
      lsum = 0, lo = INFINITY, hi = 0, k = 0;
    }
  }
  if (!ch.ns) return mc__chart_skip(&ch, "no curve with requested bytes");
  mc__sb_printf(&ch.vars, "logy=%d;ymax=%.6g;", maxr > 8, maxr * 1.15); /* never clipped */
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

#define FIT_MIN_SIZES 3 /* a fit needs at least this many values of N: two points always fit */

/* Peak held against N, log-log with the power-law exponent k, peak resident beside it (thin);
 * for tree depths, log-linear with the growth factor per level (ln peak = b + a depth, factor
 * e^a). A fit is drawn only with FIT_MIN_SIZES values of N or more, and only over the N range
 * that has data (lo<i>..hi<i>). */
static void draw_peak_vs_n(ctx *c, const group *g) {
  char title[256];
  chart ch;
  size_t nn = 0;
  int depth = n_is_depth(c, g);
  for (size_t i = g->lo; i < g->hi; i++)
    if (c->cells[i].ok && (i == g->lo || c->cells[i].n != c->cells[i - 1].n)) nn++;
  snprintf(title, sizeof title, "%s / %s: %s", g->s, g->w,
           depth ? "peak held against tree depth (log scale; growth factor per level)"
                 : "peak held against N (log-log; k = fitted exponent)");
  if (mc__chart_begin(c, &ch, "peak_vs_n", g->s, g->w, title) != MC_OK)
    return mc__chart_skip(&ch, "cannot write its data");
  double maxb = 0, xs[64], ys[64], rs[64];
  for (size_t a = 0; a < c->allocs.n && nn >= 2; a++) {
    size_t k = 0;
    for (size_t i = g->lo; i < g->hi && k < 64; i++) {
      const mc_plotdata_cell *x = &c->cells[i];
      if (!x->ok || !(x->peak_held > 0) || strcmp(x->allocator, c->allocs.v[a])) continue;
      xs[k] = depth ? exp((double)x->n) : (double)x->n, rs[k] = x->peak_resident;
      ys[k++] = x->peak_held;
      mc__chart_x(&ch, x->n);
      maxb = fmax(maxb, fmax(x->peak_held, isfinite(x->peak_resident) ? x->peak_resident : 0));
    }
    if (!k) continue;
    double fa = NAN, fb = NAN, lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < k; i++) lo = fmin(lo, xs[i]), hi = fmax(hi, xs[i]);
    char label[MC_RESULT_NAME + 48], name[16];
    if (k < FIT_MIN_SIZES)
      snprintf(label, sizeof label, "%s (%zu size%s, no fit)", c->allocs.v[a], k, k > 1 ? "s" : "");
    else if (mc_plotdata_fit_loglog(xs, ys, k, &fa, &fb) == MC_OK && depth)
      snprintf(label, sizeof label, "%s: ×%.2f per level", c->allocs.v[a], exp(fa));
    else if (isfinite(fa))
      snprintf(label, sizeof label, "%s: k = %.2f", c->allocs.v[a], fa);
    else
      snprintf(label, sizeof label, "%s (no fit)", c->allocs.v[a]);
    mc__chart_series(&ch, label, mc__plot_style(c, c->allocs.v[a]));
    for (size_t i = 0; i < k; i++) {
      char res[32] = "nan";
      if (isfinite(rs[i]) && rs[i] > 0) snprintf(res, sizeof res, "%.17g", rs[i]);
      row(&ch, "%.0f %.17g %s\n", depth ? round(log(xs[i])) : xs[i], ys[i], res);
    }
    snprintf(name, sizeof name, "a%zu", ch.ns);
    mc__sb_num(&ch.vars, name, fa);
    snprintf(name, sizeof name, "b%zu", ch.ns);
    mc__sb_num(&ch.vars, name, fb);              /* ln bytes = fb + fa ln N */
    snprintf(name, sizeof name, "lo%zu", ch.ns); /* the fit's range: the data's, in x units */
    mc__sb_num(&ch.vars, name, depth ? round(log(lo)) : lo);
    snprintf(name, sizeof name, "hi%zu", ch.ns);
    mc__sb_num(&ch.vars, name, depth ? round(log(hi)) : hi);
  }
  if (nn < 2) return mc__chart_skip(&ch, "fewer than two values of N");
  if (!ch.ns) return mc__chart_skip(&ch, "no finished run with a peak");
  set_unit(&ch, maxb);
  mc__sb_printf(&ch.vars, "depth=%d;", depth);
  mc__chart_end(&ch, "peak_vs_n");
}

/* How a throughput chart shows the min-max range over repetitions: range=0 when no series has
 * one (one repetition: the key names nothing that is not drawn); bands=1 (translucent bands)
 * for at most MC_PLOT_MAX_BANDS series, else bands=0 (error bars: overlapping bands of many
 * series hide each other). */
#define MC_PLOT_MAX_BANDS 3
static void range_vars(chart *ch, int ranged) {
  mc__sb_printf(&ch->vars, "range=%d;bands=%d;", ranged, ranged && ch->ns <= MC_PLOT_MAX_BANDS);
}

static void draw_throughput(ctx *c, const group *g) {
  char title[256];
  chart ch;
  snprintf(title, sizeof title, "%s / %s: throughput against %s (timed runs, median and min–max)",
           g->s, g->w, n_is_depth(c, g) ? "tree depth" : "N");
  if (mc__chart_begin(c, &ch, "throughput", g->s, g->w, title) != MC_OK)
    return mc__chart_skip(&ch, "cannot write its data");
  uint64_t nmin = UINT64_MAX, nmax = 0;
  int ranged = 0;
  for (size_t a = 0; a < c->allocs.n; a++) {
    int started = 0;
    for (size_t i = g->lo; i < g->hi; i++) {
      const mc_plotdata_cell *x = &c->cells[i];
      if (!x->reps || !isfinite(x->ops_s_med) || strcmp(x->allocator, c->allocs.v[a])) continue;
      ranged |= x->ops_s_max > x->ops_s_min;
      if (!started++) mc__chart_series(&ch, c->allocs.v[a], mc__plot_style(c, c->allocs.v[a]));
      row(&ch, "%llu %.6g %.6g %.6g\n", (unsigned long long)x->n, x->ops_s_med, x->ops_s_min,
          x->ops_s_max);
      mc__chart_x(&ch, x->n);
      if (x->n < nmin) nmin = x->n;
      if (x->n > nmax) nmax = x->n;
    }
  }
  if (!ch.ns) return mc__chart_skip(&ch, "no timed repetition in /summary");
  range_vars(&ch, ranged);
  mc__sb_printf(&ch.vars, "logx=%d;", nmax >= 10 * nmin && !n_is_depth(c, g));
  if (n_is_depth(c, g)) mc__sb_str(&ch.vars, "xlab", "tree depth");
  mc__sb_str(&ch.vars, "what", "operations");
  mc__chart_end(&ch, "throughput");
}

/* Time against peak memory at the largest N where at least two allocators have both. */
static void draw_tradeoff(ctx *c, const group *g) {
  chart ch;
  uint64_t n = 0;
  for (size_t i = g->lo; i < g->hi; i++) {
    size_t k = 0;
    for (size_t j = g->lo; j < g->hi; j++)
      k += c->cells[j].n == c->cells[i].n && isfinite(c->cells[j].wall_ns) &&
           isfinite(c->cells[j].peak_held);
    if (k >= 2 && c->cells[i].n > n) n = c->cells[i].n;
  }
  if (!group_chart(c, &ch, g, "tradeoff", n,
                   "time against peak held memory (lower left is better)"))
    return;
  if (!n) return mc__chart_skip(&ch, "fewer than two allocators with both a time and a peak");
  double xs[64], ys[64], xmin = INFINITY, xmax = 0, ymin = INFINITY, ymax = 0;
  int front[64];
  size_t k = 0;
  for (size_t a = 0; a < c->allocs.n && k < 64; a++)
    for (size_t i = g->lo; i < g->hi; i++) {
      const mc_plotdata_cell *x = &c->cells[i];
      if (x->n != n || !isfinite(x->wall_ns) || !isfinite(x->peak_held) ||
          strcmp(x->allocator, c->allocs.v[a]))
        continue;
      char label[MC_RESULT_NAME + 96];
      if (x->nfailed)
        snprintf(label, sizeof label, "%s (%zu of %zu reps failed: not ranked)", x->allocator,
                 x->nfailed, x->nfailed + x->reps);
      else
        snprintf(label, sizeof label, "%s", x->allocator);
      mc__chart_series(&ch, label, mc__plot_style(c, x->allocator));
      double res = isfinite(x->peak_resident) && x->peak_resident > 0 ? x->peak_resident : NAN;
      row(&ch, "%.17g %.17g %.17g\n", x->peak_held, x->wall_ns, res);
      /* a run with a failed repetition never makes the front */
      xs[k] = x->nfailed ? NAN : x->peak_held, ys[k++] = x->wall_ns;
      xmin = fmin(xmin, x->peak_held), xmax = fmax(xmax, x->peak_held);
      if (isfinite(res)) xmin = fmin(xmin, res), xmax = fmax(xmax, res);
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
  chart ch;
  if (!group_chart(c, &ch, g, "gc_heap", g->curve_n, "the collected heap over time")) return;
  double peak = 0;
  for (size_t a = 0; a < c->allocs.n; a++) {
    const mc_result_run *run = run_at(c, g, c->allocs.v[a], g->curve_n);
    if (!run || !mc__plot_is_collector(run)) continue;
    int style = mc__plot_style(c, run->allocator);
    mc__chart_series(&ch, run->allocator, style);
    double ex, ey;
    peak = fmax(peak, put_curve(&ch, run, 1, &ex, &ey));
    size_t nm = 0, at = 0, len = curve_len(run);
    int mk = marks_ok(&ch, run);
    for (size_t e = 0; mk && e < run->nevents && len; e++) {
      const mc_result_event *ev = &run->events[e];
      if (ev->kind != MC_RESULT_EV_COLLECT) continue;
      if (!nm++) mc__chart_marks_series(&ch, style);
      /* on the line: the sample taken at (or first after) the collection, whose time and held
       * are a vertex of the line — not the event's own clock and footprint, which for a
       * deferred event (Boehm) precede the sample and sit off the line */
      while (at + 1 < len && (run->curve[at].ops < ev->ops || run->curve[at].t_ns < ev->t_ns)) at++;
      put(ch.marks, "%llu %llu\n", (unsigned long long)run->curve[at].t_ns,
          (unsigned long long)run->curve[at].held);
    }
  }
  if (!ch.ns) return mc__chart_free(&ch); /* not a collector group: no note, nothing missing */
  set_unit(&ch, peak);
  mc__chart_end(&ch, "gc_heap");
}

static void draw_gc_pauses(ctx *c, const group *g) {
  chart ch;
  if (!group_chart(c, &ch, g, "gc_pauses", g->curve_n, "collector pauses over the run")) return;
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

/* The collector's three modes the gc_cycles chart is about, by the runs' heap facts: collection
 * on, off, and SAVEALL (what a collection finds is kept). */
static const struct {
  unsigned bits;
  const char *what;
} cycle_modes[] = {{0, "collection on"},
                   {MC_RESULT_HEAP_GC_OFF, "collection off"},
                   {MC_RESULT_HEAP_SAVEALL, "SAVEALL"}};
#define NCYCLE_MODES (sizeof cycle_modes / sizeof *cycle_modes)

/* Bit m of the result: group g has a run at its curve N of a managed heap of model refcount
 * (MC_RESULT_HEAP_REFCOUNT or 0) in cycle_modes[m]. */
static unsigned cycle_modes_of(const ctx *c, const group *g, unsigned model) {
  const unsigned mask = MC_RESULT_HEAP_MANAGED | MC_RESULT_HEAP_REFCOUNT | MC_RESULT_HEAP_GC_OFF |
                        MC_RESULT_HEAP_SAVEALL;
  unsigned have = 0;
  for (size_t i = g->lo; i < g->hi; i++) {
    const mc_plotdata_cell *x = &c->cells[i];
    if (x->n != g->curve_n || !x->run || !x->run->ncurve) continue;
    for (size_t m = 0; m < NCYCLE_MODES; m++)
      if ((x->run->heap & mask) == (MC_RESULT_HEAP_MANAGED | model | cycle_modes[m].bits))
        have |= 1u << m;
  }
  return have;
}

/* A workload whose garbage forms cycles (its runs' fact cyclic; the harness's cycles): every
 * allocator that ran it, typically a collector with collection on, off and SAVEALL (the runs'
 * heap facts say which is which). A model (tracing, reference counting) with some of the three
 * modes gets a note for each one missing. */
static void draw_gc_cycles(ctx *c, const group *g) {
  static const struct {
    unsigned bits;
    const char *name;
  } models[] = {{0, "tracing"}, {MC_RESULT_HEAP_REFCOUNT, "reference-counting"}};
  const unsigned all = (1u << NCYCLE_MODES) - 1;
  unsigned have[2];
  int complete = 0;
  for (size_t k = 0; k < 2; k++) {
    have[k] = cycle_modes_of(c, g, models[k].bits);
    complete |= have[k] == all;
  }
  chart ch;
  if (!group_chart(c, &ch, g, "gc_cycles", g->curve_n,
                   complete ? "cyclic garbage, collection on, off and SAVEALL"
                            : "cyclic garbage, footprint per allocator"))
    return;
  double peak = 0;
  for (size_t a = 0; a < c->allocs.n; a++) {
    const mc_result_run *run = run_at(c, g, c->allocs.v[a], g->curve_n);
    if (!run) continue;
    int style = mc__plot_style(c, run->allocator);
    mc__chart_series(&ch, run->allocator, style);
    double ex, ey;
    peak = fmax(peak, put_curve(&ch, run, 0, &ex, &ey));
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
  for (size_t k = 0; k < 2; k++)
    for (size_t m = 0; have[k] && m < NCYCLE_MODES; m++)
      if (!(have[k] & (1u << m)))
        mc__plot_note(c, "%s: no %s run with %s (drawn without it)", ch.info.name, models[k].name,
                      cycle_modes[m].what);
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
  snprintf(title, sizeof title,
           "reference counting against tracing: live bytes, collector on and off");
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
        double ex, ey; /* where a failed run would end: not drawn here */
        put_curve(&ch, run, 0, &ex, &ey);
        for (size_t i = 0; i < run->ncurve; i++) peak = fmax(peak, (double)run->curve[i].requested);
      }
  }
  mc__sb_printf(&ch.vars, "np=%zu;", np);
  if (!ch.ns) return mc__chart_skip(&ch, "no run with live bytes");
  set_unit(&ch, peak);
  mc__chart_end(&ch, "refcount_vs_tracing");
}

/* ndarray against boxed array (the structures' array facts: unboxed, boxed), per workload they
 * share: peak footprint ÷ N. */
void mc__plot_bytes_per_elem(ctx *c) {
  mc_plotdata_names works = {0};
  for (size_t i = 0; i < c->ncells; i++)
    if (c->cells[i].array != MC_RESULT_ARRAY_NONE &&
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
        if (x->array == MC_RESULT_ARRAY_NONE || strcmp(x->workload, works.v[w]) ||
            strcmp(x->allocator, c->allocs.v[a]) || !x->ok || !(x->peak_fp > 0) || !x->n)
          continue;
        if (!prev || strcmp(prev, x->structure)) {
          int boxed = x->array == MC_RESULT_ARRAY_BOXED;
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
    if (kinds != 3) { /* the unboxed array only fills: the other workloads have boxed runs only */
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

/* The rows of allocator a in the group slice r (one (structure, workload), sorted by allocator
 * then N: see mc__plot_gbench): [*lo, *hi), found by binary search. */
static void alloc_range(const mc_results *r, const char *a, size_t *lo, size_t *hi) {
  size_t l = 0, h = r->ntput;
  while (l < h) {
    size_t m = l + (h - l) / 2;
    if (strcmp(r->tput[m].allocator, a) < 0)
      l = m + 1;
    else
      h = m;
  }
  *lo = l;
  for (h = l; h < r->ntput && strcmp(r->tput[h].allocator, a) == 0; h++) {
  }
  *hi = h;
}

/* One gbench series: allocator a's rows of the group slice r as median/min/max per N, keyed
 * label in style; v has ntput room; *ranged set when some N has a min-max range. */
static void gbench_series(const mc_results *r, chart *ch, const char *a, int items, double *v,
                          uint64_t *nmin, uint64_t *nmax, const char *label, int style,
                          int *ranged) {
  size_t lo, hi;
  alloc_range(r, a, &lo, &hi);
  int started = 0;
  for (size_t i = lo; i < hi;) { /* the distinct N of this allocator, increasing */
    uint64_t n = r->tput[i].n;
    size_t k = 0, j = i;
    for (; j < hi && r->tput[j].n == n; j++) {
      const mc_result_tput *t = &r->tput[j];
      double x = items ? t->items_per_s : (t->real_ns > 0 ? 1e9 / t->real_ns : NAN);
      if (isfinite(x)) v[k++] = x;
    }
    i = j;
    if (!k || n == 0) continue;
    if (!started++) mc__chart_series(ch, label, style);
    double l = v[0], h = v[0];
    for (size_t q = 1; q < k; q++) l = fmin(l, v[q]), h = fmax(h, v[q]);
    *ranged |= h > l;
    row(ch, "%llu %.6g %.6g %.6g\n", (unsigned long long)n, mc_stats_median(v, k), l, h);
    mc__chart_x(ch, n);
    if (n < *nmin) *nmin = n;
    if (n > *nmax) *nmax = n;
  }
}

/* The slice of rows sorted[0..n) (sorted by tput_cmp) of (s, w) as a view of r; 0 if none. */
static int group_view(const mc_results *r, const mc_result_tput *sorted, size_t n, const char *s,
                      const char *w, mc_results *view) {
  size_t l = 0, h = n;
  while (l < h) {
    size_t m = l + (h - l) / 2;
    int d = strcmp(sorted[m].structure, s);
    if (!d) d = strcmp(sorted[m].workload, w);
    if (d < 0)
      l = m + 1;
    else
      h = m;
  }
  for (h = l; h < n && tput_is(&sorted[h], s, w, NULL); h++) {
  }
  *view = *r;
  view->tput = (mc_result_tput *)sorted + l;
  view->ntput = h - l;
  return h > l;
}

/* A comparison row set: rows whose facts name another side (vs_structure, vs_workload: e.g.
 * ndarray/sum_vs_boxed is measured against boxed/sum), which the chart then draws beside them.
 * Returns 1 with the other side's slice in *other when the file has rows of it with an N. */
static int vs_pair(const mc_results *r, const mc_result_tput *sorted, size_t n, mc_results *other) {
  const mc_result_tput *t = &r->tput[0]; /* the group's rows: one benchmark, one comparison */
  if (!t->vs_structure[0] || !t->vs_workload[0]) return 0;
  if (!group_view(r, sorted, n, t->vs_structure, t->vs_workload, other)) return 0;
  for (size_t i = 0; i < other->ntput; i++)
    if (other->tput[i].n > 0) return 1;
  return 0;
}

/* Whether every allocator of the group slice r has rows at one N only (no N counts as one: 0):
 * then there is nothing to plot against N, and the cost chart shows them instead. Rows sorted
 * by allocator then N: one pass. */
static int gbench_single_n(const mc_results *r) {
  for (size_t i = 1; i < r->ntput; i++)
    if (strcmp(r->tput[i].allocator, r->tput[i - 1].allocator) == 0 &&
        r->tput[i].n != r->tput[i - 1].n)
      return 0;
  return 1;
}

typedef struct cost_bar {
  size_t a;           /* the allocator, an index into c->allocs */
  double med, lo, hi; /* ns per item (or iteration) over its repetitions */
} cost_bar;

static int cost_cmp(const void *x, const void *y) {
  const cost_bar *a = x, *b = y;
  return (a->med > b->med) - (a->med < b->med);
}

/* The cost chart of (s, w): ns per item (1e9 / items per second; per iteration when a row has
 * no items) per allocator, as bars, fastest first. v has ntput room. */
static void draw_cost(ctx *c, const char *s, const char *w, int items, double *v) {
  /* c->r->tput is the group of (s, w), sorted by allocator then N */
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
    size_t k = 0, lo, hi;
    alloc_range(r, c->allocs.v[a], &lo, &hi);
    for (size_t i = lo; i < hi; i++) {
      const mc_result_tput *t = &r->tput[i];
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
  int ranged = 0;
  for (size_t i = 0; i < nb; i++) ranged |= bars[i].hi > bars[i].lo;
  snprintf(title, sizeof title, "%s / %s: time per %s (%s%s)", s, w, items ? "item" : "iteration",
           ranged ? "median, min–max" : "one repetition", nstr);
  chart ch;
  if (mc__chart_begin(c, &ch, "cost", s, w, title) != MC_OK) {
    mc__chart_skip(&ch, "cannot write its data");
    free(bars);
    return;
  }
  ch.info.tput_kind = r->tput[0].kind; /* a group's rows are of one benchmark: one kind */
  /* each bar its own style: the allocator's own when no bar before took it, else the first
   * free one (names only Google Benchmark uses, e.g. pool_direct, would otherwise wrap onto
   * another allocator's colour); distinct up to MC_PLOTDATA_NSTYLES bars */
  int taken[MC_PLOTDATA_NSTYLES + 1] = {0};
  for (size_t i = 0; i < nb; i++) {
    const char *name = c->allocs.v[bars[i].a];
    int st = mc__plot_style(c, name);
    for (int k = 1; taken[st] && k <= MC_PLOTDATA_NSTYLES; k++) st = taken[k] ? st : k;
    taken[st] = 1;
    mc__chart_series(&ch, name, st);
    row(&ch, "%zu %.6g %.6g %.6g\n", i + 1, bars[i].med, bars[i].lo, bars[i].hi);
  }
  mc__sb_printf(&ch.vars, "range=%d;", ranged);
  free(bars);
  mc__sb_str(&ch.vars, "what", items ? "item" : "iteration");
  mc__chart_end(&ch, "cost");
}

/* Google Benchmark's rows, per (structure, workload): items/s (or iterations/s) against N, or,
 * when there is no N to plot against (every allocator at one N), the cost chart.
 * The rows are sorted once by (structure, workload, allocator, N) and each group is drawn from
 * its own slice (c->r points at a view of it meanwhile): n log n in the rows, whatever the
 * number of distinct names (3 000 distinct names once took 84 s of cubic scans). */
static int tput_cmp(const void *x, const void *y) {
  const mc_result_tput *a = x, *b = y;
  int d = mc_result_key_cmp(a->structure, a->workload, a->allocator, a->n, b->structure,
                            b->workload, b->allocator, b->n);
  if (!d) d = (a->rep > b->rep) - (a->rep < b->rep);
  return d;
}

static void gbench_group(ctx *c, double *v, const mc_result_tput *sorted, size_t nsorted) {
  const mc_results *r = c->r;
  const char *s = r->tput[0].structure, *w = r->tput[0].workload;
  int items = 1;
  size_t no_n = 0;
  for (size_t i = 0; i < r->ntput; i++) {
    items &= r->tput[i].items_per_s > 0;
    no_n += r->tput[i].n == 0;
  }
  if (gbench_single_n(r)) {
    draw_cost(c, s, w, items, v);
    return;
  }
  char title[256];
  chart ch;
  snprintf(title, sizeof title, "%s / %s: Google Benchmark, per second against N", s, w);
  if (mc__chart_begin(c, &ch, "gbench", s, w, title) != MC_OK) {
    mc__chart_skip(&ch, "cannot write its data");
    return;
  }
  ch.info.tput_kind = r->tput[0].kind;
  uint64_t nmin = UINT64_MAX, nmax = 0;
  int ranged = 0;
  mc_results other;
  int vs = vs_pair(r, sorted, nsorted, &other);
  for (size_t a = 0; a < c->allocs.n; a++) {
    const char *al = c->allocs.v[a];
    char label[2 * MC_RESULT_NAME + 4];
    snprintf(label, sizeof label, vs ? "%s: %s" : "%s%s", vs ? s : "", al);
    int st = mc__plot_style(c, al);
    gbench_series(r, &ch, al, items, v, &nmin, &nmax, label, st, &ranged);
    if (!vs) continue;
    /* the other side of the comparison: the same allocator's colour, the other dash and
     * symbol (styles 9..16 repeat the colours of 1..8) */
    snprintf(label, sizeof label, "%s: %s", other.tput[0].structure, al);
    gbench_series(&other, &ch, al, items, v, &nmin, &nmax, label, st <= 8 ? st + 8 : st - 8,
                  &ranged);
  }
  if (no_n && ch.ns) /* throughput against N has no place for them (alloc/pair16/system) */
    mc__plot_note(c, "%s: %zu Google Benchmark row(s) without an N argument left out", ch.info.name,
                  no_n);
  if (!ch.ns) {
    mc__chart_skip(&ch, no_n ? "no row with an N argument" : "no usable Google Benchmark row");
    return;
  }
  range_vars(&ch, ranged);
  mc__sb_printf(&ch.vars, "logx=%d;", nmax >= 10 * nmin);
  mc__sb_str(&ch.vars, "what", items ? "items" : "iterations");
  mc__chart_end(&ch, "throughput");
}

void mc__plot_gbench(ctx *c) {
  const mc_results *r = c->r;
  if (!r->ntput) return;
  mc_result_tput *sorted = malloc(r->ntput * sizeof *sorted);
  double *v = malloc(r->ntput * sizeof *v);
  if (!sorted || !v) {
    c->oom = 1;
    free(sorted);
    free(v);
    return;
  }
  memcpy(sorted, r->tput, r->ntput * sizeof *sorted);
  qsort(sorted, r->ntput, sizeof *sorted, tput_cmp);
  for (size_t lo = 0, hi; lo < r->ntput; lo = hi) {
    for (hi = lo + 1;
         hi < r->ntput && tput_is(&sorted[hi], sorted[lo].structure, sorted[lo].workload, NULL);
         hi++) {
    }
    mc_results view = *r;
    view.tput = sorted + lo;
    view.ntput = hi - lo;
    c->r = &view;
    gbench_group(c, v, sorted, r->ntput);
    c->r = r;
  }
  free(sorted);
  free(v);
}

/* ---- one (structure, workload) -------------------------------------------------------------- */

/* 1 when a run of g says its workload's garbage forms cycles (run fact cyclic). */
static int group_cyclic(const ctx *c, const group *g) {
  for (size_t i = g->lo; i < g->hi; i++)
    if (c->cells[i].run && c->cells[i].run->cyclic) return 1;
  return 0;
}

void mc__plot_group(ctx *c, const group *g) {
  if (g->curve_n) {
    draw_curve(c, g);
    draw_overhead(c, g);
    draw_gc_heap(c, g);
    draw_gc_pauses(c, g);
    if (group_cyclic(c, g)) draw_gc_cycles(c, g);
  } else {
    mc__plot_note(c, "%s / %s: no run with a memory curve, curve charts skipped", g->s, g->w);
  }
  draw_peak_vs_n(c, g);
  draw_throughput(c, g);
  draw_tradeoff(c, g);
}
