/* mc_cli.c — info, compare and merge: everything here goes through mc_h5_read, so a file that
 * h5dump and h5py accept but that is not a memcurve file (or is a newer schema) is refused
 * with the reader's one-line reason and exit status 2.
 * compare pairs runs by (structure, workload, allocator, N), uses only finished repetitions,
 * and reports medians (robust to the odd slow repetition on a shared machine); with >= 5
 * repetitions on both sides it adds a Mann-Whitney U test on the wall times (mc_stats).
 */
#define _GNU_SOURCE
#include "mc_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mc_error.h"
#include "mc_h5.h"
#include "mc_stats.h"

int mc_cli_slurp(const char *path, char **out, size_t *len) {
  FILE *f = fopen(path, "rb");
  *out = NULL;
  *len = 0;
  if (!f) return MC_EIO;
  size_t cap = 65536, n = 0;
  char *buf = malloc(cap + 1);
  while (buf) {
    size_t r = fread(buf + n, 1, cap - n, f);
    n += r;
    if (n < cap) break;
    char *nb = realloc(buf, cap * 2 + 1);
    if (!nb) {
      free(buf);
      buf = NULL;
      break;
    }
    buf = nb;
    cap *= 2;
  }
  int err = ferror(f);
  fclose(f);
  if (!buf) return MC_ENOMEM;
  if (err) {
    free(buf);
    return MC_EIO;
  }
  buf[n] = '\0';
  *out = buf;
  *len = n;
  return MC_OK;
}

static int wants_help(int argc, char **argv) {
  for (int i = 1; i < argc; i++)
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) return 1;
  return 0;
}

static int load(const char *cmd, const char *path, mc_h5_results *r) {
  char err[256];
  if (mc_h5_read_guarded(path, r, err, sizeof err) != MC_OK) {
    fprintf(stderr, "memcurve %s: %s: %s\n", cmd, path, err);
    return 2;
  }
  return 0;
}

static int same_key(const mc_h5_summary *s, const char *st, const char *w, const char *a,
                    uint64_t n) {
  return s->n == n && strcmp(s->structure, st) == 0 && strcmp(s->workload, w) == 0 &&
         strcmp(s->allocator, a) == 0;
}

/* Collects field values (0 wall_ns, 1 peak_footprint, 2 peak_rss) of the finished rows. */
static size_t collect(const mc_h5_results *r, const char *st, const char *w, const char *a,
                      uint64_t n, int field, double *out, size_t cap) {
  size_t k = 0;
  for (size_t i = 0; i < r->nsummary && k < cap; i++) {
    const mc_h5_summary *s = &r->summary[i];
    if (!s->ok || !same_key(s, st, w, a, n)) continue;
    out[k++] = field == 0 ? (double)s->wall_ns
             : field == 1 ? (double)s->peak_footprint : (double)s->peak_rss;
  }
  return k;
}

/* ---- info ------------------------------------------------------------------------------- */

int mc_cli_info(int argc, char **argv) {
  if (wants_help(argc, argv)) {
    puts("usage: memcurve info FILE\n  Prints a results file's attributes and one line per "
         "run: status, curve points, events, median wall time, peak footprint and peak RSS.");
    return 0;
  }
  if (argc != 2) {
    fprintf(stderr, "memcurve info: expected one FILE (see memcurve info --help)\n");
    return 2;
  }
  mc_h5_results r;
  if (load("info", argv[1], &r)) return 2;
  const mc_h5_meta *m = &r.meta;
  printf("file:          %s\nschema:        %d\ncreated (UTC): %s\nhost:          %s\n"
         "cpu:           %s\ncompiler:      %s\ncflags:        %s\nlibraries:     %s\n"
         "command:       %s\nruns:          %zu (summary rows %zu, throughput rows %zu)\n",
         argv[1], (int)m->schema_version, m->created_utc, m->host, m->cpu, m->compiler,
         m->cflags, m->library_versions, m->command_line, r.nruns, r.nsummary, r.ntput);
  puts("(medians over the finished repetitions; wall in ms, peak footprint and RSS in bytes)");
  printf("%-10s %-12s %-10s %10s %6s %6s %12s %12s %12s  %s\n", "structure", "workload",
         "allocator", "n", "points", "events", "wall_ms", "peak_foot", "peak_rss", "status");
  double v[1024];
  for (size_t i = 0; i < r.nruns; i++) {
    const mc_h5_run *x = &r.runs[i];
    size_t k = collect(&r, x->structure, x->workload, x->allocator, x->n, 0, v, 1024);
    double wall = mc_stats_median(v, k) / 1e6;
    collect(&r, x->structure, x->workload, x->allocator, x->n, 1, v, 1024);
    double foot = mc_stats_median(v, k);
    collect(&r, x->structure, x->workload, x->allocator, x->n, 2, v, 1024);
    double rss = mc_stats_median(v, k);
    if (k == 0) /* no finished repetition: nothing to take a median of */
      printf("%-10s %-12s %-10s %10llu %6zu %6zu %12s %12s %12s  %s\n", x->structure,
             x->workload, x->allocator, (unsigned long long)x->n, x->ncurve, x->nevents, "-", "-",
             "-", x->status);
    else
      printf("%-10s %-12s %-10s %10llu %6zu %6zu %12.3f %12.0f %12.0f  %s\n", x->structure,
             x->workload, x->allocator, (unsigned long long)x->n, x->ncurve, x->nevents, wall,
             foot, rss, x->status);
  }
  if (r.ntput) printf("throughput: %zu Google Benchmark results\n", r.ntput);
  mc_h5_results_free(&r);
  return 0;
}

/* ---- compare ---------------------------------------------------------------------------- */

int mc_cli_compare(int argc, char **argv) {
  if (wants_help(argc, argv)) {
    puts("usage: memcurve compare A B\n  For every run in both files: median wall time, peak "
         "footprint and peak RSS of B over A,\n  and a two-sided Mann-Whitney U test on the wall "
         "times when both have >= 5 repetitions\n  (exact without ties up to 25 per side, else the "
         "normal approximation).");
    return 0;
  }
  if (argc != 3) {
    fprintf(stderr, "memcurve compare: expected two files A B (see memcurve compare --help)\n");
    return 2;
  }
  mc_h5_results a, b;
  if (load("compare", argv[1], &a)) return 2;
  if (load("compare", argv[2], &b)) {
    mc_h5_results_free(&a);
    return 2;
  }
  printf("%-10s %-12s %-10s %10s %9s %9s %9s %5s %9s  %s\n", "structure", "workload", "allocator",
         "n", "time B/A", "foot B/A", "rss B/A", "reps", "p (MWU)", "");
  size_t matched = 0;
  static double wa[1024], wb[1024], x[1024], y[1024];
  for (size_t i = 0; i < a.nruns; i++) {
    const mc_h5_run *r = &a.runs[i];
    int in_b = 0;
    for (size_t j = 0; j < b.nruns && !in_b; j++)
      in_b = b.runs[j].n == r->n && !strcmp(b.runs[j].structure, r->structure) &&
             !strcmp(b.runs[j].workload, r->workload) && !strcmp(b.runs[j].allocator, r->allocator);
    if (!in_b) continue;
    matched++;
    size_t na = collect(&a, r->structure, r->workload, r->allocator, r->n, 0, wa, 1024);
    size_t nb = collect(&b, r->structure, r->workload, r->allocator, r->n, 0, wb, 1024);
    if (na == 0 || nb == 0) {
      printf("%-10s %-12s %-10s %10llu  (no finished repetitions on one side)\n", r->structure,
             r->workload, r->allocator, (unsigned long long)r->n);
      continue;
    }
    double ratio[3];
    for (int f = 0; f < 3; f++) {
      size_t kx = collect(&a, r->structure, r->workload, r->allocator, r->n, f, x, 1024);
      size_t ky = collect(&b, r->structure, r->workload, r->allocator, r->n, f, y, 1024);
      double mx = mc_stats_median(x, kx), my = mc_stats_median(y, ky);
      ratio[f] = mx > 0 ? my / mx : 0;
    }
    char pbuf[32] = "-", note[32] = "";
    if (na >= 5 && nb >= 5) {
      double u, p;
      int exact;
      if (mc_stats_mwu(wa, na, wb, nb, &u, &p, &exact) == 0) {
        snprintf(pbuf, sizeof pbuf, "%.4f", p);
        snprintf(note, sizeof note, "%s%s", exact ? "exact" : "normal",
                 p < 0.05 ? (ratio[0] > 1 ? ", B slower" : ", B faster") : "");
      }
    }
    char reps[48];
    snprintf(reps, sizeof reps, "%zu/%zu", na, nb);
    printf("%-10s %-12s %-10s %10llu %9.3f %9.3f %9.3f %5s %9s  %s\n", r->structure, r->workload,
           r->allocator, (unsigned long long)r->n, ratio[0], ratio[1], ratio[2], reps, pbuf, note);
  }
  printf("%zu runs in both files (%zu in A, %zu in B)\n", matched, a.nruns, b.nruns);
  mc_h5_results_free(&a);
  mc_h5_results_free(&b);
  return 0;
}

/* ---- merge ------------------------------------------------------------------------------ */

static int merge_file(mc_h5_writer *w, const char *path, const mc_h5_results *r) {
  for (size_t i = 0; i < r->nruns; i++) {
    const mc_h5_run *x = &r->runs[i];
    mc_h5_summary *rows = calloc(r->nsummary ? r->nsummary : 1, sizeof *rows);
    if (!rows) return 1;
    size_t k = 0;
    for (size_t j = 0; j < r->nsummary; j++)
      if (same_key(&r->summary[j], x->structure, x->workload, x->allocator, x->n))
        rows[k++] = r->summary[j];
    int rc = mc_h5_add_run(w, x, rows, k);
    free(rows);
    if (rc == MC_EINVAL) {
      fprintf(stderr, "memcurve merge: run %s/%s/%s/n%llu of %s is already in an earlier input\n",
              x->structure, x->workload, x->allocator, (unsigned long long)x->n, path);
      return 2;
    }
    if (rc) return fprintf(stderr, "memcurve merge: cannot write\n"), 1;
  }
  char **tags, **jsons;
  size_t nj;
  if (mc_h5_read_json(path, &tags, &jsons, &nj) != MC_OK) nj = 0, tags = jsons = NULL;
  int rc = 0;
  /* throughput rows go in once, with the first JSON (or alone if there is none) */
  if (mc_h5_add_tput(w, r->tput, r->ntput, nj ? tags[0] : NULL, nj ? jsons[0] : NULL)) rc = 2;
  for (size_t j = 1; j < nj && !rc; j++)
    if (mc_h5_add_tput(w, NULL, 0, tags[j], jsons[j])) rc = 2;
  if (rc) fprintf(stderr, "memcurve merge: Google Benchmark JSON '%s' is in two inputs\n",
                  nj ? tags[0] : "?");
  mc_h5_free_strings(tags, nj);
  mc_h5_free_strings(jsons, nj);
  return rc;
}

int mc_cli_merge(int argc, char **argv) {
  if (wants_help(argc, argv)) {
    puts("usage: memcurve merge -o OUT IN...\n  Writes one results file with every run, summary "
         "row, throughput row and Google Benchmark\n  JSON of the inputs (e.g. the shards of "
         "`memcurve run --shard K/N`). A run in two inputs is an error.");
    return 0;
  }
  const char *out = NULL;
  const char *in[256];
  int nin = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) {
      if (++i == argc) return fprintf(stderr, "memcurve merge: -o needs a file\n"), 2;
      out = argv[i];
    } else if (argv[i][0] == '-') {
      return fprintf(stderr, "memcurve merge: bad option '%s'\n", argv[i]), 2;
    } else if (nin < 256) {
      in[nin++] = argv[i];
    }
  }
  if (!out || nin == 0)
    return fprintf(stderr, "memcurve merge: expected -o OUT and at least one input\n"), 2;
  mc_h5_results *r = calloc((size_t)nin, sizeof *r);
  if (!r) return 1;
  int rc = 0;
  for (int i = 0; i < nin && !rc; i++) rc = load("merge", in[i], &r[i]);
  mc_h5_writer *w = NULL;
  if (!rc) {
    mc_h5_meta m = r[0].meta;
    size_t k = 0;
    for (int i = 0; i < argc && k + 2 < sizeof m.command_line; i++)
      k += (size_t)snprintf(m.command_line + k, sizeof m.command_line - k, "%s%s",
                            i ? " " : "memcurve ", argv[i]);
    char err[256];
    if (mc_h5_create(&w, out, &m, err, sizeof err) != MC_OK) {
      fprintf(stderr, "memcurve merge: %s\n", err);
      rc = 2;
    }
  }
  for (int i = 0; i < nin && !rc; i++) rc = merge_file(w, in[i], &r[i]);
  if (w && mc_h5_close(w, rc == 0) != MC_OK && !rc) rc = 1;
  if (rc && w) {
    char part[4200];
    snprintf(part, sizeof part, "%s.partial", out);
    unlink(part);
  }
  for (int i = 0; i < nin; i++) mc_h5_results_free(&r[i]);
  free(r);
  if (!rc) fprintf(stderr, "memcurve merge: %d files merged into %s\n", nin, out);
  return rc;
}
