/* mc_boxed.c — the boxed array.
 *
 * Layout: a caller-owned header whose items field (a root) points to a managed pointer buffer
 * of cap slots (MC_TYPE_PTR_ARRAY); slots [0, len) point to boxes, leaf blocks of
 * sizeof(double) bytes; slots [len, cap) are NULL, so a collector scanning the whole buffer
 * never follows a stale pointer.
 *
 * Growth: amortised doubling (minimum 4 slots) through mc_alloc_resize; the new tail slots are
 * cleared before anything else can allocate. Shrink: to cap / 2 when len < cap / 4 after a pop
 * or remove (hysteresis keeps append/pop at a boundary O(1) amortised); a failed shrink is
 * ignored, the larger buffer being just as valid.
 *
 * Collector discipline (mc_alloc.h, MANAGED HEAPS): append grows the buffer first, then
 * allocates the box, then stores it into the buffer (mc_store), so no block is ever reachable
 * only from a C local across an allocation. Removal unlinks a box (NULL store) before freeing
 * it. Every store of a pointer into the buffer goes through mc_store.
 */
#include "mc_boxed.h"

#include <stdalign.h>
#include <string.h>

const mc_type mc_boxed_buffer_type = {"mc_boxed.buffer", MC_TYPE_PTR_ARRAY, NULL, 0, NULL, 0};

#define BOX_SIZE sizeof(double)
#define BOX_ALIGN alignof(double)
#define BUF_ALIGN alignof(void *)

/* Moves the buffer to new_cap > 0 slots (new_cap >= len) and clears the new tail slots.
 * MC_OK, MC_ERANGE or MC_ENOMEM (buffer untouched). */
static int set_capacity(mc_boxed *b, size_t new_cap) {
  size_t new_size;
  if (mc_size_mul(new_cap, sizeof(void *), &new_size) != MC_OK) return MC_ERANGE;
  double **p;
  if (b->cap == 0) {
    p = mc_alloc_new(b->al, new_size, BUF_ALIGN, &mc_boxed_buffer_type);
  } else {
    p = mc_alloc_resize(b->al, b->items, b->cap * sizeof(void *), new_size, BUF_ALIGN);
  }
  if (!p) return MC_ENOMEM;
  /* Fresh slots hold garbage: clear them before the next allocation can start a collection.
   * NULL stores need no barrier (they create no old->young edge). */
  if (new_cap > b->cap) memset(p + b->cap, 0, (new_cap - b->cap) * sizeof(void *));
  b->items = p; /* root slot: a plain store */
  b->cap = new_cap;
  return MC_OK;
}

int mc_boxed_init(mc_boxed *b, mc_alloc al, size_t cap) {
  memset(b, 0, sizeof *b);
  b->al = al;
  mc_root_add(al, &b->items);
  if (cap > 0) {
    int rc = set_capacity(b, cap);
    if (rc != MC_OK) {
      mc_root_remove(al, &b->items);
      memset(b, 0, sizeof *b);
      return rc;
    }
  }
  return MC_OK;
}

void mc_boxed_destroy(mc_boxed *b) {
  if (!b->al.vt) return; /* zeroed */
  for (size_t i = 0; i < b->len; i++) mc_alloc_free(b->al, b->items[i], BOX_SIZE, BOX_ALIGN);
  if (b->cap) mc_alloc_free(b->al, b->items, b->cap * sizeof(void *), BUF_ALIGN);
  mc_root_remove(b->al, &b->items);
  memset(b, 0, sizeof *b);
}

int mc_boxed_append(mc_boxed *b, double v) {
  if (b->len == b->cap) {
    size_t new_cap = b->cap < 4 ? 4 : b->cap * 2;
    if (new_cap < b->cap || new_cap > MC_SIZE_MAX / sizeof(void *)) return MC_ERANGE;
    int rc = set_capacity(b, new_cap);
    if (rc != MC_OK) return rc;
  }
  double *box = mc_alloc_new(b->al, BOX_SIZE, BOX_ALIGN, NULL);
  if (!box) return MC_ENOMEM;
  *box = v;
  mc_store(b->al, b->items, &b->items[b->len], box);
  b->len++;
  return MC_OK;
}

int mc_boxed_get(const mc_boxed *b, size_t i, double *out) {
  if (i >= b->len) return MC_ERANGE;
  *out = *b->items[i];
  return MC_OK;
}

int mc_boxed_set(mc_boxed *b, size_t i, double v) {
  if (i >= b->len) return MC_ERANGE;
  *b->items[i] = v;
  return MC_OK;
}

/* After a removal: halve the buffer when it is less than a quarter full. */
static void maybe_shrink(mc_boxed *b) {
  if (b->cap > 4 && b->len < b->cap / 4) (void)set_capacity(b, b->cap / 2);
}

int mc_boxed_pop(mc_boxed *b, double *out) {
  if (b->len == 0) return MC_EEMPTY;
  double *box = b->items[b->len - 1];
  if (out) *out = *box;
  mc_store(b->al, b->items, &b->items[b->len - 1], NULL);
  b->len--;
  mc_alloc_free(b->al, box, BOX_SIZE, BOX_ALIGN);
  maybe_shrink(b);
  return MC_OK;
}

int mc_boxed_remove(mc_boxed *b, size_t i, double *out) {
  if (i >= b->len) return MC_ERANGE;
  double *box = b->items[i];
  if (out) *out = *box;
  if (b->al.vt->barrier) {
    for (size_t j = i; j + 1 < b->len; j++)
      mc_store(b->al, b->items, &b->items[j], b->items[j + 1]);
  } else {
    memmove(&b->items[i], &b->items[i + 1], (b->len - i - 1) * sizeof(void *));
  }
  mc_store(b->al, b->items, &b->items[b->len - 1], NULL);
  b->len--;
  mc_alloc_free(b->al, box, BOX_SIZE, BOX_ALIGN);
  maybe_shrink(b);
  return MC_OK;
}

double mc_boxed_sum(const mc_boxed *b) {
  double s = 0.0;
  for (size_t i = 0; i < b->len; i++) s += *b->items[i];
  return s;
}
