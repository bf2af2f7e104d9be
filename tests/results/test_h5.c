/* test_h5.c — the results file: write, read back field for field, partial files, bad input. */
#define _POSIX_C_SOURCE 200809L
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <hdf5.h>

#include "mc_h5.h"
#include "mc_utf8.h"
#include "testutil.h"

static mc_result_meta meta(void) {
  mc_result_meta m;
  memset(&m, 0, sizeof m);
  m.schema_version = MC_H5_SCHEMA;
  snprintf(m.created_utc, sizeof m.created_utc, "2026-01-01T00:00:00Z");
  snprintf(m.host, sizeof m.host, "testhost");
  snprintf(m.command_line, sizeof m.command_line, "test_h5 --flag");
  return m;
}

static void fill_run(mc_result_run *r, mc_result_point *pts, size_t np, mc_result_event *ev,
                     size_t ne, const char *s, uint64_t n) {
  memset(r, 0, sizeof *r);
  snprintf(r->structure, sizeof r->structure, "%s", s);
  snprintf(r->workload, sizeof r->workload, "fill");
  snprintf(r->allocator, sizeof r->allocator, "system");
  r->n = n;
  r->seed = 42;
  r->repetitions = 3;
  r->ok = 1;
  snprintf(r->status, sizeof r->status, "ok");
  for (size_t i = 0; i < np; i++)
    pts[i] = (mc_result_point){i * 10,         i,       i * 1000, i * 64,   i * 80,
                               4096 * (i + 1), i / 100, i * 96,   4096 * i, i * 10};
  for (size_t i = 0; i < ne; i++)
    ev[i] =
        (mc_result_event){i * 7, i * 70, MC_RESULT_EV_COLLECT, (int32_t)(i % 3), 500 + i, 1000, 10};
  r->curve = pts;
  r->ncurve = np;
  r->events = ev;
  r->nevents = ne;
}

/* path: NAME in the test's scratch folder (256 bytes); part: its .partial (300 bytes). */
static void out_paths(char *path, char *part, const char *name) {
  mc_test_path(path, 256, name);
  snprintf(part, 300, "%s.partial", path);
}

static void test_h5_roundtrip(void) {
  char path[256], part[300];
  out_paths(path, part, "rt.h5");
  mc_result_meta m = meta();
  mc_h5_writer *w;
  char err[200];
  CU_ASSERT_FATAL(mc_h5_create(&w, path, &m, err, sizeof err) == MC_OK);
  CU_ASSERT(access(part, F_OK) == 0);
  CU_ASSERT(access(path, F_OK) != 0);
  static mc_result_point pts[3000];
  static mc_result_event ev[5];
  mc_result_run r;
  fill_run(&r, pts, 3000, ev, 5, "ndarray", 1000);
  mc_result_summary rows[3];
  memset(rows, 0, sizeof rows);
  for (uint32_t i = 0; i < 3; i++) {
    snprintf(rows[i].structure, MC_RESULT_NAME, "ndarray");
    snprintf(rows[i].workload, MC_RESULT_NAME, "fill");
    snprintf(rows[i].allocator, MC_RESULT_NAME, "system");
    rows[i].n = 1000;
    rows[i].rep = i;
    rows[i].ok = 1;
    rows[i].wall_ns = 1000 + i;
    rows[i].ops_per_s = 1.5 * i;
    rows[i].peak_held = 5000 + i;
    rows[i].peak_resident = 6000 + i;
    rows[i].final_requested = 100 + i;
    rows[i].final_held = 200 + i;
    rows[i].final_resident = 300 + i;
  }
  r.rss_baseline = 8u << 20;
  r.held_baseline = 123456;
  r.array = MC_RESULT_ARRAY_BOXED; /* a fact as written, whatever the structure's name */
  CU_ASSERT(mc_h5_add_run(w, &r, rows, 3) == MC_OK);
  /* the same key twice is refused, the file stays usable */
  CU_ASSERT(mc_h5_add_run(w, &r, rows, 0) == MC_EINVAL);
  mc_result_run r2;
  fill_run(&r2, pts, 0, ev, 0, "list", 7);
  r2.ok = 0;
  snprintf(r2.status, sizeof r2.status, "killed by signal 11 (SIGSEGV)");
  CU_ASSERT(mc_h5_add_run(w, &r2, NULL, 0) == MC_OK);
  mc_result_tput t;
  memset(&t, 0, sizeof t);
  snprintf(t.name, sizeof t.name, "pq_hold/binary/system/1000");
  t.real_ns = 12.5;
  t.iterations = 99;
  t.kind = MC_RESULT_TPUT_ALLOCATION;
  CU_ASSERT(mc_h5_add_tput(w, &t, 1, "bench_pq", "{\"benchmarks\": []}") == MC_OK);
  CU_ASSERT(mc_h5_close(w, 1) == MC_OK);
  CU_ASSERT(access(part, F_OK) != 0);

  mc_results res;
  CU_ASSERT_FATAL(mc_h5_read(path, &res, err, sizeof err) == MC_OK);
  CU_ASSERT(res.meta.schema_version == MC_H5_SCHEMA);
  CU_ASSERT_STRING_EQUAL(res.meta.host, "testhost");
  CU_ASSERT_STRING_EQUAL(res.meta.command_line, "test_h5 --flag");
  CU_ASSERT_FATAL(res.nruns == 2);
  /* name order: list before ndarray */
  CU_ASSERT_STRING_EQUAL(res.runs[0].structure, "list");
  CU_ASSERT(res.runs[0].ok == 0);
  CU_ASSERT_STRING_EQUAL(res.runs[0].status, "killed by signal 11 (SIGSEGV)");
  CU_ASSERT(res.runs[0].ncurve == 0);
  mc_result_run *b = &res.runs[1];
  CU_ASSERT(b->n == 1000 && b->seed == 42 && b->repetitions == 3 && b->ok == 1);
  CU_ASSERT_FATAL(b->ncurve == 3000 && b->nevents == 5);
  CU_ASSERT(memcmp(b->curve, pts, sizeof pts) == 0);
  CU_ASSERT(memcmp(b->events, ev, sizeof ev) == 0);
  CU_ASSERT_FATAL(res.nsummary == 3);
  CU_ASSERT(res.summary[2].rep == 2 && res.summary[2].wall_ns == 1002);
  /* schema 3: the three quantities and the run's baselines come back */
  CU_ASSERT(res.summary[1].peak_held == 5001 && res.summary[1].peak_resident == 6001);
  CU_ASSERT(res.summary[1].final_requested == 101 && res.summary[1].final_held == 201 &&
            res.summary[1].final_resident == 301);
  CU_ASSERT(b->rss_baseline == 8u << 20 && b->held_baseline == 123456);
  CU_ASSERT(b->array == MC_RESULT_ARRAY_BOXED && res.runs[0].array == MC_RESULT_ARRAY_NONE);
  CU_ASSERT(res.summary[2].ops_per_s == 3.0);
  CU_ASSERT_FATAL(res.ntput == 1);
  CU_ASSERT_STRING_EQUAL(res.tput[0].name, "pq_hold/binary/system/1000");
  CU_ASSERT(res.tput[0].iterations == 99);
  CU_ASSERT(res.tput[0].kind == MC_RESULT_TPUT_ALLOCATION); /* the row's fact, kept */
  mc_h5_results_free(&res);
  CU_ASSERT(res.nruns == 0 && res.runs == NULL);

  char **tags, **jsons;
  size_t nj;
  CU_ASSERT_FATAL(mc_h5_read_json(path, &tags, &jsons, &nj) == MC_OK);
  CU_ASSERT_FATAL(nj == 1);
  CU_ASSERT_STRING_EQUAL(tags[0], "bench_pq");
  CU_ASSERT_STRING_EQUAL(jsons[0], "{\"benchmarks\": []}");
  mc_h5_free_strings(tags, nj);
  mc_h5_free_strings(jsons, nj);
  remove(path);
}

/* A writer that is never closed (a crash after a flush) still leaves a readable .partial. */
static void test_h5_partial_readable(void) {
  char path[256], part[300], err[200];
  out_paths(path, part, "p.h5");
  mc_result_meta m = meta();
  pid_t pid = fork();
  CU_ASSERT_FATAL(pid >= 0);
  if (pid == 0) {
    mc_h5_writer *w;
    static mc_result_point pts[10];
    mc_result_run r;
    if (mc_h5_create(&w, path, &m, NULL, 0) != MC_OK) _exit(3);
    fill_run(&r, pts, 10, NULL, 0, "pq", 5);
    if (mc_h5_add_run(w, &r, NULL, 0) != MC_OK) _exit(4);
    _exit(0); /* no close: what a kill between runs leaves */
  }
  int st;
  waitpid(pid, &st, 0);
  CU_ASSERT_FATAL(WIFEXITED(st) && WEXITSTATUS(st) == 0);
  mc_results res;
  CU_ASSERT_FATAL(mc_h5_read(part, &res, err, sizeof err) == MC_OK);
  CU_ASSERT(res.nruns == 1 && res.runs[0].ncurve == 10);
  mc_h5_results_free(&res);
  remove(part);
}

/* A paced writer (mc_h5_writer_pace) skips the snapshots a run would make while the last one is
 * recent; mc_h5_sync then writes every run added, and close commits them all. */
static void test_h5_paced_sync(void) {
  char path[256], part[300], err[200];
  out_paths(path, part, "paced.h5");
  mc_result_meta m = meta();
  mc_h5_writer *w;
  CU_ASSERT_FATAL(mc_h5_create(&w, path, &m, err, sizeof err) == MC_OK);
  mc_h5_writer_pace(w, 1e12, 0); /* no snapshot between runs in this test's lifetime */
  static mc_result_point pts[10];
  mc_result_run r;
  fill_run(&r, pts, 10, NULL, 0, "pq", 5);
  CU_ASSERT_FATAL(mc_h5_add_run(w, &r, NULL, 0) == MC_OK);
  fill_run(&r, pts, 10, NULL, 0, "list", 5);
  CU_ASSERT_FATAL(mc_h5_add_run(w, &r, NULL, 0) == MC_OK);
  mc_results res;
  CU_ASSERT_FATAL(mc_h5_read(part, &res, err, sizeof err) == MC_OK);
  CU_ASSERT(res.nruns == 0); /* paced: the .partial is still the creation's */
  mc_h5_results_free(&res);
  CU_ASSERT(mc_h5_writer_saved(w) == 0);
  CU_ASSERT(mc_h5_sync(w) == MC_OK);
  CU_ASSERT(mc_h5_writer_saved(w) == 2);
  CU_ASSERT_FATAL(mc_h5_read(part, &res, err, sizeof err) == MC_OK);
  CU_ASSERT(res.nruns == 2);
  mc_h5_results_free(&res);
  fill_run(&r, pts, 10, NULL, 0, "boxed", 5);
  CU_ASSERT_FATAL(mc_h5_add_run(w, &r, NULL, 0) == MC_OK);
  CU_ASSERT(mc_h5_close(w, 1) == MC_OK);
  CU_ASSERT(access(part, F_OK) != 0); /* committed: renamed to path */
  CU_ASSERT_FATAL(mc_h5_read(path, &res, err, sizeof err) == MC_OK);
  CU_ASSERT(res.nruns == 3);
  mc_h5_results_free(&res);
  remove(path);
}

static void test_h5_bad_input(void) {
  char path[256], err[200];
  mc_results res;
  CU_ASSERT(mc_h5_read("/nonexistent/x.h5", &res, err, sizeof err) == MC_EIO);
  CU_ASSERT(strstr(err, "cannot open") != NULL);
  CU_ASSERT(res.nruns == 0 && res.runs == NULL);
  mc_test_path(path, sizeof path, "text.h5");
  FILE *f = fopen(path, "w");
  fputs("not hdf5\n", f);
  fclose(f);
  CU_ASSERT(mc_h5_read(path, &res, err, sizeof err) == MC_EFORMAT);
  remove(path);
  mc_h5_writer *w;
  mc_result_meta m = meta();
  CU_ASSERT(mc_h5_create(&w, "/nonexistent/dir/x.h5", &m, err, sizeof err) == MC_EIO);
  CU_ASSERT(w == NULL);
  /* an HDF5 file that is not ours, then one from a newer schema */
  mc_test_path(path, sizeof path, "foreign.h5");
  hid_t f5 = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  CU_ASSERT_FATAL(f5 >= 0);
  H5Fclose(f5);
  CU_ASSERT(mc_h5_read(path, &res, err, sizeof err) == MC_EFORMAT);
  CU_ASSERT(strstr(err, "not a memcurve") != NULL);
  CU_ASSERT_FATAL(mc_h5_create(&w, path, &m, err, sizeof err) == MC_OK);
  CU_ASSERT(mc_h5_close(w, 1) == MC_OK);
  f5 = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
  hid_t a = H5Aopen(f5, "schema_version", H5P_DEFAULT);
  int32_t v = MC_H5_SCHEMA + 1;
  CU_ASSERT(H5Awrite(a, H5T_NATIVE_INT32, &v) >= 0);
  H5Aclose(a);
  H5Fclose(f5);
  CU_ASSERT(mc_h5_read(path, &res, err, sizeof err) == MC_EFORMAT);
  CU_ASSERT(strstr(err, "schema version") != NULL);
  /* a file missing /summary */
  f5 = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
  a = H5Aopen(f5, "schema_version", H5P_DEFAULT);
  v = MC_H5_SCHEMA;
  H5Awrite(a, H5T_NATIVE_INT32, &v);
  H5Aclose(a);
  CU_ASSERT(H5Ldelete(f5, "summary", H5P_DEFAULT) >= 0);
  H5Fclose(f5);
  CU_ASSERT(mc_h5_read(path, &res, err, sizeof err) == MC_EFORMAT);
  CU_ASSERT(strstr(err, "summary") != NULL);
  remove(path);
}

/* A schema 2 file (written by the previous release: `memcurve run -s list -w fill -a
 * system,arena -n 1000 -r 1`) still reads: held is its footprint, resident its RSS, no
 * baselines, and the summary's peaks come from peak_footprint and peak_rss. */
static void test_h5_reads_schema2(void) {
  mc_results res;
  char err[200];
  CU_ASSERT_FATAL(mc_h5_read(MC_TEST_DATA "/schema2.h5", &res, err, sizeof err) == MC_OK);
  CU_ASSERT(res.meta.schema_version == 2);
  CU_ASSERT_FATAL(res.nruns == 2 && res.nsummary == 2);
  for (size_t i = 0; i < res.nruns; i++) {
    const mc_result_run *r = &res.runs[i];
    CU_ASSERT(r->rss_baseline == 0 && r->held_baseline == 0);
    CU_ASSERT_FATAL(r->ncurve >= 256);
    for (size_t k = 0; k < r->ncurve; k++) {
      CU_ASSERT(r->curve[k].held == r->curve[k].footprint);
      CU_ASSERT(r->curve[k].resident == r->curve[k].rss && r->curve[k].rss > 0);
      CU_ASSERT(r->curve[k].held_ops == r->curve[k].ops);
    }
  }
  for (size_t i = 0; i < res.nsummary; i++) {
    CU_ASSERT(res.summary[i].peak_held == res.summary[i].peak_footprint &&
              res.summary[i].peak_held > 0);
    CU_ASSERT(res.summary[i].peak_resident == res.summary[i].peak_rss);
    CU_ASSERT(res.summary[i].final_held == 0);
  }
  mc_h5_results_free(&res);
}

/* Files written before the array fact and the collector's mode bits: the reader derives them
 * from the names of the time (ndarray unboxed, boxed boxed; gc-off, gc-saveall). */
static void test_h5_later_facts_derived(void) {
  char path[256], err[200];
  mc_test_path(path, sizeof path, "later.h5");
  mc_result_meta m = meta();
  mc_h5_writer *w;
  CU_ASSERT_FATAL(mc_h5_create(&w, path, &m, err, sizeof err) == MC_OK);
  static const char *const structs[] = {"ndarray", "boxed", "list"};
  static const char *const allocs[] = {"gc-off", "gc-saveall", "gc"};
  static const char *const works[] = {"fill", "fill", "cycles"};
  for (int i = 0; i < 3; i++) {
    mc_result_run r;
    fill_run(&r, NULL, 0, NULL, 0, structs[i], 10);
    snprintf(r.allocator, sizeof r.allocator, "%s", allocs[i]);
    snprintf(r.workload, sizeof r.workload, "%s", works[i]);
    r.heap = MC_RESULT_HEAP_MANAGED | MC_RESULT_HEAP_COLLECTED;
    CU_ASSERT(mc_h5_add_run(w, &r, NULL, 0) == MC_OK);
  }
  mc_result_run fact; /* a fact written is read as written, whatever the names */
  fill_run(&fact, NULL, 0, NULL, 0, "list", 11);
  fact.cyclic = 1;
  CU_ASSERT(mc_h5_add_run(w, &fact, NULL, 0) == MC_OK);
  CU_ASSERT_FATAL(mc_h5_close(w, 1) == MC_OK);
  hid_t f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
  CU_ASSERT_FATAL(f >= 0);
  for (int i = 0; i < 3; i++) { /* as the older writers left them */
    char g[128];
    snprintf(g, sizeof g, "runs/%s/%s/%s/n10", structs[i], works[i], allocs[i]);
    CU_ASSERT(H5Adelete_by_name(f, g, "array", H5P_DEFAULT) >= 0);
    CU_ASSERT(H5Adelete_by_name(f, g, "cyclic", H5P_DEFAULT) >= 0);
    CU_ASSERT(H5Adelete_by_name(f, g, "heap_values", H5P_DEFAULT) >= 0);
  }
  H5Fclose(f);
  mc_results res;
  CU_ASSERT_FATAL(mc_h5_read(path, &res, err, sizeof err) == MC_OK);
  CU_ASSERT_FATAL(res.nruns == 4);
  const unsigned gc = MC_RESULT_HEAP_MANAGED | MC_RESULT_HEAP_COLLECTED;
  for (size_t i = 0; i < res.nruns; i++) {
    const mc_result_run *r = &res.runs[i];
    /* cyclic: derived from the workload of the time (cycles) where missing */
    CU_ASSERT(r->cyclic == (!strcmp(r->workload, "cycles") || r->n == 11));
    if (r->n == 11) continue;
    if (!strcmp(r->structure, "ndarray"))
      CU_ASSERT(r->array == MC_RESULT_ARRAY_UNBOXED && r->heap == (gc | MC_RESULT_HEAP_GC_OFF));
    if (!strcmp(r->structure, "boxed"))
      CU_ASSERT(r->array == MC_RESULT_ARRAY_BOXED && r->heap == (gc | MC_RESULT_HEAP_SAVEALL));
    if (!strcmp(r->structure, "list")) CU_ASSERT(r->array == MC_RESULT_ARRAY_NONE && r->heap == gc);
  }
  mc_h5_results_free(&res);
  remove(path);
}

/* A /throughput written before rows carried their kind and comparison: the reader derives them
 * (bench_alloc's rows, structure alloc, measured one allocation, the others a structure's
 * operations; the comparison a workload's name declares, <base>_vs_<other>). */
static hid_t old_tput_type(void) {
  hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(mc_result_tput));
  const struct {
    const char *name;
    size_t off, size; /* size > 0: a string */
    hid_t num;
  } f[] = {{"name", offsetof(mc_result_tput, name), sizeof((mc_result_tput *)0)->name, 0},
           {"structure", offsetof(mc_result_tput, structure), MC_RESULT_NAME, 0},
           {"workload", offsetof(mc_result_tput, workload), MC_RESULT_NAME, 0},
           {"allocator", offsetof(mc_result_tput, allocator), MC_RESULT_NAME, 0},
           {"n", offsetof(mc_result_tput, n), 0, H5T_NATIVE_UINT64},
           {"rep", offsetof(mc_result_tput, rep), 0, H5T_NATIVE_UINT32},
           {"iterations", offsetof(mc_result_tput, iterations), 0, H5T_NATIVE_UINT64},
           {"real_ns", offsetof(mc_result_tput, real_ns), 0, H5T_NATIVE_DOUBLE},
           {"cpu_ns", offsetof(mc_result_tput, cpu_ns), 0, H5T_NATIVE_DOUBLE},
           {"items_per_s", offsetof(mc_result_tput, items_per_s), 0, H5T_NATIVE_DOUBLE},
           {"bytes_per_s", offsetof(mc_result_tput, bytes_per_s), 0, H5T_NATIVE_DOUBLE},
           {"max_bytes_used", offsetof(mc_result_tput, max_bytes_used), 0, H5T_NATIVE_DOUBLE},
           {"allocs_per_iter", offsetof(mc_result_tput, allocs_per_iter), 0, H5T_NATIVE_DOUBLE}};
  for (size_t i = 0; i < sizeof f / sizeof *f; i++) {
    hid_t ft = f[i].num;
    if (f[i].size) ft = H5Tcopy(H5T_C_S1), H5Tset_size(ft, f[i].size);
    H5Tinsert(t, f[i].name, f[i].off, ft);
    if (f[i].size) H5Tclose(ft);
  }
  return t;
}

static void test_h5_tput_kind_derived(void) {
  char path[256], err[200];
  mc_test_path(path, sizeof path, "oldtput.h5");
  mc_result_meta m = meta();
  m.schema_version = 4;
  mc_h5_writer *w;
  CU_ASSERT_FATAL(mc_h5_create(&w, path, &m, err, sizeof err) == MC_OK);
  CU_ASSERT_FATAL(mc_h5_close(w, 1) == MC_OK);
  mc_result_tput rows[2];
  memset(rows, 0, sizeof rows);
  snprintf(rows[0].structure, MC_RESULT_NAME, "alloc");
  snprintf(rows[1].structure, MC_RESULT_NAME, "ndarray");
  snprintf(rows[1].workload, MC_RESULT_NAME, "sum_vs_boxed");
  rows[0].kind = rows[1].kind = 7; /* not written: the old type has no such member */
  hid_t f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
  CU_ASSERT_FATAL(f >= 0);
  CU_ASSERT(H5Ldelete(f, "throughput", H5P_DEFAULT) >= 0);
  hsize_t dim = 2;
  hid_t t = old_tput_type(), sp = H5Screate_simple(1, &dim, NULL);
  hid_t d = H5Dcreate2(f, "throughput", t, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  CU_ASSERT(d >= 0 && H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows) >= 0);
  H5Dclose(d), H5Sclose(sp), H5Tclose(t), H5Fclose(f);
  mc_results res;
  CU_ASSERT_FATAL(mc_h5_read(path, &res, err, sizeof err) == MC_OK);
  CU_ASSERT_FATAL(res.ntput == 2);
  CU_ASSERT(res.tput[0].kind == MC_RESULT_TPUT_ALLOCATION);
  CU_ASSERT(res.tput[1].kind == MC_RESULT_TPUT_OPS);
  /* the comparison its name declares, as the import files it */
  CU_ASSERT_STRING_EQUAL(res.tput[1].vs_structure, "boxed");
  CU_ASSERT_STRING_EQUAL(res.tput[1].vs_workload, "sum");
  CU_ASSERT(!res.tput[0].vs_structure[0]);
  mc_h5_results_free(&res);
  remove(path);
}

/* The one UTF-8 check: sequences by RFC 3629, bounded by the bytes available; controls only
 * matter when printable is asked for. */
static void test_utf8(void) {
  const unsigned char ok[] = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80", tab[] = "a\tb";
  CU_ASSERT(mc_utf8_valid(ok, sizeof ok - 1, 1));
  CU_ASSERT(mc_utf8_len(ok + 1, 2) == 2 && mc_utf8_len(ok + 3, 3) == 3 &&
            mc_utf8_len(ok + 6, 4) == 4);
  CU_ASSERT(mc_utf8_len(ok + 3, 2) == 0);                                     /* cut short */
  CU_ASSERT(!mc_utf8_valid((const unsigned char *)"\xC0\x80", 2, 0));         /* overlong */
  CU_ASSERT(!mc_utf8_valid((const unsigned char *)"\xED\xA0\x80", 3, 0));     /* surrogate */
  CU_ASSERT(!mc_utf8_valid((const unsigned char *)"\xF4\x90\x80\x80", 4, 0)); /* > U+10FFFF */
  CU_ASSERT(mc_utf8_valid(tab, 3, 0) && !mc_utf8_valid(tab, 3, 1));
}

static int add_suites(void) {
  static CU_TestInfo tests[] = {
      {"test_h5_roundtrip", test_h5_roundtrip},
      {"test_h5_partial_readable", test_h5_partial_readable},
      {"test_h5_paced_sync", test_h5_paced_sync},
      {"test_h5_bad_input", test_h5_bad_input},
      {"test_h5_reads_schema2", test_h5_reads_schema2},
      {"test_h5_later_facts_derived", test_h5_later_facts_derived},
      {"test_h5_tput_kind_derived", test_h5_tput_kind_derived},
      {"test_utf8", test_utf8},
      CU_TEST_INFO_NULL,
  };
  return mc_test_add_suite("h5", tests);
}

int main(void) { return mc_test_main(add_suites); }
