/* mc_io.h — small POSIX I/O helpers shared by the results writer and the runner. */
#ifndef MC_IO_H
#define MC_IO_H

#include <stddef.h>

/* Writes all n bytes of buf to fd, through short writes and EINTR. Returns 0, or -1 with errno
 * set by the failing write (0 written counts as a failure with errno unchanged). */
int mc_write_all(int fd, const void *buf, size_t n);

#endif /* MC_IO_H */

/* ---- output paths ------------------------------------------------------------------------ */

/* 0 if path may be written by rename: it does not exist yet, or it is (or a symlink leads to)
 * a regular file. -1 with a one-line reason in err for anything else — a device node, a FIFO,
 * a socket, a directory — which a rename would replace (as root, /dev/null). */
int mc_io_output_ok(const char *path, char *err, size_t errlen);

/* The snapshot path of output path: "<path>.partial", or, when that name would exceed the
 * directory's name limit, the output's name cut short plus a hash of the whole name, then
 * ".partial" (so a valid 255-byte output name still has a .partial). Writes at most size bytes
 * (always NUL-terminated); returns 0, or -1 if it does not fit. */
int mc_io_partial_path(const char *path, char *out, size_t size);

/* A short temporary name in path's directory ("<dir>/.memcurve-<hash>-<pid>.tmp"): never over
 * the name limit. Returns 0, or -1 if it does not fit in size bytes. */
int mc_io_tmp_path(const char *path, char *out, size_t size);

/* Takes the exclusive writer's lock of output path: an advisory flock on
 * "<dir>/.memcurve-<hash>.lock" (short, whatever the output's name length). Returns the lock's
 * descriptor (>= 0), -1 with errno EWOULDBLOCK when another process writes path, or -1 with
 * another errno. Release with mc_io_unlock. */
int mc_io_lock(const char *path);

/* Releases a lock from mc_io_lock (removes its file). Accepts -1. */
void mc_io_unlock(const char *path, int fd);
