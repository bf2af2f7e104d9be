/* mc_prov.h — provenance per run (mc_result_prov): this process's own (host, CPU, kernel,
 * compiler, libraries, memcurve version, command line), the one an older file implies (its root
 * attributes), and the questions readers ask of it: which host measured a run, and how many
 * hosts a file's runs came from. Timings are compared only between runs of one host; memory
 * figures are host-independent for the same build. */
#ifndef MC_PROV_H
#define MC_PROV_H

#include <stddef.h>
#include <stdint.h>

#include "mc_result.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The provenance a file's root attributes imply (files without /provenance): every field of m
 * that has one; kernel and version are "" (unknown). */
void mc_prov_from_meta(mc_result_prov *p, const mc_result_meta *m);

/* This process's provenance for runs written under meta m: mc_prov_from_meta, plus the kernel
 * (uname) and memcurve's version. */
void mc_prov_self(mc_result_prov *p, const mc_result_meta *m);

/* 1 if a and b are the same text field by field. */
int mc_prov_same(const mc_result_prov *a, const mc_result_prov *b);

/* A hash of every field (FNV-1a), equal for mc_prov_same provenances. */
uint64_t mc_prov_hash(const mc_result_prov *p);

/* The host that measured run (structure, workload, allocator, n) of r; "" when r has no such
 * run or the run has no provenance. Linear in r's runs. */
const char *mc_prov_host_of(const mc_results *r, const char *structure, const char *workload,
                            const char *allocator, uint64_t n);

/* The number of distinct hosts among r's provenances; with buf, their names joined by ", "
 * (cut to size bytes, NUL-terminated). */
size_t mc_prov_hosts(const mc_results *r, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif /* MC_PROV_H */
