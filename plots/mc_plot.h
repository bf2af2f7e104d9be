/* mc_plot.h — `memcurve plot`: draws the charts of a results file with gnuplot (PNG through
 * pngcairo, SVG), one plots/<figure>.gp script per kind of chart, data passed through files in
 * <out>/data/. Charts that the file has no runs for are skipped with a note, never an error. */
#ifndef MC_PLOT_H
#define MC_PLOT_H

#include <stddef.h>

#include "mc_result.h"

#ifdef __cplusplus
extern "C" {
#endif

enum { MC_PLOT_PNG = 1u << 0, MC_PLOT_SVG = 1u << 1 };

/* The file in outdir that lists, one name a line, the charts the last drawing there made: the
 * next drawing removes those it no longer makes (their .png, .svg and data/ files), and only
 * those. */
#define MC_PLOT_MANIFEST ".memcurve-charts"

typedef struct mc_plot_opts {
  const char *outdir;  /* charts go here, their data and gnuplot logs in outdir/data/ */
  unsigned formats;    /* MC_PLOT_PNG | MC_PLOT_SVG; 0 means both */
  const char *scripts; /* the .gp scripts; NULL: $MEMCURVE_PLOTS, else the installed ones
                          (<exe>/../share/memcurve/plots), else the source tree's plots/ */
  const char *gnuplot; /* the gnuplot program; NULL: $MEMCURVE_GNUPLOT, else gnuplot on PATH */
  int plan_only;       /* 1: list the charts the file allows, write nothing, run nothing */
  int verbose;         /* 1: a line per chart on stderr */
} mc_plot_opts;

typedef struct mc_plot_chart {
  char kind[24];                  /* curve, overhead, peak_vs_n, throughput, gbench, cost,
                                     tradeoff, bytes_per_elem, gc_pauses, gc_heap, gc_cycles */
  char name[160];                 /* file name in outdir without extension (.png / .svg) */
  char title[256];                /* what the chart shows */
  char structure[MC_RESULT_NAME]; /* "" when the chart spans structures */
  char workload[MC_RESULT_NAME];
  int32_t tput_kind; /* mc_result_tput_kind of the Google Benchmark rows it draws (gbench, cost);
                        MC_RESULT_TPUT_OPS for the charts of runs */
} mc_plot_chart;

typedef struct mc_plot_list {
  mc_plot_chart *charts; /* drawn (or, with plan_only, drawable) charts, in drawing order */
  size_t ncharts;
  size_t cap;
  char (*notes)[256]; /* charts skipped and why, and failures */
  size_t nnotes;
  size_t notecap;
} mc_plot_list;

/* Draws every chart that r allows into o->outdir (created if missing) and lists them in *out
 * (zeroed first; free with mc_plot_list_free even on failure). Returns MC_OK when every chart
 * that was attempted was drawn; MC_EINVAL when gnuplot or the scripts cannot be found, or r
 * holds no run at all; MC_EIO when a file could not be written or gnuplot failed on some
 * chart (the others are still drawn); MC_ENOMEM. err gets a one-line reason. Unless plan_only,
 * the charts an earlier drawing into outdir made and this one does not are removed, and the
 * manifest (MC_PLOT_MANIFEST) then lists this drawing's charts. */
int mc_plot_draw(const mc_results *r, const mc_plot_opts *o, mc_plot_list *out, char *err,
                 size_t errlen);

/* Frees what mc_plot_draw put in l; accepts a zeroed list. */
void mc_plot_list_free(mc_plot_list *l);

#ifdef __cplusplus
}
#endif
#endif /* MC_PLOT_H */
