/* mc_heapsweep.h — the Hertz–Berger heap sweep of `memcurve run` (a suite's heap_sweep group):
 * the collector `gc` with its heap limit at fixed multiples of the workload's minimum heap (the
 * smallest limit at which it completes, found by bisection over child runs), beside the
 * explicit allocators the group names, in the same interleaved rounds. */
#ifndef MC_HEAPSWEEP_H
#define MC_HEAPSWEEP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mc_cli_impl.h"
#include "mc_runner.h"

/* The multiples of the minimum heap swept, ascending, ended by 0 (Hertz & Berger, OOPSLA 2005,
 * swept 1 to 6 times the minimum). */
extern const double mc_heapsweep_multiples[];

/* The collector the sweep limits (a row of the allocator table). */
#define MC_HEAPSWEEP_GC "gc"

/* Appends the sweep of group g (structures x workloads x sizes; workloads and sizes, when not
 * NULL, replace the group's) to the n specs at *v (realloc'd): per (structure, workload, N) the
 * group's allocators, the references (added unless *v has them; marked either way: they get
 * heap_min, their point's minimum heap, from mc_heapsweep_bisect), then `gc` at each multiple
 * (heap_multiple set; heap_limit and heap_min 0 until mc_heapsweep_bisect). Combinations that do
 * not apply are skipped. Seeds are left 0 for the caller. Returns MC_OK, MC_ENOMEM, or MC_EINVAL (a
 * bad name or size, one line on stderr; *v and *n then hold what was added before). */
int mc_heapsweep_add(const mc_cli_group *g, const char *workloads, const char *sizes,
                     mc_run_spec **v, size_t *n);

/* Answers whether the run completes with the heap limit `limit` (bytes): 1 yes, 0 no (over
 * the limit, or any failure), negative MC_E* to stop (interrupted). */
typedef int (*mc_heapsweep_probe_fn)(void *arg, uint64_t limit);

/* The smallest limit in (lo, hi] at which probe says the run completes, to within
 * max(hi / 128, 4 KiB): bisection, with lo assumed to fail and hi checked first (raised by
 * 1.5x up to 8 times until it completes). Writes the limit to *min and the probes made to
 * *probes. Returns MC_OK, MC_ERANGE (nothing completes up to hi * 1.5^8) or probe's error.
 * REQUIRES: lo < hi. */
int mc_heapsweep_min(mc_heapsweep_probe_fn probe, void *arg, uint64_t lo, uint64_t hi,
                     uint64_t *min, unsigned *probes);

/* For every (structure, workload, N) of the specs with heap_multiple > 0: one unlimited run of
 * the collector (its peak held bounds the search), mc_heapsweep_min over timing passes in fresh
 * children (ro), then heap_min and heap_limit = ceil(multiple x min) on each, and heap_min on
 * the point's references.
 * A (structure, workload, N) whose minimum cannot be found loses its limited specs (*n shrinks)
 * and is named on log. One line per minimum on log (NULL: silent). Returns MC_OK or MC_EINTR. */
int mc_heapsweep_bisect(mc_run_spec *v, size_t *n, const mc_runner_opts *ro, FILE *log);

/* The name a spec's run is filed under: "gc@1.5x" for the sweep's limited runs (the multiple,
 * %g), else the allocator's own. */
void mc_heapsweep_name(const mc_run_spec *r, char *dst, size_t size);

#endif /* MC_HEAPSWEEP_H */
