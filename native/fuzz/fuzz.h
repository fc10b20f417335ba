/* What every fuzz target shares: libFuzzer's entry points, and a check that
 * aborts (libFuzzer saves the input as a crash). */
#ifndef RTSP_HELPER_FUZZ_H
#define RTSP_HELPER_FUZZ_H

#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t * data, size_t size);

/* A promise of the code under test broken: a finding like a crash. */
#define FUZZ_CHECK(condition) G_STMT_START { \
    if (!(condition)) { \
      fprintf (stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, \
          #condition); \
      abort (); \
    } \
  } G_STMT_END

#endif /* RTSP_HELPER_FUZZ_H */
