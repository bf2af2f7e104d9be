/* mc_stats.h — statistics over result rows: the median (commands, charts, report) and the
 * Mann-Whitney U test (`memcurve compare`). */
#ifndef MC_STATS_H
#define MC_STATS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Median of x[0..n) (x is reordered); the mean of the middle two when n is even. n 0: NaN.
 * The one median of memcurve (commands, charts, report). */
double mc_stats_median(double *x, size_t n);

/* Two-sided Mann-Whitney U test of a[0..na) against b[0..nb). *u gets U of a (the number of
 * pairs with a > b, ties counting 1/2), *p the two-sided p-value: exact (the permutation
 * distribution of U, counted by the Mann-Whitney recurrence) when there are no ties and
 * na, nb <= 25, else the normal approximation with tie and continuity corrections. *exact says
 * which. Returns 0, or -1 if na or nb is 0 or memory ran out. */
int mc_stats_mwu(const double *a, size_t na, const double *b, size_t nb, double *u, double *p,
                 int *exact);

/* Seeded percentile bootstrap of median(b) / median(a): nboot resamples of each side (with
 * replacement, sizes na and nb, xorshift generator seeded by seed), *lo and *hi the 2.5th and
 * 97.5th percentiles of the resampled ratios. Resamples whose median of a is not > 0 are
 * dropped. Returns 0, or -1 if na or nb is 0, nboot < 40, or memory ran out. */
int mc_stats_boot_ratio(const double *a, size_t na, const double *b, size_t nb, unsigned nboot,
                        uint64_t seed, double *lo, double *hi);

#define MC_STATS_ALPHA 0.05 /* two-sided level of the test and of the interval */
#define MC_STATS_BOOT 2000  /* bootstrap resamples */
#define MC_STATS_SPREAD 1.5 /* max/min above this: a side is too noisy to trust */

/* B against A, as `memcurve compare` and the report judge it. */
typedef struct mc_stats_cmp {
  double ratio;    /* median(b) / median(a); NAN when either median is not > 0 */
  double lo, hi;   /* bootstrap 95 % interval of the ratio; NAN when not computed */
  double p;        /* two-sided Mann-Whitney p; NAN when not computed */
  int exact;       /* 1: p is exact */
  int verdict;     /* -1: b smaller, +1: b larger, 0: no significant difference */
  double spread_a; /* max/min of each side (1 = no spread); NAN for an empty side */
  double spread_b;
} mc_stats_cmp;

/* Compares b against a: a difference counts (verdict != 0) only when both sides have at least
 * 2 values, the Mann-Whitney p < MC_STATS_ALPHA AND the bootstrap interval (MC_STATS_BOOT
 * resamples, seeded by seed) excludes 1. Returns 0, or -1 if a side is empty or memory ran out
 * (*out then holds NANs and verdict 0). */
int mc_stats_compare(const double *a, size_t na, const double *b, size_t nb, uint64_t seed,
                     mc_stats_cmp *out);

/* 1 when two memory figures are the same within MC_STATS_MEM_TOL (relative to the larger) or
 * MC_STATS_MEM_PAGE bytes, whichever is larger: a tie is never broken by a few bytes. */
#define MC_STATS_MEM_TOL 0.01
#define MC_STATS_MEM_PAGE 4096.0
int mc_stats_mem_same(double a, double b);

#ifdef __cplusplus
}
#endif
#endif /* MC_STATS_H */
