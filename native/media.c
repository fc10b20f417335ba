#include "media.h"

#include <gst/video/video.h>

#include "measure.h"
#include "producer.h"

#define MEDIA_STATE_KEY "rtsp-helper-media-state"

/* Keyframe interval when the frame rate is not known before encoding. */
#define DEFAULT_KEY_INT_MAX 30
/* Frames the appsrc queues before it drops the oldest: a slow encoder must
 * not build up delay in a live stream. */
#define APPSRC_MAX_BUFFERS 5
/* x264's rate-control buffer, in ms of the bitrate: it bounds how large one
 * frame (a keyframe) may be. x264enc's default, 600 ms, sends each keyframe
 * as a burst that queues for a quarter second on a link near the bitrate;
 * 200 ms keeps that burst, and the delay a bottleneck adds, small. */
#define VBV_BUFFER_MS 200
/* How long a new viewer waits for the last one's media to go away. */
#define MEDIA_GONE_TIMEOUT (2 * G_TIME_SPAN_SECOND)

typedef struct
{
  GstElement *appsrc;
  GstElement *enc;
  Producer *producer;
  Measure *measure;
  GstVideoInfo info;            /* valid once prepared */
  gboolean prepared;            /* with a known video format */
  gboolean was_prepared;
} MediaState;

static guint
key_int_max_for (gint fps_n, gint fps_d)
{
  if (fps_n <= 0 || fps_d <= 0)
    return DEFAULT_KEY_INT_MAX;
  /* At least one keyframe per second, so a late joiner waits at most 1 s. */
  return MAX (1, (guint) (fps_n / fps_d));
}

gchar *
media_launch_new (const HelperConfig * config)
{
  /* Element names are an interface: enc's bitrate is changed live, and
   * probes on src, enc and pay0 measure per-frame timing. SPS/PPS go before
   * every IDR for late joiners: h264parse inserts them once per frame, where
   * rtph264pay would repeat them before each of zerolatency's slices. */
  return g_strdup_printf ("( appsrc name=src is-live=true format=time "
      "max-buffers=%d leaky-type=downstream "
      "! x264enc name=enc tune=zerolatency speed-preset=ultrafast "
      "key-int-max=%u bitrate=%d vbv-buf-capacity=%d "
      "! video/x-h264,profile=constrained-baseline "
      "! h264parse config-interval=-1 ! rtph264pay name=pay0 pt=96 )",
      APPSRC_MAX_BUFFERS, key_int_max_for (config->fps, 1),
      config->bitrate_kbps, VBV_BUFFER_MS);
}

gboolean
media_check_launch (const gchar * launch, GError ** error)
{
  GstElement *bin = gst_parse_launch (launch, error);

  if (bin == NULL)
    return FALSE;
  gst_object_unref (bin);
  return TRUE;
}

static void
media_state_free (gpointer data)
{
  MediaState *state = data;

  if (state->producer != NULL)
    producer_release (state->producer);
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
emit_bitrate (App * app, guint bitrate_kbps, guint requested_kbps)
{
  Record *record = record_new ("bitrate");

  record_add_int (record, "bitrate_kbps", bitrate_kbps);
  if (requested_kbps > 0)
    record_add_int (record, "requested_kbps", requested_kbps);
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
      measure_watch_session (state->measure, session);
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
  emit_bitrate (app, bitrate_kbps, 0);
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
  state = app->media == NULL ? NULL :
      g_object_get_data (G_OBJECT (app->media), MEDIA_STATE_KEY);
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
          key_int_max_for (GST_VIDEO_INFO_FPS_N (&info),
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

void
media_set_bitrate (App * app, guint bitrate_kbps)
{
  guint applied_kbps = bitrate_kbps;
  MediaState *state;

  g_mutex_lock (&app->lock);
  app->bitrate_kbps = bitrate_kbps;
  state = app->media == NULL ? NULL :
      g_object_get_data (G_OBJECT (app->media), MEDIA_STATE_KEY);
  if (state != NULL) {
    /* x264enc reconfigures its rate control on the next frame. */
    g_object_set (state->enc, "bitrate", bitrate_kbps, NULL);
    g_object_get (state->enc, "bitrate", &applied_kbps, NULL);
  }
  g_mutex_unlock (&app->lock);

  emit_bitrate (app, applied_kbps, bitrate_kbps);
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
    state = g_object_get_data (G_OBJECT (media), MEDIA_STATE_KEY);
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
