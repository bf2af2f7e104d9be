/* mc_plot_heapsweep.c — the heap sweep chart (heap_sweep.gp): for every swept (structure,
 * workload, N) of the file (runs with heap facts: mc_verdict_heap_sweeps), the collector's time
 * relative to each explicit allocator against the heap multiple, and its collections and total
 * pause beside. Reads facts only (heap_min, heap_multiple), never names. */
#include <math.h>
#include <stdio.h>

#include "mc_error.h"
#include "mc_plot_impl.h"
#include "mc_verdict.h"

/* One series: kind (1 time ratio, 2 collections, 3 total pause ns) over the point's multiples. */
static double value(const mc_verdict_hs *p, size_t i, int kind, size_t ref) {
  double y = kind == 1 ? p->vs[i][ref].ratio : kind == 2 ? p->collections[i] : p->pause_ns[i];
  return p->gc[i].c->ok ? y : NAN;
}

/* A series without a single value (a reference that failed: no ratio) is left out: an empty
 * block would shift every later one in gnuplot's index. */
static void series(chart *ch, const mc_verdict_hs *p, const char *label, int style, int kind,
                   size_t ref) {
  size_t any = 0;
  for (size_t i = 0; i < p->ngc; i++) any += isfinite(value(p, i, kind, ref));
  if (!any) return;
  mc__chart_series(ch, label, style);
  mc__sb_printf(&ch->vars, "k%zu=%d;", ch->ns, kind);
  for (size_t i = 0; i < p->ngc; i++) {
    double y = value(p, i, kind, ref);
    if (!isfinite(y)) continue;
    ch->nrows++;
    if (ch->data) fprintf(ch->data, "%g %.9g\n", p->multiple[i], y);
  }
}

void mc__plot_heap_sweep(ctx *c) {
  mc_verdict_hs *h;
  size_t n;
  if (mc_verdict_heap_sweeps(c->r, c->cells, c->ncells, &h, &n) != MC_OK) {
    c->oom = 1;
    return;
  }
  if (!n) return;
  chart ch;
  if (mc__chart_begin(c, &ch, "heap_sweep", "", "",
                      "the heap sweep: a collector's time against its heap, as multiples of the "
                      "minimum heap") != MC_OK) {
    mc_verdict_heap_sweeps_free(h, n);
    return mc__chart_skip(&ch, "cannot write its data");
  }
  int style = 1;
  for (size_t k = 0; k < n; k++) {
    const mc_verdict_hs *p = &h[k];
    char label[3 * MC_RESULT_NAME + 48];
    for (size_t r = 0; r < p->nref; r++, style++) {
      snprintf(label, sizeof label, "%s, N = %llu ÷ %s", p->workload, (unsigned long long)p->n,
               p->ref[r].c->allocator);
      series(&ch, p, label, (style - 1) % 16 + 1, 1, r);
    }
    snprintf(label, sizeof label, "%s, N = %llu", p->workload, (unsigned long long)p->n);
    series(&ch, p, label, (int)k % 16 + 1, 2, 0);
    series(&ch, p, label, (int)k % 16 + 1, 3, 0);
  }
  mc_verdict_heap_sweeps_free(h, n);
  if (!ch.nrows) return mc__chart_skip(&ch, "no finished run of the heap sweep");
  mc__chart_end(&ch, "heap_sweep");
}
