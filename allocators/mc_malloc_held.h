/* mc_malloc_held.h — "held" for the process's malloc: the bytes the malloc in use (glibc, or a
 * jemalloc/mimalloc/tcmalloc put in front of it with LD_PRELOAD) holds from the OS and has not
 * given back, by that malloc's own accounting. The malloc is found at run time (dlsym), so the
 * same binary reports for whichever one the harness preloaded.
 *
 * WHAT "held" COUNTS, PER MALLOC (DESIGN.md, "Memory: three quantities")
 *
 *  glibc     mallinfo2(): arena + hblkhd. `arena` is every arena's heap: the main arena's
 *            sbrk'd space (brk - heap start, so free chunks and the untrimmed top chunk
 *            included) plus the mmap'd heaps of the other (thread) arenas; `hblkhd` the
 *            chunks mmap'd one by one (requests above M_MMAP_THRESHOLD). Free pages inside the
 *            heap that malloc_trim gave back with MADV_DONTNEED are still counted (glibc keeps
 *            no count of them): after a malloc_trim held can exceed resident.
 *  jemalloc  mallctl "stats.resident" after an "epoch" refresh: pages of active extents,
 *            unused dirty pages not yet purged (decay: opt.dirty_decay_ms, 10 s by default) and
 *            metadata. Not "stats.mapped", which leaves out the dirty pages of inactive extents
 *            — memory jemalloc still holds and the kernel still backs, the very thing a decaying
 *            allocator keeps after a free. Retained virtual memory (opt.retain) is not counted:
 *            it is purged, not resident. resident is an upper bound: a page counts once jemalloc
 *            wrote or handed it out, even if the application never touched it.
 *  mimalloc  mi_process_info(): current_commit, the bytes of segments mimalloc committed and has
 *            not decommitted (pages it only reset with MADV_FREE stay counted until decommit).
 *            Committed is not backed: Debian's 2.0.9 commits its first 32 MiB segment at the
 *            first allocation, so held starts at 32 MiB while the kernel backs only what was
 *            touched; compare growth, not absolute figures, with resident.
 *  tcmalloc  MallocExtension_GetNumericProperty: "generic.total_physical_bytes", the page heap
 *            less the spans released to the OS (live objects, thread and central caches, free
 *            spans not yet released) plus tcmalloc's metadata (span records, page-map nodes,
 *            which the kernel backs as well: one page-map node can be megabytes).
 *
 * Not this module's, but the same quantity for the rest (their stats' footprint, mc_alloc.h):
 *  arena     every chunk taken from the parent (spares kept by reset/restore too), the current
 *            one in full: its unused tail is held but, never written, not yet resident.
 *  pool      every slab (kept until destroy, even when all its slots are free) plus fallback
 *            blocks as asked of the parent.
 *  stack     top: the part of the caller's region in use (blocks, 24-byte headers, padding,
 *            out-of-order-freed blocks). The region itself is the caller's and stays resident.
 *  gc        the 64 KiB pages, large blocks and tables asked of the backing allocator; emptied
 *            pages kept as spares count until a full collection gives them back. The backing
 *            malloc's own cost for 64 KiB-aligned pages is not in it (glibc's is ~2x address
 *            space, ~1/8 more resident).
 *  boehm     GC_get_heap_size(): heap bytes minus the unmapped ones (libgc 8.2 already
 *            subtracts them), free blocks included; libgc's private structures (headers, mark
 *            bits) are left out.
 *
 * Under ASan/UBSan the sanitizer's allocator replaces malloc: impl is then "asan" and held its
 * __sanitizer_get_heap_size() (bytes mapped by that allocator), and mc_malloc_release answers
 * MC_ENOTSUP. Under valgrind's memcheck, malloc is valgrind's replacement, which the lookup
 * cannot see (the symbols still resolve to glibc): impl says "glibc" but held stays near its
 * start value. Known limitation; memcheck runs leave test_held out for that reason.
 *
 * COST PER CALL (tests/allocators/test_held.c prints it; RelWithDebInfo, this project's shared
 * 2-core machine under load, so an upper range): glibc 0.2-0.4 us with a million live 64-byte
 * blocks, but 17-24 ms right after freeing them: mallinfo2 walks every free chunk in the fast
 * bins and bins of every arena to fill fordblks, and a million freed 64-byte blocks are a
 * million fast-bin chunks (about 20 ns each); jemalloc 11-28 us (the "epoch" write merges
 * every arena's statistics: 8 arenas on 2 CPUs); mimalloc 0.5-0.8 us; tcmalloc 6-13 us. The
 * curve pass calls it once per sample (stride-based, up to about 2048 samples a run), never
 * per operation: at 2048 samples jemalloc costs about 25-60 ms a run, and glibc after a mass
 * free can cost seconds — the sampler must watch its own time (a sample's cost against the
 * 3 % budget) rather than assume this call is cheap. */
#ifndef MC_MALLOC_HELD_H
#define MC_MALLOC_HELD_H

#include <stddef.h>

#include "mc_error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mc_malloc_held_info {
  size_t held;      /* bytes the malloc holds from the OS and has not given back */
  const char *impl; /* static: "glibc", "jemalloc", "mimalloc", "tcmalloc" (or "asan") */
  const char *what; /* static: one short phrase saying what held counts */
} mc_malloc_held_info;

/* Fills *out for the malloc in this process. Returns MC_OK, or MC_ENOTSUP when the malloc's
 * statistics are not available (jemalloc built without stats: Debian's libjemalloc2 5.3.0 has
 * them, config.stats true) or MC_EIO when the malloc refused the query; *out is then
 * unchanged. The first call looks the malloc up (dlsym) and caches it; later calls only read.
 * Thread-safe. Never prints, never aborts. */
int mc_malloc_held(mc_malloc_held_info *out);

/* Which malloc serves this process: "glibc", "jemalloc", "mimalloc", "tcmalloc" or "asan"
 * (static), the same as mc_malloc_held's impl. Cannot fail. */
const char *mc_malloc_impl(void);

/* Asks the malloc in use to give back to the OS, now, the memory it keeps free (what its decay
 * or trimming would give back later, or never): glibc malloc_trim(0), jemalloc
 * "arena.<MALLCTL_ARENAS_ALL>.purge", mimalloc mi_collect(true), tcmalloc
 * MallocExtension_ReleaseFreeMemory(). Returns MC_OK, MC_ENOTSUP or MC_EIO as above. For tests
 * and for measuring what an allocator keeps; a curve pass does not call it. */
int mc_malloc_release(void);

#ifdef __cplusplus
}
#endif
#endif /* MC_MALLOC_HELD_H */
