/* cmd_list.c — `memcurve list`: the structures, workloads, allocators and suites this build can
 * run. */
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

int mc_cli_list(int argc, char **argv) {
  int st = mc_cli_operands("list",
                           "usage: memcurve list\n  Prints the structures, workloads, allocators "
                           "and suites this build can run.",
                           argc, argv);
  if (st) return st > 0 ? MC_OK : st;
  if (optind < argc) return mc_cli_bad("list", "unexpected argument '%s'", argv[optind]);
  print_names("structures:", mc_wl_structures);
  print_names("workloads:", mc_wl_workloads());
  print_names("allocators:", mc_wl_allocators());
  puts("suites:");
  for (const mc_cli_suite *s = mc_cli_suites; s->name; s++) printf("  %-8s %s\n", s->name, s->what);
  return MC_OK;
}
