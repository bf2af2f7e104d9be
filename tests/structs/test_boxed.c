/* test_boxed.c — the boxed array under every allocator: randomised operations against a plain
 * array model, exact accounting through the counting decorator, every failure point of every
 * allocating operation through the failing decorator, and the edge cases. */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define NOPS 100000

/* Does b hold exactly model[0..n)? Checks the NULL tail as well (the collector relies on it). */
static int same(const mc_boxed *b, const double *model, size_t n) {
  if (b->len != n || b->cap < n) return 0;
  for (size_t i = 0; i < n; i++)
    if (mc_boxed_at(b, i) != model[i]) return 0;
  for (size_t i = n; i < b->cap; i++)
    if (b->items[i] != NULL) return 0;
  return 1;
}

/* Exact accounting: one pointer buffer of cap slots plus len boxes of sizeof(double). */
static int accounted(const mc_boxed *b, const mc_counting *c) {
  size_t want = b->cap * sizeof(void *) + b->len * sizeof(double);
  size_t blocks = b->len + (b->cap > 0);
  return c->stats.requested == want && c->stats.live == blocks;
}

static void random_ops(const mc_test_allocator *ta) {
  mc_test_env env;
  mc_counting c;
  mc_alloc al = mc_test_open_counted(ta, &env, &c);
  mc_boxed b;
  CU_ASSERT_FATAL(mc_boxed_init(&b, al, 0) == MC_OK);
  size_t nops = (ta->flags & MC_TEST_SLOW) ? NOPS / 50 : NOPS;
  double *model = malloc(4096 * sizeof *model);
  size_t n = 0;
  CU_ASSERT_FATAL(model != NULL);
  mc_test_rng r;
  mc_test_rng_seed(&r, 0xB0CED);
  int ok = 1;
  for (size_t op = 0; op < nops && ok; op++) {
    uint64_t k = mc_test_rng_below(&r, 100);
    double v = (double)mc_test_rng_below(&r, 1000000) / 7.0;
    size_t i = n ? mc_test_rng_below(&r, n) : 0;
    int grow = n < 64 || (n < 4000 && k < (op / 10000 % 2 ? 60u : 45u)); /* waves */
    double got = -1.0;
    int rc;
    if (grow) {
      rc = mc_boxed_append(&b, v);
      if (rc == MC_OK)
        model[n++] = v;
      else
        ok &= rc == MC_ENOMEM && (ta->flags & MC_TEST_BOUNDED); /* a full stack region */
    } else if (k < 70) {
      rc = mc_boxed_pop(&b, &got);
      ok &= rc == MC_OK && got == model[--n];
    } else if (k < 80) {
      rc = mc_boxed_remove(&b, i, &got);
      ok &= rc == MC_OK && got == model[i];
      memmove(&model[i], &model[i + 1], (n - i - 1) * sizeof *model);
      n--;
    } else if (k < 90) {
      ok &= mc_boxed_set(&b, i, v) == MC_OK;
      model[i] = v;
    } else {
      ok &= mc_boxed_get(&b, i, &got) == MC_OK && got == model[i];
    }
    if (op % 997 == 0) ok &= same(&b, model, n) && accounted(&b, &c);
  }
  CU_ASSERT(ok);
  CU_ASSERT(same(&b, model, n));
  CU_ASSERT(accounted(&b, &c));
  double sum = 0.0;
  for (size_t i = 0; i < n; i++) sum += model[i];
  CU_ASSERT(mc_boxed_sum(&b) == sum);
  mc_boxed_destroy(&b);
  free(model);
  mc_test_close_counted(ta, &env, &c);
}

static void test_boxed_random_ops_match_model(void) {
  for (size_t i = 0; mc_test_allocators[i].name; i++) random_ops(&mc_test_allocators[i]);
}

/* N appends hold exactly N boxes of sizeof(double) bytes plus the buffer; destroy frees all. */
static void test_boxed_accounting_exact(void) {
  for (size_t a = 0; mc_test_allocators[a].name; a++) {
    const mc_test_allocator *ta = &mc_test_allocators[a];
    mc_test_env env;
    mc_counting c;
    mc_test_open_counted(ta, &env, &c);
    mc_boxed b;
    CU_ASSERT_FATAL(mc_boxed_init(&b, mc_counting_allocator(&c), 10) == MC_OK);
    CU_ASSERT_EQUAL(c.stats.requested, 10 * sizeof(void *));
    size_t n = (ta->flags & MC_TEST_SLOW) ? 1000 : 10000;
    for (size_t i = 0; i < n; i++) CU_ASSERT_FATAL(mc_boxed_append(&b, (double)i) == MC_OK);
    CU_ASSERT_EQUAL(c.stats.live, n + 1);
    CU_ASSERT_EQUAL(c.stats.requested, b.cap * sizeof(void *) + n * sizeof(double));
    CU_ASSERT(b.cap >= n && b.cap < 2 * n);
    CU_ASSERT_EQUAL(mc_boxed_sum(&b), (double)n * (double)(n - 1) / 2);
    mc_boxed_destroy(&b);
    CU_ASSERT_EQUAL(c.net_heap_growth, 0);
    CU_ASSERT_EQUAL(c.stats.requested, 0);
    ta->close(&env);
  }
}

/* Every failure point of init, append (at and between growth boundaries), pop and remove (whose
 * shrink may fail silently): MC_ENOMEM and nothing changed, then success. */
static void test_boxed_failing_every_point(void) {
  for (size_t a = 0; mc_test_allocators[a].name; a++) {
    mc_test_env env;
    mc_failing f;
    mc_test_open_failing(&mc_test_allocators[a], &env, &f, 0, MC_FAILING_FOREVER);
    mc_alloc al = mc_failing_allocator(&f);
    mc_boxed b;
    CU_ASSERT(mc_boxed_init(&b, al, 8) == MC_ENOMEM);
    CU_ASSERT(b.items == NULL && b.cap == 0 && b.len == 0);
    mc_boxed_destroy(&b); /* zeroed: harmless */
    double model[80];
    for (size_t s = 0; s < 70; s++) {
      mc_failing_set(&f, MC_FAILING_FOREVER, 0);
      CU_ASSERT_FATAL(mc_boxed_init(&b, al, 0) == MC_OK);
      for (size_t i = 0; i < s; i++) {
        model[i] = (double)i * 1.5;
        CU_ASSERT_FATAL(mc_boxed_append(&b, model[i]) == MC_OK);
      }
      int rc = MC_ENOMEM;
      uint64_t k;
      for (k = 0; rc == MC_ENOMEM && k < 10; k++) {
        mc_failing_set(&f, k, MC_FAILING_FOREVER);
        rc = mc_boxed_append(&b, -1.0);
        if (rc == MC_ENOMEM) CU_ASSERT(same(&b, model, s));
      }
      CU_ASSERT(rc == MC_OK);
      CU_ASSERT(
          k ==
          ((s >= 4 && (s & (s - 1)) == 0) || s == 0 ? 3u : 2u)); /* k ran one past the success */
      model[s] = -1.0;
      CU_ASSERT(same(&b, model, s + 1));
      /* pops and removes never fail, even when every shrink does */
      mc_failing_set(&f, 0, MC_FAILING_FOREVER);
      size_t n = s + 1;
      while (n > 2) {
        double got;
        CU_ASSERT(mc_boxed_remove(&b, 1, &got) == MC_OK && got == model[1]);
        memmove(&model[1], &model[2], (n - 2) * sizeof *model);
        n--;
        CU_ASSERT(mc_boxed_pop(&b, &got) == MC_OK && got == model[--n]);
        CU_ASSERT(same(&b, model, n));
      }
      mc_boxed_destroy(&b);
    }
    mc_test_allocators[a].close(&env);
  }
}

static void test_boxed_edge_cases(void) {
  mc_test_env env;
  CU_ASSERT_FATAL(mc_test_allocators[0].open(&env) == MC_OK);
  mc_boxed b;
  memset(&b, 0, sizeof b);
  mc_boxed_destroy(&b); /* zeroed struct */
  CU_ASSERT_FATAL(mc_boxed_init(&b, env.al, 0) == MC_OK);
  double x = 42.0;
  CU_ASSERT(mc_boxed_pop(&b, &x) == MC_EEMPTY);
  CU_ASSERT(mc_boxed_get(&b, 0, &x) == MC_ERANGE);
  CU_ASSERT(mc_boxed_set(&b, 0, 1.0) == MC_ERANGE);
  CU_ASSERT(mc_boxed_remove(&b, 0, &x) == MC_ERANGE);
  CU_ASSERT(x == 42.0);
  CU_ASSERT(mc_boxed_sum(&b) == 0.0);
  CU_ASSERT(mc_boxed_append(&b, 1.0) == MC_OK);
  CU_ASSERT(mc_boxed_append(&b, 2.0) == MC_OK);
  CU_ASSERT(mc_boxed_get(&b, 2, &x) == MC_ERANGE);
  CU_ASSERT(mc_boxed_get(&b, SIZE_MAX, &x) == MC_ERANGE);
  CU_ASSERT(mc_boxed_remove(&b, 2, NULL) == MC_ERANGE);
  CU_ASSERT(mc_boxed_len(&b) == 2 && mc_boxed_at(&b, 1) == 2.0);
  CU_ASSERT(mc_boxed_remove(&b, 0, NULL) == MC_OK && mc_boxed_at(&b, 0) == 2.0);
  CU_ASSERT(mc_boxed_pop(&b, NULL) == MC_OK && mc_boxed_len(&b) == 0);
  CU_ASSERT(mc_boxed_pop(&b, NULL) == MC_EEMPTY);
  mc_boxed_destroy(&b);
  CU_ASSERT(b.items == NULL && b.al.vt == NULL);
  mc_boxed_destroy(&b); /* twice */
  CU_ASSERT(mc_boxed_init(&b, env.al, SIZE_MAX / 2) == MC_ERANGE);
  mc_test_allocators[0].close(&env);
}

static int add_suites(void) {
  static CU_TestInfo tests[] = {
      {"test_boxed_random_ops_match_model", test_boxed_random_ops_match_model},
      {"test_boxed_accounting_exact", test_boxed_accounting_exact},
      {"test_boxed_failing_every_point", test_boxed_failing_every_point},
      {"test_boxed_edge_cases", test_boxed_edge_cases},
      CU_TEST_INFO_NULL,
  };
  return mc_test_add_suite("boxed", tests);
}

int main(void) { return mc_test_main(add_suites); }
