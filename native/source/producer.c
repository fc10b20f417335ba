#include "source/producer.h"

#include <gst/app/app.h>

#include "source/decode-pipeline.h"
#include "source/fan-out.h"
#include "source/loop-segment.h"

/* Long enough for a demuxer to index a big file, short enough that a stuck
 * file does not hold a viewer's DESCRIBE for long. */
#define PREROLL_TIMEOUT (5 * GST_SECOND)

struct _Producer
{
  gint ref_count;
  gint stopped;                 /* atomic */
  gint failed;                  /* atomic */
  GstElement *pipeline;
  FanOut *fan_out;              /* to the medias' appsrcs */
  FanOut *audio_fan_out;        /* to their audio appsrcs; NULL: no audio */
  GSource *bus_watch;           /* holds a reference to the producer */
  ProducerCallbacks callbacks;
  gpointer user_data;
  gchar *file;
  guint loops;                  /* main thread only */
  LoopSegment loop_segment;     /* of the frames reaching the queue */
  LoopSegment audio_loop_segment;       /* of the audio reaching its queue */
};

Producer *
producer_ref (Producer * producer)
{
  g_atomic_int_inc (&producer->ref_count);
  return producer;
}

void
producer_unref (Producer * producer)
{
  if (!g_atomic_int_dec_and_test (&producer->ref_count))
    return;
  gst_object_unref (producer->pipeline);
  fan_out_free (producer->fan_out);
  if (producer->audio_fan_out != NULL)
    fan_out_free (producer->audio_fan_out);
  g_source_unref (producer->bus_watch);
  loop_segment_clear (&producer->loop_segment);
  loop_segment_clear (&producer->audio_loop_segment);
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

void
producer_add_sinks (Producer * producer, GstElement * appsrc,
    GstElement * audio_appsrc)
{
  fan_out_add (producer->fan_out, appsrc);
  if (audio_appsrc != NULL && producer->audio_fan_out != NULL)
    fan_out_add (producer->audio_fan_out, audio_appsrc);
}

guint
producer_remove_sinks (Producer * producer, GstElement * appsrc,
    GstElement * audio_appsrc)
{
  if (audio_appsrc != NULL && producer->audio_fan_out != NULL)
    fan_out_remove (producer->audio_fan_out, audio_appsrc);
  return fan_out_remove (producer->fan_out, appsrc);
}

gboolean
producer_has_failed (Producer * producer)
{
  return g_atomic_int_get (&producer->failed);
}

gboolean
producer_has_fed (Producer * producer)
{
  return fan_out_has_fed (producer->fan_out);
}

/* How long after its time the appsink let the sample go: the wake-up's
 * delay, or a decode that fell behind. */
static GstClockTime
lateness_of (GstAppSink * sink, GstSample * sample)
{
  GstClockTime due = gst_segment_to_running_time (gst_sample_get_segment
      (sample), GST_FORMAT_TIME, GST_BUFFER_PTS (gst_sample_get_buffer
          (sample)));
  GstClock *clock = gst_element_get_clock (GST_ELEMENT (sink));
  GstClockTime now;

  if (clock == NULL)
    return 0;
  now = gst_clock_get_time (clock) - gst_element_get_base_time (GST_ELEMENT
      (sink));
  gst_object_unref (clock);
  return GST_CLOCK_TIME_IS_VALID (due) && now > due ? now - due : 0;
}

/* Streaming thread, called at each sample's time (the appsinks sync). */
static GstFlowReturn
push_sample (Producer * producer, GstAppSink * sink, FanOut * fan_out)
{
  GstSample *sample = gst_app_sink_pull_sample (sink);

  if (sample == NULL)
    return GST_FLOW_EOS;
  if (!g_atomic_int_get (&producer->stopped))
    fan_out_push (fan_out, sample, lateness_of (sink, sample));
  gst_sample_unref (sample);
  return GST_FLOW_OK;
}

static GstFlowReturn
on_new_sample (GstAppSink * sink, gpointer user_data)
{
  Producer *producer = user_data;

  return push_sample (producer, sink, producer->fan_out);
}

static GstFlowReturn
on_new_audio_sample (GstAppSink * sink, gpointer user_data)
{
  Producer *producer = user_data;

  return push_sample (producer, sink, producer->audio_fan_out);
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

/* Makes the medias fail too: a viewer waiting in DESCRIBE gets an answer. */
static void
producer_fail (Producer * producer, const GError * error, const gchar * debug)
{
  g_atomic_int_set (&producer->failed, TRUE);
  producer_stop (producer);
  fan_out_post_error (producer->fan_out, error, debug);
  producer->callbacks.failed (producer, error, producer->user_data);
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

static void
watch_loops (LoopSegment * loop, GstElement * pipeline, const gchar * queue)
{
  GstElement *element = gst_bin_get_by_name (GST_BIN (pipeline), queue);
  GstPad *pad = gst_element_get_static_pad (element, "sink");

  loop_segment_watch (loop, pad);
  gst_object_unref (pad);
  gst_object_unref (element);
}

static Producer *
producer_new (const ProducerConfig * config,
    const ProducerCallbacks * callbacks, gpointer user_data, GError ** error)
{
  GstAppSinkCallbacks sink_callbacks = {
    .new_sample = on_new_sample,
  };
  GstAppSinkCallbacks audio_sink_callbacks = {
    .new_sample = on_new_audio_sample,
  };
  Producer *producer;
  GstElement *pipeline, *sink, *audio_sink;
  GstBus *bus;

  pipeline = decode_pipeline_new (config, error);
  if (pipeline == NULL)
    return NULL;

  producer = g_new0 (Producer, 1);
  producer->ref_count = 1;
  producer->pipeline = pipeline;
  producer->fan_out = fan_out_new ();
  producer->callbacks = *callbacks;
  producer->user_data = user_data;
  producer->file = g_strdup (config->file);
  loop_segment_init (&producer->loop_segment);
  loop_segment_init (&producer->audio_loop_segment);
  loop_segment_follow (&producer->audio_loop_segment, &producer->loop_segment);

  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &sink_callbacks, producer,
      NULL);
  gst_object_unref (sink);
  audio_sink = gst_bin_get_by_name (GST_BIN (pipeline), "asink");
  if (audio_sink != NULL) {
    producer->audio_fan_out = fan_out_new ();
    gst_app_sink_set_callbacks (GST_APP_SINK (audio_sink),
        &audio_sink_callbacks, producer, NULL);
    gst_object_unref (audio_sink);
  }
  watch_loops (&producer->loop_segment, pipeline, "queue");
  if (producer->audio_fan_out != NULL)
    watch_loops (&producer->audio_loop_segment, pipeline, "aqueue");

  /* Attached to the default context, whichever thread builds us. */
  bus = gst_element_get_bus (pipeline);
  producer->bus_watch = gst_bus_create_watch (bus);
  g_source_set_callback (producer->bus_watch, G_SOURCE_FUNC (on_bus_message),
      producer_ref (producer), (GDestroyNotify) producer_unref);
  g_source_attach (producer->bus_watch, NULL);
  gst_object_unref (bus);
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
producer_start (const ProducerConfig * config,
    const ProducerCallbacks * callbacks, gpointer user_data, GstCaps ** caps,
    GError ** error)
{
  Producer *producer;
  GstStateChangeReturn ret;

  *caps = NULL;
  producer = producer_new (config, callbacks, user_data, error);
  if (producer == NULL)
    return NULL;

  /* Errors are on the bus, for on_bus_message. */
  ret = gst_element_set_state (producer->pipeline, GST_STATE_PAUSED);
  if (ret == GST_STATE_CHANGE_FAILURE)
    return producer;
  ret = gst_element_get_state (producer->pipeline, NULL, NULL, PREROLL_TIMEOUT);
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
