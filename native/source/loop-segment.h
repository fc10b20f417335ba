/* Keeps running time continuous across the loops of a segment seek. */
#ifndef RTSP_HELPER_LOOP_SEGMENT_H
#define RTSP_HELPER_LOOP_SEGMENT_H

#include <gst/gst.h>

/* Streaming thread only, after loop_segment_init(). */
typedef struct
{
  /* The segment of the frames passing the pad, and the running time at
   * which the last of them ends. */
  GstSegment segment;
  GstClockTime end_time;
} LoopSegment;

void loop_segment_init (LoopSegment * loop);
/* Rebases each new segment passing the pad at the end of the last frame.
 * loop must outlive the pad's data flow. */
void loop_segment_watch (LoopSegment * loop, GstPad * pad);

#endif /* RTSP_HELPER_LOOP_SEGMENT_H */
