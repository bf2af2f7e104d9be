/* cmd_info.c — `memcurve info FILE`: root attributes, then one line per run with its status
 * and medians over the finished repetitions. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mc_cli_impl.h"
#include "mc_error.h"
#include "mc_stats.h"

int mc_cli_info(int argc, char **argv) {
  int st = mc_cli_operands("info",
                           "usage: memcurve info FILE\n  Prints a results file's attributes and "
                           "one line per run: status, curve points, events, median wall time, "
                           "peak footprint and peak RSS.",
                           argc, argv);
  if (st) return st > 0 ? MC_OK : st;
  argc -= optind - 1, argv += optind - 1; /* argv[1..]: the operands */
  if (argc != 2) return mc_cli_bad("info", "expected one FILE (see memcurve info --help)%s", "");
  mc_results r;
  if (mc_cli_load("info", argv[1], &r)) return MC_EFORMAT;
  const mc_result_meta *m = &r.meta;
  printf("file:          %s\nschema:        %d\ncreated (UTC): %s\nhost:          %s\n"
         "cpu:           %s\ncompiler:      %s\ncflags:        %s\nlibraries:     %s\n"
         "command:       %s\nruns:          %zu (summary rows %zu, throughput rows %zu)\n",
         argv[1], (int)m->schema_version, m->created_utc, m->host, m->cpu, m->compiler,
         m->cflags, m->library_versions, m->command_line, r.nruns, r.nsummary, r.ntput);
  puts("(medians over the finished repetitions; wall in ms, peak footprint and RSS in bytes)");
  printf("%-10s %-12s %-10s %10s %6s %6s %12s %12s %12s  %s\n", "structure", "workload",
         "allocator", "n", "points", "events", "wall_ms", "peak_foot", "peak_rss", "status");
  double v[1024];
  for (size_t i = 0; i < r.nruns; i++) {
    const mc_result_run *x = &r.runs[i];
    size_t k = mc_cli_collect(&r, x->structure, x->workload, x->allocator, x->n, 0, v, 1024);
    double wall = mc_stats_median(v, k) / 1e6;
    mc_cli_collect(&r, x->structure, x->workload, x->allocator, x->n, 1, v, 1024);
    double foot = mc_stats_median(v, k);
    mc_cli_collect(&r, x->structure, x->workload, x->allocator, x->n, 2, v, 1024);
    double rss = mc_stats_median(v, k);
    if (k == 0) /* no finished repetition: nothing to take a median of */
      printf("%-10s %-12s %-10s %10llu %6zu %6zu %12s %12s %12s  %s\n", x->structure,
             x->workload, x->allocator, (unsigned long long)x->n, x->ncurve, x->nevents, "-", "-",
             "-", x->status);
    else
      printf("%-10s %-12s %-10s %10llu %6zu %6zu %12.3f %12.0f %12.0f  %s\n", x->structure,
             x->workload, x->allocator, (unsigned long long)x->n, x->ncurve, x->nevents, wall,
             foot, rss, x->status);
  }
  if (r.ntput) printf("throughput: %zu Google Benchmark results\n", r.ntput);
  mc_h5_results_free(&r);
  return MC_OK;
}
