#include "source/source.h"

struct _Source
{
  gint ref_count;
  ProducerConfig config;        /* its strings are its own */
  LiveSettings live;
  Protocol *protocol;
  SourceLost lost;
  gpointer user_data;
  /* Held while the producer starts (up to its preroll timeout) or stops. */
  GMutex lock;
  Producer *producer;
  GstCaps *caps;                /* the producer's, once known */
  GSource *linger;              /* a live source's release, once unwatched */
  /* What the last `source` record said. */
  GMutex status_lock;
  const gchar *state;
  gchar *error;
};

/* One `source` record per change of a live source's state or error, never
 * one per attempt. */
static void
emit_state (Source * source, const gchar * state, const gchar * error)
{
  Record *record;

  g_mutex_lock (&source->status_lock);
  if (g_strcmp0 (source->state, state) == 0
      && g_strcmp0 (source->error, error) == 0) {
    g_mutex_unlock (&source->status_lock);
    return;
  }
  source->state = state;
  g_free (source->error);
  source->error = g_strdup (error);
  record = record_new ("source");
  record_add_string (record, "state", state);
  if (error != NULL)
    record_add_string (record, "error", error);
  record_emit (source->protocol, record);
  g_mutex_unlock (&source->status_lock);
}

static void
on_producer_state (ProducerState state, const gchar * error, gpointer user_data)
{
  static const gchar *const names[] = {
    [PRODUCER_CONNECTING] = "connecting",
    [PRODUCER_LIVE] = "live",
    [PRODUCER_LOST] = "lost",
  };
  Source *source = user_data;

  emit_state (source, names[state], error);
}

static void
on_producer_stats (const ProducerStats * stats, gpointer user_data)
{
  Source *source = user_data;
  Record *record = record_new ("source_stats");

  record_add_double (record, "fps", stats->fps);
  record_add_double (record, "kbps", stats->kbps);
  if (stats->width > 0) {
    record_add_int (record, "width", stats->width);
    record_add_int (record, "height", stats->height);
  }
  record_add_int (record, "reconnects", stats->reconnects);
  record_emit (source->protocol, record);
}

static void
on_producer_looped (guint count, gpointer user_data)
{
  Source *source = user_data;
  Record *record = record_new ("loop");

  record_add_int (record, "count", count);
  record_emit (source->protocol, record);
}

/* Main thread. The producer has made its medias fail: that answers a
 * viewer waiting for one (503). Viewers it had fed must be disconnected. */
static void
on_producer_failed (Producer * producer, const GError * error,
    gpointer user_data)
{
  Source *source = user_data;
  gchar *message = g_strdup_printf ("%s: %s", source->config.file,
      error->message);

  protocol_emit_error (source->protocol, "decode", message, NULL);
  g_free (message);
  if (producer_has_fed (producer))
    source->lost (source->user_data);
}

Source *
source_new (const ProducerConfig * config, const LiveSettings * live,
    Protocol * protocol, SourceLost lost, gpointer user_data)
{
  Source *source = g_new0 (Source, 1);

  source->ref_count = 1;
  source->config = *config;
  source->config.file = g_strdup (config->file);
  source->config.uri = g_strdup (config->uri);
  source->live = *live;
  source->protocol = protocol;
  source->lost = lost;
  source->user_data = user_data;
  g_mutex_init (&source->lock);
  g_mutex_init (&source->status_lock);
  return source;
}

Source *
source_ref (Source * source)
{
  g_atomic_int_inc (&source->ref_count);
  return source;
}

void
source_unref (Source * source)
{
  if (!g_atomic_int_dec_and_test (&source->ref_count))
    return;
  if (source->linger != NULL) {
    g_source_destroy (source->linger);
    g_source_unref (source->linger);
  }
  if (source->producer != NULL)
    producer_release (source->producer);
  g_clear_pointer (&source->caps, gst_caps_unref);
  g_mutex_clear (&source->lock);
  g_mutex_clear (&source->status_lock);
  g_free (source->error);
  g_free ((gchar *) source->config.file);
  g_free ((gchar *) source->config.uri);
  g_free (source);
}

/* Under the lock. */
static gboolean
start_producer (Source * source, GError ** error)
{
  static const ProducerCallbacks callbacks = {
    .looped = on_producer_looped,
    .failed = on_producer_failed,
    .state = on_producer_state,
    .stats = on_producer_stats,
  };

  source->producer = producer_start (&source->config, &callbacks, source,
      &source->caps, error);
  return source->producer != NULL;
}

/* Under the lock. */
static void
release_producer (Source * source)
{
  producer_release (g_steal_pointer (&source->producer));
  g_clear_pointer (&source->caps, gst_caps_unref);
  if (source->config.uri != NULL)
    emit_state (source, "idle", NULL);
}

/* Main thread: the linger is over and nobody came back. */
static gboolean
on_linger_over (gpointer user_data)
{
  Source *source = user_data;

  g_mutex_lock (&source->lock);
  g_clear_pointer (&source->linger, g_source_unref);
  if (source->producer != NULL && !producer_has_sinks (source->producer))
    release_producer (source);
  g_mutex_unlock (&source->lock);
  return G_SOURCE_REMOVE;
}

/* Under the lock: a live source is released on the main thread, after
 * its linger (a viewer who comes back at once finds it running). */
static void
schedule_linger (Source * source)
{
  if (source->linger != NULL)
    return;
  source->linger = g_timeout_source_new_seconds (source->live.linger_s);
  g_source_set_callback (source->linger, on_linger_over, source, NULL);
  g_source_attach (source->linger, NULL);
}

/* Under the lock. */
static void
cancel_linger (Source * source)
{
  if (source->linger == NULL)
    return;
  g_source_destroy (source->linger);
  g_clear_pointer (&source->linger, g_source_unref);
}

Producer *
source_subscribe (Source * source, GstElement * appsrc,
    GstElement * audio_appsrc, GstCaps ** caps, GError ** error)
{
  Producer *producer;

  g_mutex_lock (&source->lock);
  cancel_linger (source);
  if (source->producer != NULL && producer_has_failed (source->producer)) {
    producer_unref (g_steal_pointer (&source->producer));
    g_clear_pointer (&source->caps, gst_caps_unref);
  }
  if (source->producer == NULL && !start_producer (source, error))
    goto no_producer;
  producer = producer_ref (source->producer);
  producer_add_sinks (producer, appsrc, audio_appsrc);
  *caps = source->caps == NULL ? NULL : gst_caps_ref (source->caps);
  g_mutex_unlock (&source->lock);

  /* A producer that failed before it had this appsrc did not tell it. */
  if (producer_has_failed (producer)) {
    GError *failed = g_error_new (GST_STREAM_ERROR, GST_STREAM_ERROR_DECODE,
        "%s could not be decoded", source->config.file);

    gst_element_post_message (appsrc,
        gst_message_new_error (GST_OBJECT (appsrc), failed, NULL));
    g_error_free (failed);
  }
  return producer;

  /* ERRORS */
no_producer:
  {
    *caps = NULL;
    g_mutex_unlock (&source->lock);
    return NULL;
  }
}

void
source_unsubscribe (Source * source, Producer * producer, GstElement * appsrc,
    GstElement * audio_appsrc)
{
  g_mutex_lock (&source->lock);
  if (producer_remove_sinks (producer, appsrc, audio_appsrc) == 0
      && source->producer == producer) {
    if (source->config.uri == NULL)
      release_producer (source);
    else if (!source->live.always_on)
      schedule_linger (source);
  }
  g_mutex_unlock (&source->lock);
  producer_unref (producer);
}

gboolean
source_keep_on (Source * source, GError ** error)
{
  gboolean started;

  g_mutex_lock (&source->lock);
  started = source->producer != NULL || start_producer (source, error);
  g_mutex_unlock (&source->lock);
  return started;
}
