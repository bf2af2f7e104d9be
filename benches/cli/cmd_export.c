/* cmd_export.c — `memcurve export FILE --csv|--json [-o OUT] [--curves]`: a results file in the
 * shapes other tools read. CSV: one header line, one row per summary row (per run and
 * repetition), or with --curves one row per curve point; the columns are the results model's
 * names (README, "memcurve export"), so `pandas.read_csv` needs no options. JSON: Google
 * Benchmark's shape, {"context": {...}, "benchmarks": [...]}, one benchmark per repetition
 * named structure/workload/allocator/N with real_time and cpu_time in ns (cpu_time is the wall
 * time: the harness times wall clock), so tools written for Google Benchmark's output
 * (compare.py) read it; the memory columns ride along as counters; --curves adds "curves". */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "mc_cli_impl.h"
#include "mc_error.h"

static const char usage[] =
    "usage: memcurve export FILE --csv|--json [-o OUT] [--curves]\n"
    "  Writes the results FILE's summary rows (one per run and repetition) as CSV, or as JSON\n"
    "  shaped like Google Benchmark's output (context + benchmarks), on stdout or into OUT.\n"
    "  --csv            CSV with a header line (column names: README, memcurve export)\n"
    "  --json           {\"context\": {...}, \"benchmarks\": [...]}: Google Benchmark's\n"
    "                   compare.py reads it (compare.py benchmarks A.json B.json)\n"
    "  --curves         CSV: the curve points instead (one row per sample); JSON: also\n"
    "                   \"curves\", one entry per run with its points\n"
    "  -o, --output OUT the file to write (default: stdout; missing folders are created)\n";

const struct option mc_cli_export_opts[] = {{"csv", 0, 0, 'c'},    {"json", 0, 0, 'j'},
                                            {"curves", 0, 0, 'C'}, {"output", 1, 0, 'o'},
                                            {"help", 0, 0, 'h'},   {0, 0, 0, 0}};

/* The columns, in order: one list for the summary rows, one for the curve points. */
#define SUMMARY_COLS                                                                               \
  "structure,workload,allocator,n,n_means,rep,ok,status,ops,wall_ns,ops_per_s,allocs_per_op,"      \
  "collections,peak_requested,peak_footprint,peak_rss,peak_held,peak_resident,final_requested,"    \
  "final_held,final_resident"
#define CURVE_COLS                                                                                 \
  "structure,workload,allocator,n,n_means,ops,elements,t_ns,requested,footprint,rss,collections,"  \
  "held,resident,held_ops"

static const char *n_means_name(int32_t m) { return m == MC_RESULT_N_DEPTH ? "depth" : "elements"; }

/* The n_means of the run a summary row belongs to (elements when there is none). */
static int32_t row_n_means(const mc_results *r, const mc_result_summary *s) {
  for (size_t i = 0; i < r->nruns; i++)
    if (mc_cli_same_key(s, r->runs[i].structure, r->runs[i].workload, r->runs[i].allocator,
                        r->runs[i].n))
      return r->runs[i].n_means;
  return MC_RESULT_N_ELEMENTS;
}

/* s as one CSV field: quoted when it holds a comma, a quote or a line break. */
static void csv_str(FILE *f, const char *s) {
  if (!strpbrk(s, ",\"\n\r")) {
    fputs(s, f);
    return;
  }
  fputc('"', f);
  for (; *s; s++) {
    if (*s == '"') fputc('"', f);
    fputc(*s, f);
  }
  fputc('"', f);
}

/* s as a JSON string. */
static void json_str(FILE *f, const char *s) {
  fputc('"', f);
  for (; *s; s++) {
    unsigned char ch = (unsigned char)*s;
    if (ch == '"' || ch == '\\')
      fprintf(f, "\\%c", ch);
    else if (ch < 0x20)
      fprintf(f, "\\u%04x", ch);
    else
      fputc(ch, f);
  }
  fputc('"', f);
}

static void csv_key(FILE *f, const char *st, const char *w, const char *a, uint64_t n, int32_t m) {
  csv_str(f, st), fputc(',', f), csv_str(f, w), fputc(',', f), csv_str(f, a);
  fprintf(f, ",%llu,%s", (unsigned long long)n, n_means_name(m));
}

static void write_csv(FILE *f, const mc_results *r, int curves) {
  if (curves) {
    fputs(CURVE_COLS "\n", f);
    for (size_t i = 0; i < r->nruns; i++) {
      const mc_result_run *x = &r->runs[i];
      for (size_t k = 0; k < x->ncurve; k++) {
        const mc_result_point *p = &x->curve[k];
        csv_key(f, x->structure, x->workload, x->allocator, x->n, x->n_means);
        fprintf(f, ",%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu\n",
                (unsigned long long)p->ops, (unsigned long long)p->elements,
                (unsigned long long)p->t_ns, (unsigned long long)p->requested,
                (unsigned long long)p->footprint, (unsigned long long)p->rss,
                (unsigned long long)p->collections, (unsigned long long)p->held,
                (unsigned long long)p->resident, (unsigned long long)p->held_ops);
      }
    }
    return;
  }
  fputs(SUMMARY_COLS "\n", f);
  for (size_t i = 0; i < r->nsummary; i++) {
    const mc_result_summary *s = &r->summary[i];
    csv_key(f, s->structure, s->workload, s->allocator, s->n, row_n_means(r, s));
    fprintf(f, ",%u,%d,", s->rep, (int)s->ok);
    csv_str(f, s->status);
    fprintf(f, ",%llu,%llu,%.10g,%.10g,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu,%llu\n",
            (unsigned long long)s->ops, (unsigned long long)s->wall_ns, s->ops_per_s,
            s->allocs_per_op, (unsigned long long)s->collections,
            (unsigned long long)s->peak_requested, (unsigned long long)s->peak_footprint,
            (unsigned long long)s->peak_rss, (unsigned long long)s->peak_held,
            (unsigned long long)s->peak_resident, (unsigned long long)s->final_requested,
            (unsigned long long)s->final_held, (unsigned long long)s->final_resident);
  }
}

static void json_kv(FILE *f, const char *k, const char *v, int last) {
  fprintf(f, "    \"%s\": ", k);
  json_str(f, v);
  fputs(last ? "\n" : ",\n", f);
}

static void write_json(FILE *f, const mc_results *r, int curves) {
  const mc_result_meta *m = &r->meta;
  char schema[16];
  snprintf(schema, sizeof schema, "%d", (int)m->schema_version);
  fputs("{\n  \"context\": {\n", f);
  json_kv(f, "date", m->created_utc, 0);
  json_kv(f, "host_name", m->host, 0);
  json_kv(f, "executable", "memcurve", 0);
  json_kv(f, "cpu", m->cpu, 0);
  json_kv(f, "compiler", m->compiler, 0);
  json_kv(f, "cflags", m->cflags, 0);
  json_kv(f, "library_versions", m->library_versions, 0);
  json_kv(f, "command_line", m->command_line, 0);
  json_kv(f, "schedule", m->schedule, 0);
  json_kv(f, "memcurve_version", MC_VERSION, 0);
  json_kv(f, "schema_version", schema, 1);
  fputs("  },\n  \"benchmarks\": [", f);
  for (size_t i = 0; i < r->nsummary; i++) {
    const mc_result_summary *s = &r->summary[i];
    uint32_t reps = 0;
    for (size_t j = 0; j < r->nruns && !reps; j++)
      if (mc_cli_same_key(s, r->runs[j].structure, r->runs[j].workload, r->runs[j].allocator,
                          r->runs[j].n))
        reps = r->runs[j].repetitions;
    char name[4 * MC_RESULT_NAME];
    snprintf(name, sizeof name, "%s/%s/%s/%llu", s->structure, s->workload, s->allocator,
             (unsigned long long)s->n);
    fputs(i ? ",\n    {" : "\n    {", f);
    fputs("\"name\": ", f), json_str(f, name);
    fputs(", \"run_name\": ", f), json_str(f, name);
    fprintf(f,
            ", \"run_type\": \"iteration\", \"repetitions\": %u, \"repetition_index\": %u, "
            "\"threads\": 1, \"iterations\": 1, \"real_time\": %llu, \"cpu_time\": %llu, "
            "\"time_unit\": \"ns\", \"items_per_second\": %.10g",
            reps, s->rep, (unsigned long long)s->wall_ns, (unsigned long long)s->wall_ns,
            s->ops_per_s);
    fputs(", \"structure\": ", f), json_str(f, s->structure);
    fputs(", \"workload\": ", f), json_str(f, s->workload);
    fputs(", \"allocator\": ", f), json_str(f, s->allocator);
    fprintf(f, ", \"n\": %llu, \"n_means\": \"%s\", \"ok\": %d, \"status\": ",
            (unsigned long long)s->n, n_means_name(row_n_means(r, s)), (int)s->ok);
    json_str(f, s->status);
    fprintf(f,
            ", \"ops\": %llu, \"allocs_per_op\": %.10g, \"collections\": %llu, "
            "\"peak_requested\": %llu, \"peak_footprint\": %llu, \"peak_rss\": %llu, "
            "\"peak_held\": %llu, \"peak_resident\": %llu, \"final_requested\": %llu, "
            "\"final_held\": %llu, \"final_resident\": %llu}",
            (unsigned long long)s->ops, s->allocs_per_op, (unsigned long long)s->collections,
            (unsigned long long)s->peak_requested, (unsigned long long)s->peak_footprint,
            (unsigned long long)s->peak_rss, (unsigned long long)s->peak_held,
            (unsigned long long)s->peak_resident, (unsigned long long)s->final_requested,
            (unsigned long long)s->final_held, (unsigned long long)s->final_resident);
  }
  fputs("\n  ]", f);
  if (curves) {
    fputs(",\n  \"curves\": [", f);
    for (size_t i = 0; i < r->nruns; i++) {
      const mc_result_run *x = &r->runs[i];
      char name[4 * MC_RESULT_NAME];
      snprintf(name, sizeof name, "%s/%s/%s/%llu", x->structure, x->workload, x->allocator,
               (unsigned long long)x->n);
      fputs(i ? ",\n    {\"name\": " : "\n    {\"name\": ", f);
      json_str(f, name);
      fputs(", \"columns\": [\"ops\", \"elements\", \"t_ns\", \"requested\", \"footprint\", "
            "\"rss\", \"collections\", \"held\", \"resident\", \"held_ops\"], \"points\": [",
            f);
      for (size_t k = 0; k < x->ncurve; k++) {
        const mc_result_point *p = &x->curve[k];
        fprintf(f, "%s[%llu, %llu, %llu, %llu, %llu, %llu, %llu, %llu, %llu, %llu]", k ? ", " : "",
                (unsigned long long)p->ops, (unsigned long long)p->elements,
                (unsigned long long)p->t_ns, (unsigned long long)p->requested,
                (unsigned long long)p->footprint, (unsigned long long)p->rss,
                (unsigned long long)p->collections, (unsigned long long)p->held,
                (unsigned long long)p->resident, (unsigned long long)p->held_ops);
      }
      fputs("]}", f);
    }
    fputs("\n  ]", f);
  }
  fputs("\n}\n", f);
}

int mc_cli_export(int argc, char **argv) {
  const char *out = NULL, *file = NULL;
  int fmt = 0, curves = 0, c;
  optind = 0; /* glibc: a fresh scan, operands permuted to the end */
  opterr = 0;
  while ((c = getopt_long(argc, argv, "o:h", mc_cli_export_opts, NULL)) != -1) {
    switch (c) {
    case 'h': fputs(usage, stdout); return MC_OK;
    case 'c':
    case 'j':
      if (fmt && fmt != c) return mc_cli_bad("export", "--csv or --json, not both%s", "");
      fmt = c;
      break;
    case 'C': curves = 1; break;
    case 'o': out = optarg; break;
    default: return mc_cli_bad("export", "bad option '%s' (see --help)", argv[optind - 1]);
    }
  }
  if (argc - optind != 1)
    return mc_cli_bad("export", "expected one results FILE (see --help)%s", "");
  file = argv[optind];
  if (!fmt) return mc_cli_bad("export", "say --csv or --json%s", "");
  struct stat in, o;
  if (out && stat(file, &in) == 0 && stat(out, &o) == 0 && in.st_dev == o.st_dev &&
      in.st_ino == o.st_ino) /* fopen "w" would have emptied the results file */
    return mc_cli_bad("export", "-o '%s' is the results file itself", out);
  int rc = out ? mc_cli_output_folder("export", out) : 0;
  if (rc) return rc;
  mc_results r;
  if (mc_cli_load("export", file, &r)) return MC_EFORMAT;
  FILE *f = out ? fopen(out, "w") : stdout;
  if (!f) {
    int e = errno;
    mc_h5_results_free(&r);
    char msg[300];
    snprintf(msg, sizeof msg, "cannot write '%s' (%s)", out, strerror(e));
    return mc_cli_bad("export", "%s", msg);
  }
  (fmt == 'c' ? write_csv : write_json)(f, &r, curves);
  int bad = ferror(f);
  if (out ? fclose(f) != 0 : fflush(f) != 0) bad = 1;
  mc_h5_results_free(&r);
  if (bad)
    return fprintf(stderr, "memcurve export: cannot write %s\n", out ? out : "stdout"), MC_EIO;
  return MC_OK;
}
