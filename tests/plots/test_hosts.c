/* test_hosts.c — the verdicts never rank timings of different hosts: a structure/workload whose
 * runs came from two hosts (per-run provenance) gets no time ratio, fastest set or Pareto set,
 * and keeps its memory verdicts; the same data from one host is ranked as usual. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc_plotdata.h"
#include "mc_verdict.h"
#include "testutil.h"

#define REPS 8

/* list/fill at N 1000: system 10 ms and 2 MB, arena 1 ms and 1 MB (clearly faster, leaner);
 * arena ran on host_arena, system on "a". */
static void build(mc_results *r, mc_result_prov prov[2], const char *host_arena) {
  memset(r, 0, sizeof *r);
  memset(prov, 0, 2 * sizeof *prov);
  snprintf(prov[0].host, sizeof prov[0].host, "a");
  snprintf(prov[1].host, sizeof prov[1].host, "%s", host_arena);
  static mc_result_run runs[2];
  static mc_result_summary rows[2 * REPS];
  const char *alloc[2] = {"system", "arena"};
  for (int i = 0; i < 2; i++) {
    memset(&runs[i], 0, sizeof runs[i]);
    snprintf(runs[i].structure, MC_RESULT_NAME, "list");
    snprintf(runs[i].workload, MC_RESULT_NAME, "fill");
    snprintf(runs[i].allocator, MC_RESULT_NAME, "%s", alloc[i]);
    runs[i].n = 1000;
    runs[i].ok = 1;
    runs[i].repetitions = REPS;
    runs[i].allocator_order = i;
    runs[i].prov = &prov[i];
    for (int k = 0; k < REPS; k++) {
      mc_result_summary *s = &rows[i * REPS + k];
      memset(s, 0, sizeof *s);
      snprintf(s->structure, MC_RESULT_NAME, "list");
      snprintf(s->workload, MC_RESULT_NAME, "fill");
      snprintf(s->allocator, MC_RESULT_NAME, "%s", alloc[i]);
      s->n = 1000;
      s->rep = (uint32_t)k;
      s->ok = 1;
      s->ops = 1000;
      s->wall_ns = (uint64_t)((i ? 1000000 : 10000000) + 1000 * k);
      s->ops_per_s = 1e9 * (double)s->ops / (double)s->wall_ns;
      s->peak_footprint = s->peak_held = i ? 1u << 20 : 2u << 20;
      s->peak_rss = s->peak_resident = 4u << 20;
    }
  }
  r->runs = runs;
  r->nruns = 2;
  r->summary = rows;
  r->nsummary = 2 * REPS;
  r->prov = prov;
  r->nprov = 2;
}

static void verdicts(const char *host_arena, int mixed) {
  mc_results r;
  mc_result_prov prov[2];
  build(&r, prov, host_arena);
  mc_plotdata_cell *c;
  size_t n, ng;
  CU_ASSERT_FATAL(mc_plotdata_cells(&r, &c, &n) == MC_OK);
  CU_ASSERT_EQUAL_FATAL(n, 2);
  mc_verdict_group *g;
  CU_ASSERT_FATAL(mc_verdict_groups(&r, c, n, &g, &ng) == MC_OK);
  CU_ASSERT_EQUAL_FATAL(ng, 1);
  CU_ASSERT_EQUAL(g->mixed_hosts, mixed);
  CU_ASSERT_FATAL(g->has_base && g->nv == 2);
  const mc_verdict_cell *arena = &g->v[1];
  CU_ASSERT_STRING_EQUAL(arena->c->allocator, "arena");
  /* memory: compared either way */
  CU_ASSERT_EQUAL(arena->mem_cmp, -1);
  CU_ASSERT_DOUBLE_EQUAL(arena->mem_ratio, 0.5, 1e-9);
  CU_ASSERT(arena->leanest && g->nleanest == 1);
  if (mixed) {
    CU_ASSERT(isnan(arena->t.ratio));
    CU_ASSERT_EQUAL(arena->t.verdict, 0);
    CU_ASSERT(g->nfastest == 0 && !arena->fastest);
    CU_ASSERT(g->npareto == 0 && !arena->pareto);
  } else {
    CU_ASSERT(arena->t.ratio < 0.2);
    CU_ASSERT_EQUAL(arena->t.verdict, -1);
    CU_ASSERT(g->nfastest == 1 && arena->fastest);
    CU_ASSERT(arena->pareto);
  }
  mc_verdict_groups_free(g, ng);
  free(c);
}

static void test_hosts_one_host_ranked(void) { verdicts("a", 0); }
static void test_hosts_two_hosts_memory_only(void) { verdicts("b", 1); }

static int add(void) {
  static CU_TestInfo tests[] = {
      {"test_hosts_one_host_ranked", test_hosts_one_host_ranked},
      {"test_hosts_two_hosts_memory_only", test_hosts_two_hosts_memory_only},
      CU_TEST_INFO_NULL};
  return mc_test_add_suite("hosts", tests);
}

int main(void) { return mc_test_main(add); }
