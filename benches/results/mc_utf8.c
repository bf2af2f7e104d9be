/* mc_utf8.c — UTF-8 validity (see mc_utf8.h). */
#include "mc_utf8.h"

size_t mc_utf8_len(const unsigned char *s, size_t avail) {
  if (avail == 0) return 0;
  unsigned c = s[0];
  if (c < 0x80) return 1;
  size_t n = c >= 0xC2 && c <= 0xDF   ? 2
             : c >= 0xE0 && c <= 0xEF ? 3
             : c >= 0xF0 && c <= 0xF4 ? 4
                                      : 0;
  if (n > avail) return 0;
  for (size_t i = 1; i < n; i++)
    if ((s[i] & 0xC0) != 0x80) return 0;
  if (n == 3 && ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F))) return 0;
  if (n == 4 && ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] > 0x8F))) return 0;
  return n;
}

int mc_utf8_valid(const unsigned char *s, size_t n, int printable) {
  for (size_t i = 0; i < n;) {
    size_t k = mc_utf8_len(s + i, n - i);
    if (k == 0 || (printable && k == 1 && (s[i] < 0x20 || s[i] == 0x7F))) return 0;
    i += k;
  }
  return 1;
}
