/* A live source's viewers keep getting frames when it has none: its last
 * picture, held, or a black slate before its first. */
#ifndef RTSP_HELPER_FRAME_KEEPER_H
#define RTSP_HELPER_FRAME_KEEPER_H

#include <gst/gst.h>

#include "source/fan-out.h"

typedef struct _FrameKeeper FrameKeeper;

/* Pushes to fan_out, at the rate of caps (fixed raw video caps with a
 * frame rate), whenever no live frame came for two frame periods, and
 * from a second after it starts when none came yet. Its timer runs on the
 * default main context. */
FrameKeeper *frame_keeper_new (FanOut * fan_out, GstCaps * caps);
/* Stops pushing (no push runs once it returns) and frees it. Any thread. */
void frame_keeper_free (FrameKeeper * keeper);
/* A live frame went out: it is the picture to hold. Streaming thread. */
void frame_keeper_take (FrameKeeper * keeper, GstSample * sample);
/* Monotonic time of the last live frame, 0 before the first. */
gint64 frame_keeper_last_frame_us (FrameKeeper * keeper);

#endif /* RTSP_HELPER_FRAME_KEEPER_H */
