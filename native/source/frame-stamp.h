/* A time a raw frame carries from the producer to its encoders, in a
 * reference timestamp meta whose caps say which time it is. */
#ifndef RTSP_HELPER_FRAME_STAMP_H
#define RTSP_HELPER_FRAME_STAMP_H

#include <gst/gst.h>

typedef enum
{
  FRAME_STAMP_FILE_POSITION,    /* timestamp/x-file-position */
  FRAME_STAMP_ARRIVAL,          /* timestamp/x-arrival */
  FRAME_STAMP_KINDS,
} FrameStamp;

/* Does nothing when time is NONE. */
void frame_stamp_attach (GstBuffer * buffer, FrameStamp kind,
    GstClockTime time);
/* NONE when the buffer carries none. */
GstClockTime frame_stamp_of (GstBuffer * buffer, FrameStamp kind);

#endif /* RTSP_HELPER_FRAME_STAMP_H */
