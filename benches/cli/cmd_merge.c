/* cmd_merge.c — `memcurve merge -o OUT IN...`: one file holding every run, summary row,
 * throughput row and JSON of the inputs; a run present in two inputs is an error (exit 2). */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mc_cli_impl.h"
#include "mc_error.h"
#include "mc_stats.h"

static int merge_file(mc_h5_writer *w, const char *path, const mc_results *r) {
  for (size_t i = 0; i < r->nruns; i++) {
    const mc_result_run *x = &r->runs[i];
    mc_result_summary *rows = calloc(r->nsummary ? r->nsummary : 1, sizeof *rows);
    if (!rows) return MC_ENOMEM;
    size_t k = 0;
    for (size_t j = 0; j < r->nsummary; j++)
      if (mc_cli_same_key(&r->summary[j], x->structure, x->workload, x->allocator, x->n))
        rows[k++] = r->summary[j];
    int rc = mc_h5_add_run(w, x, rows, k);
    free(rows);
    if (rc == MC_EINVAL) {
      fprintf(stderr, "memcurve merge: run %s/%s/%s/n%llu of %s is already in an earlier input\n",
              x->structure, x->workload, x->allocator, (unsigned long long)x->n, path);
      return MC_EINVAL;
    }
    if (rc) return fprintf(stderr, "memcurve merge: cannot write\n"), MC_EIO;
  }
  char **tags, **jsons;
  size_t nj;
  if (mc_h5_read_json(path, &tags, &jsons, &nj) != MC_OK) nj = 0, tags = jsons = NULL;
  int rc = 0;
  /* throughput rows go in once, with the first JSON (or alone if there is none) */
  if (mc_h5_add_tput(w, r->tput, r->ntput, nj ? tags[0] : NULL, nj ? jsons[0] : NULL))
    rc = MC_EINVAL;
  for (size_t j = 1; j < nj && !rc; j++)
    if (mc_h5_add_tput(w, NULL, 0, tags[j], jsons[j])) rc = MC_EINVAL;
  if (rc) fprintf(stderr, "memcurve merge: Google Benchmark JSON '%s' is in two inputs\n",
                  nj ? tags[0] : "?");
  mc_h5_free_strings(tags, nj);
  mc_h5_free_strings(jsons, nj);
  return rc;
}

int mc_cli_merge(int argc, char **argv) {
  static const struct option opts[] = {
      {"output", 1, 0, 'o'}, {"help", 0, 0, 'h'}, {0, 0, 0, 0}};
  char cmdline[sizeof ((mc_result_meta *)0)->command_line]; /* as typed: getopt permutes argv */
  size_t k = 0;
  cmdline[0] = '\0';
  for (int i = 0; i < argc && k + 2 < sizeof cmdline; i++)
    k += (size_t)snprintf(cmdline + k, sizeof cmdline - k, "%s%s", i ? " " : "memcurve ",
                          argv[i]);
  const char *out = NULL;
  const char *in[256];
  int nin = 0, c;
  optind = 0; /* glibc: a fresh scan, operands permuted to the end */
  opterr = 0;
  while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
    switch (c) {
    case 'h':
      puts("usage: memcurve merge -o OUT IN...\n  Writes one results file with every run, "
           "summary row, throughput row and Google Benchmark\n  JSON of the inputs (e.g. the "
           "shards of `memcurve run --shard K/N`). A run in two inputs is an error.");
      return MC_OK;
    case 'o': out = optarg; break;
    default:
      if (optopt == 'o' || !strcmp(argv[optind - 1], "--output"))
        return mc_cli_bad("merge", "-o needs a file%s", "");
      return mc_cli_bad("merge", "bad option '%s'", argv[optind - 1]);
    }
  }
  for (; optind < argc; optind++)
    if (nin < 256) in[nin++] = argv[optind];
  if (!out || nin == 0)
    return mc_cli_bad("merge", "expected -o OUT and at least one input%s", "");
  mc_results *r = calloc((size_t)nin, sizeof *r);
  if (!r) return MC_ENOMEM;
  int rc = 0;
  for (int i = 0; i < nin && !rc; i++) rc = mc_cli_load("merge", in[i], &r[i]);
  mc_h5_writer *w = NULL;
  if (!rc) {
    mc_result_meta m = r[0].meta;
    memcpy(m.command_line, cmdline, sizeof m.command_line);
    char err[256];
    if (mc_h5_create(&w, out, &m, err, sizeof err) != MC_OK) {
      fprintf(stderr, "memcurve merge: %s\n", err);
      rc = MC_EINVAL; /* the output cannot be written: a bad argument */
    }
  }
  for (int i = 0; i < nin && !rc; i++) rc = merge_file(w, in[i], &r[i]);
  if (w && mc_h5_close(w, rc == 0) != MC_OK && !rc) rc = MC_EIO;
  if (rc && w) {
    char part[4200];
    snprintf(part, sizeof part, "%s.partial", out);
    unlink(part);
  }
  for (int i = 0; i < nin; i++) mc_h5_results_free(&r[i]);
  free(r);
  if (!rc) fprintf(stderr, "memcurve merge: %d files merged into %s\n", nin, out);
  return rc;
}
