/* plot_fixture.h — a small but complete results file for the plot and report suites: every
 * chart kind has data (memory curves with collections and resets, several N with repetitions,
 * ndarray and boxed array (with the array facts), the cycles workload under gc / gc-off /
 * gc-saveall / rc / rc-off / rc-saveall and its acyclic twin chains under gc / gc-off / rc / rc-off
 * (with the heap facts), Google Benchmark rows), written with the real writer (mc_h5). */
#ifndef MC_PLOT_FIXTURE_H
#define MC_PLOT_FIXTURE_H

#include "mc_h5.h"
#include "mc_plot.h"

enum {
  MC_PLOTFIX_NO_GCOFF = 1 << 0, /* leave out the gc-off runs of cycles and chains */
  MC_PLOTFIX_NO_TPUT = 1 << 1,  /* no /throughput rows */
  MC_PLOTFIX_NO_RUNS = 1 << 2,  /* root attributes and empty tables only */
  MC_PLOTFIX_HOSTILE = 1 << 3,  /* names and attributes full of <, &, ' and " */
  MC_PLOTFIX_REPS5 = 1 << 4,    /* 5 repetitions per run (enough for a verdict), and the
                                   glossary and schedule root attributes */
};

/* Writes the fixture to path (mc_h5_create + add_run + add_tput + close). Returns MC_OK or the
 * writer's error. */
int mc_plotfix_write(const char *path, unsigned flags);

/* Peak footprint (bytes) the fixture gives allocator a at N = n on list/fill, so tests can
 * check computed numbers exactly. */
/* Zeroes *run and names it: structure s, workload w, allocator a, N = n. */
void mc_plotfix_run(mc_result_run *run, const char *s, const char *w, const char *a, uint64_t n);

/* Draws runs[0..n) (a results model holding only them) into mc_test_dir()/name, its path left
 * in out (256 bytes), with formats (0: plan only, nothing drawn); mc_plot_draw's code, the
 * list in *l (mc_plot_list_free it). */
int mc_plotfix_draw_runs(mc_result_run *runs, size_t n, const char *name, unsigned formats,
                         char *out, mc_plot_list *l);

double mc_plotfix_peak(const char *a, unsigned long long n);

#endif /* MC_PLOT_FIXTURE_H */
