/* cmd_import.c — `memcurve import -o FILE [--force|--append] BENCH.json...`: only the Google
 * Benchmark import of `run --gbench`, without running a suite: the JSON files' rows go to
 * /throughput and the files themselves to /gbench_json, as `run` stores them. The output
 * follows run's rules (an existing file is refused unless --force or --append). */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mc_cli_impl.h"
#include "mc_error.h"

static const char usage[] =
    "usage: memcurve import -o FILE [--force|--append] BENCH.json...\n"
    "  Stores Google Benchmark JSON output (bench_* --benchmark_out=X.json) in the results\n"
    "  FILE: its rows in /throughput, each file in /gbench_json/<name without .json>. No runs.\n"
    "  -o, --output FILE  the results file (missing folders are created)\n"
    "  --force            replace an existing FILE\n"
    "  --append           add to an existing FILE (a JSON name already in it is "
    "refused)\n" MC_CLI_EXIT_HELP;

const struct option mc_cli_import_opts[] = {{"output", 1, 0, 'o'},
                                            {"force", 0, 0, 'F'},
                                            {"append", 0, 0, 'A'},
                                            {"help", 0, 0, 'h'},
                                            {0, 0, 0, 0}};

int mc_cli_import(int argc, char **argv) {
  const char *out = NULL;
  int mode = MC_CLI_OUT_NEW, c;
  mc_result_meta meta;
  mc_cli_fill_meta(&meta, argc, argv); /* argv as typed: getopt permutes it below */
  optind = 0;                          /* glibc: a fresh scan, operands permuted to the end */
  opterr = 0;
  while ((c = getopt_long(argc, argv, "o:h", mc_cli_import_opts, NULL)) != -1) {
    switch (c) {
    case 'h': fputs(usage, stdout); return MC_OK;
    case 'o': out = optarg; break;
    case 'F': mode = mode == MC_CLI_OUT_APPEND ? -1 : MC_CLI_OUT_FORCE; break;
    case 'A': mode = mode == MC_CLI_OUT_FORCE ? -1 : MC_CLI_OUT_APPEND; break;
    default: return mc_cli_bad("import", "bad option '%s' (see --help)", argv[optind - 1]);
    }
  }
  if (mode < 0) return mc_cli_bad("import", "--force and --append exclude each other%s", "");
  if (!out || optind == argc)
    return mc_cli_bad("import", "expected -o FILE and at least one BENCH.json%s", "");
  for (int i = optind; i < argc; i++)
    if (access(argv[i], R_OK) != 0) return mc_cli_bad("import", "cannot read '%s'", argv[i]);
  int rc = mc_cli_output_check("import", out, mode);
  if (rc) return rc;
  int appending = mode == MC_CLI_OUT_APPEND && access(out, F_OK) == 0;
  mc_h5_writer *w;
  rc = mc_cli_output_open("import", out, mode, &meta, &w, NULL);
  if (rc) return rc;
  char part[4200];
  snprintf(part, sizeof part, "%s", mc_h5_writer_partial(w));
  rc = mc_cli_import_gbench("import", w, argv + optind, (size_t)(argc - optind),
                            appending ? out : NULL);
  if (mc_h5_close(w, rc == MC_OK) != MC_OK && !rc) {
    fprintf(stderr, "memcurve import: cannot write %s\n", out);
    rc = MC_EIO;
  }
  if (rc) {
    unlink(part);
    return rc;
  }
  fprintf(stderr, "memcurve import: %d Google Benchmark file(s) %s %s\n", argc - optind,
          appending ? "added to" : "written to", out);
  return MC_OK;
}
