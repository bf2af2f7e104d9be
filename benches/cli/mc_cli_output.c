/* mc_cli_output.c — the output file of the commands that write one (run, trace, import; export
 * uses the folder check): a missing folder is created, an existing file is never replaced
 * silently (--force replaces it, --append copies its runs into the new file first, refusing
 * duplicates as merge does, and a new run whose key it already holds: mc_cli_output_new_run),
 * and the writer is opened. The file itself appears only at mc_h5_close(w, 1) (the writer's
 * .partial until then), so a refused or failed command leaves the old file as it was. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mc_cli_impl.h"
#include "mc_error.h"
#include "mc_io.h"

/* mkdir -p of dir (modified in place, restored). Returns 0, or -1 with errno and dir cut at
 * the component that failed. */
static int mkdirs(char *dir) {
  for (char *p = dir + 1;; p++) {
    if (*p != '/' && *p != '\0') continue;
    char keep = *p;
    *p = '\0';
    struct stat st;
    if (stat(dir, &st) != 0) {
      if (mkdir(dir, 0777) != 0 && errno != EEXIST) return -1;
    } else if (!S_ISDIR(st.st_mode)) {
      errno = ENOTDIR;
      return -1;
    }
    *p = keep;
    if (!keep) return 0;
  }
}

int mc_cli_output_folder(const char *cmd, const char *path) {
  char err[4200], dir[4096];
  struct stat st;
  size_t len = strlen(path);
  if ((stat(path, &st) == 0 && S_ISDIR(st.st_mode)) || (len && path[len - 1] == '/'))
    return mc_cli_bad(cmd, "output '%s' is a directory (want a file name)", path);
  snprintf(dir, sizeof dir, "%s", path);
  char *slash = strrchr(dir, '/');
  if (!slash)
    snprintf(dir, sizeof dir, ".");
  else if (slash == dir)
    dir[1] = '\0';
  else
    *slash = '\0';
  if (mkdirs(dir) != 0) {
    snprintf(err, sizeof err, "cannot create the folder '%s' of the output (%s)", dir,
             strerror(errno));
    return mc_cli_bad(cmd, "%s", err);
  }
  if (access(dir, W_OK) != 0)
    return mc_cli_bad(cmd, "cannot write to the folder '%s' of the output", dir);
  return 0;
}

int mc_cli_output_check(const char *cmd, const char *path, int mode) {
  char err[4200];
  if (mc_io_output_ok(path, err, sizeof err)) return mc_cli_bad(cmd, "%s", err);
  int rc = mc_cli_output_folder(cmd, path);
  if (rc) return rc;
  if (mode == MC_CLI_OUT_NEW && access(path, F_OK) == 0)
    return mc_cli_bad(cmd,
                      "'%s' exists: --force replaces it, --append adds to it "
                      "(nothing was written)",
                      path);
  return 0;
}

int mc_cli_output_open(const char *cmd, const char *path, int mode, const mc_result_meta *meta,
                       mc_h5_writer **w, mc_results *old) {
  mc_results mine, *r = old ? old : &mine;
  memset(r, 0, sizeof *r);
  int have_old = mode == MC_CLI_OUT_APPEND && access(path, F_OK) == 0;
  if (have_old && mc_cli_load(cmd, path, r)) return MC_EFORMAT;
  static mc_result_meta m; /* 5 KiB: not on the stack */
  m = *meta;
  if (have_old) /* appended: the file says every command that wrote it */
    snprintf(m.command_line, sizeof m.command_line, "%.500s; then: %.500s", r->meta.command_line,
             meta->command_line);
  char err[4400]; /* room for a whole path and its reason */
  int crc = mc_h5_create(w, path, &m, err, sizeof err);
  if (crc != MC_OK) { /* a refused output is a bad argument (2); a full disk is 1 */
    int e = errno;
    fprintf(stderr, "memcurve %s: %s\n", cmd, err);
    if (have_old) mc_h5_results_free(r);
    memset(r, 0, sizeof *r);
    return mc_cli_create_status(crc, e);
  }
  int rc = MC_OK;
  if (have_old) {
    mc_h5_writer_batch(*w, 1); /* one snapshot for the whole copy, not one per run */
    rc = mc_cli_merge_into(cmd, *w, path, r);
    mc_h5_writer_batch(*w, 0);
    if (!old) mc_h5_results_free(r);
  }
  if (rc) {
    mc_h5_discard(*w);
    *w = NULL;
    if (old) mc_h5_results_free(old), memset(old, 0, sizeof *old);
  }
  return rc;
}

int mc_cli_output_new_run(const char *cmd, const mc_results *old, const char *path, const char *s,
                          const char *w, const char *a, uint64_t n, const char *what) {
  for (size_t j = 0; j < old->nruns; j++) {
    const mc_result_run *x = &old->runs[j];
    if (mc_result_key_cmp(x->structure, x->workload, x->allocator, x->n, s, w, a, n)) continue;
    char nb[32]; /* N as -n takes it and the progress line prints it: 10k, not n10000 */
    fprintf(stderr,
            "memcurve %s: run %s/%s/%s/%s is already in %s (--append adds new runs only; %s)\n",
            cmd, s, w, a, mc_cli_fmt_count(n, nb, sizeof nb), path, what);
    return MC_EINVAL;
  }
  return MC_OK;
}
