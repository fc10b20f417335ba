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

/* A live source: no pacing (frames leave as they arrive, stamped then),
 * no frame-rate conversion (it would hold each frame until the next), and
 * a queue that drops the oldest rather than hold the source back. Its own
 * colorimetry is kept, as a file's is: converting every pixel's colour
 * made the decode of a 1280x720 camera cost more than an encoder. */
#define LIVE_DESCRIPTION \
  "uridecodebin name=decode " \
  "videoconvert name=convert ! videoscale method=lanczos " \
  "! capsfilter name=caps " \
  "! queue name=queue max-size-buffers=3 max-size-bytes=0 max-size-time=0 " \
  "leaky=downstream " \
  "! appsink name=sink sync=false enable-last-sample=false"

/* rtspsrc's jitter buffer waits 2 s by default: a camera on the next
 * switch needs far less, and every millisecond is delay for the viewers. */
#define LIVE_RTSP_LATENCY_MS 200

/* The file's audio, when the mounts send audio: decodebin's audio pad is
 * linked to the queue through audio_codec_decode_branch(). The appsink
 * paces it on the same clock as the video: both leave at their time. */
#define AUDIO_TAIL_DESCRIPTION \
  " queue name=aqueue max-size-buffers=0 max-size-bytes=0 " \
  "max-size-time=500000000 " \
  "! appsink name=asink sync=true enable-last-sample=false"

/* A live source's audio, encoded to one format (audio_codec_live_branch()),
 * leaves as it comes, as its video does; the producer spaces it. Not
 * async: a source without audio never gives the appsink a buffer, and the
 * pipeline would wait for it to preroll. */
#define LIVE_AUDIO_TAIL_DESCRIPTION \
  " queue name=aqueue max-size-buffers=0 max-size-bytes=0 " \
  "max-size-time=500000000 leaky=downstream " \
  "! appsink name=asink sync=false async=false enable-last-sample=false"

gboolean
decode_pipeline_check (GError ** error)
{
  GstElement *pipeline = gst_parse_launch (DECODE_DESCRIPTION, error);

  if (pipeline == NULL)
    return FALSE;
  gst_object_unref (pipeline);
  pipeline = gst_parse_launch (LIVE_DESCRIPTION, error);
  if (pipeline == NULL)
    return FALSE;
  gst_object_unref (pipeline);
  return TRUE;
}

static void
on_source_setup (GstElement * decode G_GNUC_UNUSED, GstElement * source,
    gpointer user_data G_GNUC_UNUSED)
{
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (source), "latency")
      != NULL && g_str_equal (G_OBJECT_TYPE_NAME (source), "GstRTSPSrc"))
    g_object_set (source, "latency", LIVE_RTSP_LATENCY_MS, NULL);
}

static gboolean
is_audio (const GstCaps * caps)
{
  return g_str_has_prefix (gst_structure_get_name (gst_caps_get_structure
          (caps, 0)), "audio/");
}

/* Audio that is not served, or is served as it is, stays undecoded. */
static gboolean
on_autoplug_continue (GstElement * decodebin G_GNUC_UNUSED,
    GstPad * pad G_GNUC_UNUSED, GstCaps * caps, gpointer user_data)
{
  AudioCodec audio = GPOINTER_TO_INT (user_data);

  if (!is_audio (caps))
    return TRUE;
  return audio != AUDIO_CODEC_NONE && !audio_codec_matches (audio, caps);
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

/* pad -> branch -> queue, the branch playing as the pipeline does. */
static gboolean
link_audio_branch (GstPad * pad, GstElement * branch, GstElement * queue)
{
  GstPad *branch_pad;
  gboolean linked;

  if (!gst_element_link_pads (branch, "src", queue, "sink")
      || !gst_element_sync_state_with_parent (branch))
    return FALSE;
  branch_pad = gst_element_get_static_pad (branch, "sink");
  linked = gst_pad_link (pad, branch_pad) == GST_PAD_LINK_OK;
  gst_object_unref (branch_pad);
  return linked;
}

/* The first audio pad, through the branch description_of() gives for it,
 * to the audio queue; later audio tracks stay unlinked. */
static void
link_first_audio (GstElement * decodebin, GstPad * pad, AudioCodec audio,
    const gchar * (*description_of) (AudioCodec audio, const GstCaps * caps))
{
  GstElement *pipeline = GST_ELEMENT (gst_element_get_parent (decodebin));
  GstElement *queue = gst_bin_get_by_name (GST_BIN (pipeline), "aqueue");
  GstPad *queue_pad = gst_element_get_static_pad (queue, "sink");
  GstCaps *caps = gst_pad_get_current_caps (pad);
  GstElement *branch;
  GError *error = NULL;

  if (caps == NULL || !is_audio (caps) || gst_pad_is_linked (queue_pad))
    goto done;
  branch = gst_parse_bin_from_description_full (description_of (audio, caps),
      TRUE, NULL, GST_PARSE_FLAG_FATAL_ERRORS, &error);
  if (branch == NULL)
    goto no_branch;
  gst_bin_add (GST_BIN (pipeline), branch);
  if (!link_audio_branch (pad, branch, queue))
    goto link_failed;

done:
  if (caps != NULL)
    gst_caps_unref (caps);
  gst_object_unref (queue_pad);
  gst_object_unref (queue);
  gst_object_unref (pipeline);
  return;

  /* ERRORS */
no_branch:
  {
    GST_ELEMENT_ERROR (decodebin, CORE, MISSING_PLUGIN,
        ("no %s audio branch: %s", audio_codec_name (audio), error->message),
        (NULL));
    g_error_free (error);
    goto done;
  }
link_failed:
  {
    GST_ELEMENT_ERROR (decodebin, CORE, NEGOTIATION,
        ("could not make %s audio of %" GST_PTR_FORMAT,
            audio_codec_name (audio), caps), (NULL));
    goto done;
  }
}

/* A file's audio: as it is when it is the codec sent, else encoded. */
static const gchar *
file_audio_branch (AudioCodec audio, const GstCaps * caps)
{
  return audio_codec_decode_branch (audio, audio_codec_matches (audio, caps));
}

static void
on_audio_pad_added (GstElement * decodebin, GstPad * pad, gpointer user_data)
{
  link_first_audio (decodebin, pad, GPOINTER_TO_INT (user_data),
      file_audio_branch);
}

static const gchar *
live_audio_branch (AudioCodec audio G_GNUC_UNUSED,
    const GstCaps * caps G_GNUC_UNUSED)
{
  return audio_codec_live_branch ();
}

static void
on_live_audio_pad_added (GstElement * decodebin, GstPad * pad,
    gpointer user_data)
{
  link_first_audio (decodebin, pad, GPOINTER_TO_INT (user_data),
      live_audio_branch);
}

/* The helper was told to send audio: a file without any is an error, not
 * a mount whose media waits for audio forever. */
static void
on_no_more_pads (GstElement * decodebin, gpointer user_data)
{
  GstElement *queue = user_data;
  GstPad *queue_pad = gst_element_get_static_pad (queue, "sink");

  if (!gst_pad_is_linked (queue_pad))
    GST_ELEMENT_ERROR (decodebin, STREAM, FORMAT,
        ("the file has no audio stream to send"), (NULL));
  gst_object_unref (queue_pad);
}

static GstCaps *
output_caps_new (const ProducerConfig * config)
{
  GstCaps *caps = gst_caps_new_simple ("video/x-raw",
      "format", G_TYPE_STRING, "I420",
      "width", G_TYPE_INT, config->width,
      "height", G_TYPE_INT, config->height,
      "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1, NULL);

  /* A live source's rate is its own (see LIVE_DESCRIPTION). */
  if (config->uri == NULL && config->fps > 0)
    gst_caps_set_simple (caps, "framerate", GST_TYPE_FRACTION, config->fps, 1,
        NULL);
  return caps;
}

GstElement *
decode_pipeline_new (const ProducerConfig * config, GError ** error)
{
  GstElement *pipeline, *decode, *convert, *capsfilter;
  gpointer audio;
  GstCaps *caps;

  if (config->uri != NULL)
    pipeline = gst_parse_launch (config->audio == AUDIO_CODEC_NONE ?
        LIVE_DESCRIPTION : LIVE_DESCRIPTION LIVE_AUDIO_TAIL_DESCRIPTION, error);
  else
    pipeline = gst_parse_launch (config->audio == AUDIO_CODEC_NONE ?
        DECODE_DESCRIPTION : DECODE_DESCRIPTION AUDIO_TAIL_DESCRIPTION, error);
  if (pipeline == NULL)
    return NULL;

  decode = gst_bin_get_by_name (GST_BIN (pipeline), "decode");
  convert = gst_bin_get_by_name (GST_BIN (pipeline), "convert");
  capsfilter = gst_bin_get_by_name (GST_BIN (pipeline), "caps");

  caps = output_caps_new (config);
  g_object_set (capsfilter, "caps", caps, NULL);
  gst_caps_unref (caps);
  if (config->uri != NULL) {
    g_object_set (decode, "uri", config->uri, NULL);
    g_signal_connect (decode, "source-setup", G_CALLBACK (on_source_setup),
        NULL);
  } else {
    GstElement *file = gst_bin_get_by_name (GST_BIN (pipeline), "file");

    g_object_set (file, "location", config->file, NULL);
    gst_object_unref (file);
  }
  audio = GINT_TO_POINTER (config->audio);
  /* A live source's audio is always decoded (and encoded again). */
  if (config->uri == NULL || config->audio == AUDIO_CODEC_NONE)
    g_signal_connect (decode, "autoplug-continue",
        G_CALLBACK (on_autoplug_continue), audio);
  /* A camera may have no audio: silence stands in (live-audio.c). */
  if (config->uri != NULL && config->audio != AUDIO_CODEC_NONE) {
    g_signal_connect (decode, "pad-added",
        G_CALLBACK (on_live_audio_pad_added), audio);
  } else if (config->audio != AUDIO_CODEC_NONE) {
    GstElement *queue = gst_bin_get_by_name (GST_BIN (pipeline), "aqueue");

    g_signal_connect (decode, "pad-added", G_CALLBACK (on_audio_pad_added),
        audio);
    g_signal_connect_object (decode, "no-more-pads",
        G_CALLBACK (on_no_more_pads), queue, 0);
    gst_object_unref (queue);
  }
  g_signal_connect (decode, "deep-element-added",
      G_CALLBACK (on_element_added), NULL);
  if (config->uri == NULL)
    g_signal_connect_object (decode, "pad-added",
        G_CALLBACK (on_pad_added_keep_colorimetry), capsfilter, 0);
  g_signal_connect_object (decode, "pad-added", G_CALLBACK (on_pad_added),
      convert, 0);

  gst_object_unref (decode);
  gst_object_unref (convert);
  gst_object_unref (capsfilter);
  return pipeline;
}
