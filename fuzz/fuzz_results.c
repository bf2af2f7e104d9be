/* fuzz_results.c — libFuzzer target: the results-file reader mc_h5_read on hostile files.
 *
 * Two modes, chosen by the first input byte:
 *  - raw (even): the rest of the input is the file's bytes, written to a private temp file;
 *    mutations of the committed seeds (real results files) give truncated and corrupt files.
 *  - structured (odd): the input is a program. A valid file is written with the real writer
 *    (mc_h5_create / add_run / add_tput / close, 0..3 runs with curves and events from the
 *    input), then reopened with the HDF5 API and damaged where the reader must cope: links
 *    deleted, attributes replaced by ones of another type, size or shape (arrays, variable-length
 *    strings), datasets replaced by 2-d or wrongly typed ones, groups where datasets should be,
 *    schema versions from the future, foreign objects; and the structural attacks of issue 17:
 *    external links (to a FIFO: a reader that followed one would hang, which libFuzzer reports
 *    as a timeout), soft links, external storage, phantom extents (datasets declared with up to
 *    hundreds of millions of rows and never written, or grown past what is stored), and names
 *    carrying control characters, newlines, quotes and invalid UTF-8, up to 3 000 distinct
 *    throughput names. HDF5's own byte-level parser is not the target here; our reader's
 *    assumptions about a well-formed HDF5 file are.
 * Oracle: mc_h5_read never crashes (ASan/UBSan watch every buffer) and returns MC_OK, MC_EIO,
 * MC_EFORMAT or MC_ENOMEM; on failure *out is zeroed and err holds one non-empty line; on an
 * undamaged structured file it returns MC_OK with exactly the runs and rows written; every text
 * it returns is printable UTF-8 (no control character, no invalid byte). */
#define _GNU_SOURCE
#include <hdf5.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz_input.h"
#include "mc_error.h"
#include "mc_h5.h"
#include "mc_utf8.h"

/* HDF5 1.10 leaks some of its own metadata when it gives up on a corrupt file (seen with
 * blocks allocated and lost entirely inside libhdf5, the same with and without our reader's
 * checks). Leaks whose stack passes through libhdf5 are not ours to fix; the reader's own
 * buffers are malloc'd from frames outside it. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) { return "leak:libhdf5_serial.so\n"; }

static char path[64]; /* this process's temp file, e.g. /tmp/fuzz_results.1234.h5 */
static char fifo[64]; /* a FIFO nobody writes: following a link to it would block forever */

/* 1 if s (NUL-terminated within size) is printable UTF-8. */
static int printable(const char *s, size_t size) {
  size_t n = strnlen(s, size);
  CHECK(n < size);
  return mc_utf8_valid((const unsigned char *)s, n, 1);
}

static void read_and_check(int expect_ok, size_t nruns, size_t nsummary, size_t ntput) {
  mc_results r;
  char err[256] = "";
  memset(&r, 0xA5, sizeof r); /* the reader must zero it */
  int rc = mc_h5_read(path, &r, err, sizeof err);
  if (rc != MC_OK) {
    CHECK(rc == MC_EIO || rc == MC_EFORMAT || rc == MC_ENOMEM);
    CHECK(err[0] != '\0' && strchr(err, '\n') == NULL);
    CHECK(r.runs == NULL && r.nruns == 0 && r.summary == NULL && r.tput == NULL);
    CHECK(!expect_ok);
    return;
  }
  for (size_t i = 0; i < r.nruns; i++) { /* touch everything: ASan checks the sizes */
    const mc_result_run *run = &r.runs[i];
    CHECK(printable(run->structure, sizeof run->structure));
    CHECK(printable(run->workload, sizeof run->workload));
    CHECK(printable(run->allocator, sizeof run->allocator));
    CHECK(printable(run->status, sizeof run->status));
    uint64_t sum = 0;
    for (size_t k = 0; k < run->ncurve; k++) sum += run->curve[k].footprint;
    for (size_t k = 0; k < run->nevents; k++) sum += run->events[k].bytes_after;
    (void)sum;
  }
  for (size_t i = 0; i < r.nsummary; i++) {
    CHECK(printable(r.summary[i].status, MC_RESULT_STATUS));
    CHECK(printable(r.summary[i].structure, MC_RESULT_NAME));
    CHECK(printable(r.summary[i].allocator, MC_RESULT_NAME));
  }
  for (size_t i = 0; i < r.ntput; i++) {
    CHECK(printable(r.tput[i].name, sizeof r.tput[i].name));
    CHECK(printable(r.tput[i].allocator, MC_RESULT_NAME));
  }
  CHECK(printable(r.meta.host, sizeof r.meta.host));
  CHECK(printable(r.meta.command_line, sizeof r.meta.command_line));
  if (expect_ok) {
    CHECK(r.nruns == nruns);
    CHECK(r.nsummary == nsummary);
    CHECK(r.ntput == ntput);
    CHECK(r.meta.schema_version == MC_H5_SCHEMA);
  }
  mc_h5_results_free(&r);
}

/* ---- structured mode -------------------------------------------------------------------- */

static const char *names[] = {"list",      "pq",          "ndarray",   "a/b",
                              ".",         "x y",         "",          "esc\x1b[2J",
                              "nl\n1 2 3", "bad\xff\xfe", "q'' \"\\@", "cr\rbel\a"};
#define NNAMES (sizeof names / sizeof *names)

static size_t write_valid(input *in, size_t *nsummary, size_t *ntput) {
  mc_result_meta meta;
  memset(&meta, 0, sizeof meta);
  meta.schema_version = MC_H5_SCHEMA;
  snprintf(meta.host, sizeof meta.host, "%s", names[take8(in) % NNAMES]);
  mc_h5_writer *w;
  char err[256];
  char final[64];
  snprintf(final, sizeof final, "%s", path);
  CHECK(mc_h5_create(&w, final, &meta, err, sizeof err) == MC_OK);
  size_t nruns = take8(in) % 4;
  *nsummary = 0;
  size_t written = 0;
  for (size_t i = 0; i < nruns; i++) {
    mc_result_run run;
    memset(&run, 0, sizeof run);
    snprintf(run.structure, sizeof run.structure, "%s", names[take8(in) % NNAMES]);
    snprintf(run.workload, sizeof run.workload, "fill");
    snprintf(run.allocator, sizeof run.allocator, "%s", names[take8(in) % NNAMES]);
    run.n = take8(in) * 1000u + i; /* distinct groups */
    run.ok = 1;
    snprintf(run.status, sizeof run.status, "ok");
    mc_result_point pts[8];
    mc_result_event evs[4];
    memset(pts, 0, sizeof pts);
    memset(evs, 0, sizeof evs);
    run.ncurve = take8(in) % 9;
    run.nevents = take8(in) % 5;
    for (size_t k = 0; k < run.ncurve; k++) pts[k].ops = k, pts[k].footprint = take8(in);
    run.curve = pts;
    run.events = evs;
    mc_result_summary row;
    memset(&row, 0, sizeof row);
    memcpy(row.structure, run.structure, MC_RESULT_NAME);
    int rc = mc_h5_add_run(w, &run, &row, 1);
    if (rc == MC_OK) {
      written++;
      (*nsummary)++;
    }
  }
  /* throughput rows: a few hostile names, or (rarely) 3 000 distinct ones */
  unsigned k = take8(in);
  size_t nt = k == 255 ? 3000 : k % 4;
  mc_result_tput *rows = calloc(nt ? nt : 1, sizeof *rows);
  CHECK(rows != NULL);
  for (size_t i = 0; i < nt; i++) {
    snprintf(rows[i].name, sizeof rows[i].name, "s%zu/w/%s/%zu", i, names[take8(in) % NNAMES], i);
    snprintf(rows[i].allocator, MC_RESULT_NAME, "%s%zu", names[(i + k) % NNAMES], i);
    rows[i].n = i;
  }
  *ntput = mc_h5_add_tput(w, rows, nt, NULL, NULL) == MC_OK ? nt : 0;
  free(rows);
  CHECK(mc_h5_close(w, 1) == MC_OK);
  return written;
}

/* Replaces attribute name on obj by one of a hostile type or shape. */
static void bad_attr(hid_t obj, const char *name, unsigned how) {
  if (H5Aexists(obj, name) > 0) H5Adelete(obj, name);
  hsize_t dims[2] = {1 + (how >> 3) % 64, 3};
  hid_t sp = (how & 4) ? H5Screate_simple(1 + ((how >> 2) & 1), dims, NULL) : H5Screate(H5S_SCALAR);
  hid_t t;
  switch (how & 3) {
  case 0: t = H5Tcopy(H5T_NATIVE_DOUBLE); break;
  case 1:
    t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    break;
  case 2:
    t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, 1 + (how >> 2) * 37);
    break;
  default: t = H5Tcopy(H5T_NATIVE_INT64); break;
  }
  hid_t a = H5Acreate2(obj, name, t, sp, H5P_DEFAULT, H5P_DEFAULT);
  if (a >= 0) {
    size_t bytes = H5Tis_variable_str(t) > 0 ? sizeof(char *) : H5Tget_size(t);
    size_t n = (size_t)H5Sget_simple_extent_npoints(sp);
    char *buf = calloc(n, bytes);
    if (buf && H5Tis_variable_str(t) > 0)
      for (size_t i = 0; i < n; i++) ((const char **)(void *)buf)[i] = "hostile";
    else if (buf && H5Tget_class(t) == H5T_STRING)
      memset(buf, 'Z', n * bytes);
    else if (buf)
      memset(buf, 0x7f, n * bytes);
    if (buf) H5Awrite(a, t, buf);
    free(buf);
    H5Aclose(a);
  }
  H5Tclose(t);
  H5Sclose(sp);
}

/* Replaces dataset name in loc by a hostile one (2-d, scalar, wrong type, or a group). */
static void bad_dataset(hid_t loc, const char *name, unsigned how) {
  if (H5Lexists(loc, name, H5P_DEFAULT) > 0) H5Ldelete(loc, name, H5P_DEFAULT);
  if ((how & 3) == 3) {
    hid_t g = H5Gcreate2(loc, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (g >= 0) H5Gclose(g);
    return;
  }
  hsize_t dims[2] = {(how >> 2) % 50, 2};
  hid_t sp =
      (how & 3) == 0 ? H5Screate(H5S_SCALAR) : H5Screate_simple((how & 3) == 1 ? 2 : 1, dims, NULL);
  hid_t t = (how & 16) ? H5Tcopy(H5T_NATIVE_INT8) : H5Tcopy(H5T_NATIVE_DOUBLE);
  hid_t d = H5Dcreate2(loc, name, t, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  if (d >= 0) H5Dclose(d);
  H5Tclose(t);
  H5Sclose(sp);
}

/* Creates dataset name of f (type t, space sp, creation list pl, never filled) in place of the
 * table removed before, and closes all three. */
static void recreate(hid_t f, const char *name, hid_t t, hid_t sp, hid_t pl) {
  H5Pset_fill_time(pl, H5D_FILL_TIME_NEVER);
  hid_t d = H5Dcreate2(f, name, t, sp, H5P_DEFAULT, pl, H5P_DEFAULT);
  if (d >= 0) H5Dclose(d);
  H5Pclose(pl);
  H5Sclose(sp);
  H5Tclose(t);
}

/* Replaces table name of f by one of the same type declared with a huge extent and never
 * written (chunked, deflated or not, or contiguous), or grows the real one past what it stores. */
static void phantom(hid_t f, const char *name, unsigned how, unsigned size) {
  hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
  if (d < 0) return;
  hsize_t rows = 1000 + (hsize_t)size * size * 4099u; /* up to about 266 million */
  if ((how & 3) == 3) {                               /* grown in place */
    H5Dset_extent(d, &rows);
    H5Dclose(d);
    return;
  }
  hid_t t = H5Dget_type(d);
  H5Dclose(d);
  H5Ldelete(f, name, H5P_DEFAULT);
  hsize_t maxd = H5S_UNLIMITED, chunk = 64;
  hid_t sp = H5Screate_simple(1, &rows, (how & 3) == 2 ? NULL : &maxd);
  hid_t pl = H5Pcreate(H5P_DATASET_CREATE);
  if ((how & 3) != 2) H5Pset_chunk(pl, 1, &chunk);
  if ((how & 3) == 1) H5Pset_deflate(pl, 4);
  recreate(f, name, t, sp, pl);
}

/* Replaces table name of f by one of the same type whose data is in the FIFO. */
static void external_storage(hid_t f, const char *name) {
  hid_t d = H5Dopen2(f, name, H5P_DEFAULT);
  if (d < 0) return;
  hid_t t = H5Dget_type(d);
  H5Dclose(d);
  H5Ldelete(f, name, H5P_DEFAULT);
  hsize_t rows = 3;
  hid_t sp = H5Screate_simple(1, &rows, NULL);
  hid_t pl = H5Pcreate(H5P_DATASET_CREATE);
  H5Pset_external(pl, fifo, 0, H5F_UNLIMITED);
  recreate(f, name, t, sp, pl);
}

/* Finds the first run group (depth 4 under /runs), or -1. */
static hid_t first_run(hid_t f) {
  hid_t g = H5Gopen2(f, "runs", H5P_DEFAULT);
  for (int depth = 0; g >= 0 && depth < 4; depth++) {
    char name[256];
    if (H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, 0, name, sizeof name, H5P_DEFAULT) <
        0) {
      H5Gclose(g);
      return -1;
    }
    hid_t c = H5Gopen2(g, name, H5P_DEFAULT);
    H5Gclose(g);
    g = c;
  }
  return g;
}

static const char *root_attrs[] = {"schema_version", "host", "command_line", "created_utc"};
static const char *run_attrs[] = {"structure",   "n",    "status",    "ok",
                                  "repetitions", "seed", "provenance"};

static int damage(input *in) {
  hid_t f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
  CHECK(f >= 0);
  int damaged = 0;
  unsigned nops = take8(in) % 4;
  for (unsigned i = 0; i < nops; i++) {
    unsigned op = take8(in), arg = take8(in);
    hid_t run = -1;
    switch (op % 12) {
    case 0: bad_attr(f, root_attrs[arg % 4], op >> 3); break;
    case 1: { /* a newer (or nonsensical) schema */
      int32_t v = (arg & 1) ? MC_H5_SCHEMA + 1 + (arg >> 1) : -(int32_t)arg;
      hid_t a = H5Aopen(f, "schema_version", H5P_DEFAULT);
      if (a < 0) break;
      /* an earlier op may have made it an array or a string: write only into one integer */
      hid_t sp = H5Aget_space(a), t = H5Aget_type(a);
      if (H5Sget_simple_extent_npoints(sp) == 1 && H5Tget_class(t) == H5T_INTEGER)
        H5Awrite(a, H5T_NATIVE_INT32, &v);
      H5Tclose(t);
      H5Sclose(sp);
      H5Aclose(a);
      break;
    }
    case 2: {
      static const char *const tables[] = {"summary", "throughput", "provenance"};
      bad_dataset(f, tables[arg % 3], op >> 3);
      break;
    }
    case 3: H5Ldelete(f, (arg & 1) ? "runs" : "summary", H5P_DEFAULT); break;
    case 4:
      if ((run = first_run(f)) >= 0)
        bad_attr(run, run_attrs[arg % (sizeof run_attrs / sizeof *run_attrs)], op >> 3);
      break;
    case 5:
      if ((run = first_run(f)) >= 0) bad_dataset(run, (arg & 1) ? "curve" : "events", op >> 3);
      break;
    case 6: { /* a dataset or a too-shallow group where the walk expects groups */
      hid_t g = H5Gopen2(f, "runs", H5P_DEFAULT);
      if (g >= 0) bad_dataset(g, (arg & 1) ? "stray" : "list", op >> 3), H5Gclose(g);
      break;
    }
    case 8: { /* an external link (to a FIFO, or to this very file) where data is expected */
      const char *where = (arg & 1) ? "summary" : "throughput";
      hid_t loc = f;
      if ((arg & 4) && (run = first_run(f)) >= 0) loc = run, where = (arg & 1) ? "curve" : "events";
      if (H5Lexists(loc, where, H5P_DEFAULT) > 0) H5Ldelete(loc, where, H5P_DEFAULT);
      H5Lcreate_external((arg & 2) ? fifo : path, "/summary", loc, where, H5P_DEFAULT, H5P_DEFAULT);
      break;
    }
    case 9: /* a phantom extent: declared, never written */
      phantom(f, (arg & 1) ? "summary" : "throughput", op >> 4, arg >> 1);
      break;
    case 10: /* data kept in another file: external storage */
      external_storage(f, (arg & 1) ? "summary" : "throughput");
      break;
    default: { /* a dangling soft link */
      hid_t g = H5Gopen2(f, "runs", H5P_DEFAULT);
      if (g >= 0) H5Lcreate_soft("/nowhere", g, "dangling", H5P_DEFAULT, H5P_DEFAULT), H5Gclose(g);
      break;
    }
    }
    if (run >= 0) H5Gclose(run);
    damaged = 1;
  }
  H5Fclose(f);
  return damaged;
}

/* Raw byte mutations also reach HDF5 1.10's own object-header and B-tree parsers, which crash
 * on some corrupt bytes before our reader sees anything (no caller can prevent that; the
 * memcurve commands read a file in a child first, see mc_cli_read). MC_FUZZ_RAW=0 turns raw
 * mode off: CI's short run does that after replaying the committed raw seeds; `make fuzz`
 * keeps it on, and its HDF5 findings are triaged by hand. */
static int raw_enabled(void) {
  const char *e = getenv("MC_FUZZ_RAW");
  return !e || strcmp(e, "0") != 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!path[0]) {
    snprintf(path, sizeof path, "/tmp/fuzz_results.%d.h5", (int)getpid());
    snprintf(fifo, sizeof fifo, "/tmp/fuzz_results.%d.fifo", (int)getpid());
    unlink(fifo);
    CHECK(mkfifo(fifo, 0600) == 0);
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
  }
  input in = {data, size};
  unsigned mode = take8(&in);
  if (mode & 1) {
    size_t nsummary, ntput;
    size_t nruns = write_valid(&in, &nsummary, &ntput);
    int damaged = damage(&in);
    read_and_check(!damaged, nruns, nsummary, ntput);
  } else if (raw_enabled()) {
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    CHECK(fwrite(in.p, 1, in.n, f) == in.n);
    CHECK(fclose(f) == 0);
    read_and_check(0, 0, 0, 0);
  }
  unlink(path);
  return 0;
}
