/* test_cli.c — the memcurve command end to end: exit status 2 with one line for bad arguments,
 * --help everywhere, a run read back, shards merged equal to the unsharded run, SIGINT in the
 * middle of a suite, a timed-out child recorded while the suite goes on (exit 1), compare,
 * gbench import; the output file's rules (--force, --append, missing folders), import and
 * export (read back by pandas and json), list, sizes with suffixes, info's filters, --version
 * on memcurve and the bench_* binaries, the bash completion. Runs the real binary
 * (MC_MEMCURVE_EXE). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mc_cli.h"
#include "mc_h5.h"
#include "testutil.h"

static char outp[300], errp[300];

static const char *tmp(const char *name) {
  static char bufs[8][300];
  static int k;
  char *b = bufs[k++ % 8];
  mc_test_path(b, 300, name);
  return b;
}

/* Reads the results file name of the scratch folder into *r (a fatal assertion if it cannot). */
static void read_tmp(const char *name, mc_results *r) {
  char err[256];
  CU_ASSERT_FATAL(mc_h5_read(tmp(name), r, err, sizeof err) == MC_OK);
}

/* The file NAME in the scratch folder holds two runs: the one of n = 1000 finished, the other
 * failed with a status that contains why (or also_ok, when not NULL). */
static void n1000_ok_other_failed(const char *name, const char *why, const char *also_ok) {
  mc_results r;
  read_tmp(name, &r);
  CU_ASSERT_FATAL(r.nruns == 2);
  for (size_t i = 0; i < r.nruns; i++) {
    if (r.runs[i].n == 1000) {
      CU_ASSERT(r.runs[i].ok == 1);
    } else {
      CU_ASSERT(r.runs[i].ok == 0);
      CU_ASSERT(strstr(r.runs[i].status, why) != NULL ||
                (also_ok && strstr(r.runs[i].status, also_ok) != NULL));
    }
  }
  mc_h5_results_free(&r);
}

/* Runs memcurve with the NULL-terminated arguments; stdout/stderr go to outp/errp. Returns
 * the exit status (128 + signal if killed). If pid_out is set, does not wait. */
static int spawn(pid_t *pid_out, const char *arg0, va_list ap) {
  const char *argv[64];
  int n = 0;
  argv[n++] = "memcurve";
  for (const char *a = arg0; a && n < 63; a = va_arg(ap, const char *)) argv[n++] = a;
  argv[n] = NULL;
  pid_t pid = fork();
  if (pid == 0) {
    if (!freopen(outp, "w", stdout) || !freopen(errp, "w", stderr)) _exit(126);
    execv(MC_MEMCURVE_EXE, (char **)argv);
    _exit(127);
  }
  if (pid_out) {
    *pid_out = pid;
    return 0;
  }
  int st;
  waitpid(pid, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int mc(const char *arg0, ...) {
  va_list ap;
  va_start(ap, arg0);
  int rc = spawn(NULL, arg0, ap);
  va_end(ap);
  return rc;
}

static char *slurp(const char *path) {
  char *s;
  size_t n;
  if (mc_cli_slurp(path, &s, &n) != MC_OK) return NULL;
  return s;
}

static int lines(const char *path) {
  char *s = slurp(path);
  int k = 0;
  for (char *p = s; p && *p; p++) k += *p == '\n';
  free(s);
  return k;
}

static void test_cli_bad_arguments(void) {
  char textfile[300];
  snprintf(textfile, sizeof textfile, "%s", tmp("text.h5"));
  FILE *f = fopen(textfile, "w");
  fputs("hello\n", f);
  fclose(f);
  const char *cases[][12] = {
      {"run", "-n", "0", NULL},
      {"run", "-n", "-5", NULL},
      {"run", "-n", "99999999999999", NULL},
      {"run", "-n", "12abc", NULL},
      {"run", "-s", "nosuch", NULL},
      {"run", "-a", "nosuch", NULL},
      {"run", "-w", "nosuch", NULL},
      {"run", "--suite", "nosuch", NULL},
      {"run", "-r", "0", NULL},
      {"run", "--shard", "3/2", NULL},
      {"run", "--shard", "x", NULL},
      {"run", "--bogus", NULL},
      {"run", "-s", "list", "-w", "fill", "-n", "10", "-o", tmp("text.h5/dir/x.h5"), NULL},
      {"run", "-s", "tree", "-w", "cycles", NULL},
      {"run", "-s", "ndarray", "-w", "churn", NULL},
      {"run", "-s", "tree", "-w", "binary-trees", "-n", "100000", NULL},
      {"run", "-n", "10k", "--force", "--append", NULL},
      {"run", "-n", "10q", NULL},
      {"run", "--mem-limit", "12X", NULL},
      {"import", tmp("none.json"), NULL},
      {"import", "-o", tmp("i.h5"), NULL},
      {"export", textfile, NULL},
      {"export", "--csv", "--json", textfile, NULL},
      {"info", "-n", "1x", textfile, NULL},
      {"completion", "zsh", NULL},
      {"run", "-s", "ndarray", "-w", "drain", "-n", "10", NULL}, /* nothing applies */
      {"run", "--gbench", "/nonexistent.json", "-s", "list", NULL},
      {"info", "/nonexistent.h5", NULL},
      {"info", textfile, NULL},
      {"info", NULL},
      {"compare", textfile, NULL},
      {"merge", textfile, NULL},
      {"merge", "-o", tmp("m.h5"), textfile, NULL},
      {"frobnicate", NULL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    const char **c = cases[i];
    int rc = mc(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], NULL);
    if (rc != 2 || lines(errp) != 1)
      fprintf(stderr, "case %zu (%s %s): rc %d\n", i, c[0], c[1] ? c[1] : "", rc);
    CU_ASSERT(rc == 2);
    CU_ASSERT(lines(errp) == 1);
  }
  CU_ASSERT(access(tmp("m.h5"), F_OK) != 0);
  remove(textfile);
}

static void test_cli_help(void) {
  const char *cmds[] = {"run",     "import", "list", "info",   "export",
                        "compare", "merge",  "plot", "report", "completion"};
  for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) {
    int rc = mc(cmds[i], "--help", NULL);
    char *s = slurp(outp);
    CU_ASSERT(rc == 0);
    CU_ASSERT(s && strstr(s, "usage") != NULL);
    free(s);
  }
  CU_ASSERT(mc("--help", NULL) == 0);
  CU_ASSERT(mc("list", NULL) == 0);
  char *s = slurp(outp);
  CU_ASSERT(s && strstr(s, "jemalloc") && strstr(s, "binary-trees") && strstr(s, "default"));
  free(s);
}

/* The collector's variants through the command: listed, run in children on the cycles
 * workload, stored under their names with curves that differ as they must (off and SAVEALL
 * keep every dropped cycle's bytes live, on reclaims them), and drawn as the three lines of
 * the gc_cycles chart with nothing missing. */
static void test_cli_gc_variants(void) {
  CU_ASSERT(mc("list", NULL) == 0);
  char *s = slurp(outp);
  CU_ASSERT(s && strstr(s, " gc gc-off gc-saveall ") != NULL);
  free(s);
  int rc = mc("run", "-s", "list", "-w", "cycles", "-a", "gc,gc-off,gc-saveall", "-n", "1200000",
              "-r", "1", "-q", "-o", tmp("gcv.h5"), NULL);
  CU_ASSERT_FATAL(rc == 0);
  mc_results r;
  read_tmp("gcv.h5", &r);
  CU_ASSERT_FATAL(r.nruns == 3);
  uint64_t last_req[3] = {0}, colls[3] = {0};
  const char *names[3] = {"gc", "gc-off", "gc-saveall"};
  for (size_t i = 0; i < r.nruns; i++) {
    const mc_result_run *run = &r.runs[i];
    CU_ASSERT(run->ok && run->ncurve >= 256);
    for (int k = 0; k < 3; k++)
      if (!strcmp(run->allocator, names[k]) && run->ncurve) {
        last_req[k] = run->curve[run->ncurve - 1].requested;
        colls[k] = run->curve[run->ncurve - 1].collections;
      }
  }
  CU_ASSERT(last_req[1] == 1200000u * 16 && last_req[2] == last_req[1]); /* every cycle kept */
  CU_ASSERT(colls[0] >= 2 && colls[1] == 0 && colls[2] >= 1);
  CU_ASSERT(last_req[0] < last_req[1] / 2);
  mc_h5_results_free(&r);
  rc = mc("plot", tmp("gcv.h5"), "--out", tmp("gcv"), "--format", "png", NULL);
  CU_ASSERT(rc == 0);
  CU_ASSERT(access(tmp("gcv/gc_cycles_list_cycles.png"), F_OK) == 0);
  char *e = slurp(errp);
  CU_ASSERT(e && strstr(e, "collection on, off and SAVEALL") != NULL);
  CU_ASSERT(e && strstr(e, "drawn without it") == NULL);
  free(e);
}

static int same_run(const mc_result_run *a, const mc_result_run *b) {
  if (strcmp(a->structure, b->structure) || strcmp(a->workload, b->workload) ||
      strcmp(a->allocator, b->allocator) || a->n != b->n || a->seed != b->seed ||
      a->ncurve != b->ncurve || a->nevents != b->nevents)
    return 0;
  for (size_t i = 0; i < a->ncurve; i++) /* the deterministic columns */
    if (a->curve[i].ops != b->curve[i].ops || a->curve[i].elements != b->curve[i].elements ||
        a->curve[i].requested != b->curve[i].requested)
      return 0;
  return 1;
}

static void test_cli_run_shard_merge(void) {
  const char *sweep[] = {"-s", "list,pq,blocks", "-w", "fill,churn", "-a", "system,pool",
                         "-n", "3000,5000",      "-r", "2",          "-q", "--seed",
                         "9"};
#define SWEEP                                                                                      \
  sweep[0], sweep[1], sweep[2], sweep[3], sweep[4], sweep[5], sweep[6], sweep[7], sweep[8],        \
      sweep[9], sweep[10], sweep[11], sweep[12]
  CU_ASSERT_FATAL(mc("run", SWEEP, "-o", tmp("all.h5"), NULL) == 0);
  CU_ASSERT(access(tmp("all.h5.partial"), F_OK) != 0);
  CU_ASSERT(mc("run", SWEEP, "--shard", "1/3", "-o", tmp("s1.h5"), NULL) == 0);
  CU_ASSERT(mc("run", SWEEP, "--shard", "2/3", "-o", tmp("s2.h5"), NULL) == 0);
  CU_ASSERT(mc("run", SWEEP, "--shard", "3/3", "-o", tmp("s3.h5"), NULL) == 0);
  CU_ASSERT_FATAL(
      mc("merge", "-o", tmp("merged.h5"), tmp("s1.h5"), tmp("s2.h5"), tmp("s3.h5"), NULL) == 0);
  /* merging a file twice is refused */
  CU_ASSERT(mc("merge", "-o", tmp("dup.h5"), tmp("s1.h5"), tmp("s1.h5"), NULL) == 2);
  mc_results all, mer, s1;
  read_tmp("all.h5", &all);
  read_tmp("merged.h5", &mer);
  read_tmp("s1.h5", &s1);
  CU_ASSERT(all.nruns == 3 * 2 * 2 * 2);
  CU_ASSERT(s1.nruns == all.nruns / 3);
  CU_ASSERT(all.nsummary == all.nruns * 2);
  CU_ASSERT_FATAL(mer.nruns == all.nruns && mer.nsummary == all.nsummary);
  for (size_t i = 0; i < all.nruns; i++) {
    CU_ASSERT(all.runs[i].ok == 1);
    CU_ASSERT(all.runs[i].ncurve >= 256);
    CU_ASSERT(same_run(&all.runs[i], &mer.runs[i]));
  }
  size_t matched = 0;
  for (size_t i = 0; i < all.nsummary; i++)
    for (size_t j = 0; j < mer.nsummary; j++) {
      const mc_result_summary *x = &all.summary[i], *y = &mer.summary[j];
      if (!strcmp(x->structure, y->structure) && !strcmp(x->workload, y->workload) &&
          !strcmp(x->allocator, y->allocator) && x->n == y->n && x->rep == y->rep) {
        matched++;
        CU_ASSERT(x->ops == y->ops && x->peak_requested == y->peak_requested);
      }
    }
  CU_ASSERT(matched == all.nsummary);
  CU_ASSERT(strstr(mer.meta.command_line, "merge") != NULL);
  mc_h5_results_free(&all);
  mc_h5_results_free(&mer);
  mc_h5_results_free(&s1);
  CU_ASSERT(mc("info", tmp("merged.h5"), NULL) == 0);
  CU_ASSERT(lines(outp) >= 24 + 10);
}

/* SIGINT in the middle: exit 130, the .partial is a valid file with every finished run and
 * each run's status; the final name is never created. */
static void test_cli_sigint(void) {
  pid_t pid;
  va_list none;
  (void)none;
  const char *o = tmp("int.h5");
  char part[320];
  snprintf(part, sizeof part, "%s.partial", o);
  {
    const char *argv[] = {"run",
                          "-s",
                          "list,blocks,pq",
                          "-w",
                          "fill,churn,waves",
                          "-a",
                          "system,arena,pool,jemalloc",
                          "-n",
                          "150000",
                          "-r",
                          "1",
                          "-q",
                          "-o",
                          o};
    pid = fork();
    if (pid == 0) {
      const char *a[20] = {"memcurve"};
      for (int i = 0; i < 14; i++) a[i + 1] = argv[i];
      if (!freopen(errp, "w", stderr)) _exit(126);
      execv(MC_MEMCURVE_EXE, (char **)a);
      _exit(127);
    }
  }
  /* wait until at least two runs are in the file, then interrupt */
  mc_results r;
  char err[256];
  int got = 0;
  for (int i = 0; i < 600 && !got; i++) {
    struct timespec ts = {0, 50000000};
    nanosleep(&ts, NULL);
    if (mc_h5_read(part, &r, err, sizeof err) == MC_OK) {
      got = r.nruns >= 2;
      mc_h5_results_free(&r);
    }
  }
  CU_ASSERT(got);
  kill(pid, SIGINT);
  int st;
  waitpid(pid, &st, 0);
  CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 130);
  CU_ASSERT(access(o, F_OK) != 0);
  CU_ASSERT_FATAL(mc_h5_read(part, &r, err, sizeof err) == MC_OK);
  CU_ASSERT(r.nruns >= 2 && r.nruns < 3 * 3 * 4);
  size_t interrupted = 0;
  for (size_t i = 0; i < r.nruns; i++) {
    CU_ASSERT(r.runs[i].status[0] != '\0');
    if (r.runs[i].ok) {
      CU_ASSERT(r.runs[i].ncurve >= 256);
    } else {
      interrupted += strcmp(r.runs[i].status, "interrupted") == 0;
    }
  }
  CU_ASSERT(interrupted <= 1);
  mc_h5_results_free(&r);
  char cmd[512];
  snprintf(cmd, sizeof cmd, "h5dump -H %s > /dev/null 2>&1", part);
  CU_ASSERT(system(cmd) == 0);
  snprintf(cmd, sizeof cmd,
           "/usr/bin/python3 -c \"import h5py,sys; f=h5py.File(sys.argv[1],'r'); "
           "assert f.attrs['schema_version']==4; assert len(f['summary'])>=2\" %s",
           part);
  CU_ASSERT(system(cmd) == 0);
}

/* A child that overruns its time is recorded with the reason and the suite goes on. */
static void test_cli_timeout_recorded(void) {
  int rc = mc("run", "-s", "pq", "-w", "fill,hold", "-a", "system", "-n", "1000,8000000", "-r", "1",
              "--no-curve", "--timeout", "1", "-q", "-o", tmp("to.h5"), NULL);
  CU_ASSERT_FATAL(rc == 1); /* a run failed: exit 1, the file written all the same */
  mc_results r;
  read_tmp("to.h5", &r);
  CU_ASSERT(r.nruns == 4);
  int timed_out = 0, ok_small = 0;
  for (size_t i = 0; i < r.nruns; i++) {
    if (r.runs[i].n == 1000) ok_small += r.runs[i].ok;
    if (r.runs[i].n == 8000000 && strcmp(r.runs[i].workload, "hold") == 0) {
      CU_ASSERT(r.runs[i].ok == 0);
      timed_out = strstr(r.runs[i].status, "timeout after 1s") != NULL;
    }
  }
  CU_ASSERT(timed_out);
  CU_ASSERT(ok_small == 2);
  for (size_t i = 0; i < r.nsummary; i++)
    if (!r.summary[i].ok) CU_ASSERT(strstr(r.summary[i].status, "timeout") != NULL);
  mc_h5_results_free(&r);
}

/* A child that runs out of its address space is recorded as out of memory; the suite goes
 * on to the next run. */
static void test_cli_oom_recorded(void) {
#ifdef MC_SANITIZE
  return; /* no address-space limit under ASan: the run would really take 27 GB */
#endif
  int rc = mc("run", "-s", "blocks", "-w", "fill", "-a", "system", "-n", "100000000,1000", "-r",
              "1", "--mem-limit", "256", "-q", "-o", tmp("oom.h5"), NULL);
  CU_ASSERT_FATAL(rc == 0);
  n1000_ok_other_failed("oom.h5", "out of memory", NULL);
}

/* A child that crashes (SIGSEGV sent from outside, as a wild pointer would) is recorded with
 * the signal's name and the suite goes on to the next run. */
static void test_cli_crash_recorded(void) {
  const char *o = tmp("crash.h5");
  pid_t pid = fork();
  if (pid == 0) {
    if (!freopen(errp, "w", stderr)) _exit(126);
    execl(MC_MEMCURVE_EXE, "memcurve", "run", "-s", "pq", "-w", "hold", "-a", "system", "-n",
          "6000000,1000", "-r", "1", "--no-curve", "-q", "-o", o, (char *)NULL);
    _exit(127);
  }
  /* the first child is the long run: wait for it to appear, then crash it */
  char path[64], buf[64];
  snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)pid, (int)pid);
  int child = 0;
  for (int i = 0; i < 400 && child <= 0; i++) {
    struct timespec ts = {0, 10000000};
    nanosleep(&ts, NULL);
    FILE *f = fopen(path, "r");
    if (f && fgets(buf, sizeof buf, f)) child = atoi(buf);
    if (f) fclose(f);
  }
  CU_ASSERT_FATAL(child > 0);
  struct timespec ts = {0, 200000000}; /* let the exec happen */
  nanosleep(&ts, NULL);
  kill(child, SIGSEGV);
  int st;
  waitpid(pid, &st, 0);
  CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 1); /* a run crashed: exit 1 */
#ifdef MC_SANITIZE /* ASan catches the SEGV itself, reports and exits 1 */
  n1000_ok_other_failed("crash.h5", "killed by signal 11", "exit status 1");
#else
  n1000_ok_other_failed("crash.h5", "killed by signal 11", NULL);
#endif
}

static void test_cli_compare_and_gbench(void) {
  const char *js = tmp("bench_x.json");
  FILE *f = fopen(js, "w");
  fputs("{\"context\": {}, \"benchmarks\": [{\"name\": \"list/push/system/64\", \"iterations\": "
        "10, \"real_time\": 5, \"cpu_time\": 4, \"time_unit\": \"ns\"}]}",
        f);
  fclose(f);
  CU_ASSERT_FATAL(mc("run", "-s", "list", "-w", "fill", "-a", "system,arena", "-n", "2000", "-r",
                     "5", "-q", "-o", tmp("a.h5"), "--gbench", js, NULL) == 0);
  CU_ASSERT_FATAL(mc("run", "-s", "list", "-w", "fill", "-a", "system,arena", "-n", "2000", "-r",
                     "5", "-q", "-o", tmp("b.h5"), NULL) == 0);
  mc_results r;
  read_tmp("a.h5", &r);
  CU_ASSERT(r.ntput == 1 && r.tput[0].n == 64 && strcmp(r.tput[0].structure, "list") == 0);
  mc_h5_results_free(&r);
  CU_ASSERT(mc("compare", tmp("a.h5"), tmp("b.h5"), NULL) == 0);
  char *s = slurp(outp);
  CU_ASSERT(s && strstr(s, "time B/A") && strstr(s, "2 runs in both files"));
  /* >= 5 reps: a p-value, an interval and a verdict on each line */
  CU_ASSERT(s && strstr(s, "95% interval") && strstr(s, "verdict"));
  CU_ASSERT(s && strstr(s, "list       fill         system"));
  const char *line = s ? strstr(s, "list       fill         arena") : NULL;
  CU_ASSERT(line && strchr(line, '[') &&
            (strstr(line, "no significant difference") || strstr(line, "B faster") ||
             strstr(line, "B slower")));
  /* a file against itself: ratio 1, an interval around it, no difference */
  CU_ASSERT(mc("compare", tmp("a.h5"), tmp("a.h5"), NULL) == 0);
  free(s);
  s = slurp(outp);
  CU_ASSERT(s && strstr(s, "    1.000 [") && strstr(s, "no significant difference") &&
            !strstr(s, "B faster") && !strstr(s, "B slower"));
  free(s);
  /* merge keeps the Google Benchmark JSON */
  CU_ASSERT(mc("merge", "-o", tmp("ab.h5"), tmp("a.h5"), NULL) == 0);
  char **tags, **jsons;
  size_t n;
  CU_ASSERT_FATAL(mc_h5_read_json(tmp("ab.h5"), &tags, &jsons, &n) == MC_OK);
  CU_ASSERT(n == 1 && strcmp(tags[0], "bench_x") == 0 && strstr(jsons[0], "list/push"));
  mc_h5_free_strings(tags, n);
  mc_h5_free_strings(jsons, n);
}

/* The progress line appears when stderr is a terminal (a pty here), never in a file. */
static void test_cli_progress_on_tty(void) {
  int m = posix_openpt(O_RDWR | O_NOCTTY);
  CU_ASSERT_FATAL(m >= 0 && grantpt(m) == 0 && unlockpt(m) == 0);
  const char *sn = ptsname(m);
  CU_ASSERT_FATAL(sn != NULL);
  pid_t pid = fork();
  if (pid == 0) {
    int t = open(sn, O_RDWR);
    if (t < 0 || dup2(t, 2) < 0 || !freopen(outp, "w", stdout)) _exit(126);
    close(m);
    execl(MC_MEMCURVE_EXE, "memcurve", "run", "-s", "list", "-w", "fill", "-a", "system", "-n",
          "2000", "-r", "1", "-o", tmp("tty.h5"), (char *)NULL);
    _exit(127);
  }
  char buf[8192];
  size_t len = 0;
  for (;;) {
    ssize_t r = read(m, buf + len, sizeof buf - 1 - len);
    if (r <= 0) break; /* EIO once the child has gone */
    len += (size_t)r;
    if (len == sizeof buf - 1) break;
  }
  buf[len] = '\0';
  int st;
  waitpid(pid, &st, 0);
  close(m);
  CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
  CU_ASSERT(strstr(buf, "\r") != NULL);
  CU_ASSERT(strstr(buf, "[1/1] list/fill/system n=2k") != NULL); /* sizes as -n takes them */
  /* and not in a file */
  CU_ASSERT(mc("run", "-s", "list", "-w", "fill", "-a", "system", "-n", "2000", "-r", "1", "-o",
               tmp("notty.h5"), NULL) == 0);
  char *e = slurp(errp);
  CU_ASSERT(e && strchr(e, '\r') == NULL && strstr(e, "written to") != NULL);
  free(e);
}

/* Runs memcurve with argv (NULL-terminated, after "memcurve") with stderr on a terminal; returns
 * what the terminal got (malloc'd) and the exit status in *st. */
static char *run_on_tty(const char *const *argv, int *st) {
  int m = posix_openpt(O_RDWR | O_NOCTTY);
  if (m < 0 || grantpt(m) != 0 || unlockpt(m) != 0 || !ptsname(m)) return NULL;
  const char *sn = ptsname(m);
  pid_t pid = fork();
  if (pid == 0) {
    int t = open(sn, O_RDWR);
    if (t < 0 || dup2(t, 2) < 0 || !freopen(outp, "w", stdout)) _exit(126);
    close(m);
    const char *a[32] = {"memcurve"};
    for (int i = 0; argv[i] && i < 30; i++) a[i + 1] = argv[i];
    execv(MC_MEMCURVE_EXE, (char **)a);
    _exit(127);
  }
  size_t cap = 1 << 16, len = 0;
  char *buf = malloc(cap);
  for (ssize_t r; buf && len < cap - 1 && (r = read(m, buf + len, cap - 1 - len)) > 0;)
    len += (size_t)r;
  if (buf) buf[len] = '\0';
  waitpid(pid, st, 0);
  close(m);
  return buf;
}

/* Cuts what depends on the clock out of a terminal's text: each progress line's tail (from
 * its two spaces to the next carriage return) and the closing line (from "memcurve run:"). */
static void strip_clock(char *t) {
  char *end = strstr(t, "memcurve run:");
  if (end) *end = '\0';
  for (char *p = t; (p = strstr(p, "  ")) != NULL;) {
    size_t k = strcspn(p, "\r\n");
    memmove(p, p + k, strlen(p + k) + 1);
  }
}

/* Repetitions are interleaved: the progress line shows every configuration's repetition k
 * before any k+1, each round holds every configuration once, the order is a seeded shuffle
 * (the same seed gives the same order), and the file records the schedule. */
static void test_cli_interleaved(void) {
  const char *a1[] = {"run",    "-s",   "list",    "-w", "fill,churn", "-a", "system,pool,arena",
                      "-n",     "2000", "-r",      "3",  "--no-curve", "-o", tmp("il.h5"),
                      "--seed", "5",    "--force", NULL};
  int st;
  char *t1 = run_on_tty(a1, &st), *t2 = run_on_tty(a1, &st);
  CU_ASSERT_FATAL(t1 && t2);
  CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
  /* the progress line shows the time elapsed and, after the first pass, the time left */
  CU_ASSERT(strstr(t1, "[1/18] ") && strstr(t1, " elapsed") && strstr(t1, " left"));
  strip_clock(t1);
  strip_clock(t2);
  CU_ASSERT(strcmp(t1, t2) == 0); /* seeded: the same order */
  char seen[3][6][48];
  int count[3] = {0, 0, 0}, last = 0, monotone = 1, first_round_sorted = 1;
  for (const char *p = t1; (p = strchr(p, '[')) != NULL; p++) {
    unsigned i, n, k, r;
    char name[48];
    if (sscanf(p, "[%u/%u] list/%47s n=2k rep %u/%u", &i, &n, name, &k, &r) != 5) continue;
    if (n != 18 || r != 3 || k < 1 || k > 3) continue;
    if ((int)k < last) monotone = 0;
    last = (int)k;
    if (count[k - 1] < 6) snprintf(seen[k - 1][count[k - 1]++], 48, "%s", name);
  }
  CU_ASSERT(monotone);
  CU_ASSERT(count[0] == 6 && count[1] == 6 && count[2] == 6);
  for (int k = 0; k < 3; k++) /* each round: the six configurations, each once */
    for (int i = 0; i < 6; i++)
      for (int j = i + 1; j < 6; j++) CU_ASSERT(strcmp(seen[k][i], seen[k][j]) != 0);
  /* shuffled: the rounds are not all in the sweep's own order */
  int same01 = 1;
  for (int i = 0; i < 6; i++) same01 &= strcmp(seen[0][i], seen[1][i]) == 0;
  for (int i = 0; i + 1 < 6; i++) first_round_sorted &= strcmp(seen[0][i], seen[0][i + 1]) <= 0;
  CU_ASSERT(!same01 || !first_round_sorted);
  free(t1);
  free(t2);
  mc_results r;
  read_tmp("il.h5", &r);
  CU_ASSERT(strstr(r.meta.schedule, "interleaved: 3 rounds") != NULL);
  CU_ASSERT(strstr(r.meta.schedule, "(seed 5)") != NULL);
  CU_ASSERT(strstr(r.meta.glossary, "workload\tchurn\t") != NULL);
  CU_ASSERT(strstr(r.meta.glossary, "structure\ttree\t") != NULL);
  CU_ASSERT(r.nsummary == 18);
  mc_h5_results_free(&r);
}

static void test_cli_overhead_reports(void) {
  int rc = mc("run", "--overhead", "-s", "list", "-w", "fill", "-a", "system", "-n", "2000", NULL);
  CU_ASSERT(rc == 0 || rc == 1); /* 1 = above 3 % (no timing assertions in tests) */
  char *s = slurp(outp);
  CU_ASSERT(s && strstr(s, "sampling overhead") != NULL);
  free(s);
}

/* The number of runs in a results file (-1 if unreadable). */
static long nruns_of(const char *path) {
  mc_results r;
  char err[256];
  if (mc_h5_read(path, &r, err, sizeof err) != MC_OK) return -1;
  long n = (long)r.nruns;
  mc_h5_results_free(&r);
  return n;
}

/* An existing results file is never replaced silently: refused (exit 2, one line naming
 * --force and --append, the file as it was), replaced with --force, added to with --append
 * (a run already in it refused, nothing run); a missing output folder is created. */
static void test_cli_output_rules(void) {
  const char *o = tmp("new/sub/r.h5");
#define ONE "run", "-s", "list", "-w", "fill", "-a", "system,arena", "-n", "2k", "-r", "1", "-q"
  CU_ASSERT_FATAL(mc(ONE, "-o", o, NULL) == 0);
  CU_ASSERT(nruns_of(o) == 2);
  struct stat before, after;
  CU_ASSERT_FATAL(stat(o, &before) == 0);
  CU_ASSERT(mc(ONE, "-o", o, NULL) == 2);
  char *e = slurp(errp);
  CU_ASSERT(lines(errp) == 1 && e && strstr(e, "--force") && strstr(e, "--append"));
  free(e);
  CU_ASSERT(stat(o, &after) == 0 && after.st_ino == before.st_ino &&
            after.st_mtime == before.st_mtime && nruns_of(o) == 2);
  /* a name ending in '/' is a folder, not a file: refused, and no folder made for it */
  CU_ASSERT(mc(ONE, "-o", tmp("notyet/"), NULL) == 2);
  e = slurp(errp);
  CU_ASSERT(lines(errp) == 1 && e && strstr(e, "is a directory"));
  free(e);
  CU_ASSERT(access(tmp("notyet"), F_OK) != 0);
  CU_ASSERT(mc(ONE, "--force", "-o", o, NULL) == 0);
  CU_ASSERT(nruns_of(o) == 2);
  CU_ASSERT(mc("run", "-s", "list", "-w", "churn", "-a", "system", "-n", "2k", "-r", "1", "-q",
               "--append", "-o", o, NULL) == 0);
  CU_ASSERT(nruns_of(o) == 3);
  /* a run already in the file: refused before anything runs, the file keeps its 3 runs */
  CU_ASSERT(mc("run", "-s", "list", "-w", "churn,waves", "-a", "system", "-n", "2000", "-r", "1",
               "-q", "--append", "-o", o, NULL) == 2);
  e = slurp(errp);
  CU_ASSERT(e && strstr(e, "list/churn/system/2k is already in") != NULL);
  free(e);
  CU_ASSERT(nruns_of(o) == 3);
  mc_results r;
  char err[256];
  CU_ASSERT_FATAL(mc_h5_read(o, &r, err, sizeof err) == MC_OK);
  CU_ASSERT(r.nsummary == 3 && strstr(r.meta.command_line, "; then: run") != NULL);
  mc_h5_results_free(&r);
#undef ONE
}

/* Exit statuses: documented in --help; a memory limit too small for the child to start is
 * said once (not the loader's errors, not a run recorded as "exit status 127"). */
static void test_cli_exit_statuses(void) {
  CU_ASSERT(mc("--help", NULL) == 0);
  char *s = slurp(outp);
  CU_ASSERT(s && strstr(s, "exit status: 0 every run finished") && strstr(s, "1 some run failed") &&
            strstr(s, "2 bad usage") && strstr(s, "130 interrupted"));
  free(s);
  CU_ASSERT(mc("run", "--help", NULL) == 0);
  s = slurp(outp);
  CU_ASSERT(s && strstr(s, "130 interrupted") && strstr(s, "--force") && strstr(s, "--append"));
  free(s);
#ifndef MC_SANITIZE /* no address-space limit under ASan */
  /* 2 MB: too small for the loader even for the small memcurve-child (it starts under 12) */
  CU_ASSERT(mc("run", "-s", "list", "-w", "fill", "-a", "system,jemalloc", "-n", "2k", "-r", "1",
               "--mem-limit", "2", "-o", tmp("ml.h5"), NULL) == 2);
  s = slurp(errp);
  CU_ASSERT(lines(errp) == 1);
  CU_ASSERT(s && strstr(s, "memory limit too small for the child to start") &&
            !strstr(s, "failed to map") && !strstr(s, "127"));
  free(s);
  CU_ASSERT(access(tmp("ml.h5"), F_OK) != 0);
  /* 12 MB: the child starts, glibc's malloc works, jemalloc's first malloc crashed (a run
   * recorded "killed by signal 11", exit 1); the probe sets LD_PRELOAD before the limit (it
   * was lost when setenv could not allocate) and makes the first block: said once, exit 2 */
  CU_ASSERT(mc("run", "-s", "list", "-w", "fill", "-a", "system,jemalloc", "-n", "2k", "-r", "1",
               "--mem-limit", "12", "-o", tmp("ml.h5"), NULL) == 2);
  s = slurp(errp);
  CU_ASSERT(lines(errp) == 1);
  CU_ASSERT(s &&
            strstr(s, "too small for the child to start (--mem-limit 12 MB, allocator "
                      "jemalloc)") &&
            !strstr(s, "signal"));
  free(s);
  CU_ASSERT(access(tmp("ml.h5"), F_OK) != 0);
  CU_ASSERT(mc("run", "-s", "list", "-w", "fill", "-a", "system", "-n", "2k", "-r", "1", "-q",
               "--mem-limit", "12", "-o", tmp("ml.h5"), NULL) == 0);
  CU_ASSERT(unlink(tmp("ml.h5")) == 0);
  /* a limit given with a unit */
  CU_ASSERT(mc("run", "-s", "list", "-w", "fill", "-a", "system", "-n", "2k", "-r", "1", "-q",
               "--mem-limit", "1G", "-o", tmp("ml.h5"), NULL) == 0);
#endif
}

/* Sizes take k/M/G; list prints them so, with per structure the workloads that apply and what
 * N means; an invalid combination says why. */
static void test_cli_sizes_and_list(void) {
  CU_ASSERT_FATAL(mc("run", "-s", "list", "-w", "fill", "-a", "system", "-n", "3k", "-r", "1", "-q",
                     "--no-curve", "-o", tmp("k.h5"), NULL) == 0);
  mc_results r;
  char err[256];
  CU_ASSERT_FATAL(mc_h5_read(tmp("k.h5"), &r, err, sizeof err) == MC_OK);
  CU_ASSERT(r.nruns == 1 && r.runs[0].n == 3000);
  mc_h5_results_free(&r);
  CU_ASSERT(mc("list", NULL) == 0);
  char *s = slurp(outp);
  CU_ASSERT(s && strstr(s, "-n 1k,10k,30k") && strstr(s, "-n 1M"));
  CU_ASSERT(s && strstr(s, "  tree      binary-trees gcbench\n"));
  CU_ASSERT(s && strstr(s, "  ndarray   fill\n"));
  CU_ASSERT(s && strstr(s, "  list      fill drain churn waves cycles chains\n"));
  CU_ASSERT(s && strstr(s, "  binary-trees  the tree depth, 4..22"));
  CU_ASSERT(s && strstr(s, "  fill          the elements, 1..1G\n"));
  CU_ASSERT(s && strstr(s, "  cycles        the nodes in all (lists of 64), 1..1G\n"));
  CU_ASSERT(s && strstr(s, "  regions       the objects allocated (in 16 phases), 1..1G\n"));
  free(s);
  /* typed lists holding valid and invalid pairs: the valid run, each invalid one is named */
  CU_ASSERT(mc("run", "-s", "tree,list", "-w", "fill,binary-trees", "-a", "system", "-n", "10",
               "-r", "1", "-q", "--no-curve", "-o", tmp("skip.h5"), NULL) == 0);
  s = slurp(errp);
  CU_ASSERT(s && strstr(s, "memcurve run: skipped: tree/fill does not apply: tree is built by "
                           "the collector's workloads only"));
  CU_ASSERT(s && strstr(s, "memcurve run: skipped: list/binary-trees does not apply: "
                           "binary-trees builds its own tree"));
  free(s);
  CU_ASSERT(nruns_of(tmp("skip.h5")) == 2); /* list/fill and tree/binary-trees at N = 10 */
  struct {
    const char *s, *w, *n, *why;
  } bad[] = {{"tree", "binary-trees", "100k", "the tree depth, 4..22, not 100000"},
             {"tree", "cycles", "10k", "cycles builds its own list"},
             {"ndarray", "churn", "10k", "ndarray only grows"},
             {"list", "hold", "10k", "hold needs a priority queue (pq, pq4, pairing)"}};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    CU_ASSERT(mc("run", "-s", bad[i].s, "-w", bad[i].w, "-n", bad[i].n, NULL) == 2);
    s = slurp(errp);
    CU_ASSERT(lines(errp) == 1 && s && strstr(s, bad[i].why) != NULL);
    free(s);
  }
}

/* import stores only Google Benchmark JSON; export gives the summary as CSV (pandas reads it
 * with the documented columns, one row per repetition) and as Google Benchmark-shaped JSON,
 * and the curve points with --curves. */
static void test_cli_import_export(void) {
  const char *js = tmp("bench_y.json");
  FILE *f = fopen(js, "w");
  CU_ASSERT_FATAL(f != NULL);
  fputs("{\"context\": {}, \"benchmarks\": [{\"name\": \"list/push/system/64\", \"iterations\": "
        "10, \"real_time\": 5, \"cpu_time\": 4, \"time_unit\": \"ns\"}]}",
        f);
  fclose(f);
  CU_ASSERT_FATAL(mc("import", "-o", tmp("imp.h5"), js, NULL) == 0);
  mc_results r;
  char err[256];
  CU_ASSERT_FATAL(mc_h5_read(tmp("imp.h5"), &r, err, sizeof err) == MC_OK);
  CU_ASSERT(r.nruns == 0 && r.ntput == 1);
  mc_h5_results_free(&r);
  CU_ASSERT(mc("info", tmp("imp.h5"), NULL) == 0); /* no runs: no table of runs, no provenance */
  char *inf = slurp(outp);
  CU_ASSERT(inf && strstr(inf, "throughput: ") && !strstr(inf, "structure ") &&
            !strstr(inf, "provenance:") && !strstr(inf, "unknown"));
  free(inf);
  CU_ASSERT(mc("import", "-o", tmp("imp.h5"), js, NULL) == 2);             /* exists */
  CU_ASSERT(mc("import", "--append", "-o", tmp("imp.h5"), js, NULL) == 2); /* the same name */
  CU_ASSERT_FATAL(mc("run", "-s", "list", "-w", "fill,churn", "-a", "system", "-n", "2k", "-r", "2",
                     "-q", "-o", tmp("ex.h5"), NULL) == 0);
  CU_ASSERT(mc("export", tmp("ex.h5"), "--csv", "-o", tmp("ex.csv"), NULL) == 0);
  CU_ASSERT(lines(tmp("ex.csv")) == 1 + 4);
  char cmd[1200];
  snprintf(cmd, sizeof cmd,
           "/usr/bin/python3 -c \"import pandas as pd, sys; d = pd.read_csv(sys.argv[1]); "
           "assert list(d.columns) == 'structure,workload,allocator,n,n_means,rep,ok,status,ops,"
           "wall_ns,ops_per_s,allocs_per_op,collections,peak_requested,peak_footprint,peak_rss,"
           "peak_held,peak_resident,final_requested,final_held,final_resident'.split(','); "
           "assert len(d) == 4 and (d.n == 2000).all() and (d.ok == 1).all(); "
           "assert (d.wall_ns > 0).all() and (d.peak_held > 0).all()\" %s",
           tmp("ex.csv"));
  CU_ASSERT(system(cmd) == 0);
  CU_ASSERT(mc("export", tmp("ex.h5"), "--json", "-o", tmp("ex.json"), NULL) == 0);
  snprintf(cmd, sizeof cmd,
           "/usr/bin/python3 -c \"import json, sys; j = json.load(open(sys.argv[1])); "
           "b = j['benchmarks']; assert 'date' in j['context'] and len(b) == 4; "
           "assert all(x['time_unit'] == 'ns' and x['real_time'] > 0 and x['cpu_time'] > 0 and "
           "x['run_type'] == 'iteration' and x['name'].startswith('list/') and "
           "x['repetitions'] == 2 for x in b)\" %s",
           tmp("ex.json"));
  CU_ASSERT(system(cmd) == 0);
  /* Google Benchmark's own compare.py reads it (where Debian's libbenchmark-tools is installed) */
  if (access("/usr/share/benchmark/compare.py", R_OK) == 0) {
    snprintf(cmd, sizeof cmd,
             "/usr/bin/python3 /usr/share/benchmark/compare.py --no-color benchmarks %s %s > %s "
             "2>&1",
             tmp("ex.json"), tmp("ex.json"), outp);
    CU_ASSERT(system(cmd) == 0);
    char *c = slurp(outp);
    CU_ASSERT(c && strstr(c, "list/churn/system/2000") && strstr(c, "+0.0000"));
    free(c);
  }
  CU_ASSERT(mc("export", tmp("ex.h5"), "--csv", "--curves", NULL) == 0); /* on stdout */
  CU_ASSERT_FATAL(mc_h5_read(tmp("ex.h5"), &r, err, sizeof err) == MC_OK);
  size_t pts = 0;
  for (size_t i = 0; i < r.nruns; i++) pts += r.runs[i].ncurve;
  mc_h5_results_free(&r);
  CU_ASSERT(pts > 0 && lines(outp) == (int)pts + 1);
  char *s = slurp(outp);
  CU_ASSERT(s && strncmp(s, "structure,workload,allocator,n,n_means,ops,elements,t_ns,", 57) == 0);
  free(s);
  /* info: human units by default, bytes on request, filtered */
  CU_ASSERT(mc("info", tmp("ex.h5"), "-w", "churn", NULL) == 0);
  s = slurp(outp);
  CU_ASSERT(s && strstr(s, " churn ") && !strstr(s, " fill ") && strstr(s, "KiB") &&
            strstr(s, "1 of 2 runs match"));
  free(s);
  CU_ASSERT(mc("info", tmp("ex.h5"), "--bytes", "-n", "2k", NULL) == 0);
  s = slurp(outp);
  CU_ASSERT(s && strstr(s, " churn ") && strstr(s, " fill ") && !strstr(s, "KiB "));
  free(s);
  /* export -o: missing folders made, as run's; never the results file itself (fopen "w"
   * emptied it), never a folder */
  CU_ASSERT(mc("export", tmp("ex.h5"), "--csv", "-o", tmp("exdir/deeper/ex.csv"), NULL) == 0);
  CU_ASSERT(lines(tmp("exdir/deeper/ex.csv")) == 1 + 4);
  CU_ASSERT(mc("export", tmp("ex.h5"), "--csv", "-o", tmp("ex.h5"), NULL) == 2);
  s = slurp(errp);
  CU_ASSERT(lines(errp) == 1 && s && strstr(s, "is the results file itself"));
  free(s);
  CU_ASSERT(nruns_of(tmp("ex.h5")) == 2);
  CU_ASSERT(mc("export", tmp("ex.h5"), "--json", "-o", tmp("exdir/"), NULL) == 2);
}

/* --version on memcurve and on every bench_* binary beside it: the project's one version. */
static void test_cli_version(void) {
  CU_ASSERT(mc("--version", NULL) == 0);
  char *s = slurp(outp);
  CU_ASSERT(s && strcmp(s, "memcurve " MC_VERSION "\n") == 0);
  free(s);
  static const char *const benches[] = {"bench_alloc", "bench_pq",      "bench_list",
                                        "bench_boxed", "bench_ndarray", "bench_gc"};
  for (size_t i = 0; i < sizeof benches / sizeof *benches; i++) {
    char cmd[600];
    snprintf(cmd, sizeof cmd, "%s/%s", MC_BENCH_DIR, benches[i]);
    if (access(cmd, X_OK) != 0) continue; /* not built in this configuration */
    snprintf(cmd, sizeof cmd, "%s/%s --version > %s", MC_BENCH_DIR, benches[i], outp);
    CU_ASSERT(system(cmd) == 0);
    s = slurp(outp);
    CU_ASSERT(s && strstr(s, benches[i]) && strstr(s, "memcurve " MC_VERSION));
    free(s);
    snprintf(cmd, sizeof cmd, "%s/%s --help > %s", MC_BENCH_DIR, benches[i], outp);
    CU_ASSERT(system(cmd) == 0); /* the wrapper's flag is listed beside Google Benchmark's */
    s = slurp(outp);
    CU_ASSERT(s && strstr(s, "[--version]") && strstr(s, "--benchmark_filter"));
    free(s);
  }
}

/* The --options a subcommand's --help documents, space-separated into out: those of its
 * usage line and those that begin a line ("  -o, --output FILE ..."), up to "exit status:". */
static void documented(char *help, char *out, size_t size) {
  size_t k = 0;
  out[0] = '\0';
  char *end = strstr(help, "exit status:"), *save = NULL;
  if (end) *end = '\0';
  for (char *line = strtok_r(help, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    int usage = strncmp(line, "usage:", 6) == 0;
    char *p = line + strspn(line, " ");
    if (!usage && p[0] == '-' && p[1] != '-' && p[2] == ',') p += 3 + strspn(p + 3, " ");
    if (!usage && strncmp(p, "--", 2) != 0) continue; /* prose, not an option line */
    for (; p && (p = strstr(p, "--")) != NULL; p += 2) {
      char opt[64];
      if (sscanf(p, "%63[-a-z]", opt) == 1 && strlen(opt) > 2 && k + strlen(opt) + 2 < size)
        k += (size_t)snprintf(out + k, size - k, " %s", opt);
      if (!usage) break; /* one per option line */
    }
  }
  if (k + 2 < size) snprintf(out + k, size - k, " ");
}

/* The bash completion offers every subcommand `memcurve --help` lists and, for each, every
 * --option its --help documents, and documents every option it offers (--help aside); bash
 * itself completes with it. */
static void test_cli_completion(void) {
  CU_ASSERT_FATAL(mc("completion", "bash", NULL) == 0);
  char *comp = slurp(outp);
  CU_ASSERT_FATAL(comp != NULL);
  CU_ASSERT(mc("--help", NULL) == 0);
  char *help = slurp(outp), *save = NULL;
  CU_ASSERT_FATAL(help != NULL);
  int ncmds = 0;
  for (char *line = strtok_r(help, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    char name[64];
    if (strncmp(line, "  --", 4) == 0) break; /* the commands end where the options begin */
    if (strncmp(line, "  ", 2) != 0 || sscanf(line, " %63s", name) != 1) continue;
    ncmds++;
    char pat[100];
    snprintf(pat, sizeof pat, "    %s) opts=\"", name);
    const char *row = strstr(comp, pat);
    CU_ASSERT(row != NULL);
    if (!row) continue;
    char opts[600], padded[620], doc[2000], docs[2000];
    snprintf(opts, sizeof opts, "%.*s", (int)strcspn(row + strlen(pat), "\""), row + strlen(pat));
    snprintf(padded, sizeof padded, " %s ", opts);
    CU_ASSERT(mc(name, "--help", NULL) == 0);
    char *sub = slurp(outp);
    CU_ASSERT_FATAL(sub != NULL);
    documented(sub, doc, sizeof doc);
    free(sub);
    snprintf(docs, sizeof docs, "%s", doc);
    char *dsave = NULL, word[80];
    for (char *o = strtok_r(doc, " ", &dsave); o; o = strtok_r(NULL, " ", &dsave)) {
      snprintf(word, sizeof word, " %s ", o);
      if (!strstr(padded, word)) fprintf(stderr, "%s: %s not offered\n", name, o);
      CU_ASSERT(strstr(padded, word) != NULL);
    }
    for (char *o = strtok_r(opts, " ", &dsave); o; o = strtok_r(NULL, " ", &dsave)) {
      snprintf(word, sizeof word, " %s ", o);
      if (o[0] != '-' || strcmp(o, "--help") == 0) continue;
      if (!strstr(docs, word)) fprintf(stderr, "%s: %s not in --help\n", name, o);
      CU_ASSERT(strstr(docs, word) != NULL);
    }
  }
  CU_ASSERT(ncmds == 11);
  free(help);
  free(comp);
  /* bash completes with it */
  char cmd[800];
  snprintf(cmd, sizeof cmd,
           "bash -c 'source <(\"$0\" completion bash); COMP_WORDS=(memcurve run --fo); "
           "COMP_CWORD=2; _memcurve; echo \"${COMPREPLY[*]}\"; COMP_WORDS=(memcurve ex); "
           "COMP_CWORD=1; _memcurve; echo \"${COMPREPLY[*]}\"; COMP_WORDS=(memcurve run -w bin); "
           "COMP_CWORD=3; _memcurve; echo \"${COMPREPLY[*]}\"; COMP_WORDS=(memcurve run -a "
           "system,je); COMP_CWORD=3; _memcurve; echo \"${COMPREPLY[*]}\"' %s > %s",
           MC_MEMCURVE_EXE, outp);
  CU_ASSERT(system(cmd) == 0);
  char *s = slurp(outp);
  CU_ASSERT(s && strcmp(s, "--force\nexport\nbinary-trees\nsystem,jemalloc\n") == 0);
  free(s);
}

static int add_suites(void) {
  mc_test_path(outp, sizeof outp, "stdout"); /* the scratch folder is made by now */
  mc_test_path(errp, sizeof errp, "stderr");
  static CU_TestInfo tests[] = {
      {"test_cli_bad_arguments", test_cli_bad_arguments},
      {"test_cli_help", test_cli_help},
      {"test_cli_gc_variants", test_cli_gc_variants},
      {"test_cli_run_shard_merge", test_cli_run_shard_merge},
      {"test_cli_sigint", test_cli_sigint},
      {"test_cli_timeout_recorded", test_cli_timeout_recorded},
      {"test_cli_oom_recorded", test_cli_oom_recorded},
      {"test_cli_crash_recorded", test_cli_crash_recorded},
      {"test_cli_compare_and_gbench", test_cli_compare_and_gbench},
      {"test_cli_progress_on_tty", test_cli_progress_on_tty},
      {"test_cli_overhead_reports", test_cli_overhead_reports},
      {"test_cli_interleaved", test_cli_interleaved},
      {"test_cli_output_rules", test_cli_output_rules},
      {"test_cli_exit_statuses", test_cli_exit_statuses},
      {"test_cli_sizes_and_list", test_cli_sizes_and_list},
      {"test_cli_import_export", test_cli_import_export},
      {"test_cli_version", test_cli_version},
      {"test_cli_completion", test_cli_completion},
      CU_TEST_INFO_NULL,
  };
  return mc_test_add_suite("cli", tests);
}

int main(void) { return mc_test_main(add_suites); }
