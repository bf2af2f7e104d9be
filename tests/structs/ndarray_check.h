/* ndarray_check.h — helpers shared by the ndarray suites (test_ndarray.c, test_ndarray_ops.c):
 * C-order index walking, element reads that assert, random representable values, and the
 * comparisons the reference models use. */
#ifndef MC_NDARRAY_CHECK_H
#define MC_NDARRAY_CHECK_H

#include <math.h>
#include <string.h>

#include "testutil.h"

#define NOPS 100000

static inline size_t scaled(const mc_test_allocator *ta, size_t n) {
  return (ta->flags & MC_TEST_SLOW) ? n / 50 : n;
}

static inline int same_val(double a, double b) { return a == b || (a != a && b != b); }

/* Advances idx through shape[0..nd) in C order; returns 0 after the last index. */
static inline int next_idx(size_t *idx, const size_t *shape, int nd) {
  for (int k = nd - 1; k >= 0; k--) {
    if (++idx[k] < shape[k]) return 1;
    idx[k] = 0;
  }
  return 0;
}

static inline int same_shape(const mc_ndarray *a, const mc_ndarray *b) {
  if (a->ndim != b->ndim) return 0;
  for (int k = 0; k < a->ndim; k++)
    if (a->shape[k] != b->shape[k]) return 0;
  return 1;
}

/* Equal, or both NaN, or (float dtypes, whose sums depend on the order) within rounding. */
static inline int close_to(double got, double want, mc_dtype dt) {
  if (same_val(got, want)) return 1;
  if (dt != MC_DTYPE_F64 && dt != MC_DTYPE_F32) return 0;
  double m = fabs(want) > 1.0 ? fabs(want) : 1.0;
  return fabs(got - want) <= 1e-9 * m;
}

/* The reference fold: sum, and NaN-propagating min/max. */
static inline void fold(double v, double *s, double *mn, double *mx) {
  *s += v;
  *mn = (v != v || *mn != *mn) ? NAN : v < *mn ? v : *mn;
  *mx = (v != v || *mx != *mx) ? NAN : v > *mx ? v : *mx;
}

static inline double at(const mc_ndarray *a, const size_t *idx) {
  double v = -12345.0;
  CU_ASSERT(mc_ndarray_get(a, idx, &v) == MC_OK);
  return v;
}

/* A random value representable (and small enough to sum exactly) in dtype dt. */
static inline double rand_val(mc_test_rng *r, mc_dtype dt) {
  if (dt == MC_DTYPE_U8) return (double)mc_test_rng_below(r, 256);
  return (double)mc_test_rng_below(r, 201) - 100.0;
}

/* Fills every element of a with random values. */
static inline void fill_random(mc_ndarray *a, mc_test_rng *r) {
  size_t idx[MC_NDARRAY_MAXDIM] = {0};
  if (a->size == 0) return;
  do {
    CU_ASSERT(mc_ndarray_set(a, idx, rand_val(r, a->dtype)) == MC_OK);
  } while (next_idx(idx, a->shape, a->ndim));
}

#endif /* MC_NDARRAY_CHECK_H */
