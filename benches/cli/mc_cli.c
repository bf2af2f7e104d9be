/* mc_cli.c — what the subcommands share: reading a whole file, the one-line argument error,
 * --help detection, loading a results file through the guarded reader (a file that h5dump and
 * h5py accept but that is not a memcurve file, or is a newer schema, is refused with the
 * reader's one-line reason and exit status 2), the per-run selection of summary rows, sizes
 * (parsed and printed with k/M/G).
 */
#define _GNU_SOURCE
#include "mc_cli_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mc_error.h"

int mc_cli_slurp(const char *path, char **out, size_t *len) {
  *out = NULL;
  *len = 0;
  /* a regular file of bounded size only: /dev/zero or a FIFO would never end (or block) */
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC); /* O_NONBLOCK: a FIFO's open waits */
  if (fd < 0) return MC_EIO;
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > MC_CLI_SLURP_MAX) {
    close(fd);
    return MC_ERANGE;
  }
  FILE *f = fdopen(fd, "rb");
  if (!f) {
    close(fd);
    return MC_EIO;
  }
  size_t cap = 65536, n = 0;
  char *buf = malloc(cap + 1);
  while (buf) {
    size_t r = fread(buf + n, 1, cap - n, f);
    n += r;
    if (n < cap) break;
    if (cap >= MC_CLI_SLURP_MAX) { /* grew while read */
      free(buf);
      fclose(f);
      return MC_ERANGE;
    }
    char *nb = realloc(buf, cap * 2 + 1);
    if (!nb) {
      free(buf);
      buf = NULL;
      break;
    }
    buf = nb;
    cap *= 2;
  }
  int err = ferror(f);
  fclose(f);
  if (!buf) return MC_ENOMEM;
  if (err) {
    free(buf);
    return MC_EIO;
  }
  buf[n] = '\0';
  *out = buf;
  *len = n;
  return MC_OK;
}

const struct option mc_cli_help_opts[] = {{"help", 0, 0, 'h'}, {0, 0, 0, 0}};

int mc_cli_operands(const char *cmd, const char *usage, int argc, char **argv) {
  int c;
  optind = 0; /* glibc: a fresh scan, operands permuted to the end */
  opterr = 0;
  while ((c = getopt_long(argc, argv, "h", mc_cli_help_opts, NULL)) != -1) {
    if (c == 'h') return puts(usage), 1;
    return mc_cli_bad(cmd, "bad option '%s' (see --help)", argv[optind - 1]);
  }
  return 0;
}

int mc_cli_exit_status(int rc) {
  switch (rc) {
  case MC_OK: return 0;
  case MC_EINTR: return 130; /* as a shell reports a SIGINT */
  case MC_EINVAL:            /* bad arguments */
  case MC_EFORMAT: return 2; /* unreadable or foreign input */
  default: return 1;         /* the work failed: I/O, memory, a failed check */
  }
}

int mc_cli_load(const char *cmd, const char *path, mc_results *r) {
  char err[256];
  if (mc_h5_read_guarded(path, r, err, sizeof err) != MC_OK) {
    fprintf(stderr, "memcurve %s: %s: %s\n", cmd, path, err);
    return MC_EFORMAT;
  }
  return 0;
}

int mc_cli_same_key(const mc_result_summary *s, const char *st, const char *w, const char *a,
                    uint64_t n) {
  return s->n == n && strcmp(s->structure, st) == 0 && strcmp(s->workload, w) == 0 &&
         strcmp(s->allocator, a) == 0;
}

/* Collects field values (0 wall_ns, 1 peak_footprint, 2 peak_rss) of the finished rows. */
size_t mc_cli_collect(const mc_results *r, const char *st, const char *w, const char *a, uint64_t n,
                      int field, double *out, size_t cap) {
  size_t k = 0;
  for (size_t i = 0; i < r->nsummary && k < cap; i++) {
    const mc_result_summary *s = &r->summary[i];
    if (!s->ok || !mc_cli_same_key(s, st, w, a, n)) continue;
    const uint64_t f[] = {s->wall_ns,       s->peak_footprint, s->peak_rss,      s->peak_held,
                          s->peak_resident, s->final_held,     s->final_resident};
    out[k++] = field >= 0 && field < 7 ? (double)f[field] : 0;
  }
  return k;
}

int mc_cli_bad(const char *cmd, const char *fmt, const char *arg) {
  fprintf(stderr, "memcurve %s: ", cmd);
  fprintf(stderr, fmt, arg);
  fputc('\n', stderr);
  return MC_EINVAL;
}

int mc_cli_create_status(int rc, int err) {
  if (rc == MC_EIO && (err == ENOSPC || err == EFBIG || err == EDQUOT || err == EIO))
    return MC_EIO;                                         /* the disk failed the write: exit 1 */
  return rc == MC_EIO || rc == MC_EINVAL ? MC_EINVAL : rc; /* the output itself: exit 2 */
}

int mc_cli_parse_size(const char *s, uint64_t unit, uint64_t lo, uint64_t hi, uint64_t *out) {
  if (!s || *s < '0' || *s > '9') return -1; /* no sign, no blank, no empty */
  errno = 0;
  char *end;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno) return -1;
  uint64_t f = 1;
  if (*end) {
    static const char suffixes[] = "kMG";
    const char *p = *end == 'K' ? suffixes : strchr(suffixes, *end);
    if (!p || end[1]) return -1;
    for (const char *q = suffixes; q <= p; q++) f *= unit;
  }
  if (v > UINT64_MAX / f) return -1;
  v *= f;
  if (v < lo || v > hi) return -1;
  *out = v;
  return 0;
}

char *mc_cli_fmt_count(uint64_t n, char *buf, size_t size) {
  static const char suffixes[] = "GMk";
  static const uint64_t f[] = {1000000000u, 1000000u, 1000u};
  for (int i = 0; i < 3; i++)
    if (n && n % f[i] == 0) {
      snprintf(buf, size, "%llu%c", (unsigned long long)(n / f[i]), suffixes[i]);
      return buf;
    }
  snprintf(buf, size, "%llu", (unsigned long long)n);
  return buf;
}

char *mc_cli_fmt_bytes(double bytes, char *buf, size_t size) {
  static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  while (bytes >= 1024 && u < 4) bytes /= 1024, u++;
  if (u == 0)
    snprintf(buf, size, "%.0f %s", bytes, units[u]);
  else
    snprintf(buf, size,
             bytes < 10    ? "%.2f %s"
             : bytes < 100 ? "%.1f %s"
                           : "%.0f %s",
             bytes, units[u]);
  return buf;
}
