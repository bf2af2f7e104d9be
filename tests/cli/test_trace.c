/* test_trace.c — `memcurve trace` end to end, on trace_target's programs whose memory and fate
 * are known: the sampled peak against the kernel's high-water mark and the bytes the program
 * touched, the report protocol (numeric labels, phases, malformed and unfinished lines), a crash,
 * a failing exit, a hang stopped by the timeout, a fork (the tree's memory is summed) and an
 * orphan left running (killed with the group), the sampler's cost in the summary line, and the
 * shipped Python helper (benches/python/mc_report.py) under /usr/bin/python3. Runs the real
 * binaries (MC_MEMCURVE_EXE, MC_TRACE_TARGET). */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mc_h5.h"
#include "testutil.h"

#define MIB (1024.0 * 1024.0)

static const char *tmp(const char *name) {
  static char bufs[4][300];
  static int k;
  char *b = bufs[k++ % 4];
  snprintf(b, 300, "%s/%s", mc_test_dir(), name);
  return b;
}

/* Runs `memcurve trace -q -o OUT ARGS... -- trace_target TARGS...`: args ends at "--", the
 * target's arguments follow, NULL-terminated. Returns the exit status. */
static int trace(const char *out, const char *const *args) {
  const char *argv[40];
  int n = 0;
  argv[n++] = "memcurve";
  argv[n++] = "trace";
  argv[n++] = "-q";
  argv[n++] = "--force";
  argv[n++] = "-o";
  argv[n++] = out;
  for (; *args && n < 36; args++) {
    argv[n++] = *args;
    if (strcmp(*args, "--") == 0) argv[n++] = MC_TRACE_TARGET;
  }
  argv[n] = NULL;
  pid_t pid = fork();
  if (pid == 0) {
    if (!freopen(tmp("stderr"), "w", stderr)) _exit(126);
    execv(MC_MEMCURVE_EXE, (char **)argv);
    _exit(127);
  }
  int st;
  waitpid(pid, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Reads the file's only run into *run (r keeps the memory). */
static const mc_result_run *one_run(const char *path, mc_results *r) {
  char err[256];
  if (mc_h5_read(path, r, err, sizeof err) != MC_OK || r->nruns != 1 || r->nsummary != 1)
    return NULL;
  return &r->runs[0];
}

static uint64_t max_rss(const mc_result_run *run) {
  uint64_t m = 0;
  for (size_t i = 0; i < run->ncurve; i++)
    if (run->curve[i].rss > m) m = run->curve[i].rss;
  return m;
}

/* 64 MiB touched and held: the sampled peak is within 5 % of the kernel's high-water mark and
 * above the 64 MiB; the report gives requested = 64 MiB and the baseline. */
static void test_trace_accuracy(void) {
  const char *args[] = {"-s",          "target", "-w", "alloc", "-a", "c",   "-n", "64",
                        "--period-us", "1000",   "--", "alloc", "64", "300", NULL};
  CU_ASSERT_FATAL(trace(tmp("acc.h5"), args) == 0);
  mc_results r;
  const mc_result_run *run = one_run(tmp("acc.h5"), &r);
  CU_ASSERT_FATAL(run != NULL);
  CU_ASSERT(run->ok == 1 && strcmp(run->status, "ok") == 0);
  CU_ASSERT(strcmp(run->structure, "target") == 0 && run->n == 64);
  CU_ASSERT(run->heap == (MC_RESULT_HEAP_OUTSIDE | MC_RESULT_HEAP_TRACED));
  CU_ASSERT(run->ncurve >= 10);
  double sampled = (double)max_rss(run), kernel = (double)r.summary[0].peak_rss;
  CU_ASSERT(kernel >= 64 * MIB);
  CU_ASSERT(sampled >= 64 * MIB);
  CU_ASSERT(sampled <= kernel * 1.05 && sampled >= kernel * 0.95);
  CU_ASSERT(r.summary[0].peak_requested == (uint64_t)64 << 20);
  CU_ASSERT(run->rss_baseline >= (uint64_t)64 << 20); /* taken at the report, after the touch */
  uint64_t t = 0, ops = 0;
  for (size_t i = 0; i < run->ncurve; i++) { /* time and CPU time never go back */
    CU_ASSERT(run->curve[i].t_ns >= t && run->curve[i].ops >= ops);
    CU_ASSERT(run->curve[i].resident + run->rss_baseline >= run->curve[i].rss);
    t = run->curve[i].t_ns, ops = run->curve[i].ops;
  }
  mc_h5_results_free(&r);
}

/* Numeric labels become elements, a word a phase event; malformed and unfinished lines count
 * for nothing. */
static void test_trace_report_protocol(void) {
  const char *args[] = {"--heap", "outside,refcount,gc-off", "--", "report", "100", NULL};
  CU_ASSERT_FATAL(trace(tmp("rep.h5"), args) == 0);
  mc_results r;
  const mc_result_run *run = one_run(tmp("rep.h5"), &r);
  CU_ASSERT_FATAL(run != NULL);
  CU_ASSERT(run->ok == 1);
  CU_ASSERT(strcmp(run->structure, "trace_target") == 0); /* the command's base name */
  CU_ASSERT(run->heap == (MC_RESULT_HEAP_OUTSIDE | MC_RESULT_HEAP_REFCOUNT | MC_RESULT_HEAP_GC_OFF |
                          MC_RESULT_HEAP_TRACED));
  CU_ASSERT(r.summary[0].peak_requested == 100000);
  uint64_t emax = 0;
  for (size_t i = 0; i < run->ncurve; i++)
    if (run->curve[i].elements > emax) emax = run->curve[i].elements;
  CU_ASSERT(emax == 100);
  CU_ASSERT_FATAL(run->nevents == 1);
  CU_ASSERT(run->events[0].kind == MC_RESULT_EV_PHASE && run->events[0].generation == 1);
  CU_ASSERT(run->events[0].bytes_after == 5);
  mc_h5_results_free(&r);
  /* --no-report: the variable is not set, the target exits 5 */
  const char *none[] = {"--no-report", "--", "report", "3", NULL};
  CU_ASSERT_FATAL(trace(tmp("norep.h5"), none) == 0);
  run = one_run(tmp("norep.h5"), &r);
  CU_ASSERT_FATAL(run != NULL);
  CU_ASSERT(run->ok == 0 && strcmp(run->status, "exit status 5") == 0);
  mc_h5_results_free(&r);
}

/* A crash and a failing exit are failed runs, with their curve so far; a missing command too. */
static void test_trace_crash_and_failure(void) {
  const char *crash[] = {"--", "crash", "16", NULL};
  CU_ASSERT_FATAL(trace(tmp("crash.h5"), crash) == 0);
  mc_results r;
  const mc_result_run *run = one_run(tmp("crash.h5"), &r);
  CU_ASSERT_FATAL(run != NULL);
  CU_ASSERT(run->ok == 0 && strstr(run->status, "killed by signal 11") != NULL);
  CU_ASSERT(r.summary[0].ok == 0 && r.summary[0].peak_rss >= (uint64_t)16 << 20);
  mc_h5_results_free(&r);
  const char *fail[] = {"--", "fail", NULL};
  CU_ASSERT_FATAL(trace(tmp("fail.h5"), fail) == 0);
  run = one_run(tmp("fail.h5"), &r);
  CU_ASSERT_FATAL(run != NULL);
  CU_ASSERT(run->ok == 0 && strcmp(run->status, "exit status 3") == 0);
  mc_h5_results_free(&r);
}

/* A hang is stopped by the timeout and recorded so. */
static void test_trace_timeout(void) {
  const char *args[] = {"--timeout", "1", "--", "hang", NULL};
  CU_ASSERT_FATAL(trace(tmp("hang.h5"), args) == 0);
  mc_results r;
  const mc_result_run *run = one_run(tmp("hang.h5"), &r);
  CU_ASSERT_FATAL(run != NULL);
  CU_ASSERT(run->ok == 0 && strcmp(run->status, "timeout after 1s") == 0);
  CU_ASSERT(r.summary[0].wall_ns >= 1000000000u);
  mc_h5_results_free(&r);
}

/* A fork: parent and child each hold 32 MiB at once; the tree's sampled RSS holds both, the
 * kernel's high-water mark (one process's) only one. */
static void test_trace_fork(void) {
  const char *args[] = {"--", "fork", "32", "500", NULL};
  CU_ASSERT_FATAL(trace(tmp("fork.h5"), args) == 0);
  mc_results r;
  const mc_result_run *run = one_run(tmp("fork.h5"), &r);
  CU_ASSERT_FATAL(run != NULL);
  CU_ASSERT(run->ok == 1);
  CU_ASSERT((double)max_rss(run) >= 64 * MIB);
  CU_ASSERT((double)r.summary[0].peak_rss < 64 * MIB);
  mc_h5_results_free(&r);
}

static int dead(pid_t pid) {
  char path[64], buf[512];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  FILE *f = fopen(path, "r");
  if (!f) return 1;
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fclose(f);
  buf[n] = '\0';
  const char *p = strrchr(buf, ')');
  return p && (p[2] == 'Z' || p[2] == 'X');
}

/* What the command forked and left running is killed with its process group. */
static void test_trace_orphan_killed(void) {
  const char *args[] = {"--", "orphan", tmp("orphan.pid"), NULL};
  CU_ASSERT_FATAL(trace(tmp("orphan.h5"), args) == 0);
  FILE *f = fopen(tmp("orphan.pid"), "r");
  CU_ASSERT_FATAL(f != NULL);
  int pid = 0;
  CU_ASSERT(fscanf(f, "%d", &pid) == 1);
  fclose(f);
  CU_ASSERT_FATAL(pid > 0);
  int gone = 0;
  for (int i = 0; i < 200 && !gone; i++) { /* SIGKILL was sent: at most a moment to die */
    gone = dead(pid);
    if (!gone) usleep(10000);
  }
  CU_ASSERT(gone);
  if (!gone) kill(pid, SIGKILL);
}

/* Bad arguments exit 2; a command that cannot run is a failed run (exit status 127). */
static void test_trace_arguments(void) {
  const char *nocmd[] = {NULL};
  CU_ASSERT(trace(tmp("x.h5"), nocmd) == 2);
  const char *help[] = {"--help", NULL};
  CU_ASSERT(trace(tmp("x.h5"), help) == 0);
  const char *period[] = {"--period-us", "5", "--", "fail", NULL};
  CU_ASSERT(trace(tmp("x.h5"), period) == 2);
  const char *name[] = {"-s", "a/b", "--", "fail", NULL};
  CU_ASSERT(trace(tmp("x.h5"), name) == 2);
  const char *heap[] = {"--heap", "outside,bogus", "--", "fail", NULL};
  CU_ASSERT(trace(tmp("x.h5"), heap) == 2);
  CU_ASSERT(access(tmp("x.h5"), F_OK) != 0);
  const char *argv[] = {
      "memcurve", "trace", "-q", "-o", tmp("missing.h5"), "--", "/nonexistent/program", NULL};
  pid_t pid = fork();
  if (pid == 0) {
    if (!freopen("/dev/null", "w", stderr)) _exit(126);
    execv(MC_MEMCURVE_EXE, (char **)argv);
    _exit(127);
  }
  int st;
  waitpid(pid, &st, 0);
  CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
  mc_results r;
  const mc_result_run *run = one_run(tmp("missing.h5"), &r);
  CU_ASSERT_FATAL(run != NULL);
  CU_ASSERT(run->ok == 0 && strstr(run->status, "exit status 127") != NULL);
  mc_h5_results_free(&r);
}

/* Runs memcurve with argv (NULL-terminated), its stderr into err_path. Returns the exit status. */
static int memcurve(const char *const *argv, const char *err_path) {
  pid_t pid = fork();
  if (pid == 0) {
    if (!freopen(err_path, "w", stderr)) _exit(126);
    execv(MC_MEMCURVE_EXE, (char **)argv);
    _exit(127);
  }
  int st;
  waitpid(pid, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* --append with a run key the file already holds: refused before the command runs, with the
 * key named as `memcurve run --append` names it (not "cannot write"), exit 2, the file as it
 * was; a new key is added beside the first. */
static void test_trace_append_duplicate(void) {
  const char *first[] = {"-s", "dup", "-n", "5", "--", "fail", NULL};
  CU_ASSERT_FATAL(trace(tmp("dup.h5"), first) == 0);
  const char *again[] = {"memcurve", "trace", "-q", "--append", "-o", tmp("dup.h5"),
                         "-s",       "dup",   "-n", "5",        "--", MC_TRACE_TARGET,
                         "fail",     NULL};
  CU_ASSERT(memcurve(again, tmp("dup.err")) == 2);
  char *err = mc_test_slurp(tmp("dup.err"));
  CU_ASSERT_FATAL(err != NULL);
  CU_ASSERT(strstr(err, "memcurve trace: run dup/trace/traced/5 is already in ") != NULL);
  CU_ASSERT(strstr(err, "--append adds new runs only; nothing was run") != NULL);
  CU_ASSERT(strstr(err, "cannot write") == NULL);
  free(err);
  mc_results r;
  CU_ASSERT(one_run(tmp("dup.h5"), &r) != NULL); /* still the one run */
  mc_h5_results_free(&r);
  const char *other[] = {"memcurve", "trace", "-q", "--append", "-o", tmp("dup.h5"),
                         "-s",       "dup",   "-n", "6",        "--", MC_TRACE_TARGET,
                         "fail",     NULL};
  CU_ASSERT(memcurve(other, tmp("dup.err")) == 0);
  char e[256];
  CU_ASSERT_FATAL(mc_h5_read(tmp("dup.h5"), &r, e, sizeof e) == MC_OK);
  CU_ASSERT(r.nruns == 2);
  mc_h5_results_free(&r);
}

/* The summary line names the sampler's own cost; the shipped Python helper reports tracemalloc's
 * bytes (skipped without /usr/bin/python3). */
static void test_trace_summary_and_python(void) {
  const char *argv[] = {"memcurve",      "trace", "-o", tmp("sum.h5"), "--",
                        MC_TRACE_TARGET, "alloc", "8",  "100",         NULL};
  pid_t pid = fork();
  if (pid == 0) {
    if (!freopen(tmp("sum.err"), "w", stderr)) _exit(126);
    execv(MC_MEMCURVE_EXE, (char **)argv);
    _exit(127);
  }
  int st;
  waitpid(pid, &st, 0);
  CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
  FILE *f = fopen(tmp("sum.err"), "r");
  CU_ASSERT_FATAL(f != NULL);
  char line[1024] = "";
  CU_ASSERT(fgets(line, sizeof line, f) != NULL);
  fclose(f);
  unsigned long long samples = 0;
  double us = 0;
  const char *p = strstr(line, " samples every 1000 us (");
  CU_ASSERT_FATAL(p != NULL);
  while (p > line && p[-1] >= '0' && p[-1] <= '9') p--;
  CU_ASSERT(sscanf(p, "%llu samples every 1000 us (%lf us each)", &samples, &us) == 2);
  CU_ASSERT(samples >= 5 && us > 0);
  if (access("/usr/bin/python3", X_OK) != 0) return;
  FILE *py = fopen(tmp("alloc.py"), "w");
  CU_ASSERT_FATAL(py != NULL);
  fputs("import mc_report\nx = bytearray(8 << 20)\nmc_report.progress(1)\n", py);
  fclose(py);
  const char *pyargv[] = {"memcurve",
                          "trace",
                          "-q",
                          "-o",
                          tmp("py.h5"),
                          "--",
                          "/usr/bin/python3",
                          MC_PYTHON_DIR "/mc_report.py",
                          tmp("alloc.py"),
                          NULL};
  pid = fork();
  if (pid == 0) {
    execv(MC_MEMCURVE_EXE, (char **)pyargv);
    _exit(127);
  }
  waitpid(pid, &st, 0);
  CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
  mc_results r;
  const mc_result_run *run = one_run(tmp("py.h5"), &r);
  CU_ASSERT_FATAL(run != NULL);
  CU_ASSERT(run->ok == 1);
  CU_ASSERT(r.summary[0].peak_requested >= (uint64_t)8 << 20);
  /* tracemalloc also traces what the interpreter allocates after it starts (imports, the
   * helper's own objects): about 1.0-1.1 MiB here, so the 8 MiB buffer plus at most 2 MiB */
  CU_ASSERT(r.summary[0].peak_requested < (uint64_t)10 << 20);
  mc_h5_results_free(&r);
}

static int add(void) {
  static CU_TestInfo tests[] = {{"test_trace_accuracy", test_trace_accuracy},
                                {"test_trace_report_protocol", test_trace_report_protocol},
                                {"test_trace_crash_and_failure", test_trace_crash_and_failure},
                                {"test_trace_timeout", test_trace_timeout},
                                {"test_trace_fork", test_trace_fork},
                                {"test_trace_orphan_killed", test_trace_orphan_killed},
                                {"test_trace_arguments", test_trace_arguments},
                                {"test_trace_append_duplicate", test_trace_append_duplicate},
                                {"test_trace_summary_and_python", test_trace_summary_and_python},
                                CU_TEST_INFO_NULL};
  return mc_test_add_suite("trace", tests);
}

int main(void) { return mc_test_main(add); }
