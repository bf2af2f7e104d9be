/* trace_target.c — the programs test_trace traces: each mode does one thing whose memory or
 * fate the test knows in advance.
 *   alloc MB MS       allocates MB MiB, touches every page, reports "1 BYTES" on
 *                     $MEMCURVE_TRACE_FD when set, holds it MS ms, exits 0
 *   crash MB          allocates and touches MB MiB, then dies of SIGSEGV
 *   fail              exits with status 3
 *   hang              sleeps until killed
 *   fork MB MS        forks: the child and the parent each allocate and touch MB MiB and hold
 *                     it MS ms; the parent waits for the child
 *   orphan FILE       forks a child that writes its pid to FILE and sleeps forever; exits 0 at once
 *   report K          reports K numeric lines "i i*1000", a phase "build 5", a malformed line,
 *                     a line with no newline at the end
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0) {
  }
}

static char *touch(size_t mb) {
  size_t n = mb << 20;
  char *p = malloc(n);
  if (!p) exit(4);
  for (size_t i = 0; i < n; i += 4096) p[i] = (char)i;
  return p;
}

static FILE *report_stream(void) {
  const char *e = getenv("MEMCURVE_TRACE_FD");
  return e ? fdopen(atoi(e), "w") : NULL;
}

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  const char *m = argv[1];
  size_t mb = argc > 2 ? strtoul(argv[2], NULL, 10) : 0;
  long ms = argc > 3 ? strtol(argv[3], NULL, 10) : 0;
  if (strcmp(m, "alloc") == 0) {
    char *p = touch(mb);
    FILE *f = report_stream();
    if (f) fprintf(f, "1 %zu\n", mb << 20), fflush(f);
    sleep_ms(ms);
    free(p);
    return 0;
  }
  if (strcmp(m, "crash") == 0) {
    volatile char *p = touch(mb);
    (void)p;
    raise(SIGSEGV);
    return 0;
  }
  if (strcmp(m, "fail") == 0) return 3;
  if (strcmp(m, "hang") == 0)
    for (;;) pause();
  if (strcmp(m, "fork") == 0) {
    pid_t pid = fork();
    char *p = touch(mb);
    sleep_ms(ms);
    free(p);
    if (pid == 0) _exit(0);
    int st;
    waitpid(pid, &st, 0);
    return 0;
  }
  if (strcmp(m, "orphan") == 0) {
    pid_t pid = fork();
    if (pid == 0) {
      FILE *f = fopen(argv[2], "w");
      if (f) fprintf(f, "%d\n", (int)getpid()), fclose(f);
      for (;;) pause();
    }
    sleep_ms(200); /* the pid file is written */
    return 0;
  }
  if (strcmp(m, "report") == 0) {
    FILE *f = report_stream();
    if (!f) return 5;
    for (size_t i = 1; i <= mb; i++) fprintf(f, "%zu %zu\n", i, i * 1000);
    fprintf(f, "build 5\nnot a report line\n");
    fflush(f);
    sleep_ms(20);
    fprintf(f, "%zu 7", mb + 1); /* no newline: not a complete line, not counted */
    fflush(f);
    return 0;
  }
  return 2;
}
