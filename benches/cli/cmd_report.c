/* cmd_report.c — `memcurve report FILE [--out PATH] [--plots DIR] [--no-draw] [--format
 * png,svg]`: draws the charts into DIR (relative to the report; default: the folder named after
 * FILE, mc_report_stem) unless --no-draw, writes PATH (default: <stem>.html beside FILE) through
 * plots/ (mc_report_write), prints the Markdown summary on stdout. Returns an MC_E* code
 * (mc_cli_exit_status maps it). */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc_cli_impl.h"
#include "mc_error.h"
#include "mc_io.h"
#include "mc_report.h"

#define GO_ON 1 /* parse: carry on */

static const char usage[] =
    "usage: memcurve report FILE [--out PATH] [--plots DIR] [--no-draw] [--format png,svg]\n"
    "Writes an HTML report of the results FILE (default PATH: results/memcurve.html for\n"
    "results/memcurve.h5) with the verdicts (time and peak memory against the system allocator,\n"
    "\"≈\" where the difference is not significant), the Pareto sets, the charts and a glossary,\n"
    "and prints a Markdown summary.\n"
    "  --out PATH       the HTML file\n"
    "  --plots DIR      the charts, relative to the report's directory (default: the name of\n"
    "                   FILE without .h5: memcurve for memcurve.h5)\n"
    "  --no-draw        use the charts already in DIR (e.g. from `memcurve plot`)\n"
    "  --format LIST    formats to draw: png,svg (default) or png (the page needs png)\n";

typedef struct report_args {
  const char *file, *out, *plots;
  int no_draw;
  unsigned formats;
} report_args;

/* Parses argv into a. GO_ON, MC_OK (help printed) or MC_EINVAL (one line on stderr). */
static int parse(int argc, char **argv, report_args *a) {
  int c;
  optind = 0; /* glibc: a fresh scan, operands permuted to the end */
  opterr = 0;
  while ((c = getopt_long(argc, argv, "h", mc_cli_report_opts, NULL)) != -1) {
    switch (c) {
    case 'h': fputs(usage, stdout); return MC_OK;
    case 'o': a->out = optarg; break;
    case 'p': a->plots = optarg; break;
    case 'f':
      if (!strcmp(optarg, "png"))
        a->formats = MC_PLOT_PNG;
      else if (!strcmp(optarg, "png,svg") || !strcmp(optarg, "svg,png"))
        a->formats = MC_PLOT_PNG | MC_PLOT_SVG;
      else
        return mc_cli_bad("report", "bad --format '%s' (png or png,svg)", optarg);
      break;
    case 'n': a->no_draw = 1; break;
    default: return mc_cli_bad("report", "unexpected argument '%s' (see --help)", argv[optind - 1]);
    }
  }
  for (; optind < argc; optind++) {
    if (argv[optind][0] == '-' || a->file)
      return mc_cli_bad("report", "unexpected argument '%s' (see --help)", argv[optind]);
    a->file = argv[optind];
  }
  if (!a->file) return mc_cli_bad("report", "no results FILE given (see --help)%s", "");
  if (a->plots && (a->plots[0] == '/' || strstr(a->plots, "..") || !a->plots[0]))
    return mc_cli_bad("report", "--plots must be a directory below the report's%s", "");
  return GO_ON;
}

const struct option mc_cli_report_opts[] = {{"out", 1, 0, 'o'},    {"plots", 1, 0, 'p'},
                                            {"format", 1, 0, 'f'}, {"no-draw", 0, 0, 'n'},
                                            {"help", 0, 0, 'h'},   {0, 0, 0, 0}};

int mc_cli_report(int argc, char **argv) {
  report_args a = {.formats = MC_PLOT_PNG | MC_PLOT_SVG};
  int st = parse(argc, argv, &a);
  if (st != GO_ON) return st;
  char err[512], *defout = NULL, *plotdir = NULL, *outdir = NULL;
  char *stem = mc_report_stem(a.file);
  if (!stem) return MC_ENOMEM;
  if (!a.plots) a.plots = stem;
  mc_results r;
  mc_plot_list l = {0};
  if (mc_h5_read_guarded(a.file, &r, err, sizeof err) != MC_OK) {
    fprintf(stderr, "memcurve report: %s: %s\n", a.file, err);
    free(stem);
    return MC_EFORMAT; /* unreadable input: exit 2, nothing was written */
  }
  int status = MC_EIO;
  if (!a.out) {
    char *d = mc_report_dir_of(a.file);
    size_t len = d ? strlen(d) + 16 : 0;
    len += strlen(stem);
    if (d && (defout = malloc(len))) snprintf(defout, len, "%s/%s.html", d, stem);
    free(d);
    a.out = defout;
  }
  char oerr[4400];
  if (a.out && mc_io_output_ok(a.out, oerr, sizeof oerr)) { /* a device or FIFO is never replaced */
    fprintf(stderr, "memcurve report: %s\n", oerr);
    status = MC_EINVAL;
    goto done;
  }
  outdir = a.out ? mc_report_dir_of(a.out) : NULL;
  size_t plen = outdir ? strlen(outdir) + strlen(a.plots) + 2 : 0;
  if (!outdir || !(plotdir = malloc(plen))) goto done;
  snprintf(plotdir, plen, "%s/%s", outdir, a.plots);
  mc_plot_opts o = {.outdir = plotdir, .formats = a.formats, .plan_only = a.no_draw};
  int rc = mc_plot_draw(&r, &o, &l, err, sizeof err);
  if (rc == MC_EINVAL && !r.nruns && !r.nsummary && !r.ntput) {
    mc_plot_list_free(&l); /* an empty file still gets its (empty) report */
  } else if (rc != MC_OK && rc != MC_EIO) {
    fprintf(stderr, "memcurve report: %s: %s\n", a.file, err);
    goto done;
  } else if (rc == MC_EIO) {
    fprintf(stderr, "memcurve report: %s: %s (the report links the charts that exist)\n", a.file,
            err);
  }
  if (mc_report_write(&r, a.file, a.out, a.plots, &l, stdout, err, sizeof err) != MC_OK) {
    fprintf(stderr, "memcurve report: %s\n", err);
    goto done;
  }
  printf("\nReport: %s (%zu charts in %s)\n", a.out, l.ncharts, plotdir);
  status = rc == MC_EIO ? MC_EIO : MC_OK;
done:
  mc_plot_list_free(&l);
  mc_h5_results_free(&r);
  free(defout);
  free(outdir);
  free(plotdir);
  free(stem);
  return status;
}
