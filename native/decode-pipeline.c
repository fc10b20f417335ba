#include "decode-pipeline.h"

/* The decodebin -> convert link is made when the video pad appears. Without
 * the queue, the appsink's wait for each frame's time would run in the
 * decoder's thread, leaving one frame period to decode and scale the next:
 * with it, decoding runs up to half a second ahead. */
#define DECODE_DESCRIPTION \
  "filesrc name=file ! decodebin name=decode " \
  "videoconvert name=convert ! videoscale ! videorate ! capsfilter name=caps " \
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
  g_signal_connect_object (decode, "pad-added", G_CALLBACK (on_pad_added),
      convert, 0);

  gst_object_unref (file);
  gst_object_unref (decode);
  gst_object_unref (convert);
  gst_object_unref (capsfilter);
  return pipeline;
}
