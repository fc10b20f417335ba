#include "source/frame-stamp.h"

/* Immutable once made, shared by every writer and reader of the metas. */
static GstCaps *
frame_stamp_caps (FrameStamp kind)
{
  static GstCaps **caps = NULL;

  if (g_once_init_enter (&caps)) {
    GstCaps **made = g_new (GstCaps *, FRAME_STAMP_KINDS);

    made[FRAME_STAMP_FILE_POSITION] =
        gst_caps_new_empty_simple ("timestamp/x-file-position");
    made[FRAME_STAMP_ARRIVAL] =
        gst_caps_new_empty_simple ("timestamp/x-arrival");
    g_once_init_leave (&caps, made);
  }
  return caps[kind];
}

void
frame_stamp_attach (GstBuffer * buffer, FrameStamp kind, GstClockTime time)
{
  if (GST_CLOCK_TIME_IS_VALID (time))
    gst_buffer_add_reference_timestamp_meta (buffer, frame_stamp_caps (kind),
        time, GST_CLOCK_TIME_NONE);
}

GstClockTime
frame_stamp_of (GstBuffer * buffer, FrameStamp kind)
{
  GstReferenceTimestampMeta *meta =
      gst_buffer_get_reference_timestamp_meta (buffer, frame_stamp_caps (kind));

  return meta != NULL ? meta->timestamp : GST_CLOCK_TIME_NONE;
}
