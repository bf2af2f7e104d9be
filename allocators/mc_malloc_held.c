/* mc_malloc_held.c — which malloc serves the process, and what it holds by its own accounting.
 *
 * Detection (once, cached): a malloc is recognised by its statistics entry point found with
 * dlsym(RTLD_DEFAULT, ...) — mallctl (jemalloc), mi_process_info (mimalloc),
 * MallocExtension_GetNumericProperty (tcmalloc), __sanitizer_get_heap_size (ASan/UBSan's
 * runtime, which replaces malloc) — and accepted only if that entry point lives in the same
 * shared object as the `malloc` the process resolves (dladdr): a library that merely links
 * jemalloc without being the process's malloc is not taken for it. Otherwise glibc.
 *
 * The cache is a state word published with release/acquire after the function pointers are
 * stored: two threads racing on the first call compute the same answer, so the race is benign.
 * jemalloc's names are turned into MIBs once (mallctlnametomib), so a read is two
 * mallctlbymib calls without string parsing. See mc_malloc_held.h for what each figure counts. */
#define _GNU_SOURCE /* RTLD_DEFAULT, dladdr */
#include "mc_malloc_held.h"

#include <dlfcn.h>
#include <malloc.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

enum { IMPL_UNKNOWN = 0, IMPL_GLIBC, IMPL_JEMALLOC, IMPL_MIMALLOC, IMPL_TCMALLOC, IMPL_ASAN };

typedef int (*mallctl_fn)(const char *, void *, size_t *, void *, size_t);
typedef int (*mallctlnametomib_fn)(const char *, size_t *, size_t *);
typedef int (*mallctlbymib_fn)(const size_t *, size_t, void *, size_t *, void *, size_t);
typedef void (*mi_process_info_fn)(size_t *, size_t *, size_t *, size_t *, size_t *, size_t *,
                                   size_t *, size_t *);
typedef void (*mi_collect_fn)(_Bool);
typedef int (*tc_getprop_fn)(const char *, size_t *);
typedef void (*tc_release_fn)(void);
typedef size_t (*san_heap_fn)(void);

static struct {
  mallctl_fn mallctl;
  mallctlbymib_fn bymib;
  size_t epoch_mib[1], resident_mib[2]; /* "epoch", "stats.resident" */
  int have_mibs;
  mi_process_info_fn mi_info;
  mi_collect_fn mi_collect;
  tc_getprop_fn tc_get;
  tc_release_fn tc_release;
  san_heap_fn san_heap;
} fns;
static _Atomic int impl_state; /* IMPL_*, 0 until detected */

/* The object (its load base) that defines the code at addr, or NULL. */
static void *object_of(void *addr) {
  Dl_info info;
  if (!addr || !dladdr(addr, &info)) return NULL;
  return info.dli_fbase;
}

/* sym's address if it is defined in the same object as the process's malloc, else NULL. */
static void *sym_beside_malloc(const char *sym, void *malloc_obj) {
  void *p = dlsym(RTLD_DEFAULT, sym);
  return p && object_of(p) == malloc_obj ? p : NULL;
}

static void jemalloc_mibs(void) {
  mallctlnametomib_fn tomib = (mallctlnametomib_fn)dlsym(RTLD_DEFAULT, "mallctlnametomib");
  fns.bymib = (mallctlbymib_fn)dlsym(RTLD_DEFAULT, "mallctlbymib");
  size_t n1 = 1, n2 = 2;
  fns.have_mibs = tomib && fns.bymib && tomib("epoch", fns.epoch_mib, &n1) == 0 &&
                  tomib("stats.resident", fns.resident_mib, &n2) == 0;
}

static int detect(void) {
  int state = atomic_load_explicit(&impl_state, memory_order_acquire);
  if (state != IMPL_UNKNOWN) return state;
  void *mobj = object_of(dlsym(RTLD_DEFAULT, "malloc"));
  void *p;
  if ((p = dlsym(RTLD_DEFAULT, "__sanitizer_get_heap_size")) != NULL &&
      dlsym(RTLD_DEFAULT, "__asan_init") != NULL) {
    /* the sanitizer runtime replaces malloc whatever object `malloc` resolves to */
    fns.san_heap = (san_heap_fn)p;
    state = IMPL_ASAN;
  } else if ((p = sym_beside_malloc("mallctl", mobj)) != NULL) {
    fns.mallctl = (mallctl_fn)p;
    jemalloc_mibs();
    state = IMPL_JEMALLOC;
  } else if ((p = sym_beside_malloc("mi_process_info", mobj)) != NULL) {
    fns.mi_info = (mi_process_info_fn)p;
    fns.mi_collect = (mi_collect_fn)dlsym(RTLD_DEFAULT, "mi_collect");
    state = IMPL_MIMALLOC;
  } else if ((p = sym_beside_malloc("MallocExtension_GetNumericProperty", mobj)) != NULL) {
    fns.tc_get = (tc_getprop_fn)p;
    fns.tc_release = (tc_release_fn)dlsym(RTLD_DEFAULT, "MallocExtension_ReleaseFreeMemory");
    state = IMPL_TCMALLOC;
  } else {
    state = IMPL_GLIBC;
  }
  atomic_store_explicit(&impl_state, state, memory_order_release);
  return state;
}

static const char *const impl_names[] = {"unknown",  "glibc",    "jemalloc",
                                         "mimalloc", "tcmalloc", "asan"};

const char *mc_malloc_impl(void) { return impl_names[detect()]; }

/* ---- one reader per malloc ------------------------------------------------------------- */

static int held_glibc(size_t *held) {
  struct mallinfo2 mi = mallinfo2();
  *held = mi.arena + mi.hblkhd;
  return MC_OK;
}

static int held_jemalloc(size_t *held) {
  uint64_t epoch = 1;
  size_t esz = sizeof epoch, v, vsz = sizeof v;
  int r;
  if (fns.have_mibs) {
    /* writing the epoch makes jemalloc merge every arena's counters into the stats tree */
    if (fns.bymib(fns.epoch_mib, 1, &epoch, &esz, &epoch, esz) != 0) return MC_EIO;
    r = fns.bymib(fns.resident_mib, 2, &v, &vsz, NULL, 0);
  } else {
    if (fns.mallctl("epoch", &epoch, &esz, &epoch, esz) != 0) return MC_EIO;
    r = fns.mallctl("stats.resident", &v, &vsz, NULL, 0);
  }
  if (r != 0) return MC_ENOTSUP; /* ENOENT: built without --enable-stats */
  *held = v;
  return MC_OK;
}

static int held_mimalloc(size_t *held) {
  size_t commit = 0;
  fns.mi_info(NULL, NULL, NULL, NULL, NULL, &commit, NULL, NULL);
  *held = commit;
  return MC_OK;
}

/* tcmalloc's own "physical" figure: the page heap it has mapped (spans in use, free spans and
 * the caches) less what it has unmapped, plus its metadata (span records, the page map), which
 * it holds from the OS too: a page-map node can add megabytes, depending on where the heap
 * lands in the address space. */
static int held_tcmalloc(size_t *held) {
  return fns.tc_get("generic.total_physical_bytes", held) ? MC_OK : MC_EIO;
}

static const char *const what[] = {
    NULL,
    "mallinfo2 arena + hblkhd: sbrk heap and arena heaps incl. free chunks, plus mmap'd chunks",
    "stats.resident: active, dirty (unpurged) and metadata pages",
    "mi_process_info current_commit: committed segment bytes",
    "total_physical_bytes: mapped page heap incl. caches and free spans, plus metadata",
    "__sanitizer_get_heap_size: bytes mapped by the sanitizer's allocator",
};

int mc_malloc_held(mc_malloc_held_info *out) {
  int impl = detect();
  size_t held = 0;
  int r;
  switch (impl) {
  case IMPL_GLIBC: r = held_glibc(&held); break;
  case IMPL_JEMALLOC: r = held_jemalloc(&held); break;
  case IMPL_MIMALLOC: r = held_mimalloc(&held); break;
  case IMPL_TCMALLOC: r = held_tcmalloc(&held); break;
  case IMPL_ASAN:
    held = fns.san_heap();
    r = MC_OK;
    break;
  default: r = MC_ENOTSUP; break;
  }
  if (r != MC_OK) return r;
  out->held = held;
  out->impl = impl_names[impl];
  out->what = what[impl];
  return MC_OK;
}

/* ---- giving memory back now ------------------------------------------------------------ */

static int release_jemalloc(void) {
  /* the calling thread's tcache keeps small regions (and so their slabs) active: flush it
   * first; arena 4096 is MALLCTL_ARENAS_ALL */
  if (fns.mallctl("thread.tcache.flush", NULL, NULL, NULL, 0) != 0) return MC_EIO;
  if (fns.mallctl("arena.4096.purge", NULL, NULL, NULL, 0) != 0) return MC_EIO;
  return MC_OK;
}

int mc_malloc_release(void) {
  switch (detect()) {
  case IMPL_GLIBC: malloc_trim(0); return MC_OK;
  case IMPL_JEMALLOC: return release_jemalloc();
  case IMPL_MIMALLOC:
    if (!fns.mi_collect) return MC_ENOTSUP;
    fns.mi_collect(1);
    return MC_OK;
  case IMPL_TCMALLOC:
    if (!fns.tc_release) return MC_ENOTSUP;
    fns.tc_release();
    return MC_OK;
  default: return MC_ENOTSUP;
  }
}
