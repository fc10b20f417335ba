#include "source/source.h"

struct _Source
{
  gint ref_count;
  ProducerConfig config;        /* its strings are its own */
  Protocol *protocol;
  SourceLost lost;
  gpointer user_data;
  /* Held while the producer starts (up to its preroll timeout) or stops. */
  GMutex lock;
  Producer *producer;
  GstCaps *caps;                /* the producer's, once known */
};

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
source_new (const ProducerConfig * config, Protocol * protocol,
    SourceLost lost, gpointer user_data)
{
  Source *source = g_new0 (Source, 1);

  source->ref_count = 1;
  source->config = *config;
  source->config.file = g_strdup (config->file);
  source->protocol = protocol;
  source->lost = lost;
  source->user_data = user_data;
  g_mutex_init (&source->lock);
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
  if (source->producer != NULL)
    producer_release (source->producer);
  g_clear_pointer (&source->caps, gst_caps_unref);
  g_mutex_clear (&source->lock);
  g_free ((gchar *) source->config.file);
  g_free (source);
}

Producer *
source_subscribe (Source * source, GstElement * appsrc,
    GstElement * audio_appsrc, GstCaps ** caps, GError ** error)
{
  static const ProducerCallbacks callbacks = {
    .looped = on_producer_looped,
    .failed = on_producer_failed,
  };
  Producer *producer;

  g_mutex_lock (&source->lock);
  if (source->producer != NULL && producer_has_failed (source->producer)) {
    producer_unref (g_steal_pointer (&source->producer));
    g_clear_pointer (&source->caps, gst_caps_unref);
  }
  if (source->producer == NULL) {
    source->producer = producer_start (&source->config, &callbacks, source,
        &source->caps, error);
    if (source->producer == NULL)
      goto no_producer;
  }
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
    producer_release (g_steal_pointer (&source->producer));
    g_clear_pointer (&source->caps, gst_caps_unref);
  }
  g_mutex_unlock (&source->lock);
  producer_unref (producer);
}
