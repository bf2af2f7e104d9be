/* test_memcharts.c — the memory charts on held and resident (issue 12) and the defects they
 * had, each checked on what it broke, in the data and the variables handed to gnuplot
 * (data/<chart>.dat, .marks, .vars):
 *   - a failed run's curve stops where it failed, with a failure mark at its last held value
 *     and its reason in the key; its teardown (destroy, reset) is not drawn as an event;
 *   - overhead (held ÷ requested): no sample under 10 % of the peak requested (the pool's
 *     64x..1024x noise band of list/cycles) and the y axis above every ratio (nothing clipped);
 *     the fixture reproduces the pool's shape;
 *   - peak_vs_n: a fit only with three sizes or more, drawn over the N range with data only;
 *   - tradeoff: no text labels (they overprinted), every allocator's marker in the data, the
 *     Pareto front in its own file (drawn over the points, ringed) and never a run with a
 *     failed repetition;
 *   - gc_heap: each collection mark sits on a vertex of its series' line. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mc_plot.h"
#include "mc_plotdata.h"
#include "plot_fixture.h"
#include "testutil.h"

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *s = malloc((size_t)n + 1);
  if (s && fread(s, 1, (size_t)n, f) != (size_t)n) n = 0;
  if (s) s[n] = '\0';
  fclose(f);
  return s;
}

static char *chart_file(const char *out, const char *chart, const char *ext) {
  char path[512];
  snprintf(path, sizeof path, "%s/data/%s%s", out, chart, ext);
  return slurp(path);
}

/* The number gnuplot gets as name=...; (NAN when absent or NaN). */
static double var(const char *vars, const char *name) {
  char key[64];
  snprintf(key, sizeof key, "%s=", name);
  for (const char *p = vars; p && (p = strstr(p, key)); p++)
    if (p == vars || p[-1] == ';')
      return strncmp(p + strlen(key), "NaN", 3) ? atof(p + strlen(key)) : NAN;
  return NAN;
}

/* Rows of block `series` (0-based) of a gnuplot data file: up to max rows of up to 4 numbers
 * ("nan" read as NAN). Returns how many rows. */
static size_t block(const char *text, size_t series, double (*rows)[4], size_t max) {
  size_t b = 0, n = 0;
  const char *p = text;
  while (p && *p) {
    const char *e = strchr(p, '\n');
    size_t len = e ? (size_t)(e - p) : strlen(p);
    if (len == 0 && e && e[1] == '\n')
      b++, p = e + 1; /* two blank lines: next block */
    else if (len && p[0] != '#' && b == series && n < max) {
      char line[256];
      snprintf(line, sizeof line, "%.*s", (int)(len < 255 ? len : 255), p);
      char *q = line;
      for (int k = 0; k < 4; k++) {
        char *end;
        rows[n][k] = strncmp(q + strspn(q, " "), "nan", 3) == 0 ? NAN : strtod(q, &end);
        if (strncmp(q + strspn(q, " "), "nan", 3) == 0) end = q + strspn(q, " ") + 3;
        q = end;
      }
      n++;
    }
    p = e ? e + 1 : NULL;
  }
  return n;
}

/* ---- a failed run on the curve chart ----------------------------------------------------- */

static void test_memcharts_failed_run_ends_with_a_mark(void) {
  /* system: a fill to 100 ops; stack: fails at op 60 (out of memory), then the harness's
   * teardown adds a destroy sample and a reset at the same ops, as mc_wl_run does */
  static mc_result_point sys[11], stk[9];
  for (int i = 0; i <= 10; i++)
    sys[i] = (mc_result_point){
        (uint64_t)i * 10,   (uint64_t)i * 10, (uint64_t)i, (uint64_t)i * 800,
        (uint64_t)i * 1000, 9000000,          0,           (uint64_t)i * 1000 + 4096,
        (uint64_t)i * 1200, (uint64_t)i * 10};
  for (int i = 0; i <= 6; i++)
    stk[i] =
        (mc_result_point){(uint64_t)i * 10,   (uint64_t)i * 10, (uint64_t)i, (uint64_t)i * 800,
                          (uint64_t)i * 3000, 9000000,          0,           (uint64_t)i * 3000,
                          (uint64_t)i * 3000, (uint64_t)i * 10};
  stk[7] = stk[6], stk[7].requested = 0;               /* after the destroy */
  stk[8] = stk[7], stk[8].held = stk[8].footprint = 0; /* after the reset */
  static mc_result_event ev[1] = {{60, 6, MC_RESULT_EV_RESET, 0, 0, 18000, 0}};
  mc_result_run runs[2];
  for (int i = 0; i < 2; i++) {
    mc_plotfix_run(&runs[i], "blocks", "fill", i ? "stack" : "system", 100);
    runs[i].allocator_order = i ? 4 : 0;
  }
  runs[0].ok = 1, runs[0].curve = sys, runs[0].ncurve = 11;
  snprintf(runs[0].status, MC_RESULT_STATUS, "ok");
  runs[1].ok = 0, runs[1].curve = stk, runs[1].ncurve = 9, runs[1].events = ev, runs[1].nevents = 1;
  snprintf(runs[1].status, MC_RESULT_STATUS, "out of memory (stack) at op 60");
  char out[256];
  mc_plot_list l;
  CU_ASSERT_FATAL(mc_plotfix_draw_runs(runs, 2, "failed", MC_PLOT_PNG, out, &l) == MC_OK);
  char *vars = chart_file(out, "curve_blocks_fill", ".vars");
  char *data = chart_file(out, "curve_blocks_fill", ".dat");
  char *marks = chart_file(out, "curve_blocks_fill", ".marks.dat");
  CU_ASSERT_PTR_NOT_NULL_FATAL(vars);
  CU_ASSERT_PTR_NOT_NULL_FATAL(data);
  /* one failure mark at the stack's last held value, in its style; its reason in the key */
  CU_ASSERT(var(vars, "nf") == 1);
  CU_ASSERT(var(vars, "fx1") == 60 && var(vars, "fy1") == 18000);
  CU_ASSERT(strstr(vars, "stack: failed, out of memory") != NULL);
  CU_ASSERT(strstr(vars, "t1=\"system\";") != NULL); /* the finished run's key is its name */
  /* the stack's line stops at the failure: no teardown sample (requested 0, held 0) */
  double rows[16][4];
  size_t n = block(data, 1, rows, 16);
  CU_ASSERT(n == 7);
  CU_ASSERT(rows[n - 1][0] == 60 && rows[n - 1][2] == 18000 && rows[n - 1][3] == 18000);
  /* held and resident are the curve's columns 3 and 4 */
  n = block(data, 0, rows, 16);
  CU_ASSERT(n == 11 && rows[10][2] == 10000 + 4096 && rows[10][3] == 12000);
  /* the reset after the failure is the teardown, not a reset event of the workload */
  CU_ASSERT(marks == NULL || strstr(marks, "60 0 2") == NULL);
  CU_ASSERT(var(vars, "hasreset") == 0);
  /* requested is the same for both up to the failure: one shared line, from the longer run */
  CU_ASSERT(var(vars, "reqshared") == 1 && var(vars, "reqi") == 0);
  free(vars), free(data), free(marks);
  mc_plot_list_free(&l);
}

/* ---- the fixture's charts ----------------------------------------------------------------- */

static char fixout[256];
static int fixture_drawn;

static void draw_fixture(void) {
  if (fixture_drawn) return;
  char file[256], err[256];
  mc_test_path(file, sizeof file, "all.h5");
  mc_test_path(fixout, sizeof fixout, "all");
  mc_results r;
  if (mc_plotfix_write(file, 0) != MC_OK || mc_h5_read(file, &r, err, sizeof err) != MC_OK) return;
  mc_plot_opts o = {.outdir = fixout, .formats = MC_PLOT_PNG};
  mc_plot_list l;
  if (mc_plot_draw(&r, &o, &l, err, sizeof err) == MC_OK) fixture_drawn = 1;
  mc_plot_list_free(&l);
  mc_h5_results_free(&r);
}

/* list/cycles under pool: the slabs stay while each round's list shrinks to almost nothing, so
 * held ÷ requested swept from 64x to over 1024x, a noise band, clipped at the top. Here a pool
 * holding 1 MiB throughout while requested goes 1 MiB .. 1 KiB: only samples holding at least
 * 10 % of the peak requested are drawn, and the axis ends above the largest of them. */
static void test_memcharts_overhead_not_clipped_nor_noise(void) {
  static mc_result_point pts[41];
  size_t kept = 0;
  for (int i = 0; i <= 40; i++) {
    uint64_t req = (uint64_t)1 << (20 - (i % 11)); /* 1 MiB, 512 KiB, ..., 1 KiB */
    pts[i] = (mc_result_point){(uint64_t)i * 10, 0, (uint64_t)i, req,      1u << 20,
                               1u << 22,         0, 1u << 20,    1u << 21, (uint64_t)i * 10};
    kept += req * 10 >= (1u << 20);
  }
  mc_result_run run;
  mc_plotfix_run(&run, "list", "cycles", "pool", 400);
  snprintf(run.status, MC_RESULT_STATUS, "ok");
  run.ok = 1, run.allocator_order = 6, run.curve = pts, run.ncurve = 41;
  char out[256];
  mc_plot_list l;
  CU_ASSERT_FATAL(mc_plotfix_draw_runs(&run, 1, "overhead", MC_PLOT_PNG, out, &l) == MC_OK);
  char *vars = chart_file(out, "overhead_list_cycles", ".vars");
  char *data = chart_file(out, "overhead_list_cycles", ".dat");
  CU_ASSERT_PTR_NOT_NULL_FATAL(vars);
  CU_ASSERT_PTR_NOT_NULL_FATAL(data);
  double rows[64][4], maxr = 0, ymax = var(vars, "ymax");
  size_t n = block(data, 0, rows, 64);
  CU_ASSERT(n == kept && kept > 0);
  for (size_t i = 0; i < n; i++) { /* one sample per slice here: mean = min = max */
    CU_ASSERT(rows[i][1] >= 1.0 && rows[i][1] <= 8.0); /* 1 MiB held over >= 128 KiB */
    CU_ASSERT(rows[i][2] <= rows[i][1] * 1.0001 && rows[i][1] <= rows[i][3] * 1.0001);
    maxr = fmax(maxr, rows[i][3]);
  }
  CU_ASSERT(isfinite(ymax) && ymax > maxr); /* not clipped */
  free(vars), free(data);
  mc_plot_list_free(&l);
}

static void test_memcharts_peak_vs_n_fits_only_where_data(void) {
  draw_fixture();
  CU_ASSERT_FATAL(fixture_drawn);
  /* list/fill: three sizes (1000, 4000, 16000): a fit per allocator, over exactly that range */
  char *vars = chart_file(fixout, "peak_vs_n_list_fill", ".vars");
  CU_ASSERT_PTR_NOT_NULL_FATAL(vars);
  for (int i = 1; i <= 3; i++) {
    char a[8], lo[8], hi[8];
    snprintf(a, sizeof a, "a%d", i), snprintf(lo, sizeof lo, "lo%d", i),
        snprintf(hi, sizeof hi, "hi%d", i);
    CU_ASSERT(isfinite(var(vars, a)));
    CU_ASSERT(fabs(var(vars, lo) - 1000) < 1e-6 && fabs(var(vars, hi) - 16000) < 1e-3);
  }
  free(vars);
  /* binary-trees: two depths only: no fit (two points always fit), said in the key */
  vars = chart_file(fixout, "peak_vs_n_tree_binary-trees", ".vars");
  CU_ASSERT_PTR_NOT_NULL_FATAL(vars);
  CU_ASSERT(isnan(var(vars, "a1")) && isnan(var(vars, "a2")));
  CU_ASSERT(strstr(vars, "(2 sizes, no fit)") != NULL);
  CU_ASSERT(var(vars, "lo1") == 4 && var(vars, "hi1") == 6);
  free(vars);
  /* the script draws the fit only inside [lo, hi] */
  char *gp = slurp(MC_PLOTS_DIR "/peak_vs_n.gp");
  CU_ASSERT_PTR_NOT_NULL_FATAL(gp);
  CU_ASSERT(strstr(gp, "fa(i) == fa(i) && inr(i, x)") != NULL);
  free(gp);
}

static void test_memcharts_tradeoff_readable(void) {
  draw_fixture();
  CU_ASSERT_FATAL(fixture_drawn);
  /* list/fill at N = 16000: system, arena, pool; pool has one failed repetition of three */
  char *vars = chart_file(fixout, "tradeoff_list_fill", ".vars");
  char *data = chart_file(fixout, "tradeoff_list_fill", ".dat");
  char *front = chart_file(fixout, "tradeoff_list_fill", ".marks.dat");
  CU_ASSERT_PTR_NOT_NULL_FATAL(vars);
  CU_ASSERT_PTR_NOT_NULL_FATAL(data);
  CU_ASSERT_PTR_NOT_NULL_FATAL(front);
  CU_ASSERT(var(vars, "ns") == 3 || strstr(vars, "t3=") != NULL);
  CU_ASSERT(strstr(vars, "pool (1 of 3 reps failed: not ranked)") != NULL);
  double rows[8][4], fr[8][4];
  size_t nf = block(front, 0, fr, 8);
  CU_ASSERT(nf >= 1);
  /* every allocator has its point (held, time, resident), resident beside held */
  for (size_t s = 0; s < 3; s++) {
    CU_ASSERT_FATAL(block(data, s, rows, 8) == 1);
    CU_ASSERT(rows[0][2] == rows[0][0] + 200000);
    for (size_t k = 0; k < nf && s == 2; k++) /* pool: never on the front */
      CU_ASSERT(!(fr[k][0] == rows[0][0] && fr[k][1] == rows[0][1]));
  }
  /* no text labels at the points (they overprinted); the front is drawn last, ringed */
  char *gp = slurp(MC_PLOTS_DIR "/tradeoff.gp");
  CU_ASSERT_PTR_NOT_NULL_FATAL(gp);
  CU_ASSERT(strstr(gp, "with labels") == NULL);
  /* markers shrink in drawing order: one drawn over another at the same place leaves its rim */
  CU_ASSERT(strstr(gp, "msize(i) = 2 + 0.18 * (ns - i)") != NULL);
  const char *fp = strstr(gp, "front using"), *pts = strstr(gp, "with points ls st(i) ps msize(i)");
  CU_ASSERT(fp && pts && fp > pts && strstr(fp, "linespoints") != NULL);
  free(gp), free(vars), free(data), free(front);
}

static void test_memcharts_gc_heap_marks_on_the_line(void) {
  draw_fixture();
  CU_ASSERT_FATAL(fixture_drawn);
  char *data = chart_file(fixout, "gc_heap_list_cycles", ".dat");
  char *marks = chart_file(fixout, "gc_heap_list_cycles", ".marks.dat");
  CU_ASSERT_PTR_NOT_NULL_FATAL(data);
  CU_ASSERT_PTR_NOT_NULL_FATAL(marks);
  double rows[128][4], mk[64][4];
  size_t n = block(data, 0, rows, 128), nm = block(marks, 0, mk, 64);
  CU_ASSERT(n > 0 && nm > 0);
  for (size_t k = 0; k < nm; k++) { /* (t, held) of the mark is a vertex (t, held) of the line */
    int on = 0;
    for (size_t i = 0; i < n; i++) on |= rows[i][0] == mk[k][0] && rows[i][2] == mk[k][1];
    CU_ASSERT(on);
  }
  free(data), free(marks);
}

/* The report's verdict on memory: leanest on peak held, never a configuration with a failed
 * repetition, and a flag when resident names another leanest by more than 10 %. */
static void test_memcharts_leanest_and_disagreement(void) {
  mc_plotdata_cell c[4];
  memset(c, 0, sizeof c);
  const char *names[] = {"system", "jemalloc", "pool", "arena"};
  double held[] = {100, 90, 50, 95}, res[] = {100, 120, 60, 80};
  for (int i = 0; i < 4; i++) {
    snprintf(c[i].allocator, MC_RESULT_NAME, "%s", names[i]);
    c[i].n = 10, c[i].ok = 1, c[i].reps = 3, c[i].peak_held = held[i], c[i].peak_resident = res[i];
  }
  c[2].nfailed = 1; /* pool holds least, but a repetition failed: never the winner */
  const mc_plotdata_cell *h, *r;
  CU_ASSERT(mc_plotdata_leanest(c, 0, 4, 10, 0) == &c[1]); /* jemalloc on held */
  CU_ASSERT(mc_plotdata_leanest(c, 0, 4, 10, 1) == &c[3]); /* arena on resident */
  CU_ASSERT(mc_plotdata_lean_disagree(c, 0, 4, 10, &h, &r) == 1 && h == &c[1] && r == &c[3]);
  c[1].peak_resident = 85; /* within 10 %: not a disagreement worth a flag */
  CU_ASSERT(mc_plotdata_lean_disagree(c, 0, 4, 10, NULL, NULL) == 0);
  CU_ASSERT(mc_plotdata_leanest(c, 0, 4, 99, 0) == NULL); /* no cell at that N */
}

static int add_suites(void) {
  static CU_TestInfo tests[] = {
      {"test_memcharts_failed_run_ends_with_a_mark", test_memcharts_failed_run_ends_with_a_mark},
      {"test_memcharts_overhead_not_clipped_nor_noise",
       test_memcharts_overhead_not_clipped_nor_noise},
      {"test_memcharts_peak_vs_n_fits_only_where_data",
       test_memcharts_peak_vs_n_fits_only_where_data},
      {"test_memcharts_tradeoff_readable", test_memcharts_tradeoff_readable},
      {"test_memcharts_gc_heap_marks_on_the_line", test_memcharts_gc_heap_marks_on_the_line},
      {"test_memcharts_leanest_and_disagreement", test_memcharts_leanest_and_disagreement},
      CU_TEST_INFO_NULL,
  };
  return mc_test_add_suite("memcharts", tests);
}

int main(void) { return mc_test_main(add_suites); }
