/* mc_wl_structs.h — one adapter per structure, so each harness workload is written once:
 * push a keyed element, pop one (priority queues: the minimum), remove one somewhere
 * (churn), count. */
#ifndef MC_WL_STRUCTS_H
#define MC_WL_STRUCTS_H

#include <stddef.h>
#include <stdint.h>

#include "mc_alloc.h"
#include "mc_result.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MC_WL_STATE_MAX 512 /* bytes of state any adapter needs (checked at compile time) */

/* What a structure's pop and remove_some can do (its column can; a workload's column needs:
 * the workload applies when the structure can all it needs). */
enum {
  MC_WL_SHRINKS = 1,   /* pop and remove_some remove an element (ndarray cannot: fill only) */
  MC_WL_MIN_FIRST = 2, /* pop returns the minimum key (priority queues: hold applies) */
};

typedef struct mc_wl_struct {
  const char *name;
  unsigned can;  /* MC_WL_* bits */
  int32_t array; /* mc_result_array: the kind of flat array it is, recorded per run (the
                    bytes_per_elem chart compares the unboxed and the boxed one) */
  /* Prepares the structure in state over al; n is the workload's size (a hint). MC_OK/MC_E*. */
  int (*init)(void *state, mc_alloc al, uint64_t n);
  void (*destroy)(void *state);
  int (*push)(void *state, double key, uint64_t value);
  /* Removes one element (the minimum for pq; the back/front otherwise) into *key;
   * MC_EEMPTY when empty; MC_ENOTSUP when the structure cannot shrink (ndarray). */
  int (*pop)(void *state, double *key);
  /* Removes one element chosen from r (random bits), e.g. at a random position. */
  int (*remove_some)(void *state, uint64_t r, double *key);
  size_t (*len)(const void *state);
  const char *desc; /* one sentence for the report's glossary (written into the results file) */
} mc_wl_struct;

/* The adapter called name, or NULL. */
const mc_wl_struct *mc_wl_struct_find(const char *name);

#ifdef __cplusplus
}
#endif
#endif /* MC_WL_STRUCTS_H */
