/* mc_cli.h — the subcommands of `memcurve`, one file each (cmd_<name>.c). Each takes argv with
 * argv[0] the subcommand name and returns an MC_E* code: MC_OK done; MC_EINVAL bad arguments
 * and MC_EFORMAT unreadable input (one line on stderr); MC_EINTR interrupted; another code: the
 * work failed (reason on stderr). mc_cli_exit_status maps the code to the exit status. */
#ifndef MC_CLI_H
#define MC_CLI_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* `memcurve run [options]`: a sweep of runs, each in fresh children, into a results file. */
int mc_cli_run(int argc, char **argv);

/* `memcurve import -o FILE [--force|--append] BENCH.json...`: Google Benchmark JSON files
 * into a results file (/throughput, /gbench_json), no runs. */
int mc_cli_import(int argc, char **argv);

/* `memcurve export FILE --csv|--json [-o OUT] [--curves]`: the summary rows (and the curves)
 * as CSV or as Google Benchmark-shaped JSON. */
int mc_cli_export(int argc, char **argv);

/* `memcurve list`: the structures, workloads, allocators and suites this build can run. */
int mc_cli_list(int argc, char **argv);

/* `memcurve info FILE`: root attributes, then one line per run with its status and medians. */
int mc_cli_info(int argc, char **argv);

/* `memcurve compare A B`: per run present in both, the ratios B/A of median wall time and of
 * median peak footprint and peak RSS, and a two-sided Mann-Whitney U test on the wall times
 * when both sides have >= 5 finished repetitions. */
int mc_cli_compare(int argc, char **argv);

/* `memcurve merge -o OUT IN...`: one file holding every run, summary row, throughput row and
 * JSON of the inputs; a run present in two inputs is an error (exit 2). */
int mc_cli_merge(int argc, char **argv);

/* `memcurve plot FILE [--out DIR] [--format png,svg] [--scripts DIR] [--quiet]`: the charts. */
int mc_cli_plot(int argc, char **argv);

/* `memcurve report FILE [--out PATH] [--plots DIR] [--no-draw] [--format png,svg]`: the HTML
 * report (charts drawn into DIR unless --no-draw) and a Markdown summary on stdout. */
int mc_cli_report(int argc, char **argv);

/* `memcurve trace [options] -- COMMAND [ARGS...]`: the memory curve of any program, sampled from
 * outside (mc_trace), written as one run of a results file. */
int mc_cli_trace(int argc, char **argv);

/* The exit status of a subcommand's code: MC_OK 0; MC_EINVAL, MC_EFORMAT 2; MC_EINTR 130;
 * any other 1. The one place codes become statuses. */
int mc_cli_exit_status(int rc);

/* The largest file mc_cli_slurp reads (256 MiB): Google Benchmark JSON is far smaller. */
#define MC_CLI_SLURP_MAX ((long long)256 << 20)

/* Reads the whole file at path into a malloc'd NUL-terminated buffer. MC_OK; MC_EIO (cannot
 * open or read); MC_ERANGE: not a regular file, or over MC_CLI_SLURP_MAX (a device such as
 * /dev/zero, a FIFO); MC_ENOMEM. */
int mc_cli_slurp(const char *path, char **out, size_t *len);

#ifdef __cplusplus
}
#endif
#endif /* MC_CLI_H */
