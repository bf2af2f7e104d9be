/* mc_wl_structs.c — the structure adapters of the harness's workloads.
 *
 * Each adapter maps push/pop/remove_some onto one structure's own API, with the natural
 * removal order of the structure: the array-like ones (boxed, ndarray) pop at the back, the list
 * pops at either end (churn picks the end from the random bits), priority queues pop the
 * minimum. "blocks" is the allocator's own workload: a table of individually allocated blocks
 * of 16..512 bytes (size drawn from the key), freed at a random slot (the last slot moves into
 * the hole): random-lifetime malloc/free traffic with no structure in between, the case
 * valgrind massif checks the accounting on. Its two tables also live in the allocator.
 */
#include "mc_wl_structs.h"

#include <string.h>

#include "mc_boxed.h"
#include "mc_list.h"
#include "mc_ndarray.h"
#include "mc_pairing.h"
#include "mc_pq.h"

/* ---- blocks ----------------------------------------------------------------------------- */

typedef struct blocks {
  mc_alloc al;
  void **p;     /* live blocks */
  uint32_t *sz; /* their sizes */
  size_t len, cap;
} blocks;

static int blk_init(void *st, mc_alloc al, uint64_t n) {
  (void)n;
  blocks *b = st;
  memset(b, 0, sizeof *b);
  b->al = al;
  mc_root_add(al, &b->p);
  mc_root_add(al, &b->sz);
  return MC_OK;
}

static void blk_destroy(void *st) {
  blocks *b = st;
  for (size_t i = 0; i < b->len; i++) mc_alloc_free(b->al, b->p[i], b->sz[i], MC_ALIGN_DEFAULT);
  mc_alloc_free(b->al, b->p, b->cap * sizeof *b->p, MC_ALIGN_DEFAULT);
  mc_alloc_free(b->al, b->sz, b->cap * sizeof *b->sz, MC_ALIGN_DEFAULT);
  mc_root_remove(b->al, &b->p);
  mc_root_remove(b->al, &b->sz);
  memset(b, 0, sizeof *b);
}

/* The block table holds pointers to managed blocks: a collector must scan it. */
static const mc_type ptr_table = {"blocks.table", MC_TYPE_PTR_ARRAY, NULL, 0, NULL, 0};

static int blk_grow(blocks *b) {
  size_t nc = b->cap ? b->cap * 2 : 64;
  void **np = mc_alloc_resize_typed(b->al, b->p, b->cap * sizeof *b->p, nc * sizeof *b->p,
                                    MC_ALIGN_DEFAULT, &ptr_table);
  if (!np) return MC_ENOMEM;
  b->p = np;
  uint32_t *ns =
      mc_alloc_resize(b->al, b->sz, b->cap * sizeof *b->sz, nc * sizeof *b->sz, MC_ALIGN_DEFAULT);
  if (!ns) { /* give the first table back its old size: unchanged on failure */
    np = mc_alloc_resize(b->al, b->p, nc * sizeof *b->p, b->cap * sizeof *b->p, MC_ALIGN_DEFAULT);
    if (np) b->p = np;
    return MC_ENOMEM;
  }
  b->sz = ns;
  b->cap = nc;
  return MC_OK;
}

static int blk_push(void *st, double key, uint64_t value) {
  (void)value;
  blocks *b = st;
  if (b->len == b->cap && blk_grow(b)) return MC_ENOMEM;
  uint32_t size = 16 + (uint32_t)(key * 497.0);
  void *q = mc_alloc_new(b->al, size, MC_ALIGN_DEFAULT, NULL);
  if (!q) return MC_ENOMEM;
  memset(q, 0x5a, size < 64 ? size : 64); /* touch it: RSS follows */
  mc_store(b->al, b->p, &b->p[b->len], q);
  b->sz[b->len++] = size;
  return MC_OK;
}

static int blk_remove_at(blocks *b, size_t i, double *key) {
  if (b->len == 0) return MC_EEMPTY;
  *key = (double)(b->sz[i] - 16) / 497.0;
  mc_alloc_free(b->al, b->p[i], b->sz[i], MC_ALIGN_DEFAULT);
  b->len--;
  mc_store(b->al, b->p, &b->p[i], b->p[b->len]);
  mc_store(b->al, b->p, &b->p[b->len], NULL);
  b->sz[i] = b->sz[b->len];
  return MC_OK;
}

static int blk_pop(void *st, double *key) {
  blocks *b = st;
  return blk_remove_at(b, b->len ? b->len - 1 : 0, key);
}
static int blk_remove(void *st, uint64_t r, double *key) {
  blocks *b = st;
  return blk_remove_at(b, b->len ? r % b->len : 0, key);
}
static size_t blk_len(const void *st) { return ((const blocks *)st)->len; }

/* ---- boxed array ------------------------------------------------------------------------ */
static int bx_init(void *st, mc_alloc al, uint64_t n) {
  (void)n;
  return mc_boxed_init(st, al, 0);
}
static void bx_destroy(void *st) { mc_boxed_destroy(st); }
static int bx_push(void *st, double key, uint64_t value) {
  (void)value;
  return mc_boxed_append(st, key);
}
static int bx_pop(void *st, double *key) { return mc_boxed_pop(st, key); }
/* A random element among the last 64: random box lifetimes without an O(N) shift per op. */
static int bx_remove(void *st, uint64_t r, double *key) {
  mc_boxed *b = st;
  size_t len = mc_boxed_len(b);
  if (len == 0) return MC_EEMPTY;
  size_t window = len < 64 ? len : 64;
  return mc_boxed_remove(b, len - 1 - r % window, key);
}
static size_t bx_len(const void *st) { return mc_boxed_len(st); }
_Static_assert(sizeof(mc_boxed) <= MC_WL_STATE_MAX, "state");

/* ---- list ------------------------------------------------------------------------------- */
static int ls_init(void *st, mc_alloc al, uint64_t n) {
  (void)n;
  return mc_list_init(st, al);
}
static void ls_destroy(void *st) { mc_list_destroy(st); }
static int ls_push(void *st, double key, uint64_t value) {
  (void)value;
  return mc_list_push_back(st, mc_list_f64_bits(key));
}
static int ls_pop(void *st, double *key) {
  uint64_t v;
  int rc = mc_list_pop_front(st, &v);
  if (!rc) *key = mc_list_bits_f64(v);
  return rc;
}
static int ls_remove(void *st, uint64_t r, double *key) {
  uint64_t v;
  int rc = (r & 1) ? mc_list_pop_back(st, &v) : mc_list_pop_front(st, &v);
  if (!rc) *key = mc_list_bits_f64(v);
  return rc;
}
static size_t ls_len(const void *st) { return mc_list_len(st); }
_Static_assert(sizeof(mc_list) <= MC_WL_STATE_MAX, "state");

/* ---- d-ary heaps ------------------------------------------------------------------------ */
static int pq2_init(void *st, mc_alloc al, uint64_t n) {
  (void)n;
  return mc_pq_init(st, al, 2, 0);
}
static int pq4_init(void *st, mc_alloc al, uint64_t n) {
  (void)n;
  return mc_pq_init(st, al, 4, 0);
}
static void pq_destroy(void *st) { mc_pq_destroy(st); }
static int pq_push(void *st, double key, uint64_t value) { return mc_pq_push(st, key, value); }
static int pq_pop(void *st, double *key) {
  mc_pq_entry e;
  int rc = mc_pq_pop(st, &e);
  if (!rc) *key = e.key;
  return rc;
}
static int pq_remove(void *st, uint64_t r, double *key) {
  (void)r;
  return pq_pop(st, key);
}
static size_t pq_len(const void *st) { return mc_pq_size(st); }
_Static_assert(sizeof(mc_pq) <= MC_WL_STATE_MAX, "state");

/* ---- pairing heap ----------------------------------------------------------------------- */
static int ph_init(void *st, mc_alloc al, uint64_t n) {
  (void)n;
  return mc_pairing_init(st, al);
}
static void ph_destroy(void *st) { mc_pairing_destroy(st); }
static int ph_push(void *st, double key, uint64_t value) {
  return mc_pairing_push(st, key, value, NULL);
}
static int ph_pop(void *st, double *key) {
  uint64_t v;
  return mc_pairing_pop(st, key, &v);
}
static int ph_remove(void *st, uint64_t r, double *key) {
  (void)r;
  return ph_pop(st, key);
}
static size_t ph_len(const void *st) { return mc_pairing_len(st); }
_Static_assert(sizeof(mc_pairing) <= MC_WL_STATE_MAX, "state");

/* ---- ndarray: 1-d f64, amortised append (it cannot shrink: fill only) ------------------- */
static int nd_init(void *st, mc_alloc al, uint64_t n) {
  (void)n;
  size_t shape[1] = {0};
  return mc_ndarray_init(st, al, MC_DTYPE_F64, 1, shape);
}
static void nd_destroy(void *st) { mc_ndarray_destroy(st); }
static int nd_push(void *st, double key, uint64_t value) {
  (void)value;
  return mc_ndarray_append(st, key);
}
static int nd_pop(void *st, double *key) {
  (void)st;
  (void)key;
  return MC_ENOTSUP;
}
static int nd_remove(void *st, uint64_t r, double *key) {
  (void)r;
  return nd_pop(st, key);
}
static size_t nd_len(const void *st) { return mc_ndarray_size(st); }
_Static_assert(sizeof(mc_ndarray) <= MC_WL_STATE_MAX, "state");

/* The structures: name, what pop/remove can do, the kind of array, the adapter (init, destroy,
 * push, pop, remove_some, len), the glossary's sentence; a NULL name ends it. */
static const mc_wl_struct structs[] = {
    {"ndarray", 0, MC_RESULT_ARRAY_UNBOXED, nd_init, nd_destroy, nd_push, nd_pop, nd_remove, nd_len,
     "typed n-d array (NumPy-like): one contiguous buffer of doubles grown by amortised append"},
    {"boxed", MC_WL_SHRINKS, MC_RESULT_ARRAY_BOXED, bx_init, bx_destroy, bx_push, bx_pop, bx_remove,
     bx_len,
     "boxed array: a growable array of pointers to individually allocated values, like a Python "
     "list of floats"},
    {"list", MC_WL_SHRINKS, MC_RESULT_ARRAY_NONE, ls_init, ls_destroy, ls_push, ls_pop, ls_remove,
     ls_len, "doubly linked list: one node allocation per element, pops at either end"},
    {"pq", MC_WL_SHRINKS | MC_WL_MIN_FIRST, MC_RESULT_ARRAY_NONE, pq2_init, pq_destroy, pq_push,
     pq_pop, pq_remove, pq_len,
     "binary heap priority queue in one growable array (pop returns the minimum)"},
    {"pq4", MC_WL_SHRINKS | MC_WL_MIN_FIRST, MC_RESULT_ARRAY_NONE, pq4_init, pq_destroy, pq_push,
     pq_pop, pq_remove, pq_len,
     "4-ary heap priority queue in one growable array (pop returns the minimum)"},
    {"pairing", MC_WL_SHRINKS | MC_WL_MIN_FIRST, MC_RESULT_ARRAY_NONE, ph_init, ph_destroy, ph_push,
     ph_pop, ph_remove, ph_len,
     "pairing heap: a node-based priority queue, one allocation per element"},
    {"blocks", MC_WL_SHRINKS, MC_RESULT_ARRAY_NONE, blk_init, blk_destroy, blk_push, blk_pop,
     blk_remove, blk_len,
     "the allocator's own workload: a table of individually allocated blocks of 16..512 bytes, "
     "freed at random slots (random-lifetime malloc/free traffic, no structure in between)"},
    {NULL, 0, MC_RESULT_ARRAY_NONE, NULL, NULL, NULL, NULL, NULL, NULL, NULL},
};

const mc_wl_struct *mc_wl_struct_find(const char *name) {
  for (const mc_wl_struct *p = structs; p->name; p++)
    if (strcmp(p->name, name) == 0) return p;
  return NULL;
}
