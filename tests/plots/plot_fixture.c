/* plot_fixture.c — builds the results file described in plot_fixture.h. The curves are
 * simple closed forms (bytes linear in elements plus a per-allocator overhead), so the
 * expected peaks and exponents are known exactly. */
#include "plot_fixture.h"

#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc_error.h"

static const unsigned long long ns[] = {1000, 4000, 16000};

/* list/fill footprint per element and fixed part, by allocator. */
static double per_elem(const char *a) {
  return !strcmp(a, "system") ? 32 : !strcmp(a, "arena") ? 24 : 28;
}
static double fixed(const char *a) { return !strcmp(a, "arena") ? 65536 : 0; }

double mc_plotfix_peak(const char *a, unsigned long long n) {
  return per_elem(a) * (double)n + fixed(a);
}

static void name(char dst[MC_RESULT_NAME], const char *s) {
  snprintf(dst, MC_RESULT_NAME, "%s", s);
}

/* One run: a fill (or a cycles sawtooth when cyc > 0) of n elements in 50 samples. */
/* The place the harness's allocator table gives each allocator the fixture uses. */
static int32_t chart_order(const char *a) {
  static const struct {
    const char *name;
    int32_t order;
  } t[] = {{"system", 0}, {"arena", 5},       {"pool", 6}, {"gc", 7},
           {"gc-off", 9}, {"gc-saveall", 10}, {"rc", 11},  {"rc-off", 12}};
  for (size_t i = 0; i < sizeof t / sizeof *t; i++)
    if (!strcmp(a, t[i].name)) return t[i].order;
  return -1;
}

static int add(mc_h5_writer *w, const char *s, const char *wl, const char *a, unsigned long long n,
               int cyc, unsigned flags) {
  mc_result_point pts[51];
  mc_result_event ev[16];
  size_t ne = 0;
  double pe = per_elem(a), fx = fixed(a);
  if (!strcmp(s, "ndarray")) pe = 8, fx = 64;
  if (!strcmp(s, "boxed")) pe = 8 + 32, fx = 64;
  for (int i = 0; i <= 50; i++) {
    unsigned long long el = n * (unsigned long long)i / 50, fp;
    if (cyc) { /* build and drop cycles: gc frees every 10 samples, off/saveall keep growing */
      el = n * (unsigned long long)(i % 10 + 1) / 10;
      unsigned long long held = !strcmp(a, "gc") ? el : n * (unsigned long long)(i + 1) / 10;
      if (!strncmp(a, "rc", 2)) /* counting frees chains at once; rc-off keeps the cycles */
        el = held = cyc == 1 && !strcmp(a, "rc-off") ? held : n / 100;
      fp = 48 * held;
      if (i % 10 == 0 && i && ne < 14) /* a new round of cycles starts */
        ev[ne++] = (mc_result_event){
            (uint64_t)i * n, (uint64_t)i * 1000000, MC_RESULT_EV_PHASE, i / 10, 0, 0, 0};
      if (!strcmp(a, "gc") && i % 10 == 9 && ne < 14)
        ev[ne++] = (mc_result_event){(uint64_t)i * n,   (uint64_t)i * 1000000, MC_RESULT_EV_COLLECT,
                                     (int32_t)(ne % 3), 20000 + 5000 * ne,     fp,
                                     48 * n / 10};
    } else {
      fp = (unsigned long long)(pe * (double)el + (el ? fx : 0));
    }
    pts[i] = (mc_result_point){(uint64_t)i * n / 50 * (cyc ? 50 : 1),
                               el,
                               (uint64_t)i * 1000000,
                               el * 8, /* requested: never above any footprint here (live) */
                               fp,
                               fp + 1000000,
                               ne,
                               fp,          /* held */
                               fp + 200000, /* resident */
                               (uint64_t)i * n / 50 * (cyc ? 50 : 1)};
  }
  if (!strcmp(a, "arena")) /* a reset at the end: everything dropped at once */
    ev[ne++] = (mc_result_event){n, 51000000, MC_RESULT_EV_RESET, 0, 0, pts[50].footprint, 0};
  mc_result_run run;
  memset(&run, 0, sizeof run);
  name(run.structure, s), name(run.workload, wl), name(run.allocator, a);
  if ((flags & MC_PLOTFIX_HOSTILE) && !strcmp(s, "list")) name(run.structure, "<list> & \"co'\"");
  run.n = n, run.seed = 7, run.repetitions = 3, run.ok = 1;
  snprintf(run.status, sizeof run.status, "ok");
  /* the facts the harness writes: binary-trees' N is a depth; the cycles runs are the
   * collector's; chart order as the allocator table gives it */
  run.n_means = !strcmp(wl, "binary-trees") ? MC_RESULT_N_DEPTH : MC_RESULT_N_ELEMENTS;
  run.heap = cyc ? MC_RESULT_HEAP_MANAGED | MC_RESULT_HEAP_COLLECTED : 0;
  if (cyc && !strncmp(a, "rc", 2)) run.heap |= MC_RESULT_HEAP_REFCOUNT;
  if (cyc && strstr(a, "-off")) run.heap |= MC_RESULT_HEAP_GC_OFF;
  if (cyc && strstr(a, "-saveall")) run.heap |= MC_RESULT_HEAP_SAVEALL;
  run.allocator_order = chart_order(a);
  run.cyclic = cyc == 1; /* the cycles workload's garbage forms cycles; chains' does not */
  run.array = !strcmp(s, "ndarray") ? MC_RESULT_ARRAY_UNBOXED
              : !strcmp(s, "boxed") ? MC_RESULT_ARRAY_BOXED
                                    : MC_RESULT_ARRAY_NONE;
  run.curve = pts, run.ncurve = 51, run.events = ev, run.nevents = ne;
  mc_result_summary rows[5];
  uint32_t nrep = (flags & MC_PLOTFIX_REPS5) ? 5 : 3;
  run.repetitions = nrep;
  for (uint32_t r = 0; r < nrep; r++) {
    mc_result_summary *x = &rows[r];
    memset(x, 0, sizeof *x);
    name(x->structure, run.structure), name(x->workload, wl), name(x->allocator, a);
    x->n = n, x->rep = r, x->ok = 1;
    snprintf(x->status, sizeof x->status, "ok");
    x->ops = pts[50].ops;
    double speed = !strcmp(a, "arena") ? 3 : !strcmp(a, "pool") ? 2 : 1; /* ns per op factor */
    x->wall_ns = (uint64_t)(speed * 100.0 * (double)x->ops * (1.0 + 0.1 * r));
    x->ops_per_s = (double)x->ops / ((double)x->wall_ns / 1e9);
    x->peak_requested = pts[50].requested;
    x->peak_footprint = (uint64_t)(cyc ? 48 * n : mc_plotfix_peak(a, n));
    if (strcmp(s, "list") && !cyc) x->peak_footprint = (uint64_t)(pe * (double)n + fx);
    x->peak_rss = x->peak_footprint + 1000000;
    x->peak_held = x->peak_footprint; /* the curve's held is its footprint */
    x->peak_resident = x->peak_footprint + 200000;
    x->final_requested = pts[50].requested;
    x->final_held = pts[50].held;
    x->final_resident = pts[50].resident;
    x->allocs_per_op = 1;
  }
  if (!strcmp(a, "pool") && n == ns[2])
    rows[2].ok = 0, snprintf(rows[2].status, MC_RESULT_STATUS, "killed");
  return mc_h5_add_run(w, &run, rows, nrep);
}

static int add_tput(mc_h5_writer *w) {
  mc_result_tput rows[18];
  size_t k = 0;
  const char *as[] = {"system", "arena"};
  for (int a = 0; a < 2; a++)
    for (int i = 0; i < 2; i++)
      for (uint32_t r = 0; r < 3; r++) {
        mc_result_tput *t = &rows[k++];
        memset(t, 0, sizeof *t);
        snprintf(t->name, sizeof t->name, "list_fill/%s/%llu", as[a], ns[i]);
        name(t->structure, "list"), name(t->workload, "fill"), name(t->allocator, as[a]);
        t->n = ns[i], t->rep = r, t->iterations = 100;
        t->real_ns = t->cpu_ns = 1000.0 * (double)ns[i] * (1 + a) * (1 + 0.05 * r);
        t->items_per_s = (double)ns[i] / (t->real_ns / 1e9);
      }
  /* rows without N (bench_alloc's alloc/pair16/<allocator>, what one allocation costs): the
   * cost chart */
  for (int a = 0; a < 2; a++)
    for (uint32_t r = 0; r < 3; r++) {
      mc_result_tput *t = &rows[k++];
      memset(t, 0, sizeof *t);
      snprintf(t->name, sizeof t->name, "alloc/pair16/%s", as[a]);
      name(t->structure, "alloc"), name(t->workload, "pair16"), name(t->allocator, as[a]);
      t->rep = r, t->iterations = 1000000, t->kind = MC_RESULT_TPUT_ALLOCATION;
      t->real_ns = t->cpu_ns = (a ? 3.0 : 9.0) + 0.1 * r;
      t->items_per_s = 1e9 / t->real_ns;
    }
  return mc_h5_add_tput(w, rows, k, "bench_list", "{\"benchmarks\": []}");
}

int mc_plotfix_write(const char *path, unsigned flags) {
  mc_result_meta m;
  memset(&m, 0, sizeof m);
  m.schema_version = MC_H5_SCHEMA;
  snprintf(m.created_utc, sizeof m.created_utc, "2026-01-01T00:00:00Z");
  snprintf(m.host, sizeof m.host, (flags & MC_PLOTFIX_HOSTILE) ? "<b>host</b> & 'x'" : "testhost");
  snprintf(m.cpu, sizeof m.cpu, "Test CPU @ 1 GHz");
  snprintf(m.compiler, sizeof m.compiler, "gcc 12");
  snprintf(m.cflags, sizeof m.cflags, "-O2");
  snprintf(m.library_versions, sizeof m.library_versions, "hdf5 1.10");
  snprintf(m.command_line, sizeof m.command_line, "memcurve run --test");
  if (flags & MC_PLOTFIX_REPS5) {
    snprintf(m.schedule, sizeof m.schedule, "interleaved: 5 rounds (seed 1)");
    snprintf(m.glossary, sizeof m.glossary,
             "structure\tlist\tdoubly linked list <one node per element>\n"
             "structure\ttree\tbinary trees\nworkload\tfill\tgrow from empty to N\n"
             "workload\tcycles\tbuild & drop cyclic lists\n");
  }
  mc_h5_writer *w;
  char err[256];
  int rc = mc_h5_create(&w, path, &m, err, sizeof err);
  if (rc != MC_OK) return rc;
  static const char *as[] = {"system", "arena", "pool"};
  for (int a = 0; !(flags & MC_PLOTFIX_NO_RUNS) && a < 3; a++)
    for (int i = 0; !rc && i < 3; i++) {
      rc = add(w, "list", "fill", as[a], ns[i], 0, flags);
      if (!rc && a == 0) rc = add(w, "ndarray", "fill", as[a], ns[i], 0, flags);
      if (!rc && a == 0) rc = add(w, "boxed", "fill", as[a], ns[i], 0, flags);
    }
  /* binary-trees: N is a tree depth (2^depth nodes) */
  for (int d = 4; !rc && !(flags & MC_PLOTFIX_NO_RUNS) && d <= 6; d += 2)
    for (int a = 0; !rc && a < 2; a++)
      rc = add(w, "tree", "binary-trees", as[a], (unsigned long long)d, 0, flags);
  static const char *gcs[] = {"gc", "gc-off", "gc-saveall"};
  for (int g = 0; !rc && !(flags & MC_PLOTFIX_NO_RUNS) && g < 3; g++)
    if (g != 1 || !(flags & MC_PLOTFIX_NO_GCOFF))
      rc = add(w, "list", "cycles", gcs[g], 2000, 1, flags);
  /* both collector models on the cycles and on their acyclic twin, chains (cyc 2) */
  static const char *models[] = {"rc", "rc-off", "rc-saveall"};
  for (int g = 0; !rc && !(flags & MC_PLOTFIX_NO_RUNS) && g < 3; g++)
    rc = add(w, "list", "cycles", models[g], 2000, 1, flags);
  static const char *lesson[] = {"gc", "gc-off", "rc", "rc-off"};
  for (int g = 0; !rc && !(flags & MC_PLOTFIX_NO_RUNS) && g < 4; g++)
    if (g != 1 || !(flags & MC_PLOTFIX_NO_GCOFF))
      rc = add(w, "list", "chains", lesson[g], 2000, 2, flags);
  if (!rc && !(flags & (MC_PLOTFIX_NO_TPUT | MC_PLOTFIX_NO_RUNS))) rc = add_tput(w);
  int rc2 = mc_h5_close(w, rc == MC_OK);
  return rc ? rc : rc2;
}

int mc_plotfix_draw_runs(mc_result_run *runs, size_t n, const char *name, unsigned formats,
                         char *out, mc_plot_list *l) {
  mc_results r;
  memset(&r, 0, sizeof r);
  r.runs = runs, r.nruns = n;
  char err[256];
  mc_test_path(out, 256, name);
  mc_plot_opts o = {.outdir = out, .formats = formats, .plan_only = formats == 0};
  return mc_plot_draw(&r, &o, l, err, sizeof err);
}

void mc_plotfix_run(mc_result_run *run, const char *s, const char *w, const char *a, uint64_t n) {
  memset(run, 0, sizeof *run);
  snprintf(run->structure, MC_RESULT_NAME, "%s", s);
  snprintf(run->workload, MC_RESULT_NAME, "%s", w);
  snprintf(run->allocator, MC_RESULT_NAME, "%s", a);
  run->n = n;
}
