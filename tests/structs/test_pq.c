/* test_pq.c — the d-ary heap (d = 2 and 4) under every allocator: randomised push / pop / peek /
 * heapify against an unsorted-array model, heap order checked throughout, exact accounting,
 * every failure point of the allocating operations, edge cases. */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define NOPS 100000
#define MAXN 2000

static const mc_pq_entry *heap(const mc_pq *q) { return q->a; }

static int heap_ordered(const mc_pq *q) {
  const mc_pq_entry *h = heap(q);
  for (size_t i = 1; i < q->len; i++)
    if (h[(i - 1) / q->d].key > h[i].key) return 0;
  return 1;
}

/* Removes the model entry equal to e, which must have the model's minimum key. */
static int model_take(mc_pq_entry *m, size_t *n, mc_pq_entry e) {
  size_t at = *n;
  double min = m[0].key;
  for (size_t i = 0; i < *n; i++) {
    if (m[i].key < min) min = m[i].key;
    if (m[i].value == e.value && m[i].key == e.key) at = i;
  }
  if (at == *n || e.key != min) return 0;
  m[at] = m[--*n];
  return 1;
}

static size_t bytes(const mc_pq *q) {
  return q->cap ? (q->cap + q->d - 1) * sizeof(mc_pq_entry) : 0;
}

static void random_ops(const mc_test_allocator *ta, unsigned d, mc_pq_entry *m) {
  mc_test_env env;
  mc_counting c;
  mc_test_open_counted(ta, &env, &c);
  mc_pq q;
  CU_ASSERT_FATAL(mc_pq_init(&q, mc_counting_allocator(&c), d, 0) == MC_OK);
  size_t n = 0, nops = (ta->flags & MC_TEST_SLOW) ? NOPS / 50 : NOPS;
  uint64_t id = 0;
  mc_test_rng r;
  mc_test_rng_seed(&r, 0x9C0DE + d);
  int ok = 1;
  for (size_t op = 0; op < nops && ok; op++) {
    uint64_t k = mc_test_rng_below(&r, 1000);
    /* small integer keys half the time (ties), otherwise spread doubles */
    double key = (op / 5000) % 2 ? (double)mc_test_rng_below(&r, 20)
                                 : (double)mc_test_rng_below(&r, 1u << 30) / 1024.0 - 5e5;
    int grow = n < 8 || (n < MAXN - 64 && k < ((op / 7000) % 2 ? 560u : 420u));
    mc_pq_entry e = {0, 0};
    if (grow && k % 50 == 7) { /* heapify a batch */
      mc_pq_entry batch[40];
      size_t cnt = mc_test_rng_below(&r, 40);
      for (size_t j = 0; j < cnt; j++) batch[j] = (mc_pq_entry){key + (double)j, id++};
      int rc = mc_pq_heapify(&q, batch, cnt);
      if (rc == MC_OK)
        memcpy(&m[n], batch, cnt * sizeof *batch), n += cnt;
      else
        ok &= rc == MC_ENOMEM && (ta->flags & MC_TEST_BOUNDED) && q.len == n;
    } else if (grow) {
      int rc = mc_pq_push(&q, key, id);
      if (rc == MC_OK)
        m[n++] = (mc_pq_entry){key, id};
      else
        ok &= rc == MC_ENOMEM && (ta->flags & MC_TEST_BOUNDED) && q.len == n;
      id++;
    } else if (k < 800) {
      ok &= mc_pq_pop(&q, &e) == MC_OK && model_take(m, &n, e);
    } else {
      mc_pq_entry p;
      ok &= mc_pq_peek(&q, &p) == MC_OK && mc_pq_pop(&q, &e) == MC_OK;
      ok &= p.key == e.key && p.value == e.value && model_take(m, &n, e);
    }
    ok &= q.len == n && mc_pq_size(&q) == n;
    if (op % 499 == 0) ok &= heap_ordered(&q) && c.stats.requested == bytes(&q);
  }
  CU_ASSERT(ok);
  CU_ASSERT(heap_ordered(&q));
  double last = -1e300;
  mc_pq_entry e;
  while (mc_pq_pop(&q, &e) == MC_OK) { /* drains in order */
    CU_ASSERT(e.key >= last && model_take(m, &n, e));
    last = e.key;
  }
  CU_ASSERT(n == 0 && q.len == 0);
  mc_pq_destroy(&q);
  mc_test_close_counted(ta, &env, &c);
}

static void test_pq_random_ops_match_model(void) {
  mc_pq_entry *m = malloc(MAXN * sizeof *m);
  CU_ASSERT_FATAL(m != NULL);
  for (size_t i = 0; mc_test_allocators[i].name; i++) {
    random_ops(&mc_test_allocators[i], 2, m);
    random_ops(&mc_test_allocators[i], 4, m);
  }
  free(m);
}

/* Same entries, same order in the buffer? */
static int unchanged(const mc_pq *q, const mc_pq_entry *snap, size_t n) {
  /* n == 0: q->a may be NULL, which memcmp must not see */
  return q->len == n && (n == 0 || memcmp(heap(q), snap, n * sizeof *snap) == 0);
}

static void test_pq_failing_every_point(void) {
  for (size_t a = 0; mc_test_allocators[a].name; a++) {
    mc_test_env env;
    mc_failing f;
    mc_test_open_failing(&mc_test_allocators[a], &env, &f, 0, MC_FAILING_FOREVER);
    mc_alloc al = mc_failing_allocator(&f);
    for (unsigned d = 2; d <= 4; d += 2) {
      mc_pq q;
      mc_failing_set(&f, 0, MC_FAILING_FOREVER);
      CU_ASSERT(mc_pq_init(&q, al, d, 100) == MC_ENOMEM && q.a == NULL && q.base == NULL &&
                q.al.vt == NULL);
      mc_failing_set(&f, MC_FAILING_FOREVER, 0);
      CU_ASSERT_FATAL(mc_pq_init(&q, al, d, 0) == MC_OK);
      mc_pq_entry snap[200], batch[50];
      for (size_t s = 0; s < 140; s++) {
        size_t n = q.len;
        if (n) memcpy(snap, heap(&q), n * sizeof *snap);
        int grows = q.len == q.cap;
        mc_failing_set(&f, 0, MC_FAILING_FOREVER);
        CU_ASSERT(mc_pq_push(&q, (double)((s * 37) % 101), s) == (grows ? MC_ENOMEM : MC_OK));
        if (grows) {
          CU_ASSERT(unchanged(&q, snap, n));
          mc_failing_set(&f, 1, MC_FAILING_FOREVER);
          CU_ASSERT(mc_pq_push(&q, (double)((s * 37) % 101), s) == MC_OK);
        }
        CU_ASSERT(q.len == n + 1 && heap_ordered(&q));
        if (s % 10 == 3) { /* heapify that must grow: fails, then succeeds */
          size_t cnt = q.cap - q.len + 1 + s % 7;
          for (size_t j = 0; j < cnt && j < 50; j++)
            batch[j] = (mc_pq_entry){(double)(j % 5), 1000 + j};
          if (cnt > 50) cnt = 50;
          n = q.len;
          memcpy(snap, heap(&q), n * sizeof *snap);
          mc_failing_set(&f, 0, MC_FAILING_FOREVER);
          int rc = mc_pq_heapify(&q, batch, cnt);
          CU_ASSERT(rc == (n + cnt > q.cap ? MC_ENOMEM : MC_OK));
          if (rc == MC_ENOMEM) CU_ASSERT(unchanged(&q, snap, n));
          mc_failing_set(&f, MC_FAILING_FOREVER, 0);
          if (rc == MC_ENOMEM) CU_ASSERT(mc_pq_heapify(&q, batch, cnt) == MC_OK);
          CU_ASSERT(q.len == n + cnt && heap_ordered(&q));
          mc_failing_set(&f, 0, MC_FAILING_FOREVER); /* pops never fail, shrinking or not */
          for (size_t j = 0; j < cnt; j++) CU_ASSERT(mc_pq_pop(&q, NULL) == MC_OK);
          CU_ASSERT(q.len == n && heap_ordered(&q));
        }
      }
      mc_failing_set(&f, MC_FAILING_FOREVER, 0);
      mc_pq_destroy(&q);
    }
    mc_test_allocators[a].close(&env);
  }
}

static void test_pq_heapify_then_drain_sorted(void) {
  for (size_t a = 0; mc_test_allocators[a].name; a++) {
    const mc_test_allocator *ta = &mc_test_allocators[a];
    mc_test_env env;
    CU_ASSERT_FATAL(ta->open(&env) == MC_OK);
    size_t n = (ta->flags & MC_TEST_SLOW) ? 2000 : 50000;
    mc_pq_entry *src = malloc(n * sizeof *src);
    CU_ASSERT_FATAL(src != NULL);
    mc_test_rng r;
    mc_test_rng_seed(&r, 77);
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
      src[i] = (mc_pq_entry){(double)mc_test_rng_below(&r, 1000000), i};
      sum += src[i].key;
    }
    for (unsigned d = 2; d <= 4; d += 2) {
      mc_pq q;
      CU_ASSERT_FATAL(mc_pq_init(&q, env.al, d, 0) == MC_OK);
      CU_ASSERT(mc_pq_heapify(&q, src, n / 2) == MC_OK);
      CU_ASSERT(mc_pq_heapify(&q, src + n / 2, n - n / 2) == MC_OK); /* into a non-empty heap */
      CU_ASSERT(q.len == n && heap_ordered(&q));
      CU_ASSERT((uintptr_t)q.base % 64 == 0 && q.a == q.base + d - 1);
      double last = -1, s = 0;
      mc_pq_entry e;
      int ok = 1;
      while (mc_pq_pop(&q, &e) == MC_OK) {
        ok &= e.key >= last && src[e.value].key == e.key;
        last = e.key;
        s += e.key;
      }
      CU_ASSERT(ok && s == sum);
      mc_pq_destroy(&q);
    }
    free(src);
    ta->close(&env);
  }
}

static void test_pq_edge_cases(void) {
  mc_test_env env;
  CU_ASSERT_FATAL(mc_test_allocators[0].open(&env) == MC_OK);
  mc_pq q;
  memset(&q, 0, sizeof q);
  mc_pq_destroy(&q); /* zeroed */
  CU_ASSERT(mc_pq_init(&q, env.al, 3, 0) == MC_EINVAL && q.al.vt == NULL);
  CU_ASSERT(mc_pq_init(&q, env.al, 1, 0) == MC_EINVAL);
  CU_ASSERT(mc_pq_init(&q, env.al, 2, SIZE_MAX / 8) == MC_ERANGE);
  CU_ASSERT(mc_pq_init(&q, env.al, 4, SIZE_MAX) == MC_ERANGE);
  CU_ASSERT_FATAL(mc_pq_init(&q, env.al, 4, 0) == MC_OK);
  mc_pq_entry e = {1.0, 9};
  CU_ASSERT(mc_pq_pop(&q, &e) == MC_EEMPTY && mc_pq_peek(&q, &e) == MC_EEMPTY);
  CU_ASSERT(e.key == 1.0 && e.value == 9);
  CU_ASSERT(mc_pq_heapify(&q, NULL, 0) == MC_OK && q.len == 0 && q.cap == 0);
  CU_ASSERT(mc_pq_push(&q, -0.5, 1) == MC_OK && mc_pq_push(&q, -1.5, 2) == MC_OK);
  CU_ASSERT(mc_pq_push(&q, -1.5, 3) == MC_OK && mc_pq_arity(&q) == 4);
  CU_ASSERT(mc_pq_peek(&q, &e) == MC_OK && e.key == -1.5);
  CU_ASSERT(mc_pq_pop(&q, &e) == MC_OK && e.key == -1.5);
  CU_ASSERT(mc_pq_pop(&q, &e) == MC_OK && e.key == -1.5);
  CU_ASSERT(mc_pq_pop(&q, NULL) == MC_OK && mc_pq_size(&q) == 0);
  CU_ASSERT(mc_pq_heapify(&q, (mc_pq_entry[]){{2, 0}}, SIZE_MAX) == MC_ERANGE);
  mc_pq_destroy(&q);
  mc_pq_destroy(&q); /* twice */
  mc_test_allocators[0].close(&env);
}

/* Issue 20.7: the public field a holds the heap at [0, len) (a[0] is a minimum), as mc_pq.h
 * says; it used to hold d - 1 padding entries first, with the minimum at a[d - 1]. Checked
 * through the field alone, without the library's helpers, under every allocator. */
static void test_pq_field_a_holds_heap_from_zero(void) {
  for (size_t i = 0; mc_test_allocators[i].name; i++) {
    mc_test_env env;
    CU_ASSERT_FATAL(mc_test_allocators[i].open(&env) == MC_OK);
    for (unsigned d = 2; d <= 4; d += 2) {
      mc_pq q;
      CU_ASSERT_FATAL(mc_pq_init(&q, env.al, d, 0) == MC_OK);
      CU_ASSERT(q.a == NULL && q.base == NULL);
      int ok = 1;
      for (uint64_t k = 0; k < 100; k++) {
        ok &= mc_pq_push(&q, (double)((k * 37) % 101) - 50.0, k) == MC_OK;
        double min = q.a[0].key;
        for (size_t j = 1; j < q.len; j++) {
          ok &= q.a[(j - 1) / d].key <= q.a[j].key; /* heap order in [0, len) */
          ok &= min <= q.a[j].key;
        }
        mc_pq_entry e;
        ok &= mc_pq_peek(&q, &e) == MC_OK && e.key == q.a[0].key && e.value == q.a[0].value;
      }
      CU_ASSERT(ok);
      mc_pq_entry e;
      CU_ASSERT(mc_pq_pop(&q, &e) == MC_OK && e.key == -50.0 && q.a[0].key == -49.0);
      CU_ASSERT(q.a == q.base + d - 1);
      mc_pq_destroy(&q);
      CU_ASSERT(q.a == NULL && q.base == NULL);
    }
    mc_test_allocators[i].close(&env);
  }
}

/* mc_pq.h: a pop that leaves fewer than cap / 4 entries halves a buffer of more than 16 entries;
 * a buffer of 16 entries or fewer never shrinks (it used to say "halves when under a quarter
 * full" with no floor, which the code never did below 17). */
static void test_pq_shrink_rule(void) {
  mc_test_env env;
  CU_ASSERT_FATAL(mc_test_allocators[0].open(&env) == MC_OK);
  for (unsigned d = 2; d <= 4; d += 2) {
    mc_pq q;
    CU_ASSERT_FATAL(mc_pq_init(&q, env.al, d, 0) == MC_OK);
    for (uint64_t k = 0; k < 16; k++) CU_ASSERT(mc_pq_push(&q, (double)k, k) == MC_OK);
    CU_ASSERT(q.cap == 16);
    while (q.len) CU_ASSERT(mc_pq_pop(&q, NULL) == MC_OK && q.cap == 16); /* 16: kept */
    for (uint64_t k = 0; k < 64; k++) CU_ASSERT(mc_pq_push(&q, (double)k, k) == MC_OK);
    CU_ASSERT(q.cap == 64);
    int ok = 1;
    while (q.len) {
      size_t cap = q.cap;
      ok &= mc_pq_pop(&q, NULL) == MC_OK;
      size_t want = cap > 16 && q.len < cap / 4 ? cap / 2 : cap;
      ok &= q.cap == want;
    }
    CU_ASSERT(ok && q.cap == 16); /* 64 -> 32 at 15 left, -> 16 at 7 left, then kept */
    mc_pq_destroy(&q);
    CU_ASSERT_FATAL(mc_pq_init(&q, env.al, d, 20) == MC_OK); /* above 16: halves below it */
    for (uint64_t k = 0; k < 6; k++) CU_ASSERT(mc_pq_push(&q, (double)k, k) == MC_OK);
    CU_ASSERT(mc_pq_pop(&q, NULL) == MC_OK && q.cap == 20); /* 5 left: not under 20 / 4 */
    CU_ASSERT(mc_pq_pop(&q, NULL) == MC_OK && q.cap == 10); /* 4 left */
    while (q.len) CU_ASSERT(mc_pq_pop(&q, NULL) == MC_OK && q.cap == 10);
    mc_pq_destroy(&q);
  }
  mc_test_allocators[0].close(&env);
}

static int add_suites(void) {
  static CU_TestInfo tests[] = {
      {"test_pq_random_ops_match_model", test_pq_random_ops_match_model},
      {"test_pq_failing_every_point", test_pq_failing_every_point},
      {"test_pq_heapify_then_drain_sorted", test_pq_heapify_then_drain_sorted},
      {"test_pq_edge_cases", test_pq_edge_cases},
      {"test_pq_field_a_holds_heap_from_zero", test_pq_field_a_holds_heap_from_zero},
      {"test_pq_shrink_rule", test_pq_shrink_rule},
      CU_TEST_INFO_NULL,
  };
  return mc_test_add_suite("pq", tests);
}

int main(void) { return mc_test_main(add_suites); }
