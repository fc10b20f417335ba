/* The audio a live source's viewers get while it sends none. */
#ifndef RTSP_HELPER_SILENCE_H
#define RTSP_HELPER_SILENCE_H

#include <gst/gst.h>

/* One frame of silence in a live source's AAC format, with its caps
 * (audio_codec_live_silence()), shared: the caller owns a reference. NULL
 * and error when it cannot be made (tried again at the next call). */
GstSample *silence_get (GError ** error);

#endif /* RTSP_HELPER_SILENCE_H */
