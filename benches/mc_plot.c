/* mc_plot.c — charts from a results file through gnuplot.
 *
 * For each chart: the numbers are written as whitespace-separated blocks (one block per series,
 * blocks separated by two blank lines, so gnuplot's `index` picks them) to
 * <out>/data/<chart>.dat; the series names and styles and every other input go on gnuplot's
 * command line as `-e "t1='system'; s1=1; ..."` (strings quoted the gnuplot way: ' doubled);
 * gnuplot runs as a child process (fork/exec, no shell) once per format with its output in
 * <out>/data/<chart>.log, and its exit status and the file it wrote are checked.
 * Each allocator keeps one style (colour + dash + point) in every chart: its index in the
 * file's sorted allocator list, system first. Memory axes are scaled to one binary unit.
 * Which run a per-(structure, workload) chart shows: the largest N that has a curve. */
#define _POSIX_C_SOURCE 200809L /* fork, waitpid, mkdir, access, strnlen */
#include "mc_plot.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mc_error.h"
#include "mc_plotdata.h"

#ifndef MC_PLOTS_DIR
#define MC_PLOTS_DIR "plots"
#endif
#define MAX_POINTS 4000 /* curve samples per series drawn; longer curves are thinned evenly */

/* ---- a growing string for gnuplot's -e ---------------------------------------------------- */

typedef struct sbuf {
  char *p;
  size_t n, cap;
  int oom;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...) {
  va_list ap;
  for (;;) {
    size_t room = b->cap - b->n;
    va_start(ap, fmt);
    int k = b->p ? vsnprintf(b->p + b->n, room, fmt, ap) : -1;
    va_end(ap);
    if (k >= 0 && (size_t)k < room) {
      b->n += (size_t)k;
      return;
    }
    size_t cap = b->cap ? b->cap * 2 : 1024;
    while (k >= 0 && cap - b->n <= (size_t)k) cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
      b->oom = 1;
      return;
    }
    b->p = p, b->cap = cap;
  }
}

/* name='value'; with ' doubled and control characters made spaces. */
static void sb_str(sbuf *b, const char *name, const char *value) {
  sb_printf(b, "%s='", name);
  for (const char *s = value; *s; s++) {
    if (*s == '\'') sb_printf(b, "''");
    else sb_printf(b, "%c", (unsigned char)*s < 32 ? ' ' : *s);
  }
  sb_printf(b, "';");
}

static void sb_num(sbuf *b, const char *name, double v) {
  if (isfinite(v)) sb_printf(b, "%s=%.9e;", name, v);
  else sb_printf(b, "%s=NaN;", name);
}

/* ---- the drawing context ------------------------------------------------------------------ */

typedef struct ctx {
  const mc_h5_results *r;
  const mc_plot_opts *o;
  mc_plot_list *list;
  mc_plotdata_cell *cells;
  size_t ncells;
  mc_plotdata_names allocs; /* every allocator, system first: the style order */
  char *scripts;
  char *gnuplot;
  int failures;
  int oom;
  char first_failure[200];
} ctx;

static void note(ctx *c, const char *fmt, ...) {
  mc_plot_list *l = c->list;
  if (l->nnotes == l->notecap) {
    size_t cap = l->notecap ? l->notecap * 2 : 16;
    void *p = realloc(l->notes, cap * sizeof *l->notes);
    if (!p) {
      c->oom = 1;
      return;
    }
    l->notes = p, l->notecap = cap;
  }
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(l->notes[l->nnotes++], sizeof *l->notes, fmt, ap);
  va_end(ap);
}

static int style_of(const ctx *c, const char *allocator) {
  int i = mc_plotdata_names_find(&c->allocs, allocator);
  return mc_plotdata_style(i < 0 ? 0 : (size_t)i);
}

/* File-name-safe copy: letters, digits, '.', '-' kept, anything else '-'. */
static void safe_name(char *dst, size_t size, const char *src) {
  size_t i = 0;
  for (; src[i] && i + 1 < size; i++) {
    char ch = src[i];
    int keep = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
               ch == '.' || ch == '-';
    dst[i] = keep ? ch : '-';
  }
  dst[i] = '\0';
}

/* ---- one chart in progress ---------------------------------------------------------------- */

typedef struct chart {
  ctx *c;
  mc_plot_chart info;
  char *data_path, *marks_path;
  FILE *data, *marks;
  size_t ns, nm; /* series in data, series in marks */
  uint64_t xs[12]; /* the distinct N on the x axis, for tics at exactly those values */
  size_t nx;       /* 0: automatic tics; > 12 values also falls back to automatic tics */
  sbuf vars;
} chart;

static char *path_join(const char *dir, const char *name, const char *ext) {
  size_t len = strlen(dir) + strlen(name) + strlen(ext) + 2;
  char *p = malloc(len);
  if (p) snprintf(p, len, "%s/%s%s", dir, name, ext);
  return p;
}

/* Starts chart kind for (structure, workload) (either may be ""); title says what it shows. */
static int chart_begin(ctx *c, chart *ch, const char *kind, const char *structure,
                       const char *workload, const char *title) {
  memset(ch, 0, sizeof *ch);
  ch->c = c;
  snprintf(ch->info.kind, sizeof ch->info.kind, "%s", kind);
  snprintf(ch->info.structure, sizeof ch->info.structure, "%s", structure);
  snprintf(ch->info.workload, sizeof ch->info.workload, "%s", workload);
  snprintf(ch->info.title, sizeof ch->info.title, "%s", title);
  char s[MC_H5_NAME], w[MC_H5_NAME];
  safe_name(s, sizeof s, structure);
  safe_name(w, sizeof w, workload);
  snprintf(ch->info.name, sizeof ch->info.name, "%s%s%s%s%s", kind, *s ? "_" : "", s,
           *w ? "_" : "", w);
  if (c->o->plan_only) return MC_OK;
  char *dir = path_join(c->o->outdir, "data", "");
  if (!dir) return MC_ENOMEM;
  ch->data_path = path_join(dir, ch->info.name, ".dat");
  ch->marks_path = path_join(dir, ch->info.name, ".marks.dat");
  free(dir);
  if (!ch->data_path || !ch->marks_path) return MC_ENOMEM;
  if (!(ch->data = fopen(ch->data_path, "w")) || !(ch->marks = fopen(ch->marks_path, "w")))
    return MC_EIO;
  fprintf(ch->data, "# memcurve chart data: %s\n", title);
  fprintf(ch->marks, "# memcurve chart marks: %s\n", title);
  return MC_OK;
}

/* Starts series i+1 of the data file, named label, drawn in style. */
static void chart_series(chart *ch, const char *label, int style) {
  char name[16];
  ch->ns++;
  if (ch->data) fprintf(ch->data, "%s# series %zu: %s\n", ch->ns > 1 ? "\n\n" : "", ch->ns, label);
  snprintf(name, sizeof name, "t%zu", ch->ns);
  sb_str(&ch->vars, name, label);
  sb_printf(&ch->vars, "s%zu=%d;", ch->ns, style);
}

static void chart_marks_series(chart *ch, int style) {
  ch->nm++;
  if (ch->marks) fprintf(ch->marks, "%s# marks %zu\n", ch->nm > 1 ? "\n\n" : "", ch->nm);
  sb_printf(&ch->vars, "m%zu=%d;", ch->nm, style);
}

/* Notes an N on the x axis. */
static void chart_x(chart *ch, uint64_t n) {
  for (size_t i = 0; i < ch->nx && i < 12; i++)
    if (ch->xs[i] == n) return;
  if (ch->nx < 12) ch->xs[ch->nx] = n;
  ch->nx++;
}

/* xtl = '"2k" 2000, "20k" 20000' when the x axis has few distinct N: one tic per N. */
static void chart_xtics(chart *ch) {
  if (!ch->nx || ch->nx > 12) return;
  sb_printf(&ch->vars, "xtl='");
  for (size_t i = 0; i < ch->nx; i++) {
    uint64_t n = ch->xs[i];
    const char *suffix = n >= 1000000 && n % 100000 == 0 ? "M" : n >= 1000 && n % 100 == 0 ? "k" : "";
    double v = *suffix == 'M' ? (double)n / 1e6 : *suffix == 'k' ? (double)n / 1e3 : (double)n;
    sb_printf(&ch->vars, "%s\"%g%s\" %llu", i ? ", " : "", v, suffix, (unsigned long long)n);
  }
  sb_printf(&ch->vars, "';");
}

static void chart_free(chart *ch) {
  if (ch->data) fclose(ch->data);
  if (ch->marks) fclose(ch->marks);
  free(ch->data_path);
  free(ch->marks_path);
  free(ch->vars.p);
  memset(ch, 0, sizeof *ch);
}

/* Gives up on a chart: the reason becomes a note. */
static void chart_skip(chart *ch, const char *why) {
  note(ch->c, "%s: skipped, %s", ch->info.name, why);
  chart_free(ch);
}

static int file_nonempty(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
}

/* Runs gnuplot on script with the -e program vars, stdout and stderr to log. */
static int run_gnuplot(const ctx *c, const char *script, const char *vars, const char *log) {
  pid_t pid = fork();
  if (pid < 0) return MC_EIO;
  if (pid == 0) {
    int in = open("/dev/null", O_RDONLY);
    int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in >= 0) dup2(in, 0);
    if (fd >= 0) dup2(fd, 1), dup2(fd, 2);
    execl(c->gnuplot, c->gnuplot, "-e", vars, script, (char *)NULL);
    _exit(127);
  }
  int status;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return MC_EIO;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? MC_OK : MC_EIO;
}

/* Finishes the chart: runs plots/<script>.gp once per format, checks the output, lists it. */
static void chart_end(chart *ch, const char *script) {
  ctx *c = ch->c;
  mc_plot_list *l = c->list;
  int ok = 1;
  if (!c->o->plan_only) {
    if (fclose(ch->data) != 0 || fclose(ch->marks) != 0) ok = 0;
    ch->data = ch->marks = NULL;
    sb_str(&ch->vars, "gpdir", c->scripts);
    sb_str(&ch->vars, "data", ch->data_path);
    sb_str(&ch->vars, "marks", ch->marks_path);
    sb_printf(&ch->vars, "ns=%zu;nm=%zu;", ch->ns, ch->nm);
    sb_str(&ch->vars, "ttl", ch->info.title);
    chart_xtics(ch);
    if (ch->vars.oom) c->oom = 1, ok = 0;
    char *gp = path_join(c->scripts, script, ".gp"), *log = path_join(c->o->outdir, "data/", "");
    static const char *exts[] = {"png", "svg"};
    for (int f = 0; ok && f < 2; f++) {
      if (!(c->o->formats & (1u << f))) continue;
      char ext[8], *out = NULL, *lg = NULL;
      snprintf(ext, sizeof ext, ".%s", exts[f]);
      sbuf v = {0};
      out = path_join(c->o->outdir, ch->info.name, ext);
      lg = log ? path_join(log, ch->info.name, f ? ".svg.log" : ".png.log") : NULL;
      if (out && lg && gp) {
        sb_printf(&v, "%s", ch->vars.p);
        sb_str(&v, "fmt", exts[f]);
        sb_str(&v, "out", out);
        remove(out);
      }
      if (!out || !lg || !gp || v.oom) {
        c->oom = 1, ok = 0;
      } else if (run_gnuplot(c, gp, v.p, lg) != MC_OK || !file_nonempty(out)) {
        ok = 0;
        note(c, "%s.%s: gnuplot failed, see %s", ch->info.name, exts[f], lg);
        if (!c->failures++)
          snprintf(c->first_failure, sizeof c->first_failure, "gnuplot failed on %s.%s (see %s)",
                   ch->info.name, exts[f], lg);
      }
      free(v.p);
      free(out);
      free(lg);
    }
    free(gp);
    free(log);
  }
  if (ok && l->ncharts == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 16;
    void *p = realloc(l->charts, cap * sizeof *l->charts);
    if (!p) c->oom = 1, ok = 0;
    else l->charts = p, l->cap = cap;
  }
  if (ok) l->charts[l->ncharts++] = ch->info;
  if (ok && c->o->verbose) fprintf(stderr, "memcurve plot: %s — %s\n", ch->info.name, ch->info.title);
  chart_free(ch);
}

static void put(FILE *f, const char *fmt, ...) {
  if (!f) return;
  va_list ap;
  va_start(ap, fmt);
  vfprintf(f, fmt, ap);
  va_end(ap);
}

static void set_unit(chart *ch, double max_bytes) {
  double scale;
  const char *unit = mc_plotdata_unit(max_bytes, &scale);
  sb_num(&ch->vars, "mscale", scale);
  sb_str(&ch->vars, "munit", unit);
}

/* ---- per (structure, workload) ------------------------------------------------------------ */

typedef struct group {
  const char *s, *w;
  size_t lo, hi;      /* its cells: c->cells[lo..hi) */
  uint64_t curve_n;   /* the largest N with a curve; 0 when none */
} group;

/* The run of allocator a at N = n in group g, if it has a curve. */
static const mc_h5_run *run_at(const ctx *c, const group *g, const char *a, uint64_t n) {
  for (size_t i = g->lo; i < g->hi; i++) {
    const mc_plotdata_cell *x = &c->cells[i];
    if (x->n == n && x->run && x->run->ncurve && strcmp(x->allocator, a) == 0) return x->run;
  }
  return NULL;
}

static int is_collector(const mc_h5_run *run) {
  if (strncmp(run->allocator, "gc", 2) == 0 || strncmp(run->allocator, "boehm", 5) == 0) return 1;
  for (size_t i = 0; i < run->nevents; i++)
    if (run->events[i].kind == MC_H5_EV_COLLECT) return 1;
  return 0;
}

/* Writes run's curve as rows "x requested footprint" (x = ops, or t_ns when by_time), thinned
 * to MAX_POINTS buckets keeping each bucket's highest footprint; returns the peak footprint. */
static double put_curve(chart *ch, const mc_h5_run *run, int by_time) {
  size_t stride = (run->ncurve + MAX_POINTS - 1) / MAX_POINTS, best = 0;
  double peak = 0;
  for (size_t i = 0; i < run->ncurve; i++) {
    const mc_h5_point *p = &run->curve[i];
    if ((double)p->footprint > peak) peak = (double)p->footprint;
    if (i % stride == 0 || p->footprint > run->curve[best].footprint) best = i;
    if ((i + 1) % stride && i + 1 < run->ncurve) continue;
    const mc_h5_point *q = &run->curve[best];
    put(ch->data, "%llu %llu %llu\n", (unsigned long long)(by_time ? q->t_ns : q->ops),
        (unsigned long long)q->requested, (unsigned long long)q->footprint);
  }
  return peak;
}

static void draw_curve(ctx *c, const group *g) {
  char title[256];
  chart ch;
  snprintf(title, sizeof title, "%s / %s, N = %llu: memory held (footprint) and requested", g->s,
           g->w, (unsigned long long)g->curve_n);
  if (chart_begin(c, &ch, "curve", g->s, g->w, title) != MC_OK) return chart_skip(&ch, "cannot write its data");
  double peak = 0;
  int coll = 0, reset = 0;
  for (size_t a = 0; a < c->allocs.n; a++) {
    const mc_h5_run *run = run_at(c, g, c->allocs.v[a], g->curve_n);
    if (!run) continue;
    chart_series(&ch, c->allocs.v[a], style_of(c, c->allocs.v[a]));
    double pk = put_curve(&ch, run, 0);
    if (pk > peak) peak = pk;
    size_t nm = 0;
    for (size_t e = 0; e < run->nevents; e++) {
      const mc_h5_event *ev = &run->events[e];
      if (ev->kind < MC_H5_EV_COLLECT || ev->kind > MC_H5_EV_UNWIND) continue;
      if (!nm++) chart_marks_series(&ch, style_of(c, c->allocs.v[a]));
      put(ch.marks, "%llu %llu %d\n", (unsigned long long)ev->ops,
          (unsigned long long)ev->bytes_after, (int)ev->kind);
      if (ev->kind == MC_H5_EV_COLLECT) coll = 1;
      else reset = 1;
    }
  }
  set_unit(&ch, peak);
  sb_printf(&ch.vars, "hascoll=%d;hasreset=%d;", coll, reset);
  chart_end(&ch, "curve");
}

static void draw_overhead(ctx *c, const group *g) {
  char title[256];
  chart ch;
  snprintf(title, sizeof title,
           "%s / %s, N = %llu: overhead, footprint ÷ requested (samples holding ≥ 1%% of the peak)",
           g->s, g->w, (unsigned long long)g->curve_n);
  if (chart_begin(c, &ch, "overhead", g->s, g->w, title) != MC_OK) return chart_skip(&ch, "cannot write its data");
  double maxr = 0;
  for (size_t a = 0; a < c->allocs.n; a++) {
    const mc_h5_run *run = run_at(c, g, c->allocs.v[a], g->curve_n);
    if (!run) continue;
    uint64_t peak = 0;
    for (size_t i = 0; i < run->ncurve; i++)
      if (run->curve[i].requested > peak) peak = run->curve[i].requested;
    if (!peak) continue;
    chart_series(&ch, c->allocs.v[a], style_of(c, c->allocs.v[a]));
    size_t stride = (run->ncurve + MAX_POINTS - 1) / MAX_POINTS;
    for (size_t i = 0; i < run->ncurve; i++) {
      const mc_h5_point *p = &run->curve[i];
      if (p->requested == 0 || p->requested * 100 < peak || (i % stride && i + 1 < run->ncurve))
        continue;
      double ratio = (double)p->footprint / (double)p->requested;
      if (ratio > maxr) maxr = ratio;
      put(ch.data, "%llu %.6g\n", (unsigned long long)p->ops, ratio);
    }
  }
  if (!ch.ns) return chart_skip(&ch, "no curve with requested bytes");
  sb_printf(&ch.vars, "logy=%d;", maxr > 8);
  chart_end(&ch, "overhead");
}

static void draw_peak_vs_n(ctx *c, const group *g) {
  char title[256];
  chart ch;
  size_t nn = 0;
  for (size_t i = g->lo; i < g->hi; i++)
    if (c->cells[i].ok && (i == g->lo || c->cells[i].n != c->cells[i - 1].n)) nn++;
  snprintf(title, sizeof title, "%s / %s: peak footprint against N (log-log; k = fitted exponent)",
           g->s, g->w);
  if (chart_begin(c, &ch, "peak_vs_n", g->s, g->w, title) != MC_OK) return chart_skip(&ch, "cannot write its data");
  double maxb = 0, xs[64], ys[64];
  for (size_t a = 0; a < c->allocs.n && nn >= 2; a++) {
    size_t k = 0;
    for (size_t i = g->lo; i < g->hi && k < 64; i++) {
      const mc_plotdata_cell *x = &c->cells[i];
      if (!x->ok || !(x->peak_fp > 0) || strcmp(x->allocator, c->allocs.v[a])) continue;
      xs[k] = (double)x->n, ys[k++] = x->peak_fp;
      chart_x(&ch, x->n);
      if (x->peak_fp > maxb) maxb = x->peak_fp;
    }
    if (!k) continue;
    double fa = NAN, fb = NAN;
    char label[MC_H5_NAME + 48], name[16];
    if (mc_plotdata_fit_loglog(xs, ys, k, &fa, &fb) == MC_OK)
      snprintf(label, sizeof label, "%s: k = %.2f", c->allocs.v[a], fa);
    else
      snprintf(label, sizeof label, "%s (one N, no fit)", c->allocs.v[a]);
    chart_series(&ch, label, style_of(c, c->allocs.v[a]));
    for (size_t i = 0; i < k; i++) put(ch.data, "%.0f %.17g\n", xs[i], ys[i]);
    snprintf(name, sizeof name, "a%zu", ch.ns);
    sb_num(&ch.vars, name, fa);
    snprintf(name, sizeof name, "b%zu", ch.ns);
    sb_num(&ch.vars, name, fb); /* ln bytes = fb + fa ln N */
  }
  if (nn < 2) return chart_skip(&ch, "fewer than two values of N");
  if (!ch.ns) return chart_skip(&ch, "no finished run with a peak");
  set_unit(&ch, maxb);
  chart_end(&ch, "peak_vs_n");
}

static void draw_throughput(ctx *c, const group *g) {
  char title[256];
  chart ch;
  snprintf(title, sizeof title, "%s / %s: throughput against N (timed runs, median and min–max)",
           g->s, g->w);
  if (chart_begin(c, &ch, "throughput", g->s, g->w, title) != MC_OK) return chart_skip(&ch, "cannot write its data");
  uint64_t nmin = UINT64_MAX, nmax = 0;
  for (size_t a = 0; a < c->allocs.n; a++) {
    int started = 0;
    for (size_t i = g->lo; i < g->hi; i++) {
      const mc_plotdata_cell *x = &c->cells[i];
      if (!x->reps || !isfinite(x->ops_s_med) || strcmp(x->allocator, c->allocs.v[a])) continue;
      if (!started++) chart_series(&ch, c->allocs.v[a], style_of(c, c->allocs.v[a]));
      put(ch.data, "%llu %.6g %.6g %.6g\n", (unsigned long long)x->n, x->ops_s_med, x->ops_s_min,
          x->ops_s_max);
      chart_x(&ch, x->n);
      if (x->n < nmin) nmin = x->n;
      if (x->n > nmax) nmax = x->n;
    }
  }
  if (!ch.ns) return chart_skip(&ch, "no timed repetition in /summary");
  sb_printf(&ch.vars, "logx=%d;", nmax >= 10 * nmin);
  sb_str(&ch.vars, "ylab", "throughput (operations/s)");
  chart_end(&ch, "throughput");
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
  snprintf(title, sizeof title, "%s / %s, N = %llu: time against peak memory (lower left is better)",
           g->s, g->w, (unsigned long long)n);
  if (chart_begin(c, &ch, "tradeoff", g->s, g->w, title) != MC_OK) return chart_skip(&ch, "cannot write its data");
  if (!n) return chart_skip(&ch, "fewer than two allocators with both a time and a peak");
  double xs[64], ys[64], xmin = INFINITY, xmax = 0, ymin = INFINITY, ymax = 0;
  int front[64];
  size_t k = 0;
  for (size_t a = 0; a < c->allocs.n && k < 64; a++)
    for (size_t i = g->lo; i < g->hi; i++) {
      const mc_plotdata_cell *x = &c->cells[i];
      if (x->n != n || !isfinite(x->wall_ns) || !isfinite(x->peak_fp) ||
          strcmp(x->allocator, c->allocs.v[a]))
        continue;
      chart_series(&ch, x->allocator, style_of(c, x->allocator));
      put(ch.data, "%.17g %.17g\n", x->peak_fp, x->wall_ns);
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
  sb_str(&ch.vars, "front", ch.marks_path ? ch.marks_path : "");
  sb_printf(&ch.vars, "logx=%d;logy=%d;", xmax > 20 * xmin, ymax > 20 * ymin);
  chart_end(&ch, "tradeoff");
}

static void draw_gc_heap(ctx *c, const group *g) {
  char title[256];
  chart ch;
  snprintf(title, sizeof title, "%s / %s, N = %llu: the collected heap over time", g->s, g->w,
           (unsigned long long)g->curve_n);
  if (chart_begin(c, &ch, "gc_heap", g->s, g->w, title) != MC_OK) return chart_skip(&ch, "cannot write its data");
  double peak = 0;
  for (size_t a = 0; a < c->allocs.n; a++) {
    const mc_h5_run *run = run_at(c, g, c->allocs.v[a], g->curve_n);
    if (!run || !is_collector(run)) continue;
    int style = style_of(c, run->allocator);
    chart_series(&ch, run->allocator, style);
    peak = fmax(peak, put_curve(&ch, run, 1));
    size_t nm = 0;
    for (size_t e = 0; e < run->nevents; e++) {
      const mc_h5_event *ev = &run->events[e];
      if (ev->kind != MC_H5_EV_COLLECT) continue;
      if (!nm++) chart_marks_series(&ch, style);
      put(ch.marks, "%llu %llu\n", (unsigned long long)ev->t_ns, (unsigned long long)ev->bytes_after);
    }
  }
  if (!ch.ns) return chart_free(&ch); /* not a collector group: no note, nothing missing */
  set_unit(&ch, peak);
  chart_end(&ch, "gc_heap");
}

static void draw_gc_pauses(ctx *c, const group *g) {
  char title[256];
  chart ch;
  snprintf(title, sizeof title, "%s / %s, N = %llu: collector pauses over the run", g->s, g->w,
           (unsigned long long)g->curve_n);
  if (chart_begin(c, &ch, "gc_pauses", g->s, g->w, title) != MC_OK) return chart_skip(&ch, "cannot write its data");
  double pmin = INFINITY, pmax = 0;
  int oldgen = 2, any_run = 0;
  for (size_t a = 0; a < c->allocs.n; a++) {
    const mc_h5_run *run = run_at(c, g, c->allocs.v[a], g->curve_n);
    if (!run || !is_collector(run)) continue;
    any_run = 1;
    size_t k = 0;
    for (size_t e = 0; e < run->nevents; e++) {
      const mc_h5_event *ev = &run->events[e];
      if (ev->kind != MC_H5_EV_COLLECT) continue;
      if (!k++) chart_series(&ch, run->allocator, style_of(c, run->allocator));
      put(ch.data, "%llu %llu %d\n", (unsigned long long)ev->t_ns, (unsigned long long)ev->pause_ns,
          (int)ev->generation);
      if (ev->generation > oldgen) oldgen = ev->generation;
      if (ev->pause_ns > 0) pmin = fmin(pmin, (double)ev->pause_ns);
      pmax = fmax(pmax, (double)ev->pause_ns);
    }
  }
  if (!any_run) return chart_free(&ch);
  if (!ch.ns) return chart_skip(&ch, "the collector runs recorded no collection");
  sb_printf(&ch.vars, "logy=%d;oldgen=%d;", pmax > 50 * pmin, oldgen);
  chart_end(&ch, "gc_pauses");
}

/* The cycles workload: every allocator that ran it, typically gc, gc-off and gc-saveall. */
static void draw_gc_cycles(ctx *c, const group *g) {
  static const char *want[] = {"gc", "gc-off", "gc-saveall"};
  char title[256];
  chart ch;
  snprintf(title, sizeof title, "%s / %s, N = %llu: cyclic garbage, collection on, off and SAVEALL",
           g->s, g->w, (unsigned long long)g->curve_n);
  if (chart_begin(c, &ch, "gc_cycles", g->s, g->w, title) != MC_OK) return chart_skip(&ch, "cannot write its data");
  double peak = 0;
  for (size_t a = 0; a < c->allocs.n; a++) {
    const mc_h5_run *run = run_at(c, g, c->allocs.v[a], g->curve_n);
    if (!run) continue;
    int style = style_of(c, run->allocator);
    chart_series(&ch, run->allocator, style);
    peak = fmax(peak, put_curve(&ch, run, 0));
    size_t nm = 0;
    for (size_t e = 0; e < run->nevents; e++) {
      const mc_h5_event *ev = &run->events[e];
      if (ev->kind != MC_H5_EV_COLLECT) continue;
      if (!nm++) chart_marks_series(&ch, style);
      put(ch.marks, "%llu %llu\n", (unsigned long long)ev->ops, (unsigned long long)ev->bytes_after);
    }
  }
  if (!ch.ns) return chart_skip(&ch, "no run with a curve");
  for (size_t i = 0; i < sizeof want / sizeof *want; i++)
    if (!run_at(c, g, want[i], g->curve_n))
      note(c, "%s: no run for allocator %s (drawn without it)", ch.info.name, want[i]);
  set_unit(&ch, peak);
  chart_end(&ch, "gc_cycles");
}

/* ---- charts across structures ------------------------------------------------------------- */

static int is_array_kind(const char *structure) {
  return strstr(structure, "ndarray") != NULL || strstr(structure, "boxed") != NULL;
}

/* ndarray against boxed array, per workload they share: peak footprint ÷ N. */
static void draw_bytes_per_elem(ctx *c) {
  mc_plotdata_names works = {0};
  for (size_t i = 0; i < c->ncells; i++)
    if (is_array_kind(c->cells[i].structure) && mc_plotdata_names_add(&works, c->cells[i].workload) < 0)
      c->oom = 1;
  if (!works.n) note(c, "bytes_per_elem: skipped, no ndarray or boxed-array runs");
  for (size_t w = 0; w < works.n; w++) {
    char title[256];
    chart ch;
    snprintf(title, sizeof title, "ndarray against boxed array, %s: bytes per element", works.v[w]);
    if (chart_begin(c, &ch, "bytes_per_elem", "", works.v[w], title) != MC_OK) {
      chart_skip(&ch, "cannot write its data");
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
          char label[2 * MC_H5_NAME + 8];
          snprintf(label, sizeof label, "%s / %s", x->structure, x->allocator);
          int boxed = strstr(x->structure, "boxed") != NULL;
          chart_series(&ch, label, mc_plotdata_style(ch.ns)); /* each series its own style */
          kinds |= boxed ? 2 : 1;
          prev = x->structure;
        }
        put(ch.data, "%llu %.6g\n", (unsigned long long)x->n, x->peak_fp / (double)x->n);
        chart_x(&ch, x->n);
        if (x->n < nmin) nmin = x->n;
        if (x->n > nmax) nmax = x->n;
      }
    }
    if (!ch.ns) {
      chart_skip(&ch, "no finished run");
      continue;
    }
    if (kinds != 3)
      note(c, "%s: only %s runs, nothing to compare with", ch.info.name, kinds == 1 ? "ndarray" : "boxed");
    sb_printf(&ch.vars, "logx=%d;", nmax >= 10 * nmin);
    chart_end(&ch, "bytes_per_elem");
  }
  mc_plotdata_names_free(&works);
}

static int tput_is(const mc_h5_tput *t, const char *s, const char *w, const char *a) {
  return !strcmp(t->structure, s) && !strcmp(t->workload, w) && (!a || !strcmp(t->allocator, a));
}

/* One gbench chart: allocator a's rows of (s, w) as median/min/max per N; v has ntput room. */
static void gbench_series(ctx *c, chart *ch, const char *s, const char *w, const char *a,
                          int items, double *v, uint64_t *nmin, uint64_t *nmax) {
  const mc_h5_results *r = c->r;
  uint64_t last = 0;
  int first = 1, started = 0;
  for (;;) { /* the distinct N of this allocator, increasing */
    uint64_t n = UINT64_MAX;
    int found = 0;
    for (size_t i = 0; i < r->ntput; i++)
      if (tput_is(&r->tput[i], s, w, a) && (first || r->tput[i].n > last) && r->tput[i].n <= n)
        n = r->tput[i].n, found = 1;
    if (!found) return;
    first = 0, last = n;
    size_t k = 0;
    for (size_t i = 0; i < r->ntput; i++) {
      const mc_h5_tput *t = &r->tput[i];
      if (t->n != n || !tput_is(t, s, w, a)) continue;
      double x = items ? t->items_per_s : (t->real_ns > 0 ? 1e9 / t->real_ns : NAN);
      if (isfinite(x)) v[k++] = x;
    }
    if (!k) continue;
    if (!started++) chart_series(ch, a, style_of(c, a));
    double lo = v[0], hi = v[0];
    for (size_t i = 1; i < k; i++) lo = fmin(lo, v[i]), hi = fmax(hi, v[i]);
    put(ch->data, "%llu %.6g %.6g %.6g\n", (unsigned long long)n, mc_plotdata_median(v, k), lo, hi);
    chart_x(ch, n);
    if (n < *nmin) *nmin = n;
    if (n > *nmax) *nmax = n;
  }
}

/* Google Benchmark's rows, per (structure, workload): items/s (or iterations/s) against N. */
static void draw_gbench(ctx *c) {
  const mc_h5_results *r = c->r;
  mc_plotdata_names ss = {0}, ws = {0};
  for (size_t i = 0; i < r->ntput; i++)
    if (mc_plotdata_names_add(&ss, r->tput[i].structure) < 0 ||
        mc_plotdata_names_add(&ws, r->tput[i].workload) < 0)
      c->oom = 1;
  double *v = r->ntput ? malloc(r->ntput * sizeof *v) : NULL;
  for (size_t p = 0; v && p < ss.n * ws.n; p++) {
    const char *s = ss.v[p / ws.n], *w = ws.v[p % ws.n];
    int items = 1, any = 0;
    for (size_t i = 0; i < r->ntput; i++)
      if (tput_is(&r->tput[i], s, w, NULL)) any = 1, items &= r->tput[i].items_per_s > 0;
    if (!any) continue;
    char title[256];
    chart ch;
    snprintf(title, sizeof title, "%s / %s: Google Benchmark throughput against N (median, min–max)",
             s, w);
    if (chart_begin(c, &ch, "gbench", s, w, title) != MC_OK) {
      chart_skip(&ch, "cannot write its data");
      continue;
    }
    uint64_t nmin = UINT64_MAX, nmax = 0;
    for (size_t a = 0; a < c->allocs.n; a++)
      gbench_series(c, &ch, s, w, c->allocs.v[a], items, v, &nmin, &nmax);
    if (!ch.ns) {
      chart_skip(&ch, "no usable Google Benchmark row");
      continue;
    }
    sb_printf(&ch.vars, "logx=%d;", nmax >= 10 * nmin);
    sb_str(&ch.vars, "ylab", items ? "throughput (items/s)" : "throughput (iterations/s)");
    chart_end(&ch, "throughput");
  }
  if (r->ntput && !v) c->oom = 1;
  free(v);
  mc_plotdata_names_free(&ss);
  mc_plotdata_names_free(&ws);
}

/* ---- driving ------------------------------------------------------------------------------ */

static void draw_group(ctx *c, const group *g) {
  if (g->curve_n) {
    draw_curve(c, g);
    draw_overhead(c, g);
    draw_gc_heap(c, g);
    draw_gc_pauses(c, g);
    if (strstr(g->w, "cycle")) draw_gc_cycles(c, g);
  } else {
    note(c, "%s / %s: no run with a memory curve, curve charts skipped", g->s, g->w);
  }
  draw_peak_vs_n(c, g);
  draw_throughput(c, g);
  draw_tradeoff(c, g);
}

/* The program to run: an explicit path, or name looked up on PATH. NULL when not found. */
static char *find_program(const char *name) {
  if (strchr(name, '/')) return access(name, X_OK) == 0 ? strdup(name) : NULL;
  const char *path = getenv("PATH");
  if (!path) path = "/usr/bin:/bin";
  while (*path) {
    size_t len = strcspn(path, ":");
    char *cand = malloc(len + strlen(name) + 2);
    if (!cand) return NULL;
    snprintf(cand, len + strlen(name) + 2, "%.*s/%s", (int)len, len ? path : ".", name);
    if (access(cand, X_OK) == 0) return cand;
    free(cand);
    path += len + (path[len] == ':');
  }
  return NULL;
}

static int mkdir_p(const char *dir) {
  char *p = strdup(dir);
  if (!p) return -1;
  for (char *s = p + 1;; s++) {
    char ch = *s;
    if (ch != '/' && ch != '\0') continue;
    *s = '\0';
    if (mkdir(p, 0755) != 0 && errno != EEXIST) {
      free(p);
      return -1;
    }
    *s = ch;
    if (!ch) break;
  }
  free(p);
  return 0;
}

static int setup(ctx *c, char *err, size_t errlen) {
  const char *gp = c->o->gnuplot ? c->o->gnuplot : getenv("MEMCURVE_GNUPLOT");
  const char *sd = c->o->scripts ? c->o->scripts : getenv("MEMCURVE_PLOTS");
  if (!gp || !*gp) gp = "gnuplot";
  if (!sd || !*sd) sd = MC_PLOTS_DIR;
  if (!(c->gnuplot = find_program(gp))) {
    snprintf(err, errlen, "gnuplot not found (looked for '%s'%s): install the Debian package "
             "gnuplot-nox", gp, strchr(gp, '/') ? "" : " on PATH");
    return MC_EINVAL;
  }
  char *common = path_join(sd, "common.gp", "");
  int found = common && access(common, R_OK) == 0;
  free(common);
  if (!found) {
    snprintf(err, errlen, "gnuplot scripts not found: no %s/common.gp (use --scripts DIR or "
             "MEMCURVE_PLOTS)", sd);
    return MC_EINVAL;
  }
  if (!(c->scripts = strdup(sd))) return MC_ENOMEM;
  char *data = path_join(c->o->outdir, "data", "");
  int made = data && mkdir_p(data) == 0;
  free(data);
  if (!made) {
    snprintf(err, errlen, "cannot create %s/data: %s", c->o->outdir, strerror(errno));
    return MC_EIO;
  }
  return MC_OK;
}

int mc_plot_draw(const mc_h5_results *r, const mc_plot_opts *o, mc_plot_list *out, char *err,
                 size_t errlen) {
  mc_plot_opts opts = *o;
  ctx c = {.r = r, .o = &opts, .list = out};
  int rc = MC_OK;
  memset(out, 0, sizeof *out);
  if (!opts.formats) opts.formats = MC_PLOT_PNG | MC_PLOT_SVG;
  if (!opts.outdir) opts.outdir = ".";
  if (!r->nruns && !r->nsummary && !r->ntput) {
    snprintf(err, errlen, "the results file holds no run: nothing to draw");
    return MC_EINVAL;
  }
  if (!opts.plan_only && (rc = setup(&c, err, errlen)) != MC_OK) goto done;
  if ((rc = mc_plotdata_cells(r, &c.cells, &c.ncells)) != MC_OK) goto done;
  for (size_t i = 0; i < c.ncells; i++)
    if (mc_plotdata_names_add(&c.allocs, c.cells[i].allocator) < 0) c.oom = 1;
  for (size_t i = 0; i < r->ntput; i++)
    if (mc_plotdata_names_add(&c.allocs, r->tput[i].allocator) < 0) c.oom = 1;
  mc_plotdata_names_sort(&c.allocs, "system");
  int collector = 0;
  for (size_t i = 0; i < r->nruns; i++) collector |= is_collector(&r->runs[i]);
  for (size_t lo = 0, hi; lo < c.ncells; lo = hi) {
    group g = {c.cells[lo].structure, c.cells[lo].workload, lo, lo, 0};
    for (hi = lo; hi < c.ncells && !strcmp(c.cells[hi].structure, g.s) &&
                  !strcmp(c.cells[hi].workload, g.w);
         hi++)
      if (c.cells[hi].run && c.cells[hi].run->ncurve && c.cells[hi].n > g.curve_n)
        g.curve_n = c.cells[hi].n;
    g.hi = hi;
    draw_group(&c, &g);
  }
  draw_bytes_per_elem(&c);
  draw_gbench(&c);
  if (!collector) note(&c, "collector charts: skipped, no run of a collected heap (gc*, boehm)");
  if (c.oom) rc = MC_ENOMEM, snprintf(err, errlen, "out of memory");
  else if (c.failures)
    rc = MC_EIO, snprintf(err, errlen, "%d chart(s) failed; first: %s", c.failures, c.first_failure);
done:
  free(c.cells);
  free(c.scripts);
  free(c.gnuplot);
  mc_plotdata_names_free(&c.allocs);
  return rc;
}

void mc_plot_list_free(mc_plot_list *l) {
  free(l->charts);
  free(l->notes);
  memset(l, 0, sizeof *l);
}

/* ---- the command -------------------------------------------------------------------------- */

static const char usage[] =
    "usage: memcurve plot FILE [--out DIR] [--format png,svg] [--scripts DIR] [--quiet]\n"
    "Draws the charts of the results FILE with gnuplot into DIR (default: plots/ beside FILE),\n"
    "their data and gnuplot logs into DIR/data/.\n"
    "  --out DIR        where the charts go\n"
    "  --format LIST    png, svg or png,svg (default)\n"
    "  --scripts DIR    the gnuplot scripts (default: $MEMCURVE_PLOTS or " MC_PLOTS_DIR ")\n"
    "  --quiet          no line per chart\n"
    "The program is $MEMCURVE_GNUPLOT or gnuplot on PATH (Debian: gnuplot-nox).\n";

static int parse_formats(const char *s, unsigned *out) {
  *out = 0;
  while (*s) {
    size_t len = strcspn(s, ",");
    if (len == 3 && !strncmp(s, "png", 3)) *out |= MC_PLOT_PNG;
    else if (len == 3 && !strncmp(s, "svg", 3)) *out |= MC_PLOT_SVG;
    else return -1;
    s += len + (s[len] == ',');
  }
  return *out ? 0 : -1;
}

/* Value of option name at argv[*i] ("--name VALUE" or "--name=VALUE"), or NULL. */
static const char *opt_value(int argc, char **argv, int *i, const char *name) {
  size_t len = strlen(name);
  if (strncmp(argv[*i], name, len)) return NULL;
  if (argv[*i][len] == '=') return argv[*i] + len + 1;
  if (argv[*i][len] == '\0' && *i + 1 < argc) return argv[++*i];
  return NULL;
}

int mc_plot_main(int argc, char **argv) {
  mc_plot_opts o = {.verbose = 1};
  const char *file = NULL, *v;
  char *defdir = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
      fputs(usage, stdout);
      return 0;
    } else if ((v = opt_value(argc, argv, &i, "--out"))) {
      o.outdir = v;
    } else if ((v = opt_value(argc, argv, &i, "--scripts"))) {
      o.scripts = v;
    } else if ((v = opt_value(argc, argv, &i, "--format"))) {
      if (parse_formats(v, &o.formats) != 0) {
        fprintf(stderr, "memcurve plot: bad --format '%s' (png, svg or png,svg)\n", v);
        return 2;
      }
    } else if (!strcmp(argv[i], "--quiet")) {
      o.verbose = 0;
    } else if (argv[i][0] == '-' || file) {
      fprintf(stderr, "memcurve plot: unexpected argument '%s' (see --help)\n", argv[i]);
      return 2;
    } else {
      file = argv[i];
    }
  }
  if (!file) {
    fprintf(stderr, "memcurve plot: no results FILE given (see --help)\n");
    return 2;
  }
  if (!o.outdir) {
    const char *slash = strrchr(file, '/');
    size_t len = slash ? (size_t)(slash - file) : 1;
    if (!(defdir = malloc(len + 8))) return 1;
    snprintf(defdir, len + 8, "%.*s/plots", (int)len, slash ? file : ".");
    o.outdir = defdir;
  }
  char err[512];
  mc_h5_results r;
  mc_plot_list l;
  int status = 0;
  if (mc_h5_read(file, &r, err, sizeof err) != MC_OK) {
    fprintf(stderr, "memcurve plot: %s: %s\n", file, err);
    free(defdir);
    return 1;
  }
  int rc = mc_plot_draw(&r, &o, &l, err, sizeof err);
  for (size_t i = 0; i < l.nnotes; i++) fprintf(stderr, "memcurve plot: note: %s\n", l.notes[i]);
  if (rc != MC_OK) {
    fprintf(stderr, "memcurve plot: %s: %s\n", file, err);
    status = 1;
  }
  if (l.ncharts) fprintf(stderr, "memcurve plot: %zu chart(s) in %s\n", l.ncharts, o.outdir);
  mc_plot_list_free(&l);
  mc_h5_results_free(&r);
  free(defdir);
  return status;
}
