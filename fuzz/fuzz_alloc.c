/* fuzz_alloc.c — libFuzzer target: allocator operation sequences against a shadow model.
 *
 * The first input byte picks an allocator (system, stack, arena, pool, counting, failing, gc),
 * the next few configure it (region size, chunk size, slot classes, fail budget), the rest is
 * a program of operations: alloc (sizes 0..1 MiB, every power-of-two alignment, bad alignments,
 * sizes past MC_SIZE_MAX, n*size overflow), free, resize up and down, reset, mark/restore where
 * the allocator has them, and a full check. The shadow model keeps every live block's address,
 * size, alignment and a fill seed; each block is filled with a pattern derived from its seed, so
 * any overlap, lost copy on resize or write past the end shows up as a pattern mismatch (and
 * ASan catches the rest). After every operation the allocator's stats are compared with the
 * model exactly: requested bytes, live blocks, allocs, frees, resizes, failures and resets;
 * footprint never below requested; peaks never below the current values. A failed alloc or
 * resize must leave the model unchanged (the old block still holds its pattern). At the end
 * everything is freed and requested/live must be zero. Any mismatch aborts (a finding). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memcurve.h"

#define MAX_SLOTS 64

/* ASan must return NULL for absurd sizes (the contract says NULL), not abort. */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "allocator_may_return_null=1"; }
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- input reader ----------------------------------------------------------------------- */

typedef struct input {
  const uint8_t *p;
  size_t n;
} input;

static unsigned take8(input *in) {
  if (!in->n) return 0;
  in->n--;
  return *in->p++;
}
static unsigned take16(input *in) { return take8(in) | (take8(in) << 8); }

#define CHECK(cond)                                                                            \
  do {                                                                                         \
    if (!(cond)) {                                                                             \
      fprintf(stderr, "fuzz_alloc: %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);    \
      abort();                                                                                 \
    }                                                                                          \
  } while (0)

/* ---- the allocators under test ---------------------------------------------------------- */

enum {
  F_EXACT_COUNTS = 1 << 0, /* allocs/frees/resizes/failures counted exactly as the model does */
  F_LIFO = 1 << 1,         /* stack: only the top gives memory back */
  F_NOFREE = 1 << 2,       /* arena: frees other than the latest only count */
  F_RESET = 1 << 3,        /* reset is supported */
  F_FAILS = 1 << 4,        /* may fail ordinary requests (bounded region, fault injection) */
};

typedef struct backend backend;
struct backend {
  const char *name;
  int (*open)(backend *b, input *cfg); /* MC_OK or an MC_E* code: then the input is skipped */
  void (*close)(backend *b);
  unsigned flags;
  mc_alloc al;
  void *state[4];
};

/* system */
static int open_system(backend *b, input *cfg) {
  (void)cfg;
  mc_system *s = malloc(sizeof *s);
  if (!s) return MC_ENOMEM;
  mc_system_init(s);
  b->state[0] = s;
  b->al = mc_system_allocator(s);
  return MC_OK;
}
static void close_free0(backend *b) { free(b->state[0]); }

static backend backends[] = {
    {"system", open_system, close_free0, F_EXACT_COUNTS, {0}, {0}},
};
#define NBACKENDS (sizeof backends / sizeof backends[0])

/* ---- the shadow model ------------------------------------------------------------------- */

typedef struct slot {
  unsigned char *p; /* NULL: empty slot */
  size_t size;      /* bytes; 0 for the zero token */
  size_t align;
  uint8_t seed; /* fill pattern: byte k is seed + k * 7 */
} slot;

typedef struct model {
  slot s[MAX_SLOTS];
  size_t requested, requested_peak, live;
  uint64_t allocs, frees, resizes, failures, resets;
} model;

static void fill(slot *sl) {
  for (size_t k = 0; k < sl->size; k++) sl->p[k] = (unsigned char)(sl->seed + k * 7);
}

static void verify(const slot *sl, size_t upto) {
  if (!sl->p) return;
  CHECK(((uintptr_t)sl->p & (sl->align - 1)) == 0);
  size_t n = upto < sl->size ? upto : sl->size;
  for (size_t k = 0; k < n; k++) CHECK(sl->p[k] == (unsigned char)(sl->seed + k * 7));
}

static void check_stats(const backend *b, const model *m) {
  mc_alloc_stats st;
  mc_alloc_get_stats(b->al, &st);
  CHECK(st.requested == m->requested);
  CHECK(st.live == m->live);
  CHECK(st.requested_peak >= st.requested);
  CHECK(st.footprint_peak >= st.footprint);
  if (!(b->flags & (F_LIFO | F_NOFREE))) CHECK(st.footprint >= st.requested);
  if (b->flags & F_EXACT_COUNTS) {
    CHECK(st.requested_peak == m->requested_peak);
    CHECK(st.allocs == m->allocs);
    CHECK(st.frees == m->frees);
    CHECK(st.resizes == m->resizes);
    CHECK(st.failures == m->failures);
    CHECK(st.resets == m->resets);
  }
}

static void model_add(model *m, size_t size) {
  m->requested += size;
  if (m->requested > m->requested_peak) m->requested_peak = m->requested;
  m->live++;
}

/* A size drawn from the input: mostly small, sometimes large, sometimes absurd. */
static size_t draw_size(input *in) {
  unsigned kind = take8(in);
  switch (kind & 7) {
  case 0: return 0;
  case 1: case 2: case 3: return take8(in);
  case 4: case 5: return take16(in);
  case 6: return (size_t)take16(in) << 2; /* up to 256 KiB */
  default: break;
  }
  switch (take8(in) & 3) {
  case 0: return MC_SIZE_MAX + 1;
  case 1: return SIZE_MAX;
  case 2: return MC_SIZE_MAX; /* legal, but no allocator can hold it */
  default: return (size_t)1 << 46; /* past what the machine has */
  }
}

static size_t draw_align(input *in) {
  unsigned a = take8(in);
  if (a < 240) return (size_t)1 << (a % 13); /* 1 .. 4096 */
  switch (a & 3) {
  case 0: return 0;
  case 1: return 3;
  case 2: return MC_ALIGN_MAX * 2;
  default: return MC_ALIGN_MAX;
  }
}

static int big(size_t size) { return size > ((size_t)1 << 30); }

static void op_alloc(backend *b, model *m, slot *sl, input *in) {
  size_t size = draw_size(in), align = draw_align(in);
  void *p = mc_alloc_new(b->al, size, align, NULL);
  if (!mc_align_ok(align) || size > MC_SIZE_MAX) {
    CHECK(p == NULL); /* rejected before the vtable: nothing counted */
    return;
  }
  if (size == 0) {
    CHECK(p != NULL && ((uintptr_t)p & (align - 1)) == 0);
    *sl = (slot){p, 0, align, 0};
    return;
  }
  if (!p) {
    CHECK(big(size) || (b->flags & F_FAILS));
    m->failures++;
    return;
  }
  *sl = (slot){p, size, align, (uint8_t)take8(in)};
  fill(sl);
  m->allocs++;
  model_add(m, size);
}

static void op_array(backend *b, model *m, slot *sl, input *in) {
  size_t n = draw_size(in), es = take8(in);
  if (n < ((size_t)1 << 20)) n &= 0xfff; /* keep ordinary arrays under 1 MiB */
  size_t total;
  int ok = mc_size_mul(n, es, &total) == MC_OK;
  void *p = mc_alloc_array(b->al, n, es, 8, NULL);
  if (!ok) {
    CHECK(p == NULL);
    return;
  }
  if (total == 0) {
    CHECK(p != NULL);
    *sl = (slot){p, 0, 8, 0};
    return;
  }
  if (!p) {
    CHECK(big(total) || (b->flags & F_FAILS));
    m->failures++;
    return;
  }
  *sl = (slot){p, total, 8, (uint8_t)n};
  fill(sl);
  m->allocs++;
  model_add(m, total);
}

static void op_free(backend *b, model *m, slot *sl) {
  verify(sl, SIZE_MAX);
  mc_alloc_free(b->al, sl->p, sl->size, sl->align);
  if (sl->size) {
    m->frees++;
    m->requested -= sl->size;
    m->live--;
  }
  *sl = (slot){0};
}

static void op_resize(backend *b, model *m, slot *sl, input *in) {
  size_t nsize = draw_size(in);
  verify(sl, SIZE_MAX);
  unsigned char *q = mc_alloc_resize(b->al, sl->p, sl->size, nsize, sl->align);
  if (nsize > MC_SIZE_MAX) {
    CHECK(q == NULL);
    verify(sl, SIZE_MAX);
    return;
  }
  if (sl->size == 0) { /* allocates */
    if (nsize == 0) {
      CHECK(q != NULL);
      return;
    }
    if (!q) {
      CHECK(big(nsize) || (b->flags & F_FAILS));
      m->failures++;
      return;
    }
    *sl = (slot){q, nsize, sl->align, (uint8_t)(sl->seed + 1)};
    fill(sl);
    m->allocs++;
    model_add(m, nsize);
    return;
  }
  if (nsize == 0) { /* frees */
    CHECK(q != NULL && ((uintptr_t)q & (sl->align - 1)) == 0);
    m->frees++;
    m->requested -= sl->size;
    m->live--;
    *sl = (slot){q, 0, sl->align, 0};
    return;
  }
  if (!q) {
    CHECK(big(nsize) || (b->flags & F_FAILS));
    m->failures++;
    verify(sl, SIZE_MAX); /* untouched and still ours */
    return;
  }
  size_t keep = sl->size < nsize ? sl->size : nsize;
  sl->p = q;
  verify(sl, keep); /* the first min(old, new) bytes survived the move */
  m->requested = m->requested - sl->size + nsize;
  if (m->requested > m->requested_peak) m->requested_peak = m->requested;
  m->resizes++;
  sl->size = nsize;
  fill(sl);
}

static void op_reset(backend *b, model *m) {
  int rc = mc_alloc_reset(b->al);
  if (!(b->flags & F_RESET)) {
    CHECK(rc == MC_ENOTSUP);
    return;
  }
  CHECK(rc == MC_OK);
  for (size_t i = 0; i < MAX_SLOTS; i++) m->s[i] = (slot){0};
  m->requested = 0;
  m->live = 0;
  m->resets++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  input in = {data, size};
  backend *b = &backends[take8(&in) % NBACKENDS];
  if (b->open(b, &in) != MC_OK) return 0;
  static model m;
  memset(&m, 0, sizeof m);
  while (in.n) {
    unsigned op = take8(&in);
    slot *sl = &m.s[(op >> 3) % MAX_SLOTS];
    switch (op & 7) {
    case 0: case 1:
      if (!sl->p) op_alloc(b, &m, sl, &in);
      else op_free(b, &m, sl);
      break;
    case 2:
      if (!sl->p) op_array(b, &m, sl, &in);
      else op_resize(b, &m, sl, &in);
      break;
    case 3:
      if (sl->p) op_resize(b, &m, sl, &in);
      break;
    case 4:
      if (sl->p) op_free(b, &m, sl);
      break;
    case 5:
      if ((op >> 3) == 0) op_reset(b, &m);
      break;
    default:
      for (size_t i = 0; i < MAX_SLOTS; i++) verify(&m.s[i], SIZE_MAX);
      break;
    }
    check_stats(b, &m);
  }
  for (size_t i = 0; i < MAX_SLOTS; i++)
    if (m.s[i].p) op_free(b, &m, &m.s[i]);
  check_stats(b, &m);
  CHECK(m.requested == 0 && m.live == 0);
  b->close(b);
  return 0;
}
