/* mc_stats.c — median and the Mann-Whitney U test (Mann & Whitney 1947).
 *
 * Exact case: with no ties every one of the C(na+nb, na) orderings is equally likely under H0,
 * and the number of orderings giving U = k obeys f(m, n, k) = f(m-1, n, k-n) + f(m, n-1, k)
 * (the largest value comes from a or from b). One table row per m, filled for all n at once.
 * Approximate case: U is normal with mean na*nb/2 and variance
 * na*nb/12 * ((N+1) - sum(t^3 - t) / (N(N-1))) over tie groups of size t, N = na+nb; a 0.5
 * continuity correction moves |U - mean| toward 0.
 * Bootstrap: Efron & Tibshirani (1993), the percentile interval of a ratio of medians; the
 * generator is xorshift64*, so a seed gives the same interval on every machine. */
#include "mc_stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *x, const void *y) {
  double a = *(const double *)x, b = *(const double *)y;
  return (a > b) - (a < b);
}

double mc_stats_median(double *x, size_t n) {
  if (n == 0) return NAN; /* no median: callers test n, or print it as "nan" */
  qsort(x, n, sizeof *x, cmp_double);
  return n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
}

/* P(U <= u) for sizes m, n without ties, by the recurrence over counts (doubles: no overflow
 * for m, n <= 25). */
static double exact_cdf(size_t m, size_t n, double u) {
  size_t K = m * n + 1;
  /* f[j][k] for the current m, j = 0..n */
  double *prev = calloc((n + 1) * K, sizeof *prev), *cur = calloc((n + 1) * K, sizeof *cur);
  if (!prev || !cur) {
    free(prev);
    free(cur);
    return -1;
  }
  for (size_t j = 0; j <= n; j++) prev[j * K] = 1; /* m = 0: one ordering, U = 0 */
  for (size_t i = 1; i <= m; i++) {
    memset(cur, 0, (n + 1) * K * sizeof *cur);
    cur[0] = 1; /* n = 0 */
    for (size_t j = 1; j <= n; j++)
      for (size_t k = 0; k <= i * j; k++)
        cur[j * K + k] = (k >= j ? prev[j * K + k - j] : 0) + cur[(j - 1) * K + k];
    double *t = prev;
    prev = cur;
    cur = t;
  }
  double total = 0, below = 0;
  for (size_t k = 0; k < K; k++) {
    total += prev[n * K + k];
    if ((double)k <= u + 1e-9) below += prev[n * K + k];
  }
  free(prev);
  free(cur);
  return below / total;
}

int mc_stats_mwu(const double *a, size_t na, const double *b, size_t nb, double *u, double *p,
                 int *exact) {
  if (na == 0 || nb == 0) return -1;
  size_t N = na + nb;
  double *all = malloc(N * sizeof *all);
  if (!all) return -1;
  double U = 0;
  for (size_t i = 0; i < na; i++)
    for (size_t j = 0; j < nb; j++) U += a[i] > b[j] ? 1.0 : a[i] == b[j] ? 0.5 : 0.0;
  memcpy(all, a, na * sizeof *a);
  memcpy(all + na, b, nb * sizeof *b);
  qsort(all, N, sizeof *all, cmp_double);
  double ties = 0;
  for (size_t i = 0; i < N;) {
    size_t j = i;
    while (j < N && all[j] == all[i]) j++;
    double t = (double)(j - i);
    ties += t * t * t - t;
    i = j;
  }
  free(all);
  *u = U;
  double mean = (double)na * (double)nb / 2;
  if (ties == 0 && na <= 25 && nb <= 25) {
    double lo = exact_cdf(na, nb, U), hi = exact_cdf(nb, na, (double)(na * nb) - U);
    if (lo < 0 || hi < 0) return -1;
    /* hi = P(U' <= na*nb - U) = P(U >= U_obs) by symmetry of roles */
    double pv = 2 * (lo < hi ? lo : hi);
    *p = pv > 1 ? 1 : pv;
    *exact = 1;
    return 0;
  }
  double var =
      (double)na * (double)nb / 12.0 * ((double)(N + 1) - ties / ((double)N * (double)(N - 1)));
  double d = fabs(U - mean) - 0.5;
  if (d < 0) d = 0;
  *p = var > 0 ? erfc(d / sqrt(var) / sqrt(2.0)) : 1.0;
  *exact = 0;
  return 0;
}

static uint64_t xs_next(uint64_t *s) {
  uint64_t x = *s;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  *s = x;
  return x * 0x2545F4914F6CDD1Dull;
}

static double resample_median(const double *x, size_t n, double *tmp, uint64_t *rng) {
  for (size_t i = 0; i < n; i++) tmp[i] = x[xs_next(rng) % n];
  return mc_stats_median(tmp, n);
}

int mc_stats_boot_ratio(const double *a, size_t na, const double *b, size_t nb, unsigned nboot,
                        uint64_t seed, double *lo, double *hi) {
  if (na == 0 || nb == 0 || nboot < 40) return -1;
  double *ta = malloc(na * sizeof *ta), *tb = malloc(nb * sizeof *tb);
  double *r = malloc(nboot * sizeof *r);
  if (!ta || !tb || !r) {
    free(ta), free(tb), free(r);
    return -1;
  }
  uint64_t rng = seed * 0x9E3779B97F4A7C15ull + 0x632BE59BD9B4E019ull;
  if (!rng) rng = 1;
  size_t k = 0;
  for (unsigned i = 0; i < nboot; i++) {
    double ma = resample_median(a, na, ta, &rng), mb = resample_median(b, nb, tb, &rng);
    if (ma > 0) r[k++] = mb / ma;
  }
  int rc = -1;
  if (k >= 40) {
    qsort(r, k, sizeof *r, cmp_double);
    *lo = r[(size_t)((double)(k - 1) * (MC_STATS_ALPHA / 2))];
    *hi = r[(size_t)((double)(k - 1) * (1 - MC_STATS_ALPHA / 2) + 0.5)];
    rc = 0;
  }
  free(ta), free(tb), free(r);
  return rc;
}

static double spread(const double *x, size_t n) {
  if (n == 0) return NAN;
  double mn = x[0], mx = x[0];
  for (size_t i = 1; i < n; i++) mn = x[i] < mn ? x[i] : mn, mx = x[i] > mx ? x[i] : mx;
  return mn > 0 ? mx / mn : (mx > 0 ? INFINITY : 1);
}

int mc_stats_compare(const double *a, size_t na, const double *b, size_t nb, uint64_t seed,
                     mc_stats_cmp *out) {
  *out = (mc_stats_cmp){NAN, NAN, NAN, NAN, 0, 0, spread(a, na), spread(b, nb)};
  if (na == 0 || nb == 0) return -1;
  double *t = malloc((na > nb ? na : nb) * sizeof *t);
  if (!t) return -1;
  memcpy(t, a, na * sizeof *a);
  double ma = mc_stats_median(t, na);
  memcpy(t, b, nb * sizeof *b);
  double mb = mc_stats_median(t, nb);
  free(t);
  out->ratio = ma > 0 && mb >= 0 ? mb / ma : NAN;
  if (na < 2 || nb < 2) return 0; /* one value a side: no test, no interval, no verdict */
  double u;
  if (mc_stats_mwu(a, na, b, nb, &u, &out->p, &out->exact) != 0) return -1;
  if (mc_stats_boot_ratio(a, na, b, nb, MC_STATS_BOOT, seed, &out->lo, &out->hi) != 0) {
    out->lo = out->hi = NAN;
    return 0;
  }
  if (out->p < MC_STATS_ALPHA && (out->lo > 1 || out->hi < 1))
    out->verdict = out->ratio > 1 ? 1 : -1;
  return 0;
}

int mc_stats_mem_same(double a, double b) {
  double big = a > b ? a : b, d = fabs(a - b);
  double tol = big * MC_STATS_MEM_TOL;
  return d <= (tol > MC_STATS_MEM_PAGE ? tol : MC_STATS_MEM_PAGE);
}
