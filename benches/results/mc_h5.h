/* mc_h5.h — the results file: memory curves, events, per-run summaries and Google Benchmark
 * throughput in one HDF5 file, written from and read back into the results model (mc_result.h,
 * which `memcurve info|compare|merge|plot|report` use). The writer is the harness's single parent
 * process.
 *
 * Layout (schema version MC_H5_SCHEMA):
 *   /                    attributes: schema_version, created_utc, host, cpu, compiler, cflags,
 *                        library_versions, command_line; optional (absent in older files):
 *                        schedule (how timing repetitions were ordered, with the shuffle's
 *                        seed) and glossary (one "structure|workload<TAB>name<TAB>text" line
 *                        per name, from the harness's tables)
 *   /runs/<structure>/<workload>/<allocator>/n<N>/
 *                        attributes: structure, workload, allocator, n, seed, repetitions,
 *                        status ("ok" or the reason it is not), ok (1/0); since schema 2 the
 *                        facts charts need: n_means ("elements" or "tree depth"), heap
 *                        (bits: 1 managed, 2 collected, 4 outside, 8 refcount, 16 gc_off,
 *                        32 saveall; heap_values says so) and allocator_order (the allocator's
 *                        place in charts, -1 none). Schema 1 files lack them: the reader
 *                        supplies what schema 1's writer implied. Optional (later): array
 *                        ("none", "unboxed" or "boxed": the structure's kind of flat array),
 *                        cyclic (int32 1: the workload's garbage forms reference cycles).
 *                        Where the bits 8..32 (heap_values without "gc_off"), array or cyclic
 *                        are missing, the reader derives them from the names of the time:
 *                        gc-off, gc-saveall; ndarray (unboxed), boxed; cycles.
 *                        Since schema 3: rss_baseline (bytes: the curve pass's RSS just before
 *                        the workload) and held_baseline (bytes the process's malloc held then,
 *                        its start-up reserve; 0 for allocators that are not the malloc).
 *                        Runs of the heap sweep only (optional, no schema change): heap_limit,
 *                        heap_min (bytes) and heap_multiple (double; 0 for its references).
 *                        The three quantities (schema 3; before it the reader sets held =
 *                        footprint, resident = rss): requested (live bytes asked for), held
 *                        (bytes the allocator holds from the layer below by its own accounting:
 *                        our allocators' footprint; for system/jemalloc/mimalloc/tcmalloc the
 *                        malloc's statistics, absolute since schema 4 (schema 3 files took
 *                        held_baseline off; the reader leaves them as written)), resident
 *                        (rss - rss_baseline).
 *                        A malloc's held is read under a time budget: a point whose held_ops is
 *                        below its ops carries the value read at held_ops.
 *     curve              compound mc_result_point rows, chunked + deflated; attribute `units`
 *                        (one string per field, in field order) and `<field>_units`
 *     events             compound mc_result_event rows, chunked + deflated; attributes kind_values
 *                        ("1=collect 2=reset 3=unwind 4=phase") and <field>_units
 *   /summary             compound mc_result_summary rows: one per run and repetition
 *   /throughput          compound mc_result_tput rows: one per Google Benchmark result; its
 *                        member kind (optional, later; kind_values "0=ops 1=allocation") says
 *                        what a row measures, from the benchmark's counter per_allocation;
 *                        files without it: derived on read (rows of structure alloc, then
 *                        bench_alloc's only, measured one allocation); vs_structure and
 *                        vs_workload (optional, later): the rows it is compared with, filed
 *                        at import from a workload "<base>_vs_<other>" (on read where missing)
 *   /gbench_json         Google Benchmark's raw JSON output, one string per bench binary
 *   /provenance          compound mc_result_prov rows (host, cpu, kernel, compiler, cflags,
 *                        library_versions, version, command_line), one per distinct provenance
 *                        of the file's runs; each run group's int32 attribute `provenance` is its
 *                        row. Optional (not a schema change: older readers ignore it); a file
 *                        without it reads as one row from the root attributes, every run on it.
 * The file is built in memory; after every run its whole image replaces <path>.partial
 * atomically (write <path>.partial.tmp, rename), and mc_h5_close(w, 1) writes it to <path>:
 * an interrupted or failing suite leaves a valid .partial holding every run written before.
 */
#ifndef MC_H5_H
#define MC_H5_H

#include <stddef.h>
#include <stdint.h>

#include "mc_result.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MC_H5_SCHEMA                                                                               \
  4 /* 2: runs carry n_means, heap, allocator_order; 3: held, resident,                            \
       held_ops per point, peak/final held and resident per summary row,                           \
       rss_baseline and held_baseline per run; 4: a malloc's held is absolute                      \
       (3 took held_baseline off it). 1 to 3 are still read, as written */

/* ---- reading ----------------------------------------------------------------------------- */

/* Reads the whole file at path into *out. Returns MC_OK, MC_EIO (cannot open/read) or
 * MC_EFORMAT (not a memcurve file, corrupt, missing a dataset, or a newer schema), with a
 * one-line reason in err (errlen bytes; it does not repeat the path) and *out zeroed. HDF5's
 * own error printing is off. */
int mc_h5_read(const char *path, mc_results *out, char *err, size_t errlen);

/* mc_h5_read for files from elsewhere (the commands' inputs): the file is first read, with its
 * Google Benchmark JSON, in a forked child whose output goes nowhere. HDF5 1.10's own parsers
 * crash on some corrupt bytes before any check of ours can run; if the child dies (or exits
 * non-zero) that is MC_EFORMAT with "HDF5 crashed reading it", else the file is read here as
 * mc_h5_read does (parsing is deterministic). If fork fails, reads in-process. */
int mc_h5_read_guarded(const char *path, mc_results *out, char *err, size_t errlen);

/* Frees what mc_h5_read allocated; accepts a zeroed struct. */
void mc_h5_results_free(mc_results *r);

/* ---- writing ----------------------------------------------------------------------------- */

typedef struct mc_h5_writer mc_h5_writer;

/* Creates <path>.partial with the root attributes of meta. library_versions: the writer puts
 * "hdf5 X.Y.Z; " (the HDF5 it links) before the caller's text, unless that already starts with
 * "hdf5 " (a merge keeps its source's). Returns MC_OK with *out set, or MC_EIO with a reason
 * in err. An existing <path> is not touched until mc_h5_close(w, 1). MC_EINVAL: path (or its
 * .partial) exists and is not a regular file, or the name does not fit; MC_ESTATE: another
 * process holds the output's writer lock (mc_io_lock, held until mc_h5_close). */
int mc_h5_create(mc_h5_writer **out, const char *path, const mc_result_meta *meta, char *err,
                 size_t errlen);

/* Writes one run (its group, curve, events) and its summary rows, then snapshots the file to
 * <path>.partial (unless batched or paced: mc_h5_writer_batch, mc_h5_writer_pace). MC_EINVAL: the
 * run's key is already in the file (nothing written). MC_EIO: the snapshot failed (full disk, file
 * size limit); the .partial on disk is the previous one. The run's provenance: run->prov (a merge
 * passes its source's) or, when NULL, the writer's own (mc_prov_self of the meta given to
 * mc_h5_create); equal provenances share one row. */
int mc_h5_add_run(mc_h5_writer *w, const mc_result_run *run, const mc_result_summary *rows,
                  size_t nrows);

/* Appends summary rows that belong to no run of the file (merge keeps a source's orphans). */
int mc_h5_add_summary(mc_h5_writer *w, const mc_result_summary *rows, size_t nrows);

/* on: add_run/add_tput/add_summary no longer snapshot; mc_h5_close(w, 1) writes the file once
 * (merge: an all-or-nothing command, linear in its input). */
void mc_h5_writer_batch(mc_h5_writer *w, int on);

/* factor > 0: add_run/add_tput/add_summary snapshot only once the time since the last snapshot
 * to the .partial is at least factor times what that snapshot took (the snapshots then cost at
 * most ~1/factor of the caller's time); the caller must mc_h5_sync before it stops without
 * mc_h5_close(w, 1). factor 0: a snapshot after every change (the default). A file whose last
 * snapshot was smaller than from_bytes is snapshotted after every change all the same (its write
 * is cheap, and a pace timed on one small write is at the mercy of the machine's load). */
void mc_h5_writer_pace(mc_h5_writer *w, double factor, size_t from_bytes);

/* Snapshots to the .partial if anything was added since the last snapshot. Returns MC_OK or
 * MC_EIO (the .partial on disk is then the previous one). */
int mc_h5_sync(mc_h5_writer *w);

/* How many runs the .partial on disk holds (mc_h5_add_run calls in its snapshot). */
size_t mc_h5_writer_saved(const mc_h5_writer *w);

/* The .partial path the writer snapshots to (see mc_io_partial_path); valid until close. */
const char *mc_h5_writer_partial(const mc_h5_writer *w);

/* Appends throughput rows and, if json is not NULL, keeps the raw JSON under /gbench_json/<tag>. */
int mc_h5_add_tput(mc_h5_writer *w, const mc_result_tput *rows, size_t nrows, const char *tag,
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

/* Closes the file without committing and removes its <path>.partial (a command that refused or
 * failed before it wrote anything of worth leaves no file behind); <path> is untouched. Frees
 * w; accepts NULL. */
void mc_h5_discard(mc_h5_writer *w);

#ifdef __cplusplus
}
#endif
#endif /* MC_H5_H */
