#include "source/loop-segment.h"

void
loop_segment_init (LoopSegment * loop)
{
  gst_segment_init (&loop->segment, GST_FORMAT_TIME);
  loop->end_time = GST_CLOCK_TIME_NONE;
}

/* A non-flushing segment seek bases the next loop on the running time of
 * the last frame's start, not its end: two frames would share a running
 * time at each loop point. Start each loop where the last frame ended. */
static GstPadProbeReturn
on_pad_data (GstPad * pad G_GNUC_UNUSED, GstPadProbeInfo * info,
    gpointer user_data)
{
  LoopSegment *loop = user_data;

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
    GstClockTime start = gst_segment_to_running_time (&loop->segment,
        GST_FORMAT_TIME, GST_BUFFER_PTS (buffer));

    if (GST_CLOCK_TIME_IS_VALID (start))
      loop->end_time = start + (GST_BUFFER_DURATION_IS_VALID (buffer) ?
          GST_BUFFER_DURATION (buffer) : 0);
    return GST_PAD_PROBE_OK;
  }

  switch (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info))) {
    case GST_EVENT_FLUSH_STOP:
      /* A flushing seek restarts the running time from 0. */
      loop->end_time = GST_CLOCK_TIME_NONE;
      break;
    case GST_EVENT_SEGMENT:{
      GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
      GstEvent *rebased;

      gst_event_copy_segment (event, &loop->segment);
      if (loop->segment.format != GST_FORMAT_TIME
          || !GST_CLOCK_TIME_IS_VALID (loop->end_time))
        break;
      loop->segment.base = loop->end_time;
      rebased = gst_event_new_segment (&loop->segment);
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
loop_segment_watch (LoopSegment * loop, GstPad * pad)
{
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM | GST_PAD_PROBE_TYPE_EVENT_FLUSH,
      on_pad_data, loop, NULL);
}
