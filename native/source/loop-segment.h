/* Keeps running time continuous across the loops of a segment seek, and
 * the audio's loops on the video's. */
#ifndef RTSP_HELPER_LOOP_SEGMENT_H
#define RTSP_HELPER_LOOP_SEGMENT_H

#include <gst/gst.h>

/* Loop bases a leader keeps for a follower that lags behind it. */
#define LOOP_SEGMENT_BASES 16

typedef struct _LoopSegment LoopSegment;

/* The streaming thread of its pad writes all but the leader's published
 * bases, which are under the lock. */
struct _LoopSegment
{
  /* The segment of the frames passing the pad, and the running time at
   * which the last of them ends. */
  GstSegment segment;
  GstClockTime end_time;
  guint loops;                  /* segments since the start or a flush */
  LoopSegment *leader;          /* NULL: this one leads */
  GMutex lock;
  GCond cond;
  GstClockTime bases[LOOP_SEGMENT_BASES];       /* by loop, modulo */
  guint published;              /* loops whose base is in bases */
};

void loop_segment_init (LoopSegment * loop);
void loop_segment_clear (LoopSegment * loop);
/* Rebases each new segment passing the pad: at the end of the last frame,
 * or where the leader's loop of the same number starts. loop (and its
 * leader) must outlive the pad's data flow. */
void loop_segment_watch (LoopSegment * loop, GstPad * pad);
/* The audio starts each loop where the video's starts: their last frames
 * of a loop end a little apart, and each basing its next loop on its own
 * would have them drift apart by that much a loop. */
void loop_segment_follow (LoopSegment * follower, LoopSegment * leader);

#endif /* RTSP_HELPER_LOOP_SEGMENT_H */
