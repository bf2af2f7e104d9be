/* test_plot.c — `memcurve plot`: the numbers behind the charts (cells, fits, Pareto fronts,
 * units) checked exactly, every chart kind drawn by gnuplot from a small results file into a
 * valid PNG and SVG, and the failure paths (missing gnuplot, missing run, missing dataset,
 * empty file, bad arguments) giving a clear message instead of a crash. */
#define _POSIX_C_SOURCE 200809L
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mc_cli.h"
#include "mc_plot.h"
#include "mc_plotdata.h"
#include "plot_fixture.h"
#include "testutil.h"

static int read_fixture(const char *file, unsigned flags, mc_results *r) {
  char path[256], err[256];
  mc_test_path(path, sizeof path, file);
  if (mc_plotfix_write(path, flags) != MC_OK) return -1;
  return mc_h5_read(path, r, err, sizeof err);
}

/* ---- the numbers ---------------------------------------------------------------------- */

static void test_plotdata_fit_recovers_exponent(void) {
  double x[] = {10, 100, 1000, 10000}, y[4], a, b;
  for (int i = 0; i < 4; i++) y[i] = 3.0 * pow(x[i], 1.5);
  CU_ASSERT_FATAL(mc_plotdata_fit_loglog(x, y, 4, &a, &b) == MC_OK);
  CU_ASSERT_DOUBLE_EQUAL(a, 1.5, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL(exp(b), 3.0, 1e-9);
  double one[] = {5, 5};
  CU_ASSERT(mc_plotdata_fit_loglog(one, y, 2, &a, &b) == MC_EINVAL); /* one distinct x */
  double neg[] = {-1, 0};
  CU_ASSERT(mc_plotdata_fit_loglog(neg, y, 2, &a, &b) == MC_EINVAL);
}

static void test_plotdata_pareto_front(void) {
  /* (memory, time): 0 and 2 trade off, 1 is dominated by 0, 3 ties 0 on memory but slower,
   * 4 has no time */
  double x[] = {10, 20, 30, 10, 1}, y[] = {5, 6, 1, 7, NAN};
  int f[5];
  CU_ASSERT(mc_plotdata_pareto(x, y, 5, f) == 2);
  CU_ASSERT(f[0] == 1 && f[1] == 0 && f[2] == 1 && f[3] == 0 && f[4] == 0);
}

static void test_plotdata_units_are_binary(void) {
  double s;
  CU_ASSERT_STRING_EQUAL(mc_plotdata_unit(1000, &s), "B");
  CU_ASSERT(s == 1);
  CU_ASSERT_STRING_EQUAL(mc_plotdata_unit(1024, &s), "KiB");
  CU_ASSERT(s == 1024);
  CU_ASSERT_STRING_EQUAL(mc_plotdata_unit(5.0 * 1048576, &s), "MiB");
  CU_ASSERT_STRING_EQUAL(mc_plotdata_unit(3.0 * 1073741824, &s), "GiB");
  CU_ASSERT(s == 1073741824.0);
  double v[] = {3, 1, 2, 10};
  CU_ASSERT_DOUBLE_EQUAL(mc_stats_median(v, 4), 2.5, 1e-12);
  CU_ASSERT(isnan(mc_stats_median(v, 0)));
}

/* The order of allocators and the baseline are facts of the cells (allocator_order), not
 * names: without an order-0 allocator the baseline is the lowest order present (zeta, 3, not
 * alpha, first by name); names without an order come last, alphabetically; where cells of one
 * allocator disagree, its lowest order counts. */
static void test_plotdata_order_from_facts(void) {
  mc_plotdata_cell c[5];
  memset(c, 0, sizeof c);
  const char *a[] = {"alpha", "zeta", "beta", "system", "zeta"};
  const int32_t o[] = {5, 3, -1, -1, 4};
  for (int i = 0; i < 5; i++)
    snprintf(c[i].allocator, MC_RESULT_NAME, "%s", a[i]), c[i].order = o[i];
  CU_ASSERT(mc_plotdata_base_order(c, 5) == 3);
  CU_ASSERT(mc_plotdata_base_order(c + 2, 2) == -1); /* no order at all: no baseline */
  mc_plotdata_names set = {0};
  for (int i = 0; i < 5; i++) CU_ASSERT(mc_plotdata_names_add(&set, a[i]) >= 0);
  CU_ASSERT_FATAL(mc_plotdata_names_by_order(&set, c, 5) == MC_OK && set.n == 4);
  CU_ASSERT_STRING_EQUAL(set.v[0], "zeta");
  CU_ASSERT_STRING_EQUAL(set.v[1], "alpha");
  CU_ASSERT_STRING_EQUAL(set.v[2], "beta");
  CU_ASSERT_STRING_EQUAL(set.v[3], "system");
  mc_plotdata_names_free(&set);
}

/* Names that share an order (a heap sweep's gc@2x, gc@1.5x share gc's row) come after every
 * order's first name: with gc 7, rc 11 and two variants of gc, rc keeps the style after gc's,
 * not one pushed past the variants (where the 16 styles had wrapped onto jemalloc's colour). */
static void test_plotdata_order_variants_last(void) {
  const char *a[] = {"gc@2x", "rc", "system", "gc", "gc@1.5x", "std"};
  const int32_t o[] = {7, 11, 0, 7, 7, -1};
  mc_plotdata_cell c[6];
  memset(c, 0, sizeof c);
  mc_plotdata_names set = {0};
  for (int i = 0; i < 6; i++) {
    snprintf(c[i].allocator, MC_RESULT_NAME, "%s", a[i]), c[i].order = o[i];
    CU_ASSERT(mc_plotdata_names_add(&set, a[i]) >= 0);
  }
  CU_ASSERT_FATAL(mc_plotdata_names_by_order(&set, c, 6) == MC_OK && set.n == 6);
  const char *want[] = {"system", "gc", "rc", "gc@1.5x", "gc@2x", "std"};
  for (int i = 0; i < 6; i++) CU_ASSERT_STRING_EQUAL(set.v[i], want[i]);
  CU_ASSERT(mc_plotdata_style(2) != mc_plotdata_style(1));  /* rc's style is not gc's */
  CU_ASSERT(mc_plotdata_style(23) != mc_plotdata_style(1)); /* 24 styles before a wrap */
  CU_ASSERT(mc_plotdata_style(24) == mc_plotdata_style(0));
  mc_plotdata_names_free(&set);
}

static void test_plotdata_cells_from_summary(void) {
  mc_results r;
  CU_ASSERT_FATAL(read_fixture("cells.h5", 0, &r) == MC_OK);
  mc_plotdata_cell *c;
  size_t n;
  CU_ASSERT_FATAL(mc_plotdata_cells(&r, &c, &n) == MC_OK);
  /* list/fill 3 allocators x 3 N, ndarray and boxed 3 N each, cycles 6 (gc, gc-off,
   * gc-saveall, rc, rc-off, rc-saveall), chains 4, trees 2 x 2 depths */
  CU_ASSERT_EQUAL(n, 9 + 3 + 3 + 6 + 4 + 4);
  int seen = 0;
  for (size_t i = 0; i < n; i++) {
    if (i) CU_ASSERT(strcmp(c[i - 1].structure, c[i].structure) <= 0);
    CU_ASSERT(c[i].run != NULL);
    /* the structure's array fact, carried from its runs */
    CU_ASSERT_EQUAL(c[i].array, !strcmp(c[i].structure, "ndarray") ? MC_RESULT_ARRAY_UNBOXED
                                : !strcmp(c[i].structure, "boxed") ? MC_RESULT_ARRAY_BOXED
                                                                   : MC_RESULT_ARRAY_NONE);
    if (strcmp(c[i].structure, "list") || strcmp(c[i].workload, "fill")) continue;
    seen++;
    int killed = !strcmp(c[i].allocator, "pool") && c[i].n == 16000;
    CU_ASSERT_EQUAL(c[i].reps, killed ? 2u : 3u);
    CU_ASSERT_DOUBLE_EQUAL(c[i].peak_fp, mc_plotfix_peak(c[i].allocator, c[i].n), 1.0);
    /* wall times are t, 1.1 t, 1.2 t: the median is the middle one */
    double t0 = (!strcmp(c[i].allocator, "arena")  ? 3
                 : !strcmp(c[i].allocator, "pool") ? 2
                                                   : 1) *
                100.0 * c[i].ops;
    CU_ASSERT_DOUBLE_EQUAL(c[i].wall_ns, killed ? t0 * 1.05 : t0 * 1.1, 2.0);
    CU_ASSERT(c[i].ops_s_min <= c[i].ops_s_med && c[i].ops_s_med <= c[i].ops_s_max);
    CU_ASSERT_DOUBLE_EQUAL(c[i].ops_s_max, c[i].ops / (t0 / 1e9), c[i].ops_s_max * 1e-6);
  }
  CU_ASSERT_EQUAL(seen, 9);
  free(c);
  mc_h5_results_free(&r);
}

/* ---- the charts ----------------------------------------------------------------------- */

static int is_png(const char *path) {
  unsigned char head[8] = {0};
  FILE *f = fopen(path, "rb");
  if (!f) return 0;
  size_t k = fread(head, 1, 8, f);
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fclose(f);
  return k == 8 && !memcmp(head, "\x89PNG\r\n\x1a\n", 8) && size > 2000;
}

static int is_svg(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return 0;
  static char buf[1 << 16];
  size_t k = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[k] = '\0';
  return strstr(buf, "<svg") != NULL && strstr(buf, "</svg>") != NULL;
}

static const char *kinds[] = {"curve",   "overhead",  "peak_vs_n",      "throughput",
                              "gbench",  "cost",      "tradeoff",       "gc_pauses",
                              "gc_heap", "gc_cycles", "bytes_per_elem", "refcount_vs_tracing"};

static void test_plot_every_kind_is_a_valid_png_and_svg(void) {
  mc_results r;
  CU_ASSERT_FATAL(read_fixture("all.h5", 0, &r) == MC_OK);
  char out[256], err[512], path[512];
  mc_test_path(out, sizeof out, "all");
  mc_plot_opts o = {.outdir = out};
  mc_plot_list l;
  int rc = mc_plot_draw(&r, &o, &l, err, sizeof err);
  if (rc != MC_OK) fprintf(stderr, "mc_plot_draw: %s\n", err);
  CU_ASSERT_FATAL(rc == MC_OK);
  for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
    int found = 0;
    for (size_t i = 0; i < l.ncharts; i++) found += !strcmp(l.charts[i].kind, kinds[k]);
    if (!found) fprintf(stderr, "no chart of kind %s\n", kinds[k]);
    CU_ASSERT(found > 0);
  }
  for (size_t i = 0; i < l.ncharts; i++) {
    snprintf(path, sizeof path, "%s/%s.png", out, l.charts[i].name);
    CU_ASSERT(is_png(path));
    snprintf(path, sizeof path, "%s/%s.svg", out, l.charts[i].name);
    CU_ASSERT(is_svg(path));
  }
  /* binary-trees: N is a depth, its peak chart is drawn against depth */
  int trees = 0;
  for (size_t i = 0; i < l.ncharts; i++)
    trees += !strcmp(l.charts[i].name, "peak_vs_n_tree_binary-trees") &&
             strstr(l.charts[i].title, "tree depth") != NULL;
  CU_ASSERT(trees == 1);
  /* every requested column of the fixture is a live count: every overhead chart is drawn */
  int overheads = 0;
  for (size_t i = 0; i < l.ncharts; i++) overheads += !strcmp(l.charts[i].kind, "overhead");
  CU_ASSERT(overheads == 6); /* list/fill, ndarray/fill, boxed/fill, binary-trees, cycles, chains */
  /* nothing is missing from this file: no note about a missing gc variant */
  for (size_t i = 0; i < l.nnotes; i++) CU_ASSERT(strstr(l.notes[i], "drawn without it") == NULL);
  /* the planned list (no drawing) names the same charts */
  mc_plot_list p;
  mc_plot_opts po = {.outdir = out, .plan_only = 1};
  CU_ASSERT(mc_plot_draw(&r, &po, &p, err, sizeof err) == MC_OK);
  CU_ASSERT_EQUAL(p.ncharts, l.ncharts);
  for (size_t i = 0; i < p.ncharts && i < l.ncharts; i++)
    CU_ASSERT_STRING_EQUAL(p.charts[i].name, l.charts[i].name);
  mc_plot_list_free(&p);
  mc_plot_list_free(&l);
  mc_h5_results_free(&r);
}

static void test_plot_only_png_when_asked(void) {
  mc_results r;
  CU_ASSERT_FATAL(read_fixture("png.h5", MC_PLOTFIX_NO_TPUT, &r) == MC_OK);
  char out[256], err[512], path[512];
  mc_test_path(out, sizeof out, "png");
  mc_plot_opts o = {.outdir = out, .formats = MC_PLOT_PNG};
  mc_plot_list l;
  CU_ASSERT_FATAL(mc_plot_draw(&r, &o, &l, err, sizeof err) == MC_OK);
  CU_ASSERT(l.ncharts > 0);
  for (size_t i = 0; i < l.ncharts; i++) {
    CU_ASSERT(strcmp(l.charts[i].kind, "gbench") != 0); /* no /throughput rows, no gbench */
    snprintf(path, sizeof path, "%s/%s.svg", out, l.charts[i].name);
    CU_ASSERT(access(path, F_OK) != 0);
  }
  mc_plot_list_free(&l);
  mc_h5_results_free(&r);
}

static void test_plot_missing_run_is_a_note(void) {
  mc_results r;
  CU_ASSERT_FATAL(read_fixture("nogcoff.h5", MC_PLOTFIX_NO_GCOFF, &r) == MC_OK);
  char out[256], err[512];
  mc_test_path(out, sizeof out, "nogcoff");
  mc_plot_opts o = {.outdir = out, .formats = MC_PLOT_SVG};
  mc_plot_list l;
  CU_ASSERT(mc_plot_draw(&r, &o, &l, err, sizeof err) == MC_OK);
  int noted = 0, others = 0, drawn = 0;
  for (size_t i = 0; i < l.nnotes; i++) {
    noted += strstr(l.notes[i], "no tracing run with collection off") != NULL;
    others += strstr(l.notes[i], "drawn without it") != NULL;
  }
  for (size_t i = 0; i < l.ncharts; i++) drawn += !strcmp(l.charts[i].kind, "gc_cycles");
  CU_ASSERT(noted == 1 && others == 1); /* the heap facts: rc's modes are all there */
  CU_ASSERT(drawn == 1);
  mc_plot_list_free(&l);
  mc_h5_results_free(&r);
}

/* The refcount_vs_tracing chart comes from the runs' heap facts: one panel per workload with
 * both models' "off" runs (cycles, chains), the four curves of each (SAVEALL left out); without
 * a tracing "off" run there is no lesson to draw. */
static void test_plot_refcount_vs_tracing_from_facts(void) {
  mc_results r;
  CU_ASSERT_FATAL(read_fixture("rvt.h5", 0, &r) == MC_OK);
  char out[256], err[512], path[600], line[256];
  mc_test_path(out, sizeof out, "rvt");
  mc_plot_opts o = {.outdir = out, .formats = MC_PLOT_SVG};
  mc_plot_list l;
  CU_ASSERT_FATAL(mc_plot_draw(&r, &o, &l, err, sizeof err) == MC_OK);
  const mc_plot_chart *ch = NULL;
  for (size_t i = 0; i < l.ncharts; i++)
    if (!strcmp(l.charts[i].kind, "refcount_vs_tracing")) ch = ch ? NULL : &l.charts[i];
  CU_ASSERT_PTR_NOT_NULL_FATAL(ch);
  snprintf(path, sizeof path, "%s/data/%s.dat", out, ch->name);
  FILE *f = fopen(path, "r");
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  int series = 0, saveall = 0, rc_off_chains = 0, block = 0;
  unsigned long long ops, req, fp, rc_off_max = 0;
  while (fgets(line, sizeof line, f)) {
    if (strstr(line, "# series")) {
      series++;
      saveall += strstr(line, "saveall") != NULL;
      /* panels in the file's order: chains (series 1-4), then cycles (5-8) */
      block = strstr(line, ": rc-off") != NULL && series <= 4;
      rc_off_chains += block;
    } else if (block && sscanf(line, "%llu %llu %llu", &ops, &req, &fp) == 3 && req > rc_off_max) {
      rc_off_max = req;
    }
  }
  fclose(f);
  CU_ASSERT_EQUAL(series, 8);
  CU_ASSERT_EQUAL(saveall, 0);
  CU_ASSERT_EQUAL(rc_off_chains, 1);
  CU_ASSERT_EQUAL(rc_off_max, 2000 / 100 * 8); /* flat: counting freed every chain */
  mc_plot_list_free(&l);
  mc_h5_results_free(&r);
  /* no tracing run with its collector off: no chart */
  CU_ASSERT_FATAL(read_fixture("rvt_nogcoff.h5", MC_PLOTFIX_NO_GCOFF, &r) == MC_OK);
  mc_test_path(out, sizeof out, "rvt_nogcoff");
  CU_ASSERT_FATAL(mc_plot_draw(&r, &o, &l, err, sizeof err) == MC_OK);
  for (size_t i = 0; i < l.ncharts; i++) CU_ASSERT(strcmp(l.charts[i].kind, "refcount_vs_tracing"));
  mc_plot_list_free(&l);
  mc_h5_results_free(&r);
}

static void test_plot_missing_gnuplot_is_a_clear_error(void) {
  mc_results r;
  CU_ASSERT_FATAL(read_fixture("nognuplot.h5", 0, &r) == MC_OK);
  char out[256], err[512] = "";
  mc_test_path(out, sizeof out, "nognuplot");
  mc_plot_opts o = {.outdir = out, .gnuplot = "/nonexistent/gnuplot"};
  mc_plot_list l;
  CU_ASSERT(mc_plot_draw(&r, &o, &l, err, sizeof err) == MC_EINVAL);
  CU_ASSERT(strstr(err, "gnuplot-nox") != NULL);
  CU_ASSERT(l.ncharts == 0);
  mc_plot_list_free(&l);
  /* a gnuplot that fails: every chart is reported, none listed, nothing crashes */
  mc_plot_opts of = {.outdir = out, .gnuplot = "/bin/false", .formats = MC_PLOT_PNG};
  CU_ASSERT(mc_plot_draw(&r, &of, &l, err, sizeof err) == MC_EIO);
  CU_ASSERT(strstr(err, "gnuplot failed") != NULL);
  CU_ASSERT(l.ncharts == 0);
  CU_ASSERT(l.nnotes >= 10);
  mc_plot_list_free(&l);
  mc_plot_opts o2 = {.outdir = out, .scripts = "/nonexistent"};
  CU_ASSERT(mc_plot_draw(&r, &o2, &l, err, sizeof err) == MC_EINVAL);
  CU_ASSERT(strstr(err, "common.gp") != NULL);
  mc_plot_list_free(&l);
  mc_h5_results_free(&r);
}

static void test_plot_empty_file_draws_nothing(void) {
  mc_results r;
  CU_ASSERT_FATAL(read_fixture("empty.h5", MC_PLOTFIX_NO_RUNS, &r) == MC_OK);
  char out[256], err[512] = "";
  mc_test_path(out, sizeof out, "empty");
  mc_plot_opts o = {.outdir = out};
  mc_plot_list l;
  CU_ASSERT(mc_plot_draw(&r, &o, &l, err, sizeof err) == MC_EINVAL);
  CU_ASSERT(strstr(err, "no run") != NULL);
  mc_plot_list_free(&l);
  mc_h5_results_free(&r);
}

static void test_plot_names_never_collide(void) {
  /* "x y" and "x-y" both make the file name x-y: the second chart gets -2 */
  static mc_result_point pts[2] = {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
                                   {10, 10, 1000, 240, 320, 4096, 0, 320, 4096, 10}};
  mc_result_run runs[2];
  for (int i = 0; i < 2; i++) {
    mc_plotfix_run(&runs[i], i ? "x-y" : "x y", "fill", "system", 10);
    runs[i].ok = 1, runs[i].curve = pts, runs[i].ncurve = 2;
  }
  char out[256];
  mc_plot_list l;
  CU_ASSERT_FATAL(mc_plotfix_draw_runs(runs, 2, "names", 0, out, &l) == MC_OK);
  int plain = 0, second = 0;
  for (size_t i = 0; i < l.ncharts; i++) {
    plain += !strcmp(l.charts[i].name, "curve_x-y_fill");
    second += !strcmp(l.charts[i].name, "curve_x-y_fill-2");
  }
  CU_ASSERT(plain == 1 && second == 1);
  for (size_t i = 0; i < l.ncharts; i++)
    for (size_t j = i + 1; j < l.ncharts; j++)
      CU_ASSERT(strcmp(l.charts[i].name, l.charts[j].name));
  mc_plot_list_free(&l);
}

/* Google Benchmark rows without an N argument (bench_alloc's "alloc/pair16/<allocator>"): the
 * throughput-against-N chart leaves them out with a note, a chart with no N row at all is
 * skipped (gnuplot never sees an empty log axis), and the command still succeeds. */
static void tput_row(mc_result_tput *t, const char *w, const char *a, uint64_t n, uint32_t rep) {
  memset(t, 0, sizeof *t);
  snprintf(t->name, sizeof t->name, "alloc/%s/%s%s", w, a, n ? "/1024" : "");
  snprintf(t->structure, MC_RESULT_NAME, "alloc");
  snprintf(t->workload, MC_RESULT_NAME, "%s", w);
  snprintf(t->allocator, MC_RESULT_NAME, "%s", a);
  t->n = n, t->rep = rep, t->iterations = 1000;
  t->real_ns = t->cpu_ns = 10.0 + rep;
  t->items_per_s = n ? 1e8 / (1 + rep) : 0;
}

static void test_plot_gbench_rows_without_n(void) {
  char file[256], out[256], err[512];
  mc_test_path(file, sizeof file, "non.h5");
  mc_test_path(out, sizeof out, "non");
  mc_result_meta m;
  memset(&m, 0, sizeof m);
  m.schema_version = MC_H5_SCHEMA;
  mc_h5_writer *w;
  CU_ASSERT_FATAL(mc_h5_create(&w, file, &m, err, sizeof err) == MC_OK);
  mc_result_tput rows[9];
  size_t k = 0;
  for (uint32_t rep = 0; rep < 3; rep++) {
    tput_row(&rows[k++], "pair16", "system", 0, rep);
    tput_row(&rows[k++], "pair16", "arena", 0, rep);
    rows[k - 1].real_ns -= 1;                                            /* arena: 1 ns faster */
    tput_row(&rows[k++], "burst16", "system", rep == 2 ? 0 : 1024, rep); /* one without N */
  }
  CU_ASSERT_FATAL(mc_h5_add_tput(w, rows, k, "bench_alloc", "{\"benchmarks\": []}") == MC_OK);
  CU_ASSERT_FATAL(mc_h5_close(w, 1) == MC_OK);
  mc_results r;
  CU_ASSERT_FATAL(mc_h5_read(file, &r, err, sizeof err) == MC_OK);
  mc_plot_opts o = {.outdir = out, .formats = MC_PLOT_PNG};
  mc_plot_list l;
  int rc = mc_plot_draw(&r, &o, &l, err, sizeof err);
  if (rc != MC_OK) fprintf(stderr, "mc_plot_draw: %s\n", err);
  CU_ASSERT(rc == MC_OK);
  int burst = 0, pair = 0, pair_cost = 0, burst_note = 0;
  for (size_t i = 0; i < l.ncharts; i++) {
    burst += !strcmp(l.charts[i].name, "gbench_alloc_burst16");
    pair += strstr(l.charts[i].name, "gbench_alloc_pair16") != NULL;
    pair_cost +=
        !strcmp(l.charts[i].name, "cost_alloc_pair16") && !strcmp(l.charts[i].kind, "cost");
  }
  for (size_t i = 0; i < l.nnotes; i++)
    burst_note += strstr(l.notes[i], "gbench_alloc_burst16: 1 Google Benchmark row") != NULL;
  /* pair16 has no N: a cost chart (bars); burst16 mixes N and no N: throughput, with a note */
  CU_ASSERT(burst == 1 && pair == 0 && pair_cost == 1);
  CU_ASSERT(burst_note == 1);
  char path[512];
  snprintf(path, sizeof path, "%s/gbench_alloc_burst16.png", out);
  CU_ASSERT(is_png(path));
  snprintf(path, sizeof path, "%s/cost_alloc_pair16.png", out);
  CU_ASSERT(is_png(path));
  /* its data: ns per iteration (no items), the median and range of reps 10, 11, 12 ns, fastest
   * first (arena is 1 ns faster in every repetition) */
  snprintf(path, sizeof path, "%s/data/cost_alloc_pair16.dat", out);
  FILE *f = fopen(path, "r");
  CU_ASSERT_PTR_NOT_NULL_FATAL(f);
  char line[256], rows_seen[2][256] = {"", ""};
  int nrows = 0;
  while (fgets(line, sizeof line, f))
    if (line[0] != '#' && line[0] != '\n' && nrows < 2)
      snprintf(rows_seen[nrows++], sizeof rows_seen[0], "%s", line);
  fclose(f);
  CU_ASSERT_EQUAL(nrows, 2);
  CU_ASSERT_STRING_EQUAL(rows_seen[0], "1 10 9 11\n");
  CU_ASSERT_STRING_EQUAL(rows_seen[1], "2 11 10 12\n");
  mc_plot_list_free(&l);
  mc_h5_results_free(&r);
  /* the command: exit 0, the charts it can draw drawn */
  char *argv[] = {"plot", file, "--out", out, "--format=png", "--quiet"};
  fflush(stderr);
  CU_ASSERT(mc_cli_exit_status(mc_cli_plot(6, argv)) == 0);
}

/* The gnuplot variables a chart was drawn with: the line of args.log (written by a wrapper around
 * gnuplot that logs its arguments, then runs the real one) naming out='.../<chart>.png', malloc'd.
 */
static char *chart_vars(const char *log, const char *chart) {
  FILE *f = fopen(log, "r");
  char line[16384], key[256];
  snprintf(key, sizeof key, "/%s.png\"", chart);
  char *found = NULL;
  while (f && !found && fgets(line, sizeof line, f))
    if (strstr(line, key)) found = strdup(line);
  if (f) fclose(f);
  return found;
}

static int var_int(const char *vars, const char *name) {
  char key[32];
  snprintf(key, sizeof key, ";%s=", name);
  const char *p = strstr(vars, key);
  if (!p && !strncmp(vars, key + 1, strlen(key + 1))) p = vars - 1;
  return p ? atoi(p + strlen(key)) : -1;
}

static void summary_row(mc_result_summary *x, const char *s, const char *w, const char *a,
                        uint64_t n, uint32_t rep) {
  memset(x, 0, sizeof *x);
  snprintf(x->structure, MC_RESULT_NAME, "%s", s);
  snprintf(x->workload, MC_RESULT_NAME, "%s", w);
  snprintf(x->allocator, MC_RESULT_NAME, "%s", a);
  x->n = n, x->rep = rep, x->ok = 1, x->ops = 3 * n;
  x->wall_ns = 1000 * n * (10 + rep + (uint64_t)strlen(a));
  x->ops_per_s = (double)x->ops / ((double)x->wall_ns / 1e9);
  x->peak_footprint = 64 * n, x->peak_requested = 48 * n, x->peak_rss = 80 * n;
  snprintf(x->status, MC_RESULT_STATUS, "ok");
}

/* The defects of issue 13, each on a fixture:
 * - throughput_pq_churn: nine allocators' min-max bands overlapped into one smear: with more
 *   than 3 series the range is drawn as error bars (bands=0), with 3 or fewer as bands;
 * - cost_*: pool_direct took system's colour and stack shared system_untracked's (names only
 *   Google Benchmark uses wrapped past 16 styles): every bar has its own style; and the key
 *   listed min-max whiskers that a one-repetition run never draws: range=0, no key entry;
 * - gbench_ndarray_sum-vs-boxed: the boxed side was missing: it is drawn, one series per
 *   allocator and structure. */
static void test_plot_chart_defects_fixed(void) {
  static const char *nine[] = {"system", "jemalloc", "mimalloc", "tcmalloc", "stack",
                               "arena",  "pool",     "gc",       "boehm"};
  static const char *ways[] = {"system",        "system_untracked",
                               "malloc_direct", "counting",
                               "arena_direct",  "arena_cursor",
                               "pool_direct",   "stack_direct",
                               "stack_cursor",  "pool",
                               "stack",         "arena"};
  static mc_result_summary sum[9 * 2 * 3 + 2 * 2 * 3];
  static mc_result_tput tp[12 + 8];
  size_t ns = 0, nt = 0;
  for (size_t a = 0; a < 9; a++)
    for (uint64_t n = 1000; n <= 10000; n *= 10)
      for (uint32_t rep = 0; rep < 3; rep++)
        summary_row(&sum[ns++], "pq", "churn", nine[a], n, rep);
  for (size_t a = 0; a < 2; a++)
    for (uint64_t n = 1000; n <= 10000; n *= 10)
      for (uint32_t rep = 0; rep < 3; rep++)
        summary_row(&sum[ns++], "list", "fill", nine[a], n, rep);
  for (size_t a = 0; a < 12; a++) { /* one repetition each */
    tput_row(&tp[nt], "pair64", ways[a], 0, 0);
    tp[nt++].real_ns = 5.0 + (double)a;
  }
  const char *sides[2][3] = {{"ndarray", "sum_vs_boxed", "ndarray/sum_vs_boxed"},
                             {"boxed", "sum", "boxed/sum"}};
  for (int sd = 0; sd < 2; sd++)
    for (uint64_t n = 1000; n <= 1000000; n *= 10) {
      mc_result_tput *t = &tp[nt++];
      memset(t, 0, sizeof *t);
      snprintf(t->name, sizeof t->name, "%s/system/%llu", sides[sd][2], (unsigned long long)n);
      snprintf(t->structure, MC_RESULT_NAME, "%s", sides[sd][0]);
      snprintf(t->workload, MC_RESULT_NAME, "%s", sides[sd][1]);
      snprintf(t->allocator, MC_RESULT_NAME, "system");
      if (!sd) /* the comparison's facts, as the import files them from the name */
        snprintf(t->vs_structure, MC_RESULT_NAME, "boxed"),
            snprintf(t->vs_workload, MC_RESULT_NAME, "sum");
      t->n = n, t->iterations = 100, t->real_ns = t->cpu_ns = (double)n * (sd ? 3.0 : 0.5);
      t->items_per_s = (double)n / (t->real_ns / 1e9);
    }
  mc_results r;
  memset(&r, 0, sizeof r);
  r.summary = sum, r.nsummary = ns, r.tput = tp, r.ntput = nt;
  char out[256], err[512], logging_gnuplot[300], log[300];
  mc_test_path(out, sizeof out, "defects");
  mkdir(out, 0755);
  snprintf(logging_gnuplot, sizeof logging_gnuplot, "%s/gnuplot-logging", out);
  snprintf(log, sizeof log, "%s/args.log", out);
  FILE *f = fopen(logging_gnuplot, "w");
  CU_ASSERT_FATAL(f != NULL);
  fprintf(f, "#!/bin/sh\nprintf '%%s\\n' \"$*\" >> '%s'\nexec gnuplot \"$@\"\n", log);
  fclose(f);
  chmod(logging_gnuplot, 0755);
  mc_plot_opts o = {.outdir = out, .formats = MC_PLOT_PNG, .gnuplot = logging_gnuplot};
  mc_plot_list l;
  int rc = mc_plot_draw(&r, &o, &l, err, sizeof err);
  if (rc != MC_OK) fprintf(stderr, "mc_plot_draw: %s\n", err);
  CU_ASSERT(rc == MC_OK);
  mc_plot_list_free(&l);
  /* nine series: error bars, not bands; two: bands */
  char *v = chart_vars(log, "throughput_pq_churn");
  CU_ASSERT_FATAL(v != NULL);
  CU_ASSERT(var_int(v, "ns") == 9 && var_int(v, "range") == 1 && var_int(v, "bands") == 0);
  free(v);
  v = chart_vars(log, "throughput_list_fill");
  CU_ASSERT_FATAL(v != NULL);
  CU_ASSERT(var_int(v, "ns") == 2 && var_int(v, "range") == 1 && var_int(v, "bands") == 1);
  free(v);
  /* twelve bars, twelve styles; one repetition: no whisker in the key */
  v = chart_vars(log, "cost_alloc_pair64");
  CU_ASSERT_FATAL(v != NULL);
  CU_ASSERT(var_int(v, "ns") == 12 && var_int(v, "range") == 0);
  int seen[17] = {0}, distinct = 0;
  for (int i = 1; i <= 12; i++) {
    char name[8];
    snprintf(name, sizeof name, "s%d", i);
    int st = var_int(v, name);
    if (st >= 1 && st <= 16 && !seen[st]++) distinct++;
  }
  CU_ASSERT(distinct == 12);
  free(v);
  /* the comparison chart holds both sides */
  v = chart_vars(log, "gbench_ndarray_sum-vs-boxed");
  CU_ASSERT_FATAL(v != NULL);
  CU_ASSERT(var_int(v, "ns") == 2);
  CU_ASSERT(strstr(v, "t1=\"ndarray: system\"") != NULL &&
            strstr(v, "t2=\"boxed: system\"") != NULL);
  CU_ASSERT(var_int(v, "s1") != var_int(v, "s2"));
  free(v);
  char png[400];
  snprintf(png, sizeof png, "%s/gbench_ndarray_sum-vs-boxed.png", out);
  CU_ASSERT(is_png(png));
}

/* A run whose requested bytes exceed its footprint (Boehm on a collector workload: what libgc
 * reclaims is never subtracted) is not a live count: left out of the overhead chart and its
 * requested line not drawn, each with a note; the run beside it is drawn as usual. */
static void test_plot_requested_not_live_is_left_out(void) {
  static mc_result_point live[2] = {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
                                    {10, 10, 1000, 240, 320, 4096, 0, 320, 4096, 10}};
  static mc_result_point cumul[2] = {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
                                     {10, 10, 1000, 9000, 320, 4096, 1, 320, 4096, 10}};
  mc_result_run runs[2];
  for (int i = 0; i < 2; i++) {
    mc_plotfix_run(&runs[i], "tree", "gcbench", i ? "boehm" : "gc", 10);
    runs[i].ok = 1, runs[i].curve = i ? cumul : live, runs[i].ncurve = 2;
  }
  char out[256];
  mc_plot_list l;
  CU_ASSERT_FATAL(mc_plotfix_draw_runs(runs, 2, "notlive", 0, out, &l) == MC_OK);
  int overhead = 0, curve = 0, left_out = 0, no_line = 0;
  for (size_t i = 0; i < l.ncharts; i++) {
    overhead += !strcmp(l.charts[i].kind, "overhead");
    curve += !strcmp(l.charts[i].kind, "curve");
  }
  for (size_t i = 0; i < l.nnotes; i++) {
    left_out += strstr(l.notes[i], "overhead_tree_gcbench: boehm left out") != NULL;
    no_line += strstr(l.notes[i], "curve_tree_gcbench: boehm's requested") != NULL;
  }
  CU_ASSERT(overhead == 1 && curve == 1); /* gc's overhead is still drawn */
  CU_ASSERT(left_out == 1 && no_line == 1);
  mc_plot_list_free(&l);
}

static int run_main(int argc, char **argv) {
  fflush(stdout);
  fflush(stderr);
  return mc_cli_exit_status(mc_cli_plot(argc, argv));
}

static void test_plot_command_exit_statuses(void) {
  char file[256], out[256];
  mc_test_path(file, sizeof file, "cmd.h5");
  mc_test_path(out, sizeof out, "cmd");
  CU_ASSERT_FATAL(mc_plotfix_write(file, MC_PLOTFIX_NO_TPUT) == MC_OK);
  char *ok[] = {"plot", file, "--out", out, "--format=png", "--quiet"};
  CU_ASSERT(run_main(6, ok) == 0);
  char *bad_fmt[] = {"plot", file, "--format", "gif"};
  CU_ASSERT(run_main(4, bad_fmt) == 2);
  char *no_file[] = {"plot", "--out", out};
  CU_ASSERT(run_main(3, no_file) == 2);
  char *two[] = {"plot", file, file};
  CU_ASSERT(run_main(3, two) == 2);
  char missing[256];
  mc_test_path(missing, sizeof missing, "does-not-exist.h5");
  char *gone[] = {"plot", missing, "--out", out};
  CU_ASSERT(run_main(4, gone) == 2);
  /* a results file that lost its /summary dataset */
  hid_t f = H5Fopen(file, H5F_ACC_RDWR, H5P_DEFAULT);
  CU_ASSERT_FATAL(f >= 0);
  CU_ASSERT(H5Ldelete(f, "summary", H5P_DEFAULT) >= 0);
  H5Fclose(f);
  char *broken[] = {"plot", file, "--out", out};
  CU_ASSERT(run_main(4, broken) == 2);
}

static int add_suites(void) {
  static CU_TestInfo tests[] = {
      {"test_plotdata_fit_recovers_exponent", test_plotdata_fit_recovers_exponent},
      {"test_plotdata_pareto_front", test_plotdata_pareto_front},
      {"test_plotdata_units_are_binary", test_plotdata_units_are_binary},
      {"test_plotdata_order_from_facts", test_plotdata_order_from_facts},
      {"test_plotdata_order_variants_last", test_plotdata_order_variants_last},
      {"test_plotdata_cells_from_summary", test_plotdata_cells_from_summary},
      {"test_plot_every_kind_is_a_valid_png_and_svg", test_plot_every_kind_is_a_valid_png_and_svg},
      {"test_plot_only_png_when_asked", test_plot_only_png_when_asked},
      {"test_plot_missing_run_is_a_note", test_plot_missing_run_is_a_note},
      {"test_plot_refcount_vs_tracing_from_facts", test_plot_refcount_vs_tracing_from_facts},
      {"test_plot_missing_gnuplot_is_a_clear_error", test_plot_missing_gnuplot_is_a_clear_error},
      {"test_plot_empty_file_draws_nothing", test_plot_empty_file_draws_nothing},
      {"test_plot_names_never_collide", test_plot_names_never_collide},
      {"test_plot_gbench_rows_without_n", test_plot_gbench_rows_without_n},
      {"test_plot_requested_not_live_is_left_out", test_plot_requested_not_live_is_left_out},
      {"test_plot_command_exit_statuses", test_plot_command_exit_statuses},
      {"test_plot_chart_defects_fixed", test_plot_chart_defects_fixed},
      CU_TEST_INFO_NULL,
  };
  return mc_test_add_suite("plot", tests);
}

int main(void) { return mc_test_main(add_suites); }
