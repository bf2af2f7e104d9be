/* mc_result.h — the results model: what a run measured (its curve points, events, summary rows),
 * Google Benchmark throughput rows, the file's provenance, and the facts charts need, in domain
 * names. No HDF5 here: mc_h5.h stores and loads this model, and plots/ reads only it. */
#ifndef MC_RESULT_H
#define MC_RESULT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MC_RESULT_NAME 48    /* bytes for structure / workload / allocator names, NUL included */
#define MC_RESULT_STATUS 128 /* bytes for a status text, NUL included */

/* One sample of a memory curve. */
typedef struct mc_result_point {
  uint64_t ops;         /* operations done so far */
  uint64_t elements;    /* elements in the structure now */
  uint64_t t_ns;        /* ns since the run started */
  uint64_t requested;   /* bytes requested and live */
  uint64_t footprint;   /* bytes held by the allocator */
  uint64_t rss;         /* bytes, the process's resident set */
  uint64_t collections; /* collections so far (collected heaps) */
  /* since schema 3: the three quantities (README, "Memory: three quantities") */
  uint64_t held;     /* bytes the allocator holds from the layer below by its own accounting,
                        minus what it held just before the workload (malloc rows) */
  uint64_t resident; /* bytes, rss minus the run's rss_baseline (0 if below it) */
  uint64_t held_ops; /* ops at which held was last known exactly: = ops when fresh (read, or no
                        allocator call since the read), less when the sampler carried the last
                        value to keep the probe within its time budget */
} mc_result_point;

typedef enum mc_result_event_kind {
  MC_RESULT_EV_COLLECT = 1, /* a collection: generation, pause_ns, bytes before/after */
  MC_RESULT_EV_RESET = 2,   /* an arena/stack reset: bytes before/after */
  MC_RESULT_EV_UNWIND = 3,  /* a stack unwind (restore to a mark) */
  MC_RESULT_EV_PHASE = 4, /* a workload phase starts (waves: grow/shrink); generation = phase no. */
} mc_result_event_kind;

typedef struct mc_result_event {
  uint64_t ops;          /* operations done when it happened */
  uint64_t t_ns;         /* ns since the run started */
  int32_t kind;          /* mc_result_event_kind */
  int32_t generation;    /* collections: the generation collected; phases: the phase number */
  uint64_t pause_ns;     /* collections: the pause */
  uint64_t bytes_before; /* footprint before */
  uint64_t bytes_after;  /* footprint after */
} mc_result_event;

/* One row of /summary: one run, one repetition. */
typedef struct mc_result_summary {
  char structure[MC_RESULT_NAME];
  char workload[MC_RESULT_NAME];
  char allocator[MC_RESULT_NAME];
  uint64_t n;   /* the workload's size parameter */
  uint32_t rep; /* repetition number, from 0 */
  int32_t ok;   /* 1 if the run finished, 0 if it crashed, was killed, ran out */
  char status[MC_RESULT_STATUS];
  uint64_t ops;            /* operations performed */
  uint64_t wall_ns;        /* ns, the timed run (no sampling) */
  double ops_per_s;        /* ops / wall */
  uint64_t peak_requested; /* bytes */
  uint64_t peak_footprint; /* bytes */
  uint64_t peak_rss;       /* bytes, VmHWM of the child */
  double allocs_per_op;    /* allocator calls per operation */
  uint64_t collections;    /* collections during the run */
  /* since schema 3 (older files: peak_held = peak_footprint, peak_resident = peak_rss, finals 0) */
  uint64_t peak_held;       /* bytes: stats' peak (own allocators) or the curve pass's highest
                               held read (malloc rows: the timing pass does not sample) */
  uint64_t peak_resident;   /* bytes, VmHWM - rss_baseline */
  uint64_t final_requested; /* bytes at the end of the workload (before destroy) */
  uint64_t final_held;      /* bytes, held at the end of the workload */
  uint64_t final_resident;  /* bytes, resident at the end of the workload */
} mc_result_summary;

/* What a /throughput row measures (row field `kind`). */
typedef enum mc_result_tput_kind {
  MC_RESULT_TPUT_OPS = 0,        /* a structure's operations (items or iterations per second) */
  MC_RESULT_TPUT_ALLOCATION = 1, /* what one allocation costs (bench_alloc: an alloc and its free,
                                    or one alloc of a burst), per allocator and way in */
} mc_result_tput_kind;

/* One row of /throughput: one Google Benchmark result. */
typedef struct mc_result_tput {
  char name[160]; /* the benchmark's full name, e.g. "pq_hold/binary/system/1000000" */
  char structure[MC_RESULT_NAME];
  char workload[MC_RESULT_NAME];
  char allocator[MC_RESULT_NAME];
  uint64_t n;
  uint32_t rep;
  uint64_t iterations;
  double real_ns;         /* ns per iteration, wall */
  double cpu_ns;          /* ns per iteration, CPU */
  double items_per_s;     /* 0 when not reported */
  double bytes_per_s;     /* 0 when not reported */
  double max_bytes_used;  /* bytes, from the MemoryManager; 0 when not reported */
  double allocs_per_iter; /* from the MemoryManager; 0 when not reported */
  int32_t kind;           /* mc_result_tput_kind: from the row's counter per_allocation at import
                             (mc_bench.h); files without the field: derived on read */
  /* the other side of a comparison: the rows of (vs_structure, vs_workload) this row is measured
   * against (ndarray/sum_vs_boxed against boxed/sum), "" for none; filed at import from the
   * naming convention "<workload>_vs_<structure>" (mc_gbjson_file_vs); older files: on read */
  char vs_structure[MC_RESULT_NAME];
  char vs_workload[MC_RESULT_NAME];
} mc_result_tput;

/* What N means for a run (run attribute n_means). */
typedef enum mc_result_n_means {
  MC_RESULT_N_ELEMENTS = 0, /* "elements": the structure's size */
  MC_RESULT_N_DEPTH = 1,    /* "tree depth": memory grows like 2^N */
} mc_result_n_means;

/* What kind of flat array a run's structure is (run attribute array): the bytes_per_elem
 * chart compares the two kinds. */
typedef enum mc_result_array {
  MC_RESULT_ARRAY_NONE = 0,    /* "none": not a flat array of elements (list, heaps, ...) */
  MC_RESULT_ARRAY_UNBOXED = 1, /* "unboxed": the values inline in one buffer (ndarray) */
  MC_RESULT_ARRAY_BOXED = 2,   /* "boxed": one pointer per element to its own block */
} mc_result_array;

/* What a run's heap is (run attribute heap, bits). */
enum {
  MC_RESULT_HEAP_MANAGED = 1,   /* roots and barriers (memcurve's collector) */
  MC_RESULT_HEAP_COLLECTED = 2, /* a collector reclaims memory (its charts apply) */
  MC_RESULT_HEAP_OUTSIDE = 4,   /* someone else's allocator (preloaded malloc, Boehm) */
  MC_RESULT_HEAP_REFCOUNT = 8,  /* managed, reference counting (else tracing) */
  MC_RESULT_HEAP_GC_OFF = 16,   /* the collector disabled (refcount: only the cycle detector) */
  MC_RESULT_HEAP_SAVEALL = 32,  /* what a collection finds is kept in the garbage list */
  MC_RESULT_HEAP_TRACED = 64,   /* sampled from outside (memcurve trace): a point's ops are CPU
                                   microseconds, its elements the program's own count */
};

/* Where and how a run ran (one row of /provenance; runs share rows). Per run, not per file: a
 * merged file may hold runs from several machines, and timings of two hosts are never ranked
 * against each other (memory is host-independent for the same build). */
typedef struct mc_result_prov {
  char host[128];             /* gethostname */
  char cpu[128];              /* /proc/cpuinfo's model name */
  char kernel[128];           /* uname: sysname release version machine; "" in older files */
  char compiler[128];         /* the compiler that built memcurve */
  char cflags[256];           /* its flags and build type */
  char library_versions[256]; /* hdf5 and the preloaded mallocs */
  char version[32];           /* memcurve's version; "" in older files */
  char command_line[1024];    /* the command that measured the run */
} mc_result_prov;

/* A run with its curve and events, as written and as read back. */
typedef struct mc_result_run {
  char structure[MC_RESULT_NAME];
  char workload[MC_RESULT_NAME];
  char allocator[MC_RESULT_NAME];
  uint64_t n;
  uint64_t seed;
  uint32_t repetitions;
  int32_t ok;
  char status[MC_RESULT_STATUS];
  int32_t n_means;         /* mc_result_n_means */
  uint32_t heap;           /* MC_RESULT_HEAP_* bits */
  int32_t allocator_order; /* the allocator's place in charts (colour, order); -1: none */
  int32_t array;           /* mc_result_array: the structure's kind of array */
  int32_t cyclic;          /* 1: the workload's garbage forms reference cycles (the gc_cycles
                              chart applies); 0 otherwise */
  uint64_t rss_baseline;   /* bytes, the curve pass's RSS just before the workload (0: unknown,
                              files before schema 3) */
  uint64_t held_baseline;  /* bytes the process's malloc held just before the workload: its
                              start-up reserve, part of held (malloc rows; 0 for the others) */
  /* the heap sweep (memcurve run's suites; all 0 in other runs and older files). Its runs have
   * heap_min > 0: the limited collector (heap_multiple > 0) and the explicit allocators it is
   * compared with (references: heap_multiple 0, heap_limit 0) */
  uint64_t heap_limit;    /* bytes: the collected heap's limit (mc_gc_set_heap_limit); 0: none */
  uint64_t heap_min;      /* bytes: the smallest limit at which the workload completed (bisected) */
  double heap_multiple;   /* heap_limit / heap_min as swept (1.25, 1.5, 2, ...); 0: a reference */
  mc_result_point *curve; /* ncurve points, ops non-decreasing (an event sample may share the ops
                         of a stride sample) */
  size_t ncurve;
  mc_result_event *events;
  size_t nevents;
  /* where it ran: read back, a row of its mc_results' prov (files without /provenance: one row
   * from the root attributes); to write, NULL is the writer's own (this process, this host) */
  const mc_result_prov *prov;
} mc_result_run;

/* Root attributes. */
typedef struct mc_result_meta {
  int32_t schema_version;
  char created_utc[32];
  char host[128];
  char cpu[128];
  char compiler[128];
  char cflags[256];
  char library_versions[256];
  char command_line[1024];
  char schedule[160];  /* how the timing repetitions were ordered (rounds, shuffle seed) */
  char glossary[4096]; /* "structure|workload\t<name>\t<description>\n" lines, from the
                          harness's tables; "" in older files */
} mc_result_meta;

/* A whole results file in memory. */
typedef struct mc_results {
  mc_result_meta meta;
  mc_result_run *runs;
  size_t nruns;
  mc_result_summary *summary;
  size_t nsummary;
  mc_result_tput *tput;
  size_t ntput;
  mc_result_prov *prov; /* the distinct provenances its runs point at (at least one) */
  size_t nprov;
} mc_results;

/* The order of result keys (structure, workload, allocator, then N numerically): <0, 0, >0
 * like strcmp. Files, cells and rows are sorted and searched by it. */
static inline int mc_result_key_cmp(const char *s1, const char *w1, const char *a1, uint64_t n1,
                                    const char *s2, const char *w2, const char *a2, uint64_t n2) {
  int d = strcmp(s1, s2);
  if (!d) d = strcmp(w1, w2);
  if (!d) d = strcmp(a1, a2);
  if (!d) d = (n1 > n2) - (n1 < n2);
  return d;
}

#ifdef __cplusplus
}
#endif
#endif /* MC_RESULT_H */
