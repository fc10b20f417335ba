#include "media.h"
#include "media-state.h"
#include "viewers.h"

/* How long a new viewer waits for the last one's media to go away. */
#define MEDIA_GONE_TIMEOUT (2 * G_TIME_SPAN_SECOND)

MediaState *
media_state_current (App * app)
{
  return app->media == NULL ? NULL :
      g_object_get_data (G_OBJECT (app->media), MEDIA_STATE_KEY);
}

void
media_emit_bitrate (App * app, guint bitrate_kbps, guint requested_kbps)
{
  Record *record = record_new ("bitrate");

  record_add_int (record, "bitrate_kbps", bitrate_kbps);
  if (requested_kbps > 0)
    record_add_int (record, "requested_kbps", requested_kbps);
  record_emit (&app->protocol, record);
}

void
media_set_bitrate (App * app, guint bitrate_kbps)
{
  guint applied_kbps = bitrate_kbps;
  MediaState *state;

  g_mutex_lock (&app->lock);
  app->bitrate_kbps = bitrate_kbps;
  state = media_state_current (app);
  if (state != NULL) {
    /* x264enc reconfigures its rate control on the next frame. */
    g_object_set (state->enc, "bitrate", bitrate_kbps, NULL);
    g_object_get (state->enc, "bitrate", &applied_kbps, NULL);
  }
  g_mutex_unlock (&app->lock);

  if (app->config.adaptive)
    viewers_pace_tcp (app, applied_kbps, NULL);
  media_emit_bitrate (app, applied_kbps, bitrate_kbps);
}

void
media_wait_gone (App * app)
{
  gint64 deadline = g_get_monotonic_time () + MEDIA_GONE_TIMEOUT;
  GstRTSPMedia *media = NULL;
  MediaState *state;
  GstRTSPMediaStatus status;
  gboolean was_prepared = FALSE;

  g_mutex_lock (&app->lock);
  if (app->media != NULL) {
    media = g_object_ref (app->media);
    state = media_state_current (app);
    was_prepared = state != NULL && state->was_prepared;
  }
  g_mutex_unlock (&app->lock);
  if (media == NULL)
    return;

  status = gst_rtsp_media_get_status (media);
  if (was_prepared && (status == GST_RTSP_MEDIA_STATUS_UNPREPARING
          || status == GST_RTSP_MEDIA_STATUS_UNPREPARED)) {
    g_mutex_lock (&app->lock);
    while (app->media == media
        && g_cond_wait_until (&app->media_gone, &app->lock, deadline));
    g_mutex_unlock (&app->lock);
  }
  g_object_unref (media);
}

void
media_stop (App * app)
{
  GstRTSPMedia *media;

  g_signal_handlers_disconnect_by_data (app->factory, app);

  g_mutex_lock (&app->lock);
  media = app->media == NULL ? NULL : g_object_ref (app->media);
  g_mutex_unlock (&app->lock);
  if (media == NULL)
    return;

  /* A viewer that was still setting up holds a prepare count of its own,
   * released later on its client thread: unprepare until the media really
   * is, so that nothing runs in it while the process exits. */
  while (gst_rtsp_media_get_status (media) != GST_RTSP_MEDIA_STATUS_UNPREPARED
      && gst_rtsp_media_unprepare (media));
  g_object_unref (media);
}
