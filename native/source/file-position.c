#include "source/file-position.h"

/* Immutable once made, shared by every writer and reader of the meta. */
static GstCaps *
file_position_caps (void)
{
  static GstCaps *caps = NULL;

  if (g_once_init_enter (&caps))
    g_once_init_leave (&caps,
        gst_caps_new_empty_simple ("timestamp/x-file-position"));
  return caps;
}

void
file_position_attach (GstBuffer * buffer, GstClockTime position)
{
  if (GST_CLOCK_TIME_IS_VALID (position))
    gst_buffer_add_reference_timestamp_meta (buffer, file_position_caps (),
        position, GST_CLOCK_TIME_NONE);
}

GstClockTime
file_position_of (GstBuffer * buffer)
{
  GstReferenceTimestampMeta *meta =
      gst_buffer_get_reference_timestamp_meta (buffer, file_position_caps ());

  return meta != NULL ? meta->timestamp : GST_CLOCK_TIME_NONE;
}
