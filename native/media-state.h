/* What the helper keeps on each media it configured; shared by media.c
 * (its life) and media-control.c (acting on the current one). */
#ifndef RTSP_HELPER_MEDIA_STATE_H
#define RTSP_HELPER_MEDIA_STATE_H

#include <gst/video/video.h>

#include "app.h"
#include "feedback-in.h"
#include "measure.h"
#include "producer.h"

#define MEDIA_STATE_KEY "rtsp-helper-media-state"

typedef struct
{
  GstElement *appsrc;
  GstElement *enc;
  Producer *producer;
  Measure *measure;
  FeedbackIn *feedback;         /* once prepared */
  GstVideoInfo info;            /* valid once prepared */
  gboolean prepared;            /* with a known video format */
  gboolean was_prepared;
} MediaState;

/* The current media's state, or NULL. Under app->lock. */
MediaState *media_state_current (App * app);
/* The `bitrate` record; requested_kbps 0 when none was asked for. */
void media_emit_bitrate (App * app, guint bitrate_kbps, guint requested_kbps);

#endif /* RTSP_HELPER_MEDIA_STATE_H */
