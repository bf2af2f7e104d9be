/* mc_ndarray_reduce.c — sum, min, max, mean over all elements or along one axis.
 *
 * A reduction walks rows: the innermost dim after coalescing (all elements), or the reduced
 * axis for each output element (along an axis). Each row is folded by a per-dtype kernel into
 * an accumulator, and rows are combined.
 *  - Floats accumulate in double. The contiguous f64/f32 sum keeps 8 independent partial sums
 *    (like NumPy's pairwise_sum unrolled by 8): the loop then vectorises without -ffast-math
 *    and is more accurate than one running sum.
 *  - Integer sums accumulate in uint64_t (wrapping, never undefined) and are reported as the
 *    int64 (signed dtypes) or uint64 (u8) value converted to double.
 *  - min/max propagate NaN like NumPy's minimum/maximum: any NaN makes the result NaN. */
#include <math.h>
#include <string.h>

#include "mc_ndarray.h"
#include "mc_ndarray_impl.h"

typedef struct acc {
  double f;   /* float sum, or the best min/max so far */
  uint64_t u; /* integer sum, modulo 2^64 */
  int any;    /* min/max: f holds a value */
} acc;

/* ---- contiguous sums -------------------------------------------------------------------- */

#define SUM8(T, NAME)                                                                              \
  static double NAME(const T *restrict x, size_t n) {                                              \
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;                         \
    size_t i = 0;                                                                                  \
    for (; i + 8 <= n; i += 8) {                                                                   \
      s0 += x[i], s1 += x[i + 1], s2 += x[i + 2], s3 += x[i + 3];                                  \
      s4 += x[i + 4], s5 += x[i + 5], s6 += x[i + 6], s7 += x[i + 7];                              \
    }                                                                                              \
    double t = 0;                                                                                  \
    for (; i < n; i++) t += x[i];                                                                  \
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)) + t;                                  \
  }
SUM8(double, sum_f64)
SUM8(float, sum_f32)

/* ---- row kernels: fold n elements at p, stride s bytes, into *a ---------------------------- */

#define ROW_FLOAT(T, NAME, CSUM)                                                                   \
  static void NAME(const char *p, ptrdiff_t s, size_t n, mc_reduce op, acc *a) {                   \
    if (op == MC_REDUCE_SUM || op == MC_REDUCE_MEAN) {                                             \
      if (s == (ptrdiff_t)sizeof(T)) {                                                             \
        a->f += CSUM((const T *)p, n);                                                             \
      } else {                                                                                     \
        double t = 0;                                                                              \
        for (size_t i = 0; i < n; i++) t += *(const T *)(p + (ptrdiff_t)i * s);                    \
        a->f += t;                                                                                 \
      }                                                                                            \
      return;                                                                                      \
    }                                                                                              \
    if (n == 0) return;                                                                            \
    T m = *(const T *)p;                                                                           \
    int nan = 0;                                                                                   \
    for (size_t i = 0; i < n; i++) {                                                               \
      T v = *(const T *)(p + (ptrdiff_t)i * s);                                                    \
      nan |= v != v;                                                                               \
      if (op == MC_REDUCE_MIN)                                                                     \
        m = v < m ? v : m;                                                                         \
      else                                                                                         \
        m = v > m ? v : m;                                                                         \
    }                                                                                              \
    double r = nan ? (double)NAN : (double)m;                                                      \
    if (!a->any || r != r)                                                                         \
      a->f = r;                                                                                    \
    else if (a->f == a->f)                                                                         \
      a->f = (op == MC_REDUCE_MIN) == (r < a->f) ? r : a->f;                                       \
    a->any = 1;                                                                                    \
  }

#define ROW_INT(T, NAME)                                                                           \
  static void NAME(const char *p, ptrdiff_t s, size_t n, mc_reduce op, acc *a) {                   \
    if (op == MC_REDUCE_SUM || op == MC_REDUCE_MEAN) {                                             \
      uint64_t t = 0;                                                                              \
      if (s == (ptrdiff_t)sizeof(T))                                                               \
        for (size_t i = 0; i < n; i++) t += (uint64_t)((const T *)p)[i];                           \
      else                                                                                         \
        for (size_t i = 0; i < n; i++) t += (uint64_t) * (const T *)(p + (ptrdiff_t)i * s);        \
      a->u += t;                                                                                   \
      return;                                                                                      \
    }                                                                                              \
    if (n == 0) return;                                                                            \
    T m = *(const T *)p;                                                                           \
    for (size_t i = 0; i < n; i++) {                                                               \
      T v = *(const T *)(p + (ptrdiff_t)i * s);                                                    \
      if (op == MC_REDUCE_MIN)                                                                     \
        m = v < m ? v : m;                                                                         \
      else                                                                                         \
        m = v > m ? v : m;                                                                         \
    }                                                                                              \
    double r = (double)m;                                                                          \
    if (!a->any || ((op == MC_REDUCE_MIN) ? r < a->f : r > a->f)) a->f = r;                        \
    a->any = 1;                                                                                    \
  }

ROW_FLOAT(double, row_f64, sum_f64)
ROW_FLOAT(float, row_f32, sum_f32)
ROW_INT(int64_t, row_i64)
ROW_INT(int32_t, row_i32)
ROW_INT(uint8_t, row_u8)

typedef void (*row_fn)(const char *p, ptrdiff_t s, size_t n, mc_reduce op, acc *a);
static const row_fn rows[MC_DTYPE_COUNT] = {row_f64, row_f32, row_i64, row_i32, row_u8};

/* The final value of an accumulator over count elements. */
static int result(mc_dtype dt, mc_reduce op, const acc *a, size_t count, double *out) {
  if (op != MC_REDUCE_SUM && count == 0) return MC_EEMPTY;
  if (op == MC_REDUCE_MIN || op == MC_REDUCE_MAX) {
    *out = a->f;
    return MC_OK;
  }
  double sum;
  if (dt == MC_DTYPE_F64 || dt == MC_DTYPE_F32)
    sum = a->f;
  else if (dt == MC_DTYPE_U8)
    sum = (double)a->u;
  else
    sum = (double)(int64_t)a->u; /* modulo 2^64 back to signed: gcc defines it */
  *out = op == MC_REDUCE_MEAN ? sum / (double)count : sum;
  return MC_OK;
}

/* ---- the API ------------------------------------------------------------------------------ */

int mc_ndarray_reduce(const mc_ndarray *a, mc_reduce op, double *out) {
  if ((unsigned)op >= MC_REDUCE_COUNT || (unsigned)a->dtype >= MC_DTYPE_COUNT) return MC_EINVAL;
  acc ac = {0, 0, 0};
  if (a->size == 0) return result(a->dtype, op, &ac, 0, out);
  /* coalesce: drop 1s, merge dims that step as one */
  size_t cshape[MC_NDARRAY_MAXDIM];
  ptrdiff_t cs[MC_NDARRAY_MAXDIM];
  int m = 0;
  for (int k = 0; k < a->ndim; k++) {
    if (a->shape[k] == 1) continue;
    if (m > 0 && cs[m - 1] == a->strides[k] * (ptrdiff_t)a->shape[k]) {
      cshape[m - 1] *= a->shape[k];
      cs[m - 1] = a->strides[k];
      continue;
    }
    cshape[m] = a->shape[k];
    cs[m++] = a->strides[k];
  }
  size_t inner = 1;
  ptrdiff_t si = 0;
  if (m > 0) {
    inner = cshape[--m];
    si = cs[m];
  }
  row_fn row = rows[a->dtype];
  size_t idx[MC_NDARRAY_MAXDIM] = {0};
  for (size_t done = 0; done < a->size; done += inner) {
    const char *p = a->data;
    for (int k = 0; k < m; k++) p += (ptrdiff_t)idx[k] * cs[k];
    row(p, si, inner, op, &ac);
    for (int k = m - 1; k >= 0 && ++idx[k] == cshape[k]; k--) idx[k] = 0;
  }
  return result(a->dtype, op, &ac, a->size, out);
}

int mc_ndarray_reduce_axis(mc_ndarray *out, const mc_ndarray *a, mc_reduce op, int axis) {
  if ((unsigned)op >= MC_REDUCE_COUNT || (unsigned)a->dtype >= MC_DTYPE_COUNT) return MC_EINVAL;
  if (axis < 0 || axis >= a->ndim) return MC_EINVAL;
  size_t n = a->shape[axis];
  if (n == 0 && op != MC_REDUCE_SUM) return MC_EEMPTY;
  size_t shape[MC_NDARRAY_MAXDIM];
  ptrdiff_t st[MC_NDARRAY_MAXDIM];
  int nd = 0;
  for (int k = 0; k < a->ndim; k++)
    if (k != axis) {
      shape[nd] = a->shape[k];
      st[nd++] = a->strides[k];
    }
  int rc = mc__ndarray_new(out, a->al, MC_DTYPE_F64, nd, shape, 0);
  if (rc != MC_OK) return rc;
  row_fn row = rows[a->dtype];
  ptrdiff_t sa = a->strides[axis];
  size_t idx[MC_NDARRAY_MAXDIM] = {0};
  double *o = (double *)(void *)out->data;
  for (size_t i = 0; i < out->size; i++) {
    const char *p = a->data;
    for (int k = 0; k < nd; k++) p += (ptrdiff_t)idx[k] * st[k];
    acc ac = {0, 0, 0};
    row(p, sa, n, op, &ac);
    result(a->dtype, op, &ac, n, &o[i]); /* cannot fail: n > 0 unless op is SUM */
    for (int k = nd - 1; k >= 0 && ++idx[k] == shape[k]; k--) idx[k] = 0;
  }
  return MC_OK;
}
