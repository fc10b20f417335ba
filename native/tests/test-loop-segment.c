/* Running time kept continuous across the loops of a segment seek: events
 * and buffers pushed through a linked pair of pads, no pipeline. */
#include "source/loop-segment.h"

#include <string.h>

#define FRAME_NS (40 * GST_MSECOND)

typedef struct
{
  GstPad *src, *sink;
  LoopSegment loop;
  GstSegment received;          /* the last segment that reached the sink */
  guint segments;
  GList *running_times;         /* of the buffers that reached the sink */
} Fixture;

static GstFlowReturn
on_chain (GstPad * pad, GstObject * parent G_GNUC_UNUSED, GstBuffer * buffer)
{
  Fixture *fixture = g_object_get_data (G_OBJECT (pad), "fixture");
  guint64 running_time = gst_segment_to_running_time (&fixture->received,
      GST_FORMAT_TIME, GST_BUFFER_PTS (buffer));

  fixture->running_times = g_list_append (fixture->running_times,
      g_memdup2 (&running_time, sizeof (running_time)));
  gst_buffer_unref (buffer);
  return GST_FLOW_OK;
}

static gboolean
on_event (GstPad * pad, GstObject * parent G_GNUC_UNUSED, GstEvent * event)
{
  Fixture *fixture = g_object_get_data (G_OBJECT (pad), "fixture");

  if (GST_EVENT_TYPE (event) == GST_EVENT_SEGMENT) {
    gst_event_copy_segment (event, &fixture->received);
    fixture->segments++;
  }
  gst_event_unref (event);
  return TRUE;
}

static void
fixture_set_up (Fixture * fixture, gconstpointer data G_GNUC_UNUSED)
{
  GstCaps *caps = gst_caps_new_empty_simple ("video/x-raw");

  memset (fixture, 0, sizeof (*fixture));
  fixture->src = gst_pad_new ("src", GST_PAD_SRC);
  fixture->sink = gst_pad_new ("sink", GST_PAD_SINK);
  g_object_set_data (G_OBJECT (fixture->sink), "fixture", fixture);
  gst_pad_set_chain_function (fixture->sink, on_chain);
  gst_pad_set_event_function (fixture->sink, on_event);
  g_assert_cmpint (gst_pad_link (fixture->src, fixture->sink), ==,
      GST_PAD_LINK_OK);
  g_assert_true (gst_pad_set_active (fixture->sink, TRUE));
  g_assert_true (gst_pad_set_active (fixture->src, TRUE));
  gst_segment_init (&fixture->received, GST_FORMAT_UNDEFINED);

  loop_segment_init (&fixture->loop);
  loop_segment_watch (&fixture->loop, fixture->src);
  g_assert_true (gst_pad_push_event (fixture->src,
          gst_event_new_stream_start ("loop")));
  g_assert_true (gst_pad_push_event (fixture->src, gst_event_new_caps (caps)));
  gst_caps_unref (caps);
}

static void
fixture_tear_down (Fixture * fixture, gconstpointer data G_GNUC_UNUSED)
{
  gst_pad_set_active (fixture->src, FALSE);
  gst_pad_set_active (fixture->sink, FALSE);
  gst_object_unref (fixture->src);
  gst_object_unref (fixture->sink);
  loop_segment_clear (&fixture->loop);
  g_list_free_full (fixture->running_times, g_free);
}

/* A segment of the file from `start`, based at `base` as a demuxer's
 * non-flushing segment seek bases it. */
static void
push_segment (Fixture * fixture, GstClockTime start, GstClockTime base)
{
  GstSegment segment;

  gst_segment_init (&segment, GST_FORMAT_TIME);
  segment.start = segment.time = start;
  segment.position = start;
  segment.base = base;
  g_assert_true (gst_pad_push_event (fixture->src,
          gst_event_new_segment (&segment)));
}

static void
push_frame (Fixture * fixture, GstClockTime pts, GstClockTime duration)
{
  GstBuffer *buffer = gst_buffer_new ();

  GST_BUFFER_PTS (buffer) = pts;
  GST_BUFFER_DURATION (buffer) = duration;
  g_assert_cmpint (gst_pad_push (fixture->src, buffer), ==, GST_FLOW_OK);
}

/* Frames of one loop of a file `frames` long. */
static void
push_loop (Fixture * fixture, guint frames)
{
  for (guint i = 0; i < frames; i++)
    push_frame (fixture, i * FRAME_NS, FRAME_NS);
}

static void
assert_running_times_continuous (Fixture * fixture, guint frames)
{
  guint i = 0;

  g_assert_cmpuint (g_list_length (fixture->running_times), ==, frames);
  for (GList * l = fixture->running_times; l != NULL; l = l->next, i++)
    g_assert_cmpuint (*(guint64 *) l->data, ==, i * FRAME_NS);
}

/* The first segment passes as it is. */
static void
test_first_segment_untouched (Fixture * fixture,
    gconstpointer data G_GNUC_UNUSED)
{
  push_segment (fixture, 0, 0);
  g_assert_cmpuint (fixture->received.base, ==, 0);
  push_loop (fixture, 3);
  assert_running_times_continuous (fixture, 3);
}

/* The demuxer bases each loop at the last frame's start: the loop is based
 * at its end instead, so no two frames share a running time. */
static void
test_loops_rebased (Fixture * fixture, gconstpointer data G_GNUC_UNUSED)
{
  push_segment (fixture, 0, 0);
  push_loop (fixture, 5);
  push_segment (fixture, 0, 4 * FRAME_NS);
  g_assert_cmpuint (fixture->received.base, ==, 5 * FRAME_NS);
  push_loop (fixture, 5);
  push_segment (fixture, 0, 9 * FRAME_NS);
  g_assert_cmpuint (fixture->received.base, ==, 10 * FRAME_NS);
  push_loop (fixture, 5);
  g_assert_cmpuint (fixture->segments, ==, 3);
  assert_running_times_continuous (fixture, 15);
}

/* A frame without a duration ends where it starts. */
static void
test_frame_without_duration (Fixture * fixture,
    gconstpointer data G_GNUC_UNUSED)
{
  push_segment (fixture, 0, 0);
  push_frame (fixture, 0, FRAME_NS);
  push_frame (fixture, FRAME_NS, GST_CLOCK_TIME_NONE);
  push_segment (fixture, 0, 0);
  g_assert_cmpuint (fixture->received.base, ==, FRAME_NS);
}

/* A segment starting mid-file (the seek's start) keeps its start. */
static void
test_segment_start_kept (Fixture * fixture, gconstpointer data G_GNUC_UNUSED)
{
  push_segment (fixture, 2 * GST_SECOND, 0);
  push_frame (fixture, 2 * GST_SECOND, FRAME_NS);
  push_segment (fixture, 2 * GST_SECOND, 0);
  g_assert_cmpuint (fixture->received.start, ==, 2 * GST_SECOND);
  g_assert_cmpuint (fixture->received.base, ==, FRAME_NS);
  push_frame (fixture, 2 * GST_SECOND, FRAME_NS);
  g_assert_cmpuint (*(guint64 *) g_list_last (fixture->running_times)->data,
      ==, FRAME_NS);
}

/* A flushing seek starts the running time again from 0: the next segment
 * is not rebased. */
static void
test_flush_restarts (Fixture * fixture, gconstpointer data G_GNUC_UNUSED)
{
  push_segment (fixture, 0, 0);
  push_loop (fixture, 5);
  g_assert_true (gst_pad_push_event (fixture->src,
          gst_event_new_flush_start ()));
  g_assert_true (gst_pad_push_event (fixture->src,
          gst_event_new_flush_stop (TRUE)));
  push_segment (fixture, 0, 0);
  g_assert_cmpuint (fixture->received.base, ==, 0);
}

/* The rebased event keeps the seqnum of the one it replaces. */
static void
test_seqnum_kept (Fixture * fixture, gconstpointer data G_GNUC_UNUSED)
{
  GstSegment segment;
  GstEvent *event, *sticky;

  push_segment (fixture, 0, 0);
  push_loop (fixture, 2);
  gst_segment_init (&segment, GST_FORMAT_TIME);
  event = gst_event_new_segment (&segment);
  gst_event_set_seqnum (event, 4242);
  g_assert_true (gst_pad_push_event (fixture->src, event));
  sticky = gst_pad_get_sticky_event (fixture->sink, GST_EVENT_SEGMENT, 0);
  g_assert_nonnull (sticky);
  g_assert_cmpuint (gst_event_get_seqnum (sticky), ==, 4242);
  gst_event_unref (sticky);
  g_assert_cmpuint (fixture->received.base, ==, 2 * FRAME_NS);
}

/* The audio (a follower) starts each loop where the video (its leader)
 * starts the same loop, not where its own last frame ended. */
static void
test_follower_takes_leader_base (Fixture * fixture,
    gconstpointer data G_GNUC_UNUSED)
{
  LoopSegment leader;
  GstPad *pad = gst_pad_new ("leader", GST_PAD_SRC);

  loop_segment_init (&leader);
  loop_segment_follow (&fixture->loop, &leader);
  loop_segment_watch (&leader, pad);
  g_assert_true (gst_pad_set_active (pad, TRUE));
  push_segment (fixture, 0, 0);
  push_loop (fixture, 4);
  /* The leader's loop 2 starts at 5 frames; the follower's own would be 4. */
  g_assert_true (gst_pad_push_event (pad, gst_event_new_stream_start ("l")));
  for (guint loop = 0; loop < 2; loop++) {
    GstSegment segment;

    gst_segment_init (&segment, GST_FORMAT_TIME);
    gst_pad_push_event (pad, gst_event_new_segment (&segment));
    for (guint i = 0; i < 5; i++) {
      GstBuffer *buffer = gst_buffer_new ();

      GST_BUFFER_PTS (buffer) = i * FRAME_NS;
      GST_BUFFER_DURATION (buffer) = FRAME_NS;
      gst_pad_push (pad, buffer);
    }
  }
  push_segment (fixture, 0, 0);
  g_assert_cmpuint (fixture->received.base, ==, 5 * FRAME_NS);
  gst_pad_set_active (pad, FALSE);
  gst_object_unref (pad);
  loop_segment_clear (&leader);
}

/* A leader that never gets there: the follower waits a bounded time and
 * bases its loop on its own last frame. */
static void
test_follower_without_leader (Fixture * fixture,
    gconstpointer data G_GNUC_UNUSED)
{
  LoopSegment leader;

  loop_segment_init (&leader);
  loop_segment_follow (&fixture->loop, &leader);
  push_segment (fixture, 0, 0);
  push_loop (fixture, 4);
  push_segment (fixture, 0, 0);
  g_assert_cmpuint (fixture->received.base, ==, 4 * FRAME_NS);
  loop_segment_clear (&leader);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gst_init (NULL, NULL);
  g_test_add ("/loop-segment/first-segment-untouched", Fixture, NULL,
      fixture_set_up, test_first_segment_untouched, fixture_tear_down);
  g_test_add ("/loop-segment/loops-rebased", Fixture, NULL, fixture_set_up,
      test_loops_rebased, fixture_tear_down);
  g_test_add ("/loop-segment/frame-without-duration", Fixture, NULL,
      fixture_set_up, test_frame_without_duration, fixture_tear_down);
  g_test_add ("/loop-segment/segment-start-kept", Fixture, NULL,
      fixture_set_up, test_segment_start_kept, fixture_tear_down);
  g_test_add ("/loop-segment/flush-restarts", Fixture, NULL, fixture_set_up,
      test_flush_restarts, fixture_tear_down);
  g_test_add ("/loop-segment/seqnum-kept", Fixture, NULL, fixture_set_up,
      test_seqnum_kept, fixture_tear_down);
  g_test_add ("/loop-segment/follower-takes-leader-base", Fixture, NULL,
      fixture_set_up, test_follower_takes_leader_base, fixture_tear_down);
  g_test_add ("/loop-segment/follower-without-leader", Fixture, NULL,
      fixture_set_up, test_follower_without_leader, fixture_tear_down);
  return g_test_run ();
}
