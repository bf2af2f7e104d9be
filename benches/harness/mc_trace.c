/* mc_trace.c — samples an outside program's memory from outside (see mc_trace.h).
 *
 * Parent: a report pipe (when asked), fork; the child makes its own process group, dies with the
 * parent (PR_SET_PDEATHSIG), moves the pipe's write end to a descriptor that survives exec, names
 * it in the environment and execs the command. The parent then loops until the child ends: it
 * samples the process tree every period (statm and stat of the child, kept open; the children
 * files for what it forked), and between samples waits in ppoll for report lines. The child's end
 * is seen with waitid(WNOWAIT), so its process group still exists when the rest of it is killed,
 * and only then reaped with wait4 (ru_maxrss, CPU time). A timeout or an interrupt kills the
 * whole group with SIGKILL. The sampler's own cost is measured (sample_ns) so `memcurve trace`
 * can say what sampling took.
 */
#define _GNU_SOURCE
#include "mc_trace.h"

#include "mc_runner.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mc_curve.h"
#include "mc_error.h"
#include "mc_runner.h"

#define TREE_MAX 1024 /* processes followed at most in one sample */
#define LINE_MAX_ 256 /* a report line longer than this is malformed */

typedef struct tracer {
  pid_t pid;
  int statm, stat; /* the child's /proc files, kept open */
  long page, hz;
  uint64_t t0, cpu_us;
  uint64_t requested, elements;
  int based;                /* rss_baseline taken at the first report */
  uint64_t period, next;    /* ns */
  char line[LINE_MAX_ + 1]; /* a report line being received */
  size_t linelen;
  int phase;     /* phases reported so far */
  int fresh;     /* reports arrived since the last sample */
  uint64_t last; /* ns, when the loop last sampled */
  size_t cap, evcap;
  mc_trace_result *res;
} tracer;

static uint64_t u64_sub(uint64_t a, uint64_t b) { return a > b ? a - b : 0; }

/* Reads a small /proc file (at offset 0) into buf; returns its length or -1. */
static ssize_t read_fd(int fd, char *buf, size_t size) {
  ssize_t n = pread(fd, buf, size - 1, 0);
  if (n < 0) return -1;
  buf[n] = '\0';
  return n;
}

static ssize_t read_path(const char *path, char *buf, size_t size) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t n = read_fd(fd, buf, size);
  close(fd);
  return n;
}

/* Resident bytes from a statm text. */
static uint64_t statm_rss(const char *s, long page) {
  unsigned long long size, resident;
  if (sscanf(s, "%llu %llu", &size, &resident) != 2) return 0;
  return (uint64_t)resident * (uint64_t)page;
}

/* CPU ticks from a stat text: utime + stime (+ cutime + cstime when with_children). */
static uint64_t stat_ticks(const char *s, int with_children) {
  const char *p = strrchr(s, ')'); /* the command name may hold spaces and parentheses */
  if (!p) return 0;
  unsigned long long v[15] = {0};
  /* after ')': state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
   * cutime cstime */
  char state;
  if (sscanf(p + 1, " %c %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu",
             &state, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9], &v[10],
             &v[11], &v[12], &v[13]) != 15)
    return 0;
  return v[10] + v[11] + (with_children ? v[12] + v[13] : 0);
}

/* Appends the pids of /proc/<pid>/task/<pid>/children to q (n entries, cap max). */
static void children_of(pid_t pid, pid_t *q, size_t *n, size_t max) {
  char path[64], buf[4096];
  snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)pid, (int)pid);
  if (read_path(path, buf, sizeof buf) <= 0) return;
  char *p = buf, *end;
  for (;;) {
    long v = strtol(p, &end, 10);
    if (end == p) break;
    if (v > 0 && *n < max) q[(*n)++] = (pid_t)v;
    p = end;
  }
}

/* The tree's resident bytes now; *cpu_us its CPU time, *procs how many processes. */
static uint64_t tree_rss(tracer *t, uint64_t *cpu_us, uint64_t *procs) {
  static pid_t q[TREE_MAX];
  char buf[1024];
  uint64_t rss = 0, ticks = 0;
  size_t n = 0;
  if (read_fd(t->statm, buf, sizeof buf) > 0) rss += statm_rss(buf, t->page);
  if (read_fd(t->stat, buf, sizeof buf) > 0) ticks += stat_ticks(buf, 1);
  children_of(t->pid, q, &n, TREE_MAX);
  for (size_t i = 0; i < n; i++) { /* breadth first: q grows as children are found */
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/statm", (int)q[i]);
    if (read_path(path, buf, sizeof buf) > 0) rss += statm_rss(buf, t->page);
    snprintf(path, sizeof path, "/proc/%d/stat", (int)q[i]);
    if (read_path(path, buf, sizeof buf) > 0) ticks += stat_ticks(buf, 0);
    children_of(q[i], q, &n, TREE_MAX);
  }
  *cpu_us = ticks * 1000000u / (uint64_t)t->hz;
  *procs = n + 1;
  return rss;
}

/* Every point's resident = footprint = held: its RSS above the baseline (the RSS at the first
 * report; 0 without one: an outside program has no "just before the workload" of its own). */
static void set_baseline(tracer *t) {
  mc_trace_result *r = t->res;
  for (size_t i = 0; i < r->ncurve; i++) {
    mc_result_point *p = &r->curve[i];
    p->resident = p->footprint = p->held = u64_sub(p->rss, r->rss_baseline);
  }
}

/* Drops every other point (the first and last kept) and doubles the period. */
static void thin(tracer *t) {
  mc_trace_result *r = t->res;
  size_t k = 0;
  for (size_t i = 0; i < r->ncurve; i++)
    if (i % 2 == 0 || i + 1 == r->ncurve) r->curve[k++] = r->curve[i];
  r->ncurve = k;
  t->period *= 2;
}

/* Takes one sample of the tree now. Returns MC_OK or MC_ENOMEM. */
static int sample(tracer *t) {
  mc_trace_result *r = t->res;
  uint64_t s0 = mc_curve_now_ns(), cpu, procs;
  uint64_t rss = tree_rss(t, &cpu, &procs);
  uint64_t s1 = mc_curve_now_ns();
  r->sample_ns += s1 - s0;
  r->samples++;
  if (rss == 0) return MC_OK; /* a zombie (exited, not yet seen by waitid): nothing to record */
  if (procs > r->processes) r->processes = procs;
  if (rss > r->peak_sampled) r->peak_sampled = rss;
  if (cpu < t->cpu_us) cpu = t->cpu_us; /* a reaped grandchild's time may vanish for a moment */
  t->cpu_us = cpu;
  if (r->ncurve == MC_TRACE_CAP) thin(t);
  if (r->ncurve == t->cap) {
    size_t nc = t->cap ? t->cap * 2 : 1024;
    mc_result_point *np = realloc(r->curve, nc * sizeof *np);
    if (!np) return MC_ENOMEM;
    r->curve = np;
    t->cap = nc;
  }
  mc_result_point *p = &r->curve[r->ncurve++];
  memset(p, 0, sizeof *p);
  p->ops = cpu;
  p->elements = t->elements;
  p->t_ns = s0 - t->t0;
  p->requested = t->requested;
  p->rss = rss;
  p->held_ops = p->ops; /* resident, footprint, held: at the end (set_baseline) */
  return MC_OK;
}

/* After the end: a last point carrying the reports that came after the last sample (numeric
 * reports only update the state the next sample records), at the last sample's RSS. */
static void carry_last(tracer *t) {
  mc_trace_result *r = t->res;
  if (r->ncurve == 0 || r->ncurve == t->cap) return;
  mc_result_point *last = &r->curve[r->ncurve - 1];
  if (last->elements == t->elements && last->requested == t->requested) return;
  mc_result_point *p = &r->curve[r->ncurve++];
  *p = *last;
  p->elements = t->elements;
  p->requested = t->requested;
}

/* One complete report line: "LABEL BYTES". */
static int report(tracer *t, const char *s) {
  mc_trace_result *r = t->res;
  char label[64];
  unsigned long long bytes;
  char tail;
  if (sscanf(s, "%63s %llu %c", label, &bytes, &tail) != 2) return MC_OK; /* malformed: skipped */
  r->reports++;
  t->requested = bytes;
  if (bytes > r->peak_requested) r->peak_requested = bytes;
  char *end;
  unsigned long long v = strtoull(label, &end, 10);
  int numeric = *end == '\0' && label[0] >= '0' && label[0] <= '9';
  if (numeric) t->elements = v;
  if (!t->based) { /* the first report sets the baseline: the program is ready */
    uint64_t cpu, procs;
    r->rss_baseline = tree_rss(t, &cpu, &procs);
    t->based = 1;
  }
  if (numeric || strcmp(label, "-") == 0) { /* the next sample carries it */
    t->fresh = 1;
    return MC_OK;
  }
  /* a named phase: an event, and a sample at it */
  if (r->nevents == t->evcap) {
    if (t->evcap >= MC_CURVE_EVENTS) return MC_OK;
    size_t nc = t->evcap ? t->evcap * 2 : 64;
    mc_result_event *ne = realloc(r->events, nc * sizeof *ne);
    if (!ne) return MC_ENOMEM;
    r->events = ne;
    t->evcap = nc;
  }
  int rc = sample(t);
  if (rc) return rc;
  mc_result_event *e = &r->events[r->nevents++];
  memset(e, 0, sizeof *e);
  e->kind = MC_RESULT_EV_PHASE;
  e->generation = ++t->phase;
  e->ops = r->curve[r->ncurve - 1].ops;
  e->t_ns = r->curve[r->ncurve - 1].t_ns;
  e->bytes_before = e->bytes_after = bytes;
  return MC_OK;
}

/* Reads what the report pipe holds. Returns 1 at EOF, 0 otherwise, or a negative MC_E* code. */
static int drain(tracer *t, int fd) {
  char buf[4096];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n == 0) return 1;
    if (n < 0) return errno == EAGAIN || errno == EINTR ? 0 : 1;
    for (ssize_t i = 0; i < n; i++) {
      if (buf[i] != '\n') {
        if (t->linelen < LINE_MAX_) t->line[t->linelen] = buf[i];
        t->linelen++;
        continue;
      }
      if (t->linelen <= LINE_MAX_) {
        t->line[t->linelen] = '\0';
        int rc = report(t, t->line);
        if (rc) return rc;
      }
      t->linelen = 0;
    }
  }
}

static void describe(mc_trace_result *r, int st, int timed_out, unsigned timeout_s) {
  r->ok = 0;
  if (timed_out) {
    snprintf(r->status, sizeof r->status, "timeout after %us", timeout_s);
    r->exit_status = 128 + SIGKILL;
  } else if (WIFSIGNALED(st)) {
    int sig = WTERMSIG(st);
    snprintf(r->status, sizeof r->status, "killed by signal %d (%s)", sig, strsignal(sig));
    r->exit_status = 128 + sig;
  } else if (WIFEXITED(st) && WEXITSTATUS(st) != 0) {
    r->exit_status = WEXITSTATUS(st);
    snprintf(r->status, sizeof r->status, "exit status %d%s", r->exit_status,
             r->exit_status == 127 ? " (command not found?)" : "");
  } else {
    r->exit_status = 0;
    r->ok = 1;
    snprintf(r->status, sizeof r->status, "ok");
  }
}

static void child_exec(char *const argv[], const mc_trace_opts *o, int wfd, pid_t parent) {
  setpgid(0, 0);
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(1);
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  signal(SIGXFSZ, SIG_DFL);
  if (wfd >= 0) {
    int fd = fcntl(wfd, F_DUPFD, 3); /* without CLOEXEC: the command inherits it */
    char num[16];
    snprintf(num, sizeof num, "%d", fd);
    if (fd < 0 || setenv(o->report_env, num, 1) != 0) _exit(126);
  }
  execvp(argv[0], argv);
  fprintf(stderr, "memcurve trace: cannot run %s: %s\n", argv[0], strerror(errno));
  _exit(127);
}

void mc_trace_result_free(mc_trace_result *res) {
  mc_runner_free_arrays(&res->curve, &res->ncurve, &res->events, &res->nevents);
}

/* Sleeps until the next sample is due (or the deadline, if sooner and not 0), a report arrives (rfd
 * >= 0) or the child ends (pidfd readable; without a pidfd, at most 10 ms so the end is seen soon
 * even at long periods). */
static void wait_next(tracer *t, int rfd, int pidfd, uint64_t deadline) {
  uint64_t now = mc_curve_now_ns();
  uint64_t until = deadline && deadline < t->next ? deadline : t->next;
  uint64_t left = until > now ? until - now : 0;
  if (pidfd < 0 && left > 10000000u) left = 10000000u;
  struct timespec ts = {(time_t)(left / 1000000000u), (long)(left % 1000000000u)};
  struct pollfd pfd[2];
  nfds_t n = 0;
  if (rfd >= 0) pfd[n++] = (struct pollfd){rfd, POLLIN, 0};
  if (pidfd >= 0) pfd[n++] = (struct pollfd){pidfd, POLLIN, 0};
  ppoll(pfd, n, &ts, NULL);
}

int mc_trace_run(char *const argv[], const mc_trace_opts *opts, mc_trace_result *res) {
  memset(res, 0, sizeof *res);
  res->exit_status = -1;
  if (!argv || !argv[0] || !opts || opts->period_ns == 0) return MC_EINVAL;
  if (mc_runner_interrupted()) {
    snprintf(res->status, sizeof res->status, "interrupted");
    return MC_EINTR;
  }
  int fds[2] = {-1, -1};
  if (opts->report_env && pipe2(fds, O_CLOEXEC) != 0) return MC_EIO;
  tracer t;
  memset(&t, 0, sizeof t);
  t.res = res;
  t.page = sysconf(_SC_PAGESIZE);
  t.hz = sysconf(_SC_CLK_TCK);
  if (t.hz <= 0) t.hz = 100;
  t.period = opts->period_ns;
  fflush(NULL);
  pid_t parent = getpid();
  t.t0 = mc_curve_now_ns();
  pid_t pid = fork();
  if (pid < 0) {
    if (fds[0] >= 0) close(fds[0]), close(fds[1]);
    return MC_EIO;
  }
  if (pid == 0) child_exec(argv, opts, fds[1], parent);
  setpgid(pid, pid); /* also here: no sample or kill can race the child's own call */
  t.pid = pid;
  if (fds[1] >= 0) {
    close(fds[1]);
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
  }
  int rfd = fds[0];
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/statm", (int)pid);
  t.statm = open(path, O_RDONLY | O_CLOEXEC);
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  t.stat = open(path, O_RDONLY | O_CLOEXEC);
  int pidfd = (int)syscall(SYS_pidfd_open, pid, 0); /* readable when the child ends */
  int rc = MC_OK, timed_out = 0;
  uint64_t deadline = opts->timeout_s ? t.t0 + (uint64_t)opts->timeout_s * 1000000000u : 0;
  t.next = t.t0;
  for (;;) {
    siginfo_t si;
    memset(&si, 0, sizeof si);
    if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == pid) break;
    uint64_t now = mc_curve_now_ns();
    if (mc_runner_interrupted()) {
      rc = MC_EINTR;
      break;
    }
    if (deadline && now >= deadline) {
      timed_out = 1;
      break;
    }
    if (rfd >= 0) { /* first: a sample then pairs the RSS with the reports made up to now */
      int d = drain(&t, rfd);
      if (d < 0) {
        rc = d;
        break;
      }
      if (d == 1) close(rfd), rfd = -1;
    }
    /* due, or reports arrived and a quarter period passed: fast programs that report get a
     * curve as dense as their reports, within 4x the periodic rate */
    if (now >= t.next || (t.fresh && now - t.last >= t.period / 4)) {
      t.fresh = 0;
      t.last = now;
      if (sample(&t) != MC_OK) {
        rc = MC_ENOMEM;
        break;
      }
      if (now >= t.next) t.next += t.period;
      if (t.next <= now) t.next = now + t.period; /* a late sample does not bunch up the next */
    }
    wait_next(&t, rfd, pidfd, deadline);
  }
  kill(-pid, SIGKILL); /* the rest of the group (or all of it: timeout, interrupt, error) */
  struct rusage ru;
  int st = 0;
  memset(&ru, 0, sizeof ru);
  while (wait4(pid, &st, 0, &ru) < 0 && errno == EINTR) {
  }
  res->wall_ns = mc_curve_now_ns() - t.t0;
  if (rfd >= 0) { /* what was written before the end (the group is dead: EOF comes) */
    int d = drain(&t, rfd);
    if (d < 0 && rc == MC_OK) rc = d;
    close(rfd);
  }
  carry_last(&t);
  set_baseline(&t);
  if (pidfd >= 0) close(pidfd);
  if (t.statm >= 0) close(t.statm);
  if (t.stat >= 0) close(t.stat);
  res->cpu_ns = ((uint64_t)ru.ru_utime.tv_sec + (uint64_t)ru.ru_stime.tv_sec) * 1000000000u +
                ((uint64_t)ru.ru_utime.tv_usec + (uint64_t)ru.ru_stime.tv_usec) * 1000u;
  res->peak_rss = (uint64_t)ru.ru_maxrss * 1024u;
  if (rc == MC_EINTR) {
    res->ok = 0;
    res->exit_status = 128 + SIGKILL;
    snprintf(res->status, sizeof res->status, "interrupted");
    return rc;
  }
  describe(res, st, timed_out, opts->timeout_s);
  if (rc != MC_OK) snprintf(res->status, sizeof res->status, "sampler failed: %s", mc_strerror(rc));
  return rc;
}
