/* The picture a live source's viewers get before its first frame. */
#ifndef RTSP_HELPER_SLATE_H
#define RTSP_HELPER_SLATE_H

#include <gst/gst.h>

/* Black, in caps (fixed raw I420 video); NULL if caps are not video. */
GstSample *slate_new (GstCaps * caps);

#endif /* RTSP_HELPER_SLATE_H */
