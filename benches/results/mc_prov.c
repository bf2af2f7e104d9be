/* mc_prov.c — provenance per run (see mc_prov.h). */
#define _POSIX_C_SOURCE 200809L
#include "mc_prov.h"

#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#ifndef MC_VERSION
#define MC_VERSION "unknown"
#endif

void mc_prov_from_meta(mc_result_prov *p, const mc_result_meta *m) {
  memset(p, 0, sizeof *p);
  snprintf(p->host, sizeof p->host, "%s", m->host);
  snprintf(p->cpu, sizeof p->cpu, "%s", m->cpu);
  snprintf(p->compiler, sizeof p->compiler, "%s", m->compiler);
  snprintf(p->cflags, sizeof p->cflags, "%s", m->cflags);
  snprintf(p->library_versions, sizeof p->library_versions, "%s", m->library_versions);
  snprintf(p->command_line, sizeof p->command_line, "%s", m->command_line);
}

void mc_prov_self(mc_result_prov *p, const mc_result_meta *m) {
  mc_prov_from_meta(p, m);
  struct utsname u;
  if (uname(&u) == 0)
    snprintf(p->kernel, sizeof p->kernel, "%.20s %.40s %.40s %.20s", u.sysname, u.release,
             u.version, u.machine);
  snprintf(p->version, sizeof p->version, "%s", MC_VERSION);
}

int mc_prov_same(const mc_result_prov *a, const mc_result_prov *b) {
  return !strcmp(a->host, b->host) && !strcmp(a->cpu, b->cpu) && !strcmp(a->kernel, b->kernel) &&
         !strcmp(a->compiler, b->compiler) && !strcmp(a->cflags, b->cflags) &&
         !strcmp(a->library_versions, b->library_versions) && !strcmp(a->version, b->version) &&
         !strcmp(a->command_line, b->command_line);
}

static uint64_t fnv(uint64_t h, const char *s) {
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
  return (h ^ 0xff) * 0x100000001b3ull; /* a field separator */
}

uint64_t mc_prov_hash(const mc_result_prov *p) {
  uint64_t h = 0xcbf29ce484222325ull;
  const char *f[] = {p->host,   p->cpu,     p->kernel,           p->compiler,
                     p->cflags, p->version, p->library_versions, p->command_line};
  for (size_t i = 0; i < sizeof f / sizeof *f; i++) h = fnv(h, f[i]);
  return h;
}

const char *mc_prov_host_of(const mc_results *r, const char *structure, const char *workload,
                            const char *allocator, uint64_t n) {
  for (size_t i = 0; i < r->nruns; i++) {
    const mc_result_run *x = &r->runs[i];
    if (x->n == n && !strcmp(x->structure, structure) && !strcmp(x->workload, workload) &&
        !strcmp(x->allocator, allocator))
      return x->prov ? x->prov->host : "";
  }
  return "";
}

size_t mc_prov_hosts(const mc_results *r, char *buf, size_t size) {
  size_t n = 0, k = 0;
  if (buf && size) buf[0] = '\0';
  for (size_t i = 0; i < r->nprov; i++) {
    size_t j = 0;
    while (j < i && strcmp(r->prov[j].host, r->prov[i].host)) j++;
    if (j < i) continue; /* seen */
    n++;
    if (buf && k < size)
      k += (size_t)snprintf(buf + k, size - k, "%s%s", n > 1 ? ", " : "", r->prov[i].host);
  }
  return n;
}
