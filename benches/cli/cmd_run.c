/* cmd_run.c — `memcurve run`: expands structures x workloads x allocators x sizes (a named
 * suite or lists given on the command line) into an ordered sweep, keeps this shard's part (--shard
 * K/N: the configurations whose index i has i % N == K-1), and runs each configuration as `reps`
 * timing passes (sampling off) plus one curve pass (sampling on), each in a fresh child
 * (mc_runner). The parent is the only writer of the results file. A run's seed mixes the base seed
 * with the structure, workload and N — not the allocator (every allocator sees the same operations)
 * and not the index (a shard runs exactly what the unsharded sweep runs). Errors in the arguments
 * exit 2 with one line on stderr; a progress line is drawn on stderr when it is a terminal.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mc_allocators.h"
#include "mc_cli_impl.h"
#include "mc_gbjson.h"
#include "mc_heapsweep.h"
#include "mc_io.h"
#include "mc_runner.h"
#include "mc_stats.h"

#define MAXLIST 64

typedef struct list {
  char *v[MAXLIST];
  size_t n;
} list;

/* Splits a comma list into l (appending). Returns -1 if too many items. */
static int split(list *l, const char *s) {
  char *dup = strdup(s), *save = NULL;
  if (!dup) return -1;
  for (char *t = strtok_r(dup, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
    if (l->n == MAXLIST) {
      free(dup);
      return -1;
    }
    l->v[l->n++] = strdup(t);
  }
  free(dup);
  return 0;
}

static void list_free(list *l) {
  for (size_t i = 0; i < l->n; i++) free(l->v[i]);
  l->n = 0;
}

/* ---- run -------------------------------------------------------------------------------- */

typedef struct rgroup {
  list structures, workloads, allocators;
  uint64_t sizes[MAXLIST];
  size_t nsizes;
} rgroup;

typedef struct run_args {
  const char *opt_s, *opt_w, *opt_a, *opt_n; /* command-line lists (override the suite's) */
  rgroup g[4];
  size_t ngroups;
  unsigned reps;
  uint64_t seed;
  const char *output;
  unsigned shard_k, shard_n;
  int curve;
  int overhead;
  int quiet;
  int out_mode;              /* MC_CLI_OUT_NEW, _FORCE, _APPEND */
  const char *mem_limit_arg; /* --mem-limit as typed */
  int plan;                  /* --plan: print the sweep (this shard's part), run nothing */
  mc_runner_opts ro;
  list gbench;
  const mc_cli_suite *suite;
} run_args;

static const char run_usage[] =
    "usage: memcurve run [options]\n"
    "  Runs structure x workload x allocator x N, each run in a fresh child process, and writes\n"
    "  the memory curves and timings to an HDF5 file.\n"
    "  --suite NAME           default | full | quick | heap-sweep (see `memcurve list`); the "
    "lists\n"
    "                         replace the suite's in each of its groups (-w, -n: in its\n"
    "                         heap sweep too: gc at 1.25..6x the bisected minimum heap)\n"
    "  -s, --structures LIST  comma-separated structures\n"
    "  -w, --workloads LIST   comma-separated workloads\n"
    "  -a, --allocators LIST  comma-separated allocators\n"
    "  -n, --sizes LIST       comma-separated N values: 1..1G elements, with k, M, G for\n"
    "                         10^3, 10^6, 10^9 (e.g. 10k,1M); binary-trees and gcbench:\n"
    "                         the tree depth, 4..22 (`memcurve list` shows which apply)\n"
    "  -r, --reps R           timing repetitions per run (1..1000, default: the suite's, 5);\n"
    "                         repetition k of every run comes before any k+1, in a\n"
    "                         shuffled order seeded by --seed\n"
    "  --seed S               base seed (default 1)\n"
    "  -o, --output FILE      results file (default results/memcurve.h5; missing folders are\n"
    "                         created); an existing FILE is refused unless:\n"
    "  --force                replace an existing FILE\n"
    "  --append               add the new runs to an existing FILE (a run already in it is\n"
    "                         refused, as by merge)\n"
    "  --shard K/N            run only the K-th of N interleaved parts of the sweep\n"
    "  --no-curve             skip the curve pass (timing passes only)\n"
    "  --timeout SEC          kill a child after SEC seconds (default 300)\n"
    "  --mem-limit SIZE       address-space limit per child: MB, or with k, M, G for KiB, MiB,\n"
    "                         GiB (e.g. 512M, 2G; default 3/4 of RAM; 0: none)\n"
    "  --gbench FILE...       import Google Benchmark JSON files into /throughput, /gbench_json\n"
    "  --overhead             measure the curve pass against the timing pass (11 pairs of\n"
    "                         fresh children, median of the paired wall-time ratios) and\n"
    "                         report the sampling overhead; exit 1 if above 3 %; no file\n"
    "  -q, --quiet            no progress line and no result table\n"
    "  --plan                 print the configurations this command would run (one line\n"
    "                         each: structure workload allocator N, after a '#' line with\n"
    "                         the count, repetitions, timeout and memory limit); no file\n"
    "It ends with a table on stdout: per configuration, the median wall time and peak held\n"
    "memory of the finished repetitions, and the failed ones.\n" MC_CLI_EXIT_HELP;

static int parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out) {
  if (!s || !*s || *s == '-' || *s == '+') return -1;
  errno = 0;
  char *end;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno || *end || v < lo || v > hi) return -1;
  *out = v;
  return 0;
}

/* 1 if l->v[i] equals one of l->v[0..i-1]. */
static int in_list(const list *l, size_t i) {
  for (size_t j = 0; j < i && i < l->n; j++)
    if (strcmp(l->v[j], l->v[i]) == 0) return 1;
  return 0;
}

/* Fills l from the comma list src (a name typed twice is an error: each run key is written
 * once per file); names this build lacks are an error when the user typed
 * them (explicit), silently dropped when a suite named them; a suite's MC_CLI_EVERY in the
 * allocators stands for mc_wl_suite_allocators(). Returns 0 or 2. */
static int names(list *l, const char *src, int explicit_, const char *const *known,
                 const char *what) {
  list all = {{0}, 0};
  if (split(&all, src)) return mc_cli_bad("run", "too many names in '%s'", src);
  int rc = 0;
  for (size_t i = 0; i < all.n && !rc; i++) {
    if (!explicit_ && strcmp(all.v[i], MC_CLI_EVERY) == 0 && known == mc_wl_allocators()) {
      for (const char *const *p = mc_wl_suite_allocators(); *p; p++) split(l, *p);
    } else if (explicit_ && in_list(&all, i)) {
      char msg[160];
      snprintf(msg, sizeof msg, "%s '%%s' named twice", what);
      rc = mc_cli_bad("run", msg, all.v[i]);
    } else if (mc_wl_known(known, all.v[i])) {
      split(l, all.v[i]);
      if (l->n && in_list(l, l->n - 1)) free(l->v[--l->n]); /* a suite naming one twice: once */
    } else if (explicit_) {
      char msg[160];
      snprintf(msg, sizeof msg, "unknown %s '%%s' (see memcurve list)", what);
      rc = mc_cli_bad("run", msg, all.v[i]);
    }
  }
  list_free(&all);
  return rc;
}

/* Resolves the suite's groups and the command-line lists; checks every name and size.
 * Returns 0 or 2. */
static int resolve(run_args *a) {
  const mc_cli_suite *s = a->suite;
  int explicit_ = !s;
  if (!s) s = &mc_cli_suites[0];
  if (a->reps == 0) a->reps = s->reps;
  a->ngroups = 0;
  for (int gi = 0; gi < 4 && s->g[gi].structures; gi++) {
    const mc_cli_group *g = &s->g[gi];
    rgroup *r = &a->g[a->ngroups++];
    int rc = names(&r->structures, a->opt_s ? a->opt_s : g->structures, a->opt_s != NULL,
                   mc_wl_structures, "structure");
    if (!rc)
      rc = names(&r->workloads, a->opt_w ? a->opt_w : g->workloads, a->opt_w != NULL,
                 mc_wl_workloads(), "workload");
    if (!rc)
      rc = names(&r->allocators, a->opt_a ? a->opt_a : g->allocators, a->opt_a != NULL,
                 mc_wl_allocators(), "allocator");
    if (rc) return rc;
    const char *sizes = a->opt_n ? a->opt_n : g->sizes;
    list sz = {{0}, 0};
    if (split(&sz, sizes)) return mc_cli_bad("run", "too many sizes in '%s'", sizes);
    for (size_t i = 0; i < sz.n; i++) {
      if (mc_cli_parse_size(sz.v[i], 1000, 1, MC_WL_MAX_N, &r->sizes[r->nsizes++])) {
        rc = mc_cli_bad("run", "bad size '%s' (want 1..1073741824, k, M, G allowed: 10k)", sz.v[i]);
        break;
      }
      for (size_t j = 0; j + 1 < r->nsizes; j++)
        if (r->sizes[j] == r->sizes[r->nsizes - 1]) {
          if (a->opt_n) {
            rc = mc_cli_bad("run", "size '%s' named twice", sz.v[i]);
            break;
          }
          r->nsizes--; /* a suite naming one twice: once */
          break;
        }
      if (rc) break;
    }
    list_free(&sz);
    if (rc) return rc;
    if (explicit_) break; /* plain command-line lists: one group */
  }
  return 0;
}

static uint64_t mix(uint64_t h, const char *s) {
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
  return h;
}

static uint64_t run_seed(uint64_t seed, const char *s, const char *w, uint64_t n) {
  uint64_t h = mix(mix(0xcbf29ce484222325ull ^ seed, s), w) ^ n;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  return h ? h : 1;
}

typedef struct sweep {
  mc_run_spec *v;
  size_t n;
} sweep;

static int build_sweep(const run_args *a, sweep *sw) {
  size_t cap = 0;
  for (size_t g = 0; g < a->ngroups; g++)
    cap += a->g[g].structures.n * a->g[g].workloads.n * a->g[g].allocators.n * a->g[g].nsizes;
  sw->v = calloc(cap ? cap : 1, sizeof *sw->v);
  sw->n = 0;
  if (!sw->v) return -1;
  size_t idx = 0;
  for (size_t g = 0; g < a->ngroups; g++) {
    const rgroup *G = &a->g[g];
    for (size_t s = 0; s < G->structures.n; s++)
      for (size_t w = 0; w < G->workloads.n; w++) {
        if (!mc_wl_applies(G->structures.v[s], G->workloads.v[w])) continue;
        for (size_t al = 0; al < G->allocators.n; al++)
          for (size_t k = 0; k < G->nsizes; k++) {
            if (!mc_wl_n_ok(G->workloads.v[w], G->sizes[k])) continue;
            if (idx++ % a->shard_n != a->shard_k - 1) continue;
            mc_run_spec *r = &sw->v[sw->n++];
            snprintf(r->structure, MC_RESULT_NAME, "%s", G->structures.v[s]);
            snprintf(r->workload, MC_RESULT_NAME, "%s", G->workloads.v[w]);
            snprintf(r->allocator, MC_RESULT_NAME, "%s", G->allocators.v[al]);
            r->n = G->sizes[k];
            r->seed = run_seed(a->seed, r->structure, r->workload, r->n);
          }
      }
  }
  return 0;
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* "1h02m", "3m05s", "42s" */
static const char *hms(double s, char *buf, size_t size) {
  unsigned long t = s > 0 ? (unsigned long)(s + 0.5) : 0;
  if (t >= 3600)
    snprintf(buf, size, "%luh%02lum", t / 3600, t / 60 % 60);
  else if (t >= 60)
    snprintf(buf, size, "%lum%02lus", t / 60, t % 60);
  else
    snprintf(buf, size, "%lus", t);
  return buf;
}

static double started; /* now_s() when the sweep began */

/* The progress line: pass i of n, the run, elapsed time and the time left at the mean pass so
 * far (a curve pass counts as one). */
static void progress(const run_args *a, size_t i, size_t n, const mc_run_spec *r, unsigned rep) {
  if (a->quiet || !isatty(2)) return;
  char el[32], left[32], nb[32];
  double t = now_s() - started;
  fprintf(stderr, "\r\033[K[%zu/%zu] %s/%s/%s n=%s %s %u/%u  %s elapsed", i + 1, n, r->structure,
          r->workload, r->allocator, mc_cli_fmt_count(r->n, nb, sizeof nb),
          rep < a->reps ? "rep" : "curve", rep < a->reps ? rep + 1 : 1, rep < a->reps ? a->reps : 1,
          hms(t, el, sizeof el));
  if (i > 0) fprintf(stderr, ", ~%s left", hms(t / (double)i * (double)(n - i), left, sizeof left));
  fflush(stderr);
}

static void summary_row(mc_result_summary *row, const mc_run_spec *r, unsigned rep,
                        const mc_run_out *o) {
  memset(row, 0, sizeof *row);
  snprintf(row->structure, MC_RESULT_NAME, "%s", r->structure);
  snprintf(row->workload, MC_RESULT_NAME, "%s", r->workload);
  mc_heapsweep_name(r, row->allocator, MC_RESULT_NAME);
  row->n = r->n;
  row->rep = rep;
  row->ok = o->ok;
  snprintf(row->status, MC_RESULT_STATUS, "%s", o->status[0] ? o->status : "no result");
  row->ops = o->ops;
  row->wall_ns = o->wall_ns;
  row->ops_per_s = o->wall_ns ? (double)o->ops * 1e9 / (double)o->wall_ns : 0;
  row->peak_requested = o->peak_requested;
  row->peak_footprint = o->peak_footprint;
  row->peak_rss = o->peak_rss;
  row->allocs_per_op = o->ops ? (double)o->alloc_calls / (double)o->ops : 0;
  row->collections = o->collections;
  row->peak_held = o->peak_held;
  row->peak_resident = o->peak_resident;
  row->final_requested = o->final_requested;
  row->final_held = o->final_held;
  row->final_resident = o->final_resident;
}

/* A malloc's held is only read along the run in the curve pass (the timing pass reads it at the
 * end only): rows whose peak_held is not exact take the curve pass's, same workload and seed. */
static void held_from_curve(mc_result_summary *rows, size_t nrows, const mc_run_out *curve) {
  for (size_t k = 0; k < nrows && curve->ok && curve->peak_held_exact; k++)
    if (curve->peak_held > rows[k].peak_held) rows[k].peak_held = curve->peak_held;
}

/* dst = a followed by b, truncated to size bytes. */
static void join(char *dst, size_t size, const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  if (la >= size) la = size - 1;
  memcpy(dst, a, la);
  if (lb >= size - la) lb = size - la - 1;
  memcpy(dst + la, b, lb);
  dst[la + lb] = '\0';
}

/* One configuration of the sweep while its repetitions are spread over the rounds. */
typedef struct cfg {
  mc_result_summary *rows; /* reps rows, nrows filled */
  size_t nrows;
  mc_result_run run; /* key, facts, ok/status so far */
  int written;
  int failed; /* a pass failed: crashed, killed, timed out, no result (not a memory limit) */
} cfg;

static void cfg_init(cfg *c, const run_args *a, const mc_run_spec *r) {
  memset(&c->run, 0, sizeof c->run);
  snprintf(c->run.structure, MC_RESULT_NAME, "%s", r->structure);
  snprintf(c->run.workload, MC_RESULT_NAME, "%s", r->workload);
  mc_heapsweep_name(r, c->run.allocator, MC_RESULT_NAME);
  c->run.n = r->n;
  c->run.seed = r->seed;
  c->run.repetitions = a->reps;
  c->run.ok = 1;
  snprintf(c->run.status, MC_RESULT_STATUS, "ok");
  mc_wl_run_facts(r->allocator, r->workload, &c->run);
  c->run.heap_limit = r->heap_limit; /* the heap sweep's facts (0 elsewhere) */
  c->run.heap_min = r->heap_min;
  c->run.heap_multiple = r->heap_multiple;
}

/* Runs one child for configuration c (a timing pass when sampling is 0, else the curve pass,
 * whose result is left in *res). Returns MC_OK or MC_EINTR; a failure is recorded in c. */
static int run_pass(const run_args *a, const mc_run_spec *r, cfg *c, unsigned rep, int sampling,
                    mc_runner_result *res) {
  mc_runner_result one;
  int rc = mc_runner_run(r, sampling, &a->ro, &one);
  if (rc != MC_OK && rc != MC_EINTR) {
    snprintf(one.out.status, MC_RESULT_STATUS, "could not start a child: %s", mc_strerror(rc));
    one.out.ok = 0;
  }
  if (!one.out.ok && one.out.code != MC_ENOMEM) c->failed = 1; /* out of memory: an outcome */
  if (!one.out.ok && c->run.ok) {
    c->run.ok = 0;
    join(c->run.status, MC_RESULT_STATUS, sampling ? "curve pass: " : "", one.out.status);
  }
  if (!sampling) {
    summary_row(&c->rows[c->nrows++], r, rep, &one.out);
    mc_runner_result_free(&one);
  } else {
    *res = one;
  }
  return rc == MC_EINTR ? MC_EINTR : MC_OK;
}

/* Writes configuration c with its rows and the curve pass res (may be zeroed). Returns MC_OK or
 * MC_EIO. A run written as failed adds one to *failed. */
static int write_cfg(mc_h5_writer *w, cfg *c, mc_runner_result *res, size_t *failed) {
  held_from_curve(c->rows, c->nrows, &res->out);
  c->run.rss_baseline = res->out.rss_baseline;
  c->run.held_baseline = res->out.held_baseline;
  c->run.curve = res->curve;
  c->run.ncurve = res->ncurve;
  c->run.events = res->events;
  c->run.nevents = res->nevents;
  int wrc = mc_h5_add_run(w, &c->run, c->rows, c->nrows), werrno = errno;
  mc_runner_result_free(res);
  c->run.curve = NULL, c->run.events = NULL;
  c->written = 1;
  errno = werrno; /* the caller names the write error */
  if (wrc) return MC_EIO;
  *failed += c->failed; /* counted as written: the summary line needs no re-read */
  return MC_OK;
}

/* The order of round k: a Fisher-Yates shuffle of 0..n-1 from (seed, k) (splitmix64). */
static void round_order(size_t *ord, size_t n, uint64_t seed, unsigned k) {
  uint64_t x = seed ^ (0x9E3779B97F4A7C15ull * (k + 1));
  for (size_t i = 0; i < n; i++) ord[i] = i;
  for (size_t i = n; i > 1; i--) {
    x += 0x9E3779B97F4A7C15ull;
    uint64_t z = x;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    size_t j = (size_t)(z % i), t = ord[i - 1];
    ord[i - 1] = ord[j], ord[j] = t;
  }
}

void mc_cli_fill_meta(mc_result_meta *m, int argc, char **argv) {
  memset(m, 0, sizeof *m);
  m->schema_version = MC_H5_SCHEMA;
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(m->created_utc, sizeof m->created_utc, "%Y-%m-%dT%H:%M:%SZ", &tm);
  gethostname(m->host, sizeof m->host - 1);
  FILE *f = fopen("/proc/cpuinfo", "r");
  char line[256];
  while (f && fgets(line, sizeof line, f))
    if (strncmp(line, "model name", 10) == 0 && strchr(line, ':')) {
      snprintf(m->cpu, sizeof m->cpu, "%s", strchr(line, ':') + 2);
      m->cpu[strcspn(m->cpu, "\n")] = '\0';
      break;
    }
  if (f) fclose(f);
  snprintf(m->compiler, sizeof m->compiler, "gcc %s", __VERSION__);
#ifdef MC_BUILD_FLAGS
  snprintf(m->cflags, sizeof m->cflags, "%s (%s)", MC_BUILD_FLAGS, MC_BUILD_TYPE);
#endif
  /* the writer puts the HDF5 version before these; the preloads are the allocator table's */
  char preloads[128];
  mc_allocator_preloads(preloads, sizeof preloads);
  snprintf(m->library_versions, sizeof m->library_versions, "memcurve " MC_VERSION "; preloads: %s",
           preloads);
  size_t k = 0;
  for (int i = 0; i < argc && k + 2 < sizeof m->command_line; i++)
    k += (size_t)snprintf(m->command_line + k, sizeof m->command_line - k, "%s%s", i ? " " : "",
                          argv[i]);
  /* the runner gives each child the preload its run names, or none: a caller's own is dropped,
   * and said so here and in the file */
  const char *pre = getenv("LD_PRELOAD");
  if (pre && *pre) {
    size_t len = strlen(m->library_versions);
    snprintf(m->library_versions + len, sizeof m->library_versions - len,
             "; caller's LD_PRELOAD cleared for the runs: %s", pre);
    fprintf(stderr,
            "memcurve run: LD_PRELOAD=%s is not used: each run's child gets only the "
            "malloc its allocator names\n",
            pre);
  }
}

/* 1 if a /gbench_json/<tag> of the file at path (NULL: none) is named like files' base name. */
static int tag_taken(const char *path, const char *file) {
  char **tags, **jsons;
  size_t n, len;
  if (!path || mc_h5_read_json(path, &tags, &jsons, &n) != MC_OK) return 0;
  const char *base = strrchr(file, '/');
  base = base ? base + 1 : file;
  len = strlen(base);
  if (len > 5 && strcmp(base + len - 5, ".json") == 0) len -= 5;
  int taken = 0;
  for (size_t i = 0; i < n && !taken; i++)
    taken = strlen(tags[i]) == len && strncmp(tags[i], base, len) == 0;
  mc_h5_free_strings(tags, n);
  mc_h5_free_strings(jsons, n);
  return taken;
}

int mc_cli_import_gbench(const char *cmd, mc_h5_writer *w, char *const *files, size_t nfiles,
                         const char *appended_to) {
  for (size_t i = 0; i < nfiles; i++)
    if (tag_taken(appended_to, files[i]))
      return fprintf(stderr,
                     "memcurve %s: %s: a Google Benchmark JSON of that name is already in "
                     "%s\n",
                     cmd, files[i], appended_to),
             MC_EINVAL;
  for (size_t i = 0; i < nfiles; i++) {
    char *json = NULL, err[160];
    size_t len = 0;
    int src = mc_cli_slurp(files[i], &json, &len);
    if (src != MC_OK)
      return fprintf(stderr, "memcurve %s: cannot read %s (%s)\n", cmd, files[i],
                     src == MC_ERANGE ? "not a regular file of at most 256 MiB" : strerror(errno)),
             MC_EINVAL;
    mc_result_tput *rows;
    size_t n;
    int rc = mc_gbjson_parse(json, &rows, &n, err, sizeof err);
    if (rc) {
      free(json);
      return fprintf(stderr, "memcurve %s: %s: %s\n", cmd, files[i], err), MC_EFORMAT;
    }
    const char *base = strrchr(files[i], '/');
    char tag[128];
    snprintf(tag, sizeof tag, "%s", base ? base + 1 : files[i]);
    char *dot = strrchr(tag, '.');
    if (dot && strcmp(dot, ".json") == 0) *dot = '\0';
    rc = mc_h5_add_tput(w, rows, n, tag, json);
    free(rows);
    free(json);
    if (rc) return fprintf(stderr, "memcurve %s: cannot store %s\n", cmd, files[i]), MC_EIO;
  }
  return 0;
}

/* --overhead: per configuration, PAIRS back-to-back (timing, curve) pairs in fresh children.
 * The verdict is the median of the per-pair wall-time ratios (pairing cancels the drift of a
 * shared machine's load). Printed beside it: the same for process CPU time, the ratio of the
 * fastest runs of each pass, and the share of the curve pass spent inside the recorder's
 * samples — measured within the run, so immune to load: the only work the curve pass adds,
 * the tick path being the same in both passes. */
#define PAIRS 11
static double min_of(const double *x, size_t n) {
  double m = x[0];
  for (size_t i = 1; i < n; i++)
    if (x[i] < m) m = x[i];
  return m;
}

static int run_overhead(const run_args *a, const sweep *sw) {
  int all_ok = 1;
  for (size_t i = 0; i < sw->n; i++) {
    double off[PAIRS], on[PAIRS], ratio[PAIRS], cpu_ratio[PAIRS], share[PAIRS], cpu_off = 0;
    double probe[PAIRS];
    uint64_t reads = 0, carried = 0, same = 0, points = 0;
    for (int k = 0; k < PAIRS; k++)
      for (int sampling = 0; sampling < 2; sampling++) {
        mc_runner_result r;
        if (mc_runner_run(&sw->v[i], sampling, &a->ro, &r) == MC_EINTR) return MC_EINTR;
        if (!r.out.ok) {
          fprintf(stderr, "memcurve run: %s/%s/%s failed: %s\n", sw->v[i].structure,
                  sw->v[i].workload, sw->v[i].allocator, r.out.status);
          mc_runner_result_free(&r);
          return MC_ERANGE; /* no measurement: exit 1 */
        }
        (sampling ? on : off)[k] = (double)r.out.wall_ns;
        if (sampling) {
          ratio[k] = on[k] / off[k];
          share[k] = (double)r.out.sample_ns / (double)r.out.wall_ns;
          probe[k] = (double)r.out.probe_ns / (double)r.out.wall_ns;
          reads += r.out.held_reads, carried += r.out.held_carried, same += r.out.held_same;
          points += r.ncurve;
          cpu_ratio[k] = cpu_off > 0 ? (double)r.out.cpu_ns / cpu_off : 1;
        } else {
          cpu_off = (double)r.out.cpu_ns;
        }
        mc_runner_result_free(&r);
      }
    double moff = min_of(off, PAIRS), mon = min_of(on, PAIRS);
    double fast_pct = (mon / moff - 1) * 100;
    double pct = (mc_stats_median(ratio, PAIRS) - 1) * 100;
    double cpu_pct = (mc_stats_median(cpu_ratio, PAIRS) - 1) * 100;
    double in_pct = mc_stats_median(share, PAIRS) * 100;
    if (pct > 3.0) all_ok = 0;
    printf("%s/%s/%s n=%llu: sampling overhead %+.2f%% wall %s (median of %d paired ratios; "
           "CPU time %+.2f%%; fastest %.3f vs %.3f ms: %+.2f%%; inside the recorder %.2f%% of "
           "the curve pass, %.0f samples)\n",
           sw->v[i].structure, sw->v[i].workload, sw->v[i].allocator,
           (unsigned long long)sw->v[i].n, pct, pct <= 3.0 ? "(<= 3%: ok)" : "(> 3%)", PAIRS,
           cpu_pct, moff / 1e6, mon / 1e6, fast_pct, in_pct, (double)points / PAIRS);
    if (reads)
      printf("  held reads of the malloc: %.0f per curve pass, %.0f samples kept the last read "
             "(no malloc call since: exact), %.0f carried it (budget); reads %.2f%% of the curve "
             "pass\n",
             (double)reads / PAIRS, (double)same / PAIRS, (double)carried / PAIRS,
             mc_stats_median(probe, PAIRS) * 100);
    fflush(stdout);
  }
  return all_ok ? MC_OK : MC_ERANGE; /* above the bound: exit 1 */
}

/* The closing table on stdout: per configuration the median wall time and peak held memory of
 * its finished repetitions, how many did not finish, and why the run stopped if it did. */
static void print_table(const cfg *c, size_t n) {
  printf("%-34s %10s %10s %7s  %s\n", "configuration", "time", "peak held", "failed", "status");
  double wall[1024], held[1024];
  for (size_t i = 0; i < n; i++) {
    size_t k = 0, bad = 0;
    for (size_t j = 0; j < c[i].nrows; j++) {
      if (!c[i].rows[j].ok) {
        bad++;
      } else if (k < 1024) {
        wall[k] = (double)c[i].rows[j].wall_ns;
        held[k++] = (double)c[i].rows[j].peak_held;
      }
    }
    char name[200], cnt[24], t[32] = "-", h[32] = "-", f[48];
    snprintf(name, sizeof name, "%s/%s/%s/%s", c[i].run.structure, c[i].run.workload,
             c[i].run.allocator, mc_cli_fmt_count(c[i].run.n, cnt, sizeof cnt));
    if (k) {
      double ms = mc_stats_median(wall, k) / 1e6;
      snprintf(t, sizeof t,
               ms < 10      ? "%.3f ms"
               : ms < 10000 ? "%.1f ms"
                            : "%.2f s",
               ms < 10000 ? ms : ms / 1000);
      mc_cli_fmt_bytes(mc_stats_median(held, k), h, sizeof h);
    }
    snprintf(f, sizeof f, "%zu/%zu", bad, c[i].nrows);
    printf("%-34s %10s %10s %7s  %s\n", name, t, h, f, c[i].run.status);
  }
  fflush(stdout);
}

/* The sweep in rounds: round k runs repetition k of every configuration, in the order
 * round_order(seed, k), so a drift of the machine lands on every configuration alike. In the
 * last round each configuration's curve pass follows its last repetition and the run is written
 * (the .partial then holds it). Interrupted: the configuration whose child was stopped is
 * written as failed ("interrupted"), with the repetitions it had; the others not yet written
 * are left out (the .partial holds finished runs only). Returns MC_OK, MC_EINTR, MC_EIO or
 * MC_ENOMEM; *done counts the runs written. */
static int interleave(const run_args *a, const sweep *sw, mc_h5_writer *w, size_t *failed,
                      size_t *done) {
  cfg *c = calloc(sw->n ? sw->n : 1, sizeof *c);
  size_t *ord = calloc(sw->n ? sw->n : 1, sizeof *ord);
  int rc = c && ord ? MC_OK : MC_ENOMEM;
  for (size_t i = 0; i < sw->n && rc == MC_OK; i++) {
    c[i].rows = calloc(a->reps, sizeof *c[i].rows);
    if (!c[i].rows)
      rc = MC_ENOMEM;
    else
      cfg_init(&c[i], a, &sw->v[i]);
  }
  for (unsigned k = 0; k < a->reps && rc == MC_OK; k++) {
    round_order(ord, sw->n, a->seed, k);
    for (size_t j = 0; j < sw->n && rc == MC_OK && !mc_runner_interrupted(); j++) {
      size_t i = ord[j];
      progress(a, k * sw->n + j, (size_t)a->reps * sw->n, &sw->v[i], k);
      mc_runner_result res;
      memset(&res, 0, sizeof res);
      rc = run_pass(a, &sw->v[i], &c[i], k, 0, &res);
      if (rc == MC_OK && k + 1 == a->reps && a->curve) {
        progress(a, k * sw->n + j, (size_t)a->reps * sw->n, &sw->v[i], a->reps);
        rc = run_pass(a, &sw->v[i], &c[i], k, 1, &res);
      }
      if (k + 1 == a->reps || rc == MC_EINTR) {
        int wrc = write_cfg(w, &c[i], &res, failed);
        if (wrc)
          rc = wrc;
        else
          ++*done;
      }
    }
    if (rc == MC_OK && mc_runner_interrupted()) rc = MC_EINTR;
  }
  if (c && rc == MC_OK && !a->quiet) print_table(c, sw->n);
  for (size_t i = 0; c && i < sw->n; i++) free(c[i].rows);
  free(c);
  free(ord);
  return rc;
}

/* The suite's heap sweep (mc_heapsweep.h), appended to the sweep in the first shard only; -w
 * and -n replace its workloads and sizes. Its seeds are the runs' usual ones. */
static int add_heap_sweep(const run_args *a, sweep *sw) {
  if (!a->suite || a->shard_k != 1) return MC_OK;
  size_t from = sw->n;
  int rc = MC_OK;
  for (const mc_cli_heap_sweep *h = mc_cli_heap_sweeps; h->suite && !rc; h++)
    if (!strcmp(h->suite, a->suite->name))
      rc = mc_heapsweep_add(&h->g, a->opt_w, a->opt_n, &sw->v, &sw->n);
  for (size_t i = from; i < sw->n; i++)
    sw->v[i].seed = run_seed(a->seed, sw->v[i].structure, sw->v[i].workload, sw->v[i].n);
  return rc;
}

/* The writer's snapshot pace (mc_h5_writer_pace): 20 once the file reaches 1 MiB (below that a
 * snapshot after every run costs ~1 ms), so snapshots of the growing file cost at most ~5 % of
 * the sweep and a file-size limit or a full disk still finds every run that fitted written.
 * MEMCURVE_SNAPSHOT_PACE=F paces every file by F (0: a snapshot after every run; a huge factor:
 * only at the end, an interrupt or an error — what tests/reliability uses to check that an
 * interrupt between two snapshots loses no finished run). */
static void snapshot_pace(mc_h5_writer *w) {
  const char *env = getenv("MEMCURVE_SNAPSHOT_PACE");
  char *end = NULL;
  double f = env && *env ? strtod(env, &end) : -1;
  if (f < 0 || (end && *end))
    mc_h5_writer_pace(w, 20, (size_t)1 << 20);
  else
    mc_h5_writer_pace(w, f, 0);
}

static int run_sweep(run_args *a, const sweep *sw, int argc, char **argv) {
  static mc_result_meta meta; /* 5 KiB: not on the stack */
  mc_cli_fill_meta(&meta, argc, argv);
  snprintf(meta.schedule, sizeof meta.schedule,
           "interleaved: %u rounds, each a shuffle of the %zu configurations (seed %llu); the "
           "curve pass follows each configuration's last repetition",
           a->reps, sw->n, (unsigned long long)a->seed);
  mc_wl_glossary(meta.glossary, sizeof meta.glossary); /* MC_ERANGE: whole lines, the rest cut */
  mc_h5_writer *w;
  mc_results old;
  mc_runner_catch_signals();
  int rc = mc_cli_output_open("run", a->output, a->out_mode, &meta, &w, &old);
  if (rc) return rc;
  char part[4200];
  snprintf(part, sizeof part, "%s", mc_h5_writer_partial(w));
  size_t nold = old.nruns;
  for (size_t i = 0; i < sw->n && !rc; i++) /* --append: new runs only, refused before any */
    rc = mc_cli_output_new_run("run", &old, a->output, sw->v[i].structure, sw->v[i].workload,
                               sw->v[i].allocator, sw->v[i].n, "nothing was run");
  mc_h5_results_free(&old);
  if (!rc)
    rc = mc_cli_import_gbench("run", w, a->gbench.v, a->gbench.n,
                              a->out_mode == MC_CLI_OUT_APPEND && nold ? a->output : NULL);
  if (rc) { /* nothing measured yet: no file left behind */
    mc_h5_discard(w);
    return rc;
  }
  size_t failed = 0, done = 0;
  started = now_s();
  /* snapshots paced (mc_h5_writer_pace): at most ~1/SNAPSHOT_PACE of the sweep's time; every
   * path below that stops without committing first syncs the runs written since the last one */
  snapshot_pace(w);
  rc = interleave(a, sw, w, &failed, &done);
  if (rc == MC_EIO) {
    int e = errno;
    mc_h5_sync(w); /* the failed snapshot retried once: what it can, the .partial keeps */
    size_t saved = mc_h5_writer_saved(w);
    fprintf(stderr, "\nmemcurve run: cannot write %s (%s); it keeps the %zu runs before\n", part,
            e ? strerror(e) : "HDF5 error", saved > nold ? saved - nold : 0);
    mc_h5_close(w, 0);
    return MC_EIO;
  }
  if (rc == MC_ENOMEM) {
    mc_h5_sync(w);
    mc_h5_close(w, 0);
    return MC_ENOMEM;
  }
  if (!a->quiet && isatty(2)) fputc('\n', stderr);
  if (mc_runner_interrupted()) {
    errno = 0;
    if (mc_h5_sync(w) != MC_OK) {
      size_t saved = mc_h5_writer_saved(w);
      fprintf(stderr,
              "memcurve run: interrupted; cannot write %s (%s): it keeps %zu of the %zu "
              "runs finished\n",
              part, errno ? strerror(errno) : "HDF5 error", saved > nold ? saved - nold : 0, done);
      mc_h5_close(w, 0);
      return MC_EIO;
    }
    mc_h5_close(w, 0);
    fprintf(stderr, "memcurve run: interrupted after %zu of %zu runs; kept in %s\n", done, sw->n,
            part);
    return MC_EINTR;
  }
  errno = 0;
  int src = mc_h5_sync(w); /* the .partial whole first (close then only renames it) */
  size_t saved = mc_h5_writer_saved(w);
  if (src != MC_OK || mc_h5_close(w, 1) != MC_OK) {
    int e = errno;
    if (src != MC_OK) mc_h5_close(w, 0);
    return fprintf(stderr, "memcurve run: cannot finish %s (%s); %s keeps %zu of its %zu runs\n",
                   a->output, e ? strerror(e) : "HDF5 error", part, saved, nold + done),
           MC_EIO;
  }
  char el[32];
  if (nold)
    fprintf(stderr, "memcurve run: %zu run%s (%zu failed) added to the %zu of %s in %s\n", sw->n,
            sw->n == 1 ? "" : "s", failed, nold, a->output, hms(now_s() - started, el, sizeof el));
  else
    fprintf(stderr, "memcurve run: %zu run%s (%zu failed) written to %s in %s\n", sw->n,
            sw->n == 1 ? "" : "s", failed, a->output, hms(now_s() - started, el, sizeof el));
  return failed ? MC_ERANGE : MC_OK; /* some run failed: exit 1 */
}

/* The k-th (from 0) combination of the command line that does not apply (structure and
 * workload, then N), with the reason from the tables, into msg. Returns 0 if there are k or
 * fewer. */
static int misfit(const run_args *a, size_t k, char *msg, size_t size) {
  char why[300];
  size_t seen = 0;
  for (size_t g = 0; g < a->ngroups; g++) {
    const rgroup *G = &a->g[g];
    for (size_t s = 0; s < G->structures.n; s++)
      for (size_t w = 0; w < G->workloads.n; w++) {
        const char *st = G->structures.v[s], *wl = G->workloads.v[w];
        if (!mc_wl_why_not(st, wl, 0, why, sizeof why)) {
          if (seen++ == k) return snprintf(msg, size, "%s/%s does not apply: %s", st, wl, why), 1;
          continue; /* no N of it applies either: one line for the pair */
        }
        for (size_t i = 0; i < G->nsizes; i++)
          if (!mc_wl_why_not(st, wl, G->sizes[i], why, sizeof why) && seen++ == k)
            return snprintf(msg, size, "%s/%s n=%llu does not apply: %s", st, wl,
                            (unsigned long long)G->sizes[i], why),
                   1;
      }
  }
  return 0;
}

/* An empty sweep: why (the first misfit, or the shard). Returns MC_EINVAL. */
static int why_nothing(const run_args *a) {
  char msg[400];
  if (misfit(a, 0, msg, sizeof msg))
    return mc_cli_bad("run", "nothing to run: %s (see memcurve list)", msg);
  return mc_cli_bad("run", "nothing to run: shard %s is empty", "");
}

/* Before the sweep: every child image the sweep will start (one per preload) must load under
 * --mem-limit and get as far as its workload (mc_runner_probe); a limit too small for that is
 * said once here, instead of every run printing the loader's errors and recording "exit status
 * 127", or a preloaded malloc crashing at its first block. Returns 0 or MC_EINVAL. */
static int probe_start(const run_args *a, const sweep *sw) {
  if (!a->ro.mem_limit || !a->mem_limit_arg) return 0; /* the default (3/4 of RAM) always fits */
  for (size_t i = 0; i < sw->n; i++) {
    int seen = 0; /* one probe per allocator name */
    for (size_t j = 0; j < i && !seen; j++)
      seen = strcmp(sw->v[j].allocator, sw->v[i].allocator) == 0;
    if (seen) continue;
    if (mc_runner_probe(&a->ro, sw->v[i].allocator, a->curve) == MC_ENOMEM) {
      char msg[200];
      snprintf(msg, sizeof msg,
               "memory limit too small for the child to start (--mem-limit %s%s, allocator %s): "
               "raise it",
               a->mem_limit_arg, a->mem_limit_arg[strlen(a->mem_limit_arg) - 1] <= '9' ? " MB" : "",
               sw->v[i].allocator);
      return mc_cli_bad("run", "%s", msg);
    }
  }
  return 0;
}

/* --plan: the sweep's configurations (this shard's), for a scheduler sizing its jobs
 * (scripts/slurm-sweep.sh). */
static int print_plan(const run_args *a) {
  sweep sw;
  if (build_sweep(a, &sw)) return MC_ENOMEM;
  printf("# %zu configurations, %u repetitions each%s, timeout %u s, memory limit %llu MB\n", sw.n,
         a->reps, a->curve ? " and a curve pass" : "", a->ro.timeout_s,
         (unsigned long long)(a->ro.mem_limit >> 20));
  for (size_t i = 0; i < sw.n; i++)
    printf("%s %s %s %llu\n", sw.v[i].structure, sw.v[i].workload, sw.v[i].allocator,
           (unsigned long long)sw.v[i].n);
  free(sw.v);
  return MC_OK;
}

static run_args A; /* the parsed command line of `run` (freed by cmd_run on every path) */

const struct option mc_cli_run_opts[] = {{"suite", 1, 0, 'S'},     {"structures", 1, 0, 's'},
                                         {"workloads", 1, 0, 'w'}, {"allocators", 1, 0, 'a'},
                                         {"sizes", 1, 0, 'n'},     {"reps", 1, 0, 'r'},
                                         {"seed", 1, 0, 'e'},      {"output", 1, 0, 'o'},
                                         {"shard", 1, 0, 'k'},     {"no-curve", 0, 0, 'c'},
                                         {"timeout", 1, 0, 't'},   {"mem-limit", 1, 0, 'm'},
                                         {"gbench", 1, 0, 'g'},    {"overhead", 0, 0, 'O'},
                                         {"quiet", 0, 0, 'q'},     {"force", 0, 0, 'F'},
                                         {"append", 0, 0, 'A'},    {"plan", 0, 0, 'P'},
                                         {"help", 0, 0, 'h'},      {0, 0, 0, 0}};

static int run_main(int argc, char **argv) {
  run_args *const a = &A;
  a->seed = 1;
  a->output = "results/memcurve.h5";
  a->shard_k = a->shard_n = 1;
  a->curve = 1;
  a->ro.timeout_s = 300;
  /* a runaway N must not take the machine down: 3/4 of RAM per child unless told otherwise */
  long pages = sysconf(_SC_PHYS_PAGES), psize = sysconf(_SC_PAGESIZE);
  if (pages > 0 && psize > 0) a->ro.mem_limit = (uint64_t)pages / 4 * 3 * (uint64_t)psize;
  static char child_exe[4096]; /* memcurve-child beside this program: cheap to exec */
  a->ro.exe = mc_runner_child_exe(child_exe, sizeof child_exe);
  uint64_t v;
  int c;
  optind = 1;
  opterr = 0;
  while ((c = getopt_long(argc, argv, "s:w:a:n:r:o:qh", mc_cli_run_opts, NULL)) != -1) {
    switch (c) {
    case 'S':
      a->suite = NULL;
      for (const mc_cli_suite *s = mc_cli_suites; s->name; s++)
        if (strcmp(s->name, optarg) == 0) a->suite = s;
      if (!a->suite) return mc_cli_bad("run", "unknown suite '%s' (see memcurve list)", optarg);
      break;
    case 's': a->opt_s = optarg; break;
    case 'w': a->opt_w = optarg; break;
    case 'a': a->opt_a = optarg; break;
    case 'n': a->opt_n = optarg; break;
    case 'r':
      if (parse_u64(optarg, 1, 1000, &v))
        return mc_cli_bad("run", "bad repetitions '%s' (1..1000)", optarg);
      a->reps = (unsigned)v;
      break;
    case 'e':
      if (parse_u64(optarg, 0, UINT64_MAX, &v)) return mc_cli_bad("run", "bad seed '%s'", optarg);
      a->seed = v;
      break;
    case 'o': a->output = optarg; break;
    case 'k': {
      unsigned k, n;
      char tail;
      if (sscanf(optarg, "%u/%u%c", &k, &n, &tail) != 2 || n == 0 || k == 0 || k > n || n > 10000)
        return mc_cli_bad("run", "bad shard '%s' (want K/N with 1 <= K <= N)", optarg);
      a->shard_k = k;
      a->shard_n = n;
      break;
    }
    case 'c': a->curve = 0; break;
    case 't':
      if (parse_u64(optarg, 1, 86400, &v))
        return mc_cli_bad("run", "bad timeout '%s' (1..86400 s)", optarg);
      a->ro.timeout_s = (unsigned)v;
      break;
    case 'm': /* a plain number is MB (as before); a suffix gives the unit */
      if (mc_cli_parse_size(optarg, 1024, 0, (uint64_t)1 << 40, &v))
        return mc_cli_bad("run", "bad memory limit '%s' (MB, or 512M, 2G; 0: none)", optarg);
      a->ro.mem_limit = optarg[strlen(optarg) - 1] <= '9' ? v << 20 : v;
      a->mem_limit_arg = optarg;
      if (a->ro.mem_limit > (uint64_t)1 << 40)
        return mc_cli_bad("run", "bad memory limit '%s' (at most 1T)", optarg);
      break;
    case 'F': a->out_mode = a->out_mode == MC_CLI_OUT_APPEND ? -1 : MC_CLI_OUT_FORCE; break;
    case 'A': a->out_mode = a->out_mode == MC_CLI_OUT_FORCE ? -1 : MC_CLI_OUT_APPEND; break;
    case 'g': split(&a->gbench, optarg); break;
    case 'O': a->overhead = 1; break;
    case 'q': a->quiet = 1; break;
    case 'P': a->plan = 1; break;
    case 'h': fputs(run_usage, stdout); return 0;
    default:
      return mc_cli_bad("run", "bad option '%s' (see memcurve run --help)", argv[optind - 1]);
    }
  }
  /* --gbench takes several files: the remaining operands */
  for (; optind < argc; optind++) {
    if (a->gbench.n == 0) return mc_cli_bad("run", "unexpected argument '%s'", argv[optind]);
    split(&a->gbench, argv[optind]);
  }
  int rc = resolve(a);
  if (rc) return rc;
  for (size_t i = 0; i < a->gbench.n; i++) {
    struct stat gst;
    if (access(a->gbench.v[i], R_OK) != 0)
      return mc_cli_bad("run", "cannot read '%s'", a->gbench.v[i]);
    if (stat(a->gbench.v[i], &gst) != 0 || !S_ISREG(gst.st_mode) || gst.st_size > MC_CLI_SLURP_MAX)
      return mc_cli_bad("run", "'%s' is not a regular file of at most 256 MiB (--gbench)",
                        a->gbench.v[i]);
  }
  if (a->out_mode < 0) return mc_cli_bad("run", "--force and --append exclude each other%s", "");
  if (a->plan) return print_plan(a);
  sweep sw;
  if (build_sweep(a, &sw)) return MC_ENOMEM;
  if ((rc = add_heap_sweep(a, &sw)) != MC_OK) {
    free(sw.v);
    return rc;
  }
  if (sw.n == 0 && a->gbench.n == 0) {
    free(sw.v);
    return why_nothing(a);
  }
  char skip[400]; /* lists typed on the command line: each combination left out is said */
  for (size_t k = 0; !a->suite && a->opt_s && a->opt_w && misfit(a, k, skip, sizeof skip); k++)
    fprintf(stderr, "memcurve run: skipped: %s\n", skip);
  if (!a->overhead && (rc = mc_cli_output_check("run", a->output, a->out_mode)) != 0) {
    free(sw.v);
    return rc;
  }
  if ((rc = probe_start(a, &sw)) != 0) {
    free(sw.v);
    return rc;
  }
  if (!a->overhead) rc = mc_heapsweep_bisect(sw.v, &sw.n, &a->ro, a->quiet ? NULL : stderr);
  if (rc == MC_OK) rc = a->overhead ? run_overhead(a, &sw) : run_sweep(a, &sw, argc, argv);
  free(sw.v);
  return rc;
}

int mc_cli_run(int argc, char **argv) {
  memset(&A, 0, sizeof A);
  int rc = run_main(argc, argv);
  for (size_t g = 0; g < 4; g++) {
    list_free(&A.g[g].structures);
    list_free(&A.g[g].workloads);
    list_free(&A.g[g].allocators);
  }
  list_free(&A.gbench);
  return rc;
}
