/* mc_plotdata.h — the numbers behind the charts and the report, computed from an in-memory
 * results file (mc_results): per-run summary cells (median and range over repetitions),
 * name sets, least-squares power-law fits, Pareto fronts and binary memory units. Pure
 * functions: no files, no gnuplot, so the tests check them exactly. */
#ifndef MC_PLOTDATA_H
#define MC_PLOTDATA_H

#include <stddef.h>
#include <stdint.h>

#include "mc_result.h"
#include "mc_stats.h" /* mc_stats_median: the one median */

#ifdef __cplusplus
extern "C" {
#endif

/* ---- name sets -------------------------------------------------------------------------- */

/* A set of distinct names in insertion order (or sorted, see mc_plotdata_names_sort). */
typedef struct mc_plotdata_names {
  char (*v)[MC_RESULT_NAME]; /* n names, each NUL-terminated */
  size_t n;
  size_t cap;
} mc_plotdata_names;

/* Adds s (truncated to MC_RESULT_NAME - 1 bytes) unless present. Returns its index (>= 0) or
 * MC_ENOMEM with the set unchanged. */
int mc_plotdata_names_add(mc_plotdata_names *set, const char *s);

/* Returns the index of s, or -1 when absent. */
int mc_plotdata_names_find(const mc_plotdata_names *set, const char *s);

/* Sorts alphabetically. */
void mc_plotdata_names_sort(mc_plotdata_names *set);

/* Frees the set; accepts a zeroed one. */
void mc_plotdata_names_free(mc_plotdata_names *set);

/* ---- cells: one (structure, workload, allocator, N) ------------------------------------ */

typedef struct mc_plotdata_cell {
  char structure[MC_RESULT_NAME];
  char workload[MC_RESULT_NAME];
  char allocator[MC_RESULT_NAME];
  uint64_t n;
  size_t reps;      /* ok repetitions in /summary; 0 = the numbers come from the curve */
  int ok;           /* 1 when at least one repetition (or the curve run) finished */
  double ops;       /* operations per run (median) */
  double wall_ns;   /* ns, median wall time of a timed run; NAN without /summary rows */
  double ops_s_med; /* operations/s: median, min, max over repetitions; NAN without rows */
  double ops_s_min;
  double ops_s_max;
  double peak_fp;       /* bytes, median peak footprint (max of the curve without rows) */
  double peak_req;      /* bytes, median peak requested */
  double peak_rss;      /* bytes, median peak RSS; NAN without rows */
  double allocs_per_op; /* median; NAN without rows */
  /* the three quantities (README): medians over the ok rows (from the curve without rows) */
  double peak_held;         /* bytes the allocator held at its peak: what memory verdicts use */
  double peak_resident;     /* bytes, peak RSS above the run's baseline: shown beside held */
  double final_held;        /* bytes held at the end of the workload */
  double final_resident;    /* bytes resident at the end of the workload */
  size_t nfailed;           /* repetitions with ok 0 (overflow, crash, timeout): never ranked */
  const mc_result_run *run; /* the run with the curve, or NULL when /summary has no such run */
  int32_t array; /* mc_result_array: the structure's kind of array, a fact of its runs (this
                    cell's, else any of the same structure); none without one */
  int32_t order; /* the allocator's allocator_order (its row in the harness's allocator table;
                    0 = system), a fact of its runs (this cell's, else any of the same
                    allocator); -1 without one */
} mc_plotdata_cell;

/* Builds one cell per distinct (structure, workload, allocator, n) found in /summary or
 * /runs, sorted by those keys (n numerically). Failed rows (ok == 0) do not enter the
 * medians; a cell whose rows all failed has ok == 0. Returns MC_OK with *out (free() it) and
 * *n set, or MC_ENOMEM with *out NULL. */
int mc_plotdata_cells(const mc_results *r, mc_plotdata_cell **out, size_t *n);

/* Orders set (allocator names) as charts and the report show them: the allocators whose cells
 * have an order (>= 0; the lowest where cells disagree), by it (where names share an order, the
 * first by name there, the rest after every order's first: variants such as a heap sweep's
 * gc@2x, which shares gc's table row), then the others alphabetically.
 * O((names + cells) log names). Returns MC_OK, or MC_ENOMEM with set unchanged. */
int mc_plotdata_names_by_order(mc_plotdata_names *set, const mc_plotdata_cell *cells,
                               size_t ncells);

/* The order of the baseline all ratios divide by: the lowest order (>= 0) among cells[0..n),
 * which is system's (0) when system ran; -1 when no cell has one. */
int32_t mc_plotdata_base_order(const mc_plotdata_cell *cells, size_t n);

/* The leanest of cells[lo..hi) at N = n: the lowest median peak held (by_resident 0) or peak
 * resident (1) among the cells whose repetitions all finished (a configuration with a failed
 * repetition is never a winner). NULL when there is none. */
const mc_plotdata_cell *mc_plotdata_leanest(const mc_plotdata_cell *cells, size_t lo, size_t hi,
                                            uint64_t n, int by_resident);

/* 1 when held and resident name different leanest allocators at N = n and the difference is
 * real: the held-leanest's peak resident is more than 10 % above the resident-leanest's. Then
 * *by_held and *by_res (may be NULL) get the two. */
int mc_plotdata_lean_disagree(const mc_plotdata_cell *cells, size_t lo, size_t hi, uint64_t n,
                              const mc_plotdata_cell **by_held, const mc_plotdata_cell **by_res);

/* ---- statistics ------------------------------------------------------------------------- */

/* Least squares of ln y = b + a ln x over the points with x > 0 and y > 0. Returns MC_OK with
 * *a (the exponent) and *b set, or MC_EINVAL when fewer than two distinct x remain. */
int mc_plotdata_fit_loglog(const double *x, const double *y, size_t n, double *a, double *b);

/* Marks on_front[i] = 1 for the points that no other point dominates when both coordinates
 * are to be minimised (a point dominates another when it is <= on both and < on one), 0 for
 * the others; points with a NAN coordinate are never on the front. Returns the front's size. */
size_t mc_plotdata_pareto(const double *x, const double *y, size_t n, int *on_front);

/* Picks the binary unit (B, KiB, MiB, GiB, TiB) in which max_bytes reads between 1 and 1024,
 * and returns it with its size in bytes in *scale. */
const char *mc_plotdata_unit(double max_bytes, double *scale);

/* How many line styles plots/common.gp defines. */
enum { MC_PLOTDATA_NSTYLES = 24 };

/* Style number 1..MC_PLOTDATA_NSTYLES (plots/common.gp) of index i (0-based): the styles wrap. */
static inline int mc_plotdata_style(size_t i) { return (int)(i % MC_PLOTDATA_NSTYLES) + 1; }

#ifdef __cplusplus
}
#endif
#endif /* MC_PLOTDATA_H */
