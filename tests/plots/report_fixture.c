/* report_fixture.c — `report_fixture DIR`: writes the plot fixture (5 repetitions, glossary)
 * to DIR/fixture.h5 and its report with `memcurve report` (charts drawn by gnuplot) to
 * DIR/fixture.html, charts in DIR/fixture/. The browser test (test_report_browser) then opens
 * the page in headless Chromium. Exit 0 on success. */
#include <stdio.h>

#include "mc_cli.h"
#include "mc_error.h"
#include "plot_fixture.h"

int main(int argc, char **argv) {
  if (argc != 2) return fprintf(stderr, "usage: report_fixture DIR\n"), 2;
  char file[4096];
  snprintf(file, sizeof file, "%s/fixture.h5", argv[1]);
  if (mc_plotfix_write(file, MC_PLOTFIX_REPS5) != MC_OK)
    return fprintf(stderr, "report_fixture: cannot write %s\n", file), 1;
  char *rargv[] = {"report", file, NULL};
  return mc_cli_exit_status(mc_cli_report(2, rargv));
}
