/* mc_arena.h — the arena allocator: bump allocation in growing chunks taken from a parent
 * allocator; reset releases everything at once (keeping the capacity or not); temporary marks;
 * freeing the latest block rolls back, any other free only counts. */
#ifndef MC_ARENA_H
#define MC_ARENA_H

#include "mc_alloc.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MC_ARENA_CHUNK_DEFAULT ((size_t)65536)    /* bytes, first chunk when 0 is given */
#define MC_ARENA_CHUNK_GROWTH_MAX ((size_t)1 << 24) /* bytes: chunks double up to 16 MiB */

typedef struct mc_arena_chunk mc_arena_chunk; /* private: a chunk header, inside the chunk */
typedef struct mc_arena_level mc_arena_level; /* private: a mark record, inside the arena */

typedef struct mc_arena {
  mc_alloc parent;        /* where chunks come from */
  size_t chunk_size;      /* bytes, the first chunk's size (later ones double) */
  size_t next_size;       /* bytes, the size the next new chunk will have (at least) */
  unsigned char *cur;     /* next free byte in the current chunk (NULL: no chunk yet) */
  unsigned char *end;     /* end of the current chunk */
  mc_arena_chunk *chunks; /* chunks in use, newest (current) first */
  mc_arena_chunk *spare;  /* chunks kept by reset(keep) / restore, reused before new ones */
  mc_arena_level *level;  /* innermost active mark, NULL when none */
  uint64_t seq;           /* counter ordering chunks and marks */
  mc_alloc_stats stats;   /* footprint = bytes of all chunks held from parent (spares too) */
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
 *  - alloc bumps in the current chunk, or opens a new chunk (at least double the previous one,
 *    up to MC_ARENA_CHUNK_GROWTH_MAX, always big enough for the request); NULL + failures++
 *    when the parent refuses, with nothing else changed;
 *  - free of the latest block (the one ending at the bump pointer) rolls the pointer back;
 *    any other free takes its bytes out of `requested` and counts stats.misordered: the bytes
 *    stay held until reset/restore;
 *  - resize of the latest block is in place while the chunk has room; otherwise a shrink is in
 *    place and a growth moves (the old block then counts as an other free);
 *  - every alignment 1..MC_ALIGN_MAX is honoured by padding inside the chunk. */
mc_alloc mc_arena_allocator(mc_arena *a);

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
