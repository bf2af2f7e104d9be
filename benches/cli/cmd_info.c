/* cmd_info.c — `memcurve info FILE`: root attributes, then one line per run with its status
 * and medians over the finished repetitions, then the provenance rows (host, CPU, kernel, build,
 * command) the runs point at. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mc_cli_impl.h"
#include "mc_error.h"
#include "mc_prov.h"
#include "mc_stats.h"

int mc_cli_info(int argc, char **argv) {
  int st = mc_cli_operands("info",
                           "usage: memcurve info FILE\n  Prints a results file's attributes and "
                           "one line per run: status, curve points, events, median wall time, "
                           "peak and final held and resident memory, failed repetitions.",
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
         argv[1], (int)m->schema_version, m->created_utc, m->host, m->cpu, m->compiler, m->cflags,
         m->library_versions, m->command_line, r.nruns, r.nsummary, r.ntput);
  puts("(medians over the finished repetitions; wall in ms; memory in bytes: held = what the "
       "allocator holds from the layer below, resident = RSS above the run's baseline; "
       "failed = repetitions with ok 0)");
  printf("%-10s %-12s %-10s %10s %6s %6s %10s %12s %12s %12s %12s %6s  %s\n", "structure",
         "workload", "allocator", "n", "points", "events", "wall_ms", "peak_held", "peak_res",
         "final_held", "final_res", "failed", "status");
  double v[1024];
  for (size_t i = 0; i < r.nruns; i++) {
    const mc_result_run *x = &r.runs[i];
    double med[7];
    size_t k = 0;
    for (int f = 0; f < 7; f++) {
      k = mc_cli_collect(&r, x->structure, x->workload, x->allocator, x->n, f, v, 1024);
      med[f] = mc_stats_median(v, k);
    }
    size_t failed = 0;
    for (size_t s = 0; s < r.nsummary; s++)
      failed += !r.summary[s].ok &&
                mc_cli_same_key(&r.summary[s], x->structure, x->workload, x->allocator, x->n);
    printf("%-10s %-12s %-10s %10llu %6zu %6zu ", x->structure, x->workload, x->allocator,
           (unsigned long long)x->n, x->ncurve, x->nevents);
    if (k == 0) /* no finished repetition: nothing to take a median of */
      printf("%10s %12s %12s %12s %12s", "-", "-", "-", "-", "-");
    else
      printf("%10.3f %12.0f %12.0f %12.0f %12.0f", med[0] / 1e6, med[3], med[4], med[5], med[6]);
    printf(" %6zu  %s\n", failed, x->status);
  }
  if (r.ntput) printf("throughput: %zu Google Benchmark results\n", r.ntput);
  char hosts[512];
  size_t nh = mc_prov_hosts(&r, hosts, sizeof hosts);
  printf("provenance:    %zu row(s) (where and how the runs ran), %zu host(s): %s%s\n", r.nprov, nh,
         hosts, nh > 1 ? "; timings are compared only between runs of one host" : "");
  for (size_t i = 0; i < r.nprov && i < 20; i++) /* a merged sweep has one row per shard */
    printf("  [%zu] host %s; cpu %s; kernel %s; %s %s; memcurve %s; %s; command: %s\n", i,
           r.prov[i].host, r.prov[i].cpu, r.prov[i].kernel[0] ? r.prov[i].kernel : "unknown",
           r.prov[i].compiler, r.prov[i].cflags,
           r.prov[i].version[0] ? r.prov[i].version : "unknown", r.prov[i].library_versions,
           r.prov[i].command_line);
  if (r.nprov > 20) printf("  ... and %zu more\n", r.nprov - 20);
  mc_h5_results_free(&r);
  return MC_OK;
}
