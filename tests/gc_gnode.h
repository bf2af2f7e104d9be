/* gc_gnode.h — the collector suites' test object (test_gc.c, test_rc.c): four pointer slots and
 * a checksum of its id, so a block freed too early or overwritten shows. Each suite names its
 * own mc_type over gnode_offsets. */
#ifndef MC_TEST_GC_GNODE_H
#define MC_TEST_GC_GNODE_H

#include <stdint.h>

#include "mc_alloc.h"

enum { NSLOT = 4 };
typedef struct gnode {
  struct gnode *p[NSLOT];
  uint64_t id, sum; /* sum = checksum(id): intact iff unchanged */
} gnode;
static const size_t gnode_offsets[] = {0, 8, 16, 24};

static inline uint64_t checksum(uint64_t id) { return id * 0x9E3779B97F4A7C15ull ^ 0xABCDEFull; }

/* A new gnode of type t from al (slots zeroed by the collector), or NULL. */
static inline gnode *gnode_new(mc_alloc al, uint64_t id, const mc_type *t) {
  gnode *n = mc_alloc_new(al, sizeof *n, 8, t);
  if (n) {
    n->id = id;
    n->sum = checksum(id);
  }
  return n;
}

#endif /* MC_TEST_GC_GNODE_H */
