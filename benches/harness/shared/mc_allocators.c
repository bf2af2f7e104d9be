/* mc_allocators.c — the allocator table (see mc_allocators.h) and each row's open/close.
 * Every in-process allocator stands over a tracked system allocator held in the env (its
 * accounting is what the curve's parent bytes and the benchmarks' counters read); the
 * collected heaps differ only in their configuration (Python's gc module: "gc-off" is
 * gc.disable(), "gc-saveall" DEBUG_SAVEALL, "gc-torture" a collection at every allocation;
 * the "rc" rows are the same under the reference-counting model, where "rc-off" stops only the
 * cycle detector: counting still frees acyclic garbage, as in CPython).
 */
#include "mc_allocators.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t stack_bytes = (size_t)64 << 20; /* untouched pages cost nothing */

void mc_allocators_set_stack_bytes(size_t bytes) { stack_bytes = bytes; }

static void env_reset(mc_al_env *e) {
  memset(e, 0, sizeof *e);
  mc_system_init(&e->sys);
  e->al = mc_system_allocator(&e->sys);
}

static int open_system(mc_al_env *e) {
  env_reset(e); /* preloaded mallocs too: the runner has put them under malloc */
  return MC_OK;
}

static void close_nothing(mc_al_env *e) { (void)e; }

static int open_stack(mc_al_env *e) {
  env_reset(e);
  e->region = malloc(stack_bytes);
  if (!e->region) return MC_ENOMEM;
  int rc = mc_stack_init(&e->u.stack, e->region, stack_bytes);
  if (rc != MC_OK) {
    free(e->region);
    return rc;
  }
  e->al = mc_stack_allocator(&e->u.stack);
  return MC_OK;
}

static void close_stack(mc_al_env *e) { free(e->region); }

static int open_arena(mc_al_env *e) {
  env_reset(e);
  int rc = mc_arena_init(&e->u.arena, mc_system_allocator(&e->sys), 0);
  if (rc == MC_OK) e->al = mc_arena_allocator(&e->u.arena);
  return rc;
}

static void close_arena(mc_al_env *e) { mc_arena_destroy(&e->u.arena); }

static int open_pool(mc_al_env *e) {
  env_reset(e);
  int rc = mc_pool_init(&e->u.pool, mc_system_allocator(&e->sys), NULL, 0, 0);
  if (rc == MC_OK) e->al = mc_pool_allocator(&e->u.pool);
  return rc;
}

static void close_pool(mc_al_env *e) { mc_pool_destroy(&e->u.pool); }

static int open_counting(mc_al_env *e) {
  env_reset(e);
  mc_counting_init(&e->u.counting, mc_system_allocator(&e->sys));
  e->al = mc_counting_allocator(&e->u.counting);
  return MC_OK;
}

static int open_failing(mc_al_env *e) {
  env_reset(e);
  mc_failing_init(&e->u.failing, mc_system_allocator(&e->sys), UINT64_MAX, 0); /* never fails */
  e->al = mc_failing_allocator(&e->u.failing);
  return MC_OK;
}

enum { GC_ON, GC_OFF, GC_SAVEALL, GC_TORTURE, RC = 8 }; /* RC: or'ed in, the counting model */

static int open_gc_variant(mc_al_env *e, int variant) {
  env_reset(e);
  mc_gc_config cfg;
  if (variant & RC)
    mc_gc_config_refcount(&cfg);
  else
    mc_gc_config_default(&cfg);
  variant &= ~RC;
  cfg.torture = variant == GC_TORTURE;
  int rc = mc_gc_new(&e->gc, mc_system_allocator(&e->sys), &cfg);
  if (rc != MC_OK) return rc;
  if (variant == GC_OFF)
    mc_gc_disable(e->gc);
  else if (variant == GC_SAVEALL)
    mc_gc_set_debug(e->gc, MC_GC_DEBUG_SAVEALL);
  e->al = mc_gc_allocator(e->gc);
  return MC_OK;
}

static int open_gc(mc_al_env *e) { return open_gc_variant(e, GC_ON); }
static int open_gc_off(mc_al_env *e) { return open_gc_variant(e, GC_OFF); }
static int open_gc_saveall(mc_al_env *e) { return open_gc_variant(e, GC_SAVEALL); }
static int open_gc_torture(mc_al_env *e) { return open_gc_variant(e, GC_TORTURE); }
static int open_rc(mc_al_env *e) { return open_gc_variant(e, RC | GC_ON); }
static int open_rc_off(mc_al_env *e) { return open_gc_variant(e, RC | GC_OFF); }
static int open_rc_saveall(mc_al_env *e) { return open_gc_variant(e, RC | GC_SAVEALL); }
static int open_rc_torture(mc_al_env *e) { return open_gc_variant(e, RC | GC_TORTURE); }
static void close_gc(mc_al_env *e) { mc_gc_free(e->gc); }

static int open_boehm(mc_al_env *e) {
  env_reset(e);
  mc_boehm_init(&e->u.boehm);
  e->al = mc_boehm_allocator(&e->u.boehm);
  return MC_OK;
}

#define LIBDIR "/usr/lib/x86_64-linux-gnu/"
#define CURVES MC_AL_CURVES
#define TESTS MC_AL_TESTS
#define GBENCH MC_AL_GBENCH
#define SUITES (MC_AL_CURVES | MC_AL_SUITES)
#define PRE(lib) MC_AL_PRELOAD, LIBDIR lib
#define IN MC_AL_INPROCESS, NULL
#define MANAGED (MC_AL_MANAGED | MC_AL_COLLECTED)
#define MALLOC MC_AL_MALLOC
#define RCOUNT (MANAGED | MC_AL_REFCOUNT)

/* name, open, close, flags, chart order (the place charts give it: the eight distinct colours
 * go to the allocators that share the structure charts; -1: tests only, never in a results
 * file), how it is loaded. */
const mc_allocator mc_allocators[] = {
    {"system", open_system, close_nothing, MALLOC | SUITES | TESTS | GBENCH, 0, IN},
    {"jemalloc", open_system, close_nothing, MALLOC | MC_AL_OUTSIDE | SUITES, 1,
     PRE("libjemalloc.so.2")},
    {"mimalloc", open_system, close_nothing, MALLOC | MC_AL_OUTSIDE | SUITES, 2,
     PRE("libmimalloc.so.2")},
    {"tcmalloc", open_system, close_nothing, MALLOC | MC_AL_OUTSIDE | SUITES, 3,
     PRE("libtcmalloc_minimal.so.4")},
    {"stack", open_stack, close_stack, MC_AL_BOUNDED | MC_AL_LIFO | SUITES | TESTS | GBENCH, 4, IN},
    {"arena", open_arena, close_arena, MC_AL_NOFREE | SUITES | TESTS | GBENCH, 5, IN},
    {"pool", open_pool, close_pool, SUITES | TESTS | GBENCH, 6, IN},
    {"counting(system)", open_counting, close_nothing, TESTS, -1, IN},
    {"failing(system)", open_failing, close_nothing, TESTS, -1, IN},
    {"gc", open_gc, close_gc, MANAGED | SUITES | TESTS, 7, IN},
    {"gc-off", open_gc_off, close_gc, MANAGED | MC_AL_GC_OFF | CURVES, 9, IN},
    {"gc-saveall", open_gc_saveall, close_gc, MANAGED | MC_AL_SAVEALL | CURVES, 10, IN},
    {"gc-torture", open_gc_torture, close_gc, MANAGED | MC_AL_SLOW | TESTS, -1, IN},
    {"rc", open_rc, close_gc, RCOUNT | SUITES | TESTS, 11, IN},
    {"rc-off", open_rc_off, close_gc, RCOUNT | MC_AL_GC_OFF | CURVES, 12, IN},
    {"rc-saveall", open_rc_saveall, close_gc, RCOUNT | MC_AL_SAVEALL | CURVES, 13, IN},
    {"rc-torture", open_rc_torture, close_gc, RCOUNT | MC_AL_SLOW | TESTS, -1, IN},
    {"boehm", open_boehm, close_nothing, MC_AL_COLLECTED | MC_AL_OUTSIDE | MC_AL_LIBGC | SUITES, 8,
     IN},
    {NULL, NULL, NULL, 0, -1, IN},
};

int mc_allocator_index(const char *name) {
  for (int i = 0; mc_allocators[i].name; i++)
    if (strcmp(mc_allocators[i].name, name) == 0) return i;
  return -1;
}

const mc_allocator *mc_allocator_find(const char *name) {
  int i = mc_allocator_index(name);
  return i < 0 ? NULL : &mc_allocators[i];
}

size_t mc_allocator_names(unsigned flags, const char **out, size_t cap) {
  size_t n = 0;
  for (const mc_allocator *a = mc_allocators; a->name && n + 1 < cap; a++)
    if ((a->flags & flags) == flags) out[n++] = a->name;
  if (cap) out[n] = NULL;
  return n;
}

int mc_allocator_preloads(char *buf, size_t size) {
  size_t k = 0;
  if (size == 0) return MC_ERANGE;
  buf[0] = '\0';
  for (const mc_allocator *a = mc_allocators; a->name; a++) {
    if (a->load != MC_AL_PRELOAD || !a->preload) continue;
    const char *base = strrchr(a->preload, '/'), *so;
    base = base ? base + 1 : a->preload;
    if (strncmp(base, "lib", 3) == 0) base += 3;
    so = strstr(base, ".so");
    int len = so ? (int)(so - base) : (int)strlen(base);
    const char *ver = so && so[3] == '.' ? so + 4 : "";
    int m =
        snprintf(buf + k, size - k, "%s%.*s%s%s", k ? ", " : "", len, base, *ver ? " " : "", ver);
    if (m < 0 || (size_t)m >= size - k) return buf[k] = '\0', MC_ERANGE;
    k += (size_t)m;
  }
  return MC_OK;
}
