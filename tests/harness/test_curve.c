/* test_curve.c — the curve recorder, the workloads run in-process, the Mann-Whitney U test and
 * the Google Benchmark JSON reader. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mc_allocators.h"
#include "mc_counting.h"
#include "mc_curve.h"
#include "mc_gbjson.h"
#include "mc_malloc_held.h"
#include "mc_stats.h"
#include "mc_workload.h"
#include "testutil.h"

/* A run specification: structure s, workload w, allocator a, N = n, seed 0. */
static mc_run_spec spec_of(const char *s, const char *w, const char *a, uint64_t n) {
  mc_run_spec sp;
  memset(&sp, 0, sizeof sp);
  snprintf(sp.structure, MC_RESULT_NAME, "%s", s);
  snprintf(sp.workload, MC_RESULT_NAME, "%s", w);
  snprintf(sp.allocator, MC_RESULT_NAME, "%s", a);
  sp.n = n;
  return sp;
}

/* Allocates through a counting allocator while ticking: the curve sees exact bytes. */
static void test_curve_stride_and_values(void) {
  mc_system sys;
  mc_counting cnt;
  mc_alloc al = mc_test_counting_system(&sys, &cnt);
  mc_curve c;
  const uint64_t ops = 10000;
  CU_ASSERT_FATAL(mc_curve_init(&c, al, ops, 1) == MC_OK);
  static void *blocks[10000];
  mc_curve_start(&c);
  for (uint64_t i = 0; i < ops; i++) {
    blocks[i] = mc_alloc_new(al, 100, MC_ALIGN_DEFAULT, NULL);
    CU_ASSERT_FATAL(blocks[i] != NULL);
    mc_curve_tick(&c, i + 1);
  }
  mc_curve_finish(&c);
  CU_ASSERT(c.npts >= 256);
  CU_ASSERT(c.npts <= MC_CURVE_CAP + 2);
  CU_ASSERT(c.pts[0].ops == 0 && c.pts[0].requested == 0);
  for (size_t i = 0; i < c.npts; i++) {
    /* every stride sample sits on the grid and shows exactly ops * 100 bytes */
    CU_ASSERT(c.pts[i].ops % c.stride == 0 || c.pts[i].ops == ops);
    CU_ASSERT(c.pts[i].requested == c.pts[i].ops * 100);
    CU_ASSERT(c.pts[i].elements == c.pts[i].ops);
    CU_ASSERT(c.pts[i].footprint >= c.pts[i].requested);
    CU_ASSERT(c.pts[i].rss > 0);
    if (i) CU_ASSERT(c.pts[i].ops > c.pts[i - 1].ops && c.pts[i].t_ns >= c.pts[i - 1].t_ns);
  }
  CU_ASSERT(c.pts[c.npts - 1].ops == ops);
  for (uint64_t i = 0; i < ops; i++) mc_alloc_free(al, blocks[i], 100, MC_ALIGN_DEFAULT);
  mc_curve_destroy(&c);
}

/* A malloc's held changes only inside its calls: the samples after a read with no allocator call
 * since keep that read, exactly (held_ops = ops, no read spent: a priority queue at steady size
 * calls malloc only when it grows); the first call after makes the next sample read again. */
static void test_curve_held_kept_without_calls(void) {
  mc_system sys;
  mc_counting cnt;
  mc_alloc al = mc_test_counting_system(&sys, &cnt);
  mc_curve c;
  CU_ASSERT_FATAL(mc_curve_init(&c, al, 1000, 1) == MC_OK);
  void *b = mc_alloc_new(al, 100, MC_ALIGN_DEFAULT, NULL);
  CU_ASSERT_FATAL(b != NULL);
  mc_curve_baseline(&c, 1);
  mc_curve_start(&c); /* the first sample: a forced read */
  for (int i = 0; i < 500; i++) mc_curve_tick(&c, 1);
  /* no assertion before this read: nothing may call malloc between the samples and it */
  mc_malloc_held_info info;
  int rc = mc_malloc_held(&info);
  size_t kept = c.npts;
  uint64_t reads = c.held_reads, same = c.held_same;
  CU_ASSERT_FATAL(rc == MC_OK && kept > 100);
  CU_ASSERT(reads == 1 && same == kept - 1 && c.held_carried == 0);
  uint64_t fresh = info.held > c.pts[0].footprint ? info.held : c.pts[0].footprint;
  for (size_t i = 0; i < kept; i++)
    CU_ASSERT(c.pts[i].held_ops == c.pts[i].ops && c.pts[i].held == fresh);
  void *d = mc_alloc_new(al, 100, MC_ALIGN_DEFAULT, NULL); /* a call: the next sample reads */
  CU_ASSERT_FATAL(d != NULL);
  for (uint64_t i = 0; i < c.stride; i++) mc_curve_tick(&c, 2);
  CU_ASSERT(c.npts == kept + 1 && c.held_reads == reads + 1 && c.held_same == same);
  CU_ASSERT(c.pts[kept].held_ops == c.pts[kept].ops);
  mc_alloc_free(al, b, 100, MC_ALIGN_DEFAULT);
  mc_alloc_free(al, d, 100, MC_ALIGN_DEFAULT);
  mc_curve_destroy(&c);
}

/* A run far longer than expected is decimated: bounded points, still on a (coarser) grid. */
static void test_curve_cap(void) {
  mc_system sys;
  mc_system_init(&sys);
  mc_curve c;
  CU_ASSERT_FATAL(mc_curve_init(&c, mc_system_allocator(&sys), 512, 1) == MC_OK);
  CU_ASSERT(c.stride == 1);
  mc_curve_start(&c);
  for (uint64_t i = 0; i < 100000; i++) mc_curve_tick(&c, i);
  mc_curve_finish(&c);
  CU_ASSERT(c.nstride <= MC_CURVE_CAP);
  CU_ASSERT(c.npts >= MC_CURVE_CAP / 2);
  CU_ASSERT(c.stride > 1 && (c.stride & (c.stride - 1)) == 0);
  for (size_t i = 0; i + 1 < c.npts; i++) CU_ASSERT(c.pts[i].ops % c.stride == 0);
  mc_curve_destroy(&c);
}

/* A heap that collects every few hundred operations (the reference-counting detector: every
 * 700 allocations) records far more events than there is room for event samples: the events
 * are all kept, and the stride samples still reach the end of the run. */
static void test_curve_many_events_keep_the_stride(void) {
  mc_system sys;
  mc_system_init(&sys);
  mc_curve c;
  enum { OPS = 4000000, EVERY = 500 }; /* 8000 events: more than the event samples' room */
  CU_ASSERT_FATAL(mc_curve_init(&c, mc_system_allocator(&sys), OPS, 1) == MC_OK);
  mc_curve_start(&c);
  for (uint64_t i = 1; i <= OPS; i++) {
    mc_curve_tick(&c, i);
    if (i % EVERY == 0) mc_curve_event(&c, MC_RESULT_EV_COLLECT, 0, 100, 4096, 1024);
  }
  mc_curve_finish(&c);
  CU_ASSERT_EQUAL(c.nev, OPS / EVERY);
  CU_ASSERT(c.npts <= c.cap);
  CU_ASSERT_EQUAL(c.pts[c.npts - 1].ops, OPS);
  size_t late = 0; /* stride samples in the last tenth of the run */
  for (size_t i = 0; i < c.npts; i++)
    late += c.pts[i].ops > OPS / 10 * 9 && c.pts[i].ops % c.stride == 0;
  CU_ASSERT(late >= MC_CURVE_TARGET / 20);
  mc_curve_destroy(&c);
}

static void test_curve_events_and_disabled(void) {
  mc_system sys;
  mc_system_init(&sys);
  mc_curve c;
  CU_ASSERT_FATAL(mc_curve_init(&c, mc_system_allocator(&sys), 1000, 1) == MC_OK);
  mc_curve_start(&c);
  for (int i = 0; i < 10; i++) mc_curve_tick(&c, 1);
  mc_curve_event(&c, MC_RESULT_EV_COLLECT, 1, 500, 4096, 1024);
  CU_ASSERT(c.nev == 1);
  CU_ASSERT(c.ev[0].ops == 10 && c.ev[0].kind == MC_RESULT_EV_COLLECT && c.ev[0].pause_ns == 500);
  CU_ASSERT(c.pts[c.npts - 1].ops == 10); /* a sample at the event, off the stride grid */
  CU_ASSERT(c.pts[c.npts - 1].collections == 1);
  mc_curve_destroy(&c);
  /* the timing pass records nothing and allocates nothing */
  CU_ASSERT_FATAL(mc_curve_init(&c, mc_system_allocator(&sys), 1000, 0) == MC_OK);
  CU_ASSERT(c.pts == NULL && c.ev == NULL);
  mc_curve_start(&c);
  for (int i = 0; i < 2000; i++) mc_curve_tick(&c, 1);
  mc_curve_event(&c, MC_RESULT_EV_RESET, 0, 0, 1, 0);
  mc_curve_finish(&c);
  CU_ASSERT(c.npts == 0 && c.nev == 0 && c.ops == 2000);
  mc_curve_destroy(&c);
}

/* Every structure x applicable workload at a small N under system and arena: finishes, the
 * same seed gives the same operations and the same peak requested bytes. */
static void test_workload_all(void) {
  const char *allocs[] = {"system", "arena", "pool", "gc"};
  for (const char *const *s = mc_wl_structures; *s; s++)
    for (const char *const *w = mc_wl_workloads(); *w; w++) {
      if (!mc_wl_applies(*s, *w)) continue;
      uint64_t n = mc_wl_n_ok(*w, 3000) ? 3000 : 8;
      for (size_t a = 0; a < sizeof allocs / sizeof *allocs; a++) {
        mc_run_spec sp = spec_of(*s, *w, allocs[a], n);
        sp.seed = 7;
        mc_curve c1, c2;
        mc_run_out o1, o2;
        int rc1 = mc_wl_run(&sp, 1, &c1, &o1);
        int rc2 = mc_wl_run(&sp, 0, &c2, &o2);
        if (rc1 != MC_OK) fprintf(stderr, "%s/%s/%s: %s\n", *s, *w, allocs[a], o1.status);
        CU_ASSERT(rc1 == MC_OK && o1.ok == 1);
        CU_ASSERT(rc2 == MC_OK && o2.ok == 1);
        CU_ASSERT(o1.ops == o2.ops && o1.ops > 0);
        if (strcmp(allocs[a], "gc") != 0) CU_ASSERT(o1.peak_requested == o2.peak_requested);
        CU_ASSERT(c1.npts >= 256 || o1.ops < 256);
        CU_ASSERT(c2.npts == 0);
        mc_curve_destroy(&c1);
        mc_curve_destroy(&c2);
      }
    }
}

/* Boehm's collections arrive as COLLECT events (deferred: bytes_after from the next sample). */
static void test_workload_boehm_events(void) {
  mc_run_spec sp = spec_of("tree", "binary-trees", "boehm", 12);
  mc_curve c;
  mc_run_out o;
  CU_ASSERT_FATAL(mc_wl_run(&sp, 1, &c, &o) == MC_OK);
  CU_ASSERT(o.collections > 0);
  CU_ASSERT(c.nev > 0);
  for (size_t i = 0; i < c.nev; i++) {
    CU_ASSERT(c.ev[i].kind == MC_RESULT_EV_COLLECT && c.ev[i].pause_ns > 0);
    if (i) CU_ASSERT(c.ev[i].ops >= c.ev[i - 1].ops);
  }
  CU_ASSERT(c.pts[c.npts - 1].collections > 0);
  mc_curve_destroy(&c);
}

/* The collector's variants on the cycles workload (1.2M nodes of 16 bytes in cycles of 64: past
 * the default 8 MB nursery trigger twice). Collection off: nothing is collected, the heap's live
 * bytes are exactly the nodes allocated so far (every cycle dropped and kept); SAVEALL:
 * collections run and find the cycles but keep them, so the live bytes are exactly the same;
 * on: collections reclaim the dropped cycles, live bytes and footprint stay far below. */
#define CYC_N 1200000u
#define CYC_NODE 16u /* bytes: next pointer and value */
static void run_cycles(const char *allocator, mc_curve *c, mc_run_out *o) {
  mc_run_spec sp = spec_of("list", "cycles", allocator, CYC_N);
  CU_ASSERT_FATAL(mc_wl_run(&sp, 1, c, o) == MC_OK);
  CU_ASSERT_FATAL(c->npts >= 256);
  CU_ASSERT(o->ops == CYC_N);
  for (size_t i = 0; i < c->npts; i++) CU_ASSERT(c->pts[i].elements <= 64); /* one cycle live */
}

static size_t count_collects(const mc_curve *c) {
  size_t k = 0;
  for (size_t i = 0; i < c->nev; i++) k += c->ev[i].kind == MC_RESULT_EV_COLLECT;
  return k;
}

static void test_workload_gc_variants_on_cycles(void) {
  CU_ASSERT(mc_wl_known(mc_wl_allocators(), "gc-off") &&
            mc_wl_known(mc_wl_allocators(), "gc-saveall"));
  mc_curve on, off, save;
  mc_run_out o_on, o_off, o_save;
  run_cycles("gc", &on, &o_on);
  run_cycles("gc-off", &off, &o_off);
  run_cycles("gc-saveall", &save, &o_save);
  /* off: no collection; live bytes = every node allocated, at every sample */
  CU_ASSERT(o_off.collections == 0 && count_collects(&off) == 0);
  for (size_t i = 0; i < off.npts; i++) {
    CU_ASSERT(off.pts[i].requested == off.pts[i].ops * CYC_NODE);
    CU_ASSERT(off.pts[i].footprint >= off.pts[i].requested);
  }
  CU_ASSERT(o_off.peak_requested == (uint64_t)CYC_N * CYC_NODE);
  /* SAVEALL: collections happen, and the same bytes stay live: the cycles go to the garbage list */
  CU_ASSERT(o_save.collections >= 1 && count_collects(&save) == o_save.collections);
  for (size_t i = 0; i < save.npts; i++)
    CU_ASSERT(save.pts[i].requested == save.pts[i].ops * CYC_NODE);
  CU_ASSERT(o_save.peak_requested == o_off.peak_requested);
  CU_ASSERT(o_save.peak_footprint >= o_off.peak_footprint); /* plus the garbage list */
  /* on: collections reclaim the cycles; live bytes drop at each, the footprint stays low */
  CU_ASSERT(o_on.collections >= 2 && count_collects(&on) == o_on.collections);
  uint64_t drops = 0;
  for (size_t i = 1; i < on.npts; i++) drops += on.pts[i].requested < on.pts[i - 1].requested;
  CU_ASSERT(drops >= 2);
  CU_ASSERT(on.pts[on.npts - 1].requested < on.pts[on.npts - 1].ops * CYC_NODE / 2);
  CU_ASSERT(o_on.peak_requested < o_off.peak_requested / 2);
  CU_ASSERT(o_on.peak_footprint < o_off.peak_footprint / 2);
  mc_curve_destroy(&on);
  mc_curve_destroy(&off);
  mc_curve_destroy(&save);
}

/* Stack: the destroy frees the blocks in creation order, so the last free unwinds the whole
 * region (UNWIND), and the reset follows (RESET). */
static void test_workload_stack_unwind(void) {
  mc_run_spec sp = spec_of("blocks", "fill", "stack", 5000);
  mc_curve c;
  mc_run_out o;
  CU_ASSERT_FATAL(mc_wl_run(&sp, 1, &c, &o) == MC_OK);
  size_t unwinds = 0, resets = 0;
  for (size_t i = 0; i < c.nev; i++) {
    if (c.ev[i].kind == MC_RESULT_EV_UNWIND) {
      unwinds++;
      CU_ASSERT(c.ev[i].bytes_before >= c.ev[i].bytes_after + MC_CURVE_UNWIND_MIN);
    }
    resets += c.ev[i].kind == MC_RESULT_EV_RESET;
  }
  CU_ASSERT(unwinds >= 1);
  CU_ASSERT(resets == 1);
  mc_curve_destroy(&c);
  /* the timing pass records nothing */
  CU_ASSERT_FATAL(mc_wl_run(&sp, 0, &c, &o) == MC_OK);
  CU_ASSERT(c.nev == 0);
  mc_curve_destroy(&c);
}

/* The three quantities in the curve and the run's summary: for the system allocator (glibc in
 * this process) held is mallinfo2's arena + mmapped (absolute: the test process's own heap
 * is in it), never below the live blocks (its footprint); for the arena held is its footprint,
 * exactly. Resident is the RSS above the baseline. A 64 MiB fill makes every figure well above the
 * noise. */
static void test_workload_held_and_resident(void) {
  const char *als[] = {"system", "arena"};
  for (int k = 0; k < 2; k++) {
    mc_run_spec sp = spec_of("blocks", "fill", als[k], 200000);
    mc_curve c;
    mc_run_out o;
    CU_ASSERT_FATAL(mc_wl_run(&sp, 1, &c, &o) == MC_OK);
    CU_ASSERT(c.held_malloc == (k == 0));
    CU_ASSERT(o.rss_baseline > 0 && o.rss_baseline == c.rss_base);
    CU_ASSERT_FATAL(c.npts >= 256);
    uint64_t maxheld = 0;
    for (size_t i = 0; i < c.npts; i++) {
      const mc_result_point *p = &c.pts[i];
      CU_ASSERT(p->resident == (p->rss > c.rss_base ? p->rss - c.rss_base : 0));
      CU_ASSERT(p->held_ops <= p->ops);
      if (k == 1) CU_ASSERT(p->held == p->footprint && p->held_ops == p->ops);
      if (k == 0 && p->held_ops == p->ops) CU_ASSERT(p->held >= p->footprint);
      if (p->held > maxheld) maxheld = p->held;
    }
    /* the final point is always a fresh read */
    CU_ASSERT(c.pts[c.npts - 1].held_ops == c.pts[c.npts - 1].ops || k == 1);
    CU_ASSERT(o.peak_held >= maxheld && o.peak_held >= o.peak_requested);
    CU_ASSERT(o.peak_held_exact == 1);
    CU_ASSERT(o.final_requested > 0 && o.final_held >= o.final_requested);
    /* resident follows held within 10 % + 2 MiB at the end of a fill (no free yet). Only in
     * the first run of this process: later ones reuse pages the earlier runs made resident
     * (the harness runs each in a fresh child for this reason) */
    double d = (double)o.final_resident - (double)o.final_held;
    if (k == 0) CU_ASSERT(fabs(d) <= 0.10 * (double)o.final_held + 2.0 * 1048576);
    CU_ASSERT(o.peak_resident >= o.final_resident);
    mc_curve_destroy(&c);
    /* the timing pass: the same figures from one read at the end; the malloc's peak unknown */
    CU_ASSERT_FATAL(mc_wl_run(&sp, 0, &c, &o) == MC_OK);
    CU_ASSERT(o.final_held >= o.final_requested);
    CU_ASSERT(o.peak_held_exact == (k == 1));
    mc_curve_destroy(&c);
  }
}

static void test_workload_bad_spec(void) {
  mc_run_spec sp = spec_of("ndarray", "drain", "system", 10); /* ndarray only fills */
  mc_curve c;
  mc_run_out o;
  CU_ASSERT(mc_wl_run(&sp, 0, &c, &o) == MC_EINVAL);
  snprintf(sp.workload, MC_RESULT_NAME, "fill");
  sp.n = 0;
  CU_ASSERT(mc_wl_run(&sp, 0, &c, &o) == MC_EINVAL);
  sp.n = 10;
  snprintf(sp.allocator, MC_RESULT_NAME, "nosuch");
  CU_ASSERT(mc_wl_run(&sp, 0, &c, &o) == MC_EINVAL);
  CU_ASSERT(!mc_wl_n_ok("binary-trees", 1000));
  CU_ASSERT(mc_wl_n_ok("binary-trees", 10));
  CU_ASSERT(!mc_wl_applies("pq", "cycles") && mc_wl_applies("list", "cycles"));
  CU_ASSERT(!mc_wl_applies("list", "hold") && mc_wl_applies("pairing", "hold"));
}

/* The tables' facts: what applies where (the structures' "can" against the workloads' "needs"),
 * the facts a run records, the preloads a results file names. */
static void test_workload_table_facts(void) {
  CU_ASSERT(mc_wl_applies("ndarray", "fill") && !mc_wl_applies("ndarray", "drain") &&
            !mc_wl_applies("ndarray", "waves") && !mc_wl_applies("ndarray", "hold"));
  CU_ASSERT(mc_wl_applies("boxed", "churn") && mc_wl_applies("pq4", "hold"));
  mc_result_run run;
  memset(&run, 0, sizeof run);
  snprintf(run.structure, MC_RESULT_NAME, "boxed");
  mc_wl_run_facts("gc-saveall", "drain", &run);
  CU_ASSERT(run.array == MC_RESULT_ARRAY_BOXED && run.n_means == MC_RESULT_N_ELEMENTS);
  CU_ASSERT(run.heap ==
            (MC_RESULT_HEAP_MANAGED | MC_RESULT_HEAP_COLLECTED | MC_RESULT_HEAP_SAVEALL));
  snprintf(run.structure, MC_RESULT_NAME, "ndarray");
  mc_wl_run_facts("system", "fill", &run);
  CU_ASSERT(run.array == MC_RESULT_ARRAY_UNBOXED && run.heap == 0);
  snprintf(run.structure, MC_RESULT_NAME, "tree");
  mc_wl_run_facts("rc-off", "gcbench", &run);
  CU_ASSERT(run.array == MC_RESULT_ARRAY_NONE && run.n_means == MC_RESULT_N_DEPTH);
  char buf[128];
  CU_ASSERT(mc_allocator_preloads(buf, sizeof buf) == MC_OK);
  CU_ASSERT_STRING_EQUAL(buf, "jemalloc 2, mimalloc 2, tcmalloc_minimal 4");
  CU_ASSERT(mc_allocator_preloads(buf, 12) == MC_ERANGE && strlen(buf) < 12);
}

/* A stack too small for the workload: recorded as out of memory, not a crash. */
static void test_workload_oom_recorded(void) {
  /* random frees on a LIFO allocator keep their bytes: the region fills */
  mc_run_spec sp = spec_of("blocks", "churn", "stack", 200000);
  sp.seed = 3;
  mc_curve c;
  mc_run_out o;
  int rc = mc_wl_run(&sp, 0, &c, &o);
  CU_ASSERT(rc == MC_ENOMEM);
  CU_ASSERT(o.ok == 0 && strstr(o.status, "out of memory") != NULL);
  mc_curve_destroy(&c);
}

/* Under an address-space limit too tight for the recorder's buffers (mapped before the
 * allocator is built), the run is out of memory, an outcome with its reason: not a crash (it
 * was one: the allocator's environment, never opened, was closed; seen under --mem-limit 20
 * with jemalloc, whose arenas had taken the room). In a child, whose RLIMIT_AS is its present
 * size plus 256 KiB; not under the sanitizers, which reserve terabytes of address space. */
static void test_workload_recorder_oom(void) {
#ifndef MC_SANITIZE
  int fd[2];
  CU_ASSERT_FATAL(pipe(fd) == 0);
  fflush(NULL);
  pid_t pid = fork();
  CU_ASSERT_FATAL(pid >= 0);
  if (pid == 0) {
    close(fd[0]);
    unsigned long pages = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f || fscanf(f, "%lu", &pages) != 1) _exit(3);
    fclose(f);
    struct rlimit rl;
    rl.rlim_cur = rl.rlim_max = pages * (rlim_t)sysconf(_SC_PAGESIZE) + (256u << 10);
    if (setrlimit(RLIMIT_AS, &rl) != 0) _exit(4);
    mc_run_spec sp = spec_of("list", "fill", "system", 1000);
    mc_curve c;
    mc_run_out o;
    int rc = mc_wl_run(&sp, 1, &c, &o);
    char msg[sizeof o.status + 64];
    int k = snprintf(msg, sizeof msg, "%d %d %d %s", rc, o.code, (int)o.ok, o.status);
    if (write(fd[1], msg, (size_t)k) != k) _exit(5);
    _exit(0);
  }
  close(fd[1]);
  char got[400] = "";
  ssize_t k = read(fd[0], got, sizeof got - 1);
  got[k > 0 ? k : 0] = '\0';
  close(fd[0]);
  int st = 0;
  CU_ASSERT(waitpid(pid, &st, 0) == pid);
  CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0); /* no signal */
  char want[200];
  snprintf(want, sizeof want, "%d %d 0 out of memory (the recorder, before the run)", MC_ENOMEM,
           MC_ENOMEM);
  CU_ASSERT_STRING_EQUAL(got, want);
#endif
}

static void test_stats_mwu(void) {
  /* identical samples: U = n*n/2, p = 1 */
  double a[5] = {1, 2, 3, 4, 5}, b[5] = {1.5, 2.5, 3.5, 4.5, 5.5}, u, p;
  int exact;
  CU_ASSERT(mc_stats_mwu(a, 5, a, 5, &u, &p, &exact) == 0);
  CU_ASSERT(u == 12.5 && p > 0.99 && exact == 0); /* all tied: normal approximation */
  /* complete separation with 5 vs 5: exact two-sided p = 2 / C(10,5) = 2/252 */
  double c[5] = {10, 11, 12, 13, 14};
  CU_ASSERT(mc_stats_mwu(a, 5, c, 5, &u, &p, &exact) == 0);
  CU_ASSERT(u == 0 && exact == 1 && fabs(p - 2.0 / 252.0) < 1e-12);
  /* interleaved: U(a vs b) = 10 of 25; exact two-sided p from the table = 0.6905 */
  CU_ASSERT(mc_stats_mwu(a, 5, b, 5, &u, &p, &exact) == 0);
  CU_ASSERT(u == 10 && exact == 1 && fabs(p - 0.690476) < 1e-4);
  /* large samples: normal approximation, separated groups give a tiny p */
  double x[40], y[40];
  for (int i = 0; i < 40; i++) x[i] = i, y[i] = 100 + i;
  CU_ASSERT(mc_stats_mwu(x, 40, y, 40, &u, &p, &exact) == 0);
  CU_ASSERT(exact == 0 && p < 1e-10);
  CU_ASSERT(mc_stats_mwu(x, 0, y, 40, &u, &p, &exact) == -1);
  double m[4] = {4, 1, 3, 2};
  CU_ASSERT(mc_stats_median(m, 4) == 2.5);
  CU_ASSERT(isnan(mc_stats_median(m, 0))); /* no median of nothing */
}

/* The verdict needs both the test and the interval; ties and one-sided noise give none. */
static void test_stats_compare(void) {
  double a[5] = {100, 101, 99, 102, 100}, fast[5] = {80, 81, 79, 82, 80};
  mc_stats_cmp c;
  CU_ASSERT_FATAL(mc_stats_compare(a, 5, fast, 5, 7, &c) == 0);
  CU_ASSERT(c.verdict == -1 && fabs(c.ratio - 0.8) < 1e-12);
  CU_ASSERT(c.lo <= c.ratio && c.ratio <= c.hi && c.hi < 1 && c.p < 0.05);
  /* seeded: the same interval again */
  mc_stats_cmp d;
  CU_ASSERT(mc_stats_compare(a, 5, fast, 5, 7, &d) == 0 && d.lo == c.lo && d.hi == c.hi);
  /* the same configuration rerun: overlapping samples, no verdict, interval spans 1 */
  double same[5] = {100.5, 99.5, 101, 100, 102};
  CU_ASSERT(mc_stats_compare(a, 5, same, 5, 7, &c) == 0);
  CU_ASSERT(c.verdict == 0 && c.lo <= 1 && c.hi >= 1);
  /* separated but by a hair with 3 a side: MWU p = 0.1 > 0.05, no verdict */
  double x3[3] = {1, 2, 3}, y3[3] = {4, 5, 6};
  CU_ASSERT(mc_stats_compare(x3, 3, y3, 3, 7, &c) == 0 && c.verdict == 0 && c.p > 0.05);
  /* one value a side: a ratio, no test */
  CU_ASSERT(mc_stats_compare(a, 1, fast, 1, 7, &c) == 0 && c.verdict == 0 && isnan(c.p));
  /* spread: max/min */
  double noisy[5] = {100, 200, 110, 105, 120};
  CU_ASSERT(mc_stats_compare(a, 5, noisy, 5, 7, &c) == 0 && fabs(c.spread_b - 2.0) < 1e-12);
  CU_ASSERT(mc_stats_compare(a, 0, fast, 5, 7, &c) == -1 && c.verdict == 0);
  /* memory ties: within 1 % or one page */
  CU_ASSERT(mc_stats_mem_same(1048576, 1048576 + 100));
  CU_ASSERT(mc_stats_mem_same(1000, 4000));    /* under a page apart */
  CU_ASSERT(mc_stats_mem_same(10e6, 10.09e6)); /* 0.9 % */
  CU_ASSERT(!mc_stats_mem_same(10e6, 10.2e6)); /* 2 % */
}

static void test_gbjson(void) {
  const char *js =
      "{\"context\": {\"date\": \"x\", \"caches\": [{\"type\": \"Data\", \"size\": 32768}]},\n"
      " \"benchmarks\": [\n"
      "  {\"name\": \"pq_binary/hold/system/1000\", \"run_type\": \"iteration\", "
      "\"repetition_index\": 1, \"iterations\": 500, \"real_time\": 2.5, \"cpu_time\": 2.0, "
      "\"time_unit\": \"us\", \"items_per_second\": 1.5e6, \"max_bytes_used\": 4096, "
      "\"allocs_per_iter\": 3.0},\n"
      "  {\"name\": \"pq_binary/hold/system/1000_mean\", \"run_type\": \"aggregate\", "
      "\"real_time\": 1},\n"
      "  {\"name\": \"alloc/burst64/malloc_direct/n:64\", \"iterations\": 7, \"real_time\": 11, "
      "\"cpu_time\": 10, \"time_unit\": \"ns\", \"label\": \"x\\\"y\", \"flag\": true, "
      "\"per_allocation\": 1}\n"
      " ]}\n";
  mc_result_tput *rows;
  size_t n;
  char err[128];
  CU_ASSERT_FATAL(mc_gbjson_parse(js, &rows, &n, err, sizeof err) == MC_OK);
  CU_ASSERT_FATAL(n == 2);
  CU_ASSERT_STRING_EQUAL(rows[0].structure, "pq_binary");
  CU_ASSERT_STRING_EQUAL(rows[0].workload, "hold");
  CU_ASSERT_STRING_EQUAL(rows[0].allocator, "system");
  CU_ASSERT(rows[0].n == 1000 && rows[0].rep == 1 && rows[0].iterations == 500);
  CU_ASSERT(rows[0].real_ns == 2500.0 && rows[0].cpu_ns == 2000.0);
  CU_ASSERT(rows[0].items_per_s == 1.5e6 && rows[0].max_bytes_used == 4096);
  CU_ASSERT(rows[0].allocs_per_iter == 3.0);
  CU_ASSERT(rows[1].n == 64 && rows[1].real_ns == 11.0);
  /* what a row is comes from its counter, never from its name */
  CU_ASSERT(rows[0].kind == MC_RESULT_TPUT_OPS && rows[1].kind == MC_RESULT_TPUT_ALLOCATION);
  CU_ASSERT(!rows[0].vs_structure[0] && !rows[0].vs_workload[0]); /* no comparison declared */
  mc_result_tput t = {.structure = "ndarray", .workload = "sum_vs_boxed"};
  mc_gbjson_file_vs(&t); /* "<base>_vs_<other>": measured against <other>/<base> */
  CU_ASSERT(!strcmp(t.vs_structure, "boxed") && !strcmp(t.vs_workload, "sum"));
  snprintf(t.workload, MC_RESULT_NAME, "sum_vs_ndarray"); /* its own structure: none */
  mc_gbjson_file_vs(&t);
  CU_ASSERT(!t.vs_structure[0] && !t.vs_workload[0]);
  free(rows);
  CU_ASSERT(mc_gbjson_parse("{\"benchmarks\": [", &rows, &n, err, sizeof err) == MC_EFORMAT);
  CU_ASSERT(mc_gbjson_parse("{\"other\": 1}", &rows, &n, err, sizeof err) == MC_EFORMAT);
  CU_ASSERT(mc_gbjson_parse("not json", &rows, &n, err, sizeof err) == MC_EFORMAT);
}

static int add_suites(void) {
  static CU_TestInfo tests[] = {
      /* first: its resident check needs a process whose malloc holds no freed pages yet (the
       * gc workloads below leave some resident in glibc's arena) */
      {"test_workload_held_and_resident", test_workload_held_and_resident},
      {"test_curve_stride_and_values", test_curve_stride_and_values},
      {"test_curve_held_kept_without_calls", test_curve_held_kept_without_calls},
      {"test_curve_cap", test_curve_cap},
      {"test_curve_many_events_keep_the_stride", test_curve_many_events_keep_the_stride},
      {"test_curve_events_and_disabled", test_curve_events_and_disabled},
      {"test_workload_all", test_workload_all},
      {"test_workload_boehm_events", test_workload_boehm_events},
      {"test_workload_gc_variants_on_cycles", test_workload_gc_variants_on_cycles},
      {"test_workload_stack_unwind", test_workload_stack_unwind},
      {"test_workload_bad_spec", test_workload_bad_spec},
      {"test_workload_table_facts", test_workload_table_facts},
      {"test_workload_oom_recorded", test_workload_oom_recorded},
      {"test_workload_recorder_oom", test_workload_recorder_oom},
      {"test_stats_mwu", test_stats_mwu},
      {"test_stats_compare", test_stats_compare},
      {"test_gbjson", test_gbjson},
      CU_TEST_INFO_NULL,
  };
  return mc_test_add_suite("curve", tests);
}

int main(void) { return mc_test_main(add_suites); }
