/* mc_h5_safe.c — see mc_h5_safe.h. Why: a results file is input from anyone. An external link
 * (or external storage, or a virtual dataset) makes HDF5 open another file — a FIFO hangs the
 * reader, another results file smuggles its rows in — so a file must hold all its data itself.
 * Names are printed to terminals, Markdown, chart data files (one row per line) and SVG (UTF-8
 * XML), so a name may carry no control character and no invalid UTF-8: the reader escapes them
 * once, on read, and every output sees the same printable text. */
#define _POSIX_C_SOURCE 200809L
#include "mc_h5_safe.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "mc_error.h"
#include "mc_utf8.h"

int mc__h5_regular(const char *path, char *err, size_t errlen) {
  struct stat st;
  if (stat(path, &st) != 0) {
    snprintf(err, errlen, "cannot open: %s", strerror(errno));
    return MC_EIO;
  }
  if (!S_ISREG(st.st_mode)) {
    snprintf(err, errlen, "not a regular file (a results file must be one)");
    return MC_EFORMAT;
  }
  return MC_OK;
}

typedef struct visit {
  char *err;
  size_t errlen;
  size_t nlinks; /* links seen, bounded: a file cannot make the walk unbounded */
} visit;

/* Link types only (cheap: no object is opened). Datasets that keep their data elsewhere
 * (external storage, a virtual layout) are refused by mc_h5_storage_sane before each read. */
static herr_t visit_link(hid_t g, const char *name, const H5L_info_t *info, void *arg) {
  visit *v = arg;
  (void)g;
  if (++v->nlinks > 10000000) {
    snprintf(v->err, v->errlen, "more than 10 million links: not a results file");
    return -1;
  }
  if (info->type != H5L_TYPE_HARD) {
    snprintf(v->err, v->errlen, "/%.200s is %s link: a results file must be self-contained", name,
             info->type == H5L_TYPE_EXTERNAL ? "an external"
             : info->type == H5L_TYPE_SOFT   ? "a soft"
                                             : "a user-defined");
    return -1;
  }
  return 0;
}

int mc__h5_self_contained(hid_t f, char *err, size_t errlen) {
  visit v = {err, errlen, 0};
  herr_t e = H5Lvisit(f, H5_INDEX_NAME, H5_ITER_INC, visit_link, &v);
  if (e == 0) return MC_OK;
  if (e > 0 || !err[0]) snprintf(err, errlen, "malformed link structure");
  return MC_EFORMAT;
}

void mc__h5_printable(char *buf, size_t size) {
  const unsigned char *s = (const unsigned char *)buf;
  size_t len = strlen(buf);
  if (mc_utf8_valid(s, len, 1) || size == 0) return; /* most texts are clean */
  char out[4096];
  size_t cap = size < sizeof out ? size : sizeof out, k = 0;
  for (size_t i = 0; i < len;) {
    size_t n = mc_utf8_len(s + i, len - i);
    if (n == 0 || (n == 1 && (s[i] < 0x20 || s[i] == 0x7F))) {
      if (k + 4 >= cap) break;
      snprintf(out + k, 5, "\\x%02X", s[i]);
      k += 4, i += 1;
    } else {
      if (k + n >= cap) break;
      memcpy(out + k, s + i, n);
      k += n, i += n;
    }
  }
  out[k] = '\0';
  memcpy(buf, out, k + 1);
}
