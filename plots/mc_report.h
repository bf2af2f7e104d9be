/* mc_report.h — `memcurve report`: one self-contained HTML page from a results file (the machine
 * and configuration, per structure and workload the fastest and the leanest allocator, every
 * allocator's time and peak memory as a ratio to the system allocator, the charts) and a short
 * Markdown summary for the terminal. */
#ifndef MC_REPORT_H
#define MC_REPORT_H

#include <stdio.h>

#include "mc_plot.h"
#include "mc_result.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Writes the report of r to html_path. source names the results file in the page. Charts of
 * the list are linked as plots_rel/<name>.png (and .svg), plots_rel being relative to the
 * page's directory; a chart whose PNG does not exist there is left out, so the page only
 * references files that exist. If md is not NULL, a Markdown summary goes there. Every string
 * from the file is HTML-escaped. Returns MC_OK, MC_EIO (cannot write html_path) or MC_ENOMEM,
 * with a reason in err. */
int mc_report_write(const mc_results *r, const char *source, const char *html_path,
                    const char *plots_rel, const mc_plot_list *charts, FILE *md, char *err,
                    size_t errlen);

/* The directory of path ("." when it names none, "/" for the root), malloc'd; NULL when out of
 * memory. Where the report and its charts go by default. */
char *mc_report_dir_of(const char *path);

/* The name a results file gives its report: the file's base name without ".h5" or ".hdf5"
 * ("memcurve" for results/memcurve.h5), or with "_report" added when it has neither (so the
 * charts' folder never takes the file's own name). malloc'd; NULL when out of memory. The
 * report is <dir>/<stem>.html and its charts <dir>/<stem>/: two results files in one folder
 * never share charts. */
char *mc_report_stem(const char *path);

#ifdef __cplusplus
}
#endif
#endif /* MC_REPORT_H */
