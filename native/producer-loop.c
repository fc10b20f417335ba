#include "producer-private.h"

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

void
producer_loop_attach (Producer * producer, GstElement * queue)
{
  GstPad *queue_pad = gst_element_get_static_pad (queue, "sink");

  gst_segment_init (&producer->segment, GST_FORMAT_TIME);
  producer->end_time = GST_CLOCK_TIME_NONE;
  gst_pad_add_probe (queue_pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM | GST_PAD_PROBE_TYPE_EVENT_FLUSH,
      on_queue_data, producer, NULL);
  gst_object_unref (queue_pad);
}

/* From the start to the end of the file, posting SEGMENT_DONE at the end
 * instead of EOS. A non-flushing segment seek keeps the running time (and
 * so the appsink's pacing) going. */
gboolean
producer_seek_to_start (Producer * producer, gboolean flush)
{
  GstSeekFlags flags = GST_SEEK_FLAG_SEGMENT;

  if (flush)
    flags |= GST_SEEK_FLAG_FLUSH;
  return gst_element_seek (producer->pipeline, 1.0, GST_FORMAT_TIME, flags,
      GST_SEEK_TYPE_SET, 0, GST_SEEK_TYPE_NONE, GST_CLOCK_TIME_NONE);
}

void
producer_loop (Producer * producer, gboolean flush)
{
  GError *error;

  if (!producer_seek_to_start (producer, flush))
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
