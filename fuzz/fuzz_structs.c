/* fuzz_structs.c — libFuzzer target: structure operation sequences against reference models.
 *
 * Input: byte 0 picks the structure (list, boxed array, binary heap, 4-ary heap, pairing heap),
 * byte 1 the allocator from the tests' table mc_test_allocators[] (every allocator, the
 * collector once it is in the table), bytes 2-3 a fault budget: the allocator is wrapped in the
 * failing decorator, letting `succeed` calls through and then refusing `fail` (0: never). The
 * rest is a program of operations, each checked against a plain model (arrays, and a sorted
 * multiset for the queues):
 *  - a successful operation must agree with the model (values, order, lengths);
 *  - MC_ENOMEM (only possible while the decorator refuses) must leave the structure exactly as
 *    the model says it was — compared element by element, both directions for the list;
 *  - errors the model predicts (pop from empty, index out of range, bad decrease-key) must come
 *    back as the documented code with nothing changed.
 * At the end the structure is destroyed and the allocator must hold no live block. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "mc_boxed.h"
#include "mc_failing.h"
#include "mc_gc.h"
#include "mc_list.h"
#include "mc_pairing.h"
#include "mc_pq.h"
#include "testutil.h"

#define MAXN 256

/* ---- list: two lists (for splice) against two arrays ------------------------------------ */

typedef struct lmodel {
  uint64_t v[2][2 * MAXN];
  size_t n[2];
} lmodel;

static void list_check(const mc_list *l, const uint64_t *v, size_t n) {
  CHECK(mc_list_len(l) == n);
  const mc_list_node *x = mc_list_first(l);
  for (size_t i = 0; i < n; i++, x = mc_list_next(l, x)) CHECK(x && x->value == v[i]);
  CHECK(x == NULL);
  x = mc_list_last(l);
  for (size_t i = n; i-- > 0; x = mc_list_prev(l, x)) CHECK(x && x->value == v[i]);
  CHECK(x == NULL);
}

static mc_list_node *list_nth(const mc_list *l, size_t k) {
  mc_list_node *x = mc_list_first(l);
  while (k-- && x) x = mc_list_next(l, x);
  return x;
}

static void arr_insert(uint64_t *v, size_t *n, size_t at, uint64_t x) {
  memmove(v + at + 1, v + at, (*n - at) * sizeof *v);
  v[at] = x;
  (*n)++;
}
static void arr_erase(uint64_t *v, size_t *n, size_t at) {
  memmove(v + at, v + at + 1, (*n - at - 1) * sizeof *v);
  (*n)--;
}

static void run_list(mc_alloc al, input *in) {
  static lmodel m;
  mc_list l[2];
  memset(&m, 0, sizeof m);
  CHECK(mc_list_init(&l[0], al) == MC_OK && mc_list_init(&l[1], al) == MC_OK);
  uint64_t serial = 0;
  while (in->n) {
    unsigned op = take8(in), w = op >> 7, arg = take8(in);
    uint64_t *v = m.v[w];
    size_t *n = &m.n[w];
    int rc;
    uint64_t out = 0;
    switch (op & 15) {
    case 0:
    case 1:
    case 2: { /* push front/back, insert after the k-th */
      if (*n >= MAXN) break;
      uint64_t x = ++serial;
      size_t at = (op & 15) == 0 ? 0 : (op & 15) == 1 ? *n : (*n ? arg % *n + 1 : 0);
      if ((op & 15) == 0)
        rc = mc_list_push_front(&l[w], x);
      else if ((op & 15) == 1)
        rc = mc_list_push_back(&l[w], x);
      else
        rc = mc_list_insert_after(&l[w], *n ? list_nth(&l[w], at - 1) : NULL, x, NULL);
      CHECK(rc == MC_OK || rc == MC_ENOMEM);
      if (rc == MC_OK) arr_insert(v, n, at, x);
      break;
    }
    case 3:
    case 4:
      rc = (op & 15) == 3 ? mc_list_pop_front(&l[w], &out) : mc_list_pop_back(&l[w], &out);
      if (!*n) {
        CHECK(rc == MC_EEMPTY);
        break;
      }
      CHECK(rc == MC_OK);
      CHECK(out == v[(op & 15) == 3 ? 0 : *n - 1]);
      arr_erase(v, n, (op & 15) == 3 ? 0 : *n - 1);
      break;
    case 5:
      if (!*n) break;
      CHECK(mc_list_remove(&l[w], list_nth(&l[w], arg % *n), &out) == MC_OK);
      CHECK(out == v[arg % *n]);
      arr_erase(v, n, arg % *n);
      break;
    case 6:
      CHECK(mc_list_reverse(&l[w]) == MC_OK);
      for (size_t i = 0; i < *n / 2; i++) {
        uint64_t t = v[i];
        v[i] = v[*n - 1 - i];
        v[*n - 1 - i] = t;
      }
      break;
    case 7: { /* splice the other list into this one after the k-th node (or at the front) */
      size_t at = *n ? arg % (*n + 1) : 0;
      CHECK(mc_list_splice(&l[w], at ? list_nth(&l[w], at - 1) : NULL, &l[!w]) == MC_OK);
      memmove(v + at + m.n[!w], v + at, (*n - at) * sizeof *v);
      memcpy(v + at, m.v[!w], m.n[!w] * sizeof *v);
      *n += m.n[!w];
      m.n[!w] = 0;
      CHECK(mc_list_splice(&l[w], NULL, &l[w]) == MC_EINVAL);
      break;
    }
    case 8: {
      uint64_t x = arg % (serial + 2);
      mc_list_node *f = mc_list_find(&l[w], x);
      size_t i = 0;
      while (i < *n && v[i] != x) i++;
      CHECK(i == *n ? f == NULL : f == list_nth(&l[w], i));
      break;
    }
    default: break;
    }
    list_check(&l[w], v, *n);
    list_check(&l[!w], m.v[!w], m.n[!w]);
  }
  mc_list_destroy(&l[0]);
  mc_list_destroy(&l[1]);
}

/* ---- boxed array against an array of doubles -------------------------------------------- */

static void boxed_check(const mc_boxed *b, const double *v, size_t n) {
  CHECK(mc_boxed_len(b) == n);
  for (size_t i = 0; i < n; i++) {
    double x;
    CHECK(mc_boxed_get(b, i, &x) == MC_OK && x == v[i]);
  }
  double x = 42;
  CHECK(mc_boxed_get(b, n, &x) == MC_ERANGE && x == 42);
}

static void run_boxed(mc_alloc al, input *in) {
  static double v[MAXN];
  size_t n = 0;
  mc_boxed b;
  int rc = mc_boxed_init(&b, al, take8(in) % 8);
  if (rc != MC_OK) {
    CHECK(rc == MC_ENOMEM);
    mc_boxed_destroy(&b); /* harmless on the zeroed struct */
    return;
  }
  while (in->n) {
    unsigned op = take8(in), arg = take8(in);
    double x = (double)(int)(op * 256 + arg) / 8, out = -1;
    switch (op & 3) {
    case 0:
    case 1:
      if (n == MAXN) break;
      rc = mc_boxed_append(&b, x);
      CHECK(rc == MC_OK || rc == MC_ENOMEM);
      if (rc == MC_OK) v[n++] = x;
      break;
    case 2:
      rc = mc_boxed_pop(&b, &out);
      if (!n) {
        CHECK(rc == MC_EEMPTY);
        break;
      }
      CHECK(rc == MC_OK && out == v[--n]);
      break;
    default:
      if (arg & 1) {
        rc = mc_boxed_set(&b, arg % (n + 1), x);
        if (arg % (n + 1) == n) {
          CHECK(rc == MC_ERANGE);
        } else {
          CHECK(rc == MC_OK);
          v[arg % (n + 1)] = x;
        }
      } else {
        size_t i = arg % (n + 1);
        rc = mc_boxed_remove(&b, i, &out);
        if (i == n) {
          CHECK(rc == MC_ERANGE);
        } else {
          CHECK(rc == MC_OK && out == v[i]);
          memmove(v + i, v + i + 1, (n - i - 1) * sizeof *v);
          n--;
        }
      }
      break;
    }
    boxed_check(&b, v, n);
  }
  mc_boxed_destroy(&b);
}

/* ---- priority queues against an unsorted multiset of (key, value) ------------------------ */

typedef struct qmodel {
  double key[MAXN];
  uint64_t val[MAXN];
  mc_pairing_node *node[MAXN]; /* pairing handles */
  size_t n;
} qmodel;

static size_t q_min(const qmodel *m) {
  size_t k = 0;
  for (size_t i = 1; i < m->n; i++)
    if (m->key[i] < m->key[k]) k = i;
  return k;
}
static size_t q_find(const qmodel *m, uint64_t val) {
  for (size_t i = 0; i < m->n; i++)
    if (m->val[i] == val) return i;
  CHECK(0 && "value not in the model");
  return 0;
}
static void q_erase(qmodel *m, size_t i) {
  m->n--;
  m->key[i] = m->key[m->n];
  m->val[i] = m->val[m->n];
  m->node[i] = m->node[m->n];
}

static void run_pq(mc_alloc al, input *in, unsigned d) {
  static qmodel m;
  memset(&m, 0, sizeof m);
  mc_pq q;
  int rc = mc_pq_init(&q, al, d, take8(in) % 20);
  if (rc != MC_OK) {
    CHECK(rc == MC_ENOMEM);
    return;
  }
  uint64_t serial = 0;
  while (in->n) {
    unsigned op = take8(in), arg = take8(in);
    mc_pq_entry e;
    switch (op & 3) {
    case 0:
    case 1:
      if (m.n == MAXN) break;
      rc = mc_pq_push(&q, (double)(arg % 32), ++serial);
      CHECK(rc == MC_OK || rc == MC_ENOMEM);
      if (rc == MC_OK) m.key[m.n] = arg % 32, m.val[m.n++] = serial;
      break;
    case 2: {
      rc = mc_pq_pop(&q, &e);
      if (!m.n) {
        CHECK(rc == MC_EEMPTY);
        break;
      }
      CHECK(rc == MC_OK && e.key == m.key[q_min(&m)]);
      size_t i = q_find(&m, e.value);
      CHECK(m.key[i] == e.key);
      q_erase(&m, i);
      break;
    }
    default: { /* heapify a small batch */
      mc_pq_entry src[8];
      size_t k = arg % 8;
      if (m.n + k > MAXN) break;
      for (size_t j = 0; j < k; j++) src[j] = (mc_pq_entry){(double)((arg * 7 + j) % 32), ++serial};
      rc = mc_pq_heapify(&q, src, k);
      CHECK(rc == MC_OK || rc == MC_ENOMEM);
      if (rc == MC_OK)
        for (size_t j = 0; j < k; j++) m.key[m.n] = src[j].key, m.val[m.n++] = src[j].value;
      break;
    }
    }
    CHECK(mc_pq_size(&q) == m.n);
    rc = mc_pq_peek(&q, &e);
    CHECK(m.n ? rc == MC_OK && e.key == m.key[q_min(&m)] : rc == MC_EEMPTY);
  }
  while (m.n) { /* drain in order */
    mc_pq_entry e;
    CHECK(mc_pq_pop(&q, &e) == MC_OK && e.key == m.key[q_min(&m)]);
    q_erase(&m, q_find(&m, e.value));
  }
  mc_pq_destroy(&q);
}

static void run_pairing(mc_alloc al, input *in) {
  static qmodel m[2];
  memset(m, 0, sizeof m);
  mc_pairing h[2];
  CHECK(mc_pairing_init(&h[0], al) == MC_OK && mc_pairing_init(&h[1], al) == MC_OK);
  uint64_t serial = 0;
  while (in->n) {
    unsigned op = take8(in), w = op >> 7, arg = take8(in);
    qmodel *q = &m[w];
    double key;
    uint64_t val;
    int rc;
    switch (op & 3) {
    case 0:
      if (q->n == MAXN) break;
      rc = mc_pairing_push(&h[w], (double)(arg % 64), ++serial, &q->node[q->n]);
      CHECK(rc == MC_OK || rc == MC_ENOMEM);
      if (rc == MC_OK) q->key[q->n] = arg % 64, q->val[q->n++] = serial;
      break;
    case 1:
      rc = mc_pairing_pop(&h[w], &key, &val);
      if (!q->n) {
        CHECK(rc == MC_EEMPTY);
        break;
      }
      CHECK(rc == MC_OK && key == q->key[q_min(q)]);
      q_erase(q, q_find(q, val));
      break;
    case 2: { /* decrease-key: by some amount, or an illegal increase */
      if (!q->n) break;
      size_t i = arg % q->n;
      double nk = q->key[i] + ((op & 4) ? 1.0 : -(double)(arg % 5));
      rc = mc_pairing_decrease_key(&h[w], q->node[i], nk);
      if (nk > q->key[i]) {
        CHECK(rc == MC_EINVAL);
      } else {
        CHECK(rc == MC_OK);
        q->key[i] = nk;
        CHECK(mc_pairing_node_key(q->node[i]) == nk);
      }
      break;
    }
    default:
      if (m[0].n + m[1].n > MAXN) break;
      CHECK(mc_pairing_meld(&h[w], &h[!w]) == MC_OK);
      for (size_t i = 0; i < m[!w].n; i++) {
        q->key[q->n] = m[!w].key[i];
        q->val[q->n] = m[!w].val[i];
        q->node[q->n++] = m[!w].node[i];
      }
      m[!w].n = 0;
      CHECK(mc_pairing_meld(&h[w], &h[w]) == MC_EINVAL);
      break;
    }
    for (int k = 0; k < 2; k++) {
      CHECK(mc_pairing_len(&h[k]) == m[k].n);
      rc = mc_pairing_peek(&h[k], &key, &val);
      CHECK(m[k].n ? rc == MC_OK && key == m[k].key[q_min(&m[k])] : rc == MC_EEMPTY);
    }
  }
  mc_pairing_destroy(&h[0]);
  mc_pairing_destroy(&h[1]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  input in = {data, size};
  unsigned which = take8(&in) % 5;
  const mc_test_allocator *ta = &mc_test_allocators[take8(&in) % mc_test_nallocators()];
  unsigned succeed = take8(&in), fail = take8(&in);
  mc_test_env env;
  memset(&env, 0, sizeof env);
  CHECK(ta->open(&env) == MC_OK);
  mc_failing f;
  mc_failing_init(&f, env.al, fail ? succeed : UINT64_MAX, fail);
  mc_alloc al = mc_failing_allocator(&f);
  switch (which) {
  case 0: run_list(al, &in); break;
  case 1: run_boxed(al, &in); break;
  case 2: run_pq(al, &in, 2); break;
  case 3: run_pq(al, &in, 4); break;
  default: run_pairing(al, &in); break;
  }
  /* under reference counting, what a free leaves at count zero goes at the next safe point
   * (gc/mc_rc.c): take one now; a no-op for the tracing heap and nothing for the others */
  mc_gc *heap = mc_gc_heap_of(env.al);
  if (heap) mc_gc_reconcile(heap);
  mc_alloc_stats st;
  mc_alloc_get_stats(env.al, &st);
  CHECK(st.requested == 0 && st.live == 0); /* destroy gave everything back */
  ta->close(&env);
  return 0;
}
