#include "media.h"

#include "media-launch.h"
#include "media-state.h"
#include "twcc-extension.h"

static void
media_state_free (gpointer data)
{
  MediaState *state = data;

  if (state->producer != NULL)
    producer_release (state->producer);
  if (state->feedback != NULL)
    feedback_in_stop (state->feedback);
  if (state->measure != NULL)
    measure_stop (state->measure);
  gst_object_unref (state->appsrc);
  gst_object_unref (state->enc);
  g_free (state);
}

static void
emit_media (App * app, const gchar * event, const MediaState * state)
{
  Record *record = record_new ("media");

  record_add_string (record, "event", event);
  if (state->prepared) {
    record_add_int (record, "width", GST_VIDEO_INFO_WIDTH (&state->info));
    record_add_int (record, "height", GST_VIDEO_INFO_HEIGHT (&state->info));
    if (GST_VIDEO_INFO_FPS_N (&state->info) > 0)
      record_add_double (record, "fps",
          (gdouble) GST_VIDEO_INFO_FPS_N (&state->info) /
          GST_VIDEO_INFO_FPS_D (&state->info));
  }
  record_emit (&app->protocol, record);
}

static void
on_media_prepared (GstRTSPMedia * media, gpointer user_data)
{
  App *app = user_data;
  MediaState *state = g_object_get_data (G_OBJECT (media), MEDIA_STATE_KEY);
  GstRTSPStream *stream;
  GObject *session;
  GstPad *pad;
  GstCaps *caps;
  guint bitrate_kbps;

  if (state == NULL)
    return;

  stream = gst_rtsp_media_get_stream (media, 0);
  session = stream == NULL ? NULL : gst_rtsp_stream_get_rtpsession (stream);
  if (session != NULL) {
    if (state->measure != NULL)
      state->feedback = feedback_in_start (app, state->measure, session);
    g_object_unref (session);
  }

  g_mutex_lock (&app->lock);
  state->was_prepared = TRUE;
  g_mutex_unlock (&app->lock);
  pad = gst_element_get_static_pad (state->appsrc, "src");
  caps = gst_pad_get_current_caps (pad);
  state->prepared = caps != NULL && gst_video_info_from_caps (&state->info,
      caps);
  if (caps != NULL)
    gst_caps_unref (caps);
  gst_object_unref (pad);

  emit_media (app, "prepared", state);
  g_object_get (state->enc, "bitrate", &bitrate_kbps, NULL);
  media_emit_bitrate (app, bitrate_kbps, 0);
}

static void
on_media_unprepared (GstRTSPMedia * media, gpointer user_data)
{
  App *app = user_data;
  MediaState *state = g_object_get_data (G_OBJECT (media), MEDIA_STATE_KEY);
  GstRTSPMedia *current = NULL;

  if (state == NULL)
    return;
  emit_media (app, "unprepared", state);

  /* Under the lock, so that media_set_bitrate() never sees a freed state. */
  g_mutex_lock (&app->lock);
  if (app->media == media)
    current = g_steal_pointer (&app->media);
  g_cond_broadcast (&app->media_gone);
  g_mutex_unlock (&app->lock);

  g_object_set_data (G_OBJECT (media), MEDIA_STATE_KEY, NULL);
  if (current != NULL)
    g_object_unref (current);
}

static void
on_producer_looped (guint count, gpointer user_data)
{
  App *app = user_data;
  Record *record = record_new ("loop");

  record_add_int (record, "count", count);
  record_emit (&app->protocol, record);
}

/* Main thread. The producer has made its media fail: that answers a viewer
 * waiting for it (503). Viewers already playing must be disconnected. */
static void
on_producer_failed (const GError * error, gpointer user_data)
{
  App *app = user_data;
  gchar *message = g_strdup_printf ("%s: %s", app->config.file,
      error->message);
  MediaState *state;
  gboolean playing;

  protocol_emit_error (&app->protocol, "decode", message, NULL);
  g_free (message);

  g_mutex_lock (&app->lock);
  state = media_state_current (app);
  playing = state != NULL && state->prepared;
  g_mutex_unlock (&app->lock);
  if (playing)
    app_disconnect_viewers (app);
}

static void
on_media_configure (GstRTSPMediaFactory * factory G_GNUC_UNUSED,
    GstRTSPMedia * media, gpointer user_data)
{
  static const ProducerCallbacks callbacks = {
    .looped = on_producer_looped,
    .failed = on_producer_failed,
  };
  App *app = user_data;
  ProducerConfig producer_config = {
    .file = app->config.file,
    .width = app->config.width,
    .height = app->config.height,
    .fps = app->config.fps,
  };
  GstElement *element, *appsrc, *enc, *pay;
  MediaState *state;
  GstCaps *caps;
  GError *error = NULL;

  element = gst_rtsp_media_get_element (media);
  appsrc = gst_bin_get_by_name_recurse_up (GST_BIN (element), "src");
  enc = gst_bin_get_by_name_recurse_up (GST_BIN (element), "enc");
  pay = gst_bin_get_by_name_recurse_up (GST_BIN (element), "pay0");
  gst_object_unref (element);
  if (appsrc == NULL || enc == NULL || pay == NULL)
    goto no_elements;

  state = g_new0 (MediaState, 1);
  state->appsrc = appsrc;
  state->enc = enc;
  state->measure = measure_start (app, enc, pay);
  if (app->config.adaptive && !twcc_extension_add (pay, &error))
    goto no_extension;
  gst_object_unref (pay);
  g_object_set_data_full (G_OBJECT (media), MEDIA_STATE_KEY, state,
      media_state_free);
  g_signal_connect (media, "prepared", G_CALLBACK (on_media_prepared), app);
  /* After the factory's own handler, which drops the media from its cache:
   * media_wait_gone() relies on that order. */
  g_signal_connect_after (media, "unprepared",
      G_CALLBACK (on_media_unprepared), app);

  g_mutex_lock (&app->lock);
  g_object_set (enc, "bitrate", app->bitrate_kbps, NULL);
  g_set_object (&app->media, media);
  g_mutex_unlock (&app->lock);

  state->producer = producer_start (&producer_config, appsrc, &callbacks, app,
      &caps, &error);
  if (state->producer == NULL)
    goto no_producer;

  /* The encoder is not started yet: key-int-max still applies. */
  if (caps != NULL) {
    GstVideoInfo info;

    if (gst_video_info_from_caps (&info, caps))
      g_object_set (enc, "key-int-max",
          media_launch_key_int_max (GST_VIDEO_INFO_FPS_N (&info),
              GST_VIDEO_INFO_FPS_D (&info)), NULL);
    gst_caps_unref (caps);
  }
  return;

  /* ERRORS */
no_elements:
  {
    protocol_emit_error (&app->protocol, "pipeline",
        "the media has no element named src, enc or pay0", NULL);
    g_clear_object (&appsrc);
    g_clear_object (&enc);
    g_clear_object (&pay);
    return;
  }
no_extension:
  {
    protocol_emit_error (&app->protocol, "pipeline", error->message, NULL);
    g_error_free (error);
    gst_object_unref (pay);
    return;
  }
no_producer:
  {
    protocol_emit_error (&app->protocol, "pipeline", error->message, NULL);
    gst_element_post_message (appsrc,
        gst_message_new_error (GST_OBJECT (appsrc), error, NULL));
    g_error_free (error);
    return;
  }
}

void
media_factory_configure (GstRTSPMediaFactory * factory, App * app)
{
  g_signal_connect (factory, "media-configure",
      G_CALLBACK (on_media_configure), app);
}
