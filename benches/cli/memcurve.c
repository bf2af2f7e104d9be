/* memcurve.c — the command: `memcurve run | import | list | info | export | compare | merge |
 * plot | report | completion`. main only dispatches to the subcommand (one file each in this
 * folder: cmd_<name>.c; one row of the table below each), which returns an MC_E* code, and maps
 * the code to the exit status (mc_cli_exit_status: 0, 1, 2, 130); `__child` is the runner's
 * child side. The same table prints `memcurve --help` and feeds `memcurve completion bash`.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "mc_cli.h"
#include "mc_cli_impl.h"
#include "mc_runner.h"

static int completion(int argc, char **argv);

static const mc_cli_command commands[] = {
    {"run", mc_cli_run, "run a sweep of memory-curve runs into an HDF5 results file",
     mc_cli_run_opts},
    {"import", mc_cli_import, "store Google Benchmark JSON files in a results file (no runs)",
     mc_cli_import_opts},
    {"list", mc_cli_list, "structures, the workloads that apply to each, allocators and suites",
     mc_cli_help_opts},
    {"info", mc_cli_info, "describe a results file (filter with -s -w -a -n)", mc_cli_info_opts},
    {"export", mc_cli_export, "a results file as CSV or JSON (pandas, compare.py)",
     mc_cli_export_opts},
    {"compare", mc_cli_compare, "compare two results files run by run (time, peak memory, U test)",
     mc_cli_help_opts},
    {"merge", mc_cli_merge, "merge several results files (e.g. shards) into one",
     mc_cli_merge_opts},
    {"plot", mc_cli_plot, "draw the charts of a results file (gnuplot)", mc_cli_plot_opts},
    {"report", mc_cli_report, "write the HTML report of a results file", mc_cli_report_opts},
    {"trace", mc_cli_trace, "the memory curve of any program, sampled from outside, as a run",
     mc_cli_trace_opts},
    {"completion", completion, "print the bash completion script (memcurve completion bash)",
     mc_cli_help_opts},
    {NULL, NULL, NULL, NULL}};

static void usage(FILE *f) {
  fputs("usage: memcurve <command> [options]   (memcurve <command> --help for each)\n", f);
  for (const mc_cli_command *c = commands; c->name; c++)
    fprintf(f, "  %-11s%s\n", c->name, c->what);
  fputs("  --version  print the version\n" MC_CLI_EXIT_HELP, f);
}

static int completion(int argc, char **argv) {
  int st = mc_cli_operands("completion",
                           "usage: memcurve completion bash\n  Prints the bash completion script "
                           "(installed as share/bash-completion/completions/memcurve); to try "
                           "it: source <(memcurve completion bash)",
                           argc, argv);
  if (st) return st > 0 ? 0 : st;
  if (argc - optind != 1 || strcmp(argv[optind], "bash") != 0)
    return mc_cli_bad("completion", "expected the shell: bash%s", "");
  mc_cli_completion_bash(stdout, commands);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
    usage(stdout);
    return 0;
  }
  if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
    puts("memcurve " MC_VERSION);
    return 0;
  }
  if (strcmp(cmd, "__child") == 0) return mc_runner_child_main(argc - 1, argv + 1);
  for (const mc_cli_command *c = commands; c->name; c++)
    if (strcmp(cmd, c->name) == 0) return mc_cli_exit_status(c->main(argc - 1, argv + 1));
  fprintf(stderr, "memcurve: unknown command '%s' (see memcurve --help)\n", cmd);
  return 2;
}
