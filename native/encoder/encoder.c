#include "encoder/encoder.h"

#include <gst/video/video.h>

#include "encoder/media-launch.h"
#include "feedback/feedback-in.h"
#include "feedback/rtcp-gate.h"

struct _Encoder
{
  guint id;
  gchar *key;
  gint64 reserved_us;
  GWeakRef media;
  /* Under the mount's lock: */
  gboolean configured;
  gboolean prepared;            /* with a known video format */
  gboolean was_prepared;
  GstVideoInfo info;            /* valid once prepared */
  guint bitrate_kbps;           /* as last set */
  /* Once configured, owned: */
  GstElement *appsrc;
  GstElement *audio_appsrc;     /* NULL: the mount sends no audio */
  GstElement *enc;
  Source *source;               /* outlives every encoder */
  Producer *producer;           /* the one feeding appsrc */
  Measure *measure;
  FeedbackIn *feedback;         /* once prepared */
  RtcpGate *rtcp_gate;          /* once prepared */
};

/* Records name an encoder by its id, and `bitrate N ENCODER` sets one:
 * unique across the process's mounts. */
static gint last_encoder_id;

Encoder *
encoder_new (const gchar * key, guint bitrate_kbps)
{
  Encoder *encoder = g_new0 (Encoder, 1);

  encoder->id = (guint) g_atomic_int_add (&last_encoder_id, 1) + 1;
  encoder->key = g_strdup (key);
  encoder->reserved_us = g_get_monotonic_time ();
  encoder->bitrate_kbps = bitrate_kbps;
  g_weak_ref_init (&encoder->media, NULL);
  return encoder;
}

void
encoder_free (gpointer data)
{
  Encoder *encoder = data;

  if (encoder->producer != NULL)
    source_unsubscribe (encoder->source, encoder->producer, encoder->appsrc,
        encoder->audio_appsrc);
  if (encoder->rtcp_gate != NULL)
    rtcp_gate_stop (encoder->rtcp_gate);
  if (encoder->feedback != NULL)
    feedback_in_stop (encoder->feedback);
  if (encoder->measure != NULL)
    measure_stop (encoder->measure);
  g_clear_object (&encoder->appsrc);
  g_clear_object (&encoder->audio_appsrc);
  g_clear_object (&encoder->enc);
  g_weak_ref_clear (&encoder->media);
  g_free (encoder->key);
  g_free (encoder);
}

guint
encoder_id (const Encoder * encoder)
{
  return encoder->id;
}

const gchar *
encoder_key (const Encoder * encoder)
{
  return encoder->key;
}

gboolean
encoder_reservation_expired (const Encoder * encoder, gint64 now_us,
    gint64 timeout_us)
{
  return !encoder->configured && now_us - encoder->reserved_us > timeout_us;
}

gboolean
encoder_is_configured (const Encoder * encoder)
{
  return encoder->configured;
}

/* The status of an encoder's media, FALSE when it was never prepared or is
 * gone: gst_rtsp_media_get_status() waits while a media prepares. */
static gboolean
encoder_media_status (Encoder * encoder, GstRTSPMediaStatus * status)
{
  GstRTSPMedia *media;

  if (!encoder->was_prepared
      || (media = g_weak_ref_get (&encoder->media)) == NULL)
    return FALSE;
  *status = gst_rtsp_media_get_status (media);
  g_object_unref (media);
  return TRUE;
}

gboolean
encoder_is_shareable (Encoder * encoder)
{
  GstRTSPMediaStatus status;

  /* Suspended: prepared, and waiting for its first viewer's PLAY. */
  return encoder_media_status (encoder, &status)
      && (status == GST_RTSP_MEDIA_STATUS_PREPARED
      || status == GST_RTSP_MEDIA_STATUS_SUSPENDED);
}

gboolean
encoder_is_going (Encoder * encoder)
{
  GstRTSPMediaStatus status;

  return encoder_media_status (encoder, &status)
      && (status == GST_RTSP_MEDIA_STATUS_UNPREPARING
      || status == GST_RTSP_MEDIA_STATUS_UNPREPARED);
}

GstRTSPMedia *
encoder_get_media (Encoder * encoder)
{
  return g_weak_ref_get (&encoder->media);
}

guint
encoder_bitrate (const Encoder * encoder)
{
  return encoder->bitrate_kbps;
}

gboolean
encoder_set_bitrate (Encoder * encoder, guint bitrate_kbps,
    guint * applied_kbps)
{
  encoder->bitrate_kbps = bitrate_kbps;
  if (!encoder->configured)
    return FALSE;
  g_object_set (encoder->enc, "bitrate", bitrate_kbps, NULL);
  *applied_kbps = encoder_applied_bitrate (encoder);
  return TRUE;
}

void
encoder_configure (Encoder * encoder, GstRTSPMedia * media,
    const MediaElements * elements)
{
  encoder->configured = TRUE;
  g_weak_ref_set (&encoder->media, media);
  encoder->appsrc = gst_object_ref (elements->appsrc);
  encoder->audio_appsrc = elements->audio_appsrc == NULL ? NULL :
      gst_object_ref (elements->audio_appsrc);
  encoder->enc = gst_object_ref (elements->enc);
  g_object_set (encoder->enc, "bitrate", encoder->bitrate_kbps, NULL);
}

void
encoder_start_measure (Encoder * encoder, Protocol * protocol,
    const gchar * mount, GstElement * pay)
{
  encoder->measure = measure_start (protocol, encoder->id, mount,
      encoder->enc, pay);
}

Measure *
encoder_measure (Encoder * encoder)
{
  return encoder->measure;
}

gboolean
encoder_subscribe (Encoder * encoder, Source * source, GError ** error)
{
  GstCaps *caps;
  GstVideoInfo info;

  encoder->source = source;
  encoder->producer = source_subscribe (source, encoder->appsrc,
      encoder->audio_appsrc, &caps, error);
  if (encoder->producer == NULL)
    return FALSE;
  /* The encoder is not started yet: key-int-max still applies. */
  if (caps != NULL && gst_video_info_from_caps (&info, caps))
    g_object_set (encoder->enc, "key-int-max",
        media_launch_key_int_max (GST_VIDEO_INFO_FPS_N (&info),
            GST_VIDEO_INFO_FPS_D (&info)), NULL);
  if (caps != NULL)
    gst_caps_unref (caps);
  return TRUE;
}

void
encoder_start_feedback (Encoder * encoder, Protocol * protocol,
    Viewers * viewers, GstRTSPMedia * media, const gchar * mount,
    gboolean adaptive)
{
  GstRTSPStream *stream = gst_rtsp_media_get_stream (media, 0);
  GObject *session =
      stream == NULL ? NULL : gst_rtsp_stream_get_rtpsession (stream);

  if (session != NULL) {
    if (encoder->measure != NULL)
      encoder->feedback = feedback_in_start (protocol, viewers, NULL,
          encoder->measure, session, adaptive);
    g_object_unref (session);
  }
  encoder->rtcp_gate = rtcp_gate_start (protocol, viewers, media, mount,
      encoder->id);
}

void
encoder_note_prepared (Encoder * encoder)
{
  GstPad *pad = gst_element_get_static_pad (encoder->appsrc, "src");
  GstCaps *caps = gst_pad_get_current_caps (pad);

  encoder->was_prepared = TRUE;
  encoder->prepared = caps != NULL
      && gst_video_info_from_caps (&encoder->info, caps);
  if (caps != NULL)
    gst_caps_unref (caps);
  gst_object_unref (pad);
}

guint
encoder_applied_bitrate (Encoder * encoder)
{
  guint bitrate_kbps;

  g_object_get (encoder->enc, "bitrate", &bitrate_kbps, NULL);
  return bitrate_kbps;
}

void
encoder_emit_media (Protocol * protocol, const gchar * mount,
    const gchar * event, const Encoder * encoder)
{
  Record *record = record_new ("media");

  record_add_string (record, "event", event);
  record_add_string (record, "mount", mount);
  record_add_int (record, "encoder", encoder->id);
  if (encoder->prepared) {
    record_add_int (record, "width", GST_VIDEO_INFO_WIDTH (&encoder->info));
    record_add_int (record, "height", GST_VIDEO_INFO_HEIGHT (&encoder->info));
    if (GST_VIDEO_INFO_FPS_N (&encoder->info) > 0)
      record_add_double (record, "fps",
          (gdouble) GST_VIDEO_INFO_FPS_N (&encoder->info) /
          GST_VIDEO_INFO_FPS_D (&encoder->info));
  }
  record_emit (protocol, record);
}

void
encoder_emit_bitrate (Protocol * protocol, const gchar * mount,
    guint encoder, guint bitrate_kbps, guint requested_kbps)
{
  Record *record = record_new ("bitrate");

  record_add_string (record, "mount", mount);
  if (encoder != 0)
    record_add_int (record, "encoder", encoder);
  record_add_int (record, "bitrate_kbps", bitrate_kbps);
  if (requested_kbps > 0)
    record_add_int (record, "requested_kbps", requested_kbps);
  record_emit (protocol, record);
}
