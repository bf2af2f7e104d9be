/* mc_report.c — the HTML report and its Markdown summary.
 *
 * The numbers are mc_plotdata cells (medians over ok repetitions). For each (structure,
 * workload) the table shows one N: the largest N at which some allocator has a timed run (or,
 * with no timings at all, the largest N with a peak). Ratios divide by the system allocator's
 * cell at that N ("—" when there is none). Fastest = lowest median wall time, leanest = lowest
 * median peak footprint. The page is written to <path>.tmp and renamed, so a failed write
 * never leaves half a report; every string that came from the file goes through html(). */
#define _POSIX_C_SOURCE 200809L /* rename, stat */
#include "mc_report.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mc_error.h"
#include "mc_plotdata.h"

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

static void ratio_str(char *buf, size_t n, double x, double base) {
  if (!isfinite(x) || !isfinite(base) || !(base > 0))
    snprintf(buf, n, "—");
  else
    snprintf(buf, n, "%.2f×", x / base);
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
    ".note{color:#8a5a00}";

typedef struct page {
  FILE *f, *md;
  const char *dir, *rel;
  const mc_plot_list *charts;
  mc_plotdata_cell *cells;
  size_t ncells;
  int *used; /* charts[i] already placed */
} page;

static void meta_row(FILE *f, const char *k, const char *v) {
  fprintf(f, "<tr><th>%s</th><td style='text-align:left'>", k);
  html(f, *v ? v : "—");
  fputs("</td></tr>\n", f);
}

static void write_meta(page *p, const mc_results *r, const char *source) {
  const mc_result_meta *m = &r->meta;
  char schema[16];
  snprintf(schema, sizeof schema, "%d", (int)m->schema_version);
  fputs("<h2>Machine and configuration</h2>\n<table>\n", p->f);
  meta_row(p->f, "results file", source);
  meta_row(p->f, "created (UTC)", m->created_utc);
  meta_row(p->f, "host", m->host);
  meta_row(p->f, "CPU", m->cpu);
  meta_row(p->f, "compiler", m->compiler);
  meta_row(p->f, "flags", m->cflags);
  meta_row(p->f, "libraries", m->library_versions);
  meta_row(p->f, "command line", m->command_line);
  meta_row(p->f, "schema version", schema);
  fprintf(p->f, "</table>\n<p>%zu runs, %zu summary rows, %zu Google Benchmark rows.</p>\n",
          r->nruns, r->nsummary, r->ntput);
  if (p->md) {
    fprintf(p->md, "# memcurve report: ");
    md_cell(p->md, source);
    fprintf(p->md, "\n\nHost ");
    md_cell(p->md, *m->host ? m->host : "?");
    fprintf(p->md, ", CPU ");
    md_cell(p->md, *m->cpu ? m->cpu : "?");
    fprintf(p->md, ", ");
    md_cell(p->md, *m->compiler ? m->compiler : "compiler ?");
    fprintf(p->md, "; %zu runs.\n\n", r->nruns);
  }
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
  fputs("<img loading='lazy' src='", p->f);
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

/* The N of a group's table: the largest with a timing, else the largest with a peak. */
static uint64_t table_n(const page *p, size_t lo, size_t hi) {
  uint64_t timed = 0, any = 0;
  for (size_t i = lo; i < hi; i++) {
    const mc_plotdata_cell *c = &p->cells[i];
    if (isfinite(c->wall_ns) && c->n > timed) timed = c->n;
    if (isfinite(c->peak_fp) && c->n > any) any = c->n;
  }
  return timed ? timed : any;
}

static void write_group(page *p, size_t lo, size_t hi) {
  const mc_plotdata_cell *g = &p->cells[lo];
  uint64_t n = table_n(p, lo, hi);
  const mc_plotdata_cell *sys = NULL, *fast = NULL, *lean = NULL;
  for (size_t i = lo; i < hi; i++) {
    const mc_plotdata_cell *c = &p->cells[i];
    if (c->n != n || !c->ok) continue;
    if (!strcmp(c->allocator, "system")) sys = c;
    if (isfinite(c->wall_ns) && (!fast || c->wall_ns < fast->wall_ns)) fast = c;
    if (isfinite(c->peak_fp) && (!lean || c->peak_fp < lean->peak_fp)) lean = c;
  }
  fputs("<h2>", p->f);
  html(p->f, g->structure);
  fputs(" / ", p->f);
  html(p->f, g->workload);
  fprintf(p->f, "</h2>\n<p>At N = %llu: fastest <b>", (unsigned long long)n);
  html(p->f, fast ? fast->allocator : "—");
  fputs("</b>, leanest <b>", p->f);
  html(p->f, lean ? lean->allocator : "—");
  fputs("</b>. Ratios are to the system allocator (below 1 is better).</p>\n<table>\n"
        "<tr><th>allocator</th><th>time (median)</th><th>time ÷ system</th>"
        "<th>peak footprint</th><th>peak ÷ system</th><th>peak RSS</th><th>allocs/op</th>"
        "<th>repetitions</th></tr>\n",
        p->f);
  for (size_t k = lo; k <= hi; k++) { /* the system row first (k == lo), then the others */
    size_t i = k == lo ? (size_t)(sys ? sys - p->cells : (ptrdiff_t)hi) : k - 1;
    if (i >= hi || (k > lo && &p->cells[i] == sys)) continue;
    const mc_plotdata_cell *c = &p->cells[i];
    if (c->n != n) continue;
    char t[32], tr[32], pk[32], pr[32], rss[32], apo[32];
    time_str(t, sizeof t, c->wall_ns);
    ratio_str(tr, sizeof tr, c->wall_ns, sys ? sys->wall_ns : NAN);
    bytes_str(pk, sizeof pk, c->peak_fp);
    ratio_str(pr, sizeof pr, c->peak_fp, sys ? sys->peak_fp : NAN);
    bytes_str(rss, sizeof rss, c->peak_rss);
    if (isfinite(c->allocs_per_op))
      snprintf(apo, sizeof apo, "%.3g", c->allocs_per_op);
    else
      snprintf(apo, sizeof apo, "—");
    fprintf(p->f, "<tr%s><td>", c == fast || c == lean ? " class='best'" : "");
    html(p->f, c->allocator);
    fprintf(p->f,
            "%s%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
            "<td>%zu%s</td></tr>\n",
            c == fast ? " (fastest)" : "", c == lean ? " (leanest)" : "", t, tr, pk, pr, rss, apo,
            c->reps, c->ok ? "" : " (did not finish)");
  }
  fputs("</table>\n", p->f);
  for (size_t i = 0; i < p->charts->ncharts; i++) {
    const mc_plot_chart *c = &p->charts->charts[i];
    if (!p->used[i] && !strcmp(c->structure, g->structure) && !strcmp(c->workload, g->workload))
      write_chart(p, i);
  }
  if (p->md) {
    char t[32], pk[32];
    time_str(t, sizeof t, fast ? fast->wall_ns : NAN);
    bytes_str(pk, sizeof pk, lean ? lean->peak_fp : NAN);
    fputs("| ", p->md);
    md_cell(p->md, g->structure);
    fputs(" / ", p->md);
    md_cell(p->md, g->workload);
    fprintf(p->md, " | %llu | ", (unsigned long long)n);
    md_cell(p->md, fast ? fast->allocator : "—");
    fprintf(p->md, " (%s) | ", t);
    md_cell(p->md, lean ? lean->allocator : "—");
    fprintf(p->md, " (%s) |\n", pk);
  }
}

static void write_failures(page *p, const mc_results *r) {
  size_t k = 0;
  for (size_t i = 0; i < r->nsummary; i++) {
    const mc_result_summary *s = &r->summary[i];
    if (s->ok) continue;
    if (!k++)
      fputs("<h2>Runs that did not finish</h2>\n<table>\n<tr><th>structure / workload / "
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

static const char how_to_read[] =
    "<h2>How to read the charts</h2>\n<ul>\n"
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
    "acyclic garbage at once, tracing waits for a collection.</li>\n</ul>\n";

static void write_page(page *p, const mc_results *r, const char *source) {
  fputs("<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>\n<title>memcurve report: ",
        p->f);
  html(p->f, source);
  fprintf(p->f, "</title>\n<style>%s</style></head><body>\n<h1>memcurve report</h1>\n", css);
  write_meta(p, r, source);
  if (p->md) fputs("| structure / workload | N | fastest | leanest |\n|---|---|---|---|\n", p->md);
  for (size_t lo = 0, hi; lo < p->ncells; lo = hi) {
    for (hi = lo; hi < p->ncells && !strcmp(p->cells[hi].structure, p->cells[lo].structure) &&
                  !strcmp(p->cells[hi].workload, p->cells[lo].workload);
         hi++) {
    }
    write_group(p, lo, hi);
  }
  /* charts of no group: bench_alloc's costs (structure "alloc"), then the others */
  int alloc = 0, other = 0;
  for (size_t i = 0; i < p->charts->ncharts; i++) {
    if (p->used[i] || strcmp(p->charts->charts[i].structure, "alloc") != 0) continue;
    if (!alloc++)
      fputs("<h2>What one allocation costs</h2>\n<p>bench_alloc: an alloc and its free (pair), "
            "or one alloc of a burst, per allocator and way in (through the vtable, the "
            "allocator's inline calls, or its cursor); malloc_direct is glibc called "
            "directly.</p>\n",
            p->f);
    write_chart(p, i);
  }
  for (size_t i = 0; i < p->charts->ncharts; i++) {
    if (p->used[i]) continue;
    if (!other++) fputs("<h2>Across structures</h2>\n", p->f);
    write_chart(p, i);
  }
  write_failures(p, r);
  if (p->charts->nnotes) fputs("<h2>Charts not drawn</h2>\n<ul>\n", p->f);
  for (size_t i = 0; i < p->charts->nnotes; i++) {
    fputs("<li class='note'>", p->f);
    html(p->f, p->charts->notes[i]);
    fputs("</li>\n", p->f);
  }
  if (p->charts->nnotes) fputs("</ul>\n", p->f);
  fprintf(p->f, "%s</body></html>\n", how_to_read);
}

char *mc_report_dir_of(const char *path) {
  const char *slash = strrchr(path, '/');
  size_t len = slash ? (size_t)(slash - path) : 1;
  char *d = malloc(len + 2);
  if (d) memcpy(d, slash ? path : ".", len), d[len] = '\0';
  if (d && slash && len == 0) d[0] = '/', d[1] = '\0';
  return d;
}

int mc_report_write(const mc_results *r, const char *source, const char *html_path,
                    const char *plots_rel, const mc_plot_list *charts, FILE *md, char *err,
                    size_t errlen) {
  page p = {.md = md, .rel = plots_rel, .charts = charts};
  size_t tlen = strlen(html_path) + 5;
  char *tmp = malloc(tlen), *dir = mc_report_dir_of(html_path);
  int rc = MC_OK;
  p.used = calloc(charts->ncharts + 1, sizeof *p.used);
  if (!tmp || !dir || !p.used || mc_plotdata_cells(r, &p.cells, &p.ncells) != MC_OK) {
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
  free(p.cells);
  free(p.used);
  free(tmp);
  free(dir);
  return rc;
}
