/* ndarray_numpy_driver.c — the C half of the differential test against NumPy
 * (ndarray_numpy.py is the other half, and the protocol's reference).
 *
 *   ndarray_numpy_driver CASES RESULTS
 *
 * Reads case descriptions from CASES, applies each with memcurve's ndarray API and writes what
 * came out to RESULTS; it judges nothing (the script compares with NumPy). Both files are
 * sequences of little-endian 64-bit words (int64, or a double's bytes); byte blocks are padded
 * to a multiple of 8.
 *
 * CASES: magic, count, then per case:
 *   kind, op, axis, scalar (double), rndim, rshape[8], noperands (1..3), then per operand:
 *     how: 0 = a new base array: dtype, ndim, shape[ndim], nbytes, bytes (C order), then the
 *              view steps applied to it;
 *          1 = the same header as operand k (aliasing: out == x): k;
 *          2 = a new view of operand k's base: k, then view steps;
 *     view steps: count, then per step a type and its words: 1 transpose: n, perm[n];
 *                 2 slice: n, n x (start, stop, step) with INT64_MIN for None; 3 index: axis, i.
 * RESULTS, per case: rc; has_array, and if set dtype, ndim, shape[ndim], owns, nbytes, the
 *   elements in C order; has_scalar, value; nbases, then per base array (operands with how 0,
 *   in order) nbytes and its whole buffer (so writes outside a view show up).
 * A failing call must leave *out untouched: the driver fills it with a pattern first and reports
 * RC_OUT_TOUCHED instead of the rc if the pattern changed. At the end every allocation must
 * have been freed (a counting allocator): otherwise exit status 3. Bad input: status 2. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memcurve.h"

#define MAGIC 0x3159504E444E434Dll /* "MCNDNPY1" */
#define RC_STEP_FAILED (-1000)     /* + the rc of a view step that failed (a harness bug) */
#define RC_OUT_TOUCHED (-2000)     /* a failing call wrote *out */

enum {
  K_BINOP = 1,
  K_BINOP_INTO,
  K_SCALAR,
  K_RSCALAR,
  K_SCALAR_INTO,
  K_RSCALAR_INTO,
  K_REDUCE,
  K_REDUCE_AXIS,
  K_COPY,
  K_ASCONTIGUOUS,
  K_RESHAPE,
  K_FILL,
};

/* ---- reading and writing words -------------------------------------------------------- */

typedef struct reader {
  const unsigned char *p, *end;
  int bad; /* ran past the end or met a bad value */
} reader;

static int64_t get(reader *r) {
  int64_t v = 0;
  if (r->end - r->p < 8) {
    r->bad = 1;
    return 0;
  }
  memcpy(&v, r->p, 8);
  r->p += 8;
  return v;
}

static double get_f64(reader *r) {
  int64_t w = get(r);
  double d;
  memcpy(&d, &w, 8);
  return d;
}

/* n bytes, then padding to 8; NULL (and r->bad) past the end. */
static const unsigned char *get_bytes(reader *r, size_t n) {
  size_t padded = (n + 7) & ~(size_t)7;
  if (n > (size_t)(r->end - r->p) || padded > (size_t)(r->end - r->p)) {
    r->bad = 1;
    return NULL;
  }
  const unsigned char *q = r->p;
  r->p += padded;
  return q;
}

static void put(FILE *f, int64_t v) { fwrite(&v, 8, 1, f); }

static void put_f64(FILE *f, double d) { fwrite(&d, 8, 1, f); }

static void put_bytes(FILE *f, const void *p, size_t n) {
  static const unsigned char zero[8];
  if (n) fwrite(p, 1, n, f);
  fwrite(zero, 1, ((n + 7) & ~(size_t)7) - n, f);
}

/* ---- operands --------------------------------------------------------------------------- */

typedef struct operand {
  mc_ndarray base; /* the owner (how 0) */
  mc_ndarray v[2]; /* views: v[cur] is the operand after its steps */
  int cur;         /* -1: no view (how 1) */
  int has_base;    /* how 0 */
  int owner;       /* index of the operand whose base this one views */
  mc_ndarray *arr; /* what the operation sees */
} operand;

/* Applies the view steps to a full view of base, leaving the result in o->v[o->cur].
 * MC_OK, or the first failing step's rc (+ RC_STEP_FAILED); r->bad on malformed input. */
static int apply_steps(reader *r, operand *o, const mc_ndarray *base) {
  o->cur = 0;
  int rc = mc_ndarray_slice(&o->v[0], base, NULL, 0);
  if (rc != MC_OK) {
    o->cur = -1;
    return RC_STEP_FAILED + rc;
  }
  int64_t nsteps = get(r);
  for (int64_t s = 0; s < nsteps && !r->bad; s++) {
    mc_ndarray *from = &o->v[o->cur], *to = &o->v[1 - o->cur];
    int64_t type = get(r), n;
    int perm[MC_NDARRAY_MAXDIM];
    mc_slice sl[MC_NDARRAY_MAXDIM];
    switch (type) {
    case 1:
      n = get(r);
      if (n != from->ndim) return r->bad = 1, MC_EINVAL;
      for (int64_t k = 0; k < n; k++) perm[k] = (int)get(r);
      rc = mc_ndarray_transpose(to, from, perm);
      break;
    case 2:
      n = get(r);
      if (n < 0 || n > MC_NDARRAY_MAXDIM) return r->bad = 1, MC_EINVAL;
      for (int64_t k = 0; k < n; k++) {
        int64_t a = get(r), b = get(r), c = get(r);
        sl[k].start = a == INT64_MIN ? MC_SLICE_NONE : (ptrdiff_t)a;
        sl[k].stop = b == INT64_MIN ? MC_SLICE_NONE : (ptrdiff_t)b;
        sl[k].step = (ptrdiff_t)c;
      }
      rc = mc_ndarray_slice(to, from, sl, (int)n);
      break;
    case 3: {
      int axis = (int)get(r);
      ptrdiff_t i = (ptrdiff_t)get(r);
      rc = mc_ndarray_index(to, from, axis, i);
      break;
    }
    default: return r->bad = 1, MC_EINVAL;
    }
    if (rc != MC_OK) return RC_STEP_FAILED + rc;
    mc_ndarray_destroy(from);
    o->cur = 1 - o->cur;
  }
  return MC_OK;
}

/* Reads operand i's description into ops[i]. MC_OK, a step failure, or r->bad. */
static int read_operand(reader *r, operand *ops, int i, mc_alloc al) {
  operand *o = &ops[i];
  memset(o, 0, sizeof *o);
  o->cur = -1;
  o->owner = i;
  int64_t how = get(r);
  if (how == 1 || how == 2) {
    int64_t k = get(r);
    if (k < 0 || k >= i) return r->bad = 1, MC_EINVAL;
    if (how == 1) {
      o->owner = ops[k].owner;
      o->arr = ops[k].arr;
      return MC_OK;
    }
    o->owner = ops[k].owner;
    int rc = apply_steps(r, o, &ops[o->owner].base);
    if (o->cur >= 0) o->arr = &o->v[o->cur];
    return rc;
  }
  if (how != 0) return r->bad = 1, MC_EINVAL;
  int64_t dt = get(r), nd = get(r);
  size_t shape[MC_NDARRAY_MAXDIM];
  if (nd < 0 || nd > MC_NDARRAY_MAXDIM) return r->bad = 1, MC_EINVAL;
  for (int64_t k = 0; k < nd; k++) shape[k] = (size_t)get(r);
  int rc = mc_ndarray_init(&o->base, al, (mc_dtype)dt, (int)nd, shape);
  if (rc != MC_OK) return r->bad = 1, rc;
  o->has_base = 1;
  size_t nbytes = (size_t)get(r);
  const unsigned char *bytes = get_bytes(r, nbytes);
  if (!bytes || nbytes != mc_ndarray_nbytes(&o->base)) return r->bad = 1, MC_EINVAL;
  if (nbytes) memcpy(o->base.data, bytes, nbytes);
  rc = apply_steps(r, o, &o->base);
  if (o->cur >= 0) o->arr = &o->v[o->cur];
  return rc;
}

static void release(operand *ops, int n) {
  for (int i = n - 1; i >= 0; i--)
    if (ops[i].cur >= 0) mc_ndarray_destroy(&ops[i].v[ops[i].cur]);
  for (int i = n - 1; i >= 0; i--)
    if (ops[i].has_base) mc_ndarray_destroy(&ops[i].base);
}

/* ---- one case ----------------------------------------------------------------------------- */

/* Writes a's dtype, shape, owns and elements in C order. */
static void put_array(FILE *f, const mc_ndarray *a) {
  put(f, a->dtype);
  put(f, a->ndim);
  for (int k = 0; k < a->ndim; k++) put(f, (int64_t)a->shape[k]);
  put(f, a->owns);
  put(f, (int64_t)mc_ndarray_nbytes(a));
  size_t idx[MC_NDARRAY_MAXDIM] = {0};
  unsigned char *buf = malloc(mc_ndarray_nbytes(a) + 1), *q = buf;
  if (!buf) exit(2);
  for (size_t i = 0; i < a->size; i++) {
    void *p;
    if (mc_ndarray_ptr(a, idx, &p) != MC_OK) exit(2);
    memcpy(q, p, a->itemsize);
    q += a->itemsize;
    for (int k = a->ndim - 1; k >= 0 && ++idx[k] == a->shape[k]; k--) idx[k] = 0;
  }
  put_bytes(f, buf, mc_ndarray_nbytes(a));
  free(buf);
}

static int run_case(reader *r, FILE *out, mc_alloc al) {
  int64_t kind = get(r), op = get(r), axis = get(r);
  double s = get_f64(r);
  int64_t rnd = get(r);
  size_t rshape[MC_NDARRAY_MAXDIM];
  for (int k = 0; k < MC_NDARRAY_MAXDIM; k++) rshape[k] = (size_t)get(r);
  int64_t nops = get(r);
  if (r->bad || nops < 1 || nops > 3) return r->bad = 1, 0;
  operand ops[3];
  int rc = MC_OK, n = 0;
  for (; n < nops && rc == MC_OK && !r->bad; n++) rc = read_operand(r, ops, n, al);
  if (r->bad) {
    release(ops, n);
    return 0;
  }
  mc_ndarray res, pattern;
  memset(&res, 0xA5, sizeof res);
  memcpy(&pattern, &res, sizeof res);
  double scalar = -777.0;
  int has_res = 0, has_scalar = 0, writes_res = 0;
  if (rc == MC_OK) {
    mc_ndarray *a0 = ops[0].arr, *a1 = nops > 1 ? ops[1].arr : NULL,
               *a2 = nops > 2 ? ops[2].arr : NULL;
    mc_binop bop = (mc_binop)op;
    switch (kind) {
    case K_BINOP: rc = mc_ndarray_binop(&res, bop, a0, a1), writes_res = 1; break;
    case K_BINOP_INTO: rc = mc_ndarray_binop_into(a0, bop, a1, a2); break;
    case K_SCALAR: rc = mc_ndarray_binop_scalar(&res, bop, a0, s), writes_res = 1; break;
    case K_RSCALAR: rc = mc_ndarray_binop_rscalar(&res, bop, s, a0), writes_res = 1; break;
    case K_SCALAR_INTO: rc = mc_ndarray_binop_scalar_into(a0, bop, a1, s); break;
    case K_RSCALAR_INTO: rc = mc_ndarray_binop_rscalar_into(a0, bop, s, a1); break;
    case K_REDUCE:
      rc = mc_ndarray_reduce(a0, (mc_reduce)op, &scalar);
      has_scalar = rc == MC_OK;
      break;
    case K_REDUCE_AXIS:
      rc = mc_ndarray_reduce_axis(&res, a0, (mc_reduce)op, (int)axis), writes_res = 1;
      break;
    case K_COPY: rc = mc_ndarray_copy(&res, a0), writes_res = 1; break;
    case K_ASCONTIGUOUS: rc = mc_ndarray_ascontiguous(&res, a0), writes_res = 1; break;
    case K_RESHAPE: rc = mc_ndarray_reshape(&res, a0, (int)rnd, rshape), writes_res = 1; break;
    case K_FILL: rc = mc_ndarray_fill(a0, s); break;
    default: r->bad = 1; break;
    }
    has_res = writes_res && rc == MC_OK;
    if (writes_res && rc != MC_OK && memcmp(&res, &pattern, sizeof res) != 0) rc = RC_OUT_TOUCHED;
  }
  put(out, rc);
  put(out, has_res);
  if (has_res) put_array(out, &res);
  put(out, has_scalar);
  put_f64(out, scalar);
  int nbases = 0;
  for (int i = 0; i < n; i++) nbases += ops[i].has_base;
  put(out, nbases);
  for (int i = 0; i < n; i++)
    if (ops[i].has_base) {
      put(out, (int64_t)mc_ndarray_nbytes(&ops[i].base));
      put_bytes(out, ops[i].base.data, mc_ndarray_nbytes(&ops[i].base));
    }
  if (has_res) mc_ndarray_destroy(&res); /* a view result goes before its owner */
  release(ops, n);
  fflush(out); /* if a later case crashes, the script still finds which one */
  return !r->bad;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s CASES RESULTS\n", argv[0]);
    return 2;
  }
  FILE *in = fopen(argv[1], "rb");
  if (!in) return perror(argv[1]), 2;
  fseek(in, 0, SEEK_END);
  long len = ftell(in);
  fseek(in, 0, SEEK_SET);
  unsigned char *buf = malloc(len > 0 ? (size_t)len : 1);
  if (!buf || len < 0 || fread(buf, 1, (size_t)len, in) != (size_t)len) return fclose(in), 2;
  fclose(in);
  FILE *out = fopen(argv[2], "wb");
  if (!out) return perror(argv[2]), free(buf), 2;
  reader r = {buf, buf + len, 0};
  mc_system sys;
  mc_system_init(&sys);
  mc_counting cnt;
  mc_counting_init(&cnt, mc_system_allocator(&sys));
  mc_alloc al = mc_counting_allocator(&cnt);
  int status = 0;
  int64_t ncases = get(&r) == (int64_t)MAGIC ? get(&r) : (r.bad = 1, 0);
  for (int64_t c = 0; c < ncases && !r.bad; c++)
    if (!run_case(&r, out, al)) fprintf(stderr, "case %lld: malformed\n", (long long)c);
  if (r.bad || r.p != r.end) status = 2;
  if (cnt.net_heap_growth != 0 || cnt.stats.live != 0) {
    fprintf(stderr, "leak: %lld bytes, %llu blocks\n", (long long)cnt.net_heap_growth,
            (unsigned long long)cnt.stats.live);
    status = 3;
  }
  if (fclose(out) != 0) status = 2;
  free(buf);
  return status;
}
