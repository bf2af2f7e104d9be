/* mc_runner.c — one run, one fresh child process.
 *
 * Parent: pipe(), fork(), and the child execs the runner's child program (opts->exe:
 * memcurve-child beside memcurve, see mc_runner_child_exe; else memcurve itself) as `__child`: a
 * fresh image, so its RSS and VmHWM are its own (a bare fork would share — and count — the
 * parent's pages, HDF5's and the results image's included), and for jemalloc, mimalloc or
 * tcmalloc with LD_PRELOAD naming them — a preload must be in place before the C library's first
 * malloc, so a fork alone cannot switch mallocs. Why a separate child program: memcurve links
 * HDF5 and what HDF5 pulls in (curl, TLS, Kerberos: 38 libraries), and loading them took ~50 ms
 * of wall time per exec on the 2-core VM, 4740 times in the default suite, for runs of mostly
 * < 10 ms; memcurve-child runs the same mc_runner_child_main from the same objects with libc,
 * libm and libgc only (a few ms). Forking without exec, or reusing a child, was rejected: the
 * run would inherit (and its RSS count) the parent's or the previous run's pages, and the
 * preloaded mallocs need an exec anyway. Limits are set between fork and exec and survive exec:
 * alarm(timeout) (a timed-out child dies of SIGALRM) and RLIMIT_AS (allocations then fail
 * and the workload reports "out of memory"). The child writes one message — a header (magic,
 * mc_run_out, counts), the curve points, the events — and exits 0 (finished) or 1 (failed).
 * Both ends are built from the same sources in one build, so the structs travel as raw bytes.
 * The parent reads the pipe to EOF (so a big curve never blocks the child), then waitpid()s and
 * turns the wait status into the run's status text: a signal names the signal (SIGALRM is the
 * timeout; SIGKILL is most likely the kernel's OOM killer), a missing message says so.
 * A child dies with its parent (PR_SET_PDEATHSIG, SIGKILL): a killed `run` leaves no workload
 * running on. Interrupts: SIGINT/SIGTERM only set a flag (sigaction without SA_RESTART, so the
 * blocking read returns EINTR); the parent then SIGKILLs the child and reports "interrupted".
 */
#define _GNU_SOURCE
#include "mc_runner.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <link.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mc_io.h"
#include "mc_system.h"

#define MSG_MAGIC 0x6d63726eu /* "mcrn" */

typedef struct msg_header {
  uint32_t magic;
  uint32_t sampling;
  mc_run_out out;
  uint64_t ncurve;
  uint64_t nevents;
} msg_header;

static volatile sig_atomic_t interrupted;

static void on_signal(int sig) {
  (void)sig;
  interrupted = 1;
}

void mc_runner_catch_signals(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0; /* no SA_RESTART: read/waitpid return EINTR */
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  /* a write past RLIMIT_FSIZE then fails with EFBIG, which the writer reports, instead of
   * killing the parent in the middle of its snapshot */
  signal(SIGXFSZ, SIG_IGN);
}

int mc_runner_interrupted(void) { return interrupted != 0; }

void mc_runner_free_arrays(mc_result_point **curve, size_t *ncurve, mc_result_event **events,
                           size_t *nevents) {
  free(*curve);
  free(*events);
  *curve = NULL;
  *events = NULL;
  *ncurve = *nevents = 0;
}

void mc_runner_result_free(mc_runner_result *res) {
  mc_runner_free_arrays(&res->curve, &res->ncurve, &res->events, &res->nevents);
}

/* ---- child side ------------------------------------------------------------------------- */

static int same_object(struct dl_phdr_info *info, size_t size, void *path) {
  (void)size;
  return info->dlpi_name && strcmp(info->dlpi_name, path) == 0;
}

/* 1 if the shared object at path is mapped in this process. Asks the loader's list, which
 * needs no memory: dlopen(RTLD_NOLOAD) allocates, and under a tight --mem-limit it failed for
 * a preload that was there, filing an out-of-memory run as "not loaded". */
static int object_loaded(const char *path) {
  return dl_iterate_phdr(same_object, (void *)path) != 0;
}

/* Runs spec here and sends the message on fd (or prints key=value lines if fd < 0). */
static int child_run(const mc_run_spec *spec, int sampling, int fd) {
  mc_curve c;
  mc_run_out out;
  const char *preload = mc_wl_preload(spec->allocator);
  int rc;
  /* a preload the loader ignored (missing library, a sanitizer runtime that must come first)
   * would silently measure glibc under another name: refuse instead */
  if (preload && !object_loaded(preload)) {
    memset(&c, 0, sizeof c);
    c.statm = -1;
    memset(&out, 0, sizeof out);
    snprintf(out.status, sizeof out.status, "%s is not loaded (LD_PRELOAD=%s had no effect)",
             spec->allocator, preload);
    rc = MC_ENOTSUP;
  } else {
    rc = mc_wl_run(spec, sampling, &c, &out);
  }
  if (fd < 0) {
    printf("ok=%d\nstatus=%s\nops=%llu\nwall_ns=%llu\npeak_requested=%llu\n"
           "peak_footprint=%llu\npeak_rss=%llu\nalloc_calls=%llu\npoints=%zu\n",
           (int)out.ok, out.status, (unsigned long long)out.ops, (unsigned long long)out.wall_ns,
           (unsigned long long)out.peak_requested, (unsigned long long)out.peak_footprint,
           (unsigned long long)out.peak_rss, (unsigned long long)out.alloc_calls, c.npts);
    fflush(stdout);
  } else {
    msg_header h = {MSG_MAGIC, (uint32_t)sampling, out, c.npts, c.nev};
    if (mc_write_all(fd, &h, sizeof h) || mc_write_all(fd, c.pts, c.npts * sizeof *c.pts) ||
        mc_write_all(fd, c.ev, c.nev * sizeof *c.ev))
      rc = MC_EIO;
  }
  mc_curve_destroy(&c);
  return rc == MC_OK ? 0 : 1;
}

/* mc_runner_probe's child: what a run does before its workload, under the run's limits — the
 * malloc's first block (a preloaded malloc initialises there), the recorder's buffers if
 * sampling. Returns 0 if it all worked, 3 if not. */
static int child_probe(int sampling) {
  void *volatile p = malloc(64); /* volatile: a malloc/free pair the compiler may not drop */
  if (!p) return 3;
  free(p);
  if (sampling) {
    mc_curve c;
    if (mc_curve_init(&c, mc_system_allocator(NULL), 1, 1) != MC_OK) return 3;
    mc_curve_destroy(&c);
  }
  return 0;
}

int mc_runner_child_main(int argc, char **argv) {
  mc_run_spec spec;
  memset(&spec, 0, sizeof spec);
  int fd = -1, sampling = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    const char *k = argv[i], *v = argv[i + 1];
    if (strcmp(k, "--fd") == 0)
      fd = atoi(v);
    else if (strcmp(k, "--sampling") == 0)
      sampling = atoi(v) != 0;
    else if (strcmp(k, "--structure") == 0)
      snprintf(spec.structure, MC_RESULT_NAME, "%s", v);
    else if (strcmp(k, "--workload") == 0)
      snprintf(spec.workload, MC_RESULT_NAME, "%s", v);
    else if (strcmp(k, "--allocator") == 0)
      snprintf(spec.allocator, MC_RESULT_NAME, "%s", v);
    else if (strcmp(k, "--n") == 0)
      spec.n = strtoull(v, NULL, 10);
    else if (strcmp(k, "--seed") == 0)
      spec.seed = strtoull(v, NULL, 10);
    else if (strcmp(k, "--probe") == 0)
      return child_probe(atoi(v) != 0); /* mc_runner_probe: the image loaded; can it start? */
    else if (strcmp(k, "--heap-limit") == 0)
      spec.heap_limit = strtoull(v, NULL, 10);
    else {
      fprintf(stderr, "memcurve __child: unknown option %s\n", k);
      return 2;
    }
  }
  return child_run(&spec, sampling, fd);
}

/* The child's malloc is the one the run names: the table's preload, or none (a caller's own
 * LD_PRELOAD would be measured and filed as "system"; cmd_run records that it was cleared).
 * Before child_limits: setenv allocates, and under RLIMIT_AS below the parent image's size it
 * failed, so that a run or probe went on without its preload. */
static void child_preload(const char *preload) {
  if (preload)
    setenv("LD_PRELOAD", preload, 1);
  else
    unsetenv("LD_PRELOAD");
}

static void child_exec(const mc_run_spec *spec, int sampling, const mc_runner_opts *o, int fd) {
  char sfd[16], ssamp[4], sn[32], sseed[32], slimit[32];
  snprintf(slimit, sizeof slimit, "%llu", (unsigned long long)spec->heap_limit);
  snprintf(sfd, sizeof sfd, "%d", fd);
  snprintf(ssamp, sizeof ssamp, "%d", sampling);
  snprintf(sn, sizeof sn, "%llu", (unsigned long long)spec->n);
  snprintf(sseed, sizeof sseed, "%llu", (unsigned long long)spec->seed);
  char *argv[] = {"memcurve",
                  "__child",
                  "--fd",
                  sfd,
                  "--sampling",
                  ssamp,
                  "--structure",
                  (char *)spec->structure,
                  "--workload",
                  (char *)spec->workload,
                  "--allocator",
                  (char *)spec->allocator,
                  "--n",
                  sn,
                  "--seed",
                  sseed,
                  "--heap-limit",
                  slimit,
                  NULL};
  execv(o->exe ? o->exe : "/proc/self/exe", argv);
  _exit(127);
}

static void child_limits(const mc_runner_opts *o) {
  (void)o; /* unused under MC_SANITIZE */
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
#ifndef MC_SANITIZE /* ASan reserves terabytes of address space for its shadow */
  if (o->mem_limit) {
    struct rlimit rl = {(rlim_t)o->mem_limit, (rlim_t)o->mem_limit};
    setrlimit(RLIMIT_AS, &rl);
  }
#endif
}

static void child_start(const mc_run_spec *spec, int sampling, const mc_runner_opts *o, int fd) {
  child_preload(mc_wl_preload(spec->allocator));
  child_limits(o);
  if (o->timeout_s) alarm(o->timeout_s);
  /* always a fresh image: the child's RSS is its own, not the parent's pages shared by fork */
  child_exec(spec, sampling, o, fd);
}

/* ---- parent side ------------------------------------------------------------------------ */

/* 1 if dir (its length dlen) joined with rel names an executable file; the path is then in out. */
static int exe_at(const char *dir, size_t dlen, const char *rel, char *out, size_t size) {
  int k = snprintf(out, size, "%.*s%s", (int)dlen, dir, rel);
  return k > 0 && (size_t)k < size && access(out, X_OK) == 0;
}

const char *mc_runner_child_exe(char *buf, size_t size) {
  char self[PATH_MAX];
  ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
  if (len > 0) {
    self[len] = '\0';
    const char *slash = strrchr(self, '/');
    size_t dlen = slash ? (size_t)(slash - self) + 1 : 0;
    if (exe_at(self, dlen, "memcurve-child", buf, size) ||
        exe_at(self, dlen, "../libexec/memcurve/memcurve-child", buf, size))
      return buf;
  }
  return "/proc/self/exe";
}

typedef struct buf {
  char *p;
  size_t len, cap;
} buf;

/* Reads fd to EOF into b. Returns 0, or -1 on an interrupt (b holds what came so far). */
static int read_to_eof(int fd, buf *b) {
  for (;;) {
    if (b->len == b->cap) {
      size_t nc = b->cap ? b->cap * 2 : 65536;
      char *np = realloc(b->p, nc);
      if (!np) return -2;
      b->p = np;
      b->cap = nc;
    }
    ssize_t r = read(fd, b->p + b->len, b->cap - b->len);
    if (r == 0) return 0;
    if (r < 0) {
      if (errno == EINTR && interrupted) return -1;
      if (errno == EINTR) continue;
      return -2;
    }
    b->len += (size_t)r;
  }
}

static void describe_wait(int st, mc_run_out *out, unsigned timeout_s, int have_msg) {
  if (WIFSIGNALED(st)) {
    int sig = WTERMSIG(st);
    out->ok = 0;
    if (sig == SIGALRM)
      snprintf(out->status, sizeof out->status, "timeout after %us", timeout_s);
    else if (sig == SIGKILL)
      snprintf(out->status, sizeof out->status, "killed by SIGKILL (out of memory?)");
    else
      snprintf(out->status, sizeof out->status, "killed by signal %d (%s)", sig, strsignal(sig));
  } else if (!have_msg) {
    out->ok = 0;
    snprintf(out->status, sizeof out->status, "no result from child (exit status %d)",
             WIFEXITED(st) ? WEXITSTATUS(st) : -1);
  }
}

/* Parses the child's message in b into res. Returns 1 if it was complete. */
static int parse_msg(const buf *b, mc_runner_result *res) {
  msg_header h;
  if (b->len < sizeof h) return 0;
  memcpy(&h, b->p, sizeof h);
  if (h.magic != MSG_MAGIC || h.ncurve > (b->len / sizeof(mc_result_point)) ||
      h.nevents > (b->len / sizeof(mc_result_event)))
    return 0;
  size_t need = sizeof h + h.ncurve * sizeof(mc_result_point) + h.nevents * sizeof(mc_result_event);
  if (b->len != need) return 0;
  res->out = h.out;
  res->out.status[MC_RESULT_STATUS - 1] = '\0';
  res->curve = malloc((h.ncurve ? h.ncurve : 1) * sizeof *res->curve);
  res->events = malloc((h.nevents ? h.nevents : 1) * sizeof *res->events);
  if (!res->curve || !res->events) {
    mc_runner_result_free(res);
    return 0;
  }
  memcpy(res->curve, b->p + sizeof h, h.ncurve * sizeof(mc_result_point));
  memcpy(res->events, b->p + sizeof h + h.ncurve * sizeof(mc_result_point),
         h.nevents * sizeof(mc_result_event));
  res->ncurve = h.ncurve;
  res->nevents = h.nevents;
  return 1;
}

int mc_runner_probe(const mc_runner_opts *o, const char *allocator, int sampling) {
  const char *preload = mc_wl_preload(allocator);
  if (preload && access(preload, R_OK) != 0) return MC_OK; /* each run says it is missing */
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) return MC_EIO;
  if (pid == 0) {
    child_preload(preload);
    child_limits(o);
    int null = open("/dev/null", O_WRONLY);
    if (null < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0) _exit(126);
    alarm(30);
    execl(o->exe ? o->exe : "/proc/self/exe", "memcurve", "__child", "--probe",
          sampling ? "1" : "0", (char *)NULL);
    _exit(127);
  }
  int st = 0;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? MC_OK : MC_ENOMEM;
}

int mc_runner_run(const mc_run_spec *spec, int sampling, const mc_runner_opts *opts,
                  mc_runner_result *res) {
  memset(res, 0, sizeof *res);
  if (interrupted) { /* e.g. a terminal's ^C reached the last child first: start no other */
    snprintf(res->out.status, sizeof res->out.status, "interrupted");
    return MC_EINTR;
  }
  const char *preload = mc_wl_preload(spec->allocator);
  if (preload && access(preload, R_OK) != 0) {
    snprintf(res->out.status, sizeof res->out.status, "%s is not installed (%s)", spec->allocator,
             preload);
    return MC_OK;
  }
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return MC_EIO;
  fflush(NULL);
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return MC_EIO;
  }
  if (pid == 0) {
    /* dies with the parent (kept across exec); a parent already gone before prctl took effect
     * shows as another parent id */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(1);
    close(fds[0]);
    int fd = fcntl(fds[1], F_DUPFD, 3); /* without CLOEXEC: survives the exec */
    child_start(spec, sampling, opts, fd < 0 ? fds[1] : fd);
  }
  close(fds[1]);
  buf b = {0};
  int r = read_to_eof(fds[0], &b);
  int rc = MC_OK;
  if (r == -1) { /* interrupted: stop the child, drain what it wrote */
    kill(pid, SIGKILL);
    rc = MC_EINTR;
  }
  close(fds[0]);
  int st = 0;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  int have = rc == MC_OK && r == 0 && parse_msg(&b, res);
  free(b.p);
  if (rc == MC_EINTR) {
    res->out.ok = 0;
    snprintf(res->out.status, sizeof res->out.status, "interrupted");
    return rc;
  }
  if (interrupted && WIFSIGNALED(st) && WTERMSIG(st) == SIGINT) {
    res->out.ok = 0;
    snprintf(res->out.status, sizeof res->out.status, "interrupted");
    return MC_EINTR;
  }
  describe_wait(st, &res->out, opts->timeout_s, have);
  return MC_OK;
}
