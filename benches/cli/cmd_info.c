/* cmd_info.c — `memcurve info FILE [-s S] [-w W] [-a A] [-n N] [--bytes]`: root attributes,
 * then one line per run (those the filters keep: comma lists, as `run` takes them) with its
 * status and medians over the finished repetitions, memory in human units (--bytes: raw), then
 * the provenance rows (host, CPU, kernel, build, command) the runs point at. */
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

const struct option mc_cli_info_opts[] = {{"structures", 1, 0, 's'},
                                          {"workloads", 1, 0, 'w'},
                                          {"allocators", 1, 0, 'a'},
                                          {"sizes", 1, 0, 'n'},
                                          {"bytes", 0, 0, 'b'},
                                          {"help", 0, 0, 'h'},
                                          {0, 0, 0, 0}};

static const char usage[] =
    "usage: memcurve info FILE [-s LIST] [-w LIST] [-a LIST] [-n LIST] [--bytes]\n"
    "  Prints a results file's attributes and one line per run: status, curve points, events,\n"
    "  median wall time, peak and final held and resident memory, failed repetitions.\n"
    "  -s, --structures LIST  only these structures (comma list; likewise:)\n"
    "  -w, --workloads LIST   only these workloads\n"
    "  -a, --allocators LIST  only these allocators\n"
    "  -n, --sizes LIST       only these N (k, M, G suffixes: 10k)\n"
    "  --bytes                memory in bytes (default: KiB, MiB, GiB)\n";

/* 1 if name is in the comma list (NULL: no filter). */
static int in_filter(const char *list, const char *name) {
  if (!list) return 1;
  size_t len = strlen(name);
  for (const char *p = list; *p;) {
    size_t k = strcspn(p, ",");
    if (k == len && strncmp(p, name, len) == 0) return 1;
    p += k + (p[k] == ',');
  }
  return 0;
}

/* 1 if n is in the comma list of sizes (NULL: no filter); -1 if the list has a bad size. */
static int in_sizes(const char *list, uint64_t n) {
  if (!list) return 1;
  char buf[64];
  for (const char *p = list; *p;) {
    size_t k = strcspn(p, ",");
    uint64_t v;
    snprintf(buf, sizeof buf, "%.*s", (int)(k < 63 ? k : 63), p);
    if (mc_cli_parse_size(buf, 1000, 1, UINT64_MAX, &v)) return -1;
    if (v == n) return 1;
    p += k + (p[k] == ',');
  }
  return 0;
}

static void mem(double v, int bytes) {
  char b[32];
  if (bytes)
    printf(" %12.0f", v);
  else
    printf(" %12s", mc_cli_fmt_bytes(v, b, sizeof b));
}

/* The provenance rows of r's runs (where and how they ran), the first 20 of them: a merged
 * sweep has one per shard. */
static void print_provenance(const mc_results *r) {
  char hosts[512];
  size_t nh = mc_prov_hosts(r, hosts, sizeof hosts);
  printf("provenance:    %zu row(s) (where and how the runs ran), %zu host(s): %s%s\n", r->nprov,
         nh, hosts, nh > 1 ? "; timings are compared only between runs of one host" : "");
  for (size_t i = 0; i < r->nprov && i < 20; i++) {
    const mc_result_prov *p = &r->prov[i];
    char ver[80] = ""; /* the version, unless library_versions already says it */
    if (!strstr(p->library_versions, "memcurve "))
      snprintf(ver, sizeof ver, "memcurve %.60s; ", p->version[0] ? p->version : "unknown");
    printf("  [%zu] host %s; cpu %s; kernel %s; %s %s; %s%s; command: %s\n", i, p->host, p->cpu,
           p->kernel[0] ? p->kernel : "unknown", p->compiler, p->cflags, ver, p->library_versions,
           p->command_line);
  }
  if (r->nprov > 20) printf("  ... and %zu more\n", r->nprov - 20);
}

int mc_cli_info(int argc, char **argv) {
  const char *fs = NULL, *fw = NULL, *fa = NULL, *fn = NULL;
  int bytes = 0, c;
  optind = 0; /* glibc: a fresh scan, operands permuted to the end */
  opterr = 0;
  while ((c = getopt_long(argc, argv, "s:w:a:n:h", mc_cli_info_opts, NULL)) != -1) {
    switch (c) {
    case 'h': fputs(usage, stdout); return MC_OK;
    case 's': fs = optarg; break;
    case 'w': fw = optarg; break;
    case 'a': fa = optarg; break;
    case 'n': fn = optarg; break;
    case 'b': bytes = 1; break;
    default: return mc_cli_bad("info", "bad option '%s' (see --help)", argv[optind - 1]);
    }
  }
  if (in_sizes(fn, 0) < 0) return mc_cli_bad("info", "bad size in '%s' (10k, 1M, ...)", fn);
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
  if (r.nruns) { /* an import holds throughput rows only: no table of runs, no provenance */
    printf("(medians over the finished repetitions; wall in ms; memory in %s: held = what the "
           "allocator holds from the layer below, resident = RSS above the run's baseline; "
           "failed = repetitions with ok 0)\n",
           bytes ? "bytes" : "KiB/MiB/GiB (--bytes: bytes)");
    printf("%-10s %-12s %-10s %10s %6s %6s %10s %12s %12s %12s %12s %6s  %s\n", "structure",
           "workload", "allocator", "n", "points", "events", "wall_ms", "peak_held", "peak_res",
           "final_held", "final_res", "failed", "status");
  }
  double v[1024];
  size_t shown = 0;
  for (size_t i = 0; i < r.nruns; i++) {
    const mc_result_run *x = &r.runs[i];
    if (!in_filter(fs, x->structure) || !in_filter(fw, x->workload) ||
        !in_filter(fa, x->allocator) || in_sizes(fn, x->n) != 1)
      continue;
    shown++;
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
    else {
      printf("%10.3f", med[0] / 1e6);
      for (int f = 3; f < 7; f++) mem(med[f], bytes);
    }
    printf(" %6zu  %s\n", failed, x->status);
  }
  if (shown < r.nruns) printf("(%zu of %zu runs match the filters)\n", shown, r.nruns);
  if (r.ntput) printf("throughput: %zu Google Benchmark results\n", r.ntput);
  if (r.nruns) print_provenance(&r);
  mc_h5_results_free(&r);
  return MC_OK;
}
