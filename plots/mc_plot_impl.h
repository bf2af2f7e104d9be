/* mc_plot_impl.h — what mc_plot.c (gnuplot, files, the command) and mc_plot_charts.c (what each
 * chart shows) share: the drawing context, a chart in progress, and the internal functions
 * (mc__ prefix: not part of the library's interface). */
#ifndef MC_PLOT_IMPL_H
#define MC_PLOT_IMPL_H

#include <stdint.h>
#include <stdio.h>

#include "mc_plot.h"
#include "mc_plotdata.h"

/* A growing string: gnuplot's -e program. oom is set, and the text kept, when growing fails. */
typedef struct sbuf {
  char *p;
  size_t n, cap;
  int oom;
} sbuf;

/* A gnuplot child drawing one chart. */
typedef struct mc__plot_job {
  long pid;
  mc_plot_chart info;
  char *out, *out2, *log; /* the files it must write, its log */
} mc__plot_job;

/* The drawing of one results file. */
typedef struct ctx {
  const mc_results *r;
  const mc_plot_opts *o;
  mc_plot_list *list;
  mc_plotdata_cell *cells;
  size_t ncells;
  mc_plotdata_names allocs; /* every allocator, system first: the style order */
  char *scripts;
  char *gnuplot;
  mc__plot_job jobs[8]; /* gnuplot children running, oldest first */
  size_t njobs, maxjobs;
  int failures;
  int oom;
  char first_failure[200];
} ctx;

/* One chart in progress: its data and marks files and its gnuplot variables. */
typedef struct chart {
  ctx *c;
  mc_plot_chart info;
  char *data_path, *marks_path;
  FILE *data, *marks;
  size_t ns, nm;   /* series in data, series in marks */
  size_t nrows;    /* data rows written (a chart without any is skipped) */
  uint64_t xs[12]; /* the distinct N on the x axis, for tics at exactly those values */
  size_t nx;       /* 0: automatic tics; > 12 values also falls back to automatic tics */
  sbuf vars;
} chart;

/* One (structure, workload): its cells and the N whose curves are drawn. */
typedef struct group {
  const char *s, *w;
  size_t lo, hi;    /* its cells: c->cells[lo..hi) */
  uint64_t curve_n; /* the largest N with a curve; 0 when none */
} group;

/* Appends printf output to b. */
void mc__sb_printf(sbuf *b, const char *fmt, ...);
/* Appends name='value'; (gnuplot quoting: ' doubled, control characters made spaces). */
void mc__sb_str(sbuf *b, const char *name, const char *value);
/* Appends name=v; (NaN when v is not finite). */
void mc__sb_num(sbuf *b, const char *name, double v);

/* Adds a note (a chart skipped and why) to the list. */
void mc__plot_note(ctx *c, const char *fmt, ...);
/* The style (1..12) of allocator: its place in the file's allocator list. */
int mc__plot_style(const ctx *c, const char *allocator);

/* Starts chart kind of (structure, workload) ("" for either when it spans them): opens
 * <out>/data/<name>.dat and .marks.dat unless planning. MC_OK, MC_ENOMEM or MC_EIO. */
int mc__chart_begin(ctx *c, chart *ch, const char *kind, const char *structure,
                    const char *workload, const char *title);
/* Starts the next series of the data file (t<i> = label, s<i> = style). */
void mc__chart_series(chart *ch, const char *label, int style);
/* Starts the next block of the marks file (m<i> = style). */
void mc__chart_marks_series(chart *ch, int style);
/* Notes an N on the x axis (few distinct N get one tic each). */
void mc__chart_x(chart *ch, uint64_t n);
/* Releases the chart without drawing it. */
void mc__chart_free(chart *ch);
/* Releases the chart without drawing it, with why as a note. */
void mc__chart_skip(chart *ch, const char *why);
/* Draws the chart with plots/<script>.gp in every format (a gnuplot child; up to maxjobs run
 * at once), then, once it finished, checks the files and lists the chart. */
void mc__chart_end(chart *ch, const char *script);
/* Waits for every gnuplot child still running, checking and listing their charts. */
void mc__plot_wait_all(ctx *c);

/* Whether run is on a collected heap (allocator gc*, boehm, or any collection event). */
int mc__plot_is_collector(const mc_result_run *run);
/* Every chart of one (structure, workload). */
void mc__plot_group(ctx *c, const group *g);
/* Reference counting against tracing, collector on and off: one panel per (structure,
 * workload) that has both models' runs with the collector disabled (facts, not names). */
void mc__plot_refcount_vs_tracing(ctx *c);
/* ndarray against boxed array: bytes per element, per workload. */
void mc__plot_bytes_per_elem(ctx *c);
/* The heap sweep (runs with heap facts): time relative to the explicit allocators, collections
 * and total pause, against the heap multiple (mc_plot_heapsweep.c). */
void mc__plot_heap_sweep(ctx *c);
/* The drag of regions: held - requested over the run, per (structure, workload) with runs reset
 * per phase beside runs freeing at last use (mc_plot_regions.c). */
void mc__plot_drag(ctx *c);
/* Google Benchmark rows: throughput against N, per (structure, workload). */
void mc__plot_gbench(ctx *c);

#endif /* MC_PLOT_IMPL_H */
