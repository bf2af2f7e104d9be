/* test_pairing.c — the pairing heap under every allocator: randomised push / pop / peek /
 * decrease-key / meld against an array model, the tree's shape checked throughout, exact
 * accounting, failure points, deep trees that would overflow a recursive implementation. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define NOPS 100000
#define MAXN 1500

typedef struct entry {
  double key;
  uint64_t value;
  mc_pairing_node *node;
} entry;

/* Walks the whole tree without recursion: heap order, back links (prev), node count. */
static int well_formed(const mc_pairing *h, mc_pairing_node **stack) {
  if (!h->root) return h->len == 0;
  if (h->root->prev || h->root->sibling) return 0;
  size_t top = 0, count = 0;
  stack[top++] = h->root;
  while (top) {
    mc_pairing_node *n = stack[--top];
    if (++count > h->len) return 0;
    mc_pairing_node *left = n;
    for (mc_pairing_node *c = n->child; c; left = c, c = c->sibling) {
      if (c->key < n->key || c->prev != left) return 0;
      stack[top++] = c;
    }
  }
  return count == h->len;
}

/* Removes the model entry with value v; it must hold key and the minimum key. */
static int model_take(entry *m, size_t *n, double key, uint64_t v) {
  size_t at = *n;
  double min = m[0].key;
  for (size_t i = 0; i < *n; i++) {
    if (m[i].key < min) min = m[i].key;
    if (m[i].value == v) at = i;
  }
  if (at == *n || m[at].key != key || key != min) return 0;
  m[at] = m[--*n];
  return 1;
}

static void random_ops(const mc_test_allocator *ta, entry *m, mc_pairing_node **stack) {
  mc_test_env env;
  mc_counting c;
  mc_alloc al = mc_test_open_counted(ta, &env, &c);
  mc_pairing h;
  CU_ASSERT_FATAL(mc_pairing_init(&h, al) == MC_OK);
  size_t n = 0, nops = (ta->flags & MC_TEST_SLOW) ? NOPS / 50 : NOPS;
  int bounded = (ta->flags & MC_TEST_BOUNDED) != 0;
  uint64_t id = 0;
  mc_test_rng r;
  mc_test_rng_seed(&r, 0xFA1215);
  int ok = 1;
  for (size_t op = 0; op < nops && ok; op++) {
    uint64_t k = mc_test_rng_below(&r, 1000);
    double key = (op / 6000) % 2 ? (double)mc_test_rng_below(&r, 16)
                                 : (double)mc_test_rng_below(&r, 1u << 24) / 64.0;
    int grow = n < 8 || (n < MAXN - 16 && k < ((op / 9000) % 2 ? 500u : 350u));
    double gk;
    uint64_t gv;
    if (grow) {
      mc_pairing_node *node = NULL;
      int rc = mc_pairing_push(&h, key, id, &node);
      if (rc == MC_OK) {
        ok &= mc_pairing_node_key(node) == key && mc_pairing_node_value(node) == id;
        m[n++] = (entry){key, id, node};
      } else {
        ok &= rc == MC_ENOMEM && bounded && h.len == n;
      }
      id++;
    } else if (k < 650) {
      ok &= mc_pairing_pop(&h, &gk, &gv) == MC_OK && model_take(m, &n, gk, gv);
    } else if (k < 700) {
      double pk;
      uint64_t pv;
      ok &= mc_pairing_peek(&h, &pk, &pv) == MC_OK && mc_pairing_pop(&h, &gk, &gv) == MC_OK;
      ok &= pk == gk && pv == gv && model_take(m, &n, gk, gv);
    } else if (k < 950) {
      entry *e = &m[mc_test_rng_below(&r, n)];
      double lower = e->key - (double)mc_test_rng_below(&r, 50);
      ok &= mc_pairing_decrease_key(&h, e->node, e->key + 1.0) == MC_EINVAL;
      ok &= mc_pairing_decrease_key(&h, e->node, lower) == MC_OK;
      e->key = lower;
    } else { /* meld a small heap in */
      mc_pairing other;
      mc_pairing_init(&other, al);
      size_t cnt = n < MAXN - 16 ? mc_test_rng_below(&r, 8) : 0;
      for (size_t j = 0; j < cnt; j++) {
        mc_pairing_node *node;
        if (mc_pairing_push(&other, key + (double)j, id, &node) == MC_OK)
          m[n++] = (entry){key + (double)j, id, node};
        else
          ok &= bounded;
        id++;
      }
      ok &= mc_pairing_meld(&h, &other) == MC_OK && other.len == 0 && other.root == NULL;
      mc_pairing_destroy(&other);
    }
    ok &= h.len == n && mc_pairing_len(&h) == n;
    if (op % 499 == 0) {
      ok &= well_formed(&h, stack);
      ok &= c.stats.requested == n * sizeof(mc_pairing_node) && c.stats.live == n;
    }
  }
  CU_ASSERT(ok);
  CU_ASSERT(well_formed(&h, stack));
  size_t half = n / 2;
  double gk;
  uint64_t gv;
  for (size_t j = 0; j < half; j++) { /* drain half in order, destroy the rest */
    CU_ASSERT(mc_pairing_pop(&h, &gk, &gv) == MC_OK);
    CU_ASSERT(model_take(m, &n, gk, gv));
  }
  mc_pairing_destroy(&h);
  mc_test_close_counted(ta, &env, &c);
}

static void test_pairing_random_ops_match_model(void) {
  entry *m = malloc(MAXN * sizeof *m);
  mc_pairing_node **stack = malloc(MAXN * sizeof *stack);
  CU_ASSERT_FATAL(m && stack);
  for (size_t i = 0; mc_test_allocators[i].name; i++) random_ops(&mc_test_allocators[i], m, stack);
  free(m);
  free(stack);
}

/* push fails at its single allocation with nothing changed; nothing else allocates. */
static void test_pairing_failing_every_point(void) {
  for (size_t a = 0; mc_test_allocators[a].name; a++) {
    mc_test_env env;
    mc_failing f;
    mc_test_open_failing(&mc_test_allocators[a], &env, &f, MC_FAILING_FOREVER, 0);
    mc_alloc al = mc_failing_allocator(&f);
    mc_pairing h, o;
    mc_pairing_init(&h, al);
    mc_pairing_init(&o, al);
    mc_pairing_node *stack[64], *nodes[64];
    for (size_t s = 0; s < 30; s++) {
      mc_pairing_node *root = h.root, *node = NULL;
      int rc = MC_ENOMEM;
      uint64_t k;
      for (k = 0; rc == MC_ENOMEM && k < 5; k++) {
        mc_failing_set(&f, k, MC_FAILING_FOREVER);
        rc = mc_pairing_push(&h, (double)((s * 7) % 11), s, &node);
        if (rc == MC_ENOMEM)
          CU_ASSERT(h.len == s && h.root == root && node == NULL && well_formed(&h, stack));
      }
      CU_ASSERT(rc == MC_OK && k == 2 && h.len == s + 1 && well_formed(&h, stack));
      nodes[s] = node;
      mc_failing_set(&f, 0, MC_FAILING_FOREVER);
      CU_ASSERT(mc_pairing_decrease_key(&h, nodes[s / 2],
                                        mc_pairing_node_key(nodes[s / 2]) - 0.5) == MC_OK);
      CU_ASSERT(mc_pairing_meld(&h, &o) == MC_OK && well_formed(&h, stack));
    }
    size_t left = h.len;
    double last = -1e300, key;
    while (mc_pairing_pop(&h, &key, NULL) == MC_OK) { /* pops never allocate */
      CU_ASSERT(key >= last);
      last = key;
      left--;
    }
    CU_ASSERT(left == 0);
    mc_failing_set(&f, MC_FAILING_FOREVER, 0);
    mc_pairing_destroy(&h);
    mc_pairing_destroy(&o);
    mc_test_allocators[a].close(&env);
  }
}

/* A root with n - 1 children (ascending pushes) and a chain n deep (descending pushes): the
 * two-pass pop and destroy must not recurse. */
static void test_pairing_deep_trees_no_recursion(void) {
  for (size_t a = 0; mc_test_allocators[a].name; a++) {
    const mc_test_allocator *ta = &mc_test_allocators[a];
    size_t n = (ta->flags & MC_TEST_SLOW) ? 5000 : 300000;
    mc_test_env env;
    mc_counting c;
    mc_test_open_counted(ta, &env, &c);
    mc_pairing h;
    mc_pairing_init(&h, mc_counting_allocator(&c));
    for (size_t i = 0; i < n; i++)
      CU_ASSERT_FATAL(mc_pairing_push(&h, (double)i, i, NULL) == MC_OK);
    double key;
    uint64_t v;
    int ok = 1;
    for (size_t i = 0; i < n / 2; i++)
      ok &= mc_pairing_pop(&h, &key, &v) == MC_OK && v == i && key == (double)i;
    CU_ASSERT(ok && h.len == n - n / 2);
    mc_pairing_destroy(&h);
    mc_pairing_init(&h, mc_counting_allocator(&c));
    for (size_t i = n; i-- > 0;) CU_ASSERT_FATAL(mc_pairing_push(&h, (double)i, i, NULL) == MC_OK);
    mc_pairing_node *d = h.root;
    size_t depth = 0;
    while (d) d = d->child, depth++;
    CU_ASSERT(depth == n);
    mc_pairing_destroy(&h);
    CU_ASSERT(c.net_heap_growth == 0 && c.stats.live == 0);
    ta->close(&env);
  }
}

static void test_pairing_edge_cases(void) {
  mc_test_env env;
  CU_ASSERT_FATAL(mc_test_allocators[0].open(&env) == MC_OK);
  mc_pairing h, o;
  memset(&h, 0, sizeof h);
  mc_pairing_destroy(&h); /* zeroed */
  mc_pairing_init(&h, env.al);
  double key = 3.0;
  uint64_t v = 4;
  CU_ASSERT(mc_pairing_pop(&h, &key, &v) == MC_EEMPTY &&
            mc_pairing_peek(&h, &key, &v) == MC_EEMPTY);
  CU_ASSERT(key == 3.0 && v == 4);
  CU_ASSERT(mc_pairing_meld(&h, &h) == MC_EINVAL);
  mc_pairing_init(&o, mc_system_allocator(NULL)); /* a different allocator */
  CU_ASSERT(mc_pairing_push(&o, 1.0, 1, NULL) == MC_OK);
  CU_ASSERT(mc_pairing_meld(&h, &o) == MC_EINVAL && o.len == 1 && h.len == 0);
  mc_pairing_destroy(&o);
  mc_pairing_init(&o, env.al);
  CU_ASSERT(mc_pairing_meld(&h, &o) == MC_OK && h.root == NULL); /* empty into empty */
  mc_pairing_node *a, *b;
  CU_ASSERT(mc_pairing_push(&o, 5.0, 5, &a) == MC_OK && mc_pairing_push(&o, 6.0, 6, &b) == MC_OK);
  CU_ASSERT(mc_pairing_meld(&h, &o) == MC_OK && h.len == 2 && o.len == 0 && h.root == a);
  CU_ASSERT(mc_pairing_decrease_key(&h, b, NAN) == MC_EINVAL);
  CU_ASSERT(mc_pairing_decrease_key(&h, b, 7.0) == MC_EINVAL && mc_pairing_node_key(b) == 6.0);
  CU_ASSERT(mc_pairing_decrease_key(&h, b, 6.0) == MC_OK && h.root == a); /* equal: allowed */
  CU_ASSERT(mc_pairing_decrease_key(&h, a, 1.0) == MC_OK && h.root == a); /* the root itself */
  CU_ASSERT(mc_pairing_decrease_key(&h, b, -1.0) == MC_OK && h.root == b);
  CU_ASSERT(mc_pairing_peek(&h, &key, &v) == MC_OK && key == -1.0 && v == 6);
  CU_ASSERT(mc_pairing_pop(&h, NULL, NULL) == MC_OK && h.root == a && a->prev == NULL);
  CU_ASSERT(mc_pairing_pop(&h, &key, &v) == MC_OK && key == 1.0 && v == 5 && h.root == NULL);
  mc_pairing_destroy(&o);
  mc_pairing_destroy(&h);
  mc_pairing_destroy(&h); /* twice */
  mc_test_allocators[0].close(&env);
}

static int add_suites(void) {
  static CU_TestInfo tests[] = {
      {"test_pairing_random_ops_match_model", test_pairing_random_ops_match_model},
      {"test_pairing_failing_every_point", test_pairing_failing_every_point},
      {"test_pairing_deep_trees_no_recursion", test_pairing_deep_trees_no_recursion},
      {"test_pairing_edge_cases", test_pairing_edge_cases},
      CU_TEST_INFO_NULL,
  };
  return mc_test_add_suite("pairing", tests);
}

int main(void) { return mc_test_main(add_suites); }
