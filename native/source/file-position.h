/* Where in its file a raw frame was (its stream time in the decoder), carried
 * from the producer to the encoder in a reference timestamp meta of caps
 * timestamp/x-file-position: which frame of the file a viewer is sent,
 * however the running time went. */
#ifndef RTSP_HELPER_FILE_POSITION_H
#define RTSP_HELPER_FILE_POSITION_H

#include <gst/gst.h>

/* Does nothing when position is NONE. */
void file_position_attach (GstBuffer * buffer, GstClockTime position);
/* NONE when the buffer carries none. */
GstClockTime file_position_of (GstBuffer * buffer);

#endif /* RTSP_HELPER_FILE_POSITION_H */
