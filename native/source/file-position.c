#include "source/file-position.h"

#include "source/frame-stamp.h"

void
file_position_attach (GstBuffer * buffer, GstClockTime position)
{
  frame_stamp_attach (buffer, FRAME_STAMP_FILE_POSITION, position);
}

GstClockTime
file_position_of (GstBuffer * buffer)
{
  return frame_stamp_of (buffer, FRAME_STAMP_FILE_POSITION);
}
