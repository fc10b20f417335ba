#include "encoder/media-launch.h"

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
/* One thread per encoder: a helper's parallelism is its encoders. With
 * zerolatency's default sliced threads (1.5 per core) waking for every
 * frame, one 640x480 encoder at 600 kbit/s in real time took 6.7 % of a
 * core, 4.9 % in one thread with the same three slices per frame, 3.6 %
 * with one slice (docs/benchmarks.md, "x264 threads"). The slices stay: a
 * lost UDP packet then costs a third of a frame, not all of it (with one
 * slice, a static 5000 viewer losing 68 % of its packets decoded no frame
 * at all in the bench test). */
#define ENCODER_THREADS 1
#define ENCODER_SLICES 3

guint
media_launch_key_int_max (gint fps_n, gint fps_d)
{
  if (fps_n <= 0 || fps_d <= 0)
    return DEFAULT_KEY_INT_MAX;
  /* At least one keyframe per second, so a late joiner waits at most 1 s. */
  return MAX (1, (guint) (fps_n / fps_d));
}

gchar *
media_launch_video_new (const gchar * preset, gboolean main_profile,
    gint fps, gint bitrate_kbps, guint payload)
{
  /* Element names are an interface: enc's bitrate is changed live, and
   * probes on src, enc and pay0 measure per-frame timing. SPS/PPS go before
   * every IDR for late joiners: h264parse inserts them once per frame, where
   * rtph264pay would repeat them before each of zerolatency's slices.
   * The tee (before the payloader) turns "not linked" into OK: an RTSP
   * client that sets up one of a mount's two streams leaves the other
   * without a sink, and its appsrc would otherwise fail the media that
   * others share. */
  return g_strdup_printf ("appsrc name=src is-live=true format=time "
      "max-buffers=%d leaky-type=downstream "
      "! x264enc name=enc tune=zerolatency speed-preset=%s "
      "key-int-max=%u bitrate=%d vbv-buf-capacity=%d threads=%d "
      "option-string=slices=%d "
      "! video/x-h264,profile=%s "
      "! h264parse config-interval=-1 ! tee allow-not-linked=true "
      "! rtph264pay name=pay0 pt=%u",
      APPSRC_MAX_BUFFERS, preset, media_launch_key_int_max (fps, 1),
      bitrate_kbps, VBV_BUFFER_MS, ENCODER_THREADS, ENCODER_SLICES,
      main_profile ? "main" : "constrained-baseline", payload);
}

gboolean
media_launch_main_profile (const gchar * preset)
{
  return !g_str_equal (preset, "ultrafast");
}

gchar *
media_launch_new (const gchar * preset, gint fps, gint bitrate_kbps,
    AudioCodec audio)
{
  gchar *audio_launch = audio_codec_media_launch (audio);
  gchar *video_launch = media_launch_video_new (preset,
      media_launch_main_profile (preset), fps, bitrate_kbps, 96);
  gchar *launch = g_strdup_printf ("( %s %s )", video_launch, audio_launch);

  g_free (video_launch);
  g_free (audio_launch);
  return launch;
}

gboolean
media_launch_check (const gchar * launch, GError ** error)
{
  GstElement *bin = gst_parse_launch (launch, error);

  if (bin == NULL)
    return FALSE;
  gst_object_unref (bin);
  return TRUE;
}

gboolean
media_launch_elements (GstElement * element, MediaElements * elements)
{
  GstBin *bin = GST_BIN (element);

  elements->appsrc = gst_bin_get_by_name_recurse_up (bin, "src");
  elements->enc = gst_bin_get_by_name_recurse_up (bin, "enc");
  elements->pay = gst_bin_get_by_name_recurse_up (bin, "pay0");
  elements->audio_appsrc = gst_bin_get_by_name_recurse_up (bin, "asrc");
  if (elements->appsrc != NULL && elements->enc != NULL
      && elements->pay != NULL)
    return TRUE;
  media_elements_clear (elements);
  return FALSE;
}

void
media_elements_clear (MediaElements * elements)
{
  g_clear_object (&elements->appsrc);
  g_clear_object (&elements->enc);
  g_clear_object (&elements->pay);
  g_clear_object (&elements->audio_appsrc);
}
