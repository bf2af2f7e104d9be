/* test_gcwork.c — the GC workloads: binary-trees prints the published output (depth 10) under
 * every allocator of the table, the collector, its torture mode and Boehm; GCBench and cycles
 * finish with their checks under the collector. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gc_verify.h"
#include "mc_allocators.h"
#include "mc_gcwork.h"
#include "testutil.h"

/* The Benchmarks Game's published output for `binarytrees 10`. */
static const char expected_10[] = "stretch tree of depth 11\t check: 4095\n"
                                  "1024\t trees of depth 4\t check: 31744\n"
                                  "256\t trees of depth 6\t check: 32512\n"
                                  "64\t trees of depth 8\t check: 32704\n"
                                  "16\t trees of depth 10\t check: 32752\n"
                                  "long lived tree of depth 10\t check: 2047\n";

typedef struct text {
  char buf[4096];
  size_t len;
} text;

static void on_line(void *arg, const char *line) {
  text *t = arg;
  size_t n = strlen(line);
  if (t->len + n + 2 > sizeof t->buf) return;
  memcpy(t->buf + t->len, line, n);
  t->len += n;
  t->buf[t->len++] = '\n';
  t->buf[t->len] = 0;
}

typedef struct prog {
  uint64_t calls, last_ops, max_live;
} prog;
static void on_progress(void *arg, uint64_t ops, uint64_t live) {
  prog *p = arg;
  p->calls++;
  p->last_ops = ops;
  if (live > p->max_live) p->max_live = live;
}

static void run_bt_path(mc_alloc al, int depth, const char *expected, int vtable) {
  text t = {{0}, 0};
  prog p = {0, 0, 0};
  mc_gcwork_opts o = {on_progress, &p, 1000, on_line, &t, vtable};
  CU_ASSERT_EQUAL(mc_gcwork_binary_trees(al, depth, &o), MC_OK);
  if (expected) CU_ASSERT_STRING_EQUAL(t.buf, expected);
  CU_ASSERT_EQUAL(p.last_ops, mc_gcwork_expected_ops("binary-trees", (uint64_t)depth));
  CU_ASSERT(p.calls > 1);
}

static void run_bt(mc_alloc al, int depth, const char *expected) {
  run_bt_path(al, depth, expected, 0);
}

static void test_gcwork_binary_trees_output_every_allocator(void) {
  for (size_t i = 0; mc_test_allocators[i].name; i++) {
    const mc_test_allocator *a = &mc_test_allocators[i];
    if (a->flags & (MC_TEST_BOUNDED | MC_TEST_NOFREE | MC_TEST_SLOW)) continue;
    mc_test_env env;
    memset(&env, 0, sizeof env);
    CU_ASSERT_FATAL(a->open(&env) == MC_OK);
    run_bt(env.al, 10, expected_10);
    a->close(&env);
  }
}

static void test_gcwork_binary_trees_torture(void) {
  mc_gc *gc = gc_verify_new(
      -1, 1); /* a collection at every allocation: any unrooted new node would be lost */
  run_bt(mc_gc_allocator(gc), 4, NULL);
  mc_gc_collect(gc, 2); /* the last trees were dropped after the last allocation */
  mc_alloc_stats st;
  mc_alloc_get_stats(mc_gc_allocator(gc), &st);
  CU_ASSERT(st.collections >= st.allocs);
  CU_ASSERT_EQUAL(st.live, 0);
  mc_gc_free(gc);
}

/* Under mc_gc binary-trees takes the collector's inline API unless told to use the vtable:
 * both print the published output and leave the same exact statistics. */
static void test_gcwork_binary_trees_gc_inline_and_vtable(void) {
  mc_alloc_stats st[2];
  int c[2][MC_GC_NGEN];
  for (int v = 0; v < 2; v++) {
    mc_gc *gc;
    CU_ASSERT_FATAL(mc_gc_new(&gc, mc_system_allocator(NULL), NULL) == MC_OK);
    gc_verify_each(gc);
    CU_ASSERT_PTR_EQUAL(mc_gc_of(mc_gc_allocator(gc)), gc);
    run_bt_path(mc_gc_allocator(gc), 10, expected_10, v);
    mc_gc_get_count(gc, c[v]);
    mc_alloc_get_stats(mc_gc_allocator(gc), &st[v]);
    mc_gc_free(gc);
  }
  CU_ASSERT_EQUAL(st[0].allocs, mc_gcwork_expected_ops("binary-trees", 10));
  CU_ASSERT_EQUAL(st[0].allocs, st[1].allocs);
  CU_ASSERT_EQUAL(st[0].live, st[1].live);
  CU_ASSERT_EQUAL(st[0].requested, st[1].requested);
  CU_ASSERT_EQUAL(st[0].requested_peak, st[1].requested_peak);
  CU_ASSERT_EQUAL(st[0].total_requested, st[1].total_requested);
  CU_ASSERT_EQUAL(st[0].collections, st[1].collections);
  CU_ASSERT_EQUAL(st[0].reclaimed, st[1].reclaimed);
  CU_ASSERT_EQUAL(memcmp(c[0], c[1], sizeof c[0]), 0);
  mc_system sys;
  mc_system_init(&sys);
  CU_ASSERT_PTR_NULL(mc_gc_of(mc_system_allocator(&sys)));
}

static void test_gcwork_gcbench_and_cycles_under_gc(void) {
  mc_gc *gc;
  CU_ASSERT_FATAL(mc_gc_new(&gc, mc_system_allocator(NULL), NULL) == MC_OK);
  gc_verify_each(gc);
  mc_alloc al = mc_gc_allocator(gc);
  text t = {{0}, 0};
  mc_gcwork_opts o = {NULL, NULL, 0, on_line, &t, 0};
  CU_ASSERT_EQUAL(mc_gcwork_gcbench(al, 10, &o), MC_OK);
  CU_ASSERT(strstr(t.buf, "Creating 528 trees of depth 4") != NULL); /* 2*size(12)/size(4) */
  CU_ASSERT_EQUAL(mc_gcwork_run("cycles", al, 10000, NULL), MC_OK);
  CU_ASSERT_EQUAL(mc_gcwork_run("nope", al, 1, NULL), MC_EINVAL);
  mc_gc_collect(gc, 2);
  mc_alloc_stats st;
  mc_alloc_get_stats(al, &st);
  CU_ASSERT_EQUAL(st.live, 0);
  CU_ASSERT(st.collections > 0);
  mc_gc_free(gc);
  /* system: the same workloads free explicitly */
  mc_system sys;
  mc_system_init(&sys);
  CU_ASSERT_EQUAL(mc_gcwork_gcbench(mc_system_allocator(&sys), 8, NULL), MC_OK);
  CU_ASSERT_EQUAL(mc_gcwork_cycles(mc_system_allocator(&sys), 10, 10, NULL), MC_OK);
  CU_ASSERT_EQUAL(sys.stats.requested, 0);
}

static void test_gcwork_gcbench_torture(void) {
  mc_gc *gc = gc_verify_new(-1, 1);
  /* depth 4: stretch tree 6 bottom-up (shadow-stack roots), then top-down and bottom-up */
  CU_ASSERT_EQUAL(mc_gcwork_gcbench(mc_gc_allocator(gc), 4, NULL), MC_OK);
  mc_gc_free(gc);
}

/* The lesson of issue 15, from the allocator table's rows: cycles and its acyclic twin (chains),
 * 2^17 nodes in chains of 64, each dropped after it is built. Live bytes after the run (after a
 * full collection where the collector is on; where it is off, as with gc.disable(), only the
 * zero-count table's reconciliation the next allocation would do):
 * rc-off keeps exactly the dropped cycles and nothing of the open chains (counting freed them),
 * gc-off keeps both, rc and gc keep neither. */
static void lesson_run(const char *allocator, const char *workload, size_t expect_live) {
  enum { N = 1 << 17 };
  const mc_allocator *row = mc_allocator_find(allocator);
  CU_ASSERT_PTR_NOT_NULL_FATAL(row);
  CU_ASSERT_FATAL(row->flags & MC_AL_MANAGED);
  mc_al_env env;
  CU_ASSERT_FATAL(row->open(&env) == MC_OK);
  CU_ASSERT_PTR_EQUAL(mc_gc_heap_of(env.al), env.gc);
  CU_ASSERT_EQUAL(mc_gc_get_model(env.gc) == MC_GC_REFCOUNT, !!(row->flags & MC_AL_REFCOUNT));
  CU_ASSERT_EQUAL(!mc_gc_isenabled(env.gc), !!(row->flags & MC_AL_GC_OFF));
  CU_ASSERT_EQUAL(mc_gcwork_run(workload, env.al, N, NULL), MC_OK);
  if (mc_gc_isenabled(env.gc))
    mc_gc_collect(env.gc, 2);
  else
    mc_gc_reconcile(env.gc); /* refcount: the last chain's zero counts, due at the next
                                safe point (tracing: nothing) */
  mc_alloc_stats st;
  mc_alloc_get_stats(env.al, &st);
  if (st.requested != expect_live)
    fprintf(stderr, "\n%s / %s: live %zu, expected %zu\n", allocator, workload, st.requested,
            expect_live);
  CU_ASSERT_EQUAL(st.requested, expect_live);
  CU_ASSERT_EQUAL(st.live, expect_live / 16);
  row->close(&env);
}

static void test_gcwork_cycles_and_chains_rc_vs_tracing(void) {
  const size_t kept = (size_t)(1 << 17) * 16; /* every node: {next, value}, 16 bytes */
  lesson_run("rc-off", "cycles", kept);
  lesson_run("rc-off", "chains", 0);
  lesson_run("gc-off", "cycles", kept);
  lesson_run("gc-off", "chains", kept);
  lesson_run("rc", "cycles", 0);
  lesson_run("rc", "chains", 0);
  lesson_run("gc", "cycles", 0);
  lesson_run("gc", "chains", 0);
}

static int add_suites(void) {
  static CU_TestInfo tests[] = {
      {"test_gcwork_binary_trees_output_every_allocator",
       test_gcwork_binary_trees_output_every_allocator},
      {"test_gcwork_binary_trees_torture", test_gcwork_binary_trees_torture},
      {"test_gcwork_binary_trees_gc_inline_and_vtable",
       test_gcwork_binary_trees_gc_inline_and_vtable},
      {"test_gcwork_gcbench_and_cycles_under_gc", test_gcwork_gcbench_and_cycles_under_gc},
      {"test_gcwork_gcbench_torture", test_gcwork_gcbench_torture},
      {"test_gcwork_cycles_and_chains_rc_vs_tracing", test_gcwork_cycles_and_chains_rc_vs_tracing},
      CU_TEST_INFO_NULL,
  };
  return mc_test_add_suite("gcwork", tests);
}

int main(void) { return gc_verify_main(add_suites); }
