/* mc_runner.h — runs one workload in a fresh child process and brings its results back over a
 * pipe: fork()+exec of the small child program (memcurve-child), with LD_PRELOAD for the
 * outside mallocs. A child that crashes, is killed, times out or runs out of memory becomes
 * a result with ok = 0 and the reason; the caller (the single HDF5 writer) goes on. */
#ifndef MC_RUNNER_H
#define MC_RUNNER_H

#include <stddef.h>
#include <stdint.h>

#include "mc_workload.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mc_runner_opts {
  unsigned timeout_s; /* seconds before the child gets SIGALRM; 0: none */
  uint64_t mem_limit; /* bytes of address space (RLIMIT_AS) for the child; 0: none
                         (ignored in sanitizer builds: ASan needs terabytes of it) */
  const char *exe;    /* the child program, run as `exe __child ...`: memcurve-child
                         (mc_runner_child_exe) or memcurve itself ("/proc/self/exe") */
} mc_runner_opts;

/* What came back from one child. */
typedef struct mc_runner_result {
  mc_run_out out;         /* ok = 0 and status set when the child did not finish */
  mc_result_point *curve; /* ncurve points (sampling runs), malloc'd: mc_runner_result_free */
  size_t ncurve;
  mc_result_event *events;
  size_t nevents;
} mc_runner_result;

/* Runs spec once in a fresh child (sampling 1: the curve pass; 0: the timing pass) and fills
 * *res. Returns MC_OK whether or not the child succeeded (see res->out.ok), MC_EINTR when an
 * interrupt (SIGINT/SIGTERM, see mc_runner_catch_signals) stopped it — res then says
 * "interrupted" —, or MC_EIO/MC_ENOMEM when no child could be started. */
int mc_runner_run(const mc_run_spec *spec, int sampling, const mc_runner_opts *opts,
                  mc_runner_result *res);

/* Starts the child image (exe with the allocator's preload, under opts' limits) and lets it do
 * what a run does before its workload — the malloc's first block and, if sampling, the curve
 * recorder's buffers — then exit, its output thrown away: MC_OK if all that worked, MC_ENOMEM
 * if it could not (a memory limit too small for the loader, which would print "failed to map
 * segment" and exit 127 in every run, or for the preloaded malloc to start: jemalloc's first
 * malloc crashed under RLIMIT_AS 16 MiB, mimalloc's returned NULL under 32 MiB), MC_EIO if no
 * process could be made. */
int mc_runner_probe(const mc_runner_opts *opts, const char *allocator, int sampling);

/* The child program for opts->exe: memcurve-child beside the running program (the build tree,
 * build/benches/), else in ../libexec/memcurve/ (an installed memcurve), written into buf;
 * "/proc/self/exe" (this program's own `__child`, the same code in a bigger image) if neither
 * is there or buf is too small. */
const char *mc_runner_child_exe(char *buf, size_t size);

/* Frees the arrays of a result; accepts a zeroed struct. */
void mc_runner_result_free(mc_runner_result *res);

/* Frees a curve and its events (malloc'd, either may be NULL) and zeroes the four fields: what
 * a runner's and a trace's results (mc_trace.h) both hold. */
void mc_runner_free_arrays(mc_result_point **curve, size_t *ncurve, mc_result_event **events,
                           size_t *nevents);

/* Makes SIGINT and SIGTERM set a flag (no restart of system calls) instead of killing the
 * parent, so the current child is stopped, the file closed and every finished run kept; and
 * ignores SIGXFSZ, so a write past the file size limit fails with EFBIG instead. */
void mc_runner_catch_signals(void);

/* 1 once SIGINT or SIGTERM arrived (after mc_runner_catch_signals). */
int mc_runner_interrupted(void);

/* The child side of the re-exec: `memcurve __child --fd FD --sampling 0|1 --structure S
 * --workload W --allocator A --n N --seed X [--heap-limit BYTES]`. Without --fd the results are
 * printed as key=value lines on stdout (what scripts/massif_check.py reads). Returns the exit
 * status. */
int mc_runner_child_main(int argc, char **argv);

#ifdef __cplusplus
}
#endif
#endif /* MC_RUNNER_H */
