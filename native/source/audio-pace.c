#include "source/audio-pace.h"

/* The least delay is taken over this window and the one before: a source
 * whose clock runs slower than ours would otherwise fall ever later. */
#define WINDOW_US (2 * G_USEC_PER_SEC)
#define JUMP_US G_USEC_PER_SEC

void
audio_pace_reset (AudioPace * pace)
{
  pace->started = FALSE;
}

static void
start (AudioPace * pace, gint64 delay_us, gint64 now_us)
{
  pace->started = TRUE;
  pace->window_start_us = now_us;
  pace->least_us = delay_us;
  pace->previous_least_us = delay_us;
}

static gint64
least_us (const AudioPace * pace)
{
  return MIN (pace->least_us, pace->previous_least_us);
}

void
audio_pace_note (AudioPace * pace, GstClockTime pts, gint64 now_us)
{
  gint64 delay_us;

  if (!GST_CLOCK_TIME_IS_VALID (pts))
    return;
  delay_us = now_us - (gint64) GST_TIME_AS_USECONDS (pts);
  if (!pace->started || delay_us - least_us (pace) > JUMP_US) {
    start (pace, delay_us, now_us);
    return;
  }
  if (now_us - pace->window_start_us >= WINDOW_US) {
    pace->previous_least_us = pace->least_us;
    pace->least_us = delay_us;
    pace->window_start_us = now_us;
  }
  pace->least_us = MIN (pace->least_us, delay_us);
}

GstClockTime
audio_pace_lateness (const AudioPace * pace, GstClockTime pts, gint64 now_us)
{
  gint64 late_us;

  if (!pace->started || !GST_CLOCK_TIME_IS_VALID (pts))
    return 0;
  late_us = now_us - (gint64) GST_TIME_AS_USECONDS (pts) - least_us (pace);
  return late_us > 0 ? (GstClockTime) late_us *GST_USECOND : 0;
}
