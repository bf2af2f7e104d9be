/* mc_io.h — small POSIX I/O helpers shared by the results writer and the runner. */
#ifndef MC_IO_H
#define MC_IO_H

#include <stddef.h>

/* Writes all n bytes of buf to fd, through short writes and EINTR. Returns 0, or -1 with errno
 * set by the failing write (0 written counts as a failure with errno unchanged). */
int mc_write_all(int fd, const void *buf, size_t n);

#endif /* MC_IO_H */
