/* lesson_recurse.c — the real call stack against the heap, for the "stack against heap" lesson
 * (run under `memcurve trace`, which records its curve and its end).
 *   lesson_recurse stack FRAME       recurses with FRAME bytes of locals per call (touched) until
 *                                    the kernel stops it at the stack limit (SIGSEGV)
 *   lesson_recurse heap FRAME DEPTH  the same frames as heap blocks, linked, DEPTH of them: goes on
 *                                    growing as far as memory allows, then exits 0
 *   lesson_recurse allocator FRAME   the same frames pushed on memcurve's stack allocator over a
 *                                    region as big as the stack limit (8 MiB if unlimited) until
 *                                    it refuses one (MC_ENOMEM: its designed overflow, an error
 *                                    code, not a crash); reports "full BYTES" then, exits 0
 * Reports on $MEMCURVE_TRACE_FD: first "limit BYTES" (the stack limit, ulimit -s; 0: unlimited),
 * then "DEPTH BYTES" every 64 frames (BYTES = DEPTH x FRAME: the frames' bytes). */
#define _GNU_SOURCE
#include <alloca.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "memcurve.h"

static FILE *out;
static size_t frame;

static void report(const char *label, unsigned long long bytes) {
  if (!out) return;
  fprintf(out, "%s %llu\n", label, bytes);
  fflush(out);
}

/* One call: frame bytes of locals (alloca, touched so the pages are really used). */
static unsigned long recurse(unsigned long depth) {
  if (depth == ULONG_MAX) return 0; /* never reached: the stack ends long before */
  volatile char *locals = alloca(frame);
  memset((char *)locals, (int)(depth & 0x7f), frame);
  if (depth % 64 == 0) {
    char label[32];
    snprintf(label, sizeof label, "%lu", depth);
    report(label, (unsigned long long)depth * frame);
  }
  return recurse(depth + 1) + locals[depth % frame]; /* not a tail call */
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fputs("usage: lesson_recurse stack FRAME | heap FRAME DEPTH | allocator FRAME\n", stderr);
    return 2;
  }
  const char *fd = getenv("MEMCURVE_TRACE_FD");
  if (fd) out = fdopen(atoi(fd), "w");
  frame = strtoul(argv[2], NULL, 10);
  if (frame < 16) frame = 16;
  struct rlimit rl;
  unsigned long long limit = 0;
  if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) limit = rl.rlim_cur;
  report("limit", limit);
  if (strcmp(argv[1], "stack") == 0) return (int)(recurse(1) & 1);
  if (strcmp(argv[1], "allocator") == 0) {
    size_t cap = limit ? (size_t)limit : (size_t)8 << 20;
    char *region = malloc(cap);
    mc_stack st;
    if (!region || mc_stack_init(&st, region, cap) != MC_OK) return 3;
    mc_alloc al = mc_stack_allocator(&st);
    for (unsigned long d = 1;; d++) {
      char *f = mc_alloc_new(al, frame, 16, NULL);
      if (!f) { /* full: the allocator says so, the program goes on */
        report("full", (unsigned long long)(d - 1) * frame);
        break;
      }
      memset(f, (int)(d & 0x7f), frame);
      if (d % 64 == 0) {
        char label[32];
        snprintf(label, sizeof label, "%lu", d);
        report(label, (unsigned long long)d * frame);
      }
    }
    free(region);
    return 0;
  }
  unsigned long depth = argc > 3 ? strtoul(argv[3], NULL, 10) : 100000;
  void **top = NULL;
  for (unsigned long d = 1; d <= depth; d++) {
    void **f = malloc(frame);
    if (!f) return 3;
    memset(f, (int)(d & 0x7f), frame);
    f[0] = top;
    top = f;
    if (d % 64 == 0) {
      char label[32];
      snprintf(label, sizeof label, "%lu", d);
      report(label, (unsigned long long)d * frame);
    }
  }
  while (top) {
    void **next = top[0];
    free(top);
    top = next;
  }
  return 0;
}
