/* test_ndarray_ops.c — elementwise arithmetic (mc_ndarray_ops.c) and reductions
 * (mc_ndarray_reduce.c) under every allocator: random small n-d shapes with broadcasting and
 * transposed or reversed-strided operands, new and existing outputs, in place on either or both
 * operands, scalar forms on both sides, and every reduction over everything and along each
 * axis, all against a naive element-by-element reference. Seeds are fixed. */
#include <stdio.h>

#include "ndarray_check.h"

/* Reference for one element op, with the documented integer semantics. */
static double ref_op(mc_dtype dt, mc_binop op, double xd, double yd) {
  switch (dt) {
  case MC_DTYPE_F64:
    return op == MC_OP_ADD   ? xd + yd
           : op == MC_OP_SUB ? xd - yd
           : op == MC_OP_MUL ? xd * yd
                             : xd / yd;
  case MC_DTYPE_F32: {
    float x = (float)xd, y = (float)yd;
    float z = op == MC_OP_ADD ? x + y : op == MC_OP_SUB ? x - y : op == MC_OP_MUL ? x * y : x / y;
    return z;
  }
  default: {
    int64_t x = (int64_t)xd, y = (int64_t)yd, z; /* wrapping arithmetic, in unsigned */
    if (op == MC_OP_ADD)
      z = (int64_t)((uint64_t)x + (uint64_t)y);
    else if (op == MC_OP_SUB)
      z = (int64_t)((uint64_t)x - (uint64_t)y);
    else if (op == MC_OP_MUL)
      z = (int64_t)((uint64_t)x * (uint64_t)y);
    else
      z = y == 0 ? 0 : (x == INT64_MIN && y == -1) ? x : x / y;
    if (dt == MC_DTYPE_U8) z = (uint8_t)(uint64_t)z;            /* modulo 2^8 */
    if (dt == MC_DTYPE_I32) z = (int32_t)(uint32_t)(uint64_t)z; /* modulo 2^32 */
    return (double)z;
  }
  }
}

/* ---- operands: plain, transposed view, or reversed strided slice ------------------------- */

typedef struct operand {
  mc_ndarray base, view;
  int is_view;
  mc_ndarray *a; /* the operand itself */
} operand;

/* Makes o an array of dtype dt and shape[0..nd) in one of three layouts (mode 0..2). */
static int make_operand(operand *o, mc_alloc al, mc_dtype dt, int nd, const size_t *shape, int mode,
                        mc_test_rng *r) {
  size_t bs[MC_NDARRAY_MAXDIM];
  int rc;
  o->is_view = 0;
  o->a = &o->base;
  if (nd == 0) mode = 0;
  if (mode == 1) { /* transpose of the reversed shape */
    for (int k = 0; k < nd; k++) bs[k] = shape[nd - 1 - k];
    if ((rc = mc_ndarray_init(&o->base, al, dt, nd, bs)) != MC_OK) return rc;
    CU_ASSERT_FATAL(mc_ndarray_transpose(&o->view, &o->base, NULL) == MC_OK);
    o->is_view = 1;
  } else if (mode == 2) { /* every other element, reversed, along the last axis */
    memcpy(bs, shape, (size_t)nd * sizeof *bs);
    bs[nd - 1] *= 2;
    if ((rc = mc_ndarray_init(&o->base, al, dt, nd, bs)) != MC_OK) return rc;
    mc_slice s[MC_NDARRAY_MAXDIM];
    for (int k = 0; k < nd; k++) s[k] = (mc_slice){MC_SLICE_NONE, MC_SLICE_NONE, 1};
    s[nd - 1].step = -2;
    CU_ASSERT_FATAL(mc_ndarray_slice(&o->view, &o->base, s, nd) == MC_OK);
    o->is_view = 1;
  } else if ((rc = mc_ndarray_init(&o->base, al, dt, nd, shape)) != MC_OK) {
    return rc;
  }
  if (o->is_view) o->a = &o->view;
  for (int k = 0; k < nd; k++) CU_ASSERT_FATAL(o->a->shape[k] == shape[k]);
  fill_random(o->a, r);
  return MC_OK;
}

static void drop_operand(operand *o) {
  if (o->is_view) mc_ndarray_destroy(&o->view);
  mc_ndarray_destroy(&o->base);
}

/* Checks out == x op y element by element through broadcast indices. */
static int check_binop(const mc_ndarray *out, mc_binop op, const mc_ndarray *x,
                       const mc_ndarray *y) {
  if (out->size == 0) return 1;
  size_t idx[MC_NDARRAY_MAXDIM] = {0}, ix[MC_NDARRAY_MAXDIM], iy[MC_NDARRAY_MAXDIM];
  int nd = out->ndim;
  do {
    for (int k = 0; k < x->ndim; k++) ix[k] = x->shape[k] == 1 ? 0 : idx[k + nd - x->ndim];
    for (int k = 0; k < y->ndim; k++) iy[k] = y->shape[k] == 1 ? 0 : idx[k + nd - y->ndim];
    if (!same_val(at(out, idx), ref_op(out->dtype, op, at(x, ix), at(y, iy)))) return 0;
  } while (next_idx(idx, out->shape, nd));
  return 1;
}

/* ---- elementwise and reductions on random shapes ----------------------------------------- */

/* Random broadcast-compatible shapes for x and y (or, with incompatible set, not). */
static void rand_shapes(mc_test_rng *r, int *nx, size_t *sx, int *ny, size_t *sy, int bad) {
  int nd = (int)mc_test_rng_below(r, 5);
  size_t full[4];
  for (int k = 0; k < nd; k++)
    full[k] = mc_test_rng_below(r, 25) == 0 ? 0 : 1 + mc_test_rng_below(r, 4);
  *nx = nd - (int)mc_test_rng_below(r, (uint64_t)nd + 1);
  *ny = mc_test_rng_below(r, 2) ? nd : nd - (int)mc_test_rng_below(r, (uint64_t)nd + 1);
  for (int k = 0; k < *nx; k++) sx[k] = mc_test_rng_below(r, 4) == 0 ? 1 : full[k + nd - *nx];
  for (int k = 0; k < *ny; k++) sy[k] = mc_test_rng_below(r, 4) == 0 ? 1 : full[k + nd - *ny];
  if (bad && *nx > 0 && *ny > 0) { /* make the last dims disagree, neither being 1 */
    sx[*nx - 1] = 2;
    sy[*ny - 1] = 3;
  }
}

static void elementwise_random(const mc_test_allocator *ta) {
  mc_test_env env;
  mc_counting c;
  mc_alloc al = mc_test_open_counted(ta, &env, &c);
  mc_test_rng r;
  mc_test_rng_seed(&r, 0xE1E3E47);
  size_t n = scaled(ta, NOPS / 4); /* x4 operations each: binop, into, scalar, reduce */
  int ok = 1;
  for (size_t it = 0; it < n && ok; it++) {
    int nx, ny, bad = mc_test_rng_below(&r, 10) == 0;
    size_t sx[4], sy[4];
    rand_shapes(&r, &nx, sx, &ny, sy, bad);
    mc_dtype dt = (mc_dtype)mc_test_rng_below(&r, MC_DTYPE_COUNT);
    mc_binop op = (mc_binop)mc_test_rng_below(&r, MC_OP_COUNT);
    operand x, y;
    CU_ASSERT_FATAL(make_operand(&x, al, dt, nx, sx, (int)mc_test_rng_below(&r, 3), &r) == MC_OK);
    CU_ASSERT_FATAL(make_operand(&y, al, dt, ny, sy, (int)mc_test_rng_below(&r, 3), &r) == MC_OK);
    mc_ndarray out;
    int rc = mc_ndarray_binop(&out, op, x.a, y.a);
    if (bad && nx > 0 && ny > 0) {
      ok &= rc == MC_EINVAL;
    } else {
      ok &= rc == MC_OK && check_binop(&out, op, x.a, y.a);
      /* into an existing array, and in place when x already has the full shape */
      ok &= mc_ndarray_binop_into(&out, op, y.a, x.a) == MC_OK && check_binop(&out, op, y.a, x.a);
      if (same_shape(x.a, &out)) {
        mc_ndarray before;
        ok &= mc_ndarray_copy(&before, x.a) == MC_OK;
        ok &=
            mc_ndarray_binop_into(x.a, op, x.a, y.a) == MC_OK && check_binop(x.a, op, &before, y.a);
        mc_ndarray_destroy(&before);
      }
      if (same_shape(y.a, &out)) { /* in place on the right operand */
        mc_ndarray before;
        ok &= mc_ndarray_copy(&before, y.a) == MC_OK;
        ok &=
            mc_ndarray_binop_into(y.a, op, x.a, y.a) == MC_OK && check_binop(y.a, op, x.a, &before);
        mc_ndarray_destroy(&before);
      }
      if (same_shape(x.a, &out) && x.a->dtype != MC_DTYPE_U8) { /* x op x, in place on both */
        mc_ndarray before;
        ok &= mc_ndarray_copy(&before, x.a) == MC_OK;
        ok &= mc_ndarray_binop_into(x.a, op, x.a, x.a) == MC_OK &&
              check_binop(x.a, op, &before, &before);
        mc_ndarray_destroy(&before);
      }
      /* scalar forms: x op s and s op x */
      double s = rand_val(&r, dt);
      mc_ndarray sc;
      size_t idx[MC_NDARRAY_MAXDIM] = {0};
      rc = mc_ndarray_binop_scalar_into(&out, op, x.a, s);
      ok &= same_shape(&out, x.a) ? rc == MC_OK : rc == MC_EINVAL;
      if (rc == MC_OK && out.size) do {
          ok &= same_val(at(&out, idx), ref_op(dt, op, at(x.a, idx), s));
        } while (next_idx(idx, out.shape, out.ndim));
      ok &= mc_ndarray_binop_rscalar(&sc, op, s, y.a) == MC_OK && same_shape(&sc, y.a);
      if (sc.size) do {
          ok &= same_val(at(&sc, idx), ref_op(dt, op, s, at(y.a, idx)));
        } while (next_idx(idx, sc.shape, sc.ndim));
      /* reductions, everything then each axis, of the fresh result or of a strided operand */
      const mc_ndarray *rd = it % 2 ? &sc : y.a;
      mc_reduce ro = (mc_reduce)mc_test_rng_below(&r, MC_REDUCE_COUNT);
      double got, sum = 0, mn = INFINITY, mx = -INFINITY;
      memset(idx, 0, sizeof idx);
      if (rd->size) do {
          fold(at(rd, idx), &sum, &mn, &mx);
        } while (next_idx(idx, rd->shape, rd->ndim));
      double want = ro == MC_REDUCE_SUM   ? sum
                    : ro == MC_REDUCE_MIN ? mn
                    : ro == MC_REDUCE_MAX ? mx
                                          : sum / (double)rd->size;
      rc = mc_ndarray_reduce(rd, ro, &got);
      if (rd->size == 0 && ro != MC_REDUCE_SUM)
        ok &= rc == MC_EEMPTY;
      else
        ok &= rc == MC_OK && close_to(got, want, dt);
      for (int ax = 0; ax < rd->ndim; ax++) {
        mc_ndarray red;
        rc = mc_ndarray_reduce_axis(&red, rd, ro, ax);
        if (rd->shape[ax] == 0 && ro != MC_REDUCE_SUM) {
          ok &= rc == MC_EEMPTY;
          continue;
        }
        ok &= rc == MC_OK && red.ndim == rd->ndim - 1 && red.dtype == MC_DTYPE_F64;
        size_t oi[MC_NDARRAY_MAXDIM] = {0}, ai[MC_NDARRAY_MAXDIM];
        if (rc == MC_OK && red.size) do {
            for (int k = 0, j = 0; k < rd->ndim; k++) ai[k] = k == ax ? 0 : oi[j++];
            double rs = 0, rmn = INFINITY, rmx = -INFINITY;
            for (size_t i = 0; i < rd->shape[ax]; i++) {
              ai[ax] = i;
              fold(at(rd, ai), &rs, &rmn, &rmx);
            }
            double w = ro == MC_REDUCE_SUM   ? rs
                       : ro == MC_REDUCE_MIN ? rmn
                       : ro == MC_REDUCE_MAX ? rmx
                                             : rs / (double)rd->shape[ax];
            double g = at(&red, oi);
            ok &= close_to(g, w, dt);
          } while (next_idx(oi, red.shape, red.ndim));
        if (rc == MC_OK) mc_ndarray_destroy(&red);
      }
      mc_ndarray_destroy(&sc);
      mc_ndarray_destroy(&out);
    }
    drop_operand(&y);
    drop_operand(&x);
    if (!ok) fprintf(stderr, "elementwise_random: mismatch at iteration %zu (%s)\n", it, ta->name);
  }
  CU_ASSERT(ok);
  mc_test_close_counted(ta, &env, &c);
}

static void test_ndarray_elementwise_reduce_random(void) {
  for (size_t i = 0; mc_test_allocators[i].name; i++) elementwise_random(&mc_test_allocators[i]);
}

/* Rows big enough for the streaming-store kernels (>= 24 MiB touched), with an output that
 * starts off a 16-byte boundary (a [1:] view) and a length that leaves a tail: every element
 * against typed C arithmetic, for both float dtypes and the four ops. */
static void big_rows(const mc_test_allocator *ta) {
  mc_test_env env;
  CU_ASSERT_FATAL(ta->open(&env) == MC_OK);
  for (int dt = MC_DTYPE_F64; dt <= MC_DTYPE_F32; dt++) {
    size_t isz = mc_dtype_size((mc_dtype)dt), n = ((size_t)24 << 20) / (3 * isz) + 5, n1 = n + 1;
    mc_ndarray x, y, own, out, fresh;
    CU_ASSERT_FATAL(mc_ndarray_init(&x, env.al, (mc_dtype)dt, 1, &n) == MC_OK);
    CU_ASSERT_FATAL(mc_ndarray_init(&y, env.al, (mc_dtype)dt, 1, &n) == MC_OK);
    CU_ASSERT_FATAL(mc_ndarray_init(&own, env.al, (mc_dtype)dt, 1, &n1) == MC_OK);
    mc_slice from1 = {1, MC_SLICE_NONE, 1};
    CU_ASSERT_FATAL(mc_ndarray_slice(&out, &own, &from1, 1) == MC_OK);
    for (size_t i = 0; i < n; i++) {
      CU_ASSERT_FATAL(mc_ndarray_set(&x, &i, (double)(i % 1000) - 500.25) == MC_OK);
      CU_ASSERT_FATAL(mc_ndarray_set(&y, &i, (double)(i % 37) + 0.5) == MC_OK);
    }
    for (int op = 0; op < MC_OP_COUNT; op++) {
      CU_ASSERT_FATAL(mc_ndarray_binop_into(&out, (mc_binop)op, &x, &y) == MC_OK);
      CU_ASSERT_FATAL(mc_ndarray_binop(&fresh, (mc_binop)op, &y, &x) == MC_OK);
      int ok = 1;
      for (size_t i = 0; i < n && ok; i++) {
        double xv = at(&x, &i), yv = at(&y, &i);
        ok &= same_val(at(&out, &i), ref_op((mc_dtype)dt, (mc_binop)op, xv, yv));
        ok &= same_val(at(&fresh, &i), ref_op((mc_dtype)dt, (mc_binop)op, yv, xv));
      }
      CU_ASSERT(ok);
      size_t first = 0;
      CU_ASSERT(at(&own, &first) == 0.0); /* the element before the view is untouched */
      mc_ndarray_destroy(&fresh);
    }
    mc_ndarray_destroy(&out);
    mc_ndarray_destroy(&own);
    mc_ndarray_destroy(&y);
    mc_ndarray_destroy(&x);
  }
  ta->close(&env);
}

static void test_ndarray_elementwise_big_rows(void) {
  for (size_t i = 0; mc_test_allocators[i].name; i++) big_rows(&mc_test_allocators[i]);
}

/* Regression (issue 20.3): an in-place add on a strided destination with a length-1 axis wrote
 * outside the buffer: x (1,2,2,2) seen through axes (0,1,3,2) has strides 64,32,8,16, and the
 * dim merge compared the stride of a dropped length-1 axis instead of the last kept one. */
static void test_ndarray_into_strided_length1_axis(void) {
  mc_alloc al = mc_system_allocator(NULL);
  size_t sb[4] = {1, 2, 2, 2}, sy[4] = {1, 2, 1, 2};
  mc_ndarray base, x, y;
  CU_ASSERT_FATAL(mc_ndarray_init(&base, al, MC_DTYPE_F64, 4, sb) == MC_OK);
  CU_ASSERT_FATAL(mc_ndarray_init(&y, al, MC_DTYPE_F64, 4, sy) == MC_OK);
  double *b = (double *)(void *)base.data, *yd = (double *)(void *)y.data;
  for (int i = 0; i < 8; i++) b[i] = i;
  for (int i = 0; i < 4; i++) yd[i] = 100 * (i + 1);
  const int perm[4] = {0, 1, 3, 2};
  CU_ASSERT_FATAL(mc_ndarray_transpose(&x, &base, perm) == MC_OK);
  CU_ASSERT_EQUAL(x.strides[1], 32);
  CU_ASSERT_EQUAL(x.strides[2], 8);
  CU_ASSERT_EQUAL(x.strides[3], 16);
  CU_ASSERT_EQUAL(mc_ndarray_binop_into(&x, MC_OP_ADD, &x, &y), MC_OK);
  /* x[0,i,j,k] = base[0,i,k,j] + y[0,i,0,k]: base[i*4 + k*2 + j] += y[i*2 + k] */
  for (int i = 0; i < 2; i++)
    for (int j = 0; j < 2; j++)
      for (int k = 0; k < 2; k++)
        CU_ASSERT_DOUBLE_EQUAL(b[i * 4 + k * 2 + j], i * 4 + k * 2 + j + 100 * (i * 2 + k + 1), 0);
  mc_ndarray_destroy(&x); /* a view goes before its owner */
  mc_ndarray_destroy(&y);
  mc_ndarray_destroy(&base);
}

/* Checks every other driver that walks a strided array (reduce with its own dim merge,
 * reduce_axis, copy/ascontiguous/reshape through gather, fill) on v against element reads
 * (mc_ndarray_get: no merging). Values are distinct powers of two, so a wrong element set
 * changes every sum. */
static void check_drivers_on(const mc_ndarray *v) {
  double want_sum = 0, want_min = INFINITY, want_max = -INFINITY, got;
  size_t idx[MC_NDARRAY_MAXDIM] = {0}, n = 0;
  do {
    double e = at(v, idx);
    want_sum += e, want_min = e < want_min ? e : want_min, want_max = e > want_max ? e : want_max;
    n++;
  } while (next_idx(idx, v->shape, v->ndim));
  CU_ASSERT(n == v->size);
  CU_ASSERT(mc_ndarray_sum(v, &got) == MC_OK && got == want_sum);
  CU_ASSERT(mc_ndarray_min(v, &got) == MC_OK && got == want_min);
  CU_ASSERT(mc_ndarray_max(v, &got) == MC_OK && got == want_max);
  CU_ASSERT(mc_ndarray_mean(v, &got) == MC_OK && got == want_sum / (double)n);
  mc_ndarray c;
  for (int how = 0; how < 3; how++) { /* copy, ascontiguous, reshape to 1-d */
    int rc = how == 0   ? mc_ndarray_copy(&c, v)
             : how == 1 ? mc_ndarray_ascontiguous(&c, v)
                        : mc_ndarray_reshape(&c, v, 1, &n);
    CU_ASSERT_FATAL(rc == MC_OK);
    memset(idx, 0, sizeof idx);
    size_t i = 0;
    int ok = 1;
    do {
      size_t flat[1] = {i++};
      double e = at(v, idx);
      if (how == 2)
        ok &= at(&c, flat) == e;
      else
        ok &= at(&c, idx) == e;
    } while (next_idx(idx, v->shape, v->ndim));
    CU_ASSERT(ok && mc_ndarray_is_contiguous(&c));
    mc_ndarray_destroy(&c);
  }
  for (int axis = 0; axis < v->ndim; axis++) {
    CU_ASSERT_FATAL(mc_ndarray_reduce_axis(&c, v, MC_REDUCE_SUM, axis) == MC_OK);
    double total = 0;
    size_t o[MC_NDARRAY_MAXDIM] = {0};
    do total += c.size ? at(&c, o) : 0;
    while (c.size && next_idx(o, c.shape, c.ndim));
    CU_ASSERT(total == want_sum);
    mc_ndarray_destroy(&c);
  }
}

/* Issue 20.3's class of bug in the other drivers: the destination of 20.3 (a transpose with a
 * leading length-1 axis, strides 64, 32, 8, 16) and a slice with a length-1 middle axis and a
 * negative step, through every driver that walks strides; then fill on each, which must write
 * exactly the view's elements. */
static void test_ndarray_drivers_strided_length1_axis(void) {
  mc_alloc al = mc_system_allocator(NULL);
  size_t sb[4] = {1, 2, 2, 2}, sc[3] = {2, 3, 4};
  mc_ndarray base, base2, x, z;
  CU_ASSERT_FATAL(mc_ndarray_init(&base, al, MC_DTYPE_F64, 4, sb) == MC_OK);
  CU_ASSERT_FATAL(mc_ndarray_init(&base2, al, MC_DTYPE_I64, 3, sc) == MC_OK);
  double *b = (double *)(void *)base.data;
  int64_t *b2 = (int64_t *)(void *)base2.data;
  for (int i = 0; i < 8; i++) b[i] = (double)(1 << i);
  for (int i = 0; i < 24; i++) b2[i] = (int64_t)1 << i;
  const int perm[4] = {0, 1, 3, 2};
  CU_ASSERT_FATAL(mc_ndarray_transpose(&x, &base, perm) == MC_OK);
  const mc_slice s[3] = {{MC_SLICE_NONE, MC_SLICE_NONE, 1}, {1, 2, 1}, {MC_SLICE_NONE, 0, -2}};
  CU_ASSERT_FATAL(mc_ndarray_slice(&z, &base2, s, 3) == MC_OK);
  CU_ASSERT(z.ndim == 3 && z.shape[1] == 1 && z.shape[2] == 2 && z.strides[2] == -16);
  check_drivers_on(&x);
  check_drivers_on(&z);
  CU_ASSERT(mc_ndarray_fill(&x, -1.0) == MC_OK);
  for (int i = 0; i < 8; i++) CU_ASSERT(b[i] == -1.0); /* x covers all of base */
  CU_ASSERT(mc_ndarray_fill(&z, -1.0) == MC_OK);
  for (int i = 0; i < 24; i++) { /* z = base2[:, 1, 3] and [:, 1, 1] */
    int in = (i % 12) / 4 == 1 && (i % 4 == 3 || i % 4 == 1);
    CU_ASSERT(b2[i] == (in ? -1 : (int64_t)1 << i));
  }
  mc_ndarray_destroy(&z);
  mc_ndarray_destroy(&x);
  mc_ndarray_destroy(&base2);
  mc_ndarray_destroy(&base);
}

static int add_suites(void) {
  static CU_TestInfo tests[] = {
      {"test_ndarray_elementwise_reduce_random", test_ndarray_elementwise_reduce_random},
      {"test_ndarray_elementwise_big_rows", test_ndarray_elementwise_big_rows},
      {"test_ndarray_into_strided_length1_axis", test_ndarray_into_strided_length1_axis},
      {"test_ndarray_drivers_strided_length1_axis", test_ndarray_drivers_strided_length1_axis},
      CU_TEST_INFO_NULL,
  };
  return mc_test_add_suite("ndarray_ops", tests);
}

int main(void) { return mc_test_main(add_suites); }
