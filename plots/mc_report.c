/* mc_report.c — the HTML report and its Markdown summary.
 *
 * Verdicts first: the page opens with links to "How to read", the glossary and the contents,
 * then the summary matrix (one row per structure/workload, one column per allocator: time
 * and peak memory as ratios to the baseline (the allocator of the lowest allocator_order, a fact
 * of the runs: system when it ran; the page says so when it is another), coloured better/worse, "≈"
 * where not significant), the Pareto sets, a few sentences per structure generated from the
 * verdicts, the table of contents and the compact Markdown table; then one collapsible section per
 * structure/workload (its summary line shows when closed) with the full table and the charts. The
 * numbers are mc_verdict groups (medians over finished repetitions at one N; see mc_verdict.c for
 * the rules). Failed runs are marked in every table and never win. The page is static: no script,
 * only relative links to charts that exist. It is written to <path>.tmp and renamed, so a failed
 * write never leaves half a report; every string that came from the file goes through html(). */
#define _POSIX_C_SOURCE 200809L /* rename, stat */
#include "mc_report.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mc_error.h"
#include "mc_plotdata.h"
#include "mc_prov.h"
#include "mc_verdict.h"

/* ---- output helpers --------------------------------------------------------------------- */

static void html(FILE *f, const char *s) {
  for (; *s; s++) {
    switch (*s) {
    case '&': fputs("&amp;", f); break;
    case '<': fputs("&lt;", f); break;
    case '>': fputs("&gt;", f); break;
    case '"': fputs("&quot;", f); break;
    case '\'': fputs("&#39;", f); break;
    default: fputc(*s, f);
    }
  }
}

/* Markdown table cells: '|' would end the cell, newlines the row. */
static void md_cell(FILE *f, const char *s) {
  for (; *s; s++) fputc(*s == '|' ? '/' : (*s == '\n' ? ' ' : *s), f);
}

static void bytes_str(char *buf, size_t n, double b) {
  double scale;
  const char *unit = mc_plotdata_unit(b, &scale);
  if (!isfinite(b))
    snprintf(buf, n, "—");
  else if (scale == 1)
    snprintf(buf, n, "%.0f B", b);
  else
    snprintf(buf, n, "%.3g %s", b / scale, unit);
}

static void time_str(char *buf, size_t n, double ns) {
  if (!isfinite(ns))
    snprintf(buf, n, "—");
  else if (ns >= 1e9)
    snprintf(buf, n, "%.3g s", ns / 1e9);
  else if (ns >= 1e6)
    snprintf(buf, n, "%.3g ms", ns / 1e6);
  else
    snprintf(buf, n, "%.3g µs", ns / 1e3);
}

static int exists(const char *dir, const char *rel, const char *name, const char *ext) {
  char path[4096];
  struct stat st;
  snprintf(path, sizeof path, "%s/%s/%s%s", dir, rel, name, ext);
  return stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
}

/* ---- the page ----------------------------------------------------------------------------- */

static const char css[] =
    "body{font-family:'DejaVu Sans',sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;"
    "color:#222}table{border-collapse:collapse;margin:.5em 0 1em}td,th{border:1px solid #ccc;"
    "padding:.25em .6em;text-align:right}th{background:#f2f2f2}td:first-child,th:first-child{"
    "text-align:left}tr.best td{background:#eef6ee}figure{margin:1em 0}figure img{max-width:100%;"
    "border:1px solid #ddd}figcaption{font-size:.9em;color:#555}code{background:#f4f4f4}"
    ".note{color:#8a5a00}.b{color:#1a7f37;font-weight:bold}.w{color:#b42318;font-weight:bold}"
    ".s{color:#667}td.fail,tr.fail td{background:#fde8e8;color:#b42318}td.na{color:#999}"
    "table.matrix td{text-align:center;font-size:.9em;white-space:nowrap}"
    "table.matrix td:first-child{text-align:left}"
    "details{border:1px solid #ddd;border-radius:4px;margin:.5em 0;padding:.3em .8em}"
    "details>summary{cursor:pointer}details[open]>summary{margin-bottom:.5em}"
    "nav.top{background:#f6f8fa;padding:.5em 1em;border:1px solid #ddd}pre{background:#f6f8fa;"
    "padding:.5em;overflow-x:auto}dt{font-weight:bold;margin-top:.3em}.small{font-size:.85em;"
    "color:#555}";

typedef struct page {
  FILE *f, *md;
  const char *dir, *rel;
  const mc_results *r;
  const mc_plot_list *charts;
  mc_plotdata_cell *cells;
  size_t ncells;
  mc_verdict_group *g;
  size_t ng;
  mc_plotdata_names allocs;  /* the matrix's columns, by allocator order: the baseline first */
  char base[MC_RESULT_NAME]; /* the baseline's name (mc_plotdata_base_order); "" when none */
  int32_t base_order;        /* its allocator_order; -1 when none */
  int *used;                 /* charts[i] already placed */
} page;

static void meta_row(FILE *f, const char *k, const char *v) {
  fprintf(f, "<tr><th>%s</th><td style='text-align:left'>", k);
  html(f, *v ? v : "—");
  fputs("</td></tr>\n", f);
}

/* The hosts the runs came from (per-run provenance); with more than one, what that changes. */
static void write_hosts(FILE *f, const mc_results *r) {
  char hosts[1024];
  size_t nh = mc_prov_hosts(r, hosts, sizeof hosts);
  fprintf(f, "<p>Runs measured on %zu host%s: ", nh, nh == 1 ? "" : "s");
  html(f, hosts);
  fputs(nh > 1 ? ". Timings of different hosts are never ranked against each other: a "
                 "structure/workload whose runs came from more than one host shows its memory "
                 "verdicts only (no time ratio, fastest set or Pareto set); memory is "
                 "host-independent for the same build.</p>\n"
               : ".</p>\n",
        f);
}

static void write_meta(page *p, const mc_results *r, const char *source) {
  const mc_result_meta *m = &r->meta;
  char schema[16];
  snprintf(schema, sizeof schema, "%d", (int)m->schema_version);
  fputs("<h2 id='machine'>Machine and configuration</h2>\n<table>\n", p->f);
  meta_row(p->f, "results file", source);
  meta_row(p->f, "created (UTC)", m->created_utc);
  meta_row(p->f, "host", m->host);
  meta_row(p->f, "CPU", m->cpu);
  meta_row(p->f, "compiler", m->compiler);
  meta_row(p->f, "flags", m->cflags);
  meta_row(p->f, "libraries", m->library_versions);
  meta_row(p->f, "command line", m->command_line);
  meta_row(p->f, "schema version", schema);
  meta_row(p->f, "timing schedule", m->schedule);
  fprintf(p->f, "</table>\n<p>%zu runs, %zu summary rows, %zu Google Benchmark rows.</p>\n",
          r->nruns, r->nsummary, r->ntput);
  write_hosts(p->f, r);
}

static void write_chart(page *p, size_t i) {
  const mc_plot_chart *c = &p->charts->charts[i];
  p->used[i] = 1;
  if (!exists(p->dir, p->rel, c->name, ".png")) return; /* only files that exist */
  int svg = exists(p->dir, p->rel, c->name, ".svg");
  fputs("<figure>", p->f);
  if (svg) {
    fputs("<a href='", p->f);
    html(p->f, p->rel);
    fputc('/', p->f);
    html(p->f, c->name);
    fputs(".svg'>", p->f);
  }
  fputs("<img src='", p->f); /* eager: a closed <details> still loads (and checks) it */
  html(p->f, p->rel);
  fputc('/', p->f);
  html(p->f, c->name);
  fputs(".png' alt='", p->f);
  html(p->f, c->title);
  fputs("'>", p->f);
  if (svg) fputs("</a>", p->f);
  fputs("<figcaption>", p->f);
  html(p->f, c->title);
  fputs(svg ? " (click for SVG)</figcaption></figure>\n" : "</figcaption></figure>\n", p->f);
}

/* The anchor of group i: an index (unique) and the names reduced to [a-z0-9-]. */
static void anchor(char *buf, size_t n, const page *p, size_t i) {
  size_t k = (size_t)snprintf(buf, n, "g%zu-", i);
  const char *parts[] = {p->g[i].structure, "-", p->g[i].workload};
  for (size_t j = 0; j < 3; j++)
    for (const char *c = parts[j]; *c && k + 1 < n; c++)
      buf[k++] = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ? *c
                 : (*c >= 'A' && *c <= 'Z')                           ? (char)(*c - 'A' + 'a')
                                                                      : '-';
  buf[k < n ? k : n - 1] = '\0';
}

static void group_name(FILE *f, const mc_verdict_group *g) {
  html(f, g->structure);
  fputs(" / ", f);
  html(f, g->workload);
}

/* "a, b ≈ c": the members of a best set (which 0: fastest, 1: leanest), escaped for HTML, or
 * plain for Markdown (md 1). */
static void best_list(FILE *f, const mc_verdict_group *g, int which, int md) {
  size_t k = 0;
  for (size_t i = 0; i < g->nv; i++) {
    const mc_verdict_cell *v = &g->v[i];
    if (!(which ? v->leanest : v->fastest)) continue;
    if (k++) fputs(" ≈ ", f);
    if (md)
      md_cell(f, v->c->allocator);
    else
      html(f, v->c->allocator);
  }
  if (!k) fputs(which == 0 && g->mixed_hosts ? "— (hosts differ: time not ranked)" : "—", f);
}

static int partial_fail(const mc_verdict_cell *v) { return v->c->ok && v->nwalls < v->reps_total; }

/* ---- the summary matrix --------------------------------------------------------------- */

static void matrix_cell(page *p, const mc_verdict_group *g, const mc_verdict_cell *v) {
  FILE *f = p->f;
  if (!v) {
    fputs("<td class='na'></td>", f);
    return;
  }
  if (!v->c->ok) {
    fputs("<td class='fail' title='", f);
    html(f, v->c->run ? v->c->run->status : "did not finish");
    fputs("'>failed</td>", f);
    return;
  }
  char tip[256];
  snprintf(tip, sizeof tip, "time %.3f× [%.3f, %.3f], p %.4f; peak %.3f×; %zu of %zu repetitions",
           v->t.ratio, v->t.lo, v->t.hi, v->t.p, v->mem_ratio, v->nwalls, v->reps_total);
  fprintf(f, "<td title='%s'>", tip);
  if (g->has_base && v == &g->v[0]) {
    fputs("<span class='s'>baseline</span>", f);
  } else if (!isfinite(v->t.ratio)) {
    fputs("<span class='s'>time —</span>", f);
  } else {
    fprintf(f, "<span class='%s'>%s%.2f×</span>",
            v->t.verdict < 0   ? "b"
            : v->t.verdict > 0 ? "w"
                               : "s",
            v->t.verdict ? "" : "≈ ", v->t.ratio);
  }
  if (!(g->has_base && v == &g->v[0])) {
    if (v->mem_cmp == 2)
      fputs(" / <span class='s'>mem —</span>", f);
    else
      fprintf(f, " / <span class='%s'>%s%.2f×</span>",
              v->mem_cmp < 0   ? "b"
              : v->mem_cmp > 0 ? "w"
                               : "s",
              v->mem_cmp ? "" : "≈ ", v->mem_ratio);
  }
  if (partial_fail(v))
    fputs(" <span class='w' title='some repetitions did not finish'>⚠</span>", f);
  fputs("</td>", f);
}

/* What the ratios divide by, when it is not system (allocator order 0): one sentence. */
static void write_base_note(page *p) {
  if (!p->ng) return; /* no verdict, no ratio */
  if (p->base_order < 0) {
    fputs("<p class='w'>No run says where its allocator stands in the allocator table "
          "(allocator_order): no baseline, no ratios.</p>\n",
          p->f);
  } else if (p->base_order > 0) {
    fputs("<p class='w'>No allocator of order 0 (system, the allocator table's first row) ran: "
          "every ratio on this page is to <b>",
          p->f);
    html(p->f, p->base);
    fprintf(p->f, "</b>, the allocator of the lowest order present (%d).</p>\n",
            (int)p->base_order);
  }
}

static void write_matrix(page *p) {
  FILE *f = p->f;
  fputs("<h2 id='summary'>Summary: time and peak memory against ", f);
  html(f, *p->base ? p->base : "the baseline");
  fputs("</h2>\n", f);
  write_base_note(p);
  fputs("<p>Each cell: time ÷ baseline / peak memory ÷ baseline at the N named in the row (below 1 "
        "is "
        "better). <span class='b'>Green</span>: significantly better, <span class='w'>red</span>: "
        "worse, <span class='s'>≈ grey</span>: no significant difference (time: Mann–Whitney "
        "p &lt; 0.05 and a bootstrap 95 % interval without 1; memory: beyond 1 % or 4 KiB). "
        "Hover a cell for its interval; <a href='#how'>how to read this page</a>.</p>\n"
        "<div style='overflow-x:auto'><table class='matrix'>\n<tr><th>structure / workload</th>"
        "<th>N</th>",
        f);
  for (size_t a = 0; a < p->allocs.n; a++) {
    fputs("<th>", f);
    html(f, p->allocs.v[a]);
    fputs("</th>", f);
  }
  fputs("</tr>\n", f);
  for (size_t i = 0; i < p->ng; i++) {
    const mc_verdict_group *g = &p->g[i];
    char id[160];
    anchor(id, sizeof id, p, i);
    fprintf(f, "<tr><td><a href='#%s'>", id);
    group_name(f, g);
    fprintf(f, "</a></td><td>%llu</td>", (unsigned long long)g->n);
    for (size_t a = 0; a < p->allocs.n; a++) {
      const mc_verdict_cell *v = NULL;
      for (size_t j = 0; j < g->nv && !v; j++)
        if (!strcmp(g->v[j].c->allocator, p->allocs.v[a])) v = &g->v[j];
      matrix_cell(p, g, v);
    }
    fputs("</tr>\n", f);
  }
  fputs("</table></div>\n", f);
}

/* ---- Pareto sets and findings --------------------------------------------------------- */

static void write_pareto(page *p) {
  FILE *f = p->f;
  fputs("<h2 id='pareto'>Pareto sets</h2>\n<p>Per structure/workload, the allocators that no "
        "other beats on both median time and peak memory (failed runs excluded).</p>\n<table>\n"
        "<tr><th>structure / workload</th><th>N</th><th>Pareto set (time, peak)</th>"
        "<th>failed</th></tr>\n",
        f);
  for (size_t i = 0; i < p->ng; i++) {
    const mc_verdict_group *g = &p->g[i];
    fputs("<tr><td>", f);
    group_name(f, g);
    fprintf(f, "</td><td>%llu</td><td style='text-align:left'>", (unsigned long long)g->n);
    size_t k = 0, nf = 0;
    for (size_t j = 0; j < g->nv; j++) {
      const mc_verdict_cell *v = &g->v[j];
      if (!v->pareto) continue;
      char t[32], m[32];
      time_str(t, sizeof t, v->c->wall_ns);
      bytes_str(m, sizeof m, v->mem);
      if (k++) fputs(", ", f);
      fputs("<b>", f);
      html(f, v->c->allocator);
      fprintf(f, "</b> (%s, %s)", t, m);
    }
    if (!k) fputs("—", f);
    fputs("</td><td>", f);
    for (size_t j = 0; j < g->nv; j++)
      if (!g->v[j].c->ok) {
        if (nf++) fputs(", ", f);
        html(f, g->v[j].c->allocator);
      }
    fprintf(f, "%s</td></tr>\n", nf ? "" : "—");
  }
  fputs("</table>\n", f);
}

/* 1 when allocator name is the baseline (its cells' order is the baseline's). */
static int order_is_base(const page *p, const char *name) {
  for (size_t i = 0; i < p->ncells; i++)
    if (!strcmp(p->cells[i].allocator, name))
      return p->base_order >= 0 && p->cells[i].order == p->base_order;
  return 0;
}

/* Sentences for the structure of groups [lo, hi): per allocator that is the sole fastest
 * somewhere, where and by how much, at what memory cost; the ties; the leanest. */
static void write_structure_findings(page *p, size_t lo, size_t hi) {
  FILE *f = p->f;
  fputs("<p><b>", f);
  html(f, p->g[lo].structure);
  fputs("</b>: ", f);
  size_t ties = 0, sentences = 0;
  for (size_t a = 0; a < p->allocs.n; a++) {
    const char *name = p->allocs.v[a];
    size_t wins = 0;
    double tlo = INFINITY, thi = 0, mlo = INFINITY, mhi = 0;
    for (size_t i = lo; i < hi; i++) {
      const mc_verdict_group *g = &p->g[i];
      for (size_t j = 0; j < g->nv; j++) {
        const mc_verdict_cell *v = &g->v[j];
        if (g->nfastest != 1 || !v->fastest || strcmp(v->c->allocator, name)) continue;
        if (!wins++) {
          fputs(sentences++ ? " " : "", f);
          html(f, name);
          fputs(" is the fastest in ", f);
        } else {
          fputs(", ", f);
        }
        html(f, g->workload);
        if (isfinite(v->t.ratio) && !(g->has_base && j == 0)) {
          tlo = fmin(tlo, v->t.ratio), thi = fmax(thi, v->t.ratio);
          fprintf(f, " (%.2f× ", v->t.ratio);
          html(f, p->base);
          fputs("'s time)", f);
        }
        if (isfinite(v->mem_ratio)) mlo = fmin(mlo, v->mem_ratio), mhi = fmax(mhi, v->mem_ratio);
      }
    }
    if (!wins) continue;
    if (isfinite(mlo) && order_is_base(p, name))
      fputs(".", f);
    else if (isfinite(mlo) && mhi - mlo < 0.005)
      fprintf(f, ", at %.2f× ", mlo);
    else if (isfinite(mlo))
      fprintf(f, ", at %.2f–%.2f× ", mlo, mhi);
    else
      fputs(".", f);
    if (isfinite(mlo) && !order_is_base(p, name)) {
      html(f, p->base);
      fputs("'s peak memory.", f);
    }
  }
  for (size_t i = lo; i < hi; i++) ties += p->g[i].nfastest > 1;
  if (ties) {
    fputs(sentences++ ? " " : "", f);
    fprintf(f, "No single allocator is significantly fastest in %zu workload%s (", ties,
            ties > 1 ? "s" : "");
    for (size_t i = lo, k = 0; i < hi; i++)
      if (p->g[i].nfastest > 1) {
        fputs(k++ ? "; " : "", f);
        html(f, p->g[i].workload);
        fputs(": ", f);
        best_list(f, &p->g[i], 0, 0);
      }
    fputs(").", f);
  }
  fputs(" Leanest: ", f);
  for (size_t i = lo; i < hi; i++) {
    const mc_verdict_group *g = &p->g[i];
    fputs(i > lo ? "; " : "", f);
    html(f, g->workload);
    fputs(" ", f);
    best_list(f, g, 1, 0);
    const mc_verdict_cell *l = NULL;
    for (size_t j = 0; j < g->nv && !l; j++)
      if (g->v[j].leanest) l = &g->v[j];
    if (l && isfinite(l->mem_ratio) && l->mem_cmp != 0) fprintf(f, " (%.2f×)", l->mem_ratio);
  }
  fputs(".", f);
  size_t failed = 0;
  for (size_t i = lo; i < hi; i++)
    for (size_t j = 0; j < p->g[i].nv; j++) failed += !p->g[i].v[j].c->ok;
  if (failed)
    fprintf(f, " <span class='w'>%zu run%s failed</span> (marked in the tables).", failed,
            failed > 1 ? "s" : "");
  fputs("</p>\n", f);
}

static void write_findings(page *p) {
  fputs("<h2 id='findings'>Findings</h2>\n<p class='small'>Generated from the verdicts above: "
        "a fastest allocator is named only where it is significantly faster than every other; "
        "ratios are to ",
        p->f);
  html(p->f, *p->base ? p->base : "the baseline (none here)");
  fputs(".</p>\n", p->f);
  for (size_t lo = 0, hi; lo < p->ng; lo = hi) {
    for (hi = lo; hi < p->ng && !strcmp(p->g[hi].structure, p->g[lo].structure); hi++) {
    }
    write_structure_findings(p, lo, hi);
  }
}

/* ---- the collector's space-time trade-off: heap sweep and regions ---------------------------- */

/* Draws the charts of kind `kind` not placed yet. */
static void charts_of_kind(page *p, const char *kind) {
  for (size_t i = 0; i < p->charts->ncharts; i++)
    if (!p->used[i] && !strcmp(p->charts->charts[i].kind, kind)) write_chart(p, i);
}

static void write_hs_point(page *p, const mc_verdict_hs *h) {
  FILE *f = p->f;
  char mb[32], t[32];
  bytes_str(mb, sizeof mb, (double)h->heap_min);
  fputs("<h3>", f);
  html(f, h->structure);
  fputs(" / ", f);
  html(f, h->workload);
  fprintf(f, ", N = %llu: minimum heap %s</h3>\n<table><tr><th>heap ÷ minimum</th><th>time</th>",
          (unsigned long long)h->n, mb);
  for (size_t k = 0; k < h->nref; k++) {
    fputs("<th>÷ ", f);
    html(f, h->ref[k].c->allocator);
    fputs("</th>", f);
  }
  fputs("<th>collections</th><th>total pause</th></tr>\n", f);
  for (size_t i = 0; i < h->ngc; i++) {
    time_str(t, sizeof t, h->gc[i].c->wall_ns);
    fprintf(f, "<tr><td>%g×</td><td>%s</td>", h->multiple[i], h->gc[i].c->ok ? t : "failed");
    for (size_t k = 0; k < h->nref; k++) {
      const mc_stats_cmp *c = &h->vs[i][k];
      if (isfinite(c->ratio))
        fprintf(f, "<td>%s%.2f</td>", c->verdict == 0 ? "≈ " : "", c->ratio);
      else
        fputs("<td>—</td>", f);
    }
    time_str(t, sizeof t, h->pause_ns[i]);
    fprintf(f, "<td>%.0f</td><td>%s</td></tr>\n", h->collections[i], t);
  }
  fputs("</table>\n<ul>", f);
  for (size_t k = 0; k < h->nref; k++) {
    fputs("<li><code>gc</code> matches ", f);
    html(f, h->ref[k].c->allocator);
    if (!h->ref[k].nwalls)
      fputs(": not compared (no finished run of it)</li>\n", f);
    else if (isnan(h->match[k]))
      fputs(": at no multiple swept (significantly slower even at the largest)</li>\n", f);
    else
      fprintf(f,
              " from %g× the minimum heap up (not significantly slower there and at every "
              "larger multiple)</li>\n",
              h->match[k]);
  }
  fputs("</ul>\n", f);
}

/* The Hertz-Berger heap sweep: its chart, per point a table and the multiple at which gc
 * matches each explicit allocator. */
static void write_heap_sweeps(page *p) {
  mc_verdict_hs *h;
  size_t n;
  if (mc_verdict_heap_sweeps(p->r, p->cells, p->ncells, &h, &n) != MC_OK || !n) return;
  fputs("<h2 id='heap-sweep'>The heap sweep: a collector's time against its heap</h2>\n<p>The "
        "tracing collector <code>gc</code> with its heap limited to multiples of the smallest heap "
        "in which the workload completes (found by bisection over child runs), against explicit "
        "memory management of the same workload in the same run. Ratios are of medians "
        "(“≈”: not significant). Hertz &amp; Berger (OOPSLA 2005) found a generational collector "
        "matched explicit management at 5× the minimum heap, was 17 % slower at 3× and about "
        "70 % slower at 2×.</p>\n",
        p->f);
  charts_of_kind(p, "heap_sweep");
  for (size_t i = 0; i < n; i++) write_hs_point(p, &h[i]);
  mc_verdict_heap_sweeps_free(h, n);
}

/* Regions against immediate free: each region run's peak over each freeing run's. */
static void write_regions(page *p) {
  mc_verdict_region *g;
  size_t n;
  if (mc_verdict_regions(p->cells, p->ncells, &g, &n) != MC_OK || !n) return;
  FILE *f = p->f;
  fputs("<h2 id='regions'>Regions against immediate free</h2>\n<p>Peak memory held when a "
        "phase's objects are kept in a region reset at the phase's end, over the same program "
        "freeing each object at its last use. Berger, Zorn &amp; McKinley (OOPSLA 2002, table 4) "
        "measured +6 % to +63 % (lcc +63 %, gcc +18 %). The drag chart shows held − requested "
        "over the run.</p>\n",
        f);
  for (size_t k = 0; k < n; k++) {
    char b1[32], b2[32], live[32];
    bytes_str(live, sizeof live, g[k].live);
    fputs("<h3>", f);
    html(f, g[k].structure);
    fputs(" / ", f);
    html(f, g[k].workload);
    fprintf(f,
            ", N = %llu (peak live %s)</h3>\n<table><tr><th>region</th><th>peak</th>"
            "<th>freeing</th><th>peak</th><th>increase</th></tr>\n",
            (unsigned long long)g[k].n, live);
    for (size_t i = 0; i < g[k].nregion; i++)
      for (size_t j = 0; j < g[k].nfreeing; j++) {
        bytes_str(b1, sizeof b1, mc_verdict_mem(g[k].region[i]));
        bytes_str(b2, sizeof b2, mc_verdict_mem(g[k].freeing[j]));
        fputs("<tr><td>", f);
        html(f, g[k].region[i]->allocator);
        fprintf(f, "</td><td>%s</td><td>", b1);
        html(f, g[k].freeing[j]->allocator);
        fprintf(f, "</td><td>%s</td><td>%+.0f %%</td></tr>\n", b2, g[k].increase[i][j] * 100);
      }
    fputs("</table>\n", f);
  }
  charts_of_kind(p, "drag");
  free(g);
}

/* ---- the compact table (Markdown, also on stdout) -------------------------------------- */

static void write_md_table(FILE *f, const page *p) {
  fputs("| structure / workload | N | fastest | leanest | failed |\n|---|---|---|---|---|\n", f);
  for (size_t i = 0; i < p->ng; i++) {
    const mc_verdict_group *g = &p->g[i];
    const mc_verdict_cell *fa = NULL, *le = NULL;
    for (size_t j = 0; j < g->nv; j++) {
      if (g->v[j].fastest && (!fa || g->v[j].c->wall_ns < fa->c->wall_ns)) fa = &g->v[j];
      if (g->v[j].leanest && (!le || g->v[j].mem < le->mem)) le = &g->v[j];
    }
    char t[32], m[32];
    time_str(t, sizeof t, fa ? fa->c->wall_ns : NAN);
    bytes_str(m, sizeof m, le ? le->mem : NAN);
    fputs("| ", f);
    md_cell(f, g->structure);
    fputs(" / ", f);
    md_cell(f, g->workload);
    fprintf(f, " | %llu | ", (unsigned long long)g->n);
    best_list(f, g, 0, 1);
    fprintf(f, " (%s) | ", t);
    best_list(f, g, 1, 1);
    fprintf(f, " (%s) | ", m);
    size_t nf = 0;
    for (size_t j = 0; j < g->nv; j++)
      if (!g->v[j].c->ok) {
        fputs(nf++ ? ", " : "", f);
        md_cell(f, g->v[j].c->allocator);
      }
    fputs(nf ? " |\n" : "— |\n", f);
  }
}

static void write_compact(page *p) {
  char *buf = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&buf, &len);
  if (m) {
    write_md_table(m, p);
    fclose(m);
  }
  fputs("<h2 id='compact'>Compact table</h2>\n<p class='small'>What <code>memcurve report</code> "
        "prints on the terminal: per structure/workload the fastest and the leanest set "
        "(“a ≈ b”: no significant difference between them).</p>\n<pre>",
        p->f);
  if (buf) html(p->f, buf);
  fputs("</pre>\n", p->f);
  if (p->md && buf) fputs(buf, p->md);
  free(buf);
}

/* ---- one section per structure/workload ----------------------------------------------- */

static void group_row(page *p, const mc_verdict_group *g, const mc_verdict_cell *v) {
  FILE *f = p->f;
  const mc_plotdata_cell *c = v->c;
  int base = g->has_base && v == &g->v[0];
  char t[32], tr[96], pk[32], pr[48], rss[32], apo[32];
  time_str(t, sizeof t, c->wall_ns);
  bytes_str(pk, sizeof pk, v->mem);
  bytes_str(rss, sizeof rss, c->peak_rss);
  if (base)
    snprintf(tr, sizeof tr, "1 (baseline)"), snprintf(pr, sizeof pr, "1 (baseline)");
  else {
    if (!isfinite(v->t.ratio))
      snprintf(tr, sizeof tr, "—");
    else if (isfinite(v->t.lo))
      snprintf(tr, sizeof tr, "%.2f× [%.2f, %.2f]", v->t.ratio, v->t.lo, v->t.hi);
    else
      snprintf(tr, sizeof tr, "%.2f× (no interval)", v->t.ratio);
    if (v->mem_cmp == 2)
      snprintf(pr, sizeof pr, "—");
    else
      snprintf(pr, sizeof pr, "%s%.2f×", v->mem_cmp ? "" : "≈ ", v->mem_ratio);
  }
  if (isfinite(c->allocs_per_op))
    snprintf(apo, sizeof apo, "%.3g", c->allocs_per_op);
  else
    snprintf(apo, sizeof apo, "—");
  const char *verdict = !c->ok                 ? "failed"
                        : base                 ? "—"
                        : v->t.verdict < 0     ? "faster"
                        : v->t.verdict > 0     ? "slower"
                        : isfinite(v->t.ratio) ? "≈ (not significant)"
                                               : "—";
  fprintf(f, "<tr%s><td>",
          !c->ok                     ? " class='fail'"
          : v->fastest || v->leanest ? " class='best'"
                                     : "");
  html(f, c->allocator);
  fprintf(f,
          "%s%s%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
          "<td>%s</td><td>%zu of %zu</td><td>",
          v->fastest ? " (fastest)" : "", v->leanest ? " (leanest)" : "", v->pareto ? " ◆" : "", t,
          tr, verdict, pk, pr, rss, apo, v->nwalls, v->reps_total);
  if (!c->ok || partial_fail(v)) {
    for (size_t i = 0, k = 0; i < p->r->nsummary && k < 3; i++) {
      const mc_result_summary *s = &p->r->summary[i];
      if (s->ok || s->n != c->n || strcmp(s->structure, c->structure) ||
          strcmp(s->workload, c->workload) || strcmp(s->allocator, c->allocator))
        continue;
      fputs(k++ ? "; " : "failed: ", f);
      html(f, s->status);
    }
    if (!c->ok && c->run && !c->run->ok && !v->reps_total) html(f, c->run->status);
  } else {
    fputs("ok", f);
  }
  fputs("</td></tr>\n", f);
}

static void write_group(page *p, size_t gi) {
  const mc_verdict_group *g = &p->g[gi];
  FILE *f = p->f;
  char id[160];
  anchor(id, sizeof id, p, gi);
  fprintf(f, "<details id='%s'><summary><b>", id);
  group_name(f, g);
  fprintf(f, "</b> — N = %llu: fastest ", (unsigned long long)g->n);
  best_list(f, g, 0, 0);
  fputs(", leanest ", f);
  best_list(f, g, 1, 0);
  size_t nf = 0;
  for (size_t j = 0; j < g->nv; j++) nf += !g->v[j].c->ok;
  if (nf) fprintf(f, " <span class='w'>(%zu failed)</span>", nf);
  fputs("</summary>\n<p class='small'>Ratios are to ", f);
  html(f, *p->base ? p->base : "the baseline (none here)");
  fputs(" (below 1 is better), with the bootstrap 95 % interval of the time ratio; ◆ marks the "
        "Pareto set.</p>\n<table>\n<tr><th>allocator</th><th>time (median)</th><th>time ÷ ",
        f);
  html(f, *p->base ? p->base : "baseline");
  fputs(" [95 %]</th><th>verdict</th><th>peak memory</th><th>peak ÷ ", f);
  html(f, *p->base ? p->base : "baseline");
  fputs("</th><th>peak RSS</th><th>allocs/op</th><th>repetitions</th><th>status</th></tr>\n", f);
  for (size_t j = 0; j < g->nv; j++) group_row(p, g, &g->v[j]);
  fputs("</table>\n", f);
  for (size_t i = 0; i < p->charts->ncharts; i++) {
    const mc_plot_chart *c = &p->charts->charts[i];
    if (!p->used[i] && !strcmp(c->structure, g->structure) && !strcmp(c->workload, g->workload))
      write_chart(p, i);
  }
  fputs("</details>\n", f);
}

static void write_failures(page *p, const mc_results *r) {
  size_t k = 0;
  for (size_t i = 0; i < r->nsummary; i++) {
    const mc_result_summary *s = &r->summary[i];
    if (s->ok) continue;
    if (!k++)
      fputs("<h2 id='failures'>Runs that did not finish</h2>\n<table>\n<tr><th>structure / "
            "workload / "
            "allocator</th><th>N</th><th>repetition</th><th>status</th></tr>\n",
            p->f);
    fputs("<tr><td>", p->f);
    html(p->f, s->structure);
    fputs(" / ", p->f);
    html(p->f, s->workload);
    fputs(" / ", p->f);
    html(p->f, s->allocator);
    fprintf(p->f, "</td><td>%llu</td><td>%u</td><td>", (unsigned long long)s->n, (unsigned)s->rep);
    html(p->f, s->status);
    fputs("</td></tr>\n", p->f);
  }
  if (k) fputs("</table>\n", p->f);
  if (k && p->md) fprintf(p->md, "\n%zu repetition(s) did not finish (see the report).\n", k);
}

/* The glossary the run wrote into the file (from the harness's tables): "kind\tname\ttext" lines.
 */
static void write_glossary(page *p) {
  FILE *f = p->f;
  const char *gl = p->r->meta.glossary;
  fputs("<h2 id='glossary'>Glossary of structures and workloads</h2>\n", f);
  if (!*gl) {
    fputs("<p>This results file carries no glossary (written by an older memcurve).</p>\n", f);
    return;
  }
  static const char *const kinds[] = {"structure", "workload"};
  for (size_t k = 0; k < 2; k++) {
    fprintf(f, "<h3>%ss</h3>\n<dl>\n", kinds[k]);
    for (const char *l = gl; *l;) {
      const char *end = strchr(l, '\n'), *t1 = strchr(l, '\t');
      if (!end) end = l + strlen(l);
      const char *t2 = t1 && t1 < end ? memchr(t1 + 1, '\t', (size_t)(end - t1 - 1)) : NULL;
      if (t2 && (size_t)(t1 - l) == strlen(kinds[k]) && !strncmp(l, kinds[k], (size_t)(t1 - l))) {
        char name[MC_RESULT_NAME], text[1024];
        snprintf(name, sizeof name, "%.*s", (int)(t2 - t1 - 1), t1 + 1);
        snprintf(text, sizeof text, "%.*s", (int)(end - t2 - 1), t2 + 1);
        fputs("<dt>", f);
        html(f, name);
        fputs("</dt><dd>", f);
        html(f, text);
        fputs("</dd>\n", f);
      }
      l = *end ? end + 1 : end;
    }
    fputs("</dl>\n", f);
  }
}

static const char how_to_read[] =
    "<h2 id='how'>How to read this page</h2>\n"
    "<p><b>Verdicts.</b> Every ratio divides an allocator's median by the baseline's: the system "
    "allocator's, or, in a file where system did not run, the allocator's with the lowest "
    "allocator order (the page names it) at the same structure, workload and N (below 1 is "
    "better). A time difference counts only "
    "when a two-sided Mann–Whitney U test gives p &lt; 0.05 <i>and</i> the bootstrap 95 % "
    "interval of the ratio of medians (2000 resamples, seeded) excludes 1; otherwise the cell "
    "reads “≈”. With fewer than 4 finished repetitions a side, nothing can be significant. Peak "
    "memory figures within 1 % or 4 KiB of each other are equal (“≈”), never ranked by a few "
    "bytes. Green: better than the baseline; red: worse; grey: no significant difference. A run "
    "that "
    "did not finish is marked failed and never wins. The fastest set is the allocator with the "
    "lowest median and every one not significantly slower; the leanest set the lowest peak and "
    "every one within the tolerance. The Pareto set: allocators no other beats on both median "
    "time and peak memory.</p>\n"
    "<h3>The charts</h3>\n<ul>\n"
    "<li><b>curve</b>: memory against operations; solid = footprint (bytes the allocator holds), "
    "dotted = requested (bytes the structure asked for); the gap is overhead. Triangles mark "
    "collections, circles resets.</li>\n"
    "<li><b>overhead</b>: footprint ÷ requested over the run; 1 means no overhead.</li>\n"
    "<li><b>peak_vs_n</b>: peak footprint against N, log-log; k is the fitted exponent "
    "(1 = linear growth, below 1 = a fixed cost still dominates).</li>\n"
    "<li><b>throughput</b>, <b>gbench</b>: operations (items) per second against N; line = "
    "median, band = min–max over repetitions.</li>\n"
    "<li><b>cost</b>: Google Benchmark rows with no N to plot against (alloc/pair16: one alloc "
    "and its free): ns per item, one bar per allocator, fastest at the top; bar = median, "
    "whisker = min–max over repetitions.</li>\n"
    "<li><b>tradeoff</b>: time against peak memory; lower left is better; the dashed line "
    "joins the Pareto front (no allocator beats those on both).</li>\n"
    "<li><b>bytes_per_elem</b>: what one element really costs, ndarray against boxed array.</li>\n"
    "<li><b>gc_pauses</b>, <b>gc_heap</b>, <b>gc_cycles</b>: the collector's pauses, its heap "
    "over time, and cyclic garbage with collection on, off and SAVEALL.</li>\n"
    "<li><b>refcount_vs_tracing</b>: live bytes under reference counting and tracing, collector "
    "on and off, one panel per workload (cycles, and chains, their acyclic twin): counting frees "
    "acyclic garbage at once, tracing waits for a collection.</li>\n"
    "<li><b>heap_sweep</b>: the collector's time relative to explicit allocators against its "
    "heap limit as a multiple of the minimum heap, with the Hertz–Berger points; collections and "
    "total pause beside.</li>\n"
    "<li><b>drag</b>: held − requested over the run, regions reset per phase against free at "
    "last use.</li>\n</ul>\n";

static void write_toc(page *p, int costs, int others, int failures) {
  FILE *f = p->f;
  fputs(
      "<nav id='contents'><h2>Contents</h2>\n<ol>\n<li><a href='#summary'>Summary matrix</a></li>\n"
      "<li><a href='#pareto'>Pareto sets</a></li>\n<li><a href='#findings'>Findings</a></li>\n"
      "<li><a href='#compact'>Compact table</a></li>\n"
      "<li><a href='#groups'>Structures and workloads</a><ol>\n",
      f);
  for (size_t i = 0; i < p->ng; i++) {
    char id[160];
    anchor(id, sizeof id, p, i);
    fprintf(f, "<li><a href='#%s'>", id);
    group_name(f, &p->g[i]);
    fputs("</a></li>\n", f);
  }
  fputs("</ol></li>\n", f);
  if (costs) fputs("<li><a href='#costs'>What one allocation costs</a></li>\n", f);
  if (others) fputs("<li><a href='#across'>Across structures</a></li>\n", f);
  if (failures) fputs("<li><a href='#failures'>Runs that did not finish</a></li>\n", f);
  if (p->charts->nnotes) fputs("<li><a href='#notes'>Charts not drawn</a></li>\n", f);
  fputs("<li><a href='#glossary'>Glossary</a></li>\n<li><a href='#how'>How to read this "
        "page</a></li>\n<li><a href='#machine'>Machine and configuration</a></li>\n</ol></nav>\n",
        f);
}

static void write_page(page *p, const mc_results *r, const char *source) {
  FILE *f = p->f;
  fputs("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>\n<title>memcurve report: ",
        f);
  html(f, source);
  fprintf(f, "</title>\n<style>%s</style></head><body>\n<h1>memcurve report</h1>\n", css);
  fputs("<nav class='top'><b>", f);
  html(f, source);
  fputs("</b> — ", f);
  html(f, *r->meta.host ? r->meta.host : "unknown host");
  fputs(", ", f);
  html(f, *r->meta.created_utc ? r->meta.created_utc : "unknown time");
  fprintf(f,
          "; %zu runs. <a href='#how'>How to read this page</a> · <a href='#glossary'>"
          "Glossary</a> · <a href='#contents'>Contents</a> · <a href='#machine'>Machine</a>"
          "</nav>\n",
          r->nruns);
  int costs = 0, others = 0, failures = 0;
  for (size_t i = 0; i < p->charts->ncharts; i++) {
    const mc_plot_chart *c = &p->charts->charts[i];
    int grouped = 0;
    for (size_t j = 0; j < p->ng && !grouped; j++)
      grouped = !strcmp(c->structure, p->g[j].structure) && !strcmp(c->workload, p->g[j].workload);
    if (grouped) continue;
    if (c->tput_kind == MC_RESULT_TPUT_ALLOCATION)
      costs = 1;
    else
      others = 1;
  }
  for (size_t i = 0; i < r->nsummary; i++) failures |= !r->summary[i].ok;
  write_matrix(p);
  write_pareto(p);
  write_findings(p);
  write_heap_sweeps(p);
  write_regions(p);
  write_toc(p, costs, others, failures);
  if (p->md) {
    fprintf(p->md, "# memcurve report: ");
    md_cell(p->md, source);
    fprintf(p->md, "\n\nHost ");
    md_cell(p->md, *r->meta.host ? r->meta.host : "?");
    fprintf(p->md, ", CPU ");
    md_cell(p->md, *r->meta.cpu ? r->meta.cpu : "?");
    fprintf(p->md, ", ");
    md_cell(p->md, *r->meta.compiler ? r->meta.compiler : "compiler ?");
    fprintf(p->md, "; %zu runs.\n\n", r->nruns);
  }
  write_compact(p);
  fputs("<h2 id='groups'>Structures and workloads</h2>\n<p class='small'>Click a line to open "
        "its table and charts.</p>\n",
        f);
  for (size_t i = 0; i < p->ng; i++) write_group(p, i);
  /* charts of no group: what one allocation costs (rows of that kind), then the others */
  int alloc = 0, other = 0;
  for (size_t i = 0; i < p->charts->ncharts; i++) {
    if (p->used[i] || p->charts->charts[i].tput_kind != MC_RESULT_TPUT_ALLOCATION) continue;
    if (!alloc++)
      fputs("<h2 id='costs'>What one allocation costs</h2>\n<p>bench_alloc: an alloc and its "
            "free (pair), or one alloc of a burst, per allocator and way in (through the vtable, "
            "the allocator's inline calls, or its cursor); malloc_direct is glibc called "
            "directly.</p>\n",
            f);
    write_chart(p, i);
  }
  for (size_t i = 0; i < p->charts->ncharts; i++) {
    if (p->used[i]) continue;
    if (!other++) fputs("<h2 id='across'>Across structures</h2>\n", f);
    write_chart(p, i);
  }
  if (alloc == 0 && costs)
    fputs("<h2 id='costs'>What one allocation costs</h2>\n<p>No chart drawn.</p>\n", f);
  if (other == 0 && others)
    fputs("<h2 id='across'>Across structures</h2>\n<p>No chart drawn.</p>\n", f);
  write_failures(p, r);
  if (p->charts->nnotes) fputs("<h2 id='notes'>Charts not drawn</h2>\n<ul>\n", f);
  for (size_t i = 0; i < p->charts->nnotes; i++) {
    fputs("<li class='note'>", f);
    html(f, p->charts->notes[i]);
    fputs("</li>\n", f);
  }
  if (p->charts->nnotes) fputs("</ul>\n", f);
  write_glossary(p);
  fputs(how_to_read, f);
  write_meta(p, r, source);
  fputs("</body></html>\n", f);
}

char *mc_report_dir_of(const char *path) {
  const char *slash = strrchr(path, '/');
  size_t len = slash ? (size_t)(slash - path) : 1;
  char *d = malloc(len + 2);
  if (d) memcpy(d, slash ? path : ".", len), d[len] = '\0';
  if (d && slash && len == 0) d[0] = '/', d[1] = '\0';
  return d;
}

char *mc_report_stem(const char *path) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  size_t len = strlen(base);
  static const char *const ext[] = {".h5", ".hdf5"};
  int cut = 0;
  for (size_t i = 0; i < 2 && !cut; i++) {
    size_t e = strlen(ext[i]);
    if (len > e && strcmp(base + len - e, ext[i]) == 0) len -= e, cut = 1;
  }
  char *s = malloc(len + 8);
  if (s) snprintf(s, len + 8, "%.*s%s", (int)len, base, cut ? "" : "_report");
  return s;
}

int mc_report_write(const mc_results *r, const char *source, const char *html_path,
                    const char *plots_rel, const mc_plot_list *charts, FILE *md, char *err,
                    size_t errlen) {
  page p = {.md = md, .rel = plots_rel, .charts = charts, .r = r, .base_order = -1};
  size_t tlen = strlen(html_path) + 5;
  char *tmp = malloc(tlen), *dir = mc_report_dir_of(html_path);
  int rc = MC_OK;
  p.used = calloc(charts->ncharts + 1, sizeof *p.used);
  int ok = tmp && dir && p.used && mc_plotdata_cells(r, &p.cells, &p.ncells) == MC_OK &&
           mc_verdict_groups(r, p.cells, p.ncells, &p.g, &p.ng) == MC_OK;
  for (size_t i = 0; ok && i < p.ng; i++)
    for (size_t j = 0; ok && j < p.g[i].nv; j++)
      ok = mc_plotdata_names_add(&p.allocs, p.g[i].v[j].c->allocator) >= 0;
  if (ok) {
    ok = mc_plotdata_names_by_order(&p.allocs, p.cells, p.ncells) == MC_OK;
    p.base_order = mc_plotdata_base_order(p.cells, p.ncells);
    for (size_t i = 0; i < p.ncells && !*p.base; i++)
      if (p.base_order >= 0 && p.cells[i].order == p.base_order)
        snprintf(p.base, sizeof p.base, "%s", p.cells[i].allocator);
  }
  if (!ok) {
    snprintf(err, errlen, "out of memory");
    rc = MC_ENOMEM;
    goto done;
  }
  p.dir = dir;
  snprintf(tmp, tlen, "%s.tmp", html_path);
  if (!(p.f = fopen(tmp, "w"))) {
    snprintf(err, errlen, "cannot write %s", tmp);
    rc = MC_EIO;
    goto done;
  }
  write_page(&p, r, source);
  int bad = ferror(p.f);
  if (fclose(p.f) != 0 || bad || rename(tmp, html_path) != 0) {
    remove(tmp);
    snprintf(err, errlen, "cannot write %s", html_path);
    rc = MC_EIO;
  }
done:
  mc_verdict_groups_free(p.g, p.ng);
  mc_plotdata_names_free(&p.allocs);
  free(p.cells);
  free(p.used);
  free(tmp);
  free(dir);
  return rc;
}
