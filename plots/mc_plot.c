/* mc_plot.c — charts from a results file through gnuplot.
 *
 * For each chart: the numbers are written as whitespace-separated blocks (one block per series,
 * blocks separated by two blank lines, so gnuplot's `index` picks them) to
 * <out>/data/<chart>.dat; the series names and styles and every other input go on gnuplot's
 * command line as `-e 't1="system"; s1=1; ...'` (strings octal-escaped: mc__sb_str);
 * gnuplot runs as a child process (fork/exec, no shell), once per chart for both formats (the
 * script replots as SVG), up to one child per CPU at a time, its output in
 * <out>/data/<chart>.log; its exit status and the files it wrote are checked.
 * Chart names are kind_structure_workload with anything but [A-Za-z0-9.-] made '-'; a name
 * that two charts would share gets -2, -3... so no chart overwrites another.
 * Each allocator keeps one style (colour + dash + point) in every chart of a file: its index
 * in the file's allocators ordered by style_order (the harness's first), wrapping after 24. Memory
 * axes are scaled to one binary unit. What each chart shows is mc_plot_charts.c; this file is the
 * gnuplot side and the command. */
#define _POSIX_C_SOURCE 200809L /* fork, waitpid, mkdir, access, strnlen */
#define _XOPEN_SOURCE 700       /* realpath */
#include "mc_plot.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mc_error.h"
#include "mc_plot_impl.h"
#include "mc_plotdata.h"
#include "mc_utf8.h"

#ifndef MC_PLOTS_DIR
#define MC_PLOTS_DIR "plots"
#endif
#ifndef MC_PLOTS_INSTALL_REL /* the installed scripts, from the executable's folder (CMake) */
#define MC_PLOTS_INSTALL_REL "../share/memcurve/plots"
#endif

/* ---- a growing string for gnuplot's -e ---------------------------------------------------- */

void mc__sb_printf(sbuf *b, const char *fmt, ...) {
  va_list ap;
  for (;;) {
    size_t room = b->cap - b->n;
    va_start(ap, fmt);
    int k = b->p ? vsnprintf(b->p + b->n, room, fmt, ap) : -1;
    va_end(ap);
    if (k >= 0 && (size_t)k < room) {
      b->n += (size_t)k;
      return;
    }
    size_t cap = b->cap ? b->cap * 2 : 1024;
    while (k >= 0 && cap - b->n <= (size_t)k) cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
      b->oom = 1;
      return;
    }
    b->p = p, b->cap = cap;
  }
}

/* name="value"; as a gnuplot double-quoted string in which every byte but letters, digits and
 * " ._,:/+-" is an octal escape (\ooo): the bytes arrive exactly (quotes, backslashes, '@',
 * newlines, any UTF-8), and no value can end the string or start a macro. Single quotes cannot
 * do this: gnuplot's tokenizer reads a doubled quote at a string's start as an empty string. */
void mc__sb_str(sbuf *b, const char *name, const char *value) {
  mc__sb_printf(b, "%s=\"", name);
  for (const unsigned char *s = (const unsigned char *)value; *s; s++) {
    if (isalnum(*s) || strchr(" ._,:/+-()", *s)) /* plain in a double-quoted string */
      mc__sb_printf(b, "%c", *s);
    else
      mc__sb_printf(b, "\\%03o", *s);
  }
  mc__sb_printf(b, "\";");
}

void mc__sb_num(sbuf *b, const char *name, double v) {
  if (isfinite(v))
    mc__sb_printf(b, "%s=%.9e;", name, v);
  else
    mc__sb_printf(b, "%s=NaN;", name);
}

/* ---- the drawing context ------------------------------------------------------------------ */

/* v (n elements of elem bytes, room for *cap) with room for one more: v itself, or v moved
 * with its room doubled (16 at first); NULL when memory runs out (c->oom set, v unchanged). */
static void *room_for_one(ctx *c, void *v, size_t n, size_t *cap, size_t elem) {
  if (n < *cap) return v;
  size_t nc = *cap ? *cap * 2 : 16;
  void *p = realloc(v, nc * elem);
  if (!p) {
    c->oom = 1;
    return NULL;
  }
  *cap = nc;
  return p;
}

void mc__plot_note(ctx *c, const char *fmt, ...) {
  mc_plot_list *l = c->list;
  void *p = room_for_one(c, l->notes, l->nnotes, &l->notecap, sizeof *l->notes);
  if (!p) return;
  l->notes = p;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(l->notes[l->nnotes++], sizeof *l->notes, fmt, ap);
  va_end(ap);
}

int mc__plot_style(const ctx *c, const char *allocator) {
  int i = mc_plotdata_names_find(&c->allocs, allocator);
  return mc_plotdata_style(i < 0 ? 0 : (size_t)i);
}

/* The order in which a file's allocators take the styles (mc_plotdata_names_by_order): those
 * its runs give a place (allocator_order, from the harness's allocator table: in a full sweep
 * the eight distinct colours go to the allocators that share the structure charts — the
 * mallocs, the region allocators, the collector; then Boehm and the collector's variants), in
 * that order, then names only Google Benchmark uses (system_untracked, malloc_direct, std, ...)
 * in alphabetical order. Absent allocators take no style, so a file with few allocators gets
 * the most distinct ones. */
static void style_order(ctx *c) {
  if (mc_plotdata_names_by_order(&c->allocs, c->cells, c->ncells) != MC_OK) c->oom = 1;
}

/* File-name-safe copy: letters, digits, '.', '-' kept, anything else '-'. */
static void safe_name(char *dst, size_t size, const char *src) {
  size_t i = 0;
  for (; src[i] && i + 1 < size; i++) {
    char ch = src[i];
    int keep = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
               ch == '.' || ch == '-';
    dst[i] = keep ? ch : '-';
  }
  dst[i] = '\0';
}

/* ---- one chart in progress ---------------------------------------------------------------- */

static char *path_join(const char *dir, const char *name, const char *ext) {
  size_t len = strlen(dir) + strlen(name) + strlen(ext) + 2;
  char *p = malloc(len);
  if (p) snprintf(p, len, "%s/%s%s", dir, name, ext);
  return p;
}

static int name_taken(const ctx *c, const char *name) {
  for (size_t i = 0; i < c->list->ncharts; i++)
    if (!strcmp(c->list->charts[i].name, name)) return 1;
  for (size_t i = 0; i < c->njobs; i++)
    if (!strcmp(c->jobs[i].info.name, name)) return 1;
  return 0;
}

/* Starts chart kind for (structure, workload) (either may be ""); title says what it shows. */
int mc__chart_begin(ctx *c, chart *ch, const char *kind, const char *structure,
                    const char *workload, const char *title) {
  memset(ch, 0, sizeof *ch);
  ch->c = c;
  snprintf(ch->info.kind, sizeof ch->info.kind, "%s", kind);
  snprintf(ch->info.structure, sizeof ch->info.structure, "%s", structure);
  snprintf(ch->info.workload, sizeof ch->info.workload, "%s", workload);
  snprintf(ch->info.title, sizeof ch->info.title, "%s", title);
  char s[MC_RESULT_NAME], w[MC_RESULT_NAME];
  safe_name(s, sizeof s, structure);
  safe_name(w, sizeof w, workload);
  snprintf(ch->info.name, sizeof ch->info.name, "%s%s%s%s%s", kind, *s ? "_" : "", s, *w ? "_" : "",
           w);
  for (int k = 2; name_taken(c, ch->info.name); k++)
    snprintf(ch->info.name, sizeof ch->info.name, "%s%s%s%s%s-%d", kind, *s ? "_" : "", s,
             *w ? "_" : "", w, k);
  if (c->o->plan_only) return MC_OK;
  char *dir = path_join(c->o->outdir, "data", "");
  if (!dir) return MC_ENOMEM;
  ch->data_path = path_join(dir, ch->info.name, ".dat");
  ch->marks_path = path_join(dir, ch->info.name, ".marks.dat");
  free(dir);
  if (!ch->data_path || !ch->marks_path) return MC_ENOMEM;
  if (!(ch->data = fopen(ch->data_path, "w")) || !(ch->marks = fopen(ch->marks_path, "w")))
    return MC_EIO;
  fprintf(ch->data, "# memcurve chart data: %s\n", title);
  fprintf(ch->marks, "# memcurve chart marks: %s\n", title);
  return MC_OK;
}

/* Starts series i+1 of the data file, named label, drawn in style. */
void mc__chart_series(chart *ch, const char *label, int style) {
  char name[16];
  ch->ns++;
  if (ch->data) fprintf(ch->data, "%s# series %zu: %s\n", ch->ns > 1 ? "\n\n" : "", ch->ns, label);
  snprintf(name, sizeof name, "t%zu", ch->ns);
  mc__sb_str(&ch->vars, name, label);
  mc__sb_printf(&ch->vars, "s%zu=%d;", ch->ns, style);
}

void mc__chart_marks_series(chart *ch, int style) {
  ch->nm++;
  if (ch->marks) fprintf(ch->marks, "%s# marks %zu\n", ch->nm > 1 ? "\n\n" : "", ch->nm);
  mc__sb_printf(&ch->vars, "m%zu=%d;", ch->nm, style);
}

/* Notes an N on the x axis. */
void mc__chart_x(chart *ch, uint64_t n) {
  for (size_t i = 0; i < ch->nx && i < 12; i++)
    if (ch->xs[i] == n) return;
  if (ch->nx < 12) ch->xs[ch->nx] = n;
  ch->nx++;
}

/* xtl = '"2k" 2000, "20k" 20000' when the x axis has few distinct N: one tic per N. */
static void chart_xtics(chart *ch) {
  if (!ch->nx || ch->nx > 12) return;
  mc__sb_printf(&ch->vars, "xtl='");
  for (size_t i = 0; i < ch->nx; i++) {
    uint64_t n = ch->xs[i];
    const char *suffix = n >= 1000000 && n % 100000 == 0 ? "M"
                         : n >= 1000 && n % 100 == 0     ? "k"
                                                         : "";
    double v = *suffix == 'M' ? (double)n / 1e6 : *suffix == 'k' ? (double)n / 1e3 : (double)n;
    mc__sb_printf(&ch->vars, "%s\"%g%s\" %llu", i ? ", " : "", v, suffix, (unsigned long long)n);
  }
  mc__sb_printf(&ch->vars, "';");
}

void mc__chart_free(chart *ch) {
  if (ch->data) fclose(ch->data);
  if (ch->marks) fclose(ch->marks);
  free(ch->data_path);
  free(ch->marks_path);
  free(ch->vars.p);
  memset(ch, 0, sizeof *ch);
}

/* Gives up on a chart: the reason becomes a note. */
void mc__chart_skip(chart *ch, const char *why) {
  mc__plot_note(ch->c, "%s: skipped, %s", ch->info.name, why);
  mc__chart_free(ch);
}

/* 1 if gnuplot wrote the whole chart: a PNG ends with its IEND chunk, an SVG is valid UTF-8 and
 * ends with </svg> (a full disk truncates either; a bad byte in a label breaks an SVG). */
static int chart_complete(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) return 0;
  size_t n = (size_t)st.st_size, len = strlen(path);
  int svg = len > 4 && strcmp(path + len - 4, ".svg") == 0;
  if (!svg && n > (size_t)1 << 30) return 0;
  unsigned char *buf = malloc(svg ? n : 12);
  FILE *f = buf ? fopen(path, "rb") : NULL;
  int ok = 0;
  if (f && svg) {
    ok = fread(buf, 1, n, f) == n && mc_utf8_valid(buf, n, 0);
    size_t end = n;
    while (ok && end && (buf[end - 1] == '\n' || buf[end - 1] == ' ')) end--;
    ok = ok && end >= 6 && memcmp(buf + end - 6, "</svg>", 6) == 0;
  } else if (f) { /* PNG: the IEND chunk (length 0, type, CRC) closes the file */
    static const unsigned char iend[12] = {0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82};
    ok = n >= 12 && fseek(f, (long)(n - 12), SEEK_SET) == 0 && fread(buf, 1, 12, f) == 12 &&
         memcmp(buf, iend, 12) == 0;
  }
  if (f) fclose(f);
  free(buf);
  return ok;
}

/* Starts gnuplot on script with the -e program vars, stdout and stderr to log. Returns the
 * child's pid, or -1. */
static long spawn_gnuplot(const ctx *c, const char *script, const char *vars, const char *log) {
  pid_t pid = fork();
  if (pid == 0) {
    int in = open("/dev/null", O_RDONLY);
    int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in >= 0) dup2(in, 0);
    if (fd >= 0) dup2(fd, 1), dup2(fd, 2);
    execl(c->gnuplot, c->gnuplot, "-e", vars, script, (char *)NULL);
    _exit(127);
  }
  return pid < 0 ? -1 : (long)pid;
}

static void job_free(mc__plot_job *j) {
  free(j->out);
  free(j->out2);
  free(j->log);
}

static void list_chart(ctx *c, const mc_plot_chart *info) {
  mc_plot_list *l = c->list;
  void *p = room_for_one(c, l->charts, l->ncharts, &l->cap, sizeof *l->charts);
  if (!p) return;
  l->charts = p;
  l->charts[l->ncharts++] = *info;
  if (c->o->verbose) fprintf(stderr, "memcurve plot: %s — %s\n", info->name, info->title);
}

static void chart_failed(ctx *c, const char *name, const char *log) {
  mc__plot_note(c, "%s: gnuplot failed, see %s", name, log);
  if (!c->failures++)
    snprintf(c->first_failure, sizeof c->first_failure, "gnuplot failed on %s (see %s)", name, log);
}

/* Waits for the oldest child; lists its chart if it exited 0 and wrote its files. */
static void finish_oldest(ctx *c) {
  mc__plot_job j = c->jobs[0];
  memmove(c->jobs, c->jobs + 1, --c->njobs * sizeof *c->jobs);
  int status = 0;
  pid_t got;
  while ((got = waitpid((pid_t)j.pid, &status, 0)) < 0 && errno == EINTR) {
  }
  int exited0 = got >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (exited0 && chart_complete(j.out) && (!j.out2 || chart_complete(j.out2))) {
    list_chart(c, &j.info);
  } else if (exited0) { /* gnuplot said yes, the file says no: a full disk, a bad byte */
    mc__plot_note(c, "%s: the drawn file is incomplete or not valid (full disk?), left out",
                  j.info.name);
    if (!c->failures++)
      snprintf(c->first_failure, sizeof c->first_failure,
               "%.120s: the drawn file is incomplete or not valid (full disk?)", j.info.name);
  } else {
    chart_failed(c, j.info.name, j.log);
  }
  job_free(&j);
}

void mc__plot_wait_all(ctx *c) {
  while (c->njobs) finish_oldest(c);
}

/* Starts plots/<script>.gp: the first format into out, and with both formats the script
 * replots as SVG into out2 (plots/second.gp), so each chart costs one gnuplot start. */
static void chart_draw(chart *ch, const char *script) {
  ctx *c = ch->c;
  int both = (c->o->formats & MC_PLOT_PNG) && (c->o->formats & MC_PLOT_SVG);
  const char *first = (c->o->formats & MC_PLOT_PNG) ? "png" : "svg";
  char ext[8];
  snprintf(ext, sizeof ext, ".%s", first);
  char *gp = path_join(c->scripts, script, ".gp"), *dir = path_join(c->o->outdir, "data", "");
  mc__plot_job j = {.info = ch->info};
  j.log = dir ? path_join(dir, ch->info.name, ".log") : NULL;
  j.out = path_join(c->o->outdir, ch->info.name, ext);
  j.out2 = both ? path_join(c->o->outdir, ch->info.name, ".svg") : NULL;
  sbuf v = {0};
  if (gp && j.log && j.out && (j.out2 || !both)) {
    mc__sb_printf(&v, "%s", ch->vars.p);
    mc__sb_str(&v, "fmt", first);
    mc__sb_str(&v, "out", j.out);
    if (j.out2) mc__sb_str(&v, "out2", j.out2);
  }
  if (!gp || !j.log || !j.out || (both && !j.out2) || v.oom) {
    c->oom = 1;
    job_free(&j);
  } else {
    remove(j.out);
    if (j.out2) remove(j.out2);
    /* the variables handed to gnuplot, kept beside the data (what the tests and a reader
     * check: fit ranges, failure marks, axis tops) */
    char *vp = path_join(dir, ch->info.name, ".vars");
    FILE *vf = vp ? fopen(vp, "w") : NULL;
    if (vf) fprintf(vf, "%s\n", ch->vars.p ? ch->vars.p : ""), fclose(vf);
    free(vp);
    if (c->njobs == c->maxjobs) finish_oldest(c);
    if ((j.pid = spawn_gnuplot(c, gp, v.p, j.log)) < 0) {
      chart_failed(c, j.info.name, j.log);
      job_free(&j);
    } else {
      c->jobs[c->njobs++] = j;
    }
  }
  free(v.p);
  free(gp);
  free(dir);
}

void mc__chart_end(chart *ch, const char *script) {
  ctx *c = ch->c;
  if (!ch->nrows) { /* gnuplot fails on an empty file: never one chart's lack of data */
    mc__chart_skip(ch, "no data to draw");
    return;
  }
  if (c->o->plan_only) {
    list_chart(c, &ch->info);
  } else {
    int ok = fclose(ch->data) == 0;
    ok &= fclose(ch->marks) == 0;
    ch->data = ch->marks = NULL;
    mc__sb_str(&ch->vars, "gpdir", c->scripts);
    mc__sb_str(&ch->vars, "data", ch->data_path);
    mc__sb_str(&ch->vars, "marks", ch->marks_path);
    mc__sb_printf(&ch->vars, "ns=%zu;nm=%zu;", ch->ns, ch->nm);
    mc__sb_str(&ch->vars, "ttl", ch->info.title);
    chart_xtics(ch);
    if (ch->vars.oom) c->oom = 1, ok = 0;
    if (ok)
      chart_draw(ch, script);
    else
      mc__plot_note(c, "%s: skipped, its data could not be written", ch->info.name);
  }
  mc__chart_free(ch);
}

/* The program to run: an explicit path, or name looked up on PATH. NULL when not found. */
static char *find_program(const char *name) {
  if (strchr(name, '/')) return access(name, X_OK) == 0 ? strdup(name) : NULL;
  const char *path = getenv("PATH");
  if (!path) path = "/usr/bin:/bin";
  while (*path) {
    size_t len = strcspn(path, ":");
    char *cand = malloc(len + strlen(name) + 2);
    if (!cand) return NULL;
    snprintf(cand, len + strlen(name) + 2, "%.*s/%s", (int)len, len ? path : ".", name);
    if (access(cand, X_OK) == 0) return cand;
    free(cand);
    path += len + (path[len] == ':');
  }
  return NULL;
}

static int mkdir_p(const char *dir) {
  char *p = strdup(dir);
  if (!p) return -1;
  for (char *s = p + 1;; s++) {
    char ch = *s;
    if (ch != '/' && ch != '\0') continue;
    *s = '\0';
    if (mkdir(p, 0755) != 0 && errno != EEXIST) {
      free(p);
      return -1;
    }
    *s = ch;
    if (!ch) break;
  }
  free(p);
  return 0;
}

/* The scripts of an installed memcurve: MC_PLOTS_INSTALL_REL from the folder of the running
 * executable (/proc/self/exe, links resolved: <prefix>/bin/memcurve finds
 * <prefix>/share/memcurve/plots wherever the prefix was moved). Returns that folder, canonical
 * and malloc'd, when its common.gp is readable; else NULL. */
static char *installed_scripts(void) {
  char exe[4096];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) return NULL;
  exe[n] = '\0';
  char *slash = strrchr(exe, '/');
  if (!slash) return NULL;
  *slash = '\0';
  char *rel = path_join(exe, MC_PLOTS_INSTALL_REL, "");
  char *dir = rel ? realpath(rel, NULL) : NULL;
  char *common = dir ? path_join(dir, "common.gp", "") : NULL;
  int found = common && access(common, R_OK) == 0;
  free(rel);
  free(common);
  if (!found) free(dir);
  return found ? dir : NULL;
}

/* The scripts folder, first found: --scripts DIR, $MEMCURVE_PLOTS, the installed scripts beside
 * the executable (installed_scripts), the source tree's plots/ (an uninstalled build). */
static int setup(ctx *c, char *err, size_t errlen) {
  const char *gp = c->o->gnuplot ? c->o->gnuplot : getenv("MEMCURVE_GNUPLOT");
  const char *sd = c->o->scripts ? c->o->scripts : getenv("MEMCURVE_PLOTS");
  char *installed = NULL;
  if (!gp || !*gp) gp = "gnuplot";
  if (!sd || !*sd) sd = (installed = installed_scripts()) ? installed : MC_PLOTS_DIR;
  if (!(c->gnuplot = find_program(gp))) {
    free(installed);
    snprintf(err, errlen,
             "gnuplot not found (looked for '%s'%s): install the Debian package "
             "gnuplot-nox",
             gp, strchr(gp, '/') ? "" : " on PATH");
    return MC_EINVAL;
  }
  char *common = path_join(sd, "common.gp", "");
  int found = common && access(common, R_OK) == 0;
  free(common);
  if (!found) {
    snprintf(err, errlen,
             "gnuplot scripts not found: no %s/common.gp (use --scripts DIR or "
             "MEMCURVE_PLOTS)",
             sd);
    free(installed);
    return MC_EINVAL;
  }
  c->scripts = installed ? installed : strdup(sd);
  if (!c->scripts) return MC_ENOMEM;
  char *data = path_join(c->o->outdir, "data", "");
  int made = data && mkdir_p(data) == 0;
  free(data);
  if (!made) {
    snprintf(err, errlen, "cannot create %s/data: %s", c->o->outdir, strerror(errno));
    return MC_EIO;
  }
  return MC_OK;
}

/* ---- the manifest: which files in outdir this report made ------------------------------ */

/* A chart name as the manifest may hold it: no path, no hidden file. */
static int manifest_name_ok(const char *s) {
  if (!*s || *s == '.') return 0;
  for (; *s; s++)
    if (!(isalnum((unsigned char)*s) || strchr("_-.+", *s))) return 0;
  return 1;
}

static void remove_chart(const char *dir, const char *name) {
  static const char *const files[] = {"",     ".png",  "",           ".svg",  "data/",
                                      ".dat", "data/", ".marks.dat", "data/", ".log"};
  for (size_t i = 0; i < sizeof files / sizeof *files; i += 2) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s%s%s", dir, files[i], name, files[i + 1]);
    unlink(path);
  }
}

/* Removes the charts that outdir/MC_PLOT_MANIFEST lists and l does not (a previous drawing of
 * this results file made them; nothing else is touched), then lists l's charts there. */
static int prune_and_record(const char *dir, const mc_plot_list *l) {
  char path[4096], tmp[4200], line[256];
  snprintf(path, sizeof path, "%s/%s", dir, MC_PLOT_MANIFEST);
  FILE *f = fopen(path, "r");
  while (f && fgets(line, sizeof line, f)) {
    line[strcspn(line, "\n")] = '\0';
    if (!manifest_name_ok(line)) continue;
    int keep = 0;
    for (size_t i = 0; i < l->ncharts && !keep; i++) keep = !strcmp(l->charts[i].name, line);
    if (!keep) remove_chart(dir, line);
  }
  if (f) fclose(f);
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  if (!(f = fopen(tmp, "w"))) return MC_EIO;
  for (size_t i = 0; i < l->ncharts; i++) fprintf(f, "%s\n", l->charts[i].name);
  int bad = ferror(f);
  if (fclose(f) != 0 || bad || rename(tmp, path) != 0) return unlink(tmp), MC_EIO;
  return MC_OK;
}

int mc_plot_draw(const mc_results *r, const mc_plot_opts *o, mc_plot_list *out, char *err,
                 size_t errlen) {
  mc_plot_opts opts = *o;
  ctx c = {.r = r, .o = &opts, .list = out};
  int rc = MC_OK;
  memset(out, 0, sizeof *out);
  if (!opts.formats) opts.formats = MC_PLOT_PNG | MC_PLOT_SVG;
  if (!opts.outdir) opts.outdir = ".";
  if (!r->nruns && !r->nsummary && !r->ntput) {
    snprintf(err, errlen, "the results file holds no run: nothing to draw");
    return MC_EINVAL;
  }
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  c.maxjobs = cpus < 1 ? 1 : cpus > 8 ? 8 : (size_t)cpus;
  if (!opts.plan_only && (rc = setup(&c, err, errlen)) != MC_OK) goto done;
  if ((rc = mc_plotdata_cells(r, &c.cells, &c.ncells)) != MC_OK) goto done;
  for (size_t i = 0; i < c.ncells; i++)
    if (mc_plotdata_names_add(&c.allocs, c.cells[i].allocator) < 0) c.oom = 1;
  for (size_t i = 0; i < r->ntput; i++)
    if (mc_plotdata_names_add(&c.allocs, r->tput[i].allocator) < 0) c.oom = 1;
  style_order(&c);
  int collector = 0;
  for (size_t i = 0; i < r->nruns; i++) collector |= mc__plot_is_collector(&r->runs[i]);
  for (size_t lo = 0, hi; lo < c.ncells; lo = hi) {
    group g = {c.cells[lo].structure, c.cells[lo].workload, lo, lo, 0};
    for (hi = lo;
         hi < c.ncells && !strcmp(c.cells[hi].structure, g.s) && !strcmp(c.cells[hi].workload, g.w);
         hi++)
      if (c.cells[hi].run && c.cells[hi].run->ncurve && c.cells[hi].n > g.curve_n)
        g.curve_n = c.cells[hi].n;
    g.hi = hi;
    mc__plot_group(&c, &g);
  }
  mc__plot_refcount_vs_tracing(&c);
  mc__plot_bytes_per_elem(&c);
  mc__plot_heap_sweep(&c);
  mc__plot_drag(&c);
  mc__plot_gbench(&c);
  mc__plot_wait_all(&c);
  if (!collector)
    mc__plot_note(&c, "collector charts: skipped, no run of a collected heap (gc*, boehm)");
  if (!opts.plan_only && !c.oom && prune_and_record(opts.outdir, out) != MC_OK && !c.failures)
    rc = MC_EIO, snprintf(err, errlen, "cannot write %s/%s", opts.outdir, MC_PLOT_MANIFEST);
  if (c.oom)
    rc = MC_ENOMEM, snprintf(err, errlen, "out of memory");
  else if (c.failures)
    rc = MC_EIO,
    snprintf(err, errlen, "%d chart(s) failed; first: %s", c.failures, c.first_failure);
done:
  mc__plot_wait_all(&c);
  free(c.cells);
  free(c.scripts);
  free(c.gnuplot);
  mc_plotdata_names_free(&c.allocs);
  return rc;
}

void mc_plot_list_free(mc_plot_list *l) {
  free(l->charts);
  free(l->notes);
  memset(l, 0, sizeof *l);
}
