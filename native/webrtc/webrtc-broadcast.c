#include "webrtc/webrtc-broadcast.h"

#include <gst/app/app.h>
#include <gst/video/video.h>

#include "encoder/media-launch.h"
#include "source/fan-out.h"

struct _WebrtcBroadcast
{
  const WebrtcContext *context;
  gchar *mount;
  gboolean main_profile;
  guint32 ssrc;
  GstElement *pipeline;
  GstElement *sink;             /* the appsink its packets leave by */
  MediaElements elements;
  Encoder *encoder;
  gboolean announced;           /* its `media prepared` record is out */
  FanOut *viewers;              /* their appsrcs */
};

/* The shared pipeline's streaming thread: each packet to every viewer. */
static GstFlowReturn
on_packet (GstAppSink * sink, gpointer user_data)
{
  WebrtcBroadcast *broadcast = user_data;
  GstSample *sample = gst_app_sink_pull_sample (sink);

  if (sample == NULL)
    return GST_FLOW_EOS;
  fan_out_push (broadcast->viewers, sample, 0);
  gst_sample_unref (sample);
  return GST_FLOW_OK;
}

WebrtcBroadcast *
webrtc_broadcast_new (const WebrtcContext * context, const WebrtcMount * mount,
    gboolean main_profile, GError ** error)
{
  WebrtcBroadcast *broadcast = g_new0 (WebrtcBroadcast, 1);
  GstAppSinkCallbacks callbacks = {.new_sample = on_packet };
  gchar *video = media_launch_video_new (context->encoder_preset,
      main_profile, context->fps, (gint) mount->bitrate_kbps,
      WEBRTC_BROADCAST_PAYLOAD);
  /* Never waits for the clock: the viewers' pipelines pace nothing, and a
   * packet is due as soon as it is made. */
  gchar *launch = g_strdup_printf ("%s ! appsink name=out sync=false "
      "max-buffers=200 drop=true", video);

  broadcast->context = context;
  broadcast->mount = g_strdup (mount->path);
  broadcast->main_profile = main_profile;
  broadcast->viewers = fan_out_new ();
  broadcast->pipeline = gst_parse_launch (launch, error);
  g_free (launch);
  g_free (video);
  if (broadcast->pipeline == NULL)
    goto failed;
  gst_object_ref_sink (broadcast->pipeline);
  broadcast->sink = gst_bin_get_by_name (GST_BIN (broadcast->pipeline), "out");
  if (broadcast->sink == NULL
      || !media_launch_elements (broadcast->pipeline, &broadcast->elements))
    goto no_elements;
  gst_app_sink_set_callbacks (GST_APP_SINK (broadcast->sink), &callbacks,
      broadcast, NULL);
  broadcast->ssrc = g_random_int ();
  g_object_set (broadcast->elements.pay, "ssrc", broadcast->ssrc, NULL);

  broadcast->encoder = encoder_new (NULL, mount->bitrate_kbps);
  encoder_configure (broadcast->encoder, NULL, &broadcast->elements);
  encoder_start_measure (broadcast->encoder, context->protocol,
      broadcast->mount, broadcast->elements.pay);
  if (gst_element_set_state (broadcast->pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE)
    goto not_playing;
  if (!encoder_subscribe (broadcast->encoder, context->source, error))
    goto failed;
  return broadcast;

  /* ERRORS */
no_elements:
  {
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN,
        "the WebRTC broadcast pipeline has no src, enc, pay0 or out");
    goto failed;
  }
not_playing:
  {
    g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_STATE_CHANGE,
        "the WebRTC broadcast pipeline would not start");
    goto failed;
  }
failed:
  {
    webrtc_broadcast_free (broadcast);
    return NULL;
  }
}

void
webrtc_broadcast_free (WebrtcBroadcast * broadcast)
{
  if (broadcast->announced)
    encoder_emit_media (broadcast->context->protocol, broadcast->mount,
        "unprepared", broadcast->encoder);
  if (broadcast->pipeline != NULL)
    gst_element_set_state (broadcast->pipeline, GST_STATE_NULL);
  g_clear_pointer (&broadcast->encoder, encoder_free);
  media_elements_clear (&broadcast->elements);
  g_clear_object (&broadcast->sink);
  g_clear_object (&broadcast->pipeline);
  fan_out_free (broadcast->viewers);
  g_free (broadcast->mount);
  g_free (broadcast);
}

const gchar *
webrtc_broadcast_mount (WebrtcBroadcast * broadcast)
{
  return broadcast->mount;
}

gboolean
webrtc_broadcast_main_profile (WebrtcBroadcast * broadcast)
{
  return broadcast->main_profile;
}

guint32
webrtc_broadcast_ssrc (WebrtcBroadcast * broadcast)
{
  return broadcast->ssrc;
}

Encoder *
webrtc_broadcast_encoder (WebrtcBroadcast * broadcast)
{
  return broadcast->encoder;
}

/* Once its first viewer plays, as a media's records come when it is
 * prepared: its frames have set its size by then. */
static void
announce (WebrtcBroadcast * broadcast)
{
  Protocol *protocol = broadcast->context->protocol;
  Encoder *encoder = broadcast->encoder;

  broadcast->announced = TRUE;
  encoder_note_prepared (encoder);
  encoder_emit_media (protocol, broadcast->mount, "prepared", encoder);
  encoder_emit_bitrate (protocol, broadcast->mount, encoder_id (encoder),
      encoder_applied_bitrate (encoder), 0);
}

void
webrtc_broadcast_add (WebrtcBroadcast * broadcast, GstElement * appsrc)
{
  if (!broadcast->announced)
    announce (broadcast);
  fan_out_add (broadcast->viewers, appsrc);
}

guint
webrtc_broadcast_remove (WebrtcBroadcast * broadcast, GstElement * appsrc)
{
  return fan_out_remove (broadcast->viewers, appsrc);
}

void
webrtc_broadcast_request_key_frame (WebrtcBroadcast * broadcast)
{
  /* Upstream from the appsink, through the payloader and h264parse, to
   * x264enc. */
  gst_element_send_event (broadcast->sink,
      gst_video_event_new_upstream_force_key_unit (GST_CLOCK_TIME_NONE, TRUE,
          0));
}
