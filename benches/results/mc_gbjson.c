/* mc_gbjson.c — a small recursive-descent JSON reader, just enough for Google Benchmark's
 * output: it walks the whole document (so malformed input is rejected), and for each object
 * inside the top-level "benchmarks" array collects the scalar members it knows (name,
 * run_type, repetition_index, iterations, real_time, cpu_time, time_unit, items_per_second,
 * bytes_per_second, max_bytes_used, allocs_per_iter, the counter per_allocation: the row's
 * kind) into one mc_result_tput row. Times are
 * converted to ns from time_unit. Nesting is bounded (64) so hostile input cannot blow the
 * stack. */
#define _POSIX_C_SOURCE 200809L
#include "mc_gbjson.h"

#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mc_error.h"

typedef struct parser {
  const char *s;
  int depth;
  int in_benchmarks; /* inside the top-level "benchmarks" array */
  int seen_benchmarks;
  mc_result_tput *rows;
  size_t n, cap;
  mc_result_tput cur; /* the benchmark object being read */
  char run_type[32];
  char unit[8];
  int oom;
} parser;

static void ws(parser *p) {
  while (isspace((unsigned char)*p->s)) p->s++;
}

/* Reads a string into buf (escapes decoded roughly: \uXXXX becomes '?'). */
static int str(parser *p, char *buf, size_t size) {
  if (*p->s != '"') return -1;
  p->s++;
  size_t k = 0;
  while (*p->s && *p->s != '"') {
    char c = *p->s++;
    if (c == '\\') {
      c = *p->s++;
      if (c == 'u') {
        for (int i = 0; i < 4; i++)
          if (!isxdigit((unsigned char)*p->s++)) return -1;
        c = '?';
      } else if (c == 'n')
        c = '\n';
      else if (c == 't')
        c = '\t';
      else if (c == '\0')
        return -1;
    }
    if (buf && k + 1 < size) buf[k++] = c;
  }
  if (*p->s != '"') return -1;
  p->s++;
  if (buf) buf[k] = '\0';
  return 0;
}

static int value(parser *p, const char *key, int top_member);

/* Copies src into dst[size], truncating. */
static void cpy(char *dst, size_t size, const char *src) {
  size_t l = strlen(src);
  if (l >= size) l = size - 1;
  memcpy(dst, src, l);
  dst[l] = '\0';
}

/* Google Benchmark's numbers a throughput row keeps as they are (doubles): key, field. */
static const struct {
  const char *key;
  size_t offset;
} f64_keys[] = {
    {"real_time", offsetof(mc_result_tput, real_ns)},
    {"cpu_time", offsetof(mc_result_tput, cpu_ns)},
    {"items_per_second", offsetof(mc_result_tput, items_per_s)},
    {"bytes_per_second", offsetof(mc_result_tput, bytes_per_s)},
    {"max_bytes_used", offsetof(mc_result_tput, max_bytes_used)},
    {"allocs_per_iter", offsetof(mc_result_tput, allocs_per_iter)},
};

static void set_member(parser *p, const char *key, const char *sval, double num, int is_num) {
  mc_result_tput *t = &p->cur;
  if (!is_num) {
    if (strcmp(key, "name") == 0)
      snprintf(t->name, sizeof t->name, "%s", sval);
    else if (strcmp(key, "run_type") == 0)
      cpy(p->run_type, sizeof p->run_type, sval);
    else if (strcmp(key, "time_unit") == 0)
      cpy(p->unit, sizeof p->unit, sval);
    return;
  }
  if (strcmp(key, "iterations") == 0)
    t->iterations = (uint64_t)num;
  else if (strcmp(key, "repetition_index") == 0)
    t->rep = (uint32_t)num;
  else if (strcmp(key, MC_GBJSON_PER_ALLOCATION) == 0)
    t->kind = num != 0 ? MC_RESULT_TPUT_ALLOCATION : MC_RESULT_TPUT_OPS;
  else
    for (size_t i = 0; i < sizeof f64_keys / sizeof *f64_keys; i++)
      if (strcmp(key, f64_keys[i].key) == 0) *(double *)((char *)t + f64_keys[i].offset) = num;
}

/* Files a row by its name: <structure>/<workload>/<allocator>, N = the first numeric part
 * after them ("1024" or "n:1024"). */
static void file_row(mc_result_tput *t) {
  char tmp[sizeof t->name];
  snprintf(tmp, sizeof tmp, "%s", t->name);
  int part = 0;
  for (char *save = NULL, *tok = strtok_r(tmp, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
    if (part == 0)
      snprintf(t->structure, MC_RESULT_NAME, "%s", tok);
    else if (part == 1)
      snprintf(t->workload, MC_RESULT_NAME, "%s", tok);
    else if (part == 2)
      snprintf(t->allocator, MC_RESULT_NAME, "%s", tok);
    else if (t->n == 0) {
      const char *v = strchr(tok, ':') ? strchr(tok, ':') + 1 : tok;
      char *end;
      unsigned long long x = strtoull(v, &end, 10);
      if (end != v && *end == '\0' && strncmp(tok, "min_time", 8) &&
          strncmp(tok, "iterations", 10) && strncmp(tok, "repeats", 7))
        t->n = x;
    }
    part++;
  }
}

void mc_gbjson_file_vs(mc_result_tput *t) {
  const char *w = t->workload, *vs = strstr(w, "_vs_");
  t->vs_structure[0] = t->vs_workload[0] = '\0';
  if (!vs || vs == w || !vs[4] || !strcmp(vs + 4, t->structure)) return;
  snprintf(t->vs_structure, MC_RESULT_NAME, "%s", vs + 4);
  snprintf(t->vs_workload, MC_RESULT_NAME, "%.*s", (int)(vs - w), w);
}

static void end_benchmark(parser *p) {
  if (p->run_type[0] && strcmp(p->run_type, "iteration") != 0) return; /* aggregates */
  double scale = strcmp(p->unit, "us") == 0   ? 1e3
                 : strcmp(p->unit, "ms") == 0 ? 1e6
                 : strcmp(p->unit, "s") == 0  ? 1e9
                                              : 1.0;
  p->cur.real_ns *= scale;
  p->cur.cpu_ns *= scale;
  file_row(&p->cur);
  mc_gbjson_file_vs(&p->cur);
  if (p->n == p->cap) {
    size_t nc = p->cap ? p->cap * 2 : 32;
    mc_result_tput *nr = realloc(p->rows, nc * sizeof *nr);
    if (!nr) {
      p->oom = 1;
      return;
    }
    p->rows = nr;
    p->cap = nc;
  }
  p->rows[p->n++] = p->cur;
}

/* After a member or an element: 1 at ',' (consumed: another follows), 0 at close (consumed:
 * the object or array ends), -1 at anything else. */
static int after_item(parser *p, char close) {
  ws(p);
  if (*p->s == ',') {
    p->s++;
    return 1;
  }
  if (*p->s != close) return -1;
  p->s++;
  return 0;
}

static int object(parser *p, int is_benchmark, int top) {
  p->s++; /* { */
  if (is_benchmark) {
    memset(&p->cur, 0, sizeof p->cur);
    p->run_type[0] = '\0';
    snprintf(p->unit, sizeof p->unit, "ns");
  }
  ws(p);
  if (*p->s == '}') {
    p->s++;
    if (is_benchmark) end_benchmark(p);
    return 0;
  }
  for (;;) {
    char key[64];
    ws(p);
    if (str(p, key, sizeof key)) return -1;
    ws(p);
    if (*p->s++ != ':') return -1;
    ws(p);
    if (is_benchmark && (*p->s == '"' || *p->s == '-' || isdigit((unsigned char)*p->s))) {
      if (*p->s == '"') {
        char sval[160];
        if (str(p, sval, sizeof sval)) return -1;
        set_member(p, key, sval, 0, 0);
      } else {
        char *end;
        double d = strtod(p->s, &end);
        if (end == p->s) return -1;
        p->s = end;
        set_member(p, key, NULL, d, 1);
      }
    } else if (value(p, key, top)) {
      return -1;
    }
    int more = after_item(p, '}');
    if (more < 0) return -1;
    if (more) continue;
    if (is_benchmark) end_benchmark(p);
    return 0;
  }
}

static int array(parser *p, int benchmarks) {
  p->s++; /* [ */
  ws(p);
  if (*p->s == ']') {
    p->s++;
    return 0;
  }
  for (;;) {
    ws(p);
    if (benchmarks && *p->s == '{') {
      if (++p->depth > 64 || object(p, 1, 0)) return -1;
      p->depth--;
    } else if (value(p, NULL, 0)) {
      return -1;
    }
    int more = after_item(p, ']');
    if (more <= 0) return more;
  }
}

static int value(parser *p, const char *key, int top_member) {
  ws(p);
  int rc;
  if (++p->depth > 64) return -1;
  if (*p->s == '{')
    rc = object(p, 0, 0);
  else if (*p->s == '[') {
    int bm = top_member && key && strcmp(key, "benchmarks") == 0;
    if (bm) p->seen_benchmarks = 1;
    rc = array(p, bm);
  } else if (*p->s == '"')
    rc = str(p, NULL, 0);
  else if (strncmp(p->s, "true", 4) == 0) {
    p->s += 4;
    rc = 0;
  } else if (strncmp(p->s, "false", 5) == 0) {
    p->s += 5;
    rc = 0;
  } else if (strncmp(p->s, "null", 4) == 0) {
    p->s += 4;
    rc = 0;
  } else {
    char *end;
    strtod(p->s, &end);
    rc = end == p->s ? -1 : 0;
    p->s = end;
  }
  p->depth--;
  return rc;
}

int mc_gbjson_parse(const char *json, mc_result_tput **rows, size_t *nrows, char *err,
                    size_t errlen) {
  parser p;
  memset(&p, 0, sizeof p);
  p.s = json;
  *rows = NULL;
  *nrows = 0;
  ws(&p);
  int rc = *p.s == '{' ? object(&p, 0, 1) : -1;
  ws(&p);
  if (rc == 0 && *p.s != '\0') rc = -1;
  if (p.oom) {
    free(p.rows);
    return MC_ENOMEM;
  }
  if (rc || !p.seen_benchmarks) {
    if (err)
      snprintf(err, errlen, rc ? "malformed JSON near byte %ld" : "no \"benchmarks\" array",
               (long)(p.s - json));
    free(p.rows);
    return MC_EFORMAT;
  }
  *rows = p.rows;
  *nrows = p.n;
  return MC_OK;
}
