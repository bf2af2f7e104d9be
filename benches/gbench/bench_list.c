/* bench_list.c — the doubly linked list under system, arena, pool (and stack for the LIFO
 * workloads): one node allocation per element, so the allocator decides both the cost of a push
 * and where the nodes land in memory, hence the cost of walking them.
 *
 * Names "list/<workload>/<allocator>/<N>", N = 10^3 .. 10^6; one iteration is one element:
 *  - fill:            push_back N nodes into an empty list (teardown paused).
 *  - drain:           pop_back N nodes from a list filled with the timer paused (LIFO order,
 *                     so the stack allocator frees at the top).
 *  - iterate:         sum the payloads of a freshly filled list with the cursor (nodes in
 *                     allocation order).
 *  - iterate_churned: the same walk after a churn of N rounds (remove a random node, insert a
 *                     new one after another random node), done before timing: list order and
 *                     address order diverge, and how far depends on where each allocator puts
 *                     the new nodes. The locality figure is the ratio of this walk under
 *                     pool/arena to the walk under system.
 * Counter bytes_per_elem: the allocator's footprint / N with the N nodes held. */
#include <stdio.h>
#include <stdlib.h>

#include "bench_structs_env.h"
#include "mc_bench.h"
#include "mc_list.h"

#define SEED 0x11575EEDull

static const int64_t sizes[] = {1000, 10000, 100000, 1000000};
#define NSIZES (sizeof sizes / sizeof sizes[0])

static int ls_init(void *s, mc_alloc al) { return mc_list_init(s, al); }
static void ls_destroy(void *s) { mc_list_destroy(s); }
static int ls_fill(void *s, int64_t n) {
  int rc = MC_OK;
  for (int64_t i = 0; i < n && rc == MC_OK; i++) rc = mc_list_push_back(s, (uint64_t)i);
  return rc;
}
static double ls_drain(void *s, int64_t n) {
  uint64_t sum = 0, v;
  for (int64_t i = 0; i < n; i++) mc_list_pop_back(s, &v), sum += v;
  return (double)sum;
}
static const bench_seq list_seq = {ls_init, ls_destroy, ls_fill, ls_drain, 0, "push failed"};

static void bm_fill(mc_bench_state *st, void *arg) {
  mc_list l;
  bench_seq_fill(st, &list_seq, *(const bench_kind *)arg, &l);
}

static void bm_drain(mc_bench_state *st, void *arg) {
  mc_list l;
  bench_seq_drain(st, &list_seq, *(const bench_kind *)arg, &l);
}

/* Remove-random / insert-after-random, n rounds; nodes[] tracks every node's handle. */
static int churn(mc_list *l, mc_list_node **nodes, int64_t n) {
  bench_rng r = {SEED};
  for (int64_t i = 0; i < n; i++) {
    size_t victim = (size_t)(bench_rng_next(&r) % (uint64_t)n);
    mc_list_remove(l, nodes[victim], NULL);
    size_t pos = (size_t)(bench_rng_next(&r) % (uint64_t)n);
    if (pos == victim) pos = (pos + 1) % (size_t)n;
    if (pos == victim) pos = SIZE_MAX; /* n == 1 */
    int rc =
        mc_list_insert_after(l, pos == SIZE_MAX ? NULL : nodes[pos], (uint64_t)i, &nodes[victim]);
    if (rc != MC_OK) return rc;
  }
  return MC_OK;
}

static void walk(mc_bench_state *st, const mc_list *l, int64_t n) {
  uint64_t sum = 0;
  while (mc_bench_keep_running_batch(st, n)) {
    for (const mc_list_node *p = mc_list_first(l); p; p = mc_list_next(l, p)) sum += p->value;
    mc_bench_escape(&sum);
  }
}

static void bm_iterate(mc_bench_state *st, void *arg, int churned) {
  bench_kind kind = *(const bench_kind *)arg;
  int64_t n = mc_bench_range_arg(st, 0);
  bench_env e;
  mc_list l;
  if (!bench_seq_open(st, &list_seq, kind, &e, &l)) return;
  mc_list_node **nodes = malloc((size_t)n * sizeof *nodes); /* scaffolding, not measured */
  int rc = nodes ? MC_OK : MC_ENOMEM;
  for (int64_t i = 0; i < n && rc == MC_OK; i++) {
    rc = mc_list_push_back(&l, (uint64_t)i);
    if (rc == MC_OK) nodes[i] = mc_list_last(&l);
  }
  if (rc == MC_OK && churned) rc = churn(&l, nodes, n);
  if (rc != MC_OK) {
    mc_bench_skip_with_error(st, "setup failed");
  } else {
    walk(st, &l, n);                          /* allocates nothing: */
    bench_seq_counters(st, &list_seq, &e, n); /* what the list holds */
    mc_bench_set_items_processed(st, mc_bench_iterations_done(st));
  }
  free(nodes);
  bench_seq_close(&list_seq, &e, &l);
}
static void bm_iterate_fresh(mc_bench_state *st, void *arg) { bm_iterate(st, arg, 0); }
static void bm_iterate_churned(mc_bench_state *st, void *arg) { bm_iterate(st, arg, 1); }

static bench_kind kinds[BENCH_MAX_KINDS];

int main(int argc, char **argv) {
  static const char *const workloads[4] = {"fill", "drain", "iterate", "iterate_churned"};
  static const mc_bench_fn fns[4] = {bm_fill, bm_drain, bm_iterate_fresh, bm_iterate_churned};
  for (int k = 0; k < bench_nkinds(); k++) kinds[k] = k;
  for (int w = 0; w < 4; w++)
    for (int k = 0; k < bench_nkinds(); k++) {
      if (bench_kind_lifo(k) && w == 3) continue; /* random frees: the stack only holds them */
      char name[96];
      snprintf(name, sizeof name, "list/%s/%s", workloads[w], bench_kind_name(k));
      mc_bench_def *b = mc_bench_register(name, fns[w], &kinds[k]);
      for (size_t i = 0; i < NSIZES; i++) mc_bench_arg(b, sizes[i]);
    }
  return mc_bench_main(argc, argv);
}
