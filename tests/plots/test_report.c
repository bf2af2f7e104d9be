/* test_report.c — `memcurve report`: the page references only files that exist, shows the
 * machine, the fastest and leanest allocator and the ratios to system (checked against the
 * fixture's known numbers), escapes every string from the file, prints the Markdown summary,
 * and fails cleanly on a broken file or bad arguments. */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mc_cli.h"
#include "mc_report.h"
#include "plot_fixture.h"
#include "testutil.h"

/* Runs `memcurve report` (mc_cli_report, its exit status) with stdout captured into capture_path.
 */
static int run_report(int argc, char **argv, const char *capture_path) {
  fflush(stdout);
  int saved = dup(1), fd = open(capture_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (saved < 0 || fd < 0) return -1;
  dup2(fd, 1);
  close(fd);
  int st = mc_cli_exit_status(mc_cli_report(argc, argv));
  fflush(stdout);
  dup2(saved, 1);
  close(saved);
  return st;
}

/* Counts the src='...' and href='...' references of html; every one must exist under base. */
static int check_refs(const char *html, const char *base, int *missing) {
  int n = 0;
  *missing = 0;
  for (const char *p = html; (p = strstr(p, "='")) != NULL; p += 2) {
    if (!(p >= html + 4 && (!strncmp(p - 3, "src", 3) || !strncmp(p - 4, "href", 4)))) continue;
    if (p[2] == '#') continue; /* in-page anchors: the browser test follows those */
    const char *end = strchr(p + 2, '\'');
    if (!end) break;
    char rel[512], path[1024];
    snprintf(rel, sizeof rel, "%.*s", (int)(end - p - 2), p + 2);
    snprintf(path, sizeof path, "%s/%s", base, rel);
    struct stat st;
    if (stat(path, &st) != 0 || st.st_size == 0) {
      fprintf(stderr, "report references a missing file: %s\n", path);
      (*missing)++;
    }
    n++;
  }
  return n;
}

static void test_report_full(void) {
  char file[256], out[256], cap[256], rdir[256];
  mc_test_path(file, sizeof file, "full.h5");
  mc_test_path(rdir, sizeof rdir, "full");
  mc_test_path(out, sizeof out, "full/report.html");
  mc_test_path(cap, sizeof cap, "full.md");
  CU_ASSERT_FATAL(mc_plotfix_write(file, MC_PLOTFIX_REPS5) == MC_OK);
  char *argv[] = {"report", file, "--out", out};
  CU_ASSERT_FATAL(run_report(4, argv, cap) == 0);
  char *html = mc_test_slurp(out), *md = mc_test_slurp(cap);
  CU_ASSERT_FATAL(html && md);
  int missing, refs = check_refs(html, rdir, &missing);
  CU_ASSERT(refs >= 2 * 10); /* every chart kind, PNG and SVG */
  CU_ASSERT(missing == 0);
  CU_ASSERT(strstr(html, "Test CPU @ 1 GHz") != NULL);
  CU_ASSERT(strstr(html, "memcurve run --test") != NULL);
  /* list/fill at N = 16000 (5 repetitions, times t, 1.1t, ... 1.4t): system significantly
   * fastest (arena 3x, pool 2x: Mann-Whitney p 0.008 and 0.016, intervals without 1); pool
   * (448 000 B) and arena (449 536 B) within 4 KiB of each other: a tie, never broken by bytes;
   * pool's median over its 4 finished repetitions is 2 x 1.2 / 1.2 = 2.00x */
  CU_ASSERT(strstr(html, "</b> — N = 16000: fastest system, leanest arena ≈ pool") != NULL);
  CU_ASSERT(strstr(html, "3.00× [") != NULL);
  CU_ASSERT(strstr(html, "2.00× [") != NULL);
  CU_ASSERT(strstr(html, "0.88×") != NULL);
  CU_ASSERT(strstr(html, "killed") != NULL); /* the repetition that did not finish */
  /* verdicts first: the matrix, the Pareto sets, the findings, then the sections */
  const char *mx = strstr(html, "id='summary'"), *pa = strstr(html, "id='pareto'"),
             *fi = strstr(html, "id='findings'"), *gr = strstr(html, "<details id='");
  CU_ASSERT(mx && pa && fi && gr && mx < pa && pa < fi && fi < gr);
  CU_ASSERT(strstr(html, "<span class='w'>3.00×</span>") != NULL); /* arena: slower, red */
  CU_ASSERT(strstr(html, "<span class='b'>0.88×</span>") != NULL); /* its memory: leaner */
  /* the findings say who wins where, by how much */
  CU_ASSERT(strstr(html, "system is the fastest in fill") != NULL);
  CU_ASSERT(strstr(html, "; fill arena ≈ pool (0.88×).") != NULL);
  /* navigation: How to read from the top, every section collapsible with its summary */
  const char *how = strstr(html, "href='#how'"), *toc = strstr(html, "id='contents'");
  CU_ASSERT(toc && fi && fi < toc && strstr(html, "href='#contents'") < mx);
  CU_ASSERT(how && mx && how < mx && strstr(html, "id='how'"));
  CU_ASSERT(strstr(html, "<details id='g3-list-fill'><summary>") != NULL);
  CU_ASSERT(strstr(html, "<a href='#g3-list-fill'>") != NULL);
  /* the glossary comes from the file, escaped */
  CU_ASSERT(strstr(html, "<dt>list</dt><dd>doubly linked list &lt;one node per element&gt;</dd>") !=
            NULL);
  CU_ASSERT(strstr(html, "<dt>cycles</dt><dd>build &amp; drop cyclic lists</dd>") != NULL);
  /* the compact table is in the page too */
  CU_ASSERT(strstr(html, "<pre>| structure / workload | N | fastest | leanest | failed |") != NULL);
  /* bench_alloc's rows (no N): their cost chart, under its own heading */
  const char *costs = strstr(html, "<h2 id='costs'>What one allocation costs</h2>");
  CU_ASSERT(costs != NULL && strstr(costs, "cost_alloc_pair16.png") != NULL);
  CU_ASSERT(strstr(md, "| list / fill | 16000 | system (") != NULL);
  CU_ASSERT(strstr(md, "| arena ≈ pool (") != NULL);
  CU_ASSERT(strstr(md, "Report: ") != NULL);
  free(html);
  free(md);
}

/* Touches a one-byte <dir>/<name>.png for every chart of l (the report links existing files
 * only; drawing them all would take gnuplot a minute). */
static void touch_charts(const char *dir, const mc_plot_list *l) {
  mkdir(dir, 0755);
  for (size_t i = 0; i < l->ncharts; i++) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s.png", dir, l->charts[i].name);
    FILE *f = fopen(path, "w");
    if (f) fputc('x', f), fclose(f);
  }
}

/* The baseline, the columns' order and the costs section come from the file's facts, never from
 * names: with system's allocator_order made 8 and pool's 3, pool (the lowest order present) is
 * the baseline and the first column, system the last; the rows that measure one allocation are
 * found by their kind, whatever their structure is called (percall), and rows of a structure
 * named alloc that measure operations are not costs. */
static void test_report_reads_facts_not_names(void) {
  char file[256], dir[256], plots[300], out[300], err[256];
  mc_test_path(file, sizeof file, "facts.h5");
  mc_test_path(dir, sizeof dir, "facts");
  snprintf(plots, sizeof plots, "%s/plots", dir);
  snprintf(out, sizeof out, "%s/report.html", dir);
  CU_ASSERT_FATAL(mc_plotfix_write(file, MC_PLOTFIX_REPS5) == MC_OK);
  mc_results r;
  CU_ASSERT_FATAL(mc_h5_read(file, &r, err, sizeof err) == MC_OK);
  for (size_t i = 0; i < r.nruns; i++) {
    if (!strcmp(r.runs[i].allocator, "system")) r.runs[i].allocator_order = 8;
    if (!strcmp(r.runs[i].allocator, "pool")) r.runs[i].allocator_order = 3;
  }
  for (size_t i = 0; i < r.ntput; i++)
    snprintf(r.tput[i].structure, MC_RESULT_NAME, "%s",
             r.tput[i].kind == MC_RESULT_TPUT_ALLOCATION ? "percall" : "alloc");
  mkdir(dir, 0755);
  mc_plot_opts o = {.outdir = plots, .plan_only = 1};
  mc_plot_list l;
  CU_ASSERT_FATAL(mc_plot_draw(&r, &o, &l, err, sizeof err) == MC_OK);
  touch_charts(plots, &l);
  CU_ASSERT_FATAL(mc_report_write(&r, "facts.h5", out, "plots", &l, NULL, err, sizeof err) ==
                  MC_OK);
  char *html = mc_test_slurp(out);
  CU_ASSERT_FATAL(html != NULL);
  CU_ASSERT(strstr(html, "Summary: time and peak memory against pool</h2>") != NULL);
  CU_ASSERT(strstr(html, "every ratio on this page is to <b>pool</b>") != NULL);
  CU_ASSERT(strstr(html, "<th>time ÷ pool [95 %]</th>") != NULL);
  const char *hp = strstr(html, "<th>pool</th>"), *ha = strstr(html, "<th>arena</th>"),
             *hs = strstr(html, "<th>system</th>");
  CU_ASSERT(hp && ha && hs && hp < ha && ha < hs);
  /* list/fill at 16000 against pool: system (2x faster than pool) is 0.50x its time */
  CU_ASSERT(strstr(html, "system is the fastest in fill (0.50× pool's time)") != NULL);
  const char *costs = strstr(html, "<h2 id='costs'>"), *across = strstr(html, "<h2 id='across'>");
  const char *pc = strstr(html, "plots/cost_percall_pair16.png"),
             *af = strstr(html, "plots/gbench_alloc_fill.png");
  CU_ASSERT(costs && across && pc && af && costs < pc && pc < across && across < af);
  free(html);
  mc_plot_list_free(&l);
  mc_h5_results_free(&r);
}

static void test_report_links_only_existing_charts(void) {
  char file[256], out[256], cap[256], rdir[256], gone[512];
  mc_test_path(file, sizeof file, "nodraw.h5");
  mc_test_path(rdir, sizeof rdir, "nodraw");
  mc_test_path(out, sizeof out, "nodraw/report.html");
  mc_test_path(cap, sizeof cap, "nodraw.md");
  CU_ASSERT_FATAL(mc_plotfix_write(file, MC_PLOTFIX_NO_TPUT) == MC_OK);
  mkdir(rdir, 0755);
  /* no charts drawn yet: the page links none */
  char *nodraw[] = {"report", file, "--out", out, "--no-draw"};
  CU_ASSERT_FATAL(run_report(5, nodraw, cap) == 0);
  char *html = mc_test_slurp(out);
  int missing;
  CU_ASSERT_FATAL(html != NULL);
  CU_ASSERT(check_refs(html, rdir, &missing) == 0);
  free(html);
  /* draw PNGs only, then lose one: the page links the others and not that one */
  char *draw[] = {"report", file, "--out", out, "--format", "png"};
  CU_ASSERT_FATAL(run_report(6, draw, cap) == 0);
  snprintf(gone, sizeof gone, "%s/nodraw/curve_list_fill.png", rdir); /* named after the file */
  CU_ASSERT_FATAL(remove(gone) == 0);
  CU_ASSERT_FATAL(run_report(5, nodraw, cap) == 0);
  html = mc_test_slurp(out);
  CU_ASSERT_FATAL(html != NULL);
  int refs = check_refs(html, rdir, &missing);
  CU_ASSERT(refs > 5);
  CU_ASSERT(missing == 0);
  CU_ASSERT(strstr(html, "curve_list_fill.png") == NULL);
  CU_ASSERT(strstr(html, ".svg") == NULL);
  free(html);
}

static int file_exists(const char *d, const char *name) {
  char path[512];
  struct stat st;
  snprintf(path, sizeof path, "%s/%s", d, name);
  return stat(path, &st) == 0;
}

/* Two results files in one folder: each report's charts go in a folder named after its file
 * (no overwriting), and a chart a report no longer makes is removed, only those it made. */
static void test_report_one_folder_per_file(void) {
  char d[200], a[256], b[256], cap[256], mine[512];
  mc_test_path(d, sizeof d, "two");
  mkdir(d, 0755);
  snprintf(a, sizeof a, "%s/a.h5", d);
  snprintf(b, sizeof b, "%s/b.h5", d);
  mc_test_path(cap, sizeof cap, "two.md");
  CU_ASSERT_FATAL(mc_plotfix_write(a, 0) == MC_OK);
  CU_ASSERT_FATAL(mc_plotfix_write(b, MC_PLOTFIX_NO_TPUT) == MC_OK);
  char *ra[] = {"report", a, "--format", "png"}, *rb[] = {"report", b, "--format", "png"};
  CU_ASSERT_FATAL(run_report(4, ra, cap) == 0);
  CU_ASSERT_FATAL(run_report(4, rb, cap) == 0);
  CU_ASSERT(file_exists(d, "a.html") && file_exists(d, "b.html"));
  CU_ASSERT(file_exists(d, "a/cost_alloc_pair16.png"));  /* a has Google Benchmark rows */
  CU_ASSERT(!file_exists(d, "b/cost_alloc_pair16.png")); /* b has none: not a's chart */
  CU_ASSERT(file_exists(d, "a/curve_list_fill.png") && file_exists(d, "b/curve_list_fill.png"));
  CU_ASSERT(!file_exists(d, "report.html") && !file_exists(d, "plots"));
  char *html = NULL;
  snprintf(mine, sizeof mine, "%s/a.html", d);
  html = mc_test_slurp(mine);
  CU_ASSERT(html && strstr(html, "src='a/curve_list_fill.png'"));
  free(html);
  /* a file of the user's in a/ and a rerun of a without throughput: the cost chart goes, the
   * user's file stays */
  snprintf(mine, sizeof mine, "%s/a/mine.png", d);
  FILE *f = fopen(mine, "w");
  CU_ASSERT_FATAL(f != NULL);
  fputs("x", f);
  fclose(f);
  CU_ASSERT_FATAL(mc_plotfix_write(a, MC_PLOTFIX_NO_TPUT) == MC_OK);
  CU_ASSERT_FATAL(run_report(4, ra, cap) == 0);
  CU_ASSERT(!file_exists(d, "a/cost_alloc_pair16.png"));
  CU_ASSERT(!file_exists(d, "a/data/cost_alloc_pair16.dat"));
  CU_ASSERT(file_exists(d, "a/curve_list_fill.png"));
  CU_ASSERT(file_exists(d, "a/mine.png"));
}

static void test_report_escapes_strings_from_the_file(void) {
  char file[256], out[256], cap[256];
  mc_test_path(file, sizeof file, "hostile.h5");
  mc_test_path(out, sizeof out, "hostile.html");
  mc_test_path(cap, sizeof cap, "hostile.md");
  CU_ASSERT_FATAL(mc_plotfix_write(file, MC_PLOTFIX_HOSTILE) == MC_OK);
  char *argv[] = {"report", file, "--out", out, "--plots", "hostile-plots", "--format=png"};
  CU_ASSERT_FATAL(run_report(7, argv, cap) == 0);
  char *html = mc_test_slurp(out);
  CU_ASSERT_FATAL(html != NULL);
  CU_ASSERT(strstr(html, "<b>host</b>") == NULL);
  CU_ASSERT(strstr(html, "&lt;b&gt;host&lt;/b&gt; &amp; &#39;x&#39;") != NULL);
  CU_ASSERT(strstr(html, "<list>") == NULL);
  CU_ASSERT(strstr(html, "&lt;list&gt; &amp; &quot;co&#39;&quot;") != NULL);
  int missing;
  CU_ASSERT(check_refs(html, mc_test_dir(), &missing) > 0);
  CU_ASSERT(missing == 0);
  free(html);
}

static void test_report_failures_are_clear(void) {
  char file[256], out[256], cap[256];
  mc_test_path(file, sizeof file, "broken.h5");
  mc_test_path(out, sizeof out, "broken.html");
  mc_test_path(cap, sizeof cap, "broken.md");
  CU_ASSERT_FATAL(mc_plotfix_write(file, 0) == MC_OK);
  hid_t f = H5Fopen(file, H5F_ACC_RDWR, H5P_DEFAULT);
  CU_ASSERT_FATAL(f >= 0);
  CU_ASSERT(H5Ldelete(f, "throughput", H5P_DEFAULT) >= 0);
  H5Fclose(f);
  char *argv[] = {"report", file, "--out", out};
  CU_ASSERT(run_report(4, argv, cap) == 2); /* malformed input: exit 2, nothing written */
  CU_ASSERT(access(out, F_OK) != 0);
  char *none[] = {"report"};
  CU_ASSERT(run_report(1, none, cap) == 2);
  char *bad[] = {"report", file, "--plots", "../elsewhere"};
  CU_ASSERT(run_report(4, bad, cap) == 2);
  char *fmt[] = {"report", file, "--format", "svg"};
  CU_ASSERT(run_report(4, fmt, cap) == 2);
  char *help[] = {"report", "--help"};
  CU_ASSERT(run_report(2, help, cap) == 0);
}

static int add_suites(void) {
  static CU_TestInfo tests[] = {
      {"test_report_full", test_report_full},
      {"test_report_reads_facts_not_names", test_report_reads_facts_not_names},
      {"test_report_links_only_existing_charts", test_report_links_only_existing_charts},
      {"test_report_escapes_strings_from_the_file", test_report_escapes_strings_from_the_file},
      {"test_report_one_folder_per_file", test_report_one_folder_per_file},
      {"test_report_failures_are_clear", test_report_failures_are_clear},
      CU_TEST_INFO_NULL,
  };
  return mc_test_add_suite("report", tests);
}

int main(void) { return mc_test_main(add_suites); }
