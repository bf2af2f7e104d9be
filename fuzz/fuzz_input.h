/* fuzz_input.h — what every libFuzzer target here shares: the input read as a byte program
 * (take8: the next byte, 0 once the input is spent), CHECK (a failed model check aborts with
 * the file and line, which libFuzzer reports as a crash; fuzz/run.sh greps "check failed"),
 * and ASan's option that lets an allocation fail with NULL instead of aborting (the error paths
 * under test need it). Included once, by each target's single source file. */
#ifndef MC_FUZZ_INPUT_H
#define MC_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "allocator_may_return_null=1"; }
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);                     \
      abort();                                                                                     \
    }                                                                                              \
  } while (0)

typedef struct input {
  const uint8_t *p;
  size_t n;
} input;

static inline unsigned take8(input *in) {
  if (!in->n) return 0;
  in->n--;
  return *in->p++;
}

#endif /* MC_FUZZ_INPUT_H */
