/* bench_gc.c — the collector's benchmarks.
 *
 *   bench_gc [Google Benchmark flags]   throughput of binary-trees, GCBench and cycles under
 *                                       gc, gc-python (700/10/10), rc (reference counting,
 *                                       CPython's detector), boehm and system (binary-trees
 *                                       under gc: the collector's inline API); store/gc and
 *                                       store/rc: mc_store per call (ns per store)
 *   bench_gc compare [--depth N] [--workload binary-trees|gcbench] [--allocs a,b,..]
 *                    [--threshold t0,t1,t2] [--young-bytes B]
 *                                       side by side, each allocator in a fresh child process
 *                                       (gc, gc-vtable: binary-trees through the mc_alloc
 *                                       vtable instead of the inline API, gc-python, rc,
 *                                       rc-off, boehm, system; --workload cycles: --depth is
 *                                       the node count):
 *                                       wall time, peak RSS (getrusage of the child),
 *                                       collections and the pause distribution
 *   bench_gc pauses [--nodes N] [--young N]
 *                                       young-collection pauses with N and 10 N long-lived
 *                                       objects: they follow the young generation, not the heap
 *
 * The compare and pauses modes print one line per run; Google Benchmark mode writes its usual
 * console/JSON output. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mc_bench.h"
#include "mc_boehm.h"
#include "mc_gc.h"
#include "mc_gcwork.h"
#include "mc_system.h"

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ---- pause recording ---------------------------------------------------------------------- */

typedef struct pauses {
  uint64_t *ns[MC_GC_NGEN];
  size_t n[MC_GC_NGEN], cap[MC_GC_NGEN];
} pauses;

static void on_gc(const mc_gc_info *info, void *arg) {
  pauses *p = arg;
  if (info->phase != 1) return;
  int g = info->generation;
  if (p->n[g] == p->cap[g]) {
    size_t cap = p->cap[g] ? 2 * p->cap[g] : 1024;
    uint64_t *a = realloc(p->ns[g], cap * sizeof *a);
    if (!a) return;
    p->ns[g] = a;
    p->cap[g] = cap;
  }
  p->ns[g][p->n[g]++] = info->pause_ns;
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

static void pause_summary(pauses *p, char *out, size_t cap) {
  size_t off = 0;
  out[0] = 0;
  for (int g = 0; g < MC_GC_NGEN; g++) {
    if (!p->n[g]) continue;
    qsort(p->ns[g], p->n[g], sizeof(uint64_t), cmp_u64);
    uint64_t total = 0;
    for (size_t i = 0; i < p->n[g]; i++) total += p->ns[g][i];
    off +=
        (size_t)snprintf(out + off, off < cap ? cap - off : 0,
                         " gen%d: n=%zu median=%.3fms p99=%.3fms max=%.3fms total=%.3fs;", g,
                         p->n[g], p->ns[g][p->n[g] / 2] / 1e6, p->ns[g][p->n[g] * 99 / 100] / 1e6,
                         p->ns[g][p->n[g] - 1] / 1e6, total / 1e9);
  }
}

/* ---- compare mode --------------------------------------------------------------------------- */

typedef struct cmp_opts {
  const char *workload;
  int depth;
  int threshold[MC_GC_NGEN];
  size_t young_bytes;
} cmp_opts;

/* The configuration of collected heap name: gc (tracing, default), gc-python (tracing,
 * 700/10/10), rc (reference counting with CPython's detector), rc-off (its detector disabled
 * once the heap exists). 0, or -1 if name is not a collected heap's. */
static int heap_config(const char *name, mc_gc_config *cfg) {
  if (strcmp(name, "gc") == 0 || strcmp(name, "gc-vtable") == 0)
    mc_gc_config_default(cfg);
  else if (strcmp(name, "gc-python") == 0)
    mc_gc_config_python(cfg);
  else if (strcmp(name, "rc") == 0 || strcmp(name, "rc-off") == 0)
    mc_gc_config_refcount(cfg);
  else
    return -1;
  return 0;
}

/* Runs the workload under one allocator in this (child) process and prints its line. */
static int run_one(const char *name, const cmp_opts *o) {
  mc_system sys;
  mc_system_init(&sys);
  mc_alloc al;
  mc_gc *gc = NULL;
  mc_boehm boehm;
  pauses p;
  memset(&p, 0, sizeof p);
  mc_gc_config cfg;
  if (heap_config(name, &cfg) == 0) {
    if (o->threshold[0]) memcpy(cfg.threshold, o->threshold, sizeof cfg.threshold);
    if (o->young_bytes) cfg.young_bytes = o->young_bytes;
    if (mc_gc_new(&gc, mc_system_allocator(NULL), &cfg) != MC_OK) return 1;
    if (strcmp(name, "rc-off") == 0) mc_gc_disable(gc);
    mc_gc_callback_add(gc, on_gc, &p);
    al = mc_gc_allocator(gc);
  } else if (strcmp(name, "boehm") == 0) {
    mc_boehm_init(&boehm);
    al = mc_boehm_allocator(&boehm);
  } else if (strcmp(name, "system") == 0) {
    al = mc_system_allocator(&sys);
  } else {
    fprintf(stderr, "bench_gc: unknown allocator %s\n", name);
    return 2;
  }
  mc_gcwork_opts wo;
  memset(&wo, 0, sizeof wo);
  wo.vtable = strcmp(name, "gc-vtable") == 0; /* gc: binary-trees uses the inline API */
  uint64_t t0 = now_ns();
  int rc = mc_gcwork_run(o->workload, al, (uint64_t)o->depth, &wo);
  double secs = (now_ns() - t0) / 1e9;
  mc_alloc_stats st;
  mc_alloc_get_stats(al, &st);
  char ps[512];
  pause_summary(&p, ps, sizeof ps);
  printf("%-10s %s depth %d: %s, %.3f s, collections %llu, footprint peak %.1f MB,%s\n", name,
         o->workload, o->depth, rc == MC_OK ? "ok" : mc_strerror(rc), secs,
         (unsigned long long)st.collections, st.footprint_peak / 1048576.0, ps);
  fflush(stdout);
  mc_gc_free(gc);
  return rc == MC_OK ? 0 : 1;
}

static int compare(int argc, char **argv) {
  cmp_opts o = {"binary-trees", 16, {0, 0, 0}, 0};
  const char *allocs = "gc,boehm";
  for (int i = 2; i < argc; i++) {
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!v) break;
    if (strcmp(argv[i], "--depth") == 0)
      o.depth = atoi(v), i++;
    else if (strcmp(argv[i], "--workload") == 0)
      o.workload = v, i++;
    else if (strcmp(argv[i], "--allocs") == 0)
      allocs = v, i++;
    else if (strcmp(argv[i], "--young-bytes") == 0)
      o.young_bytes = strtoull(v, NULL, 10), i++;
    else if (strcmp(argv[i], "--threshold") == 0) {
      if (sscanf(v, "%d,%d,%d", &o.threshold[0], &o.threshold[1], &o.threshold[2]) != 3) return 2;
      i++;
    } else {
      fprintf(stderr, "bench_gc compare: bad argument %s\n", argv[i]);
      return 2;
    }
  }
  char list[256];
  snprintf(list, sizeof list, "%s", allocs);
  int status = 0;
  for (char *save = NULL, *name = strtok_r(list, ",", &save); name;
       name = strtok_r(NULL, ",", &save)) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) return 1;
    if (pid == 0) _exit(run_one(name, &o));
    int ws;
    struct rusage ru;
    if (wait4(pid, &ws, 0, &ru) < 0) return 1;
    printf("%-10s peak RSS %.1f MB (child maxrss), user %.3f s, sys %.3f s\n", name,
           ru.ru_maxrss / 1024.0, ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6,
           ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
    if (!WIFEXITED(ws) || WEXITSTATUS(ws) != 0) status = 1;
  }
  return status;
}

/* ---- pauses mode: young pauses against heap size ------------------------------------------ */

typedef struct lnode {
  struct lnode *next;
  uint64_t v;
} lnode;
static const size_t lnode_offsets[] = {0};
static const mc_type lnode_type = {"bench.lnode", MC_TYPE_OFFSETS, lnode_offsets, 1, NULL, 0};

static int pauses_at(size_t nodes, int young) {
  mc_gc *gc;
  mc_gc_config cfg;
  mc_gc_config_default(&cfg);
  cfg.threshold[0] = young;
  cfg.threshold[1] = 1000000; /* only young collections during the measurement */
  cfg.young_bytes = SIZE_MAX;
  if (mc_gc_new(&gc, mc_system_allocator(NULL), &cfg) != MC_OK) return 1;
  mc_alloc al = mc_gc_allocator(gc);
  lnode *head = NULL, *tail = NULL, *tmp = NULL;
  mc_root_add(al, &head);
  mc_root_add(al, &tmp);
  for (size_t i = 0; i < nodes; i++) { /* the old generation: a long list */
    lnode *n = mc_alloc_new(al, sizeof *n, 16, &lnode_type);
    if (!n) return 1;
    n->v = i;
    if (tail)
      mc_store(al, tail, &tail->next, n);
    else
      head = n;
    tail = n;
  }
  mc_gc_collect(gc, 2);
  mc_gc_collect(gc, 2);
  pauses p;
  memset(&p, 0, sizeof p);
  mc_gc_callback_add(gc, on_gc, &p);
  uint64_t t0 = now_ns();
  for (size_t i = 0; i < 200 * (size_t)young; i++) { /* churn: short lists of 100 */
    lnode *n = mc_alloc_new(al, sizeof *n, 16, &lnode_type);
    if (!n) return 1;
    if (i % 100 == 0) tmp = NULL;
    mc_store(al, n, &n->next, tmp);
    tmp = n;
  }
  double secs = (now_ns() - t0) / 1e9;
  char ps[512];
  pause_summary(&p, ps, sizeof ps);
  mc_alloc_stats st;
  mc_alloc_get_stats(al, &st);
  printf("pauses: old generation %zu objects (%.1f MB footprint), young threshold %d: %.3f s,%s\n",
         nodes, st.footprint / 1048576.0, young, secs, ps);
  mc_gc_free(gc);
  return 0;
}

static int pauses_mode(int argc, char **argv) {
  size_t nodes = 1000000;
  int young = 100000;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (strcmp(argv[i], "--nodes") == 0)
      nodes = strtoull(argv[i + 1], NULL, 10);
    else if (strcmp(argv[i], "--young") == 0)
      young = atoi(argv[i + 1]);
    else
      return 2;
  }
  int rc = pauses_at(nodes, young);
  return rc ? rc : pauses_at(10 * nodes, young);
}

/* ---- Google Benchmark mode ----------------------------------------------------------------- */

typedef struct bm_arg {
  const char *alloc; /* gc, gc-python, rc, boehm, system */
  const char *workload;
} bm_arg;

static void bm_work(mc_bench_state *st, void *argp) {
  const bm_arg *a = argp;
  int64_t n = mc_bench_range_arg(st, 0);
  int64_t ops = 0;
  static mc_boehm boehm;
  while (mc_bench_keep_running(st)) {
    mc_system sys;
    mc_system_init(&sys);
    mc_gc *gc = NULL;
    mc_alloc al;
    mc_gc_config cfg;
    if (heap_config(a->alloc, &cfg) == 0) {
      if (mc_gc_new(&gc, mc_system_allocator(NULL), &cfg) != MC_OK) {
        mc_bench_skip_with_error(st, "mc_gc_new failed");
        break;
      }
      al = mc_gc_allocator(gc);
    } else if (strcmp(a->alloc, "boehm") == 0) {
      mc_boehm_init(&boehm);
      al = mc_boehm_allocator(&boehm);
    } else {
      al = mc_system_allocator(&sys);
    }
    int rc = mc_gcwork_run(a->workload, al, (uint64_t)n, NULL);
    mc_gc_free(gc);
    if (rc != MC_OK) {
      mc_bench_skip_with_error(st, mc_strerror(rc));
      break;
    }
    ops += (int64_t)mc_gcwork_expected_ops(a->workload, (uint64_t)n);
  }
  mc_bench_set_items_processed(st, ops);
}

/* mc_store through the vtable, per call: K long-lived objects (each in a root slot, collected
 * into the old generation first), each store points one object's slot at another of them. Under
 * tracing it is the write barrier (old -> old: no remembered-set entry); under reference counting
 * an increment of the new target and a decrement of the old one (never to zero: every object
 * stays rooted). */
enum { STORE_K = 1024 };
static void bm_store(mc_bench_state *st, void *argp) {
  const char *name = argp;
  mc_gc_config cfg;
  mc_gc *gc;
  if (heap_config(name, &cfg) != 0 || mc_gc_new(&gc, mc_system_allocator(NULL), &cfg) != MC_OK) {
    mc_bench_skip_with_error(st, "mc_gc_new failed");
    return;
  }
  mc_alloc al = mc_gc_allocator(gc);
  static lnode *objs[STORE_K];
  for (size_t i = 0; i < STORE_K; i++) {
    objs[i] = NULL;
    mc_root_add(al, &objs[i]);
    objs[i] = mc_alloc_new(al, sizeof(lnode), MC_ALIGN_DEFAULT, &lnode_type);
    if (!objs[i]) {
      mc_bench_skip_with_error(st, "out of memory");
      mc_gc_free(gc);
      return;
    }
    objs[i]->next = NULL;
  }
  mc_gc_collect(gc, 2);
  size_t k = 1;
  while (mc_bench_keep_running_batch(st, STORE_K)) {
    for (size_t i = 0; i < STORE_K; i++)
      mc_store(al, objs[i], &objs[i]->next, objs[(i + k) & (STORE_K - 1)]);
    k = (k * 5 + 1) & (STORE_K - 1);
  }
  mc_bench_set_items_processed(st, mc_bench_iterations_done(st));
  mc_gc_free(gc);
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "compare") == 0) return compare(argc, argv);
  if (argc > 1 && strcmp(argv[1], "pauses") == 0) return pauses_mode(argc, argv);
  static const char *allocs[] = {"gc", "gc_python", "rc", "boehm", "system"};
  static const char *impl[] = {"gc", "gc-python", "rc", "boehm", "system"};
  static bm_arg args[5][3];
  static const char *works[] = {"binary-trees", "gcbench", "cycles"};
  static const char *wnames[] = {"binary_trees", "gcbench", "cycles"};
  static const int64_t sizes[] = {14, 12, 100000};
  for (int a = 0; a < 5; a++)
    for (int w = 0; w < 3; w++) {
      char name[96];
      args[a][w].alloc = impl[a];
      args[a][w].workload = works[w];
      snprintf(name, sizeof name, "tree/%s/%s", wnames[w], allocs[a]);
      mc_bench_unit(mc_bench_use_real_time(
                        mc_bench_arg(mc_bench_register(name, bm_work, &args[a][w]), sizes[w])),
                    MC_BENCH_MS);
    }
  static const char *stores[] = {"gc", "rc"};
  for (int a = 0; a < 2; a++) {
    char name[64];
    snprintf(name, sizeof name, "store/%s", stores[a]);
    mc_bench_register(name, bm_store, (void *)stores[a]);
  }
  return mc_bench_main(argc, argv);
}
