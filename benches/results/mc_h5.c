/* mc_h5.c — the results file (schema in mc_h5.h), written by the harness's parent process and
 * read back whole by info/compare/merge/plot/report.
 *
 * Every table is a compound dataset whose memory type is built here field by field with
 * HOFFSET, so reading converts by field NAME: a file written by another build (other padding,
 * other field order) still reads, and a missing field is an MC_EFORMAT, not garbage.
 * /summary and /throughput are created empty, chunked and unlimited, and grow by hyperslab
 * appends; each run's curve is chunked (up to 1024 rows) and deflated (level 4). Strings are
 * fixed-length, NUL-terminated, so h5py reads them as bytes and pandas as objects.
 * Durability: the file is built in memory (HDF5's core driver, no backing store) and after
 * a run its whole image is written to <path>.partial.tmp and renamed over <path>.partial.
 * A rename is atomic, so the .partial on disk is always a complete file holding every run
 * of its snapshot, whatever stops the process: SIGINT, a kill, a full disk or RLIMIT_FSIZE (a
 * failed snapshot leaves the previous one). mc_h5_close(w, 1) snapshots to the .partial and
 * renames that to <path>.
 * A snapshot is one sequential write of the whole file: after every run by default, or paced
 * (mc_h5_writer_pace: `run` snapshots once the time since the last snapshot is `factor` times
 * what that snapshot took, once the file is at least `from_bytes`, so snapshots cost at most
 * ~1/factor of the sweep — a snapshot after
 * each of the default suite's 790 runs, of a file growing to 11 MB, took ~10 s of the parent's
 * CPU and wrote ~4 GB) with mc_h5_sync writing
 * the runs not yet snapshotted when the caller stops (an interrupt, an error); only a process
 * killed outright loses the runs since the last snapshot (about factor x one write: well under
 * a second for an 11 MB file). A batch writer (merge: nothing to lose between runs) writes once, at
 * close, so merging is linear in its input. The snapshot's temporary file has a short name of its
 * own, and the .partial of a long output name is shortened (mc_io_partial_path): any valid output
 * name works. One writer per output: mc_h5_create takes an advisory lock (mc_io_lock) held until
 * close, and refuses to replace anything but a regular file (mc_io_output_ok). HDF5's automatic
 * error stack printing is switched off on every entry point (H5Eset_auto2): the library never
 * prints, callers get an MC_E* code and a one-line reason.
 */
#define _POSIX_C_SOURCE 200809L
#include "mc_h5.h"

#include <errno.h>
#include <fcntl.h>
#include <hdf5.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mc_error.h"
#include "mc_gbjson.h"
#include "mc_h5_fields.h"
#include "mc_h5_safe.h"
#include "mc_h5_storage.h"
#include "mc_io.h"
#include "mc_prov.h"

#define CHUNK_ROWS 1024
#define DEFLATE_LEVEL 4

struct mc_h5_writer {
  hid_t file;
  hid_t summary;         /* /summary dataset */
  hid_t tput;            /* /throughput dataset */
  char *path;            /* final path */
  char *partial;         /* path.partial: the latest complete snapshot */
  char *tmp;             /* path.partial.tmp: a snapshot being written */
  unsigned char *img;    /* the file's image, kept between snapshots (it only grows) */
  size_t imgcap;         /* bytes allocated at img */
  int lockfd;            /* the output's writer lock (mc_io_lock), -1 if none */
  int batch;             /* 1: no snapshot per run, one write at close (mc_h5_writer_batch) */
  double pace;           /* 0: snapshot after every change; else mc_h5_writer_pace's factor */
  double snap_end;       /* monotonic seconds when the last snapshot to .partial ended */
  double snap_cost;      /* seconds that snapshot took */
  size_t snap_size;      /* bytes that snapshot wrote */
  size_t pace_from;      /* files smaller than this are snapshotted after every change */
  size_t nruns, nsaved;  /* runs added; runs in the .partial on disk */
  int dirty;             /* changes not in the .partial yet */
  hid_t provd;           /* /provenance dataset */
  mc_result_prov self;   /* this process's provenance: runs with prov NULL */
  uint64_t *provhash;    /* the hash of each /provenance row written (nprov) */
  mc_result_prov *provs; /* the rows themselves (nprov, capacity capprov) */
  size_t nprov, capprov;
  const mc_result_prov *lastsrc; /* the last run's prov pointer and its row: a merge's runs */
  int32_t lastrow;               /* come file by file, so most lookups end here */
};

static void quiet(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

static void seterr(char *err, size_t errlen, const char *fmt, ...) {
  if (!err || errlen == 0) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
}

/* ---- types ------------------------------------------------------------------------------- */

static hid_t str_type(size_t size) {
  hid_t t = H5Tcopy(H5T_C_S1);
  H5Tset_size(t, size);
  H5Tset_strpad(t, H5T_STR_NULLTERM);
  return t;
}

static hid_t point_type(void) { return mc__h5_type(&mc__h5_point_rec); }
static hid_t event_type(void) { return mc__h5_type(&mc__h5_event_rec); }
static hid_t summary_type(void) { return mc__h5_type(&mc__h5_summary_rec); }
static hid_t tput_type(void) { return mc__h5_type(&mc__h5_tput_rec); }
static hid_t prov_type(void) { return mc__h5_type(&mc__h5_prov_rec); }

/* ---- attributes -------------------------------------------------------------------------- */

static int attr_write(hid_t obj, const char *name, hid_t type, const void *value) {
  hid_t sp = H5Screate(H5S_SCALAR);
  hid_t a = H5Acreate2(obj, name, type, sp, H5P_DEFAULT, H5P_DEFAULT);
  herr_t e = a < 0 ? -1 : H5Awrite(a, type, value);
  if (a >= 0) H5Aclose(a);
  H5Sclose(sp);
  return e < 0 ? MC_EIO : MC_OK;
}

static int attr_str(hid_t obj, const char *name, const char *value) {
  hid_t t = str_type(strlen(value) + 1);
  int rc = attr_write(obj, name, t, value);
  H5Tclose(t);
  return rc;
}

static int attr_u64(hid_t obj, const char *name, uint64_t v) {
  return attr_write(obj, name, H5T_NATIVE_UINT64, &v);
}
static int attr_i32(hid_t obj, const char *name, int32_t v) {
  return attr_write(obj, name, H5T_NATIVE_INT32, &v);
}

/* Opens attribute `name` of obj if it holds exactly one element (scalar or 1-element simple
 * dataspace): a foreign file may store an array there, and H5Aread would then write every
 * element into a buffer sized for one. Returns the attribute, or a negative id. */
static hid_t attr_open_single(hid_t obj, const char *name) {
  hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
  if (a < 0) return a;
  hid_t sp = H5Aget_space(a);
  hssize_t npoints = sp < 0 ? -1 : H5Sget_simple_extent_npoints(sp);
  if (sp >= 0) H5Sclose(sp);
  if (npoints != 1) {
    H5Aclose(a);
    return -1;
  }
  return a;
}

/* Reads a string attribute (any fixed length) into buf (size bytes, always NUL-terminated). */
static int attr_get_str(hid_t obj, const char *name, char *buf, size_t size) {
  buf[0] = '\0';
  hid_t a = attr_open_single(obj, name);
  if (a < 0) return MC_EFORMAT;
  hid_t ft = H5Aget_type(a);
  int rc = MC_EFORMAT;
  /* a declared size is not trusted: every string read here fits in 1 MiB (the buffers hold
   * at most a few KB) */
  if (H5Tget_class(ft) == H5T_STRING && !H5Tis_variable_str(ft) && H5Tget_size(ft) <= (1u << 20)) {
    size_t len = H5Tget_size(ft);
    char *tmp = calloc(1, len + 1);
    hid_t mt = str_type(len + 1);
    if (tmp && H5Aread(a, mt, tmp) >= 0) {
      snprintf(buf, size, "%s", tmp);
      rc = MC_OK;
    }
    H5Tclose(mt);
    free(tmp);
  }
  H5Tclose(ft);
  H5Aclose(a);
  return rc;
}

/* Reads a one-element numeric attribute into out, converted to memtype. */
static int attr_get(hid_t obj, const char *name, hid_t memtype, void *out) {
  hid_t a = attr_open_single(obj, name);
  if (a < 0) return MC_EFORMAT;
  herr_t e = H5Aread(a, memtype, out);
  H5Aclose(a);
  return e < 0 ? MC_EFORMAT : MC_OK;
}

/* The units of dataset d from its record's field table: `<field>_units` for every field that
 * has one, and with units_array a `units` attribute, one fixed-length string per field. */
static int attr_units(hid_t d, const mc__h5_record *rec) {
  int rc = MC_OK;
  if (rec->units_array) {
    char buf[16][16];
    memset(buf, 0, sizeof buf);
    for (size_t i = 0; i < rec->nfields && i < 16; i++)
      snprintf(buf[i], sizeof buf[i], "%s", rec->fields[i].units ? rec->fields[i].units : "");
    hsize_t dim = rec->nfields;
    hid_t sp = H5Screate_simple(1, &dim, NULL);
    hid_t t = str_type(16);
    hid_t a = H5Acreate2(d, "units", t, sp, H5P_DEFAULT, H5P_DEFAULT);
    herr_t e = a < 0 ? -1 : H5Awrite(a, t, buf);
    if (a >= 0) H5Aclose(a);
    H5Tclose(t);
    H5Sclose(sp);
    rc = e < 0 ? MC_EIO : MC_OK;
  }
  char name[64];
  for (size_t i = 0; !rc && i < rec->nfields; i++) {
    if (!rec->fields[i].units) continue;
    snprintf(name, sizeof name, "%s_units", rec->fields[i].name);
    rc = attr_str(d, name, rec->fields[i].units);
  }
  return rc;
}

/* ---- datasets ---------------------------------------------------------------------------- */

/* Creates a 1-d chunked (deflated if deflate) dataset of n rows of type t at loc/name. */
static hid_t table_create(hid_t loc, const char *name, hid_t t, hsize_t n, int deflate) {
  hsize_t maxdim = H5S_UNLIMITED;
  hsize_t chunk = n == 0 ? CHUNK_ROWS / 16 : (n < CHUNK_ROWS ? n : CHUNK_ROWS);
  hid_t sp = H5Screate_simple(1, &n, &maxdim);
  hid_t pl = H5Pcreate(H5P_DATASET_CREATE);
  H5Pset_chunk(pl, 1, &chunk);
  if (deflate) H5Pset_deflate(pl, DEFLATE_LEVEL);
  hid_t d = H5Dcreate2(loc, name, t, sp, H5P_DEFAULT, pl, H5P_DEFAULT);
  H5Pclose(pl);
  H5Sclose(sp);
  return d;
}

static int table_write_new(hid_t loc, const char *name, hid_t t, const void *rows, size_t n,
                           int deflate) {
  hid_t d = table_create(loc, name, t, n, deflate);
  if (d < 0) return MC_EIO;
  herr_t e = n ? H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows) : 0;
  H5Dclose(d);
  return e < 0 ? MC_EIO : MC_OK;
}

/* Appends n rows to the 1-d extendible dataset d. */
static int table_append(hid_t d, hid_t t, const void *rows, size_t n) {
  if (n == 0) return MC_OK;
  hid_t sp = H5Dget_space(d);
  hsize_t old;
  H5Sget_simple_extent_dims(sp, &old, NULL);
  H5Sclose(sp);
  hsize_t total = old + n, count = n;
  if (H5Dset_extent(d, &total) < 0) return MC_EIO;
  sp = H5Dget_space(d);
  hid_t ms = H5Screate_simple(1, &count, NULL);
  H5Sselect_hyperslab(sp, H5S_SELECT_SET, &old, NULL, &count, NULL);
  herr_t e = H5Dwrite(d, t, ms, sp, H5P_DEFAULT, rows);
  H5Sclose(ms);
  H5Sclose(sp);
  return e < 0 ? MC_EIO : MC_OK;
}

/* Reads the whole 1-d dataset loc/name of record rec into a fresh array (*out, *n). A missing
 * dataset is MC_EFORMAT; a missing field in the file's compound type fails the read
 * (MC_EFORMAT), except a field a later schema added (left zero: read_all fills it). */
static int table_read(hid_t loc, const char *name, const mc__h5_record *rec, void **out,
                      size_t *n) {
  size_t rowsize = rec->size;
  *out = NULL;
  *n = 0;
  if (H5Lexists(loc, name, H5P_DEFAULT) <= 0) return MC_EFORMAT;
  hid_t d = H5Dopen2(loc, name, H5P_DEFAULT);
  if (d < 0) return MC_EFORMAT;
  hid_t sp = H5Dget_space(d), ft = H5Dget_type(d);
  hid_t t = ft < 0 ? -1 : mc__h5_type_of(rec, ft);
  int rc = MC_EFORMAT;
  hssize_t cnt = sp < 0 ? -1 : H5Sget_simple_extent_npoints(sp);
  if (t >= 0 && cnt >= 0 && H5Sget_simple_extent_ndims(sp) == 1 &&
      (cnt == 0 || mc_h5_storage_sane(d, cnt, rowsize))) {
    void *buf = calloc(cnt ? (size_t)cnt : 1, rowsize);
    if (!buf) {
      rc = MC_ENOMEM;
    } else if (cnt == 0 || H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0) {
      *out = buf;
      *n = (size_t)cnt;
      rc = MC_OK;
    } else {
      free(buf);
    }
  }
  if (sp >= 0) H5Sclose(sp);
  if (t >= 0) H5Tclose(t);
  if (ft >= 0) H5Tclose(ft);
  H5Dclose(d);
  return rc;
}

/* ---- writing ----------------------------------------------------------------------------- */

static char *dupstr(const char *s) {
  size_t n = strlen(s) + 1;
  char *p = malloc(n);
  if (p) memcpy(p, s, n);
  return p;
}

/* The library versions a writer records: "hdf5 X.Y.Z; " (the HDF5 it links) before the
 * caller's text, unless that already starts with "hdf5 " (e.g. merge: the source's, kept). */
static void lib_versions(char *out, size_t size, const char *in) {
  if (strncmp(in, "hdf5 ", 5) == 0) {
    snprintf(out, size, "%s", in);
  } else {
    unsigned maj = 0, min = 0, rel = 0;
    H5get_libversion(&maj, &min, &rel);
    int k = snprintf(out, size, "hdf5 %u.%u.%u%s", maj, min, rel, in[0] ? "; " : "");
    if (k > 0 && (size_t)k < size) { /* then the caller's text, cut to what fits */
      size_t len = strnlen(in, size - (size_t)k - 1);
      memcpy(out + k, in, len);
      out[(size_t)k + len] = '\0';
    }
  }
}

static int write_meta(hid_t f, const mc_result_meta *m) {
  int rc = attr_i32(f, "schema_version", MC_H5_SCHEMA);
  if (!rc) rc = attr_str(f, "created_utc", m->created_utc);
  if (!rc) rc = attr_str(f, "host", m->host);
  if (!rc) rc = attr_str(f, "cpu", m->cpu);
  if (!rc) rc = attr_str(f, "compiler", m->compiler);
  if (!rc) rc = attr_str(f, "cflags", m->cflags);
  char versions[sizeof m->library_versions + 48];
  lib_versions(versions, sizeof versions, m->library_versions);
  if (!rc) rc = attr_str(f, "library_versions", versions);
  if (!rc) rc = attr_str(f, "command_line", m->command_line);
  if (!rc && m->schedule[0]) rc = attr_str(f, "schedule", m->schedule);
  if (!rc && m->glossary[0]) rc = attr_str(f, "glossary", m->glossary);
  return rc;
}

static int make_tables(mc_h5_writer *w) {
  hid_t st = summary_type(), tt = tput_type();
  w->summary = table_create(w->file, "summary", st, 0, 1);
  w->tput = table_create(w->file, "throughput", tt, 0, 1);
  hid_t pt = prov_type();
  w->provd = table_create(w->file, "provenance", pt, 0, 1);
  H5Tclose(pt);
  hid_t g1 = H5Gcreate2(w->file, "runs", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  hid_t g2 = H5Gcreate2(w->file, "gbench_json", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
  int rc = (w->summary < 0 || w->tput < 0 || w->provd < 0 || g1 < 0 || g2 < 0) ? MC_EIO : MC_OK;
  if (!rc) rc = attr_str(w->summary, "wall_ns_units", "ns");
  if (!rc) rc = attr_str(w->summary, "peak_rss_units", "bytes");
  if (!rc) rc = attr_str(w->summary, "peak_requested_units", "bytes");
  if (!rc) rc = attr_str(w->summary, "peak_footprint_units", "bytes");
  if (!rc) rc = attr_str(w->summary, "ops_per_s_units", "operations/s");
  if (!rc)
    rc = attr_units(w->summary, &mc__h5_summary_rec); /* the fields with units in the table */
  if (!rc) rc = attr_str(w->tput, "real_ns_units", "ns/iteration");
  if (!rc) rc = attr_str(w->tput, "cpu_ns_units", "ns/iteration");
  if (!rc) rc = attr_str(w->tput, "kind_values", "0=ops 1=allocation");
  if (g1 >= 0) H5Gclose(g1);
  if (g2 >= 0) H5Gclose(g2);
  H5Tclose(st);
  H5Tclose(tt);
  return rc;
}

static double mono_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Writes the in-memory file's image to w->tmp and renames it over `dest`; *written is the image's
 * bytes. On any failure the tmp file is removed and `dest` keeps its previous content. */
static int snapshot_image(mc_h5_writer *w, const char *dest, size_t *written) {
  if (H5Fflush(w->file, H5F_SCOPE_GLOBAL) < 0) return MC_EIO;
  ssize_t size = H5Fget_file_image(w->file, NULL, 0);
  if (size <= 0) return MC_EIO;
  if ((size_t)size > w->imgcap) {
    unsigned char *bigger = realloc(w->img, (size_t)size + (size_t)size / 4);
    if (!bigger) return MC_ENOMEM;
    w->img = bigger;
    w->imgcap = (size_t)size + (size_t)size / 4;
  }
  unsigned char *img = w->img;
  int rc = MC_EIO;
  if (H5Fget_file_image(w->file, img, (size_t)size) == size) {
    int fd = open(w->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd >= 0) {
      int ok = mc_write_all(fd, img, (size_t)size) == 0;
      ok = close(fd) == 0 && ok;
      if (ok && rename(w->tmp, dest) == 0) {
        rc = MC_OK;
        *written = (size_t)size;
      }
    }
    if (rc != MC_OK) unlink(w->tmp);
  }
  return rc;
}

/* snapshot_image; a snapshot to the .partial clears w->dirty and times itself (and notes its
 * size) for the pace. Returns MC_OK or MC_EIO. */
static int snapshot(mc_h5_writer *w, const char *dest) {
  double t0 = mono_s();
  size_t size = 0;
  int rc = snapshot_image(w, dest, &size);
  if (rc == MC_OK && dest == w->partial) {
    w->snap_size = size;
    w->snap_end = mono_s();
    w->snap_cost = w->snap_end - t0;
    w->nsaved = w->nruns;
    w->dirty = 0;
  }
  return rc;
}

/* After a change: marks the writer dirty and snapshots unless batched or paced (see the top). */
static int changed(mc_h5_writer *w) {
  w->dirty = 1;
  if (w->batch) return MC_OK;
  if (w->pace > 0 && w->snap_size >= w->pace_from &&
      mono_s() - w->snap_end < w->pace * w->snap_cost)
    return MC_OK;
  return snapshot(w, w->partial);
}

int mc_h5_create(mc_h5_writer **out, const char *path, const mc_result_meta *meta, char *err,
                 size_t errlen) {
  quiet();
  *out = NULL;
  mc_h5_writer *w = calloc(1, sizeof *w);
  if (!w) return MC_ENOMEM;
  w->file = w->summary = w->tput = w->provd = -1;
  w->lastrow = -1;
  mc_prov_self(&w->self, meta);
  char versions[sizeof meta->library_versions + 48];
  lib_versions(versions, sizeof versions, meta->library_versions);
  snprintf(w->self.library_versions, sizeof w->self.library_versions, "%.*s",
           (int)sizeof w->self.library_versions - 1, versions);
  w->lockfd = -1;
  size_t cap = strlen(path) + 64;
  w->path = dupstr(path);
  w->partial = malloc(cap);
  w->tmp = malloc(cap);
  if (!w->path || !w->partial || !w->tmp) {
    mc_h5_close(w, 0);
    return MC_ENOMEM;
  }
  if (mc_io_partial_path(path, w->partial, cap) || mc_io_tmp_path(path, w->tmp, cap)) {
    seterr(err, errlen, "output name too long: %s", path);
    mc_h5_close(w, 0);
    return MC_EINVAL;
  }
  if (mc_io_output_ok(path, err, errlen) || mc_io_output_ok(w->partial, err, errlen)) {
    mc_h5_close(w, 0);
    return MC_EINVAL;
  }
  if ((w->lockfd = mc_io_lock(path)) < 0) {
    int busy = errno == EWOULDBLOCK;
    int e = errno;
    if (busy)
      seterr(err, errlen, "another memcurve process is writing %s", path);
    else
      seterr(err, errlen, "cannot write beside %s: %s", path, strerror(e));
    mc_h5_close(w, 0);
    errno = e;
    return busy ? MC_ESTATE : MC_EIO;
  }
  /* in memory only (backing_store 0): the disk sees nothing but whole snapshots */
  hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
  if (fapl >= 0 && H5Pset_fapl_core(fapl, (size_t)1 << 20, 0) >= 0)
    w->file = H5Fcreate(w->partial, H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
  if (fapl >= 0) H5Pclose(fapl);
  if (w->file < 0) {
    seterr(err, errlen, "cannot create %s", w->partial);
    mc_h5_close(w, 0);
    return MC_EIO;
  }
  errno = 0;
  if (write_meta(w->file, meta) != MC_OK || make_tables(w) != MC_OK ||
      snapshot(w, w->partial) != MC_OK) {
    int e = errno;
    seterr(err, errlen, "cannot write %s: %s", w->partial, e ? strerror(e) : "HDF5 error");
    unlink(w->partial);
    mc_h5_close(w, 0);
    errno = e; /* the caller tells a full disk from a bad output */
    return MC_EIO;
  }
  *out = w;
  return MC_OK;
}

/* Copies a name into an HDF5 link name: '/' and '.'-only names would change the path. */
static void link_name(char *dst, size_t size, const char *src) {
  snprintf(dst, size, "%s", src[0] ? src : "_");
  for (char *p = dst; *p; p++)
    if (*p == '/') *p = '_';
  if (strcmp(dst, ".") == 0) dst[0] = '_';
}

/* The heap sweep's facts (its runs only: the limited ones and their references, limit 0). */
static int write_heap_facts(hid_t g, const mc_result_run *run) {
  int rc = attr_u64(g, "heap_limit", run->heap_limit);
  if (!rc) rc = attr_u64(g, "heap_min", run->heap_min);
  if (!rc) rc = attr_write(g, "heap_multiple", H5T_NATIVE_DOUBLE, &run->heap_multiple);
  return rc;
}

/* Reads the heap sweep's facts when present (else they stay 0). */
static int read_heap_facts(hid_t g, mc_result_run *run) {
  if (H5Aexists(g, "heap_limit") <= 0) return MC_OK;
  int rc = attr_get(g, "heap_limit", H5T_NATIVE_UINT64, &run->heap_limit);
  if (!rc) rc = attr_get(g, "heap_min", H5T_NATIVE_UINT64, &run->heap_min);
  if (!rc) rc = attr_get(g, "heap_multiple", H5T_NATIVE_DOUBLE, &run->heap_multiple);
  if (!rc && !(run->heap_multiple >= 0 && run->heap_multiple < 1e6)) rc = MC_EFORMAT;
  return rc;
}

/* The run attribute array's values, indexed by mc_result_array. */
static const char *const array_kinds[] = {"none", "unboxed", "boxed"};
#define NARRAY_KINDS (sizeof array_kinds / sizeof *array_kinds)

static int write_run_group(hid_t g, const mc_result_run *run) {
  int rc = attr_str(g, "structure", run->structure);
  if (!rc) rc = attr_str(g, "workload", run->workload);
  if (!rc) rc = attr_str(g, "allocator", run->allocator);
  if (!rc) rc = attr_u64(g, "n", run->n);
  if (!rc) rc = attr_u64(g, "seed", run->seed);
  if (!rc) rc = attr_write(g, "repetitions", H5T_NATIVE_UINT32, &run->repetitions);
  if (!rc) rc = attr_str(g, "status", run->status);
  if (!rc) rc = attr_i32(g, "ok", run->ok);
  if (!rc)
    rc = attr_str(g, "n_means", run->n_means == MC_RESULT_N_DEPTH ? "tree depth" : "elements");
  if (!rc) rc = attr_write(g, "heap", H5T_NATIVE_UINT32, &run->heap);
  if (!rc)
    rc = attr_str(g, "heap_values",
                  "1=managed 2=collected 4=outside 8=refcount 16=gc_off 32=saveall 64=traced");
  if (!rc) rc = attr_i32(g, "allocator_order", run->allocator_order);
  if (!rc && (run->array < 0 || run->array >= (int32_t)NARRAY_KINDS)) rc = MC_EINVAL;
  if (!rc) rc = attr_str(g, "array", array_kinds[run->array]);
  if (!rc) rc = attr_i32(g, "cyclic", run->cyclic);
  if (!rc) rc = attr_u64(g, "rss_baseline", run->rss_baseline);
  if (!rc) rc = attr_u64(g, "held_baseline", run->held_baseline);
  if (!rc && run->heap_min) rc = write_heap_facts(g, run);
  hid_t pt = point_type(), et = event_type();
  if (!rc) rc = table_write_new(g, "curve", pt, run->curve, run->ncurve, 1);
  if (!rc) rc = table_write_new(g, "events", et, run->events, run->nevents, 1);
  if (!rc) {
    hid_t d = H5Dopen2(g, "curve", H5P_DEFAULT);
    rc = d < 0 ? MC_EIO : attr_units(d, &mc__h5_point_rec);
    if (d >= 0) H5Dclose(d);
  }
  if (!rc) {
    hid_t d = H5Dopen2(g, "events", H5P_DEFAULT);
    rc = d < 0 ? MC_EIO : attr_str(d, "kind_values", "1=collect 2=reset 3=unwind 4=phase");
    if (!rc) rc = attr_units(d, &mc__h5_event_rec);
    if (d >= 0) H5Dclose(d);
  }
  H5Tclose(pt);
  H5Tclose(et);
  return rc;
}

/* The /provenance row holding p (appended if new); -1 on failure. */
static int32_t prov_row(mc_h5_writer *w, const mc_result_prov *src) {
  const mc_result_prov *p = src ? src : &w->self;
  /* the same pointer as the last run's and the same text: a freed source's address may come
   * back for another's rows */
  if (src && src == w->lastsrc && mc_prov_same(src, &w->provs[w->lastrow])) return w->lastrow;
  uint64_t h = mc_prov_hash(p);
  int32_t row = -1;
  for (size_t i = w->nprov; i-- > 0 && row < 0;) /* newest first: shards come in order */
    if (w->provhash[i] == h && mc_prov_same(&w->provs[i], p)) row = (int32_t)i;
  if (row < 0) {
    if (w->nprov == w->capprov) {
      size_t cap = w->capprov ? 2 * w->capprov : 8;
      uint64_t *nh = realloc(w->provhash, cap * sizeof *nh);
      if (nh) w->provhash = nh;
      mc_result_prov *np = nh ? realloc(w->provs, cap * sizeof *np) : NULL;
      if (!np) return -1;
      w->provs = np;
      w->capprov = cap;
    }
    hid_t t = prov_type();
    int rc = table_append(w->provd, t, p, 1);
    H5Tclose(t);
    if (rc) return -1;
    w->provs[w->nprov] = *p;
    w->provhash[w->nprov] = h;
    row = (int32_t)w->nprov++;
  }
  w->lastsrc = src;
  w->lastrow = row;
  return row;
}

int mc_h5_add_run(mc_h5_writer *w, const mc_result_run *run, const mc_result_summary *rows,
                  size_t nrows) {
  quiet();
  char s[MC_RESULT_NAME], wl[MC_RESULT_NAME], a[MC_RESULT_NAME], path[4 * MC_RESULT_NAME + 48];
  link_name(s, sizeof s, run->structure);
  link_name(wl, sizeof wl, run->workload);
  link_name(a, sizeof a, run->allocator);
  snprintf(path, sizeof path, "runs/%s/%s/%s/n%llu", s, wl, a, (unsigned long long)run->n);
  /* A run key appears once per file: a second write would be ambiguous. */
  hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
  H5Pset_create_intermediate_group(lcpl, 1);
  hid_t g = H5Gcreate2(w->file, path, lcpl, H5P_DEFAULT, H5P_DEFAULT);
  H5Pclose(lcpl);
  if (g < 0) return MC_EINVAL;
  int rc = write_run_group(g, run);
  int32_t prow = rc ? -1 : prov_row(w, run->prov);
  if (!rc) rc = prow < 0 ? MC_EIO : attr_i32(g, "provenance", prow);
  H5Gclose(g);
  hid_t st = summary_type();
  if (!rc) rc = table_append(w->summary, st, rows, nrows);
  H5Tclose(st);
  if (!rc) w->nruns++;
  if (!rc) rc = changed(w);
  return rc;
}

int mc_h5_add_summary(mc_h5_writer *w, const mc_result_summary *rows, size_t nrows) {
  quiet();
  hid_t st = summary_type();
  int rc = table_append(w->summary, st, rows, nrows);
  H5Tclose(st);
  if (!rc) rc = changed(w);
  return rc;
}

void mc_h5_writer_batch(mc_h5_writer *w, int on) { w->batch = on; }

void mc_h5_writer_pace(mc_h5_writer *w, double factor, size_t from_bytes) {
  w->pace = factor > 0 ? factor : 0;
  w->pace_from = from_bytes;
}

int mc_h5_sync(mc_h5_writer *w) {
  quiet();
  return w->dirty ? snapshot(w, w->partial) : MC_OK;
}

size_t mc_h5_writer_saved(const mc_h5_writer *w) { return w->nsaved; }

const char *mc_h5_writer_partial(const mc_h5_writer *w) { return w->partial; }

int mc_h5_add_tput(mc_h5_writer *w, const mc_result_tput *rows, size_t nrows, const char *tag,
                   const char *json) {
  quiet();
  hid_t tt = tput_type();
  int rc = table_append(w->tput, tt, rows, nrows);
  H5Tclose(tt);
  if (!rc && json) {
    char name[160];
    link_name(name, sizeof name, tag ? tag : "gbench");
    hid_t g = H5Gopen2(w->file, "gbench_json", H5P_DEFAULT);
    hid_t t = str_type(strlen(json) + 1);
    hid_t sp = H5Screate(H5S_SCALAR);
    hid_t d = g < 0 ? -1 : H5Dcreate2(g, name, t, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    rc = (d < 0 || H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, json) < 0) ? MC_EIO : MC_OK;
    if (d >= 0) H5Dclose(d);
    H5Sclose(sp);
    H5Tclose(t);
    if (g >= 0) H5Gclose(g);
  }
  if (!rc) rc = changed(w);
  return rc;
}

int mc_h5_close(mc_h5_writer *w, int commit) {
  if (!w) return MC_OK;
  quiet();
  int rc = MC_OK;
  if (w->summary >= 0) H5Dclose(w->summary);
  if (w->tput >= 0) H5Dclose(w->tput);
  if (w->provd >= 0) H5Dclose(w->provd);
  w->summary = w->tput = w->provd = -1;
  if (w->file >= 0 && commit) { /* the .partial made whole, then renamed: on any failure the */
    rc = w->dirty ? snapshot(w, w->partial) : MC_OK; /* .partial keeps every run */
    if (rc == MC_OK && rename(w->partial, w->path) != 0) rc = MC_EIO;
  }
  if (w->file >= 0 && H5Fclose(w->file) < 0 && rc == MC_OK) rc = MC_EIO;
  int e = errno;
  mc_io_unlock(w->path, w->lockfd);
  errno = e; /* the caller names a failed snapshot's reason */
  free(w->path);
  free(w->partial);
  free(w->tmp);
  free(w->img);
  free(w->provs);
  free(w->provhash);
  free(w);
  return rc;
}

void mc_h5_discard(mc_h5_writer *w) {
  if (!w) return;
  char *part = w->partial;
  w->partial = NULL; /* kept past the close, which frees the rest */
  mc_h5_close(w, 0);
  unlink(part);
  free(part);
}

/* ---- reading ----------------------------------------------------------------------------- */

void mc_h5_results_free(mc_results *r) {
  for (size_t i = 0; i < r->nruns; i++) {
    free(r->runs[i].curve);
    free(r->runs[i].events);
  }
  free(r->runs);
  free(r->summary);
  free(r->tput);
  free(r->prov);
  memset(r, 0, sizeof *r);
}

static int read_meta(hid_t f, mc_result_meta *m, char *err, size_t errlen) {
  if (attr_get(f, "schema_version", H5T_NATIVE_INT32, &m->schema_version) != MC_OK) {
    seterr(err, errlen, "not a memcurve results file (no schema_version)");
    return MC_EFORMAT;
  }
  if (m->schema_version > MC_H5_SCHEMA || m->schema_version < 1) {
    seterr(err, errlen, "schema version %d not supported (this build reads up to %d)",
           (int)m->schema_version, MC_H5_SCHEMA);
    return MC_EFORMAT;
  }
  /* descriptive attributes: a missing one reads as "", a malformed one rejects the file */
  struct {
    const char *name;
    char *buf;
    size_t size;
  } const desc[] = {{"created_utc", m->created_utc, sizeof m->created_utc},
                    {"host", m->host, sizeof m->host},
                    {"cpu", m->cpu, sizeof m->cpu},
                    {"compiler", m->compiler, sizeof m->compiler},
                    {"cflags", m->cflags, sizeof m->cflags},
                    {"library_versions", m->library_versions, sizeof m->library_versions},
                    {"command_line", m->command_line, sizeof m->command_line},
                    {"schedule", m->schedule, sizeof m->schedule},
                    {"glossary", m->glossary, sizeof m->glossary}};
  for (size_t i = 0; i < sizeof desc / sizeof desc[0]; i++) {
    desc[i].buf[0] = '\0';
    if (H5Aexists(f, desc[i].name) > 0 &&
        attr_get_str(f, desc[i].name, desc[i].buf, desc[i].size) != MC_OK) {
      seterr(err, errlen, "malformed root attribute '%s' (want one fixed-length string)",
             desc[i].name);
      return MC_EFORMAT;
    }
  }
  return MC_OK;
}

/* Names of the links in group g, as an array of n malloc'd strings (name order). */
static int child_names(hid_t g, char ***out, size_t *n) {
  H5G_info_t info;
  *out = NULL;
  *n = 0;
  if (H5Gget_info(g, &info) < 0) return MC_EFORMAT;
  char **names = calloc(info.nlinks ? info.nlinks : 1, sizeof *names);
  if (!names) return MC_ENOMEM;
  for (hsize_t i = 0; i < info.nlinks; i++) {
    ssize_t len = H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, i, NULL, 0, H5P_DEFAULT);
    if (len < 0 || !(names[i] = calloc(1, (size_t)len + 1))) {
      for (hsize_t j = 0; j < i; j++) free(names[j]);
      free(names);
      return len < 0 ? MC_EFORMAT : MC_ENOMEM;
    }
    H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, i, names[i], (size_t)len + 1,
                       H5P_DEFAULT);
  }
  *out = names;
  *n = info.nlinks;
  return MC_OK;
}

static void free_names(char **names, size_t n) {
  for (size_t i = 0; i < n; i++) free(names[i]);
  free(names);
}

/* Schema 1 files carry no facts: these are the ones its writer implied, from the names it
 * knew then (frozen: schema 2 files carry their own, and a new allocator never comes here). */
static void schema1_facts(mc_result_run *run) {
  static const char *const order[] = {"system", "jemalloc", "mimalloc",  "tcmalloc",
                                      "stack",  "arena",    "pool",      "gc",
                                      "boehm",  "gc-off",   "gc-saveall"};
  const char *w = run->workload, *a = run->allocator;
  run->n_means = strcmp(w, "binary-trees") == 0 || strcmp(w, "gcbench") == 0 ? MC_RESULT_N_DEPTH
                                                                             : MC_RESULT_N_ELEMENTS;
  run->heap =
      strncmp(a, "gc", 2) == 0      ? MC_RESULT_HEAP_MANAGED | MC_RESULT_HEAP_COLLECTED
      : strncmp(a, "boehm", 5) == 0 ? MC_RESULT_HEAP_COLLECTED | MC_RESULT_HEAP_OUTSIDE
      : strcmp(a, "jemalloc") == 0 || strcmp(a, "mimalloc") == 0 || strcmp(a, "tcmalloc") == 0
          ? MC_RESULT_HEAP_OUTSIDE
          : 0;
  run->allocator_order = -1;
  for (int i = 0; i < (int)(sizeof order / sizeof *order); i++)
    if (strcmp(a, order[i]) == 0) run->allocator_order = i;
}

/* Facts added to the schema after its files were written (frozen, like schema1_facts: newer
 * files carry their own). Before the collector's mode bits (heap_values without "gc_off"): the
 * modes of the only collector variants then, gc-off and gc-saveall. Before the array fact: the
 * two flat arrays then, ndarray (unboxed) and boxed. Before the cyclic fact: the only workload
 * then whose garbage formed cycles, cycles. */
static void later_facts(hid_t g, mc_result_run *run) {
  char values[128] = "";
  if (H5Aexists(g, "heap_values") <= 0 || attr_get_str(g, "heap_values", values, sizeof values) ||
      !strstr(values, "gc_off")) {
    if (strcmp(run->allocator, "gc-off") == 0) run->heap |= MC_RESULT_HEAP_GC_OFF;
    if (strcmp(run->allocator, "gc-saveall") == 0) run->heap |= MC_RESULT_HEAP_SAVEALL;
  }
  if (H5Aexists(g, "cyclic") <= 0) run->cyclic = strcmp(run->workload, "cycles") == 0;
  if (H5Aexists(g, "array") <= 0)
    run->array = strcmp(run->structure, "ndarray") == 0 ? MC_RESULT_ARRAY_UNBOXED
                 : strcmp(run->structure, "boxed") == 0 ? MC_RESULT_ARRAY_BOXED
                                                        : MC_RESULT_ARRAY_NONE;
}

/* The facts of run group g (schema 2, and the array fact); MC_EFORMAT when one is malformed. */
static int read_facts(hid_t g, mc_result_run *run) {
  int rc = MC_OK;
  if (H5Aexists(g, "n_means") <= 0) {
    schema1_facts(run);
  } else {
    char means[32];
    rc = attr_get_str(g, "n_means", means, sizeof means);
    if (!rc) rc = attr_get(g, "heap", H5T_NATIVE_UINT32, &run->heap);
    if (!rc) rc = attr_get(g, "allocator_order", H5T_NATIVE_INT32, &run->allocator_order);
    if (!rc && strcmp(means, "tree depth") != 0 && strcmp(means, "elements") != 0) rc = MC_EFORMAT;
    run->n_means = !rc && !strcmp(means, "tree depth") ? MC_RESULT_N_DEPTH : MC_RESULT_N_ELEMENTS;
  }
  if (!rc && H5Aexists(g, "array") > 0) {
    char kind[16];
    rc = attr_get_str(g, "array", kind, sizeof kind);
    run->array = -1;
    for (size_t i = 0; !rc && i < NARRAY_KINDS; i++)
      if (strcmp(kind, array_kinds[i]) == 0) run->array = (int32_t)i;
    if (!rc && run->array < 0) rc = MC_EFORMAT;
  }
  if (!rc && H5Aexists(g, "cyclic") > 0) rc = attr_get(g, "cyclic", H5T_NATIVE_INT32, &run->cyclic);
  if (!rc) later_facts(g, run);
  return rc;
}

/* Points run at its row of r's provenance (attribute `provenance`; absent: row 0, the file's). */
static int read_prov_index(hid_t g, const mc_results *r, mc_result_run *run) {
  int32_t row = 0;
  if (H5Aexists(g, "provenance") > 0 && attr_get(g, "provenance", H5T_NATIVE_INT32, &row) != MC_OK)
    return MC_EFORMAT;
  if (row < 0 || (size_t)row >= r->nprov) return MC_EFORMAT;
  run->prov = &r->prov[row];
  return MC_OK;
}

static int read_run(hid_t g, const mc_results *r, mc_result_run *run) {
  memset(run, 0, sizeof *run);
  int prc = read_prov_index(g, r, run);
  if (prc) return prc;
  int rc = attr_get_str(g, "structure", run->structure, sizeof run->structure);
  if (!rc) rc = attr_get_str(g, "workload", run->workload, sizeof run->workload);
  if (!rc) rc = attr_get_str(g, "allocator", run->allocator, sizeof run->allocator);
  if (!rc) rc = attr_get(g, "n", H5T_NATIVE_UINT64, &run->n);
  if (!rc) rc = attr_get(g, "seed", H5T_NATIVE_UINT64, &run->seed);
  if (!rc) rc = attr_get(g, "repetitions", H5T_NATIVE_UINT32, &run->repetitions);
  if (!rc) rc = attr_get_str(g, "status", run->status, sizeof run->status);
  if (!rc) rc = attr_get(g, "ok", H5T_NATIVE_INT32, &run->ok);
  if (!rc) rc = read_facts(g, run);
  if (!rc && H5Aexists(g, "rss_baseline") > 0)
    rc = attr_get(g, "rss_baseline", H5T_NATIVE_UINT64, &run->rss_baseline);
  if (!rc && H5Aexists(g, "held_baseline") > 0)
    rc = attr_get(g, "held_baseline", H5T_NATIVE_UINT64, &run->held_baseline);
  if (!rc) rc = read_heap_facts(g, run);
  void *p = NULL;
  if (!rc) rc = table_read(g, "curve", &mc__h5_point_rec, &p, &run->ncurve);
  run->curve = p;
  p = NULL;
  if (!rc) rc = table_read(g, "events", &mc__h5_event_rec, &p, &run->nevents);
  run->events = p;
  if (rc) {
    free(run->curve);
    free(run->events);
    run->curve = NULL;
    run->events = NULL;
  }
  return rc;
}

/* Walks /runs/<s>/<w>/<a>/<n> (depth levels left) appending each run group to r. */
static int walk_runs(hid_t g, int depth, mc_results *r, size_t *cap) {
  char **names;
  size_t n;
  int rc = child_names(g, &names, &n);
  for (size_t i = 0; !rc && i < n; i++) {
    hid_t c = H5Gopen2(g, names[i], H5P_DEFAULT);
    if (c < 0) {
      rc = MC_EFORMAT;
      break;
    }
    if (depth > 1) {
      rc = walk_runs(c, depth - 1, r, cap);
    } else {
      if (r->nruns == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        mc_result_run *nr = realloc(r->runs, nc * sizeof *nr);
        if (!nr)
          rc = MC_ENOMEM;
        else {
          r->runs = nr;
          *cap = nc;
        }
      }
      if (!rc) rc = read_run(c, r, &r->runs[r->nruns]);
      if (!rc) r->nruns++;
    }
    H5Gclose(c);
  }
  free_names(names, n);
  return rc;
}

/* Files before schema 3 knew one memory figure per allocator (footprint) and the raw RSS: held
 * is read as the footprint (exact for our allocators; for the malloc rows it was the live
 * blocks' usable size) and resident as the RSS (no baseline known); the finals stay 0. */
static void fill_schema2(mc_results *r) {
  for (size_t i = 0; i < r->nruns; i++)
    for (size_t k = 0; k < r->runs[i].ncurve; k++) {
      mc_result_point *p = &r->runs[i].curve[k];
      p->held = p->footprint;
      p->resident = p->rss;
      p->held_ops = p->ops;
    }
  for (size_t i = 0; i < r->nsummary; i++) {
    r->summary[i].peak_held = r->summary[i].peak_footprint;
    r->summary[i].peak_resident = r->summary[i].peak_rss;
  }
}

/* Throughput rows read from a file without their `kind` field (written before it): the rows
 * then measuring one allocation were bench_alloc's, the only such benchmark, named alloc/...
 * (frozen, like schema1_facts: newer files carry the fact). Without vs_structure: the
 * comparison the row's name declares, as the import files it (mc_gbjson_file_vs). */
static void tput_kinds_derived(hid_t f, mc_results *r) {
  hid_t d = H5Dopen2(f, "throughput", H5P_DEFAULT);
  hid_t t = d < 0 ? -1 : H5Dget_type(d);
  int has = t >= 0 && H5Tget_member_index(t, "kind") >= 0;
  int has_vs = t >= 0 && H5Tget_member_index(t, "vs_structure") >= 0;
  if (t >= 0) H5Tclose(t);
  if (d >= 0) H5Dclose(d);
  for (size_t i = 0; !has_vs && i < r->ntput; i++) mc_gbjson_file_vs(&r->tput[i]);
  for (size_t i = 0; !has && i < r->ntput; i++)
    r->tput[i].kind =
        strcmp(r->tput[i].structure, "alloc") == 0 ? MC_RESULT_TPUT_ALLOCATION : MC_RESULT_TPUT_OPS;
}

/* /provenance, or (older files) one row from the root attributes. */
static int read_provs(hid_t f, mc_results *out) {
  if (H5Lexists(f, "provenance", H5P_DEFAULT) > 0) {
    void *p = NULL;
    int rc = table_read(f, "provenance", &mc__h5_prov_rec, &p, &out->nprov);
    out->prov = p;
    if (rc || out->nprov) return rc;
    free(out->prov); /* no run written: the file's own row stands for it */
  }
  if (!(out->prov = calloc(1, sizeof *out->prov))) return MC_ENOMEM;
  mc_prov_from_meta(out->prov, &out->meta);
  out->nprov = 1;
  return MC_OK;
}

static int read_all(hid_t f, mc_results *out, char *err, size_t errlen) {
  int rc = read_meta(f, &out->meta, err, errlen);
  if (rc) return rc;
  rc = read_provs(f, out);
  if (rc) {
    seterr(err, errlen, "malformed /provenance");
    return rc;
  }
  hid_t g = H5Gopen2(f, "runs", H5P_DEFAULT);
  size_t cap = 0;
  rc = g < 0 ? MC_EFORMAT : walk_runs(g, 4, out, &cap);
  if (g >= 0) H5Gclose(g);
  if (rc) {
    seterr(err, errlen, "malformed /runs group");
    return rc;
  }
  void *p = NULL;
  rc = table_read(f, "summary", &mc__h5_summary_rec, &p, &out->nsummary);
  out->summary = p;
  p = NULL;
  if (rc) seterr(err, errlen, "missing or malformed /summary");
  if (!rc) {
    rc = table_read(f, "throughput", &mc__h5_tput_rec, &p, &out->ntput);
    out->tput = p;
    if (rc) seterr(err, errlen, "missing or malformed /throughput");
    if (!rc) tput_kinds_derived(f, out);
  }
  if (!rc && out->meta.schema_version < 3) fill_schema2(out);
  return rc;
}

/* The text fields of n rows of record rec (its field table's strings) made printable. */
static void rows_printable(const mc__h5_record *rec, void *rows, size_t n) {
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < rec->nfields; k++)
      if (rec->fields[k].kind == MC__STR)
        mc__h5_printable((char *)rows + i * rec->size + rec->fields[k].offset, rec->fields[k].size);
}

/* Every text of r made printable UTF-8 (mc__h5_printable): names reach terminals, Markdown,
 * chart data files and SVG, where a control character or a bad byte would do harm. */
static void printable_all(mc_results *r) {
  mc_result_meta *m = &r->meta;
  char *meta[] = {m->created_utc,      m->host,        m->cpu, m->compiler, m->cflags,
                  m->library_versions, m->command_line};
  size_t msize[] = {sizeof m->created_utc, sizeof m->host,   sizeof m->cpu,
                    sizeof m->compiler,    sizeof m->cflags, sizeof m->library_versions,
                    sizeof m->command_line};
  for (size_t i = 0; i < sizeof meta / sizeof *meta; i++) mc__h5_printable(meta[i], msize[i]);
  for (size_t i = 0; i < r->nprov; i++) {
    mc_result_prov *p = &r->prov[i];
    char *pf[] = {p->host,   p->cpu,     p->kernel,           p->compiler,
                  p->cflags, p->version, p->library_versions, p->command_line};
    size_t ps[] = {
        sizeof p->host,   sizeof p->cpu,     sizeof p->kernel,           sizeof p->compiler,
        sizeof p->cflags, sizeof p->version, sizeof p->library_versions, sizeof p->command_line};
    for (size_t k = 0; k < sizeof pf / sizeof *pf; k++) mc__h5_printable(pf[k], ps[k]);
  }
  for (size_t i = 0; i < r->nruns; i++) {
    mc_result_run *x = &r->runs[i];
    mc__h5_printable(x->structure, sizeof x->structure);
    mc__h5_printable(x->workload, sizeof x->workload);
    mc__h5_printable(x->allocator, sizeof x->allocator);
    mc__h5_printable(x->status, sizeof x->status);
  }
  rows_printable(&mc__h5_summary_rec, r->summary, r->nsummary);
  rows_printable(&mc__h5_tput_rec, r->tput, r->ntput);
}

int mc_h5_read(const char *path, mc_results *out, char *err, size_t errlen) {
  quiet();
  memset(out, 0, sizeof *out);
  int reg = mc__h5_regular(path, err, errlen);
  if (reg != MC_OK) return reg;
  FILE *probe = fopen(path, "rb");
  if (!probe) {
    seterr(err, errlen, "cannot open: %s", strerror(errno));
    return MC_EIO;
  }
  fclose(probe);
  if (H5Fis_hdf5(path) <= 0) {
    seterr(err, errlen, "not an HDF5 file");
    return MC_EFORMAT;
  }
  /* no file lock: a .partial may be read (info, a watcher) while the suite still writes it;
   * the writer replaces it by rename, so a read sees one complete snapshot */
  hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
  H5Pset_file_locking(fapl, 0, 1);
  hid_t f = H5Fopen(path, H5F_ACC_RDONLY, fapl);
  H5Pclose(fapl);
  if (f < 0) {
    seterr(err, errlen, "cannot open as HDF5 (truncated or corrupt)");
    return MC_EIO;
  }
  int rc = mc__h5_self_contained(f, err, errlen);
  if (!rc) rc = read_all(f, out, err, errlen);
  H5Fclose(f);
  if (rc) {
    mc_h5_results_free(out);
    /* the reason may quote a name of the file (a link, a group): one printable line */
    if (err && errlen) mc__h5_printable(err, errlen);
  } else {
    printable_all(out);
  }
  return rc;
}

/* ---- Google Benchmark JSON kept in a file ------------------------------------------------ */

int mc_h5_read_json(const char *path, char ***tags, char ***jsons, size_t *n) {
  quiet();
  *tags = *jsons = NULL;
  *n = 0;
  hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
  H5Pset_file_locking(fapl, 0, 1);
  hid_t f = H5Fopen(path, H5F_ACC_RDONLY, fapl);
  H5Pclose(fapl);
  if (f < 0) return MC_EIO;
  char why[256] = "";
  if (mc__h5_self_contained(f, why, sizeof why) != MC_OK) {
    H5Fclose(f);
    return MC_EFORMAT;
  }
  hid_t g = H5Gopen2(f, "gbench_json", H5P_DEFAULT);
  char **names = NULL;
  size_t cnt = 0;
  int rc = g < 0 ? MC_EFORMAT : child_names(g, &names, &cnt);
  char **bodies = rc ? NULL : calloc(cnt ? cnt : 1, sizeof *bodies);
  if (!rc && !bodies) rc = MC_ENOMEM;
  for (size_t i = 0; !rc && i < cnt; i++) {
    hid_t d = H5Dopen2(g, names[i], H5P_DEFAULT);
    hid_t ft = d < 0 ? -1 : H5Dget_type(d);
    /* one fixed-length string, as mc_h5_add_tput wrote it; anything else is foreign */
    hid_t sp = d < 0 ? -1 : H5Dget_space(d);
    hssize_t npoints = sp < 0 ? -1 : H5Sget_simple_extent_npoints(sp);
    if (sp >= 0) H5Sclose(sp);
    if (npoints != 1 || ft < 0 || H5Tget_class(ft) != H5T_STRING || H5Tis_variable_str(ft) > 0 ||
        !mc_h5_storage_sane(d, 1, 0)) {
      if (ft >= 0) H5Tclose(ft);
      ft = -1;
    }
    size_t len = ft < 0 ? 0 : H5Tget_size(ft);
    hid_t mt = str_type(len + 1);
    bodies[i] = calloc(1, len + 1);
    if (d < 0 || ft < 0 || !bodies[i] ||
        H5Dread(d, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, bodies[i]) < 0)
      rc = MC_EFORMAT;
    H5Tclose(mt);
    if (ft >= 0) H5Tclose(ft);
    if (d >= 0) H5Dclose(d);
  }
  if (g >= 0) H5Gclose(g);
  H5Fclose(f);
  if (rc) {
    free_names(names, cnt);
    if (bodies) free_names(bodies, cnt);
    return rc;
  }
  *tags = names;
  *jsons = bodies;
  *n = cnt;
  return MC_OK;
}

void mc_h5_free_strings(char **strs, size_t n) { free_names(strs, n); }
