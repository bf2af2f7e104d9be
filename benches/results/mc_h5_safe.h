/* mc_h5_safe.h — what a results file must be before the reader touches its data: a regular
 * file, self-contained (no external links, soft links, external storage or virtual datasets),
 * and whose names and texts are printable. Internal to results/ (mc_h5.c, mc_h5_guard.c). */
#ifndef MC_H5_SAFE_H
#define MC_H5_SAFE_H

#include <hdf5.h>
#include <stddef.h>

/* MC_OK if path names a regular file (after symlinks); MC_EIO if it cannot be found,
 * MC_EFORMAT if it is something else, with a reason in err. Never opens it: opening a FIFO
 * would block. */
int mc__h5_regular(const char *path, char *err, size_t errlen);

/* MC_OK if every link under the open file f is a hard link; else MC_EFORMAT with the first
 * offending path in err. Traverses nothing: H5Lvisit reports an external link without
 * following it. (Datasets that keep their data outside the file — external storage, a
 * virtual layout — are refused by mc_h5_storage_sane, before each read.) */
int mc__h5_self_contained(hid_t f, char *err, size_t errlen);

/* Rewrites the NUL-terminated text in buf (size bytes) so that it holds only printable UTF-8:
 * C0 controls, DEL, and bytes that are not part of a valid UTF-8 sequence become "\xHH"
 * (truncated to fit, never in the middle of an escape or a character). Idempotent. */
void mc__h5_printable(char *buf, size_t size);

#endif /* MC_H5_SAFE_H */
