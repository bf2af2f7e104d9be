/* main.c — the install test's consumer program: runs the README's examples against an installed
 * memcurve and prints what they give. Their code is not here: test_install.sh extracts it from
 * README.md (the C blocks of "Using the allocators and structures") into readme_examples.c, so
 * what is built is exactly what the README shows. expected.txt is this program's output. */
#include <stdio.h>

#include "memcurve.h"

int readme_stack_example(double *sum, size_t *peak);
int readme_gc_example(void);
struct item *readme_cursor_example(mc_arena *arena, size_t n);

int main(void) {
  double sum = 0;
  size_t peak = 0;
  int rc = readme_stack_example(&sum, &peak);
  printf("stack example: %s, sum %.1f, peak %zu bytes\n", mc_strerror(rc), sum, peak);
  printf("gc example: %d objects collected\n", readme_gc_example());

  mc_arena arena;
  if (mc_arena_init(&arena, mc_system_allocator(NULL), 0) != MC_OK) return 1;
  struct item *head = readme_cursor_example(&arena, 1000);
  mc_alloc_stats s;
  mc_alloc_get_stats(mc_arena_allocator(&arena), &s);
  printf("cursor example: %s, %llu items, %zu bytes requested\n", head ? "a list" : "no list",
         (unsigned long long)s.allocs, s.requested);
  mc_arena_destroy(&arena);
  return 0;
}
