/* mc_cli_impl.h — what the subcommand files share inside cli/ (mc_cli.c, mc_suites.c): the
 * suites table, the one-line argument error, and reading summary rows per run. */
#ifndef MC_CLI_IMPL_H
#define MC_CLI_IMPL_H

#include <getopt.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mc_cli.h"
#include "mc_h5.h"

/* In a suite's allocator list: every allocator the table marks for suites
 * (mc_wl_suite_allocators). */
#define MC_CLI_EVERY "*"

/* One group of a suite: comma lists, crossed. */
typedef struct mc_cli_group {
  const char *structures, *workloads, *allocators, *sizes;
} mc_cli_group;

typedef struct mc_cli_suite {
  const char *name;
  mc_cli_group g[4]; /* unused groups have structures == NULL */
  unsigned reps;     /* timing repetitions unless -r says otherwise */
  const char *what;  /* one line for `memcurve list` */
} mc_cli_suite;

/* The suites, ended by a row whose name is NULL; the first is the default. */
extern const mc_cli_suite mc_cli_suites[];

/* The suites' Hertz-Berger heap sweeps (mc_heapsweep.h): for the suite named suite, gc at
 * multiples of the minimum heap against the group's allocators. Ended by a NULL suite. */
typedef struct mc_cli_heap_sweep {
  const char *suite;
  mc_cli_group g;
} mc_cli_heap_sweep;
extern const mc_cli_heap_sweep mc_cli_heap_sweeps[];

/* Prints "memcurve CMD: " and fmt (one %s: arg) on stderr as one line. Returns MC_EINVAL. */
int mc_cli_bad(const char *cmd, const char *fmt, const char *arg);

/* Parses a subcommand whose only option is --help/-h (getopt_long; operands may come in any
 * order and are permuted to argv[optind..]). Returns 0 to go on, 1 when usage was printed on
 * stdout (the caller returns MC_OK), or MC_EINVAL for another option (one line on stderr). */
int mc_cli_operands(const char *cmd, const char *usage, int argc, char **argv);

/* The code for a failed mc_h5_create (rc, and errno just after it): a full disk or a file
 * size limit stays MC_EIO (exit 1); any other failure is the output argument's (MC_EINVAL,
 * exit 2: a missing or unwritable directory, a device or FIFO); MC_ESTATE (another writer)
 * stays (exit 1). */
int mc_cli_create_status(int rc, int err);

/* Reads path through the guarded reader into r. Returns 0, or MC_EFORMAT with the reason on
 * stderr (nothing to free then). */
int mc_cli_load(const char *cmd, const char *path, mc_results *r);

/* 1 if the summary row s belongs to the run (st, w, a, n). */
int mc_cli_same_key(const mc_result_summary *s, const char *st, const char *w, const char *a,
                    uint64_t n);

/* Collects field values (0 wall_ns, 1 peak_footprint, 2 peak_rss, 3 peak_held, 4 peak_resident,
 * 5 final_held, 6 final_resident: MC_CLI_F_*) of the finished summary rows
 * of the run (st, w, a, n) into out (at most cap). Returns how many. */
size_t mc_cli_collect(const mc_results *r, const char *st, const char *w, const char *a, uint64_t n,
                      int field, double *out, size_t cap);

/* ---- sizes ------------------------------------------------------------------------------ */

/* Parses a size: digits with an optional suffix k, M or G (K accepted for k), each a factor of
 * unit (1000 for counts such as N, 1024 for bytes). Returns 0 with *out in lo..hi, or -1
 * (empty, sign, junk, overflow, out of range). */
int mc_cli_parse_size(const char *s, uint64_t unit, uint64_t lo, uint64_t hi, uint64_t *out);

/* Writes n as `list` and the parsers read it: the largest suffix (k, M, G over 1000) that
 * divides n exactly, e.g. 10000 -> "10k", 1500 -> "1500". Returns buf. */
char *mc_cli_fmt_count(uint64_t n, char *buf, size_t size);

/* Writes bytes in human units (B, KiB, MiB, GiB; three significant digits). Returns buf. */
char *mc_cli_fmt_bytes(double bytes, char *buf, size_t size);

/* ---- the output file -------------------------------------------------------------------- */

/* How a command treats an existing output file. */
enum { MC_CLI_OUT_NEW = 0, MC_CLI_OUT_FORCE = 1, MC_CLI_OUT_APPEND = 2 };

/* The folder part of mc_cli_output_check (export uses it alone): refuses a path that names a
 * directory or ends in '/', creates the missing folders (mkdir -p), refuses a folder it cannot
 * write to. Returns 0 or MC_EINVAL (one line on stderr). */
int mc_cli_output_folder(const char *cmd, const char *path);

/* Checks the output path of cmd before any work: creates its missing folders (mkdir -p),
 * refuses a directory, a device or a folder it cannot write to, and an existing file unless
 * mode is MC_CLI_OUT_FORCE or MC_CLI_OUT_APPEND (one line naming both flags). Returns 0 or
 * MC_EINVAL (one line on stderr). */
int mc_cli_output_check(const char *cmd, const char *path, int mode);

/* Opens the writer of path with meta; in MC_CLI_OUT_APPEND mode an existing path is read
 * first and every run, summary row, throughput row and JSON of it copied into the writer
 * (as merge does), and *old (if not NULL) keeps what was read (mc_h5_results_free; zeroed
 * when there was nothing). Returns MC_OK, or the create/merge code with one line on stderr. */
int mc_cli_output_open(const char *cmd, const char *path, int mode, const mc_result_meta *meta,
                       mc_h5_writer **w, mc_results *old);

/* The one refusal of a run --append would add twice: when old (what path held) has a run of
 * key (s, w, a, n), one line on stderr naming it ("memcurve CMD: run S/W/A/nN is already in
 * PATH (--append adds new runs only; WHAT)") and MC_EINVAL; else MC_OK. */
int mc_cli_output_new_run(const char *cmd, const mc_results *old, const char *path, const char *s,
                          const char *w, const char *a, uint64_t n, const char *what);

/* Copies every run (with its summary rows), orphan summary row, throughput row and Google
 * Benchmark JSON of r, read from path, into w. A run already in w is MC_EINVAL (one line
 * naming it, as cmd). Returns MC_OK, MC_EINVAL, MC_EIO or MC_ENOMEM. */
int mc_cli_merge_into(const char *cmd, mc_h5_writer *w, const char *path, const mc_results *r);

/* Imports Google Benchmark JSON files into w (/throughput, /gbench_json/<file name without
 * .json>). appended_to: the file w appends to (its JSON names are refused again), or NULL.
 * Returns MC_OK; MC_EINVAL (unreadable, or a name already in appended_to), MC_EFORMAT (not
 * Google Benchmark JSON) or MC_EIO, with one line on stderr as cmd. */
int mc_cli_import_gbench(const char *cmd, mc_h5_writer *w, char *const *files, size_t n,
                         const char *appended_to);

/* Fills the provenance of a file written by cmd: schema, time, host, cpu, compiler, flags,
 * versions, the command line (argc/argv as typed, argv[0] the subcommand). */
void mc_cli_fill_meta(mc_result_meta *m, int argc, char **argv);

/* ---- the command table ------------------------------------------------------------------ */

/* One subcommand: its name, entry point, one line for `memcurve --help`, and the getopt table
 * it parses with (what `memcurve completion bash` offers; NULL-name terminated). */
typedef struct mc_cli_command {
  const char *name;
  int (*main)(int argc, char **argv);
  const char *what;
  const struct option *opts;
} mc_cli_command;

/* Option tables of the subcommands (those without their own: mc_cli_help_opts). */
extern const struct option mc_cli_help_opts[], mc_cli_run_opts[], mc_cli_merge_opts[],
    mc_cli_info_opts[], mc_cli_import_opts[], mc_cli_export_opts[], mc_cli_plot_opts[],
    mc_cli_report_opts[], mc_cli_trace_opts[];

/* Prints the bash completion script of the commands cmds (ended by a NULL name) on f. */
void mc_cli_completion_bash(FILE *f, const mc_cli_command *cmds);

/* The exit statuses, as `memcurve --help` and each run-like command's --help print them. */
#define MC_CLI_EXIT_HELP                                                                           \
  "exit status: 0 every run finished (an allocator reaching its designed limit, e.g. the\n"        \
  "  stack's overflow or --mem-limit, is an outcome); 1 some run failed (crash, timeout,\n"        \
  "  harness error) or the work failed; 2 bad usage or unreadable input; 130 interrupted\n"

#endif /* MC_CLI_IMPL_H */
