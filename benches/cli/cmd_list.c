/* cmd_list.c — `memcurve list`: the structures (each with the workloads that apply to it), the
 * workloads (each with what N means and its range), the allocators and the suites this build
 * can run, every fact from the harness's tables (mc_wl_why_not, mc_wl_n_help); sizes are
 * printed as -n reads them (10k, 1M). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "mc_cli_impl.h"
#include "mc_workload.h"

static void print_names(const char *title, const char *const *v) {
  printf("%-11s", title);
  for (; *v; v++) printf(" %s", *v);
  putchar('\n');
}

/* A suite's comma list of sizes in list's form ("10000,100000" -> "10k,100k"). */
static void print_sizes(const char *sizes) {
  char num[32];
  const char *p = sizes;
  while (*p) {
    size_t len = strcspn(p, ",");
    unsigned long long v = 0;
    for (size_t i = 0; i < len; i++) v = v * 10 + (unsigned)(p[i] - '0');
    printf("%s%s", p == sizes ? "" : ",", mc_cli_fmt_count(v, num, sizeof num));
    p += len + (p[len] == ',');
  }
}

int mc_cli_list(int argc, char **argv) {
  int st = mc_cli_operands("list",
                           "usage: memcurve list\n  Prints the structures with the workloads that "
                           "apply to each, the workloads with what N means,\n  the allocators and "
                           "the suites this build can run. Sizes take k, M, G (10k = 10000).",
                           argc, argv);
  if (st) return st > 0 ? MC_OK : st;
  if (optind < argc) return mc_cli_bad("list", "unexpected argument '%s'", argv[optind]);
  print_names("structures:", mc_wl_structures);
  print_names("workloads:", mc_wl_workloads());
  print_names("allocators:", mc_wl_allocators());
  puts("\nstructure   workloads that apply (-s S -w W)");
  char why[200];
  for (const char *const *s = mc_wl_structures; *s; s++) {
    printf("  %-9s", *s);
    for (const char *const *w = mc_wl_workloads(); *w; w++)
      if (mc_wl_why_not(*s, *w, 0, why, sizeof why)) printf(" %s", *w);
    putchar('\n');
  }
  puts("\nworkload        N (-n, k/M/G suffixes: 10k = 10000)");
  for (const char *const *w = mc_wl_workloads(); *w; w++)
    printf("  %-14s%s\n", *w, mc_wl_n_help(*w));
  puts("\nsuites (--suite NAME): groups of structures x workloads x allocators x N (-a *: every "
       "allocator of the table marked for suites)");
  for (const mc_cli_suite *s = mc_cli_suites; s->name; s++) {
    printf("  %-8s %s\n", s->name, s->what);
    for (int g = 0; g < 4 && s->g[g].structures; g++) {
      printf("           -s %s -w %s -a %s -n ", s->g[g].structures, s->g[g].workloads,
             s->g[g].allocators);
      print_sizes(s->g[g].sizes);
      putchar('\n');
    }
  }
  return MC_OK;
}
