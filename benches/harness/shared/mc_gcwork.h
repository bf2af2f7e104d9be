/* mc_gcwork.h — the collector workloads: binary-trees (the Benchmarks Game program, output
 * byte-identical to the published one), GCBench (Boehm's, with its published parameters) and
 * cycles (build and drop cyclic lists). Each runs over any mc_alloc: under a managed heap
 * (one with a root hook: gc, boehm) dropped objects are left to the collector, under every other
 * allocator they are freed explicitly. Objects are always reachable from a registered root or
 * from a reachable parent before the next allocation (top-down building, temporary root slots
 * for bottom-up), so a precise collector without stack scanning is safe even in torture mode. */
#ifndef MC_GCWORK_H
#define MC_GCWORK_H

#include <stddef.h>
#include <stdint.h>

#include "mc_alloc.h"
#include "mc_gc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Called every `every` allocations (and once at the end) with the allocations done so far
 * and the number of objects alive from the workload's point of view. */
typedef void (*mc_gcwork_progress_fn)(void *arg, uint64_t ops, uint64_t live_elements);
/* Receives each output line (without '\n'). */
typedef void (*mc_gcwork_line_fn)(void *arg, const char *line);

typedef struct mc_gcwork_opts {
  mc_gcwork_progress_fn progress; /* NULL: none */
  void *progress_arg;
  uint64_t every;         /* allocations between progress calls; 0: 4096 */
  mc_gcwork_line_fn line; /* NULL: output discarded */
  void *line_arg;
  int vtable; /* binary-trees under mc_gc: 0 (default) calls the collector's
                 inline API (mc_gc_alloc, mc_gc_store), as a client of one
                 collector would; 1 goes through the mc_alloc vtable
                 (mc_alloc_new, mc_store) like every structure */
} mc_gcwork_opts;

/* The tree node of binary-trees (two pointers, 16 bytes) and its type. */
extern const mc_type mc_gcwork_tree_type;
/* GCBench's node (left, right, i, j) and the cycles workload's node (next, value). */
extern const mc_type mc_gcwork_gcbench_type;
extern const mc_type mc_gcwork_cycle_type;

/* binary-trees with max depth n (the program's argument; min depth 4, max(6, n)). Writes the
 * published output lines. Returns MC_OK, MC_ENOMEM (everything built so far is released), or
 * MC_ESTATE if a check value is wrong (a collector freed a live node). opts may be NULL. */
int mc_gcwork_binary_trees(mc_alloc al, int n, const mc_gcwork_opts *opts);

/* GCBench: stretch tree of depth depth + 2, long-lived tree of depth depth, an array of 500000
 * doubles, then top-down and bottom-up trees of depths 4, 6, .., depth, each
 * 2 * size(stretch) / size(d) times. Published parameters: depth 16. Same returns. */
int mc_gcwork_gcbench(mc_alloc al, int depth, const mc_gcwork_opts *opts);

/* cycles: builds ncycles circular lists of len nodes each and drops every one right after
 * building it (under non-managed allocators: frees it). Under mc_gc with collection disabled
 * the dropped nodes stay (ncycles * len blocks); enabled they are reclaimed; with SAVEALL they
 * end up in the garbage list. MC_OK, MC_ENOMEM (the cycle being built is dropped) or MC_EINVAL
 * (len 0). */
int mc_gcwork_cycles(mc_alloc al, size_t ncycles, size_t len, const mc_gcwork_opts *opts);

/* chains: the acyclic twin of cycles — the same nodes and stores, the last node's next left
 * NULL. Under a reference-counting heap each chain is freed when dropped (detector on or off);
 * under a tracing one it waits for a collection like a cycle. Same returns. */
int mc_gcwork_chains(mc_alloc al, size_t nchains, size_t len, const mc_gcwork_opts *opts);

/* Uniform entry for the harness: workload "binary-trees" (n = depth), "gcbench" (n = depth, 0:
 * 16) or "cycles" / "chains" (n nodes in
 * cycles / open chains of 64). MC_EINVAL for another name. */
int mc_gcwork_run(const char *workload, mc_alloc al, uint64_t n, const mc_gcwork_opts *opts);

/* Allocations mc_gcwork_run performs for (workload, n); n for an unknown workload. */
uint64_t mc_gcwork_expected_ops(const char *workload, uint64_t n);

#ifdef __cplusplus
}
#endif
#endif /* MC_GCWORK_H */
