/* mc_plot_regions.c — the drag chart (drag.gp): for each (structure, workload) with a region
 * discipline (mc_verdict_regions: runs reset once per phase, beside runs that free at last use),
 * held minus requested over the run at the compared N. Reads events and heap facts, never
 * names. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "mc_error.h"
#include "mc_plot_impl.h"
#include "mc_verdict.h"

/* held - requested of cell's curve as one series; the largest value into *peak. */
static void drag_series(ctx *c, chart *ch, const mc_plotdata_cell *cell, double *peak) {
  const mc_result_run *run = cell->run;
  mc__chart_series(ch, cell->allocator, mc__plot_style(c, cell->allocator));
  for (size_t i = 0; i < run->ncurve; i++) {
    const mc_result_point *q = &run->curve[i];
    double d = (double)q->held - (double)q->requested;
    if (d < 0) d = 0; /* a malloc's held read may lag the live count by a sample */
    *peak = fmax(*peak, d);
    ch->nrows++;
    if (ch->data) fprintf(ch->data, "%llu %.0f\n", (unsigned long long)q->ops, d);
  }
}

void mc__plot_drag(ctx *c) {
  mc_verdict_region *g;
  size_t n;
  if (mc_verdict_regions(c->cells, c->ncells, &g, &n) != MC_OK) {
    c->oom = 1;
    return;
  }
  for (size_t k = 0; k < n; k++) {
    chart ch;
    char title[256];
    snprintf(title, sizeof title,
             "%s / %s, N = %llu: drag (held − requested), region resets against frees",
             g[k].structure, g[k].workload, (unsigned long long)g[k].n);
    if (mc__chart_begin(c, &ch, "drag", g[k].structure, g[k].workload, title) != MC_OK) {
      mc__chart_skip(&ch, "cannot write its data");
      continue;
    }
    double peak = 0;
    for (size_t i = 0; i < g[k].nregion; i++) drag_series(c, &ch, g[k].region[i], &peak);
    for (size_t i = 0; i < g[k].nfreeing; i++) drag_series(c, &ch, g[k].freeing[i], &peak);
    double scale;
    const char *unit = mc_plotdata_unit(peak, &scale);
    mc__sb_num(&ch.vars, "mscale", scale);
    mc__sb_str(&ch.vars, "munit", unit);
    mc__chart_end(&ch, "drag");
  }
  free(g);
}
