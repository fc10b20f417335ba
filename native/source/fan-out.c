#include "source/fan-out.h"

#include <gst/app/app.h>

#include "source/file-position.h"

struct _FanOut
{
  GMutex lock;
  GPtrArray *sinks;             /* the medias' appsrcs, under the lock */
  gint fed;                     /* atomic */
};

FanOut *
fan_out_new (void)
{
  FanOut *fan_out = g_new0 (FanOut, 1);

  g_mutex_init (&fan_out->lock);
  fan_out->sinks = g_ptr_array_new_with_free_func (gst_object_unref);
  return fan_out;
}

void
fan_out_free (FanOut * fan_out)
{
  g_ptr_array_unref (fan_out->sinks);
  g_mutex_clear (&fan_out->lock);
  g_free (fan_out);
}

void
fan_out_add (FanOut * fan_out, GstElement * appsrc)
{
  g_mutex_lock (&fan_out->lock);
  g_ptr_array_add (fan_out->sinks, gst_object_ref (appsrc));
  g_mutex_unlock (&fan_out->lock);
}

guint
fan_out_remove (FanOut * fan_out, GstElement * appsrc)
{
  guint left;

  g_mutex_lock (&fan_out->lock);
  g_ptr_array_remove (fan_out->sinks, appsrc);
  left = fan_out->sinks->len;
  g_mutex_unlock (&fan_out->lock);
  return left;
}

guint
fan_out_count (FanOut * fan_out)
{
  guint count;

  g_mutex_lock (&fan_out->lock);
  count = fan_out->sinks->len;
  g_mutex_unlock (&fan_out->lock);
  return count;
}

gboolean
fan_out_has_fed (FanOut * fan_out)
{
  return g_atomic_int_get (&fan_out->fed);
}

static gpointer
ref_element (gconstpointer element, gpointer user_data G_GNUC_UNUSED)
{
  return gst_object_ref ((gpointer) element);
}

/* A new reference to each appsrc, for use outside the lock. */
static GPtrArray *
ref_sinks (FanOut * fan_out)
{
  GPtrArray *sinks;

  g_mutex_lock (&fan_out->lock);
  sinks = g_ptr_array_copy (fan_out->sinks, ref_element, NULL);
  g_mutex_unlock (&fan_out->lock);
  g_ptr_array_set_free_func (sinks, gst_object_unref);
  return sinks;
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

/* Called at the sample's time, or `lateness` after it: each media gets it
 * stamped with its own running time at the sample's time, as a live source
 * stamps at capture: timestamps stay regular across loops and while a
 * media's own stream is blocked or busy, and a frame and the audio of the
 * same moment get the same time whichever woke up later. A media that did
 * not play yet at that time has no running time for it: its copy is
 * dropped. Copies share the sample's memory. */
void
fan_out_push (FanOut * fan_out, GstSample * sample, GstClockTime lateness)
{
  GstClockTime position;
  GPtrArray *sinks;

  position = gst_segment_to_stream_time (gst_sample_get_segment (sample),
      GST_FORMAT_TIME, GST_BUFFER_PTS (gst_sample_get_buffer (sample)));
  sinks = ref_sinks (fan_out);
  for (guint i = 0; i < sinks->len; i++) {
    GstElement *appsrc = g_ptr_array_index (sinks, i);
    GstClockTime now = media_running_time (appsrc);
    GstBuffer *buffer;
    GstSample *out;

    if (!GST_CLOCK_TIME_IS_VALID (now) || now < lateness)
      continue;
    g_atomic_int_set (&fan_out->fed, TRUE);
    buffer = gst_buffer_copy (gst_sample_get_buffer (sample));
    file_position_attach (buffer, position);
    GST_BUFFER_PTS (buffer) = now - lateness;
    GST_BUFFER_DTS (buffer) = now - lateness;
    out = gst_sample_new (buffer, gst_sample_get_caps (sample), NULL, NULL);
    /* FLUSHING while a media stops is expected: the frame is just lost. */
    gst_app_src_push_sample (GST_APP_SRC (appsrc), out);
    gst_sample_unref (out);
    gst_buffer_unref (buffer);
  }
  g_ptr_array_unref (sinks);
}

void
fan_out_post_error (FanOut * fan_out, const GError * error, const gchar * debug)
{
  GPtrArray *sinks = ref_sinks (fan_out);

  for (guint i = 0; i < sinks->len; i++) {
    GstElement *appsrc = g_ptr_array_index (sinks, i);

    gst_element_post_message (appsrc, gst_message_new_error (GST_OBJECT
            (appsrc), (GError *) error, debug));
  }
  g_ptr_array_unref (sinks);
}
