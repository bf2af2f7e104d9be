/* mc_workload.h — the workloads of the memory-curve harness (fill, drain, hold, churn, waves,
 * and the collector's cycles, binary-trees and GCBench) over a structure and an allocator
 * named by string, run once in the calling process with a curve recorder. */
#ifndef MC_WORKLOAD_H
#define MC_WORKLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "mc_curve.h"
#include "mc_result.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MC_WL_MAX_N ((uint64_t)1 << 30) /* largest N accepted (elements) */

/* One run: which structure, workload, allocator, how big, which seed. */
typedef struct mc_run_spec {
  char structure[MC_RESULT_NAME];
  char workload[MC_RESULT_NAME];
  char allocator[MC_RESULT_NAME];
  uint64_t n;           /* elements (the workload's size parameter), 1..MC_WL_MAX_N */
  uint64_t seed;        /* PRNG seed of the workload */
  uint64_t heap_limit;  /* bytes of footprint the collected heap may hold (mc_gc_set_heap_limit;
                           the heap sweep); 0: none. Only for allocators built on mc_gc: any
                           other makes the spec invalid */
  uint64_t heap_min;    /* the heap sweep's facts, carried to the run (the child ignores them): */
  double heap_multiple; /*   the minimum heap in bytes, and heap_limit / heap_min (0: not swept) */
} mc_run_spec;

/* What one run measured (one repetition, one pass). */
typedef struct mc_run_out {
  int32_t ok;   /* 1: finished; 0: failed (status says why) */
  int32_t code; /* the MC_E* code the workload returned (MC_ENOMEM: the allocator or the memory
                   limit ran out, an outcome); 0 when no child reported (crash, timeout) */
  char status[MC_RESULT_STATUS]; /* "ok" or the reason */
  uint64_t ops;                  /* operations done */
  uint64_t wall_ns;              /* ns from the first to the last operation */
  uint64_t cpu_ns;               /* ns of process CPU time (user + system) over the same span */
  uint64_t sample_ns;            /* ns of wall_ns spent inside the curve recorder's samples */
  uint64_t peak_requested;       /* bytes */
  uint64_t peak_footprint;       /* bytes */
  uint64_t peak_rss;             /* bytes, VmHWM at the end */
  uint64_t alloc_calls;          /* allocs + frees + resizes through the allocator */
  uint64_t collections;          /* collections (collected heaps) */
  /* the three quantities (README): peaks and the values at the end of the workload */
  uint64_t peak_held;       /* bytes; malloc rows: the highest read (the curve pass reads
                               along the run; the timing pass only at the end: peak_held_exact 0) */
  int32_t peak_held_exact;  /* 1: peak_held is the stats' exact peak or was sampled along */
  uint64_t peak_resident;   /* bytes, VmHWM - rss_baseline */
  uint64_t final_requested; /* bytes at the end of the workload (before destroy) */
  uint64_t final_held;      /* bytes */
  uint64_t final_resident;  /* bytes */
  uint64_t rss_baseline;    /* bytes resident just before the workload */
  uint64_t held_baseline;   /* bytes the malloc held just before the workload (malloc rows) */
  uint64_t held_reads;      /* malloc rows, curve pass: held reads made, and samples that */
  uint64_t held_carried;    /*   carried the last read (probe budget) */
  uint64_t held_same;       /*   kept the last read, exact (no allocator call since it) */
  uint64_t probe_ns;        /* ns of those reads */
} mc_run_out;

/* NULL-terminated name lists, in the order `memcurve list` prints them. Only what this build
 * has compiled in is listed. */
extern const char *const mc_wl_structures[];
/* The allocators of mc_allocators.c offered to curves (MC_AL_CURVES), NULL-terminated. */
const char *const *mc_wl_allocators(void);

/* Those of them the `default` and `full` suites run by default (MC_AL_SUITES), NULL-terminated. */
const char *const *mc_wl_suite_allocators(void);
const char *const *mc_wl_workloads(void); /* from the workload table of mc_workload.c */

/* The glossary the report prints, from the structure adapters and the workload table: one line
 * per name, "structure\t<name>\t<description>\n" then "workload\t<name>\t<description>\n".
 * Returns MC_OK, or MC_ERANGE when it does not fit in size bytes (buf then holds whole lines
 * only). */
int mc_wl_glossary(char *buf, size_t size);

/* 1 if name is in the NULL-terminated list. */
int mc_wl_known(const char *const *list, const char *name);

/* 1 if the workload applies to the structure (hold needs a priority queue, ndarray only fills,
 * cycles/binary-trees/gcbench bring their own objects and take structure "tree"). */
int mc_wl_applies(const char *structure, const char *workload);

/* 1 if the workload applies to the structure at size n (n 0: any size); else 0 with the
 * reason, from the tables, in why (one line, at most size bytes): the structure the workload
 * builds, the priority queue it needs, what N means and its range. */
int mc_wl_why_not(const char *structure, const char *workload, uint64_t n, char *why, size_t size);

/* What N means for the workload and its range, e.g. "the elements, 1..1G" ("" if unknown). */
const char *mc_wl_n_help(const char *workload);

/* The shared library to LD_PRELOAD for an outside malloc (jemalloc, mimalloc, tcmalloc), or
 * NULL for allocators that run in-process. */
const char *mc_wl_preload(const char *allocator);

/* 1 if n is a valid size for the workload: 1..MC_WL_MAX_N elements, or a tree depth 4..22
 * for binary-trees and gcbench. */
int mc_wl_n_ok(const char *workload, uint64_t n);

/* Fills the facts charts need into run (what N means, what the heap is, the allocator's chart
 * order, the kind of array run->structure is), from the workload, allocator and structure
 * tables; unknown names get elements / 0 / -1 / none. */
void mc_wl_run_facts(const char *allocator, const char *workload, mc_result_run *run);

/* Operations the workload will perform for N (what the curve's stride is computed from). */
uint64_t mc_wl_expected_ops(const char *workload, uint64_t n);

/* Runs spec once in this process. sampling 1: the curve pass (recorder enabled, its points and
 * events are left in *curve for the caller, who destroys it); 0: the timing pass (curve left
 * empty). Fills *out; returns MC_OK when the run finished, else the MC_E* code that stopped it
 * (out->status then says where). A bad spec is MC_EINVAL with nothing run. */
int mc_wl_run(const mc_run_spec *spec, int sampling, mc_curve *curve, mc_run_out *out);

#ifdef __cplusplus
}
#endif
#endif /* MC_WORKLOAD_H */
