/* How long to wait before the next attempt to reach a live source: 0.5 s,
 * doubling up to 10 s, forever; back to 0.5 s once it is live again. */
#ifndef RTSP_HELPER_BACKOFF_H
#define RTSP_HELPER_BACKOFF_H

#include <glib.h>

#define BACKOFF_FIRST_MS 500
#define BACKOFF_MAX_MS 10000

typedef struct
{
  guint next_ms;
} Backoff;

void backoff_reset (Backoff * backoff);
/* The wait before this attempt; the next one waits twice as long. */
guint backoff_next (Backoff * backoff);

#endif /* RTSP_HELPER_BACKOFF_H */
