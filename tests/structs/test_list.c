/* test_list.c — the doubly linked list under every allocator: randomised operations against an
 * array model (values and node identities), links checked both ways, exact accounting, every
 * failure point of the allocating operations, circular lists, abandonment, edge cases. */
#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define NOPS 100000
#define MAXN 3000

typedef struct model {
  uint64_t v[MAXN + 16];
  mc_list_node *node[MAXN + 16];
  size_t n;
} model;

static void model_insert(model *m, size_t at, uint64_t v, mc_list_node *node) {
  memmove(&m->v[at + 1], &m->v[at], (m->n - at) * sizeof m->v[0]);
  memmove(&m->node[at + 1], &m->node[at], (m->n - at) * sizeof m->node[0]);
  m->v[at] = v;
  m->node[at] = node;
  m->n++;
}

static void model_erase(model *m, size_t at) {
  memmove(&m->v[at], &m->v[at + 1], (m->n - at - 1) * sizeof m->v[0]);
  memmove(&m->node[at], &m->node[at + 1], (m->n - at - 1) * sizeof m->node[0]);
  m->n--;
}

/* Does l hold exactly the model's nodes and values, linked correctly both ways? */
static int same(const mc_list *l, const model *m) {
  if (l->len != m->n) return 0;
  if (m->n == 0) return l->head == NULL && l->tail == NULL;
  if (l->head != m->node[0] || l->tail != m->node[m->n - 1]) return 0;
  if (!l->circular && (l->head->prev != NULL || l->tail->next != NULL)) return 0;
  const mc_list_node *n = mc_list_first(l);
  for (size_t i = 0; i < m->n; i++, n = mc_list_next(l, n)) {
    if (n != m->node[i] || n->value != m->v[i]) return 0;
    if (i > 0 && n->prev != m->node[i - 1]) return 0;
  }
  return n == NULL;
}

static int sum_visit(mc_list_node *node, void *arg) {
  *(uint64_t *)arg += node->value;
  return 0;
}

static void random_ops(const mc_test_allocator *ta, model *m) {
  mc_test_env env;
  mc_counting c;
  mc_alloc al = mc_test_open_counted(ta, &env, &c);
  mc_list l;
  CU_ASSERT_FATAL(mc_list_init(&l, al) == MC_OK);
  m->n = 0;
  size_t nops = (ta->flags & MC_TEST_SLOW) ? NOPS / 50 : NOPS;
  int bounded = (ta->flags & MC_TEST_BOUNDED) != 0;
  mc_test_rng r;
  mc_test_rng_seed(&r, 0x11575);
  int ok = 1;
  for (size_t op = 0; op < nops && ok; op++) {
    uint64_t k = mc_test_rng_below(&r, 1000);
    uint64_t v = mc_test_rng_below(&r, 5000); /* repeats: find must return the first */
    size_t i = m->n ? mc_test_rng_below(&r, m->n) : 0;
    int grow = m->n < 16 || (m->n < MAXN && k < (op / 8000 % 2 ? 600u : 420u));
    uint64_t got = UINT64_MAX;
    int rc;
    if (grow) {
      unsigned how = (unsigned)(k % 3);
      mc_list_node *node = NULL;
      if (how == 0)
        rc = mc_list_push_front(&l, v), node = l.head;
      else if (how == 1)
        rc = mc_list_push_back(&l, v), node = l.tail;
      else
        rc = mc_list_insert_after(&l, m->n ? m->node[i] : NULL, v, &node);
      if (rc == MC_OK)
        model_insert(m, how == 0 ? 0 : how == 1 ? m->n : m->n ? i + 1 : 0, v, node);
      else
        ok &= rc == MC_ENOMEM && bounded && same(&l, m);
    } else if (k < 700) {
      int front = k & 1;
      rc = front ? mc_list_pop_front(&l, &got) : mc_list_pop_back(&l, &got);
      size_t at = front ? 0 : m->n - 1;
      ok &= rc == MC_OK && got == m->v[at];
      model_erase(m, at);
    } else if (k < 850) {
      ok &= mc_list_remove(&l, m->node[i], &got) == MC_OK && got == m->v[i];
      model_erase(m, i);
    } else if (k < 950) {
      size_t first = 0;
      while (first < m->n && m->v[first] != v) first++;
      ok &= mc_list_find(&l, v) == (first < m->n ? m->node[first] : NULL);
    } else if (k < 955) {
      ok &= mc_list_reverse(&l) == MC_OK;
      for (size_t a = 0, b = m->n - 1; a < b; a++, b--) {
        uint64_t tv = m->v[a];
        mc_list_node *tn = m->node[a];
        m->v[a] = m->v[b], m->node[a] = m->node[b];
        m->v[b] = tv, m->node[b] = tn;
      }
    } else { /* splice a short list in after a random node, or at the front */
      mc_list src;
      mc_list_init(&src, al);
      size_t cnt = mc_test_rng_below(&r, 6), at = k & 1 ? i + 1 : 0;
      model part;
      part.n = 0;
      for (size_t j = 0; j < cnt; j++) {
        if (mc_list_push_back(&src, v + j) == MC_OK)
          model_insert(&part, part.n, v + j, src.tail);
        else
          ok &= bounded;
      }
      ok &= mc_list_splice(&l, at ? m->node[i] : NULL, &src) == MC_OK && src.len == 0;
      for (size_t j = 0; j < part.n; j++) model_insert(m, at + j, part.v[j], part.node[j]);
      mc_list_destroy(&src);
    }
    if (op % 499 == 0) {
      ok &= same(&l, m);
      ok &= c.stats.requested == m->n * sizeof(mc_list_node) && c.stats.live == m->n;
    }
  }
  CU_ASSERT(ok);
  CU_ASSERT(same(&l, m));
  uint64_t s = 0, want = 0;
  CU_ASSERT(mc_list_foreach(&l, sum_visit, &s) == 0);
  for (size_t j = 0; j < m->n; j++) want += m->v[j];
  CU_ASSERT(s == want);
  /* backwards with the cursor */
  size_t j = m->n;
  for (const mc_list_node *n = mc_list_last(&l); n; n = mc_list_prev(&l, n))
    CU_ASSERT(n == m->node[--j]);
  CU_ASSERT(j == 0);
  mc_list_destroy(&l);
  mc_test_close_counted(ta, &env, &c);
}

static void test_list_random_ops_match_model(void) {
  model *m = malloc(sizeof *m);
  CU_ASSERT_FATAL(m != NULL);
  for (size_t i = 0; mc_test_allocators[i].name; i++) random_ops(&mc_test_allocators[i], m);
  free(m);
}

/* push_front, push_back and insert_after fail at their single allocation with nothing changed,
 * at every size; pops, removes, reverse and splice never allocate. */
static void test_list_failing_every_point(void) {
  model *m = malloc(sizeof *m);
  CU_ASSERT_FATAL(m != NULL);
  for (size_t a = 0; mc_test_allocators[a].name; a++) {
    mc_test_env env;
    mc_failing f;
    mc_test_open_failing(&mc_test_allocators[a], &env, &f, MC_FAILING_FOREVER, 0);
    mc_list l;
    CU_ASSERT_FATAL(mc_list_init(&l, mc_failing_allocator(&f)) == MC_OK);
    m->n = 0;
    for (size_t s = 0; s < 12; s++) {
      for (int how = 0; how < 3; how++) {
        int rc = MC_ENOMEM;
        mc_list_node *pos = m->n ? m->node[m->n / 2] : NULL, *node = NULL;
        uint64_t k;
        for (k = 0; rc == MC_ENOMEM && k < 5; k++) {
          mc_failing_set(&f, k, MC_FAILING_FOREVER);
          if (how == 0)
            rc = mc_list_push_front(&l, 100 * s + how);
          else if (how == 1)
            rc = mc_list_push_back(&l, 100 * s + how);
          else
            rc = mc_list_insert_after(&l, pos, 100 * s + how, &node);
          if (rc == MC_ENOMEM) CU_ASSERT(same(&l, m));
        }
        CU_ASSERT(rc == MC_OK && k == 2);
        if (how == 0)
          model_insert(m, 0, 100 * s + how, l.head);
        else if (how == 1)
          model_insert(m, m->n, 100 * s + how, l.tail);
        else
          model_insert(m, pos ? m->n / 2 + 1 : 0, 100 * s + how, node);
        CU_ASSERT(same(&l, m));
      }
      mc_failing_set(&f, 0, MC_FAILING_FOREVER);
      CU_ASSERT(mc_list_pop_front(&l, NULL) == MC_OK);
      model_erase(m, 0);
      CU_ASSERT(mc_list_reverse(&l) == MC_OK && mc_list_reverse(&l) == MC_OK);
      CU_ASSERT(same(&l, m));
      mc_failing_set(&f, MC_FAILING_FOREVER, 0);
    }
    mc_list_destroy(&l);
    mc_test_allocators[a].close(&env);
  }
  free(m);
}

static int count_visit(mc_list_node *node, void *arg) {
  (void)node;
  return ++*(size_t *)arg == 1000000; /* would stop a runaway walk */
}

/* A ring: read-only operations end, mutators answer MC_ESTATE, destroy frees every node. */
static void test_list_circular(void) {
  for (size_t a = 0; mc_test_allocators[a].name; a++) {
    mc_test_env env;
    mc_counting c;
    mc_test_open_counted(&mc_test_allocators[a], &env, &c);
    for (size_t n = 0; n < 5; n++) {
      mc_list l;
      mc_list_init(&l, mc_counting_allocator(&c));
      for (size_t i = 0; i < n; i++) CU_ASSERT_FATAL(mc_list_push_back(&l, i) == MC_OK);
      CU_ASSERT(mc_list_make_circular(&l) == MC_OK);
      CU_ASSERT(mc_list_make_circular(&l) == MC_ESTATE);
      if (n) CU_ASSERT(l.tail->next == l.head && l.head->prev == l.tail);
      CU_ASSERT(mc_list_find(&l, 77) == NULL);
      if (n) CU_ASSERT(mc_list_find(&l, n - 1) == l.tail);
      size_t visits = 0;
      CU_ASSERT(mc_list_foreach(&l, count_visit, &visits) == 0 && visits == n);
      visits = 0;
      for (mc_list_node *p = mc_list_first(&l); p; p = mc_list_next(&l, p)) visits++;
      CU_ASSERT(visits == n);
      mc_list other;
      mc_list_init(&other, mc_counting_allocator(&c));
      CU_ASSERT(mc_list_push_back(&l, 9) == MC_ESTATE);
      CU_ASSERT(mc_list_push_front(&l, 9) == MC_ESTATE);
      CU_ASSERT(mc_list_insert_after(&l, l.head, 9, NULL) == MC_ESTATE);
      CU_ASSERT(mc_list_pop_back(&l, NULL) == MC_ESTATE);
      CU_ASSERT(mc_list_pop_front(&l, NULL) == MC_ESTATE);
      CU_ASSERT(mc_list_reverse(&l) == MC_ESTATE);
      if (n) CU_ASSERT(mc_list_remove(&l, l.head, NULL) == MC_ESTATE);
      CU_ASSERT(mc_list_splice(&l, NULL, &other) == MC_ESTATE);
      CU_ASSERT(mc_list_splice(&other, NULL, &l) == MC_ESTATE);
      CU_ASSERT(l.len == n && c.stats.live == n);
      mc_list_destroy(&other);
      mc_list_destroy(&l);
      CU_ASSERT(c.stats.live == 0 && c.net_heap_growth == 0);
    }
    mc_test_allocators[a].close(&env);
  }
}

/* abandon forgets the nodes: they stay allocated (a leak, or garbage for a collector). */
static void test_list_abandon_leaks_nodes(void) {
  mc_test_env env;
  mc_counting c;
  mc_alloc al = mc_test_open_counted(&mc_test_allocators[0], &env, &c);
  for (int ring = 0; ring < 2; ring++) {
    mc_list l;
    mc_list_node *nodes[10];
    mc_list_init(&l, al);
    for (size_t i = 0; i < 10; i++) {
      CU_ASSERT_FATAL(mc_list_push_back(&l, i) == MC_OK);
      nodes[i] = l.tail;
    }
    if (ring) mc_list_make_circular(&l);
    mc_list_abandon(&l);
    CU_ASSERT(l.head == NULL && l.len == 0 && l.al.vt == NULL);
    CU_ASSERT(c.stats.live == 10 && c.net_heap_growth == (int64_t)(10 * sizeof(mc_list_node)));
    mc_list_abandon(&l); /* zeroed: harmless */
    CU_ASSERT(mc_list_init(&l, al) == MC_OK && mc_list_push_back(&l, 1) == MC_OK);
    mc_list_destroy(&l);
    for (size_t i = 0; i < 10; i++)
      mc_alloc_free(al, nodes[i], sizeof(mc_list_node), alignof(mc_list_node));
    CU_ASSERT(c.stats.live == 0 && c.net_heap_growth == 0);
  }
  mc_test_allocators[0].close(&env);
}

static void test_list_edge_cases(void) {
  mc_test_env env;
  CU_ASSERT_FATAL(mc_test_allocators[0].open(&env) == MC_OK);
  mc_list l, o;
  memset(&l, 0, sizeof l);
  mc_list_destroy(&l); /* zeroed */
  mc_list_init(&l, env.al);
  uint64_t x = 5;
  CU_ASSERT(mc_list_pop_front(&l, &x) == MC_EEMPTY && mc_list_pop_back(&l, &x) == MC_EEMPTY);
  CU_ASSERT(x == 5);
  CU_ASSERT(mc_list_find(&l, 0) == NULL && mc_list_first(&l) == NULL && mc_list_last(&l) == NULL);
  CU_ASSERT(mc_list_reverse(&l) == MC_OK && l.head == NULL);
  CU_ASSERT(mc_list_splice(&l, NULL, &l) == MC_EINVAL);
  mc_list_init(&o, mc_system_allocator(NULL)); /* a different allocator */
  CU_ASSERT(mc_list_push_back(&o, 1) == MC_OK);
  CU_ASSERT(mc_list_splice(&l, NULL, &o) == MC_EINVAL && o.len == 1 && l.len == 0);
  mc_list_destroy(&o);
  mc_list_init(&o, env.al);
  CU_ASSERT(mc_list_splice(&l, NULL, &o) == MC_OK && l.len == 0); /* empty into empty */
  CU_ASSERT(mc_list_push_back(&o, 1) == MC_OK && mc_list_push_back(&o, 2) == MC_OK);
  CU_ASSERT(mc_list_splice(&l, NULL, &o) == MC_OK && l.len == 2 && o.head == NULL);
  CU_ASSERT(l.head->value == 1 && l.tail->value == 2 && l.tail->prev == l.head);
  CU_ASSERT(mc_list_insert_after(&l, l.tail, 3, NULL) == MC_OK && l.tail->value == 3);
  CU_ASSERT(mc_list_reverse(&l) == MC_OK && l.head->value == 3 && l.tail->value == 1);
  CU_ASSERT(l.head->prev == NULL && l.tail->next == NULL);
  CU_ASSERT(mc_list_remove(&l, l.head->next, &x) == MC_OK && x == 2 && l.len == 2);
  CU_ASSERT(mc_list_pop_back(&l, &x) == MC_OK && x == 1 && l.head == l.tail);
  CU_ASSERT(mc_list_remove(&l, l.head, NULL) == MC_OK && l.head == NULL && l.tail == NULL);
  CU_ASSERT(mc_list_push_front(&l, mc_list_f64_bits(2.5)) == MC_OK);
  CU_ASSERT(mc_list_bits_f64(l.head->value) == 2.5);
  mc_list_destroy(&o);
  mc_list_destroy(&l);
  mc_list_destroy(&l); /* twice */
  mc_test_allocators[0].close(&env);
}

static int add_suites(void) {
  static CU_TestInfo tests[] = {
      {"test_list_random_ops_match_model", test_list_random_ops_match_model},
      {"test_list_failing_every_point", test_list_failing_every_point},
      {"test_list_circular", test_list_circular},
      {"test_list_abandon_leaks_nodes", test_list_abandon_leaks_nodes},
      {"test_list_edge_cases", test_list_edge_cases},
      CU_TEST_INFO_NULL,
  };
  return mc_test_add_suite("list", tests);
}

int main(void) { return mc_test_main(add_suites); }
