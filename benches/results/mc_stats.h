/* mc_stats.h — statistics over result rows: the median (commands, charts, report) and the
 * Mann-Whitney U test (`memcurve compare`). */
#ifndef MC_STATS_H
#define MC_STATS_H

#include <stddef.h>

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

#ifdef __cplusplus
}
#endif
#endif /* MC_STATS_H */
