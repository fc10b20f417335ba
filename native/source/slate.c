#include "source/slate.h"

#include <string.h>

#include <gst/video/video.h>

/* Black in limited range I420: Y 16, U and V 128. */
GstSample *
slate_new (GstCaps * caps)
{
  GstVideoInfo info;
  GstBuffer *buffer;
  GstMapInfo map;
  GstSample *sample;

  if (!gst_video_info_from_caps (&info, caps))
    return NULL;
  buffer = gst_buffer_new_allocate (NULL, GST_VIDEO_INFO_SIZE (&info), NULL);
  if (!gst_buffer_map (buffer, &map, GST_MAP_WRITE))
    goto map_failed;
  memset (map.data, 128, map.size);
  memset (map.data + GST_VIDEO_INFO_PLANE_OFFSET (&info, 0), 16,
      (gsize) GST_VIDEO_INFO_PLANE_STRIDE (&info, 0) *
      GST_VIDEO_INFO_HEIGHT (&info));
  gst_buffer_unmap (buffer, &map);
  sample = gst_sample_new (buffer, caps, NULL, NULL);
  gst_buffer_unref (buffer);
  return sample;

  /* ERRORS */
map_failed:
  {
    gst_buffer_unref (buffer);
    return NULL;
  }
}
