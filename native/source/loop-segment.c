#include "source/loop-segment.h"

/* How long the audio's streaming thread waits at a loop point for the
 * video to reach it: each runs at most half a second ahead (the queues),
 * so only a stalled decode runs out of it. The audio then bases its loop
 * on its own last frame. */
#define FOLLOW_TIMEOUT_US G_USEC_PER_SEC

void
loop_segment_init (LoopSegment * loop)
{
  gst_segment_init (&loop->segment, GST_FORMAT_TIME);
  loop->end_time = GST_CLOCK_TIME_NONE;
  loop->loops = 0;
  loop->leader = NULL;
  loop->published = 0;
  g_mutex_init (&loop->lock);
  g_cond_init (&loop->cond);
}

void
loop_segment_clear (LoopSegment * loop)
{
  g_mutex_clear (&loop->lock);
  g_cond_clear (&loop->cond);
}

void
loop_segment_follow (LoopSegment * follower, LoopSegment * leader)
{
  follower->leader = leader;
}

static void
publish_base (LoopSegment * leader, guint loop, GstClockTime base)
{
  g_mutex_lock (&leader->lock);
  leader->bases[loop % LOOP_SEGMENT_BASES] = base;
  leader->published = loop;
  g_cond_broadcast (&leader->cond);
  g_mutex_unlock (&leader->lock);
}

/* The base of the leader's loop number `loop`, NONE when it does not get
 * there in time or is too far ahead to remember it. */
static GstClockTime
wait_for_base (LoopSegment * leader, guint loop)
{
  gint64 deadline = g_get_monotonic_time () + FOLLOW_TIMEOUT_US;
  GstClockTime base = GST_CLOCK_TIME_NONE;

  g_mutex_lock (&leader->lock);
  while (leader->published < loop) {
    if (!g_cond_wait_until (&leader->cond, &leader->lock, deadline))
      break;
  }
  if (leader->published >= loop
      && leader->published - loop < LOOP_SEGMENT_BASES)
    base = leader->bases[loop % LOOP_SEGMENT_BASES];
  g_mutex_unlock (&leader->lock);
  return base;
}

static GstClockTime
loop_base (LoopSegment * loop)
{
  GstClockTime base;

  if (loop->leader == NULL) {
    publish_base (loop, loop->loops, loop->end_time);
    return loop->end_time;
  }
  base = wait_for_base (loop->leader, loop->loops);
  return GST_CLOCK_TIME_IS_VALID (base) ? base : loop->end_time;
}

static void
restart (LoopSegment * loop)
{
  loop->end_time = GST_CLOCK_TIME_NONE;
  loop->loops = 0;
  if (loop->leader != NULL)
    return;
  g_mutex_lock (&loop->lock);
  loop->published = 0;
  g_mutex_unlock (&loop->lock);
}

/* A non-flushing segment seek bases the next loop on the running time of
 * the last frame's start, not its end: two frames would share a running
 * time at each loop point. Start each loop where the last frame ended, or
 * where the leader's did. */
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
      restart (loop);
      break;
    case GST_EVENT_SEGMENT:{
      GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
      GstEvent *rebased;

      loop->loops++;
      gst_event_copy_segment (event, &loop->segment);
      if (loop->segment.format != GST_FORMAT_TIME
          || !GST_CLOCK_TIME_IS_VALID (loop->end_time))
        break;
      loop->segment.base = loop_base (loop);
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
