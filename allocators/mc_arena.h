/* mc_arena.h — the arena allocator: bump allocation in growing chunks taken from a parent
 * allocator; reset releases everything at once (keeping the capacity or not); temporary marks;
 * freeing the latest block rolls back, any other free only counts. */
#ifndef MC_ARENA_H
#define MC_ARENA_H

#include "mc_alloc.h"

#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MC_ARENA_CHUNK_DEFAULT ((size_t)65536)      /* bytes, first chunk when 0 is given */
#define MC_ARENA_CHUNK_GROWTH_MAX ((size_t)1 << 24) /* bytes: chunks double up to 16 MiB */

typedef struct mc_arena_chunk mc_arena_chunk; /* private: a chunk header, inside the chunk */
typedef struct mc_arena_level mc_arena_level; /* private: a mark record, inside the arena */

typedef struct mc_arena {
  /* hot: what the inline fast paths below read and write (the first cache line) */
  unsigned char *cur;  /* next free byte in the current chunk (NULL: no chunk yet) */
  unsigned char *end;  /* end of the current chunk */
  uint64_t allocs;     /* successful allocations (stats.allocs) */
  uint64_t bytes_in;   /* bytes that entered `requested`: allocs, and growth by resize */
  uint64_t frees;      /* free calls (stats.frees) */
  uint64_t bytes_out;  /* bytes that left `requested`: frees, shrinks, reset, restore */
  uint64_t blocks_out; /* blocks dropped by reset / restore (live = allocs - frees - this) */
  size_t peak;         /* requested_peak as of the last decrease of requested (requested only
                          grows in between, so the stats call takes the max with it) */
  /* cold */
  mc_alloc parent;        /* where chunks come from */
  size_t chunk_size;      /* bytes, the first chunk's size (next_size doubles from it) */
  size_t next_size;       /* bytes, the next new chunk's size unless a request needs more */
  mc_arena_chunk *chunks; /* chunks in use, newest (current) first */
  mc_arena_chunk *spare;  /* chunks kept by reset(keep) / restore, reused before new ones */
  mc_arena_level *level;  /* innermost active mark, NULL when none */
  uint64_t seq;           /* counter ordering chunks and marks */
  uint64_t moved;         /* bytes of bytes_in that re-entered by a moving resize (not new) */
  mc_alloc_stats stats;   /* footprint = bytes of all chunks held from parent (spares too),
                             footprint_peak, failures, resets, misordered; the other fields
                             are derived from the hot counters by the stats call */
} mc_arena;

/* A position to come back to with mc_arena_restore. */
typedef struct mc_arena_mark {
  mc_arena_level *level; /* the record the save wrote (NULL: the save failed) */
  uint64_t id;           /* its sequence number, so that a stale mark is rejected */
} mc_arena_mark;

/* ---- life cycle -------------------------------------------------------------------------- */

/* Prepares a over parent; no memory is taken until the first allocation. chunk_size 0 means
 * MC_ARENA_CHUNK_DEFAULT. Returns MC_OK, or MC_EINVAL (a untouched) if chunk_size exceeds
 * MC_SIZE_MAX. REQUIRES: parent outlives a. */
int mc_arena_init(mc_arena *a, mc_alloc parent, size_t chunk_size);

/* Returns every chunk to the parent and leaves a zeroed (destroy again is a no-op). Accepts a
 * zeroed struct. Every block of the arena becomes invalid. */
void mc_arena_destroy(mc_arena *a);

/* Drops every block and every mark. keep_capacity != 0 keeps the chunks for reuse (footprint
 * unchanged); 0 returns them to the parent (footprint 0). The vtable's reset keeps capacity. */
void mc_arena_reset(mc_arena *a, int keep_capacity);

/* Returns the allocator over a. Vtable semantics:
 *  - alloc bumps in the current chunk, or reuses a spare chunk that fits, or opens a new chunk
 *    of max(next_size, what the request needs). next_size starts at chunk_size and doubles
 *    with every chunk opened, up to MC_ARENA_CHUNK_GROWTH_MAX, whatever the request: a
 *    request larger than next_size gets a chunk of its own size, and the chunk after it is
 *    the next step of the doubling sequence, not double the oversized one (one huge block
 *    does not inflate every later chunk). NULL + failures++ when the parent refuses, with
 *    nothing else changed;
 *  - free of the latest block (the one ending at the bump pointer) rolls the pointer back;
 *    any other free takes its bytes out of `requested` and counts stats.misordered: the bytes
 *    stay held until reset/restore;
 *  - resize of the latest block is in place while the chunk has room; otherwise a shrink is in
 *    place and a growth moves (the old block then counts as an other free);
 *  - every alignment 1..MC_ALIGN_MAX is honoured by padding inside the chunk. */
mc_alloc mc_arena_allocator(mc_arena *a);

/* ---- direct calls: the vtable's alloc and free, inline ----------------------------------- */

/* Exactly what mc_alloc_new / mc_alloc_free through mc_arena_allocator(a) do (same blocks,
 * same stats to the byte), without the indirect call: what a caller that knows its allocator
 * is an arena writes. The fast path is an align-up, a compare and three stores; a request
 * that does not fit the current chunk goes out of line. */
void *mc__arena_alloc_slow(mc_arena *a, size_t size, size_t align); /* private */
void mc__arena_free_slow(mc_arena *a, void *p, size_t size);        /* private */

#ifndef NDEBUG /* debug builds fill new blocks with 0xAA and freed ones with 0x55 */
#define MC__ARENA_FILL(p, byte, n) memset((p), (byte), (n))
#else
#define MC__ARENA_FILL(p, byte, n) ((void)0)
#endif

/* The fast path without the argument checks. REQUIRES: 0 < size <= MC_SIZE_MAX, align a
 * power of two <= MC_ALIGN_MAX (what the vtable receives). */
static inline void *mc__arena_bump(mc_arena *a, size_t size, size_t align) {
  uintptr_t p = ((uintptr_t)a->cur + align - 1) & ~(uintptr_t)(align - 1);
  /* no wrap: p is a user-space address and size <= MC_SIZE_MAX; cur == end == NULL fails too */
  if (__builtin_expect(p + size > (uintptr_t)a->end, 0))
    return mc__arena_alloc_slow(a, size, align);
  a->cur = (unsigned char *)p + size;
  a->allocs++;
  a->bytes_in += size;
  MC__ARENA_FILL((void *)p, 0xAA, size);
  return (void *)p;
}

/* Allocates size bytes aligned to align: the block, the zero token for size 0, or NULL on a
 * bad alignment or size > MC_SIZE_MAX (nothing counted) or when the parent refuses a chunk
 * (failures++). */
static inline void *mc_arena_alloc(mc_arena *a, size_t size, size_t align) {
  void *special;
  if (mc__alloc_special(size, align, &special)) return special;
  return mc__arena_bump(a, size, align);
}

/* Frees the block p of size bytes (as allocated or last resized): rolls back if it is the
 * latest block, else only counts (see mc_arena_allocator). p NULL or size 0: nothing.
 * mc__arena_free is the same without that check (REQUIRES: p non-NULL, size > 0). */
static inline void mc__arena_free(mc_arena *a, void *p, size_t size) { /* p, size checked */
  if (__builtin_expect((unsigned char *)p + size == a->cur, 1)) {      /* the latest block */
    size_t requested = (size_t)(a->bytes_in - a->bytes_out);
    if (requested > a->peak) a->peak = requested; /* requested is about to fall */
    a->cur = (unsigned char *)p;
    a->frees++;
    a->bytes_out += size;
    MC__ARENA_FILL(p, 0x55, size);
    return;
  }
  mc__arena_free_slow(a, p, size);
}
static inline void mc_arena_free(mc_arena *a, void *p, size_t size) {
  if (p && size != 0) mc__arena_free(a, p, size);
}

/* ---- cursor: the bump pointer in the caller's registers --------------------------------- */

/* mc_arena_alloc keeps the bump pointer and the counters in the arena, so a loop of
 * allocations waits on a store and a reload of each of them per block (the compiler must keep
 * them in memory: any pointer the caller stores could point into the arena, and the slow path
 * changes them). A cursor is a by-value copy of the current chunk's position plus the counts
 * of what was allocated through it; kept in a local whose address is never taken, it lives in
 * registers (a TLAB, in JVM terms). Blocks, and the arena's stats once the cursor is closed,
 * are exactly those of the same mc_arena_alloc calls.
 *
 *   mc_arena_cursor c = mc_arena_cursor_open(a);
 *   for (...) node = mc_arena_cursor_alloc(a, &c, sizeof *node, alignof(struct node));
 *   mc_arena_cursor_close(a, c);
 *
 * REQUIRES: between open and close, a is used only through that cursor (no other alloc, free,
 * resize, stats, reset, save or restore on a, and no second cursor); close exactly once. */
typedef struct mc_arena_cursor {
  unsigned char *cur; /* next free byte of the current chunk (as a->cur) */
  unsigned char *end; /* end of that chunk (as a->end) */
  uint64_t allocs;    /* allocations made through the cursor since it was last synced */
  uint64_t bytes;     /* their bytes */
} mc_arena_cursor;

static inline mc_arena_cursor mc_arena_cursor_open(const mc_arena *a) {
  return (mc_arena_cursor){a->cur, a->end, 0, 0};
}

/* Hands the cursor's position and counts back to a: after it, a is as if every cursor
 * allocation had been an mc_arena_alloc. */
static inline void mc_arena_cursor_close(mc_arena *a, mc_arena_cursor c) {
  a->cur = c.cur;
  a->allocs += c.allocs;
  a->bytes_in += c.bytes;
}

typedef struct mc__arena_refill { /* private: what the out-of-line part hands back */
  mc_arena_cursor cursor;         /* reopened on the (maybe new) current chunk */
  void *block;                    /* the block, or NULL (failures counted in the arena) */
} mc__arena_refill;
/* private: closes c into a, allocates out of line (a new chunk), reopens. By value both ways,
 * so that the caller's cursor never has its address taken. */
mc__arena_refill mc__arena_cursor_refill(mc_arena *a, mc_arena_cursor c, size_t size, size_t align);

/* mc_arena_alloc through the cursor c of a: the same block, the zero token for size 0, or NULL
 * (bad alignment or size > MC_SIZE_MAX: nothing counted; the parent refused a chunk:
 * failures++ in a). The fast path is an align-up, a compare and register updates. */
static inline void *mc_arena_cursor_alloc(mc_arena *a, mc_arena_cursor *c, size_t size,
                                          size_t align) {
  void *special;
  if (mc__alloc_special(size, align, &special)) return special;
  uintptr_t p = ((uintptr_t)c->cur + align - 1) & ~(uintptr_t)(align - 1);
  if (__builtin_expect(p + size > (uintptr_t)c->end, 0)) { /* also: no chunk yet (NULL, NULL) */
    mc__arena_refill r = mc__arena_cursor_refill(a, *c, size, align);
    *c = r.cursor;
    return r.block;
  }
  c->cur = (unsigned char *)p + size;
  c->allocs++;
  c->bytes += size;
  MC__ARENA_FILL((void *)p, 0xAA, size);
  return (void *)p;
}

/* ---- marks ------------------------------------------------------------------------------- */

/* Saves the current position (writing a small record into the arena, overhead in footprint).
 * Returns MC_OK, or MC_ENOMEM with *out zeroed and nothing changed (failures++). */
int mc_arena_save(mc_arena *a, mc_arena_mark *out);

/* Drops every block allocated since mark's save (they leave `requested` and `live`) and every
 * mark saved after it; chunks opened since become spares (footprint unchanged). Blocks from
 * before the save are kept. Returns MC_OK, or MC_EINVAL with nothing changed if mark is not an
 * active mark of a (already restored, or dropped by reset). */
int mc_arena_restore(mc_arena *a, mc_arena_mark mark);

#ifdef __cplusplus
}
#endif
#endif /* MC_ARENA_H */
