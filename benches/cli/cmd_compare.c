/* cmd_compare.c — `memcurve compare A B`: pairs runs by (structure, workload, allocator, N),
 * uses only finished repetitions, and reports the ratio of medians of B over A with its verdict
 * (mc_stats_compare): a difference counts only when a two-sided Mann-Whitney U test gives
 * p < 0.05 AND the seeded bootstrap 95 % interval of the ratio of medians excludes 1; else "no
 * significant difference". A side whose wall times spread (max/min) over 1.5 is named: its
 * machine was too noisy for the verdict to mean much. Memory ratios within 1 % or a page are
 * printed as "≈" (mc_stats_mem_same). A run measured on different hosts in A and B (per run
 * provenance, mc_prov.h) gets no time ratio and no time verdict: its memory only. */
#define _GNU_SOURCE
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mc_cli_impl.h"
#include "mc_error.h"
#include "mc_prov.h"
#include "mc_stats.h"

#define CAP 1024

static void mem_ratio(char *buf, size_t n, const mc_results *a, const mc_results *b,
                      const mc_result_run *r, int field) {
  static double x[CAP], y[CAP];
  size_t kx = mc_cli_collect(a, r->structure, r->workload, r->allocator, r->n, field, x, CAP);
  size_t ky = mc_cli_collect(b, r->structure, r->workload, r->allocator, r->n, field, y, CAP);
  double mx = mc_stats_median(x, kx), my = mc_stats_median(y, ky);
  if (!kx || !ky || !(mx > 0))
    snprintf(buf, n, "-");
  else if (mc_stats_mem_same(mx, my))
    snprintf(buf, n, "≈ %.3f", my / mx);
  else
    snprintf(buf, n, "%.3f", my / mx);
}

/* The memory-only line of run r when A and B measured it on different hosts. */
static void compare_memory_only(const mc_results *a, const mc_results *b, const mc_result_run *r,
                                const char *ha, const char *hb) {
  char fp[24], rs[24];
  mem_ratio(fp, sizeof fp, a, b, r, 1);
  mem_ratio(rs, sizeof rs, a, b, r, 2);
  printf("%9s %-17s %8s %9s %9s %7s  timings not compared: A ran on %s, B on %s (memory only)\n",
         "-", "-", "-", fp, rs, "-", ha, hb);
}

/* One line for run r of A matched in B. Returns 1 when a side was too noisy. */
static int compare_one(const mc_results *a, const mc_results *b, const mc_result_run *r) {
  static double wa[CAP], wb[CAP];
  size_t na = mc_cli_collect(a, r->structure, r->workload, r->allocator, r->n, 0, wa, CAP);
  size_t nb = mc_cli_collect(b, r->structure, r->workload, r->allocator, r->n, 0, wb, CAP);
  printf("%-10s %-12s %-10s %10llu ", r->structure, r->workload, r->allocator,
         (unsigned long long)r->n);
  if (na == 0 || nb == 0) {
    printf(" (no finished repetitions on one side)\n");
    return 0;
  }
  const char *ha = r->prov ? r->prov->host : "",
             *hb = mc_prov_host_of(b, r->structure, r->workload, r->allocator, r->n);
  if (strcmp(ha, hb)) {
    compare_memory_only(a, b, r, ha, hb);
    return -1;
  }
  mc_stats_cmp c;
  mc_stats_compare(wa, na, wb, nb, 1, &c);
  char ci[48] = "-", pv[24] = "-", fp[24], rs[24], reps[48];
  if (isfinite(c.lo)) snprintf(ci, sizeof ci, "[%.3f, %.3f]", c.lo, c.hi);
  if (isfinite(c.p)) snprintf(pv, sizeof pv, "%.4f%s", c.p, c.exact ? "" : "~");
  mem_ratio(fp, sizeof fp, a, b, r, 1);
  mem_ratio(rs, sizeof rs, a, b, r, 2);
  snprintf(reps, sizeof reps, "%zu/%zu", na, nb);
  const char *verdict = c.verdict < 0      ? "B faster"
                        : c.verdict > 0    ? "B slower"
                        : na < 4 || nb < 4 ? "no significant difference (too few repetitions)"
                                           : "no significant difference";
  printf("%9.3f %-17s %8s %9s %9s %7s  %s", c.ratio, ci, pv, fp, rs, reps, verdict);
  int noisy = 0;
  if (c.spread_a > MC_STATS_SPREAD)
    printf("; warning: A spreads %.2fx (max/min)", c.spread_a), noisy = 1;
  if (c.spread_b > MC_STATS_SPREAD)
    printf("; warning: B spreads %.2fx (max/min)", c.spread_b), noisy = 1;
  putchar('\n');
  return noisy;
}

int mc_cli_compare(int argc, char **argv) {
  int st = mc_cli_operands(
      "compare",
      "usage: memcurve compare A B\n  For every run in both files: median wall time, peak "
      "footprint and peak RSS of B over A.\n  The time verdict needs both a two-sided "
      "Mann-Whitney U test (p < 0.05; exact without ties\n  up to 25 per side, else the normal "
      "approximation, marked ~) and a bootstrap 95 % interval\n  of the ratio of medians "
      "(2000 resamples, seed 1) that excludes 1; else \"no significant\n  difference\". A side "
      "whose times spread over 1.5x (max/min) is warned about.",
      argc, argv);
  if (st) return st > 0 ? MC_OK : st;
  argc -= optind - 1, argv += optind - 1; /* argv[1..]: the operands */
  if (argc != 3)
    return mc_cli_bad("compare", "expected two files A B (see memcurve compare --help)%s", "");
  mc_results a, b;
  if (mc_cli_load("compare", argv[1], &a)) return MC_EFORMAT;
  if (mc_cli_load("compare", argv[2], &b)) {
    mc_h5_results_free(&a);
    return MC_EFORMAT;
  }
  printf("%-10s %-12s %-10s %10s %9s %-17s %8s %9s %9s %7s  %s\n", "structure", "workload",
         "allocator", "n", "time B/A", "95% interval", "p (MWU)", "foot B/A", "rss B/A", "reps",
         "verdict");
  size_t matched = 0, noisy = 0, hosts = 0;
  for (size_t i = 0; i < a.nruns; i++) {
    const mc_result_run *r = &a.runs[i];
    int in_b = 0;
    for (size_t j = 0; j < b.nruns && !in_b; j++)
      in_b = b.runs[j].n == r->n && !strcmp(b.runs[j].structure, r->structure) &&
             !strcmp(b.runs[j].workload, r->workload) && !strcmp(b.runs[j].allocator, r->allocator);
    if (!in_b) continue;
    matched++;
    int one = compare_one(&a, &b, r);
    noisy += one > 0;
    hosts += one < 0;
  }
  printf("time B/A: ratio of median wall times; the interval: bootstrap 95 %% (%d resamples, "
         "seed 1); a verdict needs p < %.2f and an interval without 1. Memory: \"≈\" within "
         "1 %% or 4 KiB.\n",
         MC_STATS_BOOT, MC_STATS_ALPHA);
  if (noisy)
    printf("warning: %zu run(s) with a spread over %.1fx on one side: the machine was noisy\n",
           noisy, MC_STATS_SPREAD);
  if (hosts)
    printf("note: %zu run(s) were measured on different hosts in A and B: timings of two hosts "
           "are never compared, only their memory (host-independent for the same build)\n",
           hosts);
  printf("%zu runs in both files (%zu in A, %zu in B)\n", matched, a.nruns, b.nruns);
  mc_h5_results_free(&a);
  mc_h5_results_free(&b);
  return MC_OK;
}
