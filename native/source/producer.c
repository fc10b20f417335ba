#include "source/producer.h"

#include <string.h>

#include <gst/app/app.h>
#include <gst/video/video.h>

#include "source/arrival.h"
#include "source/backoff.h"
#include "source/decode-pipeline.h"
#include "source/fan-out.h"
#include "source/live-audio.h"
#include "source/loop-segment.h"
#include "source/reach-probe.h"
#include "source/sample-keeper.h"
#include "source/slate.h"

/* Long enough for a demuxer to index a big file, short enough that a stuck
 * file does not hold a viewer's DESCRIBE for long. */
#define PREROLL_TIMEOUT (5 * GST_SECOND)
/* A live source's checks: whether it went live or silent, its rate. */
#define WATCH_INTERVAL_MS 500
/* Silence that counts as lost for a source that was live (a camera whose
 * connection stays open but sends nothing), and the longest a (re)built
 * pipeline may take to its first frame (a source that sends garbage). */
#define SILENCE_LIMIT_US (3 * G_USEC_PER_SEC)
#define FIRST_FRAME_LIMIT_US (10 * G_USEC_PER_SEC)
/* The held picture's rate when the output's is not set. */
#define LIVE_DEFAULT_FPS 25
/* Frames missed before the held picture stands in for them. */
#define HOLD_AFTER_FRAMES 2
/* The slate's, before the source says its own. */
#define SLATE_COLORIMETRY "bt601"

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
  /* A live source; all but the frame count on the main thread. */
  gchar *uri;                   /* NULL: a file */
  ProducerConfig config;        /* its strings are the producer's own */
  GstCaps *live_caps;           /* what every frame goes out as */
  GstCaps *input_caps;          /* the appsink's last (streaming thread) */
  SampleKeeper *keeper;
  LiveAudio *live_audio;        /* NULL: no audio */
  ArrivalTable *arrivals;       /* any thread */
  Backoff backoff;
  GSource *retry;               /* the rebuild after a backoff */
  ReachProbe *reach;            /* cuts the backoff short; NULL: no TCP */
  GSource *watch;
  gint64 built_us;              /* when the running pipeline was built */
  ProducerState state;
  guint reconnects;
  guint watch_ticks;
  gint frames;                  /* atomic: since the last stats */
  gint bytes;                   /* atomic: compressed, since the last stats */
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
  g_clear_object (&producer->pipeline);
  g_clear_pointer (&producer->live_caps, gst_caps_unref);
  g_clear_pointer (&producer->input_caps, gst_caps_unref);
  g_clear_pointer (&producer->arrivals, arrival_table_free);
  fan_out_free (producer->fan_out);
  if (producer->audio_fan_out != NULL)
    fan_out_free (producer->audio_fan_out);
  g_clear_pointer (&producer->bus_watch, g_source_unref);
  loop_segment_clear (&producer->loop_segment);
  loop_segment_clear (&producer->audio_loop_segment);
  g_free (producer->file);
  g_free (producer->uri);
  g_free (producer);
}

static void
destroy_source (GSource ** source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_source_unref (*source);
  *source = NULL;
}

/* The running pipeline stops; a live source's timers and keeper go too. */
static void
producer_stop (Producer * producer)
{
  if (!g_atomic_int_compare_and_exchange (&producer->stopped, FALSE, TRUE))
    return;
  if (producer->pipeline != NULL)
    gst_element_set_state (producer->pipeline, GST_STATE_NULL);
  if (producer->bus_watch != NULL)
    g_source_destroy (producer->bus_watch);
  destroy_source (&producer->retry);
  destroy_source (&producer->watch);
  g_clear_pointer (&producer->reach, reach_probe_free);
  g_clear_pointer (&producer->keeper, sample_keeper_free);
  g_clear_pointer (&producer->live_audio, live_audio_free);
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
producer_has_sinks (Producer * producer)
{
  return fan_out_count (producer->fan_out) > 0;
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

/* Streaming thread: the frames go out in the source's colorimetry, at the
 * held picture's rate; the encoders renegotiate only when it changes (at
 * the first frame after the slate, or a source that changed). */
static void
follow_colorimetry (Producer * producer, GstCaps * caps)
{
  const gchar *colorimetry;
  GstCaps *wanted;

  if (caps == NULL || caps == producer->input_caps)
    return;
  gst_caps_replace (&producer->input_caps, caps);
  colorimetry = gst_structure_get_string (gst_caps_get_structure (caps, 0),
      "colorimetry");
  if (colorimetry == NULL)
    return;
  wanted = gst_caps_copy (producer->live_caps);
  gst_caps_set_simple (wanted, "colorimetry", G_TYPE_STRING, colorimetry, NULL);
  if (gst_caps_is_equal (wanted, producer->live_caps))
    gst_caps_unref (wanted);
  else
    gst_caps_take (&producer->live_caps, wanted);
}

/* Streaming thread, as each live frame is decoded: it goes out at once,
 * with the caps every frame of the source goes out with. */
static GstFlowReturn
on_new_live_sample (GstAppSink * sink, gpointer user_data)
{
  Producer *producer = user_data;
  GstSample *sample = gst_app_sink_pull_sample (sink);
  GstBuffer *buffer, *stamped;
  GstSample *out, *sent;

  if (sample == NULL)
    return GST_FLOW_EOS;
  follow_colorimetry (producer, gst_sample_get_caps (sample));
  buffer = gst_sample_get_buffer (sample);
  out = gst_sample_new (buffer, producer->live_caps, NULL, NULL);
  /* The held picture keeps no arrival: it is not the frame that came. */
  stamped = gst_buffer_copy (buffer);
  arrival_attach (stamped, arrival_table_find (producer->arrivals,
          GST_BUFFER_PTS (buffer)));
  sent = gst_sample_new (stamped, producer->live_caps, NULL, NULL);
  if (!g_atomic_int_get (&producer->stopped)) {
    sample_keeper_take (producer->keeper, out);
    fan_out_push (producer->fan_out, sent, 0);
    g_atomic_int_inc (&producer->frames);
  }
  gst_sample_unref (sent);
  gst_buffer_unref (stamped);
  gst_sample_unref (out);
  gst_sample_unref (sample);
  return GST_FLOW_OK;
}

static GstFlowReturn
on_new_audio_sample (GstAppSink * sink, gpointer user_data)
{
  Producer *producer = user_data;

  return push_sample (producer, sink, producer->audio_fan_out);
}

/* Streaming thread, as each frame of a live source's audio is encoded. */
static GstFlowReturn
on_new_live_audio_sample (GstAppSink * sink, gpointer user_data)
{
  Producer *producer = user_data;
  GstSample *sample = gst_app_sink_pull_sample (sink);

  if (sample == NULL)
    return GST_FLOW_EOS;
  if (!g_atomic_int_get (&producer->stopped))
    live_audio_push (producer->live_audio, sample);
  gst_sample_unref (sample);
  return GST_FLOW_OK;
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

static void producer_interrupt (Producer * producer, const gchar * why);

/* Main thread: a live source's error or end is not the end. */
static void
on_live_bus_message (Producer * producer, GstMessage * message)
{
  GError *error = NULL;

  switch (GST_MESSAGE_TYPE (message)) {
    case GST_MESSAGE_EOS:
      producer_interrupt (producer, "the source ended its stream");
      break;
    case GST_MESSAGE_ERROR:
      gst_message_parse_error (message, &error, NULL);
      producer_interrupt (producer, error->message);
      g_error_free (error);
      break;
    default:
      break;
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
  /* Each live pipeline has its own bus watch, gone with it. */
  if (producer->uri != NULL) {
    on_live_bus_message (producer, message);
    return G_SOURCE_CONTINUE;
  }

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

/* Wires a new pipeline's appsinks, loop points and bus to the producer. */
static void
producer_attach (Producer * producer, GstElement * pipeline)
{
  GstAppSinkCallbacks sink_callbacks = {
    .new_sample = producer->uri != NULL ? on_new_live_sample : on_new_sample,
  };
  GstAppSinkCallbacks audio_sink_callbacks = {
    .new_sample = producer->uri != NULL ? on_new_live_audio_sample :
        on_new_audio_sample,
  };
  GstElement *sink, *audio_sink;
  GstBus *bus;

  producer->pipeline = pipeline;
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &sink_callbacks, producer,
      NULL);
  gst_object_unref (sink);
  audio_sink = gst_bin_get_by_name (GST_BIN (pipeline), "asink");
  if (audio_sink != NULL) {
    gst_app_sink_set_callbacks (GST_APP_SINK (audio_sink),
        &audio_sink_callbacks, producer, NULL);
    gst_object_unref (audio_sink);
  }
  if (producer->uri == NULL) {
    watch_loops (&producer->loop_segment, pipeline, "queue");
    if (producer->audio_fan_out != NULL)
      watch_loops (&producer->audio_loop_segment, pipeline, "aqueue");
  }

  /* Attached to the default context, whichever thread builds us. */
  bus = gst_element_get_bus (pipeline);
  producer->bus_watch = gst_bus_create_watch (bus);
  g_source_set_callback (producer->bus_watch, G_SOURCE_FUNC (on_bus_message),
      producer_ref (producer), (GDestroyNotify) producer_unref);
  g_source_attach (producer->bus_watch, NULL);
  gst_object_unref (bus);
}

static Producer *
producer_new (const ProducerConfig * config,
    const ProducerCallbacks * callbacks, gpointer user_data)
{
  Producer *producer = g_new0 (Producer, 1);

  producer->ref_count = 1;
  producer->fan_out = fan_out_new ();
  producer->callbacks = *callbacks;
  producer->user_data = user_data;
  producer->file = g_strdup (config->file);
  producer->uri = g_strdup (config->uri);
  producer->config = *config;
  producer->config.file = producer->file;
  producer->config.uri = producer->uri;
  if (config->audio != AUDIO_CODEC_NONE)
    producer->audio_fan_out = fan_out_new ();
  loop_segment_init (&producer->loop_segment);
  loop_segment_init (&producer->audio_loop_segment);
  loop_segment_follow (&producer->audio_loop_segment, &producer->loop_segment);
  return producer;
}

static void
set_state (Producer * producer, ProducerState state, const gchar * error)
{
  producer->state = state;
  producer->callbacks.state (state, error, producer->user_data);
}

static gboolean on_retry (gpointer user_data);

/* Main thread: tears the live pipeline down and builds it again after the
 * backoff. Viewers keep the held picture meanwhile. */
static void
producer_interrupt (Producer * producer, const gchar * why)
{
  guint wait_ms;

  if (producer->pipeline == NULL)
    return;
  gst_element_set_state (producer->pipeline, GST_STATE_NULL);
  destroy_source (&producer->bus_watch);
  g_clear_object (&producer->pipeline);
  set_state (producer, producer->state == PRODUCER_CONNECTING ?
      PRODUCER_CONNECTING : PRODUCER_LOST, why);
  wait_ms = backoff_next (&producer->backoff);
  producer->retry = g_timeout_source_new (wait_ms);
  g_source_set_callback (producer->retry, on_retry, producer, NULL);
  g_source_attach (producer->retry, NULL);
  if (producer->reach != NULL)
    reach_probe_start (producer->reach);
}

/* The source's host answers again: no need to wait out the backoff. */
static void
on_reachable (gpointer user_data)
{
  Producer *producer = user_data;

  if (producer->retry != NULL)
    on_retry (producer);
}

/* Streaming thread: a compressed frame reaches the video decoder. */
static GstPadProbeReturn
on_decoder_input (GstPad * pad G_GNUC_UNUSED, GstPadProbeInfo * info,
    gpointer user_data)
{
  Producer *producer = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);

  arrival_table_note (producer->arrivals, GST_BUFFER_PTS (buffer),
      g_get_monotonic_time ());
  g_atomic_int_add (&producer->bytes, (gint) gst_buffer_get_size (buffer));
  return GST_PAD_PROBE_OK;
}

/* Streaming thread: decoded audio leaves the source's audio decoder. */
static GstPadProbeReturn
on_audio_decoded (GstPad * pad G_GNUC_UNUSED, GstPadProbeInfo * info,
    gpointer user_data)
{
  Producer *producer = user_data;

  live_audio_note (producer->live_audio,
      GST_BUFFER_PTS (GST_PAD_PROBE_INFO_BUFFER (info)));
  return GST_PAD_PROBE_OK;
}

static void
probe_buffers (GstElement * element, const gchar * pad_name,
    GstPadProbeCallback callback, Producer * producer)
{
  GstPad *pad = gst_element_get_static_pad (element, pad_name);

  if (pad == NULL)
    return;
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, callback, producer, NULL);
  gst_object_unref (pad);
}

/* uridecodebin plugs the decoders once the source is known: the video
 * decoder's input says when each frame came; the audio decoder's output
 * paces the audio (live-audio.c). */
static void
on_decoder_added (GstBin * bin G_GNUC_UNUSED, GstBin * sub_bin G_GNUC_UNUSED,
    GstElement * element, gpointer user_data)
{
  Producer *producer = user_data;
  GstElementFactory *factory = gst_element_get_factory (element);
  const gchar *klass = factory == NULL ? NULL :
      gst_element_factory_get_metadata (factory, GST_ELEMENT_METADATA_KLASS);

  if (klass == NULL || strstr (klass, "Decoder") == NULL)
    return;
  if (strstr (klass, "Video") != NULL)
    probe_buffers (element, "sink", on_decoder_input, producer);
  else if (strstr (klass, "Audio") != NULL && producer->live_audio != NULL)
    probe_buffers (element, "src", on_audio_decoded, producer);
}

/* Main thread: (re)builds the live pipeline and plays it. */
static void
producer_connect (Producer * producer)
{
  GError *error = NULL;
  GstElement *pipeline = decode_pipeline_new (&producer->config, &error);

  if (pipeline == NULL) {
    /* Only a missing element does this; it may be installed later. */
    producer->pipeline = NULL;
    set_state (producer, PRODUCER_CONNECTING, error->message);
    g_error_free (error);
    return;
  }
  producer_attach (producer, pipeline);
  if (producer->live_audio != NULL)
    live_audio_restart (producer->live_audio);
  /* The producer outlives every pipeline it builds. */
  g_signal_connect (pipeline, "deep-element-added",
      G_CALLBACK (on_decoder_added), producer);
  producer->built_us = g_get_monotonic_time ();
  /* Errors, a refused connection among them, are on the bus. */
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
}

static gboolean
on_retry (gpointer user_data)
{
  Producer *producer = user_data;

  destroy_source (&producer->retry);
  if (producer->reach != NULL)
    reach_probe_stop (producer->reach);
  if (producer->built_us != 0)
    producer->reconnects++;
  producer_connect (producer);
  return G_SOURCE_REMOVE;
}

/* The source's own size, from what its decoder hands the converter. */
static void
input_size (Producer * producer, ProducerStats * stats)
{
  GstElement *convert = gst_bin_get_by_name (GST_BIN (producer->pipeline),
      "convert");
  GstPad *pad = gst_element_get_static_pad (convert, "sink");
  GstCaps *caps = gst_pad_get_current_caps (pad);
  GstVideoInfo info;

  if (caps != NULL && gst_video_info_from_caps (&info, caps)) {
    stats->width = GST_VIDEO_INFO_WIDTH (&info);
    stats->height = GST_VIDEO_INFO_HEIGHT (&info);
  }
  if (caps != NULL)
    gst_caps_unref (caps);
  gst_object_unref (pad);
  gst_object_unref (convert);
}

/* Main thread, every WATCH_INTERVAL_MS: live, silent, or never there. */
static gboolean
on_watch (gpointer user_data)
{
  Producer *producer = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 last = sample_keeper_last_us (producer->keeper);
  gboolean fresh = last > producer->built_us;

  if (producer->pipeline != NULL) {
    if (producer->state != PRODUCER_LIVE && fresh) {
      backoff_reset (&producer->backoff);
      set_state (producer, PRODUCER_LIVE, NULL);
    } else if (producer->state == PRODUCER_LIVE
        && now - last > SILENCE_LIMIT_US) {
      producer_interrupt (producer, "no frame for 3 s");
    } else if (producer->state != PRODUCER_LIVE && !fresh
        && now - producer->built_us > FIRST_FRAME_LIMIT_US) {
      producer_interrupt (producer, "no frame within 10 s");
    }
  }
  if (++producer->watch_ticks % (1000 / WATCH_INTERVAL_MS) == 0) {
    ProducerStats stats = {
      .fps = g_atomic_int_and (&producer->frames, 0),
      .kbps = g_atomic_int_and (&producer->bytes, 0) * 8.0 / 1000.0,
      .reconnects = producer->reconnects,
    };

    if (producer->pipeline != NULL)
      input_size (producer, &stats);
    producer->callbacks.stats (&stats, producer->user_data);
  }
  return G_SOURCE_CONTINUE;
}

/* The caps every frame of a live source goes out with: the output's, at
 * the held picture's rate. */
static GstCaps *
live_caps_new (const ProducerConfig * config)
{
  return gst_caps_new_simple ("video/x-raw",
      "format", G_TYPE_STRING, "I420",
      "width", G_TYPE_INT, config->width,
      "height", G_TYPE_INT, config->height,
      "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1,
      "colorimetry", G_TYPE_STRING, SLATE_COLORIMETRY,
      "framerate", GST_TYPE_FRACTION,
      config->fps > 0 ? config->fps : LIVE_DEFAULT_FPS, 1, NULL);
}

static Producer *
producer_start_live (const ProducerConfig * config,
    const ProducerCallbacks * callbacks, gpointer user_data, GError ** error)
{
  Producer *producer = producer_new (config, callbacks, user_data);
  gint64 period_us = G_USEC_PER_SEC / (config->fps > 0 ? config->fps :
      LIVE_DEFAULT_FPS);
  GstSample *slate;

  if (producer->audio_fan_out != NULL) {
    producer->live_audio = live_audio_new (producer->audio_fan_out, error);
    if (producer->live_audio == NULL) {
      producer_unref (producer);
      return NULL;
    }
  }
  producer->live_caps = live_caps_new (config);
  producer->arrivals = arrival_table_new ();
  slate = slate_new (producer->live_caps);
  producer->keeper = sample_keeper_new (producer->fan_out, slate,
      SAMPLE_KEEPER_HOLD_LAST, period_us, HOLD_AFTER_FRAMES * period_us);
  if (slate != NULL)
    gst_sample_unref (slate);
  backoff_reset (&producer->backoff);
  producer->reach = reach_probe_new (producer->uri, on_reachable, producer);
  producer->watch = g_timeout_source_new (WATCH_INTERVAL_MS);
  g_source_set_callback (producer->watch, on_watch, producer, NULL);
  g_source_attach (producer->watch, NULL);
  set_state (producer, PRODUCER_CONNECTING, NULL);
  /* The pipeline is built, rebuilt and torn down on the main thread only. */
  producer->retry = g_idle_source_new ();
  g_source_set_callback (producer->retry, on_retry, producer, NULL);
  g_source_attach (producer->retry, NULL);
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
  GstElement *pipeline;
  GstStateChangeReturn ret;

  *caps = NULL;
  if (config->uri != NULL)
    return producer_start_live (config, callbacks, user_data, error);
  pipeline = decode_pipeline_new (config, error);
  if (pipeline == NULL)
    return NULL;
  producer = producer_new (config, callbacks, user_data);
  producer_attach (producer, pipeline);

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
