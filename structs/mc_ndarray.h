/* mc_ndarray.h — a typed n-dimensional array in the image of NumPy's ndarray: dtypes, shape and
 * byte strides up to MC_NDARRAY_MAXDIM dims, views sharing one buffer, elementwise arithmetic
 * with NumPy broadcasting, reductions, and amortised append on 1-d with a growth policy.
 *
 * MEMORY. The header (mc_ndarray) is caller-owned. The element buffer is ONE allocation
 * through the array's mc_alloc with type NULL (a leaf, it holds no pointers) of exactly
 * capacity * itemsize bytes (an array made by init of N f64 requests exactly N * 8 bytes; no
 * other allocation is ever made). `base` points to the START of that buffer and is registered
 * as a root at init and removed at destroy; `data` points to the first element (an interior
 * pointer for views) and is never registered.
 *
 * OWNERSHIP OF SHARED BUFFERS. An array made by init, copy, a copying reshape/ascontiguous, an
 * elementwise op or a reduction OWNS its buffer (owns = 1) and frees it at destroy. A view
 * (slice, index, transpose, a viewing reshape/ascontiguous) is a non-owning header (owns = 0):
 * it keeps `base` as a root (so a collector sees the buffer as reachable) but never frees it.
 * REQUIRES: a view is destroyed before its owner, and the owner is not grown (append/reserve
 * may move the buffer) while views of it exist. No reference count lives in the buffer, so the
 * design works unchanged under arena, stack and collected heaps.
 * Headers must not be copied by value (the root is registered at the header's address): make
 * new headers with the view functions.
 *
 * ERRORS. Every fallible function returns MC_OK or a negative MC_E* code and on failure leaves
 * every array (and *out) exactly as it was: shape x itemsize overflow -> MC_ERANGE, broadcast
 * mismatch or bad argument -> MC_EINVAL, index out of range -> MC_ERANGE, allocation failure ->
 * MC_ENOMEM, reduction without identity over zero elements -> MC_EEMPTY.
 *
 * INTEGER ARITHMETIC wraps modulo 2^bits (no undefined behaviour); division truncates toward
 * zero like C (NumPy's floor_divide floors), x / 0 == 0 (as NumPy yields, without its
 * warning), INT_MIN / -1 == INT_MIN. Values cross the API as double; an integer dtype rejects
 * a double it cannot represent after truncation (NaN, out of range) with MC_ERANGE. */
#ifndef MC_NDARRAY_H
#define MC_NDARRAY_H

#include <stddef.h>
#include <stdint.h>

#include "mc_alloc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- types ------------------------------------------------------------------------------ */

#define MC_NDARRAY_MAXDIM 8       /* dims at most (NumPy allows 32, 64 since 2.0) */
#define MC_NDARRAY_ALIGN 64       /* bytes, buffer alignment: a cache line, whole SIMD vectors */
#define MC_SLICE_NONE PTRDIFF_MIN /* an omitted start or stop (Python's None) */

typedef enum mc_dtype {
  MC_DTYPE_F64 = 0, /* double */
  MC_DTYPE_F32,     /* float */
  MC_DTYPE_I64,     /* int64_t */
  MC_DTYPE_I32,     /* int32_t */
  MC_DTYPE_U8,      /* uint8_t */
  MC_DTYPE_COUNT
} mc_dtype;

typedef enum mc_binop {
  MC_OP_ADD = 0, /* x + y */
  MC_OP_SUB,     /* x - y */
  MC_OP_MUL,     /* x * y */
  MC_OP_DIV,     /* x / y (see INTEGER ARITHMETIC above) */
  MC_OP_COUNT
} mc_binop;

typedef enum mc_reduce {
  MC_REDUCE_SUM = 0, /* sum (0 over zero elements) */
  MC_REDUCE_MIN,     /* minimum; NaN if any element is NaN; MC_EEMPTY over zero elements */
  MC_REDUCE_MAX,     /* maximum; NaN if any element is NaN; MC_EEMPTY over zero elements */
  MC_REDUCE_MEAN,    /* sum / count; MC_EEMPTY over zero elements */
  MC_REDUCE_COUNT
} mc_reduce;

/* Growth policies of append/reserve on 1-d (new capacity when `need` elements do not fit). */
typedef enum mc_growth {
  MC_GROWTH_DOUBLE = 0, /* max(need, 2 * cap) */
  MC_GROWTH_1_5,        /* max(need, cap + cap / 2) */
  MC_GROWTH_CPYTHON,    /* CPython 3.9+ list_resize: (need + (need >> 3) + 6) & ~3 */
  MC_GROWTH_COUNT
} mc_growth;

/* One axis of a slice, Python's start:stop:step. start/stop may be negative (counted from the
 * end) or MC_SLICE_NONE; out-of-range bounds are clamped as Python does; step != 0. */
typedef struct mc_slice {
  ptrdiff_t start; /* index, or MC_SLICE_NONE */
  ptrdiff_t stop;  /* index (exclusive), or MC_SLICE_NONE */
  ptrdiff_t step;  /* non-zero, may be negative */
} mc_slice;

typedef struct mc_ndarray mc_ndarray;
struct mc_ndarray {
  mc_alloc al;                          /* the allocator of the buffer */
  void *base;                           /* start of the allocated buffer (a root); NULL if none */
  char *data;                           /* address of element [0,...,0]; never NULL */
  size_t cap;                           /* elements the buffer holds (owner); 0 for views */
  size_t size;                          /* elements, the product of shape */
  size_t itemsize;                      /* bytes per element */
  size_t shape[MC_NDARRAY_MAXDIM];      /* elements per axis */
  ptrdiff_t strides[MC_NDARRAY_MAXDIM]; /* bytes between neighbours along each axis */
  int ndim;                             /* 0..MC_NDARRAY_MAXDIM (0: a scalar, size 1) */
  mc_dtype dtype;                       /* element type */
  mc_growth growth;                     /* append policy */
  int owns;                             /* 1: frees the buffer at destroy; 0: a view */
};

/* ---- dtypes ----------------------------------------------------------------------------- */

/* Bytes per element of dt (0 for an invalid dtype). */
size_t mc_dtype_size(mc_dtype dt);

/* "f64", "f32", "i64", "i32", "u8" (or "?"). */
const char *mc_dtype_name(mc_dtype dt);

/* ---- lifetime ----------------------------------------------------------------------------- */

/* Makes a zero-filled, C-contiguous array of dtype dt and shape[0..ndim) owning a buffer of
 * exactly size * itemsize bytes allocated through al (none at all when size is 0).
 * Returns MC_OK, MC_EINVAL (bad dtype or ndim outside 0..MC_NDARRAY_MAXDIM), MC_ERANGE (the
 * product of the non-zero dims times itemsize exceeds MC_SIZE_MAX) or MC_ENOMEM.
 * On failure *a is untouched. REQUIRES: a is not a live array. */
int mc_ndarray_init(mc_ndarray *a, mc_alloc al, mc_dtype dt, int ndim, const size_t *shape);

/* Releases the buffer if a owns it, unregisters the root and zeroes *a. Accepts a zeroed
 * struct. REQUIRES: every view of a was destroyed before. */
void mc_ndarray_destroy(mc_ndarray *a);

/* Sets the growth policy used by append and pop (MC_GROWTH_DOUBLE after init). MC_EINVAL for an
 * unknown policy (a unchanged). */
int mc_ndarray_set_growth(mc_ndarray *a, mc_growth g);

/* ---- accessors ---------------------------------------------------------------------------- */

/* Elements, dims, elements along axis (REQUIRES 0 <= axis < ndim), bytes of the elements (not
 * of the buffer: an owner's capacity may be larger, a view's elements may be spread out). */
static inline size_t mc_ndarray_size(const mc_ndarray *a) { return a->size; }
static inline int mc_ndarray_ndim(const mc_ndarray *a) { return a->ndim; }
static inline size_t mc_ndarray_dim(const mc_ndarray *a, int axis) { return a->shape[axis]; }
static inline size_t mc_ndarray_nbytes(const mc_ndarray *a) { return a->size * a->itemsize; }

/* 1 if the elements lie in C order without gaps (always for size 0 or 1). */
int mc_ndarray_is_contiguous(const mc_ndarray *a);

/* Stores in *p the address of the element at idx[0..ndim) (ndim 0: idx may be NULL).
 * Returns MC_ERANGE if an index is out of range (*p unchanged). */
int mc_ndarray_ptr(const mc_ndarray *a, const size_t *idx, void **p);

/* Reads the element at idx as a double (i64 beyond 2^53 rounds). MC_ERANGE: bad index. */
int mc_ndarray_get(const mc_ndarray *a, const size_t *idx, double *out);

/* Writes v at idx, converted to the dtype. MC_ERANGE: bad index, or v not representable in
 * an integer dtype. The array is unchanged on failure. */
int mc_ndarray_set(mc_ndarray *a, const size_t *idx, double v);

/* Writes v into every element. MC_ERANGE if v is not representable (array unchanged). */
int mc_ndarray_fill(mc_ndarray *a, double v);

/* ---- views (no allocation; *view must not be a live array; it shares a's buffer) --------- */

/* view = a[s[0], ..., s[n-1], :, ...] (n <= ndim). MC_EINVAL: n > ndim or a zero step
 * (or PTRDIFF_MIN). Bounds clamp as in Python; empty results are fine. */
int mc_ndarray_slice(mc_ndarray *view, const mc_ndarray *a, const mc_slice *s, int n);

/* view = a indexed by i along axis, which disappears (NumPy a[..., i, ...]). i may be negative
 * (from the end). MC_EINVAL: bad axis; MC_ERANGE: i out of range. */
int mc_ndarray_index(mc_ndarray *view, const mc_ndarray *a, int axis, ptrdiff_t i);

/* view = axes of a permuted: view.shape[k] = a.shape[perm[k]]. perm NULL reverses the axes
 * (a.T). MC_EINVAL if perm is not a permutation of 0..ndim-1. */
int mc_ndarray_transpose(mc_ndarray *view, const mc_ndarray *a, const int *perm);

/* ---- copies and maybe-copies (*out must not be a live array) ------------------------------ */

/* out = a C-contiguous copy of a owning a new buffer through a's allocator. MC_ENOMEM. */
int mc_ndarray_copy(mc_ndarray *out, const mc_ndarray *a);

/* out = a view of a if a is C-contiguous, else a copy (check out->owns). MC_ENOMEM. */
int mc_ndarray_ascontiguous(mc_ndarray *out, const mc_ndarray *a);

/* out = a with shape[0..ndim): a view when a is C-contiguous, else a C-contiguous copy
 * (out->owns says which). MC_EINVAL: bad ndim or a different element count; MC_ERANGE: the
 * shape's product overflows; MC_ENOMEM. */
int mc_ndarray_reshape(mc_ndarray *out, const mc_ndarray *a, int ndim, const size_t *shape);

/* ---- elementwise arithmetic (NumPy broadcasting) -------------------------------------------
 * Shapes are aligned on their last axis; two dims match when equal or when one is 1; a missing
 * dim counts as 1. x and y must have the same dtype (the result's). MC_EINVAL on a mismatch. */

/* out = x op y, a new C-contiguous array (through x's allocator) of the broadcast shape.
 * MC_EINVAL (dtype/shape mismatch, bad op), MC_ENOMEM. *out untouched on failure. */
int mc_ndarray_binop(mc_ndarray *out, mc_binop op, const mc_ndarray *x, const mc_ndarray *y);

/* out op= : writes x op y into the existing array out, whose shape must equal the broadcast
 * shape and whose dtype must match. out may be x or y themselves (in place) but must not
 * otherwise overlap them. Never allocates. MC_EINVAL on a mismatch (out unchanged). */
int mc_ndarray_binop_into(mc_ndarray *out, mc_binop op, const mc_ndarray *x, const mc_ndarray *y);

/* out = x op s (scalar on the right) / s op x (scalar on the left, `_rscalar`), new arrays or
 * into an existing one as above. MC_ERANGE if s is not representable in the dtype. */
int mc_ndarray_binop_scalar(mc_ndarray *out, mc_binop op, const mc_ndarray *x, double s);
int mc_ndarray_binop_rscalar(mc_ndarray *out, mc_binop op, double s, const mc_ndarray *x);
int mc_ndarray_binop_scalar_into(mc_ndarray *out, mc_binop op, const mc_ndarray *x, double s);
int mc_ndarray_binop_rscalar_into(mc_ndarray *out, mc_binop op, double s, const mc_ndarray *x);

static inline int mc_ndarray_add(mc_ndarray *out, const mc_ndarray *x, const mc_ndarray *y) {
  return mc_ndarray_binop(out, MC_OP_ADD, x, y);
}
static inline int mc_ndarray_sub(mc_ndarray *out, const mc_ndarray *x, const mc_ndarray *y) {
  return mc_ndarray_binop(out, MC_OP_SUB, x, y);
}
static inline int mc_ndarray_mul(mc_ndarray *out, const mc_ndarray *x, const mc_ndarray *y) {
  return mc_ndarray_binop(out, MC_OP_MUL, x, y);
}
static inline int mc_ndarray_div(mc_ndarray *out, const mc_ndarray *x, const mc_ndarray *y) {
  return mc_ndarray_binop(out, MC_OP_DIV, x, y);
}

/* ---- reductions ------------------------------------------------------------------------------
 * Floats accumulate in double (f32 too); integer sums accumulate in 64 bits, wrapping. */

/* *out = op over every element of a. MC_EEMPTY (min/max/mean of nothing), MC_EINVAL (op). */
int mc_ndarray_reduce(const mc_ndarray *a, mc_reduce op, double *out);

static inline int mc_ndarray_sum(const mc_ndarray *a, double *out) {
  return mc_ndarray_reduce(a, MC_REDUCE_SUM, out);
}
static inline int mc_ndarray_min(const mc_ndarray *a, double *out) {
  return mc_ndarray_reduce(a, MC_REDUCE_MIN, out);
}
static inline int mc_ndarray_max(const mc_ndarray *a, double *out) {
  return mc_ndarray_reduce(a, MC_REDUCE_MAX, out);
}
static inline int mc_ndarray_mean(const mc_ndarray *a, double *out) {
  return mc_ndarray_reduce(a, MC_REDUCE_MEAN, out);
}

/* out = op along axis: a new f64 array (through a's allocator) of a's shape without that axis
 * (a 0-d array when a is 1-d). MC_EINVAL (bad axis or op), MC_EEMPTY (min/max/mean along a
 * zero-length axis), MC_ENOMEM. *out untouched on failure. */
int mc_ndarray_reduce_axis(mc_ndarray *out, const mc_ndarray *a, mc_reduce op, int axis);

/* ---- growth (1-d owners) ---------------------------------------------------------------- */

/* The capacity policy g gives when `need` elements must fit into `cap`: the policy's value
 * when it is at most max, else max; never below need (cap itself if need <= cap; 0 if
 * need > max). Exposed for tests and benches. */
size_t mc_ndarray_grow_capacity(mc_growth g, size_t cap, size_t need, size_t max);

/* Ensures capacity for n elements (exactly n: no policy). MC_EINVAL unless a is a 1-d owner;
 * MC_ERANGE if n * itemsize overflows; MC_ENOMEM. REQUIRES: no live views of a. */
int mc_ndarray_reserve(mc_ndarray *a, size_t n);

/* Appends v (converted to the dtype), growing the buffer by the growth policy when full.
 * MC_EINVAL unless a is a 1-d owner; MC_ERANGE (v not representable, or size overflow);
 * MC_ENOMEM. a unchanged on failure. REQUIRES: no live views of a. */
int mc_ndarray_append(mc_ndarray *a, double v);

/* The capacity policy g shrinks to when `size` elements remain in `cap` (cap itself: keep).
 * CPYTHON follows list_resize (shrink below half: to (size + (size >> 3) + 6) & ~3, to 0 when
 * empty); DOUBLE and 1_5 halve the capacity once size < cap / 4 (hysteresis: no thrashing). */
size_t mc_ndarray_shrink_capacity(mc_growth g, size_t cap, size_t size);

/* Removes the last element of a 1-d owner, stored in *out unless out is NULL, and shrinks the
 * buffer when the policy says so. A shrink the allocator refuses is skipped (the buffer stays
 * as it was), so pop never fails for lack of memory. MC_EINVAL unless a is a 1-d owner;
 * MC_EEMPTY if a is empty (a unchanged). REQUIRES: no live views of a. */
int mc_ndarray_pop(mc_ndarray *a, double *out);

#ifdef __cplusplus
}
#endif
#endif /* MC_NDARRAY_H */
