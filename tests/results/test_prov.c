/* test_prov.c — provenance per run: the writer's own row (host, kernel, version, libraries),
 * rows given per run kept and shared (one row per distinct provenance, as merge writes them),
 * files without /provenance reading one row from their root attributes, and the host queries. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mc_h5.h"
#include "mc_prov.h"
#include "testutil.h"

static mc_result_meta meta(void) {
  mc_result_meta m;
  memset(&m, 0, sizeof m);
  m.schema_version = MC_H5_SCHEMA;
  snprintf(m.host, sizeof m.host, "writerhost");
  snprintf(m.cpu, sizeof m.cpu, "test cpu");
  snprintf(m.library_versions, sizeof m.library_versions, "memcurve test");
  snprintf(m.command_line, sizeof m.command_line, "test_prov run");
  return m;
}

static mc_result_run run(const char *allocator, const mc_result_prov *p) {
  mc_result_run r;
  memset(&r, 0, sizeof r);
  snprintf(r.structure, sizeof r.structure, "list");
  snprintf(r.workload, sizeof r.workload, "fill");
  snprintf(r.allocator, sizeof r.allocator, "%s", allocator);
  r.n = 100;
  r.ok = 1;
  r.prov = p;
  return r;
}

static void test_prov_rows_written_and_shared(void) {
  char path[256], err[200];
  snprintf(path, sizeof path, "%s/p.h5", mc_test_dir());
  mc_result_meta m = meta();
  mc_result_prov b, b2;
  memset(&b, 0, sizeof b);
  snprintf(b.host, sizeof b.host, "nodeB");
  snprintf(b.command_line, sizeof b.command_line, "memcurve run --shard 2/2");
  b2 = b; /* the same text at another address: the same row */
  mc_h5_writer *w;
  CU_ASSERT_FATAL(mc_h5_create(&w, path, &m, err, sizeof err) == MC_OK);
  mc_result_run r1 = run("system", NULL), r2 = run("arena", &b), r3 = run("pool", &b2);
  CU_ASSERT(mc_h5_add_run(w, &r1, NULL, 0) == MC_OK);
  CU_ASSERT(mc_h5_add_run(w, &r2, NULL, 0) == MC_OK);
  CU_ASSERT(mc_h5_add_run(w, &r3, NULL, 0) == MC_OK);
  CU_ASSERT_FATAL(mc_h5_close(w, 1) == MC_OK);
  mc_results res;
  CU_ASSERT_FATAL(mc_h5_read(path, &res, err, sizeof err) == MC_OK);
  CU_ASSERT_EQUAL(res.nprov, 2);
  CU_ASSERT_EQUAL_FATAL(res.nruns, 3);
  for (size_t i = 0; i < res.nruns; i++) {
    const mc_result_run *x = &res.runs[i];
    CU_ASSERT_FATAL(x->prov >= res.prov && x->prov < res.prov + res.nprov);
    if (!strcmp(x->allocator, "system")) { /* the writer's own */
      CU_ASSERT_STRING_EQUAL(x->prov->host, "writerhost");
      CU_ASSERT_STRING_EQUAL(x->prov->cpu, "test cpu");
      CU_ASSERT_STRING_EQUAL(x->prov->command_line, "test_prov run");
      CU_ASSERT(strncmp(x->prov->kernel, "Linux ", 6) == 0);
      CU_ASSERT(x->prov->version[0] != '\0');
      CU_ASSERT(strncmp(x->prov->library_versions, "hdf5 ", 5) == 0);
      CU_ASSERT(strstr(x->prov->library_versions, "memcurve test") != NULL);
    } else {
      CU_ASSERT_STRING_EQUAL(x->prov->host, "nodeB");
      CU_ASSERT_STRING_EQUAL(x->prov->command_line, "memcurve run --shard 2/2");
    }
  }
  CU_ASSERT_STRING_EQUAL(mc_prov_host_of(&res, "list", "fill", "arena", 100), "nodeB");
  CU_ASSERT_STRING_EQUAL(mc_prov_host_of(&res, "list", "fill", "system", 100), "writerhost");
  CU_ASSERT_STRING_EQUAL(mc_prov_host_of(&res, "list", "fill", "system", 7), "");
  char hosts[64];
  CU_ASSERT_EQUAL(mc_prov_hosts(&res, hosts, sizeof hosts), 2);
  CU_ASSERT_STRING_EQUAL(hosts, "writerhost, nodeB");

  /* written again (a merge): the rows the runs point at are kept, still two */
  char path2[256];
  snprintf(path2, sizeof path2, "%s/p2.h5", mc_test_dir());
  CU_ASSERT_FATAL(mc_h5_create(&w, path2, &res.meta, err, sizeof err) == MC_OK);
  for (size_t i = 0; i < res.nruns; i++) CU_ASSERT(mc_h5_add_run(w, &res.runs[i], NULL, 0) == 0);
  CU_ASSERT_FATAL(mc_h5_close(w, 1) == MC_OK);
  mc_results res2;
  CU_ASSERT_FATAL(mc_h5_read(path2, &res2, err, sizeof err) == MC_OK);
  CU_ASSERT_EQUAL(res2.nprov, 2);
  for (size_t i = 0; i < res2.nruns; i++)
    CU_ASSERT_STRING_EQUAL(
        res2.runs[i].prov->host,
        mc_prov_host_of(&res, "list", "fill", res2.runs[i].allocator, res2.runs[i].n));
  mc_h5_results_free(&res2);
  mc_h5_results_free(&res);
  unlink(path);
  unlink(path2);
}

/* A file from before per-run provenance: one row, from its root attributes, for every run. */
static void test_prov_old_file(void) {
  mc_results res;
  char err[200];
  CU_ASSERT_FATAL(mc_h5_read(MC_TEST_DATA "/schema2.h5", &res, err, sizeof err) == MC_OK);
  CU_ASSERT_EQUAL_FATAL(res.nprov, 1);
  CU_ASSERT_STRING_EQUAL(res.prov[0].host, res.meta.host);
  CU_ASSERT_STRING_EQUAL(res.prov[0].command_line, res.meta.command_line);
  CU_ASSERT_STRING_EQUAL(res.prov[0].kernel, "");
  CU_ASSERT(res.nruns > 0);
  for (size_t i = 0; i < res.nruns; i++) CU_ASSERT(res.runs[i].prov == &res.prov[0]);
  CU_ASSERT_EQUAL(mc_prov_hosts(&res, NULL, 0), 1);
  mc_h5_results_free(&res);
}

static void test_prov_same_and_hash(void) {
  mc_result_prov a, b;
  mc_result_meta m = meta();
  mc_prov_self(&a, &m);
  b = a;
  CU_ASSERT(mc_prov_same(&a, &b) && mc_prov_hash(&a) == mc_prov_hash(&b));
  snprintf(b.kernel, sizeof b.kernel, "other");
  CU_ASSERT(!mc_prov_same(&a, &b) && mc_prov_hash(&a) != mc_prov_hash(&b));
  /* a field boundary is part of the hash: "ab"+"" differs from "a"+"b" */
  memset(&a, 0, sizeof a), memset(&b, 0, sizeof b);
  snprintf(a.host, sizeof a.host, "ab");
  snprintf(b.host, sizeof b.host, "a");
  snprintf(b.cpu, sizeof b.cpu, "b");
  CU_ASSERT(mc_prov_hash(&a) != mc_prov_hash(&b));
}

static int add(void) {
  static CU_TestInfo tests[] = {
      {"test_prov_rows_written_and_shared", test_prov_rows_written_and_shared},
      {"test_prov_old_file", test_prov_old_file},
      {"test_prov_same_and_hash", test_prov_same_and_hash},
      CU_TEST_INFO_NULL};
  return mc_test_add_suite("prov", tests);
}

int main(void) { return mc_test_main(add); }
