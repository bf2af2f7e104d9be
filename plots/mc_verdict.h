/* mc_verdict.h — the report's verdicts, computed from the results model: per (structure,
 * workload) at one N, every allocator's time and peak memory against the system allocator, with
 * a time difference counted only when a Mann-Whitney U test and a bootstrap interval of the
 * ratio of medians both support it (mc_stats_compare) and memory figures within 1 % or a page
 * called equal (mc_stats_mem_same); the fastest and the leanest set (ties kept together) and the
 * Pareto set. Pure functions: no files, so the tests check them exactly. */
#ifndef MC_VERDICT_H
#define MC_VERDICT_H

#include <stddef.h>
#include <stdint.h>

#include "mc_plotdata.h"
#include "mc_result.h"
#include "mc_stats.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The memory every verdict, ratio and "leanest" uses: ONE accessor, so that the switch to the
 * held quantity (peak_held) is a one-line change. Today: the median peak footprint. */
static inline double mc_verdict_mem(const mc_plotdata_cell *c) { return c->peak_held; }

#define MC_VERDICT_SEED 1 /* the bootstrap's seed: the same file gives the same page */

typedef struct mc_verdict_cell {
  const mc_plotdata_cell *c;
  double *walls; /* ns, wall times of the finished repetitions (nwalls) */
  size_t nwalls;
  size_t reps_total; /* repetitions in /summary, failed ones included */
  mc_stats_cmp t;    /* time against system: ratio, interval, p, verdict (-1 faster) */
  double mem;        /* bytes, mc_verdict_mem */
  double mem_ratio;  /* mem / system's; NAN without a system cell */
  int mem_cmp;       /* -1 leaner than system, 0 the same (≈), +1 heavier, 2 unknown */
  int fastest;       /* 1: in the group's fastest set (no other is significantly faster) */
  int leanest;       /* 1: in the group's leanest set (within tolerance of the leanest) */
  int pareto;        /* 1: no other finished cell is better on both time and memory */
} mc_verdict_cell;

typedef struct mc_verdict_group {
  char structure[MC_RESULT_NAME];
  char workload[MC_RESULT_NAME];
  uint64_t n;         /* the largest N with a timing (else with a peak) */
  mc_verdict_cell *v; /* the cells at n; system first when present */
  size_t nv;
  int has_sys; /* 1: v[0] is the system allocator (the ratios' baseline) */
  size_t nfastest, nleanest, npareto;
  int mixed_hosts; /* 1: its cells were measured on different hosts (per-run provenance): no
                      time ratio, verdict, fastest set or Pareto set, memory only */
} mc_verdict_group;

/* Builds one group per (structure, workload) of cells (sorted as mc_plotdata_cells sorts them),
 * reading the wall times of r's /summary. A group whose cells ran on different hosts
 * (each cell's run's provenance) is mixed_hosts: timings of two machines are never ranked, its time
 * fields stay NAN and its fastest and Pareto sets empty; memory is compared as usual. Failed cells
 * (ok == 0) are in v but never fastest, leanest or on the Pareto front. Returns MC_OK with *out and
 * *n, or MC_ENOMEM with *out NULL. */
int mc_verdict_groups(const mc_results *r, const mc_plotdata_cell *cells, size_t ncells,
                      mc_verdict_group **out, size_t *n);

/* Frees what mc_verdict_groups made; accepts NULL. */
void mc_verdict_groups_free(mc_verdict_group *g, size_t n);

#ifdef __cplusplus
}
#endif
#endif /* MC_VERDICT_H */
