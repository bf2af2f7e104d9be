/* mc_verdict.h — the report's verdicts, computed from the results model: per (structure,
 * workload) at one N, every allocator's time and peak memory against the baseline (the
 * allocator of the file's lowest allocator_order: system when it ran, mc_plotdata_base_order), with
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
  mc_stats_cmp t;    /* time against the baseline: ratio, interval, p, verdict (-1 faster) */
  double mem;        /* bytes, mc_verdict_mem */
  double mem_ratio;  /* mem / the baseline's; NAN without a baseline cell */
  int mem_cmp;       /* -1 leaner than the baseline, 0 the same (≈), +1 heavier, 2 unknown */
  int fastest;       /* 1: in the group's fastest set (no other is significantly faster) */
  int leanest;       /* 1: in the group's leanest set (within tolerance of the leanest) */
  int pareto;        /* 1: no other finished cell is better on both time and memory */
} mc_verdict_cell;

typedef struct mc_verdict_group {
  char structure[MC_RESULT_NAME];
  char workload[MC_RESULT_NAME];
  uint64_t n;         /* the largest N with a timing (else with a peak) */
  mc_verdict_cell *v; /* the cells at n; the baseline first when present */
  size_t nv;
  int has_base; /* 1: v[0] is the baseline (mc_plotdata_base_order of the cells): the ratios
                   divide by it */
  size_t nfastest, nleanest, npareto;
  int mixed_hosts; /* 1: its cells were measured on different hosts (per-run provenance): no
                      time ratio, verdict, fastest set or Pareto set, memory only */
} mc_verdict_group;

/* Builds one group per (structure, workload) of cells (sorted as mc_plotdata_cells sorts them),
 * reading the wall times of r's /summary; ratios against the cells' baseline
 * (mc_plotdata_base_order). A group whose cells ran on different hosts
 * (each cell's run's provenance) is mixed_hosts: timings of two machines are never ranked, its time
 * fields stay NAN and its fastest and Pareto sets empty; memory is compared as usual. Failed cells
 * (ok == 0) are in v but never fastest, leanest or on the Pareto front. Returns MC_OK with *out and
 * *n, or MC_ENOMEM with *out NULL. */
int mc_verdict_groups(const mc_results *r, const mc_plotdata_cell *cells, size_t ncells,
                      mc_verdict_group **out, size_t *n);

/* Frees what mc_verdict_groups made; accepts NULL. */
void mc_verdict_groups_free(mc_verdict_group *g, size_t n);

/* ---- the heap sweep (Hertz & Berger): gc at multiples of the minimum heap ------------------ */

#define MC_VERDICT_HS_MAX 16 /* swept multiples per point */
#define MC_VERDICT_HS_REFS 4 /* explicit allocators per point */

/* One (structure, workload, N) of the sweep, read from the runs' facts (heap_min > 0): the
 * limited collector's runs (heap_multiple > 0, ascending) and its references (heap_multiple 0). */
typedef struct mc_verdict_hs {
  char structure[MC_RESULT_NAME];
  char workload[MC_RESULT_NAME];
  uint64_t n;
  uint64_t heap_min;                     /* bytes, the bisected minimum heap */
  mc_verdict_cell gc[MC_VERDICT_HS_MAX]; /* the limited runs, ascending multiple */
  double multiple[MC_VERDICT_HS_MAX];
  double collections[MC_VERDICT_HS_MAX]; /* median over the timing passes */
  double pause_ns[MC_VERDICT_HS_MAX];    /* total pause of the curve pass (its collection events);
                                            NAN without a curve */
  size_t ngc;
  mc_verdict_cell ref[MC_VERDICT_HS_REFS];
  size_t nref;
  mc_stats_cmp vs[MC_VERDICT_HS_MAX][MC_VERDICT_HS_REFS]; /* gc[i] against ref[k]: ratio =
                                                              gc's median / ref's */
  double match[MC_VERDICT_HS_REFS]; /* the smallest multiple from which gc is not significantly
                                       slower than ref[k] at it and every larger multiple; NAN:
                                       never within the sweep */
} mc_verdict_hs;

/* Builds one mc_verdict_hs per swept (structure, workload, N) of cells (the runs with heap
 * facts). Returns MC_OK with *out (NULL when none) and *n, or MC_ENOMEM. */
int mc_verdict_heap_sweeps(const mc_results *r, const mc_plotdata_cell *cells, size_t ncells,
                           mc_verdict_hs **out, size_t *n);
void mc_verdict_heap_sweeps_free(mc_verdict_hs *h, size_t n);

/* ---- regions against immediate free (Berger, Zorn & McKinley) ------------------------------- */

#define MC_VERDICT_RG_MAX 12

/* One (structure, workload, N) whose runs include a region discipline: a run reset at least
 * twice (once per phase, not only at the end), beside runs of explicit allocators that never
 * reset (free at last use; not collected; a peak held at least the peak live bytes). Peaks are
 * mc_verdict_mem. */
typedef struct mc_verdict_region {
  char structure[MC_RESULT_NAME];
  char workload[MC_RESULT_NAME];
  uint64_t n;
  const mc_plotdata_cell *region[MC_VERDICT_RG_MAX]; /* the resetting runs */
  size_t nregion;
  const mc_plotdata_cell *freeing[MC_VERDICT_RG_MAX]; /* the freeing runs */
  size_t nfreeing;
  double live; /* bytes, the peak requested (the same under every allocator: ideal freeing) */
  double increase[MC_VERDICT_RG_MAX][MC_VERDICT_RG_MAX]; /* region[i] peak / freeing[j] peak - 1 */
} mc_verdict_region;

/* The region comparisons of cells (one per (structure, workload), at the largest N having both
 * kinds). Returns MC_OK with *out (NULL when none) and *n, or MC_ENOMEM. Free with free(). */
int mc_verdict_regions(const mc_plotdata_cell *cells, size_t ncells, mc_verdict_region **out,
                       size_t *n);

#ifdef __cplusplus
}
#endif
#endif /* MC_VERDICT_H */
