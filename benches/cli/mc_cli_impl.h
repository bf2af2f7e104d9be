/* mc_cli_impl.h — what the subcommand files share inside cli/ (mc_cli.c, mc_suites.c): the
 * suites table, the one-line argument error, and reading summary rows per run. */
#ifndef MC_CLI_IMPL_H
#define MC_CLI_IMPL_H

#include <stddef.h>
#include <stdint.h>

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

/* Zeroes m and fills what any results file records of where and how it was made: schema
 * version, UTC time, host, CPU, compiler and build flags, and the command line (argv). The
 * caller adds library_versions, schedule and glossary. */
void mc_cli_meta_init(mc_result_meta *m, int argc, char **argv);

#endif /* MC_CLI_IMPL_H */
