/* probe-reader: an RTSP viewer for `npm run probe` (docs/probe.md). Plays a
 * URL with rtspsrc, decodes it and writes each decoded picture's luma plane
 * (the Y plane as decoded, no range conversion) to stdout with, in a fixed
 * header, the wall clock when it was decoded and the server's wall clock for
 * it: the NTP time rtpjitterbuffer derives from
 * the RTCP sender reports' NTP<->RTP mapping (add-reference-timestamp-meta).
 *
 * Frame record, little-endian, then height rows of width bytes:
 *   u32 magic "ABRF", u32 width, u32 height, u32 flags (1: server time set),
 *   i64 decoded_unix_us, i64 server_unix_us, i64 pts_ns (-1: none)
 * Errors go to stderr, one line each; exit 0 at end of stream or on
 * SIGINT/SIGTERM, 1 on a pipeline error, 2 on bad arguments. */

#include <signal.h>
#include <stdio.h>

#include <glib-unix.h>
#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/video/video.h>

#define FRAME_MAGIC 0x46524241u /* "ABRF" read as little-endian u32 */
#define FLAG_SERVER_TIME 1u
/* Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
#define NTP_UNIX_OFFSET_S G_GINT64_CONSTANT (2208988800)
#define EXIT_OK 0
#define EXIT_PIPELINE_ERROR 1
#define EXIT_USAGE 2

typedef struct
{
  guint32 magic;
  guint32 width;
  guint32 height;
  guint32 flags;
  gint64 decoded_unix_us;
  gint64 server_unix_us;
  gint64 pts_ns;
} FrameHeader;

G_STATIC_ASSERT (sizeof (FrameHeader) == 40);
G_STATIC_ASSERT (G_BYTE_ORDER == G_LITTLE_ENDIAN);

typedef struct
{
  GMainLoop *loop;
  GstElement *pipeline;
  GstCaps *ntp_caps;
  gint exit_code;
} Reader;

static gboolean
write_all (const void *data, gsize size)
{
  return fwrite (data, 1, size, stdout) == size;
}

/* The server's wall clock for this picture, from the reference timestamp
 * rtpjitterbuffer attached once a sender report had mapped RTP to NTP time;
 * decoders copy metas without tags to their output. */
static gboolean
server_time_of (Reader * reader, GstBuffer * buffer, gint64 * unix_us)
{
  GstReferenceTimestampMeta *meta =
      gst_buffer_get_reference_timestamp_meta (buffer, reader->ntp_caps);

  if (meta == NULL)
    return FALSE;
  *unix_us = (gint64) (meta->timestamp / GST_USECOND) -
      NTP_UNIX_OFFSET_S * G_USEC_PER_SEC;
  return TRUE;
}

static gboolean
write_frame (Reader * reader, GstSample * sample, gint64 decoded_unix_us)
{
  GstBuffer *buffer = gst_sample_get_buffer (sample);
  GstVideoInfo info;
  GstVideoFrame frame;
  FrameHeader header = { 0 };
  gboolean ok = TRUE;

  if (buffer == NULL || !gst_video_info_from_caps (&info,
          gst_sample_get_caps (sample)))
    goto no_picture;
  if (!gst_video_frame_map (&frame, &info, buffer, GST_MAP_READ))
    goto no_picture;

  header.magic = FRAME_MAGIC;
  header.width = GST_VIDEO_FRAME_WIDTH (&frame);
  header.height = GST_VIDEO_FRAME_HEIGHT (&frame);
  header.decoded_unix_us = decoded_unix_us;
  header.server_unix_us = -1;
  if (server_time_of (reader, buffer, &header.server_unix_us))
    header.flags |= FLAG_SERVER_TIME;
  header.pts_ns = GST_BUFFER_PTS_IS_VALID (buffer) ?
      (gint64) GST_BUFFER_PTS (buffer) : -1;

  ok = write_all (&header, sizeof header);
  for (guint row = 0; ok && row < header.height; row++) {
    const guint8 *plane = GST_VIDEO_FRAME_PLANE_DATA (&frame, 0);
    gint stride = GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0);

    ok = write_all (plane + (gsize) row * stride, header.width);
  }
  gst_video_frame_unmap (&frame);
  return ok && fflush (stdout) == 0;

  /* ERRORS */
no_picture:
  {
    g_printerr ("probe-reader: a decoded sample without a readable "
        "picture was skipped\n");
    return TRUE;
  }
}

static GstFlowReturn
on_new_sample (GstAppSink * sink, gpointer user_data)
{
  Reader *reader = user_data;
  gint64 decoded_unix_us = g_get_real_time ();
  GstSample *sample = gst_app_sink_pull_sample (sink);
  gboolean written;

  if (sample == NULL)
    return GST_FLOW_EOS;
  written = write_frame (reader, sample, decoded_unix_us);
  gst_sample_unref (sample);
  if (!written)
    goto output_closed;
  return GST_FLOW_OK;

  /* ERRORS */
output_closed:
  {
    /* The reading side went away: nothing left to measure for. */
    g_main_loop_quit (reader->loop);
    return GST_FLOW_EOS;
  }
}

static gboolean
on_bus_message (GstBus * bus, GstMessage * message, gpointer user_data)
{
  Reader *reader = user_data;

  (void) bus;
  switch (GST_MESSAGE_TYPE (message)) {
    case GST_MESSAGE_ERROR:{
      GError *error = NULL;
      gchar *debug = NULL;

      gst_message_parse_error (message, &error, &debug);
      g_printerr ("probe-reader: error from %s: %s (%s)\n",
          GST_OBJECT_NAME (GST_MESSAGE_SRC (message)), error->message,
          debug != NULL ? debug : "no details");
      g_error_free (error);
      g_free (debug);
      reader->exit_code = EXIT_PIPELINE_ERROR;
      g_main_loop_quit (reader->loop);
      break;
    }
    case GST_MESSAGE_EOS:
      g_main_loop_quit (reader->loop);
      break;
    default:
      break;
  }
  return G_SOURCE_CONTINUE;
}

static gboolean
on_signal (gpointer user_data)
{
  Reader *reader = user_data;

  g_main_loop_quit (reader->loop);
  return G_SOURCE_CONTINUE;
}

/* The video stream only: a camera's audio stream stays unlinked. */
static GstElement *
build_pipeline (const gchar * location, const gchar * protocols,
    gint latency_ms, GError ** error)
{
  gchar *quoted = g_strescape (location, NULL);
  gchar *description = g_strdup_printf ("rtspsrc location=\"%s\" "
      "protocols=%s latency=%d add-reference-timestamp-meta=true ! "
      "application/x-rtp,media=video ! decodebin ! videoconvert ! video/x-raw,format=I420 ! "
      "appsink name=frames sync=false max-buffers=0", quoted, protocols,
      latency_ms);
  GstElement *pipeline = gst_parse_launch (description, error);

  g_free (quoted);
  g_free (description);
  return pipeline;
}

int
main (int argc, char **argv)
{
  gchar *location = NULL;
  gchar *protocols = NULL;
  gint latency_ms = 200;
  GOptionEntry entries[] = {
    {"location", 0, 0, G_OPTION_ARG_STRING, &location, "RTSP URL", "URL"},
    {"protocols", 0, 0, G_OPTION_ARG_STRING, &protocols,
        "rtspsrc protocols (udp, tcp, udp+tcp)", "P"},
    {"latency", 0, 0, G_OPTION_ARG_INT, &latency_ms,
        "jitter buffer latency, ms", "MS"},
    {NULL, 0, 0, 0, NULL, NULL, NULL}
  };
  GOptionContext *context = g_option_context_new ("- probe an RTSP stream");
  Reader reader = { 0 };
  GstElement *sink;
  GstBus *bus;
  GstAppSinkCallbacks callbacks = { 0 };
  GError *error = NULL;
  guint bus_watch, sigint_watch, sigterm_watch;

  /* A closed stdout fails the write instead of killing the reader. */
  signal (SIGPIPE, SIG_IGN);
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_add_group (context, gst_init_get_option_group ());
  if (!g_option_context_parse (context, &argc, &argv, &error))
    goto bad_arguments;
  if (location == NULL)
    goto no_location;

  reader.pipeline = build_pipeline (location,
      protocols != NULL ? protocols : "udp+tcp", latency_ms, &error);
  if (reader.pipeline == NULL)
    goto bad_pipeline;
  reader.loop = g_main_loop_new (NULL, FALSE);
  reader.ntp_caps = gst_caps_new_empty_simple ("timestamp/x-ntp");

  sink = gst_bin_get_by_name (GST_BIN (reader.pipeline), "frames");
  callbacks.new_sample = on_new_sample;
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, &reader, NULL);
  gst_object_unref (sink);

  bus = gst_element_get_bus (reader.pipeline);
  bus_watch = gst_bus_add_watch (bus, on_bus_message, &reader);
  gst_object_unref (bus);
  sigint_watch = g_unix_signal_add (SIGINT, on_signal, &reader);
  sigterm_watch = g_unix_signal_add (SIGTERM, on_signal, &reader);

  if (gst_element_set_state (reader.pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE) {
    g_printerr ("probe-reader: cannot play %s\n", location);
    reader.exit_code = EXIT_PIPELINE_ERROR;
  } else {
    g_main_loop_run (reader.loop);
  }

  gst_element_set_state (reader.pipeline, GST_STATE_NULL);
  g_source_remove (bus_watch);
  g_source_remove (sigint_watch);
  g_source_remove (sigterm_watch);
  gst_object_unref (reader.pipeline);
  gst_caps_unref (reader.ntp_caps);
  g_main_loop_unref (reader.loop);
  g_option_context_free (context);
  g_free (location);
  g_free (protocols);
  return reader.exit_code;

  /* ERRORS */
bad_arguments:
  {
    g_printerr ("probe-reader: %s\n", error->message);
    g_error_free (error);
    g_option_context_free (context);
    return EXIT_USAGE;
  }
no_location:
  {
    g_printerr ("probe-reader: --location URL is required\n");
    g_option_context_free (context);
    g_free (protocols);
    return EXIT_USAGE;
  }
bad_pipeline:
  {
    g_printerr ("probe-reader: cannot build the pipeline: %s\n",
        error->message);
    g_error_free (error);
    g_option_context_free (context);
    g_free (location);
    g_free (protocols);
    return EXIT_PIPELINE_ERROR;
  }
}
