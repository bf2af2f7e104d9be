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
 * Accounting: the inline fast paths (mc_arena.h) touch only counters that grow: allocs and
 * bytes_in on alloc, frees and bytes_out on free. requested = bytes_in - bytes_out, live =
 * allocs - frees - blocks_out, total_requested = bytes_in - moved; requested_peak is captured
 * (into `peak`) just before anything makes requested fall, requested only growing in between,
 * and the stats call takes the max with the current value. So the numbers are exact to the
 * byte while an alloc stores three words and a free four.
 *
 * Marks: a save writes a small record (mc_arena_level) into the arena itself and links it as
 * the innermost level; the mark is (record, id). A level remembers requested and live at its
 * save, and counts the bytes and blocks OLDER than its save (allocated before it) that left
 * since: restore then drops exactly requested - (requested at save - older bytes gone), and as
 * many blocks. The latest block always belongs to the innermost level, so a rollback free
 * touches no level; a free of an older block (the slow path) finds the block's level by
 * position, chunks being ordered by a sequence number given when they become current and
 * records by address within a chunk, and charges every level inside it. Restore sets cur back
 * to the record's address and turns the chunks opened since into spares. Invariant:
 * footprint == sum of the sizes of all chunks held (current list and spares). */
#include "mc_arena.h"

#include <string.h>

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
  size_t requested0;     /* bytes, requested at the save */
  size_t live0;          /* blocks, live at the save */
  size_t older_bytes;    /* bytes of blocks from before the save that left requested since */
  size_t older_blocks;   /* blocks from before the save freed since */
};

#define CHUNK_HDR ((sizeof(mc_arena_chunk) + 15) & ~(size_t)15)

static inline void fill(void *p, int byte, size_t n) {
#ifndef NDEBUG
  memset(p, byte, n);
#else
  (void)p, (void)byte, (void)n;
#endif
}

static inline unsigned char *chunk_data(mc_arena_chunk *c) {
  return (unsigned char *)c + CHUNK_HDR;
}
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
    a->next_size =
        a->next_size * 2 < MC_ARENA_CHUNK_GROWTH_MAX ? a->next_size * 2 : MC_ARENA_CHUNK_GROWTH_MAX;
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

static inline size_t requested_now(const mc_arena *a) {
  return (size_t)(a->bytes_in - a->bytes_out);
}
static inline size_t live_now(const mc_arena *a) {
  return (size_t)(a->allocs - a->frees - a->blocks_out);
}

/* Call before anything that makes requested fall: keeps requested_peak exact. */
static inline void capture_peak(mc_arena *a) {
  size_t r = requested_now(a);
  if (r > a->peak) a->peak = r;
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

/* An older block of level lv (NULL: the base) lost bytes (and blocks, if it went): every level
 * saved after it counts them. */
static void older_gone(mc_arena *a, const mc_arena_level *lv, size_t bytes, size_t blocks) {
  for (mc_arena_level *l = a->level; l && l != lv; l = l->outer) {
    l->older_bytes += bytes;
    l->older_blocks += blocks;
  }
}

/* The slow half of mc_arena_alloc: kept out of line so that the fast path needs no frame. */
__attribute__((noinline, cold)) void *mc__arena_alloc_slow(mc_arena *a, size_t size, size_t align) {
  unsigned char *p = open_chunk(a, size, align);
  if (!p) {
    a->stats.failures++;
    return NULL;
  }
  a->cur = p + size;
  a->allocs++;
  a->bytes_in += size;
  fill(p, 0xAA, size);
  return p;
}

/* The slow half of mc_arena_free: a block other than the latest (only counted). */
__attribute__((noinline)) void mc__arena_free_slow(mc_arena *a, void *p, size_t size) {
  capture_peak(a);
  a->frees++;
  a->bytes_out += size;
  a->stats.misordered++;
  older_gone(a, level_of(a, p), size, 1);
  fill(p, 0x55, size);
}

/* The cursor's fast path found no room: the block comes from a new chunk. */
__attribute__((cold)) mc__arena_refill mc__arena_cursor_refill(mc_arena *a, mc_arena_cursor c,
                                                               size_t size, size_t align) {
  mc_arena_cursor_close(a, c);
  void *p = mc__arena_alloc_slow(a, size, align);
  return (mc__arena_refill){mc_arena_cursor_open(a), p};
}

static void *arena_alloc(void *ctx, size_t size, size_t align, const mc_type *type) {
  (void)type;
  return mc__arena_bump(ctx, size, align);
}

static void arena_free(void *ctx, void *p, size_t size, size_t align) {
  (void)align;
  mc__arena_free(ctx, p, size);
}

static void *arena_resize(void *ctx, void *p, size_t old_size, size_t new_size, size_t align) {
  mc_arena *a = ctx;
  unsigned char *b = p;
  if (b + old_size == a->cur && new_size <= (size_t)(a->end - b)) { /* the latest block */
    a->cur = b + new_size;           /* (it belongs to the innermost level: no level to tell) */
  } else if (new_size <= old_size) { /* an older block shrinks in place */
    older_gone(a, level_of(a, b), old_size - new_size, 0);
  } else { /* an older block (or the latest, out of room) grows: move it */
    mc_arena_level *lv = level_of(a, b); /* before bump: a new chunk does not change it */
    unsigned char *q = bump(a, new_size, align);
    if (!q) {
      a->stats.failures++;
      return NULL;
    }
    memcpy(q, b, old_size);
    fill(b, 0x55, old_size);
    a->stats.misordered++;
    capture_peak(a);
    a->bytes_out += old_size; /* the old block leaves ... */
    older_gone(a, lv, old_size, 1);
    a->bytes_in += new_size; /* ... the new one (same live block) enters the innermost level */
    a->moved += old_size;    /* only the growth is new */
    a->stats.resizes++;
    return q;
  }
  if (new_size < old_size) {
    capture_peak(a);
    a->bytes_out += old_size - new_size;
  } else {
    a->bytes_in += new_size - old_size;
  }
  a->stats.resizes++;
  return b;
}

static void arena_reset_keep(void *ctx) { mc_arena_reset(ctx, 1); }

static void arena_stats(void *ctx, mc_alloc_stats *out) {
  mc_arena *a = ctx;
  *out = a->stats;
  out->requested = requested_now(a);
  out->requested_peak = out->requested > a->peak ? out->requested : a->peak;
  out->live = live_now(a);
  out->total_requested = a->bytes_in - a->moved;
  out->allocs = a->allocs;
  out->frees = a->frees;
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
  capture_peak(a);
  a->blocks_out += live_now(a); /* requested and live fall to 0 */
  a->bytes_out = a->bytes_in;
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
  l->requested0 = requested_now(a);
  l->live0 = live_now(a);
  l->older_bytes = 0;
  l->older_blocks = 0;
  a->level = l;
  out->level = l;
  out->id = l->id;
  return MC_OK;
}

int mc_arena_restore(mc_arena *a, mc_arena_mark mark) {
  mc_arena_level *l = a->level;
  for (; l; l = l->outer)
    if (l == mark.level && l->id == mark.id) break;
  if (!l) return MC_EINVAL;
  /* what was live at the save and still is: everything else goes */
  size_t keep_bytes = l->requested0 - l->older_bytes, keep_blocks = l->live0 - l->older_blocks;
  mc_arena_level *outer = l->outer;
  mc_arena_chunk *chunk = l->chunk;
  unsigned char *dropped_end = a->chunks == chunk ? a->cur : chunk_end(chunk);
  capture_peak(a);
  a->bytes_out += requested_now(a) - keep_bytes;
  a->blocks_out += live_now(a) - keep_blocks;
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
