/* mc_io.c — see mc_io.h.
 * The writer's lock: flock on a lock file beside the output, removed on release. Removing a
 * lock file races with a process that opened it just before: after taking the lock, the taker
 * checks that the path still names the inode it locked, else retries — so two holders never
 * coexist (the classic "lock, then verify the link" pattern). */
#define _GNU_SOURCE
#include "mc_io.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

int mc_write_all(int fd, const void *buf, size_t n) {
  const char *p = buf;
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

int mc_io_output_ok(const char *path, char *err, size_t errlen) {
  struct stat st;
  if (stat(path, &st) != 0) return 0; /* new (or a dangling link, which rename replaces) */
  if (S_ISREG(st.st_mode)) return 0;
  snprintf(err, errlen, "'%s' is %s, not a regular file: refusing to replace it", path,
           S_ISDIR(st.st_mode)    ? "a directory"
           : S_ISCHR(st.st_mode)  ? "a character device"
           : S_ISBLK(st.st_mode)  ? "a block device"
           : S_ISFIFO(st.st_mode) ? "a FIFO"
           : S_ISSOCK(st.st_mode) ? "a socket"
                                  : "a special file");
  return -1;
}

static uint64_t hash64(const char *s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
  return h;
}

/* Splits path into its directory part (with the trailing '/', possibly empty) and base. */
static size_t dir_len(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? (size_t)(slash - path) + 1 : 0;
}

static long name_max(const char *path) {
  char dir[PATH_MAX];
  size_t dl = dir_len(path);
  if (dl >= sizeof dir) return 255;
  if (dl)
    memcpy(dir, path, dl), dir[dl] = '\0';
  else
    snprintf(dir, sizeof dir, ".");
  long m = pathconf(dir, _PC_NAME_MAX);
  return m > 32 ? m : 255;
}

int mc_io_partial_path(const char *path, char *out, size_t size) {
  size_t dl = dir_len(path), bl = strlen(path + dl);
  int k;
  if ((long)(bl + sizeof ".partial" - 1) <= name_max(path)) {
    k = snprintf(out, size, "%s.partial", path);
  } else { /* base cut to leave room for "-<16 hex>.partial" */
    size_t keep = (size_t)name_max(path) - 17 - (sizeof ".partial" - 1);
    k = snprintf(out, size, "%.*s%.*s-%016llx.partial", (int)dl, path, (int)keep, path + dl,
                 (unsigned long long)hash64(path));
  }
  return k < 0 || (size_t)k >= size ? -1 : 0;
}

int mc_io_tmp_path(const char *path, char *out, size_t size) {
  size_t dl = dir_len(path);
  int k = snprintf(out, size, "%.*s.memcurve-%016llx-%ld.tmp", (int)dl, path,
                   (unsigned long long)hash64(path), (long)getpid());
  return k < 0 || (size_t)k >= size ? -1 : 0;
}

static int lock_path(const char *path, char *out, size_t size) {
  size_t dl = dir_len(path);
  int k = snprintf(out, size, "%.*s.memcurve-%016llx.lock", (int)dl, path,
                   (unsigned long long)hash64(path));
  return k < 0 || (size_t)k >= size ? -1 : 0;
}

int mc_io_lock(const char *path) {
  char lp[PATH_MAX + 64];
  if (lock_path(path, lp, sizeof lp) != 0) return errno = ENAMETOOLONG, -1;
  for (int tries = 0; tries < 100; tries++) {
    int fd = open(lp, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return -1;
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
      int e = errno;
      close(fd);
      errno = e;
      return -1;
    }
    struct stat a, b;
    if (fstat(fd, &a) == 0 && stat(lp, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev)
      return fd;
    close(fd); /* removed by its last holder between our open and flock: take the new one */
  }
  return errno = EWOULDBLOCK, -1;
}

void mc_io_unlock(const char *path, int fd) {
  if (fd < 0) return;
  char lp[PATH_MAX + 64];
  if (lock_path(path, lp, sizeof lp) == 0) unlink(lp); /* while still held: see the top */
  close(fd);
}
