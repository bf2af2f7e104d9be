/* memcurve.c — the command: `memcurve run | list | info | compare | merge | plot | report`.
 * main only dispatches to the subcommand (one file each in this folder: cmd_<name>.c), which
 * returns an MC_E* code, and maps the code to the exit status (mc_cli_exit_status: 0, 1, 2,
 * 130); `__child` is the runner's child side.
 */
#include <stdio.h>
#include <string.h>

#include "mc_cli.h"
#include "mc_runner.h"

static const char usage[] =
    "usage: memcurve <command> [options]   (memcurve <command> --help for each)\n"
    "  run      run a sweep of memory-curve runs into an HDF5 results file\n"
    "  list     structures, workloads, allocators and suites available\n"
    "  info     describe a results file\n"
    "  compare  compare two results files run by run (time, peak memory, Mann-Whitney U)\n"
    "  merge    merge several results files (e.g. shards) into one\n"
    "  plot     draw the charts of a results file (gnuplot)\n"
    "  report   write the HTML report of a results file\n"
    "  trace    the memory curve of any program, sampled from outside, as a run\n";

int main(int argc, char **argv) {
  if (argc < 2) {
    fputs(usage, stderr);
    return 2;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
    fputs(usage, stdout);
    return 0;
  }
  if (strcmp(cmd, "__child") == 0) return mc_runner_child_main(argc - 1, argv + 1);
  if (strcmp(cmd, "run") == 0) return mc_cli_exit_status(mc_cli_run(argc - 1, argv + 1));
  if (strcmp(cmd, "list") == 0) return mc_cli_exit_status(mc_cli_list(argc - 1, argv + 1));
  if (strcmp(cmd, "info") == 0) return mc_cli_exit_status(mc_cli_info(argc - 1, argv + 1));
  if (strcmp(cmd, "compare") == 0) return mc_cli_exit_status(mc_cli_compare(argc - 1, argv + 1));
  if (strcmp(cmd, "merge") == 0) return mc_cli_exit_status(mc_cli_merge(argc - 1, argv + 1));
  if (strcmp(cmd, "plot") == 0) return mc_cli_exit_status(mc_cli_plot(argc - 1, argv + 1));
  if (strcmp(cmd, "report") == 0) return mc_cli_exit_status(mc_cli_report(argc - 1, argv + 1));
  if (strcmp(cmd, "trace") == 0) return mc_cli_exit_status(mc_cli_trace(argc - 1, argv + 1));
  fprintf(stderr, "memcurve: unknown command '%s' (see memcurve --help)\n", cmd);
  return 2;
}
