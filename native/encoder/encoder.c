#include "encoder/encoder.h"

#include "encoder/media-launch.h"

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
encoder_free_reservation (gpointer data)
{
  Encoder *encoder = data;

  g_weak_ref_clear (&encoder->media);
  g_free (encoder->key);
  g_free (encoder);
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

gboolean
encoder_subscribe (Encoder * encoder, Source * source, GError ** error)
{
  GstCaps *caps;
  GstVideoInfo info;

  encoder->producer = source_subscribe (source, encoder->appsrc, &caps, error);
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
