/* mc_utf8.h — UTF-8 validity (RFC 3629), the one check every reader of result texts shares:
 * the results reader making names printable (mc_h5_safe.c), the plotter checking the SVG
 * gnuplot wrote, the results fuzzer checking the reader's output. */
#ifndef MC_UTF8_H
#define MC_UTF8_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Length (1..4) of the valid UTF-8 sequence at s, of which at most avail bytes are read, or 0
 * when none starts there (no overlong forms, no surrogates, nothing above U+10FFFF). */
size_t mc_utf8_len(const unsigned char *s, size_t avail);

/* 1 if the n bytes at s are valid UTF-8 and, when printable is set, hold no C0 control and no
 * DEL; else 0. */
int mc_utf8_valid(const unsigned char *s, size_t n, int printable);

#ifdef __cplusplus
}
#endif
#endif /* MC_UTF8_H */
