#include "source/decode-pipeline.h"

#include <gst/video/video.h>

/* The decodebin -> convert link is made when the video pad appears. Without
 * the queue, the appsink's wait for each frame's time would run in the
 * decoder's thread, leaving one frame period to decode and scale the next:
 * with it, decoding runs up to half a second ahead.
 * Lanczos, by npm run bench:encoder (2026-12-02, docs/encoder.md), 1280x720
 * to 640x480: 1.3 ms of CPU per frame, 45.3 dB PSNR against FFmpeg's
 * lanczos, +1.1 dB SSIM once encoded at 600 kbit/s over bilinear (0.03 ms,
 * 43.2 dB); nearest-neighbour and 4-tap (which aliases) score below
 * bilinear. The cost is once per decode, not per viewer. */
#define DECODE_DESCRIPTION \
  "filesrc name=file ! decodebin name=decode " \
  "videoconvert name=convert ! videoscale method=lanczos ! videorate " \
  "! capsfilter name=caps " \
  "! queue name=queue max-size-buffers=15 max-size-bytes=0 " \
  "max-size-time=500000000 " \
  "! appsink name=sink sync=true enable-last-sample=false"

gboolean
decode_pipeline_check (GError ** error)
{
  GstElement *pipeline = gst_parse_launch (DECODE_DESCRIPTION, error);

  if (pipeline == NULL)
    return FALSE;
  gst_object_unref (pipeline);
  return TRUE;
}

/* Audio is never served: leave it undecoded (and its pad unlinked). */
static gboolean
on_autoplug_continue (GstElement * decodebin G_GNUC_UNUSED,
    GstPad * pad G_GNUC_UNUSED, GstCaps * caps,
    gpointer user_data G_GNUC_UNUSED)
{
  const GstStructure *s = gst_caps_get_structure (caps, 0);

  return !g_str_has_prefix (gst_structure_get_name (s), "audio/");
}

/* The output keeps the file's colorimetry, which x264enc writes into the
 * stream. Left open, it defaults by size, BT.709 from 720 rows and BT.601
 * below, and videoscale converts every pixel's colour as it scales: from
 * 1280x720 to 640x480, lanczos took 5.1 ms per frame so, 1.3 without
 * (npm run bench:encoder). Runs before on_pad_added links the pad. */
static void
on_pad_added_keep_colorimetry (GstElement * decodebin G_GNUC_UNUSED,
    GstPad * pad, gpointer user_data)
{
  GstElement *capsfilter = user_data;
  GstCaps *decoded = gst_pad_get_current_caps (pad);
  GstVideoInfo info;
  gboolean video;
  GstCaps *caps;
  gchar *colorimetry;

  if (decoded == NULL)
    return;
  /* Audio pads stay unlinked (on_pad_added): not parsed as video, which
   * would log an error. */
  video = gst_structure_has_name (gst_caps_get_structure (decoded, 0),
      "video/x-raw") && gst_video_info_from_caps (&info, decoded);
  gst_caps_unref (decoded);
  if (!video)
    return;
  colorimetry = gst_video_colorimetry_to_string (&info.colorimetry);
  if (colorimetry == NULL)
    return;

  g_object_get (capsfilter, "caps", &caps, NULL);
  caps = gst_caps_make_writable (caps);
  gst_caps_set_simple (caps, "colorimetry", G_TYPE_STRING, colorimetry, NULL);
  g_object_set (capsfilter, "caps", caps, NULL);
  gst_caps_unref (caps);
  g_free (colorimetry);
}

/* With direct rendering, libav keeps each decoded frame as a reference
 * while GstVideoDecoder must make it writable: every frame was copied into
 * a fresh 1.4 MB allocation (1280x720) whose pages faulted in, and the
 * decode thread took 29 % of a core instead of 4 % (perf, docs/benchmarks.md).
 * Without it libav decodes into frames of its own, each copied into a
 * buffer of the decoder's pool, which is reused. */
static void
on_element_added (GstBin * decodebin G_GNUC_UNUSED, GstBin * bin G_GNUC_UNUSED,
    GstElement * element, gpointer user_data G_GNUC_UNUSED)
{
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (element),
          "direct-rendering") != NULL)
    g_object_set (element, "direct-rendering", FALSE, NULL);
}

static void
on_pad_added (GstElement * decodebin, GstPad * pad, gpointer user_data)
{
  GstElement *convert = user_data;
  GstPad *sinkpad = gst_element_get_static_pad (convert, "sink");
  GstCaps *caps = gst_pad_get_current_caps (pad);

  if (caps == NULL || gst_pad_is_linked (sinkpad)
      || !gst_structure_has_name (gst_caps_get_structure (caps, 0),
          "video/x-raw"))
    goto done;

  if (gst_pad_link (pad, sinkpad) != GST_PAD_LINK_OK)
    goto link_failed;

done:
  if (caps != NULL)
    gst_caps_unref (caps);
  gst_object_unref (sinkpad);
  return;

  /* ERRORS */
link_failed:
  {
    GST_ELEMENT_ERROR (decodebin, CORE, NEGOTIATION, (NULL),
        ("could not link %" GST_PTR_FORMAT " to the video converter", pad));
    goto done;
  }
}

static GstCaps *
output_caps_new (const ProducerConfig * config)
{
  GstCaps *caps = gst_caps_new_simple ("video/x-raw",
      "format", G_TYPE_STRING, "I420",
      "width", G_TYPE_INT, config->width,
      "height", G_TYPE_INT, config->height,
      "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1, NULL);

  if (config->fps > 0)
    gst_caps_set_simple (caps, "framerate", GST_TYPE_FRACTION, config->fps, 1,
        NULL);
  return caps;
}

GstElement *
decode_pipeline_new (const ProducerConfig * config, GError ** error)
{
  GstElement *pipeline, *file, *decode, *convert, *capsfilter;
  GstCaps *caps;

  pipeline = gst_parse_launch (DECODE_DESCRIPTION, error);
  if (pipeline == NULL)
    return NULL;

  file = gst_bin_get_by_name (GST_BIN (pipeline), "file");
  decode = gst_bin_get_by_name (GST_BIN (pipeline), "decode");
  convert = gst_bin_get_by_name (GST_BIN (pipeline), "convert");
  capsfilter = gst_bin_get_by_name (GST_BIN (pipeline), "caps");

  g_object_set (file, "location", config->file, NULL);
  caps = output_caps_new (config);
  g_object_set (capsfilter, "caps", caps, NULL);
  gst_caps_unref (caps);
  g_signal_connect (decode, "autoplug-continue",
      G_CALLBACK (on_autoplug_continue), NULL);
  g_signal_connect (decode, "deep-element-added",
      G_CALLBACK (on_element_added), NULL);
  g_signal_connect_object (decode, "pad-added",
      G_CALLBACK (on_pad_added_keep_colorimetry), capsfilter, 0);
  g_signal_connect_object (decode, "pad-added", G_CALLBACK (on_pad_added),
      convert, 0);

  gst_object_unref (file);
  gst_object_unref (decode);
  gst_object_unref (convert);
  gst_object_unref (capsfilter);
  return pipeline;
}
