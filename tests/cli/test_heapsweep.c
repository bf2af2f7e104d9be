/* test_heapsweep.c — the Hertz–Berger heap sweep of `memcurve run` (benches/cli/mc_heapsweep.c):
 * the bisection finds the smallest completing limit of a known threshold to within its
 * tolerance; the suite's group expands into references and one limited collector per multiple;
 * a real sweep (binary-trees at depth 8) records the multiple, the limit and the minimum per
 * run, the minimum completes and half of it fails as an outcome; the chart and the report's
 * section are drawn from that small file. */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mc_h5.h"
#include "mc_heapsweep.h"
#include "testutil.h"

typedef struct fake {
  uint64_t threshold; /* the smallest limit that completes */
  unsigned calls;
  int fail_at; /* call number that reports an interrupt; 0: never */
} fake;

static int fake_probe(void *arg, uint64_t limit) {
  fake *f = arg;
  if (++f->calls == (unsigned)f->fail_at) return MC_EINTR;
  return limit >= f->threshold;
}

static void test_heapsweep_min_bisects(void) {
  static const uint64_t thresholds[] = {1, 4096, 1000000, 7777777, 123456789};
  for (size_t i = 0; i < sizeof thresholds / sizeof *thresholds; i++) {
    uint64_t t = thresholds[i];
    for (int below = 0; below < 2; below++) { /* hi above the threshold, or below it */
      fake f = {t, 0, 0};
      uint64_t hi = below ? t / 2 + 1 : t * 3, min = 0;
      unsigned probes;
      if (hi <= 1) hi = 2;
      int rc = mc_heapsweep_min(fake_probe, &f, 0, hi, &min, &probes);
      CU_ASSERT_FATAL(rc == MC_OK);
      CU_ASSERT(min >= t); /* completes */
      uint64_t top = below ? hi * 3 : hi, tol = top / 128 > 4096 ? top / 128 : 4096;
      CU_ASSERT(min - t <= tol); /* and is the smallest to within the tolerance */
      CU_ASSERT(probes == f.calls && probes <= 16);
    }
  }
  fake never = {UINT64_MAX, 0, 0};
  uint64_t min = 0;
  unsigned probes;
  CU_ASSERT(mc_heapsweep_min(fake_probe, &never, 0, 1000, &min, &probes) == MC_ERANGE);
  CU_ASSERT(probes == 9);
  fake stop = {5000, 0, 3};
  CU_ASSERT(mc_heapsweep_min(fake_probe, &stop, 0, 100000, &min, &probes) == MC_EINTR);
}

static void test_heapsweep_add_marks_references(void) {
  mc_cli_group g = {"tree", "binary-trees,gcbench", "system,mimalloc", "8"};
  mc_run_spec *v = calloc(1, sizeof *v);
  CU_ASSERT_FATAL(v != NULL);
  snprintf(v[0].structure, MC_RESULT_NAME, "tree"); /* the suite already runs system at 8 */
  snprintf(v[0].workload, MC_RESULT_NAME, "gcbench");
  snprintf(v[0].allocator, MC_RESULT_NAME, "system");
  v[0].n = 8;
  size_t n = 1;
  CU_ASSERT_FATAL(mc_heapsweep_add(&g, NULL, NULL, &v, &n) == MC_OK);
  size_t nm = 0;
  while (mc_heapsweep_multiples[nm] > 0) nm++;
  CU_ASSERT(nm == 6);
  CU_ASSERT(n == 1 + 2 * (2 + nm) - 1); /* gcbench's system is not added twice */
  size_t refs = 0, limited = 0;
  for (size_t i = 0; i < n; i++) {
    if (v[i].heap_multiple > 0) {
      limited++;
      CU_ASSERT(!strcmp(v[i].allocator, MC_HEAPSWEEP_GC) && v[i].heap_min == 0);
    } else {
      refs += v[i].heap_min != 0; /* marked as a reference, the existing one too */
    }
  }
  CU_ASSERT(refs == 4 && limited == 2 * nm);
  char name[MC_RESULT_NAME];
  v[n - 1].heap_multiple = 1.25;
  mc_heapsweep_name(&v[n - 1], name, sizeof name);
  CU_ASSERT_STRING_EQUAL(name, "gc@1.25x");
  mc_heapsweep_name(&v[0], name, sizeof name);
  CU_ASSERT_STRING_EQUAL(name, "system");
  mc_cli_group bad = {"tree", "binary-trees", "system", "99"};
  CU_ASSERT(mc_heapsweep_add(&bad, NULL, NULL, &v, &n) == MC_EINVAL);
  free(v);
}

static int run_memcurve(const char *const *args) {
  pid_t pid = fork();
  if (pid == 0) {
    if (!freopen("/dev/null", "w", stdout)) _exit(126);
    execv(MC_MEMCURVE_EXE, (char **)args);
    _exit(127);
  }
  int st;
  waitpid(pid, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* One limited run of binary-trees 8 in a fresh child: 1 completed, 0 not. */
static int completes(uint64_t limit) {
  mc_run_spec s;
  memset(&s, 0, sizeof s);
  snprintf(s.structure, MC_RESULT_NAME, "tree");
  snprintf(s.workload, MC_RESULT_NAME, "binary-trees");
  snprintf(s.allocator, MC_RESULT_NAME, "gc");
  s.n = 8;
  s.seed = 1;
  s.heap_limit = limit;
  mc_runner_opts ro = {60, 0, MC_MEMCURVE_EXE};
  mc_runner_result res;
  CU_ASSERT_FATAL(mc_runner_run(&s, 0, &ro, &res) == MC_OK);
  int ok = res.out.ok;
  if (!ok) CU_ASSERT(strstr(res.out.status, "out of memory") != NULL); /* an outcome */
  mc_runner_result_free(&res);
  return ok;
}

static void test_heapsweep_run_records_multiples(void) {
  char out[300], charts[300], html[300];
  snprintf(out, sizeof out, "%s/hs.h5", mc_test_dir());
  snprintf(charts, sizeof charts, "%s/hs", mc_test_dir());
  snprintf(html, sizeof html, "%s/hs.html", mc_test_dir());
  const char *run[] = {"memcurve",     "run", "--suite", "heap-sweep", "-w",
                       "binary-trees", "-n",  "8",       "-r",         "2",
                       "-q",           "-o",  out,       NULL};
#ifdef MC_SANITIZE /* mimalloc, a reference, cannot be preloaded under ASan: its run fails */
  CU_ASSERT_FATAL(run_memcurve(run) == 1);
#else
  CU_ASSERT_FATAL(run_memcurve(run) == 0); /* exit 1 would mean a failed run */
#endif
  mc_results r;
  char err[256];
  CU_ASSERT_FATAL(mc_h5_read(out, &r, err, sizeof err) == MC_OK);
  uint64_t min = 0;
  size_t limited = 0, refs = 0;
  for (size_t i = 0; i < r.nruns; i++) {
    const mc_result_run *x = &r.runs[i];
    CU_ASSERT(x->heap_min > 0); /* every run of this suite belongs to the sweep */
    if (!min) min = x->heap_min;
    CU_ASSERT(x->heap_min == min);
    if (x->heap_multiple > 0) {
      limited++;
      char want[MC_RESULT_NAME];
      snprintf(want, sizeof want, "gc@%gx", x->heap_multiple);
      CU_ASSERT_STRING_EQUAL(x->allocator, want);
      CU_ASSERT(x->heap_limit == (uint64_t)ceil(x->heap_multiple * (double)min));
      CU_ASSERT(x->ok); /* at 1.25x the minimum and above, every run completes */
      CU_ASSERT(x->heap & MC_RESULT_HEAP_COLLECTED);
    } else {
      refs++;
      CU_ASSERT(x->heap_limit == 0);
    }
  }
  CU_ASSERT(limited == 6 && refs == 2);
  mc_h5_results_free(&r);
  /* the minimum completes; well below it the run stops at the limit */
  CU_ASSERT(completes(min));
  CU_ASSERT(!completes(min / 2));
  /* the chart and the report's section, from this small file */
  const char *plot[] = {"memcurve", "plot", out,       "--out", charts,
                        "--format", "png",  "--quiet", NULL};
  CU_ASSERT(run_memcurve(plot) == 0);
  char png[340];
  snprintf(png, sizeof png, "%s/heap_sweep.png", charts);
  CU_ASSERT(access(png, F_OK) == 0);
  const char *report[] = {"memcurve", "report", out, "--no-draw", NULL};
  CU_ASSERT(run_memcurve(report) == 0);
  char *page = mc_test_slurp(html);
  CU_ASSERT_FATAL(page != NULL);
  CU_ASSERT(strstr(page, "id='heap-sweep'") != NULL);
  CU_ASSERT(strstr(page, "heap_sweep.png") != NULL);
  CU_ASSERT(strstr(page, "<code>gc</code> matches system") != NULL);
  CU_ASSERT(strstr(page, "1.25×") != NULL && strstr(page, "6×") != NULL);
  free(page);
}

static int add(void) {
  static CU_TestInfo tests[] = {
      {"test_heapsweep_min_bisects", test_heapsweep_min_bisects},
      {"test_heapsweep_add_marks_references", test_heapsweep_add_marks_references},
      {"test_heapsweep_run_records_multiples", test_heapsweep_run_records_multiples},
      CU_TEST_INFO_NULL};
  return mc_test_add_suite("heapsweep", tests);
}

int main(void) { return mc_test_main(add); }
