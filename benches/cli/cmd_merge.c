/* cmd_merge.c — `memcurve merge -o OUT IN...`: one file holding every run (with its provenance),
 * summary row, throughput row and JSON of the inputs; a run present in two inputs is an error
 * (exit 2). The inputs are read one at a time: memory is the output's image plus one input. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mc_cli_impl.h"
#include "mc_error.h"
#include "mc_stats.h"

/* Orders summary rows (through an index) and runs by their key (structure, workload,
 * allocator, n): matching rows to runs is then a binary search, and merging is n log n. */
static const mc_results *sort_src;

static int row_cmp(const void *x, const void *y) {
  const mc_result_summary *a = &sort_src->summary[*(const size_t *)x],
                          *b = &sort_src->summary[*(const size_t *)y];
  int d = mc_result_key_cmp(a->structure, a->workload, a->allocator, a->n, b->structure,
                            b->workload, b->allocator, b->n);
  return d ? d
           : (*(const size_t *)x > *(const size_t *)y) - (*(const size_t *)x < *(const size_t *)y);
}

static int run_cmp(const void *x, const void *y) {
  const mc_result_run *a = &sort_src->runs[*(const size_t *)x],
                      *b = &sort_src->runs[*(const size_t *)y];
  return mc_result_key_cmp(a->structure, a->workload, a->allocator, a->n, b->structure, b->workload,
                           b->allocator, b->n);
}

/* The first index in idx[0..n) whose row's key is not below run x's. */
static size_t lower_bound(const mc_results *r, const size_t *idx, size_t n,
                          const mc_result_run *x) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    const mc_result_summary *s = &r->summary[idx[mid]];
    if (mc_result_key_cmp(s->structure, s->workload, s->allocator, s->n, x->structure, x->workload,
                          x->allocator, x->n) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

static size_t *iota(size_t n) {
  size_t *v = malloc((n ? n : 1) * sizeof *v);
  for (size_t i = 0; v && i < n; i++) v[i] = i;
  return v;
}

/* Every summary row that matches no run: kept (appended alone) and reported. */
static int keep_orphans(const char *cmd, mc_h5_writer *w, const char *path, const mc_results *r,
                        const size_t *idx, const unsigned char *used) {
  size_t k = 0;
  mc_result_summary *rows = malloc((r->nsummary ? r->nsummary : 1) * sizeof *rows);
  if (!rows) return MC_ENOMEM;
  for (size_t j = 0; j < r->nsummary; j++)
    if (!used[idx[j]]) rows[k++] = r->summary[idx[j]];
  int rc = k ? mc_h5_add_summary(w, rows, k) : MC_OK;
  if (k)
    fprintf(stderr,
            "memcurve %s: %s: %zu summary row(s) match no run (e.g. %s/%s/%s/n%llu); "
            "kept in the output\n",
            cmd, path, k, rows[0].structure, rows[0].workload, rows[0].allocator,
            (unsigned long long)rows[0].n);
  free(rows);
  return rc;
}

static int write_failed(const char *cmd, mc_h5_writer *w) {
  fprintf(stderr, "memcurve %s: cannot write %s: %s\n", cmd, mc_h5_writer_partial(w),
          errno ? strerror(errno) : "HDF5 error");
  return MC_EIO;
}

static int merge_runs(const char *cmd, mc_h5_writer *w, const char *path, const mc_results *r) {
  size_t *idx = iota(r->nsummary), *ridx = iota(r->nruns);
  unsigned char *used = calloc(r->nsummary ? r->nsummary : 1, 1);
  int rc = idx && ridx && used ? MC_OK : MC_ENOMEM;
  sort_src = r;
  if (!rc) qsort(idx, r->nsummary, sizeof *idx, row_cmp);
  if (!rc) qsort(ridx, r->nruns, sizeof *ridx, run_cmp);
  for (size_t i = 1; !rc && i < r->nruns; i++)
    if (run_cmp(&ridx[i - 1], &ridx[i]) == 0) {
      const mc_result_run *x = &r->runs[ridx[i]];
      fprintf(stderr, "memcurve %s: run %s/%s/%s/n%llu appears twice in %s\n", cmd, x->structure,
              x->workload, x->allocator, (unsigned long long)x->n, path);
      rc = MC_EINVAL;
    }
  for (size_t i = 0; !rc && i < r->nruns; i++) { /* in the file's order */
    const mc_result_run *x = &r->runs[i];
    size_t lo = lower_bound(r, idx, r->nsummary, x), hi = lo;
    while (hi < r->nsummary &&
           mc_cli_same_key(&r->summary[idx[hi]], x->structure, x->workload, x->allocator, x->n))
      hi++;
    mc_result_summary *rows = malloc((hi - lo ? hi - lo : 1) * sizeof *rows);
    if (!rows) {
      rc = MC_ENOMEM;
      break;
    }
    for (size_t j = lo; j < hi; j++) rows[j - lo] = r->summary[idx[j]], used[idx[j]] = 1;
    errno = 0;
    rc = mc_h5_add_run(w, x, rows, hi - lo);
    free(rows);
    if (rc == MC_EINVAL)
      fprintf(stderr, "memcurve %s: run %s/%s/%s/n%llu of %s is already in an earlier input\n", cmd,
              x->structure, x->workload, x->allocator, (unsigned long long)x->n, path);
    else if (rc)
      rc = write_failed(cmd, w);
  }
  if (!rc) rc = keep_orphans(cmd, w, path, r, idx, used);
  free(idx);
  free(ridx);
  free(used);
  return rc;
}

int mc_cli_merge_into(const char *cmd, mc_h5_writer *w, const char *path, const mc_results *r) {
  int rc = merge_runs(cmd, w, path, r);
  if (rc) return rc;
  char **tags, **jsons;
  size_t nj;
  if (mc_h5_read_json(path, &tags, &jsons, &nj) != MC_OK) nj = 0, tags = jsons = NULL;
  /* throughput rows go in once, with the first JSON (or alone if there is none) */
  if (mc_h5_add_tput(w, r->tput, r->ntput, nj ? tags[0] : NULL, nj ? jsons[0] : NULL))
    rc = MC_EINVAL;
  for (size_t j = 1; j < nj && !rc; j++)
    if (mc_h5_add_tput(w, NULL, 0, tags[j], jsons[j])) rc = MC_EINVAL;
  if (rc)
    fprintf(stderr, "memcurve %s: Google Benchmark JSON '%s' is in two inputs\n", cmd,
            nj ? tags[0] : "?");
  mc_h5_free_strings(tags, nj);
  mc_h5_free_strings(jsons, nj);
  return rc;
}

const struct option mc_cli_merge_opts[] = {
    {"output", 1, 0, 'o'}, {"help", 0, 0, 'h'}, {0, 0, 0, 0}};

int mc_cli_merge(int argc, char **argv) {
  char cmdline[sizeof((mc_result_meta *)0)->command_line]; /* as typed: getopt permutes argv */
  size_t k = 0;
  cmdline[0] = '\0';
  for (int i = 0; i < argc && k + 2 < sizeof cmdline; i++)
    k += (size_t)snprintf(cmdline + k, sizeof cmdline - k, "%s%s", i ? " " : "memcurve ", argv[i]);
  const char *out = NULL;
  int nin = 0, c;
  optind = 0; /* glibc: a fresh scan, operands permuted to the end */
  opterr = 0;
  while ((c = getopt_long(argc, argv, "o:h", mc_cli_merge_opts, NULL)) != -1) {
    switch (c) {
    case 'h':
      puts("usage: memcurve merge -o OUT IN...\n  Writes one results file with every run, "
           "summary row, throughput row and Google Benchmark\n  JSON of the inputs (e.g. the "
           "shards of `memcurve run --shard K/N`). A run in two inputs is an error.\n"
           "  -o, --output OUT  the merged file");
      return MC_OK;
    case 'o': out = optarg; break;
    default:
      if (optopt == 'o' || !strcmp(argv[optind - 1], "--output"))
        return mc_cli_bad("merge", "-o needs a file%s", "");
      return mc_cli_bad("merge", "bad option '%s'", argv[optind - 1]);
    }
  }
  char **in = argv + optind; /* every operand: none dropped */
  nin = argc - optind;
  if (!out || nin == 0) return mc_cli_bad("merge", "expected -o OUT and at least one input%s", "");
  /* one input in memory at a time (the output's image grows; the inputs do not pile up): the
   * first gives the root attributes, each is loaded, merged and freed in turn */
  mc_results r;
  int rc = mc_cli_load("merge", in[0], &r);
  if (rc) return rc;
  mc_h5_writer *w = NULL;
  if (!rc) {
    mc_result_meta m = r.meta;
    memcpy(m.command_line, cmdline, sizeof m.command_line);
    char err[4400]; /* room for a whole path and its reason */
    int crc = mc_h5_create(&w, out, &m, err, sizeof err);
    if (crc != MC_OK) {
      int e = errno;
      fprintf(stderr, "memcurve merge: %s\n", err);
      rc = mc_cli_create_status(crc, e); /* a refused output: 2; a full disk: 1 */
    }
  }
  char part[4200] = "";
  if (w) {
    snprintf(part, sizeof part, "%s", mc_h5_writer_partial(w));
    mc_h5_writer_batch(w, 1); /* all or nothing: one write at the end, linear in the input */
  }
  for (int i = 0; i < nin && !rc; i++) {
    if (i) rc = mc_cli_load("merge", in[i], &r);
    if (!rc) rc = mc_cli_merge_into("merge", w, in[i], &r);
    mc_h5_results_free(&r);
  }
  errno = 0;
  if (w && mc_h5_close(w, rc == 0) != MC_OK && !rc) {
    fprintf(stderr, "memcurve merge: cannot write %s: %s\n", out,
            errno ? strerror(errno) : "HDF5 error");
    rc = MC_EIO;
  }
  if (rc && w) unlink(part);
  mc_h5_results_free(&r);
  if (!rc) fprintf(stderr, "memcurve merge: %d files merged into %s\n", nin, out);
  return rc;
}
