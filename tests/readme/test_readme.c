/* test_readme.c — the README's examples, compiled and run, so the README cannot drift from
 * the library: readme_stack_example, readme_gc_example and readme_cursor_example are copied
 * into README.md verbatim (between the "README:" markers), which the first test checks. The
 * others check what the README says the examples do. */
#include <CUnit/CUnit.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memcurve.h"
#include "testutil.h"

int readme_stack_example(double *sum, size_t *peak);
int readme_gc_example(void);
struct item *readme_cursor_example(mc_arena *arena, size_t n);

/* README: stack example */
#include <stdalign.h>
#include <stddef.h>

#include "memcurve.h"

/* Adds two arrays held in the caller's own stack frame; reports the sum and the peak bytes. */
int readme_stack_example(double *sum, size_t *peak) {
  char region[1 << 16]; /* 64 KiB of this function's frame: all the memory it will use */
  mc_stack st;
  int rc = mc_stack_init(&st, region, sizeof region);
  if (rc != MC_OK) return rc;
  mc_alloc al = mc_stack_allocator(&st);

  size_t shape[1] = {1000};
  mc_ndarray x, y;
  rc = mc_ndarray_init(&x, al, MC_DTYPE_F64, 1, shape);
  if (rc != MC_OK) return rc; /* MC_ENOMEM: the region is full; nothing to undo */
  mc_ndarray_fill(&x, 0.5);
  rc = mc_ndarray_add(&y, &x, &x); /* y = x + x: a new array from x's allocator */
  if (rc == MC_OK) {
    mc_ndarray_sum(&y, sum); /* 1000.0 */
    mc_ndarray_destroy(&y);  /* LIFO: the newest block first */
  }
  mc_ndarray_destroy(&x);

  mc_alloc_stats s;
  mc_alloc_get_stats(al, &s); /* s.requested is 0 again */
  *peak = s.requested_peak;   /* 16 000: two buffers of 1000 doubles */
  return rc;
}
/* README: end */

/* README: gc example */
typedef struct node {
  struct node *next;
  double value;
} node;
static const size_t node_ptrs[] = {offsetof(node, next)};
static const mc_type node_type = {"node", MC_TYPE_OFFSETS, node_ptrs, 1, NULL, 0};

/* Drops a two-node cycle and lets the collector find it, as Python's gc would. Returns the
 * number of objects the full collection reclaimed (2), or a negative MC_E* code. */
int readme_gc_example(void) {
  mc_gc *gc;
  int rc = mc_gc_new(&gc, mc_system_allocator(NULL), NULL); /* NULL: the default config */
  if (rc != MC_OK) return rc;
  mc_alloc al = mc_gc_allocator(gc);

  node *a = mc_alloc_new(al, sizeof(node), alignof(node), &node_type); /* zeroed */
  mc_root_add(al, &a); /* a C local the collector must see while b is allocated */
  node *b = mc_alloc_new(al, sizeof(node), alignof(node), &node_type);
  if (!a || !b)
    rc = MC_ENOMEM;
  else {
    mc_store(al, a, &a->next, b); /* pointer stores go through the write barrier */
    mc_store(al, b, &b->next, a);
  }
  mc_root_remove(al, &a);
  a = b = NULL; /* the cycle is now unreachable */

  size_t collected = mc_gc_collect(gc, 2); /* like gc.collect(2): 2 */
  mc_gc_free(gc);
  return rc != MC_OK ? rc : (int)collected;
}
/* README: end */

/* README: cursor example */
typedef struct item {
  struct item *next;
  uint64_t key;
} item;

/* Builds a list of n items in the arena: one cursor for the whole loop, closed before the arena
 * is used again. Returns the head, or NULL if the arena could not get memory. */
item *readme_cursor_example(mc_arena *arena, size_t n) {
  item *head = NULL;
  mc_arena_cursor c = mc_arena_cursor_open(arena);
  for (size_t i = 0; i < n; i++) {
    item *it = mc_arena_cursor_alloc(arena, &c, sizeof *it, alignof(item));
    if (!it) break; /* the parent refused a chunk (counted in the arena's failures) */
    it->next = head;
    it->key = i;
    head = it;
  }
  mc_arena_cursor_close(arena, c); /* from here the arena's stats count every item */
  return head;
}
/* README: end */

/* Every region of this file between a README marker and the end marker is in README.md. */
static void test_readme_examples_are_in_the_readme(void) {
  char *src = mc_test_slurp(MC_README_SOURCE), *readme = mc_test_slurp(MC_README);
  CU_ASSERT_PTR_NOT_NULL_FATAL(src);
  CU_ASSERT_PTR_NOT_NULL_FATAL(readme);
  /* markers start a line (so that the strings below are not taken for markers) */
  const char *open = "\n/* README: ", *end = "\n/* README: end */";
  int regions = 0;
  for (char *p = strstr(src, open); p; p = strstr(p, open)) {
    if (strncmp(p, end, strlen(end)) == 0) { /* an end without a start */
      p += strlen(end);
      continue;
    }
    char *body = strchr(p + 1, '\n'); /* the end of the marker's line */
    char *stop = body ? strstr(body, end) : NULL;
    CU_ASSERT_PTR_NOT_NULL_FATAL(stop);
    body++;
    stop++; /* the region keeps its last newline */
    char saved = *stop;
    *stop = '\0';
    if (!strstr(readme, body)) {
      CU_FAIL("a README example differs from tests/readme/test_readme.c");
      fprintf(stderr, "not in README.md:\n%s\n", body);
    }
    *stop = saved;
    regions++;
    p = stop + strlen(end) - 1;
  }
  CU_ASSERT_EQUAL(regions, 3);
  free(src);
  free(readme);
}

static void test_readme_cursor_example_counts_every_item(void) {
  mc_arena a;
  CU_ASSERT_EQUAL_FATAL(mc_arena_init(&a, mc_system_allocator(NULL), 0), MC_OK);
  item *head = readme_cursor_example(&a, 100000);
  size_t n = 0, wrong = 0;
  for (item *it = head; it; it = it->next) wrong += it->key != 100000 - ++n; /* newest first */
  CU_ASSERT_EQUAL(n, 100000);
  CU_ASSERT_EQUAL(wrong, 0);
  mc_alloc_stats s;
  mc_alloc_get_stats(mc_arena_allocator(&a), &s);
  CU_ASSERT_EQUAL(s.allocs, 100000);
  CU_ASSERT_EQUAL(s.live, 100000);
  CU_ASSERT_EQUAL(s.requested, 100000 * sizeof(item));
  CU_ASSERT(s.footprint >= s.requested);
  mc_arena_destroy(&a);
}

static void test_readme_stack_example_sums_and_accounts(void) {
  double sum = 0;
  size_t peak = 0;
  CU_ASSERT(readme_stack_example(&sum, &peak) == MC_OK);
  CU_ASSERT_DOUBLE_EQUAL(sum, 1000.0, 1e-9);
  CU_ASSERT(peak == 16000);
}

static void test_readme_gc_example_reclaims_the_cycle(void) { CU_ASSERT(readme_gc_example() == 2); }

static int add_suites(void) {
  static CU_TestInfo tests[] = {
      {"test_readme_examples_are_in_the_readme", test_readme_examples_are_in_the_readme},
      {"test_readme_stack_example_sums_and_accounts", test_readme_stack_example_sums_and_accounts},
      {"test_readme_gc_example_reclaims_the_cycle", test_readme_gc_example_reclaims_the_cycle},
      {"test_readme_cursor_example_counts_every_item",
       test_readme_cursor_example_counts_every_item},
      CU_TEST_INFO_NULL,
  };
  return mc_test_add_suite("readme", tests);
}

int main(void) { return mc_test_main(add_suites); }
