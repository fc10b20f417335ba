#include "source/live-audio.h"

#include "source/audio-codec.h"
#include "source/audio-pace.h"
#include "source/sample-keeper.h"
#include "source/silence.h"

/* Audio missed before silence stands in: longer than a camera's audio
 * arrives late by (it comes in bursts), short enough that a viewer's
 * player does not run dry. */
#define SILENCE_AFTER_US (200 * 1000)

struct _LiveAudio
{
  FanOut *fan_out;
  GstCaps *caps;                /* every frame's: the silence's */
  SampleKeeper *keeper;
  GMutex lock;                  /* the pace: main and streaming threads */
  AudioPace pace;
};

LiveAudio *
live_audio_new (FanOut * fan_out, GError ** error)
{
  GstSample *silence = silence_get (error);
  LiveAudio *audio;

  if (silence == NULL)
    return NULL;
  audio = g_new0 (LiveAudio, 1);
  audio->fan_out = fan_out;
  audio->caps = gst_caps_ref (gst_sample_get_caps (silence));
  audio->keeper = sample_keeper_new (fan_out, silence, SAMPLE_KEEPER_FILLER,
      AUDIO_CODEC_LIVE_FRAME_US, SILENCE_AFTER_US);
  g_mutex_init (&audio->lock);
  audio_pace_reset (&audio->pace);
  gst_sample_unref (silence);
  return audio;
}

void
live_audio_free (LiveAudio * audio)
{
  sample_keeper_free (audio->keeper);
  gst_caps_unref (audio->caps);
  g_mutex_clear (&audio->lock);
  g_free (audio);
}

void
live_audio_restart (LiveAudio * audio)
{
  g_mutex_lock (&audio->lock);
  audio_pace_reset (&audio->pace);
  g_mutex_unlock (&audio->lock);
}

void
live_audio_note (LiveAudio * audio, GstClockTime pts)
{
  g_mutex_lock (&audio->lock);
  audio_pace_note (&audio->pace, pts, g_get_monotonic_time ());
  g_mutex_unlock (&audio->lock);
}

void
live_audio_push (LiveAudio * audio, GstSample * sample)
{
  GstBuffer *buffer = gst_sample_get_buffer (sample);
  GstSample *out = gst_sample_new (buffer, audio->caps, NULL, NULL);
  GstClockTime lateness;

  g_mutex_lock (&audio->lock);
  lateness = audio_pace_lateness (&audio->pace, GST_BUFFER_PTS (buffer),
      g_get_monotonic_time ());
  g_mutex_unlock (&audio->lock);
  sample_keeper_take (audio->keeper, out);
  fan_out_push (audio->fan_out, out, lateness);
  gst_sample_unref (out);
}
