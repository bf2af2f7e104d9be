/* mc_trace.h — the memory curve of any program, sampled from outside: runs a command in a child
 * (its own process group), and every period reads the resident set of the child and of the
 * processes it forked (/proc/<pid>/statm, the tree found through /proc/<pid>/task/<pid>/children)
 * and their CPU time (/proc/<pid>/stat), until the child exits, crashes or times out.
 * The program may report its own figures on an inherited pipe whose descriptor number is in the
 * environment variable opts.report_env: one line per sample, "LABEL BYTES" (LABEL a number:
 * elements or operations so far, kept as the point's elements; "-": no label; any other word: a
 * phase, kept as a PHASE event), BYTES becoming the curve's requested. What `memcurve trace`
 * records. */
#ifndef MC_TRACE_H
#define MC_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include "mc_result.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MC_TRACE_ENV "MEMCURVE_TRACE_FD" /* the default report variable */
#define MC_TRACE_CAP 65536u /* points kept at most: past it every other one goes, period x2 */

typedef struct mc_trace_opts {
  uint64_t period_ns;     /* between samples (> 0); 1 ms by default in `memcurve trace` */
  unsigned timeout_s;     /* the whole process group is killed after it; 0: none */
  const char *report_env; /* the variable naming the report descriptor; NULL: no report pipe */
} mc_trace_opts;

typedef struct mc_trace_result {
  int ok;                        /* 1: the command exited with status 0 */
  char status[MC_RESULT_STATUS]; /* "ok", "exit status N", "killed by signal ...", "timeout ..." */
  int exit_status;               /* the exit status, or 128 + signal, or -1 (not started) */
  uint64_t wall_ns;              /* from fork to exit */
  uint64_t cpu_ns;               /* user + system time of the child and its waited-for children */
  uint64_t peak_rss;             /* bytes, the kernel's high-water mark (wait4's ru_maxrss) */
  uint64_t peak_sampled;         /* bytes, the highest RSS of the tree seen by a sample */
  uint64_t peak_requested;       /* bytes, the highest reported figure (0: none reported) */
  uint64_t rss_baseline;         /* bytes: the RSS at the first report, else 0 */
  uint64_t samples;              /* samples taken (before any thinning) */
  uint64_t sample_ns;            /* ns the parent spent reading /proc (the sampler's own cost) */
  uint64_t reports;              /* report lines received; malformed ones are not counted */
  uint64_t processes;            /* the most processes seen at once in the tree */
  mc_result_point *curve;        /* ncurve points, t_ns ascending; malloc'd: mc_trace_result_free */
  size_t ncurve;
  mc_result_event *events; /* phases reported by name */
  size_t nevents;
} mc_trace_result;

/* Runs argv (argv[0] searched in PATH) in a child of its own process group and samples it as the
 * file's comment says. Points: ops = CPU microseconds of the tree so far, elements = the last
 * numeric label reported, t_ns = since fork, requested = the last reported bytes, rss = the tree's
 * resident set, resident = footprint = held = rss above rss_baseline. When the child ends the
 * rest of its process group is killed (nothing it forked is left running). Returns MC_OK whether
 * or not the command succeeded (see res->ok; a command that cannot be executed exits 127),
 * MC_EINTR when SIGINT/SIGTERM arrived (mc_runner_catch_signals; the group is killed, res says
 * "interrupted"), MC_EINVAL for an empty argv or a zero period, MC_EIO/MC_ENOMEM when no child
 * could be started or sampled. */
int mc_trace_run(char *const argv[], const mc_trace_opts *opts, mc_trace_result *res);

/* Frees the arrays of a result; accepts a zeroed struct. */
void mc_trace_result_free(mc_trace_result *res);

#ifdef __cplusplus
}
#endif
#endif /* MC_TRACE_H */
