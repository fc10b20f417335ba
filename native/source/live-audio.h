/* A live source's audio on its way to the medias: always the same AAC
 * format (its caps fixed once), spaced by its timestamps, and silence
 * whenever the source sends none (none yet, none at all, or lost). */
#ifndef RTSP_HELPER_LIVE_AUDIO_H
#define RTSP_HELPER_LIVE_AUDIO_H

#include <gst/gst.h>

#include "source/fan-out.h"

typedef struct _LiveAudio LiveAudio;

/* Feeds fan_out (which the caller owns and keeps). NULL and error when
 * its silence cannot be made. Main thread. */
LiveAudio *live_audio_new (FanOut * fan_out, GError ** error);
/* No push runs once it returns. Any thread. */
void live_audio_free (LiveAudio * audio);
/* A new pipeline: its timestamps start again. Main thread. */
void live_audio_restart (LiveAudio * audio);
/* Decoded audio of the source, stamped pts, has come. Streaming thread. */
void live_audio_note (LiveAudio * audio, GstClockTime pts);
/* A frame from the source's encoder goes out. Streaming thread. */
void live_audio_push (LiveAudio * audio, GstSample * sample);

#endif /* RTSP_HELPER_LIVE_AUDIO_H */
