/* mc_io.c — see mc_io.h. */
#define _POSIX_C_SOURCE 200809L
#include "mc_io.h"

#include <errno.h>
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
