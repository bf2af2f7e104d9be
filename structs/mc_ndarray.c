/* mc_ndarray.c — lifetime, element access, views, copies and 1-d append of mc_ndarray.
 *
 * Layout follows NumPy (numpy/core/src/multiarray): an element's address is
 * data + sum(idx[k] * strides[k]) with byte strides that may be zero (broadcast), negative
 * (reversed slices) or anything a permutation produces. A view is a new header over the same
 * buffer: slicing moves `data` to the first selected element and multiplies strides by the
 * step, transposing permutes shape and strides, reshaping a C-contiguous array recomputes C
 * strides. Nothing here allocates except making a new owner (init, copy) and growing a 1-d
 * owner, and each of those makes exactly one allocation of capacity * itemsize bytes, type
 * NULL (a leaf).
 *
 * Invariants: 0 <= ndim <= MAXDIM; size = prod(shape); data != NULL (the allocator's zero
 * token when an owner holds no bytes); for an owner, base is NULL iff cap * itemsize == 0,
 * and base == data; for a view, base is the owner's base. Every product of non-zero dims times
 * itemsize is <= MC_SIZE_MAX, so byte offsets and strides fit in ptrdiff_t.
 *
 * Growth of 1-d owners (append): doubling, 1.5x, or CPython 3.9+'s list over-allocation
 * (Objects/listobject.c, list_resize):
 *     new_allocated = ((size_t)newsize + (newsize >> 3) + 6) & ~(size_t)3;
 *     if (newsize - Py_SIZE(self) > (Py_ssize_t)(new_allocated - newsize))
 *         new_allocated = ((size_t)newsize + 3) & ~(size_t)3;
 * and shrinking on pop as list_resize does (below half the capacity; to zero when empty), or
 * for the other two policies by halving once a quarter is used. The buffer is resized through
 * mc_alloc_resize; on failure nothing changed (a refused shrink is simply skipped). */
#include "mc_ndarray.h"

#include <string.h>

#include "mc_ndarray_impl.h"

/* ---- dtypes ----------------------------------------------------------------------------- */

size_t mc_dtype_size(mc_dtype dt) {
  switch (dt) {
  case MC_DTYPE_F64: return 8;
  case MC_DTYPE_F32: return 4;
  case MC_DTYPE_I64: return 8;
  case MC_DTYPE_I32: return 4;
  case MC_DTYPE_U8: return 1;
  default: return 0;
  }
}

const char *mc_dtype_name(mc_dtype dt) {
  static const char *const names[MC_DTYPE_COUNT] = {"f64", "f32", "i64", "i32", "u8"};
  return (unsigned)dt < MC_DTYPE_COUNT ? names[dt] : "?";
}

int mc__to_dtype(mc_dtype dt, double v, void *dst) {
  double t = v; /* integer targets: the range test is on the value truncated toward zero */
  switch (dt) {
  case MC_DTYPE_F64: memcpy(dst, &v, 8); return MC_OK;
  case MC_DTYPE_F32: {
    float f = (float)v;
    memcpy(dst, &f, 4);
    return MC_OK;
  }
  case MC_DTYPE_I64:
    if (!(t > -9223372036854777856.0 && t < 9223372036854775808.0)) return MC_ERANGE;
    {
      int64_t i = (int64_t)t;
      memcpy(dst, &i, 8);
    }
    return MC_OK;
  case MC_DTYPE_I32:
    if (!(t > -2147483649.0 && t < 2147483648.0)) return MC_ERANGE;
    {
      int32_t i = (int32_t)t;
      memcpy(dst, &i, 4);
    }
    return MC_OK;
  case MC_DTYPE_U8:
    if (!(t > -1.0 && t < 256.0)) return MC_ERANGE;
    {
      uint8_t u = (uint8_t)t;
      memcpy(dst, &u, 1);
    }
    return MC_OK;
  default: return MC_EINVAL;
  }
}

double mc__from_dtype(mc_dtype dt, const void *p) {
  switch (dt) {
  case MC_DTYPE_F64: return *(const double *)p;
  case MC_DTYPE_F32: return *(const float *)p;
  case MC_DTYPE_I64: return (double)*(const int64_t *)p;
  case MC_DTYPE_I32: return *(const int32_t *)p;
  case MC_DTYPE_U8: return *(const uint8_t *)p;
  default: return 0.0;
  }
}

/* ---- lifetime ----------------------------------------------------------------------------- */

/* Fills C-contiguous strides for shape and returns the element count in *size. MC_ERANGE if
 * the product of the non-zero dims times itemsize exceeds MC_SIZE_MAX. */
static int c_layout(int ndim, const size_t *shape, size_t itemsize, ptrdiff_t *strides,
                    size_t *size) {
  size_t nonzero = 1, n = 1;
  for (int k = 0; k < ndim; k++) {
    if (shape[k] == 0)
      n = 0;
    else if (mc_size_mul(nonzero, shape[k], &nonzero) != MC_OK)
      return MC_ERANGE;
  }
  size_t bytes;
  if (mc_size_mul(nonzero, itemsize, &bytes) != MC_OK) return MC_ERANGE;
  size_t st = itemsize;
  for (int k = ndim - 1; k >= 0; k--) {
    strides[k] = (ptrdiff_t)st;
    if (shape[k] != 0) st *= shape[k];
  }
  *size = n ? nonzero : 0;
  return MC_OK;
}

int mc__ndarray_new(mc_ndarray *out, mc_alloc al, mc_dtype dt, int ndim, const size_t *shape,
                    int zero) {
  size_t itemsize = mc_dtype_size(dt);
  if (itemsize == 0 || ndim < 0 || ndim > MC_NDARRAY_MAXDIM || (ndim > 0 && !shape))
    return MC_EINVAL;
  ptrdiff_t strides[MC_NDARRAY_MAXDIM];
  size_t size;
  int rc = c_layout(ndim, shape, itemsize, strides, &size);
  if (rc != MC_OK) return rc;
  void *p = mc_alloc_new(al, size * itemsize, MC_NDARRAY_ALIGN, NULL);
  if (!p) return MC_ENOMEM;
  if (zero && size) memset(p, 0, size * itemsize);
  memset(out, 0, sizeof *out);
  out->al = al;
  out->data = p;
  out->cap = size;
  out->size = size;
  out->itemsize = itemsize;
  for (int k = 0; k < ndim; k++) {
    out->shape[k] = shape[k];
    out->strides[k] = strides[k];
  }
  out->ndim = ndim;
  out->dtype = dt;
  out->growth = MC_GROWTH_DOUBLE;
  out->owns = 1;
  /* The new block is reachable only from p until this store: no allocation in between. */
  mc_root_add(al, &out->base);
  out->base = size ? p : NULL;
  return MC_OK;
}

int mc_ndarray_init(mc_ndarray *a, mc_alloc al, mc_dtype dt, int ndim, const size_t *shape) {
  return mc__ndarray_new(a, al, dt, ndim, shape, 1);
}

void mc_ndarray_destroy(mc_ndarray *a) {
  if (!a->al.vt) return; /* zeroed */
  void *base = a->base;
  mc_root_remove(a->al, &a->base);
  if (a->owns && base) mc_alloc_free(a->al, base, a->cap * a->itemsize, MC_NDARRAY_ALIGN);
  memset(a, 0, sizeof *a);
}

int mc_ndarray_set_growth(mc_ndarray *a, mc_growth g) {
  if ((unsigned)g >= MC_GROWTH_COUNT) return MC_EINVAL;
  a->growth = g;
  return MC_OK;
}

void mc__ndarray_scalar_view(mc_ndarray *v, mc_alloc al, mc_dtype dt, mc__scalar *s) {
  memset(v, 0, sizeof *v);
  v->al = al;
  v->data = (char *)s;
  v->size = 1;
  v->itemsize = mc_dtype_size(dt);
  v->dtype = dt;
}

/* ---- element access --------------------------------------------------------------------- */

int mc_ndarray_is_contiguous(const mc_ndarray *a) {
  if (a->size <= 1) return 1;
  size_t expect = a->itemsize;
  for (int k = a->ndim - 1; k >= 0; k--) {
    if (a->shape[k] == 1) continue;
    if (a->strides[k] != (ptrdiff_t)expect) return 0;
    expect *= a->shape[k];
  }
  return 1;
}

int mc_ndarray_ptr(const mc_ndarray *a, const size_t *idx, void **p) {
  char *q = a->data;
  for (int k = 0; k < a->ndim; k++) {
    if (idx[k] >= a->shape[k]) return MC_ERANGE;
    q += (ptrdiff_t)idx[k] * a->strides[k];
  }
  *p = q;
  return MC_OK;
}

int mc_ndarray_get(const mc_ndarray *a, const size_t *idx, double *out) {
  void *p;
  int rc = mc_ndarray_ptr(a, idx, &p);
  if (rc != MC_OK) return rc;
  *out = mc__from_dtype(a->dtype, p);
  return MC_OK;
}

int mc_ndarray_set(mc_ndarray *a, const size_t *idx, double v) {
  void *p;
  int rc = mc_ndarray_ptr(a, idx, &p);
  if (rc != MC_OK) return rc;
  return mc__to_dtype(a->dtype, v, p);
}

int mc_ndarray_fill(mc_ndarray *a, double v) {
  mc__scalar s;
  int rc = mc__to_dtype(a->dtype, v, &s);
  if (rc != MC_OK) return rc;
  size_t idx[MC_NDARRAY_MAXDIM] = {0};
  for (size_t i = 0; i < a->size; i++) {
    char *q = a->data;
    for (int k = 0; k < a->ndim; k++) q += (ptrdiff_t)idx[k] * a->strides[k];
    memcpy(q, &s, a->itemsize);
    for (int k = a->ndim - 1; k >= 0 && ++idx[k] == a->shape[k]; k--) idx[k] = 0;
  }
  return MC_OK;
}

/* ---- views --------------------------------------------------------------------------------- */

/* Starts *view as a non-owning copy of a's header (root registered at view's address). */
static void view_of(mc_ndarray *view, const mc_ndarray *a) {
  memcpy(view, a, sizeof *view);
  view->cap = 0;
  view->owns = 0;
  mc_root_add(a->al, &view->base);
  view->base = a->base;
}

/* Python's slice.indices + len: clamps start/stop into *first and returns the length. */
static size_t slice_len(mc_slice s, size_t n, ptrdiff_t *first) {
  ptrdiff_t len = (ptrdiff_t)n, start, stop;
  ptrdiff_t lo = s.step > 0 ? 0 : -1, hi = s.step > 0 ? len : len - 1;
  if (s.start == MC_SLICE_NONE)
    start = s.step > 0 ? lo : hi;
  else {
    start = s.start < 0 ? s.start + len : s.start;
    start = start < lo ? lo : start > hi ? hi : start;
  }
  if (s.stop == MC_SLICE_NONE)
    stop = s.step > 0 ? hi : lo;
  else {
    stop = s.stop < 0 ? s.stop + len : s.stop;
    stop = stop < lo ? lo : stop > hi ? hi : stop;
  }
  *first = start;
  if (s.step > 0) return stop > start ? (size_t)((stop - start - 1) / s.step + 1) : 0;
  return start > stop ? (size_t)((start - stop - 1) / -s.step + 1) : 0;
}

int mc_ndarray_slice(mc_ndarray *view, const mc_ndarray *a, const mc_slice *s, int n) {
  if (n < 0 || n > a->ndim) return MC_EINVAL;
  size_t len[MC_NDARRAY_MAXDIM];
  ptrdiff_t first[MC_NDARRAY_MAXDIM];
  for (int k = 0; k < n; k++) {
    if (s[k].step == 0 || s[k].step == PTRDIFF_MIN) return MC_EINVAL;
    len[k] = slice_len(s[k], a->shape[k], &first[k]);
  }
  view_of(view, a);
  size_t size = 1;
  for (int k = 0; k < n; k++) {
    if (len[k] == 0) continue; /* data stays put: no element is ever addressed */
    view->data += first[k] * a->strides[k];
    view->shape[k] = len[k];
    /* With two or more elements |step| < shape, so the product cannot overflow. */
    if (len[k] > 1) view->strides[k] = a->strides[k] * s[k].step;
  }
  for (int k = 0; k < n; k++)
    if (len[k] == 0) view->shape[k] = 0;
  for (int k = 0; k < a->ndim; k++) size *= view->shape[k];
  view->size = size;
  return MC_OK;
}

int mc_ndarray_index(mc_ndarray *view, const mc_ndarray *a, int axis, ptrdiff_t i) {
  if (axis < 0 || axis >= a->ndim) return MC_EINVAL;
  ptrdiff_t n = (ptrdiff_t)a->shape[axis];
  if (i < 0) i += n;
  if (i < 0 || i >= n) return MC_ERANGE;
  view_of(view, a);
  view->data += i * a->strides[axis];
  for (int k = axis; k + 1 < a->ndim; k++) {
    view->shape[k] = a->shape[k + 1];
    view->strides[k] = a->strides[k + 1];
  }
  view->ndim = a->ndim - 1;
  view->shape[view->ndim] = 0;
  view->strides[view->ndim] = 0;
  view->size = n ? a->size / (size_t)n : 0;
  return MC_OK;
}

int mc_ndarray_transpose(mc_ndarray *view, const mc_ndarray *a, const int *perm) {
  int p[MC_NDARRAY_MAXDIM], seen[MC_NDARRAY_MAXDIM] = {0};
  for (int k = 0; k < a->ndim; k++) {
    p[k] = perm ? perm[k] : a->ndim - 1 - k;
    if (p[k] < 0 || p[k] >= a->ndim || seen[p[k]]++) return MC_EINVAL;
  }
  view_of(view, a);
  for (int k = 0; k < a->ndim; k++) {
    view->shape[k] = a->shape[p[k]];
    view->strides[k] = a->strides[p[k]];
  }
  return MC_OK;
}

/* ---- copies ---------------------------------------------------------------------------------- */

/* Copies a's elements in C order into the contiguous buffer dst. */
static void gather(char *dst, const mc_ndarray *a) {
  if (a->size == 0) return;
  if (mc_ndarray_is_contiguous(a)) {
    memcpy(dst, a->data, a->size * a->itemsize);
    return;
  }
  int in = a->ndim - 1; /* ndim >= 1 here: a 0-d array is contiguous */
  size_t inner = a->shape[in], isz = a->itemsize, idx[MC_NDARRAY_MAXDIM] = {0};
  ptrdiff_t st = a->strides[in];
  for (size_t done = 0; done < a->size; done += inner) {
    const char *q = a->data;
    for (int k = 0; k < in; k++) q += (ptrdiff_t)idx[k] * a->strides[k];
    switch (isz) {
    case 8:
      for (size_t i = 0; i < inner; i++) memcpy(dst + 8 * i, q + (ptrdiff_t)i * st, 8);
      break;
    case 4:
      for (size_t i = 0; i < inner; i++) memcpy(dst + 4 * i, q + (ptrdiff_t)i * st, 4);
      break;
    default:
      for (size_t i = 0; i < inner; i++) dst[i] = q[(ptrdiff_t)i * st];
      break;
    }
    dst += inner * isz;
    for (int k = in - 1; k >= 0 && ++idx[k] == a->shape[k]; k--) idx[k] = 0;
  }
}

int mc_ndarray_copy(mc_ndarray *out, const mc_ndarray *a) {
  int rc = mc__ndarray_new(out, a->al, a->dtype, a->ndim, a->shape, 0);
  if (rc != MC_OK) return rc;
  gather(out->data, a);
  return MC_OK;
}

int mc_ndarray_ascontiguous(mc_ndarray *out, const mc_ndarray *a) {
  if (!mc_ndarray_is_contiguous(a)) return mc_ndarray_copy(out, a);
  view_of(out, a);
  ptrdiff_t st = (ptrdiff_t)a->itemsize; /* normalise the strides of size-1 dims too */
  for (int k = a->ndim - 1; k >= 0; k--) {
    out->strides[k] = st;
    if (a->shape[k]) st *= (ptrdiff_t)a->shape[k];
  }
  return MC_OK;
}

int mc_ndarray_reshape(mc_ndarray *out, const mc_ndarray *a, int ndim, const size_t *shape) {
  if (ndim < 0 || ndim > MC_NDARRAY_MAXDIM || (ndim > 0 && !shape)) return MC_EINVAL;
  ptrdiff_t strides[MC_NDARRAY_MAXDIM];
  size_t size;
  int rc = c_layout(ndim, shape, a->itemsize, strides, &size);
  if (rc != MC_OK) return rc;
  if (size != a->size) return MC_EINVAL;
  if (mc_ndarray_is_contiguous(a)) {
    view_of(out, a);
  } else {
    rc = mc__ndarray_new(out, a->al, a->dtype, ndim, shape, 0);
    if (rc != MC_OK) return rc;
    gather(out->data, a);
  }
  memset(out->shape, 0, sizeof out->shape);
  memset(out->strides, 0, sizeof out->strides);
  for (int k = 0; k < ndim; k++) {
    out->shape[k] = shape[k];
    out->strides[k] = strides[k];
  }
  out->ndim = ndim;
  return MC_OK;
}

/* ---- growth ------------------------------------------------------------------------------- */

/* Each policy's answer is computed as growth = answer - cap (or - need), which cannot overflow,
 * and clamped by comparing growth with the room left, max - cap (or max - need): the answer is
 * max only when the policy's own value exceeds max. (The clamps used to test a rounded-down
 * bound such as cap > max / 3 * 2, which fired up to 2 elements early: 1.5x from 653 under
 * max 980 gave 980, not 979.) */
size_t mc_ndarray_grow_capacity(mc_growth g, size_t cap, size_t need, size_t max) {
  if (need > max) return 0;
  if (need <= cap) return cap;
  size_t n; /* here cap < need <= max, so max - cap and max - need do not wrap */
  switch (g) {
  case MC_GROWTH_DOUBLE: n = cap > max - cap ? max : 2 * cap; break;
  case MC_GROWTH_1_5: n = cap / 2 > max - cap ? max : cap + cap / 2; break;
  case MC_GROWTH_CPYTHON: {
    /* list_resize with newsize = need and Py_SIZE = cap (append on a full list):
     * (need + (need >> 3) + 6) & ~3 is need + over, over = extra - (need + extra) % 4 (the
     * sum's residue mod 4 is the same computed modulo 2^bits), so no sum can overflow. */
    size_t extra = (need >> 3) + 6;
    size_t over = extra - ((need + extra) & 3);
    if (need - cap > over) over = (0 - need) & 3; /* (need + 3) & ~3 */
    n = over > max - need ? max : need + over;
    break;
  }
  default: n = need; break;
  }
  return n < need ? need : n;
}

size_t mc_ndarray_shrink_capacity(mc_growth g, size_t cap, size_t size) {
  if (size > cap) return cap;
  switch (g) {
  case MC_GROWTH_CPYTHON:
    if (size >= (cap >> 1)) return cap;
    if (size == 0) return 0;
    return (size + (size >> 3) + 6) & ~(size_t)3;
  case MC_GROWTH_DOUBLE:
  case MC_GROWTH_1_5: return size < cap / 4 ? cap / 2 : cap;
  default: return cap;
  }
}

/* Stores one element of n bytes (constant-size copies: no call to memcpy). */
static inline void put(char *dst, const mc__scalar *s, size_t n) {
  switch (n) {
  case 8: memcpy(dst, s, 8); break;
  case 4: memcpy(dst, s, 4); break;
  default: memcpy(dst, s, 1); break;
  }
}

/* Resizes a 1-d owner's buffer to exactly ncap elements; nothing changes on failure. */
static int set_capacity(mc_ndarray *a, size_t ncap) {
  size_t old = a->cap * a->itemsize, nbytes = ncap * a->itemsize;
  void *p = mc_alloc_resize(a->al, a->base, old, nbytes, MC_NDARRAY_ALIGN);
  if (!p) return MC_ENOMEM;
  a->base = nbytes ? p : NULL; /* a root slot: a plain store; resize to 0 gave the zero token */
  a->data = p;
  a->cap = ncap;
  return MC_OK;
}

int mc_ndarray_reserve(mc_ndarray *a, size_t n) {
  if (a->ndim != 1 || !a->owns) return MC_EINVAL;
  if (n <= a->cap) return MC_OK;
  if (n > MC_SIZE_MAX / a->itemsize) return MC_ERANGE;
  return set_capacity(a, n);
}

int mc_ndarray_append(mc_ndarray *a, double v) {
  if (a->ndim != 1 || !a->owns) return MC_EINVAL;
  mc__scalar s;
  int rc = mc__to_dtype(a->dtype, v, &s);
  if (rc != MC_OK) return rc;
  if (a->size == a->cap) {
    size_t max = MC_SIZE_MAX / a->itemsize;
    if (a->size >= max) return MC_ERANGE;
    size_t ncap = mc_ndarray_grow_capacity(a->growth, a->cap, a->size + 1, max);
    if ((rc = set_capacity(a, ncap)) != MC_OK) return rc;
  }
  put(a->data + a->size * a->itemsize, &s, a->itemsize);
  a->size++;
  a->shape[0] = a->size;
  return MC_OK;
}

int mc_ndarray_pop(mc_ndarray *a, double *out) {
  if (a->ndim != 1 || !a->owns) return MC_EINVAL;
  if (a->size == 0) return MC_EEMPTY;
  double v = mc__from_dtype(a->dtype, a->data + (a->size - 1) * a->itemsize);
  a->size--;
  a->shape[0] = a->size;
  size_t ncap = mc_ndarray_shrink_capacity(a->growth, a->cap, a->size);
  if (ncap < a->cap) (void)set_capacity(a, ncap); /* refused: keep the bigger buffer */
  if (out) *out = v;
  return MC_OK;
}
