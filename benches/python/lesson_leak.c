/* lesson_leak.c — the C model of the leak lesson: a cache of REQS requests, each entry a node of
 * memcurve's doubly linked list (mc_list, its value the key) plus a 64-byte payload, both from
 * the system allocator under the counting decorator. "leak" keeps every entry it ever made (a
 * cache that never evicts: references nobody needs any more); "evict" keeps the newest KEEP and
 * frees the oldest (least recently inserted) beyond. Reports "REQUESTS BYTES" (the counting
 * allocator's requested bytes) on $MEMCURVE_TRACE_FD every REQS/256 requests, for
 * `memcurve trace`.
 *   lesson_leak leak|evict REQS [KEEP]   (KEEP default 1000) */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memcurve.h"

#define PAYLOAD 64

int main(int argc, char **argv) {
  if (argc < 3 || (strcmp(argv[1], "leak") != 0 && strcmp(argv[1], "evict") != 0)) {
    fputs("usage: lesson_leak leak|evict REQS [KEEP]\n", stderr);
    return 2;
  }
  int evict = strcmp(argv[1], "evict") == 0;
  unsigned long reqs = strtoul(argv[2], NULL, 10),
                keep = argc > 3 ? strtoul(argv[3], NULL, 10) : 1000;
  unsigned long every = reqs / 256 ? reqs / 256 : 1;
  const char *fd = getenv("MEMCURVE_TRACE_FD");
  FILE *out = fd ? fdopen(atoi(fd), "w") : NULL;
  mc_system sys;
  mc_system_init(&sys);
  mc_counting cnt;
  mc_counting_init(&cnt, mc_system_allocator(&sys));
  mc_alloc al = mc_counting_allocator(&cnt);
  mc_list cache;
  if (mc_list_init(&cache, al) != MC_OK) return 3;
  mc_alloc_stats st;
  for (unsigned long i = 1; i <= reqs; i++) {
    char *payload = mc_alloc_new(al, PAYLOAD, 16, NULL);
    if (!payload || mc_list_push_back(&cache, (uint64_t)(uintptr_t)payload) != MC_OK) return 3;
    memset(payload, (int)(i & 0x7f), PAYLOAD);
    if (evict && mc_list_len(&cache) > keep) {
      uint64_t old;
      mc_list_pop_front(&cache, &old);
      mc_alloc_free(al, (void *)(uintptr_t)old, PAYLOAD, 16);
    }
    if (out && i % every == 0) {
      mc_alloc_get_stats(al, &st);
      fprintf(out, "%lu %llu\n", i, (unsigned long long)st.requested);
      fflush(out);
    }
  }
  uint64_t v;
  while (mc_list_pop_front(&cache, &v) == MC_OK)
    mc_alloc_free(al, (void *)(uintptr_t)v, PAYLOAD, 16);
  mc_list_destroy(&cache);
  return 0;
}
