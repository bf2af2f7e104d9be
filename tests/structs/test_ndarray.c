/* test_ndarray.c — the ndarray's layout, views, copies and 1-d growth (mc_ndarray.c) under every
 * allocator: layout and views against naive index arithmetic and NumPy's slice answers, 1-d
 * append/pop/get/set/slice/sum against a plain array model, growth and shrink policies against
 * CPython's known sequence, exact accounting through the counting decorator, every failure point
 * of every allocating operation through the failing decorator, and the edge cases (elementwise
 * ops and reductions: test_ndarray_ops.c). Seeds are fixed. */
#include <stdlib.h>

#include "ndarray_check.h"

/* ---- layout ------------------------------------------------------------------------------ */

static void test_ndarray_init_layout_every_allocator(void) {
  for (size_t t = 0; mc_test_allocators[t].name; t++) {
    mc_test_env env;
    CU_ASSERT_FATAL(mc_test_allocators[t].open(&env) == MC_OK);
    for (int dt = 0; dt < MC_DTYPE_COUNT; dt++) {
      size_t shape[3] = {2, 3, 4};
      mc_ndarray a;
      CU_ASSERT_FATAL(mc_ndarray_init(&a, env.al, (mc_dtype)dt, 3, shape) == MC_OK);
      size_t isz = mc_dtype_size((mc_dtype)dt);
      CU_ASSERT(a.size == 24 && a.itemsize == isz && a.owns && a.base == a.data);
      CU_ASSERT(a.strides[2] == (ptrdiff_t)isz && a.strides[1] == (ptrdiff_t)(4 * isz) &&
                a.strides[0] == (ptrdiff_t)(12 * isz));
      CU_ASSERT((uintptr_t)a.data % MC_NDARRAY_ALIGN == 0);
      CU_ASSERT(mc_ndarray_is_contiguous(&a));
      size_t idx[3] = {0};
      int zero = 1;
      do {
        zero &= at(&a, idx) == 0.0;
      } while (next_idx(idx, shape, 3));
      CU_ASSERT(zero);
      size_t i3[3] = {1, 2, 3};
      CU_ASSERT(mc_ndarray_set(&a, i3, 7.0) == MC_OK && at(&a, i3) == 7.0);
      void *p;
      CU_ASSERT(mc_ndarray_ptr(&a, i3, &p) == MC_OK && p == a.data + 23 * isz);
      mc_ndarray_destroy(&a);
      CU_ASSERT(a.base == NULL && a.al.vt == NULL);
    }
    /* 0-d: one element; zero-length dims: no bytes, every op still defined */
    mc_ndarray s, z;
    CU_ASSERT_FATAL(mc_ndarray_init(&s, env.al, MC_DTYPE_F64, 0, NULL) == MC_OK);
    CU_ASSERT(s.size == 1 && mc_ndarray_set(&s, NULL, 2.5) == MC_OK && at(&s, NULL) == 2.5);
    size_t zs[2] = {0, 5};
    CU_ASSERT_FATAL(mc_ndarray_init(&z, env.al, MC_DTYPE_I32, 2, zs) == MC_OK);
    CU_ASSERT(z.size == 0 && z.base == NULL && z.data != NULL && mc_ndarray_is_contiguous(&z));
    size_t i0[2] = {0, 0};
    double v;
    CU_ASSERT(mc_ndarray_get(&z, i0, &v) == MC_ERANGE);
    CU_ASSERT(mc_ndarray_fill(&z, 1.0) == MC_OK);
    mc_ndarray_destroy(&z);
    mc_ndarray_destroy(&s);
    mc_test_allocators[t].close(&env);
  }
}

/* Slices against NumPy's answers (np.arange(n)[start:stop:step], computed once). */
static const struct {
  size_t n;
  mc_slice s;
  size_t len;
  size_t idx[8];
} slice_cases[] = {
    {7, {MC_SLICE_NONE, MC_SLICE_NONE, 1}, 7, {0, 1, 2, 3, 4, 5, 6}},
    {7, {MC_SLICE_NONE, MC_SLICE_NONE, -1}, 7, {6, 5, 4, 3, 2, 1, 0}},
    {7, {1, 5, 2}, 2, {1, 3}},
    {7, {5, 1, -2}, 2, {5, 3}},
    {7, {-2, MC_SLICE_NONE, -1}, 6, {5, 4, 3, 2, 1, 0}},
    {7, {-100, 100, 3}, 3, {0, 3, 6}},
    {7, {100, -100, -3}, 3, {6, 3, 0}},
    {7, {3, 3, 1}, 0, {0}},
    {0, {MC_SLICE_NONE, MC_SLICE_NONE, -1}, 0, {0}},
    {5, {-1, -6, -1}, 5, {4, 3, 2, 1, 0}},
    {5, {4, MC_SLICE_NONE, -2}, 3, {4, 2, 0}},
    {6, {MC_SLICE_NONE, MC_SLICE_NONE, -4}, 2, {5, 1}},
    {6, {2, -1, 1}, 3, {2, 3, 4}},
    {1, {MC_SLICE_NONE, MC_SLICE_NONE, -7}, 1, {0}},
};

static void test_ndarray_slice_matches_numpy(void) {
  for (size_t t = 0; mc_test_allocators[t].name; t++) {
    mc_test_env env;
    CU_ASSERT_FATAL(mc_test_allocators[t].open(&env) == MC_OK);
    for (size_t c = 0; c < sizeof slice_cases / sizeof slice_cases[0]; c++) {
      mc_ndarray a, v;
      CU_ASSERT_FATAL(mc_ndarray_init(&a, env.al, MC_DTYPE_I64, 1, &slice_cases[c].n) == MC_OK);
      for (size_t i = 0; i < slice_cases[c].n; i++)
        CU_ASSERT(mc_ndarray_set(&a, &i, (double)i) == MC_OK);
      CU_ASSERT_FATAL(mc_ndarray_slice(&v, &a, &slice_cases[c].s, 1) == MC_OK);
      CU_ASSERT(v.size == slice_cases[c].len && v.shape[0] == v.size && !v.owns);
      for (size_t i = 0; i < v.size; i++) CU_ASSERT(at(&v, &i) == (double)slice_cases[c].idx[i]);
      /* writes through the view land in the owner */
      if (v.size) {
        size_t i0 = 0;
        CU_ASSERT(mc_ndarray_set(&v, &i0, -1.0) == MC_OK);
        CU_ASSERT(at(&a, &slice_cases[c].idx[0]) == -1.0);
      }
      mc_ndarray_destroy(&v);
      mc_ndarray_destroy(&a);
    }
    mc_test_allocators[t].close(&env);
  }
}

static void test_ndarray_transpose_index_reshape_copy(void) {
  for (size_t t = 0; mc_test_allocators[t].name; t++) {
    mc_test_env env;
    CU_ASSERT_FATAL(mc_test_allocators[t].open(&env) == MC_OK);
    size_t shape[3] = {2, 3, 4}, idx[3] = {0};
    mc_ndarray a, tr, pv, ix, rs, rc2, cp, ac;
    CU_ASSERT_FATAL(mc_ndarray_init(&a, env.al, MC_DTYPE_F32, 3, shape) == MC_OK);
    for (size_t i = 0; i < 24; i++) {
      CU_ASSERT(mc_ndarray_set(&a, idx, (double)i) == MC_OK);
      next_idx(idx, shape, 3);
    }
    int perm[3] = {1, 2, 0}, bad[3] = {0, 0, 1};
    CU_ASSERT_FATAL(mc_ndarray_transpose(&tr, &a, NULL) == MC_OK);
    CU_ASSERT_FATAL(mc_ndarray_transpose(&pv, &a, perm) == MC_OK);
    CU_ASSERT(mc_ndarray_transpose(&ix, &a, bad) == MC_EINVAL);
    CU_ASSERT(tr.shape[0] == 4 && tr.shape[2] == 2 && !mc_ndarray_is_contiguous(&tr));
    int ok = 1;
    memset(idx, 0, sizeof idx);
    do {
      size_t ti[3] = {idx[2], idx[1], idx[0]}, pi[3] = {idx[1], idx[2], idx[0]};
      ok &= at(&tr, ti) == at(&a, idx) && at(&pv, pi) == at(&a, idx);
    } while (next_idx(idx, shape, 3));
    CU_ASSERT(ok);
    /* index drops an axis; negative counts from the end */
    CU_ASSERT_FATAL(mc_ndarray_index(&ix, &a, 1, -1) == MC_OK);
    size_t i2[2] = {1, 3}, a3[3] = {1, 2, 3};
    CU_ASSERT(ix.ndim == 2 && ix.size == 8 && at(&ix, i2) == at(&a, a3));
    mc_ndarray_destroy(&ix);
    CU_ASSERT(mc_ndarray_index(&ix, &a, 1, 3) == MC_ERANGE);
    CU_ASSERT(mc_ndarray_index(&ix, &a, 3, 0) == MC_EINVAL);
    /* reshape: a view of a contiguous array, a C-order copy of a transposed one */
    size_t s2[2] = {6, 4}, s1 = 24, s5 = 25;
    CU_ASSERT_FATAL(mc_ndarray_reshape(&rs, &a, 2, s2) == MC_OK);
    CU_ASSERT(!rs.owns && rs.data == a.data && rs.strides[0] == 16);
    CU_ASSERT(mc_ndarray_reshape(&rc2, &a, 1, &s5) == MC_EINVAL);
    CU_ASSERT_FATAL(mc_ndarray_reshape(&rc2, &tr, 1, &s1) == MC_OK);
    CU_ASSERT(rc2.owns && rc2.data != a.data && mc_ndarray_is_contiguous(&rc2));
    CU_ASSERT_FATAL(mc_ndarray_copy(&cp, &tr) == MC_OK);
    CU_ASSERT_FATAL(mc_ndarray_ascontiguous(&ac, &tr) == MC_OK);
    CU_ASSERT(ac.owns && cp.owns);
    ok = 1;
    memset(idx, 0, sizeof idx);
    size_t k = 0;
    do {
      ok &= at(&rc2, &k) == at(&tr, idx) && at(&cp, idx) == at(&tr, idx) &&
            at(&ac, idx) == at(&tr, idx);
      k++;
    } while (next_idx(idx, tr.shape, 3));
    CU_ASSERT(ok && k == 24);
    mc_ndarray_destroy(&ac);
    mc_ndarray_destroy(&cp);
    mc_ndarray_destroy(&rc2);
    mc_ndarray_destroy(&rs);
    CU_ASSERT_FATAL(mc_ndarray_ascontiguous(&ac, &a) == MC_OK);
    CU_ASSERT(!ac.owns && ac.data == a.data);
    mc_ndarray_destroy(&ac);
    mc_ndarray_destroy(&pv);
    mc_ndarray_destroy(&tr);
    mc_ndarray_destroy(&a);
    mc_test_allocators[t].close(&env);
  }
}

/* ---- 1-d append / get / set / slice / sum against a plain array ------------------------ */

static void append_random(const mc_test_allocator *ta) {
  mc_test_env env;
  mc_counting c;
  mc_alloc al = mc_test_open_counted(ta, &env, &c);
  mc_test_rng r;
  mc_test_rng_seed(&r, 0xA99E4D);
  size_t zero = 0, nmax = 4096, n = 0;
  double *model = malloc(nmax * sizeof *model);
  CU_ASSERT_FATAL(model != NULL);
  mc_ndarray a;
  CU_ASSERT_FATAL(mc_ndarray_init(&a, al, MC_DTYPE_F64, 1, &zero) == MC_OK);
  int ok = 1;
  size_t nops = scaled(ta, NOPS);
  for (size_t op = 0; op < nops && ok; op++) {
    if (op % 20000 == 0) { /* start over with the next growth policy */
      mc_ndarray_destroy(&a);
      ok &= c.stats.requested == 0;
      ok &= mc_ndarray_init(&a, al, MC_DTYPE_F64, 1, &zero) == MC_OK;
      ok &= mc_ndarray_set_growth(&a, (mc_growth)(op / 20000 % MC_GROWTH_COUNT)) == MC_OK;
      n = 0;
    }
    uint64_t k = mc_test_rng_below(&r, 100);
    double v = (double)mc_test_rng_below(&r, 2000) - 1000.0, got = 0;
    size_t i = n ? mc_test_rng_below(&r, n) : 0;
    int wave = op / 5000 % 2; /* alternate growing and shrinking phases */
    if (k < (wave ? 45u : 60u) && n < nmax) {
      int rc = mc_ndarray_append(&a, v);
      if (rc == MC_OK)
        model[n++] = v;
      else
        ok &= rc == MC_ENOMEM && (ta->flags & MC_TEST_BOUNDED);
    } else if (k < 65) {
      size_t cap = a.cap;
      int rc = mc_ndarray_pop(&a, &got);
      ok &= n ? rc == MC_OK && got == model[--n] : rc == MC_EEMPTY;
      size_t want = mc_ndarray_shrink_capacity(a.growth, cap, n);
      ok &= a.cap == (want < cap ? want : cap);
    } else if (k < 70) {
      ok &= n ? mc_ndarray_get(&a, &i, &got) == MC_OK && got == model[i]
              : mc_ndarray_get(&a, &i, &got) == MC_ERANGE;
    } else if (k < 80) {
      if (n) ok &= mc_ndarray_set(&a, &i, v) == MC_OK, model[i] = v;
    } else if (k < 95) {
      mc_slice s = {(ptrdiff_t)mc_test_rng_below(&r, n + 3) - 2,
                    (ptrdiff_t)mc_test_rng_below(&r, n + 3) - 2,
                    (ptrdiff_t)mc_test_rng_below(&r, 7) - 3};
      if (s.step == 0) s.step = 1;
      if (k % 3 == 0) s.start = MC_SLICE_NONE;
      mc_ndarray view;
      ok &= mc_ndarray_slice(&view, &a, &s, 1) == MC_OK;
      /* Python's slice semantics, written out naively: normalise, clamp, then walk */
      ptrdiff_t len = (ptrdiff_t)n, st = s.start, sp = s.stop, cnt = 0;
      if (st == MC_SLICE_NONE)
        st = s.step > 0 ? 0 : len - 1;
      else if (st < 0)
        st = st + len < 0 ? (s.step > 0 ? 0 : -1) : st + len;
      else if (st >= len)
        st = s.step > 0 ? len : len - 1;
      if (sp < 0)
        sp = sp + len < 0 ? -1 : sp + len;
      else if (sp > len)
        sp = len;
      double vs = 0, ms = 0;
      for (ptrdiff_t j = st; s.step > 0 ? j < sp : j > sp; j += s.step) {
        if (j < 0 || j >= len) break;
        size_t vi = (size_t)cnt++;
        ok &= vi < view.size && at(&view, &vi) == model[j];
        ms += model[j];
      }
      ok &= view.size == (size_t)cnt && mc_ndarray_sum(&view, &vs) == MC_OK && vs == ms;
      mc_ndarray_destroy(&view);
    } else {
      double ms = 0, s = 0;
      for (size_t j = 0; j < n; j++) ms += model[j];
      ok &= mc_ndarray_sum(&a, &s) == MC_OK && s == ms;
    }
    ok &= a.size == n && a.cap >= n && c.stats.requested == a.cap * sizeof(double);
  }
  CU_ASSERT(ok);
  mc_ndarray_destroy(&a);
  free(model);
  mc_test_close_counted(ta, &env, &c);
}

static void test_ndarray_append_random_ops_match_model(void) {
  for (size_t i = 0; mc_test_allocators[i].name; i++) append_random(&mc_test_allocators[i]);
}

/* Capacity sequences: CPython's is the one listobject.c documents (0, 4, 8, 16, 24, 32, 40,
 * 52, 64, 76, ...). */
/* Shrinking on pop: CPython's list_resize below half, halving below a quarter otherwise. */
static void test_ndarray_pop_shrinks(void) {
  CU_ASSERT_EQUAL(mc_ndarray_shrink_capacity(MC_GROWTH_CPYTHON, 76, 38), 76);
  CU_ASSERT_EQUAL(mc_ndarray_shrink_capacity(MC_GROWTH_CPYTHON, 76, 37), 44); /* 37+4+6 & ~3 */
  CU_ASSERT_EQUAL(mc_ndarray_shrink_capacity(MC_GROWTH_CPYTHON, 4, 0), 0);
  CU_ASSERT_EQUAL(mc_ndarray_shrink_capacity(MC_GROWTH_DOUBLE, 64, 16), 64);
  CU_ASSERT_EQUAL(mc_ndarray_shrink_capacity(MC_GROWTH_DOUBLE, 64, 15), 32);
  for (size_t t = 0; mc_test_allocators[t].name; t++) {
    mc_test_env env;
    mc_counting c;
    mc_test_open_counted(&mc_test_allocators[t], &env, &c);
    for (int g = 0; g < MC_GROWTH_COUNT; g++) {
      mc_ndarray a;
      size_t zero = 0;
      CU_ASSERT_FATAL(mc_ndarray_init(&a, mc_counting_allocator(&c), MC_DTYPE_I32, 1, &zero) ==
                      MC_OK);
      CU_ASSERT(mc_ndarray_set_growth(&a, (mc_growth)g) == MC_OK);
      for (int i = 0; i < 1000; i++) CU_ASSERT_FATAL(mc_ndarray_append(&a, i) == MC_OK);
      size_t peak = a.cap;
      double v;
      int ok = 1;
      for (int i = 999; i >= 0; i--) ok &= mc_ndarray_pop(&a, &v) == MC_OK && v == i;
      CU_ASSERT(ok);
      CU_ASSERT(mc_ndarray_pop(&a, &v) == MC_EEMPTY && a.size == 0);
      CU_ASSERT(a.cap < peak / 100); /* memory came back */
      CU_ASSERT_EQUAL(c.stats.requested, a.cap * 4);
      if (g == MC_GROWTH_CPYTHON) CU_ASSERT(a.cap == 0 && a.base == NULL && c.stats.live == 0);
      CU_ASSERT(mc_ndarray_append(&a, 7) == MC_OK && mc_ndarray_pop(&a, NULL) == MC_OK);
      mc_ndarray_destroy(&a);
      CU_ASSERT_EQUAL(c.net_heap_growth, 0);
    }
    mc_test_allocators[t].close(&env);
  }
}

static void test_ndarray_growth_policies(void) {
  static const size_t cpython[] = {4, 8, 16, 24, 32, 40, 52, 64, 76, 92, 108, 128};
  static const size_t dbl[] = {1, 2, 4, 8, 16, 32, 64, 128};
  static const size_t one5[] = {1, 2, 3, 4, 6, 9, 13, 19, 28, 42, 63, 94, 141};
  const size_t *want[MC_GROWTH_COUNT] = {dbl, one5, cpython};
  size_t nwant[MC_GROWTH_COUNT] = {8, 13, 12};
  for (size_t t = 0; mc_test_allocators[t].name; t++)
    for (int g = 0; g < MC_GROWTH_COUNT; g++) {
      mc_test_env env;
      CU_ASSERT_FATAL(mc_test_allocators[t].open(&env) == MC_OK);
      mc_ndarray a;
      size_t zero = 0, seen = 0, last = 0;
      CU_ASSERT_FATAL(mc_ndarray_init(&a, env.al, MC_DTYPE_U8, 1, &zero) == MC_OK);
      CU_ASSERT(mc_ndarray_set_growth(&a, (mc_growth)g) == MC_OK);
      for (size_t i = 0; i < 128; i++) {
        CU_ASSERT_FATAL(mc_ndarray_append(&a, (double)(i & 255)) == MC_OK);
        if (a.cap != last && seen < nwant[g]) CU_ASSERT_EQUAL(a.cap, want[g][seen++]);
        last = a.cap;
      }
      CU_ASSERT_EQUAL(seen, nwant[g]);
      double s;
      CU_ASSERT(mc_ndarray_sum(&a, &s) == MC_OK && s == 127.0 * 128.0 / 2);
      mc_ndarray_destroy(&a);
      mc_test_allocators[t].close(&env);
    }
  CU_ASSERT(mc_ndarray_set_growth(&(mc_ndarray){0}, MC_GROWTH_COUNT) == MC_EINVAL);
  CU_ASSERT_EQUAL(mc_ndarray_grow_capacity(MC_GROWTH_DOUBLE, 100, 101, 150), 150);
  CU_ASSERT_EQUAL(mc_ndarray_grow_capacity(MC_GROWTH_CPYTHON, 100, 101, 110), 110);
  CU_ASSERT_EQUAL(mc_ndarray_grow_capacity(MC_GROWTH_1_5, 100, 151, 150), 0);
  CU_ASSERT_EQUAL(mc_ndarray_grow_capacity(MC_GROWTH_1_5, 100, 101, 1000), 150);
}

/* The policy's value as mc_ndarray.h states it, computed without overflow in 128 bits (gcc and
 * clang on 64-bit targets; elsewhere the caller only uses small values). */
#ifdef __SIZEOF_INT128__
__extension__ typedef unsigned __int128 wide;
#else
typedef unsigned long long wide;
#endif
static size_t grow_ref(mc_growth g, size_t cap, size_t need, size_t max) {
  if (need > max) return 0;
  if (need <= cap) return cap;
  wide n, c = cap, nd = need;
  switch (g) {
  case MC_GROWTH_DOUBLE: n = 2 * c; break;
  case MC_GROWTH_1_5: n = c + c / 2; break;
  default:
    n = (nd + (nd >> 3) + 6) & ~(wide)3;
    if (nd - c > n - nd) n = (nd + 3) & ~(wide)3;
    break;
  }
  if (n > max) n = max;
  return n < nd ? need : (size_t)n;
}

/* Issue 20.8: grow_capacity returned max where the policy's value was smaller but close to max
 * (1.5x: 980 for 979 under max 980; CPython's: max for a value 3 below it near
 * MC_SIZE_MAX / itemsize). Every (cap, need) under small maxima, and a window at the top of
 * the large ones, against the header's formulas. */
static void test_ndarray_grow_capacity_edges(void) {
  CU_ASSERT_EQUAL(mc_ndarray_grow_capacity(MC_GROWTH_1_5, 653, 654, 980), 979);
  CU_ASSERT_EQUAL(mc_ndarray_grow_capacity(MC_GROWTH_1_5, 654, 655, 980), 980);
  CU_ASSERT_EQUAL(mc_ndarray_grow_capacity(MC_GROWTH_DOUBLE, 490, 491, 981), 980);
  CU_ASSERT_EQUAL(mc_ndarray_grow_capacity(MC_GROWTH_DOUBLE, 491, 492, 981), 981);
  CU_ASSERT_EQUAL(mc_ndarray_grow_capacity(MC_GROWTH_CPYTHON, 40, 41, 52), 52); /* 41+5+6 */
  CU_ASSERT_EQUAL(mc_ndarray_grow_capacity(MC_GROWTH_CPYTHON, 40, 41, 51), 51); /* clamped */
  CU_ASSERT_EQUAL(mc_ndarray_grow_capacity(MC_GROWTH_CPYTHON, 42, 43, 53), 52); /* 54 & ~3 */
  int bad = 0;
  for (int g = 0; g < MC_GROWTH_COUNT; g++)
    for (size_t max = 0; max <= 300; max++)
      for (size_t cap = 0; cap <= max; cap++)
        for (size_t need = cap + 1; need <= max + 1; need++)
          bad += mc_ndarray_grow_capacity((mc_growth)g, cap, need, max) !=
                 grow_ref((mc_growth)g, cap, need, max);
  CU_ASSERT_EQUAL(bad, 0);
#ifdef __SIZEOF_INT128__
  const size_t tops[] = {MC_SIZE_MAX,     MC_SIZE_MAX / 2, MC_SIZE_MAX / 4,
                         MC_SIZE_MAX / 8, SIZE_MAX,        SIZE_MAX - 1};
  for (int g = 0; g < MC_GROWTH_COUNT; g++)
    for (size_t t = 0; t < sizeof tops / sizeof *tops; t++) {
      size_t max = tops[t];
      /* caps near max / 2, max / 1.5 and max itself, and needs just above them */
      const size_t bases[] = {max / 2, max / 3 * 2, max - max / 9, max - 64};
      for (size_t b = 0; b < 4; b++)
        for (size_t dc = 0; dc < 64; dc++)
          for (size_t dn = 1; dn < 16; dn++) {
            size_t cap = bases[b] - 32 + dc, need = cap + dn;
            bad += mc_ndarray_grow_capacity((mc_growth)g, cap, need, max) !=
                   grow_ref((mc_growth)g, cap, need, max);
          }
    }
  CU_ASSERT_EQUAL(bad, 0);
  /* append's own maximum for f64 (MC_SIZE_MAX / 8): the policies' largest values below it */
  size_t max8 = MC_SIZE_MAX / 8, cap = max8 / 3 * 2 - 2;
  CU_ASSERT_EQUAL(mc_ndarray_grow_capacity(MC_GROWTH_1_5, cap, cap + 1, max8), cap + cap / 2);
#endif
}

/* ---- accounting ---------------------------------------------------------------------------- */

static void test_ndarray_accounting_exact(void) {
  for (size_t t = 0; mc_test_allocators[t].name; t++) {
    mc_test_env env;
    mc_counting c;
    mc_alloc al = mc_test_open_counted(&mc_test_allocators[t], &env, &c);
    size_t n = scaled(&mc_test_allocators[t], 100000), shape2[2] = {n / 100, 100};
    mc_ndarray a, v, b, sum;
    CU_ASSERT_FATAL(mc_ndarray_init(&a, al, MC_DTYPE_F64, 1, &n) == MC_OK);
    CU_ASSERT_EQUAL(c.stats.requested, n * 8); /* exactly N x 8, no header */
    CU_ASSERT_EQUAL(c.stats.live, 1);
    CU_ASSERT_EQUAL(c.num_allocs, 1);
    CU_ASSERT_FATAL(mc_ndarray_reshape(&v, &a, 2, shape2) == MC_OK); /* views cost nothing */
    CU_ASSERT_EQUAL(c.num_allocs, 1);
    CU_ASSERT_FATAL(mc_ndarray_reduce_axis(&sum, &v, MC_REDUCE_SUM, 1) == MC_OK);
    CU_ASSERT_EQUAL(c.stats.requested, n * 8 + (n / 100) * 8);
    CU_ASSERT_FATAL(mc_ndarray_binop_scalar(&b, MC_OP_ADD, &a, 1.0) == MC_OK);
    CU_ASSERT_EQUAL(c.stats.requested, 2 * n * 8 + (n / 100) * 8);
    CU_ASSERT_EQUAL(c.stats.live, 3);
    mc_ndarray_destroy(&b);
    mc_ndarray_destroy(&sum);
    mc_ndarray_destroy(&v);
    mc_ndarray_destroy(&a);
    mc_test_close_counted(&mc_test_allocators[t], &env, &c);
  }
}

/* ---- failure points ------------------------------------------------------------------------ */

/* Snapshot of an array: its header bytes and its elements in C order. */
typedef struct snap {
  mc_ndarray h;
  double v[64];
} snap;

static void take(snap *s, const mc_ndarray *a) {
  memcpy(&s->h, a, sizeof *a);
  size_t idx[MC_NDARRAY_MAXDIM] = {0}, i = 0;
  if (a->size) do {
      s->v[i++] = at(a, idx);
    } while (next_idx(idx, a->shape, a->ndim) && i < 64);
}

static int unchanged(const snap *s, const mc_ndarray *a) {
  snap now;
  take(&now, a);
  return memcmp(&s->h, a, sizeof *a) == 0 && memcmp(s->v, now.v, a->size * sizeof(double)) == 0;
}

enum {
  F_INIT,
  F_COPY,
  F_RESHAPE,
  F_ASCONTIG,
  F_BINOP,
  F_SCALAR,
  F_RSCALAR,
  F_AXIS,
  F_APPEND,
  F_RESERVE,
  F_COUNT
};

static void test_ndarray_failing_every_point(void) {
  for (size_t t = 0; mc_test_allocators[t].name; t++) {
    mc_test_env env;
    mc_failing f;
    mc_test_open_failing(&mc_test_allocators[t], &env, &f, MC_FAILING_FOREVER, 0);
    mc_alloc al = mc_failing_allocator(&f);
    size_t shape[2] = {3, 4}, s12 = 12, four = 4;
    mc_test_rng r;
    mc_test_rng_seed(&r, 77);
    for (int fop = 0; fop < F_COUNT; fop++) {
      mc_failing_set(&f, MC_FAILING_FOREVER, 0);
      mc_ndarray a, tr, row, out, rv;
      CU_ASSERT_FATAL(mc_ndarray_init(&a, al, MC_DTYPE_I32, 2, shape) == MC_OK);
      fill_random(&a, &r);
      CU_ASSERT_FATAL(mc_ndarray_transpose(&tr, &a, NULL) == MC_OK);
      CU_ASSERT_FATAL(mc_ndarray_index(&rv, &a, 0, 1) == MC_OK); /* (4,), broadcast below */
      CU_ASSERT_FATAL(mc_ndarray_init(&row, al, MC_DTYPE_I32, 1, &four) == MC_OK);
      fill_random(&row, &r);
      for (size_t i = 0; i < 3; i++) CU_ASSERT(mc_ndarray_append(&row, 1.0) == MC_OK);
      /* row now holds 7 of 8 (doubling from 4): the next append fits, the one after grows */
      if (fop == F_APPEND) CU_ASSERT(mc_ndarray_append(&row, 2.0) == MC_OK);
      snap sa, st, sr;
      take(&sa, &a);
      take(&st, &tr);
      take(&sr, &row);
      int rc = MC_ENOMEM;
      uint64_t k;
      for (k = 0; rc == MC_ENOMEM && k < 10; k++) {
        mc_failing_set(&f, k, MC_FAILING_FOREVER);
        memset(&out, 0xA5, sizeof out);
        switch (fop) {
        case F_INIT: rc = mc_ndarray_init(&out, al, MC_DTYPE_F64, 2, shape); break;
        case F_COPY: rc = mc_ndarray_copy(&out, &tr); break;
        case F_RESHAPE: rc = mc_ndarray_reshape(&out, &tr, 1, &s12); break;
        case F_ASCONTIG: rc = mc_ndarray_ascontiguous(&out, &tr); break;
        case F_BINOP: rc = mc_ndarray_binop(&out, MC_OP_MUL, &a, &rv); break;
        case F_SCALAR: rc = mc_ndarray_binop_scalar(&out, MC_OP_SUB, &tr, 3.0); break;
        case F_RSCALAR: rc = mc_ndarray_binop_rscalar(&out, MC_OP_DIV, 3.0, &a); break;
        case F_AXIS: rc = mc_ndarray_reduce_axis(&out, &tr, MC_REDUCE_MEAN, 0); break;
        case F_APPEND: rc = mc_ndarray_append(&row, 5.0); break;
        case F_RESERVE: rc = mc_ndarray_reserve(&row, 100); break;
        }
        if (rc == MC_ENOMEM) {
          mc_ndarray junk;
          memset(&junk, 0xA5, sizeof junk);
          CU_ASSERT(fop >= F_APPEND || memcmp(&out, &junk, sizeof out) == 0);
          CU_ASSERT(unchanged(&sa, &a) && unchanged(&st, &tr) && unchanged(&sr, &row));
        }
      }
      CU_ASSERT(rc == MC_OK);
      if (fop == F_BINOP) CU_ASSERT(out.size == 12 && out.shape[1] == 4);
      CU_ASSERT_EQUAL(k, 2); /* one allocation each: k = 0 fails, k = 1 succeeds */
      mc_failing_set(&f, MC_FAILING_FOREVER, 0);
      if (fop < F_APPEND && rc == MC_OK) mc_ndarray_destroy(&out);
      mc_ndarray_destroy(&row);
      mc_ndarray_destroy(&rv);
      mc_ndarray_destroy(&tr);
      mc_ndarray_destroy(&a);
    }
    mc_test_allocators[t].close(&env);
  }
}

/* A pop whose shrink the allocator refuses still succeeds and keeps the buffer. */
static void test_ndarray_pop_refused_shrink(void) {
  for (size_t t = 0; mc_test_allocators[t].name; t++) {
    mc_test_env env;
    mc_failing f;
    mc_test_open_failing(&mc_test_allocators[t], &env, &f, MC_FAILING_FOREVER, 0);
    mc_ndarray a;
    size_t n = 64;
    CU_ASSERT_FATAL(mc_ndarray_init(&a, mc_failing_allocator(&f), MC_DTYPE_F64, 1, &n) == MC_OK);
    mc_failing_set(&f, 0, MC_FAILING_FOREVER);
    double v;
    int ok = 1;
    for (size_t i = 0; i < 64; i++) ok &= mc_ndarray_pop(&a, &v) == MC_OK && a.cap == 64;
    CU_ASSERT(ok && a.size == 0 && mc_failing_failed(&f) > 0);
    mc_failing_set(&f, MC_FAILING_FOREVER, 0);
    mc_ndarray_destroy(&a);
    mc_test_allocators[t].close(&env);
  }
}

/* ---- edge cases ----------------------------------------------------------------------------- */

static void edge_cases(const mc_test_allocator *ta) {
  mc_test_env env;
  CU_ASSERT_FATAL(ta->open(&env) == MC_OK);
  mc_alloc al = env.al;
  mc_ndarray a, b, o, z, v;
  memset(&a, 0, sizeof a);
  mc_ndarray_destroy(&a); /* zeroed struct */
  /* shape x itemsize overflow, even with a zero-length dim; bad ndim/dtype */
  size_t huge[3] = {SIZE_MAX / 4, 4, 0}, nine[9] = {1, 1, 1, 1, 1, 1, 1, 1, 1};
  CU_ASSERT(mc_ndarray_init(&a, al, MC_DTYPE_F64, 2, huge) == MC_ERANGE);
  CU_ASSERT(mc_ndarray_init(&a, al, MC_DTYPE_U8, 3, huge) == MC_ERANGE);
  size_t big[1] = {MC_SIZE_MAX / 4};
  CU_ASSERT(mc_ndarray_init(&a, al, MC_DTYPE_F64, 1, big) == MC_ERANGE);
  CU_ASSERT(mc_ndarray_init(&a, al, MC_DTYPE_F64, 9, nine) == MC_EINVAL);
  CU_ASSERT(mc_ndarray_init(&a, al, MC_DTYPE_COUNT, 1, nine) == MC_EINVAL);
  /* broadcasting mismatch, dtype mismatch, wrong out shape: nothing changes */
  size_t s3 = 3, s4 = 4, s34[2] = {3, 4}, s03[2] = {0, 3};
  CU_ASSERT_FATAL(mc_ndarray_init(&a, al, MC_DTYPE_I64, 1, &s3) == MC_OK);
  CU_ASSERT_FATAL(mc_ndarray_init(&b, al, MC_DTYPE_I64, 1, &s4) == MC_OK);
  CU_ASSERT_FATAL(mc_ndarray_init(&o, al, MC_DTYPE_I64, 2, s34) == MC_OK);
  memset(&v, 0x5A, sizeof v);
  snap so;
  take(&so, &o);
  CU_ASSERT(mc_ndarray_binop(&v, MC_OP_ADD, &a, &b) == MC_EINVAL);
  CU_ASSERT(mc_ndarray_binop_into(&o, MC_OP_ADD, &a, &b) == MC_EINVAL);
  CU_ASSERT(mc_ndarray_binop_into(&o, MC_OP_ADD, &b, &b) == MC_EINVAL); /* (4,) into (3,4)  */
  CU_ASSERT(mc_ndarray_binop(&v, MC_OP_COUNT, &b, &b) == MC_EINVAL);
  CU_ASSERT(unchanged(&so, &o));
  /* integer division: truncation, x / 0 == 0, MIN / -1 == MIN; unrepresentable scalars */
  size_t i0 = 0, i1 = 1, i2 = 2, i00[2] = {0, 0};
  CU_ASSERT(mc_ndarray_set(&a, &i0, -7) == MC_OK && mc_ndarray_set(&a, &i1, 7) == MC_OK);
  CU_ASSERT(mc_ndarray_set(&a, &i2, 1e300) == MC_ERANGE);
  CU_ASSERT(mc_ndarray_binop_scalar(&v, MC_OP_ADD, &a, NAN) == MC_ERANGE);
  CU_ASSERT(mc_ndarray_binop_scalar(&v, MC_OP_DIV, &a, 2) == MC_OK);
  CU_ASSERT(at(&v, &i0) == -3.0 && at(&v, &i1) == 3.0 && at(&v, &i2) == 0.0);
  mc_ndarray_destroy(&v);
  CU_ASSERT(mc_ndarray_binop_scalar(&v, MC_OP_DIV, &a, 0) == MC_OK);
  CU_ASSERT(at(&v, &i0) == 0.0 && at(&v, &i1) == 0.0);
  mc_ndarray_destroy(&v);
  int64_t *p0;
  CU_ASSERT(mc_ndarray_ptr(&a, &i0, (void **)&p0) == MC_OK);
  *p0 = INT64_MIN;
  CU_ASSERT(mc_ndarray_binop_scalar_into(&a, MC_OP_DIV, &a, -1) == MC_OK && *p0 == INT64_MIN);
  CU_ASSERT(mc_ndarray_binop_scalar_into(&a, MC_OP_SUB, &a, 1) == MC_OK && *p0 == INT64_MAX);
  /* zero-length dims through every operation */
  CU_ASSERT_FATAL(mc_ndarray_init(&z, al, MC_DTYPE_I64, 2, s03) == MC_OK);
  double d = 5;
  CU_ASSERT(mc_ndarray_binop(&v, MC_OP_ADD, &z, &a) == MC_OK && v.size == 0 && v.shape[1] == 3);
  mc_ndarray_destroy(&v);
  CU_ASSERT(mc_ndarray_sum(&z, &d) == MC_OK && d == 0.0);
  CU_ASSERT(mc_ndarray_min(&z, &d) == MC_EEMPTY && mc_ndarray_mean(&z, &d) == MC_EEMPTY);
  CU_ASSERT(mc_ndarray_reduce_axis(&v, &z, MC_REDUCE_MAX, 0) == MC_EEMPTY);
  CU_ASSERT(mc_ndarray_reduce_axis(&v, &z, MC_REDUCE_SUM, 0) == MC_OK && v.size == 3 &&
            at(&v, &i2) == 0.0);
  mc_ndarray_destroy(&v);
  CU_ASSERT(mc_ndarray_reduce_axis(&v, &z, MC_REDUCE_MAX, 1) == MC_OK && v.size == 0);
  mc_ndarray_destroy(&v);
  CU_ASSERT(mc_ndarray_reduce_axis(&v, &z, MC_REDUCE_MAX, 2) == MC_EINVAL);
  CU_ASSERT(mc_ndarray_copy(&v, &z) == MC_OK && v.size == 0);
  mc_ndarray_destroy(&v);
  /* slices: zero step, too many; index and get out of range; append only on 1-d owners */
  mc_slice bad = {0, 1, 0};
  CU_ASSERT(mc_ndarray_slice(&v, &a, &bad, 1) == MC_EINVAL);
  CU_ASSERT(mc_ndarray_slice(&v, &a, &bad, 2) == MC_EINVAL);
  CU_ASSERT(mc_ndarray_get(&a, &s3, &d) == MC_ERANGE);
  CU_ASSERT(mc_ndarray_set(&o, i00, 1) == MC_OK && mc_ndarray_append(&o, 1) == MC_EINVAL);
  mc_slice rev = {MC_SLICE_NONE, MC_SLICE_NONE, -1};
  CU_ASSERT_FATAL(mc_ndarray_slice(&v, &a, &rev, 1) == MC_OK);
  CU_ASSERT(mc_ndarray_append(&v, 1) == MC_EINVAL && mc_ndarray_reserve(&v, 9) == MC_EINVAL);
  mc_ndarray_destroy(&v);
  mc_ndarray u;
  size_t zero = 0;
  CU_ASSERT_FATAL(mc_ndarray_init(&u, al, MC_DTYPE_U8, 1, &zero) == MC_OK);
  CU_ASSERT(mc_ndarray_append(&u, 256) == MC_ERANGE && mc_ndarray_append(&u, -1) == MC_ERANGE);
  CU_ASSERT(u.size == 0 && u.cap == 0 && u.base == NULL);
  CU_ASSERT(mc_ndarray_append(&u, 255) == MC_OK && mc_ndarray_append(&u, 1.9) == MC_OK);
  CU_ASSERT(mc_ndarray_binop_scalar_into(&u, MC_OP_ADD, &u, 1) == MC_OK);
  CU_ASSERT(at(&u, &i0) == 0.0 && at(&u, &i1) == 2.0); /* 255 + 1 wraps; 1.9 truncated */
  CU_ASSERT(mc_ndarray_reserve(&u, SIZE_MAX) == MC_ERANGE && u.size == 2);
  CU_ASSERT(mc_ndarray_pop(&o, NULL) == MC_EINVAL && mc_ndarray_pop(&v, NULL) == MC_EINVAL);
  /* NaN propagates through min/max; mean */
  size_t s2 = 2;
  mc_ndarray fl;
  CU_ASSERT_FATAL(mc_ndarray_init(&fl, al, MC_DTYPE_F64, 1, &s2) == MC_OK);
  CU_ASSERT(mc_ndarray_set(&fl, &i1, NAN) == MC_OK);
  CU_ASSERT(mc_ndarray_max(&fl, &d) == MC_OK && d != d);
  CU_ASSERT(mc_ndarray_set(&fl, &i1, 3) == MC_OK && mc_ndarray_mean(&fl, &d) == MC_OK && d == 1.5);
  CU_ASSERT(mc_ndarray_reduce(&fl, MC_REDUCE_COUNT, &d) == MC_EINVAL);
  mc_ndarray_destroy(&fl);
  mc_ndarray_destroy(&u);
  mc_ndarray_destroy(&z);
  mc_ndarray_destroy(&o);
  mc_ndarray_destroy(&b);
  mc_ndarray_destroy(&a);
  CU_ASSERT(a.al.vt == NULL);
  ta->close(&env);
}

static void test_ndarray_edge_cases(void) {
  for (size_t i = 0; mc_test_allocators[i].name; i++) edge_cases(&mc_test_allocators[i]);
}

static int add_suites(void) {
  static CU_TestInfo tests[] = {
      {"test_ndarray_init_layout_every_allocator", test_ndarray_init_layout_every_allocator},
      {"test_ndarray_slice_matches_numpy", test_ndarray_slice_matches_numpy},
      {"test_ndarray_transpose_index_reshape_copy", test_ndarray_transpose_index_reshape_copy},
      {"test_ndarray_append_random_ops_match_model", test_ndarray_append_random_ops_match_model},
      {"test_ndarray_growth_policies", test_ndarray_growth_policies},
      {"test_ndarray_grow_capacity_edges", test_ndarray_grow_capacity_edges},
      {"test_ndarray_pop_shrinks", test_ndarray_pop_shrinks},
      {"test_ndarray_accounting_exact", test_ndarray_accounting_exact},
      {"test_ndarray_failing_every_point", test_ndarray_failing_every_point},
      {"test_ndarray_pop_refused_shrink", test_ndarray_pop_refused_shrink},
      {"test_ndarray_edge_cases", test_ndarray_edge_cases},
      CU_TEST_INFO_NULL,
  };
  return mc_test_add_suite("ndarray", tests);
}

int main(void) { return mc_test_main(add_suites); }