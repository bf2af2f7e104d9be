/* cmd_compare.c — `memcurve compare A B`: pairs runs by (structure, workload, allocator, N),
 * uses only finished repetitions, and reports medians (robust to the odd slow repetition on a
 * shared machine); with >= 5 repetitions on both sides it adds a Mann-Whitney U test on the
 * wall times (mc_stats). */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mc_cli_impl.h"
#include "mc_error.h"
#include "mc_stats.h"

int mc_cli_compare(int argc, char **argv) {
  int st = mc_cli_operands(
      "compare",
      "usage: memcurve compare A B\n  For every run in both files: median wall time, peak "
      "footprint and peak RSS of B over A,\n  and a two-sided Mann-Whitney U test on the wall "
      "times when both have >= 5 repetitions\n  (exact without ties up to 25 per side, else the "
      "normal approximation).",
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
  printf("%-10s %-12s %-10s %10s %9s %9s %9s %5s %9s  %s\n", "structure", "workload", "allocator",
         "n", "time B/A", "foot B/A", "rss B/A", "reps", "p (MWU)", "");
  size_t matched = 0;
  static double wa[1024], wb[1024], x[1024], y[1024];
  for (size_t i = 0; i < a.nruns; i++) {
    const mc_result_run *r = &a.runs[i];
    int in_b = 0;
    for (size_t j = 0; j < b.nruns && !in_b; j++)
      in_b = b.runs[j].n == r->n && !strcmp(b.runs[j].structure, r->structure) &&
             !strcmp(b.runs[j].workload, r->workload) && !strcmp(b.runs[j].allocator, r->allocator);
    if (!in_b) continue;
    matched++;
    size_t na = mc_cli_collect(&a, r->structure, r->workload, r->allocator, r->n, 0, wa, 1024);
    size_t nb = mc_cli_collect(&b, r->structure, r->workload, r->allocator, r->n, 0, wb, 1024);
    if (na == 0 || nb == 0) {
      printf("%-10s %-12s %-10s %10llu  (no finished repetitions on one side)\n", r->structure,
             r->workload, r->allocator, (unsigned long long)r->n);
      continue;
    }
    double ratio[3];
    for (int f = 0; f < 3; f++) {
      size_t kx = mc_cli_collect(&a, r->structure, r->workload, r->allocator, r->n, f, x, 1024);
      size_t ky = mc_cli_collect(&b, r->structure, r->workload, r->allocator, r->n, f, y, 1024);
      double mx = mc_stats_median(x, kx), my = mc_stats_median(y, ky);
      ratio[f] = kx && ky && mx > 0 ? my / mx : 0; /* no finished repetition: no ratio */
    }
    char pbuf[32] = "-", note[32] = "";
    if (na >= 5 && nb >= 5) {
      double u, p;
      int exact;
      if (mc_stats_mwu(wa, na, wb, nb, &u, &p, &exact) == 0) {
        snprintf(pbuf, sizeof pbuf, "%.4f", p);
        snprintf(note, sizeof note, "%s%s", exact ? "exact" : "normal",
                 p < 0.05 ? (ratio[0] > 1 ? ", B slower" : ", B faster") : "");
      }
    }
    char reps[48];
    snprintf(reps, sizeof reps, "%zu/%zu", na, nb);
    printf("%-10s %-12s %-10s %10llu %9.3f %9.3f %9.3f %5s %9s  %s\n", r->structure, r->workload,
           r->allocator, (unsigned long long)r->n, ratio[0], ratio[1], ratio[2], reps, pbuf, note);
  }
  printf("%zu runs in both files (%zu in A, %zu in B)\n", matched, a.nruns, b.nruns);
  mc_h5_results_free(&a);
  mc_h5_results_free(&b);
  return MC_OK;
}
