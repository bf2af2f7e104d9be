/* cmd_trace.c — `memcurve trace [options] -- COMMAND [ARGS...]`: the memory curve of any program,
 * sampled from outside (mc_trace: the RSS of its process tree every period, its CPU time, and the
 * figures it reports itself on the MEMCURVE_TRACE_FD pipe), written as one run of a results file
 * under the structure/workload/allocator names given, so it sits in the same charts, tables and
 * merges as the C runs. The run's facts say it was traced (MC_RESULT_HEAP_TRACED) and what its
 * heap is (--heap; by default someone else's, MC_RESULT_HEAP_OUTSIDE);
 * a command that fails, crashes or times out is written as a failed run with its curve so far.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mc_cli_impl.h"
#include "mc_io.h"
#include "mc_runner.h"
#include "mc_trace.h"

static const char trace_usage[] =
    "usage: memcurve trace [options] -- COMMAND [ARGS...]\n"
    "  Runs COMMAND and samples its memory from outside: the resident set of it and of what it\n"
    "  forks (/proc/PID/statm) and its CPU time, every period, into one run of a results file.\n"
    "  COMMAND may report its own figures: one line \"LABEL BYTES\" per sample written to the\n"
    "  descriptor named by $" MC_TRACE_ENV
    " (LABEL a number: elements so far; \"-\": none; a word: a\n"
    "  phase); BYTES become the run's requested curve (benches/python/mc_report.py sends\n"
    "  tracemalloc's traced bytes).\n"
    "  -o, --output FILE      results file (default results/trace.h5; an existing one is kept\n"
    "                         unless --force replaces it or --append adds the run to it)\n"
    "  --force                replace an existing FILE\n"
    "  --append               add the run to an existing FILE (a run already in it is refused)\n"
    "  -s, --structure NAME   the run's structure (default: COMMAND's base name)\n"
    "  -w, --workload NAME    the run's workload (default trace)\n"
    "  -a, --allocator NAME   the run's allocator (default traced)\n"
    "  -n, --n N              the run's size parameter (default 0; k, M, G suffixes)\n"
    "  --describe TEXT        the structure's line in the report's glossary\n"
    "  --heap FACTS           what the program's heap is, for the charts: a comma list of\n"
    "                         outside, managed, collected, refcount, gc-off, saveall, or none\n"
    "                         (default outside: not memcurve's allocators; CPython is\n"
    "                         outside,refcount,collected); the run is also marked traced\n"
    "  --period-us US         sampling period in microseconds (100..10000000, default 1000)\n"
    "  --timeout SEC          kill the command (its whole process group) after SEC seconds\n"
    "                         (1..86400, default 600)\n"
    "  --report-env NAME      the variable naming the report descriptor (default " MC_TRACE_ENV
    ")\n"
    "  --no-report            no report pipe\n"
    "  -q, --quiet            no summary line on stderr\n"
    "  Exit status 0 when the run was written (a failed command is a failed run in the file).\n";

typedef struct trace_args {
  const char *output, *structure, *workload, *allocator, *describe;
  int mode; /* MC_CLI_OUT_* */
  uint64_t n;
  unsigned heap; /* MC_RESULT_HEAP_* facts given by --heap */
  mc_trace_opts o;
  int quiet;
} trace_args;

static int parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out) {
  if (!s || *s < '0' || *s > '9') return -1;
  char *end;
  unsigned long long v = strtoull(s, &end, 10);
  if (*end || v < lo || v > hi) return -1;
  *out = v;
  return 0;
}

/* A name the file can key a run by: 1..47 printable bytes, no '/', not "." or "..". */
static int name_ok(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n >= MC_RESULT_NAME || strcmp(s, ".") == 0 || strcmp(s, "..") == 0) return 0;
  for (const char *p = s; *p; p++)
    if (*p == '/' || (unsigned char)*p < 0x21 || *p == 0x7f) return 0;
  return 1;
}

/* The --heap facts: a comma list of outside, managed, collected, refcount, gc-off, saveall, or
 * "none". Returns 0 and the bits, or -1. */
static int heap_facts(const char *s, unsigned *out) {
  static const struct {
    const char *name;
    unsigned bit;
  } facts[] = {{"none", 0},
               {"outside", MC_RESULT_HEAP_OUTSIDE},
               {"managed", MC_RESULT_HEAP_MANAGED},
               {"collected", MC_RESULT_HEAP_COLLECTED},
               {"refcount", MC_RESULT_HEAP_REFCOUNT},
               {"gc-off", MC_RESULT_HEAP_GC_OFF},
               {"saveall", MC_RESULT_HEAP_SAVEALL}};
  unsigned bits = 0;
  while (*s) {
    size_t len = strcspn(s, ","), k = 0;
    while (k < sizeof facts / sizeof facts[0] &&
           (strlen(facts[k].name) != len || strncmp(facts[k].name, s, len) != 0))
      k++;
    if (k == sizeof facts / sizeof facts[0]) return -1;
    bits |= facts[k].bit;
    s += len + (s[len] == ',');
  }
  *out = bits;
  return 0;
}

static void fill_meta(mc_result_meta *m, const trace_args *a, int argc, char **argv) {
  mc_cli_fill_meta(m, argc, argv);
  snprintf(m->schedule, sizeof m->schedule, "traced from outside: one sample every %llu us",
           (unsigned long long)(a->o.period_ns / 1000));
  snprintf(m->glossary, sizeof m->glossary, "structure\t%.47s\t%.900s\n", a->structure,
           a->describe ? a->describe : m->command_line);
}

static void summary_row(mc_result_summary *row, const mc_result_run *run,
                        const mc_trace_result *r) {
  memset(row, 0, sizeof *row);
  memcpy(row->structure, run->structure, MC_RESULT_NAME);
  memcpy(row->workload, run->workload, MC_RESULT_NAME);
  memcpy(row->allocator, run->allocator, MC_RESULT_NAME);
  row->n = run->n;
  row->ok = r->ok;
  memcpy(row->status, r->status, MC_RESULT_STATUS);
  const mc_result_point *last = r->ncurve ? &r->curve[r->ncurve - 1] : NULL;
  row->ops = last ? last->ops : 0; /* CPU microseconds */
  row->wall_ns = r->wall_ns;
  row->ops_per_s = r->wall_ns ? (double)row->ops * 1e9 / (double)r->wall_ns : 0;
  row->peak_requested = r->peak_requested;
  row->peak_rss = r->peak_rss;
  row->peak_resident = r->peak_rss > r->rss_baseline ? r->peak_rss - r->rss_baseline : 0;
  row->peak_footprint = row->peak_held = row->peak_resident;
  row->final_requested = last ? last->requested : 0;
  row->final_held = row->final_resident = last ? last->resident : 0;
}

/* Writes the one run to a->output. */
static int write_file(const trace_args *a, const mc_trace_result *r, int argc, char **argv) {
  static mc_result_meta meta;
  fill_meta(&meta, a, argc, argv);
  mc_result_run run;
  memset(&run, 0, sizeof run);
  snprintf(run.structure, MC_RESULT_NAME, "%s", a->structure);
  snprintf(run.workload, MC_RESULT_NAME, "%s", a->workload);
  snprintf(run.allocator, MC_RESULT_NAME, "%s", a->allocator);
  run.n = a->n;
  run.repetitions = 1;
  run.ok = r->ok;
  memcpy(run.status, r->status, MC_RESULT_STATUS);
  run.n_means = MC_RESULT_N_ELEMENTS;
  run.heap = a->heap | MC_RESULT_HEAP_TRACED;
  run.allocator_order = -1;
  run.rss_baseline = r->rss_baseline;
  run.curve = r->curve;
  run.ncurve = r->ncurve;
  run.events = r->events;
  run.nevents = r->nevents;
  mc_result_summary row;
  summary_row(&row, &run, r);
  mc_h5_writer *w;
  mc_results old;
  int crc = mc_cli_output_open("trace", a->output, a->mode, &meta, &w, &old);
  if (crc != MC_OK) return crc;
  /* the file may have gained the run while the command ran (checked before it too) */
  crc = mc_cli_output_new_run("trace", &old, a->output, run.structure, run.workload, run.allocator,
                              run.n, "nothing was written");
  mc_h5_results_free(&old);
  if (crc != MC_OK) {
    mc_h5_discard(w);
    return crc;
  }
  if (mc_h5_add_run(w, &run, &row, 1) != MC_OK || mc_h5_close(w, 1) != MC_OK) {
    fprintf(stderr, "memcurve trace: cannot write %s\n", a->output);
    return MC_EIO;
  }
  return MC_OK;
}

static void say(const trace_args *a, char **cmd, const mc_trace_result *r) {
  if (a->quiet) return;
  const double mib = 1024.0 * 1024.0;
  fprintf(stderr,
          "memcurve trace: %s: %s; wall %.3f s, cpu %.3f s; peak RSS %.1f MiB (kernel), "
          "%.1f MiB (sampled); %llu samples every %llu us (%.1f us each), %llu reports, "
          "%llu processes; written to %s\n",
          cmd[0], r->status, (double)r->wall_ns / 1e9, (double)r->cpu_ns / 1e9,
          (double)r->peak_rss / mib, (double)r->peak_sampled / mib, (unsigned long long)r->samples,
          (unsigned long long)(a->o.period_ns / 1000),
          r->samples ? (double)r->sample_ns / 1e3 / (double)r->samples : 0.0,
          (unsigned long long)r->reports, (unsigned long long)r->processes, a->output);
}

const struct option mc_cli_trace_opts[] = {{"output", 1, 0, 'o'},    {"structure", 1, 0, 's'},
                                           {"workload", 1, 0, 'w'},  {"allocator", 1, 0, 'a'},
                                           {"n", 1, 0, 'n'},         {"describe", 1, 0, 'D'},
                                           {"heap", 1, 0, 'H'},      {"period-us", 1, 0, 'p'},
                                           {"timeout", 1, 0, 't'},   {"report-env", 1, 0, 'e'},
                                           {"no-report", 0, 0, 'R'}, {"quiet", 0, 0, 'q'},
                                           {"force", 0, 0, 'F'},     {"append", 0, 0, 'A'},
                                           {"help", 0, 0, 'h'},      {0, 0, 0, 0}};

int mc_cli_trace(int argc, char **argv) {
  trace_args a;
  memset(&a, 0, sizeof a);
  a.output = "results/trace.h5";
  a.workload = "trace";
  a.allocator = "traced";
  a.o.period_ns = 1000000;
  a.o.timeout_s = 600;
  a.o.report_env = MC_TRACE_ENV;
  a.heap = MC_RESULT_HEAP_OUTSIDE;
  uint64_t v;
  int c;
  optind = 1;
  opterr = 0;
  /* "+": options end at the first operand, so COMMAND's own options are left alone */
  while ((c = getopt_long(argc, argv, "+o:s:w:a:n:qh", mc_cli_trace_opts, NULL)) != -1) {
    switch (c) {
    case 'o': a.output = optarg; break;
    case 's': a.structure = optarg; break;
    case 'w': a.workload = optarg; break;
    case 'a': a.allocator = optarg; break;
    case 'D': a.describe = optarg; break;
    case 'H':
      if (heap_facts(optarg, &a.heap))
        return mc_cli_bad("trace", "bad heap facts '%s' (see memcurve trace --help)", optarg);
      break;
    case 'n':
      if (mc_cli_parse_size(optarg, 1000, 0, UINT64_MAX, &v))
        return mc_cli_bad("trace", "bad N '%s'", optarg);
      a.n = v;
      break;
    case 'p':
      if (parse_u64(optarg, 100, 10000000, &v))
        return mc_cli_bad("trace", "bad period '%s' (100..10000000 us)", optarg);
      a.o.period_ns = v * 1000;
      break;
    case 't':
      if (parse_u64(optarg, 1, 86400, &v))
        return mc_cli_bad("trace", "bad timeout '%s' (1..86400 s)", optarg);
      a.o.timeout_s = (unsigned)v;
      break;
    case 'e':
      if (!*optarg || strchr(optarg, '=')) return mc_cli_bad("trace", "bad variable '%s'", optarg);
      a.o.report_env = optarg;
      break;
    case 'R': a.o.report_env = NULL; break;
    case 'q': a.quiet = 1; break;
    case 'F': a.mode = a.mode == MC_CLI_OUT_APPEND ? -1 : MC_CLI_OUT_FORCE; break;
    case 'A': a.mode = a.mode == MC_CLI_OUT_FORCE ? -1 : MC_CLI_OUT_APPEND; break;
    case 'h': fputs(trace_usage, stdout); return MC_OK;
    default:
      return mc_cli_bad("trace", "bad option '%s' (see memcurve trace --help)", argv[optind - 1]);
    }
  }
  if (a.mode < 0) return mc_cli_bad("trace", "--force and --append exclude each other%s", "");
  if (optind >= argc)
    return mc_cli_bad("trace", "no command to trace%s (memcurve trace [options] -- COMMAND)", "");
  char **cmd = argv + optind;
  if (!a.structure) {
    const char *slash = strrchr(cmd[0], '/');
    a.structure = slash ? slash + 1 : cmd[0];
  }
  if (!name_ok(a.structure)) return mc_cli_bad("trace", "bad structure name '%s'", a.structure);
  if (!name_ok(a.workload)) return mc_cli_bad("trace", "bad workload name '%s'", a.workload);
  if (!name_ok(a.allocator)) return mc_cli_bad("trace", "bad allocator name '%s'", a.allocator);
  int orc = mc_cli_output_check("trace", a.output, a.mode);
  if (orc) return orc;
  if (a.mode == MC_CLI_OUT_APPEND && access(a.output, F_OK) == 0) { /* refused before running */
    mc_results old;
    if (mc_cli_load("trace", a.output, &old)) return MC_EFORMAT;
    orc = mc_cli_output_new_run("trace", &old, a.output, a.structure, a.workload, a.allocator, a.n,
                                "nothing was run");
    mc_h5_results_free(&old);
    if (orc) return orc;
  }
  mc_runner_catch_signals();
  mc_trace_result r;
  int rc = mc_trace_run(cmd, &a.o, &r);
  if (rc == MC_OK || rc == MC_EINTR) {
    int wrc = write_file(&a, &r, argc, argv);
    if (wrc == MC_OK) say(&a, cmd, &r); /* it ends "written to FILE" */
    if (wrc != MC_OK) rc = wrc;
  } else {
    fprintf(stderr, "memcurve trace: cannot trace %s: %s\n", cmd[0], mc_strerror(rc));
  }
  mc_trace_result_free(&r);
  return rc;
}
