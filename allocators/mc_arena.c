/* mc_arena.c — bump allocation in growing chunks.
 *
 * Chunks come from the parent (alignment MC_ALIGN_DEFAULT) and start with a small header; the
 * current chunk is the head of `chunks` (newest first) and [cur, end) is its free tail. Alloc
 * aligns cur up and bumps it: the fast path is one add, one mask and one compare. When the
 * request does not fit, a spare chunk that fits is reused, else a new chunk is asked of the
 * parent: max(next_size, what the request needs), next_size doubling up to
 * MC_ARENA_CHUNK_GROWTH_MAX (the geometric growth of Zig's ArenaAllocator and of obstacks).
 *
 * Frees: the latest block is the one ending exactly at cur (only a block of the current chunk
 * can: a block of another chunk ends inside that chunk); freeing it moves cur back. Any other
 * free takes its size out of `requested` and counts `misordered`; the bytes stay held.
 *
 * Marks: a save writes a small record (mc_arena_level) into the arena itself and links it as
 * the innermost level; the mark is (record, id). Each level counts the live bytes and blocks
 * allocated while it is innermost, so restore subtracts exactly what it drops: the levels from
 * the innermost out to the mark's. A free of an older block finds its level by position, chunks
 * being ordered by a sequence number given when they become current and records by address
 * within a chunk. Restore sets cur back to the record's address and turns the chunks opened
 * since into spares. Invariants: requested == sum of live block sizes == base part + sum of the
 * levels' bytes; footprint == sum of the sizes of all chunks held (current list and spares). */
#include "mc_arena.h"

#include <string.h>

#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)

struct mc_arena_chunk {
  mc_arena_chunk *next; /* older chunk (or next spare) */
  size_t size;          /* bytes asked of the parent, header included */
  uint64_t seq;         /* order in which chunks became current */
};

struct mc_arena_level {
  mc_arena_level *outer; /* the enclosing mark, NULL for the outermost */
  mc_arena_chunk *chunk; /* the chunk holding this record */
  uint64_t id;           /* checked by restore against the mark's id */
  size_t bytes;          /* bytes, live requested bytes allocated at this level */
  size_t live;           /* blocks, live blocks allocated at this level */
};

#define CHUNK_HDR ((sizeof(mc_arena_chunk) + 15) & ~(size_t)15)

static inline void fill(void *p, int byte, size_t n) {
#ifndef NDEBUG
  memset(p, byte, n);
#else
  (void)p, (void)byte, (void)n;
#endif
}

static inline unsigned char *chunk_data(mc_arena_chunk *c) { return (unsigned char *)c + CHUNK_HDR; }
static inline unsigned char *chunk_end(mc_arena_chunk *c) { return (unsigned char *)c + c->size; }

/* Where a block of (size, align) would start in [from, end), or NULL if it does not fit. */
static inline unsigned char *fit(unsigned char *from, unsigned char *end, size_t size,
                                 size_t align) {
  uintptr_t p = ((uintptr_t)from + align - 1) & ~(uintptr_t)(align - 1);
  if (p > (uintptr_t)end || size > (uintptr_t)end - p) return NULL;
  return (unsigned char *)p;
}

static void make_current(mc_arena *a, mc_arena_chunk *c) {
  c->seq = ++a->seq;
  c->next = a->chunks;
  a->chunks = c;
  a->cur = chunk_data(c);
  a->end = chunk_end(c);
}

/* Makes a chunk where (size, align) fits current; returns the block start or NULL. */
static unsigned char *open_chunk(mc_arena *a, size_t size, size_t align) {
  for (mc_arena_chunk **pp = &a->spare; *pp; pp = &(*pp)->next) {
    mc_arena_chunk *c = *pp;
    if (fit(chunk_data(c), chunk_end(c), size, align)) {
      *pp = c->next;
      make_current(a, c);
      return fit(a->cur, a->end, size, align);
    }
  }
  size_t need = CHUNK_HDR + (align > 16 ? align - 16 : 0) + size; /* data starts 16-aligned */
  size_t csize = need > a->next_size ? need : a->next_size;
  mc_arena_chunk *c = mc_alloc_new(a->parent, csize, MC_ALIGN_DEFAULT, NULL);
  if (!c) return NULL;
  c->size = csize;
  a->stats.footprint += csize;
  if (a->stats.footprint > a->stats.footprint_peak) a->stats.footprint_peak = a->stats.footprint;
  if (a->next_size < MC_ARENA_CHUNK_GROWTH_MAX)
    a->next_size = a->next_size * 2 < MC_ARENA_CHUNK_GROWTH_MAX ? a->next_size * 2
                                                                : MC_ARENA_CHUNK_GROWTH_MAX;
  make_current(a, c);
  return fit(a->cur, a->end, size, align);
}

/* Bumps a block of (size, align), opening a chunk if needed; NULL when the parent refuses.
 * Accounts nothing but footprint. */
static inline unsigned char *bump(mc_arena *a, size_t size, size_t align) {
  unsigned char *p = fit(a->cur, a->end, size, align); /* cur == end == NULL: never fits */
  if (UNLIKELY(!p)) {
    p = open_chunk(a, size, align);
    if (!p) return NULL;
  }
  a->cur = p + size;
  return p;
}

static inline void account_alloc(mc_arena *a, size_t size) {
  a->stats.requested += size;
  if (a->stats.requested > a->stats.requested_peak) a->stats.requested_peak = a->stats.requested;
  a->stats.total_requested += size;
  a->stats.live++;
  if (a->level) {
    a->level->bytes += size;
    a->level->live++;
  }
}

/* The level a block at p belongs to (NULL: the base, below every mark). Slow: walks chunks. */
static mc_arena_level *level_of(const mc_arena *a, const unsigned char *p) {
  if (!a->level) return NULL;
  uint64_t seq = 0;
  for (mc_arena_chunk *c = a->chunks; c; c = c->next)
    if (p >= chunk_data(c) && p < chunk_end(c)) {
      seq = c->seq;
      break;
    }
  for (mc_arena_level *l = a->level; l; l = l->outer)
    if (seq > l->chunk->seq || (seq == l->chunk->seq && p > (const unsigned char *)l)) return l;
  return NULL;
}

/* Takes a block of size bytes out of the live counts (level lv, or the base when NULL). */
static void account_gone(mc_arena *a, mc_arena_level *lv, size_t size) {
  a->stats.requested -= size;
  a->stats.live--;
  if (lv) {
    lv->bytes -= size;
    lv->live--;
  }
}

/* The slow half of arena_alloc: kept out of line so that the fast path needs no frame. */
__attribute__((noinline, cold)) static void *alloc_slow(mc_arena *a, size_t size, size_t align) {
  unsigned char *p = open_chunk(a, size, align);
  if (!p) {
    a->stats.failures++;
    return NULL;
  }
  a->cur = p + size;
  account_alloc(a, size);
  a->stats.allocs++;
  fill(p, 0xAA, size);
  return p;
}

static void *arena_alloc(void *ctx, size_t size, size_t align, const mc_type *type) {
  (void)type;
  mc_arena *a = ctx;
  uintptr_t p = ((uintptr_t)a->cur + align - 1) & ~(uintptr_t)(align - 1);
  /* no wrap: p is a user-space address and size <= MC_SIZE_MAX; cur == end == NULL fails too */
  if (UNLIKELY(p + size > (uintptr_t)a->end)) return alloc_slow(a, size, align);
  a->cur = (unsigned char *)p + size;
  account_alloc(a, size);
  a->stats.allocs++;
  fill((void *)p, 0xAA, size);
  return (void *)p;
}

static void arena_free(void *ctx, void *p, size_t size, size_t align) {
  (void)align;
  mc_arena *a = ctx;
  unsigned char *b = p;
  a->stats.frees++;
  fill(b, 0x55, size);
  if (LIKELY(b + size == a->cur)) { /* the latest block: roll back (it is at the innermost level) */
    a->cur = b;
    account_gone(a, a->level, size);
    return;
  }
  a->stats.misordered++;
  account_gone(a, level_of(a, b), size);
}

static void *arena_resize(void *ctx, void *p, size_t old_size, size_t new_size, size_t align) {
  mc_arena *a = ctx;
  unsigned char *b = p;
  mc_arena_level *lv;
  if (b + old_size == a->cur && new_size <= (size_t)(a->end - b)) { /* the latest block */
    a->cur = b + new_size;
    lv = a->level;
  } else if (new_size <= old_size) { /* an older block shrinks in place */
    lv = level_of(a, b);
  } else { /* an older block (or the latest, out of room) grows: move it */
    unsigned char *q = bump(a, new_size, align);
    if (!q) {
      a->stats.failures++;
      return NULL;
    }
    memcpy(q, b, old_size);
    fill(b, 0x55, old_size);
    a->stats.misordered++;
    account_gone(a, level_of(a, b), old_size);
    account_alloc(a, new_size);
    a->stats.total_requested -= old_size; /* only the growth is new */
    a->stats.resizes++;
    return q;
  }
  a->stats.requested = a->stats.requested - old_size + new_size;
  if (lv) lv->bytes = lv->bytes - old_size + new_size;
  if (a->stats.requested > a->stats.requested_peak) a->stats.requested_peak = a->stats.requested;
  if (new_size > old_size) a->stats.total_requested += new_size - old_size;
  a->stats.resizes++;
  return b;
}

static void arena_reset_keep(void *ctx) { mc_arena_reset(ctx, 1); }

static void arena_stats(void *ctx, mc_alloc_stats *out) {
  mc_arena *a = ctx;
  *out = a->stats;
}

static const mc_alloc_vtbl arena_vtbl = {
    .name = "arena",
    .alloc = arena_alloc,
    .resize = arena_resize,
    .free = arena_free,
    .reset = arena_reset_keep,
    .stats = arena_stats,
};

int mc_arena_init(mc_arena *a, mc_alloc parent, size_t chunk_size) {
  if (chunk_size > MC_SIZE_MAX) return MC_EINVAL;
  memset(a, 0, sizeof *a);
  a->parent = parent;
  a->chunk_size = chunk_size ? chunk_size : MC_ARENA_CHUNK_DEFAULT;
  if (a->chunk_size < CHUNK_HDR + 16) a->chunk_size = CHUNK_HDR + 16;
  a->next_size = a->chunk_size;
  return MC_OK;
}

static void release_list(mc_arena *a, mc_arena_chunk *c) {
  while (c) {
    mc_arena_chunk *next = c->next;
    a->stats.footprint -= c->size;
    mc_alloc_free(a->parent, c, c->size, MC_ALIGN_DEFAULT);
    c = next;
  }
}

void mc_arena_reset(mc_arena *a, int keep_capacity) {
  if (keep_capacity) {
    while (a->chunks) {
      mc_arena_chunk *c = a->chunks;
      a->chunks = c->next;
      fill(chunk_data(c), 0x55, (size_t)(chunk_end(c) - chunk_data(c)));
      c->next = a->spare;
      a->spare = c;
    }
  } else {
    release_list(a, a->chunks);
    release_list(a, a->spare);
    a->chunks = a->spare = NULL;
    a->next_size = a->chunk_size;
  }
  a->cur = a->end = NULL;
  a->level = NULL;
  a->stats.requested = 0;
  a->stats.live = 0;
  a->stats.resets++;
}

void mc_arena_destroy(mc_arena *a) {
  if (a->chunks || a->spare) {
    release_list(a, a->chunks);
    release_list(a, a->spare);
  }
  memset(a, 0, sizeof *a);
}

mc_alloc mc_arena_allocator(mc_arena *a) { return (mc_alloc){&arena_vtbl, a}; }

int mc_arena_save(mc_arena *a, mc_arena_mark *out) {
  mc_arena_level *l = (mc_arena_level *)(void *)bump(a, sizeof *l, alignof(mc_arena_level));
  if (!l) {
    a->stats.failures++;
    memset(out, 0, sizeof *out);
    return MC_ENOMEM;
  }
  l->outer = a->level;
  l->chunk = a->chunks;
  l->id = ++a->seq;
  l->bytes = 0;
  l->live = 0;
  a->level = l;
  out->level = l;
  out->id = l->id;
  return MC_OK;
}

int mc_arena_restore(mc_arena *a, mc_arena_mark mark) {
  size_t bytes = 0, live = 0;
  mc_arena_level *l = a->level;
  for (; l; l = l->outer) {
    bytes += l->bytes;
    live += l->live;
    if (l == mark.level && l->id == mark.id) break;
  }
  if (!l) return MC_EINVAL;
  mc_arena_level *outer = l->outer;
  mc_arena_chunk *chunk = l->chunk;
  unsigned char *dropped_end = a->chunks == chunk ? a->cur : chunk_end(chunk);
  a->stats.requested -= bytes;
  a->stats.live -= live;
  a->level = outer;
  while (a->chunks != chunk) { /* chunks opened since the save become spares */
    mc_arena_chunk *c = a->chunks;
    a->chunks = c->next;
    fill(chunk_data(c), 0x55, (size_t)(chunk_end(c) - chunk_data(c)));
    c->next = a->spare;
    a->spare = c;
  }
  a->cur = (unsigned char *)l;
  a->end = chunk_end(chunk);
  fill(a->cur, 0x55, (size_t)(dropped_end - a->cur)); /* the record goes too */
  return MC_OK;
}
