/* mc_h5.h — the results file: memory curves, events, per-run summaries and Google Benchmark
 * throughput in one HDF5 file, and the in-memory model that `memcurve info|compare|merge|plot|
 * report` read it back into. The writer is the harness's single parent process.
 *
 * Layout (schema version MC_H5_SCHEMA):
 *   /                    attributes: schema_version, created_utc, host, cpu, compiler, cflags,
 *                        library_versions, command_line
 *   /runs/<structure>/<workload>/<allocator>/n<N>/
 *                        attributes: structure, workload, allocator, n, seed, repetitions,
 *                        status ("ok" or the reason it is not), ok (1/0); since schema 2 the
 *                        facts charts need: n_means ("elements" or "tree depth"), heap
 *                        (bits: 1 managed, 2 collected, 4 outside; heap_values says so) and
 *                        allocator_order (the allocator's place in charts, -1 none). Schema 1
 *                        files lack them: the reader supplies what schema 1's writer implied.
 *     curve              compound mc_h5_point rows, chunked + deflated; attribute `units`
 *                        (one string per field, in field order) and `<field>_units`
 *     events             compound mc_h5_event rows, chunked + deflated; attributes kind_values
 *                        ("1=collect 2=reset 3=unwind 4=phase") and <field>_units
 *   /summary             compound mc_h5_summary rows: one per run and repetition
 *   /throughput          compound mc_h5_tput rows: one per Google Benchmark result
 *   /gbench_json         Google Benchmark's raw JSON output, one string per bench binary
 * The file is built in memory; after every run its whole image replaces <path>.partial
 * atomically (write <path>.partial.tmp, rename), and mc_h5_close(w, 1) writes it to <path>:
 * an interrupted or failing suite leaves a valid .partial holding every run written before.
 */
#ifndef MC_H5_H
#define MC_H5_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MC_H5_SCHEMA 2 /* 2: runs carry n_means, heap, allocator_order; 1 is still read */
#define MC_H5_NAME 48   /* bytes for structure / workload / allocator names, NUL included */
#define MC_H5_STATUS 128 /* bytes for a status text, NUL included */

/* One sample of a memory curve. */
typedef struct mc_h5_point {
  uint64_t ops;         /* operations done so far */
  uint64_t elements;    /* elements in the structure now */
  uint64_t t_ns;        /* ns since the run started */
  uint64_t requested;   /* bytes requested and live */
  uint64_t footprint;   /* bytes held by the allocator */
  uint64_t rss;         /* bytes, the process's resident set */
  uint64_t collections; /* collections so far (collected heaps) */
} mc_h5_point;

typedef enum mc_h5_event_kind {
  MC_H5_EV_COLLECT = 1, /* a collection: generation, pause_ns, bytes before/after */
  MC_H5_EV_RESET = 2,   /* an arena/stack reset: bytes before/after */
  MC_H5_EV_UNWIND = 3,  /* a stack unwind (restore to a mark) */
  MC_H5_EV_PHASE = 4,   /* a workload phase starts (waves: grow/shrink); generation = phase no. */
} mc_h5_event_kind;

typedef struct mc_h5_event {
  uint64_t ops;          /* operations done when it happened */
  uint64_t t_ns;         /* ns since the run started */
  int32_t kind;          /* mc_h5_event_kind */
  int32_t generation;    /* collections: the generation collected; phases: the phase number */
  uint64_t pause_ns;     /* collections: the pause */
  uint64_t bytes_before; /* footprint before */
  uint64_t bytes_after;  /* footprint after */
} mc_h5_event;

/* One row of /summary: one run, one repetition. */
typedef struct mc_h5_summary {
  char structure[MC_H5_NAME];
  char workload[MC_H5_NAME];
  char allocator[MC_H5_NAME];
  uint64_t n;               /* the workload's size parameter */
  uint32_t rep;             /* repetition number, from 0 */
  int32_t ok;               /* 1 if the run finished, 0 if it crashed, was killed, ran out */
  char status[MC_H5_STATUS];
  uint64_t ops;             /* operations performed */
  uint64_t wall_ns;         /* ns, the timed run (no sampling) */
  double ops_per_s;         /* ops / wall */
  uint64_t peak_requested;  /* bytes */
  uint64_t peak_footprint;  /* bytes */
  uint64_t peak_rss;        /* bytes, VmHWM of the child */
  double allocs_per_op;     /* allocator calls per operation */
  uint64_t collections;     /* collections during the run */
} mc_h5_summary;

/* One row of /throughput: one Google Benchmark result. */
typedef struct mc_h5_tput {
  char name[160];           /* the benchmark's full name, e.g. "pq_hold/binary/system/1000000" */
  char structure[MC_H5_NAME];
  char workload[MC_H5_NAME];
  char allocator[MC_H5_NAME];
  uint64_t n;
  uint32_t rep;
  uint64_t iterations;
  double real_ns;           /* ns per iteration, wall */
  double cpu_ns;            /* ns per iteration, CPU */
  double items_per_s;       /* 0 when not reported */
  double bytes_per_s;       /* 0 when not reported */
  double max_bytes_used;    /* bytes, from the MemoryManager; 0 when not reported */
  double allocs_per_iter;   /* from the MemoryManager; 0 when not reported */
} mc_h5_tput;

/* What N means for a run (run attribute n_means). */
typedef enum mc_h5_n_means {
  MC_H5_N_ELEMENTS = 0, /* "elements": the structure's size */
  MC_H5_N_DEPTH = 1,    /* "tree depth": memory grows like 2^N */
} mc_h5_n_means;

/* What a run's heap is (run attribute heap, bits). */
enum {
  MC_H5_HEAP_MANAGED = 1,   /* roots and barriers (memcurve's collector) */
  MC_H5_HEAP_COLLECTED = 2, /* a collector reclaims memory (its charts apply) */
  MC_H5_HEAP_OUTSIDE = 4,   /* someone else's allocator (preloaded malloc, Boehm) */
};

/* A run with its curve and events, as written and as read back. */
typedef struct mc_h5_run {
  char structure[MC_H5_NAME];
  char workload[MC_H5_NAME];
  char allocator[MC_H5_NAME];
  uint64_t n;
  uint64_t seed;
  uint32_t repetitions;
  int32_t ok;
  char status[MC_H5_STATUS];
  int32_t n_means;         /* mc_h5_n_means */
  uint32_t heap;           /* MC_H5_HEAP_* bits */
  int32_t allocator_order; /* the allocator's place in charts (colour, order); -1: none */
  mc_h5_point *curve; /* ncurve points, ops non-decreasing (an event sample may share the ops
                         of a stride sample) */
  size_t ncurve;
  mc_h5_event *events;
  size_t nevents;
} mc_h5_run;

/* Root attributes. */
typedef struct mc_h5_meta {
  int32_t schema_version;
  char created_utc[32];
  char host[128];
  char cpu[128];
  char compiler[128];
  char cflags[256];
  char library_versions[256];
  char command_line[1024];
} mc_h5_meta;

/* A whole results file in memory. */
typedef struct mc_h5_results {
  mc_h5_meta meta;
  mc_h5_run *runs;
  size_t nruns;
  mc_h5_summary *summary;
  size_t nsummary;
  mc_h5_tput *tput;
  size_t ntput;
} mc_h5_results;

/* ---- reading ----------------------------------------------------------------------------- */

/* Reads the whole file at path into *out. Returns MC_OK, MC_EIO (cannot open/read) or
 * MC_EFORMAT (not a memcurve file, corrupt, missing a dataset, or a newer schema), with a
 * one-line reason in err (errlen bytes; it does not repeat the path) and *out zeroed. HDF5's
 * own error printing is off. */
int mc_h5_read(const char *path, mc_h5_results *out, char *err, size_t errlen);

/* mc_h5_read for files from elsewhere (the commands' inputs): the file is first read, with its
 * Google Benchmark JSON, in a forked child whose output goes nowhere. HDF5 1.10's own parsers
 * crash on some corrupt bytes before any check of ours can run; if the child dies (or exits
 * non-zero) that is MC_EFORMAT with "HDF5 crashed reading it", else the file is read here as
 * mc_h5_read does (parsing is deterministic). If fork fails, reads in-process. */
int mc_h5_read_guarded(const char *path, mc_h5_results *out, char *err, size_t errlen);

/* Frees what mc_h5_read allocated; accepts a zeroed struct. */
void mc_h5_results_free(mc_h5_results *r);

/* ---- writing ----------------------------------------------------------------------------- */

typedef struct mc_h5_writer mc_h5_writer;

/* Creates <path>.partial with the root attributes of meta. library_versions: the writer puts
 * "hdf5 X.Y.Z; " (the HDF5 it links) before the caller's text, unless that already starts with
 * "hdf5 " (a merge keeps its source's). Returns MC_OK with *out set, or MC_EIO with a reason
 * in err. An existing <path> is not touched until mc_h5_close(w, 1). */
int mc_h5_create(mc_h5_writer **out, const char *path, const mc_h5_meta *meta, char *err,
                 size_t errlen);

/* Writes one run (its group, curve, events) and its summary rows, then snapshots the file to
 * <path>.partial. MC_EINVAL: the run's key is already in the file (nothing written). MC_EIO:
 * the snapshot failed (full disk, file size limit); the .partial on disk is the previous one. */
int mc_h5_add_run(mc_h5_writer *w, const mc_h5_run *run, const mc_h5_summary *rows, size_t nrows);

/* Appends throughput rows and, if json is not NULL, keeps the raw JSON under /gbench_json/<tag>. */
int mc_h5_add_tput(mc_h5_writer *w, const mc_h5_tput *rows, size_t nrows, const char *tag,
                   const char *json);

/* Reads every /gbench_json/<tag> string of the file at path: *tags and *jsons get n
 * malloc'd strings each (free with mc_h5_free_strings). Returns MC_OK, MC_EIO or MC_EFORMAT. */
int mc_h5_read_json(const char *path, char ***tags, char ***jsons, size_t *n);

/* Frees an array of n strings from mc_h5_read_json; accepts NULL. */
void mc_h5_free_strings(char **strs, size_t n);

/* Closes the file. commit 1: writes it to <path> (atomically) and removes <path>.partial;
 * 0: leaves the last snapshot at <path>.partial. Returns MC_OK or MC_EIO (then the .partial is
 * kept). Frees w in every case. */
int mc_h5_close(mc_h5_writer *w, int commit);

#ifdef __cplusplus
}
#endif
#endif /* MC_H5_H */
