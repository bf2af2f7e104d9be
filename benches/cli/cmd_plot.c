/* cmd_plot.c — `memcurve plot FILE [--out DIR] [--format png,svg] [--scripts DIR] [--quiet]`:
 * reads the results file (guarded), draws its charts through plots/ (mc_plot_draw) and prints
 * the notes and the chart count on stderr. Returns an MC_E* code (mc_cli_exit_status maps it).
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc_cli_impl.h"
#include "mc_error.h"
#include "mc_plot.h"
#include "mc_report.h"

static const char usage[] =
    "usage: memcurve plot FILE [--out DIR] [--format png,svg] [--scripts DIR] [--quiet]\n"
    "Draws the charts of the results FILE with gnuplot into DIR (default: a folder named after\n"
    "FILE beside it: results/memcurve/ for results/memcurve.h5), their data and gnuplot logs\n"
    "into DIR/data/. Charts an earlier drawing made in DIR and this one does not are removed\n"
    "(DIR/" MC_PLOT_MANIFEST " lists what was drawn).\n"
    "  --out DIR        where the charts go\n"
    "  --format LIST    png, svg or png,svg (default)\n"
    "  --scripts DIR    the gnuplot scripts (default: $MEMCURVE_PLOTS, else the installed\n"
    "                   ones, ../share/memcurve/plots from the command's folder, else\n"
    "                   " MC_PLOTS_DIR ")\n"
    "  --quiet          no line per chart\n"
    "The program is $MEMCURVE_GNUPLOT or gnuplot on PATH (Debian: gnuplot-nox).\n";

static int parse_formats(const char *s, unsigned *out) {
  *out = 0;
  while (*s) {
    size_t len = strcspn(s, ",");
    if (len == 3 && !strncmp(s, "png", 3))
      *out |= MC_PLOT_PNG;
    else if (len == 3 && !strncmp(s, "svg", 3))
      *out |= MC_PLOT_SVG;
    else
      return -1;
    s += len + (s[len] == ',');
  }
  return *out ? 0 : -1;
}

const struct option mc_cli_plot_opts[] = {{"out", 1, 0, 'o'},    {"scripts", 1, 0, 's'},
                                          {"format", 1, 0, 'f'}, {"quiet", 0, 0, 'q'},
                                          {"help", 0, 0, 'h'},   {0, 0, 0, 0}};

int mc_cli_plot(int argc, char **argv) {
  mc_plot_opts o = {.verbose = 1};
  const char *file = NULL;
  char *defdir = NULL;
  int c;
  optind = 0; /* glibc: a fresh scan, operands permuted to the end */
  opterr = 0;
  while ((c = getopt_long(argc, argv, "h", mc_cli_plot_opts, NULL)) != -1) {
    switch (c) {
    case 'h': fputs(usage, stdout); return MC_OK;
    case 'o': o.outdir = optarg; break;
    case 's': o.scripts = optarg; break;
    case 'f':
      if (parse_formats(optarg, &o.formats) != 0)
        return mc_cli_bad("plot", "bad --format '%s' (png, svg or png,svg)", optarg);
      break;
    case 'q': o.verbose = 0; break;
    default: return mc_cli_bad("plot", "unexpected argument '%s' (see --help)", argv[optind - 1]);
    }
  }
  for (; optind < argc; optind++) {
    if (argv[optind][0] == '-' || file)
      return mc_cli_bad("plot", "unexpected argument '%s' (see --help)", argv[optind]);
    file = argv[optind];
  }
  if (!file) return mc_cli_bad("plot", "no results FILE given (see --help)%s", "");
  if (!o.outdir) {
    char *d = mc_report_dir_of(file), *stem = mc_report_stem(file);
    size_t len = d && stem ? strlen(d) + strlen(stem) + 2 : 0;
    if (len && (defdir = malloc(len))) snprintf(defdir, len, "%s/%s", d, stem);
    free(d);
    free(stem);
    if (!defdir) return MC_ENOMEM;
    o.outdir = defdir;
  }
  char err[512];
  mc_results r;
  mc_plot_list l;
  int status = MC_OK;
  if (mc_h5_read_guarded(file, &r, err, sizeof err) != MC_OK) {
    fprintf(stderr, "memcurve plot: %s: %s\n", file, err);
    free(defdir);
    return MC_EFORMAT; /* unreadable input: exit 2, nothing was drawn */
  }
  int rc = mc_plot_draw(&r, &o, &l, err, sizeof err);
  for (size_t i = 0; i < l.nnotes; i++) fprintf(stderr, "memcurve plot: note: %s\n", l.notes[i]);
  if (rc != MC_OK) {
    fprintf(stderr, "memcurve plot: %s: %s\n", file, err);
    status = rc;
  }
  if (l.ncharts) fprintf(stderr, "memcurve plot: %zu chart(s) in %s\n", l.ncharts, o.outdir);
  mc_plot_list_free(&l);
  mc_h5_results_free(&r);
  free(defdir);
  return status;
}
