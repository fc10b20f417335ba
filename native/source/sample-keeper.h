/* A live source's viewers keep getting frames when it has none: its last
 * picture, held, or a black slate before its first; silence for its audio. */
#ifndef RTSP_HELPER_SAMPLE_KEEPER_H
#define RTSP_HELPER_SAMPLE_KEEPER_H

#include <gst/gst.h>

#include "source/fan-out.h"

typedef struct _SampleKeeper SampleKeeper;

typedef enum
{
  /* The last sample taken stands in (a picture); the filler before it. */
  SAMPLE_KEEPER_HOLD_LAST,
  /* The filler always stands in (silence). */
  SAMPLE_KEEPER_FILLER,
} SampleKeeperMode;

/* Pushes to fan_out, one sample each period_us, whenever none was taken
 * for gap_us, and from a second after it starts when none came yet. Takes
 * its own reference to filler. Runs in a thread of its own. */
SampleKeeper *sample_keeper_new (FanOut * fan_out, GstSample * filler,
    SampleKeeperMode mode, gint64 period_us, gint64 gap_us);
/* Stops pushing (no push runs once it returns) and frees it. Any thread. */
void sample_keeper_free (SampleKeeper * keeper);
/* A live sample went out. Streaming thread. */
void sample_keeper_take (SampleKeeper * keeper, GstSample * sample);
/* Monotonic time of the last live sample, 0 before the first. */
gint64 sample_keeper_last_us (SampleKeeper * keeper);

#endif /* RTSP_HELPER_SAMPLE_KEEPER_H */
