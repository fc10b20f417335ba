/* The pipeline that decodes a file's video, scales it and paces it in real
 * time into an appsink; and its audio, as it is or encoded, into another. */
#ifndef RTSP_HELPER_DECODE_PIPELINE_H
#define RTSP_HELPER_DECODE_PIPELINE_H

#include <gst/gst.h>

#include "source/audio-codec.h"

/* What to decode, and into what. */
typedef struct
{
  const gchar *file;
  const gchar *uri;             /* a live source instead of the file */
  gint width;
  gint height;
  gint fps;                     /* 0 keeps the file's; a live source's rate
                                 * for its held picture (0: 25) */
  AudioCodec audio;             /* what the audio appsink gets */
} ProducerConfig;

/* Elements named "queue" and "sink" (the appsink) are for the caller, and
 * "asink", the audio's appsink, when config->audio is not NONE. */
GstElement *decode_pipeline_new (const ProducerConfig * config,
    GError ** error);
/* Checks that the elements the pipeline needs are installed. */
gboolean decode_pipeline_check (GError ** error);

#endif /* RTSP_HELPER_DECODE_PIPELINE_H */
