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

#include "fuzz_input.h"
#include "mc_alloc.h"
#include "mc_arena.h"
#include "mc_counting.h"
#include "mc_failing.h"
#include "mc_gc.h"
#include "mc_pool.h"
#include "mc_stack.h"
#include "mc_system.h"

#define MAX_SLOTS 64

/* ASan must return NULL for absurd sizes (the contract says NULL), not abort. */

/* ---- input reader ----------------------------------------------------------------------- */

static unsigned take16(input *in) { return take8(in) | (take8(in) << 8); }

/* ---- the allocators under test ---------------------------------------------------------- */

enum {
  F_EXACT_COUNTS = 1 << 0, /* allocs/frees/resizes/failures counted exactly as the model does */
  F_LIFO = 1 << 1,         /* stack: only the top gives memory back */
  F_NOFREE = 1 << 2,       /* arena: frees other than the latest only count */
  F_RESET = 1 << 3,        /* reset is supported */
  F_FAILS = 1 << 4,        /* may fail ordinary requests (bounded region, fault injection) */
  F_MARKS = 1 << 5,        /* save/restore (state[2] is the mc_stack or mc_arena) */
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

/* A parent for arena and pool: plain system, or system behind a failing decorator whose
 * budgets come from the input (so parents refuse in the middle of a sequence). */
static mc_alloc open_parent(backend *b, input *cfg, int failing) {
  mc_system *s = malloc(sizeof *s);
  mc_failing *f = malloc(sizeof *f);
  if (!s || !f) abort();
  mc_system_init(s);
  b->state[0] = s;
  b->state[1] = f;
  if (!failing) return mc_system_allocator(s);
  unsigned ok = take8(cfg), bad = take8(cfg);
  mc_failing_init(f, mc_system_allocator(s), ok, bad == 255 ? MC_FAILING_FOREVER : bad);
  return mc_failing_allocator(f);
}
static void close_parent(backend *b) {
  mc_alloc_stats st;
  mc_alloc_get_stats(mc_system_allocator(b->state[0]), &st);
  CHECK(st.requested == 0 && st.live == 0); /* the layer above gave everything back */
  free(b->state[0]);
  free(b->state[1]);
}

static int open_system(backend *b, input *cfg) {
  b->al = open_parent(b, cfg, 0);
  return MC_OK;
}
static int open_failing(backend *b, input *cfg) {
  b->al = open_parent(b, cfg, 1);
  return MC_OK;
}

static int open_stack(backend *b, input *cfg) {
  size_t cap = (size_t)take16(cfg) << 4; /* up to 1 MiB */
  mc_stack *st = malloc(sizeof *st);
  void *buf = cap ? malloc(cap) : NULL;
  if (!st || (cap && !buf)) abort();
  CHECK(mc_stack_init(st, buf, cap) == MC_OK);
  b->state[2] = st;
  b->state[3] = buf;
  b->al = mc_stack_allocator(st);
  return MC_OK;
}
static void close_stack(backend *b) {
  free(b->state[2]);
  free(b->state[3]);
}
/* failing over stack: refusals and overflow both */
static int open_failing_stack(backend *b, input *cfg) {
  open_stack(b, cfg);
  mc_failing *f = malloc(sizeof *f);
  if (!f) abort();
  unsigned ok = take8(cfg), bad = take8(cfg);
  mc_failing_init(f, b->al, ok, bad);
  b->state[1] = f;
  b->al = mc_failing_allocator(f);
  return MC_OK;
}
static void close_failing_stack(backend *b) {
  close_stack(b);
  free(b->state[1]);
}

static int open_arena_on(backend *b, input *cfg, int failing) {
  mc_alloc parent = open_parent(b, cfg, failing);
  size_t chunk = (size_t)take16(cfg) << 2;
  mc_arena *a = malloc(sizeof *a);
  if (!a) abort();
  CHECK(mc_arena_init(a, parent, chunk) == MC_OK);
  b->state[2] = a;
  b->al = mc_arena_allocator(a);
  return MC_OK;
}
static int open_arena(backend *b, input *cfg) { return open_arena_on(b, cfg, 0); }
static int open_arena_failing(backend *b, input *cfg) { return open_arena_on(b, cfg, 1); }
static void close_arena(backend *b) {
  mc_arena_destroy(b->state[2]);
  free(b->state[2]);
  close_parent(b);
}

static int open_pool_on(backend *b, input *cfg, int failing) {
  mc_alloc parent = open_parent(b, cfg, failing);
  size_t classes[8], n = take8(cfg) % 9, slab = (size_t)take16(cfg) << 2;
  for (size_t i = 0; i < n; i++) classes[i] = take16(cfg) % (MC_POOL_MAX_CLASS + 64);
  mc_pool *p = malloc(sizeof *p);
  if (!p) abort();
  b->state[2] = p;
  int rc = mc_pool_init(p, parent, n ? classes : NULL, n, slab);
  if (rc != MC_OK) {
    CHECK(rc == MC_EINVAL); /* an unsorted or oversized class list */
    free(p);
    close_parent(b);
    return rc;
  }
  b->al = mc_pool_allocator(p);
  return MC_OK;
}
static int open_pool(backend *b, input *cfg) { return open_pool_on(b, cfg, 0); }
static int open_pool_failing(backend *b, input *cfg) { return open_pool_on(b, cfg, 1); }
static void close_pool(backend *b) {
  mc_pool_destroy(b->state[2]);
  free(b->state[2]);
  close_parent(b);
}

/* counting over system, over an arena (reset forwarding) or over a pool behind failing */
static int open_counting_on(backend *b, input *cfg, int (*under)(backend *, input *)) {
  if (under(b, cfg) != MC_OK) return MC_EINVAL;
  mc_counting *c = malloc(sizeof *c);
  if (!c) abort();
  mc_counting_init(c, b->al);
  b->state[3] = c;
  b->al = mc_counting_allocator(c);
  return MC_OK;
}
static int open_counting(backend *b, input *cfg) { return open_counting_on(b, cfg, open_system); }
static int open_counting_arena(backend *b, input *cfg) {
  return open_counting_on(b, cfg, open_arena);
}
static int open_counting_pool(backend *b, input *cfg) {
  return open_counting_on(b, cfg, open_pool_failing);
}
static void close_counting_arena(backend *b) {
  free(b->state[3]);
  close_arena(b);
}
static void close_counting_pool(backend *b) {
  free(b->state[3]);
  close_pool(b);
}
static void close_counting(backend *b) {
  free(b->state[3]);
  close_parent(b);
}

/* ---- the shadow model ------------------------------------------------------------------- */

typedef struct slot {
  unsigned char *p; /* NULL: empty slot */
  size_t size;      /* bytes; 0 for the zero token */
  size_t align;
  uint8_t seed;  /* fill pattern: byte k is seed + k * 7 */
  uint64_t born; /* model sequence number when the block got its current address */
} slot;

typedef struct mark {
  mc_stack_mark sm;
  mc_arena_mark am;
  uint64_t seq; /* blocks born after this are dropped by a restore */
} mark;

typedef struct model {
  slot s[MAX_SLOTS];
  size_t requested, requested_peak, live;
  uint64_t allocs, frees, resizes, failures, resets;
  uint64_t seq; /* incremented at each birth and each save */
  mark marks[4];
  size_t nmarks;
} model;

/* The collected heap as a plain allocator: every model slot's pointer field is a registered
 * root, so collections (torture mode: one at every allocation, and the emergency one before a
 * failure) must keep every live block, and must ignore the zero-size tokens and NULLs that the
 * slots also hold. */
static model shadow; /* file scope: its slots are the gc backend's roots */

static int open_gc(backend *b, input *cfg) {
  mc_system *s = malloc(sizeof *s);
  if (!s) abort();
  mc_system_init(s);
  mc_gc_config c;
  mc_gc_config_default(&c);
  c.torture = take8(cfg) & 1;
  mc_gc *gc;
  CHECK(mc_gc_new(&gc, mc_system_allocator(s), &c) == MC_OK);
  b->state[0] = s;
  b->state[2] = gc;
  b->al = mc_gc_allocator(gc);
  for (size_t i = 0; i < MAX_SLOTS; i++) {
    shadow.s[i].p = NULL;
    mc_root_add(b->al, &shadow.s[i].p);
  }
  return MC_OK;
}
static void close_gc(backend *b) {
  for (size_t i = 0; i < MAX_SLOTS; i++) mc_root_remove(b->al, &shadow.s[i].p);
  mc_gc_free(b->state[2]);
  mc_alloc_stats st;
  mc_alloc_get_stats(mc_system_allocator(b->state[0]), &st);
  CHECK(st.live == 0); /* the heap gave every page back */
  free(b->state[0]);
}

static backend backends[] = {
    {"system", open_system, close_parent, F_EXACT_COUNTS, {0}, {0}},
    {"stack",
     open_stack,
     close_stack,
     F_EXACT_COUNTS | F_LIFO | F_RESET | F_FAILS | F_MARKS,
     {0},
     {0}},
    {"arena", open_arena, close_arena, F_EXACT_COUNTS | F_NOFREE | F_RESET | F_MARKS, {0}, {0}},
    {"arena/failing",
     open_arena_failing,
     close_arena,
     F_EXACT_COUNTS | F_NOFREE | F_RESET | F_FAILS | F_MARKS,
     {0},
     {0}},
    {"pool", open_pool, close_pool, F_EXACT_COUNTS, {0}, {0}},
    {"pool/failing", open_pool_failing, close_pool, F_EXACT_COUNTS | F_FAILS, {0}, {0}},
    {"counting", open_counting, close_counting, F_EXACT_COUNTS, {0}, {0}},
    {"counting/arena",
     open_counting_arena,
     close_counting_arena,
     F_EXACT_COUNTS | F_NOFREE | F_RESET,
     {0},
     {0}},
    {"counting/pool/failing",
     open_counting_pool,
     close_counting_pool,
     F_EXACT_COUNTS | F_FAILS,
     {0},
     {0}},
    {"failing", open_failing, close_parent, F_EXACT_COUNTS | F_FAILS, {0}, {0}},
    {"failing/stack",
     open_failing_stack,
     close_failing_stack,
     F_EXACT_COUNTS | F_LIFO | F_RESET | F_FAILS,
     {0},
     {0}},
    {"gc", open_gc, close_gc, F_EXACT_COUNTS, {0}, {0}},
};
#define NBACKENDS (sizeof backends / sizeof backends[0])

/* The byte loops below are the bulk of the time: keep them out of coverage tracing (their
 * comparisons teach the fuzzer nothing). */
#define NO_COVERAGE __attribute__((no_sanitize("coverage")))

NO_COVERAGE static void fill(slot *sl) {
  for (size_t k = 0; k < sl->size; k++) sl->p[k] = (unsigned char)(sl->seed + k * 7);
}

NO_COVERAGE static void verify(const slot *sl, size_t upto) {
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
  CHECK(st.footprint >= st.requested);
  if (b->flags & F_EXACT_COUNTS) {
    CHECK(st.requested_peak == m->requested_peak);
    CHECK(st.allocs == m->allocs);
    CHECK(st.frees == m->frees);
    CHECK(st.resizes == m->resizes);
    CHECK(st.failures == m->failures);
    CHECK(st.resets == m->resets);
  }
}

static void model_add(model *m, slot *sl, size_t size) {
  sl->born = ++m->seq;
  m->requested += size;
  if (m->requested > m->requested_peak) m->requested_peak = m->requested;
  m->live++;
}

/* A size drawn from the input: mostly small, sometimes large, sometimes absurd. */
static size_t draw_size(input *in) {
  unsigned kind = take8(in);
  switch (kind & 7) {
  case 0: return 0;
  case 1:
  case 2:
  case 3: return take8(in);
  case 4:
  case 5: return take16(in);
  case 6: return (size_t)take16(in) << 2; /* up to 256 KiB */
  default: break;
  }
  switch (take8(in) & 3) {
  case 0: return MC_SIZE_MAX + 1;
  case 1: return SIZE_MAX;
  case 2: return MC_SIZE_MAX;      /* legal, but no allocator can hold it */
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
    *sl = (slot){p, 0, align, 0, 0};
    return;
  }
  if (!p) {
    CHECK(big(size) || (b->flags & F_FAILS));
    m->failures++;
    return;
  }
  *sl = (slot){p, size, align, (uint8_t)take8(in), 0};
  fill(sl);
  m->allocs++;
  model_add(m, sl, size);
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
    *sl = (slot){p, 0, 8, 0, 0};
    return;
  }
  if (!p) {
    CHECK(big(total) || (b->flags & F_FAILS));
    m->failures++;
    return;
  }
  *sl = (slot){p, total, 8, (uint8_t)n, 0};
  fill(sl);
  m->allocs++;
  model_add(m, sl, total);
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
    *sl = (slot){q, nsize, sl->align, (uint8_t)(sl->seed + 1), 0};
    fill(sl);
    m->allocs++;
    model_add(m, sl, nsize);
    return;
  }
  if (nsize == 0) { /* frees */
    CHECK(q != NULL && ((uintptr_t)q & (sl->align - 1)) == 0);
    m->frees++;
    m->requested -= sl->size;
    m->live--;
    *sl = (slot){q, 0, sl->align, 0, 0};
    return;
  }
  if (!q) {
    CHECK(big(nsize) || (b->flags & F_FAILS));
    m->failures++;
    verify(sl, SIZE_MAX); /* untouched and still ours */
    return;
  }
  size_t keep = sl->size < nsize ? sl->size : nsize;
  if (q != sl->p) sl->born = ++m->seq; /* moved: now above every earlier mark */
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
  m->nmarks = 0;
}

static int is_stack(const backend *b) { return b->open == open_stack; }

static void op_save(backend *b, model *m) {
  if (!(b->flags & F_MARKS) || m->nmarks == 4) return;
  mark *mk = &m->marks[m->nmarks];
  if (is_stack(b)) {
    mk->sm = mc_stack_save(b->state[2]);
  } else {
    int rc = mc_arena_save(b->state[2], &mk->am);
    if (rc != MC_OK) {
      CHECK(rc == MC_ENOMEM && (b->flags & F_FAILS) && mk->am.level == NULL);
      m->failures++;
      return;
    }
  }
  mk->seq = ++m->seq;
  m->nmarks++;
}

/* Restores mark i. The allocator may refuse a stack mark that is no longer a position on the
 * stack (MC_EINVAL, nothing changed); when it accepts, every block born after the save is gone
 * and every older one is intact. */
static void op_restore(backend *b, model *m, size_t i) {
  if (!(b->flags & F_MARKS) || m->nmarks == 0) return;
  i %= m->nmarks;
  mark *mk = &m->marks[i];
  int rc =
      is_stack(b) ? mc_stack_restore(b->state[2], mk->sm) : mc_arena_restore(b->state[2], mk->am);
  if (rc != MC_OK) {
    CHECK(rc == MC_EINVAL && is_stack(b)); /* an active arena mark is always restorable */
    return;
  }
  for (size_t k = 0; k < MAX_SLOTS; k++) {
    slot *sl = &m->s[k];
    if (sl->p && sl->size && sl->born > mk->seq) {
      m->requested -= sl->size;
      m->live--;
      *sl = (slot){0};
    }
  }
  if (!is_stack(b)) { /* a restored arena mark is dead: restoring it again is refused */
    CHECK(mc_arena_restore(b->state[2], mk->am) == MC_EINVAL);
  }
  m->nmarks = i;
  for (size_t k = 0; k < MAX_SLOTS; k++) verify(&m->s[k], SIZE_MAX);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  input in = {data, size};
  backend *b = &backends[take8(&in) % NBACKENDS];
  memset(&shadow, 0, sizeof shadow);
  if (b->open(b, &in) != MC_OK) return 0;
  while (in.n) {
    unsigned op = take8(&in);
    slot *sl = &shadow.s[(op >> 3) % MAX_SLOTS];
    switch (op & 7) {
    case 0:
    case 1:
      if (!sl->p)
        op_alloc(b, &shadow, sl, &in);
      else
        op_free(b, &shadow, sl);
      break;
    case 2:
      if (!sl->p)
        op_array(b, &shadow, sl, &in);
      else
        op_resize(b, &shadow, sl, &in);
      break;
    case 3:
      if (sl->p) op_resize(b, &shadow, sl, &in);
      break;
    case 4:
      if (sl->p) op_free(b, &shadow, sl);
      break;
    case 5:
      switch ((op >> 3) & 7) {
      case 0: op_reset(b, &shadow); break;
      case 1:
      case 2: op_save(b, &shadow); break;
      case 3:
      case 4:
      case 5: op_restore(b, &shadow, op >> 6); break;
      default: break;
      }
      break;
    default:
      for (size_t i = 0; i < MAX_SLOTS; i++) verify(&shadow.s[i], SIZE_MAX);
      break;
    }
    check_stats(b, &shadow);
  }
  for (size_t i = 0; i < MAX_SLOTS; i++)
    if (shadow.s[i].p) op_free(b, &shadow, &shadow.s[i]);
  check_stats(b, &shadow);
  CHECK(shadow.requested == 0 && shadow.live == 0);
  b->close(b);
  return 0;
}
