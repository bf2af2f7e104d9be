/* mc_h5_guard.c — mc_h5_read_guarded (see mc_h5.h): read a foreign file once in a child so
 * that a crash inside HDF5's parsers becomes a clear error, not a dead command. */
#define _GNU_SOURCE /* prctl */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mc_error.h"
#include "mc_h5.h"
#include "mc_h5_safe.h"

/* The child: both readers, then _exit(0) (no atexit handlers: HDF5's belong to the parent). */
static void child_read(const char *path, pid_t parent) {
  /* dies with the command: a child blocked in a read must not outlive it (a parent that died
   * before prctl took effect is caught by the getppid check) */
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(1);
  int fd = open("/dev/null", O_WRONLY);
  if (fd >= 0) {
    dup2(fd, 1);
    dup2(fd, 2);
  }
  mc_results r;
  char err[64];
  if (mc_h5_read(path, &r, err, sizeof err) == MC_OK) {
    mc_h5_results_free(&r);
    char **tags, **jsons;
    size_t n;
    if (mc_h5_read_json(path, &tags, &jsons, &n) == MC_OK) {
      mc_h5_free_strings(tags, n);
      mc_h5_free_strings(jsons, n);
    }
  }
  _exit(0);
}

int mc_h5_read_guarded(const char *path, mc_results *out, char *err, size_t errlen) {
  int reg = mc__h5_regular(path, err, errlen); /* a FIFO would block the child's open */
  if (reg != MC_OK) {
    memset(out, 0, sizeof *out);
    return reg;
  }
  fflush(NULL);
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid == 0) child_read(path, parent);
  if (pid > 0) {
    int st = 0;
    pid_t w;
    while ((w = waitpid(pid, &st, 0)) < 0 && errno == EINTR) {
    }
    int died = w != pid || WIFSIGNALED(st) || (WIFEXITED(st) && WEXITSTATUS(st) != 0);
    if (died) {
      memset(out, 0, sizeof *out);
      if (w == pid && WIFSIGNALED(st))
        snprintf(err, errlen, "HDF5 crashed reading it (signal %d): a corrupt file", WTERMSIG(st));
      else
        snprintf(err, errlen, "HDF5 crashed reading it: a corrupt file");
      return MC_EFORMAT;
    }
  }
  return mc_h5_read(path, out, err, errlen);
}
