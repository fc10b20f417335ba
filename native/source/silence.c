#include "source/silence.h"

#include <gst/app/app.h>

#include "source/audio-codec.h"

/* A few frames of AAC take milliseconds; a stuck encoder must not hold
 * the main thread. */
#define SILENCE_TIMEOUT (2 * GST_SECOND)

static GstSample *
make_silence (GError ** error)
{
  GstElement *pipeline, *sink;
  GstSample *last = NULL, *sample;

  pipeline = gst_parse_launch (audio_codec_live_silence (), error);
  if (pipeline == NULL)
    return NULL;
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  if (gst_element_set_state (pipeline, GST_STATE_PLAYING)
      == GST_STATE_CHANGE_FAILURE)
    goto failed;
  while ((sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink),
              SILENCE_TIMEOUT)) != NULL) {
    if (last != NULL)
      gst_sample_unref (last);
    last = sample;
  }
  if (last == NULL)
    goto failed;

done:
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  return last;

  /* ERRORS */
failed:
  {
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_FAILED,
        "could not encode a frame of silence (%s)",
        audio_codec_live_silence ());
    goto done;
  }
}

/* Made once per process: it depends on nothing but the format, and making
 * it takes ~50 ms that each pull of an on-demand source would otherwise
 * pay before its first viewer's DESCRIBE is answered. */
GstSample *
silence_get (GError ** error)
{
  static GMutex lock;
  static GstSample *made = NULL;
  GstSample *sample;

  g_mutex_lock (&lock);
  if (made == NULL)
    made = make_silence (error);
  sample = made != NULL ? gst_sample_ref (made) : NULL;
  g_mutex_unlock (&lock);
  return sample;
}
