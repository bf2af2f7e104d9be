/* mc_suites.c — the named sweeps of `memcurve run --suite` (and `memcurve list`). A suite is
 * up to 4 groups, each a cross product; the collector's workloads get their own (their N is a
 * tree depth, or a node count for cycles). */
#include "mc_cli_impl.h"

/* every allocator the table marks for suites (MC_AL_SUITES: system, the preloaded mallocs,
 * stack, arena, pool, gc, rc, boehm) */
#define ALL_ALLOCS MC_CLI_EVERY
const mc_cli_suite mc_cli_suites[] = {
    {"default",
     {{"ndarray,boxed,list,pq,pairing,blocks", "fill,drain,hold,churn,waves,regions", ALL_ALLOCS,
       "1000,10000,30000"},
      {"tree", "binary-trees,gcbench", "system,jemalloc,arena,pool,gc,rc,boehm", "10,12"},
      /* depth 14: collections for the pause charts, reference counting against tracing and
       * malloc on one curve chart, and a third depth for the peak-vs-N fits */
      {"tree", "binary-trees,gcbench", "system,pool,gc,rc,boehm", "14"},
      /* 1M nodes (16 MB of garbage): past the collector's 8 MB young generation twice; cycles
       * and their acyclic twin under both models, on and off (the refcount_vs_tracing chart) */
      {"list", "cycles,chains", "system,pool,gc,gc-off,gc-saveall,rc,rc-off,rc-saveall,boehm",
       "1000000"}},
     5,
     "every structure, workload and allocator at N = 1k, 10k, 30k (trees: depth 10, 12, and 14 "
     "under system, pool, gc, rc, boehm), cycles and chains (1M nodes) under gc and rc, on, off "
     "and SAVEALL, 5 repetitions interleaved, and a small heap sweep; `make bench` within 5 "
     "minutes (the full suite for the large sizes)"},
    {"full",
     {{"ndarray,boxed,list,pq,pq4,pairing,blocks", "fill,drain,hold,churn,waves,regions",
       ALL_ALLOCS, "1000,10000,100000,1000000"},
      {"tree", "binary-trees,gcbench", ALL_ALLOCS, "10,14,16"},
      {"list", "cycles,chains", ALL_ALLOCS ",gc-off,gc-saveall,rc-off,rc-saveall",
       "10000,100000,1000000,4000000"}},
     5,
     "the large sweep: N = 1k..1M, tree depths 10..16, 5 repetitions (Mann-Whitney in compare)"},
    {"quick",
     {{"ndarray,list,pq,blocks", "fill,churn,waves", "system,arena", "2000"}},
     2,
     "a few seconds: smoke test of the whole pipeline"},
    {"heap-sweep",
     {{NULL, NULL, NULL, NULL}},
     5,
     "the Hertz-Berger heap sweep alone at larger depths: binary-trees and GCBench 16, 18, 20 "
     "under gc limited to 1.25..6x the minimum heap, against system and mimalloc"},
    {NULL, {{NULL, NULL, NULL, NULL}}, 0, NULL}};

/* Suite name, then the trees the heap sweep runs and the explicit allocators it is compared
 * with (a suite may have several rows). The default suite's are small (binary-trees 14: ~1 MiB
 * live; GCBench 12: ~4 MiB live; runs of 0.1-0.4 s): ~30 s in all. */
const mc_cli_heap_sweep mc_cli_heap_sweeps[] = {
    {"default", {"tree", "binary-trees", "system,mimalloc", "14"}},
    {"default", {"tree", "gcbench", "system,mimalloc", "12"}},
    {"full", {"tree", "binary-trees,gcbench", "system,mimalloc", "16,18"}},
    {"heap-sweep", {"tree", "binary-trees,gcbench", "system,mimalloc", "16,18,20"}},
    {NULL, {NULL, NULL, NULL, NULL}}};
