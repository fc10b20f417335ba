/* A live source's audio goes out evenly spaced, as its timestamps say,
 * not in the bursts it arrives in, and without the delay of its encoder:
 * each frame is due at its timestamp plus the least delay seen lately
 * from a timestamp to its decoded audio's arrival. Pure: the caller gives
 * the time. */
#ifndef RTSP_HELPER_AUDIO_PACE_H
#define RTSP_HELPER_AUDIO_PACE_H

#include <gst/gst.h>

typedef struct
{
  gboolean started;
  gint64 window_start_us;
  gint64 least_us;              /* this window's least arrival - timestamp */
  gint64 previous_least_us;     /* the last window's */
} AudioPace;

/* Forgets the timestamps seen: a new pipeline starts them again. */
void audio_pace_reset (AudioPace * pace);
/* Decoded audio stamped pts arrived at now_us. Audio a second later than
 * the least delay starts the pace again: its source's timestamps
 * jumped. */
void audio_pace_note (AudioPace * pace, GstClockTime pts, gint64 now_us);
/* How long ago the frame stamped pts, leaving at now_us, was due. */
GstClockTime audio_pace_lateness (const AudioPace * pace, GstClockTime pts,
    gint64 now_us);

#endif /* RTSP_HELPER_AUDIO_PACE_H */
