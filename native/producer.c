#include "producer.h"

#include <gst/app/app.h>

/* The decodebin -> convert link is made when the video pad appears. Without
 * the queue, the appsink's wait for each frame's time would run in the
 * decoder's thread, leaving one frame period to decode and scale the next:
 * with it, decoding runs up to half a second ahead. */
#define PRODUCER_DESCRIPTION \
  "filesrc name=file ! decodebin name=decode " \
  "videoconvert name=convert ! videoscale ! videorate ! capsfilter name=caps " \
  "! queue name=queue max-size-buffers=15 max-size-bytes=0 " \
  "max-size-time=500000000 " \
  "! appsink name=sink sync=true enable-last-sample=false"

/* Long enough for a demuxer to index a big file, short enough that a stuck
 * file does not hold a viewer's DESCRIBE for long. */
#define PREROLL_TIMEOUT (5 * GST_SECOND)

struct _Producer
{
  gint ref_count;
  gint stopped;                 /* atomic */
  GstElement *pipeline;
  GstElement *appsrc;           /* the media's source, fed by us */
  GSource *bus_watch;           /* holds a reference to the producer */
  ProducerCallbacks callbacks;
  gpointer user_data;
  gchar *file;
  guint loops;                  /* main thread only */
  /* Streaming thread only: the segment of the frames reaching the queue and
   * the running time at which the last of them ends. */
  GstSegment segment;
  GstClockTime end_time;
};

static Producer *
producer_ref (Producer * producer)
{
  g_atomic_int_inc (&producer->ref_count);
  return producer;
}

static void
producer_unref (gpointer data)
{
  Producer *producer = data;

  if (!g_atomic_int_dec_and_test (&producer->ref_count))
    return;
  gst_object_unref (producer->pipeline);
  gst_object_unref (producer->appsrc);
  g_source_unref (producer->bus_watch);
  g_free (producer->file);
  g_free (producer);
}

static void
producer_stop (Producer * producer)
{
  if (!g_atomic_int_compare_and_exchange (&producer->stopped, FALSE, TRUE))
    return;
  gst_element_set_state (producer->pipeline, GST_STATE_NULL);
  g_source_destroy (producer->bus_watch);
}

void
producer_release (Producer * producer)
{
  producer_stop (producer);
  producer_unref (producer);
}

gboolean
producer_check (GError ** error)
{
  GstElement *pipeline = gst_parse_launch (PRODUCER_DESCRIPTION, error);

  if (pipeline == NULL)
    return FALSE;
  gst_object_unref (pipeline);
  return TRUE;
}

/* Running time of the media's pipeline, or NONE before it plays. */
static GstClockTime
media_running_time (GstElement * appsrc)
{
  GstClockTime now = GST_CLOCK_TIME_NONE;
  GstClock *clock;

  GST_OBJECT_LOCK (appsrc);
  clock = GST_ELEMENT_CLOCK (appsrc);
  if (clock != NULL && GST_STATE (appsrc) == GST_STATE_PLAYING)
    gst_object_ref (clock);
  else
    clock = NULL;
  GST_OBJECT_UNLOCK (appsrc);
  if (clock == NULL)
    return now;
  now = gst_clock_get_time (clock) - gst_element_get_base_time (appsrc);
  gst_object_unref (clock);
  return now;
}

/* Streaming thread, called at each frame's time (the appsink syncs). The
 * frame is stamped now, with the media's running time, as a live source
 * stamps at capture: timestamps stay regular across loops and while the
 * media's own stream is blocked or busy. Before the media plays there is no
 * running time: the frame is dropped. */
static GstFlowReturn
on_new_sample (GstAppSink * sink, gpointer user_data)
{
  Producer *producer = user_data;
  GstSample *sample, *out;
  GstBuffer *buffer;
  GstClockTime now;

  sample = gst_app_sink_pull_sample (sink);
  if (sample == NULL)
    return GST_FLOW_EOS;

  now = media_running_time (producer->appsrc);
  if (g_atomic_int_get (&producer->stopped)
      || !GST_CLOCK_TIME_IS_VALID (now)) {
    gst_sample_unref (sample);
    return GST_FLOW_OK;
  }

  buffer = gst_buffer_copy (gst_sample_get_buffer (sample));
  GST_BUFFER_PTS (buffer) = now;
  GST_BUFFER_DTS (buffer) = now;
  out = gst_sample_new (buffer, gst_sample_get_caps (sample), NULL, NULL);
  /* FLUSHING while the media stops is expected: the frame is just lost. */
  gst_app_src_push_sample (GST_APP_SRC (producer->appsrc), out);

  gst_sample_unref (out);
  gst_buffer_unref (buffer);
  gst_sample_unref (sample);
  return GST_FLOW_OK;
}

/* A non-flushing segment seek bases the next loop on the running time of
 * the last frame's start, not its end: two frames would share a running
 * time at each loop point. Start each loop where the last frame ended. */
static GstPadProbeReturn
on_queue_data (GstPad * pad G_GNUC_UNUSED, GstPadProbeInfo * info,
    gpointer user_data)
{
  Producer *producer = user_data;

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
    GstClockTime start = gst_segment_to_running_time (&producer->segment,
        GST_FORMAT_TIME, GST_BUFFER_PTS (buffer));

    if (GST_CLOCK_TIME_IS_VALID (start))
      producer->end_time = start + (GST_BUFFER_DURATION_IS_VALID (buffer) ?
          GST_BUFFER_DURATION (buffer) : 0);
    return GST_PAD_PROBE_OK;
  }

  switch (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info))) {
    case GST_EVENT_FLUSH_STOP:
      /* A flushing seek restarts the running time from 0. */
      producer->end_time = GST_CLOCK_TIME_NONE;
      break;
    case GST_EVENT_SEGMENT:{
      GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
      GstEvent *rebased;

      gst_event_copy_segment (event, &producer->segment);
      if (producer->segment.format != GST_FORMAT_TIME
          || !GST_CLOCK_TIME_IS_VALID (producer->end_time))
        break;
      producer->segment.base = producer->end_time;
      rebased = gst_event_new_segment (&producer->segment);
      gst_event_set_seqnum (rebased, gst_event_get_seqnum (event));
      gst_event_unref (event);
      GST_PAD_PROBE_INFO_DATA (info) = rebased;
      break;
    }
    default:
      break;
  }
  return GST_PAD_PROBE_OK;
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

/* From the start to the end of the file, posting SEGMENT_DONE at the end
 * instead of EOS. A non-flushing segment seek keeps the running time (and
 * so the appsink's pacing) going. */
static gboolean
seek_to_start (Producer * producer, gboolean flush)
{
  GstSeekFlags flags = GST_SEEK_FLAG_SEGMENT;

  if (flush)
    flags |= GST_SEEK_FLAG_FLUSH;
  return gst_element_seek (producer->pipeline, 1.0, GST_FORMAT_TIME, flags,
      GST_SEEK_TYPE_SET, 0, GST_SEEK_TYPE_NONE, GST_CLOCK_TIME_NONE);
}

/* Makes the media fail too: a viewer waiting in DESCRIBE gets an answer. */
static void
producer_fail (Producer * producer, const GError * error, const gchar * debug)
{
  GstMessage *message;

  producer_stop (producer);
  message = gst_message_new_error (GST_OBJECT (producer->appsrc),
      (GError *) error, debug);
  gst_element_post_message (producer->appsrc, message);
  producer->callbacks.failed (error, producer->user_data);
}

static void
producer_loop (Producer * producer, gboolean flush)
{
  GError *error;

  if (!seek_to_start (producer, flush))
    goto seek_failed;
  producer->loops++;
  producer->callbacks.looped (producer->loops, producer->user_data);
  return;

  /* ERRORS */
seek_failed:
  {
    error = g_error_new (GST_STREAM_ERROR, GST_STREAM_ERROR_FAILED,
        "could not seek back to the start of %s", producer->file);
    producer_fail (producer, error, NULL);
    g_error_free (error);
  }
}

/* Main thread. */
static gboolean
on_bus_message (GstBus * bus G_GNUC_UNUSED, GstMessage * message,
    gpointer user_data)
{
  Producer *producer = user_data;

  if (g_atomic_int_get (&producer->stopped))
    return G_SOURCE_REMOVE;

  switch (GST_MESSAGE_TYPE (message)) {
    case GST_MESSAGE_SEGMENT_DONE:
      producer_loop (producer, FALSE);
      break;
    case GST_MESSAGE_EOS:
      /* The demuxer did not honour the segment seek. */
      producer_loop (producer, TRUE);
      break;
    case GST_MESSAGE_ERROR:{
      GError *error = NULL;
      gchar *debug = NULL;

      gst_message_parse_error (message, &error, &debug);
      producer_fail (producer, error, debug);
      g_error_free (error);
      g_free (debug);
      break;
    }
    default:
      break;
  }
  return G_SOURCE_CONTINUE;
}

static GstCaps *
producer_caps_new (const ProducerConfig * config)
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

static Producer *
producer_new (const ProducerConfig * config, GstElement * appsrc,
    const ProducerCallbacks * callbacks, gpointer user_data, GError ** error)
{
  GstAppSinkCallbacks sink_callbacks = {
    .new_sample = on_new_sample,
  };
  Producer *producer;
  GstElement *pipeline, *file, *decode, *convert, *capsfilter, *queue, *sink;
  GstPad *queue_pad;
  GstCaps *caps;
  GstBus *bus;

  pipeline = gst_parse_launch (PRODUCER_DESCRIPTION, error);
  if (pipeline == NULL)
    return NULL;

  file = gst_bin_get_by_name (GST_BIN (pipeline), "file");
  decode = gst_bin_get_by_name (GST_BIN (pipeline), "decode");
  convert = gst_bin_get_by_name (GST_BIN (pipeline), "convert");
  capsfilter = gst_bin_get_by_name (GST_BIN (pipeline), "caps");
  queue = gst_bin_get_by_name (GST_BIN (pipeline), "queue");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");

  producer = g_new0 (Producer, 1);
  producer->ref_count = 1;
  producer->pipeline = pipeline;
  producer->appsrc = gst_object_ref (appsrc);
  producer->callbacks = *callbacks;
  producer->user_data = user_data;
  producer->file = g_strdup (config->file);
  gst_segment_init (&producer->segment, GST_FORMAT_TIME);
  producer->end_time = GST_CLOCK_TIME_NONE;

  g_object_set (file, "location", config->file, NULL);
  caps = producer_caps_new (config);
  g_object_set (capsfilter, "caps", caps, NULL);
  gst_caps_unref (caps);
  g_signal_connect (decode, "autoplug-continue",
      G_CALLBACK (on_autoplug_continue), NULL);
  g_signal_connect_object (decode, "pad-added", G_CALLBACK (on_pad_added),
      convert, 0);
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &sink_callbacks, producer,
      NULL);
  queue_pad = gst_element_get_static_pad (queue, "sink");
  gst_pad_add_probe (queue_pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM | GST_PAD_PROBE_TYPE_EVENT_FLUSH,
      on_queue_data, producer, NULL);
  gst_object_unref (queue_pad);

  /* Attached to the default context, whichever thread builds us. */
  bus = gst_element_get_bus (pipeline);
  producer->bus_watch = gst_bus_create_watch (bus);
  g_source_set_callback (producer->bus_watch, G_SOURCE_FUNC (on_bus_message),
      producer_ref (producer), producer_unref);
  g_source_attach (producer->bus_watch, NULL);
  gst_object_unref (bus);

  gst_object_unref (file);
  gst_object_unref (decode);
  gst_object_unref (convert);
  gst_object_unref (capsfilter);
  gst_object_unref (queue);
  gst_object_unref (sink);
  return producer;
}

static GstCaps *
producer_get_caps (Producer * producer)
{
  GstElement *sink = gst_bin_get_by_name (GST_BIN (producer->pipeline),
      "sink");
  GstPad *pad = gst_element_get_static_pad (sink, "sink");
  GstCaps *caps = gst_pad_get_current_caps (pad);

  gst_object_unref (pad);
  gst_object_unref (sink);
  return caps;
}

Producer *
producer_start (const ProducerConfig * config, GstElement * appsrc,
    const ProducerCallbacks * callbacks, gpointer user_data, GstCaps ** caps,
    GError ** error)
{
  Producer *producer;
  GstStateChangeReturn ret;

  *caps = NULL;
  producer = producer_new (config, appsrc, callbacks, user_data, error);
  if (producer == NULL)
    return NULL;

  /* Errors are on the bus, for on_bus_message. */
  ret = gst_element_set_state (producer->pipeline, GST_STATE_PAUSED);
  if (ret == GST_STATE_CHANGE_FAILURE)
    return producer;
  ret = gst_element_get_state (producer->pipeline, NULL, NULL,
      PREROLL_TIMEOUT);
  if (ret == GST_STATE_CHANGE_FAILURE)
    return producer;

  /* Not prerolled in time, or the segment seek refused: EOS loops instead. */
  if (ret == GST_STATE_CHANGE_SUCCESS) {
    *caps = producer_get_caps (producer);
    seek_to_start (producer, TRUE);
  }
  gst_element_set_state (producer->pipeline, GST_STATE_PLAYING);
  return producer;
}
